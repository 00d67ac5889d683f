/* ld-region-layer.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <shumate/shumate.h>

#include "ld-geo.h"

G_BEGIN_DECLS

#define LD_TYPE_REGION_LAYER (ld_region_layer_get_type ())

G_DECLARE_FINAL_TYPE (LdRegionLayer, ld_region_layer, LD, REGION_LAYER, ShumateLayer)

/* The regions' boundaries with their names, over any basemap: the
 * jurisdiction is read off the map. */
LdRegionLayer *ld_region_layer_new      (ShumateViewport *viewport);
/* @depth 0 is the city itself, 1 its districts and counties, and so on:
 * the deeper a region, the finer its line and the closer the zoom at
 * which its name appears. The layer copies @code and @name and keeps a
 * reference to @boundary. */
void           ld_region_layer_add      (LdRegionLayer   *self,
                                         const char      *code,
                                         const char      *name,
                                         LdBoundary      *boundary,
                                         guint            depth);
void           ld_region_layer_clear    (LdRegionLayer   *self);
void           ld_region_layer_set_datum (LdRegionLayer  *self,
                                          LdDatum         datum);

G_END_DECLS
