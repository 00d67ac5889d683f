/* ld-figure-window.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include "ld-figure-window.h"
#include "ld-records.h"

/* A figure of a month can stand for thousands: the newest are what a
 * leader reads, the rest are one search away on the Dispatch board. */
#define MAX_SHOWN 500

struct _LdFigureWindow
{
  AdwWindow       parent_instance;

  AdwWindowTitle *title;
  GtkListBox     *list;
  guint           n_shown;
};

G_DEFINE_FINAL_TYPE (LdFigureWindow, ld_figure_window, ADW_TYPE_WINDOW)

enum { INCIDENT_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
on_row_activated (LdFigureWindow *self, GtkListBoxRow *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "incident-id");

  if (id)
    g_signal_emit (self, signals[INCIDENT_ACTIVATED], 0, id);
}

static void
ld_figure_window_class_init (LdFigureWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signals[INCIDENT_ACTIVATED] =
    g_signal_new ("incident-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-figure-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LdFigureWindow, title);
  gtk_widget_class_bind_template_child (widget_class, LdFigureWindow, list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ld_figure_window_init (LdFigureWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
add_incident (LdFigureWindow *self, const LdIncident *incident, GHashTable *region_names, GTimeZone *tz)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *when = ld_time_format_short (incident->received_at, tz);
  const char *region = incident->region_code ? g_hash_table_lookup (region_names, incident->region_code) : NULL;
  g_autofree char *summary = g_markup_escape_text (incident->summary && *incident->summary ? incident->summary
                                                   : (incident->address ? incident->address : ""), -1);
  g_autofree char *detail = g_markup_printf_escaped ("%s · %s · %s", when, region ? region : _("No region"),
                                                    ld_incident_state_label (incident->state));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), summary);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), detail);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "incident-id", g_strdup (incident->id), g_free);
  gtk_list_box_append (self->list, row);
}

LdFigureWindow *
ld_figure_window_new (GtkWindow *parent, LdStore *store, GTimeZone *time_zone, const char *title,
                      const LdIncidentFilter *filter, guint total)
{
  LdFigureWindow *self = g_object_new (LD_TYPE_FIGURE_WINDOW, "transient-for", parent, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) incidents = ld_store_search_incidents (store, NULL, filter, MAX_SHOWN + 1, &error);
  g_autoptr(GPtrArray) regions = ld_store_list_regions (store, NULL);
  g_autoptr(GHashTable) region_names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *subtitle = NULL;

  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->title, title);
  for (guint i = 0; regions && i < regions->len; i++)
    {
      LdRegion *r = g_ptr_array_index (regions, i);
      g_hash_table_insert (region_names, r->code, r->name);
    }

  if (incidents == NULL)
    {
      GtkWidget *label = gtk_label_new (error->message);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_list_box_append (self->list, label);
      return self;
    }
  self->n_shown = MIN (incidents->len, MAX_SHOWN);
  for (guint i = 0; i < self->n_shown; i++)
    add_incident (self, g_ptr_array_index (incidents, i), region_names, time_zone);

  if (incidents->len > MAX_SHOWN && total != G_MAXUINT)
    /* Translators: the incidents behind a figure, when there are more than shown: shown, all */
    subtitle = g_strdup_printf (_("The newest %1$u of %2$u"), MAX_SHOWN, total);
  else if (incidents->len > MAX_SHOWN)
    /* Translators: the incidents behind a figure, when there are more than shown */
    subtitle = g_strdup_printf (_("The newest %u"), MAX_SHOWN);
  else
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u incident", "%u incidents", self->n_shown),
                                self->n_shown);
  adw_window_title_set_subtitle (self->title, subtitle);
  if (self->n_shown == 0)
    {
      GtkWidget *label = gtk_label_new (_("No incidents behind this figure."));
      gtk_widget_set_margin_top (label, 24);
      gtk_widget_set_margin_bottom (label, 24);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_list_box_append (self->list, label);
    }
  return self;
}

guint
ld_figure_window_get_n_shown (LdFigureWindow *self)
{
  g_return_val_if_fail (LD_IS_FIGURE_WINDOW (self), 0);
  return self->n_shown;
}
