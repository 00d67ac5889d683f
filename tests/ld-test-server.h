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
/* The same with @extra arguments after serve's own (NULL-terminated, or
 * NULL), and, when @nofile is not 0, at most that many descriptors. */
GSubprocess *ld_test_server_spawn_full (const char         *db,
                                        const char         *listen,
                                        const char * const *extra,
                                        guint               nofile,
                                        char              **base);
/* `liandong-server user add` with the password "a-long-password". */
void         ld_test_server_add_user (const char *db,
                                      const char *name,
                                      const char *role);

/* Removes @path and everything below it: what a test made, it takes away. */
void         ld_test_remove_tree     (const char *path);

/* Waiting on the main loop for what the server and the clients do. */
typedef gboolean (*LdTestCondition) (gpointer data);

/* Runs the main loop until @cond holds; fails the test after 30 s,
 * naming @what it waited for. */
void          ld_test_wait_until     (LdTestCondition cond,
                                      gpointer        data,
                                      const char     *what);
/* A GAsyncReadyCallback that keeps the result in the GAsyncResult * at
 * @data, and the wait for it. */
void          ld_test_on_result      (GObject       *source,
                                      GAsyncResult  *result,
                                      gpointer       data);
GAsyncResult *ld_test_wait_result    (GAsyncResult **slot);

G_END_DECLS
