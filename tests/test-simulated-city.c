/* test-simulated-city.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `liandong-server serve --simulate`: the simulated city's acts reach a
 * desk through the live feed like anyone's, and the audit trail says they
 * came from the simulator.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

#include "ld-test-city.h"
#include "ld-test-server.h"

#define HOUR_US (G_GINT64_CONSTANT (3600) * LD_USEC_PER_S)

static char *
login (SoupSession *session, const char *base, const char *user)
{
  g_autofree char *uri = g_strconcat (base, "/api/v1/login", NULL);
  g_autofree char *body = g_strdup_printf ("{\"user\":\"%s\",\"password\":\"a-long-password\"}", user);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) data = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json", data);
  reply = soup_session_send_and_read (session, msg, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  text = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
  root = json_from_string (text, NULL);
  return g_strdup (json_object_get_string_member (json_node_get_object (root), "token"));
}

static JsonNode *
get (SoupSession *session, const char *base, const char *path, const char *token)
{
  g_autofree char *uri = g_strconcat (base, path, NULL);
  g_autofree char *header = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) reply = NULL;
  g_autofree char *text = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
  reply = soup_session_send_and_read (session, msg, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  /* A body read off the wire ends without a NUL. */
  text = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
  return json_from_string (text, NULL);
}

typedef struct {
  SoupWebsocketConnection *connection;
  guint                    messages;
} Feed;

static void
on_message (SoupWebsocketConnection *connection, int type, GBytes *message, Feed *feed)
{
  feed->messages++;
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  Feed *feed = data;
  g_autoptr(GError) error = NULL;

  feed->connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  g_signal_connect (feed->connection, "message", G_CALLBACK (on_message), feed);
}

static gboolean
heard_twice (gpointer data)
{
  Feed *feed = data;
  /* The first message says where the feed starts; the next, a change. */
  return feed->messages >= 2;
}

static void
test_simulated_city_reaches_the_feed (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ld-simulated-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "city.db", NULL);
  const char * const extra[] = { "--simulate", "--speed", "1000", NULL };
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL, *token = NULL, *admin = NULL, *uri = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) pulled = NULL, audit = NULL;
  JsonArray *changes, *events;
  g_autoptr(GHashTable) simulated = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean created = FALSE, by_simulator = FALSE;
  Feed feed = { 0, };

  /* A week of calls, the rhythm the simulator follows: a call every 6
   * minutes, at a thousand times that, one every third of a second. */
  {
    g_autoptr(LdStore) store = ld_test_city_new (db);
    gint64 now = ld_time_now ();

    for (guint i = 0; i < 7 * 24 * 10; i++)
      {
        LdIncident inc = { 0, };
        g_autofree char *id = NULL;

        inc.received_at = now - (gint64) (i + 1) * HOUR_US / 10;
        inc.source = "110";
        inc.kind = "police";
        inc.summary = "报警人称有情况。";
        inc.lat = NAN;
        inc.lon = NAN;
        id = ld_store_add_incident (store, &inc, &ld_test_actor, &error);
        g_assert_no_error (error);
      }
  }
  ld_test_server_add_user (db, "disp", "dispatcher");
  ld_test_server_add_user (db, "root", "admin");
  server = ld_test_server_spawn_full (db, "127.0.0.1:0", extra, 0, &base);
  token = login (session, base, "disp");
  admin = login (session, base, "root");

  uri = g_strconcat (base, "/api/v1/live?token=", token, NULL);
  msg = soup_message_new ("GET", uri);
  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, on_connected, &feed);
  ld_test_wait_until (heard_twice, &feed, "the live feed to announce a simulated change");

  /* What the simulator made, as the audit trail has it… */
  audit = get (session, base, "/api/v1/audit?limit=10000", admin);
  events = json_node_get_array (audit);
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (event, "device", NULL), "simulator") == 0)
        {
          by_simulator = TRUE;
          if (g_str_equal (json_object_get_string_member (event, "entity"), "incident"))
            g_hash_table_add (simulated, g_strdup (json_object_get_string_member (event, "entity_id")));
        }
    }
  /* …reaches the desk's pull as anything else does. */
  pulled = get (session, base, "/api/v1/sync/pull?since=0&limit=5000", token);
  changes = json_object_get_array_member (json_node_get_object (pulled), "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);

      if (g_str_equal (json_object_get_string_member (change, "entity"), "incident") &&
          g_hash_table_contains (simulated, json_object_get_string_member (change, "id")))
        created = TRUE;
    }
  g_assert_true (created);
  g_assert_true (by_simulator);

  g_signal_handlers_disconnect_by_data (feed.connection, &feed);
  g_clear_object (&feed.connection);
  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
  ld_test_remove_tree (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/simulated-city/reaches-the-feed", test_simulated_city_reaches_the_feed);

  return g_test_run ();
}
