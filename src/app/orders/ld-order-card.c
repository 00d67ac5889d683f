/* ld-order-card.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "ld-json.h"
#include "ld-map-view.h"
#include "ld-order-card.h"
#include "ld-read-failure.h"

/* What a unit may type at once: far more than a report needs, far less
 * than the server's bound on free text. */
#define TEXT_MAX_CHARS 2000
/* Half the width of the small map, in degrees. */
#define PLACE_SPAN 0.005

struct _LdOrderCard
{
  GtkWidget       parent_instance;

  GtkStack       *stack;
  LdReadFailure  *failure;
  GtkWidget      *content;
  GtkLabel       *state_label;
  GtkLabel       *title_label;
  GtkLabel       *due_label;
  GtkLabel       *facts_label;
  LdMapView      *map;
  GtkWidget      *map_frame;
  GtkButton      *sign_button;
  GtkButton      *arrive_button;
  GtkMenuButton  *feedback_button;
  GtkDropDown    *feedback_kind;
  GtkEntry       *feedback_text;
  GtkButton      *complete_button;
  GtkMenuButton  *return_button;
  GtkEntry       *return_reason;
  GtkDropDown    *return_duty;
  GtkEntry       *return_basis;
  GtkMenuButton  *extension_button;
  GtkLabel       *extension_due_label;
  GtkSpinButton  *extension_hours;
  GtkEntry       *extension_reason;
  GtkListBox     *steps_list;
  GtkListBox     *feedback_list;

  LdSyncEngine   *engine;
  GTimeZone      *time_zone;
  char           *order_id;
  gint64          due;
  char           *extension_step;  /* the deadline a request would move */
  gint64          extension_from;
  GPtrArray      *duty_units;      /* the codes behind return_duty's items after the first */
  LdStore        *map_store;       /* the store whose regions the map draws */
  LdStore        *units_store;     /* the store return_duty's units come from */
  double          map_lat, map_lon; /* the place the map was last fitted to */
};

G_DEFINE_FINAL_TYPE (LdOrderCard, ld_order_card, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The kinds of feedback, in the order the drop-down lists them. */
static const char * const feedback_kinds[] = { "arrival", "progress", "result" };

static char *
format_time (LdOrderCard *self, gint64 usec)
{
  return usec == LD_TIME_NONE ? g_strdup ("—") : ld_time_format_short (usec, self->time_zone);
}

/* A refused change is said where the unit looks. */
static void
say (LdOrderCard *self, const char *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  /* A toast's title is markup; a message may quote what someone typed. */
  g_autofree char *title = g_markup_escape_text (message, -1);

  if (overlay)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
  else
    g_message ("%s", message);
}

static gboolean
submit (LdOrderCard *self, const char *action, JsonObject *fields)
{
  g_autoptr(GError) error = NULL;

  if (!ld_sync_engine_submit_action (self->engine, "order", self->order_id, action, fields, &error))
    {
      say (self, error->message);
      return FALSE;
    }
  return TRUE;
}

static void
on_sign (LdOrderCard *self)
{
  submit (self, "sign", NULL);
}

static void
on_arrive (LdOrderCard *self)
{
  submit (self, "arrive", NULL);
}

static void
on_complete (LdOrderCard *self)
{
  submit (self, "complete", NULL);
}

static void
on_send_feedback (LdOrderCard *self)
{
  guint kind = gtk_drop_down_get_selected (self->feedback_kind);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->feedback_text));
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  JsonObject *fields;

  if (ld_text_is_blank (text))
    {
      say (self, _("Say what the unit reports"));
      return;
    }
  fields = json_object_new ();
  json_object_set_string_member (fields, "kind", feedback_kinds[MIN (kind, G_N_ELEMENTS (feedback_kinds) - 1)]);
  json_object_set_string_member (fields, "text", stripped);
  if (submit (self, "feedback", fields))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->feedback_text), "");
      gtk_menu_button_popdown (self->feedback_button);
    }
}

static void
on_duty_chosen (LdOrderCard *self)
{
  /* The first item is "not ours", which needs the rule or fact it rests on. */
  gtk_widget_set_visible (GTK_WIDGET (self->return_basis), gtk_drop_down_get_selected (self->return_duty) == 0);
}

static void
on_send_return (LdOrderCard *self)
{
  const char *reason = gtk_editable_get_text (GTK_EDITABLE (self->return_reason));
  const char *basis = gtk_editable_get_text (GTK_EDITABLE (self->return_basis));
  guint duty = gtk_drop_down_get_selected (self->return_duty);
  g_autofree char *stripped_reason = g_strstrip (g_strdup (reason));
  g_autofree char *stripped_basis = g_strstrip (g_strdup (basis));
  JsonObject *fields;

  if (duty == GTK_INVALID_LIST_POSITION || duty > self->duty_units->len)
    duty = 0;
  if (ld_text_is_blank (reason))
    {
      say (self, _("Say why the unit returns the order"));
      return;
    }
  if (duty == 0 && ld_text_is_blank (basis))
    {
      say (self, _("Say on what basis the matter is not this unit's duty"));
      return;
    }
  fields = json_object_new ();
  json_object_set_string_member (fields, "reason", stripped_reason);
  if (duty == 0)
    {
      json_object_set_boolean_member (fields, "not_ours", TRUE);
      json_object_set_string_member (fields, "basis", stripped_basis);
    }
  else
    json_object_set_string_member (fields, "duty_unit_code", g_ptr_array_index (self->duty_units, duty - 1));
  if (submit (self, "return", fields))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->return_reason), "");
      gtk_editable_set_text (GTK_EDITABLE (self->return_basis), "");
      gtk_menu_button_popdown (self->return_button);
    }
}

/* More time counts from the deadline, or from now once it has passed:
 * a deadline asked for is still to come. */
static gint64
extension_base (LdOrderCard *self)
{
  return MAX (self->extension_from, g_get_real_time ());
}

static void
on_send_extension (LdOrderCard *self)
{
  const char *reason = gtk_editable_get_text (GTK_EDITABLE (self->extension_reason));
  g_autofree char *stripped = g_strstrip (g_strdup (reason));
  gint64 hours = gtk_spin_button_get_value_as_int (self->extension_hours);
  g_autofree char *until = NULL;
  JsonObject *fields;

  if (ld_text_is_blank (reason))
    {
      say (self, _("Say why the deadline should move"));
      return;
    }
  until = ld_time_format_iso (extension_base (self) + hours * 3600 * G_USEC_PER_SEC, self->time_zone);
  fields = json_object_new ();
  json_object_set_string_member (fields, "step", self->extension_step);
  json_object_set_string_member (fields, "until", until);
  json_object_set_string_member (fields, "reason", stripped);
  if (submit (self, "request-extension", fields))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->extension_reason), "");
      gtk_menu_button_popdown (self->extension_button);
    }
}

/* The moved deadline, as the unit asks for it. */
static void
on_extension_hours (LdOrderCard *self)
{
  g_autofree char *until = NULL;
  g_autofree char *text = NULL;
  gint64 hours = gtk_spin_button_get_value_as_int (self->extension_hours);

  if (self->extension_step == NULL)
    return;
  until = format_time (self, extension_base (self) + hours * 3600 * G_USEC_PER_SEC);
  /* Translators: the deadline a unit asks for, e.g. "New deadline: 11-23 22:00" */
  text = g_strdup_printf (_("New deadline: %s"), until);
  gtk_label_set_label (self->extension_due_label, text);
}

/* The rows go; the placeholder stays. */
static void
clear_list (GtkListBox *list)
{
  for (GtkListBoxRow *row; (row = gtk_list_box_get_row_at_index (list, 0));)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

static GtkWidget *
text_row (const char *title, const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* What people typed is shown as typed. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
    }
  gtk_widget_add_css_class (row, "property");
  return row;
}

/* One step: done at, or due at (and missed). */
static void
add_step (LdOrderCard *self, const char *done_label, gint64 done, const char *due_label, gint64 due,
          gboolean missed)
{
  g_autofree char *when = format_time (self, done != LD_TIME_NONE ? done : due);
  g_autofree char *text = missed ? g_strdup_printf ("%s · %s", when, _("overdue")) : g_strdup (when);
  GtkWidget *row = text_row (done != LD_TIME_NONE ? done_label : due_label, text);

  if (missed)
    gtk_widget_add_css_class (row, "overdue");
  gtk_list_box_append (self->steps_list, row);
}

/* The return, whose duty it says the matter is, and the center's ruling
 * on it (退单审定). */
static void
show_return (LdOrderCard *self, LdStore *store, const LdOrder *o)
{
  g_autofree char *at = format_time (self, o->returned_at);
  g_autofree char *text = g_strdup_printf ("%s · %s", at, o->return_reason ? o->return_reason : "");
  g_autofree char *duty = NULL;

  gtk_list_box_append (self->steps_list, text_row (_("Returned"), text));
  if (o->duty_unit_code)
    {
      g_autoptr(LdUnit) unit = ld_store_get_unit (store, o->duty_unit_code, NULL);

      duty = g_strdup (unit ? unit->name : o->duty_unit_code);
    }
  else if (o->not_ours)
    /* Translators: a return's duty: not the returning unit's, and the basis it gave */
    duty = g_strdup_printf (_("Not this unit's duty: %s"), o->basis ? o->basis : "");
  if (duty)
    gtk_list_box_append (self->steps_list, text_row (_("Whose duty it is"), duty));
  if (o->return_ruling)
    {
      g_autofree char *ruled = format_time (self, o->return_ruled_at);
      g_autofree char *ruling = o->return_ruling_reason
                                  ? g_strdup_printf ("%s · %s", ruled, o->return_ruling_reason)
                                  : g_strdup (ruled);
      GtkWidget *row = text_row (g_str_equal (o->return_ruling, "overruled") ? _("Return overruled by the center")
                                                                             : _("Return accepted by the center"),
                                 ruling);

      gtk_list_box_append (self->steps_list, row);
    }
}

/* The unit's request for more time, and the center's ruling once made. */
static void
show_extension (LdOrderCard *self, const LdOrder *o)
{
  g_autofree char *until = format_time (self, o->extension_until);
  g_autofree char *ruled = format_time (self, o->extension_ruled_at);
  g_autofree char *asked = NULL;
  g_autofree char *ruling = NULL;
  g_autofree char *text = NULL;

  if (o->extension_requested_at == LD_TIME_NONE)
    return;
  /* Translators: the deadline a unit asked for and why, e.g. "to 11-23 22:00: the road is closed" */
  asked = g_strdup_printf (_("to %s: %s"), until, o->extension_reason ? o->extension_reason : "");
  if (g_strcmp0 (o->extension_ruling, "approved") == 0)
    /* Translators: an extension the center approved, and when */
    ruling = g_strdup_printf (_("approved %s"), ruled);
  else if (g_strcmp0 (o->extension_ruling, "refused") == 0)
    /* Translators: an extension the center refused, when and why */
    ruling = g_strdup_printf (_("refused %s: %s"), ruled, o->extension_ruling_reason ? o->extension_ruling_reason : "");
  else
    ruling = g_strdup (_("waiting for the center's ruling"));
  text = g_strdup_printf ("%s\n%s", asked, ruling);
  gtk_list_box_append (self->steps_list, text_row (_("More time asked for"), text));
}

static void
show_steps (LdOrderCard *self, LdStore *store, const LdOrder *o)
{
  g_autofree char *dispatched = format_time (self, o->dispatched_at);

  clear_list (self->steps_list);
  gtk_list_box_append (self->steps_list, text_row (_("Dispatched"), dispatched));
  add_step (self, _("Signed"), o->signed_at, _("Sign by"), o->sign_due, o->overdue & LD_OVERDUE_SIGN);
  if (o->returned_at != LD_TIME_NONE)
    show_return (self, store, o);
  if (ld_order_return_stands (o))
    return;
  add_step (self, _("Arrived"), o->arrived_at, _("Arrive by"), o->arrive_due, o->overdue & LD_OVERDUE_ARRIVE);
  add_step (self, _("First feedback"), o->first_feedback_at, _("Feedback by"), o->feedback_due,
            o->overdue & LD_OVERDUE_FEEDBACK);
  add_step (self, _("Completed"), o->completed_at, _("Result by"), o->result_due, o->overdue & LD_OVERDUE_RESULT);
  show_extension (self, o);
}

/* Every report on the order, oldest first, with its words: they travel
 * with the order's record. One the desk holds no words of (an order copied
 * from an older server) is counted, not hidden. */
static void
show_feedback (LdOrderCard *self, LdStore *store, const LdOrder *o, GError **error)
{
  g_autoptr(GPtrArray) reports = ld_store_list_feedback (store, o->id, error);

  clear_list (self->feedback_list);
  if (reports == NULL)
    return;
  for (guint i = 0; i < reports->len; i++)
    {
      const LdFeedback *f = g_ptr_array_index (reports, i);
      g_autofree char *when = format_time (self, f->at);
      g_autofree char *title = g_strdup_printf ("%s · %s", ld_feedback_kind_label (f->kind), when);

      gtk_list_box_append (self->feedback_list, text_row (title, f->text));
    }
  if (o->feedback_count > reports->len)
    {
      guint n_unread = o->feedback_count - reports->len;
      g_autofree char *text = g_strdup_printf (ngettext ("%u more report, not shown here",
                                                         "%u more reports, not shown here",
                                                         n_unread), n_unread);

      gtk_list_box_append (self->feedback_list, text_row (text, NULL));
    }
}

/* The units a return may name, the order's own left out. */
static void
load_duty_units (LdOrderCard *self, LdStore *store, const char *own, GError **error)
{
  g_autoptr(GPtrArray) units = ld_store_list_units (store, error);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  g_ptr_array_set_size (self->duty_units, 0);
  gtk_string_list_append (names, _("Not this unit's duty (give the basis)"));
  for (guint i = 0; units && i < units->len; i++)
    {
      const LdUnit *u = g_ptr_array_index (units, i);

      if (u->inactive || g_strcmp0 (u->code, own) == 0)
        continue;
      g_ptr_array_add (self->duty_units, g_strdup (u->code));
      gtk_string_list_append (names, u->name);
    }
  gtk_drop_down_set_model (self->return_duty, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->return_duty, 0);
  on_duty_chosen (self);
}

/* A row not found is an answer (the name is not known); any other error
 * means the replica could not be read, and the first is kept to be shown. */
static void
keep_failure (GError **failure, GError **error)
{
  if (*error && *failure == NULL && !g_error_matches (*error, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND))
    *failure = g_steal_pointer (error);
  g_clear_error (error);
}

static const char *
state_text (const LdOrder *o)
{
  if (g_str_equal (o->state, "dispatched"))
    return C_("order", "To sign");
  return ld_order_state_label (o->state);
}

/* What the unit may do next, by the order's state: nothing the server
 * would refuse is offered. */
static void
show_actions (LdOrderCard *self, const LdOrder *o)
{
  gboolean may_extend = ld_order_takes (o, "request-extension");

  gtk_widget_set_visible (GTK_WIDGET (self->sign_button), ld_order_takes (o, "sign"));
  gtk_widget_set_visible (GTK_WIDGET (self->arrive_button), ld_order_takes (o, "arrive"));
  gtk_widget_set_visible (GTK_WIDGET (self->feedback_button), ld_order_takes (o, "feedback"));
  gtk_widget_set_visible (GTK_WIDGET (self->complete_button), ld_order_takes (o, "complete"));
  gtk_widget_set_visible (GTK_WIDGET (self->return_button), ld_order_takes (o, "return"));
  g_clear_pointer (&self->extension_step, g_free);
  /* Only the feedback and the result deadlines can move: the first
   * feedback's until it is given. */
  if (may_extend && o->first_feedback_at == LD_TIME_NONE)
    self->extension_step = g_strdup ("feedback"), self->extension_from = o->feedback_due;
  else if (may_extend)
    self->extension_step = g_strdup ("complete"), self->extension_from = o->result_due;
  gtk_widget_set_visible (GTK_WIDGET (self->extension_button), self->extension_step != NULL);
  on_extension_hours (self);
  /* The step to take next is the one the eye finds: once there, a result. */
  gtk_widget_remove_css_class (GTK_WIDGET (self->feedback_button), "suggested-action");
  if (g_str_equal (o->state, "arrived") && !ld_order_takes (o, "complete"))
    gtk_widget_add_css_class (GTK_WIDGET (self->feedback_button), "suggested-action");
}

static void
show_place (LdOrderCard *self, LdStore *store, const LdIncident *inc)
{
  gboolean placed = !isnan (inc->lat) && !isnan (inc->lon);

  gtk_widget_set_visible (self->map_frame, placed);
  if (!placed)
    return;
  /* The boundaries are read once per store, not at every change; they
   * fit the view to the city, so the place is fitted again after them. */
  if (self->map_store != store)
    {
      ld_map_view_show_regions (self->map, store);
      self->map_store = store;
      self->map_lat = self->map_lon = NAN;
    }
  /* Fitted when the place changes, not at every change the replica
   * takes: a map the liaison moved stays where it was moved. */
  if (inc->lat == self->map_lat && inc->lon == self->map_lon)
    return;
  self->map_lat = inc->lat;
  self->map_lon = inc->lon;
  ld_map_view_set_pin (self->map, TRUE, inc->lat, inc->lon);
  /* Streets around the place, about a kilometre across; fitted once the
   * map has its size. */
  ld_map_view_fit (self->map, inc->lat - PLACE_SPAN, inc->lon - PLACE_SPAN, inc->lat + PLACE_SPAN,
                   inc->lon + PLACE_SPAN);
}

void
ld_order_card_refresh (LdOrderCard *self)
{
  LdStore *store;
  g_autoptr(GError) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LdOrder) o = NULL;
  g_autoptr(LdIncident) inc = NULL;
  g_autoptr(LdCategory) category = NULL;
  g_autoptr(LdRegion) region = NULL;
  g_autoptr(GString) facts = g_string_new (NULL);
  g_autofree char *received = NULL;

  g_return_if_fail (LD_IS_ORDER_CARD (self));

  if (self->engine == NULL || self->order_id == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }
  store = ld_sync_engine_get_store (self->engine);
  o = ld_store_get_order (store, self->order_id, &error);
  keep_failure (&failure, &error);
  if (o)
    inc = ld_store_get_incident (store, o->incident_id, &error);
  keep_failure (&failure, &error);
  ld_read_failure_set_error (self->failure, _("The order"), failure);
  if (inc == NULL)
    {
      /* An order that could not be read stays in view with the reason
       * and nothing to act on; one that is gone leaves the view. */
      gtk_stack_set_visible_child_name (self->stack, failure ? "order" : "none");
      gtk_widget_set_visible (self->content, FALSE);
      return;
    }
  gtk_widget_set_visible (self->content, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "order");
  if (inc->category)
    category = ld_store_get_category (store, inc->category, &error);
  keep_failure (&failure, &error);
  if (inc->region_code)
    region = ld_store_get_region (store, inc->region_code, &error);
  keep_failure (&failure, &error);

  gtk_label_set_text (self->title_label, inc->summary && *inc->summary ? inc->summary : _("(nothing reported)"));
  received = format_time (self, inc->received_at);
  g_string_append_printf (facts, _("Received %s from %s"), received, ld_source_label (inc->source));
  g_string_append_printf (facts, "\n%s · %s", category ? category->name : _("Category not given"),
                          region ? region->name : _("Region not known"));
  if (inc->address)
    g_string_append_printf (facts, "\n%s %s", _("Address"), inc->address);
  if (inc->caller_phone)
    g_string_append_printf (facts, "\n%s %s", _("Caller"), inc->caller_phone);
  gtk_label_set_text (self->facts_label, facts->str);
  gtk_label_set_text (self->state_label, state_text (o));

  show_steps (self, store, o);
  show_feedback (self, store, o, &error);
  keep_failure (&failure, &error);
  /* Read once per store: a change pulled meanwhile must not reset the
   * unit the liaison is choosing. */
  if (self->units_store != store)
    {
      load_duty_units (self, store, o->unit_code, &error);
      self->units_store = error ? NULL : store;
    }
  keep_failure (&failure, &error);
  show_actions (self, o);
  show_place (self, store, inc);
  self->due = ld_order_current_due (o);
  ld_order_card_tick (self, g_get_real_time ());
  ld_read_failure_set_error (self->failure, _("The order"), failure);
}

void
ld_order_card_tick (LdOrderCard *self, gint64 now)
{
  g_autofree char *left = NULL;

  g_return_if_fail (LD_IS_ORDER_CARD (self));

  gtk_widget_set_visible (GTK_WIDGET (self->due_label), self->due != LD_TIME_NONE);
  if (self->due == LD_TIME_NONE)
    return;
  left = ld_time_format_due (self->due, now);
  gtk_label_set_label (self->due_label, left);
  if (self->due < now)
    gtk_widget_add_css_class (GTK_WIDGET (self->due_label), "overdue");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->due_label), "overdue");
}

void
ld_order_card_set_order (LdOrderCard *self, const char *order_id)
{
  g_return_if_fail (LD_IS_ORDER_CARD (self));

  if (g_strcmp0 (self->order_id, order_id) != 0)
    {
      g_free (self->order_id);
      self->order_id = g_strdup (order_id);
      gtk_editable_set_text (GTK_EDITABLE (self->feedback_text), "");
      gtk_editable_set_text (GTK_EDITABLE (self->return_reason), "");
      gtk_editable_set_text (GTK_EDITABLE (self->return_basis), "");
      gtk_editable_set_text (GTK_EDITABLE (self->extension_reason), "");
    }
  ld_order_card_refresh (self);
}

const char *
ld_order_card_get_order (LdOrderCard *self)
{
  g_return_val_if_fail (LD_IS_ORDER_CARD (self), NULL);
  return self->order_id;
}

void
ld_order_card_set_map_source (LdOrderCard *self, ShumateMapSource *source, LdDatum datum)
{
  g_return_if_fail (LD_IS_ORDER_CARD (self));
  ld_map_view_set_map_source (self->map, source, datum);
}

void
ld_order_card_set_engine (LdOrderCard *self, LdSyncEngine *engine, GTimeZone *time_zone)
{
  g_return_if_fail (LD_IS_ORDER_CARD (self));
  g_return_if_fail (engine == NULL || LD_IS_SYNC_ENGINE (engine));
  g_return_if_fail (time_zone != NULL);

  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  self->time_zone = g_time_zone_ref (time_zone);
  if (g_set_object (&self->engine, engine))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
  ld_order_card_refresh (self);
}

LdSyncEngine *
ld_order_card_get_engine (LdOrderCard *self)
{
  g_return_val_if_fail (LD_IS_ORDER_CARD (self), NULL);
  return self->engine;
}

static void
ld_order_card_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, LD_ORDER_CARD (object)->engine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_order_card_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LdOrderCard *self = LD_ORDER_CARD (object);
  LdSyncEngine *engine;

  switch (prop_id)
    {
    case PROP_ENGINE:
      engine = g_value_get_object (value);
      ld_order_card_set_engine (self, engine, engine ? ld_store_get_time_zone (ld_sync_engine_get_store (engine))
                                                     : self->time_zone);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_order_card_dispose (GObject *object)
{
  LdOrderCard *self = LD_ORDER_CARD (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_ORDER_CARD);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (ld_order_card_parent_class)->dispose (object);
}

static void
ld_order_card_finalize (GObject *object)
{
  LdOrderCard *self = LD_ORDER_CARD (object);

  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  g_free (self->order_id);
  g_free (self->extension_step);
  g_ptr_array_unref (self->duty_units);

  G_OBJECT_CLASS (ld_order_card_parent_class)->finalize (object);
}

static void
ld_order_card_class_init (LdOrderCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_order_card_dispose;
  object_class->finalize = ld_order_card_finalize;
  object_class->get_property = ld_order_card_get_property;
  object_class->set_property = ld_order_card_set_property;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, LD_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LD_TYPE_MAP_VIEW);
  g_type_ensure (LD_TYPE_READ_FAILURE);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-order-card.ui");
  gtk_widget_class_bind_template_child (widget_class, LdOrderCard, stack);
  gtk_widget_class_bind_template_child (widget_class, LdOrderCard, failure);
  gtk_widget_class_bind_template_child (widget_class, LdOrderCard, content);
  gtk_widget_class_bind_template_child (widget_class, LdOrderCard, state_label);
  gtk_widget_class_bind_template_child (widget_class, LdOrderCard, title_label);
  gtk_widget_class_bind_template_child (widget_class, LdOrderCard, due_label);
  gtk_widget_class_bind_template_child (widget_class, LdOrderCard, facts_label);
  gtk_widget_class_bind_template_child (widget_class, LdOrderCard, map);
  gtk_widget_class_bind_template_child (widget_class, LdOrderCard, map_frame);
  gtk_widget_class_bind_template_child (widget_class, LdOrderCard, sign_button);
  gtk_widget_class_bind_template_child (widget_class, LdOrderCard, arrive_button);
  gtk_widget_class_bind_template_child (widget_class, LdOrderCard, feedback_button);
  gtk_widget_class_bind_template_child (widget_class, LdOrderCard, feedback_kind);
  gtk_widget_class_bind_template_child (widget_class, LdOrderCard, feedback_text);
  gtk_widget_class_bind_template_child (widget_class, LdOrderCard, complete_button);
  gtk_widget_class_bind_template_child (widget_class, LdOrderCard, return_button);
  gtk_widget_class_bind_template_child (widget_class, LdOrderCard, return_reason);
  gtk_widget_class_bind_template_child (widget_class, LdOrderCard, return_duty);
  gtk_widget_class_bind_template_child (widget_class, LdOrderCard, return_basis);
  gtk_widget_class_bind_template_child (widget_class, LdOrderCard, extension_button);
  gtk_widget_class_bind_template_child (widget_class, LdOrderCard, extension_due_label);
  gtk_widget_class_bind_template_child (widget_class, LdOrderCard, extension_hours);
  gtk_widget_class_bind_template_child (widget_class, LdOrderCard, extension_reason);
  gtk_widget_class_bind_template_child (widget_class, LdOrderCard, steps_list);
  gtk_widget_class_bind_template_child (widget_class, LdOrderCard, feedback_list);
  gtk_widget_class_bind_template_callback (widget_class, ld_order_card_refresh);
  gtk_widget_class_bind_template_callback (widget_class, on_sign);
  gtk_widget_class_bind_template_callback (widget_class, on_arrive);
  gtk_widget_class_bind_template_callback (widget_class, on_complete);
  gtk_widget_class_bind_template_callback (widget_class, on_send_feedback);
  gtk_widget_class_bind_template_callback (widget_class, on_duty_chosen);
  gtk_widget_class_bind_template_callback (widget_class, on_send_return);
  gtk_widget_class_bind_template_callback (widget_class, on_send_extension);
  gtk_widget_class_bind_template_callback (widget_class, on_extension_hours);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ld_order_card_init (LdOrderCard *self)
{
  self->duty_units = g_ptr_array_new_with_free_func (g_free);
  self->due = LD_TIME_NONE;
  self->map_lat = self->map_lon = NAN;
  self->time_zone = g_time_zone_new_utc ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_entry_set_max_length (self->feedback_text, TEXT_MAX_CHARS);
  gtk_entry_set_max_length (self->return_reason, TEXT_MAX_CHARS);
  gtk_entry_set_max_length (self->return_basis, TEXT_MAX_CHARS);
  gtk_entry_set_max_length (self->extension_reason, TEXT_MAX_CHARS);
  ld_map_view_set_legend_visible (self->map, FALSE);
}
