/* test-simulator.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The living city: six hours of simulated calls and units, every act an
 * ordinary operation through the sync validation.
 */

#include "config.h"

#include <math.h>

#include "ld-simulator.h"
#include "ld-sync.h"
#include "ld-test-city.h"

#define HOUR_US (G_GINT64_CONSTANT (3600) * LD_USEC_PER_S)

typedef struct {
  guint     acts;
  guint     refused;
  guint     calls;
  guint     drill_arrivals;
  guint     by_staffed;
  GString  *trace;
} Run;

/* A week of calls before @start: the rhythm the simulator learns. */
static LdStore *
city_with_history (gint64 start)
{
  LdStore *store = ld_test_city_new (NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 28; i++)
    {
      LdIncident inc = { 0, };
      g_autofree char *given = g_strdup_printf ("history-%02u", i);
      g_autofree char *id = NULL;

      inc.id = given;
      inc.received_at = start - (gint64) (i + 1) * 6 * HOUR_US;
      inc.source = "110";
      inc.kind = "linkage";
      inc.caller_phone = "13800000000";
      inc.address = i % 2 ? "Market street 8" : "River road 2";
      inc.region_code = i % 2 ? "A" : "B";
      inc.category = i % 2 ? "noise" : "fire";
      inc.summary = "报警人称有情况,请求处置。";
      inc.lat = NAN;
      inc.lon = NAN;
      id = ld_store_add_incident (store, &inc, &ld_test_actor, &error);
      g_assert_no_error (error);
    }
  return store;
}

static void
run (LdStore *store, guint32 seed, GHashTable *staffed, gint64 start, Run *r)
{
  g_autoptr(LdSimulator) simulator = ld_simulator_new (store, seed, 30);
  g_autoptr(GError) error = NULL;

  r->trace = g_string_new (NULL);
  for (gint64 now = start; now <= start + 6 * HOUR_US; now += 20 * LD_USEC_PER_S)
    {
      g_autoptr(GPtrArray) acts = ld_simulator_take_due (simulator, now, staffed, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < acts->len; i++)
        {
          LdSimulatedAct *a = g_ptr_array_index (acts, i);
          LdActor actor = { a->user->name, LD_SIMULATOR_DEVICE, NULL };
          g_autoptr(GError) refused = NULL;
          gint64 seq = 0;
          const char *entity = json_object_get_string_member (a->operation, "entity");
          const char *action = json_object_get_string_member (a->operation, "action");

          r->acts++;
          if (g_str_equal (entity, "incident") && g_str_equal (action, "create"))
            r->calls++;
          if (g_str_equal (entity, "drill_unit") && g_str_equal (action, "arrive"))
            r->drill_arrivals++;
          if (a->user->unit_code && staffed && g_hash_table_contains (staffed, a->user->unit_code))
            r->by_staffed++;
          g_string_append_printf (r->trace, "%s %s %s\n", entity, action,
                                  json_object_get_string_member (a->operation, "entity_id"));
          if (ld_sync_apply (store, a->operation, a->user, &actor, &seq, &refused) != LD_SYNC_ACCEPTED)
            {
              g_test_message ("refused: %s %s: %s", entity, action, refused ? refused->message : "duplicate");
              r->refused++;
            }
        }
    }
}

static guint
count_orders (LdStore *store, const char *unit_code, const char *state)
{
  g_autoptr(GPtrArray) incidents = ld_store_list_board_incidents (store, 0, NULL);
  guint n = 0;

  for (guint i = 0; i < incidents->len; i++)
    {
      g_autoptr(GPtrArray) orders = ld_store_list_orders (store, ((LdIncident *) g_ptr_array_index (incidents, i))->id, NULL);

      for (guint j = 0; j < orders->len; j++)
        {
          LdOrder *o = g_ptr_array_index (orders, j);
          if ((unit_code == NULL || g_str_equal (o->unit_code, unit_code)) && (state == NULL || g_str_equal (o->state, state)))
            n++;
        }
    }
  return n;
}

/* Calls come, are dispatched, and units work them to the end; each act
 * is one a desk could have pushed. */
static void
test_a_living_city (void)
{
  /* Six hours ending now: every act's time is one the server takes. */
  gint64 start = ld_time_now () - 6 * HOUR_US - 60 * LD_USEC_PER_S;
  g_autoptr(LdStore) store = city_with_history (start);
  g_autoptr(GPtrArray) closed = NULL;
  g_autoptr(GPtrArray) events = NULL;
  LdEventFilter filter = { 0, };
  guint simulated = 0;
  Run r = { 0, };

  run (store, 7, NULL, start, &r);
  g_test_message ("%u acts, %u calls, %u drill arrivals, %u refused", r.acts, r.calls, r.drill_arrivals,
                  r.refused);
  g_assert_cmpuint (r.refused, ==, 0);
  /* A drill a day, thirty times as often: a few in six hours, their
   * alarms raised and units logged by the inspection team. */
  g_assert_cmpuint (r.drill_arrivals, >, 0);
  /* 28 calls a week, thirty times faster: about 30 in six hours. */
  g_assert_cmpuint (r.calls, >=, 10);
  g_assert_cmpuint (count_orders (store, NULL, "completed"), >=, 5);
  g_assert_cmpuint (count_orders (store, "POL", NULL), >, 0);
  g_assert_cmpuint (count_orders (store, "MKT", NULL), >, 0);

  /* The audit trail names the simulator as the device. */
  filter.limit = 10000;
  events = ld_store_list_events (store, &filter, NULL);
  for (guint i = 0; i < events->len; i++)
    if (g_strcmp0 (((LdEvent *) g_ptr_array_index (events, i))->device, LD_SIMULATOR_DEVICE) == 0)
      simulated++;
  g_assert_cmpuint (simulated, >=, r.acts - r.refused);
  g_string_free (r.trace, TRUE);
}

/* A unit with a real desk signed in works its own orders: the simulator
 * dispatches to it but never signs for it. */
static void
test_staffed_units_left_alone (void)
{
  gint64 start = ld_time_now () - 6 * HOUR_US - 60 * LD_USEC_PER_S;
  g_autoptr(LdStore) store = city_with_history (start);
  g_autoptr(GHashTable) staffed = g_hash_table_new (g_str_hash, g_str_equal);
  Run r = { 0, };

  g_hash_table_add (staffed, "MKT");
  run (store, 7, staffed, start, &r);
  g_assert_cmpuint (r.refused, ==, 0);
  g_assert_cmpuint (r.by_staffed, ==, 0);
  g_assert_cmpuint (count_orders (store, "MKT", "dispatched"), >, 0);
  g_assert_cmpuint (count_orders (store, "MKT", "signed"), ==, 0);
  g_assert_cmpuint (count_orders (store, "POL", "completed"), >, 0);
  g_string_free (r.trace, TRUE);
}

/* The same seed, the same city, the same acts. */
static void
test_repeatable (void)
{
  gint64 start = ld_time_now () - 6 * HOUR_US - 60 * LD_USEC_PER_S;
  g_autoptr(LdStore) one = city_with_history (start);
  g_autoptr(LdStore) two = city_with_history (start);
  Run a = { 0, }, b = { 0, };

  run (one, 11, NULL, start, &a);
  run (two, 11, NULL, start, &b);
  g_assert_cmpuint (a.acts, >, 0);
  g_assert_cmpstr (a.trace->str, ==, b.trace->str);
  g_string_free (a.trace, TRUE);
  g_string_free (b.trace, TRUE);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/simulator/a-living-city", test_a_living_city);
  g_test_add_func ("/simulator/staffed-units-left-alone", test_staffed_units_left_alone);
  g_test_add_func ("/simulator/repeatable", test_repeatable);

  return g_test_run ();
}
