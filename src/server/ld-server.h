/* ld-server.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ld-simulator.h"
#include "ld-store.h"

G_BEGIN_DECLS

#define LD_TYPE_SERVER (ld_server_get_type ())

G_DECLARE_FINAL_TYPE (LdServer, ld_server, LD, SERVER, GObject)

/* The central server's HTTP API (/api/v1/…) over one store, which it
 * keeps a reference to. */
LdServer  *ld_server_new             (LdStore          *store);
gboolean   ld_server_listen          (LdServer         *self,
                                      const char       *address,
                                      guint             port,
                                      GTlsCertificate  *certificate,
                                      GError          **error);
guint      ld_server_get_port        (LdServer         *self);
void       ld_server_set_body_limit  (LdServer         *self,
                                      gsize             bytes);
void       ld_server_set_rate_limit  (LdServer         *self,
                                      guint             burst,
                                      double            per_second);
/* How long a connection may take to send its request's headers (from its
 * accept, a TLS handshake included), how long a body may pause, and how
 * often deadlines, ended sessions and forgotten clients are swept. */
void       ld_server_set_timeouts    (LdServer         *self,
                                      guint             request_ms,
                                      guint             body_ms,
                                      guint             sweep_ms);
/* At most @connections HTTP connections and live feeds at once (what the
 * descriptors allow): past that the oldest idle connections are closed. */
void       ld_server_set_max_connections (LdServer     *self,
                                      guint             connections);
/* Lets @simulator's city live in the store: its acts due are applied
 * every second as ordinary operations. NULL stops it. (nullable): the
 * server keeps a reference. */
void       ld_server_set_simulator   (LdServer         *self,
                                      LdSimulator      *simulator);
/* For tests: the HTTP connections held, and the clients remembered for
 * rate limits and failed sign-ins. */
guint      ld_server_get_n_connections (LdServer       *self);
guint      ld_server_get_n_remembered  (LdServer       *self);

G_END_DECLS
