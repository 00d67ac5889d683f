/* ld-mark-popover.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-dispatch-names.h"

G_BEGIN_DECLS

#define LD_TYPE_MARK_POPOVER (ld_mark_popover_get_type ())

G_DECLARE_FINAL_TYPE (LdMarkPopover, ld_mark_popover, LD, MARK_POPOVER, GtkPopover)

/* The facts of a mark clicked on the dispatch map, with what can be done
 * with it: an incident is opened ("open-incident", its id), the chosen
 * incident dispatched to a unit ("dispatch-here", the unit's code), a
 * drill opened in Drills (the "workspace.show-drill" action). */
GtkWidget *ld_mark_popover_new           (void);
/* The names of the codes the marks hold, and the zone of their times;
 * both kept by a ref. */
void       ld_mark_popover_set_names     (LdMarkPopover    *self,
                                          LdDispatchNames  *names,
                                          GTimeZone        *time_zone);
/* The show_ functions read the record at once and keep only its id:
 * the record stays the caller's. */
void       ld_mark_popover_show_incident (LdMarkPopover    *self,
                                          const LdIncident *incident,
                                          double            x,
                                          double            y);
/* With @can_dispatch, offers to dispatch the chosen incident to @unit. */
void       ld_mark_popover_show_unit     (LdMarkPopover    *self,
                                          const LdUnit     *unit,
                                          gboolean          can_dispatch,
                                          double            x,
                                          double            y);
/* With @can_open, offers to open @drill in the Drills workspace. */
void       ld_mark_popover_show_drill    (LdMarkPopover    *self,
                                          const LdDrill    *drill,
                                          gboolean          can_open,
                                          double            x,
                                          double            y);

G_END_DECLS
