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

typedef struct {
  GtkWidget       *window;
  ShumateMap      *map;
  ShumateViewport *viewport;
  GArray          *times;   /* ms per frame */
  gint64           frame_start;
  guint            frames;
  double           step;
} Run;

static void
on_before_paint (GdkFrameClock *clock, Run *run)
{
  run->frame_start = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *clock, Run *run)
{
  double ms;

  if (run->frame_start == 0)
    return;
  ms = (g_get_monotonic_time () - run->frame_start) / 1000.0;
  run->frame_start = 0;
  /* The first frames build the window; only the panning ones count. */
  if (run->frames++ >= 3)
    g_array_append_val (run->times, ms);
}

static gboolean
pan (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  Run *run = data;
  double lon = shumate_location_get_longitude (SHUMATE_LOCATION (run->viewport));
  double lat = shumate_location_get_latitude (SHUMATE_LOCATION (run->viewport));

  shumate_map_center_on (run->map, lat, lon + run->step);
  run->step = -run->step;
  return run->times->len < FRAMES ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static int
compare (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* Median ms per frame of the map with @layer in it at @zoom. */
static double
measure (ShumateLayer *(*make) (ShumateViewport *viewport, guint n), guint n, double zoom)
{
  Run run = { 0 };
  GdkFrameClock *clock;
  double median;
  g_autoptr(ShumateMapSource) reference =
    SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_from_url ("http://127.0.0.1:9/{z}/{x}/{y}.png"));

  run.times = g_array_new (FALSE, FALSE, sizeof (double));
  run.window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (run.window), WIDTH, HEIGHT);
  run.map = shumate_map_new ();
  run.viewport = shumate_map_get_viewport (run.map);
  /* The projection's reference, without a base layer: only the marks are measured. */
  shumate_viewport_set_reference_map_source (run.viewport, reference);
  shumate_viewport_set_max_zoom_level (run.viewport, 19);
  shumate_viewport_set_zoom_level (run.viewport, zoom);
  shumate_map_center_on (run.map, (MIN_LAT + MAX_LAT) / 2, (MIN_LON + MAX_LON) / 2);
  shumate_map_add_layer (run.map, make (run.viewport, n));
  gtk_window_set_child (GTK_WINDOW (run.window), GTK_WIDGET (run.map));
  gtk_window_present (GTK_WINDOW (run.window));
  run.step = 0.0005;

  while (gtk_widget_get_frame_clock (run.window) == NULL)
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (run.window);
  g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), &run);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &run);
  gtk_widget_add_tick_callback (GTK_WIDGET (run.map), pan, &run, NULL);
  while (run.times->len < FRAMES)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handlers_disconnect_by_data (clock, &run);

  g_array_sort (run.times, compare);
  median = g_array_index (run.times, double, run.times->len / 2);
  gtk_window_destroy (GTK_WINDOW (run.window));
  g_array_unref (run.times);
  return median;
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

  g_print ("incident layer, %d x %d, renderer %s, median of %d frames while panning:\n",
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
