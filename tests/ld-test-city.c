/* ld-test-city.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "ld-test-city.h"

const LdActor ld_test_actor = { "tester", "test-device" };

static LdBoundary *
square (double lat, double lon)
{
  g_autofree char *json = g_strdup_printf (
    "{\"type\":\"Polygon\",\"coordinates\":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}",
    lon, lat, lon + 1, lat, lon + 1, lat + 1, lon, lat + 1, lon, lat);
  return ld_boundary_new_from_geojson (json, LD_DATUM_WGS84, NULL);
}

LdStore *
ld_test_city_new (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdStore) store = ld_store_open (path ? path : ":memory:", &error);
  g_autoptr(LdBoundary) a = square (30, 120);
  g_autoptr(LdBoundary) b = square (30, 121);
  LdRegion c = { "C", "City", NULL };
  LdRegion ra = { "A", "District A", "C" };
  LdRegion rb = { "B", "District B", "C" };
  LdUnit police = { "POL", "City police", 1, "police", "C", "0573-110", NAN, NAN, FALSE, { 0, } };
  LdUnit market = { "MKT", "Market regulation", 2, "market", "A", NULL, 30.5, 120.5, FALSE, { 0, } };
  LdUnit town = { "TOWN", "B command room", 1, "district_center", "B", NULL, NAN, NAN, FALSE, { 60, 0, 0, 0 } };
  LdCategory noise = { "noise", "Noise", "immediate", NULL, "market", { 0, } };
  LdCategory fire = { "fire", "Fire", "joint", NULL, "fire,police", { 60, 900, 0, 0 } };

  g_assert_no_error (error);
  g_assert_true (ld_store_put_region (store, &c, NULL, &error));
  g_assert_true (ld_store_put_region (store, &ra, a, &error));
  g_assert_true (ld_store_put_region (store, &rb, b, &error));
  g_assert_true (ld_store_put_unit (store, &police, &error));
  g_assert_true (ld_store_put_unit (store, &market, &error));
  g_assert_true (ld_store_put_unit (store, &town, &error));
  g_assert_true (ld_store_put_category (store, &noise, &error));
  g_assert_true (ld_store_put_category (store, &fire, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

gint64
ld_test_time (LdStore *store, const char *local_text)
{
  g_autoptr(GError) error = NULL;
  gint64 t = 0;
  g_assert_true (ld_time_parse (local_text, ld_store_get_time_zone (store), &t, &error));
  g_assert_no_error (error);
  return t;
}
