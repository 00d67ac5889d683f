/* ld-store.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ld-geo.h"
#include "ld-records.h"

G_BEGIN_DECLS

#define LD_STORE_ERROR (ld_store_error_quark ())

typedef enum {
  LD_STORE_ERROR_DB,                 /* sqlite failed: disk, corruption, busy */
  LD_STORE_ERROR_SCHEMA,             /* written by a newer Liandong */
  LD_STORE_ERROR_NOT_FOUND,
  LD_STORE_ERROR_DUPLICATE,
  LD_STORE_ERROR_INVALID,            /* a value outside its domain */
  LD_STORE_ERROR_INVALID_TRANSITION, /* a state machine rule refused it */
} LdStoreError;

/* The repeat-call window: a call from the same phone 8 min to 72 h after an
 * incident was received (both ends included) is a repeat call. */
#define LD_REPEAT_MIN_US (G_GINT64_CONSTANT (8) * 60 * LD_USEC_PER_S)
#define LD_REPEAT_MAX_US (G_GINT64_CONSTANT (72) * 3600 * LD_USEC_PER_S)

#define LD_TYPE_STORE (ld_store_get_type ())

G_DECLARE_FINAL_TYPE (LdStore, ld_store, LD, STORE, GObject)

GQuark       ld_store_error_quark        (void);

LdStore     *ld_store_open               (const char    *path,
                                          GError       **error);
const char  *ld_store_get_path           (LdStore       *self);
/* Forgets the reference data (regions, units, categories, limits) this
 * connection keeps, after another connection changed it (an import). */
void         ld_store_invalidate_caches  (LdStore       *self);
/* A training store holds practice calls, never live ones: the flag is
 * kept in the store itself, set once when the store is made and never
 * taken away. */
gboolean     ld_store_is_training        (LdStore       *self);
gboolean     ld_store_make_training      (LdStore       *self,
                                          GError       **error);
/* Whether the database can be written: a server must not start on one
 * it can only read. */
gboolean     ld_store_check_writable     (LdStore       *self,
                                          GError       **error);
int          ld_store_get_schema_version (LdStore       *self);
GTimeZone   *ld_store_get_time_zone      (LdStore       *self);
gboolean     ld_store_set_time_zone      (LdStore       *self,
                                          const char    *identifier,
                                          GError       **error);
char        *ld_store_get_setting        (LdStore       *self,
                                          const char    *key);
gboolean     ld_store_set_setting        (LdStore       *self,
                                          const char    *key,
                                          const char    *value,
                                          GError       **error);
double       ld_store_get_target         (LdStore       *self,
                                          const char    *metric);
LdLimits     ld_store_get_limits         (LdStore       *self,
                                          const char    *category_code,
                                          const char    *unit_code);

/* Transactions nest: the outermost commit makes the whole durable, a
 * rollback at any depth undoes that depth. */
gboolean     ld_store_begin              (LdStore       *self,
                                          GError       **error);
gboolean     ld_store_commit             (LdStore       *self,
                                          GError       **error);
void         ld_store_rollback           (LdStore       *self);

/* Reference data: regions, units, the responsibility list. put = insert or update. */
gboolean     ld_store_put_region         (LdStore       *self,
                                          const LdRegion *region,
                                          LdBoundary    *boundary,
                                          GError       **error);
gboolean     ld_store_put_unit           (LdStore       *self,
                                          const LdUnit  *unit,
                                          GError       **error);
gboolean     ld_store_put_category       (LdStore       *self,
                                          const LdCategory *category,
                                          GError       **error);
LdRegion    *ld_store_get_region         (LdStore       *self,
                                          const char    *code,
                                          GError       **error);
LdUnit      *ld_store_get_unit           (LdStore       *self,
                                          const char    *code,
                                          GError       **error);
LdCategory  *ld_store_get_category       (LdStore       *self,
                                          const char    *code,
                                          GError       **error);
GPtrArray   *ld_store_list_regions       (LdStore       *self,
                                          GError       **error);
GPtrArray   *ld_store_list_units         (LdStore       *self,
                                          GError       **error);
GPtrArray   *ld_store_list_categories    (LdStore       *self,
                                          GError       **error);
LdBoundary  *ld_store_get_region_boundary (LdStore      *self,
                                          const char    *code);
const char  *ld_store_region_for_point   (LdStore       *self,
                                          double         lat,
                                          double         lon);
/* How deep each region lies: 0 for the top (the city), 1 for its
 * districts and counties, and so on; code → GUINT_TO_POINTER (depth). */
GHashTable  *ld_store_list_region_depths (LdStore       *self,
                                          GError       **error);
gboolean     ld_store_region_is_within   (LdStore       *self,
                                          const char    *code,
                                          const char    *ancestor_code);

/* Incidents and orders: every call is one transaction and one audit event. */
char        *ld_store_add_incident       (LdStore       *self,
                                          const LdIncident *incident,
                                          const LdActor *actor,
                                          GError       **error);
LdIncident  *ld_store_get_incident       (LdStore       *self,
                                          const char    *id,
                                          GError       **error);
GPtrArray   *ld_store_list_calls_before  (LdStore       *self,
                                          const char    *caller_phone,
                                          gint64         at,
                                          GError       **error);
/* Incidents received in each hour of the day over [@since, @until). */
gboolean     ld_store_count_received_by_hour (LdStore   *self,
                                          gint64         since,
                                          gint64         until,
                                          guint64        counts[24],
                                          GError       **error);
/* The @nth incident received in [@since, @until), oldest first. (transfer full) */
LdIncident  *ld_store_get_nth_incident   (LdStore       *self,
                                          gint64         since,
                                          gint64         until,
                                          guint64        nth,
                                          GError       **error);
/* The duty board: every open incident and the others received since
 * @since, newest first. */
GPtrArray   *ld_store_list_board_incidents (LdStore     *self,
                                          gint64         since,
                                          GError       **error);
/* The state of each board incident's orders, by incident id, in one
 * pass: LdOrderStats. */
typedef struct {
  guint    n_orders;
  guint    n_open;
  gboolean overdue;
  gint64   next_due;   /* the earliest deadline its open orders work to now, or LD_TIME_NONE */
} LdOrderStats;

GHashTable  *ld_store_board_order_stats  (LdStore       *self,
                                          gint64         since,
                                          GError       **error);

/* What the dispatcher narrows a search to; each field is optional (NULL or
 * 0). @region_code takes the region and every region under it; @state is
 * an incident state or "open" (new or dispatched); received_at falls in
 * [@since, @until).
 *
 * The rest name the rows behind a dashboard figure, by the metrics'
 * definitions. @figure is a region count (ld_region_count_metrics:
 * "handled", "diverted", …), with @platform for one platform's diversions,
 * counting incidents received in [@since, @until); or it counts orders
 * dispatched in [@since, @until) and placed in @region_code: "dispatched",
 * what an order rate misses (ld_order_rate_misses: "unsigned",
 * "without_feedback", "not_completed", "repeat_calls") or
 * "overdue_feedback", judged at @now. @unit_code takes only the unit's
 * orders; @late_at, the open orders late then. */
typedef struct {
  const char *region_code;
  const char *category;
  const char *state;
  gint64      since;
  gint64      until;
  const char *figure;
  const char *platform;
  const char *unit_code;
  gint64      late_at;
  gint64      now;
} LdIncidentFilter;

/* Incidents matching @query (address, summary or caller phone), newest
 * first, at most @limit. A NULL or empty @query lists what @filter (may be
 * NULL) lets through; of the figures, @filter may name a region count. */
GPtrArray   *ld_store_search_incidents   (LdStore       *self,
                                          const char    *query,
                                          const LdIncidentFilter *filter,
                                          guint          limit,
                                          GError       **error);

/* One row of the list behind a figure: an incident, or for a figure that
 * counts orders, one of the orders with its incident and unit. */
typedef struct {
  LdIncident *incident;
  LdOrder    *order;   /* NULL for a figure of incidents */
  LdUnit     *unit;    /* the order's */
} LdFigureRow;

/* The rows behind the figure @filter names, newest first (by received_at
 * or dispatched_at), at most @limit, from the row after @after (NULL: from
 * the first): one per incident or one per order, as the figure counts, so
 * that the whole list is as long as the figure. Rows that come or go
 * between two calls move no other row out of reach. */
GPtrArray   *ld_store_list_figure        (LdStore       *self,
                                          const LdIncidentFilter *filter,
                                          const LdFigureRow *after,
                                          guint          limit,
                                          GError       **error);
void         ld_figure_row_free          (LdFigureRow   *row);
/* Whether the rows behind @filter's figure are orders. */
gboolean     ld_incident_filter_lists_orders (const LdIncidentFilter *filter);
gboolean     ld_store_divert_incident    (LdStore       *self,
                                          const char    *incident_id,
                                          const char    *platform,
                                          gint64         at,
                                          const LdActor *actor,
                                          GError       **error);
gboolean     ld_store_close_incident     (LdStore       *self,
                                          const char    *incident_id,
                                          gint64         at,
                                          const LdActor *actor,
                                          GError       **error);
/* @order_id / @feedback_id: the id a client gave the record, or NULL for a
 * new one. */
char        *ld_store_dispatch           (LdStore       *self,
                                          const char    *order_id,
                                          const char    *incident_id,
                                          const char    *unit_code,
                                          gint64         at,
                                          const LdActor *actor,
                                          GError       **error);
gboolean     ld_store_sign_order         (LdStore       *self,
                                          const char    *order_id,
                                          gint64         at,
                                          const LdActor *actor,
                                          GError       **error);
gboolean     ld_store_arrive_order       (LdStore       *self,
                                          const char    *order_id,
                                          gint64         at,
                                          const LdActor *actor,
                                          GError       **error);
gboolean     ld_store_complete_order     (LdStore       *self,
                                          const char    *order_id,
                                          gint64         at,
                                          const LdActor *actor,
                                          GError       **error);
/* A return gives a reason and whose duty the matter is: exactly one of
 * @duty_unit_code (another active unit) and @basis (why it is not this
 * unit's duty). Refused (INVALID_TRANSITION) once the center overruled a
 * return of the order. */
gboolean     ld_store_return_order       (LdStore       *self,
                                          const char    *order_id,
                                          gint64         at,
                                          const char    *reason,
                                          const char    *duty_unit_code,
                                          const char    *basis,
                                          const LdActor *actor,
                                          GError       **error);
/* The center's ruling on a returned order (退单审定): accepted, or
 * overruled with @reason, which sends the order back to its unit in the
 * state it was in and keeps the unit from returning it again. */
gboolean     ld_store_rule_return        (LdStore       *self,
                                          const char    *order_id,
                                          gint64         at,
                                          gboolean       overrule,
                                          const char    *reason,
                                          const LdActor *actor,
                                          GError       **error);
/* A unit's request to move the deadline of @step ("feedback" or
 * "complete") to @until, with a reason; one waits at a time, and an
 * order's deadline moves once. */
gboolean     ld_store_request_extension  (LdStore       *self,
                                          const char    *order_id,
                                          gint64         at,
                                          const char    *step,
                                          gint64         until,
                                          const char    *reason,
                                          const LdActor *actor,
                                          GError       **error);
/* The center's ruling on the waiting extension: approved, the step's
 * deadline becomes the one asked for (the one it replaces is kept in
 * extension_original_due); refused, it needs @reason. */
gboolean     ld_store_rule_extension     (LdStore       *self,
                                          const char    *order_id,
                                          gint64         at,
                                          gboolean       approve,
                                          const char    *reason,
                                          const LdActor *actor,
                                          GError       **error);
char        *ld_store_add_feedback       (LdStore       *self,
                                          const char    *feedback_id,
                                          const char    *order_id,
                                          gint64         at,
                                          const char    *kind,
                                          const char    *text,
                                          const LdActor *actor,
                                          GError       **error);
LdOrder     *ld_store_get_order          (LdStore       *self,
                                          const char    *id,
                                          GError       **error);
/* (transfer full) (element-type LdFeedback): an order's reports, oldest
 * first. */
GPtrArray   *ld_store_list_feedback      (LdStore       *self,
                                          const char    *order_id,
                                          GError       **error);
gboolean     ld_store_put_feedback       (LdStore          *self,
                                          const LdFeedback *feedback,
                                          GError          **error);
/* (transfer full) (element-type LdOrder): the returns the center has not
 * ruled on, oldest first. */
GPtrArray   *ld_store_list_returns_to_rule (LdStore     *self,
                                            GError     **error);
GPtrArray   *ld_store_list_orders        (LdStore       *self,
                                          const char    *incident_id,
                                          GError       **error);
gboolean     ld_store_mark_overdue       (LdStore       *self,
                                          gint64         now,
                                          guint         *n_marked,
                                          GError       **error);

/* The unit board: a unit's open orders (dispatched, signed, arrived) and,
 * of those, the ones late at the time asked, with the oldest missed
 * deadline among them (0: none). */
typedef struct {
  LdUnit  *unit;
  guint    n_open;
  guint    n_late;
  gint64   oldest_late_due;
} LdUnitLoad;

/* Every active unit, by tier, region and code. */
GPtrArray   *ld_store_list_unit_loads    (LdStore       *self,
                                          gint64         now,
                                          GError       **error);

/* An open order late at the time asked: @step is the first step of the
 * sequence whose deadline passed before it was done ("sign", "arrive",
 * "feedback", "result"), @due that deadline. */
typedef struct {
  LdOrder    *order;
  LdIncident *incident;
  LdUnit     *unit;
  const char *step;
  gint64      due;
} LdLateOrder;

/* The open orders late at @now, oldest missed deadline first. */
GPtrArray   *ld_store_list_late_orders   (LdStore       *self,
                                          gint64         now,
                                          GError       **error);
/* How many open orders are late at @now, by the region of their incident
 * (region code → count; "" for incidents placed nowhere), as the late
 * list would list them. */
GHashTable  *ld_store_count_late_orders  (LdStore       *self,
                                          gint64         now,
                                          GError       **error);
/* An incident with its orders, by dispatch time. */
typedef struct {
  LdIncident *incident;
  GPtrArray  *orders;   /* LdOrder */
} LdIncidentOrders;

/* What the bulletin proposes, at most @limit incidents, judged by their
 * orders dispatched in @period in @region_code and the regions under it.
 * Joint: orders to two or more units other than the police, every order
 * completed and every arrival within its limit; most units first, then
 * earliest. Troubled: an order to a unit other than the police returned
 * and then dispatched again, or arriving later than twice the time allowed;
 * most re-dispatches first, then the latest arrival. Each comes with all
 * its orders. */
GPtrArray   *ld_store_list_joint_incidents (LdStore     *self,
                                          const LdPeriod *period,
                                          const char    *region_code,
                                          guint          limit,
                                          GError       **error);
GPtrArray   *ld_store_list_troubled_incidents (LdStore  *self,
                                          const LdPeriod *period,
                                          const char    *region_code,
                                          guint          limit,
                                          GError       **error);
/* The incidents whose orders dispatched in @period in @region_code and
 * the regions under it were returned twice or more, overruled returns
 * included, at most @limit: most returns first, then earliest. The one
 * list the bulletin's problems and the month report name. */
GPtrArray   *ld_store_list_bounced_incidents (LdStore   *self,
                                          const LdPeriod *period,
                                          const char    *region_code,
                                          guint          limit,
                                          GError       **error);
void         ld_incident_orders_free     (LdIncidentOrders *item);
/* The earliest deadline at or after @now of a step an open order has yet
 * to take, or 0: the one time the late list can next change by itself. */
gint64       ld_store_next_order_deadline (LdStore      *self,
                                          gint64         now);

void         ld_unit_load_free           (LdUnitLoad    *load);
void         ld_late_order_free          (LdLateOrder   *late);
gint64       ld_store_count_events       (LdStore       *self,
                                          const char    *entity,
                                          const char    *entity_id);
/* The sequence number of the newest change: every accepted change gets the
 * next one, and clients pull what they have not seen. */
gint64       ld_store_get_sequence       (LdStore       *self);

/* Drills (模拟报警 / 拉动检查). */
char        *ld_store_add_drill          (LdStore       *self,
                                          const LdDrill *drill,
                                          const LdActor *actor,
                                          GError       **error);
gboolean     ld_store_put_drill_unit     (LdStore       *self,
                                          const LdDrillUnit *drill_unit,
                                          const LdActor *actor,
                                          GError       **error);
GPtrArray   *ld_store_list_drills        (LdStore       *self,
                                          const LdPeriod *period,
                                          GError       **error);
GPtrArray   *ld_store_list_drill_units   (LdStore       *self,
                                          const char    *drill_id,
                                          GError       **error);
/* The drills @unit_code took part in, oldest first; @period may be NULL
 * for all of them. */
GPtrArray   *ld_store_list_unit_drills   (LdStore       *self,
                                          const char    *unit_code,
                                          const LdPeriod *period,
                                          GError       **error);

/* Drills logged through sync. A plan creates the drill and one row per
 * unit (each @units[i] gives unit_code and limit_s, 0 for the default);
 * the alarm is raised once, on every unit's row; an arrival counts from
 * it. Each call is one transaction and one audit event on the drill. */
/* The arrival limit of @unit_code in seconds: the unit's own setting
 * "drill_limit_s.unit.<code>", else its tier's "drill_limit_s.tier.<n>",
 * else the center's "drill_limit_s", else 20 min. */
int          ld_store_get_drill_limit    (LdStore       *self,
                                          const char    *unit_code);
LdDrill     *ld_store_get_drill          (LdStore       *self,
                                          const char    *id,
                                          GError       **error);
char        *ld_store_plan_drill         (LdStore       *self,
                                          const LdDrill *drill,
                                          const LdDrillUnit *units,
                                          guint          n_units,
                                          const LdActor *actor,
                                          GError       **error);
/* Refused (INVALID_TRANSITION) when the alarm was raised already. */
gboolean     ld_store_raise_drill_alarm  (LdStore       *self,
                                          const char    *drill_id,
                                          gint64         at,
                                          const LdActor *actor,
                                          GError       **error);
gboolean     ld_store_correct_drill_alarm (LdStore      *self,
                                          const char    *drill_id,
                                          gint64         at,
                                          const char    *reason,
                                          const LdActor *actor,
                                          GError       **error);
/* Logging a unit that has an arrival already is not refused: the earlier
 * time stands (a corrected one stands always), and the other is kept in
 * the audit trail as "arrive-superseded". */
gboolean     ld_store_log_drill_arrival  (LdStore       *self,
                                          const char    *drill_id,
                                          const char    *unit_code,
                                          gint64         at,
                                          const LdActor *actor,
                                          GError       **error);
gboolean     ld_store_correct_drill_arrival (LdStore    *self,
                                          const char    *drill_id,
                                          const char    *unit_code,
                                          gint64         at,
                                          const char    *reason,
                                          const LdActor *actor,
                                          GError       **error);
/* @note->id: the id a client gave the note, or NULL for a new one; the
 * author is the actor's user. */
char        *ld_store_add_drill_note     (LdStore       *self,
                                          const LdDrillNote *note,
                                          const LdActor *actor,
                                          GError       **error);
/* Oldest first. */
GPtrArray   *ld_store_list_drill_notes   (LdStore       *self,
                                          const char    *drill_id,
                                          GError       **error);
/* @photo->id: the id a client gave the photo, or NULL for a new one; the
 * author is the actor's user. A JPEG or PNG of at most
 * LD_DRILL_PHOTO_MAX_BYTES, of the drill or of a unit expected at it. */
char        *ld_store_add_drill_photo    (LdStore       *self,
                                          const LdDrillPhoto *photo,
                                          const LdActor *actor,
                                          GError       **error);
/* Oldest first, with their images. */
GPtrArray   *ld_store_list_drill_photos  (LdStore       *self,
                                          const char    *drill_id,
                                          GError       **error);
LdDrillPhoto *ld_store_get_drill_photo   (LdStore       *self,
                                          const char    *id,
                                          GError       **error);
/* A replica takes the server's photo as it is, or drops one the server
 * refused. */
gboolean     ld_store_put_drill_photo    (LdStore       *self,
                                          const LdDrillPhoto *photo,
                                          GError       **error);
gboolean     ld_store_forget_drill_photo (LdStore       *self,
                                          const char    *id,
                                          GError       **error);

/* The audit trail, newest first. Each filter is optional: the events of an
 * incident and its orders, of a unit's orders, of a user, in [from, to). */
typedef struct {
  const char *incident_id;
  const char *unit_code;
  const char *user;
  gint64      from;
  gint64      to;
  guint       limit;
} LdEventFilter;

GPtrArray   *ld_store_list_events        (LdStore       *self,
                                          const LdEventFilter *filter,
                                          GError       **error);

/* Users and sessions of the central server. Passwords and tokens reach the
 * store only as hashes. */
gboolean     ld_store_put_user           (LdStore       *self,
                                          const LdUser  *user,
                                          GError       **error);
LdUser      *ld_store_get_user           (LdStore       *self,
                                          const char    *name,
                                          GError       **error);
GPtrArray   *ld_store_list_users         (LdStore       *self,
                                          GError       **error);
gboolean     ld_store_delete_user        (LdStore       *self,
                                          const char    *name,
                                          GError       **error);
gboolean     ld_store_add_session        (LdStore       *self,
                                          const char    *token_hash,
                                          const char    *user_name,
                                          const char    *device,
                                          gint64         expires_at,
                                          GError       **error);
LdUser      *ld_store_lookup_session     (LdStore       *self,
                                          const char    *token_hash,
                                          gint64         now,
                                          char         **device);
gboolean     ld_store_delete_session     (LdStore       *self,
                                          const char    *token_hash,
                                          GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdUnitLoad, ld_unit_load_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdLateOrder, ld_late_order_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdFigureRow, ld_figure_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdIncidentOrders, ld_incident_orders_free)

G_END_DECLS

/* The duty roster and roll calls. */
#include "ld-store-duty.h"
