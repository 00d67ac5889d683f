/* ld-incident-pane.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-sync-engine.h"

G_BEGIN_DECLS

#define LD_TYPE_INCIDENT_PANE (ld_incident_pane_get_type ())

G_DECLARE_FINAL_TYPE (LdIncidentPane, ld_incident_pane, LD, INCIDENT_PANE, GtkWidget)

/* One incident beside the board: its facts, each order's timeline with
 * its deadlines, and what the dispatcher does next — dispatch to a unit,
 * record what a unit reports by phone, verify and close. */
/* Reads from @engine's replica and sends what the dispatcher does
 * through it; times are shown in @time_zone. The "engine" property sets
 * the engine with its store's zone. @engine (nullable) and @time_zone are
 * kept by a ref. */
void        ld_incident_pane_set_engine   (LdIncidentPane *self,
                                           LdSyncEngine   *engine,
                                           GTimeZone      *time_zone);
/* (nullable) (transfer none) */
LdSyncEngine *ld_incident_pane_get_engine (LdIncidentPane *self);
/* @incident_id (nullable: none) is copied. */
void        ld_incident_pane_set_incident (LdIncidentPane *self,
                                           const char     *incident_id);
/* (nullable) (transfer none): the pane's copy, valid until the next
 * ld_incident_pane_set_incident() */
const char *ld_incident_pane_get_incident (LdIncidentPane *self);

G_END_DECLS
