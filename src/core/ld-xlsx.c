/* ld-xlsx.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>

#include "ld-xlsx.h"

gboolean
ld_xlsx_close (lxw_workbook *book, lxw_error err, const char *path, GError **error)
{
  lxw_error close_err;
  int saved_errno;

  errno = 0;
  close_err = workbook_close (book);
  saved_errno = errno;
  if (err == LXW_NO_ERROR)
    err = close_err;
  /* The library says only that it could not create the file; the system
   * says why. */
  if (err == LXW_ERROR_CREATING_XLSX_FILE && saved_errno != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot create %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  if (err != LXW_NO_ERROR)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, _("Cannot write %s: %s"), path, lxw_strerror (err));
      return FALSE;
    }
  return TRUE;
}
