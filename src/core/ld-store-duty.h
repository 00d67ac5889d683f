/* ld-store-duty.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ld-store.h"

G_BEGIN_DECLS

/* The duty roster (值班表): each unit's turns, who answers for it when.
 * The desks show who is on duty beside the unit's office number. */

/* The longest turn a roster takes: a month. */
#define LD_DUTY_MAX_US (G_GINT64_CONSTANT (31) * 86400 * LD_USEC_PER_S)

/* Adds or changes @duty->id (which the desk made): the unit known, name
 * and phone not blank, @from before @to and at most LD_DUTY_MAX_US apart.
 * A turn stays with its unit: one of another unit is refused as unknown,
 * so a unit learns nothing of others' rosters. One audit event. */
gboolean     ld_store_set_duty           (LdStore       *self,
                                          const LdDuty  *duty,
                                          const LdActor *actor,
                                          GError       **error);
/* Takes a turn off the roster; refused (NOT_FOUND) when there is none or
 * it is removed already. */
gboolean     ld_store_remove_duty        (LdStore       *self,
                                          const char    *id,
                                          const LdActor *actor,
                                          GError       **error);
/* A turn, removed or not (transfer full). */
LdDuty      *ld_store_get_duty           (LdStore       *self,
                                          const char    *id,
                                          GError       **error);
/* The turns on the roster that overlap [@from, @to), of @unit_code or,
 * when NULL, of every unit, by start.
 * (transfer full) (element-type LdDuty) */
GPtrArray   *ld_store_list_duty          (LdStore       *self,
                                          const char    *unit_code,
                                          gint64         from,
                                          gint64         to,
                                          GError       **error);
/* Who is on duty for @unit_code at @now: of overlapping turns, the one
 * that began last. (transfer full) (nullable): NULL with no error when no
 * one is. */
LdDuty      *ld_store_get_on_duty        (LdStore       *self,
                                          const char    *unit_code,
                                          gint64         now,
                                          GError       **error);
/* A replica takes the server's turn as it is. */
gboolean     ld_store_put_duty           (LdStore       *self,
                                          const LdDuty  *duty,
                                          GError       **error);

/* Roll calls (点名报备): the center calls the units' duty liaisons, each
 * unit answers within a limit. Imported rows (roll_calls.csv) and live
 * ones are counted alike by ld_store_count_roll_calls(). */

/* The limit a roll call gives when it names none: the center's setting
 * "roll_call_limit_s", else 3 minutes. */
int          ld_store_get_roll_call_limit (LdStore      *self);
/* Starts roll call @roll_call_id at @at: one row per unit of @unit_codes
 * (NULL or empty: every active unit), each to answer within @limit_s
 * (0: ld_store_get_roll_call_limit()). An unknown or inactive unit is
 * refused; so is an id used already. One audit event. */
gboolean     ld_store_start_roll_call    (LdStore       *self,
                                          const char    *roll_call_id,
                                          const char * const *unit_codes,
                                          int            limit_s,
                                          gint64         at,
                                          const LdActor *actor,
                                          GError       **error);
/* @unit_code answers at @at, the server's time: answered when within the
 * limit, recorded late otherwise. Refused (NOT_FOUND) when the roll call
 * did not call the unit, and (INVALID_TRANSITION) when it answered. */
gboolean     ld_store_answer_roll_call   (LdStore       *self,
                                          const char    *roll_call_id,
                                          const char    *unit_code,
                                          gint64         at,
                                          const LdActor *actor,
                                          GError       **error);
/* The rows of a live roll call, of @unit_code only when not NULL, by unit.
 * (transfer full) (element-type LdRollCall) */
GPtrArray   *ld_store_list_roll_call_rows (LdStore      *self,
                                          const char    *roll_call_id,
                                          const char    *unit_code,
                                          GError       **error);
/* The rows started in @period, imported and live, of @unit_code only when
 * not NULL, oldest first: what the dashboard shows of today.
 * (transfer full) (element-type LdRollCall) */
GPtrArray   *ld_store_list_roll_calls    (LdStore       *self,
                                          const LdPeriod *period,
                                          const char    *unit_code,
                                          GError       **error);
/* The live rows not answered yet that were started after @since, of
 * @unit_code only when not NULL, oldest first: a unit's prompt shows
 * those still within their limit at now, with the time left.
 * (transfer full) (element-type LdRollCall) */
GPtrArray   *ld_store_list_unanswered_roll_calls (LdStore *self,
                                          const char    *unit_code,
                                          gint64         since,
                                          GError       **error);
/* The one count of roll calls, for the month report, the bulletin and the
 * dashboard: each unit's rows started in @period, decided by @now.
 * (transfer full) (element-type utf8 LdRollCallCounts): unit code →
 * counts, units without a roll call left out. */
GHashTable  *ld_store_count_roll_calls   (LdStore       *self,
                                          const LdPeriod *period,
                                          gint64         now,
                                          GError       **error);
/* A replica takes the server's rows of a roll call as they are, in place
 * of those it had. */
gboolean     ld_store_put_roll_call      (LdStore       *self,
                                          const char    *roll_call_id,
                                          GPtrArray     *rows,
                                          GError       **error);
/* The moments in (@after, @until] at which the center's roll calls run by
 * themselves: the setting "roll_call_times", times of day in the store's
 * zone such as "09:00,15:00"; malformed entries are left out.
 * (transfer full) (element-type gint64) */
GArray      *ld_store_list_roll_call_slots (LdStore     *self,
                                          gint64         after,
                                          gint64         until);

G_END_DECLS
