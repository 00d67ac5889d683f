/* ld-preferences-window.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include "ld-preferences-window.h"

struct _LdPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GtkSwitch            *wall_screen_switch;
  GtkSpinButton        *scale_spin;
  AdwEntryRow          *time_zone_row;
  AdwEntryRow          *server_row;
  AdwComboRow          *tile_source_row;
  AdwEntryRow          *tile_url_row;
  AdwComboRow          *datum_row;
  AdwEntryRow          *mbtiles_row;
  GtkSwitch            *alert_sound_switch;
  GtkSwitch            *order_sound_switch;

  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (LdPreferencesWindow, ld_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static const char * const tile_sources[] = { "offline", "xyz", "mbtiles", NULL };
static const char * const datums[] = { "wgs84", "gcj02", NULL };

/* The combo rows list the enum's nicks in their order. */
static gboolean
nick_to_index (GValue *value, GVariant *variant, gpointer data)
{
  const char * const *nicks = data;
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; nicks[i]; i++)
    if (g_str_equal (nicks[i], nick))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
index_to_nick (const GValue *value, const GVariantType *type, gpointer data)
{
  const char * const *nicks = data;
  guint i = g_value_get_uint (value);

  return i < g_strv_length ((char **) nicks) ? g_variant_new_string (nicks[i]) : NULL;
}

/* Entry rows write on apply, not on every key press. */
static void
on_apply (AdwEntryRow *row, LdPreferencesWindow *self)
{
  const char *key = g_object_get_data (G_OBJECT (row), "ld-key");
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  if (g_str_equal (key, "time-zone"))
    {
      g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (text);
      if (tz == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("“%s” is not a time zone, e.g. Asia/Shanghai"), text);
          /* A toast's title is markup, and this one quotes what was typed. */
          g_autofree char *title = g_markup_escape_text (message, -1);

          adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (title));
          return;
        }
    }
  g_settings_set_string (self->settings, key, text);
}

static void
bind_entry (LdPreferencesWindow *self, AdwEntryRow *row, const char *key)
{
  g_autofree char *value = g_settings_get_string (self->settings, key);

  g_object_set_data (G_OBJECT (row), "ld-key", (gpointer) key);
  gtk_editable_set_text (GTK_EDITABLE (row), value);
  g_signal_connect (row, "apply", G_CALLBACK (on_apply), self);
}

static void
ld_preferences_window_dispose (GObject *object)
{
  LdPreferencesWindow *self = LD_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ld_preferences_window_parent_class)->dispose (object);
}

static void
ld_preferences_window_class_init (LdPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LdPreferencesWindow, wall_screen_switch);
  gtk_widget_class_bind_template_child (widget_class, LdPreferencesWindow, scale_spin);
  gtk_widget_class_bind_template_child (widget_class, LdPreferencesWindow, time_zone_row);
  gtk_widget_class_bind_template_child (widget_class, LdPreferencesWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, LdPreferencesWindow, tile_source_row);
  gtk_widget_class_bind_template_child (widget_class, LdPreferencesWindow, tile_url_row);
  gtk_widget_class_bind_template_child (widget_class, LdPreferencesWindow, datum_row);
  gtk_widget_class_bind_template_child (widget_class, LdPreferencesWindow, mbtiles_row);
  gtk_widget_class_bind_template_child (widget_class, LdPreferencesWindow, alert_sound_switch);
  gtk_widget_class_bind_template_child (widget_class, LdPreferencesWindow, order_sound_switch);
}

static void
ld_preferences_window_init (LdPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

LdPreferencesWindow *
ld_preferences_window_new (GtkWindow *parent, GSettings *settings)
{
  LdPreferencesWindow *self = g_object_new (LD_TYPE_PREFERENCES_WINDOW,
                                            "transient-for", parent, "modal", TRUE, NULL);

  self->settings = g_object_ref (settings);
  g_settings_bind (settings, "wall-screen", self->wall_screen_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "wall-screen-scale", self->scale_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (settings, "tile-source", self->tile_source_row, "selected", G_SETTINGS_BIND_DEFAULT,
                                nick_to_index, index_to_nick, (gpointer) tile_sources, NULL);
  g_settings_bind_with_mapping (settings, "tile-datum", self->datum_row, "selected", G_SETTINGS_BIND_DEFAULT,
                                nick_to_index, index_to_nick, (gpointer) datums, NULL);
  bind_entry (self, self->time_zone_row, "time-zone");
  bind_entry (self, self->server_row, "server-url");
  bind_entry (self, self->tile_url_row, "tile-url");
  bind_entry (self, self->mbtiles_row, "mbtiles-path");
  g_settings_bind (settings, "alert-sound", self->alert_sound_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "order-sound", self->order_sound_switch, "active", G_SETTINGS_BIND_DEFAULT);
  return self;
}
