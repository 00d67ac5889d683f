/* ld-import.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "ld-csv.h"
#include "ld-import.h"
#include "ld-store-private.h"

G_DEFINE_QUARK (ld-import-error-quark, ld_import_error)

/* A file listing more bad rows than this is wrong as a whole; the rest are
 * counted, not listed. Warnings are listed as sparingly. */
#define MAX_LISTED 1000

typedef struct {
  LdStore        *store;
  GTimeZone      *tz;
  gboolean        gcj02;
  gint64          now;
  LdImportCounts *counts;
  GPtrArray      *problems;
  guint           n_problems;
  GPtrArray      *warnings;
  guint           n_warnings;
  LdCsvReader    *csv;        /* the file being read */
  const char     *file;       /* its name, for messages */
} Import;

static const LdActor import_actor = { "import", NULL };

G_GNUC_PRINTF (2, 3)
static void
problem (Import *im, const char *format, ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  im->n_problems++;
  if (im->n_problems > MAX_LISTED)
    return;
  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (im->problems, g_strdup_printf ("%s:%u: %s", im->file,
                                                  ld_csv_reader_get_line (im->csv), reason));
}

/* A row imported as its source recorded it, though the live state
 * machine would not have made it: said, not refused. */
G_GNUC_PRINTF (2, 3)
static void
warn (Import *im, const char *format, ...)
{
  g_autofree char *what = NULL;
  va_list args;

  im->n_warnings++;
  if (im->n_warnings > MAX_LISTED)
    return;
  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (im->warnings, g_strdup_printf ("%s:%u: %s", im->file,
                                                  ld_csv_reader_get_line (im->csv), what));
}

static void
problem_from_error (Import *im, const GError *error)
{
  problem (im, "%s", error->message);
}

static const char *
field (Import *im, int column)
{
  return ld_csv_reader_get (im->csv, column);
}

static gboolean
parse_time (Import *im, int column, const char *name, gboolean required, gint64 *out)
{
  const char *text = field (im, column);
  g_autoptr(GError) error = NULL;

  *out = LD_TIME_NONE;
  if (text == NULL)
    {
      if (required)
        problem (im, _("%s is empty"), name);
      return !required;
    }
  /* History, give or take a zone: a time beyond would be stored for every
   * desk to refuse. */
  if (!ld_time_parse (text, im->tz, out, &error) ||
      !ld_time_check_plausible (*out, im->now, LD_TIME_AHEAD_IMPORT, im->tz, &error))
    {
      problem (im, "%s: %s", name, error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_double (Import *im, int column, const char *name, double *out)
{
  const char *text = field (im, column);
  char *end = NULL;

  *out = NAN;
  if (text == NULL)
    return TRUE;
  errno = 0;
  *out = g_ascii_strtod (text, &end);
  if (errno != 0 || end == text || *end != '\0' || !isfinite (*out))
    {
      problem (im, _("%s: “%s” is not a number"), name, text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_int (Import *im, int column, const char *name, int min, int max, int *out)
{
  const char *text = field (im, column);
  gint64 value;

  *out = 0;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_signed (text, 10, min, max, &value, NULL))
    {
      problem (im, _("%s: “%s” is not a whole number from %d to %d"), name, text, min, max);
      return FALSE;
    }
  *out = (int) value;
  return TRUE;
}

static gboolean
parse_place (Import *im, int lat_col, int lon_col, double *lat, double *lon)
{
  if (!parse_double (im, lat_col, "lat", lat) || !parse_double (im, lon_col, "lon", lon))
    return FALSE;
  if (isnan (*lat) != isnan (*lon))
    {
      problem (im, _("lat and lon must both be given or both be empty"));
      return FALSE;
    }
  if (!isnan (*lat) && (*lat < -90 || *lat > 90 || *lon < -180 || *lon > 180))
    {
      problem (im, _("lat/lon %g, %g is not on the earth"), *lat, *lon);
      return FALSE;
    }
  if (!isnan (*lat) && im->gcj02)
    ld_geo_gcj02_to_wgs84 (*lat, *lon, lat, lon);
  return TRUE;
}

/* Advances to the next well-formed record; a record with the wrong number
 * of fields (a truncated line) or too long is reported and skipped. */
static gboolean
next_row (Import *im)
{
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      guint n, expected;

      if (!ld_csv_reader_next (im->csv, &error))
        {
          if (error == NULL)
            return FALSE;
          im->n_problems++;
          if (im->n_problems <= MAX_LISTED)
            g_ptr_array_add (im->problems, g_strdup (error->message));
          if (!g_error_matches (error, LD_CSV_ERROR, LD_CSV_ERROR_TOO_LONG))
            return FALSE;
          continue;
        }
      n = ld_csv_reader_get_n_fields (im->csv);
      expected = ld_csv_reader_get_n_columns (im->csv);
      if (n == expected)
        return TRUE;
      problem (im, _("%u fields, but the header has %u"), n, expected);
    }
}

/* Checks a value is unique within its file, naming the line it repeats. */
static gboolean
first_in_file (Import *im, GHashTable *seen, const char *id)
{
  guint line = GPOINTER_TO_UINT (g_hash_table_lookup (seen, id));

  if (line)
    {
      problem (im, _("duplicate id %s (also on line %u)"), id, line);
      return FALSE;
    }
  g_hash_table_insert (seen, g_strdup (id), GUINT_TO_POINTER (ld_csv_reader_get_line (im->csv)));
  return TRUE;
}

/* Each interchange file is a table of its columns: what the header must
 * have, how a value is read and where it goes in the file's row, and a
 * function that checks what the columns alone cannot and keeps the row.
 * The rows own their strings. */

typedef enum {
  COLUMN_TEXT,    /* char *, NULL when empty */
  COLUMN_TIME,    /* gint64 in the store's zone, LD_TIME_NONE when empty */
  COLUMN_INT,     /* int from min to max, if_empty when empty */
  COLUMN_PLACE,   /* this column and "lon": doubles on the earth, NAN when empty */
} ColumnKind;

/* A row without a required value is refused: without a text, with the
 * file's own message and before any column is read; without a time, as
 * "NAME is empty" in the column's turn. */
typedef enum {
  COLUMN_IN_HEADER = 1 << 0,  /* a file without the column is refused whole */
  COLUMN_REQUIRED  = 1 << 1,
} ColumnFlags;

typedef struct {
  const char  *name;
  ColumnKind   kind;
  ColumnFlags  flags;
  gsize        offset;        /* of the value in the row; of lat for a place */
  gsize        lon_offset;    /* of lon, for a place */
  int          min, max;      /* of an int */
  int          if_empty;      /* of an int */
} Column;

/* Takes @row, read from the file's current line, and frees it; @ok says
 * whether every column read well, @data is what the file's reader was
 * given. FALSE only when the store itself fails. */
typedef gboolean (*TakeRow) (Import   *im,
                             gpointer  row,
                             gboolean  ok,
                             gpointer  data,
                             GError  **error);

typedef struct {
  const char   *name;
  const Column *columns;
  guint         n_columns;
  const char   *missing;      /* the problem of a row without a required text */
  gsize         row_size;
  TakeRow       take;
} CsvFile;

#define TEXT(name, type, field, flags) \
  { name, COLUMN_TEXT, flags, G_STRUCT_OFFSET (type, field), 0, 0, 0, 0 }
#define TIME(name, type, field, flags) \
  { name, COLUMN_TIME, flags, G_STRUCT_OFFSET (type, field), 0, 0, 0, 0 }
#define INT(name, type, field, flags, min, max) \
  { name, COLUMN_INT, flags, G_STRUCT_OFFSET (type, field), 0, min, max, 0 }
#define PLACE(type) \
  { "lat", COLUMN_PLACE, 0, G_STRUCT_OFFSET (type, lat), G_STRUCT_OFFSET (type, lon), 0, 0, 0 }
#define LIMITS(type) \
  INT ("sign_limit_s", type, limits.sign_s, 0, 0, 30 * 86400), \
  INT ("arrive_limit_s", type, limits.arrive_s, 0, 0, 30 * 86400), \
  INT ("feedback_limit_s", type, limits.feedback_s, 0, 0, 30 * 86400), \
  INT ("result_limit_s", type, limits.result_s, 0, 0, 30 * 86400)
#define CSV_FILE(name, columns, missing, type, take) \
  { name, columns, G_N_ELEMENTS (columns), missing, sizeof (type), take }

/* Opens @file in @dir; NULL without error when the file is absent. */
static LdCsvReader *
open_csv (Import *im, const char *dir, const CsvFile *file)
{
  g_autofree char *path = g_build_filename (dir, file->name, NULL);
  g_autofree const char **required = g_new0 (const char *, file->n_columns + 1);
  g_autoptr(LdCsvReader) csv = NULL;
  g_autoptr(GError) local_error = NULL;
  guint n_required = 0;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  for (guint i = 0; i < file->n_columns; i++)
    if (file->columns[i].flags & COLUMN_IN_HEADER)
      required[n_required++] = file->columns[i].name;
  csv = ld_csv_reader_new_for_path (path, &local_error);
  if (csv == NULL || !ld_csv_reader_require_columns (csv, required, &local_error))
    {
      im->n_problems++;
      g_ptr_array_add (im->problems, g_strdup (local_error->message));
      return NULL;
    }
  return g_steal_pointer (&csv);
}

/* Where a file's columns are in its header: -1 for one it lacks. */
typedef struct {
  int value;
  int lon;      /* of a place */
} ColumnAt;

static gboolean
has_required_texts (Import *im, const CsvFile *file, const ColumnAt *at)
{
  for (guint i = 0; i < file->n_columns; i++)
    if (file->columns[i].kind == COLUMN_TEXT && (file->columns[i].flags & COLUMN_REQUIRED) &&
        field (im, at[i].value) == NULL)
      return FALSE;
  return TRUE;
}

/* Reads every column of the current line into @row, each bad value a
 * problem; FALSE if there was one. */
static gboolean
read_columns (Import *im, const CsvFile *file, const ColumnAt *at, gpointer row)
{
  gboolean ok = TRUE;

  for (guint i = 0; i < file->n_columns; i++)
    {
      const Column *column = &file->columns[i];

      switch (column->kind)
        {
        case COLUMN_TEXT:
          G_STRUCT_MEMBER (char *, row, column->offset) = g_strdup (field (im, at[i].value));
          break;
        case COLUMN_TIME:
          ok &= parse_time (im, at[i].value, column->name, (column->flags & COLUMN_REQUIRED) != 0,
                            G_STRUCT_MEMBER_P (row, column->offset));
          break;
        case COLUMN_INT:
          ok &= parse_int (im, at[i].value, column->name, column->min, column->max,
                           G_STRUCT_MEMBER_P (row, column->offset));
          if (field (im, at[i].value) == NULL)
            G_STRUCT_MEMBER (int, row, column->offset) = column->if_empty;
          break;
        case COLUMN_PLACE:
          ok &= parse_place (im, at[i].value, at[i].lon, G_STRUCT_MEMBER_P (row, column->offset),
                             G_STRUCT_MEMBER_P (row, column->lon_offset));
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return ok;
}

/* Reads @file from @dir, if it is there, and gives each row to its take
 * function; FALSE only when the store itself fails. */
static gboolean
import_file (Import *im, const char *dir, const CsvFile *file, gpointer data, GError **error)
{
  g_autoptr(LdCsvReader) csv = open_csv (im, dir, file);
  g_autofree ColumnAt *at = NULL;

  if (csv == NULL)
    return TRUE;
  im->csv = csv;
  im->file = file->name;
  at = g_new (ColumnAt, file->n_columns);
  for (guint i = 0; i < file->n_columns; i++)
    {
      at[i].value = ld_csv_reader_column (csv, file->columns[i].name);
      at[i].lon = file->columns[i].kind == COLUMN_PLACE ? ld_csv_reader_column (csv, "lon") : -1;
    }

  while (next_row (im))
    {
      gpointer row;
      gboolean ok;

      if (!has_required_texts (im, file, at))
        {
          problem (im, "%s", _(file->missing));
          continue;
        }
      row = g_malloc0 (file->row_size);
      ok = read_columns (im, file, at, row);
      if (!file->take (im, row, ok, data, error))
        return FALSE;
    }
  return TRUE;
}

typedef struct {
  GPtrArray  *regions;  /* of LdRegion, in the file's order */
  GHashTable *lines;    /* LdRegion → its line */
  GHashTable *seen;
} PendingRegions;

static gboolean
take_region (Import *im, gpointer row, gboolean ok, gpointer data, GError **error)
{
  PendingRegions *pending = data;
  g_autoptr(LdRegion) region = row;

  if (!first_in_file (im, pending->seen, region->code))
    return TRUE;
  g_hash_table_insert (pending->lines, region, GUINT_TO_POINTER (ld_csv_reader_get_line (im->csv)));
  g_ptr_array_add (pending->regions, g_steal_pointer (&region));
  return TRUE;
}

static const Column region_columns[] = {
  TEXT ("code", LdRegion, code, COLUMN_IN_HEADER | COLUMN_REQUIRED),
  TEXT ("name", LdRegion, name, COLUMN_IN_HEADER | COLUMN_REQUIRED),
  TEXT ("parent_code", LdRegion, parent_code, 0),
};

static const CsvFile regions_csv =
  CSV_FILE ("regions.csv", region_columns, N_("a region needs a code and a name"), LdRegion, take_region);

static void
import_regions (Import *im, const char *dir)
{
  g_autoptr(GPtrArray) regions = g_ptr_array_new_with_free_func ((GDestroyNotify) ld_region_free);
  g_autoptr(GHashTable) lines = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  PendingRegions pending = { regions, lines, seen };
  gboolean progress = TRUE;

  import_file (im, dir, &regions_csv, &pending, NULL);

  /* Parents may come after their children in the file. */
  while (regions->len > 0 && progress)
    {
      progress = FALSE;
      for (guint i = 0; i < regions->len; )
        {
          LdRegion *r = g_ptr_array_index (regions, i);
          g_autoptr(LdRegion) parent = NULL;
          g_autoptr(GError) local_error = NULL;

          if (r->parent_code && (parent = ld_store_get_region (im->store, r->parent_code, NULL)) == NULL)
            {
              i++;
              continue;
            }
          if (!ld_store_put_region (im->store, r, NULL, &local_error))
            {
              g_ptr_array_add (im->problems, g_strdup_printf ("regions.csv:%u: %s",
                               GPOINTER_TO_UINT (g_hash_table_lookup (lines, r)), local_error->message));
              im->n_problems++;
            }
          else
            im->counts->regions++;
          g_ptr_array_remove_index (regions, i);
          progress = TRUE;
        }
    }
  for (guint i = 0; i < regions->len; i++)
    {
      LdRegion *r = g_ptr_array_index (regions, i);
      im->n_problems++;
      g_ptr_array_add (im->problems, g_strdup_printf (_("regions.csv:%u: unknown parent_code %s"),
                       GPOINTER_TO_UINT (g_hash_table_lookup (lines, r)), r->parent_code));
    }
}

static void
import_boundaries (Import *im, const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "regions.geojson", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return;
  if (!g_file_get_contents (path, &text, &length, &error) ||
      (features = ld_geo_read_features (text, length, im->gcj02 ? LD_DATUM_GCJ02 : LD_DATUM_AUTO, &error)) == NULL)
    {
      im->n_problems++;
      g_ptr_array_add (im->problems, g_strdup_printf ("regions.geojson: %s", error->message));
      return;
    }
  for (guint i = 0; i < features->len; i++)
    {
      LdGeoFeature *f = g_ptr_array_index (features, i);
      g_autoptr(LdRegion) region = ld_store_get_region (im->store, f->code, NULL);

      if (region == NULL)
        {
          im->n_problems++;
          g_ptr_array_add (im->problems, g_strdup_printf (_("regions.geojson: feature %u: unknown region %s"),
                                                          i, f->code));
          continue;
        }
      if (!ld_store_put_region (im->store, region, f->boundary, &error))
        {
          im->n_problems++;
          g_ptr_array_add (im->problems, g_strdup_printf ("regions.geojson: feature %u: %s", i, error->message));
          g_clear_error (&error);
          continue;
        }
      im->counts->boundaries++;
    }
}

/* A unit's status is read here, not by the table: the record keeps it as
 * a flag, and it is checked only once the rest of the row read well. */
static gboolean
take_unit (Import *im, gpointer row, gboolean ok, gpointer seen, GError **error)
{
  g_autoptr(LdUnit) u = row;
  g_autoptr(GError) local_error = NULL;
  const char *status = field (im, ld_csv_reader_column (im->csv, "status"));

  if (!ok)
    return TRUE;
  if (status && !g_str_equal (status, "active") && !g_str_equal (status, "inactive"))
    {
      problem (im, _("status must be active or inactive, not “%s”"), status);
      return TRUE;
    }
  u->inactive = g_strcmp0 (status, "inactive") == 0;
  if (u->code && !first_in_file (im, seen, u->code))
    return TRUE;
  if (!ld_store_put_unit (im->store, u, &local_error))
    problem_from_error (im, local_error);
  else
    im->counts->units++;
  return TRUE;
}

static const Column unit_columns[] = {
  TEXT ("code", LdUnit, code, COLUMN_IN_HEADER),
  TEXT ("name", LdUnit, name, COLUMN_IN_HEADER),
  INT ("tier", LdUnit, tier, COLUMN_IN_HEADER, 1, 3),
  TEXT ("category", LdUnit, category, COLUMN_IN_HEADER),
  TEXT ("region_code", LdUnit, region_code, 0),
  TEXT ("phone", LdUnit, phone, 0),
  PLACE (LdUnit),
  LIMITS (LdUnit),
};

static const CsvFile units_csv = CSV_FILE ("units.csv", unit_columns, NULL, LdUnit, take_unit);

static gboolean
take_category (Import *im, gpointer row, gboolean ok, gpointer seen, GError **error)
{
  g_autoptr(LdCategory) c = row;
  g_autoptr(GError) local_error = NULL;

  if (!ok || (c->code && !first_in_file (im, seen, c->code)))
    return TRUE;
  if (!ld_store_put_category (im->store, c, &local_error))
    problem_from_error (im, local_error);
  else
    im->counts->categories++;
  return TRUE;
}

static const Column category_columns[] = {
  TEXT ("code", LdCategory, code, COLUMN_IN_HEADER),
  TEXT ("name", LdCategory, name, COLUMN_IN_HEADER),
  TEXT ("mode", LdCategory, mode, COLUMN_IN_HEADER),
  TEXT ("platform", LdCategory, platform, 0),
  TEXT ("unit_categories", LdCategory, unit_categories, 0),
  LIMITS (LdCategory),
};

static const CsvFile categories_csv =
  CSV_FILE ("categories.csv", category_columns, NULL, LdCategory, take_category);

/* A row the store refused: a duplicate key or a broken constraint is the
 * row's problem and the import goes on to list the others; anything else is
 * the store's and ends the import. */
static gboolean
row_refused (Import *im, const GError *local_error, const char *id, GError **error)
{
  if (g_error_matches (local_error, LD_STORE_ERROR, LD_STORE_ERROR_DUPLICATE))
    {
      problem (im, _("duplicate id %s (already in the store)"), id);
      return TRUE;
    }
  if (g_error_matches (local_error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID) ||
      g_error_matches (local_error, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND))
    {
      problem_from_error (im, local_error);
      return TRUE;
    }
  g_propagate_error (error, g_error_copy (local_error));
  return FALSE;
}

static gboolean
region_known (Import *im, const char *code)
{
  return ld_store_region_is_within (im->store, code, code);
}

static gboolean
take_incident (Import *im, gpointer row, gboolean ok, gpointer seen, GError **error)
{
  g_autoptr(LdIncident) inc = row;
  g_autoptr(GError) local_error = NULL;

  if (!ld_source_is_valid (inc->source))
    {
      problem (im, _("source “%s” is not one of 110, 12345, 96345, grid, inspection, other"),
               inc->source ? inc->source : "");
      ok = FALSE;
    }
  if (!ld_kind_is_valid (inc->kind))
    {
      problem (im, _("kind “%s” is not one of police, linkage, diverted"), inc->kind ? inc->kind : "");
      ok = FALSE;
    }
  else if (g_str_equal (inc->kind, "diverted") != ld_platform_is_valid (inc->diverted_to))
    {
      problem (im, _("diverted_to must be 12345, 114, 96345 or governance for a diverted incident, and empty otherwise"));
      ok = FALSE;
    }
  if (inc->region_code && !region_known (im, inc->region_code))
    {
      problem (im, _("unknown region %s"), inc->region_code);
      ok = FALSE;
    }
  if (ok && inc->closed_at && inc->closed_at < inc->received_at)
    {
      problem (im, _("closed_at is before received_at"));
      ok = FALSE;
    }
  if (!first_in_file (im, seen, inc->id) || !ok)
    return TRUE;
  if (inc->region_code == NULL)
    inc->region_code = g_strdup (ld_store_region_for_point (im->store, inc->lat, inc->lon));
  inc->state = g_strdup (g_str_equal (inc->kind, "diverted") ? "diverted" : inc->closed_at ? "closed" : "new");
  if (ld_store_insert_incident (im->store, inc, &local_error))
    im->counts->incidents++;
  else if (!row_refused (im, local_error, inc->id, error))
    return FALSE;
  return TRUE;
}

static const Column incident_columns[] = {
  TEXT ("id", LdIncident, id, COLUMN_IN_HEADER | COLUMN_REQUIRED),
  TIME ("received_at", LdIncident, received_at, COLUMN_IN_HEADER | COLUMN_REQUIRED),
  TEXT ("source", LdIncident, source, COLUMN_IN_HEADER),
  TEXT ("kind", LdIncident, kind, COLUMN_IN_HEADER),
  TEXT ("diverted_to", LdIncident, diverted_to, 0),
  TEXT ("caller_phone", LdIncident, caller_phone, 0),
  TEXT ("address", LdIncident, address, 0),
  TEXT ("region_code", LdIncident, region_code, 0),
  TEXT ("category", LdIncident, category, 0),
  TEXT ("summary", LdIncident, summary, 0),
  TIME ("closed_at", LdIncident, closed_at, 0),
  PLACE (LdIncident),
};

static const CsvFile incidents_csv =
  CSV_FILE ("incidents.csv", incident_columns, N_("id is empty"), LdIncident, take_incident);

/* Each step a row records comes no earlier than the last one recorded
 * before it: a step left out is no one's predecessor. Completed and
 * returned are both there only when the return was overruled, and then the
 * return lies between the steps the unit went on with. */
static gboolean
steps_in_order (Import *im, const LdOrder *o)
{
  const struct { const char *name; gint64 at; } steps[] = {
    { "dispatched_at", o->dispatched_at }, { "signed_at", o->signed_at }, { "arrived_at", o->arrived_at },
    { "completed_at", o->completed_at }, { "returned_at", ld_order_return_stands (o) ? o->returned_at : LD_TIME_NONE },
  };
  guint last = 0;

  for (guint i = 1; i < G_N_ELEMENTS (steps); i++)
    {
      if (steps[i].at == LD_TIME_NONE)
        continue;
      if (steps[i].at < steps[last].at)
        {
          /* Translators: two column names of orders.csv, "arrived_at is before signed_at" */
          problem (im, _("%s is before %s"), steps[i].name, steps[last].name);
          return FALSE;
        }
      last = i;
    }
  return TRUE;
}

typedef struct {
  GHashTable   *seen;
  sqlite3_stmt *lookup;   /* an incident's received_at and category */
} OrderContext;

static gboolean
take_order (Import *im, gpointer row, gboolean ok, gpointer data, GError **error)
{
  OrderContext *context = data;
  g_autoptr(LdOrder) o = row;
  g_autoptr(GError) local_error = NULL;
  gint64 received;

  if (ld_store_lookup_unit (im->store, o->unit_code) == NULL)
    {
      problem (im, _("unknown unit %s"), o->unit_code);
      ok = FALSE;
    }
  if (!first_in_file (im, context->seen, o->id) || !ok)
    return TRUE;

  sqlite3_bind_text (context->lookup, 1, o->incident_id, -1, SQLITE_STATIC);
  if (sqlite3_step (context->lookup) != SQLITE_ROW)
    {
      sqlite3_reset (context->lookup);
      problem (im, _("unknown incident %s"), o->incident_id);
      return TRUE;
    }
  received = sqlite3_column_int64 (context->lookup, 0);
  ld_store_compute_deadlines (im->store, (const char *) sqlite3_column_text (context->lookup, 1),
                              o->unit_code, o);
  sqlite3_reset (context->lookup);

  /* The same rules as the live state machine, read off the times. */
  if (o->dispatched_at < received)
    ok = (problem (im, _("dispatched_at is before the incident was received")), FALSE);
  else if (o->return_ruling && !g_str_equal (o->return_ruling, "accepted") &&
           !g_str_equal (o->return_ruling, "overruled"))
    ok = (problem (im, _("return_ruling is accepted, overruled or empty")), FALSE);
  else if (o->return_ruling && o->returned_at == LD_TIME_NONE)
    ok = (problem (im, _("a return_ruling needs a returned_at")), FALSE);
  else if (o->completed_at && ld_order_return_stands (o))
    ok = (problem (im, _("an order cannot be both completed and returned")), FALSE);
  else if (o->returned_at && o->return_reason == NULL)
    ok = (problem (im, _("a returned order needs a return_reason")), FALSE);
  else
    ok = steps_in_order (im, o);
  if (!ok)
    return TRUE;
  /* Another system may not have recorded every acknowledgement: the
   * order is kept as it was, and the metrics count it as not signed. */
  if (!o->signed_at && (o->arrived_at || o->completed_at))
    warn (im, _("%s without signed_at: imported as not signed"), o->arrived_at ? "arrived_at" : "completed_at");

  o->state = g_strdup (o->completed_at ? "completed" : ld_order_return_stands (o) ? "returned" : o->arrived_at ? "arrived"
                       : o->signed_at ? "signed" : "dispatched");
  /* Feedback comes from its own file: its flag is set after it. */
  o->overdue = ld_order_overdue_at (o, im->now) & ~LD_OVERDUE_FEEDBACK;
  if (ld_store_insert_order (im->store, o, &local_error))
    im->counts->orders++;
  else if (!row_refused (im, local_error, o->id, error))
    return FALSE;
  return TRUE;
}

static const Column order_columns[] = {
  TEXT ("id", LdOrder, id, COLUMN_IN_HEADER | COLUMN_REQUIRED),
  TEXT ("incident_id", LdOrder, incident_id, COLUMN_IN_HEADER | COLUMN_REQUIRED),
  TEXT ("unit_code", LdOrder, unit_code, COLUMN_IN_HEADER | COLUMN_REQUIRED),
  TIME ("dispatched_at", LdOrder, dispatched_at, COLUMN_IN_HEADER | COLUMN_REQUIRED),
  TIME ("signed_at", LdOrder, signed_at, 0),
  TIME ("arrived_at", LdOrder, arrived_at, 0),
  TIME ("completed_at", LdOrder, completed_at, 0),
  TIME ("returned_at", LdOrder, returned_at, 0),
  TEXT ("return_reason", LdOrder, return_reason, 0),
  TEXT ("return_ruling", LdOrder, return_ruling, 0),
};

static const CsvFile orders_csv =
  CSV_FILE ("orders.csv", order_columns, N_("id, incident_id and unit_code are required"), LdOrder, take_order);

static gboolean
import_orders (Import *im, const char *dir, GError **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  OrderContext context = { seen, NULL };
  g_autofree char *path = g_build_filename (dir, orders_csv.name, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  context.lookup = ld_store_prepare (im->store, "SELECT received_at, category FROM incident WHERE id = ?", error);
  return context.lookup != NULL && import_file (im, dir, &orders_csv, &context, error);
}

/* The store refused a feedback row; say which rule it broke. */
static void
explain_refused_feedback (Import *im, const char *order_id, gint64 at)
{
  g_autoptr(LdOrder) order = ld_store_get_order (im->store, order_id, NULL);

  if (order == NULL)
    problem (im, _("unknown order %s"), order_id);
  else if (order->signed_at == LD_TIME_NONE || at < order->signed_at)
    problem (im, _("feedback comes after the order is signed"));
  else
    problem (im, _("feedback after the order was returned"));
}

typedef struct {
  char   *order_id;
  gint64  at;
  char   *kind;
  char   *text;
} FeedbackRow;

static void
feedback_row_free (FeedbackRow *row)
{
  g_free (row->order_id);
  g_free (row->kind);
  g_free (row->text);
  g_free (row);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FeedbackRow, feedback_row_free)

static gboolean
take_feedback (Import *im, gpointer row_data, gboolean ok, gpointer data, GError **error)
{
  g_autoptr(FeedbackRow) row = row_data;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *id = NULL;

  if (!ok)
    return TRUE;
  if (!ld_feedback_kind_is_valid (row->kind))
    {
      problem (im, _("kind “%s” is not one of arrival, progress, result"), row->kind ? row->kind : "");
      return TRUE;
    }
  id = ld_id_new (row->at);
  if (ld_store_insert_feedback (im->store, id, row->order_id, row->at, row->kind, row->text, &local_error))
    {
      im->counts->feedback++;
      return TRUE;
    }
  if (!g_error_matches (local_error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  explain_refused_feedback (im, row->order_id, row->at);
  return TRUE;
}

static const Column feedback_columns[] = {
  TEXT ("order_id", FeedbackRow, order_id, COLUMN_IN_HEADER | COLUMN_REQUIRED),
  TIME ("at", FeedbackRow, at, COLUMN_IN_HEADER | COLUMN_REQUIRED),
  TEXT ("kind", FeedbackRow, kind, COLUMN_IN_HEADER),
  TEXT ("text", FeedbackRow, text, 0),
};

static const CsvFile feedback_csv =
  CSV_FILE ("feedback.csv", feedback_columns, N_("order_id is empty"), FeedbackRow, take_feedback);

static gboolean
take_drill (Import *im, gpointer row, gboolean ok, gpointer seen, GError **error)
{
  g_autoptr(LdDrill) d = row;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *id = NULL;

  if (d->region_code && !region_known (im, d->region_code))
    ok = (problem (im, _("unknown region %s"), d->region_code), FALSE);
  if (!first_in_file (im, seen, d->id) || !ok)
    return TRUE;
  id = ld_store_add_drill (im->store, d, &import_actor, &local_error);
  if (id == NULL)
    {
      if (g_error_matches (local_error, LD_STORE_ERROR, LD_STORE_ERROR_DUPLICATE))
        problem (im, _("duplicate id %s (already in the store)"), d->id);
      else
        problem_from_error (im, local_error);
    }
  else
    im->counts->drills++;
  return TRUE;
}

static const Column drill_columns[] = {
  TEXT ("id", LdDrill, id, COLUMN_IN_HEADER | COLUMN_REQUIRED),
  TIME ("held_at", LdDrill, held_at, COLUMN_IN_HEADER | COLUMN_REQUIRED),
  TEXT ("region_code", LdDrill, region_code, 0),
  TEXT ("location", LdDrill, location, 0),
  TEXT ("scenario", LdDrill, scenario, 0),
  PLACE (LdDrill),
};

static const CsvFile drills_csv = CSV_FILE ("drills.csv", drill_columns, N_("id is empty"), LdDrill, take_drill);

static gboolean
take_drill_unit (Import *im, gpointer row, gboolean ok, gpointer seen, GError **error)
{
  g_autoptr(LdDrillUnit) du = row;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *key = g_strconcat (du->drill_id, " ", du->unit_code, NULL);

  if (!first_in_file (im, seen, key) || !ok)
    return TRUE;
  if (!ld_store_put_drill_unit (im->store, du, &import_actor, &local_error))
    problem_from_error (im, local_error);
  else
    im->counts->drill_units++;
  return TRUE;
}

static const Column drill_unit_columns[] = {
  TEXT ("drill_id", LdDrillUnit, drill_id, COLUMN_IN_HEADER | COLUMN_REQUIRED),
  TEXT ("unit_code", LdDrillUnit, unit_code, COLUMN_IN_HEADER | COLUMN_REQUIRED),
  TIME ("alarm_at", LdDrillUnit, alarm_at, 0),
  TIME ("arrived_at", LdDrillUnit, arrived_at, 0),
  INT ("limit_s", LdDrillUnit, limit_s, 0, 0, 86400),
  TEXT ("note", LdDrillUnit, note, 0),
};

static const CsvFile drill_units_csv =
  CSV_FILE ("drill_units.csv", drill_unit_columns, N_("drill_id and unit_code are required"), LdDrillUnit,
            take_drill_unit);

/* The daily roll call of the units' duty liaisons (seed 000, 二、点名报备). */
typedef struct {
  char   *id;
  gint64  at;
  char   *unit_code;
  int     answered;
  int     answer_s;   /* -1: not answered in time to say */
  char   *note;
} RollCallRow;

static void
roll_call_row_free (RollCallRow *row)
{
  g_free (row->id);
  g_free (row->unit_code);
  g_free (row->note);
  g_free (row);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RollCallRow, roll_call_row_free)

typedef struct {
  GHashTable   *seen;
  sqlite3_stmt *insert;
} RollCallContext;

static gboolean
take_roll_call (Import *im, gpointer row_data, gboolean ok, gpointer data, GError **error)
{
  RollCallContext *context = data;
  g_autoptr(RollCallRow) row = row_data;
  sqlite3_stmt *insert = context->insert;

  if (ld_store_lookup_unit (im->store, row->unit_code) == NULL)
    ok = (problem (im, _("unknown unit %s"), row->unit_code), FALSE);
  if (!first_in_file (im, context->seen, row->id) || !ok)
    return TRUE;
  sqlite3_bind_text (insert, 1, row->id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 2, row->at);
  sqlite3_bind_text (insert, 3, row->unit_code, -1, SQLITE_STATIC);
  sqlite3_bind_int (insert, 4, row->answered);
  if (row->answer_s >= 0)
    sqlite3_bind_int (insert, 5, row->answer_s);
  else
    sqlite3_bind_null (insert, 5);
  ld_bind_text (insert, 6, row->note);
  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (ld_store_get_handle (im->store)) == SQLITE_CONSTRAINT_PRIMARYKEY)
        problem (im, _("duplicate id %s (already in the store)"), row->id);
      else
        problem (im, "%s", sqlite3_errmsg (ld_store_get_handle (im->store)));
    }
  else
    im->counts->roll_calls++;
  sqlite3_reset (insert);
  return TRUE;
}

static const Column roll_call_columns[] = {
  TEXT ("id", RollCallRow, id, COLUMN_IN_HEADER | COLUMN_REQUIRED),
  TIME ("at", RollCallRow, at, COLUMN_IN_HEADER | COLUMN_REQUIRED),
  TEXT ("unit_code", RollCallRow, unit_code, COLUMN_IN_HEADER | COLUMN_REQUIRED),
  INT ("answered", RollCallRow, answered, COLUMN_IN_HEADER, 0, 1),
  { "answer_s", COLUMN_INT, 0, G_STRUCT_OFFSET (RollCallRow, answer_s), 0, 0, 86400, -1 },
  TEXT ("note", RollCallRow, note, 0),
};

static const CsvFile roll_calls_csv =
  CSV_FILE ("roll_calls.csv", roll_call_columns, N_("id and unit_code are required"), RollCallRow, take_roll_call);

static gboolean
import_roll_calls (Import *im, const char *dir, GError **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  RollCallContext context = { seen, NULL };
  g_autofree char *path = g_build_filename (dir, roll_calls_csv.name, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  context.insert = ld_store_prepare (im->store,
    "INSERT INTO roll_call (id, at, unit_code, answered, answer_s, note) VALUES (?, ?, ?, ?, ?, ?)", error);
  return context.insert != NULL && import_file (im, dir, &roll_calls_csv, &context, error);
}

/* The files without a context of their own: their rows are unique by a
 * key within the file. */
static gboolean
import_keyed (Import *im, const char *dir, const CsvFile *file, GError **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return import_file (im, dir, file, seen, error);
}

guint
ld_import_counts_total (const LdImportCounts *c)
{
  return c->regions + c->boundaries + c->units + c->categories + c->incidents + c->orders +
         c->feedback + c->drills + c->drill_units + c->roll_calls;
}

static gboolean
finish (Import *im, gint64 first_incident_rowid, gint64 first_order_rowid, GError **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *summary = NULL;

  if (!ld_store_queue_phones_since (im->store, first_incident_rowid, error) ||
      !ld_store_relink_repeats (im->store, error))
    return FALSE;

  stmt = ld_store_prepare (im->store,
    "UPDATE orders SET overdue = overdue | 4 WHERE rowid >= ?1"
    " AND first_feedback_at IS NULL AND feedback_due < ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first_order_rowid);
  sqlite3_bind_int64 (stmt, 2, im->now);
  if (!ld_store_step_done (im->store, stmt, error))
    return FALSE;

  summary = g_strdup_printf ("{\"regions\":%u,\"boundaries\":%u,\"units\":%u,\"categories\":%u,"
                             "\"incidents\":%u,\"orders\":%u,\"feedback\":%u,\"drills\":%u,"
                             "\"drill_units\":%u,\"roll_calls\":%u}",
                             im->counts->regions, im->counts->boundaries, im->counts->units,
                             im->counts->categories, im->counts->incidents, im->counts->orders,
                             im->counts->feedback, im->counts->drills, im->counts->drill_units,
                             im->counts->roll_calls);
  return ld_store_record_event (im->store, &import_actor, im->now, "import", "csv", "import", summary, error);
}

gboolean
ld_import_dir (LdStore *store, const char *dir, gboolean gcj02, LdImportCounts *counts,
               GPtrArray *problems, GError **error)
{
  return ld_import_dir_full (store, dir, gcj02 ? LD_IMPORT_GCJ02 : 0, counts, problems, NULL, error);
}

/* Lists past MAX_LISTED end with how many more there were. */
static void
add_more (GPtrArray *list, guint n)
{
  if (n > MAX_LISTED)
    g_ptr_array_add (list, g_strdup_printf (_("… and %u more"), n - MAX_LISTED));
}

gboolean
ld_import_dir_full (LdStore *store, const char *dir, LdImportFlags flags, LdImportCounts *counts,
                    GPtrArray *problems, GPtrArray *warnings, GError **error)
{
  static const char *files[] = {
    "regions.csv", "regions.geojson", "units.csv", "categories.csv", "incidents.csv",
    "orders.csv", "feedback.csv", "drills.csv", "drill_units.csv", "roll_calls.csv",
  };
  Import im = { 0, };
  LdImportCounts local_counts = { 0, };
  gboolean any = FALSE;
  gint64 first_incident_rowid, first_order_rowid;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      any |= g_file_test (path, G_FILE_TEST_EXISTS);
    }
  if (!any)
    {
      g_set_error (error, LD_IMPORT_ERROR, LD_IMPORT_ERROR_NO_FILES,
                   _("%s holds none of regions.csv, units.csv, categories.csv, incidents.csv, orders.csv, feedback.csv, drills.csv, drill_units.csv, roll_calls.csv"),
                   dir);
      return FALSE;
    }

  im.store = store;
  im.tz = ld_store_get_time_zone (store);
  im.gcj02 = (flags & LD_IMPORT_GCJ02) != 0;
  im.now = ld_time_now ();
  im.counts = counts ? counts : &local_counts;
  im.problems = problems ? g_ptr_array_ref (problems) : g_ptr_array_new_with_free_func (g_free);
  im.warnings = warnings ? g_ptr_array_ref (warnings) : g_ptr_array_new_with_free_func (g_free);
  memset (im.counts, 0, sizeof *im.counts);

  /* A year of rows dirties more pages than the everyday cache holds;
   * spilling them mid-transaction costs a write each. */
  ld_store_set_cache_mb (store, 512);
  if (!ld_store_begin (store, error))
    goto fail_early;
  /* Read inside the transaction: a row another writer adds before it
   * would be indexed twice for search. */
  first_incident_rowid = ld_store_next_rowid (store, "incident");
  first_order_rowid = ld_store_next_rowid (store, "orders");

  /* Each step stops only on a failure of the store itself; bad rows are
   * collected so one run reports all of them. */
  import_regions (&im, dir);
  import_boundaries (&im, dir);
  import_keyed (&im, dir, &units_csv, NULL);
  import_keyed (&im, dir, &categories_csv, NULL);
  if (!ld_store_pause_search_index (store, error) ||
      !import_keyed (&im, dir, &incidents_csv, error) ||
      !ld_store_resume_search_index (store, first_incident_rowid, error) ||
      !import_orders (&im, dir, error) ||
      !import_file (&im, dir, &feedback_csv, NULL, error))
    goto fail;
  import_keyed (&im, dir, &drills_csv, NULL);
  import_keyed (&im, dir, &drill_units_csv, NULL);
  if (!import_roll_calls (&im, dir, error))
    goto fail;

  add_more (im.warnings, im.n_warnings);
  if (im.n_problems > 0)
    {
      add_more (im.problems, im.n_problems);
      g_set_error (error, LD_IMPORT_ERROR, LD_IMPORT_ERROR_BAD_ROWS,
                   g_dngettext (GETTEXT_PACKAGE, "%u bad row: nothing was imported",
                                "%u bad rows: nothing was imported", im.n_problems),
                   im.n_problems);
      goto fail;
    }
  if (!finish (&im, first_incident_rowid, first_order_rowid, error))
    goto fail;
  /* A dry run has done all an import does but the commit. */
  if (flags & LD_IMPORT_DRY_RUN)
    ld_store_rollback (store);
  else if (!ld_store_commit (store, error))
    goto fail_early;
  ld_store_set_cache_mb (store, 0);
  g_ptr_array_unref (im.problems);
  g_ptr_array_unref (im.warnings);
  return TRUE;

fail:
  ld_store_rollback (store);
fail_early:
  memset (im.counts, 0, sizeof *im.counts);
  ld_store_set_cache_mb (store, 0);
  g_ptr_array_unref (im.problems);
  g_ptr_array_unref (im.warnings);
  return FALSE;
}
