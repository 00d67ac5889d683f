/* test-order-actions.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the center logs for an order and how it rules: the menu offers
 * what the order's state takes, refuses what the store would (a blank
 * reason, a return naming no duty), and sends the contract's fields.
 */

#include "config.h"

#include <adwaita.h>
#include <gtk/gtk.h>

#include "ld-order-actions.h"
#include "ld-test-util.h"

typedef struct {
  char       *action;
  JsonObject *fields;
  char       *problem;
} Sent;

static void
on_submit (LdOrderActions *actions, const char *action, JsonObject *fields, Sent *sent)
{
  g_free (sent->action);
  g_clear_pointer (&sent->fields, json_object_unref);
  sent->action = g_strdup (action);
  sent->fields = json_object_ref (fields);
}

static void
on_problem (LdOrderActions *actions, const char *message, Sent *sent)
{
  g_free (sent->problem);
  sent->problem = g_strdup (message);
}

static void
sent_clear (Sent *sent)
{
  g_clear_pointer (&sent->action, g_free);
  g_clear_pointer (&sent->fields, json_object_unref);
  g_clear_pointer (&sent->problem, g_free);
}

/* The widget under @root whose type is @type and that comes @nth. */
static GtkWidget *
find (GtkWidget *root, GType type, guint *nth)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) && (*nth)-- == 0)
        return child;
      if ((found = find (child, type, nth)))
        return found;
    }
  return NULL;
}

static GtkWidget *
nth_of (GtkWidget *actions, GType type, guint nth)
{
  GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (gtk_widget_get_first_child (actions)));
  GtkWidget *found = find (GTK_WIDGET (popover), type, &nth);

  g_assert_nonnull (found);
  return found;
}

static GtkWidget *
button_labelled (GtkWidget *actions, const char *label)
{
  for (guint i = 0;; i++)
    {
      GtkWidget *button = nth_of (actions, GTK_TYPE_BUTTON, i);

      if (GTK_IS_MENU_BUTTON (button))
        continue;
      if (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (button)), label) == 0)
        return button;
    }
}

static GPtrArray *
units (void)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) ld_unit_free);
  const char *codes[][2] = { { "MKT", "市场监管局" }, { "TOWN", "城管局" }, { "GONE", "撤销单位" } };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      LdUnit *u = g_new0 (LdUnit, 1);
      u->code = g_strdup (codes[i][0]);
      u->name = g_strdup (codes[i][1]);
      u->inactive = g_str_equal (codes[i][0], "GONE");
      g_ptr_array_add (list, u);
    }
  return list;
}

static LdOrder *
order (const char *state)
{
  LdOrder *o = g_new0 (LdOrder, 1);

  o->id = g_strdup ("o1");
  o->unit_code = g_strdup ("MKT");
  o->state = g_strdup (state);
  return o;
}

static GtkWidget *
actions_for (const LdOrder *o, GPtrArray *list, Sent *sent)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  GtkWidget *actions = ld_order_actions_new (o, list, tz);

  if (actions)
    {
      g_object_ref_sink (actions);
      g_signal_connect (actions, "submit", G_CALLBACK (on_submit), sent);
      g_signal_connect (actions, "problem", G_CALLBACK (on_problem), sent);
    }
  return actions;
}

static void
test_return_needs_reason_and_duty (void)
{
  g_autoptr(GPtrArray) list = units ();
  g_autoptr(LdOrder) o = order ("signed");
  Sent sent = { 0, };
  GtkWidget *actions = actions_for (o, list, &sent);
  GtkDropDown *duty;

  g_assert_true (ld_order_actions_offers (LD_ORDER_ACTIONS (actions), "feedback"));
  g_assert_true (ld_order_actions_offers (LD_ORDER_ACTIONS (actions), "return"));
  g_assert_false (ld_order_actions_offers (LD_ORDER_ACTIONS (actions), "rule-return"));

  /* Blank, even in ideographic spaces: refused here, nothing sent. */
  gtk_editable_set_text (GTK_EDITABLE (nth_of (actions, GTK_TYPE_ENTRY, 1)), "\xe3\x80\x80 ");
  g_signal_emit_by_name (button_labelled (actions, "Record _Return"), "clicked");
  g_assert_cmpstr (sent.problem, ==, "Say why the unit returns the order");
  g_assert_null (sent.action);

  /* A reason, but whose duty it is not said. */
  gtk_editable_set_text (GTK_EDITABLE (nth_of (actions, GTK_TYPE_ENTRY, 1)), "<b>不属于 & 本单位");
  g_signal_emit_by_name (button_labelled (actions, "Record _Return"), "clicked");
  g_assert_nonnull (strstr (sent.problem, "whose duty"));
  g_assert_null (sent.action);

  /* The list names the other active units only: the order's own and a
   * closed one are not there. */
  duty = GTK_DROP_DOWN (nth_of (actions, GTK_TYPE_DROP_DOWN, 1));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (duty)), ==, 3);
  gtk_drop_down_set_selected (duty, 2);
  g_signal_emit_by_name (button_labelled (actions, "Record _Return"), "clicked");
  g_assert_cmpstr (sent.action, ==, "return");
  g_assert_cmpstr (json_object_get_string_member (sent.fields, "reason"), ==, "<b>不属于 & 本单位");
  g_assert_cmpstr (json_object_get_string_member (sent.fields, "duty_unit_code"), ==, "TOWN");
  g_assert_false (json_object_has_member (sent.fields, "not_ours"));

  /* Not this unit's: then the basis is needed, and sent. */
  sent_clear (&sent);
  gtk_drop_down_set_selected (duty, 1);
  g_assert_true (gtk_widget_get_visible (nth_of (actions, GTK_TYPE_ENTRY, 2)));
  g_signal_emit_by_name (button_labelled (actions, "Record _Return"), "clicked");
  g_assert_nonnull (strstr (sent.problem, "basis"));
  gtk_editable_set_text (GTK_EDITABLE (nth_of (actions, GTK_TYPE_ENTRY, 2)), "职责清单第 12 条");
  g_signal_emit_by_name (button_labelled (actions, "Record _Return"), "clicked");
  g_assert_cmpstr (sent.action, ==, "return");
  g_assert_true (json_object_get_boolean_member (sent.fields, "not_ours"));
  g_assert_cmpstr (json_object_get_string_member (sent.fields, "basis"), ==, "职责清单第 12 条");

  /* Feedback goes with the kind chosen. */
  sent_clear (&sent);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (nth_of (actions, GTK_TYPE_DROP_DOWN, 0)), 2);
  gtk_editable_set_text (GTK_EDITABLE (nth_of (actions, GTK_TYPE_ENTRY, 0)), "已处置完毕");
  g_signal_emit_by_name (button_labelled (actions, "Record _Feedback"), "clicked");
  g_assert_cmpstr (sent.action, ==, "feedback");
  g_assert_cmpstr (json_object_get_string_member (sent.fields, "kind"), ==, "result");
  sent_clear (&sent);
  g_object_unref (actions);
}

static void
test_rulings (void)
{
  g_autoptr(GPtrArray) list = units ();
  g_autoptr(LdOrder) returned = order ("returned");
  g_autoptr(LdOrder) overruled = order ("signed");
  g_autoptr(LdOrder) extension = order ("arrived");
  Sent sent = { 0, };
  GtkWidget *actions;

  /* A return waiting for the center: accept, or overrule with a reason. */
  returned->return_reason = g_strdup ("不是我们的事");
  returned->duty_unit_code = g_strdup ("TOWN");
  actions = actions_for (returned, list, &sent);
  g_assert_true (ld_order_actions_offers (LD_ORDER_ACTIONS (actions), "rule-return"));
  g_assert_false (ld_order_actions_offers (LD_ORDER_ACTIONS (actions), "return"));
  g_signal_emit_by_name (button_labelled (actions, "_Overrule"), "clicked");
  g_assert_nonnull (sent.problem);
  g_assert_null (sent.action);
  g_signal_emit_by_name (button_labelled (actions, "_Accept Return"), "clicked");
  g_assert_cmpstr (sent.action, ==, "rule-return");
  g_assert_cmpstr (json_object_get_string_member (sent.fields, "ruling"), ==, "accept");
  sent_clear (&sent);
  g_object_unref (actions);

  /* Once ruled on, nothing more to rule; an overruled order is not
   * offered for return again. */
  returned->return_ruling = g_strdup ("accepted");
  g_assert_null (actions_for (returned, list, &sent));
  overruled->return_ruling = g_strdup ("overruled");
  actions = actions_for (overruled, list, &sent);
  g_assert_false (ld_order_actions_offers (LD_ORDER_ACTIONS (actions), "return"));
  g_assert_true (ld_order_actions_offers (LD_ORDER_ACTIONS (actions), "feedback"));
  g_object_unref (actions);

  /* An extension asked for: approve, or refuse with a reason. */
  extension->extension_step = g_strdup ("complete");
  extension->extension_requested_at = 1;
  extension->extension_until = 1000000;
  extension->extension_reason = g_strdup ("等待配件");
  actions = actions_for (extension, list, &sent);
  g_assert_true (ld_order_actions_offers (LD_ORDER_ACTIONS (actions), "rule-extension"));
  g_signal_emit_by_name (button_labelled (actions, "Re_fuse"), "clicked");
  g_assert_nonnull (sent.problem);
  g_assert_null (sent.action);
  g_signal_emit_by_name (button_labelled (actions, "A_pprove"), "clicked");
  g_assert_cmpstr (sent.action, ==, "rule-extension");
  g_assert_cmpstr (json_object_get_string_member (sent.fields, "ruling"), ==, "approve");
  sent_clear (&sent);
  g_object_unref (actions);

  /* A completed order takes nothing. */
  {
    g_autoptr(LdOrder) completed = order ("completed");
    g_assert_null (actions_for (completed, list, &sent));
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ld_test_display_start ();
  if (!gtk_init_check ())
    g_error ("GTK cannot open the display %s", g_getenv ("DISPLAY"));
  adw_init ();

  g_test_add_func ("/order-actions/return-needs-reason-and-duty", test_return_needs_reason_and_duty);
  g_test_add_func ("/order-actions/rulings", test_rulings);

  return g_test_run ();
}
