/* bench-tiles.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How long the offline basemap takes to draw a tile, asked for as
 * libshumate asks (worker thread, PNG bytes back on the main loop): a
 * 20-vertex region and a 5,000-vertex one at city and street zooms, and
 * every tile of the demo city at zoom 10 with all its regions.
 */

#include "config.h"

#include "ld-basemap-source.h"
#include "ld-demo-city.h"
#include "ld-mercator.h"

#define ROUNDS 200

static void
on_tile (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = shumate_data_source_get_tile_data_finish (SHUMATE_DATA_SOURCE (source), result, &error);

  if (bytes == NULL)
    g_error ("%s", error->message);
  (*(guint *) data)--;
}

/* Milliseconds a tile, over @n tiles asked for one at a time, going round
 * the @across × @across square of tiles whose top left is (@x, @y). */
static double
time_tiles (LdBasemapSource *source, int x, int y, int zoom, guint n, guint across)
{
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < n; i++)
    {
      guint pending = 1;

      shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (source), x + i % across, y + i / across % across,
                                               zoom, NULL, on_tile, &pending);
      while (pending)
        g_main_context_iteration (NULL, TRUE);
    }
  return (g_get_monotonic_time () - start) / 1e3 / n;
}

/* A regular polygon of @n vertices and radius @r degrees around 30.75N
 * 120.75E. */
static LdBoundary *
polygon (guint n, double r)
{
  g_autoptr(GString) json = g_string_new ("{\"type\": \"Polygon\", \"coordinates\": [[");
  g_autoptr(GError) error = NULL;
  LdBoundary *boundary;

  for (guint i = 0; i <= n; i++)
    {
      double a = 2 * G_PI * (i % n) / n;
      char lon[G_ASCII_DTOSTR_BUF_SIZE], lat[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (json, "%s[%s, %s]", i ? ", " : "",
                              g_ascii_dtostr (lon, sizeof lon, 120.75 + r * cos (a)),
                              g_ascii_dtostr (lat, sizeof lat, 30.75 + r * sin (a)));
    }
  g_string_append (json, "]]}");
  boundary = ld_boundary_new_from_geojson (json->str, LD_DATUM_WGS84, &error);
  if (boundary == NULL)
    g_error ("%s", error->message);
  return boundary;
}

static void
bench_polygon (guint n)
{
  g_autoptr(LdBasemapSource) source = ld_basemap_source_new ();
  g_autoptr(LdBoundary) boundary = polygon (n, 0.2);
  int x, y;

  ld_basemap_source_add_region (source, boundary, 0);
  ld_mercator_to_tile (30.75, 120.75, 10, &x, &y);
  g_print ("basemap, %u-vertex region: z10 %.2f ms/tile", n, time_tiles (source, x, y, 10, ROUNDS, 1));
  /* At zoom 14 the tile on the eastern edge, and 2×2 tiles inside. */
  ld_mercator_to_tile (30.75, 120.95, 14, &x, &y);
  g_print (", z14 edge %.2f ms/tile", time_tiles (source, x, y, 14, ROUNDS, 1));
  ld_mercator_to_tile (30.75, 120.75, 14, &x, &y);
  g_print (", z14 inside %.2f ms/tile\n", time_tiles (source, x, y, 14, ROUNDS, 2));
}

static guint
depth (const LdDemoRegion *region)
{
  guint d = 0;

  for (const char *parent = region->parent_code; parent; d++)
    {
      const char *next = NULL;

      for (guint i = 0; i < ld_demo_n_regions; i++)
        if (g_str_equal (ld_demo_regions[i].code, parent))
          next = ld_demo_regions[i].parent_code;
      parent = next;
    }
  return d;
}

static void
bench_demo_city (void)
{
  g_autoptr(LdBasemapSource) source = ld_basemap_source_new ();
  double min_lat = 90, min_lon = 180, max_lat = -90, max_lon = -180;
  int x0, y0, x1, y1;
  guint n = 0;
  double ms;

  for (guint i = 0; i < ld_demo_n_regions; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LdBoundary) boundary = NULL;
      double a, b, c, d;

      if (ld_demo_regions[i].boundary == NULL)
        continue;
      boundary = ld_boundary_new_from_geojson (ld_demo_regions[i].boundary, LD_DATUM_WGS84, &error);
      if (boundary == NULL)
        g_error ("%s", error->message);
      ld_basemap_source_add_region (source, boundary, depth (&ld_demo_regions[i]));
      ld_boundary_get_bbox (boundary, &a, &b, &c, &d);
      min_lat = MIN (min_lat, a);
      min_lon = MIN (min_lon, b);
      max_lat = MAX (max_lat, c);
      max_lon = MAX (max_lon, d);
      n++;
    }
  ld_mercator_to_tile (max_lat, min_lon, 10, &x0, &y0);
  ld_mercator_to_tile (min_lat, max_lon, 10, &x1, &y1);
  ms = 0;
  for (int y = y0; y <= y1; y++)
    ms += time_tiles (source, x0, y, 10, x1 - x0 + 1, x1 - x0 + 1);
  g_print ("basemap, demo city (%u regions): z10, %d tiles, %.2f ms/tile\n",
           n, (x1 - x0 + 1) * (y1 - y0 + 1), ms / (y1 - y0 + 1));
}

int
main (int argc, char *argv[])
{
  bench_polygon (20);
  bench_polygon (5000);
  bench_demo_city ();
  return 0;
}
