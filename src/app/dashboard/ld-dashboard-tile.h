/* ld-dashboard-tile.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LD_TYPE_DASHBOARD_TILE (ld_dashboard_tile_get_type ())

G_DECLARE_FINAL_TYPE (LdDashboardTile, ld_dashboard_tile, LD, DASHBOARD_TILE, GtkButton)

/* One figure on the dashboard: its caption, the figure large, and a line
 * that puts it beside something (a year before, yesterday, a target). A
 * missed target or a late order marks it; a click opens the rows behind
 * it ("clicked"). @key names the tile to the page. */
GtkWidget  *ld_dashboard_tile_new        (const char      *key,
                                          const char      *caption);
/* (transfer none): the tile's copy, alive as long as the tile. */
const char *ld_dashboard_tile_get_key    (LdDashboardTile *self);
/* (transfer none): the figure as shown, valid until the figure changes */
const char *ld_dashboard_tile_get_value  (LdDashboardTile *self);
/* @detail may be NULL. */
void        ld_dashboard_tile_set_figure (LdDashboardTile *self,
                                          const char      *value,
                                          const char      *detail,
                                          gboolean         alert);
/* A count beside the same days a year before. */
void        ld_dashboard_tile_show_count (LdDashboardTile *self,
                                          guint            now,
                                          guint            year_before);
/* Today's count beside yesterday's (not said when @has_yesterday is FALSE,
 * on the first of the month). */
void        ld_dashboard_tile_show_today (LdDashboardTile *self,
                                          guint            today,
                                          gboolean         has_yesterday,
                                          guint            yesterday);
/* A rate against its target: at least @target, or at most it when
 * @at_most; marked when missed. */
void        ld_dashboard_tile_show_rate  (LdDashboardTile *self,
                                          double           rate,
                                          double           target,
                                          gboolean         at_most);

G_END_DECLS
