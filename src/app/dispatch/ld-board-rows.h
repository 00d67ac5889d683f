/* ld-board-rows.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-board-filter.h"
#include "ld-incident-table.h"
#include "ld-sync-engine.h"

G_BEGIN_DECLS

#define LD_TYPE_BOARD_ROWS (ld_board_rows_get_type ())

G_DECLARE_FINAL_TYPE (LdBoardRows, ld_board_rows, LD, BOARD_ROWS, GObject)

/* The duty board's rows as the desk shows them: every open incident and
 * those of the last day, live from the engine's replica, or the incidents
 * a search finds; through the state and region filters; with the one the
 * dispatcher chose. "summary" counts them in a line; "search-error" is
 * why the last search could not be read, or NULL. "changed" says the rows
 * or their states may have changed, for what draws them elsewhere. */
LdBoardRows        *ld_board_rows_new           (void);
/* (nullable): the engine whose replica the board follows, kept by a ref */
void                ld_board_rows_set_engine    (LdBoardRows *self,
                                                 LdSyncEngine *engine);
/* (transfer none) (nullable): the whole board, whatever is searched or
 * filtered; NULL without an engine */
GListModel         *ld_board_rows_get_model     (LdBoardRows *self);
/* (transfer none): the rows shown, and the one chosen */
GtkSingleSelection *ld_board_rows_get_selection (LdBoardRows *self);
/* Shows what @query finds instead of the board; "" shows the board. A
 * failed search leaves the rows as they were. @query is copied. */
void                ld_board_rows_search        (LdBoardRows *self,
                                                 const char  *query);
void                ld_board_rows_set_show      (LdBoardRows *self,
                                                 LdBoardShow  show);
/* (nullable): NULL shows every region */
void                ld_board_rows_set_region    (LdBoardRows *self,
                                                 const char  *region_code);
/* The clock moved: the countdowns and the deadlines passed with it. */
void                ld_board_rows_tick          (LdBoardRows *self);
/* (transfer none): valid until the rows next change ("notify::summary") */
const char         *ld_board_rows_get_summary   (LdBoardRows *self);
/* What the table shows in its place, with the summary. */
LdIncidentTableView ld_board_rows_get_view      (LdBoardRows *self);
/* (transfer none) (nullable) */
const GError       *ld_board_rows_get_search_error (LdBoardRows *self);

G_END_DECLS
