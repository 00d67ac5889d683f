/* ld-account.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "ld-account.h"
#include "ld-client.h"
#include "ld-json.h"

struct _LdAccount
{
  GObject  parent_instance;

  char    *dir;
  char    *server_url;
  char    *token;
  char    *device;
  LdUser   user;
  /* The token is in the keyring rather than in session.json. */
  gboolean in_keyring;
  gboolean training;     /* signed in to a training store */
};

G_DEFINE_FINAL_TYPE (LdAccount, ld_account, G_TYPE_OBJECT)

static void
ld_account_finalize (GObject *object)
{
  LdAccount *self = LD_ACCOUNT (object);

  g_free (self->dir);
  g_free (self->server_url);
  g_free (self->token);
  g_free (self->device);
  g_free (self->user.name);
  g_free (self->user.display_name);
  g_free (self->user.role);
  g_free (self->user.unit_code);

  G_OBJECT_CLASS (ld_account_parent_class)->finalize (object);
}

static void
ld_account_class_init (LdAccountClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ld_account_finalize;
}

static void
ld_account_init (LdAccount *self)
{
}

char *
ld_account_dir_for (const char *base_dir, const char *server_url, const char *user_name)
{
  g_autofree char *server = g_strdup (server_url);
  g_autofree char *user = g_strdup (user_name);

  /* One folder name per server and user, whatever characters they hold. */
  g_strcanon (server, G_CSET_a_2_z G_CSET_A_2_Z G_CSET_DIGITS ".-", '_');
  g_strcanon (user, G_CSET_a_2_z G_CSET_A_2_Z G_CSET_DIGITS ".-_", '_');
  return g_build_filename (base_dir, server, user, NULL);
}

/* Where a keyring runs (the Secret Service), the token lives there; a
 * desktop without one keeps it in session.json, readable by the user
 * alone. */
static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "cn.liandong.Liandong.Session", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

static char *
session_path (LdAccount *self)
{
  return g_build_filename (self->dir, "session.json", NULL);
}

char *
ld_account_get_replica_path (LdAccount *self)
{
  return g_build_filename (self->dir, "replica.db", NULL);
}

gboolean
ld_account_has_replica (LdAccount *self)
{
  g_autofree char *path = ld_account_get_replica_path (self);
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

const char *ld_account_get_server_url (LdAccount *self) { return self->server_url; }
const char *ld_account_get_token (LdAccount *self) { return self->token; }
const char *ld_account_get_device (LdAccount *self) { return self->device; }
const char *ld_account_get_dir (LdAccount *self) { return self->dir; }
const LdUser *ld_account_get_user (LdAccount *self) { return &self->user; }
gboolean ld_account_get_training (LdAccount *self) { return self->training; }

static void
read_user (LdAccount *self, JsonObject *user)
{
  self->user.name = g_strdup (ld_json_get_string (user, "name"));
  self->user.display_name = g_strdup (ld_json_get_string (user, "display_name"));
  self->user.role = g_strdup (ld_json_get_string (user, "role"));
  self->user.unit_code = g_strdup (ld_json_get_string (user, "unit_code"));
}

/* The token is as good as the password for its lifetime: only the user
 * may read the file. */
static gboolean
save_session (LdAccount *self, GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = session_path (self);

  json_builder_begin_object (b);
  ld_json_add_string (b, "server_url", self->server_url);
  ld_json_add_string (b, "token", self->in_keyring ? NULL : self->token);
  json_builder_set_member_name (b, "token_in_keyring");
  json_builder_add_boolean_value (b, self->in_keyring);
  json_builder_set_member_name (b, "training");
  json_builder_add_boolean_value (b, self->training);
  ld_json_add_string (b, "device", self->device);
  json_builder_set_member_name (b, "user");
  json_builder_begin_object (b);
  ld_json_add_string (b, "name", self->user.name);
  ld_json_add_string (b, "display_name", self->user.display_name);
  ld_json_add_string (b, "role", self->user.role);
  ld_json_add_string (b, "unit_code", self->user.unit_code);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, TRUE);

  if (g_mkdir_with_parents (self->dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Cannot create %s: %s"),
                   self->dir, g_strerror (saved));
      return FALSE;
    }
  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

LdAccount *
ld_account_load (const char *base_dir, const char *server_url, const char *user_name, GError **error)
{
  g_autoptr(LdAccount) self = g_object_new (LD_TYPE_ACCOUNT, NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;
  JsonObject *root;
  JsonNode *user;

  self->dir = ld_account_dir_for (base_dir, server_url, user_name);
  path = session_path (self);
  if (!g_file_get_contents (path, &text, &length, error))
    return NULL;
  /* Unreadable JSON is one more way of being damaged, said below. */
  node = ld_json_parse (text, length, NULL);
  root = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  user = root ? json_object_get_member (root, "user") : NULL;
  if (user != NULL && root != NULL)
    self->in_keyring = json_object_get_boolean_member_with_default (root, "token_in_keyring", FALSE);
  if (user == NULL || !JSON_NODE_HOLDS_OBJECT (user) ||
      (ld_json_get_string (root, "token") == NULL && !self->in_keyring))
    {
      g_set_error (error, LD_CLIENT_ERROR, LD_CLIENT_ERROR_PROTOCOL, _("%s is damaged: sign in again"), path);
      return NULL;
    }
  self->server_url = g_strdup (server_url);
  self->token = g_strdup (ld_json_get_string (root, "token"));
  self->device = g_strdup (ld_json_get_string (root, "device"));
  self->training = json_object_get_boolean_member_with_default (root, "training", FALSE);
  read_user (self, json_node_get_object (user));
  if (self->user.name == NULL || self->user.role == NULL)
    {
      g_set_error (error, LD_CLIENT_ERROR, LD_CLIENT_ERROR_PROTOCOL, _("%s is damaged: sign in again"), path);
      return NULL;
    }
  return g_steal_pointer (&self);
}

gboolean
ld_account_sign_out (LdAccount *self, GError **error)
{
  g_autofree char *path = session_path (self);

  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Cannot remove %s: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }
  if (self->in_keyring)
    secret_password_clear (token_schema (), NULL, NULL, NULL,
                           "server", self->server_url, "user", self->user.name, NULL);
  g_clear_pointer (&self->token, g_free);
  return TRUE;
}

static void
on_token_found (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  LdAccount *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  char *token = secret_password_lookup_finish (result, &error);

  if (token == NULL)
    {
      if (error == NULL)
        g_set_error (&error, LD_CLIENT_ERROR, LD_CLIENT_ERROR_AUTH, _("The keyring holds no session: sign in again"));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_free (self->token);
  self->token = g_strdup (token);
  secret_password_free (token);
  g_task_return_boolean (task, TRUE);
}

void
ld_account_unlock_async (LdAccount *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, ld_account_unlock_async);
  if (self->token != NULL || !self->in_keyring)
    {
      g_task_return_boolean (task, self->token != NULL);
      return;
    }
  /* The keyring may ask the user to unlock it: never wait on it here. */
  secret_password_lookup (token_schema (), cancellable, on_token_found, g_steal_pointer (&task),
                          "server", self->server_url, "user", self->user.name, NULL);
}

gboolean
ld_account_unlock_finish (LdAccount *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct {
  char *base_dir;
  char *server_url;
} LoginData;

static void
login_data_free (LoginData *d)
{
  g_free (d->base_dir);
  g_free (d->server_url);
  g_free (d);
}

static void
on_token_stored (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  LdAccount *self = g_task_get_task_data (task);
  g_autoptr(GError) keyring_error = NULL;
  g_autoptr(GError) error = NULL;

  self->in_keyring = secret_password_store_finish (result, &keyring_error);
  if (!self->in_keyring)
    g_debug ("no keyring for the session (%s): keeping it in a private file", keyring_error->message);
  if (!save_session (self, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_object_ref (self), g_object_unref);
}

static void
on_login (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  LoginData *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = ld_client_request_finish (result, &error);
  g_autoptr(LdAccount) self = NULL;
  g_autofree char *label = NULL;
  LdAccount *account;
  JsonObject *answer;
  JsonNode *user;

  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  answer = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  user = answer ? json_object_get_member (answer, "user") : NULL;
  if (user == NULL || !JSON_NODE_HOLDS_OBJECT (user) || ld_json_get_string (answer, "token") == NULL)
    {
      g_task_return_new_error (task, LD_CLIENT_ERROR, LD_CLIENT_ERROR_PROTOCOL,
                               _("The server answered in a way this version does not understand"));
      return;
    }
  self = g_object_new (LD_TYPE_ACCOUNT, NULL);
  self->server_url = g_strdup (d->server_url);
  self->token = g_strdup (ld_json_get_string (answer, "token"));
  self->device = g_strdup (g_get_host_name ());
  self->training = json_object_get_boolean_member_with_default (answer, "training", FALSE);
  read_user (self, json_node_get_object (user));
  if (self->user.name == NULL || self->user.role == NULL)
    {
      g_task_return_new_error (task, LD_CLIENT_ERROR, LD_CLIENT_ERROR_PROTOCOL,
                               _("The server answered in a way this version does not understand"));
      return;
    }
  self->dir = ld_account_dir_for (d->base_dir, d->server_url, self->user.name);
  label = g_strdup_printf (_("Liandong session of %s on %s"), self->user.name, self->server_url);
  account = self;
  g_task_set_task_data (task, g_steal_pointer (&self), g_object_unref);
  secret_password_store (token_schema (), SECRET_COLLECTION_DEFAULT, label,
                         account->token, g_task_get_cancellable (task), on_token_stored, task,
                         "server", account->server_url, "user", account->user.name, NULL);
  task = NULL;
}

void
ld_account_login_async (SoupSession *session, const char *base_dir, const char *server_url,
                        const char *user_name, const char *password, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  LoginData *d = g_new0 (LoginData, 1);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *url = ld_client_api_url (server_url, "/login");

  g_task_set_source_tag (task, ld_account_login_async);
  d->base_dir = g_strdup (base_dir);
  d->server_url = g_strdup (server_url);
  g_task_set_task_data (task, d, (GDestroyNotify) login_data_free);

  json_builder_begin_object (b);
  ld_json_add_string (b, "user", user_name);
  ld_json_add_string (b, "password", password);
  ld_json_add_string (b, "device", g_get_host_name ());
  json_builder_end_object (b);
  body = json_builder_get_root (b);
  ld_client_request_async (session, "POST", url, NULL, body, cancellable, on_login, task);
}

LdAccount *
ld_account_login_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The snapshot: streamed to a part file, renamed into place when whole. */

typedef struct {
  SoupMessage   *msg;
  GInputStream  *body;
  GFile         *part;
  GFile         *target;
  GOutputStream *error_body;
  gint64         seq;
} Download;

static void
download_free (Download *d)
{
  g_clear_object (&d->msg);
  g_clear_object (&d->body);
  if (d->part)
    g_file_delete (d->part, NULL, NULL);
  g_clear_object (&d->part);
  g_clear_object (&d->target);
  g_clear_object (&d->error_body);
  g_free (d);
}

static void
on_error_body (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  Download *d = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, NULL);
  body = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (d->error_body));
  ld_client_set_error (&error, d->msg, body, NULL);
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
on_spliced (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  Download *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, &error) < 0)
    {
      g_autoptr(GError) network = NULL;
      ld_client_set_error (&network, d->msg, NULL, error);
      g_task_return_error (task, g_steal_pointer (&network));
      return;
    }
  if (!g_file_move (d->part, d->target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_clear_object (&d->part);
  g_task_return_boolean (task, TRUE);
}

static void
on_part_created (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  Download *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileOutputStream) out = g_file_replace_finish (G_FILE (source), result, &error);
  GCancellable *cancellable;

  if (out == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  cancellable = g_task_get_cancellable (task);
  g_output_stream_splice_async (G_OUTPUT_STREAM (out), d->body,
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_LOW, cancellable, on_spliced, g_steal_pointer (&task));
}

static void
on_snapshot_sent (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  Download *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  const char *seq_text;

  d->body = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (d->body == NULL)
    {
      g_autoptr(GError) network = NULL;
      ld_client_set_error (&network, d->msg, NULL, error);
      g_task_return_error (task, g_steal_pointer (&network));
      return;
    }
  if (soup_message_get_status (d->msg) != SOUP_STATUS_OK)
    {
      d->error_body = g_memory_output_stream_new_resizable ();
      g_output_stream_splice_async (d->error_body, d->body, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE,
                                    G_PRIORITY_DEFAULT, NULL, on_error_body, g_steal_pointer (&task));
      return;
    }
  seq_text = soup_message_headers_get_one (soup_message_get_response_headers (d->msg), "X-Liandong-Seq");
  if (seq_text == NULL || !g_ascii_string_to_signed (seq_text, 10, 0, G_MAXINT64, &d->seq, NULL))
    {
      g_task_return_new_error (task, LD_CLIENT_ERROR, LD_CLIENT_ERROR_PROTOCOL,
                               _("The server answered in a way this version does not understand"));
      return;
    }
  cancellable = g_task_get_cancellable (task);
  g_file_replace_async (d->part, NULL, FALSE, G_FILE_CREATE_PRIVATE, G_PRIORITY_DEFAULT,
                        cancellable, on_part_created, g_steal_pointer (&task));
}

void
ld_account_download_snapshot_async (LdAccount *self, SoupSession *session, const char *path,
                                    GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *url = ld_client_api_url (self->server_url, "/sync/snapshot");
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  g_autofree char *bearer = g_strconcat ("Bearer ", self->token ? self->token : "", NULL);
  Download *d = g_new0 (Download, 1);

  g_task_set_source_tag (task, ld_account_download_snapshot_async);
  g_task_set_task_data (task, d, (GDestroyNotify) download_free);
  if (g_mkdir_with_parents (self->dir, 0700) != 0)
    {
      int saved = errno;
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved), _("Cannot create %s: %s"),
                               self->dir, g_strerror (saved));
      return;
    }
  d->msg = soup_message_new ("GET", url);
  if (d->msg == NULL)
    {
      g_task_return_new_error (task, LD_CLIENT_ERROR, LD_CLIENT_ERROR_NETWORK,
                               _("“%s” is not a server address"), url);
      return;
    }
  d->part = g_file_new_for_path (part);
  d->target = g_file_new_for_path (path);
  soup_message_headers_replace (soup_message_get_request_headers (d->msg), "Authorization", bearer);
  soup_session_send_async (session, d->msg, G_PRIORITY_DEFAULT, cancellable, on_snapshot_sent,
                           g_steal_pointer (&task));
}

gboolean
ld_account_download_snapshot_finish (LdAccount *self, GAsyncResult *result, gint64 *seq, GError **error)
{
  Download *d = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  *seq = d->seq;
  return TRUE;
}

static LdReplica *
open_replica (LdAccount *self, gint64 first_seq, GError **error)
{
  g_autofree char *path = ld_account_get_replica_path (self);
  g_autoptr(LdStore) store = ld_store_open (path, error);
  g_autoptr(LdReplica) replica = NULL;

  if (store == NULL)
    return NULL;
  replica = ld_replica_new (store, &self->user, self->device);
  if (first_seq >= 0 && !ld_replica_set_last_seq (replica, first_seq, error))
    return NULL;
  return g_steal_pointer (&replica);
}

static void
on_first_snapshot (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  LdAccount *self = LD_ACCOUNT (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(LdReplica) replica = NULL;
  gint64 seq = 0;

  if (!ld_account_download_snapshot_finish (self, result, &seq, &error) ||
      (replica = open_replica (self, seq, &error)) == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&replica), g_object_unref);
}

void
ld_account_open_replica_async (LdAccount *self, SoupSession *session, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = ld_account_get_replica_path (self);
  g_autoptr(GError) error = NULL;
  LdReplica *replica;

  g_task_set_source_tag (task, ld_account_open_replica_async);
  if (!ld_account_has_replica (self))
    {
      ld_account_download_snapshot_async (self, session, path, cancellable, on_first_snapshot,
                                          g_steal_pointer (&task));
      return;
    }
  replica = open_replica (self, -1, &error);
  if (replica == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, replica, g_object_unref);
}

LdReplica *
ld_account_open_replica_finish (LdAccount *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
