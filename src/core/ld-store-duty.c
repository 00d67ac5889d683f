/* ld-store-duty.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The duty roster: each unit's turns of who answers for it. */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ld-store-area.h"

#define DUTY_COLUMNS "id, unit_code, name, phone, from_at, to_at, removed"

/* Whether @text holds nothing but spaces, the ideographic one (U+3000) a
 * Chinese input method types among them. */
static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static gpointer
duty_from_row (sqlite3_stmt *stmt)
{
  LdDuty *d = g_new0 (LdDuty, 1);

  d->id = ld_column_dup (stmt, 0);
  d->unit_code = ld_column_dup (stmt, 1);
  d->name = ld_column_dup (stmt, 2);
  d->phone = ld_column_dup (stmt, 3);
  d->from = sqlite3_column_int64 (stmt, 4);
  d->to = sqlite3_column_int64 (stmt, 5);
  d->removed = sqlite3_column_int (stmt, 6) != 0;
  return d;
}

LdDuty *
ld_store_get_duty (LdStore *self, const char *id, GError **error)
{
  return ld_store_read_one (self, "SELECT " DUTY_COLUMNS " FROM duty WHERE id = ?", id, duty_from_row,
                            _("Unknown duty turn %s"), error);
}

static gboolean
check_duty (LdStore *self, const LdDuty *duty, GError **error)
{
  if (duty->id == NULL || *duty->id == '\0')
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("A duty turn needs its id"));
      return FALSE;
    }
  if (duty->unit_code == NULL || ld_store_lookup_unit (self, duty->unit_code) == NULL)
    {
      ld_store_set_not_found (error, _("Unknown unit %s"), duty->unit_code);
      return FALSE;
    }
  if (is_blank (duty->name) || is_blank (duty->phone))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("A duty turn needs the name and the phone number of who is on duty"));
      return FALSE;
    }
  if (duty->from == LD_TIME_NONE || duty->to == LD_TIME_NONE || duty->from >= duty->to)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("A duty turn ends after it begins"));
      return FALSE;
    }
  if (duty->to - duty->from > LD_DUTY_MAX_US)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("A duty turn lasts at most 31 days"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_duty (LdStore *self, const LdDuty *duty, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "INSERT INTO duty (" DUTY_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    " ON CONFLICT (id) DO UPDATE SET unit_code = ?2, name = ?3, phone = ?4, from_at = ?5, to_at = ?6,"
    "   removed = ?7", error);

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, duty->id);
  ld_bind_text (stmt, 2, duty->unit_code);
  ld_bind_text (stmt, 3, duty->name);
  ld_bind_text (stmt, 4, duty->phone);
  sqlite3_bind_int64 (stmt, 5, duty->from);
  sqlite3_bind_int64 (stmt, 6, duty->to);
  sqlite3_bind_int (stmt, 7, duty->removed);
  return ld_store_step_done (self, stmt, error);
}

gboolean
ld_store_set_duty (LdStore *self, const LdDuty *duty, const LdActor *actor, GError **error)
{
  g_autoptr(LdDuty) before = NULL;
  g_autoptr(LdDuty) turn = NULL;
  g_autofree char *from = NULL, *to = NULL, *data = NULL;

  if (!check_duty (self, duty, error))
    return FALSE;
  before = ld_store_get_duty (self, duty->id, NULL);
  if (before && (before->removed || g_strcmp0 (before->unit_code, duty->unit_code) != 0))
    {
      ld_store_set_not_found (error, _("Unknown duty turn %s"), duty->id);
      return FALSE;
    }

  turn = g_new0 (LdDuty, 1);
  turn->id = g_strdup (duty->id);
  turn->unit_code = g_strdup (duty->unit_code);
  turn->name = g_strstrip (g_strdup (duty->name));
  turn->phone = g_strstrip (g_strdup (duty->phone));
  turn->from = duty->from;
  turn->to = duty->to;
  from = ld_store_time_text (self, duty->from);
  to = ld_store_time_text (self, duty->to);
  data = ld_store_event_data ("unit_code", turn->unit_code, "name", turn->name, "phone", turn->phone,
                              "from", from, "to", to, NULL);

  if (!ld_store_begin (self, error))
    return FALSE;
  if (!write_duty (self, turn, error) ||
      !ld_store_record_event (self, actor, actor->logged_at ? actor->logged_at : ld_time_now (),
                              "duty", turn->id, "set", data, error) ||
      !ld_store_commit (self, error))
    {
      ld_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

gboolean
ld_store_remove_duty (LdStore *self, const char *id, const LdActor *actor, GError **error)
{
  g_autoptr(LdDuty) turn = ld_store_get_duty (self, id, error);
  g_autofree char *data = NULL;

  if (turn == NULL)
    return FALSE;
  if (turn->removed)
    {
      ld_store_set_not_found (error, _("Unknown duty turn %s"), id);
      return FALSE;
    }
  turn->removed = TRUE;
  data = ld_store_event_data ("unit_code", turn->unit_code, "name", turn->name, NULL);
  if (!ld_store_begin (self, error))
    return FALSE;
  if (!write_duty (self, turn, error) ||
      !ld_store_record_event (self, actor, actor->logged_at ? actor->logged_at : ld_time_now (),
                              "duty", id, "remove", data, error) ||
      !ld_store_commit (self, error))
    {
      ld_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
ld_store_list_duty (LdStore *self, const char *unit_code, gint64 from, gint64 to, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT " DUTY_COLUMNS " FROM duty"
    " WHERE removed = 0 AND (?1 IS NULL OR unit_code = ?1) AND to_at > ?2 AND from_at < ?3"
    " ORDER BY from_at, unit_code, id", error);

  if (stmt == NULL)
    return NULL;
  ld_bind_text (stmt, 1, unit_code);
  sqlite3_bind_int64 (stmt, 2, from);
  sqlite3_bind_int64 (stmt, 3, to);
  return ld_store_read_all (self, stmt, duty_from_row, (GDestroyNotify) ld_duty_free, error);
}

LdDuty *
ld_store_get_on_duty (LdStore *self, const char *unit_code, gint64 now, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT " DUTY_COLUMNS " FROM duty"
    " WHERE removed = 0 AND unit_code = ?1 AND to_at > ?2 AND from_at <= ?2"
    " ORDER BY from_at DESC, id LIMIT 1", error);
  LdDuty *turn = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  ld_bind_text (stmt, 1, unit_code);
  sqlite3_bind_int64 (stmt, 2, now);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      turn = duty_from_row (stmt);
      rc = SQLITE_DONE;
    }
  ld_store_end_rows (self, stmt, rc, error);
  return turn;
}

gboolean
ld_store_put_duty (LdStore *self, const LdDuty *duty, GError **error)
{
  if (!duty->removed && !check_duty (self, duty, error))
    return FALSE;
  return write_duty (self, duty, error);
}
