/* test-dispatch.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <signal.h>

#include "ld-dispatch-page.h"
#include "ld-incident-model.h"
#include "ld-late-panel.h"
#include "ld-return-queue.h"
#include "ld-situation-board.h"
#include "ld-test-desk.h"
#include "ld-map-view.h"
#include "ld-test-city.h"
#include "ld-test-server.h"
#include "ld-test-util.h"
#include "ld-window.h"

/* The Dispatch workspace on a virtual display against the real server: a
 * drop on the map becomes an order after its undo time, on the replica and
 * on the server; an undo takes it back; late orders show and go; the
 * search narrows the board; the map draws each kind in its colour.
 *
 * Each case has a dispatcher's desk of its own: its server, its store and
 * its window. The desk's undo time lasts until its toast is closed, so
 * that a case says when the time is up rather than waiting it out. */

/* Where things stand on the test city's map (lat, lon, WGS84). The
 * incidents a case drops onto sit apart from each other, so at the
 * city-wide zoom each is drawn alone, not in a cluster. */
#define POL_LAT    30.25
#define POL_LON    120.25
#define MKT_LAT    30.5
#define MKT_LON    120.5
#define TOWN_LAT   30.5
#define TOWN_LON   121.5
/* A unit no case dispatches to: free, drawn green. */
#define FIRE_LAT   30.25
#define FIRE_LON   121.755

#define DROP_LAT   30.8
#define DROP_LON   120.2
#define JOINT_LAT  30.2
#define JOINT_LON  121.2
#define CLOSED_LAT 30.75
#define CLOSED_LON 120.75
/* A new incident 0.005° west of FIRE: ~116 px apart at zoom 15. */
#define RENDER_LAT 30.25
#define RENDER_LON 121.75
/* Below the middle of the new incident and the brigade, about 45 px at
 * street zoom. */
#define DRILL_LAT  30.248
#define DRILL_LON  121.7525
#define DRILL_SCENARIO "Tanker crash in the tunnel"

#define DROP_ADDRESS "嘉兴市南湖区中山路100号"

typedef struct {
  char          *dir;
  char          *db;
  GSubprocess   *server;
  SoupSession   *session;
  GSettings     *settings;
  LdAccount     *account;
  LdReplica     *replica;
  LdSyncEngine  *engine;
  LdWindow      *window;
  LdDispatchPage *page;
  LdMapView     *map;
  guint          n_refused;

  /* The test city's incidents, by what each case does with it. */
  char          *drop;
  char          *undo[4];
  char          *joint;
  char          *closed;
  char          *busy;
  char          *late;
  char          *render;
  char          *drill;
} Desk;

/* The running case's desk, for the helpers below. */
static Desk *desk;

/* ---- Widgets ---- */

static GtkWidget *
find_type (GtkWidget *root, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);
      if (found)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_button (GtkWidget *root, const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);
      if (found)
        return found;
    }
  return NULL;
}

/* Whether a label under @root reads @text, or begins with it when @prefix;
 * with @mapped, only one on screen counts. */
static gboolean
has_label (GtkWidget *root, const char *text, gboolean prefix, gboolean mapped)
{
  if (GTK_IS_LABEL (root) && (!mapped || gtk_widget_get_mapped (root)))
    {
      const char *label = gtk_label_get_label (GTK_LABEL (root));

      if (prefix ? g_str_has_prefix (label, text) : g_str_equal (label, text))
        return TRUE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    if (has_label (child, text, prefix, mapped))
      return TRUE;
  return FALSE;
}

static GtkWidget *
find_search (GtkWidget *root, const char *placeholder)
{
  if (GTK_IS_SEARCH_ENTRY (root))
    {
      g_autofree char *text = NULL;

      g_object_get (root, "placeholder-text", &text, NULL);
      if (g_strcmp0 (text, placeholder) == 0)
        return root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_search (child, placeholder);
      if (found)
        return found;
    }
  return NULL;
}

/* The board's search, not the pane's unit search. */
static GtkSearchEntry *
board_search (void)
{
  GtkWidget *search = find_search (GTK_WIDGET (desk->page), "Search address, summary or caller");

  g_assert_nonnull (search);
  return GTK_SEARCH_ENTRY (search);
}

/* The summary heading opens the page's bar, where the search entry is. */
static GtkLabel *
board_summary (void)
{
  GtkWidget *label = gtk_widget_get_first_child (gtk_widget_get_parent (GTK_WIDGET (board_search ())));

  g_assert_true (GTK_IS_LABEL (label));
  return GTK_LABEL (label);
}

static GListModel *
board_rows (void)
{
  GtkWidget *board = find_type (GTK_WIDGET (desk->page), GTK_TYPE_COLUMN_VIEW);

  g_assert_nonnull (board);
  return G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (board)));
}

static ShumateMap *
shumate_map (void)
{
  GtkWidget *map = find_type (GTK_WIDGET (desk->map), SHUMATE_TYPE_MAP);

  g_assert_nonnull (map);
  return SHUMATE_MAP (map);
}

/* The drop target a drag from the board or the unit list meets on the map. */
static GtkDropTarget *
map_drop_target (void)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (shumate_map ()));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  g_assert_not_reached ();
}

/* Drops @kind @ids where (@lat, @lon) is drawn, as a mouse button released
 * there at the end of a drag would. GtkDropTarget hands its "drop" handler
 * the dragged value and the place: the handler sees what a real drop gives. */
static gboolean
drop_at (const char *kind, const char *const *ids, double lat, double lon)
{
  g_autofree char *text = ld_map_drag_encode (kind, ids);
  g_auto(GValue) value = G_VALUE_INIT;
  double x, y;
  gboolean handled = FALSE;

  ld_map_view_to_widget (desk->map, lat, lon, &x, &y);
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, text);
  g_signal_emit_by_name (map_drop_target (), "drop", &value, x, y, &handled);
  return handled;
}

typedef struct {
  LdPointLayer *layer;
  double        lat, lon;
} Drawn;

/* Whether the last frame drew a single mark at (lat, lon). */
static gboolean
is_drawn (gpointer data)
{
  Drawn *d = data;
  double x, y;
  guint count = 0;

  if (!gtk_widget_get_mapped (GTK_WIDGET (desk->map)))
    return FALSE;
  ld_map_view_to_widget (desk->map, d->lat, d->lon, &x, &y);
  return ld_point_layer_pick (d->layer, x, y, NULL, &count, NULL, NULL) && count == 1;
}

static void
wait_drawn (LdPointLayer *layer, double lat, double lon, const char *what)
{
  Drawn d = { layer, lat, lon };

  ld_test_wait_until (is_drawn, &d, what);
}

/* ---- The replica's records ---- */

static GPtrArray *
orders_of (const char *incident_id)
{
  LdStore *local = ld_replica_get_store (desk->replica);
  g_autoptr(GError) error = NULL;
  GPtrArray *orders = ld_store_list_orders (local, incident_id, &error);

  g_assert_no_error (error);
  return orders;
}

static guint
n_orders (const char *incident_id)
{
  g_autoptr(GPtrArray) orders = orders_of (incident_id);
  return orders->len;
}

static void
assert_one_order (const char *incident_id, const char *unit_code)
{
  g_autoptr(GPtrArray) orders = orders_of (incident_id);
  LdOrder *o;

  g_assert_cmpuint (orders->len, ==, 1);
  o = g_ptr_array_index (orders, 0);
  g_assert_cmpstr (o->unit_code, ==, unit_code);
  g_assert_cmpstr (o->state, ==, "dispatched");
}

/* Sent, and kept: a refused operation is undone on the replica. */
static void
wait_sent (void)
{
  ld_test_wait_until (ld_test_engine_is_drained, desk->engine, "the orders sent");
  g_assert_cmpuint (desk->n_refused, ==, 0);
}

/* ---- The desk ---- */

static char *
add_incident_at (LdStore *store, gint64 at, const char *kind, const char *summary, const char *address,
                 double lat, double lon)
{
  g_autoptr(GError) error = NULL;
  LdIncident inc = { 0, };
  char *id;

  inc.received_at = at;
  inc.source = (char *) "110";
  inc.kind = (char *) kind;
  inc.region_code = (char *) "A";
  inc.category = (char *) "noise";
  inc.summary = (char *) summary;
  inc.address = (char *) address;
  inc.lat = lat;
  inc.lon = lon;
  id = ld_store_add_incident (store, &inc, &ld_test_actor, &error);
  g_assert_no_error (error);
  return id;
}

static char *
add_incident (LdStore *store, const char *summary, const char *address, double lat, double lon)
{
  return add_incident_at (store, ld_time_now (), "linkage", summary, address, lat, lon);
}

static void
place_unit (LdStore *store, const char *code, double lat, double lon)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdUnit) unit = ld_store_get_unit (store, code, &error);

  g_assert_no_error (error);
  unit->lat = lat;
  unit->lon = lon;
  g_assert_true (ld_store_put_unit (store, unit, &error));
  g_assert_no_error (error);
}

static void
build_city (Desk *d)
{
  g_autoptr(LdStore) city = ld_test_city_new (d->db);
  g_autoptr(GError) error = NULL;
  LdUnit fire = { "FIRE", "Fire brigade", 1, "fire", "B", "0573-119", FIRE_LAT, FIRE_LON, FALSE, { 0, } };
  g_autofree char *busy_order = NULL;
  g_autofree char *late_order = NULL;

  place_unit (city, "POL", POL_LAT, POL_LON);
  place_unit (city, "MKT", MKT_LAT, MKT_LON);
  place_unit (city, "TOWN", TOWN_LAT, TOWN_LON);
  g_assert_true (ld_store_put_unit (city, &fire, &error));
  g_assert_no_error (error);

  d->drop = add_incident (city, "stalls blocking the road", DROP_ADDRESS, DROP_LAT, DROP_LON);
  for (guint i = 0; i < G_N_ELEMENTS (d->undo); i++)
    d->undo[i] = add_incident (city, "loud music", "嘉兴市秀洲区新城街道", NAN, NAN);
  d->joint = add_incident (city, "smoke from a workshop", "嘉兴市南湖区东栅街道", JOINT_LAT, JOINT_LON);
  /* The police handled it alone: closed without an order. */
  d->closed = add_incident_at (city, ld_time_now (), "police", "handled by the police", "嘉兴市南湖区建设街道", CLOSED_LAT, CLOSED_LON);
  g_assert_true (ld_store_close_incident (city, d->closed, ld_time_now (), &ld_test_actor, &error));
  g_assert_no_error (error);
  d->busy = add_incident (city, "a market dispute", "嘉兴市南湖区解放街道", NAN, NAN);
  busy_order = ld_store_dispatch (city, NULL, d->busy, "MKT", ld_time_now (), &ld_test_actor, &error);
  g_assert_no_error (error);
  /* Ten minutes unsigned: five past the sign deadline, ten before the arrive one. */
  d->late = add_incident_at (city, ld_time_now () - 12 * 60 * G_USEC_PER_SEC, "linkage", "a fallen sign",
                             "嘉兴市南湖区城南街道", NAN, NAN);
  late_order = ld_store_dispatch (city, NULL, d->late, "POL", ld_time_now () - 10 * 60 * G_USEC_PER_SEC,
                                  &ld_test_actor, &error);
  g_assert_no_error (error);
  d->render = add_incident (city, "a burst water main", "嘉兴市秀洲区王店镇", RENDER_LAT, RENDER_LON);
  {
    /* A drill in an hour: its alarm is not to be taken for a real one. */
    LdDrill drill = { NULL, ld_time_now () + 3600 * LD_USEC_PER_S, "B", "Tunnel south exit",
                      DRILL_SCENARIO, DRILL_LAT, DRILL_LON };
    d->drill = ld_store_add_drill (city, &drill, &ld_test_actor, &error);
    g_assert_no_error (error);
  }
}

static void
on_refused (LdSyncEngine *engine, JsonObject *op, const char *code, const char *reason, Desk *d)
{
  g_test_message ("refused (%s): %s", code, reason);
  d->n_refused++;
}

/* The map has its size, and the view it fits to the city on its first
 * allocation is made: a case that moves the map moves it after that. */
static gboolean
map_is_laid_out (gpointer data)
{
  GtkWidget *map = data;

  return gtk_widget_get_mapped (map) && gtk_widget_get_width (map) > 1 && gtk_widget_get_height (map) > 1;
}

static void
desk_set_up (Desk *d, gconstpointer data)
{
  g_autofree char *base = NULL;
  g_autofree char *home = NULL;

  desk = d;
  d->dir = ld_test_make_tmp ("ld-dispatch-XXXXXX");
  d->db = g_build_filename (d->dir, "server.db", NULL);
  home = g_build_filename (d->dir, "desktop", NULL);
  build_city (d);
  ld_test_server_add_user (d->db, "d1", "dispatcher");
  d->server = ld_test_server_spawn (d->db, "127.0.0.1:0", &base);
  d->session = soup_session_new ();
  d->settings = g_settings_new ("cn.liandong.Liandong");

  ld_test_sign_in (d->session, home, base, "d1", &d->account, &d->replica);

  d->engine = ld_sync_engine_new (d->session, d->account, d->replica);
  ld_sync_engine_set_min_backoff (d->engine, 20);
  g_signal_connect (d->engine, "refused", G_CALLBACK (on_refused), d);
  ld_sync_engine_start (d->engine);
  d->window = ld_window_new (NULL, d->settings, d->engine);
  gtk_window_set_default_size (GTK_WINDOW (d->window), 1366, 768);
  gtk_window_present (GTK_WINDOW (d->window));
  d->page = LD_DISPATCH_PAGE (ld_window_get_dispatch_page (d->window));
  g_object_set (d->page, "undo-timeout", 0, NULL);
  d->map = ld_dispatch_page_get_map (d->page);
  ld_test_wait_until (ld_test_engine_is_drained, d->engine, "the link");
  ld_test_wait_until (map_is_laid_out, d->map, "the map laid out");
}

static void
desk_tear_down (Desk *d, gconstpointer data)
{
  ld_sync_engine_stop (d->engine);
  gtk_window_destroy (GTK_WINDOW (d->window));
  g_subprocess_send_signal (d->server, SIGTERM);
  g_subprocess_wait (d->server, NULL, NULL);
  g_clear_object (&d->server);
  g_clear_object (&d->engine);
  g_clear_object (&d->account);
  g_clear_object (&d->replica);
  g_clear_object (&d->settings);
  g_clear_object (&d->session);
  g_free (d->drop);
  for (guint i = 0; i < G_N_ELEMENTS (d->undo); i++)
    g_free (d->undo[i]);
  g_free (d->joint);
  g_free (d->closed);
  g_free (d->busy);
  g_free (d->late);
  g_free (d->render);
  g_free (d->drill);
  g_free (d->db);
  g_free (d->dir);
  desk = NULL;
}

/* The toast titled @title, or NULL when it has gone. */
static GtkWidget *
toast_of (const char *title)
{
  GtkWidget *toast = ld_test_find_widget (GTK_WIDGET (desk->window), GTK_TYPE_LABEL, title);

  while (toast && g_strcmp0 (gtk_widget_get_css_name (toast), "toast") != 0)
    toast = gtk_widget_get_parent (toast);
  return toast;
}

static void
wait_toast (const char *title)
{
  LdTestShown shown = { GTK_WIDGET (desk->window), title };

  ld_test_wait_until (ld_test_is_shown, &shown, title);
}

/* The Undo button of the toast titled @title, or NULL when it has gone. */
static GtkWidget *
toast_undo (const char *title)
{
  GtkWidget *toast = toast_of (title);

  return toast ? find_button (toast, "_Undo") : NULL;
}

/* Closes the toast titled @title as a click on its × does: for a drop,
 * its undo time is over. */
static void
close_toast (const char *title)
{
  GtkWidget *toast = toast_of (title);
  GtkWidget *close = NULL;

  g_assert_nonnull (toast);
  for (GtkWidget *child = gtk_widget_get_first_child (toast); child && !close;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child) && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (child)), "window-close-symbolic") == 0)
      close = child;
  g_assert_nonnull (close);
  g_signal_emit_by_name (close, "clicked");
}

/* Whatever the main loop has to do now is done: a send the drop had
 * started would have reached the replica. */
static void
run_pending (void)
{
  for (guint i = 0; i < 100 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

/* ---- The cases ---- */

/* An incident dragged from the board onto a unit's mark: nothing is sent
 * while the toast offers Undo; then one order, on the replica and on the
 * server. */
static void
test_drop_on_map (Desk *d, gconstpointer data)
{
  const char *ids[] = { d->drop, NULL };

  wait_drawn (ld_map_view_get_units (d->map), MKT_LAT, MKT_LON, "the units drawn");
  g_assert_cmpuint (n_orders (d->drop), ==, 0);

  g_assert_true (drop_at (LD_MAP_DRAG_INCIDENT, ids, MKT_LAT, MKT_LON));
  wait_toast ("Dispatching to Market regulation");

  /* In its undo time: nothing made, nothing sent. */
  run_pending ();
  g_assert_cmpuint (n_orders (d->drop), ==, 0);
  g_assert_true (ld_test_engine_is_drained (d->engine));

  close_toast ("Dispatching to Market regulation");
  assert_one_order (d->drop, "MKT");
  wait_sent ();
  assert_one_order (d->drop, "MKT");

  /* A drop beside every mark dispatches nothing. */
  g_assert_false (drop_at (LD_MAP_DRAG_INCIDENT, ids, MKT_LAT + 0.1, MKT_LON + 0.1));
}

/* Taken back by Ctrl+Z's action or by the toast's button: no order, and
 * nothing left to send. A drop made while another waits sends the waiting
 * one at once. */
static void
test_undo (Desk *d, gconstpointer data)
{
  const char *market[] = { "MKT", NULL };
  const char *town[] = { "TOWN", NULL };
  const char *police[] = { "POL", NULL };
  const char *first[] = { d->undo[0], NULL };
  const char *second[] = { d->undo[1], NULL };
  const char *third[] = { d->undo[2], NULL };
  const char *fourth[] = { d->undo[3], NULL };
  GtkWidget *undo;

  ld_dispatch_page_request_dispatch (d->page, first, market);
  wait_toast ("Dispatching to Market regulation");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (d->page), "dispatch.undo", NULL));
  ld_dispatch_page_request_dispatch (d->page, second, town);
  wait_toast ("Dispatching to B command room");
  undo = toast_undo ("Dispatching to B command room");
  g_assert_nonnull (undo);
  g_assert_true (gtk_widget_get_mapped (undo));
  g_signal_emit_by_name (undo, "clicked");
  run_pending ();
  /* Nothing is left to take back, or to send. */
  g_assert_false (ld_dispatch_page_undo_dispatch (d->page));
  g_assert_true (ld_test_engine_is_drained (d->engine));
  g_assert_cmpuint (n_orders (d->undo[0]), ==, 0);
  g_assert_cmpuint (n_orders (d->undo[1]), ==, 0);

  ld_dispatch_page_request_dispatch (d->page, third, police);
  wait_toast ("Dispatching to City police");
  g_assert_cmpuint (n_orders (d->undo[2]), ==, 0);
  ld_dispatch_page_request_dispatch (d->page, fourth, town);
  assert_one_order (d->undo[2], "POL");
  g_assert_cmpuint (n_orders (d->undo[3]), ==, 0);
  wait_toast ("Dispatching to B command room");
  run_pending ();
  g_assert_cmpuint (n_orders (d->undo[3]), ==, 0);
  close_toast ("Dispatching to B command room");
  assert_one_order (d->undo[2], "POL");
  assert_one_order (d->undo[3], "TOWN");
  wait_sent ();
  g_assert_cmpuint (n_orders (d->undo[0]), ==, 0);
  g_assert_cmpuint (n_orders (d->undo[1]), ==, 0);
}

/* Two units dragged together onto an incident's mark: joint handling, one
 * order each. */
static void
test_joint (Desk *d, gconstpointer data)
{
  const char *units[] = { "POL", "TOWN", NULL };
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  wait_drawn (ld_map_view_get_incidents (d->map), JOINT_LAT, JOINT_LON, "the incident drawn");
  g_assert_true (drop_at (LD_MAP_DRAG_UNITS, units, JOINT_LAT, JOINT_LON));
  wait_toast ("Dispatching to 2 units");
  close_toast ("Dispatching to 2 units");
  wait_sent ();
  orders = orders_of (d->joint);
  g_assert_cmpuint (orders->len, ==, 2);
  for (guint i = 0; i < orders->len; i++)
    {
      LdOrder *o = g_ptr_array_index (orders, i);

      g_assert_cmpstr (o->state, ==, "dispatched");
      g_hash_table_add (seen, o->unit_code);
    }
  g_assert_true (g_hash_table_contains (seen, "POL"));
  g_assert_true (g_hash_table_contains (seen, "TOWN"));
}

/* A closed incident and a unit already on the incident are refused, with
 * the reason said; nothing waits to be dispatched. */
static void
test_refusals (Desk *d, gconstpointer data)
{
  const char *town[] = { "TOWN", NULL };
  const char *busy[] = { d->busy, NULL };

  wait_drawn (ld_map_view_get_incidents (d->map), CLOSED_LAT, CLOSED_LON, "the closed incident drawn");
  wait_drawn (ld_map_view_get_units (d->map), MKT_LAT, MKT_LON, "the units drawn");
  g_assert_cmpuint (n_orders (d->busy), ==, 1);

  g_assert_true (drop_at (LD_MAP_DRAG_UNITS, town, CLOSED_LAT, CLOSED_LON));
  wait_toast ("Only an open incident can be dispatched.");
  g_assert_true (drop_at (LD_MAP_DRAG_INCIDENT, busy, MKT_LAT, MKT_LON));
  /* Toasts take turns: the second reason shows when the first has gone. */
  close_toast ("Only an open incident can be dispatched.");
  wait_toast ("Market regulation already has this incident.");
  g_assert_false (ld_dispatch_page_undo_dispatch (d->page));
  run_pending ();
  g_assert_cmpuint (n_orders (d->closed), ==, 0);
  g_assert_cmpuint (n_orders (d->busy), ==, 1);
  g_assert_true (ld_test_engine_is_drained (d->engine));
}

static AdwViewStackPage *
late_page (void)
{
  AdwViewStack *side = ADW_VIEW_STACK (find_type (GTK_WIDGET (desk->page), ADW_TYPE_VIEW_STACK));
  GtkWidget *child = adw_view_stack_get_child_by_name (side, "late");

  g_assert_nonnull (child);
  return adw_view_stack_get_page (side, child);
}

static gboolean
has_no_late_badge (gpointer data)
{
  return adw_view_stack_page_get_badge_number (late_page ()) == 0;
}

/* An order unsigned past its deadline is listed with its unit and the
 * missed step, and counted on the tab; signed, it leaves. */
static void
test_late_panel (Desk *d, gconstpointer data)
{
  GtkWidget *late = find_type (GTK_WIDGET (d->page), LD_TYPE_LATE_PANEL);
  GtkListBox *list = GTK_LIST_BOX (find_type (late, GTK_TYPE_LIST_BOX));
  GtkListBoxRow *row;
  GtkWidget *sign;
  g_autoptr(GPtrArray) orders = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (d->page), "dispatch.show-late", NULL));
  row = gtk_list_box_get_row_at_index (list, 0);
  g_assert_nonnull (row);
  g_assert_null (gtk_list_box_get_row_at_index (list, 1));
  g_assert_true (has_label (GTK_WIDGET (row), "City police", FALSE, TRUE));
  g_assert_true (has_label (GTK_WIDGET (row), "Not signed · ", TRUE, TRUE));
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (late_page ()), ==, 1);

  ld_dispatch_page_select (d->page, d->late);
  sign = find_button (GTK_WIDGET (d->page), "Record Signature");
  g_assert_nonnull (sign);
  g_assert_true (gtk_widget_get_mapped (sign));
  g_signal_emit_by_name (sign, "clicked");
  orders = orders_of (d->late);
  g_assert_cmpstr (((LdOrder *) g_ptr_array_index (orders, 0))->state, ==, "signed");

  ld_test_wait_until (has_no_late_badge, NULL, "the late badge cleared");
  g_assert_null (gtk_list_box_get_row_at_index (list, 0));
  wait_sent ();
}

static gboolean
returns_waiting (gpointer data)
{
  return ld_return_queue_get_n_returns (LD_RETURN_QUEUE (data)) == GPOINTER_TO_UINT (
    g_object_get_data (G_OBJECT (data), "ld-test-expect"));
}

static void
submit_on_order (Desk *d, const char *order_id, const char *action, JsonObject *fields)
{
  g_autoptr(JsonObject) op = json_object_new ();
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (op, "entity", "order");
  json_object_set_string_member (op, "entity_id", order_id);
  json_object_set_string_member (op, "action", action);
  json_object_set_object_member (op, "fields", fields);
  g_assert_true (ld_sync_engine_submit (d->engine, op, &error));
  g_assert_no_error (error);
}

/* A return the center has not ruled on waits in the 退单 queue, counted
 * on its tab, with the reason as typed, whose duty the unit says it is
 * and the place's jurisdiction; ruled on, it leaves. */
static void
test_return_queue (Desk *d, gconstpointer data)
{
  GtkWidget *queue = find_type (GTK_WIDGET (d->page), LD_TYPE_RETURN_QUEUE);
  g_autoptr(GPtrArray) orders = orders_of (d->late);
  const LdOrder *o = g_ptr_array_index (orders, 0);
  g_autofree char *order_id = g_strdup (o->id);
  g_auto(GStrv) rows = NULL;
  JsonObject *fields;

  g_assert_cmpuint (ld_return_queue_get_n_returns (LD_RETURN_QUEUE (queue)), ==, 0);
  fields = json_object_new ();
  json_object_set_string_member (fields, "reason", "<b>不归我们 & 管");
  json_object_set_string_member (fields, "duty_unit_code", g_str_equal (o->unit_code, "TOWN") ? "MKT" : "TOWN");
  submit_on_order (d, order_id, "return", fields);
  g_object_set_data (G_OBJECT (queue), "ld-test-expect", GUINT_TO_POINTER (1));
  ld_test_wait_until (returns_waiting, queue, "the return in the queue");
  rows = ld_return_queue_list_rows (LD_RETURN_QUEUE (queue));
  g_assert_cmpuint (g_strv_length (rows), ==, 1);
  g_assert_nonnull (strstr (rows[0], "<b>不归我们 & 管"));
  g_assert_nonnull (strstr (rows[0], "The duty of:"));
  g_assert_nonnull (strstr (rows[0], "Jurisdiction:"));
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (
                      adw_view_stack_get_page (ADW_VIEW_STACK (find_type (GTK_WIDGET (d->page), ADW_TYPE_VIEW_STACK)),
                                               queue)), ==, 1);

  fields = json_object_new ();
  json_object_set_string_member (fields, "ruling", "accept");
  submit_on_order (d, order_id, "rule-return", fields);
  g_object_set_data (G_OBJECT (queue), "ld-test-expect", GUINT_TO_POINTER (0));
  ld_test_wait_until (returns_waiting, queue, "the ruled return gone from the queue");
  wait_sent ();
}

typedef struct {
  GtkLabel   *label;
  const char *text;
} Reads;

static gboolean
reads (gpointer data)
{
  Reads *r = data;
  return g_strcmp0 (gtk_label_get_label (r->label), r->text) == 0;
}

typedef struct {
  LdPointLayer *layer;
  guint         min, max;
} Points;

/* The map's layer draws from min to max points. */
static gboolean
draws_points (gpointer data)
{
  Points *p = data;
  guint n = ld_point_layer_get_n_points (p->layer);

  return n >= p->min && n <= p->max;
}

/* A part of one address narrows the board, and its map, to that incident;
 * cleared, the board is back. */
static void
test_search (Desk *d, gconstpointer data)
{
  GtkSearchEntry *search = board_search ();
  GListModel *all = ld_dispatch_page_get_model (d->page);
  guint n_all = g_list_model_get_n_items (all);
  Points points = { ld_map_view_get_incidents (d->map), 2, G_MAXUINT };
  guint n_drawn;
  g_autofree char *board_text = NULL;
  g_autofree char *prefix = g_strdup_printf ("%u incidents on the board, ", n_all);
  g_autoptr(LdIncidentItem) found = NULL;
  Reads r;

  g_assert_cmpuint (n_all, >, 1);
  g_assert_cmpuint (g_list_model_get_n_items (board_rows ()), ==, n_all);
  ld_test_wait_until (draws_points, &points, "the incidents drawn");
  n_drawn = ld_point_layer_get_n_points (points.layer);
  board_text = g_strdup (gtk_label_get_label (board_summary ()));
  g_assert_true (g_str_has_prefix (board_text, prefix));

  gtk_editable_set_text (GTK_EDITABLE (search), "中山路");
  r.label = board_summary ();
  r.text = "1 matching incident";
  ld_test_wait_until (reads, &r, "the search's summary");
  g_assert_cmpuint (g_list_model_get_n_items (board_rows ()), ==, 1);
  found = g_list_model_get_item (board_rows (), 0);
  g_assert_cmpstr (ld_incident_item_get_incident (found)->address, ==, DROP_ADDRESS);
  points.min = points.max = 1;
  ld_test_wait_until (draws_points, &points, "the one incident found drawn");

  gtk_editable_set_text (GTK_EDITABLE (search), "");
  r.text = board_text;
  ld_test_wait_until (reads, &r, "the board's summary back");
  g_assert_cmpuint (g_list_model_get_n_items (board_rows ()), ==, n_all);
  points.min = points.max = n_drawn;
  ld_test_wait_until (draws_points, &points, "the incidents drawn again");

  /* The state filter narrows the board and the map alike: "New, not
   * dispatched" keeps only incidents nobody is on yet. */
  {
    GtkWidget *bar = gtk_widget_get_parent (GTK_WIDGET (search));
    GtkDropDown *state = NULL;
    guint n_new = 0;

    for (GtkWidget *child = gtk_widget_get_first_child (bar); child && !state;
         child = gtk_widget_get_next_sibling (child))
      if (GTK_IS_DROP_DOWN (child))
        state = GTK_DROP_DOWN (child);
    g_assert_nonnull (state);
    for (guint i = 0; i < n_all; i++)
      {
        g_autoptr(LdIncidentItem) item = g_list_model_get_item (all, i);
        n_new += g_str_equal (ld_incident_item_get_incident (item)->state, "new");
      }
    g_assert_cmpuint (n_new, >, 0);
    g_assert_cmpuint (n_new, <, n_all);
    gtk_drop_down_set_selected (state, 2);
    g_assert_cmpuint (g_list_model_get_n_items (board_rows ()), ==, n_new);
    for (guint i = 0; i < n_new; i++)
      {
        g_autoptr(LdIncidentItem) item = g_list_model_get_item (board_rows (), i);
        g_assert_cmpstr (ld_incident_item_get_incident (item)->state, ==, "new");
      }
    points.min = 0;
    points.max = n_drawn - 1;
    ld_test_wait_until (draws_points, &points, "fewer incidents drawn");
    gtk_drop_down_set_selected (state, 0);
    g_assert_cmpuint (g_list_model_get_n_items (board_rows ()), ==, n_all);
  }
}

typedef struct {
  guchar *pixels;
  gsize   stride;
  int     width, height;
} Picture;

/* The map view as the window would draw it now; FALSE while a change
 * waits for the view to be laid out again and there is nothing to draw. */
static gboolean
try_render_map (Picture *p)
{
  GtkWidget *view = GTK_WIDGET (desk->map);
  int width = gtk_widget_get_width (view), height = gtk_widget_get_height (view);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (view);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (desk->window));

  g_assert_cmpint (width, >, 300);
  g_assert_cmpint (height, >, 150);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return FALSE;
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);
  *p = (Picture) { g_malloc ((gsize) width * 4 * height), (gsize) width * 4, width, height };
  gdk_texture_download (texture, p->pixels, p->stride);
  return TRUE;
}

static Picture
render_map (void)
{
  Picture p;

  g_assert_true (try_render_map (&p));
  return p;
}

/* GDK_MEMORY_DEFAULT: premultiplied B, G, R, A in memory order. */
static void
pixel_at (const Picture *p, double x, double y, double rgb[3])
{
  int px = (int) round (x), py = (int) round (y);
  const guchar *at;
  double a;

  g_assert_cmpint (px, >=, 0);
  g_assert_cmpint (py, >=, 0);
  g_assert_cmpint (px, <, p->width);
  g_assert_cmpint (py, <, p->height);
  at = p->pixels + py * p->stride + px * 4;
  a = at[3] / 255.0;
  g_assert_cmpfloat (a, >, 0.99);
  rgb[0] = at[2] / 255.0 / a;
  rgb[1] = at[1] / 255.0 / a;
  rgb[2] = at[0] / 255.0 / a;
}

static gboolean
looks_like (const double rgb[3], double r, double g, double b)
{
  const double tolerance = 0.04;

  return fabs (rgb[0] - r) < tolerance && fabs (rgb[1] - g) < tolerance && fabs (rgb[2] - b) < tolerance;
}

#define NEW_RGB  0.90, 0.55, 0.00
#define UNIT_RGB 0.15, 0.64, 0.41
#define DRILL_RGB 0.78, 0.11, 0.53

static void
assert_colour_at (const Picture *p, double lat, double lon, double r, double g, double b, gboolean is)
{
  double x, y, rgb[3];

  ld_map_view_to_widget (desk->map, lat, lon, &x, &y);
  pixel_at (p, x, y, rgb);
  if (looks_like (rgb, r, g, b) != is)
    g_error ("at %g, %g (%g, %g px) the map shows %.2f, %.2f, %.2f; %s %.2f, %.2f, %.2f",
             lat, lon, x, y, rgb[0], rgb[1], rgb[2], is ? "wanted" : "did not want", r, g, b);
}

/* The basemap is drawn at (lat, lon): its tiles come after the marks. */
static gboolean
basemap_drawn_at (gpointer data)
{
  const double *at = data;
  g_autofree guchar *pixels = NULL;
  Picture p;
  double x, y;

  if (!try_render_map (&p))
    return FALSE;
  pixels = p.pixels;
  ld_map_view_to_widget (desk->map, at[0], at[1], &x, &y);
  return p.pixels[(gsize) round (y) * p.stride + (gsize) round (x) * 4 + 3] == 255;
}

/* What the map draws: a new incident amber, a free unit green, and plain
 * map between them. */
static void
test_layers_render (Desk *d, gconstpointer data)
{
  g_autofree guchar *pixels = NULL;
  Picture p;
  double x, y, empty[2];

  ld_map_view_go_to (d->map, RENDER_LAT, (RENDER_LON + FIRE_LON) / 2, 15);
  wait_drawn (ld_map_view_get_incidents (d->map), RENDER_LAT, RENDER_LON, "the new incident drawn close up");
  wait_drawn (ld_map_view_get_units (d->map), FIRE_LAT, FIRE_LON, "the free unit drawn close up");
  wait_drawn (ld_map_view_get_drills (d->map), DRILL_LAT, DRILL_LON, "the drill drawn close up");
  /* 80 px above the middle of the two: nothing is there but the map. */
  ld_map_view_to_widget (d->map, RENDER_LAT, (RENDER_LON + FIRE_LON) / 2, &x, &y);
  ld_map_view_to_location (d->map, x, y - 80, &empty[0], &empty[1]);
  ld_test_wait_until (basemap_drawn_at, empty, "the basemap drawn close up");

  p = render_map ();
  pixels = p.pixels;
  assert_colour_at (&p, RENDER_LAT, RENDER_LON, NEW_RGB, TRUE);
  assert_colour_at (&p, FIRE_LAT, FIRE_LON, UNIT_RGB, TRUE);
  assert_colour_at (&p, DRILL_LAT, DRILL_LON, DRILL_RGB, TRUE);
  assert_colour_at (&p, empty[0], empty[1], NEW_RGB, FALSE);
  assert_colour_at (&p, empty[0], empty[1], UNIT_RGB, FALSE);
  assert_colour_at (&p, empty[0], empty[1], DRILL_RGB, FALSE);
}

/* A drill's mark tells the dispatcher that a call from there may be the
 * drill's; a dispatcher has no Drills workspace to open it in. */
static void
test_drill_on_map (Desk *d, gconstpointer data)
{
  LdPointLayer *drills = ld_map_view_get_drills (d->map);

  g_assert_cmpuint (ld_point_layer_get_n_points (drills), ==, 1);
  g_assert_cmpstr (ld_point_layer_get_id (drills, 0), ==, d->drill);
  g_signal_emit_by_name (d->map, "drill-activated", d->drill, 100.0, 100.0);
  g_assert_nonnull (ld_test_find_widget (GTK_WIDGET (d->page), GTK_TYPE_LABEL, DRILL_SCENARIO));
  g_assert_null (ld_test_find_widget (GTK_WIDGET (d->page), GTK_TYPE_BUTTON, "_Open in Drills"));
}

/* The desk's window fits a 1366×768 laptop with its lists full, the wall
 * screen's board (hidden until F11) and all. */
static void
test_fits_a_laptop (Desk *d, gconstpointer data)
{
  int min_width, min_height, board_min_height;

  ld_situation_board_refresh (LD_SITUATION_BOARD (ld_test_find_widget (GTK_WIDGET (d->page),
                                                                        LD_TYPE_SITUATION_BOARD, NULL)));
  gtk_widget_measure (GTK_WIDGET (d->window), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (d->window), GTK_ORIENTATION_VERTICAL, -1, &min_height, NULL, NULL, NULL);
  gtk_widget_measure (ld_test_find_widget (GTK_WIDGET (d->page), LD_TYPE_SITUATION_BOARD, NULL),
                      GTK_ORIENTATION_VERTICAL, -1, &board_min_height, NULL, NULL, NULL);
  g_assert_cmpint (min_width, <=, 1366);
  g_assert_cmpint (min_height, <=, 700);
  /* The hidden board asks for more than the desk: it is not counted. */
  g_assert_cmpint (min_height, <, board_min_height);
}

int
main (int argc, char *argv[])
{
  ld_test_desk_init (&argc, &argv);
#define ADD(path, func) g_test_add (path, Desk, NULL, desk_set_up, func, desk_tear_down)
  ADD ("/dispatch/drop-on-map-creates-orders", test_drop_on_map);
  ADD ("/dispatch/undo", test_undo);
  ADD ("/dispatch/joint", test_joint);
  ADD ("/dispatch/refusals", test_refusals);
  ADD ("/dispatch/late-panel", test_late_panel);
  ADD ("/dispatch/return-queue", test_return_queue);
  ADD ("/dispatch/search", test_search);
  ADD ("/dispatch/layers-render", test_layers_render);
  ADD ("/dispatch/drill-on-map", test_drill_on_map);
  ADD ("/dispatch/fits-a-laptop", test_fits_a_laptop);
#undef ADD
  return g_test_run ();
}
