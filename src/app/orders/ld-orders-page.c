/* ld-orders-page.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ld-order-card.h"
#include "ld-order-row.h"
#include "ld-duty-roster-window.h"
#include "ld-orders-page.h"
#include "ld-roll-call-prompt.h"
#include "ld-read-failure.h"

/* How many orders a tab reads at most: a unit's open orders are a few
 * dozen on its worst day. */
#define LIST_LIMIT 1000
/* How far back "Done" looks. */
#define DONE_DAYS 30

typedef enum {
  TAB_TO_SIGN,
  TAB_IN_HAND,
  TAB_DONE,
  TAB_RETURNED,
  N_TABS
} Tab;

struct _LdOrdersPage
{
  GtkWidget         parent_instance;

  AdwViewStack     *tabs;
  AdwViewStackPage *tab_pages[N_TABS];
  GtkListBox       *lists[N_TABS];
  LdReadFailure    *failure;
  LdOrderCard      *card;
  LdRollCallPrompt *roll_call;

  LdSyncEngine     *engine;
  GTimeZone        *time_zone;
  GHashTable       *known;     /* every order id read so far */
  GHashTable       *fresh;     /* ids of orders that came in while open, not signed yet */
  gboolean          seeded;    /* the orders already there have been read */
  guint             tick_id;
  gboolean          selecting;
  Tab               selected_tab;   /* where the order on the card was listed */
};

G_DEFINE_FINAL_TYPE (LdOrdersPage, ld_orders_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_N_FRESH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ORDER_ARRIVED,
  ORDER_SETTLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static Tab
tab_of (const LdOrder *o)
{
  if (g_str_equal (o->state, "dispatched"))
    return TAB_TO_SIGN;
  if (g_str_equal (o->state, "completed"))
    return TAB_DONE;
  if (g_str_equal (o->state, "returned"))
    return TAB_RETURNED;
  return TAB_IN_HAND;
}

/* The order of each tab: what is due soonest first where a deadline
 * runs, the latest first where none does; new orders above all. */
static int
compare_rows (gconstpointer a, gconstpointer b, gpointer data)
{
  LdOrdersPage *self = data;
  const LdFigureRow *ra = *(LdFigureRow * const *) a;
  const LdFigureRow *rb = *(LdFigureRow * const *) b;
  gboolean fa = g_hash_table_contains (self->fresh, ra->order->id);
  gboolean fb = g_hash_table_contains (self->fresh, rb->order->id);
  gint64 ka, kb;

  if (fa != fb)
    return fa ? -1 : 1;
  switch (tab_of (ra->order))
    {
    case TAB_DONE:
      ka = -rb->order->completed_at, kb = -ra->order->completed_at;
      break;
    case TAB_RETURNED:
      ka = -rb->order->returned_at, kb = -ra->order->returned_at;
      break;
    case TAB_TO_SIGN:
    case TAB_IN_HAND:
    case N_TABS:
    default:
      ka = ld_order_current_due (ra->order), kb = ld_order_current_due (rb->order);
      break;
    }
  return ka < kb ? -1 : ka > kb ? 1 : g_strcmp0 (ra->order->id, rb->order->id);
}

/* The rows go; the placeholder stays. */
static void
clear_list (GtkListBox *list)
{
  for (GtkListBoxRow *row; (row = gtk_list_box_get_row_at_index (list, 0));)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

static GNotification *
arrival_notification (const LdFigureRow *row)
{
  GNotification *notification = g_notification_new (_("New Work Order"));
  const LdIncident *inc = row->incident;
  g_autoptr(GString) body = g_string_new (inc->summary ? inc->summary : "");

  if (inc->address && *inc->address)
    g_string_append_printf (body, "%s%s", body->len ? "\n" : "", inc->address);
  g_notification_set_body (notification, body->str);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  /* A click opens the desk on the order, from wherever it was. */
  g_notification_set_default_action_and_target (notification, "app.show-order", "s", row->order->id);
  return notification;
}

static GHashTable *
category_names (LdStore *store, GError **error)
{
  g_autoptr(GPtrArray) categories = ld_store_list_categories (store, error);
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; categories && i < categories->len; i++)
    {
      const LdCategory *c = g_ptr_array_index (categories, i);
      g_hash_table_insert (names, g_strdup (c->code), g_strdup (c->name));
    }
  return names;
}

/* The desk opens on the first tab with an order in it, on its first
 * order: the one due soonest. */
static void
show_first (LdOrdersPage *self)
{
  for (guint t = 0; t < N_TABS; t++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->lists[t], 0);

      if (row)
        {
          ld_orders_page_select (self, ld_order_row_get_order_id (LD_ORDER_ROW (row)));
          return;
        }
    }
}

static void
refresh (LdOrdersPage *self)
{
  LdStore *store;
  const LdUser *user;
  gint64 now = g_get_real_time ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GPtrArray) recent = NULL;
  g_autoptr(GPtrArray) arrived = g_ptr_array_new ();
  g_autoptr(GPtrArray) settled = g_ptr_array_new ();
  g_autoptr(GHashTable) categories = NULL;
  GPtrArray *by_tab[N_TABS];
  const char *selected = ld_order_card_get_order (self->card);
  guint n_fresh = g_hash_table_size (self->fresh);
  gboolean first_read;

  if (self->engine == NULL)
    return;
  user = ld_account_get_user (ld_sync_engine_get_account (self->engine));
  /* The page is a unit's: another role has no orders of its own to read. */
  if (user->unit_code == NULL)
    return;
  store = ld_sync_engine_get_store (self->engine);
  {
    LdIncidentFilter filter = { .figure = "not_completed", .unit_code = user->unit_code };

    open = ld_store_list_figure (store, &filter, NULL, LIST_LIMIT, &error);
  }
  if (open)
    {
      LdIncidentFilter filter = { .figure = "dispatched", .unit_code = user->unit_code,
                                  .since = now - (gint64) DONE_DAYS * 24 * 3600 * G_USEC_PER_SEC };

      recent = ld_store_list_figure (store, &filter, NULL, LIST_LIMIT, &error);
    }
  if (recent)
    categories = category_names (store, &error);
  ld_read_failure_set_error (self->failure, _("The unit's orders"), error);
  if (error)
    return;

  for (guint t = 0; t < N_TABS; t++)
    by_tab[t] = g_ptr_array_new ();
  for (guint i = 0; i < open->len; i++)
    {
      const LdFigureRow *row = g_ptr_array_index (open, i);
      const char *id = row->order->id;

      /* Only what arrives after the first read is news. */
      if (self->seeded && !g_hash_table_contains (self->known, id) && tab_of (row->order) == TAB_TO_SIGN)
        {
          g_hash_table_add (self->fresh, g_strdup (id));
          g_ptr_array_add (arrived, (gpointer) row);
        }
      if (tab_of (row->order) != TAB_TO_SIGN && g_hash_table_remove (self->fresh, id))
        g_ptr_array_add (settled, (gpointer) id);
      g_hash_table_add (self->known, g_strdup (id));
      g_ptr_array_add (by_tab[tab_of (row->order)], (gpointer) row);
    }
  for (guint i = 0; i < recent->len; i++)
    {
      const LdFigureRow *row = g_ptr_array_index (recent, i);

      g_hash_table_add (self->known, g_strdup (row->order->id));
      if (tab_of (row->order) == TAB_DONE)
        {
          if (g_hash_table_remove (self->fresh, row->order->id))
            g_ptr_array_add (settled, row->order->id);
          g_ptr_array_add (by_tab[TAB_DONE], (gpointer) row);
        }
    }
  first_read = !self->seeded;
  self->seeded = TRUE;

  self->selecting = TRUE;
  for (guint t = 0; t < N_TABS; t++)
    {
      g_ptr_array_sort_with_data (by_tab[t], compare_rows, self);
      clear_list (self->lists[t]);
      for (guint i = 0; i < by_tab[t]->len; i++)
        {
          const LdFigureRow *row = g_ptr_array_index (by_tab[t], i);
          GtkWidget *widget = ld_order_row_new ();
          const char *category = row->incident->category
                                   ? g_hash_table_lookup (categories, row->incident->category) : NULL;

          ld_order_row_set (LD_ORDER_ROW (widget), row, category, self->time_zone,
                            g_hash_table_contains (self->fresh, row->order->id), now);
          gtk_list_box_append (self->lists[t], widget);
          if (g_strcmp0 (selected, row->order->id) == 0)
            {
              gtk_list_box_select_row (self->lists[t], GTK_LIST_BOX_ROW (widget));
              /* The order the unit works on moves to its next tab with
               * the step just taken, and the view goes with it. */
              if (t != self->selected_tab)
                adw_view_stack_set_visible_child (self->tabs, adw_view_stack_page_get_child (self->tab_pages[t]));
              self->selected_tab = t;
            }
        }
    }
  self->selecting = FALSE;
  adw_view_stack_page_set_badge_number (self->tab_pages[TAB_TO_SIGN], by_tab[TAB_TO_SIGN]->len);
  for (guint t = 0; t < N_TABS; t++)
    g_ptr_array_unref (by_tab[t]);
  adw_view_stack_page_set_needs_attention (self->tab_pages[TAB_TO_SIGN], g_hash_table_size (self->fresh) > 0);
  ld_order_card_refresh (self->card);

  if (n_fresh != g_hash_table_size (self->fresh))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FRESH]);
  for (guint i = 0; i < settled->len; i++)
    g_signal_emit (self, signals[ORDER_SETTLED], 0, g_ptr_array_index (settled, i));
  for (guint i = 0; i < arrived->len; i++)
    {
      const LdFigureRow *row = g_ptr_array_index (arrived, i);
      g_autoptr(GNotification) notification = arrival_notification (row);

      g_signal_emit (self, signals[ORDER_ARRIVED], 0, row->order->id, notification);
    }
  /* A new order is put in front of the unit when nothing else is open. */
  if (arrived->len > 0 && ld_order_card_get_order (self->card) == NULL)
    {
      const LdFigureRow *row = g_ptr_array_index (arrived, 0);

      ld_orders_page_select (self, row->order->id);
    }
  else if (first_read)
    show_first (self);
}

static void
on_changed (LdSyncEngine *engine, GStrv incidents, GStrv orders, LdOrdersPage *self)
{
  refresh (self);
}

static void
on_replica (LdSyncEngine *engine, GParamSpec *pspec, LdOrdersPage *self)
{
  refresh (self);
}

static void
on_row_selected (GtkListBox *list, GtkListBoxRow *row, LdOrdersPage *self)
{
  if (self->selecting || row == NULL)
    return;
  for (guint t = 0; t < N_TABS; t++)
    if (self->lists[t] != list)
      gtk_list_box_unselect_all (self->lists[t]);
    else
      self->selected_tab = t;
  ld_order_card_set_order (self->card, ld_order_row_get_order_id (LD_ORDER_ROW (row)));
}

static gboolean
tick (gpointer data)
{
  LdOrdersPage *self = data;
  gint64 now = g_get_real_time ();

  for (guint t = 0; t < N_TABS; t++)
    for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->lists[t])); row;
         row = gtk_widget_get_next_sibling (row))
      if (LD_IS_ORDER_ROW (row))
        ld_order_row_tick (LD_ORDER_ROW (row), now);
  ld_order_card_tick (self->card, now);
  return G_SOURCE_CONTINUE;
}

void
ld_orders_page_select (LdOrdersPage *self, const char *order_id)
{
  g_return_if_fail (LD_IS_ORDERS_PAGE (self));

  self->selecting = TRUE;
  for (guint t = 0; t < N_TABS; t++)
    {
      gtk_list_box_unselect_all (self->lists[t]);
      for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->lists[t])); row;
           row = gtk_widget_get_next_sibling (row))
        if (LD_IS_ORDER_ROW (row) && g_strcmp0 (ld_order_row_get_order_id (LD_ORDER_ROW (row)), order_id) == 0)
          {
            gtk_list_box_select_row (self->lists[t], GTK_LIST_BOX_ROW (row));
            adw_view_stack_set_visible_child (self->tabs, adw_view_stack_page_get_child (self->tab_pages[t]));
            self->selected_tab = t;
          }
    }
  self->selecting = FALSE;
  ld_order_card_set_order (self->card, order_id);
}

const char *
ld_orders_page_get_selected (LdOrdersPage *self)
{
  g_return_val_if_fail (LD_IS_ORDERS_PAGE (self), NULL);
  return ld_order_card_get_order (self->card);
}

guint
ld_orders_page_get_n_fresh (LdOrdersPage *self)
{
  g_return_val_if_fail (LD_IS_ORDERS_PAGE (self), 0);
  return g_hash_table_size (self->fresh);
}

gboolean
ld_orders_page_is_fresh (LdOrdersPage *self, const char *order_id)
{
  g_return_val_if_fail (LD_IS_ORDERS_PAGE (self), FALSE);
  return order_id && g_hash_table_contains (self->fresh, order_id);
}

void
ld_orders_page_set_map_source (LdOrdersPage *self, ShumateMapSource *source, LdDatum datum)
{
  g_return_if_fail (LD_IS_ORDERS_PAGE (self));
  ld_order_card_set_map_source (self->card, source, datum);
}

void
ld_orders_page_set_engine (LdOrdersPage *self, LdSyncEngine *engine, GTimeZone *time_zone)
{
  g_return_if_fail (LD_IS_ORDERS_PAGE (self));
  g_return_if_fail (engine == NULL || LD_IS_SYNC_ENGINE (engine));
  g_return_if_fail (time_zone != NULL);

  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  self->time_zone = g_time_zone_ref (time_zone);
  if (self->engine != engine)
    {
      if (self->engine)
        g_signal_handlers_disconnect_by_data (self->engine, self);
      g_set_object (&self->engine, engine);
      /* Another engine is another user: what it already holds is not news. */
      g_hash_table_remove_all (self->known);
      g_hash_table_remove_all (self->fresh);
      self->seeded = FALSE;
      if (engine)
        {
          g_signal_connect_object (engine, "changed", G_CALLBACK (on_changed), self, 0);
          g_signal_connect_object (engine, "notify::replica", G_CALLBACK (on_replica), self, 0);
        }
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
    }
  ld_order_card_set_engine (self->card, engine, time_zone);
  ld_roll_call_prompt_set_engine (self->roll_call, engine);
  refresh (self);
}

/* The unit keeps its own roster, for the center to call who is on duty. */
static void
on_duty_roster (LdOrdersPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->engine)
    gtk_window_present (GTK_WINDOW (ld_duty_roster_window_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                               self->engine)));
}

LdSyncEngine *
ld_orders_page_get_engine (LdOrdersPage *self)
{
  g_return_val_if_fail (LD_IS_ORDERS_PAGE (self), NULL);
  return self->engine;
}

static void
ld_orders_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LdOrdersPage *self = LD_ORDERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_N_FRESH:
      g_value_set_uint (value, g_hash_table_size (self->fresh));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_orders_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LdOrdersPage *self = LD_ORDERS_PAGE (object);
  LdSyncEngine *engine;

  switch (prop_id)
    {
    case PROP_ENGINE:
      engine = g_value_get_object (value);
      ld_orders_page_set_engine (self, engine, engine ? ld_store_get_time_zone (ld_sync_engine_get_store (engine))
                                                      : self->time_zone);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_orders_page_dispose (GObject *object)
{
  LdOrdersPage *self = LD_ORDERS_PAGE (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_ORDERS_PAGE);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (ld_orders_page_parent_class)->dispose (object);
}

static void
ld_orders_page_finalize (GObject *object)
{
  LdOrdersPage *self = LD_ORDERS_PAGE (object);

  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  g_hash_table_unref (self->known);
  g_hash_table_unref (self->fresh);

  G_OBJECT_CLASS (ld_orders_page_parent_class)->finalize (object);
}

static void
ld_orders_page_class_init (LdOrdersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_orders_page_dispose;
  object_class->finalize = ld_orders_page_finalize;
  object_class->get_property = ld_orders_page_get_property;
  object_class->set_property = ld_orders_page_set_property;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, LD_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_FRESH] =
    g_param_spec_uint ("n-fresh", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* An order that came in while the page was open: its id, and the
   * desktop notification that announces it. */
  signals[ORDER_ARRIVED] =
    g_signal_new ("order-arrived", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_NOTIFICATION);
  /* An order announced by "order-arrived" that is new no more: signed,
   * or taken back. Its notification has done its work. */
  signals[ORDER_SETTLED] =
    g_signal_new ("order-settled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (LD_TYPE_ORDER_CARD);
  g_type_ensure (LD_TYPE_READ_FAILURE);
  g_type_ensure (LD_TYPE_ROLL_CALL_PROMPT);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-orders-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LdOrdersPage, tabs);
  gtk_widget_class_bind_template_child_full (widget_class, "to_sign_page", FALSE,
                                             G_STRUCT_OFFSET (LdOrdersPage, tab_pages[TAB_TO_SIGN]));
  gtk_widget_class_bind_template_child_full (widget_class, "in_hand_page", FALSE,
                                             G_STRUCT_OFFSET (LdOrdersPage, tab_pages[TAB_IN_HAND]));
  gtk_widget_class_bind_template_child_full (widget_class, "done_page", FALSE,
                                             G_STRUCT_OFFSET (LdOrdersPage, tab_pages[TAB_DONE]));
  gtk_widget_class_bind_template_child_full (widget_class, "returned_page", FALSE,
                                             G_STRUCT_OFFSET (LdOrdersPage, tab_pages[TAB_RETURNED]));
  gtk_widget_class_bind_template_child_full (widget_class, "to_sign_list", FALSE,
                                             G_STRUCT_OFFSET (LdOrdersPage, lists[TAB_TO_SIGN]));
  gtk_widget_class_bind_template_child_full (widget_class, "in_hand_list", FALSE,
                                             G_STRUCT_OFFSET (LdOrdersPage, lists[TAB_IN_HAND]));
  gtk_widget_class_bind_template_child_full (widget_class, "done_list", FALSE,
                                             G_STRUCT_OFFSET (LdOrdersPage, lists[TAB_DONE]));
  gtk_widget_class_bind_template_child_full (widget_class, "returned_list", FALSE,
                                             G_STRUCT_OFFSET (LdOrdersPage, lists[TAB_RETURNED]));
  gtk_widget_class_bind_template_child (widget_class, LdOrdersPage, failure);
  gtk_widget_class_bind_template_callback (widget_class, on_duty_roster);
  gtk_widget_class_bind_template_child (widget_class, LdOrdersPage, roll_call);
  gtk_widget_class_bind_template_child (widget_class, LdOrdersPage, card);
  gtk_widget_class_bind_template_callback (widget_class, refresh);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ld_orders_page_init (LdOrdersPage *self)
{
  self->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->fresh = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->time_zone = g_time_zone_new_utc ();
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The minute a deadline shows moves by itself. */
  self->tick_id = g_timeout_add_seconds (1, tick, self);
}
