/* ld-geo.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ld-geo.h"
#include "ld-json.h"

G_DEFINE_QUARK (ld-geo-error-quark, ld_geo_error)

/* GCJ-02 is defined on the Krasovsky 1940 ellipsoid, not on WGS84's. */
#define KRASOVSKY_A  6378245.0
#define KRASOVSKY_EE 0.00669342162296594323

#define EARTH_MEAN_RADIUS_M 6371008.8

#define GCJ02_INVERSE_TOLERANCE 1e-9
#define GCJ02_INVERSE_MAX_STEPS 30

gboolean
ld_geo_in_china (double lat, double lon)
{
  return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}

/* The GCJ-02 displacement of a WGS84 point, in degrees. The published
 * polynomial-plus-sines formula gives it in metres north and east; dividing
 * by the meridional and parallel radii of the Krasovsky ellipsoid turns that
 * into degrees. */
static void
gcj02_shift (double lat, double lon, double *dlat, double *dlon)
{
  double x = lon - 105.0;
  double y = lat - 35.0;
  double ripple = (20.0 * sin (6.0 * G_PI * x) + 20.0 * sin (2.0 * G_PI * x)) * 2.0 / 3.0;
  double north = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt (fabs (x))
                 + ripple
                 + (20.0 * sin (G_PI * y) + 40.0 * sin (G_PI * y / 3.0)) * 2.0 / 3.0
                 + (160.0 * sin (G_PI * y / 12.0) + 320.0 * sin (G_PI * y / 30.0)) * 2.0 / 3.0;
  double east = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt (fabs (x))
                + ripple
                + (20.0 * sin (G_PI * x) + 40.0 * sin (G_PI * x / 3.0)) * 2.0 / 3.0
                + (150.0 * sin (G_PI * x / 12.0) + 300.0 * sin (G_PI * x / 30.0)) * 2.0 / 3.0;
  double phi = lat * G_PI / 180.0;
  double s = sin (phi);
  double w = 1.0 - KRASOVSKY_EE * s * s;
  double meridional = KRASOVSKY_A * (1.0 - KRASOVSKY_EE) / (w * sqrt (w));
  double parallel = KRASOVSKY_A / sqrt (w) * cos (phi);

  *dlat = north * 180.0 / (G_PI * meridional);
  *dlon = east * 180.0 / (G_PI * parallel);
}

void
ld_geo_wgs84_to_gcj02 (double lat, double lon, double *out_lat, double *out_lon)
{
  double dlat = 0.0, dlon = 0.0;

  if (ld_geo_in_china (lat, lon))
    gcj02_shift (lat, lon, &dlat, &dlon);
  *out_lat = lat + dlat;
  *out_lon = lon + dlon;
}

/* The shift's gradient is a few thousandths, so the fixed point iteration
 * w <- w + (target - forward (w)) gains two to three digits a step and
 * reaches 1e-9 in three or four. The one-step inverse most libraries use is
 * off by up to about three metres in Zhejiang, enough to move a point
 * across a street-level boundary. */
void
ld_geo_gcj02_to_wgs84 (double lat, double lon, double *out_lat, double *out_lon)
{
  double wlat = lat, wlon = lon;

  if (ld_geo_in_china (lat, lon))
    {
      for (guint i = 0; i < GCJ02_INVERSE_MAX_STEPS; i++)
        {
          double dlat, dlon, err_lat, err_lon;

          gcj02_shift (wlat, wlon, &dlat, &dlon);
          err_lat = lat - (wlat + dlat);
          err_lon = lon - (wlon + dlon);
          wlat += err_lat;
          wlon += err_lon;
          if (fabs (err_lat) < GCJ02_INVERSE_TOLERANCE && fabs (err_lon) < GCJ02_INVERSE_TOLERANCE)
            break;
        }
    }
  *out_lat = wlat;
  *out_lon = wlon;
}

double
ld_geo_distance_m (double lat1, double lon1, double lat2, double lon2)
{
  double phi1 = lat1 * G_PI / 180.0;
  double phi2 = lat2 * G_PI / 180.0;
  double sdphi = sin ((phi2 - phi1) / 2.0);
  double sdlambda = sin ((lon2 - lon1) * G_PI / 360.0);
  double h = sdphi * sdphi + cos (phi1) * cos (phi2) * sdlambda * sdlambda;

  /* Rounding can push h a hair above 1 for antipodal points. */
  return 2.0 * EARTH_MEAN_RADIUS_M * asin (sqrt (MIN (h, 1.0)));
}

/* json-glib's typed getters emit criticals on a type mismatch, and
 * malformed files are an everyday input here, not a programming error. */
static JsonNode *
get_member (JsonObject *obj, const char *name, JsonNodeType type)
{
  JsonNode *node = obj ? json_object_get_member (obj, name) : NULL;

  return node && JSON_NODE_TYPE (node) == type ? node : NULL;
}


/* Boundaries */

typedef struct {
  double *points;   /* (lat, lon) pairs; closed, the last pair repeats the first */
  guint   n_points;
} Ring;

/* One edge prepared for ray casting: stored lower end first, so that two
 * neighbouring regions that walk a shared edge in opposite directions
 * compute bit-identical crossings and a point on it falls in exactly one. */
typedef struct {
  double lat1, lon1;
  double lat2;
  double slope;     /* dlon / dlat */
} Edge;

typedef struct {
  GArray *rings;    /* Ring; 0 is the outer ring, the others are holes */
  double  min_lat, min_lon, max_lat, max_lon;
  double  area;
  /* The edges of every ring, bucketed into horizontal bands across the
   * bbox: a point test only walks the few edges near its own latitude,
   * which is what keeps lookups fast on boundaries with thousands of
   * vertices. An edge is copied into every band it spans. */
  guint   n_bands;
  double  band_scale;   /* bands per degree of latitude */
  guint  *band_start;   /* n_bands + 1 offsets into band_edges */
  Edge   *band_edges;
} Polygon;

struct _LdBoundary {
  gatomicrefcount ref_count;
  GArray *polygons;   /* Polygon */
  double  min_lat, min_lon, max_lat, max_lon;
  double  area;
};

G_DEFINE_BOXED_TYPE (LdBoundary, ld_boundary, ld_boundary_ref, ld_boundary_unref)

static void
ring_clear (Ring *ring)
{
  g_free (ring->points);
}

static void
polygon_clear (Polygon *poly)
{
  g_clear_pointer (&poly->rings, g_array_unref);
  g_free (poly->band_start);
  g_free (poly->band_edges);
}

/* Twice the signed area of @ring and its first moments, all relative to
 * (@ref_lat, @ref_lon) so that the products stay small and exact enough
 * for rings a few metres across at longitude 120. */
static void
ring_moments (const Ring *ring,
              double      ref_lat,
              double      ref_lon,
              double     *area2,
              double     *moment_lat,
              double     *moment_lon)
{
  double a = 0.0, mlat = 0.0, mlon = 0.0;

  for (guint i = 0; i + 1 < ring->n_points; i++)
    {
      double y0 = ring->points[2 * i] - ref_lat;
      double x0 = ring->points[2 * i + 1] - ref_lon;
      double y1 = ring->points[2 * i + 2] - ref_lat;
      double x1 = ring->points[2 * i + 3] - ref_lon;
      double cross = x0 * y1 - x1 * y0;

      a += cross;
      mlat += (y0 + y1) * cross;
      mlon += (x0 + x1) * cross;
    }
  *area2 = a;
  *moment_lat = mlat;
  *moment_lon = mlon;
}

static inline guint
band_of (const Polygon *poly, double lat)
{
  double b = (lat - poly->min_lat) * poly->band_scale;

  /* Monotonic in @lat, which is all correctness needs: an edge is filed
   * under every band from that of its lower end to that of its upper end. */
  if (!(b > 0.0))
    return 0;
  if (b >= poly->n_bands)
    return poly->n_bands - 1;
  return (guint) b;
}

static void
polygon_prepare (Polygon *poly)
{
  const Ring *outer = &g_array_index (poly->rings, Ring, 0);
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (Edge));
  double ref_lat = outer->points[0], ref_lon = outer->points[1];
  double area2 = 0.0;
  guint *fill;

  poly->min_lat = poly->max_lat = ref_lat;
  poly->min_lon = poly->max_lon = ref_lon;
  for (guint i = 0; i < outer->n_points; i++)
    {
      poly->min_lat = MIN (poly->min_lat, outer->points[2 * i]);
      poly->max_lat = MAX (poly->max_lat, outer->points[2 * i]);
      poly->min_lon = MIN (poly->min_lon, outer->points[2 * i + 1]);
      poly->max_lon = MAX (poly->max_lon, outer->points[2 * i + 1]);
    }

  for (guint r = 0; r < poly->rings->len; r++)
    {
      const Ring *ring = &g_array_index (poly->rings, Ring, r);
      double a, mlat, mlon;

      ring_moments (ring, ref_lat, ref_lon, &a, &mlat, &mlon);
      area2 += r == 0 ? fabs (a) : -fabs (a);

      for (guint i = 0; i + 1 < ring->n_points; i++)
        {
          const double *p = ring->points + 2 * i;
          const double *lo = p[0] <= p[2] ? p : p + 2;
          const double *hi = lo == p ? p + 2 : p;
          Edge e;

          /* Horizontal edges never cross a horizontal ray. */
          if (lo[0] == hi[0])
            continue;
          e.lat1 = lo[0];
          e.lon1 = lo[1];
          e.lat2 = hi[0];
          e.slope = (hi[1] - lo[1]) / (hi[0] - lo[0]);
          g_array_append_val (edges, e);
        }
    }
  poly->area = MAX (area2, 0.0) / 2.0 * cos ((poly->min_lat + poly->max_lat) / 2.0 * G_PI / 180.0);

  poly->n_bands = CLAMP (edges->len / 4, 1, 4096);
  poly->band_scale = poly->max_lat > poly->min_lat
                     ? poly->n_bands / (poly->max_lat - poly->min_lat) : 0.0;
  poly->band_start = g_new0 (guint, poly->n_bands + 1);
  for (guint i = 0; i < edges->len; i++)
    {
      const Edge *e = &g_array_index (edges, Edge, i);
      for (guint b = band_of (poly, e->lat1); b <= band_of (poly, e->lat2); b++)
        poly->band_start[b + 1]++;
    }
  for (guint b = 0; b < poly->n_bands; b++)
    poly->band_start[b + 1] += poly->band_start[b];

  poly->band_edges = g_new (Edge, poly->band_start[poly->n_bands]);
  fill = g_memdup2 (poly->band_start, poly->n_bands * sizeof (guint));
  for (guint i = 0; i < edges->len; i++)
    {
      const Edge *e = &g_array_index (edges, Edge, i);
      for (guint b = band_of (poly, e->lat1); b <= band_of (poly, e->lat2); b++)
        poly->band_edges[fill[b]++] = *e;
    }
  g_free (fill);
}

/* Even-odd rule over the outer ring and the holes together, with a ray
 * towards increasing longitude. An edge counts when lat1 <= lat < lat2, so a
 * vertex on the ray is counted once. */
static gboolean
polygon_contains (const Polygon *poly, double lat, double lon)
{
  guint band;
  gboolean inside = FALSE;

  if (lat < poly->min_lat || lat > poly->max_lat || lon < poly->min_lon || lon > poly->max_lon)
    return FALSE;
  band = band_of (poly, lat);
  for (guint i = poly->band_start[band]; i < poly->band_start[band + 1]; i++)
    {
      const Edge *e = &poly->band_edges[i];

      if (e->lat1 <= lat && lat < e->lat2 && lon < e->lon1 + (lat - e->lat1) * e->slope)
        inside = !inside;
    }
  return inside;
}

static gboolean
is_number (JsonNode *node)
{
  GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  return type == G_TYPE_DOUBLE || type == G_TYPE_INT64;
}

static gboolean
read_position (JsonNode *node, gboolean gcj02, double *lat, double *lon, GError **error)
{
  JsonArray *pos;
  JsonNode *x, *y;

  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (pos = json_node_get_array (node)) < 2)
    {
      g_set_error (error, LD_GEO_ERROR, LD_GEO_ERROR_PARSE,
                   _("A position must be an array [longitude, latitude]"));
      return FALSE;
    }
  x = json_array_get_element (pos, 0);
  y = json_array_get_element (pos, 1);
  if (!is_number (x) || !is_number (y))
    {
      g_set_error (error, LD_GEO_ERROR, LD_GEO_ERROR_PARSE,
                   _("A position must hold numbers [longitude, latitude]"));
      return FALSE;
    }
  *lon = json_node_get_double (x);
  *lat = json_node_get_double (y);
  /* Projected coordinates (metres, e.g. EPSG:3857) land here too. */
  if (!(*lat >= -90.0 && *lat <= 90.0 && *lon >= -180.0 && *lon <= 180.0))
    {
      g_set_error (error, LD_GEO_ERROR, LD_GEO_ERROR_PARSE,
                   _("Position [%g, %g] is not a longitude and latitude"), *lon, *lat);
      return FALSE;
    }
  if (gcj02)
    ld_geo_gcj02_to_wgs84 (*lat, *lon, lat, lon);
  return TRUE;
}

static gboolean
read_ring (JsonNode *node, gboolean gcj02, Ring *ring, GError **error)
{
  JsonArray *positions;
  guint n;
  g_autofree double *points = NULL;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, LD_GEO_ERROR, LD_GEO_ERROR_PARSE,
                   _("A polygon ring must be an array of positions"));
      return FALSE;
    }
  positions = json_node_get_array (node);
  n = json_array_get_length (positions);
  /* Room for closing the ring when a file leaves it open. */
  points = g_new (double, 2 * (n + 1));
  for (guint i = 0; i < n; i++)
    {
      JsonNode *pos = json_array_get_element (positions, i);
      if (!read_position (pos, gcj02, &points[2 * i], &points[2 * i + 1], error))
        return FALSE;
    }
  if (n > 0 && (points[0] != points[2 * n - 2] || points[1] != points[2 * n - 1]))
    {
      points[2 * n] = points[0];
      points[2 * n + 1] = points[1];
      n++;
    }
  if (n < 4)
    {
      g_set_error (error, LD_GEO_ERROR, LD_GEO_ERROR_PARSE,
                   _("A polygon ring needs at least three positions"));
      return FALSE;
    }
  ring->points = g_steal_pointer (&points);
  ring->n_points = n;
  return TRUE;
}

static gboolean
read_polygon (JsonNode *node, gboolean gcj02, Polygon *poly, GError **error)
{
  JsonArray *rings;

  rings = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  if (rings == NULL || json_array_get_length (rings) == 0)
    {
      g_set_error (error, LD_GEO_ERROR, LD_GEO_ERROR_PARSE,
                   _("A polygon must be a non-empty array of rings"));
      return FALSE;
    }
  poly->rings = g_array_sized_new (FALSE, TRUE, sizeof (Ring), json_array_get_length (rings));
  g_array_set_clear_func (poly->rings, (GDestroyNotify) ring_clear);
  for (guint i = 0; i < json_array_get_length (rings); i++)
    {
      Ring ring = { NULL, 0 };

      if (!read_ring (json_array_get_element (rings, i), gcj02, &ring, error))
        return FALSE;
      g_array_append_val (poly->rings, ring);
    }
  polygon_prepare (poly);
  return TRUE;
}

static LdBoundary *
boundary_new (void)
{
  LdBoundary *self = g_new0 (LdBoundary, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->polygons = g_array_new (FALSE, TRUE, sizeof (Polygon));
  g_array_set_clear_func (self->polygons, (GDestroyNotify) polygon_clear);
  return self;
}

LdBoundary *
ld_boundary_new_from_json_node (JsonNode *geometry, LdDatum datum, GError **error)
{
  g_autoptr(LdBoundary) self = NULL;
  gboolean gcj02 = datum == LD_DATUM_GCJ02;
  gboolean multi;
  guint n_polygons;
  JsonObject *obj;
  JsonNode *coords;
  const char *type;

  g_return_val_if_fail (geometry != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  obj = JSON_NODE_HOLDS_OBJECT (geometry) ? json_node_get_object (geometry) : NULL;
  if ((type = ld_json_get_string (obj, "type")) == NULL)
    {
      g_set_error (error, LD_GEO_ERROR, LD_GEO_ERROR_PARSE,
                   _("Not a GeoJSON geometry: no “type”"));
      return NULL;
    }
  if (strcmp (type, "Polygon") != 0 && strcmp (type, "MultiPolygon") != 0)
    {
      g_set_error (error, LD_GEO_ERROR, LD_GEO_ERROR_UNSUPPORTED,
                   _("Geometry type “%s” is not supported; a boundary must be a Polygon"
                     " or MultiPolygon"), type);
      return NULL;
    }
  if ((coords = get_member (obj, "coordinates", JSON_NODE_ARRAY)) == NULL)
    {
      g_set_error (error, LD_GEO_ERROR, LD_GEO_ERROR_PARSE,
                   _("The %s has no “coordinates” array"), type);
      return NULL;
    }

  self = boundary_new ();
  multi = strcmp (type, "MultiPolygon") == 0;
  n_polygons = multi ? json_array_get_length (json_node_get_array (coords)) : 1;
  for (guint i = 0; i < n_polygons; i++)
    {
      JsonNode *node = multi ? json_array_get_element (json_node_get_array (coords), i) : coords;
      Polygon poly = { 0, };

      if (!read_polygon (node, gcj02, &poly, error))
        {
          polygon_clear (&poly);
          if (multi)
            g_prefix_error (error, _("Polygon %u: "), i);
          return NULL;
        }
      g_array_append_val (self->polygons, poly);
    }
  if (self->polygons->len == 0)
    {
      g_set_error (error, LD_GEO_ERROR, LD_GEO_ERROR_PARSE, _("The MultiPolygon has no polygons"));
      return NULL;
    }

  for (guint i = 0; i < self->polygons->len; i++)
    {
      const Polygon *poly = &g_array_index (self->polygons, Polygon, i);

      self->min_lat = i == 0 ? poly->min_lat : MIN (self->min_lat, poly->min_lat);
      self->min_lon = i == 0 ? poly->min_lon : MIN (self->min_lon, poly->min_lon);
      self->max_lat = i == 0 ? poly->max_lat : MAX (self->max_lat, poly->max_lat);
      self->max_lon = i == 0 ? poly->max_lon : MAX (self->max_lon, poly->max_lon);
      self->area += poly->area;
    }
  return g_steal_pointer (&self);
}

LdBoundary *
ld_boundary_new_from_geojson (const char *geometry_json, LdDatum datum, GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (geometry_json != NULL, NULL);

  root = ld_json_parse (geometry_json, -1, &local_error);
  if (root == NULL)
    {
      g_set_error_literal (error, LD_GEO_ERROR, LD_GEO_ERROR_PARSE, local_error->message);
      return NULL;
    }
  return ld_boundary_new_from_json_node (root, datum, error);
}

LdBoundary *
ld_boundary_ref (LdBoundary *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
ld_boundary_unref (LdBoundary *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_array_unref (self->polygons);
      g_free (self);
    }
}

static void
append_coordinate (GString *s, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* 1e-7 degrees is about a centimetre; the store keeps this text. */
  g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.7f", v));
}

char *
ld_boundary_to_geojson (LdBoundary *self)
{
  GString *s;
  gboolean multi;

  g_return_val_if_fail (self != NULL, NULL);

  multi = self->polygons->len > 1;
  s = g_string_new (multi ? "{\"type\":\"MultiPolygon\",\"coordinates\":["
                          : "{\"type\":\"Polygon\",\"coordinates\":");
  for (guint p = 0; p < self->polygons->len; p++)
    {
      const Polygon *poly = &g_array_index (self->polygons, Polygon, p);

      if (p > 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, '[');
      for (guint r = 0; r < poly->rings->len; r++)
        {
          const Ring *ring = &g_array_index (poly->rings, Ring, r);

          g_string_append (s, r > 0 ? ",[" : "[");
          for (guint i = 0; i < ring->n_points; i++)
            {
              g_string_append (s, i > 0 ? ",[" : "[");
              append_coordinate (s, ring->points[2 * i + 1]);
              g_string_append_c (s, ',');
              append_coordinate (s, ring->points[2 * i]);
              g_string_append_c (s, ']');
            }
          g_string_append_c (s, ']');
        }
      g_string_append_c (s, ']');
    }
  g_string_append (s, multi ? "]}" : "}");
  return g_string_free (s, FALSE);
}

gboolean
ld_boundary_contains (LdBoundary *self, double lat, double lon)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (lat < self->min_lat || lat > self->max_lat || lon < self->min_lon || lon > self->max_lon)
    return FALSE;
  for (guint i = 0; i < self->polygons->len; i++)
    if (polygon_contains (&g_array_index (self->polygons, Polygon, i), lat, lon))
      return TRUE;
  return FALSE;
}

void
ld_boundary_get_bbox (LdBoundary *self,
                      double     *min_lat,
                      double     *min_lon,
                      double     *max_lat,
                      double     *max_lon)
{
  g_return_if_fail (self != NULL);

  if (min_lat)
    *min_lat = self->min_lat;
  if (min_lon)
    *min_lon = self->min_lon;
  if (max_lat)
    *max_lat = self->max_lat;
  if (max_lon)
    *max_lon = self->max_lon;
}

double
ld_boundary_get_area (LdBoundary *self)
{
  g_return_val_if_fail (self != NULL, 0.0);

  return self->area;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The centroid of a concave ring (a U, a crescent of coast) can lie
 * outside it, and a marker or a demo incident placed there would fall in
 * the neighbouring region. */
void
ld_boundary_get_label_point (LdBoundary *self, double *lat, double *lon)
{
  const Polygon *poly;
  const Ring *outer;
  double ref_lat, ref_lon, area2 = 0.0, mlat = 0.0, mlon = 0.0;
  double c_lat, c_lon, best_width = -1.0;
  g_autoptr(GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
  guint band;

  g_return_if_fail (self != NULL);

  /* Every boundary has a polygon: the readers refuse a geometry without. */
  poly = &g_array_index (self->polygons, Polygon, 0);
  for (guint i = 1; i < self->polygons->len; i++)
    {
      const Polygon *p = &g_array_index (self->polygons, Polygon, i);
      if (p->area > poly->area)
        poly = p;
    }
  outer = &g_array_index (poly->rings, Ring, 0);
  ref_lat = outer->points[0];
  ref_lon = outer->points[1];
  for (guint r = 0; r < poly->rings->len; r++)
    {
      double a, my, mx;

      ring_moments (&g_array_index (poly->rings, Ring, r), ref_lat, ref_lon, &a, &my, &mx);
      /* Orientation is not reliable in real files: outer adds, holes subtract. */
      if ((a < 0) == (r == 0))
        {
          a = -a;
          my = -my;
          mx = -mx;
        }
      area2 += a;
      mlat += my;
      mlon += mx;
    }
  if (area2 <= 0.0)
    {
      *lat = ref_lat;
      *lon = ref_lon;
      return;
    }
  c_lat = ref_lat + mlat / (3.0 * area2);
  c_lon = ref_lon + mlon / (3.0 * area2);
  if (polygon_contains (poly, c_lat, c_lon))
    {
      *lat = c_lat;
      *lon = c_lon;
      return;
    }

  /* Pair up the crossings of the centroid's parallel exactly as
   * polygon_contains() counts them, so the middle of a span is inside by
   * the same arithmetic. */
  band = band_of (poly, c_lat);
  for (guint i = poly->band_start[band]; i < poly->band_start[band + 1]; i++)
    {
      const Edge *e = &poly->band_edges[i];

      if (e->lat1 <= c_lat && c_lat < e->lat2)
        {
          double x = e->lon1 + (c_lat - e->lat1) * e->slope;
          g_array_append_val (xs, x);
        }
    }
  qsort (xs->data, xs->len, sizeof (double), compare_doubles);
  *lat = ref_lat;
  *lon = ref_lon;
  for (guint i = 0; i + 1 < xs->len; i += 2)
    {
      double x0 = g_array_index (xs, double, i), x1 = g_array_index (xs, double, i + 1);

      if (x1 - x0 > best_width)
        {
          best_width = x1 - x0;
          *lat = c_lat;
          *lon = (x0 + x1) / 2.0;
        }
    }
}

guint
ld_boundary_get_n_polygons (LdBoundary *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->polygons->len;
}

guint
ld_boundary_get_n_rings (LdBoundary *self, guint polygon)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (polygon < self->polygons->len, 0);

  return g_array_index (self->polygons, Polygon, polygon).rings->len;
}

const double *
ld_boundary_get_ring (LdBoundary *self, guint polygon, guint ring, guint *n_points)
{
  const Polygon *poly;
  const Ring *r;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (polygon < self->polygons->len, NULL);
  poly = &g_array_index (self->polygons, Polygon, polygon);
  g_return_val_if_fail (ring < poly->rings->len, NULL);

  r = &g_array_index (poly->rings, Ring, ring);
  if (n_points)
    *n_points = r->n_points;
  return r->points;
}

/* Feature collections */

void
ld_geo_feature_free (LdGeoFeature *feature)
{
  if (feature == NULL)
    return;
  g_free (feature->code);
  g_free (feature->name);
  g_clear_pointer (&feature->boundary, ld_boundary_unref);
  g_free (feature);
}

static LdDatum
datum_from_crs (JsonObject *collection)
{
  JsonNode *crs = get_member (collection, "crs", JSON_NODE_OBJECT);
  JsonNode *props = crs ? get_member (json_node_get_object (crs), "properties", JSON_NODE_OBJECT)
                        : NULL;
  const char *name = props ? ld_json_get_string (json_node_get_object (props), "name") : NULL;
  g_autofree char *lower = NULL;

  if (name == NULL)
    return LD_DATUM_WGS84;
  lower = g_ascii_strdown (name, -1);
  return strstr (lower, "gcj") ? LD_DATUM_GCJ02 : LD_DATUM_WGS84;
}

/* Administrative codes are often written as JSON numbers (DataV's
 * "adcode": 330402); the store wants their text. */
static gboolean
read_code (JsonObject *props, const char *member, char **code, GError **error)
{
  JsonNode *node = get_member (props, member, JSON_NODE_VALUE);
  GType type = node ? json_node_get_value_type (node) : G_TYPE_INVALID;

  *code = NULL;
  if (node == NULL || (type == G_TYPE_STRING && *json_node_get_string (node) == '\0'))
    return TRUE;
  if (type == G_TYPE_STRING)
    *code = json_node_dup_string (node);
  else if (type == G_TYPE_INT64)
    *code = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  else if (type == G_TYPE_DOUBLE)
    {
      double v = json_node_get_double (node);

      /* Some tools write 330402.0. */
      if (v == floor (v) && fabs (v) < 1e15)
        *code = g_strdup_printf ("%.0f", v);
    }
  if (*code == NULL)
    {
      g_set_error (error, LD_GEO_ERROR, LD_GEO_ERROR_PARSE,
                   _("property “%s” is neither a string nor an integer"), member);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
ld_geo_read_features (const char *json_text, gssize length, LdDatum datum, GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *items_node;
  JsonObject *collection;
  JsonArray *items;

  g_return_val_if_fail (json_text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = ld_json_parse (json_text, length, &local_error);
  if (root == NULL)
    {
      g_set_error_literal (error, LD_GEO_ERROR, LD_GEO_ERROR_PARSE, local_error->message);
      return NULL;
    }
  collection = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  if (g_strcmp0 (ld_json_get_string (collection, "type"), "FeatureCollection") != 0 ||
      (items_node = get_member (collection, "features", JSON_NODE_ARRAY)) == NULL)
    {
      g_set_error (error, LD_GEO_ERROR, LD_GEO_ERROR_PARSE,
                   _("Not a GeoJSON FeatureCollection with a “features” array"));
      return NULL;
    }
  items = json_node_get_array (items_node);
  if (datum == LD_DATUM_AUTO)
    datum = datum_from_crs (collection);

  features = g_ptr_array_new_full (json_array_get_length (items),
                                   (GDestroyNotify) ld_geo_feature_free);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);
      g_autoptr(LdGeoFeature) feature = g_new0 (LdGeoFeature, 1);
      JsonObject *obj, *props = NULL;
      JsonNode *props_node, *geometry;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        {
          g_set_error (error, LD_GEO_ERROR, LD_GEO_ERROR_PARSE, _("feature %u: not an object"), i);
          return NULL;
        }
      obj = json_node_get_object (item);
      if ((props_node = get_member (obj, "properties", JSON_NODE_OBJECT)) != NULL)
        props = json_node_get_object (props_node);

      if (!read_code (props, "code", &feature->code, error) ||
          (feature->code == NULL && !read_code (props, "adcode", &feature->code, error)))
        {
          g_prefix_error (error, _("feature %u: "), i);
          return NULL;
        }
      if (feature->code == NULL)
        {
          g_set_error (error, LD_GEO_ERROR, LD_GEO_ERROR_PARSE,
                       _("feature %u: no code or adcode property"), i);
          return NULL;
        }
      feature->name = g_strdup (ld_json_get_string (props, "name"));

      geometry = json_object_get_member (obj, "geometry");
      if (geometry == NULL || JSON_NODE_HOLDS_NULL (geometry))
        {
          g_set_error (error, LD_GEO_ERROR, LD_GEO_ERROR_PARSE,
                       _("feature %u (%s): no geometry"), i, feature->code);
          return NULL;
        }
      feature->boundary = ld_boundary_new_from_json_node (geometry, datum, error);
      if (feature->boundary == NULL)
        {
          g_prefix_error (error, _("feature %u (%s): "), i, feature->code);
          return NULL;
        }
      g_ptr_array_add (features, g_steal_pointer (&feature));
    }
  return g_steal_pointer (&features);
}

/* Point location */

typedef struct {
  char       *code;
  LdBoundary *boundary;
  /* A copy of the boundary's bbox, so the scan over entries that do not
   * come near the point stays within this array. */
  double      min_lat, min_lon, max_lat, max_lon;
  double      area;
} IndexEntry;

/* Entries are kept sorted by area, smallest first: the first one that
 * contains a point is the most specific region, and a lookup never writes,
 * so several threads may look up at once. A plain scan of bboxes is a few
 * hundred nanoseconds for a hundred regions; the bands inside each polygon
 * make the containment tests cheap. */
struct _LdGeoIndex {
  GArray *entries;   /* IndexEntry */
};

static void
index_entry_clear (IndexEntry *entry)
{
  g_free (entry->code);
  ld_boundary_unref (entry->boundary);
}

LdGeoIndex *
ld_geo_index_new (void)
{
  LdGeoIndex *self = g_new0 (LdGeoIndex, 1);

  self->entries = g_array_new (FALSE, FALSE, sizeof (IndexEntry));
  g_array_set_clear_func (self->entries, (GDestroyNotify) index_entry_clear);
  return self;
}

void
ld_geo_index_free (LdGeoIndex *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->entries);
  g_free (self);
}

void
ld_geo_index_add (LdGeoIndex *self, const char *code, LdBoundary *boundary)
{
  IndexEntry entry;
  guint lo = 0, hi;

  g_return_if_fail (self != NULL);
  g_return_if_fail (code != NULL);
  g_return_if_fail (boundary != NULL);

  entry.code = g_strdup (code);
  entry.boundary = ld_boundary_ref (boundary);
  ld_boundary_get_bbox (boundary, &entry.min_lat, &entry.min_lon, &entry.max_lat, &entry.max_lon);
  entry.area = ld_boundary_get_area (boundary);

  /* After any entries of equal area, so ties go to the one added first. */
  hi = self->entries->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (g_array_index (self->entries, IndexEntry, mid).area <= entry.area)
        lo = mid + 1;
      else
        hi = mid;
    }
  g_array_insert_val (self->entries, lo, entry);
}

guint
ld_geo_index_get_size (LdGeoIndex *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->entries->len;
}

const char *
ld_geo_index_lookup (LdGeoIndex *self, double lat, double lon)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->entries->len; i++)
    {
      const IndexEntry *e = &g_array_index (self->entries, IndexEntry, i);

      if (lat < e->min_lat || lat > e->max_lat || lon < e->min_lon || lon > e->max_lon)
        continue;
      if (ld_boundary_contains (e->boundary, lat, lon))
        return e->code;
    }
  return NULL;
}
