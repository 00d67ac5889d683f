/* ld-incident-pane.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ld-incident-pane.h"
#include "ld-order-actions.h"
#include "ld-read-failure.h"

struct _LdIncidentPane
{
  GtkWidget       parent_instance;

  GtkLabel       *title_label;
  GtkLabel       *facts_label;
  GtkMenuButton  *dispatch_button;
  GtkPopover     *unit_popover;
  GtkSearchEntry *unit_search;
  GtkListBox     *unit_list;
  GtkButton      *close_button;
  GtkListBox     *order_list;
  LdReadFailure  *failure;
  LdReadFailure  *units_failure;

  LdSyncEngine   *engine;
  GTimeZone      *time_zone;
  char           *incident_id;
};

G_DEFINE_FINAL_TYPE (LdIncidentPane, ld_incident_pane, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_time (LdIncidentPane *self, gint64 usec)
{
  return usec == LD_TIME_NONE ? g_strdup ("—") : ld_time_format_short (usec, self->time_zone);
}

/* A refused change is said where the dispatcher looks. */
static void
say (LdIncidentPane *self, const char *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  /* A toast's title is markup; a refusal may quote what someone typed. */
  g_autofree char *title = g_markup_escape_text (message, -1);

  if (overlay)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
  else
    g_message ("%s", message);
}

static void
submit (LdIncidentPane *self, const char *entity, const char *entity_id, const char *action, JsonObject *fields)
{
  g_autoptr(GError) error = NULL;

  if (!ld_sync_engine_submit_action (self->engine, entity, entity_id, action, fields, &error))
    say (self, error->message);
}

/* A step the center logged well after it happened (补录), and when. */
static void
add_logged (GString *text, LdIncidentPane *self, gint64 logged)
{
  g_autofree char *when = NULL;

  if (logged == LD_TIME_NONE)
    return;
  when = format_time (self, logged);
  /* Translators: a step the center logged by phone after it happened, and when it was logged, e.g. "补录 11-23 10:35" */
  g_string_append_printf (text, " · %s %s", _("logged later"), when);
}

/* One step of an order: done at, or due at (and missed). */
static void
add_step (GString *text, LdIncidentPane *self, const char *done_label, gint64 done, gint64 logged,
          const char *due_label, gint64 due, gboolean missed)
{
  g_autofree char *when = format_time (self, done != LD_TIME_NONE ? done : due);

  if (text->len)
    g_string_append (text, "\n");
  if (done != LD_TIME_NONE)
    g_string_append_printf (text, "%s %s", done_label, when);
  else
    g_string_append_printf (text, "%s %s", due_label, when);
  if (done != LD_TIME_NONE)
    add_logged (text, self, logged);
  if (missed)
    g_string_append_printf (text, " · %s", _("overdue"));
}

static const char *
unit_name (GPtrArray *units, const char *code)
{
  for (guint i = 0; units && i < units->len; i++)
    if (g_strcmp0 (((LdUnit *) g_ptr_array_index (units, i))->code, code) == 0)
      return ((LdUnit *) g_ptr_array_index (units, i))->name;
  return code;
}

static char *
timeline (LdIncidentPane *self, const LdOrder *o, GPtrArray *units)
{
  GString *text = g_string_new (NULL);
  g_autofree char *dispatched = format_time (self, o->dispatched_at);

  g_string_append_printf (text, "%s %s", _("Dispatched"), dispatched);
  add_step (text, self, _("Signed"), o->signed_at, o->signed_logged_at, _("Sign by"), o->sign_due,
            o->overdue & LD_OVERDUE_SIGN);
  add_step (text, self, _("Arrived"), o->arrived_at, o->arrived_logged_at, _("Arrive by"), o->arrive_due,
            o->overdue & LD_OVERDUE_ARRIVE);
  add_step (text, self, _("First feedback"), o->first_feedback_at, o->first_feedback_logged_at, _("Feedback by"),
            o->feedback_due, o->overdue & LD_OVERDUE_FEEDBACK);
  if (o->feedback_count > 1)
    g_string_append_printf (text, ngettext (" (%u report)", " (%u reports)", o->feedback_count), o->feedback_count);
  if (g_str_equal (o->state, "returned"))
    {
      g_autofree char *at = format_time (self, o->returned_at);
      g_string_append_printf (text, "\n%s %s", _("Returned"), at);
      add_logged (text, self, o->returned_logged_at);
      g_string_append_printf (text, ": %s", o->return_reason ? o->return_reason : "");
      if (o->not_ours)
        g_string_append_printf (text, "\n%s %s", _("Not this unit's duty:"), o->basis ? o->basis : "");
      else if (o->duty_unit_code)
        g_string_append_printf (text, "\n%s %s", _("The duty of:"), unit_name (units, o->duty_unit_code));
      if (o->return_ruling == NULL)
        g_string_append_printf (text, "\n%s", _("Waiting for the center's ruling"));
    }
  if (o->return_ruling)
    {
      g_autofree char *at = format_time (self, o->return_ruled_at);
      g_string_append_printf (text, "\n%s %s", g_str_equal (o->return_ruling, "overruled")
                                                  ? _("Return overruled") : _("Return accepted"), at);
      if (o->return_ruling_reason)
        g_string_append_printf (text, ": %s", o->return_ruling_reason);
    }
  if (o->extension_requested_at != LD_TIME_NONE)
    {
      g_autofree char *until = format_time (self, o->extension_until);
      g_string_append_printf (text, "\n%s %s", _("Extension asked to"), until);
      if (o->extension_ruling)
        g_string_append_printf (text, " · %s", g_str_equal (o->extension_ruling, "approved")
                                                 ? _("approved") : _("refused"));
      if (o->extension_original_due != LD_TIME_NONE && g_strcmp0 (o->extension_ruling, "approved") == 0)
        {
          g_autofree char *was = format_time (self, o->extension_original_due);
          g_string_append_printf (text, " (%s %s)", _("was due"), was);
        }
    }
  else
    add_step (text, self, _("Completed"), o->completed_at, o->completed_logged_at, _("Result by"), o->result_due,
              o->overdue & LD_OVERDUE_RESULT);
  return g_string_free (text, FALSE);
}

static void
on_order_action (GtkButton *button, LdIncidentPane *self)
{
  submit (self, "order", g_object_get_data (G_OBJECT (button), "ld-order"),
          g_object_get_data (G_OBJECT (button), "ld-action"), NULL);
}

/* What the dispatcher records next for a unit that reports by phone. */
static GtkWidget *
next_step_button (LdIncidentPane *self, const LdOrder *o)
{
  const char *action = NULL;
  const char *label = NULL;
  GtkWidget *button;

  if (ld_order_takes (o, "sign"))
    action = "sign", label = _("Record Signature");
  else if (ld_order_takes (o, "arrive"))
    action = "arrive", label = _("Record Arrival");
  /* Completion needs the unit's result first (the store refuses it). */
  else if (ld_order_takes (o, "complete"))
    action = "complete", label = _("Record Completion");
  if (action == NULL)
    return NULL;
  button = gtk_button_new_with_label (label);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (button), "ld-order", g_strdup (o->id), g_free);
  g_object_set_data (G_OBJECT (button), "ld-action", (gpointer) action);
  g_signal_connect (button, "clicked", G_CALLBACK (on_order_action), self);
  return button;
}

static void
on_order_submit (LdOrderActions *actions, const char *action, JsonObject *fields, LdIncidentPane *self)
{
  submit (self, "order", g_object_get_data (G_OBJECT (actions), "ld-order"), action, json_object_ref (fields));
}

static void
on_order_problem (LdOrderActions *actions, const char *message, LdIncidentPane *self)
{
  say (self, message);
}

/* Feedback and returns a unit reports by phone, and the center's rulings
 * on returns and extensions. */
static GtkWidget *
order_actions (LdIncidentPane *self, const LdOrder *o, GPtrArray *units)
{
  GtkWidget *actions = ld_order_actions_new (o, units, self->time_zone);

  if (actions == NULL)
    return NULL;
  g_object_set_data_full (G_OBJECT (actions), "ld-order", g_strdup (o->id), g_free);
  g_signal_connect (actions, "submit", G_CALLBACK (on_order_submit), self);
  g_signal_connect (actions, "problem", G_CALLBACK (on_order_problem), self);
  return actions;
}

static void
clear_list (GtkListBox *list)
{
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (list)));)
    gtk_list_box_remove (list, child);
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

/* Logging a unit's steps and ruling on them is the dispatchers' (and an
 * administrator's): a leader reads the pane, and is offered none of it. */
static gboolean
center_may_act (LdIncidentPane *self)
{
  const LdUser *user = ld_replica_get_user (ld_sync_engine_get_replica (self->engine));

  return user && (g_strcmp0 (user->role, "dispatcher") == 0 || g_strcmp0 (user->role, "admin") == 0);
}

static void
refresh (LdIncidentPane *self)
{
  LdStore *store;
  g_autoptr(GError) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LdIncident) inc = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(LdRegion) region = NULL;
  g_autoptr(LdCategory) category = NULL;
  g_autofree char *received = NULL;
  g_autoptr(GString) facts = g_string_new (NULL);
  gboolean all_done = TRUE;
  g_autoptr(GPtrArray) units = NULL;
  gboolean may_act;

  clear_list (self->order_list);
  if (self->engine == NULL || self->incident_id == NULL)
    {
      ld_read_failure_set_error (self->failure, NULL, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }
  store = ld_sync_engine_get_store (self->engine);
  may_act = center_may_act (self);
  inc = ld_store_get_incident (store, self->incident_id, &error);
  keep_failure (&failure, &error);
  ld_read_failure_set_error (self->failure, _("The incident"), failure);
  /* An incident that could not be read stays in view, with the reason and
   * nothing to act on; one that is gone leaves the view. */
  gtk_widget_set_visible (GTK_WIDGET (self), inc != NULL || failure != NULL);
  if (inc == NULL)
    {
      gtk_label_set_label (self->title_label, "");
      gtk_label_set_label (self->facts_label, "");
      gtk_widget_set_sensitive (GTK_WIDGET (self->dispatch_button), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->close_button), FALSE);
      return;
    }
  orders = ld_store_list_orders (store, inc->id, &error);
  keep_failure (&failure, &error);
  if (inc->region_code)
    region = ld_store_get_region (store, inc->region_code, &error);
  keep_failure (&failure, &error);
  if (inc->category)
    category = ld_store_get_category (store, inc->category, &error);
  keep_failure (&failure, &error);
  received = format_time (self, inc->received_at);

  gtk_label_set_label (self->title_label, inc->summary ? inc->summary : _("(nothing reported)"));
  g_string_append_printf (facts, _("Received %s from %s"), received, ld_source_label (inc->source));
  if (inc->caller_phone)
    g_string_append_printf (facts, "\n%s %s", _("Caller"), inc->caller_phone);
  if (inc->repeat_of)
    g_string_append_printf (facts, " · %s", _("repeat call"));
  if (inc->address)
    g_string_append_printf (facts, "\n%s %s", _("Address"), inc->address);
  g_string_append_printf (facts, "\n%s · %s", region ? region->name : _("Region not known"),
                          category ? category->name : _("Category not given"));
  g_string_append_printf (facts, "\n%s %s", _("State"), ld_incident_state_label (inc->state));
  if (inc->diverted_to)
    g_string_append_printf (facts, " · %s", ld_platform_label (inc->diverted_to));
  gtk_label_set_label (self->facts_label, facts->str);

  units = ld_store_list_units (store, &error);
  keep_failure (&failure, &error);
  for (guint i = 0; orders && i < orders->len; i++)
    {
      const LdOrder *o = g_ptr_array_index (orders, i);
      g_autoptr(LdUnit) unit = ld_store_get_unit (store, o->unit_code, &error);
      g_autofree char *steps = timeline (self, o, units);
      g_autoptr(GPtrArray) reports = NULL;
      g_autoptr(GString) subtitle = g_string_new (steps);
      g_autofree char *title = g_strdup_printf ("%s · %s", unit ? unit->name : o->unit_code,
                                                ld_order_state_label (o->state));
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = may_act ? next_step_button (self, o) : NULL;
      GtkWidget *menu = may_act ? order_actions (self, o, units) : NULL;

      keep_failure (&failure, &error);
      reports = ld_store_list_feedback (store, o->id, &error);
      keep_failure (&failure, &error);
      /* A unit's name and a return's reason are shown as typed. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      /* Every report with its words, as the unit's card shows them. */
      for (guint r = 0; reports && r < reports->len; r++)
        {
          const LdFeedback *f = g_ptr_array_index (reports, r);
          g_autofree char *when = format_time (self, f->at);

          g_string_append_printf (subtitle, "\n%s %s: %s", ld_feedback_kind_label (f->kind), when,
                                  f->text ? f->text : "");
        }
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      if (o->overdue)
        gtk_widget_add_css_class (row, "overdue");
      if (button)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      if (menu)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), menu);
      gtk_list_box_append (self->order_list, row);
      if (!g_str_equal (o->state, "completed") && !g_str_equal (o->state, "returned"))
        all_done = FALSE;
    }

  ld_read_failure_set_error (self->failure, _("The incident"), failure);
  /* The state machine's rules, so the buttons offer only what it takes. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->dispatch_button),
                            g_str_equal (inc->state, "new") || g_str_equal (inc->state, "dispatched"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->close_button),
                            (g_str_equal (inc->state, "dispatched") && orders && orders->len > 0 && all_done) ||
                            (g_str_equal (inc->state, "new") && g_str_equal (inc->kind, "police")));
}

static void
on_close (GtkButton *button, LdIncidentPane *self)
{
  submit (self, "incident", self->incident_id, "close", NULL);
}

static void
on_unit_activated (GtkListBox *list, GtkListBoxRow *row, LdIncidentPane *self)
{
  JsonObject *fields = json_object_new ();
  g_autofree char *order_id = ld_id_new (ld_time_now ());

  json_object_set_string_member (fields, "incident_id", self->incident_id);
  json_object_set_string_member (fields, "unit_code", g_object_get_data (G_OBJECT (row), "ld-unit"));
  gtk_popover_popdown (self->unit_popover);
  submit (self, "order", order_id, "dispatch", fields);
}

static gboolean
unit_matches (GtkListBoxRow *row, gpointer data)
{
  LdIncidentPane *self = data;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->unit_search));
  const char *name = g_object_get_data (G_OBJECT (row), "ld-name");

  return *query == '\0' || (name && strstr (name, query));
}

static void
on_search_changed (GtkSearchEntry *entry, LdIncidentPane *self)
{
  gtk_list_box_invalidate_filter (self->unit_list);
}

static void
load_units (LdIncidentPane *self)
{
  LdStore *store = ld_sync_engine_get_store (self->engine);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) units = ld_store_list_units (store, &error);

  ld_read_failure_set_error (self->units_failure, _("The units"), error);
  clear_list (self->unit_list);
  for (guint i = 0; units && i < units->len; i++)
    {
      const LdUnit *u = g_ptr_array_index (units, i);
      GtkWidget *row;
      GtkWidget *label;
      g_autofree char *text = NULL;

      if (u->inactive)
        continue;
      /* Translators: a unit and its tier in the dispatch list, e.g. "市公安局 · 一级" */
      text = g_strdup_printf (_("%s · tier %d"), u->name, u->tier);
      label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      row = gtk_list_box_row_new ();
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      g_object_set_data_full (G_OBJECT (row), "ld-unit", g_strdup (u->code), g_free);
      g_object_set_data_full (G_OBJECT (row), "ld-name", g_strdup (u->name), g_free);
      gtk_list_box_append (self->unit_list, row);
    }
}

static void
on_changed (LdSyncEngine *engine, GStrv incidents, GStrv orders, LdIncidentPane *self)
{
  if (self->incident_id == NULL)
    return;
  if (incidents && g_strv_contains ((const char * const *) incidents, self->incident_id))
    {
      refresh (self);
      return;
    }
  for (guint i = 0; orders && orders[i]; i++)
    {
      LdStore *store = ld_sync_engine_get_store (self->engine);
      /* An order that cannot be read may be this incident's: the refresh
       * reads again, and says why if it fails. */
      g_autoptr(LdOrder) o = ld_store_get_order (store, orders[i], NULL);

      if (o == NULL || g_strcmp0 (o->incident_id, self->incident_id) == 0)
        {
          refresh (self);
          return;
        }
    }
}

static void
set_engine (LdIncidentPane *self, LdSyncEngine *engine, GTimeZone *time_zone)
{
  gboolean changed = self->engine != engine;

  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  self->time_zone = g_time_zone_ref (time_zone);
  if (engine)
    {
      g_signal_connect_object (engine, "changed", G_CALLBACK (on_changed), self, 0);
      load_units (self);
    }
  refresh (self);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

void
ld_incident_pane_set_engine (LdIncidentPane *self, LdSyncEngine *engine, GTimeZone *time_zone)
{
  g_return_if_fail (LD_IS_INCIDENT_PANE (self));
  g_return_if_fail (engine == NULL || LD_IS_SYNC_ENGINE (engine));
  g_return_if_fail (time_zone != NULL);

  set_engine (self, engine, time_zone);
}

LdSyncEngine *
ld_incident_pane_get_engine (LdIncidentPane *self)
{
  g_return_val_if_fail (LD_IS_INCIDENT_PANE (self), NULL);

  return self->engine;
}

void
ld_incident_pane_set_incident (LdIncidentPane *self, const char *incident_id)
{
  if (g_strcmp0 (self->incident_id, incident_id) == 0)
    return;
  g_free (self->incident_id);
  self->incident_id = g_strdup (incident_id);
  refresh (self);
}

const char *
ld_incident_pane_get_incident (LdIncidentPane *self)
{
  return self->incident_id;
}

static void
ld_incident_pane_dispose (GObject *object)
{
  LdIncidentPane *self = LD_INCIDENT_PANE (object);

  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_INCIDENT_PANE);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  g_clear_pointer (&self->incident_id, g_free);

  G_OBJECT_CLASS (ld_incident_pane_parent_class)->dispose (object);
}

static void
ld_incident_pane_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, LD_INCIDENT_PANE (object)->engine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_incident_pane_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LdIncidentPane *self = LD_INCIDENT_PANE (object);
  LdSyncEngine *engine;

  switch (prop_id)
    {
    case PROP_ENGINE:
      /* Bound in a template, the engine brings the center's own zone. */
      engine = g_value_get_object (value);
      set_engine (self, engine, engine ? ld_store_get_time_zone (ld_sync_engine_get_store (engine))
                                       : self->time_zone);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_incident_pane_class_init (LdIncidentPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_incident_pane_dispose;
  object_class->get_property = ld_incident_pane_get_property;
  object_class->set_property = ld_incident_pane_set_property;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, LD_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LD_TYPE_READ_FAILURE);

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-incident-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, LdIncidentPane, title_label);
  gtk_widget_class_bind_template_child (widget_class, LdIncidentPane, facts_label);
  gtk_widget_class_bind_template_child (widget_class, LdIncidentPane, dispatch_button);
  gtk_widget_class_bind_template_child (widget_class, LdIncidentPane, unit_popover);
  gtk_widget_class_bind_template_child (widget_class, LdIncidentPane, unit_search);
  gtk_widget_class_bind_template_child (widget_class, LdIncidentPane, unit_list);
  gtk_widget_class_bind_template_child (widget_class, LdIncidentPane, close_button);
  gtk_widget_class_bind_template_child (widget_class, LdIncidentPane, order_list);
  gtk_widget_class_bind_template_child (widget_class, LdIncidentPane, failure);
  gtk_widget_class_bind_template_child (widget_class, LdIncidentPane, units_failure);
  gtk_widget_class_bind_template_callback (widget_class, refresh);
  gtk_widget_class_bind_template_callback (widget_class, load_units);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ld_incident_pane_init (LdIncidentPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->time_zone = g_time_zone_new_utc ();
  gtk_list_box_set_filter_func (self->unit_list, unit_matches, self, NULL);
  {
    GtkWidget *none = gtk_label_new (_("Not dispatched yet"));

    gtk_widget_add_css_class (none, "dim-label");
    gtk_widget_set_margin_top (none, 12);
    gtk_widget_set_margin_bottom (none, 12);
    gtk_list_box_set_placeholder (self->order_list, none);
  }
  g_signal_connect (self->unit_search, "search-changed", G_CALLBACK (on_search_changed), self);
  g_signal_connect (self->unit_list, "row-activated", G_CALLBACK (on_unit_activated), self);
  g_signal_connect (self->close_button, "clicked", G_CALLBACK (on_close), self);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
