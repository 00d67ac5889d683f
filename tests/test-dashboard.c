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
    LdIncidentFilter filter = { .since = months[3]->start, .until = months[3]->end, .figure = "dispatched",
                                .unit_code = "MKT" };
    g_autoptr(GPtrArray) behind = ld_store_list_figure (store, &filter, NULL, 1000, &error);
    g_assert_cmpuint (behind->len, ==, 2);
    g_assert_cmpuint (market->now.dispatched, ==, 2);
  }
  {
    LdIncidentFilter filter = { .since = months[3]->start, .until = months[3]->end, .figure = "dispatched" };
    g_autoptr(GPtrArray) behind = ld_store_list_figure (store, &filter, NULL, 1000, &error);
    g_assert_cmpuint (behind->len, ==, counts[3]->orders.dispatched);
  }
  {
    LdIncidentFilter filter = { .figure = "dispatched", .late_at = now };
    g_autoptr(GPtrArray) behind = ld_store_list_figure (store, &filter, NULL, 1000, &error);
    g_assert_cmpuint (behind->len, ==, ld_dashboard_get_late_now (dashboard));
  }
  {
    LdIncidentFilter filter = { .figure = "handled; DROP TABLE incident" };
    g_autoptr(GPtrArray) behind = ld_store_search_incidents (store, NULL, &filter, 10, &error);
    g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
    g_assert_null (behind);
  }
}

static char *
order_on (LdStore *store, const char *incident, const char *unit, gint64 at)
{
  g_autoptr(GError) error = NULL;
  char *order = ld_store_dispatch (store, NULL, incident, unit, at, &actor, &error);

  g_assert_no_error (error);
  return order;
}

static char *
call (LdStore *store, const char *at, const char *region, const char *kind, const char *phone)
{
  g_autoptr(GError) error = NULL;
  LdIncident inc = { 0, };
  char *id;

  inc.received_at = ld_test_time (store, at);
  inc.region_code = (char *) region;
  inc.kind = (char *) kind;
  inc.source = "110";
  inc.caller_phone = (char *) phone;
  inc.lat = inc.lon = NAN;
  id = ld_store_add_incident (store, &inc, &actor, &error);
  g_assert_no_error (error);
  return id;
}

/* This month's orders in every state a rate tells apart: joint incidents
 * whose orders differ, two unsigned orders of one incident, feedback on
 * time, late and not yet due, a repeat call, an order placed nowhere. */
static void
add_month_of_orders (LdStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *joint = call (store, "2026-11-02 09:00:00", "A", "linkage", NULL);
  g_autofree char *quiet = call (store, "2026-11-03 09:00:00", "B", "linkage", NULL);
  g_autofree char *called_again = call (store, "2026-11-04 09:00:00", "B", "linkage", "13800000002");
  g_autofree char *again = call (store, "2026-11-04 10:00:00", "B", "police", "13800000002");
  g_autofree char *late_word = call (store, "2026-11-05 09:00:00", "A", "linkage", NULL);
  g_autofree char *nowhere = call (store, "2026-11-06 09:00:00", NULL, "linkage", NULL);
  g_autofree char *fresh = call (store, "2026-11-10 15:00:00", "B", "linkage", NULL);
  gint64 t = ld_test_time (store, "2026-11-02 09:01:00");
  g_autofree char *done = order_on (store, joint, "MKT", t);
  g_autofree char *ignored = order_on (store, joint, "POL", t);
  g_autofree char *silent = order_on (store, quiet, "TOWN", ld_test_time (store, "2026-11-03 09:01:00"));
  g_autofree char *repeat_a = order_on (store, called_again, "TOWN", ld_test_time (store, "2026-11-04 09:01:00"));
  g_autofree char *repeat_b = order_on (store, called_again, "MKT", ld_test_time (store, "2026-11-04 09:01:00"));
  g_autofree char *slow = order_on (store, late_word, "MKT", ld_test_time (store, "2026-11-05 09:01:00"));
  g_autofree char *unplaced = order_on (store, nowhere, "MKT", ld_test_time (store, "2026-11-06 09:01:00"));
  g_autofree char *young = order_on (store, fresh, "TOWN", ld_test_time (store, "2026-11-10 15:01:00"));
  g_autofree char *f1 = NULL, *f2 = NULL, *f3 = NULL;

  g_assert_true (ld_store_sign_order (store, done, t + 60 * LD_USEC_PER_S, &actor, &error));
  f1 = ld_store_add_feedback (store, NULL, done, t + 600 * LD_USEC_PER_S, "result", "On scene", &actor, &error);
  g_assert_true (ld_store_arrive_order (store, done, t + 600 * LD_USEC_PER_S, &actor, &error));
  g_assert_true (ld_store_complete_order (store, done, t + 3600 * LD_USEC_PER_S, &actor, &error));
  g_assert_true (ld_store_sign_order (store, silent, ld_test_time (store, "2026-11-03 09:02:00"), &actor, &error));
  g_assert_true (ld_store_sign_order (store, slow, ld_test_time (store, "2026-11-05 09:02:00"), &actor, &error));
  /* Three hours after dispatch: feedback, but after its two hours. */
  f2 = ld_store_add_feedback (store, NULL, slow, ld_test_time (store, "2026-11-05 12:01:00"), "progress", "Late",
                              &actor, &error);
  g_assert_true (ld_store_sign_order (store, unplaced, ld_test_time (store, "2026-11-06 09:02:00"), &actor, &error));
  f3 = ld_store_add_feedback (store, NULL, unplaced, ld_test_time (store, "2026-11-06 09:30:00"), "result", "Done",
                              &actor, &error);
  g_assert_true (ld_store_arrive_order (store, unplaced, ld_test_time (store, "2026-11-06 09:20:00"), &actor, &error));
  g_assert_true (ld_store_complete_order (store, unplaced, ld_test_time (store, "2026-11-06 09:40:00"), &actor,
                                          &error));
  g_assert_no_error (error);
}

static gboolean
row_counts (LdStore *store, const LdFigureRow *row, const char *figure, gint64 now)
{
  const LdOrder *o = row->order;

  if (g_str_equal (figure, "repeat_calls"))
    {
      /* The mark is the later incident's: the caller's next call. */
      g_autoptr(GPtrArray) calls = ld_store_search_incidents (store, row->incident->caller_phone, NULL, 10, NULL);

      for (guint i = 0; row->incident->caller_phone && i < calls->len; i++)
        if (g_strcmp0 (((LdIncident *) g_ptr_array_index (calls, i))->repeat_of, row->incident->id) == 0)
          return TRUE;
      return FALSE;
    }

  if (g_str_equal (figure, "unsigned"))
    return o->signed_at == LD_TIME_NONE;
  if (g_str_equal (figure, "without_feedback"))
    return o->feedback_count == 0;
  if (g_str_equal (figure, "not_completed"))
    return o->completed_at == LD_TIME_NONE;
  if (g_str_equal (figure, "overdue_feedback"))
    return o->first_feedback_at != LD_TIME_NONE ? o->first_feedback_at > o->feedback_due : o->feedback_due < now;
  return g_str_equal (figure, "dispatched");
}

/* A rate opens the orders that miss it, each by the metric's own
 * condition: the list is as long as the rate's whole less its part, in
 * the city and in a district, and reads whole a page at a time. */
static void
test_rates_open_what_they_miss (void)
{
  g_autoptr(LdStore) store = city_with_history ();
  gint64 now = ld_test_time (store, "2026-11-10 15:30:00");
  const char *scopes[] = { NULL, "B" };
  const char *figures[] = { "sign_rate", "feedback_rate", "completion_rate", "repeat_rate", "overdue_feedback",
                            "dispatched", "late_now" };

  add_month_of_orders (store);
  for (guint s = 0; s < G_N_ELEMENTS (scopes); s++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LdDashboard) dashboard = ld_dashboard_new (store, scopes[s], now, &error);
      const LdOrderCounts *c;
      guint expected[G_N_ELEMENTS (figures)];

      g_assert_no_error (error);
      c = &ld_report_get_scope (ld_dashboard_get_month (dashboard))->now.orders;
      expected[0] = c->dispatched - c->signed_;
      expected[1] = c->dispatched - c->feedback_orders;
      expected[2] = c->dispatched - c->completed;
      expected[3] = c->repeat_calls;
      expected[4] = c->overdue_feedback;
      expected[5] = c->dispatched;
      expected[6] = ld_dashboard_get_late_now (dashboard);
      /* Every rate is missed, the sign rate not by all. */
      for (guint f = 0; f < 5; f++)
        g_assert_cmpuint (expected[f], >, 0);
      g_assert_cmpuint (expected[0], <, c->dispatched);

      for (guint f = 0; f < G_N_ELEMENTS (figures); f++)
        {
          LdIncidentFilter filter;
          guint total = ld_dashboard_get_filter (dashboard, figures[f], FALSE, &filter);
          g_autoptr(GPtrArray) rows = ld_store_list_figure (store, &filter, NULL, 1000, &error);
          LdFigureRow *last = NULL;
          guint paged = 0;

          g_assert_no_error (error);
          g_assert_cmpuint (total, ==, expected[f]);
          g_assert_cmpuint (rows->len, ==, expected[f]);
          for (guint i = 0; i < rows->len; i++)
            {
              LdFigureRow *row = g_ptr_array_index (rows, i);

              g_assert_nonnull (row->order);
              g_assert_cmpstr (row->order->incident_id, ==, row->incident->id);
              g_assert_cmpstr (row->order->unit_code, ==, row->unit->code);
              g_assert_true (row_counts (store, row, filter.figure, now));
              if (scopes[s])
                g_assert_cmpstr (row->incident->region_code, ==, scopes[s]);
              if (i > 0)
                g_assert_cmpint (row->order->dispatched_at, <=,
                                 ((LdFigureRow *) g_ptr_array_index (rows, i - 1))->order->dispatched_at);
            }

          /* Two at a time, from the last row read, the same rows. */
          do
            {
              g_autoptr(GPtrArray) page = ld_store_list_figure (store, &filter, last, 2, &error);

              g_assert_no_error (error);
              for (guint i = 0; i < page->len; i++)
                {
                  LdFigureRow *row = g_ptr_array_index (page, i);
                  g_assert_cmpstr (row->order->id, ==,
                                   ((LdFigureRow *) g_ptr_array_index (rows, paged))->order->id);
                  paged++;
                }
              last = page->len == 2 ? g_ptr_array_index (rows, paged - 1) : NULL;
            }
          while (last);
          g_assert_cmpuint (paged, ==, rows->len);
        }

      {
        LdIncidentFilter filter;
        guint total = ld_dashboard_get_filter (dashboard, "dispatched", TRUE, &filter);
        g_autoptr(GPtrArray) rows = ld_store_list_figure (store, &filter, NULL, 1000, &error);

        g_assert_no_error (error);
        /* Today: the history's one and the fresh one, both in B. */
        g_assert_cmpuint (total, ==, 2);
        g_assert_cmpuint (rows->len, ==, total);
      }
    }

  /* In the city: the joint incident's unsigned order counts and its
   * signed one does not; both unsigned orders of one incident count. */
  {
    g_autoptr(LdDashboard) dashboard = ld_dashboard_new (store, NULL, now, NULL);
    LdIncidentFilter filter;

    g_assert_cmpuint (ld_dashboard_get_filter (dashboard, "sign_rate", FALSE, &filter), ==, 6);
    g_assert_cmpstr (filter.figure, ==, "unsigned");
    g_assert_cmpuint (ld_dashboard_get_filter (dashboard, "overdue_feedback", FALSE, &filter), ==, 6);
    g_assert_cmpuint (ld_dashboard_get_filter (dashboard, "repeat_rate", FALSE, &filter), ==, 2);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/dashboard/figures-match-metrics", test_figures_match_metrics);
  g_test_add_func ("/dashboard/late-now", test_late_now);
  g_test_add_func ("/dashboard/incidents-behind-figures", test_incidents_behind_figures);
  g_test_add_func ("/dashboard/rates-open-what-they-miss", test_rates_open_what_they_miss);

  return g_test_run ();
}
