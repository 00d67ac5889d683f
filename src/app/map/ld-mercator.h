/* ld-mercator.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <math.h>

G_BEGIN_DECLS

/* Web Mercator (EPSG:3857) as XYZ tile servers, MBTiles and libshumate cut
 * it: 256-pixel tiles, x growing east from 180°W, y growing south from
 * 85.0511°N, 2^zoom tiles a side. */

#define LD_MERCATOR_TILE_SIZE 256
#define LD_MERCATOR_MAX_LAT   85.0511287798066

/* The position of a longitude across the world, 0 at 180°W to 1 at 180°E. */
static inline double
ld_mercator_x (double lon)
{
  return (lon + 180.0) / 360.0;
}

/* The position of a latitude down the world, 0 at the top to 1 at the
 * bottom; the poles are clamped to the square's edges, where the
 * projection runs to infinity. */
static inline double
ld_mercator_y (double lat)
{
  double phi = CLAMP (lat, -LD_MERCATOR_MAX_LAT, LD_MERCATOR_MAX_LAT) * G_PI / 180.0;

  return (1.0 - log (tan (phi) + 1.0 / cos (phi)) / G_PI) / 2.0;
}

/* The inverses, from the unit square back to degrees: where a click
 * or a cluster's centre lies. */
static inline double
ld_mercator_lon (double x)
{
  return x * 360.0 - 180.0;
}

static inline double
ld_mercator_lat (double y)
{
  return atan (sinh (G_PI * (1.0 - 2.0 * y))) * 180.0 / G_PI;
}

/* The world pixel of a point at @zoom (fractional zooms included, as
 * libshumate's viewport has them): the tile is pixel / 256, the pixel
 * inside it pixel % 256. */
static inline void
ld_mercator_to_pixel (double  lat,
                      double  lon,
                      double  zoom,
                      double *x,
                      double *y)
{
  double size = LD_MERCATOR_TILE_SIZE * exp2 (zoom);

  *x = ld_mercator_x (lon) * size;
  *y = ld_mercator_y (lat) * size;
}

/* The tile holding a point at an integer @zoom. */
static inline void
ld_mercator_to_tile (double  lat,
                     double  lon,
                     guint   zoom,
                     int    *x,
                     int    *y)
{
  int n = 1 << zoom;

  *x = CLAMP ((int) floor (ld_mercator_x (lon) * n), 0, n - 1);
  *y = CLAMP ((int) floor (ld_mercator_y (lat) * n), 0, n - 1);
}

G_END_DECLS
