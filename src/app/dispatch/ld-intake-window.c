/* ld-intake-window.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include "ld-intake-window.h"

struct _LdIntakeWindow
{
  AdwWindow     parent_instance;

  AdwComboRow  *source_row;
  AdwEntryRow  *phone_row;
  AdwActionRow *repeat_row;
  AdwComboRow  *region_row;
  AdwComboRow  *category_row;
  AdwEntryRow  *address_row;
  AdwEntryRow  *summary_row;
  GtkLabel     *message_label;

  LdSyncEngine *engine;
  GPtrArray    *region_codes;    /* NULL first: not known yet */
  GPtrArray    *categories;      /* LdCategory, in the combo's order */
};

G_DEFINE_FINAL_TYPE (LdIntakeWindow, ld_intake_window, ADW_TYPE_WINDOW)

enum {
  RECORDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const sources[] = { "110", "12345", "96345", "grid", "inspection", "other" };

static void
show_message (LdIntakeWindow *self, const char *message)
{
  gtk_label_set_label (self->message_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), TRUE);
}

/* The same phone within 72 h is a repeat call (seed 000 counts them
 * against the center): the dispatcher sees the earlier calls at once. */
static void
on_phone_changed (LdIntakeWindow *self)
{
  g_autofree char *phone = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->phone_row))));
  LdStore *store = ld_replica_get_store (ld_sync_engine_get_replica (self->engine));
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GString) earlier = g_string_new (NULL);
  g_autofree char *title = NULL;

  if (self->engine == NULL)
    return;
  if (strlen (phone) >= 5)
    calls = ld_store_list_calls_before (store, phone, ld_time_now () + 1, NULL);
  if (calls == NULL || calls->len == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->repeat_row), FALSE);
      return;
    }
  for (guint i = 0; i < MIN (calls->len, 5); i++)
    {
      const LdIncident *inc = g_ptr_array_index (calls, i);
      g_autofree char *when = ld_time_format_short (inc->received_at, ld_store_get_time_zone (store));

      g_string_append_printf (earlier, "%s%s %s · %s", i ? "\n" : "", when,
                              inc->summary ? inc->summary : "", ld_incident_state_label (inc->state));
    }
  title = g_strdup_printf (ngettext ("Repeat caller: %u call in the last 72 hours",
                                     "Repeat caller: %u calls in the last 72 hours", calls->len), calls->len);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->repeat_row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->repeat_row), earlier->str);
  gtk_widget_set_visible (GTK_WIDGET (self->repeat_row), TRUE);
}

static void
set_text (JsonObject *fields, const char *name, AdwEntryRow *row)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (*text)
    json_object_set_string_member (fields, name, text);
}

static void
on_record (LdIntakeWindow *self)
{
  g_autoptr(JsonObject) op = json_object_new ();
  JsonObject *fields = json_object_new ();
  g_autofree char *id = ld_id_new (ld_time_now ());
  g_autoptr(GError) error = NULL;
  guint source = adw_combo_row_get_selected (self->source_row);
  guint region = adw_combo_row_get_selected (self->region_row);
  guint category = adw_combo_row_get_selected (self->category_row);
  const LdCategory *c = category < self->categories->len ? g_ptr_array_index (self->categories, category) : NULL;
  g_autofree char *summary = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->summary_row))));

  json_object_set_object_member (op, "fields", fields);
  if (*summary == '\0')
    {
      show_message (self, _("Say what the caller reports"));
      gtk_widget_grab_focus (GTK_WIDGET (self->summary_row));
      return;
    }
  json_object_set_string_member (op, "entity", "incident");
  json_object_set_string_member (op, "entity_id", id);
  json_object_set_string_member (op, "action", "create");
  json_object_set_string_member (fields, "source", sources[MIN (source, G_N_ELEMENTS (sources) - 1)]);
  /* A matter the responsibility list diverts goes to its platform at once. */
  if (c && g_strcmp0 (c->mode, "divert") == 0)
    {
      json_object_set_string_member (fields, "kind", "diverted");
      json_object_set_string_member (fields, "diverted_to", c->platform);
    }
  else
    json_object_set_string_member (fields, "kind", "linkage");
  if (c)
    json_object_set_string_member (fields, "category", c->code);
  if (region < self->region_codes->len && g_ptr_array_index (self->region_codes, region))
    json_object_set_string_member (fields, "region_code", g_ptr_array_index (self->region_codes, region));
  set_text (fields, "caller_phone", self->phone_row);
  set_text (fields, "address", self->address_row);
  set_text (fields, "summary", self->summary_row);

  if (!ld_sync_engine_submit (self->engine, op, &error))
    {
      show_message (self, error->message);
      return;
    }
  g_signal_emit (self, signals[RECORDED], 0, id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
ld_intake_window_dispose (GObject *object)
{
  LdIntakeWindow *self = LD_INTAKE_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_INTAKE_WINDOW);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->region_codes, g_ptr_array_unref);
  g_clear_pointer (&self->categories, g_ptr_array_unref);

  G_OBJECT_CLASS (ld_intake_window_parent_class)->dispose (object);
}

static void
ld_intake_window_class_init (LdIntakeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_intake_window_dispose;

  signals[RECORDED] =
    g_signal_new ("recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-intake-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LdIntakeWindow, source_row);
  gtk_widget_class_bind_template_child (widget_class, LdIntakeWindow, phone_row);
  gtk_widget_class_bind_template_child (widget_class, LdIntakeWindow, repeat_row);
  gtk_widget_class_bind_template_child (widget_class, LdIntakeWindow, region_row);
  gtk_widget_class_bind_template_child (widget_class, LdIntakeWindow, category_row);
  gtk_widget_class_bind_template_child (widget_class, LdIntakeWindow, address_row);
  gtk_widget_class_bind_template_child (widget_class, LdIntakeWindow, summary_row);
  gtk_widget_class_bind_template_child (widget_class, LdIntakeWindow, message_label);
  gtk_widget_class_bind_template_callback (widget_class, on_record);
  gtk_widget_class_bind_template_callback (widget_class, on_phone_changed);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ld_intake_window_init (LdIntakeWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

LdIntakeWindow *
ld_intake_window_new (GtkWindow *parent, LdSyncEngine *engine)
{
  LdIntakeWindow *self = g_object_new (LD_TYPE_INTAKE_WINDOW, "transient-for", parent, NULL);
  LdStore *store = ld_replica_get_store (ld_sync_engine_get_replica (engine));
  g_autoptr(GPtrArray) regions = ld_store_list_regions (store, NULL);
  g_autoptr(GtkStringList) source_names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) region_names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) category_names = gtk_string_list_new (NULL);

  self->engine = g_object_ref (engine);
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    gtk_string_list_append (source_names, ld_source_label (sources[i]));
  adw_combo_row_set_model (self->source_row, G_LIST_MODEL (source_names));

  self->region_codes = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->region_codes, NULL);
  gtk_string_list_append (region_names, _("Not known yet (from the map)"));
  for (guint i = 0; regions && i < regions->len; i++)
    {
      LdRegion *r = g_ptr_array_index (regions, i);
      g_ptr_array_add (self->region_codes, g_strdup (r->code));
      gtk_string_list_append (region_names, r->name);
    }
  adw_combo_row_set_model (self->region_row, G_LIST_MODEL (region_names));

  self->categories = ld_store_list_categories (store, NULL);
  if (self->categories == NULL)
    self->categories = g_ptr_array_new ();
  for (guint i = 0; i < self->categories->len; i++)
    gtk_string_list_append (category_names, ((LdCategory *) g_ptr_array_index (self->categories, i))->name);
  adw_combo_row_set_model (self->category_row, G_LIST_MODEL (category_names));
  gtk_widget_grab_focus (GTK_WIDGET (self->phone_row));
  return self;
}
