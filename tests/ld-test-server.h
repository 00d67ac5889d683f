/* ld-test-server.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The real liandong-server binary ($LIANDONG_SERVER) serving @db on
 * @listen ("127.0.0.1:0" for a free port); @base receives its address,
 * "http://127.0.0.1:PORT". */
GSubprocess *ld_test_server_spawn    (const char *db,
                                      const char *listen,
                                      char      **base);
/* `liandong-server user add` with the password "a-long-password". */
void         ld_test_server_add_user (const char *db,
                                      const char *name,
                                      const char *role);

G_END_DECLS
