/* ld-dashboard-page.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-dashboard.h"
#include "ld-sync-engine.h"

G_BEGIN_DECLS

#define LD_TYPE_DASHBOARD_PAGE (ld_dashboard_page_get_type ())

G_DECLARE_FINAL_TYPE (LdDashboardPage, ld_dashboard_page, LD, DASHBOARD_PAGE, GtkWidget)

/* The leaders' dashboard: today and the month so far against targets and
 * last year, the trends, the regions, the units ranked and the month's
 * drills, all from the replica, refreshed as changes arrive. Every figure
 * opens the rows it counts (a rate, the orders that miss it); an incident
 * opens on the Dispatch board through the "workspace.show-incident"
 * action, a drill through "workspace.show-drill". */
/* Days and months are counted in @time_zone; the "engine" property sets
 * the engine with its store's zone. The page keeps a ref on @engine and
 * on @time_zone. */
void         ld_dashboard_page_set_engine (LdDashboardPage *self,
                                           LdSyncEngine    *engine,
                                           GTimeZone       *time_zone);
/* (nullable) (transfer none) */
LdSyncEngine *ld_dashboard_page_get_engine (LdDashboardPage *self);
/* Shows the month @offset months before this one (0: this month, live),
 * as it stood at its end. */
void         ld_dashboard_page_show_month (LdDashboardPage *self,
                                           int              offset);
/* Shows the figures of @region_code and the regions under it (NULL: the
 * whole center), as a choice in the page's region list. */
void         ld_dashboard_page_set_region (LdDashboardPage *self,
                                           const char      *region_code);
/* Reads the figures again now. */
void         ld_dashboard_page_refresh    (LdDashboardPage *self);
/* The figures shown, NULL before the first refresh. (nullable)
 * (transfer none): the page's, replaced by the next refresh that reads. */
LdDashboard *ld_dashboard_page_get_dashboard (LdDashboardPage *self);
/* What a click on tile @tile (as listed by ld_dashboard_page_list_tiles)
 * opens. (nullable) (transfer none): the window, presented and owned by
 * GTK until closed (gtk_window_destroy()); NULL for the drills tile,
 * which opens the Drills workspace instead. */
GtkWindow   *ld_dashboard_page_open_tile  (LdDashboardPage *self,
                                           const char      *tile);
/* (transfer full): the caller g_strfreev()s the names. */
GStrv        ld_dashboard_page_list_tiles (LdDashboardPage *self);
/* The text a tile shows as its figure, for tests and screen readers.
 * (nullable) (transfer none): NULL for an unknown tile; the tile's, valid
 * until its figure changes. */
const char  *ld_dashboard_page_get_tile_value (LdDashboardPage *self,
                                               const char      *tile);

G_END_DECLS
