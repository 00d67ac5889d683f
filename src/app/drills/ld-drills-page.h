/* ld-drills-page.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-sync-engine.h"

G_BEGIN_DECLS

#define LD_TYPE_DRILLS_PAGE (ld_drills_page_get_type ())

G_DECLARE_FINAL_TYPE (LdDrillsPage, ld_drills_page, LD, DRILLS_PAGE, GtkWidget)

/* The Drills workspace: the drills held, newest first; the chosen one run
 * in the field (the alarm, a running clock, one tap per unit arriving,
 * corrections with a reason, notes) and its results; and the month's
 * table as the bulletin prints it. All of it read from the replica and
 * written through it, so it works offline; a read that fails is said
 * over the page, never shown as an empty list.
 * Its "engine" property (LdSyncEngine) is what it reads and writes
 * through, with times in the replica's time zone; set_engine sets it
 * with a time zone of the caller's (NULL: the replica's). @engine
 * (nullable) and @time_zone are kept by a ref. */
void        ld_drills_page_set_engine   (LdDrillsPage *self,
                                         LdSyncEngine *engine,
                                         GTimeZone    *time_zone);
/* Shows @drill_id (copied), as a click on its row. */
void        ld_drills_page_select       (LdDrillsPage *self,
                                         const char   *drill_id);
/* What the export buttons write after their file chooser: the chosen
 * drill's result, or the month's table shown; XLSX when @path ends in
 * ".xlsx", CSV otherwise. */
gboolean    ld_drills_page_export_drill (LdDrillsPage *self,
                                         const char   *path,
                                         GError      **error);
gboolean    ld_drills_page_export_month (LdDrillsPage *self,
                                         const char   *path,
                                         GError      **error);
/* What the photo button does after its file chooser: the image at @path,
 * upright and at most 1600 px a side, as a JPEG of the drill shown, or of
 * its unit @unit_code (NULL or "": the whole drill). */
gboolean    ld_drills_page_add_photo    (LdDrillsPage *self,
                                         const char   *path,
                                         const char   *unit_code,
                                         GError      **error);

G_END_DECLS
