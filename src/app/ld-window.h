/* ld-window.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ld-sync-engine.h"

G_BEGIN_DECLS

#define LD_TYPE_WINDOW (ld_window_get_type ())

G_DECLARE_FINAL_TYPE (LdWindow, ld_window, LD, WINDOW, AdwApplicationWindow)

/* The main window: one workspace per job, those of the user's role, and
 * the link to the server always in sight. */
LdWindow     *ld_window_new              (AdwApplication *application,
                                          GSettings      *settings,
                                          LdSyncEngine   *engine);
LdSyncEngine *ld_window_get_engine       (LdWindow       *self);
/* A window opened over the desk's @parent (intake, a drill's plan, a
 * figure's list) carries the training bar too when the desk is in
 * training: no window of practice is taken for the live center's. */
void          ld_window_mark_training    (GtkWindow      *parent,
                                          AdwWindow      *window);
GtkWidget    *ld_window_get_dispatch_page (LdWindow      *self);
/* (transfer none): the unit's work orders, an LdOrdersPage */
GtkWidget    *ld_window_get_orders_page   (LdWindow      *self);
/* The workspaces shown, by name, in their order. */
GStrv         ld_window_list_workspaces  (LdWindow       *self);
void          ld_window_show_message     (LdWindow       *self,
                                          const char     *message);

G_END_DECLS
