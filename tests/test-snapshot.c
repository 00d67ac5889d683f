/* test-snapshot.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sqlite3.h>

#include "ld-records.h"
#include "ld-snapshot.h"
#include "ld-store.h"
#include "ld-test-city.h"

/* Every secret and every other unit's word is distinctive, so that finding
 * it among the bytes of a copy means the copy holds it. */
#define OWN_PHONE       "13800138000"
#define OWN_ADDRESS     "和平路1号"
#define OTHER_PHONE     "13999912345"
#define OTHER_ADDRESS   "秘密巷17号"
#define OTHER_SUMMARY   "鬣蜥鬣蜥 fireworks in the lane"
/* The search index keeps each three characters of a text, sorted, each
 * term written as what it adds to the one before: the other's whole words
 * are not in it, but two of their characters are, wherever its terms are. */
#define OTHER_TERMS     "鬣蜥", "秘密"
#define LONE_PHONE      "13777712399"
#define LONE_ADDRESS    "无名街9号"

static const struct {
  const char *name;
  const char *role;
  const char *unit_code;
  const char *device;
  const char *remote;
} people[] = {
  { "boss", "admin", NULL, "admin-console-B055", "198.51.100.5" },
  { "d1", "dispatcher", NULL, "desk-of-d1-D7Q", "198.51.100.71" },
  { "lead", "leader", NULL, "leader-phone-L3AD", "198.51.100.88" },
  { "insp", "inspector", NULL, "inspector-pad-1N5P", "198.51.100.94" },
  { "mkt", "unit", "MKT", "tablet-of-mkt-M3K", "192.0.2.31" },
  { "town", "unit", "TOWN", "attacker-laptop-XYZ", "203.0.113.99" },
};

typedef struct {
  char    *dir;
  LdStore *store;
  char    *own_incident;
  char    *other_incident;
} Fixture;

static LdActor
actor_of (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    if (g_str_equal (people[i].name, name))
      return (LdActor) { people[i].name, people[i].device, people[i].remote };
  g_assert_not_reached ();
}

static LdUser
user_of (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    if (g_str_equal (people[i].name, name))
      return (LdUser) { (char *) people[i].name, NULL, (char *) people[i].role,
                        (char *) people[i].unit_code, NULL, 0 };
  g_assert_not_reached ();
}

static char *
password_hash_of (const char *name)
{
  return g_strdup_printf ("$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$HASH-OF-%s-7Kq9Zp", name);
}

static char *
token_hash_of (const char *name)
{
  return g_strdup_printf ("session-token-hash-of-%s-Qm4Xr8", name);
}

static char *
add_incident (Fixture *f, const char *received, const char *phone, const char *address, const char *summary)
{
  g_autoptr(GError) error = NULL;
  LdActor d1 = actor_of ("d1");
  LdIncident inc = { 0, };
  char *id;

  inc.received_at = ld_test_time (f->store, received);
  inc.source = "110";
  inc.kind = "linkage";
  inc.caller_phone = (char *) phone;
  inc.address = (char *) address;
  inc.summary = (char *) summary;
  inc.category = "noise";
  inc.lat = NAN;
  inc.lon = NAN;
  id = ld_store_add_incident (f->store, &inc, &d1, &error);
  g_assert_no_error (error);
  return id;
}

/* An incident for @unit_code, dispatched by d1 and signed by @signer. */
static char *
add_dispatched (Fixture *f, const char *received, const char *phone, const char *address, const char *summary,
                const char *unit_code, const char *signer)
{
  g_autoptr(GError) error = NULL;
  char *id = add_incident (f, received, phone, address, summary);
  gint64 at = ld_test_time (f->store, received);
  LdActor d1 = actor_of ("d1");
  LdActor unit = actor_of (signer);
  g_autofree char *order = ld_store_dispatch (f->store, NULL, id, unit_code, at + 60 * G_USEC_PER_SEC, &d1, &error);

  g_assert_no_error (error);
  g_assert_true (ld_store_sign_order (f->store, order, at + 90 * G_USEC_PER_SEC, &unit, &error));
  g_assert_no_error (error);
  return id;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("ld-snapshot-XXXXXX", NULL);
  path = g_build_filename (f->dir, "server.db", NULL);
  f->store = ld_test_city_new (path);
  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      g_autofree char *hash = password_hash_of (people[i].name);
      g_autofree char *token = token_hash_of (people[i].name);
      LdUser user = user_of (people[i].name);

      user.password_hash = hash;
      g_assert_true (ld_store_put_user (f->store, &user, &error));
      g_assert_no_error (error);
      g_assert_true (ld_store_add_session (f->store, token, people[i].name, people[i].device,
                                           ld_time_now () + G_TIME_SPAN_DAY, &error));
      g_assert_no_error (error);
    }
  f->own_incident = add_dispatched (f, "2026-03-01 10:00", OWN_PHONE, OWN_ADDRESS, "market stall too loud",
                                    "MKT", "mkt");
  f->other_incident = add_dispatched (f, "2026-03-01 11:00", OTHER_PHONE, OTHER_ADDRESS, OTHER_SUMMARY,
                                      "TOWN", "town");
  g_free (add_incident (f, "2026-03-01 12:00", LONE_PHONE, LONE_ADDRESS, "a call no unit was sent to"));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&f->store);
  dir = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->own_incident);
  g_free (f->other_incident);
  g_free (f->dir);
}

/* The copy for @name, written to its own file; @seq is checked against the
 * store's. */
static char *
write_copy (Fixture *f, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_strconcat (name, ".db", NULL);
  char *path = g_build_filename (f->dir, file, NULL);
  LdUser user = user_of (name);
  gint64 seq = 0;

  g_assert_true (ld_snapshot_write (f->store, path, &user, &seq, &error));
  g_assert_no_error (error);
  g_assert_cmpint (seq, ==, ld_store_get_sequence (f->store));
  return path;
}

/* What whoever holds the file reads from it: its bytes, whatever sqlite
 * makes of them. */
static gboolean
file_contains (const char *path, const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0, n = strlen (needle);

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (contents + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static sqlite3 *
open_raw (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  return db;
}

static gint64
query_int (sqlite3 *db, const char *sql, const char *text)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (text)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static gint64
count_matches (sqlite3 *db, const char *text)
{
  g_autofree char *phrase = g_strdup_printf ("\"%s\"", text);

  return query_int (db, "SELECT count(*) FROM incident_fts WHERE incident_fts MATCH ?", phrase);
}

static void
assert_no_secrets (const char *path)
{
  g_assert_false (file_contains (path, "HASH-OF-"));
  g_assert_false (file_contains (path, "session-token-hash-of-"));
}

/* The copy is the one file: no journal or scratch file is left beside it
 * with pages of the store. */
static void
assert_alone (Fixture *f, const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  g_autofree char *base = g_path_get_basename (path);
  const char *name;

  while ((name = g_dir_read_name (dir)))
    if (!g_str_has_prefix (name, "server.db"))
      g_assert_cmpstr (name, ==, base);
}

static void
test_unit_holds_no_other_bytes (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_copy (f, "mkt");
  g_autoptr(LdStore) copy = NULL;
  g_autoptr(GPtrArray) found = NULL;
  static const char *others[] = {
    OTHER_PHONE, OTHER_ADDRESS, OTHER_SUMMARY, OTHER_TERMS, LONE_PHONE, LONE_ADDRESS,
  };

  assert_alone (f, path);
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_test_message ("%s", others[i]);
      g_assert_false (file_contains (path, others[i]));
    }
  assert_no_secrets (path);
  g_assert_true (file_contains (path, OWN_PHONE));

  copy = ld_store_open (path, &error);
  g_assert_no_error (error);
  found = ld_store_search_incidents (copy, OWN_ADDRESS, NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((LdIncident *) found->pdata[0])->id, ==, f->own_incident);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = ld_store_search_incidents (copy, "13", NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* The desk's own incidents are indexed as they are added. */
  {
    LdIncident inc = { 0, };
    g_autofree char *id = NULL;

    inc.received_at = ld_test_time (copy, "2026-03-02 09:00");
    inc.source = "110";
    inc.kind = "linkage";
    inc.address = "新建路5号";
    inc.category = "noise";
    inc.lat = NAN;
    inc.lon = NAN;
    id = ld_store_add_incident (copy, &inc, &ld_test_actor, &error);
    g_assert_no_error (error);
    found = ld_store_search_incidents (copy, "新建路", NULL, 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 1);
    g_assert_cmpstr (((LdIncident *) found->pdata[0])->id, ==, id);
  }
}

/* The search index of a unit's copy is what its own rows make of it, and
 * nothing more: the terms of deleted rows linger in an index's segments
 * until they are merged away. */
static void
test_unit_index_holds_only_its_rows (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_copy (f, "mkt");
  sqlite3 *db = open_raw (path);
  gint64 blocks, bytes;

  g_assert_cmpint (count_matches (db, OTHER_PHONE), ==, 0);
  g_assert_cmpint (count_matches (db, OTHER_ADDRESS), ==, 0);
  g_assert_cmpint (count_matches (db, LONE_PHONE), ==, 0);
  g_assert_cmpint (count_matches (db, OWN_PHONE), ==, 1);
  blocks = query_int (db, "SELECT count(*) FROM incident_fts_data WHERE id > 10", NULL);
  bytes = query_int (db, "SELECT sum(length(block)) FROM incident_fts_data WHERE id > 10", NULL);
  sqlite3_close (db);

  /* The same index made afresh from the copy's rows. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO incident_fts (incident_fts) VALUES ('rebuild')", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM incident_fts_data WHERE id > 10", NULL), ==, blocks);
  g_assert_cmpint (query_int (db, "SELECT sum(length(block)) FROM incident_fts_data WHERE id > 10", NULL), ==, bytes);
  sqlite3_close (db);
}

/* A unit's copy keeps the timeline of its own orders and their incidents,
 * and of whoever else acted on them no device and no address. */
static void
test_unit_events (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_copy (f, "mkt");
  sqlite3 *db;

  g_assert_false (file_contains (path, "attacker-laptop-XYZ"));
  g_assert_false (file_contains (path, "203.0.113.99"));
  g_assert_false (file_contains (path, "desk-of-d1-D7Q"));
  g_assert_false (file_contains (path, "198.51.100.71"));
  g_assert_true (file_contains (path, "tablet-of-mkt-M3K"));

  db = open_raw (path);
  /* create, dispatch, sign */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM event", NULL), ==, 3);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM event WHERE entity_id = ?", f->other_incident), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM event WHERE actor = 'd1' AND action IS NOT NULL"
                                  " AND at IS NOT NULL AND device IS NULL AND remote IS NULL", NULL), ==, 2);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM event WHERE actor = ?"
                                  " AND device = 'tablet-of-mkt-M3K' AND remote = '192.0.2.31'", "mkt"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM user", NULL), ==, 1);
  /* The desk numbers its own events on from the server's. */
  g_assert_cmpint (query_int (db, "SELECT seq FROM sqlite_sequence WHERE name = 'event'", NULL),
                   ==, ld_store_get_sequence (f->store));
  sqlite3_close (db);

  /* The incident's timeline reads as on the server. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LdStore) copy = ld_store_open (path, &error);
    LdEventFilter filter = { .incident_id = f->own_incident };
    g_autoptr(GPtrArray) theirs = ld_store_list_events (f->store, &filter, &error);
    g_autoptr(GPtrArray) ours = ld_store_list_events (copy, &filter, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (ours->len, ==, 3);
    g_assert_cmpuint (ours->len, ==, theirs->len);
    for (guint i = 0; i < ours->len; i++)
      {
        LdEvent *a = g_ptr_array_index (ours, i), *b = g_ptr_array_index (theirs, i);

        g_assert_cmpint (a->seq, ==, b->seq);
        g_assert_cmpint (a->at, ==, b->at);
        g_assert_cmpstr (a->actor, ==, b->actor);
        g_assert_cmpstr (a->action, ==, b->action);
        g_assert_cmpstr (a->data, ==, b->data);
      }
  }
}

/* A dispatcher's, a leader's and an inspector's copy: every incident and
 * event, no secret, and no one's device or address but their own. */
static void
test_staff_copies (Fixture *f, gconstpointer data)
{
  static const char *staff[] = { "d1", "lead", "insp" };
  gint64 events = ld_store_get_sequence (f->store);

  for (guint s = 0; s < G_N_ELEMENTS (staff); s++)
    {
      g_autofree char *path = write_copy (f, staff[s]);
      sqlite3 *db;

      g_test_message ("%s", staff[s]);
      assert_alone (f, path);
      assert_no_secrets (path);
      for (guint i = 0; i < G_N_ELEMENTS (people); i++)
        if (!g_str_equal (people[i].name, staff[s]))
          {
            g_assert_false (file_contains (path, people[i].device));
            g_assert_false (file_contains (path, people[i].remote));
          }
      /* The dispatcher's own actions keep where they were made from. */
      g_assert_cmpint (file_contains (path, "desk-of-d1-D7Q"), ==, g_str_equal (staff[s], "d1"));
      db = open_raw (path);
      g_assert_cmpint (query_int (db, "SELECT count(*) FROM event", NULL), ==, events);
      g_assert_cmpint (query_int (db, "SELECT count(*) FROM event WHERE actor != ?"
                                      " AND (device IS NOT NULL OR remote IS NOT NULL)", staff[s]), ==, 0);
      g_assert_cmpint (query_int (db, "SELECT count(*) FROM incident", NULL), ==, 3);
      g_assert_cmpint (count_matches (db, OTHER_PHONE), ==, 1);
      g_assert_cmpint (query_int (db, "SELECT count(*) FROM user WHERE password_hash IS NULL", NULL),
                       ==, G_N_ELEMENTS (people));
      g_assert_cmpint (query_int (db, "SELECT count(*) FROM session", NULL), ==, 0);
      sqlite3_close (db);
      g_unlink (path);
    }
}

/* The administrator reads the whole audit trail anyway; only the secrets
 * stay behind. */
static void
test_admin_keeps_audit (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_copy (f, "boss");
  sqlite3 *db;

  assert_alone (f, path);
  assert_no_secrets (path);
  g_assert_true (file_contains (path, "attacker-laptop-XYZ"));
  g_assert_true (file_contains (path, "203.0.113.99"));
  db = open_raw (path);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM event WHERE device IS NULL OR remote IS NULL", NULL), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM operation", NULL), ==, 0);
  sqlite3_close (db);
}

/* A copy goes to a new file: what is at the path is left as it is. */
static void
test_refuses_existing_file (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "taken.db", NULL);
  g_autofree char *contents = NULL;
  LdUser user = user_of ("d1");
  gint64 seq = 0;

  g_assert_true (g_file_set_contents (path, "keep me", -1, &error));
  g_assert_false (ld_snapshot_write (f->store, path, &user, &seq, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_DUPLICATE);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "keep me");
  assert_alone (f, path);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/snapshot/unit/holds-no-other-bytes", test_unit_holds_no_other_bytes);
  ADD ("/snapshot/unit/index-holds-only-its-rows", test_unit_index_holds_only_its_rows);
  ADD ("/snapshot/unit/events", test_unit_events);
  ADD ("/snapshot/staff-copies", test_staff_copies);
  ADD ("/snapshot/admin-keeps-audit", test_admin_keeps_audit);
  ADD ("/snapshot/refuses-existing-file", test_refuses_existing_file);
#undef ADD

  return g_test_run ();
}
