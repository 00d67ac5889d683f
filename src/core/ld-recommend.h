/* ld-recommend.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ld-store.h"

G_BEGIN_DECLS

/* The units the responsibility list sends a matter of @category_code at a
 * place in @region_code to: for each responsible kind of unit, in the
 * list's order, the active unit of that kind in the region, else in the
 * region above, and so up to the city; within one region the lowest tier,
 * then the code. A region of NULL starts at the city. A kind no region on
 * the way has is left out, and so is an unknown category: the result is
 * then empty, not an error. Returns (transfer full) (element-type LdUnit):
 * the array frees its units with ld_unit_free and the caller unrefs it; or
 * NULL with @error set when the store fails. */
GPtrArray *ld_recommend_units (LdStore    *store,
                               const char *category_code,
                               const char *region_code,
                               GError    **error);

G_END_DECLS
