/* ld-training-report-window.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include "ld-json.h"
#include "ld-read-failure.h"
#include "ld-time.h"
#include "ld-training.h"
#include "ld-training-report-window.h"
#include "ld-window.h"

struct _LdTrainingReportWindow
{
  AdwWindow       parent_instance;

  AdwToastOverlay *toasts;
  GtkButton      *save_button;
  LdReadFailure  *failure;
  GtkLabel       *since_label;
  GtkTextView    *text_view;
  GtkLabel       *calls_value;
  GtkLabel       *in_time_value;
  GtkLabel       *right_value;
  GtkLabel       *wrong_value;
  GtkLabel       *missed_value;

  LdSyncEngine   *engine;
  GCancellable   *cancellable;
  char           *text;
};

G_DEFINE_FINAL_TYPE (LdTrainingReportWindow, ld_training_report_window, ADW_TYPE_WINDOW)

static void
set_count (GtkLabel *label, JsonObject *root, const char *member)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member_with_default (root, member, 0));

  gtk_label_set_label (label, text);
}

static void
show_report (LdTrainingReportWindow *self, JsonObject *root)
{
  const char *text = ld_json_get_string (root, "text");
  const char *since = ld_json_get_string (root, "since");
  g_autofree char *in_time = NULL;
  g_autofree char *since_text = NULL;
  g_autofree char *since_local = NULL;
  GTimeZone *tz = ld_store_get_time_zone (ld_sync_engine_get_store (self->engine));
  gint64 since_us;

  g_free (self->text);
  self->text = g_strdup (text ? text : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), self->text, -1);
  set_count (self->calls_value, root, "calls");
  set_count (self->right_value, root, "right");
  set_count (self->wrong_value, root, "wrong");
  set_count (self->missed_value, root, "missed");
  /* Translators: calls dispatched within the limit, of those dispatched: "7 / 9" */
  in_time = g_strdup_printf (_("%d / %d"), (int) json_object_get_int_member_with_default (root, "in_time", 0),
                             (int) json_object_get_int_member_with_default (root, "dispatched", 0));
  gtk_label_set_label (self->in_time_value, in_time);
  /* Translators: %s is when the session began; %d the seconds a call may wait for its first order. */
  if (since && ld_time_parse (since, tz, &since_us, NULL))
    since_local = ld_time_format (since_us, tz);
  since_text = g_strdup_printf (_("The calls since %s, each judged against the responsibility list; in time means the first order within %d s."),
                                since_local ? since_local : "—", LD_TRAINING_DISPATCH_S);
  gtk_label_set_text (self->since_label, since_text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), TRUE);
}

static void
on_report (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(LdTrainingReportWindow) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = ld_sync_engine_get_finish (self->engine, result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      if (error == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The server's answer is not a report"));
      ld_read_failure_set_error (self->failure, _("The training report"), error);
      return;
    }
  ld_read_failure_set_error (self->failure, NULL, NULL);
  show_report (self, json_node_get_object (root));
}

void
ld_training_report_window_reload (LdTrainingReportWindow *self)
{
  g_return_if_fail (LD_IS_TRAINING_REPORT_WINDOW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  ld_sync_engine_get_async (self->engine, "/training/report", self->cancellable, on_report, g_object_ref (self));
}

static void
on_save_response (GtkNativeDialog *dialog, int response, LdTrainingReportWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);
  if (file == NULL)
    return;
  path = g_file_get_path (file);
  if (path == NULL || !ld_training_text_write_pdf (self->text, path, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The PDF could not be written: %s"),
                                                  error ? error->message : _("not a local file"));
      adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
      return;
    }
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (_("Saved")));
}

static void
on_save_clicked (LdTrainingReportWindow *self)
{
  GtkFileChooserNative *dialog;

  if (self->text == NULL)
    return;
  dialog = gtk_file_chooser_native_new (_("Save the Training Report"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  /* Translators: the file name offered for the training report's PDF */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _("training-report.pdf"));
  g_signal_connect (dialog, "response", G_CALLBACK (on_save_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

LdTrainingReportWindow *
ld_training_report_window_new (GtkWindow *parent, LdSyncEngine *engine)
{
  LdTrainingReportWindow *self;

  g_return_val_if_fail (LD_IS_SYNC_ENGINE (engine), NULL);

  self = g_object_new (LD_TYPE_TRAINING_REPORT_WINDOW, "transient-for", parent, NULL);
  self->engine = g_object_ref (engine);
  ld_window_mark_training (parent, ADW_WINDOW (self));
  ld_training_report_window_reload (self);
  return self;
}

const char *
ld_training_report_window_get_text (LdTrainingReportWindow *self)
{
  g_return_val_if_fail (LD_IS_TRAINING_REPORT_WINDOW (self), NULL);

  return self->text;
}

const char *
ld_training_report_window_get_figure (LdTrainingReportWindow *self, const char *key)
{
  g_return_val_if_fail (LD_IS_TRAINING_REPORT_WINDOW (self), NULL);

  if (g_str_equal (key, "calls"))
    return gtk_label_get_label (self->calls_value);
  if (g_str_equal (key, "in-time"))
    return gtk_label_get_label (self->in_time_value);
  if (g_str_equal (key, "right"))
    return gtk_label_get_label (self->right_value);
  if (g_str_equal (key, "wrong"))
    return gtk_label_get_label (self->wrong_value);
  if (g_str_equal (key, "missed"))
    return gtk_label_get_label (self->missed_value);
  g_return_val_if_reached (NULL);
}

static void
ld_training_report_window_dispose (GObject *object)
{
  LdTrainingReportWindow *self = LD_TRAINING_REPORT_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_TRAINING_REPORT_WINDOW);

  G_OBJECT_CLASS (ld_training_report_window_parent_class)->dispose (object);
}

static void
ld_training_report_window_finalize (GObject *object)
{
  LdTrainingReportWindow *self = LD_TRAINING_REPORT_WINDOW (object);

  g_clear_object (&self->engine);
  g_free (self->text);

  G_OBJECT_CLASS (ld_training_report_window_parent_class)->finalize (object);
}

static void
ld_training_report_window_class_init (LdTrainingReportWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_training_report_window_dispose;
  object_class->finalize = ld_training_report_window_finalize;

  g_type_ensure (LD_TYPE_READ_FAILURE);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-training-report-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LdTrainingReportWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, LdTrainingReportWindow, save_button);
  gtk_widget_class_bind_template_child (widget_class, LdTrainingReportWindow, failure);
  gtk_widget_class_bind_template_child (widget_class, LdTrainingReportWindow, since_label);
  gtk_widget_class_bind_template_child (widget_class, LdTrainingReportWindow, text_view);
  gtk_widget_class_bind_template_child (widget_class, LdTrainingReportWindow, calls_value);
  gtk_widget_class_bind_template_child (widget_class, LdTrainingReportWindow, in_time_value);
  gtk_widget_class_bind_template_child (widget_class, LdTrainingReportWindow, right_value);
  gtk_widget_class_bind_template_child (widget_class, LdTrainingReportWindow, wrong_value);
  gtk_widget_class_bind_template_child (widget_class, LdTrainingReportWindow, missed_value);
  gtk_widget_class_bind_template_callback (widget_class, ld_training_report_window_reload);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ld_training_report_window_init (LdTrainingReportWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
