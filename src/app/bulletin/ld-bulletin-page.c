/* ld-bulletin-page.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <adwaita.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ld-bulletin-page.h"
#include "ld-read-failure.h"

/* A4 in points: what the bulletin is laid out for, on screen as on paper. */
#define A4_WIDTH  595.28
#define A4_HEIGHT 841.89
/* Typing is not interrupted by the pages being laid out again. */
#define EDIT_DELAY 700

struct _LdBulletinPage
{
  GtkWidget        parent_instance;

  AdwToastOverlay *toasts;
  GtkLabel        *month_label;
  GtkWidget       *next_month;
  GtkLabel        *status_label;
  GtkTextView     *cases_view;
  GtkTextView     *problems_view;
  GtkBox          *pages_box;
  LdReadFailure   *failure;

  LdSyncEngine    *engine;
  GTimeZone       *time_zone;
  int              year;
  int              month;
  LdBulletin      *bulletin;
  guint            n_pages;
  guint            edit_timeout;
  guint            edit_delay;
  gboolean         loading;        /* the views are being filled, not edited */
  gboolean         cases_edited;
  gboolean         problems_edited;
  gboolean         stale;
  gboolean         printing;       /* the pages are laid out for the printer */
};

G_DEFINE_FINAL_TYPE (LdBulletinPage, ld_bulletin_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_EDIT_DELAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
toast (LdBulletinPage *self, const char *message)
{
  /* A toast's title is markup; a message may quote what someone typed. */
  g_autofree char *title = g_markup_escape_text (message, -1);

  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (title));
}

/* Items are paragraphs: a blank line starts the next. */
static GStrv
read_items (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_auto(GStrv) paragraphs = NULL;
  g_autoptr(GStrvBuilder) items = g_strv_builder_new ();

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  paragraphs = g_regex_split_simple ("\\n\\s*\\n", text, 0, 0);
  for (guint i = 0; paragraphs[i]; i++)
    {
      char *item = g_strstrip (paragraphs[i]);
      if (*item)
        g_strv_builder_add (items, item);
    }
  return g_strv_builder_end (items);
}

static void
write_items (LdBulletinPage *self, GtkTextView *view, GStrv items)
{
  g_autofree char *text = items ? g_strjoinv ("\n\n", items) : g_strdup ("");

  self->loading = TRUE;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text, -1);
  self->loading = FALSE;
}

/* Drafts: what a person wrote for a month's cases and problems is kept
 * on this desk, in a file beside the replica (not in it: a fresh copy
 * from the server replaces the replica whole), so closing the window,
 * turning to another month or a new copy loses none of it. NULL for a
 * replica with no file. */
static char *
draft_path (LdBulletinPage *self)
{
  const char *store_path = ld_store_get_path (ld_sync_engine_get_store (self->engine));
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;

  if (store_path == NULL || !g_path_is_absolute (store_path))
    return NULL;
  dir = g_path_get_dirname (store_path);
  name = g_strdup_printf ("%04d-%02d.json", self->year, self->month);
  return g_build_filename (dir, "bulletin-drafts", name, NULL);
}

static void
add_items (JsonBuilder *builder, const char *name, GtkTextView *view)
{
  g_auto(GStrv) items = read_items (view);

  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; items[i]; i++)
    json_builder_add_string_value (builder, items[i]);
  json_builder_end_array (builder);
}

static void
save_draft (LdBulletinPage *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *path = draft_path (self);
  g_autofree char *dir = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    return;
  json_builder_begin_object (builder);
  if (self->cases_edited)
    add_items (builder, "cases", self->cases_view);
  if (self->problems_edited)
    add_items (builder, "problems", self->problems_view);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    g_set_error (&error, G_FILE_ERROR, g_file_error_from_errno (errno), "%s: %s", dir, g_strerror (errno));
  if (error || !g_file_set_contents (path, text, -1, &error))
    {
      /* Translators: a bulletin's edits could not be kept; the reason follows */
      g_autofree char *message = g_strdup_printf (_("The edits could not be kept: %s"), error->message);
      toast (self, message);
    }
}

/* The draft's list @name, or NULL when the person did not write it. */
static GStrv
draft_items (JsonObject *draft, const char *name)
{
  g_autoptr(GStrvBuilder) items = NULL;
  JsonArray *array;

  if (draft == NULL || !json_object_has_member (draft, name) ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (draft, name)))
    return NULL;
  array = json_object_get_array_member (draft, name);
  items = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *item = json_node_get_string (json_array_get_element (array, i));
      if (item)
        g_strv_builder_add (items, item);
    }
  return g_strv_builder_end (items);
}

static void
draw_page (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  LdBulletinPage *self = data;
  guint page = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (area), "page"));

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  /* While printing the layout is the printer's, which may break its
   * pages elsewhere: the sheets wait blank until it is done. */
  if (self->bulletin == NULL || self->printing || page >= self->n_pages)
    return;
  cairo_scale (cr, width / A4_WIDTH, height / A4_HEIGHT);
  ld_bulletin_draw_page (self->bulletin, cr, page);
}

/* The pages as the PDF lays them out: no cairo context, so the text is
 * measured as it is printed and the preview breaks its pages where the
 * PDF does. */
static void
paginate (LdBulletinPage *self)
{
  self->n_pages = ld_bulletin_paginate (self->bulletin, NULL, A4_WIDTH, A4_HEIGHT);
}

static void
show_pages (LdBulletinPage *self)
{
  g_autofree char *status = NULL;

  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self->pages_box)));)
    gtk_box_remove (self->pages_box, child);
  if (self->bulletin == NULL)
    return;
  paginate (self);
  for (guint i = 0; i < self->n_pages; i++)
    {
      GtkWidget *area = gtk_drawing_area_new ();
      g_autofree char *name = g_strdup_printf (_("Page %u"), i + 1);

      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), (int) A4_WIDTH);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), (int) A4_HEIGHT);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_page, self, NULL);
      g_object_set_data (G_OBJECT (area), "page", GUINT_TO_POINTER (i));
      gtk_widget_add_css_class (area, "bulletin-sheet");
      gtk_accessible_update_property (GTK_ACCESSIBLE (area), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      gtk_box_append (self->pages_box, area);
    }
  status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u page, A4", "%u pages, A4", self->n_pages),
                            self->n_pages);
  if (self->cases_edited || self->problems_edited)
    {
      /* Translators: after the page count, when a person changed the proposed cases or problems */
      g_autofree char *edited = g_strdup_printf (_("%s · edited"), status);
      gtk_label_set_label (self->status_label, edited);
    }
  else
    gtk_label_set_label (self->status_label, status);
}

static void
on_bulletin_changed (LdBulletin *bulletin, LdBulletinPage *self)
{
  show_pages (self);
}

static void
load (LdBulletinPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdReport) report = NULL;
  g_autoptr(LdBulletin) bulletin = NULL;
  g_autoptr(JsonNode) draft = NULL;
  g_auto(GStrv) draft_cases = NULL;
  g_auto(GStrv) draft_problems = NULL;
  g_autofree char *draft_file = draft_path (self);
  g_autofree char *saved = NULL;
  g_autofree char *title = g_strdup_printf (_("%2$d/%1$d"), self->year, self->month);
  LdStore *store = ld_sync_engine_get_store (self->engine);
  /* The center's months, whatever this desk's clock says. */
  GTimeZone *center_zone = ld_store_get_time_zone (store);
  LdPeriod period = ld_period_month (center_zone, self->year, self->month);
  gint64 now = ld_time_now ();
  int year, month, day, hour, minute, second;

  self->stale = FALSE;
  gtk_label_set_label (self->month_label, title);
  ld_time_to_local (now, center_zone, &year, &month, &day, &hour, &minute, &second);
  gtk_widget_set_sensitive (self->next_month, self->year * 12 + self->month < year * 12 + month);

  report = ld_report_new (store, &period, NULL, now, &error);
  if (report)
    bulletin = ld_bulletin_new (report, store, &error);
  ld_read_failure_set_error (self->failure, _("The month's bulletin"), error);
  if (bulletin == NULL)
    {
      /* Nothing of another month may be exported, printed or edited
       * under this one. */
      if (self->bulletin)
        g_signal_handlers_disconnect_by_data (self->bulletin, self);
      g_clear_object (&self->bulletin);
      show_pages (self);
      write_items (self, self->cases_view, NULL);
      write_items (self, self->problems_view, NULL);
      self->cases_edited = FALSE;
      self->problems_edited = FALSE;
      gtk_label_set_label (self->status_label, "");
      return;
    }

  /* What a person wrote outlives the figures being read again, and the
   * window: the views hold it while shown, the draft when opened anew. */
  if (draft_file && g_file_get_contents (draft_file, &saved, NULL, NULL) &&
      (draft = json_from_string (saved, NULL)) && JSON_NODE_HOLDS_OBJECT (draft))
    {
      draft_cases = self->cases_edited ? NULL : draft_items (json_node_get_object (draft), "cases");
      draft_problems = self->problems_edited ? NULL : draft_items (json_node_get_object (draft), "problems");
    }
  if (draft_cases)
    {
      ld_bulletin_set_cases (bulletin, (const char * const *) draft_cases);
      write_items (self, self->cases_view, draft_cases);
      self->cases_edited = TRUE;
    }
  else if (self->cases_edited)
    {
      g_auto(GStrv) cases = read_items (self->cases_view);
      ld_bulletin_set_cases (bulletin, (const char * const *) cases);
    }
  else
    {
      g_auto(GStrv) cases = ld_bulletin_dup_cases (bulletin);
      write_items (self, self->cases_view, cases);
    }
  if (draft_problems)
    {
      ld_bulletin_set_problems (bulletin, (const char * const *) draft_problems);
      write_items (self, self->problems_view, draft_problems);
      self->problems_edited = TRUE;
    }
  else if (self->problems_edited)
    {
      g_auto(GStrv) problems = read_items (self->problems_view);
      ld_bulletin_set_problems (bulletin, (const char * const *) problems);
    }
  else
    {
      g_auto(GStrv) problems = ld_bulletin_dup_problems (bulletin);
      write_items (self, self->problems_view, problems);
    }

  if (self->bulletin)
    g_signal_handlers_disconnect_by_data (self->bulletin, self);
  g_set_object (&self->bulletin, bulletin);
  g_signal_connect_object (bulletin, "changed", G_CALLBACK (on_bulletin_changed), self, 0);
  show_pages (self);
}

static gboolean apply_edits (gpointer data);

/* Edits still settling are part of what the person sees: they are taken
 * before the bulletin is written, printed or left. */
static void
flush_edits (LdBulletinPage *self)
{
  if (self->edit_timeout)
    {
      g_clear_handle_id (&self->edit_timeout, g_source_remove);
      apply_edits (self);
    }
}

void
ld_bulletin_page_show_month (LdBulletinPage *self, int year, int month)
{
  g_return_if_fail (LD_IS_BULLETIN_PAGE (self));
  g_return_if_fail (month >= 1 && month <= 12);

  flush_edits (self);
  if (self->year != year || self->month != month)
    {
      /* Another month's bulletin has its own cases and problems. */
      self->cases_edited = FALSE;
      self->problems_edited = FALSE;
    }
  self->year = year;
  self->month = month;
  if (self->engine)
    load (self);
}

static void
shift_month (LdBulletinPage *self, int by)
{
  int index = self->year * 12 + (self->month - 1) + by;
  ld_bulletin_page_show_month (self, index / 12, index % 12 + 1);
}

static void
on_previous_month (LdBulletinPage *self)
{
  shift_month (self, -1);
}

static void
on_next_month (LdBulletinPage *self)
{
  shift_month (self, 1);
}

static gboolean
apply_edits (gpointer data)
{
  LdBulletinPage *self = data;

  self->edit_timeout = 0;
  if (self->bulletin == NULL)
    return G_SOURCE_REMOVE;
  if (self->cases_edited)
    {
      g_auto(GStrv) cases = read_items (self->cases_view);
      ld_bulletin_set_cases (self->bulletin, (const char * const *) cases);
    }
  if (self->problems_edited)
    {
      g_auto(GStrv) problems = read_items (self->problems_view);
      ld_bulletin_set_problems (self->bulletin, (const char * const *) problems);
    }
  save_draft (self);
  return G_SOURCE_REMOVE;
}

static void
on_text_changed (GtkTextBuffer *buffer, LdBulletinPage *self)
{
  if (self->loading)
    return;
  if (buffer == gtk_text_view_get_buffer (self->cases_view))
    self->cases_edited = TRUE;
  else
    self->problems_edited = TRUE;
  g_clear_handle_id (&self->edit_timeout, g_source_remove);
  self->edit_timeout = g_timeout_add (self->edit_delay, apply_edits, self);
}

static void
on_restore (LdBulletinPage *self)
{
  g_clear_handle_id (&self->edit_timeout, g_source_remove);
  self->cases_edited = FALSE;
  self->problems_edited = FALSE;
  if (self->engine == NULL)
    return;
  save_draft (self);
  load (self);
}

static gboolean
has_suffix (const char *path, const char *suffix)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  return g_str_has_suffix (lower, suffix);
}

gboolean
ld_bulletin_page_export (LdBulletinPage *self, const char *path, GError **error)
{
  g_return_val_if_fail (LD_IS_BULLETIN_PAGE (self), FALSE);

  if (self->bulletin == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("No bulletin is shown"));
      return FALSE;
    }
  flush_edits (self);
  if (has_suffix (path, ".pdf"))
    {
      /* Writing lays the pages out on the PDF's surface: the preview's
       * layout is made again for the screen. */
      gboolean ok = ld_bulletin_write_pdf (self->bulletin, path, error);
      paginate (self);
      return ok;
    }
  if (has_suffix (path, ".xlsx"))
    return ld_bulletin_write_xlsx (self->bulletin, path, error);
  {
    g_autofree char *csv = ld_bulletin_to_csv (self->bulletin);
    return g_file_set_contents (path, csv, -1, error);
  }
}

static void
on_export_response (GtkNativeDialog *dialog, int response, LdBulletinPage *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file)
    path = g_file_get_path (file);
  if (path)
    {
      gboolean ok = ld_bulletin_page_export (self, path, &error);
      g_autofree char *message = ok ? g_strdup_printf (_("Saved to %s"), path)
                                    : g_strdup_printf (_("Not saved: %s"), error->message);
      toast (self, message);
    }
  g_object_unref (dialog);
}

static void
export_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  LdBulletinPage *self = LD_BULLETIN_PAGE (widget);
  const char *format = g_variant_get_string (parameter, NULL);
  /* Translators: the file name a bulletin is saved under: year, month, extension */
  g_autofree char *name = g_strdup_printf (_("bulletin-%1$04d-%2$02d.%3$s"), self->year, self->month, format);
  GtkFileChooserNative *dialog;

  if (self->bulletin == NULL)
    return;
  dialog = gtk_file_chooser_native_new (_("Export"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_export_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Printing lays the pages out on the printer's context, which may differ
 * from the screen's; the preview is laid out again once printing is done
 * (ld_bulletin_page_print). */
static void
on_begin_print (GtkPrintOperation *operation, GtkPrintContext *context, LdBulletinPage *self)
{
  guint n;

  self->printing = TRUE;
  n = ld_bulletin_paginate (self->bulletin, gtk_print_context_get_cairo_context (context),
                            gtk_print_context_get_width (context), gtk_print_context_get_height (context));
  gtk_print_operation_set_n_pages (operation, n);
}

static void
on_draw_page (GtkPrintOperation *operation, GtkPrintContext *context, int page, LdBulletinPage *self)
{
  ld_bulletin_draw_page (self->bulletin, gtk_print_context_get_cairo_context (context), page);
}

gboolean
ld_bulletin_page_print (LdBulletinPage *self, const char *pdf_path, GError **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  g_autofree char *job = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkPrintOperationResult result;

  g_return_val_if_fail (LD_IS_BULLETIN_PAGE (self), FALSE);

  if (self->bulletin == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("No bulletin is shown"));
      return FALSE;
    }
  flush_edits (self);
  operation = gtk_print_operation_new ();
  gtk_page_setup_set_paper_size_and_default_margins (setup, a4);
  gtk_print_operation_set_default_page_setup (operation, setup);
  /* The bulletin keeps its own margins, as the PDF has them. */
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  /* Translators: the print job's name: year, month */
  job = g_strdup_printf (_("Bulletin %1$d-%2$02d"), self->year, self->month);
  gtk_print_operation_set_job_name (operation, job);
  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print), self);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page), self);
  if (pdf_path)
    gtk_print_operation_set_export_filename (operation, pdf_path);
  result = gtk_print_operation_run (operation,
                                    pdf_path ? GTK_PRINT_OPERATION_ACTION_EXPORT
                                             : GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                    GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, error);
  /* Printed, cancelled or failed: the preview's layout again. */
  if (self->printing)
    {
      self->printing = FALSE;
      paginate (self);
      for (GtkWidget *sheet = gtk_widget_get_first_child (GTK_WIDGET (self->pages_box)); sheet;
           sheet = gtk_widget_get_next_sibling (sheet))
        gtk_widget_queue_draw (sheet);
    }
  return result != GTK_PRINT_OPERATION_RESULT_ERROR;
}

static void
print_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  LdBulletinPage *self = LD_BULLETIN_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (!ld_bulletin_page_print (self, NULL, &error))
    {
      /* Translators: printing failed; the reason follows */
      g_autofree char *message = g_strdup_printf (_("Not printed: %s"), error->message);
      toast (self, message);
    }
}

LdBulletin *
ld_bulletin_page_get_bulletin (LdBulletinPage *self)
{
  g_return_val_if_fail (LD_IS_BULLETIN_PAGE (self), NULL);
  return self->bulletin;
}

guint
ld_bulletin_page_get_n_pages (LdBulletinPage *self)
{
  g_return_val_if_fail (LD_IS_BULLETIN_PAGE (self), 0);
  return self->n_pages;
}

/* Incidents and drill taps come in all day and almost all belong to
 * this month, not to the one reported: making the bulletin again takes
 * half a second at a city's scale, so it is made when the page is next
 * shown, not on each. A new replica is read again at once. */
static void
on_changed_elsewhere (LdBulletinPage *self)
{
  self->stale = TRUE;
}

static void
on_replica_replaced (LdBulletinPage *self)
{
  self->stale = TRUE;
  if (self->bulletin && gtk_widget_get_mapped (GTK_WIDGET (self)))
    load (self);
}

static void
set_engine (LdBulletinPage *self, LdSyncEngine *engine, GTimeZone *time_zone)
{
  gboolean changed = self->engine != engine;
  gint64 now = ld_time_now ();
  int year, month, day, hour, minute, second;
  GTimeZone *center_zone = ld_store_get_time_zone (ld_sync_engine_get_store (engine));

  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  self->time_zone = g_time_zone_ref (time_zone);
  g_signal_connect_object (engine, "changed", G_CALLBACK (on_changed_elsewhere), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "drills-changed", G_CALLBACK (on_changed_elsewhere), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "notify::replica", G_CALLBACK (on_replica_replaced), self, G_CONNECT_SWAPPED);

  /* A bulletin reports the last whole month, of the center's calendar. */
  ld_time_to_local (now, center_zone, &year, &month, &day, &hour, &minute, &second);
  self->year = month == 1 ? year - 1 : year;
  self->month = month == 1 ? 12 : month - 1;
  self->stale = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    load (self);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

void
ld_bulletin_page_set_engine (LdBulletinPage *self, LdSyncEngine *engine, GTimeZone *time_zone)
{
  g_return_if_fail (LD_IS_BULLETIN_PAGE (self));
  g_return_if_fail (LD_IS_SYNC_ENGINE (engine));
  g_return_if_fail (time_zone != NULL);

  set_engine (self, engine, time_zone);
}

LdSyncEngine *
ld_bulletin_page_get_engine (LdBulletinPage *self)
{
  g_return_val_if_fail (LD_IS_BULLETIN_PAGE (self), NULL);

  return self->engine;
}

static void
ld_bulletin_page_map (GtkWidget *widget)
{
  LdBulletinPage *self = LD_BULLETIN_PAGE (widget);

  GTK_WIDGET_CLASS (ld_bulletin_page_parent_class)->map (widget);
  if (self->stale && self->engine)
    load (self);
}

static void
ld_bulletin_page_dispose (GObject *object)
{
  LdBulletinPage *self = LD_BULLETIN_PAGE (object);

  flush_edits (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_BULLETIN_PAGE);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->bulletin);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  G_OBJECT_CLASS (ld_bulletin_page_parent_class)->dispose (object);
}

static void
ld_bulletin_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LdBulletinPage *self = LD_BULLETIN_PAGE (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_EDIT_DELAY:
      g_value_set_uint (value, self->edit_delay);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_bulletin_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LdBulletinPage *self = LD_BULLETIN_PAGE (object);
  LdSyncEngine *engine;

  switch (prop_id)
    {
    case PROP_ENGINE:
      /* Bound in a template, the engine brings the center's own zone. */
      engine = g_value_get_object (value);
      if (engine)
        set_engine (self, engine, ld_store_get_time_zone (ld_sync_engine_get_store (engine)));
      break;
    case PROP_EDIT_DELAY:
      self->edit_delay = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_bulletin_page_class_init (LdBulletinPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_bulletin_page_dispose;
  object_class->get_property = ld_bulletin_page_get_property;
  object_class->set_property = ld_bulletin_page_set_property;
  widget_class->map = ld_bulletin_page_map;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, LD_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The milliseconds typing rests before the edits reach the pages. */
  properties[PROP_EDIT_DELAY] =
    g_param_spec_uint ("edit-delay", NULL, NULL, 0, G_MAXUINT, EDIT_DELAY,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LD_TYPE_READ_FAILURE);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-bulletin-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LdBulletinPage, toasts);
  gtk_widget_class_bind_template_child (widget_class, LdBulletinPage, month_label);
  gtk_widget_class_bind_template_child (widget_class, LdBulletinPage, next_month);
  gtk_widget_class_bind_template_child (widget_class, LdBulletinPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, LdBulletinPage, cases_view);
  gtk_widget_class_bind_template_child (widget_class, LdBulletinPage, problems_view);
  gtk_widget_class_bind_template_child (widget_class, LdBulletinPage, pages_box);
  gtk_widget_class_bind_template_child (widget_class, LdBulletinPage, failure);
  gtk_widget_class_bind_template_callback (widget_class, load);
  gtk_widget_class_bind_template_callback (widget_class, on_previous_month);
  gtk_widget_class_bind_template_callback (widget_class, on_next_month);
  gtk_widget_class_bind_template_callback (widget_class, on_restore);
  gtk_widget_class_install_action (widget_class, "bulletin.export", "s", export_activated);
  gtk_widget_class_install_action (widget_class, "bulletin.print", NULL, print_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "bulletin.print", NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ld_bulletin_page_init (LdBulletinPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->edit_delay = EDIT_DELAY;
  g_signal_connect (gtk_text_view_get_buffer (self->cases_view), "changed", G_CALLBACK (on_text_changed), self);
  g_signal_connect (gtk_text_view_get_buffer (self->problems_view), "changed", G_CALLBACK (on_text_changed), self);
}
