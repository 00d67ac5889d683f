/* test-incident-pane.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "ld-incident-pane.h"
#include "ld-test-city.h"
#include "ld-test-desk.h"
#include "ld-test-server.h"

/* The incident pane beside the board, on a dispatcher's desk against the
 * real server: a step a unit reported by phone, logged by the dispatcher
 * with its own time long after it, shows as logged later (补录) with both
 * times, on this desk at once and as the server keeps it. */

#define MINUTE_US (G_GINT64_CONSTANT (60) * LD_USEC_PER_S)

/* The test city's incident and its order to the market, dispatched two
 * hours ago and not yet signed. */
static char *incident_id;
static char *order_id;

static void
build_city (LdStore *city)
{
  g_autoptr(GError) error = NULL;
  gint64 now = ld_time_now ();
  LdIncident inc = { 0, };

  inc.received_at = now - 120 * MINUTE_US;
  inc.source = (char *) "110";
  inc.kind = (char *) "linkage";
  inc.region_code = (char *) "A";
  inc.category = (char *) "noise";
  inc.summary = (char *) "a pothole on the ring road";
  inc.lat = inc.lon = NAN;
  incident_id = ld_store_add_incident (city, &inc, &ld_test_actor, &error);
  g_assert_no_error (error);
  order_id = ld_store_dispatch (city, NULL, incident_id, "MKT", now - 119 * MINUTE_US, &ld_test_actor, &error);
  g_assert_no_error (error);
}

static void
submit_with (LdSyncEngine *engine, const char *action, gint64 at, JsonObject *fields)
{
  g_autoptr(JsonObject) op = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *at_text = ld_time_format_iso (at, ld_store_get_time_zone (
    ld_sync_engine_get_store (engine)));

  json_object_set_string_member (op, "entity", "order");
  json_object_set_string_member (op, "entity_id", order_id);
  json_object_set_string_member (op, "action", action);
  json_object_set_string_member (op, "at", at_text);
  json_object_set_object_member (op, "fields", fields);
  g_assert_true (ld_sync_engine_submit (engine, op, &error));
  g_assert_no_error (error);
}

static void
submit (LdSyncEngine *engine, const char *action, gint64 at)
{
  submit_with (engine, action, at, json_object_new ());
}

/* The unit's result, which completion waits for. */
static void
submit_result (LdSyncEngine *engine, gint64 at)
{
  JsonObject *fields = json_object_new ();

  json_object_set_string_member (fields, "kind", "result");
  json_object_set_string_member (fields, "text", "pothole filled");
  submit_with (engine, "feedback", at, fields);
}

/* The timeline the pane shows for the order. */
static const char *
timeline (GtkWidget *pane)
{
  GtkWidget *row = ld_test_find_widget (pane, ADW_TYPE_ACTION_ROW, NULL);

  g_assert_nonnull (row);
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static LdOrder *
order_on (LdStore *store)
{
  g_autoptr(GError) error = NULL;
  LdOrder *order = ld_store_get_order (store, order_id, &error);

  g_assert_no_error (error);
  return order;
}

static void
test_logged_later (void)
{
  LdTestDesk desk = { NULL, };
  GtkWidget *window, *pane;
  LdStore *local;
  GTimeZone *tz;
  gint64 signed_at, logged_at;
  g_autoptr(LdOrder) order = NULL;
  g_autoptr(LdStore) server = NULL;
  g_autofree char *signed_text = NULL;
  g_autofree char *logged_text = NULL;
  g_autofree char *signed_line = NULL;
  g_autofree char *completed_line = NULL;

  ld_test_desk_open (&desk, "d1", "dispatcher", build_city);
  local = ld_sync_engine_get_store (desk.engine);
  tz = ld_store_get_time_zone (local);
  pane = g_object_new (LD_TYPE_INCIDENT_PANE, NULL);
  ld_incident_pane_set_engine (LD_INCIDENT_PANE (pane), desk.engine, tz);
  ld_incident_pane_set_incident (LD_INCIDENT_PANE (pane), incident_id);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  gtk_window_set_child (GTK_WINDOW (window), pane);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_null (strstr (timeline (pane), "logged later"));

  /* The market said by phone it signed an hour and 55 minutes ago; the
   * dispatcher logs that now. Its completion is logged as it happens. */
  signed_at = (ld_time_now () - 115 * MINUTE_US) / LD_USEC_PER_S * LD_USEC_PER_S;
  submit (desk.engine, "sign", signed_at);
  submit_result (desk.engine, ld_time_now ());
  submit (desk.engine, "complete", ld_time_now ());
  ld_test_wait_until (ld_test_engine_is_drained, desk.engine, "the steps sent");

  server = ld_store_open (desk.db, NULL);
  order = order_on (server);
  g_assert_cmpint (order->signed_at, ==, signed_at);
  g_assert_cmpint (order->signed_logged_at, >, signed_at);
  g_assert_cmpint (order->completed_logged_at, ==, LD_TIME_NONE);
  logged_at = order->signed_logged_at;
  g_clear_pointer (&order, ld_order_free);
  order = order_on (local);
  g_assert_cmpint (order->signed_logged_at, ==, logged_at);

  signed_text = ld_time_format_short (signed_at, tz);
  logged_text = ld_time_format_short (logged_at, tz);
  signed_line = g_strdup_printf ("Signed %s · logged later %s\n", signed_text, logged_text);
  g_assert_nonnull (strstr (timeline (pane), signed_line));
  /* One step logged later, not the others. */
  g_assert_null (strstr (strstr (timeline (pane), signed_line) + strlen (signed_line), "logged later"));
  completed_line = g_strdup_printf ("\nCompleted ");
  g_assert_nonnull (strstr (timeline (pane), completed_line));

  gtk_window_destroy (GTK_WINDOW (window));
  ld_test_desk_close (&desk);
  g_clear_pointer (&incident_id, g_free);
  g_clear_pointer (&order_id, g_free);
}

int
main (int argc, char *argv[])
{
  ld_test_desk_init (&argc, &argv);
  g_test_add_func ("/incident-pane/logged-later", test_logged_later);
  return g_test_run ();
}
