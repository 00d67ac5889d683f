/* test-page-failures.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <sqlite3.h>

#include "ld-bulletin-page.h"
#include "ld-dashboard-page.h"
#include "ld-drill-plan-window.h"
#include "ld-figure-window.h"
#include "ld-incident-pane.h"
#include "ld-intake-window.h"
#include "ld-late-panel.h"
#include "ld-read-failure.h"
#include "ld-situation-board.h"
#include "ld-test-city.h"
#include "ld-test-desk.h"
#include "ld-test-server.h"
#include "ld-unit-board.h"

/* A page whose replica cannot be read says so, and why, over what it
 * could not read: never an empty list. The replica is broken under the
 * page by renaming one of its tables from another connection, as a
 * damaged or foreign file would. */

static char *incident_id;

static void
build_city (LdStore *city)
{
  g_autoptr(GError) error = NULL;
  LdIncident inc = { 0, };

  inc.received_at = ld_time_now () - 60 * LD_USEC_PER_S;
  inc.source = (char *) "110";
  inc.kind = (char *) "linkage";
  inc.region_code = (char *) "A";
  inc.category = (char *) "noise";
  inc.summary = (char *) "a pothole on the ring road";
  inc.lat = inc.lon = NAN;
  g_free (incident_id);
  incident_id = ld_store_add_incident (city, &inc, &ld_test_actor, &error);
  g_assert_no_error (error);
}

/* A dispatcher's desk, its engine stopped: nothing but the page reads. */
static void
open_desk (LdTestDesk *desk)
{
  ld_test_desk_open (desk, "d1", "dispatcher", build_city);
  ld_test_wait_until (ld_test_engine_is_drained, desk->engine, "the desk current");
  ld_sync_engine_stop (desk->engine);
}

static LdStore *
store_of (LdTestDesk *desk)
{
  return ld_sync_engine_get_store (desk->engine);
}

static void
rename_table (LdTestDesk *desk, const char *from, const char *to)
{
  g_autofree char *sql = g_strdup_printf ("ALTER TABLE %s RENAME TO %s", from, to);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (ld_store_get_path (store_of (desk)), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
break_table (LdTestDesk *desk, const char *table)
{
  g_autofree char *gone = g_strconcat (table, "_gone", NULL);

  rename_table (desk, table, gone);
}

static void
mend_table (LdTestDesk *desk, const char *table)
{
  g_autofree char *gone = g_strconcat (table, "_gone", NULL);

  rename_table (desk, gone, table);
}

/* The first failure bar under @root that is shown. */
static LdReadFailure *
shown_failure (GtkWidget *root)
{
  if (LD_IS_READ_FAILURE (root) && ld_read_failure_get_text (LD_READ_FAILURE (root)))
    return LD_READ_FAILURE (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      LdReadFailure *failure = shown_failure (child);

      if (failure)
        return failure;
    }
  return NULL;
}

static void
assert_says (GtkWidget *root, const char *what)
{
  LdReadFailure *failure = shown_failure (root);
  g_autofree char *expected = g_strdup_printf ("%s could not be read: ", what);

  g_assert_nonnull (failure);
  g_assert_true (g_str_has_prefix (ld_read_failure_get_text (failure), expected));
  /* The reason is the database's own. */
  g_assert_nonnull (strstr (ld_read_failure_get_text (failure), "no such table"));
}

static GtkWidget *
show_in_window (GtkWidget *child)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
test_incident_pane (void)
{
  LdTestDesk desk = { NULL, };
  GtkWidget *pane, *window;
  LdReadFailure *failure;

  open_desk (&desk);
  pane = g_object_new (LD_TYPE_INCIDENT_PANE, "engine", desk.engine, NULL);
  window = show_in_window (pane);
  /* Its orders: a row the store fails to step is not told from a missing
   * one (ld-store.c's get_one), a list is. */
  break_table (&desk, "orders");
  ld_incident_pane_set_incident (LD_INCIDENT_PANE (pane), incident_id);
  /* Still in view, saying why, and offering nothing to act on. */
  g_assert_true (gtk_widget_get_visible (pane));
  assert_says (pane, "The incident");

  /* Read Again, once the table is back, reads it. */
  failure = shown_failure (pane);
  mend_table (&desk, "orders");
  g_signal_emit_by_name (failure, "retry");
  g_assert_null (shown_failure (pane));
  g_assert_nonnull (ld_test_find_widget (pane, GTK_TYPE_LABEL, "a pothole on the ring road"));

  gtk_window_destroy (GTK_WINDOW (window));
  ld_test_desk_close (&desk);
}

static void
test_unit_board (void)
{
  LdTestDesk desk = { NULL, };
  GtkWidget *board, *window;

  open_desk (&desk);
  break_table (&desk, "unit");
  board = g_object_new (LD_TYPE_UNIT_BOARD, "engine", desk.engine, NULL);
  window = show_in_window (board);
  assert_says (board, "The units");
  gtk_window_destroy (GTK_WINDOW (window));
  ld_test_desk_close (&desk);
}

static void
test_late_panel (void)
{
  LdTestDesk desk = { NULL, };
  GtkWidget *panel, *window;

  open_desk (&desk);
  break_table (&desk, "orders");
  panel = g_object_new (LD_TYPE_LATE_PANEL, "engine", desk.engine, NULL);
  window = show_in_window (panel);
  assert_says (panel, "The late orders");
  /* Not "no late orders". */
  g_assert_false (gtk_widget_is_visible (ld_test_find_widget (panel, ADW_TYPE_STATUS_PAGE, NULL)));
  gtk_window_destroy (GTK_WINDOW (window));
  ld_test_desk_close (&desk);
}

static void
test_situation_board (void)
{
  LdTestDesk desk = { NULL, };
  GtkWidget *board, *window;

  open_desk (&desk);
  break_table (&desk, "incident");
  board = g_object_new (LD_TYPE_SITUATION_BOARD, "engine", desk.engine, NULL);
  window = show_in_window (board);
  assert_says (board, "Today's figures");
  gtk_window_destroy (GTK_WINDOW (window));
  ld_test_desk_close (&desk);
}

static void
test_dashboard (void)
{
  LdTestDesk desk = { NULL, };
  GtkWidget *page, *window;

  open_desk (&desk);
  page = g_object_new (LD_TYPE_DASHBOARD_PAGE, "engine", desk.engine, NULL);
  window = show_in_window (page);
  break_table (&desk, "incident");
  ld_dashboard_page_refresh (LD_DASHBOARD_PAGE (page));
  assert_says (page, "The figures");
  gtk_window_destroy (GTK_WINDOW (window));
  ld_test_desk_close (&desk);
}

static void
test_figure_window (void)
{
  LdTestDesk desk = { NULL, };
  LdIncidentFilter filter = { .figure = "handled", .since = 0, .until = G_MAXINT64 };
  LdFigureWindow *window;

  open_desk (&desk);
  break_table (&desk, "incident");
  window = ld_figure_window_new (NULL, store_of (&desk), ld_store_get_time_zone (store_of (&desk)),
                                 "Linkage incidents", &filter, 1);
  gtk_window_present (GTK_WINDOW (window));
  assert_says (GTK_WIDGET (window), "The rows behind this figure");
  gtk_window_destroy (GTK_WINDOW (window));
  ld_test_desk_close (&desk);
}

static void
test_bulletin (void)
{
  LdTestDesk desk = { NULL, };
  GtkWidget *page, *window;

  open_desk (&desk);
  break_table (&desk, "incident");
  page = g_object_new (LD_TYPE_BULLETIN_PAGE, "engine", desk.engine, NULL);
  window = show_in_window (page);
  assert_says (page, "The month's bulletin");
  gtk_window_destroy (GTK_WINDOW (window));
  ld_test_desk_close (&desk);
}

static void
test_intake (void)
{
  LdTestDesk desk = { NULL, };
  LdIntakeWindow *intake;

  open_desk (&desk);
  break_table (&desk, "category");
  intake = ld_intake_window_new (NULL, desk.engine, NULL, LD_DATUM_WGS84);
  gtk_window_present (GTK_WINDOW (intake));
  assert_says (GTK_WIDGET (intake), "The regions and categories");
  gtk_window_destroy (GTK_WINDOW (intake));
  ld_test_desk_close (&desk);
}

static void
test_drill_plan (void)
{
  LdTestDesk desk = { NULL, };
  LdDrillPlanWindow *plan;

  open_desk (&desk);
  break_table (&desk, "unit");
  plan = ld_drill_plan_window_new (NULL, desk.engine);
  gtk_window_present (GTK_WINDOW (plan));
  assert_says (GTK_WIDGET (plan), "The regions, categories and units");
  gtk_window_destroy (GTK_WINDOW (plan));
  ld_test_desk_close (&desk);
}

int
main (int argc, char *argv[])
{
  ld_test_desk_init (&argc, &argv);
  g_test_add_func ("/page-failures/incident-pane", test_incident_pane);
  g_test_add_func ("/page-failures/unit-board", test_unit_board);
  g_test_add_func ("/page-failures/late-panel", test_late_panel);
  g_test_add_func ("/page-failures/situation-board", test_situation_board);
  g_test_add_func ("/page-failures/dashboard", test_dashboard);
  g_test_add_func ("/page-failures/figure-window", test_figure_window);
  g_test_add_func ("/page-failures/bulletin", test_bulletin);
  g_test_add_func ("/page-failures/intake", test_intake);
  g_test_add_func ("/page-failures/drill-plan", test_drill_plan);
  return g_test_run ();
}
