/* ld-drill-report.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ld-csv.h"
#include "ld-drill-report.h"
#include "ld-metrics.h"
#include "ld-store-private.h"
#include "ld-xlsx.h"

/* Seed 001's columns first (公安, 应急管理, 生态环境, 交通运输, 市场监管,
 * 人力社保, 卫健委, 综合执法, 供电, 街道（政府）) under the codes the demo
 * city and the import use. The 卫健委 is "health", or "medical" where it
 * runs the 120 dispatch as in the demo city; 街道（政府） is the local
 * government, or a district's linkage center that answers for it. */
static const char * const category_order[] = {
  "police", "emergency", "environment", "transport", "market", "hrss", "health", "medical",
  "urban_management", "power", "government", "district_center",
  "fire", "natural_resources", "agriculture", "housing", "water", "telecom", "cable_tv",
  "transit", "city_invest", "tobacco", "commerce",
};

guint
ld_drill_category_rank (const char *category)
{
  for (guint i = 0; i < G_N_ELEMENTS (category_order); i++)
    if (g_strcmp0 (category_order[i], category) == 0)
      return i;
  return G_N_ELEMENTS (category_order);
}

static int
compare_categories (const char *a, const char *b)
{
  guint ra = ld_drill_category_rank (a), rb = ld_drill_category_rank (b);
  if (ra != rb)
    return ra < rb ? -1 : 1;
  return g_strcmp0 (a, b);
}

static int
compare_category_ptrs (gconstpointer a, gconstpointer b)
{
  return compare_categories (*(const char * const *) a, *(const char * const *) b);
}

static int
compare_result_units (gconstpointer a, gconstpointer b)
{
  const LdDrillResultUnit *ua = *(const LdDrillResultUnit * const *) a;
  const LdDrillResultUnit *ub = *(const LdDrillResultUnit * const *) b;
  int c = compare_categories (ua->category, ub->category);
  return c ? c : g_strcmp0 (ua->code, ub->code);
}

/* A unit not in yet within its limit is on its way; past it, it did not
 * arrive (in time to count). */
static char *
arrival_text (gint64 arrival_s, gboolean late)
{
  if (arrival_s >= 0)
    return ld_duration_format (arrival_s);
  return g_strdup (late ? _("did not arrive") : _("on the way"));
}

static void
result_unit_free (LdDrillResultUnit *u)
{
  g_free (u->code);
  g_free (u->name);
  g_free (u->category);
  g_free (u->arrival_text);
  g_free (u->correction);
  g_free (u);
}

void
ld_drill_result_free (LdDrillResult *result)
{
  if (result == NULL)
    return;
  g_free (result->id);
  g_free (result->region_code);
  g_free (result->region_name);
  g_free (result->location);
  g_free (result->scenario);
  g_ptr_array_unref (result->units);
  g_free (result);
}

LdDrillResult *
ld_drill_result_new (LdStore *store, const LdDrill *drill, gint64 now, GError **error)
{
  g_autoptr(GPtrArray) units = ld_store_list_drill_units (store, drill->id, error);
  g_autoptr(LdDrillResult) result = NULL;
  g_autoptr(LdRegion) region = NULL;

  if (units == NULL)
    return NULL;
  result = g_new0 (LdDrillResult, 1);
  result->id = g_strdup (drill->id);
  result->region_code = g_strdup (drill->region_code);
  region = drill->region_code ? ld_store_get_region (store, drill->region_code, NULL) : NULL;
  result->region_name = g_strdup (region ? region->name : drill->region_code);
  result->location = g_strdup (drill->location);
  result->scenario = g_strdup (drill->scenario);
  result->held_at = drill->held_at;
  result->alarm_at = LD_TIME_NONE;
  result->units = g_ptr_array_new_with_free_func ((GDestroyNotify) result_unit_free);

  for (guint i = 0; i < units->len; i++)
    {
      const LdDrillUnit *du = g_ptr_array_index (units, i);
      const LdUnit *unit = ld_store_lookup_unit (store, du->unit_code);
      LdDrillResultUnit *u = g_new0 (LdDrillResultUnit, 1);

      u->code = g_strdup (du->unit_code);
      u->name = g_strdup (unit ? unit->name : du->unit_code);
      u->category = g_strdup (unit ? unit->category : NULL);
      u->alarm_at = du->alarm_at;
      u->arrived_at = du->arrived_at;
      u->arrival_s = ld_drill_arrival_s (du);
      u->limit_s = du->limit_s;
      u->late = ld_drill_unit_is_late_at (du, now);
      u->arrival_text = arrival_text (u->arrival_s, u->late);
      u->correction = du->corrected && u->arrival_s >= 0 ? g_strdup (du->correction) : NULL;
      if (du->alarm_at != LD_TIME_NONE && (result->alarm_at == LD_TIME_NONE || du->alarm_at < result->alarm_at))
        result->alarm_at = du->alarm_at;
      g_ptr_array_add (result->units, u);
    }
  g_ptr_array_sort (result->units, compare_result_units);
  result->late = ld_drill_result_late_at (result, now);
  return g_steal_pointer (&result);
}

gboolean
ld_drill_result_is_held (const LdDrillResult *result)
{
  return result->alarm_at != LD_TIME_NONE;
}

gboolean
ld_drill_result_is_over (const LdDrillResult *result, gint64 now)
{
  return ld_drill_result_is_held (result) && now >= result->alarm_at + LD_DRILL_OVER_US;
}

guint
ld_drill_result_late_at (const LdDrillResult *result, gint64 now)
{
  guint late = 0;

  for (guint i = 0; i < result->units->len; i++)
    {
      const LdDrillResultUnit *u = g_ptr_array_index (result->units, i);
      LdDrillUnit du = { NULL, NULL, u->alarm_at, u->arrived_at, u->limit_s, NULL, FALSE, NULL };

      late += ld_drill_unit_is_late_at (&du, now);
    }
  return late;
}

/* The month's table */

static void
table_row_free (LdDrillTableRow *row)
{
  g_free (row->label);
  ld_drill_result_free (row->drill);
  g_ptr_array_unref (row->cells);
  g_free (row);
}

void
ld_drill_table_free (LdDrillTable *table)
{
  if (table == NULL)
    return;
  g_time_zone_unref (table->tz);
  g_ptr_array_unref (table->categories);
  g_ptr_array_unref (table->rows);
  g_free (table);
}

/* Of two units of one category, the one that decides whether the
 * department was on time: a late one, and of two alike the later, where
 * not in yet is later than any time. */
static gboolean
decides_over (const LdDrillResultUnit *a, const LdDrillResultUnit *b)
{
  if (a->late != b->late)
    return a->late;
  if (b->arrival_s < 0)
    return FALSE;
  return a->arrival_s < 0 || a->arrival_s > b->arrival_s;
}

LdDrillTable *
ld_drill_table_new (LdStore *store, const LdPeriod *period, const char *region_code, gint64 now, GError **error)
{
  g_autoptr(GPtrArray) drills = ld_store_list_drills (store, period, error);
  g_autoptr(LdDrillTable) table = NULL;
  g_autoptr(GHashTable) per_region = g_hash_table_new (g_str_hash, g_str_equal);

  if (drills == NULL)
    return NULL;
  table = g_new0 (LdDrillTable, 1);
  table->period = *period;
  table->tz = g_time_zone_ref (ld_store_get_time_zone (store));
  table->categories = g_ptr_array_new_with_free_func (g_free);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) table_row_free);

  for (guint i = 0; i < drills->len; i++)
    {
      const LdDrill *drill = g_ptr_array_index (drills, i);
      LdDrillTableRow *row;
      LdDrillResult *result;

      if (region_code && (drill->region_code == NULL ||
                          !ld_store_region_is_within (store, drill->region_code, region_code)))
        continue;
      result = ld_drill_result_new (store, drill, now, error);
      if (result == NULL)
        return NULL;
      if (!ld_drill_result_is_held (result))
        {
          ld_drill_result_free (result);
          continue;
        }
      row = g_new0 (LdDrillTableRow, 1);
      row->drill = result;
      g_ptr_array_add (table->rows, row);
      if (result->region_code)
        g_hash_table_insert (per_region, result->region_code,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (per_region, result->region_code)) + 1));
      for (guint j = 0; j < result->units->len; j++)
        {
          const LdDrillResultUnit *u = g_ptr_array_index (result->units, j);
          if (u->category && !g_ptr_array_find_with_equal_func (table->categories, u->category, g_str_equal, NULL))
            g_ptr_array_add (table->categories, g_strdup (u->category));
        }
    }
  g_ptr_array_sort (table->categories, compare_category_ptrs);

  for (guint i = 0; i < table->rows->len; i++)
    {
      LdDrillTableRow *row = g_ptr_array_index (table->rows, i);
      const LdDrillResult *d = row->drill;
      const char *name = d->region_name ? d->region_name : d->location ? d->location : "";

      if (d->region_code && GPOINTER_TO_UINT (g_hash_table_lookup (per_region, d->region_code)) > 1)
        {
          g_autofree char *date = ld_time_format_date (d->held_at, table->tz);
          row->label = g_strdup_printf (_("%s (%s)"), name, date);
        }
      else
        row->label = g_strdup (name);

      row->cells = g_ptr_array_new ();
      for (guint c = 0; c < table->categories->len; c++)
        {
          const char *category = g_ptr_array_index (table->categories, c);
          LdDrillResultUnit *shown = NULL;

          for (guint j = 0; j < d->units->len; j++)
            {
              LdDrillResultUnit *u = g_ptr_array_index (d->units, j);
              if (g_strcmp0 (u->category, category) == 0 && (shown == NULL || decides_over (u, shown)))
                shown = u;
            }
          g_ptr_array_add (row->cells, shown);
        }
    }
  return g_steal_pointer (&table);
}

char *
ld_drill_table_title (const LdDrillTable *table)
{
  int y, m;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  if (ld_period_is_month (&table->period, table->tz, &y, &m))
    /* Translators: the title of the month's drill table: year, month, as
     * in "2020年8月 拉动检查情况" */
    return g_strdup_printf (_("Simulated-alarm drills, %1$d-%2$02d"), y, m);
  from = ld_time_format_date (table->period.start, table->tz);
  to = ld_time_format_date (table->period.end - 1, table->tz);
  return g_strdup_printf (_("Simulated-alarm drills, %1$s to %2$s"), from, to);
}

const char *
ld_drill_table_cell_text (const LdDrillTableRow *row, guint column)
{
  const LdDrillResultUnit *u = g_ptr_array_index (row->cells, column);
  return u ? u->arrival_text : "-";
}

/* A unit's history */

void
ld_drill_history_entry_free (LdDrillHistoryEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->drill_id);
  g_free (entry->region_code);
  g_free (entry->region_name);
  g_free (entry->location);
  g_free (entry->scenario);
  g_free (entry->arrival_text);
  g_free (entry);
}

GPtrArray *
ld_drill_history_new (LdStore *store, const char *unit_code, const LdPeriod *period, gint64 now, GError **error)
{
  g_autoptr(GPtrArray) drills = ld_store_list_unit_drills (store, unit_code, period, error);
  g_autoptr(GPtrArray) history = NULL;

  if (drills == NULL)
    return NULL;
  history = g_ptr_array_new_with_free_func ((GDestroyNotify) ld_drill_history_entry_free);
  for (guint i = 0; i < drills->len; i++)
    {
      g_autoptr(LdDrillResult) result = ld_drill_result_new (store, g_ptr_array_index (drills, i), now, error);

      if (result == NULL)
        return NULL;
      if (!ld_drill_result_is_held (result))
        continue;
      for (guint j = 0; j < result->units->len; j++)
        {
          LdDrillResultUnit *u = g_ptr_array_index (result->units, j);
          LdDrillHistoryEntry *e;

          if (!g_str_equal (u->code, unit_code))
            continue;
          e = g_new0 (LdDrillHistoryEntry, 1);
          e->drill_id = g_steal_pointer (&result->id);
          e->held_at = result->held_at;
          e->region_code = g_steal_pointer (&result->region_code);
          e->region_name = g_steal_pointer (&result->region_name);
          e->location = g_steal_pointer (&result->location);
          e->scenario = g_steal_pointer (&result->scenario);
          e->arrival_s = u->arrival_s;
          e->arrival_text = g_steal_pointer (&u->arrival_text);
          e->limit_s = u->limit_s;
          e->late = u->late;
          g_ptr_array_add (history, e);
          break;
        }
    }
  return g_steal_pointer (&history);
}

/* Export: the table and a result become one sheet, written as CSV or XLSX. */

typedef struct {
  char     *text;
  gboolean  is_count;   /* a number in XLSX */
  guint     count;
  gboolean  late;
} Cell;

typedef struct {
  char      *title;
  GPtrArray *header;    /* char * */
  GPtrArray *rows;      /* GPtrArray of Cell */
} Sheet;

static void
cell_free (Cell *cell)
{
  g_free (cell->text);
  g_free (cell);
}

static void
add_text (GPtrArray *row, const char *text, gboolean late)
{
  Cell *cell = g_new0 (Cell, 1);
  cell->text = g_strdup (text ? text : "");
  cell->late = late;
  g_ptr_array_add (row, cell);
}

static void
add_count (GPtrArray *row, guint count)
{
  Cell *cell = g_new0 (Cell, 1);
  cell->text = g_strdup_printf ("%u", count);
  cell->is_count = TRUE;
  cell->count = count;
  g_ptr_array_add (row, cell);
}

static GPtrArray *
sheet_add_row (Sheet *sheet)
{
  GPtrArray *row = g_ptr_array_new_with_free_func ((GDestroyNotify) cell_free);
  g_ptr_array_add (sheet->rows, row);
  return row;
}

static void
sheet_free (Sheet *sheet)
{
  g_free (sheet->title);
  g_ptr_array_unref (sheet->header);
  g_ptr_array_unref (sheet->rows);
  g_free (sheet);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Sheet, sheet_free)

static Sheet *
sheet_new (char *title)
{
  Sheet *sheet = g_new0 (Sheet, 1);
  sheet->title = title;
  sheet->header = g_ptr_array_new_with_free_func (g_free);
  sheet->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  return sheet;
}

static Sheet *
table_sheet (const LdDrillTable *table)
{
  Sheet *sheet = sheet_new (ld_drill_table_title (table));

  g_ptr_array_add (sheet->header, g_strdup (_("Region")));
  for (guint c = 0; c < table->categories->len; c++)
    g_ptr_array_add (sheet->header, g_strdup (ld_unit_category_label (g_ptr_array_index (table->categories, c))));
  g_ptr_array_add (sheet->header, g_strdup (_("Not on time")));

  for (guint i = 0; i < table->rows->len; i++)
    {
      const LdDrillTableRow *r = g_ptr_array_index (table->rows, i);
      GPtrArray *row = sheet_add_row (sheet);

      add_text (row, r->label, FALSE);
      for (guint c = 0; c < r->cells->len; c++)
        {
          const LdDrillResultUnit *u = g_ptr_array_index (r->cells, c);
          add_text (row, ld_drill_table_cell_text (r, c), u && u->late);
        }
      add_count (row, r->drill->late);
    }
  return sheet;
}

static Sheet *
result_sheet (const LdDrillResult *result, GTimeZone *tz)
{
  g_autofree char *date = ld_time_format_date (result->held_at, tz);
  Sheet *sheet = sheet_new (g_strdup_printf (_("Drill in %1$s on %2$s"),
                                             result->region_name ? result->region_name : "", date));
  GPtrArray *row;

  g_ptr_array_add (sheet->header, g_strdup (_("Unit")));
  g_ptr_array_add (sheet->header, g_strdup (_("Category")));
  g_ptr_array_add (sheet->header, g_strdup (_("Arrival time")));
  g_ptr_array_add (sheet->header, g_strdup (_("Time limit")));
  g_ptr_array_add (sheet->header, g_strdup (_("Late")));
  for (guint i = 0; i < result->units->len; i++)
    {
      const LdDrillResultUnit *u = g_ptr_array_index (result->units, i);
      g_autofree char *limit = ld_duration_format (u->limit_s > 0 ? u->limit_s : 1200);

      row = sheet_add_row (sheet);
      add_text (row, u->name, FALSE);
      add_text (row, ld_unit_category_label (u->category), FALSE);
      add_text (row, u->arrival_text, u->late);
      add_text (row, limit, FALSE);
      add_text (row, u->late ? _("Late") : "", u->late);
    }
  row = sheet_add_row (sheet);
  add_text (row, _("Not on time"), FALSE);
  for (guint c = 1; c + 1 < sheet->header->len; c++)
    add_text (row, "", FALSE);
  add_count (row, result->late);
  return sheet;
}

static gboolean
sheet_write_csv (const Sheet *sheet, const char *path, GError **error)
{
  /* Excel takes a CSV without a BOM for the local code page. */
  g_autoptr(GString) out = g_string_new ("\xEF\xBB\xBF");

  for (guint c = 0; c < sheet->header->len; c++)
    {
      if (c)
        g_string_append_c (out, ',');
      ld_csv_append_field (out, g_ptr_array_index (sheet->header, c));
    }
  g_string_append (out, "\r\n");
  for (guint i = 0; i < sheet->rows->len; i++)
    {
      GPtrArray *row = g_ptr_array_index (sheet->rows, i);
      for (guint c = 0; c < row->len; c++)
        {
          if (c)
            g_string_append_c (out, ',');
          ld_csv_append_field (out, ((Cell *) g_ptr_array_index (row, c))->text);
        }
      g_string_append (out, "\r\n");
    }
  return g_file_set_contents (path, out->str, out->len, error);
}

/* Columns as wide as their widest text, a CJK character counting two. */
static double
text_width (const char *text)
{
  double width = 0;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return width;
}

static gboolean
sheet_write_xlsx (const Sheet *sheet, const char *path, GError **error)
{
  lxw_workbook *book = workbook_new (path);
  lxw_worksheet *ws;
  lxw_format *title_format, *header_format, *late_format;
  lxw_col_t n_columns = sheet->header->len;
  g_autofree double *widths = g_new0 (double, n_columns);
  lxw_error err = LXW_NO_ERROR;

  if (book == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, _("Cannot create %s: %s"), path,
                   lxw_strerror (LXW_ERROR_MEMORY_MALLOC_FAILED));
      return FALSE;
    }
  ws = workbook_add_worksheet (book, NULL);
  title_format = workbook_add_format (book);
  format_set_bold (title_format);
  format_set_font_size (title_format, 14);
  format_set_align (title_format, LXW_ALIGN_CENTER);
  header_format = workbook_add_format (book);
  format_set_bold (header_format);
  format_set_text_wrap (header_format);
  format_set_align (header_format, LXW_ALIGN_CENTER);
  format_set_align (header_format, LXW_ALIGN_VERTICAL_CENTER);
  format_set_border (header_format, LXW_BORDER_THIN);
  late_format = workbook_add_format (book);
  format_set_bold (late_format);
  format_set_font_color (late_format, LXW_COLOR_RED);

  if (n_columns > 1)
    err = worksheet_merge_range (ws, 0, 0, 0, n_columns - 1, sheet->title, title_format);
  else
    err = worksheet_write_string (ws, 0, 0, sheet->title, title_format);
  for (lxw_col_t c = 0; c < n_columns && err == LXW_NO_ERROR; c++)
    {
      const char *text = g_ptr_array_index (sheet->header, c);
      /* Headers as long as 未在规定时限内到达现场数量 wrap rather than widen. */
      widths[c] = MIN (text_width (text), 12);
      err = worksheet_write_string (ws, 1, c, text, header_format);
    }
  for (guint i = 0; i < sheet->rows->len && err == LXW_NO_ERROR; i++)
    {
      GPtrArray *row = g_ptr_array_index (sheet->rows, i);
      for (lxw_col_t c = 0; c < row->len && c < n_columns && err == LXW_NO_ERROR; c++)
        {
          const Cell *cell = g_ptr_array_index (row, c);
          lxw_format *format = cell->late ? late_format : NULL;

          widths[c] = MAX (widths[c], text_width (cell->text));
          if (cell->is_count)
            err = worksheet_write_number (ws, i + 2, c, cell->count, format);
          else if (*cell->text)
            err = worksheet_write_string (ws, i + 2, c, cell->text, format);
        }
    }
  for (lxw_col_t c = 0; c < n_columns && err == LXW_NO_ERROR; c++)
    err = worksheet_set_column (ws, c, c, MIN (widths[c] + 2, 50), NULL);

  return ld_xlsx_close (book, err, path, error);
}

gboolean
ld_drill_table_write_csv (const LdDrillTable *table, const char *path, GError **error)
{
  g_autoptr(Sheet) sheet = table_sheet (table);
  return sheet_write_csv (sheet, path, error);
}

gboolean
ld_drill_table_write_xlsx (const LdDrillTable *table, const char *path, GError **error)
{
  g_autoptr(Sheet) sheet = table_sheet (table);
  return sheet_write_xlsx (sheet, path, error);
}

gboolean
ld_drill_result_write_csv (const LdDrillResult *result, GTimeZone *tz, const char *path, GError **error)
{
  g_autoptr(Sheet) sheet = result_sheet (result, tz);
  return sheet_write_csv (sheet, path, error);
}

gboolean
ld_drill_result_write_xlsx (const LdDrillResult *result, GTimeZone *tz, const char *path, GError **error)
{
  g_autoptr(Sheet) sheet = result_sheet (result, tz);
  return sheet_write_xlsx (sheet, path, error);
}
