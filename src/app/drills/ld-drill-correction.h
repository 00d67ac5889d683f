/* ld-drill-correction.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LD_TYPE_DRILL_CORRECTION (ld_drill_correction_get_type ())

G_DECLARE_FINAL_TYPE (LdDrillCorrection, ld_drill_correction, LD, DRILL_CORRECTION, GtkWidget)

/* A time corrected by hand and why: a time entry, a reason entry and the
 * button ("label"), and what is wrong said under them. With "clock-only"
 * the time is the alarm's own, a clock time "HH:MM:SS" on its day;
 * otherwise an arrival, "mm:ss" after the alarm or a clock time.
 * Emits "corrected" (the time, the reason) once both are right. */
/* The alarm the times are read against, shown in @time_zone ((nullable),
 * kept by a ref). */
void ld_drill_correction_set_alarm (LdDrillCorrection *self,
                                    gint64             alarm_at,
                                    GTimeZone         *time_zone);

G_END_DECLS
