/* test-geo.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "ld-geo.h"
#include "ld-test-util.h"

/* Points spread over Zhejiang: Hangzhou, Jiaxing, Ningbo, Zhoushan,
 * Wenzhou, Lishui, Quzhou, and the tip of Cangnan on the Fujian border. */
static const double zhejiang_points[][2] = {
  { 30.2741, 120.1551 }, { 30.7522, 120.7555 }, { 29.8683, 121.5440 }, { 30.0160, 122.2072 },
  { 27.9939, 120.6994 }, { 28.4517, 119.9229 }, { 28.9700, 118.8595 }, { 27.1500, 120.4200 },
};

static void
test_gcj02_round_trip (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (zhejiang_points); i++)
    {
      double lat = zhejiang_points[i][0], lon = zhejiang_points[i][1];
      double glat, glon, wlat, wlon;

      ld_geo_wgs84_to_gcj02 (lat, lon, &glat, &glon);
      g_assert_cmpfloat (ld_geo_distance_m (lat, lon, glat, glon), >, 100.0);
      ld_geo_gcj02_to_wgs84 (glat, glon, &wlat, &wlon);
      g_assert_cmpfloat_with_epsilon (wlat, lat, 1e-7);
      g_assert_cmpfloat_with_epsilon (wlon, lon, 1e-7);
    }
}

static void
test_gcj02_known_offset (void)
{
  double glat, glon, d;

  ld_geo_wgs84_to_gcj02 (30.7522, 120.7555, &glat, &glon);
  d = ld_geo_distance_m (30.7522, 120.7555, glat, glon);
  g_assert_cmpfloat (d, >=, 300.0);
  g_assert_cmpfloat (d, <=, 600.0);
  /* South-east here, as everywhere in Zhejiang and Shanghai. */
  g_assert_cmpfloat (glon, >, 120.7555);
  g_assert_cmpfloat (glat, <, 30.7522);

  /* A pair published alongside several independent implementations of the
   * formula (Shanghai, Pudong). */
  ld_geo_wgs84_to_gcj02 (31.1774276, 121.5272106, &glat, &glon);
  g_assert_cmpfloat_with_epsilon (glat, 31.17530398364597, 1e-9);
  g_assert_cmpfloat_with_epsilon (glon, 121.531541859215, 1e-9);
}

static void
test_gcj02_outside_china (void)
{
  /* London, Sydney, Tokyo (just east of the box), the Aral Sea (west of it). */
  static const double outside[][2] = {
    { 51.5074, -0.1278 }, { -33.8688, 151.2093 }, { 35.6762, 139.6503 }, { 47.9, 60.0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (outside); i++)
    {
      double lat = outside[i][0], lon = outside[i][1], a, b;

      g_assert_false (ld_geo_in_china (lat, lon));
      ld_geo_wgs84_to_gcj02 (lat, lon, &a, &b);
      g_assert_true (a == lat && b == lon);
      ld_geo_gcj02_to_wgs84 (lat, lon, &a, &b);
      g_assert_true (a == lat && b == lon);
    }
  g_assert_true (ld_geo_in_china (30.7522, 120.7555));
}

static void
test_distance (void)
{
  /* One degree along a meridian is R * pi / 180. */
  g_assert_cmpfloat_with_epsilon (ld_geo_distance_m (30.0, 120.0, 31.0, 120.0), 111195.08, 0.01);
  g_assert_cmpfloat_with_epsilon (ld_geo_distance_m (31.0, 120.0, 30.0, 120.0), 111195.08, 0.01);
  g_assert_cmpfloat (ld_geo_distance_m (30.5, 120.5, 30.5, 120.5), ==, 0.0);
  /* Antipodes: half the circumference, without a NaN from asin. */
  g_assert_cmpfloat_with_epsilon (ld_geo_distance_m (0, 0, 0, 180), 6371008.8 * G_PI, 1e-3);
}

static LdBoundary *
parse_wgs84 (const char *json)
{
  g_autoptr(GError) error = NULL;
  LdBoundary *b = ld_boundary_new_from_geojson (json, LD_DATUM_WGS84, &error);

  g_assert_no_error (error);
  g_assert_nonnull (b);
  return b;
}

#define POLYGON(coordinates) "{\"type\":\"Polygon\",\"coordinates\":" coordinates "}"

#define SQUARE_WITH_HOLE \
  "[[[120,30],[121,30],[121,31],[120,31],[120,30]]," \
  "[[120.4,30.4],[120.4,30.6],[120.6,30.6],[120.6,30.4],[120.4,30.4]]]"

static void
test_boundary_hole (void)
{
  g_autoptr(LdBoundary) b = parse_wgs84 (POLYGON (SQUARE_WITH_HOLE));
  const double *ring;
  guint n;

  g_assert_true (ld_boundary_contains (b, 30.2, 120.2));
  g_assert_true (ld_boundary_contains (b, 30.5, 120.7));
  g_assert_false (ld_boundary_contains (b, 30.5, 120.5));
  g_assert_false (ld_boundary_contains (b, 31.5, 120.5));
  g_assert_false (ld_boundary_contains (b, 30.5, 119.9));

  g_assert_cmpuint (ld_boundary_get_n_polygons (b), ==, 1);
  g_assert_cmpuint (ld_boundary_get_n_rings (b, 0), ==, 2);
  ring = ld_boundary_get_ring (b, 0, 1, &n);
  g_assert_cmpuint (n, ==, 5);
  /* (lat, lon) order, closed. */
  g_assert_cmpfloat (ring[0], ==, 30.4);
  g_assert_cmpfloat (ring[1], ==, 120.4);
  g_assert_cmpfloat (ring[2], ==, 30.6);
  g_assert_cmpfloat (ring[8], ==, 30.4);
  g_assert_cmpfloat (ring[9], ==, 120.4);

  /* (1 - 0.04) square degrees, shrunk by cos 30.5° */
  g_assert_cmpfloat_with_epsilon (ld_boundary_get_area (b), 0.96 * cos (30.5 * G_PI / 180), 1e-9);
}

static void
test_boundary_multipolygon (void)
{
  g_autoptr(LdBoundary) b = parse_wgs84 (
    "{\"type\":\"MultiPolygon\",\"coordinates\":[" SQUARE_WITH_HOLE ","
    "[[[122,29],[122.5,29],[122.5,29.5],[122,29.5],[122,29]]]]}");
  double min_lat, min_lon, max_lat, max_lon;

  g_assert_cmpuint (ld_boundary_get_n_polygons (b), ==, 2);
  g_assert_cmpuint (ld_boundary_get_n_rings (b, 1), ==, 1);
  g_assert_true (ld_boundary_contains (b, 30.2, 120.2));
  g_assert_true (ld_boundary_contains (b, 29.25, 122.25));
  g_assert_false (ld_boundary_contains (b, 30.5, 120.5));
  g_assert_false (ld_boundary_contains (b, 29.8, 121.5));

  ld_boundary_get_bbox (b, &min_lat, &min_lon, &max_lat, &max_lon);
  g_assert_cmpfloat (min_lat, ==, 29.0);
  g_assert_cmpfloat (min_lon, ==, 120.0);
  g_assert_cmpfloat (max_lat, ==, 31.0);
  g_assert_cmpfloat (max_lon, ==, 122.5);
  g_assert_cmpfloat_with_epsilon (ld_boundary_get_area (b),
                                  0.96 * cos (30.5 * G_PI / 180) + 0.25 * cos (29.25 * G_PI / 180),
                                  1e-9);
}

static void
test_boundary_bbox (void)
{
  /* Unclosed on purpose: some exporters drop the repeated last position. */
  g_autoptr(LdBoundary) b = parse_wgs84 (
    "{\"type\":\"Polygon\",\"coordinates\":[[[120.1,30.2],[120.9,30.25],[120.3,30.85]]]}");
  double min_lat, min_lon, max_lat, max_lon;
  guint n;

  ld_boundary_get_bbox (b, &min_lat, &min_lon, &max_lat, &max_lon);
  g_assert_cmpfloat (min_lat, ==, 30.2);
  g_assert_cmpfloat (min_lon, ==, 120.1);
  g_assert_cmpfloat (max_lat, ==, 30.85);
  g_assert_cmpfloat (max_lon, ==, 120.9);
  ld_boundary_get_ring (b, 0, 0, &n);
  g_assert_cmpuint (n, ==, 4);
  g_assert_true (ld_boundary_contains (b, 30.4, 120.4));
  g_assert_false (ld_boundary_contains (b, 30.8, 120.8));
}

static void
test_boundary_label_point (void)
{
  /* A U open to the north: its centroid, (lat 30 + 9.5/7, lon 121.5),
   * lies in the notch. */
  g_autoptr(LdBoundary) u = parse_wgs84 (
    "{\"type\":\"Polygon\",\"coordinates\":[[[120,30],[123,30],[123,33],[122,33],[122,31],"
    "[121,31],[121,33],[120,33],[120,30]]]}");
  g_autoptr(LdBoundary) ring = parse_wgs84 (POLYGON (SQUARE_WITH_HOLE));
  g_autoptr(LdBoundary) islands = parse_wgs84 (
    "{\"type\":\"MultiPolygon\",\"coordinates\":["
    "[[[122,29],[122.1,29],[122.1,29.1],[122,29.1],[122,29]]],"
    "[[[120,30],[123,30],[123,33],[122,33],[122,31],[121,31],[121,33],[120,33],[120,30]]]]}");
  double lat, lon;

  g_assert_false (ld_boundary_contains (u, 30 + 9.5 / 7, 121.5));
  ld_boundary_get_label_point (u, &lat, &lon);
  g_assert_true (ld_boundary_contains (u, lat, lon));

  /* The centroid of a square with a centred hole is in the hole. */
  ld_boundary_get_label_point (ring, &lat, &lon);
  g_assert_true (ld_boundary_contains (ring, lat, lon));

  /* On the largest polygon, not the first. */
  ld_boundary_get_label_point (islands, &lat, &lon);
  g_assert_true (ld_boundary_contains (u, lat, lon));
}

/* Pairs of regions sharing a slanted edge, walked in opposite directions
 * as neighbouring regions do. A point on the edge may belong to either, but
 * never to both or to neither, or an incident there would have two
 * jurisdictions or none. Arbitrary coordinates matter: with round ones the
 * two directions happen to round alike. */
static void
test_boundary_shared_edge (void)
{
  for (guint k = 0; k < 200; k++)
    {
      double lon0 = g_test_rand_double_range (120.0, 121.0);
      double lat0 = g_test_rand_double_range (30.0, 30.5);
      double lon1 = g_test_rand_double_range (120.0, 121.0);
      double lat1 = g_test_rand_double_range (30.5, 31.0);
      g_autofree char *west_json = NULL, *east_json = NULL;
      g_autoptr(LdBoundary) west = NULL, east = NULL;

      west_json = g_strdup_printf (POLYGON ("[[[119,%.17g],[%.17g,%.17g],[%.17g,%.17g],"
                                            "[119,%.17g],[119,%.17g]]]"),
                                   lat0, lon0, lat0, lon1, lat1, lat1, lat0);
      east_json = g_strdup_printf (POLYGON ("[[[%.17g,%.17g],[122,%.17g],[122,%.17g],"
                                            "[%.17g,%.17g],[%.17g,%.17g]]]"),
                                   lon0, lat0, lat0, lat1, lon1, lat1, lon0, lat0);
      west = parse_wgs84 (west_json);
      east = parse_wgs84 (east_json);
      /* Not the end points: those lie on the outline of the pair too. */
      for (guint i = 1; i < 40; i++)
        {
          double lat = lat0 + (lat1 - lat0) * i / 40.0;
          double lon = lon0 + (lat - lat0) * (lon1 - lon0) / (lat1 - lat0);

          g_assert_true (ld_boundary_contains (west, lat, lon) !=
                         ld_boundary_contains (east, lat, lon));
        }
    }

  /* A point on a horizontal edge, and a shared vertex. */
  {
    g_autoptr(LdBoundary) south = parse_wgs84 (
      "{\"type\":\"Polygon\",\"coordinates\":[[[120,30],[121,30],[121,31],[120,31],[120,30]]]}");
    g_autoptr(LdBoundary) north = parse_wgs84 (
      "{\"type\":\"Polygon\",\"coordinates\":[[[120,31],[121,31],[121,32],[120,32],[120,31]]]}");

    g_assert_true (ld_boundary_contains (south, 31.0, 120.5) !=
                   ld_boundary_contains (north, 31.0, 120.5));
    g_assert_true (ld_boundary_contains (south, 31.0, 120.0) !=
                   ld_boundary_contains (north, 31.0, 120.0));
  }
}

static void
test_boundary_gcj02 (void)
{
  static const char *json =
    POLYGON ("[[[120.7,30.7],[120.8,30.7],[120.8,30.8],[120.7,30.8],[120.7,30.7]]]");
  g_autoptr(GError) error = NULL;
  g_autoptr(LdBoundary) gcj = ld_boundary_new_from_geojson (json, LD_DATUM_GCJ02, &error);
  g_autoptr(LdBoundary) plain = ld_boundary_new_from_geojson (json, LD_DATUM_AUTO, &error);
  const double *p, *q;
  guint n, m;
  double lat, lon;

  g_assert_no_error (error);
  p = ld_boundary_get_ring (gcj, 0, 0, &n);
  q = ld_boundary_get_ring (plain, 0, 0, &m);
  g_assert_cmpuint (n, ==, m);
  for (guint i = 0; i < n; i++)
    {
      ld_geo_gcj02_to_wgs84 (q[2 * i], q[2 * i + 1], &lat, &lon);
      g_assert_cmpfloat (p[2 * i], ==, lat);
      g_assert_cmpfloat (p[2 * i + 1], ==, lon);
    }
  /* A bare geometry in AUTO is taken as WGS84. */
  g_assert_cmpfloat (q[0], ==, 30.7);
  g_assert_cmpfloat (q[1], ==, 120.7);
}

static void
test_boundary_errors (void)
{
  static const struct {
    const char *json;
    int code;
    const char *mentions;
  } cases[] = {
    { "{\"type\":\"LineString\",\"coordinates\":[[120,30],[121,31]]}",
      LD_GEO_ERROR_UNSUPPORTED, "LineString" },
    { "{\"type\":\"Point\",\"coordinates\":[120,30]}", LD_GEO_ERROR_UNSUPPORTED, "Point" },
    { "{\"type\":\"Polygon\",\"coordinates\":[[[120,30],[121,", LD_GEO_ERROR_PARSE, NULL },
    { "garbage", LD_GEO_ERROR_PARSE, NULL },
    { "[1,2]", LD_GEO_ERROR_PARSE, NULL },
    { "{\"type\":{}}", LD_GEO_ERROR_PARSE, NULL },
    { "{\"type\":\"Polygon\"}", LD_GEO_ERROR_PARSE, NULL },
    { "{\"type\":\"Polygon\",\"coordinates\":{}}", LD_GEO_ERROR_PARSE, NULL },
    { "{\"type\":\"Polygon\",\"coordinates\":[]}", LD_GEO_ERROR_PARSE, NULL },
    { "{\"type\":\"Polygon\",\"coordinates\":[[[120,30],[121,31]]]}", LD_GEO_ERROR_PARSE, NULL },
    { POLYGON ("[[[120,30],[121,\"x\"],[121,31],[120,30]]]"), LD_GEO_ERROR_PARSE, NULL },
    { POLYGON ("[[[120,30],[121],[121,31],[120,30]]]"), LD_GEO_ERROR_PARSE, NULL },
    /* Web Mercator metres, not degrees */
    { POLYGON ("[[[13358338,3503549],[13469658,3503549],[13469658,3632749],[13358338,3503549]]]"),
      LD_GEO_ERROR_PARSE, NULL },
    { "{\"type\":\"MultiPolygon\",\"coordinates\":[]}", LD_GEO_ERROR_PARSE, NULL },
    { "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[120,30],[121,30],[121,31],[120,30]]],[[]]]}",
      LD_GEO_ERROR_PARSE, "Polygon 1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LdBoundary) b = NULL;

      b = ld_boundary_new_from_geojson (cases[i].json, LD_DATUM_WGS84, &error);

      g_assert_null (b);
      g_assert_error (error, LD_GEO_ERROR, cases[i].code);
      if (cases[i].mentions)
        g_assert_nonnull (strstr (error->message, cases[i].mentions));
    }
}

static void
test_boundary_geojson_round_trip (void)
{
  static const char *sources[] = {
    "{\"type\":\"MultiPolygon\",\"coordinates\":[" SQUARE_WITH_HOLE ","
    "[[[122,29],[122.5,29],[122.5,29.5],[122,29.5],[122,29]]]]}",
    "{\"type\":\"Polygon\",\"coordinates\":[[[120.12345678,30.87654321],[123,30],[123,33],[122,33],"
    "[122,31],[121,31],[121,33],[120,33],[120.12345678,30.87654321]]]}",
  };

  for (guint s = 0; s < G_N_ELEMENTS (sources); s++)
    {
      g_autoptr(LdBoundary) a = parse_wgs84 (sources[s]);
      g_autofree char *json = ld_boundary_to_geojson (a);
      g_autoptr(LdBoundary) b = parse_wgs84 (json);

      const char *type = s == 0 ? "{\"type\":\"MultiPolygon\"" : "{\"type\":\"Polygon\"";

      g_assert_true (g_str_has_prefix (json, type));
      g_assert_cmpuint (ld_boundary_get_n_polygons (a), ==, ld_boundary_get_n_polygons (b));
      for (guint p = 0; p < ld_boundary_get_n_polygons (a); p++)
        {
          g_assert_cmpuint (ld_boundary_get_n_rings (a, p), ==, ld_boundary_get_n_rings (b, p));
          for (guint r = 0; r < ld_boundary_get_n_rings (a, p); r++)
            {
              guint n, m;
              const double *x = ld_boundary_get_ring (a, p, r, &n);
              const double *y = ld_boundary_get_ring (b, p, r, &m);

              g_assert_cmpuint (n, ==, m);
              for (guint i = 0; i < 2 * n; i++)
                g_assert_cmpfloat_with_epsilon (x[i], y[i], 0.51e-7);
            }
        }
      for (double lat = 28.95; lat < 33.1; lat += 0.1)
        for (double lon = 119.95; lon < 123.1; lon += 0.1)
          g_assert_true (ld_boundary_contains (a, lat, lon) == ld_boundary_contains (b, lat, lon));
    }
}

/* Four regions, a literal so that printf checks the crs put in its %s. */
#define FOUR_REGIONS \
  "{\"type\":\"FeatureCollection\",%s\"features\":[" \
  "{\"type\":\"Feature\",\"properties\":{\"code\":\"A\",\"adcode\":1,\"name\":\"南湖区\"}," \
  "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[120.7,30.7],[120.8,30.7],[120.8,30.8]," \
  "[120.7,30.7]]]}}," \
  "{\"type\":\"Feature\",\"properties\":{\"adcode\":330402}," \
  "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[120.8,30.7],[120.9,30.7],[120.9,30.8]," \
  "[120.8,30.7]]]}}," \
  "{\"type\":\"Feature\",\"properties\":{\"code\":null,\"adcode\":\"330411\"}," \
  "\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[[[[120.6,30.7],[120.7,30.7]," \
  "[120.7,30.8],[120.6,30.7]]]]}}," \
  "{\"type\":\"Feature\",\"properties\":{\"code\":330424.0}," \
  "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[120.5,30.7],[120.6,30.7],[120.6,30.8]," \
  "[120.5,30.7]]]}}]}"

#define CRS(name) "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"" name "\"}},"

static GPtrArray *
read_collection (const char *crs, LdDatum datum)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_strdup_printf (FOUR_REGIONS, crs);
  GPtrArray *features = ld_geo_read_features (json, -1, datum, &error);

  g_assert_no_error (error);
  g_assert_nonnull (features);
  return features;
}

static void
test_features_read (void)
{
  g_autoptr(GPtrArray) plain = read_collection ("", LD_DATUM_AUTO);
  g_autoptr(GPtrArray) crs84 = read_collection (
    CRS ("urn:ogc:def:crs:OGC:1.3:CRS84"), LD_DATUM_AUTO);
  g_autoptr(GPtrArray) marked = read_collection (CRS ("urn:x-liandong:Gcj-02"), LD_DATUM_AUTO);
  g_autoptr(GPtrArray) forced = read_collection (CRS ("GCJ02"), LD_DATUM_WGS84);
  /* Malformed, and so not GCJ-02 whatever it says. */
  g_autoptr(GPtrArray) odd_crs = read_collection ("\"crs\":{\"properties\":\"gcj\"},",
                                                  LD_DATUM_AUTO);
  static const char *codes[] = { "A", "330402", "330411", "330424" };
  LdGeoFeature *f;
  const double *p;
  double lat, lon;

  g_assert_cmpuint (plain->len, ==, G_N_ELEMENTS (codes));
  for (guint i = 0; i < plain->len; i++)
    {
      f = g_ptr_array_index (plain, i);
      g_assert_cmpstr (f->code, ==, codes[i]);
    }
  f = g_ptr_array_index (plain, 0);
  g_assert_cmpstr (f->name, ==, "南湖区");
  f = g_ptr_array_index (plain, 1);
  g_assert_null (f->name);

  f = g_ptr_array_index (plain, 0);
  p = ld_boundary_get_ring (f->boundary, 0, 0, NULL);
  g_assert_cmpfloat (p[0], ==, 30.7);
  g_assert_cmpfloat (p[1], ==, 120.7);
  f = g_ptr_array_index (crs84, 0);
  p = ld_boundary_get_ring (f->boundary, 0, 0, NULL);
  g_assert_cmpfloat (p[0], ==, 30.7);
  f = g_ptr_array_index (forced, 0);
  p = ld_boundary_get_ring (f->boundary, 0, 0, NULL);
  g_assert_cmpfloat (p[0], ==, 30.7);
  f = g_ptr_array_index (odd_crs, 0);
  p = ld_boundary_get_ring (f->boundary, 0, 0, NULL);
  g_assert_cmpfloat (p[0], ==, 30.7);

  f = g_ptr_array_index (marked, 0);
  p = ld_boundary_get_ring (f->boundary, 0, 0, NULL);
  ld_geo_gcj02_to_wgs84 (30.7, 120.7, &lat, &lon);
  g_assert_cmpfloat (p[0], ==, lat);
  g_assert_cmpfloat (p[1], ==, lon);
}

static void
test_features_length (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_strdup_printf (FOUR_REGIONS, "");
  g_autofree char *padded = g_strconcat (json, "trailing garbage", NULL);
  g_autoptr(GPtrArray) features = NULL;

  features = ld_geo_read_features (padded, strlen (json), LD_DATUM_WGS84, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (features->len, ==, 4);
}

#define COLLECTION(features) "{\"type\":\"FeatureCollection\",\"features\":[" features "]}"
#define FEATURE(properties, geometry) \
  "{\"type\":\"Feature\",\"properties\":" properties ",\"geometry\":" geometry "}"
#define LINE_STRING "{\"type\":\"LineString\",\"coordinates\":[[120,30],[121,31]]}"
#define TRIANGLE POLYGON ("[[[120,30],[121,30],[121,31],[120,30]]]")

/* A regions.geojson made by hand or by a hostile tool can nest without end;
 * json-glib would recurse until the stack ran out. */
static void
test_features_too_deep (void)
{
  g_autoptr(GString) text = g_string_new ("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
                                          "\"properties\":{\"code\":\"A\"},\"geometry\":{\"type\":\"Polygon\","
                                          "\"coordinates\":");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(LdBoundary) boundary = NULL;
  const char *geometry;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, ']');
  g_string_append (text, "}}]}");

  features = ld_geo_read_features (text->str, text->len, LD_DATUM_AUTO, &error);
  g_assert_null (features);
  g_assert_error (error, LD_GEO_ERROR, LD_GEO_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "deeper than 64 levels"));
  g_clear_error (&error);

  geometry = strstr (text->str, "{\"type\":\"Polygon\"");
  boundary = ld_boundary_new_from_geojson (geometry, LD_DATUM_WGS84, &error);
  g_assert_null (boundary);
  g_assert_error (error, LD_GEO_ERROR, LD_GEO_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "deeper than 64 levels"));
}

static void
test_features_errors (void)
{
  static const struct {
    const char *json;
    int code;
    const char *mentions;
  } cases[] = {
    { COLLECTION (FEATURE ("{\"code\":\"A\"}", TRIANGLE) ","
                  FEATURE ("{\"name\":\"no code\"}", TRIANGLE)),
      LD_GEO_ERROR_PARSE, "feature 1" },
    { COLLECTION (FEATURE ("null", TRIANGLE)), LD_GEO_ERROR_PARSE, "feature 0" },
    { COLLECTION (FEATURE ("{\"code\":\"A\"}", LINE_STRING)),
      LD_GEO_ERROR_UNSUPPORTED, "feature 0" },
    { COLLECTION (FEATURE ("{\"code\":\"A\"}", "null")), LD_GEO_ERROR_PARSE, "feature 0" },
    { COLLECTION (FEATURE ("{\"code\":true}", TRIANGLE)), LD_GEO_ERROR_PARSE, "feature 0" },
    { COLLECTION (FEATURE ("{\"adcode\":1.5}", TRIANGLE)), LD_GEO_ERROR_PARSE, "feature 0" },
    { COLLECTION ("42"), LD_GEO_ERROR_PARSE, "feature 0" },
    { "{\"type\":\"FeatureCollection\",\"features\":{}}", LD_GEO_ERROR_PARSE, NULL },
    { FEATURE ("{\"code\":\"A\"}", TRIANGLE), LD_GEO_ERROR_PARSE, NULL },
    { "not json", LD_GEO_ERROR_PARSE, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) features = NULL;

      features = ld_geo_read_features (cases[i].json, -1, LD_DATUM_AUTO, &error);
      g_assert_null (features);
      g_assert_error (error, LD_GEO_ERROR, cases[i].code);
      if (cases[i].mentions)
        g_assert_nonnull (strstr (error->message, cases[i].mentions));
    }
}

static void
check_nested (LdGeoIndex *index)
{
  g_assert_cmpstr (ld_geo_index_lookup (index, 30.3, 120.3), ==, "330402");
  g_assert_cmpstr (ld_geo_index_lookup (index, 30.7, 120.7), ==, "330400");
  g_assert_cmpstr (ld_geo_index_lookup (index, 30.7, 121.7), ==, "330300");
  g_assert_null (ld_geo_index_lookup (index, 32.0, 120.5));
  g_assert_null (ld_geo_index_lookup (index, 30.5, 119.5));
}

static void
test_index_nested (void)
{
  g_autoptr(LdBoundary) city = parse_wgs84 (
    "{\"type\":\"Polygon\",\"coordinates\":[[[120,30],[121,30],[121,31],[120,31],[120,30]]]}");
  g_autoptr(LdBoundary) district = parse_wgs84 (
    "{\"type\":\"Polygon\",\"coordinates\":[[[120.2,30.2],[120.4,30.2],[120.4,30.4],[120.2,30.4],"
    "[120.2,30.2]]]}");
  g_autoptr(LdBoundary) neighbour = parse_wgs84 (
    "{\"type\":\"Polygon\",\"coordinates\":[[[121,30],[122,30],[122,31],[121,31],[121,30]]]}");
  g_autoptr(LdGeoIndex) index = ld_geo_index_new ();
  g_autoptr(LdGeoIndex) reversed = ld_geo_index_new ();
  g_autoptr(LdGeoIndex) empty = ld_geo_index_new ();

  /* The city goes in first: the order of adding must not matter. */
  ld_geo_index_add (index, "330400", city);
  ld_geo_index_add (index, "330402", district);
  ld_geo_index_add (index, "330300", neighbour);
  ld_geo_index_add (reversed, "330300", neighbour);
  ld_geo_index_add (reversed, "330402", district);
  ld_geo_index_add (reversed, "330400", city);
  g_assert_cmpuint (ld_geo_index_get_size (index), ==, 3);

  check_nested (index);
  check_nested (reversed);
  g_assert_cmpuint (ld_geo_index_get_size (empty), ==, 0);
  g_assert_null (ld_geo_index_lookup (empty, 30.3, 120.3));
}

/* Real boundaries */

/* NULL, with the test skipped or failed, when the real records are not
 * there (ld_test_shared_data). */
static char *
load_boundary_file (const char *name, gsize *length)
{
  g_autofree char *relative = g_build_filename ("boundaries", name, NULL);
  g_autofree char *path = ld_test_shared_data (relative);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  if (path == NULL)
    return NULL;
  g_file_get_contents (path, &text, length, &error);
  g_assert_no_error (error);
  return text;
}

typedef struct {
  char   *code;
  double  lat, lon;   /* WGS84 */
} Center;

static void
center_clear (Center *c)
{
  g_free (c->code);
}

/* The DataV "center" property (the seat of government, in GCJ-02), which
 * LdGeoFeature does not keep. */
static GArray *
read_centers (const char *text, gsize length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GArray *centers = g_array_new (FALSE, FALSE, sizeof (Center));
  JsonObject *root;
  JsonArray *features;

  g_array_set_clear_func (centers, (GDestroyNotify) center_clear);
  json_parser_load_from_data (parser, text, length, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  features = json_object_get_array_member (root, "features");
  for (guint i = 0; i < json_array_get_length (features); i++)
    {
      JsonObject *feature = json_array_get_object_element (features, i);
      JsonObject *props = json_object_get_object_member (feature, "properties");
      JsonArray *center = json_object_get_array_member (props, "center");
      Center c;

      c.code = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (props, "adcode"));
      ld_geo_gcj02_to_wgs84 (json_array_get_double_element (center, 1),
                             json_array_get_double_element (center, 0), &c.lat, &c.lon);
      g_array_append_val (centers, c);
    }
  return centers;
}

static LdGeoIndex *
index_features (GPtrArray *features)
{
  LdGeoIndex *index = ld_geo_index_new ();

  for (guint i = 0; i < features->len; i++)
    {
      LdGeoFeature *f = g_ptr_array_index (features, i);
      ld_geo_index_add (index, f->code, f->boundary);
    }
  return index;
}

/* Plain even-odd over every ring, with no bbox or bands, to check the
 * fast path against. */
static gboolean
brute_force_contains (LdBoundary *b, double lat, double lon)
{
  gboolean inside = FALSE;

  for (guint p = 0; p < ld_boundary_get_n_polygons (b); p++)
    for (guint r = 0; r < ld_boundary_get_n_rings (b, p); r++)
      {
        guint n;
        const double *pt = ld_boundary_get_ring (b, p, r, &n);

        for (guint i = 0; i + 1 < n; i++)
          {
            double y0 = pt[2 * i], x0 = pt[2 * i + 1], y1 = pt[2 * i + 2], x1 = pt[2 * i + 3];

            if ((y0 > lat) != (y1 > lat) && lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0))
              inside = !inside;
          }
      }
  return inside;
}

static void
check_city_file (const char *name, guint n_features, const char *islands)
{
  gsize length;
  g_autofree char *text = load_boundary_file (name, &length);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(GArray) centers = NULL;
  g_autoptr(LdGeoIndex) index = NULL;
  double min_lat = 90, min_lon = 180, max_lat = -90, max_lon = -180;

  if (text == NULL)
    return;
  features = ld_geo_read_features (text, length, LD_DATUM_GCJ02, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (features->len, ==, n_features);
  centers = read_centers (text, length);
  g_assert_cmpuint (centers->len, ==, n_features);
  index = index_features (features);

  /* Every county's seat lies inside its county in these files, so no
   * feature needs its label point instead. Ouhai's (330304) is 260 m from
   * its border, less than the GCJ-02 shift, so mixing datums fails here. */
  for (guint i = 0; i < features->len; i++)
    {
      LdGeoFeature *f = g_ptr_array_index (features, i);
      Center *c = &g_array_index (centers, Center, i);
      double lat, lon, a, b, x, y;

      g_assert_cmpstr (f->code, ==, c->code);
      g_assert_nonnull (f->name);
      g_assert_cmpstr (ld_geo_index_lookup (index, c->lat, c->lon), ==, f->code);

      ld_boundary_get_label_point (f->boundary, &lat, &lon);
      g_assert_true (ld_boundary_contains (f->boundary, lat, lon));
      g_assert_cmpstr (ld_geo_index_lookup (index, lat, lon), ==, f->code);

      if (g_strcmp0 (f->code, islands) == 0)
        g_assert_cmpuint (ld_boundary_get_n_polygons (f->boundary), >, 1);

      ld_boundary_get_bbox (f->boundary, &a, &b, &x, &y);
      min_lat = MIN (min_lat, a);
      min_lon = MIN (min_lon, b);
      max_lat = MAX (max_lat, x);
      max_lon = MAX (max_lon, y);
    }

  for (guint i = 0; i < 2000; i++)
    {
      double lat = g_test_rand_double_range (min_lat, max_lat);
      double lon = g_test_rand_double_range (min_lon, max_lon);

      for (guint j = 0; j < features->len; j++)
        {
          LdGeoFeature *f = g_ptr_array_index (features, j);
          g_assert_true (ld_boundary_contains (f->boundary, lat, lon) ==
                         brute_force_contains (f->boundary, lat, lon));
        }
    }
}

static void
test_real_jiaxing (void)
{
  check_city_file ("330400_full.json", 7, "330482");
}

static void
test_real_wenzhou (void)
{
  check_city_file ("330300_full.json", 12, "330305");
}

static void
test_real_zhejiang (void)
{
  static const char *cities[] = { "330400_full.json", "330300_full.json" };
  gsize length;
  g_autofree char *text = load_boundary_file ("zhejiang_counties_datav_gcj02.geojson", &length);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(LdGeoIndex) index = NULL;

  if (text == NULL)
    return;
  features = ld_geo_read_features (text, length, LD_DATUM_GCJ02, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (features->len, ==, 90);
  index = index_features (features);
  g_assert_cmpuint (ld_geo_index_get_size (index), ==, 90);

  for (guint i = 0; i < G_N_ELEMENTS (cities); i++)
    {
      g_autofree char *city = load_boundary_file (cities[i], &length);
      g_autoptr(GArray) centers = NULL;

      if (city == NULL)
        return;
      centers = read_centers (city, length);
      for (guint j = 0; j < centers->len; j++)
        {
          Center *c = &g_array_index (centers, Center, j);
          g_assert_cmpstr (ld_geo_index_lookup (index, c->lat, c->lon), ==, c->code);
        }
    }

  /* East of the Zhoushan islands, in the East China Sea. */
  g_assert_null (ld_geo_index_lookup (index, 29.5, 123.5));
  g_assert_null (ld_geo_index_lookup (index, 31.2, 121.5));   /* Shanghai */
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/geo/gcj02/round-trip", test_gcj02_round_trip);
  g_test_add_func ("/geo/gcj02/known-offset", test_gcj02_known_offset);
  g_test_add_func ("/geo/gcj02/outside-china", test_gcj02_outside_china);
  g_test_add_func ("/geo/distance", test_distance);
  g_test_add_func ("/geo/boundary/hole", test_boundary_hole);
  g_test_add_func ("/geo/boundary/multipolygon", test_boundary_multipolygon);
  g_test_add_func ("/geo/boundary/bbox", test_boundary_bbox);
  g_test_add_func ("/geo/boundary/label-point", test_boundary_label_point);
  g_test_add_func ("/geo/boundary/shared-edge", test_boundary_shared_edge);
  g_test_add_func ("/geo/boundary/gcj02", test_boundary_gcj02);
  g_test_add_func ("/geo/boundary/errors", test_boundary_errors);
  g_test_add_func ("/geo/boundary/geojson-round-trip", test_boundary_geojson_round_trip);
  g_test_add_func ("/geo/features/read", test_features_read);
  g_test_add_func ("/geo/features/length", test_features_length);
  g_test_add_func ("/geo/features/errors", test_features_errors);
  g_test_add_func ("/geo/features/too-deep", test_features_too_deep);
  g_test_add_func ("/geo/index/nested", test_index_nested);
  g_test_add_func ("/geo/real/jiaxing", test_real_jiaxing);
  g_test_add_func ("/geo/real/wenzhou", test_real_wenzhou);
  g_test_add_func ("/geo/real/zhejiang", test_real_zhejiang);

  return g_test_run ();
}
