/* ld-xlsx.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <xlsxwriter.h>

G_BEGIN_DECLS

/* Writes @book to its file and frees it, whatever @err says: @err is the
 * first error met while filling it (LXW_NO_ERROR when none). Fails with a
 * GError naming @path and the reason. */
gboolean ld_xlsx_close (lxw_workbook *book,
                        lxw_error     err,
                        const char   *path,
                        GError      **error);

G_END_DECLS
