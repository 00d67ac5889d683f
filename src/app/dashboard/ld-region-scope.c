/* ld-region-scope.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include "ld-records.h"
#include "ld-region-scope.h"

struct _LdRegionScope
{
  GtkWidget    parent_instance;

  GtkDropDown *drop_down;

  GPtrArray   *codes;     /* the list's region codes; the first, the center's top region, stands for all */
  gboolean     loading;   /* the list is being made again: no choice is being made */
};

G_DEFINE_FINAL_TYPE (LdRegionScope, ld_region_scope, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_REGION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
add_regions (LdRegionScope *self, GtkStringList *names, GPtrArray *regions, const char *parent, guint depth)
{
  for (guint i = 0; i < regions->len; i++)
    {
      LdRegion *r = g_ptr_array_index (regions, i);
      g_autoptr(GString) label = NULL;

      if (g_strcmp0 (r->parent_code, parent) != 0)
        continue;
      label = g_string_new (NULL);
      for (guint d = 0; d < depth; d++)
        g_string_append (label, "\u3000");
      g_string_append (label, r->name);
      g_ptr_array_add (self->codes, g_strdup (r->code));
      gtk_string_list_append (names, label->str);
      add_regions (self, names, regions, r->code, depth + 1);
    }
}

static guint
index_of (LdRegionScope *self, const char *region_code)
{
  for (guint i = 1; region_code && i < self->codes->len; i++)
    if (g_str_equal (g_ptr_array_index (self->codes, i), region_code))
      return i;
  return 0;
}

void
ld_region_scope_set_regions (LdRegionScope *self, GPtrArray *regions)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *was = g_strdup (ld_region_scope_get_region (self));

  g_return_if_fail (LD_IS_REGION_SCOPE (self));
  g_return_if_fail (regions != NULL);

  g_ptr_array_set_size (self->codes, 0);
  add_regions (self, names, regions, NULL, 0);
  self->loading = TRUE;
  gtk_drop_down_set_model (self->drop_down, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->drop_down, index_of (self, was));
  self->loading = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self), self->codes->len > 1);
}

const char *
ld_region_scope_get_region (LdRegionScope *self)
{
  guint chosen;

  g_return_val_if_fail (LD_IS_REGION_SCOPE (self), NULL);

  chosen = gtk_drop_down_get_selected (self->drop_down);
  /* The first choice is the whole center, rows placed nowhere included. */
  return chosen > 0 && chosen < self->codes->len ? g_ptr_array_index (self->codes, chosen) : NULL;
}

void
ld_region_scope_set_region (LdRegionScope *self, const char *region_code)
{
  g_return_if_fail (LD_IS_REGION_SCOPE (self));

  gtk_drop_down_set_selected (self->drop_down, index_of (self, region_code));
}

static void
on_selected (LdRegionScope *self)
{
  if (!self->loading)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGION]);
}

static void
ld_region_scope_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_REGION:
      g_value_set_string (value, ld_region_scope_get_region (LD_REGION_SCOPE (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_region_scope_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_REGION:
      ld_region_scope_set_region (LD_REGION_SCOPE (object), g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_region_scope_dispose (GObject *object)
{
  LdRegionScope *self = LD_REGION_SCOPE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_REGION_SCOPE);
  g_clear_pointer (&self->codes, g_ptr_array_unref);

  G_OBJECT_CLASS (ld_region_scope_parent_class)->dispose (object);
}

static void
ld_region_scope_class_init (LdRegionScopeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_region_scope_dispose;
  object_class->get_property = ld_region_scope_get_property;
  object_class->set_property = ld_region_scope_set_property;

  properties[PROP_REGION] =
    g_param_spec_string ("region", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-region-scope.ui");
  gtk_widget_class_bind_template_child (widget_class, LdRegionScope, drop_down);
  gtk_widget_class_bind_template_callback (widget_class, on_selected);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ld_region_scope_init (LdRegionScope *self)
{
  self->codes = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}
