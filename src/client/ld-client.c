/* ld-client.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ld-client.h"
#include "ld-json.h"

G_DEFINE_QUARK (ld-client-error-quark, ld_client_error)

char *
ld_client_api_url (const char *server_url, const char *path)
{
  g_autofree char *base = g_strdup (server_url);
  gsize len = strlen (base);

  while (len > 0 && base[len - 1] == '/')
    base[--len] = '\0';
  return g_strconcat (base, "/api/v1", path, NULL);
}

static JsonNode *
parse_body (GBytes *body)
{
  gsize size = 0;
  const char *data = body ? g_bytes_get_data (body, &size) : NULL;

  return data ? ld_json_parse (data, size, NULL) : NULL;
}

void
ld_client_set_error (GError **error, SoupMessage *msg, GBytes *body, GError *transport_error)
{
  guint status = msg ? soup_message_get_status (msg) : 0;
  g_autoptr(JsonNode) root = NULL;
  const char *message = NULL;

  /* A cancelled exchange stays cancelled: its caller tells it from failure. */
  if (g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_error_copy (transport_error));
      return;
    }
  if (transport_error != NULL)
    {
      g_set_error (error, LD_CLIENT_ERROR, LD_CLIENT_ERROR_NETWORK,
                   _("The server cannot be reached: %s"), transport_error->message);
      return;
    }
  root = parse_body (body);
  if (root && JSON_NODE_HOLDS_OBJECT (root))
    message = ld_json_get_string (json_node_get_object (root), "message");
  if (message == NULL)
    message = soup_message_get_reason_phrase (msg);

  if (status == SOUP_STATUS_UNAUTHORIZED)
    g_set_error (error, LD_CLIENT_ERROR, LD_CLIENT_ERROR_AUTH, "%s", message);
  /* libsoup 3.2 names no 429. */
  else if (status == 429)
    g_set_error (error, LD_CLIENT_ERROR, LD_CLIENT_ERROR_BUSY, "%s", message);
  else if (status >= 400 && status < 500)
    g_set_error (error, LD_CLIENT_ERROR, LD_CLIENT_ERROR_REFUSED, "%s", message);
  else if (status >= 500)
    g_set_error (error, LD_CLIENT_ERROR, LD_CLIENT_ERROR_SERVER, _("The server failed: %s"), message);
  else
    g_set_error (error, LD_CLIENT_ERROR, LD_CLIENT_ERROR_PROTOCOL,
                 _("The server answered in a way this version does not understand"));
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GError) transport_error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &transport_error);
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (transport_error == NULL && soup_message_get_status (msg) == SOUP_STATUS_OK &&
      (root = parse_body (body)) != NULL)
    {
      g_task_return_pointer (task, root, (GDestroyNotify) json_node_unref);
      return;
    }
  ld_client_set_error (&error, msg, body, transport_error);
  g_task_return_error (task, g_steal_pointer (&error));
}

void
ld_client_request_async (SoupSession *session, const char *method, const char *url, const char *token,
                         JsonNode *body, GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (session, cancellable, callback, user_data);
  SoupMessage *msg = soup_message_new (method, url);

  g_task_set_source_tag (task, ld_client_request_async);
  if (msg == NULL)
    {
      g_task_return_new_error (task, LD_CLIENT_ERROR, LD_CLIENT_ERROR_NETWORK,
                               _("“%s” is not a server address"), url);
      return;
    }
  g_task_set_task_data (task, msg, g_object_unref);
  if (token)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
    }
  if (body)
    {
      gsize length = 0;
      char *text = json_to_string (body, FALSE);
      g_autoptr(GBytes) bytes = NULL;

      length = strlen (text);
      bytes = g_bytes_new_take (text, length);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, cancellable, on_sent,
                                    g_steal_pointer (&task));
}

JsonNode *
ld_client_request_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
