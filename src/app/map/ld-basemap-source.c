/* ld-basemap-source.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <cairo.h>
#include <glib/gi18n.h>

#include "ld-basemap-source.h"
#include "ld-mercator.h"
#include "ld-tile-task.h"

#define TILE_SIZE LD_MERCATOR_TILE_SIZE
#define MIN_ZOOM  0
#define MAX_ZOOM  18

/* Rings are cut to the tile plus this many pixels: cairo's fixed-point
 * coordinates overflow on a city-sized ring at street zooms, and the edges
 * the cut adds must lie far enough outside the tile that their outline
 * never shows. */
#define CLIP_MARGIN 4.0

/* A vertex closer than this many pixels to the last one drawn changes no
 * pixel; skipping it keeps a detailed boundary cheap at city zooms. */
#define MIN_STEP 0.3

#define RGB(hex) { ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0, ((hex) & 0xff) / 255.0, 1.0 }

/* A calm, light map: pale cool grey beyond the regions, warm paper white on
 * them, outlines in warm greys. Red, amber and blue markers stand out on
 * all of it. */
static const GdkRGBA background_color = RGB (0xe3e7ea);
static const GdkRGBA land_color = RGB (0xf8f6f1);

typedef struct {
  GdkRGBA color;
  double  width;
} Outline;

/* By depth; deeper regions use the last. */
static const Outline outlines[] = {
  { RGB (0x9a9488), 2.0 },   /* the city */
  { RGB (0xbdb7ab), 1.0 },   /* its districts */
  { RGB (0xd3cec4), 0.75 },  /* towns, streets */
};

typedef struct {
  guint first;     /* index of its first point in Region.points */
  guint n_points;
  guint polygon;   /* rings of one polygon fill together, holes cut out */
} Ring;

/* A boundary projected once, so that drawing a tile needs no trigonometry.
 * Coordinates are world units: the Mercator square is 1 a side. */
typedef struct {
  guint   depth;
  double  min_x, min_y, max_x, max_y;
  GArray *points;  /* double x, y pairs, ring after ring */
  GArray *rings;   /* Ring */
} Region;

struct _LdBasemapSource
{
  ShumateDataSource parent_instance;

  /* Tiles are drawn in worker threads while the main thread may still be
   * adding regions. */
  GRWLock    lock;
  GPtrArray *regions;  /* Region, by depth */
};

G_DEFINE_FINAL_TYPE (LdBasemapSource, ld_basemap_source, SHUMATE_TYPE_DATA_SOURCE)

static void
region_free (Region *region)
{
  g_array_unref (region->points);
  g_array_unref (region->rings);
  g_free (region);
}

/* Sutherland–Hodgman against one side of the clip square: keeps the part
 * of ring @in where sign × (coordinate @axis − @bound) ≥ 0. */
static void
clip_side (GArray *in,
           GArray *out,
           int     axis,
           double  bound,
           double  sign)
{
  guint n = in->len / 2;
  const double *p = (const double *) (gpointer) in->data;

  g_array_set_size (out, 0);
  for (guint i = 0; i < n; i++)
    {
      const double *a = p + 2 * ((i + n - 1) % n);
      const double *b = p + 2 * i;
      double da = sign * (a[axis] - bound);
      double db = sign * (b[axis] - bound);

      if ((da >= 0) != (db >= 0))
        {
          double t = da / (da - db);
          double q[2] = { a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]) };

          g_array_append_vals (out, q, 2);
        }
      if (db >= 0)
        g_array_append_vals (out, b, 2);
    }
}

/* Adds one ring to the current path, in the pixels of the tile whose top
 * left corner is world pixel (@ox, @oy). @a and @b are scratch space. */
static void
append_ring (cairo_t      *cr,
             const Region *region,
             const Ring   *ring,
             double        scale,
             double        ox,
             double        oy,
             gboolean      clip,
             GArray       *a,
             GArray       *b)
{
  const double *p = &g_array_index (region->points, double, 2 * ring->first);
  const double *q;
  guint n;

  g_array_set_size (a, 0);
  for (guint i = 0; i < ring->n_points; i++)
    {
      double xy[2] = { p[2 * i] * scale - ox, p[2 * i + 1] * scale - oy };

      if (a->len > 0)
        {
          const double *last = &g_array_index (a, double, a->len - 2);

          if (fabs (xy[0] - last[0]) < MIN_STEP && fabs (xy[1] - last[1]) < MIN_STEP)
            continue;
        }
      g_array_append_vals (a, xy, 2);
    }
  if (clip)
    {
      clip_side (a, b, 0, -CLIP_MARGIN, 1);
      clip_side (b, a, 0, TILE_SIZE + CLIP_MARGIN, -1);
      clip_side (a, b, 1, -CLIP_MARGIN, 1);
      clip_side (b, a, 1, TILE_SIZE + CLIP_MARGIN, -1);
    }

  n = a->len / 2;
  if (n < 3)
    return;
  q = (const double *) (gpointer) a->data;
  cairo_move_to (cr, q[0], q[1]);
  for (guint i = 1; i < n; i++)
    cairo_line_to (cr, q[2 * i], q[2 * i + 1]);
  cairo_close_path (cr);
}

/* Whether @region reaches outside the clip square (in world units). */
static gboolean
needs_clip (const Region *region, double x0, double y0, double x1, double y1)
{
  return region->min_x < x0 || region->max_x > x1 || region->min_y < y0 || region->max_y > y1;
}

static cairo_status_t
append_png (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static void
set_color (cairo_t *cr, const GdkRGBA *color)
{
  cairo_set_source_rgb (cr, color->red, color->green, color->blue);
}

static GBytes *
draw_tile (ShumateDataSource  *source,
           int                 x,
           int                 y,
           int                 zoom,
           GCancellable       *cancellable,
           GError            **error)
{
  LdBasemapSource *self = LD_BASEMAP_SOURCE (source);
  double scale = TILE_SIZE * exp2 (zoom);
  double ox = (double) x * TILE_SIZE;
  double oy = (double) y * TILE_SIZE;
  /* The clip square in world units. */
  double x0 = (ox - CLIP_MARGIN) / scale, x1 = (ox + TILE_SIZE + CLIP_MARGIN) / scale;
  double y0 = (oy - CLIP_MARGIN) / scale, y1 = (oy + TILE_SIZE + CLIP_MARGIN) / scale;
  g_autoptr(GPtrArray) visible = g_ptr_array_new ();
  g_autoptr(GArray) a = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) b = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GByteArray) png = g_byte_array_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, TILE_SIZE, TILE_SIZE);
  cairo_t *cr = cairo_create (surface);
  cairo_status_t status;

  set_color (cr, &background_color);
  cairo_paint (cr);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  g_rw_lock_reader_lock (&self->lock);
  for (guint i = 0; i < self->regions->len; i++)
    {
      Region *region = g_ptr_array_index (self->regions, i);

      if (region->max_x >= x0 && region->min_x <= x1 && region->max_y >= y0 && region->min_y <= y1)
        g_ptr_array_add (visible, region);
    }

  set_color (cr, &land_color);
  for (guint i = 0; i < visible->len; i++)
    {
      const Region *region = g_ptr_array_index (visible, i);
      gboolean clip = needs_clip (region, x0, y0, x1, y1);

      for (guint r = 0; r < region->rings->len; r++)
        {
          const Ring *ring = &g_array_index (region->rings, Ring, r);

          /* Each polygon fills alone: even-odd across two polygons would
           * cut their overlap out. */
          if (r > 0 && ring->polygon != g_array_index (region->rings, Ring, r - 1).polygon)
            cairo_fill (cr);
          append_ring (cr, region, ring, scale, ox, oy, clip, a, b);
        }
      cairo_fill (cr);
    }

  /* The deepest outlines first, so the city's heavier line lies on top. */
  for (guint i = visible->len; i-- > 0;)
    {
      const Region *region = g_ptr_array_index (visible, i);
      const Outline *outline = &outlines[MIN (region->depth, G_N_ELEMENTS (outlines) - 1)];
      gboolean clip = needs_clip (region, x0, y0, x1, y1);

      for (guint r = 0; r < region->rings->len; r++)
        append_ring (cr, region, &g_array_index (region->rings, Ring, r), scale, ox, oy, clip, a, b);
      set_color (cr, &outline->color);
      cairo_set_line_width (cr, outline->width);
      cairo_stroke (cr);
    }
  g_rw_lock_reader_unlock (&self->lock);

  cairo_destroy (cr);
  status = cairo_surface_write_to_png_stream (surface, append_png, png);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Cannot draw basemap tile %d/%d/%d: %s"), zoom, x, y, cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

static void
ld_basemap_source_get_tile_data_async (ShumateDataSource   *source,
                                       int                  x,
                                       int                  y,
                                       int                  zoom_level,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  ld_tile_task_run (source, draw_tile, x, y, zoom_level, cancellable, callback, user_data);
}

static void
ld_basemap_source_finalize (GObject *object)
{
  LdBasemapSource *self = LD_BASEMAP_SOURCE (object);

  g_ptr_array_unref (self->regions);
  g_rw_lock_clear (&self->lock);

  G_OBJECT_CLASS (ld_basemap_source_parent_class)->finalize (object);
}

static void
ld_basemap_source_class_init (LdBasemapSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateDataSourceClass *source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  object_class->finalize = ld_basemap_source_finalize;
  source_class->get_tile_data_async = ld_basemap_source_get_tile_data_async;
  source_class->get_tile_data_finish = ld_tile_task_finish;
}

static void
ld_basemap_source_init (LdBasemapSource *self)
{
  g_rw_lock_init (&self->lock);
  self->regions = g_ptr_array_new_with_free_func ((GDestroyNotify) region_free);
}

LdBasemapSource *
ld_basemap_source_new (void)
{
  return g_object_new (LD_TYPE_BASEMAP_SOURCE, NULL);
}

void
ld_basemap_source_add_region (LdBasemapSource *self,
                              LdBoundary      *boundary,
                              guint            depth)
{
  Region *region;
  guint at;

  g_return_if_fail (LD_IS_BASEMAP_SOURCE (self));
  g_return_if_fail (boundary != NULL);

  region = g_new0 (Region, 1);
  region->depth = depth;
  region->points = g_array_new (FALSE, FALSE, sizeof (double));
  region->rings = g_array_new (FALSE, FALSE, sizeof (Ring));
  region->min_x = region->min_y = G_MAXDOUBLE;
  region->max_x = region->max_y = -G_MAXDOUBLE;
  for (guint p = 0; p < ld_boundary_get_n_polygons (boundary); p++)
    for (guint r = 0; r < ld_boundary_get_n_rings (boundary, p); r++)
      {
        guint n;
        const double *latlon = ld_boundary_get_ring (boundary, p, r, &n);
        Ring ring = { region->points->len / 2, n, p };

        if (n < 3)
          continue;
        for (guint i = 0; i < n; i++)
          {
            double xy[2] = { ld_mercator_x (latlon[2 * i + 1]), ld_mercator_y (latlon[2 * i]) };

            region->min_x = MIN (region->min_x, xy[0]);
            region->max_x = MAX (region->max_x, xy[0]);
            region->min_y = MIN (region->min_y, xy[1]);
            region->max_y = MAX (region->max_y, xy[1]);
            g_array_append_vals (region->points, xy, 2);
          }
        g_array_append_val (region->rings, ring);
      }

  g_rw_lock_writer_lock (&self->lock);
  for (at = self->regions->len; at > 0; at--)
    if (((Region *) g_ptr_array_index (self->regions, at - 1))->depth <= depth)
      break;
  g_ptr_array_insert (self->regions, at, region);
  g_rw_lock_writer_unlock (&self->lock);
}

ShumateMapSource *
ld_basemap_source_new_map_source (LdBasemapSource *self)
{
  g_return_val_if_fail (LD_IS_BASEMAP_SOURCE (self), NULL);

  return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full ("offline", _("Offline basemap"), NULL, NULL,
                                                               MIN_ZOOM, MAX_ZOOM, TILE_SIZE,
                                                               SHUMATE_MAP_PROJECTION_MERCATOR,
                                                               SHUMATE_DATA_SOURCE (self)));
}

void
ld_basemap_source_get_colors (GdkRGBA *background,
                              GdkRGBA *land)
{
  if (background)
    *background = background_color;
  if (land)
    *land = land_color;
}
