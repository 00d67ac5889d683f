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
#include "ld-read-failure.h"
#include "ld-records.h"

/* A figure of a month can stand for thousands of rows: they come a page at
 * a time, as the list is scrolled to its end or the last row asks. */
#define PAGE_SIZE 200

struct _LdFigureWindow
{
  AdwWindow          parent_instance;

  AdwWindowTitle    *title;
  GtkListBox        *list;
  GtkListBoxRow     *more_row;
  LdReadFailure     *failure;

  LdStore           *store;
  GTimeZone         *time_zone;
  LdIncidentFilter   filter;
  GPtrArray         *filter_strings;   /* the filter's own copies */
  GHashTable        *region_names;     /* code → name */
  gboolean           have_regions;     /* region_names is read */
  LdFigureRow       *last;             /* the last row read: the next page starts after it */
  guint              n_shown;
  guint              total;
};

G_DEFINE_FINAL_TYPE (LdFigureWindow, ld_figure_window, ADW_TYPE_WINDOW)

enum { INCIDENT_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void load_page (LdFigureWindow *self);

static void
on_row_activated (LdFigureWindow *self, GtkListBoxRow *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "incident-id");

  if (row == self->more_row)
    load_page (self);
  else if (id)
    g_signal_emit (self, signals[INCIDENT_ACTIVATED], 0, id);
}

static void
on_edge_reached (LdFigureWindow *self, GtkPositionType position)
{
  if (position == GTK_POS_BOTTOM && gtk_widget_get_visible (GTK_WIDGET (self->more_row)))
    load_page (self);
}

static void
ld_figure_window_dispose (GObject *object)
{
  LdFigureWindow *self = LD_FIGURE_WINDOW (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  g_clear_pointer (&self->filter_strings, g_ptr_array_unref);
  g_clear_pointer (&self->region_names, g_hash_table_unref);
  g_clear_pointer (&self->last, ld_figure_row_free);
  G_OBJECT_CLASS (ld_figure_window_parent_class)->dispose (object);
}

static void
ld_figure_window_class_init (LdFigureWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ld_figure_window_dispose;

  signals[INCIDENT_ACTIVATED] =
    g_signal_new ("incident-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (LD_TYPE_READ_FAILURE);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-figure-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LdFigureWindow, title);
  gtk_widget_class_bind_template_child (widget_class, LdFigureWindow, list);
  gtk_widget_class_bind_template_child (widget_class, LdFigureWindow, more_row);
  gtk_widget_class_bind_template_child (widget_class, LdFigureWindow, failure);
  gtk_widget_class_bind_template_callback (widget_class, load_page);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_edge_reached);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ld_figure_window_init (LdFigureWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->filter_strings = g_ptr_array_new_with_free_func (g_free);
  self->region_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* The filter outlives the dashboard that made it: pages are read later. */
static const char *
keep (LdFigureWindow *self, const char *text)
{
  char *copy = g_strdup (text);

  if (copy)
    g_ptr_array_add (self->filter_strings, copy);
  return copy;
}

static void
add_row (LdFigureWindow *self, const LdFigureRow *figure_row)
{
  const LdIncident *incident = figure_row->incident;
  const LdOrder *order = figure_row->order;
  GtkWidget *row = adw_action_row_new ();
  const char *region = incident->region_code ? g_hash_table_lookup (self->region_names, incident->region_code)
                                             : NULL;
  g_autofree char *detail = NULL;

  if (order)
    {
      g_autofree char *when = ld_time_format_short (order->dispatched_at, self->time_zone);
      /* Translators: an order behind a dashboard figure: when it was dispatched, to which unit, its state */
      detail = g_strdup_printf (_("Dispatched %1$s · %2$s · %3$s"), when, figure_row->unit->name,
                                ld_order_state_label (order->state));
    }
  else
    {
      g_autofree char *when = ld_time_format_short (incident->received_at, self->time_zone);
      detail = g_strdup_printf ("%s · %s · %s", when, region ? region : _("No region"),
                                ld_incident_state_label (incident->state));
    }
  /* What people typed is shown as typed, never read as markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), incident->summary && *incident->summary
                                                            ? incident->summary
                                                            : (incident->address ? incident->address : ""));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), detail);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "incident-id", g_strdup (incident->id), g_free);
  /* Before the row that asks for more, which stays last. */
  gtk_list_box_insert (self->list, row, (int) self->n_shown);
  self->n_shown++;
}

static void
add_note (LdFigureWindow *self, const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_top (label, 24);
  gtk_widget_set_margin_bottom (label, 24);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_list_box_insert (self->list, label, -1);
}

static void
update_subtitle (LdFigureWindow *self)
{
  gboolean orders = ld_incident_filter_lists_orders (&self->filter);
  g_autofree char *subtitle = NULL;

  if (gtk_widget_get_visible (GTK_WIDGET (self->more_row)))
    /* Translators: the rows behind a figure while more are left to show: shown, all */
    subtitle = g_strdup_printf (_("%1$u of %2$u shown"), self->n_shown, MAX (self->total, self->n_shown));
  else if (orders)
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u order", "%u orders", self->n_shown),
                                self->n_shown);
  else
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u incident", "%u incidents", self->n_shown),
                                self->n_shown);
  adw_window_title_set_subtitle (self->title, subtitle);
}

/* The rows name their regions: without the names, no rows. */
static gboolean
read_regions (LdFigureWindow *self, GError **error)
{
  g_autoptr(GPtrArray) regions = NULL;

  if (self->have_regions)
    return TRUE;
  regions = ld_store_list_regions (self->store, error);
  if (regions == NULL)
    return FALSE;
  for (guint i = 0; i < regions->len; i++)
    {
      LdRegion *r = g_ptr_array_index (regions, i);
      g_hash_table_insert (self->region_names, g_strdup (r->code), g_strdup (r->name));
    }
  self->have_regions = TRUE;
  return TRUE;
}

static void
load_page (LdFigureWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  gboolean more;
  guint n;

  /* One more than a page: whether any are left to ask for. */
  if (read_regions (self, &error))
    rows = ld_store_list_figure (self->store, &self->filter, self->last, PAGE_SIZE + 1, &error);
  ld_read_failure_set_error (self->failure, _("The rows behind this figure"), error);
  if (rows == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->more_row), FALSE);
      return;
    }
  more = rows->len > PAGE_SIZE;
  n = MIN (rows->len, PAGE_SIZE);
  for (guint i = 0; i < n; i++)
    add_row (self, g_ptr_array_index (rows, i));
  if (n > 0)
    {
      g_clear_pointer (&self->last, ld_figure_row_free);
      self->last = g_ptr_array_steal_index (rows, n - 1);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->more_row), more);
  update_subtitle (self);
  if (self->n_shown == 0)
    add_note (self, ld_incident_filter_lists_orders (&self->filter) ? _("No orders behind this figure.")
                                                                     : _("No incidents behind this figure."));
}

LdFigureWindow *
ld_figure_window_new (GtkWindow *parent, LdStore *store, GTimeZone *time_zone, const char *title,
                      const LdIncidentFilter *filter, guint total)
{
  LdFigureWindow *self = g_object_new (LD_TYPE_FIGURE_WINDOW, "transient-for", parent, NULL);

  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->title, title);
  self->store = g_object_ref (store);
  self->time_zone = g_time_zone_ref (time_zone);
  self->total = total;
  self->filter = *filter;
  self->filter.region_code = keep (self, filter->region_code);
  self->filter.category = keep (self, filter->category);
  self->filter.state = keep (self, filter->state);
  self->filter.figure = keep (self, filter->figure);
  self->filter.platform = keep (self, filter->platform);
  self->filter.unit_code = keep (self, filter->unit_code);
  load_page (self);
  return self;
}

guint
ld_figure_window_get_n_shown (LdFigureWindow *self)
{
  g_return_val_if_fail (LD_IS_FIGURE_WINDOW (self), 0);
  return self->n_shown;
}
