/* ld-category-picker.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include "ld-category-picker.h"
#include "ld-records.h"

struct _LdCategoryPicker
{
  GtkWidget          parent_instance;

  AdwEntryRow       *entry;
  GtkLabel          *mode_label;
  GtkWidget         *matches;
  GtkListBox        *list;

  GPtrArray         *categories;   /* LdCategory */
  GHashTable        *by_code;      /* code → LdCategory, borrowed from categories */
  GtkStringFilter   *filter;
  const LdCategory  *category;     /* the one chosen, or NULL */
};

G_DEFINE_FINAL_TYPE (LdCategoryPicker, ld_category_picker, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_CATEGORY_CODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

char *
ld_category_mode_text (const LdCategory *c)
{
  if (g_strcmp0 (c->mode, "divert") == 0)
    /* Translators: a diverting category's mode and its platform, e.g. "Divert to a platform: 114 car moving" */
    return g_strdup_printf (_("%s: %s"), ld_dispatch_mode_label (c->mode),
                            c->platform ? ld_platform_label (c->platform) : "");
  return g_strdup (ld_dispatch_mode_label (c->mode));
}

static void
choose (LdCategoryPicker *self, const LdCategory *c)
{
  const LdCategory *before = self->category;

  if (c)
    {
      g_autofree char *mode = ld_category_mode_text (c);

      /* The text first, with nothing chosen: replacing it passes through
       * other texts, each of which would unchoose and say so. */
      self->category = NULL;
      gtk_editable_set_text (GTK_EDITABLE (self->entry), c->name);
      gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
      gtk_label_set_label (self->mode_label, mode);
    }
  self->category = c;
  gtk_widget_set_visible (GTK_WIDGET (self->mode_label), c != NULL);
  gtk_widget_set_visible (self->matches, FALSE);
  if (c != before)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATEGORY_CODE]);
}

static void
on_changed (LdCategoryPicker *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autofree char *query = g_strstrip (g_strdup (text));

  if (self->category && g_str_equal (text, self->category->name))
    return;
  if (self->category)
    choose (self, NULL);
  if (self->filter == NULL)
    return;
  gtk_string_filter_set_search (self->filter, query);
  gtk_widget_set_visible (self->matches, *query && gtk_widget_get_first_child (GTK_WIDGET (self->list)) != NULL);
}

static void
on_row_activated (LdCategoryPicker *self, GtkListBoxRow *row)
{
  choose (self, g_object_get_data (G_OBJECT (row), "ld-category"));
}

/* Enter takes the first match. */
static void
on_activated (LdCategoryPicker *self)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->list, 0);

  if (self->category == NULL && first && gtk_widget_get_visible (self->matches))
    on_row_activated (self, first);
}

static GtkWidget *
create_row (gpointer item, gpointer data)
{
  LdCategoryPicker *self = data;
  const LdCategory *c = g_hash_table_lookup (self->by_code, gtk_string_object_get_string (item));
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *mode = ld_category_mode_text (c);

  /* The responsibility list's names as the center wrote them. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), c->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), mode);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data (G_OBJECT (row), "ld-category", (gpointer) c);
  return row;
}

static char *
search_text (GtkStringObject *item, LdCategoryPicker *self)
{
  const LdCategory *c = g_hash_table_lookup (self->by_code, gtk_string_object_get_string (item));

  return c ? g_strconcat (c->name, " ", c->code, NULL) : NULL;
}

void
ld_category_picker_set_categories (LdCategoryPicker *self, GPtrArray *categories)
{
  g_autoptr(GtkStringList) codes = gtk_string_list_new (NULL);
  g_autoptr(GtkFilterListModel) matches = NULL;

  g_return_if_fail (LD_IS_CATEGORY_PICKER (self));
  g_return_if_fail (categories != NULL);

  if (self->category)
    choose (self, NULL);
  g_clear_pointer (&self->categories, g_ptr_array_unref);
  self->categories = g_ptr_array_ref (categories);
  g_hash_table_remove_all (self->by_code);
  for (guint i = 0; i < categories->len; i++)
    {
      LdCategory *c = g_ptr_array_index (categories, i);
      g_hash_table_insert (self->by_code, c->code, c);
      gtk_string_list_append (codes, c->code);
    }
  g_clear_object (&self->filter);
  self->filter = gtk_string_filter_new (gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                                     G_CALLBACK (search_text), self, NULL));
  gtk_string_filter_set_match_mode (self->filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->filter, TRUE);
  matches = gtk_filter_list_model_new (G_LIST_MODEL (g_steal_pointer (&codes)), GTK_FILTER (g_object_ref (self->filter)));
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (matches), create_row, self, NULL);
  on_changed (self);
}

const LdCategory *
ld_category_picker_get_category (LdCategoryPicker *self)
{
  g_return_val_if_fail (LD_IS_CATEGORY_PICKER (self), NULL);
  return self->category;
}

static void
ld_category_picker_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LdCategoryPicker *self = LD_CATEGORY_PICKER (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->entry)));
      break;
    case PROP_CATEGORY_CODE:
      g_value_set_string (value, self->category ? self->category->code : NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_category_picker_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LdCategoryPicker *self = LD_CATEGORY_PICKER (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->entry), g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_category_picker_dispose (GObject *object)
{
  LdCategoryPicker *self = LD_CATEGORY_PICKER (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_CATEGORY_PICKER);
  /* The template's list box holding the entry is not bound to a field. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->filter);
  g_clear_pointer (&self->by_code, g_hash_table_unref);
  g_clear_pointer (&self->categories, g_ptr_array_unref);
  G_OBJECT_CLASS (ld_category_picker_parent_class)->dispose (object);
}

static void
ld_category_picker_class_init (LdCategoryPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_category_picker_dispose;
  object_class->get_property = ld_category_picker_get_property;
  object_class->set_property = ld_category_picker_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CATEGORY_CODE] =
    g_param_spec_string ("category-code", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-category-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, LdCategoryPicker, entry);
  gtk_widget_class_bind_template_child (widget_class, LdCategoryPicker, mode_label);
  gtk_widget_class_bind_template_child (widget_class, LdCategoryPicker, matches);
  gtk_widget_class_bind_template_child (widget_class, LdCategoryPicker, list);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
ld_category_picker_init (LdCategoryPicker *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), 6);
  self->by_code = g_hash_table_new (g_str_hash, g_str_equal);
}
