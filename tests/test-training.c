/* test-training.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Training mode: a store made for practice stays one, the simulator plays
 * the callers and the units while the trainee dispatches, and the report
 * judges each call against what a good dispatcher would have done.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ld-simulator.h"
#include "ld-sync.h"
#include "ld-test-city.h"
#include "ld-training.h"

#define MINUTE_US (G_GINT64_CONSTANT (60) * LD_USEC_PER_S)

static LdUser simulator = { "simulator", NULL, "dispatcher", NULL, NULL, 0 };
static LdUser trainee = { "trainee", NULL, "dispatcher", NULL, NULL, 0 };

static void
apply (LdStore *store, const LdUser *user, const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  LdActor actor = { user->name, g_str_equal (user->name, "simulator") ? LD_SIMULATOR_DEVICE : "desk", NULL };
  g_autoptr(GError) error = NULL;
  gint64 seq = 0;

  g_assert_nonnull (node);
  g_assert_cmpint (ld_sync_apply (store, json_node_get_object (node), user, &actor, &seq, &error), ==,
                   LD_SYNC_ACCEPTED);
  g_assert_no_error (error);
}

static char *
iso (LdStore *store, gint64 at)
{
  return ld_time_format_iso (at, ld_store_get_time_zone (store));
}

static void
call (LdStore *store, const char *id, const char *category, const char *region, gint64 at)
{
  g_autofree char *when = iso (store, at);
  g_autofree char *json = g_strdup_printf ("{\"id\":\"op-%s\",\"entity\":\"incident\",\"entity_id\":\"%s\","
                                           "\"action\":\"create\",\"at\":\"%s\",\"fields\":{\"source\":\"110\","
                                           "\"kind\":\"linkage\",\"region_code\":\"%s\",\"category\":\"%s\","
                                           "\"summary\":\"报警人称有情况,请求处置。\"}}",
                                           id, id, when, region, category);
  apply (store, &simulator, json);
}

static void
dispatch (LdStore *store, const char *incident, const char *unit, gint64 at)
{
  g_autofree char *when = iso (store, at);
  g_autofree char *json = g_strdup_printf ("{\"id\":\"op-%s-%s\",\"entity\":\"order\",\"entity_id\":\"o-%s-%s\","
                                           "\"action\":\"dispatch\",\"at\":\"%s\",\"fields\":{\"incident_id\":\"%s\","
                                           "\"unit_code\":\"%s\"}}",
                                           incident, unit, incident, unit, when, incident, unit);
  apply (store, &trainee, json);
}

/* A store with live records never becomes a training store; one made for
 * training says so. */
static void
test_flag (void)
{
  g_autoptr(LdStore) live = ld_test_city_new (NULL);
  g_autoptr(LdStore) practice = ld_test_city_new (NULL);
  g_autoptr(GError) error = NULL;

  call (live, "real", "noise", "A", ld_time_now () - 10 * MINUTE_US);
  g_assert_false (ld_store_make_training (live, &error));
  g_assert_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID);
  g_assert_false (ld_store_is_training (live));

  g_assert_false (ld_store_is_training (practice));
  g_assert_true (ld_store_make_training (practice, NULL));
  g_assert_true (ld_store_is_training (practice));
  /* Once one, always one, whatever it holds since. */
  call (practice, "practice", "noise", "A", ld_time_now () - 10 * MINUTE_US);
  g_assert_true (ld_store_make_training (practice, NULL));
}

/* Three calls of a scripted session: one dispatched right and at once,
 * one to the wrong unit and late, one never. */
static void
test_report (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autoptr(LdTrainingReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 start = ld_time_now () - 60 * MINUTE_US;
  const LdTrainingCall *c;

  g_assert_true (ld_store_make_training (store, NULL));
  call (store, "c1", "noise", "A", start);
  dispatch (store, "c1", "MKT", start + MINUTE_US);
  call (store, "c2", "noise", "A", start + 10 * MINUTE_US);
  dispatch (store, "c2", "TOWN", start + 16 * MINUTE_US);
  call (store, "c3", "noise", "A", start + 20 * MINUTE_US);

  report = ld_training_report_new (store, start - MINUTE_US, ld_time_now () + MINUTE_US, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->calls->len, ==, 3);

  c = g_ptr_array_index (report->calls, 0);
  g_assert_cmpstr (c->incident->id, ==, "c1");
  g_assert_cmpuint (c->right, ==, 1);
  g_assert_cmpuint (c->wrong, ==, 0);
  g_assert_cmpuint (c->missed, ==, 0);
  g_assert_true (c->in_time);
  g_assert_true (c->jurisdiction_right);

  /* TOWN is district B's: not the noise's unit, nor of district A. */
  c = g_ptr_array_index (report->calls, 1);
  g_assert_cmpuint (c->right, ==, 0);
  g_assert_cmpuint (c->wrong, ==, 1);
  g_assert_cmpuint (c->missed, ==, 1);
  g_assert_false (c->in_time);
  g_assert_false (c->jurisdiction_right);

  c = g_ptr_array_index (report->calls, 2);
  g_assert_cmpint (c->first_order_at, ==, LD_TIME_NONE);
  g_assert_cmpuint (c->missed, ==, 1);

  g_assert_cmpuint (report->dispatched, ==, 2);
  g_assert_cmpuint (report->in_time, ==, 1);
  g_assert_cmpuint (report->right, ==, 1);
  g_assert_cmpuint (report->wrong, ==, 1);
  g_assert_cmpuint (report->missed, ==, 2);
  g_assert_cmpuint (report->jurisdiction_right, ==, 1);
  g_assert_cmpint (report->median_to_order_us, ==, 6 * MINUTE_US);

  text = ld_training_report_to_text (report, ld_store_get_time_zone (store));
  g_assert_nonnull (strstr (text, "3 calls, 2 dispatched, 1 within 120 s"));

  /* The same, as the PDF the trainee keeps: its words read back. */
  {
    g_autofree char *dir = g_dir_make_tmp ("ld-training-XXXXXX", NULL);
    g_autofree char *pdf = g_build_filename (dir, "report.pdf", NULL);
    g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
    g_autofree char *words = NULL;

    if (pdftotext == NULL)
      g_error ("pdftotext is needed to read the PDF back (Debian package poppler-utils)");
    g_assert_true (ld_training_report_write_pdf (report, ld_store_get_time_zone (store), pdf, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_sync (NULL, (char *[]) { pdftotext, pdf, (char *) "-", NULL }, NULL, G_SPAWN_DEFAULT, NULL,
                                 NULL, &words, NULL, NULL, &error));
    g_assert_nonnull (strstr (words, "Training report"));
    g_assert_nonnull (strstr (words, "3 calls, 2 dispatched"));
    g_unlink (pdf);
    g_rmdir (dir);
  }
}

/* In training the simulator makes calls and plays the units, and leaves
 * dispatching and closing to the trainee: an order the trainee sends is
 * worked to its end by the unit. */
static void
test_simulator_leaves_dispatch (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autoptr(LdSimulator) sim = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = ld_time_now () - 4 * 60 * MINUTE_US;
  g_autoptr(LdOrder) order = NULL;
  guint dispatched_by_simulator = 0, calls = 0;

  g_assert_true (ld_store_make_training (store, NULL));
  /* A week of calls before, for the rhythm. */
  for (guint i = 0; i < 28; i++)
    {
      g_autofree char *id = g_strdup_printf ("history-%02u", i);
      call (store, id, "noise", "A", start - (gint64) (i + 1) * 6 * 60 * MINUTE_US + MINUTE_US);
    }
  call (store, "now", "noise", "A", start);
  dispatch (store, "now", "MKT", start + MINUTE_US);
  sim = ld_simulator_new (store, 3, 30);
  ld_simulator_set_trainee (sim, TRUE);
  for (gint64 now = start + 2 * MINUTE_US; now <= start + 4 * 60 * MINUTE_US; now += 20 * LD_USEC_PER_S)
    {
      g_autoptr(GPtrArray) acts = ld_simulator_take_due (sim, now, NULL, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < acts->len; i++)
        {
          LdSimulatedAct *a = g_ptr_array_index (acts, i);
          const char *action = json_object_get_string_member (a->operation, "action");
          LdActor actor = { a->user->name, LD_SIMULATOR_DEVICE, NULL };
          gint64 seq;

          if (g_str_equal (action, "dispatch") || g_str_equal (action, "close"))
            dispatched_by_simulator++;
          if (g_str_equal (action, "create"))
            calls++;
          g_assert_cmpint (ld_sync_apply (store, a->operation, a->user, &actor, &seq, NULL), ==, LD_SYNC_ACCEPTED);
        }
    }
  g_assert_cmpuint (dispatched_by_simulator, ==, 0);
  g_assert_cmpuint (calls, >, 0);
  order = ld_store_get_order (store, "o-now-MKT", NULL);
  g_assert_nonnull (order);
  g_assert_cmpstr (order->state, ==, "completed");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/training/flag", test_flag);
  g_test_add_func ("/training/report", test_report);
  g_test_add_func ("/training/simulator-leaves-dispatch", test_simulator_leaves_dispatch);

  return g_test_run ();
}
