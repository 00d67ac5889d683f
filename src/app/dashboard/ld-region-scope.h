/* ld-region-scope.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LD_TYPE_REGION_SCOPE (ld_region_scope_get_type ())

G_DECLARE_FINAL_TYPE (LdRegionScope, ld_region_scope, LD, REGION_SCOPE, GtkWidget)

/* The choice of the region a page's figures are for: the center, then each
 * region under the one above it, indented, so a district's leader reads
 * their district. Hidden while there is nothing to choose. The "region"
 * property is the code chosen, NULL for the whole center. */
/* @regions (element-type LdRegion): read, not kept. The region chosen
 * stays chosen while it exists; a new list notifies nothing. */
void        ld_region_scope_set_regions (LdRegionScope *self,
                                         GPtrArray     *regions);
/* (nullable) (transfer none) */
const char *ld_region_scope_get_region  (LdRegionScope *self);
/* Chooses @region_code (NULL, or a code not listed: the whole center). */
void        ld_region_scope_set_region  (LdRegionScope *self,
                                         const char    *region_code);

G_END_DECLS
