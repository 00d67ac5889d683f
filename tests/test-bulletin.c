/* test-bulletin.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <cairo.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>

#include "ld-bulletin.h"
#include "ld-demo.h"
#include "ld-test-util.h"

/* Everything is read as of this moment, so runs compare exactly. */
#define AS_OF G_GINT64_CONSTANT (1735689600000000)  /* 2025-01-01 */

typedef struct {
  LdStore    *store;
  LdReport   *report;
  LdBulletin *bulletin;
  JsonParser *parser;
  JsonObject *root;
  char       *dir;
} Fixture;

/* One demo city for every test: generating it is the slow part. */
static LdStore *demo;

static LdStore *
demo_store (void)
{
  g_autoptr(GError) error = NULL;
  LdDemoOptions options;
  LdDemoCounts counts;

  if (demo)
    return g_object_ref (demo);
  demo = ld_store_open (":memory:", &error);
  g_assert_no_error (error);
  ld_demo_options_init (&options);
  /* The day seed 000's bulletin for November 2023 went out. */
  g_assert_true (ld_time_parse ("2023-12-05 10:00", ld_store_get_time_zone (demo), &options.until, &error));
  options.months = 13;
  options.seed = 10;
  options.scale = 0.01;
  g_assert_true (ld_demo_generate (demo, &options, &counts, &error));
  g_assert_no_error (error);
  return g_object_ref (demo);
}

static LdReport *
month_report (LdStore *store, int month)
{
  g_autoptr(GError) error = NULL;
  LdPeriod period = ld_period_month (ld_store_get_time_zone (store), 2023, month);
  LdReport *report = ld_report_new (store, &period, NULL, AS_OF, &error);

  g_assert_no_error (error);
  return report;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  f->store = demo_store ();
  f->report = month_report (f->store, 11);
  f->bulletin = ld_bulletin_new (f->report, f->store, &error);
  g_assert_no_error (error);
  json = ld_report_to_json (f->report);
  f->parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (f->parser, json, -1, &error));
  f->root = json_node_get_object (json_parser_get_root (f->parser));
  f->dir = ld_test_make_tmp ("ld-bulletin-XXXXXX");
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_clear_object (&f->parser);
  g_clear_object (&f->bulletin);
  g_clear_object (&f->report);
  g_clear_object (&f->store);
}

static LdBulletinBlock *
find_table (LdBulletin *bulletin, const char *sheet_name)
{
  GPtrArray *blocks = ld_bulletin_get_blocks (bulletin);

  for (guint i = 0; i < blocks->len; i++)
    {
      LdBulletinBlock *block = g_ptr_array_index (blocks, i);
      if (block->kind == LD_BULLETIN_TABLE && g_strcmp0 (block->sheet_name, sheet_name) == 0)
        return block;
    }
  g_assert_not_reached ();
}

static const LdBulletinCell *
cell (const LdBulletinBlock *block, guint row, guint col)
{
  g_assert_cmpuint (row, <, block->n_rows);
  g_assert_cmpuint (col, <, block->n_cols);
  return &block->cells[row * block->n_cols + col];
}

static JsonObject *
find_by (JsonArray *array, const char *member, const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      if (g_strcmp0 (json_object_get_string_member (o, member), value) == 0)
        return o;
    }
  g_assert_not_reached ();
}

static JsonObject *
unit_named (Fixture *f, const char *name)
{
  return find_by (json_object_get_array_member (f->root, "units"), "name", name);
}

/* A region column of the bulletin: the scope is headed 全市 ("the whole
 * city"), the others by name. */
static JsonObject *
region_headed (Fixture *f, const LdBulletinBlock *block, guint col)
{
  JsonArray *regions = json_object_get_array_member (f->root, "regions");
  const char *head = cell (block, 0, col)->text;

  if (g_str_equal (head, "the whole city"))
    return json_array_get_object_element (regions, 0);
  return find_by (regions, "name", head);
}

static void
assert_count (const LdBulletinCell *c, gint64 expected)
{
  g_assert_true (c->is_number);
  g_assert_false (c->is_rate);
  g_assert_cmpfloat (c->value, ==, expected);
  g_assert_cmpint (g_ascii_strtoll (c->text, NULL, 10), ==, expected);
}

static void
assert_rate (const LdBulletinCell *c, JsonObject *o, const char *member)
{
  JsonNode *node = json_object_get_member (o, member);

  if (JSON_NODE_HOLDS_NULL (node))
    {
      g_assert_false (c->is_number);
      g_assert_cmpstr (c->text, ==, "—");
      return;
    }
  g_assert_true (c->is_rate);
  g_assert_cmpfloat_with_epsilon (c->value, json_node_get_double (node), 1e-6);
  g_assert_true (g_str_has_suffix (c->text, "%"));
  g_assert_cmpfloat_with_epsilon (g_ascii_strtod (c->text, NULL) / 100, json_node_get_double (node), 5e-5);
}

static gboolean
below_target (JsonObject *unit, const char *metric)
{
  JsonArray *alerts = json_object_get_array_member (unit, "below_target");
  for (guint i = 0; i < json_array_get_length (alerts); i++)
    if (g_str_equal (json_array_get_string_element (alerts, i), metric))
      return TRUE;
  return FALSE;
}

/* Every number the bulletin prints is the report's own. */
static void
test_numbers_match_json (Fixture *f, gconstpointer data)
{
  LdBulletinBlock *alarms = find_table (f->bulletin, "Linkage alarms");
  LdBulletinBlock *handled = find_table (f->bulletin, "Handled");
  LdBulletinBlock *repeat = find_table (f->bulletin, "Repeat calls");
  LdBulletinBlock *sign = find_table (f->bulletin, "Sign and feedback");
  LdBulletinBlock *attachment = find_table (f->bulletin, "Attachment");
  guint alerts = 0;

  g_assert_cmpuint (alarms->n_rows, ==, 3);
  g_assert_cmpuint (alarms->n_cols, >, 3);
  for (guint c = 1; c < alarms->n_cols; c++)
    {
      JsonObject *r = region_headed (f, alarms, c);
      assert_count (cell (alarms, 1, c), json_object_get_int_member (r, "linkage_alarms"));
      assert_rate (cell (alarms, 2, c), r, "linkage_alarms_yoy");
      r = region_headed (f, handled, c);
      assert_count (cell (handled, 1, c), json_object_get_int_member (r, "handled"));
      assert_rate (cell (handled, 2, c), r, "handled_yoy");
    }

  g_assert_cmpuint (repeat->n_cols, ==, 12);
  for (guint c = 1; c < repeat->n_cols; c++)
    {
      JsonObject *u = unit_named (f, cell (repeat, 0, c)->text);
      assert_count (cell (repeat, 1, c), json_object_get_int_member (u, "dispatched"));
      assert_count (cell (repeat, 2, c), json_object_get_int_member (u, "repeat_calls"));
      assert_rate (cell (repeat, 3, c), u, "repeat_rate");
      g_assert_cmpint (cell (repeat, 3, c)->alert, ==, below_target (u, "repeat_rate"));
      /* Highest rate first. */
      if (c > 1)
        g_assert_cmpfloat (cell (repeat, 3, c)->value, <=, cell (repeat, 3, c - 1)->value);
    }

  g_assert_cmpuint (sign->n_cols, ==, 4);
  g_assert_cmpuint (sign->n_rows, >, 10);
  for (guint r = 1; r < sign->n_rows; r++)
    {
      JsonObject *u = unit_named (f, cell (sign, r, 0)->text);
      assert_count (cell (sign, r, 1), json_object_get_int_member (u, "dispatched"));
      assert_rate (cell (sign, r, 2), u, "sign_rate");
      assert_rate (cell (sign, r, 3), u, "feedback_rate");
      g_assert_cmpint (cell (sign, r, 2)->alert, ==, below_target (u, "sign_rate"));
      g_assert_cmpint (cell (sign, r, 3)->alert, ==, below_target (u, "feedback_rate"));
      alerts += cell (sign, r, 2)->alert + cell (sign, r, 3)->alert;
    }
  g_assert_cmpuint (alerts, >, 0);

  g_assert_cmpuint (attachment->header_rows, ==, 2);
  g_assert_cmpuint (attachment->n_cols, ==, 5);
  g_assert_cmpuint (attachment->n_rows, ==, 2 + alarms->n_cols - 1);
  for (guint r = 2; r < attachment->n_rows; r++)
    {
      JsonObject *region = region_headed (f, alarms, r - 1);
      g_assert_cmpstr (cell (attachment, r, 0)->text, ==, cell (alarms, 0, r - 1)->text);
      assert_count (cell (attachment, r, 1), json_object_get_int_member (region, "handled"));
      assert_count (cell (attachment, r, 2), json_object_get_int_member (region, "handled_by_units"));
    }
}

/* The attachment's year to date is the sum of the year's months. */
static void
test_year_to_date (Fixture *f, gconstpointer data)
{
  LdBulletinBlock *attachment = find_table (f->bulletin, "Attachment");
  gint64 handled = 0, by_units = 0;

  /* The demo city's history starts in November 2022, so every month of
   * 2023 up to November has incidents. */
  for (int month = 1; month <= 11; month++)
    {
      g_autoptr(LdReport) report = month_report (f->store, month);
      handled += ld_report_get_scope (report)->now.handled;
      by_units += ld_report_get_scope (report)->now.handled_by_units;
    }
  g_assert_cmpuint (handled, >, ld_report_get_scope (f->report)->now.handled);
  assert_count (cell (attachment, 2, 3), handled);
  assert_count (cell (attachment, 2, 4), by_units);
}

static void
on_changed (LdBulletin *bulletin, guint *n)
{
  (*n)++;
}

static void
test_cases_and_problems (Fixture *f, gconstpointer data)
{
  g_auto(GStrv) cases = ld_bulletin_dup_cases (f->bulletin);
  g_auto(GStrv) problems = ld_bulletin_dup_problems (f->bulletin);
  g_auto(GStrv) edited_cases = NULL, edited_problems = NULL;
  g_autofree char *before = ld_bulletin_to_text (f->bulletin);
  g_autofree char *after = NULL, *emptied = NULL;
  const char *new_cases[] = { "A fire on Lake Road was put out by three units together.", NULL };
  const char *new_problems[] = { "The market unit signed late twice.", "The town center did not answer.", NULL };
  guint changed = 0;

  /* Proposed from the month's data, in the seed's manner. */
  g_assert_cmpuint (g_strv_length (cases), >=, 1);
  g_assert_cmpuint (g_strv_length (cases), <=, 2);
  g_assert_nonnull (strstr (cases[0], "received a call reporting that"));
  g_assert_nonnull (strstr (cases[0], "to the scene for joint handling"));
  g_assert_nonnull (strstr (before, cases[0]));
  g_assert_cmpuint (g_strv_length (problems), >=, 2);
  g_assert_nonnull (strstr (before, problems[0]));
  {
    g_autofree char *first = g_strdup_printf ("1. %s", problems[0]);
    g_assert_nonnull (strstr (before, first));
  }

  g_signal_connect (f->bulletin, "changed", G_CALLBACK (on_changed), &changed);
  ld_bulletin_set_cases (f->bulletin, new_cases);
  g_assert_cmpuint (changed, ==, 1);
  ld_bulletin_set_problems (f->bulletin, new_problems);
  g_assert_cmpuint (changed, ==, 2);

  edited_cases = ld_bulletin_dup_cases (f->bulletin);
  edited_problems = ld_bulletin_dup_problems (f->bulletin);
  g_assert_cmpstrv (edited_cases, new_cases);
  g_assert_cmpstrv (edited_problems, new_problems);
  after = ld_bulletin_to_text (f->bulletin);
  g_assert_null (strstr (after, cases[0]));
  g_assert_null (strstr (after, problems[0]));
  g_assert_nonnull (strstr (after, new_cases[0]));
  g_assert_nonnull (strstr (after, "1. The market unit signed late twice."));
  g_assert_nonnull (strstr (after, "2. The town center did not answer."));

  ld_bulletin_set_cases (f->bulletin, NULL);
  emptied = ld_bulletin_to_text (f->bulletin);
  g_assert_null (strstr (emptied, new_cases[0]));
  g_assert_nonnull (strstr (emptied, "No case of joint handling is reported this period."));
}

/* A district's cases and problems name the city's units that went there
 * by name, as they name its own. */
static void
test_district_names_units (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) regions = ld_store_list_regions (f->store, &error);
  g_autoptr(GPtrArray) units = ld_store_list_units (f->store, &error);
  LdPeriod november = ld_period_month (ld_store_get_time_zone (f->store), 2023, 11);
  guint naming = 0;

  for (guint r = 0; r < regions->len; r++)
    {
      LdRegion *region = g_ptr_array_index (regions, r);
      g_autoptr(LdReport) report = NULL;
      g_autoptr(LdBulletin) bulletin = NULL;
      g_auto(GStrv) cases = NULL, problems = NULL;
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) proposals = NULL;

      if (region->parent_code == NULL)
        continue;
      report = ld_report_new (f->store, &november, region->code, AS_OF, &error);
      g_assert_no_error (error);
      bulletin = ld_bulletin_new (report, f->store, &error);
      g_assert_no_error (error);
      cases = ld_bulletin_dup_cases (bulletin);
      problems = ld_bulletin_dup_problems (bulletin);
      g_strv_builder_addv (builder, (const char **) cases);
      g_strv_builder_addv (builder, (const char **) problems);
      proposals = g_strv_builder_end (builder);
      for (guint i = 0; proposals[i]; i++)
        for (guint u = 0; u < units->len; u++)
          {
            LdUnit *unit = g_ptr_array_index (units, u);

            if (strstr (proposals[i], unit->code))
              g_error ("%s's bulletin says %s for %s: %s", region->name, unit->code, unit->name, proposals[i]);
            if (strstr (proposals[i], unit->name) && !g_str_equal (unit->region_code ? unit->region_code : "",
                                                                  region->code))
              naming++;
          }
    }
  /* Some district's proposals did name a unit from elsewhere. */
  g_assert_cmpuint (naming, >, 0);
}

/* The text keeps seed 000's order of sections. */
static void
test_text (Fixture *f, gconstpointer data)
{
  g_autofree char *text = ld_bulletin_to_text (f->bulletin);
  g_autofree char *alarms = g_strdup_printf ("%u", ld_report_get_scope (f->report)->now.linkage_alarms);
  static const char *order[] = {
    "bulletin (2023-11)", "I. Operations", "(1) Linkage alarms", "(4) Repeat-call rates", "(7) Simulated-alarm drills",
    "II. Roll call", "III. Successful cases", "IV. Problems", "(Period: 2023-11-01 to 2023-11-30)",
    "Attachment: linkage handling by region", "Notes", "Sign rate = ",
  };
  const char *at = text;

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      const char *found = strstr (at, order[i]);
      g_assert_nonnull (found);
      at = found;
    }
  g_assert_nonnull (strstr (text, alarms));
  g_assert_nonnull (strstr (text, "Region | the whole city | "));
}

static void
test_csv (Fixture *f, gconstpointer data)
{
  g_autofree char *csv = ld_bulletin_to_csv (f->bulletin);
  LdBulletinBlock *sign = find_table (f->bulletin, "Sign and feedback");
  g_autofree char *row = NULL;
  char rate[G_ASCII_DTOSTR_BUF_SIZE];

  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBF"));
  g_ascii_formatd (rate, sizeof rate, "%.4f", cell (sign, 1, 2)->value);
  row = g_strdup_printf ("\r\n%s,%s,%s,", cell (sign, 1, 0)->text, cell (sign, 1, 1)->text, rate);
  g_assert_nonnull (strstr (csv, row));
  g_assert_nonnull (strstr (csv, "Attachment: linkage handling by region\r\n"));
}

static char *
run_tool (const char *const *argv, gboolean *ok)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  *ok = g_spawn_check_wait_status (status, NULL);
  return out;
}

/* Share of a page's pixels that are not white. */
static double
ink (const char *png)
{
  cairo_surface_t *image = cairo_image_surface_create_from_png (png);
  int width, height, stride;
  unsigned char *data;
  guint dark = 0;

  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (image);
  width = cairo_image_surface_get_width (image);
  height = cairo_image_surface_get_height (image);
  stride = cairo_image_surface_get_stride (image);
  data = cairo_image_surface_get_data (image);
  g_assert_cmpint (cairo_image_surface_get_format (image), !=, CAIRO_FORMAT_A8);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 px = *(guint32 *) (data + y * stride + 4 * x);
        if (((px >> 16) & 0xff) < 128 && ((px >> 8) & 0xff) < 128 && (px & 0xff) < 128)
          dark++;
      }
  cairo_surface_destroy (image);
  return (double) dark / (width * height);
}

static void
test_pdf (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "bulletin.pdf", NULL);
  g_autofree char *prefix = g_build_filename (f->dir, "page", NULL);
  g_autofree char *bad = g_build_filename (f->dir, "missing", "bulletin.pdf", NULL);
  g_autofree char *fonts = NULL, *out = NULL;
  g_autofree char *pdftoppm = ld_test_find_program ("pdftoppm", "poppler-utils");
  g_autofree char *pdffonts = ld_test_find_program ("pdffonts", "poppler-utils");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint pages = 0;
  gboolean ok;

  g_assert_true (ld_bulletin_write_pdf (f->bulletin, path, &error));
  g_assert_no_error (error);
  g_assert_false (ld_bulletin_write_pdf (f->bulletin, bad, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, bad));

  {
    const char *argv[] = { pdftoppm, "-r", "50", "-png", path, prefix, NULL };
    out = run_tool (argv, &ok);
    g_assert_true (ok);
  }
  dir = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)))
    if (g_str_has_prefix (name, "page") && g_str_has_suffix (name, ".png"))
      {
        g_autofree char *png = g_build_filename (f->dir, name, NULL);
        /* Text and rules, not a blank page (a page number alone is about
         * 0.0001 of it), nor one painted over. */
        double share = ink (png);
        g_test_message ("%s: %.4f", name, share);
        g_assert_cmpfloat (share, >, 0.001);
        g_assert_cmpfloat (share, <, 0.5);
        pages++;
      }
  g_assert_cmpuint (pages, >, 1);

  {
    const char *argv[] = { pdffonts, path, NULL };
    fonts = run_tool (argv, &ok);
    g_assert_true (ok);
  }
  /* The Chinese fonts travel with the file, as subsets. */
  g_assert_nonnull (strstr (fonts, "NotoSerifCJK"));
  g_assert_nonnull (strstr (fonts, "NotoSansCJK"));
  g_assert_null (strstr (fonts, " no  "));
}

/* Pagination for print and preview: a preview at half size shows the
 * PDF's pages, a page of other proportions is set anew, and every page
 * draws. */
static void
test_paginate (Fixture *f, gconstpointer data)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 298, 421);
  cairo_t *cr = cairo_create (surface);
  guint a4 = ld_bulletin_paginate (f->bulletin, cr, 595.28, 841.89);
  guint landscape = ld_bulletin_paginate (f->bulletin, cr, 841.89, 595.28);
  guint small = ld_bulletin_paginate (f->bulletin, cr, 297.64, 420.94);

  g_assert_cmpuint (a4, >, 1);
  g_assert_cmpuint (landscape, >, a4);
  g_assert_cmpuint (small, ==, a4);
  ld_bulletin_draw_page (f->bulletin, cr, small - 1);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static char *
unzip_member (const char *zip, const char *member)
{
  g_autofree char *unzip = ld_test_find_program ("unzip", "unzip");
  const char *argv[] = { unzip, "-p", zip, member, NULL };
  gboolean ok;
  char *out = run_tool (argv, &ok);

  g_assert_true (ok);
  return out;
}

static void
test_xlsx (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "bulletin.xlsx", NULL);
  g_autofree char *workbook = NULL, *strings = NULL, *alarms_sheet = NULL, *repeat_sheet = NULL;
  g_autofree char *styles = NULL;
  g_autoptr(GError) error = NULL;
  LdBulletinBlock *alarms = find_table (f->bulletin, "Linkage alarms");
  LdBulletinBlock *repeat = find_table (f->bulletin, "Repeat calls");
  char rate[G_ASCII_DTOSTR_BUF_SIZE];

  g_assert_true (ld_bulletin_write_xlsx (f->bulletin, path, &error));
  g_assert_no_error (error);
  /* The narrative first, then the tables in the bulletin's order. */
  workbook = unzip_member (path, "xl/workbook.xml");
  g_assert_nonnull (strstr (workbook, "<sheet name=\"Bulletin\" sheetId=\"1\""));
  g_assert_nonnull (strstr (workbook, "<sheet name=\"Linkage alarms\" sheetId=\"2\""));
  g_assert_nonnull (strstr (workbook, "<sheet name=\"Repeat calls\" sheetId=\"4\""));
  g_assert_nonnull (strstr (workbook, "<sheet name=\"Attachment\""));

  strings = unzip_member (path, "xl/sharedStrings.xml");
  g_assert_nonnull (strstr (strings, "I. Operations"));
  for (guint c = 1; c < repeat->n_cols; c++)
    {
      g_autofree char *name = g_strdup_printf (">%s<", cell (repeat, 0, c)->text);
      g_assert_nonnull (strstr (strings, name));
    }

  /* Counts as numbers where the bulletin has them: row 2, from column B. */
  alarms_sheet = unzip_member (path, "xl/worksheets/sheet2.xml");
  {
    g_autofree char *b2 = g_strdup_printf ("<v>%.0f</v>", cell (alarms, 1, 1)->value);
    const char *at = strstr (alarms_sheet, "r=\"B2\"");
    g_assert_nonnull (at);
    g_assert_true (g_str_has_prefix (strchr (at, '>') + 1, b2));
  }

  /* Rates as fractions in a percent format; a missed target in bold red. */
  repeat_sheet = unzip_member (path, "xl/worksheets/sheet4.xml");
  g_ascii_formatd (rate, sizeof rate, "%.15g", cell (repeat, 3, 1)->value);
  {
    g_autofree char *b4 = g_strdup_printf ("<v>%s", rate);
    const char *at = strstr (repeat_sheet, "r=\"B4\"");
    g_assert_nonnull (at);
    g_assert_true (g_str_has_prefix (strchr (at, '>') + 1, b4));
  }
  styles = unzip_member (path, "xl/styles.xml");
  g_assert_nonnull (strstr (styles, "formatCode=\"0.00%\""));
  g_assert_nonnull (strstr (styles, "<color rgb=\"FFFF0000\"/>"));
}

/* The one entry point of the command line and the server. */
static void
test_render (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) json = ld_bulletin_render (f->report, f->store, "json", &error);
  g_autoptr(GBytes) pdf = ld_bulletin_render (f->report, f->store, "pdf", &error);
  g_autoptr(GBytes) xlsx = ld_bulletin_render (f->report, f->store, "xlsx", &error);
  g_autoptr(GBytes) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (((const char *) g_bytes_get_data (json, NULL))[0], ==, '{');
  g_assert_true (g_str_has_prefix (g_bytes_get_data (pdf, NULL), "%PDF-"));
  g_assert_true (g_str_has_prefix (g_bytes_get_data (xlsx, NULL), "PK"));
  none = ld_bulletin_render (f->report, f->store, "docx", &error);
  g_assert_null (none);
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
}

/* The bulletin goes out in Chinese: with the translation built, the same
 * month reads like seed 000. */
static void
test_chinese (void)
{
  const char *localedir = g_getenv ("LIANDONG_LOCALEDIR");
  g_autofree char *mo = localedir ? g_build_filename (localedir, "zh_CN", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL) : NULL;
  g_autoptr(LdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LdReport) report = NULL;
  g_autoptr(LdBulletin) bulletin = NULL;
  g_autofree char *text = NULL;

  g_assert_nonnull (localedir);
  if (!g_file_test (mo, G_FILE_TEST_EXISTS))
    g_error ("%s is not built", mo);
  if (setlocale (LC_ALL, "zh_CN.UTF-8") == NULL && setlocale (LC_ALL, "C.UTF-8") == NULL)
    g_error ("no UTF-8 locale: neither zh_CN.UTF-8 nor C.UTF-8 (Debian package locales)");
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  store = demo_store ();
  report = month_report (store, 11);
  bulletin = ld_bulletin_new (report, store, &error);
  g_assert_no_error (error);
  text = ld_bulletin_to_text (bulletin);
  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "C");

  g_assert_nonnull (strstr (text, "一、运行情况"));
  g_assert_nonnull (strstr (text, "11月,全市共受理各类联动报警"));
  g_assert_nonnull (strstr (text, "重复报警率"));
  g_assert_nonnull (strstr (text, "二、点名报备"));
  g_assert_nonnull (strstr (text, "2023年11月30日"));
  g_assert_null (strstr (text, "linkage alarms"));
}

/* A demo city of its own for a seed, as demo_store() makes seed 10's. */
static LdStore *
seed_store (guint seed)
{
  g_autoptr(GError) error = NULL;
  LdStore *store = ld_store_open (":memory:", &error);
  LdDemoOptions options;
  LdDemoCounts counts;

  g_assert_no_error (error);
  ld_demo_options_init (&options);
  g_assert_true (ld_time_parse ("2023-12-05 10:00", ld_store_get_time_zone (store), &options.until, &error));
  options.months = 13;
  options.seed = seed;
  options.scale = 0.01;
  g_assert_true (ld_demo_generate (store, &options, &counts, &error));
  g_assert_no_error (error);
  return store;
}

/* The page count pdfinfo reads in a PDF. */
static guint
pdf_pages (const char *path)
{
  g_autofree char *pdfinfo = ld_test_find_program ("pdfinfo", "poppler-utils");
  g_autofree char *out = NULL;
  const char *argv[] = { pdfinfo, path, NULL };
  const char *line;
  gboolean ok;

  out = run_tool (argv, &ok);
  g_assert_true (ok);
  line = strstr (out, "Pages:");
  g_assert_nonnull (line);
  line += strlen ("Pages:");
  return (guint) g_ascii_strtoull (line + strspn (line, " "), NULL, 10);
}

/* The desktop's preview shows the PDF's pages: set as the bulletin page
 * sets it (A4, no cairo context of its own) or at half size, the bulletin
 * has as many pages as its PDF. For the cities of seeds 7, 8 and 11 the
 * preview once counted 7 pages to the PDF's 6. */
static void
test_preview_pages (gconstpointer data)
{
  g_autoptr(LdStore) store = seed_store (GPOINTER_TO_UINT (data));
  g_autoptr(LdReport) report = month_report (store, 11);
  g_autoptr(LdBulletin) bulletin = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = ld_test_make_tmp ("ld-bulletin-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "bulletin.pdf", NULL);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 298, 421);
  cairo_t *cr = cairo_create (surface);
  guint preview, half, pdf;

  bulletin = ld_bulletin_new (report, store, &error);
  g_assert_no_error (error);
  g_assert_true (ld_bulletin_write_pdf (bulletin, path, &error));
  g_assert_no_error (error);
  pdf = pdf_pages (path);
  preview = ld_bulletin_paginate (bulletin, NULL, 595.28, 841.89);
  half = ld_bulletin_paginate (bulletin, NULL, 297.64, 420.94);
  ld_bulletin_draw_page (bulletin, cr, half - 1);

  g_assert_cmpuint (pdf, >, 1);
  g_assert_cmpuint (preview, ==, pdf);
  g_assert_cmpuint (half, ==, pdf);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  static const guint preview_seeds[] = { 7, 8, 10, 11 };
  int rc;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/bulletin/numbers-match-json", test_numbers_match_json);
  ADD ("/bulletin/year-to-date", test_year_to_date);
  ADD ("/bulletin/cases-and-problems", test_cases_and_problems);
  ADD ("/bulletin/text", test_text);
  ADD ("/bulletin/csv", test_csv);
  ADD ("/bulletin/pdf", test_pdf);
  ADD ("/bulletin/paginate", test_paginate);
  ADD ("/bulletin/xlsx", test_xlsx);
  ADD ("/bulletin/render", test_render);
#undef ADD
  g_test_add_func ("/bulletin/chinese", test_chinese);
  g_test_add ("/bulletin/district-names-units", Fixture, NULL, fixture_set_up, test_district_names_units,
              fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (preview_seeds); i++)
    {
      g_autofree char *path = g_strdup_printf ("/bulletin/preview-pages/seed-%u", preview_seeds[i]);
      g_test_add_data_func (path, GUINT_TO_POINTER (preview_seeds[i]), test_preview_pages);
    }

  rc = g_test_run ();
  g_clear_object (&demo);
  return rc;
}
