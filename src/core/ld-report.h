/* ld-report.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ld-drill-report.h"
#include "ld-metrics.h"

G_BEGIN_DECLS

/* A period's figures for a region and everything in it, with the same
 * period a year before (YoY) and the period before (MoM): what the monthly
 * bulletin prints and `report` exports. */

typedef struct {
  char          *code;
  char          *name;
  char          *parent_code;
  guint          depth;          /* 0 for the report's region */
  LdRegionCounts now;
  LdRegionCounts yoy;            /* the same period a year before */
  LdRegionCounts mom;            /* the period before */
} LdReportRegion;

typedef struct {
  char          *code;
  char          *name;
  char          *category;
  char          *region_code;
  int            tier;
  LdOrderCounts  now;
  LdOrderCounts  yoy;
  LdOrderCounts  mom;
  LdRollCallCounts roll_calls;
} LdReportUnit;

#define LD_TYPE_REPORT (ld_report_get_type ())

G_DECLARE_FINAL_TYPE (LdReport, ld_report, LD, REPORT, GObject)

LdReport        *ld_report_new          (LdStore          *store,
                                         const LdPeriod   *period,
                                         const char       *region_code,
                                         gint64            now,
                                         GError          **error);
/* The getters and lookups are (transfer none): the period, time zone,
 * name, regions, units and drills are the report's and live as long as it
 * does; a lookup is (nullable) when the code is not in the report. */
const LdPeriod  *ld_report_get_period   (LdReport         *self);
GTimeZone       *ld_report_get_time_zone (LdReport        *self);
gint64           ld_report_get_generated_at (LdReport     *self);
const char      *ld_report_get_center_name (LdReport      *self);
/* The center's target for "repeat_rate", "sign_rate", "feedback_rate",
 * "completion_rate" or "satisfaction_rate". */
double           ld_report_get_target   (LdReport         *self,
                                         const char       *metric);
/* The roll calls of the report's units in the period, decided by the
 * report's moment (ld_store_count_roll_calls()); each unit's are in its
 * LdReportUnit. */
void             ld_report_get_roll_calls (LdReport       *self,
                                         guint            *calls,
                                         guint            *answered);
LdReportRegion  *ld_report_get_scope    (LdReport         *self);
/* (element-type LdReportRegion), the report's region first. */
GPtrArray       *ld_report_get_regions  (LdReport         *self);
/* (element-type LdReportUnit) */
GPtrArray       *ld_report_get_units    (LdReport         *self);
/* The drills held in the period by the report's moment, as of then
 * (LdDrillResult): a drill whose alarm was not raised is in no count. */
GPtrArray       *ld_report_get_drills   (LdReport         *self);
/* The incidents returned twice or more (LdIncidentOrders), from
 * ld_store_list_bounced_incidents(): the bulletin's problems name them and
 * the JSON lists them as returned_incidents. */
GPtrArray       *ld_report_get_bounced_incidents (LdReport *self);
LdReportRegion  *ld_report_lookup_region (LdReport        *self,
                                          const char      *code);
LdReportUnit    *ld_report_lookup_unit  (LdReport         *self,
                                         const char       *code);

/* The @n units (police aside, with orders) with the highest or lowest
 * value of a rate metric (sign_rate, feedback_rate, completion_rate,
 * repeat_rate), or of a count metric such as "dispatched".
 * (transfer container) (element-type LdReportUnit): the caller unrefs the
 * array; the units are the report's. */
GPtrArray       *ld_report_rank_units   (LdReport         *self,
                                         const char       *metric,
                                         gboolean          highest,
                                         guint             n);
/* The report region's children ranked by the YoY change of a region count.
 * (transfer container) (element-type LdReportRegion): the caller unrefs
 * the array; the regions are the report's. */
GPtrArray       *ld_report_rank_risers  (LdReport         *self,
                                         const char       *metric,
                                         guint             n);

/* The rate metrics in which @unit misses the center's targets (static
 * strings): what the bulletin marks and the JSON lists as below_target.
 * (transfer container) (element-type utf8): the caller unrefs the array. */
GPtrArray       *ld_report_unit_alerts  (LdReport         *self,
                                         const LdReportUnit *unit);

/* (transfer full): the caller g_free()s the text. */
char            *ld_report_to_json      (LdReport         *self);

G_END_DECLS
