/* main.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ld-application.h"
#include "ld-process.h"

int
main (int argc, char *argv[])
{
  /* An uninstalled build reads its translations from the build tree. */
  const char *localedir = g_getenv ("LIANDONG_LOCALEDIR");
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(LdApplication) app = NULL;

  ld_process_init ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (), "cn.liandong.Liandong", TRUE);
  if (schema == NULL)
    {
      g_printerr (_("The settings schema cn.liandong.Liandong is not installed; from a build tree, set GSETTINGS_SCHEMA_DIR to the build's data folder.\n"));
      return 1;
    }
  app = ld_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
