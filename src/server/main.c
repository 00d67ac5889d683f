/* main.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-server"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <sys/stat.h>

#include "ld-cli.h"
#include "ld-process.h"

int
main (int argc, char *argv[])
{
  /* An uninstalled build reads its translations from the build tree. */
  const char *localedir = g_getenv ("LIANDONG_LOCALEDIR");

  ld_process_init ();
  /* The database, its copies and uploads hold callers' numbers and the
   * users' password hashes: readable by the server's user alone. */
  umask (0077);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  return ld_cli_run (argc, argv);
}
