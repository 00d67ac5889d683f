/* ld-nearby.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ld-store.h"

G_BEGIN_DECLS

/* A second call about one event comes from a second caller: the open
 * incidents this close to a new call's place, received this lately, are
 * said to the dispatcher before a second incident is made. */
#define LD_NEARBY_M  500
#define LD_NEARBY_US (G_GINT64_CONSTANT (2) * 3600 * LD_USEC_PER_S)

typedef struct {
  LdIncident *incident;  /* owned: freed with the entry */
  double      metres;    /* from the place asked about */
} LdNearbyIncident;

/* (transfer full) (element-type LdNearbyIncident): the open incidents
 * within LD_NEARBY_M of @lat, @lon received in the LD_NEARBY_US before
 * @now, newest first; an incident with no place is never near. NULL with
 * @error set when the store cannot be read. The caller unrefs the array,
 * which frees the entries. */
GPtrArray *ld_nearby_incidents       (LdStore          *store,
                                      double            lat,
                                      double            lon,
                                      gint64            now,
                                      GError          **error);
/* Frees @nearby and its incident: the array's free function. */
void       ld_nearby_incident_free   (LdNearbyIncident *nearby);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdNearbyIncident, ld_nearby_incident_free)

G_END_DECLS
