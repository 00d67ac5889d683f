/* ld-map-sources.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include "ld-basemap-source.h"
#include "ld-map-sources.h"
#include "ld-mbtiles-source.h"

ShumateMapSource *
ld_map_sources_new_offline (LdStore *store)
{
  g_autoptr(LdBasemapSource) basemap = ld_basemap_source_new ();
  g_autoptr(GPtrArray) regions = ld_store_list_regions (store, NULL);
  g_autoptr(GHashTable) depths = ld_store_list_region_depths (store, NULL);

  for (guint i = 0; regions && depths && i < regions->len; i++)
    {
      LdRegion *r = g_ptr_array_index (regions, i);
      g_autoptr(LdBoundary) boundary = ld_store_get_region_boundary (store, r->code);

      if (boundary)
        ld_basemap_source_add_region (basemap, boundary, GPOINTER_TO_UINT (g_hash_table_lookup (depths, r->code)));
    }
  return ld_basemap_source_new_map_source (basemap);
}

ShumateMapSource *
ld_map_sources_from_settings (GSettings *settings, LdStore *store, LdDatum *datum, GError **error)
{
  g_autofree char *source = g_settings_get_string (settings, "tile-source");
  g_autofree char *tile_datum = g_settings_get_string (settings, "tile-datum");

  *datum = g_str_equal (tile_datum, "gcj02") ? LD_DATUM_GCJ02 : LD_DATUM_WGS84;
  if (g_str_equal (source, "xyz"))
    {
      g_autofree char *url = g_settings_get_string (settings, "tile-url");

      if (!strstr (url, "{z}") || !strstr (url, "{x}") || !strstr (url, "{y}"))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("The tile address “%s” needs {z}, {x} and {y}"), url);
          return NULL;
        }
      return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full_from_url ("xyz", _("Tile server"), "", NULL,
                                                                            0, 19, 256,
                                                                            SHUMATE_MAP_PROJECTION_MERCATOR,
                                                                            url));
    }
  if (g_str_equal (source, "mbtiles"))
    {
      g_autofree char *path = g_settings_get_string (settings, "mbtiles-path");

      return ld_mbtiles_source_new_map_source (path, error);
    }
  /* The offline basemap is drawn where the boundaries are: in WGS84. */
  *datum = LD_DATUM_WGS84;
  return ld_map_sources_new_offline (store);
}
