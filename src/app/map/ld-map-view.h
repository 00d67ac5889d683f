/* ld-map-view.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <shumate/shumate.h>

#include "ld-geo.h"
#include "ld-point-layer.h"
#include "ld-region-layer.h"
#include "ld-store.h"

G_BEGIN_DECLS

#define LD_TYPE_MAP_VIEW (ld_map_view_get_type ())

G_DECLARE_FINAL_TYPE (LdMapView, ld_map_view, LD, MAP_VIEW, GtkWidget)

/* The command map: a basemap, the regions, the incidents and the units.
 * Positions come and go in WGS84; the view shifts them to the tiles'
 * datum. A click on a mark emits "incident-activated" or
 * "unit-activated" (id, x, y); on a cluster it zooms in; elsewhere it
 * emits "location-clicked" (lat, lon). An incident dragged onto a unit,
 * or units onto an incident, emits "dispatch-requested" (incident ids,
 * unit codes). */
LdMapView       *ld_map_view_new             (void);
void             ld_map_view_set_map_source  (LdMapView        *self,
                                              ShumateMapSource *source,
                                              LdDatum           datum);
LdDatum          ld_map_view_get_datum       (LdMapView        *self);
/* The viewport and the layers are (transfer none): the view's, living as
 * long as it does. */
ShumateViewport *ld_map_view_get_viewport    (LdMapView        *self);
LdRegionLayer   *ld_map_view_get_regions     (LdMapView        *self);
LdPointLayer    *ld_map_view_get_incidents   (LdMapView        *self);
LdPointLayer    *ld_map_view_get_units       (LdMapView        *self);
/* Drills planned or under way: a click emits "drill-activated". */
LdPointLayer    *ld_map_view_get_drills      (LdMapView        *self);
void             ld_map_view_go_to           (LdMapView        *self,
                                              double            lat,
                                              double            lon,
                                              double            zoom);
/* Centres and zooms so the box (WGS84) fills the view. */
void             ld_map_view_fit             (LdMapView        *self,
                                              double            min_lat,
                                              double            min_lon,
                                              double            max_lat,
                                              double            max_lon);
/* The regions of @store with a boundary, drawn by depth, and the view
 * fitted to them all. */
void             ld_map_view_show_regions    (LdMapView        *self,
                                              LdStore          *store);
/* The key to the incidents' and units' marks; a map without them has
 * no use for it. Shown by default. */
void             ld_map_view_set_legend_visible (LdMapView     *self,
                                                 gboolean       visible);
/* The place a click marks, as a pin; hidden when @visible is FALSE. */
void             ld_map_view_set_pin         (LdMapView        *self,
                                              gboolean          visible,
                                              double            lat,
                                              double            lon);
/* @x, @y in the view's coordinates, to WGS84. */
void             ld_map_view_to_location     (LdMapView        *self,
                                              double            x,
                                              double            y,
                                              double           *lat,
                                              double           *lon);
/* Where a WGS84 position is drawn, in the view's coordinates. */
void             ld_map_view_to_widget       (LdMapView        *self,
                                              double            lat,
                                              double            lon,
                                              double           *x,
                                              double           *y);
/* Drags and drops carry what they move as text, so rows and marks speak
 * the same language: LD_MAP_DRAG_INCIDENT or LD_MAP_DRAG_UNITS and ids. */
#define LD_MAP_DRAG_INCIDENT "incident"
#define LD_MAP_DRAG_UNITS    "units"
/* (transfer full): the caller g_free()s the text. */
char            *ld_map_drag_encode          (const char        *kind,
                                              const char *const *ids);
/* @kind and @ids (out, optional) (transfer full): the caller g_free()s
 * the kind and g_strfreev()s the ids; untouched when FALSE. */
gboolean         ld_map_drag_decode          (const char        *text,
                                              char             **kind,
                                              GStrv             *ids);

G_END_DECLS
