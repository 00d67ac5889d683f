/* ld-late-panel.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include "ld-late-panel.h"
#include "ld-read-failure.h"

/* "12 min late" changes by the minute even when no deadline passes. */
#define TICK_SECONDS 30
/* The oldest are chased first; a backlog of thousands would only make
 * every change slow to show. */
#define MAX_ROWS 200

struct _LdLatePanel
{
  GtkWidget     parent_instance;

  GtkStack     *stack;
  GtkListBox   *list;
  LdReadFailure *failure;

  LdSyncEngine *engine;
  GTimeZone    *time_zone;
  GHashTable   *seen;        /* "order step" already late at the last reading */
  gboolean      primed;      /* the backlog found at start-up raises no alert */
  guint         n_late;
  guint         timer;
  guint         idle;
  GtkWidget    *open_popover;   /* a duty phone being dialled: the rows wait */
  gboolean      refresh_waiting;
};

G_DEFINE_FINAL_TYPE (LdLatePanel, ld_late_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_N_LATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ALERT,
  INCIDENT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_copy_phone (GtkButton *button, const char *phone)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), phone);
  gtk_popover_popdown (GTK_POPOVER (gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_POPOVER)));
}

static gboolean refresh_idle (gpointer data);

static void
on_phone_shown (GtkWidget *popover, LdLatePanel *self)
{
  self->open_popover = popover;
}

/* The rows are made again after the call, not under the dispatcher's
 * finger. */
static void
on_phone_closed (GtkPopover *popover, LdLatePanel *self)
{
  if (self->open_popover == GTK_WIDGET (popover))
    self->open_popover = NULL;
  /* No engine: the panel is going away with its rows. */
  if (self->refresh_waiting && self->idle == 0 && self->engine)
    self->idle = g_idle_add (refresh_idle, self);
}

/* The duty phone in type large enough to dial from across the desk: the
 * one on duty now (值班表) when the unit keeps a roster, else its office. */
static GtkWidget *
phone_button (LdLatePanel *self, const LdUnit *unit, const LdDuty *turn)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  const char *phone = turn ? turn->phone : unit->phone;
  GtkWidget *number = gtk_label_new (phone);
  GtkWidget *copy = gtk_button_new_with_mnemonic (_("_Copy Number"));
  /* Translators: a unit, then who is on duty there now: "市城管局 · 值班 王芳" */
  g_autofree char *who = turn ? g_strdup_printf (_("%s · on duty %s"), unit->name, turn->name) : g_strdup (unit->name);
  g_autofree char *tooltip = g_strdup_printf (_("Call %s"), who);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "call-start-symbolic");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_label_set_selectable (GTK_LABEL (number), TRUE);
  gtk_widget_add_css_class (number, "title-1");
  gtk_widget_add_css_class (number, "phone-number");
  gtk_box_append (GTK_BOX (box), gtk_label_new (who));
  gtk_box_append (GTK_BOX (box), number);
  gtk_box_append (GTK_BOX (box), copy);
  g_signal_connect_data (copy, "clicked", G_CALLBACK (on_copy_phone), g_strdup (phone),
                         (GClosureNotify) (void (*) (void)) g_free, 0);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  g_signal_connect_object (popover, "show", G_CALLBACK (on_phone_shown), self, 0);
  g_signal_connect_object (popover, "closed", G_CALLBACK (on_phone_closed), self, 0);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  return button;
}

static GtkWidget *
late_row (LdLatePanel *self, const LdLateOrder *late, gint64 now, GHashTable *on_duty)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *unit = gtk_label_new (late->unit ? late->unit->name : late->order->unit_code);
  GtkWidget *step;
  GtkWidget *what;
  g_autofree char *late_text = ld_time_format_late (now - late->due);
  g_autofree char *step_text = g_strdup_printf ("%s · %s", ld_order_step_label (late->step), late_text);
  g_autofree char *received = ld_time_format_short (late->incident->received_at, self->time_zone);
  g_autofree char *what_text = g_strdup_printf ("%s %s", received,
                                                late->incident->summary ? late->incident->summary : "");

  gtk_widget_set_margin_start (hbox, 12);
  gtk_widget_set_margin_end (hbox, 6);
  gtk_widget_set_margin_top (hbox, 8);
  gtk_widget_set_margin_bottom (hbox, 8);
  gtk_widget_set_hexpand (vbox, TRUE);
  gtk_label_set_xalign (GTK_LABEL (unit), 0);
  gtk_label_set_wrap (GTK_LABEL (unit), TRUE);
  gtk_widget_add_css_class (unit, "heading");
  step = gtk_label_new (step_text);
  gtk_label_set_xalign (GTK_LABEL (step), 0);
  gtk_widget_add_css_class (step, "overdue");
  what = gtk_label_new (what_text);
  gtk_label_set_xalign (GTK_LABEL (what), 0);
  gtk_label_set_ellipsize (GTK_LABEL (what), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (what, "dim-label");
  gtk_box_append (GTK_BOX (vbox), unit);
  gtk_box_append (GTK_BOX (vbox), step);
  gtk_box_append (GTK_BOX (vbox), what);
  gtk_box_append (GTK_BOX (hbox), vbox);
  if (late->unit)
    {
      const LdDuty *turn = g_hash_table_lookup (on_duty, late->unit->code);

      if (turn || (late->unit->phone && *late->unit->phone))
        gtk_box_append (GTK_BOX (hbox), phone_button (self, late->unit, turn));
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), hbox);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "ld-incident", g_strdup (late->incident->id), g_free);
  return row;
}

static void
on_row_activated (GtkListBox *list, GtkListBoxRow *row, LdLatePanel *self)
{
  g_signal_emit (self, signals[INCIDENT_ACTIVATED], 0, g_object_get_data (G_OBJECT (row), "ld-incident"));
}

static gboolean on_timer (gpointer data);

/* One timer: the next deadline to pass, or the minute's tick. */
static void
schedule (LdLatePanel *self, LdStore *store, gint64 now)
{
  gint64 next = ld_store_next_order_deadline (store, now);
  gint64 wait_s = TICK_SECONDS;

  g_clear_handle_id (&self->timer, g_source_remove);
  if (next > 0)
    wait_s = CLAMP ((next - now) / G_USEC_PER_SEC + 1, 1, TICK_SECONDS);
  self->timer = g_timeout_add_seconds ((guint) wait_s, on_timer, self);
}

void
ld_late_panel_refresh (LdLatePanel *self)
{
  LdStore *store;
  gint64 now = ld_time_now ();
  g_autoptr(GPtrArray) late = NULL;
  g_autoptr(GHashTable) on_duty = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GError) error = NULL;
  guint n_new = 0;
  const LdLateOrder *first_new = NULL;

  g_return_if_fail (LD_IS_LATE_PANEL (self));

  if (self->engine == NULL)
    return;
  if (self->open_popover)
    {
      self->refresh_waiting = TRUE;
      return;
    }
  self->refresh_waiting = FALSE;
  store = ld_sync_engine_get_store (self->engine);
  late = ld_store_list_late_orders (store, now, &error);
  if (late)
    on_duty = ld_store_list_on_duty (store, now, &error);
  ld_read_failure_set_error (self->failure, _("The late orders"), error);
  /* Not "no late orders" when they could not be read. */
  gtk_widget_set_visible (GTK_WIDGET (self->stack), on_duty != NULL);
  if (on_duty == NULL)
    return;
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (GtkListBoxRow *row; (row = gtk_list_box_get_row_at_index (self->list, 0));)
    gtk_list_box_remove (self->list, GTK_WIDGET (row));
  for (guint i = 0; i < late->len; i++)
    {
      const LdLateOrder *l = g_ptr_array_index (late, i);
      char *key = g_strconcat (l->order->id, " ", l->step, NULL);

      if (!g_hash_table_contains (self->seen, key) && n_new++ == 0)
        first_new = l;
      g_hash_table_add (seen, key);
      if (i < MAX_ROWS)
        gtk_list_box_append (self->list, late_row (self, l, now, on_duty));
    }
  if (late->len > MAX_ROWS)
    {
      g_autofree char *more = g_strdup_printf (ngettext ("And %u more late order", "And %u more late orders",
                                                         late->len - MAX_ROWS),
                                               late->len - MAX_ROWS);
      GtkWidget *label = gtk_label_new (more);
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 8);
      gtk_widget_set_margin_bottom (label, 8);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (self->list, row);
    }
  g_hash_table_unref (self->seen);
  self->seen = g_steal_pointer (&seen);
  gtk_stack_set_visible_child_name (self->stack, late->len ? "list" : "none");
  if (self->n_late != late->len)
    {
      self->n_late = late->len;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_LATE]);
    }
  if (self->primed && n_new > 0)
    {
      g_autofree char *message = NULL;
      const char *unit = first_new->unit ? first_new->unit->name : first_new->order->unit_code;

      if (n_new == 1)
        /* Translators: an alert, e.g. "港区综合执法局: 未签收" */
        message = g_strdup_printf (_("Deadline missed — %s: %s"), unit, ld_order_step_label (first_new->step));
      else
        message = g_strdup_printf (ngettext ("Deadline missed — %s and %u other order",
                                             "Deadline missed — %s and %u other orders", n_new - 1),
                                   unit, n_new - 1);
      g_signal_emit (self, signals[ALERT], 0, message);
    }
  self->primed = TRUE;
  schedule (self, store, now);
}

static gboolean
on_timer (gpointer data)
{
  LdLatePanel *self = data;

  self->timer = 0;
  ld_late_panel_refresh (self);
  return G_SOURCE_REMOVE;
}

static gboolean
refresh_idle (gpointer data)
{
  LdLatePanel *self = data;

  self->idle = 0;
  ld_late_panel_refresh (self);
  return G_SOURCE_REMOVE;
}

/* A catch-up brings thousands of changes: one reading after them. */
static void
on_changed (LdSyncEngine *engine, GStrv incidents, GStrv orders, LdLatePanel *self)
{
  if (self->idle == 0 && orders && orders[0])
    self->idle = g_idle_add (refresh_idle, self);
}

static void
set_engine (LdLatePanel *self, LdSyncEngine *engine, GTimeZone *time_zone)
{
  gboolean changed = self->engine != engine;

  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  self->time_zone = g_time_zone_ref (time_zone);
  self->primed = FALSE;
  g_hash_table_remove_all (self->seen);
  if (engine)
    {
      g_signal_connect_object (engine, "changed", G_CALLBACK (on_changed), self, G_CONNECT_AFTER);
      ld_late_panel_refresh (self);
    }
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

void
ld_late_panel_set_engine (LdLatePanel *self, LdSyncEngine *engine, GTimeZone *time_zone)
{
  g_return_if_fail (LD_IS_LATE_PANEL (self));
  g_return_if_fail (engine == NULL || LD_IS_SYNC_ENGINE (engine));
  g_return_if_fail (time_zone != NULL);

  set_engine (self, engine, time_zone);
}

LdSyncEngine *
ld_late_panel_get_engine (LdLatePanel *self)
{
  g_return_val_if_fail (LD_IS_LATE_PANEL (self), NULL);

  return self->engine;
}

guint
ld_late_panel_get_n_late (LdLatePanel *self)
{
  g_return_val_if_fail (LD_IS_LATE_PANEL (self), 0);
  return self->n_late;
}

static void
ld_late_panel_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LdLatePanel *self = LD_LATE_PANEL (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_N_LATE:
      g_value_set_uint (value, self->n_late);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_late_panel_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LdLatePanel *self = LD_LATE_PANEL (object);
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
ld_late_panel_dispose (GObject *object)
{
  LdLatePanel *self = LD_LATE_PANEL (object);

  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_handle_id (&self->timer, g_source_remove);
  g_clear_handle_id (&self->idle, g_source_remove);
  g_clear_object (&self->engine);
  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_LATE_PANEL);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  g_clear_pointer (&self->seen, g_hash_table_unref);

  G_OBJECT_CLASS (ld_late_panel_parent_class)->dispose (object);
}

static void
ld_late_panel_class_init (LdLatePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_late_panel_dispose;
  object_class->get_property = ld_late_panel_get_property;
  object_class->set_property = ld_late_panel_set_property;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, LD_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_LATE] =
    g_param_spec_uint ("n-late", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ALERT] =
    g_signal_new ("alert", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[INCIDENT_ACTIVATED] =
    g_signal_new ("incident-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (LD_TYPE_READ_FAILURE);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-late-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, LdLatePanel, stack);
  gtk_widget_class_bind_template_child (widget_class, LdLatePanel, list);
  gtk_widget_class_bind_template_child (widget_class, LdLatePanel, failure);
  gtk_widget_class_bind_template_callback (widget_class, ld_late_panel_refresh);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ld_late_panel_init (LdLatePanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->time_zone = g_time_zone_new_utc ();
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
