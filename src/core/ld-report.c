/* ld-report.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "ld-csv.h"
#include "ld-json.h"
#include "ld-report.h"
#include "ld-store-private.h"

/* How many units (四) ranks by repeat rate: seed 000 takes the 11 busiest. */
#define MAIN_UNITS 11

struct _LdReport
{
  GObject     parent_instance;

  GTimeZone  *tz;
  LdPeriod    period;
  LdPeriod    year_before;
  LdPeriod    previous;
  gint64      generated_at;
  char       *center_name;
  GPtrArray  *regions;        /* LdReportRegion, the scope first, then depth-first */
  GPtrArray  *units;          /* LdReportUnit, busiest first */
  GPtrArray  *drills;         /* LdDrillResult */
  guint       roll_calls;
  guint       roll_calls_answered;
  double      targets[5];
};

G_DEFINE_FINAL_TYPE (LdReport, ld_report, G_TYPE_OBJECT)

static const char *target_metrics[] = {
  "repeat_rate", "sign_rate", "feedback_rate", "completion_rate", "satisfaction_rate",
};

enum { T_REPEAT, T_SIGN, T_FEEDBACK, T_COMPLETION, T_SATISFACTION };

static void
report_region_free (LdReportRegion *r)
{
  g_free (r->code);
  g_free (r->name);
  g_free (r->parent_code);
  g_free (r);
}

static void
report_unit_free (LdReportUnit *u)
{
  g_free (u->code);
  g_free (u->name);
  g_free (u->category);
  g_free (u->region_code);
  g_free (u);
}

static void
ld_report_finalize (GObject *object)
{
  LdReport *self = (LdReport *) object;

  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_clear_pointer (&self->regions, g_ptr_array_unref);
  g_clear_pointer (&self->units, g_ptr_array_unref);
  g_clear_pointer (&self->drills, g_ptr_array_unref);
  g_free (self->center_name);

  G_OBJECT_CLASS (ld_report_parent_class)->finalize (object);
}

static void
ld_report_class_init (LdReportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ld_report_finalize;
}

static void
ld_report_init (LdReport *self)
{
  self->regions = g_ptr_array_new_with_free_func ((GDestroyNotify) report_region_free);
  self->units = g_ptr_array_new_with_free_func ((GDestroyNotify) report_unit_free);
  self->drills = g_ptr_array_new_with_free_func ((GDestroyNotify) ld_drill_result_free);
}

static void
add_region_tree (LdReport *self, GPtrArray *all, const LdRegion *region, guint depth,
                 GHashTable *now, GHashTable *yoy, GHashTable *mom)
{
  LdReportRegion *r = g_new0 (LdReportRegion, 1);
  LdRegionCounts *c;

  r->code = g_strdup (region->code);
  r->name = g_strdup (region->name);
  r->parent_code = g_strdup (region->parent_code);
  r->depth = depth;
  if ((c = g_hash_table_lookup (now, region->code)))
    r->now = *c;
  if ((c = g_hash_table_lookup (yoy, region->code)))
    r->yoy = *c;
  if ((c = g_hash_table_lookup (mom, region->code)))
    r->mom = *c;
  g_ptr_array_add (self->regions, r);

  for (guint i = 0; i < all->len; i++)
    {
      const LdRegion *child = g_ptr_array_index (all, i);
      if (g_strcmp0 (child->parent_code, region->code) == 0)
        add_region_tree (self, all, child, depth + 1, now, yoy, mom);
    }
}

static int
compare_units (gconstpointer a, gconstpointer b)
{
  const LdReportUnit *ua = *(LdReportUnit **) a, *ub = *(LdReportUnit **) b;
  if (ua->now.dispatched != ub->now.dispatched)
    return ua->now.dispatched > ub->now.dispatched ? -1 : 1;
  return g_strcmp0 (ua->code, ub->code);
}

static gboolean
load_roll_calls (LdReport *self, LdStore *store, const char *scope, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (store,
    "SELECT u.region_code, count(*), sum(r.answered) FROM roll_call r JOIN unit u ON u.code = r.unit_code"
    " WHERE r.at >= ? AND r.at < ? GROUP BY u.region_code", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->period.start);
  sqlite3_bind_int64 (stmt, 2, self->period.end);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (ld_store_region_is_within (store, (const char *) sqlite3_column_text (stmt, 0), scope))
      {
        self->roll_calls += sqlite3_column_int (stmt, 1);
        self->roll_calls_answered += sqlite3_column_int (stmt, 2);
      }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
load_drills (LdReport *self, LdStore *store, const char *scope, GError **error)
{
  g_autoptr(GPtrArray) drills = ld_store_list_drills (store, &self->period, error);

  if (drills == NULL)
    return FALSE;
  for (guint i = 0; i < drills->len; i++)
    {
      LdDrill *drill = g_ptr_array_index (drills, i);
      LdDrillResult *result;

      if (drill->region_code && !ld_store_region_is_within (store, drill->region_code, scope))
        continue;
      result = ld_drill_result_new (store, drill, error);
      if (result == NULL)
        return FALSE;
      g_ptr_array_add (self->drills, result);
    }
  return TRUE;
}

LdReport *
ld_report_new (LdStore *store, const LdPeriod *period, const char *region_code, gint64 now, GError **error)
{
  g_autoptr(LdReport) self = g_object_new (LD_TYPE_REPORT, NULL);
  g_autoptr(GHashTable) regions_now = NULL, regions_yoy = NULL, regions_mom = NULL;
  g_autoptr(GHashTable) units_now = NULL, units_yoy = NULL, units_mom = NULL;
  g_autoptr(GPtrArray) all_regions = NULL;
  g_autoptr(GPtrArray) all_units = NULL;
  g_autoptr(LdRegion) scope = NULL;

  self->tz = g_time_zone_ref (ld_store_get_time_zone (store));
  self->period = *period;
  self->year_before = ld_period_year_before (period, self->tz);
  self->previous = ld_period_previous (period, self->tz);
  self->generated_at = now;
  for (guint i = 0; i < G_N_ELEMENTS (target_metrics); i++)
    self->targets[i] = ld_store_get_target (store, target_metrics[i]);

  all_regions = ld_store_list_regions (store, error);
  if (all_regions == NULL)
    return NULL;
  if (region_code)
    scope = ld_store_get_region (store, region_code, error);
  else
    {
      for (guint i = 0; i < all_regions->len && scope == NULL; i++)
        {
          LdRegion *r = g_ptr_array_index (all_regions, i);
          if (r->parent_code == NULL)
            scope = ld_store_get_region (store, r->code, error);
        }
      if (scope == NULL)
        g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND,
                     _("The store has no regions: import regions.csv first"));
    }
  if (scope == NULL)
    return NULL;

  self->center_name = ld_store_get_setting (store, "center_name");
  if (self->center_name == NULL)
    self->center_name = g_strdup_printf (_("%s Social Emergency Linkage Command Center"), scope->name);

  if (!ld_metrics_compute (store, &self->period, now, &units_now, &regions_now, error) ||
      !ld_metrics_compute (store, &self->year_before, now, &units_yoy, &regions_yoy, error) ||
      !ld_metrics_compute (store, &self->previous, now, &units_mom, &regions_mom, error))
    return NULL;

  add_region_tree (self, all_regions, scope, 0, regions_now, regions_yoy, regions_mom);

  all_units = ld_store_list_units (store, error);
  if (all_units == NULL)
    return NULL;
  for (guint i = 0; i < all_units->len; i++)
    {
      LdUnit *unit = g_ptr_array_index (all_units, i);
      LdReportUnit *u;
      LdOrderCounts *c;

      if (unit->region_code ? !ld_store_region_is_within (store, unit->region_code, scope->code)
                            : scope->parent_code != NULL)
        continue;
      u = g_new0 (LdReportUnit, 1);
      u->code = g_strdup (unit->code);
      u->name = g_strdup (unit->name);
      u->category = g_strdup (unit->category);
      u->region_code = g_strdup (unit->region_code);
      u->tier = unit->tier;
      if ((c = g_hash_table_lookup (units_now, unit->code)))
        u->now = *c;
      if ((c = g_hash_table_lookup (units_yoy, unit->code)))
        u->yoy = *c;
      if ((c = g_hash_table_lookup (units_mom, unit->code)))
        u->mom = *c;
      g_ptr_array_add (self->units, u);
    }
  g_ptr_array_sort (self->units, compare_units);

  if (!load_roll_calls (self, store, scope->code, error) || !load_drills (self, store, scope->code, error))
    return NULL;

  return g_steal_pointer (&self);
}

const LdPeriod *
ld_report_get_period (LdReport *self)
{
  return &self->period;
}

LdReportRegion *
ld_report_get_scope (LdReport *self)
{
  return g_ptr_array_index (self->regions, 0);
}

GPtrArray *
ld_report_get_regions (LdReport *self)
{
  return self->regions;
}

GPtrArray *
ld_report_get_units (LdReport *self)
{
  return self->units;
}

GPtrArray *
ld_report_get_drills (LdReport *self)
{
  return self->drills;
}

LdReportRegion *
ld_report_lookup_region (LdReport *self, const char *code)
{
  for (guint i = 0; i < self->regions->len; i++)
    {
      LdReportRegion *r = g_ptr_array_index (self->regions, i);
      if (g_strcmp0 (r->code, code) == 0)
        return r;
    }
  return NULL;
}

LdReportUnit *
ld_report_lookup_unit (LdReport *self, const char *code)
{
  for (guint i = 0; i < self->units->len; i++)
    {
      LdReportUnit *u = g_ptr_array_index (self->units, i);
      if (g_strcmp0 (u->code, code) == 0)
        return u;
    }
  return NULL;
}

static gboolean
is_rate_metric (const char *metric)
{
  return g_strv_contains (ld_order_rate_metrics, metric);
}

static double
unit_value (const LdReportUnit *u, const char *metric)
{
  return is_rate_metric (metric) ? ld_order_counts_rate (&u->now, metric)
                                 : ld_order_counts_get (&u->now, metric);
}

typedef struct {
  const char *metric;
  gboolean    highest;
} RankBy;

static int
compare_rank (gconstpointer a, gconstpointer b, gpointer data)
{
  const RankBy *by = data;
  const LdReportUnit *ua = *(LdReportUnit **) a, *ub = *(LdReportUnit **) b;
  double va = unit_value (ua, by->metric), vb = unit_value (ub, by->metric);

  if (va != vb)
    return (va > vb) == by->highest ? -1 : 1;
  /* Ties: the unit with more orders weighs more in the bulletin. */
  if (ua->now.dispatched != ub->now.dispatched)
    return ua->now.dispatched > ub->now.dispatched ? -1 : 1;
  return g_strcmp0 (ua->code, ub->code);
}

GPtrArray *
ld_report_rank_units (LdReport *self, const char *metric, gboolean highest, guint n)
{
  g_autoptr(GPtrArray) ranked = g_ptr_array_new ();
  RankBy by = { metric, highest };

  for (guint i = 0; i < self->units->len; i++)
    {
      LdReportUnit *u = g_ptr_array_index (self->units, i);
      if (u->now.dispatched > 0 && g_strcmp0 (u->category, "police") != 0)
        g_ptr_array_add (ranked, u);
    }
  g_ptr_array_sort_with_data (ranked, compare_rank, &by);
  if (ranked->len > n)
    g_ptr_array_set_size (ranked, n);
  return g_steal_pointer (&ranked);
}

static double
region_yoy (const LdReportRegion *r, const char *metric)
{
  return ld_change (ld_region_counts_get (&r->now, metric), ld_region_counts_get (&r->yoy, metric));
}

static int
compare_risers (gconstpointer a, gconstpointer b, gpointer data)
{
  const LdReportRegion *ra = *(LdReportRegion **) a, *rb = *(LdReportRegion **) b;
  double va = region_yoy (ra, data), vb = region_yoy (rb, data);

  if (isnan (va) != isnan (vb))
    return isnan (va) ? 1 : -1;
  if (va != vb)
    return va > vb ? -1 : 1;
  return g_strcmp0 (ra->code, rb->code);
}

GPtrArray *
ld_report_rank_risers (LdReport *self, const char *metric, guint n)
{
  g_autoptr(GPtrArray) ranked = g_ptr_array_new ();

  for (guint i = 0; i < self->regions->len; i++)
    {
      LdReportRegion *r = g_ptr_array_index (self->regions, i);
      if (r->depth == 1 && region_yoy (r, metric) > 0)
        g_ptr_array_add (ranked, r);
    }
  g_ptr_array_sort_with_data (ranked, compare_risers, (gpointer) metric);
  if (ranked->len > n)
    g_ptr_array_set_size (ranked, n);
  return g_steal_pointer (&ranked);
}

/* JSON */

static void
add_number (JsonBuilder *b, const char *name, double value)
{
  /* Six decimals keep the output stable across runs without losing a
   * rate's printed precision. */
  ld_json_add_number (b, name, round (value * 1e6) / 1e6);
}

static void
add_order_counts (JsonBuilder *b, const LdOrderCounts *now, const LdOrderCounts *yoy, const LdOrderCounts *mom)
{
  for (guint i = 0; ld_order_count_metrics[i]; i++)
    {
      const char *m = ld_order_count_metrics[i];
      g_autofree char *yoy_name = g_strconcat (m, "_yoy", NULL);
      g_autofree char *mom_name = g_strconcat (m, "_mom", NULL);

      ld_json_add_int (b, m, ld_order_counts_get (now, m));
      add_number (b, yoy_name, ld_change (ld_order_counts_get (now, m), ld_order_counts_get (yoy, m)));
      add_number (b, mom_name, ld_change (ld_order_counts_get (now, m), ld_order_counts_get (mom, m)));
    }
  for (guint i = 0; ld_order_rate_metrics[i]; i++)
    add_number (b, ld_order_rate_metrics[i], ld_order_counts_rate (now, ld_order_rate_metrics[i]));
}

static void
add_ranking (JsonBuilder *b, const char *name, GPtrArray *units)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < units->len; i++)
    json_builder_add_string_value (b, ((LdReportUnit *) g_ptr_array_index (units, i))->code);
  json_builder_end_array (b);
}

/* Where a unit misses the center's targets. */
static GPtrArray *
unit_alerts (LdReport *self, const LdReportUnit *u)
{
  GPtrArray *alerts = g_ptr_array_new ();
  double repeat = ld_order_counts_rate (&u->now, "repeat_rate");

  if (u->now.dispatched == 0 || g_strcmp0 (u->category, "police") == 0)
    return alerts;
  if (repeat > self->targets[T_REPEAT])
    g_ptr_array_add (alerts, "repeat_rate");
  if (ld_order_counts_rate (&u->now, "sign_rate") < self->targets[T_SIGN])
    g_ptr_array_add (alerts, "sign_rate");
  if (ld_order_counts_rate (&u->now, "feedback_rate") < self->targets[T_FEEDBACK])
    g_ptr_array_add (alerts, "feedback_rate");
  if (ld_order_counts_rate (&u->now, "completion_rate") < self->targets[T_COMPLETION])
    g_ptr_array_add (alerts, "completion_rate");
  return alerts;
}

char *
ld_report_to_json (LdReport *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *start = ld_time_format_iso (self->period.start, self->tz);
  g_autofree char *end = ld_time_format_iso (self->period.end, self->tz);
  g_autofree char *generated = ld_time_format_iso (self->generated_at, self->tz);
  int year, month;

  json_builder_begin_object (b);

  json_builder_set_member_name (b, "period");
  json_builder_begin_object (b);
  if (ld_period_is_month (&self->period, self->tz, &year, &month))
    {
      g_autofree char *text = g_strdup_printf ("%04d-%02d", year, month);
      ld_json_add_string (b, "month", text);
    }
  ld_json_add_string (b, "start", start);
  ld_json_add_string (b, "end", end);
  ld_json_add_string (b, "time_zone", g_time_zone_get_identifier (self->tz));
  ld_json_add_string (b, "generated_at", generated);
  ld_json_add_string (b, "region_code", ld_report_get_scope (self)->code);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "targets");
  json_builder_begin_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (target_metrics); i++)
    add_number (b, target_metrics[i], self->targets[i]);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "regions");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->regions->len; i++)
    {
      LdReportRegion *r = g_ptr_array_index (self->regions, i);

      json_builder_begin_object (b);
      ld_json_add_string (b, "code", r->code);
      ld_json_add_string (b, "name", r->name);
      ld_json_add_string (b, "parent_code", r->parent_code);
      for (guint j = 0; ld_region_count_metrics[j]; j++)
        {
          const char *m = ld_region_count_metrics[j];
          g_autofree char *yoy_name = g_strconcat (m, "_yoy", NULL);
          g_autofree char *mom_name = g_strconcat (m, "_mom", NULL);

          ld_json_add_int (b, m, ld_region_counts_get (&r->now, m));
          add_number (b, yoy_name, ld_change (ld_region_counts_get (&r->now, m), ld_region_counts_get (&r->yoy, m)));
          add_number (b, mom_name, ld_change (ld_region_counts_get (&r->now, m), ld_region_counts_get (&r->mom, m)));
        }
      add_number (b, "linkage_share", ld_rate (r->now.linkage_alarms, r->now.incidents_110));
      add_number (b, "diversion_share", ld_rate (r->now.diverted, r->now.incidents));
      add_order_counts (b, &r->now.orders, &r->yoy.orders, &r->mom.orders);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "units");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->units->len; i++)
    {
      LdReportUnit *u = g_ptr_array_index (self->units, i);
      g_autoptr(GPtrArray) alerts = unit_alerts (self, u);

      json_builder_begin_object (b);
      ld_json_add_string (b, "code", u->code);
      ld_json_add_string (b, "name", u->name);
      ld_json_add_string (b, "category", u->category);
      ld_json_add_string (b, "region_code", u->region_code);
      ld_json_add_int (b, "tier", u->tier);
      add_order_counts (b, &u->now, &u->yoy, &u->mom);
      json_builder_set_member_name (b, "below_target");
      json_builder_begin_array (b);
      for (guint j = 0; j < alerts->len; j++)
        json_builder_add_string_value (b, g_ptr_array_index (alerts, j));
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "rankings");
  json_builder_begin_object (b);
  {
    g_autoptr(GPtrArray) repeat_top = ld_report_rank_units (self, "repeat_rate", TRUE, 3);
    g_autoptr(GPtrArray) sign_bottom = ld_report_rank_units (self, "sign_rate", FALSE, 3);
    g_autoptr(GPtrArray) feedback_bottom = ld_report_rank_units (self, "feedback_rate", FALSE, 3);
    g_autoptr(GPtrArray) completion_bottom = ld_report_rank_units (self, "completion_rate", FALSE, 3);
    g_autoptr(GPtrArray) busiest = ld_report_rank_units (self, "dispatched", TRUE, 3);
    g_autoptr(GPtrArray) risers = ld_report_rank_risers (self, "linkage_alarms", 3);

    add_ranking (b, "repeat_rate_top", repeat_top);
    add_ranking (b, "sign_rate_bottom", sign_bottom);
    add_ranking (b, "feedback_rate_bottom", feedback_bottom);
    add_ranking (b, "completion_rate_bottom", completion_bottom);
    add_ranking (b, "dispatched_top", busiest);
    json_builder_set_member_name (b, "linkage_alarms_yoy_top");
    json_builder_begin_array (b);
    for (guint i = 0; i < risers->len; i++)
      json_builder_add_string_value (b, ((LdReportRegion *) g_ptr_array_index (risers, i))->code);
    json_builder_end_array (b);
  }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "diversions");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->regions->len; i++)
    {
      LdReportRegion *r = g_ptr_array_index (self->regions, i);
      for (guint p = 0; p < LD_N_PLATFORMS; p++)
        {
          json_builder_begin_object (b);
          ld_json_add_string (b, "region_code", r->code);
          ld_json_add_string (b, "platform", ld_platforms[p]);
          ld_json_add_int (b, "count", r->now.diversions[p]);
          add_number (b, "count_yoy", ld_change (r->now.diversions[p], r->yoy.diversions[p]));
          add_number (b, "count_mom", ld_change (r->now.diversions[p], r->mom.diversions[p]));
          json_builder_end_object (b);
        }
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "roll_calls");
  json_builder_begin_object (b);
  ld_json_add_int (b, "calls", self->roll_calls);
  ld_json_add_int (b, "answered", self->roll_calls_answered);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "drills");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->drills->len; i++)
    {
      LdDrillResult *d = g_ptr_array_index (self->drills, i);
      g_autofree char *held = ld_time_format_iso (d->held_at, self->tz);

      json_builder_begin_object (b);
      ld_json_add_string (b, "id", d->id);
      ld_json_add_string (b, "region_code", d->region_code);
      ld_json_add_string (b, "held_at", held);
      ld_json_add_string (b, "location", d->location);
      ld_json_add_string (b, "scenario", d->scenario);
      ld_json_add_int (b, "late", d->late);
      json_builder_set_member_name (b, "units");
      json_builder_begin_array (b);
      for (guint j = 0; j < d->units->len; j++)
        {
          LdDrillResultUnit *du = g_ptr_array_index (d->units, j);
          json_builder_begin_object (b);
          ld_json_add_string (b, "code", du->code);
          ld_json_add_string (b, "name", du->name);
          json_builder_set_member_name (b, "arrival_s");
          if (du->arrival_s < 0)
            json_builder_add_null_value (b);
          else
            json_builder_add_int_value (b, du->arrival_s);
          json_builder_set_member_name (b, "late");
          json_builder_add_boolean_value (b, du->late);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}

/* CSV: one row per region and per unit, the same columns for both, so a
 * spreadsheet can filter on the first. */

static void
csv_number (GString *line, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append_c (line, ',');
  if (!isnan (value))
    g_string_append (line, g_ascii_formatd (buf, sizeof buf, "%.4f", value));
}

static void
csv_orders (GString *line, const LdOrderCounts *now, const LdOrderCounts *yoy, const LdOrderCounts *mom)
{
  for (guint i = 0; ld_order_count_metrics[i]; i++)
    {
      guint v = ld_order_counts_get (now, ld_order_count_metrics[i]);
      g_string_append_printf (line, ",%u", v);
      csv_number (line, ld_change (v, ld_order_counts_get (yoy, ld_order_count_metrics[i])));
      csv_number (line, ld_change (v, ld_order_counts_get (mom, ld_order_count_metrics[i])));
    }
  for (guint i = 0; ld_order_rate_metrics[i]; i++)
    csv_number (line, ld_order_counts_rate (now, ld_order_rate_metrics[i]));
}

char *
ld_report_to_csv (LdReport *self)
{
  GString *out = g_string_new ("scope,code,name,parent_or_region");

  for (guint i = 0; ld_region_count_metrics[i]; i++)
    g_string_append_printf (out, ",%s,%s_yoy,%s_mom", ld_region_count_metrics[i],
                            ld_region_count_metrics[i], ld_region_count_metrics[i]);
  for (guint i = 0; ld_order_count_metrics[i]; i++)
    g_string_append_printf (out, ",%s,%s_yoy,%s_mom", ld_order_count_metrics[i],
                            ld_order_count_metrics[i], ld_order_count_metrics[i]);
  for (guint i = 0; ld_order_rate_metrics[i]; i++)
    g_string_append_printf (out, ",%s", ld_order_rate_metrics[i]);
  g_string_append (out, "\r\n");

  for (guint i = 0; i < self->regions->len; i++)
    {
      LdReportRegion *r = g_ptr_array_index (self->regions, i);

      g_string_append (out, "region,");
      ld_csv_append_field (out, r->code);
      g_string_append_c (out, ',');
      ld_csv_append_field (out, r->name);
      g_string_append_c (out, ',');
      ld_csv_append_field (out, r->parent_code);
      for (guint j = 0; ld_region_count_metrics[j]; j++)
        {
          guint v = ld_region_counts_get (&r->now, ld_region_count_metrics[j]);
          g_string_append_printf (out, ",%u", v);
          csv_number (out, ld_change (v, ld_region_counts_get (&r->yoy, ld_region_count_metrics[j])));
          csv_number (out, ld_change (v, ld_region_counts_get (&r->mom, ld_region_count_metrics[j])));
        }
      csv_orders (out, &r->now.orders, &r->yoy.orders, &r->mom.orders);
      g_string_append (out, "\r\n");
    }
  for (guint i = 0; i < self->units->len; i++)
    {
      LdReportUnit *u = g_ptr_array_index (self->units, i);

      g_string_append (out, "unit,");
      ld_csv_append_field (out, u->code);
      g_string_append_c (out, ',');
      ld_csv_append_field (out, u->name);
      g_string_append_c (out, ',');
      ld_csv_append_field (out, u->region_code);
      for (guint j = 0; ld_region_count_metrics[j]; j++)
        g_string_append (out, ",,,");
      csv_orders (out, &u->now, &u->yoy, &u->mom);
      g_string_append (out, "\r\n");
    }
  return g_string_free (out, FALSE);
}

/* Text: the bulletin's narrative, in the structure of seed 000. */

static char *
format_date (GTimeZone *tz, gint64 at)
{
  int y, mo, d, h, mi, s;
  ld_time_to_local (at, tz, &y, &mo, &d, &h, &mi, &s);
  /* Translators: a date: year, month, day */
  return g_strdup_printf (_("%1$d-%2$02d-%3$02d"), y, mo, d);
}

static char *
period_label (LdReport *self)
{
  int y, m;
  if (ld_period_is_month (&self->period, self->tz, &y, &m))
    /* Translators: a month of the year, as bulletins open: "In month 11, …" */
    return g_strdup_printf (_("month %d"), m);
  return format_date (self->tz, self->period.start);
}

/* The report region as the narrative names it: 全市 for the whole center. */
static const char *
scope_label (LdReport *self)
{
  LdReportRegion *scope = ld_report_get_scope (self);
  return scope->parent_code == NULL ? _("the whole city") : scope->name;
}

static char *
join (GPtrArray *items)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < items->len; i++)
    {
      if (i > 0)
        g_string_append (s, C_("list separator", ", "));
      g_string_append (s, g_ptr_array_index (items, i));
    }
  return g_string_free (s, FALSE);
}

static void
table_row (GString *out, GPtrArray *cells)
{
  for (guint i = 0; i < cells->len; i++)
    g_string_append_printf (out, "%s | ", (const char *) g_ptr_array_index (cells, i));
  g_string_truncate (out, out->len - 1);
  g_string_append_c (out, '\n');
}

static GPtrArray *
new_row (const char *first)
{
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (row, g_strdup (first));
  return row;
}

/* The scope and its children: the columns of the seed's tables. */
static GPtrArray *
table_regions (LdReport *self)
{
  GPtrArray *regions = g_ptr_array_new ();
  for (guint i = 0; i < self->regions->len; i++)
    {
      LdReportRegion *r = g_ptr_array_index (self->regions, i);
      if (r->depth <= 1)
        g_ptr_array_add (regions, r);
    }
  return regions;
}

static void
region_table (LdReport *self, GString *out, const char *metric)
{
  g_autoptr(GPtrArray) regions = table_regions (self);
  g_autoptr(GPtrArray) header = new_row (_("Region"));
  g_autoptr(GPtrArray) values = new_row (_("This period"));
  g_autoptr(GPtrArray) yoy = new_row (_("YoY"));

  for (guint i = 0; i < regions->len; i++)
    {
      LdReportRegion *r = g_ptr_array_index (regions, i);
      guint v = ld_region_counts_get (&r->now, metric);

      g_ptr_array_add (header, g_strdup (r->depth == 0 ? scope_label (self) : r->name));
      g_ptr_array_add (values, g_strdup_printf ("%u", v));
      g_ptr_array_add (yoy, ld_format_rate (ld_change (v, ld_region_counts_get (&r->yoy, metric))));
    }
  table_row (out, header);
  table_row (out, values);
  table_row (out, yoy);
}

static char *
risers_sentence (LdReport *self, const char *metric)
{
  g_autoptr(GPtrArray) risers = ld_report_rank_risers (self, metric, 3);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *list = NULL;

  if (risers->len == 0)
    return g_strdup ("");
  for (guint i = 0; i < risers->len; i++)
    g_ptr_array_add (names, ((LdReportRegion *) g_ptr_array_index (risers, i))->name);
  list = join (names);
  return g_strdup_printf (_("The largest rises: %s. "), list);
}

typedef struct {
  const char   *category;
  LdOrderCounts now;
  LdOrderCounts yoy;
} CategorySum;

static int
compare_category_load (gconstpointer a, gconstpointer b)
{
  const CategorySum *ca = a, *cb = b;
  if (ca->now.dispatched != cb->now.dispatched)
    return ca->now.dispatched > cb->now.dispatched ? -1 : 1;
  return g_strcmp0 (ca->category, cb->category);
}

static int
compare_category_fall (gconstpointer a, gconstpointer b)
{
  const CategorySum *ca = a, *cb = b;
  double va = ld_change (ca->now.dispatched, ca->yoy.dispatched);
  double vb = ld_change (cb->now.dispatched, cb->yoy.dispatched);
  if (va != vb)
    return va < vb ? -1 : 1;
  return g_strcmp0 (ca->category, cb->category);
}

static void
section_workload (LdReport *self, GString *out, const char *when, const char *where)
{
  g_autoptr(GArray) sums = g_array_new (FALSE, TRUE, sizeof (CategorySum));
  g_autoptr(GPtrArray) top = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) falls = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *top_text = NULL, *fall_text = NULL;
  LdReportRegion *scope = ld_report_get_scope (self);

  for (guint i = 0; i < self->units->len; i++)
    {
      LdReportUnit *u = g_ptr_array_index (self->units, i);
      CategorySum *sum = NULL;

      if (g_strcmp0 (u->category, "police") == 0)
        continue;
      for (guint j = 0; j < sums->len && sum == NULL; j++)
        if (g_str_equal (g_array_index (sums, CategorySum, j).category, u->category))
          sum = &g_array_index (sums, CategorySum, j);
      if (sum == NULL)
        {
          CategorySum fresh = { u->category, };
          g_array_append_val (sums, fresh);
          sum = &g_array_index (sums, CategorySum, sums->len - 1);
        }
      ld_order_counts_add (&sum->now, &u->now);
      ld_order_counts_add (&sum->yoy, &u->yoy);
    }

  g_array_sort (sums, compare_category_load);
  for (guint i = 0; i < MIN (3, sums->len); i++)
    {
      CategorySum *c = &g_array_index (sums, CategorySum, i);
      if (c->now.dispatched > 0)
        g_ptr_array_add (top, g_strdup_printf (_("%s %u times"), ld_unit_category_label (c->category),
                                               c->now.dispatched));
    }
  g_array_sort (sums, compare_category_fall);
  for (guint i = 0; i < sums->len && falls->len < 3; i++)
    {
      CategorySum *c = &g_array_index (sums, CategorySum, i);
      double change = ld_change (c->now.dispatched, c->yoy.dispatched);
      g_autofree char *change_text = NULL;

      if (isnan (change) || change >= 0)
        continue;
      change_text = ld_format_change (change);
      g_ptr_array_add (falls, g_strdup_printf (_("%s %u (%s YoY)"), ld_unit_category_label (c->category),
                                               c->now.dispatched, change_text));
    }
  top_text = join (top);
  fall_text = falls->len ? join (falls) : g_strdup (_("none"));
  g_string_append_printf (out,
    _("In %1$s, %2$s carried out %3$u linkage handlings in which linkage units took part. "
      "The largest workloads: %4$s; the largest falls year on year: %5$s.\n"),
    when, where, scope->now.handled_by_units, top_text, fall_text);
}

static void
section_repeat (LdReport *self, GString *out, const char *when, const char *target)
{
  g_autoptr(GPtrArray) busiest = ld_report_rank_units (self, "dispatched", TRUE, MAIN_UNITS);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) header = new_row (_("Linkage unit"));
  g_autoptr(GPtrArray) orders = new_row (_("Orders"));
  g_autoptr(GPtrArray) repeats = new_row (_("Repeat calls"));
  g_autoptr(GPtrArray) rates = new_row (_("Repeat rate"));
  g_autofree char *list = NULL;
  RankBy by = { "repeat_rate", TRUE };

  g_ptr_array_sort_with_data (busiest, compare_rank, &by);
  for (guint i = 0; i < busiest->len; i++)
    {
      LdReportUnit *u = g_ptr_array_index (busiest, i);
      g_autofree char *rate = ld_format_rate (ld_order_counts_rate (&u->now, "repeat_rate"));

      if (i < 3)
        g_ptr_array_add (items, g_strdup_printf (_("%s %s"), u->name, rate));
      g_ptr_array_add (header, g_strdup (u->name));
      g_ptr_array_add (orders, g_strdup_printf ("%u", u->now.dispatched));
      g_ptr_array_add (repeats, g_strdup_printf ("%u", u->now.repeat_calls));
      g_ptr_array_add (rates, g_steal_pointer (&rate));
    }
  list = join (items);
  g_string_append_printf (out,
    _("In %1$s, counting callers who called again 8 minutes to 72 hours later, among the %2$u main "
      "linkage units with the most orders the highest repeat-call rates were: %3$s. Every linkage "
      "unit must keep its repeat-call rate within %4$s.\n"),
    when, busiest->len, list, target);
  table_row (out, header);
  table_row (out, orders);
  table_row (out, repeats);
  table_row (out, rates);
}

static void
section_sign_feedback (LdReport *self, GString *out, const char *when, const char *target)
{
  g_autoptr(GPtrArray) sign = ld_report_rank_units (self, "sign_rate", FALSE, 3);
  g_autoptr(GPtrArray) feedback = ld_report_rank_units (self, "feedback_rate", FALSE, 3);
  g_autoptr(GPtrArray) sign_items = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) feedback_items = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) header = new_row (_("Linkage unit"));
  g_autofree char *sign_text = NULL, *feedback_text = NULL;

  for (guint i = 0; i < sign->len; i++)
    {
      LdReportUnit *u = g_ptr_array_index (sign, i);
      g_autofree char *rate = ld_format_rate (ld_order_counts_rate (&u->now, "sign_rate"));
      g_ptr_array_add (sign_items, g_strdup_printf (_("%s %s"), u->name, rate));
    }
  for (guint i = 0; i < feedback->len; i++)
    {
      LdReportUnit *u = g_ptr_array_index (feedback, i);
      g_autofree char *rate = ld_format_rate (ld_order_counts_rate (&u->now, "feedback_rate"));
      g_ptr_array_add (feedback_items, g_strdup_printf (_("%s %s"), u->name, rate));
    }
  sign_text = join (sign_items);
  feedback_text = join (feedback_items);
  g_string_append_printf (out,
    _("In %1$s, the lowest sign rates of the main linkage units were: %2$s; the lowest feedback "
      "rates: %3$s. Every linkage unit must keep watch, sign and report back so that both rates "
      "reach %4$s.\n"),
    when, sign_text, feedback_text, target);

  g_ptr_array_add (header, g_strdup (_("Orders")));
  g_ptr_array_add (header, g_strdup (_("Sign rate")));
  g_ptr_array_add (header, g_strdup (_("Feedback rate")));
  table_row (out, header);
  for (guint i = 0; i < self->units->len; i++)
    {
      LdReportUnit *u = g_ptr_array_index (self->units, i);
      g_autoptr(GPtrArray) row = NULL;

      if (u->now.dispatched == 0 || g_strcmp0 (u->category, "police") == 0)
        continue;
      row = new_row (u->name);
      g_ptr_array_add (row, g_strdup_printf ("%u", u->now.dispatched));
      g_ptr_array_add (row, ld_format_rate (ld_order_counts_rate (&u->now, "sign_rate")));
      g_ptr_array_add (row, ld_format_rate (ld_order_counts_rate (&u->now, "feedback_rate")));
      table_row (out, row);
    }
}

static void
section_diversions (LdReport *self, GString *out, const char *when, const char *where)
{
  LdReportRegion *scope = ld_report_get_scope (self);
  g_autoptr(GPtrArray) regions = table_regions (self);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) header = new_row (_("Region"));
  g_autofree char *list = NULL;
  g_autofree char *share = ld_format_rate (ld_rate (scope->now.diverted, scope->now.incidents));

  for (guint p = 0; p < LD_N_PLATFORMS; p++)
    g_ptr_array_add (items, g_strdup_printf (_("%s %u"), ld_platform_label (ld_platforms[p]),
                                             scope->now.diversions[p]));
  list = join (items);
  g_string_append_printf (out,
    _("In %1$s, the 110 desks of %2$s diverted %3$u non-emergency calls to other platforms, %4$s "
      "of all incidents received. Of these: %5$s.\n"),
    when, where, scope->now.diverted, share, list);

  g_ptr_array_add (header, g_strdup (_("Platform")));
  for (guint i = 0; i < regions->len; i++)
    {
      LdReportRegion *r = g_ptr_array_index (regions, i);
      g_ptr_array_add (header, g_strdup (r->depth == 0 ? scope_label (self) : r->name));
    }
  table_row (out, header);
  for (guint p = 0; p <= LD_N_PLATFORMS; p++)
    {
      const char *label = p == 0 ? _("All diversions") : ld_platform_label (ld_platforms[p - 1]);
      g_autoptr(GPtrArray) values = new_row (label);
      g_autoptr(GPtrArray) yoy = new_row ("");
      g_autoptr(GPtrArray) mom = new_row ("");

      g_ptr_array_add (values, g_strdup (_("This period")));
      g_ptr_array_add (yoy, g_strdup (_("YoY")));
      g_ptr_array_add (mom, g_strdup (_("MoM")));
      for (guint i = 0; i < regions->len; i++)
        {
          LdReportRegion *r = g_ptr_array_index (regions, i);
          guint now = p == 0 ? r->now.diverted : r->now.diversions[p - 1];
          guint year = p == 0 ? r->yoy.diverted : r->yoy.diversions[p - 1];
          guint prev = p == 0 ? r->mom.diverted : r->mom.diversions[p - 1];

          g_ptr_array_add (values, g_strdup_printf ("%u", now));
          g_ptr_array_add (yoy, ld_format_rate (ld_change (now, year)));
          g_ptr_array_add (mom, ld_format_rate (ld_change (now, prev)));
        }
      table_row (out, values);
      table_row (out, yoy);
      table_row (out, mom);
    }
}

static void
section_drills (LdReport *self, GString *out, const char *when)
{
  guint late = 0;

  for (guint i = 0; i < self->drills->len; i++)
    late += ((LdDrillResult *) g_ptr_array_index (self->drills, i))->late;
  g_string_append_printf (out,
    g_dngettext (GETTEXT_PACKAGE,
                 "In %1$s, %2$u simulated-alarm drill was held; %3$u units did not arrive within the time limit.\n",
                 "In %1$s, %2$u simulated-alarm drills were held; %3$u units did not arrive within the time limit.\n",
                 self->drills->len),
    when, self->drills->len, late);

  for (guint i = 0; i < self->drills->len; i++)
    {
      LdDrillResult *d = g_ptr_array_index (self->drills, i);
      g_autofree char *date = format_date (self->tz, d->held_at);
      g_autoptr(GPtrArray) header = new_row (_("Region"));
      g_autoptr(GPtrArray) row = new_row (d->region_name ? d->region_name : "");

      g_string_append_printf (out, _("%1$s, %2$s: %3$s\n"), date, d->location ? d->location : "",
                              d->scenario ? d->scenario : "");
      for (guint j = 0; j < d->units->len; j++)
        {
          LdDrillResultUnit *du = g_ptr_array_index (d->units, j);
          g_ptr_array_add (header, g_strdup (du->name));
          g_ptr_array_add (row, g_strdup (du->arrival_text));
        }
      g_ptr_array_add (header, g_strdup (_("Not on time")));
      g_ptr_array_add (row, g_strdup_printf ("%u", d->late));
      table_row (out, header);
      table_row (out, row);
    }
}

static void
section_problems (LdReport *self, GString *out, const char *target_sign, const char *target_repeat)
{
  g_autoptr(GPtrArray) low = g_ptr_array_new ();
  g_autoptr(GPtrArray) repeat = g_ptr_array_new ();
  g_autoptr(GPtrArray) late = g_ptr_array_new_with_free_func (g_free);
  /* A repeat rate means something only over many orders: the problem is
   * raised for the main units of (四), as seed 000 does. */
  g_autoptr(GPtrArray) main_units = ld_report_rank_units (self, "dispatched", TRUE, MAIN_UNITS);
  guint n = 0;

  for (guint i = 0; i < self->units->len; i++)
    {
      LdReportUnit *u = g_ptr_array_index (self->units, i);
      g_autoptr(GPtrArray) alerts = unit_alerts (self, u);

      if (g_ptr_array_find_with_equal_func (alerts, "sign_rate", g_str_equal, NULL) ||
          g_ptr_array_find_with_equal_func (alerts, "feedback_rate", g_str_equal, NULL))
        g_ptr_array_add (low, u->name);
      if (g_ptr_array_find_with_equal_func (alerts, "repeat_rate", g_str_equal, NULL) &&
          g_ptr_array_find (main_units, u, NULL))
        g_ptr_array_add (repeat, u->name);
    }
  for (guint i = 0; i < self->drills->len; i++)
    {
      LdDrillResult *d = g_ptr_array_index (self->drills, i);
      for (guint j = 0; j < d->units->len; j++)
        {
          LdDrillResultUnit *du = g_ptr_array_index (d->units, j);
          if (du->late)
            g_ptr_array_add (late, g_strdup_printf (_("%s (%s)"), du->name, du->arrival_text));
        }
    }

  if (low->len)
    {
      g_autofree char *names = join (low);
      g_string_append_printf (out, "%u. ", ++n);
      g_string_append_printf (out,
        _("This period the sign or feedback rates of %1$s were below target. %1$s must examine the "
          "causes and keep watch, sign and report back so that both rates reach %2$s and every order "
          "is closed.\n"),
        names, target_sign);
    }
  if (repeat->len)
    {
      g_autofree char *names = join (repeat);
      g_string_append_printf (out, "%u. ", ++n);
      g_string_append_printf (out,
        _("This period the repeat-call rates of %1$s were above %2$s. %1$s must take this seriously, "
          "analyse the causes and act so that the repeat-call rate stays within %2$s.\n"),
        names, target_repeat);
    }
  if (late->len)
    {
      g_autofree char *names = join (late);
      g_string_append_printf (out, "%u. ", ++n);
      g_string_append_printf (out, _("In the drills of this period, %s did not arrive within the time limit.\n"),
                              names);
    }
  if (n == 0)
    g_string_append (out, _("No unit missed a target this period.\n"));
}

/* Targets read as the seeds write them: "14%", "100%", "95.5%". */
static char *
format_target (double target)
{
  char *text = ld_format_rate (target);
  char *dot = strchr (text, '.');

  if (dot && g_str_equal (dot, ".00%"))
    strcpy (dot, "%");
  return text;
}

char *
ld_report_to_text (LdReport *self)
{
  LdReportRegion *scope = ld_report_get_scope (self);
  GString *out = g_string_new (NULL);
  g_autofree char *when = period_label (self);
  g_autofree char *yoy_alarms = ld_format_change (ld_change (scope->now.linkage_alarms, scope->yoy.linkage_alarms));
  g_autofree char *yoy_handled = ld_format_change (ld_change (scope->now.handled, scope->yoy.handled));
  g_autofree char *share = ld_format_rate (ld_rate (scope->now.linkage_alarms, scope->now.incidents_110));
  g_autofree char *risers_alarms = risers_sentence (self, "linkage_alarms");
  g_autofree char *risers_handled = risers_sentence (self, "handled");
  g_autofree char *target_repeat = format_target (self->targets[T_REPEAT]);
  g_autofree char *target_sign = format_target (self->targets[T_SIGN]);
  g_autofree char *first = format_date (self->tz, self->period.start);
  g_autofree char *last = format_date (self->tz, self->period.end - 24 * 3600 * LD_USEC_PER_S);
  g_autofree char *issued = format_date (self->tz, self->generated_at);
  const char *where = scope_label (self);

  g_string_append_printf (out, _("Emergency linkage work of %1$s: bulletin for %2$s\n\n"), scope->name, when);

  g_string_append_printf (out, "%s\n", _("I. Operations"));
  g_string_append_printf (out, "%s\n", _("(1) Linkage alarms"));
  g_string_append_printf (out,
    _("In %1$s, %2$s received %3$u linkage alarms of all kinds, %4$s year on year, %5$s of the 110 "
      "incidents it handled. "),
    when, where, scope->now.linkage_alarms, yoy_alarms, share);
  g_string_append_printf (out, "%s\n", risers_alarms);
  region_table (self, out, "linkage_alarms");

  g_string_append_printf (out, "%s\n", _("(2) Linkage incidents handled"));
  g_string_append_printf (out,
    _("In %1$s, %2$s carried out %3$u emergency linkage handlings (police and linkage units), %4$s "
      "year on year. "),
    when, where, scope->now.handled, yoy_handled);
  g_string_append_printf (out, "%s\n", risers_handled);
  region_table (self, out, "handled");

  g_string_append_printf (out, "%s\n", _("(3) Workload of the main linkage units"));
  section_workload (self, out, when, where);

  g_string_append_printf (out, "%s\n", _("(4) Repeat-call rates of the main linkage units"));
  section_repeat (self, out, when, target_repeat);

  g_string_append_printf (out, "%s\n", _("(5) Sign and feedback rates of the main linkage units"));
  section_sign_feedback (self, out, when, target_sign);

  g_string_append_printf (out, "%s\n", _("(6) Diversion to other platforms"));
  section_diversions (self, out, when, where);

  g_string_append_printf (out, "%s\n", _("(7) Simulated-alarm drills"));
  section_drills (self, out, when);

  g_string_append_printf (out, "\n%s\n", _("II. Roll call"));
  if (self->roll_calls == 0)
    g_string_append_printf (out, "%s\n", _("No roll calls were recorded this period."));
  else if (self->roll_calls == self->roll_calls_answered)
    g_string_append_printf (out,
      _("The center called the duty liaisons of the linkage units %u times; every call was answered in time.\n"),
      self->roll_calls);
  else
    g_string_append_printf (out,
      _("The center called the duty liaisons of the linkage units %1$u times; %2$u calls went unanswered.\n"),
      self->roll_calls, self->roll_calls - self->roll_calls_answered);

  g_string_append_printf (out, "\n%s\n", _("III. Problems"));
  section_problems (self, out, target_sign, target_repeat);

  g_string_append_printf (out, "\n%s\n%s\n", self->center_name, issued);
  g_string_append_printf (out, _("(Period: %1$s to %2$s)\n"), first, last);

  g_string_append_printf (out, "\n%s\n", _("Notes"));
  g_string_append_printf (out, "%s\n", _("Sign rate = orders signed / orders dispatched in the period."));
  g_string_append_printf (out, "%s\n", _("Feedback rate = orders with at least one feedback / orders dispatched."));
  g_string_append_printf (out, "%s\n", _("Completion rate = orders completed / orders dispatched."));
  g_string_append_printf (out, "%s\n",
    _("Repeat-call rate = orders whose caller called again 8 minutes to 72 hours after the incident / orders dispatched."));
  g_string_append_printf (out, "%s\n",
    _("Linkage alarms = linkage incidents received from 110; handled = linkage incidents of any source; YoY and MoM compare with the same period a year before and with the period before."));
  g_string_append_printf (out, "%s\n",
    _("Drill arrival time = arrival − alarm; a unit is late past its limit (20 minutes unless set)."));

  return g_string_free (out, FALSE);
}

char *
ld_report_render (LdReport *self, const char *format)
{
  if (g_strcmp0 (format, "json") == 0)
    return ld_report_to_json (self);
  if (g_strcmp0 (format, "csv") == 0)
    return ld_report_to_csv (self);
  if (g_strcmp0 (format, "text") == 0)
    return ld_report_to_text (self);
  return NULL;
}
