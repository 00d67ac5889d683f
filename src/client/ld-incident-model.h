/* ld-incident-model.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ld-incident-item.h"
#include "ld-sync-engine.h"

G_BEGIN_DECLS

#define LD_TYPE_INCIDENT_MODEL (ld_incident_model_get_type ())

G_DECLARE_FINAL_TYPE (LdIncidentModel, ld_incident_model, LD, INCIDENT_MODEL, GObject)

/* The duty board as a GListModel of LdIncidentItem, newest first: every
 * open incident and those received in the last @window_us. It follows the
 * engine's replica: rows change in place, arrive and leave as local and
 * pulled changes land. The model keeps a reference to @engine. */
LdIncidentModel *ld_incident_model_new       (LdSyncEngine    *engine,
                                              gint64           window_us);
/* The row of incident @id and its @position, or NULL when it is not on the
 * board. (transfer none) (nullable): the model's, until the row leaves. */
LdIncidentItem  *ld_incident_model_lookup    (LdIncidentModel *self,
                                              const char      *id,
                                              guint           *position);

G_END_DECLS
