/* ld-cli.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-server"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib-unix.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>

#include "ld-auth.h"
#include "ld-bulletin.h"
#include "ld-cli.h"
#include "ld-demo.h"
#include "ld-export.h"
#include "ld-import.h"
#include "ld-report.h"
#include "ld-server.h"
#include "ld-training.h"

enum {
  EXIT_OK = 0,
  EXIT_FAILED = 1,
  EXIT_USAGE = 2,
};

static int
usage_error (GOptionContext *context, const char *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
  g_printerr ("%s\n\n%s", message, help);
  return EXIT_USAGE;
}

static int
parse (GOptionContext *context, int *argc, char ***argv)
{
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse (context, argc, argv, &error))
    return usage_error (context, error->message);
  return EXIT_OK;
}

static LdStore *
open_store (const char *db)
{
  g_autoptr(GError) error = NULL;
  LdStore *store = ld_store_open (db, &error);
  if (store == NULL)
    g_printerr ("%s\n", error->message);
  return store;
}

static int
cmd_import (int argc, char **argv)
{
  g_autofree char *db = NULL;
  gboolean gcj02 = FALSE, dry_run = FALSE;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file"), N_("FILE") },
    { "gcj02", 0, 0, G_OPTION_ARG_NONE, &gcj02, N_("Coordinates in the files are GCJ-02"), NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Check the files and say what would be imported, writing nothing"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("DIR — import the interchange files of a folder"));
  g_autoptr(LdStore) store = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  LdImportFlags flags;
  LdImportCounts counts;
  gboolean ok;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = parse (context, &argc, &argv)) != EXIT_OK)
    return rc;
  if (db == NULL || argc != 2)
    return usage_error (context, _("import needs --db FILE and one folder"));
  /* A dry run against a database not made yet checks against an empty
   * one, and makes no file. */
  if ((store = open_store (dry_run && !g_file_test (db, G_FILE_TEST_EXISTS) ? ":memory:" : db)) == NULL)
    return EXIT_FAILED;

  flags = (gcj02 ? LD_IMPORT_GCJ02 : 0) | (dry_run ? LD_IMPORT_DRY_RUN : 0);
  ok = ld_import_dir_full (store, argv[1], flags, &counts, problems, warnings, &error);
  for (guint i = 0; i < warnings->len; i++)
    g_printerr ("%s\n", (const char *) g_ptr_array_index (warnings, i));
  if (!ok)
    {
      for (guint i = 0; i < problems->len; i++)
        g_printerr ("%s\n", (const char *) g_ptr_array_index (problems, i));
      g_printerr ("%s\n", error->message);
      return EXIT_FAILED;
    }
  summary = g_strdup_printf (_("%u regions, %u boundaries, %u units, %u categories, %u incidents, %u orders, "
                               "%u feedback, %u drills, %u drill units, %u roll calls"),
                             counts.regions, counts.boundaries, counts.units, counts.categories, counts.incidents,
                             counts.orders, counts.feedback, counts.drills, counts.drill_units, counts.roll_calls);
  if (dry_run)
    /* Translators: %s is the list of counts, "3 regions, 0 boundaries, …" */
    g_print (_("Dry run, nothing written: the files would import %s.\n"), summary);
  else
    /* Translators: %s is the list of counts, "3 regions, 0 boundaries, …" */
    g_print (_("Imported %s.\n"), summary);
  return EXIT_OK;
}

static int
cmd_export (int argc, char **argv)
{
  g_autofree char *db = NULL;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("DIR — write the store as interchange files"));
  g_autoptr(LdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint rows;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = parse (context, &argc, &argv)) != EXIT_OK)
    return rc;
  if (db == NULL || argc != 2)
    return usage_error (context, _("export needs --db FILE and one folder"));
  if ((store = open_store (db)) == NULL)
    return EXIT_FAILED;
  if (!ld_export_dir (store, argv[1], &rows, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILED;
    }
  g_print (_("Wrote %u rows to %s.\n"), rows, argv[1]);
  return EXIT_OK;
}

static gboolean
write_output (const char *path, GBytes *bytes, GError **error)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  if (path == NULL || g_str_equal (path, "-"))
    return fwrite (data, 1, length, stdout) == length && fflush (stdout) == 0;
  return g_file_set_contents (path, data, length, error);
}

static int
cmd_report (int argc, char **argv)
{
  g_autofree char *db = NULL, *month = NULL, *region = NULL, *format = NULL, *output = NULL;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file"), N_("FILE") },
    { "month", 0, 0, G_OPTION_ARG_STRING, &month, N_("The month to report"), N_("YYYY-MM") },
    { "region", 0, 0, G_OPTION_ARG_STRING, &region, N_("Report on this region (default: the whole center)"), N_("CODE") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("json, csv, text, xlsx or pdf"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE instead of standard output"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— the month's figures as data (json), or the bulletin as text, csv, xlsx or pdf"));
  static const char *formats[] = { "json", "csv", "text", "xlsx", "pdf", NULL };
  g_autoptr(LdStore) store = NULL;
  g_autoptr(LdReport) report = NULL;
  g_autoptr(LdBulletin) bulletin = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gboolean is_file;
  LdPeriod period;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = parse (context, &argc, &argv)) != EXIT_OK)
    return rc;
  if (db == NULL || month == NULL || argc != 1)
    return usage_error (context, _("report needs --db FILE and --month YYYY-MM"));
  if (format == NULL)
    format = g_strdup ("json");
  if (!g_strv_contains (formats, format))
    return usage_error (context, _("--format must be json, csv, text, xlsx or pdf"));
  /* A document is not for a terminal. */
  is_file = g_str_equal (format, "xlsx") || g_str_equal (format, "pdf");
  if (is_file && (output == NULL || g_str_equal (output, "-")))
    return usage_error (context, _("--format xlsx and pdf write a file: give it with -o FILE"));
  if ((store = open_store (db)) == NULL)
    return EXIT_FAILED;
  if (!ld_period_parse_month (month, ld_store_get_time_zone (store), &period, &error))
    return usage_error (context, error->message);

  report = ld_report_new (store, &period, region, ld_time_now (), &error);
  if (report == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILED;
    }
  if (is_file)
    {
      if ((bulletin = ld_bulletin_new (report, store, &error)) == NULL ||
          !(g_str_equal (format, "pdf") ? ld_bulletin_write_pdf (bulletin, output, &error)
                                        : ld_bulletin_write_xlsx (bulletin, output, &error)))
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILED;
        }
      return EXIT_OK;
    }
  if ((bytes = ld_bulletin_render (report, store, format, &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILED;
    }
  if (!write_output (output, bytes, &error))
    {
      g_printerr ("%s\n", error ? error->message : g_strerror (errno));
      return EXIT_FAILED;
    }
  return EXIT_OK;
}

static int
cmd_demo (int argc, char **argv)
{
  g_autofree char *db = NULL, *until = NULL, *until_text = NULL;
  gboolean training = FALSE;
  LdDemoOptions options;
  int months, seed;
  double scale;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file"), N_("FILE") },
    { "months", 0, 0, G_OPTION_ARG_INT, &months, N_("Whole months of history before this one (default 13)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, N_("Random seed: the same seed makes the same city (default 1)"), N_("N") },
    { "scale", 0, 0, G_OPTION_ARG_DOUBLE, &scale, N_("Volume: 1 is Jiaxing's (default 0.05)"), N_("X") },
    { "until", 0, 0, G_OPTION_ARG_STRING, &until, N_("The city's present: data up to this time, none after (default: now)"),
      N_("TIME") },
    { "training", 0, 0, G_OPTION_ARG_NONE, &training, N_("Make a training store: practice calls, never live records"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— fill a database with a realistic demo city"));
  g_autoptr(LdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  LdDemoCounts counts;
  int rc;

  ld_demo_options_init (&options);
  months = options.months;
  seed = options.seed;
  scale = options.scale;
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = parse (context, &argc, &argv)) != EXIT_OK)
    return rc;
  if (db == NULL || argc != 1)
    return usage_error (context, _("demo needs --db FILE"));
  if (months < 1 || months > 120 || scale <= 0 || scale > 10 || seed < 0)
    return usage_error (context, _("--months must be 1–120, --scale above 0 and at most 10, --seed not negative"));
  options.months = months;
  options.seed = seed;
  options.scale = scale;

  if ((store = open_store (db)) == NULL)
    return EXIT_FAILED;
  /* In the center's zone; no later than an import would take the city's
   * rows, so that its export imports. */
  if (until && (!ld_time_parse (until, ld_store_get_time_zone (store), &options.until, &error) ||
                !ld_time_check_plausible (options.until, ld_time_now (), LD_TIME_AHEAD_IMPORT,
                                          ld_store_get_time_zone (store), &error)))
    return usage_error (context, error->message);
  /* Marked before it holds a record, as only an empty store may be. */
  if ((training && !ld_store_make_training (store, &error)) ||
      !ld_demo_generate (store, &options, &counts, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILED;
    }
  until_text = ld_time_format (options.until, ld_store_get_time_zone (store));
  g_print (_("Demo city written to %s: %u incidents, %u orders, %u feedback, %u drills, %u whole months "
             "and this one up to %s.\n"),
           db, counts.incidents, counts.orders, counts.feedback, counts.drills, options.months, until_text);
  return EXIT_OK;
}

static int
cmd_training_report (int argc, char **argv)
{
  g_autofree char *db = NULL, *since = NULL, *text = NULL, *output = NULL;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file"), N_("FILE") },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since, N_("The session's start (default: 24 hours ago)"), N_("TIME") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the report as PDF to this file"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— how a practice session's calls were dispatched"));
  g_autoptr(LdStore) store = NULL;
  g_autoptr(LdTrainingReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gint64 from = ld_time_now () - LD_TRAINING_SESSION_US;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = parse (context, &argc, &argv)) != EXIT_OK)
    return rc;
  if (db == NULL || argc != 1)
    return usage_error (context, _("training-report needs --db FILE"));
  if ((store = open_store (db)) == NULL)
    return EXIT_FAILED;
  if (!ld_store_is_training (store))
    {
      g_printerr (_("%s is not a training store: make one with liandong-server demo --training --db FILE\n"), db);
      return EXIT_FAILED;
    }
  if (since && !ld_time_parse (since, ld_store_get_time_zone (store), &from, &error))
    return usage_error (context, error->message);
  if ((report = ld_training_report_new (store, from, ld_time_now () + 1, &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILED;
    }
  if (output)
    {
      if (!ld_training_report_write_pdf (report, ld_store_get_time_zone (store), output, &error))
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILED;
        }
      return EXIT_OK;
    }
  text = ld_training_report_to_text (report, ld_store_get_time_zone (store));
  g_print ("%s", text);
  return EXIT_OK;
}

static gboolean
quit_loop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static gboolean
parse_listen (const char *text, char **address, guint *port)
{
  const char *colon = strrchr (text, ':');
  guint64 value;

  if (colon == NULL || colon == text ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &value, NULL))
    return FALSE;
  /* [::1]:8460 as well as 127.0.0.1:8460 */
  if (text[0] == '[' && colon[-1] == ']')
    *address = g_strndup (text + 1, colon - text - 2);
  else
    *address = g_strndup (text, colon - text);
  *port = (guint) value;
  return TRUE;
}

/* Descriptors kept back from connections: the database and its journal,
 * the listening socket, uploads, snapshots, the log. */
#define RESERVED_DESCRIPTORS 64

/* A busy center keeps a thousand desks connected: the soft limit on
 * descriptors (1,024 by default) is raised to the hard one, and what it
 * allows bounds the connections held at once. */
static guint
connection_budget (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return 1024 - RESERVED_DESCRIPTORS;
  if (limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        getrlimit (RLIMIT_NOFILE, &limit);
    }
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur > G_MAXUINT)
    return G_MAXUINT;
  return limit.rlim_cur > 2 * RESERVED_DESCRIPTORS ? (guint) limit.rlim_cur - RESERVED_DESCRIPTORS
                                                    : (guint) limit.rlim_cur / 2;
}

static int
cmd_serve (int argc, char **argv)
{
  g_autofree char *db = NULL, *listen = NULL, *cert = NULL, *key = NULL, *address = NULL;
  int client_timeout = 10;
  int requests_per_second = 50;
  gboolean simulate = FALSE, training = FALSE;
  double speed = 1;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file"), N_("FILE") },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, N_("Address and port (default 127.0.0.1:8460)"), N_("ADDR:PORT") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &cert, N_("TLS certificate (PEM)"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &key, N_("TLS private key (PEM)"), N_("FILE") },
    { "training", 0, 0, G_OPTION_ARG_NONE, &training,
      N_("Serve a training store (made with demo --training): simulated calls for trainees to dispatch"), NULL },
    { "simulate", 0, 0, G_OPTION_ARG_NONE, &simulate,
      N_("Let the city live: simulated calls, dispatchers and units act beside the real desks"), NULL },
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &speed,
      N_("With --simulate: calls come this many times as often as in the last week (default 1)"), N_("X") },
    { "client-timeout", 0, 0, G_OPTION_ARG_INT, &client_timeout,
      N_("Seconds a client has to send a request's headers (default 10; a body may pause three times as long)"), N_("SECONDS") },
    { "requests-per-second", 0, 0, G_OPTION_ARG_INT, &requests_per_second,
      N_("Requests one address may make each second, in bursts of four times as many (default 50; raise it for many desks behind one address)"),
      N_("N") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— run the central server"));
  g_autoptr(LdStore) store = NULL;
  g_autoptr(LdServer) server = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  guint port = 8460;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = parse (context, &argc, &argv)) != EXIT_OK)
    return rc;
  if (db == NULL || argc != 1)
    return usage_error (context, _("serve needs --db FILE"));
  if (client_timeout < 1 || client_timeout > 3600)
    return usage_error (context, _("--client-timeout must be 1 to 3600 seconds"));
  if (requests_per_second < 1 || requests_per_second > 100000)
    return usage_error (context, _("--requests-per-second must be 1 to 100000"));
  if (!(speed > 0 && speed <= 1000))
    return usage_error (context, _("--speed must be above 0 and at most 1000"));
  if (listen ? !parse_listen (listen, &address, &port) : (address = g_strdup ("127.0.0.1")) == NULL)
    return usage_error (context, _("--listen must be ADDRESS:PORT"));
  if ((cert == NULL) != (key == NULL))
    return usage_error (context, _("--tls-cert and --tls-key go together"));
  if (!ld_auth_init (&error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILED;
    }
  if (cert && (certificate = g_tls_certificate_new_from_files (cert, key, &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILED;
    }
  if ((store = open_store (db)) == NULL)
    return EXIT_FAILED;
  if (!ld_store_check_writable (store, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILED;
    }
  /* The store's own flag decides: a training store is never served as a
   * live one, nor a live one as practice. */
  if (training && !ld_store_is_training (store))
    {
      g_printerr (_("%s is not a training store: make one with liandong-server demo --training --db FILE\n"), db);
      return EXIT_FAILED;
    }
  training = ld_store_is_training (store);

  server = ld_server_new (store);
  ld_server_set_timeouts (server, client_timeout * 1000, client_timeout * 3000, 15000);
  ld_server_set_rate_limit (server, 4 * (guint) requests_per_second, requests_per_second);
  ld_server_set_max_connections (server, connection_budget ());
  /* In training the calls come by themselves, and the trainee answers. */
  if (simulate || training)
    {
      g_autoptr(LdSimulator) simulator = ld_simulator_new (store, (guint32) g_get_real_time (), speed);

      ld_simulator_set_trainee (simulator, training);
      ld_server_set_simulator (server, simulator);
    }
  if (!ld_server_listen (server, address, port, certificate, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILED;
    }
  g_print (_("Liandong server listening on %s://%s:%u/api/v1/\n"), certificate ? "https" : "http",
           address, ld_server_get_port (server));
  /* Whoever started us (systemd, a script, a test) reads the port from here. */
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_loop, loop);
  g_unix_signal_add (SIGTERM, quit_loop, loop);
  g_main_loop_run (loop);
  return EXIT_OK;
}

/* A password from a pipe (--password-stdin, for scripts), or typed twice at
 * a terminal without echo. */
static char *
read_password (gboolean from_stdin, GError **error)
{
  char line[1024];

  if (from_stdin || !isatty (STDIN_FILENO))
    {
      if (fgets (line, sizeof line, stdin) == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("No password on standard input"));
          return NULL;
        }
      line[strcspn (line, "\r\n")] = '\0';
      return g_strdup (line);
    }
  else
    {
      struct termios saved, quiet;
      g_autofree char *first = NULL;

      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~ECHO;
      tcsetattr (STDIN_FILENO, TCSANOW, &quiet);
      for (guint i = 0; i < 2; i++)
        {
          g_printerr ("%s", i == 0 ? _("Password: ") : _("Again: "));
          if (fgets (line, sizeof line, stdin) == NULL)
            line[0] = '\0';
          line[strcspn (line, "\r\n")] = '\0';
          g_printerr ("\n");
          if (i == 0)
            first = g_strdup (line);
        }
      tcsetattr (STDIN_FILENO, TCSANOW, &saved);
      if (!g_str_equal (first, line))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The two passwords differ"));
          return NULL;
        }
      return g_steal_pointer (&first);
    }
}

static int
cmd_user (int argc, char **argv)
{
  g_autofree char *db = NULL, *role = NULL, *unit = NULL, *display_name = NULL;
  gboolean password_stdin = FALSE;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file"), N_("FILE") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, N_("admin, dispatcher, inspector, leader or unit"), N_("ROLE") },
    { "unit", 0, 0, G_OPTION_ARG_STRING, &unit, N_("For role unit: the unit's code"), N_("CODE") },
    { "display-name", 0, 0, G_OPTION_ARG_STRING, &display_name, N_("The name shown in the application"), N_("NAME") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin, N_("Read the password from standard input"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("add|passwd|del|list [NAME] — manage the users of the server"));
  g_autoptr(LdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *action;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = parse (context, &argc, &argv)) != EXIT_OK)
    return rc;
  if (db == NULL || argc < 2)
    return usage_error (context, _("user needs --db FILE and one of add, passwd, del, list"));
  action = argv[1];
  if (g_str_equal (action, "list") ? argc != 2 : argc != 3)
    return usage_error (context, _("add, passwd and del take one user name; list takes none"));
  if (!ld_auth_init (&error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILED;
    }
  if ((store = open_store (db)) == NULL)
    return EXIT_FAILED;

  if (g_str_equal (action, "list"))
    {
      g_autoptr(GPtrArray) users = ld_store_list_users (store, &error);
      if (users == NULL)
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILED;
        }
      for (guint i = 0; i < users->len; i++)
        {
          LdUser *u = g_ptr_array_index (users, i);
          g_print ("%s\t%s\t%s\n", u->name, u->role, u->unit_code ? u->unit_code : "");
        }
      return EXIT_OK;
    }
  if (g_str_equal (action, "del"))
    {
      if (!ld_store_delete_user (store, argv[2], &error))
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILED;
        }
      return EXIT_OK;
    }
  if (g_str_equal (action, "add") || g_str_equal (action, "passwd"))
    {
      g_autoptr(LdUser) existing = ld_store_get_user (store, argv[2], NULL);
      g_autofree char *password = NULL, *hash = NULL;
      LdUser user = { 0, };

      if (g_str_equal (action, "add") && existing)
        {
          g_printerr (_("User %s already exists\n"), argv[2]);
          return EXIT_FAILED;
        }
      if (g_str_equal (action, "passwd") && existing == NULL)
        {
          g_printerr (_("Unknown user %s\n"), argv[2]);
          return EXIT_FAILED;
        }
      if (g_str_equal (action, "add") && role == NULL)
        return usage_error (context, _("user add needs --role"));
      if ((password = read_password (password_stdin, &error)) == NULL ||
          (hash = ld_auth_hash_password (password, &error)) == NULL)
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILED;
        }
      user.name = argv[2];
      user.role = existing ? existing->role : role;
      user.unit_code = existing ? existing->unit_code : unit;
      user.display_name = existing ? existing->display_name : display_name;
      user.password_hash = hash;
      user.created_at = existing ? existing->created_at : 0;
      if (!ld_store_put_user (store, &user, &error))
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILED;
        }
      return EXIT_OK;
    }
  return usage_error (context, _("user needs one of add, passwd, del, list"));
}

static const struct {
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *summary;
} commands[] = {
  { "import", cmd_import, N_("Import interchange files (all or nothing)") },
  { "export", cmd_export, N_("Write the store as interchange files") },
  { "report", cmd_report, N_("A month's report as json, or its bulletin as text, csv, xlsx or pdf") },
  { "demo", cmd_demo, N_("Create a demo city") },
  { "serve", cmd_serve, N_("Run the central server") },
  { "training-report", cmd_training_report, N_("How a training session's calls were dispatched") },
  { "user", cmd_user, N_("Add, change or remove the server's users") },
};

static void
print_usage (void)
{
  g_printerr ("%s\n", _("Usage: liandong-server COMMAND [OPTION…]"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_printerr ("  %-8s %s\n", commands[i].name, _(commands[i].summary));
}

int
ld_cli_run (int argc, char **argv)
{
  if (argc < 2)
    {
      print_usage ();
      return EXIT_USAGE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      {
        g_autofree char *prgname = g_strdup_printf ("liandong-server %s", commands[i].name);
        g_set_prgname (prgname);
        return commands[i].run (argc - 1, argv + 1);
      }
  g_printerr (_("Unknown command “%s”\n"), argv[1]);
  print_usage ();
  return EXIT_USAGE;
}
