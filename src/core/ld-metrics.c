/* ld-metrics.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ld-metrics.h"
#include "ld-store-private.h"

const char * const ld_order_count_metrics[] = {
  "dispatched", "signed", "feedback_orders", "feedback_entries", "returned", "completed",
  "overdue_feedback", "repeat_calls", NULL
};

const char * const ld_order_rate_metrics[] = {
  "sign_rate", "feedback_rate", "completion_rate", "repeat_rate", NULL
};

const char * const ld_region_count_metrics[] = {
  "incidents", "incidents_110", "linkage_alarms", "handled", "handled_by_units", "diverted", NULL
};

double
ld_rate (guint part, guint whole)
{
  return whole == 0 ? NAN : (double) part / whole;
}

double
ld_change (double now, double base)
{
  return base == 0 || isnan (base) || isnan (now) ? NAN : (now - base) / base;
}

/* Bulletins round half away from zero, as spreadsheets do; the nudge keeps
 * 0.12345 (stored as 0.1234499…) rounding the way its decimal reads. */
static double
percent_2dp (double fraction)
{
  double scaled = fraction * 10000.0;
  return round (scaled + copysign (1e-6, scaled)) / 100.0;
}

char *
ld_format_rate (double rate)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (isnan (rate))
    return g_strdup ("—");
  return g_strconcat (g_ascii_formatd (buf, sizeof buf, "%.2f", percent_2dp (rate)), "%", NULL);
}

char *
ld_format_change (double change)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double pct;
  if (isnan (change))
    return g_strdup ("—");
  pct = percent_2dp (change);
  g_ascii_formatd (buf, sizeof buf, "%.2f", pct);
  return g_strconcat (pct > 0 ? "+" : "", buf, "%", NULL);
}

guint
ld_order_counts_get (const LdOrderCounts *c, const char *metric)
{
  if (g_str_equal (metric, "dispatched"))
    return c->dispatched;
  if (g_str_equal (metric, "signed"))
    return c->signed_;
  if (g_str_equal (metric, "feedback_orders"))
    return c->feedback_orders;
  if (g_str_equal (metric, "feedback_entries"))
    return c->feedback_entries;
  if (g_str_equal (metric, "returned"))
    return c->returned;
  if (g_str_equal (metric, "completed"))
    return c->completed;
  if (g_str_equal (metric, "overdue_feedback"))
    return c->overdue_feedback;
  if (g_str_equal (metric, "repeat_calls"))
    return c->repeat_calls;
  if (g_str_equal (metric, "unsigned"))
    return c->dispatched - c->signed_;
  if (g_str_equal (metric, "without_feedback"))
    return c->dispatched - c->feedback_orders;
  if (g_str_equal (metric, "not_completed"))
    return c->dispatched - c->completed;
  g_return_val_if_reached (0);
}

const char *
ld_order_rate_misses (const char *rate)
{
  if (g_str_equal (rate, "sign_rate"))
    return "unsigned";
  if (g_str_equal (rate, "feedback_rate"))
    return "without_feedback";
  if (g_str_equal (rate, "completion_rate"))
    return "not_completed";
  /* Best at none: every repeat call counts against it. */
  if (g_str_equal (rate, "repeat_rate"))
    return "repeat_calls";
  g_return_val_if_reached (NULL);
}

double
ld_order_counts_rate (const LdOrderCounts *c, const char *metric)
{
  if (g_str_equal (metric, "sign_rate"))
    return ld_rate (c->signed_, c->dispatched);
  if (g_str_equal (metric, "feedback_rate"))
    return ld_rate (c->feedback_orders, c->dispatched);
  if (g_str_equal (metric, "completion_rate"))
    return ld_rate (c->completed, c->dispatched);
  if (g_str_equal (metric, "repeat_rate"))
    return ld_rate (c->repeat_calls, c->dispatched);
  g_return_val_if_reached (NAN);
}

guint
ld_region_counts_get (const LdRegionCounts *c, const char *metric)
{
  if (g_str_equal (metric, "incidents"))
    return c->incidents;
  if (g_str_equal (metric, "incidents_110"))
    return c->incidents_110;
  if (g_str_equal (metric, "linkage_alarms"))
    return c->linkage_alarms;
  if (g_str_equal (metric, "handled"))
    return c->handled;
  if (g_str_equal (metric, "handled_by_units"))
    return c->handled_by_units;
  if (g_str_equal (metric, "diverted"))
    return c->diverted;
  return ld_order_counts_get (&c->orders, metric);
}

void
ld_order_counts_add (LdOrderCounts *sum, const LdOrderCounts *c)
{
  sum->dispatched += c->dispatched;
  sum->signed_ += c->signed_;
  sum->feedback_orders += c->feedback_orders;
  sum->feedback_entries += c->feedback_entries;
  sum->returned += c->returned;
  sum->completed += c->completed;
  sum->overdue_feedback += c->overdue_feedback;
  sum->repeat_calls += c->repeat_calls;
}

void
ld_region_counts_add (LdRegionCounts *sum, const LdRegionCounts *c)
{
  sum->incidents += c->incidents;
  sum->incidents_110 += c->incidents_110;
  sum->linkage_alarms += c->linkage_alarms;
  sum->handled += c->handled;
  sum->handled_by_units += c->handled_by_units;
  sum->diverted += c->diverted;
  for (guint i = 0; i < LD_N_PLATFORMS; i++)
    sum->diversions[i] += c->diversions[i];
  ld_order_counts_add (&sum->orders, &c->orders);
}

/* The columns read here are those the time indexes of ld-store.c
 * (migration 7) carry: add one there when adding one here.
 *
 * One range scan of the period's orders feeds both the per-unit and the
 * per-region tables. The rows are summed here rather than with GROUP BY:
 * sorting a month of rows on text keys cost more than the scan itself. */
static const char *orders_sql =
  "SELECT unit_code, region_code, " LD_ORDER_SIGNED ", " LD_ORDER_WITH_FEEDBACK ", feedback_count,"
  "  " LD_ORDER_RETURNED ", " LD_ORDER_COMPLETED ", " LD_ORDER_OVERDUE_FEEDBACK_AT ("?3") ","
  "  " LD_ORDER_REPEAT_CALL ", dispatched_at"
  " FROM orders"
  " WHERE dispatched_at >= ?1 AND dispatched_at < ?2";

static void
count_order (LdOrderCounts *c, sqlite3_stmt *stmt)
{
  c->dispatched++;
  c->signed_ += sqlite3_column_int (stmt, 2);
  c->feedback_orders += sqlite3_column_int (stmt, 3);
  c->feedback_entries += sqlite3_column_int (stmt, 4);
  c->returned += sqlite3_column_int (stmt, 5);
  c->completed += sqlite3_column_int (stmt, 6);
  c->overdue_feedback += sqlite3_column_int (stmt, 7);
  c->repeat_calls += sqlite3_column_int (stmt, 8);
}

static const char *incidents_sql =
  "SELECT region_code, source = '110', kind = 'linkage', kind = 'diverted', by_units,"
  "  CASE diverted_to WHEN 'governance' THEN 0 WHEN '114' THEN 1 WHEN '12345' THEN 2"
  "    WHEN '96345' THEN 3 ELSE -1 END, received_at"
  " FROM incident WHERE received_at >= ?1 AND received_at < ?2";

static void
count_incident (LdRegionCounts *r, sqlite3_stmt *stmt)
{
  gboolean from_110 = sqlite3_column_int (stmt, 1);
  gboolean linkage = sqlite3_column_int (stmt, 2);
  int platform = sqlite3_column_int (stmt, 5);

  r->incidents++;
  r->incidents_110 += from_110;
  r->linkage_alarms += linkage && from_110;
  r->handled += linkage;
  r->handled_by_units += linkage && sqlite3_column_int (stmt, 4);
  r->diverted += sqlite3_column_int (stmt, 3);
  if (platform >= 0)
    r->diversions[platform]++;
}

static gpointer
lookup_or_add (GHashTable *table, const char *key, gsize size)
{
  gpointer value = g_hash_table_lookup (table, key);
  if (value == NULL)
    g_hash_table_insert (table, g_strdup (key), value = g_malloc0 (size));
  return value;
}

static gboolean
scan_orders (LdStore *store, const LdPeriod *period, gint64 now,
             GHashTable *by_unit, GHashTable *by_region, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (store, orders_sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, period->start);
  sqlite3_bind_int64 (stmt, 2, period->end);
  sqlite3_bind_int64 (stmt, 3, now);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *unit = (const char *) sqlite3_column_text (stmt, 0);
      const char *region = (const char *) sqlite3_column_text (stmt, 1);

      count_order (lookup_or_add (by_unit, unit, sizeof (LdOrderCounts)), stmt);
      count_order (&((LdRegionCounts *) lookup_or_add (by_region, region ? region : "",
                                                        sizeof (LdRegionCounts)))->orders, stmt);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      ld_store_set_db_error (store, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
ld_metrics_compute (LdStore *store, const LdPeriod *period, gint64 now,
                    GHashTable **units, GHashTable **regions, GError **error)
{
  g_autoptr(GHashTable) by_unit = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) own = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) total = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) all_regions = NULL;
  g_autoptr(GPtrArray) roots = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;
  sqlite3_stmt *stmt;
  int rc;

  stmt = ld_store_prepare (store, incidents_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, period->start);
  sqlite3_bind_int64 (stmt, 2, period->end);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *region = (const char *) sqlite3_column_text (stmt, 0);
      count_incident (lookup_or_add (own, region ? region : "", sizeof (LdRegionCounts)), stmt);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      ld_store_set_db_error (store, error);
      return FALSE;
    }

  if (!scan_orders (store, period, now, by_unit, own, error))
    return FALSE;

  all_regions = ld_store_list_regions (store, error);
  if (all_regions == NULL)
    return FALSE;
  for (guint i = 0; i < all_regions->len; i++)
    {
      LdRegion *r = g_ptr_array_index (all_regions, i);
      g_hash_table_insert (total, g_strdup (r->code), g_new0 (LdRegionCounts, 1));
      if (r->parent_code == NULL)
        g_ptr_array_add (roots, r->code);
    }

  /* Each region's own figures count in it and in every region above it. */
  g_hash_table_iter_init (&iter, own);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *code = key;

      /* Incidents placed nowhere still belong to the center's totals. */
      if (*code == '\0' || !g_hash_table_contains (total, code))
        {
          if (roots->len == 1)
            ld_region_counts_add (g_hash_table_lookup (total, g_ptr_array_index (roots, 0)), value);
          continue;
        }
      for (guint i = 0; i < all_regions->len; i++)
        {
          LdRegion *r = g_ptr_array_index (all_regions, i);
          if (ld_store_region_is_within (store, code, r->code))
            ld_region_counts_add (g_hash_table_lookup (total, r->code), value);
        }
    }
  if (units)
    *units = g_steal_pointer (&by_unit);
  if (regions)
    *regions = g_steal_pointer (&total);
  return TRUE;
}

/* Which of the sorted @periods holds @at, or -1. */
static int
find_period (const LdPeriod *periods, guint n, gint64 at)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      if (at < periods[mid].start)
        hi = mid;
      else if (at >= periods[mid].end)
        lo = mid + 1;
      else
        return mid;
    }
  return -1;
}

typedef struct {
  LdStore    *store;
  const char *scope;
  gboolean    takes_unplaced;
  GHashTable *known;     /* region code → its LdRegion */
  GHashTable *answers;   /* region code → whether it counts */
} Scope;

/* As ld_metrics_compute counts: rows placed nowhere (or in a region the
 * store doesn't know) belong to the center's one root region. */
static gboolean
scope_init (Scope *scope, LdStore *store, const char *region_code, GError **error)
{
  g_autoptr(GPtrArray) regions = ld_store_list_regions (store, error);
  guint roots = 0;
  gboolean scope_is_root = FALSE;

  if (regions == NULL)
    return FALSE;
  scope->store = store;
  scope->scope = region_code;
  scope->known = g_hash_table_new (g_str_hash, g_str_equal);
  scope->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < regions->len; i++)
    {
      LdRegion *r = g_ptr_array_index (regions, i);
      g_hash_table_add (scope->known, (gpointer) g_intern_string (r->code));
      if (r->parent_code == NULL)
        {
          roots++;
          scope_is_root |= g_strcmp0 (r->code, region_code) == 0;
        }
    }
  scope->takes_unplaced = region_code == NULL || (scope_is_root && roots == 1);
  return TRUE;
}

static void
scope_clear (Scope *scope)
{
  g_clear_pointer (&scope->known, g_hash_table_unref);
  g_clear_pointer (&scope->answers, g_hash_table_unref);
}

/* Regions are few and rows many, so each answer is kept. */
static gboolean
in_scope (Scope *scope, const char *region)
{
  gpointer answer;

  if (scope->scope == NULL)
    return TRUE;
  if (region == NULL || !g_hash_table_contains (scope->known, region))
    return scope->takes_unplaced;
  if (!g_hash_table_lookup_extended (scope->answers, region, NULL, &answer))
    {
      answer = GINT_TO_POINTER (ld_store_region_is_within (scope->store, region, scope->scope));
      g_hash_table_insert (scope->answers, g_strdup (region), answer);
    }
  return GPOINTER_TO_INT (answer);
}

gboolean
ld_metrics_compute_series (LdStore *store, const LdPeriod *periods, guint n_periods,
                           const char *region_code, gint64 now, gboolean with_orders,
                           LdRegionCounts *out, GError **error)
{
  const char *sql[] = { incidents_sql, orders_sql };
  Scope scope;
  gboolean ok = TRUE;

  memset (out, 0, n_periods * sizeof *out);
  if (n_periods == 0)
    return TRUE;
  for (guint i = 1; i < n_periods; i++)
    g_return_val_if_fail (periods[i].start >= periods[i - 1].end, FALSE);
  if (!scope_init (&scope, store, region_code, error))
    return FALSE;

  for (guint q = 0; q < (with_orders ? G_N_ELEMENTS (sql) : 1) && ok; q++)
    {
      sqlite3_stmt *stmt = ld_store_prepare (store, sql[q], error);
      /* The row's time is the last column of either query. */
      int at_column = q == 0 ? 6 : 9;
      int rc;

      if (stmt == NULL)
        {
          ok = FALSE;
          break;
        }
      sqlite3_bind_int64 (stmt, 1, periods[0].start);
      sqlite3_bind_int64 (stmt, 2, periods[n_periods - 1].end);
      if (q == 1)
        sqlite3_bind_int64 (stmt, 3, now);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          int i = find_period (periods, n_periods, sqlite3_column_int64 (stmt, at_column));

          if (i < 0 || !in_scope (&scope, (const char *) sqlite3_column_text (stmt, q == 0 ? 0 : 1)))
            continue;
          if (q == 0)
            count_incident (&out[i], stmt);
          else
            count_order (&out[i].orders, stmt);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          ld_store_set_db_error (store, error);
          ok = FALSE;
        }
    }
  scope_clear (&scope);
  return ok;
}

/* A unit's limit is written with its row; 20 minutes is seed 001's. */
static gint64
drill_limit_s (const LdDrillUnit *du)
{
  return du->limit_s > 0 ? du->limit_s : 1200;
}

gint64
ld_drill_arrival_s (const LdDrillUnit *du)
{
  if (du->alarm_at == LD_TIME_NONE || du->arrived_at == LD_TIME_NONE)
    return -1;
  return (du->arrived_at - du->alarm_at) / LD_USEC_PER_S;
}

gboolean
ld_drill_unit_is_late_at (const LdDrillUnit *du, gint64 now)
{
  if (du->alarm_at == LD_TIME_NONE)
    return FALSE;
  if (du->arrived_at != LD_TIME_NONE)
    return ld_drill_arrival_s (du) > drill_limit_s (du);
  return du->alarm_at + drill_limit_s (du) * LD_USEC_PER_S <= now;
}
