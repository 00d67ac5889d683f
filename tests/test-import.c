/* test-import.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>

#include "ld-csv.h"
#include "ld-import.h"
#include "ld-metrics.h"
#include "ld-test-city.h"
#include "ld-test-util.h"

static const char *regions_csv =
  "code,name,parent_code\n"
  "A,District A,C\n"            /* the parent comes later in the file */
  "C,City,\n"
  "B,District B,C\n";

static const char *geojson =
  "{\"type\":\"FeatureCollection\",\"features\":["
  "{\"type\":\"Feature\",\"properties\":{\"code\":\"A\"},\"geometry\":{\"type\":\"Polygon\","
  "\"coordinates\":[[[120,30],[121,30],[121,31],[120,31],[120,30]]]}},"
  "{\"type\":\"Feature\",\"properties\":{\"adcode\":\"B\"},\"geometry\":{\"type\":\"Polygon\","
  "\"coordinates\":[[[121,30],[122,30],[122,31],[121,31],[121,30]]]}}]}";

static const char *units_csv =
  "code,name,tier,category,region_code,phone,lat,lon\n"
  "POL,City police,1,police,C,0573-110,,\n"
  "MKT,Market regulation,2,market,A,0573-12315,30.5,120.5\n"
  "TOWN,\"B command room, north\",1,district_center,B,,,\n";

static const char *incidents_csv =
  "id,received_at,source,kind,diverted_to,caller_phone,address,lat,lon,region_code,category,summary,closed_at\n"
  "i1,2023-11-21 14:05:00,110,linkage,,13800000001,由拳路富润路口,30.5,120.5,,noise,路面有石子,\n"
  "i2,2023-11-21T15:05:00+08:00,110,linkage,,13800000001,,30.5,121.5,,,,\n"
  "i3,2023-11-22 09:00:00,110,diverted,114,13900000002,,,,B,,,\n";

static const char *orders_csv =
  "id,incident_id,unit_code,dispatched_at,signed_at,arrived_at,completed_at,returned_at,return_reason\n"
  "o1,i1,MKT,2023-11-21 14:06:00,2023-11-21 14:08:00,2023-11-21 14:20:00,2023-11-21 15:00:00,,\n"
  "o2,i2,TOWN,2023-11-21 15:06:00,2023-11-21 15:09:00,,,2023-11-21 15:30:00,不属本辖区管辖\n";

static const char *feedback_csv =
  "order_id,at,kind,text\n"
  "o1,2023-11-21 14:21:00,arrival,已到场\n"
  "o1,2023-11-21 15:01:00,result,已清扫\n";

static const char *drills_csv =
  "id,held_at,region_code,location,scenario\n"
  "d1,2020-08-25 09:30:00,A,丽南隧道,油罐车事故\n";

static const char *drill_units_csv =
  "drill_id,unit_code,alarm_at,arrived_at,limit_s,note\n"
  "d1,MKT,2020-08-25 09:30:00,2020-08-25 09:57:30,,\n";

typedef struct {
  char *dir;
  char *files;
  char *db;
} Fixture;

static void
write_file (const char *dir, const char *name, const char *data, gssize length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (path, data, length, &error));
  g_assert_no_error (error);
}

static void
write_good_files (const char *dir)
{
  write_file (dir, "regions.csv", regions_csv, -1);
  write_file (dir, "regions.geojson", geojson, -1);
  write_file (dir, "units.csv", units_csv, -1);
  write_file (dir, "incidents.csv", incidents_csv, -1);
  write_file (dir, "orders.csv", orders_csv, -1);
  write_file (dir, "feedback.csv", feedback_csv, -1);
  write_file (dir, "drills.csv", drills_csv, -1);
  write_file (dir, "drill_units.csv", drill_units_csv, -1);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = ld_test_make_tmp ("ld-import-XXXXXX");
  f->files = g_build_filename (f->dir, "in", NULL);
  f->db = g_build_filename (f->dir, "store.db", NULL);
  g_mkdir (f->files, 0755);
  write_good_files (f->files);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_free (f->dir);
  g_free (f->files);
  g_free (f->db);
}

static void
test_good_import (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdStore) store = ld_store_open (f->db, &error);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(LdIncident) i1 = NULL, i2 = NULL, i3 = NULL;
  g_autoptr(LdOrder) o1 = NULL, o2 = NULL;
  g_autoptr(GHashTable) units = NULL;
  LdImportCounts counts;
  LdPeriod november;

  g_assert_true (ld_import_dir (store, f->files, FALSE, &counts, problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (counts.regions, ==, 3);
  g_assert_cmpuint (counts.boundaries, ==, 2);
  g_assert_cmpuint (counts.units, ==, 3);
  g_assert_cmpuint (counts.incidents, ==, 3);
  g_assert_cmpuint (counts.orders, ==, 2);
  g_assert_cmpuint (counts.feedback, ==, 2);
  g_assert_cmpuint (counts.drills, ==, 1);
  g_assert_cmpuint (counts.drill_units, ==, 1);

  /* Jurisdiction from the map where the file left it empty. */
  i1 = ld_store_get_incident (store, "i1", &error);
  i2 = ld_store_get_incident (store, "i2", &error);
  i3 = ld_store_get_incident (store, "i3", &error);
  g_assert_cmpstr (i1->region_code, ==, "A");
  g_assert_cmpstr (i1->address, ==, "由拳路富润路口");
  g_assert_cmpstr (i2->region_code, ==, "B");
  g_assert_cmpstr (i2->repeat_of, ==, "i1");
  g_assert_cmpstr (i1->state, ==, "dispatched");
  g_assert_cmpstr (i3->state, ==, "diverted");

  o1 = ld_store_get_order (store, "o1", &error);
  o2 = ld_store_get_order (store, "o2", &error);
  g_assert_cmpstr (o1->state, ==, "completed");
  g_assert_cmpuint (o1->feedback_count, ==, 2);
  g_assert_cmpuint (o1->overdue, ==, 0);
  g_assert_cmpstr (o2->state, ==, "returned");
  g_assert_cmpstr (o2->return_reason, ==, "不属本辖区管辖");
  /* The returned order never reported back: its feedback deadline passed. */
  g_assert_cmpuint (o2->overdue, ==, LD_OVERDUE_FEEDBACK);

  november = ld_period_month (ld_store_get_time_zone (store), 2023, 11);
  g_assert_true (ld_metrics_compute (store, &november, ld_time_now (), &units, NULL, &error));
  g_assert_cmpuint (((LdOrderCounts *) g_hash_table_lookup (units, "MKT"))->repeat_calls, ==, 1);
  g_assert_cmpint (ld_store_count_events (store, "import", "csv"), ==, 1);

  /* The search index holds the imported incidents, and keeps up with the
   * ones recorded after. */
  {
    g_autoptr(GPtrArray) found = ld_store_search_incidents (store, "富润路", NULL, 10, &error);
    LdIncident later = { 0, };
    g_autofree char *id = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 1);
    g_assert_cmpstr (((LdIncident *) g_ptr_array_index (found, 0))->id, ==, "i1");
    g_clear_pointer (&found, g_ptr_array_unref);
    later.received_at = ld_time_now ();
    later.source = "110";
    later.kind = "linkage";
    later.summary = "化工厂围墙倒塌";
    later.lat = later.lon = NAN;
    id = ld_store_add_incident (store, &later, NULL, &error);
    g_assert_no_error (error);
    found = ld_store_search_incidents (store, "围墙倒", NULL, 10, &error);
    g_assert_cmpuint (found->len, ==, 1);
    g_assert_cmpstr (((LdIncident *) g_ptr_array_index (found, 0))->id, ==, id);
  }
}

static GBytes *
file_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *data;
  gsize length;
  g_assert_true (g_file_get_contents (path, &data, &length, &error));
  return g_bytes_new_take (data, length);
}

/* Imports @name with @content in place of the good file, into a store that
 * already holds the good import, and checks the import is refused with a
 * line naming @expected and that the store file is byte for byte the same. */
static void
check_refused (Fixture *f, const char *name, const char *content, gssize length, const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdStore) store = ld_store_open (f->db, &error);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GBytes) before = NULL, after = NULL;
  g_autofree char *second = g_build_filename (f->dir, "second", NULL);
  g_autofree char *joined = NULL;
  LdImportCounts counts;

  g_assert_true (ld_import_dir (store, f->files, FALSE, &counts, problems, &error));
  g_clear_object (&store);
  before = file_bytes (f->db);

  /* A second batch that is all new except for the one bad file. */
  g_mkdir (second, 0755);
  write_file (second, "units.csv",
              "code,name,tier,category,region_code,phone,lat,lon\nNEW,New unit,2,market,A,,,\n", -1);
  write_file (second, "incidents.csv",
              "id,received_at,source,kind\nn1,2023-12-01 08:00:00,110,linkage\n", -1);
  write_file (second, "orders.csv",
              "id,incident_id,unit_code,dispatched_at\nno1,n1,NEW,2023-12-01 08:01:00\n", -1);
  write_file (second, name, content, length);

  store = ld_store_open (f->db, &error);
  g_assert_false (ld_import_dir (store, second, FALSE, &counts, problems, &error));
  g_assert_error (error, LD_IMPORT_ERROR, LD_IMPORT_ERROR_BAD_ROWS);
  g_assert_cmpuint (counts.incidents, ==, 0);
  g_ptr_array_add (problems, NULL);
  joined = g_strjoinv ("\n", (char **) problems->pdata);
  if (strstr (joined, expected) == NULL)
    g_error ("expected “%s” among the problems:\n%s", expected, joined);
  {
    g_autoptr(LdUnit) unit = ld_store_get_unit (store, "NEW", NULL);
    g_assert_null (unit);
  }
  g_clear_object (&store);
  after = file_bytes (f->db);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_bad_time (Fixture *f, gconstpointer data)
{
  check_refused (f, "incidents.csv",
                 "id,received_at,source,kind\nn1,2023-12-01 08:00:00,110,linkage\nn2,2023-13-45 08:00,110,linkage\n",
                 -1, "incidents.csv:3: received_at: “2023-13-45 08:00” is not a time");
}

/* Times before 2000 or more than a day ahead are bad rows, not history. */
static void
test_time_before_2000 (Fixture *f, gconstpointer data)
{
  check_refused (f, "incidents.csv",
                 "id,received_at,source,kind\nn1,2023-12-01 08:00:00,110,linkage\nn2,1999-12-31 23:59:59,110,linkage\n",
                 -1, "incidents.csv:3: received_at: The time 1999-12-31 23:59:59 is not plausible: it lies before 2000-01-01");
}

static void
test_time_ahead (Fixture *f, gconstpointer data)
{
  check_refused (f, "orders.csv",
                 "id,incident_id,unit_code,dispatched_at,signed_at,arrived_at,completed_at\n"
                 "no1,n1,NEW,2023-12-01 08:01:00,2023-12-01 08:02:00,2023-12-01 08:10:00,2150-01-01 00:00:00\n",
                 -1, "orders.csv:2: completed_at: The time 2150-01-01 00:00:00 is not plausible: "
                 "it lies more than 1 day in the future");
}

/* A cell too long is a bad row like any other; the rows after it are read. */
static void
test_field_too_long (Fixture *f, gconstpointer data)
{
  g_autofree char *summary = g_strnfill (70000, 'x');
  g_autofree char *content = g_strdup_printf ("id,received_at,source,kind,summary\n"
                                              "n1,2023-12-01 08:00:00,110,linkage,\n"
                                              "n2,2023-12-01 08:00:00,110,linkage,%s\n"
                                              "n3,2023-13-01 08:00:00,110,linkage,\n", summary);

  check_refused (f, "incidents.csv", content, -1,
                 "incidents.csv:3: a field is longer than 64 KiB\nincidents.csv:4: received_at");
}

static void
test_unknown_unit (Fixture *f, gconstpointer data)
{
  check_refused (f, "orders.csv",
                 "id,incident_id,unit_code,dispatched_at\nno1,n1,NEW,2023-12-01 08:01:00\nno2,n1,GHOST,2023-12-01 08:01:00\n",
                 -1, "orders.csv:3: unknown unit GHOST");
}

static void
test_duplicate_in_file (Fixture *f, gconstpointer data)
{
  check_refused (f, "incidents.csv",
                 "id,received_at,source,kind\nn1,2023-12-01 08:00:00,110,linkage\nn1,2023-12-01 09:00:00,110,linkage\n",
                 -1, "incidents.csv:3: duplicate id n1 (also on line 2)");
}

static void
test_duplicate_in_store (Fixture *f, gconstpointer data)
{
  check_refused (f, "incidents.csv",
                 "id,received_at,source,kind\nn1,2023-12-01 08:00:00,110,linkage\ni1,2023-12-01 09:00:00,110,linkage\n",
                 -1, "incidents.csv:3: duplicate id i1 (already in the store)");
}

static void
test_truncated_line (Fixture *f, gconstpointer data)
{
  check_refused (f, "orders.csv",
                 "id,incident_id,unit_code,dispatched_at\nno1,n1,NEW,2023-12-01 08:01:00\nno2,n1\n",
                 -1, "orders.csv:3: 2 fields, but the header has 4");
}

static void
test_truncated_quote (Fixture *f, gconstpointer data)
{
  check_refused (f, "incidents.csv",
                 "id,received_at,source,kind,summary\nn1,2023-12-01 08:00:00,110,linkage,\"路面有石",
                 -1, "incidents.csv:2: unterminated quoted field");
}

/* A step is never before the last one recorded before it, whether or not
 * the steps between were recorded. */
static void
test_order_rules (Fixture *f, gconstpointer data)
{
  check_refused (f, "orders.csv",
                 "id,incident_id,unit_code,dispatched_at,signed_at,arrived_at\n"
                 "no1,n1,NEW,2023-12-01 08:01:00,,2023-12-01 08:00:30\n",
                 -1, "orders.csv:2: arrived_at is before dispatched_at");
}

static void
test_order_rules_skipped_step (Fixture *f, gconstpointer data)
{
  check_refused (f, "orders.csv",
                 "id,incident_id,unit_code,dispatched_at,signed_at,arrived_at,completed_at\n"
                 "no1,n1,NEW,2023-12-01 08:01:00,2023-12-01 08:02:00,,2023-12-01 08:01:30\n",
                 -1, "orders.csv:2: completed_at is before signed_at");
}

/* Another system's order that arrived or was completed with no signature
 * recorded is imported as it is, said with its line, and counted as not
 * signed. */
static void
test_later_step_without_earlier (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdStore) store = ld_store_open (f->db, &error);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *orders = g_strconcat (orders_csv,
    "o3,i1,POL,2023-11-21 14:06:00,,2023-11-21 14:30:00,,,\n"
    "o4,i2,MKT,2023-11-21 15:06:00,,,2023-11-21 16:00:00,,\n", NULL);
  g_autoptr(LdOrder) o3 = NULL, o4 = NULL;
  LdPeriod november;
  LdRegionCounts all;
  LdImportCounts counts;

  write_file (f->files, "orders.csv", orders, -1);
  g_assert_true (ld_import_dir_full (store, f->files, 0, &counts, problems, warnings, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (counts.orders, ==, 4);
  g_assert_cmpuint (warnings->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==, "orders.csv:4: arrived_at without signed_at: imported as not signed");
  g_assert_cmpstr (g_ptr_array_index (warnings, 1), ==, "orders.csv:5: completed_at without signed_at: imported as not signed");

  o3 = ld_store_get_order (store, "o3", &error);
  o4 = ld_store_get_order (store, "o4", &error);
  g_assert_cmpstr (o3->state, ==, "arrived");
  g_assert_cmpint (o3->signed_at, ==, LD_TIME_NONE);
  g_assert_cmpstr (o4->state, ==, "completed");
  g_assert_cmpint (o4->signed_at, ==, LD_TIME_NONE);

  november = ld_period_month (ld_store_get_time_zone (store), 2023, 11);
  g_assert_true (ld_metrics_compute_series (store, &november, 1, NULL, ld_time_now (), TRUE, &all, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (all.orders.dispatched, ==, 4);
  g_assert_cmpuint (all.orders.signed_, ==, 2);
  g_assert_cmpuint (all.orders.completed, ==, 2);
}

/* A dry run says what an import would bring and what it would warn of,
 * and leaves the store as it was. */
static void
test_dry_run (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdStore) store = ld_store_open (f->db, &error);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *orders = g_strconcat (orders_csv, "o3,i1,POL,2023-11-21 14:06:00,,2023-11-21 14:30:00,,,\n", NULL);
  g_autoptr(GBytes) before = NULL, after = NULL;
  g_autoptr(LdIncident) incident = NULL;
  LdImportCounts counts;

  g_clear_object (&store);
  before = file_bytes (f->db);
  write_file (f->files, "orders.csv", orders, -1);
  store = ld_store_open (f->db, &error);
  g_assert_true (ld_import_dir_full (store, f->files, LD_IMPORT_DRY_RUN, &counts, problems, warnings, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.incidents, ==, 3);
  g_assert_cmpuint (counts.orders, ==, 3);
  g_assert_cmpuint (warnings->len, ==, 1);
  incident = ld_store_get_incident (store, "i1", NULL);
  g_assert_null (incident);
  g_assert_cmpint (ld_store_count_events (store, "import", "csv"), ==, 0);
  g_clear_object (&store);
  after = file_bytes (f->db);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_missing_column (Fixture *f, gconstpointer data)
{
  check_refused (f, "feedback.csv", "order_id,kind\nno1,arrival\n", -1, "missing column");
}

static void
test_not_text (Fixture *f, gconstpointer data)
{
  static const char bytes[] = "id,received_at,source,kind\n\xff\xfe\xff,2023-12-01 08:00:00,110,linkage\n";
  check_refused (f, "incidents.csv", bytes, sizeof bytes - 1, "not UTF-8 or GB18030");
}

static void
test_gb18030 (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdStore) store = ld_store_open (f->db, &error);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(LdIncident) inc = NULL;
  g_autofree char *gb = NULL;
  gsize length;
  LdImportCounts counts;

  /* Chinese Windows spreadsheets save GB18030. */
  gb = g_convert (incidents_csv, -1, "GB18030", "UTF-8", NULL, &length, &error);
  g_assert_no_error (error);
  write_file (f->files, "incidents.csv", gb, length);
  g_assert_true (ld_import_dir (store, f->files, FALSE, &counts, problems, &error));
  g_assert_no_error (error);
  inc = ld_store_get_incident (store, "i1", &error);
  g_assert_cmpstr (inc->address, ==, "由拳路富润路口");
  g_assert_cmpstr (inc->summary, ==, "路面有石子");
}

static void
test_bom_and_gcj02 (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdStore) store = ld_store_open (f->db, &error);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(LdUnit) unit = NULL;
  g_autofree char *with_bom = g_strconcat ("\xef\xbb\xbf", units_csv, NULL);
  LdImportCounts counts;
  double lat, lon;

  write_file (f->files, "units.csv", with_bom, -1);
  g_assert_true (ld_import_dir (store, f->files, TRUE, &counts, problems, &error));
  g_assert_no_error (error);
  unit = ld_store_get_unit (store, "MKT", &error);
  ld_geo_gcj02_to_wgs84 (30.5, 120.5, &lat, &lon);
  g_assert_cmpfloat_with_epsilon (unit->lat, lat, 1e-9);
  g_assert_cmpfloat_with_epsilon (unit->lon, lon, 1e-9);
}

static void
test_no_files (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdStore) store = ld_store_open (f->db, &error);
  g_autofree char *empty = g_build_filename (f->dir, "empty", NULL);

  g_mkdir (empty, 0755);
  g_assert_false (ld_import_dir (store, empty, FALSE, NULL, NULL, &error));
  g_assert_error (error, LD_IMPORT_ERROR, LD_IMPORT_ERROR_NO_FILES);
}

/* ---- Real records from another system ---- */

static void
append_row (GString *out, const char *const *cells, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      ld_csv_append_field (out, cells[i]);
    }
  g_string_append_c (out, '\n');
}

#define ROW(out, ...) \
  append_row (out, (const char *const[]) { __VA_ARGS__ }, G_N_ELEMENTS (((const char *const[]) { __VA_ARGS__ })))

/* The source's "01/01/2017 12:04:18 AM", US Pacific, as ISO 8601 with its
 * offset; NULL for an empty cell. */
static char *
pacific_time (GTimeZone *pacific, const char *text)
{
  g_autoptr(GDateTime) time = NULL;
  int month, day, year, hour, minute, second;
  char half[3];

  if (text == NULL)
    return NULL;
  g_assert_cmpint (sscanf (text, "%d/%d/%d %d:%d:%d %2s", &month, &day, &year, &hour, &minute, &second, half), ==, 7);
  hour = hour % 12 + (g_str_equal (half, "PM") ? 12 : 0);
  time = g_date_time_new (pacific, year, month, day, hour, minute, second);
  g_assert_nonnull (time);
  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%S%:z");
}

typedef struct {
  guint      orders, incidents, units, categories, regions;
  guint      signed_, completed;
  GPtrArray *warned;   /* what the import is to say of the orders it takes as they are */
} Converted;

static void
converted_clear (Converted *c)
{
  g_clear_pointer (&c->warned, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Converted, converted_clear)

/* Writes the San Francisco Fire Department's dispatches received on @day
 * (the source's "01/01/2017"; NULL for all of them) into @dir as our
 * interchange files, in the order of the source: a battalion is a region,
 * a "Unit ID" a unit, a "Call Type" a category, an "Incident Number" an
 * incident (one "Call Number" each in this week), each row an order whose
 * Received, Dispatch, Response, On Scene and Available are its incident's
 * received_at and its dispatched_at, signed_at, arrived_at and
 * completed_at. */
static void
convert_sf_calls (const char *source, const char *day, const char *dir, Converted *out)
{
  static const char *const columns[] = {
    "Call Number", "Unit ID", "Incident Number", "Call Type", "Received DtTm", "Dispatch DtTm", "Response DtTm",
    "On Scene DtTm", "Available DtTm", "Address", "Battalion", "Unit Type", "Location", "RowID", NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(LdCsvReader) csv = ld_csv_reader_new_for_path (source, &error);
  g_autoptr(GTimeZone) pacific = g_time_zone_new_identifier ("America/Los_Angeles");
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GString *regions = g_string_new ("code,name\n");
  GString *units = g_string_new ("code,name,tier,category\n");
  GString *categories = g_string_new ("code,name,mode\n");
  GString *incidents = g_string_new ("id,received_at,source,kind,address,lat,lon,region_code,category,summary\n");
  GString *orders = g_string_new ("id,incident_id,unit_code,dispatched_at,signed_at,arrived_at,completed_at\n");
  GString *files[] = { regions, units, categories, incidents, orders };
  const char *names[] = { "regions.csv", "units.csv", "categories.csv", "incidents.csv", "orders.csv" };
  int c[G_N_ELEMENTS (columns) - 1];

  g_assert_no_error (error);
  g_assert_nonnull (pacific);
  g_assert_true (ld_csv_reader_require_columns (csv, columns, &error));
  for (guint i = 0; columns[i]; i++)
    c[i] = ld_csv_reader_column (csv, columns[i]);
  *out = (Converted) { 0, };
  out->warned = g_ptr_array_new_with_free_func (g_free);

  while (ld_csv_reader_next (csv, &error))
    {
#define CELL(i) ld_csv_reader_get (csv, c[i])
      const char *call = CELL (0), *unit = CELL (1), *incident = CELL (2), *type = CELL (3);
      const char *battalion = CELL (10), *location = CELL (12);
      g_autofree char *received = pacific_time (pacific, CELL (4));
      g_autofree char *dispatched = pacific_time (pacific, CELL (5));
      g_autofree char *signed_at = pacific_time (pacific, CELL (6));
      g_autofree char *arrived = pacific_time (pacific, CELL (7));
      g_autofree char *completed = pacific_time (pacific, CELL (8));
      g_autofree char *unit_key = g_strconcat ("unit ", unit, NULL);
      g_autofree char *type_key = g_strconcat ("type ", type, NULL);
      g_autofree char *battalion_key = g_strconcat ("battalion ", battalion, NULL);
      g_autofree char *incident_key = g_strconcat ("incident ", incident, NULL);

      if (day && !g_str_has_prefix (CELL (4), day))
        continue;
      if (g_hash_table_add (seen, g_strdup (battalion_key)))
        {
          g_autofree char *name = g_strdup_printf ("Battalion %s", battalion);
          ROW (regions, battalion, name);
          out->regions++;
        }
      if (g_hash_table_add (seen, g_strdup (unit_key)))
        {
          g_autofree char *category = g_ascii_strdown (CELL (11), -1);
          ROW (units, unit, unit, "1", category);
          out->units++;
        }
      if (g_hash_table_add (seen, g_strdup (type_key)))
        {
          ROW (categories, type, type, "immediate");
          out->categories++;
        }
      if (g_hash_table_add (seen, g_strdup (incident_key)))
        {
          g_autofree char *summary = g_strdup_printf ("%s (call %s)", type, call);
          char lat[G_ASCII_DTOSTR_BUF_SIZE], lon[G_ASCII_DTOSTR_BUF_SIZE];
          double y, x;

          g_assert_cmpint (sscanf (location, "(%lf, %lf)", &y, &x), ==, 2);
          ROW (incidents, incident, received, "other", "linkage", CELL (9),
               g_ascii_dtostr (lat, sizeof lat, y), g_ascii_dtostr (lon, sizeof lon, x), battalion, type, summary);
          out->incidents++;
        }
      ROW (orders, CELL (13), incident, unit, dispatched, signed_at, arrived, completed);
      out->orders++;
      out->signed_ += signed_at != NULL;
      out->completed += completed != NULL;
      if (signed_at == NULL && (arrived || completed))
        g_ptr_array_add (out->warned, g_strdup_printf ("orders.csv:%u: %s without signed_at: imported as not signed",
                                                       out->orders + 1, arrived ? "arrived_at" : "completed_at"));
#undef CELL
    }
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      write_file (dir, names[i], files[i]->str, files[i]->len);
      g_string_free (files[i], TRUE);
    }
}

static void
assert_lists_equal (GPtrArray *got, GPtrArray *expected)
{
  for (guint i = 0; i < MIN (got->len, expected->len); i++)
    g_assert_cmpstr (g_ptr_array_index (got, i), ==, g_ptr_array_index (expected, i));
  g_assert_cmpuint (got->len, ==, expected->len);
}

/* New Year's Day 2017 of the San Francisco Fire Department: 42 of its
 * 1,166 dispatches were done with no acknowledgement recorded. They come
 * in as they are, each said by its line, and count as not signed. */
static void
test_real_new_years_day (Fixture *f, gconstpointer data)
{
  g_autofree char *source = ld_test_shared_data ("dispatch/sf_fire_calls_2017w1.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(LdStore) store = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *dir = g_build_filename (f->dir, "sf", NULL);
  g_auto(Converted) slice = { 0, };
  LdImportCounts counts;
  LdPeriod january;
  LdRegionCounts all;

  if (source == NULL)
    return;
  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  convert_sf_calls (source, "01/01/2017", dir, &slice);
  g_assert_cmpuint (slice.orders, ==, 1166);
  g_assert_cmpuint (slice.incidents, ==, 539);
  g_assert_cmpuint (slice.warned->len, ==, 42);

  store = ld_store_open (f->db, &error);
  g_assert_no_error (error);
  if (!ld_import_dir_full (store, dir, 0, &counts, problems, warnings, &error))
    {
      g_ptr_array_add (problems, NULL);
      g_error ("%s:\n%s", error->message, g_strjoinv ("\n", (char **) problems->pdata));
    }
  g_assert_cmpuint (counts.regions, ==, slice.regions);
  g_assert_cmpuint (counts.units, ==, slice.units);
  g_assert_cmpuint (counts.categories, ==, slice.categories);
  g_assert_cmpuint (counts.incidents, ==, 539);
  g_assert_cmpuint (counts.orders, ==, 1166);
  assert_lists_equal (warnings, slice.warned);

  /* Pacific New Year's Day lies within January in Shanghai. */
  january = ld_period_month (ld_store_get_time_zone (store), 2017, 1);
  g_assert_true (ld_metrics_compute_series (store, &january, 1, NULL, ld_time_now (), TRUE, &all, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (all.incidents, ==, 539);
  g_assert_cmpuint (all.orders.dispatched, ==, 1166);
  g_assert_cmpuint (all.orders.signed_, ==, 1124);
  g_assert_cmpuint (all.orders.signed_, ==, slice.signed_);
  g_assert_cmpuint (all.orders.completed, ==, slice.completed);
}

/* The whole week holds one order that came on scene before its
 * acknowledgement (line 6037 of the source, 170062627-AM08): a step before
 * its predecessor is an error, and the week is not imported. */
static void
test_real_week_refused (Fixture *f, gconstpointer data)
{
  g_autofree char *source = ld_test_shared_data ("dispatch/sf_fire_calls_2017w1.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(LdStore) store = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *dir = g_build_filename (f->dir, "sf", NULL);
  g_auto(Converted) week = { 0, };
  g_autoptr(LdOrder) order = NULL;
  LdImportCounts counts;

  if (source == NULL)
    return;
  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  convert_sf_calls (source, NULL, dir, &week);
  g_assert_cmpuint (week.orders, ==, 7704);
  g_assert_cmpuint (week.incidents, ==, 3560);
  g_assert_cmpuint (week.warned->len, ==, 214);

  store = ld_store_open (f->db, &error);
  g_assert_no_error (error);
  g_assert_false (ld_import_dir_full (store, dir, 0, &counts, problems, warnings, &error));
  g_assert_error (error, LD_IMPORT_ERROR, LD_IMPORT_ERROR_BAD_ROWS);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (problems, 0), ==, "orders.csv:6037: arrived_at is before signed_at");
  assert_lists_equal (warnings, week.warned);
  g_assert_cmpuint (ld_import_counts_total (&counts), ==, 0);
  order = ld_store_get_order (store, "170062627-AM08", NULL);
  g_assert_null (order);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/import/good", test_good_import);
  ADD ("/import/refused/bad-time", test_bad_time);
  ADD ("/import/refused/time-before-2000", test_time_before_2000);
  ADD ("/import/refused/time-ahead", test_time_ahead);
  ADD ("/import/refused/field-too-long", test_field_too_long);
  ADD ("/import/refused/unknown-unit", test_unknown_unit);
  ADD ("/import/refused/duplicate-in-file", test_duplicate_in_file);
  ADD ("/import/refused/duplicate-in-store", test_duplicate_in_store);
  ADD ("/import/refused/truncated-line", test_truncated_line);
  ADD ("/import/refused/truncated-quote", test_truncated_quote);
  ADD ("/import/refused/order-rules", test_order_rules);
  ADD ("/import/refused/order-rules-skipped-step", test_order_rules_skipped_step);
  ADD ("/import/warned/later-step-without-earlier", test_later_step_without_earlier);
  ADD ("/import/dry-run", test_dry_run);
  ADD ("/import/real/sf-fire-new-years-day", test_real_new_years_day);
  ADD ("/import/real/sf-fire-week-refused", test_real_week_refused);
  ADD ("/import/refused/missing-column", test_missing_column);
  ADD ("/import/refused/not-text", test_not_text);
  ADD ("/import/gb18030", test_gb18030);
  ADD ("/import/bom-and-gcj02", test_bom_and_gcj02);
  ADD ("/import/no-files", test_no_files);
#undef ADD

  return g_test_run ();
}
