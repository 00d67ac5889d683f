/* ld-late-panel.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-sync-engine.h"

G_BEGIN_DECLS

#define LD_TYPE_LATE_PANEL (ld_late_panel_get_type ())

G_DECLARE_FINAL_TYPE (LdLatePanel, ld_late_panel, LD, LATE_PANEL, GtkWidget)

/* The orders past a deadline now, oldest first, each with its unit's duty
 * phone one click away. Kept current by the replica's changes and by a
 * timer set for the next deadline. Emits "alert" (a sentence naming the
 * unit and the missed step) when an order becomes late, and
 * "incident-activated" (id) when a row's incident is opened. */
/* Times are shown in @time_zone; the "engine" property sets the engine
 * with its store's zone. @engine (nullable) and @time_zone are kept by a
 * ref. */
void   ld_late_panel_set_engine   (LdLatePanel  *self,
                                   LdSyncEngine *engine,
                                   GTimeZone    *time_zone);
/* (nullable) (transfer none) */
LdSyncEngine *ld_late_panel_get_engine (LdLatePanel *self);
guint  ld_late_panel_get_n_late   (LdLatePanel  *self);
/* Reads the store again now: what a timer or a change does. */
void   ld_late_panel_refresh      (LdLatePanel  *self);

G_END_DECLS
