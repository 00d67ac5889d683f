/* ld-board-filter.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-store.h"

G_BEGIN_DECLS

#define LD_TYPE_BOARD_FILTER (ld_board_filter_get_type ())

G_DECLARE_FINAL_TYPE (LdBoardFilter, ld_board_filter, LD, BOARD_FILTER, GtkFilter)

/* Which of the duty board's rows show, in the order of the board's
 * state menu. */
typedef enum {
  LD_BOARD_SHOW_ALL,
  LD_BOARD_SHOW_OPEN,
  LD_BOARD_SHOW_NEW,
  LD_BOARD_SHOW_OVERDUE,
} LdBoardShow;

/* Keeps the board's LdIncidentItem rows in a state and, when a region is
 * set, in that region or a region under it. */
LdBoardFilter *ld_board_filter_new         (void);
/* (nullable): the store that knows the regions, kept by a ref; without
 * one no region narrows the board */
void           ld_board_filter_set_store   (LdBoardFilter *self,
                                            LdStore       *store);
void           ld_board_filter_set_show    (LdBoardFilter *self,
                                            LdBoardShow    show);
/* (nullable): NULL shows every region; the code is copied */
void           ld_board_filter_set_region  (LdBoardFilter *self,
                                            const char    *region_code);
/* Whether it hides any row now. */
gboolean       ld_board_filter_is_active   (LdBoardFilter *self);
/* The rows' states change in place, and deadlines pass: the state is
 * matched again. */
void           ld_board_filter_recheck     (LdBoardFilter *self);

G_END_DECLS
