/* test-drill-sync.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ld-json.h"
#include "ld-metrics.h"
#include "ld-records.h"
#include "ld-replica.h"
#include "ld-snapshot.h"
#include "ld-store.h"
#include "ld-sync.h"
#include "ld-test-city.h"
#include "ld-test-util.h"

#define MIN_US (G_GINT64_CONSTANT (60) * LD_USEC_PER_S)

/* The center's zone, for the times the operations carry. */
static GTimeZone *zone;

/* Two inspectors' laptops, each a replica of one server store; the server
 * is the core's own functions on that store, the very rules it keeps. */
typedef struct {
  char      *dir;
  LdStore   *server;
  LdUser     i1;
  LdUser     i2;
  LdReplica *a;
  LdReplica *b;
  guint      n_refused;
  char      *last_reason;
  gint64     alarm;      /* half an hour ago, to the second */
} Fixture;

static LdReplica *
new_replica (Fixture *f, const LdUser *user, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(LdStore) store = NULL;
  gint64 seq = 0;
  LdReplica *replica;

  g_assert_true (ld_snapshot_write (f->server, path, user, &seq, &error));
  g_assert_no_error (error);
  store = ld_store_open (path, &error);
  g_assert_no_error (error);
  replica = ld_replica_new (store, user, name);
  g_assert_true (ld_replica_set_last_seq (replica, seq, &error));
  return replica;
}

static void
on_refused (LdReplica *replica, JsonObject *op, const char *code, const char *reason, Fixture *f)
{
  f->n_refused++;
  g_free (f->last_reason);
  f->last_reason = g_strdup (reason);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;

  f->dir = ld_test_make_tmp ("ld-drill-sync-XXXXXX");
  path = g_build_filename (f->dir, "server.db", NULL);
  f->server = ld_test_city_new (path);
  f->i1.name = (char *) "i1";
  f->i1.role = (char *) "inspector";
  f->i2.name = (char *) "i2";
  f->i2.role = (char *) "inspector";
  f->a = new_replica (f, &f->i1, "a.db");
  f->b = new_replica (f, &f->i2, "b.db");
  g_signal_connect (f->a, "refused", G_CALLBACK (on_refused), f);
  g_signal_connect (f->b, "refused", G_CALLBACK (on_refused), f);
  f->alarm = (ld_time_now () - 30 * MIN_US) / LD_USEC_PER_S * LD_USEC_PER_S;
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->a);
  g_clear_object (&f->b);
  g_clear_object (&f->server);
  g_free (f->last_reason);
  g_free (f->dir);
}

static const LdUser *
user_of (LdReplica *replica)
{
  return ld_replica_get_user (replica);
}

/* What the server's push does for @user, and the replica's settling of
 * the answers. */
static void
push_as (Fixture *f, LdReplica *replica, const LdUser *user)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) ops = ld_replica_peek (replica, 1000);
  g_autoptr(JsonArray) results = json_array_new ();
  LdActor actor = { user->name, "laptop", "127.0.0.1" };

  for (guint i = 0; i < json_array_get_length (ops); i++)
    {
      JsonObject *op = json_array_get_object_element (ops, i);
      JsonObject *result = json_object_new ();
      g_autoptr(GError) op_error = NULL;
      gint64 seq = 0;
      LdSyncStatus status = ld_sync_apply (f->server, op, user, &actor, &seq, &op_error);

      json_object_set_string_member (result, "id", json_object_get_string_member (op, "id"));
      json_object_set_string_member (result, "status", status == LD_SYNC_REFUSED ? "refused" : "accepted");
      if (status == LD_SYNC_REFUSED)
        {
          json_object_set_string_member (result, "code", "invalid");
          json_object_set_string_member (result, "reason", op_error->message);
        }
      json_array_add_object_element (results, result);
    }
  g_assert_true (ld_replica_settle (replica, results, &error));
  g_assert_no_error (error);
}

static void
push (Fixture *f, LdReplica *replica)
{
  push_as (f, replica, user_of (replica));
}

static void
pull (Fixture *f, LdReplica *replica)
{
  gboolean more = TRUE;

  while (more)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) page = ld_sync_changes (f->server, ld_replica_get_last_seq (replica), 5,
                                                  user_of (replica), &error);

      g_assert_no_error (error);
      g_assert_true (ld_replica_merge (replica, json_node_get_object (page), NULL, &error));
      g_assert_no_error (error);
      more = json_object_get_boolean_member (json_node_get_object (page), "more");
    }
}

static void
sync_replica (Fixture *f, LdReplica *replica)
{
  push (f, replica);
  pull (f, replica);
}

static JsonObject *
operation (const char *entity, const char *drill_id, const char *action, gint64 at)
{
  JsonObject *op = json_object_new ();
  g_autofree char *at_text = at ? ld_time_format_iso (at, zone) : NULL;

  json_object_set_string_member (op, "entity", entity);
  json_object_set_string_member (op, "entity_id", drill_id);
  json_object_set_string_member (op, "action", action);
  if (at_text)
    json_object_set_string_member (op, "at", at_text);
  json_object_set_object_member (op, "fields", json_object_new ());
  return op;
}

static JsonObject *
fields (JsonObject *op)
{
  return json_object_get_object_member (op, "fields");
}

static void
submit (LdReplica *replica, JsonObject *op)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ld_replica_submit (replica, op, &error));
  g_assert_no_error (error);
  json_object_unref (op);
}

/* Refused by the replica already: nothing queued, nothing changed. */
static void
submit_refused (LdReplica *replica, JsonObject *op, GQuark domain, int code)
{
  g_autoptr(GError) error = NULL;
  guint pending = ld_replica_get_n_pending (replica);

  g_assert_false (ld_replica_submit (replica, op, &error));
  g_assert_error (error, domain, code);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_cmpuint (ld_replica_get_n_pending (replica), ==, pending);
  json_object_unref (op);
}

/* A drill of MKT and POL (POL with its own limit of 10 min). */
static char *
plan (LdReplica *replica)
{
  char *id = ld_id_new (ld_time_now ());
  JsonObject *op = operation ("drill", id, "plan", 0);
  JsonArray *units = json_array_new ();
  JsonObject *mkt = json_object_new ();
  JsonObject *pol = json_object_new ();

  json_object_set_string_member (mkt, "unit_code", "MKT");
  json_object_set_string_member (pol, "unit_code", "POL");
  json_object_set_int_member (pol, "limit_s", 600);
  json_array_add_object_element (units, mkt);
  json_array_add_object_element (units, pol);
  json_object_set_string_member (fields (op), "region_code", "A");
  json_object_set_string_member (fields (op), "location", "大南里商圈");
  json_object_set_string_member (fields (op), "scenario", "模拟油罐车交通事故");
  json_object_set_int_member (fields (op), "held_at", ld_time_now () - 40 * MIN_US);
  json_object_set_array_member (fields (op), "units", units);
  submit (replica, op);
  return id;
}

static void
arrive (LdReplica *replica, const char *drill_id, const char *unit, gint64 at)
{
  JsonObject *op = operation ("drill_unit", drill_id, "arrive", at);

  json_object_set_string_member (fields (op), "unit_code", unit);
  submit (replica, op);
}

static LdDrillUnit *
drill_unit (LdStore *store, const char *drill_id, const char *unit)
{
  g_autoptr(GPtrArray) units = ld_store_list_drill_units (store, drill_id, NULL);

  for (guint i = 0; units && i < units->len; i++)
    if (g_str_equal (((LdDrillUnit *) g_ptr_array_index (units, i))->unit_code, unit))
      return g_ptr_array_steal_index (units, i);
  g_assert_not_reached ();
}

static char *
record_text (LdStore *store, const char *drill_id)
{
  g_autoptr(JsonNode) record = ld_sync_get_record (store, "drill", drill_id);
  return record ? json_to_string (record, FALSE) : NULL;
}

static void
assert_same_drill (LdStore *a, LdStore *b, const char *drill_id)
{
  g_autofree char *ta = record_text (a, drill_id);
  g_autofree char *tb = record_text (b, drill_id);

  g_assert_nonnull (ta);
  g_assert_cmpstr (ta, ==, tb);
}

/* The server's audit events of @action on the drill, as JSON data. */
static GPtrArray *
events (LdStore *store, const char *action)
{
  LdEventFilter filter = { 0, };
  g_autoptr(GPtrArray) all = ld_store_list_events (store, &filter, NULL);
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < all->len; i++)
    {
      LdEvent *e = g_ptr_array_index (all, i);
      if (g_str_equal (e->entity, "drill") && g_str_equal (e->action, action))
        g_ptr_array_add (found, g_strdup (e->data));
    }
  return found;
}

static gboolean
contains_time (const char *data, LdStore *store, gint64 at)
{
  g_autofree char *text = ld_time_format_iso (at, ld_store_get_time_zone (store));
  return data && strstr (data, text) != NULL;
}

/* Plan, alarm and arrivals made offline reach the server; the arrival
 * times are what was logged, and lateness follows each unit's limit. */
static void
test_plan_alarm_arrive (Fixture *f, gconstpointer data)
{
  g_autofree char *drill_id = NULL;
  g_autoptr(LdDrill) drill = NULL;
  g_autoptr(LdDrillUnit) mkt = NULL;
  g_autoptr(LdDrillUnit) pol = NULL;
  g_autofree char *shown = NULL;
  JsonObject *note;

  drill_id = plan (f->a);
  submit (f->a, operation ("drill", drill_id, "alarm", f->alarm));
  arrive (f->a, drill_id, "MKT", f->alarm + 18 * MIN_US + 25 * LD_USEC_PER_S);
  arrive (f->a, drill_id, "POL", f->alarm + 10 * MIN_US + 1 * LD_USEC_PER_S);
  note = operation ("drill", drill_id, "note", f->alarm + 40 * LD_USEC_PER_S);
  json_object_set_string_member (fields (note), "text", "现场秩序良好");
  submit (f->a, note);
  note = operation ("drill_unit", drill_id, "note", f->alarm + 19 * MIN_US);
  json_object_set_string_member (fields (note), "unit_code", "MKT");
  json_object_set_string_member (fields (note), "text", "执法车辆一辆");
  submit (f->a, note);
  g_assert_cmpuint (ld_replica_get_n_pending (f->a), ==, 6);

  sync_replica (f, f->a);
  g_assert_cmpuint (f->n_refused, ==, 0);
  g_assert_cmpuint (ld_replica_get_n_pending (f->a), ==, 0);
  assert_same_drill (f->server, ld_replica_get_store (f->a), drill_id);

  drill = ld_store_get_drill (f->server, drill_id, NULL);
  g_assert_cmpstr (drill->location, ==, "大南里商圈");
  mkt = drill_unit (f->server, drill_id, "MKT");
  pol = drill_unit (f->server, drill_id, "POL");
  g_assert_cmpint (mkt->alarm_at, ==, f->alarm);
  g_assert_cmpint (pol->alarm_at, ==, f->alarm);
  g_assert_cmpint (ld_drill_arrival_s (mkt), ==, 18 * 60 + 25);
  shown = ld_duration_format (ld_drill_arrival_s (mkt));
  g_assert_cmpstr (shown, ==, "18 min 25 s");
  /* MKT takes the center's 20 min; POL's own 10 min makes 10 min 1 s late. */
  g_assert_cmpint (mkt->limit_s, ==, 1200);
  g_assert_false (ld_drill_unit_is_late_at (mkt, ld_time_now ()));
  g_assert_cmpint (pol->limit_s, ==, 600);
  g_assert_true (ld_drill_unit_is_late_at (pol, ld_time_now ()));

  {
    g_autoptr(GPtrArray) notes = ld_store_list_drill_notes (f->server, drill_id, NULL);
    g_assert_cmpuint (notes->len, ==, 2);
    g_assert_null (((LdDrillNote *) g_ptr_array_index (notes, 0))->unit_code);
    g_assert_cmpstr (((LdDrillNote *) g_ptr_array_index (notes, 1))->unit_code, ==, "MKT");
    g_assert_cmpstr (((LdDrillNote *) g_ptr_array_index (notes, 1))->author, ==, "i1");
  }

  /* The other inspector's laptop gets the whole drill. */
  pull (f, f->b);
  assert_same_drill (f->server, ld_replica_get_store (f->b), drill_id);
}

/* The unit's own setting, then its tier's, then the center's, then 20 min. */
static void
test_limits (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (ld_store_get_drill_limit (f->server, "MKT"), ==, 1200);
  g_assert_true (ld_store_set_setting (f->server, "drill_limit_s", "1500", &error));
  g_assert_cmpint (ld_store_get_drill_limit (f->server, "MKT"), ==, 1500);
  g_assert_true (ld_store_set_setting (f->server, "drill_limit_s.tier.2", "1000", &error));
  g_assert_cmpint (ld_store_get_drill_limit (f->server, "MKT"), ==, 1000);
  g_assert_cmpint (ld_store_get_drill_limit (f->server, "POL"), ==, 1500);
  g_assert_true (ld_store_set_setting (f->server, "drill_limit_s.unit.MKT", "800", &error));
  g_assert_cmpint (ld_store_get_drill_limit (f->server, "MKT"), ==, 800);
  g_assert_no_error (error);
}

/* Two inspectors log the same units offline. Neither is refused: the
 * earlier time stands on the server, the later one is in the audit trail,
 * and both laptops end with the server's record, pulled before or after
 * their own push. */
static void
test_earlier_arrival_wins (Fixture *f, gconstpointer data)
{
  g_autofree char *drill_id = plan (f->a);
  g_autoptr(GPtrArray) superseded = NULL;
  g_autoptr(GPtrArray) taken = NULL;
  g_autoptr(LdDrillUnit) mkt = NULL;
  g_autoptr(LdDrillUnit) pol = NULL;
  g_autoptr(LdDrillUnit) local = NULL;

  submit (f->a, operation ("drill", drill_id, "alarm", f->alarm));
  sync_replica (f, f->a);
  pull (f, f->b);

  arrive (f->a, drill_id, "MKT", f->alarm + 18 * MIN_US + 40 * LD_USEC_PER_S);
  arrive (f->a, drill_id, "POL", f->alarm + 10 * MIN_US);
  arrive (f->b, drill_id, "MKT", f->alarm + 18 * MIN_US + 25 * LD_USEC_PER_S);
  arrive (f->b, drill_id, "POL", f->alarm + 12 * MIN_US);

  sync_replica (f, f->a);
  /* b pulls with its own arrivals pending: they are applied over the
   * server's record by the same rule. */
  pull (f, f->b);
  local = drill_unit (ld_replica_get_store (f->b), drill_id, "MKT");
  g_assert_cmpint (local->arrived_at, ==, f->alarm + 18 * MIN_US + 25 * LD_USEC_PER_S);
  g_clear_pointer (&local, ld_drill_unit_free);
  local = drill_unit (ld_replica_get_store (f->b), drill_id, "POL");
  g_assert_cmpint (local->arrived_at, ==, f->alarm + 10 * MIN_US);

  sync_replica (f, f->b);
  pull (f, f->a);
  g_assert_cmpuint (f->n_refused, ==, 0);
  mkt = drill_unit (f->server, drill_id, "MKT");
  pol = drill_unit (f->server, drill_id, "POL");
  g_assert_cmpint (mkt->arrived_at, ==, f->alarm + 18 * MIN_US + 25 * LD_USEC_PER_S);
  g_assert_cmpint (pol->arrived_at, ==, f->alarm + 10 * MIN_US);
  assert_same_drill (f->server, ld_replica_get_store (f->a), drill_id);
  assert_same_drill (f->server, ld_replica_get_store (f->b), drill_id);

  /* b's later POL is kept aside, with the time that stood. */
  superseded = events (f->server, "arrive-superseded");
  g_assert_cmpuint (superseded->len, ==, 1);
  g_assert_true (contains_time (g_ptr_array_index (superseded, 0), f->server, f->alarm + 12 * MIN_US));
  g_assert_true (contains_time (g_ptr_array_index (superseded, 0), f->server, f->alarm + 10 * MIN_US));
  /* a's later MKT came first and was replaced: both are "arrive" events. */
  taken = events (f->server, "arrive");
  g_assert_cmpuint (taken->len, ==, 3);
}

/* A correction needs a reason, is audited with both times, and stands
 * against a later log; the alarm is corrected the same way. */
static void
test_correction (Fixture *f, gconstpointer data)
{
  g_autofree char *drill_id = plan (f->a);
  g_autoptr(GPtrArray) corrections = NULL;
  g_autoptr(GPtrArray) alarm_corrections = NULL;
  g_autoptr(LdDrillUnit) mkt = NULL;
  gint64 logged = f->alarm + 18 * MIN_US;
  gint64 corrected = f->alarm + 21 * MIN_US;
  JsonObject *op;

  submit (f->a, operation ("drill", drill_id, "alarm", f->alarm));
  arrive (f->a, drill_id, "MKT", logged);

  op = operation ("drill_unit", drill_id, "correct", corrected);
  json_object_set_string_member (fields (op), "unit_code", "MKT");
  submit_refused (f->a, op, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  op = operation ("drill_unit", drill_id, "correct", corrected);
  json_object_set_string_member (fields (op), "unit_code", "MKT");
  json_object_set_string_member (fields (op), "reason", "   ");
  submit_refused (f->a, op, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  op = operation ("drill_unit", drill_id, "correct", corrected);
  json_object_set_string_member (fields (op), "unit_code", "MKT");
  json_object_set_string_member (fields (op), "reason", "记录员看错了表");
  submit (f->a, op);
  sync_replica (f, f->a);
  /* Someone's earlier log, after the correction, does not move it. */
  pull (f, f->b);
  arrive (f->b, drill_id, "MKT", f->alarm);
  sync_replica (f, f->b);

  mkt = drill_unit (f->server, drill_id, "MKT");
  g_assert_cmpint (mkt->arrived_at, ==, corrected);
  g_assert_true (mkt->corrected);
  corrections = events (f->server, "correct");
  g_assert_cmpuint (corrections->len, ==, 1);
  g_assert_true (contains_time (g_ptr_array_index (corrections, 0), f->server, logged));
  g_assert_true (contains_time (g_ptr_array_index (corrections, 0), f->server, corrected));
  g_assert_nonnull (strstr (g_ptr_array_index (corrections, 0), "记录员看错了表"));

  /* The alarm may move earlier, not past the first arrival. */
  op = operation ("drill", drill_id, "correct-alarm", corrected + LD_USEC_PER_S);
  json_object_set_string_member (fields (op), "reason", "时钟");
  submit_refused (f->a, op, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  op = operation ("drill", drill_id, "correct-alarm", f->alarm - MIN_US);
  submit_refused (f->a, op, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  op = operation ("drill", drill_id, "correct-alarm", f->alarm - MIN_US);
  json_object_set_string_member (fields (op), "reason", "报警电话实际早一分钟");
  submit (f->a, op);
  sync_replica (f, f->a);
  g_clear_pointer (&mkt, ld_drill_unit_free);
  mkt = drill_unit (f->server, drill_id, "MKT");
  g_assert_cmpint (mkt->alarm_at, ==, f->alarm - MIN_US);
  alarm_corrections = events (f->server, "correct-alarm");
  g_assert_cmpuint (alarm_corrections->len, ==, 1);
  g_assert_true (contains_time (g_ptr_array_index (alarm_corrections, 0), f->server, f->alarm));
  g_assert_nonnull (strstr (g_ptr_array_index (alarm_corrections, 0), "报警电话实际早一分钟"));
  assert_same_drill (f->server, ld_replica_get_store (f->a), drill_id);
  pull (f, f->b);
  assert_same_drill (f->server, ld_replica_get_store (f->b), drill_id);
}

static LdSyncStatus
apply_as (Fixture *f, const char *role, JsonObject *op, GError **error)
{
  LdUser user = { (char *) "someone", NULL, (char *) role, g_str_equal (role, "unit") ? (char *) "MKT" : NULL };
  LdActor actor = { "someone", "desk", NULL };
  g_autofree char *id = ld_id_new (ld_time_now ());
  g_autofree char *now = ld_time_format_iso (ld_time_now (), zone);
  gint64 seq = 0;
  LdSyncStatus status;

  json_object_set_string_member (op, "id", id);
  if (!json_object_has_member (op, "at"))
    json_object_set_string_member (op, "at", now);
  status = ld_sync_apply (f->server, op, &user, &actor, &seq, error);
  json_object_unref (op);
  return status;
}

/* Each refusal has its reason, on the laptop and on the server alike. */
static void
test_refusals (Fixture *f, gconstpointer data)
{
  static const char * const readers[] = { "leader", "dispatcher", "unit" };
  g_autofree char *drill_id = plan (f->a);
  g_autofree char *missing = ld_id_new (ld_time_now ());
  JsonObject *op;

  sync_replica (f, f->a);
  for (guint i = 0; i < G_N_ELEMENTS (readers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_cmpint (apply_as (f, readers[i], operation ("drill", drill_id, "alarm", f->alarm), &error),
                       ==, LD_SYNC_REFUSED);
      g_assert_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_FORBIDDEN);
    }
  {
    g_autoptr(GError) error = NULL;
    g_assert_cmpint (apply_as (f, "admin", operation ("drill", drill_id, "note", 0), &error), ==, LD_SYNC_REFUSED);
    g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);   /* a note needs text */
  }

  /* No alarm yet. */
  op = operation ("drill_unit", drill_id, "arrive", f->alarm);
  json_object_set_string_member (fields (op), "unit_code", "MKT");
  submit_refused (f->a, op, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);

  submit (f->a, operation ("drill", drill_id, "alarm", f->alarm));
  submit_refused (f->a, operation ("drill", drill_id, "alarm", f->alarm + MIN_US),
                  LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);
  submit_refused (f->a, operation ("drill", missing, "alarm", f->alarm), LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND);

  op = operation ("drill_unit", drill_id, "arrive", f->alarm - LD_USEC_PER_S);
  json_object_set_string_member (fields (op), "unit_code", "MKT");
  submit_refused (f->a, op, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  op = operation ("drill_unit", drill_id, "arrive", f->alarm + MIN_US);
  json_object_set_string_member (fields (op), "unit_code", "TOWN");
  submit_refused (f->a, op, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND);
  op = operation ("drill_unit", drill_id, "arrive", f->alarm + MIN_US);
  json_object_set_string_member (fields (op), "unit_code", "NOPE");
  submit_refused (f->a, op, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND);
  op = operation ("drill_unit", drill_id, "arrive", ld_time_now () + 30 * MIN_US);
  json_object_set_string_member (fields (op), "unit_code", "MKT");
  submit_refused (f->a, op, LD_TIME_ERROR, LD_TIME_ERROR_INVALID);
  op = operation ("drill_unit", drill_id, "correct", f->alarm + MIN_US);
  json_object_set_string_member (fields (op), "unit_code", "MKT");
  json_object_set_string_member (fields (op), "reason", "no arrival yet");
  submit_refused (f->a, op, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);
  g_assert_cmpuint (ld_replica_get_n_pending (f->a), ==, 1);
}

/* A drill plan for MKT, without its time. */
static JsonObject *
plan_operation (void)
{
  g_autofree char *id = ld_id_new (ld_time_now ());
  JsonObject *op = operation ("drill", id, "plan", 0);
  JsonArray *units = json_array_new ();
  JsonObject *mkt = json_object_new ();

  json_object_set_string_member (mkt, "unit_code", "MKT");
  json_array_add_object_element (units, mkt);
  json_object_set_string_member (fields (op), "region_code", "A");
  json_object_set_array_member (fields (op), "units", units);
  return op;
}

static void
assert_refused (Fixture *f, JsonObject *op, GQuark domain, int code, const char *mentions)
{
  g_autoptr(GError) error = NULL;
  gint64 before = ld_store_get_sequence (f->server);

  g_assert_cmpint (apply_as (f, "admin", op, &error), ==, LD_SYNC_REFUSED);
  g_assert_error (error, domain, code);
  if (mentions)
    g_assert_nonnull (strstr (error->message, mentions));
  g_assert_cmpint (ld_store_get_sequence (f->server), ==, before);
}

/* Every time an operation carries lies between 2000 and a few minutes from
 * now, a planned drill up to a year ahead; a time given as a number is
 * whole microseconds. Anything else would be stored for every desk to
 * choke on. */
static void
test_time_window (Fixture *f, gconstpointer data)
{
  const gint64 day = 1440 * MIN_US;
  gint64 now = ld_time_now ();
  g_autoptr(GError) error = NULL;
  g_autofree char *incident = ld_id_new (now);
  g_autofree char *order = ld_id_new (now);
  JsonObject *op;

  op = plan_operation ();
  json_object_set_double_member (fields (op), "held_at", 1e300);
  assert_refused (f, op, LD_TIME_ERROR, LD_TIME_ERROR_INVALID, "more than 366 days in the future");
  op = plan_operation ();
  json_object_set_double_member (fields (op), "held_at", -1e300);
  assert_refused (f, op, LD_TIME_ERROR, LD_TIME_ERROR_INVALID, "before 2000-01-01");
  op = plan_operation ();
  json_object_set_double_member (fields (op), "held_at", (double) now + 0.5);
  assert_refused (f, op, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, "held_at");
  op = plan_operation ();
  json_object_set_string_member (fields (op), "held_at", "9999-12-31T23:59:59Z");
  assert_refused (f, op, LD_TIME_ERROR, LD_TIME_ERROR_INVALID, NULL);
  op = plan_operation ();
  json_object_set_int_member (fields (op), "held_at", now + 367 * day);
  assert_refused (f, op, LD_TIME_ERROR, LD_TIME_ERROR_INVALID, "more than 366 days in the future");
  op = plan_operation ();
  json_object_set_int_member (fields (op), "held_at", LD_TIME_PLAUSIBLE_START - 1);
  assert_refused (f, op, LD_TIME_ERROR, LD_TIME_ERROR_INVALID, "before 2000-01-01");
  op = plan_operation ();
  json_object_set_int_member (fields (op), "held_at", now);
  json_object_set_string_member (op, "at", "2199-12-31T23:59:59Z");
  assert_refused (f, op, LD_TIME_ERROR, LD_TIME_ERROR_INVALID, "more than 5 minutes in the future");
  op = plan_operation ();
  json_object_set_int_member (fields (op), "held_at", now + 300 * day);
  g_assert_cmpint (apply_as (f, "admin", op, &error), ==, LD_SYNC_ACCEPTED);
  g_assert_no_error (error);

  /* Incidents and orders: every step, not only a drill's. */
  op = operation ("incident", incident, "create", 0);
  json_object_set_string_member (op, "at", "9999-12-31T23:59:59Z");
  assert_refused (f, op, LD_TIME_ERROR, LD_TIME_ERROR_INVALID, NULL);
  op = operation ("incident", incident, "create", now + 10 * MIN_US);
  assert_refused (f, op, LD_TIME_ERROR, LD_TIME_ERROR_INVALID, "more than 5 minutes in the future");
  op = operation ("incident", incident, "create", 0);
  json_object_set_string_member (op, "at", "1999-12-31 23:59:59");
  assert_refused (f, op, LD_TIME_ERROR, LD_TIME_ERROR_INVALID, "The time 1999-12-31 23:59:59 is not plausible");

  op = operation ("incident", incident, "create", now - MIN_US);
  json_object_set_string_member (fields (op), "source", "110");
  json_object_set_string_member (fields (op), "kind", "linkage");
  json_object_set_string_member (fields (op), "category", "noise");
  json_object_set_string_member (fields (op), "region_code", "A");
  g_assert_cmpint (apply_as (f, "dispatcher", op, &error), ==, LD_SYNC_ACCEPTED);
  g_assert_no_error (error);
  op = operation ("order", order, "dispatch", now + day);
  json_object_set_string_member (fields (op), "incident_id", incident);
  json_object_set_string_member (fields (op), "unit_code", "MKT");
  assert_refused (f, op, LD_TIME_ERROR, LD_TIME_ERROR_INVALID, "more than 5 minutes in the future");
  op = operation ("incident", incident, "divert", now + day);
  json_object_set_string_member (fields (op), "platform", "12345");
  assert_refused (f, op, LD_TIME_ERROR, LD_TIME_ERROR_INVALID, "more than 5 minutes in the future");
  assert_refused (f, operation ("incident", incident, "close", now + day), LD_TIME_ERROR, LD_TIME_ERROR_INVALID,
                  "more than 5 minutes in the future");
}

/* An incident's creation with every field it may have. */
static JsonObject *
incident_operation (void)
{
  g_autofree char *id = ld_id_new (ld_time_now ());
  JsonObject *op = operation ("incident", id, "create", 0);

  json_object_set_string_member (fields (op), "source", "110");
  json_object_set_string_member (fields (op), "kind", "linkage");
  json_object_set_string_member (fields (op), "category", "noise");
  json_object_set_string_member (fields (op), "region_code", "A");
  json_object_set_string_member (fields (op), "caller_phone", "13800000000");
  json_object_set_string_member (fields (op), "address", "由拳路富润路口");
  json_object_set_double_member (fields (op), "lat", 30.7);
  json_object_set_double_member (fields (op), "lon", 120.7);
  json_object_set_string_member (fields (op), "summary", "路面有石子");
  return op;
}

static LdSyncStatus
apply_with_id (Fixture *f, const char *user_name, const char *id, JsonObject *op, gint64 *seq, GError **error)
{
  LdUser user = { (char *) user_name, NULL, (char *) "admin", NULL };
  LdActor actor = { user_name, "desk", NULL };
  g_autofree char *now = ld_time_format_iso (ld_time_now (), zone);
  LdSyncStatus status;

  json_object_set_string_member (op, "id", id);
  json_object_set_string_member (op, "at", now);
  status = ld_sync_apply (f->server, op, &user, &actor, seq, error);
  json_object_unref (op);
  return status;
}

/* An operation id is its user's: another user's id is refused as a
 * conflict, not answered as a duplicate with the new operation dropped. */
static void
test_operation_id_per_user (Fixture *f, gconstpointer data)
{
  g_autofree char *id = ld_id_new (ld_time_now ());
  g_autoptr(GError) error = NULL;
  gint64 seq = 0, again = 0;

  g_assert_cmpint (apply_with_id (f, "alice", id, incident_operation (), &seq, &error), ==, LD_SYNC_ACCEPTED);
  g_assert_no_error (error);
  g_assert_cmpint (apply_with_id (f, "alice", id, incident_operation (), &again, &error), ==, LD_SYNC_DUPLICATE);
  g_assert_no_error (error);
  g_assert_cmpint (again, ==, seq);
  g_assert_cmpint (apply_with_id (f, "bob", id, incident_operation (), &again, &error), ==, LD_SYNC_REFUSED);
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_DUPLICATE);
  g_assert_cmpstr (error->message, ==, "This operation id was already used by another user");
  g_assert_cmpint (ld_store_get_sequence (f->server), ==, seq);
}

static void
test_empty_ids (Fixture *f, gconstpointer data)
{
  JsonObject *op = incident_operation ();
  g_autoptr(GError) error = NULL;
  gint64 seq = 0;

  json_object_set_string_member (op, "entity_id", "");
  assert_refused (f, op, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, "empty");
  g_assert_cmpint (apply_with_id (f, "alice", "", incident_operation (), &seq, &error), ==, LD_SYNC_REFUSED);
  g_assert_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED);
}

/* A member of the wrong type is refused, not read as absent; a place is
 * on the earth. */
static void
test_wrong_types (Fixture *f, gconstpointer data)
{
  JsonObject *op, *unit;
  g_autoptr(GError) error = NULL;

  op = incident_operation ();
  json_object_set_string_member (fields (op), "lat", "30.7");
  assert_refused (f, op, LD_JSON_ERROR, LD_JSON_ERROR_MALFORMED, "“lat” must be a number");
  op = incident_operation ();
  json_object_set_boolean_member (fields (op), "lon", TRUE);
  assert_refused (f, op, LD_JSON_ERROR, LD_JSON_ERROR_MALFORMED, "“lon” must be a number");
  op = incident_operation ();
  json_object_set_double_member (fields (op), "lat", 91);
  assert_refused (f, op, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, "latitude");
  op = incident_operation ();
  json_object_set_double_member (fields (op), "lon", -180.5);
  assert_refused (f, op, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, "longitude");
  op = incident_operation ();
  json_object_set_int_member (fields (op), "summary", 5);
  assert_refused (f, op, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, "“summary” must be a string");
  op = incident_operation ();
  json_object_set_object_member (fields (op), "region_code", json_object_new ());
  assert_refused (f, op, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, "“region_code” must be a string");

  op = plan_operation ();
  json_object_set_int_member (fields (op), "held_at", ld_time_now ());
  json_object_set_string_member (fields (op), "lat", "30.7");
  assert_refused (f, op, LD_JSON_ERROR, LD_JSON_ERROR_MALFORMED, "“lat” must be a number");
  op = plan_operation ();
  json_object_set_int_member (fields (op), "held_at", ld_time_now ());
  unit = json_array_get_object_element (json_object_get_array_member (fields (op), "units"), 0);
  json_object_set_string_member (unit, "limit_s", "600");
  assert_refused (f, op, LD_JSON_ERROR, LD_JSON_ERROR_MALFORMED, "“limit_s” must be a number");

  op = incident_operation ();
  g_assert_cmpint (apply_as (f, "admin", op, &error), ==, LD_SYNC_ACCEPTED);
  g_assert_no_error (error);
}

/* Every string has its bound: a 4 MiB string is refused in any field; a
 * long account in Chinese is not. */
static void
test_string_bounds (Fixture *f, gconstpointer data)
{
  static const char * const in_fields[] = {
    "summary", "address", "caller_phone", "region_code", "category", "source", "kind", "diverted_to", "device",
    "incident_id", "data",
  };
  static const char * const at_top[] = { "entity", "action", "at", "device" };
  g_autofree char *huge = g_strnfill (4 * 1024 * 1024, 'x');
  g_autoptr(GString) chinese = g_string_new (NULL);
  g_autofree char *id_64 = g_strnfill (64, 'a');
  g_autofree char *id_65 = g_strnfill (65, 'a');
  g_autoptr(GError) error = NULL;
  JsonObject *op, *unit;

  for (guint i = 0; i < G_N_ELEMENTS (in_fields); i++)
    {
      op = incident_operation ();
      json_object_set_string_member (fields (op), in_fields[i], huge);
      assert_refused (f, op, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (at_top); i++)
    {
      op = incident_operation ();
      json_object_set_string_member (op, at_top[i], huge);
      assert_refused (f, op, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, NULL);
    }
  op = incident_operation ();
  json_object_set_string_member (op, "entity_id", huge);
  assert_refused (f, op, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, "“entity_id” may be at most 64 bytes long");
  op = incident_operation ();
  json_object_set_string_member (op, "entity_id", id_65);
  assert_refused (f, op, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, "“entity_id” may be at most 64 bytes long");
  op = incident_operation ();
  json_object_set_string_member (fields (op), "caller_phone", "138000000001380000000013800000000");
  assert_refused (f, op, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, "“caller_phone” may be at most 32 bytes long");
  op = plan_operation ();
  json_object_set_int_member (fields (op), "held_at", ld_time_now ());
  unit = json_array_get_object_element (json_object_get_array_member (fields (op), "units"), 0);
  json_object_set_string_member (unit, "unit_code", huge);
  assert_refused (f, op, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, "“unit_code” may be at most 64 bytes long");
  op = plan_operation ();
  json_object_set_int_member (fields (op), "held_at", ld_time_now ());
  json_object_set_string_member (fields (op), "scenario", huge);
  assert_refused (f, op, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, "“scenario” may be at most 20000 bytes long");

  for (guint i = 0; i < 5000; i++)
    g_string_append (chinese, "路");
  g_assert_cmpuint (chinese->len, ==, 15000);
  op = incident_operation ();
  json_object_set_string_member (op, "entity_id", id_64);
  json_object_set_string_member (fields (op), "summary", chinese->str);
  g_assert_cmpint (apply_as (f, "admin", op, &error), ==, LD_SYNC_ACCEPTED);
  g_assert_no_error (error);
}

/* An arrival logged offline that the server refuses (another inspector
 * moved the alarm past it meanwhile) is undone exactly on the laptop. */
static void
test_refused_arrival_undone (Fixture *f, gconstpointer data)
{
  g_autofree char *drill_id = plan (f->a);
  g_autoptr(LdDrillUnit) mkt = NULL;
  JsonObject *op;

  submit (f->a, operation ("drill", drill_id, "alarm", f->alarm));
  sync_replica (f, f->a);
  pull (f, f->b);

  arrive (f->a, drill_id, "MKT", f->alarm + 2 * MIN_US);
  op = operation ("drill", drill_id, "correct-alarm", f->alarm + 5 * MIN_US);
  json_object_set_string_member (fields (op), "reason", "报警时间记错");
  submit (f->b, op);
  sync_replica (f, f->b);

  push (f, f->a);
  g_assert_cmpuint (f->n_refused, ==, 1);
  g_assert_nonnull (strstr (f->last_reason, "before the alarm"));
  mkt = drill_unit (ld_replica_get_store (f->a), drill_id, "MKT");
  g_assert_cmpint (mkt->arrived_at, ==, LD_TIME_NONE);
  pull (f, f->a);
  assert_same_drill (f->server, ld_replica_get_store (f->a), drill_id);
  g_assert_cmpuint (ld_replica_get_n_pending (f->a), ==, 0);
}

/* A drill planned offline and refused as a whole disappears from the
 * laptop with its units and notes. */
static void
test_refused_plan_forgotten (Fixture *f, gconstpointer data)
{
  g_autofree char *drill_id = NULL;
  g_autoptr(LdDrill) gone = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *op;

  LdUser demoted = { (char *) "i1", NULL, (char *) "leader", NULL };

  drill_id = plan (f->a);
  op = operation ("drill", drill_id, "note", f->alarm);
  json_object_set_string_member (fields (op), "text", "draft");
  submit (f->a, op);
  /* The administrator made i1 a leader while the laptop was offline. */
  push_as (f, f->a, &demoted);
  g_assert_cmpuint (f->n_refused, ==, 2);
  gone = ld_store_get_drill (ld_replica_get_store (f->a), drill_id, &error);
  g_assert_null (gone);
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND);
  notes = ld_store_list_drill_notes (ld_replica_get_store (f->a), drill_id, NULL);
  g_assert_cmpuint (notes->len, ==, 0);
  g_assert_null (ld_store_get_drill (f->server, drill_id, NULL));
}

/* A photo's operation: @size bytes, a JPEG's first three and then @fill. */
static JsonObject *
photo_operation (const char *drill_id, const char *unit, gint64 at, gsize size, guchar fill)
{
  g_autofree char *id = ld_id_new (at);
  JsonObject *op = operation ("drill_photo", id, "add", at);
  g_autofree guchar *bytes = g_malloc (size);
  g_autofree char *base64 = NULL;

  memset (bytes, fill, size);
  if (size >= 3)
    memcpy (bytes, "\xff\xd8\xff", 3);
  base64 = g_base64_encode (bytes, size);
  json_object_set_string_member (fields (op), "drill_id", drill_id);
  if (unit)
    json_object_set_string_member (fields (op), "unit_code", unit);
  json_object_set_string_member (fields (op), "caption", "到场时");
  json_object_set_string_member (fields (op), "mime", "image/jpeg");
  json_object_set_string_member (fields (op), "data", base64);
  return op;
}

static void
count_drill_signals (LdReplica *replica, GStrv drills, guint *n)
{
  (*n)++;
}

/* A photo goes to the server once and comes to the other laptop with its
 * bytes; the drill is said to change on the laptop that took it. What is
 * not an image, too large, or of a unit not expected is refused at once;
 * one the server refuses disappears. */
static void
test_photos (Fixture *f, gconstpointer data)
{
  g_autofree char *drill_id = plan (f->a);
  g_autoptr(GPtrArray) on_server = NULL;
  g_autoptr(GPtrArray) on_b = NULL;
  g_autoptr(GPtrArray) on_a = NULL;
  LdUser demoted = { (char *) "i1", NULL, (char *) "leader", NULL };
  LdDrillPhoto *server_photo, *b_photo;
  JsonObject *op;
  guint signals = 0;

  submit (f->a, operation ("drill", drill_id, "alarm", f->alarm));
  sync_replica (f, f->a);
  pull (f, f->b);

  g_signal_connect (f->a, "drills-changed", G_CALLBACK (count_drill_signals), &signals);
  submit (f->a, photo_operation (drill_id, "MKT", f->alarm + 3 * MIN_US, 5000, 0x42));
  g_assert_cmpuint (signals, ==, 1);
  sync_replica (f, f->a);
  pull (f, f->b);

  on_server = ld_store_list_drill_photos (f->server, drill_id, NULL);
  on_b = ld_store_list_drill_photos (ld_replica_get_store (f->b), drill_id, NULL);
  g_assert_cmpuint (on_server->len, ==, 1);
  g_assert_cmpuint (on_b->len, ==, 1);
  server_photo = g_ptr_array_index (on_server, 0);
  b_photo = g_ptr_array_index (on_b, 0);
  g_assert_cmpstr (server_photo->author, ==, "i1");
  g_assert_cmpstr (server_photo->unit_code, ==, "MKT");
  g_assert_cmpstr (b_photo->caption, ==, "到场时");
  g_assert_cmpuint (g_bytes_get_size (b_photo->data), ==, 5000);
  g_assert_true (g_bytes_equal (server_photo->data, b_photo->data));
  /* The drill's own record does not carry it. */
  {
    g_autofree char *drill_text = record_text (f->server, drill_id);
    g_assert_null (strstr (drill_text, "QkJC"));
  }

  op = photo_operation (drill_id, NULL, f->alarm, 100, 0);
  json_object_set_string_member (fields (op), "data", "aGVsbG8=");   /* "hello" */
  submit_refused (f->a, op, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  submit_refused (f->a, photo_operation (drill_id, NULL, f->alarm, LD_DRILL_PHOTO_MAX_BYTES + 1, 0),
                  LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  submit_refused (f->a, photo_operation (drill_id, "TOWN", f->alarm, 100, 0), LD_STORE_ERROR,
                  LD_STORE_ERROR_NOT_FOUND);

  /* Taken offline by one no longer an inspector: refused, and gone. */
  submit (f->a, photo_operation (drill_id, NULL, f->alarm + 4 * MIN_US, 100, 0x43));
  on_a = ld_store_list_drill_photos (ld_replica_get_store (f->a), drill_id, NULL);
  g_assert_cmpuint (on_a->len, ==, 2);
  g_clear_pointer (&on_a, g_ptr_array_unref);
  signals = 0;
  push_as (f, f->a, &demoted);
  g_assert_cmpuint (f->n_refused, ==, 1);
  g_assert_cmpuint (signals, >=, 1);
  on_a = ld_store_list_drill_photos (ld_replica_get_store (f->a), drill_id, NULL);
  g_assert_cmpuint (on_a->len, ==, 1);
}

/* Photos are large: a page of the pull holds a few (4 MB of them), says
 * there is more, and the rest come with the next pages. */
static void
test_photo_pages (Fixture *f, gconstpointer data)
{
  g_autofree char *drill_id = plan (f->a);
  g_autoptr(GError) error = NULL;
  gint64 since;
  guint photos = 0, pages = 0;
  gboolean more = TRUE;

  submit (f->a, operation ("drill", drill_id, "alarm", f->alarm));
  sync_replica (f, f->a);
  since = ld_replica_get_last_seq (f->a);
  for (guint i = 0; i < 3; i++)
    submit (f->a, photo_operation (drill_id, NULL, f->alarm + (i + 1) * MIN_US, 1900 * 1024, (guchar) i));
  push (f, f->a);

  while (more)
    {
      g_autoptr(JsonNode) page = ld_sync_changes (f->server, since, 100, user_of (f->a), &error);
      JsonObject *object = json_node_get_object (page);
      JsonArray *changes = json_object_get_array_member (object, "changes");
      guint in_page = 0;

      g_assert_no_error (error);
      for (guint c = 0; c < json_array_get_length (changes); c++)
        in_page += g_str_equal (json_object_get_string_member (json_array_get_object_element (changes, c), "entity"),
                                "drill_photo");
      g_assert_cmpuint (in_page, <=, 2);
      photos += in_page;
      pages++;
      more = json_object_get_boolean_member (object, "more");
      since = json_object_get_int_member (object, "last_seq");
    }
  g_assert_cmpuint (photos, ==, 3);
  g_assert_cmpuint (pages, ==, 2);
}

/* Leaders and dispatchers read drills; a unit's pull and snapshot hold none. */
static void
test_who_sees_drills (Fixture *f, gconstpointer data)
{
  g_autofree char *drill_id = plan (f->a);
  LdUser leader = { (char *) "l1", NULL, (char *) "leader", NULL };
  LdUser dispatcher = { (char *) "d1", NULL, (char *) "dispatcher", NULL };
  LdUser unit = { (char *) "u1", NULL, (char *) "unit", (char *) "MKT" };
  const LdUser *users[] = { &leader, &dispatcher, &unit };
  g_autofree char *path = g_build_filename (f->dir, "unit.db", NULL);
  g_autoptr(LdStore) copy = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *op;
  gint64 seq;

  submit (f->a, operation ("drill", drill_id, "alarm", f->alarm));
  op = operation ("drill", drill_id, "note", f->alarm);
  json_object_set_string_member (fields (op), "text", "note");
  submit (f->a, op);
  submit (f->a, photo_operation (drill_id, NULL, f->alarm, 100, 0));
  sync_replica (f, f->a);

  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_autoptr(JsonNode) page = ld_sync_changes (f->server, 0, 100, users[i], &error);
      JsonArray *changes = json_object_get_array_member (json_node_get_object (page), "changes");
      guint drills = 0, photos = 0;

      for (guint c = 0; c < json_array_get_length (changes); c++)
        {
          const char *entity = json_object_get_string_member (json_array_get_object_element (changes, c), "entity");
          drills += g_str_equal (entity, "drill");
          photos += g_str_equal (entity, "drill_photo");
        }
      g_assert_cmpuint (drills, ==, users[i] == &unit ? 0 : 1);
      g_assert_cmpuint (photos, ==, users[i] == &unit ? 0 : 1);
    }

  g_assert_true (ld_snapshot_write (f->server, path, &unit, &seq, &error));
  g_assert_no_error (error);
  copy = ld_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_null (ld_store_get_drill (copy, drill_id, NULL));
  notes = ld_store_list_drill_notes (copy, drill_id, NULL);
  g_assert_cmpuint (notes->len, ==, 0);
  {
    g_autoptr(GPtrArray) photos = ld_store_list_drill_photos (copy, drill_id, NULL);
    g_assert_cmpuint (photos->len, ==, 0);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  zone = g_time_zone_new_identifier ("Asia/Shanghai");

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/drill-sync/plan-alarm-arrive", test_plan_alarm_arrive);
  ADD ("/drill-sync/limits", test_limits);
  ADD ("/drill-sync/earlier-arrival-wins", test_earlier_arrival_wins);
  ADD ("/drill-sync/correction", test_correction);
  ADD ("/drill-sync/refusals", test_refusals);
  ADD ("/drill-sync/time-window", test_time_window);
  ADD ("/drill-sync/operation-id-per-user", test_operation_id_per_user);
  ADD ("/drill-sync/empty-ids", test_empty_ids);
  ADD ("/drill-sync/wrong-types", test_wrong_types);
  ADD ("/drill-sync/string-bounds", test_string_bounds);
  ADD ("/drill-sync/refused-arrival-undone", test_refused_arrival_undone);
  ADD ("/drill-sync/refused-plan-forgotten", test_refused_plan_forgotten);
  ADD ("/drill-sync/who-sees-drills", test_who_sees_drills);
  ADD ("/drill-sync/photos", test_photos);
  ADD ("/drill-sync/photo-pages", test_photo_pages);
#undef ADD

  return g_test_run ();
}
