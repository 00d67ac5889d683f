/* ld-basemap-source.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <shumate/shumate.h>

#include "ld-geo.h"

G_BEGIN_DECLS

#define LD_TYPE_BASEMAP_SOURCE (ld_basemap_source_get_type ())

G_DECLARE_FINAL_TYPE (LdBasemapSource, ld_basemap_source, LD, BASEMAP_SOURCE, ShumateDataSource)

/* The offline basemap: PNG tiles drawn from the region boundaries alone, so
 * a center with no tile server still has a map. Positions are WGS84, as the
 * store keeps them; tiles are drawn in worker threads. */
LdBasemapSource  *ld_basemap_source_new            (void);

/* Adds a region to draw: land where @boundary is, outlined by a line that
 * is heavier the smaller @depth is (0 for the city, 1 for its districts,
 * 2 for their towns and streets). Tiles already drawn keep what they
 * showed: add the regions before a map shows the source. The source
 * copies the rings of @boundary and keeps no reference to it. */
void              ld_basemap_source_add_region     (LdBasemapSource  *self,
                                                    LdBoundary       *boundary,
                                                    guint             depth);

/* The source as a map source: 256-pixel Mercator tiles, zooms 0 to 18.
 * (transfer full): the caller unrefs it; it holds a reference to @self. */
ShumateMapSource *ld_basemap_source_new_map_source (LdBasemapSource  *self);

/* The colour outside every region and the colour of the land inside them,
 * for what shows before the tiles do. */
void              ld_basemap_source_get_colors     (GdkRGBA          *background,
                                                    GdkRGBA          *land);

G_END_DECLS
