/* ld-test-server.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#ifdef __linux__
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#endif

#include <glib/gstdio.h>

#include "ld-test-server.h"

/* A test that aborts must not leave its server running: the server holds
 * the test's output open, and the harness would wait for it until its
 * timeout. */
static void
die_with_parent (gpointer data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
}

typedef struct {
  guint nofile;
} ChildSetup;

static void
child_setup (gpointer data)
{
  ChildSetup *setup = data;

  die_with_parent (NULL);
#ifdef __linux__
  if (setup->nofile)
    {
      struct rlimit limit = { setup->nofile, setup->nofile };
      setrlimit (RLIMIT_NOFILE, &limit);
    }
#endif
}

GSubprocess *
ld_test_server_spawn_full (const char *db, const char *listen, const char * const *extra, guint nofile, char **base)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) serve = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *line = NULL;
  const char *prefix = "Liandong server listening on ";
  static ChildSetup setup;

  setup.nofile = nofile;
  g_subprocess_launcher_set_child_setup (launcher, child_setup, &setup, NULL);
  g_ptr_array_add (argv, (gpointer) g_getenv ("LIANDONG_SERVER"));
  g_ptr_array_add (argv, "serve");
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, (gpointer) db);
  g_ptr_array_add (argv, "--listen");
  g_ptr_array_add (argv, (gpointer) listen);
  for (guint i = 0; extra && extra[i]; i++)
    g_ptr_array_add (argv, (gpointer) extra[i]);
  g_ptr_array_add (argv, NULL);
  serve = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (serve));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, prefix));
  *base = g_strndup (line + strlen (prefix), strstr (line, "/api/v1/") - line - strlen (prefix));
  return g_steal_pointer (&serve);
}

GSubprocess *
ld_test_server_spawn (const char *db, const char *listen, char **base)
{
  return ld_test_server_spawn_full (db, listen, NULL, 0, base);
}

void
ld_test_server_add_user (const char *db, const char *name, const char *role)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) add = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE, &error, g_getenv ("LIANDONG_SERVER"),
                                                 "user", "add", "--db", db, name, "--role", role,
                                                 "--password-stdin", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (add, "a-long-password\n", NULL, NULL, NULL, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (add), ==, 0);
}

void
ld_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        ld_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
ld_test_wait_until (LdTestCondition cond, gpointer data, const char *what)
{
  gboolean expired = FALSE;
  guint timeout = g_timeout_add_seconds (30, on_timeout, &expired);

  while (!cond (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (expired)
    g_error ("timed out waiting for %s", what);
  g_source_remove (timeout);
}

void
ld_test_on_result (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

GAsyncResult *
ld_test_wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}
