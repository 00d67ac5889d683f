/* test-client.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <signal.h>

#include "ld-account.h"
#include "ld-incident-model.h"
#include "ld-sync.h"
#include "ld-sync-engine.h"
#include "ld-test-city.h"
#include "ld-test-server.h"
#include "ld-test-util.h"

/* Every test runs the real server binary on loopback and real engines
 * against it; "pulling the cable" stops the server. */
typedef struct {
  char        *dir;
  char        *db;
  char        *base;
  char        *listen;
  GSubprocess *server;
  SoupSession *session;
} Fixture;

typedef struct {
  LdAccount    *account;
  LdSyncEngine *engine;
  GPtrArray    *refusals;   /* reasons */
} Client;

static void
start_server (Fixture *f)
{
  g_free (f->base);
  f->server = ld_test_server_spawn (f->db, f->listen ? f->listen : "127.0.0.1:0", &f->base);
  if (f->listen == NULL)
    f->listen = g_strdup (f->base + strlen ("http://"));
}

static void
stop_server (Fixture *f, gboolean kill)
{
  g_autoptr(GError) error = NULL;

  if (kill)
    g_subprocess_force_exit (f->server);
  else
    g_subprocess_send_signal (f->server, SIGTERM);
  g_assert_true (g_subprocess_wait (f->server, NULL, &error));
  g_clear_object (&f->server);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(LdStore) city = NULL;

  f->dir = ld_test_make_tmp ("ld-client-XXXXXX");
  f->db = g_build_filename (f->dir, "server.db", NULL);
  city = ld_test_city_new (f->db);
  g_clear_object (&city);
  ld_test_server_add_user (f->db, "d1", "dispatcher");
  ld_test_server_add_user (f->db, "d2", "dispatcher");
  ld_test_server_add_user (f->db, "i1", "inspector");
  ld_test_server_add_user (f->db, "i2", "inspector");
  start_server (f);
  f->session = soup_session_new ();
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  if (f->server)
    stop_server (f, FALSE);
  g_clear_object (&f->session);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->base);
  g_free (f->listen);
}

static void
client_free (Client *c)
{
  ld_sync_engine_stop (c->engine);
  g_clear_object (&c->engine);
  g_clear_object (&c->account);
  g_ptr_array_unref (c->refusals);
  g_free (c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

static void
on_refused (LdSyncEngine *engine, JsonObject *op, const char *code, const char *reason, Client *c)
{
  g_assert_cmpstr (code, ==, "conflict");
  g_ptr_array_add (c->refusals, g_strdup (reason));
}

/* Opens @c's replica (from disk when the desktop has one) and starts its engine. */
static void
client_start (Fixture *f, Client *c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) opened = NULL;
  g_autoptr(LdReplica) replica = NULL;

  ld_account_open_replica_async (c->account, f->session, NULL, ld_test_on_result, &opened);
  replica = ld_account_open_replica_finish (c->account, ld_test_wait_result (&opened), &error);
  g_assert_no_error (error);
  c->engine = ld_sync_engine_new (f->session, c->account, replica);
  ld_sync_engine_set_min_backoff (c->engine, 20);
  g_signal_connect (c->engine, "refused", G_CALLBACK (on_refused), c);
  ld_sync_engine_start (c->engine);
}

static Client *
client_new (Fixture *f, const char *name)
{
  Client *c = g_new0 (Client, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) login = NULL;
  g_autofree char *base_dir = g_build_filename (f->dir, "desktop", NULL);

  c->refusals = g_ptr_array_new_with_free_func (g_free);
  ld_account_login_async (f->session, base_dir, f->base, name, "a-long-password", NULL, ld_test_on_result, &login);
  c->account = ld_account_login_finish (ld_test_wait_result (&login), &error);
  g_assert_no_error (error);
  client_start (f, c);
  return c;
}

/* The desktop started again, with no server to sign in to: the session
 * and the replica come from disk. */
static Client *
client_reopen (Fixture *f, const char *name)
{
  Client *c = g_new0 (Client, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) unlocked = NULL;
  g_autofree char *base_dir = g_build_filename (f->dir, "desktop", NULL);

  c->refusals = g_ptr_array_new_with_free_func (g_free);
  c->account = ld_account_load (base_dir, f->base, name, &error);
  g_assert_no_error (error);
  ld_account_unlock_async (c->account, NULL, ld_test_on_result, &unlocked);
  g_assert_true (ld_account_unlock_finish (c->account, ld_test_wait_result (&unlocked), &error));
  g_assert_no_error (error);
  client_start (f, c);
  return c;
}

static gboolean
is_settled (gpointer data)
{
  Client *c = data;
  return ld_sync_engine_get_state (c->engine) == LD_SYNC_STATE_ONLINE &&
         ld_sync_engine_is_idle (c->engine) && ld_sync_engine_get_n_pending (c->engine) == 0;
}

static gboolean
is_offline (gpointer data)
{
  Client *c = data;
  return ld_sync_engine_get_state (c->engine) == LD_SYNC_STATE_OFFLINE;
}

static LdStore *
client_store (Client *c)
{
  return ld_sync_engine_get_store (c->engine);
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

static void
submit (Client *c, JsonObject *op)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ld_sync_engine_submit (c->engine, op, &error));
  g_assert_no_error (error);
  json_object_unref (op);
}

static char *
create_incident (Client *c, guint n)
{
  char *id = ld_id_new (ld_time_now ());
  JsonObject *op = operation ("incident", id, "create");
  JsonObject *fields = json_object_get_object_member (op, "fields");
  g_autofree char *summary = g_strdup_printf ("incident %u", n);

  json_object_set_string_member (fields, "source", "110");
  json_object_set_string_member (fields, "kind", "linkage");
  json_object_set_string_member (fields, "category", "noise");
  json_object_set_string_member (fields, "region_code", "A");
  json_object_set_string_member (fields, "summary", summary);
  submit (c, op);
  return id;
}

static char *
dispatch (Client *c, const char *incident_id)
{
  char *id = ld_id_new (ld_time_now ());
  JsonObject *op = operation ("order", id, "dispatch");
  JsonObject *fields = json_object_get_object_member (op, "fields");

  json_object_set_string_member (fields, "incident_id", incident_id);
  json_object_set_string_member (fields, "unit_code", "MKT");
  submit (c, op);
  return id;
}

static char *
record_text (LdStore *store, const char *entity, const char *id)
{
  g_autoptr(JsonNode) record = ld_sync_get_record (store, entity, id);
  return record ? json_to_string (record, FALSE) : NULL;
}

typedef struct {
  Client     *a;
  Client     *b;
  GPtrArray  *records;   /* "entity:id" */
} Same;

static gboolean
are_same (gpointer data)
{
  Same *s = data;

  if (!is_settled (s->a) || !is_settled (s->b))
    return FALSE;
  for (guint i = 0; i < s->records->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (s->records, i), ":", 2);
      g_autofree char *ra = record_text (client_store (s->a), parts[0], parts[1]);
      g_autofree char *rb = record_text (client_store (s->b), parts[0], parts[1]);

      if (ra == NULL || g_strcmp0 (ra, rb) != 0)
        return FALSE;
    }
  return TRUE;
}

/* The server's own file, read after it stopped: every record exactly once. */
static void
assert_server_has_once (Fixture *f, GPtrArray *records)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdStore) store = ld_store_open (f->db, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < records->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (records, i), ":", 2);
      g_autofree char *record = record_text (store, parts[0], parts[1]);

      g_assert_nonnull (record);
      if (g_str_equal (parts[0], "incident"))
        g_assert_cmpint (ld_store_count_events (store, "incident", parts[1]), ==, 1);
    }
}

static void
test_offline_edits_converge (Fixture *f, gconstpointer data)
{
  g_autoptr(Client) a = client_new (f, "d1");
  g_autoptr(Client) b = client_new (f, "d2");
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(LdIncidentModel) board = NULL;
  Same same = { a, b, records };

  ld_test_wait_until (is_settled, a, "the first client online");
  ld_test_wait_until (is_settled, b, "the second client online");
  board = ld_incident_model_new (a->engine, G_GINT64_CONSTANT (24) * 3600 * 1000000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (board)), ==, 0);

  stop_server (f, FALSE);
  ld_test_wait_until (is_offline, a, "the first client to notice");
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *incident = create_incident (a, i);
      g_autofree char *order = dispatch (a, incident);

      g_ptr_array_add (records, g_strconcat ("incident:", incident, NULL));
      g_ptr_array_add (records, g_strconcat ("order:", order, NULL));
    }
  /* Offline, the work shows at once and waits on disk. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (board)), ==, 10);
  g_assert_cmpuint (ld_sync_engine_get_n_pending (a->engine), ==, 20);

  start_server (f);
  ld_test_wait_until (are_same, &same, "both clients to converge");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (board)), ==, 10);
  stop_server (f, FALSE);
  assert_server_has_once (f, records);
}

static gboolean
first_push_taken (gpointer data)
{
  Client *c = data;
  return ld_sync_engine_get_n_pending (c->engine) < 1200 && !ld_sync_engine_is_idle (c->engine);
}

/* kill -9 while the outbox drains: after the restart every operation is
 * there exactly once. */
static void
test_kill_during_push (Fixture *f, gconstpointer data)
{
  g_autoptr(Client) a = client_new (f, "d1");
  g_autoptr(Client) b = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_free);
  Same same = { a, NULL, records };

  ld_test_wait_until (is_settled, a, "the client online");
  for (guint i = 0; i < 1200; i++)
    {
      g_autofree char *incident = create_incident (a, i);
      g_ptr_array_add (records, g_strconcat ("incident:", incident, NULL));
    }
  /* The first batch is taken and the second on its way. */
  ld_test_wait_until (first_push_taken, a, "the first push");
  stop_server (f, TRUE);
  ld_test_wait_until (is_offline, a, "the client to notice the crash");
  g_assert_cmpuint (ld_sync_engine_get_n_pending (a->engine), >, 0);

  start_server (f);
  b = client_new (f, "d2");
  same.b = b;
  ld_test_wait_until (are_same, &same, "the outbox to drain");
  stop_server (f, FALSE);
  assert_server_has_once (f, records);
}

static gboolean
has_refusal (gpointer data)
{
  Client **clients = data;
  return clients[0]->refusals->len + clients[1]->refusals->len > 0;
}

/* Two dispatchers sign the same order offline: the server's order decides,
 * the loser is told why, and both end with the same records. */
static void
test_two_clients_converge (Fixture *f, gconstpointer data)
{
  g_autoptr(Client) a = client_new (f, "d1");
  g_autoptr(Client) b = client_new (f, "d2");
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *incident = NULL;
  g_autofree char *order = NULL;
  g_autoptr(LdOrder) result = NULL;
  Same same = { a, b, records };
  Client *both[] = { a, b };

  ld_test_wait_until (is_settled, a, "the first client online");
  incident = create_incident (a, 1);
  order = dispatch (a, incident);
  g_ptr_array_add (records, g_strconcat ("incident:", incident, NULL));
  g_ptr_array_add (records, g_strconcat ("order:", order, NULL));
  ld_test_wait_until (are_same, &same, "the order to reach the second client");

  stop_server (f, FALSE);
  ld_test_wait_until (is_offline, a, "the first client offline");
  ld_test_wait_until (is_offline, b, "the second client offline");
  submit (a, operation ("order", order, "sign"));
  submit (b, operation ("order", order, "sign"));
  submit (b, operation ("order", order, "arrive"));

  start_server (f);
  ld_test_wait_until (are_same, &same, "both clients to converge");
  ld_test_wait_until (has_refusal, both, "the refusal");
  g_assert_cmpuint (a->refusals->len + b->refusals->len, ==, 1);
  result = ld_store_get_order (client_store (a), order, NULL);
  g_assert_cmpstr (result->state, ==, "arrived");
}

static void
on_state (LdSyncEngine *engine, GParamSpec *pspec, guint *n_offline)
{
  if (ld_sync_engine_get_state (engine) == LD_SYNC_STATE_OFFLINE)
    (*n_offline)++;
}

static void
on_last_error (LdSyncEngine *engine, GParamSpec *pspec, guint *n_slowed)
{
  const char *error = ld_sync_engine_get_last_error (engine);

  if (error && strstr (error, "Too many requests"))
    (*n_slowed)++;
}

/* Many desks behind one address meet the server's rate limit: a desk told
 * to slow down keeps its link and its live feed, waits, and gets every
 * change through. */
static void
test_slowed_down (Fixture *f, gconstpointer data)
{
  /* One request a second in bursts of four: the sign-in, the copy, the
   * feed and the first pull use the burst, and each change after them
   * (a push and a pull) outruns the refill however slow the machine. */
  const char * const slow[] = { "--requests-per-second", "1", NULL };
  g_autoptr(Client) c = NULL;
  guint n_offline = 0, n_slowed = 0;

  stop_server (f, FALSE);
  g_free (f->base);
  f->server = ld_test_server_spawn_full (f->db, f->listen, slow, 0, &f->base);
  c = client_new (f, "d1");
  ld_test_wait_until (is_settled, c, "the client online");
  g_signal_connect (c->engine, "notify::state", G_CALLBACK (on_state), &n_offline);
  g_signal_connect (c->engine, "notify::last-error", G_CALLBACK (on_last_error), &n_slowed);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *id = create_incident (c, i);
      ld_test_wait_until (is_settled, c, "the incident sent");
    }
  g_assert_cmpuint (n_slowed, >, 0);
  g_assert_cmpuint (n_offline, ==, 0);
  g_assert_cmpuint (c->refusals->len, ==, 0);
}

static gboolean
order_gone (gpointer data)
{
  Client *c = ((gpointer *) data)[0];
  const char *order = ((gpointer *) data)[1];
  g_autoptr(LdOrder) o = ld_store_get_order (client_store (c), order, NULL);
  return o == NULL && is_settled (c);
}

/* An order dispatched offline onto an incident that another desktop
 * diverted meanwhile: the server refuses it, and the order disappears. */
static void
test_refused_is_undone (Fixture *f, gconstpointer data)
{
  g_autoptr(Client) a = client_new (f, "d1");
  g_autoptr(Client) b = client_new (f, "d2");
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(LdIncidentModel) board = NULL;
  g_autofree char *incident = NULL;
  g_autofree char *order = NULL;
  g_autoptr(LdIncident) seen = NULL;
  JsonObject *divert;
  LdIncidentItem *item;
  Same same = { a, b, records };
  gpointer gone[2];

  ld_test_wait_until (is_settled, a, "the first client online");
  incident = create_incident (a, 1);
  g_ptr_array_add (records, g_strconcat ("incident:", incident, NULL));
  ld_test_wait_until (are_same, &same, "the incident to reach the second client");
  board = ld_incident_model_new (a->engine, G_GINT64_CONSTANT (24) * 3600 * 1000000);

  ld_sync_engine_stop (a->engine);
  divert = operation ("incident", incident, "divert");
  json_object_set_string_member (json_object_get_object_member (divert, "fields"), "platform", "12345");
  submit (b, divert);
  ld_test_wait_until (is_settled, b, "the diversion taken");

  order = dispatch (a, incident);
  item = ld_incident_model_lookup (board, incident, NULL);
  g_assert_cmpuint (ld_incident_item_get_n_orders (item), ==, 1);
  ld_sync_engine_start (a->engine);
  gone[0] = a;
  gone[1] = order;
  ld_test_wait_until (order_gone, gone, "the refused order undone");
  g_assert_cmpuint (a->refusals->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (a->refusals, 0), !=, "");
  seen = ld_store_get_incident (client_store (a), incident, NULL);
  g_assert_cmpstr (seen->state, ==, "diverted");
  /* The board's row followed both the undo and the pull. */
  g_assert_cmpuint (ld_incident_item_get_n_orders (item), ==, 0);
  g_assert_cmpuint (ld_sync_engine_get_n_pending (a->engine), ==, 0);
}

/* A session the server no longer knows: the engine says so and stops
 * retrying, and keeps the outbox. */
static gboolean
is_signed_out (gpointer data)
{
  Client *c = data;
  return ld_sync_engine_get_state (c->engine) == LD_SYNC_STATE_SIGNED_OUT;
}

static void
test_signed_out (Fixture *f, gconstpointer data)
{
  g_autoptr(Client) a = client_new (f, "d1");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) del = NULL;
  g_autofree char *incident = NULL;

  ld_test_wait_until (is_settled, a, "the client online");
  ld_sync_engine_stop (a->engine);
  del = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, g_getenv ("LIANDONG_SERVER"),
                          "user", "del", "--db", f->db, "d1", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (del, NULL, &error));
  g_assert_no_error (error);
  incident = create_incident (a, 1);
  ld_sync_engine_start (a->engine);
  ld_test_wait_until (is_signed_out, a, "the engine to notice");
  g_assert_cmpuint (ld_sync_engine_get_n_pending (a->engine), ==, 1);
  g_assert_nonnull (ld_sync_engine_get_last_error (a->engine));
}

/* Without a keyring (as here) the session is kept in a file only the
 * user can read, and a later start finds it. */
static void
test_session_kept_privately (Fixture *f, gconstpointer data)
{
  g_autoptr(Client) a = client_new (f, "d1");
  g_autofree char *base_dir = g_build_filename (f->dir, "desktop", NULL);
  g_autofree char *path = g_build_filename (ld_account_get_dir (a->account), "session.json", NULL);
  g_autoptr(LdAccount) again = NULL;
  g_autoptr(GAsyncResult) unlocked = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  again = ld_account_load (base_dir, f->base, "d1", &error);
  g_assert_no_error (error);
  ld_account_unlock_async (again, NULL, ld_test_on_result, &unlocked);
  g_assert_true (ld_account_unlock_finish (again, ld_test_wait_result (&unlocked), &error));
  g_assert_cmpstr (ld_account_get_token (again), ==, ld_account_get_token (a->account));
  g_assert_cmpstr (ld_account_get_user (again)->role, ==, "dispatcher");

  /* Signing out forgets the token, not the replica. */
  g_assert_true (ld_account_sign_out (again, &error));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (ld_account_has_replica (again));
  g_clear_object (&again);
  again = ld_account_load (base_dir, f->base, "d1", &error);
  g_assert_null (again);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

typedef struct {
  Client     *client;
  const char *id;
} Has;

static gboolean
has_incident (gpointer data)
{
  Has *h = data;
  g_autoptr(LdIncident) incident = ld_store_get_incident (client_store (h->client), h->id, NULL);
  return incident != NULL && is_settled (h->client);
}

/* The server's store is replaced (restored from an older backup, say):
 * the desktop takes a fresh copy and keeps its own pending work. */
static void
test_server_replaced (Fixture *f, gconstpointer data)
{
  g_autoptr(Client) a = client_new (f, "d1");
  g_autoptr(Client) b = NULL;
  g_autofree char *early = NULL;
  g_autofree char *offline = NULL;
  g_autofree char *backup = g_build_filename (f->dir, "backup.db", NULL);
  g_autoptr(LdReplica) before = NULL;
  g_autoptr(GFile) source = g_file_new_for_path (f->db);
  g_autoptr(GFile) copy = g_file_new_for_path (backup);
  Has has;

  ld_test_wait_until (is_settled, a, "the client online");
  /* The backup holds the users and nothing of what follows. */
  stop_server (f, FALSE);
  g_assert_true (g_file_copy (source, copy, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, NULL));
  start_server (f);
  ld_test_wait_until (is_settled, a, "the client back online");
  for (guint i = 0; i < 3; i++)
    g_free (create_incident (a, i));
  early = create_incident (a, 3);
  ld_test_wait_until (is_settled, a, "the incidents taken");

  stop_server (f, FALSE);
  ld_test_wait_until (is_offline, a, "the client offline");
  offline = create_incident (a, 4);
  g_assert_true (g_rename (backup, f->db) == 0);
  start_server (f);

  before = g_object_ref (ld_sync_engine_get_replica (a->engine));
  has.client = a;
  has.id = offline;
  ld_test_wait_until (has_incident, &has, "the pending incident on the fresh copy");
  g_assert_true (ld_sync_engine_get_replica (a->engine) != before);
  /* What the server lost is gone here too; what waited here was sent. */
  g_assert_null (ld_store_get_incident (client_store (a), early, NULL));
  b = client_new (f, "d2");
  has.client = b;
  ld_test_wait_until (has_incident, &has, "the pending incident on the server");
}

#define MIN_US (G_GINT64_CONSTANT (60) * 1000000)

/* A drill of MKT and POL planned on @c, its alarm raised at @alarm. */
static char *
plan_drill (Client *c, gint64 alarm)
{
  char *id = ld_id_new (ld_time_now ());
  JsonObject *op = operation ("drill", id, "plan");
  JsonObject *fields = json_object_get_object_member (op, "fields");
  JsonArray *units = json_array_new ();
  g_autofree char *alarm_text = ld_time_format_iso (alarm, ld_store_get_time_zone (client_store (c)));

  for (guint i = 0; i < 2; i++)
    {
      JsonObject *unit = json_object_new ();
      json_object_set_string_member (unit, "unit_code", i == 0 ? "MKT" : "POL");
      json_array_add_object_element (units, unit);
    }
  json_object_set_string_member (fields, "region_code", "A");
  json_object_set_string_member (fields, "location", "丽岙街道丽南隧道");
  json_object_set_string_member (fields, "scenario", "模拟油罐车发生交通事故");
  json_object_set_string_member (fields, "held_at", alarm_text);
  json_object_set_array_member (fields, "units", units);
  submit (c, op);
  op = operation ("drill", id, "alarm");
  json_object_set_string_member (op, "at", alarm_text);
  submit (c, op);
  return id;
}

static void
log_arrival (Client *c, const char *drill_id, const char *unit, gint64 at)
{
  JsonObject *op = operation ("drill_unit", drill_id, "arrive");
  g_autofree char *at_text = ld_time_format_iso (at, ld_store_get_time_zone (client_store (c)));

  json_object_set_string_member (op, "at", at_text);
  json_object_set_string_member (json_object_get_object_member (op, "fields"), "unit_code", unit);
  submit (c, op);
}

static gint64
arrived_at (LdStore *store, const char *drill_id, const char *unit)
{
  g_autoptr(GPtrArray) units = ld_store_list_drill_units (store, drill_id, NULL);

  for (guint i = 0; units && i < units->len; i++)
    {
      LdDrillUnit *du = g_ptr_array_index (units, i);
      if (g_str_equal (du->unit_code, unit))
        return du->arrived_at;
    }
  g_assert_not_reached ();
}

/* An inspector logs a whole drill with the server down, closes the
 * desktop and starts it again still offline: the work and the outbox are
 * on disk, and reach the server and another inspector when it returns. */
static void
test_drill_logged_offline (Fixture *f, gconstpointer data)
{
  g_autoptr(Client) a = client_new (f, "i1");
  g_autoptr(Client) b = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(LdStore) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *drill_id = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  gint64 alarm = (ld_time_now () - 30 * MIN_US) / 1000000 * 1000000;
  JsonObject *note;
  Same same = { NULL, NULL, records };

  ld_test_wait_until (is_settled, a, "the inspector online");
  stop_server (f, FALSE);
  ld_test_wait_until (is_offline, a, "the inspector offline");

  drill_id = plan_drill (a, alarm);
  log_arrival (a, drill_id, "MKT", alarm + 18 * MIN_US + 25 * 1000000);
  log_arrival (a, drill_id, "POL", alarm + 27 * MIN_US + 30 * 1000000);
  note = operation ("drill_unit", drill_id, "note");
  json_object_set_string_member (json_object_get_object_member (note, "fields"), "unit_code", "POL");
  json_object_set_string_member (json_object_get_object_member (note, "fields"), "text", "迟到，路线不熟");
  submit (a, note);
  g_assert_cmpuint (ld_sync_engine_get_n_pending (a->engine), ==, 5);
  before = record_text (client_store (a), "drill", drill_id);
  g_assert_nonnull (before);

  g_clear_pointer (&a, client_free);
  a = client_reopen (f, "i1");
  g_assert_cmpuint (ld_sync_engine_get_n_pending (a->engine), ==, 5);
  after = record_text (client_store (a), "drill", drill_id);
  g_assert_cmpstr (after, ==, before);

  start_server (f);
  b = client_new (f, "i2");
  same.a = a;
  same.b = b;
  g_ptr_array_add (records, g_strconcat ("drill:", drill_id, NULL));
  ld_test_wait_until (are_same, &same, "the drill on the server and the other laptop");
  g_assert_cmpuint (a->refusals->len, ==, 0);
  stop_server (f, FALSE);

  server = ld_store_open (f->db, &error);
  g_assert_no_error (error);
  g_assert_cmpint (arrived_at (server, drill_id, "MKT"), ==, alarm + 18 * MIN_US + 25 * 1000000);
  g_assert_cmpint (arrived_at (server, drill_id, "POL"), ==, alarm + 27 * MIN_US + 30 * 1000000);
  notes = ld_store_list_drill_notes (server, drill_id, NULL);
  g_assert_cmpuint (notes->len, ==, 1);
  g_assert_cmpstr (((LdDrillNote *) g_ptr_array_index (notes, 0))->author, ==, "i1");
}

typedef struct {
  Client     *client;
  const char *drill_id;
  guint       n;
} HasPhotos;

/* Reading the photos back is heavy: asked at most five times a second, so
 * that the main loop the engine runs on keeps moving. */
static gboolean
has_photos (gpointer data)
{
  HasPhotos *h = data;
  static gint64 last_asked;
  g_autoptr(GPtrArray) photos = NULL;

  if (ld_sync_engine_get_n_pending (h->client->engine) > 0 || g_get_monotonic_time () - last_asked < 200000)
    return FALSE;
  last_asked = g_get_monotonic_time ();
  photos = ld_store_list_drill_photos (client_store (h->client), h->drill_id, NULL);
  return photos && photos->len == h->n;
}

/* Photos taken offline add up past what the server reads in one request
 * (8 MB): they go in several, and come to the other laptop over several
 * pages, none lost. */
static void
test_drill_photos_offline (Fixture *f, gconstpointer data)
{
  g_autoptr(Client) a = client_new (f, "i1");
  g_autoptr(Client) b = NULL;
  g_autofree char *drill_id = NULL;
  gint64 alarm = (ld_time_now () - 30 * MIN_US) / 1000000 * 1000000;
  const guint n_photos = 5;
  const gsize size = 1900 * 1024;
  HasPhotos has;

  ld_test_wait_until (is_settled, a, "the inspector online");
  drill_id = plan_drill (a, alarm);
  ld_test_wait_until (is_settled, a, "the drill sent");
  stop_server (f, FALSE);
  ld_test_wait_until (is_offline, a, "the inspector offline");

  for (guint i = 0; i < n_photos; i++)
    {
      g_autofree char *id = ld_id_new (ld_time_now ());
      JsonObject *op = operation ("drill_photo", id, "add");
      JsonObject *fields = json_object_get_object_member (op, "fields");
      g_autofree guchar *bytes = g_malloc (size);
      g_autofree char *base64 = NULL;

      for (gsize j = 0; j < size; j++)
        bytes[j] = (guchar) g_random_int ();
      memcpy (bytes, "\xff\xd8\xff", 3);
      base64 = g_base64_encode (bytes, size);
      json_object_set_string_member (fields, "drill_id", drill_id);
      json_object_set_string_member (fields, "mime", "image/jpeg");
      json_object_set_string_member (fields, "data", base64);
      submit (a, op);
    }
  g_assert_cmpuint (ld_sync_engine_get_n_pending (a->engine), ==, n_photos);

  start_server (f);
  has.client = a;
  has.drill_id = drill_id;
  has.n = n_photos;
  ld_test_wait_until (has_photos, &has, "the photos sent");
  g_assert_cmpuint (a->refusals->len, ==, 0);
  b = client_new (f, "i2");
  has.client = b;
  ld_test_wait_until (has_photos, &has, "the photos on the other laptop");
}

/* Two inspectors log the same unit offline: nothing is refused, both
 * laptops end with the earlier time, and the later one is in the server's
 * audit trail. */
static void
test_drill_two_inspectors (Fixture *f, gconstpointer data)
{
  g_autoptr(Client) a = client_new (f, "i1");
  g_autoptr(Client) b = client_new (f, "i2");
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(LdStore) server = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *drill_id = NULL;
  g_autofree char *later_text = NULL;
  gint64 alarm = (ld_time_now () - 30 * MIN_US) / 1000000 * 1000000;
  gint64 earlier = alarm + 18 * MIN_US + 25 * 1000000;
  gint64 later = alarm + 18 * MIN_US + 40 * 1000000;
  LdEventFilter filter = { 0, };
  gboolean later_kept = FALSE;
  Same same = { a, b, records };

  ld_test_wait_until (is_settled, a, "the first inspector online");
  drill_id = plan_drill (a, alarm);
  g_ptr_array_add (records, g_strconcat ("drill:", drill_id, NULL));
  ld_test_wait_until (are_same, &same, "the drill on the second laptop");

  stop_server (f, FALSE);
  ld_test_wait_until (is_offline, a, "the first inspector offline");
  ld_test_wait_until (is_offline, b, "the second inspector offline");
  log_arrival (a, drill_id, "MKT", later);
  log_arrival (b, drill_id, "MKT", earlier);

  start_server (f);
  ld_test_wait_until (are_same, &same, "both laptops to converge");
  g_assert_cmpuint (a->refusals->len + b->refusals->len, ==, 0);
  g_assert_cmpint (arrived_at (client_store (a), drill_id, "MKT"), ==, earlier);
  stop_server (f, FALSE);

  server = ld_store_open (f->db, &error);
  g_assert_no_error (error);
  g_assert_cmpint (arrived_at (server, drill_id, "MKT"), ==, earlier);
  later_text = ld_time_format_iso (later, ld_store_get_time_zone (server));
  events = ld_store_list_events (server, &filter, &error);
  for (guint i = 0; i < events->len; i++)
    {
      LdEvent *e = g_ptr_array_index (events, i);
      if (g_str_equal (e->entity, "drill") && e->data && strstr (e->data, later_text))
        later_kept = TRUE;
    }
  g_assert_true (later_kept);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/client/offline-edits-converge", test_offline_edits_converge);
  ADD ("/client/kill-9-during-push", test_kill_during_push);
  ADD ("/client/two-clients-converge", test_two_clients_converge);
  ADD ("/client/slowed-down-keeps-the-link", test_slowed_down);
  ADD ("/client/refused-is-undone", test_refused_is_undone);
  ADD ("/client/signed-out", test_signed_out);
  ADD ("/client/server-replaced", test_server_replaced);
  ADD ("/client/session-kept-privately", test_session_kept_privately);
  ADD ("/client/drill-logged-offline", test_drill_logged_offline);
  ADD ("/client/drill-two-inspectors", test_drill_two_inspectors);
  ADD ("/client/drill-photos-offline", test_drill_photos_offline);
#undef ADD

  return g_test_run ();
}
