/* test-recommend.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "ld-recommend.h"
#include "ld-test-city.h"

/* The units the responsibility list sends a matter to, found by walking up
 * from the place's region to the city. */

static void
put_unit (LdStore *store, const char *code, int tier, const char *kind, const char *region, gboolean inactive)
{
  g_autoptr(GError) error = NULL;
  LdUnit u = { (char *) code, (char *) code, tier, (char *) kind, (char *) region, NULL, NAN, NAN, inactive, { 0, } };

  g_assert_true (ld_store_put_unit (store, &u, &error));
  g_assert_no_error (error);
}

static void
put_category (LdStore *store, const char *code, const char *mode, const char *platform, const char *kinds)
{
  g_autoptr(GError) error = NULL;
  LdCategory c = { (char *) code, (char *) code, (char *) mode, (char *) platform, (char *) kinds, { 0, } };

  g_assert_true (ld_store_put_category (store, &c, &error));
  g_assert_no_error (error);
}

/* The codes recommended, joined by commas. */
static char *
recommend (LdStore *store, const char *category, const char *region)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) units = ld_recommend_units (store, category, region, &error);
  g_autoptr(GString) codes = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (units);
  for (guint i = 0; i < units->len; i++)
    g_string_append_printf (codes, "%s%s", i ? "," : "", ((LdUnit *) g_ptr_array_index (units, i))->code);
  return g_string_free (g_steal_pointer (&codes), FALSE);
}

static void
test_own_region (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autofree char *codes = recommend (store, "noise", "A");

  /* Noise in A goes to A's market regulation. */
  g_assert_cmpstr (codes, ==, "MKT");
}

static void
test_parent_region (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autoptr(GError) error = NULL;
  LdRegion street = { "A1", "Street in A", "A" };
  g_autofree char *codes = NULL;

  g_assert_true (ld_store_put_region (store, &street, NULL, &error));
  g_assert_no_error (error);
  /* The street has no market regulation of its own: the district's answers. */
  codes = recommend (store, "noise", "A1");
  g_assert_cmpstr (codes, ==, "MKT");
}

static void
test_top_region (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autofree char *in_b = NULL;
  g_autofree char *nowhere = NULL;

  put_unit (store, "FIRE-C", 1, "fire", "C", FALSE);
  /* Fire and police in B are the city's; B has neither. */
  in_b = recommend (store, "fire", "B");
  g_assert_cmpstr (in_b, ==, "FIRE-C,POL");
  /* A call with no place yet starts at the city. */
  nowhere = recommend (store, "fire", NULL);
  g_assert_cmpstr (nowhere, ==, "FIRE-C,POL");
}

static void
test_inactive_skipped (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autofree char *codes = NULL;
  g_autofree char *none = NULL;

  put_unit (store, "MKT-C", 2, "market", "C", FALSE);
  put_unit (store, "MKT", 2, "market", "A", TRUE);
  /* A's own is stood down: the city's answers. */
  codes = recommend (store, "noise", "A");
  g_assert_cmpstr (codes, ==, "MKT-C");

  put_unit (store, "MKT-C", 2, "market", "C", TRUE);
  none = recommend (store, "noise", "A");
  g_assert_cmpstr (none, ==, "");
}

static void
test_joint (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autofree char *codes = NULL;

  put_unit (store, "FIRE-A", 1, "fire", "A", FALSE);
  put_unit (store, "MED-C", 1, "medical", "C", FALSE);
  /* In the list's order, each kind once, the kind listed twice too. */
  put_category (store, "trapped", "joint", NULL, "police, fire,medical,fire");
  codes = recommend (store, "trapped", "A");
  g_assert_cmpstr (codes, ==, "POL,FIRE-A,MED-C");
}

static void
test_unknown_category (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autofree char *unknown = recommend (store, "no-such-matter", "A");
  g_autofree char *diverted = NULL;

  g_assert_cmpstr (unknown, ==, "");
  put_category (store, "parking", "divert", "114", NULL);
  diverted = recommend (store, "parking", "A");
  g_assert_cmpstr (diverted, ==, "");
}

static void
test_tier (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autofree char *codes = NULL;

  put_unit (store, "MKT-0", 3, "market", "A", FALSE);
  put_unit (store, "MKT-1", 1, "market", "A", FALSE);
  put_unit (store, "MKT-2", 1, "market", "A", FALSE);
  /* The lowest tier, then the code; a tier-1 unit of the city does not
   * outrank the district's own. */
  put_unit (store, "MKT-00", 1, "market", "C", FALSE);
  codes = recommend (store, "noise", "A");
  g_assert_cmpstr (codes, ==, "MKT-1");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/recommend/own-region", test_own_region);
  g_test_add_func ("/recommend/parent-region", test_parent_region);
  g_test_add_func ("/recommend/top-region", test_top_region);
  g_test_add_func ("/recommend/inactive-skipped", test_inactive_skipped);
  g_test_add_func ("/recommend/joint", test_joint);
  g_test_add_func ("/recommend/unknown-category", test_unknown_category);
  g_test_add_func ("/recommend/tier", test_tier);
  return g_test_run ();
}
