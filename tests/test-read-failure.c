/* test-read-failure.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A read that fails is said, over the list it would have filled, with the
 * database's own reason shown as text; and it can be asked for again.
 */

#include "config.h"

#include <adwaita.h>
#include <gtk/gtk.h>

#include "ld-read-failure.h"
#include "ld-test-util.h"

static void
on_retry (LdReadFailure *failure, guint *count)
{
  (*count)++;
}

static GtkWidget *
find_button (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = GTK_IS_BUTTON (child) ? child : find_button (child);
      if (found)
        return found;
    }
  return NULL;
}

static void
test_shown_hidden_retried (void)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "disk I/O error <b>& 9");
  GtkWidget *failure = g_object_ref_sink (ld_read_failure_new ());
  guint retries = 0;

  /* Nothing failed: nothing is said, and nothing takes room. */
  g_assert_false (gtk_widget_get_visible (failure));
  g_assert_null (ld_read_failure_get_text (LD_READ_FAILURE (failure)));

  ld_read_failure_set_error (LD_READ_FAILURE (failure), "The open incidents", error);
  g_assert_true (gtk_widget_get_visible (failure));
  g_assert_cmpstr (ld_read_failure_get_text (LD_READ_FAILURE (failure)), ==,
                   "The open incidents could not be read: disk I/O error <b>& 9");

  g_signal_connect (failure, "retry", G_CALLBACK (on_retry), &retries);
  g_signal_emit_by_name (find_button (failure), "clicked");
  g_assert_cmpuint (retries, ==, 1);

  ld_read_failure_set_error (LD_READ_FAILURE (failure), NULL, NULL);
  g_assert_false (gtk_widget_get_visible (failure));
  g_assert_null (ld_read_failure_get_text (LD_READ_FAILURE (failure)));
  g_object_unref (failure);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ld_test_display_start ();
  if (!gtk_init_check ())
    g_error ("GTK cannot open the display %s", g_getenv ("DISPLAY"));
  adw_init ();

  g_test_add_func ("/read-failure/shown-hidden-retried", test_shown_hidden_retried);

  return g_test_run ();
}
