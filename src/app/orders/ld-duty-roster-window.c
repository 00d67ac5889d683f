/* ld-duty-roster-window.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include "ld-duty-roster-window.h"
#include "ld-read-failure.h"
#include "ld-time.h"
#include "ld-window.h"

/* The roster shows the turns from a day back to a month ahead. */
#define HOUR_US (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
#define DAY_US (24 * HOUR_US)

struct _LdDutyRosterWindow
{
  AdwWindow      parent_instance;

  LdReadFailure *failure;
  GtkListBox    *list;
  AdwEntryRow   *name_row;
  AdwEntryRow   *phone_row;
  AdwEntryRow   *from_row;
  AdwEntryRow   *to_row;
  GtkLabel      *problem_label;

  LdSyncEngine  *engine;
};

G_DEFINE_FINAL_TYPE (LdDutyRosterWindow, ld_duty_roster_window, ADW_TYPE_WINDOW)

static const char *
unit_code (LdDutyRosterWindow *self)
{
  const LdUser *user = ld_replica_get_user (ld_sync_engine_get_replica (self->engine));

  return user ? user->unit_code : NULL;
}

static gboolean
submit (LdDutyRosterWindow *self, const char *id, const char *action, JsonObject *fields, GError **error)
{
  return ld_sync_engine_submit_action (self->engine, "duty", id, action, fields, error);
}

static void
say (LdDutyRosterWindow *self, const char *problem)
{
  gtk_label_set_text (self->problem_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
}

static void
on_remove (GtkButton *button, LdDutyRosterWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!submit (self, g_object_get_data (G_OBJECT (button), "ld-turn"), "remove", json_object_new (), &error))
    say (self, error->message);
}

static GtkWidget *
turn_row (LdDutyRosterWindow *self, const LdDuty *turn, GTimeZone *tz)
{
  g_autofree char *from = ld_time_format_short (turn->from, tz);
  g_autofree char *to = ld_time_format_short (turn->to, tz);
  g_autofree char *title = g_strdup_printf ("%s · %s", turn->name, turn->phone);
  g_autofree char *when = g_strdup_printf ("%s – %s", from, to);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

  /* Names are what people typed: text, never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), when);
  gtk_widget_set_tooltip_text (remove, _("Remove This Turn"));
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  g_object_set_data_full (G_OBJECT (remove), "ld-turn", g_strdup (turn->id), g_free);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  g_object_set_data_full (G_OBJECT (row), "ld-text", g_strdup_printf ("%s %s", title, when), g_free);
  return row;
}

static void
refresh (LdDutyRosterWindow *self)
{
  LdStore *store = ld_sync_engine_get_store (self->engine);
  gint64 now = ld_time_now ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) turns = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))))
    gtk_list_box_remove (self->list, child);
  if (unit_code (self) == NULL)
    return;
  turns = ld_store_list_duty (store, unit_code (self), now - DAY_US, now + 31 * DAY_US, &error);
  ld_read_failure_set_error (self->failure, _("The duty roster"), error);
  for (guint i = 0; turns && i < turns->len; i++)
    {
      const LdDuty *turn = g_ptr_array_index (turns, i);

      if (!turn->removed)
        gtk_list_box_append (self->list, turn_row (self, turn, ld_store_get_time_zone (store)));
    }
}

static gboolean
read_time (LdDutyRosterWindow *self, AdwEntryRow *row, gint64 *out)
{
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  if (ld_time_parse (text, ld_store_get_time_zone (ld_sync_engine_get_store (self->engine)), out, &error))
    return TRUE;
  say (self, error->message);
  return FALSE;
}

gboolean
ld_duty_roster_window_add (LdDutyRosterWindow *self, const char *name, const char *phone, const char *from,
                           const char *to)
{
  g_return_val_if_fail (LD_IS_DUTY_ROSTER_WINDOW (self), FALSE);

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  gtk_editable_set_text (GTK_EDITABLE (self->phone_row), phone);
  gtk_editable_set_text (GTK_EDITABLE (self->from_row), from);
  gtk_editable_set_text (GTK_EDITABLE (self->to_row), to);
  g_signal_emit_by_name (self, "add-turn");
  return !gtk_widget_get_visible (GTK_WIDGET (self->problem_label));
}

static void
on_add (LdDutyRosterWindow *self)
{
  GTimeZone *tz = ld_store_get_time_zone (ld_sync_engine_get_store (self->engine));
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  const char *phone = gtk_editable_get_text (GTK_EDITABLE (self->phone_row));
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *from_iso = NULL;
  g_autofree char *to_iso = NULL;
  JsonObject *fields;
  gint64 from, to;

  if (ld_text_is_blank (name) || ld_text_is_blank (phone))
    {
      say (self, _("Give the name and the phone of who is on duty"));
      return;
    }
  if (!read_time (self, self->from_row, &from) || !read_time (self, self->to_row, &to))
    return;
  if (to <= from)
    {
      say (self, _("A turn ends after it begins"));
      return;
    }
  from_iso = ld_time_format_iso (from, tz);
  to_iso = ld_time_format_iso (to, tz);
  fields = json_object_new ();
  json_object_set_string_member (fields, "unit_code", unit_code (self));
  json_object_set_string_member (fields, "name", name);
  json_object_set_string_member (fields, "phone", phone);
  json_object_set_string_member (fields, "from", from_iso);
  json_object_set_string_member (fields, "to", to_iso);
  /* The store's own checks (a month at most, a known unit) refuse here
   * first, and say why. */
  if (!submit (self, id, "set", fields, &error))
    {
      say (self, error->message);
      return;
    }
  say (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->phone_row), "");
}

GStrv
ld_duty_roster_window_list_turns (LdDutyRosterWindow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (LD_IS_DUTY_ROSTER_WINDOW (self), NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row;
       row = gtk_widget_get_next_sibling (row))
    g_strv_builder_add (builder, g_object_get_data (G_OBJECT (row), "ld-text"));
  return g_strv_builder_end (builder);
}

LdDutyRosterWindow *
ld_duty_roster_window_new (GtkWindow *parent, LdSyncEngine *engine)
{
  LdDutyRosterWindow *self;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  GTimeZone *tz;
  gint64 hour;

  g_return_val_if_fail (LD_IS_SYNC_ENGINE (engine), NULL);

  self = g_object_new (LD_TYPE_DUTY_ROSTER_WINDOW, "transient-for", parent, NULL);
  self->engine = g_object_ref (engine);
  tz = ld_store_get_time_zone (ld_sync_engine_get_store (engine));
  /* The next turn offered: twelve hours from the coming hour. */
  hour = (ld_time_now () / HOUR_US + 1) * HOUR_US;
  from = ld_time_format (hour, tz);
  to = ld_time_format (hour + 12 * HOUR_US, tz);
  gtk_editable_set_text (GTK_EDITABLE (self->from_row), from);
  gtk_editable_set_text (GTK_EDITABLE (self->to_row), to);
  g_signal_connect_object (engine, "duty-changed", G_CALLBACK (refresh), self, G_CONNECT_SWAPPED);
  ld_window_mark_training (parent, ADW_WINDOW (self));
  refresh (self);
  return self;
}

static void
ld_duty_roster_window_finalize (GObject *object)
{
  LdDutyRosterWindow *self = LD_DUTY_ROSTER_WINDOW (object);

  g_clear_object (&self->engine);

  G_OBJECT_CLASS (ld_duty_roster_window_parent_class)->finalize (object);
}

static void
ld_duty_roster_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LD_TYPE_DUTY_ROSTER_WINDOW);

  G_OBJECT_CLASS (ld_duty_roster_window_parent_class)->dispose (object);
}

static void
ld_duty_roster_window_class_init (LdDutyRosterWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_duty_roster_window_dispose;
  object_class->finalize = ld_duty_roster_window_finalize;

  /* The form's button, as an action signal so tests add a turn the way
   * the user does. */
  g_signal_new_class_handler ("add-turn", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                              G_CALLBACK (on_add), NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (LD_TYPE_READ_FAILURE);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-duty-roster-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LdDutyRosterWindow, failure);
  gtk_widget_class_bind_template_child (widget_class, LdDutyRosterWindow, list);
  gtk_widget_class_bind_template_child (widget_class, LdDutyRosterWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, LdDutyRosterWindow, phone_row);
  gtk_widget_class_bind_template_child (widget_class, LdDutyRosterWindow, from_row);
  gtk_widget_class_bind_template_child (widget_class, LdDutyRosterWindow, to_row);
  gtk_widget_class_bind_template_child (widget_class, LdDutyRosterWindow, problem_label);
  gtk_widget_class_bind_template_callback (widget_class, refresh);
  gtk_widget_class_bind_template_callback (widget_class, on_add);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ld_duty_roster_window_init (LdDutyRosterWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
