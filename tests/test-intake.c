/* test-intake.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <math.h>
#include <signal.h>

#include "ld-intake-window.h"
#include "ld-test-desk.h"
#include "ld-map-view.h"
#include "ld-test-city.h"
#include "ld-test-server.h"

/* Taking a call as a dispatcher does, against the real server: the repeat
 * caller said at once, the place clicked on the map deciding the
 * jurisdiction, the category found by typing part of it, and the units the
 * responsibility list names dispatched with the incident. */

/* Visible itself and all the way up. */
static gboolean
is_shown (GtkWidget *widget)
{
  for (; widget; widget = gtk_widget_get_parent (widget))
    if (!gtk_widget_get_visible (widget))
      return FALSE;
  return TRUE;
}

static void
put_unit (LdStore *store, const char *code, const char *name, const char *kind, const char *region)
{
  g_autoptr(GError) error = NULL;
  LdUnit u = { (char *) code, (char *) name, 1, (char *) kind, (char *) region, NULL, NAN, NAN, FALSE, { 0, } };

  g_assert_true (ld_store_put_unit (store, &u, &error));
  g_assert_no_error (error);
}

static void
build_city (LdStore *city)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  LdCategory parking = { "parking", "Blocked car", "divert", "114", NULL, { 0, } };
  LdIncident earlier = { 0, };

  /* The test city's districts are squares with boundaries: A is lat
   * 30–31, lon 120–121. Fire in A is A's brigade and the city police. */
  put_unit (city, "FIRE-A", "Brigade A", "fire", "A");
  put_unit (city, "FIRE-C", "City brigade", "fire", "C");
  g_assert_true (ld_store_put_category (city, &parking, &error));
  g_assert_no_error (error);

  earlier.received_at = ld_time_now () - G_GINT64_CONSTANT (3600) * LD_USEC_PER_S;
  earlier.source = (char *) "110";
  earlier.kind = (char *) "linkage";
  earlier.region_code = (char *) "A";
  earlier.category = (char *) "noise";
  earlier.summary = (char *) "drums next door";
  earlier.caller_phone = (char *) "13900000001";
  earlier.lat = earlier.lon = NAN;
  id = ld_store_add_incident (city, &earlier, &ld_test_actor, &error);
  g_assert_no_error (error);
  {
    /* Half an hour ago, 30 m from where the test's call comes from. */
    LdIncident smoke = { 0, };
    g_autofree char *smoke_id = NULL;

    smoke.received_at = ld_time_now () - G_GINT64_CONSTANT (1800) * LD_USEC_PER_S;
    smoke.source = (char *) "110";
    smoke.kind = (char *) "linkage";
    smoke.region_code = (char *) "A";
    smoke.summary = (char *) "smoke behind the school";
    smoke.lat = 30.2502;
    smoke.lon = 120.7502;
    smoke_id = ld_store_add_incident (city, &smoke, &ld_test_actor, &error);
    g_assert_no_error (error);
  }
}

static void
on_recorded (LdIntakeWindow *intake, const char *id, char **slot)
{
  *slot = g_strdup (id);
}

static LdIntakeWindow *
open_intake (LdTestDesk *desk, char **recorded_id)
{
  LdIntakeWindow *intake = ld_intake_window_new (NULL, desk->engine, NULL, LD_DATUM_WGS84);

  g_signal_connect (intake, "recorded", G_CALLBACK (on_recorded), recorded_id);
  gtk_window_set_default_size (GTK_WINDOW (intake), 1240, 680);
  gtk_window_present (GTK_WINDOW (intake));
  return intake;
}

static void
test_map_category_units (void)
{
  LdTestDesk desk = { NULL, };
  g_autofree char *id = NULL;
  LdIntakeWindow *intake;
  GtkWidget *w;
  LdStore *local;
  g_autoptr(LdIncident) incident = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GPtrArray) units = g_ptr_array_new ();

  ld_test_desk_open (&desk, "d1", "dispatcher", build_city);
  local = ld_sync_engine_get_store (desk.engine);
  intake = open_intake (&desk, &id);

  /* (a) The caller called an hour ago: said before anything is recorded. */
  gtk_editable_set_text (GTK_EDITABLE (ld_test_find_widget (GTK_WIDGET (intake), ADW_TYPE_ENTRY_ROW, "Caller's Phone")),
                         "13900000001");
  w = ld_test_find_widget (GTK_WIDGET (intake), ADW_TYPE_ACTION_ROW, "Repeat caller: 1 call in the last 72 hours");
  g_assert_nonnull (w);
  g_assert_true (is_shown (w));

  /* (b) A click inside A on the map: A is the jurisdiction, the combo
   * says so and gives way. */
  w = ld_test_find_widget (GTK_WIDGET (intake), LD_TYPE_MAP_VIEW, NULL);
  g_assert_nonnull (w);
  g_signal_emit_by_name (w, "location-clicked", 30.25, 120.75);
  w = ld_test_find_widget (GTK_WIDGET (intake), ADW_TYPE_ACTION_ROW, "Jurisdiction: District A (from the map)");
  g_assert_nonnull (w);
  g_assert_true (is_shown (w));
  g_assert_false (gtk_widget_get_sensitive (ld_test_find_widget (GTK_WIDGET (intake), ADW_TYPE_COMBO_ROW, "Region")));
  /* Someone else called about a place 30 m away half an hour ago. */
  w = ld_test_find_widget (GTK_WIDGET (intake), ADW_TYPE_ACTION_ROW,
                           "1 open incident within 500 m in the last 2 hours: the same event?");
  g_assert_nonnull (w);
  g_assert_true (is_shown (w));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (w)), "smoke behind the school"));

  /* (c) "IR" finds Fire among the categories; its mode is shown and the
   * units of a joint matter are all ticked. */
  {
    GtkWidget *entry = ld_test_find_widget (GTK_WIDGET (intake), ADW_TYPE_ENTRY_ROW, "Type Any Part of the Category");
    GtkWidget *match;

    gtk_editable_set_text (GTK_EDITABLE (entry), "IR");
    match = ld_test_find_widget (GTK_WIDGET (intake), ADW_TYPE_ACTION_ROW, "Fire");
    g_assert_nonnull (match);
    g_assert_true (is_shown (match));
    g_assert_null (ld_test_find_widget (GTK_WIDGET (intake), ADW_TYPE_ACTION_ROW, "Noise"));
    g_signal_emit_by_name (entry, "entry-activated");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Fire");
    g_assert_false (is_shown (match));
    w = ld_test_find_widget (GTK_WIDGET (intake), GTK_TYPE_LABEL, "Joint");
    g_assert_nonnull (w);
    g_assert_true (is_shown (w));
  }
  for (const char *const *name = (const char *const[]) { "Brigade A", "City police", NULL }; *name; name++)
    {
      GtkWidget *row = ld_test_find_widget (GTK_WIDGET (intake), ADW_TYPE_ACTION_ROW, *name);
      GtkWidget *check;

      g_assert_nonnull (row);
      g_assert_true (is_shown (row));
      check = ld_test_find_widget (row, GTK_TYPE_CHECK_BUTTON, NULL);
      g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
    }
  /* The city's brigade stands behind A's, not beside it. */
  g_assert_null (ld_test_find_widget (GTK_WIDGET (intake), ADW_TYPE_ACTION_ROW, "City brigade"));

  gtk_editable_set_text (GTK_EDITABLE (ld_test_find_widget (GTK_WIDGET (intake), ADW_TYPE_ENTRY_ROW, "What the Caller Reports")),
                         "smoke from a shed");
  g_signal_emit_by_name (ld_test_find_widget (GTK_WIDGET (intake), GTK_TYPE_BUTTON, "_Record"), "clicked");
  g_assert_nonnull (id);
  ld_test_wait_until (ld_test_engine_is_drained, desk.engine, "the incident and its orders sent");

  incident = ld_store_get_incident (local, id, NULL);
  g_assert_nonnull (incident);
  g_assert_cmpstr (incident->region_code, ==, "A");
  g_assert_cmpstr (incident->category, ==, "fire");
  g_assert_cmpstr (incident->kind, ==, "linkage");
  g_assert_cmpstr (incident->state, ==, "dispatched");
  g_assert_cmpfloat_with_epsilon (incident->lat, 30.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (incident->lon, 120.75, 1e-9);
  orders = ld_store_list_orders (local, id, NULL);
  g_assert_cmpuint (orders->len, ==, 2);
  for (guint i = 0; i < orders->len; i++)
    g_ptr_array_add (units, ((LdOrder *) g_ptr_array_index (orders, i))->unit_code);
  g_assert_true (g_ptr_array_find_with_equal_func (units, "FIRE-A", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (units, "POL", g_str_equal, NULL));

  ld_test_desk_close (&desk);
}

static void
test_diverted (void)
{
  LdTestDesk desk = { NULL, };
  g_autofree char *id = NULL;
  LdIntakeWindow *intake;
  GtkWidget *entry;
  LdStore *local;
  g_autoptr(LdIncident) incident = NULL;
  g_autoptr(GPtrArray) orders = NULL;

  ld_test_desk_open (&desk, "d1", "dispatcher", build_city);
  local = ld_sync_engine_get_store (desk.engine);
  intake = open_intake (&desk, &id);

  g_signal_emit_by_name (ld_test_find_widget (GTK_WIDGET (intake), LD_TYPE_MAP_VIEW, NULL), "location-clicked", 30.5, 121.5);
  g_assert_nonnull (ld_test_find_widget (GTK_WIDGET (intake), ADW_TYPE_ACTION_ROW, "Jurisdiction: District B (from the map)"));
  entry = ld_test_find_widget (GTK_WIDGET (intake), ADW_TYPE_ENTRY_ROW, "Type Any Part of the Category");
  gtk_editable_set_text (GTK_EDITABLE (entry), "car");
  g_signal_emit_by_name (entry, "entry-activated");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Blocked car");
  g_assert_nonnull (ld_test_find_widget (GTK_WIDGET (intake), GTK_TYPE_LABEL, "Divert to a platform: 114 car moving"));
  /* Nothing to tick: the matter leaves for its platform. */
  g_assert_null (ld_test_find_widget (GTK_WIDGET (intake), GTK_TYPE_CHECK_BUTTON, NULL));

  gtk_editable_set_text (GTK_EDITABLE (ld_test_find_widget (GTK_WIDGET (intake), ADW_TYPE_ENTRY_ROW, "What the Caller Reports")),
                         "car across the gate");
  g_signal_emit_by_name (ld_test_find_widget (GTK_WIDGET (intake), GTK_TYPE_BUTTON, "_Record"), "clicked");
  g_assert_nonnull (id);
  ld_test_wait_until (ld_test_engine_is_drained, desk.engine, "the diverted incident sent");

  incident = ld_store_get_incident (local, id, NULL);
  g_assert_nonnull (incident);
  g_assert_cmpstr (incident->kind, ==, "diverted");
  g_assert_cmpstr (incident->state, ==, "diverted");
  g_assert_cmpstr (incident->diverted_to, ==, "114");
  g_assert_cmpstr (incident->region_code, ==, "B");
  orders = ld_store_list_orders (local, id, NULL);
  g_assert_cmpuint (orders->len, ==, 0);

  ld_test_desk_close (&desk);
}

int
main (int argc, char *argv[])
{
  ld_test_desk_init (&argc, &argv);
  g_test_add_func ("/intake/map-category-units", test_map_category_units);
  g_test_add_func ("/intake/diverted", test_diverted);
  return g_test_run ();
}
