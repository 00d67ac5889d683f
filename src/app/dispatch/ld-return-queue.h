/* ld-return-queue.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-sync-engine.h"

G_BEGIN_DECLS

#define LD_TYPE_RETURN_QUEUE (ld_return_queue_get_type ())

G_DECLARE_FINAL_TYPE (LdReturnQueue, ld_return_queue, LD, RETURN_QUEUE, GtkWidget)

/* The dispatcher's 退单 queue: every return the center has not ruled on,
 * oldest first, with the unit's reason, whose duty it says the matter is,
 * the jurisdiction the place lies in and the units the responsibility
 * list names for it. A row opens its incident ("incident-activated"),
 * where the ruling is made. The engine is kept by a reference; "n-returns"
 * is how many wait. */
void          ld_return_queue_set_engine    (LdReturnQueue *self,
                                             LdSyncEngine  *engine);
/* (nullable) (transfer none) */
LdSyncEngine *ld_return_queue_get_engine    (LdReturnQueue *self);
void          ld_return_queue_refresh       (LdReturnQueue *self);
guint         ld_return_queue_get_n_returns (LdReturnQueue *self);
/* (transfer full): the rows' texts, one string per row, for tests. */
GStrv         ld_return_queue_list_rows     (LdReturnQueue *self);

G_END_DECLS
