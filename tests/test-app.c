/* test-app.c
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
#include "ld-sync-status.h"
#include "ld-test-desk.h"
#include "ld-test-city.h"
#include "ld-test-server.h"
#include "ld-test-util.h"
#include "ld-drill-plan-window.h"
#include "ld-simulator.h"
#include "ld-training-report-window.h"
#include "ld-window.h"

/* The application's windows on a virtual display against the real server:
 * sign in through the sign-in window, see the replica's rows on the duty
 * board, and see a change made on another desktop arrive. */

static gboolean
is_offline (gpointer data)
{
  return ld_sync_engine_get_state (data) == LD_SYNC_STATE_OFFLINE;
}

static void
add_incident (LdStore *store, const char *summary, const char *phone)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  LdIncident inc = { 0, };

  inc.received_at = ld_time_now ();
  inc.source = (char *) "110";
  inc.kind = (char *) "linkage";
  inc.region_code = (char *) "A";
  inc.category = (char *) "noise";
  inc.summary = (char *) summary;
  inc.caller_phone = (char *) phone;
  inc.lat = inc.lon = NAN;
  id = ld_store_add_incident (store, &inc, &ld_test_actor, &error);
  g_assert_no_error (error);
}

static void
test_sign_in_and_board (void)
{
  g_autofree char *dir = ld_test_make_tmp ("ld-app-XXXXXX");
  g_autofree char *db = g_build_filename (dir, "server.db", NULL);
  g_autofree char *desktop = g_build_filename (dir, "desktop", NULL);
  g_autofree char *base = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GSettings) settings = g_settings_new ("cn.liandong.Liandong");
  g_autoptr(LdSyncEngine) engine = NULL;
  g_autoptr(LdSyncEngine) other = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) workspaces = NULL;
  g_autofree char *shown_workspaces = NULL;
  g_autoptr(LdAccount) account = NULL;
  g_autoptr(LdReplica) replica = NULL;
  g_autoptr(LdAccount) account2 = NULL;
  g_autoptr(LdReplica) replica2 = NULL;
  LdWindow *window;
  GtkWidget *page;
  LdTestShown shown;

  {
    g_autoptr(LdStore) city = ld_test_city_new (db);
    add_incident (city, "noise at the market", "13900000001");
    add_incident (city, "music after midnight", NULL);
  }
  ld_test_server_add_user (db, "d1", "dispatcher");
  ld_test_server_add_user (db, "d2", "dispatcher");
  server = ld_test_server_spawn (db, "127.0.0.1:0", &base);

  /* Sign in as a person would, through the window. */
  ld_test_sign_in (session, desktop, base, "d1", &account, &replica);

  engine = ld_sync_engine_new (session, account, replica);
  ld_sync_engine_set_min_backoff (engine, 20);
  ld_sync_engine_start (engine);
  window = ld_window_new (NULL, settings, engine);
  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  gtk_window_present (GTK_WINDOW (window));
  page = ld_window_get_dispatch_page (window);

  workspaces = ld_window_list_workspaces (window);
  shown_workspaces = g_strjoinv (",", workspaces);
  g_assert_cmpstr (shown_workspaces, ==, "dispatch,dashboard");

  /* The rows of the replica, drawn. */
  g_assert_cmpuint (g_list_model_get_n_items (ld_dispatch_page_get_model (LD_DISPATCH_PAGE (page))), ==, 2);
  shown.root = page;
  shown.text = "music after midnight";
  ld_test_wait_until (ld_test_is_shown, &shown, "the board's rows");
  ld_test_wait_until (ld_test_engine_is_online, engine, "the link");
  shown.root = GTK_WIDGET (window);
  shown.text = "Online";
  ld_test_wait_until (ld_test_is_shown, &shown, "the connection state");

  /* Another desktop's new incident reaches this board through the feed. */
  {
    g_autoptr(JsonObject) op = json_object_new ();
    JsonObject *fields = json_object_new ();
    g_autofree char *id = ld_id_new (ld_time_now ());

    ld_test_sign_in (session, desktop, base, "d2", &account2, &replica2);
    other = ld_sync_engine_new (session, account2, replica2);
    ld_sync_engine_start (other);

    json_object_set_string_member (op, "entity", "incident");
    json_object_set_string_member (op, "entity_id", id);
    json_object_set_string_member (op, "action", "create");
    json_object_set_string_member (fields, "source", "110");
    json_object_set_string_member (fields, "kind", "linkage");
    json_object_set_string_member (fields, "category", "fire");
    json_object_set_string_member (fields, "region_code", "B");
    json_object_set_string_member (fields, "summary", "smoke from a warehouse");
    json_object_set_object_member (op, "fields", fields);
    g_assert_true (ld_sync_engine_submit (other, op, &error));
    g_assert_no_error (error);
  }
  shown.root = page;
  shown.text = "smoke from a warehouse";
  ld_test_wait_until (ld_test_is_shown, &shown, "the other desktop's incident");

  /* The cable pulled: the header says so. */
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  ld_test_wait_until (is_offline, engine, "the engine offline");
  shown.root = GTK_WIDGET (window);
  shown.text = "Offline";
  ld_test_wait_until (ld_test_is_shown, &shown, "the offline state");

  /* Work goes on offline: a call recorded through the intake window shows
   * at once, waits, and reaches the server when it is back. */
  g_assert_true (gtk_widget_activate_action (page, "dispatch.record-incident", NULL));
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    GtkWidget *intake = NULL;
    GtkWidget *summary = NULL;
    GtkWidget *record = NULL;
    g_autofree char *listen = g_strdup (base + strlen ("http://"));

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);
        if (g_str_equal (G_OBJECT_TYPE_NAME (w), "LdIntakeWindow"))
          intake = w;
      }
    g_assert_nonnull (intake);
    summary = ld_test_find_widget (intake, ADW_TYPE_ENTRY_ROW, "What the Caller Reports");
    record = ld_test_find_widget (intake, GTK_TYPE_BUTTON, "_Record");
    g_assert_nonnull (summary);
    g_assert_nonnull (record);
    /* The caller called before: said at once, before recording. */
    gtk_editable_set_text (GTK_EDITABLE (ld_test_find_widget (intake, ADW_TYPE_ENTRY_ROW, "Caller's Phone")), "13900000001");
    g_assert_true (gtk_widget_get_visible (ld_test_find_widget (intake, ADW_TYPE_ACTION_ROW,
                                                        "Repeat caller: 1 call in the last 72 hours")));
    gtk_editable_set_text (GTK_EDITABLE (summary), "tree fallen across the road");
    g_signal_emit_by_name (record, "clicked");

    shown.root = page;
    shown.text = "tree fallen across the road";
    ld_test_wait_until (ld_test_is_shown, &shown, "the incident recorded offline");
    shown.root = GTK_WIDGET (window);
    shown.text = "Offline · 1 change waiting";
    ld_test_wait_until (ld_test_is_shown, &shown, "the change waiting");

    g_clear_object (&server);
    g_free (base);
    server = ld_test_server_spawn (db, listen, &base);
    ld_sync_engine_reconnect (engine);
    ld_test_wait_until (ld_test_engine_is_drained, engine, "the change sent");
  }

  /* Through to closing, from the pane beside the board: dispatch to a
   * unit, record what it reports by phone, verify and close. */
  {
    LdStore *local = ld_sync_engine_get_store (engine);
    g_autoptr(GPtrArray) board = NULL;
    const char *id = NULL;
    GtkWidget *units;
    GtkListBoxRow *first;
    const char *steps[] = { "Record Signature", "Record Arrival", "Record Completion" };
    g_autoptr(LdIncident) closed = NULL;

    board = ld_store_list_board_incidents (local, 0, NULL);
    for (guint i = 0; i < board->len; i++)
      if (g_strcmp0 (((LdIncident *) g_ptr_array_index (board, i))->summary, "tree fallen across the road") == 0)
        id = ((LdIncident *) g_ptr_array_index (board, i))->id;
    g_assert_nonnull (id);
    ld_dispatch_page_select (LD_DISPATCH_PAGE (page), id);
    units = ld_test_find_widget (page, GTK_TYPE_LIST_BOX, NULL);
    first = gtk_list_box_get_row_at_index (GTK_LIST_BOX (units), 0);
    g_assert_nonnull (first);
    g_signal_emit_by_name (units, "row-activated", first);
    for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
      {
        GtkWidget *button = ld_test_find_widget (page, GTK_TYPE_BUTTON, steps[i]);

        g_assert_nonnull (button);
        g_assert_true (gtk_widget_get_sensitive (button));
        g_signal_emit_by_name (button, "clicked");
        /* Once signed, the unit reports progress by phone. */
        if (i == 0)
          {
            GtkWidget *report = ld_test_find_widget (page, GTK_TYPE_BUTTON, "Record _Feedback");
            GtkWidget *entry = ld_test_find_widget (gtk_widget_get_parent (gtk_widget_get_parent (report)),
                                            GTK_TYPE_ENTRY, NULL);
            g_autoptr(GPtrArray) orders = ld_store_list_orders (local, id, NULL);

            g_assert_cmpuint (((LdOrder *) g_ptr_array_index (orders, 0))->feedback_count, ==, 0);
            gtk_editable_set_text (GTK_EDITABLE (entry), "crew on the way");
            g_signal_emit_by_name (report, "clicked");
            g_clear_pointer (&orders, g_ptr_array_unref);
            orders = ld_store_list_orders (local, id, NULL);
            g_assert_cmpuint (((LdOrder *) g_ptr_array_index (orders, 0))->feedback_count, ==, 1);
            /* Completion waits for the unit's result, which it reports
             * from its own desk. */
            {
              g_autoptr(JsonObject) op = json_object_new ();
              JsonObject *fields = json_object_new ();
              g_autoptr(GError) refused = NULL;

              json_object_set_string_member (op, "entity", "order");
              json_object_set_string_member (op, "entity_id", ((LdOrder *) g_ptr_array_index (orders, 0))->id);
              json_object_set_string_member (op, "action", "feedback");
              json_object_set_string_member (fields, "kind", "result");
              json_object_set_string_member (fields, "text", "tree cleared");
              json_object_set_object_member (op, "fields", fields);
              g_assert_true (ld_sync_engine_submit (engine, op, &refused));
              g_assert_no_error (refused);
            }
          }
      }
    /* A second unit returns its order, with the reason it gives and
     * whose duty it says the matter is (issue 17). The pane's Record
     * Return asks no duty yet, so the return goes as the unit's desk
     * sends it. */
    {
      g_autoptr(GPtrArray) orders = NULL;

      g_signal_emit_by_name (units, "row-activated", gtk_list_box_get_row_at_index (GTK_LIST_BOX (units), 1));
      g_assert_nonnull (ld_test_find_widget (page, GTK_TYPE_BUTTON, "Record _Return"));
      orders = ld_store_list_orders (local, id, NULL);
      for (guint i = 0; i < orders->len; i++)
        {
          LdOrder *o = g_ptr_array_index (orders, i);
          g_autoptr(JsonObject) op = NULL;
          JsonObject *fields;
          g_autoptr(GError) refused = NULL;

          if (!g_str_equal (o->state, "dispatched"))
            continue;
          op = json_object_new ();
          fields = json_object_new ();
          json_object_set_string_member (op, "entity", "order");
          json_object_set_string_member (op, "entity_id", o->id);
          json_object_set_string_member (op, "action", "return");
          json_object_set_string_member (fields, "reason", "not our district");
          json_object_set_boolean_member (fields, "not_ours", TRUE);
          json_object_set_string_member (fields, "basis", "the place lies in district A");
          json_object_set_object_member (op, "fields", fields);
          g_assert_true (ld_sync_engine_submit (engine, op, &refused));
          g_assert_no_error (refused);
        }
      g_clear_pointer (&orders, g_ptr_array_unref);
      orders = ld_store_list_orders (local, id, NULL);
      g_assert_cmpuint (orders->len, ==, 2);
      for (guint i = 0; i < orders->len; i++)
        {
          LdOrder *o = g_ptr_array_index (orders, i);
          if (g_str_equal (o->state, "returned"))
            g_assert_cmpstr (o->return_reason, ==, "not our district");
          else
            g_assert_cmpstr (o->state, ==, "completed");
        }
    }
    g_signal_emit_by_name (ld_test_find_widget (page, GTK_TYPE_BUTTON, "_Verify and Close"), "clicked");
    closed = ld_store_get_incident (local, id, NULL);
    g_assert_cmpstr (closed->state, ==, "closed");
    ld_test_wait_until (ld_test_engine_is_drained, engine, "the lifecycle sent");
  }

  ld_sync_engine_stop (other);
  ld_sync_engine_stop (engine);
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

static const char *training_text = "Training mode: every call here is simulated, and no order reaches a real unit";

static void
make_training (LdStore *city)
{
  g_assert_true (ld_store_make_training (city, NULL));
}

/* A desk signed in to a training store says so over every workspace; one
 * signed in to a live store does not. */
static void
test_training_banner (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("cn.liandong.Liandong");
  const char *kinds[] = { "training", "live" };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      LdTestDesk desk = { 0, };
      gboolean training = g_str_equal (kinds[k], "training");
      LdWindow *window;
      LdDrillPlanWindow *plan;
      GtkWidget *bar;

      ld_test_desk_open (&desk, "trainee", "dispatcher", training ? make_training : NULL);
      window = ld_window_new (NULL, settings, desk.engine);
      gtk_window_present (GTK_WINDOW (window));
      bar = ld_test_find_widget (GTK_WIDGET (window), GTK_TYPE_LABEL, training_text);
      g_assert_nonnull (bar);
      g_assert_cmpint (gtk_widget_get_visible (bar), ==, training);

      /* A window opened over it, as the drills page opens a plan, says
       * it too. */
      plan = ld_drill_plan_window_new (GTK_WINDOW (window), desk.engine);
      ld_window_mark_training (GTK_WINDOW (window), ADW_WINDOW (plan));
      gtk_window_present (GTK_WINDOW (plan));
      bar = ld_test_find_widget (GTK_WIDGET (plan), GTK_TYPE_LABEL, training_text);
      g_assert_true (training ? bar != NULL && gtk_widget_get_visible (bar) : bar == NULL);
      gtk_window_destroy (GTK_WINDOW (plan));
      gtk_window_destroy (GTK_WINDOW (window));
      ld_test_desk_close (&desk);
    }
}

/* A training store with one call the simulator made, whose summary reads
 * like markup: the report shows it as typed. */
static void
make_training_with_call (LdStore *city)
{
  g_autoptr(LdIncident) call = g_new0 (LdIncident, 1);
  LdActor actor = { "simulator", LD_SIMULATOR_DEVICE, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  make_training (city);
  call->id = g_strdup ("c1");
  call->received_at = ld_time_now () - 60 * LD_USEC_PER_S;
  call->source = g_strdup ("110");
  call->kind = g_strdup ("linkage");
  call->region_code = g_strdup ("A");
  call->category = g_strdup ("noise");
  call->summary = g_strdup ("<b>噪音 & 扰民");
  call->lat = call->lon = NAN;
  id = ld_store_add_incident (city, call, &actor, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
}

/* The training reports open on screen: what the menu's item opened. */
static guint
count_report_windows (void)
{
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);
      n += LD_IS_TRAINING_REPORT_WINDOW (window);
    }
  return n;
}

static gboolean
report_came (gpointer window)
{
  return ld_training_report_window_get_text (window) != NULL;
}

/* The trainee reads the server's judgement of the session in the desk;
 * a live center's desk offers no such report. */
static void
test_training_report (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("cn.liandong.Liandong");
  LdTestDesk desk = { 0, };
  LdTrainingReportWindow *report;
  LdWindow *window;

  ld_test_desk_open (&desk, "trainee", "dispatcher", make_training_with_call);
  window = ld_window_new (NULL, settings, desk.engine);
  /* The menu's item opens it, over the desk. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.training-report", NULL);
  g_assert_cmpuint (count_report_windows (), ==, 1);
  report = ld_training_report_window_new (GTK_WINDOW (window), desk.engine);
  ld_test_wait_until (report_came, report, "the training report");
  g_assert_nonnull (strstr (ld_training_report_window_get_text (report), "<b>噪音 & 扰民"));
  g_assert_nonnull (strstr (ld_training_report_window_get_text (report), "Not dispatched"));
  /* The simulator may have made more calls by now: at least this one. */
  g_assert_cmpint (atoi (ld_training_report_window_get_figure (report, "calls")), >=, 1);
  g_assert_cmpstr (ld_training_report_window_get_figure (report, "right"), ==, "0");
  g_assert_nonnull (ld_test_find_widget (GTK_WIDGET (report), GTK_TYPE_LABEL, training_text));
  /* Closing the desk closes what it opened over itself. */
  gtk_window_destroy (GTK_WINDOW (report));
  gtk_window_destroy (GTK_WINDOW (window));
  ld_test_desk_close (&desk);

  ld_test_desk_open (&desk, "dispatcher", "dispatcher", NULL);
  window = ld_window_new (NULL, settings, desk.engine);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.training-report", NULL);
  g_assert_cmpuint (count_report_windows (), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
  ld_test_desk_close (&desk);
}

int
main (int argc, char *argv[])
{
  ld_test_desk_init (&argc, &argv);
  g_test_add_func ("/app/sign-in-and-board", test_sign_in_and_board);
  g_test_add_func ("/app/training-banner", test_training_banner);
  g_test_add_func ("/app/training-report", test_training_report);
  return g_test_run ();
}
