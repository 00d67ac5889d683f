/* ld-orders-page.h
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

#define LD_TYPE_ORDERS_PAGE (ld_orders_page_get_type ())

G_DECLARE_FINAL_TYPE (LdOrdersPage, ld_orders_page, LD, ORDERS_PAGE, GtkWidget)

/* 工单: a linkage unit's workspace. Its orders in four tabs — to sign, in
 * hand, done, returned — each with its deadline counted down, and the
 * chosen one as a card to work on. An order that reaches the replica
 * while the page is open and is not signed yet stays highlighted at the
 * top of "To Sign" until it is signed, and is announced once by
 * "order-arrived" (order id, a GNotification to send) so that the window
 * can notify the desktop, and "order-settled" (order id) once it is
 * signed, so that the notification can be withdrawn. The page reads as the signed-in user: the
 * orders of the user's unit. */
/* Reads from @engine's replica and sends the unit's steps through it;
 * times in @time_zone. The "engine" property sets the engine with its
 * store's zone. */
void          ld_orders_page_set_engine     (LdOrdersPage     *self,
                                             LdSyncEngine     *engine,
                                             GTimeZone        *time_zone);
/* (nullable) (transfer none) */
LdSyncEngine *ld_orders_page_get_engine     (LdOrdersPage     *self);
void          ld_orders_page_set_map_source (LdOrdersPage     *self,
                                             ShumateMapSource *source,
                                             LdDatum           datum);
/* Shows order @order_id on its tab and as the card. */
void          ld_orders_page_select         (LdOrdersPage     *self,
                                             const char       *order_id);
/* (nullable) (transfer none): the order shown as the card */
const char   *ld_orders_page_get_selected   (LdOrdersPage     *self);
/* How many orders are highlighted as new ("n-fresh"). */
guint         ld_orders_page_get_n_fresh    (LdOrdersPage     *self);
/* Whether order @order_id is highlighted as new. */
gboolean      ld_orders_page_is_fresh       (LdOrdersPage     *self,
                                             const char       *order_id);

G_END_DECLS
