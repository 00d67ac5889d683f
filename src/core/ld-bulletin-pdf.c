/* ld-bulletin-pdf.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <cairo-pdf.h>

#include "ld-bulletin-layout.h"
#include "ld-pdf.h"

/* The bulletin as a PDF: A4 pages as the layout sets them, the title and
 * the center in its metadata. */

gboolean
ld_bulletin_write_pdf (LdBulletin *self, const char *path, GError **error)
{
  g_autoptr(LdBulletinLayout) layout = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  guint n_pages;

  g_return_val_if_fail (LD_IS_BULLETIN (self), FALSE);

  if ((surface = ld_pdf_new (path, LD_BULLETIN_A4_WIDTH, LD_BULLETIN_A4_HEIGHT, error)) == NULL)
    return FALSE;
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE,
                                  ((LdBulletinBlock *) g_ptr_array_index (ld_bulletin_get_blocks (self), 0))->text);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR,
                                  ld_report_get_center_name (ld_bulletin_get_report (self)));
  /* Set as the preview sets it (no cairo context of ours), so the two
   * never disagree on where a page ends. */
  layout = ld_bulletin_layout_new (self, NULL, LD_BULLETIN_A4_WIDTH, LD_BULLETIN_A4_HEIGHT);
  n_pages = ld_bulletin_layout_get_n_pages (layout);
  cr = cairo_create (surface);
  for (guint p = 0; p < n_pages; p++)
    {
      ld_bulletin_layout_draw_page (layout, cr, p);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  return ld_pdf_finish (surface, path, error);
}
