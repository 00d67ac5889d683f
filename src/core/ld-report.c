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

#include "ld-json.h"
#include "ld-report.h"
#include "ld-store-private.h"

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
  GPtrArray  *bounced;        /* LdIncidentOrders returned twice or more */
  guint       roll_calls;
  guint       roll_calls_answered;
  double      targets[5];
};

G_DEFINE_FINAL_TYPE (LdReport, ld_report, G_TYPE_OBJECT)

/* A month with more incidents returned twice than this has a problem the
 * list cannot show better by going on. */
#define MAX_BOUNCED 50

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
  g_clear_pointer (&self->bounced, g_ptr_array_unref);
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

/* After the units: a roll call counts where its unit does. */
static gboolean
load_roll_calls (LdReport *self, LdStore *store, GError **error)
{
  g_autoptr(GHashTable) counts = ld_store_count_roll_calls (store, &self->period, self->generated_at, error);

  if (counts == NULL)
    return FALSE;
  for (guint i = 0; i < self->units->len; i++)
    {
      LdReportUnit *u = g_ptr_array_index (self->units, i);
      LdRollCallCounts *c = g_hash_table_lookup (counts, u->code);

      if (c == NULL)
        continue;
      u->roll_calls = *c;
      self->roll_calls += c->calls;
      self->roll_calls_answered += c->answered;
    }
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
      result = ld_drill_result_new (store, drill, self->generated_at, error);
      if (result == NULL)
        return FALSE;
      /* A drill planned but not held is in no count. */
      if (!ld_drill_result_is_held (result))
        {
          ld_drill_result_free (result);
          continue;
        }
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

  if (!load_roll_calls (self, store, error) || !load_drills (self, store, scope->code, error))
    return NULL;
  self->bounced = ld_store_list_bounced_incidents (store, &self->period, scope->code, MAX_BOUNCED, error);
  if (self->bounced == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

const LdPeriod *
ld_report_get_period (LdReport *self)
{
  return &self->period;
}

GTimeZone *
ld_report_get_time_zone (LdReport *self)
{
  return self->tz;
}

gint64
ld_report_get_generated_at (LdReport *self)
{
  return self->generated_at;
}

const char *
ld_report_get_center_name (LdReport *self)
{
  return self->center_name;
}

double
ld_report_get_target (LdReport *self, const char *metric)
{
  for (guint i = 0; i < G_N_ELEMENTS (target_metrics); i++)
    if (g_str_equal (target_metrics[i], metric))
      return self->targets[i];
  g_return_val_if_reached (NAN);
}

void
ld_report_get_roll_calls (LdReport *self, guint *calls, guint *answered)
{
  *calls = self->roll_calls;
  *answered = self->roll_calls_answered;
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
ld_report_get_bounced_incidents (LdReport *self)
{
  return self->bounced;
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

GPtrArray *
ld_report_unit_alerts (LdReport *self, const LdReportUnit *u)
{
  GPtrArray *alerts = g_ptr_array_new ();
  double repeat = ld_order_counts_rate (&u->now, "repeat_rate");

  if (u->now.dispatched == 0 || g_strcmp0 (u->category, "police") == 0)
    return alerts;
  if (repeat > self->targets[T_REPEAT])
    g_ptr_array_add (alerts, (gpointer) "repeat_rate");
  if (ld_order_counts_rate (&u->now, "sign_rate") < self->targets[T_SIGN])
    g_ptr_array_add (alerts, (gpointer) "sign_rate");
  if (ld_order_counts_rate (&u->now, "feedback_rate") < self->targets[T_FEEDBACK])
    g_ptr_array_add (alerts, (gpointer) "feedback_rate");
  if (ld_order_counts_rate (&u->now, "completion_rate") < self->targets[T_COMPLETION])
    g_ptr_array_add (alerts, (gpointer) "completion_rate");
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
      g_autoptr(GPtrArray) alerts = ld_report_unit_alerts (self, u);

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
  ld_json_add_int (b, "unanswered", self->roll_calls - self->roll_calls_answered);
  json_builder_set_member_name (b, "units");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->units->len; i++)
    {
      LdReportUnit *u = g_ptr_array_index (self->units, i);

      if (u->roll_calls.calls == 0)
        continue;
      json_builder_begin_object (b);
      ld_json_add_string (b, "code", u->code);
      ld_json_add_string (b, "name", u->name);
      ld_json_add_int (b, "calls", u->roll_calls.calls);
      ld_json_add_int (b, "answered", u->roll_calls.answered);
      ld_json_add_int (b, "unanswered", u->roll_calls.unanswered);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "returned_incidents");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->bounced->len; i++)
    {
      LdIncidentOrders *item = g_ptr_array_index (self->bounced, i);
      g_autofree char *received = ld_time_format_iso (item->incident->received_at, self->tz);

      json_builder_begin_object (b);
      ld_json_add_string (b, "id", item->incident->id);
      ld_json_add_string (b, "received_at", received);
      ld_json_add_string (b, "address", item->incident->address);
      ld_json_add_int (b, "returns", item->incident->returns);
      json_builder_set_member_name (b, "returned_by");
      json_builder_begin_array (b);
      for (guint j = 0; j < item->orders->len; j++)
        {
          LdOrder *o = g_ptr_array_index (item->orders, j);
          g_autofree char *returned = NULL;

          if (o->returned_at == LD_TIME_NONE)
            continue;
          returned = ld_time_format_iso (o->returned_at, self->tz);
          json_builder_begin_object (b);
          ld_json_add_string (b, "unit_code", o->unit_code);
          ld_json_add_string (b, "returned_at", returned);
          ld_json_add_string (b, "reason", o->return_reason);
          ld_json_add_string (b, "duty_unit_code", o->duty_unit_code);
          ld_json_add_string (b, "ruling", o->return_ruling);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

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
