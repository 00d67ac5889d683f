/* test-replica.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ld-records.h"
#include "ld-replica.h"
#include "ld-snapshot.h"
#include "ld-store.h"
#include "ld-sync.h"
#include "ld-test-city.h"
#include "ld-test-util.h"

/* The server's side is the core's own functions on a second store, so the
 * replica is tested against the very rules the server keeps. */
typedef struct {
  char      *dir;
  LdStore   *server;
  LdReplica *replica;
  LdUser     user;
  guint      n_refused;
  char      *last_code;
} Fixture;

static LdReplica *
new_replica (Fixture *f, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(LdStore) store = NULL;
  gint64 seq = 0;
  LdReplica *replica;

  g_assert_true (ld_snapshot_write (f->server, path, &f->user, &seq, &error));
  g_assert_no_error (error);
  store = ld_store_open (path, &error);
  g_assert_no_error (error);
  replica = ld_replica_new (store, &f->user, name);
  g_assert_true (ld_replica_set_last_seq (replica, seq, &error));
  return replica;
}

static void
on_refused (LdReplica *replica, JsonObject *op, const char *code, const char *reason, Fixture *f)
{
  g_assert_nonnull (op);
  g_assert_nonnull (reason);
  f->n_refused++;
  g_free (f->last_code);
  f->last_code = g_strdup (code);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;

  f->dir = ld_test_make_tmp ("ld-replica-XXXXXX");
  path = g_build_filename (f->dir, "server.db", NULL);
  f->server = ld_test_city_new (path);
  f->user.name = (char *) "d1";
  f->user.role = (char *) "dispatcher";
  f->replica = new_replica (f, "a.db");
  g_signal_connect (f->replica, "refused", G_CALLBACK (on_refused), f);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->replica);
  g_clear_object (&f->server);
  g_free (f->last_code);
  g_free (f->dir);
}

/* What the server's push does, as @user. */
static JsonArray *
push (LdStore *server, LdReplica *replica, const LdUser *user)
{
  g_autoptr(JsonArray) ops = ld_replica_peek (replica, 1000);
  JsonArray *results = json_array_new ();
  LdActor actor = { user->name, "test", "127.0.0.1" };

  for (guint i = 0; i < json_array_get_length (ops); i++)
    {
      JsonObject *op = json_array_get_object_element (ops, i);
      JsonObject *result = json_object_new ();
      g_autoptr(GError) error = NULL;
      gint64 seq = 0;
      LdSyncStatus status = ld_sync_apply (server, op, user, &actor, &seq, &error);

      json_object_set_string_member (result, "id", json_object_get_string_member (op, "id"));
      json_object_set_string_member (result, "status", status == LD_SYNC_ACCEPTED ? "accepted"
                                     : status == LD_SYNC_DUPLICATE ? "duplicate" : "refused");
      if (status == LD_SYNC_REFUSED)
        {
          json_object_set_string_member (result, "code", error->code == LD_STORE_ERROR_INVALID_TRANSITION
                                         ? "conflict" : "forbidden");
          json_object_set_string_member (result, "reason", error->message);
        }
      json_array_add_object_element (results, result);
    }
  return results;
}

static void
sync_replica (Fixture *f, LdReplica *replica)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) results = push (f->server, replica, &f->user);
  gboolean more = TRUE;

  g_assert_true (ld_replica_settle (replica, results, &error));
  g_assert_no_error (error);
  while (more)
    {
      g_autoptr(JsonNode) page = ld_sync_changes (f->server, ld_replica_get_last_seq (replica), 7, &f->user, &error);
      g_assert_no_error (error);
      g_assert_true (ld_replica_merge (replica, json_node_get_object (page), NULL, &error));
      g_assert_no_error (error);
      more = json_object_get_boolean_member (json_node_get_object (page), "more");
    }
}

static JsonObject *
operation (const char *entity, const char *entity_id, const char *action)
{
  JsonObject *op = json_object_new ();

  json_object_set_string_member (op, "entity", entity);
  json_object_set_string_member (op, "entity_id", entity_id);
  json_object_set_string_member (op, "action", action);
  json_object_set_object_member (op, "fields", json_object_new ());
  return op;
}

static JsonObject *
fields (JsonObject *op)
{
  return json_object_get_object_member (op, "fields");
}

static char *
create_incident (LdReplica *replica, const char *summary)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = ld_id_new (ld_time_now ());
  g_autoptr(JsonObject) op = operation ("incident", id, "create");

  json_object_set_string_member (fields (op), "source", "110");
  json_object_set_string_member (fields (op), "kind", "linkage");
  json_object_set_string_member (fields (op), "category", "noise");
  json_object_set_string_member (fields (op), "region_code", "A");
  json_object_set_string_member (fields (op), "caller_phone", "13800000000");
  json_object_set_string_member (fields (op), "summary", summary);
  g_assert_true (ld_replica_submit (replica, op, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&id);
}

static char *
dispatch (LdReplica *replica, const char *incident_id, const char *unit)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = ld_id_new (ld_time_now ());
  g_autoptr(JsonObject) op = operation ("order", id, "dispatch");

  json_object_set_string_member (fields (op), "incident_id", incident_id);
  json_object_set_string_member (fields (op), "unit_code", unit);
  g_assert_true (ld_replica_submit (replica, op, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&id);
}

static void
act (LdReplica *replica, const char *entity, const char *id, const char *action)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) op = operation (entity, id, action);

  g_assert_true (ld_replica_submit (replica, op, &error));
  g_assert_no_error (error);
}

static char *
record_text (LdStore *store, const char *entity, const char *id)
{
  g_autoptr(JsonNode) record = ld_sync_get_record (store, entity, id);
  return record ? json_to_string (record, FALSE) : NULL;
}

static void
assert_same_record (LdStore *a, LdStore *b, const char *entity, const char *id)
{
  g_autofree char *ta = record_text (a, entity, id);
  g_autofree char *tb = record_text (b, entity, id);

  g_assert_nonnull (ta);
  g_assert_cmpstr (ta, ==, tb);
}

static void
test_submit_push_pull (Fixture *f, gconstpointer data)
{
  LdStore *local = ld_replica_get_store (f->replica);
  g_autofree char *incident = create_incident (f->replica, "loud music");
  g_autofree char *order = dispatch (f->replica, incident, "MKT");
  g_autoptr(LdIncident) here = ld_store_get_incident (local, incident, NULL);

  /* Applied at once, before the server has heard of it. */
  g_assert_nonnull (here);
  g_assert_cmpstr (here->state, ==, "dispatched");
  g_assert_cmpuint (ld_replica_get_n_pending (f->replica), ==, 2);
  g_assert_null (ld_store_get_incident (f->server, incident, NULL));

  act (f->replica, "order", order, "sign");
  sync_replica (f, f->replica);
  g_assert_cmpuint (ld_replica_get_n_pending (f->replica), ==, 0);
  g_assert_cmpuint (f->n_refused, ==, 0);
  assert_same_record (local, f->server, "incident", incident);
  assert_same_record (local, f->server, "order", order);
  g_assert_cmpint (ld_replica_get_last_seq (f->replica), ==, ld_store_get_sequence (f->server));
}

static void
test_refused_create_is_undone (Fixture *f, gconstpointer data)
{
  LdStore *local = ld_replica_get_store (f->replica);
  g_autofree char *incident = create_incident (f->replica, "dog barking");
  g_autofree char *order = dispatch (f->replica, incident, "MKT");
  LdUser leader = { (char *) "l1", NULL, (char *) "leader", NULL, NULL, 0 };
  g_autoptr(JsonArray) results = NULL;
  g_autoptr(GError) error = NULL;

  /* The server knows this user as a leader now: it refuses both. */
  results = push (f->server, f->replica, &leader);
  g_assert_true (ld_replica_settle (f->replica, results, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->n_refused, ==, 2);
  g_assert_cmpstr (f->last_code, ==, "forbidden");
  g_assert_cmpuint (ld_replica_get_n_pending (f->replica), ==, 0);
  g_assert_null (ld_store_get_incident (local, incident, NULL));
  g_assert_null (ld_store_get_order (local, order, NULL));
}

/* Two dispatchers sign the same order offline; the second is refused and
 * ends with the first one's signature, not its own. */
static void
test_conflict_converges (Fixture *f, gconstpointer data)
{
  g_autofree char *incident = create_incident (f->replica, "blocked road");
  g_autofree char *order = dispatch (f->replica, incident, "MKT");
  g_autoptr(LdReplica) other = NULL;
  g_autoptr(LdOrder) seen = NULL;

  sync_replica (f, f->replica);
  other = new_replica (f, "b.db");
  g_signal_connect (other, "refused", G_CALLBACK (on_refused), f);

  act (other, "order", order, "sign");
  act (f->replica, "order", order, "sign");
  act (f->replica, "order", order, "arrive");
  sync_replica (f, other);
  /* The pull brings the other's signature under this one's pending
   * operations: its own sign no longer applies, the arrival does. */
  sync_replica (f, f->replica);
  g_assert_cmpuint (f->n_refused, ==, 1);
  g_assert_cmpstr (f->last_code, ==, "conflict");
  seen = ld_store_get_order (ld_replica_get_store (f->replica), order, NULL);
  g_assert_cmpstr (seen->state, ==, "arrived");
  sync_replica (f, other);
  assert_same_record (ld_replica_get_store (f->replica), f->server, "order", order);
  assert_same_record (ld_replica_get_store (other), f->server, "order", order);
  assert_same_record (ld_replica_get_store (other), ld_replica_get_store (f->replica), "incident", incident);
}

/* A change pulled while an operation waits is kept under it: the replica
 * shows both, and an undo returns to the pulled version. */
static void
test_pull_rebases_pending (Fixture *f, gconstpointer data)
{
  LdStore *local = ld_replica_get_store (f->replica);
  g_autofree char *incident = create_incident (f->replica, "smoke");
  g_autofree char *order = dispatch (f->replica, incident, "MKT");
  g_autofree char *order2 = NULL;
  g_autoptr(LdReplica) other = NULL;
  g_autoptr(LdOrder) first = NULL;
  g_autoptr(GPtrArray) orders = NULL;

  sync_replica (f, f->replica);
  other = new_replica (f, "b.db");
  act (other, "order", order, "sign");
  sync_replica (f, other);

  order2 = dispatch (f->replica, incident, "TOWN");
  sync_replica (f, f->replica);
  first = ld_store_get_order (local, order, NULL);
  g_assert_cmpstr (first->state, ==, "signed");
  orders = ld_store_list_orders (local, incident, NULL);
  g_assert_cmpuint (orders->len, ==, 2);
  assert_same_record (local, f->server, "order", order2);
}

static void
test_outbox_survives_restart (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_strdup (ld_store_get_path (ld_replica_get_store (f->replica)));
  g_autofree char *incident = create_incident (f->replica, "fallen tree");
  g_autoptr(GError) error = NULL;
  g_autoptr(LdStore) store = NULL;
  gint64 seq = ld_replica_get_last_seq (f->replica);

  g_clear_object (&f->replica);
  store = ld_store_open (path, &error);
  g_assert_no_error (error);
  f->replica = ld_replica_new (store, &f->user, "a.db");
  g_assert_cmpuint (ld_replica_get_n_pending (f->replica), ==, 1);
  g_assert_cmpint (ld_replica_get_last_seq (f->replica), ==, seq);
  sync_replica (f, f->replica);
  assert_same_record (store, f->server, "incident", incident);

  /* A second push of the same operation changes nothing. */
  {
    g_autoptr(JsonObject) op = NULL;
    gint64 seq2 = 0;
    LdActor actor = { "d1", "x", NULL };

    op = operation ("incident", incident, "divert");
    json_object_set_string_member (fields (op), "platform", "12345");
    g_assert_true (ld_replica_submit (f->replica, op, &error));
    g_assert_no_error (error);
    {
      g_autoptr(JsonArray) pending = ld_replica_peek (f->replica, 10);
      JsonObject *taken = json_array_get_object_element (pending, 0);
      g_assert_cmpint (ld_sync_apply (f->server, taken, &f->user, &actor, &seq2, &error), ==, LD_SYNC_ACCEPTED);
    }
    sync_replica (f, f->replica);
    g_assert_cmpuint (ld_replica_get_n_pending (f->replica), ==, 0);
    g_assert_cmpuint (f->n_refused, ==, 0);
    g_assert_cmpint (ld_store_count_events (f->server, "incident", incident), ==, 2);
  }
}

/* A refused state change leaves the replica as the server has it. */
static void
test_refusal_state_is_restored (Fixture *f, gconstpointer data)
{
  LdStore *local = ld_replica_get_store (f->replica);
  g_autofree char *incident = create_incident (f->replica, "water leak");
  g_autofree char *order = dispatch (f->replica, incident, "MKT");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  LdUser leader = { (char *) "l1", NULL, (char *) "leader", NULL, NULL, 0 };
  g_autoptr(JsonArray) results = NULL;
  g_autoptr(GError) error = NULL;

  sync_replica (f, f->replica);
  before = record_text (local, "order", order);
  act (f->replica, "order", order, "sign");
  results = push (f->server, f->replica, &leader);
  g_assert_true (ld_replica_settle (f->replica, results, &error));
  after = record_text (local, "order", order);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (f->n_refused, ==, 1);
}

/* A unit's replica hears of an incident only when an order makes it the
 * unit's: the order's page brings the incident along. */
static void
test_unit_gets_incident_with_order (Fixture *f, gconstpointer data)
{
  LdUser unit = { (char *) "u1", NULL, (char *) "unit", (char *) "MKT", NULL, 0 };
  LdUser dispatcher = f->user;
  g_autoptr(LdReplica) unit_replica = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *incident = create_incident (f->replica, "stall on the pavement");
  g_autofree char *order = NULL;
  g_autoptr(LdOrder) seen = NULL;

  sync_replica (f, f->replica);
  f->user = unit;
  unit_replica = new_replica (f, "unit.db");
  f->user = dispatcher;
  /* The unit pulls past the incident's creation, which is not its own. */
  {
    g_autoptr(JsonNode) page = ld_sync_changes (f->server, 0, 100, &unit, &error);
    g_assert_true (ld_replica_merge (unit_replica, json_node_get_object (page), NULL, &error));
    g_assert_no_error (error);
  }
  order = dispatch (f->replica, incident, "MKT");
  sync_replica (f, f->replica);
  {
    g_autoptr(JsonNode) page = ld_sync_changes (f->server, ld_replica_get_last_seq (unit_replica), 100, &unit, &error);
    g_assert_true (ld_replica_merge (unit_replica, json_node_get_object (page), NULL, &error));
    g_assert_no_error (error);
  }
  seen = ld_store_get_order (ld_replica_get_store (unit_replica), order, NULL);
  g_assert_nonnull (seen);
  assert_same_record (ld_replica_get_store (unit_replica), f->server, "incident", incident);
}

/* A record this desk cannot read (@data: the time it carries) is left out
 * and said so; the good records around it land and the pull goes on past
 * it, instead of asking for the same page forever. */
static void
test_unreadable_record_skipped (Fixture *f, gconstpointer data)
{
  LdStore *local = ld_replica_get_store (f->replica);
  g_autoptr(LdReplica) other = new_replica (f, "b.db");
  g_autofree char *first = create_incident (other, "first");
  g_autofree char *bad = create_incident (other, "unreadable");
  g_autofree char *last = create_incident (other, "last");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(LdIncident) skipped = NULL;
  g_autofree char *pattern = g_strdup_printf ("incident %s from the server cannot be read*", bad);
  JsonArray *changes;
  guint n_skipped = 0, n_bad = 0;

  sync_replica (f, other);
  page = ld_sync_changes (f->server, ld_replica_get_last_seq (f->replica), 100, &f->user, &error);
  g_assert_no_error (error);
  changes = json_object_get_array_member (json_node_get_object (page), "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);

      if (g_str_equal (json_object_get_string_member (change, "id"), bad))
        {
          json_object_set_string_member (json_object_get_object_member (change, "record"), "received_at", data);
          n_bad++;
        }
    }
  g_assert_cmpuint (n_bad, ==, 1);

  g_test_expect_message ("liandong-core", G_LOG_LEVEL_WARNING, pattern);
  g_assert_true (ld_replica_merge (f->replica, json_node_get_object (page), &n_skipped, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpuint (n_skipped, ==, 1);
  g_assert_cmpint (ld_replica_get_last_seq (f->replica), ==, ld_store_get_sequence (f->server));
  assert_same_record (local, f->server, "incident", first);
  assert_same_record (local, f->server, "incident", last);
  skipped = ld_store_get_incident (local, bad, NULL);
  g_assert_null (skipped);
}

/* A replica ahead of the server (the server's store was replaced) is told
 * to start again from a snapshot. */
static void
test_ahead_of_server (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 seq = ld_store_get_sequence (f->server);
  g_autoptr(JsonNode) page = ld_sync_changes (f->server, seq + 100, 10, &f->user, &error);
  g_autoptr(JsonNode) current = ld_sync_changes (f->server, seq, 10, &f->user, &error);

  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (page), "snapshot_required"));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (page), "last_seq"), ==, seq);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (current), "snapshot_required"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/replica/submit-push-pull", test_submit_push_pull);
  ADD ("/replica/refused-create-is-undone", test_refused_create_is_undone);
  ADD ("/replica/refused-state-is-restored", test_refusal_state_is_restored);
  ADD ("/replica/conflict-converges", test_conflict_converges);
  ADD ("/replica/pull-rebases-pending", test_pull_rebases_pending);
  ADD ("/replica/outbox-survives-restart", test_outbox_survives_restart);
  ADD ("/replica/ahead-of-server", test_ahead_of_server);
  g_test_add ("/replica/unreadable-record-skipped/far-future", Fixture, "9999-12-31T23:59:59Z", fixture_set_up,
              test_unreadable_record_skipped, fixture_tear_down);
  g_test_add ("/replica/unreadable-record-skipped/not-a-time", Fixture, "yesterday at noon", fixture_set_up,
              test_unreadable_record_skipped, fixture_tear_down);
  ADD ("/replica/unit-gets-incident-with-order", test_unit_gets_incident_with_order);
#undef ADD

  return g_test_run ();
}
