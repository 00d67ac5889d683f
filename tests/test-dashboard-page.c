/* test-dashboard-page.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The leaders' dashboard against a real server, as a leader signed in
 * sees it: its tiles show the core's figures for the replica, a tile opens
 * exactly the incidents it counts and one of them opens on the Dispatch
 * board, a change shows without a click, a past month reads whole, and a
 * district's figures are the district's.
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "ld-chart.h"
#include "ld-dashboard-page.h"
#include "ld-figure-window.h"
#include "ld-test-city.h"
#include "ld-test-desk.h"

static const LdActor actor = { "test", NULL };

static char *
add_incident (LdStore *store, gint64 at, const char *region, const char *kind, const char *unit)
{
  g_autoptr(GError) error = NULL;
  LdIncident inc = { 0, };
  char *id;

  inc.received_at = at;
  inc.region_code = (char *) region;
  inc.kind = (char *) kind;
  inc.diverted_to = g_str_equal (kind, "diverted") ? "114" : NULL;
  inc.source = "110";
  inc.summary = "Road blocked by a fallen tree";
  inc.lat = inc.lon = NAN;
  id = ld_store_add_incident (store, &inc, &actor, &error);
  g_assert_no_error (error);
  if (unit)
    {
      g_autofree char *order = ld_store_dispatch (store, NULL, id, unit, at + LD_USEC_PER_S, &actor, &error);
      g_assert_no_error (error);
    }
  return id;
}

/* Today: two linkage incidents in A (one sent to the market regulator),
 * a diversion in B and a linkage incident placed nowhere; a year ago, one;
 * last month, one. */
static void
build_city (LdStore *city)
{
  gint64 now = ld_time_now ();
  GTimeZone *tz = ld_store_get_time_zone (city);
  int y, m, d, h, mi, s;
  LdPeriod last_month;

  ld_time_to_local (now, tz, &y, &m, &d, &h, &mi, &s);
  last_month = m == 1 ? ld_period_month (tz, y - 1, 12) : ld_period_month (tz, y, m - 1);
  g_free (add_incident (city, now - 60 * LD_USEC_PER_S, "A", "linkage", "MKT"));
  g_free (add_incident (city, now - 50 * LD_USEC_PER_S, "A", "linkage", NULL));
  g_free (add_incident (city, now - 40 * LD_USEC_PER_S, "B", "diverted", NULL));
  /* Placed nowhere: the city's, in no district. */
  g_free (add_incident (city, now - 30 * LD_USEC_PER_S, NULL, "linkage", NULL));
  g_free (add_incident (city, now - 366 * 24 * 3600 * LD_USEC_PER_S, "A", "linkage", NULL));
  g_free (add_incident (city, last_month.start + 3600 * LD_USEC_PER_S, "B", "linkage", "MKT"));
  {
    /* A drill under way: its alarm a minute ago, nobody there yet, and
     * nobody late yet either. */
    g_autoptr(GError) error = NULL;
    LdDrill drill = { NULL, now - 60 * LD_USEC_PER_S, "A", "Tunnel south exit", "Tanker crash", NAN, NAN };
    g_autofree char *id = ld_store_add_drill (city, &drill, &actor, &error);
    const char *units[] = { "MKT", "POL" };

    g_assert_no_error (error);
    for (guint i = 0; i < G_N_ELEMENTS (units); i++)
      {
        LdDrillUnit du = { id, (char *) units[i], drill.held_at, LD_TIME_NONE, 1200, NULL, FALSE };
        g_assert_true (ld_store_put_drill_unit (city, &du, &actor, &error));
        g_assert_no_error (error);
      }
  }
}

typedef struct {
  LdDashboardPage *page;
  const char      *tile;
  const char      *value;
} TileShows;

static gboolean
tile_shows (gpointer data)
{
  TileShows *t = data;
  return g_strcmp0 (ld_dashboard_page_get_tile_value (t->page, t->tile), t->value) == 0;
}

static void
wait_for_tile (LdDashboardPage *page, const char *tile, const char *value)
{
  TileShows t = { page, tile, value };
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!tile_shows (&t) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (ld_dashboard_page_get_tile_value (page, tile), ==, value);
}

static void
on_show_incident (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  char **shown = data;
  g_free (*shown);
  *shown = g_variant_dup_string (parameter, NULL);
}

static void
test_leader_dashboard (void)
{
  LdTestDesk desk = { NULL, };
  GtkWidget *window, *page;
  LdStore *local;
  g_autoptr(LdDashboard) expected = NULL;
  g_autoptr(GSimpleActionGroup) actions = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) show_incident = g_simple_action_new ("show-incident", G_VARIANT_TYPE_STRING);
  g_autofree char *shown_incident = NULL;
  g_autofree char *sign = NULL;
  GtkWindow *figure;
  GtkListBoxRow *row;
  LdReportRegion *scope;
  LdChart *chart;

  ld_test_desk_open (&desk, "boss", "leader", build_city);
  local = ld_sync_engine_get_store (desk.engine);
  page = g_object_new (LD_TYPE_DASHBOARD_PAGE, NULL);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  gtk_window_set_child (GTK_WINDOW (window), page);
  g_signal_connect (show_incident, "activate", G_CALLBACK (on_show_incident), &shown_incident);
  g_action_map_add_action (G_ACTION_MAP (actions), G_ACTION (show_incident));
  gtk_widget_insert_action_group (window, "workspace", G_ACTION_GROUP (actions));
  gtk_window_present (GTK_WINDOW (window));
  ld_dashboard_page_set_engine (LD_DASHBOARD_PAGE (page), desk.engine, ld_store_get_time_zone (local));

  /* (a) The tiles show what the core computes from the same replica. */
  wait_for_tile (LD_DASHBOARD_PAGE (page), "today-incidents", "4");
  expected = ld_dashboard_new (local, NULL, ld_time_now (), NULL);
  scope = ld_report_get_scope (ld_dashboard_get_month (expected));
  g_assert_cmpstr (ld_dashboard_page_get_tile_value (LD_DASHBOARD_PAGE (page), "today-handled"), ==, "3");
  g_assert_cmpstr (ld_dashboard_page_get_tile_value (LD_DASHBOARD_PAGE (page), "today-dispatched"), ==, "1");
  g_assert_cmpstr (ld_dashboard_page_get_tile_value (LD_DASHBOARD_PAGE (page), "today-diverted"), ==, "1");
  sign = ld_format_rate (ld_order_counts_rate (&scope->now.orders, "sign_rate"));
  g_assert_cmpstr (ld_dashboard_page_get_tile_value (LD_DASHBOARD_PAGE (page), "sign-rate"), ==, sign);
  g_assert_cmpstr (sign, ==, "0.00%");
  /* The unsigned order counts against the center's 100 %: the tile says so. */
  g_assert_true (gtk_widget_has_css_class (gtk_widget_get_ancestor (
    ld_test_find_widget (page, GTK_TYPE_LABEL, "Sign rate"), GTK_TYPE_BUTTON), "dashboard-alert"));

  /* The drill under way has no one late: those not there may still come. */
  g_assert_cmpstr (ld_dashboard_page_get_tile_value (LD_DASHBOARD_PAGE (page), "drills"), ==, "1");
  g_assert_false (gtk_widget_has_css_class (gtk_widget_get_ancestor (
    ld_test_find_widget (page, GTK_TYPE_LABEL, "Drills"), GTK_TYPE_BUTTON), "dashboard-alert"));
  g_assert_nonnull (ld_test_find_widget (page, GTK_TYPE_LABEL, "Under way"));

  /* The region chart names the districts, each month's figure a point. */
  chart = LD_CHART (ld_test_find_widget (page, LD_TYPE_CHART, NULL));
  g_assert_nonnull (chart);
  g_assert_cmpuint (ld_chart_get_n_series (chart), ==, 2);
  g_assert_nonnull (ld_test_find_widget (page, ADW_TYPE_ACTION_ROW, "District A"));

  /* (b) A tile opens the incidents it counts, the one placed nowhere too;
   * one opens on the board. */
  figure = ld_dashboard_page_open_tile (LD_DASHBOARD_PAGE (page), "handled");
  g_assert_true (LD_IS_FIGURE_WINDOW (figure));
  g_assert_cmpuint (ld_figure_window_get_n_shown (LD_FIGURE_WINDOW (figure)), ==, scope->now.handled);
  row = GTK_LIST_BOX_ROW (ld_test_find_widget (GTK_WIDGET (figure), ADW_TYPE_ACTION_ROW,
                                               "Road blocked by a fallen tree"));
  g_assert_nonnull (row);
  g_signal_emit_by_name (gtk_widget_get_parent (GTK_WIDGET (row)), "row-activated", row);
  g_assert_nonnull (shown_incident);
  g_assert_nonnull (ld_store_get_incident (local, shown_incident, NULL));
  figure = ld_dashboard_page_open_tile (LD_DASHBOARD_PAGE (page), "today-diverted");
  g_assert_cmpuint (ld_figure_window_get_n_shown (LD_FIGURE_WINDOW (figure)), ==, 1);
  gtk_window_destroy (figure);

  /* (c) A change shows by itself, once the burst has settled. */
  g_free (add_incident (local, ld_time_now (), "B", "linkage", NULL));
  g_signal_emit_by_name (desk.engine, "changed", NULL, NULL);
  wait_for_tile (LD_DASHBOARD_PAGE (page), "today-incidents", "5");

  /* (d) Last month, whole: its one linkage incident, sent and unsigned. */
  ld_dashboard_page_show_month (LD_DASHBOARD_PAGE (page), -1);
  g_assert_cmpstr (ld_dashboard_page_get_tile_value (LD_DASHBOARD_PAGE (page), "handled"), ==, "1");
  g_assert_cmpstr (ld_dashboard_page_get_tile_value (LD_DASHBOARD_PAGE (page), "dispatched"), ==, "1");
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (gtk_widget_get_ancestor (
    ld_test_find_widget (page, GTK_TYPE_LABEL, "Late orders now"), GTK_TYPE_BUTTON))));
  ld_dashboard_page_show_month (LD_DASHBOARD_PAGE (page), 0);
  g_assert_cmpstr (ld_dashboard_page_get_tile_value (LD_DASHBOARD_PAGE (page), "today-incidents"), ==, "5");

  /* (e) A district's leader reads the district: B's diversion and the
   * incident added in (c), and a tile opens only B's. */
  ld_dashboard_page_set_region (LD_DASHBOARD_PAGE (page), "B");
  g_assert_cmpstr (ld_dashboard_page_get_tile_value (LD_DASHBOARD_PAGE (page), "today-incidents"), ==, "2");
  g_assert_cmpstr (ld_dashboard_page_get_tile_value (LD_DASHBOARD_PAGE (page), "today-handled"), ==, "1");
  figure = ld_dashboard_page_open_tile (LD_DASHBOARD_PAGE (page), "today-incidents");
  g_assert_cmpuint (ld_figure_window_get_n_shown (LD_FIGURE_WINDOW (figure)), ==, 2);
  gtk_window_destroy (figure);
  ld_dashboard_page_set_region (LD_DASHBOARD_PAGE (page), NULL);
  g_assert_cmpstr (ld_dashboard_page_get_tile_value (LD_DASHBOARD_PAGE (page), "today-incidents"), ==, "5");

  gtk_window_destroy (GTK_WINDOW (window));
  ld_test_desk_close (&desk);
}

#define BUSY_ORDERS 620

/* A busy month: more orders than a page of a figure's list, in A and B,
 * every second one signed, every fourth with feedback and arrived, every
 * eighth completed, every tenth caller ringing again an hour later. */
static void
build_busy_city (LdStore *city)
{
  gint64 now = ld_time_now ();
  GTimeZone *tz = ld_store_get_time_zone (city);
  int y, m, d, h, mi, s;
  LdPeriod month;
  gint64 step;

  ld_time_to_local (now, tz, &y, &m, &d, &h, &mi, &s);
  month = ld_period_month (tz, y, m);
  step = (now - 10 * LD_USEC_PER_S - month.start) / (BUSY_ORDERS + 1);
  for (guint i = 0; i < BUSY_ORDERS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *summary = g_strdup_printf ("Busy order %03u", i);
      g_autofree char *phone = g_strdup_printf ("1390000%04u", i);
      gint64 at = month.start + step * (i + 1);
      LdIncident inc = { 0, };
      g_autofree char *id = NULL;
      g_autofree char *order = NULL;

      inc.received_at = at;
      inc.region_code = i % 3 == 0 ? "B" : "A";
      inc.kind = "linkage";
      inc.source = "110";
      inc.summary = summary;
      inc.caller_phone = i % 10 == 0 ? phone : NULL;
      inc.lat = inc.lon = NAN;
      id = ld_store_add_incident (city, &inc, &actor, &error);
      g_assert_no_error (error);
      order = ld_store_dispatch (city, NULL, id, i % 3 == 0 ? "TOWN" : "MKT", at + 1, &actor, &error);
      g_assert_no_error (error);
      if (i % 2 == 0)
        g_assert_true (ld_store_sign_order (city, order, at + 2, &actor, &error));
      if (i % 4 == 0)
        {
          g_autofree char *feedback = ld_store_add_feedback (city, NULL, order, at + 3,
                                                             i % 8 == 0 ? "result" : "arrival", "There",
                                                             &actor, &error);
          g_assert_true (ld_store_arrive_order (city, order, at + 3, &actor, &error));
        }
      if (i % 8 == 0)
        g_assert_true (ld_store_complete_order (city, order, at + 4, &actor, &error));
      if (i % 10 == 0 && at + 3600 * LD_USEC_PER_S < now)
        {
          LdIncident again = inc;
          g_autofree char *again_id = NULL;

          again.received_at = at + 3600 * LD_USEC_PER_S;
          again.kind = "police";
          again.summary = NULL;
          again_id = ld_store_add_incident (city, &again, &actor, &error);
        }
      g_assert_no_error (error);
    }
}

/* Asks for more while the list's last row offers more, as a person
 * clicking it would. */
static guint
read_to_the_end (GtkWindow *figure)
{
  GtkWidget *label = ld_test_find_widget (GTK_WIDGET (figure), GTK_TYPE_LABEL, "Show More");
  GtkWidget *more = label ? gtk_widget_get_ancestor (label, GTK_TYPE_LIST_BOX_ROW) : NULL;

  while (more && gtk_widget_get_visible (more))
    g_signal_emit_by_name (gtk_widget_get_parent (more), "row-activated", more);
  return ld_figure_window_get_n_shown (LD_FIGURE_WINDOW (figure));
}

/* What a tile's figure misses, or counts, of the month's orders. */
static guint
orders_behind (const LdOrderCounts *c, const char *tile)
{
  if (g_str_equal (tile, "sign-rate"))
    return c->dispatched - c->signed_;
  if (g_str_equal (tile, "feedback-rate"))
    return c->dispatched - c->feedback_orders;
  if (g_str_equal (tile, "completion-rate"))
    return c->dispatched - c->completed;
  if (g_str_equal (tile, "repeat-rate"))
    return c->repeat_calls;
  if (g_str_equal (tile, "overdue-feedback"))
    return c->overdue_feedback;
  g_assert_cmpstr (tile, ==, "dispatched");
  return c->dispatched;
}

/* A rate opens the orders that miss it, as many as it misses, in the city
 * and in a district; a figure longer than a page reads to its last row. */
static void
test_rates_and_long_lists (void)
{
  LdTestDesk desk = { NULL, };
  GtkWidget *window, *page;
  const char *scopes[] = { NULL, "B" };
  const char *tiles[] = { "sign-rate", "feedback-rate", "completion-rate", "repeat-rate", "dispatched",
                          "overdue-feedback" };

  ld_test_desk_open (&desk, "boss", "leader", build_busy_city);
  page = g_object_new (LD_TYPE_DASHBOARD_PAGE, NULL);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  ld_dashboard_page_set_engine (LD_DASHBOARD_PAGE (page), desk.engine,
                                ld_store_get_time_zone (ld_sync_engine_get_store (desk.engine)));
  {
    g_autofree char *busy = g_strdup_printf ("%u", BUSY_ORDERS);
    wait_for_tile (LD_DASHBOARD_PAGE (page), "dispatched", busy);
  }

  for (guint s = 0; s < G_N_ELEMENTS (scopes); s++)
    {
      const LdOrderCounts *orders;

      ld_dashboard_page_set_region (LD_DASHBOARD_PAGE (page), scopes[s]);
      orders = &ld_report_get_scope (ld_dashboard_get_month (ld_dashboard_page_get_dashboard (
        LD_DASHBOARD_PAGE (page))))->now.orders;
      g_assert_cmpuint (orders->signed_, >, 0);
      g_assert_cmpuint (orders->repeat_calls, >, 0);
      g_assert_cmpuint (orders->completed, >, 0);
      for (guint t = 0; t < G_N_ELEMENTS (tiles); t++)
        {
          GtkWindow *figure = ld_dashboard_page_open_tile (LD_DASHBOARD_PAGE (page), tiles[t]);

          g_assert_cmpuint (read_to_the_end (figure), ==, orders_behind (orders, tiles[t]));
          gtk_window_destroy (figure);
        }
    }

  /* The whole month's orders: four pages, the last ending on the first
   * order of the month. */
  ld_dashboard_page_set_region (LD_DASHBOARD_PAGE (page), NULL);
  {
    GtkWindow *figure = ld_dashboard_page_open_tile (LD_DASHBOARD_PAGE (page), "dispatched");
    GtkListBox *list = GTK_LIST_BOX (ld_test_find_widget (GTK_WIDGET (figure), GTK_TYPE_LIST_BOX, NULL));
    guint first_page = ld_figure_window_get_n_shown (LD_FIGURE_WINDOW (figure));
    GtkListBoxRow *last;

    g_assert_cmpuint (first_page, <, BUSY_ORDERS);
    g_assert_cmpuint (read_to_the_end (figure), ==, BUSY_ORDERS);
    last = gtk_list_box_get_row_at_index (list, BUSY_ORDERS - 1);
    g_assert_true (ADW_IS_ACTION_ROW (last));
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (last)), ==, "Busy order 000");
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_list_box_get_row_at_index (list, 0))),
                     ==, "Busy order 619");
    gtk_window_destroy (figure);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  ld_test_desk_close (&desk);
}

int
main (int argc, char *argv[])
{
  ld_test_desk_init (&argc, &argv);

  g_test_add_func ("/dashboard-page/leader", test_leader_dashboard);
  g_test_add_func ("/dashboard-page/rates-and-long-lists", test_rates_and_long_lists);

  return g_test_run ();
}
