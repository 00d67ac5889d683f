/* ld-situation-board.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-map-view.h"
#include "ld-sync-engine.h"

G_BEGIN_DECLS

#define LD_TYPE_SITUATION_BOARD (ld_situation_board_get_type ())

G_DECLARE_FINAL_TYPE (LdSituationBoard, ld_situation_board, LD, SITUATION_BOARD, GtkWidget)

/* The wall screen's situation board: the map, today's figures, the late
 * orders and the newest incidents, live, read from across the room with
 * nothing to press. @engine (nullable), @incidents (the LdIncidentItem
 * rows to show) and @time_zone are kept by a ref. */
void       ld_situation_board_set_engine (LdSituationBoard *self,
                                          LdSyncEngine     *engine,
                                          GListModel       *incidents,
                                          GTimeZone        *time_zone);
/* (nullable) (transfer none); the "engine" property sets the engine
 * with its store's zone and keeps the incidents already given. */
LdSyncEngine *ld_situation_board_get_engine (LdSituationBoard *self);
/* (transfer none): the board's own map, alive as long as the board */
LdMapView *ld_situation_board_get_map    (LdSituationBoard *self);
/* Reads the figures again: on changes, and each minute for the clock. */
void       ld_situation_board_refresh    (LdSituationBoard *self);

G_END_DECLS
