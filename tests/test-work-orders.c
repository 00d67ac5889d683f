/* test-work-orders.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A unit's desk against a real server, with a dispatcher's desk beside
 * it: the order the dispatcher sends comes in highlighted and announced,
 * and the unit signs, feeds back, returns — and sees no dispatcher's
 * control. */

#include "config.h"

#include <adwaita.h>
#include <signal.h>

#include "ld-order-row.h"
#include "ld-orders-page.h"
#include "ld-duty-roster-window.h"
#include "ld-roll-call-prompt.h"
#include "ld-test-city.h"
#include "ld-test-desk.h"
#include "ld-test-server.h"
#include "ld-test-util.h"
#include "ld-window.h"

#define MINUTE_US (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)

typedef struct {
  char          *dir;
  char          *db;
  GSubprocess   *server;
  SoupSession   *session;
  GSettings     *settings;
  LdAccount     *unit_account;
  LdReplica     *unit_replica;
  LdSyncEngine  *unit;
  LdAccount     *dispatcher_account;
  LdReplica     *dispatcher_replica;
  LdSyncEngine  *dispatcher;
  LdWindow      *window;
  LdOrdersPage  *page;
  guint          n_arrived;
  char          *arrived;
  char          *settled;
  guint          n_refused;
} Desk;

static char *old_order;      /* sent to the market unit before its desk opened */
static char *new_incident;   /* not dispatched when the desk opens */

static void
build_city (const char *db)
{
  g_autoptr(LdStore) city = ld_test_city_new (db);
  g_autoptr(GError) error = NULL;
  g_autofree char *old_incident = NULL;
  gint64 now = g_get_real_time ();
  LdIncident inc = { 0, };

  inc.received_at = now - 30 * MINUTE_US;
  inc.source = (char *) "110";
  inc.kind = (char *) "linkage";
  inc.region_code = (char *) "A";
  inc.category = (char *) "noise";
  inc.summary = (char *) "loud music from a shop";
  inc.address = (char *) "12 Ring Road";
  inc.caller_phone = (char *) "13800000000";
  inc.lat = 30.5;
  inc.lon = 120.5;
  old_incident = ld_store_add_incident (city, &inc, &ld_test_actor, &error);
  g_assert_no_error (error);
  g_free (old_order);
  old_order = ld_store_dispatch (city, NULL, old_incident, "MKT", now - 29 * MINUTE_US, &ld_test_actor, &error);
  g_assert_no_error (error);

  inc.received_at = now - 2 * MINUTE_US;
  inc.summary = (char *) "a water main burst under the market";
  inc.address = (char *) "3 Market Street";
  g_free (new_incident);
  new_incident = ld_store_add_incident (city, &inc, &ld_test_actor, &error);
  g_assert_no_error (error);
}

/* `user add --unit`: the server's own way to make a unit's user. */
static void
add_unit_user (const char *db, const char *name, const char *unit_code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) add = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE, &error, g_getenv ("LIANDONG_SERVER"),
                                                 "user", "add", "--db", db, name, "--role", "unit",
                                                 "--unit", unit_code, "--password-stdin", NULL);

  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (add, "a-long-password\n", NULL, NULL, NULL, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (add), ==, 0);
}

static void
on_arrived (LdOrdersPage *page, const char *order_id, GNotification *notification, Desk *d)
{
  g_assert_true (G_IS_NOTIFICATION (notification));
  d->n_arrived++;
  g_free (d->arrived);
  d->arrived = g_strdup (order_id);
}

static void
on_settled (LdOrdersPage *page, const char *order_id, Desk *d)
{
  g_free (d->settled);
  d->settled = g_strdup (order_id);
}

static void
on_refused (LdSyncEngine *engine, JsonObject *op, const char *code, const char *reason, Desk *d)
{
  g_test_message ("refused (%s): %s", code, reason);
  d->n_refused++;
}

static void
desk_set_up (Desk *d, gconstpointer data)
{
  g_autofree char *base = NULL;
  g_autofree char *unit_home = NULL;
  g_autofree char *dispatcher_home = NULL;

  d->dir = ld_test_make_tmp ("ld-orders-XXXXXX");
  d->db = g_build_filename (d->dir, "server.db", NULL);
  unit_home = g_build_filename (d->dir, "unit", NULL);
  dispatcher_home = g_build_filename (d->dir, "dispatcher", NULL);
  build_city (d->db);
  ld_test_server_add_user (d->db, "d1", "dispatcher");
  add_unit_user (d->db, "mkt", "MKT");
  d->server = ld_test_server_spawn (d->db, "127.0.0.1:0", &base);
  d->session = soup_session_new ();
  d->settings = g_settings_new ("cn.liandong.Liandong");

  ld_test_sign_in (d->session, dispatcher_home, base, "d1", &d->dispatcher_account, &d->dispatcher_replica);
  d->dispatcher = ld_sync_engine_new (d->session, d->dispatcher_account, d->dispatcher_replica);
  ld_sync_engine_set_min_backoff (d->dispatcher, 20);
  ld_sync_engine_start (d->dispatcher);

  ld_test_sign_in (d->session, unit_home, base, "mkt", &d->unit_account, &d->unit_replica);
  d->unit = ld_sync_engine_new (d->session, d->unit_account, d->unit_replica);
  ld_sync_engine_set_min_backoff (d->unit, 20);
  g_signal_connect (d->unit, "refused", G_CALLBACK (on_refused), d);
  ld_sync_engine_start (d->unit);
  d->window = ld_window_new (NULL, d->settings, d->unit);
  gtk_window_set_default_size (GTK_WINDOW (d->window), 1366, 768);
  gtk_window_present (GTK_WINDOW (d->window));
  d->page = LD_ORDERS_PAGE (ld_window_get_orders_page (d->window));
  g_signal_connect (d->page, "order-arrived", G_CALLBACK (on_arrived), d);
  g_signal_connect (d->page, "order-settled", G_CALLBACK (on_settled), d);
  ld_test_wait_until (ld_test_engine_is_drained, d->dispatcher, "the dispatcher's link");
  ld_test_wait_until (ld_test_engine_is_drained, d->unit, "the unit's link");
}

static void
desk_tear_down (Desk *d, gconstpointer data)
{
  ld_sync_engine_stop (d->unit);
  ld_sync_engine_stop (d->dispatcher);
  gtk_window_destroy (GTK_WINDOW (d->window));
  g_subprocess_send_signal (d->server, SIGTERM);
  g_subprocess_wait (d->server, NULL, NULL);
  g_clear_object (&d->server);
  g_clear_object (&d->unit);
  g_clear_object (&d->unit_account);
  g_clear_object (&d->unit_replica);
  g_clear_object (&d->dispatcher);
  g_clear_object (&d->dispatcher_account);
  g_clear_object (&d->dispatcher_replica);
  g_clear_object (&d->settings);
  g_clear_object (&d->session);
  g_free (d->arrived);
  g_free (d->settled);
  g_free (d->db);
  g_free (d->dir);
}

/* The order as the server holds it. */
static LdOrder *
server_order (Desk *d, const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdStore) store = ld_store_open (d->db, &error);
  LdOrder *order;

  g_assert_no_error (error);
  order = ld_store_get_order (store, id, &error);
  g_assert_no_error (error);
  return order;
}

static GtkWidget *
find_entry (GtkWidget *root, const char *placeholder)
{
  if (GTK_IS_ENTRY (root) && g_strcmp0 (gtk_entry_get_placeholder_text (GTK_ENTRY (root)), placeholder) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_entry (child, placeholder);

      if (found)
        return found;
    }
  return NULL;
}

static GtkWidget *
button (Desk *d, const char *label)
{
  GtkWidget *b = ld_test_find_widget (GTK_WIDGET (d->page), GTK_TYPE_BUTTON, label);

  g_assert_nonnull (b);
  return b;
}

/* The drop-down whose first item reads @first. */
static GtkWidget *
find_drop_down (GtkWidget *root, const char *first)
{
  if (GTK_IS_DROP_DOWN (root))
    {
      GListModel *model = gtk_drop_down_get_model (GTK_DROP_DOWN (root));

      if (GTK_IS_STRING_LIST (model) && g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), 0), first) == 0)
        return root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_drop_down (child, first);

      if (found)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_menu_button (GtkWidget *root, const char *label)
{
  if (GTK_IS_MENU_BUTTON (root) && g_strcmp0 (gtk_menu_button_get_label (GTK_MENU_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_menu_button (child, label);

      if (found)
        return found;
    }
  return NULL;
}

/* A control of the card is there to use: shown, with its parents. */
static gboolean
offered (Desk *d, const char *label)
{
  GtkWidget *b = ld_test_find_widget (GTK_WIDGET (d->page), GTK_TYPE_BUTTON, label);

  if (b == NULL)
    b = find_menu_button (GTK_WIDGET (d->page), label);
  g_assert_nonnull (b);
  return gtk_widget_is_visible (b);
}

static void
press (Desk *d, const char *label)
{
  g_signal_emit_by_name (button (d, label), "clicked");
}

typedef struct {
  Desk       *desk;
  const char *id;
  const char *state;
} OrderState;

/* Both the replica and the server hold the order in @state, nothing waits. */
static gboolean
order_is (gpointer data)
{
  OrderState *s = data;
  g_autoptr(LdOrder) local = NULL;
  g_autoptr(LdOrder) remote = NULL;

  if (!ld_test_engine_is_drained (s->desk->unit))
    return FALSE;
  local = ld_store_get_order (ld_sync_engine_get_store (s->desk->unit), s->id, NULL);
  remote = server_order (s->desk, s->id);
  return local && g_strcmp0 (local->state, s->state) == 0 && g_strcmp0 (remote->state, s->state) == 0;
}

static gboolean
has_arrived (gpointer data)
{
  return ((Desk *) data)->n_arrived > 0;
}

static gboolean
no_fresh (gpointer data)
{
  return ld_orders_page_get_n_fresh (data) == 0;
}

static void
submit (LdSyncEngine *engine, const char *id, const char *action, JsonObject *fields)
{
  g_autoptr(JsonObject) op = json_object_new ();
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (op, "entity", "order");
  json_object_set_string_member (op, "entity_id", id);
  json_object_set_string_member (op, "action", action);
  json_object_set_object_member (op, "fields", fields);
  g_assert_true (ld_sync_engine_submit (engine, op, &error));
  g_assert_no_error (error);
}

typedef struct {
  Desk       *desk;
  const char *id;
} Ruled;

/* The unit's replica holds the center's ruling on the return, and the
 * extension's. */
static gboolean
return_ruled (gpointer data)
{
  Ruled *r = data;
  g_autoptr(LdOrder) o = ld_store_get_order (ld_sync_engine_get_store (r->desk->unit), r->id, NULL);

  return ld_test_engine_is_drained (r->desk->unit) && o && o->return_ruling != NULL;
}

static gboolean
extension_ruled (gpointer data)
{
  Ruled *r = data;
  g_autoptr(LdOrder) o = ld_store_get_order (ld_sync_engine_get_store (r->desk->unit), r->id, NULL);

  return ld_test_engine_is_drained (r->desk->unit) && o && o->extension_ruling != NULL;
}

static char *
dispatch (Desk *d, const char *incident_id)
{
  JsonObject *fields = json_object_new ();
  char *order_id = ld_id_new (g_get_real_time ());

  json_object_set_string_member (fields, "incident_id", incident_id);
  json_object_set_string_member (fields, "unit_code", "MKT");
  submit (d->dispatcher, order_id, "dispatch", fields);
  return order_id;
}

/* The order the dispatcher sends reaches the unit's desk by itself: it is
 * announced once, stays highlighted at the top of "To Sign" — above the
 * order that was there before — and is no longer new once signed. */
static void
test_arrival (Desk *d, gconstpointer data)
{
  g_autofree char *order_id = NULL;
  GtkWidget *first;
  OrderState signed_ = { d, NULL, "signed" };

  /* What the replica held at the start is not news. */
  g_assert_cmpuint (ld_orders_page_get_n_fresh (d->page), ==, 0);
  first = ld_test_find_widget (GTK_WIDGET (d->page), LD_TYPE_ORDER_ROW, NULL);
  g_assert_nonnull (first);
  g_assert_cmpstr (ld_order_row_get_order_id (LD_ORDER_ROW (first)), ==, old_order);

  order_id = dispatch (d, new_incident);
  ld_test_wait_until (ld_test_engine_is_drained, d->dispatcher, "the dispatch sent");
  ld_test_wait_until (has_arrived, d, "the order announced on the unit's desk");
  g_assert_cmpuint (d->n_arrived, ==, 1);
  g_assert_cmpstr (d->arrived, ==, order_id);
  g_assert_true (ld_orders_page_is_fresh (d->page, order_id));
  first = ld_test_find_widget (GTK_WIDGET (d->page), LD_TYPE_ORDER_ROW, NULL);
  g_assert_cmpstr (ld_order_row_get_order_id (LD_ORDER_ROW (first)), ==, order_id);
  g_assert_true (ld_order_row_get_fresh (LD_ORDER_ROW (first)));
  g_assert_true (gtk_widget_has_css_class (first, "fresh-order"));
  /* The card the unit was reading stays: a new order takes no work away. */
  g_assert_cmpstr (ld_orders_page_get_selected (d->page), ==, old_order);
  ld_orders_page_select (d->page, order_id);

  g_assert_true (offered (d, "_Sign for It"));
  press (d, "_Sign for It");
  signed_.id = order_id;
  ld_test_wait_until (order_is, &signed_, "the signature on the server");
  ld_test_wait_until (no_fresh, d->page, "the highlight gone once signed");
  /* Its notification is withdrawn. */
  g_assert_cmpstr (d->settled, ==, order_id);
  /* The view follows the order to its next tab. */
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (
    ld_test_find_widget (GTK_WIDGET (d->page), ADW_TYPE_VIEW_STACK, NULL))), ==, "in-hand");
  /* Pulled again, it stays known: no second announcement. */
  g_assert_cmpuint (d->n_arrived, ==, 1);
}

/* Feedback goes with its kind and text, and is shown as typed; completion
 * is offered only once a result is reported. */
static void
test_feedback (Desk *d, gconstpointer data)
{
  OrderState state = { d, old_order, "signed" };
  LdTestShown shown = { GTK_WIDGET (d->page), "<b>Pipe</b> & valve: 5 people on it" };
  g_autoptr(LdOrder) remote = NULL;
  GtkWidget *text;

  ld_orders_page_select (d->page, old_order);
  press (d, "_Sign for It");
  ld_test_wait_until (order_is, &state, "the signature");
  g_assert_false (offered (d, "_Complete"));

  text = find_entry (GTK_WIDGET (d->page), "What the unit reports");
  g_assert_nonnull (text);
  /* A blank report is not sent: the ideographic space is blank too. */
  gtk_editable_set_text (GTK_EDITABLE (text), " \u3000 ");
  press (d, "_Send Feedback");
  g_assert_cmpuint (ld_sync_engine_get_n_pending (d->unit), ==, 0);

  gtk_editable_set_text (GTK_EDITABLE (text), shown.text);
  press (d, "_Send Feedback");
  ld_test_wait_until (ld_test_engine_is_drained, d->unit, "the feedback sent");
  ld_test_wait_until (ld_test_is_shown, &shown, "the feedback on the card, as typed");
  remote = server_order (d, old_order);
  g_assert_cmpuint (remote->feedback_count, ==, 1);
  g_assert_cmpuint (d->n_refused, ==, 0);

  /* A report the unit gave the center by phone, logged at the center,
   * reaches the unit's card with its words. */
  {
    LdTestShown phoned = { GTK_WIDGET (d->page), "by phone: <i>crew</i> & pump on the way" };
    JsonObject *fields = json_object_new ();

    json_object_set_string_member (fields, "kind", "progress");
    json_object_set_string_member (fields, "text", phoned.text);
    submit (d->dispatcher, old_order, "feedback", fields);
    ld_test_wait_until (ld_test_is_shown, &phoned, "the center's log of a phoned report, on the card");
  }

  press (d, "_Arrived on Scene");
  state.state = "arrived";
  ld_test_wait_until (order_is, &state, "the arrival");
  /* A progress report is no result. */
  g_assert_false (offered (d, "_Complete"));
  gtk_editable_set_text (GTK_EDITABLE (text), "noise stopped, shop closed");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (ld_test_find_widget (GTK_WIDGET (d->page), GTK_TYPE_DROP_DOWN, NULL)), 2);
  press (d, "_Send Feedback");
  ld_test_wait_until (ld_test_engine_is_drained, d->unit, "the result sent");
  g_assert_true (offered (d, "_Complete"));
  press (d, "_Complete");
  state.state = "completed";
  ld_test_wait_until (order_is, &state, "the completion");
  g_assert_false (offered (d, "_Feedback…"));
  g_assert_false (offered (d, "_Return…"));
}

/* A return needs a reason that is not blank and says whose duty it is. */
static void
test_return (Desk *d, gconstpointer data)
{
  OrderState state = { d, old_order, "returned" };
  GtkWidget *reason = find_entry (GTK_WIDGET (d->page), "Why the unit returns the order");
  GtkWidget *basis = find_entry (GTK_WIDGET (d->page), "The rule or fact it rests on");
  g_autoptr(LdOrder) remote = NULL;

  ld_orders_page_select (d->page, old_order);
  g_assert_true (offered (d, "_Return…"));
  press (d, "_Return Order");
  gtk_editable_set_text (GTK_EDITABLE (reason), "\u3000");
  press (d, "_Return Order");
  /* "Not ours" without its basis is not sent either. */
  gtk_editable_set_text (GTK_EDITABLE (reason), "a shop's noise at night is the police's");
  press (d, "_Return Order");
  g_assert_cmpuint (ld_sync_engine_get_n_pending (d->unit), ==, 0);
  remote = server_order (d, old_order);
  g_assert_cmpstr (remote->state, ==, "dispatched");
  g_clear_pointer (&remote, ld_order_free);

  gtk_editable_set_text (GTK_EDITABLE (basis), "responsibility list item 3.2");
  press (d, "_Return Order");
  ld_test_wait_until (order_is, &state, "the return on the server");
  remote = server_order (d, old_order);
  g_assert_cmpstr (remote->return_reason, ==, "a shop's noise at night is the police's");
  g_assert_true (remote->not_ours);
  g_assert_cmpstr (remote->basis, ==, "responsibility list item 3.2");
  g_assert_false (offered (d, "_Return…"));
  g_assert_false (offered (d, "_Sign for It"));
}

/* The center overrules the return: the order is back in the unit's hands
 * with the ruling on its card, and no second return is offered. The unit
 * asks for more time; approved, the deadline moves. */
static void
test_rulings (Desk *d, gconstpointer data)
{
  OrderState state = { d, old_order, "returned" };
  Ruled ruled = { d, old_order };
  LdTestShown overruled = { GTK_WIDGET (d->page), "Return overruled by the center" };
  JsonObject *fields;
  g_autoptr(LdOrder) remote = NULL;

  ld_orders_page_select (d->page, old_order);
  gtk_editable_set_text (GTK_EDITABLE (find_entry (GTK_WIDGET (d->page), "Why the unit returns the order")),
                         "not ours");
  /* This time the return names the unit whose duty it is. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (find_drop_down (GTK_WIDGET (d->page),
                                                               "Not this unit's duty (give the basis)")), 1);
  press (d, "_Return Order");
  ld_test_wait_until (order_is, &state, "the return");
  remote = server_order (d, old_order);
  g_assert_nonnull (remote->duty_unit_code);
  g_assert_cmpstr (remote->duty_unit_code, !=, "MKT");
  g_assert_false (remote->not_ours);
  g_clear_pointer (&remote, ld_order_free);

  ld_test_wait_until (ld_test_engine_is_drained, d->dispatcher, "the return reaching the dispatcher");
  fields = json_object_new ();
  json_object_set_string_member (fields, "ruling", "overrule");
  json_object_set_string_member (fields, "reason", "shops are the market's");
  submit (d->dispatcher, old_order, "rule-return", fields);
  ld_test_wait_until (return_ruled, &ruled, "the ruling on the unit's desk");
  ld_test_wait_until (ld_test_is_shown, &overruled, "the ruling on the card");
  g_assert_false (offered (d, "_Return…"));

  press (d, "_Sign for It");
  state.state = "signed";
  ld_test_wait_until (order_is, &state, "the signature");
  g_assert_true (offered (d, "Ask for _More Time…"));
  gtk_editable_set_text (GTK_EDITABLE (find_entry (GTK_WIDGET (d->page), "Why the deadline should move")),
                         "the shop owner is away until tonight");
  press (d, "Send _Request");
  ld_test_wait_until (ld_test_engine_is_drained, d->unit, "the request sent");
  g_assert_cmpuint (d->n_refused, ==, 0);
  remote = server_order (d, old_order);
  g_assert_cmpint (remote->extension_requested_at, !=, LD_TIME_NONE);
  g_assert_cmpstr (remote->extension_step, ==, "feedback");
  /* One request waits at a time. */
  g_assert_false (offered (d, "Ask for _More Time…"));

  ld_test_wait_until (ld_test_engine_is_drained, d->dispatcher, "the request reaching the dispatcher");
  fields = json_object_new ();
  json_object_set_string_member (fields, "ruling", "approve");
  submit (d->dispatcher, old_order, "rule-extension", fields);
  ld_test_wait_until (extension_ruled, &ruled, "the approval on the unit's desk");
  g_clear_pointer (&remote, ld_order_free);
  remote = server_order (d, old_order);
  g_assert_cmpint (remote->feedback_due, ==, remote->extension_until);
  g_assert_false (offered (d, "Ask for _More Time…"));
}

static gboolean
any_shown (GtkWidget *root, GType type, const char *label)
{
  GtkWidget *w = ld_test_find_widget (root, type, label);

  return w && gtk_widget_get_mapped (w);
}

/* Counts the groups titled @title in @widget that are shown, and those
 * that are not. */
static void
count_groups (GtkWidget *widget, const char *title, guint *shown, guint *hidden)
{
  if (GTK_IS_SHORTCUTS_GROUP (widget))
    {
      g_autofree char *t = NULL;

      g_object_get (widget, "title", &t, NULL);
      if (g_strcmp0 (t, title) == 0)
        (*(gtk_widget_get_visible (widget) ? shown : hidden))++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    count_groups (child, title, shown, hidden);
}

static gboolean
group_shown (GtkWidget *root, const char *title)
{
  guint shown = 0, hidden = 0;

  count_groups (root, title, &shown, &hidden);
  g_assert_cmpuint (shown + hidden, >, 0);
  return shown > 0;
}

/* A unit's desk is the work orders alone: no dispatch, intake or
 * verification, and the shortcuts window lists no dispatcher's key. */
static void
test_unit_sees_no_dispatch (Desk *d, gconstpointer data)
{
  g_auto(GStrv) workspaces = ld_window_list_workspaces (d->window);
  GtkShortcutsWindow *help = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (d->window));

  g_assert_cmpuint (g_strv_length (workspaces), ==, 1);
  g_assert_cmpstr (workspaces[0], ==, "orders");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (d->page)));
  g_assert_false (gtk_widget_get_mapped (ld_window_get_dispatch_page (d->window)));
  g_assert_false (any_shown (GTK_WIDGET (d->window), GTK_TYPE_BUTTON, "_Record Incident"));
  g_assert_false (any_shown (GTK_WIDGET (d->window), GTK_TYPE_BUTTON, "_Dispatch to…"));
  g_assert_false (any_shown (GTK_WIDGET (d->window), GTK_TYPE_BUTTON, "_Verify and Close"));

  g_assert_nonnull (help);
  g_assert_true (group_shown (GTK_WIDGET (help), "Connection"));
  g_assert_false (group_shown (GTK_WIDGET (help), "Dispatch"));
  g_assert_false (group_shown (GTK_WIDGET (help), "Workspaces"));
}

static gboolean
prompt_shown (gpointer prompt)
{
  return ld_roll_call_prompt_get_text (prompt) != NULL;
}

static gboolean
roll_call_answered (gpointer data)
{
  Desk *d = data;
  LdStore *store = ld_sync_engine_get_store (d->dispatcher);
  LdPeriod today = ld_period_day (ld_store_get_time_zone (store), ld_time_now ());
  g_autoptr(GPtrArray) rows = ld_store_list_roll_calls (store, &today, "MKT", NULL);

  return rows && rows->len == 1 && ((LdRollCall *) g_ptr_array_index (rows, 0))->answered_at != LD_TIME_NONE;
}

/* The center calls the roll: the unit's desk counts the time down and the
 * unit answers, on the server's clock; then the prompt is gone. */
static void
test_roll_call (Desk *d, gconstpointer data)
{
  GtkWidget *prompt = ld_test_find_widget (GTK_WIDGET (d->page), LD_TYPE_ROLL_CALL_PROMPT, NULL);
  g_autoptr(JsonObject) op = json_object_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *fields = json_object_new ();
  JsonArray *codes = json_array_new ();

  g_assert_nonnull (prompt);
  g_assert_null (ld_roll_call_prompt_get_text (LD_ROLL_CALL_PROMPT (prompt)));
  json_array_add_string_element (codes, "MKT");
  json_object_set_array_member (fields, "unit_codes", codes);
  json_object_set_int_member (fields, "limit_s", 180);
  json_object_set_string_member (op, "entity", "roll_call");
  json_object_set_string_member (op, "entity_id", "roll-call-1");
  json_object_set_string_member (op, "action", "start");
  json_object_set_object_member (op, "fields", fields);
  g_assert_true (ld_sync_engine_submit (d->dispatcher, op, &error));
  g_assert_no_error (error);

  ld_test_wait_until (prompt_shown, prompt, "the roll call's prompt");
  g_assert_true (g_str_has_prefix (ld_roll_call_prompt_get_text (LD_ROLL_CALL_PROMPT (prompt)),
                                   "Roll call from the center: answer within "));
  ld_roll_call_prompt_answer (LD_ROLL_CALL_PROMPT (prompt));
  g_assert_null (ld_roll_call_prompt_get_text (LD_ROLL_CALL_PROMPT (prompt)));
  ld_test_wait_until (roll_call_answered, d, "the answer at the center");
}

static gboolean
turn_at_center (gpointer data)
{
  Desk *d = data;
  g_autoptr(LdDuty) turn = ld_store_get_on_duty (ld_sync_engine_get_store (d->dispatcher), "MKT",
                                                 ld_time_now (), NULL);

  return turn != NULL && g_str_equal (turn->name, "<b>王芳 & 李四");
}

/* The unit keeps its own roster: a turn it adds reaches the center, who
 * then calls the one on duty; a turn that ends before it begins is not
 * sent. */
static void
test_duty_roster (Desk *d, gconstpointer data)
{
  GTimeZone *tz = ld_store_get_time_zone (ld_sync_engine_get_store (d->unit));
  g_autofree char *from = ld_time_format (ld_time_now () - 60 * MINUTE_US, tz);
  g_autofree char *to = ld_time_format (ld_time_now () + 60 * MINUTE_US, tz);
  LdDutyRosterWindow *roster = ld_duty_roster_window_new (GTK_WINDOW (d->window), d->unit);
  g_auto(GStrv) turns = NULL;

  g_assert_false (ld_duty_roster_window_add (roster, "张三", "13800000001", to, from));
  g_assert_true (ld_duty_roster_window_add (roster, "<b>王芳 & 李四", "13800000002", from, to));
  turns = ld_duty_roster_window_list_turns (roster);
  g_assert_cmpuint (g_strv_length (turns), ==, 1);
  g_assert_true (g_str_has_prefix (turns[0], "<b>王芳 & 李四 · 13800000002"));
  ld_test_wait_until (turn_at_center, d, "the turn at the center");
  gtk_window_destroy (GTK_WINDOW (roster));
}

int
main (int argc, char *argv[])
{
  ld_test_desk_init (&argc, &argv);

  g_test_add ("/work-orders/arrival", Desk, NULL, desk_set_up, test_arrival, desk_tear_down);
  g_test_add ("/work-orders/feedback", Desk, NULL, desk_set_up, test_feedback, desk_tear_down);
  g_test_add ("/work-orders/return", Desk, NULL, desk_set_up, test_return, desk_tear_down);
  g_test_add ("/work-orders/rulings", Desk, NULL, desk_set_up, test_rulings, desk_tear_down);
  g_test_add ("/work-orders/roll-call", Desk, NULL, desk_set_up, test_roll_call, desk_tear_down);
  g_test_add ("/work-orders/duty-roster", Desk, NULL, desk_set_up, test_duty_roster, desk_tear_down);
  g_test_add ("/work-orders/unit-sees-no-dispatch", Desk, NULL, desk_set_up, test_unit_sees_no_dispatch,
              desk_tear_down);
  return g_test_run ();
}
