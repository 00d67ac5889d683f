/* ld-store.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>

#include "ld-store-area.h"

#define DEFAULT_CACHE_MB 64

G_DEFINE_FINAL_TYPE (LdStore, ld_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (ld-store-error-quark, ld_store_error)

/* Each entry moves the schema one version up; never edit a released one.
 * Every store has every table, the server's (user, session, operation)
 * and a desk's (outbox, outbox_touch, shadow) alike: the server, a desk
 * and the copy a desk is given all open through ld_store_open(), which
 * cannot tell them apart, and ld-snapshot.c fills a copy made by it from
 * every table of the server's store. */

static const char * const migrations[] = {
  /* 1 */
  "CREATE TABLE setting ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL);"
  "CREATE TABLE region ("
  "  code TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  parent_code TEXT REFERENCES region(code),"
  "  boundary TEXT);"
  "CREATE TABLE unit ("
  "  code TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  tier INTEGER NOT NULL CHECK (tier BETWEEN 1 AND 3),"
  "  category TEXT NOT NULL,"
  "  region_code TEXT REFERENCES region(code),"
  "  phone TEXT, lat REAL, lon REAL,"
  "  inactive INTEGER NOT NULL DEFAULT 0,"
  "  sign_limit_s INTEGER, arrive_limit_s INTEGER,"
  "  feedback_limit_s INTEGER, result_limit_s INTEGER);"
  "CREATE TABLE category ("
  "  code TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  mode TEXT NOT NULL CHECK (mode IN ('divert', 'immediate', 'joint')),"
  "  platform TEXT CHECK (platform IN ('12345', '114', '96345', 'governance')),"
  "  unit_categories TEXT,"
  "  sign_limit_s INTEGER, arrive_limit_s INTEGER,"
  "  feedback_limit_s INTEGER, result_limit_s INTEGER,"
  "  CHECK ((mode = 'divert') = (platform IS NOT NULL)));"
  "CREATE TABLE incident ("
  "  id TEXT PRIMARY KEY,"
  "  received_at INTEGER NOT NULL,"
  "  source TEXT NOT NULL CHECK (source IN ('110', '12345', '96345', 'grid', 'inspection', 'other')),"
  "  kind TEXT NOT NULL CHECK (kind IN ('police', 'linkage', 'diverted')),"
  "  diverted_to TEXT CHECK (diverted_to IN ('12345', '114', '96345', 'governance')),"
  "  caller_phone TEXT, address TEXT, lat REAL, lon REAL,"
  "  region_code TEXT REFERENCES region(code),"
  "  category TEXT, summary TEXT,"
  "  state TEXT NOT NULL CHECK (state IN ('new', 'dispatched', 'diverted', 'closed')),"
  "  closed_at INTEGER,"
  "  repeat_of TEXT REFERENCES incident(id),"
  "  followed_by_repeat INTEGER NOT NULL DEFAULT 0,"
  "  by_units INTEGER NOT NULL DEFAULT 0,"
  "  CHECK ((kind = 'diverted') = (diverted_to IS NOT NULL)));"
  "CREATE INDEX incident_received ON incident(received_at);"
  "CREATE INDEX incident_phone ON incident(caller_phone, received_at) WHERE caller_phone IS NOT NULL;"
  "CREATE INDEX incident_repeat_of ON incident(repeat_of) WHERE repeat_of IS NOT NULL;"

  "CREATE TABLE orders ("
  "  id TEXT PRIMARY KEY,"
  "  incident_id TEXT NOT NULL REFERENCES incident(id),"
  "  unit_code TEXT NOT NULL REFERENCES unit(code),"
  "  state TEXT NOT NULL CHECK (state IN ('dispatched', 'signed', 'arrived', 'completed', 'returned')),"
  "  dispatched_at INTEGER NOT NULL,"
  "  signed_at INTEGER, arrived_at INTEGER, completed_at INTEGER,"
  "  returned_at INTEGER, return_reason TEXT,"
  "  sign_due INTEGER NOT NULL, arrive_due INTEGER NOT NULL,"
  "  feedback_due INTEGER NOT NULL, result_due INTEGER NOT NULL,"
  "  first_feedback_at INTEGER,"
  "  feedback_count INTEGER NOT NULL DEFAULT 0,"
  "  overdue INTEGER NOT NULL DEFAULT 0,"
  /* Facts of the incident, copied so that a month's metrics are one range
   * scan of orders; only ld_store_insert_order() and
   * ld_store_relink_repeats() write them. */
  "  region_code TEXT,"
  "  repeat_call INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX orders_dispatched ON orders(dispatched_at);"
  "CREATE INDEX orders_incident ON orders(incident_id);"
  "CREATE INDEX orders_unit ON orders(unit_code, dispatched_at);"
  "CREATE INDEX orders_open ON orders(state) WHERE state IN ('dispatched', 'signed', 'arrived');"
  "CREATE TABLE feedback ("
  "  id TEXT PRIMARY KEY,"
  "  order_id TEXT NOT NULL REFERENCES orders(id),"
  "  at INTEGER NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('arrival', 'progress', 'result')),"
  "  text TEXT);"
  "CREATE INDEX feedback_order ON feedback(order_id);"
  "CREATE TABLE event ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  at INTEGER NOT NULL,"
  "  actor TEXT NOT NULL,"
  "  device TEXT,"
  "  entity TEXT NOT NULL,"
  "  entity_id TEXT NOT NULL,"
  "  action TEXT NOT NULL,"
  "  data TEXT);"
  "CREATE INDEX event_entity ON event(entity, entity_id);"
  "CREATE TABLE drill ("
  "  id TEXT PRIMARY KEY,"
  "  held_at INTEGER NOT NULL,"
  "  region_code TEXT REFERENCES region(code),"
  "  location TEXT, scenario TEXT, lat REAL, lon REAL);"
  "CREATE INDEX drill_held ON drill(held_at);"
  "CREATE TABLE drill_unit ("
  "  drill_id TEXT NOT NULL REFERENCES drill(id),"
  "  unit_code TEXT NOT NULL REFERENCES unit(code),"
  "  alarm_at INTEGER, arrived_at INTEGER,"
  "  limit_s INTEGER NOT NULL DEFAULT 1200,"
  "  note TEXT,"
  "  PRIMARY KEY (drill_id, unit_code)) WITHOUT ROWID;"
  "CREATE TABLE roll_call ("
  "  id TEXT PRIMARY KEY,"
  "  at INTEGER NOT NULL,"
  "  unit_code TEXT NOT NULL REFERENCES unit(code),"
  "  answered INTEGER NOT NULL,"
  "  answer_s INTEGER,"
  "  note TEXT);"
  "CREATE INDEX roll_call_at ON roll_call(at);"
  "CREATE TABLE return_visit ("
  "  id TEXT PRIMARY KEY,"
  "  incident_id TEXT NOT NULL REFERENCES incident(id),"
  "  at INTEGER NOT NULL,"
  "  satisfied INTEGER,"
  "  note TEXT);"
  "CREATE INDEX return_visit_incident ON return_visit(incident_id);"
  "CREATE TABLE user ("
  "  name TEXT PRIMARY KEY,"
  "  display_name TEXT,"
  "  role TEXT NOT NULL CHECK (role IN ('admin', 'dispatcher', 'inspector', 'leader', 'unit')),"
  "  unit_code TEXT REFERENCES unit(code),"
  "  password_hash TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  CHECK ((role = 'unit') = (unit_code IS NOT NULL)));",
  /* 2: sessions of the central server; a token is kept only as its hash */
  "CREATE TABLE session ("
  "  token_hash TEXT PRIMARY KEY,"
  "  user_name TEXT NOT NULL REFERENCES user(name) ON DELETE CASCADE,"
  "  device TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL);"
  "CREATE INDEX session_user ON session(user_name);",
  /* 3: sync — where a change came from, and the operations already taken */
  "ALTER TABLE event ADD COLUMN remote TEXT;"
  "CREATE TABLE operation ("
  "  id TEXT PRIMARY KEY,"
  "  seq INTEGER NOT NULL,"
  "  user_name TEXT NOT NULL,"
  "  received_at INTEGER NOT NULL);",
  /* 4: a desktop replica — the operations made here that the server has not
   * taken yet, and the server's version of every record they touched (NULL:
   * the server has no such record), so a refused one can be undone */
  "CREATE TABLE outbox ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  id TEXT NOT NULL UNIQUE,"
  "  operation TEXT NOT NULL,"
  "  made_at INTEGER NOT NULL);"
  "CREATE TABLE outbox_touch ("
  "  outbox_seq INTEGER NOT NULL REFERENCES outbox(seq) ON DELETE CASCADE,"
  "  entity TEXT NOT NULL,"
  "  entity_id TEXT NOT NULL,"
  "  PRIMARY KEY (outbox_seq, entity, entity_id)) WITHOUT ROWID;"
  "CREATE INDEX outbox_touch_record ON outbox_touch(entity, entity_id);"
  "CREATE INDEX incident_open ON incident(received_at) WHERE state IN ('new', 'dispatched');"
  "CREATE TABLE shadow ("
  "  entity TEXT NOT NULL,"
  "  entity_id TEXT NOT NULL,"
  "  record TEXT,"
  "  PRIMARY KEY (entity, entity_id)) WITHOUT ROWID;",
  /* 5: full-text search of incidents. Trigrams find any substring of three
   * or more characters, which is what Chinese text without word breaks
   * needs. The index holds only the terms and reads the text from incident;
   * it keeps no column sizes, as results go by time and are never ranked.
   * The triggers keep it exact for every writer (live, import, replica),
   * and fire only when an indexed column is written, not on each change of
   * state. A rare category's incidents are found without a scan of all. */
  "CREATE VIRTUAL TABLE incident_fts USING fts5 ("
  "  address, summary, caller_phone,"
  "  content = 'incident', content_rowid = 'rowid', tokenize = 'trigram', columnsize = 0);"
  FTS_INSERT_TRIGGER
  "CREATE TRIGGER incident_fts_delete AFTER DELETE ON incident BEGIN"
  "  INSERT INTO incident_fts (incident_fts, rowid, address, summary, caller_phone)"
  "   VALUES ('delete', old.rowid, old.address, old.summary, old.caller_phone);"
  " END;"
  "CREATE TRIGGER incident_fts_update AFTER UPDATE OF address, summary, caller_phone ON incident BEGIN"
  "  INSERT INTO incident_fts (incident_fts, rowid, address, summary, caller_phone)"
  "   VALUES ('delete', old.rowid, old.address, old.summary, old.caller_phone);"
  "  INSERT INTO incident_fts (rowid, address, summary, caller_phone)"
  "   VALUES (new.rowid, new.address, new.summary, new.caller_phone);"
  " END;"
  "INSERT INTO incident_fts (incident_fts) VALUES ('rebuild');"
  "CREATE INDEX incident_category ON incident(category, received_at);",
  /* 6: drills logged through sync — an arrival corrected with a reason is
   * no longer moved by a later log of the same unit, and inspectors' notes
   * on a drill (unit_code NULL) or on one unit of it */
  "ALTER TABLE drill_unit ADD COLUMN corrected INTEGER NOT NULL DEFAULT 0;"
  "CREATE TABLE drill_note ("
  "  id TEXT PRIMARY KEY,"
  "  drill_id TEXT NOT NULL REFERENCES drill(id),"
  "  unit_code TEXT REFERENCES unit(code),"
  "  at INTEGER NOT NULL,"
  "  author TEXT,"
  "  text TEXT NOT NULL);"
  "CREATE INDEX drill_note_drill ON drill_note(drill_id, at);",
  /* 7: the time indexes carry every column the metrics count (ld-metrics.c
   * reads these and no others), so a report, a bulletin or a dashboard
   * reads a period's rows from one index in order instead of looking each
   * row up in its table: about ten times faster over a year. Widened in
   * place rather than added, so writers keep the same number of indexes. */
  "DROP INDEX incident_received;"
  "CREATE INDEX incident_received ON incident(received_at, region_code, source, kind, by_units, diverted_to);"
  "DROP INDEX orders_dispatched;"
  "CREATE INDEX orders_dispatched ON orders(dispatched_at, unit_code, region_code, signed_at, feedback_count,"
  "  returned_at, completed_at, first_feedback_at, feedback_due, repeat_call);",
  /* 8: photos of drills, kept apart from the drill's row: a drill changes
   * with every tap, a photo never, and only what changes is sent again. */
  "CREATE TABLE drill_photo ("
  "  id TEXT PRIMARY KEY,"
  "  drill_id TEXT NOT NULL REFERENCES drill(id),"
  "  unit_code TEXT REFERENCES unit(code),"
  "  at INTEGER NOT NULL,"
  "  author TEXT,"
  "  caption TEXT,"
  "  mime TEXT NOT NULL,"
  "  data BLOB NOT NULL);"
  "CREATE INDEX drill_photo_drill ON drill_photo(drill_id, at);",
  /* 9: whose clock (DESIGN.md) — when the center logged a step a unit
   * reported by phone, if well after the step (补录), for every desk to
   * show beside its time */
  "ALTER TABLE orders ADD COLUMN signed_logged_at INTEGER;"
  "ALTER TABLE orders ADD COLUMN arrived_logged_at INTEGER;"
  "ALTER TABLE orders ADD COLUMN completed_logged_at INTEGER;"
  "ALTER TABLE orders ADD COLUMN returned_logged_at INTEGER;"
  "ALTER TABLE orders ADD COLUMN first_feedback_logged_at INTEGER;",
  /* 10: why a drill's arrival was corrected, shown beside the time */
  "ALTER TABLE drill_unit ADD COLUMN correction TEXT;",
  /* 11: the duty roster, and live roll calls in the table the imported
   * ones fill, so that one count reads both: a live row belongs to its
   * roll call, has its limit and the server's time of the answer. */
  "CREATE TABLE duty ("
  "  id TEXT PRIMARY KEY,"
  "  unit_code TEXT NOT NULL REFERENCES unit(code),"
  "  name TEXT NOT NULL,"
  "  phone TEXT NOT NULL,"
  "  from_at INTEGER NOT NULL,"
  "  to_at INTEGER NOT NULL,"
  "  removed INTEGER NOT NULL DEFAULT 0,"
  "  CHECK (from_at < to_at));"
  "CREATE INDEX duty_unit ON duty(unit_code, to_at) WHERE removed = 0;"
  "ALTER TABLE roll_call ADD COLUMN roll_call_id TEXT;"
  "ALTER TABLE roll_call ADD COLUMN limit_s INTEGER;"
  "ALTER TABLE roll_call ADD COLUMN answered_at INTEGER;"
  "CREATE INDEX roll_call_live ON roll_call(roll_call_id, unit_code) WHERE roll_call_id IS NOT NULL;"
  "CREATE INDEX roll_call_unanswered ON roll_call(at) WHERE roll_call_id IS NOT NULL AND answered_at IS NULL;",
  /* 12: the unit's desk (issue 17) — whose duty a return names, the
   * center's ruling on it, the first result feedback that completion
   * needs, and a deadline extension asked for and ruled on */
  "ALTER TABLE orders ADD COLUMN duty_unit_code TEXT;"
  "ALTER TABLE orders ADD COLUMN not_ours INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE orders ADD COLUMN basis TEXT;"
  "ALTER TABLE orders ADD COLUMN return_ruling TEXT CHECK (return_ruling IN ('accepted', 'overruled'));"
  "ALTER TABLE orders ADD COLUMN return_ruled_at INTEGER;"
  "ALTER TABLE orders ADD COLUMN return_ruled_by TEXT;"
  "ALTER TABLE orders ADD COLUMN return_ruling_reason TEXT;"
  "ALTER TABLE orders ADD COLUMN result_feedback_at INTEGER;"
  "ALTER TABLE orders ADD COLUMN extension_step TEXT CHECK (extension_step IN ('feedback', 'complete'));"
  "ALTER TABLE orders ADD COLUMN extension_until INTEGER;"
  "ALTER TABLE orders ADD COLUMN extension_reason TEXT;"
  "ALTER TABLE orders ADD COLUMN extension_requested_at INTEGER;"
  "ALTER TABLE orders ADD COLUMN extension_ruling TEXT CHECK (extension_ruling IN ('approved', 'refused'));"
  "ALTER TABLE orders ADD COLUMN extension_ruled_at INTEGER;"
  "ALTER TABLE orders ADD COLUMN extension_ruling_reason TEXT;"
  "ALTER TABLE orders ADD COLUMN extension_original_due INTEGER;"
  "UPDATE orders SET result_feedback_at ="
  " (SELECT min(at) FROM feedback WHERE order_id = orders.id AND kind = 'result');",
  /* 13: the returns waiting for the center's ruling, read on every change */
  "CREATE INDEX orders_to_rule ON orders(returned_at) WHERE state = 'returned' AND return_ruling IS NULL;",
};

/* Targets from the seeds: repeat ≤ 14 % (000), sign and feedback 100 % (000),
 * completion ≥ 90 % and satisfaction ≥ 95 % (002). */
static const struct {
  const char *metric;
  double      value;
} default_targets[] = {
  { "repeat_rate", 0.14 },
  { "sign_rate", 1.0 },
  { "feedback_rate", 1.0 },
  { "completion_rate", 0.90 },
  { "satisfaction_rate", 0.95 },
};

static void
ld_store_finalize (GObject *object)
{
  LdStore *self = (LdStore *) object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  ld_store_invalidate_caches (self);
  if (self->db)
    sqlite3_close_v2 (self->db);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_free (self->path);

  G_OBJECT_CLASS (ld_store_parent_class)->finalize (object);
}

static void
ld_store_class_init (LdStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ld_store_finalize;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
ld_store_init (LdStore *self)
{
  self->statements = g_hash_table_new_full (NULL, NULL, NULL, finalize_statement);
}

/* Statements */

sqlite3 *
ld_store_get_handle (LdStore *self)
{
  return self->db;
}

void
ld_store_set_db_error (LdStore *self, GError **error)
{
  int code = sqlite3_extended_errcode (self->db);

  if ((code & 0xff) == SQLITE_CONSTRAINT && code == SQLITE_CONSTRAINT_PRIMARYKEY)
    g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_DUPLICATE, "%s", sqlite3_errmsg (self->db));
  else if ((code & 0xff) == SQLITE_CONSTRAINT)
    g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, "%s", sqlite3_errmsg (self->db));
  else
    g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_DB, _("Database error: %s"),
                 sqlite3_errmsg (self->db));
}

sqlite3_stmt *
ld_store_prepare (LdStore *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
        {
          ld_store_set_db_error (self, error);
          return NULL;
        }
      g_hash_table_insert (self->statements, (gpointer) sql, stmt);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

gboolean
ld_store_exec (LdStore *self, const char *sql, GError **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      ld_store_set_db_error (self, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
ld_store_step_done (LdStore *self, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      ld_store_set_db_error (self, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
ld_store_run (LdStore *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, sql, error);
  return stmt != NULL && ld_store_step_done (self, stmt, error);
}

/* The formats these two take are the callers' own translated literals,
 * each with the arity the helper fills: the one place the format cannot
 * be checked where it is used. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

void
ld_store_set_not_found (GError **error, const char *what, const char *id)
{
  g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND, what, id ? id : "");
}

void
ld_store_set_transition_error (GError **error, const char *message, const char *id, const char *state)
{
  g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION, message, id, state);
}

#pragma GCC diagnostic pop

gpointer
ld_store_read_one (LdStore *self, const char *sql, const char *key, LdRowReader reader,
                   const char *not_found, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, sql, error);
  gpointer row = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  ld_bind_text (stmt, 1, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    row = reader (stmt);
  else if (rc == SQLITE_DONE)
    ld_store_set_not_found (error, not_found, key);
  else
    ld_store_set_db_error (self, error);
  sqlite3_reset (stmt);
  return row;
}

GPtrArray *
ld_store_read_all (LdStore *self, sqlite3_stmt *stmt, LdRowReader reader, GDestroyNotify free_func, GError **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (free_func);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, reader (stmt));
  if (!ld_store_end_rows (self, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&list);
}

gboolean
ld_store_end_rows (LdStore *self, sqlite3_stmt *stmt, int rc, GError **error)
{
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      ld_store_set_db_error (self, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
migrate (LdStore *self, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, "PRAGMA user_version", error);
  int version;

  if (stmt == NULL)
    return FALSE;
  sqlite3_step (stmt);
  version = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  if (version > (int) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_SCHEMA,
                   _("%s was written by a newer Liandong (schema %d, this one knows %d)"),
                   self->path, version, (int) G_N_ELEMENTS (migrations));
      return FALSE;
    }

  for (; version < (int) G_N_ELEMENTS (migrations); version++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!ld_store_begin (self, error))
        return FALSE;
      if (!ld_store_exec (self, migrations[version], error) ||
          !ld_store_exec (self, set_version, error))
        {
          ld_store_rollback (self);
          return FALSE;
        }
      if (!ld_store_commit (self, error))
        return FALSE;
    }
  return TRUE;
}

LdStore *
ld_store_open (const char *path, GError **error)
{
  g_autoptr(LdStore) self = g_object_new (LD_TYPE_STORE, NULL);
  g_autofree char *tz_name = NULL;

  self->path = g_strdup (path);
  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_DB, _("Cannot open %s: %s"), path,
                   self->db ? sqlite3_errmsg (self->db) : g_strerror (ENOMEM));
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);

  /* WAL lets readers (reports, the server's pulls) run beside a writer;
   * synchronous=NORMAL in WAL keeps every commit across a process crash. */
  if (!ld_store_exec (self, "PRAGMA journal_mode = WAL;"
                            "PRAGMA synchronous = NORMAL;"
                            "PRAGMA foreign_keys = ON;"
                            "PRAGMA temp_store = MEMORY;"
                            /* Reports read a month of rows at random from
                             * large indexes: mapped pages skip a copy and a
                             * system call each. */
                            "PRAGMA mmap_size = 1073741824;", error))
    return NULL;

  ld_store_set_cache_mb (self, 0);
  if (!migrate (self, error))
    return NULL;

  /* Scratch tables of the repeat-call bookkeeping (ld_store_relink_repeats). */
  if (!ld_store_exec (self,
                      "CREATE TEMP TABLE ld_phone (phone TEXT PRIMARY KEY) WITHOUT ROWID;"
                      "CREATE TEMP TABLE ld_relink (id TEXT PRIMARY KEY, followed INTEGER, repeat_of TEXT)"
                      " WITHOUT ROWID;", error))
    return NULL;

  tz_name = ld_store_get_setting (self, "time_zone");
  self->tz = g_time_zone_new_identifier (tz_name ? tz_name : "Asia/Shanghai");
  if (self->tz == NULL)
    self->tz = g_time_zone_new_offset (8 * 3600);

  return g_steal_pointer (&self);
}

const char *
ld_store_get_path (LdStore *self)
{
  return self->path;
}

#define TRAINING_KEY "training"

gboolean
ld_store_is_training (LdStore *self)
{
  g_autofree char *value = ld_store_get_setting (self, TRAINING_KEY);
  return g_strcmp0 (value, "1") == 0;
}

/* Only a store with no incident yet becomes a training store: one with
 * live records never does. */
gboolean
ld_store_make_training (LdStore *self, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, "SELECT EXISTS (SELECT 1 FROM incident)", error);
  gboolean any;

  if (stmt == NULL)
    return FALSE;
  any = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (any && !ld_store_is_training (self))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("The database %s holds live records: a training store is made empty, for training"),
                   self->path);
      return FALSE;
    }
  return ld_store_set_setting (self, TRAINING_KEY, "1", error);
}

/* sqlite opens a file it may not write read-only without a word, and
 * only the first write would tell: a write lock taken and given back
 * tells now. */
gboolean
ld_store_check_writable (LdStore *self, GError **error)
{
  g_return_val_if_fail (LD_IS_STORE (self), FALSE);

  if (sqlite3_db_readonly (self->db, "main") == 1 ||
      sqlite3_exec (self->db, "BEGIN IMMEDIATE; ROLLBACK;", NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_DB,
                   _("The database %s cannot be written: check the permissions of the file and its folder, and the space left on the disk"),
                   self->path);
      return FALSE;
    }
  return TRUE;
}

int
ld_store_get_schema_version (LdStore *self)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, "PRAGMA user_version", NULL);
  int version;

  sqlite3_step (stmt);
  version = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return version;
}

GTimeZone *
ld_store_get_time_zone (LdStore *self)
{
  return self->tz;
}

gboolean
ld_store_set_time_zone (LdStore *self, const char *identifier, GError **error)
{
  GTimeZone *tz = g_time_zone_new_identifier (identifier);

  if (tz == NULL)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("Unknown time zone “%s”"), identifier);
      return FALSE;
    }
  if (!ld_store_set_setting (self, "time_zone", identifier, error))
    {
      g_time_zone_unref (tz);
      return FALSE;
    }
  g_time_zone_unref (self->tz);
  self->tz = tz;
  return TRUE;
}

char *
ld_store_get_setting (LdStore *self, const char *key)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, "SELECT value FROM setting WHERE key = ?", NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = ld_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

gboolean
ld_store_set_setting (LdStore *self, const char *key, const char *value, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "INSERT INTO setting (key, value) VALUES (?, ?)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  ld_store_invalidate_caches (self);
  return ld_store_step_done (self, stmt, error);
}

/* Targets are set per center as "target.<metric>" settings. */
double
ld_store_get_target (LdStore *self, const char *metric)
{
  g_autofree char *key = g_strconcat ("target.", metric, NULL);
  g_autofree char *value = ld_store_get_setting (self, key);

  if (value)
    return g_ascii_strtod (value, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (default_targets); i++)
    if (g_str_equal (default_targets[i].metric, metric))
      return default_targets[i].value;
  return NAN;
}

/* Transactions */

/* Nested levels are savepoints of one name: ROLLBACK TO and RELEASE reach
 * the innermost, and the SQL stays the same so it is prepared once. */
gboolean
ld_store_begin (LdStore *self, GError **error)
{
  if (!ld_store_run (self, self->depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT ld", error))
    return FALSE;
  self->depth++;
  return TRUE;
}

gboolean
ld_store_commit (LdStore *self, GError **error)
{
  g_return_val_if_fail (self->depth > 0, FALSE);

  if (!ld_store_run (self, self->depth == 1 ? "COMMIT" : "RELEASE ld", error))
    {
      ld_store_rollback (self);
      return FALSE;
    }
  self->depth--;
  return TRUE;
}

void
ld_store_rollback (LdStore *self)
{
  g_return_if_fail (self->depth > 0);

  if (self->depth == 1)
    ld_store_run (self, "ROLLBACK", NULL);
  else
    {
      ld_store_run (self, "ROLLBACK TO ld", NULL);
      ld_store_run (self, "RELEASE ld", NULL);
    }
  self->depth--;
  /* A rolled-back put may have filled a cache with what is no longer there. */
  ld_store_invalidate_caches (self);
}

/* @mb of page cache; 0 for the everyday size. */
void
ld_store_set_cache_mb (LdStore *self, guint mb)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA cache_size = -%u", (mb ? mb : DEFAULT_CACHE_MB) * 1024);
  sqlite3_exec (self->db, sql, NULL, NULL, NULL);
}

gint64
ld_store_next_rowid (LdStore *self, const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce(max(rowid), 0) + 1 FROM %s", table);
  sqlite3_stmt *stmt;
  gint64 rowid = 1;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return rowid;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    rowid = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return rowid;
}
