/* ld-training.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <pango/pangocairo.h>

#include "ld-pdf.h"
#include "ld-recommend.h"
#include "ld-simulator.h"
#include "ld-training.h"

static void
training_call_free (LdTrainingCall *call)
{
  ld_incident_free (call->incident);
  g_ptr_array_unref (call->expected);
  g_ptr_array_unref (call->dispatched);
  g_free (call);
}

void
ld_training_report_free (LdTrainingReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->calls);
  g_hash_table_unref (report->unit_names);
  g_free (report);
}

static gboolean
contains (GPtrArray *codes, const char *code)
{
  for (guint i = 0; i < codes->len; i++)
    if (g_str_equal (g_ptr_array_index (codes, i), code))
      return TRUE;
  return FALSE;
}

/* What a good dispatcher sends: the units the responsibility list names,
 * one, or two for a joint handling, as the simulator's own dispatcher
 * does outside training. */
static GPtrArray *
expected_units (LdStore *store, const LdIncident *incident, GHashTable *names)
{
  g_autoptr(GPtrArray) units = ld_recommend_units (store, incident->category, incident->region_code, NULL);
  g_autoptr(LdCategory) category = incident->category ? ld_store_get_category (store, incident->category, NULL) : NULL;
  GPtrArray *codes = g_ptr_array_new_with_free_func (g_free);
  guint wanted = category && g_strcmp0 (category->mode, "joint") == 0 ? 2 : 1;

  for (guint i = 0; units && i < units->len && codes->len < wanted; i++)
    {
      const LdUnit *unit = g_ptr_array_index (units, i);

      g_ptr_array_add (codes, g_strdup (unit->code));
      g_hash_table_insert (names, g_strdup (unit->code), g_strdup (unit->name));
    }
  return codes;
}

static LdTrainingCall *
judge (LdStore *store, LdIncident *incident, GHashTable *names)
{
  LdTrainingCall *call = g_new0 (LdTrainingCall, 1);
  g_autoptr(GPtrArray) orders = ld_store_list_orders (store, incident->id, NULL);

  call->incident = incident;
  call->expected = expected_units (store, incident, names);
  call->dispatched = g_ptr_array_new_with_free_func (g_free);
  call->jurisdiction_right = TRUE;
  for (guint i = 0; orders && i < orders->len; i++)
    {
      const LdOrder *order = g_ptr_array_index (orders, i);
      g_autoptr(LdUnit) unit = ld_store_get_unit (store, order->unit_code, NULL);

      if (call->first_order_at == LD_TIME_NONE || order->dispatched_at < call->first_order_at)
        call->first_order_at = order->dispatched_at;
      if (!contains (call->dispatched, order->unit_code))
        g_ptr_array_add (call->dispatched, g_strdup (order->unit_code));
      if (unit)
        g_hash_table_insert (names, g_strdup (unit->code), g_strdup (unit->name));
      /* A unit serves its own region and those below it. */
      if (unit == NULL || unit->region_code == NULL || incident->region_code == NULL ||
          !ld_store_region_is_within (store, incident->region_code, unit->region_code))
        call->jurisdiction_right = FALSE;
    }
  for (guint i = 0; i < call->dispatched->len; i++)
    contains (call->expected, g_ptr_array_index (call->dispatched, i)) ? call->right++ : call->wrong++;
  for (guint i = 0; i < call->expected->len; i++)
    if (!contains (call->dispatched, g_ptr_array_index (call->expected, i)))
      call->missed++;
  call->in_time = call->first_order_at != LD_TIME_NONE &&
                  call->first_order_at - incident->received_at <= LD_TRAINING_DISPATCH_S * LD_USEC_PER_S;
  if (call->first_order_at == LD_TIME_NONE)
    call->jurisdiction_right = FALSE;
  return call;
}

static int
compare_calls (gconstpointer a, gconstpointer b)
{
  const LdTrainingCall *x = *(LdTrainingCall **) a, *y = *(LdTrainingCall **) b;
  return x->incident->received_at < y->incident->received_at ? -1 : x->incident->received_at > y->incident->received_at;
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

LdTrainingReport *
ld_training_report_new (LdStore *store, gint64 since, gint64 until, GError **error)
{
  LdEventFilter filter = { NULL, NULL, "simulator", since, until, G_MAXUINT };
  g_autoptr(GPtrArray) events = ld_store_list_events (store, &filter, error);
  g_autoptr(GArray) waits = g_array_new (FALSE, FALSE, sizeof (gint64));
  LdTrainingReport *report;

  if (events == NULL)
    return NULL;
  report = g_new0 (LdTrainingReport, 1);
  report->calls = g_ptr_array_new_with_free_func ((GDestroyNotify) training_call_free);
  report->unit_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* The calls are the incidents the simulator made: a linkage call is
   * the trainee's to dispatch. */
  for (guint i = 0; i < events->len; i++)
    {
      const LdEvent *e = g_ptr_array_index (events, i);
      LdIncident *incident;
      LdTrainingCall *call;

      if (!g_str_equal (e->entity, "incident") || !g_str_equal (e->action, "create"))
        continue;
      incident = ld_store_get_incident (store, e->entity_id, NULL);
      if (incident == NULL || g_strcmp0 (incident->kind, "linkage") != 0)
        {
          ld_incident_free (incident);
          continue;
        }
      call = judge (store, incident, report->unit_names);
      g_ptr_array_add (report->calls, call);
      report->right += call->right;
      report->wrong += call->wrong;
      report->missed += call->missed;
      if (call->first_order_at != LD_TIME_NONE)
        {
          gint64 wait = call->first_order_at - incident->received_at;

          report->dispatched++;
          g_array_append_val (waits, wait);
        }
      if (call->in_time)
        report->in_time++;
      if (call->jurisdiction_right)
        report->jurisdiction_right++;
    }
  g_ptr_array_sort (report->calls, compare_calls);
  if (waits->len > 0)
    {
      g_array_sort (waits, compare_gint64);
      report->median_to_order_us = g_array_index (waits, gint64, waits->len / 2);
    }
  return report;
}

static void
append_units (GString *s, GPtrArray *codes, GHashTable *names)
{
  for (guint i = 0; i < codes->len; i++)
    {
      const char *code = g_ptr_array_index (codes, i);
      const char *name = g_hash_table_lookup (names, code);

      g_string_append_printf (s, "%s%s", i ? ", " : "", name ? name : code);
    }
  if (codes->len == 0)
    g_string_append (s, "—");
}

char *
ld_training_report_to_text (const LdTrainingReport *report, GTimeZone *tz)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "%s\n\n", _("Training report"));
  for (guint i = 0; i < report->calls->len; i++)
    {
      const LdTrainingCall *call = g_ptr_array_index (report->calls, i);
      g_autofree char *at = ld_time_format (call->incident->received_at, tz);

      g_string_append_printf (s, "%u. %s  %s\n", i + 1, at, call->incident->summary ? call->incident->summary : "");
      if (call->first_order_at == LD_TIME_NONE)
        g_string_append_printf (s, "   %s\n", _("Not dispatched"));
      else
        {
          g_autofree char *wait = ld_duration_format ((call->first_order_at - call->incident->received_at) / LD_USEC_PER_S);
          g_string_append_printf (s, "   %s %s\n", _("First order after"), wait);
        }
      g_string_append_printf (s, "   %s ", _("Expected:"));
      append_units (s, call->expected, report->unit_names);
      g_string_append_printf (s, "; %s ", _("dispatched:"));
      append_units (s, call->dispatched, report->unit_names);
      g_string_append_printf (s, "\n   %s %u, %s %u, %s %u; %s; %s\n",
                              _("right"), call->right, _("wrong"), call->wrong, _("missed"), call->missed,
                              call->jurisdiction_right ? _("jurisdiction right") : _("jurisdiction wrong"),
                              call->in_time ? _("dispatched in time") : _("not dispatched in time"));
    }
  g_string_append_printf (s, "\n%s\n", _("In total"));
  g_string_append_printf (s, _("%u calls, %u dispatched, %u within %d s; units right %u, wrong %u, missed %u; jurisdiction right %u"),
                          report->calls->len, report->dispatched, report->in_time, LD_TRAINING_DISPATCH_S,
                          report->right, report->wrong, report->missed, report->jurisdiction_right);
  g_string_append_c (s, '\n');
  return g_string_free (s, FALSE);
}

/* A4 in points, with 20 mm margins. */
#define PAGE_WIDTH 595.276
#define PAGE_HEIGHT 841.890
#define MARGIN 56.693

gboolean
ld_training_report_write_pdf (const LdTrainingReport *report, GTimeZone *tz, const char *path, GError **error)
{
  g_autofree char *text = ld_training_report_to_text (report, tz);

  return ld_training_text_write_pdf (text, path, error);
}

/* The desk has only the text the server sent: it prints the same pages
 * from it. */
gboolean
ld_training_text_write_pdf (const char *text, const char *path, GError **error)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  cairo_surface_t *surface = ld_pdf_new (path, PAGE_WIDTH, PAGE_HEIGHT, error);
  PangoFontDescription *font;
  cairo_t *cr;
  double y = MARGIN;

  if (surface == NULL)
    return FALSE;
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, _("Training report"));
  cr = cairo_create (surface);
  font = pango_font_description_from_string ("Noto Sans CJK SC 10");
  /* A line at a time, each wrapped to the page: a call's block never
   * needs more than a few, and a page takes what fits. */
  for (guint i = 0; lines[i]; i++)
    {
      PangoLayout *layout = pango_cairo_create_layout (cr);
      int height;

      pango_layout_set_font_description (layout, font);
      pango_layout_set_width (layout, (int) ((PAGE_WIDTH - 2 * MARGIN) * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_text (layout, *lines[i] ? lines[i] : " ", -1);
      pango_layout_get_size (layout, NULL, &height);
      if (y + height / (double) PANGO_SCALE > PAGE_HEIGHT - MARGIN)
        {
          cairo_show_page (cr);
          y = MARGIN;
        }
      cairo_move_to (cr, MARGIN, y);
      pango_cairo_show_layout (cr, layout);
      y += height / (double) PANGO_SCALE;
      g_object_unref (layout);
    }
  pango_font_description_free (font);
  cairo_destroy (cr);
  return ld_pdf_finish (surface, path, error);
}

JsonNode *
ld_training_report_to_json (const LdTrainingReport *report, gint64 since, GTimeZone *tz)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *text = ld_training_report_to_text (report, tz);
  g_autofree char *since_text = ld_time_format_iso (since, tz);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "since");
  json_builder_add_string_value (b, since_text);
  json_builder_set_member_name (b, "calls");
  json_builder_add_int_value (b, report->calls->len);
  json_builder_set_member_name (b, "dispatched");
  json_builder_add_int_value (b, report->dispatched);
  json_builder_set_member_name (b, "in_time");
  json_builder_add_int_value (b, report->in_time);
  json_builder_set_member_name (b, "right");
  json_builder_add_int_value (b, report->right);
  json_builder_set_member_name (b, "wrong");
  json_builder_add_int_value (b, report->wrong);
  json_builder_set_member_name (b, "missed");
  json_builder_add_int_value (b, report->missed);
  json_builder_set_member_name (b, "jurisdiction_right");
  json_builder_add_int_value (b, report->jurisdiction_right);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, text);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
