/* ld-drop-dispatcher.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-dispatch-names.h"
#include "ld-sync-engine.h"

G_BEGIN_DECLS

#define LD_TYPE_DROP_DISPATCHER (ld_drop_dispatcher_get_type ())

G_DECLARE_FINAL_TYPE (LdDropDispatcher, ld_drop_dispatcher, LD, DROP_DISPATCHER, GObject)

/* What a drop does: dispatches each incident to each unit (joint handling
 * when several) after "undo-timeout" seconds in which a toast, in the
 * toast overlay around @anchor, offers to undo it. Without an overlay
 * there is no undo time. */
/* Long enough to see a wrong drop and take it back, short enough that the
 * unit is not kept waiting. */
#define LD_DROP_DISPATCHER_UNDO_TIMEOUT 5

/* (transfer full). @anchor is held by a weak pointer, not a ref: once
 * it is gone there is no overlay and so no undo time. */
LdDropDispatcher *ld_drop_dispatcher_new         (GtkWidget         *anchor);
/* (nullable): the engine the orders go through, kept by a ref. A drop
 * still in its undo time is sent through the engine it was made with
 * first. */
void              ld_drop_dispatcher_set_engine  (LdDropDispatcher  *self,
                                                  LdSyncEngine      *engine);
/* The units' names the toasts show, kept by a ref. */
void              ld_drop_dispatcher_set_names   (LdDropDispatcher  *self,
                                                  LdDispatchNames   *names);
/* Checks the drop against the replica: closed incidents, inactive units
 * and the pairs already holding an open order are left out, with the
 * reason said when nothing is left. FALSE with @error set when the replica
 * could not be read: nothing is dispatched. */
gboolean          ld_drop_dispatcher_request     (LdDropDispatcher  *self,
                                                  const char *const *incident_ids,
                                                  const char *const *unit_codes,
                                                  GError           **error);
/* Takes back the drop still in its undo time; FALSE when none is. */
gboolean          ld_drop_dispatcher_undo        (LdDropDispatcher  *self);

G_END_DECLS
