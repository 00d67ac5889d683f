/* test-cli.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The administrators' command line, run as a separate process the way a
 * script would.
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ld-test-util.h"

static int
run (char **out, char **err, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list ap;

  g_ptr_array_add (args, (gpointer) g_getenv ("LIANDONG_SERVER"));
  va_start (ap, err);
  for (const char *arg = va_arg (ap, const char *); arg; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error));
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
}

static void
test_demo_and_report (void)
{
  g_autofree char *dir = ld_test_make_tmp ("ld-cli-XXXXXX");
  g_autofree char *db = g_build_filename (dir, "demo.db", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (run (&out, &err, "demo", "--db", db, "--months", "2", "--until", "2023-12-05 10:00",
                        "--scale", "0.01", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "incidents"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (&out, &err, "report", "--db", db, "--month", "2023-11", "--format", "json", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (&out, &err, "report", "--db", db, "--month", "2023-11", "--format", "text",
                        "--region", "330401", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "I. Operations"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The bulletin's tables, for a spreadsheet that wants a BOM to read UTF-8. */
  g_assert_cmpint (run (&out, &err, "report", "--db", db, "--month", "2023-11", "--format", "csv", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "\xEF\xBB\xBF"));
  g_assert_nonnull (strstr (out, "Sign rate"));
}

static void
test_report_documents (void)
{
  g_autofree char *dir = ld_test_make_tmp ("ld-cli-XXXXXX");
  g_autofree char *db = g_build_filename (dir, "demo.db", NULL);
  g_autofree char *pdf = g_build_filename (dir, "bulletin.pdf", NULL);
  g_autofree char *xlsx = g_build_filename (dir, "bulletin.xlsx", NULL);
  g_autofree char *out = NULL, *err = NULL, *contents = NULL;
  gsize length;

  g_assert_cmpint (run (&out, &err, "demo", "--db", db, "--months", "2", "--until", "2023-12-05 10:00",
                        "--scale", "0.01", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (&out, &err, "report", "--db", db, "--month", "2023-11", "--format", "pdf",
                        "-o", pdf, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_file_get_contents (pdf, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 10000);
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A document is never poured into a terminal. */
  g_assert_cmpint (run (&out, &err, "report", "--db", db, "--month", "2023-11", "--format", "xlsx", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "-o FILE"));
  g_assert_cmpstr (out, ==, "");
  g_assert_false (g_file_test (xlsx, G_FILE_TEST_EXISTS));
}

static void
test_bad_usage (void)
{
  g_autofree char *dir = ld_test_make_tmp ("ld-cli-XXXXXX");
  g_autofree char *db = g_build_filename (dir, "x.db", NULL);
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run (&out, &err, NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, "frobnicate", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, "report", "--db", db, "--month", "2023-11", "--format", "xml", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "json, csv, text, xlsx or pdf"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, "report", "--db", db, "--month", "November", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "is not a month"));
}

static void
test_import_refused (void)
{
  g_autofree char *dir = ld_test_make_tmp ("ld-cli-XXXXXX");
  g_autofree char *db = g_build_filename (dir, "x.db", NULL);
  g_autofree char *csv = g_build_filename (dir, "units.csv", NULL);
  g_autofree char *out = NULL, *err = NULL;

  g_assert_true (g_file_set_contents (csv, "code,name,tier,category\nA,Unit A,9,market\n", -1, NULL));
  g_assert_cmpint (run (&out, &err, "import", "--db", db, dir, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "units.csv:2: tier: “9” is not a whole number from 1 to 3"));
  g_assert_nonnull (strstr (err, "nothing was imported"));
}

static void
write_in (const char *dir, const char *name, const char *content)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (path, content, -1, NULL));
}

/* A dry run checks and counts all an import would, says what it would
 * warn of, and writes nothing, not even a database that was not there. */
static void
test_import_dry_run (void)
{
  g_autofree char *dir = ld_test_make_tmp ("ld-cli-XXXXXX");
  g_autofree char *db = g_build_filename (dir, "x.db", NULL);
  g_autofree char *files = g_build_filename (dir, "in", NULL);
  g_autofree char *out = NULL, *err = NULL;
  const char *warning = "orders.csv:2: arrived_at without signed_at: imported as not signed";
  const char *counts = "0 regions, 0 boundaries, 1 units, 0 categories, 1 incidents, 1 orders, "
                       "0 feedback, 0 drills, 0 drill units, 0 roll calls.";

  g_assert_cmpint (g_mkdir (files, 0700), ==, 0);
  write_in (files, "units.csv", "code,name,tier,category\nA,Unit A,1,market\n");
  write_in (files, "incidents.csv", "id,received_at,source,kind\ni1,2023-11-21 14:05:00,110,linkage\n");
  write_in (files, "orders.csv", "id,incident_id,unit_code,dispatched_at,signed_at,arrived_at\n"
                                 "o1,i1,A,2023-11-21 14:06:00,,2023-11-21 14:20:00\n");

  g_assert_cmpint (run (&out, &err, "import", "--dry-run", "--db", db, files, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Dry run, nothing written: the files would import "));
  g_assert_nonnull (strstr (out, counts));
  g_assert_nonnull (strstr (err, warning));
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (&out, &err, "import", "--db", db, files, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Imported "));
  g_assert_nonnull (strstr (out, counts));
  g_assert_nonnull (strstr (err, warning));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Checked against what the database holds. */
  g_assert_cmpint (run (&out, &err, "import", "--dry-run", "--db", db, files, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "incidents.csv:2: duplicate id i1 (already in the store)"));
  g_assert_nonnull (strstr (err, "nothing was imported"));
}

/* A training store is one from its making, and a live store is never
 * served as practice. */
static void
test_training (void)
{
  g_autofree char *dir = ld_test_make_tmp ("ld-cli-XXXXXX");
  g_autofree char *live = g_build_filename (dir, "live.db", NULL);
  g_autofree char *practice = g_build_filename (dir, "practice.db", NULL);
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run (&out, &err, "demo", "--db", live, "--months", "1", "--scale", "0.005", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, "serve", "--db", live, "--training", "--listen", "127.0.0.1:0", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "is not a training store"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, "training-report", "--db", live, NULL), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (&out, &err, "demo", "--db", practice, "--training", "--months", "1", "--scale", "0.005", NULL),
                   ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, "training-report", "--db", practice, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Training report"));
  g_assert_nonnull (strstr (out, "0 calls"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/demo-and-report", test_demo_and_report);
  g_test_add_func ("/cli/report-documents", test_report_documents);
  g_test_add_func ("/cli/bad-usage", test_bad_usage);
  g_test_add_func ("/cli/import-refused", test_import_refused);
  g_test_add_func ("/cli/import-dry-run", test_import_dry_run);
  g_test_add_func ("/cli/training", test_training);

  return g_test_run ();
}
