/* ld-drill-month.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-drill-query.h"

G_BEGIN_DECLS

#define LD_TYPE_DRILL_MONTH (ld_drill_month_get_type ())

G_DECLARE_FINAL_TYPE (LdDrillMonth, ld_drill_month, LD, DRILL_MONTH, GtkWidget)

/* A month's drills as the bulletin's table prints them: a row a drill
 * under its region, a column a kind of unit, the units not on time last;
 * with buttons to the month before and after. Its export buttons emit
 * "export" ("csv" or "xlsx") for the page's file chooser. */
/* Reads through @query from now on, starting at the current month; the
 * query is kept by a ref. */
void      ld_drill_month_set_query     (LdDrillMonth *self,
                                        LdDrillQuery *query);
/* Reads the month shown again; a failed read is said above the table. */
void      ld_drill_month_show          (LdDrillMonth *self);
/* (transfer full): "drills-2020-08.csv" for @extension "csv" */
char     *ld_drill_month_dup_file_name (LdDrillMonth *self,
                                        const char   *extension);
/* The month shown, to @path: XLSX when it ends in ".xlsx", CSV otherwise. */
gboolean  ld_drill_month_export        (LdDrillMonth *self,
                                        const char   *path,
                                        GError      **error);

G_END_DECLS
