/* ld-snapshot.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ld-snapshot.h"
#include "ld-store-private.h"

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

gboolean
ld_snapshot_write (LdStore *store, const char *path, const LdUser *user, gint64 *seq, GError **error)
{
  sqlite3_stmt *stmt;
  sqlite3 *copy = NULL;
  gboolean ok = FALSE;

  /* VACUUM INTO copies one consistent state of the store in one statement;
   * on the server it holds the main loop while it copies. */
  stmt = ld_store_prepare (store, "VACUUM INTO ?", error);
  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, path);
  if (!ld_store_step_done (store, stmt, error))
    return FALSE;

  if (sqlite3_open (path, &copy) != SQLITE_OK)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_DB, _("Cannot open %s: %s"), path, sqlite3_errmsg (copy));
      goto out;
    }
  /* Secrets stay on the server; what clients took is the server's business. */
  /* What is deleted from the copy is overwritten, not left in free pages
   * of the file: other units' rows, photos, password hashes. */
  if (!exec_copy (copy,
                  "PRAGMA foreign_keys = OFF;"
                  "PRAGMA secure_delete = ON;"
                  "BEGIN;"
                  "DELETE FROM session;"
                  "DELETE FROM operation;"
                  "UPDATE user SET password_hash = NULL;", error))
    goto out;
  if (g_strcmp0 (user->role, "unit") == 0)
    {
      char *sql = sqlite3_mprintf (
        "DELETE FROM orders WHERE unit_code != %Q;"
        "DELETE FROM incident WHERE id NOT IN (SELECT incident_id FROM orders);"
        "DELETE FROM feedback WHERE order_id NOT IN (SELECT id FROM orders);"
        "DELETE FROM return_visit WHERE incident_id NOT IN (SELECT id FROM incident);"
        "UPDATE incident SET repeat_of = NULL WHERE repeat_of NOT IN (SELECT id FROM incident);"
        "DELETE FROM event WHERE NOT ((entity = 'order' AND entity_id IN (SELECT id FROM orders))"
        "  OR (entity = 'incident' AND entity_id IN (SELECT id FROM incident)));"
        "DELETE FROM drill_photo; DELETE FROM drill_note; DELETE FROM drill_unit; DELETE FROM drill;"
        "DELETE FROM roll_call;"
        "DELETE FROM user WHERE name != %Q;",
        user->unit_code, user->name);
      gboolean cut = exec_copy (copy, sql, error);

      sqlite3_free (sql);
      if (!cut)
        goto out;
    }
  if (!exec_copy (copy, "COMMIT;", error))
    goto out;
  /* A unit keeps a sliver of the store: its copy is made that small. */
  if (g_strcmp0 (user->role, "unit") == 0 && !exec_copy (copy, "VACUUM;", error))
    goto out;

  /* The copy's own newest change is what it is current to. */
  *seq = ld_store_get_sequence (store);
  if (sqlite3_prepare_v2 (copy, "SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'event'",
                          -1, &stmt, NULL) == SQLITE_OK)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        *seq = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
    }
  ok = TRUE;

out:
  sqlite3_close (copy);
  return ok;
}
