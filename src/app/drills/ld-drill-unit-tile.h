/* ld-drill-unit-tile.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-drill-query.h"

G_BEGIN_DECLS

#define LD_TYPE_DRILL_UNIT_TILE (ld_drill_unit_tile_get_type ())

G_DECLARE_FINAL_TYPE (LdDrillUnitTile, ld_drill_unit_tile, LD, DRILL_UNIT_TILE, GtkWidget)

/* A unit of a drill as a big button, tapped once when its people arrive,
 * with a menu to correct its time with a reason, add a note, and see its
 * earlier drills. It writes nothing itself: it emits "arrive", "correct"
 * (the time, the reason) and "note" (the text) for the page to log.
 * Only an inspector or an admin (@query says) sees the correction and
 * the note; @alarm_at is LD_TIME_NONE before the alarm. The tile keeps a
 * ref on @query and copies @drill_id and what it shows of @unit. */
GtkWidget  *ld_drill_unit_tile_new           (LdDrillQuery             *query,
                                              const char               *drill_id,
                                              const LdDrillResultUnit  *unit,
                                              gboolean                  arrived,
                                              gboolean                  over,
                                              gint64                    alarm_at);
/* (transfer none): the tile's copy, alive as long as the tile */
const char *ld_drill_unit_tile_get_unit_code (LdDrillUnitTile          *self);

G_END_DECLS
