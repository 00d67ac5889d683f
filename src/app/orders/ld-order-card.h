/* ld-order-card.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <shumate/shumate.h>

#include "ld-geo.h"
#include "ld-sync-engine.h"

G_BEGIN_DECLS

#define LD_TYPE_ORDER_CARD (ld_order_card_get_type ())

G_DECLARE_FINAL_TYPE (LdOrderCard, ld_order_card, LD, ORDER_CARD, GtkWidget)

/* One work order as its unit works it: the incident's facts, the place on
 * a small map, the deadline it works to now, its steps and every feedback,
 * and what the unit may do next — sign, report arrival, feed back,
 * complete once a result is reported, return it saying whose duty it is,
 * ask for more time. Nothing else is offered. */
/* Reads from @engine's replica and sends what the unit does through it;
 * times are shown in @time_zone. The "engine" property sets the engine
 * with its store's zone. */
void          ld_order_card_set_engine     (LdOrderCard      *self,
                                            LdSyncEngine     *engine,
                                            GTimeZone        *time_zone);
/* (nullable) (transfer none) */
LdSyncEngine *ld_order_card_get_engine     (LdOrderCard      *self);
void          ld_order_card_set_map_source (LdOrderCard      *self,
                                            ShumateMapSource *source,
                                            LdDatum           datum);
/* Shows order @order_id (NULL: none), read again from the replica. */
void          ld_order_card_set_order      (LdOrderCard      *self,
                                            const char       *order_id);
/* (nullable) (transfer none) */
const char   *ld_order_card_get_order      (LdOrderCard      *self);
/* Reads the order again, after a change in the replica. */
void          ld_order_card_refresh        (LdOrderCard      *self);
/* Counts the deadline down to @now. */
void          ld_order_card_tick           (LdOrderCard      *self,
                                            gint64            now);

G_END_DECLS
