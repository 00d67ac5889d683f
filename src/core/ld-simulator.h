/* ld-simulator.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ld-store.h"

G_BEGIN_DECLS

#define LD_TYPE_SIMULATOR (ld_simulator_get_type ())

G_DECLARE_FINAL_TYPE (LdSimulator, ld_simulator, LD, SIMULATOR, GObject)

/* The device the simulator's acts come from, as the audit trail shows it. */
#define LD_SIMULATOR_DEVICE "simulator"

/* One act of a simulated person: an operation as a desk would push it,
 * and whose it is. The act owns both: ld_simulated_act_free() unrefs the
 * operation and frees the user. */
typedef struct {
  JsonObject *operation;
  LdUser     *user;
} LdSimulatedAct;

void ld_simulated_act_free (LdSimulatedAct *act);

/* A city that goes on living in @store: calls come at the rhythm of its
 * own last week (times @speed), a simulated dispatcher dispatches them to
 * the units the responsibility list recommends, and units sign, arrive,
 * feed back, complete and sometimes return or run late, with the delays a
 * center sees; now and then the inspection team runs a drill. It decides; whoever holds the store applies its acts as
 * ordinary operations. Seeded for repeatable runs. The simulator keeps a
 * reference to @store. */
LdSimulator *ld_simulator_new      (LdStore     *store,
                                    guint32      seed,
                                    double       speed);
/* In a training store the trainee dispatches and closes: the simulator
 * makes the calls and plays the units. */
void         ld_simulator_set_trainee  (LdSimulator *self,
                                        gboolean     trainee);
/* The acts due at @now, in order; a unit in @staffed (unit codes, may be
 * NULL) has a real desk signed in, and its orders are left to it.
 * (transfer full) (element-type LdSimulatedAct): the array frees its acts;
 * the caller unrefs it. */
GPtrArray   *ld_simulator_take_due (LdSimulator *self,
                                    gint64       now,
                                    GHashTable  *staffed,
                                    GError     **error);

G_END_DECLS
