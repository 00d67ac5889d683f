/* ld-pdf.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>

#include "ld-pdf.h"

cairo_surface_t *
ld_pdf_new (const char *path, double width, double height, GError **error)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (path, width, height);
  cairo_status_t status = cairo_surface_status (surface);

  if (status == CAIRO_STATUS_SUCCESS)
    return surface;
  cairo_surface_destroy (surface);
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, _("Cannot create %s: %s"), path,
               cairo_status_to_string (status));
  return NULL;
}

gboolean
ld_pdf_finish (cairo_surface_t *surface, const char *path, GError **error)
{
  cairo_status_t status;

  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, _("Cannot write %s: %s"), path,
               cairo_status_to_string (status));
  return FALSE;
}
