/* test-server.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The central server's API on 127.0.0.1, in process and as a subprocess.
 */

#include "config.h"

#include <glib/gstdio.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <math.h>

#include "ld-auth.h"
#include "ld-report.h"
#include "ld-server.h"
#include "ld-test-city.h"
#include "ld-test-server.h"
#include "ld-test-util.h"

static const char *roles[] = { "admin", "dispatcher", "inspector", "leader", "unit" };

typedef struct {
  char        *dir;
  LdStore     *store;
  LdServer    *server;
  SoupSession *session;
  char        *base;
  char        *tokens[G_N_ELEMENTS (roles)];
} Fixture;

typedef struct {
  guint  status;
  char  *body;
} Reply;

static void
reply_clear (Reply *r)
{
  g_clear_pointer (&r->body, g_free);
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer data)
{
  GBytes **bytes = data;
  g_autoptr(GError) error = NULL;
  *bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

/* The server runs in this thread's main context, so the client must not
 * block it: send asynchronously and iterate until the answer is in. */
static Reply
request (Fixture *f, const char *method, const char *path, const char *token, const char *body)
{
  g_autofree char *uri = g_strconcat (f->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  GBytes *bytes = NULL;
  Reply reply;

  if (token)
    {
      g_autofree char *header = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
    }
  if (body)
    {
      g_autoptr(GBytes) data = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", data);
    }
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, on_sent, &bytes);
  while (bytes == NULL)
    g_main_context_iteration (NULL, TRUE);
  reply.status = soup_message_get_status (msg);
  reply.body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_bytes_unref (bytes);
  return reply;
}

static char *
login (Fixture *f, const char *user, const char *password)
{
  g_autofree char *body = g_strdup_printf ("{\"user\":\"%s\",\"password\":\"%s\",\"device\":\"test\"}", user, password);
  Reply r = request (f, "POST", "/api/v1/login", NULL, body);
  g_autoptr(JsonNode) root = NULL;
  char *token;

  g_assert_cmpuint (r.status, ==, 200);
  root = json_from_string (r.body, NULL);
  token = g_strdup (json_object_get_string_member (json_node_get_object (root), "token"));
  reply_clear (&r);
  return token;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_autofree char *hash = NULL;

  g_assert_true (ld_auth_init (&error));
  /* One hash for all: argon2id is slow by design. */
  hash = ld_auth_hash_password ("password-of-a-tester", &error);
  /* A store in a file, as a server has: a report is made on a second
   * connection to it, in a thread. */
  f->dir = ld_test_make_tmp ("ld-server-XXXXXX");
  {
    g_autofree char *path = g_build_filename (f->dir, "server.db", NULL);
    f->store = ld_test_city_new (path);
  }
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      LdUser user = { (char *) roles[i], NULL, (char *) roles[i],
                      g_str_equal (roles[i], "unit") ? "MKT" : NULL, hash, 0 };
      g_assert_true (ld_store_put_user (f->store, &user, &error));
    }
  f->server = ld_server_new (f->store);
  g_assert_true (ld_server_listen (f->server, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  f->base = g_strdup_printf ("http://127.0.0.1:%u", ld_server_get_port (f->server));
  f->session = soup_session_new ();
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    f->tokens[i] = login (f, roles[i], "password-of-a-tester");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    g_free (f->tokens[i]);
  /* Hang up first and let the server see it, as real clients do. */
  g_clear_object (&f->session);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->server);
  g_clear_object (&f->store);
  g_free (f->base);
  {
    g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name (dir)))
      {
        g_autofree char *path = g_build_filename (f->dir, name, NULL);
        g_unlink (path);
      }
    g_rmdir (f->dir);
    g_free (f->dir);
  }
}

static void
assert_error (Reply *r, guint status, const char *code)
{
  g_autoptr(JsonNode) root = json_from_string (r->body, NULL);

  g_assert_cmpuint (r->status, ==, status);
  g_assert_nonnull (root);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "error"), ==, code);
  g_assert_nonnull (json_object_get_string_member (json_node_get_object (root), "message"));
  reply_clear (r);
}

static void
test_roles (Fixture *f, gconstpointer data)
{
  static const struct {
    const char *path;
    const char *allowed;   /* the roles that get 200, the others 403 */
  } matrix[] = {
    { "/api/v1/me", "admin dispatcher inspector leader unit" },
    { "/api/v1/regions", "admin dispatcher inspector leader unit" },
    { "/api/v1/units", "admin dispatcher inspector leader unit" },
    { "/api/v1/categories", "admin dispatcher inspector leader unit" },
    { "/api/v1/reports/month?month=2023-11", "admin dispatcher inspector leader" },
    { "/api/v1/users", "admin" },
    { "/api/v1/audit", "admin" },
  };

  for (guint m = 0; m < G_N_ELEMENTS (matrix); m++)
    {
      Reply anonymous = request (f, "GET", matrix[m].path, NULL, NULL);
      assert_error (&anonymous, 401, "unauthorized");
      for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
        {
          g_auto(GStrv) allowed = g_strsplit (matrix[m].allowed, " ", -1);
          Reply r = request (f, "GET", matrix[m].path, f->tokens[i], NULL);

          if (g_strv_contains ((const char * const *) allowed, roles[i]))
            {
              if (r.status != 200)
                g_error ("%s as %s: %u %s", matrix[m].path, roles[i], r.status, r.body);
              reply_clear (&r);
            }
          else
            assert_error (&r, 403, "forbidden");
        }
    }
}

static void
test_login_logout (Fixture *f, gconstpointer data)
{
  Reply r = request (f, "POST", "/api/v1/login", NULL, "{\"user\":\"admin\",\"password\":\"wrong password\"}");
  assert_error (&r, 401, "bad-credentials");
  r = request (f, "POST", "/api/v1/login", NULL, "{\"user\":\"nobody\",\"password\":\"password-of-a-tester\"}");
  assert_error (&r, 401, "bad-credentials");
  r = request (f, "POST", "/api/v1/login", NULL, "{\"user\":\"admin\"}");
  assert_error (&r, 400, "invalid");

  r = request (f, "GET", "/api/v1/me", f->tokens[0], NULL);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_nonnull (strstr (r.body, "\"role\":\"admin\""));
  reply_clear (&r);

  r = request (f, "POST", "/api/v1/logout", f->tokens[0], NULL);
  g_assert_cmpuint (r.status, ==, 204);
  reply_clear (&r);
  r = request (f, "GET", "/api/v1/me", f->tokens[0], NULL);
  assert_error (&r, 401, "unauthorized");
  r = request (f, "GET", "/api/v1/me", "not-a-token", NULL);
  assert_error (&r, 401, "unauthorized");

  /* A deleted user's sessions end with it. */
  g_assert_true (ld_store_delete_user (f->store, "leader", NULL));
  r = request (f, "GET", "/api/v1/me", f->tokens[3], NULL);
  assert_error (&r, 401, "unauthorized");
}

static void
test_bad_input (Fixture *f, gconstpointer data)
{
  g_autofree char *big = NULL;
  Reply r = request (f, "POST", "/api/v1/login", NULL, "{\"user\": ");
  assert_error (&r, 400, "malformed-json");
  r = request (f, "POST", "/api/v1/login", NULL, "[1, 2]");
  assert_error (&r, 400, "malformed-json");
  r = request (f, "POST", "/api/v1/login", NULL, "");
  assert_error (&r, 400, "malformed-json");
  r = request (f, "POST", "/api/v1/login", NULL, "{\"user\": 7, \"password\": []}");
  assert_error (&r, 400, "invalid");
  r = request (f, "GET", "/api/v1/nothing-here", f->tokens[0], NULL);
  assert_error (&r, 404, "not-found");
  r = request (f, "GET", "/index.html", NULL, NULL);
  assert_error (&r, 404, "not-found");
  r = request (f, "DELETE", "/api/v1/units", f->tokens[0], NULL);
  assert_error (&r, 405, "method-not-allowed");
  r = request (f, "GET", "/api/v1/reports/month?month=November", f->tokens[0], NULL);
  assert_error (&r, 400, "invalid");
  r = request (f, "GET", "/api/v1/reports/month?month=2023-11&format=xml", f->tokens[0], NULL);
  assert_error (&r, 400, "invalid");
  r = request (f, "GET", "/api/v1/reports/month?month=2023-11&region=ZZ", f->tokens[0], NULL);
  assert_error (&r, 404, "not-found");
  /* A live center has no training session to judge; a unit never has. */
  r = request (f, "GET", "/api/v1/training/report", f->tokens[0], NULL);
  assert_error (&r, 404, "not-training");
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    if (g_str_equal (roles[i], "unit"))
      {
        r = request (f, "GET", "/api/v1/training/report", f->tokens[i], NULL);
        assert_error (&r, 403, "forbidden");
      }

  ld_server_set_body_limit (f->server, 1024);
  big = g_strnfill (4096, ' ');
  big[0] = '{';
  big[4094] = '}';
  r = request (f, "POST", "/api/v1/login", NULL, big);
  assert_error (&r, 413, "too-large");
}

static void
test_flood (Fixture *f, gconstpointer data)
{
  guint limited = 0;

  ld_server_set_rate_limit (f->server, 5, 0.01);
  for (guint i = 0; i < 8; i++)
    {
      Reply r = request (f, "GET", "/api/v1/me", f->tokens[0], NULL);
      if (r.status == 429)
        {
          limited++;
          assert_error (&r, 429, "rate-limited");
        }
      else
        reply_clear (&r);
    }
  g_assert_cmpuint (limited, >=, 3);
}

/* The API's report is the command line's: the same function computes both. */
static void
test_report_matches_core (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) api = NULL;
  g_autoptr(JsonNode) core = NULL;
  g_autoptr(LdReport) report = NULL;
  g_autofree char *core_json = NULL;
  LdIncident inc = { 0, };
  g_autofree char *id = NULL, *order = NULL;
  LdPeriod period;
  JsonObject *api_region, *core_region;
  Reply r;

  inc.received_at = ld_test_time (f->store, "2023-11-02 10:00:00");
  inc.source = "110";
  inc.kind = "linkage";
  inc.lat = 30.5;
  inc.lon = 120.5;
  id = ld_store_add_incident (f->store, &inc, &ld_test_actor, &error);
  order = ld_store_dispatch (f->store, NULL, id, "MKT", inc.received_at + 60 * LD_USEC_PER_S, &ld_test_actor, &error);
  g_assert_no_error (error);

  r = request (f, "GET", "/api/v1/reports/month?month=2023-11", f->tokens[3], NULL);
  g_assert_cmpuint (r.status, ==, 200);
  api = json_from_string (r.body, NULL);
  reply_clear (&r);

  g_assert_true (ld_period_parse_month ("2023-11", ld_store_get_time_zone (f->store), &period, NULL));
  report = ld_report_new (f->store, &period, NULL, ld_time_now (), &error);
  core_json = ld_report_to_json (report);
  core = json_from_string (core_json, NULL);

  api_region = json_array_get_object_element (json_object_get_array_member (json_node_get_object (api), "regions"), 0);
  core_region = json_array_get_object_element (json_object_get_array_member (json_node_get_object (core), "regions"), 0);
  g_assert_cmpint (json_object_get_int_member (api_region, "linkage_alarms"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (api_region, "dispatched"), ==,
                   json_object_get_int_member (core_region, "dispatched"));
  g_assert_true (json_node_equal (json_object_get_member (json_node_get_object (api), "units"),
                                  json_object_get_member (json_node_get_object (core), "units")));

  /* The bulletin too, as text and as the document to print. */
  r = request (f, "GET", "/api/v1/reports/month?month=2023-11&format=text", f->tokens[3], NULL);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_nonnull (strstr (r.body, "I. Operations"));
  reply_clear (&r);
  r = request (f, "GET", "/api/v1/reports/month?month=2023-11&format=pdf", f->tokens[3], NULL);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_true (g_str_has_prefix (r.body, "%PDF-"));
  reply_clear (&r);
}

static JsonObject *
parse_object (Reply *r)
{
  g_autoptr(JsonNode) root = json_from_string (r->body, NULL);
  g_assert_nonnull (root);
  return json_object_ref (json_node_get_object (root));
}

static const char *
result_field (JsonObject *reply, guint i, const char *field)
{
  JsonObject *result = json_array_get_object_element (json_object_get_array_member (reply, "results"), i);
  return json_object_get_string_member_with_default (result, field, NULL);
}

static const char *create_and_dispatch =
  "{\"operations\": ["
  " {\"id\": \"op-1\", \"entity\": \"incident\", \"entity_id\": \"inc-1\", \"action\": \"create\","
  "  \"at\": \"2023-11-21 14:05:00\", \"fields\": {\"source\": \"110\", \"kind\": \"linkage\","
  "  \"caller_phone\": \"13800000001\", \"lat\": 30.5, \"lon\": 120.5, \"category\": \"noise\"}},"
  " {\"id\": \"op-2\", \"entity\": \"order\", \"entity_id\": \"ord-1\", \"action\": \"dispatch\","
  "  \"at\": \"2023-11-21 14:06:00\", \"fields\": {\"incident_id\": \"inc-1\", \"unit_code\": \"MKT\"}}]}";

/* A second incident whose order goes to another unit. */
static const char *create_and_dispatch_to_town =
  "{\"operations\": ["
  " {\"id\": \"op-b1\", \"entity\": \"incident\", \"entity_id\": \"inc-2\", \"action\": \"create\","
  "  \"at\": \"2023-11-21 15:00:00\", \"fields\": {\"source\": \"110\", \"kind\": \"linkage\", \"region_code\": \"B\"}},"
  " {\"id\": \"op-b2\", \"entity\": \"order\", \"entity_id\": \"ord-2\", \"action\": \"dispatch\","
  "  \"at\": \"2023-11-21 15:01:00\", \"fields\": {\"incident_id\": \"inc-2\", \"unit_code\": \"TOWN\"}}]}";

static void
test_push_idempotent (Fixture *f, gconstpointer data)
{
  Reply r = request (f, "POST", "/api/v1/sync/push", f->tokens[1], create_and_dispatch);
  g_autoptr(JsonObject) first = NULL, again = NULL;
  g_autoptr(LdIncident) inc = NULL;
  gint64 events;

  g_assert_cmpuint (r.status, ==, 200);
  first = parse_object (&r);
  reply_clear (&r);
  g_assert_cmpstr (result_field (first, 0, "status"), ==, "accepted");
  g_assert_cmpstr (result_field (first, 1, "status"), ==, "accepted");
  inc = ld_store_get_incident (f->store, "inc-1", NULL);
  g_assert_cmpstr (inc->region_code, ==, "A");
  g_assert_cmpstr (inc->state, ==, "dispatched");
  events = ld_store_get_sequence (f->store);

  /* The answer was lost; the client pushes the same batch again. */
  r = request (f, "POST", "/api/v1/sync/push", f->tokens[1], create_and_dispatch);
  again = parse_object (&r);
  reply_clear (&r);
  g_assert_cmpstr (result_field (again, 0, "status"), ==, "duplicate");
  g_assert_cmpstr (result_field (again, 1, "status"), ==, "duplicate");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (json_object_get_array_member (again, "results"), 1), "seq"), ==,
                   json_object_get_int_member (json_array_get_object_element (json_object_get_array_member (first, "results"), 1), "seq"));
  g_assert_cmpint (ld_store_get_sequence (f->store), ==, events);
  g_assert_cmpint (ld_store_count_events (f->store, "order", "ord-1"), ==, 1);
}

/* Every accepted change is in the audit trail with who, from which device
 * and address, and when; an admin finds it by incident, unit or user. */
static void
test_audit (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) by_incident = NULL, by_unit = NULL, by_user = NULL;
  JsonArray *events;
  JsonObject *last;
  Reply r = request (f, "POST", "/api/v1/sync/push", f->tokens[1], create_and_dispatch);
  reply_clear (&r);

  r = request (f, "GET", "/api/v1/audit?incident=inc-1", f->tokens[0], NULL);
  g_assert_cmpuint (r.status, ==, 200);
  by_incident = json_from_string (r.body, NULL);
  reply_clear (&r);
  events = json_node_get_array (by_incident);
  g_assert_cmpuint (json_array_get_length (events), ==, 2);
  last = json_array_get_object_element (events, 0);
  g_assert_cmpstr (json_object_get_string_member (last, "action"), ==, "dispatch");
  g_assert_cmpstr (json_object_get_string_member (last, "user"), ==, "dispatcher");
  g_assert_cmpstr (json_object_get_string_member (last, "device"), ==, "test");
  g_assert_cmpstr (json_object_get_string_member (last, "remote"), ==, "127.0.0.1");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (last, "data"), "unit_code"), ==, "MKT");

  r = request (f, "GET", "/api/v1/audit?unit=MKT", f->tokens[0], NULL);
  by_unit = json_from_string (r.body, NULL);
  reply_clear (&r);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (by_unit)), ==, 1);
  r = request (f, "GET", "/api/v1/audit?user=leader", f->tokens[0], NULL);
  by_user = json_from_string (r.body, NULL);
  reply_clear (&r);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (by_user)), ==, 0);
  r = request (f, "GET", "/api/v1/audit?from=last+week", f->tokens[0], NULL);
  assert_error (&r, 400, "invalid");
}

/* A time a dispatcher logs a step with: within the day behind the
 * server's clock, long after the test's 2023 orders were dispatched. */
static char *
recent_time (Fixture *f, int minutes_ago)
{
  return ld_time_format_iso (ld_time_now () - minutes_ago * 60 * LD_USEC_PER_S, ld_store_get_time_zone (f->store));
}

static void
test_push_refusals (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(LdIncident) inc = NULL;
  g_autofree char *later = recent_time (f, 2);
  g_autofree char *earlier = recent_time (f, 4);
  g_autofree char *batch = NULL;
  gint64 before;
  Reply r = request (f, "POST", "/api/v1/sync/push", f->tokens[1], create_and_dispatch);
  reply_clear (&r);
  before = ld_store_get_sequence (f->store);

  /* One batch, each operation answered on its own. */
  batch = g_strdup_printf (
    "{\"operations\": ["
    " {\"id\": \"op-3\", \"entity\": \"order\", \"entity_id\": \"ord-1\", \"action\": \"arrive\", \"at\": \"%1$s\"},"
    " {\"id\": \"op-4\", \"entity\": \"order\", \"entity_id\": \"ord-9\", \"action\": \"sign\", \"at\": \"%1$s\"},"
    " {\"id\": \"op-5\", \"entity\": \"order\", \"entity_id\": \"ord-1\", \"action\": \"teleport\", \"at\": \"%1$s\"},"
    " {\"id\": \"op-6\", \"entity\": \"order\", \"entity_id\": \"ord-1\", \"action\": \"sign\", \"at\": \"yesterday\"},"
    " {\"entity\": \"order\"},"
    " 42,"
    " {\"id\": \"op-7\", \"entity\": \"order\", \"entity_id\": \"ord-1\", \"action\": \"sign\", \"at\": \"%2$s\"}]}",
    later, earlier);
  r = request (f, "POST", "/api/v1/sync/push", f->tokens[1], batch);
  g_assert_cmpuint (r.status, ==, 200);
  reply = parse_object (&r);
  reply_clear (&r);
  g_assert_cmpstr (result_field (reply, 0, "code"), ==, "conflict");
  g_assert_nonnull (strstr (result_field (reply, 0, "reason"), "only a signed order can be marked arrived"));
  g_assert_cmpstr (result_field (reply, 1, "code"), ==, "not-found");
  g_assert_cmpstr (result_field (reply, 2, "code"), ==, "invalid");
  g_assert_cmpstr (result_field (reply, 3, "code"), ==, "invalid");
  g_assert_cmpstr (result_field (reply, 4, "code"), ==, "invalid");
  g_assert_cmpstr (result_field (reply, 5, "code"), ==, "invalid");
  g_assert_cmpstr (result_field (reply, 6, "status"), ==, "accepted");
  g_assert_cmpint (ld_store_get_sequence (f->store), ==, before + 1);

  /* The leader reads; a unit acts on its own orders only. */
  r = request (f, "POST", "/api/v1/sync/push", f->tokens[3],
    "{\"operations\": [{\"id\": \"op-8\", \"entity\": \"incident\", \"entity_id\": \"inc-1\", \"action\": \"close\", \"at\": \"2023-11-21 16:00:00\"}]}");
  g_clear_pointer (&reply, json_object_unref);
  reply = parse_object (&r);
  reply_clear (&r);
  g_assert_cmpstr (result_field (reply, 0, "code"), ==, "forbidden");
  inc = ld_store_get_incident (f->store, "inc-1", NULL);
  g_assert_cmpstr (inc->state, ==, "dispatched");
}

/* One operation on ord-r pushed as roles[@role]: its status, or its code
 * when refused. */
static char *
push_one (Fixture *f, guint role, const char *action, const char *fields)
{
  static guint n;
  g_autofree char *now = recent_time (f, 0);
  g_autofree char *body = g_strdup_printf (
    "{\"operations\": [{\"id\": \"ret-%u\", \"entity\": \"order\", \"entity_id\": \"ord-r\","
    " \"action\": \"%s\", \"at\": \"%s\", \"fields\": %s}]}", n++, action, now, fields);
  g_autoptr(JsonObject) reply = NULL;
  Reply r = request (f, "POST", "/api/v1/sync/push", f->tokens[role], body);

  g_assert_cmpuint (r.status, ==, 200);
  reply = parse_object (&r);
  reply_clear (&r);
  if (g_str_equal (result_field (reply, 0, "status"), "refused"))
    return g_strdup (result_field (reply, 0, "code"));
  return g_strdup (result_field (reply, 0, "status"));
}

#define ASSERT_PUSH(role, action, fields, expected) \
  G_STMT_START { \
    g_autofree char *answer_ = push_one (f, role, action, fields); \
    g_assert_cmpstr (answer_, ==, expected); \
  } G_STMT_END

/* Returns and extensions through the push, each refused by role, by
 * rule and by state with its code (roles: 0 admin, 1 dispatcher,
 * 2 inspector, 3 leader, 4 the unit MKT). */
static void
test_push_returns (Fixture *f, gconstpointer data)
{
  g_autofree char *received = recent_time (f, 10);
  g_autofree char *create = g_strdup_printf (
    "{\"operations\": ["
    " {\"id\": \"r-1\", \"entity\": \"incident\", \"entity_id\": \"inc-r\", \"action\": \"create\","
    "  \"at\": \"%1$s\", \"fields\": {\"source\": \"110\", \"kind\": \"linkage\", \"category\": \"noise\"}},"
    " {\"id\": \"r-2\", \"entity\": \"order\", \"entity_id\": \"ord-r\", \"action\": \"dispatch\","
    "  \"at\": \"%1$s\", \"fields\": {\"incident_id\": \"inc-r\", \"unit_code\": \"MKT\"}}]}", received);
  g_autoptr(LdOrder) order = NULL;
  g_autofree char *until = NULL;
  g_autofree char *extension = NULL;
  gint64 due;
  Reply r = request (f, "POST", "/api/v1/sync/push", f->tokens[1], create);

  reply_clear (&r);
  ASSERT_PUSH (4, "sign", "{}", "accepted");
  ASSERT_PUSH (4, "return", "{\"reason\": \" \u3000 \", \"not_ours\": true, \"basis\": \"list\"}", "invalid");
  ASSERT_PUSH (4, "return", "{\"reason\": \"Not ours\"}", "invalid");
  ASSERT_PUSH (4, "return", "{\"reason\": \"Not ours\", \"not_ours\": true}", "invalid");
  ASSERT_PUSH (4, "return", "{\"reason\": \"Not ours\", \"not_ours\": \"yes\", \"basis\": \"list\"}", "invalid");
  ASSERT_PUSH (4, "return", "{\"reason\": \"Not ours\", \"duty_unit_code\": \"MKT\"}", "invalid");
  ASSERT_PUSH (4, "return", "{\"reason\": \"Not ours\", \"duty_unit_code\": \"NOPE\"}", "not-found");
  ASSERT_PUSH (4, "return", "{\"reason\": \"Not ours\", \"duty_unit_code\": \"TOWN\"}", "accepted");
  for (guint role = 2; role <= 4; role++)
    ASSERT_PUSH (role, "rule-return", "{\"ruling\": \"overrule\", \"reason\": \"Yours\"}", "forbidden");
  ASSERT_PUSH (1, "rule-return", "{\"ruling\": \"maybe\"}", "invalid");
  ASSERT_PUSH (1, "rule-return", "{\"ruling\": \"overrule\"}", "invalid");
  ASSERT_PUSH (1, "rule-return", "{\"ruling\": \"overrule\", \"reason\": \"The list says it is yours\"}",
               "accepted");
  ASSERT_PUSH (0, "rule-return", "{\"ruling\": \"accept\"}", "conflict");
  order = ld_store_get_order (f->store, "ord-r", NULL);
  g_assert_cmpstr (order->state, ==, "signed");
  g_assert_cmpstr (order->return_ruling, ==, "overruled");
  g_assert_cmpstr (order->return_ruled_by, ==, "dispatcher");
  g_assert_cmpstr (order->duty_unit_code, ==, "TOWN");
  ASSERT_PUSH (4, "return", "{\"reason\": \"Still not ours\", \"duty_unit_code\": \"TOWN\"}", "conflict");

  /* Completion waits for a result. */
  ASSERT_PUSH (4, "complete", "{}", "conflict");

  /* An extension of the completion, asked by the unit, ruled by the center. */
  due = order->result_due;
  until = ld_time_format_iso (due + 3600 * LD_USEC_PER_S, ld_store_get_time_zone (f->store));
  extension = g_strdup_printf ("{\"step\": \"complete\", \"until\": \"%s\", \"reason\": \"Parts on order\"}", until);
  ASSERT_PUSH (1, "request-extension", extension, "forbidden");
  ASSERT_PUSH (4, "request-extension", "{\"step\": \"sign\", \"until\": \"2199-01-01 00:00:00\", \"reason\": \"x\"}",
               "invalid");
  ASSERT_PUSH (4, "request-extension", extension, "accepted");
  ASSERT_PUSH (4, "request-extension", extension, "conflict");
  ASSERT_PUSH (4, "rule-extension", "{\"ruling\": \"approve\"}", "forbidden");
  ASSERT_PUSH (3, "rule-extension", "{\"ruling\": \"approve\"}", "forbidden");
  ASSERT_PUSH (1, "rule-extension", "{\"ruling\": \"refuse\"}", "invalid");
  ASSERT_PUSH (1, "rule-extension", "{\"ruling\": \"approve\"}", "accepted");
  g_clear_pointer (&order, ld_order_free);
  order = ld_store_get_order (f->store, "ord-r", NULL);
  g_assert_cmpint (order->result_due, ==, due + 3600 * LD_USEC_PER_S);
  g_assert_cmpint (order->extension_original_due, ==, due);
  g_assert_cmpstr (order->extension_ruling, ==, "approved");
  ASSERT_PUSH (4, "request-extension", extension, "conflict");

  ASSERT_PUSH (4, "feedback", "{\"feedback_id\": \"fb-r\", \"kind\": \"result\", \"text\": \"Done\"}", "accepted");
  ASSERT_PUSH (4, "complete", "{}", "accepted");
}

/* Two dispatchers sign the same order at once: one wins, the other is told. */
static void
test_push_race (Fixture *f, gconstpointer data)
{
  g_autofree char *second = login (f, "dispatcher", "password-of-a-tester");
  g_autofree char *earlier = recent_time (f, 3);
  g_autofree char *later = recent_time (f, 2);
  g_autofree char *sign_a = g_strdup_printf (
    "{\"operations\": [{\"id\": \"sign-a\", \"entity\": \"order\", \"entity_id\": \"ord-1\", \"action\": \"sign\", \"at\": \"%s\"}]}",
    earlier);
  g_autofree char *sign_b = g_strdup_printf (
    "{\"operations\": [{\"id\": \"sign-b\", \"entity\": \"order\", \"entity_id\": \"ord-1\", \"action\": \"sign\", \"at\": \"%s\"}]}",
    later);
  g_autoptr(JsonObject) a = NULL, b = NULL;
  Reply r = request (f, "POST", "/api/v1/sync/push", f->tokens[1], create_and_dispatch);
  reply_clear (&r);

  r = request (f, "POST", "/api/v1/sync/push", f->tokens[1], sign_a);
  a = parse_object (&r);
  reply_clear (&r);
  r = request (f, "POST", "/api/v1/sync/push", second, sign_b);
  b = parse_object (&r);
  reply_clear (&r);
  g_assert_cmpstr (result_field (a, 0, "status"), ==, "accepted");
  g_assert_cmpstr (result_field (b, 0, "status"), ==, "refused");
  g_assert_cmpstr (result_field (b, 0, "code"), ==, "conflict");
  g_assert_nonnull (strstr (result_field (b, 0, "reason"), "is signed"));
}

static guint
count_changes (JsonObject *reply, const char *entity)
{
  JsonArray *changes = json_object_get_array_member (reply, "changes");
  guint n = 0;
  for (guint i = 0; i < json_array_get_length (changes); i++)
    n += g_str_equal (json_object_get_string_member (json_array_get_object_element (changes, i), "entity"), entity);
  return n;
}

static void
test_pull (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) all = NULL, unit = NULL, rest = NULL, page = NULL;
  g_autofree char *path = NULL;
  Reply r = request (f, "POST", "/api/v1/sync/push", f->tokens[1], create_and_dispatch);
  reply_clear (&r);
  r = request (f, "POST", "/api/v1/sync/push", f->tokens[1], create_and_dispatch_to_town);
  reply_clear (&r);

  r = request (f, "GET", "/api/v1/sync/pull?since=0", f->tokens[1], NULL);
  g_assert_cmpuint (r.status, ==, 200);
  all = parse_object (&r);
  reply_clear (&r);
  g_assert_cmpuint (count_changes (all, "incident"), ==, 2);
  g_assert_cmpuint (count_changes (all, "order"), ==, 2);
  g_assert_false (json_object_get_boolean_member (all, "more"));

  /* The unit of MKT sees its order and its incident, nothing of TOWN's. */
  r = request (f, "GET", "/api/v1/sync/pull?since=0", f->tokens[4], NULL);
  unit = parse_object (&r);
  reply_clear (&r);
  g_assert_cmpuint (count_changes (unit, "incident"), ==, 1);
  g_assert_cmpuint (count_changes (unit, "order"), ==, 1);
  {
    g_autofree char *seen = json_to_string (json_object_get_member (unit, "changes"), FALSE);
    g_assert_null (strstr (seen, "TOWN"));
  }

  path = g_strdup_printf ("/api/v1/sync/pull?since=%" G_GINT64_FORMAT, json_object_get_int_member (all, "last_seq"));
  r = request (f, "GET", path, f->tokens[1], NULL);
  rest = parse_object (&r);
  reply_clear (&r);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (rest, "changes")), ==, 0);

  r = request (f, "GET", "/api/v1/sync/pull?since=0&limit=1", f->tokens[1], NULL);
  page = parse_object (&r);
  reply_clear (&r);
  g_assert_true (json_object_get_boolean_member (page, "more"));

  r = request (f, "GET", "/api/v1/sync/pull?since=-4", f->tokens[1], NULL);
  assert_error (&r, 400, "invalid");
}

typedef struct {
  SoupWebsocketConnection *connection;
  GPtrArray               *messages;
  gboolean                 closed;
} Listener;

static void
on_message (SoupWebsocketConnection *connection, int type, GBytes *message, Listener *l)
{
  g_ptr_array_add (l->messages, g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message)));
}

static void
on_closed (SoupWebsocketConnection *connection, Listener *l)
{
  l->closed = TRUE;
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  Listener *l = data;
  g_autoptr(GError) error = NULL;

  l->connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  g_signal_connect (l->connection, "message", G_CALLBACK (on_message), l);
  g_signal_connect (l->connection, "closed", G_CALLBACK (on_closed), l);
}

static void
listen_feed (Fixture *f, const char *token, Listener *l)
{
  g_autofree char *uri = g_strconcat (f->base, "/api/v1/live", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);

  l->messages = g_ptr_array_new_with_free_func (g_free);
  if (token)
    {
      g_autofree char *header = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
    }
  soup_session_websocket_connect_async (f->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, on_connected, l);
  while (l->connection == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
wait_for (Listener *l, guint n_messages, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;
  while (l->messages->len < n_messages && !l->closed && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  return l->messages->len >= n_messages;
}

static void
listener_clear (Listener *l)
{
  g_signal_handlers_disconnect_by_data (l->connection, l);
  g_clear_object (&l->connection);
  g_ptr_array_unref (l->messages);
}

static void
test_live_feed (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = ld_auth_hash_password ("password-of-a-tester", &error);
  LdUser town = { "town-room", NULL, "unit", "TOWN", hash, 0 };
  g_autofree char *town_token = NULL, *expected = NULL;
  Listener dispatcher = { 0, }, mkt = { 0, }, other = { 0, }, stranger = { 0, };
  Reply r;

  g_assert_true (ld_store_put_user (f->store, &town, &error));
  town_token = login (f, "town-room", "password-of-a-tester");
  listen_feed (f, f->tokens[1], &dispatcher);
  listen_feed (f, f->tokens[4], &mkt);
  listen_feed (f, town_token, &other);
  g_assert_true (wait_for (&dispatcher, 1, 5000));
  g_assert_true (wait_for (&mkt, 1, 5000));
  g_assert_true (wait_for (&other, 1, 5000));

  r = request (f, "POST", "/api/v1/sync/push", f->tokens[1], create_and_dispatch);
  reply_clear (&r);
  expected = g_strdup_printf ("{\"seq\":%" G_GINT64_FORMAT "}", ld_store_get_sequence (f->store));
  g_assert_true (wait_for (&dispatcher, 2, 5000));
  g_assert_true (wait_for (&mkt, 2, 5000));
  g_assert_cmpstr (g_ptr_array_index (dispatcher.messages, 1), ==, expected);
  g_assert_cmpstr (g_ptr_array_index (mkt.messages, 1), ==, expected);
  /* TOWN has no order on it: its room hears nothing. */
  g_assert_false (wait_for (&other, 2, 300));

  listen_feed (f, NULL, &stranger);
  wait_for (&stranger, 1, 2000);
  g_assert_true (stranger.closed);
  g_assert_cmpuint (stranger.messages->len, ==, 0);

  listener_clear (&dispatcher);
  listener_clear (&mkt);
  listener_clear (&other);
  listener_clear (&stranger);
}

/* A push of one operation by @token; its result's status or code. */
static char *
push_op (Fixture *f, const char *token, const char *id, const char *entity, const char *entity_id,
          const char *action, const char *fields)
{
  g_autofree char *at = recent_time (f, 0);
  g_autofree char *body = g_strdup_printf ("{\"operations\": [{\"id\": \"%s\", \"entity\": \"%s\","
                                           " \"entity_id\": \"%s\", \"action\": \"%s\", \"at\": \"%s\","
                                           " \"fields\": %s}]}", id, entity, entity_id, action, at, fields);
  Reply r = request (f, "POST", "/api/v1/sync/push", token, body);
  g_autoptr(JsonObject) reply = NULL;

  g_assert_cmpuint (r.status, ==, 200);
  reply = parse_object (&r);
  reply_clear (&r);
  return g_strdup (result_field (reply, 0, "code") ? result_field (reply, 0, "code")
                                                   : result_field (reply, 0, "status"));
}

#define ASSERT_OP(f, token, id, entity, entity_id, action, fields, expected) \
  G_STMT_START { \
    g_autofree char *got = push_op (f, token, id, entity, entity_id, action, fields); \
    g_assert_cmpstr (got, ==, expected); \
  } G_STMT_END

/* The duty roster and roll calls through the server: a unit keeps its own
 * roster and answers its own roll call, a dispatcher starts one, and the
 * live feed tells a unit of its own only. */
static void
test_duty_and_roll_call (Fixture *f, gconstpointer data)
{
  const char *mkt_turn = "{\"unit_code\": \"MKT\", \"name\": \"张三\", \"phone\": \"13800000001\","
                         " \"from\": \"2026-12-07 08:00:00\", \"to\": \"2026-12-07 20:00:00\"}";
  const char *town_turn = "{\"unit_code\": \"TOWN\", \"name\": \"王五\", \"phone\": \"1\","
                          " \"from\": \"2026-12-07 08:00:00\", \"to\": \"2026-12-07 20:00:00\"}";
  g_autoptr(JsonObject) unit_pull = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  Listener mkt = { 0, };
  Reply r;

  ASSERT_OP (f, f->tokens[4], "d-1", "duty", "t-mkt", "set", mkt_turn, "accepted");
  ASSERT_OP (f, f->tokens[4], "d-2", "duty", "t-town", "set", town_turn, "forbidden");
  ASSERT_OP (f, f->tokens[1], "d-3", "duty", "t-town", "set", town_turn, "forbidden");
  ASSERT_OP (f, f->tokens[0], "d-4", "duty", "t-town", "set", town_turn, "accepted");
  ASSERT_OP (f, f->tokens[4], "d-5", "duty", "t-town", "remove", "{}", "not-found");

  listen_feed (f, f->tokens[4], &mkt);
  g_assert_true (wait_for (&mkt, 1, 5000));
  ASSERT_OP (f, f->tokens[4], "r-1", "roll_call", "rc-1", "start", "{}", "forbidden");
  ASSERT_OP (f, f->tokens[3], "r-2", "roll_call", "rc-1", "start", "{}", "forbidden");
  ASSERT_OP (f, f->tokens[1], "r-3", "roll_call", "rc-1", "start", "{\"unit_codes\": [\"TOWN\"]}", "accepted");
  /* Not called, MKT hears nothing of it and cannot answer it. */
  g_assert_false (wait_for (&mkt, 2, 300));
  ASSERT_OP (f, f->tokens[4], "r-4", "roll_call", "rc-1", "answer", "{}", "not-found");
  ASSERT_OP (f, f->tokens[1], "r-5", "roll_call", "rc-2", "start", "{}", "accepted");
  g_assert_true (wait_for (&mkt, 2, 5000));
  ASSERT_OP (f, f->tokens[1], "r-6", "roll_call", "rc-2", "answer", "{\"unit_code\": \"MKT\"}", "forbidden");
  ASSERT_OP (f, f->tokens[4], "r-7", "roll_call", "rc-2", "answer", "{\"unit_code\": \"TOWN\"}", "not-found");
  ASSERT_OP (f, f->tokens[4], "r-8", "roll_call", "rc-2", "answer", "{}", "accepted");
  ASSERT_OP (f, f->tokens[4], "r-9", "roll_call", "rc-2", "answer", "{}", "conflict");

  rows = ld_store_list_roll_call_rows (f->store, "rc-2", "MKT", NULL);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_true (((LdRollCall *) g_ptr_array_index (rows, 0))->answered);

  r = request (f, "GET", "/api/v1/sync/pull?since=0", f->tokens[4], NULL);
  unit_pull = parse_object (&r);
  reply_clear (&r);
  g_assert_cmpuint (count_changes (unit_pull, "duty"), ==, 1);
  g_assert_cmpuint (count_changes (unit_pull, "roll_call"), ==, 1);
  {
    g_autofree char *seen = json_to_string (json_object_get_member (unit_pull, "changes"), FALSE);
    g_assert_null (strstr (seen, "TOWN"));
  }
  listener_clear (&mkt);
}

typedef struct {
  LdStore *store;
  LdPeriod today;
} RollCallWatch;

static gboolean
roll_call_started (gpointer data)
{
  RollCallWatch *w = data;
  g_autoptr(GPtrArray) rows = ld_store_list_roll_calls (w->store, &w->today, NULL, NULL);

  return rows && rows->len > 0;
}

/* At a time of day in the center's settings the server calls every unit
 * by itself, once, as its own user and device. A second server on the
 * same store, started within the minute, runs the same roll call and is
 * answered that it was. */
static void
test_roll_call_by_itself (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  /* A few seconds on, so that the minute is never one the servers have
   * passed already at their start. */
  g_autoptr(GDateTime) now = g_date_time_new_now (ld_store_get_time_zone (f->store));
  g_autoptr(GDateTime) soon = g_date_time_add_seconds (now, 5);
  g_autofree char *minute = g_date_time_format (soon, "%H:%M");
  g_autoptr(LdServer) second = ld_server_new (f->store);
  g_autoptr(GPtrArray) rows = NULL, events = NULL;
  LdEventFilter by_server = { .user = "server" };
  RollCallWatch watch = { f->store, { ld_time_now () - 120 * LD_USEC_PER_S, ld_time_now () + 120 * LD_USEC_PER_S } };
  gint64 deadline;

  g_assert_true (ld_store_set_setting (f->store, "roll_call_times", minute, &error));
  ld_server_set_timeouts (second, 10000, 30000, 20);
  g_assert_true (ld_server_listen (second, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  ld_server_set_timeouts (f->server, 10000, 30000, 20);
  ld_test_wait_until (roll_call_started, &watch, "the roll call at the time set");

  /* Both servers sweep on a while: still one roll call. */
  deadline = g_get_monotonic_time () + 300 * 1000;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  rows = ld_store_list_roll_calls (f->store, &watch.today, NULL, &error);
  g_assert_cmpuint (rows->len, ==, 3);
  events = ld_store_list_events (f->store, &by_server, &error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (((LdEvent *) g_ptr_array_index (events, 0))->action, ==, "start");
  g_assert_cmpstr (((LdEvent *) g_ptr_array_index (events, 0))->device, ==, "server");
}

/* A feed lives no longer than its session. */
static void
test_live_ends_with_session (Fixture *f, gconstpointer data)
{
  g_autofree char *token = login (f, "leader", "password-of-a-tester");
  Listener leader = { 0, };
  Reply r;

  listen_feed (f, token, &leader);
  g_assert_true (wait_for (&leader, 1, 5000));
  r = request (f, "POST", "/api/v1/logout", token, NULL);
  g_assert_cmpuint (r.status, ==, 204);
  reply_clear (&r);
  wait_for (&leader, 2, 5000);
  g_assert_true (leader.closed);
  g_assert_cmpint (soup_websocket_connection_get_close_code (leader.connection), ==,
                   SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION);
  listener_clear (&leader);
}

/* Thirty addresses seen once are forgotten once their buckets are full
 * again: the limiter's memory does not grow with every address. */
static void
test_rate_limiter_forgets (Fixture *f, gconstpointer data)
{
  gint64 deadline;

  /* Slow to refill while the addresses come, so none is full (and
   * forgotten) before all are counted, however slow the machine… */
  ld_server_set_rate_limit (f->server, 5, 0.1);
  ld_server_set_timeouts (f->server, 10000, 30000, 50);
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *local = g_strdup_printf ("127.0.0.%u", i + 2);
      g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (local);
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new (inet, 0);
      g_autoptr(SoupSession) session = soup_session_new_with_options ("local-address", address, NULL);
      SoupSession *shared = f->session;
      Reply r;

      f->session = session;
      r = request (f, "GET", "/api/v1/me", NULL, NULL);
      f->session = shared;
      g_assert_cmpuint (r.status, ==, 401);
      reply_clear (&r);
    }
  g_assert_cmpuint (ld_server_get_n_remembered (f->server), >=, 30);
  /* …then quick: a bucket full again is the same as none. */
  ld_server_set_rate_limit (f->server, 5, 1000);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (ld_server_get_n_remembered (f->server) > 1 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (ld_server_get_n_remembered (f->server), <=, 1);
}

static Reply
upload (Fixture *f, const char *token, const char *name, const char *content)
{
  g_autofree char *uri = g_strconcat (f->base, "/api/v1/import", NULL);
  g_autofree char *header = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(GBytes) file = g_bytes_new (content, strlen (content));
  g_autoptr(GBytes) body = NULL;
  GBytes *bytes = NULL;
  Reply reply;

  soup_multipart_append_form_file (multipart, name, name, "text/csv", file);
  soup_multipart_to_message (multipart, soup_message_get_request_headers (msg), &body);
  soup_message_set_request_body_from_bytes (msg, NULL, body);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, on_sent, &bytes);
  while (bytes == NULL)
    g_main_context_iteration (NULL, TRUE);
  reply.status = soup_message_get_status (msg);
  reply.body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_bytes_unref (bytes);
  return reply;
}

static void
test_import (Fixture *f, gconstpointer data)
{
  g_autoptr(LdUnit) added = NULL, refused = NULL;
  Reply r = upload (f, f->tokens[0], "units.csv",
                    "code,name,tier,category,region_code\nNEW,New unit,2,market,A\nBAD,Bad unit,9,market,A\n");

  g_assert_cmpuint (r.status, ==, 400);
  g_assert_nonnull (strstr (r.body, "units.csv:3: tier"));
  g_assert_nonnull (strstr (r.body, "\"bad-rows\""));
  reply_clear (&r);
  refused = ld_store_get_unit (f->store, "NEW", NULL);
  g_assert_null (refused);

  r = upload (f, f->tokens[0], "units.csv", "code,name,tier,category,region_code\nNEW,New unit,2,market,A\n");
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_nonnull (strstr (r.body, "\"units\":1"));
  g_assert_nonnull (strstr (r.body, "\"warnings\":[]"));
  reply_clear (&r);
  added = ld_store_get_unit (f->store, "NEW", NULL);
  g_assert_nonnull (added);

  /* An order another system kept without its signature comes in as it is,
   * and the answer says so. */
  r = upload (f, f->tokens[0], "incidents.csv", "id,received_at,source,kind\nn1,2023-11-21 14:05:00,110,linkage\n");
  g_assert_cmpuint (r.status, ==, 200);
  reply_clear (&r);
  r = upload (f, f->tokens[0], "orders.csv", "id,incident_id,unit_code,dispatched_at,signed_at,arrived_at\n"
                                             "o1,n1,NEW,2023-11-21 14:06:00,,2023-11-21 14:20:00\n");
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_nonnull (strstr (r.body, "\"orders\":1"));
  g_assert_nonnull (strstr (r.body, "\"warnings\":[\"orders.csv:2: arrived_at without signed_at: imported as not signed\"]"));
  reply_clear (&r);

  r = upload (f, f->tokens[0], "../../etc/passwd", "x");
  assert_error (&r, 400, "invalid");
  r = upload (f, f->tokens[1], "units.csv", "code,name,tier,category\n");
  assert_error (&r, 403, "forbidden");
}

/* Fetches a snapshot into a file and opens it as a replica. */
static LdStore *
fetch_snapshot (Fixture *f, const char *token, const char *path, gint64 *seq)
{
  g_autofree char *uri = g_strconcat (f->base, "/api/v1/sync/snapshot", NULL);
  g_autofree char *header = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GError) error = NULL;
  GBytes *bytes = NULL;
  LdStore *replica;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, on_sent, &bytes);
  while (bytes == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  *seq = g_ascii_strtoll (soup_message_headers_get_one (soup_message_get_response_headers (msg), "X-Liandong-Seq"), NULL, 10);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error));
  g_bytes_unref (bytes);
  replica = ld_store_open (path, &error);
  g_assert_no_error (error);
  return replica;
}

static void
test_snapshot (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = ld_test_make_tmp ("ld-snapshot-XXXXXX");
  g_autofree char *full_path = g_build_filename (dir, "full.db", NULL);
  g_autofree char *unit_path = g_build_filename (dir, "unit.db", NULL);
  g_autofree char *pull = NULL;
  g_autoptr(LdStore) full = NULL, unit = NULL;
  g_autoptr(LdUser) admin = NULL;
  g_autoptr(LdOrder) other = NULL, own = NULL;
  g_autoptr(LdIncident) kept = NULL, hidden = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(GError) error = NULL;
  gint64 seq = 0;
  Reply r = request (f, "POST", "/api/v1/sync/push", f->tokens[1], create_and_dispatch);
  reply_clear (&r);
  r = request (f, "POST", "/api/v1/sync/push", f->tokens[1], create_and_dispatch_to_town);
  reply_clear (&r);

  full = fetch_snapshot (f, f->tokens[1], full_path, &seq);
  g_assert_cmpint (seq, ==, ld_store_get_sequence (f->store));
  kept = ld_store_get_incident (full, "inc-2", NULL);
  g_assert_nonnull (kept);
  admin = ld_store_get_user (full, "admin", &error);
  g_assert_null (admin->password_hash);
  g_assert_null (ld_store_lookup_session (full, "anything", 0, NULL));

  unit = fetch_snapshot (f, f->tokens[4], unit_path, &seq);
  own = ld_store_get_order (unit, "ord-1", NULL);
  g_assert_nonnull (own);
  other = ld_store_get_order (unit, "ord-2", NULL);
  g_assert_null (other);
  hidden = ld_store_get_incident (unit, "inc-2", NULL);
  g_assert_null (hidden);

  /* Pulling from the snapshot's sequence finds nothing new. */
  pull = g_strdup_printf ("/api/v1/sync/pull?since=%" G_GINT64_FORMAT, seq);
  r = request (f, "GET", pull, f->tokens[4], NULL);
  after = parse_object (&r);
  reply_clear (&r);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (after, "changes")), ==, 0);
}

/* Accepts exactly the certificate the test made a moment ago. */
static gboolean
accept_test_certificate (SoupMessage *msg, GTlsCertificate *certificate, GTlsCertificateFlags errors, gpointer ours)
{
  return g_tls_certificate_is_same (certificate, ours);
}

/* With a certificate the server speaks HTTPS (glib-networking). */
static void
test_tls (void)
{
  g_autofree char *dir = ld_test_make_tmp ("ld-tls-XXXXXX");
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *uri = NULL, *openssl = ld_test_find_program ("openssl", "openssl");
  g_autoptr(GSubprocess) make = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(LdStore) store = NULL;
  g_autoptr(LdServer) server = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *bytes = NULL;

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    g_error ("GIO has no TLS backend (Debian package glib-networking)");
  make = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                           openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                           "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert, NULL);
  g_assert_true (g_subprocess_wait_check (make, NULL, &error));
  certificate = g_tls_certificate_new_from_files (cert, key, &error);
  g_assert_no_error (error);

  store = ld_test_city_new (NULL);
  server = ld_server_new (store);
  g_assert_true (ld_server_listen (server, "127.0.0.1", 0, certificate, &error));
  uri = g_strdup_printf ("https://127.0.0.1:%u/api/v1/me", ld_server_get_port (server));
  session = soup_session_new ();
  msg = soup_message_new ("GET", uri);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_test_certificate), certificate);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_sent, &bytes);
  while (bytes == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* Over TLS the API answers as over plain HTTP: no token, 401. */
  g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
  g_assert_nonnull (soup_message_get_tls_peer_certificate (msg));
  g_bytes_unref (bytes);
}

/* The real binary: a user added on the command line logs in to `serve`. */
static void
test_binary (void)
{
  g_autofree char *dir = ld_test_make_tmp ("ld-server-XXXXXX");
  g_autofree char *db = g_build_filename (dir, "s.db", NULL);
  g_autoptr(GSubprocess) serve = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  Fixture f = { 0, };

  ld_test_server_add_user (db, "admin1", "admin");
  serve = ld_test_server_spawn (db, "127.0.0.1:0", &f.base);
  f.session = soup_session_new ();
  token = login (&f, "admin1", "a-long-password");
  g_assert_nonnull (token);

  g_subprocess_send_signal (serve, SIGTERM);
  g_assert_true (g_subprocess_wait (serve, NULL, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (serve), ==, 0);
  g_clear_object (&f.session);
  g_free (f.base);
}

static char *
incident_op (guint i)
{
  return g_strdup_printf ("{\"operations\": [{\"id\": \"crash-op-%u\", \"entity\": \"incident\","
                          " \"entity_id\": \"crash-inc-%u\", \"action\": \"create\","
                          " \"at\": \"2023-11-21 14:05:00\", \"fields\": {\"source\": \"110\","
                          " \"kind\": \"police\"}}]}", i, i);
}

typedef struct {
  guint    index;      /* which operation */
  gboolean active;
  gboolean done;
  GBytes  *bytes;
} Pending;

static void
on_pushed (GObject *source, GAsyncResult *result, gpointer data)
{
  Pending *p = data;
  p->bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  p->done = TRUE;
}

static void
start_push (Fixture *f, const char *token, Pending *p, guint index)
{
  g_autofree char *uri = g_strconcat (f->base, "/api/v1/sync/push", NULL);
  g_autofree char *header = g_strconcat ("Bearer ", token, NULL);
  g_autofree char *body = incident_op (index);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) data = g_bytes_new (body, strlen (body));

  p->index = index;
  p->active = TRUE;
  p->done = FALSE;
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
  soup_message_set_request_body_from_bytes (msg, "application/json", data);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, on_pushed, p);
}

/* Takes the answer of a finished push; TRUE when it acknowledged. */
static gboolean
finish_push (Pending *p, GHashTable *acknowledged)
{
  gsize size = 0;
  /* An empty answer has no data pointer at all, and a full one has no
   * terminating NUL: search only the bytes that came. */
  const char *data = p->bytes ? g_bytes_get_data (p->bytes, &size) : NULL;
  gboolean ok = data && g_strstr_len (data, size, "\"accepted\"") != NULL;

  if (ok)
    g_hash_table_add (acknowledged, GUINT_TO_POINTER (p->index + 1));
  g_clear_pointer (&p->bytes, g_bytes_unref);
  p->active = FALSE;
  return ok;
}

/* kill -9 while pushes stream in: after a restart every acknowledged
 * operation is there exactly once, and pushing everything again (as a
 * client whose answers were lost does) adds only what was never taken. */
static void
test_kill_during_pushes (void)
{
  g_autofree char *dir = ld_test_make_tmp ("ld-server-XXXXXX");
  g_autofree char *db = g_build_filename (dir, "s.db", NULL);
  g_autoptr(GHashTable) acknowledged = g_hash_table_new (NULL, NULL);
  g_autoptr(GSubprocess) serve = NULL;
  g_autoptr(LdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  Pending pending[8] = { { 0, } };
  guint sent = 0;
  Fixture f = { 0, };

  ld_test_server_add_user (db, "disp", "dispatcher");
  serve = ld_test_server_spawn (db, "127.0.0.1:0", &f.base);
  f.session = soup_session_new ();
  token = login (&f, "disp", "a-long-password");

  /* Eight pushes in flight at a time; the kill lands among them. */
  for (guint k = 0; k < G_N_ELEMENTS (pending); k++)
    start_push (&f, token, &pending[k], sent++);
  while (g_hash_table_size (acknowledged) < 40)
    {
      g_main_context_iteration (NULL, TRUE);
      for (guint k = 0; k < G_N_ELEMENTS (pending); k++)
        if (pending[k].active && pending[k].done)
          {
            finish_push (&pending[k], acknowledged);
            if (g_hash_table_size (acknowledged) < 40)
              start_push (&f, token, &pending[k], sent++);
          }
    }
  g_subprocess_force_exit (serve);
  g_assert_true (g_subprocess_wait (serve, NULL, &error));
  g_clear_object (&serve);
  for (guint k = 0; k < G_N_ELEMENTS (pending); k++)
    {
      while (pending[k].active && !pending[k].done)
        g_main_context_iteration (NULL, TRUE);
      if (pending[k].active)
        finish_push (&pending[k], acknowledged);
    }

  store = ld_store_open (db, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < sent; i++)
    {
      g_autofree char *id = g_strdup_printf ("crash-inc-%u", i);
      gint64 events = ld_store_count_events (store, "incident", id);

      if (g_hash_table_contains (acknowledged, GUINT_TO_POINTER (i + 1)))
        g_assert_cmpint (events, ==, 1);
      else
        g_assert_cmpint (events, <=, 1);
    }
  g_clear_object (&store);

  g_free (f.base);
  serve = ld_test_server_spawn (db, "127.0.0.1:0", &f.base);
  g_free (token);
  token = login (&f, "disp", "a-long-password");
  for (guint i = 0; i < sent; i++)
    {
      g_autofree char *body = incident_op (i);
      Reply r = request (&f, "POST", "/api/v1/sync/push", token, body);

      g_assert_cmpuint (r.status, ==, 200);
      if (g_hash_table_contains (acknowledged, GUINT_TO_POINTER (i + 1)))
        g_assert_nonnull (strstr (r.body, "\"duplicate\""));
      else
        g_assert_true (strstr (r.body, "\"accepted\"") || strstr (r.body, "\"duplicate\""));
      reply_clear (&r);
    }
  store = ld_store_open (db, &error);
  for (guint i = 0; i < sent; i++)
    {
      g_autofree char *id = g_strdup_printf ("crash-inc-%u", i);
      g_assert_cmpint (ld_store_count_events (store, "incident", id), ==, 1);
    }

  g_subprocess_send_signal (serve, SIGTERM);
  g_subprocess_wait (serve, NULL, NULL);
  g_clear_object (&f.session);
  g_free (f.base);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/server/roles/matrix", test_roles);
  ADD ("/server/login/logout", test_login_logout);
  ADD ("/server/bad-input/refused", test_bad_input);
  ADD ("/server/bad-input/flood", test_flood);
  ADD ("/server/reports/same-as-core", test_report_matches_core);
  ADD ("/server/sync/push-twice-changes-nothing", test_push_idempotent);
  ADD ("/server/sync/refusals-one-by-one", test_push_refusals);
  ADD ("/server/sync/returns-and-extensions-by-role", test_push_returns);
  ADD ("/server/audit/who-what-when-where", test_audit);
  ADD ("/server/sync/two-dispatchers-sign-at-once", test_push_race);
  ADD ("/server/sync/pull-scoped-and-paged", test_pull);
  ADD ("/server/live/reaches-who-may-see", test_live_feed);
  ADD ("/server/sync/snapshot-for-first-sync", test_snapshot);
  ADD ("/server/import/all-or-nothing", test_import);
  ADD ("/server/live/ends-with-session", test_live_ends_with_session);
  ADD ("/server/sync/duty-and-roll-call", test_duty_and_roll_call);
  ADD ("/server/roll-call/runs-by-itself", test_roll_call_by_itself);
  ADD ("/server/bad-input/rate-limiter-forgets", test_rate_limiter_forgets);
#undef ADD
  g_test_add_func ("/server/tls/https", test_tls);
  g_test_add_func ("/server/binary/user-add-then-serve", test_binary);
  g_test_add_func ("/server/binary/kill-9-during-pushes", test_kill_during_pushes);

  return g_test_run ();
}
