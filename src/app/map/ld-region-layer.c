/* ld-region-layer.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <math.h>

#include "ld-mercator.h"
#include "ld-region-layer.h"

typedef struct {
  char        *code;
  char        *name;
  LdBoundary  *boundary;   /* WGS84, as stored */
  guint        depth;
  /* In the tiles' datum, in the unit square: projected once, drawn often. */
  GArray      *rings;      /* of GArray of double x, y pairs */
  double       min_x, min_y, max_x, max_y;
  double       label_x, label_y;
  PangoLayout *label;
} Region;

struct _LdRegionLayer
{
  ShumateLayer  parent_instance;

  LdDatum       datum;
  GPtrArray    *regions;
};

G_DEFINE_FINAL_TYPE (LdRegionLayer, ld_region_layer, SHUMATE_TYPE_LAYER)

static void
clear_ring (gpointer ring)
{
  g_array_unref (*(GArray **) ring);
}

static void
region_free (Region *region)
{
  g_free (region->code);
  g_free (region->name);
  ld_boundary_unref (region->boundary);
  g_array_unref (region->rings);
  g_clear_object (&region->label);
  g_free (region);
}

static void
to_world (LdRegionLayer *self, double lat, double lon, double *x, double *y)
{
  if (self->datum == LD_DATUM_GCJ02)
    ld_geo_wgs84_to_gcj02 (lat, lon, &lat, &lon);
  *x = ld_mercator_x (lon);
  *y = ld_mercator_y (lat);
}

static void
project (LdRegionLayer *self, Region *region)
{
  double lat, lon;

  g_array_set_size (region->rings, 0);
  region->min_x = region->min_y = G_MAXDOUBLE;
  region->max_x = region->max_y = -G_MAXDOUBLE;
  for (guint p = 0; p < ld_boundary_get_n_polygons (region->boundary); p++)
    for (guint r = 0; r < ld_boundary_get_n_rings (region->boundary, p); r++)
      {
        guint n;
        const double *ring = ld_boundary_get_ring (region->boundary, p, r, &n);
        GArray *xy = g_array_sized_new (FALSE, FALSE, sizeof (double), 2 * n);

        for (guint i = 0; i < n; i++)
          {
            double x, y;

            to_world (self, ring[2 * i], ring[2 * i + 1], &x, &y);
            g_array_append_val (xy, x);
            g_array_append_val (xy, y);
            region->min_x = MIN (region->min_x, x);
            region->max_x = MAX (region->max_x, x);
            region->min_y = MIN (region->min_y, y);
            region->max_y = MAX (region->max_y, y);
          }
        g_array_append_val (region->rings, xy);
      }
  ld_boundary_get_label_point (region->boundary, &lat, &lon);
  to_world (self, lat, lon, &region->label_x, &region->label_y);
}

/* A region's name shows once the region is large enough on screen to
 * hold it: at a city's scale only the districts are named. */
static gboolean
shows_name (Region *region, double world, int label_width)
{
  return region->depth > 0 && (region->max_x - region->min_x) * world > label_width * 1.5;
}

static void
ld_region_layer_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  LdRegionLayer *self = LD_REGION_LAYER (widget);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (viewport);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double tile = source ? shumate_map_source_get_tile_size (source) : 256;
  double world = tile * exp2 (shumate_viewport_get_zoom_level (viewport));
  double rotation = shumate_viewport_get_rotation (viewport);
  double ox = width / 2.0 - ld_mercator_x (shumate_location_get_longitude (SHUMATE_LOCATION (viewport))) * world;
  double oy = height / 2.0 - ld_mercator_y (shumate_location_get_latitude (SHUMATE_LOCATION (viewport))) * world;
  double reach = hypot (width, height);
  cairo_t *cr;

  if (self->regions->len == 0 || width <= 0 || height <= 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (rotation != 0)
    {
      cairo_translate (cr, width / 2.0, height / 2.0);
      cairo_rotate (cr, rotation);
      cairo_translate (cr, -width / 2.0, -height / 2.0);
    }
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  /* Finer regions first, so the coarser lines they share are drawn over them. */
  for (int pass = 2; pass >= 0; pass--)
    for (guint k = 0; k < self->regions->len; k++)
      {
        Region *region = g_ptr_array_index (self->regions, k);

        if ((int) MIN (region->depth, 2) != pass)
          continue;
        if (region->max_x * world + ox < -reach || region->min_x * world + ox > width + reach ||
            region->max_y * world + oy < -reach || region->min_y * world + oy > height + reach)
          continue;
        for (guint r = 0; r < region->rings->len; r++)
          {
            GArray *xy = g_array_index (region->rings, GArray *, r);
            const double *v = (const double *) xy->data;

            for (guint i = 0; i + 1 < xy->len; i += 2)
              {
                if (i == 0)
                  cairo_move_to (cr, v[i] * world + ox, v[i + 1] * world + oy);
                else
                  cairo_line_to (cr, v[i] * world + ox, v[i + 1] * world + oy);
              }
            cairo_close_path (cr);
          }
        if (pass == 0)
          {
            cairo_set_source_rgba (cr, 0.35, 0.30, 0.45, 0.9);
            cairo_set_line_width (cr, 3);
            cairo_set_dash (cr, NULL, 0, 0);
          }
        else
          {
            static const double dash[] = { 6, 4 };

            cairo_set_source_rgba (cr, 0.42, 0.38, 0.52, pass == 1 ? 0.85 : 0.6);
            cairo_set_line_width (cr, pass == 1 ? 1.6 : 1);
            cairo_set_dash (cr, dash, pass == 1 ? 0 : 2, 0);
          }
        cairo_stroke (cr);
      }

  cairo_set_dash (cr, NULL, 0, 0);
  for (guint k = 0; k < self->regions->len; k++)
    {
      Region *region = g_ptr_array_index (self->regions, k);
      double x = region->label_x * world + ox;
      double y = region->label_y * world + oy;
      int lw, lh;

      if (region->name == NULL || x < -200 || y < -50 || x > width + 200 || y > height + 50)
        continue;
      if (region->label == NULL)
        region->label = gtk_widget_create_pango_layout (widget, region->name);
      pango_layout_get_pixel_size (region->label, &lw, &lh);
      if (!shows_name (region, world, lw))
        continue;
      /* A white halo keeps the name legible over any tile. */
      cairo_move_to (cr, x - lw / 2.0, y - lh / 2.0);
      pango_cairo_layout_path (cr, region->label);
      cairo_set_source_rgba (cr, 1, 1, 1, 0.85);
      cairo_set_line_width (cr, 4);
      cairo_stroke (cr);
      cairo_move_to (cr, x - lw / 2.0, y - lh / 2.0);
      cairo_set_source_rgb (cr, 0.25, 0.22, 0.32);
      pango_cairo_show_layout (cr, region->label);
    }
  cairo_destroy (cr);
}

static void
ld_region_layer_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  LdRegionLayer *self = LD_REGION_LAYER (widget);

  GTK_WIDGET_CLASS (ld_region_layer_parent_class)->css_changed (widget, change);
  for (guint k = 0; k < self->regions->len; k++)
    g_clear_object (&((Region *) g_ptr_array_index (self->regions, k))->label);
}

static void
ld_region_layer_constructed (GObject *object)
{
  LdRegionLayer *self = LD_REGION_LAYER (object);

  G_OBJECT_CLASS (ld_region_layer_parent_class)->constructed (object);
  g_signal_connect_object (shumate_layer_get_viewport (SHUMATE_LAYER (self)), "notify",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
}

static void
ld_region_layer_finalize (GObject *object)
{
  LdRegionLayer *self = LD_REGION_LAYER (object);

  g_ptr_array_unref (self->regions);

  G_OBJECT_CLASS (ld_region_layer_parent_class)->finalize (object);
}

static void
ld_region_layer_class_init (LdRegionLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ld_region_layer_constructed;
  object_class->finalize = ld_region_layer_finalize;
  widget_class->snapshot = ld_region_layer_snapshot;
  widget_class->css_changed = ld_region_layer_css_changed;
  gtk_widget_class_set_css_name (widget_class, "ld-region-layer");
}

static void
ld_region_layer_init (LdRegionLayer *self)
{
  self->datum = LD_DATUM_WGS84;
  self->regions = g_ptr_array_new_with_free_func ((GDestroyNotify) region_free);
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

LdRegionLayer *
ld_region_layer_new (ShumateViewport *viewport)
{
  return g_object_new (LD_TYPE_REGION_LAYER, "viewport", viewport, NULL);
}

void
ld_region_layer_add (LdRegionLayer *self,
                     const char    *code,
                     const char    *name,
                     LdBoundary    *boundary,
                     guint          depth)
{
  Region *region;

  g_return_if_fail (LD_IS_REGION_LAYER (self));
  g_return_if_fail (boundary != NULL);

  region = g_new0 (Region, 1);
  region->code = g_strdup (code);
  region->name = g_strdup (name);
  region->boundary = ld_boundary_ref (boundary);
  region->depth = depth;
  region->rings = g_array_new (FALSE, FALSE, sizeof (GArray *));
  g_array_set_clear_func (region->rings, clear_ring);
  project (self, region);
  g_ptr_array_add (self->regions, region);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ld_region_layer_clear (LdRegionLayer *self)
{
  g_return_if_fail (LD_IS_REGION_LAYER (self));

  g_ptr_array_set_size (self->regions, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ld_region_layer_set_datum (LdRegionLayer *self, LdDatum datum)
{
  g_return_if_fail (LD_IS_REGION_LAYER (self));

  if (self->datum == datum)
    return;
  self->datum = datum;
  for (guint k = 0; k < self->regions->len; k++)
    project (self, g_ptr_array_index (self->regions, k));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
