/* ld-sync-engine.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>

#include "ld-client.h"
#include "ld-json.h"
#include "ld-sync-engine.h"

/* At most this many operations in one push (the server takes 1,000), and
 * changes in one pull page (the server gives 5,000). */
#define PUSH_BATCH 500
#define PUSH_BYTES (4 * 1024 * 1024)
#define PULL_PAGE 2000
#define MAX_BACKOFF_MS 15000
/* A link that dies without a FIN is noticed within this many seconds. */
#define KEEPALIVE_S 15

G_DEFINE_ENUM_TYPE (LdSyncState, ld_sync_state,
  G_DEFINE_ENUM_VALUE (LD_SYNC_STATE_OFFLINE, "offline"),
  G_DEFINE_ENUM_VALUE (LD_SYNC_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (LD_SYNC_STATE_ONLINE, "online"),
  G_DEFINE_ENUM_VALUE (LD_SYNC_STATE_SIGNED_OUT, "signed-out"))

struct _LdSyncEngine
{
  GObject                  parent_instance;

  SoupSession             *session;
  LdAccount               *account;
  LdReplica               *replica;
  GCancellable            *cancellable;
  SoupWebsocketConnection *live;

  LdSyncState              state;
  char                    *last_error;
  gboolean                 running;
  gboolean                 busy;
  gboolean                 want_push;
  gboolean                 want_pull;
  gboolean                 idle;
  gint64                   announced_seq;  /* the newest the live feed told of */
  guint                    n_skipped;      /* the server's records this desk could not read */
  guint                    retry_source;
  guint                    slow_source;   /* the pause a 429 asked for */
  guint                    min_backoff_ms;
  guint                    backoff_ms;
};

G_DEFINE_FINAL_TYPE (LdSyncEngine, ld_sync_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_N_PENDING,
  PROP_LAST_ERROR,
  PROP_IDLE,
  PROP_REPLICA,
  N_PROPS
};

enum {
  CHANGED,
  DRILLS_CHANGED,
  DUTY_CHANGED,
  REFUSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void connect_live (LdSyncEngine *self);
static void kick (LdSyncEngine *self);

static void
on_replica_changed (LdReplica *replica, GStrv incidents, GStrv orders, LdSyncEngine *self)
{
  g_signal_emit (self, signals[CHANGED], 0, incidents, orders);
}

static void
on_replica_duty_changed (LdReplica *replica, LdSyncEngine *self)
{
  g_signal_emit (self, signals[DUTY_CHANGED], 0);
}

static void
on_replica_drills_changed (LdReplica *replica, GStrv drills, LdSyncEngine *self)
{
  g_signal_emit (self, signals[DRILLS_CHANGED], 0, drills);
}

static void
on_replica_refused (LdReplica *replica, JsonObject *op, const char *code, const char *reason, LdSyncEngine *self)
{
  g_signal_emit (self, signals[REFUSED], 0, op, code, reason);
}

static void
on_replica_pending (LdReplica *replica, GParamSpec *pspec, LdSyncEngine *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
}

static void
set_replica (LdSyncEngine *self, LdReplica *replica)
{
  if (self->replica)
    g_signal_handlers_disconnect_by_data (self->replica, self);
  g_set_object (&self->replica, replica);
  g_signal_connect_object (replica, "changed", G_CALLBACK (on_replica_changed), self, 0);
  g_signal_connect_object (replica, "drills-changed", G_CALLBACK (on_replica_drills_changed), self, 0);
  g_signal_connect_object (replica, "duty-changed", G_CALLBACK (on_replica_duty_changed), self, 0);
  g_signal_connect_object (replica, "refused", G_CALLBACK (on_replica_refused), self, 0);
  g_signal_connect_object (replica, "notify::n-pending", G_CALLBACK (on_replica_pending), self, 0);
}

static void
ld_sync_engine_dispose (GObject *object)
{
  LdSyncEngine *self = LD_SYNC_ENGINE (object);

  ld_sync_engine_stop (self);
  if (self->replica)
    g_signal_handlers_disconnect_by_data (self->replica, self);
  g_clear_object (&self->replica);
  g_clear_object (&self->account);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ld_sync_engine_parent_class)->dispose (object);
}

static void
ld_sync_engine_finalize (GObject *object)
{
  LdSyncEngine *self = LD_SYNC_ENGINE (object);

  g_free (self->last_error);

  G_OBJECT_CLASS (ld_sync_engine_parent_class)->finalize (object);
}

static void
ld_sync_engine_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LdSyncEngine *self = LD_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_N_PENDING:
      g_value_set_uint (value, ld_sync_engine_get_n_pending (self));
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_IDLE:
      g_value_set_boolean (value, self->idle);
      break;
    case PROP_REPLICA:
      g_value_set_object (value, self->replica);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_sync_engine_class_init (LdSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ld_sync_engine_dispose;
  object_class->finalize = ld_sync_engine_finalize;
  object_class->get_property = ld_sync_engine_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, LD_TYPE_SYNC_STATE, LD_SYNC_STATE_OFFLINE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_PENDING] =
    g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IDLE] =
    g_param_spec_boolean ("idle", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REPLICA] =
    g_param_spec_object ("replica", NULL, NULL, LD_TYPE_REPLICA,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRV, G_TYPE_STRV);
  signals[DRILLS_CHANGED] =
    g_signal_new ("drills-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRV);
  /* The replica's rosters or roll calls changed (LdReplica::duty-changed). */
  signals[DUTY_CHANGED] =
    g_signal_new ("duty-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[REFUSED] =
    g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, JSON_TYPE_OBJECT, G_TYPE_STRING, G_TYPE_STRING);
}

static void
ld_sync_engine_init (LdSyncEngine *self)
{
  self->min_backoff_ms = 1000;
  self->backoff_ms = self->min_backoff_ms;
}

LdSyncEngine *
ld_sync_engine_new (SoupSession *session, LdAccount *account, LdReplica *replica)
{
  LdSyncEngine *self = g_object_new (LD_TYPE_SYNC_ENGINE, NULL);

  self->session = g_object_ref (session);
  self->account = g_object_ref (account);
  set_replica (self, replica);
  return self;
}

LdReplica *ld_sync_engine_get_replica (LdSyncEngine *self) { return self->replica; }
LdStore *ld_sync_engine_get_store (LdSyncEngine *self) { return ld_replica_get_store (self->replica); }

void
ld_sync_engine_get_async (LdSyncEngine *self, const char *path, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *url = NULL;

  g_return_if_fail (LD_IS_SYNC_ENGINE (self));
  g_return_if_fail (path != NULL);

  url = ld_client_api_url (ld_account_get_server_url (self->account), path);
  ld_client_request_async (self->session, "GET", url, ld_account_get_token (self->account), NULL,
                           cancellable, callback, user_data);
}

JsonNode *
ld_sync_engine_get_finish (LdSyncEngine *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (LD_IS_SYNC_ENGINE (self), NULL);

  return ld_client_request_finish (result, error);
}
LdAccount *ld_sync_engine_get_account (LdSyncEngine *self) { return self->account; }
LdSyncState ld_sync_engine_get_state (LdSyncEngine *self) { return self->state; }
const char *ld_sync_engine_get_last_error (LdSyncEngine *self) { return self->last_error; }
gboolean ld_sync_engine_is_idle (LdSyncEngine *self) { return self->idle; }

guint
ld_sync_engine_get_n_pending (LdSyncEngine *self)
{
  return self->replica ? ld_replica_get_n_pending (self->replica) : 0;
}

void
ld_sync_engine_set_min_backoff (LdSyncEngine *self, guint ms)
{
  self->min_backoff_ms = MAX (ms, 1);
  self->backoff_ms = self->min_backoff_ms;
}

static void
set_state (LdSyncEngine *self, LdSyncState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_last_error (LdSyncEngine *self, const char *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
set_idle (LdSyncEngine *self, gboolean idle)
{
  if (self->idle == idle)
    return;
  self->idle = idle;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE]);
}

static gboolean
retry (gpointer data)
{
  LdSyncEngine *self = data;

  self->retry_source = 0;
  connect_live (self);
  return G_SOURCE_REMOVE;
}

static void
drop_live (LdSyncEngine *self)
{
  if (self->live == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->live, self);
  if (soup_websocket_connection_get_state (self->live) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->live, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&self->live);
}

/* Everything that goes wrong with the link ends here: the work in hand is
 * kept (the outbox is on disk) and the link is retried later. */
/* Whatever exchange is still out belongs to the old link: it is cancelled,
 * so that its answer cannot clear the busy flag of the next link's. */
static void
cancel_exchanges (LdSyncEngine *self)
{
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->busy = FALSE;
}

static gboolean
on_slowed (gpointer data)
{
  LdSyncEngine *self = data;

  self->slow_source = 0;
  kick (self);
  return G_SOURCE_REMOVE;
}

/* The server asks this address to slow down (many desks behind one NAT):
 * the link is up and the live feed stays; the exchange is tried again
 * after a pause that grows while the server keeps asking. Dropping the
 * feed would only add the requests of reconnecting. */
static void
slow_down (LdSyncEngine *self, const GError *error)
{
  guint delay = self->backoff_ms + g_random_int_range (0, self->backoff_ms / 4 + 1);

  /* Said, so the status tooltip explains a slow desk. */
  set_last_error (self, error->message);
  if (self->slow_source == 0)
    self->slow_source = g_timeout_add (delay, on_slowed, self);
  self->backoff_ms = MIN (self->backoff_ms * 2, MAX_BACKOFF_MS);
}

static void
lose_link (LdSyncEngine *self, const GError *error)
{
  g_clear_handle_id (&self->slow_source, g_source_remove);
  drop_live (self);
  cancel_exchanges (self);
  set_idle (self, FALSE);
  if (error)
    set_last_error (self, error->message);
  if (!self->running)
    return;
  if (error && g_error_matches (error, LD_CLIENT_ERROR, LD_CLIENT_ERROR_AUTH))
    {
      set_state (self, LD_SYNC_STATE_SIGNED_OUT);
      return;
    }
  set_state (self, LD_SYNC_STATE_OFFLINE);
  if (self->retry_source == 0)
    {
      /* Jitter keeps a room of desktops from reconnecting in step after
       * the server restarts. */
      guint delay = self->backoff_ms + g_random_int_range (0, self->backoff_ms / 4 + 1);

      self->retry_source = g_timeout_add (delay, retry, self);
      self->backoff_ms = MIN (self->backoff_ms * 2, MAX_BACKOFF_MS);
    }
}

static void
on_live_message (SoupWebsocketConnection *connection, gint type, GBytes *message, LdSyncEngine *self)
{
  g_autoptr(JsonNode) root = NULL;
  gsize size = 0;
  const char *data = g_bytes_get_data (message, &size);
  double seq;

  if (type != SOUP_WEBSOCKET_DATA_TEXT || data == NULL)
    return;
  root = ld_json_parse (data, size, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  seq = ld_json_get_number (json_node_get_object (root), "seq");
  /* Cast only what a sequence number can be. */
  if (!(seq >= 0 && seq < 0x1p63))
    return;
  self->announced_seq = MAX (self->announced_seq, (gint64) seq);
  if (self->announced_seq > ld_replica_get_last_seq (self->replica))
    {
      self->want_pull = TRUE;
      kick (self);
    }
}

static void
on_live_closed (SoupWebsocketConnection *connection, LdSyncEngine *self)
{
  g_autoptr(GError) error = NULL;

  /* The server hangs up at once on a token it no longer takes. */
  if (soup_websocket_connection_get_close_code (connection) == SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION)
    error = g_error_new (LD_CLIENT_ERROR, LD_CLIENT_ERROR_AUTH,
                         _("The server no longer accepts this session: sign in again"));
  else
    error = g_error_new (LD_CLIENT_ERROR, LD_CLIENT_ERROR_NETWORK, _("The link to the server was lost"));
  lose_link (self, error);
}

typedef struct {
  LdSyncEngine *self;
  SoupMessage  *msg;
} Connect;

static void
on_live_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  Connect *c = data;
  g_autoptr(LdSyncEngine) self = c->self;
  g_autoptr(SoupMessage) msg = c->msg;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *live = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);

  g_free (c);

  if (live == NULL)
    {
      g_autoptr(GError) mapped = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          return;
        }
      if (msg && soup_message_get_status (msg) == SOUP_STATUS_UNAUTHORIZED)
        g_set_error (&mapped, LD_CLIENT_ERROR, LD_CLIENT_ERROR_AUTH, _("The server no longer accepts this session: sign in again"));
      else
        ld_client_set_error (&mapped, NULL, NULL, error);
      lose_link (self, mapped);
      return;
    }
  if (!self->running || self->live != NULL)
    {
      soup_websocket_connection_close (live, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_object_unref (live);
      return;
    }
  self->live = live;
  /* The server says where it stands first thing; it may not be where it
   * stood before the link went down. */
  self->announced_seq = 0;
  soup_websocket_connection_set_keepalive_interval (live, KEEPALIVE_S);
  g_signal_connect (live, "message", G_CALLBACK (on_live_message), self);
  g_signal_connect (live, "closed", G_CALLBACK (on_live_closed), self);
  self->backoff_ms = self->min_backoff_ms;
  set_last_error (self, NULL);
  set_state (self, LD_SYNC_STATE_ONLINE);
  /* Whatever waited while the link was down goes now. */
  self->want_push = TRUE;
  self->want_pull = TRUE;
  kick (self);
}

static void
connect_live (LdSyncEngine *self)
{
  g_autofree char *url = ld_client_api_url (ld_account_get_server_url (self->account), "/live");
  g_autofree char *bearer = g_strconcat ("Bearer ", ld_account_get_token (self->account), NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  Connect *c;

  if (!self->running || self->live != NULL)
    return;
  if (msg == NULL)
    {
      g_autoptr(GError) error = g_error_new (LD_CLIENT_ERROR, LD_CLIENT_ERROR_NETWORK,
                                             _("“%s” is not a server address"), url);
      lose_link (self, error);
      return;
    }
  if (self->state != LD_SYNC_STATE_ONLINE)
    set_state (self, LD_SYNC_STATE_CONNECTING);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  c = g_new0 (Connect, 1);
  c->self = g_object_ref (self);
  c->msg = g_object_ref (msg);
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->cancellable, on_live_connected, c);
}

static void
on_pushed (GObject *source, GAsyncResult *result, gpointer data)
{
  LdSyncEngine *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = ld_client_request_finish (result, &error);
  JsonNode *results = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    goto out;
  self->busy = FALSE;
  if (root && JSON_NODE_HOLDS_OBJECT (root))
    results = json_object_get_member (json_node_get_object (root), "results");
  if (root != NULL && (results == NULL || !JSON_NODE_HOLDS_ARRAY (results)))
    g_set_error (&error, LD_CLIENT_ERROR, LD_CLIENT_ERROR_PROTOCOL,
                 _("The server answered in a way this version does not understand"));
  if (g_error_matches (error, LD_CLIENT_ERROR, LD_CLIENT_ERROR_BUSY))
    {
      slow_down (self, error);
      goto out;
    }
  if (error == NULL)
    ld_replica_settle (self->replica, json_node_get_array (results), &error);
  if (error)
    {
      lose_link (self, error);
      goto out;
    }
  self->backoff_ms = self->min_backoff_ms;
  /* What was taken comes back in the server's version. */
  self->want_pull = TRUE;
  kick (self);
out:
  g_object_unref (self);
}

static void do_resnapshot (LdSyncEngine *self);

static void
on_pulled (GObject *source, GAsyncResult *result, gpointer data)
{
  LdSyncEngine *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = ld_client_request_finish (result, &error);
  JsonObject *page = NULL;
  guint skipped = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    goto out;
  self->busy = FALSE;
  if (root && JSON_NODE_HOLDS_OBJECT (root))
    page = json_node_get_object (root);
  else if (root)
    g_set_error (&error, LD_CLIENT_ERROR, LD_CLIENT_ERROR_PROTOCOL,
                 _("The server answered in a way this version does not understand"));
  if (g_error_matches (error, LD_CLIENT_ERROR, LD_CLIENT_ERROR_BUSY))
    {
      slow_down (self, error);
      goto out;
    }
  /* A page that asks for a fresh copy is not merged: its sequence would
   * be taken as reached, and the request forgotten if the copy fails. */
  if (error == NULL && json_object_get_boolean_member_with_default (page, "snapshot_required", FALSE))
    {
      do_resnapshot (self);
      goto out;
    }
  if (error == NULL)
    ld_replica_merge (self->replica, page, &skipped, &error);
  if (error)
    {
      lose_link (self, error);
      goto out;
    }
  self->backoff_ms = self->min_backoff_ms;
  /* The desk syncs on without them; the user hears that something is missing. */
  if (skipped > 0)
    {
      g_autofree char *message = NULL;

      self->n_skipped += skipped;
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u record from the server could not be read and was skipped",
                                              "%u records from the server could not be read and were skipped",
                                              self->n_skipped),
                                 self->n_skipped);
      set_last_error (self, message);
    }
  /* An announcement that came during this pull may be past its page. */
  self->want_pull = json_object_get_boolean_member_with_default (page, "more", FALSE) ||
                    self->announced_seq > ld_replica_get_last_seq (self->replica);
  kick (self);
out:
  g_object_unref (self);
}

/* The first operations waiting, as many as fit one request: photos taken
 * offline add up past what the server reads at once (8 MB). One always
 * goes, and one is never larger than that. */
static JsonArray *
next_batch (LdSyncEngine *self)
{
  g_autoptr(JsonArray) waiting = ld_replica_peek (self->replica, PUSH_BATCH);
  JsonArray *batch = json_array_new ();
  gsize bytes = 0;

  for (guint i = 0; i < json_array_get_length (waiting); i++)
    {
      JsonNode *op = json_array_get_element (waiting, i);
      g_autofree char *text = json_to_string (op, FALSE);

      bytes += strlen (text);
      if (i > 0 && bytes > PUSH_BYTES)
        break;
      json_array_add_element (batch, json_node_copy (op));
    }
  return batch;
}

static void
do_push (LdSyncEngine *self)
{
  g_autoptr(JsonArray) ops = next_batch (self);
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *url = ld_client_api_url (ld_account_get_server_url (self->account), "/sync/push");

  json_object_set_array_member (object, "operations", json_array_ref (ops));
  json_node_set_object (body, object);
  self->busy = TRUE;
  ld_client_request_async (self->session, "POST", url, ld_account_get_token (self->account), body,
                           self->cancellable, on_pushed, g_object_ref (self));
}

static void
do_pull (LdSyncEngine *self)
{
  g_autofree char *path = g_strdup_printf ("/sync/pull?since=%" G_GINT64_FORMAT "&limit=%d",
                                           ld_replica_get_last_seq (self->replica), PULL_PAGE);
  g_autofree char *url = ld_client_api_url (ld_account_get_server_url (self->account), path);

  self->busy = TRUE;
  ld_client_request_async (self->session, "GET", url, ld_account_get_token (self->account), NULL,
                           self->cancellable, on_pulled, g_object_ref (self));
}

/* One exchange at a time: pushes first, so that the pull that follows
 * brings the server's version of what was just taken. */
static void
kick (LdSyncEngine *self)
{
  if (self->busy || !self->running || self->state != LD_SYNC_STATE_ONLINE || self->slow_source)
    return;
  if (self->want_push && ld_replica_get_n_pending (self->replica) > 0)
    {
      set_idle (self, FALSE);
      do_push (self);
      return;
    }
  self->want_push = FALSE;
  if (self->want_pull)
    {
      set_idle (self, FALSE);
      do_pull (self);
      return;
    }
  set_idle (self, TRUE);
}

/* The server asks for a fresh copy (an import changed more than a pull
 * carries): the pending operations move over to it. */
static void
on_resnapshot (GObject *source, GAsyncResult *result, gpointer data)
{
  LdSyncEngine *self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = ld_account_get_replica_path (self->account);
  g_autofree char *fresh = g_strconcat (path, ".fresh", NULL);
  g_autoptr(LdStore) store = NULL;
  g_autoptr(LdReplica) replica = NULL;
  g_autoptr(JsonArray) pending = NULL;
  gint64 seq = 0;

  if (!ld_account_download_snapshot_finish (LD_ACCOUNT (source), result, &seq, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        lose_link (self, error);
      g_object_unref (self);
      return;
    }
  self->busy = FALSE;
  pending = ld_replica_peek (self->replica, G_MAXINT);
  store = ld_store_open (fresh, &error);
  if (store)
    replica = ld_replica_new (store, ld_account_get_user (self->account), ld_account_get_device (self->account));
  if (replica == NULL || !ld_replica_set_last_seq (replica, seq, &error) ||
      !ld_replica_adopt (replica, pending, &error))
    {
      g_clear_object (&replica);
      g_clear_object (&store);
      g_unlink (fresh);
      lose_link (self, error);
      g_object_unref (self);
      return;
    }
  /* Both files are closed before the rename: a write-ahead log left beside
   * either name would be read into the other. */
  g_clear_object (&replica);
  g_clear_object (&store);
  g_signal_handlers_disconnect_by_data (self->replica, self);
  g_clear_object (&self->replica);
  if (g_rename (fresh, path) != 0)
    g_warning ("cannot replace %s: %s", path, g_strerror (errno));
  store = ld_store_open (path, &error);
  if (store == NULL)
    {
      /* Nothing left to sync with: say so and stop. */
      g_warning ("cannot open the fresh replica %s: %s", path, error->message);
      set_last_error (self, error->message);
      ld_sync_engine_stop (self);
      g_object_unref (self);
      return;
    }
  replica = ld_replica_new (store, ld_account_get_user (self->account), ld_account_get_device (self->account));
  set_replica (self, replica);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPLICA]);
  self->want_push = TRUE;
  self->want_pull = TRUE;
  kick (self);
  g_object_unref (self);
}

static void
do_resnapshot (LdSyncEngine *self)
{
  g_autofree char *path = ld_account_get_replica_path (self->account);
  g_autofree char *fresh = g_strconcat (path, ".fresh", NULL);

  self->busy = TRUE;
  set_idle (self, FALSE);
  ld_account_download_snapshot_async (self->account, self->session, fresh, self->cancellable,
                                      on_resnapshot, g_object_ref (self));
}

void
ld_sync_engine_start (LdSyncEngine *self)
{
  g_return_if_fail (LD_IS_SYNC_ENGINE (self));

  if (self->running)
    return;
  self->running = TRUE;
  cancel_exchanges (self);
  connect_live (self);
}

void
ld_sync_engine_stop (LdSyncEngine *self)
{
  g_return_if_fail (LD_IS_SYNC_ENGINE (self));

  self->running = FALSE;
  cancel_exchanges (self);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_clear_handle_id (&self->slow_source, g_source_remove);
  drop_live (self);
  set_idle (self, FALSE);
  set_state (self, LD_SYNC_STATE_OFFLINE);
}

void
ld_sync_engine_reconnect (LdSyncEngine *self)
{
  if (!self->running || self->state == LD_SYNC_STATE_ONLINE || self->state == LD_SYNC_STATE_CONNECTING)
    return;
  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->backoff_ms = self->min_backoff_ms;
  connect_live (self);
}

gboolean
ld_sync_engine_submit_action (LdSyncEngine *self, const char *entity, const char *entity_id, const char *action,
                              JsonObject *fields, GError **error)
{
  g_autoptr(JsonObject) op = json_object_new ();

  json_object_set_string_member (op, "entity", entity);
  json_object_set_string_member (op, "entity_id", entity_id);
  json_object_set_string_member (op, "action", action);
  json_object_set_object_member (op, "fields", fields ? fields : json_object_new ());
  return ld_sync_engine_submit (self, op, error);
}

gboolean
ld_sync_engine_submit (LdSyncEngine *self, JsonObject *operation, GError **error)
{
  g_return_val_if_fail (LD_IS_SYNC_ENGINE (self), FALSE);

  if (!ld_replica_submit (self->replica, operation, error))
    return FALSE;
  self->want_push = TRUE;
  kick (self);
  return TRUE;
}
