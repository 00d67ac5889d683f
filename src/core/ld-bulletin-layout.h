/* ld-bulletin-layout.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>

#include "ld-bulletin.h"

G_BEGIN_DECLS

/* A4 in points, the bulletin's paper. */
#define LD_BULLETIN_A4_WIDTH  595.28
#define LD_BULLETIN_A4_HEIGHT 841.89

/* The bulletin set in pages: where each block, or each part of a long one,
 * goes, and how a page is drawn. The one engine behind the PDF, print and
 * the desktop's preview, so that all three break their pages alike. */

#define LD_TYPE_BULLETIN_LAYOUT (ld_bulletin_layout_get_type ())

G_DECLARE_FINAL_TYPE (LdBulletinLayout, ld_bulletin_layout, LD, BULLETIN_LAYOUT, GObject)

/* Sets @bulletin's blocks, as they are now, in pages of @width × @height
 * (cairo units). Text is measured on @cr's font options and
 * transformation, those of the printer that will print it; with @cr NULL
 * it is measured as the PDF sets it (unhinted, whatever the screen), which
 * is how a preview must measure to show the PDF's pages. A page narrower
 * than A4 is set as A4 and drawn scaled to its width, so it breaks where
 * A4 does. The layout holds the blocks: after @bulletin's "changed" make a
 * new one. (transfer full): keeps a ref on the blocks' array, not on
 * @bulletin, and keeps nothing of @cr. */
LdBulletinLayout *ld_bulletin_layout_new         (LdBulletin       *bulletin,
                                                  cairo_t          *cr,
                                                  double            width,
                                                  double            height);
guint             ld_bulletin_layout_get_n_pages (LdBulletinLayout *self);
/* Paints page @page (from 0) on @cr, from its origin, @width × @height. */
void              ld_bulletin_layout_draw_page   (LdBulletinLayout *self,
                                                  cairo_t          *cr,
                                                  guint             page);

G_END_DECLS
