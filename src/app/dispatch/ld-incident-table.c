/* ld-incident-table.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include <adwaita.h>

#include "ld-incident-item.h"
#include "ld-incident-table.h"
#include "ld-map-view.h"

struct _LdIncidentTable
{
  GtkWidget        parent_instance;

  GtkStack        *stack;
  GtkColumnView   *board;

  LdDispatchNames *names;
  GTimeZone       *time_zone;
};

G_DEFINE_FINAL_TYPE (LdIncidentTable, ld_incident_table, GTK_TYPE_WIDGET)

enum {
  DISPATCH_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef char *(*CellText) (LdIncidentTable *self, LdIncidentItem *item);

typedef struct {
  const char *title;
  const char *property;  /* the item property the cell follows */
  CellText    text;
  gboolean    expand;
} Column;

static char *
received_text (LdIncidentTable *self, LdIncidentItem *item)
{
  /* Month, day and minute: the board holds a day, and a night shift spans two. */
  return ld_time_format_short (ld_incident_item_get_received_at (item), self->time_zone);
}

static char *
region_text (LdIncidentTable *self, LdIncidentItem *item)
{
  return g_strdup (ld_dispatch_names_region (self->names, ld_incident_item_get_incident (item)->region_code));
}

static char *
category_text (LdIncidentTable *self, LdIncidentItem *item)
{
  return g_strdup (ld_dispatch_names_category (self->names, ld_incident_item_get_incident (item)->category));
}

static char *
summary_text (LdIncidentTable *self, LdIncidentItem *item)
{
  return g_strdup (ld_incident_item_get_incident (item)->summary);
}

static char *
address_text (LdIncidentTable *self, LdIncidentItem *item)
{
  return g_strdup (ld_incident_item_get_incident (item)->address);
}

static char *
state_text (LdIncidentTable *self, LdIncidentItem *item)
{
  return g_strdup (ld_incident_state_label (ld_incident_item_get_incident (item)->state));
}

static char *
orders_text (LdIncidentTable *self, LdIncidentItem *item)
{
  guint n = ld_incident_item_get_n_orders (item);

  if (n == 0)
    return g_strdup ("—");
  /* Translators: of the incident's orders, how many are still open */
  return g_strdup_printf (_("%u of %u open"), ld_incident_item_get_n_open (item), n);
}

static char *
due_text (LdIncidentTable *self, LdIncidentItem *item)
{
  gint64 due = ld_incident_item_get_next_due (item);

  return due == LD_TIME_NONE ? g_strdup ("—") : ld_time_format_due (due, ld_time_now ());
}

static const Column columns[] = {
  { N_("Received"), "received-at", received_text, FALSE },
  { N_("Region"), "region-code", region_text, FALSE },
  { N_("Category"), "category", category_text, FALSE },
  { N_("Summary"), "summary", summary_text, TRUE },
  { N_("Address"), "address", address_text, TRUE },
  { N_("State"), "state", state_text, FALSE },
  { N_("Orders"), "n-open", orders_text, FALSE },
  { N_("Next Deadline"), "next-due", due_text, FALSE },
};

static void
set_css_class (GtkWidget *widget, const char *css_class, gboolean set)
{
  if (set)
    gtk_widget_add_css_class (widget, css_class);
  else
    gtk_widget_remove_css_class (widget, css_class);
}

static void
refresh_cell (LdIncidentItem *item, GParamSpec *pspec, GtkListItem *list_item)
{
  LdIncidentTable *self = g_object_get_data (G_OBJECT (list_item), "ld-table");
  const Column *column = g_object_get_data (G_OBJECT (list_item), "ld-column");
  GtkWidget *label = gtk_list_item_get_child (list_item);
  g_autofree char *text = column->text (self, item);

  gtk_label_set_label (GTK_LABEL (label), text ? text : "");
  if (column->text == state_text)
    set_css_class (label, "state-new", g_strcmp0 (ld_incident_item_get_incident (item)->state, "new") == 0);
  if (column->text == due_text)
    {
      gint64 due = ld_incident_item_get_next_due (item);

      set_css_class (label, "overdue", due != LD_TIME_NONE && due < ld_time_now ());
    }
  if (column->text == orders_text)
    set_css_class (label, "overdue", ld_incident_item_get_overdue (item));
}

/* ---- Rows dragged onto units, and units dropped onto them ---- */

static GdkContentProvider *
on_row_drag_prepare (GtkDragSource *source, double x, double y, GtkListItem *list_item)
{
  LdIncidentItem *item = gtk_list_item_get_item (list_item);
  const char *ids[2] = { NULL, NULL };
  g_autofree char *text = NULL;

  if (item == NULL)
    return NULL;
  ids[0] = ld_incident_item_get_id (item);
  text = ld_map_drag_encode (LD_MAP_DRAG_INCIDENT, ids);
  return gdk_content_provider_new_typed (G_TYPE_STRING, text);
}

static gboolean
on_row_drop (GtkDropTarget *target, const GValue *value, double x, double y, GtkListItem *list_item)
{
  LdIncidentTable *self = g_object_get_data (G_OBJECT (list_item), "ld-table");
  LdIncidentItem *item = gtk_list_item_get_item (list_item);
  g_autofree char *kind = NULL;
  g_auto(GStrv) ids = NULL;
  const char *one[2] = { NULL, NULL };

  if (item == NULL || !ld_map_drag_decode (g_value_get_string (value), &kind, &ids) ||
      !g_str_equal (kind, LD_MAP_DRAG_UNITS))
    return FALSE;
  one[0] = ld_incident_item_get_id (item);
  g_signal_emit (self, signals[DISPATCH_REQUESTED], 0, one, ids);
  return TRUE;
}

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *list_item, LdIncidentTable *self)
{
  const Column *column = g_object_get_data (G_OBJECT (factory), "ld-column");
  GtkWidget *label = gtk_label_new (NULL);
  GtkDragSource *drag = gtk_drag_source_new ();
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_COPY);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
  g_object_set_data (G_OBJECT (list_item), "ld-table", self);
  g_object_set_data (G_OBJECT (list_item), "ld-column", (gpointer) column);

  gtk_drag_source_set_actions (drag, GDK_ACTION_COPY);
  g_signal_connect (drag, "prepare", G_CALLBACK (on_row_drag_prepare), list_item);
  gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (drop, "drop", G_CALLBACK (on_row_drop), list_item);
  gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (drop));
}

/* A row follows its item in place: the model changes items, not rows. */
static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *list_item, LdIncidentTable *self)
{
  const Column *column = g_object_get_data (G_OBJECT (factory), "ld-column");
  LdIncidentItem *item = gtk_list_item_get_item (list_item);
  g_autofree char *signal = g_strconcat ("notify::", column->property, NULL);

  refresh_cell (item, NULL, list_item);
  g_signal_connect_object (item, signal, G_CALLBACK (refresh_cell), list_item, 0);
  if (column->text == orders_text)
    g_signal_connect_object (item, "notify::overdue", G_CALLBACK (refresh_cell), list_item, 0);
}

static void
unbind_cell (GtkSignalListItemFactory *factory, GtkListItem *list_item, LdIncidentTable *self)
{
  LdIncidentItem *item = gtk_list_item_get_item (list_item);

  if (item)
    g_signal_handlers_disconnect_by_data (item, list_item);
}

void
ld_incident_table_set_model (LdIncidentTable *self, GtkSelectionModel *model)
{
  g_return_if_fail (LD_IS_INCIDENT_TABLE (self));
  gtk_column_view_set_model (self->board, model);
}

void
ld_incident_table_set_names (LdIncidentTable *self, LdDispatchNames *names, GTimeZone *time_zone)
{
  g_return_if_fail (LD_IS_INCIDENT_TABLE (self));
  g_return_if_fail (LD_IS_DISPATCH_NAMES (names));
  g_return_if_fail (time_zone != NULL);

  g_set_object (&self->names, names);
  g_time_zone_ref (time_zone);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  self->time_zone = time_zone;
}

void
ld_incident_table_set_view (LdIncidentTable *self, LdIncidentTableView view)
{
  static const char *const names[] = {
    [LD_INCIDENT_TABLE_ROWS] = "board",
    [LD_INCIDENT_TABLE_EMPTY] = "empty",
    [LD_INCIDENT_TABLE_NO_MATCH] = "no-match",
  };

  g_return_if_fail (LD_IS_INCIDENT_TABLE (self));
  g_return_if_fail (view < G_N_ELEMENTS (names));

  gtk_stack_set_visible_child_name (self->stack, names[view]);
}

static gboolean
scroll_to_top (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (widget));

  if (vadjustment)
    gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_lower (vadjustment));
  return G_SOURCE_REMOVE;
}

/* The list keeps its top row in place when rows arrive above it, so the
 * scroll waits for the next frame's layout. */
void
ld_incident_table_scroll_to_top (LdIncidentTable *self)
{
  g_return_if_fail (LD_IS_INCIDENT_TABLE (self));
  gtk_widget_add_tick_callback (GTK_WIDGET (self->board), scroll_to_top, NULL, NULL);
}

static void
ld_incident_table_dispose (GObject *object)
{
  LdIncidentTable *self = LD_INCIDENT_TABLE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_INCIDENT_TABLE);
  g_clear_object (&self->names);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);

  G_OBJECT_CLASS (ld_incident_table_parent_class)->dispose (object);
}

static void
ld_incident_table_class_init (LdIncidentTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_incident_table_dispose;

  signals[DISPATCH_REQUESTED] =
    g_signal_new ("dispatch-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRV, G_TYPE_STRV);

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-incident-table.ui");
  gtk_widget_class_bind_template_child (widget_class, LdIncidentTable, stack);
  gtk_widget_class_bind_template_child (widget_class, LdIncidentTable, board);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ld_incident_table_init (LdIncidentTable *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->names = ld_dispatch_names_new ();
  self->time_zone = g_time_zone_new_utc ();

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_object_set_data (G_OBJECT (factory), "ld-column", (gpointer) &columns[i]);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), self);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), self);
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->board, column);
    }
}
