/* ld-store-drills.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Drills: planning, the alarm and each unit's arrival, notes and photos. */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ld-store-area.h"

char *
ld_store_add_drill (LdStore *self, const LdDrill *drill, const LdActor *actor, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *id = NULL;
  sqlite3_stmt *stmt;

  if (drill->held_at == LD_TIME_NONE)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("A drill needs the time it is held"));
      return NULL;
    }
  if (!ld_store_check_coords (drill->lat, drill->lon, error))
    return NULL;
  id = drill->id && *drill->id ? g_strdup (drill->id) : ld_id_new (drill->held_at);

  if (!ld_store_begin (self, error))
    return NULL;
  stmt = ld_store_prepare (self,
    "INSERT INTO drill (id, held_at, region_code, location, scenario, lat, lon) VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, drill->held_at);
  ld_bind_text (stmt, 3, drill->region_code);
  ld_bind_text (stmt, 4, drill->location);
  ld_bind_text (stmt, 5, drill->scenario);
  ld_bind_coord (stmt, 6, drill->lat);
  ld_bind_coord (stmt, 7, drill->lon);
  if (!ld_store_step_done (self, stmt, &local_error))
    {
      if (g_error_matches (local_error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID) && drill->region_code)
        ld_store_set_not_found (error, _("Unknown region %s"), drill->region_code);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      goto fail;
    }
  if (!ld_store_record_event (self, actor, drill->held_at, "drill", id, "create", NULL, error) ||
      !ld_store_commit (self, error))
    goto fail;
  return g_steal_pointer (&id);

fail:
  ld_store_rollback (self);
  return NULL;
}

gboolean
ld_store_put_drill_unit (LdStore *self, const LdDrillUnit *du, const LdActor *actor, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *arrived = NULL;
  sqlite3_stmt *stmt;

  if (ld_store_lookup_unit (self, du->unit_code) == NULL)
    {
      ld_store_set_not_found (error, _("Unknown unit %s"), du->unit_code);
      return FALSE;
    }
  if (du->arrived_at && du->alarm_at && du->arrived_at < du->alarm_at)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("A unit cannot arrive before the alarm"));
      return FALSE;
    }
  if (du->limit_s < 0)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("A time limit cannot be negative"));
      return FALSE;
    }

  if (!ld_store_begin (self, error))
    return FALSE;
  stmt = ld_store_prepare (self,
    "INSERT INTO drill_unit (drill_id, unit_code, alarm_at, arrived_at, limit_s, note)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    " ON CONFLICT (drill_id, unit_code) DO UPDATE SET alarm_at = ?3, arrived_at = ?4,"
    "   limit_s = ?5, note = ?6", error);
  if (stmt == NULL)
    goto fail;
  ld_bind_text (stmt, 1, du->drill_id);
  ld_bind_text (stmt, 2, du->unit_code);
  ld_bind_time (stmt, 3, du->alarm_at);
  ld_bind_time (stmt, 4, du->arrived_at);
  sqlite3_bind_int (stmt, 5, du->limit_s > 0 ? du->limit_s : 1200);
  ld_bind_text (stmt, 6, du->note);
  if (!ld_store_step_done (self, stmt, &local_error))
    {
      if (g_error_matches (local_error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID))
        ld_store_set_not_found (error, _("Unknown drill %s"), du->drill_id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      goto fail;
    }
  arrived = ld_store_time_text (self, du->arrived_at);
  data = ld_store_event_data ("unit_code", du->unit_code, "arrived_at", arrived, NULL);
  if (!ld_store_record_event (self, actor, du->arrived_at ? du->arrived_at : ld_time_now (),
                              "drill", du->drill_id, "unit", data, error) ||
      !ld_store_commit (self, error))
    goto fail;
  return TRUE;

fail:
  ld_store_rollback (self);
  return FALSE;
}

static gpointer
drill_from_row (sqlite3_stmt *stmt)
{
  LdDrill *d = g_new0 (LdDrill, 1);
  d->id = ld_column_dup (stmt, 0);
  d->held_at = sqlite3_column_int64 (stmt, 1);
  d->region_code = ld_column_dup (stmt, 2);
  d->location = ld_column_dup (stmt, 3);
  d->scenario = ld_column_dup (stmt, 4);
  d->lat = ld_column_coord (stmt, 5);
  d->lon = ld_column_coord (stmt, 6);
  return d;
}

GPtrArray *
ld_store_list_drills (LdStore *self, const LdPeriod *period, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT id, held_at, region_code, location, scenario, lat, lon FROM drill"
    " WHERE held_at >= ? AND held_at < ? ORDER BY held_at, id", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, period->start);
  sqlite3_bind_int64 (stmt, 2, period->end);
  return ld_store_read_all (self, stmt, drill_from_row, (GDestroyNotify) ld_drill_free, error);
}

static gpointer
drill_unit_from_row (sqlite3_stmt *stmt)
{
  LdDrillUnit *du = g_new0 (LdDrillUnit, 1);
  du->drill_id = ld_column_dup (stmt, 0);
  du->unit_code = ld_column_dup (stmt, 1);
  du->alarm_at = sqlite3_column_int64 (stmt, 2);
  du->arrived_at = sqlite3_column_int64 (stmt, 3);
  du->limit_s = sqlite3_column_int (stmt, 4);
  du->note = ld_column_dup (stmt, 5);
  du->corrected = sqlite3_column_int (stmt, 6);
  du->correction = ld_column_dup (stmt, 7);
  return du;
}

GPtrArray *
ld_store_list_drill_units (LdStore *self, const char *drill_id, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT drill_id, unit_code, alarm_at, arrived_at, limit_s, note, corrected, correction FROM drill_unit"
    " WHERE drill_id = ? ORDER BY unit_code", error);

  if (stmt == NULL)
    return NULL;
  ld_bind_text (stmt, 1, drill_id);
  return ld_store_read_all (self, stmt, drill_unit_from_row, (GDestroyNotify) ld_drill_unit_free, error);
}

/* Drill results */

GPtrArray *
ld_store_list_unit_drills (LdStore *self, const char *unit_code, const LdPeriod *period, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT d.id, d.held_at, d.region_code, d.location, d.scenario, d.lat, d.lon"
    " FROM drill_unit du JOIN drill d ON d.id = du.drill_id"
    " WHERE du.unit_code = ? AND d.held_at >= ? AND d.held_at < ? ORDER BY d.held_at, d.id", error);

  if (stmt == NULL)
    return NULL;
  ld_bind_text (stmt, 1, unit_code);
  sqlite3_bind_int64 (stmt, 2, period ? period->start : G_MININT64);
  sqlite3_bind_int64 (stmt, 3, period ? period->end : G_MAXINT64);
  return ld_store_read_all (self, stmt, drill_from_row, (GDestroyNotify) ld_drill_free, error);
}

/* Drills logged through sync: a plan lists the units expected, the alarm
 * is raised once for all of them, and each unit's arrival counts from it
 * (DESIGN.md: drill arrival time = arrived − alarm time). The alarm is
 * kept on every unit's row, where the metrics and the report read it. */

/* Seed 001: a unit is late after 20 min. */
#define DRILL_DEFAULT_LIMIT_S 1200

int
ld_store_get_drill_limit (LdStore *self, const char *unit_code)
{
  const LdUnit *unit = ld_store_lookup_unit (self, unit_code);
  g_autofree char *unit_key = g_strconcat ("drill_limit_s.unit.", unit_code, NULL);
  g_autofree char *tier_key = unit ? g_strdup_printf ("drill_limit_s.tier.%d", unit->tier) : NULL;
  const char *keys[] = { unit_key, tier_key, "drill_limit_s" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *value = keys[i] ? ld_store_get_setting (self, keys[i]) : NULL;
      int limit = value ? atoi (value) : 0;

      if (limit > 0)
        return limit;
    }
  return DRILL_DEFAULT_LIMIT_S;
}

LdDrill *
ld_store_get_drill (LdStore *self, const char *id, GError **error)
{
  return ld_store_read_one (self, "SELECT id, held_at, region_code, location, scenario, lat, lon FROM drill WHERE id = ?",
                  id, drill_from_row, _("Unknown drill %s"), error);
}

/* The unit's row in the drill; NOT_FOUND names what is unknown: the drill,
 * the unit, or the unit in this drill. */
static LdDrillUnit *
get_expected_unit (LdStore *self, const char *drill_id, const char *unit_code, GError **error)
{
  g_autoptr(LdDrill) drill = NULL;
  LdDrillUnit *du = NULL;
  sqlite3_stmt *stmt;

  if (unit_code == NULL || *unit_code == '\0')
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("Say which unit of the drill"));
      return NULL;
    }
  drill = ld_store_get_drill (self, drill_id, error);
  if (drill == NULL)
    return NULL;
  if (ld_store_lookup_unit (self, unit_code) == NULL)
    {
      ld_store_set_not_found (error, _("Unknown unit %s"), unit_code);
      return NULL;
    }
  stmt = ld_store_prepare (self,
    "SELECT drill_id, unit_code, alarm_at, arrived_at, limit_s, note, corrected, correction FROM drill_unit"
    " WHERE drill_id = ? AND unit_code = ?", error);
  if (stmt == NULL)
    return NULL;
  ld_bind_text (stmt, 1, drill_id);
  ld_bind_text (stmt, 2, unit_code);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    du = drill_unit_from_row (stmt);
  else
    g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND,
                 _("Unit %s is not expected in this drill"), unit_code);
  sqlite3_reset (stmt);
  return du;
}

/* The drill's alarm and its first arrival (LD_TIME_NONE: none yet). */
static gboolean
get_drill_alarm (LdStore *self, const char *drill_id, gint64 *alarm_at, gint64 *first_arrival, GError **error)
{
  g_autoptr(LdDrill) drill = ld_store_get_drill (self, drill_id, error);
  sqlite3_stmt *stmt;

  if (drill == NULL)
    return FALSE;
  stmt = ld_store_prepare (self, "SELECT min(alarm_at), min(arrived_at) FROM drill_unit WHERE drill_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, drill_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      ld_store_set_db_error (self, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  *alarm_at = sqlite3_column_int64 (stmt, 0);
  *first_arrival = sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
check_reason (const char *reason, GError **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (reason ? reason : ""));

  if (*stripped != '\0')
    return TRUE;
  g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("A correction needs a reason"));
  return FALSE;
}

static gboolean
set_drill_alarm (LdStore *self, const char *drill_id, gint64 at, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, "UPDATE drill_unit SET alarm_at = ? WHERE drill_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, at);
  ld_bind_text (stmt, 2, drill_id);
  return ld_store_step_done (self, stmt, error);
}

/* @correction: the reason of a correction, NULL for a log. */
static gboolean
set_drill_arrival (LdStore *self, const char *drill_id, const char *unit_code, gint64 at, const char *correction,
                   GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "UPDATE drill_unit SET arrived_at = ?1, corrected = corrected OR ?2 IS NOT NULL,"
    " correction = coalesce(?2, correction) WHERE drill_id = ?3 AND unit_code = ?4", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, at);
  ld_bind_text (stmt, 2, correction);
  ld_bind_text (stmt, 3, drill_id);
  ld_bind_text (stmt, 4, unit_code);
  return ld_store_step_done (self, stmt, error);
}

static gboolean
insert_drill_unit (LdStore *self, const LdDrillUnit *du, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "INSERT INTO drill_unit (drill_id, unit_code, alarm_at, arrived_at, limit_s, note, corrected, correction)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, du->drill_id);
  ld_bind_text (stmt, 2, du->unit_code);
  ld_bind_time (stmt, 3, du->alarm_at);
  ld_bind_time (stmt, 4, du->arrived_at);
  sqlite3_bind_int (stmt, 5, du->limit_s);
  ld_bind_text (stmt, 6, du->note);
  sqlite3_bind_int (stmt, 7, du->corrected);
  ld_bind_text (stmt, 8, du->correction);
  return ld_store_step_done (self, stmt, error);
}

char *
ld_store_plan_drill (LdStore *self, const LdDrill *drill, const LdDrillUnit *units, guint n_units,
                     const LdActor *actor, GError **error)
{
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(LdDrill) existing = NULL;
  g_autofree char *id = NULL;

  if (n_units == 0)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("A drill needs at least one unit"));
      return NULL;
    }
  for (guint i = 0; i < n_units; i++)
    {
      if (units[i].unit_code == NULL || ld_store_lookup_unit (self, units[i].unit_code) == NULL)
        {
          ld_store_set_not_found (error, _("Unknown unit %s"), units[i].unit_code);
          return NULL;
        }
      if (!g_hash_table_add (listed, units[i].unit_code))
        {
          g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                       _("Unit %s is listed twice in the drill"), units[i].unit_code);
          return NULL;
        }
      if (units[i].limit_s < 0)
        {
          g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("A time limit cannot be negative"));
          return NULL;
        }
    }
  if (drill->id && (existing = ld_store_get_drill (self, drill->id, NULL)) != NULL)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_DUPLICATE, _("Drill %s exists already"), drill->id);
      return NULL;
    }

  if (!ld_store_begin (self, error))
    return NULL;
  id = ld_store_add_drill (self, drill, actor, error);
  if (id == NULL)
    goto fail;
  for (guint i = 0; i < n_units; i++)
    {
      LdDrillUnit du = { id, units[i].unit_code, LD_TIME_NONE, LD_TIME_NONE, units[i].limit_s, NULL, FALSE };

      /* The limit in force when the drill was planned stays with it. */
      if (du.limit_s == 0)
        du.limit_s = ld_store_get_drill_limit (self, du.unit_code);
      if (!insert_drill_unit (self, &du, error))
        goto fail;
    }
  if (!ld_store_commit (self, error))
    goto fail;
  return g_steal_pointer (&id);

fail:
  ld_store_rollback (self);
  return NULL;
}

gboolean
ld_store_raise_drill_alarm (LdStore *self, const char *drill_id, gint64 at, const LdActor *actor, GError **error)
{
  g_autofree char *alarm_text = NULL;
  g_autofree char *data = NULL;
  gint64 alarm_at, first_arrival;

  if (!get_drill_alarm (self, drill_id, &alarm_at, &first_arrival, error))
    return FALSE;
  if (alarm_at != LD_TIME_NONE)
    {
      g_autofree char *was = ld_store_time_text (self, alarm_at);
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION,
                   _("The alarm of this drill was raised already (%s); correct it with a reason instead"), was);
      return FALSE;
    }
  alarm_text = ld_store_time_text (self, at);
  data = ld_store_event_data ("alarm_at", alarm_text, NULL);
  if (!ld_store_begin (self, error))
    return FALSE;
  if (!set_drill_alarm (self, drill_id, at, error) ||
      !ld_store_record_event (self, actor, at, "drill", drill_id, "alarm", data, error) ||
      !ld_store_commit (self, error))
    {
      ld_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

gboolean
ld_store_correct_drill_alarm (LdStore *self, const char *drill_id, gint64 at, const char *reason,
                              const LdActor *actor, GError **error)
{
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;
  g_autofree char *data = NULL;
  gint64 alarm_at, first_arrival;

  if (!check_reason (reason, error) || !get_drill_alarm (self, drill_id, &alarm_at, &first_arrival, error))
    return FALSE;
  if (alarm_at == LD_TIME_NONE)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION,
                   _("The alarm of this drill has not been raised; there is nothing to correct"));
      return FALSE;
    }
  if (first_arrival != LD_TIME_NONE && at > first_arrival)
    {
      g_autofree char *first = ld_store_time_text (self, first_arrival);
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("The alarm cannot come after the first arrival (%s)"), first);
      return FALSE;
    }
  old_text = ld_store_time_text (self, alarm_at);
  new_text = ld_store_time_text (self, at);
  data = ld_store_event_data ("old", old_text, "new", new_text, "reason", reason, NULL);
  if (!ld_store_begin (self, error))
    return FALSE;
  if (!set_drill_alarm (self, drill_id, at, error) ||
      !ld_store_record_event (self, actor, ld_time_now (), "drill", drill_id, "correct-alarm", data, error) ||
      !ld_store_commit (self, error))
    {
      ld_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

/* Two inspectors may log the same unit: the earlier time is the arrival,
 * and the other log is kept in the audit trail only, so every copy that
 * applies both, in either order, ends with the same record. A correction
 * made with a reason stands against later logs. */
gboolean
ld_store_log_drill_arrival (LdStore *self, const char *drill_id, const char *unit_code, gint64 at,
                            const LdActor *actor, GError **error)
{
  g_autoptr(LdDrillUnit) du = get_expected_unit (self, drill_id, unit_code, error);
  g_autofree char *at_text = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *data = NULL;
  gboolean takes;

  if (du == NULL)
    return FALSE;
  if (du->alarm_at == LD_TIME_NONE)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION,
                   _("The alarm of this drill has not been raised yet"));
      return FALSE;
    }
  if (at < du->alarm_at)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("A unit cannot arrive before the alarm"));
      return FALSE;
    }
  takes = du->arrived_at == LD_TIME_NONE || (at < du->arrived_at && !du->corrected);
  at_text = ld_store_time_text (self, at);
  kept = takes ? NULL : ld_store_time_text (self, du->arrived_at);
  data = ld_store_event_data ("unit_code", unit_code, "arrived_at", at_text, "kept", kept, NULL);
  if (!ld_store_begin (self, error))
    return FALSE;
  if ((takes && !set_drill_arrival (self, drill_id, unit_code, at, NULL, error)) ||
      !ld_store_record_event (self, actor, at, "drill", drill_id, takes ? "arrive" : "arrive-superseded",
                              data, error) ||
      !ld_store_commit (self, error))
    {
      ld_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

gboolean
ld_store_correct_drill_arrival (LdStore *self, const char *drill_id, const char *unit_code, gint64 at,
                                const char *reason, const LdActor *actor, GError **error)
{
  g_autoptr(LdDrillUnit) du = NULL;
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;
  g_autofree char *data = NULL;

  if (!check_reason (reason, error))
    return FALSE;
  du = get_expected_unit (self, drill_id, unit_code, error);
  if (du == NULL)
    return FALSE;
  if (du->arrived_at == LD_TIME_NONE)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION,
                   _("Unit %s has no arrival in this drill to correct"), unit_code);
      return FALSE;
    }
  if (at < du->alarm_at)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("A unit cannot arrive before the alarm"));
      return FALSE;
    }
  old_text = ld_store_time_text (self, du->arrived_at);
  new_text = ld_store_time_text (self, at);
  data = ld_store_event_data ("unit_code", unit_code, "old", old_text, "new", new_text, "reason", reason, NULL);
  if (!ld_store_begin (self, error))
    return FALSE;
  if (!set_drill_arrival (self, drill_id, unit_code, at, reason, error) ||
      !ld_store_record_event (self, actor, ld_time_now (), "drill", drill_id, "correct", data, error) ||
      !ld_store_commit (self, error))
    {
      ld_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
insert_drill_note (LdStore *self, const LdDrillNote *note, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "INSERT INTO drill_note (id, drill_id, unit_code, at, author, text) VALUES (?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, note->id);
  ld_bind_text (stmt, 2, note->drill_id);
  ld_bind_text (stmt, 3, note->unit_code);
  sqlite3_bind_int64 (stmt, 4, note->at);
  ld_bind_text (stmt, 5, note->author);
  ld_bind_text (stmt, 6, note->text);
  return ld_store_step_done (self, stmt, error);
}

/* What a note or a photo is about: the drill, or a unit expected at it. */
static gboolean
check_drill_subject (LdStore *self, const char *drill_id, const char *unit_code, GError **error)
{
  if (unit_code)
    {
      g_autoptr(LdDrillUnit) du = get_expected_unit (self, drill_id, unit_code, error);
      return du != NULL;
    }
  else
    {
      g_autoptr(LdDrill) drill = ld_store_get_drill (self, drill_id, error);
      return drill != NULL;
    }
}

char *
ld_store_add_drill_note (LdStore *self, const LdDrillNote *note, const LdActor *actor, GError **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (note->text ? note->text : ""));
  g_autofree char *data = NULL;
  LdDrillNote row = *note;

  if (*stripped == '\0')
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("A note needs some text"));
      return NULL;
    }
  if (!check_drill_subject (self, note->drill_id, note->unit_code, error))
    return NULL;
  row.id = note->id && *note->id ? g_strdup (note->id) : ld_id_new (note->at);
  row.author = actor && actor->user ? (char *) actor->user : note->author;
  data = ld_store_event_data ("note_id", row.id, "unit_code", note->unit_code, NULL);
  if (!ld_store_begin (self, error))
    goto fail;
  if (!insert_drill_note (self, &row, error) ||
      !ld_store_record_event (self, actor, note->at, "drill", note->drill_id, "note", data, error) ||
      !ld_store_commit (self, error))
    {
      ld_store_rollback (self);
      goto fail;
    }
  return row.id;

fail:
  g_free (row.id);
  return NULL;
}

static gpointer
drill_note_from_row (sqlite3_stmt *stmt)
{
  LdDrillNote *n = g_new0 (LdDrillNote, 1);
  n->id = ld_column_dup (stmt, 0);
  n->drill_id = ld_column_dup (stmt, 1);
  n->unit_code = ld_column_dup (stmt, 2);
  n->at = sqlite3_column_int64 (stmt, 3);
  n->author = ld_column_dup (stmt, 4);
  n->text = ld_column_dup (stmt, 5);
  return n;
}

GPtrArray *
ld_store_list_drill_notes (LdStore *self, const char *drill_id, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT id, drill_id, unit_code, at, author, text FROM drill_note WHERE drill_id = ? ORDER BY at, id", error);

  if (stmt == NULL)
    return NULL;
  ld_bind_text (stmt, 1, drill_id);
  return ld_store_read_all (self, stmt, drill_note_from_row, (GDestroyNotify) ld_drill_note_free, error);
}

static gboolean
delete_drill_rows (LdStore *self, const char *drill_id, gboolean with_drill, GError **error)
{
  /* Photos travel on their own: a drill's row replaced keeps them. */
  static const char * const sql[] = {
    "DELETE FROM drill_note WHERE drill_id = ?",
    "DELETE FROM drill_unit WHERE drill_id = ?",
    "DELETE FROM drill_photo WHERE drill_id = ?",
    "DELETE FROM drill WHERE id = ?",
  };

  for (guint i = 0; i < (with_drill ? 4 : 2); i++)
    {
      sqlite3_stmt *stmt = ld_store_prepare (self, sql[i], error);
      if (stmt == NULL)
        return FALSE;
      ld_bind_text (stmt, 1, drill_id);
      if (!ld_store_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* A replica takes the server's version of a drill whole: its row, its
 * units and its notes. */
gboolean
ld_store_replace_drill (LdStore *self, const LdDrill *drill, GPtrArray *units, GPtrArray *notes, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "INSERT INTO drill (id, held_at, region_code, location, scenario, lat, lon) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    " ON CONFLICT (id) DO UPDATE SET held_at = ?2, region_code = ?3, location = ?4, scenario = ?5,"
    "   lat = ?6, lon = ?7", error);

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, drill->id);
  sqlite3_bind_int64 (stmt, 2, drill->held_at);
  ld_bind_text (stmt, 3, drill->region_code);
  ld_bind_text (stmt, 4, drill->location);
  ld_bind_text (stmt, 5, drill->scenario);
  ld_bind_coord (stmt, 6, drill->lat);
  ld_bind_coord (stmt, 7, drill->lon);
  if (!ld_store_step_done (self, stmt, error) || !delete_drill_rows (self, drill->id, FALSE, error))
    return FALSE;
  for (guint i = 0; i < units->len; i++)
    if (!insert_drill_unit (self, g_ptr_array_index (units, i), error))
      return FALSE;
  for (guint i = 0; i < notes->len; i++)
    if (!insert_drill_note (self, g_ptr_array_index (notes, i), error))
      return FALSE;
  return TRUE;
}

/* Removes a drill that only this replica had, with its units and notes. */
gboolean
ld_store_forget_drill (LdStore *self, const char *drill_id, GError **error)
{
  return delete_drill_rows (self, drill_id, TRUE, error);
}

/* Photos of drills */

static gboolean
is_image (const char *mime, GBytes *data)
{
  gsize size = 0;
  const guchar *bytes = data ? g_bytes_get_data (data, &size) : NULL;
  static const guchar jpeg[] = { 0xff, 0xd8, 0xff };
  static const guchar png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

  if (g_strcmp0 (mime, "image/jpeg") == 0)
    return size >= sizeof jpeg && memcmp (bytes, jpeg, sizeof jpeg) == 0;
  if (g_strcmp0 (mime, "image/png") == 0)
    return size >= sizeof png && memcmp (bytes, png, sizeof png) == 0;
  return FALSE;
}

static gboolean
insert_drill_photo (LdStore *self, const LdDrillPhoto *photo, gboolean replace, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, replace
    ? "INSERT OR REPLACE INTO drill_photo (id, drill_id, unit_code, at, author, caption, mime, data)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    : "INSERT INTO drill_photo (id, drill_id, unit_code, at, author, caption, mime, data)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  gsize size;
  gconstpointer bytes = g_bytes_get_data (photo->data, &size);

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, photo->id);
  ld_bind_text (stmt, 2, photo->drill_id);
  ld_bind_text (stmt, 3, photo->unit_code);
  sqlite3_bind_int64 (stmt, 4, photo->at);
  ld_bind_text (stmt, 5, photo->author);
  ld_bind_text (stmt, 6, photo->caption);
  ld_bind_text (stmt, 7, photo->mime);
  sqlite3_bind_blob (stmt, 8, bytes, (int) size, SQLITE_STATIC);
  return ld_store_step_done (self, stmt, error);
}

char *
ld_store_add_drill_photo (LdStore *self, const LdDrillPhoto *photo, const LdActor *actor, GError **error)
{
  g_autofree char *data = NULL;
  LdDrillPhoto row = *photo;

  if (photo->data == NULL || g_bytes_get_size (photo->data) == 0 || !is_image (photo->mime, photo->data))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("A photo must be a JPEG or PNG image"));
      return NULL;
    }
  if (g_bytes_get_size (photo->data) > LD_DRILL_PHOTO_MAX_BYTES)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("The photo is %.1f MB; at most %.0f MB is kept"), g_bytes_get_size (photo->data) / 1048576.0,
                   LD_DRILL_PHOTO_MAX_BYTES / 1048576.0);
      return NULL;
    }
  if (!check_drill_subject (self, photo->drill_id, photo->unit_code, error))
    return NULL;
  row.id = photo->id && *photo->id ? g_strdup (photo->id) : ld_id_new (photo->at);
  row.author = actor && actor->user ? (char *) actor->user : photo->author;
  data = ld_store_event_data ("drill_id", photo->drill_id, "unit_code", photo->unit_code, NULL);
  if (!ld_store_begin (self, error))
    goto fail;
  if (!insert_drill_photo (self, &row, FALSE, error) ||
      !ld_store_record_event (self, actor, photo->at, "drill_photo", row.id, "add", data, error) ||
      !ld_store_commit (self, error))
    {
      ld_store_rollback (self);
      goto fail;
    }
  return row.id;

fail:
  g_free (row.id);
  return NULL;
}

static gpointer
drill_photo_from_row (sqlite3_stmt *stmt)
{
  LdDrillPhoto *p = g_new0 (LdDrillPhoto, 1);

  p->id = ld_column_dup (stmt, 0);
  p->drill_id = ld_column_dup (stmt, 1);
  p->unit_code = ld_column_dup (stmt, 2);
  p->at = sqlite3_column_int64 (stmt, 3);
  p->author = ld_column_dup (stmt, 4);
  p->caption = ld_column_dup (stmt, 5);
  p->mime = ld_column_dup (stmt, 6);
  p->data = g_bytes_new (sqlite3_column_blob (stmt, 7), sqlite3_column_bytes (stmt, 7));
  return p;
}

#define DRILL_PHOTO_COLUMNS "id, drill_id, unit_code, at, author, caption, mime, data"

GPtrArray *
ld_store_list_drill_photos (LdStore *self, const char *drill_id, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT " DRILL_PHOTO_COLUMNS " FROM drill_photo WHERE drill_id = ? ORDER BY at, id", error);

  if (stmt == NULL)
    return NULL;
  ld_bind_text (stmt, 1, drill_id);
  return ld_store_read_all (self, stmt, drill_photo_from_row, (GDestroyNotify) ld_drill_photo_free, error);
}

LdDrillPhoto *
ld_store_get_drill_photo (LdStore *self, const char *id, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, "SELECT " DRILL_PHOTO_COLUMNS " FROM drill_photo WHERE id = ?", error);
  g_autoptr(GPtrArray) found = NULL;

  if (stmt == NULL)
    return NULL;
  ld_bind_text (stmt, 1, id);
  found = ld_store_read_all (self, stmt, drill_photo_from_row, (GDestroyNotify) ld_drill_photo_free, error);
  if (found == NULL)
    return NULL;
  if (found->len == 0)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND, _("Unknown photo %s"), id);
      return NULL;
    }
  return g_ptr_array_steal_index (found, 0);
}

gboolean
ld_store_put_drill_photo (LdStore *self, const LdDrillPhoto *photo, GError **error)
{
  return insert_drill_photo (self, photo, TRUE, error);
}

gboolean
ld_store_forget_drill_photo (LdStore *self, const char *id, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, "DELETE FROM drill_photo WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, id);
  return ld_store_step_done (self, stmt, error);
}
