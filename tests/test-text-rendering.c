/* test-text-rendering.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Chinese text as the renderer the desktop chooses put it on the screen,
 * against the cairo renderer's drawing of the same window, pixel by pixel:
 * GTK 4.8's GL renderer on software GL (Xvfb) lost strokes of
 * regular-weight glyphs.
 */

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <gtk/gtk.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include "ld-application.h"
#include "ld-test-util.h"

/* Names the seeds' units and places carry, with the glyphs that lost
 * strokes (电 read 申, 地 read 坤) at several places in the line. */
static const char *sample = "嘉兴市电力局 居民楼电梯困人 地下车库 电梯 地";

/* What the X server shows of @surface: what the renderer really drew. */
static GdkTexture *
read_screen (GdkSurface *surface, int width, int height)
{
  Display *display = gdk_x11_display_get_xdisplay (gdk_surface_get_display (surface));
  XImage *image = XGetImage (display, gdk_x11_surface_get_xid (surface), 0, 0, width, height, AllPlanes, ZPixmap);
  guchar *data = g_malloc ((gsize) width * height * 4);
  g_autoptr(GBytes) bytes = NULL;

  g_assert_nonnull (image);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        unsigned long pixel = XGetPixel (image, x, y);
        guchar *p = data + 4 * ((gsize) y * width + x);

        p[0] = (pixel >> 16) & 0xff;
        p[1] = (pixel >> 8) & 0xff;
        p[2] = pixel & 0xff;
        p[3] = 0xff;
      }
  XDestroyImage (image);
  bytes = g_bytes_new_take (data, (gsize) width * height * 4);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, bytes, (gsize) width * 4);
}

static guchar *
pixels (GdkTexture *texture)
{
  gsize stride = gdk_texture_get_width (texture) * 4;
  guchar *data = g_malloc (stride * gdk_texture_get_height (texture));

  gdk_texture_download (texture, data, stride);
  return data;
}

static gboolean
count_frame (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

static void
test_chosen_renderer_draws_what_cairo_draws (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *label = gtk_label_new (sample);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *chosen;
  const char *chosen_name;
  g_autoptr(GskRenderer) cairo = gsk_cairo_renderer_new ();
  g_autoptr(GError) error = NULL;
  GdkSurface *surface;
  g_autoptr(GdkTexture) by_gl = NULL, by_cairo = NULL;
  g_autofree guchar *a = NULL, *b = NULL;
  guint ink = 0, differ = 0, frames = 0;
  int width, height;

  chosen_name = ld_application_choose_renderer (gdk_display_get_default ());
  g_test_message ("the desktop chooses: %s", chosen_name ? chosen_name : "GTK's own");
  gtk_window_set_child (GTK_WINDOW (window), label);
  gtk_window_set_default_size (GTK_WINDOW (window), 401, 60);
  gtk_window_present (GTK_WINDOW (window));
  /* Drawn at least once, so that the label has what to snapshot. */
  gtk_widget_add_tick_callback (label, count_frame, &frames, NULL);
  while (frames < 5)
    g_main_context_iteration (NULL, TRUE);

  /* The whole window, as it reaches the screen: the label sits where
   * centring puts it, not on the window's pixel grid. */
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  paintable = gtk_widget_paintable_new (window);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  surface = gtk_native_get_surface (GTK_NATIVE (window));
  /* What drew the window: on Xvfb, GTK alone would take GL on llvmpipe. */
  chosen = gtk_native_get_renderer (GTK_NATIVE (window));
  g_test_message ("the renderer that drew the window: %s", G_OBJECT_TYPE_NAME (chosen));
  g_assert_true (gsk_renderer_realize (cairo, surface, &error));
  by_gl = read_screen (surface, width, height);
  by_cairo = gsk_renderer_render_texture (cairo, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_renderer_unrealize (cairo);
  a = pixels (by_gl);
  b = pixels (by_cairo);

  /* Dark text on a light window, compared by its green: antialiasing
   * may differ by a shade; a lost stroke is dark in one and light in the
   * other. */
  for (int i = 0; i < width * height; i++)
    {
      int on_screen = a[4 * i + 1], by_cairo_green = b[4 * i + 1];

      if (by_cairo_green < 128)
        ink++;
      if (ABS (on_screen - by_cairo_green) > 64)
        differ++;
    }
  g_test_message ("%d×%d, %u ink pixels, %u drawn by one renderer only", width, height, ink, differ);
  g_assert_cmpuint (ink, >, 100);
  g_assert_cmpuint (differ, <=, ink / 100);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  /* The tests' environment asks for cairo; this one compares what the
   * desktop chooses by itself against it. */
  g_unsetenv ("GSK_RENDERER");
  ld_test_display_start ();
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/text-rendering/chosen-renderer-draws-what-cairo-draws", test_chosen_renderer_draws_what_cairo_draws);

  return g_test_run ();
}
