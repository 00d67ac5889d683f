/* ld-point-layer.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ld-mercator.h"
#include "ld-point-layer.h"

/* What a frame drew, kept for picking: a click goes to what the eye saw. */
typedef struct {
  float x, y, radius;
  guint first;
  guint count;
} Drawn;

/* One cell of the clustering grid. */
typedef struct {
  guint  count;
  guint  first;
  double sum_x, sum_y;
  guint8 kind;       /* the most urgent kind inside */
  guint8 flags;
} Cell;

/* Marks and count labels are drawn once into small textures and placed
 * many times: a frame is a few thousand texture nodes, not a few
 * thousand paths and text runs. */
#define MAX_CLUSTER_SPRITES 4096

struct _LdPointLayer
{
  ShumateLayer  parent_instance;

  LdPointShape  shape;
  LdDatum       datum;
  double        cluster_max_zoom;

  guint         n_points;
  LdMapPoint   *points;    /* as given, WGS84 */
  double       *world;     /* per point: x, y in [0, 1] Web Mercator, in the tiles' datum */
  char        **ids;
  GHashTable   *index_of;  /* id → index + 1 */

  int           selected;  /* index, or -1 */
  int           highlight;

  /* Reused from frame to frame: a wall screen redraws often. */
  GArray       *grid;      /* guint: Cell index + 1 of each visible cell, 0 empty */
  GArray       *cell_list;
  GArray       *drawn;
  GHashTable   *sprites;   /* sprite key → GdkTexture */
  GHashTable   *clusters;  /* count, kind, flags → ClusterSprite */
  double        frame_world, frame_ox, frame_oy;
};

G_DEFINE_FINAL_TYPE (LdPointLayer, ld_point_layer, SHUMATE_TYPE_LAYER)

enum {
  PROP_0,
  PROP_SHAPE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Urgency orders the kinds when a cluster takes one colour. */
static const struct {
  double r, g, b;
  int    urgency;
} kind_style[] = {
  [LD_MAP_POINT_NEW]        = { 0.90, 0.55, 0.00, 3 },   /* amber: nobody is on it yet */
  [LD_MAP_POINT_DISPATCHED] = { 0.11, 0.44, 0.85, 2 },   /* blue */
  [LD_MAP_POINT_DONE]       = { 0.47, 0.46, 0.48, 0 },   /* grey */
  [LD_MAP_POINT_UNIT]       = { 0.15, 0.64, 0.41, 1 },   /* green: free */
  [LD_MAP_POINT_UNIT_BUSY]  = { 0.38, 0.21, 0.51, 2 },   /* purple: has work */
  [LD_MAP_POINT_DRILL]      = { 0.78, 0.11, 0.53, 4 },   /* magenta: an alarm there may be a drill's */
};

static const double overdue_rgb[] = { 0.88, 0.11, 0.14 };

static void
project_all (LdPointLayer *self)
{
  for (guint i = 0; i < self->n_points; i++)
    {
      double lat = self->points[i].lat, lon = self->points[i].lon;

      if (self->datum == LD_DATUM_GCJ02)
        ld_geo_wgs84_to_gcj02 (lat, lon, &lat, &lon);
      self->world[2 * i] = ld_mercator_x (lon);
      self->world[2 * i + 1] = ld_mercator_y (lat);
    }
}

/* The layer's unit of size follows the text, so the wall screen's larger
 * type makes larger marks too. */
static double
em (LdPointLayer *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  const PangoFontDescription *font = pango_context_get_font_description (context);
  double size = font ? pango_font_description_get_size (font) / (double) PANGO_SCALE : 11;
  double dpi = pango_cairo_context_get_resolution (context);

  if (dpi <= 0)
    dpi = 96;
  if (font && pango_font_description_get_size_is_absolute (font))
    return size;
  return size * dpi / 72.0;
}

static void
mark_path (cairo_t *cr, LdPointShape shape, double x, double y, double r)
{
  if (shape == LD_POINT_SHAPE_SQUARE)
    cairo_rectangle (cr, x - r, y - r, 2 * r, 2 * r);
  else if (shape == LD_POINT_SHAPE_DIAMOND)
    {
      /* As wide as the square is across its corners: marks of a size. */
      double d = r * G_SQRT2;

      cairo_move_to (cr, x, y - d);
      cairo_line_to (cr, x + d, y);
      cairo_line_to (cr, x, y + d);
      cairo_line_to (cr, x - d, y);
      cairo_close_path (cr);
    }
  else
    {
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, r, 0, 2 * G_PI);
    }
}

static void
draw_mark (LdPointLayer *self, cairo_t *cr, double x, double y, double r, guint8 kind, guint8 flags, gboolean cluster)
{
  if ((flags & LD_MAP_POINT_OVERDUE) && !cluster)
    {
      /* A red halo around the usual colour: late, and still what it is. */
      mark_path (cr, self->shape, x, y, r * 1.7);
      cairo_set_source_rgba (cr, overdue_rgb[0], overdue_rgb[1], overdue_rgb[2], 0.35);
      cairo_fill (cr);
      mark_path (cr, self->shape, x, y, r * 1.35);
      cairo_set_source_rgb (cr, overdue_rgb[0], overdue_rgb[1], overdue_rgb[2]);
      cairo_fill (cr);
    }
  mark_path (cr, self->shape, x, y, r);
  cairo_set_source_rgb (cr, kind_style[kind].r, kind_style[kind].g, kind_style[kind].b);
  cairo_fill_preserve (cr);
  /* A cluster holding a late one says so with its rim: a city of halos
   * would say nothing. */
  if ((flags & LD_MAP_POINT_OVERDUE) && cluster)
    {
      cairo_set_source_rgb (cr, overdue_rgb[0], overdue_rgb[1], overdue_rgb[2]);
      cairo_set_line_width (cr, MAX (2.0, r / 4));
    }
  else
    {
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, MAX (1.0, r / 4));
    }
  cairo_stroke (cr);
}

static void
draw_ring (LdPointLayer *self, cairo_t *cr, double x, double y, double r, double width)
{
  mark_path (cr, self->shape, x, y, r);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_set_line_width (cr, width + 2);
  cairo_stroke_preserve (cr);
  cairo_set_source_rgb (cr, 1, 0.85, 0.2);
  cairo_set_line_width (cr, width);
  cairo_stroke (cr);
}

static GdkTexture *
texture_from_surface (cairo_surface_t *surface)
{
  g_autoptr(GBytes) bytes = NULL;

  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * cairo_image_surface_get_height (surface));
  return gdk_memory_texture_new (cairo_image_surface_get_width (surface), cairo_image_surface_get_height (surface),
                                 GDK_MEMORY_DEFAULT, bytes, cairo_image_surface_get_stride (surface));
}

/* The texture of a mark of @radius pixels, with room for its halo; its
 * centre is at (size / 2, size / 2) in layer pixels. */
static GdkTexture *
sprite_for (LdPointLayer *self, int radius, guint8 kind, guint8 flags, int scale, int *size)
{
  guint key = ((guint) radius << 8) | ((guint) kind << 3) | ((flags & LD_MAP_POINT_OVERDUE) ? 4 : 0);
  GdkTexture *texture = g_hash_table_lookup (self->sprites, GUINT_TO_POINTER (key));

  *size = (int) ceil (radius * 1.7) * 2 + 4;
  if (texture == NULL)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, *size * scale, *size * scale);
      cairo_t *cr = cairo_create (surface);

      cairo_scale (cr, scale, scale);
      draw_mark (self, cr, *size / 2.0, *size / 2.0, radius, kind, flags, FALSE);
      cairo_destroy (cr);
      texture = texture_from_surface (surface);
      cairo_surface_destroy (surface);
      g_hash_table_insert (self->sprites, GUINT_TO_POINTER (key), texture);
    }
  return texture;
}

typedef struct {
  guint64     key;
  GdkTexture *texture;
  int         size;
  int         radius;
} ClusterSprite;

static void
cluster_sprite_free (ClusterSprite *sprite)
{
  g_object_unref (sprite->texture);
  g_free (sprite);
}

/* A cluster's mark with its count, as one texture: half the nodes of a
 * mark and a label. Its radius follows the count. */
static const ClusterSprite *
cluster_sprite_for (LdPointLayer *self, guint count, guint8 kind, guint8 flags, double unit, int scale)
{
  guint64 key = ((guint64) count << 8) | ((guint64) kind << 1) | ((flags & LD_MAP_POINT_OVERDUE) ? 1 : 0);
  ClusterSprite *sprite = g_hash_table_lookup (self->clusters, &key);
  g_autofree char *text = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  int width, height;

  if (sprite)
    return sprite;
  /* Counts vary without end as the map moves: the cache is bounded. */
  if (g_hash_table_size (self->clusters) >= MAX_CLUSTER_SPRITES)
    g_hash_table_remove_all (self->clusters);
  text = g_strdup_printf ("%u", count);
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  pango_layout_get_pixel_size (layout, &width, &height);
  sprite = g_new0 (ClusterSprite, 1);
  sprite->key = key;
  sprite->radius = (int) round (MAX (unit * 0.8 + log10 (count) * unit * 0.25, width / 2.0 + unit * 0.35));
  sprite->size = sprite->radius * 2 + 6;
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, sprite->size * scale, sprite->size * scale);
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  draw_mark (self, cr, sprite->size / 2.0, sprite->size / 2.0, sprite->radius, kind, flags, TRUE);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_move_to (cr, (sprite->size - width) / 2.0, (sprite->size - height) / 2.0);
  pango_cairo_show_layout (cr, layout);
  cairo_destroy (cr);
  sprite->texture = texture_from_surface (surface);
  cairo_surface_destroy (surface);
  g_hash_table_insert (self->clusters, &sprite->key, sprite);
  return sprite;
}

static void
place (GtkSnapshot *snapshot, GdkTexture *texture, double x, double y, double width, double height)
{
  gtk_snapshot_append_texture (snapshot, texture, &GRAPHENE_RECT_INIT (floor (x), floor (y), width, height));
}

static void
ld_point_layer_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  LdPointLayer *self = LD_POINT_LAYER (widget);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (viewport);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  double zoom = shumate_viewport_get_zoom_level (viewport);
  double rotation = shumate_viewport_get_rotation (viewport);
  double tile = source ? shumate_map_source_get_tile_size (source) : 256;
  double world = tile * exp2 (zoom);
  double unit = em (self);
  int point_r = (int) MAX (4.0, round (unit * 0.45));
  double cell_px = unit * 4;
  gboolean cluster = zoom < self->cluster_max_zoom;
  double center_lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
  double center_lon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
  double cx, cy, ox, oy, half_w, half_h, x0, y0, x1, y1, gx0, gy0, inv_cell;
  guint cols, rows;
  guint *grid;

  g_array_set_size (self->drawn, 0);
  if (self->n_points == 0 || width <= 0 || height <= 0)
    return;

  /* The viewport's centre is in the tiles' datum already: the map knows
   * nothing of ours. */
  cx = ld_mercator_x (center_lon) * world;
  cy = ld_mercator_y (center_lat) * world;
  ox = width / 2.0 - cx;
  oy = height / 2.0 - cy;
  self->frame_world = world;
  self->frame_ox = ox;
  self->frame_oy = oy;
  /* A rotated view shows more of the world than its box: take the circle. */
  half_w = (rotation != 0 ? hypot (width, height) / 2 : width / 2.0) + cell_px * 2;
  half_h = (rotation != 0 ? hypot (width, height) / 2 : height / 2.0) + cell_px * 2;
  x0 = cx - half_w;
  y0 = cy - half_h;
  x1 = cx + half_w;
  y1 = cy + half_h;

  /* Cells are fixed to the world, not the screen, so clusters hold still
   * while the map pans; the grid covers only what can be seen. */
  gx0 = floor (x0 / cell_px) * cell_px;
  gy0 = floor (y0 / cell_px) * cell_px;
  inv_cell = 1.0 / cell_px;
  cols = cluster ? (guint) ((x1 - gx0) * inv_cell) + 1 : 0;
  rows = cluster ? (guint) ((y1 - gy0) * inv_cell) + 1 : 0;
  g_array_set_size (self->grid, (guint) cols * rows);
  if (cols * rows > 0)
    memset (self->grid->data, 0, sizeof (guint) * cols * rows);
  grid = (guint *) self->grid->data;
  g_array_set_size (self->cell_list, 0);
  for (guint i = 0; i < self->n_points; i++)
    {
      double wx = self->world[2 * i] * world;
      double wy = self->world[2 * i + 1] * world;
      guint8 kind = self->points[i].kind;
      Cell *c;

      if (wx < x0 || wx > x1 || wy < y0 || wy > y1)
        continue;
      if (cluster)
        {
          guint col = (guint) ((wx - gx0) * inv_cell);
          guint row = (guint) ((wy - gy0) * inv_cell);
          guint *slot = &grid[MIN (row, rows - 1) * cols + MIN (col, cols - 1)];

          if (*slot == 0)
            {
              Cell fresh = { 0, i, 0, 0, kind, 0 };

              g_array_append_val (self->cell_list, fresh);
              *slot = self->cell_list->len;
            }
          c = &g_array_index (self->cell_list, Cell, *slot - 1);
        }
      else
        {
          Cell fresh = { 0, i, 0, 0, kind, 0 };

          g_array_append_val (self->cell_list, fresh);
          c = &g_array_index (self->cell_list, Cell, self->cell_list->len - 1);
        }
      c->count++;
      c->sum_x += wx + ox;
      c->sum_y += wy + oy;
      c->flags |= self->points[i].flags;
      if (kind_style[kind].urgency > kind_style[c->kind].urgency)
        c->kind = kind;
    }

  if (rotation != 0)
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (width / 2.0, height / 2.0));
      gtk_snapshot_rotate (snapshot, rotation * 180 / G_PI);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-width / 2.0, -height / 2.0));
    }

  for (guint k = 0; k < self->cell_list->len; k++)
    {
      Cell *c = &g_array_index (self->cell_list, Cell, k);
      GdkTexture *sprite;
      Drawn d;
      int size;

      if (c->count == 1)
        {
          d = (Drawn) { c->sum_x, c->sum_y, point_r, c->first, 1 };
          sprite = sprite_for (self, point_r, c->kind, c->flags, scale, &size);
          place (snapshot, sprite, d.x - size / 2.0, d.y - size / 2.0, size, size);
        }
      else
        {
          const ClusterSprite *cs = cluster_sprite_for (self, c->count, c->kind, c->flags, unit, scale);

          d = (Drawn) { c->sum_x / c->count, c->sum_y / c->count, cs->radius, c->first, c->count };
          place (snapshot, cs->texture, d.x - cs->size / 2.0, d.y - cs->size / 2.0, cs->size, cs->size);
        }
      g_array_append_val (self->drawn, d);
    }

  /* The chosen incident and a drop's target are drawn last, on top. */
  for (guint k = 0; k < self->drawn->len; k++)
    {
      Drawn *d = &g_array_index (self->drawn, Drawn, k);
      gboolean selected = self->selected >= 0 && d->count == 1 && d->first == (guint) self->selected;
      gboolean highlight = self->highlight >= 0 && d->count == 1 && d->first == (guint) self->highlight;
      double reach = d->radius + 12;
      cairo_t *cr;

      if (!selected && !highlight)
        continue;
      cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (d->x - reach, d->y - reach, 2 * reach, 2 * reach));
      if (selected)
        draw_ring (self, cr, d->x, d->y, d->radius + 4, 3);
      if (highlight)
        draw_ring (self, cr, d->x, d->y, d->radius + 8, 4);
      cairo_destroy (cr);
    }

  if (rotation != 0)
    gtk_snapshot_restore (snapshot);
}

static void
on_viewport_changed (LdPointLayer *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ld_point_layer_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  LdPointLayer *self = LD_POINT_LAYER (widget);

  GTK_WIDGET_CLASS (ld_point_layer_parent_class)->css_changed (widget, change);
  /* The marks and labels were drawn in the old type size. */
  g_hash_table_remove_all (self->clusters);
  g_hash_table_remove_all (self->sprites);
}

static void
ld_point_layer_constructed (GObject *object)
{
  LdPointLayer *self = LD_POINT_LAYER (object);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));

  G_OBJECT_CLASS (ld_point_layer_parent_class)->constructed (object);
  g_signal_connect_object (viewport, "notify", G_CALLBACK (on_viewport_changed), self, G_CONNECT_SWAPPED);
}

static void
clear_points (LdPointLayer *self)
{
  for (guint i = 0; i < self->n_points; i++)
    g_free (self->ids[i]);
  g_clear_pointer (&self->ids, g_free);
  g_clear_pointer (&self->points, g_free);
  g_clear_pointer (&self->world, g_free);
  g_hash_table_remove_all (self->index_of);
  self->n_points = 0;
}

static void
ld_point_layer_finalize (GObject *object)
{
  LdPointLayer *self = LD_POINT_LAYER (object);

  clear_points (self);
  g_hash_table_unref (self->index_of);
  g_array_unref (self->grid);
  g_hash_table_unref (self->sprites);
  g_hash_table_unref (self->clusters);
  g_array_unref (self->cell_list);
  g_array_unref (self->drawn);

  G_OBJECT_CLASS (ld_point_layer_parent_class)->finalize (object);
}

static void
ld_point_layer_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LdPointLayer *self = LD_POINT_LAYER (object);

  switch (prop_id)
    {
    case PROP_SHAPE:
      self->shape = g_value_get_int (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_point_layer_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LdPointLayer *self = LD_POINT_LAYER (object);

  switch (prop_id)
    {
    case PROP_SHAPE:
      g_value_set_int (value, self->shape);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_point_layer_class_init (LdPointLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ld_point_layer_constructed;
  object_class->finalize = ld_point_layer_finalize;
  object_class->set_property = ld_point_layer_set_property;
  object_class->get_property = ld_point_layer_get_property;
  widget_class->snapshot = ld_point_layer_snapshot;
  widget_class->css_changed = ld_point_layer_css_changed;

  properties[PROP_SHAPE] =
    g_param_spec_int ("shape", NULL, NULL, LD_POINT_SHAPE_CIRCLE, LD_POINT_SHAPE_DIAMOND, LD_POINT_SHAPE_CIRCLE,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_css_name (widget_class, "ld-point-layer");
}

static void
ld_point_layer_init (LdPointLayer *self)
{
  self->datum = LD_DATUM_WGS84;
  self->cluster_max_zoom = 16;
  self->selected = -1;
  self->highlight = -1;
  self->index_of = g_hash_table_new (g_str_hash, g_str_equal);
  self->grid = g_array_new (FALSE, FALSE, sizeof (guint));
  self->sprites = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->cell_list = g_array_new (FALSE, FALSE, sizeof (Cell));
  self->drawn = g_array_new (FALSE, FALSE, sizeof (Drawn));
  self->clusters = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) cluster_sprite_free);
  /* Clicks and drags are the map view's: it asks the layer what was hit. */
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

LdPointLayer *
ld_point_layer_new (ShumateViewport *viewport, LdPointShape shape)
{
  return g_object_new (LD_TYPE_POINT_LAYER, "viewport", viewport, "shape", shape, NULL);
}

void
ld_point_layer_set_points (LdPointLayer      *self,
                           const LdMapPoint  *points,
                           const char *const *ids,
                           guint              n_points)
{
  g_autofree char *selected = NULL;
  g_autofree char *highlight = NULL;

  g_return_if_fail (LD_IS_POINT_LAYER (self));

  if (self->selected >= 0)
    selected = g_strdup (self->ids[self->selected]);
  if (self->highlight >= 0)
    highlight = g_strdup (self->ids[self->highlight]);
  clear_points (self);
  /* What the last frame drew names the old points: a click before the
   * next frame must not pick by their indices. */
  g_array_set_size (self->drawn, 0);
  self->n_points = n_points;
  self->points = g_memdup2 (points, sizeof (LdMapPoint) * n_points);
  self->world = g_new (double, 2 * (gsize) n_points);
  self->ids = g_new (char *, n_points);
  for (guint i = 0; i < n_points; i++)
    {
      self->ids[i] = g_strdup (ids[i]);
      g_hash_table_insert (self->index_of, self->ids[i], GUINT_TO_POINTER (i + 1));
    }
  project_all (self);
  ld_point_layer_set_selected (self, selected);
  ld_point_layer_set_highlight (self, highlight);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
ld_point_layer_get_n_points (LdPointLayer *self)
{
  g_return_val_if_fail (LD_IS_POINT_LAYER (self), 0);
  return self->n_points;
}

const char *
ld_point_layer_get_id (LdPointLayer *self, guint index)
{
  g_return_val_if_fail (LD_IS_POINT_LAYER (self), NULL);
  g_return_val_if_fail (index < self->n_points, NULL);
  return self->ids[index];
}

void
ld_point_layer_set_datum (LdPointLayer *self, LdDatum datum)
{
  g_return_if_fail (LD_IS_POINT_LAYER (self));

  if (self->datum == datum)
    return;
  self->datum = datum;
  project_all (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ld_point_layer_set_cluster_max_zoom (LdPointLayer *self, double zoom)
{
  g_return_if_fail (LD_IS_POINT_LAYER (self));
  self->cluster_max_zoom = zoom;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static int
index_of (LdPointLayer *self, const char *id)
{
  return id ? (int) GPOINTER_TO_UINT (g_hash_table_lookup (self->index_of, id)) - 1 : -1;
}

void
ld_point_layer_set_selected (LdPointLayer *self, const char *id)
{
  int index;

  g_return_if_fail (LD_IS_POINT_LAYER (self));
  index = index_of (self, id);
  if (index != self->selected)
    {
      self->selected = index;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

void
ld_point_layer_set_highlight (LdPointLayer *self, const char *id)
{
  int index;

  g_return_if_fail (LD_IS_POINT_LAYER (self));
  index = index_of (self, id);
  if (index != self->highlight)
    {
      self->highlight = index;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

gboolean
ld_point_layer_pick (LdPointLayer *self,
                     double        x,
                     double        y,
                     guint        *index,
                     guint        *count,
                     double       *lat,
                     double       *lon)
{
  ShumateViewport *viewport;
  double best = G_MAXDOUBLE;
  const Drawn *hit = NULL;

  g_return_val_if_fail (LD_IS_POINT_LAYER (self), FALSE);

  viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  if (shumate_viewport_get_rotation (viewport) != 0)
    {
      double w = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      double h = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
      double a = -shumate_viewport_get_rotation (viewport);
      double dx = x - w, dy = y - h;

      x = w + dx * cos (a) - dy * sin (a);
      y = h + dx * sin (a) + dy * cos (a);
    }
  /* The nearest mark whose shape holds the point, with a few pixels'
   * grace: a finger on a wall screen is not a mouse. */
  for (guint k = 0; k < self->drawn->len; k++)
    {
      const Drawn *d = &g_array_index (self->drawn, Drawn, k);
      double distance = hypot (d->x - x, d->y - y);

      if (distance <= d->radius + 4 && distance < best)
        {
          best = distance;
          hit = d;
        }
    }
  if (hit == NULL)
    return FALSE;
  if (index)
    *index = hit->first;
  if (count)
    *count = hit->count;
  if (lat)
    *lat = ld_mercator_lat ((hit->y - self->frame_oy) / self->frame_world);
  if (lon)
    *lon = ld_mercator_lon ((hit->x - self->frame_ox) / self->frame_world);
  return TRUE;
}
