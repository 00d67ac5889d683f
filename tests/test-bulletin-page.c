/* test-bulletin-page.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Bulletin workspace as a leader uses it against a real server: it
 * opens on last month's bulletin, page by page; a problem written by hand
 * goes into the bulletin and everything made from it; the exports and the
 * printed pages are the pages shown.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ld-bulletin-page.h"
#include "ld-test-city.h"
#include "ld-test-desk.h"
#include "ld-test-server.h"
#include "ld-test-util.h"

static const LdActor actor = { "test", NULL };

/* Last month: a linkage incident sent to the market regulator and signed,
 * one diverted, one handled by the police alone. */
static void
build_city (LdStore *city)
{
  GTimeZone *tz = ld_store_get_time_zone (city);
  int y, m, d, h, mi, s;
  LdPeriod last_month;
  const char *kinds[] = { "linkage", "diverted", "police" };

  ld_time_to_local (ld_time_now (), tz, &y, &m, &d, &h, &mi, &s);
  last_month = m == 1 ? ld_period_month (tz, y - 1, 12) : ld_period_month (tz, y, m - 1);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *id = NULL;
      LdIncident inc = { 0, };

      inc.received_at = last_month.start + (i + 1) * 24 * 3600 * LD_USEC_PER_S;
      inc.region_code = "A";
      inc.kind = (char *) kinds[i];
      inc.diverted_to = i == 1 ? "12345" : NULL;
      inc.source = "110";
      inc.summary = "Manhole cover missing";
      inc.lat = inc.lon = NAN;
      id = ld_store_add_incident (city, &inc, &actor, &error);
      g_assert_no_error (error);
      if (i == 0)
        {
          g_autofree char *order = ld_store_dispatch (city, NULL, id, "MKT", inc.received_at + 60 * LD_USEC_PER_S,
                                                      &actor, &error);
          g_assert_no_error (error);
          g_assert_true (ld_store_sign_order (city, order, inc.received_at + 120 * LD_USEC_PER_S, &actor, &error));
        }
    }
}

static GtkWidget *
nth_of_type (GtkWidget *root, GType type, guint *n)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (*n)-- == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = nth_of_type (child, type, n);
      if (found)
        return found;
    }
  return NULL;
}

static gboolean
has_pages (gpointer page)
{
  return ld_bulletin_page_get_n_pages (page) > 0;
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  return contents;
}

/* The page count a PDF says it has. */
static guint
pdf_pages (const char *path)
{
  g_autofree char *out = NULL;
  g_autofree char *pdfinfo = ld_test_find_program ("pdfinfo", "poppler-utils");
  const char *line;
  const char *argv[] = { pdfinfo, path, NULL };

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                               NULL, NULL));
  line = strstr (out, "Pages:");
  g_assert_nonnull (line);
  return (guint) g_ascii_strtoull (line + strlen ("Pages:") + strspn (line + strlen ("Pages:"), " "), NULL, 10);
}

static gboolean
has_two_problems (gpointer page)
{
  g_auto(GStrv) items = ld_bulletin_dup_problems (ld_bulletin_page_get_bulletin (LD_BULLETIN_PAGE (page)));

  return g_strv_length (items) == 2;
}

static void
test_bulletin_page (void)
{
  LdTestDesk desk = { NULL, };
  GtkWidget *window, *page;
  LdStore *local;
  LdBulletin *bulletin;
  GtkTextView *problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = NULL, *printed = NULL, *xlsx = NULL, *csv = NULL;
  g_autofree char *text = NULL, *csv_text = NULL, *head = NULL;
  g_auto(GStrv) items = NULL;
  guint pages;

  ld_test_desk_open (&desk, "boss", "leader", build_city);
  local = ld_sync_engine_get_store (desk.engine);
  /* The edits reach the pages as soon as the main loop runs. */
  page = g_object_new (LD_TYPE_BULLETIN_PAGE, "edit-delay", 0, NULL);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  ld_bulletin_page_set_engine (LD_BULLETIN_PAGE (page), desk.engine, ld_store_get_time_zone (local));

  /* (a) Last month's bulletin, laid out in pages: its figures are the
   * report's. */
  ld_test_wait_until (has_pages, page, "the bulletin's pages");
  bulletin = ld_bulletin_page_get_bulletin (LD_BULLETIN_PAGE (page));
  g_assert_nonnull (bulletin);
  pages = ld_bulletin_page_get_n_pages (LD_BULLETIN_PAGE (page));
  g_assert_cmpuint (pages, >, 1);
  g_assert_cmpuint (ld_report_get_scope (ld_bulletin_get_report (bulletin))->now.handled, ==, 1);
  g_assert_cmpuint (ld_report_get_scope (ld_bulletin_get_report (bulletin))->now.diverted, ==, 1);

  /* (b) Problems written by hand replace the proposals once typing
   * settles, in the bulletin and its text. */
  {
    guint n = 1;
    problems = GTK_TEXT_VIEW (nth_of_type (page, GTK_TYPE_TEXT_VIEW, &n));
  }
  g_assert_nonnull (problems);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (problems),
                            "市场监管局本月有派单未按时反馈。\n\n  \n第二个问题。\n", -1);
  ld_test_wait_until (has_two_problems, page, "the problems written by hand in the bulletin");
  items = ld_bulletin_dup_problems (ld_bulletin_page_get_bulletin (LD_BULLETIN_PAGE (page)));
  g_assert_cmpuint (g_strv_length (items), ==, 2);
  g_assert_cmpstr (items[0], ==, "市场监管局本月有派单未按时反馈。");
  g_assert_cmpstr (items[1], ==, "第二个问题。");
  text = ld_bulletin_to_text (ld_bulletin_page_get_bulletin (LD_BULLETIN_PAGE (page)));
  g_assert_nonnull (strstr (text, "市场监管局本月有派单未按时反馈。"));
  {
    /* Kept beside the replica, not in it: a fresh copy replaces the file. */
    const LdPeriod *month = ld_report_get_period (ld_bulletin_get_report (ld_bulletin_page_get_bulletin (
                                                    LD_BULLETIN_PAGE (page))));
    g_autofree char *dir = g_path_get_dirname (ld_store_get_path (local));
    g_autofree char *name = NULL;
    g_autofree char *draft = NULL;
    g_autofree char *saved = NULL;
    int y, m, d, h, mi, sec;

    ld_time_to_local (month->start, ld_store_get_time_zone (local), &y, &m, &d, &h, &mi, &sec);
    name = g_strdup_printf ("%04d-%02d.json", y, m);
    draft = g_build_filename (dir, "bulletin-drafts", name, NULL);
    g_assert_true (g_file_get_contents (draft, &saved, NULL, NULL));
    g_assert_nonnull (strstr (saved, "第二个问题。"));
  }

  /* (c) The exports and the printed copy are the pages shown. */
  pdf = g_build_filename (desk.dir, "bulletin.pdf", NULL);
  printed = g_build_filename (desk.dir, "printed.pdf", NULL);
  xlsx = g_build_filename (desk.dir, "bulletin.xlsx", NULL);
  csv = g_build_filename (desk.dir, "bulletin.csv", NULL);
  g_assert_true (ld_bulletin_page_export (LD_BULLETIN_PAGE (page), pdf, &error));
  g_assert_no_error (error);
  head = read_file (pdf);
  g_assert_true (g_str_has_prefix (head, "%PDF"));
  g_clear_pointer (&head, g_free);
  g_assert_true (ld_bulletin_page_export (LD_BULLETIN_PAGE (page), xlsx, &error));
  head = read_file (xlsx);
  g_assert_true (g_str_has_prefix (head, "PK"));
  g_assert_true (ld_bulletin_page_export (LD_BULLETIN_PAGE (page), csv, &error));
  csv_text = read_file (csv);
  g_assert_true (g_str_has_prefix (csv_text, "\xEF\xBB\xBF"));
  g_assert_nonnull (strstr (csv_text, "District A"));
  g_assert_true (ld_bulletin_page_print (LD_BULLETIN_PAGE (page), printed, &error));
  g_assert_no_error (error);
  g_clear_pointer (&head, g_free);
  head = read_file (printed);
  g_assert_true (g_str_has_prefix (head, "%PDF"));
  g_assert_cmpuint (pdf_pages (pdf), ==, pages);
  g_assert_cmpuint (pdf_pages (printed), ==, pages);
  /* Printing laid the pages out for the printer; the preview is whole. */
  g_assert_cmpuint (ld_bulletin_page_get_n_pages (LD_BULLETIN_PAGE (page)), ==, pages);

  /* (d) What was written is kept: a page opened anew (the window closed
   * and opened again) shows it, until the proposals are restored. */
  {
    GtkWidget *again_window = gtk_window_new ();
    GtkWidget *again = g_object_new (LD_TYPE_BULLETIN_PAGE, NULL);
    g_auto(GStrv) kept = NULL;

    gtk_window_set_child (GTK_WINDOW (again_window), again);
    gtk_window_present (GTK_WINDOW (again_window));
    ld_bulletin_page_set_engine (LD_BULLETIN_PAGE (again), desk.engine, ld_store_get_time_zone (local));
    ld_test_wait_until (has_pages, again, "the pages of the bulletin opened again");
    kept = ld_bulletin_dup_problems (ld_bulletin_page_get_bulletin (LD_BULLETIN_PAGE (again)));
    g_assert_cmpuint (g_strv_length (kept), ==, 2);
    g_assert_cmpstr (kept[0], ==, "市场监管局本月有派单未按时反馈。");
    g_clear_pointer (&kept, g_strfreev);
    g_signal_emit_by_name (ld_test_find_widget (again, GTK_TYPE_BUTTON, "_Restore the Proposals"), "clicked");
    kept = ld_bulletin_dup_problems (ld_bulletin_page_get_bulletin (LD_BULLETIN_PAGE (again)));
    for (guint i = 0; kept[i]; i++)
      g_assert_null (strstr (kept[i], "市场监管局本月有派单未按时反馈。"));
    gtk_window_destroy (GTK_WINDOW (again_window));
  }

  /* (e) The month before has its own, proposed problems. */
  {
    LdPeriod period = *ld_report_get_period (ld_bulletin_get_report (ld_bulletin_page_get_bulletin (LD_BULLETIN_PAGE (page))));
    int y, m, d, h, mi, sec;

    ld_time_to_local (period.start, ld_store_get_time_zone (local), &y, &m, &d, &h, &mi, &sec);
    ld_bulletin_page_show_month (LD_BULLETIN_PAGE (page), m == 1 ? y - 1 : y, m == 1 ? 12 : m - 1);
    g_clear_pointer (&items, g_strfreev);
    items = ld_bulletin_dup_problems (ld_bulletin_page_get_bulletin (LD_BULLETIN_PAGE (page)));
    for (guint i = 0; items[i]; i++)
      g_assert_null (strstr (items[i], "市场监管局本月有派单未按时反馈。"));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  ld_test_desk_close (&desk);
}

int
main (int argc, char *argv[])
{
  ld_test_desk_init (&argc, &argv);

  g_test_add_func ("/bulletin-page/leader", test_bulletin_page);

  return g_test_run ();
}
