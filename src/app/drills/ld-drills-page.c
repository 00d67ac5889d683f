/* ld-drills-page.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ld-drill-plan-window.h"
#include "ld-drill-report.h"
#include "ld-drills-page.h"
#include "ld-window.h"

struct _LdDrillsPage
{
  GtkWidget     parent_instance;

  AdwToastOverlay *toasts;
  GtkButton    *new_button;
  GtkListBox   *drill_list;
  GtkStack     *content;
  GtkLabel     *drill_title;
  GtkLabel     *drill_subtitle;
  GtkButton    *alarm_button;
  GtkLabel     *clock_label;
  GtkLabel     *alarm_label;
  GtkWidget    *alarm_menu;   /* correct the alarm time, with a reason */
  GtkLabel     *units_caption;
  GtkFlowBox   *unit_box;
  GtkLabel     *result_label;
  GtkListBox   *result_list;
  GtkListBox   *note_list;
  AdwEntryRow  *note_row;
  GtkWidget    *photo_button;
  GtkWidget    *photo_empty;
  GtkFlowBox   *photo_box;
  char         *photo_key;     /* the photos shown, by id: a tap on the drill leaves them be */
  GtkLabel     *month_title;
  GtkLabel     *month_empty;
  GtkGrid      *month_grid;

  LdSyncEngine *engine;
  GTimeZone    *tz;
  gboolean      can_run;       /* inspector or admin: the others read */
  char         *drill_id;      /* the drill shown, or NULL */
  gint64        alarm_at;      /* its alarm, LD_TIME_NONE before it */
  gint64        last_arrival;  /* when every unit is in: the clock stops there */
  gboolean      over;          /* long past its alarm: no one arrives any more */
  guint         clock_source;
  int           year, month;   /* the month's table shown */
};

G_DEFINE_FINAL_TYPE (LdDrillsPage, ld_drills_page, GTK_TYPE_WIDGET)

static LdStore *
get_store (LdDrillsPage *self)
{
  return ld_replica_get_store (ld_sync_engine_get_replica (self->engine));
}

static void
toast (LdDrillsPage *self, const char *text)
{
  /* A toast's title is markup; a refusal may quote what someone typed. */
  g_autofree char *title = g_markup_escape_text (text, -1);
  AdwToast *t = adw_toast_new (title);

  adw_toast_set_timeout (t, 6);
  adw_toast_overlay_add_toast (self->toasts, t);
}

static void
clear_box (GtkWidget *box, GtkWidget *keep)
{
  GtkWidget *child = gtk_widget_get_first_child (box);

  while (child)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      if (child != keep && !(keep && gtk_widget_is_ancestor (keep, child)))
        {
          if (GTK_IS_LIST_BOX (box))
            gtk_list_box_remove (GTK_LIST_BOX (box), child);
          else if (GTK_IS_FLOW_BOX (box))
            gtk_flow_box_remove (GTK_FLOW_BOX (box), child);
          else
            gtk_grid_remove (GTK_GRID (box), child);
        }
      child = next;
    }
}

static JsonObject *
new_operation (GTimeZone *tz, const char *entity, const char *drill_id, const char *action, gint64 at)
{
  JsonObject *op = json_object_new ();

  json_object_set_string_member (op, "entity", entity);
  json_object_set_string_member (op, "entity_id", drill_id);
  json_object_set_string_member (op, "action", action);
  json_object_set_object_member (op, "fields", json_object_new ());
  if (at != LD_TIME_NONE)
    {
      g_autofree char *text = ld_time_format_iso (at, tz);

      json_object_set_string_member (op, "at", text);
    }
  return op;
}

static gboolean
submit (LdDrillsPage *self, JsonObject *op, GError **error)
{
  return ld_sync_engine_submit (self->engine, op, error);
}

/* "18:25" or, past an hour, "1:02:03": a clock read at arm's length. */
static char *
clock_text (gint64 seconds)
{
  seconds = MAX (seconds, 0);
  if (seconds >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", (int) (seconds / 3600), (int) (seconds / 60 % 60), (int) (seconds % 60));
  return g_strdup_printf ("%02d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

static gboolean
tick (gpointer data)
{
  LdDrillsPage *self = data;
  gint64 end = self->last_arrival != LD_TIME_NONE ? self->last_arrival : ld_time_now ();
  g_autofree char *text = clock_text ((end - self->alarm_at) / LD_USEC_PER_S);

  gtk_label_set_label (self->clock_label, text);
  if (self->last_arrival != LD_TIME_NONE)
    {
      self->clock_source = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
stop_clock (LdDrillsPage *self)
{
  g_clear_handle_id (&self->clock_source, g_source_remove);
}

/* A corrected time as the inspector writes it: "mm:ss" after the alarm
 * (minutes may pass 59), or the clock time "HH:MM:SS" on the alarm's day. */
static gboolean
parse_correction (LdDrillsPage *self, const char *text, gboolean after_alarm, gint64 *out)
{
  g_auto(GStrv) parts = g_strsplit (text, ":", -1);
  guint n = g_strv_length (parts);
  int v[3] = { 0, };

  if (self->alarm_at == LD_TIME_NONE || n < 2 || n > 3)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *part = g_strstrip (g_strdup (parts[i]));
      guint64 value;

      if (*part == '\0' || !g_ascii_string_to_unsigned (part, 10, 0, i == 0 ? 99999 : 59, &value, NULL))
        return FALSE;
      v[i] = (int) value;
    }
  if (n == 2)
    *out = self->alarm_at + ((gint64) v[0] * 60 + v[1]) * LD_USEC_PER_S;
  else
    {
      int y, mo, d, h, mi, s;

      if (v[0] > 23)
        return FALSE;
      ld_time_to_local (self->alarm_at, self->tz, &y, &mo, &d, &h, &mi, &s);
      *out = ld_time_from_local (self->tz, y, mo, d, v[0], v[1], v[2]);
      /* An arrival in a drill run over midnight is on the next day; the
       * alarm itself moves on its own day. */
      if (after_alarm && *out < self->alarm_at)
        *out += G_GINT64_CONSTANT (86400) * LD_USEC_PER_S;
    }
  return TRUE;
}

static void
show_popover_error (GtkWidget *popover, const char *text)
{
  GtkLabel *label = g_object_get_data (G_OBJECT (popover), "ld-error");

  gtk_label_set_label (label, text);
  gtk_widget_set_visible (GTK_WIDGET (label), TRUE);
}

/* The time and the reason a correction popover holds, or FALSE with what
 * is wrong said in it. @alarm: the alarm's own time, a clock time only. */
static gboolean
read_correction (LdDrillsPage *self, GtkWidget *popover, gboolean alarm, gint64 *at, char **reason)
{
  GtkEditable *time_entry = g_object_get_data (G_OBJECT (popover), "ld-time");
  GtkEditable *reason_entry = g_object_get_data (G_OBJECT (popover), "ld-reason");
  const char *text = gtk_editable_get_text (time_entry);
  g_autofree char *why = g_strstrip (g_strdup (gtk_editable_get_text (reason_entry)));
  g_auto(GStrv) parts = g_strsplit (text, ":", -1);

  if ((alarm && g_strv_length (parts) != 3) || !parse_correction (self, text, !alarm, at))
    {
      gtk_widget_add_css_class (GTK_WIDGET (time_entry), "error");
      show_popover_error (popover, alarm ? _("Write the alarm's time as HH:MM:SS")
                                         : _("Write the time as mm:ss after the alarm, or as HH:MM:SS"));
      return FALSE;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (time_entry), "error");
  /* A changed time is a changed result: it is never taken without why. */
  if (*why == '\0')
    {
      gtk_widget_add_css_class (GTK_WIDGET (reason_entry), "error");
      show_popover_error (popover, _("Say why the time is corrected"));
      gtk_widget_grab_focus (GTK_WIDGET (reason_entry));
      return FALSE;
    }
  *reason = g_steal_pointer (&why);
  return TRUE;
}

static void
on_correct (GtkButton *button, LdDrillsPage *self)
{
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_POPOVER);
  g_autofree char *reason = NULL;
  g_autoptr(JsonObject) op = NULL;
  g_autoptr(GError) error = NULL;
  gint64 at;

  if (!read_correction (self, popover, FALSE, &at, &reason))
    return;
  op = new_operation (self->tz, "drill_unit", self->drill_id, "correct", at);
  json_object_set_string_member (json_object_get_object_member (op, "fields"), "unit_code",
                                 g_object_get_data (G_OBJECT (popover), "ld-unit"));
  json_object_set_string_member (json_object_get_object_member (op, "fields"), "reason", reason);
  gtk_popover_popdown (GTK_POPOVER (popover));
  if (!submit (self, op, &error))
    toast (self, error->message);
}

/* The time and reason entries and the button of a correction, in @box of
 * @popover. */
static void
add_correction (LdDrillsPage *self, GtkWidget *box, GtkWidget *popover, const char *placeholder,
                const char *button_label, GCallback callback)
{
  GtkWidget *time_entry = gtk_entry_new ();
  GtkWidget *reason_entry = gtk_entry_new ();
  GtkWidget *correct = gtk_button_new_with_mnemonic (button_label);

  gtk_entry_set_placeholder_text (GTK_ENTRY (time_entry), placeholder);
  gtk_entry_set_placeholder_text (GTK_ENTRY (reason_entry), _("Why (required)"));
  gtk_widget_add_css_class (correct, "suggested-action");
  g_signal_connect (correct, "clicked", callback, self);
  g_object_set_data (G_OBJECT (popover), "ld-time", time_entry);
  g_object_set_data (G_OBJECT (popover), "ld-reason", reason_entry);
  gtk_box_append (GTK_BOX (box), time_entry);
  gtk_box_append (GTK_BOX (box), reason_entry);
  gtk_box_append (GTK_BOX (box), correct);
}

/* Where a popover says what is wrong; hidden until then. */
static void
add_error_label (GtkWidget *box, GtkWidget *popover)
{
  GtkWidget *error = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (error), TRUE);
  gtk_label_set_xalign (GTK_LABEL (error), 0);
  gtk_widget_add_css_class (error, "error");
  gtk_widget_set_visible (error, FALSE);
  g_object_set_data (G_OBJECT (popover), "ld-error", error);
  gtk_box_append (GTK_BOX (box), error);
}

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

/* The alarm moved, as the inspector's log has it: a clock time on the
 * alarm's day, and why. */
static void
on_correct_alarm (GtkButton *button, LdDrillsPage *self)
{
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_POPOVER);
  g_autofree char *reason = NULL;
  g_autoptr(JsonObject) op = NULL;
  g_autoptr(GError) error = NULL;
  gint64 at;

  if (!read_correction (self, popover, TRUE, &at, &reason))
    return;
  op = new_operation (self->tz, "drill", self->drill_id, "correct-alarm", at);
  json_object_set_string_member (json_object_get_object_member (op, "fields"), "reason", reason);
  gtk_popover_popdown (GTK_POPOVER (popover));
  if (!submit (self, op, &error))
    toast (self, error->message);
}

static GtkWidget *
alarm_menu_new (LdDrillsPage *self)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "document-edit-symbolic");
  gtk_widget_set_tooltip_text (button, _("Correct the alarm time"));
  gtk_widget_set_valign (button, GTK_ALIGN_END);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_size_request (box, 300, -1);
  gtk_box_append (GTK_BOX (box), heading (_("Correct the Alarm Time")));
  add_correction (self, box, popover, "HH:MM:SS", _("C_orrect the Alarm"), G_CALLBACK (on_correct_alarm));
  add_error_label (box, popover);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  return button;
}

static void
on_add_unit_note (GtkWidget *widget, LdDrillsPage *self)
{
  GtkWidget *popover = gtk_widget_get_ancestor (widget, GTK_TYPE_POPOVER);
  GtkEditable *note_entry = g_object_get_data (G_OBJECT (popover), "ld-note");
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (note_entry)));
  g_autoptr(JsonObject) op = NULL;
  g_autoptr(GError) error = NULL;

  if (*text == '\0')
    return;
  op = new_operation (self->tz, "drill_unit", self->drill_id, "note", LD_TIME_NONE);
  json_object_set_string_member (json_object_get_object_member (op, "fields"), "unit_code",
                                 g_object_get_data (G_OBJECT (popover), "ld-unit"));
  json_object_set_string_member (json_object_get_object_member (op, "fields"), "text", text);
  gtk_popover_popdown (GTK_POPOVER (popover));
  if (!submit (self, op, &error))
    toast (self, error->message);
}

/* The unit's earlier drills, filled when the popover opens: most tiles'
 * histories are never looked at. */
static void
on_unit_popover_show (GtkWidget *popover, LdDrillsPage *self)
{
  GtkWidget *box = g_object_get_data (G_OBJECT (popover), "ld-history");
  g_autoptr(GPtrArray) history = ld_drill_history_new (get_store (self), g_object_get_data (G_OBJECT (popover), "ld-unit"),
                                                       NULL, ld_time_now (), NULL);
  guint shown = 0;

  for (GtkWidget *child; (child = gtk_widget_get_first_child (box));)
    gtk_box_remove (GTK_BOX (box), child);
  /* Newest first, and only the last few: a popover is not a report. */
  for (guint i = history ? history->len : 0; i > 0 && shown < 6; i--)
    {
      const LdDrillHistoryEntry *e = g_ptr_array_index (history, i - 1);
      g_autofree char *when = NULL;
      g_autofree char *line = NULL;
      GtkWidget *label;

      if (g_strcmp0 (e->drill_id, self->drill_id) == 0)
        continue;
      when = ld_time_format_short (e->held_at, self->tz);
      line = g_strdup_printf ("%s · %s · %s", when, e->region_name ? e->region_name : "", e->arrival_text);
      label = gtk_label_new (line);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, e->late ? "drill-late" : "drill-on-time");
      gtk_box_append (GTK_BOX (box), label);
      shown++;
    }
  if (shown == 0)
    {
      GtkWidget *label = gtk_label_new (_("No earlier drill"));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (box), label);
    }
}


static GtkWidget *
unit_popover (LdDrillsPage *self, const LdDrillResultUnit *u, gboolean arrived)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *history = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  gtk_widget_set_size_request (box, 300, -1);
  g_object_set_data_full (G_OBJECT (popover), "ld-unit", g_strdup (u->code), g_free);
  gtk_box_append (GTK_BOX (box), heading (u->name));
  if (self->can_run && arrived)
    add_correction (self, box, popover, _("mm:ss after the alarm, or HH:MM:SS"), _("C_orrect the Time"),
                    G_CALLBACK (on_correct));
  add_error_label (box, popover);
  if (self->can_run)
    {
      GtkWidget *note_entry = gtk_entry_new ();

      gtk_entry_set_placeholder_text (GTK_ENTRY (note_entry), _("A note on this unit"));
      g_signal_connect (note_entry, "activate", G_CALLBACK (on_add_unit_note), self);
      g_object_set_data (G_OBJECT (popover), "ld-note", note_entry);
      gtk_box_append (GTK_BOX (box), note_entry);
    }
  gtk_box_append (GTK_BOX (box), heading (_("Earlier Drills")));
  g_object_set_data (G_OBJECT (popover), "ld-history", history);
  gtk_box_append (GTK_BOX (box), history);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  g_signal_connect (popover, "show", G_CALLBACK (on_unit_popover_show), self);
  return popover;
}

/* One tap when the unit's people arrive: now is the arrival. A unit in
 * already opens its popover instead: a second tap is a slip, not news. */
static void
on_unit_tapped (GtkButton *button, LdDrillsPage *self)
{
  GtkMenuButton *more = g_object_get_data (G_OBJECT (button), "ld-more");
  g_autoptr(JsonObject) op = NULL;
  g_autoptr(GError) error = NULL;

  if (g_object_get_data (G_OBJECT (button), "ld-arrived"))
    {
      gtk_menu_button_popup (more);
      return;
    }
  op = new_operation (self->tz, "drill_unit", self->drill_id, "arrive", ld_time_now ());
  json_object_set_string_member (json_object_get_object_member (op, "fields"), "unit_code",
                                 g_object_get_data (G_OBJECT (button), "ld-unit"));
  if (!submit (self, op, &error))
    toast (self, error->message);
}

static char *
correction_text (const LdDrillResultUnit *u)
{
  /* Translators: a drill unit's arrival time was corrected by hand; the reason follows */
  return g_strdup_printf (_("Corrected: %s"), u->correction);
}

static GtkWidget *
unit_tile (LdDrillsPage *self, const LdDrillResultUnit *u, gboolean arrived)
{
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *name = gtk_label_new (u->name);
  GtkWidget *status = gtk_label_new (NULL);
  GtkWidget *more = gtk_menu_button_new ();

  gtk_label_set_wrap (GTK_LABEL (name), TRUE);
  gtk_label_set_justify (GTK_LABEL (name), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (name, "drill-unit-name");
  gtk_widget_add_css_class (status, "drill-unit-time");
  if (arrived || self->over)
    gtk_label_set_label (GTK_LABEL (status), u->arrival_text);
  else if (self->alarm_at != LD_TIME_NONE)
    gtk_label_set_label (GTK_LABEL (status), _("Tap on arrival"));
  else
    gtk_label_set_label (GTK_LABEL (status), _("Waiting for the alarm"));
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), status);
  /* A time changed by hand says so, and why, where it is read. */
  if (u->correction)
    {
      g_autofree char *text = correction_text (u);
      GtkWidget *why = gtk_label_new (text);

      gtk_label_set_wrap (GTK_LABEL (why), TRUE);
      gtk_label_set_justify (GTK_LABEL (why), GTK_JUSTIFY_CENTER);
      gtk_widget_add_css_class (why, "caption");
      gtk_box_append (GTK_BOX (box), why);
    }
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  /* Room for the menu button in the corner. */
  gtk_widget_set_margin_start (box, 24);
  gtk_widget_set_margin_end (box, 24);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "drill-unit");
  if (arrived || self->over)
    gtk_widget_add_css_class (button, u->late ? "drill-unit-late" : "drill-unit-on-time");
  /* Before the alarm nobody can arrive, nor after the drill; a reader only
   * looks. A time is still corrected, with a reason, from the menu. */
  gtk_widget_set_sensitive (button, self->can_run ? self->alarm_at != LD_TIME_NONE && !self->over : arrived);
  g_object_set_data_full (G_OBJECT (button), "ld-unit", g_strdup (u->code), g_free);
  g_object_set_data (G_OBJECT (button), "ld-arrived", GINT_TO_POINTER (arrived));
  g_object_set_data (G_OBJECT (button), "ld-more", more);
  g_signal_connect (button, "clicked", G_CALLBACK (on_unit_tapped), self);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), button);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (more), "view-more-symbolic");
  gtk_widget_set_tooltip_text (more, _("Correct, Note, History"));
  gtk_widget_set_halign (more, GTK_ALIGN_END);
  gtk_widget_set_valign (more, GTK_ALIGN_START);
  gtk_widget_set_margin_top (more, 4);
  gtk_widget_set_margin_end (more, 4);
  gtk_widget_add_css_class (more, "flat");
  gtk_widget_add_css_class (more, "circular");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (more), unit_popover (self, u, arrived));
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), more);
  return overlay;
}

static void
show_results (LdDrillsPage *self, const LdDrillResult *result)
{
  g_autofree char *summary = NULL;

  clear_box (GTK_WIDGET (self->result_list), NULL);
  for (guint i = 0; i < result->units->len; i++)
    {
      const LdDrillResultUnit *u = g_ptr_array_index (result->units, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *arrival = gtk_label_new (u->arrival_text);
      /* The row reads markup: a unit's name is shown as typed. */
      g_autofree char *name = g_markup_escape_text (u->name, -1);
      g_autofree char *limit = ld_duration_format (u->limit_s);
      /* Translators: a drill unit's kind and its arrival limit, e.g. "Police · limit 20 min" */
      g_autofree char *subtitle = g_strdup_printf (_("%s · limit %s"), ld_unit_category_label (u->category), limit);
      g_autofree char *corrected = u->correction ? correction_text (u) : NULL;

      /* The subtitle is markup; the reason is the inspector's words. */
      if (corrected)
        {
          g_autofree char *plain = g_steal_pointer (&subtitle);
          subtitle = g_markup_printf_escaped ("%s · %s", plain, corrected);
        }

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_add_css_class (arrival, u->late ? "drill-late" : "drill-on-time");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrival);
      gtk_widget_set_tooltip_text (arrival, u->late ? C_("drill unit", "Not on time") : _("On time"));
      gtk_list_box_append (self->result_list, row);
    }
  summary = result->late
    ? g_strdup_printf (ngettext ("Results: %u unit not on time", "Results: %u units not on time", result->late),
                       result->late)
    : g_strdup (_("Results: every unit on time"));
  gtk_label_set_label (self->result_label, summary);
}

static void
show_notes (LdDrillsPage *self, GHashTable *unit_names)
{
  g_autoptr(GPtrArray) notes = ld_store_list_drill_notes (get_store (self), self->drill_id, NULL);

  clear_box (GTK_WIDGET (self->note_list), GTK_WIDGET (self->note_row));
  for (guint i = 0; notes && i < notes->len; i++)
    {
      const LdDrillNote *n = g_ptr_array_index (notes, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *when = ld_time_format_short (n->at, self->tz);
      const char *about = n->unit_code ? g_hash_table_lookup (unit_names, n->unit_code) : NULL;
      g_autofree char *subtitle = about ? g_strdup_printf ("%s · %s · %s", when, n->author ? n->author : "", about)
                                        : g_strdup_printf ("%s · %s", when, n->author ? n->author : "");

      /* The inspector's words, their name and the unit's, as typed. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), n->text);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_insert (self->note_list, row, i);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->note_row), self->can_run);
}

/* Photos */

/* Large enough to read a number plate across a street, small enough
 * (a few hundred kilobytes) for every desk to copy. */
#define PHOTO_MAX_SIDE 1600

static void
on_photo_clicked (GtkButton *button, LdDrillsPage *self)
{
  GBytes *data = g_object_get_data (G_OBJECT (button), "ld-data");
  const char *title = g_object_get_data (G_OBJECT (button), "ld-title");
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (data, NULL);
  GtkWidget *window, *box, *header, *picture;

  if (texture == NULL)
    return;
  window = adw_window_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (title, NULL));
  gtk_widget_set_vexpand (picture, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), picture);
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 720);
  gtk_window_present (GTK_WINDOW (window));
}

/* A thumbnail decoded small: a full photo is 7 MB of pixels. */
static GdkTexture *
thumbnail (GBytes *data)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (data);
  g_autoptr(GdkPixbuf) small = gdk_pixbuf_new_from_stream_at_scale (stream, 320, 240, TRUE, NULL, NULL);

  return small ? gdk_texture_new_for_pixbuf (small) : NULL;
}

static void
show_photos (LdDrillsPage *self, GHashTable *unit_names)
{
  g_autoptr(GPtrArray) photos = ld_store_list_drill_photos (get_store (self), self->drill_id, NULL);
  g_autoptr(GString) key = g_string_new (self->drill_id);
  guint shown = 0;

  gtk_widget_set_visible (self->photo_button, self->can_run);
  for (guint i = 0; photos && i < photos->len; i++)
    g_string_append_printf (key, " %s", ((LdDrillPhoto *) g_ptr_array_index (photos, i))->id);
  if (g_strcmp0 (key->str, self->photo_key) == 0)
    return;
  g_free (self->photo_key);
  self->photo_key = g_string_free (g_steal_pointer (&key), FALSE);

  clear_box (GTK_WIDGET (self->photo_box), NULL);
  for (guint i = 0; photos && i < photos->len; i++)
    {
      const LdDrillPhoto *photo = g_ptr_array_index (photos, i);
      g_autoptr(GdkTexture) texture = thumbnail (photo->data);
      g_autofree char *when = NULL;
      g_autofree char *title = NULL;
      const char *of;
      GtkWidget *button, *box, *picture, *label;

      /* A photo that does not decode is the server's to keep, not ours to show. */
      if (texture == NULL)
        continue;
      when = ld_time_format_short (photo->at, self->tz);
      of = photo->unit_code ? g_hash_table_lookup (unit_names, photo->unit_code) : NULL;
      /* Translators: a drill photo's caption: when it was taken, and of what */
      title = g_strdup_printf (_("%s · %s"), when, of ? of : _("The whole drill"));
      button = gtk_button_new ();
      box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
      gtk_widget_set_size_request (picture, 160, 120);
      label = gtk_label_new (title);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (label, "caption");
      gtk_box_append (GTK_BOX (box), picture);
      gtk_box_append (GTK_BOX (box), label);
      gtk_button_set_child (GTK_BUTTON (button), box);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, title);
      g_object_set_data_full (G_OBJECT (button), "ld-data", g_bytes_ref (photo->data),
                              (GDestroyNotify) g_bytes_unref);
      g_object_set_data_full (G_OBJECT (button), "ld-title", g_steal_pointer (&title), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (on_photo_clicked), self);
      gtk_flow_box_append (self->photo_box, button);
      shown++;
    }
  gtk_widget_set_visible (self->photo_empty, shown == 0);
}

/* Phones store a picture sideways with a note of which way is up: it is
 * turned upright and made a JPEG of a sensible size. */
static GBytes *
photo_jpeg (const char *path, GError **error)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file_at_scale (path, PHOTO_MAX_SIDE, PHOTO_MAX_SIDE, TRUE, error);
  g_autoptr(GdkPixbuf) upright = NULL;
  char *buffer = NULL;
  gsize size = 0;

  if (pixbuf == NULL)
    return NULL;
  upright = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  if (!gdk_pixbuf_save_to_buffer (upright, &buffer, &size, "jpeg", error, "quality", "85", NULL))
    return NULL;
  return g_bytes_new_take (buffer, size);
}

gboolean
ld_drills_page_add_photo (LdDrillsPage *self, const char *path, const char *unit_code, GError **error)
{
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(JsonObject) op = NULL;
  g_autofree char *id = NULL;
  g_autofree char *base64 = NULL;
  JsonObject *fields;
  gint64 now = ld_time_now ();
  gsize size;
  gconstpointer bytes;

  g_return_val_if_fail (LD_IS_DRILLS_PAGE (self), FALSE);

  if (self->drill_id == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("Choose a drill first"));
      return FALSE;
    }
  jpeg = photo_jpeg (path, error);
  if (jpeg == NULL)
    return FALSE;
  bytes = g_bytes_get_data (jpeg, &size);
  base64 = g_base64_encode (bytes, size);
  id = ld_id_new (now);
  op = new_operation (self->tz, "drill_photo", id, "add", now);
  fields = json_object_get_object_member (op, "fields");
  json_object_set_string_member (fields, "drill_id", self->drill_id);
  if (unit_code && *unit_code)
    json_object_set_string_member (fields, "unit_code", unit_code);
  json_object_set_string_member (fields, "mime", "image/jpeg");
  json_object_set_string_member (fields, "data", base64);
  return submit (self, op, error);
}

static void
on_photo_chosen (GtkNativeDialog *dialog, int response, LdDrillsPage *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  const char *unit = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "unit");

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file)
    path = g_file_get_path (file);
  if (path && !ld_drills_page_add_photo (self, path, unit, &error))
    {
      /* Translators: a photo could not be added; the reason follows */
      g_autofree char *message = g_strdup_printf (_("The photo was not added: %s"), error->message);
      toast (self, message);
    }
  g_object_unref (dialog);
}

static void
on_add_photo (LdDrillsPage *self)
{
  g_autoptr(GPtrArray) units = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *dialog;

  if (self->drill_id == NULL)
    return;
  units = ld_store_list_drill_units (get_store (self), self->drill_id, NULL);
  names = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (ids, (gpointer) "");
  g_ptr_array_add (labels, (gpointer) _("The whole drill"));
  for (guint i = 0; units && i < units->len; i++)
    {
      const LdDrillUnit *du = g_ptr_array_index (units, i);
      g_autoptr(LdUnit) unit = ld_store_get_unit (get_store (self), du->unit_code, NULL);

      g_ptr_array_add (ids, du->unit_code);
      g_ptr_array_add (names, g_strdup (unit ? unit->name : du->unit_code));
      g_ptr_array_add (labels, g_ptr_array_index (names, names->len - 1));
    }
  g_ptr_array_add (ids, NULL);
  g_ptr_array_add (labels, NULL);

  dialog = gtk_file_chooser_native_new (_("Add a Photo"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_filter_set_name (filter, _("Images"));
  gtk_file_filter_add_pixbuf_formats (filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  /* Translators: in the photo chooser: what the photo shows, the whole drill or one unit */
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (dialog), "unit", _("Of"),
                               (const char **) ids->pdata, (const char **) labels->pdata);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (dialog), "unit", "");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_photo_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
show_drill (LdDrillsPage *self)
{
  LdStore *store = get_store (self);
  g_autoptr(LdDrill) drill = NULL;
  g_autoptr(LdDrillResult) result = NULL;
  g_autoptr(GPtrArray) units = NULL;
  g_autoptr(GHashTable) arrived = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) unit_names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *held = NULL;
  g_autofree char *subtitle = NULL;
  gint64 now = ld_time_now ();
  guint n_in = 0;

  stop_clock (self);
  if (self->drill_id)
    drill = ld_store_get_drill (store, self->drill_id, &error);
  if (drill)
    units = ld_store_list_drill_units (store, self->drill_id, &error);
  if (units)
    result = ld_drill_result_new (store, drill, now, &error);
  if (result == NULL)
    {
      if (error)
        toast (self, error->message);
      gtk_stack_set_visible_child_name (self->content, "none");
      return;
    }

  self->alarm_at = LD_TIME_NONE;
  self->last_arrival = LD_TIME_NONE;
  for (guint i = 0; i < units->len; i++)
    {
      const LdDrillUnit *du = g_ptr_array_index (units, i);

      if (du->alarm_at != LD_TIME_NONE && (self->alarm_at == LD_TIME_NONE || du->alarm_at < self->alarm_at))
        self->alarm_at = du->alarm_at;
      if (du->arrived_at != LD_TIME_NONE)
        {
          g_hash_table_add (arrived, du->unit_code);
          self->last_arrival = MAX (self->last_arrival, du->arrived_at);
          n_in++;
        }
    }
  /* The clock runs while anyone is still on the way, until the drill is
   * over; then it shows when the last one came. */
  self->over = ld_drill_result_is_over (result, now);
  if (n_in < units->len && !self->over)
    self->last_arrival = LD_TIME_NONE;
  else if (self->last_arrival == LD_TIME_NONE)
    self->last_arrival = self->alarm_at;

  gtk_label_set_label (self->drill_title, result->scenario && *result->scenario ? result->scenario : _("Drill"));
  held = ld_time_format (result->held_at, self->tz);
  held[16] = '\0';
  subtitle = g_strdup_printf ("%s · %s%s%s", held, result->region_name ? result->region_name : "",
                              result->location && *result->location ? " · " : "",
                              result->location ? result->location : "");
  gtk_label_set_label (self->drill_subtitle, subtitle);

  gtk_widget_set_visible (GTK_WIDGET (self->alarm_button), self->can_run && self->alarm_at == LD_TIME_NONE);
  gtk_widget_set_visible (GTK_WIDGET (self->clock_label), self->alarm_at != LD_TIME_NONE);
  gtk_widget_set_visible (GTK_WIDGET (self->alarm_label), self->alarm_at != LD_TIME_NONE);
  gtk_widget_set_visible (self->alarm_menu, self->can_run && self->alarm_at != LD_TIME_NONE);
  if (self->alarm_at != LD_TIME_NONE)
    {
      g_autofree char *at = ld_time_format (self->alarm_at, self->tz);
      /* Translators: when the drill's alarm was raised, e.g. "Alarm at 2020-08-25 09:30:12" */
      g_autofree char *text = g_strdup_printf (_("Alarm at %s"), at);

      gtk_label_set_label (self->alarm_label, text);
      if (tick (self))
        self->clock_source = g_timeout_add_seconds (1, tick, self);
    }
  if (self->alarm_at == LD_TIME_NONE)
    gtk_label_set_label (self->units_caption, self->can_run ? _("Raise the alarm, then tap each unit as it arrives.")
                                                            : _("The alarm has not been raised."));
  else if (n_in == units->len)
    gtk_label_set_label (self->units_caption, _("Every unit arrived."));
  else if (self->over)
    gtk_label_set_label (self->units_caption, _("The drill is over: a unit not logged by then did not arrive."));
  else
    {
      g_autofree char *caption = g_strdup_printf (_("%u of %u units arrived. Tap each unit as it arrives."),
                                                  n_in, units->len);

      gtk_label_set_label (self->units_caption, caption);
    }

  clear_box (GTK_WIDGET (self->unit_box), NULL);
  for (guint i = 0; i < result->units->len; i++)
    {
      const LdDrillResultUnit *u = g_ptr_array_index (result->units, i);

      g_hash_table_insert (unit_names, u->code, u->name);
      gtk_flow_box_append (self->unit_box, unit_tile (self, u, g_hash_table_contains (arrived, u->code)));
    }
  show_results (self, result);
  /* Every unit "did not arrive" before the alarm: no result to show yet. */
  gtk_widget_set_visible (GTK_WIDGET (self->result_list), self->alarm_at != LD_TIME_NONE);
  if (self->alarm_at == LD_TIME_NONE)
    gtk_label_set_label (self->result_label, _("Results once the alarm is raised"));
  show_notes (self, unit_names);
  show_photos (self, unit_names);
  gtk_stack_set_visible_child_name (self->content, "drill");
}

static void
on_raise_alarm (LdDrillsPage *self)
{
  g_autoptr(JsonObject) op = new_operation (self->tz, "drill", self->drill_id, "alarm", ld_time_now ());
  g_autoptr(GError) error = NULL;

  if (!submit (self, op, &error))
    toast (self, error->message);
}

static void
on_add_drill_note (LdDrillsPage *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_row))));
  g_autoptr(JsonObject) op = NULL;
  g_autoptr(GError) error = NULL;

  if (*text == '\0' || self->drill_id == NULL)
    return;
  op = new_operation (self->tz, "drill", self->drill_id, "note", LD_TIME_NONE);
  json_object_set_string_member (json_object_get_object_member (op, "fields"), "text", text);
  if (!submit (self, op, &error))
    {
      toast (self, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->note_row), "");
}

static void
show_month (LdDrillsPage *self)
{
  LdPeriod period = ld_period_month (self->tz, self->year, self->month);
  g_autoptr(GError) error = NULL;
  g_autoptr(LdDrillTable) table = ld_drill_table_new (get_store (self), &period, NULL, ld_time_now (), &error);
  g_autofree char *title = NULL;
  guint n_columns;

  clear_box (GTK_WIDGET (self->month_grid), NULL);
  if (table == NULL)
    {
      gtk_label_set_label (self->month_title, error->message);
      return;
    }
  title = ld_drill_table_title (table);
  gtk_label_set_label (self->month_title, title);
  gtk_widget_set_visible (GTK_WIDGET (self->month_empty), table->rows->len == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->month_grid), table->rows->len > 0);
  n_columns = table->categories->len;
  for (guint c = 0; c <= n_columns + 1; c++)
    {
      const char *text = c == 0 ? _("Region")
                         : c <= n_columns ? ld_unit_category_label (g_ptr_array_index (table->categories, c - 1))
                         : _("Not on time");
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 8);
      gtk_widget_add_css_class (label, "drill-table-head");
      gtk_grid_attach (self->month_grid, label, c, 0, 1, 1);
    }
  for (guint r = 0; r < table->rows->len; r++)
    {
      const LdDrillTableRow *row = g_ptr_array_index (table->rows, r);
      g_autofree char *late = g_strdup_printf ("%u", row->drill->late);
      GtkWidget *label = gtk_label_new (row->label);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "drill-table-cell");
      gtk_grid_attach (self->month_grid, label, 0, r + 1, 1, 1);
      for (guint c = 0; c < n_columns; c++)
        {
          const LdDrillResultUnit *u = g_ptr_array_index (row->cells, c);

          label = gtk_label_new (ld_drill_table_cell_text (row, c));
          gtk_widget_add_css_class (label, "drill-table-cell");
          if (u && u->late)
            gtk_widget_add_css_class (label, "drill-late");
          gtk_grid_attach (self->month_grid, label, c + 1, r + 1, 1, 1);
        }
      label = gtk_label_new (late);
      gtk_widget_add_css_class (label, "drill-table-cell");
      if (row->drill->late)
        gtk_widget_add_css_class (label, "drill-late");
      gtk_grid_attach (self->month_grid, label, n_columns + 1, r + 1, 1, 1);
    }
}

static void
on_show_month (LdDrillsPage *self)
{
  gtk_list_box_unselect_all (self->drill_list);
  show_month (self);
  gtk_stack_set_visible_child_name (self->content, "month");
}

static void
step_month (LdDrillsPage *self, int step)
{
  self->month += step;
  if (self->month < 1)
    self->month = 12, self->year--;
  else if (self->month > 12)
    self->month = 1, self->year++;
  show_month (self);
}

static void
on_previous_month (LdDrillsPage *self)
{
  step_month (self, -1);
}

static void
on_next_month (LdDrillsPage *self)
{
  step_month (self, 1);
}

static GtkWidget *
drill_row (LdDrillsPage *self, const LdDrill *d, gint64 now)
{
  g_autoptr(LdDrillResult) result = ld_drill_result_new (get_store (self), d, now, NULL);
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *when = ld_time_format_short (d->held_at, self->tz);
  g_autofree char *subtitle = NULL;
  const char *region = result && result->region_name ? result->region_name : d->region_code;

  /* Before the alarm nobody is late yet: a planned drill says so. */
  if (result == NULL || !ld_drill_result_is_held (result))
    /* Translators: a planned drill in the list: its time and region, e.g. "08-25 09:30 · 瓯海区 · alarm not raised" */
    subtitle = g_strdup_printf (_("%s · %s · alarm not raised"), when, region ? region : "");
  else
    /* Translators: a drill in the list: its time, region and count of units not on time, e.g. "08-25 09:30 · 瓯海区 · 2 late" */
    subtitle = g_strdup_printf (_("%s · %s · %u late"), when, region ? region : "", result->late);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), d->scenario && *d->scenario ? d->scenario
                                                         : d->location ? d->location : _("Drill"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  g_object_set_data_full (G_OBJECT (row), "ld-drill", g_strdup (d->id), g_free);
  return row;
}

static void
reload_list (LdDrillsPage *self)
{
  LdPeriod all = { G_MININT64, G_MAXINT64 };
  g_autoptr(GPtrArray) drills = ld_store_list_drills (get_store (self), &all, NULL);
  g_autofree char *keep = g_strdup (self->drill_id);
  gint64 now = ld_time_now ();

  /* Rebuilding the rows unselects; the drill shown stays. */
  g_signal_handlers_block_matched (self->drill_list, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  clear_box (GTK_WIDGET (self->drill_list), NULL);
  for (guint i = drills ? drills->len : 0; i > 0; i--)
    {
      const LdDrill *d = g_ptr_array_index (drills, i - 1);
      GtkWidget *row = drill_row (self, d, now);

      gtk_list_box_append (self->drill_list, row);
      if (g_strcmp0 (d->id, keep) == 0)
        gtk_list_box_select_row (self->drill_list, GTK_LIST_BOX_ROW (row));
    }
  g_signal_handlers_unblock_matched (self->drill_list, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
}

static void
on_drill_selected (LdDrillsPage *self, GtkListBoxRow *row)
{
  if (row == NULL)
    return;
  g_free (self->drill_id);
  self->drill_id = g_strdup (g_object_get_data (G_OBJECT (row), "ld-drill"));
  show_drill (self);
}

static void
refresh (LdDrillsPage *self)
{
  reload_list (self);
  if (g_str_equal (gtk_stack_get_visible_child_name (self->content), "month"))
    show_month (self);
  else if (self->drill_id)
    show_drill (self);
}

static void
on_drills_changed (LdSyncEngine *engine, GStrv drills, LdDrillsPage *self)
{
  refresh (self);
}

/* A fresh snapshot replaced the replica: everything may have moved. */
static void
on_replica_replaced (LdSyncEngine *engine, GParamSpec *pspec, LdDrillsPage *self)
{
  refresh (self);
}

static void
on_planned (LdDrillPlanWindow *window, const char *id, LdDrillsPage *self)
{
  ld_drills_page_select (self, id);
}

static void
on_new_drill (LdDrillsPage *self)
{
  LdDrillPlanWindow *window = ld_drill_plan_window_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                        self->engine);

  g_signal_connect_object (window, "planned", G_CALLBACK (on_planned), self, 0);
  ld_window_mark_training (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), ADW_WINDOW (window));
  gtk_window_present (GTK_WINDOW (window));
}

static gboolean
has_suffix_xlsx (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  return g_str_has_suffix (lower, ".xlsx");
}

gboolean
ld_drills_page_export_drill (LdDrillsPage *self, const char *path, GError **error)
{
  LdStore *store = get_store (self);
  g_autoptr(LdDrill) drill = NULL;
  g_autoptr(LdDrillResult) result = NULL;

  g_return_val_if_fail (LD_IS_DRILLS_PAGE (self), FALSE);
  if (self->drill_id == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Choose a drill first"));
      return FALSE;
    }
  drill = ld_store_get_drill (store, self->drill_id, error);
  if (drill == NULL || !(result = ld_drill_result_new (store, drill, ld_time_now (), error)))
    return FALSE;
  return has_suffix_xlsx (path) ? ld_drill_result_write_xlsx (result, self->tz, path, error)
                                : ld_drill_result_write_csv (result, self->tz, path, error);
}

gboolean
ld_drills_page_export_month (LdDrillsPage *self, const char *path, GError **error)
{
  LdPeriod period;
  g_autoptr(LdDrillTable) table = NULL;

  g_return_val_if_fail (LD_IS_DRILLS_PAGE (self), FALSE);
  period = ld_period_month (self->tz, self->year, self->month);
  table = ld_drill_table_new (get_store (self), &period, NULL, ld_time_now (), error);
  if (table == NULL)
    return FALSE;
  return has_suffix_xlsx (path) ? ld_drill_table_write_xlsx (table, path, error)
                                : ld_drill_table_write_csv (table, path, error);
}

static void
on_export_response (GtkNativeDialog *dialog, int response, LdDrillsPage *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  gboolean month = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "ld-month"));

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file)
    path = g_file_get_path (file);
  if (path)
    {
      gboolean ok = month ? ld_drills_page_export_month (self, path, &error)
                          : ld_drills_page_export_drill (self, path, &error);
      /* Translators: %s is the file written, or why it was not */
      g_autofree char *message = ok ? g_strdup_printf (_("Saved to %s"), path)
                                    : g_strdup_printf (_("Not saved: %s"), error->message);

      toast (self, message);
    }
  g_object_unref (dialog);
}

static void
export (LdDrillsPage *self, gboolean month, const char *extension)
{
  GtkFileChooserNative *dialog;
  g_autofree char *name = NULL;

  if (month)
    name = g_strdup_printf ("drills-%04d-%02d.%s", self->year, self->month, extension);
  else if (self->drill_id)
    name = g_strdup_printf ("drill-%s.%s", self->drill_id, extension);
  else
    return;
  dialog = gtk_file_chooser_native_new (_("Export"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_object_set_data (G_OBJECT (dialog), "ld-month", GINT_TO_POINTER (month));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_export_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_export_drill_csv (LdDrillsPage *self)
{
  export (self, FALSE, "csv");
}

static void
on_export_drill_xlsx (LdDrillsPage *self)
{
  export (self, FALSE, "xlsx");
}

static void
on_export_month_csv (LdDrillsPage *self)
{
  export (self, TRUE, "csv");
}

static void
on_export_month_xlsx (LdDrillsPage *self)
{
  export (self, TRUE, "xlsx");
}

static void
ld_drills_page_dispose (GObject *object)
{
  LdDrillsPage *self = LD_DRILLS_PAGE (object);

  stop_clock (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_DRILLS_PAGE);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_clear_pointer (&self->drill_id, g_free);
  g_clear_pointer (&self->photo_key, g_free);

  G_OBJECT_CLASS (ld_drills_page_parent_class)->dispose (object);
}

static void
ld_drills_page_class_init (LdDrillsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_drills_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-drills-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, toasts);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, new_button);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, drill_list);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, content);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, drill_title);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, drill_subtitle);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, alarm_button);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, clock_label);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, alarm_label);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, units_caption);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, unit_box);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, result_label);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, result_list);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, note_list);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, note_row);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, photo_button);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, photo_empty);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, photo_box);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, month_title);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, month_empty);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, month_grid);
  gtk_widget_class_bind_template_callback (widget_class, on_new_drill);
  gtk_widget_class_bind_template_callback (widget_class, on_show_month);
  gtk_widget_class_bind_template_callback (widget_class, on_drill_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_raise_alarm);
  gtk_widget_class_bind_template_callback (widget_class, on_add_drill_note);
  gtk_widget_class_bind_template_callback (widget_class, on_add_photo);
  gtk_widget_class_bind_template_callback (widget_class, on_previous_month);
  gtk_widget_class_bind_template_callback (widget_class, on_next_month);
  gtk_widget_class_bind_template_callback (widget_class, on_export_drill_csv);
  gtk_widget_class_bind_template_callback (widget_class, on_export_drill_xlsx);
  gtk_widget_class_bind_template_callback (widget_class, on_export_month_csv);
  gtk_widget_class_bind_template_callback (widget_class, on_export_month_xlsx);
}

static void
ld_drills_page_init (LdDrillsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->alarm_menu = alarm_menu_new (self);
  gtk_widget_set_visible (self->alarm_menu, FALSE);
  gtk_widget_insert_after (self->alarm_menu, gtk_widget_get_parent (GTK_WIDGET (self->alarm_label)),
                           GTK_WIDGET (self->alarm_label));
}

void
ld_drills_page_set_engine (LdDrillsPage *self, LdSyncEngine *engine, GTimeZone *time_zone)
{
  const LdUser *user;
  int day, hour, minute, second;

  g_return_if_fail (LD_IS_DRILLS_PAGE (self));
  g_return_if_fail (self->engine == NULL);

  self->engine = g_object_ref (engine);
  self->tz = g_time_zone_ref (time_zone);
  user = ld_replica_get_user (ld_sync_engine_get_replica (engine));
  self->can_run = user && (g_strcmp0 (user->role, "inspector") == 0 || g_strcmp0 (user->role, "admin") == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->new_button), self->can_run);
  ld_time_to_local (ld_time_now (), self->tz, &self->year, &self->month, &day, &hour, &minute, &second);
  g_signal_connect_object (engine, "drills-changed", G_CALLBACK (on_drills_changed), self, 0);
  g_signal_connect_object (engine, "notify::replica", G_CALLBACK (on_replica_replaced), self, 0);
  reload_list (self);
}

void
ld_drills_page_select (LdDrillsPage *self, const char *drill_id)
{
  g_return_if_fail (LD_IS_DRILLS_PAGE (self));

  g_free (self->drill_id);
  self->drill_id = g_strdup (drill_id);
  reload_list (self);
  show_drill (self);
}
