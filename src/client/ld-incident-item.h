/* ld-incident-item.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ld-store.h"

G_BEGIN_DECLS

#define LD_TYPE_INCIDENT_ITEM (ld_incident_item_get_type ())

G_DECLARE_FINAL_TYPE (LdIncidentItem, ld_incident_item, LD, INCIDENT_ITEM, GObject)

/* One incident as a row of the live models: its record and the state of
 * its orders, as properties a list row binds to. The item keeps a copy of
 * @incident. */
LdIncidentItem   *ld_incident_item_new          (const LdIncident *incident);
/* Takes a newer version of the record and of the order counts; notifies
 * the properties that changed. Both are (nullable) (transfer none): the
 * item copies @incident and only counts @orders (element-type LdOrder). */
void              ld_incident_item_update       (LdIncidentItem   *self,
                                                 const LdIncident *incident,
                                                 GPtrArray        *orders);
void              ld_incident_item_set_order_stats (LdIncidentItem     *self,
                                                    const LdOrderStats *stats);
/* (transfer none): the item's copy, replaced (and freed) by the next
 * ld_incident_item_update() that brings a record; so is the id. */
const LdIncident *ld_incident_item_get_incident (LdIncidentItem   *self);
const char       *ld_incident_item_get_id       (LdIncidentItem   *self);
gint64            ld_incident_item_get_received_at (LdIncidentItem *self);
guint             ld_incident_item_get_n_orders (LdIncidentItem   *self);
guint             ld_incident_item_get_n_open   (LdIncidentItem   *self);
gboolean          ld_incident_item_get_overdue  (LdIncidentItem   *self);
/* The earliest deadline the incident's open orders work to now. */
gint64            ld_incident_item_get_next_due (LdIncidentItem   *self);
/* Says the countdown moved: "next-due" is notified for the rows to redraw. */
void              ld_incident_item_tick         (LdIncidentItem   *self);

G_END_DECLS
