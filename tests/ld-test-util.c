/* ld-test-util.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "ld-test-util.h"

char *
ld_test_make_tmp (const char *tmpl)
{
  const char *home = g_get_home_dir ();
  char *path;

  /* Without isolated directories this would be the tester's own home. */
  g_assert_nonnull (g_getenv ("G_TEST_TMPDIR"));
  g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);
  path = g_build_filename (home, tmpl, NULL);
  if (g_mkdtemp (path) == NULL)
    g_error ("%s: %s", path, g_strerror (errno));
  return path;
}

char *
ld_test_find_program (const char *program, const char *package)
{
  char *path = g_find_program_in_path (program);

  if (path == NULL)
    g_error ("%s is not installed (Debian package %s): this test cannot run without it", program, package);
  return path;
}

char *
ld_test_shared_data (const char *relative)
{
  const char *root = g_getenv ("LD_SOURCE_ROOT");
  g_autofree char *shared = NULL;
  char *path;

  g_assert_nonnull (root);
  shared = g_build_filename (root, "..", "shared", NULL);
  if (!g_file_test (shared, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("no ../shared beside the source tree: the real records are not here");
      return NULL;
    }
  path = g_build_filename (shared, "data", relative, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_test_fail_printf ("../shared is there but holds no data/%s", relative);
      g_clear_pointer (&path, g_free);
    }
  return path;
}

static GSubprocess *xvfb;

static void
stop_xvfb (void)
{
  g_subprocess_send_signal (xvfb, SIGTERM);
  g_subprocess_wait (xvfb, NULL, NULL);
  g_clear_object (&xvfb);
}

/* A test that aborts runs no atexit handler: its display goes with it all
 * the same. */
static void
end_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

void
ld_test_display_start (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GString) number = g_string_new (NULL);
  int fds[2];
  gssize n;
  char c;

  if (g_getenv ("DISPLAY") != NULL && *g_getenv ("DISPLAY") != '\0')
    return;
  path = g_find_program_in_path ("Xvfb");
  if (path == NULL)
    g_error ("Xvfb is not installed (Debian package xvfb): the desktop's tests need a display of their own");
  if (!g_unix_open_pipe (fds, FD_CLOEXEC, &error))
    g_error ("a pipe for Xvfb: %s", error->message);

  /* Xvfb picks a display number no other server holds and writes it to
   * the descriptor once it takes connections. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_take_fd (launcher, fds[1], 3);
  g_subprocess_launcher_set_child_setup (launcher, end_with_parent, NULL, NULL);
  xvfb = g_subprocess_launcher_spawn (launcher, &error, path, "-displayfd", "3", "-screen", "0", "1920x1080x24",
                                      "-nolisten", "tcp", NULL);
  if (xvfb == NULL)
    g_error ("Xvfb: %s", error->message);
  /* Closes our copy of the writing end: should the server die before it
   * says its number, the read below ends. */
  g_clear_object (&launcher);
  for (;;)
    {
      n = read (fds[0], &c, 1);
      if (n < 0 && errno == EINTR)
        continue;
      if (n != 1 || c == '\n')
        break;
      g_string_append_c (number, c);
    }
  close (fds[0]);
  if (number->len == 0)
    g_error ("Xvfb did not start: run “Xvfb -displayfd 1” to see why");
  g_string_prepend_c (number, ':');
  g_setenv ("DISPLAY", number->str, TRUE);
  atexit (stop_xvfb);
}
