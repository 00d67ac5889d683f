/* fuzz-geojson.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target: an input is a boundary file (a FeatureCollection, as
 * regions.geojson) and, the same bytes, one geometry. Every boundary read
 * is measured and written back as GeoJSON, which must read again: that is
 * what GET /regions serves.
 */

#include "config.h"

#include <math.h>
#include <stdint.h>

#include "ld-geo.h"

static void
check_boundary (LdBoundary *boundary)
{
  g_autoptr(LdBoundary) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  double min_lat, min_lon, max_lat, max_lon, lat, lon;
  guint n_polygons = ld_boundary_get_n_polygons (boundary);

  for (guint p = 0; p < n_polygons; p++)
    for (guint r = 0; r < ld_boundary_get_n_rings (boundary, p); r++)
      {
        guint n_points = 0;
        const double *ring = ld_boundary_get_ring (boundary, p, r, &n_points);

        /* No JSON number can be written from an infinity or a NaN. */
        for (guint i = 0; i < 2 * n_points; i++)
          g_assert_true (isfinite (ring[i]));
      }
  ld_boundary_get_bbox (boundary, &min_lat, &min_lon, &max_lat, &max_lon);
  ld_boundary_get_label_point (boundary, &lat, &lon);
  ld_boundary_contains (boundary, lat, lon);
  ld_boundary_contains (boundary, (min_lat + max_lat) / 2, (min_lon + max_lon) / 2);
  ld_boundary_get_area (boundary);

  json = ld_boundary_to_geojson (boundary);
  again = ld_boundary_new_from_geojson (json, LD_DATUM_WGS84, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ld_boundary_get_n_polygons (again), ==, n_polygons);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(LdBoundary) boundary = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) geometry_error = NULL;
  /* The geometry reader takes a C string, as the store keeps it. */
  g_autofree char *text = g_strndup ((const char *) data, size);

  features = ld_geo_read_features ((const char *) data, size, LD_DATUM_AUTO, &error);
  if (features == NULL)
    g_assert_nonnull (error);
  for (guint i = 0; features && i < features->len; i++)
    {
      LdGeoFeature *feature = g_ptr_array_index (features, i);

      g_assert_nonnull (feature->code);
      g_assert_true (g_utf8_validate (feature->code, -1, NULL));
      check_boundary (feature->boundary);
    }

  boundary = ld_boundary_new_from_geojson (text, LD_DATUM_GCJ02, &geometry_error);
  if (boundary)
    check_boundary (boundary);
  else
    g_assert_nonnull (geometry_error);
  return 0;
}
