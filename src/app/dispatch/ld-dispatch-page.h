/* ld-dispatch-page.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-map-view.h"
#include "ld-sync-engine.h"

G_BEGIN_DECLS

#define LD_TYPE_DISPATCH_PAGE (ld_dispatch_page_get_type ())

G_DECLARE_FINAL_TYPE (LdDispatchPage, ld_dispatch_page, LD, DISPATCH_PAGE, GtkWidget)

/* The Dispatch workspace: the map, the duty board of open and recent
 * incidents, live from the replica, and the chosen incident's pane. What
 * it cannot read it says in a bar over the board, with Read Again.
 *
 * The "engine" property is the sync engine it shows; set here, the times
 * are shown in @time_zone. @engine (nullable) and @time_zone are kept by
 * a ref. */
void        ld_dispatch_page_set_engine    (LdDispatchPage *self,
                                            LdSyncEngine   *engine,
                                            GTimeZone      *time_zone);
/* (transfer none) (nullable): the whole duty board, NULL without an engine */
GListModel *ld_dispatch_page_get_model     (LdDispatchPage *self);
/* Shows @incident_id in the pane beside the board, as a click on its row. */
void        ld_dispatch_page_select        (LdDispatchPage *self,
                                            const char     *incident_id);
/* (transfer none): the page's own map, alive as long as the page */
LdMapView  *ld_dispatch_page_get_map       (LdDispatchPage *self);
/* The basemap of the workspace's maps. */
void        ld_dispatch_page_set_map_source (LdDispatchPage   *self,
                                             ShumateMapSource *source,
                                             LdDatum           datum);
/* The wall screen shows the situation board instead of the workspace. */
void        ld_dispatch_page_set_wall_screen (LdDispatchPage *self,
                                              gboolean        wall);
/* Whether a missed deadline also rings the bell. */
void        ld_dispatch_page_set_alert_sound (LdDispatchPage *self,
                                              gboolean        sound);
/* Dispatches each incident to each unit (joint handling when several),
 * after a few seconds in which a toast offers to undo it: what a drop does. */
void        ld_dispatch_page_request_dispatch (LdDispatchPage    *self,
                                               const char *const *incident_ids,
                                               const char *const *unit_codes);
/* Takes back the drop still in its undo time (Ctrl+Z); FALSE when none is. */
gboolean    ld_dispatch_page_undo_dispatch (LdDispatchPage *self);

G_END_DECLS
