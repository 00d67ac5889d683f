/* test-demo-city.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "ld-demo-city.h"
#include "ld-demo.h"
#include "ld-geo.h"
#include "ld-report.h"
#include "ld-store-private.h"

/* The unit categories of the design; the demo must not invent others. */
static const char * const unit_categories[] = {
  "police", "fire", "medical", "government", "district_center", "urban_management", "market",
  "health", "transport", "emergency", "natural_resources", "agriculture", "housing",
  "environment", "hrss", "tobacco", "commerce", "power", "water", "telecom", "cable_tv",
  "transit", "city_invest", NULL
};

/* A row of the tables breaks a rule: say which and go on, so that one run
 * lists every bad row. */
#define expect(cond, row) \
  G_STMT_START { \
    if (!(cond)) \
      g_test_fail_printf ("%s: %s", (row), #cond); \
  } G_STMT_END

static const LdDemoRegion *
region_by_code (const char *code)
{
  for (guint i = 0; i < ld_demo_n_regions; i++)
    if (g_strcmp0 (ld_demo_regions[i].code, code) == 0)
      return &ld_demo_regions[i];
  return NULL;
}

static gboolean
is_leaf (const LdDemoRegion *r)
{
  for (guint i = 0; i < ld_demo_n_regions; i++)
    if (g_strcmp0 (ld_demo_regions[i].parent_code, r->code) == 0)
      return FALSE;
  return TRUE;
}

/* Whether @r is @ancestor or lies below it. */
static gboolean
is_within (const LdDemoRegion *r, const char *ancestor)
{
  for (; r; r = r->parent_code ? region_by_code (r->parent_code) : NULL)
    if (g_str_equal (r->code, ancestor))
      return TRUE;
  return FALSE;
}

/* The leaves' boundaries, by code. */
static GHashTable *
load_leaves (void)
{
  GHashTable *leaves = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                              (GDestroyNotify) ld_boundary_unref);

  for (guint i = 0; i < ld_demo_n_regions; i++)
    {
      const LdDemoRegion *r = &ld_demo_regions[i];
      g_autoptr(GError) error = NULL;
      LdBoundary *b;

      if (r->boundary == NULL)
        continue;
      b = ld_boundary_new_from_geojson (r->boundary, LD_DATUM_WGS84, &error);
      g_assert_no_error (error);
      g_assert_nonnull (b);
      g_hash_table_insert (leaves, (gpointer) r->code, b);
    }
  return leaves;
}

/* The codes of the leaves containing the point. */
static GPtrArray *
leaves_at (GHashTable *leaves, double lat, double lon)
{
  GPtrArray *found = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer code, b;

  g_hash_table_iter_init (&iter, leaves);
  while (g_hash_table_iter_next (&iter, &code, &b))
    if (ld_boundary_contains (b, lat, lon))
      g_ptr_array_add (found, code);
  return found;
}

static void
test_regions_tree (void)
{
  guint n_roots = 0, n_leaves = 0;
  double city_proper = 0;

  for (guint i = 0; i < ld_demo_n_regions; i++)
    {
      const LdDemoRegion *r = &ld_demo_regions[i];

      g_assert_nonnull (r->code);
      g_assert_nonnull (r->name);
      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (ld_demo_regions[j].code, !=, r->code);
      if (r->parent_code == NULL)
        n_roots++;
      else
        {
          /* Parents come first: a store with foreign keys takes them in order. */
          gboolean seen = FALSE;
          for (guint j = 0; j < i; j++)
            seen |= g_str_equal (ld_demo_regions[j].code, r->parent_code);
          g_assert_true (seen);
        }

      /* Leaves have an outline and a share; parents are their children's union. */
      if (is_leaf (r))
        {
          n_leaves++;
          g_assert_nonnull (r->boundary);
          g_assert_cmpfloat (r->weight, >, 0);
          if (is_within (r, "330401"))
            city_proper += r->weight;
        }
      else
        {
          g_assert_null (r->boundary);
          g_assert_cmpfloat (r->weight, ==, 0);
        }
      g_assert_cmpfloat (r->yoy_growth, >, -1.0);
    }
  g_assert_cmpuint (n_roots, ==, 1);
  g_assert_cmpstr (ld_demo_regions[0].code, ==, "330400");
  g_assert_cmpuint (n_leaves, ==, 9);
  /* Seed 000 (二): 市本级 handled 12905 in the month. */
  g_assert_cmpfloat_with_epsilon (city_proper, 12905, 1);
}

static void
test_regions_boundaries_parse (void)
{
  g_autoptr(GHashTable) leaves = load_leaves ();
  GHashTableIter iter;
  gpointer code, b;

  g_assert_cmpuint (g_hash_table_size (leaves), ==, 9);
  g_hash_table_iter_init (&iter, leaves);
  while (g_hash_table_iter_next (&iter, &code, &b))
    {
      double min_lat, min_lon, max_lat, max_lon;
      guint n_points;

      g_assert_cmpuint (ld_boundary_get_n_polygons (b), ==, 1);
      g_assert_cmpuint (ld_boundary_get_n_rings (b, 0), ==, 1);
      g_assert_nonnull (ld_boundary_get_ring (b, 0, 0, &n_points));
      g_assert_cmpuint (n_points, >=, 8);
      g_assert_cmpuint (n_points, <=, 25);
      g_assert_cmpfloat (ld_boundary_get_area (b), >, 0);

      /* Inside Jiaxing, about lat 30.35–31.03, lon 120.30–121.27. */
      ld_boundary_get_bbox (b, &min_lat, &min_lon, &max_lat, &max_lon);
      g_assert_cmpfloat (min_lat, >=, 30.34);
      g_assert_cmpfloat (max_lat, <=, 31.04);
      g_assert_cmpfloat (min_lon, >=, 120.29);
      g_assert_cmpfloat (max_lon, <=, 121.28);
    }
}

/* Each region's point is inside its own outline (a parent's inside one of
 * its leaves) and in no other leaf. */
static void
test_regions_points_inside (void)
{
  g_autoptr(GHashTable) leaves = load_leaves ();

  for (guint i = 0; i < ld_demo_n_regions; i++)
    {
      const LdDemoRegion *r = &ld_demo_regions[i];
      g_autoptr(GPtrArray) found = leaves_at (leaves, r->lat, r->lon);

      expect (found->len == 1, r->code);
      if (found->len == 1)
        expect (is_within (region_by_code (g_ptr_array_index (found, 0)), r->code), r->code);
    }
}

/* The leaves tile the city: a grid over its bounding box never finds a
 * point in two of them, and finds most of the box covered. */
static void
test_regions_no_overlap (void)
{
  g_autoptr(GHashTable) leaves = load_leaves ();
  const double min_lat = 30.34, max_lat = 31.04, min_lon = 120.29, max_lon = 121.28;
  const guint n = 45;
  guint covered = 0;

  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      {
        /* Off the round numbers the vertices are drawn on. */
        double lat = min_lat + (i + 0.377) * (max_lat - min_lat) / n;
        double lon = min_lon + (j + 0.613) * (max_lon - min_lon) / n;
        g_autoptr(GPtrArray) found = leaves_at (leaves, lat, lon);

        if (found->len > 1)
          g_test_fail_printf ("(%f, %f) is in %s and %s", lat, lon,
                              (char *) g_ptr_array_index (found, 0),
                              (char *) g_ptr_array_index (found, 1));
        covered += found->len;
      }
  g_assert_cmpuint (covered, >, n * n / 2);
}

static void
test_units_regions (void)
{
  g_autoptr(GHashTable) leaves = load_leaves ();

  for (guint i = 0; i < ld_demo_n_units; i++)
    {
      const LdDemoUnit *u = &ld_demo_units[i];
      const LdDemoRegion *r = region_by_code (u->region_code);
      g_autoptr(GPtrArray) found = leaves_at (leaves, u->lat, u->lon);

      expect (r != NULL, u->code);
      /* A city department sits in a leaf of 市本级. */
      expect (found->len == 1, u->code);
      if (r && found->len == 1)
        expect (is_within (region_by_code (g_ptr_array_index (found, 0)), r->code), u->code);
    }
}

static void
test_units_fields (void)
{
  g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean city_police = FALSE;

  for (guint i = 0; i < ld_demo_n_units; i++)
    {
      const LdDemoUnit *u = &ld_demo_units[i];

      gboolean ascii = TRUE;

      expect (g_hash_table_add (codes, (gpointer) u->code), u->code);
      for (const char *p = u->code; *p; p++)
        ascii &= g_ascii_isupper (*p) || g_ascii_isdigit (*p) || *p == '-';
      expect (ascii, u->code);
      expect (u->name != NULL && *u->name, u->code);
      expect (u->tier >= 1 && u->tier <= 3, u->code);
      expect (g_strv_contains (unit_categories, u->category), u->code);
      /* A made-up Jiaxing landline, never a mobile number. */
      expect (g_str_has_prefix (u->phone, "0573-") && strlen (u->phone) == 13, u->code);
      expect (u->weight > 0, u->code);
      expect (u->sign_rate >= 0 && u->sign_rate <= 1, u->code);
      expect (u->feedback_rate >= 0 && u->feedback_rate <= u->sign_rate, u->code);
      expect (u->repeat_rate >= 0 && u->repeat_rate < 0.5, u->code);
      if (g_str_equal (u->category, "police") && g_str_equal (u->region_code, "330401"))
        city_police = TRUE;
    }
  g_assert_true (city_police);
  g_assert_cmpuint (ld_demo_n_units, >=, 45);
}

/* Seed 000's (四) and (五) are reproduced as the units' habits. */
static void
test_units_seed (void)
{
  static const struct {
    const char *name;
    double      weight, sign_rate, feedback_rate;
  } fifth[] = {
    { "南湖区联动指挥中心", 401, 1.0, 0.8130 },
    { "秀洲区联动指挥中心", 418, 1.0, 0.9976 },
    { "经开区联动指挥中心", 147, 1.0, 0.8367 },
    { "嘉兴市住房和城乡建设局", 39, 0.7692, 0.7436 },
    { "嘉兴市综合执法局", 432, 1.0, 1.0 },
    { "嘉兴嘉城集团", 21, 0.8095, 0.8095 },
    { "嘉兴嘉通集团", 3, 0.0, 0.0 },
    { "嘉兴市烟草局", 19, 1.0, 0.8947 },
    { "嘉兴市商务局", 5, 1.0, 0.80 },
  };

  for (guint k = 0; k < G_N_ELEMENTS (fifth); k++)
    {
      const LdDemoUnit *u = NULL;
      for (guint i = 0; i < ld_demo_n_units && u == NULL; i++)
        if (g_str_equal (ld_demo_units[i].name, fifth[k].name))
          u = &ld_demo_units[i];
      expect (u != NULL, fifth[k].name);
      if (u == NULL)
        continue;
      expect (u->weight == fifth[k].weight, fifth[k].name);
      expect (fabs (u->sign_rate - fifth[k].sign_rate) < 1e-4, fifth[k].name);
      expect (fabs (u->feedback_rate - fifth[k].feedback_rate) < 1e-4, fifth[k].name);
    }
}

static void
test_categories_fields (void)
{
  g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (ld_demo_n_categories, >=, 64);
  for (guint i = 0; i < ld_demo_n_categories; i++)
    {
      const LdDemoCategory *c = &ld_demo_categories[i];
      gboolean ascii = TRUE;

      expect (g_hash_table_add (codes, (gpointer) c->code), c->code);
      for (const char *p = c->code; *p; p++)
        ascii &= g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-';
      expect (ascii, c->code);
      expect (c->name != NULL && *c->name, c->code);
      expect (c->weight > 0, c->code);
      expect (c->sign_limit_s >= 0 && c->arrive_limit_s >= 0, c->code);
      expect (c->feedback_limit_s >= 0 && c->result_limit_s >= 0, c->code);
    }
}

/* Every kind of unit a category names exists; an immediate matter has one
 * responsible kind, a joint one several. */
static void
test_categories_units (void)
{
  for (guint i = 0; i < ld_demo_n_categories; i++)
    {
      const LdDemoCategory *c = &ld_demo_categories[i];
      g_auto(GStrv) kinds = NULL;

      if (g_str_equal (c->mode, "divert"))
        {
          expect (c->unit_categories == NULL, c->code);
          continue;
        }
      expect (c->unit_categories != NULL, c->code);
      if (c->unit_categories == NULL)
        continue;
      kinds = g_strsplit (c->unit_categories, ",", -1);
      if (g_str_equal (c->mode, "immediate"))
        expect (g_strv_length (kinds) == 1, c->code);
      else
        expect (g_strv_length (kinds) >= 2, c->code);
      for (guint k = 0; kinds[k]; k++)
        {
          gboolean used = FALSE;

          expect (g_strv_contains (unit_categories, kinds[k]), c->code);
          for (guint u = 0; u < ld_demo_n_units && !used; u++)
            used = g_str_equal (ld_demo_units[u].category, kinds[k]);
          expect (used, c->code);
        }
    }
}

/* Diverted matters have a platform and the others none; the platforms rank
 * as seed 000 (六) has them: governance, 114, 12345, 96345. */
static void
test_categories_divert (void)
{
  static const char * const platforms[] = { "governance", "114", "12345", "96345" };
  double weight[G_N_ELEMENTS (platforms)] = { 0, };
  guint n_divert = 0;

  for (guint i = 0; i < ld_demo_n_categories; i++)
    {
      const LdDemoCategory *c = &ld_demo_categories[i];

      if (g_str_equal (c->mode, "divert"))
        {
          gboolean known = FALSE;

          for (guint p = 0; p < G_N_ELEMENTS (platforms); p++)
            if (g_strcmp0 (c->platform, platforms[p]) == 0)
              {
                weight[p] += c->weight;
                known = TRUE;
              }
          expect (known, c->code);
          n_divert++;
        }
      else
        {
          expect (g_str_equal (c->mode, "immediate") || g_str_equal (c->mode, "joint"), c->code);
          expect (c->platform == NULL, c->code);
        }
    }
  g_assert_cmpuint (n_divert, >=, 12);
  for (guint p = 0; p < G_N_ELEMENTS (platforms); p++)
    {
      g_assert_cmpfloat (weight[p], >, 0);
      if (p > 0)
        g_assert_cmpfloat (weight[p], <, weight[p - 1]);
    }
}

/* Life comes first: fire and medical emergencies are signed within a
 * minute and reached within 15; a wage dispute gets days. */
static void
test_categories_limits (void)
{
  guint seen = 0;

  for (guint i = 0; i < ld_demo_n_categories; i++)
    {
      const LdDemoCategory *c = &ld_demo_categories[i];

      if (g_str_equal (c->code, "medical-emergency") || g_str_equal (c->code, "fire"))
        {
          expect (c->sign_limit_s > 0 && c->sign_limit_s <= 60, c->code);
          expect (c->arrive_limit_s > 0 && c->arrive_limit_s <= 900, c->code);
          seen++;
        }
      if (g_str_equal (c->code, "labour-dispute"))
        {
          expect (c->result_limit_s >= 72 * 3600, c->code);
          seen++;
        }
    }
  g_assert_cmpuint (seen, ==, 3);
}

static void
test_streets (void)
{
  for (guint i = 0; i < ld_demo_n_streets; i++)
    {
      const LdDemoStreet *s = &ld_demo_streets[i];
      const LdDemoRegion *r = region_by_code (s->region_code);

      expect (r != NULL && is_leaf (r), s->region_code);
      expect (s->street != NULL && *s->street, s->region_code);
    }
  for (guint i = 0; i < ld_demo_n_regions; i++)
    {
      const LdDemoRegion *r = &ld_demo_regions[i];
      guint n = 0;

      if (!is_leaf (r))
        continue;
      for (guint j = 0; j < ld_demo_n_streets; j++)
        n += g_str_equal (ld_demo_streets[j].region_code, r->code);
      expect (n >= 6, r->code);
    }
}

/* The city as it is made, at a fixed moment: a Wednesday morning. */
#define UNTIL_TEXT "2026-03-18 10:30"
#define DAY_US (G_GINT64_CONSTANT (86400) * LD_USEC_PER_S)
/* Open longer than the longest time a matter is given (a week), the two
 * days a unit may run past it before the matter is escalated, and a day to
 * verify: 10 days. */
#define STALE "(?1 - 864000000000)"

static LdStore *
demo_city (guint months, guint32 seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdStore) store = ld_store_open (":memory:", &error);
  LdDemoOptions options;
  LdDemoCounts counts;

  g_assert_no_error (error);
  ld_demo_options_init (&options);
  g_assert_true (ld_time_parse (UNTIL_TEXT, ld_store_get_time_zone (store), &options.until, &error));
  options.months = months;
  options.seed = seed;
  g_assert_true (ld_demo_generate (store, &options, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.incidents, >, 0);
  return g_steal_pointer (&store);
}

/* The default city, made once: its making is the slow part. */
static LdStore *
default_city (void)
{
  static LdStore *city;

  if (city == NULL)
    {
      LdDemoOptions options;
      ld_demo_options_init (&options);
      city = demo_city (options.months, options.seed);
    }
  return city;
}

static gint64
until (LdStore *store)
{
  gint64 at;
  g_assert_true (ld_time_parse (UNTIL_TEXT, ld_store_get_time_zone (store), &at, NULL));
  return at;
}

/* The last whole month before the moment, the one the bulletin opens on. */
static LdPeriod
last_month (LdStore *store)
{
  return ld_period_month (ld_store_get_time_zone (store), 2026, 2);
}

/* One number from the store, with ?1 the demo's moment and ?2, ?3 the
 * last whole month. */
static gint64
count (LdStore *store, const char *sql)
{
  LdPeriod month = last_month (store);
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (ld_store_get_handle (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, until (store));
  sqlite3_bind_int64 (stmt, 2, month.start);
  sqlite3_bind_int64 (stmt, 3, month.end);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static gboolean
is_escalated (LdStore *store, const char *order_id)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found;

  g_assert_cmpint (sqlite3_prepare_v2 (ld_store_get_handle (store),
                                       "SELECT 1 FROM feedback WHERE order_id = ? AND text LIKE '%挂牌督办%'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, order_id, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return found;
}

/* Open: not closed, diverted, completed or returned. Escalated: a unit
 * has reported it as 挂牌督办. */
#define OPEN_INCIDENT "state IN ('new', 'dispatched')"
#define OPEN_ORDER    "state IN ('dispatched', 'signed', 'arrived')"
#define ESCALATED(o)  "EXISTS (SELECT 1 FROM feedback f WHERE f.order_id = " o " AND f.text LIKE '%挂牌督办%')"

static void
test_present_calls (void)
{
  LdStore *store = default_city ();

  /* A few calls in the last hour, the newest among them. */
  g_assert_cmpint (count (store, "SELECT count(*) FROM incident WHERE received_at > ?1 - 3600000000"), >=, 3);
  g_assert_cmpint (count (store, "SELECT ?1 - max(received_at) FROM incident"), <, 3600 * LD_USEC_PER_S);
  /* Today has its hours, quieter at night than by day. */
  g_assert_cmpint (count (store, "SELECT count(*) FROM incident WHERE received_at > ?1 - 86400000000"), >, 20);

  /* Nothing happens after the moment. */
  g_assert_cmpint (count (store,
    "SELECT (SELECT count(*) FROM incident WHERE received_at > ?1 OR closed_at > ?1)"
    " + (SELECT count(*) FROM orders WHERE dispatched_at > ?1 OR signed_at > ?1 OR arrived_at > ?1"
    "    OR completed_at > ?1 OR returned_at > ?1 OR first_feedback_at > ?1)"
    " + (SELECT count(*) FROM feedback WHERE at > ?1)"
    " + (SELECT count(*) FROM drill WHERE held_at > ?1)"
    " + (SELECT count(*) FROM drill_unit WHERE arrived_at > ?1)"
    " + (SELECT count(*) FROM roll_call WHERE at > ?1)"), ==, 0);
}

/* A normal shift: some matters under way, each within its deadlines but
 * for a few; orders at every step; nothing late by months unless it was
 * escalated, and that is said in its feedback. */
static void
test_present_open (void)
{
  LdStore *store = default_city ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) late = ld_store_list_late_orders (store, until (store), &error);
  gint64 open = count (store, "SELECT count(*) FROM incident WHERE " OPEN_INCIDENT);

  g_assert_no_error (error);
  g_assert_cmpint (open, >=, 3);
  g_assert_cmpint (open, <=, 60);
  g_assert_cmpint (count (store, "SELECT count(*) FROM orders WHERE " OPEN_ORDER), >=, 3);
  /* A call in its first steps: awaiting dispatch, or its orders signed for. */
  g_assert_cmpint (count (store, "SELECT (SELECT count(*) FROM incident WHERE state = 'new' AND kind = 'linkage')"
                                 " + (SELECT count(*) FROM orders WHERE state IN ('dispatched', 'signed'))"), >=, 1);
  g_assert_cmpuint (late->len, <=, 9);

  for (guint i = 0; i < late->len; i++)
    {
      LdLateOrder *l = g_ptr_array_index (late, i);

      if (until (store) - l->due > 2 * DAY_US && !is_escalated (store, l->order->id))
        g_test_fail_printf ("order %s is late to %s by more than two days and not escalated",
                            l->order->id, l->step);
    }
  g_assert_cmpint (count (store,
    "SELECT count(*) FROM incident i WHERE " OPEN_INCIDENT " AND received_at < " STALE
    " AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.incident_id = i.id AND " ESCALATED ("o.id") ")"), ==, 0);
  g_assert_cmpint (count (store,
    "SELECT count(*) FROM orders o WHERE " OPEN_ORDER " AND dispatched_at < " STALE
    " AND NOT " ESCALATED ("o.id")), ==, 0);
  /* A handful escalated over the year, some still open. */
  g_assert_cmpint (count (store, "SELECT count(*) FROM orders o WHERE " ESCALATED ("o.id")), >=, 13);
}

/* The last whole month reads like seed 000's: sign and feedback close to
 * 100 %, completion above the 90 % target, repeat calls under 14 %, a few
 * orders returned and sent again, the year's growth in the YoY. */
static void
test_history_rates (void)
{
  LdStore *store = default_city ();
  g_autoptr(GError) error = NULL;
  LdPeriod period = last_month (store);
  g_autoptr(LdReport) report = ld_report_new (store, &period, NULL, until (store), &error);
  LdReportRegion *city;
  double handled_yoy;

  g_assert_no_error (error);
  city = ld_report_get_scope (report);
  g_assert_cmpuint (city->now.orders.dispatched, >, 1000);
  g_assert_cmpfloat (ld_order_counts_rate (&city->now.orders, "sign_rate"), >=, 0.97);
  g_assert_cmpfloat (ld_order_counts_rate (&city->now.orders, "feedback_rate"), >=, 0.95);
  g_assert_cmpfloat (ld_order_counts_rate (&city->now.orders, "completion_rate"), >=, 0.90);
  g_assert_cmpfloat (ld_order_counts_rate (&city->now.orders, "completion_rate"), <, 0.995);
  g_assert_cmpfloat (ld_order_counts_rate (&city->now.orders, "repeat_rate"), >=, 0.03);
  g_assert_cmpfloat (ld_order_counts_rate (&city->now.orders, "repeat_rate"), <=, 0.14);
  g_assert_cmpfloat (ld_rate (city->now.orders.returned, city->now.orders.dispatched), >, 0.005);
  g_assert_cmpfloat (ld_rate (city->now.orders.returned, city->now.orders.dispatched), <, 0.05);
  g_assert_cmpfloat (ld_rate (city->now.orders.overdue_feedback, city->now.orders.dispatched), <, 0.08);
  handled_yoy = ld_change (city->now.handled, city->yoy.handled);
  g_assert_cmpfloat (handled_yoy, >, -0.2);
  g_assert_cmpfloat (handled_yoy, <, 0.4);

  /* Its incidents are closed, most within hours, the slowest in weeks. */
  g_assert_cmpint (count (store,
    "SELECT count(*) FROM incident WHERE kind = 'linkage' AND " OPEN_INCIDENT
    " AND received_at >= ?2 AND received_at < ?3"), <=, 3);
  g_assert_cmpint (count (store,
    "SELECT count(*) FROM incident WHERE kind = 'linkage' AND closed_at - received_at > 86400000000"
    " AND received_at >= ?2 AND received_at < ?3") * 10, <,
    count (store, "SELECT count(*) FROM incident WHERE kind = 'linkage'"
                  " AND received_at >= ?2 AND received_at < ?3"));
}

/* Every row of the tables a demo writes, in order. */
static char *
digest (LdStore *store)
{
  static const char *queries[] = {
    "SELECT * FROM region ORDER BY code", "SELECT * FROM unit ORDER BY code",
    "SELECT * FROM category ORDER BY code", "SELECT * FROM setting ORDER BY 1",
    "SELECT * FROM incident ORDER BY id", "SELECT * FROM orders ORDER BY id",
    "SELECT * FROM feedback ORDER BY id", "SELECT * FROM drill ORDER BY id",
    "SELECT * FROM drill_unit ORDER BY drill_id, unit_code", "SELECT * FROM roll_call ORDER BY id",
    "SELECT * FROM event ORDER BY seq",
  };
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (ld_store_get_handle (store), queries[q], -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count (stmt); c++)
          {
            guchar type = sqlite3_column_type (stmt, c);
            const void *bytes = sqlite3_column_blob (stmt, c);

            g_checksum_update (sum, &type, 1);
            if (bytes)
              g_checksum_update (sum, bytes, sqlite3_column_bytes (stmt, c));
          }
      sqlite3_finalize (stmt);
    }
  return g_strdup (g_checksum_get_string (sum));
}

static void
test_deterministic (void)
{
  g_autoptr(LdStore) a = demo_city (2, 11);
  g_autoptr(LdStore) b = demo_city (2, 11);
  g_autoptr(LdStore) c = demo_city (2, 12);
  g_autofree char *da = digest (a);
  g_autofree char *db = digest (b);
  g_autofree char *dc = digest (c);

  g_assert_cmpstr (da, ==, db);
  g_assert_cmpstr (da, !=, dc);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/demo-city/regions/tree", test_regions_tree);
  g_test_add_func ("/demo-city/regions/boundaries-parse", test_regions_boundaries_parse);
  g_test_add_func ("/demo-city/regions/points-inside", test_regions_points_inside);
  g_test_add_func ("/demo-city/regions/no-overlap", test_regions_no_overlap);
  g_test_add_func ("/demo-city/units/regions", test_units_regions);
  g_test_add_func ("/demo-city/units/fields", test_units_fields);
  g_test_add_func ("/demo-city/units/seed", test_units_seed);
  g_test_add_func ("/demo-city/categories/fields", test_categories_fields);
  g_test_add_func ("/demo-city/categories/units", test_categories_units);
  g_test_add_func ("/demo-city/categories/divert", test_categories_divert);
  g_test_add_func ("/demo-city/categories/limits", test_categories_limits);
  g_test_add_func ("/demo-city/streets", test_streets);
  g_test_add_func ("/demo-city/present/calls", test_present_calls);
  g_test_add_func ("/demo-city/present/open", test_present_open);
  g_test_add_func ("/demo-city/history/rates", test_history_rates);
  g_test_add_func ("/demo-city/deterministic", test_deterministic);

  return g_test_run ();
}
