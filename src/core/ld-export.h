/* ld-export.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ld-store.h"

G_BEGIN_DECLS

/* Writes the whole store as the interchange files (regions.csv,
 * regions.geojson, units.csv, categories.csv, incidents.csv, orders.csv,
 * feedback.csv, drills.csv, drill_units.csv, roll_calls.csv) into @dir, which is created.
 * Importing them into an empty store gives back the same records. */
gboolean ld_export_dir (LdStore     *store,
                        const char  *dir,
                        guint       *n_rows,
                        GError     **error);

G_END_DECLS
