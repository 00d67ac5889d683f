/* ld-intake-window.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <shumate/shumate.h>

#include "ld-geo.h"

#include "ld-sync-engine.h"

G_BEGIN_DECLS

#define LD_TYPE_INTAKE_WINDOW (ld_intake_window_get_type ())

G_DECLARE_FINAL_TYPE (LdIntakeWindow, ld_intake_window, LD, INTAKE_WINDOW, AdwWindow)

/* Records a call as a new incident: applied to the replica at once, sent
 * when the link allows. Emits "recorded" with the incident's id. */
/* @map_source: the desk's basemap in @datum, so the place is clicked on
 * the map the dispatcher knows; NULL for the offline basemap.
 * (transfer none): the window belongs to GTK until it is closed; it keeps
 * a ref on @engine, and its map one on @map_source. */
LdIntakeWindow *ld_intake_window_new (GtkWindow        *parent,
                                      LdSyncEngine     *engine,
                                      ShumateMapSource *map_source,
                                      LdDatum           datum);

/* (nullable) (transfer none): the engine whose replica the form reads and
 * the incident goes to; setting it reads the regions and categories. The
 * window keeps a ref on the engine set. */
LdSyncEngine   *ld_intake_window_get_engine (LdIntakeWindow *self);
void            ld_intake_window_set_engine (LdIntakeWindow *self,
                                             LdSyncEngine   *engine);

G_END_DECLS
