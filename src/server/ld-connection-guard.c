/* ld-connection-guard.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-server"

#include "config.h"

#include <linux/tcp.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "ld-connection-guard.h"

/* What a refused connection may still send after its answer is read and
 * thrown away, so that closing it does not reset the answer away before
 * the client reads it; past either bound it is closed regardless. */
#define LINGER_MS 1000
#define LINGER_BYTES (1024 * 1024)

typedef enum {
  PHASE_WAITING,   /* accepted or between requests: headers still to come */
  PHASE_BODY,      /* headers in, the body coming */
  PHASE_HANDLING,  /* all in: the server's own work, never timed out here */
  PHASE_CLOSING,   /* closed by us; gone once its socket is */
} Phase;

typedef struct {
  LdConnectionGuard *guard;
  GSocket           *socket;
  SoupServerMessage *msg;
  Phase              phase;
  gint64             since;      /* monotonic: the phase's start, or the body's last chunk */
  gboolean           connected;  /* its I/O is set up: the TLS handshake, if any, is done */
  gboolean           heard;      /* its peer has sent something */
} Conn;

struct _LdConnectionGuard
{
  GObject     parent_instance;

  SoupServer *server;
  GHashTable *conns;            /* GSocket → Conn */
  guint       request_ms;
  guint       body_ms;
  guint       max_connections;
  guint       tick_id;
};

G_DEFINE_FINAL_TYPE (LdConnectionGuard, ld_connection_guard, G_TYPE_OBJECT)

static void
conn_set_msg (Conn *conn, SoupServerMessage *msg)
{
  if (conn->msg)
    {
      g_signal_handlers_disconnect_by_data (conn->msg, conn);
      g_object_unref (conn->msg);
    }
  conn->msg = msg ? g_object_ref (msg) : NULL;
}

static void
conn_free (Conn *conn)
{
  conn_set_msg (conn, NULL);
  g_object_unref (conn->socket);
  g_free (conn);
}

/* What the peer has sent on @socket so far (the kernel counts it, even
 * when a TLS handshake thread has read it already), or -1 when it does
 * not say. */
static gint64
bytes_received (GSocket *socket)
{
  struct tcp_info info;
  socklen_t length = sizeof info;

  memset (&info, 0, sizeof info);
  if (getsockopt (g_socket_get_fd (socket), IPPROTO_TCP, TCP_INFO, &info, &length) != 0 ||
      length < offsetof (struct tcp_info, tcpi_bytes_received) + sizeof info.tcpi_bytes_received)
    return -1;
  return (gint64) info.tcpi_bytes_received;
}

static gboolean
body_pending (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);

  /* Asked to wait for a go-ahead, the client sends no body to a refusal. */
  if (soup_message_headers_get_expectations (headers) & SOUP_EXPECTATION_CONTINUE)
    return FALSE;
  return encoding == SOUP_ENCODING_CHUNKED ||
         (encoding == SOUP_ENCODING_CONTENT_LENGTH && soup_message_headers_get_content_length (headers) > 0);
}

typedef struct {
  GIOStream *stream;
  GSource   *read_source;
  guint      timeout_id;
  gsize      discarded;
} Linger;

static void
linger_end (Linger *linger)
{
  if (linger->read_source)
    {
      g_source_destroy (linger->read_source);
      g_source_unref (linger->read_source);
    }
  g_clear_handle_id (&linger->timeout_id, g_source_remove);
  g_io_stream_close_async (linger->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_object_unref (linger->stream);
  g_free (linger);
}

static gboolean
linger_timeout (gpointer data)
{
  Linger *linger = data;

  linger->timeout_id = 0;
  linger_end (linger);
  return G_SOURCE_REMOVE;
}

static gboolean
linger_read (GObject *stream, gpointer data)
{
  Linger *linger = data;
  char buffer[16384];
  gssize n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (stream), buffer,
                                                       sizeof buffer, NULL, NULL);

  if (n < 0 && !g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (stream)))
    return G_SOURCE_CONTINUE;
  if (n > 0 && (linger->discarded += n) < LINGER_BYTES)
    return G_SOURCE_CONTINUE;
  /* The end, an error or enough: the source goes with the linger. */
  g_clear_pointer (&linger->read_source, g_source_unref);
  g_clear_handle_id (&linger->timeout_id, g_source_remove);
  g_io_stream_close_async (linger->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_object_unref (linger->stream);
  g_free (linger);
  return G_SOURCE_REMOVE;
}

/* Writes @answer on the stolen @stream, stops sending, and reads what the
 * client still sends for a moment before closing. */
static void
answer_and_close (GIOStream *stream, GSocket *socket, const char *answer)
{
  GOutputStream *out = g_io_stream_get_output_stream (stream);
  GInputStream *in = g_io_stream_get_input_stream (stream);
  Linger *linger;

  /* Best effort, never blocking: a client that reads nothing gets nothing. */
  if (G_IS_POLLABLE_OUTPUT_STREAM (out) && g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (out)))
    g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (out), answer, strlen (answer), NULL, NULL);
  g_output_stream_flush (out, NULL, NULL);
  g_socket_shutdown (socket, FALSE, TRUE, NULL);

  linger = g_new0 (Linger, 1);
  linger->stream = g_object_ref (stream);
  if (G_IS_POLLABLE_INPUT_STREAM (in) && g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (in)))
    {
      linger->read_source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (in), NULL);
      g_source_set_callback (linger->read_source, (GSourceFunc) (GCallback) linger_read, linger, NULL);
      g_source_attach (linger->read_source, NULL);
    }
  linger->timeout_id = g_timeout_add (LINGER_MS, linger_timeout, linger);
}

/* Closes @conn outside of its own I/O: a connection that is set up is
 * taken from libsoup, which forgets it at once; one still in its TLS
 * handshake is shut down under it, and libsoup drops it when the
 * handshake fails. */
static void
conn_close (Conn *conn, const char *answer)
{
  g_autoptr(GIOStream) stream = NULL;

  conn->phase = PHASE_CLOSING;
  conn->since = g_get_monotonic_time ();
  if (conn->connected && conn->msg)
    stream = soup_server_message_steal_connection (conn->msg);
  conn_set_msg (conn, NULL);
  if (stream == NULL)
    g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
  else if (answer)
    answer_and_close (stream, conn->socket, answer);
  else
    g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
}

/* When descriptors run short, those that have asked nothing yet give way
 * to the newest, oldest first. */
static void
shed (LdConnectionGuard *self)
{
  while (g_hash_table_size (self->conns) > self->max_connections)
    {
      GHashTableIter iter;
      Conn *conn, *oldest = NULL;
      guint closing = 0;

      g_hash_table_iter_init (&iter, self->conns);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conn))
        {
          if (conn->phase == PHASE_CLOSING)
            closing++;
          else if (conn->phase == PHASE_WAITING && (oldest == NULL || conn->since < oldest->since))
            oldest = conn;
        }
      if (oldest == NULL || g_hash_table_size (self->conns) - closing <= self->max_connections)
        return;
      g_debug ("descriptors short: closing a connection idle for %" G_GINT64_FORMAT " ms",
               (g_get_monotonic_time () - oldest->since) / 1000);
      conn_close (oldest, NULL);
    }
}

static void
on_connected (SoupServerMessage *msg, Conn *conn)
{
  conn->connected = TRUE;
}

static void
on_got_headers (SoupServerMessage *msg, Conn *conn)
{
  if (conn->phase != PHASE_WAITING)
    return;
  conn->phase = PHASE_BODY;
  conn->since = g_get_monotonic_time ();
}

static void
on_got_chunk (SoupServerMessage *msg, GBytes *chunk, Conn *conn)
{
  if (conn->phase == PHASE_BODY)
    conn->since = g_get_monotonic_time ();
}

static void
on_got_body (SoupServerMessage *msg, Conn *conn)
{
  if (conn->phase == PHASE_BODY)
    conn->phase = PHASE_HANDLING;
  /* libsoup 3.2 never frees a kept-alive connection that its client
   * closes (fixed upstream in 3.3): each one would hold a descriptor
   * until the server stops. So every answer closes its connection; the
   * live feed's upgrade keeps its own. */
  if (soup_server_message_get_status (msg) != SOUP_STATUS_SWITCHING_PROTOCOLS)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
}

/* The answer is out and its connection closes behind it (see
 * on_got_body): nothing is left to time out, and the message, with a
 * body of up to 8 MiB, is not kept until the next tick. */
static void
on_finished (SoupServerMessage *msg, Conn *conn)
{
  if (conn->phase == PHASE_HANDLING)
    g_hash_table_remove (conn->guard->conns, conn->socket);
}

static void
on_request_started (SoupServer *server, SoupServerMessage *msg, LdConnectionGuard *self)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  Conn *conn;

  if (socket == NULL)
    return;
  conn = g_hash_table_lookup (self->conns, socket);
  if (conn == NULL)
    {
      conn = g_new0 (Conn, 1);
      conn->guard = self;
      conn->socket = g_object_ref (socket);
      g_hash_table_insert (self->conns, socket, conn);
    }
  conn_set_msg (conn, msg);
  conn->phase = PHASE_WAITING;
  conn->since = g_get_monotonic_time ();
  g_signal_connect (msg, "connected", G_CALLBACK (on_connected), conn);
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), conn);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), conn);
  g_signal_connect (msg, "got-body", G_CALLBACK (on_got_body), conn);
  g_signal_connect (msg, "finished", G_CALLBACK (on_finished), conn);
  shed (self);
}

static gboolean
tick (gpointer data)
{
  LdConnectionGuard *self = data;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  Conn *conn;

  g_hash_table_iter_init (&iter, self->conns);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conn))
    {
      gint64 idle_ms = (now - conn->since) / 1000;

      if (g_socket_is_closed (conn->socket))
        g_hash_table_iter_remove (&iter);
      /* A TLS handshake holds a thread of a small shared pool while it
       * waits for the client's first words: one that has said nothing
       * after a quarter of its time gives its place to those that talk. */
      else if (conn->phase == PHASE_WAITING && !conn->heard && idle_ms > self->request_ms / 4 &&
               !(conn->heard = bytes_received (conn->socket) != 0))
        conn_close (conn, NULL);
      else if ((conn->phase == PHASE_WAITING && idle_ms > self->request_ms) ||
               (conn->phase == PHASE_BODY && idle_ms > self->body_ms))
        conn_close (conn, NULL);
      else if (conn->phase == PHASE_CLOSING && idle_ms > 2 * LINGER_MS)
        /* Its linger is over and whoever holds it closes it: it is no
         * longer one to time out or to count. */
        g_hash_table_iter_remove (&iter);
    }
  return G_SOURCE_CONTINUE;
}

static void
restart_tick (LdConnectionGuard *self)
{
  guint period = CLAMP (MIN (self->request_ms, self->body_ms) / 4, 50, 1000);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  self->tick_id = g_timeout_add (period, tick, self);
}

static void
ld_connection_guard_finalize (GObject *object)
{
  LdConnectionGuard *self = (LdConnectionGuard *) object;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->server)
    {
      g_signal_handlers_disconnect_by_data (self->server, self);
      g_object_remove_weak_pointer (G_OBJECT (self->server), (gpointer *) &self->server);
    }
  g_clear_pointer (&self->conns, g_hash_table_unref);

  G_OBJECT_CLASS (ld_connection_guard_parent_class)->finalize (object);
}

static void
ld_connection_guard_class_init (LdConnectionGuardClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ld_connection_guard_finalize;
}

static void
ld_connection_guard_init (LdConnectionGuard *self)
{
  self->conns = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) conn_free);
  self->request_ms = 10000;
  self->body_ms = 30000;
  self->max_connections = G_MAXUINT;
}

LdConnectionGuard *
ld_connection_guard_new (SoupServer *server)
{
  LdConnectionGuard *self = g_object_new (LD_TYPE_CONNECTION_GUARD, NULL);

  self->server = server;
  g_object_add_weak_pointer (G_OBJECT (server), (gpointer *) &self->server);
  g_signal_connect (server, "request-started", G_CALLBACK (on_request_started), self);
  restart_tick (self);
  return self;
}

void
ld_connection_guard_set_timeouts (LdConnectionGuard *self, guint request_ms, guint body_ms)
{
  g_return_if_fail (LD_IS_CONNECTION_GUARD (self));

  self->request_ms = request_ms;
  self->body_ms = body_ms;
  restart_tick (self);
}

void
ld_connection_guard_set_max_connections (LdConnectionGuard *self, guint connections)
{
  g_return_if_fail (LD_IS_CONNECTION_GUARD (self));

  self->max_connections = MAX (connections, 1);
}

guint
ld_connection_guard_get_n_connections (LdConnectionGuard *self)
{
  g_return_val_if_fail (LD_IS_CONNECTION_GUARD (self), 0);

  return g_hash_table_size (self->conns);
}

void
ld_connection_guard_release (LdConnectionGuard *self, SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  g_return_if_fail (LD_IS_CONNECTION_GUARD (self));

  if (socket)
    g_hash_table_remove (self->conns, socket);
}

typedef struct {
  LdConnectionGuard *guard;
  GSocket           *socket;
  char              *answer;
} Refusal;

static gboolean
refuse_later (gpointer data)
{
  Refusal *refusal = data;
  Conn *conn = refusal->guard ? g_hash_table_lookup (refusal->guard->conns, refusal->socket) : NULL;

  if (conn && conn->msg)
    conn_close (conn, refusal->answer);
  if (refusal->guard)
    g_object_remove_weak_pointer (G_OBJECT (refusal->guard), (gpointer *) &refusal->guard);
  g_object_unref (refusal->socket);
  g_free (refusal->answer);
  g_free (refusal);
  return G_SOURCE_REMOVE;
}

void
ld_connection_guard_refuse (LdConnectionGuard *self, SoupServerMessage *msg, guint status, const char *body)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  Conn *conn = socket ? g_hash_table_lookup (self->conns, socket) : NULL;
  const char *retry_after;
  Refusal *refusal;

  g_return_if_fail (LD_IS_CONNECTION_GUARD (self));

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  if (conn == NULL || conn->phase == PHASE_HANDLING || conn->phase == PHASE_CLOSING || !body_pending (msg))
    {
      /* Nothing more to read: libsoup answers and closes as usual. */
      soup_server_message_set_status (msg, status, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
      return;
    }

  /* The body is not read: libsoup stops reading at the pause, and the
   * connection is taken from it once its I/O has unwound. */
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_pause (msg);
  conn->phase = PHASE_CLOSING;
  conn->since = g_get_monotonic_time ();
  refusal = g_new0 (Refusal, 1);
  refusal->guard = self;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &refusal->guard);
  refusal->socket = g_object_ref (socket);
  retry_after = soup_message_headers_get_one (soup_server_message_get_response_headers (msg), "Retry-After");
  refusal->answer = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                                     "Content-Type: application/json\r\n"
                                     "Content-Length: %zu\r\n"
                                     "%s%s%s"
                                     "Connection: close\r\n"
                                     "\r\n"
                                     "%s",
                                     status, soup_status_get_phrase (status) ? soup_status_get_phrase (status) : "Refused",
                                     strlen (body),
                                     retry_after ? "Retry-After: " : "", retry_after ? retry_after : "", retry_after ? "\r\n" : "",
                                     body);
  g_idle_add (refuse_later, refusal);
}
