/* ld-dashboard.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ld-report.h"

G_BEGIN_DECLS

/* How many months the dashboard's trend spans, this one last. */
#define LD_DASHBOARD_MONTHS 13

#define LD_TYPE_DASHBOARD (ld_dashboard_get_type ())

G_DECLARE_FINAL_TYPE (LdDashboard, ld_dashboard, LD, DASHBOARD, GObject)

/* Everything the leaders' dashboard shows at @now for @region_code and the
 * regions under it (NULL: the whole center), read in one go: the month so
 * far as a report (regions, units, drills, with the same days a year
 * before), today, each day of the month, and the last
 * LD_DASHBOARD_MONTHS months beside the same months a year before. */
LdDashboard          *ld_dashboard_new               (LdStore      *store,
                                                      const char   *region_code,
                                                      gint64        now,
                                                      GError      **error);
gint64                ld_dashboard_get_now           (LdDashboard  *self);
/* The report, counts and periods below are (transfer none): the
 * dashboard's, living as long as it does. */
/* The month so far: from its first day to the end of today. */
LdReport             *ld_dashboard_get_month         (LdDashboard  *self);
const LdRegionCounts *ld_dashboard_get_today         (LdDashboard  *self);
const LdPeriod       *ld_dashboard_get_today_period  (LdDashboard  *self);
/* The days of this month, today included as the last: later days have
 * not happened and are not counted. */
guint                 ld_dashboard_get_n_days        (LdDashboard  *self);
const LdRegionCounts *ld_dashboard_get_day           (LdDashboard  *self,
                                                      guint         day);
const LdPeriod       *ld_dashboard_get_day_period    (LdDashboard  *self,
                                                      guint         day);
/* Month @i of the trend, 0 the oldest, LD_DASHBOARD_MONTHS − 1 this month
 * so far; @year_before: the same span a year earlier. The trend counts
 * incidents; orders only for this month so far (the month's report has
 * them for the same days a year before). */
const LdRegionCounts *ld_dashboard_get_trend         (LdDashboard  *self,
                                                      guint         i,
                                                      gboolean      year_before);
const LdPeriod       *ld_dashboard_get_trend_period  (LdDashboard  *self,
                                                      guint         i,
                                                      gboolean      year_before);
/* Open orders late at the time asked, as the late list counts them. */
guint                 ld_dashboard_get_late_now      (LdDashboard  *self);
/* The units of the month's drills held so far that are late at the time
 * asked, by ld_drill_result_late_at(). */
guint                 ld_dashboard_get_late_drill_units (LdDashboard *self);
/* The rows behind figure @figure of today (@today) or of the month so far,
 * in the dashboard's scope, as @filter for ld_store_list_figure: a region
 * count, an order count, a rate (standing for the orders it misses,
 * ld_order_rate_misses) or "late_now" (the open orders late at the
 * dashboard's time). @filter borrows @figure and the dashboard's strings.
 * Returns how many rows the figure counts: as many as the list holds. */
guint                 ld_dashboard_get_filter        (LdDashboard      *self,
                                                      const char       *figure,
                                                      gboolean          today,
                                                      LdIncidentFilter *filter);
/* The center's target for a rate metric (sign_rate, feedback_rate,
 * completion_rate, repeat_rate). */
double                ld_dashboard_get_target        (LdDashboard  *self,
                                                      const char   *metric);

G_END_DECLS
