/* ld-demo.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "ld-demo-city.h"
#include "ld-demo.h"
#include "ld-store-private.h"

/* Monthly volumes of the demo city at scale 1, after seed 000: about 20,000
 * linkage incidents, 6,000 diverted calls and 5,000 matters the police close
 * alone; 13 months of it make the 400,000 incidents the benchmarks use. */
#define LINKAGE_PER_MONTH  20000.0
#define DIVERTED_PER_MONTH  6000.0
#define POLICE_PER_MONTH    5000.0
#define DRILLS_PER_MONTH       2

#define MIN_US  (60 * LD_USEC_PER_S)
#define HOUR_US (60 * MIN_US)

/* Share of diversions per platform, from seed 000 table (六). */
static const struct {
  const char *platform;
  double      share;
} platform_shares[] = {
  { "governance", 0.663 }, { "114", 0.212 }, { "12345", 0.110 }, { "96345", 0.015 },
};

/* Calls by hour of day: quiet at night, busiest late morning and evening. */
static const double hour_weights[24] = {
  0.5, 0.4, 0.3, 0.3, 0.3, 0.5, 0.8, 1.1, 1.4, 1.5, 1.6, 1.5,
  1.3, 1.3, 1.4, 1.5, 1.5, 1.5, 1.6, 1.6, 1.4, 1.2, 0.9, 0.7,
};

static const char *return_reasons[] = {
  "不属本单位职责", "不属本辖区管辖", "地址有误,已联系报警人核实",
};

typedef struct {
  LdStore             *store;
  GRand               *rand;
  GTimeZone           *tz;
  LdDemoCounts        *counts;
  const LdDemoOptions *options;

  GPtrArray           *leaves;       /* const LdDemoRegion * with a boundary */
  GPtrArray           *boundaries;   /* LdBoundary *, parallel to leaves */
  GHashTable          *unit_for;     /* "region\x1funit_category" → GPtrArray of const LdDemoUnit * */
  GPtrArray           *linkage_categories;
  GPtrArray           *divert_categories;

} Demo;

void
ld_demo_options_init (LdDemoOptions *options)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  int y = g_date_time_get_year (now), m = g_date_time_get_month (now);

  options->months = 13;
  options->last_year = m == 1 ? y - 1 : y;
  options->last_month = m == 1 ? 12 : m - 1;
  options->seed = 1;
  options->scale = 0.05;
}

static double
uniform (Demo *d)
{
  return g_rand_double (d->rand);
}

static gboolean
chance (Demo *d, double p)
{
  return g_rand_double (d->rand) < p;
}

/* A lognormal draw: response times have a long right tail. */
static gint64
lognormal_us (Demo *d, double median_s, double sigma)
{
  double u1 = MAX (uniform (d), 1e-12), u2 = uniform (d);
  double z = sqrt (-2.0 * log (u1)) * cos (2 * G_PI * u2);
  return (gint64) (median_s * exp (sigma * z) * LD_USEC_PER_S);
}

/* Time-ordered ids like the store's own, from the demo's seeded generator so
 * that the same seed makes the same city. */
static void
random_id (Demo *d, gint64 at, char out[37])
{
  guint64 hi = ((guint64) g_rand_int (d->rand) << 32) | g_rand_int (d->rand);
  guint64 lo = ((guint64) g_rand_int (d->rand) << 32) | g_rand_int (d->rand);
  ld_id_format (out, at, hi, lo);
}

static guint
pick_weighted (Demo *d, const double *weights, guint n)
{
  double total = 0, x;
  for (guint i = 0; i < n; i++)
    total += weights[i];
  x = uniform (d) * total;
  for (guint i = 0; i < n; i++)
    {
      if (x < weights[i])
        return i;
      x -= weights[i];
    }
  return n - 1;
}

static const LdDemoCategory *
pick_category (Demo *d, GPtrArray *categories)
{
  double total = 0, x;
  for (guint i = 0; i < categories->len; i++)
    total += ((const LdDemoCategory *) g_ptr_array_index (categories, i))->weight;
  x = uniform (d) * total;
  for (guint i = 0; i < categories->len; i++)
    {
      const LdDemoCategory *c = g_ptr_array_index (categories, i);
      if (x < c->weight)
        return c;
      x -= c->weight;
    }
  return g_ptr_array_index (categories, categories->len - 1);
}

static const LdDemoRegion *
region_by_code (const char *code)
{
  for (guint i = 0; i < ld_demo_n_regions; i++)
    if (g_str_equal (ld_demo_regions[i].code, code))
      return &ld_demo_regions[i];
  return NULL;
}

/* The unit of a category that answers for a place: the region's own, else
 * the one of the region above it. Where a region has several of a kind (the
 * three carriers), the order goes to one of them in proportion to volume. */
static const LdDemoUnit *
unit_for (Demo *d, const char *region_code, const char *unit_category)
{
  for (const LdDemoRegion *r = region_by_code (region_code); r; r = r->parent_code ? region_by_code (r->parent_code) : NULL)
    {
      g_autofree char *key = g_strconcat (r->code, "\x1f", unit_category, NULL);
      GPtrArray *units = g_hash_table_lookup (d->unit_for, key);
      double total = 0, x;

      if (units == NULL)
        continue;
      for (guint i = 0; i < units->len; i++)
        total += ((const LdDemoUnit *) g_ptr_array_index (units, i))->weight;
      x = uniform (d) * total;
      for (guint i = 0; i < units->len; i++)
        {
          const LdDemoUnit *u = g_ptr_array_index (units, i);
          if (x < u->weight)
            return u;
          x -= u->weight;
        }
      return g_ptr_array_index (units, units->len - 1);
    }
  return NULL;
}

static void
random_point (Demo *d, guint leaf, double *lat, double *lon)
{
  LdBoundary *b = g_ptr_array_index (d->boundaries, leaf);
  double min_lat, min_lon, max_lat, max_lon;

  ld_boundary_get_bbox (b, &min_lat, &min_lon, &max_lat, &max_lon);
  for (guint tries = 0; tries < 200; tries++)
    {
      *lat = min_lat + uniform (d) * (max_lat - min_lat);
      *lon = min_lon + uniform (d) * (max_lon - min_lon);
      if (ld_boundary_contains (b, *lat, *lon))
        return;
    }
  ld_boundary_get_label_point (b, lat, lon);
}

static char *
random_address (Demo *d, const char *region_code)
{
  const char *streets[32];
  guint n = 0;

  for (guint i = 0; i < ld_demo_n_streets && n < G_N_ELEMENTS (streets); i++)
    if (g_str_equal (ld_demo_streets[i].region_code, region_code))
      streets[n++] = ld_demo_streets[i].street;
  if (n == 0)
    return NULL;
  if (n > 1 && chance (d, 0.4))
    {
      guint a = g_rand_int_range (d->rand, 0, n), b = (a + 1 + g_rand_int_range (d->rand, 0, n - 1)) % n;
      return g_strdup_printf ("%s%s路口", streets[a], streets[b]);
    }
  return g_strdup_printf ("%s%d号", streets[g_rand_int_range (d->rand, 0, n)],
                          g_rand_int_range (d->rand, 1, 900));
}

static char *
random_phone (Demo *d)
{
  static const char *prefixes[] = { "133", "135", "137", "138", "139", "151", "157", "158", "177", "180", "189" };
  return g_strdup_printf ("%s%08u", prefixes[g_rand_int_range (d->rand, 0, G_N_ELEMENTS (prefixes))],
                          g_rand_int_range (d->rand, 0, 100000000));
}

static gint64
random_time_in (Demo *d, const LdPeriod *month)
{
  gint64 days = (month->end - month->start) / (24 * HOUR_US);
  gint64 day = g_rand_int_range (d->rand, 0, (gint32) days);
  guint hour = pick_weighted (d, hour_weights, 24);
  return month->start + day * 24 * HOUR_US + hour * HOUR_US + (gint64) (uniform (d) * HOUR_US);
}

static gboolean
insert_incident (Demo *d, const char *id, gint64 received, const char *source, const char *kind,
                 const char *platform, const char *phone, const char *address, double lat, double lon,
                 const char *region, const LdDemoCategory *category, const char *state, gint64 closed,
                 GError **error)
{
  g_autofree char *summary = category ? g_strdup_printf ("报警人称%s%s,请求处置。", address ? address : "",
                                                         category->name) : NULL;
  LdIncident row = {
    .id = (char *) id, .received_at = received, .source = (char *) source, .kind = (char *) kind,
    .diverted_to = (char *) platform, .caller_phone = (char *) phone, .address = (char *) address,
    .lat = lat, .lon = lon, .region_code = (char *) region,
    .category = category ? (char *) category->code : NULL, .summary = summary,
    .state = (char *) state, .closed_at = closed,
  };

  if (!ld_store_insert_incident (d->store, &row, error))
    return FALSE;
  d->counts->incidents++;
  return TRUE;
}

static gboolean
insert_feedback (Demo *d, const char *order_id, gint64 at, const char *kind, const char *text, GError **error)
{
  char id[37];

  random_id (d, at, id);
  if (!ld_store_insert_feedback (d->store, id, order_id, at, kind, text, error))
    return FALSE;
  d->counts->feedback++;
  return TRUE;
}

/* One order's life, drawn from the unit's habits (seed 000 tables 四 and 五).
 * @completed and @returned are LD_TIME_NONE when it never completed or was
 * never returned. */
static gboolean
simulate_order (Demo *d, const char *incident_id, const char *category_code, const LdDemoUnit *unit,
                gint64 dispatched, gint64 now, gint64 *completed, gint64 *returned, GError **error)
{
  LdOrder o = { 0, };
  char id[37];
  gboolean signs = chance (d, unit->sign_rate);
  gboolean gives_feedback = signs && chance (d, unit->sign_rate > 0 ? unit->feedback_rate / unit->sign_rate : 0);
  gint64 feedback_at[2];
  const char *feedback_kind[2];
  guint n_feedback = 0;

  random_id (d, dispatched, id);
  o.dispatched_at = dispatched;
  ld_store_compute_deadlines (d->store, category_code, unit->code, &o);
  *returned = LD_TIME_NONE;

  if (signs)
    o.signed_at = dispatched + 10 * LD_USEC_PER_S + lognormal_us (d, 70, 0.8);
  if (signs && unit->tier <= 2 && chance (d, 0.85))
    o.arrived_at = o.signed_at + lognormal_us (d, 11 * 60, 0.35);
  if (signs && chance (d, 0.012))
    {
      o.returned_at = MAX (o.signed_at, o.arrived_at) + lognormal_us (d, 15 * 60, 0.5);
      *returned = o.returned_at;
    }
  else if (signs && chance (d, 0.975))
    o.completed_at = MAX (o.signed_at, o.arrived_at) + lognormal_us (d, 80 * 60, 0.7);

  /* Nothing is recorded in the future of the moment the demo is made. */
  if (o.signed_at > now)
    o.signed_at = LD_TIME_NONE;
  if (o.arrived_at > now)
    o.arrived_at = LD_TIME_NONE;
  if (o.completed_at > now)
    o.completed_at = LD_TIME_NONE;
  if (o.returned_at > now)
    o.returned_at = LD_TIME_NONE, *returned = LD_TIME_NONE;

  o.state = o.completed_at ? "completed" : o.returned_at ? "returned" : o.arrived_at ? "arrived"
          : o.signed_at ? "signed" : "dispatched";

  /* 三个一律: arrival, progress and result are each reported; an order the
   * unit returns gets its reason instead. */
  if (gives_feedback)
    {
      gint64 first = o.arrived_at ? o.arrived_at + lognormal_us (d, 120, 0.6)
                                  : o.signed_at + lognormal_us (d, 25 * 60, 0.9);
      gint64 result = o.completed_at && chance (d, 0.9)
                      ? MAX (o.completed_at, first) + lognormal_us (d, 300, 0.5) : LD_TIME_NONE;

      if (first <= now && (o.returned_at == LD_TIME_NONE || first <= o.returned_at))
        {
          feedback_kind[n_feedback] = o.arrived_at ? "arrival" : "progress";
          feedback_at[n_feedback++] = first;
        }
      if (result && result <= now)
        {
          feedback_kind[n_feedback] = "result";
          feedback_at[n_feedback++] = result;
        }
    }
  /* The marks as they will stand once its feedback is written below. */
  o.first_feedback_at = n_feedback ? feedback_at[0] : LD_TIME_NONE;
  o.overdue = ld_order_overdue_at (&o, now);

  o.id = id;
  o.incident_id = (char *) incident_id;
  o.unit_code = (char *) unit->code;
  o.return_reason = o.returned_at ? (char *) return_reasons[g_rand_int_range (d->rand, 0, G_N_ELEMENTS (return_reasons))]
                                  : NULL;
  if (!ld_store_insert_order (d->store, &o, error))
    return FALSE;
  d->counts->orders++;

  for (guint i = 0; i < n_feedback; i++)
    {
      const char *text = g_str_equal (feedback_kind[i], "result") ? "已处置完毕。"
                       : g_str_equal (feedback_kind[i], "arrival") ? "已到达现场,正在处置。"
                       : "已联系报警人,正在核实处理。";
      if (!insert_feedback (d, id, feedback_at[i], feedback_kind[i], text, error))
        return FALSE;
    }
  *completed = o.completed_at;
  return TRUE;
}

/* A linkage incident with its orders; returns the largest repeat tendency
 * of the units it went to, or a negative number on error. */
static double
linkage_incident (Demo *d, guint leaf, const LdPeriod *month, gint64 received, const char *phone,
                  const LdDemoCategory *category, gint64 now, GError **error)
{
  const LdDemoRegion *region = g_ptr_array_index (d->leaves, leaf);
  const LdDemoUnit *police = unit_for (d, region->code, "police");
  g_auto(GStrv) unit_categories = g_strsplit (category->unit_categories, ",", -1);
  g_autoptr(GPtrArray) units = g_ptr_array_new ();
  g_autofree char *address = random_address (d, region->code);
  g_autofree char *phone_owned = phone ? NULL : random_phone (d);
  static const double source_weights[] = { 0.90, 0.04, 0.04, 0.01, 0.01 };
  static const char *sources[] = { "110", "12345", "grid", "96345", "inspection" };
  const char *source = sources[pick_weighted (d, source_weights, G_N_ELEMENTS (source_weights))];
  char id[37];
  double lat, lon, repeat = 0;
  gint64 closed = received, dispatched;
  gboolean open = FALSE;

  random_id (d, received, id);
  random_point (d, leaf, &lat, &lon);

  /* A quarter of linkage matters end with the police alone (seed 000:
   * 24,288 of 32,219 handlings had a linkage unit). */
  if (police && chance (d, 0.25))
    g_ptr_array_add (units, (gpointer) police);
  else
    {
      guint n = g_str_equal (category->mode, "joint") ? g_strv_length (unit_categories) : 1;
      for (guint i = 0; i < n; i++)
        {
          const LdDemoUnit *u = unit_for (d, region->code, unit_categories[i]);
          if (u && !g_ptr_array_find (units, u, NULL))
            g_ptr_array_add (units, (gpointer) u);
        }
      /* A 110 call usually has the police go along with the units (about
       * 450,000 orders a year for 400,000 incidents); a matter no unit of
       * the demo answers for is left to them. */
      if (police && !g_ptr_array_find (units, police, NULL) && (units->len == 0 || chance (d, 0.85)))
        g_ptr_array_add (units, (gpointer) police);
    }

  if (!insert_incident (d, id, received, source, "linkage", NULL, phone ? phone : phone_owned, address,
                        lat, lon, region->code, category, "dispatched", LD_TIME_NONE, error))
    return -1;

  dispatched = received + 30 * LD_USEC_PER_S + lognormal_us (d, 100, 0.5);
  for (guint i = 0; i < units->len; i++)
    {
      const LdDemoUnit *u = g_ptr_array_index (units, i);
      gint64 returned;
      gint64 completed;

      if (dispatched > now)
        {
          open = TRUE;
          break;
        }
      if (!simulate_order (d, id, category->code, u, dispatched, now, &completed, &returned, error))
        return -1;
      /* A returned order goes to the same kind of unit of the region above. */
      if (returned != LD_TIME_NONE)
        {
          const LdDemoRegion *r = region_by_code (region->code);
          const LdDemoUnit *other = r && r->parent_code ? unit_for (d, r->parent_code, u->category) : NULL;
          if (other && other != u)
            {
              gint64 again = returned + lognormal_us (d, 5 * 60, 0.4);
              if (again <= now &&
                  !simulate_order (d, id, category->code, other, again, now, &completed, &returned, error))
                return -1;
            }
        }
      if (completed == LD_TIME_NONE)
        open = TRUE;
      else
        closed = MAX (closed, completed);
      repeat = MAX (repeat, u->repeat_rate);
    }

  if (!open)
    {
      sqlite3_stmt *s = ld_store_prepare (d->store,
        "UPDATE incident SET state = 'closed', closed_at = ?2 WHERE id = ?1", error);
      gint64 verified = closed + lognormal_us (d, 20 * 60, 0.5);
      if (s == NULL)
        return -1;
      if (verified <= now)
        {
          sqlite3_bind_text (s, 1, id, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (s, 2, verified);
          if (!ld_store_step_done (d->store, s, error))
            return -1;
        }
    }

  /* The caller calls again, 8 min to 72 h later (the repeat-call window). */
  if (phone == NULL && chance (d, repeat))
    {
      gint64 again = received + LD_REPEAT_MIN_US + (gint64) (uniform (d) * uniform (d) * (LD_REPEAT_MAX_US - LD_REPEAT_MIN_US));
      if (again < month->end && again <= now &&
          linkage_incident (d, leaf, month, again, phone_owned, category, now, error) < 0)
        return -1;
    }
  return repeat;
}

static double
month_factor (const LdDemoRegion *region, guint index, guint months)
{
  /* Volumes grow towards the last month so that its YoY is the region's. */
  double years_before_last = (double) (months - 1 - index) / 12.0;
  return pow (1.0 + region->yoy_growth, -years_before_last);
}

static gboolean
generate_month (Demo *d, guint index, int year, int month, GError **error)
{
  LdPeriod period = ld_period_month (d->tz, year, month);
  gint64 now = ld_time_now ();
  double scale = d->options->scale;
  double leaf_total = 0;

  for (guint l = 0; l < d->leaves->len; l++)
    leaf_total += ((const LdDemoRegion *) g_ptr_array_index (d->leaves, l))->weight;

  for (guint l = 0; l < d->leaves->len; l++)
    {
      const LdDemoRegion *region = g_ptr_array_index (d->leaves, l);
      double share = region->weight / leaf_total * month_factor (region, index, d->options->months);
      guint n_linkage = (guint) round (LINKAGE_PER_MONTH * scale * share);
      guint n_diverted = (guint) round (DIVERTED_PER_MONTH * scale * share);
      guint n_police = (guint) round (POLICE_PER_MONTH * scale * share);

      for (guint i = 0; i < n_linkage; i++)
        {
          gint64 received = random_time_in (d, &period);
          if (received <= now &&
              linkage_incident (d, l, &period, received, NULL, pick_category (d, d->linkage_categories), now, error) < 0)
            return FALSE;
        }
      for (guint i = 0; i < n_diverted; i++)
        {
          double shares[G_N_ELEMENTS (platform_shares)];
          const char *platform;
          const LdDemoCategory *category = NULL;
          g_autofree char *address = random_address (d, region->code);
          g_autofree char *phone = random_phone (d);
          g_autoptr(GPtrArray) fitting = g_ptr_array_new ();
          gint64 received = random_time_in (d, &period);
          double lat, lon;
          char id[37];

          for (guint p = 0; p < G_N_ELEMENTS (platform_shares); p++)
            shares[p] = platform_shares[p].share;
          platform = platform_shares[pick_weighted (d, shares, G_N_ELEMENTS (shares))].platform;
          for (guint c = 0; c < d->divert_categories->len; c++)
            {
              const LdDemoCategory *dc = g_ptr_array_index (d->divert_categories, c);
              if (g_strcmp0 (dc->platform, platform) == 0)
                g_ptr_array_add (fitting, (gpointer) dc);
            }
          if (fitting->len)
            category = pick_category (d, fitting);
          random_id (d, received, id);
          random_point (d, l, &lat, &lon);
          if (received <= now &&
              !insert_incident (d, id, received, "110", "diverted", platform, phone, address, lat, lon,
                                region->code, category, "diverted", LD_TIME_NONE, error))
            return FALSE;
        }
      for (guint i = 0; i < n_police; i++)
        {
          g_autofree char *address = random_address (d, region->code);
          g_autofree char *phone = random_phone (d);
          gint64 received = random_time_in (d, &period);
          double lat, lon;
          char id[37];

          random_id (d, received, id);
          random_point (d, l, &lat, &lon);
          if (received <= now &&
              !insert_incident (d, id, received, "110", "police", NULL, phone, address, lat, lon,
                                region->code, NULL, "closed", received + lognormal_us (d, 3600, 0.6), error))
            return FALSE;
        }
    }
  return TRUE;
}

/* Simulated-alarm drills as seed 001 logs them: a place in one district,
 * its first-tier units called at once, each arrival timed. */
static gboolean
generate_drills (Demo *d, int year, int month, GError **error)
{
  static const char *scenarios[] = {
    "隧道内油罐车发生交通事故", "商场火灾人员被困", "河道有人落水", "燃气管道泄漏", "居民楼电梯困人",
  };
  LdPeriod period = ld_period_month (d->tz, year, month);

  for (guint k = 0; k < DRILLS_PER_MONTH; k++)
    {
      guint leaf = g_rand_int_range (d->rand, 0, d->leaves->len);
      const LdDemoRegion *region = g_ptr_array_index (d->leaves, leaf);
      g_autofree char *address = random_address (d, region->code);
      LdDrill drill = { 0, };
      char id[37];
      g_autofree char *drill_id = NULL;
      GHashTable *seen = g_hash_table_new (NULL, NULL);

      drill.held_at = period.start + (gint64) ((3 + 5 * k + g_rand_int_range (d->rand, 0, 8)) * 24 + 9 + g_rand_int_range (d->rand, 0, 7)) * HOUR_US;
      random_id (d, drill.held_at, id);
      drill.id = id;
      if (drill.held_at > ld_time_now ())
        {
          g_hash_table_unref (seen);
          continue;
        }
      drill.region_code = (char *) region->code;
      drill.location = address;
      drill.scenario = (char *) scenarios[g_rand_int_range (d->rand, 0, G_N_ELEMENTS (scenarios))];
      random_point (d, leaf, &drill.lat, &drill.lon);
      drill_id = ld_store_add_drill (d->store, &drill, NULL, error);
      if (drill_id == NULL)
        {
          g_hash_table_unref (seen);
          return FALSE;
        }
      d->counts->drills++;

      for (guint i = 0; i < ld_demo_n_units; i++)
        {
          const LdDemoUnit *candidate = &ld_demo_units[i];
          const LdDemoUnit *u;
          LdDrillUnit du = { 0, };

          if (candidate->tier != 1 && !g_str_equal (candidate->category, "government"))
            continue;
          u = unit_for (d, region->code, candidate->category);
          if (u == NULL || g_hash_table_contains (seen, u))
            continue;
          g_hash_table_add (seen, (gpointer) u);
          du.drill_id = drill_id;
          du.unit_code = (char *) u->code;
          du.alarm_at = drill.held_at;
          du.limit_s = 1200;
          /* Most arrive within 20 min; about one in eight does not. */
          if (!chance (d, 0.02))
            du.arrived_at = drill.held_at + lognormal_us (d, 13 * 60, 0.35);
          if (!ld_store_put_drill_unit (d->store, &du, NULL, error))
            {
              g_hash_table_unref (seen);
              return FALSE;
            }
        }
      g_hash_table_unref (seen);
    }
  return TRUE;
}

/* The daily roll call of the units' duty liaisons (seed 000, 二、点名报备). */
static gboolean
generate_roll_calls (Demo *d, int year, int month, GError **error)
{
  LdPeriod period = ld_period_month (d->tz, year, month);
  sqlite3_stmt *s = ld_store_prepare (d->store,
    "INSERT INTO roll_call (id, at, unit_code, answered, answer_s) VALUES (?, ?, ?, ?, ?)", error);

  if (s == NULL)
    return FALSE;
  for (gint64 day = period.start; day < period.end; day += 24 * HOUR_US)
    for (guint i = 0; i < ld_demo_n_units; i++)
      {
        const LdDemoUnit *u = &ld_demo_units[i];
        gboolean answered = chance (d, 0.995);
        gint64 at = day + 9 * HOUR_US + i * 40 * LD_USEC_PER_S;
        char id[37];

        if (g_strcmp0 (u->region_code, "330401") != 0 || at > ld_time_now ())
          continue;
        random_id (d, at, id);
        sqlite3_bind_text (s, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_int64 (s, 2, at);
        sqlite3_bind_text (s, 3, u->code, -1, SQLITE_STATIC);
        sqlite3_bind_int (s, 4, answered);
        if (answered)
          sqlite3_bind_int (s, 5, 3 + g_rand_int_range (d->rand, 0, 25));
        if (!ld_store_step_done (d->store, s, error))
          return FALSE;
      }
  return TRUE;
}

static gboolean
put_reference_data (Demo *d, GError **error)
{
  for (guint i = 0; i < ld_demo_n_regions; i++)
    {
      const LdDemoRegion *r = &ld_demo_regions[i];
      LdRegion region = { (char *) r->code, (char *) r->name, (char *) r->parent_code };
      g_autoptr(LdBoundary) b = NULL;

      if (r->boundary && (b = ld_boundary_new_from_geojson (r->boundary, LD_DATUM_WGS84, error)) == NULL)
        return FALSE;
      if (!ld_store_put_region (d->store, &region, b, error))
        return FALSE;
      if (b)
        {
          g_ptr_array_add (d->leaves, (gpointer) r);
          g_ptr_array_add (d->boundaries, g_steal_pointer (&b));
        }
    }
  for (guint i = 0; i < ld_demo_n_categories; i++)
    {
      const LdDemoCategory *c = &ld_demo_categories[i];
      LdCategory category = {
        (char *) c->code, (char *) c->name, (char *) c->mode, (char *) c->platform,
        (char *) c->unit_categories,
        { c->sign_limit_s, c->arrive_limit_s, c->feedback_limit_s, c->result_limit_s },
      };
      if (!ld_store_put_category (d->store, &category, error))
        return FALSE;
      g_ptr_array_add (g_str_equal (c->mode, "divert") ? d->divert_categories : d->linkage_categories,
                       (gpointer) c);
    }
  for (guint i = 0; i < ld_demo_n_units; i++)
    {
      const LdDemoUnit *u = &ld_demo_units[i];
      LdUnit unit = {
        (char *) u->code, (char *) u->name, u->tier, (char *) u->category, (char *) u->region_code,
        (char *) u->phone, u->lat, u->lon, FALSE, { 0, },
      };
      g_autofree char *key = g_strconcat (u->region_code, "\x1f", u->category, NULL);
      GPtrArray *same_kind;

      if (!ld_store_put_unit (d->store, &unit, error))
        return FALSE;
      same_kind = g_hash_table_lookup (d->unit_for, key);
      if (same_kind == NULL)
        g_hash_table_insert (d->unit_for, g_steal_pointer (&key), same_kind = g_ptr_array_new ());
      g_ptr_array_add (same_kind, (gpointer) u);
    }
  return ld_store_set_setting (d->store, "center_name", "嘉兴市社会应急联动指挥中心", error);
}

gboolean
ld_demo_generate (LdStore *store, const LdDemoOptions *options, LdDemoCounts *counts, GError **error)
{
  Demo d = { 0, };
  LdDemoCounts local_counts = { 0, };
  gint64 first_incident_rowid;
  gboolean ok = FALSE;

  d.store = store;
  d.options = options;
  d.rand = g_rand_new_with_seed (options->seed);
  d.tz = ld_store_get_time_zone (store);
  d.counts = counts ? counts : &local_counts;
  memset (d.counts, 0, sizeof *d.counts);
  d.leaves = g_ptr_array_new ();
  d.boundaries = g_ptr_array_new_with_free_func ((GDestroyNotify) ld_boundary_unref);
  d.unit_for = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  d.linkage_categories = g_ptr_array_new ();
  d.divert_categories = g_ptr_array_new ();

  first_incident_rowid = ld_store_next_rowid (store, "incident");
  if (!ld_store_begin (store, error))
    goto out;
  if (!put_reference_data (&d, error))
    goto rollback;


  for (guint i = 0; i < options->months; i++)
    {
      int back = options->months - 1 - i;
      int y = options->last_year, m = options->last_month - back;
      while (m < 1)
        m += 12, y--;
      if (!generate_month (&d, i, y, m, error) ||
          !generate_drills (&d, y, m, error) ||
          !generate_roll_calls (&d, y, m, error))
        goto rollback;
    }

  {
    guint n_marked;
    if (!ld_store_queue_phones_since (store, first_incident_rowid, error) ||
        !ld_store_relink_repeats (store, error) ||
        !ld_store_mark_overdue (store, ld_time_now (), &n_marked, error) ||
        !ld_store_commit (store, error))
      goto rollback;
  }
  ok = TRUE;
  goto out;

rollback:
  ld_store_rollback (store);
out:
  g_rand_free (d.rand);
  g_ptr_array_unref (d.leaves);
  g_ptr_array_unref (d.boundaries);
  g_hash_table_unref (d.unit_for);
  g_ptr_array_unref (d.linkage_categories);
  g_ptr_array_unref (d.divert_categories);
  return ok;
}
