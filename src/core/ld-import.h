/* ld-import.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ld-store.h"

G_BEGIN_DECLS

#define LD_IMPORT_ERROR (ld_import_error_quark ())

typedef enum {
  LD_IMPORT_ERROR_BAD_ROWS,   /* see the problems list; nothing was imported */
  LD_IMPORT_ERROR_NO_FILES,   /* the folder holds none of the contract's files */
} LdImportError;

typedef struct {
  guint regions;
  guint boundaries;
  guint units;
  guint categories;
  guint incidents;
  guint orders;
  guint feedback;
  guint drills;
  guint drill_units;
  guint roll_calls;
} LdImportCounts;

typedef enum {
  LD_IMPORT_GCJ02   = 1 << 0,  /* the files' coordinates are GCJ-02 */
  LD_IMPORT_DRY_RUN = 1 << 1,  /* check and count everything, then keep nothing */
} LdImportFlags;

GQuark   ld_import_error_quark (void);

/* Imports the interchange files found in @dir (regions.csv, regions.geojson,
 * units.csv, categories.csv, incidents.csv, orders.csv, feedback.csv,
 * drills.csv, drill_units.csv, roll_calls.csv) in one transaction: all or nothing. Every bad
 * row is added to @problems as "FILE:LINE: reason". @gcj02 says the
 * coordinates of the files are GCJ-02 (a GeoJSON "crs" says so too).
 * @counts and @problems are (nullable) and the caller's; @problems is
 * (element-type utf8) and gets newly allocated strings: make it with
 * g_free() as its free function. */
gboolean ld_import_dir         (LdStore         *store,
                                const char      *dir,
                                gboolean         gcj02,
                                LdImportCounts  *counts,
                                GPtrArray       *problems,
                                GError         **error);

/* ld_import_dir(), and every row imported as the source system recorded
 * it though the live state machine would not have (an order arrived or
 * completed with no signature) added to @warnings (may be NULL) as
 * "FILE:LINE: what". With LD_IMPORT_DRY_RUN the store is left as it was
 * and the counts say what an import would bring. @warnings is owned as
 * @problems is: (nullable) (element-type utf8), its new strings g_free()d
 * by the array. */
gboolean ld_import_dir_full    (LdStore         *store,
                                const char      *dir,
                                LdImportFlags    flags,
                                LdImportCounts  *counts,
                                GPtrArray       *problems,
                                GPtrArray       *warnings,
                                GError         **error);

guint    ld_import_counts_total (const LdImportCounts *counts);

G_END_DECLS
