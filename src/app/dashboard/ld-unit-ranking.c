/* ld-unit-ranking.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ld-unit-ranking.h"

static const char * const rank_metrics[] = { "sign_rate", "feedback_rate", "completion_rate", "repeat_rate" };
static const char * const rank_labels[] = { N_("Sign rate"), N_("Feedback rate"), N_("Completion rate"),
                                            N_("Repeat-call rate") };

struct _LdUnitRanking
{
  GtkWidget    parent_instance;

  GtkDropDown *metric;
  GtkListBox  *best_list;
  GtkListBox  *worst_list;

  LdDashboard *dashboard;
};

G_DEFINE_FINAL_TYPE (LdUnitRanking, ld_unit_ranking, GTK_TYPE_WIDGET)

enum {
  UNIT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_list (GtkListBox *list)
{
  for (GtkListBoxRow *row; (row = gtk_list_box_get_row_at_index (list, 0));)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

static void
add_note_row (GtkListBox *list, const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_list_box_append (list, label);
  gtk_list_box_row_set_activatable (gtk_list_box_get_row_at_index (list, 0), FALSE);
}

static void
add_unit_row (LdUnitRanking *self, GtkListBox *list, guint rank, LdReportUnit *unit, const char *metric)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *value;
  double rate = ld_order_counts_rate (&unit->now, metric);
  double target = ld_dashboard_get_target (self->dashboard, metric);
  gboolean missed = g_str_equal (metric, "repeat_rate") ? rate > target : rate < target;
  g_autofree char *rate_text = ld_format_rate (rate);
  g_autofree char *title = g_markup_printf_escaped ("%u. %s", rank, unit->name);
  g_autofree char *orders = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u order", "%u orders",
                                                          unit->now.dispatched), unit->now.dispatched);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), orders);
  value = gtk_label_new (rate_text);
  gtk_widget_add_css_class (value, "numeric");
  if (missed)
    gtk_widget_add_css_class (value, "overdue");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "unit-code", g_strdup (unit->code), g_free);
  gtk_list_box_append (list, row);
}

static void
fill (LdUnitRanking *self)
{
  LdReport *month;
  const char *metric = rank_metrics[MIN (gtk_drop_down_get_selected (self->metric), G_N_ELEMENTS (rank_metrics) - 1)];
  /* A repeat-call rate is best low. */
  gboolean best_high = !g_str_equal (metric, "repeat_rate");
  g_autoptr(GPtrArray) best = NULL;
  g_autoptr(GPtrArray) worst = NULL;

  clear_list (self->best_list);
  clear_list (self->worst_list);
  if (self->dashboard == NULL)
    return;
  month = ld_dashboard_get_month (self->dashboard);
  best = ld_report_rank_units (month, metric, best_high, 3);
  worst = ld_report_rank_units (month, metric, !best_high, 3);
  for (guint i = 0; i < best->len; i++)
    add_unit_row (self, self->best_list, i + 1, g_ptr_array_index (best, i), metric);
  for (guint i = 0; i < worst->len; i++)
    add_unit_row (self, self->worst_list, i + 1, g_ptr_array_index (worst, i), metric);
  if (best->len == 0)
    {
      add_note_row (self->best_list, _("No orders this month."));
      add_note_row (self->worst_list, _("No orders this month."));
    }
}

void
ld_unit_ranking_set_dashboard (LdUnitRanking *self, LdDashboard *dashboard)
{
  g_return_if_fail (LD_IS_UNIT_RANKING (self));

  g_set_object (&self->dashboard, dashboard);
  fill (self);
}

static void
on_row_activated (LdUnitRanking *self, GtkListBoxRow *row)
{
  const char *code = g_object_get_data (G_OBJECT (row), "unit-code");

  if (code)
    g_signal_emit (self, signals[UNIT_ACTIVATED], 0, code);
}

static void
ld_unit_ranking_dispose (GObject *object)
{
  LdUnitRanking *self = LD_UNIT_RANKING (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_UNIT_RANKING);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->dashboard);

  G_OBJECT_CLASS (ld_unit_ranking_parent_class)->dispose (object);
}

static void
ld_unit_ranking_class_init (LdUnitRankingClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ld_unit_ranking_dispose;

  signals[UNIT_ACTIVATED] =
    g_signal_new ("unit-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-unit-ranking.ui");
  gtk_widget_class_bind_template_child (widget_class, LdUnitRanking, metric);
  gtk_widget_class_bind_template_child (widget_class, LdUnitRanking, best_list);
  gtk_widget_class_bind_template_child (widget_class, LdUnitRanking, worst_list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, fill);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ld_unit_ranking_init (LdUnitRanking *self)
{
  g_autoptr(GtkStringList) metrics = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < G_N_ELEMENTS (rank_labels); i++)
    gtk_string_list_append (metrics, _(rank_labels[i]));
  gtk_drop_down_set_model (self->metric, G_LIST_MODEL (metrics));
}
