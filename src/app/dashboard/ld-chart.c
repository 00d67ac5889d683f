/* ld-chart.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ld-chart.h"

#define MAX_TICKS 6
/* A finger or a mouse on a wall screen's line is rarely on its point. */
#define PICK_RADIUS 12.0

typedef struct {
  char    *name;
  double  *values;   /* one per category, NAN for none */
  GdkRGBA  color;
} Series;

/* Where everything goes at one size, shared by the drawing and the picking
 * so that a click lands on what is shown. Every length is a share of a
 * line of text, so a wall screen's larger font scales it all. */
typedef struct {
  double           lh;           /* a line of text */
  double           line_width;
  double           lo, hi;       /* the y axis's ends: its first and last ticks */
  double           step;
  guint            n_ticks;
  GPtrArray       *tick_labels;  /* PangoLayout, lowest first */
  GPtrArray       *x_labels;     /* PangoLayout, one per category */
  guint            label_every;  /* the x labels shown: every n-th */
  GPtrArray       *legend;       /* PangoLayout: the series' names, then the target's */
  GArray          *legend_at;    /* graphene_point_t: each entry's swatch */
  graphene_rect_t  plot;
  double           band;         /* each category's width */
} Geometry;

static void
geometry_clear (Geometry *g)
{
  g_clear_pointer (&g->tick_labels, g_ptr_array_unref);
  g_clear_pointer (&g->x_labels, g_ptr_array_unref);
  g_clear_pointer (&g->legend, g_ptr_array_unref);
  g_clear_pointer (&g->legend_at, g_array_unref);
}

struct _LdChart
{
  GtkWidget      parent_instance;

  LdChartKind    kind;
  LdChartFormat  format;
  GStrv          categories;
  guint          n_categories;
  GPtrArray     *series;        /* Series */
  guint          n_auto_colors; /* series given the palette's colours so far */
  double         target;
  char          *target_label;

  gboolean       hovering;
  guint          hover_series;
  guint          hover_category;

  /* A pointer's every move picks: the text is not laid out again for it. */
  Geometry       geometry;
  gboolean       geometry_valid;
  int            geometry_width;
  int            geometry_height;
};

G_DEFINE_FINAL_TYPE (LdChart, ld_chart, GTK_TYPE_WIDGET)

enum {
  ITEM_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* GNOME's palette, blue and orange first: the pair the colour-blind tell
 * apart best, for the common two series (this month, a year ago). */
static const GdkRGBA palette[] = {
  { 0x35 / 255.0, 0x84 / 255.0, 0xe4 / 255.0, 1 },   /* blue */
  { 0xff / 255.0, 0x78 / 255.0, 0x00 / 255.0, 1 },   /* orange */
  { 0x33 / 255.0, 0xd1 / 255.0, 0x7a / 255.0, 1 },   /* green */
  { 0x91 / 255.0, 0x41 / 255.0, 0xac / 255.0, 1 },   /* purple */
  { 0xe0 / 255.0, 0x1b / 255.0, 0x24 / 255.0, 1 },   /* red */
  { 0xf6 / 255.0, 0xd3 / 255.0, 0x2d / 255.0, 1 },   /* yellow */
  { 0x98 / 255.0, 0x6a / 255.0, 0x44 / 255.0, 1 },   /* brown */
};

static void
series_free (gpointer data)
{
  Series *s = data;

  g_free (s->name);
  g_free (s->values);
  g_free (s);
}

guint
ld_chart_nice_ticks (double lo, double hi, double min_step, double *first, double *step)
{
  static const double mantissas[] = { 1, 2, 2.5, 5 };

  g_return_val_if_fail (lo < hi, 0);

  for (int e = (int) floor (log10 (hi - lo)) - 2;; e++)
    for (guint i = 0; i < G_N_ELEMENTS (mantissas); i++)
      {
        double s = mantissas[i] * pow (10, e);
        double a, b;

        if (min_step > 0 && (s < min_step || fabs (s / min_step - round (s / min_step)) > 1e-9))
          continue;
        /* The slack keeps 0.3 / 0.1 from making a tick of its own. */
        a = floor (lo / s + 1e-9);
        b = ceil (hi / s - 1e-9);
        if (b - a + 1 <= MAX_TICKS)
          {
            *first = a * s;
            *step = s;
            return (guint) (b - a + 1);
          }
      }
}

/* The digits after the point that @step needs to tell its ticks apart. */
static int
decimals_for (double step)
{
  int d = 0;

  while (d < 6 && fabs (step * pow (10, d) - round (step * pow (10, d))) > 1e-6)
    d++;
  return d;
}

static char *
format_tick (LdChart *self, double value, double step)
{
  if (self->format == LD_CHART_RATE)
    return g_strdup_printf ("%.*f%%", decimals_for (step * 100), value * 100);
  return g_strdup_printf ("%.*f", decimals_for (step), value);
}

static char *
format_value (LdChart *self, double value)
{
  if (self->format == LD_CHART_RATE)
    return g_strdup_printf ("%.2f%%", value * 100);
  if (value == round (value))
    return g_strdup_printf ("%.0f", value);
  return g_strdup_printf ("%.1f", value);
}

static double
value_at (LdChart *self, guint series, guint category)
{
  return ((Series *) g_ptr_array_index (self->series, series))->values[category];
}

/* The values the y axis must show, and whether they are all whole. */
static void
data_range (LdChart *self, double *lo, double *hi, gboolean *whole)
{
  double min = INFINITY, max = -INFINITY;

  *whole = TRUE;
  for (guint c = 0; c < self->n_categories; c++)
    {
      double up = 0, down = 0;

      for (guint s = 0; s < self->series->len; s++)
        {
          double v = value_at (self, s, c);

          if (isnan (v))
            continue;
          *whole = *whole && v == round (v);
          if (self->kind == LD_CHART_STACKED_BAR)
            {
              if (v > 0)
                up += v;
              else
                down += v;
              min = MIN (min, down);
              max = MAX (max, up);
            }
          else
            {
              min = MIN (min, v);
              max = MAX (max, v);
            }
        }
    }
  if (!isnan (self->target))
    {
      min = MIN (min, self->target);
      max = MAX (max, self->target);
      *whole = *whole && self->target == round (self->target);
    }

  /* A rate's differences of a point or two, between 95% and 99%, would be
   * lost on an axis from 0%. */
  if (self->format == LD_CHART_RATE && min <= max && min >= 0.9 && max <= 1)
    {
      *lo = 0.9;
      *hi = 1;
      return;
    }
  /* Bars grow from 0; a line of counts beside them keeps the same floor. */
  *lo = MIN (0, min);
  *hi = MAX (0, max);
  if (*hi <= *lo)
    *hi = *lo + 1;
}

static PangoLayout *
text_layout (LdChart *self, const char *text)
{
  return gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
}

static double
layout_width (PangoLayout *layout)
{
  int w;

  pango_layout_get_pixel_size (layout, &w, NULL);
  return w;
}

static double
line_height (LdChart *self)
{
  /* A Chinese glyph: its font's line is taller than a Latin one's. */
  g_autoptr(PangoLayout) layout = text_layout (self, "0日");
  int h;

  pango_layout_get_pixel_size (layout, NULL, &h);
  return MAX (h, 1);
}

static gboolean
has_legend (LdChart *self)
{
  return self->series->len >= 2 || !isnan (self->target);
}

static double
swatch_size (const Geometry *g)
{
  return round (g->lh * 0.7);
}

static void
geometry_compute (LdChart *self, double width, double height, Geometry *g)
{
  double lo, hi, first, tick_width = 0, label_width = 0, legend_height = 0;
  gboolean whole;
  static const guint every[] = { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000 };

  g->lh = line_height (self);
  g->line_width = MAX (2, round (g->lh / 8));

  data_range (self, &lo, &hi, &whole);
  g->n_ticks = ld_chart_nice_ticks (lo, hi, self->format == LD_CHART_COUNT && whole ? 1 : 0,
                                    &first, &g->step);
  g->lo = first;
  g->hi = first + (g->n_ticks - 1) * g->step;
  g->tick_labels = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g->n_ticks; i++)
    {
      g_autofree char *text = format_tick (self, first + i * g->step, g->step);
      PangoLayout *layout = text_layout (self, text);

      tick_width = MAX (tick_width, layout_width (layout));
      g_ptr_array_add (g->tick_labels, layout);
    }

  g->legend = g_ptr_array_new_with_free_func (g_object_unref);
  g->legend_at = g_array_new (FALSE, FALSE, sizeof (graphene_point_t));
  if (has_legend (self))
    {
      double x = 0, y = 0;

      for (guint i = 0; i <= self->series->len; i++)
        {
          PangoLayout *layout;
          double entry;

          if (i < self->series->len)
            layout = text_layout (self, ((Series *) g_ptr_array_index (self->series, i))->name);
          else if (!isnan (self->target))
            {
              g_autofree char *value = format_value (self, self->target);
              /* TRANSLATORS: the target line's label and its value, e.g. "Target 14.00%" */
              g_autofree char *text = g_strdup_printf (_("%s %s"), self->target_label, value);

              layout = text_layout (self, text);
            }
          else
            break;
          entry = swatch_size (g) + g->lh * 0.4 + layout_width (layout);
          /* Wrap, but never leave a row empty. */
          if (x > 0 && x + entry > width)
            {
              x = 0;
              y += g->lh * 1.2;
            }
          g_ptr_array_add (g->legend, layout);
          g_array_append_val (g->legend_at, GRAPHENE_POINT_INIT (x, y));
          x += entry + g->lh * 1.2;
        }
      legend_height = y + g->lh * 1.6;
    }

  /* Half a tick label sticks out above the top tick, and the x labels
   * hang below the plot. */
  graphene_rect_init (&g->plot, ceil (tick_width + g->lh * 0.5), ceil (legend_height + g->lh * 0.5), 0, 0);
  g->plot.size.width = floor (width - g->lh * 0.5) - g->plot.origin.x;
  g->plot.size.height = floor (height - g->lh * 1.4) - g->plot.origin.y;

  g->x_labels = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint c = 0; c < self->n_categories; c++)
    {
      PangoLayout *layout = text_layout (self, self->categories[c]);

      label_width = MAX (label_width, layout_width (layout));
      g_ptr_array_add (g->x_labels, layout);
    }
  g->band = self->n_categories > 0 ? g->plot.size.width / self->n_categories : 0;
  g->label_every = every[G_N_ELEMENTS (every) - 1];
  for (guint i = 0; i < G_N_ELEMENTS (every); i++)
    if (every[i] * g->band >= label_width + g->lh * 0.6)
      {
        g->label_every = every[i];
        break;
      }
}

static const Geometry *
geometry_get (LdChart *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  if (!self->geometry_valid || width != self->geometry_width || height != self->geometry_height)
    {
      geometry_clear (&self->geometry);
      geometry_compute (self, width, height, &self->geometry);
      self->geometry_valid = TRUE;
      self->geometry_width = width;
      self->geometry_height = height;
    }
  return &self->geometry;
}

static gboolean
geometry_usable (const Geometry *g)
{
  return g->plot.size.width > 1 && g->plot.size.height > 1;
}

static double
y_for (const Geometry *g, double value)
{
  return g->plot.origin.y + g->plot.size.height * (1 - (value - g->lo) / (g->hi - g->lo));
}

static double
x_for (const Geometry *g, guint category)
{
  return g->plot.origin.x + g->band * (category + 0.5);
}

/* The rectangle of a bar or a stacked segment, on whole pixels so that
 * neighbours neither overlap nor leave a seam. FALSE for none. */
static gboolean
bar_rect (LdChart *self, const Geometry *g, guint series, guint category, graphene_rect_t *rect)
{
  double v = value_at (self, series, category);
  double base = 0, left, width, top, bottom;
  guint n = self->series->len;

  if (isnan (v) || v == 0)
    return FALSE;

  if (self->kind == LD_CHART_STACKED_BAR)
    {
      width = MIN (g->band * 0.6, g->lh * 3);
      left = x_for (g, category) - width / 2;
      for (guint s = 0; s < series; s++)
        {
          double below = value_at (self, s, category);

          if (!isnan (below) && (below > 0) == (v > 0))
            base += below;
        }
    }
  else
    {
      double group = MIN (g->band * (n > 1 ? 0.8 : 0.6), g->lh * 2 * n);

      width = group / n;
      left = x_for (g, category) - group / 2 + series * width;
    }
  base = CLAMP (base, g->lo, g->hi);
  top = round (y_for (g, MAX (base, base + v)));
  bottom = round (y_for (g, MIN (base, base + v)));
  /* A grouped bar keeps a pixel of air from its neighbour when it can
   * spare it. */
  left = round (left);
  width = round (left + width) - left - (self->kind == LD_CHART_BAR && n > 1 && width >= 6 ? 1 : 0);
  if (width < 1 || bottom - top < 1)
    return FALSE;
  graphene_rect_init (rect, left, top, width, bottom - top);
  return TRUE;
}

static gboolean
point_at (LdChart *self, const Geometry *g, guint series, guint category, graphene_point_t *point)
{
  double v = value_at (self, series, category);

  if (isnan (v))
    return FALSE;
  graphene_point_init (point, x_for (g, category), y_for (g, v));
  return TRUE;
}

/* A year of days would be a row of blobs: the markers shrink to the
 * line's width where the categories crowd. */
static double
marker_radius (const Geometry *g)
{
  return CLAMP (g->band / 5, g->line_width, g->line_width * 2);
}

static gboolean
pick (LdChart *self, const Geometry *g, double x, double y, guint *series, guint *category)
{
  double best = INFINITY;

  if (!geometry_usable (g))
    return FALSE;

  for (guint s = 0; s < self->series->len; s++)
    for (guint c = 0; c < self->n_categories; c++)
      {
        if (self->kind == LD_CHART_LINE)
          {
            graphene_point_t p;
            double d;

            if (!point_at (self, g, s, c, &p))
              continue;
            d = hypot (p.x - x, p.y - y);
            if (d <= MAX (PICK_RADIUS, marker_radius (g) + 2) && d < best)
              {
                best = d;
                *series = s;
                *category = c;
              }
          }
        else
          {
            graphene_rect_t r;

            if (bar_rect (self, g, s, c, &r) && graphene_rect_contains_point (&r, &GRAPHENE_POINT_INIT (x, y)))
              {
                *series = s;
                *category = c;
                return TRUE;
              }
          }
      }
  return best < INFINITY;
}

gboolean
ld_chart_pick (LdChart *self, double x, double y, guint *series, guint *category)
{
  g_return_val_if_fail (LD_IS_CHART (self), FALSE);

  return pick (self, geometry_get (self), x, y, series, category);
}

static void
foreground (LdChart *self, GdkRGBA *color)
{
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), color);
}

static GdkRGBA
with_alpha (const GdkRGBA *color, double alpha)
{
  return (GdkRGBA) { color->red, color->green, color->blue, color->alpha * alpha };
}

static void
append_layout (GtkSnapshot *snapshot, PangoLayout *layout, double x, double y, const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (round (x), round (y)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
append_dashes (GtkSnapshot *snapshot, const GdkRGBA *color, double x0, double x1, double y,
               double thickness, double dash)
{
  for (double x = x0; x < x1; x += dash * 1.6)
    gtk_snapshot_append_color (snapshot, color,
                               &GRAPHENE_RECT_INIT (x, y, MIN (dash, x1 - x), thickness));
}

static void
snapshot_axes (LdChart *self, GtkSnapshot *snapshot, const Geometry *g, const GdkRGBA *fg)
{
  GdkRGBA grid = with_alpha (fg, 0.12);
  GdkRGBA axis = with_alpha (fg, 0.5);
  double baseline = round (y_for (g, CLAMP (0, g->lo, g->hi)));
  double drawn_to = -INFINITY;

  for (guint i = 0; i < g->n_ticks; i++)
    {
      PangoLayout *layout = g_ptr_array_index (g->tick_labels, i);
      double y = round (y_for (g, g->lo + i * g->step));
      int w, h;

      gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (g->plot.origin.x, y,
                                                                       g->plot.size.width, 1));
      pango_layout_get_pixel_size (layout, &w, &h);
      append_layout (snapshot, layout, g->plot.origin.x - g->lh * 0.4 - w, y - h / 2.0, fg);
    }
  gtk_snapshot_append_color (snapshot, &axis, &GRAPHENE_RECT_INIT (g->plot.origin.x, baseline,
                                                                   g->plot.size.width, 1));

  for (guint c = 0; c < self->n_categories; c += g->label_every)
    {
      PangoLayout *layout = g_ptr_array_index (g->x_labels, c);
      int w, h;
      double x;

      pango_layout_get_pixel_size (layout, &w, &h);
      /* The end labels may overhang the plot, not the widget; pushed back
       * in, the last one may meet the one before, and gives way. */
      x = CLAMP (x_for (g, c) - w / 2.0, 0, gtk_widget_get_width (GTK_WIDGET (self)) - w);
      if (x < drawn_to + g->lh * 0.3)
        continue;
      drawn_to = x + w;
      gtk_snapshot_append_color (snapshot, &axis, &GRAPHENE_RECT_INIT (round (x_for (g, c)), baseline,
                                                                       1, g->lh * 0.25));
      append_layout (snapshot, layout, x, g->plot.origin.y + g->plot.size.height + g->lh * 0.3, fg);
    }
}

static void
snapshot_legend (LdChart *self, GtkSnapshot *snapshot, const Geometry *g, const GdkRGBA *fg)
{
  double swatch = swatch_size (g);

  for (guint i = 0; i < g->legend->len; i++)
    {
      const graphene_point_t *at = &g_array_index (g->legend_at, graphene_point_t, i);
      double sy = round (at->y + (g->lh - swatch) / 2);

      if (i < self->series->len)
        gtk_snapshot_append_color (snapshot, &((Series *) g_ptr_array_index (self->series, i))->color,
                                   &GRAPHENE_RECT_INIT (at->x, sy, swatch, swatch));
      else
        append_dashes (snapshot, fg, at->x, at->x + swatch, round (at->y + (g->lh - g->line_width) / 2),
                       g->line_width, swatch * 0.4);
      append_layout (snapshot, g_ptr_array_index (g->legend, i), at->x + swatch + g->lh * 0.4, at->y, fg);
    }
}

static void
snapshot_bars (LdChart *self, GtkSnapshot *snapshot, const Geometry *g, const GdkRGBA *fg)
{
  for (guint s = 0; s < self->series->len; s++)
    for (guint c = 0; c < self->n_categories; c++)
      {
        graphene_rect_t r;

        if (!bar_rect (self, g, s, c, &r))
          continue;
        gtk_snapshot_append_color (snapshot, &((Series *) g_ptr_array_index (self->series, s))->color, &r);
        if (self->hovering && s == self->hover_series && c == self->hover_category)
          {
            GskRoundedRect outline;
            float w = MIN (g->line_width, MIN (r.size.width, r.size.height) / 2);

            gsk_rounded_rect_init_from_rect (&outline, &r, 0);
            gtk_snapshot_append_border (snapshot, &outline, (float[4]) { w, w, w, w },
                                        (GdkRGBA[4]) { *fg, *fg, *fg, *fg });
          }
      }
}

static void
snapshot_lines (LdChart *self, GtkSnapshot *snapshot, const Geometry *g, const GdkRGBA *fg)
{
  double r = marker_radius (g);
  graphene_rect_t bounds;
  cairo_t *cr;

  graphene_rect_inset_r (&g->plot, -2 * r, -2 * r, &bounds);
  cr = gtk_snapshot_append_cairo (snapshot, &bounds);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_width (cr, g->line_width);

  for (guint s = 0; s < self->series->len; s++)
    {
      Series *series = g_ptr_array_index (self->series, s);
      gboolean drawing = FALSE;

      gdk_cairo_set_source_rgba (cr, &series->color);
      for (guint c = 0; c < self->n_categories; c++)
        {
          graphene_point_t p;

          if (!point_at (self, g, s, c, &p))
            drawing = FALSE;
          else if (drawing)
            cairo_line_to (cr, p.x, p.y);
          else
            {
              cairo_move_to (cr, p.x, p.y);
              drawing = TRUE;
            }
        }
      cairo_stroke (cr);

      for (guint c = 0; c < self->n_categories; c++)
        {
          graphene_point_t p;
          gboolean hovered = self->hovering && s == self->hover_series && c == self->hover_category;

          if (!point_at (self, g, s, c, &p))
            continue;
          cairo_new_sub_path (cr);
          cairo_arc (cr, p.x, p.y, hovered ? r * 1.5 : r, 0, 2 * G_PI);
          gdk_cairo_set_source_rgba (cr, &series->color);
          cairo_fill_preserve (cr);
          if (hovered)
            {
              gdk_cairo_set_source_rgba (cr, fg);
              cairo_stroke (cr);
            }
          cairo_new_path (cr);
        }
    }
  cairo_destroy (cr);
}

static void
ld_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  LdChart *self = LD_CHART (widget);
  const Geometry *g = geometry_get (self);
  GdkRGBA fg;

  if (!geometry_usable (g))
    return;
  foreground (self, &fg);

  snapshot_legend (self, snapshot, g, &fg);
  snapshot_axes (self, snapshot, g, &fg);
  if (self->kind == LD_CHART_LINE)
    snapshot_lines (self, snapshot, g, &fg);
  else
    snapshot_bars (self, snapshot, g, &fg);

  /* Over the bars: a target is read against them. */
  if (!isnan (self->target))
    append_dashes (snapshot, &fg, g->plot.origin.x, g->plot.origin.x + g->plot.size.width,
                   round (y_for (g, self->target) - g->line_width / 2), g->line_width, g->lh * 0.5);
}

static void
ld_chart_measure (GtkWidget      *widget,
                  GtkOrientation  orientation,
                  int             for_size,
                  int            *minimum,
                  int            *natural,
                  int            *minimum_baseline,
                  int            *natural_baseline)
{
  double lh = line_height (LD_CHART (widget));

  /* Room for the axes and a plot that still shows a trend. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = (int) ceil (lh * 10);
  else
    *minimum = *natural = MAX (180, (int) ceil (lh * 9));
}

static void
set_hover (LdChart *self, gboolean hovering, guint series, guint category)
{
  if (hovering == self->hovering &&
      (!hovering || (series == self->hover_series && category == self->hover_category)))
    return;
  self->hovering = hovering;
  self->hover_series = series;
  self->hover_category = category;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), hovering ? "pointer" : NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_motion (GtkEventControllerMotion *motion, double x, double y, LdChart *self)
{
  guint series = 0, category = 0;
  gboolean hit = ld_chart_pick (self, x, y, &series, &category);

  set_hover (self, hit, series, category);
}

static void
on_leave (GtkEventControllerMotion *motion, LdChart *self)
{
  set_hover (self, FALSE, 0, 0);
}

static void
on_released (GtkGestureClick *click, int n_press, double x, double y, LdChart *self)
{
  guint series, category;

  if (ld_chart_pick (self, x, y, &series, &category))
    g_signal_emit (self, signals[ITEM_ACTIVATED], 0, series, category);
}

/* Where the item picked at a point lies, for its tooltip. */
static gboolean
item_area (LdChart *self, const Geometry *g, guint series, guint category, graphene_rect_t *area)
{
  graphene_point_t p;

  if (self->kind != LD_CHART_LINE)
    return bar_rect (self, g, series, category, area);
  if (!point_at (self, g, series, category, &p))
    return FALSE;
  graphene_rect_init (area, p.x - PICK_RADIUS / 2, p.y - PICK_RADIUS / 2, PICK_RADIUS, PICK_RADIUS);
  return TRUE;
}

static gboolean
ld_chart_query_tooltip (GtkWidget  *widget,
                        int         x,
                        int         y,
                        gboolean    keyboard_mode,
                        GtkTooltip *tooltip)
{
  LdChart *self = LD_CHART (widget);
  const Geometry *g = geometry_get (self);
  g_autofree char *text = NULL;
  guint series, category;
  graphene_rect_t area;

  if (keyboard_mode || !pick (self, g, x, y, &series, &category))
    return FALSE;

  text = ld_chart_dup_tooltip (self, series, category);
  gtk_tooltip_set_text (tooltip, text);
  /* Moving onto the next item asks again, for its own text. */
  if (item_area (self, g, series, category, &area))
    gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { floor (area.origin.x), floor (area.origin.y),
                                                         ceil (area.size.width), ceil (area.size.height) });
  return TRUE;
}

/* The font may have changed: the text is measured again. */
static void
ld_chart_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (ld_chart_parent_class)->css_changed (widget, change);
  LD_CHART (widget)->geometry_valid = FALSE;
}

static void
ld_chart_system_setting_changed (GtkWidget *widget, GtkSystemSetting setting)
{
  GTK_WIDGET_CLASS (ld_chart_parent_class)->system_setting_changed (widget, setting);
  LD_CHART (widget)->geometry_valid = FALSE;
}

static void
ld_chart_dispose (GObject *object)
{
  LdChart *self = LD_CHART (object);

  geometry_clear (&self->geometry);
  g_clear_pointer (&self->categories, g_strfreev);
  g_clear_pointer (&self->series, g_ptr_array_unref);
  g_clear_pointer (&self->target_label, g_free);

  G_OBJECT_CLASS (ld_chart_parent_class)->dispose (object);
}

static void
ld_chart_class_init (LdChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_chart_dispose;
  widget_class->snapshot = ld_chart_snapshot;
  widget_class->measure = ld_chart_measure;
  widget_class->query_tooltip = ld_chart_query_tooltip;
  widget_class->css_changed = ld_chart_css_changed;
  widget_class->system_setting_changed = ld_chart_system_setting_changed;

  signals[ITEM_ACTIVATED] =
    g_signal_new ("item-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);

  gtk_widget_class_set_css_name (widget_class, "ld-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ld_chart_init (LdChart *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  self->series = g_ptr_array_new_with_free_func (series_free);
  self->categories = g_new0 (char *, 1);
  self->target = NAN;

  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  g_signal_connect (click, "released", G_CALLBACK (on_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
}

GtkWidget *
ld_chart_new (LdChartKind kind)
{
  LdChart *self = g_object_new (LD_TYPE_CHART, NULL);

  self->kind = kind;
  return GTK_WIDGET (self);
}

static void
changed (LdChart *self)
{
  self->geometry_valid = FALSE;
  self->hovering = FALSE;
  gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ld_chart_set_kind (LdChart *self, LdChartKind kind)
{
  g_return_if_fail (LD_IS_CHART (self));

  if (self->kind == kind)
    return;
  self->kind = kind;
  changed (self);
}

void
ld_chart_set_format (LdChart *self, LdChartFormat format)
{
  g_return_if_fail (LD_IS_CHART (self));

  if (self->format == format)
    return;
  self->format = format;
  changed (self);
}

void
ld_chart_set_categories (LdChart *self, const char * const *labels)
{
  g_return_if_fail (LD_IS_CHART (self));

  g_ptr_array_set_size (self->series, 0);
  self->n_auto_colors = 0;
  g_strfreev (self->categories);
  self->categories = labels ? g_strdupv ((char **) labels) : g_new0 (char *, 1);
  self->n_categories = g_strv_length (self->categories);
  changed (self);
}

void
ld_chart_add_series (LdChart       *self,
                     const char    *name,
                     const double  *values,
                     guint          n_values,
                     const GdkRGBA *color)
{
  Series *series;

  g_return_if_fail (LD_IS_CHART (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (n_values == self->n_categories);
  g_return_if_fail (values != NULL || n_values == 0);

  series = g_new0 (Series, 1);
  series->name = g_strdup (name);
  series->values = g_memdup2 (values, n_values * sizeof (double));
  if (color)
    series->color = *color;
  else
    series->color = palette[self->n_auto_colors++ % G_N_ELEMENTS (palette)];
  g_ptr_array_add (self->series, series);
  changed (self);
}

void
ld_chart_clear_series (LdChart *self)
{
  g_return_if_fail (LD_IS_CHART (self));

  g_ptr_array_set_size (self->series, 0);
  self->n_auto_colors = 0;
  changed (self);
}

void
ld_chart_set_target (LdChart *self, double value, const char *label)
{
  g_return_if_fail (LD_IS_CHART (self));

  self->target = value;
  g_free (self->target_label);
  self->target_label = g_strdup (label ? label : "");
  changed (self);
}

guint
ld_chart_get_n_series (LdChart *self)
{
  g_return_val_if_fail (LD_IS_CHART (self), 0);

  return self->series->len;
}

char *
ld_chart_dup_tooltip (LdChart *self, guint series, guint category)
{
  g_autofree char *value = NULL;
  double v;

  g_return_val_if_fail (LD_IS_CHART (self), NULL);

  if (series >= self->series->len || category >= self->n_categories)
    return NULL;
  v = value_at (self, series, category);
  if (isnan (v))
    return NULL;
  value = format_value (self, v);
  /* TRANSLATORS: a chart's value: "<category> · <series>: <value>", e.g. "3日 · 本月: 95.00%" */
  return g_strdup_printf (_("%s · %s: %s"), self->categories[category],
                          ((Series *) g_ptr_array_index (self->series, series))->name, value);
}
