/* ld-export.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "ld-csv.h"
#include "ld-export.h"
#include "ld-store-private.h"

typedef enum {
  COL_TEXT,
  COL_TIME,
  COL_NUMBER,
} ColumnType;

typedef struct {
  const char *name;
  ColumnType  type;
} Column;

typedef struct {
  const char   *file;
  const char   *sql;
  const Column *columns;
} Table;

#define T(n) { n, COL_TEXT }
#define TIME(n) { n, COL_TIME }
#define NUM(n) { n, COL_NUMBER }

static const Column region_columns[] = { T ("code"), T ("name"), T ("parent_code"), { NULL } };
static const Column unit_columns[] = {
  T ("code"), T ("name"), NUM ("tier"), T ("category"), T ("region_code"), T ("phone"), NUM ("lat"),
  NUM ("lon"), T ("status"), NUM ("sign_limit_s"), NUM ("arrive_limit_s"), NUM ("feedback_limit_s"),
  NUM ("result_limit_s"), { NULL }
};
static const Column category_columns[] = {
  T ("code"), T ("name"), T ("mode"), T ("platform"), T ("unit_categories"), NUM ("sign_limit_s"),
  NUM ("arrive_limit_s"), NUM ("feedback_limit_s"), NUM ("result_limit_s"), { NULL }
};
static const Column incident_columns[] = {
  T ("id"), TIME ("received_at"), T ("source"), T ("kind"), T ("diverted_to"), T ("caller_phone"),
  T ("address"), NUM ("lat"), NUM ("lon"), T ("region_code"), T ("category"), T ("summary"),
  TIME ("closed_at"), { NULL }
};
static const Column order_columns[] = {
  T ("id"), T ("incident_id"), T ("unit_code"), TIME ("dispatched_at"), TIME ("signed_at"),
  TIME ("arrived_at"), TIME ("completed_at"), TIME ("returned_at"), T ("return_reason"), T ("return_ruling"),
  { NULL }
};
static const Column feedback_columns[] = { T ("order_id"), TIME ("at"), T ("kind"), T ("text"), { NULL } };
static const Column drill_columns[] = {
  T ("id"), TIME ("held_at"), T ("region_code"), T ("location"), T ("scenario"), NUM ("lat"), NUM ("lon"),
  { NULL }
};
static const Column roll_call_columns[] = {
  T ("id"), TIME ("at"), T ("unit_code"), NUM ("answered"), NUM ("answer_s"), T ("note"), { NULL }
};
static const Column drill_unit_columns[] = {
  T ("drill_id"), T ("unit_code"), TIME ("alarm_at"), TIME ("arrived_at"), NUM ("limit_s"), T ("note"),
  { NULL }
};

/* Parents before children, so the file imports in one pass too. */
static const Table tables[] = {
  { "regions.csv",
    "WITH RECURSIVE tree (code, depth) AS ("
    "  SELECT code, 0 FROM region WHERE parent_code IS NULL"
    "  UNION ALL SELECT r.code, t.depth + 1 FROM region r JOIN tree t ON r.parent_code = t.code)"
    " SELECT r.code, r.name, r.parent_code FROM region r JOIN tree USING (code) ORDER BY depth, r.code",
    region_columns },
  { "units.csv",
    "SELECT code, name, tier, category, region_code, phone, lat, lon,"
    " CASE inactive WHEN 0 THEN 'active' ELSE 'inactive' END,"
    " sign_limit_s, arrive_limit_s, feedback_limit_s, result_limit_s FROM unit ORDER BY code",
    unit_columns },
  { "categories.csv",
    "SELECT code, name, mode, platform, unit_categories, sign_limit_s, arrive_limit_s,"
    " feedback_limit_s, result_limit_s FROM category ORDER BY code",
    category_columns },
  { "incidents.csv",
    "SELECT id, received_at, source, kind, diverted_to, caller_phone, address, lat, lon, region_code,"
    " category, summary, closed_at FROM incident ORDER BY received_at, id",
    incident_columns },
  { "orders.csv",
    "SELECT id, incident_id, unit_code, dispatched_at, signed_at, arrived_at, completed_at,"
    " returned_at, return_reason, return_ruling FROM orders ORDER BY dispatched_at, id",
    order_columns },
  { "feedback.csv", "SELECT order_id, at, kind, text FROM feedback ORDER BY at, id", feedback_columns },
  { "drills.csv",
    "SELECT id, held_at, region_code, location, scenario, lat, lon FROM drill ORDER BY held_at, id",
    drill_columns },
  { "drill_units.csv",
    "SELECT drill_id, unit_code, alarm_at, arrived_at, limit_s, note FROM drill_unit"
    " ORDER BY drill_id, unit_code",
    drill_unit_columns },
  { "roll_calls.csv",
    "SELECT id, at, unit_code, answered, answer_s, note FROM roll_call ORDER BY at, id",
    roll_call_columns },
};

static gboolean
write_all (FILE *f, const char *path, GString *buffer, GError **error)
{
  if (buffer->len && fwrite (buffer->str, 1, buffer->len, f) != buffer->len)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Cannot write %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  g_string_truncate (buffer, 0);
  return TRUE;
}

static gboolean
export_table (LdStore *store, const char *dir, const Table *table, guint *n_rows, GError **error)
{
  g_autofree char *path = g_build_filename (dir, table->file, NULL);
  g_autoptr(GString) line = g_string_sized_new (1 << 16);
  GTimeZone *tz = ld_store_get_time_zone (store);
  sqlite3_stmt *stmt = ld_store_prepare (store, table->sql, error);
  FILE *f;
  int rc;
  gboolean ok = TRUE;

  if (stmt == NULL)
    return FALSE;
  f = g_fopen (path, "wb");
  if (f == NULL)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Cannot create %s: %s"), path, g_strerror (saved));
      return FALSE;
    }

  for (guint c = 0; table->columns[c].name; c++)
    g_string_append_printf (line, c ? ",%s" : "%s", table->columns[c].name);
  g_string_append (line, "\r\n");

  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (guint c = 0; table->columns[c].name; c++)
        {
          if (c)
            g_string_append_c (line, ',');
          if (sqlite3_column_type (stmt, c) == SQLITE_NULL)
            continue;
          switch (table->columns[c].type)
            {
            case COL_TEXT:
              ld_csv_append_field (line, (const char *) sqlite3_column_text (stmt, c));
              break;
            case COL_TIME:
              {
                g_autofree char *text = ld_time_format_iso (sqlite3_column_int64 (stmt, c), tz);
                g_string_append (line, text);
              }
              break;
            case COL_NUMBER:
              {
                char buf[G_ASCII_DTOSTR_BUF_SIZE];
                if (sqlite3_column_type (stmt, c) == SQLITE_INTEGER)
                  g_string_append_printf (line, "%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, c));
                else
                  g_string_append (line, g_ascii_dtostr (buf, sizeof buf, sqlite3_column_double (stmt, c)));
              }
              break;
            default:
              g_assert_not_reached ();
            }
        }
      g_string_append (line, "\r\n");
      (*n_rows)++;
      if (line->len > (1 << 16))
        ok = write_all (f, path, line, error);
    }
  sqlite3_reset (stmt);
  if (ok && rc != SQLITE_DONE)
    {
      ld_store_set_db_error (store, error);
      ok = FALSE;
    }
  ok = ok && write_all (f, path, line, error);
  if (fclose (f) != 0 && ok)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Cannot write %s: %s"), path, g_strerror (saved));
      ok = FALSE;
    }
  return ok;
}

static gboolean
export_boundaries (LdStore *store, const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "regions.geojson", NULL);
  g_autoptr(GString) out = g_string_new ("{\"type\":\"FeatureCollection\",\"features\":[");
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  sqlite3_stmt *stmt = ld_store_prepare (store,
    "SELECT code, name, boundary FROM region WHERE boundary IS NOT NULL ORDER BY code", error);
  gboolean first = TRUE;

  if (stmt == NULL)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(JsonNode) code = json_node_init_string (json_node_alloc (), (const char *) sqlite3_column_text (stmt, 0));
      g_autoptr(JsonNode) name = json_node_init_string (json_node_alloc (), (const char *) sqlite3_column_text (stmt, 1));
      g_autofree char *code_text = NULL, *name_text = NULL;

      json_generator_set_root (gen, code);
      code_text = json_generator_to_data (gen, NULL);
      json_generator_set_root (gen, name);
      name_text = json_generator_to_data (gen, NULL);
      g_string_append_printf (out, "%s\n{\"type\":\"Feature\",\"properties\":{\"code\":%s,\"name\":%s},\"geometry\":%s}",
                              first ? "" : ",", code_text, name_text, (const char *) sqlite3_column_text (stmt, 2));
      first = FALSE;
    }
  sqlite3_reset (stmt);
  g_string_append (out, "\n]}\n");
  return g_file_set_contents (path, out->str, out->len, error);
}

gboolean
ld_export_dir (LdStore *store, const char *dir, guint *n_rows, GError **error)
{
  guint rows = 0;

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Cannot create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  /* One read transaction: the files agree with each other even while the
   * server keeps writing. */
  if (!ld_store_exec (store, "BEGIN", error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (!export_table (store, dir, &tables[i], &rows, error))
      {
        ld_store_exec (store, "ROLLBACK", NULL);
        return FALSE;
      }
  if (!export_boundaries (store, dir, error))
    {
      ld_store_exec (store, "ROLLBACK", NULL);
      return FALSE;
    }
  ld_store_exec (store, "COMMIT", NULL);
  if (n_rows)
    *n_rows = rows;
  return TRUE;
}
