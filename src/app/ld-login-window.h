/* ld-login-window.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ld-account.h"

G_BEGIN_DECLS

#define LD_TYPE_LOGIN_WINDOW (ld_login_window_get_type ())

G_DECLARE_FINAL_TYPE (LdLoginWindow, ld_login_window, LD, LOGIN_WINDOW, AdwApplicationWindow)

/* Asks for the server, the user and the password, signs in and opens the
 * replica (downloading it the first time); emits "signed-in" with the
 * account and the replica, (transfer none): a handler refs what it keeps.
 * The window keeps a reference to @session. */
LdLoginWindow *ld_login_window_new     (AdwApplication *application,
                                        SoupSession    *session,
                                        const char     *base_dir,
                                        const char     *server_url,
                                        const char     *user_name);
/* Fills in the password and signs in, as the Sign In button does. */
void           ld_login_window_sign_in (LdLoginWindow  *self,
                                        const char     *password);

G_END_DECLS
