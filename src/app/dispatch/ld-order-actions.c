/* ld-order-actions.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include "ld-order-actions.h"
#include "ld-time.h"

/* The duty list's first two entries; the units follow. */
enum {
  DUTY_NONE_CHOSEN,
  DUTY_NOT_OURS,
  DUTY_FIRST_UNIT,
};

static const char * const feedback_kinds[] = { "arrival", "progress", "result" };

struct _LdOrderActions
{
  GtkWidget     parent_instance;

  GtkMenuButton *button;
  GtkPopover    *popover;
  GtkWidget     *feedback_section;
  GtkDropDown   *kind_choice;
  GtkEntry      *feedback_entry;
  GtkWidget     *return_section;
  GtkEntry      *reason_entry;
  GtkDropDown   *duty_choice;
  GtkEntry      *basis_entry;
  GtkWidget     *ruling_section;
  GtkLabel      *return_label;
  GtkEntry      *ruling_entry;
  GtkWidget     *extension_section;
  GtkLabel      *extension_label;
  GtkEntry      *extension_entry;

  GPtrArray     *duty_codes;   /* unit codes after DUTY_FIRST_UNIT */
};

G_DEFINE_FINAL_TYPE (LdOrderActions, ld_order_actions, GTK_TYPE_WIDGET)

enum {
  SUBMIT,
  PROBLEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What was typed, without the spaces around it (ideographic ones too);
 * NULL when nothing is left. */
static char *
typed (GtkEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  return ld_text_is_blank (text) ? NULL : g_strstrip (g_strdup (text));
}

static void
send (LdOrderActions *self, const char *action, JsonObject *fields)
{
  g_autoptr(JsonObject) owned = fields;

  gtk_popover_popdown (self->popover);
  g_signal_emit (self, signals[SUBMIT], 0, action, owned);
}

static void
problem (LdOrderActions *self, const char *message)
{
  g_signal_emit (self, signals[PROBLEM], 0, message);
}

static void
on_feedback (LdOrderActions *self)
{
  g_autofree char *text = typed (self->feedback_entry);
  JsonObject *fields;

  if (text == NULL)
    {
      problem (self, _("Say what the unit reports"));
      return;
    }
  fields = json_object_new ();
  json_object_set_string_member (fields, "kind", feedback_kinds[gtk_drop_down_get_selected (self->kind_choice)]);
  json_object_set_string_member (fields, "text", text);
  send (self, "feedback", fields);
}

static void
on_duty_changed (LdOrderActions *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->basis_entry),
                          gtk_drop_down_get_selected (self->duty_choice) == DUTY_NOT_OURS);
}

static void
on_return (LdOrderActions *self)
{
  g_autofree char *reason = typed (self->reason_entry);
  g_autofree char *basis = typed (self->basis_entry);
  guint duty = gtk_drop_down_get_selected (self->duty_choice);
  JsonObject *fields;

  if (reason == NULL)
    {
      problem (self, _("Say why the unit returns the order"));
      return;
    }
  if (duty == DUTY_NONE_CHOSEN || duty == GTK_INVALID_LIST_POSITION)
    {
      problem (self, _("Say whose duty the unit says it is: another unit, or not this unit's"));
      return;
    }
  if (duty == DUTY_NOT_OURS && basis == NULL)
    {
      problem (self, _("Give the basis on which it is not this unit's duty"));
      return;
    }
  fields = json_object_new ();
  json_object_set_string_member (fields, "reason", reason);
  if (duty == DUTY_NOT_OURS)
    {
      json_object_set_boolean_member (fields, "not_ours", TRUE);
      json_object_set_string_member (fields, "basis", basis);
    }
  else
    json_object_set_string_member (fields, "duty_unit_code", g_ptr_array_index (self->duty_codes, duty - DUTY_FIRST_UNIT));
  send (self, "return", fields);
}

static void
rule (LdOrderActions *self, const char *action, const char *ruling, GtkEntry *entry, const char *needs_reason)
{
  g_autofree char *reason = typed (entry);
  JsonObject *fields;

  if (needs_reason && reason == NULL)
    {
      problem (self, needs_reason);
      return;
    }
  fields = json_object_new ();
  json_object_set_string_member (fields, "ruling", ruling);
  if (reason)
    json_object_set_string_member (fields, "reason", reason);
  send (self, action, fields);
}

static void
on_accept (LdOrderActions *self)
{
  rule (self, "rule-return", "accept", self->ruling_entry, NULL);
}

static void
on_overrule (LdOrderActions *self)
{
  rule (self, "rule-return", "overrule", self->ruling_entry, _("Say why the center overrules the return"));
}

static void
on_approve (LdOrderActions *self)
{
  rule (self, "rule-extension", "approve", self->extension_entry, NULL);
}

static void
on_refuse (LdOrderActions *self)
{
  rule (self, "rule-extension", "refuse", self->extension_entry, _("Say why the extension is refused"));
}

static void
fill_duty_choice (LdOrderActions *self, const LdOrder *order, GPtrArray *units)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  gtk_string_list_append (names, _("Whose duty does the unit say it is?"));
  gtk_string_list_append (names, _("Not this unit's duty"));
  for (guint i = 0; units && i < units->len; i++)
    {
      const LdUnit *u = g_ptr_array_index (units, i);

      if (u->inactive || g_strcmp0 (u->code, order->unit_code) == 0)
        continue;
      gtk_string_list_append (names, u->name);
      g_ptr_array_add (self->duty_codes, g_strdup (u->code));
    }
  gtk_drop_down_set_model (self->duty_choice, G_LIST_MODEL (names));
  gtk_drop_down_set_expression (self->duty_choice,
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
}

static char *
describe_return (const LdOrder *order, GPtrArray *units)
{
  GString *text = g_string_new (order->return_reason ? order->return_reason : "");

  if (order->not_ours)
    g_string_append_printf (text, "\n%s %s", _("Not this unit's duty:"), order->basis ? order->basis : "");
  else if (order->duty_unit_code)
    {
      const char *name = order->duty_unit_code;

      for (guint i = 0; units && i < units->len; i++)
        if (g_strcmp0 (((LdUnit *) g_ptr_array_index (units, i))->code, order->duty_unit_code) == 0)
          name = ((LdUnit *) g_ptr_array_index (units, i))->name;
      g_string_append_printf (text, "\n%s %s", _("The duty of:"), name);
    }
  return g_string_free (text, FALSE);
}

GtkWidget *
ld_order_actions_new (const LdOrder *order, GPtrArray *units, GTimeZone *time_zone)
{
  gboolean may_feed_back, may_return, to_rule, extension_asked;
  LdOrderActions *self;

  g_return_val_if_fail (order != NULL, NULL);
  g_return_val_if_fail (time_zone != NULL, NULL);

  may_feed_back = ld_order_takes (order, "feedback");
  may_return = ld_order_takes (order, "return");
  to_rule = ld_order_takes (order, "rule-return");
  extension_asked = ld_order_takes (order, "rule-extension");
  if (!may_feed_back && !may_return && !to_rule && !extension_asked)
    return NULL;
  self = g_object_new (LD_TYPE_ORDER_ACTIONS, NULL);
  gtk_widget_set_visible (self->feedback_section, may_feed_back);
  gtk_widget_set_visible (self->return_section, may_return);
  gtk_widget_set_visible (self->ruling_section, to_rule);
  gtk_widget_set_visible (self->extension_section, extension_asked);
  if (may_return)
    fill_duty_choice (self, order, units);
  if (to_rule)
    {
      g_autofree char *text = describe_return (order, units);
      gtk_label_set_text (self->return_label, text);
    }
  if (extension_asked)
    {
      g_autofree char *until = ld_time_format (order->extension_until, time_zone);
      g_autofree char *text = g_strdup_printf (g_str_equal (order->extension_step, "feedback")
                                               ? _("Asks to give feedback by %s: %s")
                                               : _("Asks to finish by %s: %s"),
                                               until, order->extension_reason ? order->extension_reason : "");
      gtk_label_set_text (self->extension_label, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->button), "suggested-action");
    }
  if (to_rule)
    gtk_widget_add_css_class (GTK_WIDGET (self->button), "suggested-action");
  return GTK_WIDGET (self);
}

gboolean
ld_order_actions_offers (LdOrderActions *self, const char *section)
{
  g_return_val_if_fail (LD_IS_ORDER_ACTIONS (self), FALSE);

  if (g_str_equal (section, "feedback"))
    return gtk_widget_get_visible (self->feedback_section);
  if (g_str_equal (section, "return"))
    return gtk_widget_get_visible (self->return_section);
  if (g_str_equal (section, "rule-return"))
    return gtk_widget_get_visible (self->ruling_section);
  if (g_str_equal (section, "rule-extension"))
    return gtk_widget_get_visible (self->extension_section);
  g_return_val_if_reached (FALSE);
}

static void
ld_order_actions_dispose (GObject *object)
{
  LdOrderActions *self = LD_ORDER_ACTIONS (object);

  g_clear_pointer (&self->duty_codes, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_ORDER_ACTIONS);

  G_OBJECT_CLASS (ld_order_actions_parent_class)->dispose (object);
}

static void
ld_order_actions_class_init (LdOrderActionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_order_actions_dispose;

  signals[SUBMIT] = g_signal_new ("submit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 2, G_TYPE_STRING, JSON_TYPE_OBJECT);
  signals[PROBLEM] = g_signal_new ("problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-order-actions.ui");
  gtk_widget_class_bind_template_child (widget_class, LdOrderActions, button);
  gtk_widget_class_bind_template_child (widget_class, LdOrderActions, popover);
  gtk_widget_class_bind_template_child (widget_class, LdOrderActions, feedback_section);
  gtk_widget_class_bind_template_child (widget_class, LdOrderActions, kind_choice);
  gtk_widget_class_bind_template_child (widget_class, LdOrderActions, feedback_entry);
  gtk_widget_class_bind_template_child (widget_class, LdOrderActions, return_section);
  gtk_widget_class_bind_template_child (widget_class, LdOrderActions, reason_entry);
  gtk_widget_class_bind_template_child (widget_class, LdOrderActions, duty_choice);
  gtk_widget_class_bind_template_child (widget_class, LdOrderActions, basis_entry);
  gtk_widget_class_bind_template_child (widget_class, LdOrderActions, ruling_section);
  gtk_widget_class_bind_template_child (widget_class, LdOrderActions, return_label);
  gtk_widget_class_bind_template_child (widget_class, LdOrderActions, ruling_entry);
  gtk_widget_class_bind_template_child (widget_class, LdOrderActions, extension_section);
  gtk_widget_class_bind_template_child (widget_class, LdOrderActions, extension_label);
  gtk_widget_class_bind_template_child (widget_class, LdOrderActions, extension_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_feedback);
  gtk_widget_class_bind_template_callback (widget_class, on_duty_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_return);
  gtk_widget_class_bind_template_callback (widget_class, on_accept);
  gtk_widget_class_bind_template_callback (widget_class, on_overrule);
  gtk_widget_class_bind_template_callback (widget_class, on_approve);
  gtk_widget_class_bind_template_callback (widget_class, on_refuse);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ld_order_actions_init (LdOrderActions *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->duty_codes = g_ptr_array_new_with_free_func (g_free);
}
