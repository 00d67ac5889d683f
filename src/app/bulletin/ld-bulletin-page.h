/* ld-bulletin-page.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-bulletin.h"
#include "ld-sync-engine.h"

G_BEGIN_DECLS

#define LD_TYPE_BULLETIN_PAGE (ld_bulletin_page_get_type ())

G_DECLARE_FINAL_TYPE (LdBulletinPage, ld_bulletin_page, LD, BULLETIN_PAGE, GtkWidget)

/* The Bulletin workspace: a month's bulletin (通报) as it will be sent,
 * page by page, beside the two parts a person writes (cases and
 * problems, proposed from the data); exported as PDF, XLSX or CSV and
 * printed. It opens on the last whole month, the one a center reports. */
/* The "engine" property sets the engine with its store's zone. The page
 * keeps a ref on @engine and on @time_zone. */
void         ld_bulletin_page_set_engine  (LdBulletinPage *self,
                                           LdSyncEngine   *engine,
                                           GTimeZone      *time_zone);
/* (nullable) (transfer none) */
LdSyncEngine *ld_bulletin_page_get_engine (LdBulletinPage *self);
void         ld_bulletin_page_show_month  (LdBulletinPage *self,
                                           int             year,
                                           int             month);
/* (nullable) (transfer none): the bulletin shown, NULL when none could be
 * read; the page drops it when it shows another month. */
LdBulletin  *ld_bulletin_page_get_bulletin (LdBulletinPage *self);
guint        ld_bulletin_page_get_n_pages (LdBulletinPage *self);
/* Writes the bulletin shown, edits and all: PDF, XLSX or CSV by @path's
 * suffix. */
gboolean     ld_bulletin_page_export      (LdBulletinPage *self,
                                           const char     *path,
                                           GError        **error);
/* Prints through GTK's print dialog, or, with @pdf_path, prints to that
 * file with no dialog (what the tests check). */
gboolean     ld_bulletin_page_print       (LdBulletinPage *self,
                                           const char     *pdf_path,
                                           GError        **error);

G_END_DECLS
