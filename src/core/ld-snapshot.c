/* ld-snapshot.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "ld-snapshot.h"
#include "ld-store-private.h"

/* A unit's orders and their incidents, the unit's code bound as %Q. */
#define UNIT_ORDERS     "(SELECT id FROM main.orders WHERE unit_code = %Q)"
#define UNIT_INCIDENTS  "(SELECT incident_id FROM main.orders WHERE unit_code = %Q)"

/* Whether @user's copy keeps only some incidents. */
static gboolean
cut_incidents (const LdUser *user)
{
  return g_strcmp0 (user->role, "unit") == 0;
}

/* The SQL that fills @table of the copy for @user from the store, or NULL
 * when the copy keeps none of it; free with sqlite3_free(). Secrets stay
 * on the server, and what clients took is the server's business. A unit
 * has its own orders and their incidents, with their timeline, its own
 * duty roster and roll calls, and of users only itself. A whole table is
 * copied as it is stored, its indexes with it, which is several times
 * faster than row by row. */
static char *
fill_sql (const char *table, const LdUser *user)
{
  gboolean unit = cut_incidents (user);
  const char *code = user->unit_code;

  if (g_str_equal (table, "session") || g_str_equal (table, "operation"))
    return NULL;
  if (g_str_equal (table, "user"))
    return sqlite3_mprintf ("INSERT INTO snapshot.user (name, display_name, role, unit_code, created_at)"
                            " SELECT name, display_name, role, unit_code, created_at FROM main.user"
                            " WHERE %d OR name = %Q", !unit, user->name);
  if (!unit)
    return sqlite3_mprintf ("INSERT INTO snapshot.\"%w\" SELECT * FROM main.\"%w\"", table, table);

  if (g_str_equal (table, "orders"))
    return sqlite3_mprintf ("INSERT INTO snapshot.orders SELECT * FROM main.orders WHERE unit_code = %Q", code);
  if (g_str_equal (table, "incident"))
    return sqlite3_mprintf ("INSERT INTO snapshot.incident SELECT * FROM main.incident WHERE id IN " UNIT_INCIDENTS,
                            code);
  if (g_str_equal (table, "feedback"))
    return sqlite3_mprintf ("INSERT INTO snapshot.feedback SELECT * FROM main.feedback WHERE order_id IN " UNIT_ORDERS,
                            code);
  if (g_str_equal (table, "return_visit"))
    return sqlite3_mprintf ("INSERT INTO snapshot.return_visit SELECT * FROM main.return_visit"
                            " WHERE incident_id IN " UNIT_INCIDENTS, code);
  if (g_str_equal (table, "event"))
    return sqlite3_mprintf ("INSERT INTO snapshot.event SELECT * FROM main.event"
                            " WHERE (entity = 'order' AND entity_id IN " UNIT_ORDERS ")"
                            "  OR (entity = 'incident' AND entity_id IN " UNIT_INCIDENTS ")", code, code);
  /* Its own roster and roll calls, to show and to answer. */
  if (g_str_equal (table, "duty") || g_str_equal (table, "roll_call"))
    return sqlite3_mprintf ("INSERT INTO snapshot.\"%w\" SELECT * FROM main.\"%w\" WHERE unit_code = %Q",
                            table, table, code);
  if (g_str_has_prefix (table, "drill"))
    return NULL;
  return sqlite3_mprintf ("INSERT INTO snapshot.\"%w\" SELECT * FROM main.\"%w\"", table, table);
}

/* What the copy changes after it is filled: no one but an administrator,
 * who reads the audit trail anyway, learns another user's device or
 * network address; a unit's incidents do not point at others'. */
static char *
amend_sql (const LdUser *user)
{
  if (g_strcmp0 (user->role, "admin") == 0)
    return NULL;
  return sqlite3_mprintf ("UPDATE snapshot.event SET device = NULL, remote = NULL"
                          " WHERE actor IS NOT %Q AND (device IS NOT NULL OR remote IS NOT NULL);"
                          "%s", user->name,
                          !cut_incidents (user) ? "" :
                          "UPDATE snapshot.incident SET repeat_of = NULL"
                          " WHERE repeat_of NOT IN (SELECT id FROM snapshot.incident);");
}

/* The store's own tables of @type, "table" or "shadow" (those the search
 * index keeps its terms in): not sqlite's. */
static GPtrArray *
list_tables (LdStore *store, const char *type, GError **error)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (ld_store_get_handle (store),
                          "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = ?"
                          " AND name NOT LIKE 'sqlite!_%' ESCAPE '!'", -1, &stmt, NULL) != SQLITE_OK)
    {
      ld_store_set_db_error (store, error);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, type, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    {
      ld_store_set_db_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&tables);
}

/* Gives the attached copy the rows @user keeps, as of one moment. */
static gboolean
fill (LdStore *store, const LdUser *user, gint64 *seq, GError **error)
{
  g_autoptr(GPtrArray) tables = list_tables (store, "table", error);
  g_autoptr(GPtrArray) shadows = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  char *amend;
  gboolean amended;

  if (tables == NULL)
    return FALSE;
  for (guint i = 0; i < tables->len; i++)
    {
      char *sql = fill_sql (g_ptr_array_index (tables, i), user);
      gboolean filled = sql == NULL || ld_store_exec (store, sql, error);

      sqlite3_free (sql);
      if (!filled)
        return FALSE;
    }
  /* A copy of every incident takes the search index as the server keeps
   * it, in place of the one finish() would make from the same rows: the
   * server never deletes an incident nor changes its words, so the index
   * holds nothing else. */
  if (!cut_incidents (user))
    {
      shadows = list_tables (store, "shadow", error);
      if (shadows == NULL)
        return FALSE;
      for (guint i = 0; i < shadows->len; i++)
        {
          const char *name = g_ptr_array_index (shadows, i);
          char *sql = sqlite3_mprintf ("DELETE FROM snapshot.\"%w\";"
                                       "INSERT INTO snapshot.\"%w\" SELECT * FROM main.\"%w\"", name, name, name);
          gboolean filled = ld_store_exec (store, sql, error);

          sqlite3_free (sql);
          if (!filled)
            return FALSE;
        }
    }
  amend = amend_sql (user);
  amended = amend == NULL || ld_store_exec (store, amend, error);
  sqlite3_free (amend);
  /* A replica's own events are numbered on from the server's. */
  if (!amended ||
      !ld_store_exec (store,
                      "DELETE FROM snapshot.sqlite_sequence;"
                      "INSERT INTO snapshot.sqlite_sequence SELECT * FROM main.sqlite_sequence;", error))
    return FALSE;

  if (sqlite3_prepare_v2 (ld_store_get_handle (store),
                          "SELECT coalesce(max(seq), 0) FROM main.sqlite_sequence WHERE name = 'event'",
                          -1, &stmt, NULL) != SQLITE_OK || sqlite3_step (stmt) != SQLITE_ROW)
    {
      ld_store_set_db_error (store, error);
      return FALSE;
    }
  *seq = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* An empty store at @path with the schema of this version, its triggers
 * set aside for the fill and returned, to be put back after it: a table
 * with triggers is filled row by row. */
static GPtrArray *
create_empty (const char *path, GError **error)
{
  g_autoptr(LdStore) copy = ld_store_open (path, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) triggers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (copy == NULL)
    return NULL;
  if (sqlite3_prepare_v2 (ld_store_get_handle (copy), "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      ld_store_set_db_error (copy, error);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (triggers, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  if (rc != SQLITE_DONE)
    {
      ld_store_set_db_error (copy, error);
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  for (guint i = 0; i < names->len; i++)
    {
      char *sql = sqlite3_mprintf ("DROP TRIGGER \"%w\"", (char *) g_ptr_array_index (names, i));
      gboolean dropped = ld_store_exec (copy, sql, error);

      sqlite3_free (sql);
      if (!dropped)
        return NULL;
    }
  /* Out of WAL, so that the copy is one file to attach and to hand out. */
  if (!ld_store_exec (copy, "PRAGMA journal_mode = DELETE;", error))
    return NULL;
  return g_steal_pointer (&triggers);
}

static gboolean
exec_copy (sqlite3 *db, const char *sql, GError **error)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_DB, _("Database error: %s"), message);
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

/* Puts back @triggers and, if @index, makes the search index from the
 * copy's rows. */
static gboolean
finish (const char *path, GPtrArray *triggers, gboolean index, GError **error)
{
  sqlite3 *db = NULL;
  gboolean ok;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_DB, _("Cannot open %s: %s"), path, sqlite3_errmsg (db));
      sqlite3_close (db);
      return FALSE;
    }
  /* Making the index frees the pages of its passing segments: zeroed, the
   * free pages of the file hold nothing at all. */
  ok = exec_copy (db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA secure_delete = ON;", error);
  for (guint i = 0; ok && i < triggers->len; i++)
    ok = exec_copy (db, g_ptr_array_index (triggers, i), error);
  if (ok && index)
    ok = exec_copy (db, "INSERT INTO incident_fts (incident_fts) VALUES ('rebuild');", error);
  sqlite3_close (db);
  return ok;
}

gboolean
ld_snapshot_write (LdStore *store, const char *path, const LdUser *user, gint64 *seq, GError **error)
{
  g_autoptr(GPtrArray) triggers = NULL;
  sqlite3_stmt *stmt;
  gboolean attached = FALSE, ok = FALSE;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_DUPLICATE,
                   _("%s exists already: a copy of the store is written to a new file"), path);
      return FALSE;
    }

  /* The copy is made afresh and given only the rows it keeps, so it holds
   * no deleted byte: not in a free page, a journal or the search index's
   * segments. What it changes after, secure_delete overwrites. */
  triggers = create_empty (path, error);
  if (triggers == NULL)
    goto out;
  stmt = ld_store_prepare (store, "ATTACH ? AS snapshot", error);
  if (stmt == NULL)
    goto out;
  ld_bind_text (stmt, 1, path);
  if (!ld_store_step_done (store, stmt, error))
    goto out;
  attached = TRUE;

  /* The copy is thrown away if it fails, so it needs no journal. Its
   * references were checked in the store, or are kept whole for a unit;
   * unchecked, a table is copied as it is stored. */
  if (!ld_store_exec (store,
                      "PRAGMA snapshot.journal_mode = OFF;"
                      "PRAGMA snapshot.synchronous = OFF;"
                      "PRAGMA snapshot.secure_delete = ON;"
                      "PRAGMA snapshot.cache_size = -65536;"
                      "PRAGMA foreign_keys = OFF;"
                      "BEGIN;", error))
    goto out;
  ok = fill (store, user, seq, error) && ld_store_exec (store, "COMMIT;", error);
  if (!ok)
    ld_store_exec (store, "ROLLBACK;", NULL);

out:
  if (attached)
    {
      /* The store's own setting, from ld_store_open(). */
      ld_store_exec (store, "PRAGMA foreign_keys = ON;", NULL);
      if (!ld_store_exec (store, "DETACH snapshot;", ok ? error : NULL))
        ok = FALSE;
    }
  if (ok)
    ok = finish (path, triggers, cut_incidents (user), error);
  if (!ok)
    g_unlink (path);
  return ok;
}
