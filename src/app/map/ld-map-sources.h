/* ld-map-sources.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <shumate/shumate.h>

#include "ld-geo.h"
#include "ld-store.h"

G_BEGIN_DECLS

/* The basemap the settings name ("tile-source", "tile-url", "tile-datum",
 * "mbtiles-path"), with the datum its tiles are drawn in. A tile server
 * or file that cannot be used is an error; the caller falls back to
 * ld_map_sources_new_offline(), which always works. Both are
 * (transfer full): the caller unrefs the source. */
ShumateMapSource *ld_map_sources_from_settings (GSettings  *settings,
                                                LdStore    *store,
                                                LdDatum    *datum,
                                                GError    **error);
/* The offline basemap, drawn from the regions' boundaries in @store. */
ShumateMapSource *ld_map_sources_new_offline   (LdStore    *store);

G_END_DECLS
