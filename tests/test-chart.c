/* test-chart.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <gtk/gtk.h>
#include <adwaita.h>

#include "ld-chart.h"
#include "ld-test-util.h"

/* The dashboard's chart: its ticks, its tooltips, and its pixels on a
 * virtual display, each drawn item found where the chart's own hit-testing
 * (what a click and a hover use) says it is. */

#define BLUE   0x3584e4
#define ORANGE 0xff7800
#define GREEN  0x33d17a


static GdkRGBA
rgba (guint32 rgb)
{
  return (GdkRGBA) { (rgb >> 16 & 0xff) / 255.0, (rgb >> 8 & 0xff) / 255.0, (rgb & 0xff) / 255.0, 1 };
}

/* Whether two colours differ by no more than rounding does. */
static gboolean
near (guint32 a, guint32 b)
{
  for (int shift = 0; shift < 24; shift += 8)
    if (ABS ((int) (a >> shift & 0xff) - (int) (b >> shift & 0xff)) > 3)
      return FALSE;
  return TRUE;
}

typedef struct {
  GtkWidget *window;
  GtkWidget *chart;
  int        width, height;
  guint32   *pixels;   /* 0xRRGGBB, over white */
} Shot;

static void
shot_free (Shot *shot)
{
  gtk_window_destroy (GTK_WINDOW (shot->window));
  g_free (shot->pixels);
  g_free (shot);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Shot, shot_free)

static gboolean
on_timeout (gpointer data)
{
  g_error ("timed out waiting for the chart to be laid out");
  return G_SOURCE_REMOVE;
}

/* @chart in a window of its own, laid out and drawn over white. */
static Shot *
shoot (GtkWidget *chart, int width, int height)
{
  Shot *shot = g_new0 (Shot, 1);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  guint timeout;

  shot->window = gtk_window_new ();
  shot->chart = chart;
  gtk_window_set_default_size (GTK_WINDOW (shot->window), width, height);
  gtk_window_set_child (GTK_WINDOW (shot->window), chart);
  gtk_window_present (GTK_WINDOW (shot->window));
  timeout = g_timeout_add_seconds (30, on_timeout, NULL);
  while (!gtk_widget_get_mapped (chart) || gtk_widget_get_width (chart) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);

  shot->width = gtk_widget_get_width (chart);
  shot->height = gtk_widget_get_height (chart);
  paintable = gtk_widget_paintable_new (chart);
  snapshot = gtk_snapshot_new ();
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 1, 1, 1, 1 },
                             &GRAPHENE_RECT_INIT (0, 0, shot->width, shot->height));
  gdk_paintable_snapshot (paintable, snapshot, shot->width, shot->height);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (shot->window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, shot->width, shot->height));
  shot->pixels = g_new (guint32, shot->width * shot->height);
  /* Cairo's ARGB32: one native-endian word a pixel. */
  gdk_texture_download (texture, (guchar *) shot->pixels, shot->width * 4);
  for (int i = 0; i < shot->width * shot->height; i++)
    shot->pixels[i] &= 0xffffff;
  return shot;
}

static guint32
pixel (Shot *shot, int x, int y)
{
  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (x, <, shot->width);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (y, <, shot->height);
  return shot->pixels[y * shot->width + x];
}

typedef struct {
  int x0, y0, x1, y1;   /* inclusive; x0 > x1 when empty */
} Box;

static gboolean
box_empty (const Box *box)
{
  return box->x0 > box->x1;
}

static int
box_cx (const Box *box)
{
  return (box->x0 + box->x1) / 2;
}

static int
box_cy (const Box *box)
{
  return (box->y0 + box->y1) / 2;
}

/* Where each (series, category) is picked, pixel by pixel: the box
 * around its pixels, series-major. */
static Box *
pick_boxes (Shot *shot, guint n_series, guint n_categories)
{
  Box *boxes = g_new (Box, n_series * n_categories);

  for (guint i = 0; i < n_series * n_categories; i++)
    boxes[i] = (Box) { G_MAXINT, G_MAXINT, G_MININT, G_MININT };
  for (int y = 0; y < shot->height; y++)
    for (int x = 0; x < shot->width; x++)
      {
        guint s, c;
        Box *box;

        if (!ld_chart_pick (LD_CHART (shot->chart), x + 0.5, y + 0.5, &s, &c))
          continue;
        g_assert_cmpuint (s, <, n_series);
        g_assert_cmpuint (c, <, n_categories);
        box = &boxes[s * n_categories + c];
        box->x0 = MIN (box->x0, x);
        box->y0 = MIN (box->y0, y);
        box->x1 = MAX (box->x1, x);
        box->y1 = MAX (box->y1, y);
      }
  return boxes;
}

static gboolean
column_has (Shot *shot, int x, guint32 rgb)
{
  for (int y = 0; y < shot->height; y++)
    if (near (pixel (shot, x, y), rgb))
      return TRUE;
  return FALSE;
}

static gboolean
row_has (Shot *shot, int y, int x0, int x1, guint32 rgb)
{
  for (int x = x0; x <= x1; x++)
    if (near (pixel (shot, x, y), rgb))
      return TRUE;
  return FALSE;
}

/* Whether @rgb is at (@x, @y) or a pixel away: a thin line's middle. */
static gboolean
around_has (Shot *shot, int x, int y, guint32 rgb)
{
  for (int dy = -1; dy <= 1; dy++)
    for (int dx = -1; dx <= 1; dx++)
      if (near (pixel (shot, x + dx, y + dy), rgb))
        return TRUE;
  return FALSE;
}

static void
test_nice_ticks (void)
{
  struct {
    double lo, hi, min_step;
    double first, step;
    guint  n;
  } cases[] = {
    { 0, 29085, 1, 0, 10000, 4 },
    { 0, 1, 0, 0, 0.2, 6 },
    { 0.9, 1, 0, 0.9, 0.02, 6 },
    { 0, 0.14, 0, 0, 0.05, 4 },
    { 0, 12, 0, 0, 2.5, 6 },
    /* Counts: no tick between 2 and 3 calls. */
    { 0, 12, 1, 0, 5, 4 },
    { 0, 2, 1, 0, 1, 3 },
    { -7, 23, 0, -10, 10, 5 },
    { 0, 100, 0, 0, 20, 6 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double first = NAN, step = NAN;
      guint n = ld_chart_nice_ticks (cases[i].lo, cases[i].hi, cases[i].min_step, &first, &step);

      g_test_message ("%g – %g", cases[i].lo, cases[i].hi);
      g_assert_cmpuint (n, ==, cases[i].n);
      g_assert_cmpfloat_with_epsilon (first, cases[i].first, 1e-9);
      g_assert_cmpfloat_with_epsilon (step, cases[i].step, 1e-9);
    }
}

static void
test_tooltip (void)
{
  const char *days[] = { "1日", "2日", "3日", NULL };
  const double counts[] = { 29085, NAN, 12.5 };
  const double rates[] = { 0.95, 0.98766, 1 };
  GtkWidget *chart;
  char *text;


  chart = g_object_ref_sink (ld_chart_new (LD_CHART_LINE));
  ld_chart_set_categories (LD_CHART (chart), days);
  ld_chart_add_series (LD_CHART (chart), "本月", counts, 3, NULL);
  g_assert_cmpuint (ld_chart_get_n_series (LD_CHART (chart)), ==, 1);

  text = ld_chart_dup_tooltip (LD_CHART (chart), 0, 0);
  g_assert_cmpstr (text, ==, "1日 · 本月: 29085");
  g_free (text);
  text = ld_chart_dup_tooltip (LD_CHART (chart), 0, 2);
  g_assert_cmpstr (text, ==, "3日 · 本月: 12.5");
  g_free (text);
  g_assert_null (ld_chart_dup_tooltip (LD_CHART (chart), 0, 1));
  g_assert_null (ld_chart_dup_tooltip (LD_CHART (chart), 0, 3));
  g_assert_null (ld_chart_dup_tooltip (LD_CHART (chart), 1, 0));

  ld_chart_set_format (LD_CHART (chart), LD_CHART_RATE);
  ld_chart_add_series (LD_CHART (chart), "及时率", rates, 3, NULL);
  g_assert_cmpuint (ld_chart_get_n_series (LD_CHART (chart)), ==, 2);
  text = ld_chart_dup_tooltip (LD_CHART (chart), 1, 0);
  g_assert_cmpstr (text, ==, "1日 · 及时率: 95.00%");
  g_free (text);
  text = ld_chart_dup_tooltip (LD_CHART (chart), 1, 1);
  g_assert_cmpstr (text, ==, "2日 · 及时率: 98.77%");
  g_free (text);
  text = ld_chart_dup_tooltip (LD_CHART (chart), 1, 2);
  g_assert_cmpstr (text, ==, "3日 · 及时率: 100.00%");
  g_free (text);

  /* New categories make the old values meaningless. */
  ld_chart_set_categories (LD_CHART (chart), days);
  g_assert_cmpuint (ld_chart_get_n_series (LD_CHART (chart)), ==, 0);
  g_assert_null (ld_chart_dup_tooltip (LD_CHART (chart), 0, 0));
  g_object_unref (chart);
}

static void
test_bar (void)
{
  const char *regions[] = { "南湖区", "秀洲区", "嘉善县", "平湖市", NULL };
  const double values[] = { 0, 100, 50, NAN };
  GdkRGBA blue = rgba (BLUE);
  GtkWidget *chart;
  g_autoptr(Shot) shot = NULL;
  g_autofree Box *boxes = NULL;
  int band;


  chart = ld_chart_new (LD_CHART_BAR);
  ld_chart_set_categories (LD_CHART (chart), regions);
  ld_chart_add_series (LD_CHART (chart), "接警", values, 4, &blue);
  shot = shoot (chart, 480, 320);
  boxes = pick_boxes (shot, 1, 4);

  /* No bar for nothing, nor for no value. */
  g_assert_true (box_empty (&boxes[0]));
  g_assert_true (box_empty (&boxes[3]));
  g_assert_false (box_empty (&boxes[1]));
  g_assert_false (box_empty (&boxes[2]));

  /* The one series alone is blue: a bar is exactly where it is picked. */
  for (int y = 0; y < shot->height; y++)
    for (int x = 0; x < shot->width; x++)
      {
        gboolean in_bar = FALSE;

        for (guint c = 1; c <= 2; c++)
          in_bar = in_bar || (x >= boxes[c].x0 && x <= boxes[c].x1 && y >= boxes[c].y0 && y <= boxes[c].y1);
        if (in_bar != near (pixel (shot, x, y), BLUE))
          g_error ("pixel (%d, %d) is %06x", x, y, pixel (shot, x, y));
      }

  /* Half the value, half the height, from the same baseline. */
  g_assert_cmpint (boxes[1].y1, ==, boxes[2].y1);
  g_assert_cmpint (ABS (2 * (boxes[2].y1 - boxes[2].y0 + 1) - (boxes[1].y1 - boxes[1].y0 + 1)), <=, 2);
  g_assert_cmpint (boxes[1].y1 - boxes[1].y0, >, shot->height / 3);

  /* The zero and the missing bars' columns have nothing of the colour. */
  band = box_cx (&boxes[2]) - box_cx (&boxes[1]);
  g_assert_false (column_has (shot, box_cx (&boxes[1]) - band, BLUE));
  g_assert_false (column_has (shot, box_cx (&boxes[2]) + band, BLUE));
}

static void
test_grouped (void)
{
  const char *months[] = { "10月", "11月", NULL };
  const double now[] = { 30, 40 };
  const double before[] = { 20, 10 };
  GdkRGBA blue = rgba (BLUE), orange = rgba (ORANGE);
  GtkWidget *chart;
  g_autoptr(Shot) shot = NULL;
  g_autofree Box *boxes = NULL;


  chart = ld_chart_new (LD_CHART_BAR);
  ld_chart_set_categories (LD_CHART (chart), months);
  ld_chart_add_series (LD_CHART (chart), "本年", now, 2, &blue);
  ld_chart_add_series (LD_CHART (chart), "去年", before, 2, &orange);
  shot = shoot (chart, 480, 320);
  boxes = pick_boxes (shot, 2, 2);

  for (guint c = 0; c < 2; c++)
    {
      const Box *first = &boxes[c], *second = &boxes[2 + c];

      /* Side by side, in series order, on one baseline. */
      g_assert_cmpint (first->x1, <, second->x0);
      g_assert_cmpint (first->y1, ==, second->y1);
      g_assert_true (near (pixel (shot, box_cx (first), box_cy (first)), BLUE));
      g_assert_true (near (pixel (shot, box_cx (second), box_cy (second)), ORANGE));
    }
  g_assert_cmpint (boxes[2 + 1].y0, >, boxes[1].y0);
  g_assert_cmpint (boxes[1].x0, >, boxes[2 + 0].x1);
}

static void
test_stacked (void)
{
  const char *regions[] = { "南湖区", "秀洲区", "嘉善县", NULL };
  const double fires[] = { 10, 20, NAN };
  const double floods[] = { 30, 0, 15 };
  const double others[] = { 5, 5, 5 };
  GdkRGBA blue = rgba (BLUE), orange = rgba (ORANGE), green = rgba (GREEN);
  GtkWidget *chart;
  g_autoptr(Shot) shot = NULL;
  g_autofree Box *boxes = NULL;
  Box *fire0, *flood0, *other0, *flood2;
  int unit;


  chart = ld_chart_new (LD_CHART_STACKED_BAR);
  ld_chart_set_categories (LD_CHART (chart), regions);
  ld_chart_add_series (LD_CHART (chart), "火灾", fires, 3, &blue);
  ld_chart_add_series (LD_CHART (chart), "水灾", floods, 3, &orange);
  ld_chart_add_series (LD_CHART (chart), "其他", others, 3, &green);
  shot = shoot (chart, 480, 360);
  boxes = pick_boxes (shot, 3, 3);
  fire0 = &boxes[0];
  flood0 = &boxes[3];
  other0 = &boxes[6];
  flood2 = &boxes[3 + 2];

  /* The first series at the bottom, each next one right on top of it. */
  g_assert_cmpint (flood0->y1 + 1, ==, fire0->y0);
  g_assert_cmpint (other0->y1 + 1, ==, flood0->y0);
  g_assert_cmpint (fire0->x0, ==, flood0->x0);
  g_assert_true (near (pixel (shot, box_cx (fire0), box_cy (fire0)), BLUE));
  g_assert_true (near (pixel (shot, box_cx (flood0), box_cy (flood0)), ORANGE));
  g_assert_true (near (pixel (shot, box_cx (other0), box_cy (other0)), GREEN));

  /* Heights in proportion: 10, 30 and 5. */
  unit = fire0->y1 - fire0->y0 + 1;
  g_assert_cmpint (ABS (flood0->y1 - flood0->y0 + 1 - 3 * unit), <=, 2);
  g_assert_cmpint (ABS (2 * (other0->y1 - other0->y0 + 1) - unit), <=, 2);

  /* No value and a zero: no segment, and the next one starts from the
   * baseline. */
  g_assert_true (box_empty (&boxes[2]));
  g_assert_true (box_empty (&boxes[3 + 1]));
  g_assert_cmpint (flood2->y1, ==, fire0->y1);
}

static void
test_line (void)
{
  const char *days[] = { "1日", "2日", "3日", "4日", "5日", NULL };
  const double values[] = { 8, 28, NAN, 18, 23 };
  GdkRGBA orange = rgba (ORANGE);
  GtkWidget *chart;
  g_autoptr(Shot) shot = NULL;
  g_autofree Box *boxes = NULL;
  int x[5], y[5];
  guint s, c;


  chart = ld_chart_new (LD_CHART_LINE);
  ld_chart_set_categories (LD_CHART (chart), days);
  ld_chart_add_series (LD_CHART (chart), "本月", values, 5, &orange);
  shot = shoot (chart, 480, 320);
  boxes = pick_boxes (shot, 1, 5);

  /* A point is picked from all around it: its marker is at the middle. */
  g_assert_true (box_empty (&boxes[2]));
  for (guint i = 0; i < 5; i++)
    {
      if (i == 2)
        continue;
      g_assert_false (box_empty (&boxes[i]));
      x[i] = box_cx (&boxes[i]);
      y[i] = box_cy (&boxes[i]);
      g_assert_true (near (pixel (shot, x[i], y[i]), ORANGE));
    }

  /* Evenly across, and up in proportion to the values. */
  g_assert_cmpint (ABS ((x[3] - x[1]) - 2 * (x[1] - x[0])), <=, 2);
  g_assert_cmpint (ABS ((y[0] - y[1]) - 2 * (y[0] - y[3])), <=, 2);
  g_assert_cmpint (ABS ((y[3] - y[4]) - (y[0] - y[3]) / 2), <=, 2);

  /* Joined where both ends have a value, a gap across the missing one. */
  g_assert_true (around_has (shot, (x[0] + x[1]) / 2, (y[0] + y[1]) / 2, ORANGE));
  g_assert_true (around_has (shot, (x[3] + x[4]) / 2, (y[3] + y[4]) / 2, ORANGE));
  g_assert_false (column_has (shot, (x[1] + x[3]) / 2, ORANGE));

  /* A click a little off the point still finds it; one far off does not. */
  g_assert_true (ld_chart_pick (LD_CHART (chart), x[1] + 6, y[1] + 6, &s, &c));
  g_assert_cmpuint (s, ==, 0);
  g_assert_cmpuint (c, ==, 1);
  g_assert_false (ld_chart_pick (LD_CHART (chart), x[1], y[1] + 40, &s, &c));
}

static void
test_target (void)
{
  const char *months[] = { "10月", "11月", NULL };
  const double values[] = { 0.14, 0.28 };
  GdkRGBA blue = rgba (BLUE), fg;
  GtkWidget *chart;
  g_autoptr(Shot) shot = NULL;
  g_autofree Box *boxes = NULL;
  guint32 dash;
  int ty, x0, x1;


  chart = ld_chart_new (LD_CHART_BAR);
  ld_chart_set_format (LD_CHART (chart), LD_CHART_RATE);
  ld_chart_set_categories (LD_CHART (chart), months);
  ld_chart_add_series (LD_CHART (chart), "重复报警率", values, 2, &blue);
  ld_chart_set_target (LD_CHART (chart), 0.14, "目标");
  shot = shoot (chart, 480, 320);
  boxes = pick_boxes (shot, 1, 2);

  gtk_style_context_get_color (gtk_widget_get_style_context (chart), &fg);
  /* The text's colour, over white. */
  dash = (guint32) lround ((fg.red * fg.alpha + 1 - fg.alpha) * 255) << 16 |
         (guint32) lround ((fg.green * fg.alpha + 1 - fg.alpha) * 255) << 8 |
         (guint32) lround ((fg.blue * fg.alpha + 1 - fg.alpha) * 255);

  /* A bar of the target's value reaches up to the line; between the bars
   * the line shows, and nowhere near it. */
  ty = boxes[0].y0;
  x0 = boxes[0].x1 + 1;
  x1 = boxes[1].x0 - 1;
  g_assert_cmpint (x1 - x0, >, 20);
  g_assert_true (row_has (shot, ty, x0, x1, dash) || row_has (shot, ty - 1, x0, x1, dash));
  g_assert_false (row_has (shot, ty - 8, x0, x1, dash));
  g_assert_false (row_has (shot, ty + 8, x0, x1, dash));
}

static void
test_empty (void)
{
  const char *days[] = { "1日", "2日", NULL };
  GtkWidget *chart;
  guint s, c;


  for (LdChartKind kind = LD_CHART_LINE; kind <= LD_CHART_STACKED_BAR; kind++)
    {
      g_autoptr(Shot) shot = NULL;
      g_autoptr(Shot) no_series = NULL;

      chart = ld_chart_new (kind);
      shot = shoot (chart, 300, 200);
      g_assert_false (ld_chart_pick (LD_CHART (chart), 150, 100, &s, &c));
      g_assert_null (ld_chart_dup_tooltip (LD_CHART (chart), 0, 0));

      chart = ld_chart_new (kind);
      ld_chart_set_categories (LD_CHART (chart), days);
      ld_chart_set_format (LD_CHART (chart), LD_CHART_RATE);
      no_series = shoot (chart, 300, 200);
      g_assert_false (ld_chart_pick (LD_CHART (chart), 150, 100, &s, &c));
    }
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* What a wall screen of the dashboard may show, kept on screen for a
 * screenshot when LD_CHART_SHOT is set: "dark" for the dark style, "wall"
 * for a wall screen's larger type. */
static void
test_shot (void)
{
  const char *shot = g_getenv ("LD_CHART_SHOT");
  const char *regions[] = { "南湖区", "秀洲区", "嘉善县", "平湖市", "海宁市", "桐乡市", "海盐县", NULL };
  g_autoptr(GPtrArray) days = g_ptr_array_new_with_free_func (g_free);
  double month[30], last_year[30], ontime[30];
  const double fires[] = { 120, 85, 64, 71, 98, 77, 40 };
  const double traffic[] = { 310, 240, 180, 205, 260, 230, 150 };
  const double others[] = { 75, 60, 52, 48, 66, 58, 31 };
  const double repeat[] = { 0.12, 0.16, 0.13, 0.15, 0.11, 0.14, 0.18 };
  GtkWidget *window, *grid, *chart;
  g_autoptr(GMainLoop) loop = NULL;

  if (g_str_equal (shot, "dark"))
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  if (g_str_equal (shot, "wall"))
    {
      g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

      gtk_css_provider_load_from_data (css, "window { font-size: 20pt; }", -1);
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }

  for (guint i = 0; i < 30; i++)
    {
      g_ptr_array_add (days, g_strdup_printf ("%u日", i + 1));
      month[i] = i < 22 ? 900 + 300 * sin (i / 3.0) + 13 * i : NAN;
      last_year[i] = 1000 + 250 * cos (i / 4.0);
      ontime[i] = i < 22 ? 0.95 + 0.03 * sin (i / 2.0) : NAN;
    }
  g_ptr_array_add (days, NULL);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 24);
  gtk_widget_set_margin_start (grid, 12);
  gtk_widget_set_margin_end (grid, 12);
  gtk_widget_set_margin_top (grid, 12);
  gtk_widget_set_margin_bottom (grid, 12);

  chart = ld_chart_new (LD_CHART_LINE);
  ld_chart_set_categories (LD_CHART (chart), (const char * const *) days->pdata);
  ld_chart_add_series (LD_CHART (chart), "本月", month, 30, NULL);
  ld_chart_add_series (LD_CHART (chart), "去年同期", last_year, 30, NULL);
  gtk_widget_set_vexpand (chart, TRUE);
  gtk_grid_attach (GTK_GRID (grid), chart, 0, 0, 1, 1);

  chart = ld_chart_new (LD_CHART_LINE);
  ld_chart_set_format (LD_CHART (chart), LD_CHART_RATE);
  ld_chart_set_categories (LD_CHART (chart), (const char * const *) days->pdata);
  ld_chart_add_series (LD_CHART (chart), "到场及时率", ontime, 30, NULL);
  gtk_grid_attach (GTK_GRID (grid), chart, 1, 0, 1, 1);

  chart = ld_chart_new (LD_CHART_STACKED_BAR);
  ld_chart_set_categories (LD_CHART (chart), regions);
  ld_chart_add_series (LD_CHART (chart), "火灾", fires, 7, NULL);
  ld_chart_add_series (LD_CHART (chart), "交通事故", traffic, 7, NULL);
  ld_chart_add_series (LD_CHART (chart), "其他", others, 7, NULL);
  gtk_widget_set_vexpand (chart, TRUE);
  gtk_grid_attach (GTK_GRID (grid), chart, 0, 1, 1, 1);

  chart = ld_chart_new (LD_CHART_BAR);
  ld_chart_set_format (LD_CHART (chart), LD_CHART_RATE);
  ld_chart_set_categories (LD_CHART (chart), regions);
  ld_chart_add_series (LD_CHART (chart), "重复报警率", repeat, 7, NULL);
  ld_chart_set_target (LD_CHART (chart), 0.14, "目标");
  gtk_grid_attach (GTK_GRID (grid), chart, 1, 1, 1, 1);

  gtk_window_set_child (GTK_WINDOW (window), grid);
  gtk_window_present (GTK_WINDOW (window));
  loop = g_main_loop_new (NULL, FALSE);
  g_timeout_add_seconds (3, quit_loop, loop);
  g_main_loop_run (loop);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  g_content_type_set_mime_dirs (NULL);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ld_test_display_start ();
  if (!gtk_init_check ())
    g_error ("GTK cannot open the display %s", g_getenv ("DISPLAY"));
  adw_init ();

  g_test_add_func ("/chart/nice-ticks", test_nice_ticks);
  g_test_add_func ("/chart/tooltip", test_tooltip);
  g_test_add_func ("/chart/bar", test_bar);
  g_test_add_func ("/chart/grouped", test_grouped);
  g_test_add_func ("/chart/stacked", test_stacked);
  g_test_add_func ("/chart/line", test_line);
  g_test_add_func ("/chart/target", test_target);
  g_test_add_func ("/chart/empty", test_empty);
  /* A look at the charts for a person, not a check. */
  if (g_getenv ("LD_CHART_SHOT"))
    g_test_add_func ("/chart/shot", test_shot);
  return g_test_run ();
}
