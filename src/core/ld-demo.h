/* ld-demo.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ld-store.h"

G_BEGIN_DECLS

typedef struct {
  guint   months;       /* whole months of history before the month of @until */
  gint64  until;        /* the moment the city is made at: its month runs up to
                         * it, nothing happens after it */
  guint32 seed;
  double  scale;        /* 1.0 = Jiaxing's volumes (seed 000) */
} LdDemoOptions;

typedef struct {
  guint incidents;
  guint orders;
  guint feedback;
  guint drills;
} LdDemoCounts;

void     ld_demo_options_init (LdDemoOptions   *options);
/* @counts (nullable) receives what was made. */
gboolean ld_demo_generate     (LdStore         *store,
                               const LdDemoOptions *options,
                               LdDemoCounts    *counts,
                               GError         **error);

G_END_DECLS
