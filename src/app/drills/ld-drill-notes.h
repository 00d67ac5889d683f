/* ld-drill-notes.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-drill-query.h"

G_BEGIN_DECLS

#define LD_TYPE_DRILL_NOTES (ld_drill_notes_get_type ())

G_DECLARE_FINAL_TYPE (LdDrillNotes, ld_drill_notes, LD, DRILL_NOTES, GtkWidget)

/* The notes on a drill, each with when, who and the unit it is about;
 * an inspector or an admin adds one in the row under them, which emits
 * "add" (the text): the handler returns TRUE once it is logged, and the
 * row is emptied. */
/* @query is kept by a ref. */
void     ld_drill_notes_set_query (LdDrillNotes *self,
                                   LdDrillQuery *query);
/* Shows @drill_id's notes, naming their units by @unit_names (code to
 * name): (transfer none), read now and not kept. */
gboolean ld_drill_notes_show      (LdDrillNotes *self,
                                   const char   *drill_id,
                                   GHashTable   *unit_names,
                                   GError      **error);

G_END_DECLS
