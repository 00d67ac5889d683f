/* ld-dispatch-page.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-sync-engine.h"

G_BEGIN_DECLS

#define LD_TYPE_DISPATCH_PAGE (ld_dispatch_page_get_type ())

G_DECLARE_FINAL_TYPE (LdDispatchPage, ld_dispatch_page, LD, DISPATCH_PAGE, GtkWidget)

/* The Dispatch workspace: the duty board of open and recent incidents,
 * live from the replica. */
void        ld_dispatch_page_set_engine    (LdDispatchPage *self,
                                            LdSyncEngine   *engine,
                                            GTimeZone      *time_zone);
GListModel *ld_dispatch_page_get_model     (LdDispatchPage *self);
/* Shows @incident_id in the pane beside the board, as a click on its row. */
void        ld_dispatch_page_select        (LdDispatchPage *self,
                                            const char     *incident_id);

G_END_DECLS
