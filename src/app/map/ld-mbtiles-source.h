/* ld-mbtiles-source.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

#define LD_MBTILES_ERROR (ld_mbtiles_error_quark ())

typedef enum {
  LD_MBTILES_ERROR_OPEN,         /* the file cannot be opened */
  LD_MBTILES_ERROR_INVALID,      /* not an MBTiles file, or a damaged one */
  LD_MBTILES_ERROR_UNSUPPORTED,  /* tiles in a format other than PNG, JPEG or WebP */
} LdMbtilesError;

GQuark ld_mbtiles_error_quark (void);

#define LD_TYPE_MBTILES_SOURCE (ld_mbtiles_source_get_type ())

G_DECLARE_FINAL_TYPE (LdMbtilesSource, ld_mbtiles_source, LD, MBTILES_SOURCE, ShumateDataSource)

/* Raster tiles from an MBTiles file, opened read-only. A tile the file
 * lacks fails with G_IO_ERROR_NOT_FOUND, and libshumate leaves its place
 * empty. */
LdMbtilesSource  *ld_mbtiles_source_new            (const char       *path,
                                                    GError          **error);
/* (transfer none): the source's, for its lifetime. */
const char       *ld_mbtiles_source_get_name       (LdMbtilesSource  *self);
guint             ld_mbtiles_source_get_min_zoom   (LdMbtilesSource  *self);
guint             ld_mbtiles_source_get_max_zoom   (LdMbtilesSource  *self);

/* The file as a map source: 256-pixel Mercator tiles over the file's zoom
 * range, with its attribution as the license. (transfer full): the caller
 * unrefs it. */
ShumateMapSource *ld_mbtiles_source_new_map_source (const char       *path,
                                                    GError          **error);

G_END_DECLS
