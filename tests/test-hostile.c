/* test-hostile.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The central server against whoever can reach it on a city's intranet:
 * the real binary, raw sockets where a well-behaved client would not do
 * what an attacker does, and what the server holds counted from /proc.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ld-test-city.h"
#include "ld-test-server.h"
#include "ld-test-util.h"

typedef struct {
  char        *dir;
  char        *db;
  GSubprocess *server;
  char        *base;
  guint16      port;
  SoupSession *session;
} Fixture;

static void
start_server (Fixture *f, const char * const *extra, guint nofile)
{
  g_autofree char *port = NULL;

  f->server = ld_test_server_spawn_full (f->db, "127.0.0.1:0", extra, nofile, &f->base);
  port = g_strdup (strrchr (f->base, ':') + 1);
  f->port = (guint16) atoi (port);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  const char * const extra[] = { "--client-timeout", "1", NULL };

  f->dir = ld_test_make_tmp ("ld-hostile-XXXXXX");
  f->db = g_build_filename (f->dir, "city.db", NULL);
  g_object_unref (ld_test_city_new (f->db));
  ld_test_server_add_user (f->db, "admin", "admin");
  ld_test_server_add_user (f->db, "dispatcher", "dispatcher");
  start_server (f, data ? data : extra, 0);
  f->session = soup_session_new ();
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->session);
  if (f->server)
    {
      g_subprocess_force_exit (f->server);
      g_subprocess_wait (f->server, NULL, NULL);
    }
  g_clear_object (&f->server);
  ld_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->base);
}

/* What the server process holds */

static guint
count_descriptors (Fixture *f)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/fd", g_subprocess_get_identifier (f->server));
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir))
    n++;
  return n;
}

static guint64
resident_kib (Fixture *f)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (f->server));
  g_autofree char *text = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  line = strstr (text, "VmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
}

/* The server is another process: nothing happens in this one's main loop
 * while it waits, so it looks again every 20 ms, for at most 30 s. */
static void
wait_descriptors (Fixture *f, guint at_most, const char *what)
{
  for (guint i = 0; i < 1500; i++)
    {
      if (count_descriptors (f) <= at_most)
        return;
      g_usleep (20000);
    }
  g_error ("timed out waiting for %s: %u descriptors, expected at most %u", what, count_descriptors (f), at_most);
}

/* Requests */

static guint
request (Fixture *f, const char *method, const char *path, const char *token, const char *body,
         char **answer)
{
  g_autofree char *uri = g_strconcat (f->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

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
  bytes = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  if (answer)
    *answer = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return soup_message_get_status (msg);
}

static char *
login (Fixture *f, const char *user)
{
  g_autofree char *body = g_strdup_printf ("{\"user\":\"%s\",\"password\":\"a-long-password\",\"device\":\"t\"}", user);
  g_autofree char *answer = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpuint (request (f, "POST", "/api/v1/login", NULL, body, &answer), ==, 200);
  root = json_from_string (answer, NULL);
  return g_strdup (json_object_get_string_member (json_node_get_object (root), "token"));
}

static void
assert_alive (Fixture *f)
{
  g_autofree char *token = login (f, "dispatcher");
  g_assert_cmpuint (request (f, "GET", "/api/v1/me", token, NULL, NULL), ==, 200);
}

static GSocketConnection *
connect_raw (Fixture *f)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection = g_socket_client_connect_to_host (client, "127.0.0.1", f->port, NULL, &error);

  g_assert_no_error (error);
  return connection;
}

static void
send_raw (GSocketConnection *connection, const char *data, gsize length)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), data, length, NULL, NULL,
                             &error);
  g_assert_no_error (error);
}

/* Reads what the server sends before it closes, for at most @seconds. */
static char *
read_answer (GSocketConnection *connection, guint seconds)
{
  GSocket *socket = g_socket_connection_get_socket (connection);
  GString *text = g_string_new (NULL);
  char buffer[4096];
  gssize n;

  g_socket_set_timeout (socket, seconds);
  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)), buffer, sizeof buffer,
                                   NULL, NULL)) > 0)
    {
      g_string_append_len (text, buffer, n);
      if (strstr (text->str, "\r\n\r\n") && strstr (text->str, "Content-Length: "))
        {
          const char *head_end = strstr (text->str, "\r\n\r\n") + 4;
          gsize length = g_ascii_strtoull (strstr (text->str, "Content-Length: ") + 16, NULL, 10);
          if (text->len >= (gsize) (head_end - text->str) + length)
            break;
        }
    }
  return g_string_free (text, FALSE);
}

/* 1. No request can crash it */

static char *
nested (const char *open, const char *close, guint depth)
{
  GString *s = g_string_sized_new (depth * (strlen (open) + strlen (close)));

  for (guint i = 0; i < depth; i++)
    g_string_append (s, open);
  for (guint i = 0; i < depth; i++)
    g_string_append (s, close);
  return g_string_free (s, FALSE);
}

static void
test_deep_json (Fixture *f, gconstpointer data)
{
  g_autofree char *arrays = nested ("[", "]", 85000);
  g_autofree char *objects = nested ("{\"a\":", "}", 85000);
  g_autofree char *answer = NULL;
  g_autofree char *token = NULL;

  /* Without a token, to the one route anyone may call. */
  g_assert_cmpuint (request (f, "POST", "/api/v1/login", NULL, arrays, &answer), ==, 400);
  g_assert_nonnull (strstr (answer, "malformed-json"));
  g_assert_cmpuint (request (f, "POST", "/api/v1/login", NULL, objects, NULL), ==, 400);
  token = login (f, "dispatcher");
  g_assert_cmpuint (request (f, "POST", "/api/v1/sync/push", token, objects, NULL), ==, 400);
  assert_alive (f);
}

/* A document that goes on after its value: json-glib 1.6 would build the
 * rest and keep it, a few megabytes a sign-in, without an account. */
static void
test_second_value (Fixture *f, gconstpointer data)
{
  GString *body = g_string_new ("{\"user\":\"nobody\",\"password\":\"a-long-password\"}[");
  g_autofree char *answer = NULL;
  guint64 rss_before;

  for (guint i = 0; i < 3 * 1024 * 1024; i++)
    g_string_append (body, "1,");
  g_string_append (body, "1]");
  rss_before = resident_kib (f);
  for (guint i = 0; i < 20; i++)
    {
      g_clear_pointer (&answer, g_free);
      g_assert_cmpuint (request (f, "POST", "/api/v1/login", NULL, body->str, &answer), ==, 400);
    }
  g_assert_nonnull (strstr (answer, "malformed-json"));
  g_assert_cmpuint (resident_kib (f), <, rss_before + 32 * 1024);
  g_string_free (body, TRUE);
  assert_alive (f);
}

static guint
post_import (Fixture *f, const char *token, const char *name, const char *content, char **answer)
{
  g_autoptr(SoupMultipart) multipart = soup_multipart_new ("multipart/form-data");
  g_autoptr(GBytes) part = g_bytes_new (content, strlen (content));
  g_autofree char *uri = g_strconcat (f->base, "/api/v1/import", NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *header = g_strconcat ("Bearer ", token, NULL);

  soup_multipart_append_form_file (multipart, name, name, "application/octet-stream", part);
  msg = soup_message_new_from_multipart (uri, multipart);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
  bytes = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  if (answer)
    *answer = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return soup_message_get_status (msg);
}

static void
test_deep_geojson (Fixture *f, gconstpointer data)
{
  g_autofree char *token = login (f, "admin");
  g_autofree char *deep = nested ("[", "]", 100000);
  g_autofree char *geojson = g_strdup_printf ("{\"type\":\"FeatureCollection\",\"features\":%s}", deep);
  g_autofree char *answer = NULL;
  g_autofree char *bad_rows = NULL;

  g_assert_cmpuint (post_import (f, token, "regions.geojson", geojson, &answer), ==, 400);
  g_assert_null (strstr (answer, f->dir));
  /* A bad row is named by the file the admin sent, not the server's path. */
  g_assert_cmpuint (post_import (f, token, "incidents.csv", "id,received_at,source,kind\nx,yesterday,110,linkage\n",
                                 &bad_rows), ==, 400);
  g_assert_nonnull (strstr (bad_rows, "\"incidents.csv:2:"));
  g_assert_null (strstr (bad_rows, f->dir));
  assert_alive (f);
}

/* 4. It never goes deaf */

/* libsoup 3.2 kept every kept-alive connection its client closed. */
static void
test_closed_connections (Fixture *f, gconstpointer data)
{
  guint before = count_descriptors (f);
  guint at_most = before + 2;

  /* Fewer than the rate limit lets through at once. */
  for (guint i = 0; i < 150; i++)
    {
      g_autoptr(GSocketConnection) connection = connect_raw (f);
      const char *get = "GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n";
      g_autofree char *answer = NULL;

      send_raw (connection, get, strlen (get));
      answer = read_answer (connection, 5);
      g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 401"));
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    }
  wait_descriptors (f, at_most, "the server to close what its clients closed");
  assert_alive (f);
}

/* Connections that never ask, or ask too slowly, are closed. */
static void
test_slow_clients (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) idle = g_ptr_array_new_with_free_func (g_object_unref);
  guint before = count_descriptors (f);
  guint at_most = before + 2;

  for (guint i = 0; i < 60; i++)
    {
      GSocketConnection *connection = connect_raw (f);
      /* Half of them start a request and never end its headers. */
      if (i % 2)
        send_raw (connection, "GET /api/v1/me HTTP/1.1\r\nHost: 1", 31);
      g_ptr_array_add (idle, connection);
    }
  wait_descriptors (f, at_most, "the server to close connections that send nothing");
  assert_alive (f);
}

/* A body that stops coming is given up on: the server closes its end. */
static void
test_stalled_body (Fixture *f, gconstpointer data)
{
  g_autofree char *token = login (f, "dispatcher");
  g_autoptr(GSocketConnection) connection = connect_raw (f);
  g_autofree char *head = g_strdup_printf ("POST /api/v1/sync/push HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                           "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                                           "Content-Length: 1000\r\n\r\n{\"operations\":[", token);
  g_autoptr(GError) error = NULL;
  char buffer[256];
  gssize n;

  send_raw (connection, head, strlen (head));
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 20);
  n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)), buffer, sizeof buffer, NULL,
                           &error);
  /* The end, or a reset: not a read that waited in vain. */
  g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
  g_assert_cmpint (n, <=, 0);
}

/* The server is started with 64 descriptors: 200 idle connections leave
 * it answering, the oldest idle ones closed to make room. */
static void
test_descriptors_short (Fixture *f, gconstpointer data)
{
  const char * const extra[] = { "--client-timeout", "600", NULL };
  g_autoptr(GPtrArray) idle = g_ptr_array_new_with_free_func (g_object_unref);

  g_subprocess_force_exit (f->server);
  g_subprocess_wait (f->server, NULL, NULL);
  g_clear_object (&f->server);
  g_free (f->base);
  start_server (f, extra, 64);

  for (guint i = 0; i < 200; i++)
    g_ptr_array_add (idle, connect_raw (f));
  g_assert_cmpuint (count_descriptors (f), <=, 64);
  assert_alive (f);
}

static gboolean
accept_ours (SoupMessage *msg, GTlsCertificate *certificate, GTlsCertificateFlags errors, gpointer ours)
{
  return g_tls_certificate_is_same (certificate, ours);
}

/* A hundred connections that never send a ClientHello hold the TLS
 * handshakes up no longer than their deadline: a desk after them is
 * served. */
static void
test_idle_tls_handshakes (Fixture *f, gconstpointer data)
{
  g_autofree char *cert = g_build_filename (f->dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (f->dir, "key.pem", NULL);
  g_autofree char *openssl = ld_test_find_program ("openssl", "openssl");
  const char * const extra[] = { "--client-timeout", "2", "--tls-cert", cert, "--tls-key", key, NULL };
  g_autoptr(GPtrArray) idle = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSubprocess) make = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *uri = NULL;

  make = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                           openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                           "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert, NULL);
  g_assert_true (g_subprocess_wait_check (make, NULL, &error));
  certificate = g_tls_certificate_new_from_files (cert, key, &error);
  g_assert_no_error (error);

  g_subprocess_force_exit (f->server);
  g_subprocess_wait (f->server, NULL, NULL);
  g_clear_object (&f->server);
  g_free (f->base);
  start_server (f, extra, 0);
  for (guint i = 0; i < 100; i++)
    g_ptr_array_add (idle, connect_raw (f));

  uri = g_strdup_printf ("https://127.0.0.1:%u/api/v1/me", f->port);
  msg = soup_message_new ("GET", uri);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_ours), certificate);
  g_object_set (f->session, "timeout", 30, NULL);
  bytes = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
}

/* 5. It reads no body it will refuse */

static void
test_unread_bodies (Fixture *f, gconstpointer data)
{
  g_autoptr(GSocketConnection) connection = NULL;
  const char *head = "POST /api/v1/import HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 1073741824\r\n\r\n";
  g_autofree char *answer = NULL;
  g_autofree char *token = login (f, "dispatcher");
  g_autoptr(GSocketConnection) chunked = NULL;
  g_autofree char *chunked_head = g_strdup_printf ("POST /api/v1/sync/push HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                   "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                                                   "Transfer-Encoding: chunked\r\n\r\n", token);
  g_autofree char *chunk = NULL;
  guint64 rss_before = resident_kib (f);
  gsize sent = 0;
  GError *error = NULL;

  /* A gigabyte announced without a token: refused from the headers,
   * without waiting for a byte of it. */
  /* Connections are made just before they talk: one silent for a quarter
   * of the client timeout is closed. */
  connection = connect_raw (f);
  send_raw (connection, head, strlen (head));
  answer = read_answer (connection, 10);
  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 401"));

  /* A chunked body says nothing of its size: it is counted as it comes,
   * and cut off past the limit (8 MiB). */
  chunked = connect_raw (f);
  send_raw (chunked, chunked_head, strlen (chunked_head));
  chunk = g_strdup_printf ("100000\r\n%*s\r\n", 0x100000, "");
  for (guint i = 0; i < 64 && error == NULL; i++)
    {
      g_socket_set_timeout (g_socket_connection_get_socket (chunked), 10);
      if (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (chunked)), chunk, strlen (chunk),
                                     NULL, NULL, &error))
        sent += 0x100000;
    }
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (sent, <, 32 * 0x100000);
  g_assert_cmpuint (resident_kib (f), <, rss_before + 32 * 1024);
  assert_alive (f);
}

static void
test_field_bounds (Fixture *f, gconstpointer data)
{
  g_autofree char *device = g_strnfill (4 * 1024 * 1024, 'd');
  g_autofree char *body = g_strdup_printf ("{\"user\":\"dispatcher\",\"password\":\"a-long-password\",\"device\":\"%s\"}",
                                           device);
  g_autofree char *answer = NULL;

  g_assert_cmpuint (request (f, "POST", "/api/v1/login", NULL, body, &answer), ==, 400);
  g_assert_nonnull (strstr (answer, "too long"));
}

/* 6. Heavy work never holds the rest */

/* Password checks take a tenth of a second each: /me, asked after eight
 * sign-ins are at the server, is answered while some of them still wait. */
static void
test_sign_ins_in_threads (Fixture *f, gconstpointer data)
{
  g_autofree char *token = login (f, "dispatcher");
  g_autofree char *me = g_strdup_printf ("GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                         "Authorization: Bearer %s\r\n\r\n", token);
  g_autoptr(GPtrArray) sign_ins = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocketConnection) asking = NULL;
  g_autofree char *answer = NULL;
  guint answered = 0;

  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"user\":\"user%u\",\"password\":\"wrong-password\"}", i);
      g_autofree char *text = g_strdup_printf ("POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                               "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                                               strlen (body), body);
      GSocketConnection *connection = connect_raw (f);

      send_raw (connection, text, strlen (text));
      g_ptr_array_add (sign_ins, connection);
    }
  asking = connect_raw (f);
  send_raw (asking, me, strlen (me));
  answer = read_answer (asking, 20);
  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 200"));
  for (guint i = 0; i < sign_ins->len; i++)
    if (g_socket_condition_check (g_socket_connection_get_socket (g_ptr_array_index (sign_ins, i)), G_IO_IN))
      answered++;
  g_assert_cmpuint (answered, <, 8);
  for (guint i = 0; i < sign_ins->len; i++)
    {
      g_autofree char *refused = read_answer (g_ptr_array_index (sign_ins, i), 20);
      g_assert_true (g_str_has_prefix (refused, "HTTP/1.1 401"));
    }
}

/* 7. Sign-in gives nothing away */

static void
test_sign_in_throttle (Fixture *f, gconstpointer data)
{
  const char *names[] = { "admin", "nobody-of-that-name" };

  for (guint n = 0; n < G_N_ELEMENTS (names); n++)
    {
      g_autofree char *body = g_strdup_printf ("{\"user\":\"%s\",\"password\":\"not-the-password\"}", names[n]);
      g_autofree char *uri = g_strconcat (f->base, "/api/v1/login", NULL);

      for (guint i = 0; i < 5; i++)
        g_assert_cmpuint (request (f, "POST", "/api/v1/login", NULL, body, NULL), ==, 401);
      {
        g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
        g_autoptr(GBytes) sent = g_bytes_new (body, strlen (body));
        g_autoptr(GBytes) bytes = NULL;

        soup_message_set_request_body_from_bytes (msg, "application/json", sent);
        bytes = soup_session_send_and_read (f->session, msg, NULL, NULL);
        /* Known or not, the account waits alike. */
        g_assert_cmpuint (soup_message_get_status (msg), ==, 429);
        g_assert_nonnull (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After"));
      }
    }
  /* Another account from the same address is heard. */
  assert_alive (f);
}

/* 8. Files and processes */

static void
test_files (Fixture *f, gconstpointer data)
{
  g_autofree char *work = g_strconcat (f->db, ".work", NULL);
  g_autofree char *leftover = g_build_filename (work, "snapshot-abc123", NULL);
  g_autofree char *leftover_file = g_build_filename (leftover, "replica.db", NULL);
  g_autofree char *upload = g_build_filename (work, "upload-abc123", NULL);
  g_autofree char *fresh = g_build_filename (f->dir, "fresh.db", NULL);
  struct stat st;

  /* Made by the server's own command under its umask: the owner's alone. */
  ld_test_server_add_user (fresh, "admin", "admin");
  g_assert_cmpint (g_stat (fresh, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 077, ==, 0);
  g_assert_cmpint (g_stat (work, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 077, ==, 0);

  /* What a killed server left is gone when the next one starts. */
  g_subprocess_force_exit (f->server);
  g_subprocess_wait (f->server, NULL, NULL);
  g_clear_object (&f->server);
  g_free (f->base);
  g_assert_cmpint (g_mkdir_with_parents (leftover, 0700), ==, 0);
  g_assert_true (g_file_set_contents (leftover_file, "password hashes", -1, NULL));
  g_assert_true (g_file_set_contents (upload, "incidents", -1, NULL));
  start_server (f, NULL, 0);
  g_assert_false (g_file_test (leftover, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (upload, G_FILE_TEST_EXISTS));
}

/* Lets other users through the folders above @path, up to the test's
 * own, to reach what @path holds: @path keeps its own mode. */
static void
let_others_through (const char *path)
{
  const char *top = g_getenv ("G_TEST_TMPDIR");
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_nonnull (top);
  while (g_str_has_prefix (dir, top))
    {
      char *parent = g_path_get_dirname (dir);

      g_assert_cmpint (g_chmod (dir, 0711), ==, 0);
      g_free (dir);
      dir = parent;
    }
}

/* A database the server cannot write: it says so and does not start. */
static void
test_read_only_database (Fixture *f, gconstpointer data)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) serve = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *setpriv = NULL;

  g_subprocess_force_exit (f->server);
  g_subprocess_wait (f->server, NULL, NULL);
  g_clear_object (&f->server);
  g_assert_cmpint (g_chmod (f->db, 0444), ==, 0);
  g_assert_cmpint (g_chmod (f->dir, 0555), ==, 0);
  /* Root writes whatever the mode says: the server runs as nobody. */
  if (getuid () == 0)
    {
      let_others_through (f->dir);
      setpriv = ld_test_find_program ("setpriv", "util-linux");
      serve = g_subprocess_launcher_spawn (launcher, &error, setpriv, "--reuid=65534", "--regid=65534",
                                           "--clear-groups", g_getenv ("LIANDONG_SERVER"), "serve", "--db", f->db,
                                           "--listen", "127.0.0.1:0", NULL);
    }
  else
    serve = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("LIANDONG_SERVER"), "serve", "--db", f->db,
                                         "--listen", "127.0.0.1:0", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (serve, NULL, NULL, NULL, &err, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (serve), ==, 1);
  g_assert_nonnull (strstr (err, "cannot be written"));
  g_chmod (f->dir, 0700);
  g_chmod (f->db, 0600);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/hostile/crash/deep-json", test_deep_json);
  ADD ("/hostile/crash/second-value", test_second_value);
  ADD ("/hostile/crash/deep-geojson-import", test_deep_geojson);
  ADD ("/hostile/deaf/client-closed-connections", test_closed_connections);
  ADD ("/hostile/deaf/slow-clients", test_slow_clients);
  ADD ("/hostile/deaf/stalled-body", test_stalled_body);
  ADD ("/hostile/deaf/descriptors-short", test_descriptors_short);
  ADD ("/hostile/deaf/idle-tls-handshakes", test_idle_tls_handshakes);
  ADD ("/hostile/body/unread", test_unread_bodies);
  ADD ("/hostile/body/field-bounds", test_field_bounds);
  ADD ("/hostile/heavy/sign-ins-in-threads", test_sign_ins_in_threads);
  ADD ("/hostile/sign-in/throttle", test_sign_in_throttle);
  ADD ("/hostile/files/owner-only-and-leftovers", test_files);
  ADD ("/hostile/files/read-only-database", test_read_only_database);
#undef ADD

  return g_test_run ();
}
