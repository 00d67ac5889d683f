/* ld-store-roll-call.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Roll calls: the center calls the units' duty liaisons and counts who
 * answered in time, whether the call was imported or made live. */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "ld-store-area.h"

#define DEFAULT_LIMIT_S 180
/* A limit shorter than a liaison needs to reach the desk, or longer than
 * an hour, is no roll call. */
#define MIN_LIMIT_S 10
#define MAX_LIMIT_S 3600

#define ROLL_CALL_COLUMNS "id, roll_call_id, unit_code, at, limit_s, answered_at, answer_s, answered"

/* A live row not answered is decided once its limit has passed at ?3. */
#define ROLL_CALL_PENDING_AT_3 \
  "(roll_call_id IS NOT NULL AND answered_at IS NULL AND at + limit_s * 1000000 > ?3)"

int
ld_store_get_roll_call_limit (LdStore *self)
{
  g_autofree char *value = ld_store_get_setting (self, "roll_call_limit_s");
  gint64 limit = value ? g_ascii_strtoll (value, NULL, 10) : 0;

  return limit >= MIN_LIMIT_S && limit <= MAX_LIMIT_S ? (int) limit : DEFAULT_LIMIT_S;
}

static gpointer
roll_call_from_row (sqlite3_stmt *stmt)
{
  LdRollCall *r = g_new0 (LdRollCall, 1);

  r->id = ld_column_dup (stmt, 0);
  r->roll_call_id = ld_column_dup (stmt, 1);
  r->unit_code = ld_column_dup (stmt, 2);
  r->started_at = sqlite3_column_int64 (stmt, 3);
  r->limit_s = sqlite3_column_int (stmt, 4);
  r->answered_at = sqlite3_column_int64 (stmt, 5);
  r->answer_s = sqlite3_column_type (stmt, 6) == SQLITE_NULL ? -1 : sqlite3_column_int (stmt, 6);
  r->answered = sqlite3_column_int (stmt, 7) != 0;
  return r;
}

static gboolean
insert_row (LdStore *self, const LdRollCall *r, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "INSERT INTO roll_call (" ROLL_CALL_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, r->id);
  ld_bind_text (stmt, 2, r->roll_call_id);
  ld_bind_text (stmt, 3, r->unit_code);
  sqlite3_bind_int64 (stmt, 4, r->started_at);
  sqlite3_bind_int (stmt, 5, r->limit_s);
  ld_bind_time (stmt, 6, r->answered_at);
  if (r->answer_s >= 0)
    sqlite3_bind_int (stmt, 7, r->answer_s);
  else
    sqlite3_bind_null (stmt, 7);
  sqlite3_bind_int (stmt, 8, r->answered);
  return ld_store_step_done (self, stmt, error);
}

static gboolean
roll_call_exists (LdStore *self, const char *roll_call_id, gboolean *exists, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT EXISTS (SELECT 1 FROM roll_call WHERE roll_call_id = ?)", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, roll_call_id);
  rc = sqlite3_step (stmt);
  *exists = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  return ld_store_end_rows (self, stmt, rc == SQLITE_ROW ? SQLITE_DONE : rc, error);
}

/* The units a roll call calls: those named, each once, or every active one. */
static GPtrArray *
called_units (LdStore *self, const char * const *unit_codes, GError **error)
{
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);

  if (unit_codes == NULL || unit_codes[0] == NULL)
    {
      g_autoptr(GPtrArray) units = ld_store_list_units (self, error);

      if (units == NULL)
        return NULL;
      for (guint i = 0; i < units->len; i++)
        {
          const LdUnit *unit = g_ptr_array_index (units, i);
          if (!unit->inactive)
            g_ptr_array_add (codes, g_strdup (unit->code));
        }
      return g_steal_pointer (&codes);
    }
  for (guint i = 0; unit_codes[i]; i++)
    {
      const LdUnit *unit = ld_store_lookup_unit (self, unit_codes[i]);

      if (unit == NULL || unit->inactive)
        {
          ld_store_set_not_found (error, _("Unknown unit %s"), unit_codes[i]);
          return NULL;
        }
      if (!g_ptr_array_find_with_equal_func (codes, unit_codes[i], g_str_equal, NULL))
        g_ptr_array_add (codes, g_strdup (unit_codes[i]));
    }
  return g_steal_pointer (&codes);
}

gboolean
ld_store_start_roll_call (LdStore *self, const char *roll_call_id, const char * const *unit_codes, int limit_s,
                          gint64 at, const LdActor *actor, GError **error)
{
  g_autoptr(GPtrArray) codes = NULL;
  g_autofree char *limit_text = NULL, *count_text = NULL, *data = NULL;
  gboolean exists;

  if (roll_call_id == NULL || *roll_call_id == '\0' || strchr (roll_call_id, '/'))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("A roll call needs its id"));
      return FALSE;
    }
  if (limit_s == 0)
    limit_s = ld_store_get_roll_call_limit (self);
  if (limit_s < MIN_LIMIT_S || limit_s > MAX_LIMIT_S)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("A roll call's limit is from %d seconds to %d minutes"), MIN_LIMIT_S, MAX_LIMIT_S / 60);
      return FALSE;
    }
  if (!roll_call_exists (self, roll_call_id, &exists, error))
    return FALSE;
  if (exists)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_DUPLICATE, _("Roll call %s was started already"),
                   roll_call_id);
      return FALSE;
    }
  codes = called_units (self, unit_codes, error);
  if (codes == NULL)
    return FALSE;
  if (codes->len == 0)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("There is no unit to call"));
      return FALSE;
    }

  if (!ld_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < codes->len; i++)
    {
      g_autofree char *id = g_strconcat (roll_call_id, "/", (char *) g_ptr_array_index (codes, i), NULL);
      LdRollCall row = {
        .id = id, .roll_call_id = (char *) roll_call_id, .unit_code = g_ptr_array_index (codes, i),
        .started_at = at, .limit_s = limit_s, .answered_at = LD_TIME_NONE, .answer_s = -1, .answered = FALSE,
      };

      if (!insert_row (self, &row, error))
        goto fail;
    }
  limit_text = g_strdup_printf ("%d", limit_s);
  count_text = g_strdup_printf ("%u", codes->len);
  data = ld_store_event_data ("limit_s", limit_text, "units", count_text, NULL);
  if (!ld_store_record_event (self, actor, at, "roll_call", roll_call_id, "start", data, error) ||
      !ld_store_commit (self, error))
    goto fail;
  return TRUE;

fail:
  ld_store_rollback (self);
  return FALSE;
}

gboolean
ld_store_answer_roll_call (LdStore *self, const char *roll_call_id, const char *unit_code, gint64 at,
                           const LdActor *actor, GError **error)
{
  g_autoptr(GPtrArray) rows = ld_store_list_roll_call_rows (self, roll_call_id, unit_code, error);
  g_autofree char *answered_text = NULL, *data = NULL;
  LdRollCall *row;
  sqlite3_stmt *stmt;
  gint64 answer_s;

  if (rows == NULL)
    return FALSE;
  if (rows->len == 0 || unit_code == NULL)
    {
      ld_store_set_not_found (error, _("Unknown roll call %s"), roll_call_id);
      return FALSE;
    }
  row = g_ptr_array_index (rows, 0);
  if (row->answered_at != LD_TIME_NONE)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION,
                   _("Roll call %s was answered already"), roll_call_id);
      return FALSE;
    }
  /* A clock a little behind the one that started the call still answers
   * after it, in no time. */
  answer_s = MAX (at - row->started_at, 0) / LD_USEC_PER_S;

  if (!ld_store_begin (self, error))
    return FALSE;
  stmt = ld_store_prepare (self,
    "UPDATE roll_call SET answered_at = ?, answer_s = ?, answered = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, MAX (at, row->started_at));
  sqlite3_bind_int64 (stmt, 2, answer_s);
  sqlite3_bind_int (stmt, 3, answer_s <= row->limit_s);
  ld_bind_text (stmt, 4, row->id);
  if (!ld_store_step_done (self, stmt, error))
    goto fail;
  answered_text = ld_store_time_text (self, MAX (at, row->started_at));
  data = ld_store_event_data ("unit_code", unit_code, "answered_at", answered_text,
                              "late", answer_s <= row->limit_s ? NULL : "true", NULL);
  if (!ld_store_record_event (self, actor, MAX (at, row->started_at), "roll_call", roll_call_id, "answer", data,
                              error) ||
      !ld_store_commit (self, error))
    goto fail;
  return TRUE;

fail:
  ld_store_rollback (self);
  return FALSE;
}

GPtrArray *
ld_store_list_roll_call_rows (LdStore *self, const char *roll_call_id, const char *unit_code, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT " ROLL_CALL_COLUMNS " FROM roll_call"
    " WHERE roll_call_id = ?1 AND (?2 IS NULL OR unit_code = ?2) ORDER BY unit_code", error);

  if (stmt == NULL)
    return NULL;
  ld_bind_text (stmt, 1, roll_call_id);
  ld_bind_text (stmt, 2, unit_code);
  return ld_store_read_all (self, stmt, roll_call_from_row, (GDestroyNotify) ld_roll_call_free, error);
}

GPtrArray *
ld_store_list_roll_calls (LdStore *self, const LdPeriod *period, const char *unit_code, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT " ROLL_CALL_COLUMNS " FROM roll_call"
    " WHERE at >= ?1 AND at < ?2 AND (?3 IS NULL OR unit_code = ?3) ORDER BY at, id", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, period->start);
  sqlite3_bind_int64 (stmt, 2, period->end);
  ld_bind_text (stmt, 3, unit_code);
  return ld_store_read_all (self, stmt, roll_call_from_row, (GDestroyNotify) ld_roll_call_free, error);
}

GPtrArray *
ld_store_list_unanswered_roll_calls (LdStore *self, const char *unit_code, gint64 since, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT " ROLL_CALL_COLUMNS " FROM roll_call"
    " WHERE roll_call_id IS NOT NULL AND answered_at IS NULL AND at > ?1 AND (?2 IS NULL OR unit_code = ?2)"
    " ORDER BY at, id", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since);
  ld_bind_text (stmt, 2, unit_code);
  return ld_store_read_all (self, stmt, roll_call_from_row, (GDestroyNotify) ld_roll_call_free, error);
}

GHashTable *
ld_store_count_roll_calls (LdStore *self, const LdPeriod *period, gint64 now, GError **error)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT unit_code, count(*), sum(answered) FROM roll_call"
    " WHERE at >= ?1 AND at < ?2 AND NOT " ROLL_CALL_PENDING_AT_3 " GROUP BY unit_code", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, period->start);
  sqlite3_bind_int64 (stmt, 2, period->end);
  sqlite3_bind_int64 (stmt, 3, now);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LdRollCallCounts *c = g_new0 (LdRollCallCounts, 1);

      c->calls = sqlite3_column_int (stmt, 1);
      c->answered = sqlite3_column_int (stmt, 2);
      c->unanswered = c->calls - c->answered;
      g_hash_table_insert (counts, ld_column_dup (stmt, 0), c);
    }
  if (!ld_store_end_rows (self, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&counts);
}

gboolean
ld_store_put_roll_call (LdStore *self, const char *roll_call_id, GPtrArray *rows, GError **error)
{
  sqlite3_stmt *stmt;

  if (!ld_store_begin (self, error))
    return FALSE;
  stmt = ld_store_prepare (self, "DELETE FROM roll_call WHERE roll_call_id = ?", error);
  if (stmt == NULL)
    goto fail;
  ld_bind_text (stmt, 1, roll_call_id);
  if (!ld_store_step_done (self, stmt, error))
    goto fail;
  for (guint i = 0; i < rows->len; i++)
    if (!insert_row (self, g_ptr_array_index (rows, i), error))
      goto fail;
  return ld_store_commit (self, error);

fail:
  ld_store_rollback (self);
  return FALSE;
}

/* "HH:MM" as minutes of the day, or -1. */
static int
parse_time_of_day (const char *text)
{
  unsigned hour, minute;
  char end;

  if (sscanf (text, "%2u:%2u%c", &hour, &minute, &end) != 2 || hour > 23 || minute > 59)
    return -1;
  return (int) (hour * 60 + minute);
}

GArray *
ld_store_list_roll_call_slots (LdStore *self, gint64 after, gint64 until)
{
  g_autofree char *setting = ld_store_get_setting (self, "roll_call_times");
  g_auto(GStrv) times = g_strsplit (setting ? setting : "", ",", -1);
  GArray *slots = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) first = NULL;

  if (until <= after)
    return slots;
  utc = g_date_time_new_from_unix_utc (after / LD_USEC_PER_S);
  first = g_date_time_to_timezone (utc, self->tz);
  /* Each day from the one @after falls in to the one @until does, at
   * most a year of them. */
  for (int day = 0; day <= 366; day++)
    {
      g_autoptr(GDateTime) date = g_date_time_add_days (first, day);

      if ((g_date_time_to_unix (date) - 86400) * LD_USEC_PER_S > until)
        break;
      for (guint i = 0; times[i]; i++)
        {
          int minutes = parse_time_of_day (g_strstrip (times[i]));
          g_autoptr(GDateTime) slot = NULL;
          gint64 at;

          if (minutes < 0)
            continue;
          slot = g_date_time_new (self->tz, g_date_time_get_year (date), g_date_time_get_month (date),
                                  g_date_time_get_day_of_month (date), minutes / 60, minutes % 60, 0);
          if (slot == NULL)
            continue;
          at = g_date_time_to_unix (slot) * LD_USEC_PER_S;
          if (at > after && at <= until)
            g_array_append_val (slots, at);
        }
    }
  return slots;
}
