/* ld-unit-board.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include "ld-map-view.h"
#include "ld-read-failure.h"
#include "ld-unit-board.h"

/* Late counts grow with the clock, not only with changes. */
#define TICK_SECONDS 30

struct _LdUnitBoard
{
  GtkWidget       parent_instance;

  GtkSearchEntry *search;
  GtkListBox     *list;
  LdReadFailure  *failure;
  GtkWidget      *roll_call_bar;
  GtkLabel       *roll_call_label;
  GtkWidget      *roll_call_button;
  GtkWidget      *dispatch_hint;

  LdSyncEngine   *engine;
  GHashTable     *region_names;
  guint           timer;
  guint           idle;
};

G_DEFINE_FINAL_TYPE (LdUnitBoard, ld_unit_board, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  DISPATCH_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GdkContentProvider *
on_drag_prepare (GtkDragSource *source, double x, double y, GtkListBoxRow *row)
{
  LdUnitBoard *self = LD_UNIT_BOARD (gtk_widget_get_ancestor (GTK_WIDGET (row), LD_TYPE_UNIT_BOARD));
  g_auto(GStrv) codes = NULL;
  g_autofree char *text = NULL;

  /* A chosen row carries every chosen unit; any other carries itself. */
  if (gtk_list_box_row_is_selected (row))
    codes = ld_unit_board_get_selected (self);
  else
    {
      codes = g_new0 (char *, 2);
      codes[0] = g_strdup (g_object_get_data (G_OBJECT (row), "ld-unit"));
    }
  text = ld_map_drag_encode (LD_MAP_DRAG_UNITS, (const char *const *) codes);
  return gdk_content_provider_new_typed (G_TYPE_STRING, text);
}

static gboolean
on_drop (GtkDropTarget *target, const GValue *value, double x, double y, GtkListBoxRow *row)
{
  LdUnitBoard *self = LD_UNIT_BOARD (gtk_widget_get_ancestor (GTK_WIDGET (row), LD_TYPE_UNIT_BOARD));
  g_autofree char *kind = NULL;
  g_auto(GStrv) ids = NULL;
  const char *unit[2] = { g_object_get_data (G_OBJECT (row), "ld-unit"), NULL };

  if (!ld_map_drag_decode (g_value_get_string (value), &kind, &ids) || !g_str_equal (kind, LD_MAP_DRAG_INCIDENT))
    return FALSE;
  g_signal_emit (self, signals[DISPATCH_REQUESTED], 0, ids, unit);
  return TRUE;
}

static GtkWidget *
unit_row (LdUnitBoard *self, const LdUnitLoad *load, GHashTable *on_duty)
{
  const LdUnit *u = load->unit;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (u->name);
  GtkWidget *detail;
  GtkWidget *counts;
  const char *region = u->region_code ? g_hash_table_lookup (self->region_names, u->region_code) : NULL;
  const LdDuty *turn = g_hash_table_lookup (on_duty, u->code);
  g_autofree char *detail_text = NULL;
  g_autofree char *counts_text = NULL;
  GtkDragSource *drag = gtk_drag_source_new ();
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_COPY);

  /* Who answers now is who to call: the one on duty, else the office. */
  if (turn)
    /* Translators: a unit's region, then who is on duty now and their phone: "南湖区 · 值班 王芳 13800000000" */
    detail_text = g_strdup_printf (_("%s · on duty %s %s"), region ? region : "", turn->name, turn->phone);
  else
    detail_text = g_strdup_printf ("%s%s%s", region ? region : "", region && u->phone ? " · " : "",
                                   u->phone ? u->phone : "");
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  detail = gtk_label_new (detail_text);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_selectable (GTK_LABEL (detail), FALSE);
  /* A long name on duty must not widen the board. */
  gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_add_css_class (detail, "caption");
  gtk_widget_set_hexpand (vbox, TRUE);
  gtk_box_append (GTK_BOX (vbox), name);
  gtk_box_append (GTK_BOX (vbox), detail);
  gtk_box_append (GTK_BOX (hbox), vbox);
  if (load->n_late > 0)
    /* Translators: a unit's orders on the unit board: open, and of them late */
    counts_text = g_strdup_printf (_("%u open · %u late"), load->n_open, load->n_late);
  else if (load->n_open > 0)
    counts_text = g_strdup_printf (ngettext ("%u open", "%u open", load->n_open), load->n_open);
  if (counts_text)
    {
      counts = gtk_label_new (counts_text);
      gtk_widget_add_css_class (counts, load->n_late > 0 ? "overdue" : "numeric");
      gtk_box_append (GTK_BOX (hbox), counts);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), hbox);
  g_object_set_data_full (G_OBJECT (row), "ld-unit", g_strdup (u->code), g_free);
  g_object_set_data_full (G_OBJECT (row), "ld-name", g_strdup (u->name), g_free);
  g_object_set_data (G_OBJECT (row), "ld-tier", GINT_TO_POINTER (u->tier));

  gtk_drag_source_set_actions (drag, GDK_ACTION_COPY);
  g_signal_connect (drag, "prepare", G_CALLBACK (on_drag_prepare), row);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), row);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (drop));
  return row;
}

/* Tiers head their units: the board reads like the responsibility list. */
static void
update_header (GtkListBoxRow *row, GtkListBoxRow *before, gpointer data)
{
  int tier = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "ld-tier"));
  g_autofree char *text = NULL;
  GtkWidget *header;

  if (before && GPOINTER_TO_INT (g_object_get_data (G_OBJECT (before), "ld-tier")) == tier)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  /* Translators: a heading on the unit board */
  text = g_strdup_printf (_("Tier %d"), tier);
  header = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_top (header, 8);
  gtk_widget_add_css_class (header, "heading");
  gtk_list_box_row_set_header (row, header);
}

static gboolean
filter_row (GtkListBoxRow *row, gpointer data)
{
  LdUnitBoard *self = data;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search));
  const char *name = g_object_get_data (G_OBJECT (row), "ld-name");

  return *query == '\0' || (name && strstr (name, query));
}

static void
on_search_changed (LdUnitBoard *self)
{
  gtk_list_box_invalidate_filter (self->list);
}

static void
clear_rows (LdUnitBoard *self)
{
  /* Rows only: the tiers' headers belong to the rows and go with them. */
  for (GtkListBoxRow *row; (row = gtk_list_box_get_row_at_index (self->list, 0));)
    gtk_list_box_remove (self->list, GTK_WIDGET (row));
}

GStrv
ld_unit_board_get_selected (LdUnitBoard *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (LD_IS_UNIT_BOARD (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list)); child;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (child)))
      g_strv_builder_add (builder, g_object_get_data (G_OBJECT (child), "ld-unit"));
  return g_strv_builder_end (builder);
}

/* Calling the roll and dispatching are the dispatchers' and an
 * administrator's; a leader reads the board. */
static gboolean
may_call_roll (LdUnitBoard *self)
{
  const LdUser *user = ld_replica_get_user (ld_sync_engine_get_replica (self->engine));

  return user && (g_strcmp0 (user->role, "dispatcher") == 0 || g_strcmp0 (user->role, "admin") == 0);
}

static void
on_roll_call (LdUnitBoard *self)
{
  g_auto(GStrv) chosen = ld_unit_board_get_selected (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_uuid_string_random ();
  JsonObject *fields = json_object_new ();
  JsonArray *codes = json_array_new ();

  for (guint i = 0; chosen[i]; i++)
    json_array_add_string_element (codes, chosen[i]);
  json_object_set_array_member (fields, "unit_codes", codes);
  if (!ld_sync_engine_submit_action (self->engine, "roll_call", id, "start", fields, &error))
    ld_read_failure_set_error (self->failure, _("The roll call"), error);
  else
    ld_unit_board_refresh (self);
}

/* Today's roll calls as the report will count them. */
static gboolean
show_roll_calls (LdUnitBoard *self, LdStore *store, gint64 now, GError **error)
{
  LdPeriod today = ld_period_day (ld_store_get_time_zone (store), now);
  g_autoptr(GHashTable) counts = ld_store_count_roll_calls (store, &today, now, error);
  g_autofree char *text = NULL;
  GHashTableIter iter;
  LdRollCallCounts *c;
  guint answered = 0, unanswered = 0;

  if (counts == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &c))
    {
      answered += c->answered;
      unanswered += c->unanswered;
    }
  /* Translators: today's roll calls on the unit board: units that answered, and that did not */
  text = answered + unanswered > 0 ? g_strdup_printf (_("Roll calls today: %u answered, %u not answered"),
                                                      answered, unanswered)
                                   : g_strdup (_("No roll call decided today"));
  gtk_label_set_text (self->roll_call_label, text);
  return TRUE;
}

void
ld_unit_board_refresh (LdUnitBoard *self)
{
  LdStore *store;
  g_autoptr(GPtrArray) loads = NULL;
  g_autoptr(GPtrArray) regions = NULL;
  g_autoptr(GHashTable) on_duty = NULL;
  g_auto(GStrv) chosen = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (LD_IS_UNIT_BOARD (self));

  if (self->engine == NULL)
    return;
  store = ld_sync_engine_get_store (self->engine);
  /* Offered by role before anything is read, so a failed read never
   * leaves a leader the button. */
  gtk_widget_set_visible (self->roll_call_button, may_call_roll (self));
  gtk_widget_set_visible (self->dispatch_hint, may_call_roll (self));
  loads = ld_store_list_unit_loads (store, ld_time_now (), &error);
  if (loads)
    regions = ld_store_list_regions (store, &error);
  if (regions)
    on_duty = ld_store_list_on_duty (store, ld_time_now (), &error);
  if (on_duty && !show_roll_calls (self, store, ld_time_now (), &error))
    g_clear_pointer (&on_duty, g_hash_table_unref);
  ld_read_failure_set_error (self->failure, _("The units"), error);
  if (on_duty == NULL)
    {
      clear_rows (self);
      return;
    }
  g_hash_table_remove_all (self->region_names);
  for (guint i = 0; i < regions->len; i++)
    {
      LdRegion *r = g_ptr_array_index (regions, i);
      g_hash_table_insert (self->region_names, g_strdup (r->code), g_strdup (r->name));
    }

  /* The rows are made again; the dispatcher's choice is kept. */
  chosen = ld_unit_board_get_selected (self);
  clear_rows (self);
  for (guint i = 0; i < loads->len; i++)
    {
      const LdUnitLoad *load = g_ptr_array_index (loads, i);
      GtkWidget *row = unit_row (self, load, on_duty);

      gtk_list_box_append (self->list, row);
      if (g_strv_contains ((const char *const *) chosen, load->unit->code))
        gtk_list_box_select_row (self->list, GTK_LIST_BOX_ROW (row));
    }
}

static gboolean
refresh_now (gpointer data)
{
  LdUnitBoard *self = data;

  self->idle = 0;
  ld_unit_board_refresh (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_tick (gpointer data)
{
  ld_unit_board_refresh (data);
  return G_SOURCE_CONTINUE;
}

static void
on_changed (LdSyncEngine *engine, GStrv incidents, GStrv orders, LdUnitBoard *self)
{
  if (self->idle == 0 && orders && orders[0])
    self->idle = g_idle_add (refresh_now, self);
}

void
ld_unit_board_set_engine (LdUnitBoard *self, LdSyncEngine *engine)
{
  gboolean changed = self->engine != engine;

  g_return_if_fail (LD_IS_UNIT_BOARD (self));
  g_return_if_fail (engine == NULL || LD_IS_SYNC_ENGINE (engine));

  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  g_clear_handle_id (&self->timer, g_source_remove);
  clear_rows (self);
  ld_read_failure_set_error (self->failure, NULL, NULL);
  if (engine)
    {
      g_signal_connect_object (engine, "changed", G_CALLBACK (on_changed), self, G_CONNECT_AFTER);
      self->timer = g_timeout_add_seconds (TICK_SECONDS, on_tick, self);
      ld_unit_board_refresh (self);
    }
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

LdSyncEngine *
ld_unit_board_get_engine (LdUnitBoard *self)
{
  g_return_val_if_fail (LD_IS_UNIT_BOARD (self), NULL);

  return self->engine;
}

static void
ld_unit_board_dispose (GObject *object)
{
  LdUnitBoard *self = LD_UNIT_BOARD (object);

  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_handle_id (&self->timer, g_source_remove);
  g_clear_handle_id (&self->idle, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_UNIT_BOARD);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->region_names, g_hash_table_unref);

  G_OBJECT_CLASS (ld_unit_board_parent_class)->dispose (object);
}

static void
ld_unit_board_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, LD_UNIT_BOARD (object)->engine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_unit_board_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ENGINE:
      ld_unit_board_set_engine (LD_UNIT_BOARD (object), g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_unit_board_class_init (LdUnitBoardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_unit_board_dispose;
  object_class->get_property = ld_unit_board_get_property;
  object_class->set_property = ld_unit_board_set_property;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, LD_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[DISPATCH_REQUESTED] =
    g_signal_new ("dispatch-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRV, G_TYPE_STRV);

  g_type_ensure (LD_TYPE_READ_FAILURE);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-unit-board.ui");
  gtk_widget_class_bind_template_child (widget_class, LdUnitBoard, search);
  gtk_widget_class_bind_template_child (widget_class, LdUnitBoard, list);
  gtk_widget_class_bind_template_child (widget_class, LdUnitBoard, failure);
  gtk_widget_class_bind_template_child (widget_class, LdUnitBoard, roll_call_bar);
  gtk_widget_class_bind_template_child (widget_class, LdUnitBoard, roll_call_label);
  gtk_widget_class_bind_template_child (widget_class, LdUnitBoard, roll_call_button);
  gtk_widget_class_bind_template_child (widget_class, LdUnitBoard, dispatch_hint);
  gtk_widget_class_bind_template_callback (widget_class, on_roll_call);
  gtk_widget_class_bind_template_callback (widget_class, ld_unit_board_refresh);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ld_unit_board_init (LdUnitBoard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->region_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_list_box_set_header_func (self->list, update_header, NULL, NULL);
  gtk_list_box_set_filter_func (self->list, filter_row, self, NULL);
}
