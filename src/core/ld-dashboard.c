/* ld-dashboard.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include "ld-dashboard.h"

struct _LdDashboard
{
  GObject         parent_instance;

  gint64          now;
  LdReport       *month;
  guint           n_days;
  LdPeriod        days[31];
  LdRegionCounts  day_counts[31];
  LdPeriod        trend[2][LD_DASHBOARD_MONTHS];
  LdRegionCounts  trend_counts[2][LD_DASHBOARD_MONTHS];
  guint           late_now;
  double          targets[4];
};

G_DEFINE_FINAL_TYPE (LdDashboard, ld_dashboard, G_TYPE_OBJECT)

static const char * const target_metrics[] = { "sign_rate", "feedback_rate", "completion_rate", "repeat_rate" };

static void
ld_dashboard_finalize (GObject *object)
{
  LdDashboard *self = LD_DASHBOARD (object);

  g_clear_object (&self->month);
  G_OBJECT_CLASS (ld_dashboard_parent_class)->finalize (object);
}

static void
ld_dashboard_class_init (LdDashboardClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ld_dashboard_finalize;
}

static void
ld_dashboard_init (LdDashboard *self)
{
}

static LdPeriod
month_period (GTimeZone *tz, int year, int month)
{
  /* Months before January roll back into the year before. */
  while (month < 1)
    {
      month += 12;
      year--;
    }
  return ld_period_month (tz, year, month);
}

static gint64
local_midnight (GTimeZone *tz, int year, int month, int day, int add_days)
{
  g_autoptr(GDateTime) date = g_date_time_new (tz, year, month, day, 0, 0, 0);
  g_autoptr(GDateTime) shifted = g_date_time_add_days (date, add_days);
  return g_date_time_to_unix (shifted) * G_USEC_PER_SEC;
}

typedef struct {
  LdPeriod        period;
  LdRegionCounts *sum_into[2];   /* the dashboard's figures this span adds to */
} Span;

static void
add_span (GArray *spans, gint64 start, gint64 end, LdRegionCounts *into, LdRegionCounts *also)
{
  Span span = { { start, end }, { into, also } };
  if (end > start)
    g_array_append_val (spans, span);
}

/* The months a year ago, the trend's months and the days of this month
 * overlap: they are cut into spans that don't, sorted, so that
 * ld_metrics_compute_series counts every row once. */
static gboolean
compute_series (LdDashboard *self, LdStore *store, const char *region_code, GError **error)
{
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));
  g_autofree LdPeriod *periods = NULL;
  g_autofree LdRegionCounts *counts = NULL;
  const guint last = LD_DASHBOARD_MONTHS - 1;
  guint first_day;
  const LdPeriod *this_year_first = &self->trend[0][0];
  const LdPeriod *a_year_ago_now = &self->trend[1][last];

  /* The year before, whole months, up to the month a year ago. */
  for (guint i = 0; i < last; i++)
    add_span (spans, self->trend[1][i].start, self->trend[1][i].end, &self->trend_counts[1][i], NULL);
  /* That month, the first of the trend, split where today falls in it. */
  add_span (spans, a_year_ago_now->start, a_year_ago_now->end,
            &self->trend_counts[1][last], &self->trend_counts[0][0]);
  add_span (spans, a_year_ago_now->end, this_year_first->end, &self->trend_counts[0][0], NULL);
  for (guint i = 1; i < last; i++)
    add_span (spans, self->trend[0][i].start, self->trend[0][i].end, &self->trend_counts[0][i], NULL);
  first_day = spans->len;
  for (guint d = 0; d < self->n_days; d++)
    add_span (spans, self->days[d].start, self->days[d].end, &self->day_counts[d], &self->trend_counts[0][last]);

  periods = g_new (LdPeriod, spans->len);
  counts = g_new (LdRegionCounts, spans->len);
  for (guint i = 0; i < spans->len; i++)
    periods[i] = g_array_index (spans, Span, i).period;
  /* The trend draws incidents; only this month's days show orders, and
   * the orders are half the rows. */
  if (!ld_metrics_compute_series (store, periods, first_day, region_code, self->now, FALSE, counts, error) ||
      !ld_metrics_compute_series (store, periods + first_day, spans->len - first_day, region_code, self->now,
                                  TRUE, counts + first_day, error))
    return FALSE;
  for (guint i = 0; i < spans->len; i++)
    {
      Span *span = &g_array_index (spans, Span, i);
      for (guint j = 0; j < G_N_ELEMENTS (span->sum_into); j++)
        if (span->sum_into[j])
          ld_region_counts_add (span->sum_into[j], &counts[i]);
    }
  return TRUE;
}

static gboolean
count_late (LdDashboard *self, LdStore *store, LdReportRegion *scope, GError **error)
{
  g_autoptr(GHashTable) late = ld_store_count_late_orders (store, self->now, error);
  GHashTableIter iter;
  gpointer key, value;

  if (late == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, late);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *code = key;
      gboolean counts = *code == '\0' ? scope->parent_code == NULL
                                      : ld_store_region_is_within (store, code, scope->code);
      if (counts)
        self->late_now += GPOINTER_TO_UINT (value);
    }
  return TRUE;
}

LdDashboard *
ld_dashboard_new (LdStore *store, const char *region_code, gint64 now, GError **error)
{
  g_autoptr(LdDashboard) self = g_object_new (LD_TYPE_DASHBOARD, NULL);
  GTimeZone *tz = ld_store_get_time_zone (store);
  const guint last = LD_DASHBOARD_MONTHS - 1;
  int year, month, day, hour, minute, second;
  LdPeriod so_far;

  self->now = now;
  ld_time_to_local (now, tz, &year, &month, &day, &hour, &minute, &second);
  self->n_days = day;
  for (int d = 0; d < day; d++)
    {
      self->days[d].start = local_midnight (tz, year, month, 1, d);
      self->days[d].end = local_midnight (tz, year, month, 1, d + 1);
    }
  so_far.start = self->days[0].start;
  so_far.end = self->days[day - 1].end;

  for (guint i = 0; i < LD_DASHBOARD_MONTHS; i++)
    {
      self->trend[0][i] = i == last ? so_far : month_period (tz, year, month - (int) last + (int) i);
      self->trend[1][i] = ld_period_year_before (&self->trend[0][i], tz);
    }
  for (guint i = 0; i < G_N_ELEMENTS (target_metrics); i++)
    self->targets[i] = ld_store_get_target (store, target_metrics[i]);

  self->month = ld_report_new (store, &so_far, region_code, now, error);
  if (self->month == NULL ||
      !compute_series (self, store, region_code, error) ||
      !count_late (self, store, ld_report_get_scope (self->month), error))
    return NULL;
  return g_steal_pointer (&self);
}

gint64
ld_dashboard_get_now (LdDashboard *self)
{
  g_return_val_if_fail (LD_IS_DASHBOARD (self), 0);
  return self->now;
}

LdReport *
ld_dashboard_get_month (LdDashboard *self)
{
  g_return_val_if_fail (LD_IS_DASHBOARD (self), NULL);
  return self->month;
}

const LdRegionCounts *
ld_dashboard_get_today (LdDashboard *self)
{
  g_return_val_if_fail (LD_IS_DASHBOARD (self), NULL);
  return &self->day_counts[self->n_days - 1];
}

const LdPeriod *
ld_dashboard_get_today_period (LdDashboard *self)
{
  g_return_val_if_fail (LD_IS_DASHBOARD (self), NULL);
  return &self->days[self->n_days - 1];
}

guint
ld_dashboard_get_n_days (LdDashboard *self)
{
  g_return_val_if_fail (LD_IS_DASHBOARD (self), 0);
  return self->n_days;
}

const LdRegionCounts *
ld_dashboard_get_day (LdDashboard *self, guint day)
{
  g_return_val_if_fail (LD_IS_DASHBOARD (self), NULL);
  g_return_val_if_fail (day < self->n_days, NULL);
  return &self->day_counts[day];
}

const LdPeriod *
ld_dashboard_get_day_period (LdDashboard *self, guint day)
{
  g_return_val_if_fail (LD_IS_DASHBOARD (self), NULL);
  g_return_val_if_fail (day < self->n_days, NULL);
  return &self->days[day];
}

const LdRegionCounts *
ld_dashboard_get_trend (LdDashboard *self, guint i, gboolean year_before)
{
  g_return_val_if_fail (LD_IS_DASHBOARD (self), NULL);
  g_return_val_if_fail (i < LD_DASHBOARD_MONTHS, NULL);
  return &self->trend_counts[year_before ? 1 : 0][i];
}

const LdPeriod *
ld_dashboard_get_trend_period (LdDashboard *self, guint i, gboolean year_before)
{
  g_return_val_if_fail (LD_IS_DASHBOARD (self), NULL);
  g_return_val_if_fail (i < LD_DASHBOARD_MONTHS, NULL);
  return &self->trend[year_before ? 1 : 0][i];
}

guint
ld_dashboard_get_late_now (LdDashboard *self)
{
  g_return_val_if_fail (LD_IS_DASHBOARD (self), 0);
  return self->late_now;
}

guint
ld_dashboard_get_late_drill_units (LdDashboard *self)
{
  GPtrArray *drills;
  guint late = 0;

  g_return_val_if_fail (LD_IS_DASHBOARD (self), 0);
  drills = ld_report_get_drills (self->month);
  for (guint i = 0; i < drills->len; i++)
    late += ld_drill_result_late_at (g_ptr_array_index (drills, i), self->now);
  return late;
}

static gboolean
is_rate (const char *figure)
{
  for (guint i = 0; ld_order_rate_metrics[i]; i++)
    if (g_str_equal (figure, ld_order_rate_metrics[i]))
      return TRUE;
  return FALSE;
}

guint
ld_dashboard_get_filter (LdDashboard *self, const char *figure, gboolean today, LdIncidentFilter *filter)
{
  LdReportRegion *scope;
  const LdPeriod *period;
  const LdRegionCounts *counts;

  g_return_val_if_fail (LD_IS_DASHBOARD (self), 0);
  g_return_val_if_fail (figure != NULL, 0);
  g_return_val_if_fail (filter != NULL, 0);

  scope = ld_report_get_scope (self->month);
  period = today ? &self->days[self->n_days - 1] : ld_report_get_period (self->month);
  counts = today ? &self->day_counts[self->n_days - 1] : &scope->now;
  *filter = (LdIncidentFilter) {
    /* The center's one top region also counts the rows placed nowhere, as
     * ld_metrics_compute does: no region to search in. */
    .region_code = scope->parent_code ? scope->code : NULL,
    .now = self->now,
  };
  if (g_str_equal (figure, "late_now"))
    {
      filter->figure = "dispatched";
      filter->late_at = self->now;
      return self->late_now;
    }
  filter->since = period->start;
  filter->until = period->end;
  if (is_rate (figure))
    {
      filter->figure = ld_order_rate_misses (figure);
      return ld_order_counts_get (&counts->orders, filter->figure);
    }
  filter->figure = figure;
  return ld_region_counts_get (counts, figure);
}

double
ld_dashboard_get_target (LdDashboard *self, const char *metric)
{
  g_return_val_if_fail (LD_IS_DASHBOARD (self), 0);
  for (guint i = 0; i < G_N_ELEMENTS (target_metrics); i++)
    if (g_str_equal (metric, target_metrics[i]))
      return self->targets[i];
  g_return_val_if_reached (0);
}
