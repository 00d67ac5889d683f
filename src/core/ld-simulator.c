/* ld-simulator.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "ld-json.h"
#include "ld-recommend.h"
#include "ld-simulator.h"

#define SECOND_US LD_USEC_PER_S
#define MINUTE_US (60 * SECOND_US)
#define HOUR_US (60 * MINUTE_US)
/* The week before the simulator starts sets the rhythm and the kinds of
 * calls: what this city gets, hour by hour. */
#define HISTORY_DAYS 7

typedef enum {
  STEP_DISPATCH,   /* a new incident waits for the dispatcher */
  STEP_ORDER,      /* an order's unit takes its next step */
  STEP_SETTLE,     /* the dispatcher closes or dispatches again */
  STEP_ALARM,      /* the inspection team raises a planned drill's alarm */
  STEP_ARRIVE,     /* a unit reaches a drill: id is "DRILL\x1fUNIT" */
} StepKind;

/* Drills come about once a day at the city's pace: an inspection team's
 * unannounced simulated alarm, two units called to it. */
#define DRILLS_PER_DAY 1.0

typedef struct {
  gint64    due;
  guint64   serial;      /* first scheduled, first done among equals */
  StepKind  kind;
  char     *id;          /* the incident's, or for STEP_ORDER the order's */
} Step;

struct _LdSimulator
{
  GObject    parent_instance;

  LdStore   *store;
  GRand     *rand;
  double     speed;
  GSequence *steps;
  guint64    serial;
  gboolean   started;
  double     per_hour[24];   /* calls expected in each hour of the day */
  guint64    history;        /* incidents in the week before the start */
  gint64     history_since;
  gint64     history_until;
  gint64     next_call;
  gint64     next_drill;
  gboolean   trainee;        /* a trainee dispatches and closes */
  GHashTable *known;         /* open orders whose unit the simulator plays */
  gint64     next_scan;
};

/* How often the simulator looks for orders someone else dispatched (a
 * real desk, a trainee) to the units it plays. */
#define SCAN_US (10 * SECOND_US)

G_DEFINE_FINAL_TYPE (LdSimulator, ld_simulator, G_TYPE_OBJECT)

void
ld_simulated_act_free (LdSimulatedAct *act)
{
  json_object_unref (act->operation);
  ld_user_free (act->user);
  g_free (act);
}

static void
step_free (Step *step)
{
  g_free (step->id);
  g_free (step);
}

static void
free_step (gpointer step, gpointer unused)
{
  step_free (step);
}

static int
compare_steps (gconstpointer a, gconstpointer b, gpointer data)
{
  const Step *x = a, *y = b;

  if (x->due != y->due)
    return x->due < y->due ? -1 : 1;
  return x->serial < y->serial ? -1 : x->serial > y->serial;
}

static void
schedule (LdSimulator *self, gint64 due, StepKind kind, const char *id)
{
  if (kind == STEP_ORDER)
    g_hash_table_add (self->known, g_strdup (id));
  Step *step = g_new0 (Step, 1);

  step->due = due;
  step->serial = self->serial++;
  step->kind = kind;
  step->id = g_strdup (id);
  g_sequence_insert_sorted (self->steps, step, compare_steps, NULL);
}

static double
uniform (LdSimulator *self)
{
  return g_rand_double (self->rand);
}

static gboolean
chance (LdSimulator *self, double p)
{
  return uniform (self) < p;
}

/* Human delays are skewed: most quick, a few long. */
static gint64
lognormal (LdSimulator *self, double median_s, double sigma)
{
  double u1 = MAX (uniform (self), 1e-12), u2 = uniform (self);
  double normal = sqrt (-2 * log (u1)) * cos (2 * G_PI * u2);

  return (gint64) (median_s * exp (sigma * normal) * SECOND_US);
}

/* Ids from the simulator's own generator, so that a seed repeats a run. */
static char *
new_id (LdSimulator *self)
{
  return g_strdup_printf ("%08x-%04x-4%03x-%04x-%04x%08x", g_rand_int (self->rand),
                          g_rand_int_range (self->rand, 0, 0x10000), g_rand_int_range (self->rand, 0, 0x1000),
                          0x8000 | g_rand_int_range (self->rand, 0, 0x4000),
                          g_rand_int_range (self->rand, 0, 0x10000), g_rand_int (self->rand));
}

static LdUser *
person (const char *role, const char *unit_code)
{
  LdUser *user = g_new0 (LdUser, 1);

  /* One dispatcher and one liaison per unit, named for the simulator. */
  user->name = unit_code ? g_strdup_printf ("simulator:%s", unit_code) : g_strdup ("simulator");
  user->role = g_strdup (role);
  user->unit_code = g_strdup (unit_code);
  return user;
}

/* Adds an act of @user to @acts and gives its fields to fill. */
static JsonObject *
act (LdSimulator *self, GPtrArray *acts, LdUser *user, const char *entity, const char *entity_id,
     const char *action, gint64 now)
{
  LdSimulatedAct *a = g_new0 (LdSimulatedAct, 1);
  g_autofree char *id = new_id (self);
  g_autofree char *at = ld_time_format_iso (now, ld_store_get_time_zone (self->store));
  JsonObject *fields = json_object_new ();

  a->operation = json_object_new ();
  a->user = user;
  json_object_set_string_member (a->operation, "id", id);
  json_object_set_string_member (a->operation, "entity", entity);
  json_object_set_string_member (a->operation, "entity_id", entity_id);
  json_object_set_string_member (a->operation, "action", action);
  json_object_set_string_member (a->operation, "at", at);
  json_object_set_object_member (a->operation, "fields", fields);
  g_ptr_array_add (acts, a);
  return fields;
}

static void
set_if_any (JsonObject *fields, const char *name, const char *value)
{
  if (value)
    json_object_set_string_member (fields, name, value);
}

static int
hour_of (LdSimulator *self, gint64 at)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at / SECOND_US);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, ld_store_get_time_zone (self->store));

  return g_date_time_get_hour (local);
}

/* Calls come as a Poisson stream at the rate of the hour they fall in. */
static gint64
after_next_call (LdSimulator *self, gint64 from)
{
  double rate = self->per_hour[hour_of (self, from)] * self->speed;

  if (rate <= 0)
    return (from / HOUR_US + 1) * HOUR_US;
  return from + (gint64) (-log (MAX (uniform (self), 1e-12)) / rate * HOUR_US);
}

/* A new call like one the city had in its last week: of the same kind,
 * about the same place, from another phone. */
static void
make_call (LdSimulator *self, gint64 now, GPtrArray *acts)
{
  static const char *prefixes[] = { "133", "135", "137", "138", "139", "151", "157", "158", "177", "180", "189" };
  g_autoptr(LdIncident) like = NULL;
  g_autofree char *id = NULL, *phone = NULL;
  JsonObject *fields;

  if (self->history == 0)
    return;
  like = ld_store_get_nth_incident (self->store, self->history_since, self->history_until,
                                    (guint64) (uniform (self) * self->history), NULL);
  if (like == NULL)
    return;
  id = new_id (self);
  phone = g_strdup_printf ("%s%08u", prefixes[g_rand_int_range (self->rand, 0, G_N_ELEMENTS (prefixes))],
                           g_rand_int_range (self->rand, 0, 100000000));
  fields = act (self, acts, person ("dispatcher", NULL), "incident", id, "create", now);
  json_object_set_string_member (fields, "source", like->source);
  json_object_set_string_member (fields, "kind", like->kind);
  set_if_any (fields, "diverted_to", like->diverted_to);
  json_object_set_string_member (fields, "caller_phone", phone);
  set_if_any (fields, "address", like->address);
  set_if_any (fields, "region_code", like->region_code);
  set_if_any (fields, "category", like->category);
  set_if_any (fields, "summary", like->summary);
  if (!isnan (like->lat) && !isnan (like->lon))
    {
      /* Within a few hundred metres of the call it is like. */
      json_object_set_double_member (fields, "lat", like->lat + (uniform (self) - 0.5) * 0.006);
      json_object_set_double_member (fields, "lon", like->lon + (uniform (self) - 0.5) * 0.006);
    }
  if (g_strcmp0 (like->kind, "linkage") == 0 && !self->trainee)
    schedule (self, now + lognormal (self, 60, 0.5), STEP_DISPATCH, id);
}

/* Dispatches @incident to the units the responsibility list names, one
 * or, for a joint handling, two, leaving out those in @excluded. */
static gboolean
dispatch (LdSimulator *self, const LdIncident *incident, GHashTable *excluded, gint64 now, GPtrArray *acts)
{
  g_autoptr(GPtrArray) units = ld_recommend_units (self->store, incident->category, incident->region_code, NULL);
  g_autoptr(LdCategory) category = incident->category ? ld_store_get_category (self->store, incident->category, NULL) : NULL;
  guint wanted = category && g_strcmp0 (category->mode, "joint") == 0 ? 2 : 1;
  guint sent = 0;

  for (guint i = 0; units && i < units->len && sent < wanted; i++)
    {
      const LdUnit *unit = g_ptr_array_index (units, i);
      g_autofree char *order_id = NULL;
      JsonObject *fields;

      if (excluded && g_hash_table_contains (excluded, unit->code))
        continue;
      order_id = new_id (self);
      fields = act (self, acts, person ("dispatcher", NULL), "order", order_id, "dispatch", now);
      json_object_set_string_member (fields, "incident_id", incident->id);
      json_object_set_string_member (fields, "unit_code", unit->code);
      schedule (self, now + lognormal (self, 80, 0.7), STEP_ORDER, order_id);
      sent++;
    }
  return sent > 0;
}

static void
dispatch_step (LdSimulator *self, const char *incident_id, gint64 now, GPtrArray *acts)
{
  g_autoptr(LdIncident) incident = ld_store_get_incident (self->store, incident_id, NULL);

  if (incident && g_strcmp0 (incident->state, "new") == 0)
    dispatch (self, incident, NULL, now, acts);
}

static void
feedback (LdSimulator *self, GPtrArray *acts, const LdOrder *order, const char *kind, const char *text, gint64 now)
{
  g_autofree char *feedback_id = new_id (self);
  JsonObject *fields = act (self, acts, person ("unit", order->unit_code), "order", order->id, "feedback", now);

  json_object_set_string_member (fields, "feedback_id", feedback_id);
  json_object_set_string_member (fields, "kind", kind);
  json_object_set_string_member (fields, "text", text);
}

/* The unit a returning unit says the matter belongs to: the next one the
 * responsibility list recommends, or none half the time, when the unit
 * only knows it is not its own. (transfer full) */
static char *
other_unit (LdSimulator *self, const LdOrder *order)
{
  g_autoptr(LdIncident) incident = ld_store_get_incident (self->store, order->incident_id, NULL);
  g_autoptr(GPtrArray) units = NULL;

  if (incident == NULL || chance (self, 0.5))
    return NULL;
  units = ld_recommend_units (self->store, incident->category, incident->region_code, NULL);
  for (guint i = 0; units && i < units->len; i++)
    {
      const LdUnit *unit = g_ptr_array_index (units, i);

      if (!g_str_equal (unit->code, order->unit_code) && !unit->inactive)
        return g_strdup (unit->code);
    }
  return NULL;
}

/* The unit's next step, from the order's state as the store has it now:
 * a real desk or a dispatcher may have moved it meanwhile. */
static void
order_step (LdSimulator *self, const char *order_id, gint64 now, GHashTable *staffed, GPtrArray *acts)
{
  g_autoptr(LdOrder) order = ld_store_get_order (self->store, order_id, NULL);

  /* Its dispatch was refused, or never applied. */
  if (order == NULL)
    {
      g_hash_table_remove (self->known, order_id);
      return;
    }
  if (g_str_equal (order->state, "completed") || g_str_equal (order->state, "returned"))
    {
      g_hash_table_remove (self->known, order_id);
      schedule (self, now + lognormal (self, 240, 0.4), STEP_SETTLE, order->incident_id);
      return;
    }
  /* A unit with a desk of its own works its orders itself. */
  if (staffed && g_hash_table_contains (staffed, order->unit_code))
    {
      schedule (self, now + 2 * MINUTE_US, STEP_ORDER, order_id);
      return;
    }
  if (g_str_equal (order->state, "dispatched"))
    {
      if (chance (self, 0.02))
        {
          JsonObject *fields = act (self, acts, person ("unit", order->unit_code), "order", order_id, "return", now);
          g_autofree char *duty = other_unit (self, order);

          json_object_set_string_member (fields, "reason", _("On checking, this matter is not this unit's duty: please dispatch it again"));
          if (duty)
            json_object_set_string_member (fields, "duty_unit_code", duty);
          else
            {
              json_object_set_boolean_member (fields, "not_ours", TRUE);
              json_object_set_string_member (fields, "basis", _("The responsibility list gives this matter to another department"));
            }
          schedule (self, now + lognormal (self, 180, 0.4), STEP_SETTLE, order->incident_id);
          return;
        }
      act (self, acts, person ("unit", order->unit_code), "order", order_id, "sign", now);
      /* About one in twenty arrives after its 20 minutes. */
      schedule (self, now + lognormal (self, 660, 0.35), STEP_ORDER, order_id);
    }
  else if (g_str_equal (order->state, "signed"))
    {
      act (self, acts, person ("unit", order->unit_code), "order", order_id, "arrive", now);
      feedback (self, acts, order, "arrival", _("Arrived at the scene and dealing with it"), now);
      schedule (self, now + lognormal (self, 2400, 0.6), STEP_ORDER, order_id);
    }
  else if (g_str_equal (order->state, "arrived"))
    {
      if (order->feedback_count < 2 && chance (self, 0.3))
        {
          feedback (self, acts, order, "progress", _("Still dealing with it on the scene"), now);
          schedule (self, now + lognormal (self, 1200, 0.5), STEP_ORDER, order_id);
          return;
        }
      feedback (self, acts, order, "result", _("Dealt with on the scene; the matter is resolved"), now);
      act (self, acts, person ("unit", order->unit_code), "order", order_id, "complete", now);
      schedule (self, now + lognormal (self, 300, 0.5), STEP_SETTLE, order->incident_id);
    }
}

/* Once no order of an incident is open, the dispatcher closes it when
 * one was completed, or dispatches it again to another unit when all
 * came back. */
static void
settle_step (LdSimulator *self, const char *incident_id, gint64 now, GPtrArray *acts)
{
  g_autoptr(LdIncident) incident = ld_store_get_incident (self->store, incident_id, NULL);
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GHashTable) returned = NULL;
  gboolean completed = FALSE;

  if (incident == NULL || !g_str_equal (incident->state, "dispatched") || self->trainee)
    return;
  orders = ld_store_list_orders (self->store, incident_id, NULL);
  returned = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; orders && i < orders->len; i++)
    {
      const LdOrder *order = g_ptr_array_index (orders, i);

      if (g_str_equal (order->state, "completed"))
        completed = TRUE;
      else if (g_str_equal (order->state, "returned"))
        g_hash_table_add (returned, order->unit_code);
      else
        return;
    }
  /* The center rules on each return before sending the matter on. */
  for (guint i = 0; orders && i < orders->len; i++)
    {
      const LdOrder *order = g_ptr_array_index (orders, i);

      if (g_str_equal (order->state, "returned") && order->return_ruling == NULL)
        json_object_set_string_member (act (self, acts, person ("dispatcher", NULL), "order", order->id,
                                            "rule-return", now), "ruling", "accept");
    }
  if (completed)
    act (self, acts, person ("dispatcher", NULL), "incident", incident_id, "close", now);
  else
    dispatch (self, incident, returned, now, acts);
}

/* A drill the inspection team plans on the spot, at a place like one the
 * city had calls from, for the units its responsibility list names. */
static void
plan_drill (LdSimulator *self, gint64 now, GPtrArray *acts)
{
  g_autoptr(LdIncident) like = NULL;
  g_autoptr(GPtrArray) units = NULL;
  g_autoptr(LdCategory) category = NULL;
  g_autofree char *id = NULL, *held_at = NULL;
  JsonObject *fields;
  JsonArray *called;

  if (self->history == 0)
    return;
  like = ld_store_get_nth_incident (self->store, self->history_since, self->history_until,
                                    (guint64) (uniform (self) * self->history), NULL);
  if (like == NULL || like->category == NULL || like->region_code == NULL)
    return;
  units = ld_recommend_units (self->store, like->category, like->region_code, NULL);
  category = ld_store_get_category (self->store, like->category, NULL);
  if (units == NULL || units->len == 0 || category == NULL)
    return;
  id = new_id (self);
  held_at = ld_time_format_iso (now, ld_store_get_time_zone (self->store));
  fields = act (self, acts, person ("inspector", NULL), "drill", id, "plan", now);
  json_object_set_string_member (fields, "region_code", like->region_code);
  set_if_any (fields, "location", like->address);
  json_object_set_string_member (fields, "scenario", category->name);
  json_object_set_string_member (fields, "held_at", held_at);
  if (!isnan (like->lat) && !isnan (like->lon))
    {
      json_object_set_double_member (fields, "lat", like->lat);
      json_object_set_double_member (fields, "lon", like->lon);
    }
  called = json_array_new ();
  for (guint i = 0; i < units->len && i < 2; i++)
    {
      JsonObject *unit = json_object_new ();

      json_object_set_string_member (unit, "unit_code", ((LdUnit *) g_ptr_array_index (units, i))->code);
      json_array_add_object_element (called, unit);
    }
  json_object_set_array_member (fields, "units", called);
  schedule (self, now + lognormal (self, 120, 0.3), STEP_ALARM, id);
}

static void
alarm_step (LdSimulator *self, const char *drill_id, gint64 now, GPtrArray *acts)
{
  g_autoptr(GPtrArray) units = ld_store_list_drill_units (self->store, drill_id, NULL);

  if (units == NULL || units->len == 0)
    return;
  act (self, acts, person ("inspector", NULL), "drill", drill_id, "alarm", now);
  for (guint i = 0; i < units->len; i++)
    {
      g_autofree char *key = g_strconcat (drill_id, "\x1f", ((LdDrillUnit *) g_ptr_array_index (units, i))->unit_code,
                                          NULL);

      /* About one unit in ten comes after its 20 minutes. */
      schedule (self, now + lognormal (self, 780, 0.35), STEP_ARRIVE, key);
    }
}

static void
arrive_step (LdSimulator *self, const char *key, gint64 now, GPtrArray *acts)
{
  g_auto(GStrv) parts = g_strsplit (key, "\x1f", 2);
  JsonObject *fields;

  if (g_strv_length (parts) != 2)
    return;
  fields = act (self, acts, person ("inspector", NULL), "drill_unit", parts[0], "arrive", now);
  json_object_set_string_member (fields, "unit_code", parts[1]);
}

static gint64
after_next_drill (LdSimulator *self, gint64 from)
{
  return from + (gint64) (-log (MAX (uniform (self), 1e-12)) / (DRILLS_PER_DAY * self->speed) * 24 * HOUR_US);
}

/* Takes over what the store holds open at @now, spread over the next
 * minutes so that it does not all move at once, and learns the city's
 * rhythm from the week before. */
static gboolean
start (LdSimulator *self, gint64 now, GError **error)
{
  g_autoptr(GPtrArray) open = ld_store_list_board_incidents (self->store, now, error);
  guint64 counts[24];

  if (open == NULL)
    return FALSE;
  self->history_since = now - HISTORY_DAYS * 24 * HOUR_US;
  self->history_until = now;
  if (!ld_store_count_received_by_hour (self->store, self->history_since, self->history_until, counts, error))
    return FALSE;
  self->history = 0;
  for (guint h = 0; h < 24; h++)
    {
      self->per_hour[h] = (double) counts[h] / HISTORY_DAYS;
      self->history += counts[h];
    }
  for (guint i = 0; i < open->len; i++)
    {
      const LdIncident *incident = g_ptr_array_index (open, i);
      gint64 soon = now + (gint64) (uniform (self) * 5 * MINUTE_US);

      if (g_str_equal (incident->state, "new") && g_strcmp0 (incident->kind, "linkage") == 0 && !self->trainee)
        schedule (self, soon, STEP_DISPATCH, incident->id);
      else if (g_str_equal (incident->state, "dispatched"))
        {
          g_autoptr(GPtrArray) orders = ld_store_list_orders (self->store, incident->id, NULL);
          gboolean any_open = FALSE;

          for (guint j = 0; orders && j < orders->len; j++)
            {
              const LdOrder *order = g_ptr_array_index (orders, j);

              gint64 due = g_str_equal (order->state, "dispatched") ? order->sign_due
                           : g_str_equal (order->state, "signed") ? order->arrive_due
                           : g_str_equal (order->state, "arrived") ? order->result_due : LD_TIME_NONE;
              gint64 within = 5 * MINUTE_US;

              if (!g_str_equal (order->state, "dispatched") && !g_str_equal (order->state, "signed") &&
                  !g_str_equal (order->state, "arrived"))
                continue;
              /* A unit about to miss a deadline mostly does not: it acts
               * before, as it would have. */
              if (due > now)
                within = MIN (within, (due - now) * 4 / 5);
              schedule (self, now + (gint64) (uniform (self) * within), STEP_ORDER, order->id);
              any_open = TRUE;
            }
          if (!any_open)
            schedule (self, soon, STEP_SETTLE, incident->id);
        }
    }
  self->next_call = after_next_call (self, now);
  self->next_drill = after_next_drill (self, now);
  self->started = TRUE;
  return TRUE;
}

/* Orders someone else dispatched (a real desk, a trainee) to the units the
 * simulator plays are worked as its own, from a little after they are
 * found. */
static gboolean
scan_orders (LdSimulator *self, gint64 now, GError **error)
{
  g_autoptr(GPtrArray) open = ld_store_list_board_incidents (self->store, now, error);

  if (open == NULL)
    return FALSE;
  for (guint i = 0; i < open->len; i++)
    {
      const LdIncident *incident = g_ptr_array_index (open, i);
      g_autoptr(GPtrArray) orders = NULL;

      if (!g_str_equal (incident->state, "dispatched"))
        continue;
      orders = ld_store_list_orders (self->store, incident->id, NULL);
      for (guint j = 0; orders && j < orders->len; j++)
        {
          const LdOrder *order = g_ptr_array_index (orders, j);

          if ((g_str_equal (order->state, "dispatched") || g_str_equal (order->state, "signed") ||
               g_str_equal (order->state, "arrived")) && !g_hash_table_contains (self->known, order->id))
            schedule (self, now + lognormal (self, 60, 0.5), STEP_ORDER, order->id);
        }
    }
  return TRUE;
}

/* A liaison on duty answers a roll call mostly within the first minute; a
 * few answer after the limit and about one in twenty-five never does. A
 * row's delay comes from its own id, so that it is the same however often
 * the row is looked at. */
#define ROLL_CALL_NEVER 0.04
#define ROLL_CALL_MEDIAN_S 30.0
#define ROLL_CALL_SIGMA 1.0

static gint64
roll_call_delay (const LdRollCall *row)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_str_hash (row->id));
  double u1, u2;

  if (g_rand_double (rand) < ROLL_CALL_NEVER)
    return -1;
  u1 = MAX (g_rand_double (rand), 1e-12);
  u2 = g_rand_double (rand);
  return (gint64) (ROLL_CALL_MEDIAN_S * exp (ROLL_CALL_SIGMA * sqrt (-2 * log (u1)) * cos (2 * G_PI * u2)) *
                   SECOND_US);
}

/* The units the simulator plays answer the roll calls of the last hour. */
static void
answer_roll_calls (LdSimulator *self, gint64 now, GHashTable *staffed, GPtrArray *acts)
{
  g_autoptr(GPtrArray) rows = ld_store_list_unanswered_roll_calls (self->store, NULL, now - HOUR_US, NULL);

  for (guint i = 0; rows && i < rows->len; i++)
    {
      const LdRollCall *row = g_ptr_array_index (rows, i);
      gint64 delay = roll_call_delay (row);
      JsonObject *fields;

      if ((staffed && g_hash_table_contains (staffed, row->unit_code)) || delay < 0 ||
          row->started_at + delay > now)
        continue;
      fields = act (self, acts, person ("unit", row->unit_code), "roll_call", row->roll_call_id, "answer", now);
      json_object_set_string_member (fields, "unit_code", row->unit_code);
    }
}

GPtrArray *
ld_simulator_take_due (LdSimulator *self, gint64 now, GHashTable *staffed, GError **error)
{
  g_autoptr(GPtrArray) acts = g_ptr_array_new_with_free_func ((GDestroyNotify) ld_simulated_act_free);

  g_return_val_if_fail (LD_IS_SIMULATOR (self), NULL);

  if (!self->started && !start (self, now, error))
    return NULL;
  if (now >= self->next_scan)
    {
      if (!scan_orders (self, now, error))
        return NULL;
      answer_roll_calls (self, now, staffed, acts);
      self->next_scan = now + SCAN_US;
    }
  while (self->next_call <= now)
    {
      make_call (self, now, acts);
      self->next_call = after_next_call (self, self->next_call);
    }
  while (self->next_drill <= now)
    {
      plan_drill (self, now, acts);
      self->next_drill = after_next_drill (self, self->next_drill);
    }
  while (g_sequence_get_length (self->steps) > 0)
    {
      GSequenceIter *first = g_sequence_get_begin_iter (self->steps);
      Step *step = g_sequence_get (first);

      if (step->due > now)
        break;
      g_sequence_remove (first);
      /* Taken from the queue first: a step schedules the next. */
      switch (step->kind)
        {
        case STEP_DISPATCH:
          dispatch_step (self, step->id, now, acts);
          break;
        case STEP_ORDER:
          order_step (self, step->id, now, staffed, acts);
          break;
        case STEP_SETTLE:
          settle_step (self, step->id, now, acts);
          break;
        case STEP_ALARM:
          alarm_step (self, step->id, now, acts);
          break;
        case STEP_ARRIVE:
          arrive_step (self, step->id, now, acts);
          break;
        default:
          g_assert_not_reached ();
        }
      step_free (step);
    }
  return g_steal_pointer (&acts);
}

static void
ld_simulator_finalize (GObject *object)
{
  LdSimulator *self = (LdSimulator *) object;

  if (self->steps)
    g_sequence_foreach (self->steps, free_step, NULL);
  g_clear_pointer (&self->steps, g_sequence_free);
  g_clear_pointer (&self->known, g_hash_table_unref);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ld_simulator_parent_class)->finalize (object);
}

static void
ld_simulator_class_init (LdSimulatorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ld_simulator_finalize;
}

static void
ld_simulator_init (LdSimulator *self)
{
  /* Steps are taken out of it and freed by whoever takes them. */
  self->steps = g_sequence_new (NULL);
  self->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

void
ld_simulator_set_trainee (LdSimulator *self, gboolean trainee)
{
  g_return_if_fail (LD_IS_SIMULATOR (self));

  self->trainee = trainee;
}

LdSimulator *
ld_simulator_new (LdStore *store, guint32 seed, double speed)
{
  LdSimulator *self = g_object_new (LD_TYPE_SIMULATOR, NULL);

  self->store = g_object_ref (store);
  self->rand = g_rand_new_with_seed (seed);
  self->speed = speed > 0 ? speed : 1;
  return self;
}
