/* ld-dispatch-marks.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ld-map-view.h"
#include "ld-store.h"

G_BEGIN_DECLS

#define LD_TYPE_DISPATCH_MARKS (ld_dispatch_marks_get_type ())

G_DECLARE_FINAL_TYPE (LdDispatchMarks, ld_dispatch_marks, LD, DISPATCH_MARKS, GObject)

/* The marks of the dispatch desk's map and of the wall screen's: the
 * incidents, the units with their load, and the drills about to be held. */
/* (transfer full). The maps are held by weak pointers, not refs: a map
 * gone is simply not marked. */
LdDispatchMarks *ld_dispatch_marks_new            (LdMapView        *desk,
                                                   LdMapView        *wall);
/* (nullable): the replica's store the units and drills are read from,
 * kept by a ref */
void             ld_dispatch_marks_set_store      (LdDispatchMarks  *self,
                                                   LdStore          *store);
/* Marks the LdIncidentItem rows of @desk_rows on the desk's map and those
 * of @wall_rows on the wall's. Both (transfer none): read now, not kept. */
void             ld_dispatch_marks_show_incidents (LdDispatchMarks  *self,
                                                   GListModel       *desk_rows,
                                                   GListModel       *wall_rows);
/* Marks every unit on both maps, busy or late as its orders are now. */
gboolean         ld_dispatch_marks_show_units     (LdDispatchMarks  *self,
                                                   GError          **error);
/* Marks on the desk's map the drills held from half a day before now
 * until they are over. */
gboolean         ld_dispatch_marks_show_drills    (LdDispatchMarks  *self,
                                                   GError          **error);

G_END_DECLS
