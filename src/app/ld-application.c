/* ld-application.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <epoxy/gl.h>
#include <string.h>
#include <glib/gi18n.h>

#include "ld-application.h"
#include "ld-client.h"
#include "ld-login-window.h"
#include "ld-preferences-window.h"
#include "ld-window.h"

struct _LdApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  SoupSession    *session;
  char           *base_dir;
  LdSyncEngine   *engine;
  GtkWindow      *window;     /* the main window or the sign-in window */

  char           *opt_server;
  char           *opt_user;
  char           *opt_password_file;
};

G_DEFINE_FINAL_TYPE (LdApplication, ld_application, ADW_TYPE_APPLICATION)

static void show_login (LdApplication *self, const char *password);

static void
on_unlocked (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(LdApplication) self = data;
  g_autoptr(GError) error = NULL;
  gboolean unlocked = ld_account_unlock_finish (LD_ACCOUNT (source), result, &error);

  /* Signed out meanwhile: this account's link is not wanted any more. */
  if (self->engine == NULL || ld_sync_engine_get_account (self->engine) != LD_ACCOUNT (source))
    return;
  /* Without a token the server refuses the link, and the window offers to
   * sign in again. */
  if (!unlocked)
    g_message ("no session token: %s", error ? error->message : "");
  ld_sync_engine_start (self->engine);
}

static void
set_window (LdApplication *self, GtkWindow *window)
{
  GtkWindow *previous = self->window;

  if (previous)
    g_object_remove_weak_pointer (G_OBJECT (previous), (gpointer *) &self->window);
  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);
  gtk_window_present (window);
  if (previous)
    gtk_window_destroy (previous);
}

static void
show_main (LdApplication *self, LdAccount *account, LdReplica *replica)
{

  g_settings_set_string (self->settings, "server-url", ld_account_get_server_url (account));
  g_settings_set_string (self->settings, "user-name", ld_account_get_user (account)->name);
  g_clear_object (&self->engine);
  self->engine = ld_sync_engine_new (self->session, account, replica);
  /* The window opens from the replica at once; the link follows the token. */
  ld_account_unlock_async (account, NULL, on_unlocked, g_object_ref (self));
  set_window (self, GTK_WINDOW (ld_window_new (ADW_APPLICATION (self), self->settings, self->engine)));
}

static void
on_signed_in (LdLoginWindow *login, LdAccount *account, LdReplica *replica, LdApplication *self)
{
  show_main (self, account, replica);
}

static void
show_login (LdApplication *self, const char *password)
{
  g_autofree char *server = g_settings_get_string (self->settings, "server-url");
  g_autofree char *user = g_settings_get_string (self->settings, "user-name");
  LdLoginWindow *login;

  login = ld_login_window_new (ADW_APPLICATION (self), self->session, self->base_dir,
                               self->opt_server ? self->opt_server : server,
                               self->opt_user ? self->opt_user : user);
  g_signal_connect (login, "signed-in", G_CALLBACK (on_signed_in), self);
  set_window (self, GTK_WINDOW (login));
  if (password)
    ld_login_window_sign_in (login, password);
}

/* A session kept from before opens at once, with or without the network:
 * the replica and its outbox are on this computer. */
static gboolean
resume (LdApplication *self)
{
  g_autofree char *server = g_settings_get_string (self->settings, "server-url");
  g_autofree char *user = g_settings_get_string (self->settings, "user-name");
  g_autoptr(LdAccount) account = NULL;
  g_autoptr(LdReplica) replica = NULL;
  g_autoptr(LdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (*user == '\0')
    return FALSE;
  account = ld_account_load (self->base_dir, server, user, &error);
  if (account == NULL || !ld_account_has_replica (account))
    {
      if (error && !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_message ("no session to resume: %s", error->message);
      return FALSE;
    }
  path = ld_account_get_replica_path (account);
  store = ld_store_open (path, &error);
  if (store == NULL)
    {
      g_warning ("cannot open %s: %s", path, error->message);
      return FALSE;
    }
  replica = ld_replica_new (store, ld_account_get_user (account), ld_account_get_device (account));
  show_main (self, account, replica);
  return TRUE;
}

static void
ld_application_activate (GApplication *app)
{
  LdApplication *self = LD_APPLICATION (app);
  g_autofree char *password = NULL;

  if (self->window)
    {
      gtk_window_present (self->window);
      return;
    }
  if (self->opt_password_file)
    {
      g_autoptr(GError) error = NULL;

      if (!g_file_get_contents (self->opt_password_file, &password, NULL, &error))
        g_warning ("%s", error->message);
      else
        g_strchomp (password);
    }
  if (self->opt_server)
    g_settings_set_string (self->settings, "server-url", self->opt_server);
  if (self->opt_user)
    g_settings_set_string (self->settings, "user-name", self->opt_user);
  if (password || !resume (self))
    show_login (self, password);
}

static void
quit_activated (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  g_application_quit (G_APPLICATION (data));
}

static void
about_activated (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  LdApplication *self = data;
  static const char *developers[] = { "The Liandong authors", NULL };

  adw_show_about_window (self->window,
                         "application-name", _("Liandong"),
                         "application-icon", "cn.liandong.Liandong",
                         "version", PACKAGE_VERSION,
                         "comments", _("Command system for social emergency linkage centers: dispatch, drills, dashboard and the monthly bulletin"),
                         "developer-name", "The Liandong authors",
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
preferences_activated (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  LdApplication *self = data;

  gtk_window_present (GTK_WINDOW (ld_preferences_window_new (self->window, self->settings)));
}

static void
on_logged_out (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = ld_client_request_finish (result, &error);

  /* The token is already forgotten here; the server's copy expires anyway. */
  if (answer == NULL)
    g_debug ("logout: %s", error->message);
}

static void
sign_out_activated (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  LdApplication *self = data;
  g_autoptr(GError) error = NULL;

  if (self->engine)
    {
      LdAccount *account = ld_sync_engine_get_account (self->engine);
      g_autofree char *url = ld_client_api_url (ld_account_get_server_url (account), "/logout");
      g_autofree char *token = g_strdup (ld_account_get_token (account));

      ld_sync_engine_stop (self->engine);
      if (!ld_account_sign_out (account, &error))
        g_warning ("%s", error->message);
      if (token)
        {
          g_autoptr(JsonNode) body = json_from_string ("{}", NULL);
          ld_client_request_async (self->session, "POST", url, token, body, NULL, on_logged_out, NULL);
        }
      g_clear_object (&self->engine);
    }
  show_login (self, NULL);
}

/* A new order's notification opens the desk on that order, from a hidden
 * or minimised window too. */
static void
show_order_activated (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  LdApplication *self = data;

  if (self->window == NULL || !LD_IS_WINDOW (self->window))
    return;
  gtk_window_present (self->window);
  gtk_widget_activate_action_variant (GTK_WIDGET (self->window), "workspace.show-order", parameter);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "about", about_activated },
  { "preferences", preferences_activated },
  { "sign-out", sign_out_activated },
  { "show-order", show_order_activated, "s" },
};

/* Whether GTK's GL would run on the CPU: llvmpipe or softpipe, as under
 * Xvfb and in the virtual machines and remote desktops of government
 * intranets. */
static gboolean
gl_is_software (GdkDisplay *display)
{
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char *renderer;
  gboolean software;

  /* No GL at all: GTK falls back to cairo by itself. */
  if (display == NULL || (context = gdk_display_create_gl_context (display, &error)) == NULL ||
      !gdk_gl_context_realize (context, &error))
    return FALSE;
  gdk_gl_context_make_current (context);
  renderer = (const char *) glGetString (GL_RENDERER);
  software = renderer && (strstr (renderer, "llvmpipe") || strstr (renderer, "softpipe") ||
                          strstr (renderer, "Software Rasterizer") || strstr (renderer, "SWR"));
  g_debug ("GL renderer: %s", renderer ? renderer : "(none)");
  gdk_gl_context_clear_current ();
  return software;
}

const char *
ld_application_choose_renderer (GdkDisplay *display)
{
  /* On software GL, GTK 4.8's GL renderer draws a glyph placed at a
   * fraction of a pixel clipped: regular-weight Chinese lost strokes (电
   * drawn as 申, 地 as 坤) where cairo drew them whole. It also cost the
   * desktop thirteen times cairo's CPU up to its first frame (11 s against
   * 0.8 s for a dispatcher's first sign-in, Xvfb on llvmpipe). So where GL
   * runs on the CPU, cairo draws; whoever sets GSK_RENDERER decides. Read
   * by GTK when it makes the first window's renderer: before that, here. */
  if (g_getenv ("GSK_RENDERER") == NULL && gl_is_software (display))
    g_setenv ("GSK_RENDERER", "cairo", TRUE);
  return g_getenv ("GSK_RENDERER");
}

static void
ld_application_startup (GApplication *app)
{
  LdApplication *self = LD_APPLICATION (app);
  g_autoptr(GAction) wall_screen = NULL;
  static const char *quit_accels[] = { "<Primary>q", NULL };
  static const char *preferences_accels[] = { "<Primary>comma", NULL };
  static const char *wall_accels[] = { "F11", NULL };

  G_APPLICATION_CLASS (ld_application_parent_class)->startup (app);

  ld_application_choose_renderer (gdk_display_get_default ());
  self->settings = g_settings_new ("cn.liandong.Liandong");
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  wall_screen = g_settings_create_action (self->settings, "wall-screen");
  g_action_map_add_action (G_ACTION_MAP (self), wall_screen);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.wall-screen", wall_accels);
}

static void
ld_application_shutdown (GApplication *app)
{
  LdApplication *self = LD_APPLICATION (app);

  if (self->engine)
    ld_sync_engine_stop (self->engine);
  G_APPLICATION_CLASS (ld_application_parent_class)->shutdown (app);
}

static int
ld_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  LdApplication *self = LD_APPLICATION (app);

  g_variant_dict_lookup (options, "server", "s", &self->opt_server);
  g_variant_dict_lookup (options, "user", "s", &self->opt_user);
  g_variant_dict_lookup (options, "password-file", "^ay", &self->opt_password_file);
  return -1;
}

static void
ld_application_finalize (GObject *object)
{
  LdApplication *self = LD_APPLICATION (object);

  g_clear_object (&self->engine);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_free (self->base_dir);
  g_free (self->opt_server);
  g_free (self->opt_user);
  g_free (self->opt_password_file);

  G_OBJECT_CLASS (ld_application_parent_class)->finalize (object);
}

static void
ld_application_class_init (LdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = ld_application_finalize;
  app_class->activate = ld_application_activate;
  app_class->startup = ld_application_startup;
  app_class->shutdown = ld_application_shutdown;
  app_class->handle_local_options = ld_application_handle_local_options;
}

static const GOptionEntry options[] = {
  { "server", 0, 0, G_OPTION_ARG_STRING, NULL, N_("The central server's address"), N_("URL") },
  { "user", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Sign in as this user"), N_("NAME") },
  { "password-file", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Read the password from this file and sign in at once"), N_("FILE") },
  { NULL }
};

static void
ld_application_init (LdApplication *self)
{
  self->session = soup_session_new ();
  self->base_dir = g_build_filename (g_get_user_data_dir (), "liandong", NULL);
  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

LdApplication *
ld_application_new (void)
{
  return g_object_new (LD_TYPE_APPLICATION,
                       "application-id", "cn.liandong.Liandong",
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/cn/liandong/Liandong",
                       NULL);
}
