/* ld-roll-call-prompt.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include "ld-roll-call-prompt.h"
#include "ld-time.h"

/* A roll call older than this is long decided: not worth reading. */
#define LOOK_BACK_US (G_GINT64_CONSTANT (24) * 3600 * G_USEC_PER_SEC)

struct _LdRollCallPrompt
{
  GtkWidget     parent_instance;

  GtkWidget    *bar;
  GtkLabel     *label;

  LdSyncEngine *engine;
  char         *roll_call_id;   /* the one shown, NULL while hidden */
  guint         tick;
};

G_DEFINE_FINAL_TYPE (LdRollCallPrompt, ld_roll_call_prompt, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
on_tick (gpointer data)
{
  ld_roll_call_prompt_refresh (data);
  return G_SOURCE_CONTINUE;
}

static void
hide (LdRollCallPrompt *self)
{
  g_clear_pointer (&self->roll_call_id, g_free);
  g_clear_handle_id (&self->tick, g_source_remove);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

void
ld_roll_call_prompt_refresh (LdRollCallPrompt *self)
{
  const LdUser *user;
  LdStore *store;
  g_autoptr(GPtrArray) waiting = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 now = ld_time_now ();
  const LdRollCall *shown = NULL;
  gint64 left_s;

  g_return_if_fail (LD_IS_ROLL_CALL_PROMPT (self));

  if (self->engine == NULL ||
      (user = ld_replica_get_user (ld_sync_engine_get_replica (self->engine))) == NULL || user->unit_code == NULL)
    {
      hide (self);
      return;
    }
  store = ld_sync_engine_get_store (self->engine);
  waiting = ld_store_list_unanswered_roll_calls (store, user->unit_code, now - LOOK_BACK_US, &error);
  if (waiting == NULL)
    {
      /* A prompt that cannot be read must still be seen: the unit is
       * being called. */
      text = g_strdup_printf (_("A roll call could not be read: %s"), error->message);
      gtk_label_set_text (self->label, text);
      gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
      return;
    }
  for (guint i = 0; i < waiting->len && shown == NULL; i++)
    {
      const LdRollCall *call = g_ptr_array_index (waiting, i);

      if (call->roll_call_id && now < call->started_at + (gint64) call->limit_s * G_USEC_PER_SEC)
        shown = call;
    }
  if (shown == NULL)
    {
      hide (self);
      return;
    }
  left_s = (shown->started_at + (gint64) shown->limit_s * G_USEC_PER_SEC - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
  /* Translators: the roll call's countdown: minutes and seconds left to answer */
  text = g_strdup_printf (_("Roll call from the center: answer within %d:%02d"), (int) (left_s / 60),
                          (int) (left_s % 60));
  gtk_label_set_text (self->label, text);
  g_free (self->roll_call_id);
  self->roll_call_id = g_strdup (shown->roll_call_id);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  if (self->tick == 0)
    self->tick = g_timeout_add_seconds (1, on_tick, self);
}

void
ld_roll_call_prompt_answer (LdRollCallPrompt *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (LD_IS_ROLL_CALL_PROMPT (self));

  if (self->roll_call_id == NULL)
    return;
  if (!ld_sync_engine_submit_action (self->engine, "roll_call", self->roll_call_id, "answer", NULL, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The answer could not be sent: %s"), error->message);
      gtk_label_set_text (self->label, text);
      return;
    }
  ld_roll_call_prompt_refresh (self);
}

const char *
ld_roll_call_prompt_get_text (LdRollCallPrompt *self)
{
  g_return_val_if_fail (LD_IS_ROLL_CALL_PROMPT (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self)) ? gtk_label_get_text (self->label) : NULL;
}

void
ld_roll_call_prompt_set_engine (LdRollCallPrompt *self, LdSyncEngine *engine)
{
  g_return_if_fail (LD_IS_ROLL_CALL_PROMPT (self));
  g_return_if_fail (engine == NULL || LD_IS_SYNC_ENGINE (engine));

  if (self->engine == engine)
    return;
  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  if (engine)
    g_signal_connect_object (engine, "duty-changed", G_CALLBACK (ld_roll_call_prompt_refresh), self,
                             G_CONNECT_SWAPPED);
  ld_roll_call_prompt_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

LdSyncEngine *
ld_roll_call_prompt_get_engine (LdRollCallPrompt *self)
{
  g_return_val_if_fail (LD_IS_ROLL_CALL_PROMPT (self), NULL);

  return self->engine;
}

static void
ld_roll_call_prompt_dispose (GObject *object)
{
  LdRollCallPrompt *self = LD_ROLL_CALL_PROMPT (object);

  g_clear_handle_id (&self->tick, g_source_remove);
  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->roll_call_id, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_ROLL_CALL_PROMPT);

  G_OBJECT_CLASS (ld_roll_call_prompt_parent_class)->dispose (object);
}

static void
ld_roll_call_prompt_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, LD_ROLL_CALL_PROMPT (object)->engine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_roll_call_prompt_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ENGINE:
      ld_roll_call_prompt_set_engine (LD_ROLL_CALL_PROMPT (object), g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_roll_call_prompt_class_init (LdRollCallPromptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_roll_call_prompt_dispose;
  object_class->get_property = ld_roll_call_prompt_get_property;
  object_class->set_property = ld_roll_call_prompt_set_property;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, LD_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-roll-call-prompt.ui");
  gtk_widget_class_bind_template_child (widget_class, LdRollCallPrompt, bar);
  gtk_widget_class_bind_template_child (widget_class, LdRollCallPrompt, label);
  gtk_widget_class_bind_template_callback (widget_class, ld_roll_call_prompt_answer);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ld_roll_call_prompt_init (LdRollCallPrompt *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
