/* ld-unit-board.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-sync-engine.h"

G_BEGIN_DECLS

#define LD_TYPE_UNIT_BOARD (ld_unit_board_get_type ())

G_DECLARE_FINAL_TYPE (LdUnitBoard, ld_unit_board, LD, UNIT_BOARD, GtkWidget)

/* The units by tier and region, each with its duty phone, open orders and
 * late orders. Units are dragged from here onto an incident (several at
 * once for joint handling), and an incident dropped on a unit emits
 * "dispatch-requested" (incident ids, unit codes). */
/* @engine (nullable) is kept by a ref. */
void   ld_unit_board_set_engine  (LdUnitBoard  *self,
                                  LdSyncEngine *engine);
/* (nullable) (transfer none) */
LdSyncEngine *ld_unit_board_get_engine (LdUnitBoard *self);
void   ld_unit_board_refresh     (LdUnitBoard  *self);
/* The codes of the units chosen on the board, in board order.
 * (transfer full): the caller g_strfreev()s them. */
GStrv  ld_unit_board_get_selected (LdUnitBoard *self);

G_END_DECLS
