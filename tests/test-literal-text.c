/* test-literal-text.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What people type is shown as they typed it. Text that reads like Pango
 * markup — a broken tag and a bare ampersand, which a markup label refuses
 * with a warning and draws as nothing, and a long line of well-formed tags,
 * which it would draw bold and swallow — goes into every field a person
 * fills in, and every page that shows the field is opened on an
 * administrator's desk against a real server. The test runs with warnings
 * fatal (G_DEBUG=fatal-warnings), so a refused markup fails it, and reads
 * the text back from the labels on screen.
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "ld-bulletin-page.h"
#include "ld-dashboard-page.h"
#include "ld-dispatch-page.h"
#include "ld-drills-page.h"
#include "ld-intake-window.h"
#include "ld-late-panel.h"
#include "ld-map-view.h"
#include "ld-test-city.h"
#include "ld-test-desk.h"
#include "ld-test-server.h"
#include "ld-window.h"

/* Refused as markup: an unclosed tag and a bare ampersand. */
#define BROKEN "<b>bold</b> & <i"
/* Within a phone number's 32 bytes. */
#define BROKEN_PHONE "<b>1</b> & <i"
#define LONG_CHARS 5000

static const LdActor actor = { "test", NULL };

/* 5,000 characters of well-formed markup: drawn bold and stripped of its
 * tags if it were read as markup. */
static char *
long_line (void)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint i = 0; i < LONG_CHARS / 8; i++)
    g_string_append (line, "<b>街</b>");
  g_assert_cmpuint (g_utf8_strlen (line->str, -1), ==, LONG_CHARS);
  return g_string_free (g_steal_pointer (&line), FALSE);
}

typedef struct {
  char *late;       /* summary BROKEN, address the long line: its order is late */
  char *returned;   /* summary the long line, address BROKEN: its order returned with a BROKEN reason */
  char *drill;
} City;

static City city;

static char *
add_incident (LdStore *store, const char *summary, const char *address, const char *phone, const char *region,
              gint64 at)
{
  g_autoptr(GError) error = NULL;
  LdIncident inc = { 0, };
  char *id;

  inc.received_at = at;
  inc.source = "110";
  inc.kind = "linkage";
  inc.summary = (char *) summary;
  inc.address = (char *) address;
  inc.caller_phone = (char *) phone;
  inc.region_code = (char *) region;
  inc.lat = 30.5;
  inc.lon = g_str_equal (region, "A") ? 120.4 : 121.4;
  id = ld_store_add_incident (store, &inc, &actor, &error);
  g_assert_no_error (error);
  return id;
}

static GBytes *
tiny_png (void)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 16, 16);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0x3366ccff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &data, &size, "png", &error, NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (data, size);
}

/* The market regulator and district B renamed, two incidents with their
 * orders, and a drill under way with a note and a photo, every typed field
 * markup-like. */
static void
build_city (LdStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = long_line ();
  gint64 now = ld_time_now ();
  LdUnit market = { "MKT", BROKEN, 2, "market", "A", "0573-12345", 30.5, 120.5, FALSE, { 0, } };
  LdRegion district = { "B", BROKEN, "C" };
  g_autofree char *late_order = NULL;
  g_autofree char *returned_order = NULL;
  g_autofree char *feedback = NULL;

  g_assert_true (ld_store_put_unit (store, &market, &error));
  g_assert_true (ld_store_put_region (store, &district, NULL, &error));

  /* Two hours and more without a signature: late. */
  city.late = add_incident (store, BROKEN, line, BROKEN_PHONE, "A", now - 3 * 3600 * LD_USEC_PER_S);
  late_order = ld_store_dispatch (store, NULL, city.late, "MKT", now - 3 * 3600 * LD_USEC_PER_S + 60 * LD_USEC_PER_S,
                                  &actor, &error);
  g_assert_no_error (error);

  city.returned = add_incident (store, line, BROKEN, NULL, "B", now - 3600 * LD_USEC_PER_S);
  returned_order = ld_store_dispatch (store, NULL, city.returned, "TOWN", now - 3500 * LD_USEC_PER_S, &actor,
                                      &error);
  g_assert_true (ld_store_sign_order (store, returned_order, now - 3400 * LD_USEC_PER_S, &actor, &error));
  feedback = ld_store_add_feedback (store, NULL, returned_order, now - 3300 * LD_USEC_PER_S, "progress", BROKEN,
                                    &actor, &error);
  g_assert_true (ld_store_return_order (store, returned_order, now - 3200 * LD_USEC_PER_S, BROKEN, NULL, "not in our remit", &actor, &error));
  g_assert_no_error (error);

  {
    LdDrill drill = { NULL, now - 1800 * LD_USEC_PER_S, "A", line, BROKEN, 30.6, 120.6 };
    LdDrillUnit market_unit = { NULL, "MKT", drill.held_at, LD_TIME_NONE, 1200, BROKEN, FALSE };
    LdDrillUnit police = { NULL, "POL", drill.held_at, drill.held_at + 600 * LD_USEC_PER_S, 1200, NULL, FALSE };
    LdDrillNote note = { NULL, NULL, NULL, now - 600 * LD_USEC_PER_S, NULL, BROKEN };
    g_autoptr(GBytes) png = tiny_png ();
    LdDrillPhoto photo = { NULL, NULL, "POL", now - 500 * LD_USEC_PER_S, NULL, BROKEN, "image/png", png };
    g_autofree char *note_id = NULL;
    g_autofree char *photo_id = NULL;

    city.drill = ld_store_add_drill (store, &drill, &actor, &error);
    g_assert_no_error (error);
    market_unit.drill_id = police.drill_id = note.drill_id = photo.drill_id = city.drill;
    g_assert_true (ld_store_put_drill_unit (store, &market_unit, &actor, &error));
    g_assert_true (ld_store_put_drill_unit (store, &police, &actor, &error));
    note_id = ld_store_add_drill_note (store, &note, &actor, &error);
    g_assert_no_error (error);
    photo_id = ld_store_add_drill_photo (store, &photo, &actor, &error);
    g_assert_no_error (error);
  }
}

/* How many labels under @root read @text, as drawn (markup parsed). */
static guint
count_shown (GtkWidget *root, const char *text)
{
  guint n = GTK_IS_LABEL (root) && g_str_equal (gtk_label_get_text (GTK_LABEL (root)), text);

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    n += count_shown (child, text);
  return n;
}

/* Whether a label under @root reads @text (as drawn: markup parsed), whole
 * or as part of a longer line. */
static gboolean
shows (GtkWidget *root, const char *text)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), text))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    if (shows (child, text))
      return TRUE;
  return FALSE;
}

static void
assert_shows (GtkWidget *root, const char *text, const char *where)
{
  if (!shows (root, text))
    g_error ("%s does not show “%.60s%s” as typed", where, text, strlen (text) > 60 ? "…" : "");
}

static GtkWidget *
find_type (GtkWidget *root, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);
      if (found)
        return found;
    }
  return NULL;
}

/* Lets the desk draw what it was asked to show. */
static void
settle (void)
{
  gint64 until = g_get_monotonic_time () + 300 * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

typedef struct {
  GtkWidget  *root;
  const char *text;
} Shown;

static gboolean
is_shown (gpointer data)
{
  Shown *s = data;
  return shows (s->root, s->text);
}

static void
wait_shown (GtkWidget *root, const char *text, const char *where)
{
  Shown s = { root, text };

  ld_test_wait_until (is_shown, &s, where);
}

static gboolean
has_pages (gpointer bulletin)
{
  return ld_bulletin_page_get_n_pages (bulletin) > 0;
}

static void
test_typed_text_shown_as_typed (void)
{
  LdTestDesk desk = { NULL, };
  g_autoptr(GSettings) settings = g_settings_new ("cn.liandong.Liandong");
  g_autofree char *line = long_line ();
  GtkWidget *window, *dispatch, *late, *drills, *dashboard, *bulletin;

  g_assert_cmpstr (g_getenv ("G_DEBUG"), ==, "fatal-warnings");

  ld_test_desk_open (&desk, "chief", "admin", build_city);
  window = GTK_WIDGET (ld_window_new (NULL, settings, desk.engine));
  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  gtk_window_present (GTK_WINDOW (window));
  ld_test_wait_until (ld_test_engine_is_drained, desk.engine, "the link");

  /* The board and the incident pane: summary, address, caller; the
   * order's unit; the return's reason. */
  dispatch = ld_window_get_dispatch_page (LD_WINDOW (window));
  gtk_widget_activate_action (window, "workspace.show", "s", "dispatch");
  wait_shown (dispatch, BROKEN, "the board");
  ld_dispatch_page_select (LD_DISPATCH_PAGE (dispatch), city.late);
  settle ();
  assert_shows (dispatch, line, "the incident pane's address");
  assert_shows (dispatch, BROKEN_PHONE, "the incident pane's caller");
  assert_shows (dispatch, BROKEN " · ", "the order's unit");
  ld_dispatch_page_select (LD_DISPATCH_PAGE (dispatch), city.returned);
  settle ();
  assert_shows (dispatch, line, "the incident pane's summary");
  assert_shows (dispatch, ": " BROKEN, "the return's reason");

  /* A toast that names the unit: it has the incident already. */
  {
    const char *incidents[] = { city.late, NULL };
    const char *units[] = { "MKT", NULL };

    ld_dispatch_page_request_dispatch (LD_DISPATCH_PAGE (dispatch), incidents, units);
    wait_shown (window, BROKEN " already has this incident.", "the toast");
  }

  /* The late list: the unit and the incident's summary. */
  late = find_type (dispatch, LD_TYPE_LATE_PANEL);
  g_assert_nonnull (late);
  gtk_widget_activate_action (dispatch, "dispatch.show-late", NULL);
  wait_shown (late, BROKEN, "the late list");
  settle ();

  /* The drill: its scenario and place, the late unit, the note. */
  drills = find_type (window, LD_TYPE_DRILLS_PAGE);
  gtk_widget_activate_action (window, "workspace.show-drill", "s", city.drill);
  wait_shown (drills, line, "the drill's place");
  settle ();
  /* The drill's title and its row in the list, the note, the late unit's
   * tile and its line in the results. */
  g_assert_cmpuint (count_shown (drills, BROKEN), >=, 5);

  /* The dashboard: the region, the unit ranked, the drill; and the lists
   * behind its figures. */
  dashboard = find_type (window, LD_TYPE_DASHBOARD_PAGE);
  gtk_widget_activate_action (window, "workspace.show", "s", "dashboard");
  ld_dashboard_page_refresh (LD_DASHBOARD_PAGE (dashboard));
  settle ();
  assert_shows (dashboard, BROKEN, "the dashboard's regions, units and drills");
  {
    /* Incidents by their summaries; the orders with their units too. */
    const char *tiles[] = { "handled", "dispatched", "sign-rate" };

    for (guint i = 0; i < G_N_ELEMENTS (tiles); i++)
      {
        GtkWindow *figure = ld_dashboard_page_open_tile (LD_DASHBOARD_PAGE (dashboard), tiles[i]);

        settle ();
        assert_shows (GTK_WIDGET (figure), BROKEN, tiles[i]);
        if (i < 2)
          assert_shows (GTK_WIDGET (figure), line, tiles[i]);
        if (i > 0)
          assert_shows (GTK_WIDGET (figure), " · " BROKEN " · ", tiles[i]);
        gtk_window_destroy (figure);
      }
  }

  /* The bulletin lays out the month's cases: its words do not break it. */
  bulletin = find_type (window, LD_TYPE_BULLETIN_PAGE);
  gtk_widget_activate_action (window, "workspace.show", "s", "bulletin");
  ld_test_wait_until (has_pages, bulletin, "the bulletin's pages");
  settle ();

  /* Intake: a caller's earlier words, the place's region and the open
   * incident near it. */
  {
    LdIntakeWindow *intake = ld_intake_window_new (GTK_WINDOW (window), desk.engine, NULL, LD_DATUM_WGS84);
    GtkWidget *phone = ld_test_find_widget (GTK_WIDGET (intake), ADW_TYPE_ENTRY_ROW, "Caller's Phone");

    gtk_window_present (GTK_WINDOW (intake));
    g_assert_nonnull (phone);
    gtk_editable_set_text (GTK_EDITABLE (phone), BROKEN_PHONE);
    wait_shown (GTK_WIDGET (intake), BROKEN, "the repeat caller's earlier call");
    g_signal_emit_by_name (ld_test_find_widget (GTK_WIDGET (intake), LD_TYPE_MAP_VIEW, NULL), "location-clicked",
                           30.5, 121.4);
    settle ();
    assert_shows (GTK_WIDGET (intake), "Jurisdiction: " BROKEN, "the jurisdiction");
    assert_shows (GTK_WIDGET (intake), line, "the incident nearby");
    gtk_window_destroy (GTK_WINDOW (intake));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  ld_test_desk_close (&desk);
  g_free (city.late);
  g_free (city.returned);
  g_free (city.drill);
}

int
main (int argc, char *argv[])
{
  ld_test_desk_init (&argc, &argv);

  g_test_add_func ("/literal-text/typed-text-shown-as-typed", test_typed_text_shown_as_typed);

  return g_test_run ();
}
