/* ld-login-window.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include "ld-client.h"
#include "ld-login-window.h"

struct _LdLoginWindow
{
  AdwApplicationWindow  parent_instance;

  AdwEntryRow          *server_row;
  AdwEntryRow          *user_row;
  AdwPasswordEntryRow  *password_row;
  GtkLabel             *message_label;
  GtkButton            *sign_in_button;
  GtkSpinner           *spinner;

  SoupSession          *session;
  char                 *base_dir;
  GCancellable         *cancellable;
  LdAccount            *account;
};

G_DEFINE_FINAL_TYPE (LdLoginWindow, ld_login_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_busy (LdLoginWindow *self, gboolean busy, const char *message, gboolean is_error)
{
  /* GTK 4.8 loses track of an entry that goes insensitive with the focus. */
  if (busy)
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->user_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), !busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_label_set_label (self->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
}

static void
on_replica_opened (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(LdLoginWindow) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(LdReplica) replica = ld_account_open_replica_finish (LD_ACCOUNT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (replica == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The records could not be copied to this computer: %s"),
                                                  error->message);
      set_busy (self, FALSE, message, TRUE);
      return;
    }
  set_busy (self, FALSE, NULL, FALSE);
  g_signal_emit (self, signals[SIGNED_IN], 0, self->account, replica);
}

static void
on_logged_in (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(LdLoginWindow) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(LdAccount) account = ld_account_login_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (account == NULL)
    {
      /* Said in the desk's language, whatever the server's is. */
      gboolean refused = g_error_matches (error, LD_CLIENT_ERROR, LD_CLIENT_ERROR_AUTH);

      set_busy (self, FALSE, refused ? _("Wrong user name or password") : error->message, TRUE);
      if (refused)
        gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }
  g_set_object (&self->account, account);
  set_busy (self, TRUE, ld_account_has_replica (account)
                        ? _("Opening the records on this computer…")
                        : _("Copying the center's records to this computer; the first time takes a while…"), FALSE);
  ld_account_open_replica_async (account, self->session, self->cancellable, on_replica_opened, g_object_ref (self));
}

static void
on_sign_in (LdLoginWindow *self)
{
  const char *server = gtk_editable_get_text (GTK_EDITABLE (self->server_row));
  const char *user = gtk_editable_get_text (GTK_EDITABLE (self->user_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  if (*server == '\0' || *user == '\0' || *password == '\0')
    {
      set_busy (self, FALSE, _("Enter the server, your user name and your password"), TRUE);
      return;
    }
  set_busy (self, TRUE, _("Signing in…"), FALSE);
  ld_account_login_async (self->session, self->base_dir, server, user, password, self->cancellable,
                          on_logged_in, g_object_ref (self));
}

void
ld_login_window_sign_in (LdLoginWindow *self, const char *password)
{
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
  on_sign_in (self);
}

static void
ld_login_window_dispose (GObject *object)
{
  LdLoginWindow *self = LD_LOGIN_WINDOW (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_LOGIN_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->account);
  g_clear_pointer (&self->base_dir, g_free);

  G_OBJECT_CLASS (ld_login_window_parent_class)->dispose (object);
}

static void
ld_login_window_class_init (LdLoginWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_login_window_dispose;

  signals[SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, LD_TYPE_ACCOUNT, LD_TYPE_REPLICA);

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-login-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LdLoginWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, LdLoginWindow, user_row);
  gtk_widget_class_bind_template_child (widget_class, LdLoginWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, LdLoginWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, LdLoginWindow, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, LdLoginWindow, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in);
}

static void
ld_login_window_init (LdLoginWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  set_busy (self, FALSE, NULL, FALSE);
}

LdLoginWindow *
ld_login_window_new (AdwApplication *application, SoupSession *session, const char *base_dir,
                     const char *server_url, const char *user_name)
{
  LdLoginWindow *self = g_object_new (LD_TYPE_LOGIN_WINDOW, "application", application, NULL);

  self->session = g_object_ref (session);
  self->base_dir = g_strdup (base_dir);
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server_url ? server_url : "");
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), user_name ? user_name : "");
  gtk_widget_grab_focus (GTK_WIDGET (user_name && *user_name ? (gpointer) self->password_row : (gpointer) self->user_row));
  return self;
}
