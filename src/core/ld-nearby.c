/* ld-nearby.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <math.h>

#include "ld-geo.h"
#include "ld-nearby.h"

/* More open incidents than this in two hours is a city in crisis, where a
 * list of the nearest would not be read anyway. */
#define SEARCH_LIMIT 1000

void
ld_nearby_incident_free (LdNearbyIncident *nearby)
{
  g_clear_pointer (&nearby->incident, ld_incident_free);
  g_free (nearby);
}

GPtrArray *
ld_nearby_incidents (LdStore *store, double lat, double lon, gint64 now, GError **error)
{
  LdIncidentFilter filter = { .state = "open", .since = now - LD_NEARBY_US };
  g_autoptr(GPtrArray) recent = NULL;
  g_autoptr(GPtrArray) near = NULL;

  g_return_val_if_fail (LD_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  recent = ld_store_search_incidents (store, NULL, &filter, SEARCH_LIMIT, error);
  if (recent == NULL)
    return NULL;
  near = g_ptr_array_new_with_free_func ((GDestroyNotify) ld_nearby_incident_free);
  for (guint i = 0; i < recent->len; i++)
    {
      LdIncident *inc = g_ptr_array_index (recent, i);
      LdNearbyIncident *nearby;
      double metres;

      if (isnan (inc->lat) || isnan (inc->lon))
        continue;
      metres = ld_geo_distance_m (lat, lon, inc->lat, inc->lon);
      if (metres > LD_NEARBY_M)
        continue;
      nearby = g_new0 (LdNearbyIncident, 1);
      nearby->incident = g_ptr_array_steal_index (recent, i--);
      nearby->metres = metres;
      g_ptr_array_add (near, nearby);
    }
  return g_steal_pointer (&near);
}
