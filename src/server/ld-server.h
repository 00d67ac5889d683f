/* ld-server.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ld-store.h"

G_BEGIN_DECLS

#define LD_TYPE_SERVER (ld_server_get_type ())

G_DECLARE_FINAL_TYPE (LdServer, ld_server, LD, SERVER, GObject)

/* The central server's HTTP API (/api/v1/…) over one store. */
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

G_END_DECLS
