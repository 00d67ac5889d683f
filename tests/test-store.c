/* test-store.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <sqlite3.h>

#include "ld-store.h"
#include "ld-store-private.h"
#include "ld-test-city.h"
#include "ld-test-util.h"

static char *
add_incident (LdStore *store, const char *received, const char *phone, const char *kind)
{
  g_autoptr(GError) error = NULL;
  LdIncident inc = { 0, };
  char *id;

  inc.received_at = ld_test_time (store, received);
  inc.source = "110";
  inc.kind = (char *) kind;
  inc.caller_phone = (char *) phone;
  inc.category = "noise";
  inc.lat = NAN;
  inc.lon = NAN;
  id = ld_store_add_incident (store, &inc, &ld_test_actor, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static void
test_open_schema (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = ld_test_make_tmp ("ld-store-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "a.db", NULL);
  g_autoptr(LdStore) store = ld_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (ld_store_get_schema_version (store), ==, 13);
  g_assert_cmpstr (g_time_zone_get_identifier (ld_store_get_time_zone (store)), ==, "Asia/Shanghai");
  g_clear_object (&store);

  /* Reopening runs no migration again and keeps what was written. */
  store = ld_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ld_store_get_schema_version (store), ==, 13);
}

static void
test_schema_too_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = ld_test_make_tmp ("ld-store-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "a.db", NULL);
  g_autoptr(LdStore) store = ld_store_open (path, &error);

  g_assert_no_error (error);
  g_clear_object (&store);
  {
    sqlite3 *db;
    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  store = ld_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_SCHEMA);
}

static void
test_reference_data (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LdUnit) unit = ld_store_get_unit (store, "TOWN", &error);
  LdUnit bad_tier = { "X", "X", 4, "market", "A", NULL, NAN, NAN, FALSE, { 0, } };
  LdUnit bad_region = { "X", "X", 1, "market", "nowhere", NULL, NAN, NAN, FALSE, { 0, } };
  LdCategory bad_mode = { "x", "X", "later", NULL, NULL, { 0, } };
  LdCategory divert_without = { "x", "X", "divert", NULL, NULL, { 0, } };
  LdRegion cycle = { "C", "City", "A" };

  g_assert_no_error (error);
  g_assert_cmpint (unit->limits.sign_s, ==, 60);
  g_assert_false (ld_store_put_unit (store, &bad_tier, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ld_store_put_unit (store, &bad_region, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (ld_store_put_category (store, &bad_mode, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ld_store_put_category (store, &divert_without, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ld_store_put_region (store, &cycle, NULL, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  g_assert_true (ld_store_region_is_within (store, "A", "C"));
  g_assert_false (ld_store_region_is_within (store, "C", "A"));
}

static void
test_jurisdiction (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LdIncident) inc = NULL;
  g_autofree char *id = NULL;
  LdIncident in = { 0, };

  g_assert_cmpstr (ld_store_region_for_point (store, 30.5, 120.5), ==, "A");
  g_assert_cmpstr (ld_store_region_for_point (store, 30.5, 121.5), ==, "B");
  g_assert_null (ld_store_region_for_point (store, 35, 125));

  /* An incident placed on the map gets its region from the map. */
  in.received_at = ld_test_time (store, "2023-11-21 14:05:00");
  in.source = "110";
  in.kind = "linkage";
  in.lat = 30.2;
  in.lon = 121.9;
  id = ld_store_add_incident (store, &in, &ld_test_actor, &error);
  g_assert_no_error (error);
  inc = ld_store_get_incident (store, id, &error);
  g_assert_cmpstr (inc->region_code, ==, "B");
  g_assert_cmpstr (inc->state, ==, "new");
}

static void
test_incident_refused (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autoptr(GError) error = NULL;
  LdIncident in = { 0, };

  in.received_at = ld_test_time (store, "2023-11-01 08:00:00");
  in.source = "fax";
  in.kind = "linkage";
  in.lat = in.lon = NAN;
  g_assert_null (ld_store_add_incident (store, &in, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  g_clear_error (&error);

  in.source = "110";
  in.kind = "diverted";
  g_assert_null (ld_store_add_incident (store, &in, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  g_clear_error (&error);

  in.kind = "linkage";
  in.lat = 30;
  g_assert_null (ld_store_add_incident (store, &in, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  g_clear_error (&error);

  in.lat = NAN;
  in.id = "same";
  g_autofree char *first = ld_store_add_incident (store, &in, &ld_test_actor, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, "same");
  g_assert_null (ld_store_add_incident (store, &in, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_DUPLICATE);
  /* Callers that do not want the reason may pass no GError. */
  g_assert_null (ld_store_add_incident (store, &in, &ld_test_actor, NULL));
}

/* The repeat window: 8 min to 72 h after the first call, both ends in. */
static void
check_repeat (const char *second, gboolean expected)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *a = add_incident (store, "2023-11-01 08:00:00", "13800000001", "linkage");
  g_autofree char *b = add_incident (store, second, "13800000001", "linkage");
  g_autofree char *other = add_incident (store, second, "13900000002", "linkage");
  g_autoptr(LdIncident) later = ld_store_get_incident (store, b, &error);
  g_autoptr(LdIncident) stranger = ld_store_get_incident (store, other, &error);
  g_autoptr(GPtrArray) calls = NULL;

  g_assert_cmpstr (later->repeat_of, ==, expected ? a : NULL);
  g_assert_null (stranger->repeat_of);

  /* Intake shows the caller's calls of the last 72 h either way. */
  calls = ld_store_list_calls_before (store, "13800000001", later->received_at, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (calls->len, ==, later->received_at - LD_REPEAT_MAX_US <= ld_test_time (store, "2023-11-01 08:00:00") ? 1 : 0);
}

static void
test_repeat_window (void)
{
  check_repeat ("2023-11-01 08:07:59", FALSE);
  check_repeat ("2023-11-01 08:08:00", TRUE);
  check_repeat ("2023-11-04 08:00:00", TRUE);
  check_repeat ("2023-11-04 08:00:01", FALSE);
}

static void
test_repeat_out_of_order (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autoptr(GError) error = NULL;
  /* A call entered late (a paper log typed in) still links both ways. */
  g_autofree char *later = add_incident (store, "2023-11-02 09:00:00", "13800000001", "linkage");
  g_autofree char *earlier = add_incident (store, "2023-11-02 08:00:00", "13800000001", "linkage");
  g_autoptr(LdIncident) inc = ld_store_get_incident (store, later, &error);

  g_assert_cmpstr (inc->repeat_of, ==, earlier);
}

static char *
dispatch (LdStore *store, const char *incident, const char *unit, const char *at)
{
  g_autoptr(GError) error = NULL;
  char *id = ld_store_dispatch (store, NULL, incident, unit, ld_test_time (store, at), &ld_test_actor, &error);
  g_assert_no_error (error);
  return id;
}

static void
test_order_lifecycle (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *inc = add_incident (store, "2023-11-08 11:01:00", NULL, "linkage");
  g_autofree char *order = dispatch (store, inc, "MKT", "2023-11-08 11:03:00");
  g_autofree char *fb = NULL;
  g_autoptr(LdOrder) o = NULL;
  g_autoptr(LdIncident) i = ld_store_get_incident (store, inc, &error);

  g_assert_cmpstr (i->state, ==, "dispatched");
  o = ld_store_get_order (store, order, &error);
  /* Default limits: sign 5 min, arrive 20 min, feedback 2 h, result 8 h. */
  g_assert_cmpint (o->sign_due - o->dispatched_at, ==, 300 * LD_USEC_PER_S);
  g_assert_cmpint (o->arrive_due - o->dispatched_at, ==, 1200 * LD_USEC_PER_S);
  g_assert_cmpint (o->feedback_due - o->dispatched_at, ==, 7200 * LD_USEC_PER_S);
  g_assert_cmpint (o->result_due - o->dispatched_at, ==, 28800 * LD_USEC_PER_S);

  g_assert_true (ld_store_sign_order (store, order, ld_test_time (store, "2023-11-08 11:10:00"), &ld_test_actor, &error));
  g_assert_true (ld_store_arrive_order (store, order, ld_test_time (store, "2023-11-08 11:20:00"), &ld_test_actor, &error));
  fb = ld_store_add_feedback (store, NULL, order, ld_test_time (store, "2023-11-08 11:21:00"), "result", "on scene",
                              &ld_test_actor, &error);
  g_assert_no_error (error);
  g_assert_true (ld_store_complete_order (store, order, ld_test_time (store, "2023-11-08 12:00:00"), &ld_test_actor, &error));
  g_assert_no_error (error);

  g_clear_pointer (&o, ld_order_free);
  o = ld_store_get_order (store, order, &error);
  g_assert_cmpstr (o->state, ==, "completed");
  g_assert_cmpuint (o->feedback_count, ==, 1);
  /* Signed 7 min after dispatch: the 5-minute deadline was missed. */
  g_assert_cmpuint (o->overdue, ==, LD_OVERDUE_SIGN);

  g_assert_true (ld_store_close_incident (store, inc, ld_test_time (store, "2023-11-08 12:30:00"), &ld_test_actor, &error));
  g_clear_pointer (&i, ld_incident_free);
  i = ld_store_get_incident (store, inc, &error);
  g_assert_cmpstr (i->state, ==, "closed");
  /* create, dispatch, sign, arrive, feedback, complete, close */
  g_assert_cmpint (ld_store_count_events (store, "incident", inc), ==, 2);
  g_assert_cmpint (ld_store_count_events (store, "order", order), ==, 5);
}

static void
test_unit_limit_is_tighter (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *inc = add_incident (store, "2023-11-08 11:01:00", NULL, "linkage");
  g_autofree char *order = dispatch (store, inc, "TOWN", "2023-11-08 11:02:00");
  g_autoptr(LdOrder) o = ld_store_get_order (store, order, &error);
  LdLimits fire = ld_store_get_limits (store, "fire", "MKT");

  g_assert_cmpint (o->sign_due - o->dispatched_at, ==, 60 * LD_USEC_PER_S);
  g_assert_cmpint (fire.sign_s, ==, 60);
  g_assert_cmpint (fire.arrive_s, ==, 900);
  g_assert_cmpint (fire.feedback_s, ==, 7200);
}

static void
test_refused_transitions (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *inc = add_incident (store, "2023-11-08 11:01:00", NULL, "linkage");
  g_autofree char *order = dispatch (store, inc, "MKT", "2023-11-08 11:03:00");
  g_autofree char *order2 = dispatch (store, inc, "TOWN", "2023-11-08 11:03:00");
  gint64 t = ld_test_time (store, "2023-11-08 11:30:00");
  g_autoptr(LdOrder) before = ld_store_get_order (store, order, &error);
  g_autoptr(LdOrder) after = NULL;

  /* dispatched: cannot arrive, complete or take feedback */
  g_assert_false (ld_store_arrive_order (store, order, t, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);
  g_assert_nonnull (strstr (error->message, "only a signed order can be marked arrived"));
  g_clear_error (&error);
  g_assert_false (ld_store_complete_order (store, order, t, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);
  g_assert_null (ld_store_add_feedback (store, NULL, order, t, "progress", NULL, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);

  /* A refused step changes nothing. */
  after = ld_store_get_order (store, order, &error);
  g_assert_cmpstr (after->state, ==, before->state);
  g_assert_cmpint (ld_store_count_events (store, "order", order), ==, 1);

  /* Times cannot go backwards, and a return needs a reason. */
  g_assert_false (ld_store_sign_order (store, order, ld_test_time (store, "2023-11-08 11:02:00"), &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ld_store_return_order (store, order, t, "", NULL, "not in our remit", &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (ld_store_add_feedback (store, NULL, order, t, "gossip", NULL, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* signed: cannot be signed twice; cannot close with open orders */
  g_assert_true (ld_store_sign_order (store, order, t, &ld_test_actor, &error));
  g_assert_false (ld_store_sign_order (store, order, t, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);
  g_assert_false (ld_store_close_incident (store, inc, t, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);

  /* The same unit twice on one incident while its order is open. */
  g_assert_null (ld_store_dispatch (store, NULL, inc, "MKT", t, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_DUPLICATE);
  g_clear_error (&error);

  /* returned: nothing more happens to it */
  g_assert_true (ld_store_return_order (store, order, t, "not our area", NULL, "not in our remit", &ld_test_actor, &error));
  g_assert_false (ld_store_complete_order (store, order, t, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);
  g_assert_false (ld_store_return_order (store, order, t, "again", NULL, "not in our remit", &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);

  /* All orders returned: not closable until dispatched again. */
  g_assert_true (ld_store_sign_order (store, order2, t, &ld_test_actor, &error));
  g_assert_true (ld_store_return_order (store, order2, t, "wrong area", NULL, "not in our remit", &ld_test_actor, &error));
  g_assert_false (ld_store_close_incident (store, inc, t, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);

  /* A dispatched incident cannot be diverted; a closed one cannot be dispatched. */
  g_assert_false (ld_store_divert_incident (store, inc, "12345", t, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);
  {
    g_autofree char *again = dispatch (store, inc, "MKT", "2023-11-08 11:40:00");
    g_assert_true (ld_store_sign_order (store, again, ld_test_time (store, "2023-11-08 11:41:00"), &ld_test_actor, &error));
    g_free (ld_store_add_feedback (store, NULL, again, ld_test_time (store, "2023-11-08 11:50:00"), "result", "Done",
                                   &ld_test_actor, &error));
    g_assert_true (ld_store_complete_order (store, again, ld_test_time (store, "2023-11-08 12:00:00"), &ld_test_actor, &error));
    g_assert_true (ld_store_close_incident (store, inc, ld_test_time (store, "2023-11-08 12:10:00"), &ld_test_actor, &error));
    g_assert_no_error (error);
    g_assert_null (ld_store_dispatch (store, NULL, inc, "TOWN", ld_test_time (store, "2023-11-08 12:20:00"), &ld_test_actor, &error));
    g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);
    g_clear_error (&error);
    g_assert_false (ld_store_close_incident (store, inc, t, &ld_test_actor, &error));
    g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);
    g_clear_error (&error);
  }
}

static void
test_divert_and_police_close (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *a = add_incident (store, "2023-11-08 11:01:00", NULL, "linkage");
  g_autofree char *p = add_incident (store, "2023-11-08 11:01:00", NULL, "police");
  gint64 t = ld_test_time (store, "2023-11-08 11:05:00");
  g_autoptr(LdIncident) inc = NULL;

  /* A new linkage incident is closed only through its orders. */
  g_assert_false (ld_store_close_incident (store, a, t, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);
  g_assert_false (ld_store_divert_incident (store, a, "999", t, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (ld_store_divert_incident (store, a, "114", t, &ld_test_actor, &error));
  inc = ld_store_get_incident (store, a, &error);
  g_assert_cmpstr (inc->state, ==, "diverted");
  g_assert_cmpstr (inc->diverted_to, ==, "114");
  g_assert_null (ld_store_dispatch (store, NULL, a, "MKT", t, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);

  g_assert_true (ld_store_close_incident (store, p, t, &ld_test_actor, &error));
  g_assert_no_error (error);
}

static void
test_mark_overdue (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *inc = add_incident (store, "2023-11-08 11:00:00", NULL, "linkage");
  g_autofree char *order = dispatch (store, inc, "MKT", "2023-11-08 11:00:00");
  g_autoptr(LdOrder) o = NULL;
  guint n = 99;

  g_assert_true (ld_store_mark_overdue (store, ld_test_time (store, "2023-11-08 11:04:00"), &n, &error));
  g_assert_cmpuint (n, ==, 0);
  g_assert_true (ld_store_mark_overdue (store, ld_test_time (store, "2023-11-08 11:30:00"), &n, &error));
  g_assert_cmpuint (n, ==, 1);
  o = ld_store_get_order (store, order, &error);
  g_assert_cmpuint (o->overdue, ==, LD_OVERDUE_SIGN | LD_OVERDUE_ARRIVE);
  /* Marking again adds nothing; a later deadline adds its own mark. */
  g_assert_true (ld_store_mark_overdue (store, ld_test_time (store, "2023-11-08 11:30:00"), &n, &error));
  g_assert_cmpuint (n, ==, 0);
  g_assert_true (ld_store_mark_overdue (store, ld_test_time (store, "2023-11-08 20:00:00"), &n, &error));
  g_clear_pointer (&o, ld_order_free);
  o = ld_store_get_order (store, order, &error);
  g_assert_cmpuint (o->overdue, ==, LD_OVERDUE_SIGN | LD_OVERDUE_ARRIVE | LD_OVERDUE_FEEDBACK | LD_OVERDUE_RESULT);
  g_assert_cmpint (ld_store_count_events (store, "order", order), ==, 3);
}

static void
test_nested_rollback (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autoptr(GError) error = NULL;
  LdUnit u = { "NEW", "New unit", 2, "market", "A", NULL, NAN, NAN, FALSE, { 0, } };
  g_autoptr(LdUnit) got = NULL;

  g_assert_true (ld_store_begin (store, &error));
  g_assert_true (ld_store_put_unit (store, &u, &error));
  g_assert_true (ld_store_begin (store, &error));
  ld_store_rollback (store);
  ld_store_rollback (store);
  got = ld_store_get_unit (store, "NEW", &error);
  g_assert_null (got);
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND);
}

static void
test_drill_units (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autoptr(GError) error = NULL;
  LdDrill d = { 0, };
  LdDrillUnit du = { 0, };
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) units = NULL;
  LdPeriod month = ld_period_month (ld_store_get_time_zone (store), 2020, 8);

  d.held_at = ld_test_time (store, "2020-08-25 09:00:00");
  d.region_code = "A";
  d.lat = d.lon = NAN;
  id = ld_store_add_drill (store, &d, &ld_test_actor, &error);
  g_assert_no_error (error);
  du.drill_id = id;
  du.unit_code = "MKT";
  du.alarm_at = d.held_at;
  du.arrived_at = d.held_at - 1;
  g_assert_false (ld_store_put_drill_unit (store, &du, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  g_clear_error (&error);
  du.arrived_at = d.held_at + 18 * 60 * LD_USEC_PER_S;
  g_assert_true (ld_store_put_drill_unit (store, &du, &ld_test_actor, &error));
  du.drill_id = "missing";
  g_assert_false (ld_store_put_drill_unit (store, &du, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_autoptr(GPtrArray) drills = ld_store_list_drills (store, &month, &error);
  g_assert_cmpuint (drills->len, ==, 1);
  units = ld_store_list_drill_units (store, id, &error);
  g_assert_cmpuint (units->len, ==, 1);
  g_assert_cmpint (((LdDrillUnit *) g_ptr_array_index (units, 0))->limit_s, ==, 1200);
}

/* Search */

static char *
add_text_incident (LdStore *store, const char *id, const char *received, const char *region,
                   const char *category, const char *address, const char *summary, const char *phone)
{
  g_autoptr(GError) error = NULL;
  LdIncident inc = { 0, };
  char *new_id;

  inc.id = (char *) id;
  inc.received_at = ld_test_time (store, received);
  inc.source = "110";
  inc.kind = "linkage";
  inc.region_code = (char *) region;
  inc.category = (char *) category;
  inc.address = (char *) address;
  inc.summary = (char *) summary;
  inc.caller_phone = (char *) phone;
  inc.lat = inc.lon = NAN;
  new_id = ld_store_add_incident (store, &inc, &ld_test_actor, &error);
  g_assert_no_error (error);
  return new_id;
}

/* The ids found, newest first, joined by spaces, for one comparison. */
static char *
search (LdStore *store, const char *query, const LdIncidentFilter *filter, guint limit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = ld_store_search_incidents (store, query, filter, limit, &error);
  g_autoptr(GString) ids = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (found);
  for (guint i = 0; i < found->len; i++)
    {
      LdIncident *inc = g_ptr_array_index (found, i);
      if (i > 0)
        g_assert_cmpint (inc->received_at, <=, ((LdIncident *) g_ptr_array_index (found, i - 1))->received_at);
      g_string_append_printf (ids, "%s%s", i ? " " : "", inc->id);
    }
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

#define assert_found(store, query, filter, limit, expected) \
  G_STMT_START { \
    g_autofree char *found_ = search (store, query, filter, limit); \
    g_assert_cmpstr (found_, ==, expected); \
  } G_STMT_END

/* Three incidents: "i1" (A, noise), "i2" (B, fire), "i3" (A, fire),
 * received in that order. */
static LdStore *
search_city (void)
{
  LdStore *store = ld_test_city_new (NULL);

  g_free (add_text_incident (store, "i1", "2024-03-01 08:00:00", "A", "noise", "嘉兴市由拳路富润路口",
                             "报警人称路口有人打架", "13800001111"));
  g_free (add_text_incident (store, "i2", "2024-03-02 09:00:00", "B", "fire", "南湖区富润路88号",
                             "降雨量100%,地下车库进水", "13900002222"));
  g_free (add_text_incident (store, "i3", "2024-03-03 10:00:00", "A", "fire", "秀洲区洪兴路",
                             "井盖缺失(编号:A-7*),\"急\"", "0573-82345678"));
  return store;
}

static void
test_search_text (void)
{
  g_autoptr(LdStore) store = search_city ();

  /* A Chinese substring, found through its trigrams, newest first. */
  assert_found (store, "富润路", NULL, 10, "i2 i1");
  assert_found (store, "由拳路富润", NULL, 10, "i1");
  /* Two characters are fewer than a trigram: looked up another way. */
  assert_found (store, "井盖", NULL, 10, "i3");
  assert_found (store, "路口", NULL, 10, "i1");
  assert_found (store, "富润", NULL, 10, "i2 i1");
  /* Caller phones, by any run of digits. */
  assert_found (store, "0001111", NULL, 10, "i1");
  assert_found (store, "139", NULL, 10, "i2");
  assert_found (store, "0573-8234", NULL, 10, "i3");
  /* Nothing found is an empty list, not an error. */
  assert_found (store, "人民路", NULL, 10, "");
  /* Surrounding blanks do not count. */
  assert_found (store, "  井盖 ", NULL, 10, "i3");
}

static void
test_search_punctuation_is_literal (void)
{
  g_autoptr(LdStore) store = search_city ();

  /* FTS5 syntax in the user's text is text to find. */
  assert_found (store, "编号:A-7*", NULL, 10, "i3");
  assert_found (store, "A-7", NULL, 10, "i3");
  assert_found (store, "\"急\"", NULL, 10, "i3");
  assert_found (store, "\"急", NULL, 10, "i3");
  assert_found (store, "富润路*", NULL, 10, "");
  assert_found (store, "NOT 富润", NULL, 10, "");
  assert_found (store, "富润 OR 洪兴", NULL, 10, "");
  assert_found (store, "(编号", NULL, 10, "i3");
  /* LIKE's wildcards too. */
  assert_found (store, "0%", NULL, 10, "i2");
  assert_found (store, "%", NULL, 10, "i2");
  assert_found (store, "1_", NULL, 10, "");
  assert_found (store, "\\", NULL, 10, "");
}

static void
test_search_filter (void)
{
  g_autoptr(LdStore) store = search_city ();
  g_autoptr(GError) error = NULL;
  g_autofree char *order = NULL;
  LdIncidentFilter filter = { 0, };

  order = ld_store_dispatch (store, NULL, "i1", "MKT", ld_test_time (store, "2024-03-01 08:05:00"),
                             &ld_test_actor, &error);
  g_assert_no_error (error);
  g_assert_true (ld_store_divert_incident (store, "i3", "12345", ld_test_time (store, "2024-03-03 10:05:00"),
                                           &ld_test_actor, &error));
  g_assert_no_error (error);

  /* No text: the filter alone. */
  assert_found (store, NULL, NULL, 10, "i3 i2 i1");
  assert_found (store, "", &filter, 10, "i3 i2 i1");

  /* A region takes the regions under it. */
  filter.region_code = "C";
  assert_found (store, NULL, &filter, 10, "i3 i2 i1");
  filter.region_code = "A";
  assert_found (store, NULL, &filter, 10, "i3 i1");
  assert_found (store, "富润路", &filter, 10, "i1");
  assert_found (store, "路口", &filter, 10, "i1");
  filter.region_code = "B";
  assert_found (store, "富润路", &filter, 10, "i2");
  filter.region_code = NULL;

  filter.category = "fire";
  assert_found (store, NULL, &filter, 10, "i3 i2");
  assert_found (store, "富润", &filter, 10, "i2");
  filter.category = NULL;

  /* "open" is new or dispatched. */
  filter.state = "open";
  assert_found (store, NULL, &filter, 10, "i2 i1");
  assert_found (store, "富润路", &filter, 10, "i2 i1");
  filter.state = "dispatched";
  assert_found (store, NULL, &filter, 10, "i1");
  filter.state = "diverted";
  assert_found (store, "井盖", &filter, 10, "i3");
  filter.state = "new";
  assert_found (store, "井盖", &filter, 10, "");
  filter.state = NULL;

  /* received_at in [since, until). */
  filter.since = ld_test_time (store, "2024-03-02 09:00:00");
  assert_found (store, NULL, &filter, 10, "i3 i2");
  filter.until = ld_test_time (store, "2024-03-03 10:00:00");
  assert_found (store, NULL, &filter, 10, "i2");
  assert_found (store, "富润路", &filter, 10, "i2");
  filter.since = 0;
  assert_found (store, "富润路", &filter, 10, "i2 i1");

  /* At most @limit, the newest. */
  assert_found (store, NULL, NULL, 2, "i3 i2");
  assert_found (store, "富润路", NULL, 1, "i2");
  assert_found (store, "富润", NULL, 1, "i2");
}

static void
assert_index_exact (LdStore *store)
{
  /* With rank 1 the check compares the index with the text in incident. */
  g_assert_cmpint (sqlite3_exec (ld_store_get_handle (store),
                                 "INSERT INTO incident_fts (incident_fts, rank) VALUES ('integrity-check', 1)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
}

static void
test_search_follows_changes (void)
{
  g_autoptr(LdStore) store = search_city ();
  g_autoptr(GError) error = NULL;
  g_autoptr(LdIncident) inc = NULL;

  assert_index_exact (store);

  /* The server's new version of an incident, as a replica takes it. */
  inc = ld_store_get_incident (store, "i1", &error);
  g_assert_no_error (error);
  g_free (inc->summary);
  inc->summary = g_strdup ("报警人称窨井冒水");
  g_assert_true (ld_store_replace_incident (store, inc, &error));
  g_assert_no_error (error);
  assert_found (store, "窨井冒", NULL, 10, "i1");
  assert_found (store, "有人打架", NULL, 10, "");
  assert_found (store, "打架", NULL, 10, "");
  /* Its address was not touched and is still found. */
  assert_found (store, "由拳路", NULL, 10, "i1");

  /* A state change leaves the index alone. */
  g_assert_true (ld_store_divert_incident (store, "i2", "114", ld_test_time (store, "2024-03-02 09:10:00"),
                                           &ld_test_actor, &error));
  assert_found (store, "富润路", NULL, 10, "i2 i1");

  /* An incident a replica had alone, then forgot. */
  g_free (inc->id);
  inc->id = g_strdup ("i9");
  g_free (inc->caller_phone);
  inc->caller_phone = g_strdup ("13700009999");
  g_assert_true (ld_store_replace_incident (store, inc, &error));
  g_assert_no_error (error);
  assert_found (store, "13700009999", NULL, 10, "i9");
  assert_found (store, "窨井冒", NULL, 10, "i9 i1");
  g_assert_true (ld_store_forget_incident (store, "i9", &error));
  g_assert_no_error (error);
  assert_found (store, "13700009999", NULL, 10, "");
  assert_found (store, "窨井冒", NULL, 10, "i1");
  assert_index_exact (store);
}

static void
test_search_migration_indexes_existing (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = ld_test_make_tmp ("ld-store-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "a.db", NULL);
  g_autoptr(LdStore) store = ld_test_city_new (path);
  g_autofree char *id = add_text_incident (store, NULL, "2024-03-01 08:00:00", "A", "noise",
                                          "嘉兴市由拳路富润路口", NULL, NULL);

  g_clear_object (&store);
  /* Back to schema 4, as a store written before search was. */
  {
    sqlite3 *db;
    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "DROP TABLE incident_fts;"
                                       "DROP TRIGGER incident_fts_insert;"
                                       "DROP TRIGGER incident_fts_delete;"
                                       "DROP TRIGGER incident_fts_update;"
                                       "DROP INDEX incident_category;"
                                       "DROP TABLE drill_note;"
                                       "DROP TABLE drill_photo;"
                                       "ALTER TABLE drill_unit DROP COLUMN corrected;"
                                       "ALTER TABLE drill_unit DROP COLUMN correction;"
                                       "ALTER TABLE orders DROP COLUMN signed_logged_at;"
                                       "ALTER TABLE orders DROP COLUMN arrived_logged_at;"
                                       "ALTER TABLE orders DROP COLUMN completed_logged_at;"
                                       "ALTER TABLE orders DROP COLUMN returned_logged_at;"
                                       "ALTER TABLE orders DROP COLUMN first_feedback_logged_at;"
                                       "DROP TABLE duty;"
                                       "DROP INDEX roll_call_live;"
                                       "DROP INDEX roll_call_unanswered;"
                                       "ALTER TABLE roll_call DROP COLUMN roll_call_id;"
                                       "ALTER TABLE roll_call DROP COLUMN limit_s;"
                                       "ALTER TABLE roll_call DROP COLUMN answered_at;"
                                       "DROP INDEX orders_to_rule;"
                                       "ALTER TABLE orders DROP COLUMN duty_unit_code;"
                                       "ALTER TABLE orders DROP COLUMN not_ours;"
                                       "ALTER TABLE orders DROP COLUMN basis;"
                                       "ALTER TABLE orders DROP COLUMN return_ruling;"
                                       "ALTER TABLE orders DROP COLUMN return_ruled_at;"
                                       "ALTER TABLE orders DROP COLUMN return_ruled_by;"
                                       "ALTER TABLE orders DROP COLUMN return_ruling_reason;"
                                       "ALTER TABLE orders DROP COLUMN result_feedback_at;"
                                       "ALTER TABLE orders DROP COLUMN extension_step;"
                                       "ALTER TABLE orders DROP COLUMN extension_until;"
                                       "ALTER TABLE orders DROP COLUMN extension_reason;"
                                       "ALTER TABLE orders DROP COLUMN extension_requested_at;"
                                       "ALTER TABLE orders DROP COLUMN extension_ruling;"
                                       "ALTER TABLE orders DROP COLUMN extension_ruled_at;"
                                       "ALTER TABLE orders DROP COLUMN extension_ruling_reason;"
                                       "ALTER TABLE orders DROP COLUMN extension_original_due;"
                                       "PRAGMA user_version = 4", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  store = ld_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ld_store_get_schema_version (store), ==, 13);
  assert_found (store, "富润路", NULL, 10, id);
  assert_index_exact (store);
}

/* The unit board and the late list */

static void
assert_late (GPtrArray *late, guint i, const char *order_id, const char *step, gint64 due)
{
  LdLateOrder *l = g_ptr_array_index (late, i);

  g_assert_cmpstr (l->order->id, ==, order_id);
  g_assert_cmpstr (l->step, ==, step);
  g_assert_cmpint (l->due, ==, due);
  g_assert_cmpstr (l->incident->id, ==, l->order->incident_id);
  g_assert_cmpstr (l->unit->code, ==, l->order->unit_code);
}

static GPtrArray *
late_at (LdStore *store, const char *now)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *late = ld_store_list_late_orders (store, ld_test_time (store, now), &error);

  g_assert_no_error (error);
  g_assert_nonnull (late);
  return late;
}

static void
assert_load (GPtrArray *loads, guint i, const char *unit, guint n_open, guint n_late, gint64 oldest)
{
  LdUnitLoad *l = g_ptr_array_index (loads, i);

  g_assert_cmpstr (l->unit->code, ==, unit);
  g_assert_cmpuint (l->n_open, ==, n_open);
  g_assert_cmpuint (l->n_late, ==, n_late);
  g_assert_cmpint (l->oldest_late_due, ==, oldest);
}

#define T(text) ld_test_time (store, "2024-03-01 " text)

/* Orders of the test city, under the default limits (sign 5 min, arrive
 * 20 min, feedback 2 h, result 8 h; TOWN signs in 1 min):
 * a  MKT  dispatched 10:00, never signed
 * b  TOWN dispatched 10:00, signed 10:00:30, not arrived
 * c  MKT  dispatched 10:10, signed, arrived, completed on time
 * d  POL  dispatched 10:10, returned 10:11
 * e  MKT  dispatched 10:25, never signed */
typedef struct {
  LdStore *store;
  char *a, *b, *c, *d, *e;
} Board;

static void
board_init (Board *board)
{
  g_autoptr(GError) error = NULL;
  LdStore *store = board->store = ld_test_city_new (NULL);
  LdUnit old = { "OLD", "Disbanded team", 1, "rescue", "A", NULL, NAN, NAN, TRUE, { 0, } };
  g_autofree char *i1 = add_incident (store, "2024-03-01 09:59:00", NULL, "linkage");
  g_autofree char *i2 = add_incident (store, "2024-03-01 10:09:00", NULL, "linkage");
  g_autofree char *i3 = add_incident (store, "2024-03-01 10:24:00", NULL, "linkage");

  g_assert_true (ld_store_put_unit (store, &old, &error));
  board->a = dispatch (store, i1, "MKT", "2024-03-01 10:00:00");
  board->b = dispatch (store, i1, "TOWN", "2024-03-01 10:00:00");
  board->c = dispatch (store, i2, "MKT", "2024-03-01 10:10:00");
  board->d = dispatch (store, i2, "POL", "2024-03-01 10:10:00");
  board->e = dispatch (store, i3, "MKT", "2024-03-01 10:25:00");
  g_assert_true (ld_store_sign_order (store, board->b, T ("10:00:30"), &ld_test_actor, &error));
  g_assert_true (ld_store_sign_order (store, board->c, T ("10:12:00"), &ld_test_actor, &error));
  g_assert_true (ld_store_arrive_order (store, board->c, T ("10:20:00"), &ld_test_actor, &error));
  g_free (ld_store_add_feedback (store, NULL, board->c, T ("10:30:00"), "result", "Done", &ld_test_actor, &error));
  g_assert_true (ld_store_complete_order (store, board->c, T ("10:40:00"), &ld_test_actor, &error));
  g_assert_true (ld_store_return_order (store, board->d, T ("10:11:00"), "not ours", NULL, "not in our remit", &ld_test_actor, &error));
  g_assert_no_error (error);
}

static void
board_clear (Board *board)
{
  g_clear_object (&board->store);
  g_free (board->a);
  g_free (board->b);
  g_free (board->c);
  g_free (board->d);
  g_free (board->e);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Board, board_clear)

/* How deep each region lies, for the map's lines and names: the test
 * city is C with A and B under it, and a town goes under A. */
static void
test_region_depths (void)
{
  g_autofree char *dir = ld_test_make_tmp ("ld-depth-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(LdStore) store = ld_test_city_new (path);
  g_autoptr(GHashTable) depths = NULL;
  g_autoptr(GError) error = NULL;
  LdRegion town = { (char *) "A1", (char *) "Town under A", (char *) "A" };

  g_assert_true (ld_store_put_region (store, &town, NULL, &error));
  g_assert_no_error (error);
  depths = ld_store_list_region_depths (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (depths, "C")), ==, 0);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (depths, "A")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (depths, "B")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (depths, "A1")), ==, 2);
  g_assert_cmpuint (g_hash_table_size (depths), ==, 4);
}

/* The board's countdown: each incident's earliest deadline its open orders
 * work to, the same in the store's SQL and in ld_order_current_due (). */
static void
test_board_next_due (void)
{
  g_auto(Board) board = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) stats = NULL;
  const char *orders[3];
  gint64 expected[3];
  LdStore *store;

  board_init (&board);
  store = board.store;
  /* a is not signed, b not arrived: a's sign deadline is the nearer. c is
   * completed, d returned: nothing to wait for. e is not signed. */
  orders[0] = board.a;
  expected[0] = T ("10:05:00");
  orders[1] = board.c;
  expected[1] = LD_TIME_NONE;
  orders[2] = board.e;
  expected[2] = T ("10:30:00");
  stats = ld_store_board_order_stats (store, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    {
      g_autoptr(LdOrder) order = ld_store_get_order (store, orders[i], &error);
      g_autoptr(GPtrArray) all = ld_store_list_orders (store, order->incident_id, &error);
      const LdOrderStats *s = g_hash_table_lookup (stats, order->incident_id);
      gint64 by_rule = LD_TIME_NONE;

      g_assert_nonnull (s);
      g_assert_cmpint (s->next_due, ==, expected[i]);
      for (guint k = 0; k < all->len; k++)
        {
          gint64 due = ld_order_current_due (g_ptr_array_index (all, k));

          if (due != LD_TIME_NONE && (by_rule == LD_TIME_NONE || due < by_rule))
            by_rule = due;
        }
      g_assert_cmpint (by_rule, ==, s->next_due);
    }
}

static void
test_late_orders (void)
{
  g_auto(Board) board = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) late = NULL;
  LdStore *store;

  board_init (&board);
  store = board.store;

  late = late_at (store, "2024-03-01 10:03:00");
  g_assert_cmpuint (late->len, ==, 0);
  g_clear_pointer (&late, g_ptr_array_unref);

  /* A deadline is missed only once it has passed. */
  late = late_at (store, "2024-03-01 10:05:00");
  g_assert_cmpuint (late->len, ==, 0);
  g_clear_pointer (&late, g_ptr_array_unref);

  /* Not signed past sign_due; signed but not arrived past arrive_due; the
   * completed and the returned order never; oldest deadline first. */
  late = late_at (store, "2024-03-01 10:31:00");
  g_assert_cmpuint (late->len, ==, 3);
  assert_late (late, 0, board.a, "sign", T ("10:05:00"));
  assert_late (late, 1, board.b, "arrive", T ("10:20:00"));
  assert_late (late, 2, board.e, "sign", T ("10:30:00"));

  /* The marks on the orders follow the same rule. */
  g_assert_true (ld_store_mark_overdue (store, T ("10:31:00"), NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(LdOrder) a = ld_store_get_order (store, board.a, &error);
    g_autoptr(LdOrder) b = ld_store_get_order (store, board.b, &error);
    g_autoptr(LdOrder) e = ld_store_get_order (store, board.e, &error);
    g_assert_cmpuint (a->overdue, ==, LD_OVERDUE_SIGN | LD_OVERDUE_ARRIVE);
    g_assert_cmpuint (b->overdue, ==, LD_OVERDUE_ARRIVE);
    g_assert_cmpuint (e->overdue, ==, LD_OVERDUE_SIGN);
  }
  g_clear_pointer (&late, g_ptr_array_unref);

  /* b arrives late, then owes its feedback past 12:00; a's first missed
   * step is still the signature. */
  g_assert_true (ld_store_arrive_order (store, board.b, T ("10:40:00"), &ld_test_actor, &error));
  late = late_at (store, "2024-03-01 12:30:00");
  g_assert_cmpuint (late->len, ==, 3);
  assert_late (late, 0, board.a, "sign", T ("10:05:00"));
  assert_late (late, 1, board.e, "sign", T ("10:30:00"));
  assert_late (late, 2, board.b, "feedback", T ("12:00:00"));
  g_clear_pointer (&late, g_ptr_array_unref);

  /* With its feedback in, b is late again only for its result. */
  g_free (ld_store_add_feedback (store, NULL, board.b, T ("12:31:00"), "progress", NULL, &ld_test_actor, &error));
  g_assert_no_error (error);
  late = late_at (store, "2024-03-01 12:40:00");
  g_assert_cmpuint (late->len, ==, 2);
  g_clear_pointer (&late, g_ptr_array_unref);
  late = late_at (store, "2024-03-01 18:30:00");
  g_assert_cmpuint (late->len, ==, 3);
  assert_late (late, 2, board.b, "result", T ("18:00:00"));
}

static void
test_next_deadline (void)
{
  g_auto(Board) board = { 0, };
  g_autoptr(GError) error = NULL;
  LdStore *store;

  board_init (&board);
  store = board.store;

  /* a must sign by 10:05 (b signed, c and d are done). */
  g_assert_cmpint (ld_store_next_order_deadline (store, T ("10:03:00")), ==, T ("10:05:00"));
  /* A deadline at the very moment asked is still ahead: late is after it. */
  g_assert_cmpint (ld_store_next_order_deadline (store, T ("10:05:00")), ==, T ("10:05:00"));
  /* Then a's and b's arrivals (10:20), then e's signature (10:30), then e's
   * arrival (10:45). */
  g_assert_cmpint (ld_store_next_order_deadline (store, T ("10:05:01")), ==, T ("10:20:00"));
  g_assert_cmpint (ld_store_next_order_deadline (store, T ("10:21:00")), ==, T ("10:30:00"));
  g_assert_cmpint (ld_store_next_order_deadline (store, T ("10:31:00")), ==, T ("10:45:00"));
  g_assert_cmpint (ld_store_next_order_deadline (store, T ("11:00:00")), ==, T ("12:00:00"));
  /* A step done has no deadline left: a and b give their feedback, e's is
   * due at 12:25. */
  g_assert_true (ld_store_sign_order (store, board.a, T ("11:00:00"), &ld_test_actor, &error));
  g_free (ld_store_add_feedback (store, NULL, board.a, T ("11:00:00"), "progress", NULL, &ld_test_actor, &error));
  g_free (ld_store_add_feedback (store, NULL, board.b, T ("11:00:00"), "progress", NULL, &ld_test_actor, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ld_store_next_order_deadline (store, T ("11:00:00")), ==, T ("12:25:00"));
  /* Past the last result deadline (e: 18:25) nothing is ahead. */
  g_assert_cmpint (ld_store_next_order_deadline (store, T ("18:00:01")), ==, T ("18:25:00"));
  g_assert_cmpint (ld_store_next_order_deadline (store, T ("18:25:01")), ==, 0);
}

static void
test_unit_loads (void)
{
  g_auto(Board) board = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) loads = NULL;
  LdStore *store;

  board_init (&board);
  store = board.store;

  /* Active units only, by tier, region, code: TOWN (1, B), POL (1, C),
   * MKT (2, A). */
  loads = ld_store_list_unit_loads (store, T ("10:31:00"), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loads->len, ==, 3);
  assert_load (loads, 0, "TOWN", 1, 1, T ("10:20:00"));
  assert_load (loads, 1, "POL", 0, 0, 0);
  /* a and e are open and late, c completed. */
  assert_load (loads, 2, "MKT", 2, 2, T ("10:05:00"));
  g_clear_pointer (&loads, g_ptr_array_unref);

  /* e is open but its signature not yet due. */
  loads = ld_store_list_unit_loads (store, T ("10:30:00"), &error);
  assert_load (loads, 2, "MKT", 2, 1, T ("10:05:00"));
  g_clear_pointer (&loads, g_ptr_array_unref);

  loads = ld_store_list_unit_loads (store, T ("10:03:00"), &error);
  assert_load (loads, 0, "TOWN", 1, 0, 0);
  assert_load (loads, 2, "MKT", 2, 0, 0);
}

#undef T

static char *
add_placed_incident (LdStore *store, const char *received, const char *region)
{
  g_autoptr(GError) error = NULL;
  LdIncident inc = { 0, };
  char *id;

  inc.received_at = ld_test_time (store, received);
  inc.source = "110";
  inc.kind = "linkage";
  inc.category = "noise";
  inc.region_code = (char *) region;
  inc.address = "Lake Road 1";
  inc.summary = "Water main burst";
  inc.lat = NAN;
  inc.lon = NAN;
  id = ld_store_add_incident (store, &inc, &ld_test_actor, &error);
  g_assert_no_error (error);
  return id;
}

/* Signs at once, arrives @arrive_min minutes after the order, reports
 * the result and completes an hour later. */
static void
handle_order (LdStore *store, const char *incident, const char *unit, const char *at, int arrive_min)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *order = dispatch (store, incident, unit, at);
  gint64 t = ld_test_time (store, at);

  g_assert_true (ld_store_sign_order (store, order, t + 60 * LD_USEC_PER_S, &ld_test_actor, &error));
  g_assert_true (ld_store_arrive_order (store, order, t + arrive_min * 60 * LD_USEC_PER_S, &ld_test_actor, &error));
  g_free (ld_store_add_feedback (store, NULL, order, t + 3000 * LD_USEC_PER_S, "result", "Done", &ld_test_actor,
                                 &error));
  g_assert_true (ld_store_complete_order (store, order, t + 3600 * LD_USEC_PER_S, &ld_test_actor, &error));
  g_assert_no_error (error);
}

static const char *
listed_id (GPtrArray *list, guint i)
{
  return ((LdIncidentOrders *) g_ptr_array_index (list, i))->incident->id;
}

/* The bulletin's proposals: joint handlings that went well as cases,
 * returned or far late orders as problems. */
static void
test_bulletin_incidents (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autoptr(GError) error = NULL;
  LdPeriod november = ld_period_month (ld_store_get_time_zone (store), 2023, 11);
  g_autofree char *three = add_placed_incident (store, "2023-11-05 10:00:00", "A");
  g_autofree char *two = add_placed_incident (store, "2023-11-04 10:00:00", "B");
  g_autofree char *late = add_placed_incident (store, "2023-11-07 10:00:00", "A");
  g_autofree char *returned = add_placed_incident (store, "2023-11-08 10:00:00", "A");
  g_autofree char *october = add_placed_incident (store, "2023-10-30 10:00:00", "A");
  g_autofree char *police_only = add_placed_incident (store, "2023-11-09 10:00:00", "A");
  g_autofree char *back = NULL;
  g_autoptr(GPtrArray) joint = NULL;
  g_autoptr(GPtrArray) troubled = NULL;

  handle_order (store, three, "POL", "2023-11-05 10:01:00", 8);
  handle_order (store, three, "MKT", "2023-11-05 10:01:00", 12);
  handle_order (store, three, "TOWN", "2023-11-05 10:02:00", 15);
  handle_order (store, two, "MKT", "2023-11-04 10:01:00", 10);
  handle_order (store, two, "TOWN", "2023-11-04 10:01:00", 10);
  /* 20 minutes allowed: 41 minutes is more than twice that. */
  handle_order (store, late, "MKT", "2023-11-07 10:01:00", 41);
  handle_order (store, late, "TOWN", "2023-11-07 10:01:00", 10);
  back = dispatch (store, returned, "MKT", "2023-11-08 10:01:00");
  g_assert_true (ld_store_return_order (store, back, ld_test_time (store, "2023-11-08 10:10:00"), "Not ours",
                                        NULL, "not in our remit", &ld_test_actor, &error));
  g_assert_no_error (error);
  handle_order (store, returned, "TOWN", "2023-11-08 10:12:00", 10);
  handle_order (store, october, "MKT", "2023-10-30 10:01:00", 10);
  handle_order (store, october, "TOWN", "2023-10-30 10:01:00", 10);
  /* The police arriving late is not the linkage units' problem. */
  handle_order (store, police_only, "POL", "2023-11-09 10:01:00", 50);

  joint = ld_store_list_joint_incidents (store, &november, "C", 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (joint->len, ==, 2);
  g_assert_cmpstr (listed_id (joint, 0), ==, three);   /* most units first, though later */
  g_assert_cmpstr (listed_id (joint, 1), ==, two);
  g_assert_cmpuint (((LdIncidentOrders *) g_ptr_array_index (joint, 0))->orders->len, ==, 3);
  g_clear_pointer (&joint, g_ptr_array_unref);

  joint = ld_store_list_joint_incidents (store, &november, "C", 1, &error);
  g_assert_cmpuint (joint->len, ==, 1);
  g_clear_pointer (&joint, g_ptr_array_unref);
  /* A district sees its own incidents only. */
  joint = ld_store_list_joint_incidents (store, &november, "B", 5, &error);
  g_assert_cmpuint (joint->len, ==, 1);
  g_assert_cmpstr (listed_id (joint, 0), ==, two);

  troubled = ld_store_list_troubled_incidents (store, &november, "C", 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (troubled->len, ==, 2);
  g_assert_cmpstr (listed_id (troubled, 0), ==, returned);
  g_assert_cmpstr (listed_id (troubled, 1), ==, late);
  g_assert_cmpuint (((LdIncidentOrders *) g_ptr_array_index (troubled, 0))->orders->len, ==, 2);
  g_clear_pointer (&joint, g_ptr_array_unref);

  /* October's joint handling is a case of October until a unit sent
   * there later has yet to arrive: a case is judged by all its orders. */
  {
    LdPeriod october_month = ld_period_month (ld_store_get_time_zone (store), 2023, 10);
    g_autofree char *later = NULL;

    joint = ld_store_list_joint_incidents (store, &october_month, "C", 5, &error);
    g_assert_cmpuint (joint->len, ==, 1);
    g_assert_cmpstr (listed_id (joint, 0), ==, october);
    g_clear_pointer (&joint, g_ptr_array_unref);
    later = dispatch (store, october, "POL", "2023-11-01 09:00:00");
    joint = ld_store_list_joint_incidents (store, &october_month, "C", 5, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (joint->len, ==, 0);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store/open/schema", test_open_schema);
  g_test_add_func ("/store/open/too-new-is-refused", test_schema_too_new);
  g_test_add_func ("/store/reference-data/validated", test_reference_data);
  g_test_add_func ("/store/jurisdiction/from-the-map", test_jurisdiction);
  g_test_add_func ("/store/incident/bad-input-refused", test_incident_refused);
  g_test_add_func ("/store/repeat/window-edges", test_repeat_window);
  g_test_add_func ("/store/repeat/out-of-order", test_repeat_out_of_order);
  g_test_add_func ("/store/order/lifecycle", test_order_lifecycle);
  g_test_add_func ("/store/order/unit-limit-is-tighter", test_unit_limit_is_tighter);
  g_test_add_func ("/store/order/refused-transitions", test_refused_transitions);
  g_test_add_func ("/store/incident/divert-and-police-close", test_divert_and_police_close);
  g_test_add_func ("/store/order/mark-overdue", test_mark_overdue);
  g_test_add_func ("/store/transaction/nested-rollback", test_nested_rollback);
  g_test_add_func ("/store/drill/units", test_drill_units);
  g_test_add_func ("/store/search/text", test_search_text);
  g_test_add_func ("/store/search/punctuation-is-literal", test_search_punctuation_is_literal);
  g_test_add_func ("/store/search/filter", test_search_filter);
  g_test_add_func ("/store/search/follows-changes", test_search_follows_changes);
  g_test_add_func ("/store/search/migration-indexes-existing", test_search_migration_indexes_existing);
  g_test_add_func ("/store/order/late-orders", test_late_orders);
  g_test_add_func ("/store/order/board-next-due", test_board_next_due);
  g_test_add_func ("/store/region/depths", test_region_depths);
  g_test_add_func ("/store/order/next-deadline", test_next_deadline);
  g_test_add_func ("/store/unit/loads", test_unit_loads);
  g_test_add_func ("/store/bulletin-incidents", test_bulletin_incidents);

  return g_test_run ();
}
