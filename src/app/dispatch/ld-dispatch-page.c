/* ld-dispatch-page.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include "ld-dispatch-page.h"
#include "ld-incident-model.h"
#include "ld-incident-pane.h"
#include "ld-intake-window.h"

/* The board keeps what is still open and what came in during the last day. */
#define BOARD_WINDOW_US (G_GINT64_CONSTANT (24) * 3600 * 1000000)

struct _LdDispatchPage
{
  GtkWidget        parent_instance;

  GtkStack        *stack;
  GtkLabel        *summary_label;
  GtkColumnView   *board;
  LdIncidentPane  *pane;

  LdSyncEngine    *engine;
  LdIncidentModel *model;
  GTimeZone       *time_zone;
  GHashTable      *region_names;
  GHashTable      *category_names;
  guint            summary_source;
};

G_DEFINE_FINAL_TYPE (LdDispatchPage, ld_dispatch_page, GTK_TYPE_WIDGET)

typedef char *(*CellText) (LdDispatchPage *self, LdIncidentItem *item);

typedef struct {
  const char *title;
  const char *property;  /* the item property the cell follows */
  CellText    text;
  gboolean    expand;
} Column;

static char *
received_text (LdDispatchPage *self, LdIncidentItem *item)
{
  /* Month, day and minute: the board holds a day, and a night shift spans two. */
  return ld_time_format_short (ld_incident_item_get_received_at (item), self->time_zone);
}

static char *
lookup_name (GHashTable *names, const char *code)
{
  const char *name = code ? g_hash_table_lookup (names, code) : NULL;
  return g_strdup (name ? name : code);
}

static char *
region_text (LdDispatchPage *self, LdIncidentItem *item)
{
  return lookup_name (self->region_names, ld_incident_item_get_incident (item)->region_code);
}

static char *
category_text (LdDispatchPage *self, LdIncidentItem *item)
{
  return lookup_name (self->category_names, ld_incident_item_get_incident (item)->category);
}

static char *
summary_text (LdDispatchPage *self, LdIncidentItem *item)
{
  return g_strdup (ld_incident_item_get_incident (item)->summary);
}

static char *
address_text (LdDispatchPage *self, LdIncidentItem *item)
{
  return g_strdup (ld_incident_item_get_incident (item)->address);
}

static char *
state_text (LdDispatchPage *self, LdIncidentItem *item)
{
  return g_strdup (ld_incident_state_label (ld_incident_item_get_incident (item)->state));
}

static char *
orders_text (LdDispatchPage *self, LdIncidentItem *item)
{
  guint n = ld_incident_item_get_n_orders (item);

  if (n == 0)
    return g_strdup ("—");
  /* Translators: of the incident's orders, how many are still open */
  return g_strdup_printf (_("%u of %u open"), ld_incident_item_get_n_open (item), n);
}

static const Column columns[] = {
  { N_("Received"), "received-at", received_text, FALSE },
  { N_("Region"), "region-code", region_text, FALSE },
  { N_("Category"), "category", category_text, FALSE },
  { N_("Summary"), "summary", summary_text, TRUE },
  { N_("Address"), "address", address_text, TRUE },
  { N_("State"), "state", state_text, FALSE },
  { N_("Orders"), "n-open", orders_text, FALSE },
};

static void
refresh_cell (LdIncidentItem *item, GParamSpec *pspec, GtkListItem *list_item)
{
  LdDispatchPage *self = g_object_get_data (G_OBJECT (list_item), "ld-page");
  const Column *column = g_object_get_data (G_OBJECT (list_item), "ld-column");
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  g_autofree char *text = column->text (self, item);

  gtk_label_set_label (label, text ? text : "");
  if (column->text == state_text)
    {
      gboolean fresh = g_strcmp0 (ld_incident_item_get_incident (item)->state, "new") == 0;
      if (fresh)
        gtk_widget_add_css_class (GTK_WIDGET (label), "state-new");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (label), "state-new");
    }
  if (column->text == orders_text)
    {
      if (ld_incident_item_get_overdue (item))
        gtk_widget_add_css_class (GTK_WIDGET (label), "overdue");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (label), "overdue");
    }
}

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *list_item, LdDispatchPage *self)
{
  const Column *column = g_object_get_data (G_OBJECT (factory), "ld-column");
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
  g_object_set_data (G_OBJECT (list_item), "ld-page", self);
  g_object_set_data (G_OBJECT (list_item), "ld-column", (gpointer) column);
}

/* A row follows its item in place: the model changes items, not rows. */
static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *list_item, LdDispatchPage *self)
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
unbind_cell (GtkSignalListItemFactory *factory, GtkListItem *list_item, LdDispatchPage *self)
{
  LdIncidentItem *item = gtk_list_item_get_item (list_item);

  if (item)
    g_signal_handlers_disconnect_by_data (item, list_item);
}

static void
update_summary (LdDispatchPage *self)
{
  guint n = self->model ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  guint open = 0;
  g_autofree char *text = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LdIncidentItem) item = g_list_model_get_item (G_LIST_MODEL (self->model), i);
      const char *state = ld_incident_item_get_incident (item)->state;

      if (g_str_equal (state, "new") || g_str_equal (state, "dispatched"))
        open++;
    }
  text = g_strdup_printf (ngettext ("%u incident on the board, %u open", "%u incidents on the board, %u open", n),
                          n, open);
  gtk_label_set_label (self->summary_label, text);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "board" : "empty");
}

static gboolean
update_summary_idle (gpointer data)
{
  LdDispatchPage *self = data;

  self->summary_source = 0;
  update_summary (self);
  return G_SOURCE_REMOVE;
}

/* A catch-up changes thousands of rows: the count is taken once after. */
static void
queue_summary (LdDispatchPage *self)
{
  if (self->summary_source == 0)
    self->summary_source = g_idle_add (update_summary_idle, self);
}

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, LdDispatchPage *self)
{
  queue_summary (self);
}

static void
on_incident_state (LdSyncEngine *engine, GStrv incidents, GStrv orders, LdDispatchPage *self)
{
  queue_summary (self);
}

static gboolean
scroll_to_top (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (widget));

  if (vadjustment)
    gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_lower (vadjustment));
  return G_SOURCE_REMOVE;
}

/* The board is newest first: the new row is at the top, where the eye
 * goes next. The list keeps its top row in place when rows arrive above
 * it, so the scroll waits for the next frame's layout. */
static void
on_recorded (LdIntakeWindow *intake, const char *id, LdDispatchPage *self)
{
  /* Recorded, it is dispatched next: the pane shows it ready. */
  ld_incident_pane_set_incident (self->pane, id);
  gtk_widget_add_tick_callback (GTK_WIDGET (self->board), scroll_to_top, NULL, NULL);
}

static void
record_incident_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  LdDispatchPage *self = LD_DISPATCH_PAGE (widget);
  LdIntakeWindow *intake;

  if (self->engine == NULL)
    return;
  intake = ld_intake_window_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->engine);
  g_signal_connect_object (intake, "recorded", G_CALLBACK (on_recorded), self, 0);
  gtk_window_present (GTK_WINDOW (intake));
}

/* The pane follows the incident, not the row: a row that moves or goes
 * keeps the pane on what the dispatcher chose. */
static void
on_selected (GtkSingleSelection *selection, GParamSpec *pspec, LdDispatchPage *self)
{
  LdIncidentItem *item = gtk_single_selection_get_selected_item (selection);

  if (item)
    ld_incident_pane_set_incident (self->pane, ld_incident_item_get_id (item));
}

static void
load_names (LdDispatchPage *self)
{
  LdStore *store = ld_replica_get_store (ld_sync_engine_get_replica (self->engine));
  g_autoptr(GPtrArray) regions = ld_store_list_regions (store, NULL);
  g_autoptr(GPtrArray) categories = ld_store_list_categories (store, NULL);

  g_hash_table_remove_all (self->region_names);
  g_hash_table_remove_all (self->category_names);
  for (guint i = 0; regions && i < regions->len; i++)
    {
      LdRegion *r = g_ptr_array_index (regions, i);
      g_hash_table_insert (self->region_names, g_strdup (r->code), g_strdup (r->name));
    }
  for (guint i = 0; categories && i < categories->len; i++)
    {
      LdCategory *c = g_ptr_array_index (categories, i);
      g_hash_table_insert (self->category_names, g_strdup (c->code), g_strdup (c->name));
    }
}

void
ld_dispatch_page_set_engine (LdDispatchPage *self, LdSyncEngine *engine, GTimeZone *time_zone)
{
  g_autoptr(GtkSingleSelection) selection = NULL;

  g_return_if_fail (LD_IS_DISPATCH_PAGE (self));

  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  if (self->model)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  g_set_object (&self->engine, engine);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  self->time_zone = g_time_zone_ref (time_zone);
  if (engine == NULL)
    {
      gtk_column_view_set_model (self->board, NULL);
      update_summary (self);
      return;
    }
  load_names (self);
  {
    const char *role = ld_account_get_user (ld_sync_engine_get_account (engine))->role;
    /* The server takes new incidents from dispatchers only. */
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "dispatch.record-incident",
                                   g_strcmp0 (role, "dispatcher") == 0 || g_strcmp0 (role, "admin") == 0);
  }
  self->model = ld_incident_model_new (engine, BOARD_WINDOW_US);
  g_signal_connect (self->model, "items-changed", G_CALLBACK (on_items_changed), self);
  g_signal_connect_object (engine, "changed", G_CALLBACK (on_incident_state), self, G_CONNECT_AFTER);
  selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_single_selection_set_selected (selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect (selection, "notify::selected-item", G_CALLBACK (on_selected), self);
  gtk_column_view_set_model (self->board, GTK_SELECTION_MODEL (selection));
  ld_incident_pane_set_engine (self->pane, engine, self->time_zone);
  update_summary (self);
}

void
ld_dispatch_page_select (LdDispatchPage *self, const char *incident_id)
{
  ld_incident_pane_set_incident (self->pane, incident_id);
}

GListModel *
ld_dispatch_page_get_model (LdDispatchPage *self)
{
  return self->model ? G_LIST_MODEL (self->model) : NULL;
}

static void
ld_dispatch_page_dispose (GObject *object)
{
  LdDispatchPage *self = LD_DISPATCH_PAGE (object);

  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  if (self->model)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_handle_id (&self->summary_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_DISPATCH_PAGE);
  /* The template's outer box holds the rest and has no name of its own. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->model);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  g_clear_pointer (&self->region_names, g_hash_table_unref);
  g_clear_pointer (&self->category_names, g_hash_table_unref);

  G_OBJECT_CLASS (ld_dispatch_page_parent_class)->dispose (object);
}

static void
ld_dispatch_page_class_init (LdDispatchPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (LD_TYPE_INCIDENT_PANE);
  object_class->dispose = ld_dispatch_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-dispatch-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, stack);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, board);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, pane);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "dispatch.record-incident", NULL, record_incident_activated);
}

static void
ld_dispatch_page_init (LdDispatchPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dispatch.record-incident", FALSE);

  self->time_zone = g_time_zone_new_utc ();
  self->region_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->category_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
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
  update_summary (self);
}
