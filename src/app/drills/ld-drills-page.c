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

#include "ld-drill-correction.h"
#include "ld-drill-month.h"
#include "ld-drill-notes.h"
#include "ld-drill-photos.h"
#include "ld-drill-plan-window.h"
#include "ld-drill-query.h"
#include "ld-drill-results.h"
#include "ld-drill-unit-tile.h"
#include "ld-drills-page.h"
#include "ld-read-failure.h"
#include "ld-window.h"

/* Large enough to read a number plate across a street, small enough
 * (a few hundred kilobytes) for every desk to copy. */
#define PHOTO_MAX_SIDE 1600

struct _LdDrillsPage
{
  GtkWidget          parent_instance;

  AdwToastOverlay   *toasts;
  LdReadFailure     *failure;
  GtkButton         *new_button;
  GtkListBox        *drill_list;
  GtkStack          *content;
  GtkLabel          *drill_title;
  GtkLabel          *drill_subtitle;
  GtkButton         *alarm_button;
  GtkLabel          *clock_label;
  GtkLabel          *alarm_label;
  GtkWidget         *alarm_menu;     /* correct the alarm time, with a reason */
  LdDrillCorrection *alarm_correction;
  GtkLabel          *units_caption;
  GtkFlowBox        *unit_box;
  LdDrillResults    *results;
  LdDrillNotes      *notes;
  LdDrillPhotos     *photos;
  LdDrillMonth      *month;

  LdSyncEngine      *engine;
  LdDrillQuery      *query;
  GTimeZone         *tz;            /* as given, or NULL: the replica's */
  char              *drill_id;      /* the drill shown, or NULL */
  gint64             alarm_at;      /* its alarm, LD_TIME_NONE before it */
  gint64             last_arrival;  /* when every unit is in: the clock stops there */
  gboolean           over;          /* long past its alarm: no one arrives any more */
  guint              clock_source;
};

G_DEFINE_FINAL_TYPE (LdDrillsPage, ld_drills_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GTimeZone *
time_zone (LdDrillsPage *self)
{
  return ld_drill_query_get_time_zone (self->query);
}

static gboolean
can_run (LdDrillsPage *self)
{
  return self->query && ld_drill_query_can_run (self->query);
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

static JsonObject *
new_operation (LdDrillsPage *self, const char *entity, const char *id, const char *action, gint64 at)
{
  JsonObject *op = json_object_new ();

  json_object_set_string_member (op, "entity", entity);
  json_object_set_string_member (op, "entity_id", id);
  json_object_set_string_member (op, "action", action);
  json_object_set_object_member (op, "fields", json_object_new ());
  if (at != LD_TIME_NONE)
    {
      g_autofree char *text = ld_time_format_iso (at, time_zone (self));

      json_object_set_string_member (op, "at", text);
    }
  return op;
}

/* Logs @op, or says in a toast why it was refused. */
static gboolean
submit (LdDrillsPage *self, JsonObject *op)
{
  g_autoptr(GError) error = NULL;

  if (ld_sync_engine_submit (self->engine, op, &error))
    return TRUE;
  toast (self, error->message);
  return FALSE;
}

static JsonObject *
unit_operation (LdDrillsPage *self, LdDrillUnitTile *tile, const char *action, gint64 at)
{
  JsonObject *op = new_operation (self, "drill_unit", self->drill_id, action, at);

  json_object_set_string_member (json_object_get_object_member (op, "fields"), "unit_code",
                                 ld_drill_unit_tile_get_unit_code (tile));
  return op;
}

static void
on_tile_arrive (LdDrillUnitTile *tile, LdDrillsPage *self)
{
  g_autoptr(JsonObject) op = unit_operation (self, tile, "arrive", ld_time_now ());

  submit (self, op);
}

static void
on_tile_correct (LdDrillUnitTile *tile, gint64 at, const char *reason, LdDrillsPage *self)
{
  g_autoptr(JsonObject) op = unit_operation (self, tile, "correct", at);

  json_object_set_string_member (json_object_get_object_member (op, "fields"), "reason", reason);
  submit (self, op);
}

static void
on_tile_note (LdDrillUnitTile *tile, const char *text, LdDrillsPage *self)
{
  g_autoptr(JsonObject) op = unit_operation (self, tile, "note", LD_TIME_NONE);

  json_object_set_string_member (json_object_get_object_member (op, "fields"), "text", text);
  submit (self, op);
}

/* The alarm moved, as the inspector's log has it: a clock time on the
 * alarm's day, and why. */
static void
on_alarm_corrected (LdDrillsPage *self, gint64 at, const char *reason)
{
  g_autoptr(JsonObject) op = new_operation (self, "drill", self->drill_id, "correct-alarm", at);

  json_object_set_string_member (json_object_get_object_member (op, "fields"), "reason", reason);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->alarm_menu));
  submit (self, op);
}

static void
on_raise_alarm (LdDrillsPage *self)
{
  g_autoptr(JsonObject) op = new_operation (self, "drill", self->drill_id, "alarm", ld_time_now ());

  submit (self, op);
}

/* The note is logged, or why not said in a toast: it stays to be sent again. */
static gboolean
on_add_note (LdDrillsPage *self, const char *text)
{
  g_autoptr(JsonObject) op = NULL;

  if (self->drill_id == NULL)
    return FALSE;
  op = new_operation (self, "drill", self->drill_id, "note", LD_TIME_NONE);
  json_object_set_string_member (json_object_get_object_member (op, "fields"), "text", text);
  return submit (self, op);
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

/* The alarm, the clock and the caption over the tiles: what the
 * inspector does next. */
static void
show_alarm (LdDrillsPage *self, guint n_in, guint n_units)
{
  gboolean raised = self->alarm_at != LD_TIME_NONE;

  gtk_widget_set_visible (GTK_WIDGET (self->alarm_button), can_run (self) && !raised);
  gtk_widget_set_visible (GTK_WIDGET (self->clock_label), raised);
  gtk_widget_set_visible (GTK_WIDGET (self->alarm_label), raised);
  gtk_widget_set_visible (self->alarm_menu, can_run (self) && raised);
  ld_drill_correction_set_alarm (self->alarm_correction, self->alarm_at, time_zone (self));
  if (raised)
    {
      g_autofree char *at = ld_time_format (self->alarm_at, time_zone (self));
      /* Translators: when the drill's alarm was raised, e.g. "Alarm at 2020-08-25 09:30:12" */
      g_autofree char *text = g_strdup_printf (_("Alarm at %s"), at);

      gtk_label_set_label (self->alarm_label, text);
      if (tick (self))
        self->clock_source = g_timeout_add_seconds (1, tick, self);
    }
  if (!raised)
    gtk_label_set_label (self->units_caption, can_run (self) ? _("Raise the alarm, then tap each unit as it arrives.")
                                                             : _("The alarm has not been raised."));
  else if (n_in == n_units)
    gtk_label_set_label (self->units_caption, _("Every unit arrived."));
  else if (self->over)
    gtk_label_set_label (self->units_caption, _("The drill is over: a unit not logged by then did not arrive."));
  else
    {
      g_autofree char *caption = g_strdup_printf (_("%u of %u units arrived. Tap each unit as it arrives."),
                                                  n_in, n_units);

      gtk_label_set_label (self->units_caption, caption);
    }
}

static void
show_tiles (LdDrillsPage *self, const LdDrillResult *result, GHashTable *arrived, GHashTable *unit_names)
{
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self->unit_box)));)
    gtk_flow_box_remove (self->unit_box, child);
  for (guint i = 0; i < result->units->len; i++)
    {
      const LdDrillResultUnit *u = g_ptr_array_index (result->units, i);
      GtkWidget *tile = ld_drill_unit_tile_new (self->query, self->drill_id, u,
                                                g_hash_table_contains (arrived, u->code), self->over, self->alarm_at);

      g_hash_table_insert (unit_names, u->code, u->name);
      g_signal_connect_object (tile, "arrive", G_CALLBACK (on_tile_arrive), self, 0);
      g_signal_connect_object (tile, "correct", G_CALLBACK (on_tile_correct), self, 0);
      g_signal_connect_object (tile, "note", G_CALLBACK (on_tile_note), self, 0);
      gtk_flow_box_append (self->unit_box, tile);
    }
}

static gboolean
show_drill (LdDrillsPage *self, GError **error)
{
  g_autoptr(LdDrill) drill = NULL;
  g_autoptr(LdDrillResult) result = NULL;
  g_autoptr(GPtrArray) units = NULL;
  g_autoptr(GHashTable) arrived = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) unit_names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *held = NULL;
  g_autofree char *subtitle = NULL;
  gint64 now = ld_time_now ();
  guint n_in = 0;

  stop_clock (self);
  if (self->drill_id && self->query)
    drill = ld_drill_query_get_drill (self->query, self->drill_id, error);
  if (drill)
    units = ld_drill_query_list_units (self->query, self->drill_id, error);
  if (units)
    result = ld_drill_query_get_result (self->query, drill, now, error);
  if (result == NULL)
    {
      gtk_stack_set_visible_child_name (self->content, "none");
      return self->drill_id == NULL;
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
  held = ld_time_format (result->held_at, time_zone (self));
  held[16] = '\0';
  subtitle = g_strdup_printf ("%s · %s%s%s", held, result->region_name ? result->region_name : "",
                              result->location && *result->location ? " · " : "",
                              result->location ? result->location : "");
  gtk_label_set_label (self->drill_subtitle, subtitle);
  show_alarm (self, n_in, units->len);
  show_tiles (self, result, arrived, unit_names);
  ld_drill_results_show (self->results, result, self->alarm_at != LD_TIME_NONE);
  gtk_stack_set_visible_child_name (self->content, "drill");
  return ld_drill_notes_show (self->notes, self->drill_id, unit_names, error) &&
         ld_drill_photos_show (self->photos, self->drill_id, unit_names, error);
}

static GtkWidget *
drill_row (LdDrillsPage *self, const LdDrill *d, gint64 now, GError **error)
{
  g_autoptr(LdDrillResult) result = ld_drill_query_get_result (self->query, d, now, error);
  g_autofree char *when = ld_time_format_short (d->held_at, time_zone (self));
  g_autofree char *subtitle = NULL;
  const char *region;
  GtkWidget *row;

  if (result == NULL)
    return NULL;
  region = result->region_name ? result->region_name : d->region_code;
  /* Before the alarm nobody is late yet: a planned drill says so. */
  if (!ld_drill_result_is_held (result))
    /* Translators: a planned drill in the list: its time and region, e.g. "08-25 09:30 · 瓯海区 · alarm not raised" */
    subtitle = g_strdup_printf (_("%s · %s · alarm not raised"), when, region ? region : "");
  else
    /* Translators: a drill in the list: its time, region and count of units not on time, e.g. "08-25 09:30 · 瓯海区 · 2 late" */
    subtitle = g_strdup_printf (_("%s · %s · %u late"), when, region ? region : "", result->late);
  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), d->scenario && *d->scenario ? d->scenario
                                                         : d->location ? d->location : _("Drill"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  g_object_set_data_full (G_OBJECT (row), "ld-drill", g_strdup (d->id), g_free);
  return row;
}

static gboolean
reload_list (LdDrillsPage *self, GError **error)
{
  g_autoptr(GPtrArray) drills = NULL;
  g_autofree char *keep = g_strdup (self->drill_id);
  gint64 now = ld_time_now ();
  gboolean ok = TRUE;

  /* Rebuilding the rows unselects; the drill shown stays. */
  g_signal_handlers_block_matched (self->drill_list, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self->drill_list)));)
    gtk_list_box_remove (self->drill_list, child);
  if (self->query)
    ok = (drills = ld_drill_query_list_drills (self->query, error)) != NULL;
  for (guint i = drills ? drills->len : 0; ok && i > 0; i--)
    {
      const LdDrill *d = g_ptr_array_index (drills, i - 1);
      GtkWidget *row = drill_row (self, d, now, error);

      if (row == NULL)
        ok = FALSE;
      else
        gtk_list_box_append (self->drill_list, row);
      if (row && g_strcmp0 (d->id, keep) == 0)
        gtk_list_box_select_row (self->drill_list, GTK_LIST_BOX_ROW (row));
    }
  g_signal_handlers_unblock_matched (self->drill_list, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  return ok;
}

/* The list, and the drill or the month shown, read again: a failed read
 * is said over them, never left as an empty list. */
static void
refresh (LdDrillsPage *self, gboolean show_the_drill)
{
  g_autoptr(GError) error = NULL;

  if (reload_list (self, &error))
    {
      if (!show_the_drill && g_str_equal (gtk_stack_get_visible_child_name (self->content), "month"))
        ld_drill_month_show (self->month);
      else if (self->drill_id || show_the_drill)
        show_drill (self, &error);
    }
  ld_read_failure_set_error (self->failure, _("The drills"), error);
}

static void
on_read_again (LdDrillsPage *self)
{
  refresh (self, FALSE);
}

static void
on_drill_selected (LdDrillsPage *self, GtkListBoxRow *row)
{
  g_autoptr(GError) error = NULL;

  if (row == NULL)
    return;
  g_free (self->drill_id);
  self->drill_id = g_strdup (g_object_get_data (G_OBJECT (row), "ld-drill"));
  show_drill (self, &error);
  ld_read_failure_set_error (self->failure, _("The drills"), error);
}

static void
on_show_month (LdDrillsPage *self)
{
  gtk_list_box_unselect_all (self->drill_list);
  ld_drill_month_show (self->month);
  gtk_stack_set_visible_child_name (self->content, "month");
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

gboolean
ld_drills_page_export_drill (LdDrillsPage *self, const char *path, GError **error)
{
  g_autoptr(LdDrill) drill = NULL;
  g_autoptr(LdDrillResult) result = NULL;
  g_autofree char *lower = NULL;

  g_return_val_if_fail (LD_IS_DRILLS_PAGE (self), FALSE);
  if (self->drill_id == NULL || self->query == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Choose a drill first"));
      return FALSE;
    }
  drill = ld_drill_query_get_drill (self->query, self->drill_id, error);
  if (drill == NULL || !(result = ld_drill_query_get_result (self->query, drill, ld_time_now (), error)))
    return FALSE;
  lower = g_ascii_strdown (path, -1);
  return g_str_has_suffix (lower, ".xlsx") ? ld_drill_result_write_xlsx (result, time_zone (self), path, error)
                                           : ld_drill_result_write_csv (result, time_zone (self), path, error);
}

gboolean
ld_drills_page_export_month (LdDrillsPage *self, const char *path, GError **error)
{
  g_return_val_if_fail (LD_IS_DRILLS_PAGE (self), FALSE);

  return ld_drill_month_export (self->month, path, error);
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
    name = ld_drill_month_dup_file_name (self->month, extension);
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
on_export_drill (LdDrillsPage *self, const char *extension)
{
  export (self, FALSE, extension);
}

static void
on_export_month (LdDrillsPage *self, const char *extension)
{
  export (self, TRUE, extension);
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

  if (self->drill_id == NULL || self->engine == NULL)
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
  op = new_operation (self, "drill_photo", id, "add", now);
  fields = json_object_get_object_member (op, "fields");
  json_object_set_string_member (fields, "drill_id", self->drill_id);
  if (unit_code && *unit_code)
    json_object_set_string_member (fields, "unit_code", unit_code);
  json_object_set_string_member (fields, "mime", "image/jpeg");
  json_object_set_string_member (fields, "data", base64);
  return ld_sync_engine_submit (self->engine, op, error);
}

static void
on_add_photo (LdDrillsPage *self, const char *path, const char *unit_code)
{
  g_autoptr(GError) error = NULL;

  if (!ld_drills_page_add_photo (self, path, unit_code, &error))
    {
      /* Translators: a photo could not be added; the reason follows */
      g_autofree char *message = g_strdup_printf (_("The photo was not added: %s"), error->message);
      toast (self, message);
    }
}

static void
on_query_changed (LdDrillQuery *query, LdDrillsPage *self)
{
  refresh (self, FALSE);
}

static void
set_engine (LdDrillsPage *self, LdSyncEngine *engine)
{
  if (self->engine == engine)
    return;
  if (self->query)
    g_signal_handlers_disconnect_by_data (self->query, self);
  g_clear_object (&self->query);
  g_set_object (&self->engine, engine);
  if (engine)
    {
      self->query = ld_drill_query_new (engine, self->tz);
      ld_drill_notes_set_query (self->notes, self->query);
      ld_drill_photos_set_query (self->photos, self->query);
      ld_drill_month_set_query (self->month, self->query);
      g_signal_connect_object (self->query, "changed", G_CALLBACK (on_query_changed), self, 0);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->new_button), can_run (self));
  refresh (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

static void
ld_drills_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, LD_DRILLS_PAGE (object)->engine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_drills_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ENGINE:
      set_engine (LD_DRILLS_PAGE (object), g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_drills_page_dispose (GObject *object)
{
  LdDrillsPage *self = LD_DRILLS_PAGE (object);

  stop_clock (self);
  if (self->query)
    g_signal_handlers_disconnect_by_data (self->query, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_DRILLS_PAGE);
  g_clear_object (&self->query);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_clear_pointer (&self->drill_id, g_free);

  G_OBJECT_CLASS (ld_drills_page_parent_class)->dispose (object);
}

static void
ld_drills_page_class_init (LdDrillsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_drills_page_dispose;
  object_class->get_property = ld_drills_page_get_property;
  object_class->set_property = ld_drills_page_set_property;

  /* The sync engine the page reads and writes through. */
  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, LD_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LD_TYPE_DRILL_CORRECTION);
  g_type_ensure (LD_TYPE_DRILL_MONTH);
  g_type_ensure (LD_TYPE_DRILL_NOTES);
  g_type_ensure (LD_TYPE_DRILL_PHOTOS);
  g_type_ensure (LD_TYPE_DRILL_RESULTS);
  g_type_ensure (LD_TYPE_READ_FAILURE);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-drills-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, toasts);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, failure);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, new_button);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, drill_list);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, content);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, drill_title);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, drill_subtitle);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, alarm_button);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, clock_label);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, alarm_label);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, alarm_menu);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, alarm_correction);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, units_caption);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, unit_box);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, results);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, notes);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, photos);
  gtk_widget_class_bind_template_child (widget_class, LdDrillsPage, month);
  gtk_widget_class_bind_template_callback (widget_class, on_read_again);
  gtk_widget_class_bind_template_callback (widget_class, on_new_drill);
  gtk_widget_class_bind_template_callback (widget_class, on_show_month);
  gtk_widget_class_bind_template_callback (widget_class, on_drill_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_raise_alarm);
  gtk_widget_class_bind_template_callback (widget_class, on_alarm_corrected);
  gtk_widget_class_bind_template_callback (widget_class, on_add_note);
  gtk_widget_class_bind_template_callback (widget_class, on_add_photo);
  gtk_widget_class_bind_template_callback (widget_class, on_export_drill);
  gtk_widget_class_bind_template_callback (widget_class, on_export_month);
}

static void
ld_drills_page_init (LdDrillsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self->new_button), FALSE);
}

void
ld_drills_page_set_engine (LdDrillsPage *self, LdSyncEngine *engine, GTimeZone *time_zone)
{
  g_return_if_fail (LD_IS_DRILLS_PAGE (self));
  g_return_if_fail (LD_IS_SYNC_ENGINE (engine));

  g_clear_pointer (&self->tz, g_time_zone_unref);
  self->tz = time_zone ? g_time_zone_ref (time_zone) : NULL;
  g_object_set (self, "engine", engine, NULL);
}

void
ld_drills_page_select (LdDrillsPage *self, const char *drill_id)
{
  g_return_if_fail (LD_IS_DRILLS_PAGE (self));

  g_free (self->drill_id);
  self->drill_id = g_strdup (drill_id);
  refresh (self, TRUE);
}
