/* ld-drill-photos.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ld-drill-photos.h"
#include "ld-read-failure.h"

struct _LdDrillPhotos
{
  GtkWidget      parent_instance;

  GtkWidget     *add_button;
  LdReadFailure *units_failure;
  GtkWidget     *empty_label;
  GtkFlowBox    *flow;

  LdDrillQuery  *query;
  char          *drill_id;
  char          *key;        /* the photos shown, by id: a tap on the drill leaves them be */
};

G_DEFINE_FINAL_TYPE (LdDrillPhotos, ld_drill_photos, GTK_TYPE_WIDGET)

enum {
  ADD,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_photo_clicked (GtkButton *button, LdDrillPhotos *self)
{
  GBytes *data = g_object_get_data (G_OBJECT (button), "ld-data");
  const char *title = g_object_get_data (G_OBJECT (button), "ld-title");
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (data, NULL);
  GtkWidget *window, *box, *header, *picture;

  if (texture == NULL)
    return;
  window = adw_window_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (title, NULL));
  gtk_widget_set_vexpand (picture, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), picture);
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 720);
  gtk_window_present (GTK_WINDOW (window));
}

/* A thumbnail decoded small: a full photo is 7 MB of pixels. */
static GdkTexture *
thumbnail (GBytes *data)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (data);
  g_autoptr(GdkPixbuf) small = gdk_pixbuf_new_from_stream_at_scale (stream, 320, 240, TRUE, NULL, NULL);

  return small ? gdk_texture_new_for_pixbuf (small) : NULL;
}

static GtkWidget *
photo_button (LdDrillPhotos *self, const LdDrillPhoto *photo, GdkTexture *texture, GHashTable *unit_names)
{
  g_autofree char *when = ld_time_format_short (photo->at, ld_drill_query_get_time_zone (self->query));
  const char *of = photo->unit_code ? g_hash_table_lookup (unit_names, photo->unit_code) : NULL;
  /* Translators: a drill photo's caption: when it was taken, and of what */
  g_autofree char *title = g_strdup_printf (_("%s · %s"), when, of ? of : _("The whole drill"));
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
  GtkWidget *label = gtk_label_new (title);

  gtk_widget_set_size_request (picture, 160, 120);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (box), picture);
  gtk_box_append (GTK_BOX (box), label);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, title);
  g_object_set_data_full (G_OBJECT (button), "ld-data", g_bytes_ref (photo->data), (GDestroyNotify) g_bytes_unref);
  g_object_set_data_full (G_OBJECT (button), "ld-title", g_steal_pointer (&title), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_photo_clicked), self);
  return button;
}

gboolean
ld_drill_photos_show (LdDrillPhotos *self, const char *drill_id, GHashTable *unit_names, GError **error)
{
  g_autoptr(GPtrArray) photos = NULL;
  g_autoptr(GString) key = NULL;
  guint shown = 0;

  g_return_val_if_fail (LD_IS_DRILL_PHOTOS (self), FALSE);
  g_return_val_if_fail (self->query != NULL, FALSE);

  g_free (self->drill_id);
  self->drill_id = g_strdup (drill_id);
  gtk_widget_set_visible (self->add_button, ld_drill_query_can_run (self->query));
  photos = ld_drill_query_list_photos (self->query, drill_id, error);
  if (photos == NULL)
    return FALSE;
  key = g_string_new (drill_id);
  for (guint i = 0; i < photos->len; i++)
    g_string_append_printf (key, " %s", ((LdDrillPhoto *) g_ptr_array_index (photos, i))->id);
  if (g_strcmp0 (key->str, self->key) == 0)
    return TRUE;
  g_free (self->key);
  self->key = g_string_free (g_steal_pointer (&key), FALSE);

  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self->flow)));)
    gtk_flow_box_remove (self->flow, child);
  for (guint i = 0; i < photos->len; i++)
    {
      const LdDrillPhoto *photo = g_ptr_array_index (photos, i);
      g_autoptr(GdkTexture) texture = thumbnail (photo->data);

      /* A photo that does not decode is the server's to keep, not ours to show. */
      if (texture == NULL)
        continue;
      gtk_flow_box_append (self->flow, photo_button (self, photo, texture, unit_names));
      shown++;
    }
  gtk_widget_set_visible (self->empty_label, shown == 0);
  return TRUE;
}

static void
on_photo_chosen (GtkNativeDialog *dialog, int response, LdDrillPhotos *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  const char *unit = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "unit");

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file)
    path = g_file_get_path (file);
  if (path)
    g_signal_emit (self, signals[ADD], 0, path, unit ? unit : "");
  g_object_unref (dialog);
}

static void
on_add_clicked (LdDrillPhotos *self)
{
  g_autoptr(GPtrArray) units = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GError) error = NULL;
  GtkFileChooserNative *dialog;

  if (self->drill_id == NULL)
    return;
  units = ld_drill_query_list_units (self->query, self->drill_id, &error);
  g_ptr_array_add (ids, (gpointer) "");
  g_ptr_array_add (labels, (gpointer) _("The whole drill"));
  for (guint i = 0; units && i < units->len; i++)
    {
      const LdDrillUnit *du = g_ptr_array_index (units, i);
      char *name = ld_drill_query_dup_unit_name (self->query, du->unit_code, &error);

      if (name == NULL)
        break;
      g_ptr_array_add (ids, du->unit_code);
      g_ptr_array_add (names, name);
      g_ptr_array_add (labels, name);
    }
  /* Without the units the photo could only be of the whole drill: say so
   * rather than offer a choice with some missing. */
  ld_read_failure_set_error (self->units_failure, _("The drill's units"), error);
  if (error)
    return;
  g_ptr_array_add (ids, NULL);
  g_ptr_array_add (labels, NULL);

  dialog = gtk_file_chooser_native_new (_("Add a Photo"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_filter_set_name (filter, _("Images"));
  gtk_file_filter_add_pixbuf_formats (filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  /* Translators: in the photo chooser: what the photo shows, the whole drill or one unit */
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (dialog), "unit", _("Of"),
                               (const char **) ids->pdata, (const char **) labels->pdata);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (dialog), "unit", "");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_photo_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

void
ld_drill_photos_set_query (LdDrillPhotos *self, LdDrillQuery *query)
{
  g_return_if_fail (LD_IS_DRILL_PHOTOS (self));
  g_return_if_fail (LD_IS_DRILL_QUERY (query));

  g_set_object (&self->query, query);
  g_clear_pointer (&self->key, g_free);
}

static void
ld_drill_photos_dispose (GObject *object)
{
  LdDrillPhotos *self = LD_DRILL_PHOTOS (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_DRILL_PHOTOS);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->query);
  g_clear_pointer (&self->drill_id, g_free);
  g_clear_pointer (&self->key, g_free);

  G_OBJECT_CLASS (ld_drill_photos_parent_class)->dispose (object);
}

static void
ld_drill_photos_class_init (LdDrillPhotosClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_drill_photos_dispose;

  signals[ADD] = g_signal_new ("add", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                               0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  g_type_ensure (LD_TYPE_READ_FAILURE);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-drill-photos.ui");
  gtk_widget_class_bind_template_child (widget_class, LdDrillPhotos, add_button);
  gtk_widget_class_bind_template_child (widget_class, LdDrillPhotos, units_failure);
  gtk_widget_class_bind_template_child (widget_class, LdDrillPhotos, empty_label);
  gtk_widget_class_bind_template_child (widget_class, LdDrillPhotos, flow);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
}

static void
ld_drill_photos_init (LdDrillPhotos *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
