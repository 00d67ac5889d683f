/* ld-drill-query.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ld-drill-report.h"
#include "ld-sync-engine.h"

G_BEGIN_DECLS

#define LD_TYPE_DRILL_QUERY (ld_drill_query_get_type ())

G_DECLARE_FINAL_TYPE (LdDrillQuery, ld_drill_query, LD, DRILL_QUERY, GObject)

/* What the drills page reads, and only that, from the engine's replica:
 * the one place the page's widgets reach the store. Every read says why
 * it failed, so a page never shows a failed read as an empty list.
 * "changed" is emitted when a drill changed or the replica was replaced.
 * @time_zone: NULL for the replica's own. (transfer full): keeps a ref on
 * @engine and on the zone. */
LdDrillQuery  *ld_drill_query_new              (LdSyncEngine *engine,
                                                GTimeZone    *time_zone);
/* (transfer none): alive as long as the query */
LdSyncEngine  *ld_drill_query_get_engine       (LdDrillQuery *self);
/* (transfer none): the time zone every time on the page is shown in */
GTimeZone     *ld_drill_query_get_time_zone    (LdDrillQuery *self);
/* Inspectors and admins run drills; everyone else only reads them. */
gboolean       ld_drill_query_can_run          (LdDrillQuery *self);

/* Each returns NULL and sets @error when the replica could not be read;
 * the arrays and results are the caller's (transfer full). An array frees
 * its own elements: the caller only unrefs it. */
/* (element-type LdDrill) */
GPtrArray     *ld_drill_query_list_drills      (LdDrillQuery *self,
                                                GError      **error);
/* Freed with ld_drill_free(). */
LdDrill       *ld_drill_query_get_drill        (LdDrillQuery *self,
                                                const char   *drill_id,
                                                GError      **error);
/* (element-type LdDrillUnit) */
GPtrArray     *ld_drill_query_list_units       (LdDrillQuery *self,
                                                const char   *drill_id,
                                                GError      **error);
/* Freed with ld_drill_result_free(). */
LdDrillResult *ld_drill_query_get_result       (LdDrillQuery *self,
                                                const LdDrill *drill,
                                                gint64        now,
                                                GError      **error);
/* (element-type LdDrillNote) */
GPtrArray     *ld_drill_query_list_notes       (LdDrillQuery *self,
                                                const char   *drill_id,
                                                GError      **error);
/* (element-type LdDrillPhoto), with their images. */
GPtrArray     *ld_drill_query_list_photos      (LdDrillQuery *self,
                                                const char   *drill_id,
                                                GError      **error);
/* The drills @unit_code was called to until now, oldest first.
 * (element-type LdDrillHistoryEntry) */
GPtrArray     *ld_drill_query_list_history     (LdDrillQuery *self,
                                                const char   *unit_code,
                                                GError      **error);
/* The month's table as the bulletin prints it, as of now; freed with
 * ld_drill_table_free(). */
LdDrillTable  *ld_drill_query_get_month        (LdDrillQuery *self,
                                                int           year,
                                                int           month,
                                                GError      **error);
/* (transfer full): the unit's name, or @unit_code for a unit the replica
 * does not know; NULL only when the replica could not be read. */
char          *ld_drill_query_dup_unit_name    (LdDrillQuery *self,
                                                const char   *unit_code,
                                                GError      **error);

G_END_DECLS
