/* ld-order-actions.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "ld-records.h"

G_BEGIN_DECLS

#define LD_TYPE_ORDER_ACTIONS (ld_order_actions_get_type ())

G_DECLARE_FINAL_TYPE (LdOrderActions, ld_order_actions, LD, ORDER_ACTIONS, GtkWidget)

/* What the center does with an order beyond its next step, from one menu:
 * logs a unit's feedback (with its kind) or return (with its reason and
 * whose duty it says the matter is) reported by phone, rules on a return
 * (退单审定) and on a deadline extension asked for (申请延期). Offers only
 * what the order's state takes; (nullable): NULL when it takes nothing.
 * Times are shown in @time_zone.
 * @units (element-type LdUnit) (transfer none): the units a return may
 * name, read at once. Emits "submit" (action, fields) with the operation's
 * fields for the caller to send, and "problem" (message) when what was
 * typed cannot be sent. */
GtkWidget *ld_order_actions_new (const LdOrder *order,
                                 GPtrArray     *units,
                                 GTimeZone     *time_zone);
/* Whether a section is offered, by name (for tests):
 * "feedback", "return", "rule-return", "rule-extension". */
gboolean   ld_order_actions_offers (LdOrderActions *self,
                                    const char     *section);

G_END_DECLS
