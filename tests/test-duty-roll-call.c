/* test-duty-roll-call.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The duty roster and roll calls (issue 17): the store's rules with
 * explicit times, the sync operations by role, what a unit pulls and is
 * given, the one count the month report and the bulletin read, the roll
 * calls that run by themselves and the simulated units that answer.
 */

#include "config.h"

#include <string.h>

#include "ld-bulletin.h"
#include "ld-json.h"
#include "ld-report.h"
#include "ld-simulator.h"
#include "ld-snapshot.h"
#include "ld-store.h"
#include "ld-sync.h"
#include "ld-test-city.h"
#include "ld-test-util.h"

#define S_US LD_USEC_PER_S
#define MIN_US (G_GINT64_CONSTANT (60) * S_US)
#define DAY_US (G_GINT64_CONSTANT (86400) * S_US)

typedef struct {
  char    *dir;
  LdStore *store;
} Fixture;

static LdUser admin = { (char *) "admin", NULL, (char *) "admin", NULL };
static LdUser dispatcher = { (char *) "d1", NULL, (char *) "dispatcher", NULL };
static LdUser leader = { (char *) "l1", NULL, (char *) "leader", NULL };
static LdUser market = { (char *) "u-mkt", NULL, (char *) "unit", (char *) "MKT" };
static LdUser town = { (char *) "u-town", NULL, (char *) "unit", (char *) "TOWN" };

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;

  f->dir = ld_test_make_tmp ("ld-duty-XXXXXX");
  path = g_build_filename (f->dir, "server.db", NULL);
  f->store = ld_test_city_new (path);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  g_free (f->dir);
}

static LdDuty
turn (const char *id, const char *unit, const char *name, const char *phone, gint64 from, gint64 to)
{
  LdDuty d = { (char *) id, (char *) unit, (char *) name, (char *) phone, from, to, FALSE };
  return d;
}

static void
set_refused (Fixture *f, LdDuty d, int code)
{
  g_autoptr(GError) error = NULL;
  gint64 before = ld_store_get_sequence (f->store);

  g_assert_false (ld_store_set_duty (f->store, &d, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, code);
  g_assert_cmpint (ld_store_get_sequence (f->store), ==, before);
}

/* Who is on duty now follows the turns; a bad turn is refused whole. */
static void
test_duty_store (Fixture *f, gconstpointer data)
{
  gint64 t = ld_test_time (f->store, "2026-12-07 08:00:00");
  LdDuty day = turn ("d-day", "MKT", "  张三 ", "13800000001", t, t + 12 * 60 * MIN_US);
  LdDuty night = turn ("d-night", "MKT", "李四", "13800000002", t + 12 * 60 * MIN_US, t + DAY_US);
  g_autoptr(GError) error = NULL;
  g_autoptr(LdDuty) now = NULL;
  g_autoptr(LdDuty) later = NULL;
  g_autoptr(LdDuty) none = NULL;
  g_autoptr(GPtrArray) all = NULL;

  g_assert_true (ld_store_set_duty (f->store, &day, &ld_test_actor, &error));
  g_assert_true (ld_store_set_duty (f->store, &night, &ld_test_actor, &error));
  g_assert_no_error (error);

  now = ld_store_get_on_duty (f->store, "MKT", t + 60 * MIN_US, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (now->name, ==, "张三");
  g_assert_cmpstr (now->phone, ==, "13800000001");
  later = ld_store_get_on_duty (f->store, "MKT", t + 12 * 60 * MIN_US, &error);
  g_assert_cmpstr (later->name, ==, "李四");
  none = ld_store_get_on_duty (f->store, "TOWN", t + 60 * MIN_US, &error);
  g_assert_no_error (error);
  g_assert_null (none);
  all = ld_store_list_duty (f->store, NULL, t, t + DAY_US, &error);
  g_assert_cmpuint (all->len, ==, 2);

  set_refused (f, turn ("d-x", "MKT", "\u3000 ", "139", t, t + MIN_US), LD_STORE_ERROR_INVALID);
  set_refused (f, turn ("d-x", "MKT", "王五", "", t, t + MIN_US), LD_STORE_ERROR_INVALID);
  set_refused (f, turn ("d-x", "MKT", "王五", "139", t, t), LD_STORE_ERROR_INVALID);
  set_refused (f, turn ("d-x", "MKT", "王五", "139", t, t + 32 * DAY_US), LD_STORE_ERROR_INVALID);
  set_refused (f, turn ("d-x", "NOPE", "王五", "139", t, t + MIN_US), LD_STORE_ERROR_NOT_FOUND);
  /* A turn stays with its unit. */
  set_refused (f, turn ("d-day", "TOWN", "王五", "139", t, t + MIN_US), LD_STORE_ERROR_NOT_FOUND);

  g_assert_true (ld_store_remove_duty (f->store, "d-night", &ld_test_actor, &error));
  g_assert_no_error (error);
  g_clear_pointer (&later, ld_duty_free);
  later = ld_store_get_on_duty (f->store, "MKT", t + 13 * 60 * MIN_US, &error);
  g_assert_null (later);
  g_assert_false (ld_store_remove_duty (f->store, "d-night", &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND);
}

/* An operation of @user on @entity @id, its fields given as JSON text. */
static LdSyncStatus
apply_as (Fixture *f, const LdUser *user, const char *entity, const char *id, const char *action,
          const char *fields, GError **error)
{
  g_autoptr(JsonObject) op = json_object_new ();
  g_autoptr(JsonNode) parsed = json_from_string (fields ? fields : "{}", NULL);
  g_autofree char *op_id = ld_id_new (ld_time_now ());
  g_autofree char *at = ld_time_format_iso (ld_time_now (), ld_store_get_time_zone (f->store));
  LdActor actor = { user->name, "desk", NULL };
  gint64 seq;

  g_assert_nonnull (parsed);
  json_object_set_string_member (op, "id", op_id);
  json_object_set_string_member (op, "entity", entity);
  json_object_set_string_member (op, "entity_id", id);
  json_object_set_string_member (op, "action", action);
  json_object_set_string_member (op, "at", at);
  json_object_set_member (op, "fields", g_steal_pointer (&parsed));
  return ld_sync_apply (f->store, op, user, &actor, &seq, error);
}

static void
assert_applies (Fixture *f, const LdUser *user, const char *entity, const char *id, const char *action,
                const char *fields)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (apply_as (f, user, entity, id, action, fields, &error), ==, LD_SYNC_ACCEPTED);
  g_assert_no_error (error);
}

static void
assert_refused (Fixture *f, const LdUser *user, const char *entity, const char *id, const char *action,
                const char *fields, GQuark domain, int code)
{
  g_autoptr(GError) error = NULL;
  gint64 before = ld_store_get_sequence (f->store);

  g_assert_cmpint (apply_as (f, user, entity, id, action, fields, &error), ==, LD_SYNC_REFUSED);
  g_assert_error (error, domain, code);
  g_assert_cmpint (ld_store_get_sequence (f->store), ==, before);
}

#define MKT_TURN "{\"unit_code\": \"MKT\", \"name\": \"张三\", \"phone\": \"13800000001\"," \
                 " \"from\": \"2026-12-07 08:00:00\", \"to\": \"2026-12-07 20:00:00\"}"
#define TOWN_TURN "{\"unit_code\": \"TOWN\", \"name\": \"<b>王五</b> & co\", \"phone\": \"0573-1\"," \
                  " \"from\": \"2026-12-07 08:00:00\", \"to\": \"2026-12-08 08:00:00\"}"

/* A unit keeps its own roster, the administrator anyone's; the center reads. */
static void
test_duty_roles (Fixture *f, gconstpointer data)
{
  g_autoptr(LdDuty) kept = NULL;
  g_autoptr(LdDuty) removed = NULL;

  assert_applies (f, &market, "duty", "t-mkt", "set", MKT_TURN);
  assert_refused (f, &market, "duty", "t-town", "set", TOWN_TURN, LD_SYNC_ERROR, LD_SYNC_ERROR_FORBIDDEN);
  assert_refused (f, &dispatcher, "duty", "t-town", "set", TOWN_TURN, LD_SYNC_ERROR, LD_SYNC_ERROR_FORBIDDEN);
  assert_refused (f, &leader, "duty", "t-town", "set", TOWN_TURN, LD_SYNC_ERROR, LD_SYNC_ERROR_FORBIDDEN);
  assert_applies (f, &admin, "duty", "t-town", "set", TOWN_TURN);
  /* Another unit's turn is not there for it, to change or to remove. */
  assert_refused (f, &market, "duty", "t-town", "remove", NULL, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND);
  assert_refused (f, &town, "duty", "t-mkt", "set", MKT_TURN, LD_SYNC_ERROR, LD_SYNC_ERROR_FORBIDDEN);
  assert_refused (f, &market, "duty", "t-x", "set",
                  "{\"unit_code\": \"MKT\", \"name\": \"张三\", \"phone\": \"1\", \"from\": \"2026-12-07 08:00:00\"}",
                  LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED);
  assert_refused (f, &market, "duty", "t-x", "set",
                  "{\"unit_code\": \"MKT\", \"name\": \"张三\", \"phone\": \"1\", \"from\": \"2026-12-07 08:00:00\","
                  " \"to\": \"2026-12-07 07:00:00\"}", LD_STORE_ERROR, LD_STORE_ERROR_INVALID);

  /* A name is a name, not a page. */
  {
    g_autoptr(GString) long_turn = g_string_new ("{\"unit_code\": \"MKT\", \"phone\": \"1\", \"name\": \"");

    for (guint i = 0; i < 5000; i++)
      g_string_append (long_turn, "张");
    g_string_append (long_turn, "\", \"from\": \"2026-12-07 08:00:00\", \"to\": \"2026-12-07 20:00:00\"}");
    assert_refused (f, &market, "duty", "t-x", "set", long_turn->str, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  }

  /* Text people typed is kept as typed. */
  kept = ld_store_get_duty (f->store, "t-town", NULL);
  g_assert_cmpstr (kept->name, ==, "<b>王五</b> & co");
  assert_applies (f, &market, "duty", "t-mkt", "remove", NULL);
  removed = ld_store_get_duty (f->store, "t-mkt", NULL);
  g_assert_true (removed->removed);
}

static guint
count_entity (JsonNode *page, const char *entity)
{
  JsonArray *changes = json_object_get_array_member (json_node_get_object (page), "changes");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (changes); i++)
    n += g_str_equal (json_object_get_string_member (json_array_get_object_element (changes, i), "entity"), entity);
  return n;
}

/* The unit's row of a pulled roll call record, the only one it gets. */
static JsonArray *
pulled_roll_call_units (JsonNode *page)
{
  JsonArray *changes = json_object_get_array_member (json_node_get_object (page), "changes");

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      if (g_str_equal (json_object_get_string_member (change, "entity"), "roll_call"))
        return json_object_get_array_member (json_object_get_object_member (change, "record"), "units");
    }
  g_assert_not_reached ();
}

/* A unit pulls and is given its own roster and roll-call rows only; the
 * center gets every unit's. */
static void
test_who_sees (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) unit_page = NULL, center_page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "mkt.db", NULL);
  g_autoptr(LdStore) copy = NULL;
  g_autoptr(GPtrArray) turns = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  JsonArray *units;
  gint64 seq;

  assert_applies (f, &market, "duty", "t-mkt", "set", MKT_TURN);
  assert_applies (f, &admin, "duty", "t-town", "set", TOWN_TURN);
  assert_applies (f, &dispatcher, "roll_call", "rc-1", "start", NULL);

  unit_page = ld_sync_changes (f->store, 0, 100, &market, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_entity (unit_page, "duty"), ==, 1);
  g_assert_cmpuint (count_entity (unit_page, "roll_call"), ==, 1);
  units = pulled_roll_call_units (unit_page);
  g_assert_cmpuint (json_array_get_length (units), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (units, 0), "unit_code"), ==, "MKT");

  center_page = ld_sync_changes (f->store, 0, 100, &leader, &error);
  g_assert_cmpuint (count_entity (center_page, "duty"), ==, 2);
  g_assert_cmpuint (json_array_get_length (pulled_roll_call_units (center_page)), ==, 3);

  g_assert_true (ld_snapshot_write (f->store, path, &market, &seq, &error));
  g_assert_no_error (error);
  copy = ld_store_open (path, &error);
  turns = ld_store_list_duty (copy, NULL, 0, G_MAXINT64, &error);
  g_assert_cmpuint (turns->len, ==, 1);
  g_assert_cmpstr (((LdDuty *) g_ptr_array_index (turns, 0))->unit_code, ==, "MKT");
  rows = ld_store_list_roll_call_rows (copy, "rc-1", NULL, &error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (((LdRollCall *) g_ptr_array_index (rows, 0))->unit_code, ==, "MKT");
}

/* A pulled record written into a desk's store reads back the same. */
static void
test_records_round_trip (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "desk.db", NULL);
  g_autoptr(LdStore) desk = ld_test_city_new (path);
  const char *records[][2] = { { "duty", "t-town" }, { "roll_call", "rc-1" } };

  assert_applies (f, &admin, "duty", "t-town", "set", TOWN_TURN);
  assert_applies (f, &dispatcher, "roll_call", "rc-1", "start", "{\"unit_codes\": [\"TOWN\", \"MKT\"]}");
  assert_applies (f, &town, "roll_call", "rc-1", "answer", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      g_autoptr(JsonNode) record = ld_sync_get_record (f->store, records[i][0], records[i][1]);
      g_autoptr(JsonNode) again = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = json_to_string (record, FALSE);
      g_autofree char *text_again = NULL;

      g_assert_true (ld_sync_put_record (desk, records[i][0], json_node_get_object (record), &error));
      g_assert_no_error (error);
      again = ld_sync_get_record (desk, records[i][0], records[i][1]);
      text_again = json_to_string (again, FALSE);
      g_assert_cmpstr (text, ==, text_again);
    }
}

static LdRollCall *
row_of (LdStore *store, const char *roll_call_id, const char *unit)
{
  g_autoptr(GPtrArray) rows = ld_store_list_roll_call_rows (store, roll_call_id, unit, NULL);

  g_assert_cmpuint (rows->len, ==, 1);
  return g_ptr_array_steal_index (rows, 0);
}

static const LdRollCallCounts *
counts_of (GHashTable *counts, const char *unit)
{
  static const LdRollCallCounts none = { 0, };
  const LdRollCallCounts *c = g_hash_table_lookup (counts, unit);
  return c ? c : &none;
}

/* Answered within the limit, late, or never: a live call is decided when
 * answered or when its limit has passed, and not before. */
static void
test_roll_call_store (Fixture *f, gconstpointer data)
{
  gint64 t = ld_test_time (f->store, "2026-12-07 09:00:00");
  LdPeriod day = { t - 9 * 60 * MIN_US, t + 15 * 60 * MIN_US };
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) early = NULL, decided = NULL;
  g_autoptr(LdRollCall) mkt = NULL, town_row = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  const char * const nope[] = { "NOPE", NULL };

  g_assert_cmpint (ld_store_get_roll_call_limit (f->store), ==, 180);
  g_assert_true (ld_store_set_setting (f->store, "roll_call_limit_s", "120", &error));
  g_assert_cmpint (ld_store_get_roll_call_limit (f->store), ==, 120);
  g_assert_true (ld_store_set_setting (f->store, "roll_call_limit_s", "180", &error));

  g_assert_false (ld_store_start_roll_call (f->store, "rc-x", nope, 0, t, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (ld_store_start_roll_call (f->store, "rc-x", NULL, 5, t, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (ld_store_start_roll_call (f->store, "rc-1", NULL, 0, t, &ld_test_actor, &error));
  g_assert_no_error (error);
  g_assert_false (ld_store_start_roll_call (f->store, "rc-1", NULL, 0, t, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_DUPLICATE);
  g_clear_error (&error);

  waiting = ld_store_list_unanswered_roll_calls (f->store, "MKT", t - MIN_US, &error);
  g_assert_cmpuint (waiting->len, ==, 1);
  g_assert_cmpint (((LdRollCall *) g_ptr_array_index (waiting, 0))->limit_s, ==, 180);

  g_assert_true (ld_store_answer_roll_call (f->store, "rc-1", "MKT", t + 60 * S_US, &ld_test_actor, &error));
  g_assert_false (ld_store_answer_roll_call (f->store, "rc-1", "MKT", t + 70 * S_US, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);

  /* Within the limit, TOWN and POL are neither answered nor unanswered. */
  early = ld_store_count_roll_calls (f->store, &day, t + 100 * S_US, &error);
  g_assert_cmpuint (counts_of (early, "MKT")->answered, ==, 1);
  g_assert_cmpuint (counts_of (early, "TOWN")->calls, ==, 0);
  g_assert_cmpuint (counts_of (early, "POL")->calls, ==, 0);

  /* TOWN answers after its 3 minutes: on record, and late. */
  g_assert_true (ld_store_answer_roll_call (f->store, "rc-1", "TOWN", t + 200 * S_US, &ld_test_actor, &error));
  decided = ld_store_count_roll_calls (f->store, &day, t + 181 * S_US, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (counts_of (decided, "MKT")->calls, ==, 1);
  g_assert_cmpuint (counts_of (decided, "MKT")->answered, ==, 1);
  g_assert_cmpuint (counts_of (decided, "TOWN")->calls, ==, 1);
  g_assert_cmpuint (counts_of (decided, "TOWN")->unanswered, ==, 1);
  g_assert_cmpuint (counts_of (decided, "POL")->unanswered, ==, 1);

  mkt = row_of (f->store, "rc-1", "MKT");
  g_assert_cmpint (mkt->answered_at, ==, t + 60 * S_US);
  g_assert_cmpint (mkt->answer_s, ==, 60);
  g_assert_true (mkt->answered);
  town_row = row_of (f->store, "rc-1", "TOWN");
  g_assert_cmpint (town_row->answer_s, ==, 200);
  g_assert_false (town_row->answered);
}

/* The center starts, each unit answers for itself, at the server's time. */
static void
test_roll_call_roles (Fixture *f, gconstpointer data)
{
  g_autoptr(LdRollCall) row = NULL;
  gint64 before = ld_time_now ();

  assert_refused (f, &market, "roll_call", "rc-1", "start", NULL, LD_SYNC_ERROR, LD_SYNC_ERROR_FORBIDDEN);
  assert_refused (f, &leader, "roll_call", "rc-1", "start", NULL, LD_SYNC_ERROR, LD_SYNC_ERROR_FORBIDDEN);
  assert_refused (f, &dispatcher, "roll_call", "rc-1", "start", "{\"unit_codes\": \"MKT\"}",
                  LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED);
  assert_refused (f, &dispatcher, "roll_call", "rc-1", "start", "{\"unit_codes\": [\"MKT\", 7]}",
                  LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED);
  assert_refused (f, &dispatcher, "roll_call", "rc-1", "start", "{\"limit_s\": 99999999}",
                  LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  assert_refused (f, &dispatcher, "roll_call", "rc-1", "start", "{\"limit_s\": 0}",
                  LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  assert_refused (f, &dispatcher, "roll_call", "rc-1", "start", "{\"limit_s\": 90.5}",
                  LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  assert_refused (f, &dispatcher, "roll_call", "rc-1", "start", "{\"limit_s\": \"90\"}",
                  LD_JSON_ERROR, LD_JSON_ERROR_MALFORMED);
  assert_applies (f, &dispatcher, "roll_call", "rc-1", "start", "{\"unit_codes\": [\"MKT\"], \"limit_s\": 60}");

  /* Only the unit called answers, and only for itself. */
  assert_refused (f, &town, "roll_call", "rc-1", "answer", NULL, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND);
  assert_refused (f, &town, "roll_call", "rc-1", "answer", "{\"unit_code\": \"MKT\"}",
                  LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND);
  assert_refused (f, &dispatcher, "roll_call", "rc-1", "answer", "{\"unit_code\": \"MKT\"}",
                  LD_SYNC_ERROR, LD_SYNC_ERROR_FORBIDDEN);
  assert_applies (f, &market, "roll_call", "rc-1", "answer", NULL);
  assert_refused (f, &market, "roll_call", "rc-1", "answer", NULL,
                  LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);

  row = row_of (f->store, "rc-1", "MKT");
  g_assert_cmpint (row->limit_s, ==, 60);
  g_assert_cmpint (row->started_at, >=, before);
  g_assert_cmpint (row->answered_at, >=, row->started_at);
  g_assert_cmpint (row->answered_at, <=, ld_time_now ());
  g_assert_true (row->answered);
}

static gint64
json_int (JsonObject *object, const char *name)
{
  return json_object_get_int_member (object, name);
}

/* A live roll call lands where the imported ones are counted: the month
 * report's roll_calls, each unit's, and the bulletin's 二、点名报备. */
static void
test_report_counts_live (Fixture *f, gconstpointer data)
{
  gint64 t = ld_test_time (f->store, "2026-11-10 15:00:00");
  LdPeriod month = ld_period_month (ld_store_get_time_zone (f->store), 2026, 11);
  const char * const called[] = { "MKT", "TOWN", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(LdReport) report = NULL;
  g_autoptr(LdBulletin) bulletin = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL, *text = NULL;
  JsonObject *roll_calls;
  JsonArray *units;
  guint calls, answered;

  g_assert_true (ld_store_start_roll_call (f->store, "rc-1", called, 180, t, &ld_test_actor, &error));
  g_assert_true (ld_store_answer_roll_call (f->store, "rc-1", "MKT", t + 30 * S_US, &ld_test_actor, &error));
  g_assert_no_error (error);

  report = ld_report_new (f->store, &month, NULL, t + DAY_US, &error);
  g_assert_no_error (error);
  ld_report_get_roll_calls (report, &calls, &answered);
  g_assert_cmpuint (calls, ==, 2);
  g_assert_cmpuint (answered, ==, 1);
  g_assert_cmpuint (ld_report_lookup_unit (report, "TOWN")->roll_calls.unanswered, ==, 1);

  json = ld_report_to_json (report);
  root = json_from_string (json, &error);
  roll_calls = json_object_get_object_member (json_node_get_object (root), "roll_calls");
  g_assert_cmpint (json_int (roll_calls, "calls"), ==, 2);
  g_assert_cmpint (json_int (roll_calls, "answered"), ==, 1);
  g_assert_cmpint (json_int (roll_calls, "unanswered"), ==, 1);
  units = json_object_get_array_member (roll_calls, "units");
  g_assert_cmpuint (json_array_get_length (units), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *u = json_array_get_object_element (units, i);
      gboolean is_town = g_str_equal (json_object_get_string_member (u, "code"), "TOWN");

      g_assert_cmpint (json_int (u, "calls"), ==, 1);
      g_assert_cmpint (json_int (u, "unanswered"), ==, is_town ? 1 : 0);
    }

  bulletin = ld_bulletin_new (report, f->store, &error);
  g_assert_no_error (error);
  text = ld_bulletin_to_text (bulletin);
  g_assert_nonnull (strstr (text, "called the duty liaisons of the linkage units 2 times; 1 calls went unanswered"));
}

static gint64
slot (GArray *slots, guint i)
{
  return g_array_index (slots, gint64, i);
}

/* The times of day in the center's settings, in its zone, each once. */
static void
test_slots (Fixture *f, gconstpointer data)
{
  gint64 morning = ld_test_time (f->store, "2026-12-07 09:00:00");
  gint64 afternoon = ld_test_time (f->store, "2026-12-07 15:00:00");
  g_autoptr(GArray) none = NULL, one = NULL, two = NULL, next_day = NULL;
  g_autoptr(GError) error = NULL;

  none = ld_store_list_roll_call_slots (f->store, morning - DAY_US, morning + DAY_US);
  g_assert_cmpuint (none->len, ==, 0);

  g_assert_true (ld_store_set_setting (f->store, "roll_call_times", " 15:00, 9:00,25:00,noon,", &error));
  one = ld_store_list_roll_call_slots (f->store, morning - MIN_US, morning);
  g_assert_cmpuint (one->len, ==, 1);
  g_assert_cmpint (slot (one, 0), ==, morning);
  two = ld_store_list_roll_call_slots (f->store, morning, afternoon);
  g_assert_cmpuint (two->len, ==, 1);
  g_assert_cmpint (slot (two, 0), ==, afternoon);
  next_day = ld_store_list_roll_call_slots (f->store, afternoon, afternoon + DAY_US);
  g_assert_cmpuint (next_day->len, ==, 2);
  g_assert_cmpint (slot (next_day, 0) + slot (next_day, 1), ==, morning + DAY_US + afternoon + DAY_US);
}

/* The simulated units answer a roll call after a human delay; some are
 * not heard from, and the answers are theirs, each for its own unit. */
static void
test_simulated_answers (Fixture *f, gconstpointer data)
{
  gint64 now = ld_time_now ();
  g_autoptr(LdSimulator) simulator = ld_simulator_new (f->store, 17, 1);
  g_autoptr(GPtrArray) first = NULL, later = NULL;
  g_autoptr(GError) error = NULL;
  guint answers = 0;

  g_assert_true (ld_store_start_roll_call (f->store, "0194a7f0-0000-7000-8000-000000000001", NULL, 0,
                                           now - 2 * S_US, &ld_test_actor, &error));
  first = ld_simulator_take_due (simulator, now, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < first->len; i++)
    g_assert_cmpstr (json_object_get_string_member (((LdSimulatedAct *) g_ptr_array_index (first, i))->operation,
                                                    "entity"), !=, "roll_call");

  /* Twenty minutes on: most have answered. */
  later = ld_simulator_take_due (simulator, now + 20 * MIN_US, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < later->len; i++)
    {
      LdSimulatedAct *act = g_ptr_array_index (later, i);
      JsonObject *fields = json_object_get_object_member (act->operation, "fields");

      if (!g_str_equal (json_object_get_string_member (act->operation, "entity"), "roll_call"))
        continue;
      g_assert_cmpstr (json_object_get_string_member (act->operation, "action"), ==, "answer");
      g_assert_cmpstr (act->user->role, ==, "unit");
      g_assert_cmpstr (json_object_get_string_member (fields, "unit_code"), ==, act->user->unit_code);
      answers++;
    }
  g_assert_cmpuint (answers, >=, 2);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/duty/store/who-is-on-duty", test_duty_store);
  ADD ("/duty/sync/a-unit-keeps-its-own", test_duty_roles);
  ADD ("/duty/sync/a-unit-sees-its-own", test_who_sees);
  ADD ("/duty/sync/records-round-trip", test_records_round_trip);
  ADD ("/roll-call/store/answered-late-or-never", test_roll_call_store);
  ADD ("/roll-call/sync/center-starts-unit-answers", test_roll_call_roles);
  ADD ("/roll-call/report/live-counted", test_report_counts_live);
  ADD ("/roll-call/auto/times-of-day", test_slots);
  ADD ("/roll-call/simulator/units-answer", test_simulated_answers);
#undef ADD
  return g_test_run ();
}
