/* ld-test-city.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ld-store.h"

G_BEGIN_DECLS

/* A tiny city for tests: region "C" with two square districts "A" (lat 30–31,
 * lon 120–121) and "B" (lat 30–31, lon 121–122); units "POL" (police, tier 1),
 * "MKT" (market, tier 2, in A), "TOWN" (district center in B, signs in 60 s);
 * categories "noise" (immediate, default limits) and "fire" (joint, sign
 * 60 s, arrive 900 s). */
LdStore *ld_test_city_new      (const char *path);
gint64   ld_test_time          (LdStore    *store,
                                const char *local_text);

extern const LdActor ld_test_actor;

G_END_DECLS
