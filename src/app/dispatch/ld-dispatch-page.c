/* ld-dispatch-page.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include <adwaita.h>

#include "ld-board-rows.h"
#include "ld-dispatch-marks.h"
#include "ld-dispatch-names.h"
#include "ld-dispatch-page.h"
#include "ld-drop-dispatcher.h"
#include "ld-incident-item.h"
#include "ld-incident-pane.h"
#include "ld-incident-table.h"
#include "ld-intake-window.h"
#include "ld-late-panel.h"
#include "ld-return-queue.h"
#include "ld-map-view.h"
#include "ld-mark-popover.h"
#include "ld-read-failure.h"
#include "ld-situation-board.h"
#include "ld-unit-board.h"
#include "ld-window.h"

struct _LdDispatchPage
{
  GtkWidget           parent_instance;

  GtkStack           *mode;
  GtkLabel           *summary_label;
  GtkSearchEntry     *search;
  GtkDropDown        *state_filter;
  GtkDropDown        *region_filter;
  LdReadFailure      *failure;
  LdMapView          *map;
  LdIncidentTable    *table;
  LdIncidentPane     *pane;
  AdwViewStack       *side;
  AdwViewStackPage   *late_page;
  LdUnitBoard        *units;
  LdLatePanel        *late;
  AdwViewStackPage   *returns_page;
  LdReturnQueue      *returns;
  LdSituationBoard   *situation;
  LdMarkPopover      *popover;

  LdSyncEngine       *engine;
  LdStore            *store;     /* the engine's replica's */
  GTimeZone          *time_zone;
  LdDispatchNames    *names;
  LdBoardRows        *rows;
  LdDispatchMarks    *marks;
  LdDropDispatcher   *dispatcher;
  char               *failed;    /* what the failure bar says could not be read */
  guint               points_source;
  guint               tick_source;
  gboolean            alert_sound;
  ShumateMapSource   *map_source;
  LdDatum             datum;
};

G_DEFINE_FINAL_TYPE (LdDispatchPage, ld_dispatch_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_UNDO_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One bar says what could not be read; a later good read of the same
 * thing takes it away. */
static void
report (LdDispatchPage *self, const char *what, const GError *error)
{
  if (error)
    {
      ld_read_failure_set_error (self->failure, what, error);
      g_free (self->failed);
      self->failed = g_strdup (what);
    }
  else if (g_strcmp0 (self->failed, what) == 0)
    {
      ld_read_failure_set_error (self->failure, NULL, NULL);
      g_clear_pointer (&self->failed, g_free);
    }
}

/* A toast's title is markup: names and messages that quote what someone
 * typed are shown as written. */
static AdwToast *
toast_new (const char *text)
{
  g_autofree char *title = g_markup_escape_text (text, -1);

  return adw_toast_new (title);
}

static void
say (LdDispatchPage *self, AdwToast *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    {
      g_message ("%s", adw_toast_get_title (toast));
      g_object_unref (g_object_ref_sink (toast));
    }
}

static gboolean
has_role (LdDispatchPage *self, const char *const *roles)
{
  const char *role;

  if (self->engine == NULL)
    return FALSE;
  role = ld_account_get_user (ld_sync_engine_get_account (self->engine))->role;
  return role != NULL && g_strv_contains (roles, role);
}

static gboolean
can_dispatch (LdDispatchPage *self)
{
  static const char *const roles[] = { "dispatcher", "admin", NULL };

  return has_role (self, roles);
}

/* As the window shows workspaces by role: a dispatcher has no Drills. */
static gboolean
can_open_drills (LdDispatchPage *self)
{
  static const char *const roles[] = { "inspector", "leader", "admin", NULL };

  return has_role (self, roles);
}

/* ---- Dispatch by dragging ---- */

void
ld_dispatch_page_request_dispatch (LdDispatchPage    *self,
                                   const char *const *incident_ids,
                                   const char *const *unit_codes)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (LD_IS_DISPATCH_PAGE (self));

  if (!can_dispatch (self))
    {
      say (self, toast_new (_("Only dispatchers can dispatch orders.")));
      return;
    }
  ld_drop_dispatcher_request (self->dispatcher, incident_ids, unit_codes, &error);
  report (self, _("The incidents and units to dispatch"), error);
}

gboolean
ld_dispatch_page_undo_dispatch (LdDispatchPage *self)
{
  g_return_val_if_fail (LD_IS_DISPATCH_PAGE (self), FALSE);
  return ld_drop_dispatcher_undo (self->dispatcher);
}

static void
undo_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ld_dispatch_page_undo_dispatch (LD_DISPATCH_PAGE (widget));
}

static void
on_dispatch_requested (GtkWidget *source, GStrv incidents, GStrv units, LdDispatchPage *self)
{
  ld_dispatch_page_request_dispatch (self, (const char *const *) incidents, (const char *const *) units);
}

/* ---- The map's marks ---- */

static void
update_drills (LdDispatchPage *self)
{
  g_autoptr(GError) error = NULL;

  ld_dispatch_marks_show_drills (self->marks, &error);
  report (self, _("The drills on the map"), error);
}

/* The desk's map shows what the board shows; the wall screen shows the
 * whole board, whatever the dispatcher has filtered or searched. */
static gboolean
update_points_idle (gpointer data)
{
  LdDispatchPage *self = data;
  g_autoptr(GError) error = NULL;

  self->points_source = 0;
  if (self->engine == NULL)
    return G_SOURCE_REMOVE;
  ld_dispatch_marks_show_incidents (self->marks,
                                    gtk_single_selection_get_model (ld_board_rows_get_selection (self->rows)),
                                    ld_board_rows_get_model (self->rows));
  ld_dispatch_marks_show_units (self->marks, &error);
  report (self, _("The units on the map"), error);
  return G_SOURCE_REMOVE;
}

static void
queue_points (LdDispatchPage *self)
{
  if (self->points_source == 0)
    self->points_source = g_idle_add (update_points_idle, self);
}

static void
on_drills_changed (LdSyncEngine *engine, GStrv drills, LdDispatchPage *self)
{
  update_drills (self);
}

/* ---- Clicks on the map: a popover with the mark's facts and actions ---- */

static void
select_incident (LdDispatchPage *self, const char *id)
{
  GtkSingleSelection *selection = ld_board_rows_get_selection (self->rows);
  GListModel *model = gtk_single_selection_get_model (selection);
  guint n = g_list_model_get_n_items (model);

  ld_incident_pane_set_incident (self->pane, id);
  ld_point_layer_set_selected (ld_map_view_get_incidents (self->map), id);
  adw_view_stack_set_visible_child_name (self->side, "incident");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LdIncidentItem) item = g_list_model_get_item (model, i);

      if (g_str_equal (ld_incident_item_get_id (item), id))
        {
          gtk_single_selection_set_selected (selection, i);
          /* gtk_column_view_scroll_to arrives in GTK 4.12: the row is
           * chosen, and the pane shows it. */
          return;
        }
    }
}

static void
on_popover_open (LdMarkPopover *popover, const char *id, LdDispatchPage *self)
{
  select_incident (self, id);
}

static void
on_popover_dispatch (LdMarkPopover *popover, const char *unit_code, LdDispatchPage *self)
{
  const char *incident[2] = { ld_incident_pane_get_incident (self->pane), NULL };
  const char *unit[2] = { unit_code, NULL };

  ld_dispatch_page_request_dispatch (self, incident, unit);
}

/* A mark whose record has gone since it was drawn shows nothing. */
static gboolean
read_mark (LdDispatchPage *self, gpointer record, const char *what, GError *error)
{
  if (record == NULL && !g_error_matches (error, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND))
    report (self, what, error);
  else
    report (self, what, NULL);
  return record != NULL;
}

static void
on_incident_activated (LdMapView *map, const char *id, double x, double y, LdDispatchPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdIncident) incident = ld_store_get_incident (self->store, id, &error);

  if (!read_mark (self, incident, _("The incident on the map"), error))
    return;
  ld_point_layer_set_selected (ld_map_view_get_incidents (self->map), id);
  ld_mark_popover_show_incident (self->popover, incident, x, y);
}

static void
on_unit_activated (LdMapView *map, const char *code, double x, double y, LdDispatchPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdUnit) unit = ld_store_get_unit (self->store, code, &error);

  if (!read_mark (self, unit, _("The unit on the map"), error))
    return;
  ld_mark_popover_show_unit (self->popover, unit,
                             ld_incident_pane_get_incident (self->pane) && can_dispatch (self), x, y);
}

static void
on_drill_activated (LdMapView *map, const char *id, double x, double y, LdDispatchPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdDrill) drill = ld_store_get_drill (self->store, id, &error);

  if (!read_mark (self, drill, _("The drill on the map"), error))
    return;
  ld_mark_popover_show_drill (self->popover, drill, can_open_drills (self), x, y);
}

/* ---- Deadlines ---- */

static void
on_late_incident (LdLatePanel *late, const char *id, LdDispatchPage *self)
{
  select_incident (self, id);
}

/* Returns waiting for a ruling: the tab says how many, and a row opens
 * its incident, where the ruling is made. */
static void
on_n_returns (LdReturnQueue *returns, GParamSpec *pspec, LdDispatchPage *self)
{
  guint n = ld_return_queue_get_n_returns (returns);

  adw_view_stack_page_set_badge_number (self->returns_page, n);
  adw_view_stack_page_set_needs_attention (self->returns_page, n > 0);
}

static void
on_return_incident (LdReturnQueue *returns, const char *id, LdDispatchPage *self)
{
  select_incident (self, id);
}

static void
show_late (LdDispatchPage *self)
{
  adw_view_stack_set_visible_child_name (self->side, "late");
}

static void
show_late_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  show_late (LD_DISPATCH_PAGE (widget));
}

/* A deadline passing is said where the dispatcher looks, and heard when
 * they are looking elsewhere. */
static void
on_late_alert (LdLatePanel *late, const char *message, LdDispatchPage *self)
{
  AdwToast *toast = toast_new (message);

  adw_toast_set_timeout (toast, 15);
  adw_toast_set_button_label (toast, _("_Show"));
  /* The toast lives in the window's overlay, outside the page's actions. */
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (show_late), self, G_CONNECT_SWAPPED);
  say (self, toast);
  if (self->alert_sound)
    gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
on_n_late (LdLatePanel *late, GParamSpec *pspec, LdDispatchPage *self)
{
  guint n = ld_late_panel_get_n_late (late);

  adw_view_stack_page_set_badge_number (self->late_page, n);
  adw_view_stack_page_set_needs_attention (self->late_page, n > 0);
  /* A unit's mark turns red as its order goes late. */
  queue_points (self);
}

void
ld_dispatch_page_set_alert_sound (LdDispatchPage *self, gboolean sound)
{
  g_return_if_fail (LD_IS_DISPATCH_PAGE (self));
  self->alert_sound = sound;
}

/* ---- The board ---- */

static void
on_summary (LdBoardRows *rows, GParamSpec *pspec, LdDispatchPage *self)
{
  gtk_label_set_label (self->summary_label, ld_board_rows_get_summary (rows));
  ld_incident_table_set_view (self->table, ld_board_rows_get_view (rows));
}

static void
on_search_error (LdBoardRows *rows, GParamSpec *pspec, LdDispatchPage *self)
{
  report (self, _("The matching incidents"), ld_board_rows_get_search_error (rows));
}

/* The board is newest first: the new row is at the top, where the eye
 * goes next. */
static void
on_recorded (LdIntakeWindow *intake, const char *id, LdDispatchPage *self)
{
  /* Recorded, it is dispatched next: the pane shows it ready. */
  ld_incident_pane_set_incident (self->pane, id);
  ld_point_layer_set_selected (ld_map_view_get_incidents (self->map), id);
  adw_view_stack_set_visible_child_name (self->side, "incident");
  ld_incident_table_scroll_to_top (self->table);
}

static void
record_incident_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  LdDispatchPage *self = LD_DISPATCH_PAGE (widget);
  LdIntakeWindow *intake;

  if (self->engine == NULL)
    return;
  intake = ld_intake_window_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->engine,
                                 self->map_source, self->datum);
  g_signal_connect_object (intake, "recorded", G_CALLBACK (on_recorded), self, 0);
  ld_window_mark_training (GTK_WINDOW (gtk_widget_get_root (widget)), ADW_WINDOW (intake));
  gtk_window_present (GTK_WINDOW (intake));
}

/* The pane follows the incident, not the row: a row that moves or goes
 * keeps the pane on what the dispatcher chose. */
static void
on_selected (GtkSingleSelection *selection, GParamSpec *pspec, LdDispatchPage *self)
{
  LdIncidentItem *item = gtk_single_selection_get_selected_item (selection);

  if (item)
    {
      ld_incident_pane_set_incident (self->pane, ld_incident_item_get_id (item));
      ld_point_layer_set_selected (ld_map_view_get_incidents (self->map), ld_incident_item_get_id (item));
      adw_view_stack_set_visible_child_name (self->side, "incident");
    }
}

/* The countdowns move with the clock. */
static gboolean
on_tick (gpointer data)
{
  LdDispatchPage *self = data;

  ld_board_rows_tick (self->rows);
  if (self->engine)
    update_drills (self);
  return G_SOURCE_CONTINUE;
}

static void
on_filter_changed (LdDispatchPage *self)
{
  guint region = gtk_drop_down_get_selected (self->region_filter);

  ld_board_rows_set_show (self->rows, gtk_drop_down_get_selected (self->state_filter));
  /* The menu's first entry is every region. */
  ld_board_rows_set_region (self->rows, region > 0 && region != GTK_INVALID_LIST_POSITION
                                        ? ld_dispatch_names_region_code (self->names, region - 1) : NULL);
}

static void
on_search_changed (GtkSearchEntry *entry, LdDispatchPage *self)
{
  ld_board_rows_search (self->rows, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
on_search_stopped (GtkSearchEntry *entry, LdDispatchPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

/* The region menu is made again with the names: every region first. */
static void
load_names (LdDispatchPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringList) regions = gtk_string_list_new (NULL);

  ld_dispatch_names_load (self->names, self->store, &error);
  report (self, _("The names of regions, categories and units"), error);
  gtk_string_list_append (regions, _("All regions"));
  for (guint i = 0; i < ld_dispatch_names_get_n_regions (self->names); i++)
    gtk_string_list_append (regions, ld_dispatch_names_region (self->names,
                                                               ld_dispatch_names_region_code (self->names, i)));
  gtk_drop_down_set_model (self->region_filter, G_LIST_MODEL (regions));
}

/* Read Again: what the failure bar spoke of, and all the page reads. */
static void
on_retry (LdDispatchPage *self)
{
  if (self->engine == NULL)
    return;
  load_names (self);
  ld_board_rows_search (self->rows, gtk_editable_get_text (GTK_EDITABLE (self->search)));
  update_drills (self);
  g_clear_handle_id (&self->points_source, g_source_remove);
  update_points_idle (self);
}

void
ld_dispatch_page_set_engine (LdDispatchPage *self, LdSyncEngine *engine, GTimeZone *time_zone)
{
  gboolean changed;

  g_return_if_fail (LD_IS_DISPATCH_PAGE (self));
  g_return_if_fail (engine == NULL || LD_IS_SYNC_ENGINE (engine));
  g_return_if_fail (time_zone != NULL);

  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  /* A drop still in its undo time goes through the engine it was made with. */
  ld_drop_dispatcher_set_engine (self->dispatcher, engine);
  changed = g_set_object (&self->engine, engine);
  g_clear_object (&self->store);
  g_time_zone_ref (time_zone);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  self->time_zone = time_zone;
  if (engine == NULL)
    {
      ld_board_rows_set_engine (self->rows, NULL);
      ld_dispatch_marks_set_store (self->marks, NULL);
      if (changed)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
      return;
    }
  self->store = g_object_ref (ld_sync_engine_get_store (engine));
  ld_dispatch_marks_set_store (self->marks, self->store);
  ld_incident_table_set_names (self->table, self->names, self->time_zone);
  ld_mark_popover_set_names (self->popover, self->names, self->time_zone);
  /* The cells show names from their first row. */
  load_names (self);
  ld_board_rows_set_engine (self->rows, engine);
  /* The server takes new incidents from dispatchers only. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dispatch.record-incident", can_dispatch (self));
  ld_incident_pane_set_engine (self->pane, engine, self->time_zone);
  ld_unit_board_set_engine (self->units, engine);
  ld_late_panel_set_engine (self->late, engine, self->time_zone);
  ld_return_queue_set_engine (self->returns, engine);
  ld_situation_board_set_engine (self->situation, engine, ld_board_rows_get_model (self->rows), self->time_zone);
  g_signal_connect_object (engine, "drills-changed", G_CALLBACK (on_drills_changed), self, 0);
  update_drills (self);
  /* The city fills the maps when the desk opens. */
  ld_map_view_show_regions (self->map, self->store);
  ld_map_view_show_regions (ld_situation_board_get_map (self->situation), self->store);
  /* Drawn now; an idle the filters queued on the way is not needed. */
  g_clear_handle_id (&self->points_source, g_source_remove);
  update_points_idle (self);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

void
ld_dispatch_page_select (LdDispatchPage *self, const char *incident_id)
{
  g_return_if_fail (LD_IS_DISPATCH_PAGE (self));
  select_incident (self, incident_id);
}

GListModel *
ld_dispatch_page_get_model (LdDispatchPage *self)
{
  return ld_board_rows_get_model (self->rows);
}

LdMapView *
ld_dispatch_page_get_map (LdDispatchPage *self)
{
  g_return_val_if_fail (LD_IS_DISPATCH_PAGE (self), NULL);
  return self->map;
}

void
ld_dispatch_page_set_map_source (LdDispatchPage *self, ShumateMapSource *source, LdDatum datum)
{
  g_return_if_fail (LD_IS_DISPATCH_PAGE (self));

  g_set_object (&self->map_source, source);
  self->datum = datum;
  ld_map_view_set_map_source (self->map, source, datum);
  ld_map_view_set_map_source (ld_situation_board_get_map (self->situation), source, datum);
}

void
ld_dispatch_page_set_wall_screen (LdDispatchPage *self, gboolean wall)
{
  g_return_if_fail (LD_IS_DISPATCH_PAGE (self));

  gtk_stack_set_visible_child_name (self->mode, wall ? "wall" : "work");
  if (wall)
    ld_situation_board_refresh (self->situation);
}

static void
ld_dispatch_page_dispose (GObject *object)
{
  LdDispatchPage *self = LD_DISPATCH_PAGE (object);

  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  if (self->rows)
    {
      g_signal_handlers_disconnect_by_data (ld_board_rows_get_selection (self->rows), self);
      g_signal_handlers_disconnect_by_data (self->rows, self);
    }
  /* A drop still in its undo time is sent, not lost with the desk. */
  g_clear_object (&self->dispatcher);
  g_clear_handle_id (&self->points_source, g_source_remove);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  if (self->popover)
    {
      gtk_widget_unparent (GTK_WIDGET (self->popover));
      self->popover = NULL;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_DISPATCH_PAGE);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->rows);
  g_clear_object (&self->marks);
  g_clear_object (&self->names);
  g_clear_object (&self->map_source);
  g_clear_object (&self->store);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  g_clear_pointer (&self->failed, g_free);

  G_OBJECT_CLASS (ld_dispatch_page_parent_class)->dispose (object);
}

static void
ld_dispatch_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LdDispatchPage *self = LD_DISPATCH_PAGE (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_UNDO_TIMEOUT:
      g_object_get_property (G_OBJECT (self->dispatcher), "undo-timeout", value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_dispatch_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LdDispatchPage *self = LD_DISPATCH_PAGE (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      ld_dispatch_page_set_engine (self, g_value_get_object (value), self->time_zone);
      break;
    case PROP_UNDO_TIMEOUT:
      g_object_set_property (G_OBJECT (self->dispatcher), "undo-timeout", value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_dispatch_page_class_init (LdDispatchPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (LD_TYPE_INCIDENT_PANE);
  g_type_ensure (LD_TYPE_INCIDENT_TABLE);
  g_type_ensure (LD_TYPE_MAP_VIEW);
  g_type_ensure (LD_TYPE_READ_FAILURE);
  g_type_ensure (LD_TYPE_UNIT_BOARD);
  g_type_ensure (LD_TYPE_LATE_PANEL);
  g_type_ensure (LD_TYPE_RETURN_QUEUE);
  g_type_ensure (LD_TYPE_SITUATION_BOARD);
  object_class->dispose = ld_dispatch_page_dispose;
  object_class->get_property = ld_dispatch_page_get_property;
  object_class->set_property = ld_dispatch_page_set_property;

  /* The sync engine whose replica the desk shows; set alone, the times
   * stay in the zone they were shown in. */
  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, LD_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The seconds a drop waits for Undo before it is sent; with 0 it waits
   * until its toast is closed. */
  properties[PROP_UNDO_TIMEOUT] =
    g_param_spec_uint ("undo-timeout", NULL, NULL, 0, G_MAXUINT, LD_DROP_DISPATCHER_UNDO_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-dispatch-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, mode);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, search);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, state_filter);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, region_filter);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, failure);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, map);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, table);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, pane);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, side);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, late_page);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, units);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, late);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, returns_page);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, returns);
  gtk_widget_class_bind_template_callback (widget_class, on_n_returns);
  gtk_widget_class_bind_template_callback (widget_class, on_return_incident);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, situation);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_stopped);
  gtk_widget_class_bind_template_callback (widget_class, on_retry);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "dispatch.record-incident", NULL, record_incident_activated);
  gtk_widget_class_install_action (widget_class, "dispatch.show-late", NULL, show_late_activated);
  gtk_widget_class_install_action (widget_class, "dispatch.undo", NULL, undo_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "dispatch.undo", NULL);
}

static void
ld_dispatch_page_init (LdDispatchPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dispatch.record-incident", FALSE);

  self->time_zone = g_time_zone_new_utc ();
  self->names = ld_dispatch_names_new ();
  self->rows = ld_board_rows_new ();
  self->marks = ld_dispatch_marks_new (self->map, ld_situation_board_get_map (self->situation));
  self->dispatcher = ld_drop_dispatcher_new (GTK_WIDGET (self));
  ld_drop_dispatcher_set_names (self->dispatcher, self->names);
  g_signal_connect_swapped (self->state_filter, "notify::selected", G_CALLBACK (on_filter_changed), self);
  g_signal_connect_swapped (self->region_filter, "notify::selected", G_CALLBACK (on_filter_changed), self);
  g_signal_connect (ld_board_rows_get_selection (self->rows), "notify::selected-item", G_CALLBACK (on_selected), self);
  g_signal_connect (self->rows, "notify::summary", G_CALLBACK (on_summary), self);
  g_signal_connect (self->rows, "notify::search-error", G_CALLBACK (on_search_error), self);
  g_signal_connect_swapped (self->rows, "changed", G_CALLBACK (queue_points), self);
  ld_incident_table_set_model (self->table, GTK_SELECTION_MODEL (ld_board_rows_get_selection (self->rows)));

  self->tick_source = g_timeout_add_seconds (30, on_tick, self);
  self->popover = LD_MARK_POPOVER (ld_mark_popover_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->popover), GTK_WIDGET (self->map));
  g_signal_connect (self->popover, "open-incident", G_CALLBACK (on_popover_open), self);
  g_signal_connect (self->popover, "dispatch-here", G_CALLBACK (on_popover_dispatch), self);
  g_signal_connect (self->map, "incident-activated", G_CALLBACK (on_incident_activated), self);
  g_signal_connect (self->map, "unit-activated", G_CALLBACK (on_unit_activated), self);
  g_signal_connect (self->map, "drill-activated", G_CALLBACK (on_drill_activated), self);
  g_signal_connect (self->map, "dispatch-requested", G_CALLBACK (on_dispatch_requested), self);
  g_signal_connect (self->units, "dispatch-requested", G_CALLBACK (on_dispatch_requested), self);
  g_signal_connect (self->table, "dispatch-requested", G_CALLBACK (on_dispatch_requested), self);
  g_signal_connect (self->late, "incident-activated", G_CALLBACK (on_late_incident), self);
  g_signal_connect (self->late, "alert", G_CALLBACK (on_late_alert), self);
  g_signal_connect (self->late, "notify::n-late", G_CALLBACK (on_n_late), self);
  on_summary (self->rows, NULL, self);
}
