/* ld-dispatch-names.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include "ld-dispatch-names.h"

struct _LdDispatchNames
{
  GObject        parent_instance;

  GHashTable    *regions;
  GHashTable    *categories;
  GHashTable    *units;
  GPtrArray     *region_codes;
};

G_DEFINE_FINAL_TYPE (LdDispatchNames, ld_dispatch_names, G_TYPE_OBJECT)

LdDispatchNames *
ld_dispatch_names_new (void)
{
  return g_object_new (LD_TYPE_DISPATCH_NAMES, NULL);
}

gboolean
ld_dispatch_names_load (LdDispatchNames *self, LdStore *store, GError **error)
{
  g_autoptr(GPtrArray) regions = NULL;
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GPtrArray) units = NULL;

  g_return_val_if_fail (LD_IS_DISPATCH_NAMES (self), FALSE);

  if (!(regions = ld_store_list_regions (store, error)) ||
      !(categories = ld_store_list_categories (store, error)) ||
      !(units = ld_store_list_units (store, error)))
    return FALSE;

  g_hash_table_remove_all (self->regions);
  g_hash_table_remove_all (self->categories);
  g_hash_table_remove_all (self->units);
  g_ptr_array_set_size (self->region_codes, 0);
  for (guint i = 0; i < regions->len; i++)
    {
      LdRegion *r = g_ptr_array_index (regions, i);

      g_hash_table_insert (self->regions, g_strdup (r->code), g_strdup (r->name));
      g_ptr_array_add (self->region_codes, g_strdup (r->code));
    }
  for (guint i = 0; i < categories->len; i++)
    {
      LdCategory *c = g_ptr_array_index (categories, i);

      g_hash_table_insert (self->categories, g_strdup (c->code), g_strdup (c->name));
    }
  for (guint i = 0; i < units->len; i++)
    {
      LdUnit *u = g_ptr_array_index (units, i);

      g_hash_table_insert (self->units, g_strdup (u->code), g_strdup (u->name));
    }
  return TRUE;
}

static const char *
lookup (GHashTable *names, const char *code)
{
  const char *name = code ? g_hash_table_lookup (names, code) : NULL;

  return name ? name : code;
}

const char *
ld_dispatch_names_region (LdDispatchNames *self, const char *code)
{
  g_return_val_if_fail (LD_IS_DISPATCH_NAMES (self), NULL);
  return lookup (self->regions, code);
}

const char *
ld_dispatch_names_category (LdDispatchNames *self, const char *code)
{
  g_return_val_if_fail (LD_IS_DISPATCH_NAMES (self), NULL);
  return lookup (self->categories, code);
}

const char *
ld_dispatch_names_unit (LdDispatchNames *self, const char *code)
{
  g_return_val_if_fail (LD_IS_DISPATCH_NAMES (self), NULL);
  return lookup (self->units, code);
}

guint
ld_dispatch_names_get_n_regions (LdDispatchNames *self)
{
  g_return_val_if_fail (LD_IS_DISPATCH_NAMES (self), 0);
  return self->region_codes->len;
}

const char *
ld_dispatch_names_region_code (LdDispatchNames *self, guint position)
{
  g_return_val_if_fail (LD_IS_DISPATCH_NAMES (self), NULL);
  return position < self->region_codes->len ? g_ptr_array_index (self->region_codes, position) : NULL;
}

static void
ld_dispatch_names_finalize (GObject *object)
{
  LdDispatchNames *self = LD_DISPATCH_NAMES (object);

  g_hash_table_unref (self->regions);
  g_hash_table_unref (self->categories);
  g_hash_table_unref (self->units);
  g_ptr_array_unref (self->region_codes);

  G_OBJECT_CLASS (ld_dispatch_names_parent_class)->finalize (object);
}

static void
ld_dispatch_names_class_init (LdDispatchNamesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ld_dispatch_names_finalize;
}

static void
ld_dispatch_names_init (LdDispatchNames *self)
{
  self->regions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->categories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->units = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->region_codes = g_ptr_array_new_with_free_func (g_free);
}
