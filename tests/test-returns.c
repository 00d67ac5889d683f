/* test-returns.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "ld-bulletin.h"
#include "ld-metrics.h"
#include "ld-report.h"
#include "ld-store.h"
#include "ld-sync.h"
#include "ld-test-city.h"
#include "ld-test-util.h"

/* The unit's end of an order (issue 17): a return says why and whose duty
 * it is, the center rules on it, an extension moves a deadline for every
 * figure, and completion waits for a result. */

static char *
add_incident (LdStore *store, const char *received, const char *address)
{
  g_autoptr(GError) error = NULL;
  LdIncident inc = { 0, };
  char *id;

  inc.received_at = ld_test_time (store, received);
  inc.source = "110";
  inc.kind = "linkage";
  inc.region_code = "A";
  inc.category = "noise";
  inc.address = (char *) address;
  inc.lat = inc.lon = NAN;
  id = ld_store_add_incident (store, &inc, &ld_test_actor, &error);
  g_assert_no_error (error);
  return id;
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
sign (LdStore *store, const char *order, const char *at)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ld_store_sign_order (store, order, ld_test_time (store, at), &ld_test_actor, &error));
  g_assert_no_error (error);
}

static void
give_back (LdStore *store, const char *order, const char *at, const char *duty_unit_code, const char *basis)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ld_store_return_order (store, order, ld_test_time (store, at), "Not our matter", duty_unit_code,
                                        basis, &ld_test_actor, &error));
  g_assert_no_error (error);
}

static void
test_return_needs_reason_and_duty (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autofree char *inc = add_incident (store, "2023-11-08 10:00:00", NULL);
  g_autofree char *order = dispatch (store, inc, "MKT", "2023-11-08 10:01:00");
  g_autoptr(LdOrder) o = NULL;
  g_autoptr(GError) error = NULL;
  gint64 t = ld_test_time (store, "2023-11-08 10:05:00");
  static const struct {
    const char *reason, *duty, *basis;
    int         code;
  } refused[] = {
    { NULL, "TOWN", NULL, LD_STORE_ERROR_INVALID },
    { " \u3000\t", "TOWN", NULL, LD_STORE_ERROR_INVALID },
    { "Not ours", NULL, NULL, LD_STORE_ERROR_INVALID },
    { "Not ours", "TOWN", "The list", LD_STORE_ERROR_INVALID },
    { "Not ours", NULL, "\u3000", LD_STORE_ERROR_INVALID },
    { "Not ours", "MKT", NULL, LD_STORE_ERROR_INVALID },
    { "Not ours", "NOPE", NULL, LD_STORE_ERROR_NOT_FOUND },
  };

  sign (store, order, "2023-11-08 10:02:00");
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_assert_false (ld_store_return_order (store, order, t, refused[i].reason, refused[i].duty, refused[i].basis,
                                             &ld_test_actor, &error));
      g_assert_error (error, LD_STORE_ERROR, refused[i].code);
      g_clear_error (&error);
    }
  o = ld_store_get_order (store, order, &error);
  g_assert_cmpstr (o->state, ==, "signed");

  give_back (store, order, "2023-11-08 10:05:00", NULL, "The responsibility list gives it to the district");
  g_clear_pointer (&o, ld_order_free);
  o = ld_store_get_order (store, order, &error);
  g_assert_cmpstr (o->state, ==, "returned");
  g_assert_true (o->not_ours);
  g_assert_cmpstr (o->basis, ==, "The responsibility list gives it to the district");
  g_assert_null (o->duty_unit_code);
  g_assert_null (o->return_ruling);
}

static gboolean
has_event (LdStore *store, const char *incident, const char *action)
{
  LdEventFilter filter = { .incident_id = incident };
  g_autoptr(GPtrArray) events = ld_store_list_events (store, &filter, NULL);

  for (guint i = 0; i < events->len; i++)
    if (g_str_equal (((LdEvent *) g_ptr_array_index (events, i))->action, action))
      return TRUE;
  return FALSE;
}

static LdOrderCounts
month_counts (LdStore *store, const char *unit, gint64 now)
{
  LdPeriod month = ld_period_month (ld_store_get_time_zone (store), 2023, 11);
  g_autoptr(GHashTable) units = NULL;
  g_autoptr(GError) error = NULL;
  LdOrderCounts *c;

  g_assert_true (ld_metrics_compute (store, &month, now, &units, NULL, &error));
  g_assert_no_error (error);
  c = g_hash_table_lookup (units, unit);
  g_assert_nonnull (c);
  return *c;
}

static void
test_overrule_sends_back (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autofree char *inc = add_incident (store, "2023-11-08 10:00:00", NULL);
  g_autofree char *order = dispatch (store, inc, "MKT", "2023-11-08 10:01:00");
  g_autofree char *fb = NULL;
  g_autoptr(LdOrder) o = NULL;
  g_autoptr(LdIncident) i = NULL;
  g_autoptr(GError) error = NULL;
  gint64 t = ld_test_time (store, "2023-11-08 10:30:00");
  LdActor chief = { "chief", "desk-1", NULL, LD_TIME_NONE, LD_TIME_NONE };

  sign (store, order, "2023-11-08 10:02:00");
  g_assert_true (ld_store_arrive_order (store, order, ld_test_time (store, "2023-11-08 10:15:00"), &ld_test_actor,
                                        &error));
  give_back (store, order, "2023-11-08 10:20:00", "TOWN", NULL);

  /* Overruling says why; a ruling is made once. */
  g_assert_false (ld_store_rule_return (store, order, t, TRUE, "  ", &chief, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (ld_store_rule_return (store, order, t, TRUE, "The list gives it to you", &chief, &error));
  g_assert_no_error (error);
  g_assert_false (ld_store_rule_return (store, order, t, FALSE, NULL, &chief, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);

  /* Back with the unit as it was, the return on record. */
  o = ld_store_get_order (store, order, &error);
  g_assert_cmpstr (o->state, ==, "arrived");
  g_assert_cmpint (o->returned_at, ==, ld_test_time (store, "2023-11-08 10:20:00"));
  g_assert_cmpstr (o->duty_unit_code, ==, "TOWN");
  g_assert_cmpstr (o->return_ruling, ==, "overruled");
  g_assert_cmpstr (o->return_ruled_by, ==, "chief");
  g_assert_cmpstr (o->return_ruling_reason, ==, "The list gives it to you");
  g_assert_cmpint (o->return_ruled_at, ==, t);
  g_assert_true (has_event (store, inc, "return"));
  g_assert_true (has_event (store, inc, "rule-return"));
  i = ld_store_get_incident (store, inc, &error);
  g_assert_cmpuint (i->returns, ==, 1);

  /* A second return is refused; the unit works the order to its end. */
  g_assert_false (ld_store_return_order (store, order, ld_test_time (store, "2023-11-08 10:40:00"), "Again", "TOWN",
                                         NULL, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);
  g_assert_nonnull (strstr (error->message, "cannot be returned again"));
  g_clear_error (&error);
  g_assert_false (ld_store_complete_order (store, order, ld_test_time (store, "2023-11-08 10:50:00"), &ld_test_actor,
                                           &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);
  fb = ld_store_add_feedback (store, NULL, order, ld_test_time (store, "2023-11-08 10:45:00"), "result", "Cleared",
                              &ld_test_actor, &error);
  g_assert_no_error (error);
  g_assert_true (ld_store_complete_order (store, order, ld_test_time (store, "2023-11-08 10:50:00"), &ld_test_actor,
                                          &error));
  g_assert_no_error (error);

  /* The month counts the return that happened and the completion. */
  {
    LdOrderCounts c = month_counts (store, "MKT", ld_test_time (store, "2023-11-30 00:00:00"));

    g_assert_cmpuint (c.dispatched, ==, 1);
    g_assert_cmpuint (c.returned, ==, 1);
    g_assert_cmpuint (c.completed, ==, 1);
  }
}

static void
test_accept_then_dispatch (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autofree char *inc = add_incident (store, "2023-11-08 10:00:00", NULL);
  g_autofree char *order = dispatch (store, inc, "MKT", "2023-11-08 10:01:00");
  g_autofree char *again = NULL;
  g_autoptr(LdOrder) o = NULL;
  g_autoptr(GError) error = NULL;

  give_back (store, order, "2023-11-08 10:03:00", "TOWN", NULL);
  /* The return waits in the dispatcher's queue until it is ruled on. */
  {
    g_autoptr(GPtrArray) queue = ld_store_list_returns_to_rule (store, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (queue->len, ==, 1);
    g_assert_cmpstr (((LdOrder *) g_ptr_array_index (queue, 0))->id, ==, order);
  }
  g_assert_true (ld_store_rule_return (store, order, ld_test_time (store, "2023-11-08 10:04:00"), FALSE, NULL,
                                       &ld_test_actor, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) queue = ld_store_list_returns_to_rule (store, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (queue->len, ==, 0);
  }
  o = ld_store_get_order (store, order, &error);
  g_assert_cmpstr (o->state, ==, "returned");
  g_assert_cmpstr (o->return_ruling, ==, "accepted");
  again = dispatch (store, inc, o->duty_unit_code, "2023-11-08 10:05:00");
  g_assert_nonnull (again);
}

/* An overruling sends the order back only where it can go: not to a unit
 * already given the matter again, nor into a closed incident. */
static void
test_overrule_refused (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autofree char *inc = add_incident (store, "2023-11-08 10:00:00", NULL);
  g_autofree char *order = dispatch (store, inc, "MKT", "2023-11-08 10:01:00");
  g_autofree char *again = NULL, *town = NULL, *fb = NULL;
  g_autoptr(GError) error = NULL;
  gint64 t = ld_test_time (store, "2023-11-08 12:00:00");

  give_back (store, order, "2023-11-08 10:03:00", "TOWN", NULL);
  again = dispatch (store, inc, "MKT", "2023-11-08 10:05:00");
  g_assert_false (ld_store_rule_return (store, order, t, TRUE, "Yours", &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_DUPLICATE);
  g_clear_error (&error);

  give_back (store, again, "2023-11-08 10:06:00", "TOWN", NULL);
  town = dispatch (store, inc, "TOWN", "2023-11-08 10:07:00");
  sign (store, town, "2023-11-08 10:08:00");
  fb = ld_store_add_feedback (store, NULL, town, ld_test_time (store, "2023-11-08 10:30:00"), "result", "Done",
                              &ld_test_actor, &error);
  g_assert_true (ld_store_complete_order (store, town, ld_test_time (store, "2023-11-08 10:40:00"), &ld_test_actor,
                                          &error));
  g_assert_true (ld_store_close_incident (store, inc, ld_test_time (store, "2023-11-08 11:00:00"), &ld_test_actor,
                                          &error));
  g_assert_no_error (error);
  g_assert_false (ld_store_rule_return (store, order, t, TRUE, "Yours", &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);
  /* Accepting still records the ruling. */
  g_assert_true (ld_store_rule_return (store, order, t, FALSE, NULL, &ld_test_actor, &error));
  g_assert_no_error (error);
}

static void
test_complete_needs_result (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autofree char *inc = add_incident (store, "2023-11-08 10:00:00", NULL);
  g_autofree char *order = dispatch (store, inc, "MKT", "2023-11-08 10:01:00");
  g_autofree char *progress = NULL, *result = NULL;
  g_autoptr(LdOrder) o = NULL;
  g_autoptr(GError) error = NULL;
  gint64 t = ld_test_time (store, "2023-11-08 11:00:00");

  sign (store, order, "2023-11-08 10:02:00");
  progress = ld_store_add_feedback (store, NULL, order, ld_test_time (store, "2023-11-08 10:30:00"), "progress",
                                    "Working", &ld_test_actor, &error);
  g_assert_false (ld_store_complete_order (store, order, t, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);
  result = ld_store_add_feedback (store, NULL, order, ld_test_time (store, "2023-11-08 10:50:00"), "result", "Done",
                                  &ld_test_actor, &error);
  o = ld_store_get_order (store, order, &error);
  g_assert_cmpint (o->result_feedback_at, ==, ld_test_time (store, "2023-11-08 10:50:00"));
  g_assert_true (ld_store_complete_order (store, order, t, &ld_test_actor, &error));
  g_assert_no_error (error);
}

static gboolean
is_late (LdStore *store, const char *order, gint64 now)
{
  g_autoptr(GPtrArray) late = ld_store_list_late_orders (store, now, NULL);

  for (guint i = 0; i < late->len; i++)
    if (g_str_equal (((LdLateOrder *) g_ptr_array_index (late, i))->order->id, order))
      return TRUE;
  return FALSE;
}

/* Feedback is due two hours after the order (10:01 → 12:01). The unit
 * asks at 11:00 for 14:00; the center rules at 12:30, after the old
 * deadline was marked missed. */
static void
test_extension_moves_deadline (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autofree char *inc = add_incident (store, "2023-11-08 10:00:00", NULL);
  g_autofree char *order = dispatch (store, inc, "MKT", "2023-11-08 10:01:00");
  g_autofree char *fb = NULL;
  g_autoptr(LdOrder) o = NULL;
  g_autoptr(GError) error = NULL;
  gint64 asked = ld_test_time (store, "2023-11-08 11:00:00");
  gint64 until = ld_test_time (store, "2023-11-08 14:00:00");
  gint64 ruled = ld_test_time (store, "2023-11-08 12:30:00");
  gint64 judged = ld_test_time (store, "2023-11-08 13:00:00");
  gint64 due;
  static const struct {
    const char *step, *until, *reason;
    int         code;
  } refused[] = {
    { "sign", "2023-11-08 14:00:00", "Busy", LD_STORE_ERROR_INVALID },
    { "feedback", "2023-11-08 12:00:00", "Busy", LD_STORE_ERROR_INVALID },
    { "feedback", "2023-11-08 10:30:00", "Busy", LD_STORE_ERROR_INVALID },
    { "feedback", "2024-03-01 00:00:00", "Busy", LD_STORE_ERROR_INVALID },
    { "feedback", "2023-11-08 14:00:00", "\u3000 ", LD_STORE_ERROR_INVALID },
  };

  sign (store, order, "2023-11-08 10:02:00");
  g_assert_true (ld_store_arrive_order (store, order, ld_test_time (store, "2023-11-08 10:15:00"), &ld_test_actor,
                                        &error));
  o = ld_store_get_order (store, order, &error);
  due = o->feedback_due;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_assert_false (ld_store_request_extension (store, order, asked, refused[i].step,
                                                  ld_test_time (store, refused[i].until), refused[i].reason,
                                                  &ld_test_actor, &error));
      g_assert_error (error, LD_STORE_ERROR, refused[i].code);
      g_clear_error (&error);
    }
  g_assert_false (ld_store_rule_extension (store, order, ruled, TRUE, NULL, &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);

  g_assert_true (ld_store_request_extension (store, order, asked, "feedback", until, "Waiting for the owner",
                                             &ld_test_actor, &error));
  g_assert_no_error (error);
  g_assert_false (ld_store_request_extension (store, order, asked, "complete", until + 3600 * LD_USEC_PER_S,
                                              "And this", &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);

  /* Before the ruling the old deadline holds: marked, late, counted. */
  g_assert_true (ld_store_mark_overdue (store, ld_test_time (store, "2023-11-08 12:10:00"), NULL, &error));
  g_clear_pointer (&o, ld_order_free);
  o = ld_store_get_order (store, order, &error);
  g_assert_true (o->overdue & LD_OVERDUE_FEEDBACK);
  g_assert_true (is_late (store, order, judged));
  g_assert_cmpuint (month_counts (store, "MKT", judged).overdue_feedback, ==, 1);

  g_assert_false (ld_store_rule_extension (store, order, ruled, FALSE, "", &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (ld_store_rule_extension (store, order, ruled, TRUE, NULL, &ld_test_actor, &error));
  g_assert_no_error (error);
  g_assert_true (has_event (store, inc, "request-extension"));
  g_assert_true (has_event (store, inc, "rule-extension"));

  /* After it, every reader judges against 14:00, and both stay on record. */
  g_clear_pointer (&o, ld_order_free);
  o = ld_store_get_order (store, order, &error);
  g_assert_cmpint (o->feedback_due, ==, until);
  g_assert_cmpint (o->extension_original_due, ==, due);
  g_assert_cmpstr (o->extension_ruling, ==, "approved");
  g_assert_cmpint (o->extension_ruled_at, ==, ruled);
  g_assert_false (o->overdue & LD_OVERDUE_FEEDBACK);
  g_assert_false (is_late (store, order, judged));
  g_assert_cmpuint (month_counts (store, "MKT", judged).overdue_feedback, ==, 0);
  g_assert_cmpint (ld_store_next_order_deadline (store, judged), ==, until);

  /* The feedback comes within the new deadline; a deadline moves once. */
  fb = ld_store_add_feedback (store, NULL, order, ld_test_time (store, "2023-11-08 13:30:00"), "progress", "On it",
                              &ld_test_actor, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (month_counts (store, "MKT", ld_test_time (store, "2023-11-30 00:00:00")).overdue_feedback, ==, 0);
  g_assert_false (ld_store_request_extension (store, order, ld_test_time (store, "2023-11-08 13:40:00"), "complete",
                                              ld_test_time (store, "2023-11-09 10:00:00"), "More", &ld_test_actor,
                                              &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);
}

static void
test_refused_extension_keeps_deadline (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autofree char *inc = add_incident (store, "2023-11-08 10:00:00", NULL);
  g_autofree char *order = dispatch (store, inc, "MKT", "2023-11-08 10:01:00");
  g_autoptr(LdOrder) o = NULL;
  g_autoptr(GError) error = NULL;
  gint64 due;

  sign (store, order, "2023-11-08 10:02:00");
  o = ld_store_get_order (store, order, &error);
  due = o->result_due;
  g_assert_true (ld_store_request_extension (store, order, ld_test_time (store, "2023-11-08 11:00:00"), "complete",
                                             due + 3600 * LD_USEC_PER_S, "Parts", &ld_test_actor, &error));
  g_assert_true (ld_store_rule_extension (store, order, ld_test_time (store, "2023-11-08 11:10:00"), FALSE,
                                          "Enough time", &ld_test_actor, &error));
  g_assert_no_error (error);
  g_clear_pointer (&o, ld_order_free);
  o = ld_store_get_order (store, order, &error);
  g_assert_cmpint (o->result_due, ==, due);
  g_assert_cmpint (o->extension_original_due, ==, LD_TIME_NONE);
  g_assert_cmpstr (o->extension_ruling, ==, "refused");
  g_assert_cmpstr (o->extension_ruling_reason, ==, "Enough time");
  /* After a refusal the unit may ask again. */
  g_assert_true (ld_store_request_extension (store, order, ld_test_time (store, "2023-11-08 11:20:00"), "complete",
                                             due + 1800 * LD_USEC_PER_S, "Parts, really", &ld_test_actor, &error));
  g_assert_no_error (error);
}

/* Seed 000's 由拳路 case: the center sent the matter to one district and
 * then another, and both said it was not theirs. */
static void
test_returned_twice_named (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autofree char *inc = add_incident (store, "2023-11-21 14:05:00", "由拳路富润路口");
  g_autofree char *once = add_incident (store, "2023-11-22 09:00:00", "南湖路");
  g_autofree char *first = dispatch (store, inc, "MKT", "2023-11-21 14:06:00");
  g_autofree char *second = NULL, *third = NULL, *other = NULL;
  LdPeriod month = ld_period_month (ld_store_get_time_zone (store), 2023, 11);
  g_autoptr(GPtrArray) bounced = NULL;
  g_autoptr(LdReport) report = NULL;
  g_autoptr(LdBulletin) bulletin = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) problems = NULL;
  g_autofree char *json = NULL;

  give_back (store, first, "2023-11-21 14:20:00", "TOWN", NULL);
  second = dispatch (store, inc, "TOWN", "2023-11-21 14:25:00");
  give_back (store, second, "2023-11-21 14:40:00", NULL, "Not in our district");
  third = dispatch (store, inc, "POL", "2023-11-21 14:50:00");
  other = dispatch (store, once, "MKT", "2023-11-22 09:01:00");
  give_back (store, other, "2023-11-22 09:10:00", "TOWN", NULL);

  bounced = ld_store_list_bounced_incidents (store, &month, "C", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bounced->len, ==, 1);
  g_assert_cmpstr (((LdIncidentOrders *) g_ptr_array_index (bounced, 0))->incident->id, ==, inc);
  g_assert_cmpuint (((LdIncidentOrders *) g_ptr_array_index (bounced, 0))->incident->returns, ==, 2);

  report = ld_report_new (store, &month, "C", ld_test_time (store, "2023-12-05 09:00:00"), &error);
  g_assert_no_error (error);
  json = ld_report_to_json (report);
  g_assert_nonnull (strstr (json, "\"returned_incidents\""));
  g_assert_nonnull (strstr (json, "由拳路富润路口"));
  g_assert_null (strstr (json, "南湖路"));

  bulletin = ld_bulletin_new (report, store, &error);
  g_assert_no_error (error);
  problems = ld_bulletin_dup_problems (bulletin);
  g_assert_nonnull (problems[0]);
  g_assert_nonnull (strstr (problems[0], "由拳路富润路口"));
  g_assert_nonnull (strstr (problems[0], "Market"));
  g_assert_nonnull (strstr (problems[0], "B command room"));
}

/* What a desk pulls carries the return's duty, its ruling and the
 * extension, and the replica keeps them. */
static void
test_replica_keeps_rulings (void)
{
  g_autoptr(LdStore) server = ld_test_city_new (NULL);
  g_autoptr(LdStore) desk = ld_test_city_new (NULL);
  g_autofree char *inc = add_incident (server, "2023-11-08 10:00:00", NULL);
  g_autofree char *order = dispatch (server, inc, "MKT", "2023-11-08 10:01:00");
  g_autoptr(JsonNode) inc_record = NULL, order_record = NULL;
  g_autoptr(LdOrder) o = NULL;
  g_autoptr(GError) error = NULL;

  sign (server, order, "2023-11-08 10:02:00");
  give_back (server, order, "2023-11-08 10:05:00", NULL, "The list");
  g_assert_true (ld_store_rule_return (server, order, ld_test_time (server, "2023-11-08 10:10:00"), TRUE, "Yours",
                                       &ld_test_actor, &error));
  g_assert_true (ld_store_request_extension (server, order, ld_test_time (server, "2023-11-08 10:20:00"), "feedback",
                                             ld_test_time (server, "2023-11-08 15:00:00"), "Owner away",
                                             &ld_test_actor, &error));
  g_assert_no_error (error);

  inc_record = ld_sync_get_record (server, "incident", inc);
  order_record = ld_sync_get_record (server, "order", order);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (order_record), "return_overruled"));
  g_assert_true (ld_sync_put_record (desk, "incident", json_node_get_object (inc_record), &error));
  g_assert_true (ld_sync_put_record (desk, "order", json_node_get_object (order_record), &error));
  g_assert_no_error (error);
  o = ld_store_get_order (desk, order, &error);
  g_assert_cmpstr (o->state, ==, "signed");
  g_assert_true (o->not_ours);
  g_assert_cmpstr (o->basis, ==, "The list");
  g_assert_cmpstr (o->return_ruling, ==, "overruled");
  g_assert_cmpstr (o->return_ruling_reason, ==, "Yours");
  g_assert_cmpstr (o->extension_step, ==, "feedback");
  g_assert_cmpint (o->extension_until, ==, ld_test_time (server, "2023-11-08 15:00:00"));
  g_assert_cmpstr (o->extension_reason, ==, "Owner away");
  g_assert_null (o->extension_ruling);

  /* The desk's replica refuses what the server would: no second return. */
  g_assert_false (ld_store_return_order (desk, order, ld_test_time (server, "2023-11-08 10:30:00"), "Again", NULL,
                                         "The list", &ld_test_actor, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION);
}

/* What a desk offers for an order follows from its state, in one place. */
static void
test_order_takes (void)
{
  LdOrder o = { 0, };

  o.state = (char *) "dispatched";
  g_assert_true (ld_order_takes (&o, "sign"));
  g_assert_true (ld_order_takes (&o, "return"));
  g_assert_false (ld_order_takes (&o, "feedback"));
  g_assert_false (ld_order_takes (&o, "request-extension"));
  o.state = (char *) "arrived";
  g_assert_true (ld_order_takes (&o, "feedback"));
  g_assert_false (ld_order_takes (&o, "complete"));
  o.result_feedback_at = 1;
  g_assert_true (ld_order_takes (&o, "complete"));
  g_assert_true (ld_order_takes (&o, "request-extension"));
  o.extension_requested_at = 1;
  g_assert_false (ld_order_takes (&o, "request-extension"));
  g_assert_true (ld_order_takes (&o, "rule-extension"));
  o.extension_ruling = (char *) "refused";
  g_assert_true (ld_order_takes (&o, "request-extension"));
  g_assert_false (ld_order_takes (&o, "rule-extension"));
  o.return_ruling = (char *) "overruled";
  g_assert_false (ld_order_takes (&o, "return"));
  o.state = (char *) "returned";
  o.return_ruling = NULL;
  g_assert_true (ld_order_takes (&o, "rule-return"));
  g_assert_false (ld_order_takes (&o, "feedback"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/returns/need-reason-and-duty", test_return_needs_reason_and_duty);
  g_test_add_func ("/returns/overruled-goes-back-once", test_overrule_sends_back);
  g_test_add_func ("/returns/accepted-then-dispatched", test_accept_then_dispatch);
  g_test_add_func ("/returns/overrule-only-where-it-can-go", test_overrule_refused);
  g_test_add_func ("/orders/complete-needs-result", test_complete_needs_result);
  g_test_add_func ("/extensions/approved-moves-every-figure", test_extension_moves_deadline);
  g_test_add_func ("/extensions/refused-keeps-deadline", test_refused_extension_keeps_deadline);
  g_test_add_func ("/returns/twice-named-in-bulletin-and-report", test_returned_twice_named);
  g_test_add_func ("/returns/replica-keeps-rulings", test_replica_keeps_rulings);
  g_test_add_func ("/orders/what-a-desk-offers", test_order_takes);

  return g_test_run ();
}
