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

GQuark   ld_import_error_quark (void);

/* Imports the interchange files found in @dir (regions.csv, regions.geojson,
 * units.csv, categories.csv, incidents.csv, orders.csv, feedback.csv,
 * drills.csv, drill_units.csv, roll_calls.csv) in one transaction: all or nothing. Every bad
 * row is added to @problems as "FILE:LINE: reason". @gcj02 says the
 * coordinates of the files are GCJ-02 (a GeoJSON "crs" says so too). */
gboolean ld_import_dir         (LdStore         *store,
                                const char      *dir,
                                gboolean         gcj02,
                                LdImportCounts  *counts,
                                GPtrArray       *problems,
                                GError         **error);

guint    ld_import_counts_total (const LdImportCounts *counts);

G_END_DECLS
