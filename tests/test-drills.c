/* test-drills.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <signal.h>

#include "ld-drill-plan-window.h"
#include "ld-drill-report.h"
#include "ld-drills-page.h"
#include "ld-map-view.h"
#include "ld-test-city.h"
#include "ld-test-desk.h"
#include "ld-test-server.h"

/* A drill run as an inspector runs it, against the real server: planned in
 * the plan window (the place clicked on the map, the units the
 * responsibility list proposes for the scenario's kind, one more found by
 * typing), the alarm raised, two units tapped in, one time corrected with
 * a reason, the result read and exported, and all of it on the server. */

static void
build_city (LdStore *city)
{
  g_autoptr(GError) error = NULL;
  LdUnit fire = { "FIRE-A", "Brigade A", 1, "fire", "A", NULL, NAN, NAN, FALSE, { 0, } };

  g_assert_true (ld_store_put_unit (city, &fire, &error));
  g_assert_no_error (error);
}

static GtkWidget *
find_by_tooltip (GtkWidget *root, const char *tooltip)
{
  if (g_strcmp0 (gtk_widget_get_tooltip_text (root), tooltip) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_tooltip (child, tooltip);

      if (found)
        return found;
    }
  return NULL;
}

static void
click (GtkWidget *root, const char *label)
{
  GtkWidget *button = ld_test_find_widget (root, GTK_TYPE_BUTTON, label);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

/* The big button of a unit, found by the name it shows. */
static GtkWidget *
unit_button (GtkWidget *page, const char *name)
{
  GtkWidget *label = ld_test_find_widget (page, GTK_TYPE_LABEL, name);

  g_assert_nonnull (label);
  return gtk_widget_get_ancestor (label, GTK_TYPE_BUTTON);
}

/* The second label of a unit's button: its arrival. */
static const char *
unit_status (GtkWidget *page, const char *name)
{
  GtkWidget *box = gtk_button_get_child (GTK_BUTTON (unit_button (page, name)));

  return gtk_label_get_label (GTK_LABEL (gtk_widget_get_next_sibling (gtk_widget_get_first_child (box))));
}

static LdDrillPlanWindow *
find_plan_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (LD_IS_DRILL_PLAN_WINDOW (window))
        return LD_DRILL_PLAN_WINDOW (window);
    }
  return NULL;
}

static const LdDrillUnit *
find_unit (GPtrArray *units, const char *code)
{
  for (guint i = 0; i < units->len; i++)
    if (g_str_equal (((LdDrillUnit *) g_ptr_array_index (units, i))->unit_code, code))
      return g_ptr_array_index (units, i);
  return NULL;
}

static gboolean
drill_on_server (gpointer data)
{
  const char *db = data;
  g_autoptr(LdStore) server = ld_store_open (db, NULL);
  LdPeriod all = { G_MININT64, G_MAXINT64 };
  g_autoptr(GPtrArray) drills = server ? ld_store_list_drills (server, &all, NULL) : NULL;
  g_autoptr(GPtrArray) units = drills && drills->len == 1
    ? ld_store_list_drill_units (server, ((LdDrill *) g_ptr_array_index (drills, 0))->id, NULL) : NULL;
  const LdDrillUnit *police = units ? find_unit (units, "POL") : NULL;

  return police && police->corrected;
}

static void
test_run_drill (void)
{
  LdTestDesk desk = { NULL, };
  GtkWidget *window, *page, *plan, *w;
  LdStore *local;
  LdPeriod all = { G_MININT64, G_MAXINT64 };
  g_autoptr(GPtrArray) drills = NULL;
  g_autoptr(GPtrArray) units = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *csv = NULL;
  const LdDrill *drill;
  const LdDrillUnit *fire, *police;
  gint64 alarm_at;

  ld_test_desk_open (&desk, "i1", "inspector", build_city);
  local = ld_sync_engine_get_store (desk.engine);
  page = g_object_new (LD_TYPE_DRILLS_PAGE, NULL);
  ld_drills_page_set_engine (LD_DRILLS_PAGE (page), desk.engine, ld_store_get_time_zone (local));
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));

  /* (a) The plan: the place on the map decides the region; a fire
   * proposes A's brigade and the city police; the market is added by
   * typing; the police get 1 min instead of the default 20. */
  click (page, "_New Drill");
  plan = GTK_WIDGET (find_plan_window ());
  g_assert_nonnull (plan);
  g_signal_emit_by_name (ld_test_find_widget (plan, LD_TYPE_MAP_VIEW, NULL), "location-clicked", 30.25, 120.75);
  w = ld_test_find_widget (plan, ADW_TYPE_COMBO_ROW, "Region");
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (ADW_COMBO_ROW (w))), ==, "District A");
  gtk_editable_set_text (GTK_EDITABLE (ld_test_find_widget (plan, ADW_TYPE_ENTRY_ROW, "Place")), "Tunnel south exit");
  gtk_editable_set_text (GTK_EDITABLE (ld_test_find_widget (plan, ADW_TYPE_ENTRY_ROW, "Scenario")), "Tanker crash in the tunnel");
  /* The kind found by typing part of it, taken with Enter. */
  w = ld_test_find_widget (plan, ADW_TYPE_ENTRY_ROW, "Kind of Incident: Type Any Part of It");
  gtk_editable_set_text (GTK_EDITABLE (w), "ir");
  g_signal_emit_by_name (w, "entry-activated");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (w)), ==, "Fire");
  g_assert_nonnull (ld_test_find_widget (plan, ADW_TYPE_ACTION_ROW, "Brigade A"));
  g_assert_nonnull (ld_test_find_widget (plan, ADW_TYPE_ACTION_ROW, "City police"));
  w = ld_test_find_widget (plan, ADW_TYPE_ENTRY_ROW, "Add a Unit: Type Any Part of Its Name");
  gtk_editable_set_text (GTK_EDITABLE (w), "Market");
  g_signal_emit_by_name (w, "entry-activated");
  g_assert_nonnull (ld_test_find_widget (plan, ADW_TYPE_ACTION_ROW, "Market regulation"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ld_test_find_widget (ld_test_find_widget (plan, ADW_TYPE_ACTION_ROW, "City police"),
                                                                   GTK_TYPE_SPIN_BUTTON, NULL)), 1);
  click (plan, "_Plan");

  drills = ld_store_list_drills (local, &all, NULL);
  g_assert_cmpuint (drills->len, ==, 1);
  drill = g_ptr_array_index (drills, 0);
  g_assert_cmpstr (drill->region_code, ==, "A");
  g_assert_cmpstr (drill->scenario, ==, "Tanker crash in the tunnel");
  g_assert_cmpfloat_with_epsilon (drill->lat, 30.25, 1e-9);
  units = ld_store_list_drill_units (local, drill->id, NULL);
  g_assert_cmpuint (units->len, ==, 3);
  g_assert_cmpint (find_unit (units, "POL")->limit_s, ==, 60);
  g_assert_cmpint (find_unit (units, "FIRE-A")->limit_s, ==, 1200);
  g_assert_nonnull (find_unit (units, "MKT"));
  g_clear_pointer (&units, g_ptr_array_unref);

  /* The plan shows the drill, listed with no one late yet but the alarm
   * not raised: units cannot be tapped in. */
  w = ld_test_find_widget (page, ADW_TYPE_ACTION_ROW, "Tanker crash in the tunnel");
  g_assert_nonnull (w);
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (ADW_ACTION_ROW (w)), "District A · alarm not raised"));
  g_assert_false (gtk_widget_get_sensitive (unit_button (page, "Brigade A")));

  /* (b) The alarm, then two units in at a tap each. */
  click (page, "Raise _Alarm");
  g_assert_true (gtk_widget_get_sensitive (unit_button (page, "Brigade A")));
  g_signal_emit_by_name (unit_button (page, "Brigade A"), "clicked");
  g_signal_emit_by_name (unit_button (page, "City police"), "clicked");
  units = ld_store_list_drill_units (local, drill->id, NULL);
  fire = find_unit (units, "FIRE-A");
  police = find_unit (units, "POL");
  alarm_at = fire->alarm_at;
  g_assert_cmpint (alarm_at, !=, LD_TIME_NONE);
  g_assert_cmpint (fire->arrived_at, >=, alarm_at);
  g_assert_cmpint (police->arrived_at, >=, alarm_at);
  g_assert_cmpint (find_unit (units, "MKT")->arrived_at, ==, LD_TIME_NONE);
  {
    g_autofree char *expected = ld_duration_format ((fire->arrived_at - alarm_at) / LD_USEC_PER_S);

    g_assert_cmpstr (unit_status (page, "Brigade A"), ==, expected);
  }
  g_assert_cmpstr (unit_status (page, "Market regulation"), ==, "Tap on arrival");
  g_assert_true (gtk_widget_has_css_class (unit_button (page, "City police"), "drill-unit-on-time"));
  g_assert_true (gtk_widget_has_css_class (unit_button (page, "Brigade A"), "drill-unit-on-time"));
  g_clear_pointer (&units, g_ptr_array_unref);

  /* (c) The police were tapped in late: they came 2 min after the alarm,
   * over their 1 min. A correction needs a reason: without one nothing
   * changes. (The drill runs now: a time much later would lie in the
   * future, which the replica refuses.) */
  {
    GtkWidget *overlay = gtk_widget_get_parent (unit_button (page, "City police"));
    GtkWidget *more = ld_test_find_widget (overlay, GTK_TYPE_MENU_BUTTON, NULL);
    GtkWidget *popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (more)));
    GtkWidget *time_entry = ld_test_find_widget (popover, GTK_TYPE_ENTRY, NULL);
    GtkWidget *reason_entry = gtk_widget_get_next_sibling (time_entry);

    g_assert_true (GTK_IS_ENTRY (reason_entry));
    gtk_editable_set_text (GTK_EDITABLE (time_entry), "02:00");
    click (popover, "C_orrect the Time");
    w = ld_test_find_widget (popover, GTK_TYPE_LABEL, "Say why the time is corrected");
    g_assert_nonnull (w);
    g_assert_true (gtk_widget_get_visible (w));
    units = ld_store_list_drill_units (local, drill->id, NULL);
    g_assert_false (find_unit (units, "POL")->corrected);
    g_clear_pointer (&units, g_ptr_array_unref);

    /* A time still to come is refused, and said in words. */
    {
      g_autofree char *when = ld_time_format (alarm_at + 30 * 60 * LD_USEC_PER_S, ld_store_get_time_zone (local));
      g_autofree char *said = g_strdup_printf ("The corrected arrival, %s, is still to come: "
                                               "a correction says when the unit arrived", when);
      LdTestShown shown = { page, said };

      gtk_editable_set_text (GTK_EDITABLE (time_entry), "30:00");
      gtk_editable_set_text (GTK_EDITABLE (reason_entry), "the patrol came later");
      click (popover, "C_orrect the Time");
      ld_test_wait_until (ld_test_is_shown, &shown, "the refusal of a time to come");
      units = ld_store_list_drill_units (local, drill->id, NULL);
      g_assert_false (find_unit (units, "POL")->corrected);
      g_clear_pointer (&units, g_ptr_array_unref);
    }

    gtk_editable_set_text (GTK_EDITABLE (time_entry), "02:00");
    gtk_editable_set_text (GTK_EDITABLE (reason_entry), "tapped late: the patrol came at 2 min");
    click (popover, "C_orrect the Time");
  }
  units = ld_store_list_drill_units (local, drill->id, NULL);
  police = find_unit (units, "POL");
  g_assert_true (police->corrected);
  g_assert_cmpint (police->arrived_at - alarm_at, ==, G_GINT64_CONSTANT (120) * LD_USEC_PER_S);

  /* (d) The result: the police over their 1 min, the brigade within 20;
   * the corrected time says so, and why, on the tile and in the results. */
  g_assert_cmpstr (unit_status (page, "City police"), ==, "2 min");
  g_assert_true (gtk_widget_has_css_class (unit_button (page, "City police"), "drill-unit-late"));
  g_assert_nonnull (ld_test_find_widget (unit_button (page, "City police"), GTK_TYPE_LABEL,
                                         "Corrected: tapped late: the patrol came at 2 min"));
  w = ld_test_find_widget (page, ADW_TYPE_ACTION_ROW, "City police");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (w)),
                            "Corrected: tapped late: the patrol came at 2 min"));
  w = ld_test_find_widget (ld_test_find_widget (page, ADW_TYPE_ACTION_ROW, "City police"), GTK_TYPE_LABEL, "2 min");
  g_assert_nonnull (w);
  g_assert_true (gtk_widget_has_css_class (w, "drill-late"));
  w = ld_test_find_widget (page, ADW_TYPE_ACTION_ROW, "Brigade A");
  g_assert_nonnull (w);
  w = ld_test_find_widget (w, GTK_TYPE_LABEL, unit_status (page, "Brigade A"));
  g_assert_nonnull (w);
  g_assert_true (gtk_widget_has_css_class (w, "drill-on-time"));
  /* The market is on its way, within its 20 min: not late yet. */
  g_assert_nonnull (ld_test_find_widget (page, GTK_TYPE_LABEL, "Results: 1 unit not on time"));
  w = ld_test_find_widget (ld_test_find_widget (page, ADW_TYPE_ACTION_ROW, "Market regulation"), GTK_TYPE_LABEL,
                           "on the way");
  g_assert_nonnull (w);
  g_assert_true (gtk_widget_has_css_class (w, "drill-on-time"));
  w = ld_test_find_widget (page, ADW_TYPE_ACTION_ROW, "Tanker crash in the tunnel");
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (ADW_ACTION_ROW (w)), "District A · 1 late"));

  /* The alarm was raised a minute late: corrected, with a reason, as a
   * clock time. Without a reason nothing changes. */
  {
    GtkWidget *menu = find_by_tooltip (page, "Correct the alarm time");
    GtkWidget *popover, *time_entry, *reason_entry;
    g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc ((alarm_at - 60 * LD_USEC_PER_S) / LD_USEC_PER_S);
    g_autoptr(GDateTime) local_time = g_date_time_to_timezone (utc, ld_store_get_time_zone (local));
    g_autofree char *earlier = g_date_time_format (local_time, "%H:%M:%S");

    g_assert_nonnull (menu);
    g_assert_true (gtk_widget_get_visible (menu));
    popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu)));
    time_entry = ld_test_find_widget (popover, GTK_TYPE_ENTRY, NULL);
    reason_entry = gtk_widget_get_next_sibling (time_entry);
    gtk_editable_set_text (GTK_EDITABLE (time_entry), earlier);
    click (popover, "C_orrect the Alarm");
    g_assert_true (gtk_widget_get_visible (ld_test_find_widget (popover, GTK_TYPE_LABEL, "Say why the time is corrected")));
    units = ld_store_list_drill_units (local, drill->id, NULL);
    g_assert_cmpint (find_unit (units, "FIRE-A")->alarm_at, ==, alarm_at);
    g_clear_pointer (&units, g_ptr_array_unref);
    gtk_editable_set_text (GTK_EDITABLE (reason_entry), "the alarm was logged a minute late");
    click (popover, "C_orrect the Alarm");
    units = ld_store_list_drill_units (local, drill->id, NULL);
    /* To the second, as it was written. */
    for (guint i = 0; i < units->len; i++)
      g_assert_cmpint (((LdDrillUnit *) g_ptr_array_index (units, i))->alarm_at, ==,
                       (alarm_at / LD_USEC_PER_S - 60) * LD_USEC_PER_S);
    g_clear_pointer (&units, g_ptr_array_unref);
  }

  /* (e) A note on the drill. */
  w = ld_test_find_widget (page, ADW_TYPE_ENTRY_ROW, "Add a Note on the Drill");
  gtk_editable_set_text (GTK_EDITABLE (w), "Market regulation did not answer the phone");
  g_signal_emit_by_name (w, "entry-activated");
  g_assert_nonnull (ld_test_find_widget (page, ADW_TYPE_ACTION_ROW, "Market regulation did not answer the phone"));

  /* (e') A photo of the police at the scene: a 2400×1800 PNG from a
   * camera becomes a JPEG of 1600 px a side, shown under the notes. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GdkPixbuf) camera = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 2400, 1800);
    g_autofree char *photo_path = g_build_filename (desk.dir, "scene.png", NULL);
    g_autoptr(GPtrArray) photos = NULL;
    g_autoptr(GdkPixbuf) stored = NULL;
    g_autoptr(GInputStream) stream = NULL;
    const LdDrillPhoto *photo;

    gdk_pixbuf_fill (camera, 0x3366ccff);
    g_assert_true (gdk_pixbuf_save (camera, photo_path, "png", &error, NULL));
    g_assert_true (gtk_widget_get_visible (ld_test_find_widget (page, GTK_TYPE_LABEL, "No photos yet.")));
    g_assert_true (ld_drills_page_add_photo (LD_DRILLS_PAGE (page), photo_path, "POL", &error));
    g_assert_no_error (error);
    photos = ld_store_list_drill_photos (local, drill->id, NULL);
    g_assert_cmpuint (photos->len, ==, 1);
    photo = g_ptr_array_index (photos, 0);
    g_assert_cmpstr (photo->unit_code, ==, "POL");
    g_assert_cmpstr (photo->mime, ==, "image/jpeg");
    stream = g_memory_input_stream_new_from_bytes (photo->data);
    stored = gdk_pixbuf_new_from_stream (stream, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (gdk_pixbuf_get_width (stored), ==, 1600);
    g_assert_cmpint (gdk_pixbuf_get_height (stored), ==, 1200);
    g_assert_false (gtk_widget_get_visible (ld_test_find_widget (page, GTK_TYPE_LABEL, "No photos yet.")));
    g_assert_nonnull (ld_test_find_widget (page, GTK_TYPE_PICTURE, NULL));
    /* Not an image: refused with a reason, nothing kept. */
    {
      g_autofree char *text_path = g_build_filename (desk.dir, "notes.txt", NULL);
      g_autoptr(GPtrArray) after = NULL;

      g_assert_true (g_file_set_contents (text_path, "not a photo", -1, NULL));
      g_assert_false (ld_drills_page_add_photo (LD_DRILLS_PAGE (page), text_path, NULL, &error));
      g_assert_nonnull (error);
      after = ld_store_list_drill_photos (local, drill->id, NULL);
      g_assert_cmpuint (after->len, ==, 1);
    }
  }

  /* (f) The export Excel reads. */
  csv_path = g_build_filename (desk.dir, "drill.csv", NULL);
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (ld_drills_page_export_drill (LD_DRILLS_PAGE (page), csv_path, &error));
    g_assert_no_error (error);
  }
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBF"));
  g_assert_nonnull (strstr (csv, "Brigade A"));
  g_clear_pointer (&csv, g_free);
  /* The month's table, the drill a row under its region. */
  click (page, "_Month's Table");
  g_assert_nonnull (ld_test_find_widget (page, GTK_TYPE_LABEL, "District A"));
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (ld_drills_page_export_month (LD_DRILLS_PAGE (page), csv_path, &error));
    g_assert_no_error (error);
  }
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBF"));
  g_assert_nonnull (strstr (csv, "District A"));

  /* (g) All of it on the server, the photo too. */
  ld_test_wait_until (ld_test_engine_is_drained, desk.engine, "the drill sent");
  g_assert_true (drill_on_server (desk.db));
  {
    g_autoptr(LdStore) server = ld_store_open (desk.db, NULL);
    g_autoptr(GPtrArray) photos = ld_store_list_drill_photos (server, drill->id, NULL);

    g_assert_cmpuint (photos->len, ==, 1);
    g_assert_cmpstr (((LdDrillPhoto *) g_ptr_array_index (photos, 0))->author, ==, "i1");
  }

  gtk_window_destroy (GTK_WINDOW (window));
  ld_test_desk_close (&desk);
}

int
main (int argc, char *argv[])
{
  ld_test_desk_init (&argc, &argv);
  g_test_add_func ("/drills/run", test_run_drill);
  return g_test_run ();
}
