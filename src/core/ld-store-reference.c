/* ld-store-reference.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Reference data: regions, units and categories, the caches the other
 * areas look them up in, and the deadlines they set. */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ld-store-area.h"

/* Reads the columns from @first on; @first is 0 unless a join puts other
 * records before it. */
LdUnit *
ld_store_unit_from_columns (sqlite3_stmt *stmt, int first)
{
  LdUnit *u = g_new0 (LdUnit, 1);
  u->code = ld_column_dup (stmt, first);
  u->name = ld_column_dup (stmt, first + 1);
  u->tier = sqlite3_column_int (stmt, first + 2);
  u->category = ld_column_dup (stmt, first + 3);
  u->region_code = ld_column_dup (stmt, first + 4);
  u->phone = ld_column_dup (stmt, first + 5);
  u->lat = ld_column_coord (stmt, first + 6);
  u->lon = ld_column_coord (stmt, first + 7);
  u->inactive = sqlite3_column_int (stmt, first + 8);
  u->limits.sign_s = sqlite3_column_int (stmt, first + 9);
  u->limits.arrive_s = sqlite3_column_int (stmt, first + 10);
  u->limits.feedback_s = sqlite3_column_int (stmt, first + 11);
  u->limits.result_s = sqlite3_column_int (stmt, first + 12);
  return u;
}

static LdUnit *
unit_from_row (sqlite3_stmt *stmt)
{
  return ld_store_unit_from_columns (stmt, 0);
}

static LdCategory *
category_from_row (sqlite3_stmt *stmt)
{
  LdCategory *c = g_new0 (LdCategory, 1);
  c->code = ld_column_dup (stmt, 0);
  c->name = ld_column_dup (stmt, 1);
  c->mode = ld_column_dup (stmt, 2);
  c->platform = ld_column_dup (stmt, 3);
  c->unit_categories = ld_column_dup (stmt, 4);
  c->limits.sign_s = sqlite3_column_int (stmt, 5);
  c->limits.arrive_s = sqlite3_column_int (stmt, 6);
  c->limits.feedback_s = sqlite3_column_int (stmt, 7);
  c->limits.result_s = sqlite3_column_int (stmt, 8);
  return c;
}

#define CATEGORY_COLUMNS "code, name, mode, platform, unit_categories," \
                         " sign_limit_s, arrive_limit_s, feedback_limit_s, result_limit_s"

void
ld_store_invalidate_caches (LdStore *self)
{
  g_clear_pointer (&self->units, g_hash_table_unref);
  g_clear_pointer (&self->categories, g_hash_table_unref);
  g_clear_pointer (&self->parents, g_hash_table_unref);
  g_clear_pointer (&self->geo_index, ld_geo_index_free);
  g_clear_pointer (&self->limits, g_hash_table_unref);
}

void
ld_store_ensure_caches (LdStore *self)
{
  sqlite3_stmt *stmt;

  if (self->units != NULL)
    return;

  self->units = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) ld_unit_free);
  stmt = ld_store_prepare (self, "SELECT " UNIT_COLUMNS " FROM unit", NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      LdUnit *u = unit_from_row (stmt);
      g_hash_table_insert (self->units, u->code, u);
    }
  sqlite3_reset (stmt);

  self->categories = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) ld_category_free);
  stmt = ld_store_prepare (self, "SELECT " CATEGORY_COLUMNS " FROM category", NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      LdCategory *c = category_from_row (stmt);
      g_hash_table_insert (self->categories, c->code, c);
    }
  sqlite3_reset (stmt);

  self->limits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->parents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->geo_index = ld_geo_index_new ();
  stmt = ld_store_prepare (self, "SELECT code, parent_code, boundary FROM region", NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *code = (const char *) sqlite3_column_text (stmt, 0);
      const char *boundary = (const char *) sqlite3_column_text (stmt, 2);

      g_hash_table_insert (self->parents, g_strdup (code), ld_column_dup (stmt, 1));
      if (boundary)
        {
          g_autoptr(LdBoundary) b = ld_boundary_new_from_geojson (boundary, LD_DATUM_WGS84, NULL);
          if (b)
            ld_geo_index_add (self->geo_index, code, b);
        }
    }
  sqlite3_reset (stmt);
}

const LdUnit *
ld_store_lookup_unit (LdStore *self, const char *code)
{
  ld_store_ensure_caches (self);
  return code ? g_hash_table_lookup (self->units, code) : NULL;
}

gboolean
ld_store_unit_is_police (LdStore *self, const char *code)
{
  const LdUnit *u = ld_store_lookup_unit (self, code);
  return u && g_strcmp0 (u->category, "police") == 0;
}

gboolean
ld_store_put_region (LdStore *self, const LdRegion *region, LdBoundary *boundary, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  g_autofree char *geojson = NULL;

  if (region->code == NULL || *region->code == '\0' || region->name == NULL || *region->name == '\0')
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("A region needs a code and a name"));
      return FALSE;
    }
  if (g_strcmp0 (region->code, region->parent_code) == 0 ||
      (region->parent_code && ld_store_region_is_within (self, region->parent_code, region->code)))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("Region %s cannot be inside itself"), region->code);
      return FALSE;
    }

  stmt = ld_store_prepare (self,
    "INSERT INTO region (code, name, parent_code, boundary) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (code) DO UPDATE SET name = ?2, parent_code = ?3,"
    "   boundary = coalesce(?4, boundary)", error);
  if (stmt == NULL)
    return FALSE;
  if (boundary)
    geojson = ld_boundary_to_geojson (boundary);
  ld_bind_text (stmt, 1, region->code);
  ld_bind_text (stmt, 2, region->name);
  ld_bind_text (stmt, 3, region->parent_code);
  ld_bind_text (stmt, 4, geojson);
  ld_store_invalidate_caches (self);
  if (!ld_store_step_done (self, stmt, &local_error))
    {
      /* The only constraint a valid row can break is the parent's key. */
      if (region->parent_code && g_error_matches (local_error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID))
        g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND,
                     _("Unknown parent region %s"), region->parent_code);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_limits (const LdLimits *limits, GError **error)
{
  if (limits->sign_s < 0 || limits->arrive_s < 0 || limits->feedback_s < 0 || limits->result_s < 0)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("A time limit cannot be negative"));
      return FALSE;
    }
  return TRUE;
}

gboolean
ld_store_put_unit (LdStore *self, const LdUnit *unit, GError **error)
{
  sqlite3_stmt *stmt;

  if (unit->code == NULL || *unit->code == '\0' || unit->name == NULL || *unit->name == '\0')
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("A unit needs a code and a name"));
      return FALSE;
    }
  if (unit->tier < 1 || unit->tier > 3)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("Tier must be 1, 2 or 3, not %d"), unit->tier);
      return FALSE;
    }
  if (unit->category == NULL || *unit->category == '\0')
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("Unit %s has no category"), unit->code);
      return FALSE;
    }
  if (unit->region_code)
    {
      ld_store_ensure_caches (self);
      if (!g_hash_table_contains (self->parents, unit->region_code))
        {
          g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND,
                       _("Unknown region %s"), unit->region_code);
          return FALSE;
        }
    }
  if (!check_limits (&unit->limits, error))
    return FALSE;

  stmt = ld_store_prepare (self,
    "INSERT INTO unit (" UNIT_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
    " ON CONFLICT (code) DO UPDATE SET name = ?2, tier = ?3, category = ?4, region_code = ?5,"
    "   phone = ?6, lat = ?7, lon = ?8, inactive = ?9, sign_limit_s = ?10, arrive_limit_s = ?11,"
    "   feedback_limit_s = ?12, result_limit_s = ?13", error);
  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, unit->code);
  ld_bind_text (stmt, 2, unit->name);
  sqlite3_bind_int (stmt, 3, unit->tier);
  ld_bind_text (stmt, 4, unit->category);
  ld_bind_text (stmt, 5, unit->region_code);
  ld_bind_text (stmt, 6, unit->phone);
  ld_bind_coord (stmt, 7, unit->lat);
  ld_bind_coord (stmt, 8, unit->lon);
  sqlite3_bind_int (stmt, 9, unit->inactive ? 1 : 0);
  ld_bind_limit (stmt, 10, unit->limits.sign_s);
  ld_bind_limit (stmt, 11, unit->limits.arrive_s);
  ld_bind_limit (stmt, 12, unit->limits.feedback_s);
  ld_bind_limit (stmt, 13, unit->limits.result_s);
  ld_store_invalidate_caches (self);
  return ld_store_step_done (self, stmt, error);
}

gboolean
ld_store_put_category (LdStore *self, const LdCategory *category, GError **error)
{
  sqlite3_stmt *stmt;

  if (category->code == NULL || *category->code == '\0' || category->name == NULL || *category->name == '\0')
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("A category needs a code and a name"));
      return FALSE;
    }
  if (!ld_mode_is_valid (category->mode))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("Dispatch mode must be divert, immediate or joint, not “%s”"),
                   category->mode ? category->mode : "");
      return FALSE;
    }
  if (g_str_equal (category->mode, "divert") != ld_platform_is_valid (category->platform))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("Category %s: a diverted category needs a platform (12345, 114, 96345, governance) and no other may have one"),
                   category->code);
      return FALSE;
    }
  if (!check_limits (&category->limits, error))
    return FALSE;

  stmt = ld_store_prepare (self,
    "INSERT INTO category (" CATEGORY_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    " ON CONFLICT (code) DO UPDATE SET name = ?2, mode = ?3, platform = ?4, unit_categories = ?5,"
    "   sign_limit_s = ?6, arrive_limit_s = ?7, feedback_limit_s = ?8, result_limit_s = ?9", error);
  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, category->code);
  ld_bind_text (stmt, 2, category->name);
  ld_bind_text (stmt, 3, category->mode);
  ld_bind_text (stmt, 4, category->platform);
  ld_bind_text (stmt, 5, category->unit_categories);
  ld_bind_limit (stmt, 6, category->limits.sign_s);
  ld_bind_limit (stmt, 7, category->limits.arrive_s);
  ld_bind_limit (stmt, 8, category->limits.feedback_s);
  ld_bind_limit (stmt, 9, category->limits.result_s);
  ld_store_invalidate_caches (self);
  return ld_store_step_done (self, stmt, error);
}

static gpointer
region_from_row (sqlite3_stmt *stmt)
{
  LdRegion *r = g_new0 (LdRegion, 1);
  r->code = ld_column_dup (stmt, 0);
  r->name = ld_column_dup (stmt, 1);
  r->parent_code = ld_column_dup (stmt, 2);
  return r;
}

LdRegion *
ld_store_get_region (LdStore *self, const char *code, GError **error)
{
  return ld_store_read_one (self, "SELECT code, name, parent_code FROM region WHERE code = ?", code,
                  region_from_row, _("Unknown region %s"), error);
}

LdUnit *
ld_store_get_unit (LdStore *self, const char *code, GError **error)
{
  return ld_store_read_one (self, "SELECT " UNIT_COLUMNS " FROM unit WHERE code = ?", code,
                  (LdRowReader) unit_from_row, _("Unknown unit %s"), error);
}

LdCategory *
ld_store_get_category (LdStore *self, const char *code, GError **error)
{
  return ld_store_read_one (self, "SELECT " CATEGORY_COLUMNS " FROM category WHERE code = ?", code,
                  (LdRowReader) category_from_row, _("Unknown category %s"), error);
}

GPtrArray *
ld_store_list_regions (LdStore *self, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, "SELECT code, name, parent_code FROM region ORDER BY code", error);
  return stmt ? ld_store_read_all (self, stmt, region_from_row, (GDestroyNotify) ld_region_free, error) : NULL;
}

GPtrArray *
ld_store_list_units (LdStore *self, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, "SELECT " UNIT_COLUMNS " FROM unit ORDER BY code", error);
  return stmt ? ld_store_read_all (self, stmt, (LdRowReader) unit_from_row, (GDestroyNotify) ld_unit_free, error) : NULL;
}

GPtrArray *
ld_store_list_categories (LdStore *self, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, "SELECT " CATEGORY_COLUMNS " FROM category ORDER BY code", error);
  return stmt ? ld_store_read_all (self, stmt, (LdRowReader) category_from_row, (GDestroyNotify) ld_category_free, error) : NULL;
}

LdBoundary *
ld_store_get_region_boundary (LdStore *self, const char *code)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, "SELECT boundary FROM region WHERE code = ?", NULL);
  LdBoundary *b = NULL;

  ld_bind_text (stmt, 1, code);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    b = ld_boundary_new_from_geojson ((const char *) sqlite3_column_text (stmt, 0), LD_DATUM_WGS84, NULL);
  sqlite3_reset (stmt);
  return b;
}

/* Jurisdiction is decided by the map (seed 000, 由拳路): the most specific
 * region whose boundary holds the point. */
const char *
ld_store_region_for_point (LdStore *self, double lat, double lon)
{
  if (isnan (lat) || isnan (lon))
    return NULL;
  ld_store_ensure_caches (self);
  return ld_geo_index_lookup (self->geo_index, lat, lon);
}

GHashTable *
ld_store_list_region_depths (LdStore *self, GError **error)
{
  /* From the top down: put_region refuses a cycle, so the walk ends. */
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "WITH RECURSIVE d(code, depth) AS ("
    "  SELECT code, 0 FROM region WHERE parent_code IS NULL"
    "  UNION ALL"
    "  SELECT r.code, d.depth + 1 FROM region r JOIN d ON r.parent_code = d.code)"
    " SELECT code, depth FROM d", error);
  GHashTable *depths;
  int rc;

  if (stmt == NULL)
    return NULL;
  depths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (depths, ld_column_dup (stmt, 0), GUINT_TO_POINTER (sqlite3_column_int (stmt, 1)));
  if (!ld_store_end_rows (self, stmt, rc, error))
    {
      g_hash_table_unref (depths);
      return NULL;
    }
  return depths;
}

gboolean
ld_store_region_is_within (LdStore *self, const char *code, const char *ancestor_code)
{
  const char *c = code;

  ld_store_ensure_caches (self);
  /* The depth bound guards against a cycle written by hand into the file. */
  for (guint depth = 0; c != NULL && depth < 64; depth++)
    {
      if (g_strcmp0 (c, ancestor_code) == 0)
        return TRUE;
      c = g_hash_table_lookup (self->parents, c);
    }
  return FALSE;
}

/* Deadlines */

/* Deadlines from the seeds: sign 5 min, arrive 20 min (002), feedback 2 h (003),
 * result 8 h (002). */
static const LdLimits default_limits = { 300, 1200, 7200, 28800 };

static int
tighter (int a, int b)
{
  if (a <= 0)
    return b;
  if (b <= 0)
    return a;
  return MIN (a, b);
}

static int
tier_default (LdStore *self, int tier, const char *step, int fallback)
{
  g_autofree char *key = g_strdup_printf ("limit.tier%d.%s_s", tier, step);
  g_autofree char *value = ld_store_get_setting (self, key);

  if (value == NULL)
    {
      g_free (key);
      key = g_strdup_printf ("limit.%s_s", step);
      value = ld_store_get_setting (self, key);
    }
  return value ? atoi (value) : fallback;
}

/* The category's limit and the unit's own (a town command room signs in
 * 1 min, seed 002) both bind, so the tighter wins; when neither sets one the
 * tier's default applies. */
LdLimits
ld_store_get_limits (LdStore *self, const char *category_code, const char *unit_code)
{
  const LdUnit *unit = ld_store_lookup_unit (self, unit_code);
  const LdCategory *category = category_code ? g_hash_table_lookup (self->categories, category_code) : NULL;
  LdLimits l = { 0, };
  int tier = unit ? unit->tier : 1;

  if (category)
    l = category->limits;
  if (unit)
    {
      l.sign_s = tighter (l.sign_s, unit->limits.sign_s);
      l.arrive_s = tighter (l.arrive_s, unit->limits.arrive_s);
      l.feedback_s = tighter (l.feedback_s, unit->limits.feedback_s);
      l.result_s = tighter (l.result_s, unit->limits.result_s);
    }
  if (l.sign_s <= 0)
    l.sign_s = tier_default (self, tier, "sign", default_limits.sign_s);
  if (l.arrive_s <= 0)
    l.arrive_s = tier_default (self, tier, "arrive", default_limits.arrive_s);
  if (l.feedback_s <= 0)
    l.feedback_s = tier_default (self, tier, "feedback", default_limits.feedback_s);
  if (l.result_s <= 0)
    l.result_s = tier_default (self, tier, "result", default_limits.result_s);
  return l;
}

void
ld_store_compute_deadlines (LdStore *self, const char *category_code, const char *unit_code, LdOrder *order)
{
  g_autofree char *key = g_strconcat (category_code ? category_code : "", "\x1f", unit_code, NULL);
  LdLimits *l;

  /* Bulk import asks for the same (category, unit) pair over and over; the
   * settings lookups behind a miss are what cost. */
  ld_store_ensure_caches (self);
  l = g_hash_table_lookup (self->limits, key);
  if (l == NULL)
    {
      LdLimits computed = ld_store_get_limits (self, category_code, unit_code);
      l = g_memdup2 (&computed, sizeof computed);
      g_hash_table_insert (self->limits, g_steal_pointer (&key), l);
    }

  order->sign_due = order->dispatched_at + l->sign_s * LD_USEC_PER_S;
  order->arrive_due = order->dispatched_at + l->arrive_s * LD_USEC_PER_S;
  order->feedback_due = order->dispatched_at + l->feedback_s * LD_USEC_PER_S;
  order->result_due = order->dispatched_at + l->result_s * LD_USEC_PER_S;
}
