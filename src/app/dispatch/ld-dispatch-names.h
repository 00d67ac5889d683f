/* ld-dispatch-names.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ld-store.h"

G_BEGIN_DECLS

#define LD_TYPE_DISPATCH_NAMES (ld_dispatch_names_get_type ())

G_DECLARE_FINAL_TYPE (LdDispatchNames, ld_dispatch_names, LD, DISPATCH_NAMES, GObject)

/* The names the dispatch desk shows for the codes its records hold:
 * regions, categories and units, read once when the desk opens. */
LdDispatchNames *ld_dispatch_names_new          (void);
/* Reads the names from @store. On failure the names read before are kept
 * and @error says why. */
gboolean         ld_dispatch_names_load         (LdDispatchNames *self,
                                                 LdStore         *store,
                                                 GError         **error);
/* (transfer none) (nullable): the name of @code, or @code when it has none;
 * a name is valid until the next load, @code as long as the caller's. */
const char      *ld_dispatch_names_region       (LdDispatchNames *self,
                                                 const char      *code);
const char      *ld_dispatch_names_category     (LdDispatchNames *self,
                                                 const char      *code);
const char      *ld_dispatch_names_unit         (LdDispatchNames *self,
                                                 const char      *code);
/* The regions in the store's order: how many, and the code of each
 * ((transfer none) (nullable): NULL past the end; valid until the next
 * load). */
guint            ld_dispatch_names_get_n_regions (LdDispatchNames *self);
const char      *ld_dispatch_names_region_code  (LdDispatchNames *self,
                                                 guint            position);

G_END_DECLS
