/* ld-store-area.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the store's own files (ld-store.c and ld-store-<area>.c) share: the
 * object's fields and the few readers and checks more than one area needs.
 * No other file includes it; the rest of the core has ld-store-private.h. */

#pragma once

#include "ld-store-private.h"

G_BEGIN_DECLS

struct _LdStore
{
  GObject      parent_instance;

  char        *path;
  sqlite3     *db;
  GHashTable  *statements;    /* const char *sql → sqlite3_stmt */
  guint        depth;         /* transaction nesting */
  GTimeZone   *tz;

  /* Caches of the small reference tables (ld-store-reference.c); dropped
   * whenever they change. */
  GHashTable  *units;         /* code → LdUnit */
  GHashTable  *categories;    /* code → LdCategory */
  GHashTable  *parents;       /* region code → parent code */
  LdGeoIndex  *geo_index;
  GHashTable  *limits;        /* "category\x1funit" → LdLimits */
};

/* Kept apart: a bulk import drops it and indexes its rows in one go. */
#define FTS_INSERT_TRIGGER \
  "CREATE TRIGGER incident_fts_insert AFTER INSERT ON incident BEGIN" \
  "  INSERT INTO incident_fts (rowid, address, summary, caller_phone)" \
  "   VALUES (new.rowid, new.address, new.summary, new.caller_phone);" \
  " END;"

#define UNIT_COLUMNS "code, name, tier, category, region_code, phone, lat, lon, inactive," \
                     " sign_limit_s, arrive_limit_s, feedback_limit_s, result_limit_s"

/* The returns are counted where they are kept, on the orders this store
 * holds; the one statement of that count. */
#define INCIDENT_COLUMNS "id, received_at, source, kind, diverted_to, caller_phone, address," \
                         " lat, lon, region_code, category, summary, state, closed_at, repeat_of," \
                         " (SELECT count(*) FROM orders r WHERE r.incident_id = incident.id" \
                         "   AND r.returned_at IS NOT NULL) AS returns"

#define ORDER_COLUMNS "id, incident_id, unit_code, state, dispatched_at, signed_at, arrived_at," \
                      " completed_at, returned_at, return_reason, sign_due, arrive_due," \
                      " feedback_due, result_due, first_feedback_at, feedback_count, overdue," \
                      " signed_logged_at, arrived_logged_at, completed_logged_at, returned_logged_at," \
                      " first_feedback_logged_at, duty_unit_code, not_ours, basis, return_ruling," \
                      " return_ruled_at, return_ruled_by, return_ruling_reason, result_feedback_at," \
                      " extension_step, extension_until, extension_reason, extension_requested_at," \
                      " extension_ruling, extension_ruled_at, extension_ruling_reason, extension_original_due"

#define N_ORDER_COLUMNS 38
#define N_INCIDENT_COLUMNS 16

/* When a step of an open order is late at ?1: its deadline has passed and
 * it is not done. The one statement of the rule, for the marks, the unit
 * board and the late list alike. */
#define OPEN_ORDER    "state IN ('dispatched', 'signed', 'arrived')"
#define PENDING_SIGN     "signed_at IS NULL"
#define PENDING_ARRIVE   "arrived_at IS NULL"
#define PENDING_FEEDBACK "first_feedback_at IS NULL"
#define PENDING_RESULT   "completed_at IS NULL"
#define LATE_SIGN_AT(t)     "(" PENDING_SIGN " AND sign_due < " t ")"
#define LATE_ARRIVE_AT(t)   "(" PENDING_ARRIVE " AND arrive_due < " t ")"
#define LATE_FEEDBACK_AT(t) "(" PENDING_FEEDBACK " AND feedback_due < " t ")"
#define LATE_RESULT_AT(t)   "(" PENDING_RESULT " AND result_due < " t ")"
#define LATE_SIGN     LATE_SIGN_AT ("?1")
#define LATE_ARRIVE   LATE_ARRIVE_AT ("?1")
#define LATE_FEEDBACK LATE_FEEDBACK_AT ("?1")
#define LATE_RESULT   LATE_RESULT_AT ("?1")
/* The first late step in the order of the sequence, as an index into
 * late_steps[] (ld-store-orders.c), and its deadline; NULL when none is late. */
#define LATE_STEP_AT(t) "(CASE WHEN " LATE_SIGN_AT (t) " THEN 0 WHEN " LATE_ARRIVE_AT (t) " THEN 1" \
                        " WHEN " LATE_FEEDBACK_AT (t) " THEN 2 WHEN " LATE_RESULT_AT (t) " THEN 3 END)"
#define LATE_STEP LATE_STEP_AT ("?1")
#define LATE_DUE  "(CASE " LATE_STEP " WHEN 0 THEN sign_due WHEN 1 THEN arrive_due" \
                  " WHEN 2 THEN feedback_due WHEN 3 THEN result_due END)"
/* The deadline an open order works to now: its first step not done. */
#define CURRENT_DUE "(CASE WHEN NOT " OPEN_ORDER " THEN NULL WHEN " PENDING_SIGN " THEN sign_due" \
                    " WHEN " PENDING_ARRIVE " THEN arrive_due WHEN " PENDING_FEEDBACK " THEN feedback_due" \
                    " WHEN " PENDING_RESULT " THEN result_due END)"

/* Readers of the columns from @first on, for joins that put one record
 * after another (transfer full). */
LdUnit     *ld_store_unit_from_columns     (sqlite3_stmt  *stmt,
                                            int            first);
LdIncident *ld_store_incident_from_columns (sqlite3_stmt  *stmt,
                                            int            first);
LdOrder    *ld_store_order_from_columns    (sqlite3_stmt  *stmt,
                                            int            first);

/* Fills the reference caches of ld-store-reference.c if they were dropped. */
void        ld_store_ensure_caches         (LdStore       *self);

gboolean    ld_store_check_coords          (double         lat,
                                            double         lon,
                                            GError       **error);
gboolean    ld_store_order_is_open         (const char    *state);
gint64      ld_store_logged_later          (const LdActor *actor,
                                            gint64         at);
/* @message: a format with two %s, for @id and @state. */
void        ld_store_set_transition_error  (GError       **error,
                                            const char    *message,
                                            const char    *id,
                                            const char    *state);

/* The data of an event: a JSON object of the key/value pairs, a NULL
 * value left out, ended by a NULL key (transfer full). */
char       *ld_store_event_data            (const char    *first_key,
                                            ...) G_GNUC_NULL_TERMINATED;
/* @at in the store's time zone as ISO 8601, NULL for LD_TIME_NONE
 * (transfer full). */
char       *ld_store_time_text             (LdStore       *self,
                                            gint64         at);

G_END_DECLS
