/* bench-client.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desktop's numbers on a full-scale city (13 months of a Jiaxing-sized
 * center; LD_BENCH_SCALE shrinks it): the first sync from the server's
 * snapshot (time and the client's peak memory), the catch-up of 100,000
 * operations made elsewhere, and the application's cold start to its first
 * frame with that replica (when a display is there).
 */

#include "config.h"

#include <signal.h>
#include <sys/resource.h>

#include "ld-account.h"
#include "ld-process.h"
#include "ld-sync-engine.h"
#include "ld-test-server.h"

#define CATCH_UP_OPS 100000
#define BATCH 1000

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

static void
check (GError *error)
{
  if (error)
    g_error ("%s", error->message);
}

static void
run (const char *first, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) p = NULL;
  g_autoptr(GError) error = NULL;
  va_list ap;

  va_start (ap, first);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  p = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  check (error);
  g_subprocess_wait_check (p, NULL, &error);
  check (error);
}

static gboolean
caught_up (LdSyncEngine *engine, gint64 target)
{
  return ld_sync_engine_get_state (engine) == LD_SYNC_STATE_ONLINE && ld_sync_engine_is_idle (engine) &&
         ld_replica_get_last_seq (ld_sync_engine_get_replica (engine)) >= target;
}

/* Another desktop's day: incidents created through the push API. */
static gint64
push_elsewhere (SoupSession *session, const char *base, const char *token, guint n)
{
  g_autofree char *url = g_strconcat (base, "/api/v1/sync/push", NULL);
  g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);
  gint64 last = 0;

  for (guint done = 0; done < n; done += BATCH)
    {
      g_autoptr(GString) body = g_string_new ("{\"operations\":[");
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();

      for (guint i = done; i < MIN (done + BATCH, n); i++)
        {
          g_autofree char *id = ld_id_new (ld_time_now ());
          g_autofree char *op_id = ld_id_new (ld_time_now ());
          g_string_append_printf (body, "%s{\"id\":\"%s\",\"entity\":\"incident\",\"entity_id\":\"%s\","
                                  "\"action\":\"create\",\"at\":\"2026-10-01T09:00:00+08:00\",\"fields\":"
                                  "{\"source\":\"110\",\"kind\":\"diverted\",\"diverted_to\":\"12345\",\"summary\":\"bench %u\"}}",
                                  i == done ? "" : ",", op_id, id, i);
        }
      g_string_append (body, "]}");
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
      soup_message_set_request_body_from_bytes (msg, "application/json", g_bytes_new_take (g_strdup (body->str), body->len));
      answer = soup_session_send_and_read (session, msg, NULL, &error);
      check (error);
      if (soup_message_get_status (msg) != 200)
        g_error ("push: %u %.*s", soup_message_get_status (msg), (int) g_bytes_get_size (answer),
                 (const char *) g_bytes_get_data (answer, NULL));
      json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), &error);
      check (error);
      last = json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "last_seq");
    }
  return last;
}

/* From the spawn of the application to its main window's first frame, as
 * the application itself logs it. */
static double
cold_start_ms (const char *app, const char *data_home, const char *config_home, const char *base,
               const char *renderer)
{
  /* GLib writes debug messages to standard output. */
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) p = NULL;
  g_autoptr(GDataInputStream) err = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *keyfile_dir = g_build_filename (config_home, "glib-2.0", "settings", NULL);
  g_autofree char *keyfile = g_build_filename (keyfile_dir, "keyfile", NULL);
  g_autofree char *settings = g_strdup_printf ("[cn/liandong/Liandong]\nserver-url='%s'\nuser-name='d1'\n", base);
  double ms = -1;
  gint64 start;
  char *line;

  g_mkdir_with_parents (keyfile_dir, 0700);
  g_file_set_contents (keyfile, settings, -1, &error);
  check (error);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "liandong", TRUE);
  if (renderer)
    g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", renderer, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "GSK_RENDERER");
  start = g_get_monotonic_time ();
  p = g_subprocess_launcher_spawn (launcher, &error, app, NULL);
  check (error);
  err = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p));
  while ((line = g_data_input_stream_read_line_utf8 (err, NULL, NULL, NULL)) != NULL)
    {
      gboolean first_frame = strstr (line, "first frame") != NULL;

      if (g_getenv ("LD_BENCH_VERBOSE"))
        g_printerr ("app: %s\n", line);
      g_free (line);
      if (first_frame)
        {
          ms = seconds_since (start) * 1000;
          break;
        }
    }
  g_subprocess_send_signal (p, SIGTERM);
  g_subprocess_wait (p, NULL, NULL);
  return ms;
}

int
main (int argc, char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("ld-bench-client-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "server.db", NULL);
  g_autofree char *data_home = g_build_filename (dir, "data", NULL);
  g_autofree char *config_home = g_build_filename (dir, "config", NULL);
  g_autofree char *base_dir = g_build_filename (data_home, "liandong", NULL);
  g_autofree char *base = NULL;
  const char *scale = g_getenv ("LD_BENCH_SCALE");
  const char *server_bin = g_getenv ("LIANDONG_SERVER");
  const char *app_bin = g_getenv ("LIANDONG_APP");
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GAsyncResult) login = NULL, opened = NULL, login2 = NULL;
  g_autoptr(LdAccount) account = NULL, other = NULL;
  g_autoptr(LdReplica) replica = NULL;
  g_autoptr(LdSyncEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *replica_path = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFile) replica_file = NULL;
  struct rusage usage;
  gint64 start, target;
  double first_sync_s, catch_up_s, start_ms;

  ld_process_init ();
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  start = g_get_monotonic_time ();
  run (server_bin, "demo", "--db", db, "--scale", scale ? scale : "1", NULL);
  g_print ("full-scale city (scale %s) made in %.1f s\n", scale ? scale : "1", seconds_since (start));
  ld_test_server_add_user (db, "d1", "dispatcher");
  ld_test_server_add_user (db, "d2", "dispatcher");
  server = ld_test_server_spawn (db, "127.0.0.1:0", &base);

  /* First sync: sign in, copy the snapshot, open it, pull to the present. */
  start = g_get_monotonic_time ();
  ld_account_login_async (session, base_dir, base, "d1", "a-long-password", NULL, ld_test_on_result, &login);
  account = ld_account_login_finish (ld_test_wait_result (&login), &error);
  check (error);
  ld_account_open_replica_async (account, session, NULL, ld_test_on_result, &opened);
  replica = ld_account_open_replica_finish (account, ld_test_wait_result (&opened), &error);
  check (error);
  engine = ld_sync_engine_new (session, account, replica);
  ld_sync_engine_start (engine);
  while (!caught_up (engine, 0))
    g_main_context_iteration (NULL, TRUE);
  first_sync_s = seconds_since (start);
  getrusage (RUSAGE_SELF, &usage);
  replica_path = ld_account_get_replica_path (account);
  replica_file = g_file_new_for_path (replica_path);
  info = g_file_query_info (replica_file, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL, NULL);
  g_print ("first sync: %.1f s for a %.0f MB replica, client peak RSS %ld MB (goal <= 30 s)\n", first_sync_s,
           info ? g_file_info_get_size (info) / 1e6 : 0.0, usage.ru_maxrss / 1024);

  /* Catch-up: the desktop is away while another pushes 100,000 operations. */
  ld_sync_engine_stop (engine);
  ld_account_login_async (session, base_dir, base, "d2", "a-long-password", NULL, ld_test_on_result, &login2);
  other = ld_account_login_finish (ld_test_wait_result (&login2), &error);
  check (error);
  target = push_elsewhere (session, base, ld_account_get_token (other), CATCH_UP_OPS);
  start = g_get_monotonic_time ();
  ld_sync_engine_start (engine);
  while (!caught_up (engine, target))
    g_main_context_iteration (NULL, TRUE);
  catch_up_s = seconds_since (start);
  g_print ("catch-up: %d operations in %.2f s = %.0f ops/s (goal >= 5000)\n", CATCH_UP_OPS, catch_up_s,
           CATCH_UP_OPS / catch_up_s);
  ld_sync_engine_stop (engine);

  if (app_bin == NULL || g_getenv ("DISPLAY") == NULL)
    g_print ("cold start: not measured (needs LIANDONG_APP and a display: run under xvfb-run)\n");
  else
    {
      /* GTK's default renderer is GL, which a virtual display runs in
       * software; the cairo renderer is what a machine without a GPU uses. */
      const char *renderers[] = { "cairo", NULL };

      for (guint r = 0; r < G_N_ELEMENTS (renderers); r++)
        {
          double best = G_MAXDOUBLE;

          for (guint i = 0; i < 3; i++)
            {
              start_ms = cold_start_ms (app_bin, data_home, config_home, base, renderers[r]);
              if (start_ms < 0)
                g_error ("the application never drew its first frame");
              best = MIN (best, start_ms);
            }
          g_print ("cold start to the first frame with the full replica, %s renderer: %.0f ms, best of 3 "
                   "(goal <= 1000)\n", renderers[r] ? renderers[r] : "default (GL)", best);
        }
    }

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  return 0;
}
