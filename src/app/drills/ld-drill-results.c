/* ld-drill-results.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ld-drill-results.h"

struct _LdDrillResults
{
  GtkWidget   parent_instance;

  GtkLabel   *summary;
  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (LdDrillResults, ld_drill_results, GTK_TYPE_WIDGET)

enum {
  EXPORT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkWidget *
unit_row (const LdDrillResultUnit *u)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *arrival = gtk_label_new (u->arrival_text);
  /* The row reads markup: a unit's name is shown as typed. */
  g_autofree char *name = g_markup_escape_text (u->name, -1);
  g_autofree char *limit = ld_duration_format (u->limit_s);
  /* Translators: a drill unit's kind and its arrival limit, e.g. "Police · limit 20 min" */
  g_autofree char *subtitle = g_strdup_printf (_("%s · limit %s"), ld_unit_category_label (u->category), limit);

  /* The subtitle is markup; the reason is the inspector's words. */
  if (u->correction)
    {
      g_autofree char *plain = g_steal_pointer (&subtitle);
      /* Translators: a drill unit's arrival time was corrected by hand; the reason follows */
      g_autofree char *corrected = g_strdup_printf (_("Corrected: %s"), u->correction);

      subtitle = g_markup_printf_escaped ("%s · %s", plain, corrected);
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (arrival, u->late ? "drill-late" : "drill-on-time");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrival);
  gtk_widget_set_tooltip_text (arrival, u->late ? C_("drill unit", "Not on time") : _("On time"));
  return row;
}

void
ld_drill_results_show (LdDrillResults *self, const LdDrillResult *result, gboolean raised)
{
  g_autofree char *summary = NULL;

  g_return_if_fail (LD_IS_DRILL_RESULTS (self));
  g_return_if_fail (result != NULL);

  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self->list)));)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < result->units->len; i++)
    gtk_list_box_append (self->list, unit_row (g_ptr_array_index (result->units, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->list), raised);
  if (!raised)
    summary = g_strdup (_("Results once the alarm is raised"));
  else if (result->late)
    summary = g_strdup_printf (ngettext ("Results: %u unit not on time", "Results: %u units not on time",
                                         result->late), result->late);
  else
    summary = g_strdup (_("Results: every unit on time"));
  gtk_label_set_label (self->summary, summary);
}

static void
on_export_csv (LdDrillResults *self)
{
  g_signal_emit (self, signals[EXPORT], 0, "csv");
}

static void
on_export_xlsx (LdDrillResults *self)
{
  g_signal_emit (self, signals[EXPORT], 0, "xlsx");
}

static void
ld_drill_results_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LD_TYPE_DRILL_RESULTS);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object)));)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ld_drill_results_parent_class)->dispose (object);
}

static void
ld_drill_results_class_init (LdDrillResultsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_drill_results_dispose;

  signals[EXPORT] = g_signal_new ("export", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-drill-results.ui");
  gtk_widget_class_bind_template_child (widget_class, LdDrillResults, summary);
  gtk_widget_class_bind_template_child (widget_class, LdDrillResults, list);
  gtk_widget_class_bind_template_callback (widget_class, on_export_csv);
  gtk_widget_class_bind_template_callback (widget_class, on_export_xlsx);
}

static void
ld_drill_results_init (LdDrillResults *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
