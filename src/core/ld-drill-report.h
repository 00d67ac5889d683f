/* ld-drill-report.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ld-store.h"

G_BEGIN_DECLS

/* A drill is an hour or two in the field: half a day after its alarm it
 * is over, and a tap would log an arrival that never happened. */
#define LD_DRILL_OVER_US (G_GINT64_CONSTANT (12) * 3600 * LD_USEC_PER_S)

/* The results of simulated-alarm drills (拉动检查), one definition each:
 * a drill's result, the month's table as the bulletin prints it (seed
 * 001), a unit's drill history, and the table or a result as CSV or XLSX.
 *
 * Each is judged at a moment: arrival and lateness come from
 * ld_drill_arrival_s() and ld_drill_unit_is_late_at() at that moment, and
 * a drill whose alarm was not raised is planned and in none of them.
 * Texts ("18分25秒", "未到场", column labels) are made in the locale of the
 * moment the result is built.
 *
 * The month's table has one row per drill: the seeds hold one drill per
 * region in a month, and a second drill in the same region is a second
 * check that must not hide the first. Such rows carry the drill's date
 * after the region's name ("瓯海区 (8/25)"). Columns are the unit
 * categories taking part in the month's drills, police first, then in the
 * order of seed 001's table (see ld_drill_category_rank()). When a drill
 * has several units of one category, the cell shows the one that decides
 * whether the department was on time (a late one, else the last in); the
 * row's count still counts every unit not on time. */

typedef struct {
  char      *code;
  char      *name;
  char      *category;
  gint64     alarm_at;
  gint64     arrived_at;
  gint64     arrival_s;     /* -1: not arrived */
  char      *arrival_text;  /* "18分25秒", "did not arrive", or "on the way" within its limit */
  int        limit_s;
  gboolean   late;          /* at the moment judged */
  char      *correction;    /* why the arrival was corrected, NULL if it was not */
} LdDrillResultUnit;

typedef struct {
  char      *id;
  char      *region_code;
  char      *region_name;
  char      *location;
  char      *scenario;
  gint64     held_at;
  gint64     alarm_at;      /* the earliest unit's alarm, LD_TIME_NONE before it is raised */
  guint      late;          /* units late at the moment it was made for: ld_drill_result_late_at() */
  GPtrArray *units;         /* LdDrillResultUnit, by category rank, then code */
} LdDrillResult;

typedef struct {
  char          *label;     /* the region's name, with the date if it held several drills */
  LdDrillResult *drill;
  GPtrArray     *cells;     /* per column, the LdDrillResultUnit shown (borrowed) or NULL: "-" */
} LdDrillTableRow;

typedef struct {
  LdPeriod    period;
  GTimeZone  *tz;
  GPtrArray  *categories;   /* unit category codes, the columns in order */
  GPtrArray  *rows;         /* LdDrillTableRow, by drill time */
} LdDrillTable;

/* Whether @result's drill had its alarm; one without is planned. */
gboolean         ld_drill_result_is_held  (const LdDrillResult *result);
/* Whether @result's drill is over at @now: half a day after its alarm. */
gboolean         ld_drill_result_is_over  (const LdDrillResult *result,
                                           gint64               now);
/* How many of @result's units are late at @now, by
 * ld_drill_unit_is_late_at(): every count of a drill's late units, on
 * every screen and in every report, is this one. */
guint            ld_drill_result_late_at  (const LdDrillResult *result,
                                           gint64               now);

/* One drill's history line for a unit. */
typedef struct {
  char      *drill_id;
  gint64     held_at;
  char      *region_code;
  char      *region_name;
  char      *location;
  char      *scenario;
  gint64     arrival_s;     /* -1: not arrived */
  char      *arrival_text;
  int        limit_s;
  gboolean   late;
} LdDrillHistoryEntry;

/* Where a unit category stands among the table's columns: police 0, then
 * emergency, environment, transport, market, hrss, health and medical,
 * urban_management, power, government and district_center, then the
 * other categories of the design; unknown ones after all of them. */
guint          ld_drill_category_rank     (const char          *category);

/* @drill's result as of @now. (transfer full): the caller frees it with
 * ld_drill_result_free(). */
LdDrillResult *ld_drill_result_new        (LdStore             *store,
                                           const LdDrill       *drill,
                                           gint64               now,
                                           GError             **error);
void           ld_drill_result_free       (LdDrillResult       *result);

/* The drills held in @period in @region_code and the regions under it
 * (NULL: everywhere), as of @now. (transfer full): the caller frees it
 * with ld_drill_table_free(). */
LdDrillTable  *ld_drill_table_new         (LdStore             *store,
                                           const LdPeriod      *period,
                                           const char          *region_code,
                                           gint64               now,
                                           GError             **error);
void           ld_drill_table_free        (LdDrillTable        *table);
/* "Simulated-alarm drills, 2020-08", as the translation words it.
 * (transfer full): the caller g_free()s it. */
char          *ld_drill_table_title       (const LdDrillTable  *table);
/* A cell's text: the arrival, "-" when the category took no part.
 * (transfer none): the row's, or a static string. */
const char    *ld_drill_table_cell_text   (const LdDrillTableRow *row,
                                           guint                column);

/* The drills the unit was called to, oldest first, as of @now; @period
 * may be NULL for every one. (transfer full) (element-type
 * LdDrillHistoryEntry): the array frees its entries; the caller unrefs
 * it. */
GPtrArray     *ld_drill_history_new       (LdStore             *store,
                                           const char          *unit_code,
                                           const LdPeriod      *period,
                                           gint64               now,
                                           GError             **error);
void           ld_drill_history_entry_free (LdDrillHistoryEntry *entry);

/* CSV: UTF-8 with a BOM (so that Excel reads the Chinese), one header row,
 * CRLF. XLSX: one sheet with a title row, the header row, late cells in
 * bold red, counts as numbers. The file is replaced. */
gboolean       ld_drill_table_write_csv   (const LdDrillTable  *table,
                                           const char          *path,
                                           GError             **error);
gboolean       ld_drill_table_write_xlsx  (const LdDrillTable  *table,
                                           const char          *path,
                                           GError             **error);
gboolean       ld_drill_result_write_csv  (const LdDrillResult *result,
                                           GTimeZone           *tz,
                                           const char          *path,
                                           GError             **error);
gboolean       ld_drill_result_write_xlsx (const LdDrillResult *result,
                                           GTimeZone           *tz,
                                           const char          *path,
                                           GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdDrillResult, ld_drill_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdDrillTable, ld_drill_table_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdDrillHistoryEntry, ld_drill_history_entry_free)

G_END_DECLS
