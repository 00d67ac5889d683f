/* ld-client.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define LD_CLIENT_ERROR (ld_client_error_quark ())

typedef enum {
  LD_CLIENT_ERROR_NETWORK,   /* the server cannot be reached: try again later */
  LD_CLIENT_ERROR_AUTH,      /* 401: the token is gone or the password wrong */
  LD_CLIENT_ERROR_REFUSED,   /* another 4xx: the server said why */
  LD_CLIENT_ERROR_SERVER,    /* 5xx */
  LD_CLIENT_ERROR_PROTOCOL,  /* an answer that is not what the API promises */
  LD_CLIENT_ERROR_BUSY,      /* 429: the server asks this address to slow down */
} LdClientError;

GQuark     ld_client_error_quark    (void);

/* The API's address under @server_url ("http://host:port"), with @path
 * ("/sync/pull?since=1") appended. (transfer full): the caller g_free()s
 * it. */
char      *ld_client_api_url        (const char          *server_url,
                                     const char          *path);

/* Sends a JSON request (a GET when @body is NULL) with @token as bearer and
 * reads the JSON answer; a refusal becomes a GError with the server's
 * message. @body is (nullable) (transfer none): it is written out before
 * this returns. The finish is (transfer full): the caller
 * json_node_unref()s the answer. */
void       ld_client_request_async  (SoupSession         *session,
                                     const char          *method,
                                     const char          *url,
                                     const char          *token,
                                     JsonNode            *body,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
JsonNode  *ld_client_request_finish (GAsyncResult        *result,
                                     GError             **error);

/* Maps a failed exchange to LD_CLIENT_ERROR. @msg, @body and
 * @transport_error are (nullable) (transfer none): they stay the
 * caller's. */
void       ld_client_set_error      (GError             **error,
                                     SoupMessage         *msg,
                                     GBytes              *body,
                                     GError              *transport_error);

G_END_DECLS
