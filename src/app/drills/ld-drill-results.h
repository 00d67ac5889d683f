/* ld-drill-results.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-drill-report.h"

G_BEGIN_DECLS

#define LD_TYPE_DRILL_RESULTS (ld_drill_results_get_type ())

G_DECLARE_FINAL_TYPE (LdDrillResults, ld_drill_results, LD, DRILL_RESULTS, GtkWidget)

/* A drill's result: how many units were not on time, and a row a unit
 * with its kind, its limit, a correction's reason and its arrival. Its
 * export buttons emit "export" ("csv" or "xlsx") for the page. */
/* Before the alarm (@raised FALSE) every unit "did not arrive": the rows
 * wait for it. @result is (transfer none), read now and not kept. */
void ld_drill_results_show (LdDrillResults      *self,
                            const LdDrillResult *result,
                            gboolean             raised);

G_END_DECLS
