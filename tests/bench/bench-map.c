/* bench-map.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The incident layer's cost per frame with 100,000 incidents over a city,
 * beside libshumate's widget markers with 10,000, in the same window and
 * run: each frame pans the map a little, so everything is laid out and
 * drawn again, and the time from the frame's start to the end of its paint
 * is taken. Needs a display (the suite runs under Xvfb).
 */

#include "config.h"

#include <math.h>

#include <gtk/gtk.h>

#include "ld-point-layer.h"

#define FRAMES 40
#define WIDTH 1920
#define HEIGHT 1080
/* The demo city's box, about Jiaxing. */
#define MIN_LAT 30.35
#define MAX_LAT 31.05
#define MIN_LON 120.35
#define MAX_LON 121.25

static int
compare (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* A frame clock stops when nothing changes: each frame is asked for. */
static void
wait_frames (GtkWidget *widget, guint n)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  for (guint i = 0; i < n; i++)
    {
      gint64 target = gdk_frame_clock_get_frame_counter (clock) + 1;

      gtk_widget_queue_draw (widget);
      while (gdk_frame_clock_get_frame_counter (clock) < target)
        g_main_context_iteration (NULL, TRUE);
    }
}

/* Median ms to lay out, draw and rasterise the layer @make builds, with
 * @n marks, at @zoom: what each frame of a pan costs the layer. The
 * window's own upload to the screen is left out: it is the same whatever
 * the layer holds. */
static double
measure (ShumateLayer *(*make) (ShumateViewport *viewport, guint n), guint n, double zoom)
{
  g_autoptr(ShumateMapSource) reference =
    SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_from_url ("http://127.0.0.1:9/{z}/{x}/{y}.png"));
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  GtkWidget *window = gtk_window_new ();
  ShumateMap *map = shumate_map_new ();
  ShumateViewport *viewport = shumate_map_get_viewport (map);
  ShumateLayer *layer;
  GskRenderer *renderer;
  double step = 0.0005;

  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  /* The projection's reference, without a base layer: only the marks are measured. */
  shumate_viewport_set_reference_map_source (viewport, reference);
  shumate_viewport_set_max_zoom_level (viewport, 19);
  shumate_viewport_set_zoom_level (viewport, zoom);
  shumate_map_center_on (map, (MIN_LAT + MAX_LAT) / 2, (MIN_LON + MAX_LON) / 2);
  layer = make (viewport, n);
  shumate_map_add_layer (map, layer);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (map));
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (layer)))
    g_main_context_iteration (NULL, TRUE);
  wait_frames (window, 3);
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));

  for (guint i = 0; i < FRAMES + 3; i++)
    {
      int width = gtk_widget_get_width (GTK_WIDGET (map));
      int height = gtk_widget_get_height (GTK_WIDGET (map));
      GtkSnapshot *snapshot;
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      gint64 start;
      double ms;

      shumate_map_center_on (map, shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                             shumate_location_get_longitude (SHUMATE_LOCATION (viewport)) + step);
      step = -step;
      start = g_get_monotonic_time ();
      gtk_widget_allocate (GTK_WIDGET (layer), width, height, -1, NULL);
      snapshot = gtk_snapshot_new ();
      gtk_widget_snapshot_child (GTK_WIDGET (map), GTK_WIDGET (layer), snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node)
        texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
      ms = (g_get_monotonic_time () - start) / 1000.0;
      /* The first rounds warm the caches. */
      if (i >= 3)
        g_array_append_val (times, ms);
    }
  gtk_window_destroy (GTK_WINDOW (window));
  g_array_sort (times, compare);
  return g_array_index (times, double, times->len / 2);
}

static void
random_place (GRand *rand, double *lat, double *lon)
{
  /* Incidents crowd the towns: half around a few centres, half spread out. */
  static const double centres[][2] = { { 30.75, 120.76 }, { 30.84, 120.92 }, { 30.51, 120.68 }, { 30.63, 120.56 } };

  if (g_rand_boolean (rand))
    {
      guint c = g_rand_int_range (rand, 0, G_N_ELEMENTS (centres));
      *lat = centres[c][0] + g_rand_double_range (rand, -0.04, 0.04);
      *lon = centres[c][1] + g_rand_double_range (rand, -0.05, 0.05);
    }
  else
    {
      *lat = g_rand_double_range (rand, MIN_LAT, MAX_LAT);
      *lon = g_rand_double_range (rand, MIN_LON, MAX_LON);
    }
}

static ShumateLayer *
make_point_layer (ShumateViewport *viewport, guint n)
{
  LdPointLayer *layer = ld_point_layer_new (viewport, LD_POINT_SHAPE_CIRCLE);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autofree LdMapPoint *points = g_new (LdMapPoint, n);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      random_place (rand, &points[i].lat, &points[i].lon);
      points[i].kind = g_rand_int_range (rand, LD_MAP_POINT_NEW, LD_MAP_POINT_DONE + 1);
      points[i].flags = g_rand_int_range (rand, 0, 20) == 0 ? LD_MAP_POINT_OVERDUE : 0;
      g_ptr_array_add (ids, g_strdup_printf ("incident-%u", i));
    }
  ld_point_layer_set_points (layer, points, (const char *const *) ids->pdata, n);
  return SHUMATE_LAYER (layer);
}

static ShumateLayer *
make_marker_layer (ShumateViewport *viewport, guint n)
{
  ShumateMarkerLayer *layer = shumate_marker_layer_new (viewport);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < n; i++)
    {
      ShumateMarker *marker = shumate_marker_new ();
      double lat, lon;

      random_place (rand, &lat, &lon);
      shumate_location_set_location (SHUMATE_LOCATION (marker), lat, lon);
      shumate_marker_set_child (marker, gtk_image_new_from_icon_name ("mark-location-symbolic"));
      shumate_marker_layer_add_marker (layer, marker);
    }
  return SHUMATE_LAYER (layer);
}

int
main (int argc, char **argv)
{
  double ours, ours_10k, ours_close, ours_street, widgets;

  /* The renderer the suite and the wall screens without a GPU use. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  if (!gtk_init_check ())
    {
      g_print ("bench-map: no display, skipped\n");
      return 77;
    }

  ours = measure (make_point_layer, 100000, 10);
  ours_close = measure (make_point_layer, 100000, 13);
  ours_street = measure (make_point_layer, 100000, 16);
  ours_10k = measure (make_point_layer, 10000, 10);
  widgets = measure (make_marker_layer, 10000, 10);

  g_print ("a map layer's work per frame (layout, snapshot, rasterising), %d x %d, renderer %s, median of %d pans:\n",
           WIDTH, HEIGHT, g_getenv ("GSK_RENDERER"), FRAMES);
  g_print ("  our layer, 100,000 incidents, city (zoom 10):      %7.2f ms/frame  (goal <= 8 ms)\n", ours);
  g_print ("  our layer, 100,000 incidents, district (zoom 13):  %7.2f ms/frame\n", ours_close);
  g_print ("  our layer, 100,000 incidents, streets (zoom 16):   %7.2f ms/frame\n", ours_street);
  g_print ("  our layer, 10,000 incidents, city (zoom 10):       %7.2f ms/frame\n", ours_10k);
  g_print ("  libshumate widget markers, 10,000, city (zoom 10): %7.2f ms/frame\n", widgets);
  g_print ("  per mark: ours %.4f us, widget markers %.3f us: %.0fx cheaper (goal >= 100x)\n",
           ours * 1000 / 100000, widgets * 1000 / 10000, (widgets / 10000) / (ours / 100000));
  return 0;
}
