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
#include "ld-situation-board.h"
#include "ld-test-desk.h"
#include "ld-map-view.h"
#include "ld-test-city.h"
#include "ld-test-server.h"
#include "ld-window.h"

/* The Dispatch workspace on a virtual display against the real server: a
 * drop on the map becomes an order after its undo time, on the replica and
 * on the server; an undo takes it back; late orders show and go; the
 * search narrows the board; the map draws each kind in its colour.
 *
 * One dispatcher's desk is shared by the cases: signing in and the undo
 * times are what takes long, and each case works on incidents of its own. */

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

/* The page's UNDO_SECONDS, and how long past it a send may take. */
#define UNDO_MS 5000
#define SEND_GRACE_MS 3000

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

static Desk *desk;

/* ---- Waiting ---- */

static gboolean
on_expired (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
on_tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @cond holds or @ms pass; whether it held. The
 * tick wakes the loop for conditions that only time makes true. */
static gboolean
wait_within (LdTestCondition cond, gpointer data, guint ms)
{
  gboolean expired = FALSE;
  guint timeout = g_timeout_add (ms, on_expired, &expired);
  guint tick = g_timeout_add (20, on_tick, NULL);
  gboolean held;

  while (!(held = cond != NULL && cond (data)) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (timeout);
  g_source_remove (tick);
  return held;
}

static void
run_for (guint ms)
{
  wait_within (NULL, NULL, ms);
}

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

static gboolean
has_orders (gpointer data)
{
  return n_orders (data) > 0;
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

/* Opens the desk the first time a case asks, so any one case runs alone. */
static Desk *
open_desk (void)
{
  g_autofree char *base = NULL;
  g_autofree char *home = NULL;
  Desk *d;

  if (desk)
    return desk;
  d = desk = g_new0 (Desk, 1);
  d->dir = g_dir_make_tmp ("ld-dispatch-XXXXXX", NULL);
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
  d->map = ld_dispatch_page_get_map (d->page);
  ld_test_wait_until (ld_test_engine_is_drained, d->engine, "the link");
  return d;
}

static void
close_desk (void)
{
  if (desk == NULL)
    return;
  ld_sync_engine_stop (desk->engine);
  gtk_window_destroy (GTK_WINDOW (desk->window));
  g_subprocess_send_signal (desk->server, SIGTERM);
  g_subprocess_wait (desk->server, NULL, NULL);
  g_clear_object (&desk->server);
  g_clear_object (&desk->engine);
  g_clear_object (&desk->account);
  g_clear_object (&desk->replica);
  g_clear_object (&desk->settings);
  g_clear_object (&desk->session);
  g_free (desk->drop);
  for (guint i = 0; i < G_N_ELEMENTS (desk->undo); i++)
    g_free (desk->undo[i]);
  g_free (desk->joint);
  g_free (desk->closed);
  g_free (desk->busy);
  g_free (desk->late);
  g_free (desk->render);
  g_free (desk->drill);
  g_free (desk->db);
  g_free (desk->dir);
  g_clear_pointer (&desk, g_free);
}

/* ---- The cases ---- */

/* An incident dragged from the board onto a unit's mark: nothing is sent
 * while the toast offers Undo; then one order, on the replica and on the
 * server. */
static void
test_drop_on_map (void)
{
  Desk *d = open_desk ();
  const char *ids[] = { d->drop, NULL };
  gint64 dropped;

  wait_drawn (ld_map_view_get_units (d->map), MKT_LAT, MKT_LON, "the units drawn");
  g_assert_cmpuint (n_orders (d->drop), ==, 0);

  g_assert_true (drop_at (LD_MAP_DRAG_INCIDENT, ids, MKT_LAT, MKT_LON));
  dropped = g_get_monotonic_time ();
  g_assert_true (wait_within (ld_test_is_shown, &(LdTestShown) { GTK_WIDGET (d->window), "Dispatching to Market regulation" }, 2000));

  /* Still in its undo time: nothing made, nothing sent. */
  g_assert_false (wait_within (has_orders, d->drop, UNDO_MS - 500));
  g_assert_cmpuint (n_orders (d->drop), ==, 0);

  g_assert_true (wait_within (has_orders, d->drop, SEND_GRACE_MS + 500));
  g_assert_cmpint (g_get_monotonic_time () - dropped, >=, (UNDO_MS - 100) * 1000);
  assert_one_order (d->drop, "MKT");
  wait_sent ();
  assert_one_order (d->drop, "MKT");

  /* A drop beside every mark dispatches nothing. */
  g_assert_false (drop_at (LD_MAP_DRAG_INCIDENT, ids, MKT_LAT + 0.1, MKT_LON + 0.1));
}

static GtkWidget *
find_label (GtkWidget *root, const char *text)
{
  if (GTK_IS_LABEL (root) && g_str_equal (gtk_label_get_label (GTK_LABEL (root)), text))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);
      if (found)
        return found;
    }
  return NULL;
}

/* The Undo button of the toast titled @title, or NULL when it has gone. */
static GtkWidget *
toast_undo (const char *title)
{
  GtkWidget *toast = find_label (GTK_WIDGET (desk->window), title);

  while (toast && g_strcmp0 (gtk_widget_get_css_name (toast), "toast") != 0)
    toast = gtk_widget_get_parent (toast);
  return toast ? find_button (toast, "_Undo") : NULL;
}

/* libadwaita 1.2 frees a toast dismissed before its slide-in is over and
 * then touches it when the slide-in ends (fixed upstream in 1.3 by commit
 * 1674ebc9 "toast-overlay: Prevent show_done from firing after hide_done"):
 * the toast is given the time a person takes to read it before it is
 * taken back or replaced. */
static void
settle (void)
{
  run_for (700);
}

/* Taken back by Ctrl+Z's action or by the toast's button: no order, not
 * even after the undo time. A drop made while another waits sends the
 * waiting one at once. */
static void
test_undo (void)
{
  Desk *d = open_desk ();
  const char *market[] = { "MKT", NULL };
  const char *town[] = { "TOWN", NULL };
  const char *police[] = { "POL", NULL };
  const char *first[] = { d->undo[0], NULL };
  const char *second[] = { d->undo[1], NULL };
  const char *third[] = { d->undo[2], NULL };
  const char *fourth[] = { d->undo[3], NULL };
  GtkWidget *undo;

  ld_dispatch_page_request_dispatch (d->page, first, market);
  settle ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (d->page), "dispatch.undo", NULL));
  ld_dispatch_page_request_dispatch (d->page, second, town);
  g_assert_true (wait_within (ld_test_is_shown, &(LdTestShown) { GTK_WIDGET (d->window), "Dispatching to B command room" }, 2000));
  settle ();
  undo = toast_undo ("Dispatching to B command room");
  g_assert_nonnull (undo);
  g_assert_true (gtk_widget_get_mapped (undo));
  g_signal_emit_by_name (undo, "clicked");
  run_for (UNDO_MS + 1000);
  /* Nothing is left to take back. */
  g_assert_false (ld_dispatch_page_undo_dispatch (d->page));
  g_assert_cmpuint (n_orders (d->undo[0]), ==, 0);
  g_assert_cmpuint (n_orders (d->undo[1]), ==, 0);

  ld_dispatch_page_request_dispatch (d->page, third, police);
  settle ();
  g_assert_cmpuint (n_orders (d->undo[2]), ==, 0);
  ld_dispatch_page_request_dispatch (d->page, fourth, town);
  assert_one_order (d->undo[2], "POL");
  g_assert_cmpuint (n_orders (d->undo[3]), ==, 0);
  g_assert_false (wait_within (has_orders, d->undo[3], UNDO_MS - 500));
  g_assert_true (wait_within (has_orders, d->undo[3], SEND_GRACE_MS + 500));
  assert_one_order (d->undo[2], "POL");
  assert_one_order (d->undo[3], "TOWN");
  wait_sent ();
  g_assert_cmpuint (n_orders (d->undo[0]), ==, 0);
  g_assert_cmpuint (n_orders (d->undo[1]), ==, 0);
}

/* Two units dragged together onto an incident's mark: joint handling, one
 * order each. */
static void
test_joint (void)
{
  Desk *d = open_desk ();
  const char *units[] = { "POL", "TOWN", NULL };
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  wait_drawn (ld_map_view_get_incidents (d->map), JOINT_LAT, JOINT_LON, "the incident drawn");
  g_assert_true (drop_at (LD_MAP_DRAG_UNITS, units, JOINT_LAT, JOINT_LON));
  g_assert_true (wait_within (ld_test_is_shown, &(LdTestShown) { GTK_WIDGET (d->window), "Dispatching to 2 units" }, 2000));
  g_assert_true (wait_within (has_orders, d->joint, UNDO_MS + SEND_GRACE_MS));
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
 * the reason said; nothing is dispatched once the undo time is over. */
static void
test_refusals (void)
{
  Desk *d = open_desk ();
  const char *town[] = { "TOWN", NULL };
  const char *busy[] = { d->busy, NULL };
  LdTestShown closed_said = { GTK_WIDGET (d->window), "Only an open incident can be dispatched." };
  LdTestShown busy_said = { GTK_WIDGET (d->window), "Market regulation already has this incident." };

  wait_drawn (ld_map_view_get_incidents (d->map), CLOSED_LAT, CLOSED_LON, "the closed incident drawn");
  wait_drawn (ld_map_view_get_units (d->map), MKT_LAT, MKT_LON, "the units drawn");
  g_assert_cmpuint (n_orders (d->busy), ==, 1);

  g_assert_true (drop_at (LD_MAP_DRAG_UNITS, town, CLOSED_LAT, CLOSED_LON));
  ld_test_wait_until (ld_test_is_shown, &closed_said, "the reason a closed incident is refused");
  g_assert_true (drop_at (LD_MAP_DRAG_INCIDENT, busy, MKT_LAT, MKT_LON));
  /* Toasts take turns: the second reason shows when the first has gone. */
  ld_test_wait_until (ld_test_is_shown, &busy_said, "the reason a busy unit is refused");
  run_for (UNDO_MS + 500);
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
test_late_panel (void)
{
  Desk *d = open_desk ();
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

/* A part of one address narrows the board, and its map, to that incident;
 * cleared, the board is back. */
static void
test_search (void)
{
  Desk *d = open_desk ();
  GtkSearchEntry *search = board_search ();
  GListModel *all = ld_dispatch_page_get_model (d->page);
  guint n_all = g_list_model_get_n_items (all);
  guint n_drawn = ld_point_layer_get_n_points (ld_map_view_get_incidents (d->map));
  g_autofree char *board_text = NULL;
  g_autofree char *prefix = g_strdup_printf ("%u incidents on the board, ", n_all);
  g_autoptr(LdIncidentItem) found = NULL;
  Reads r;

  g_assert_cmpuint (n_all, >, 1);
  g_assert_cmpuint (g_list_model_get_n_items (board_rows ()), ==, n_all);
  g_assert_cmpuint (n_drawn, >, 1);
  board_text = g_strdup (gtk_label_get_label (board_summary ()));
  g_assert_true (g_str_has_prefix (board_text, prefix));

  gtk_editable_set_text (GTK_EDITABLE (search), "中山路");
  r.label = board_summary ();
  r.text = "1 matching incident";
  ld_test_wait_until (reads, &r, "the search's summary");
  g_assert_cmpuint (g_list_model_get_n_items (board_rows ()), ==, 1);
  found = g_list_model_get_item (board_rows (), 0);
  g_assert_cmpstr (ld_incident_item_get_incident (found)->address, ==, DROP_ADDRESS);
  run_for (100);
  g_assert_cmpuint (ld_point_layer_get_n_points (ld_map_view_get_incidents (d->map)), ==, 1);

  gtk_editable_set_text (GTK_EDITABLE (search), "");
  r.text = board_text;
  ld_test_wait_until (reads, &r, "the board's summary back");
  g_assert_cmpuint (g_list_model_get_n_items (board_rows ()), ==, n_all);
  run_for (100);
  g_assert_cmpuint (ld_point_layer_get_n_points (ld_map_view_get_incidents (d->map)), ==, n_drawn);

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
    run_for (100);
    g_assert_cmpuint (ld_point_layer_get_n_points (ld_map_view_get_incidents (d->map)), <, n_drawn);
    gtk_drop_down_set_selected (state, 0);
    g_assert_cmpuint (g_list_model_get_n_items (board_rows ()), ==, n_all);
  }
}

typedef struct {
  guchar *pixels;
  gsize   stride;
  int     width, height;
} Picture;

/* The map view as the window would draw it now. */
static Picture
render_map (void)
{
  GtkWidget *view = GTK_WIDGET (desk->map);
  int width = gtk_widget_get_width (view), height = gtk_widget_get_height (view);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (view);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (desk->window));
  Picture p = { NULL, (gsize) width * 4, width, height };

  g_assert_cmpint (width, >, 300);
  g_assert_cmpint (height, >, 150);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);
  p.pixels = g_malloc (p.stride * height);
  gdk_texture_download (texture, p.pixels, p.stride);
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

/* What the map draws: a new incident amber, a free unit green, and plain
 * map between them. */
static void
test_layers_render (void)
{
  Desk *d = open_desk ();
  g_autofree guchar *pixels = NULL;
  Picture p;
  double x, y, empty_lat, empty_lon;

  /* The search case leaves the whole board on the map: make sure. */
  gtk_editable_set_text (GTK_EDITABLE (board_search ()), "");
  ld_map_view_go_to (d->map, RENDER_LAT, (RENDER_LON + FIRE_LON) / 2, 15);
  wait_drawn (ld_map_view_get_incidents (d->map), RENDER_LAT, RENDER_LON, "the new incident drawn close up");
  wait_drawn (ld_map_view_get_units (d->map), FIRE_LAT, FIRE_LON, "the free unit drawn close up");
  wait_drawn (ld_map_view_get_drills (d->map), DRILL_LAT, DRILL_LON, "the drill drawn close up");

  p = render_map ();
  pixels = p.pixels;
  assert_colour_at (&p, RENDER_LAT, RENDER_LON, NEW_RGB, TRUE);
  assert_colour_at (&p, FIRE_LAT, FIRE_LON, UNIT_RGB, TRUE);
  assert_colour_at (&p, DRILL_LAT, DRILL_LON, DRILL_RGB, TRUE);
  /* 80 px above the middle of the two: nothing is there. */
  ld_map_view_to_widget (d->map, RENDER_LAT, (RENDER_LON + FIRE_LON) / 2, &x, &y);
  ld_map_view_to_location (d->map, x, y - 80, &empty_lat, &empty_lon);
  assert_colour_at (&p, empty_lat, empty_lon, NEW_RGB, FALSE);
  assert_colour_at (&p, empty_lat, empty_lon, UNIT_RGB, FALSE);
  assert_colour_at (&p, empty_lat, empty_lon, DRILL_RGB, FALSE);
}

/* A drill's mark tells the dispatcher that a call from there may be the
 * drill's; a dispatcher has no Drills workspace to open it in. */
static void
test_drill_on_map (void)
{
  Desk *d = open_desk ();
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
test_fits_a_laptop (void)
{
  Desk *d = open_desk ();
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
  int status;

  if (!ld_test_desk_init (&argc, &argv))
    return 0;
  g_test_add_func ("/dispatch/drop-on-map-creates-orders", test_drop_on_map);
  g_test_add_func ("/dispatch/undo", test_undo);
  g_test_add_func ("/dispatch/joint", test_joint);
  g_test_add_func ("/dispatch/refusals", test_refusals);
  g_test_add_func ("/dispatch/late-panel", test_late_panel);
  g_test_add_func ("/dispatch/search", test_search);
  g_test_add_func ("/dispatch/layers-render", test_layers_render);
  g_test_add_func ("/dispatch/drill-on-map", test_drill_on_map);
  g_test_add_func ("/dispatch/fits-a-laptop", test_fits_a_laptop);
  status = g_test_run ();
  close_desk ();
  return status;
}
