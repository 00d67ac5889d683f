/* ld-order-row.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-store.h"

G_BEGIN_DECLS

#define LD_TYPE_ORDER_ROW (ld_order_row_get_type ())

G_DECLARE_FINAL_TYPE (LdOrderRow, ld_order_row, LD, ORDER_ROW, GtkListBoxRow)

/* One work order in the unit's inbox: when and what, where, and the
 * deadline it works to now, counted down. */
GtkWidget  *ld_order_row_new          (void);
/* Shows @row's order and incident, @category the name of its category
 * (nullable), times in @time_zone; @fresh marks an order that came in
 * while the desk was open and is not signed yet. */
void        ld_order_row_set          (LdOrderRow        *self,
                                       const LdFigureRow *row,
                                       const char        *category,
                                       GTimeZone         *time_zone,
                                       gboolean           fresh,
                                       gint64             now);
/* Counts the deadline down to @now; red once it has passed. */
void        ld_order_row_tick         (LdOrderRow        *self,
                                       gint64             now);
/* (transfer none) */
const char *ld_order_row_get_order_id (LdOrderRow        *self);
gboolean    ld_order_row_get_fresh    (LdOrderRow        *self);

G_END_DECLS
