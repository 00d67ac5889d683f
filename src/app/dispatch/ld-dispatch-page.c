/* ld-dispatch-page.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>

#include <adwaita.h>

#include "ld-dispatch-page.h"
#include "ld-window.h"
#include "ld-drill-report.h"
#include "ld-incident-model.h"
#include "ld-incident-pane.h"
#include "ld-intake-window.h"
#include "ld-late-panel.h"
#include "ld-map-view.h"
#include "ld-situation-board.h"
#include "ld-unit-board.h"

/* The board keeps what is still open and what came in during the last day. */
#define BOARD_WINDOW_US (G_GINT64_CONSTANT (24) * 3600 * 1000000)
/* Long enough to see a wrong drop and take it back, short enough that the
 * unit is not kept waiting. */
#define UNDO_TIMEOUT 5
#define SEARCH_LIMIT 500

/* A drop waiting out its undo: sent when its toast goes, unless undone. */
typedef struct {
  LdDispatchPage *page;
  GStrv           incidents;
  GStrv           units;
  AdwToast       *toast;
  gboolean        undone;
} PendingDispatch;

struct _LdDispatchPage
{
  GtkWidget        parent_instance;

  GtkStack        *stack;
  GtkLabel        *summary_label;
  GtkSearchEntry  *search;
  GtkDropDown     *state_filter;
  GtkDropDown     *region_filter;
  GtkColumnView   *board;
  LdIncidentPane  *pane;
  LdMapView       *map;
  AdwViewStack    *side;
  AdwViewStackPage *late_page;
  LdUnitBoard     *units;
  LdLatePanel     *late;
  GtkPaned        *main_paned;
  GtkPaned        *map_paned;
  GtkPopover      *popover;
  GtkStack        *mode;
  LdSituationBoard *situation;

  LdSyncEngine    *engine;
  LdIncidentModel *model;
  GListStore      *results;   /* the board while a search is typed */
  GtkSingleSelection *selection;
  GtkFilterListModel *filtered;  /* the board or the search results, through the filters */
  GtkCustomFilter *filter;
  GPtrArray       *region_filter_codes;
  GTimeZone       *time_zone;
  GHashTable      *region_names;
  GHashTable      *category_names;
  GHashTable      *unit_names;
  guint            summary_source;
  guint            points_source;
  guint            tick_source;
  guint            search_source;
  PendingDispatch *pending;
  guint            undo_timeout;
  gboolean         alert_sound;
  ShumateMapSource *map_source;
  LdDatum          datum;
};

G_DEFINE_FINAL_TYPE (LdDispatchPage, ld_dispatch_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_UNDO_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef char *(*CellText) (LdDispatchPage *self, LdIncidentItem *item);

typedef struct {
  const char *title;
  const char *property;  /* the item property the cell follows */
  CellText    text;
  gboolean    expand;
} Column;

static char *
received_text (LdDispatchPage *self, LdIncidentItem *item)
{
  /* Month, day and minute: the board holds a day, and a night shift spans two. */
  return ld_time_format_short (ld_incident_item_get_received_at (item), self->time_zone);
}

static char *
lookup_name (GHashTable *names, const char *code)
{
  const char *name = code ? g_hash_table_lookup (names, code) : NULL;
  return g_strdup (name ? name : code);
}

static char *
region_text (LdDispatchPage *self, LdIncidentItem *item)
{
  return lookup_name (self->region_names, ld_incident_item_get_incident (item)->region_code);
}

static char *
category_text (LdDispatchPage *self, LdIncidentItem *item)
{
  return lookup_name (self->category_names, ld_incident_item_get_incident (item)->category);
}

static char *
summary_text (LdDispatchPage *self, LdIncidentItem *item)
{
  return g_strdup (ld_incident_item_get_incident (item)->summary);
}

static char *
address_text (LdDispatchPage *self, LdIncidentItem *item)
{
  return g_strdup (ld_incident_item_get_incident (item)->address);
}

static char *
state_text (LdDispatchPage *self, LdIncidentItem *item)
{
  return g_strdup (ld_incident_state_label (ld_incident_item_get_incident (item)->state));
}

static char *
orders_text (LdDispatchPage *self, LdIncidentItem *item)
{
  guint n = ld_incident_item_get_n_orders (item);

  if (n == 0)
    return g_strdup ("—");
  /* Translators: of the incident's orders, how many are still open */
  return g_strdup_printf (_("%u of %u open"), ld_incident_item_get_n_open (item), n);
}

static char *
due_text (LdDispatchPage *self, LdIncidentItem *item)
{
  gint64 due = ld_incident_item_get_next_due (item);

  return due == LD_TIME_NONE ? g_strdup ("—") : ld_time_format_due (due, ld_time_now ());
}

static const Column columns[] = {
  { N_("Received"), "received-at", received_text, FALSE },
  { N_("Region"), "region-code", region_text, FALSE },
  { N_("Category"), "category", category_text, FALSE },
  { N_("Summary"), "summary", summary_text, TRUE },
  { N_("Address"), "address", address_text, TRUE },
  { N_("State"), "state", state_text, FALSE },
  { N_("Orders"), "n-open", orders_text, FALSE },
  { N_("Next Deadline"), "next-due", due_text, FALSE },
};

static void
refresh_cell (LdIncidentItem *item, GParamSpec *pspec, GtkListItem *list_item)
{
  LdDispatchPage *self = g_object_get_data (G_OBJECT (list_item), "ld-page");
  const Column *column = g_object_get_data (G_OBJECT (list_item), "ld-column");
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  g_autofree char *text = column->text (self, item);

  gtk_label_set_label (label, text ? text : "");
  if (column->text == state_text)
    {
      gboolean fresh = g_strcmp0 (ld_incident_item_get_incident (item)->state, "new") == 0;
      if (fresh)
        gtk_widget_add_css_class (GTK_WIDGET (label), "state-new");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (label), "state-new");
    }
  if (column->text == due_text)
    {
      gint64 due = ld_incident_item_get_next_due (item);

      if (due != LD_TIME_NONE && due < ld_time_now ())
        gtk_widget_add_css_class (GTK_WIDGET (label), "overdue");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (label), "overdue");
    }
  if (column->text == orders_text)
    {
      if (ld_incident_item_get_overdue (item))
        gtk_widget_add_css_class (GTK_WIDGET (label), "overdue");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (label), "overdue");
    }
}

static LdStore *
store (LdDispatchPage *self)
{
  return ld_replica_get_store (ld_sync_engine_get_replica (self->engine));
}

/* A toast's title is markup: names and refusals that quote what someone
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
can_dispatch (LdDispatchPage *self)
{
  const char *role;

  if (self->engine == NULL)
    return FALSE;
  role = ld_account_get_user (ld_sync_engine_get_account (self->engine))->role;
  return g_strcmp0 (role, "dispatcher") == 0 || g_strcmp0 (role, "admin") == 0;
}

/* As the window shows workspaces by role: a dispatcher has no Drills. */
static gboolean
can_open_drills (LdDispatchPage *self)
{
  const char *role;

  if (self->engine == NULL)
    return FALSE;
  role = ld_account_get_user (ld_sync_engine_get_account (self->engine))->role;
  return g_strcmp0 (role, "inspector") == 0 || g_strcmp0 (role, "leader") == 0 || g_strcmp0 (role, "admin") == 0;
}

/* ---- Dispatch by dragging ---- */

static void
send_dispatch (LdDispatchPage *self, PendingDispatch *pending)
{
  for (guint i = 0; pending->incidents[i]; i++)
    for (guint j = 0; pending->units[j]; j++)
      {
        g_autoptr(JsonObject) op = json_object_new ();
        JsonObject *fields = json_object_new ();
        g_autofree char *order_id = ld_id_new (ld_time_now ());
        g_autoptr(GError) error = NULL;

        json_object_set_string_member (fields, "incident_id", pending->incidents[i]);
        json_object_set_string_member (fields, "unit_code", pending->units[j]);
        json_object_set_string_member (op, "entity", "order");
        json_object_set_string_member (op, "entity_id", order_id);
        json_object_set_string_member (op, "action", "dispatch");
        json_object_set_object_member (op, "fields", fields);
        if (!ld_sync_engine_submit (self->engine, op, &error))
          say (self, toast_new (error->message));
      }
}

static void
pending_free (PendingDispatch *pending)
{
  g_strfreev (pending->incidents);
  g_strfreev (pending->units);
  g_clear_object (&pending->toast);
  g_free (pending);
}

static void
on_undo (AdwToast *toast, PendingDispatch *pending)
{
  pending->undone = TRUE;
}

/* The toast going is the moment of sending: timed out, replaced by the
 * next drop's, or closed. */
static void
on_toast_dismissed (AdwToast *toast, PendingDispatch *pending)
{
  LdDispatchPage *self = pending->page;

  if (self != NULL)
    {
      if (!pending->undone && self->engine)
        send_dispatch (self, pending);
      if (self->pending == pending)
        self->pending = NULL;
    }
  pending_free (pending);
}

/* What a drop may dispatch: open incidents and active units, without the
 * pairs already holding an open order. Says why when nothing is left. */
static gboolean
prune_dispatch (LdDispatchPage *self, GPtrArray *incidents, GPtrArray *units)
{
  LdStore *st = store (self);
  g_autofree char *reason = NULL;

  for (guint i = 0; i < incidents->len;)
    {
      g_autoptr(LdIncident) incident = ld_store_get_incident (st, g_ptr_array_index (incidents, i), NULL);

      if (incident == NULL || !(g_str_equal (incident->state, "new") || g_str_equal (incident->state, "dispatched")))
        {
          g_free (reason);
          reason = g_strdup (_("Only an open incident can be dispatched."));
          g_ptr_array_remove_index (incidents, i);
        }
      else
        i++;
    }
  for (guint j = 0; j < units->len;)
    {
      g_autoptr(LdUnit) unit = ld_store_get_unit (st, g_ptr_array_index (units, j), NULL);
      gboolean busy = FALSE;

      for (guint i = 0; unit && i < incidents->len; i++)
        {
          g_autoptr(GPtrArray) orders = ld_store_list_orders (st, g_ptr_array_index (incidents, i), NULL);

          for (guint k = 0; orders && k < orders->len; k++)
            {
              LdOrder *o = g_ptr_array_index (orders, k);

              if (g_str_equal (o->unit_code, unit->code) &&
                  !g_str_equal (o->state, "completed") && !g_str_equal (o->state, "returned"))
                busy = TRUE;
            }
        }
      if (unit == NULL || unit->inactive || busy)
        {
          g_free (reason);
          reason = unit && busy ? g_strdup_printf (_("%s already has this incident."), unit->name)
                                : g_strdup (_("That unit is not on duty."));
          g_ptr_array_remove_index (units, j);
        }
      else
        j++;
    }
  if (incidents->len == 0 || units->len == 0)
    {
      say (self, toast_new (reason ? reason : _("Nothing to dispatch.")));
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
strv_to_array (const char *const *strv)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; strv && strv[i]; i++)
    g_ptr_array_add (array, g_strdup (strv[i]));
  return array;
}

static GStrv
array_to_strv (GPtrArray *array)
{
  g_ptr_array_add (array, NULL);
  return (GStrv) g_ptr_array_free (g_ptr_array_ref (array), FALSE);
}

void
ld_dispatch_page_request_dispatch (LdDispatchPage    *self,
                                   const char *const *incident_ids,
                                   const char *const *unit_codes)
{
  g_autoptr(GPtrArray) incidents = NULL;
  g_autoptr(GPtrArray) units = NULL;
  PendingDispatch *pending;
  g_autofree char *title = NULL;
  AdwToast *toast;

  g_return_if_fail (LD_IS_DISPATCH_PAGE (self));

  if (!can_dispatch (self))
    {
      say (self, toast_new (_("Only dispatchers can dispatch orders.")));
      return;
    }
  /* A drop made before the last one's toast went sends the last one now,
   * before this one is checked against the orders it makes. */
  if (self->pending)
    adw_toast_dismiss (self->pending->toast);
  incidents = strv_to_array (incident_ids);
  units = strv_to_array (unit_codes);
  if (!prune_dispatch (self, incidents, units))
    return;

  if (units->len == 1)
    {
      const char *name = g_hash_table_lookup (self->unit_names, g_ptr_array_index (units, 0));
      /* Translators: a toast with Undo, shown for a few seconds after a drop */
      title = g_strdup_printf (_("Dispatching to %s"), name ? name : (char *) g_ptr_array_index (units, 0));
    }
  else
    /* Translators: a toast with Undo after several units were dropped at once (joint handling) */
    title = g_strdup_printf (ngettext ("Dispatching to %u unit", "Dispatching to %u units", units->len), units->len);

  toast = toast_new (title);
  pending = g_new0 (PendingDispatch, 1);
  pending->page = self;
  pending->incidents = array_to_strv (incidents);
  pending->units = array_to_strv (units);
  /* Without a place to offer Undo there is no undo time: sent at once. */
  if (gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY) == NULL)
    {
      send_dispatch (self, pending);
      pending_free (pending);
      g_object_unref (g_object_ref_sink (toast));
      return;
    }
  pending->toast = g_object_ref (toast);
  self->pending = pending;

  adw_toast_set_timeout (toast, self->undo_timeout);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (on_undo), pending);
  g_signal_connect (toast, "dismissed", G_CALLBACK (on_toast_dismissed), pending);
  say (self, toast);
}

gboolean
ld_dispatch_page_undo_dispatch (LdDispatchPage *self)
{
  g_return_val_if_fail (LD_IS_DISPATCH_PAGE (self), FALSE);

  if (self->pending == NULL)
    return FALSE;
  self->pending->undone = TRUE;
  adw_toast_dismiss (self->pending->toast);
  return TRUE;
}

static void
undo_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ld_dispatch_page_undo_dispatch (LD_DISPATCH_PAGE (widget));
}

static void
on_map_dispatch (LdMapView *map, GStrv incidents, GStrv units, LdDispatchPage *self)
{
  ld_dispatch_page_request_dispatch (self, (const char *const *) incidents, (const char *const *) units);
}

/* ---- Board rows: dragged onto units, and units dropped onto them ---- */

static GdkContentProvider *
on_row_drag_prepare (GtkDragSource *source, double x, double y, GtkListItem *list_item)
{
  LdIncidentItem *item = gtk_list_item_get_item (list_item);
  const char *ids[2] = { NULL, NULL };
  g_autofree char *text = NULL;

  if (item == NULL)
    return NULL;
  ids[0] = ld_incident_item_get_id (item);
  text = ld_map_drag_encode (LD_MAP_DRAG_INCIDENT, ids);
  return gdk_content_provider_new_typed (G_TYPE_STRING, text);
}

static gboolean
on_row_drop (GtkDropTarget *target, const GValue *value, double x, double y, GtkListItem *list_item)
{
  LdDispatchPage *self = g_object_get_data (G_OBJECT (list_item), "ld-page");
  LdIncidentItem *item = gtk_list_item_get_item (list_item);
  g_autofree char *kind = NULL;
  g_auto(GStrv) ids = NULL;
  const char *one[2] = { NULL, NULL };

  if (item == NULL || !ld_map_drag_decode (g_value_get_string (value), &kind, &ids) ||
      !g_str_equal (kind, LD_MAP_DRAG_UNITS))
    return FALSE;
  one[0] = ld_incident_item_get_id (item);
  ld_dispatch_page_request_dispatch (self, one, (const char *const *) ids);
  return TRUE;
}

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *list_item, LdDispatchPage *self)
{
  const Column *column = g_object_get_data (G_OBJECT (factory), "ld-column");
  GtkWidget *label = gtk_label_new (NULL);
  GtkDragSource *drag = gtk_drag_source_new ();
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_COPY);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
  g_object_set_data (G_OBJECT (list_item), "ld-page", self);
  g_object_set_data (G_OBJECT (list_item), "ld-column", (gpointer) column);

  gtk_drag_source_set_actions (drag, GDK_ACTION_COPY);
  g_signal_connect (drag, "prepare", G_CALLBACK (on_row_drag_prepare), list_item);
  gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (drop, "drop", G_CALLBACK (on_row_drop), list_item);
  gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (drop));
}

/* A row follows its item in place: the model changes items, not rows. */
static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *list_item, LdDispatchPage *self)
{
  const Column *column = g_object_get_data (G_OBJECT (factory), "ld-column");
  LdIncidentItem *item = gtk_list_item_get_item (list_item);
  g_autofree char *signal = g_strconcat ("notify::", column->property, NULL);

  refresh_cell (item, NULL, list_item);
  g_signal_connect_object (item, signal, G_CALLBACK (refresh_cell), list_item, 0);
  if (column->text == orders_text)
    g_signal_connect_object (item, "notify::overdue", G_CALLBACK (refresh_cell), list_item, 0);
}

static void
unbind_cell (GtkSignalListItemFactory *factory, GtkListItem *list_item, LdDispatchPage *self)
{
  LdIncidentItem *item = gtk_list_item_get_item (list_item);

  if (item)
    g_signal_handlers_disconnect_by_data (item, list_item);
}

/* ---- The map's marks ---- */

static LdMapPointKind
incident_kind (const LdIncident *incident)
{
  if (g_str_equal (incident->state, "new"))
    return LD_MAP_POINT_NEW;
  if (g_str_equal (incident->state, "dispatched"))
    return LD_MAP_POINT_DISPATCHED;
  return LD_MAP_POINT_DONE;
}

static void
set_incident_points (LdPointLayer *layer, GListModel *model)
{
  guint n = model ? g_list_model_get_n_items (model) : 0;
  g_autoptr(GArray) points = g_array_sized_new (FALSE, FALSE, sizeof (LdMapPoint), n);
  g_autoptr(GPtrArray) ids = g_ptr_array_sized_new (n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LdIncidentItem) item = g_list_model_get_item (model, i);
      const LdIncident *incident = ld_incident_item_get_incident (item);
      LdMapPoint point;

      if (isnan (incident->lat) || isnan (incident->lon))
        continue;
      point.lat = incident->lat;
      point.lon = incident->lon;
      point.kind = incident_kind (incident);
      point.flags = ld_incident_item_get_overdue (item) ? LD_MAP_POINT_OVERDUE : 0;
      g_array_append_val (points, point);
      g_ptr_array_add (ids, (gpointer) ld_incident_item_get_id (item));
    }
  ld_point_layer_set_points (layer, (LdMapPoint *) points->data, (const char *const *) ids->pdata, points->len);
}

/* The desk's map shows what the board shows; the wall screen shows the
 * whole board, whatever the dispatcher has filtered or searched. */
static void
update_incident_points (LdDispatchPage *self)
{
  set_incident_points (ld_map_view_get_incidents (self->map), gtk_single_selection_get_model (self->selection));
  set_incident_points (ld_map_view_get_incidents (ld_situation_board_get_map (self->situation)),
                       G_LIST_MODEL (self->model));
}

static void
update_unit_points (LdDispatchPage *self)
{
  g_autoptr(GPtrArray) loads = ld_store_list_unit_loads (store (self), ld_time_now (), NULL);
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (LdMapPoint));
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  LdMapView *maps[] = { self->map, ld_situation_board_get_map (self->situation) };

  for (guint i = 0; loads && i < loads->len; i++)
    {
      LdUnitLoad *load = g_ptr_array_index (loads, i);
      LdMapPoint point;

      if (isnan (load->unit->lat) || isnan (load->unit->lon))
        continue;
      point.lat = load->unit->lat;
      point.lon = load->unit->lon;
      point.kind = load->n_open > 0 ? LD_MAP_POINT_UNIT_BUSY : LD_MAP_POINT_UNIT;
      point.flags = load->n_late > 0 ? LD_MAP_POINT_OVERDUE : 0;
      g_array_append_val (points, point);
      g_ptr_array_add (ids, load->unit->code);
    }
  for (guint m = 0; m < G_N_ELEMENTS (maps); m++)
    ld_point_layer_set_points (ld_map_view_get_units (maps[m]), (LdMapPoint *) points->data,
                               (const char *const *) ids->pdata, points->len);
}

static gboolean
update_points_idle (gpointer data)
{
  LdDispatchPage *self = data;

  self->points_source = 0;
  if (self->engine == NULL)
    return G_SOURCE_REMOVE;
  update_incident_points (self);
  update_unit_points (self);
  return G_SOURCE_REMOVE;
}

static void
queue_points (LdDispatchPage *self)
{
  if (self->points_source == 0)
    self->points_source = g_idle_add (update_points_idle, self);
}

/* ---- Clicks on the map: a popover with the mark's facts and actions ---- */

static void
popover_add_line (GtkBox *box, const char *text, const char *css_class)
{
  GtkWidget *label;

  if (text == NULL || *text == '\0')
    return;
  label = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
  gtk_label_set_selectable (GTK_LABEL (label), css_class && g_str_equal (css_class, "phone"));
  if (css_class)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (box, label);
}

static GtkBox *
open_popover (LdDispatchPage *self, double x, double y)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_popover_set_child (self->popover, box);
  gtk_popover_set_pointing_to (self->popover, &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  return GTK_BOX (box);
}

static void
select_incident (LdDispatchPage *self, const char *id)
{
  GListModel *model = gtk_single_selection_get_model (self->selection);
  guint n = g_list_model_get_n_items (model);

  ld_incident_pane_set_incident (self->pane, id);
  ld_point_layer_set_selected (ld_map_view_get_incidents (self->map), id);
  adw_view_stack_set_visible_child_name (self->side, "incident");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LdIncidentItem) item = g_list_model_get_item (model, i);

      if (g_str_equal (ld_incident_item_get_id (item), id))
        {
          gtk_single_selection_set_selected (self->selection, i);
          /* gtk_column_view_scroll_to arrives in GTK 4.12: the row is
           * chosen, and the pane shows it. */
          return;
        }
    }
}

static void
on_popover_open (GtkButton *button, LdDispatchPage *self)
{
  gtk_popover_popdown (self->popover);
  select_incident (self, g_object_get_data (G_OBJECT (button), "ld-incident"));
}

static void
on_popover_dispatch (GtkButton *button, LdDispatchPage *self)
{
  const char *incident[2] = { ld_incident_pane_get_incident (self->pane), NULL };
  const char *unit[2] = { g_object_get_data (G_OBJECT (button), "ld-unit"), NULL };

  gtk_popover_popdown (self->popover);
  ld_dispatch_page_request_dispatch (self, incident, unit);
}

static void
on_incident_activated (LdMapView *map, const char *id, double x, double y, LdDispatchPage *self)
{
  g_autoptr(LdIncident) incident = ld_store_get_incident (store (self), id, NULL);
  g_autofree char *heading = NULL;
  g_autofree char *when = NULL;
  g_autofree char *category = NULL;
  GtkBox *box;
  GtkWidget *button;

  if (incident == NULL)
    return;
  ld_point_layer_set_selected (ld_map_view_get_incidents (self->map), id);
  box = open_popover (self, x, y);
  when = ld_time_format_short (incident->received_at, self->time_zone);
  category = lookup_name (self->category_names, incident->category);
  /* Translators: the heading of an incident's popover on the map: time · category · state */
  heading = g_strdup_printf (_("%s · %s · %s"), when, category ? category : "—",
                             ld_incident_state_label (incident->state));
  popover_add_line (box, heading, "heading");
  popover_add_line (box, incident->summary, NULL);
  popover_add_line (box, incident->address, "dim-label");
  button = gtk_button_new_with_mnemonic (_("_Open"));
  gtk_widget_add_css_class (button, "suggested-action");
  g_object_set_data_full (G_OBJECT (button), "ld-incident", g_strdup (id), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_popover_open), self);
  gtk_box_append (box, button);
  gtk_popover_popup (self->popover);
}

static void
on_unit_activated (LdMapView *map, const char *code, double x, double y, LdDispatchPage *self)
{
  g_autoptr(LdUnit) unit = ld_store_get_unit (store (self), code, NULL);
  const char *incident_id = ld_incident_pane_get_incident (self->pane);
  g_autofree char *tier = NULL;
  g_autofree char *region = NULL;
  g_autofree char *phone = NULL;
  GtkBox *box;

  if (unit == NULL)
    return;
  box = open_popover (self, x, y);
  popover_add_line (box, unit->name, "heading");
  region = lookup_name (self->region_names, unit->region_code);
  /* Translators: a unit's tier and region in its map popover */
  tier = g_strdup_printf (_("Tier %d · %s"), unit->tier, region ? region : "—");
  popover_add_line (box, tier, "dim-label");
  if (unit->phone)
    {
      /* Translators: the unit's duty phone, to call it up */
      phone = g_strdup_printf (_("Duty phone: %s"), unit->phone);
      popover_add_line (box, phone, "phone");
    }
  if (incident_id && can_dispatch (self))
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Dispatch the Chosen Incident Here"));

      gtk_widget_add_css_class (button, "suggested-action");
      g_object_set_data_full (G_OBJECT (button), "ld-unit", g_strdup (code), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (on_popover_dispatch), self);
      gtk_box_append (box, button);
    }
  gtk_popover_popup (self->popover);
}

/* ---- Drills: a simulated alarm must not be taken for a real one ---- */

/* A drill shows from half a day before it is held until it is over. */
#define DRILL_WINDOW_US LD_DRILL_OVER_US

static void
update_drills (LdDispatchPage *self)
{
  gint64 now = ld_time_now ();
  LdPeriod around = { now - DRILL_WINDOW_US, now + DRILL_WINDOW_US };
  g_autoptr(GPtrArray) drills = ld_store_list_drills (store (self), &around, NULL);
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (LdMapPoint));
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  for (guint i = 0; drills && i < drills->len; i++)
    {
      LdDrill *drill = g_ptr_array_index (drills, i);
      LdMapPoint point = { drill->lat, drill->lon, LD_MAP_POINT_DRILL, 0 };

      if (isnan (drill->lat) || isnan (drill->lon))
        continue;
      g_array_append_val (points, point);
      g_ptr_array_add (ids, drill->id);
    }
  ld_point_layer_set_points (ld_map_view_get_drills (self->map), (LdMapPoint *) points->data,
                             (const char * const *) ids->pdata, points->len);
}

static void
on_drills_changed (LdSyncEngine *engine, GStrv drills, LdDispatchPage *self)
{
  update_drills (self);
}

static void
on_popover_drill (GtkButton *button, LdDispatchPage *self)
{
  gtk_popover_popdown (self->popover);
  gtk_widget_activate_action (GTK_WIDGET (self), "workspace.show-drill", "s",
                              g_object_get_data (G_OBJECT (button), "ld-drill"));
}

static void
on_drill_activated (LdMapView *map, const char *id, double x, double y, LdDispatchPage *self)
{
  g_autoptr(LdDrill) drill = ld_store_get_drill (store (self), id, NULL);
  g_autofree char *when = NULL;
  g_autofree char *heading = NULL;
  GtkBox *box;

  if (drill == NULL)
    return;
  box = open_popover (self, x, y);
  when = ld_time_format_short (drill->held_at, self->time_zone);
  /* Translators: the heading of a drill's popover on the dispatch map, with its planned time */
  heading = g_strdup_printf (_("Drill · %s"), when);
  popover_add_line (box, heading, "heading");
  popover_add_line (box, drill->scenario, NULL);
  popover_add_line (box, drill->location, "dim-label");
  popover_add_line (box, _("Calls from here may be the drill's simulated alarm: check with the inspection team."),
                    "dim-label");
  if (can_open_drills (self))
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Open in Drills"));

      g_object_set_data_full (G_OBJECT (button), "ld-drill", g_strdup (id), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (on_popover_drill), self);
      gtk_box_append (box, button);
    }
  gtk_popover_popup (self->popover);
}

/* ---- Deadlines ---- */

static void
on_late_incident (LdLatePanel *late, const char *id, LdDispatchPage *self)
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
update_summary (LdDispatchPage *self)
{
  guint n = self->model ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  guint open = 0;
  g_autofree char *text = NULL;
  gboolean searching = gtk_filter_list_model_get_model (self->filtered) == G_LIST_MODEL (self->results);
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  gboolean filtering = gtk_drop_down_get_selected (self->state_filter) > 0 ||
                       gtk_drop_down_get_selected (self->region_filter) > 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LdIncidentItem) item = g_list_model_get_item (G_LIST_MODEL (self->model), i);
      const char *state = ld_incident_item_get_incident (item)->state;

      if (g_str_equal (state, "new") || g_str_equal (state, "dispatched"))
        open++;
    }
  if (searching)
    {
      guint found = g_list_model_get_n_items (G_LIST_MODEL (self->results));

      text = found >= SEARCH_LIMIT
        ? g_strdup_printf (_("The newest %u matching incidents"), found)
        : g_strdup_printf (ngettext ("%u matching incident", "%u matching incidents", found), found);
      gtk_stack_set_visible_child_name (self->stack, found > 0 ? "board" : "no-match");
    }
  else
    {
      text = g_strdup_printf (ngettext ("%u incident on the board, %u open", "%u incidents on the board, %u open", n),
                              n, open);
      gtk_stack_set_visible_child_name (self->stack, n > 0 ? (shown > 0 ? "board" : "no-match") : "empty");
    }
  if (filtering)
    {
      /* Translators: after the board's counts, when a filter hides some rows */
      g_autofree char *with_shown = g_strdup_printf (_("%s · %u shown"), text, shown);

      g_free (text);
      text = g_steal_pointer (&with_shown);
    }
  gtk_label_set_label (self->summary_label, text);
}

static gboolean
update_summary_idle (gpointer data)
{
  LdDispatchPage *self = data;

  self->summary_source = 0;
  update_summary (self);
  return G_SOURCE_REMOVE;
}

/* A catch-up changes thousands of rows: the count is taken once after. */
static void
queue_summary (LdDispatchPage *self)
{
  if (self->summary_source == 0)
    self->summary_source = g_idle_add (update_summary_idle, self);
}

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, LdDispatchPage *self)
{
  queue_summary (self);
  queue_points (self);
}

/* Rows change in place: a filter on their state is run again. */
static void
refilter (LdDispatchPage *self)
{
  if (gtk_drop_down_get_selected (self->state_filter) > 0)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void run_search (LdDispatchPage *self);

static gboolean
search_again (gpointer data)
{
  LdDispatchPage *self = data;

  self->search_source = 0;
  run_search (self);
  return G_SOURCE_REMOVE;
}

static void
on_incident_state (LdSyncEngine *engine, GStrv incidents, GStrv orders, LdDispatchPage *self)
{
  /* Found rows are a copy: a change is searched again, once per burst. */
  if (gtk_filter_list_model_get_model (self->filtered) == G_LIST_MODEL (self->results) && self->search_source == 0)
    self->search_source = g_idle_add (search_again, self);
  refilter (self);
  queue_summary (self);
  queue_points (self);
}

static gboolean
scroll_to_top (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (widget));

  if (vadjustment)
    gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_lower (vadjustment));
  return G_SOURCE_REMOVE;
}

/* The board is newest first: the new row is at the top, where the eye
 * goes next. The list keeps its top row in place when rows arrive above
 * it, so the scroll waits for the next frame's layout. */
static void
on_recorded (LdIntakeWindow *intake, const char *id, LdDispatchPage *self)
{
  /* Recorded, it is dispatched next: the pane shows it ready. */
  ld_incident_pane_set_incident (self->pane, id);
  ld_point_layer_set_selected (ld_map_view_get_incidents (self->map), id);
  adw_view_stack_set_visible_child_name (self->side, "incident");
  gtk_widget_add_tick_callback (GTK_WIDGET (self->board), scroll_to_top, NULL, NULL);
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
  GListModel *model = gtk_single_selection_get_model (self->selection);

  for (guint i = 0; model && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LdIncidentItem) item = g_list_model_get_item (model, i);

      ld_incident_item_tick (item);
    }
  refilter (self);
  if (self->engine)
    update_drills (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
board_filter (gpointer object, gpointer data)
{
  LdDispatchPage *self = data;
  LdIncidentItem *item = object;
  const LdIncident *incident = ld_incident_item_get_incident (item);
  guint region = gtk_drop_down_get_selected (self->region_filter);
  gint64 due = ld_incident_item_get_next_due (item);

  switch (gtk_drop_down_get_selected (self->state_filter))
    {
    case 1:
      if (!g_str_equal (incident->state, "new") && !g_str_equal (incident->state, "dispatched"))
        return FALSE;
      break;
    case 2:
      if (!g_str_equal (incident->state, "new"))
        return FALSE;
      break;
    case 3:
      if (!(due != LD_TIME_NONE && due < ld_time_now ()))
        return FALSE;
      break;
    default:
      break;
    }
  if (region > 0 && self->engine && region < self->region_filter_codes->len)
    return incident->region_code &&
           ld_store_region_is_within (store (self), incident->region_code,
                                      g_ptr_array_index (self->region_filter_codes, region));
  return TRUE;
}

static void
on_filter_changed (LdDispatchPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  queue_summary (self);
  queue_points (self);
}

static void
use_board_model (LdDispatchPage *self, GListModel *model)
{
  if (gtk_filter_list_model_get_model (self->filtered) == model)
    return;
  gtk_filter_list_model_set_model (self->filtered, model);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  queue_summary (self);
  queue_points (self);
}

static void
run_search (LdDispatchPage *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search));
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  if (self->engine == NULL)
    return;
  if (*query == '\0')
    {
      use_board_model (self, G_LIST_MODEL (self->model));
      return;
    }
  found = ld_store_search_incidents (store (self), query, NULL, SEARCH_LIMIT, &error);
  if (found == NULL)
    {
      say (self, toast_new (error->message));
      return;
    }
  g_list_store_remove_all (self->results);
  for (guint i = 0; i < found->len; i++)
    {
      const LdIncident *incident = g_ptr_array_index (found, i);
      g_autoptr(LdIncidentItem) item = ld_incident_item_new (incident);
      g_autoptr(GPtrArray) orders = ld_store_list_orders (store (self), incident->id, NULL);

      /* A found row reads like a board row: its orders, late or not. */
      if (orders)
        ld_incident_item_update (item, NULL, orders);
      g_list_store_append (self->results, item);
    }
  use_board_model (self, G_LIST_MODEL (self->results));
  queue_summary (self);
  queue_points (self);
}

static void
on_search_changed (GtkSearchEntry *entry, LdDispatchPage *self)
{
  run_search (self);
}

static void
on_search_stopped (GtkSearchEntry *entry, LdDispatchPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
load_names (LdDispatchPage *self)
{
  LdStore *st = store (self);
  g_autoptr(GPtrArray) regions = ld_store_list_regions (st, NULL);
  g_autoptr(GPtrArray) categories = ld_store_list_categories (st, NULL);
  g_autoptr(GPtrArray) units = ld_store_list_units (st, NULL);

  g_hash_table_remove_all (self->region_names);
  g_hash_table_remove_all (self->category_names);
  g_hash_table_remove_all (self->unit_names);
  {
    g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

    g_ptr_array_set_size (self->region_filter_codes, 0);
    g_ptr_array_add (self->region_filter_codes, NULL);
    gtk_string_list_append (names, _("All regions"));
    for (guint i = 0; regions && i < regions->len; i++)
      {
        LdRegion *r = g_ptr_array_index (regions, i);
        g_hash_table_insert (self->region_names, g_strdup (r->code), g_strdup (r->name));
        g_ptr_array_add (self->region_filter_codes, g_strdup (r->code));
        gtk_string_list_append (names, r->name);
      }
    gtk_drop_down_set_model (self->region_filter, G_LIST_MODEL (names));
  }
  for (guint i = 0; categories && i < categories->len; i++)
    {
      LdCategory *c = g_ptr_array_index (categories, i);
      g_hash_table_insert (self->category_names, g_strdup (c->code), g_strdup (c->name));
    }
  for (guint i = 0; units && i < units->len; i++)
    {
      LdUnit *u = g_ptr_array_index (units, i);
      g_hash_table_insert (self->unit_names, g_strdup (u->code), g_strdup (u->name));
    }
}

static void
disconnect_engine (LdDispatchPage *self)
{
  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  if (self->model)
    g_signal_handlers_disconnect_by_data (self->model, self);
  /* A drop still in its undo time is sent, not lost with the desk. */
  if (self->pending)
    {
      PendingDispatch *pending = self->pending;

      self->pending = NULL;
      if (!pending->undone && self->engine)
        send_dispatch (self, pending);
      pending->page = NULL;
    }
}

void
ld_dispatch_page_set_engine (LdDispatchPage *self, LdSyncEngine *engine, GTimeZone *time_zone)
{
  g_return_if_fail (LD_IS_DISPATCH_PAGE (self));

  disconnect_engine (self);
  gtk_filter_list_model_set_model (self->filtered, NULL);
  g_clear_object (&self->model);
  g_set_object (&self->engine, engine);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  self->time_zone = g_time_zone_ref (time_zone);
  if (engine == NULL)
    {
      update_summary (self);
      return;
    }
  load_names (self);
  /* The server takes new incidents from dispatchers only. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dispatch.record-incident", can_dispatch (self));
  self->model = ld_incident_model_new (engine, BOARD_WINDOW_US);
  g_signal_connect (self->model, "items-changed", G_CALLBACK (on_items_changed), self);
  g_signal_connect_object (engine, "changed", G_CALLBACK (on_incident_state), self, G_CONNECT_AFTER);
  gtk_filter_list_model_set_model (self->filtered, G_LIST_MODEL (self->model));
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  ld_incident_pane_set_engine (self->pane, engine, self->time_zone);
  ld_unit_board_set_engine (self->units, engine);
  ld_late_panel_set_engine (self->late, engine, self->time_zone);
  ld_situation_board_set_engine (self->situation, engine, G_LIST_MODEL (self->model), self->time_zone);
  g_signal_connect_object (engine, "drills-changed", G_CALLBACK (on_drills_changed), self, 0);
  update_drills (self);
  /* The city fills the maps when the desk opens. */
  ld_map_view_show_regions (self->map, store (self));
  ld_map_view_show_regions (ld_situation_board_get_map (self->situation), store (self));
  update_summary (self);
  /* Drawn now; an idle the filters queued on the way is not needed. */
  g_clear_handle_id (&self->points_source, g_source_remove);
  update_points_idle (self);
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
  return self->model ? G_LIST_MODEL (self->model) : NULL;
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

  disconnect_engine (self);
  g_clear_handle_id (&self->summary_source, g_source_remove);
  g_clear_handle_id (&self->points_source, g_source_remove);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_handle_id (&self->search_source, g_source_remove);
  if (self->popover)
    {
      gtk_widget_unparent (GTK_WIDGET (self->popover));
      self->popover = NULL;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_DISPATCH_PAGE);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->region_filter_codes, g_ptr_array_unref);
  g_clear_object (&self->results);
  g_clear_object (&self->map_source);
  g_clear_object (&self->model);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  g_clear_pointer (&self->region_names, g_hash_table_unref);
  g_clear_pointer (&self->category_names, g_hash_table_unref);
  g_clear_pointer (&self->unit_names, g_hash_table_unref);

  G_OBJECT_CLASS (ld_dispatch_page_parent_class)->dispose (object);
}

static void
ld_dispatch_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LdDispatchPage *self = LD_DISPATCH_PAGE (object);

  switch (prop_id)
    {
    case PROP_UNDO_TIMEOUT:
      g_value_set_uint (value, self->undo_timeout);
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
    case PROP_UNDO_TIMEOUT:
      self->undo_timeout = g_value_get_uint (value);
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
  g_type_ensure (LD_TYPE_MAP_VIEW);
  g_type_ensure (LD_TYPE_UNIT_BOARD);
  g_type_ensure (LD_TYPE_LATE_PANEL);
  g_type_ensure (LD_TYPE_SITUATION_BOARD);
  object_class->dispose = ld_dispatch_page_dispose;
  object_class->get_property = ld_dispatch_page_get_property;
  object_class->set_property = ld_dispatch_page_set_property;

  /* The seconds a drop waits for Undo before it is sent; with 0 it waits
   * until its toast is closed. */
  properties[PROP_UNDO_TIMEOUT] =
    g_param_spec_uint ("undo-timeout", NULL, NULL, 0, G_MAXUINT, UNDO_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-dispatch-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, stack);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, search);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, state_filter);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, region_filter);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, board);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, pane);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, map);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, side);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, late_page);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, units);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, late);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, mode);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, situation);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, main_paned);
  gtk_widget_class_bind_template_child (widget_class, LdDispatchPage, map_paned);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_stopped);
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
  self->undo_timeout = UNDO_TIMEOUT;

  self->time_zone = g_time_zone_new_utc ();
  self->region_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->category_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->unit_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->results = g_list_store_new (LD_TYPE_INCIDENT_ITEM);
  self->region_filter_codes = g_ptr_array_new_with_free_func (g_free);
  self->filter = gtk_custom_filter_new (board_filter, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->filtered));
  g_signal_connect_swapped (self->state_filter, "notify::selected", G_CALLBACK (on_filter_changed), self);
  g_signal_connect_swapped (self->region_filter, "notify::selected", G_CALLBACK (on_filter_changed), self);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect (self->selection, "notify::selected-item", G_CALLBACK (on_selected), self);
  gtk_column_view_set_model (self->board, GTK_SELECTION_MODEL (self->selection));

  self->tick_source = g_timeout_add_seconds (30, on_tick, self);
  self->popover = GTK_POPOVER (gtk_popover_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->popover), GTK_WIDGET (self->map));
  g_signal_connect (self->map, "incident-activated", G_CALLBACK (on_incident_activated), self);
  g_signal_connect (self->map, "unit-activated", G_CALLBACK (on_unit_activated), self);
  g_signal_connect (self->map, "drill-activated", G_CALLBACK (on_drill_activated), self);
  g_signal_connect (self->map, "dispatch-requested", G_CALLBACK (on_map_dispatch), self);
  g_signal_connect (self->units, "dispatch-requested", G_CALLBACK (on_map_dispatch), self);
  g_signal_connect (self->late, "incident-activated", G_CALLBACK (on_late_incident), self);
  g_signal_connect (self->late, "alert", G_CALLBACK (on_late_alert), self);
  g_signal_connect (self->late, "notify::n-late", G_CALLBACK (on_n_late), self);

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_object_set_data (G_OBJECT (factory), "ld-column", (gpointer) &columns[i]);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), self);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), self);
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->board, column);
    }
  update_summary (self);
}
