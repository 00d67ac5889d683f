/* test-nearby.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "ld-geo.h"
#include "ld-nearby.h"
#include "ld-test-city.h"

/* The open incidents a new call's place is near: within 500 m, received in
 * the last two hours. The call is at 30.25, 120.75 (in district A) at noon. */

#define LAT 30.25
#define LON 120.75

static char *
add_incident (LdStore *store, const char *summary, const char *received, double lat, double lon)
{
  g_autoptr(GError) error = NULL;
  LdIncident inc = { 0, };
  char *id;

  inc.received_at = ld_test_time (store, received);
  inc.source = "110";
  inc.kind = "linkage";
  inc.category = "noise";
  inc.summary = (char *) summary;
  inc.lat = lat;
  inc.lon = lon;
  id = ld_store_add_incident (store, &inc, &ld_test_actor, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

/* The summaries found near the call, joined by commas. */
static char *
nearby (LdStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) near = ld_nearby_incidents (store, LAT, LON, ld_test_time (store, "2026-03-01 12:00:00"), &error);
  g_autoptr(GString) summaries = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (near);
  for (guint i = 0; i < near->len; i++)
    {
      const LdNearbyIncident *n = g_ptr_array_index (near, i);

      g_assert_cmpfloat_with_epsilon (n->metres, ld_geo_distance_m (LAT, LON, n->incident->lat, n->incident->lon), 1e-6);
      g_assert_cmpfloat (n->metres, <=, LD_NEARBY_M);
      g_string_append_printf (summaries, "%s%s", i ? "," : "", n->incident->summary);
    }
  return g_string_free (g_steal_pointer (&summaries), FALSE);
}

static void
test_within_500_m (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *found = NULL;

  /* 30 m and 450 m north are near; 550 m north is not. */
  a = add_incident (store, "30 m", "2026-03-01 11:30:00", LAT + 0.00027, LON);
  b = add_incident (store, "450 m", "2026-03-01 11:40:00", LAT + 0.00405, LON);
  c = add_incident (store, "550 m", "2026-03-01 11:50:00", LAT + 0.00495, LON);
  found = nearby (store);
  /* Newest first. */
  g_assert_cmpstr (found, ==, "450 m,30 m");
}

static void
test_last_two_hours (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autofree char *a = NULL, *b = NULL, *found = NULL;

  a = add_incident (store, "an hour ago", "2026-03-01 11:00:00", LAT, LON);
  b = add_incident (store, "three hours ago", "2026-03-01 09:00:00", LAT, LON);
  found = nearby (store);
  g_assert_cmpstr (found, ==, "an hour ago");
}

static void
test_open_only (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *found = NULL;

  a = add_incident (store, "open", "2026-03-01 11:00:00", LAT, LON);
  b = add_incident (store, "diverted", "2026-03-01 11:10:00", LAT, LON);
  g_assert_true (ld_store_divert_incident (store, b, "12345", ld_test_time (store, "2026-03-01 11:15:00"),
                                           &ld_test_actor, &error));
  g_assert_no_error (error);
  found = nearby (store);
  g_assert_cmpstr (found, ==, "open");
}

static void
test_no_place (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autofree char *a = NULL, *found = NULL;

  /* A call with no place is near nothing, not near everything. */
  a = add_incident (store, "no place", "2026-03-01 11:00:00", NAN, NAN);
  found = nearby (store);
  g_assert_cmpstr (found, ==, "");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/nearby/within-500-m", test_within_500_m);
  g_test_add_func ("/nearby/last-two-hours", test_last_two_hours);
  g_test_add_func ("/nearby/open-only", test_open_only);
  g_test_add_func ("/nearby/no-place", test_no_place);
  return g_test_run ();
}
