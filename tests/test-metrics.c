/* test-metrics.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The seeds' own tables are the test cases: from the counts a bulletin
 * prints, our code must print the same rates.
 */

#include "config.h"

#include <math.h>
#include <stdio.h>

#include "ld-metrics.h"
#include "ld-report.h"
#include "ld-test-city.h"

static const LdActor actor = { "seed", NULL };

static LdStore *
seed_city (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdStore) store = ld_store_open (":memory:", &error);
  LdRegion city = { "330400", "嘉兴市", NULL };

  g_assert_no_error (error);
  g_assert_true (ld_store_put_region (store, &city, NULL, &error));
  return g_steal_pointer (&store);
}

static void
put_unit (LdStore *store, const char *code, const char *name, const char *region)
{
  g_autoptr(GError) error = NULL;
  LdUnit u = { (char *) code, (char *) name, 2, "department", (char *) region, NULL, NAN, NAN, FALSE, { 0, } };
  g_assert_true (ld_store_put_unit (store, &u, &error));
  g_assert_no_error (error);
}

/* One order on a fresh incident from its own caller; returns the order. */
static char *
order_on_new_incident (LdStore *store, const char *unit, gint64 at, const char *phone)
{
  g_autoptr(GError) error = NULL;
  LdIncident inc = { 0, };
  g_autofree char *incident = NULL;
  char *order;

  inc.received_at = at;
  inc.source = "110";
  inc.kind = "linkage";
  inc.caller_phone = (char *) phone;
  inc.region_code = "330400";
  inc.lat = inc.lon = NAN;
  incident = ld_store_add_incident (store, &inc, &actor, &error);
  g_assert_no_error (error);
  order = ld_store_dispatch (store, NULL, incident, unit, at + 60 * LD_USEC_PER_S, &actor, &error);
  g_assert_no_error (error);
  return order;
}

/* Seed 000, (四): 市本级主要联动单位重复报警率. */
static const struct {
  const char *name;
  guint       dispatched;
  guint       repeats;
  const char *rate;
} table_4[] = {
  { "市烟草局", 19, 4, "21.05%" },
  { "综合执法", 432, 81, "18.75%" },
  { "农业农村", 39, 7, "17.95%" },
  { "秀洲区政府", 418, 50, "11.96%" },
  { "交通运输", 37, 4, "10.81%" },
  { "开发区管委会", 147, 13, "8.84%" },
  { "南湖区政府", 401, 32, "7.98%" },
  { "市场监管", 51, 4, "7.84%" },
  { "市卫健委", 3581, 271, "7.57%" },
  { "应急管理", 118, 8, "6.78%" },
  { "自然资源", 30, 2, "6.67%" },
};

static void
test_seed_000_repeat_rates (void)
{
  g_autoptr(LdStore) store = seed_city ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) units = NULL;
  g_autoptr(LdReport) report = NULL;
  g_autoptr(GPtrArray) top = NULL;
  GTimeZone *tz = ld_store_get_time_zone (store);
  LdPeriod november = ld_period_month (tz, 2023, 11);
  gint64 t = november.start + 3600 * LD_USEC_PER_S;
  guint phone = 0;

  for (guint u = 0; u < G_N_ELEMENTS (table_4); u++)
    {
      g_autofree char *code = g_strdup_printf ("U%02u", u);
      put_unit (store, code, table_4[u].name, "330400");
      for (guint i = 0; i < table_4[u].dispatched; i++)
        {
          g_autofree char *number = g_strdup_printf ("138%08u", phone++);
          g_autofree char *order = order_on_new_incident (store, code, t, number);

          g_assert_nonnull (order);

          /* The caller rings again an hour later: a repeat call. */
          if (i < table_4[u].repeats)
            {
              LdIncident again = { 0, };
              g_autofree char *id = NULL;
              again.received_at = t + 3600 * LD_USEC_PER_S;
              again.source = "110";
              again.kind = "police";
              again.caller_phone = number;
              again.lat = again.lon = NAN;
              id = ld_store_add_incident (store, &again, &actor, &error);
              g_assert_no_error (error);
            }
          t += 30 * LD_USEC_PER_S;
        }
    }

  g_assert_true (ld_metrics_compute (store, &november, november.end, &units, NULL, &error));
  g_assert_no_error (error);
  for (guint u = 0; u < G_N_ELEMENTS (table_4); u++)
    {
      g_autofree char *code = g_strdup_printf ("U%02u", u);
      LdOrderCounts *c = g_hash_table_lookup (units, code);
      g_autofree char *rate = ld_format_rate (ld_order_counts_rate (c, "repeat_rate"));

      g_assert_cmpuint (c->dispatched, ==, table_4[u].dispatched);
      g_assert_cmpuint (c->repeat_calls, ==, table_4[u].repeats);
      g_assert_cmpstr (rate, ==, table_4[u].rate);
    }

  /* "重复报警率前三位为:市烟草局21.05%、综合执法18.75%、农业农村17.95%" */
  report = ld_report_new (store, &november, NULL, november.end, &error);
  g_assert_no_error (error);
  top = ld_report_rank_units (report, "repeat_rate", TRUE, 3);
  g_assert_cmpuint (top->len, ==, 3);
  g_assert_cmpstr (((LdReportUnit *) g_ptr_array_index (top, 0))->name, ==, "市烟草局");
  g_assert_cmpstr (((LdReportUnit *) g_ptr_array_index (top, 1))->name, ==, "综合执法");
  g_assert_cmpstr (((LdReportUnit *) g_ptr_array_index (top, 2))->name, ==, "农业农村");
}

/* Seed 000, (五): 签收率与反馈率, with the signed and fed-back counts that
 * give the printed rates. */
static const struct {
  const char *name;
  guint       dispatched;
  guint       signed_;
  guint       fed_back;
  const char *sign_rate;
  const char *feedback_rate;
} table_5[] = {
  { "南湖区联动指挥中心", 401, 401, 326, "100.00%", "81.30%" },
  { "秀洲区联动指挥中心", 418, 418, 417, "100.00%", "99.76%" },
  { "经开区联动指挥中心", 147, 147, 123, "100.00%", "83.67%" },
  { "嘉兴市住房和城乡建设局", 39, 30, 29, "76.92%", "74.36%" },
  { "嘉兴市生态环境局", 2, 2, 2, "100.00%", "100.00%" },
  { "嘉兴市交通运输局", 37, 37, 37, "100.00%", "100.00%" },
  { "嘉兴市综合执法局", 432, 432, 432, "100.00%", "100.00%" },
  { "嘉兴市市场监督管理局", 28, 25, 25, "89.29%", "89.29%" },
  { "嘉兴市农业农村局", 39, 39, 39, "100.00%", "100.00%" },
  { "嘉兴华数电视", 29, 29, 29, "100.00%", "100.00%" },
  { "嘉兴嘉城集团", 21, 17, 17, "80.95%", "80.95%" },
  { "嘉兴嘉源集团", 12, 12, 12, "100.00%", "100.00%" },
  { "嘉兴市电力局", 70, 70, 70, "100.00%", "100.00%" },
  { "电信嘉兴分公司", 31, 31, 28, "100.00%", "90.32%" },
  { "嘉兴市人力资源和社会保障局", 93, 93, 92, "100.00%", "98.92%" },
  { "嘉兴市自然资源和规划局", 30, 29, 29, "96.67%", "96.67%" },
  { "嘉兴市应急管理局", 118, 118, 118, "100.00%", "100.00%" },
  { "嘉兴嘉通集团", 3, 0, 0, "0.00%", "0.00%" },
  { "嘉兴市烟草局", 19, 19, 17, "100.00%", "89.47%" },
  { "移动嘉兴分公司", 31, 31, 29, "100.00%", "93.55%" },
  { "联通嘉兴分公司", 28, 28, 28, "100.00%", "100.00%" },
  { "嘉兴市商务局", 5, 5, 4, "100.00%", "80.00%" },
};

static const char *
unit_name (GPtrArray *units, guint i)
{
  return ((LdReportUnit *) g_ptr_array_index (units, i))->name;
}

static void
test_seed_000_sign_feedback (void)
{
  g_autoptr(LdStore) store = seed_city ();
  g_autoptr(GError) error = NULL;
  g_autoptr(LdReport) report = NULL;
  g_autoptr(GPtrArray) sign_bottom = NULL, feedback_bottom = NULL;
  GTimeZone *tz = ld_store_get_time_zone (store);
  LdPeriod november = ld_period_month (tz, 2023, 11);
  gint64 t = november.start + 3600 * LD_USEC_PER_S;

  for (guint u = 0; u < G_N_ELEMENTS (table_5); u++)
    {
      g_autofree char *code = g_strdup_printf ("S%02u", u);
      put_unit (store, code, table_5[u].name, "330400");
      for (guint i = 0; i < table_5[u].dispatched; i++)
        {
          g_autofree char *order = order_on_new_incident (store, code, t, NULL);
          g_autofree char *fb = NULL;

          if (i < table_5[u].signed_)
            g_assert_true (ld_store_sign_order (store, order, t + 120 * LD_USEC_PER_S, &actor, &error));
          if (i < table_5[u].fed_back)
            fb = ld_store_add_feedback (store, NULL, order, t + 600 * LD_USEC_PER_S, "arrival", NULL, &actor, &error);
          g_assert_no_error (error);
          t += 20 * LD_USEC_PER_S;
        }
    }

  report = ld_report_new (store, &november, NULL, november.end, &error);
  g_assert_no_error (error);
  for (guint u = 0; u < G_N_ELEMENTS (table_5); u++)
    {
      g_autofree char *code = g_strdup_printf ("S%02u", u);
      LdReportUnit *unit = ld_report_lookup_unit (report, code);
      g_autofree char *sign = ld_format_rate (ld_order_counts_rate (&unit->now, "sign_rate"));
      g_autofree char *feedback = ld_format_rate (ld_order_counts_rate (&unit->now, "feedback_rate"));

      g_assert_cmpuint (unit->now.dispatched, ==, table_5[u].dispatched);
      g_assert_cmpstr (sign, ==, table_5[u].sign_rate);
      g_assert_cmpstr (feedback, ==, table_5[u].feedback_rate);
    }

  /* "签收率后三位为:嘉通集团0.00%、市住房和城乡建设局76.92%、嘉城集团80.95%;
   *  反馈率后三位为:嘉通集团0.00%、市住房和城乡建设局74.36%、市商务局80.00%" */
  sign_bottom = ld_report_rank_units (report, "sign_rate", FALSE, 3);
  g_assert_cmpstr (unit_name (sign_bottom, 0), ==, "嘉兴嘉通集团");
  g_assert_cmpstr (unit_name (sign_bottom, 1), ==, "嘉兴市住房和城乡建设局");
  g_assert_cmpstr (unit_name (sign_bottom, 2), ==, "嘉兴嘉城集团");
  feedback_bottom = ld_report_rank_units (report, "feedback_rate", FALSE, 3);
  g_assert_cmpstr (unit_name (feedback_bottom, 0), ==, "嘉兴嘉通集团");
  g_assert_cmpstr (unit_name (feedback_bottom, 1), ==, "嘉兴市住房和城乡建设局");
  g_assert_cmpstr (unit_name (feedback_bottom, 2), ==, "嘉兴市商务局");
}

/* Seed 000, (一) and (六): YoY and MoM as "+14.06%" from the counts. The
 * bulletin prints only this year's counts, so the bases here are the ones
 * its percentages imply. */
static void
test_seed_000_changes (void)
{
  static const struct {
    guint       now;
    guint       base;
    const char *printed;
  } changes[] = {
    { 29085, 25500, "+14.06%" },   /* 全市 联动报警, 同比 */
    { 4463, 2957, "+50.93%" },     /* 海宁 */
    { 1752, 1904, "-7.98%" },      /* 海盐 */
    { 258, 476, "-45.80%" },       /* 港区 */
    { 19666, 19213, "+2.36%" },    /* 分流 总数, 环比 */
    { 39, 2, "+1850.00%" },        /* 96345 海盐, 同比 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    {
      g_autofree char *text = ld_format_change (ld_change (changes[i].now, changes[i].base));
      g_assert_cmpstr (text, ==, changes[i].printed);
    }
  /* "移车成功率为73.38%"; "占全市110处置警情19.26%" */
  g_autofree char *moved = ld_format_rate (ld_rate (206094, 280846));
  g_assert_cmpstr (moved, ==, "73.38%");
  g_autofree char *none = ld_format_change (ld_change (5, 0));
  g_assert_cmpstr (none, ==, "—");
  g_autofree char *zero = ld_format_change (ld_change (5, 5));
  g_assert_cmpstr (zero, ==, "0.00%");
}

/* Seed 001: the 8 月 25 日 drills. "-" means the department took no part. */
static const char *drill_units[] = {
  "公安", "应急管理", "生态环境", "交通运输", "市场监管", "人力社保", "卫健委", "综合执法", "供电", "街道（政府）",
};

static const struct {
  const char *region;
  const char *times[10];
  guint       late;
} table_001[] = {
  { "瓯海区", { "3分", "18分25秒", "27分30秒", "14分10秒", "18分15秒", "11分50秒", "-", "-", "22分20秒", "13分30秒" }, 2 },
  { "永嘉县", { "5分10秒", "14分40秒", "10分15秒", "21分30秒", "9分", "13分50秒", "14分50秒", "9分20秒", "13分30秒", "17分35秒" }, 1 },
};

static gint64
parse_seed_duration (const char *text)
{
  int minutes = 0, seconds = 0;
  g_assert_true (sscanf (text, "%d分%d秒", &minutes, &seconds) >= 1);
  return minutes * 60 + seconds;
}

static void
test_seed_001_drills (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdStore) store = ld_store_open (":memory:", &error);
  g_autoptr(LdReport) report = NULL;
  LdRegion city = { "330300", "温州市", NULL };
  LdPeriod august;
  GPtrArray *drills;

  g_assert_no_error (error);
  august = ld_period_month (ld_store_get_time_zone (store), 2020, 8);
  g_assert_true (ld_store_put_region (store, &city, NULL, &error));
  for (guint r = 0; r < G_N_ELEMENTS (table_001); r++)
    {
      g_autofree char *region_code = g_strdup_printf ("R%u", r);
      LdRegion region = { region_code, (char *) table_001[r].region, "330300" };
      LdDrill drill = { 0, };
      g_autofree char *drill_id = NULL;

      g_assert_true (ld_store_put_region (store, &region, NULL, &error));
      drill.held_at = ld_test_time (store, "2020-08-25 09:30:00");
      drill.region_code = region_code;
      drill.lat = drill.lon = NAN;
      drill_id = ld_store_add_drill (store, &drill, &actor, &error);
      g_assert_no_error (error);

      for (guint u = 0; u < G_N_ELEMENTS (drill_units); u++)
        {
          g_autofree char *code = g_strdup_printf ("R%u-%u", r, u);
          LdDrillUnit du = { 0, };

          put_unit (store, code, drill_units[u], region_code);
          if (g_str_equal (table_001[r].times[u], "-"))
            continue;
          du.drill_id = drill_id;
          du.unit_code = code;
          du.alarm_at = drill.held_at;
          du.arrived_at = drill.held_at + parse_seed_duration (table_001[r].times[u]) * LD_USEC_PER_S;
          g_assert_true (ld_store_put_drill_unit (store, &du, &actor, &error));
        }
    }

  report = ld_report_new (store, &august, NULL, august.end, &error);
  g_assert_no_error (error);
  drills = ld_report_get_drills (report);
  g_assert_cmpuint (drills->len, ==, 2);
  for (guint r = 0; r < G_N_ELEMENTS (table_001); r++)
    {
      g_autofree char *region_code = g_strdup_printf ("R%u", r);
      LdDrillResult *d = NULL;
      guint printed = 0;

      for (guint i = 0; i < drills->len && d == NULL; i++)
        if (g_str_equal (((LdDrillResult *) g_ptr_array_index (drills, i))->region_code, region_code))
          d = g_ptr_array_index (drills, i);
      g_assert_nonnull (d);
      g_assert_cmpstr (d->region_name, ==, table_001[r].region);
      g_assert_cmpuint (d->late, ==, table_001[r].late);
      /* Each logged arrival comes back as the seed printed it. */
      for (guint i = 0; i < d->units->len; i++)
        {
          LdDrillResultUnit *du = g_ptr_array_index (d->units, i);
          guint u = (guint) g_ascii_strtoull (strchr (du->code, '-') + 1, NULL, 10);

          g_assert_cmpint (du->arrival_s, ==, parse_seed_duration (table_001[r].times[u]));
          g_assert_cmpint (du->late, ==, du->arrival_s > 20 * 60);
          printed++;
        }
      g_assert_cmpuint (printed, ==, r == 0 ? 8 : 10);
    }
}

static void
test_rate_rounding (void)
{
  static const struct {
    guint       part, whole;
    const char *text;
  } cases[] = {
    { 1, 8, "12.50%" },       /* exact */
    { 1, 3, "33.33%" },
    { 2, 3, "66.67%" },
    { 2469, 20000, "12.35%" }, /* 12.345 %: half away from zero */
    { 0, 7, "0.00%" },
    { 7, 7, "100.00%" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ld_format_rate (ld_rate (cases[i].part, cases[i].whole));
      g_assert_cmpstr (text, ==, cases[i].text);
    }
  g_autofree char *none = ld_format_rate (ld_rate (3, 0));
  g_assert_cmpstr (none, ==, "—");
}

/* A region carries the sum over its children (the seeds' 全市 column); YoY
 * and MoM compare with the same month a year before and the month before. */
/* Incidents in two districts A and B of city C across three months, two
 * with orders, one placed nowhere. */
static LdStore *
rollup_city (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autoptr(GError) error = NULL;
  static const struct {
    const char *at, *region, *kind, *platform, *source;
  } incidents[] = {
    { "2023-11-02 10:00:00", "A", "linkage", NULL, "110" },
    { "2023-11-03 10:00:00", "A", "linkage", NULL, "12345" },
    { "2023-11-04 10:00:00", "B", "linkage", NULL, "110" },
    { "2023-11-05 10:00:00", "B", "diverted", "114", "110" },
    { "2023-11-06 10:00:00", "B", "police", NULL, "110" },
    { "2022-11-06 10:00:00", "A", "linkage", NULL, "110" },
    { "2023-10-06 10:00:00", "B", "linkage", NULL, "110" },
    { "2023-10-07 10:00:00", "B", "diverted", "114", "110" },
    { "2023-10-08 10:00:00", "B", "diverted", "114", "110" },
    { "2023-11-20 10:00:00", NULL, "linkage", NULL, "110" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (incidents); i++)
    {
      LdIncident inc = { 0, };
      g_autofree char *id = NULL;
      inc.received_at = ld_test_time (store, incidents[i].at);
      inc.region_code = (char *) incidents[i].region;
      inc.kind = (char *) incidents[i].kind;
      inc.diverted_to = (char *) incidents[i].platform;
      inc.source = (char *) incidents[i].source;
      inc.lat = inc.lon = NAN;
      id = ld_store_add_incident (store, &inc, &actor, &error);
      g_assert_no_error (error);
      /* The first is handled by a unit, the third by the police alone. */
      if (i == 0 || i == 2)
        {
          g_autofree char *order = ld_store_dispatch (store, NULL, id, i == 0 ? "MKT" : "POL",
                                                      inc.received_at + LD_USEC_PER_S, &actor, &error);
          g_assert_no_error (error);
          g_assert_nonnull (order);
        }
    }
  return g_steal_pointer (&store);
}

static void
test_region_rollup (void)
{
  g_autoptr(LdStore) store = rollup_city ();
  g_autoptr(GError) error = NULL;
  g_autoptr(LdReport) report = NULL;
  GTimeZone *tz = ld_store_get_time_zone (store);
  LdPeriod november = ld_period_month (tz, 2023, 11);
  LdReportRegion *c, *a, *b;

  report = ld_report_new (store, &november, NULL, november.end, &error);
  g_assert_no_error (error);
  c = ld_report_get_scope (report);
  a = ld_report_lookup_region (report, "A");
  b = ld_report_lookup_region (report, "B");
  g_assert_cmpstr (c->code, ==, "C");
  /* The incident placed nowhere counts for the city, in no district. */
  g_assert_cmpuint (c->now.incidents, ==, 6);
  g_assert_cmpuint (c->now.linkage_alarms, ==, 3);
  g_assert_cmpuint (c->now.handled, ==, 4);
  g_assert_cmpuint (c->now.handled_by_units, ==, 1);
  g_assert_cmpuint (c->now.diverted, ==, 1);
  g_assert_cmpuint (c->now.diversions[1], ==, 1);  /* 114 */
  g_assert_cmpuint (c->now.orders.dispatched, ==, 2);
  g_assert_cmpuint (a->now.handled + b->now.handled, ==, c->now.handled - 1);
  g_assert_cmpuint (a->yoy.linkage_alarms, ==, 1);
  g_assert_cmpuint (b->mom.diverted, ==, 2);
  g_assert_cmpuint (c->mom.linkage_alarms, ==, 1);
  /* MoM of diversions: 1 against 2 → −50 % */
  g_autofree char *mom = ld_format_change (ld_change (c->now.diverted, c->mom.diverted));
  g_assert_cmpstr (mom, ==, "-50.00%");
}

/* A trend's points are the figures ld_metrics_compute gives for each of
 * its periods, field for field, for the whole city and for a district. */
static void
test_series_matches_compute (void)
{
  g_autoptr(LdStore) store = rollup_city ();
  GTimeZone *tz = ld_store_get_time_zone (store);
  /* Sorted, with a gap between the first and the second. */
  LdPeriod periods[] = {
    ld_period_month (tz, 2022, 11), ld_period_month (tz, 2023, 10), ld_period_month (tz, 2023, 11),
  };
  const char *scopes[] = { "C", "B", NULL };
  gint64 now = periods[2].end;

  for (guint s = 0; s < G_N_ELEMENTS (scopes); s++)
    {
      LdRegionCounts series[G_N_ELEMENTS (periods)];
      g_autoptr(GError) error = NULL;

      g_assert_true (ld_metrics_compute_series (store, periods, G_N_ELEMENTS (periods), scopes[s], now,
                                                TRUE, series, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < G_N_ELEMENTS (periods); i++)
        {
          g_autoptr(GHashTable) regions = NULL;
          LdRegionCounts *expected;

          g_assert_true (ld_metrics_compute (store, &periods[i], now, NULL, &regions, &error));
          expected = g_hash_table_lookup (regions, scopes[s] ? scopes[s] : "C");
          g_assert_cmpmem (&series[i], sizeof series[i], expected, sizeof *expected);
        }
    }
  {
    LdRegionCounts november;
    g_autoptr(GError) error = NULL;
    g_assert_true (ld_metrics_compute_series (store, &periods[2], 1, "B", now, TRUE, &november, &error));
    g_assert_cmpuint (november.incidents, ==, 3);
    g_assert_cmpuint (november.diversions[1], ==, 1);
    g_assert_cmpuint (november.orders.dispatched, ==, 1);
    /* Incidents alone: the same incident figures, no orders. */
    g_assert_true (ld_metrics_compute_series (store, &periods[2], 1, "B", now, FALSE, &november, &error));
    g_assert_cmpuint (november.incidents, ==, 3);
    g_assert_cmpuint (november.diversions[1], ==, 1);
    g_assert_cmpuint (november.orders.dispatched, ==, 0);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/metrics/seed-000/repeat-rates", test_seed_000_repeat_rates);
  g_test_add_func ("/metrics/seed-000/sign-and-feedback", test_seed_000_sign_feedback);
  g_test_add_func ("/metrics/seed-000/yoy-and-mom", test_seed_000_changes);
  g_test_add_func ("/metrics/seed-001/drill-lateness", test_seed_001_drills);
  g_test_add_func ("/metrics/format/rounding", test_rate_rounding);
  g_test_add_func ("/metrics/regions/rollup-yoy-mom", test_region_rollup);
  g_test_add_func ("/metrics/series/matches-compute", test_series_matches_compute);

  return g_test_run ();
}
