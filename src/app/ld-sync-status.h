/* ld-sync-status.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-sync-engine.h"

G_BEGIN_DECLS

#define LD_TYPE_SYNC_STATUS (ld_sync_status_get_type ())

G_DECLARE_FINAL_TYPE (LdSyncStatus, ld_sync_status, LD, SYNC_STATUS, GtkWidget)

/* The link to the server, always in sight: online, connecting, offline
 * with the changes waiting, or signed out. A click reconnects at once.
 * @engine is (nullable); the widget keeps a reference to it. */
void          ld_sync_status_set_engine (LdSyncStatus *self,
                                         LdSyncEngine *engine);
/* (transfer none): the label's text, valid until the status changes. */
const char   *ld_sync_status_get_text   (LdSyncStatus *self);

G_END_DECLS
