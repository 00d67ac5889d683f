/* ld-store.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "ld-store-private.h"

struct _LdStore
{
  GObject      parent_instance;

  char        *path;
  sqlite3     *db;
  GHashTable  *statements;    /* const char *sql → sqlite3_stmt */
  guint        depth;         /* transaction nesting */
  GTimeZone   *tz;

  /* Caches of the small reference tables; dropped whenever they change. */
  GHashTable  *units;         /* code → LdUnit */
  GHashTable  *categories;    /* code → LdCategory */
  GHashTable  *parents;       /* region code → parent code */
  LdGeoIndex  *geo_index;
  GHashTable  *limits;        /* "category\x1funit" → LdLimits */
};

#define DEFAULT_CACHE_MB 64

G_DEFINE_FINAL_TYPE (LdStore, ld_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (ld-store-error-quark, ld_store_error)

/* Each entry moves the schema one version up; never edit a released one. */
/* Kept apart: a bulk import drops it and indexes its rows in one go. */
#define FTS_INSERT_TRIGGER \
  "CREATE TRIGGER incident_fts_insert AFTER INSERT ON incident BEGIN" \
  "  INSERT INTO incident_fts (rowid, address, summary, caller_phone)" \
  "   VALUES (new.rowid, new.address, new.summary, new.caller_phone);" \
  " END;"

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

/* Deadlines from the seeds: sign 5 min, arrive 20 min (002), feedback 2 h (003),
 * result 8 h (002). */
static const LdLimits default_limits = { 300, 1200, 7200, 28800 };

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

void
ld_store_invalidate_caches (LdStore *self)
{
  g_clear_pointer (&self->units, g_hash_table_unref);
  g_clear_pointer (&self->categories, g_hash_table_unref);
  g_clear_pointer (&self->parents, g_hash_table_unref);
  g_clear_pointer (&self->geo_index, ld_geo_index_free);
  g_clear_pointer (&self->limits, g_hash_table_unref);
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
static gboolean
run_cached (LdStore *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, sql, error);
  return stmt != NULL && ld_store_step_done (self, stmt, error);
}

gboolean
ld_store_begin (LdStore *self, GError **error)
{
  if (!run_cached (self, self->depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT ld", error))
    return FALSE;
  self->depth++;
  return TRUE;
}

gboolean
ld_store_commit (LdStore *self, GError **error)
{
  g_return_val_if_fail (self->depth > 0, FALSE);

  if (!run_cached (self, self->depth == 1 ? "COMMIT" : "RELEASE ld", error))
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
    run_cached (self, "ROLLBACK", NULL);
  else
    {
      run_cached (self, "ROLLBACK TO ld", NULL);
      run_cached (self, "RELEASE ld", NULL);
    }
  self->depth--;
  /* A rolled-back put may have filled a cache with what is no longer there. */
  ld_store_invalidate_caches (self);
}

/* Audit trail */

static char *time_text (LdStore *self, gint64 at);

/* An operation synced in keeps in its event the time its device claimed
 * and when it was logged here, whichever of them the step took (DESIGN.md,
 * Whose clock). */
static char *
stamp_data (LdStore *self, const LdActor *actor, const char *data_json)
{
  g_autoptr(JsonNode) root = data_json ? json_from_string (data_json, NULL) : NULL;
  g_autofree char *claimed = time_text (self, actor->claimed_at);
  g_autofree char *logged = time_text (self, actor->logged_at);
  JsonObject *object;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_clear_pointer (&root, json_node_unref);
      root = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (root, json_object_new ());
    }
  object = json_node_get_object (root);
  if (claimed)
    json_object_set_string_member (object, "claimed_at", claimed);
  json_object_set_string_member (object, "logged_at", logged);
  return json_to_string (root, FALSE);
}

gboolean
ld_store_record_event (LdStore       *self,
                       const LdActor *actor,
                       gint64         at,
                       const char    *entity,
                       const char    *entity_id,
                       const char    *action,
                       const char    *data_json,
                       GError       **error)
{
  g_autofree char *stamped = actor && actor->logged_at != LD_TIME_NONE ? stamp_data (self, actor, data_json) : NULL;
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "INSERT INTO event (at, actor, device, entity, entity_id, action, data, remote)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);

  if (stamped)
    data_json = stamped;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, at);
  sqlite3_bind_text (stmt, 2, actor && actor->user ? actor->user : "system", -1, SQLITE_STATIC);
  ld_bind_text (stmt, 3, actor ? actor->device : NULL);
  sqlite3_bind_text (stmt, 4, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, entity_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, action, -1, SQLITE_STATIC);
  ld_bind_text (stmt, 7, data_json);
  ld_bind_text (stmt, 8, actor ? actor->remote : NULL);
  return ld_store_step_done (self, stmt, error);
}

gint64
ld_store_count_events (LdStore *self, const char *entity, const char *entity_id)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT count(*) FROM event WHERE entity = ? AND entity_id = ?", NULL);
  gint64 n;

  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, entity_id, -1, SQLITE_STATIC);
  sqlite3_step (stmt);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

gint64
ld_store_get_sequence (LdStore *self)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, "SELECT coalesce(max(seq), 0) FROM event", NULL);
  gint64 seq = 0;

  if (stmt && sqlite3_step (stmt) == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  if (stmt)
    sqlite3_reset (stmt);
  return seq;
}

/* Reference data */

/* Reads the columns from @first on; @first is 0 unless a join puts other
 * records before it. */
static LdUnit *
unit_from_columns (sqlite3_stmt *stmt, int first)
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
  return unit_from_columns (stmt, 0);
}

#define UNIT_COLUMNS "code, name, tier, category, region_code, phone, lat, lon, inactive," \
                     " sign_limit_s, arrive_limit_s, feedback_limit_s, result_limit_s"

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

static void
ensure_caches (LdStore *self)
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
  ensure_caches (self);
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
      ensure_caches (self);
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

static void
set_not_found (GError **error, const char *what, const char *id)
{
  g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND, what, id ? id : "");
}

typedef gpointer (*RowReader) (sqlite3_stmt *stmt);

/* The row of @sql (one "?" bound to @key) read by @read, or NOT_FOUND. */
static gpointer
get_one (LdStore *self, const char *sql, const char *key, RowReader read, const char *not_found,
         GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, sql, error);
  gpointer row = NULL;

  if (stmt == NULL)
    return NULL;
  ld_bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    row = read (stmt);
  else
    set_not_found (error, not_found, key);
  sqlite3_reset (stmt);
  return row;
}

/* Every row of a prepared and bound statement, read by @read. */
static GPtrArray *
read_all (LdStore *self, sqlite3_stmt *stmt, RowReader read, GDestroyNotify free_func, GError **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (free_func);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, read (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      ld_store_set_db_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&list);
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
  return get_one (self, "SELECT code, name, parent_code FROM region WHERE code = ?", code,
                  region_from_row, _("Unknown region %s"), error);
}

LdUnit *
ld_store_get_unit (LdStore *self, const char *code, GError **error)
{
  return get_one (self, "SELECT " UNIT_COLUMNS " FROM unit WHERE code = ?", code,
                  (RowReader) unit_from_row, _("Unknown unit %s"), error);
}

LdCategory *
ld_store_get_category (LdStore *self, const char *code, GError **error)
{
  return get_one (self, "SELECT " CATEGORY_COLUMNS " FROM category WHERE code = ?", code,
                  (RowReader) category_from_row, _("Unknown category %s"), error);
}

GPtrArray *
ld_store_list_regions (LdStore *self, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, "SELECT code, name, parent_code FROM region ORDER BY code", error);
  return stmt ? read_all (self, stmt, region_from_row, (GDestroyNotify) ld_region_free, error) : NULL;
}

GPtrArray *
ld_store_list_units (LdStore *self, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, "SELECT " UNIT_COLUMNS " FROM unit ORDER BY code", error);
  return stmt ? read_all (self, stmt, (RowReader) unit_from_row, (GDestroyNotify) ld_unit_free, error) : NULL;
}

GPtrArray *
ld_store_list_categories (LdStore *self, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, "SELECT " CATEGORY_COLUMNS " FROM category ORDER BY code", error);
  return stmt ? read_all (self, stmt, (RowReader) category_from_row, (GDestroyNotify) ld_category_free, error) : NULL;
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
  ensure_caches (self);
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
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      ld_store_set_db_error (self, error);
      g_hash_table_unref (depths);
      return NULL;
    }
  return depths;
}

gboolean
ld_store_region_is_within (LdStore *self, const char *code, const char *ancestor_code)
{
  const char *c = code;

  ensure_caches (self);
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
  ensure_caches (self);
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

/* Incidents and orders */

static char *
event_data (const char *first_key, ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  va_list args;

  json_builder_begin_object (builder);
  va_start (args, first_key);
  for (const char *key = first_key; key; key = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);
      if (value == NULL)
        continue;
      json_builder_set_member_name (builder, key);
      json_builder_add_string_value (builder, value);
    }
  va_end (args);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static char *
time_text (LdStore *self, gint64 at)
{
  return at == LD_TIME_NONE ? NULL : ld_time_format_iso (at, self->tz);
}

/* A row at a time, the search index costs an import an eighth of its
 * time; in one statement at the end, much less. Both run inside the
 * import's transaction, so a failed import keeps the trigger. */
gboolean
ld_store_pause_search_index (LdStore *self, GError **error)
{
  return ld_store_exec (self, "DROP TRIGGER incident_fts_insert;", error);
}

gboolean
ld_store_resume_search_index (LdStore *self, gint64 first_rowid, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "INSERT INTO incident_fts (rowid, address, summary, caller_phone)"
    " SELECT rowid, address, summary, caller_phone FROM incident WHERE rowid >= ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first_rowid);
  return ld_store_step_done (self, stmt, error) && ld_store_exec (self, FTS_INSERT_TRIGGER, error);
}

/* Only the incidents whose links change are written, and their orders: an
 * import of a year touches every caller's phone but changes few links. */
gboolean
ld_store_relink_repeats (LdStore *self, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "INSERT INTO temp.ld_relink (id, followed, repeat_of)"
    " SELECT id, followed, new_repeat_of FROM ("
    "  SELECT i.id, i.followed_by_repeat AS was_followed, i.repeat_of AS old_repeat_of,"
    "   EXISTS (SELECT 1 FROM incident j"
    "     WHERE j.caller_phone = i.caller_phone"
    "       AND j.received_at BETWEEN i.received_at + ?1 AND i.received_at + ?2) AS followed,"
    "   (SELECT e.id FROM incident e"
    "     WHERE e.caller_phone = i.caller_phone"
    "       AND e.received_at BETWEEN i.received_at - ?2 AND i.received_at - ?1"
    "     ORDER BY e.received_at DESC, e.id DESC LIMIT 1) AS new_repeat_of"
    "  FROM incident i WHERE i.caller_phone IN (SELECT phone FROM temp.ld_phone))"
    " WHERE followed != was_followed OR new_repeat_of IS NOT old_repeat_of", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, LD_REPEAT_MIN_US);
  sqlite3_bind_int64 (stmt, 2, LD_REPEAT_MAX_US);
  return ld_store_step_done (self, stmt, error) &&
         /* Driven from the few changed links: an UPDATE … FROM would scan
          * every incident and order to find them. */
         run_cached (self, "UPDATE incident SET"
                           " followed_by_repeat = (SELECT followed FROM temp.ld_relink r WHERE r.id = incident.id),"
                           " repeat_of = (SELECT repeat_of FROM temp.ld_relink r WHERE r.id = incident.id)"
                           " WHERE id IN (SELECT id FROM temp.ld_relink)", error) &&
         run_cached (self, "UPDATE orders SET"
                           " repeat_call = (SELECT followed FROM temp.ld_relink r WHERE r.id = orders.incident_id)"
                           " WHERE incident_id IN (SELECT id FROM temp.ld_relink)", error) &&
         run_cached (self, "DELETE FROM temp.ld_relink", error) &&
         run_cached (self, "DELETE FROM temp.ld_phone", error);
}

/* The incident's columns as parameters 1–14, in the order of the row. */
static void
bind_incident (sqlite3_stmt *stmt, const LdIncident *inc)
{
  ld_bind_text (stmt, 1, inc->id);
  sqlite3_bind_int64 (stmt, 2, inc->received_at);
  ld_bind_text (stmt, 3, inc->source);
  ld_bind_text (stmt, 4, inc->kind);
  ld_bind_text (stmt, 5, inc->diverted_to);
  ld_bind_text (stmt, 6, inc->caller_phone);
  ld_bind_text (stmt, 7, inc->address);
  ld_bind_coord (stmt, 8, inc->lat);
  ld_bind_coord (stmt, 9, inc->lon);
  ld_bind_text (stmt, 10, inc->region_code);
  ld_bind_text (stmt, 11, inc->category);
  ld_bind_text (stmt, 12, inc->summary);
  ld_bind_text (stmt, 13, inc->state);
  ld_bind_time (stmt, 14, inc->closed_at);
}

/* The one place an incident row is written, for the live path, import and
 * the demo alike. The caller keeps the state machine's rules and queues the
 * caller's phone for ld_store_relink_repeats(). */
gboolean
ld_store_insert_incident (LdStore *self, const LdIncident *inc, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "INSERT INTO incident (id, received_at, source, kind, diverted_to, caller_phone, address,"
    " lat, lon, region_code, category, summary, state, closed_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  bind_incident (stmt, inc);
  return ld_store_step_done (self, stmt, error);
}

/* Queues for ld_store_relink_repeats() the phones of the incidents written
 * from row @first_rowid on: one statement for a whole import. */
gboolean
ld_store_queue_phones_since (LdStore *self, gint64 first_rowid, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "INSERT OR IGNORE INTO temp.ld_phone (phone)"
    " SELECT caller_phone FROM incident WHERE rowid >= ? AND caller_phone IS NOT NULL", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first_rowid);
  return ld_store_step_done (self, stmt, error);
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

/* The one place an order row is written, with its times, deadlines and
 * overdue marks as given; its feedback counters start empty and move with
 * ld_store_insert_feedback(). It also copies the incident's region
 * and repeat flag onto the order and marks the incident handled by units
 * when the unit is not the police (the metrics read these, never a join),
 * and moves a new incident to dispatched. */
gboolean
ld_store_insert_order (LdStore *self, const LdOrder *o, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "INSERT INTO orders (id, incident_id, unit_code, state, dispatched_at, signed_at, arrived_at,"
    " completed_at, returned_at, return_reason, sign_due, arrive_due, feedback_due, result_due, overdue,"
    " region_code, repeat_call)"
    " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
    "   region_code, followed_by_repeat FROM incident WHERE id = ?2", error);

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, o->id);
  ld_bind_text (stmt, 2, o->incident_id);
  ld_bind_text (stmt, 3, o->unit_code);
  ld_bind_text (stmt, 4, o->state);
  sqlite3_bind_int64 (stmt, 5, o->dispatched_at);
  ld_bind_time (stmt, 6, o->signed_at);
  ld_bind_time (stmt, 7, o->arrived_at);
  ld_bind_time (stmt, 8, o->completed_at);
  ld_bind_time (stmt, 9, o->returned_at);
  ld_bind_text (stmt, 10, o->return_reason);
  sqlite3_bind_int64 (stmt, 11, o->sign_due);
  sqlite3_bind_int64 (stmt, 12, o->arrive_due);
  sqlite3_bind_int64 (stmt, 13, o->feedback_due);
  sqlite3_bind_int64 (stmt, 14, o->result_due);
  sqlite3_bind_int (stmt, 15, o->overdue);
  if (!ld_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      set_not_found (error, _("Unknown incident %s"), o->incident_id);
      return FALSE;
    }

  stmt = ld_store_prepare (self,
    "UPDATE incident SET by_units = by_units OR ?2,"
    "  state = CASE state WHEN 'new' THEN 'dispatched' ELSE state END"
    " WHERE id = ?1 AND (state = 'new' OR (?2 AND NOT by_units))", error);
  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, o->incident_id);
  sqlite3_bind_int (stmt, 2, !ld_store_unit_is_police (self, o->unit_code));
  return ld_store_step_done (self, stmt, error);
}

/* The one place a feedback row is written. The order's counters move with
 * it, and the guard keeps the rule that feedback comes between the order's
 * signature and its return; a row outside it is refused as INVALID. */
gboolean
ld_store_insert_feedback (LdStore *self, const char *id, const char *order_id, gint64 at,
                          const char *kind, const char *text, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "UPDATE orders SET feedback_count = feedback_count + 1,"
    " first_feedback_at = min(coalesce(first_feedback_at, ?2), ?2),"
    " overdue = CASE WHEN min(coalesce(first_feedback_at, ?2), ?2) > feedback_due"
    "   THEN overdue | 4 ELSE overdue END"
    " WHERE id = ?1 AND signed_at <= ?2 AND (returned_at IS NULL OR ?2 <= returned_at)", error);

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, order_id);
  sqlite3_bind_int64 (stmt, 2, at);
  if (!ld_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("Order %s takes no feedback at that time: feedback comes after the signature and before a return"),
                   order_id);
      return FALSE;
    }

  stmt = ld_store_prepare (self, "INSERT INTO feedback (id, order_id, at, kind, text) VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, id);
  ld_bind_text (stmt, 2, order_id);
  sqlite3_bind_int64 (stmt, 3, at);
  ld_bind_text (stmt, 4, kind);
  ld_bind_text (stmt, 5, text);
  return ld_store_step_done (self, stmt, error);
}

/* A replica takes the server's version of a record as it is: the server
 * already kept the state machine. Derived columns (repeat links, by_units)
 * are recomputed here as the server did. The caller relinks the queued
 * phones with ld_store_relink_repeats(). */
gboolean
ld_store_replace_incident (LdStore *self, const LdIncident *inc, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "UPDATE incident SET received_at = ?2, source = ?3, kind = ?4, diverted_to = ?5, caller_phone = ?6,"
    " address = ?7, lat = ?8, lon = ?9, region_code = ?10, category = ?11, summary = ?12, state = ?13,"
    " closed_at = ?14, by_units = EXISTS (SELECT 1 FROM orders o LEFT JOIN unit u ON u.code = o.unit_code"
    "   WHERE o.incident_id = ?1 AND u.category IS NOT 'police') WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  bind_incident (stmt, inc);
  if (!ld_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0 && !ld_store_insert_incident (self, inc, error))
    return FALSE;
  if (inc->caller_phone == NULL || *inc->caller_phone == '\0')
    return TRUE;
  stmt = ld_store_prepare (self, "INSERT OR IGNORE INTO temp.ld_phone (phone) VALUES (?)", error);
  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, inc->caller_phone);
  return ld_store_step_done (self, stmt, error);
}

gboolean
ld_store_replace_order (LdStore *self, const LdOrder *o, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "UPDATE orders SET state = ?2, signed_at = ?3, arrived_at = ?4, completed_at = ?5, returned_at = ?6,"
    " return_reason = ?7, sign_due = ?8, arrive_due = ?9, feedback_due = ?10, result_due = ?11,"
    " overdue = ?12 WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, o->id);
  ld_bind_text (stmt, 2, o->state);
  ld_bind_time (stmt, 3, o->signed_at);
  ld_bind_time (stmt, 4, o->arrived_at);
  ld_bind_time (stmt, 5, o->completed_at);
  ld_bind_time (stmt, 6, o->returned_at);
  ld_bind_text (stmt, 7, o->return_reason);
  sqlite3_bind_int64 (stmt, 8, o->sign_due);
  sqlite3_bind_int64 (stmt, 9, o->arrive_due);
  sqlite3_bind_int64 (stmt, 10, o->feedback_due);
  sqlite3_bind_int64 (stmt, 11, o->result_due);
  sqlite3_bind_int (stmt, 12, o->overdue);
  if (!ld_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0 && !ld_store_insert_order (self, o, error))
    return FALSE;

  /* The feedback rows stay on the server; their counters come with the
   * order, as do the times the center logged steps later. */
  stmt = ld_store_prepare (self,
    "UPDATE orders SET first_feedback_at = ?2, feedback_count = ?3, signed_logged_at = ?4,"
    " arrived_logged_at = ?5, completed_logged_at = ?6, returned_logged_at = ?7, first_feedback_logged_at = ?8"
    " WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, o->id);
  ld_bind_time (stmt, 2, o->first_feedback_at);
  sqlite3_bind_int (stmt, 3, o->feedback_count);
  ld_bind_time (stmt, 4, o->signed_logged_at);
  ld_bind_time (stmt, 5, o->arrived_logged_at);
  ld_bind_time (stmt, 6, o->completed_logged_at);
  ld_bind_time (stmt, 7, o->returned_logged_at);
  ld_bind_time (stmt, 8, o->first_feedback_logged_at);
  return ld_store_step_done (self, stmt, error);
}

/* Removes an order that only this replica had, with its feedback. */
gboolean
ld_store_forget_order (LdStore *self, const char *order_id, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, "DELETE FROM feedback WHERE order_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, order_id);
  if (!ld_store_step_done (self, stmt, error))
    return FALSE;
  stmt = ld_store_prepare (self, "DELETE FROM orders WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, order_id);
  return ld_store_step_done (self, stmt, error);
}

/* Removes an incident that only this replica had, with its orders; the
 * caller's phone is queued for ld_store_relink_repeats(). */
gboolean
ld_store_forget_incident (LdStore *self, const char *incident_id, GError **error)
{
  static const char * const sql[] = {
    "INSERT OR IGNORE INTO temp.ld_phone (phone)"
    " SELECT caller_phone FROM incident WHERE id = ?1 AND caller_phone IS NOT NULL",
    "DELETE FROM feedback WHERE order_id IN (SELECT id FROM orders WHERE incident_id = ?1)",
    "DELETE FROM orders WHERE incident_id = ?1",
    "UPDATE incident SET repeat_of = NULL WHERE repeat_of = ?1",
    "DELETE FROM incident WHERE id = ?1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    {
      sqlite3_stmt *stmt = ld_store_prepare (self, sql[i], error);
      if (stmt == NULL)
        return FALSE;
      ld_bind_text (stmt, 1, incident_id);
      if (!ld_store_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Removes a feedback row that only this replica had, and its count. */
gboolean
ld_store_forget_feedback (LdStore *self, const char *feedback_id, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "UPDATE orders SET feedback_count = feedback_count - 1"
    " WHERE id = (SELECT order_id FROM feedback WHERE id = ?)", error);

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, feedback_id);
  if (!ld_store_step_done (self, stmt, error))
    return FALSE;
  stmt = ld_store_prepare (self, "DELETE FROM feedback WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, feedback_id);
  return ld_store_step_done (self, stmt, error);
}

static gboolean
check_coords (double lat, double lon, GError **error)
{
  if (isnan (lat) != isnan (lon) ||
      (!isnan (lat) && (lat < -90 || lat > 90 || lon < -180 || lon > 180)))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("A place needs both a latitude (−90…90) and a longitude (−180…180)"));
      return FALSE;
    }
  return TRUE;
}

char *
ld_store_add_incident (LdStore *self, const LdIncident *inc, const LdActor *actor, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *data = NULL;
  const char *region_code = inc->region_code;
  LdIncident row;

  if (inc->received_at == LD_TIME_NONE)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("An incident needs the time it was received"));
      return NULL;
    }
  if (!ld_source_is_valid (inc->source))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("Unknown source “%s” (110, 12345, 96345, grid, inspection, other)"),
                   inc->source ? inc->source : "");
      return NULL;
    }
  if (!ld_kind_is_valid (inc->kind))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("Unknown kind “%s” (police, linkage, diverted)"), inc->kind ? inc->kind : "");
      return NULL;
    }
  if (g_str_equal (inc->kind, "diverted") != ld_platform_is_valid (inc->diverted_to))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("A diverted incident needs diverted_to (12345, 114, 96345, governance), and only a diverted one may have it"));
      return NULL;
    }
  if (!check_coords (inc->lat, inc->lon, error))
    return NULL;
  if (region_code == NULL)
    region_code = ld_store_region_for_point (self, inc->lat, inc->lon);
  else
    {
      ensure_caches (self);
      if (!g_hash_table_contains (self->parents, region_code))
        {
          set_not_found (error, _("Unknown region %s"), region_code);
          return NULL;
        }
    }

  id = inc->id && *inc->id ? g_strdup (inc->id) : ld_id_new (inc->received_at);

  row = *inc;
  row.id = id;
  row.region_code = (char *) region_code;
  row.state = g_str_equal (inc->kind, "diverted") ? "diverted" : "new";
  row.closed_at = LD_TIME_NONE;

  if (!ld_store_begin (self, error))
    return NULL;
  if (!ld_store_insert_incident (self, &row, &local_error))
    {
      if (g_error_matches (local_error, LD_STORE_ERROR, LD_STORE_ERROR_DUPLICATE))
        g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_DUPLICATE,
                     _("Incident %s already exists"), id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      goto fail;
    }
  if (row.caller_phone && *row.caller_phone)
    {
      sqlite3_stmt *phone = ld_store_prepare (self, "INSERT OR IGNORE INTO temp.ld_phone (phone) VALUES (?)", error);
      if (phone == NULL)
        goto fail;
      sqlite3_bind_text (phone, 1, row.caller_phone, -1, SQLITE_STATIC);
      if (!ld_store_step_done (self, phone, error) || !ld_store_relink_repeats (self, error))
        goto fail;
    }

  data = event_data ("kind", inc->kind, "source", inc->source, "region_code", region_code,
                     "category", inc->category, NULL);
  if (!ld_store_record_event (self, actor, inc->received_at, "incident", id, "create", data, error) ||
      !ld_store_commit (self, error))
    goto fail;
  return g_steal_pointer (&id);

fail:
  ld_store_rollback (self);
  return NULL;
}

#define INCIDENT_COLUMNS "id, received_at, source, kind, diverted_to, caller_phone, address," \
                         " lat, lon, region_code, category, summary, state, closed_at, repeat_of"

static LdIncident *
incident_from_columns (sqlite3_stmt *stmt, int first)
{
  LdIncident *i = g_new0 (LdIncident, 1);
  i->id = ld_column_dup (stmt, first);
  i->received_at = sqlite3_column_int64 (stmt, first + 1);
  i->source = ld_column_dup (stmt, first + 2);
  i->kind = ld_column_dup (stmt, first + 3);
  i->diverted_to = ld_column_dup (stmt, first + 4);
  i->caller_phone = ld_column_dup (stmt, first + 5);
  i->address = ld_column_dup (stmt, first + 6);
  i->lat = ld_column_coord (stmt, first + 7);
  i->lon = ld_column_coord (stmt, first + 8);
  i->region_code = ld_column_dup (stmt, first + 9);
  i->category = ld_column_dup (stmt, first + 10);
  i->summary = ld_column_dup (stmt, first + 11);
  i->state = ld_column_dup (stmt, first + 12);
  i->closed_at = sqlite3_column_int64 (stmt, first + 13);
  i->repeat_of = ld_column_dup (stmt, first + 14);
  return i;
}

static LdIncident *
incident_from_row (sqlite3_stmt *stmt)
{
  return incident_from_columns (stmt, 0);
}

LdIncident *
ld_store_get_incident (LdStore *self, const char *id, GError **error)
{
  return get_one (self, "SELECT " INCIDENT_COLUMNS " FROM incident WHERE id = ?", id,
                  (RowReader) incident_from_row, _("Unknown incident %s"), error);
}

/* What intake shows beside a caller's number: the calls of the last 72 h. */
GPtrArray *
ld_store_list_calls_before (LdStore *self, const char *caller_phone, gint64 at, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT " INCIDENT_COLUMNS " FROM incident"
    " WHERE caller_phone = ? AND received_at >= ? AND received_at < ?"
    " ORDER BY received_at DESC", error);

  if (stmt == NULL)
    return NULL;
  ld_bind_text (stmt, 1, caller_phone);
  sqlite3_bind_int64 (stmt, 2, at - LD_REPEAT_MAX_US);
  sqlite3_bind_int64 (stmt, 3, at);
  return read_all (self, stmt, (RowReader) incident_from_row, (GDestroyNotify) ld_incident_free, error);
}

/* The duty board: every incident still open, and the others received
 * since @since, newest first. */
GPtrArray *
ld_store_list_board_incidents (LdStore *self, gint64 since, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT " INCIDENT_COLUMNS " FROM incident WHERE received_at >= ?1"
    " UNION SELECT " INCIDENT_COLUMNS " FROM incident WHERE state IN ('new', 'dispatched')"
    " ORDER BY 2 DESC, 1 DESC", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since);
  return read_all (self, stmt, (RowReader) incident_from_row, (GDestroyNotify) ld_incident_free, error);
}

/* How many incidents came in each hour of the day (in the store's zone)
 * over [@since, @until): the city's own rhythm, for the simulator. */
gboolean
ld_store_count_received_by_hour (LdStore *self, gint64 since, gint64 until, guint64 counts[24], GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT received_at FROM incident WHERE received_at >= ? AND received_at < ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  memset (counts, 0, 24 * sizeof counts[0]);
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, until);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 0) / LD_USEC_PER_S);
      g_autoptr(GDateTime) local = utc ? g_date_time_to_timezone (utc, self->tz) : NULL;

      if (local)
        counts[g_date_time_get_hour (local)]++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      ld_store_set_db_error (self, error);
      return FALSE;
    }
  return TRUE;
}

/* The @nth incident received in [@since, @until), oldest first: a call
 * such as the city gets, for the simulator to make another like it. */
LdIncident *
ld_store_get_nth_incident (LdStore *self, gint64 since, gint64 until, guint64 nth, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT " INCIDENT_COLUMNS " FROM incident WHERE received_at >= ? AND received_at < ?"
    " ORDER BY received_at LIMIT 1 OFFSET ?", error);
  LdIncident *incident = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, until);
  sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) MIN (nth, (guint64) G_MAXINT64));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    incident = incident_from_row (stmt);
  sqlite3_reset (stmt);
  if (incident == NULL)
    g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND, _("No incident in that period"));
  return incident;
}

/* When a step of an open order is late at ?1: its deadline has passed and
 * it is not done. The one statement of the rule, for the marks, the unit
 * board and the late list alike. */
#define OPEN_ORDER    "state IN ('dispatched', 'signed', 'arrived')"
#define PENDING_SIGN     "signed_at IS NULL"
#define PENDING_ARRIVE   "arrived_at IS NULL"
#define PENDING_FEEDBACK "first_feedback_at IS NULL"
#define PENDING_RESULT   "completed_at IS NULL"
#define LATE_SIGN_AT(t)     "(" PENDING_SIGN " AND sign_due < " t ")"
#define LATE_ARRIVE_AT(t)   "(" PENDING_ARRIVE " AND arrive_due < " t ")"
#define LATE_FEEDBACK_AT(t) "(" PENDING_FEEDBACK " AND feedback_due < " t ")"
#define LATE_RESULT_AT(t)   "(" PENDING_RESULT " AND result_due < " t ")"
#define LATE_SIGN     LATE_SIGN_AT ("?1")
#define LATE_ARRIVE   LATE_ARRIVE_AT ("?1")
#define LATE_FEEDBACK LATE_FEEDBACK_AT ("?1")
#define LATE_RESULT   LATE_RESULT_AT ("?1")
/* The first late step in the order of the sequence, as an index into
 * late_steps[], and its deadline; NULL when none is late. */
#define LATE_STEP_AT(t) "(CASE WHEN " LATE_SIGN_AT (t) " THEN 0 WHEN " LATE_ARRIVE_AT (t) " THEN 1" \
                        " WHEN " LATE_FEEDBACK_AT (t) " THEN 2 WHEN " LATE_RESULT_AT (t) " THEN 3 END)"
#define LATE_STEP LATE_STEP_AT ("?1")
#define LATE_DUE  "(CASE " LATE_STEP " WHEN 0 THEN sign_due WHEN 1 THEN arrive_due" \
                  " WHEN 2 THEN feedback_due WHEN 3 THEN result_due END)"
/* The deadline an open order works to now: its first step not done. */
#define CURRENT_DUE "(CASE WHEN NOT " OPEN_ORDER " THEN NULL WHEN " PENDING_SIGN " THEN sign_due" \
                    " WHEN " PENDING_ARRIVE " THEN arrive_due WHEN " PENDING_FEEDBACK " THEN feedback_due" \
                    " WHEN " PENDING_RESULT " THEN result_due END)"

GHashTable *
ld_store_board_order_stats (LdStore *self, gint64 since, GError **error)
{
  GHashTable *stats = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT incident_id, count(*), sum(" OPEN_ORDER "), max(overdue != 0), min(" CURRENT_DUE ")"
    " FROM orders WHERE incident_id IN (SELECT id FROM incident WHERE received_at >= ?1"
    "   UNION SELECT id FROM incident WHERE state IN ('new', 'dispatched'))"
    " GROUP BY incident_id", error);
  int rc;

  if (stmt == NULL)
    {
      g_hash_table_unref (stats);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, since);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LdOrderStats *s = g_new0 (LdOrderStats, 1);

      s->n_orders = sqlite3_column_int (stmt, 1);
      s->n_open = sqlite3_column_int (stmt, 2);
      s->overdue = sqlite3_column_int (stmt, 3) != 0;
      s->next_due = sqlite3_column_int64 (stmt, 4);
      g_hash_table_insert (stats, ld_column_dup (stmt, 0), s);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      ld_store_set_db_error (self, error);
      g_hash_table_unref (stats);
      return NULL;
    }
  return stats;
}

/* Search */

typedef enum {
  TEXT_NONE,
  TEXT_MATCH,   /* three characters or more: the trigram index */
  TEXT_LIKE,    /* fewer: no trigram to look up, so a scan from the newest */
} TextMode;

typedef enum {
  STATE_ANY,
  STATE_OPEN,
  STATE_EXACT,
} StateMode;

/* One statement per combination of filters rather than "?n IS NULL OR …"
 * terms, which would keep sqlite from the index that fits: incident_open
 * for open incidents, incident_received for the newest first. Interned, so
 * each is prepared once and cached under its pointer. */
/* The figures as ld-metrics.c counts them from the incident's columns. */
static const struct {
  const char *figure;
  const char *condition;
} figure_sql[] = {
  { "incidents", "1" },
  { "incidents_110", "source = '110'" },
  { "linkage_alarms", "kind = 'linkage' AND source = '110'" },
  { "handled", "kind = 'linkage'" },
  { "handled_by_units", "kind = 'linkage' AND by_units" },
  { "diverted", "kind = 'diverted'" },
};

static gboolean
is_figure (const char *figure)
{
  for (guint i = 0; i < G_N_ELEMENTS (figure_sql); i++)
    if (g_str_equal (figure, figure_sql[i].figure))
      return TRUE;
  return FALSE;
}

/* @paged: a figure's list, read a page at a time from ?11 (received_at)
 * and ?12 (id) of the last row read, so that it is ordered by columns a
 * row carries. */
static const char *
search_sql (TextMode text, gboolean region, gboolean category, StateMode state, const LdIncidentFilter *filter,
            gboolean paged)
{
  g_autoptr(GString) sql = g_string_new (NULL);

  if (region)
    g_string_append (sql, "WITH RECURSIVE within (code) AS (SELECT ?2"
                          " UNION SELECT r.code FROM region r JOIN within w ON r.parent_code = w.code) ");
  g_string_append (sql, "SELECT " INCIDENT_COLUMNS " FROM incident WHERE received_at >= ?5 AND received_at < ?6");
  for (guint i = 0; i < G_N_ELEMENTS (figure_sql) && filter->figure; i++)
    if (g_str_equal (filter->figure, figure_sql[i].figure))
      g_string_append_printf (sql, " AND %s", figure_sql[i].condition);
  if (filter->platform)
    g_string_append (sql, " AND diverted_to = ?9");
  if (text == TEXT_MATCH)
    g_string_append (sql, " AND rowid IN (SELECT rowid FROM incident_fts WHERE incident_fts MATCH ?1)");
  else if (text == TEXT_LIKE)
    g_string_append (sql, " AND (address LIKE ?1 ESCAPE '\\' OR summary LIKE ?1 ESCAPE '\\'"
                          " OR caller_phone LIKE ?1 ESCAPE '\\')");
  if (region)
    g_string_append (sql, " AND region_code IN (SELECT code FROM within)");
  if (category)
    g_string_append (sql, " AND category = ?3");
  if (state == STATE_OPEN)
    g_string_append (sql, " AND state IN ('new', 'dispatched')");
  else if (state == STATE_EXACT)
    g_string_append (sql, " AND state = ?4");
  if (paged)
    g_string_append (sql, " AND (received_at < ?11 OR (received_at = ?11 AND id < ?12))"
                          " ORDER BY received_at DESC, id DESC LIMIT ?7");
  else
    g_string_append (sql, " ORDER BY received_at DESC, rowid DESC LIMIT ?7");
  return g_intern_string (sql->str);
}

/* The user's text as one FTS5 string: inside double quotes every character
 * is text to find, only a quote itself must be doubled. */
static char *
fts_phrase (const char *text)
{
  g_autoptr(GString) phrase = g_string_new ("\"");

  for (const char *c = text; *c; c++)
    {
      if (*c == '"')
        g_string_append_c (phrase, '"');
      g_string_append_c (phrase, *c);
    }
  g_string_append_c (phrase, '"');
  return g_string_free (g_steal_pointer (&phrase), FALSE);
}

static char *
like_pattern (const char *text)
{
  g_autoptr(GString) pattern = g_string_new ("%");

  for (const char *c = text; *c; c++)
    {
      if (*c == '%' || *c == '_' || *c == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *c);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (g_steal_pointer (&pattern), FALSE);
}

/* @after: the incident a figure's list goes on after, or NULL for a search
 * or a list's first page. */
static sqlite3_stmt *
prepare_search (LdStore *self, const char *query, const LdIncidentFilter *filter, gboolean paged,
                const LdIncident *after, guint limit, GError **error)
{
  g_autofree char *text = g_strstrip (g_strdup (query ? query : ""));
  g_autofree char *bound = NULL;
  TextMode mode = TEXT_NONE;
  StateMode state = STATE_ANY;
  sqlite3_stmt *stmt;

  if (*text && g_utf8_strlen (text, -1) >= 3)
    {
      mode = TEXT_MATCH;
      bound = fts_phrase (text);
    }
  else if (*text)
    {
      mode = TEXT_LIKE;
      bound = like_pattern (text);
    }
  if (filter->state && *filter->state)
    state = g_str_equal (filter->state, "open") ? STATE_OPEN : STATE_EXACT;

  if (filter->figure && !is_figure (filter->figure))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("Unknown figure “%s”"), filter->figure);
      return NULL;
    }
  stmt = ld_store_prepare (self,
                           search_sql (mode, filter->region_code && *filter->region_code,
                                       filter->category && *filter->category, state, filter, paged),
                           error);
  if (stmt == NULL)
    return NULL;
  ld_bind_text (stmt, 1, bound);
  ld_bind_text (stmt, 2, filter->region_code);
  ld_bind_text (stmt, 3, filter->category);
  ld_bind_text (stmt, 4, filter->state);
  sqlite3_bind_int64 (stmt, 5, filter->since ? filter->since : G_MININT64);
  sqlite3_bind_int64 (stmt, 6, filter->until ? filter->until : G_MAXINT64);
  sqlite3_bind_int64 (stmt, 7, limit);
  ld_bind_text (stmt, 9, filter->platform);
  if (paged)
    {
      sqlite3_bind_int64 (stmt, 11, after ? after->received_at : G_MAXINT64);
      ld_bind_text (stmt, 12, after ? after->id : NULL);
    }
  return stmt;
}

GPtrArray *
ld_store_search_incidents (LdStore *self, const char *query, const LdIncidentFilter *filter, guint limit,
                           GError **error)
{
  static const LdIncidentFilter no_filter = { 0, };
  sqlite3_stmt *stmt = prepare_search (self, query, filter ? filter : &no_filter, FALSE, NULL, limit, error);

  if (stmt == NULL)
    return NULL;
  return read_all (self, stmt, (RowReader) incident_from_row, (GDestroyNotify) ld_incident_free, error);
}

static gboolean
set_incident_state (LdStore *self, const char *id, const char *state, gint64 closed_at, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "UPDATE incident SET state = ?, closed_at = coalesce(?, closed_at) WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, state, -1, SQLITE_STATIC);
  ld_bind_time (stmt, 2, closed_at);
  sqlite3_bind_text (stmt, 3, id, -1, SQLITE_STATIC);
  return ld_store_step_done (self, stmt, error);
}

static void
set_transition_error (GError **error, const char *message, const char *id, const char *state)
{
  g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION, message, id, state);
}

gboolean
ld_store_divert_incident (LdStore *self, const char *incident_id, const char *platform, gint64 at,
                          const LdActor *actor, GError **error)
{
  g_autoptr(LdIncident) inc = ld_store_get_incident (self, incident_id, error);
  g_autofree char *data = NULL;
  sqlite3_stmt *stmt;

  if (inc == NULL)
    return FALSE;
  if (!ld_platform_is_valid (platform))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("Unknown platform “%s” (12345, 114, 96345, governance)"), platform ? platform : "");
      return FALSE;
    }
  if (!g_str_equal (inc->state, "new"))
    {
      set_transition_error (error, _("Incident %s is %s: only a new incident can be diverted"),
                            incident_id, inc->state);
      return FALSE;
    }

  if (!ld_store_begin (self, error))
    return FALSE;
  stmt = ld_store_prepare (self,
    "UPDATE incident SET kind = 'diverted', diverted_to = ?, state = 'diverted' WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, platform, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, incident_id, -1, SQLITE_STATIC);
  data = event_data ("platform", platform, NULL);
  if (!ld_store_step_done (self, stmt, error) ||
      !ld_store_record_event (self, actor, at, "incident", incident_id, "divert", data, error) ||
      !ld_store_commit (self, error))
    goto fail;
  return TRUE;

fail:
  ld_store_rollback (self);
  return FALSE;
}

#define ORDER_COLUMNS "id, incident_id, unit_code, state, dispatched_at, signed_at, arrived_at," \
                      " completed_at, returned_at, return_reason, sign_due, arrive_due," \
                      " feedback_due, result_due, first_feedback_at, feedback_count, overdue," \
                      " signed_logged_at, arrived_logged_at, completed_logged_at, returned_logged_at," \
                      " first_feedback_logged_at"

static LdOrder *
order_from_columns (sqlite3_stmt *stmt, int first)
{
  LdOrder *o = g_new0 (LdOrder, 1);
  o->id = ld_column_dup (stmt, first);
  o->incident_id = ld_column_dup (stmt, first + 1);
  o->unit_code = ld_column_dup (stmt, first + 2);
  o->state = ld_column_dup (stmt, first + 3);
  o->dispatched_at = sqlite3_column_int64 (stmt, first + 4);
  o->signed_at = sqlite3_column_int64 (stmt, first + 5);
  o->arrived_at = sqlite3_column_int64 (stmt, first + 6);
  o->completed_at = sqlite3_column_int64 (stmt, first + 7);
  o->returned_at = sqlite3_column_int64 (stmt, first + 8);
  o->return_reason = ld_column_dup (stmt, first + 9);
  o->sign_due = sqlite3_column_int64 (stmt, first + 10);
  o->arrive_due = sqlite3_column_int64 (stmt, first + 11);
  o->feedback_due = sqlite3_column_int64 (stmt, first + 12);
  o->result_due = sqlite3_column_int64 (stmt, first + 13);
  o->first_feedback_at = sqlite3_column_int64 (stmt, first + 14);
  o->feedback_count = sqlite3_column_int (stmt, first + 15);
  o->overdue = sqlite3_column_int (stmt, first + 16);
  o->signed_logged_at = sqlite3_column_int64 (stmt, first + 17);
  o->arrived_logged_at = sqlite3_column_int64 (stmt, first + 18);
  o->completed_logged_at = sqlite3_column_int64 (stmt, first + 19);
  o->returned_logged_at = sqlite3_column_int64 (stmt, first + 20);
  o->first_feedback_logged_at = sqlite3_column_int64 (stmt, first + 21);
  return o;
}

static LdOrder *
order_from_row (sqlite3_stmt *stmt)
{
  return order_from_columns (stmt, 0);
}

LdOrder *
ld_store_get_order (LdStore *self, const char *id, GError **error)
{
  return get_one (self, "SELECT " ORDER_COLUMNS " FROM orders WHERE id = ?", id,
                  (RowReader) order_from_row, _("Unknown order %s"), error);
}

GPtrArray *
ld_store_list_orders (LdStore *self, const char *incident_id, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT " ORDER_COLUMNS " FROM orders WHERE incident_id = ? ORDER BY dispatched_at, id", error);

  if (stmt == NULL)
    return NULL;
  ld_bind_text (stmt, 1, incident_id);
  return read_all (self, stmt, (RowReader) order_from_row, (GDestroyNotify) ld_order_free, error);
}

static gboolean
order_is_open (const char *state)
{
  return g_str_equal (state, "dispatched") || g_str_equal (state, "signed") || g_str_equal (state, "arrived");
}

guint
ld_order_overdue_at (const LdOrder *o, gint64 now)
{
  gint64 end = o->completed_at ? o->completed_at : o->returned_at ? o->returned_at : now;
  gboolean open = o->completed_at == LD_TIME_NONE && o->returned_at == LD_TIME_NONE;
  guint flags = 0;

  if (o->signed_at ? o->signed_at > o->sign_due : o->sign_due < end)
    flags |= LD_OVERDUE_SIGN;
  if (o->arrived_at ? o->arrived_at > o->arrive_due : (open && o->arrive_due < now))
    flags |= LD_OVERDUE_ARRIVE;
  if (o->first_feedback_at ? o->first_feedback_at > o->feedback_due : o->feedback_due < now)
    flags |= LD_OVERDUE_FEEDBACK;
  if (o->completed_at ? o->completed_at > o->result_due : (open && o->result_due < now))
    flags |= LD_OVERDUE_RESULT;
  return flags;
}

char *
ld_store_dispatch (LdStore *self, const char *order_id, const char *incident_id, const char *unit_code,
                   gint64 at, const LdActor *actor, GError **error)
{
  g_autoptr(LdIncident) inc = ld_store_get_incident (self, incident_id, error);
  g_autofree char *data = NULL;
  const LdUnit *unit;
  LdOrder order = { 0, };
  sqlite3_stmt *stmt;

  if (inc == NULL)
    return NULL;
  unit = ld_store_lookup_unit (self, unit_code);
  if (unit == NULL)
    {
      set_not_found (error, _("Unknown unit %s"), unit_code);
      return NULL;
    }
  if (unit->inactive)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("Unit %s is inactive and takes no orders"), unit_code);
      return NULL;
    }
  if (!g_str_equal (inc->state, "new") && !g_str_equal (inc->state, "dispatched"))
    {
      set_transition_error (error, _("Incident %s is %s: it can no longer be dispatched"),
                            incident_id, inc->state);
      return NULL;
    }
  if (at < inc->received_at)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("An order cannot be dispatched before its incident was received"));
      return NULL;
    }

  stmt = ld_store_prepare (self,
    "SELECT 1 FROM orders WHERE incident_id = ? AND unit_code = ?"
    " AND state IN ('dispatched', 'signed', 'arrived')", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, incident_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, unit_code, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_DUPLICATE,
                   _("%s already has an open order for incident %s"), unit->name, incident_id);
      return NULL;
    }
  sqlite3_reset (stmt);

  order.id = order_id && *order_id ? g_strdup (order_id) : ld_id_new (at);
  order.dispatched_at = at;
  ld_store_compute_deadlines (self, inc->category, unit_code, &order);

  if (!ld_store_begin (self, error))
    goto fail_early;
  order.incident_id = (char *) incident_id;
  order.unit_code = (char *) unit_code;
  order.state = "dispatched";
  data = event_data ("incident_id", incident_id, "unit_code", unit_code, NULL);
  if (!ld_store_insert_order (self, &order, error) ||
      !ld_store_record_event (self, actor, at, "order", order.id, "dispatch", data, error) ||
      !ld_store_commit (self, error))
    goto fail;
  return order.id;

fail:
  ld_store_rollback (self);
fail_early:
  g_free (order.id);
  return NULL;
}

typedef enum {
  STEP_SIGN,
  STEP_ARRIVE,
  STEP_COMPLETE,
  STEP_RETURN,
} Step;

/* When a step given its own time was logged, if that was well after it:
 * the center writing down what a unit reported by phone. A unit's own
 * steps take the time they are logged, so they are never logged later. */
static gint64
logged_later (const LdActor *actor, gint64 at)
{
  if (actor == NULL || actor->logged_at == LD_TIME_NONE || actor->logged_at - at < LD_LOGGED_LATER_US)
    return LD_TIME_NONE;
  return actor->logged_at;
}

static const char * const step_actions[] = { "sign", "arrive", "complete", "return" };

/* The order state machine: dispatched → signed → arrived → completed, with
 * complete allowed straight from signed (not every matter needs people on
 * the scene) and return from any open state. A machine never goes back. */
static gboolean
order_step (LdStore *self, const char *order_id, Step step, gint64 at, const char *reason,
            const LdActor *actor, GError **error)
{
  g_autoptr(LdOrder) o = ld_store_get_order (self, order_id, error);
  g_autofree char *data = NULL;
  g_autofree char *when = NULL;
  gboolean allowed = FALSE;
  gint64 last, logged;
  sqlite3_stmt *stmt;

  if (o == NULL)
    return FALSE;

  switch (step)
    {
    case STEP_SIGN:
      allowed = g_str_equal (o->state, "dispatched");
      break;
    case STEP_ARRIVE:
      allowed = g_str_equal (o->state, "signed");
      break;
    case STEP_COMPLETE:
      allowed = g_str_equal (o->state, "signed") || g_str_equal (o->state, "arrived");
      break;
    case STEP_RETURN:
      allowed = order_is_open (o->state);
      break;
    default:
      g_assert_not_reached ();
    }

  if (!allowed)
    {
      static const char *messages[] = {
        N_("Order %s is %s: only a dispatched order can be signed"),
        N_("Order %s is %s: only a signed order can be marked arrived"),
        N_("Order %s is %s: only a signed or arrived order can be completed"),
        N_("Order %s is %s: only an open order can be returned"),
      };
      set_transition_error (error, _(messages[step]), order_id, o->state);
      return FALSE;
    }
  if (step == STEP_RETURN && (reason == NULL || *reason == '\0'))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("A returned order needs a reason"));
      return FALSE;
    }

  last = MAX (o->dispatched_at, MAX (o->signed_at, o->arrived_at));
  if (at < last)
    {
      g_autofree char *last_text = ld_time_format (last, self->tz);
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("Order %s: this step cannot be earlier than the one before it (%s)"),
                   order_id, last_text);
      return FALSE;
    }

  logged = logged_later (actor, at);
  switch (step)
    {
    case STEP_SIGN:
      o->signed_at = at;
      o->signed_logged_at = logged;
      g_free (o->state), o->state = g_strdup ("signed");
      break;
    case STEP_ARRIVE:
      o->arrived_at = at;
      o->arrived_logged_at = logged;
      g_free (o->state), o->state = g_strdup ("arrived");
      break;
    case STEP_COMPLETE:
      o->completed_at = at;
      o->completed_logged_at = logged;
      g_free (o->state), o->state = g_strdup ("completed");
      break;
    case STEP_RETURN:
      o->returned_at = at;
      o->returned_logged_at = logged;
      g_free (o->state), o->state = g_strdup ("returned");
      break;
    default:
      g_assert_not_reached ();
    }
  /* A deadline missed earlier stays missed; this step may add its own. */
  o->overdue |= ld_order_overdue_at (o, at);

  if (!ld_store_begin (self, error))
    return FALSE;
  stmt = ld_store_prepare (self,
    "UPDATE orders SET state = ?2, signed_at = ?3, arrived_at = ?4, completed_at = ?5,"
    " returned_at = ?6, return_reason = coalesce(?7, return_reason), overdue = ?8,"
    " signed_logged_at = ?9, arrived_logged_at = ?10, completed_logged_at = ?11, returned_logged_at = ?12"
    " WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, order_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, o->state, -1, SQLITE_STATIC);
  ld_bind_time (stmt, 3, o->signed_at);
  ld_bind_time (stmt, 4, o->arrived_at);
  ld_bind_time (stmt, 5, o->completed_at);
  ld_bind_time (stmt, 6, o->returned_at);
  ld_bind_text (stmt, 7, reason);
  sqlite3_bind_int (stmt, 8, o->overdue);
  ld_bind_time (stmt, 9, o->signed_logged_at);
  ld_bind_time (stmt, 10, o->arrived_logged_at);
  ld_bind_time (stmt, 11, o->completed_logged_at);
  ld_bind_time (stmt, 12, o->returned_logged_at);
  when = time_text (self, at);
  data = event_data ("at", when, "reason", reason, NULL);
  if (!ld_store_step_done (self, stmt, error) ||
      !ld_store_record_event (self, actor, at, "order", order_id, step_actions[step], data, error) ||
      !ld_store_commit (self, error))
    goto fail;
  return TRUE;

fail:
  ld_store_rollback (self);
  return FALSE;
}

gboolean
ld_store_sign_order (LdStore *self, const char *order_id, gint64 at, const LdActor *actor, GError **error)
{
  return order_step (self, order_id, STEP_SIGN, at, NULL, actor, error);
}

gboolean
ld_store_arrive_order (LdStore *self, const char *order_id, gint64 at, const LdActor *actor, GError **error)
{
  return order_step (self, order_id, STEP_ARRIVE, at, NULL, actor, error);
}

gboolean
ld_store_complete_order (LdStore *self, const char *order_id, gint64 at, const LdActor *actor, GError **error)
{
  return order_step (self, order_id, STEP_COMPLETE, at, NULL, actor, error);
}

gboolean
ld_store_return_order (LdStore *self, const char *order_id, gint64 at, const char *reason,
                       const LdActor *actor, GError **error)
{
  return order_step (self, order_id, STEP_RETURN, at, reason, actor, error);
}

char *
ld_store_add_feedback (LdStore *self, const char *feedback_id, const char *order_id, gint64 at,
                       const char *kind, const char *text, const LdActor *actor, GError **error)
{
  g_autoptr(LdOrder) o = ld_store_get_order (self, order_id, error);
  g_autofree char *id = NULL;
  g_autofree char *data = NULL;
  sqlite3_stmt *stmt;

  if (o == NULL)
    return NULL;
  if (!ld_feedback_kind_is_valid (kind))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("Unknown feedback kind “%s” (arrival, progress, result)"), kind ? kind : "");
      return NULL;
    }
  if (g_str_equal (o->state, "dispatched") || g_str_equal (o->state, "returned"))
    {
      set_transition_error (error, _("Order %s is %s: feedback comes after it is signed"),
                            order_id, o->state);
      return NULL;
    }
  if (at < o->signed_at)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("Order %s: feedback cannot be earlier than the signature"), order_id);
      return NULL;
    }

  id = feedback_id && *feedback_id ? g_strdup (feedback_id) : ld_id_new (at);
  if (!ld_store_begin (self, error))
    return NULL;
  if (!ld_store_insert_feedback (self, id, order_id, at, kind, text, error))
    goto fail;
  /* The first feedback is the one graded: whether it was logged later
   * goes with it. */
  stmt = ld_store_prepare (self,
    "UPDATE orders SET first_feedback_logged_at = ?3 WHERE id = ?1 AND first_feedback_at = ?2", error);
  if (stmt == NULL)
    goto fail;
  ld_bind_text (stmt, 1, order_id);
  sqlite3_bind_int64 (stmt, 2, at);
  ld_bind_time (stmt, 3, logged_later (actor, at));
  if (!ld_store_step_done (self, stmt, error))
    goto fail;
  data = event_data ("feedback_id", id, "kind", kind, "text", text, NULL);
  if (!ld_store_record_event (self, actor, at, "order", order_id, "feedback", data, error) ||
      !ld_store_commit (self, error))
    goto fail;
  return g_steal_pointer (&id);

fail:
  ld_store_rollback (self);
  return NULL;
}

/* Closing is the center's verification (核准): every order that was not
 * returned must be completed, and at least one must be. An incident the
 * police handled alone closes from new. */
gboolean
ld_store_close_incident (LdStore *self, const char *incident_id, gint64 at, const LdActor *actor, GError **error)
{
  g_autoptr(LdIncident) inc = ld_store_get_incident (self, incident_id, error);
  g_autoptr(GPtrArray) orders = NULL;
  guint open = 0, completed = 0;

  if (inc == NULL)
    return FALSE;
  if (g_str_equal (inc->state, "closed") || g_str_equal (inc->state, "diverted"))
    {
      set_transition_error (error, _("Incident %s is %s: it cannot be closed again"), incident_id, inc->state);
      return FALSE;
    }
  if (g_str_equal (inc->state, "new") && !g_str_equal (inc->kind, "police"))
    {
      set_transition_error (error, _("Incident %s is %s: a linkage incident is closed after its orders are completed"),
                            incident_id, inc->state);
      return FALSE;
    }
  orders = ld_store_list_orders (self, incident_id, error);
  if (orders == NULL)
    return FALSE;
  for (guint i = 0; i < orders->len; i++)
    {
      LdOrder *o = g_ptr_array_index (orders, i);
      open += order_is_open (o->state);
      completed += g_str_equal (o->state, "completed");
    }
  if (open > 0)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Incident %s still has %u open order",
                                "Incident %s still has %u open orders", open),
                   incident_id, open);
      return FALSE;
    }
  if (g_str_equal (inc->state, "dispatched") && completed == 0)
    {
      set_transition_error (error, _("Incident %s is %s: every order was returned, dispatch it again before closing"),
                            incident_id, inc->state);
      return FALSE;
    }
  if (at < inc->received_at)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("An incident cannot be closed before it was received"));
      return FALSE;
    }

  if (!ld_store_begin (self, error))
    return FALSE;
  if (!set_incident_state (self, incident_id, "closed", at, error) ||
      !ld_store_record_event (self, actor, at, "incident", incident_id, "close", NULL, error) ||
      !ld_store_commit (self, error))
    {
      ld_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

static const char * const late_steps[] = { "sign", "arrive", "feedback", "result" };

gboolean
ld_store_mark_overdue (LdStore *self, gint64 now, guint *n_marked, GError **error)
{
  static const char *flags_sql =
    "(overdue"
    " | CASE WHEN " LATE_SIGN " THEN 1 ELSE 0 END"
    " | CASE WHEN " LATE_ARRIVE " THEN 2 ELSE 0 END"
    " | CASE WHEN " LATE_FEEDBACK " THEN 4 ELSE 0 END"
    " | CASE WHEN " LATE_RESULT " THEN 8 ELSE 0 END)";
  static char *event_sql, *update_sql;
  sqlite3_stmt *stmt;
  guint n;

  if (g_once_init_enter (&event_sql))
    {
      update_sql = g_strdup_printf (
        "UPDATE orders SET overdue = %s"
        " WHERE " OPEN_ORDER " AND overdue != %s", flags_sql, flags_sql);
      g_once_init_leave (&event_sql, g_strdup_printf (
        "INSERT INTO event (at, actor, entity, entity_id, action, data)"
        " SELECT ?1, 'system', 'order', id, 'overdue', json_object('overdue', %s)"
        " FROM orders WHERE " OPEN_ORDER " AND overdue != %s",
        flags_sql, flags_sql));
    }

  if (!ld_store_begin (self, error))
    return FALSE;
  stmt = ld_store_prepare (self, event_sql, error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, now);
  if (!ld_store_step_done (self, stmt, error))
    goto fail;
  stmt = ld_store_prepare (self, update_sql, error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, now);
  if (!ld_store_step_done (self, stmt, error))
    goto fail;
  n = sqlite3_changes (self->db);
  if (!ld_store_commit (self, error))
    goto fail;
  if (n_marked)
    *n_marked = n;
  return TRUE;

fail:
  ld_store_rollback (self);
  return FALSE;
}

/* The unit board and the late list */

void
ld_unit_load_free (LdUnitLoad *load)
{
  if (load == NULL)
    return;
  ld_unit_free (load->unit);
  g_free (load);
}

void
ld_late_order_free (LdLateOrder *late)
{
  if (late == NULL)
    return;
  ld_order_free (late->order);
  ld_incident_free (late->incident);
  ld_unit_free (late->unit);
  g_free (late);
}

static gpointer
unit_load_from_row (sqlite3_stmt *stmt)
{
  LdUnitLoad *load = g_new0 (LdUnitLoad, 1);
  load->unit = unit_from_columns (stmt, 0);
  load->n_open = sqlite3_column_int (stmt, 13);
  load->n_late = sqlite3_column_int (stmt, 14);
  load->oldest_late_due = sqlite3_column_int64 (stmt, 15);
  return load;
}

/* One pass over the open orders (the orders_open index), grouped by unit. */
GPtrArray *
ld_store_list_unit_loads (LdStore *self, gint64 now, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT " UNIT_COLUMNS ", coalesce(n_open, 0), coalesce(n_late, 0), coalesce(oldest_late_due, 0)"
    " FROM unit LEFT JOIN ("
    "   SELECT unit_code, count(*) AS n_open, count(due) AS n_late, min(due) AS oldest_late_due"
    "   FROM (SELECT unit_code, " LATE_DUE " AS due FROM orders WHERE " OPEN_ORDER ")"
    "   GROUP BY unit_code) ON unit_code = code"
    " WHERE NOT inactive ORDER BY tier, region_code, code", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  return read_all (self, stmt, unit_load_from_row, (GDestroyNotify) ld_unit_load_free, error);
}

#define N_ORDER_COLUMNS 22
#define N_INCIDENT_COLUMNS 15

static gpointer
late_order_from_row (sqlite3_stmt *stmt)
{
  LdLateOrder *late = g_new0 (LdLateOrder, 1);
  int c = 0;

  late->order = order_from_columns (stmt, c);
  c += N_ORDER_COLUMNS;
  late->step = late_steps[sqlite3_column_int (stmt, c++)];
  late->due = sqlite3_column_int64 (stmt, c++);
  late->incident = incident_from_columns (stmt, c);
  c += N_INCIDENT_COLUMNS;
  late->unit = unit_from_columns (stmt, c);
  return late;
}

GPtrArray *
ld_store_list_late_orders (LdStore *self, gint64 now, GError **error)
{
  /* The subqueries name each record's columns in its reader's order; sqlite
   * flattens them into one join on the primary keys. */
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT o.*, i.*, u.* FROM"
    " (SELECT " ORDER_COLUMNS ", " LATE_STEP " AS step, " LATE_DUE " AS due"
    "   FROM orders WHERE " OPEN_ORDER ") o"
    " JOIN (SELECT " INCIDENT_COLUMNS " FROM incident) i ON i.id = o.incident_id"
    " JOIN (SELECT " UNIT_COLUMNS " FROM unit) u ON u.code = o.unit_code"
    " WHERE o.step IS NOT NULL ORDER BY o.due, o.id", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  return read_all (self, stmt, late_order_from_row, (GDestroyNotify) ld_late_order_free, error);
}

GHashTable *
ld_store_count_late_orders (LdStore *self, gint64 now, GError **error)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT region_code, count(*) FROM orders WHERE " OPEN_ORDER " AND " LATE_STEP " IS NOT NULL"
    " GROUP BY region_code", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *region = (const char *) sqlite3_column_text (stmt, 0);
      g_hash_table_insert (counts, g_strdup (region ? region : ""), GUINT_TO_POINTER (sqlite3_column_int (stmt, 1)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      ld_store_set_db_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&counts);
}

/* The lists behind the figures */

/* The figures of orders as ld-metrics.c counts them (ld_order_counts_get). */
static const struct {
  const char *figure;
  const char *condition;
} order_figure_sql[] = {
  { "dispatched", "1" },
  { "unsigned", "NOT " LD_ORDER_SIGNED },
  { "without_feedback", "NOT " LD_ORDER_WITH_FEEDBACK },
  { "not_completed", "NOT " LD_ORDER_COMPLETED },
  { "overdue_feedback", LD_ORDER_OVERDUE_FEEDBACK_AT ("?1") },
  { "repeat_calls", LD_ORDER_REPEAT_CALL },
};

static const char *
order_figure_condition (const char *figure)
{
  for (guint i = 0; i < G_N_ELEMENTS (order_figure_sql) && figure; i++)
    if (g_str_equal (figure, order_figure_sql[i].figure))
      return order_figure_sql[i].condition;
  return NULL;
}

gboolean
ld_incident_filter_lists_orders (const LdIncidentFilter *filter)
{
  g_return_val_if_fail (filter != NULL, FALSE);
  return order_figure_condition (filter->figure) != NULL;
}

/* Newest first, a page at a time from ?7 (dispatched_at) and ?8 (id) of
 * the last row read; interned like search_sql. */
static const char *
order_figure_sql_for (const char *condition, const LdIncidentFilter *filter)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  gboolean region = filter->region_code && *filter->region_code;

  if (region)
    g_string_append (sql, "WITH RECURSIVE within (code) AS (SELECT ?2"
                          " UNION SELECT r.code FROM region r JOIN within w ON r.parent_code = w.code) ");
  g_string_append_printf (sql, "SELECT o.*, i.*, u.* FROM (SELECT " ORDER_COLUMNS " FROM orders WHERE %s",
                          condition);
  if (filter->since || filter->until)
    g_string_append (sql, " AND dispatched_at >= ?3 AND dispatched_at < ?4");
  if (filter->unit_code)
    g_string_append (sql, " AND unit_code = ?5");
  if (filter->late_at)
    g_string_append (sql, " AND " OPEN_ORDER " AND " LATE_STEP_AT ("?6") " IS NOT NULL");
  if (region)
    g_string_append (sql, " AND region_code IN (SELECT code FROM within)");
  g_string_append (sql, " AND (dispatched_at < ?7 OR (dispatched_at = ?7 AND id < ?8))) o"
                        " JOIN (SELECT " INCIDENT_COLUMNS " FROM incident) i ON i.id = o.incident_id"
                        " JOIN (SELECT " UNIT_COLUMNS " FROM unit) u ON u.code = o.unit_code"
                        " ORDER BY o.dispatched_at DESC, o.id DESC LIMIT ?9");
  return g_intern_string (sql->str);
}

void
ld_figure_row_free (LdFigureRow *row)
{
  if (row == NULL)
    return;
  ld_incident_free (row->incident);
  ld_order_free (row->order);
  ld_unit_free (row->unit);
  g_free (row);
}

static gpointer
figure_incident_from_row (sqlite3_stmt *stmt)
{
  LdFigureRow *row = g_new0 (LdFigureRow, 1);
  row->incident = incident_from_columns (stmt, 0);
  return row;
}

static gpointer
figure_order_from_row (sqlite3_stmt *stmt)
{
  LdFigureRow *row = g_new0 (LdFigureRow, 1);
  row->order = order_from_columns (stmt, 0);
  row->incident = incident_from_columns (stmt, N_ORDER_COLUMNS);
  row->unit = unit_from_columns (stmt, N_ORDER_COLUMNS + N_INCIDENT_COLUMNS);
  return row;
}

GPtrArray *
ld_store_list_figure (LdStore *self, const LdIncidentFilter *filter, const LdFigureRow *after, guint limit,
                      GError **error)
{
  const char *condition;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (filter != NULL, NULL);

  condition = order_figure_condition (filter->figure);
  if (condition == NULL)
    {
      stmt = prepare_search (self, NULL, filter, TRUE, after ? after->incident : NULL, limit, error);
      if (stmt == NULL)
        return NULL;
      return read_all (self, stmt, figure_incident_from_row, (GDestroyNotify) ld_figure_row_free, error);
    }

  stmt = ld_store_prepare (self, order_figure_sql_for (condition, filter), error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, filter->now);
  ld_bind_text (stmt, 2, filter->region_code);
  sqlite3_bind_int64 (stmt, 3, filter->since ? filter->since : G_MININT64);
  sqlite3_bind_int64 (stmt, 4, filter->until ? filter->until : G_MAXINT64);
  ld_bind_text (stmt, 5, filter->unit_code);
  sqlite3_bind_int64 (stmt, 6, filter->late_at);
  sqlite3_bind_int64 (stmt, 7, after && after->order ? after->order->dispatched_at : G_MAXINT64);
  ld_bind_text (stmt, 8, after && after->order ? after->order->id : NULL);
  sqlite3_bind_int64 (stmt, 9, limit);
  return read_all (self, stmt, figure_order_from_row, (GDestroyNotify) ld_figure_row_free, error);
}

/* The orders of a region and the regions under it dispatched in a period
 * (?1 start, ?2 end, ?3 region): one range scan, as the metrics make. */
#define SCOPE \
  "WITH RECURSIVE scope(code) AS (SELECT ?3 UNION ALL" \
  "  SELECT r.code FROM region r JOIN scope s ON r.parent_code = s.code)"
#define MONTH_ORDERS "o.dispatched_at >= ?1 AND o.dispatched_at < ?2 AND o.region_code IN scope"

void
ld_incident_orders_free (LdIncidentOrders *item)
{
  g_clear_pointer (&item->incident, ld_incident_free);
  g_clear_pointer (&item->orders, g_ptr_array_unref);
  g_free (item);
}

static GPtrArray *
list_incident_orders (LdStore *self, const char *sql, const LdPeriod *period, const char *region_code,
                      guint limit, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, sql, error);
  g_autoptr(GPtrArray) incidents = NULL;
  g_autoptr(GPtrArray) list = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, period->start);
  sqlite3_bind_int64 (stmt, 2, period->end);
  ld_bind_text (stmt, 3, region_code);
  sqlite3_bind_int64 (stmt, 4, limit);
  incidents = read_all (self, stmt, (RowReader) incident_from_row, (GDestroyNotify) ld_incident_free, error);
  if (incidents == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) ld_incident_orders_free);
  for (guint i = 0; i < incidents->len; i++)
    {
      LdIncidentOrders *item = g_new0 (LdIncidentOrders, 1);

      item->incident = g_steal_pointer (&incidents->pdata[i]);
      g_ptr_array_add (list, item);
      item->orders = ld_store_list_orders (self, item->incident->id, error);
      if (item->orders == NULL)
        return NULL;
    }
  return g_steal_pointer (&list);
}

GPtrArray *
ld_store_list_joint_incidents (LdStore *self, const LdPeriod *period, const char *region_code, guint limit,
                               GError **error)
{
  return list_incident_orders (self,
    SCOPE
    " SELECT i.* FROM"
    " (SELECT o.incident_id, count(DISTINCT o.unit_code) AS n_units, min(o.dispatched_at) AS first"
    /* The month's incidents, judged by all their orders: one sent later
     * and not yet there makes the case not one. */
    "   FROM orders o JOIN unit u ON u.code = o.unit_code"
    "   WHERE o.incident_id IN (SELECT o.incident_id FROM orders o WHERE " MONTH_ORDERS ")"
    "   GROUP BY o.incident_id"
    "   HAVING count(DISTINCT CASE WHEN u.category <> 'police' THEN u.code END) >= 2"
    "    AND sum(o.state <> 'completed') = 0"
    "    AND sum(o.arrived_at IS NULL OR o.arrived_at > o.arrive_due) = 0"
    "   ORDER BY n_units DESC, first, o.incident_id LIMIT ?4) t"
    " JOIN (SELECT " INCIDENT_COLUMNS " FROM incident) i ON i.id = t.incident_id"
    " ORDER BY t.n_units DESC, t.first, t.incident_id",
    period, region_code, limit, error);
}

GPtrArray *
ld_store_list_troubled_incidents (LdStore *self, const LdPeriod *period, const char *region_code, guint limit,
                                  GError **error)
{
  /* An order is re-dispatched when another order of its incident went out
   * at or after its return; an arrival is far late when it came after
   * twice the time allowed. The bulletin holds the linkage units to
   * account, not the police. The inner query counts once per incident,
   * the outer one picks. */
  return list_incident_orders (self,
    SCOPE
    " SELECT i.* FROM"
    " (SELECT * FROM"
    "  (SELECT o.incident_id, min(o.dispatched_at) AS first, max(o.arrived_at - o.arrive_due) AS worst,"
    "    sum(o.returned_at IS NOT NULL AND EXISTS (SELECT 1 FROM orders again"
    "     WHERE again.incident_id = o.incident_id AND again.id <> o.id AND again.dispatched_at >= o.returned_at))"
    "     AS redispatched,"
    "    sum(o.arrived_at - o.arrive_due > o.arrive_due - o.dispatched_at) AS far_late"
    "   FROM orders o WHERE " MONTH_ORDERS
    "    AND o.unit_code NOT IN (SELECT code FROM unit WHERE category = 'police')"
    "   GROUP BY o.incident_id)"
    "  WHERE redispatched > 0 OR far_late > 0"
    "  ORDER BY redispatched DESC, worst DESC, first, incident_id LIMIT ?4) t"
    " JOIN (SELECT " INCIDENT_COLUMNS " FROM incident) i ON i.id = t.incident_id"
    " ORDER BY t.redispatched DESC, t.worst DESC, t.first, t.incident_id",
    period, region_code, limit, error);
}

/* A deadline exactly at @now is not late yet (late is after it), so it
 * still counts as the next one: a timer set for it then finds it late. */
gint64
ld_store_next_order_deadline (LdStore *self, gint64 now)
{
  /* One pass over the open orders, the earliest of each step. */
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT min(CASE WHEN " PENDING_SIGN " AND sign_due >= ?1 THEN sign_due END),"
    " min(CASE WHEN " PENDING_ARRIVE " AND arrive_due >= ?1 THEN arrive_due END),"
    " min(CASE WHEN " PENDING_FEEDBACK " AND feedback_due >= ?1 THEN feedback_due END),"
    " min(CASE WHEN " PENDING_RESULT " AND result_due >= ?1 THEN result_due END)"
    " FROM orders WHERE " OPEN_ORDER, NULL);
  gint64 next = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, now);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    for (guint i = 0; i < G_N_ELEMENTS (late_steps); i++)
      if (sqlite3_column_type (stmt, i) != SQLITE_NULL &&
          (next == 0 || sqlite3_column_int64 (stmt, i) < next))
        next = sqlite3_column_int64 (stmt, i);
  sqlite3_reset (stmt);
  return next;
}

/* Drills */

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
  if (!check_coords (drill->lat, drill->lon, error))
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
        set_not_found (error, _("Unknown region %s"), drill->region_code);
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
      set_not_found (error, _("Unknown unit %s"), du->unit_code);
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
        set_not_found (error, _("Unknown drill %s"), du->drill_id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      goto fail;
    }
  arrived = time_text (self, du->arrived_at);
  data = event_data ("unit_code", du->unit_code, "arrived_at", arrived, NULL);
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
  return read_all (self, stmt, drill_from_row, (GDestroyNotify) ld_drill_free, error);
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
  return read_all (self, stmt, drill_unit_from_row, (GDestroyNotify) ld_drill_unit_free, error);
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
  return read_all (self, stmt, drill_from_row, (GDestroyNotify) ld_drill_free, error);
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
  return get_one (self, "SELECT id, held_at, region_code, location, scenario, lat, lon FROM drill WHERE id = ?",
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
      set_not_found (error, _("Unknown unit %s"), unit_code);
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
          set_not_found (error, _("Unknown unit %s"), units[i].unit_code);
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
      g_autofree char *was = time_text (self, alarm_at);
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION,
                   _("The alarm of this drill was raised already (%s); correct it with a reason instead"), was);
      return FALSE;
    }
  alarm_text = time_text (self, at);
  data = event_data ("alarm_at", alarm_text, NULL);
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
      g_autofree char *first = time_text (self, first_arrival);
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("The alarm cannot come after the first arrival (%s)"), first);
      return FALSE;
    }
  old_text = time_text (self, alarm_at);
  new_text = time_text (self, at);
  data = event_data ("old", old_text, "new", new_text, "reason", reason, NULL);
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
  at_text = time_text (self, at);
  kept = takes ? NULL : time_text (self, du->arrived_at);
  data = event_data ("unit_code", unit_code, "arrived_at", at_text, "kept", kept, NULL);
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
  old_text = time_text (self, du->arrived_at);
  new_text = time_text (self, at);
  data = event_data ("unit_code", unit_code, "old", old_text, "new", new_text, "reason", reason, NULL);
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
  data = event_data ("note_id", row.id, "unit_code", note->unit_code, NULL);
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
  return read_all (self, stmt, drill_note_from_row, (GDestroyNotify) ld_drill_note_free, error);
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
  data = event_data ("drill_id", photo->drill_id, "unit_code", photo->unit_code, NULL);
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
  return read_all (self, stmt, drill_photo_from_row, (GDestroyNotify) ld_drill_photo_free, error);
}

LdDrillPhoto *
ld_store_get_drill_photo (LdStore *self, const char *id, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, "SELECT " DRILL_PHOTO_COLUMNS " FROM drill_photo WHERE id = ?", error);
  g_autoptr(GPtrArray) found = NULL;

  if (stmt == NULL)
    return NULL;
  ld_bind_text (stmt, 1, id);
  found = read_all (self, stmt, drill_photo_from_row, (GDestroyNotify) ld_drill_photo_free, error);
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

/* Users and sessions of the central server */

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
      set_not_found (error, _("Unknown unit %s"), user->unit_code);
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
  return get_one (self, "SELECT " USER_COLUMNS " FROM user WHERE name = ?", name, user_from_row,
                  _("Unknown user %s"), error);
}

GPtrArray *
ld_store_list_users (LdStore *self, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, "SELECT " USER_COLUMNS " FROM user ORDER BY name", error);
  return stmt ? read_all (self, stmt, user_from_row, (GDestroyNotify) ld_user_free, error) : NULL;
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
      set_not_found (error, _("Unknown user %s"), name);
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

/* The audit trail */

static gpointer
event_from_row (sqlite3_stmt *stmt)
{
  LdEvent *e = g_new0 (LdEvent, 1);
  e->seq = sqlite3_column_int64 (stmt, 0);
  e->at = sqlite3_column_int64 (stmt, 1);
  e->actor = ld_column_dup (stmt, 2);
  e->device = ld_column_dup (stmt, 3);
  e->remote = ld_column_dup (stmt, 4);
  e->entity = ld_column_dup (stmt, 5);
  e->entity_id = ld_column_dup (stmt, 6);
  e->action = ld_column_dup (stmt, 7);
  e->data = ld_column_dup (stmt, 8);
  return e;
}

GPtrArray *
ld_store_list_events (LdStore *self, const LdEventFilter *filter, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT seq, at, actor, device, remote, entity, entity_id, action, data FROM event e"
    " WHERE (?1 IS NULL OR (e.entity = 'incident' AND e.entity_id = ?1)"
    "        OR (e.entity = 'order' AND e.entity_id IN (SELECT id FROM orders WHERE incident_id = ?1)))"
    "   AND (?2 IS NULL OR (e.entity = 'order' AND e.entity_id IN (SELECT id FROM orders WHERE unit_code = ?2)))"
    "   AND (?3 IS NULL OR e.actor = ?3)"
    "   AND (?4 = 0 OR e.at >= ?4) AND (?5 = 0 OR e.at < ?5)"
    " ORDER BY e.seq DESC LIMIT ?6", error);

  if (stmt == NULL)
    return NULL;
  ld_bind_text (stmt, 1, filter->incident_id);
  ld_bind_text (stmt, 2, filter->unit_code);
  ld_bind_text (stmt, 3, filter->user);
  sqlite3_bind_int64 (stmt, 4, filter->from);
  sqlite3_bind_int64 (stmt, 5, filter->to);
  sqlite3_bind_int (stmt, 6, filter->limit ? filter->limit : 1000);
  return read_all (self, stmt, event_from_row, (GDestroyNotify) ld_event_free, error);
}
