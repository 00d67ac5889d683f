/* test-dashboard.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dashboard's figures are the metrics' figures: each day, each month
 * of the trend and its year-before twin equal what ld_metrics_compute says
 * for the same span, and the late count equals the late list.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "ld-dashboard.h"
#include "ld-test-city.h"

static const LdActor actor = { "test", NULL };

static void
add_incident (LdStore *store, const char *at, const char *region, const char *kind, gboolean dispatch)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  LdIncident inc = { 0, };

  inc.received_at = ld_test_time (store, at);
  inc.region_code = (char *) region;
  inc.kind = (char *) kind;
  inc.diverted_to = g_str_equal (kind, "diverted") ? "12345" : NULL;
  inc.source = "110";
  inc.lat = inc.lon = NAN;
  id = ld_store_add_incident (store, &inc, &actor, &error);
  g_assert_no_error (error);
  if (dispatch)
    {
      g_autofree char *order = ld_store_dispatch (store, NULL, id, "MKT", inc.received_at + LD_USEC_PER_S,
                                                  &actor, &error);
      g_assert_no_error (error);
    }
}

static LdStore *
city_with_history (void)
{
  LdStore *store = ld_test_city_new (NULL);
  static const struct { const char *at, *region, *kind; gboolean dispatch; } rows[] = {
    { "2024-10-31 23:59:00", "A", "linkage", FALSE },   /* before the year-before trend: uncounted */
    { "2024-11-30 23:59:00", "A", "linkage", FALSE },
    { "2024-12-01 00:00:00", "A", "linkage", TRUE },
    { "2025-06-15 12:00:00", "B", "diverted", FALSE },
    { "2025-11-10 08:00:00", "A", "linkage", TRUE },    /* a year ago, before today's date */
    { "2025-11-20 08:00:00", "B", "linkage", FALSE },   /* a year ago, after it */
    { "2026-03-03 09:00:00", "B", "linkage", TRUE },
    { "2026-12-01 09:00:00", "A", "linkage", FALSE },   /* hasn't happened */
    { "2026-11-01 00:00:00", "A", "linkage", TRUE },
    { "2026-11-09 10:00:00", NULL, "linkage", FALSE },
    { "2026-11-10 07:00:00", "B", "police", FALSE },
    { "2026-11-10 14:59:59", "B", "linkage", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    add_incident (store, rows[i].at, rows[i].region, rows[i].kind, rows[i].dispatch);
  return store;
}

/* Without @orders, the orders are expected uncounted. */
static void
assert_counts_equal (LdStore *store, const LdPeriod *period, gint64 now, const char *scope,
                     gboolean orders, const LdRegionCounts *counts)
{
  g_autoptr(GHashTable) regions = NULL;
  g_autoptr(GError) error = NULL;
  LdRegionCounts expected;

  g_assert_true (ld_metrics_compute (store, period, now, NULL, &regions, &error));
  g_assert_no_error (error);
  expected = *(LdRegionCounts *) g_hash_table_lookup (regions, scope);
  if (!orders)
    memset (&expected.orders, 0, sizeof expected.orders);
  g_assert_cmpmem (counts, sizeof *counts, &expected, sizeof expected);
}

static void
test_figures_match_metrics (void)
{
  g_autoptr(LdStore) store = city_with_history ();
  const char *scopes[] = { NULL, "B" };
  gint64 now = ld_test_time (store, "2026-11-10 15:30:00");

  for (guint s = 0; s < G_N_ELEMENTS (scopes); s++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LdDashboard) dashboard = ld_dashboard_new (store, scopes[s], now, &error);
      const char *scope = scopes[s] ? scopes[s] : "C";
      LdReportRegion *month;

      g_assert_no_error (error);
      g_assert_cmpuint (ld_dashboard_get_n_days (dashboard), ==, 10);
      for (guint d = 0; d < 10; d++)
        assert_counts_equal (store, ld_dashboard_get_day_period (dashboard, d), now, scope, TRUE,
                             ld_dashboard_get_day (dashboard, d));
      for (guint i = 0; i < LD_DASHBOARD_MONTHS; i++)
        for (int yb = 0; yb < 2; yb++)
          assert_counts_equal (store, ld_dashboard_get_trend_period (dashboard, i, yb), now, scope,
                               i == LD_DASHBOARD_MONTHS - 1 && !yb, ld_dashboard_get_trend (dashboard, i, yb));

      month = ld_report_get_scope (ld_dashboard_get_month (dashboard));
      g_assert_cmpmem (&month->now, sizeof month->now,
                       ld_dashboard_get_trend (dashboard, LD_DASHBOARD_MONTHS - 1, FALSE), sizeof (LdRegionCounts));
      g_assert_cmpuint (month->yoy.handled, ==, ld_dashboard_get_trend (dashboard, LD_DASHBOARD_MONTHS - 1, TRUE)->handled);
      g_assert_cmpuint (month->yoy.incidents, ==,
                        ld_dashboard_get_trend (dashboard, LD_DASHBOARD_MONTHS - 1, TRUE)->incidents);
    }

  {
    g_autoptr(LdDashboard) dashboard = ld_dashboard_new (store, NULL, now, NULL);
    const LdRegionCounts *today = ld_dashboard_get_today (dashboard);

    /* Today: the police matter and the late-night linkage incident. */
    g_assert_cmpuint (today->incidents, ==, 2);
    g_assert_cmpuint (today->handled, ==, 1);
    g_assert_cmpuint (today->orders.dispatched, ==, 1);
    /* The month so far: the 1st, the unplaced 9th and the 10th's two. */
    g_assert_cmpuint (ld_dashboard_get_trend (dashboard, 12, FALSE)->incidents, ==, 4);
    /* A year ago only the 10th counts: the 20th lies past today's date. */
    g_assert_cmpuint (ld_dashboard_get_trend (dashboard, 12, TRUE)->handled, ==, 1);
    g_assert_cmpuint (ld_dashboard_get_trend (dashboard, 0, FALSE)->handled, ==, 2);
    g_assert_cmpuint (ld_dashboard_get_trend (dashboard, 0, TRUE)->handled, ==, 1);
    g_assert_cmpuint (ld_dashboard_get_trend (dashboard, 1, TRUE)->handled, ==, 1);
  }
}

static void
test_late_now (void)
{
  g_autoptr(LdStore) store = city_with_history ();
  g_autoptr(GError) error = NULL;
  gint64 now = ld_test_time (store, "2026-11-10 15:30:00");
  g_autoptr(GPtrArray) late = ld_store_list_late_orders (store, now, &error);
  g_autoptr(LdDashboard) city = ld_dashboard_new (store, NULL, now, &error);
  g_autoptr(LdDashboard) district = ld_dashboard_new (store, "B", now, &error);
  guint in_b = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (late->len, >, 0);
  for (guint i = 0; i < late->len; i++)
    in_b += g_strcmp0 (((LdLateOrder *) g_ptr_array_index (late, i))->incident->region_code, "B") == 0;
  g_assert_cmpuint (ld_dashboard_get_late_now (city), ==, late->len);
  g_assert_cmpuint (ld_dashboard_get_late_now (district), ==, in_b);
  g_assert_cmpuint (in_b, <, late->len);
  g_assert_cmpfloat (ld_dashboard_get_target (city, "repeat_rate"), ==, 0.14);
}

/* A figure opens the incidents behind it: as many as it counts. */
static void
test_incidents_behind_figures (void)
{
  g_autoptr(LdStore) store = city_with_history ();
  g_autoptr(GError) error = NULL;
  gint64 now = ld_test_time (store, "2026-11-10 15:30:00");
  g_autoptr(LdDashboard) dashboard = ld_dashboard_new (store, NULL, now, &error);
  const LdPeriod *months[] = {
    ld_dashboard_get_trend_period (dashboard, 0, TRUE), ld_dashboard_get_trend_period (dashboard, 7, TRUE),
    ld_dashboard_get_trend_period (dashboard, 0, FALSE), ld_dashboard_get_trend_period (dashboard, 12, FALSE),
  };
  const LdRegionCounts *counts[] = {
    ld_dashboard_get_trend (dashboard, 0, TRUE), ld_dashboard_get_trend (dashboard, 7, TRUE),
    ld_dashboard_get_trend (dashboard, 0, FALSE), ld_dashboard_get_trend (dashboard, 12, FALSE),
  };
  LdReportUnit *market = ld_report_lookup_unit (ld_dashboard_get_month (dashboard), "MKT");

  for (guint m = 0; m < G_N_ELEMENTS (months); m++)
    for (guint i = 0; ld_region_count_metrics[i]; i++)
      {
        LdIncidentFilter filter = { .since = months[m]->start, .until = months[m]->end,
                                    .figure = ld_region_count_metrics[i] };
        g_autoptr(GPtrArray) behind = ld_store_search_incidents (store, NULL, &filter, 1000, &error);

        g_assert_no_error (error);
        g_assert_cmpuint (behind->len, ==, ld_region_counts_get (counts[m], ld_region_count_metrics[i]));
      }

  {
    LdIncidentFilter filter = { .since = months[1]->start, .until = months[1]->end,
                                .figure = "diverted", .platform = "12345" };
    g_autoptr(GPtrArray) behind = ld_store_search_incidents (store, NULL, &filter, 1000, &error);
    g_assert_cmpuint (behind->len, ==, 1);
    g_assert_cmpuint (counts[1]->diversions[2], ==, 1);
  }
  {
    LdIncidentFilter filter = { .since = months[3]->start, .until = months[3]->end, .unit_code = "MKT" };
    g_autoptr(GPtrArray) behind = ld_store_search_incidents (store, NULL, &filter, 1000, &error);
    g_assert_cmpuint (behind->len, ==, 2);
    g_assert_cmpuint (market->now.dispatched, ==, 2);
  }
  {
    LdIncidentFilter filter = { .since = months[3]->start, .until = months[3]->end, .figure = "dispatched" };
    g_autoptr(GPtrArray) behind = ld_store_search_incidents (store, NULL, &filter, 1000, &error);
    g_assert_cmpuint (behind->len, ==, counts[3]->orders.dispatched);
  }
  {
    LdIncidentFilter filter = { .late_at = now };
    g_autoptr(GPtrArray) behind = ld_store_search_incidents (store, NULL, &filter, 1000, &error);
    g_assert_cmpuint (behind->len, ==, ld_dashboard_get_late_now (dashboard));
  }
  {
    LdIncidentFilter filter = { .figure = "handled; DROP TABLE incident" };
    g_autoptr(GPtrArray) behind = ld_store_search_incidents (store, NULL, &filter, 10, &error);
    g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
    g_assert_null (behind);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/dashboard/figures-match-metrics", test_figures_match_metrics);
  g_test_add_func ("/dashboard/late-now", test_late_now);
  g_test_add_func ("/dashboard/incidents-behind-figures", test_incidents_behind_figures);

  return g_test_run ();
}
