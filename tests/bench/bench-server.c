/* bench-server.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The central server, run as its own process on loopback: ingest of batched
 * operations beside the raw sqlite floor for the same rows, the live
 * feed's latency to 50 WebSocket subscribers, and how fast GET /me answers
 * while the server does its heaviest work (a desk's first copy, an import,
 * a crowd signing in).
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "ld-process.h"
#include "ld-store.h"
#include "ld-test-server.h"

#define BATCH 500
#define BATCHES 20
#define SUBSCRIBERS 50
#define ROUNDS 200

static char *base;
static char *token;
static SoupSession *session;

static void
on_read (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GBytes **) data = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
}

static GBytes *
post (const char *path, const char *body)
{
  g_autofree char *uri = g_strconcat (base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) data = g_bytes_new (body, strlen (body));
  GBytes *reply = NULL;

  if (token)
    {
      g_autofree char *header = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
    }
  soup_message_set_request_body_from_bytes (msg, "application/json", data);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_read, &reply);
  while (reply == NULL)
    g_main_context_iteration (NULL, TRUE);
  return reply;
}

static void
run (const char *binary, const char *stdin_text, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) p = NULL;
  g_autoptr(GError) error = NULL;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) binary);
  va_start (ap, stdin_text);
  for (const char *a = va_arg (ap, const char *); a; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  p = g_subprocess_newv ((const char * const *) argv->pdata,
                         G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  if (p == NULL || !g_subprocess_communicate_utf8 (p, stdin_text, NULL, NULL, NULL, &error) ||
      g_subprocess_get_exit_status (p) != 0)
    g_error ("%s failed", binary);
}

static char *
incident_ops (guint first, guint n)
{
  GString *s = g_string_new ("{\"operations\":[");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s{\"id\":\"op-%u\",\"entity\":\"incident\",\"entity_id\":\"inc-%u\","
                            "\"action\":\"create\",\"at\":\"2026-11-01 10:00:00\",\"fields\":{\"source\":\"110\","
                            "\"kind\":\"linkage\",\"caller_phone\":\"138%08u\",\"region_code\":\"330402\","
                            "\"summary\":\"报警人称路面有石子\"}}",
                            i ? "," : "", first + i, first + i, first + i);
  g_string_append (s, "]}");
  return g_string_free (s, FALSE);
}

/* The floor: the rows one accepted operation writes (the incident, its
 * audit event, the operation's record), with bare prepared statements and
 * one transaction per batch, as the server commits them. */
static double
floor_rate (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "floor.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LdStore) store = ld_store_open (path, &error);
  sqlite3 *db;
  sqlite3_stmt *inc, *ev, *op;
  gint64 start;
  guint n = BATCH * BATCHES;

  g_clear_object (&store);
  sqlite3_open (path, &db);
  sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                    "INSERT INTO region (code, name) VALUES ('330402', 'r');", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO incident (id, received_at, source, kind, caller_phone, region_code, summary, state)"
                          " VALUES (?, ?, '110', 'linkage', ?, '330402', '报警人称路面有石子', 'new')", -1, &inc, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO event (at, actor, entity, entity_id, action, data)"
                          " VALUES (?, 'bench', 'incident', ?, 'create', '{}')", -1, &ev, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO operation (id, seq, user_name, received_at) VALUES (?, last_insert_rowid (), 'bench', ?)",
                      -1, &op, NULL);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      char id[32], phone[16];
      g_snprintf (id, sizeof id, "inc-%u", i);
      g_snprintf (phone, sizeof phone, "138%08u", i);
      if (i % BATCH == 0)
        sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
      sqlite3_bind_text (inc, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (inc, 2, start + i);
      sqlite3_bind_text (inc, 3, phone, -1, SQLITE_TRANSIENT);
      sqlite3_step (inc);
      sqlite3_reset (inc);
      sqlite3_bind_int64 (ev, 1, start + i);
      sqlite3_bind_text (ev, 2, id, -1, SQLITE_TRANSIENT);
      sqlite3_step (ev);
      sqlite3_reset (ev);
      g_snprintf (id, sizeof id, "op-%u", i);
      sqlite3_bind_text (op, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (op, 2, start + i);
      sqlite3_step (op);
      sqlite3_reset (op);
      if (i % BATCH == BATCH - 1)
        sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
    }
  sqlite3_finalize (inc);
  sqlite3_finalize (ev);
  sqlite3_finalize (op);
  sqlite3_close (db);
  return n / ((g_get_monotonic_time () - start) / 1e6);
}

typedef struct {
  SoupWebsocketConnection *connection;
  GArray                  *arrivals;   /* gint64 monotonic µs */
} Subscriber;

static void
on_message (SoupWebsocketConnection *c, int type, GBytes *message, Subscriber *s)
{
  gint64 now = g_get_monotonic_time ();
  g_array_append_val (s->arrivals, now);
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  Subscriber *s = data;
  s->connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, NULL);
  if (s->connection == NULL)
    g_error ("cannot subscribe to the live feed");
  g_signal_connect (s->connection, "message", G_CALLBACK (on_message), s);
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

/* Heavy work beside /me */

typedef struct {
  SoupSession *session;
  char        *uri;
  char        *token;
  GArray      *latencies;       /* µs */
  guint        in_flight;
  gboolean     stop;
} Probe;

typedef struct {
  Probe  *probe;
  gint64  sent;
} Ask;

static void
on_me (GObject *source, GAsyncResult *result, gpointer data)
{
  Ask *ask = data;
  g_autoptr(GBytes) reply = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  gint64 latency = g_get_monotonic_time () - ask->sent;

  if (reply == NULL)
    g_error ("GET /me failed during heavy work");
  g_array_append_val (ask->probe->latencies, latency);
  ask->probe->in_flight--;
  g_free (ask);
}

static gboolean
ask_me (gpointer data)
{
  Probe *probe = data;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *header = NULL;
  Ask *ask;

  if (probe->stop)
    return G_SOURCE_REMOVE;
  msg = soup_message_new ("GET", probe->uri);
  header = g_strconcat ("Bearer ", probe->token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
  ask = g_new0 (Ask, 1);
  ask->probe = probe;
  ask->sent = g_get_monotonic_time ();
  probe->in_flight++;
  soup_session_send_and_read_async (probe->session, msg, G_PRIORITY_DEFAULT, NULL, on_me, ask);
  return G_SOURCE_CONTINUE;
}

typedef struct {
  guint   waiting;
  guint   status;
} Heavy;

static void
on_heavy (GObject *source, GAsyncResult *result, gpointer data)
{
  Heavy *heavy = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) reply = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  heavy->status = msg ? soup_message_get_status (msg) : 0;
  heavy->waiting--;
}

/* Sends @n copies of a request and asks /me every 20 ms until all are
 * answered; prints /me's p50 and p99 meanwhile. */
static void
measure_beside (const char *what, const char *server_base, const char *me_token, const char *method,
                const char *path, const char *heavy_token, const char *content_type, GBytes *body, guint n)
{
  g_autoptr(SoupSession) heavy_session = soup_session_new_with_options ("max-conns", 64, "max-conns-per-host", 64,
                                                                        "timeout", 600, NULL);
  Probe probe = { 0, };
  Heavy heavy = { n, 0 };
  gint64 start = g_get_monotonic_time ();
  guint timer;

  probe.session = soup_session_new_with_options ("max-conns", 64, "max-conns-per-host", 64, NULL);
  probe.uri = g_strconcat (server_base, "/api/v1/me", NULL);
  probe.token = g_strdup (me_token);
  probe.latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *uri = g_strconcat (server_base, path, NULL);
      g_autoptr(SoupMessage) msg = soup_message_new (method, uri);

      if (heavy_token)
        {
          g_autofree char *header = g_strconcat ("Bearer ", heavy_token, NULL);
          soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
        }
      if (body)
        soup_message_set_request_body_from_bytes (msg, content_type, body);
      soup_session_send_and_read_async (heavy_session, msg, G_PRIORITY_DEFAULT, NULL, on_heavy, &heavy);
    }
  timer = g_timeout_add (20, ask_me, &probe);
  while (heavy.waiting > 0)
    g_main_context_iteration (NULL, TRUE);
  probe.stop = TRUE;
  g_source_remove (timer);
  while (probe.in_flight > 0)
    g_main_context_iteration (NULL, TRUE);
  g_array_sort (probe.latencies, compare_gint64);
  g_print ("GET /me during %s (%.1f s, answered %u): %u asked, p50 %.1f ms, p99 %.1f ms (goal p99 <= 100 ms)\n",
           what, (g_get_monotonic_time () - start) / 1e6, heavy.status, probe.latencies->len,
           probe.latencies->len ? g_array_index (probe.latencies, gint64, probe.latencies->len / 2) / 1000.0 : 0,
           probe.latencies->len ? g_array_index (probe.latencies, gint64, probe.latencies->len * 99 / 100) / 1000.0 : 0);
  g_array_unref (probe.latencies);
  g_object_unref (probe.session);
  g_free (probe.uri);
  g_free (probe.token);
}

static GSubprocess *
serve (const char *binary, const char *db, char **server_base)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, binary, "serve", "--db", db,
                                                    "--listen", "127.0.0.1:0", NULL);
  g_autoptr(GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);

  if (line == NULL || strstr (line, "http://") == NULL)
    g_error ("the server did not start");
  *server_base = g_strndup (strstr (line, "http://"), strstr (line, "/api/v1/") - strstr (line, "http://"));
  return g_steal_pointer (&server);
}

static char *
sign_in (const char *server_base, const char *user)
{
  g_autofree char *body = g_strdup_printf ("{\"user\":\"%s\",\"password\":\"a-long-password\"}", user);
  g_autofree char *saved = base;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonNode) root = NULL;
  char *t;

  base = g_strdup (server_base);
  reply = post ("/api/v1/login", body);
  g_free (base);
  base = g_steal_pointer (&saved);
  root = json_from_string (g_bytes_get_data (reply, NULL), NULL);
  t = g_strdup (json_object_get_string_member (json_node_get_object (root), "token"));
  return t;
}

static double
median_ms (GArray *times)
{
  g_array_sort (times, compare_gint64);
  return g_array_index (times, gint64, times->len / 2) / 1000.0;
}

/* A refused sign-in must not tell whether the name exists: the same work
 * for both. Four of each, each name once, under the per-account limit. */
static void
sign_in_costs (const char *server_base)
{
  g_autoptr(GArray) known = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) unknown = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *saved = base;

  base = g_strdup (server_base);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *stranger = g_strdup_printf ("{\"user\":\"nobody%u\",\"password\":\"wrong-password\"}", i);
      gint64 start = g_get_monotonic_time (), took;
      g_autoptr(GBytes) a = post ("/api/v1/login", "{\"user\":\"disp\",\"password\":\"wrong-password\"}");
      g_autoptr(GBytes) b = NULL;

      took = g_get_monotonic_time () - start;
      g_array_append_val (known, took);
      start = g_get_monotonic_time ();
      b = post ("/api/v1/login", stranger);
      took = g_get_monotonic_time () - start;
      g_array_append_val (unknown, took);
    }
  g_free (base);
  base = g_steal_pointer (&saved);
  g_print ("a refused sign-in: known user %.1f ms, unknown user %.1f ms (median of 4; goal: the same)\n",
           median_ms (known), median_ms (unknown));
}

static void
heavy_work (const char *binary, const char *dir)
{
  g_autofree char *big = g_build_filename (dir, "heavy.db", NULL);
  g_autofree char *files = g_build_filename (dir, "heavy-export", NULL);
  g_autofree char *empty = g_build_filename (dir, "heavy-import.db", NULL);
  g_autofree char *big_base = NULL, *empty_base = NULL, *dispatcher = NULL, *admin = NULL, *admin2 = NULL;
  g_autoptr(GSubprocess) big_server = NULL, empty_server = NULL;
  g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(GBytes) upload = NULL;
  g_autoptr(GDir) d = NULL;
  const char *name;

  /* 0.3 of a city: the scale at which a first copy took 3.8 s on the main
   * loop. */
  run (binary, NULL, "demo", "--db", big, "--scale", "0.3", NULL);
  run (binary, "a-long-password\n", "user", "add", "--db", big, "disp", "--role", "dispatcher", "--password-stdin", NULL);
  run (binary, NULL, "export", "--db", big, files, NULL);
  run (binary, "a-long-password\n", "user", "add", "--db", empty, "admin", "--role", "admin", "--password-stdin", NULL);
  big_server = serve (binary, big, &big_base);
  dispatcher = sign_in (big_base, "disp");
  measure_beside ("a dispatcher's first copy at 0.3 of a city", big_base, dispatcher, "GET", "/api/v1/sync/snapshot",
                  dispatcher, NULL, NULL, 1);
  {
    static const char *right = "{\"user\":\"disp\",\"password\":\"a-long-password\"}";
    g_autoptr(GBytes) body = g_bytes_new_static (right, strlen (right));
    measure_beside ("16 sign-ins at once", big_base, dispatcher, "POST", "/api/v1/login", NULL, "application/json",
                    body, 16);
  }
  sign_in_costs (big_base);
  g_subprocess_send_signal (big_server, SIGTERM);
  g_subprocess_wait (big_server, NULL, NULL);

  d = g_dir_open (files, 0, NULL);
  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (files, name, NULL);
      g_autofree char *content = NULL;
      gsize length;
      g_autoptr(GBytes) part = NULL;

      if (!g_file_get_contents (path, &content, &length, NULL))
        g_error ("cannot read %s", path);
      part = g_bytes_new_take (g_steal_pointer (&content), length);
      soup_multipart_append_form_file (multipart, name, name, "text/csv", part);
    }
  soup_multipart_to_message (multipart, headers, &upload);
  empty_server = serve (binary, empty, &empty_base);
  admin = sign_in (empty_base, "admin");
  admin2 = sign_in (empty_base, "admin");
  measure_beside ("an import of 0.3 of a city over HTTP", empty_base, admin, "POST", "/api/v1/import", admin2,
                  soup_message_headers_get_content_type (headers, NULL) ?
                  soup_message_headers_get_one (headers, "Content-Type") : NULL, upload, 1);
  g_subprocess_send_signal (empty_server, SIGTERM);
  g_subprocess_wait (empty_server, NULL, NULL);
}

int
main (int argc, char *argv[])
{
  const char *binary = g_getenv ("LIANDONG_SERVER");
  g_autofree char *dir = g_dir_make_tmp ("ld-bench-server-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "server.db", NULL);
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  Subscriber subscribers[SUBSCRIBERS] = { { 0, } };
  gint64 start;
  double ingest, floor;
  guint n = BATCH * BATCHES;

  ld_process_init ();
  run (binary, NULL, "demo", "--db", db, "--months", "1", "--scale", "0.001", NULL);
  run (binary, "a-long-password\n", "user", "add", "--db", db, "disp", "--role", "dispatcher", "--password-stdin", NULL);
  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, binary, "serve", "--db", db,
                             "--listen", "127.0.0.1:0", NULL);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  if (line == NULL || strstr (line, "http://") == NULL)
    g_error ("the server did not start");
  base = g_strndup (strstr (line, "http://"), strstr (line, "/api/v1/") - strstr (line, "http://"));
  session = soup_session_new_with_options ("max-conns", 100, "max-conns-per-host", 100, NULL);
  {
    g_autoptr(GBytes) reply = post ("/api/v1/login", "{\"user\":\"disp\",\"password\":\"a-long-password\"}");
    g_autoptr(JsonNode) root = json_from_string (g_bytes_get_data (reply, NULL), NULL);
    token = g_strdup (json_object_get_string_member (json_node_get_object (root), "token"));
  }

  /* Ingest: BATCHES pushes of BATCH new incidents each. */
  start = g_get_monotonic_time ();
  for (guint b = 0; b < BATCHES; b++)
    {
      g_autofree char *body = incident_ops (b * BATCH, BATCH);
      g_autoptr(GBytes) reply = post ("/api/v1/sync/push", body);
      if (strstr (g_bytes_get_data (reply, NULL), "refused"))
        g_error ("an operation was refused");
    }
  ingest = n / ((g_get_monotonic_time () - start) / 1e6);
  floor = floor_rate (dir);
  g_print ("ingest: %u operations in batches of %d: %.0f ops/s (goal >= 5000); raw sqlite floor %.0f ops/s; "
           "ingest runs at %.2f of the floor (goal >= 0.30)\n", n, BATCH, ingest, floor, ingest / floor);

  /* Live feed: time from sending a push to each subscriber hearing of it. */
  for (guint i = 0; i < SUBSCRIBERS; i++)
    {
      g_autofree char *uri = g_strconcat (base, "/api/v1/live?token=", token, NULL);
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
      subscribers[i].arrivals = g_array_new (FALSE, FALSE, sizeof (gint64));
      soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, on_connected, &subscribers[i]);
    }
  for (guint i = 0; i < SUBSCRIBERS; i++)
    while (subscribers[i].connection == NULL || subscribers[i].arrivals->len < 1)
      g_main_context_iteration (NULL, TRUE);
  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autofree char *body = incident_ops (n + round, 1);
      gint64 sent = g_get_monotonic_time ();
      g_autoptr(GBytes) reply = post ("/api/v1/sync/push", body);

      if (reply == NULL)
        g_error ("a push failed");
      for (guint i = 0; i < SUBSCRIBERS; i++)
        {
          gint64 latency;
          while (subscribers[i].arrivals->len < round + 2)
            g_main_context_iteration (NULL, TRUE);
          latency = g_array_index (subscribers[i].arrivals, gint64, round + 1) - sent;
          g_array_append_val (latencies, latency);
        }
    }
  g_array_sort (latencies, compare_gint64);
  g_print ("live feed: %d subscribers x %d pushes: latency p50 %.1f ms, p99 %.1f ms (goal p99 <= 50 ms)\n",
           SUBSCRIBERS, ROUNDS,
           g_array_index (latencies, gint64, latencies->len / 2) / 1000.0,
           g_array_index (latencies, gint64, latencies->len * 99 / 100) / 1000.0);

  for (guint i = 0; i < SUBSCRIBERS; i++)
    {
      g_signal_handlers_disconnect_by_data (subscribers[i].connection, &subscribers[i]);
      g_object_unref (subscribers[i].connection);
      g_array_unref (subscribers[i].arrivals);
    }
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  heavy_work (binary, dir);
  ld_test_remove_tree (dir);
  return 0;
}
