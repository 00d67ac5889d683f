/* ld-connection-guard.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define LD_TYPE_CONNECTION_GUARD (ld_connection_guard_get_type ())

G_DECLARE_FINAL_TYPE (LdConnectionGuard, ld_connection_guard, LD, CONNECTION_GUARD, GObject)

/* Keeps a SoupServer's HTTP connections from holding it: a connection
 * must bring its request's headers (and finish its TLS handshake) within
 * the request timeout, and a body must keep coming; when descriptors run
 * short, the oldest connections still waiting for a request are closed to
 * make room. WebSocket connections, once released, are not its concern. */
/* The guard watches @server through a weak pointer, holding no
 * reference: the caller keeps the server. */
LdConnectionGuard *ld_connection_guard_new               (SoupServer        *server);
/* How long a connection may take to deliver a request's headers, counted
 * from its accept (the TLS handshake included), and how long a body may
 * pause between two chunks. */
void               ld_connection_guard_set_timeouts      (LdConnectionGuard *self,
                                                          guint              request_ms,
                                                          guint              body_ms);
/* At most @connections HTTP connections at once: past that, the oldest
 * that wait for a request are closed. */
void               ld_connection_guard_set_max_connections (LdConnectionGuard *self,
                                                          guint              connections);
guint              ld_connection_guard_get_n_connections (LdConnectionGuard *self);
/* @msg's connection became a WebSocket: it lives as long as its peer. */
void               ld_connection_guard_release           (LdConnectionGuard *self,
                                                          SoupServerMessage *msg);
/* Answers @msg with @status and the JSON @body at once and closes its
 * connection, reading none of the request's body that may still come.
 * Safe from any of @msg's signal handlers. @body is (transfer none): it
 * is copied. */
void               ld_connection_guard_refuse            (LdConnectionGuard *self,
                                                          SoupServerMessage *msg,
                                                          guint              status,
                                                          const char        *body);

G_END_DECLS
