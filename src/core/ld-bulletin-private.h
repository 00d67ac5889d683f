/* ld-bulletin-private.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ld-bulletin.h"

G_BEGIN_DECLS

/* What the bulletin's writers and its page layout read of a table block;
 * for the core's bulletin files only. */

/* The cell at @row, @col of a table block. (transfer none) */
static inline const LdBulletinCell *
ld_bulletin_block_cell (const LdBulletinBlock *block,
                        guint                  row,
                        guint                  col)
{
  return &block->cells[row * block->n_cols + col];
}

/* The header rows' merged cells: for each header cell its row span at
 * [2 * (row * n_cols + col)] and its column span after it, both 0 for a
 * cell another covers. (transfer full) */
guint *ld_bulletin_block_header_spans (const LdBulletinBlock *block);

G_END_DECLS
