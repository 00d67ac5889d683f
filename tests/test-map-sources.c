/* test-map-sources.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "ld-basemap-source.h"
#include "ld-mbtiles-source.h"
#include "ld-map-view.h"
#include "ld-mercator.h"
#include "ld-test-server.h"
#include "ld-test-util.h"

/* The map's tile sources: MBTiles files read through the data source, the
 * offline basemap's pixels, an XYZ server on loopback drawn by libshumate,
 * and the basemap in a map on a virtual display. */

#define RED   0xcc3333
#define BLUE  0x3366cc
#define GREEN 0x33aa55


static cairo_status_t
append_png (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static GBytes *
solid_png (guint32 rgb)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 256, 256);
  cairo_t *cr = cairo_create (surface);
  GByteArray *png = g_byte_array_new ();

  cairo_set_source_rgb (cr, (rgb >> 16 & 0xff) / 255.0, (rgb >> 8 & 0xff) / 255.0, (rgb & 0xff) / 255.0);
  cairo_paint (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append_png, png), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (png);
}

/* Pixel (@x, @y) of @texture as 0xRRGGBB. */
static guint32
texture_pixel (GdkTexture *texture, int x, int y)
{
  int width = gdk_texture_get_width (texture);
  g_autofree guint32 *data = g_new (guint32, width * gdk_texture_get_height (texture));

  /* Cairo's ARGB32: one native-endian word a pixel. */
  gdk_texture_download (texture, (guchar *) data, width * 4);
  return data[y * width + x] & 0xffffff;
}

static guint32
rgba_to_rgb (const GdkRGBA *rgba)
{
  return (guint32) lround (rgba->red * 255) << 16 | (guint32) lround (rgba->green * 255) << 8 |
         (guint32) lround (rgba->blue * 255);
}

/* Whether two colours differ by no more than resampling does. */
static gboolean
near (guint32 a, guint32 b)
{
  for (int shift = 0; shift < 24; shift += 8)
    if (ABS ((int) (a >> shift & 0xff) - (int) (b >> shift & 0xff)) > 2)
      return FALSE;
  return TRUE;
}

static GdkTexture *
decode (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  GdkTexture *texture = gdk_texture_new_from_bytes (bytes, &error);

  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 256);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 256);
  return texture;
}

static void
count_received (ShumateDataSource *source, int x, int y, int zoom, GBytes *bytes, guint *n)
{
  (*n)++;
}

/* One tile through the data source's asynchronous call, as libshumate
 * asks for it; @n_received counts ::received-data on the way. */
static GBytes *
get_tile (ShumateDataSource *source, int x, int y, int zoom, guint *n_received, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gulong handler = g_signal_connect (source, "received-data", G_CALLBACK (count_received), n_received);
  GBytes *bytes;

  shumate_data_source_get_tile_data_async (source, x, y, zoom, NULL, ld_test_on_result, &result);
  bytes = shumate_data_source_get_tile_data_finish (source, ld_test_wait_result (&result), error);
  g_signal_handler_disconnect (source, handler);
  return bytes;
}

static void
exec_sql (sqlite3 *db, const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* An MBTiles file of three solid tiles, in TMS rows: 1/0/0 red and 1/0/1
 * blue (the bottom and top of column 0), 3/2/5 green. */
static char *
make_mbtiles (const char *dir, const char *name, const char *metadata)
{
  char *path = g_build_filename (dir, name, NULL);
  const struct { int z, x, row; guint32 rgb; } tiles[] = {
    { 1, 0, 0, RED }, { 1, 0, 1, BLUE }, { 3, 2, 5, GREEN },
  };
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_sql (db, "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);"
                "CREATE TABLE metadata (name TEXT, value TEXT)");
  if (metadata)
    exec_sql (db, metadata);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO tiles VALUES (?, ?, ?, ?)", -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (tiles); i++)
    {
      g_autoptr(GBytes) png = solid_png (tiles[i].rgb);
      gsize size;
      gconstpointer data = g_bytes_get_data (png, &size);

      sqlite3_bind_int (stmt, 1, tiles[i].z);
      sqlite3_bind_int (stmt, 2, tiles[i].x);
      sqlite3_bind_int (stmt, 3, tiles[i].row);
      sqlite3_bind_blob (stmt, 4, data, size, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return path;
}

static guint32
tile_color (ShumateDataSource *source, int x, int y, int zoom)
{
  g_autoptr(GError) error = NULL;
  guint n_received = 0;
  g_autoptr(GBytes) bytes = get_tile (source, x, y, zoom, &n_received, &error);
  g_autoptr(GdkTexture) texture = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (n_received, ==, 1);
  texture = decode (bytes);
  return texture_pixel (texture, 128, 128);
}

static void
test_mbtiles_read (void)
{
  g_autofree char *dir = ld_test_make_tmp ("ld-mbtiles-XXXXXX");
  g_autofree char *path = make_mbtiles (dir, "test.mbtiles",
                                        "INSERT INTO metadata VALUES ('name', 'Test tiles'), ('format', 'png'),"
                                        " ('minzoom', '1'), ('maxzoom', '5'), ('attribution', '© Test')");
  g_autofree char *bare_path = make_mbtiles (dir, "bare.mbtiles", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LdMbtilesSource) source = ld_mbtiles_source_new (path, &error);
  g_autoptr(LdMbtilesSource) bare = NULL;
  g_autoptr(ShumateMapSource) map_source = NULL;
  g_autoptr(GBytes) missing = NULL;
  guint n_received = 0;

  g_assert_no_error (error);
  g_assert_cmpstr (ld_mbtiles_source_get_name (source), ==, "Test tiles");
  g_assert_cmpuint (ld_mbtiles_source_get_min_zoom (source), ==, 1);
  g_assert_cmpuint (ld_mbtiles_source_get_max_zoom (source), ==, 5);

  /* XYZ row 0 is the top: TMS row 1 at zoom 1. */
  g_assert_cmphex (tile_color (SHUMATE_DATA_SOURCE (source), 0, 0, 1), ==, BLUE);
  g_assert_cmphex (tile_color (SHUMATE_DATA_SOURCE (source), 0, 1, 1), ==, RED);
  g_assert_cmphex (tile_color (SHUMATE_DATA_SOURCE (source), 2, 2, 3), ==, GREEN);

  missing = get_tile (SHUMATE_DATA_SOURCE (source), 1, 0, 1, &n_received, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (missing);
  g_assert_cmpuint (n_received, ==, 0);
  g_clear_error (&error);

  /* Without metadata: the zoom range of the tiles, the file's name. */
  bare = ld_mbtiles_source_new (bare_path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ld_mbtiles_source_get_name (bare), ==, "bare.mbtiles");
  g_assert_cmpuint (ld_mbtiles_source_get_min_zoom (bare), ==, 1);
  g_assert_cmpuint (ld_mbtiles_source_get_max_zoom (bare), ==, 3);

  map_source = ld_mbtiles_source_new_map_source (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (shumate_map_source_get_id (map_source), ==, "mbtiles");
  g_assert_cmpstr (shumate_map_source_get_name (map_source), ==, "Test tiles");
  g_assert_cmpstr (shumate_map_source_get_license (map_source), ==, "© Test");
  g_assert_cmpuint (shumate_map_source_get_min_zoom_level (map_source), ==, 1);
  g_assert_cmpuint (shumate_map_source_get_max_zoom_level (map_source), ==, 5);
  g_assert_cmpuint (shumate_map_source_get_tile_size (map_source), ==, 256);

  g_clear_object (&source);
  g_clear_object (&bare);
  g_clear_object (&map_source);
  g_unlink (path);
  g_unlink (bare_path);
  g_rmdir (dir);
}

static GBytes *
read_row (const char *path, int zoom, int column, int row)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GBytes *bytes = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int (stmt, 1, zoom);
  sqlite3_bind_int (stmt, 2, column);
  sqlite3_bind_int (stmt, 3, row);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    bytes = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return bytes;
}

/* A file made by another tool: tiles as a view over deduplicated images,
 * metadata without a zoom range. */
static void
test_mbtiles_shared (void)
{
  g_autofree char *path = ld_test_shared_data ("tiles/plain_1.mbtiles");
  g_autofree char *geography = ld_test_shared_data ("tiles/geography-class-png.mbtiles");
  g_autoptr(GError) error = NULL;
  g_autoptr(LdMbtilesSource) source = NULL;
  g_autoptr(LdMbtilesSource) other = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) row = NULL;
  g_autoptr(GBytes) unflipped = NULL;
  g_autoptr(GBytes) missing = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  guint n_received = 0;

  if (path == NULL || geography == NULL)
    return;

  source = ld_mbtiles_source_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ld_mbtiles_source_get_name (source), ==, "plain_1");
  g_assert_cmpuint (ld_mbtiles_source_get_min_zoom (source), ==, 0);
  g_assert_cmpuint (ld_mbtiles_source_get_max_zoom (source), ==, 4);

  /* XYZ 2/1/1 is TMS row 4 − 1 − 1 = 2; row 1 holds a different tile. */
  bytes = get_tile (SHUMATE_DATA_SOURCE (source), 1, 1, 2, &n_received, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_received, ==, 1);
  row = read_row (path, 2, 1, 2);
  unflipped = read_row (path, 2, 1, 1);
  g_assert_nonnull (row);
  g_assert_true (g_bytes_equal (bytes, row));
  g_assert_false (g_bytes_equal (bytes, unflipped));
  texture = decode (bytes);

  /* The file has no TMS row 0 at zoom 3: the XYZ bottom row. */
  missing = get_tile (SHUMATE_DATA_SOURCE (source), 0, 7, 3, &n_received, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (missing);
  g_clear_error (&error);

  other = ld_mbtiles_source_new (geography, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ld_mbtiles_source_get_name (other), ==, "Geography Class");
  g_assert_cmpuint (ld_mbtiles_source_get_min_zoom (other), ==, 0);
  g_assert_cmpuint (ld_mbtiles_source_get_max_zoom (other), ==, 1);
}

static void
assert_refused (const char *path, int code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdMbtilesSource) source = ld_mbtiles_source_new (path, &error);
  g_autofree char *basename = g_path_get_basename (path);

  g_assert_null (source);
  g_assert_error (error, LD_MBTILES_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, basename));
}

static void
test_mbtiles_invalid (void)
{
  g_autofree char *dir = ld_test_make_tmp ("ld-mbtiles-XXXXXX");
  g_autofree char *other = g_build_filename (dir, "other.db", NULL);
  g_autofree char *text = g_build_filename (dir, "notes.mbtiles", NULL);
  g_autofree char *absent = g_build_filename (dir, "absent.mbtiles", NULL);
  g_autofree char *vector = make_mbtiles (dir, "vector.mbtiles", "INSERT INTO metadata VALUES ('format', 'pbf')");
  g_autofree char *empty = g_build_filename (dir, "empty.mbtiles", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (other, &db), ==, SQLITE_OK);
  exec_sql (db, "CREATE TABLE incident (id TEXT)");
  sqlite3_close (db);
  g_assert_cmpint (sqlite3_open (empty, &db), ==, SQLITE_OK);
  exec_sql (db, "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)");
  sqlite3_close (db);
  g_assert_true (g_file_set_contents (text, "zoom_level,tile_column\n1,2\n", -1, NULL));

  assert_refused (other, LD_MBTILES_ERROR_INVALID);
  assert_refused (text, LD_MBTILES_ERROR_INVALID);
  assert_refused (empty, LD_MBTILES_ERROR_INVALID);
  assert_refused (absent, LD_MBTILES_ERROR_OPEN);
  assert_refused (vector, LD_MBTILES_ERROR_UNSUPPORTED);

  /* Read-only: nothing was created. */
  g_assert_false (g_file_test (absent, G_FILE_TEST_EXISTS));

  g_unlink (other);
  g_unlink (text);
  g_unlink (vector);
  g_unlink (empty);
  g_rmdir (dir);
}

/* A square of 0.3° around 30.75N 120.75E with a square hole of 0.04° in
 * its south-west, off the centre. */
static LdBoundary *
test_boundary (void)
{
  g_autoptr(GError) error = NULL;
  LdBoundary *boundary = ld_boundary_new_from_geojson (
    "{\"type\": \"Polygon\", \"coordinates\": ["
    "[[120.6, 30.6], [120.9, 30.6], [120.9, 30.9], [120.6, 30.9], [120.6, 30.6]],"
    "[[120.62, 30.64], [120.62, 30.68], [120.66, 30.68], [120.66, 30.64], [120.62, 30.64]]]}",
    LD_DATUM_WGS84, &error);

  g_assert_no_error (error);
  return boundary;
}

/* The colour the basemap draws at a point, from the tile holding it. */
static guint32
basemap_color (LdBasemapSource *source, double lat, double lon, guint zoom)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  double px, py;
  int x, y;
  guint n_received = 0;

  ld_mercator_to_tile (lat, lon, zoom, &x, &y);
  ld_mercator_to_pixel (lat, lon, zoom, &px, &py);
  bytes = get_tile (SHUMATE_DATA_SOURCE (source), x, y, zoom, &n_received, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_received, ==, 1);
  texture = decode (bytes);
  return texture_pixel (texture, (int) floor (px) - x * 256, (int) floor (py) - y * 256);
}

static void
test_basemap_pixels (void)
{
  g_autoptr(LdBasemapSource) source = ld_basemap_source_new ();
  g_autoptr(LdBoundary) boundary = test_boundary ();
  g_autoptr(GBytes) far = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ShumateMapSource) map_source = NULL;
  GdkRGBA background_rgba, land_rgba;
  guint32 background, land, edge;
  guint n_received = 0;
  int x, y;

  ld_basemap_source_get_colors (&background_rgba, &land_rgba);
  background = rgba_to_rgb (&background_rgba);
  land = rgba_to_rgb (&land_rgba);
  ld_basemap_source_add_region (source, boundary, 0);

  g_assert_cmphex (basemap_color (source, 30.75, 120.75, 11), ==, land);
  g_assert_cmphex (basemap_color (source, 30.66, 120.64, 11), ==, background);  /* the hole */
  g_assert_cmphex (basemap_color (source, 30.95, 120.75, 11), ==, background);
  g_assert_cmphex (basemap_color (source, 30.75, 120.55, 11), ==, background);
  /* The whole square in one tile, and a street-level tile inside it. */
  g_assert_cmphex (basemap_color (source, 30.75, 120.75, 8), ==, land);
  g_assert_cmphex (basemap_color (source, 30.75, 120.75, 18), ==, land);
  g_assert_cmphex (basemap_color (source, 30.66, 120.64, 18), ==, background);

  /* The outline: the west edge is neither land nor background. */
  edge = basemap_color (source, 30.75, 120.6, 11);
  g_assert_cmphex (edge, !=, land);
  g_assert_cmphex (edge, !=, background);

  /* Far away (Beijing): background only. */
  ld_mercator_to_tile (39.9, 116.4, 11, &x, &y);
  far = get_tile (SHUMATE_DATA_SOURCE (source), x, y, 11, &n_received, &error);
  g_assert_no_error (error);
  texture = decode (far);
  for (int py = 0; py < 256; py += 15)
    for (int px = 0; px < 256; px += 15)
      g_assert_cmphex (texture_pixel (texture, px, py), ==, background);

  /* The same tile twice is the same bytes. */
  ld_mercator_to_tile (30.6, 120.6, 12, &x, &y);
  first = get_tile (SHUMATE_DATA_SOURCE (source), x, y, 12, &n_received, &error);
  g_assert_no_error (error);
  second = get_tile (SHUMATE_DATA_SOURCE (source), x, y, 12, &n_received, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (first, second));

  map_source = ld_basemap_source_new_map_source (source);
  g_assert_cmpstr (shumate_map_source_get_id (map_source), ==, "offline");
  g_assert_cmpstr (shumate_map_source_get_name (map_source), ==, "Offline basemap");
  g_assert_cmpuint (shumate_map_source_get_min_zoom_level (map_source), ==, 0);
  g_assert_cmpuint (shumate_map_source_get_max_zoom_level (map_source), ==, 18);
}

/* Districts drawn over their city: the land stays land, the shared edge
 * takes the district's line and the city's edge the city's. */
static void
test_basemap_depths (void)
{
  g_autoptr(LdBasemapSource) source = ld_basemap_source_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(LdBoundary) city = ld_boundary_new_from_geojson (
    "{\"type\": \"Polygon\", \"coordinates\": [[[120.0, 30.0], [122.0, 30.0], [122.0, 31.0], [120.0, 31.0], [120.0, 30.0]]]}",
    LD_DATUM_WGS84, &error);
  g_autoptr(LdBoundary) west = ld_boundary_new_from_geojson (
    "{\"type\": \"MultiPolygon\", \"coordinates\": ["
    "[[[120.0, 30.0], [121.0, 30.0], [121.0, 31.0], [120.0, 31.0], [120.0, 30.0]]],"
    "[[[120.2, 31.2], [120.4, 31.2], [120.4, 31.4], [120.2, 31.4], [120.2, 31.2]]]]}",
    LD_DATUM_WGS84, &error);
  GdkRGBA background_rgba, land_rgba;
  guint32 land, city_edge, district_edge;

  g_assert_no_error (error);
  ld_basemap_source_get_colors (&background_rgba, &land_rgba);
  land = rgba_to_rgb (&land_rgba);
  /* Districts may come before their city. */
  ld_basemap_source_add_region (source, west, 1);
  ld_basemap_source_add_region (source, city, 0);

  g_assert_cmphex (basemap_color (source, 30.5, 120.5, 9), ==, land);
  g_assert_cmphex (basemap_color (source, 30.5, 121.5, 9), ==, land);
  /* The district's second polygon, outside the city. */
  g_assert_cmphex (basemap_color (source, 31.3, 120.3, 9), ==, land);
  city_edge = basemap_color (source, 30.5, 120.0, 9);
  district_edge = basemap_color (source, 30.5, 121.0, 9);
  g_assert_cmphex (city_edge, !=, land);
  g_assert_cmphex (district_edge, !=, land);
  g_assert_cmphex (city_edge, !=, district_edge);
}

/* A tile server on loopback, as a center's intranet has: solid tiles, one
 * colour for the tile at @marked and another for the rest, and a log of
 * what was asked. */
typedef struct {
  SoupServer *server;
  char       *marked;     /* "/z/x/y.png" */
  GBytes     *marked_png;
  GBytes     *png;
  GHashTable *requested;  /* "/z/x/y.png" */
  guint       port;
} TileServer;

static void
serve_tile (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  TileServer *ts = data;
  gsize size;
  gconstpointer png = g_bytes_get_data (g_str_equal (path, ts->marked) ? ts->marked_png : ts->png, &size);

  g_hash_table_add (ts->requested, g_strdup (path));
  soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY, png, size);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

static void
tile_server_start (TileServer *ts, const char *marked, guint32 marked_rgb, guint32 rgb)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  ts->server = soup_server_new (NULL, NULL);
  ts->marked = g_strdup (marked);
  ts->marked_png = solid_png (marked_rgb);
  ts->png = solid_png (rgb);
  ts->requested = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  soup_server_add_handler (ts->server, NULL, serve_tile, ts, NULL);
  soup_server_listen_local (ts->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (ts->server);
  ts->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
tile_server_stop (TileServer *ts)
{
  soup_server_disconnect (ts->server);
  g_clear_object (&ts->server);
  g_clear_pointer (&ts->marked, g_free);
  g_clear_pointer (&ts->marked_png, g_bytes_unref);
  g_clear_pointer (&ts->png, g_bytes_unref);
  g_clear_pointer (&ts->requested, g_hash_table_unref);
}

typedef struct {
  GHashTable *requested;
  const char *path;
} Requested;

static gboolean
was_requested (gpointer data)
{
  Requested *r = data;

  return g_hash_table_contains (r->requested, r->path);
}

/* What @widget shows at (@fx, @fy) shares of its size, as 0xRRGGBB;
 * FALSE before it has been laid out. */
static gboolean
widget_pixel (GtkWidget *widget, double fx, double fy, guint32 *rgb)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = NULL;
  GtkSnapshot *snapshot;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  if (width == 0 || height == 0)
    return FALSE;
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return FALSE;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  *rgb = texture_pixel (texture, fx * width, fy * height);
  return TRUE;
}

typedef struct {
  GtkWidget *widget;
  double     fx, fy;  /* across and down, as shares of the size it gets */
  guint32    rgb;
} Shows;

static gboolean
shows_color (gpointer data)
{
  Shows *s = data;
  guint32 rgb;

  return widget_pixel (s->widget, s->fx, s->fy, &rgb) && near (rgb, s->rgb);
}

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Waits for a pixel: nothing else may wake the main loop once the map is
 * idle, so a ticker does. */
static void
wait_for_color (GtkWidget *widget, double fx, double fy, guint32 rgb, const char *what)
{
  Shows shows = { widget, fx, fy, rgb };
  guint ticker = g_timeout_add (50, tick, NULL);

  ld_test_wait_until (shows_color, &shows, what);
  g_source_remove (ticker);
}

static GtkWidget *
map_window (GtkWidget *map)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 480, 360);
  gtk_window_set_child (GTK_WINDOW (window), map);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/* libshumate asks the server for the tile our arithmetic expects under
 * the centre, and draws it there. */
static void
test_xyz_server (void)
{
  TileServer ts = { 0, };
  g_autofree char *url = NULL;
  g_autofree char *center = NULL;
  g_autoptr(ShumateRasterRenderer) source = NULL;
  ShumateSimpleMap *simple;
  ShumateMap *map;
  GtkWidget *window;
  Requested requested;
  int x, y;


  ld_mercator_to_tile (30.75, 120.75, 10, &x, &y);
  center = g_strdup_printf ("/10/%d/%d.png", x, y);
  tile_server_start (&ts, center, BLUE, RED);
  url = g_strdup_printf ("http://127.0.0.1:%u/{z}/{x}/{y}.png", ts.port);
  source = shumate_raster_renderer_new_full_from_url ("intranet", "Intranet", NULL, NULL, 0, 18, 256,
                                                      SHUMATE_MAP_PROJECTION_MERCATOR, url);
  simple = shumate_simple_map_new ();
  shumate_simple_map_set_map_source (simple, SHUMATE_MAP_SOURCE (source));
  map = shumate_simple_map_get_map (simple);
  shumate_viewport_set_zoom_level (shumate_map_get_viewport (map), 10);
  shumate_map_center_on (map, 30.75, 120.75);
  window = map_window (GTK_WIDGET (simple));

  requested = (Requested) { ts.requested, center };
  ld_test_wait_until (was_requested, &requested, center);
  wait_for_color (GTK_WIDGET (map), 0.5, 0.5, BLUE, "the centre tile in the middle");
  wait_for_color (GTK_WIDGET (map), 0.01, 0.01, RED, "another tile in the corner");
  g_test_message ("%u tiles requested", g_hash_table_size (ts.requested));

  gtk_window_destroy (GTK_WINDOW (window));
  tile_server_stop (&ts);
}

static void
test_basemap_map (void)
{
  g_autoptr(LdBasemapSource) basemap = ld_basemap_source_new ();
  g_autoptr(LdBoundary) boundary = test_boundary ();
  g_autoptr(ShumateMapSource) source = NULL;
  ShumateMap *map;
  ShumateViewport *viewport;
  GtkWidget *window;
  GdkRGBA background, land;


  ld_basemap_source_get_colors (&background, &land);
  ld_basemap_source_add_region (basemap, boundary, 0);
  source = ld_basemap_source_new_map_source (basemap);
  map = shumate_map_new ();
  viewport = shumate_map_get_viewport (map);
  shumate_viewport_set_reference_map_source (viewport, source);
  shumate_map_add_layer (map, SHUMATE_LAYER (shumate_map_layer_new (source, viewport)));
  shumate_viewport_set_zoom_level (viewport, 10);
  shumate_map_center_on (map, 30.75, 120.75);
  window = map_window (GTK_WIDGET (map));

  /* The square spans about 220 by 250 pixels at zoom 10: its middle is
   * land, the window's corner lies beyond it. */
  wait_for_color (GTK_WIDGET (map), 0.5, 0.5, rgba_to_rgb (&land), "land in the middle");
  wait_for_color (GTK_WIDGET (map), 0.01, 0.01, rgba_to_rgb (&background), "background in the corner");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Two frames drawn: the marks' positions are those of the last frame. */
static void
run_frames (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gint64 target = gdk_frame_clock_get_frame_counter (clock) + 2;

  while (gdk_frame_clock_get_frame_counter (clock) < target)
    {
      gtk_widget_queue_draw (widget);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean
is_allocated (gpointer data)
{
  return gtk_widget_get_width (data) > 100;
}

/* Tiles in GCJ-02 (most Chinese maps) are offset from GPS by hundreds of
 * metres: the view draws a WGS84 position where the tiles put it, takes a
 * click back to WGS84, and draws the marks there too. */
static void
test_gcj02_positions (void)
{
  g_autoptr(LdBasemapSource) basemap = ld_basemap_source_new ();
  g_autoptr(ShumateMapSource) source = ld_basemap_source_new_map_source (basemap);
  const double lat = 30.7536, lon = 120.7585;   /* 南湖区, in WGS84 */
  const LdMapPoint point = { lat, lon, LD_MAP_POINT_NEW, 0 };
  const char *ids[] = { "incident-1" };
  LdMapView *view;
  ShumateViewport *viewport;
  GtkWidget *window;
  double gcj_lat, gcj_lon, x, y, wx, wy, back_lat, back_lon;
  guint index, count;


  view = ld_map_view_new ();
  viewport = ld_map_view_get_viewport (view);
  window = map_window (GTK_WIDGET (view));
  ld_test_wait_until (is_allocated, view, "the map's size");
  ld_map_view_set_map_source (view, source, LD_DATUM_GCJ02);
  ld_map_view_go_to (view, lat, lon, 15);
  ld_point_layer_set_points (ld_map_view_get_incidents (view), &point, ids, 1);

  ld_geo_wgs84_to_gcj02 (lat, lon, &gcj_lat, &gcj_lon);
  ld_map_view_to_widget (view, lat, lon, &x, &y);
  shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (view), gcj_lat, gcj_lon, &wx, &wy);
  g_assert_cmpfloat_with_epsilon (x, wx, 0.5);
  g_assert_cmpfloat_with_epsilon (y, wy, 0.5);
  /* Where the GPS position would be is far from it at street zoom. */
  shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (view), lat, lon, &wx, &wy);
  g_assert_cmpfloat (hypot (x - wx, y - wy), >, 40);

  ld_map_view_to_location (view, x, y, &back_lat, &back_lon);
  g_assert_cmpfloat_with_epsilon (back_lat, lat, 1e-5);
  g_assert_cmpfloat_with_epsilon (back_lon, lon, 1e-5);

  /* The mark is drawn, and picked, where the tiles have the place. */
  gtk_widget_queue_draw (GTK_WIDGET (view));
  run_frames (GTK_WIDGET (view));
  g_assert_true (ld_point_layer_pick (ld_map_view_get_incidents (view), x, y, &index, &count, NULL, NULL));
  g_assert_cmpuint (index, ==, 0);
  g_assert_cmpuint (count, ==, 1);
  g_assert_false (ld_point_layer_pick (ld_map_view_get_incidents (view), wx, wy, NULL, NULL, NULL, NULL));

  /* Back to WGS84 tiles: the same position is drawn at the GPS place. */
  ld_map_view_set_map_source (view, source, LD_DATUM_WGS84);
  ld_map_view_to_widget (view, lat, lon, &x, &y);
  shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (view), lat, lon, &wx, &wy);
  g_assert_cmpfloat_with_epsilon (x, wx, 0.5);
  g_assert_cmpfloat_with_epsilon (y, wy, 0.5);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  /* libshumate decodes tiles with gdk-pixbuf, which picks its loader by
   * content type: keep the system's MIME database through the isolation. */
  g_content_type_set_mime_dirs (NULL);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  ld_test_display_start ();
  if (!gtk_init_check ())
    g_error ("GTK cannot open the display %s", g_getenv ("DISPLAY"));
  g_test_add_func ("/map/mbtiles/read", test_mbtiles_read);
  g_test_add_func ("/map/view/gcj02-positions", test_gcj02_positions);
  g_test_add_func ("/map/mbtiles/shared", test_mbtiles_shared);
  g_test_add_func ("/map/mbtiles/invalid", test_mbtiles_invalid);
  g_test_add_func ("/map/basemap/pixels", test_basemap_pixels);
  g_test_add_func ("/map/basemap/depths", test_basemap_depths);
  g_test_add_func ("/map/xyz/server", test_xyz_server);
  g_test_add_func ("/map/basemap/map", test_basemap_map);
  return g_test_run ();
}
