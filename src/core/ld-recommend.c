/* ld-recommend.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ld-recommend.h"

/* The regions a place answers to, its own first and the city last. A
 * place with no region starts at the top: every region without a parent. */
static GPtrArray *
region_chain (LdStore *store, const char *region_code, GError **error)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *code = g_strdup (region_code);

  if (code == NULL)
    {
      g_autoptr(GPtrArray) regions = ld_store_list_regions (store, error);

      if (regions == NULL)
        return NULL;
      for (guint i = 0; i < regions->len; i++)
        {
          LdRegion *r = g_ptr_array_index (regions, i);

          if (r->parent_code == NULL)
            g_ptr_array_add (chain, g_strdup (r->code));
        }
      return g_steal_pointer (&chain);
    }
  /* The bound guards against a cycle written by hand into the reference data. */
  while (code != NULL && chain->len < 64)
    {
      g_autoptr(LdRegion) region = ld_store_get_region (store, code, NULL);

      g_ptr_array_add (chain, g_steal_pointer (&code));
      if (region != NULL)
        code = g_strdup (region->parent_code);
    }
  return g_steal_pointer (&chain);
}

static gboolean
better (const LdUnit *a, const LdUnit *b)
{
  return b == NULL || a->tier < b->tier || (a->tier == b->tier && g_strcmp0 (a->code, b->code) < 0);
}

GPtrArray *
ld_recommend_units (LdStore *store, const char *category_code, const char *region_code, GError **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) ld_unit_free);
  g_autoptr(LdCategory) category = NULL;
  g_autoptr(GPtrArray) units = NULL;
  g_autoptr(GPtrArray) chain = NULL;
  g_auto(GStrv) kinds = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (LD_IS_STORE (store), NULL);

  if (category_code == NULL)
    return g_steal_pointer (&result);
  category = ld_store_get_category (store, category_code, &local_error);
  if (category == NULL)
    {
      if (g_error_matches (local_error, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND))
        return g_steal_pointer (&result);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (category->unit_categories == NULL)
    return g_steal_pointer (&result);

  /* A city has a few hundred units: one pass over them per kind is cheaper
   * than a query per region and kind. */
  units = ld_store_list_units (store, error);
  if (units == NULL)
    return NULL;
  chain = region_chain (store, region_code, error);
  if (chain == NULL)
    return NULL;

  kinds = g_strsplit (category->unit_categories, ",", -1);
  for (guint k = 0; kinds[k]; k++)
    {
      const char *kind = g_strstrip (kinds[k]);

      /* A kind listed twice still sends one unit. */
      if (*kind == '\0' || !g_hash_table_add (seen, (gpointer) kind))
        continue;
      for (guint r = 0; r < chain->len; r++)
        {
          const char *region = g_ptr_array_index (chain, r);
          guint best = G_MAXUINT;

          for (guint i = 0; i < units->len; i++)
            {
              const LdUnit *u = g_ptr_array_index (units, i);

              if (!u->inactive && g_strcmp0 (u->category, kind) == 0 && g_strcmp0 (u->region_code, region) == 0 &&
                  better (u, best == G_MAXUINT ? NULL : g_ptr_array_index (units, best)))
                best = i;
            }
          if (best != G_MAXUINT)
            {
              g_ptr_array_add (result, g_ptr_array_steal_index (units, best));
              break;
            }
        }
    }
  return g_steal_pointer (&result);
}
