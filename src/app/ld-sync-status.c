/* ld-sync-status.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include "ld-sync-status.h"

struct _LdSyncStatus
{
  GtkWidget     parent_instance;

  GtkButton    *button;
  GtkImage     *icon;
  GtkLabel     *label;

  LdSyncEngine *engine;
};

G_DEFINE_FINAL_TYPE (LdSyncStatus, ld_sync_status, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (LdSyncStatus *self)
{
  LdSyncState state = self->engine ? ld_sync_engine_get_state (self->engine) : LD_SYNC_STATE_OFFLINE;
  guint n = self->engine ? ld_sync_engine_get_n_pending (self->engine) : 0;
  const char *error = self->engine ? ld_sync_engine_get_last_error (self->engine) : NULL;
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  const char *icon = "network-offline-symbolic";

  gtk_widget_remove_css_class (GTK_WIDGET (self->button), "offline");
  gtk_widget_remove_css_class (GTK_WIDGET (self->button), "signed-out");
  switch (state)
    {
    case LD_SYNC_STATE_ONLINE:
      icon = n > 0 ? "emblem-synchronizing-symbolic" : "network-idle-symbolic";
      text = n > 0 ? g_strdup_printf (ngettext ("Online · sending %u change", "Online · sending %u changes", n), n)
                   : g_strdup (_("Online"));
      tooltip = g_strdup (_("Connected to the central server: changes go out and come in as they happen"));
      break;
    case LD_SYNC_STATE_CONNECTING:
      icon = "emblem-synchronizing-symbolic";
      text = g_strdup (_("Connecting…"));
      break;
    case LD_SYNC_STATE_OFFLINE:
      text = n > 0 ? g_strdup_printf (ngettext ("Offline · %u change waiting", "Offline · %u changes waiting", n), n)
                   : g_strdup (_("Offline"));
      gtk_widget_add_css_class (GTK_WIDGET (self->button), "offline");
      tooltip = g_strdup_printf ("%s\n%s", error ? error : _("Not connected to the central server"),
                                 _("Work goes on here and is sent when the link returns. Click to try now."));
      break;
    case LD_SYNC_STATE_SIGNED_OUT:
      icon = "network-error-symbolic";
      text = n > 0 ? g_strdup_printf (ngettext ("Signed out · %u change waiting", "Signed out · %u changes waiting", n), n)
                   : g_strdup (_("Signed out"));
      gtk_widget_add_css_class (GTK_WIDGET (self->button), "signed-out");
      tooltip = g_strdup (error);
      break;
    default:
      g_assert_not_reached ();
    }
  gtk_image_set_from_icon_name (self->icon, icon);
  gtk_label_set_label (self->label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), tooltip);
}

static void
on_engine_notify (LdSyncEngine *engine, GParamSpec *pspec, LdSyncStatus *self)
{
  update (self);
}

void
ld_sync_status_set_engine (LdSyncStatus *self, LdSyncEngine *engine)
{
  g_return_if_fail (LD_IS_SYNC_STATUS (self));

  if (self->engine == engine)
    return;
  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  if (engine)
    {
      g_signal_connect_object (engine, "notify::state", G_CALLBACK (on_engine_notify), self, 0);
      g_signal_connect_object (engine, "notify::n-pending", G_CALLBACK (on_engine_notify), self, 0);
      g_signal_connect_object (engine, "notify::last-error", G_CALLBACK (on_engine_notify), self, 0);
    }
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

const char *
ld_sync_status_get_text (LdSyncStatus *self)
{
  return gtk_label_get_label (self->label);
}

static void
ld_sync_status_dispose (GObject *object)
{
  LdSyncStatus *self = LD_SYNC_STATUS (object);

  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_SYNC_STATUS);

  G_OBJECT_CLASS (ld_sync_status_parent_class)->dispose (object);
}

static void
ld_sync_status_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, LD_SYNC_STATUS (object)->engine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_sync_status_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ENGINE:
      ld_sync_status_set_engine (LD_SYNC_STATUS (object), g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_sync_status_class_init (LdSyncStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_sync_status_dispose;
  object_class->get_property = ld_sync_status_get_property;
  object_class->set_property = ld_sync_status_set_property;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, LD_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-sync-status.ui");
  gtk_widget_class_bind_template_child (widget_class, LdSyncStatus, button);
  gtk_widget_class_bind_template_child (widget_class, LdSyncStatus, icon);
  gtk_widget_class_bind_template_child (widget_class, LdSyncStatus, label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ld_sync_status_init (LdSyncStatus *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}
