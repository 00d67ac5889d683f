/* ld-incident-search.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include "ld-incident-item.h"
#include "ld-incident-search.h"

struct _LdIncidentSearch
{
  GObject     parent_instance;

  LdStore    *store;
  GListStore *results;
  guint       limit;
};

G_DEFINE_FINAL_TYPE (LdIncidentSearch, ld_incident_search, G_TYPE_OBJECT)

LdIncidentSearch *
ld_incident_search_new (guint limit)
{
  LdIncidentSearch *self = g_object_new (LD_TYPE_INCIDENT_SEARCH, NULL);

  self->limit = limit;
  return self;
}

void
ld_incident_search_set_store (LdIncidentSearch *self, LdStore *store)
{
  g_return_if_fail (LD_IS_INCIDENT_SEARCH (self));
  g_set_object (&self->store, store);
}

gboolean
ld_incident_search_run (LdIncidentSearch *self, const char *query, GError **error)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (LD_IS_INCIDENT_SEARCH (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);

  found = ld_store_search_incidents (self->store, query, NULL, self->limit, error);
  if (found == NULL)
    return FALSE;
  for (guint i = 0; i < found->len; i++)
    {
      const LdIncident *incident = g_ptr_array_index (found, i);
      g_autoptr(GPtrArray) orders = ld_store_list_orders (self->store, incident->id, error);
      LdIncidentItem *item;

      if (orders == NULL)
        return FALSE;
      /* A found row reads like a board row: its orders, late or not. */
      item = ld_incident_item_new (incident);
      ld_incident_item_update (item, NULL, orders);
      g_ptr_array_add (items, item);
    }
  g_list_store_splice (self->results, 0, g_list_model_get_n_items (G_LIST_MODEL (self->results)),
                       items->pdata, items->len);
  return TRUE;
}

GListModel *
ld_incident_search_get_model (LdIncidentSearch *self)
{
  g_return_val_if_fail (LD_IS_INCIDENT_SEARCH (self), NULL);
  return G_LIST_MODEL (self->results);
}

gboolean
ld_incident_search_is_full (LdIncidentSearch *self)
{
  g_return_val_if_fail (LD_IS_INCIDENT_SEARCH (self), FALSE);
  return g_list_model_get_n_items (G_LIST_MODEL (self->results)) >= self->limit;
}

static void
ld_incident_search_finalize (GObject *object)
{
  LdIncidentSearch *self = LD_INCIDENT_SEARCH (object);

  g_clear_object (&self->store);
  g_object_unref (self->results);

  G_OBJECT_CLASS (ld_incident_search_parent_class)->finalize (object);
}

static void
ld_incident_search_class_init (LdIncidentSearchClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ld_incident_search_finalize;
}

static void
ld_incident_search_init (LdIncidentSearch *self)
{
  self->results = g_list_store_new (LD_TYPE_INCIDENT_ITEM);
}
