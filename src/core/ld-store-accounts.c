/* ld-store-accounts.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Users and sessions: only the central server signs people in and keeps
 * sessions; a desk's copy holds the users it may see, without secrets. */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ld-store-area.h"

static gpointer
user_from_row (sqlite3_stmt *stmt)
{
  LdUser *u = g_new0 (LdUser, 1);
  u->name = ld_column_dup (stmt, 0);
  u->display_name = ld_column_dup (stmt, 1);
  u->role = ld_column_dup (stmt, 2);
  u->unit_code = ld_column_dup (stmt, 3);
  u->password_hash = ld_column_dup (stmt, 4);
  u->created_at = sqlite3_column_int64 (stmt, 5);
  return u;
}

#define USER_COLUMNS "name, display_name, role, unit_code, password_hash, created_at"

gboolean
ld_store_put_user (LdStore *self, const LdUser *user, GError **error)
{
  sqlite3_stmt *stmt;

  if (user->name == NULL || *user->name == '\0' || strpbrk (user->name, " \t\n:") != NULL)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("A user name must be non-empty and hold no spaces or colons"));
      return FALSE;
    }
  if (!ld_role_is_valid (user->role))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("Role must be admin, dispatcher, inspector, leader or unit, not “%s”"),
                   user->role ? user->role : "");
      return FALSE;
    }
  if (g_str_equal (user->role, "unit") != (user->unit_code != NULL))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("A user of role unit needs the unit it speaks for, and only such a user has one"));
      return FALSE;
    }
  if (user->unit_code && ld_store_lookup_unit (self, user->unit_code) == NULL)
    {
      ld_store_set_not_found (error, _("Unknown unit %s"), user->unit_code);
      return FALSE;
    }

  stmt = ld_store_prepare (self,
    "INSERT INTO user (" USER_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    " ON CONFLICT (name) DO UPDATE SET display_name = ?2, role = ?3, unit_code = ?4,"
    "   password_hash = coalesce(?5, password_hash)", error);
  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, user->name);
  ld_bind_text (stmt, 2, user->display_name);
  ld_bind_text (stmt, 3, user->role);
  ld_bind_text (stmt, 4, user->unit_code);
  ld_bind_text (stmt, 5, user->password_hash);
  sqlite3_bind_int64 (stmt, 6, user->created_at ? user->created_at : ld_time_now ());
  return ld_store_step_done (self, stmt, error);
}

LdUser *
ld_store_get_user (LdStore *self, const char *name, GError **error)
{
  return ld_store_read_one (self, "SELECT " USER_COLUMNS " FROM user WHERE name = ?", name, user_from_row,
                  _("Unknown user %s"), error);
}

GPtrArray *
ld_store_list_users (LdStore *self, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, "SELECT " USER_COLUMNS " FROM user ORDER BY name", error);
  return stmt ? ld_store_read_all (self, stmt, user_from_row, (GDestroyNotify) ld_user_free, error) : NULL;
}

/* Deleting a user ends its sessions; its past events keep its name. */
gboolean
ld_store_delete_user (LdStore *self, const char *name, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, "DELETE FROM user WHERE name = ?", error);

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, name);
  if (!ld_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      ld_store_set_not_found (error, _("Unknown user %s"), name);
      return FALSE;
    }
  return TRUE;
}

gboolean
ld_store_add_session (LdStore *self, const char *token_hash, const char *user_name, const char *device,
                      gint64 expires_at, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "INSERT INTO session (token_hash, user_name, device, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
    error);

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, token_hash);
  ld_bind_text (stmt, 2, user_name);
  ld_bind_text (stmt, 3, device);
  sqlite3_bind_int64 (stmt, 4, ld_time_now ());
  sqlite3_bind_int64 (stmt, 5, expires_at);
  return ld_store_step_done (self, stmt, error);
}

/* The user of a live session, with the session's device; NULL when the
 * token is unknown or expired. */
LdUser *
ld_store_lookup_session (LdStore *self, const char *token_hash, gint64 now, char **device)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT u.name, u.display_name, u.role, u.unit_code, NULL, u.created_at, s.device"
    " FROM session s JOIN user u ON u.name = s.user_name"
    " WHERE s.token_hash = ? AND s.expires_at > ?", NULL);
  LdUser *user = NULL;

  if (stmt == NULL)
    return NULL;
  ld_bind_text (stmt, 1, token_hash);
  sqlite3_bind_int64 (stmt, 2, now);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      user = user_from_row (stmt);
      if (device)
        *device = ld_column_dup (stmt, 6);
    }
  sqlite3_reset (stmt);
  return user;
}

gboolean
ld_store_delete_session (LdStore *self, const char *token_hash, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "DELETE FROM session WHERE token_hash = ? OR expires_at <= ?", error);

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, token_hash);
  sqlite3_bind_int64 (stmt, 2, ld_time_now ());
  return ld_store_step_done (self, stmt, error);
}
