/* ld-drill-month.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include "ld-drill-month.h"
#include "ld-read-failure.h"

struct _LdDrillMonth
{
  GtkWidget      parent_instance;

  GtkLabel      *title;
  LdReadFailure *failure;
  GtkLabel      *empty_label;
  GtkGrid       *grid;

  LdDrillQuery  *query;
  int            year, month;
};

G_DEFINE_FINAL_TYPE (LdDrillMonth, ld_drill_month, GTK_TYPE_WIDGET)

enum {
  EXPORT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkWidget *
cell (const char *text, gboolean late)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "drill-table-cell");
  if (late)
    gtk_widget_add_css_class (label, "drill-late");
  return label;
}

static void
fill_grid (LdDrillMonth *self, const LdDrillTable *table)
{
  guint n_columns = table->categories->len;

  for (guint c = 0; c <= n_columns + 1; c++)
    {
      const char *text = c == 0 ? _("Region")
                         : c <= n_columns ? ld_unit_category_label (g_ptr_array_index (table->categories, c - 1))
                         : _("Not on time");
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 8);
      gtk_widget_add_css_class (label, "drill-table-head");
      gtk_grid_attach (self->grid, label, c, 0, 1, 1);
    }
  for (guint r = 0; r < table->rows->len; r++)
    {
      const LdDrillTableRow *row = g_ptr_array_index (table->rows, r);
      g_autofree char *late = g_strdup_printf ("%u", row->drill->late);
      GtkWidget *label = cell (row->label, FALSE);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_grid_attach (self->grid, label, 0, r + 1, 1, 1);
      for (guint c = 0; c < n_columns; c++)
        {
          const LdDrillResultUnit *u = g_ptr_array_index (row->cells, c);

          gtk_grid_attach (self->grid, cell (ld_drill_table_cell_text (row, c), u && u->late), c + 1, r + 1, 1, 1);
        }
      gtk_grid_attach (self->grid, cell (late, row->drill->late > 0), n_columns + 1, r + 1, 1, 1);
    }
}

void
ld_drill_month_show (LdDrillMonth *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdDrillTable) table = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (LD_IS_DRILL_MONTH (self));

  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self->grid)));)
    gtk_grid_remove (self->grid, child);
  if (self->query)
    table = ld_drill_query_get_month (self->query, self->year, self->month, &error);
  ld_read_failure_set_error (self->failure, _("The month's table"), error);
  if (table == NULL)
    {
      gtk_label_set_label (self->title, "");
      gtk_widget_set_visible (GTK_WIDGET (self->empty_label), FALSE);
      return;
    }
  title = ld_drill_table_title (table);
  gtk_label_set_label (self->title, title);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), table->rows->len == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->grid), table->rows->len > 0);
  fill_grid (self, table);
}

void
ld_drill_month_set_query (LdDrillMonth *self, LdDrillQuery *query)
{
  int day, hour, minute, second;

  g_return_if_fail (LD_IS_DRILL_MONTH (self));
  g_return_if_fail (LD_IS_DRILL_QUERY (query));

  g_set_object (&self->query, query);
  ld_time_to_local (ld_time_now (), ld_drill_query_get_time_zone (query),
                    &self->year, &self->month, &day, &hour, &minute, &second);
}

char *
ld_drill_month_dup_file_name (LdDrillMonth *self, const char *extension)
{
  g_return_val_if_fail (LD_IS_DRILL_MONTH (self), NULL);

  return g_strdup_printf ("drills-%04d-%02d.%s", self->year, self->month, extension);
}

gboolean
ld_drill_month_export (LdDrillMonth *self, const char *path, GError **error)
{
  g_autoptr(LdDrillTable) table = NULL;
  g_autofree char *lower = NULL;

  g_return_val_if_fail (LD_IS_DRILL_MONTH (self), FALSE);
  g_return_val_if_fail (self->query != NULL, FALSE);

  table = ld_drill_query_get_month (self->query, self->year, self->month, error);
  if (table == NULL)
    return FALSE;
  lower = g_ascii_strdown (path, -1);
  return g_str_has_suffix (lower, ".xlsx") ? ld_drill_table_write_xlsx (table, path, error)
                                           : ld_drill_table_write_csv (table, path, error);
}

static void
step (LdDrillMonth *self, int months)
{
  self->month += months;
  if (self->month < 1)
    self->month = 12, self->year--;
  else if (self->month > 12)
    self->month = 1, self->year++;
  ld_drill_month_show (self);
}

static void
on_previous (LdDrillMonth *self)
{
  step (self, -1);
}

static void
on_next (LdDrillMonth *self)
{
  step (self, 1);
}

static void
on_export_csv (LdDrillMonth *self)
{
  g_signal_emit (self, signals[EXPORT], 0, "csv");
}

static void
on_export_xlsx (LdDrillMonth *self)
{
  g_signal_emit (self, signals[EXPORT], 0, "xlsx");
}

static void
ld_drill_month_dispose (GObject *object)
{
  LdDrillMonth *self = LD_DRILL_MONTH (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_DRILL_MONTH);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->query);

  G_OBJECT_CLASS (ld_drill_month_parent_class)->dispose (object);
}

static void
ld_drill_month_class_init (LdDrillMonthClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_drill_month_dispose;

  signals[EXPORT] = g_signal_new ("export", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (LD_TYPE_READ_FAILURE);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-drill-month.ui");
  gtk_widget_class_bind_template_child (widget_class, LdDrillMonth, title);
  gtk_widget_class_bind_template_child (widget_class, LdDrillMonth, failure);
  gtk_widget_class_bind_template_child (widget_class, LdDrillMonth, empty_label);
  gtk_widget_class_bind_template_child (widget_class, LdDrillMonth, grid);
  gtk_widget_class_bind_template_callback (widget_class, ld_drill_month_show);
  gtk_widget_class_bind_template_callback (widget_class, on_previous);
  gtk_widget_class_bind_template_callback (widget_class, on_next);
  gtk_widget_class_bind_template_callback (widget_class, on_export_csv);
  gtk_widget_class_bind_template_callback (widget_class, on_export_xlsx);
}

static void
ld_drill_month_init (LdDrillMonth *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
