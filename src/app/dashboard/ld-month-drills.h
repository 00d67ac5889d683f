/* ld-month-drills.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-dashboard.h"

G_BEGIN_DECLS

#define LD_TYPE_MONTH_DRILLS (ld_month_drills_get_type ())

G_DECLARE_FINAL_TYPE (LdMonthDrills, ld_month_drills, LD, MONTH_DRILLS, GtkWidget)

/* The dashboard month's drills, each with how many units were late (or
 * that it is under way), as of the dashboard's now; times in @time_zone.
 * A drill opens on the Drills workspace ("workspace.show-drill").
 * @dashboard is read at once and not kept. */
void ld_month_drills_set_dashboard (LdMonthDrills *self,
                                    LdDashboard   *dashboard,
                                    GTimeZone     *time_zone);

G_END_DECLS
