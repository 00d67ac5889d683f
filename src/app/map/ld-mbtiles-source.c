/* ld-mbtiles-source.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "ld-mbtiles-source.h"
#include "ld-mercator.h"
#include "ld-tile-task.h"

struct _LdMbtilesSource
{
  ShumateDataSource parent_instance;

  sqlite3      *db;
  /* Shared by the worker threads, one at a time under the connection's
   * mutex: preparing it once also proves the file has a tiles table. */
  sqlite3_stmt *tile_stmt;
  char         *display_name;  /* the file, for messages */
  char         *name;
  char         *attribution;
  guint         min_zoom;
  guint         max_zoom;
};

G_DEFINE_FINAL_TYPE (LdMbtilesSource, ld_mbtiles_source, SHUMATE_TYPE_DATA_SOURCE)

G_DEFINE_QUARK (ld-mbtiles-error-quark, ld_mbtiles_error)

/* libshumate's raster renderer decodes tiles with gdk-pixbuf: these are
 * the MBTiles formats it can read. */
static const char * const image_formats[] = { "png", "jpg", "jpeg", "webp", NULL };

static GBytes *
read_tile (ShumateDataSource  *source,
           int                 x,
           int                 y,
           int                 zoom,
           GCancellable       *cancellable,
           GError            **error)
{
  LdMbtilesSource *self = LD_MBTILES_SOURCE (source);
  sqlite3_mutex *mutex = sqlite3_db_mutex (self->db);
  GBytes *bytes = NULL;
  int rc;

  sqlite3_mutex_enter (mutex);
  sqlite3_bind_int (self->tile_stmt, 1, zoom);
  sqlite3_bind_int (self->tile_stmt, 2, x);
  /* MBTiles numbers rows from the south (TMS), XYZ from the north. */
  sqlite3_bind_int (self->tile_stmt, 3, (1 << zoom) - 1 - y);
  rc = sqlite3_step (self->tile_stmt);
  if (rc == SQLITE_ROW && sqlite3_column_type (self->tile_stmt, 0) == SQLITE_BLOB)
    bytes = g_bytes_new (sqlite3_column_blob (self->tile_stmt, 0),
                         sqlite3_column_bytes (self->tile_stmt, 0));
  else if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("“%s” has no tile %d/%d/%d"), self->display_name, zoom, x, y);
  else
    g_set_error (error, LD_MBTILES_ERROR, LD_MBTILES_ERROR_INVALID,
                 _("Cannot read a tile from “%s”: %s"), self->display_name, sqlite3_errmsg (self->db));
  sqlite3_reset (self->tile_stmt);
  sqlite3_mutex_leave (mutex);

  return bytes;
}

static void
ld_mbtiles_source_get_tile_data_async (ShumateDataSource   *source,
                                       int                  x,
                                       int                  y,
                                       int                  zoom_level,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  ld_tile_task_run (source, read_tile, x, y, zoom_level, cancellable, callback, user_data);
}

static void
ld_mbtiles_source_finalize (GObject *object)
{
  LdMbtilesSource *self = LD_MBTILES_SOURCE (object);

  sqlite3_finalize (self->tile_stmt);
  sqlite3_close (self->db);
  g_free (self->display_name);
  g_free (self->name);
  g_free (self->attribution);

  G_OBJECT_CLASS (ld_mbtiles_source_parent_class)->finalize (object);
}

static void
ld_mbtiles_source_class_init (LdMbtilesSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateDataSourceClass *source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  object_class->finalize = ld_mbtiles_source_finalize;
  source_class->get_tile_data_async = ld_mbtiles_source_get_tile_data_async;
  source_class->get_tile_data_finish = ld_tile_task_finish;
}

static void
ld_mbtiles_source_init (LdMbtilesSource *self)
{
}

/* A zoom level from the metadata, or -1 when absent or not a zoom. */
static int
parse_zoom (const char *text)
{
  guint64 zoom;

  if (text && g_ascii_string_to_unsigned (text, 10, 0, 30, &zoom, NULL))
    return (int) zoom;
  return -1;
}

/* The metadata table is optional in files made by older tools: without it
 * everything comes from the tiles themselves. */
static GHashTable *
read_metadata (sqlite3 *db)
{
  GHashTable *metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT name, value FROM metadata", -1, &stmt, NULL) != SQLITE_OK)
    return metadata;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      const char *value = (const char *) sqlite3_column_text (stmt, 1);

      if (name && value && *value)
        g_hash_table_insert (metadata, g_strdup (name), g_strdup (value));
    }
  sqlite3_finalize (stmt);

  return metadata;
}

/* The zoom range the metadata leaves out, from the tiles themselves. */
static gboolean
read_zoom_range (LdMbtilesSource  *self,
                 int              *min_zoom,
                 int              *max_zoom,
                 GError          **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  if (sqlite3_prepare_v2 (self->db, "SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles",
                          -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW &&
      sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    {
      if (*min_zoom < 0)
        *min_zoom = CLAMP (sqlite3_column_int (stmt, 0), 0, 30);
      if (*max_zoom < 0)
        *max_zoom = CLAMP (sqlite3_column_int (stmt, 1), 0, 30);
      found = TRUE;
    }
  else
    g_set_error (error, LD_MBTILES_ERROR, LD_MBTILES_ERROR_INVALID,
                 _("“%s” holds no tiles"), self->display_name);
  sqlite3_finalize (stmt);

  return found;
}

LdMbtilesSource *
ld_mbtiles_source_new (const char  *path,
                       GError     **error)
{
  g_autoptr(LdMbtilesSource) self = g_object_new (LD_TYPE_MBTILES_SOURCE, NULL);
  g_autoptr(GHashTable) metadata = NULL;
  g_autofree char *basename = NULL;
  const char *format;
  int min_zoom, max_zoom;

  g_return_val_if_fail (path != NULL, NULL);

  self->display_name = g_filename_display_name (path);
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, LD_MBTILES_ERROR, LD_MBTILES_ERROR_OPEN,
                   _("Cannot open “%s”: %s"), self->display_name, sqlite3_errmsg (self->db));
      return NULL;
    }
  if (sqlite3_prepare_v2 (self->db,
                          "SELECT tile_data FROM tiles"
                          " WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                          -1, &self->tile_stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, LD_MBTILES_ERROR, LD_MBTILES_ERROR_INVALID,
                   _("“%s” is not an MBTiles file: %s"), self->display_name, sqlite3_errmsg (self->db));
      return NULL;
    }

  metadata = read_metadata (self->db);
  format = g_hash_table_lookup (metadata, "format");
  if (format && !g_strv_contains (image_formats, format))
    {
      g_set_error (error, LD_MBTILES_ERROR, LD_MBTILES_ERROR_UNSUPPORTED,
                   _("“%s” holds tiles in the “%s” format; only PNG, JPEG and WebP tiles can be shown"),
                   self->display_name, format);
      return NULL;
    }

  min_zoom = parse_zoom (g_hash_table_lookup (metadata, "minzoom"));
  max_zoom = parse_zoom (g_hash_table_lookup (metadata, "maxzoom"));
  if ((min_zoom < 0 || max_zoom < 0) && !read_zoom_range (self, &min_zoom, &max_zoom, error))
    return NULL;
  self->min_zoom = MIN (min_zoom, max_zoom);
  self->max_zoom = MAX (min_zoom, max_zoom);

  basename = g_path_get_basename (self->display_name);
  self->name = g_strdup (g_hash_table_lookup (metadata, "name"));
  if (self->name == NULL)
    self->name = g_steal_pointer (&basename);
  self->attribution = g_strdup (g_hash_table_lookup (metadata, "attribution"));

  return g_steal_pointer (&self);
}

const char *
ld_mbtiles_source_get_name (LdMbtilesSource *self)
{
  g_return_val_if_fail (LD_IS_MBTILES_SOURCE (self), NULL);

  return self->name;
}

guint
ld_mbtiles_source_get_min_zoom (LdMbtilesSource *self)
{
  g_return_val_if_fail (LD_IS_MBTILES_SOURCE (self), 0);

  return self->min_zoom;
}

guint
ld_mbtiles_source_get_max_zoom (LdMbtilesSource *self)
{
  g_return_val_if_fail (LD_IS_MBTILES_SOURCE (self), 0);

  return self->max_zoom;
}

ShumateMapSource *
ld_mbtiles_source_new_map_source (const char  *path,
                                  GError     **error)
{
  g_autoptr(LdMbtilesSource) self = ld_mbtiles_source_new (path, error);

  if (self == NULL)
    return NULL;
  return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full ("mbtiles", self->name, self->attribution, NULL,
                                                               self->min_zoom, self->max_zoom,
                                                               LD_MERCATOR_TILE_SIZE,
                                                               SHUMATE_MAP_PROJECTION_MERCATOR,
                                                               SHUMATE_DATA_SOURCE (self)));
}
