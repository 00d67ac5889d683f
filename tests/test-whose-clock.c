/* test-whose-clock.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ld-json.h"
#include "ld-metrics.h"
#include "ld-replica.h"
#include "ld-snapshot.h"
#include "ld-store.h"
#include "ld-sync.h"
#include "ld-test-city.h"
#include "ld-test-util.h"

/* Whose clock a graded time is (DESIGN.md): a unit's steps take the
 * server's, a dispatcher logging a phone call gives the step's own within a
 * day and after the step before, an inspector's drill logs keep theirs
 * within the drill. The server is the core's own functions on a store. */

#define MIN_US (G_GINT64_CONSTANT (60) * LD_USEC_PER_S)
#define HOUR_US (60 * MIN_US)

typedef struct {
  char    *dir;
  LdStore *server;
  gint64   now;       /* when the test began, to the second */
} Fixture;

static const LdUser dispatcher = { (char *) "d1", NULL, (char *) "dispatcher", NULL };
static const LdUser mkt_user = { (char *) "mkt", NULL, (char *) "unit", (char *) "MKT" };
static const LdUser inspector = { (char *) "i1", NULL, (char *) "inspector", NULL };

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;

  f->dir = ld_test_make_tmp ("ld-whose-clock-XXXXXX");
  path = g_build_filename (f->dir, "server.db", NULL);
  f->server = ld_test_city_new (path);
  f->now = ld_time_now () / LD_USEC_PER_S * LD_USEC_PER_S;
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->server);
  g_free (f->dir);
}

static JsonObject *
operation (LdStore *store, const char *entity, const char *entity_id, const char *action, gint64 at)
{
  JsonObject *op = json_object_new ();
  g_autofree char *id = ld_id_new (ld_time_now ());
  g_autofree char *at_text = ld_time_format_iso (at, ld_store_get_time_zone (store));

  json_object_set_string_member (op, "id", id);
  json_object_set_string_member (op, "entity", entity);
  json_object_set_string_member (op, "entity_id", entity_id);
  json_object_set_string_member (op, "action", action);
  json_object_set_string_member (op, "at", at_text);
  json_object_set_object_member (op, "fields", json_object_new ());
  return op;
}

static JsonObject *
fields (JsonObject *op)
{
  return json_object_get_object_member (op, "fields");
}

/* What the server's push does with @op of @user; takes @op. */
static LdSyncStatus
push (Fixture *f, const LdUser *user, JsonObject *op, GError **error)
{
  LdActor actor = { user->name, "desk", "192.0.2.7" };
  gint64 seq = 0;
  LdSyncStatus status = ld_sync_apply (f->server, op, user, &actor, &seq, error);

  json_object_unref (op);
  return status;
}

static void
push_ok (Fixture *f, const LdUser *user, JsonObject *op)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (push (f, user, op, &error), ==, LD_SYNC_ACCEPTED);
  g_assert_no_error (error);
}

/* An incident of noise in A received at @at, and an order of it to MKT
 * dispatched a minute later; the order's id. */
static char *
dispatch (Fixture *f, gint64 at)
{
  g_autofree char *incident = ld_id_new (at);
  char *order = ld_id_new (at);
  JsonObject *op = operation (f->server, "incident", incident, "create", at);

  json_object_set_string_member (fields (op), "source", "110");
  json_object_set_string_member (fields (op), "kind", "linkage");
  json_object_set_string_member (fields (op), "category", "noise");
  json_object_set_string_member (fields (op), "region_code", "A");
  push_ok (f, &dispatcher, op);
  op = operation (f->server, "order", order, "dispatch", at + MIN_US);
  json_object_set_string_member (fields (op), "incident_id", incident);
  json_object_set_string_member (fields (op), "unit_code", "MKT");
  push_ok (f, &dispatcher, op);
  return order;
}

/* The data of the newest event of @action on @entity_id. */
static char *
event_data (LdStore *store, const char *entity_id, const char *action, gint64 *at)
{
  LdEventFilter filter = { 0, };
  g_autoptr(GPtrArray) events = ld_store_list_events (store, &filter, NULL);

  for (guint i = 0; i < events->len; i++)
    {
      LdEvent *e = g_ptr_array_index (events, i);

      if (g_str_equal (e->entity_id, entity_id) && g_str_equal (e->action, action))
        {
          if (at)
            *at = e->at;
          return g_strdup (e->data);
        }
    }
  g_assert_not_reached ();
}

/* The time @name of an event's data. */
static gint64
data_time (LdStore *store, const char *data, const char *name)
{
  g_autoptr(JsonNode) root = json_from_string (data, NULL);
  const char *text = ld_json_get_string (json_node_get_object (root), name);
  gint64 at = LD_TIME_NONE;

  g_assert_nonnull (text);
  g_assert_true (ld_time_parse (text, ld_store_get_time_zone (store), &at, NULL));
  return at;
}

/* The example: an order dispatched 40 minutes ago, signed online
 * with "at" 2 minutes after the dispatch, was on time. It is signed when
 * the server takes it: late, the claimed time kept in the audit trail. */
static void
test_unit_sign_is_the_servers (Fixture *f, gconstpointer data)
{
  gint64 dispatched = f->now - 40 * MIN_US;
  g_autofree char *order_id = dispatch (f, dispatched - MIN_US);
  g_autoptr(LdOrder) order = NULL;
  g_autofree char *audit = NULL;
  gint64 before, event_at = 0;

  before = ld_time_now ();
  push_ok (f, &mkt_user, operation (f->server, "order", order_id, "sign", dispatched + 2 * MIN_US));
  order = ld_store_get_order (f->server, order_id, NULL);
  g_assert_cmpint (order->dispatched_at, ==, dispatched);
  g_assert_cmpint (order->signed_at, >=, before);
  g_assert_cmpint (order->signed_at, <=, ld_time_now ());
  g_assert_true (order->overdue & LD_OVERDUE_SIGN);
  /* The unit's own step is never "logged later". */
  g_assert_cmpint (order->signed_logged_at, ==, LD_TIME_NONE);

  audit = event_data (f->server, order_id, "sign", &event_at);
  g_assert_cmpint (event_at, ==, order->signed_at);
  g_assert_cmpint (data_time (f->server, audit, "claimed_at"), ==, dispatched + 2 * MIN_US);
  g_assert_cmpint (data_time (f->server, audit, "logged_at") / LD_USEC_PER_S, ==, order->signed_at / LD_USEC_PER_S);
}

/* The metrics count from the server's times: feedback claimed within its
 * two hours but taken after them is overdue. */
static void
test_metrics_follow_the_server (Fixture *f, gconstpointer data)
{
  gint64 dispatched = f->now - 3 * HOUR_US;
  g_autofree char *order_id = dispatch (f, dispatched - MIN_US);
  g_autoptr(GHashTable) units = NULL;
  g_autoptr(GHashTable) regions = NULL;
  g_autoptr(GError) error = NULL;
  LdPeriod period = { dispatched - HOUR_US, f->now + HOUR_US };
  const LdOrderCounts *mkt;
  JsonObject *op;

  push_ok (f, &mkt_user, operation (f->server, "order", order_id, "sign", dispatched + MIN_US));
  op = operation (f->server, "order", order_id, "feedback", dispatched + 30 * MIN_US);
  json_object_set_string_member (fields (op), "kind", "arrival");
  json_object_set_string_member (fields (op), "text", "已到场");
  push_ok (f, &mkt_user, op);

  g_assert_true (ld_metrics_compute (f->server, &period, ld_time_now (), &units, &regions, &error));
  g_assert_no_error (error);
  mkt = g_hash_table_lookup (units, "MKT");
  g_assert_nonnull (mkt);
  g_assert_cmpuint (mkt->dispatched, ==, 1);
  g_assert_cmpuint (mkt->signed_, ==, 1);
  g_assert_cmpuint (mkt->feedback_orders, ==, 1);
  g_assert_cmpuint (mkt->overdue_feedback, ==, 1);
  {
    g_autoptr(LdOrder) order = ld_store_get_order (f->server, order_id, NULL);
    g_assert_true (order->overdue & LD_OVERDUE_SIGN);
    g_assert_true (order->overdue & LD_OVERDUE_FEEDBACK);
    g_assert_cmpint (order->first_feedback_at, >=, f->now);
  }
}

static void
pull (Fixture *f, LdReplica *replica)
{
  gboolean more = TRUE;

  while (more)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) page = ld_sync_changes (f->server, ld_replica_get_last_seq (replica), 50,
                                                  ld_replica_get_user (replica), &error);

      g_assert_no_error (error);
      g_assert_true (ld_replica_merge (replica, json_node_get_object (page), NULL, &error));
      g_assert_no_error (error);
      more = json_object_get_boolean_member (json_node_get_object (page), "more");
    }
}

/* A unit's desk, offline, applies the same rule with its own clock; its
 * signature is the server's once it reaches the center, and the pull
 * brings the server's time. */
static void
test_offline_desk_signs_on_arrival (Fixture *f, gconstpointer data)
{
  gint64 dispatched = f->now - 40 * MIN_US;
  g_autofree char *order_id = dispatch (f, dispatched - MIN_US);
  g_autofree char *path = g_build_filename (f->dir, "desk.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LdStore) store = NULL;
  g_autoptr(LdReplica) desk = NULL;
  g_autoptr(JsonArray) ops = NULL;
  g_autoptr(JsonArray) results = json_array_new ();
  g_autoptr(LdOrder) local = NULL;
  g_autoptr(LdOrder) server = NULL;
  g_autoptr(LdOrder) pulled = NULL;
  JsonObject *result = json_object_new ();
  JsonObject *sign;
  gint64 seq = 0, submitted, pushed;

  g_assert_true (ld_snapshot_write (f->server, path, &mkt_user, &seq, &error));
  g_assert_no_error (error);
  store = ld_store_open (path, &error);
  g_assert_no_error (error);
  desk = ld_replica_new (store, &mkt_user, "desk");
  g_assert_true (ld_replica_set_last_seq (desk, seq, &error));

  submitted = ld_time_now ();
  sign = operation (store, "order", order_id, "sign", dispatched + 2 * MIN_US);
  g_assert_true (ld_replica_submit (desk, sign, &error));
  g_assert_no_error (error);
  json_object_unref (sign);
  local = ld_store_get_order (store, order_id, NULL);
  g_assert_cmpint (local->signed_at, >=, submitted);
  g_assert_true (local->overdue & LD_OVERDUE_SIGN);

  /* The signature reaches the center later; the desk's outbox holds what
   * it claimed, and the server stamps its own time. */
  pushed = ld_time_now ();
  ops = ld_replica_peek (desk, 10);
  g_assert_cmpuint (json_array_get_length (ops), ==, 1);
  {
    JsonObject *op = json_array_get_object_element (ops, 0);
    LdActor actor = { mkt_user.name, "desk", NULL };

    g_assert_cmpint (ld_sync_apply (f->server, op, &mkt_user, &actor, &seq, &error), ==, LD_SYNC_ACCEPTED);
    g_assert_no_error (error);
    json_object_set_string_member (result, "id", ld_json_get_string (op, "id"));
  }
  server = ld_store_get_order (f->server, order_id, NULL);
  g_assert_cmpint (server->signed_at, >=, pushed);
  json_object_set_string_member (result, "status", "accepted");
  json_array_add_object_element (results, result);
  g_assert_true (ld_replica_settle (desk, results, &error));
  g_assert_no_error (error);
  pull (f, desk);
  pulled = ld_store_get_order (store, order_id, NULL);
  g_assert_cmpint (pulled->signed_at, ==, server->signed_at);
}

/* A dispatcher logging what a unit reported by phone is the center: the
 * time given stands, within a day and after the step before, and a step
 * logged well after it happened says when it was logged (补录), on every
 * desk. */
static void
test_dispatcher_logs_a_phone_call (Fixture *f, gconstpointer data)
{
  g_autofree char *old_order = dispatch (f, f->now - 30 * HOUR_US);
  g_autofree char *order_id = dispatch (f, f->now - 2 * HOUR_US);
  gint64 signed_at = f->now - 90 * MIN_US;
  g_autoptr(GError) error = NULL;
  g_autoptr(LdOrder) order = NULL;
  g_autofree char *audit = NULL;
  g_autoptr(JsonNode) record = NULL;
  g_autoptr(LdStore) desk = ld_test_city_new (NULL);
  g_autoptr(LdOrder) on_desk = NULL;
  gint64 before, event_at = 0;

  g_assert_cmpint (push (f, &dispatcher, operation (f->server, "order", old_order, "sign", f->now - 25 * HOUR_US),
                         &error), ==, LD_SYNC_REFUSED);
  g_assert_error (error, LD_TIME_ERROR, LD_TIME_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "more than 24 hours ago"));
  g_clear_error (&error);
  g_assert_cmpint (push (f, &dispatcher, operation (f->server, "order", order_id, "sign", f->now - 3 * HOUR_US),
                         &error), ==, LD_SYNC_REFUSED);
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "earlier than the one before it"));
  g_clear_error (&error);
  order = ld_store_get_order (f->server, order_id, NULL);
  g_assert_cmpstr (order->state, ==, "dispatched");
  g_clear_pointer (&order, ld_order_free);

  before = ld_time_now ();
  push_ok (f, &dispatcher, operation (f->server, "order", order_id, "sign", signed_at));
  /* Logged as it happens: not logged later. */
  push_ok (f, &dispatcher, operation (f->server, "order", order_id, "arrive", ld_time_now ()));
  order = ld_store_get_order (f->server, order_id, NULL);
  g_assert_cmpint (order->signed_at, ==, signed_at);
  g_assert_cmpint (order->signed_logged_at, >=, before);
  g_assert_cmpint (order->arrived_logged_at, ==, LD_TIME_NONE);
  g_assert_true (order->overdue & LD_OVERDUE_SIGN);

  audit = event_data (f->server, order_id, "sign", &event_at);
  g_assert_cmpint (event_at, ==, signed_at);
  g_assert_cmpint (data_time (f->server, audit, "claimed_at"), ==, signed_at);
  g_assert_cmpint (data_time (f->server, audit, "logged_at"), >=, before / LD_USEC_PER_S * LD_USEC_PER_S);

  /* The record every desk pulls carries when it was logged. */
  {
    g_autoptr(LdIncident) incident = ld_store_get_incident (f->server, order->incident_id, NULL);
    g_autoptr(JsonNode) incident_record = ld_sync_get_record (f->server, "incident", incident->id);

    g_assert_true (ld_sync_put_record (desk, "incident", json_node_get_object (incident_record), &error));
    g_assert_no_error (error);
  }
  record = ld_sync_get_record (f->server, "order", order_id);
  g_assert_true (ld_sync_put_record (desk, "order", json_node_get_object (record), &error));
  g_assert_no_error (error);
  on_desk = ld_store_get_order (desk, order_id, NULL);
  g_assert_cmpint (on_desk->signed_at, ==, signed_at);
  g_assert_cmpint (on_desk->signed_logged_at / LD_USEC_PER_S, ==, order->signed_logged_at / LD_USEC_PER_S);
  g_assert_cmpint (on_desk->arrived_logged_at, ==, LD_TIME_NONE);
}

/* Feedback a dispatcher logs later than it was given is marked so when it
 * is the first. */
static void
test_dispatcher_logs_feedback_later (Fixture *f, gconstpointer data)
{
  g_autofree char *order_id = dispatch (f, f->now - 2 * HOUR_US);
  g_autoptr(LdOrder) order = NULL;
  gint64 before;
  JsonObject *op;

  push_ok (f, &dispatcher, operation (f->server, "order", order_id, "sign", f->now - 110 * MIN_US));
  before = ld_time_now ();
  op = operation (f->server, "order", order_id, "feedback", f->now - 100 * MIN_US);
  json_object_set_string_member (fields (op), "kind", "arrival");
  json_object_set_string_member (fields (op), "text", "电话反馈已到场");
  push_ok (f, &dispatcher, op);
  order = ld_store_get_order (f->server, order_id, NULL);
  g_assert_cmpint (order->first_feedback_at, ==, f->now - 100 * MIN_US);
  g_assert_cmpint (order->first_feedback_logged_at, >=, before);
  g_assert_false (order->overdue & LD_OVERDUE_FEEDBACK);
}

/* An inspector's drill logs keep their times, within the drill: not
 * before its alarm, not still to come, said in words; the time they were
 * logged is kept beside them. */
static void
test_drill_logs_keep_their_times (Fixture *f, gconstpointer data)
{
  g_autofree char *drill_id = ld_id_new (f->now);
  gint64 alarm = f->now - 30 * MIN_US;
  gint64 arrived = alarm + 12 * MIN_US;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) units = NULL;
  g_autofree char *audit = NULL;
  g_autoptr(GRegex) iso = g_regex_new ("[0-9]{4}-[0-9]{2}-[0-9]{2}T", 0, 0, NULL);
  JsonObject *op = operation (f->server, "drill", drill_id, "plan", f->now - HOUR_US);
  JsonArray *list = json_array_new ();
  JsonObject *unit = json_object_new ();
  gint64 before;

  json_object_set_string_member (unit, "unit_code", "MKT");
  json_array_add_object_element (list, unit);
  unit = json_object_new ();
  json_object_set_string_member (unit, "unit_code", "POL");
  json_array_add_object_element (list, unit);
  json_object_set_string_member (fields (op), "region_code", "A");
  json_object_set_int_member (fields (op), "held_at", alarm);
  json_object_set_array_member (fields (op), "units", list);
  push_ok (f, &inspector, op);
  push_ok (f, &inspector, operation (f->server, "drill", drill_id, "alarm", alarm));

  before = ld_time_now ();
  op = operation (f->server, "drill_unit", drill_id, "arrive", arrived);
  json_object_set_string_member (fields (op), "unit_code", "MKT");
  push_ok (f, &inspector, op);
  units = ld_store_list_drill_units (f->server, drill_id, NULL);
  for (guint i = 0; i < units->len; i++)
    {
      LdDrillUnit *du = g_ptr_array_index (units, i);
      g_assert_cmpint (du->arrived_at, ==, g_str_equal (du->unit_code, "MKT") ? arrived : LD_TIME_NONE);
    }
  audit = event_data (f->server, drill_id, "arrive", NULL);
  g_assert_cmpint (data_time (f->server, audit, "claimed_at"), ==, arrived);
  g_assert_cmpint (data_time (f->server, audit, "logged_at"), >=, before / LD_USEC_PER_S * LD_USEC_PER_S);

  op = operation (f->server, "drill_unit", drill_id, "arrive", alarm - MIN_US);
  json_object_set_string_member (fields (op), "unit_code", "POL");
  g_assert_cmpint (push (f, &inspector, op, &error), ==, LD_SYNC_REFUSED);
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "before the alarm"));
  g_clear_error (&error);

  op = operation (f->server, "drill_unit", drill_id, "correct", f->now + 15 * MIN_US);
  json_object_set_string_member (fields (op), "unit_code", "MKT");
  json_object_set_string_member (fields (op), "reason", "看错了表");
  g_assert_cmpint (push (f, &inspector, op, &error), ==, LD_SYNC_REFUSED);
  g_assert_error (error, LD_TIME_ERROR, LD_TIME_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "still to come"));
  g_assert_false (g_regex_match (iso, error->message, 0, NULL));
  g_assert_null (strstr (error->message, "clock"));
  g_assert_null (strstr (error->message, "plausible"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/whose-clock/unit-sign-is-the-servers", test_unit_sign_is_the_servers);
  ADD ("/whose-clock/metrics-follow-the-server", test_metrics_follow_the_server);
  ADD ("/whose-clock/offline-desk-signs-on-arrival", test_offline_desk_signs_on_arrival);
  ADD ("/whose-clock/dispatcher-logs-a-phone-call", test_dispatcher_logs_a_phone_call);
  ADD ("/whose-clock/dispatcher-logs-feedback-later", test_dispatcher_logs_feedback_later);
  ADD ("/whose-clock/drill-logs-keep-their-times", test_drill_logs_keep_their_times);
#undef ADD

  return g_test_run ();
}
