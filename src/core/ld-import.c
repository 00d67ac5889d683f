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

/* Opens @name in @dir; NULL without error when the file is absent. */
static LdCsvReader *
open_csv (Import *im, const char *dir, const char *name, const char * const *required)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(LdCsvReader) csv = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  csv = ld_csv_reader_new_for_path (path, &local_error);
  if (csv == NULL || !ld_csv_reader_require_columns (csv, required, &local_error))
    {
      im->n_problems++;
      g_ptr_array_add (im->problems, g_strdup (local_error->message));
      return NULL;
    }
  return g_steal_pointer (&csv);
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

#define COLUMNS(...) ((const char * const[]) { __VA_ARGS__, NULL })

static void
import_regions (Import *im, const char *dir)
{
  g_autoptr(LdCsvReader) csv = open_csv (im, dir, "regions.csv", COLUMNS ("code", "name"));
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func ((GDestroyNotify) ld_region_free);
  g_autoptr(GHashTable) lines = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int c_code, c_name, c_parent;
  gboolean progress = TRUE;

  if (csv == NULL)
    return;
  im->csv = csv;
  im->file = "regions.csv";
  c_code = ld_csv_reader_column (csv, "code");
  c_name = ld_csv_reader_column (csv, "name");
  c_parent = ld_csv_reader_column (csv, "parent_code");
  while (next_row (im))
    {
      LdRegion *r;

      if (field (im, c_code) == NULL || field (im, c_name) == NULL)
        {
          problem (im, _("a region needs a code and a name"));
          continue;
        }
      if (!first_in_file (im, seen, field (im, c_code)))
        continue;
      r = g_new0 (LdRegion, 1);
      r->code = g_strdup (field (im, c_code));
      r->name = g_strdup (field (im, c_name));
      r->parent_code = g_strdup (field (im, c_parent));
      g_hash_table_insert (lines, r, GUINT_TO_POINTER (ld_csv_reader_get_line (csv)));
      g_ptr_array_add (pending, r);
    }

  /* Parents may come after their children in the file. */
  while (pending->len > 0 && progress)
    {
      progress = FALSE;
      for (guint i = 0; i < pending->len; )
        {
          LdRegion *r = g_ptr_array_index (pending, i);
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
          g_ptr_array_remove_index (pending, i);
          progress = TRUE;
        }
    }
  for (guint i = 0; i < pending->len; i++)
    {
      LdRegion *r = g_ptr_array_index (pending, i);
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

static void
import_units (Import *im, const char *dir)
{
  g_autoptr(LdCsvReader) csv = open_csv (im, dir, "units.csv", COLUMNS ("code", "name", "tier", "category"));
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int c_code, c_name, c_tier, c_cat, c_region, c_phone, c_lat, c_lon, c_status, c_limits[4];
  static const char *limit_names[] = { "sign_limit_s", "arrive_limit_s", "feedback_limit_s", "result_limit_s" };

  if (csv == NULL)
    return;
  im->csv = csv;
  im->file = "units.csv";
  c_code = ld_csv_reader_column (csv, "code");
  c_name = ld_csv_reader_column (csv, "name");
  c_tier = ld_csv_reader_column (csv, "tier");
  c_cat = ld_csv_reader_column (csv, "category");
  c_region = ld_csv_reader_column (csv, "region_code");
  c_phone = ld_csv_reader_column (csv, "phone");
  c_lat = ld_csv_reader_column (csv, "lat");
  c_lon = ld_csv_reader_column (csv, "lon");
  c_status = ld_csv_reader_column (csv, "status");
  for (guint i = 0; i < 4; i++)
    c_limits[i] = ld_csv_reader_column (csv, limit_names[i]);

  while (next_row (im))
    {
      LdUnit u = { 0, };
      int limits[4];
      g_autoptr(GError) local_error = NULL;
      gboolean ok = TRUE;

      u.code = (char *) field (im, c_code);
      u.name = (char *) field (im, c_name);
      u.category = (char *) field (im, c_cat);
      u.region_code = (char *) field (im, c_region);
      u.phone = (char *) field (im, c_phone);
      ok &= parse_int (im, c_tier, "tier", 1, 3, &u.tier);
      ok &= parse_place (im, c_lat, c_lon, &u.lat, &u.lon);
      for (guint i = 0; i < 4; i++)
        ok &= parse_int (im, c_limits[i], limit_names[i], 0, 30 * 86400, &limits[i]);
      if (!ok)
        continue;
      u.limits = (LdLimits) { limits[0], limits[1], limits[2], limits[3] };
      if (field (im, c_status) && !g_str_equal (field (im, c_status), "active") &&
          !g_str_equal (field (im, c_status), "inactive"))
        {
          problem (im, _("status must be active or inactive, not “%s”"), field (im, c_status));
          continue;
        }
      u.inactive = g_strcmp0 (field (im, c_status), "inactive") == 0;
      if (u.code && !first_in_file (im, seen, u.code))
        continue;
      if (!ld_store_put_unit (im->store, &u, &local_error))
        problem_from_error (im, local_error);
      else
        im->counts->units++;
    }
}

static void
import_categories (Import *im, const char *dir)
{
  g_autoptr(LdCsvReader) csv = open_csv (im, dir, "categories.csv", COLUMNS ("code", "name", "mode"));
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  static const char *limit_names[] = { "sign_limit_s", "arrive_limit_s", "feedback_limit_s", "result_limit_s" };
  int c_code, c_name, c_mode, c_platform, c_units, c_limits[4];

  if (csv == NULL)
    return;
  im->csv = csv;
  im->file = "categories.csv";
  c_code = ld_csv_reader_column (csv, "code");
  c_name = ld_csv_reader_column (csv, "name");
  c_mode = ld_csv_reader_column (csv, "mode");
  c_platform = ld_csv_reader_column (csv, "platform");
  c_units = ld_csv_reader_column (csv, "unit_categories");
  for (guint i = 0; i < 4; i++)
    c_limits[i] = ld_csv_reader_column (csv, limit_names[i]);

  while (next_row (im))
    {
      LdCategory c = { 0, };
      int limits[4];
      gboolean ok = TRUE;
      g_autoptr(GError) local_error = NULL;

      c.code = (char *) field (im, c_code);
      c.name = (char *) field (im, c_name);
      c.mode = (char *) field (im, c_mode);
      c.platform = (char *) field (im, c_platform);
      c.unit_categories = (char *) field (im, c_units);
      for (guint i = 0; i < 4; i++)
        ok &= parse_int (im, c_limits[i], limit_names[i], 0, 30 * 86400, &limits[i]);
      if (!ok)
        continue;
      c.limits = (LdLimits) { limits[0], limits[1], limits[2], limits[3] };
      if (c.code && !first_in_file (im, seen, c.code))
        continue;
      if (!ld_store_put_category (im->store, &c, &local_error))
        problem_from_error (im, local_error);
      else
        im->counts->categories++;
    }
}

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
import_incidents (Import *im, const char *dir, GError **error)
{
  g_autoptr(LdCsvReader) csv = open_csv (im, dir, "incidents.csv", COLUMNS ("id", "received_at", "source", "kind"));
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int c_id, c_received, c_source, c_kind, c_diverted, c_phone, c_address, c_lat, c_lon,
      c_region, c_category, c_summary, c_closed;

  if (csv == NULL)
    return TRUE;
  im->csv = csv;
  im->file = "incidents.csv";
  c_id = ld_csv_reader_column (csv, "id");
  c_received = ld_csv_reader_column (csv, "received_at");
  c_source = ld_csv_reader_column (csv, "source");
  c_kind = ld_csv_reader_column (csv, "kind");
  c_diverted = ld_csv_reader_column (csv, "diverted_to");
  c_phone = ld_csv_reader_column (csv, "caller_phone");
  c_address = ld_csv_reader_column (csv, "address");
  c_lat = ld_csv_reader_column (csv, "lat");
  c_lon = ld_csv_reader_column (csv, "lon");
  c_region = ld_csv_reader_column (csv, "region_code");
  c_category = ld_csv_reader_column (csv, "category");
  c_summary = ld_csv_reader_column (csv, "summary");
  c_closed = ld_csv_reader_column (csv, "closed_at");

  while (next_row (im))
    {
      const char *id = field (im, c_id);
      const char *source = field (im, c_source);
      const char *kind = field (im, c_kind);
      const char *diverted_to = field (im, c_diverted);
      const char *region = field (im, c_region);
      g_autoptr(GError) local_error = NULL;
      LdIncident row = { 0, };
      gint64 received, closed;
      double lat, lon;
      gboolean ok = TRUE;

      if (id == NULL)
        {
          problem (im, _("id is empty"));
          continue;
        }
      ok &= parse_time (im, c_received, "received_at", TRUE, &received);
      ok &= parse_time (im, c_closed, "closed_at", FALSE, &closed);
      ok &= parse_place (im, c_lat, c_lon, &lat, &lon);
      if (!ld_source_is_valid (source))
        {
          problem (im, _("source “%s” is not one of 110, 12345, 96345, grid, inspection, other"),
                   source ? source : "");
          ok = FALSE;
        }
      if (!ld_kind_is_valid (kind))
        {
          problem (im, _("kind “%s” is not one of police, linkage, diverted"), kind ? kind : "");
          ok = FALSE;
        }
      else if (g_str_equal (kind, "diverted") != ld_platform_is_valid (diverted_to))
        {
          problem (im, _("diverted_to must be 12345, 114, 96345 or governance for a diverted incident, and empty otherwise"));
          ok = FALSE;
        }
      if (region && !region_known (im, region))
        {
          problem (im, _("unknown region %s"), region);
          ok = FALSE;
        }
      if (ok && closed && closed < received)
        {
          problem (im, _("closed_at is before received_at"));
          ok = FALSE;
        }
      if (!first_in_file (im, seen, id) || !ok)
        continue;
      if (region == NULL)
        region = ld_store_region_for_point (im->store, lat, lon);

      row.id = (char *) id;
      row.received_at = received;
      row.source = (char *) source;
      row.kind = (char *) kind;
      row.diverted_to = (char *) diverted_to;
      row.caller_phone = (char *) field (im, c_phone);
      row.address = (char *) field (im, c_address);
      row.lat = lat;
      row.lon = lon;
      row.region_code = (char *) region;
      row.category = (char *) field (im, c_category);
      row.summary = (char *) field (im, c_summary);
      row.state = g_str_equal (kind, "diverted") ? "diverted" : closed ? "closed" : "new";
      row.closed_at = closed;
      if (ld_store_insert_incident (im->store, &row, &local_error))
        im->counts->incidents++;
      else if (!row_refused (im, local_error, id, error))
        return FALSE;
    }
  return TRUE;
}

/* Each step a row records comes no earlier than the last one recorded
 * before it: a step left out is no one's predecessor. Completed and
 * returned are never both there, so each follows the first three. */
static gboolean
steps_in_order (Import *im, const LdOrder *o)
{
  const struct { const char *name; gint64 at; } steps[] = {
    { "dispatched_at", o->dispatched_at }, { "signed_at", o->signed_at }, { "arrived_at", o->arrived_at },
    { "completed_at", o->completed_at }, { "returned_at", o->returned_at },
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

static gboolean
import_orders (Import *im, const char *dir, GError **error)
{
  g_autoptr(LdCsvReader) csv = open_csv (im, dir, "orders.csv", COLUMNS ("id", "incident_id", "unit_code", "dispatched_at"));
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int c_id, c_incident, c_unit, c_dispatched, c_signed, c_arrived, c_completed, c_returned, c_reason;
  sqlite3_stmt *lookup;

  if (csv == NULL)
    return TRUE;
  im->csv = csv;
  im->file = "orders.csv";
  c_id = ld_csv_reader_column (csv, "id");
  c_incident = ld_csv_reader_column (csv, "incident_id");
  c_unit = ld_csv_reader_column (csv, "unit_code");
  c_dispatched = ld_csv_reader_column (csv, "dispatched_at");
  c_signed = ld_csv_reader_column (csv, "signed_at");
  c_arrived = ld_csv_reader_column (csv, "arrived_at");
  c_completed = ld_csv_reader_column (csv, "completed_at");
  c_returned = ld_csv_reader_column (csv, "returned_at");
  c_reason = ld_csv_reader_column (csv, "return_reason");

  lookup = ld_store_prepare (im->store, "SELECT received_at, category FROM incident WHERE id = ?", error);
  if (lookup == NULL)
    return FALSE;
  while (next_row (im))
    {
      LdOrder o = { 0, };
      g_autoptr(GError) local_error = NULL;
      const char *reason = field (im, c_reason);
      gint64 received;
      gboolean ok = TRUE;

      o.id = (char *) field (im, c_id);
      o.incident_id = (char *) field (im, c_incident);
      o.unit_code = (char *) field (im, c_unit);
      if (o.id == NULL || o.incident_id == NULL || o.unit_code == NULL)
        {
          problem (im, _("id, incident_id and unit_code are required"));
          continue;
        }
      ok &= parse_time (im, c_dispatched, "dispatched_at", TRUE, &o.dispatched_at);
      ok &= parse_time (im, c_signed, "signed_at", FALSE, &o.signed_at);
      ok &= parse_time (im, c_arrived, "arrived_at", FALSE, &o.arrived_at);
      ok &= parse_time (im, c_completed, "completed_at", FALSE, &o.completed_at);
      ok &= parse_time (im, c_returned, "returned_at", FALSE, &o.returned_at);
      if (ld_store_lookup_unit (im->store, o.unit_code) == NULL)
        {
          problem (im, _("unknown unit %s"), o.unit_code);
          ok = FALSE;
        }
      if (!first_in_file (im, seen, o.id) || !ok)
        continue;

      sqlite3_bind_text (lookup, 1, o.incident_id, -1, SQLITE_STATIC);
      if (sqlite3_step (lookup) != SQLITE_ROW)
        {
          sqlite3_reset (lookup);
          problem (im, _("unknown incident %s"), o.incident_id);
          continue;
        }
      received = sqlite3_column_int64 (lookup, 0);
      ld_store_compute_deadlines (im->store, (const char *) sqlite3_column_text (lookup, 1),
                                  o.unit_code, &o);
      sqlite3_reset (lookup);

      /* The same rules as the live state machine, read off the times. */
      if (o.dispatched_at < received)
        ok = (problem (im, _("dispatched_at is before the incident was received")), FALSE);
      else if (o.completed_at && o.returned_at)
        ok = (problem (im, _("an order cannot be both completed and returned")), FALSE);
      else if (o.returned_at && reason == NULL)
        ok = (problem (im, _("a returned order needs a return_reason")), FALSE);
      else
        ok = steps_in_order (im, &o);
      if (!ok)
        continue;
      /* Another system may not have recorded every acknowledgement: the
       * order is kept as it was, and the metrics count it as not signed. */
      if (!o.signed_at && (o.arrived_at || o.completed_at))
        warn (im, _("%s without signed_at: imported as not signed"), o.arrived_at ? "arrived_at" : "completed_at");

      o.state = o.completed_at ? "completed" : o.returned_at ? "returned" : o.arrived_at ? "arrived"
              : o.signed_at ? "signed" : "dispatched";
      /* Feedback comes from its own file: its flag is set after it. */
      o.overdue = ld_order_overdue_at (&o, im->now) & ~LD_OVERDUE_FEEDBACK;

      o.return_reason = (char *) reason;
      if (ld_store_insert_order (im->store, &o, &local_error))
        im->counts->orders++;
      else if (!row_refused (im, local_error, o.id, error))
        return FALSE;
    }
  return TRUE;
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

static gboolean
import_feedback (Import *im, const char *dir, GError **error)
{
  g_autoptr(LdCsvReader) csv = open_csv (im, dir, "feedback.csv", COLUMNS ("order_id", "at", "kind"));
  int c_order, c_at, c_kind, c_text;

  if (csv == NULL)
    return TRUE;
  im->csv = csv;
  im->file = "feedback.csv";
  c_order = ld_csv_reader_column (csv, "order_id");
  c_at = ld_csv_reader_column (csv, "at");
  c_kind = ld_csv_reader_column (csv, "kind");
  c_text = ld_csv_reader_column (csv, "text");

  while (next_row (im))
    {
      const char *order_id = field (im, c_order);
      const char *kind = field (im, c_kind);
      g_autoptr(GError) local_error = NULL;
      g_autofree char *id = NULL;
      gint64 at;

      if (order_id == NULL)
        {
          problem (im, _("order_id is empty"));
          continue;
        }
      if (!parse_time (im, c_at, "at", TRUE, &at))
        continue;
      if (!ld_feedback_kind_is_valid (kind))
        {
          problem (im, _("kind “%s” is not one of arrival, progress, result"), kind ? kind : "");
          continue;
        }
      id = ld_id_new (at);
      if (ld_store_insert_feedback (im->store, id, order_id, at, kind, field (im, c_text), &local_error))
        {
          im->counts->feedback++;
          continue;
        }
      if (!g_error_matches (local_error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      explain_refused_feedback (im, order_id, at);
    }
  return TRUE;
}

static void
import_drills (Import *im, const char *dir)
{
  g_autoptr(LdCsvReader) csv = open_csv (im, dir, "drills.csv", COLUMNS ("id", "held_at"));
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int c_id, c_held, c_region, c_location, c_scenario, c_lat, c_lon;

  if (csv == NULL)
    return;
  im->csv = csv;
  im->file = "drills.csv";
  c_id = ld_csv_reader_column (csv, "id");
  c_held = ld_csv_reader_column (csv, "held_at");
  c_region = ld_csv_reader_column (csv, "region_code");
  c_location = ld_csv_reader_column (csv, "location");
  c_scenario = ld_csv_reader_column (csv, "scenario");
  c_lat = ld_csv_reader_column (csv, "lat");
  c_lon = ld_csv_reader_column (csv, "lon");

  while (next_row (im))
    {
      LdDrill d = { 0, };
      g_autoptr(GError) local_error = NULL;
      g_autofree char *id = NULL;
      gboolean ok = TRUE;

      d.id = (char *) field (im, c_id);
      d.region_code = (char *) field (im, c_region);
      d.location = (char *) field (im, c_location);
      d.scenario = (char *) field (im, c_scenario);
      if (d.id == NULL)
        {
          problem (im, _("id is empty"));
          continue;
        }
      ok &= parse_time (im, c_held, "held_at", TRUE, &d.held_at);
      ok &= parse_place (im, c_lat, c_lon, &d.lat, &d.lon);
      if (d.region_code && !region_known (im, d.region_code))
        ok = (problem (im, _("unknown region %s"), d.region_code), FALSE);
      if (!first_in_file (im, seen, d.id) || !ok)
        continue;
      id = ld_store_add_drill (im->store, &d, &import_actor, &local_error);
      if (id == NULL)
        {
          if (g_error_matches (local_error, LD_STORE_ERROR, LD_STORE_ERROR_DUPLICATE))
            problem (im, _("duplicate id %s (already in the store)"), d.id);
          else
            problem_from_error (im, local_error);
        }
      else
        im->counts->drills++;
    }
}

static void
import_drill_units (Import *im, const char *dir)
{
  g_autoptr(LdCsvReader) csv = open_csv (im, dir, "drill_units.csv", COLUMNS ("drill_id", "unit_code"));
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int c_drill, c_unit, c_alarm, c_arrived, c_limit, c_note;

  if (csv == NULL)
    return;
  im->csv = csv;
  im->file = "drill_units.csv";
  c_drill = ld_csv_reader_column (csv, "drill_id");
  c_unit = ld_csv_reader_column (csv, "unit_code");
  c_alarm = ld_csv_reader_column (csv, "alarm_at");
  c_arrived = ld_csv_reader_column (csv, "arrived_at");
  c_limit = ld_csv_reader_column (csv, "limit_s");
  c_note = ld_csv_reader_column (csv, "note");

  while (next_row (im))
    {
      LdDrillUnit du = { 0, };
      g_autoptr(GError) local_error = NULL;
      g_autofree char *key = NULL;
      gboolean ok = TRUE;

      du.drill_id = (char *) field (im, c_drill);
      du.unit_code = (char *) field (im, c_unit);
      du.note = (char *) field (im, c_note);
      if (du.drill_id == NULL || du.unit_code == NULL)
        {
          problem (im, _("drill_id and unit_code are required"));
          continue;
        }
      ok &= parse_time (im, c_alarm, "alarm_at", FALSE, &du.alarm_at);
      ok &= parse_time (im, c_arrived, "arrived_at", FALSE, &du.arrived_at);
      ok &= parse_int (im, c_limit, "limit_s", 0, 86400, &du.limit_s);
      key = g_strconcat (du.drill_id, " ", du.unit_code, NULL);
      if (!first_in_file (im, seen, key) || !ok)
        continue;
      if (!ld_store_put_drill_unit (im->store, &du, &import_actor, &local_error))
        problem_from_error (im, local_error);
      else
        im->counts->drill_units++;
    }
}

/* The daily roll call of the units' duty liaisons (seed 000, 二、点名报备). */
static gboolean
import_roll_calls (Import *im, const char *dir, GError **error)
{
  g_autoptr(LdCsvReader) csv = open_csv (im, dir, "roll_calls.csv", COLUMNS ("id", "at", "unit_code", "answered"));
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int c_id, c_at, c_unit, c_answered, c_answer, c_note;
  sqlite3_stmt *insert;

  if (csv == NULL)
    return TRUE;
  im->csv = csv;
  im->file = "roll_calls.csv";
  c_id = ld_csv_reader_column (csv, "id");
  c_at = ld_csv_reader_column (csv, "at");
  c_unit = ld_csv_reader_column (csv, "unit_code");
  c_answered = ld_csv_reader_column (csv, "answered");
  c_answer = ld_csv_reader_column (csv, "answer_s");
  c_note = ld_csv_reader_column (csv, "note");
  insert = ld_store_prepare (im->store,
    "INSERT INTO roll_call (id, at, unit_code, answered, answer_s, note) VALUES (?, ?, ?, ?, ?, ?)", error);
  if (insert == NULL)
    return FALSE;

  while (next_row (im))
    {
      const char *id = field (im, c_id);
      const char *unit = field (im, c_unit);
      gint64 at;
      int answered, answer_s;
      gboolean ok = TRUE;

      if (id == NULL || unit == NULL)
        {
          problem (im, _("id and unit_code are required"));
          continue;
        }
      ok &= parse_time (im, c_at, "at", TRUE, &at);
      ok &= parse_int (im, c_answered, "answered", 0, 1, &answered);
      ok &= parse_int (im, c_answer, "answer_s", 0, 86400, &answer_s);
      if (ld_store_lookup_unit (im->store, unit) == NULL)
        ok = (problem (im, _("unknown unit %s"), unit), FALSE);
      if (!first_in_file (im, seen, id) || !ok)
        continue;
      sqlite3_bind_text (insert, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 2, at);
      sqlite3_bind_text (insert, 3, unit, -1, SQLITE_STATIC);
      sqlite3_bind_int (insert, 4, answered);
      if (field (im, c_answer))
        sqlite3_bind_int (insert, 5, answer_s);
      else
        sqlite3_bind_null (insert, 5);
      ld_bind_text (insert, 6, field (im, c_note));
      if (sqlite3_step (insert) != SQLITE_DONE)
        {
          if (sqlite3_extended_errcode (ld_store_get_handle (im->store)) == SQLITE_CONSTRAINT_PRIMARYKEY)
            problem (im, _("duplicate id %s (already in the store)"), id);
          else
            problem (im, "%s", sqlite3_errmsg (ld_store_get_handle (im->store)));
        }
      else
        im->counts->roll_calls++;
      sqlite3_reset (insert);
    }
  return TRUE;
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
  import_units (&im, dir);
  import_categories (&im, dir);
  if (!ld_store_pause_search_index (store, error) ||
      !import_incidents (&im, dir, error) ||
      !ld_store_resume_search_index (store, first_incident_rowid, error) ||
      !import_orders (&im, dir, error) ||
      !import_feedback (&im, dir, error))
    goto fail;
  import_drills (&im, dir);
  import_drill_units (&im, dir);
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
