/* ld-drop-dispatcher.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include <adwaita.h>

#include "ld-drop-dispatcher.h"

/* A drop waiting out its undo: sent when its toast goes, unless undone. */
typedef struct {
  LdDropDispatcher *dispatcher;
  LdSyncEngine     *engine;
  GStrv             incidents;
  GStrv             units;
  AdwToast         *toast;
  gboolean          undone;
} PendingDispatch;

struct _LdDropDispatcher
{
  GObject          parent_instance;

  GtkWidget       *anchor;   /* weak */
  LdSyncEngine    *engine;
  LdDispatchNames *names;
  PendingDispatch *pending;
  guint            undo_timeout;
};

G_DEFINE_FINAL_TYPE (LdDropDispatcher, ld_drop_dispatcher, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LD_DROP_DISPATCHER_UNDO_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

LdDropDispatcher *
ld_drop_dispatcher_new (GtkWidget *anchor)
{
  LdDropDispatcher *self = g_object_new (LD_TYPE_DROP_DISPATCHER, NULL);

  g_set_weak_pointer (&self->anchor, anchor);
  return self;
}

static GtkWidget *
toast_overlay (LdDropDispatcher *self)
{
  return self->anchor ? gtk_widget_get_ancestor (self->anchor, ADW_TYPE_TOAST_OVERLAY) : NULL;
}

/* A toast's title is markup: names and refusals that quote what someone
 * typed are shown as written. */
static void
say (LdDropDispatcher *self, const char *text)
{
  GtkWidget *overlay = toast_overlay (self);
  g_autofree char *title = g_markup_escape_text (text, -1);

  if (overlay)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
  else
    g_message ("%s", title);
}

static void
send_dispatch (LdDropDispatcher *self, PendingDispatch *pending)
{
  for (guint i = 0; pending->incidents[i]; i++)
    for (guint j = 0; pending->units[j]; j++)
      {
        g_autoptr(JsonObject) op = json_object_new ();
        JsonObject *fields = json_object_new ();
        g_autofree char *order_id = ld_id_new (ld_time_now ());
        g_autoptr(GError) error = NULL;

        json_object_set_string_member (fields, "incident_id", pending->incidents[i]);
        json_object_set_string_member (fields, "unit_code", pending->units[j]);
        json_object_set_string_member (op, "entity", "order");
        json_object_set_string_member (op, "entity_id", order_id);
        json_object_set_string_member (op, "action", "dispatch");
        json_object_set_object_member (op, "fields", fields);
        if (!ld_sync_engine_submit (pending->engine, op, &error))
          say (self, error->message);
      }
}

static void
pending_free (PendingDispatch *pending)
{
  g_strfreev (pending->incidents);
  g_strfreev (pending->units);
  g_clear_object (&pending->engine);
  g_clear_object (&pending->toast);
  g_free (pending);
}

static void
on_undo (AdwToast *toast, PendingDispatch *pending)
{
  pending->undone = TRUE;
}

/* The toast going is the moment of sending: timed out, replaced by the
 * next drop's, or closed. */
static void
on_toast_dismissed (AdwToast *toast, PendingDispatch *pending)
{
  LdDropDispatcher *self = pending->dispatcher;

  if (self != NULL)
    {
      if (!pending->undone)
        send_dispatch (self, pending);
      if (self->pending == pending)
        self->pending = NULL;
    }
  pending_free (pending);
}

/* A drop still in its undo time is sent, not lost with the desk; its
 * toast, when it goes, does nothing more. */
static void
flush (LdDropDispatcher *self)
{
  PendingDispatch *pending = self->pending;

  if (pending == NULL)
    return;
  self->pending = NULL;
  if (!pending->undone)
    send_dispatch (self, pending);
  pending->dispatcher = NULL;
}

void
ld_drop_dispatcher_set_engine (LdDropDispatcher *self, LdSyncEngine *engine)
{
  g_return_if_fail (LD_IS_DROP_DISPATCHER (self));

  flush (self);
  g_set_object (&self->engine, engine);
}

void
ld_drop_dispatcher_set_names (LdDropDispatcher *self, LdDispatchNames *names)
{
  g_return_if_fail (LD_IS_DROP_DISPATCHER (self));
  g_return_if_fail (LD_IS_DISPATCH_NAMES (names));

  g_set_object (&self->names, names);
}

/* A record the replica does not have is left out of the drop, as a closed
 * one is; any other failure to read it stops the drop. */
static gboolean
read_failed (GError **local, GError **error)
{
  if (*local == NULL || g_error_matches (*local, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND))
    {
      g_clear_error (local);
      return FALSE;
    }
  g_propagate_error (error, g_steal_pointer (local));
  return TRUE;
}

static gboolean
is_open_order (const LdOrder *order, const char *unit_code)
{
  return g_str_equal (order->unit_code, unit_code) &&
         !g_str_equal (order->state, "completed") && !g_str_equal (order->state, "returned");
}

/* What a drop may dispatch: open incidents and active units, without the
 * pairs already holding an open order. Sets @reason to why the last one
 * left out was. */
static gboolean
prune_dispatch (LdDropDispatcher *self, GPtrArray *incidents, GPtrArray *units, char **reason, GError **error)
{
  LdStore *store = ld_sync_engine_get_store (self->engine);
  GError *local = NULL;

  for (guint i = 0; i < incidents->len;)
    {
      g_autoptr(LdIncident) incident = ld_store_get_incident (store, g_ptr_array_index (incidents, i), &local);

      if (incident == NULL && read_failed (&local, error))
        return FALSE;
      if (incident == NULL || !(g_str_equal (incident->state, "new") || g_str_equal (incident->state, "dispatched")))
        {
          g_free (*reason);
          *reason = g_strdup (_("Only an open incident can be dispatched."));
          g_ptr_array_remove_index (incidents, i);
        }
      else
        i++;
    }
  for (guint j = 0; j < units->len;)
    {
      g_autoptr(LdUnit) unit = ld_store_get_unit (store, g_ptr_array_index (units, j), &local);
      gboolean busy = FALSE;

      if (unit == NULL && read_failed (&local, error))
        return FALSE;
      for (guint i = 0; unit && i < incidents->len; i++)
        {
          g_autoptr(GPtrArray) orders = ld_store_list_orders (store, g_ptr_array_index (incidents, i), error);

          if (orders == NULL)
            return FALSE;
          for (guint k = 0; k < orders->len; k++)
            busy = busy || is_open_order (g_ptr_array_index (orders, k), unit->code);
        }
      if (unit == NULL || unit->inactive || busy)
        {
          g_free (*reason);
          *reason = unit && busy ? g_strdup_printf (_("%s already has this incident."), unit->name)
                                 : g_strdup (_("That unit is not on duty."));
          g_ptr_array_remove_index (units, j);
        }
      else
        j++;
    }
  return TRUE;
}

static GPtrArray *
strv_to_array (const char *const *strv)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; strv && strv[i]; i++)
    g_ptr_array_add (array, g_strdup (strv[i]));
  return array;
}

static GStrv
array_to_strv (GPtrArray *array)
{
  g_ptr_array_add (array, NULL);
  return (GStrv) g_ptr_array_free (g_ptr_array_ref (array), FALSE);
}

gboolean
ld_drop_dispatcher_request (LdDropDispatcher  *self,
                            const char *const *incident_ids,
                            const char *const *unit_codes,
                            GError           **error)
{
  g_autoptr(GPtrArray) incidents = NULL;
  g_autoptr(GPtrArray) units = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *title = NULL;
  g_autofree char *markup = NULL;
  PendingDispatch *pending;
  AdwToast *toast;

  g_return_val_if_fail (LD_IS_DROP_DISPATCHER (self), FALSE);
  g_return_val_if_fail (self->engine != NULL, FALSE);

  /* A drop made before the last one's toast went sends the last one now,
   * before this one is checked against the orders it makes. */
  if (self->pending)
    adw_toast_dismiss (self->pending->toast);
  incidents = strv_to_array (incident_ids);
  units = strv_to_array (unit_codes);
  if (!prune_dispatch (self, incidents, units, &reason, error))
    return FALSE;
  if (incidents->len == 0 || units->len == 0)
    {
      say (self, reason ? reason : _("Nothing to dispatch."));
      return TRUE;
    }

  if (units->len == 1)
    {
      const char *code = g_ptr_array_index (units, 0);
      const char *name = self->names ? ld_dispatch_names_unit (self->names, code) : code;

      /* Translators: a toast with Undo, shown for a few seconds after a drop */
      title = g_strdup_printf (_("Dispatching to %s"), name);
    }
  else
    /* Translators: a toast with Undo after several units were dropped at once (joint handling) */
    title = g_strdup_printf (ngettext ("Dispatching to %u unit", "Dispatching to %u units", units->len), units->len);

  pending = g_new0 (PendingDispatch, 1);
  pending->dispatcher = self;
  pending->engine = g_object_ref (self->engine);
  pending->incidents = array_to_strv (incidents);
  pending->units = array_to_strv (units);
  if (toast_overlay (self) == NULL)
    {
      send_dispatch (self, pending);
      pending_free (pending);
      return TRUE;
    }
  markup = g_markup_escape_text (title, -1);
  toast = adw_toast_new (markup);
  pending->toast = g_object_ref (toast);
  self->pending = pending;

  adw_toast_set_timeout (toast, self->undo_timeout);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (on_undo), pending);
  g_signal_connect (toast, "dismissed", G_CALLBACK (on_toast_dismissed), pending);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (toast_overlay (self)), toast);
  return TRUE;
}

gboolean
ld_drop_dispatcher_undo (LdDropDispatcher *self)
{
  g_return_val_if_fail (LD_IS_DROP_DISPATCHER (self), FALSE);

  if (self->pending == NULL)
    return FALSE;
  self->pending->undone = TRUE;
  adw_toast_dismiss (self->pending->toast);
  return TRUE;
}

static void
ld_drop_dispatcher_dispose (GObject *object)
{
  LdDropDispatcher *self = LD_DROP_DISPATCHER (object);

  flush (self);
  g_clear_weak_pointer (&self->anchor);
  g_clear_object (&self->engine);
  g_clear_object (&self->names);

  G_OBJECT_CLASS (ld_drop_dispatcher_parent_class)->dispose (object);
}

static void
ld_drop_dispatcher_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LdDropDispatcher *self = LD_DROP_DISPATCHER (object);

  switch (prop_id)
    {
    case PROP_LD_DROP_DISPATCHER_UNDO_TIMEOUT:
      g_value_set_uint (value, self->undo_timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_drop_dispatcher_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LdDropDispatcher *self = LD_DROP_DISPATCHER (object);

  switch (prop_id)
    {
    case PROP_LD_DROP_DISPATCHER_UNDO_TIMEOUT:
      if (self->undo_timeout != g_value_get_uint (value))
        {
          self->undo_timeout = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_drop_dispatcher_class_init (LdDropDispatcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ld_drop_dispatcher_dispose;
  object_class->get_property = ld_drop_dispatcher_get_property;
  object_class->set_property = ld_drop_dispatcher_set_property;

  /* The seconds a drop waits for Undo before it is sent; with 0 it waits
   * until its toast is closed. */
  properties[PROP_LD_DROP_DISPATCHER_UNDO_TIMEOUT] =
    g_param_spec_uint ("undo-timeout", NULL, NULL, 0, G_MAXUINT, LD_DROP_DISPATCHER_UNDO_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ld_drop_dispatcher_init (LdDropDispatcher *self)
{
  self->undo_timeout = LD_DROP_DISPATCHER_UNDO_TIMEOUT;
}
