/* ld-chart.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum { LD_CHART_LINE, LD_CHART_BAR, LD_CHART_STACKED_BAR } LdChartKind;
typedef enum { LD_CHART_COUNT, LD_CHART_RATE } LdChartFormat;   /* 1234 / rates as fractions shown "95.00%" */

#define LD_TYPE_CHART (ld_chart_get_type ())

G_DECLARE_FINAL_TYPE (LdChart, ld_chart, LD, CHART, GtkWidget)

/* A line, bar or stacked-bar chart of a few series over categories, with a
 * y axis, a legend when there is more than one thing to tell apart, and a
 * tooltip per value. Emits "item-activated" (series, category) when a bar,
 * a segment or a line's point is clicked. */
GtkWidget *ld_chart_new            (LdChartKind kind);
void       ld_chart_set_kind       (LdChart *self, LdChartKind kind);
void       ld_chart_set_format     (LdChart *self, LdChartFormat format);
/* The x axis: one label per category ("1日", "11月", "南湖区"), copied
 * ((nullable): none). Clears the series. */
void       ld_chart_set_categories (LdChart *self, const char * const *labels);
/* One series: n_values must equal the number of categories; NAN = no value
 * (a gap in a line, no bar: e.g. the days of this month still to come).
 * @color NULL takes the next colour of the chart's palette. @name,
 * @values and @color are copied. */
void       ld_chart_add_series     (LdChart *self, const char *name, const double *values,
                                    guint n_values, const GdkRGBA *color);
void       ld_chart_clear_series   (LdChart *self);
/* A dashed horizontal line with a label, e.g. the 14% repeat-rate target; NAN removes it.
 * @label is (nullable) and copied. */
void       ld_chart_set_target     (LdChart *self, double value, const char *label);
guint      ld_chart_get_n_series   (LdChart *self);
/* The tooltip text for a point, as shown on hover: "<category> · <series>: <value>"
 * (exposed so tests and accessibility can read it). NULL when out of range
 * or for no value (NAN). (nullable) (transfer full): the caller g_free()s it. */
char      *ld_chart_dup_tooltip    (LdChart *self, guint series, guint category);

/* The item under (@x, @y) in the widget's coordinates, at its current size:
 * the hit-testing a click, a hover and a tooltip use. A line's point is
 * found within ~12 px. FALSE when there is none there. */
gboolean   ld_chart_pick           (LdChart *self, double x, double y,
                                    guint *series, guint *category);
/* The y axis's ticks for values from @lo to @hi (@lo < @hi): the smallest
 * nice step (1, 2, 2.5 or 5 × 10^n; a multiple of @min_step when that is
 * not 0, e.g. 1 for counts) that covers both ends in at most 6 ticks.
 * Returns their number; *first is the lowest. */
guint      ld_chart_nice_ticks     (double lo, double hi, double min_step,
                                    double *first, double *step);

G_END_DECLS
