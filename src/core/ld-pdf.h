/* ld-pdf.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* A PDF document at @path, @width × @height points a page; NULL with
 * @error set when it cannot be made. (transfer full): give it to
 * ld_pdf_finish(), which frees it and says whether the file was
 * written. */
cairo_surface_t *ld_pdf_new    (const char      *path,
                                double           width,
                                double           height,
                                GError         **error);
/* Writes out and frees @surface (transfer full), saying whether the file
 * was written; @path only names the file in @error. */
gboolean         ld_pdf_finish (cairo_surface_t *surface,
                                const char      *path,
                                GError         **error);

G_END_DECLS
