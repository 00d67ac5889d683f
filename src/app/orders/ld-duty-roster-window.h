/* ld-duty-roster-window.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ld-sync-engine.h"

G_BEGIN_DECLS

#define LD_TYPE_DUTY_ROSTER_WINDOW (ld_duty_roster_window_get_type ())

G_DECLARE_FINAL_TYPE (LdDutyRosterWindow, ld_duty_roster_window, LD, DUTY_ROSTER_WINDOW, AdwWindow)

/* The signed-in unit's duty roster (值班表): who is on duty, their phone,
 * from when to when, for the center to call. The unit adds and removes
 * its turns; every change is an operation the server checks. (transfer
 * none): the window is GTK's, over @parent; it keeps a reference on
 * @engine. */
LdDutyRosterWindow *ld_duty_roster_window_new      (GtkWindow          *parent,
                                                    LdSyncEngine       *engine);
/* (transfer full): the turns listed, one line each, for tests. */
GStrv               ld_duty_roster_window_list_turns (LdDutyRosterWindow *self);
/* Fills the form and adds the turn, as the user would; FALSE with the
 * reason shown when the form is refused. */
gboolean            ld_duty_roster_window_add      (LdDutyRosterWindow *self,
                                                    const char         *name,
                                                    const char         *phone,
                                                    const char         *from,
                                                    const char         *to);

G_END_DECLS
