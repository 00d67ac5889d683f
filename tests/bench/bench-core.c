/* bench-core.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Import rate and the month's report on a full-scale city (13 months of a
 * Jiaxing-sized center), each beside the raw sqlite floor measured in the
 * same run, then the dispatcher's search, unit board and late list on it,
 * the dashboard, and the copies of it desks are given at their first sync.
 * LD_BENCH_SCALE (default 1) shrinks the city for a quick look.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "ld-demo.h"
#include "ld-process.h"
#include "ld-export.h"
#include "ld-import.h"
#include "ld-dashboard.h"
#include "ld-bulletin.h"
#include "ld-report.h"
#include "ld-snapshot.h"

static const char *tables[] = { "region", "unit", "category", "incident", "orders", "feedback", "drill", "drill_unit" };

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

static void
check (GError *error)
{
  if (error)
    g_error ("%s", error->message);
}

static sqlite3 *
open_raw (const char *path)
{
  sqlite3 *db;
  if (sqlite3_open (path, &db) != SQLITE_OK)
    g_error ("cannot open %s", path);
  sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;", NULL, NULL, NULL);
  return db;
}

static void
exec (sqlite3 *db, const char *sql)
{
  char *message = NULL;
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static gint64
count_rows (sqlite3 *db, const char *prefix)
{
  gint64 total = 0;
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s%s", prefix, tables[i]);
      sqlite3_stmt *stmt;
      sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
      sqlite3_step (stmt);
      total += sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
    }
  return total;
}

/* The floor for import: the same rows copied table to table inside sqlite,
 * into the same schema with the same indexes; no parsing, no checks. */
static double
raw_copy_rate (const char *source, const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "floor.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LdStore) empty = ld_store_open (path, &error);
  g_autofree char *attach = g_strdup_printf ("ATTACH '%s' AS src", source);
  sqlite3 *db;
  gint64 start, rows;
  double elapsed;

  check (error);
  g_clear_object (&empty);
  db = open_raw (path);
  exec (db, attach);
  exec (db, "PRAGMA foreign_keys = ON");
  rows = count_rows (db, "src.");
  start = g_get_monotonic_time ();
  exec (db, "BEGIN");
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO main.%s SELECT * FROM src.%s", tables[i], tables[i]);
      exec (db, sql);
    }
  exec (db, "COMMIT");
  elapsed = seconds_since (start);
  sqlite3_close (db);
  return rows / elapsed;
}

/* The floor for the report: plain scans of the rows the report reads, the
 * month and its two comparison periods. */
static double
raw_scan_ms (const char *path, const LdPeriod *periods, guint n)
{
  sqlite3 *db = open_raw (path);
  gint64 start = g_get_monotonic_time ();
  gint64 sink = 0;

  for (guint p = 0; p < n; p++)
    {
      static const char *sql[] = {
        "SELECT count(*), sum(feedback_count), sum(signed_at IS NOT NULL) FROM orders"
        " WHERE dispatched_at >= ? AND dispatched_at < ?",
        "SELECT count(*), sum(kind = 'linkage'), sum(followed_by_repeat) FROM incident"
        " WHERE received_at >= ? AND received_at < ?",
      };
      for (guint q = 0; q < G_N_ELEMENTS (sql); q++)
        {
          sqlite3_stmt *stmt;
          sqlite3_prepare_v2 (db, sql[q], -1, &stmt, NULL);
          sqlite3_bind_int64 (stmt, 1, periods[p].start);
          sqlite3_bind_int64 (stmt, 2, periods[p].end);
          while (sqlite3_step (stmt) == SQLITE_ROW)
            sink += sqlite3_column_int64 (stmt, 0);
          sqlite3_finalize (stmt);
        }
    }
  g_assert_cmpint (sink, >=, 0);
  sqlite3_close (db);
  return seconds_since (start) * 1000;
}

/* Milliseconds per call of @query, over a few runs. */
static double
search_ms (LdStore *store, const char *query, const LdIncidentFilter *filter, guint *n_found)
{
  const guint runs = 5;
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) found = ld_store_search_incidents (store, query, filter, 200, &error);

      check (error);
      *n_found = found->len;
    }
  return seconds_since (start) * 1000 / runs;
}

/* What the dispatcher's workspace asks of the store as it runs. The
 * two-character query the index cannot serve is timed twice: a common one
 * that stops at the limit early, and one found nowhere, which reads every
 * incident. */
static void
bench_workspace (LdStore *store)
{
  static const struct {
    const char *label;
    const char *query;
  } searches[] = {
    { "3-character street name", "罗星路" },
    { "2 characters, common", "罗星" },
    { "2 characters, found nowhere", "龙舟" },
    { "phone digits", "1395991" },
  };
  LdIncidentFilter open = { .state = "open" };
  const guint runs = 5;
  gint64 now = ld_time_now ();
  gint64 start;
  guint n = 0;
  double ms;

  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      ms = search_ms (store, searches[i].query, NULL, &n);
      g_print ("search, %s: %u found (limit 200) in %.1f ms\n", searches[i].label, n, ms);
    }
  ms = search_ms (store, "罗星路", &open, &n);
  g_print ("search, the street among open incidents: %u found in %.1f ms\n", n, ms);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) late = ld_store_list_late_orders (store, now, &error);

      check (error);
      n = late->len;
    }
  g_print ("late orders: %u in %.1f ms\n", n, seconds_since (start) * 1000 / runs);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) loads = ld_store_list_unit_loads (store, now, &error);

      check (error);
      n = loads->len;
    }
  g_print ("unit board: %u units in %.1f ms\n", n, seconds_since (start) * 1000 / runs);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < runs; i++)
    ld_store_next_order_deadline (store, now);
  g_print ("next order deadline: %.1f ms\n", seconds_since (start) * 1000 / runs);
}

/* A desk's first copy of the store, for the busiest unit, a unit of
 * median load, a dispatcher and the administrator. The city is given the audit trail a server keeps (an
 * event for each incident, order step and feedback, from a device and an
 * address), staff with password hashes and a session each. */
static void
bench_snapshot (LdStore *store, const char *path, const char *dir)
{
  g_autoptr(GPtrArray) units = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *copy = g_build_filename (dir, "copy.db", NULL);
  sqlite3 *db = open_raw (path);
  sqlite3_stmt *stmt;
  gint64 start;

  start = g_get_monotonic_time ();
  exec (db, "BEGIN;"
            "INSERT INTO event (at, actor, device, remote, entity, entity_id, action, data)"
            " SELECT received_at, 'd' || (rowid % 20), 'desk-' || (rowid % 20), '10.0.0.' || (rowid % 20),"
            "  'incident', id, 'create', json_object('kind', kind, 'category', category) FROM incident;"
            "INSERT INTO event (at, actor, device, remote, entity, entity_id, action, data)"
            " SELECT dispatched_at, 'd' || (rowid % 20), 'desk-' || (rowid % 20), '10.0.0.' || (rowid % 20),"
            "  'order', id, 'dispatch', json_object('unit_code', unit_code) FROM orders;"
            "INSERT INTO event (at, actor, device, remote, entity, entity_id, action, data)"
            " SELECT signed_at, 'u-' || unit_code, 'pad-' || unit_code, '10.1.0.1', 'order', id, 'sign', NULL"
            " FROM orders WHERE signed_at IS NOT NULL;"
            "INSERT INTO event (at, actor, device, remote, entity, entity_id, action, data)"
            " SELECT arrived_at, 'u-' || unit_code, 'pad-' || unit_code, '10.1.0.1', 'order', id, 'arrive', NULL"
            " FROM orders WHERE arrived_at IS NOT NULL;"
            "INSERT INTO event (at, actor, device, remote, entity, entity_id, action, data)"
            " SELECT completed_at, 'u-' || unit_code, 'pad-' || unit_code, '10.1.0.1', 'order', id, 'complete', NULL"
            " FROM orders WHERE completed_at IS NOT NULL;"
            "INSERT INTO event (at, actor, device, remote, entity, entity_id, action, data)"
            " SELECT f.at, 'u-' || o.unit_code, 'pad-' || o.unit_code, '10.1.0.1', 'order', o.id, 'feedback',"
            "  json_object('feedback_id', f.id, 'kind', f.kind, 'text', f.text)"
            " FROM feedback f JOIN orders o ON o.id = f.order_id;"
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)"
            " INSERT INTO user (name, role, password_hash, created_at)"
            "  SELECT 'd' || i, CASE WHEN i = 1 THEN 'admin' ELSE 'dispatcher' END,"
            "   '$argon2id$v=19$m=65536,t=2,p=1$' || hex(randomblob(16)), 0 FROM n;"
            "INSERT INTO session (token_hash, user_name, device, created_at, expires_at)"
            " SELECT hex(randomblob(32)), name, 'desk', 0, 1 FROM user;"
            "COMMIT;");
  g_print ("snapshot: audit trail of %" G_GINT64_FORMAT " events added in %.1f s\n",
           ld_store_get_sequence (store), seconds_since (start));
  sqlite3_prepare_v2 (db, "SELECT unit_code FROM orders GROUP BY unit_code ORDER BY count(*) DESC", -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (units, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert (units->len > 0);

  for (guint i = 0; i < 4; i++)
    {
      static const char *roles[] = { "unit", "unit", "dispatcher", "admin" };
      const char *code = i < 2 ? g_ptr_array_index (units, i * units->len / 2) : NULL;
      g_autofree char *name = code ? g_strconcat ("u-", code, NULL) : g_strdup ("d2");
      LdUser user = { name, NULL, (char *) roles[i], (char *) code, NULL, 0 };
      g_autoptr(GError) error = NULL;
      GStatBuf st;
      gint64 seq = 0;

      start = g_get_monotonic_time ();
      if (!ld_snapshot_write (store, copy, &user, &seq, &error))
        check (error);
      g_stat (copy, &st);
      g_print ("snapshot: %s%s%s's copy, %.1f MB, in %.2f s\n", roles[i], code ? " " : "", code ? code : "",
               st.st_size / 1e6, seconds_since (start));
      g_unlink (copy);
    }
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* The leaders' dashboard as it refreshes on a change, late on the last day
 * of the city's last whole month: the month so far with its regions and units,
 * every day of it, 13 months beside the year before, the late count. */
static void
bench_dashboard (LdStore *store, int year, int month_of_year)
{
  GTimeZone *tz = ld_store_get_time_zone (store);
  LdPeriod month = ld_period_month (tz, year, month_of_year);
  gint64 now = month.end - 6 * 3600 * LD_USEC_PER_S;
  double ms[7];

  for (guint i = 0; i < G_N_ELEMENTS (ms); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LdDashboard) dashboard = NULL;
      gint64 start = g_get_monotonic_time ();

      dashboard = ld_dashboard_new (store, NULL, now, &error);
      check (error);
      ms[i] = seconds_since (start) * 1000;
    }
  qsort (ms, G_N_ELEMENTS (ms), sizeof ms[0], compare_doubles);
  g_print ("dashboard: a full refresh over %d-%02d and the 12 months before it, %.1f ms median of %u "
           "(best %.1f; goal <= 200 ms)\n", year, month_of_year, ms[G_N_ELEMENTS (ms) / 2],
           (guint) G_N_ELEMENTS (ms), ms[0]);
}

int
main (int argc, char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("ld-bench-XXXXXX", NULL);
  g_autofree char *demo_db = g_build_filename (dir, "demo.db", NULL);
  g_autofree char *import_db = g_build_filename (dir, "import.db", NULL);
  g_autofree char *files = g_build_filename (dir, "files", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LdStore) demo = NULL, imported = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  const char *scale_text = g_getenv ("LD_BENCH_SCALE");
  LdDemoOptions options;
  LdDemoCounts counts;
  LdImportCounts imported_counts;
  LdPeriod periods[3];
  int last_year, last_month, day, hour, minute, second;
  guint rows;
  gint64 start;
  double import_s, import_rate, floor_rate, report_ms = 0, pdf_ms = 0, floor_ms;
  const guint runs = 5;

  ld_process_init ();
  ld_demo_options_init (&options);
  options.scale = scale_text ? g_ascii_strtod (scale_text, NULL) : 1.0;

  demo = ld_store_open (demo_db, &error);
  check (error);
  start = g_get_monotonic_time ();
  if (!ld_demo_generate (demo, &options, &counts, &error))
    check (error);
  g_print ("demo city, scale %.2f: %u incidents, %u orders, %u feedback in %.1f s\n",
           options.scale, counts.incidents, counts.orders, counts.feedback, seconds_since (start));

  if (!ld_export_dir (demo, files, &rows, &error))
    check (error);

  /* Import: the interchange files into an empty store. */
  imported = ld_store_open (import_db, &error);
  check (error);
  start = g_get_monotonic_time ();
  if (!ld_import_dir (imported, files, FALSE, &imported_counts, problems, &error))
    {
      for (guint i = 0; i < MIN (problems->len, 10); i++)
        g_printerr ("%s\n", (char *) g_ptr_array_index (problems, i));
      check (error);
    }
  import_s = seconds_since (start);
  import_rate = rows / import_s;
  floor_rate = raw_copy_rate (demo_db, dir);
  g_print ("import: %u rows in %.2f s = %.0f rows/s (goal >= 50000); raw sqlite copy floor %.0f rows/s; "
           "import runs at %.2f of the floor\n", rows, import_s, import_rate, floor_rate, import_rate / floor_rate);

  /* The last whole month's full report, as the leaders' bulletin needs it. */
  ld_time_to_local (options.until, ld_store_get_time_zone (imported), &last_year, &last_month, &day, &hour,
                    &minute, &second);
  if (--last_month < 1)
    last_month = 12, last_year--;
  periods[0] = ld_period_month (ld_store_get_time_zone (imported), last_year, last_month);
  periods[1] = ld_period_year_before (&periods[0], ld_store_get_time_zone (imported));
  periods[2] = ld_period_previous (&periods[0], ld_store_get_time_zone (imported));
  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(LdReport) report = NULL;
      g_autoptr(LdReport) again = NULL;
      g_autoptr(LdBulletin) bulletin = NULL;
      g_autofree char *json = NULL;
      g_autofree char *pdf = g_build_filename (dir, "bulletin.pdf", NULL);

      start = g_get_monotonic_time ();
      report = ld_report_new (imported, &periods[0], NULL, ld_time_now (), &error);
      check (error);
      json = ld_report_to_json (report);
      report_ms += seconds_since (start) * 1000 / runs;

      /* The bulletin as it is sent, from the figures up: the year to date,
       * the cases and problems, the pages. */
      start = g_get_monotonic_time ();
      again = ld_report_new (imported, &periods[0], NULL, ld_time_now (), &error);
      check (error);
      bulletin = ld_bulletin_new (again, imported, &error);
      check (error);
      ld_bulletin_write_pdf (bulletin, pdf, &error);
      check (error);
      pdf_ms += seconds_since (start) * 1000 / runs;
      g_unlink (pdf);
    }
  floor_ms = raw_scan_ms (import_db, periods, G_N_ELEMENTS (periods));
  g_print ("report: month %d-%02d, json, %.1f ms (goal <= 300 ms); raw sqlite scan floor %.1f ms; "
           "report takes %.1fx the floor\n", last_year, last_month, report_ms, floor_ms,
           report_ms / floor_ms);
  g_print ("bulletin: month %d-%02d as PDF, report included, %.1f ms (goal <= 2000 ms)\n",
           last_year, last_month, pdf_ms);

  bench_workspace (imported);
  bench_dashboard (imported, last_year, last_month);
  bench_snapshot (imported, import_db, dir);

  g_clear_object (&demo);
  g_clear_object (&imported);
  {
    g_autoptr(GDir) d = g_dir_open (files, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)))
      {
        g_autofree char *path = g_build_filename (files, name, NULL);
        g_unlink (path);
      }
    g_rmdir (files);
    for (guint i = 0; i < 3; i++)
      {
        static const char *dbs[] = { "demo.db", "import.db", "floor.db" };
        static const char *suffixes[] = { "", "-wal", "-shm" };
        for (guint s = 0; s < 3; s++)
          {
            g_autofree char *name_s = g_strconcat (dbs[i], suffixes[s], NULL);
            g_autofree char *path = g_build_filename (dir, name_s, NULL);
            g_unlink (path);
          }
      }
    g_rmdir (dir);
  }
  return 0;
}
