/* ld-test-desk.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-sync-engine.h"

G_BEGIN_DECLS

/* The desktop's tests against a real server: signing in as a person does,
 * through the sign-in window, and finding what is on screen. */

/* Keeps the system's MIME database through the test's isolated
 * directories (icons and map tiles are decoded by content type), sets up
 * GLib's test framework, a display (ld_test_display_start()), GTK and
 * libadwaita, with animations off. */
void       ld_test_desk_init         (int          *argc,
                                      char       ***argv);

/* One desktop against its own server on the test city: the city built by
 * @build (may be NULL) before the server starts, @user with @role signed
 * in through the window, and the sync engine started. */
typedef struct {
  char          *dir;
  char          *db;
  GSubprocess   *server;
  SoupSession   *session;
  LdAccount     *account;
  LdReplica     *replica;
  LdSyncEngine  *engine;
} LdTestDesk;

void       ld_test_desk_open         (LdTestDesk   *desk,
                                      const char   *user,
                                      const char   *role,
                                      void        (*build) (LdStore *city));
void       ld_test_desk_close        (LdTestDesk   *desk);

/* Signs @user (password "a-long-password") in to @base through the
 * sign-in window, keeping its files under @dir. */
void       ld_test_sign_in           (SoupSession  *session,
                                      const char   *dir,
                                      const char   *base,
                                      const char   *user,
                                      LdAccount   **account,
                                      LdReplica   **replica);
/* For ld_test_wait_until (): the engine is online with nothing under way,
 * and with nothing waiting to be sent. */
gboolean   ld_test_engine_is_online  (gpointer      engine);
gboolean   ld_test_engine_is_drained (gpointer      engine);
/* The first widget of @type under @root whose label or title is @text
 * (any, when @text is NULL). */
GtkWidget *ld_test_find_widget       (GtkWidget    *root,
                                      GType         type,
                                      const char   *text);

/* For ld_test_wait_until (): a mapped label under @root reads @text. */
typedef struct {
  GtkWidget  *root;
  const char *text;
} LdTestShown;

gboolean   ld_test_is_shown          (gpointer      shown);

G_END_DECLS
