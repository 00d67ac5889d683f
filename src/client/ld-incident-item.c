/* ld-incident-item.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-client"

#include "config.h"

#include "ld-incident-item.h"

struct _LdIncidentItem
{
  GObject     parent_instance;

  LdIncident *incident;
  guint       n_orders;
  guint       n_open;
  gboolean    overdue;
  gint64      next_due;
};

G_DEFINE_FINAL_TYPE (LdIncidentItem, ld_incident_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_RECEIVED_AT,
  PROP_SOURCE,
  PROP_KIND,
  PROP_STATE,
  PROP_SUMMARY,
  PROP_ADDRESS,
  PROP_REGION_CODE,
  PROP_CATEGORY,
  PROP_CALLER_PHONE,
  PROP_REPEAT,
  PROP_N_ORDERS,
  PROP_N_OPEN,
  PROP_OVERDUE,
  PROP_NEXT_DUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ld_incident_item_finalize (GObject *object)
{
  LdIncidentItem *self = LD_INCIDENT_ITEM (object);

  g_clear_pointer (&self->incident, ld_incident_free);

  G_OBJECT_CLASS (ld_incident_item_parent_class)->finalize (object);
}

static void
ld_incident_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LdIncidentItem *self = LD_INCIDENT_ITEM (object);
  const LdIncident *i = self->incident;

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, i->id); break;
    case PROP_RECEIVED_AT: g_value_set_int64 (value, i->received_at); break;
    case PROP_SOURCE: g_value_set_string (value, i->source); break;
    case PROP_KIND: g_value_set_string (value, i->kind); break;
    case PROP_STATE: g_value_set_string (value, i->state); break;
    case PROP_SUMMARY: g_value_set_string (value, i->summary); break;
    case PROP_ADDRESS: g_value_set_string (value, i->address); break;
    case PROP_REGION_CODE: g_value_set_string (value, i->region_code); break;
    case PROP_CATEGORY: g_value_set_string (value, i->category); break;
    case PROP_CALLER_PHONE: g_value_set_string (value, i->caller_phone); break;
    case PROP_REPEAT: g_value_set_boolean (value, i->repeat_of != NULL); break;
    case PROP_N_ORDERS: g_value_set_uint (value, self->n_orders); break;
    case PROP_N_OPEN: g_value_set_uint (value, self->n_open); break;
    case PROP_OVERDUE: g_value_set_boolean (value, self->overdue); break;
    case PROP_NEXT_DUE: g_value_set_int64 (value, self->next_due); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
ld_incident_item_class_init (LdIncidentItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = ld_incident_item_finalize;
  object_class->get_property = ld_incident_item_get_property;

  properties[PROP_ID] = string_property ("id");
  properties[PROP_RECEIVED_AT] = g_param_spec_int64 ("received-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_SOURCE] = string_property ("source");
  properties[PROP_KIND] = string_property ("kind");
  properties[PROP_STATE] = string_property ("state");
  properties[PROP_SUMMARY] = string_property ("summary");
  properties[PROP_ADDRESS] = string_property ("address");
  properties[PROP_REGION_CODE] = string_property ("region-code");
  properties[PROP_CATEGORY] = string_property ("category");
  properties[PROP_CALLER_PHONE] = string_property ("caller-phone");
  properties[PROP_REPEAT] = g_param_spec_boolean ("repeat", NULL, NULL, FALSE, flags);
  properties[PROP_N_ORDERS] = g_param_spec_uint ("n-orders", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_OPEN] = g_param_spec_uint ("n-open", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_OVERDUE] = g_param_spec_boolean ("overdue", NULL, NULL, FALSE, flags);
  properties[PROP_NEXT_DUE] = g_param_spec_int64 ("next-due", NULL, NULL, 0, G_MAXINT64, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ld_incident_item_init (LdIncidentItem *self)
{
}

LdIncidentItem *
ld_incident_item_new (const LdIncident *incident)
{
  LdIncidentItem *self = g_object_new (LD_TYPE_INCIDENT_ITEM, NULL);

  self->incident = ld_incident_copy (incident);
  return self;
}

void
ld_incident_item_update (LdIncidentItem *self, const LdIncident *incident, GPtrArray *orders)
{
  LdIncident *old = self->incident;

  g_object_freeze_notify (G_OBJECT (self));
  if (incident)
    {
      self->incident = ld_incident_copy (incident);
#define CHANGED_STR(field, prop) \
      if (g_strcmp0 (old->field, incident->field) != 0) \
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop])
      CHANGED_STR (state, PROP_STATE);
      CHANGED_STR (summary, PROP_SUMMARY);
      CHANGED_STR (address, PROP_ADDRESS);
      CHANGED_STR (region_code, PROP_REGION_CODE);
      CHANGED_STR (category, PROP_CATEGORY);
      CHANGED_STR (kind, PROP_KIND);
      CHANGED_STR (source, PROP_SOURCE);
      CHANGED_STR (caller_phone, PROP_CALLER_PHONE);
#undef CHANGED_STR
      if ((old->repeat_of == NULL) != (incident->repeat_of == NULL))
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPEAT]);
      ld_incident_free (old);
    }
  if (orders)
    {
      LdOrderStats stats = { orders->len, 0, FALSE, LD_TIME_NONE };

      for (guint i = 0; i < orders->len; i++)
        {
          const LdOrder *o = g_ptr_array_index (orders, i);
          gint64 due = ld_order_current_due (o);

          if (due != LD_TIME_NONE && (stats.next_due == LD_TIME_NONE || due < stats.next_due))
            stats.next_due = due;

          if (g_str_equal (o->state, "dispatched") || g_str_equal (o->state, "signed") ||
              g_str_equal (o->state, "arrived"))
            stats.n_open++;
          if (o->overdue != 0)
            stats.overdue = TRUE;
        }
      ld_incident_item_set_order_stats (self, &stats);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
ld_incident_item_set_order_stats (LdIncidentItem *self, const LdOrderStats *stats)
{
  if (self->n_orders != stats->n_orders)
    {
      self->n_orders = stats->n_orders;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ORDERS]);
    }
  if (self->n_open != stats->n_open)
    {
      self->n_open = stats->n_open;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_OPEN]);
    }
  if (self->overdue != stats->overdue)
    {
      self->overdue = stats->overdue;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OVERDUE]);
    }
  if (self->next_due != stats->next_due)
    {
      self->next_due = stats->next_due;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_DUE]);
    }
}

void
ld_incident_item_tick (LdIncidentItem *self)
{
  /* The countdown is read against the clock: its text changes though the
   * deadline does not. */
  if (self->next_due != LD_TIME_NONE)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_DUE]);
}

const LdIncident *ld_incident_item_get_incident (LdIncidentItem *self) { return self->incident; }
const char *ld_incident_item_get_id (LdIncidentItem *self) { return self->incident->id; }
gint64 ld_incident_item_get_received_at (LdIncidentItem *self) { return self->incident->received_at; }
guint ld_incident_item_get_n_orders (LdIncidentItem *self) { return self->n_orders; }
guint ld_incident_item_get_n_open (LdIncidentItem *self) { return self->n_open; }
gboolean ld_incident_item_get_overdue (LdIncidentItem *self) { return self->overdue; }
gint64 ld_incident_item_get_next_due (LdIncidentItem *self) { return self->next_due; }
