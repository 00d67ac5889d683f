/* ld-metrics.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ld-store.h"

G_BEGIN_DECLS

/* The metrics of DESIGN.md, one definition each. Every screen, report and
 * bulletin takes its numbers from here. */

#define LD_N_PLATFORMS 4   /* ld_platforms[] order: governance, 114, 12345, 96345 */

typedef struct {
  guint dispatched;        /* orders dispatched in the period */
  guint signed_;           /* of those, signed */
  guint feedback_orders;   /* of those, with at least one feedback */
  guint feedback_entries;  /* feedback records of those orders */
  guint returned;
  guint completed;
  guint overdue_feedback;  /* first feedback after its deadline, or none by then */
  guint repeat_calls;      /* orders whose incident the caller called about again 8 min – 72 h later */
} LdOrderCounts;

typedef struct {
  guint incidents;         /* all incidents received in the period */
  guint incidents_110;     /* of those, from 110 */
  guint linkage_alarms;    /* linkage incidents from 110 */
  guint handled;           /* linkage incidents of any source */
  guint handled_by_units;  /* of those, with an order to a unit other than the police */
  guint diverted;
  guint diversions[LD_N_PLATFORMS];
  LdOrderCounts orders;    /* orders on the region's incidents */
} LdRegionCounts;

double      ld_rate              (guint        part,
                                  guint        whole);
double      ld_change            (double       now,
                                  double       base);
/* (transfer full): the caller g_free()s the text ("—" for no figure). */
char       *ld_format_rate       (double       rate);
char       *ld_format_change     (double       change);

double      ld_order_counts_rate (const LdOrderCounts *counts,
                                  const char          *metric);
/* A count of ld_order_count_metrics, or what an order rate misses
 * ("unsigned", "without_feedback", "not_completed": of the dispatched,
 * those the rate's part leaves out). */
guint       ld_order_counts_get  (const LdOrderCounts *counts,
                                  const char          *metric);
/* The orders that keep order rate @rate from its best, as a count for
 * ld_order_counts_get and a figure for ld_store_list_figure: the unsigned
 * for the sign rate, those without feedback for the feedback rate, those
 * not completed for the completion rate, the repeat calls for the repeat
 * rate. (transfer none): a static string. */
const char *ld_order_rate_misses (const char          *rate);
guint       ld_region_counts_get (const LdRegionCounts *counts,
                                  const char           *metric);
void        ld_order_counts_add  (LdOrderCounts       *sum,
                                  const LdOrderCounts *counts);
void        ld_region_counts_add (LdRegionCounts       *sum,
                                  const LdRegionCounts *counts);

/* The period's figures in one pass: @units gets unit code → LdOrderCounts
 * for the units with orders in @period; @regions gets region code →
 * LdRegionCounts for every region of the store, each including its
 * descendants. Either may be NULL. @now decides which feedback deadlines
 * have passed. Both tables are (transfer full): they own their keys and
 * values, and the caller unrefs them. */
gboolean    ld_metrics_compute   (LdStore          *store,
                                  const LdPeriod   *period,
                                  gint64            now,
                                  GHashTable      **units,
                                  GHashTable      **regions,
                                  GError          **error);

/* The same figures for many periods in one pass, for trends: @periods
 * sorted and not overlapping; @out[i] gets @region_code's figures (NULL:
 * everything in the store) for @periods[i]. Without @with_orders only
 * the incidents are counted (out[i].orders stays zero), in half the time. */
gboolean    ld_metrics_compute_series (LdStore          *store,
                                       const LdPeriod   *periods,
                                       guint             n_periods,
                                       const char       *region_code,
                                       gint64            now,
                                       gboolean          with_orders,
                                       LdRegionCounts   *out,
                                       GError          **error);

/* Drill arrival: arrived − alarm in seconds, or -1 when the unit had no
 * alarm or has not arrived. */
gint64      ld_drill_arrival_s   (const LdDrillUnit *drill_unit);
/* Drill lateness at a moment (DESIGN.md, Metrics), the one rule every
 * count of late units follows: a unit is late at @now when it arrived
 * after alarm + its limit, or has not arrived and alarm + limit ≤ @now.
 * Without an alarm the drill is planned: nobody is late. */
gboolean    ld_drill_unit_is_late_at (const LdDrillUnit *drill_unit,
                                      gint64             now);

extern const char * const ld_order_count_metrics[];   /* NULL-terminated identifiers */
extern const char * const ld_order_rate_metrics[];
extern const char * const ld_region_count_metrics[];

G_END_DECLS
