/* ld-month-drills.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ld-month-drills.h"

struct _LdMonthDrills
{
  GtkWidget   parent_instance;

  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (LdMonthDrills, ld_month_drills, GTK_TYPE_WIDGET)

static GtkWidget *
drill_row (const LdDrillResult *drill, gint64 now, GTimeZone *time_zone)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *when = ld_time_format_short (drill->held_at, time_zone);
  g_autofree char *title = g_markup_escape_text (drill->scenario ? drill->scenario : "", -1);
  g_autofree char *subtitle = g_markup_printf_escaped ("%s · %s", when, drill->region_name ? drill->region_name : "");
  guint n_late = ld_drill_result_late_at (drill, now);
  g_autofree char *late = NULL;
  GtkWidget *late_label;

  if (n_late)
    late = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u late", "%u late", n_late), n_late);
  else if (!ld_drill_result_is_over (drill, now))
    late = g_strdup (_("Under way"));
  else
    late = g_strdup (_("All on time"));
  late_label = gtk_label_new (late);
  if (n_late)
    gtk_widget_add_css_class (late_label, "overdue");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), late_label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "drill-id", g_strdup (drill->id), g_free);
  return row;
}

void
ld_month_drills_set_dashboard (LdMonthDrills *self, LdDashboard *dashboard, GTimeZone *time_zone)
{
  GPtrArray *drills;

  g_return_if_fail (LD_IS_MONTH_DRILLS (self));
  g_return_if_fail (LD_IS_DASHBOARD (dashboard));

  for (GtkListBoxRow *row; (row = gtk_list_box_get_row_at_index (self->list, 0));)
    gtk_list_box_remove (self->list, GTK_WIDGET (row));
  drills = ld_report_get_drills (ld_dashboard_get_month (dashboard));
  for (guint i = 0; i < drills->len; i++)
    gtk_list_box_append (self->list, drill_row (g_ptr_array_index (drills, i), ld_dashboard_get_now (dashboard),
                                                time_zone));
  if (drills->len == 0)
    {
      GtkWidget *label = gtk_label_new (_("No drills held this month."));

      gtk_widget_set_margin_top (label, 12);
      gtk_widget_set_margin_bottom (label, 12);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_list_box_append (self->list, label);
      gtk_list_box_row_set_activatable (gtk_list_box_get_row_at_index (self->list, 0), FALSE);
    }
}

static void
on_row_activated (LdMonthDrills *self, GtkListBoxRow *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "drill-id");

  if (id)
    gtk_widget_activate_action (GTK_WIDGET (self), "workspace.show-drill", "s", id);
}

static void
ld_month_drills_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LD_TYPE_MONTH_DRILLS);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object)));)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ld_month_drills_parent_class)->dispose (object);
}

static void
ld_month_drills_class_init (LdMonthDrillsClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ld_month_drills_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-month-drills.ui");
  gtk_widget_class_bind_template_child (widget_class, LdMonthDrills, list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ld_month_drills_init (LdMonthDrills *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
