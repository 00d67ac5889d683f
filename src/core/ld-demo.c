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
#include <string.h>

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
#define DAY_US  (24 * HOUR_US)
#define WEEK_US (7 * DAY_US)

/* How an order goes, after seed 000's tables and what its bulletin calls
 * out: a step is late a few times in a hundred; a department or a district
 * returns one order in twenty (not its duty, not its area: seed 000's
 * problem case) and it is sent again. The police, fire and ambulances
 * handle first and hand over after (先受理、先处置、后移交, seed 003), so
 * about one order in a hundred is returned in all, as in seed 001. */
#define LATE_SIGN      0.02
#define LATE_ARRIVE    0.03
#define LATE_RESULT    0.025
#define RETURNED       0.05
/* A unit that reports forgets the arrival now and then and reports only
 * the result, late when the result comes after the feedback deadline. */
#define RESULT_ONLY    0.03
/* A unit later than this past a deadline has its matter escalated
 * (挂牌督办) instead: the late steps of ordinary orders stay within it, so
 * that nothing lies open for weeks unless it was escalated. */
#define LATE_MAX_US    (2 * DAY_US)
/* Of a unit's matters given a day or more for the result (an inspection,
 * a hearing, a payment), one in ten is not done in time and is escalated
 * week after week (三周三级) until it is: about five a month at the default
 * scale, open for weeks and now and then for months. */
#define ESCALATED      0.1
#define ESCALATION_MAX_US (120 * DAY_US)

/* However quiet the hour the city is made in, this many calls came in
 * during it, and a linkage call in its last minutes is being dispatched,
 * or its orders signed: the present is what a visitor sees first. */
#define PRESENT_CALLS  3
#define PRESENT_LINKAGE_US (6 * MIN_US)

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

/* The order data is what the units write in a Chinese center's system,
 * not interface text, like the names of ld-demo-city.c. */
static const char *return_reasons[] = {
  "不属本单位职责", "不属本辖区管辖", "地址有误,已联系报警人核实",
};
/* Why each is not the unit's duty, while the center has not named the
 * unit it is: the one it sends the order to then. */
static const char *return_bases[] = {
  "按职责清单,该事项不在本单位职责范围内", "事发地不在本单位管辖区域", "经与报警人核实,事发地址不在本单位辖区",
};
/* The center phoned a unit that left an order unsigned, and took it back. */
static const char unsigned_reason[] = "超时未签收,经电话催办后退回改派";
static const char unsigned_basis[] = "超时未签收,由中心收回改派";

/* Now and then a unit on the scene returns an order and the center
 * overrules it (退单审定): the responsibility list does give the matter to
 * the unit, which then handles it. Drawn from
 * the order's id, not the demo's random numbers, so that every other
 * draw, and the seeds' figures, stay as they were. */
#define OVERRULED_ONE_IN 60
/* The unit a returned matter is sent on to says in turn it is not its
 * area, and the center finds it is (seed 000's 由拳路 case): the incident
 * was returned twice, and the bulletin names it. */
#define RESENT_OVERRULED_ONE_IN 5
static const char overruled_reason[] = "经核查,按职责清单该事项属本单位职责,驳回退单,请继续处置";
/* A unit that sees it cannot finish in time asks for an extension (申请延期)
 * a few hours before the deadline; the center approves two in three. */
#define EXTENDED_ONE_IN  4
static const char *extension_reasons[] = {
  "需协调相关部门联合处置,申请延期办结", "涉及维修材料采购,需延期办结", "当事人暂时联系不上,需延期处理",
};
static const char extension_refusal[] = "处置时限已较宽裕,请按原期限办结";

/* 三周三级: a matter unresolved escalates each week, from the village to the
 * town's center, the town's leader and the city's center. */
static const char *escalation_levels[] = {
  "村(社区)", "镇(街道)联动中心", "镇(街道)分管领导", "市社会应急联动指挥中心",
};

typedef struct {
  LdStore             *store;
  GRand               *rand;
  GTimeZone           *tz;
  LdDemoCounts        *counts;
  const LdDemoOptions *options;
  gint64               until;
  guint                last_hour;    /* incidents received in the hour up to @until */
  gint64               newest_linkage;

  GPtrArray           *leaves;       /* const LdDemoRegion * with a boundary */
  GPtrArray           *boundaries;   /* LdBoundary *, parallel to leaves */
  GHashTable          *unit_for;     /* "region\x1funit_category" → GPtrArray of const LdDemoUnit * */
  GPtrArray           *linkage_categories;
  GPtrArray           *divert_categories;
} Demo;

/* One feedback entry an order is to get. */
typedef struct {
  gint64      at;
  const char *kind;
  char       *text;
} Report;

#define MAX_REPORTS (ESCALATION_MAX_US / WEEK_US + 4)

void
ld_demo_options_init (LdDemoOptions *options)
{
  options->months = 13;
  options->until = ld_time_now ();
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

static double
gauss (Demo *d)
{
  double u1 = uniform (d), u2 = uniform (d);
  return sqrt (-2.0 * log (MAX (u1, 1e-12))) * cos (2 * G_PI * u2);
}

/* A lognormal draw: response times have a long right tail. */
static gint64
lognormal_us (Demo *d, double median_s, double sigma)
{
  return (gint64) (median_s * exp (sigma * gauss (d)) * LD_USEC_PER_S);
}

/* When a step is done: within the time allowed from dispatch to @due, about
 * @typical of it with now and then one close to the limit; or, with
 * probability @late_p, after it by a share of the time allowed, at most
 * LATE_MAX_US. */
static gint64
step_at (Demo *d, gint64 dispatched, gint64 due, double typical, double late_p)
{
  double allowed = due - dispatched;
  double f;

  if (chance (d, late_p))
    {
      double late = allowed * 0.25 * exp (0.8 * gauss (d));
      return due + (gint64) MIN (late, (double) LATE_MAX_US);
    }
  do
    f = typical * exp (0.45 * gauss (d));
  while (f >= 1.0);
  return dispatched + (gint64) (f * allowed);
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
first_responder (const LdDemoUnit *unit)
{
  return g_str_equal (unit->category, "police") || g_str_equal (unit->category, "fire") ||
         g_str_equal (unit->category, "medical");
}

/* Who takes an order back that @unit returned for a place in @region: the
 * same kind of unit of the region above, else another of its kind (the
 * neighbouring district, another carrier), else the place's own center,
 * else the police. */
static const LdDemoUnit *
resend_unit (Demo *d, const LdDemoRegion *region, const LdDemoUnit *unit)
{
  const LdDemoUnit *other = region->parent_code ? unit_for (d, region->parent_code, unit->category) : NULL;
  g_autoptr(GPtrArray) same_kind = NULL;

  if (other && other != unit)
    return other;
  same_kind = g_ptr_array_new ();
  for (guint i = 0; i < ld_demo_n_units; i++)
    if (&ld_demo_units[i] != unit && g_str_equal (ld_demo_units[i].category, unit->category))
      g_ptr_array_add (same_kind, (gpointer) &ld_demo_units[i]);
  if (same_kind->len)
    return g_ptr_array_index (same_kind, g_rand_int_range (d->rand, 0, same_kind->len));
  other = unit_for (d, region->code, "district_center");
  return other && other != unit ? other : unit_for (d, region->code, "police");
}

/* What callers report to the police alone, for a summary such calls have
 * too: picked by the time of the call, so the demo's draws stay the same. */
static const char *police_matters[] = {
  "有人发生纠纷", "电动车被盗", "有人打架", "捡到遗失物品", "有醉酒人员滋事", "车辆被刮擦", "家中失窃",
};

static gboolean
insert_incident (Demo *d, const char *id, gint64 received, const char *source, const char *kind,
                 const char *platform, const char *phone, const char *address, double lat, double lon,
                 const char *region, const LdDemoCategory *category, const char *state, gint64 closed,
                 GError **error)
{
  g_autofree char *summary = category ? g_strdup_printf ("报警人称%s%s,请求处置。", address ? address : "",
                                                         category->name)
                           : g_str_equal (kind, "police")
                           ? g_strdup_printf ("报警人称%s%s,请求民警处置。", address ? address : "",
                                              police_matters[(received / LD_USEC_PER_S) % G_N_ELEMENTS (police_matters)])
                           : NULL;
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
  if (received > d->until - HOUR_US)
    d->last_hour++;
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

static void
add_report (Report *reports, guint *n, gint64 at, const char *kind, char *text)
{
  g_assert (*n < MAX_REPORTS);
  reports[*n].at = at;
  reports[*n].kind = kind;
  reports[*n].text = text;
  (*n)++;
}

/* One order's life, drawn from the unit's habits (seed 000 tables 四 and 五)
 * and the time allowed for each step, cut at the demo's moment: an order
 * whose next step is still to come is under way, and within its deadline
 * unless that step was to be late. An order sent again after a return
 * (@resent) is chased: signed, done, never escalated. @completed and
 * @returned are LD_TIME_NONE when it is not completed or not returned by
 * then. */
/* The desk's side of an order done without the desk: a return the center
 * overruled, and an extension asked for and ruled on. @draw comes from the
 * order's id. */
static void
add_rulings (Demo *d, LdOrder *o, const LdDemoUnit *unit, gboolean resent, gboolean escalated, guint draw)
{
  if (o->completed_at && o->returned_at == LD_TIME_NONE && !escalated && !first_responder (unit) &&
      draw % (resent ? RESENT_OVERRULED_ONE_IN : OVERRULED_ONE_IN) == 0)
    {
      gint64 returned = o->arrived_at + (5 + draw / 7 % 10) * MIN_US;
      gint64 ruled = returned + (15 + draw / 11 % 20) * MIN_US;

      if (ruled + 10 * MIN_US < o->completed_at)
        {
          guint why = resent ? 1 : 0;

          o->returned_at = returned;
          o->return_reason = (char *) return_reasons[why];
          o->not_ours = TRUE;
          o->basis = (char *) return_bases[why];
          o->return_ruling = "overruled";
          o->return_ruled_at = ruled;
          o->return_ruling_reason = (char *) overruled_reason;
        }
    }
  else if (o->returned_at)
    {
      const char *reason = o->return_reason;

      o->not_ours = TRUE;
      o->basis = (char *) unsigned_basis;
      for (guint i = 0; i < G_N_ELEMENTS (return_reasons); i++)
        if (reason == return_reasons[i])
          o->basis = (char *) return_bases[i];
    }

  /* A result late past its deadline, asked to be moved beforehand. */
  if (o->completed_at > o->result_due && !escalated && draw % EXTENDED_ONE_IN == 1)
    {
      gint64 asked = MAX (o->result_due - (1 + draw / 13 % 3) * HOUR_US, o->arrived_at + MIN_US);
      gint64 ruled = asked + (30 + draw / 17 % 60) * MIN_US;

      if (asked < o->result_due && ruled <= d->until)
        {
          o->extension_step = "complete";
          o->extension_until = o->completed_at + (1 + draw / 19 % 6) * HOUR_US;
          o->extension_reason = (char *) extension_reasons[draw / 23 % G_N_ELEMENTS (extension_reasons)];
          o->extension_requested_at = asked;
          o->extension_ruled_at = ruled;
          if (draw / 29 % 3 != 0)
            {
              o->extension_ruling = "approved";
              o->extension_original_due = o->result_due;
              o->result_due = o->extension_until;
            }
          else
            {
              o->extension_ruling = "refused";
              o->extension_ruling_reason = (char *) extension_refusal;
            }
        }
    }
}

static gboolean
simulate_order (Demo *d, const char *incident_id, const LdDemoCategory *category, const LdDemoUnit *unit,
                gint64 dispatched, gboolean resent, gint64 *completed, gint64 *returned, char *order_id,
                GError **error)
{
  LdOrder o = { 0, };
  Report reports[MAX_REPORTS];
  guint n_reports = 0;
  char id[37];
  gboolean signs = resent || chance (d, unit->sign_rate);
  gboolean escalated = signs && !resent && category->result_limit_s * LD_USEC_PER_S >= DAY_US &&
                       !g_str_equal (unit->category, "police") && chance (d, ESCALATED);
  /* A unit reports on a matter escalated every week, whatever its habits. */
  gboolean reports_back = escalated ||
                          (signs && chance (d, unit->sign_rate > 0 ? unit->feedback_rate / unit->sign_rate : 0));
  gboolean ok = TRUE;

  random_id (d, dispatched, id);
  o.dispatched_at = dispatched;
  ld_store_compute_deadlines (d->store, category->code, unit->code, &o);

  /* A unit that never signs is phoned past its deadline, and the center
   * takes the order back to send it elsewhere. */
  if (!signs)
    {
      o.returned_at = o.sign_due + lognormal_us (d, 25 * 60, 0.6);
      o.return_reason = (char *) unsigned_reason;
    }
  else
    {
      o.signed_at = step_at (d, dispatched, o.sign_due, 0.35, LATE_SIGN);
      if (!resent && !escalated && !first_responder (unit) && chance (d, RETURNED))
        {
          o.returned_at = o.signed_at + lognormal_us (d, 10 * 60, 0.6);
          o.return_reason = (char *) return_reasons[g_rand_int_range (d->rand, 0, G_N_ELEMENTS (return_reasons))];
        }
      else
        {
          /* Drawn apart: MAX () and MIN () evaluate their arguments twice. */
          gint64 arrived = step_at (d, dispatched, o.arrive_due, 0.55, LATE_ARRIVE);
          gint64 done;

          if (escalated)
            {
              gint64 weeks = (gint64) (WEEK_US * (0.5 + 2.0 * exp (0.8 * gauss (d))));
              done = o.result_due + MIN (weeks, ESCALATION_MAX_US);
            }
          else
            done = step_at (d, dispatched, o.result_due, 0.3, LATE_RESULT);
          o.arrived_at = MAX (o.signed_at + 30 * LD_USEC_PER_S, arrived);
          o.completed_at = MAX (o.arrived_at + 5 * MIN_US, done);
        }
    }

  /* 三个一律: the unit reports its arrival, its progress on a matter that
   * takes long, and the result; or why it gives the order back. */
  if (reports_back && o.signed_at && o.returned_at)
    add_report (reports, &n_reports, o.signed_at + (o.returned_at - o.signed_at) * 9 / 10, "progress",
                g_strdup_printf ("经核实,%s,申请退单。", o.return_reason));
  else if (reports_back && o.completed_at)
    {
      gint64 span = o.completed_at - o.arrived_at;

      if (!chance (d, RESULT_ONLY))
        add_report (reports, &n_reports, o.arrived_at + lognormal_us (d, 90, 0.6), "arrival",
                    g_strdup ("已到达现场,正在处置。"));
      if (escalated)
        for (guint week = 0; ; week++)
          {
            gint64 at = o.result_due + week * WEEK_US + lognormal_us (d, 4 * 3600, 0.5);
            const char *level = escalation_levels[MIN (week, G_N_ELEMENTS (escalation_levels) - 1)];

            if (at >= o.completed_at)
              break;
            add_report (reports, &n_reports, at, "progress",
                        g_strdup_printf ("逾期未办结,已由%s挂牌督办(第%u周),正在协调处置。", level, week + 1));
          }
      else if (span > 4 * HOUR_US)
        add_report (reports, &n_reports, o.arrived_at + (gint64) (span * (0.3 + 0.4 * uniform (d))), "progress",
                    g_strdup ("正在处置,已联系相关方协调。"));
      if (n_reports == 0 || chance (d, 0.9))
        add_report (reports, &n_reports, o.completed_at + lognormal_us (d, 180, 0.6), "result",
                    g_strdup (escalated ? "经挂牌督办,已处置完毕。" : "已处置完毕。"));
    }

  add_rulings (d, &o, unit, resent, escalated, g_str_hash (id));

  /* Nothing is recorded after the demo's moment. */
  if (o.signed_at > d->until)
    o.signed_at = LD_TIME_NONE;
  if (o.arrived_at > d->until)
    o.arrived_at = LD_TIME_NONE;
  if (o.completed_at > d->until)
    o.completed_at = LD_TIME_NONE;
  if (o.returned_at > d->until)
    o.returned_at = LD_TIME_NONE, o.return_reason = NULL, o.not_ours = FALSE, o.basis = NULL;
  if (o.return_ruled_at > d->until)
    o.return_ruling = NULL, o.return_ruled_at = LD_TIME_NONE, o.return_ruling_reason = NULL;
  o.state = o.completed_at ? "completed" : o.returned_at ? "returned" : o.arrived_at ? "arrived"
          : o.signed_at ? "signed" : "dispatched";
  /* The marks as they will stand once its feedback is written below. */
  o.first_feedback_at = n_reports && reports[0].at <= d->until ? reports[0].at : LD_TIME_NONE;
  o.overdue = ld_order_overdue_at (&o, d->until);
  o.id = id;
  o.incident_id = (char *) incident_id;
  o.unit_code = (char *) unit->code;

  if (!ld_store_insert_order (d->store, &o, error))
    ok = FALSE;
  else
    d->counts->orders++;
  for (guint i = 0; i < n_reports; i++)
    {
      if (ok && reports[i].at <= d->until)
        ok = insert_feedback (d, id, reports[i].at, reports[i].kind, reports[i].text, error);
      g_free (reports[i].text);
    }
  *completed = o.completed_at;
  *returned = ld_order_return_stands (&o) ? o.returned_at : LD_TIME_NONE;
  memcpy (order_id, id, sizeof id);
  return ok;
}

/* The center accepts a return as it sends the matter on, to the unit whose
 * duty it is (@duty_unit_code, when another), which the return then names. */
static gboolean
accept_return (Demo *d, const char *order_id, const char *duty_unit_code, gint64 at, GError **error)
{
  sqlite3_stmt *s = ld_store_prepare (d->store,
    "UPDATE orders SET return_ruling = 'accepted', return_ruled_at = ?2,"
    " duty_unit_code = ?3, not_ours = ?3 IS NULL, basis = CASE WHEN ?3 IS NULL THEN basis END"
    " WHERE id = ?1", error);

  if (s == NULL)
    return FALSE;
  sqlite3_bind_text (s, 1, order_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 2, at);
  if (duty_unit_code)
    sqlite3_bind_text (s, 3, duty_unit_code, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (s, 3);
  return ld_store_step_done (d->store, s, error);
}

/* A linkage incident with its orders; returns the largest repeat tendency
 * of the units it went to, or a negative number on error. */
static double
linkage_incident (Demo *d, guint leaf, gint64 received, const char *phone, const LdDemoCategory *category,
                  GError **error)
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
  char id[37], order_id[37];
  double lat, lon, repeat = 0;
  gint64 closed = received, dispatched;
  gboolean open = FALSE;

  random_id (d, received, id);
  random_point (d, leaf, &lat, &lon);
  d->newest_linkage = MAX (d->newest_linkage, received);

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

  /* New until its first order is dispatched: the store moves it on. */
  if (!insert_incident (d, id, received, source, "linkage", NULL, phone ? phone : phone_owned, address,
                        lat, lon, region->code, category, "new", LD_TIME_NONE, error))
    return -1;

  dispatched = received + 30 * LD_USEC_PER_S + lognormal_us (d, 100, 0.5);
  for (guint i = 0; i < units->len; i++)
    {
      const LdDemoUnit *u = g_ptr_array_index (units, i);
      gint64 returned, completed;

      if (dispatched > d->until)
        {
          open = TRUE;
          break;
        }
      if (!simulate_order (d, id, category, u, dispatched, FALSE, &completed, &returned, order_id, error))
        return -1;
      if (returned != LD_TIME_NONE)
        {
          gint64 again = returned + lognormal_us (d, 4 * 60, 0.4);
          const LdDemoUnit *next;
          char next_id[37];

          completed = LD_TIME_NONE;
          if (again <= d->until)
            {
              next = resend_unit (d, region, u);
              if (!simulate_order (d, id, category, next, again, TRUE, &completed, &returned, next_id, error) ||
                  !accept_return (d, order_id, next != u ? next->code : NULL, again, error))
                return -1;
            }
        }
      if (completed == LD_TIME_NONE)
        open = TRUE;
      else
        closed = MAX (closed, completed);
      repeat = MAX (repeat, u->repeat_rate);
    }

  /* The center verifies the result, calling the caller back, and closes. */
  if (!open)
    {
      gint64 verified = closed + lognormal_us (d, 30 * 60, 0.7);
      sqlite3_stmt *s = ld_store_prepare (d->store,
        "UPDATE incident SET state = 'closed', closed_at = ?2 WHERE id = ?1", error);

      if (s == NULL)
        return -1;
      if (verified <= d->until)
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
      if (again <= d->until && linkage_incident (d, leaf, again, phone_owned, category, error) < 0)
        return -1;
    }
  return repeat;
}

static gboolean
diverted_incident (Demo *d, guint leaf, gint64 received, GError **error)
{
  const LdDemoRegion *region = g_ptr_array_index (d->leaves, leaf);
  double shares[G_N_ELEMENTS (platform_shares)];
  const char *platform;
  const LdDemoCategory *category = NULL;
  g_autofree char *address = random_address (d, region->code);
  g_autofree char *phone = random_phone (d);
  g_autoptr(GPtrArray) fitting = g_ptr_array_new ();
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
  random_point (d, leaf, &lat, &lon);
  return insert_incident (d, id, received, "110", "diverted", platform, phone, address, lat, lon,
                          region->code, category, "diverted", LD_TIME_NONE, error);
}

/* A matter the police settle alone, closed when they report back. */
static gboolean
police_incident (Demo *d, guint leaf, gint64 received, GError **error)
{
  const LdDemoRegion *region = g_ptr_array_index (d->leaves, leaf);
  g_autofree char *address = random_address (d, region->code);
  g_autofree char *phone = random_phone (d);
  gint64 closed;
  double lat, lon;
  char id[37];

  random_id (d, received, id);
  random_point (d, leaf, &lat, &lon);
  closed = received + lognormal_us (d, 3600, 0.6);
  if (closed > d->until)
    closed = LD_TIME_NONE;
  return insert_incident (d, id, received, "110", "police", NULL, phone, address, lat, lon,
                          region->code, NULL, closed ? "closed" : "new", closed, error);
}

static double
month_factor (const LdDemoRegion *region, guint index, guint months)
{
  /* Volumes grow towards the last whole month so that its YoY is the
   * region's; the month of the demo's moment goes on growing. */
  double years_before_last = ((double) months - 1 - index) / 12.0;
  return pow (1.0 + region->yoy_growth, -years_before_last);
}

/* A month's calls (@index 0 the first, options->months the month of the
 * demo's moment), those after the moment left out. */
static gboolean
generate_month (Demo *d, guint index, int year, int month, GError **error)
{
  LdPeriod period = ld_period_month (d->tz, year, month);
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
          if (received <= d->until &&
              linkage_incident (d, l, received, NULL, pick_category (d, d->linkage_categories), error) < 0)
            return FALSE;
        }
      for (guint i = 0; i < n_diverted; i++)
        {
          gint64 received = random_time_in (d, &period);
          if (received <= d->until && !diverted_incident (d, l, received, error))
            return FALSE;
        }
      for (guint i = 0; i < n_police; i++)
        {
          gint64 received = random_time_in (d, &period);
          if (received <= d->until && !police_incident (d, l, received, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* Calls in the hour before the demo's moment, of every kind in its share
 * and every place in its own, until there are PRESENT_CALLS; and if no
 * linkage call came within PRESENT_LINKAGE_US of it, one came then, the
 * two minutes a dispatch takes before it. */
static gboolean
present_calls (Demo *d, GError **error)
{
  const double kinds[] = { LINKAGE_PER_MONTH, DIVERTED_PER_MONTH, POLICE_PER_MONTH };
  g_autofree double *leaf_weights = g_new (double, d->leaves->len);

  for (guint l = 0; l < d->leaves->len; l++)
    leaf_weights[l] = ((const LdDemoRegion *) g_ptr_array_index (d->leaves, l))->weight;
  while (d->last_hour < PRESENT_CALLS)
    {
      guint leaf = pick_weighted (d, leaf_weights, d->leaves->len);
      guint kind = pick_weighted (d, kinds, G_N_ELEMENTS (kinds));
      gint64 received = d->until - (gint64) (uniform (d) * (HOUR_US - 1));
      gboolean ok = kind == 0 ? linkage_incident (d, leaf, received, NULL, pick_category (d, d->linkage_categories), error) >= 0
                  : kind == 1 ? diverted_incident (d, leaf, received, error)
                  : police_incident (d, leaf, received, error);
      if (!ok)
        return FALSE;
    }
  if (d->newest_linkage < d->until - PRESENT_LINKAGE_US)
    {
      guint leaf = pick_weighted (d, leaf_weights, d->leaves->len);
      gint64 received = d->until - 2 * MIN_US - (gint64) (uniform (d) * (PRESENT_LINKAGE_US - 2 * MIN_US));

      if (linkage_incident (d, leaf, received, NULL, pick_category (d, d->linkage_categories), error) < 0)
        return FALSE;
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
  sqlite3_stmt *s;

  for (guint k = 0; k < DRILLS_PER_MONTH; k++)
    {
      guint leaf = g_rand_int_range (d->rand, 0, d->leaves->len);
      const LdDemoRegion *region = g_ptr_array_index (d->leaves, leaf);
      g_autofree char *address = random_address (d, region->code);
      g_autofree char *drill_id = NULL;
      g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
      LdDrill drill = { 0, };
      char id[37];

      drill.held_at = period.start + (gint64) ((3 + 5 * k + g_rand_int_range (d->rand, 0, 8)) * 24 + 9 + g_rand_int_range (d->rand, 0, 7)) * HOUR_US;
      random_id (d, drill.held_at, id);
      drill.id = id;
      if (drill.held_at > d->until)
        continue;
      drill.region_code = (char *) region->code;
      drill.location = address;
      drill.scenario = (char *) scenarios[g_rand_int_range (d->rand, 0, G_N_ELEMENTS (scenarios))];
      random_point (d, leaf, &drill.lat, &drill.lon);
      if ((drill_id = ld_store_add_drill (d->store, &drill, NULL, error)) == NULL)
        return FALSE;
      d->counts->drills++;

      /* Written as they stand, without the audit event a desk's log makes:
       * that one would carry the time the demo was run. */
      for (guint i = 0; i < ld_demo_n_units; i++)
        {
          const LdDemoUnit *candidate = &ld_demo_units[i];
          const LdDemoUnit *u;
          gint64 arrived = LD_TIME_NONE;

          if (candidate->tier != 1 && !g_str_equal (candidate->category, "government"))
            continue;
          u = unit_for (d, region->code, candidate->category);
          if (u == NULL || g_hash_table_contains (seen, u))
            continue;
          g_hash_table_add (seen, (gpointer) u);
          /* Most arrive within their 20 min, a few late, one in fifty not at all. */
          if (!chance (d, 0.02))
            arrived = drill.held_at + lognormal_us (d, 13 * 60, 0.35);
          if ((s = ld_store_prepare (d->store,
                 "INSERT INTO drill_unit (drill_id, unit_code, alarm_at, arrived_at, limit_s) VALUES (?, ?, ?, ?, 1200)",
                 error)) == NULL)
            return FALSE;
          sqlite3_bind_text (s, 1, drill_id, -1, SQLITE_STATIC);
          sqlite3_bind_text (s, 2, u->code, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (s, 3, drill.held_at);
          ld_bind_time (s, 4, arrived <= d->until ? arrived : LD_TIME_NONE);
          if (!ld_store_step_done (d->store, s, error))
            return FALSE;
        }
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
  for (gint64 day = period.start; day < period.end; day += DAY_US)
    for (guint i = 0; i < ld_demo_n_units; i++)
      {
        const LdDemoUnit *u = &ld_demo_units[i];
        gboolean answered = chance (d, 0.995);
        gint64 at = day + 9 * HOUR_US + i * 40 * LD_USEC_PER_S;
        char id[37];

        if (g_strcmp0 (u->region_code, "330401") != 0 || at > d->until)
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
  /* The roll call goes on at nine every morning, as the history has it,
   * when the city is served live. */
  return ld_store_set_setting (d->store, "center_name", "嘉兴市社会应急联动指挥中心", error) &&
         ld_store_set_setting (d->store, "roll_call_times", "09:00", error);
}


gboolean
ld_demo_generate (LdStore *store, const LdDemoOptions *options, LdDemoCounts *counts, GError **error)
{
  Demo d = { 0, };
  LdDemoCounts local_counts = { 0, };
  gint64 first_incident_rowid;
  int year, month, day, hour, minute, second;
  guint n_marked;
  gboolean ok = FALSE;

  d.store = store;
  d.options = options;
  d.until = options->until;
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

  /* The whole months, then the one the moment falls in, up to it. */
  ld_time_to_local (d.until, d.tz, &year, &month, &day, &hour, &minute, &second);
  for (guint i = 0; i <= options->months; i++)
    {
      int y = year, m = month - (int) (options->months - i);
      while (m < 1)
        m += 12, y--;
      if (!generate_month (&d, i, y, m, error) ||
          !generate_drills (&d, y, m, error) ||
          !generate_roll_calls (&d, y, m, error))
        goto rollback;
    }
  if (!present_calls (&d, error) ||
      !ld_store_queue_phones_since (store, first_incident_rowid, error) ||
      !ld_store_relink_repeats (store, error) ||
      !ld_store_mark_overdue (store, d.until, &n_marked, error) ||
      !ld_store_commit (store, error))
    goto rollback;
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
