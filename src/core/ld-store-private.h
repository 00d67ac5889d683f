/* ld-store-private.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <math.h>
#include <sqlite3.h>

#include "ld-store.h"

G_BEGIN_DECLS

/* For the core modules that read or write in bulk (import, export, metrics,
 * demo): SQL stays inside src/core. */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* The statement helper, the one way the store's areas and the bulk
 * modules run SQL: a statement is prepared once and kept, bound with the
 * ld_bind_… helpers below, and stepped by one of these, which turn
 * sqlite's failures into LD_STORE_ERROR ones (ld_store_set_db_error). */

/* Reads one row into a record (transfer full). */
typedef gpointer (*LdRowReader) (sqlite3_stmt *stmt);

/* Returns a cached prepared statement for @sql (keyed by the pointer, so pass
 * string literals), reset and with its bindings cleared. (transfer none) */
sqlite3_stmt *ld_store_prepare          (LdStore       *self,
                                         const char    *sql,
                                         GError       **error);
/* Runs @sql, which may hold several statements, without keeping it
 * prepared: for what runs rarely (schema, pragmas, a bulk step). */
gboolean      ld_store_exec             (LdStore       *self,
                                         const char    *sql,
                                         GError       **error);
/* Steps a bound statement to its end, or its first row, and resets it. */
gboolean      ld_store_step_done        (LdStore       *self,
                                         sqlite3_stmt  *stmt,
                                         GError       **error);
/* Prepares (cached) and steps @sql, a statement without parameters. */
gboolean      ld_store_run              (LdStore       *self,
                                         const char    *sql,
                                         GError       **error);
/* The row of @sql, with one "?" bound to @key, read by @reader (transfer
 * full); NULL and LD_STORE_ERROR_NOT_FOUND with @not_found, a format with
 * one %s for @key, when there is none. */
gpointer      ld_store_read_one         (LdStore       *self,
                                         const char    *sql,
                                         const char    *key,
                                         LdRowReader    reader,
                                         const char    *not_found,
                                         GError       **error);
/* Every row of a prepared and bound statement, read by @reader, in an
 * array that frees them with @free_func (transfer full). */
GPtrArray    *ld_store_read_all         (LdStore       *self,
                                         sqlite3_stmt  *stmt,
                                         LdRowReader    reader,
                                         GDestroyNotify free_func,
                                         GError       **error);
/* Resets @stmt after a loop over its rows that stopped at @rc, the last
 * sqlite3_step(): FALSE, with the error, unless the loop reached the end. */
gboolean      ld_store_end_rows         (LdStore       *self,
                                         sqlite3_stmt  *stmt,
                                         int            rc,
                                         GError       **error);
void          ld_store_set_db_error     (LdStore       *self,
                                         GError       **error);
/* @what: a format with one %s for @id. */
void          ld_store_set_not_found    (GError       **error,
                                         const char    *what,
                                         const char    *id);
sqlite3      *ld_store_get_handle       (LdStore       *self);

gboolean      ld_store_record_event     (LdStore       *self,
                                         const LdActor *actor,
                                         gint64         at,
                                         const char    *entity,
                                         const char    *entity_id,
                                         const char    *action,
                                         const char    *data_json,
                                         GError       **error);

gboolean      ld_store_insert_incident  (LdStore       *self,
                                         const LdIncident *incident,
                                         GError       **error);
/* Incidents inserted between the two are indexed for search by the
 * second, all at once; the caller holds a transaction around both. */
gboolean      ld_store_pause_search_index  (LdStore    *self,
                                            GError    **error);
gboolean      ld_store_resume_search_index (LdStore    *self,
                                            gint64      first_rowid,
                                            GError    **error);
gboolean      ld_store_queue_phones_since (LdStore     *self,
                                           gint64       first_rowid,
                                           GError     **error);
void          ld_store_set_cache_mb     (LdStore       *self,
                                         guint          mb);
/* The rowid the next row of @table will get, for bulk writers that later
 * ask what they wrote. */
gint64        ld_store_next_rowid       (LdStore       *self,
                                         const char    *table);
gboolean      ld_store_insert_order     (LdStore       *self,
                                         const LdOrder *order,
                                         GError       **error);
gboolean      ld_store_insert_feedback  (LdStore       *self,
                                         const char    *id,
                                         const char    *order_id,
                                         gint64         at,
                                         const char    *kind,
                                         const char    *text,
                                         GError       **error);

/* A replica's writers: the server's version of a record, and the removal
 * of one the server never took. */
gboolean      ld_store_replace_incident (LdStore       *self,
                                         const LdIncident *incident,
                                         GError       **error);
gboolean      ld_store_replace_order    (LdStore       *self,
                                         const LdOrder *order,
                                         GError       **error);
gboolean      ld_store_forget_incident  (LdStore       *self,
                                         const char    *incident_id,
                                         GError       **error);
gboolean      ld_store_forget_order     (LdStore       *self,
                                         const char    *order_id,
                                         GError       **error);
gboolean      ld_store_forget_feedback  (LdStore       *self,
                                         const char    *feedback_id,
                                         GError       **error);
/* @units: LdDrillUnit, @notes: LdDrillNote, the drill's whole. */
gboolean      ld_store_replace_drill    (LdStore       *self,
                                         const LdDrill *drill,
                                         GPtrArray     *units,
                                         GPtrArray     *notes,
                                         GError       **error);
gboolean      ld_store_forget_drill     (LdStore       *self,
                                         const char    *drill_id,
                                         GError       **error);

/* Recomputes the repeat links of every incident whose caller phone is in
 * the temporary table temp.ld_phone, and the repeat flags of their orders. */
gboolean      ld_store_relink_repeats   (LdStore       *self,
                                         GError       **error);

/* Fills in the deadlines of @order from its dispatch time, the incident's
 * category and the unit. */
void          ld_store_compute_deadlines (LdStore      *self,
                                          const char   *category_code,
                                          const char   *unit_code,
                                          LdOrder      *order);
/* The overdue flags implied by the order's times, as of @now. */
guint         ld_order_overdue_at       (const LdOrder *order,
                                         gint64         now);
const LdUnit *ld_store_lookup_unit      (LdStore       *self,
                                         const char    *code);
gboolean      ld_store_unit_is_police   (LdStore       *self,
                                         const char    *code);

/* What ld-metrics.c counts of an order, as conditions on its row of
 * orders; the lists behind the figures (ld_store_list_figure) take the same
 * conditions, so that a list is as long as its figure. @now: the moment a
 * feedback deadline is judged at. */
#define LD_ORDER_SIGNED        "(signed_at IS NOT NULL)"
#define LD_ORDER_WITH_FEEDBACK "(feedback_count > 0)"
#define LD_ORDER_RETURNED      "(returned_at IS NOT NULL)"
#define LD_ORDER_COMPLETED     "(completed_at IS NOT NULL)"
#define LD_ORDER_OVERDUE_FEEDBACK_AT(now) \
  "(first_feedback_at > feedback_due OR (first_feedback_at IS NULL AND feedback_due < " now "))"
#define LD_ORDER_REPEAT_CALL   "(repeat_call != 0)"

static inline void
ld_bind_text (sqlite3_stmt *stmt, int i, const char *value)
{
  if (value && *value)
    sqlite3_bind_text (stmt, i, value, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, i);
}

static inline void
ld_bind_time (sqlite3_stmt *stmt, int i, gint64 value)
{
  if (value != LD_TIME_NONE)
    sqlite3_bind_int64 (stmt, i, value);
  else
    sqlite3_bind_null (stmt, i);
}

static inline void
ld_bind_coord (sqlite3_stmt *stmt, int i, double value)
{
  if (!isnan (value))
    sqlite3_bind_double (stmt, i, value);
  else
    sqlite3_bind_null (stmt, i);
}

static inline void
ld_bind_limit (sqlite3_stmt *stmt, int i, int value)
{
  if (value > 0)
    sqlite3_bind_int (stmt, i, value);
  else
    sqlite3_bind_null (stmt, i);
}

static inline char *
ld_column_dup (sqlite3_stmt *stmt, int i)
{
  const char *text = (const char *) sqlite3_column_text (stmt, i);
  return text ? g_strdup (text) : NULL;
}

static inline double
ld_column_coord (sqlite3_stmt *stmt, int i)
{
  return sqlite3_column_type (stmt, i) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, i);
}

G_END_DECLS
