/* ld-drill-plan-window.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ld-sync-engine.h"

G_BEGIN_DECLS

#define LD_TYPE_DRILL_PLAN_WINDOW (ld_drill_plan_window_get_type ())

G_DECLARE_FINAL_TYPE (LdDrillPlanWindow, ld_drill_plan_window, LD, DRILL_PLAN_WINDOW, AdwWindow)

/* Plans a simulated-alarm drill: the region and place, the scenario, the
 * time, and the units expected with each one's limit. Applied to the
 * replica at once, sent when the link allows. Emits "planned" with the
 * drill's id. (transfer none): the window belongs to GTK until it is
 * closed; it keeps a ref on @engine. */
LdDrillPlanWindow *ld_drill_plan_window_new (GtkWindow    *parent,
                                             LdSyncEngine *engine);
/* (nullable) (transfer none): the engine whose replica the plan is read
 * from and sent through; setting it reads the regions, categories and
 * units. The window keeps a ref on the engine set. */
LdSyncEngine      *ld_drill_plan_window_get_engine (LdDrillPlanWindow *self);
void               ld_drill_plan_window_set_engine (LdDrillPlanWindow *self,
                                                    LdSyncEngine      *engine);

G_END_DECLS
