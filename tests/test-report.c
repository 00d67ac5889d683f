/* test-report.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "ld-demo.h"
#include "ld-export.h"
#include "ld-import.h"
#include "ld-report.h"
#include "ld-test-util.h"

/* Everything is read as of this moment, so runs compare exactly. */
#define AS_OF G_GINT64_CONSTANT (1735689600000000)  /* 2025-01-01 */

static LdStore *
demo_store (const char *path, guint32 seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdStore) store = ld_store_open (path, &error);
  LdDemoOptions options;
  LdDemoCounts counts;

  g_assert_no_error (error);
  ld_demo_options_init (&options);
  /* The day seed 000's bulletin for November 2023 went out. */
  g_assert_true (ld_time_parse ("2023-12-05 10:00", ld_store_get_time_zone (store), &options.until, &error));
  options.months = 13;
  options.seed = seed;
  options.scale = 0.01;
  g_assert_true (ld_demo_generate (store, &options, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.incidents, >, 3000);
  g_assert_cmpuint (counts.orders, >, counts.incidents / 2);
  return g_steal_pointer (&store);
}

static char *
month_json (LdStore *store, int year, int month)
{
  g_autoptr(GError) error = NULL;
  LdPeriod period = ld_period_month (ld_store_get_time_zone (store), year, month);
  g_autoptr(LdReport) report = ld_report_new (store, &period, NULL, AS_OF, &error);

  g_assert_no_error (error);
  return ld_report_to_json (report);
}

static JsonObject *
find_by_code (JsonArray *array, const char *code)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      if (g_strcmp0 (json_object_get_string_member (o, "code"), code) == 0)
        return o;
    }
  return NULL;
}

static void
test_json_contract (void)
{
  g_autoptr(LdStore) store = demo_store (":memory:", 7);
  g_autofree char *json = month_json (store, 2023, 11);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *city, *unit;
  JsonArray *regions, *units, *diversions, *drills;
  static const char *unit_keys[] = {
    "code", "name", "dispatched", "signed", "sign_rate", "feedback_rate", "feedback_entries", "returned",
    "completed", "completion_rate", "overdue_feedback", "repeat_calls", "repeat_rate", "dispatched_yoy",
    "dispatched_mom", "repeat_calls_yoy", NULL
  };
  static const char *region_keys[] = {
    "code", "name", "linkage_alarms", "handled", "handled_by_units", "linkage_alarms_yoy",
    "linkage_alarms_mom", "handled_yoy", "handled_by_units_mom", "diverted", "diversion_share",
    "dispatched", "sign_rate", NULL
  };
  gint64 children_alarms = 0, children_diverted = 0;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "period"), "month"), ==, "2023-11");
  regions = json_object_get_array_member (root, "regions");
  units = json_object_get_array_member (root, "units");
  diversions = json_object_get_array_member (root, "diversions");
  drills = json_object_get_array_member (root, "drills");

  city = find_by_code (regions, "330400");
  g_assert_nonnull (city);
  for (guint i = 0; region_keys[i]; i++)
    g_assert_true (json_object_has_member (city, region_keys[i]));
  unit = json_array_get_object_element (units, 0);
  for (guint i = 0; unit_keys[i]; i++)
    g_assert_true (json_object_has_member (unit, unit_keys[i]));

  /* The city carries the sum over its children (the seeds' 全市 column). */
  for (guint i = 0; i < json_array_get_length (regions); i++)
    {
      JsonObject *r = json_array_get_object_element (regions, i);
      if (g_strcmp0 (json_object_get_string_member (r, "parent_code"), "330400") == 0)
        {
          children_alarms += json_object_get_int_member (r, "linkage_alarms");
          children_diverted += json_object_get_int_member (r, "diverted");
        }
    }
  g_assert_cmpint (json_object_get_int_member (city, "linkage_alarms"), ==, children_alarms);
  g_assert_cmpint (json_object_get_int_member (city, "diverted"), ==, children_diverted);
  g_assert_cmpint (children_alarms, >, 0);

  /* A rate is its counts' fraction. */
  {
    double dispatched = json_object_get_int_member (unit, "dispatched");
    double repeat = json_object_get_int_member (unit, "repeat_calls");
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (unit, "repeat_rate"), repeat / dispatched, 1e-6);
  }

  g_assert_cmpuint (json_array_get_length (diversions), ==, json_array_get_length (regions) * 4);
  g_assert_cmpuint (json_array_get_length (drills), ==, 2);
  {
    JsonObject *d = json_array_get_object_element (drills, 0);
    JsonArray *du = json_object_get_array_member (d, "units");
    gint64 late = 0;
    for (guint i = 0; i < json_array_get_length (du); i++)
      late += json_object_get_boolean_member (json_array_get_object_element (du, i), "late");
    g_assert_cmpint (json_object_get_int_member (d, "late"), ==, late);
  }
}

static void
test_demo_is_deterministic (void)
{
  g_autoptr(LdStore) a = demo_store (":memory:", 3);
  g_autoptr(LdStore) b = demo_store (":memory:", 3);
  g_autoptr(LdStore) c = demo_store (":memory:", 4);
  g_autofree char *ja = month_json (a, 2023, 11);
  g_autofree char *jb = month_json (b, 2023, 11);
  g_autofree char *jc = month_json (c, 2023, 11);

  g_assert_cmpstr (ja, ==, jb);
  g_assert_cmpstr (ja, !=, jc);
}

/* Export then import gives a store whose reports are the same. */
static void
test_export_import_round_trip (void)
{
  g_autofree char *dir = ld_test_make_tmp ("ld-report-XXXXXX");
  g_autofree char *files = g_build_filename (dir, "files", NULL);
  g_autoptr(LdStore) original = demo_store (":memory:", 5);
  g_autoptr(LdStore) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  LdImportCounts counts;
  guint rows;

  g_assert_true (ld_export_dir (original, files, &rows, &error));
  g_assert_no_error (error);
  copy = ld_store_open (":memory:", &error);
  if (!ld_import_dir (copy, files, FALSE, &counts, problems, &error))
    {
      for (guint i = 0; i < MIN (problems->len, 20); i++)
        g_printerr ("%s\n", (char *) g_ptr_array_index (problems, i));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (ld_import_counts_total (&counts) - counts.boundaries, ==, rows);
  for (int m = 10; m <= 11; m++)
    {
      g_autofree char *a = month_json (original, 2023, m);
      g_autofree char *b = month_json (copy, 2023, m);
      g_assert_cmpstr (a, ==, b);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/report/json/contract", test_json_contract);
  g_test_add_func ("/report/demo/deterministic", test_demo_is_deterministic);
  g_test_add_func ("/report/export-import/round-trip", test_export_import_round_trip);

  return g_test_run ();
}
