/* ld-read-failure.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include "ld-read-failure.h"

struct _LdReadFailure
{
  GtkWidget    parent_instance;

  GtkRevealer *revealer;
  GtkLabel    *label;
};

G_DEFINE_FINAL_TYPE (LdReadFailure, ld_read_failure, GTK_TYPE_WIDGET)

enum {
  RETRY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GtkWidget *
ld_read_failure_new (void)
{
  return g_object_new (LD_TYPE_READ_FAILURE, NULL);
}

void
ld_read_failure_set_error (LdReadFailure *self, const char *what, const GError *error)
{
  g_autofree char *text = NULL;

  g_return_if_fail (LD_IS_READ_FAILURE (self));
  g_return_if_fail (error == NULL || what != NULL);

  if (error)
    /* TRANSLATORS: %s is what could not be read ("The open incidents"), then why. */
    text = g_strdup_printf (_("%s could not be read: %s"), what, error->message);
  /* The reason is the database's own words: text, never markup. */
  gtk_label_set_text (self->label, text ? text : "");
  gtk_revealer_set_reveal_child (self->revealer, error != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self), error != NULL);
}

const char *
ld_read_failure_get_text (LdReadFailure *self)
{
  g_return_val_if_fail (LD_IS_READ_FAILURE (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self)) ? gtk_label_get_text (self->label) : NULL;
}

static void
on_retry_clicked (LdReadFailure *self)
{
  g_signal_emit (self, signals[RETRY], 0);
}

static void
ld_read_failure_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LD_TYPE_READ_FAILURE);

  G_OBJECT_CLASS (ld_read_failure_parent_class)->dispose (object);
}

static void
ld_read_failure_class_init (LdReadFailureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_read_failure_dispose;

  signals[RETRY] = g_signal_new ("retry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-read-failure.ui");
  gtk_widget_class_bind_template_child (widget_class, LdReadFailure, revealer);
  gtk_widget_class_bind_template_child (widget_class, LdReadFailure, label);
  gtk_widget_class_bind_template_callback (widget_class, on_retry_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "readfailure");
}

static void
ld_read_failure_init (LdReadFailure *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
