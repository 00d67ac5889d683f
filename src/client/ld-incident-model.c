/* ld-incident-model.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-client"

#include "config.h"

#include "ld-incident-model.h"

struct _LdIncidentModel
{
  GObject       parent_instance;

  LdSyncEngine *engine;
  gint64        window_us;
  GPtrArray    *items;   /* LdIncidentItem, newest first */
  GHashTable   *by_id;   /* id → LdIncidentItem (borrowed) */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LdIncidentModel, ld_incident_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return LD_TYPE_INCIDENT_ITEM;
}

static guint
get_n_items (GListModel *model)
{
  return LD_INCIDENT_MODEL (model)->items->len;
}

static gpointer
get_item (GListModel *model, guint position)
{
  LdIncidentModel *self = LD_INCIDENT_MODEL (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
ld_incident_model_dispose (GObject *object)
{
  LdIncidentModel *self = LD_INCIDENT_MODEL (object);

  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (ld_incident_model_parent_class)->dispose (object);
}

static void
ld_incident_model_class_init (LdIncidentModelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ld_incident_model_dispose;
}

static void
ld_incident_model_init (LdIncidentModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static LdStore *
store (LdIncidentModel *self)
{
  return ld_sync_engine_get_store (self->engine);
}

static gboolean
on_board (LdIncidentModel *self, const LdIncident *incident)
{
  return g_str_equal (incident->state, "new") || g_str_equal (incident->state, "dispatched") ||
         incident->received_at >= ld_time_now () - self->window_us;
}

/* Newest first; the id breaks ties, as in the store's query. */
static int
compare (const LdIncident *a, const LdIncident *b)
{
  if (a->received_at != b->received_at)
    return a->received_at > b->received_at ? -1 : 1;
  return -g_strcmp0 (a->id, b->id);
}

static guint
insertion_point (LdIncidentModel *self, const LdIncident *incident)
{
  guint lo = 0, hi = self->items->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      LdIncidentItem *item = g_ptr_array_index (self->items, mid);

      if (compare (ld_incident_item_get_incident (item), incident) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

LdIncidentItem *
ld_incident_model_lookup (LdIncidentModel *self, const char *id, guint *position)
{
  LdIncidentItem *item = g_hash_table_lookup (self->by_id, id);

  if (item && position)
    *position = insertion_point (self, ld_incident_item_get_incident (item));
  return item;
}

static void
reload (LdIncidentModel *self)
{
  guint removed = self->items->len;
  gint64 since = ld_time_now () - self->window_us;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) incidents = ld_store_list_board_incidents (store (self), since, &error);
  g_autoptr(GHashTable) stats = incidents ? ld_store_board_order_stats (store (self), since, &error) : NULL;

  g_hash_table_remove_all (self->by_id);
  g_ptr_array_set_size (self->items, 0);
  if (incidents == NULL)
    g_warning ("cannot read the duty board: %s", error->message);
  for (guint i = 0; incidents && i < incidents->len; i++)
    {
      const LdIncident *incident = g_ptr_array_index (incidents, i);
      LdIncidentItem *item = ld_incident_item_new (incident);
      const LdOrderStats *s = stats ? g_hash_table_lookup (stats, incident->id) : NULL;

      if (s)
        ld_incident_item_set_order_stats (item, s);
      g_ptr_array_add (self->items, item);
      g_hash_table_insert (self->by_id, g_strdup (ld_incident_item_get_id (item)), item);
    }
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->items->len);
}

static void
refresh (LdIncidentModel *self, const char *id)
{
  g_autoptr(LdIncident) incident = ld_store_get_incident (store (self), id, NULL);
  LdIncidentItem *item = g_hash_table_lookup (self->by_id, id);
  g_autoptr(GPtrArray) orders = NULL;
  guint position;

  if (item != NULL && (incident == NULL || !on_board (self, incident)))
    {
      position = insertion_point (self, ld_incident_item_get_incident (item));
      g_hash_table_remove (self->by_id, id);
      g_ptr_array_remove_index (self->items, position);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
      return;
    }
  if (incident == NULL || !on_board (self, incident))
    return;
  orders = ld_store_list_orders (store (self), id, NULL);
  if (item != NULL)
    {
      /* In place: a row bound to the item's properties follows by itself. */
      ld_incident_item_update (item, incident, orders);
      return;
    }
  item = ld_incident_item_new (incident);
  ld_incident_item_update (item, NULL, orders);
  position = insertion_point (self, incident);
  g_ptr_array_insert (self->items, position, item);
  g_hash_table_insert (self->by_id, g_strdup (ld_incident_item_get_id (item)), item);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
}

static void
on_changed (LdSyncEngine *engine, GStrv incidents, GStrv orders, LdIncidentModel *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; incidents && incidents[i]; i++)
    if (g_hash_table_add (seen, g_strdup (incidents[i])))
      refresh (self, incidents[i]);
  /* An order's change shows on its incident's row. */
  for (guint i = 0; orders && orders[i]; i++)
    {
      g_autoptr(LdOrder) order = ld_store_get_order (store (self), orders[i], NULL);

      if (order && g_hash_table_add (seen, g_strdup (order->incident_id)))
        refresh (self, order->incident_id);
    }
}

static void
on_replica (LdSyncEngine *engine, GParamSpec *pspec, LdIncidentModel *self)
{
  reload (self);
}

LdIncidentModel *
ld_incident_model_new (LdSyncEngine *engine, gint64 window_us)
{
  LdIncidentModel *self = g_object_new (LD_TYPE_INCIDENT_MODEL, NULL);

  self->engine = g_object_ref (engine);
  self->window_us = window_us;
  g_signal_connect (engine, "changed", G_CALLBACK (on_changed), self);
  g_signal_connect (engine, "notify::replica", G_CALLBACK (on_replica), self);
  reload (self);
  return self;
}
