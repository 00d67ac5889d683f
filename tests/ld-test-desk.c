/* ld-test-desk.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include <signal.h>

#include "ld-login-window.h"
#include "ld-test-city.h"
#include "ld-test-desk.h"
#include "ld-test-server.h"
#include "ld-test-util.h"

void
ld_test_desk_init (int *argc, char ***argv)
{
  g_content_type_set_mime_dirs (NULL);
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ld_test_display_start ();
  if (!gtk_init_check ())
    g_error ("GTK cannot open the display %s", g_getenv ("DISPLAY"));
  adw_init ();
  /* A test waits for what a person would see, not for it to slide in;
   * and libadwaita 1.2 touches a toast dismissed during its slide-in after
   * freeing it (fixed in 1.3 by commit 1674ebc9), which an animation that
   * ends at once never leaves room for. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

typedef struct {
  LdAccount *account;
  LdReplica *replica;
} SignedIn;

static void
on_signed_in (LdLoginWindow *login, LdAccount *account, LdReplica *replica, SignedIn *s)
{
  s->account = g_object_ref (account);
  s->replica = g_object_ref (replica);
}

static gboolean
is_signed_in (gpointer data)
{
  return ((SignedIn *) data)->replica != NULL;
}

void
ld_test_sign_in (SoupSession  *session,
                 const char   *dir,
                 const char   *base,
                 const char   *user,
                 LdAccount   **account,
                 LdReplica   **replica)
{
  LdLoginWindow *login = ld_login_window_new (NULL, session, dir, base, user);
  SignedIn s = { NULL, };

  g_signal_connect (login, "signed-in", G_CALLBACK (on_signed_in), &s);
  gtk_window_present (GTK_WINDOW (login));
  ld_login_window_sign_in (login, "a-long-password");
  ld_test_wait_until (is_signed_in, &s, "the sign-in");
  gtk_window_destroy (GTK_WINDOW (login));
  *account = s.account;
  *replica = s.replica;
}

void
ld_test_desk_open (LdTestDesk *desk, const char *user, const char *role, void (*build) (LdStore *city))
{
  g_autofree char *base = NULL;
  g_autofree char *desktop = NULL;

  desk->dir = ld_test_make_tmp ("ld-desk-XXXXXX");
  desk->db = g_build_filename (desk->dir, "server.db", NULL);
  {
    g_autoptr(LdStore) city = ld_test_city_new (desk->db);

    if (build)
      build (city);
  }
  ld_test_server_add_user (desk->db, user, role);
  desktop = g_build_filename (desk->dir, "desktop", NULL);
  desk->server = ld_test_server_spawn (desk->db, "127.0.0.1:0", &base);
  desk->session = soup_session_new ();
  ld_test_sign_in (desk->session, desktop, base, user, &desk->account, &desk->replica);
  desk->engine = ld_sync_engine_new (desk->session, desk->account, desk->replica);
  ld_sync_engine_start (desk->engine);
}

void
ld_test_desk_close (LdTestDesk *desk)
{
  ld_sync_engine_stop (desk->engine);
  g_subprocess_send_signal (desk->server, SIGTERM);
  g_subprocess_wait (desk->server, NULL, NULL);
  g_clear_object (&desk->engine);
  g_clear_object (&desk->server);
  g_clear_object (&desk->account);
  g_clear_object (&desk->replica);
  g_clear_object (&desk->session);
  g_clear_pointer (&desk->db, g_free);
  g_clear_pointer (&desk->dir, g_free);
}

gboolean
ld_test_engine_is_online (gpointer engine)
{
  return ld_sync_engine_get_state (engine) == LD_SYNC_STATE_ONLINE && ld_sync_engine_is_idle (engine);
}

gboolean
ld_test_engine_is_drained (gpointer engine)
{
  return ld_test_engine_is_online (engine) && ld_sync_engine_get_n_pending (engine) == 0;
}

GtkWidget *
ld_test_find_widget (GtkWidget *root, GType type, const char *text)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    {
      const char *label = NULL;

      if (GTK_IS_BUTTON (root))
        label = gtk_button_get_label (GTK_BUTTON (root));
      else if (ADW_IS_PREFERENCES_ROW (root))
        label = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root));
      else if (ADW_IS_PREFERENCES_GROUP (root))
        label = adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (root));
      else if (GTK_IS_LABEL (root))
        label = gtk_label_get_label (GTK_LABEL (root));
      if (text == NULL || g_strcmp0 (label, text) == 0)
        return root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ld_test_find_widget (child, type, text);

      if (found)
        return found;
    }
  return NULL;
}

static gboolean
shows_label (GtkWidget *widget, const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (shows_label (child, text))
      return TRUE;
  return FALSE;
}

gboolean
ld_test_is_shown (gpointer data)
{
  LdTestShown *shown = data;

  return shows_label (shown->root, shown->text);
}
