/* test-drill-report.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "ld-bulletin.h"
#include "ld-dashboard.h"
#include "ld-drill-report.h"
#include "ld-report.h"
#include "ld-test-city.h"
#include "ld-test-util.h"

/* Seed 001: the 8 月 25 日 drills of 瓯海区 and 永嘉县, its columns under
 * the codes the demo city uses. "-": the department took no part. */
static const struct {
  const char *category;
  const char *code;
} departments[] = {
  { "police", "GA" },            /* 公安 */
  { "emergency", "YJ" },         /* 应急管理 */
  { "environment", "STHJ" },     /* 生态环境 */
  { "transport", "JTYS" },       /* 交通运输 */
  { "market", "SCJG" },          /* 市场监管 */
  { "hrss", "RSJ" },             /* 人力社保 */
  { "health", "WJW" },           /* 卫健委 */
  { "urban_management", "ZHZF" },/* 综合执法 */
  { "power", "GD" },             /* 供电 */
  { "government", "JD" },        /* 街道（政府） */
};

static const struct {
  const char *code;
  const char *name;
  const char *held_at;
  const char *times[G_N_ELEMENTS (departments)];
  guint       late;
} table_001[] = {
  { "330304", "瓯海区", "2020-08-25 09:30:00",
    { "3分", "18分25秒", "27分30秒", "14分10秒", "18分15秒", "11分50秒", "-", "-", "22分20秒", "13分30秒" }, 2 },
  { "330324", "永嘉县", "2020-08-25 14:00:00",
    { "5分10秒", "14分40秒", "10分15秒", "21分30秒", "9分", "13分50秒", "14分50秒", "9分20秒", "13分30秒", "17分35秒" }, 1 },
};

static gint64
parse_seed_duration (const char *text)
{
  int minutes = 0, seconds = 0;
  g_assert_cmpint (sscanf (text, "%d分%d秒", &minutes, &seconds), >=, 1);
  return minutes * 60 + seconds;
}

static char *
unit_code (guint region, guint department)
{
  return g_strdup_printf ("%s-%s", table_001[region].code, departments[department].code);
}

static char *
add_drill (LdStore *store, const char *region_code, const char *held_at, const char *scenario)
{
  g_autoptr(GError) error = NULL;
  LdDrill drill = { 0, };
  char *id;

  drill.held_at = ld_test_time (store, held_at);
  drill.region_code = (char *) region_code;
  drill.scenario = (char *) scenario;
  drill.lat = drill.lon = NAN;
  id = ld_store_add_drill (store, &drill, &ld_test_actor, &error);
  g_assert_no_error (error);
  return id;
}

/* The alarm goes out a minute after the drill starts: arrival counts from
 * the alarm. @arrival_s < 0: never arrived. */
static void
log_unit (LdStore *store, const char *drill_id, const char *code, gint64 alarm_at, gint64 arrival_s, int limit_s)
{
  g_autoptr(GError) error = NULL;
  LdDrillUnit du = { 0, };

  du.drill_id = (char *) drill_id;
  du.unit_code = (char *) code;
  du.alarm_at = alarm_at;
  du.arrived_at = arrival_s < 0 ? LD_TIME_NONE : alarm_at + arrival_s * LD_USEC_PER_S;
  du.limit_s = limit_s;
  g_assert_true (ld_store_put_drill_unit (store, &du, &ld_test_actor, &error));
  g_assert_no_error (error);
}

/* Seed 001's regions, a unit of every department in each, and its drills
 * from raw times. */
static LdStore *
seed_001_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdStore) store = ld_store_open (":memory:", &error);
  LdRegion city = { "330300", "温州市", NULL };

  g_assert_no_error (error);
  g_assert_true (ld_store_put_region (store, &city, NULL, &error));
  for (guint r = 0; r < G_N_ELEMENTS (table_001); r++)
    {
      LdRegion region = { (char *) table_001[r].code, (char *) table_001[r].name, "330300" };
      g_autofree char *drill_id = NULL;
      gint64 alarm_at;

      g_assert_true (ld_store_put_region (store, &region, NULL, &error));
      for (guint d = 0; d < G_N_ELEMENTS (departments); d++)
        {
          g_autofree char *code = unit_code (r, d);
          g_autofree char *name = g_strdup_printf ("%s %s", table_001[r].name, departments[d].code);
          LdUnit unit = { code, name, 1, (char *) departments[d].category, (char *) table_001[r].code,
                          NULL, NAN, NAN, FALSE, { 0, } };
          g_assert_true (ld_store_put_unit (store, &unit, &error));
          g_assert_no_error (error);
        }
      drill_id = add_drill (store, table_001[r].code, table_001[r].held_at, "模拟报警");
      alarm_at = ld_test_time (store, table_001[r].held_at) + 60 * LD_USEC_PER_S;
      for (guint d = 0; d < G_N_ELEMENTS (departments); d++)
        {
          g_autofree char *code = unit_code (r, d);
          if (!g_str_equal (table_001[r].times[d], "-"))
            log_unit (store, drill_id, code, alarm_at, parse_seed_duration (table_001[r].times[d]), 0);
        }
    }
  return g_steal_pointer (&store);
}

static LdDrillTable *
august_table (LdStore *store, const char *region_code)
{
  g_autoptr(GError) error = NULL;
  LdPeriod august = ld_period_month (ld_store_get_time_zone (store), 2020, 8);
  LdDrillTable *table = ld_drill_table_new (store, &august, region_code, ld_time_now (), &error);

  g_assert_no_error (error);
  g_assert_nonnull (table);
  return table;
}

/* The bulletin's tables are Chinese: with the translation built, the texts
 * read as seed 001 prints them. */
static void
speak_chinese (void)
{
  const char *localedir = g_getenv ("LIANDONG_LOCALEDIR");
  g_autofree char *mo = NULL;

  g_assert_nonnull (localedir);
  mo = g_build_filename (localedir, "zh_CN", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  if (!g_file_test (mo, G_FILE_TEST_EXISTS))
    g_error ("%s is not built", mo);
  if (setlocale (LC_ALL, "zh_CN.UTF-8") == NULL && setlocale (LC_ALL, "C.UTF-8") == NULL)
    g_error ("no UTF-8 locale: neither zh_CN.UTF-8 nor C.UTF-8 (Debian package locales)");
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
}

static void
speak_c (void)
{
  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "C");
}

static const char *seed_001_csv =
  "\xEF\xBB\xBF"
  "地区,公安,应急管理,生态环境,交通运输,市场监管,人力社保,卫生健康,综合执法,供电,属地政府,未在规定时限内到达现场数量\r\n"
  "瓯海区,3分,18分25秒,27分30秒,14分10秒,18分15秒,11分50秒,-,-,22分20秒,13分30秒,2\r\n"
  "永嘉县,5分10秒,14分40秒,10分15秒,21分30秒,9分,13分50秒,14分50秒,9分20秒,13分30秒,17分35秒,1\r\n";

/* Seed 001's table out of the raw times: every cell as printed, "-" for the
 * departments not in the drill, 2 and 1 not on time; police first and the
 * seed's column order. */
static void
test_seed_001_table (void)
{
  g_autoptr(LdStore) store = seed_001_store ();
  g_autoptr(LdDrillTable) table = NULL;

  speak_chinese ();
  table = august_table (store, NULL);
  speak_c ();

  g_assert_cmpuint (table->categories->len, ==, G_N_ELEMENTS (departments));
  for (guint c = 0; c < table->categories->len; c++)
    g_assert_cmpstr (g_ptr_array_index (table->categories, c), ==, departments[c].category);
  g_assert_cmpuint (table->rows->len, ==, G_N_ELEMENTS (table_001));
  for (guint r = 0; r < table->rows->len; r++)
    {
      LdDrillTableRow *row = g_ptr_array_index (table->rows, r);

      g_assert_cmpstr (row->label, ==, table_001[r].name);
      g_assert_cmpuint (row->drill->late, ==, table_001[r].late);
      for (guint c = 0; c < table->categories->len; c++)
        g_assert_cmpstr (ld_drill_table_cell_text (row, c), ==, table_001[r].times[c]);
    }
  /* Over the default 20 minutes: 27分30秒 and 22分20秒 in 瓯海区. */
  {
    LdDrillTableRow *ouhai = g_ptr_array_index (table->rows, 0);
    for (guint c = 0; c < table->categories->len; c++)
      {
        LdDrillResultUnit *u = g_ptr_array_index (ouhai->cells, c);
        g_assert_cmpint (u != NULL && u->late, ==, c == 2 || c == 8);
      }
  }
}

/* A parent region narrows the table to the drills within it. */
static void
test_table_region (void)
{
  g_autoptr(LdStore) store = seed_001_store ();
  g_autoptr(LdDrillTable) ouhai = august_table (store, "330304");
  g_autoptr(LdDrillTable) city = august_table (store, "330300");
  g_autoptr(GError) error = NULL;
  LdPeriod july = ld_period_month (ld_store_get_time_zone (store), 2020, 7);
  g_autoptr(LdDrillTable) none = ld_drill_table_new (store, &july, NULL, ld_time_now (), &error);

  g_assert_cmpuint (ouhai->rows->len, ==, 1);
  /* 卫健委 and 综合执法 took no part in 瓯海区's drill: no column for them. */
  g_assert_cmpuint (ouhai->categories->len, ==, G_N_ELEMENTS (departments) - 2);
  g_assert_cmpuint (city->rows->len, ==, 2);
  g_assert_no_error (error);
  g_assert_cmpuint (none->rows->len, ==, 0);
  g_assert_cmpuint (none->categories->len, ==, 0);
}

/* A unit that never arrived is not on time, shows as such, and counts;
 * a second drill in the same region gets its own row with the date. */
static void
test_never_arrived (void)
{
  g_autoptr(LdStore) store = seed_001_store ();
  g_autofree char *drill_id = add_drill (store, "330304", "2020-08-28 10:00:00", "second check");
  g_autofree char *police = unit_code (0, 0);
  g_autofree char *street = unit_code (0, 9);
  gint64 alarm = ld_test_time (store, "2020-08-28 10:00:00");
  g_autoptr(LdDrillTable) table = NULL;
  LdDrillTableRow *row;
  LdDrillResultUnit *gone;

  log_unit (store, drill_id, police, alarm, 4 * 60, 0);
  log_unit (store, drill_id, street, alarm, -1, 0);
  table = august_table (store, NULL);

  g_assert_cmpuint (table->rows->len, ==, 3);
  row = g_ptr_array_index (table->rows, 0);
  g_assert_cmpstr (row->label, ==, "瓯海区 (2020-08-25)");
  row = g_ptr_array_index (table->rows, 2);
  g_assert_cmpstr (row->label, ==, "瓯海区 (2020-08-28)");
  g_assert_cmpstr (((LdDrillTableRow *) g_ptr_array_index (table->rows, 1))->label, ==, "永嘉县");
  g_assert_cmpuint (row->drill->late, ==, 1);
  g_assert_cmpstr (ld_drill_table_cell_text (row, 0), ==, "4 min");
  g_assert_cmpstr (ld_drill_table_cell_text (row, 1), ==, "-");
  g_assert_cmpstr (ld_drill_table_cell_text (row, 9), ==, "did not arrive");
  gone = g_ptr_array_index (row->cells, 9);
  g_assert_cmpint (gone->arrival_s, ==, -1);
  g_assert_true (gone->late);
}

/* Who is late depends on when it is asked: nobody before the alarm, when
 * the drill is planned; then each unit once its limit has passed without
 * it, or once it came past its limit. A drill whose alarm was never raised,
 * however long ago it was planned, has nobody late. */
static void
test_late_at (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autofree char *drill_id = add_drill (store, "A", "2020-08-10 09:00:00", NULL);
  gint64 planned = ld_test_time (store, "2020-08-10 09:00:00");
  /* The alarm went out 13 hours after the planned time. */
  gint64 alarm = planned + 13 * 3600 * LD_USEC_PER_S;
  gint64 hour = 3600 * LD_USEC_PER_S;
  gint64 minute = 60 * LD_USEC_PER_S;
  LdPeriod august = ld_period_month (ld_store_get_time_zone (store), 2020, 8);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) drills = NULL;
  g_autoptr(LdDrillResult) result = NULL;

  log_unit (store, drill_id, "POL", LD_TIME_NONE, -1, 0);
  log_unit (store, drill_id, "MKT", LD_TIME_NONE, -1, 0);
  drills = ld_store_list_drills (store, &august, &error);
  result = ld_drill_result_new (store, g_ptr_array_index (drills, 0), planned + 13 * hour, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->alarm_at, ==, LD_TIME_NONE);
  g_assert_false (ld_drill_result_is_held (result));
  g_assert_cmpuint (result->late, ==, 0);
  g_assert_cmpuint (ld_drill_result_late_at (result, planned + hour), ==, 0);
  g_assert_cmpuint (ld_drill_result_late_at (result, planned + 400 * 24 * hour), ==, 0);
  g_assert_false (ld_drill_result_is_over (result, planned + 400 * 24 * hour));
  g_clear_pointer (&result, ld_drill_result_free);

  /* The alarm raised, nobody in yet: two minutes later nobody is late and
   * nobody "did not arrive". */
  log_unit (store, drill_id, "POL", alarm, -1, 0);
  log_unit (store, drill_id, "MKT", alarm, -1, 0);
  result = ld_drill_result_new (store, g_ptr_array_index (drills, 0), alarm + 2 * minute, &error);
  g_assert_cmpint (result->alarm_at, ==, alarm);
  g_assert_true (ld_drill_result_is_held (result));
  g_assert_cmpuint (result->late, ==, 0);
  for (guint i = 0; i < result->units->len; i++)
    {
      LdDrillResultUnit *u = g_ptr_array_index (result->units, i);
      g_assert_false (u->late);
      g_assert_cmpint (u->arrival_s, ==, -1);
      g_assert_cmpstr (u->arrival_text, ==, "on the way");
    }
  g_assert_cmpuint (ld_drill_result_late_at (result, alarm + 19 * minute), ==, 0);
  g_assert_cmpuint (ld_drill_result_late_at (result, alarm + 20 * minute), ==, 2);
  g_clear_pointer (&result, ld_drill_result_free);

  /* The police came at 25 min: late all the same; the market never. */
  log_unit (store, drill_id, "POL", alarm, 25 * 60, 0);
  result = ld_drill_result_new (store, g_ptr_array_index (drills, 0), alarm + 26 * minute, &error);
  g_assert_cmpuint (result->late, ==, 2);
  g_assert_cmpstr (((LdDrillResultUnit *) g_ptr_array_index (result->units, 0))->arrival_text, ==, "25 min");
  g_assert_cmpstr (((LdDrillResultUnit *) g_ptr_array_index (result->units, 1))->arrival_text, ==, "did not arrive");
  g_assert_false (ld_drill_result_is_over (result, alarm + hour));
  g_assert_true (ld_drill_result_is_over (result, alarm + 12 * hour));
  g_assert_cmpuint (ld_drill_result_late_at (result, alarm + 12 * hour), ==, 2);
}

/* Lateness is by each unit's own limit, 20 minutes unless set. */
static void
test_unit_limit (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autofree char *drill_id = add_drill (store, "A", "2020-08-10 09:00:00", NULL);
  gint64 alarm = ld_test_time (store, "2020-08-10 09:00:00");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) drills = NULL;
  g_autoptr(LdDrillResult) result = NULL;
  LdPeriod august = ld_period_month (ld_store_get_time_zone (store), 2020, 8);
  LdDrillResultUnit *u;

  log_unit (store, drill_id, "POL", alarm, 18 * 60 + 25, 15 * 60);   /* late by its 15 min */
  log_unit (store, drill_id, "MKT", alarm, 25 * 60, 30 * 60);        /* on time by its 30 min */
  log_unit (store, drill_id, "TOWN", alarm, 18 * 60 + 25, 0);        /* on time by the default */
  drills = ld_store_list_drills (store, &august, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drills->len, ==, 1);
  result = ld_drill_result_new (store, g_ptr_array_index (drills, 0), ld_time_now (), &error);
  g_assert_no_error (error);

  g_assert_cmpstr (result->region_name, ==, "District A");
  g_assert_cmpuint (result->late, ==, 1);
  /* Police first, then by the seed's order: market before the district center. */
  u = g_ptr_array_index (result->units, 0);
  g_assert_cmpstr (u->code, ==, "POL");
  g_assert_cmpint (u->arrival_s, ==, 18 * 60 + 25);
  g_assert_cmpstr (u->arrival_text, ==, "18 min 25 s");
  g_assert_cmpint (u->limit_s, ==, 15 * 60);
  g_assert_true (u->late);
  u = g_ptr_array_index (result->units, 1);
  g_assert_cmpstr (u->code, ==, "MKT");
  g_assert_false (u->late);
  u = g_ptr_array_index (result->units, 2);
  g_assert_cmpstr (u->code, ==, "TOWN");
  g_assert_cmpint (u->limit_s, ==, 1200);
  g_assert_false (u->late);
}

static char *
read_file (const char *path, gsize *length)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  g_assert_true (g_file_get_contents (path, &data, length, &error));
  g_assert_no_error (error);
  return data;
}

/* The CSV is the seed's table byte for byte: BOM, one header row, CRLF. */
static void
test_csv (void)
{
  g_autoptr(LdStore) store = seed_001_store ();
  g_autofree char *dir = ld_test_make_tmp ("ld-drill-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "drills.csv", NULL);
  g_autoptr(LdDrillTable) table = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize length;
  gboolean ok;

  speak_chinese ();
  table = august_table (store, NULL);
  ok = ld_drill_table_write_csv (table, path, &error);
  speak_c ();
  g_assert_no_error (error);
  g_assert_true (ok);

  data = read_file (path, &length);
  g_assert_cmpuint (length, ==, strlen (seed_001_csv));
  g_assert_cmpstr (data, ==, seed_001_csv);
  g_unlink (path);
  g_rmdir (dir);
}

/* One drill's result as CSV: a line per unit and the count at the end. */
static void
test_result_csv (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autofree char *drill_id = add_drill (store, "A", "2020-08-10 09:00:00", NULL);
  gint64 alarm = ld_test_time (store, "2020-08-10 09:00:00");
  g_autofree char *dir = ld_test_make_tmp ("ld-drill-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "drill.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LdDrillTable) table = NULL;
  g_autofree char *data = NULL;
  LdPeriod august = ld_period_month (ld_store_get_time_zone (store), 2020, 8);

  log_unit (store, drill_id, "POL", alarm, 3 * 60, 0);
  log_unit (store, drill_id, "TOWN", alarm, -1, 0);
  table = ld_drill_table_new (store, &august, NULL, ld_time_now (), &error);
  g_assert_no_error (error);
  g_assert_true (ld_drill_result_write_csv (((LdDrillTableRow *) g_ptr_array_index (table->rows, 0))->drill,
                                            table->tz, path, &error));
  g_assert_no_error (error);
  data = read_file (path, NULL);
  g_assert_cmpstr (data, ==,
                   "\xEF\xBB\xBF" "Unit,Category,Arrival time,Time limit,Late\r\n"
                   "City police,Police,3 min,20 min,\r\n"
                   "B command room,District linkage centers,did not arrive,20 min,Late\r\n"
                   "Not on time,,,,1\r\n");
  g_unlink (path);
  g_rmdir (dir);
}

static char *
unzip_member (const char *zip, const char *member)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *unzip = ld_test_find_program ("unzip", "unzip");
  const char *argv[] = { unzip, "-p", zip, member, NULL };
  char *out = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

/* The XLSX is a zip whose one sheet holds the title, the header, the texts
 * as shared strings, the counts as numbers and the late cells in their own
 * (bold red) format. */
static void
test_xlsx (void)
{
  g_autoptr(LdStore) store = seed_001_store ();
  g_autofree char *dir = ld_test_make_tmp ("ld-drill-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "drills.xlsx", NULL);
  g_autofree char *bad = g_build_filename (dir, "missing", "drills.xlsx", NULL);
  g_autoptr(LdDrillTable) table = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *strings = NULL;
  g_autofree char *sheet = NULL;
  g_autofree char *styles = NULL;
  gsize length;
  gboolean ok;

  speak_chinese ();
  table = august_table (store, NULL);
  ok = ld_drill_table_write_xlsx (table, path, &error);
  speak_c ();
  g_assert_no_error (error);
  g_assert_true (ok);

  data = read_file (path, &length);
  g_assert_cmpuint (length, >, 4);
  g_assert_cmpmem (data, 4, "PK\x03\x04", 4);

  /* libxlsxwriter's errors name the file. */
  g_assert_false (ld_drill_table_write_xlsx (table, bad, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, bad));

  strings = unzip_member (path, "xl/sharedStrings.xml");
  sheet = unzip_member (path, "xl/worksheets/sheet1.xml");
  styles = unzip_member (path, "xl/styles.xml");
  for (guint r = 0; r < G_N_ELEMENTS (table_001); r++)
    {
      g_autofree char *name = g_strdup_printf (">%s<", table_001[r].name);
      g_assert_nonnull (strstr (strings, name));
      for (guint c = 0; c < G_N_ELEMENTS (departments); c++)
        {
          g_autofree char *text = g_strdup_printf (">%s<", table_001[r].times[c]);
          if (!g_str_equal (table_001[r].times[c], "-"))
            g_assert_nonnull (strstr (strings, text));
        }
    }
  g_assert_nonnull (strstr (strings, ">公安<"));
  g_assert_nonnull (strstr (strings, ">未在规定时限内到达现场数量<"));
  /* The title as the seed heads its section. */
  g_assert_nonnull (strstr (strings, ">2020年8月 拉动检查情况<"));
  /* Row 1 the title across the table, row 2 the header, the seed's rows
   * from row 3; L holds the counts as numbers. */
  g_assert_nonnull (strstr (sheet, "<mergeCell ref=\"A1:L1\"/>"));
  g_assert_nonnull (strstr (sheet, "<c r=\"L3\"><v>2</v></c>"));
  g_assert_nonnull (strstr (sheet, "<c r=\"L4\"><v>1</v></c>"));
  /* 18分25秒 is on time, 27分30秒 late. */
  g_assert_nonnull (strstr (sheet, "<c r=\"C3\" t=\"s\">"));
  g_assert_nonnull (strstr (sheet, "<c r=\"D3\" s=\""));
  g_assert_nonnull (strstr (sheet, "<cols>"));
  g_assert_nonnull (strstr (styles, "<b/><sz val=\"11\"/><color rgb=\"FFFF0000\"/>"));
  g_unlink (path);
  g_rmdir (dir);
}

/* A unit's drills across months, oldest first, each with its lateness. */
static void
test_history (void)
{
  g_autoptr(LdStore) store = seed_001_store ();
  g_autofree char *drill_id = add_drill (store, "330304", "2020-09-15 10:00:00", "危化品泄漏");
  g_autofree char *emergency = unit_code (0, 1);
  gint64 alarm = ld_test_time (store, "2020-09-15 10:00:00");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GPtrArray) august = NULL;
  LdPeriod aug = ld_period_month (ld_store_get_time_zone (store), 2020, 8);
  LdDrillHistoryEntry *e;

  log_unit (store, drill_id, emergency, alarm, 24 * 60, 0);
  history = ld_drill_history_new (store, emergency, NULL, ld_time_now (), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 2);

  e = g_ptr_array_index (history, 0);
  g_assert_cmpint (e->held_at, ==, ld_test_time (store, "2020-08-25 09:30:00"));
  g_assert_cmpstr (e->region_name, ==, "瓯海区");
  g_assert_cmpstr (e->scenario, ==, "模拟报警");
  g_assert_cmpint (e->arrival_s, ==, 18 * 60 + 25);
  g_assert_cmpstr (e->arrival_text, ==, "18 min 25 s");
  g_assert_false (e->late);
  e = g_ptr_array_index (history, 1);
  g_assert_cmpstr (e->drill_id, ==, drill_id);
  g_assert_cmpstr (e->scenario, ==, "危化品泄漏");
  g_assert_cmpint (e->arrival_s, ==, 24 * 60);
  g_assert_true (e->late);

  august = ld_drill_history_new (store, emergency, &aug, ld_time_now (), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (august->len, ==, 1);
}

/* The month report's drills are the same results as the table's. */
static void
test_report_drills (void)
{
  g_autoptr(LdStore) store = seed_001_store ();
  g_autoptr(LdDrillTable) table = august_table (store, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LdReport) report = ld_report_new (store, &table->period, NULL, table->period.end, &error);
  GPtrArray *drills;

  g_assert_no_error (error);
  drills = ld_report_get_drills (report);
  g_assert_cmpuint (drills->len, ==, table->rows->len);
  for (guint i = 0; i < drills->len; i++)
    {
      LdDrillResult *a = g_ptr_array_index (drills, i);
      LdDrillResult *b = ((LdDrillTableRow *) g_ptr_array_index (table->rows, i))->drill;

      g_assert_cmpstr (a->id, ==, b->id);
      g_assert_cmpuint (a->late, ==, b->late);
      g_assert_cmpuint (a->units->len, ==, b->units->len);
      for (guint j = 0; j < a->units->len; j++)
        {
          LdDrillResultUnit *ua = g_ptr_array_index (a->units, j);
          LdDrillResultUnit *ub = g_ptr_array_index (b->units, j);
          g_assert_cmpstr (ua->code, ==, ub->code);
          g_assert_cmpint (ua->arrival_s, ==, ub->arrival_s);
          g_assert_cmpint (ua->late, ==, ub->late);
        }
    }
}

/* How many drills the report's JSON holds and how many units late, by
 * its drill counts and by its units' flags, which must agree. */
static void
json_drills (LdReport *report, guint *held, guint *late)
{
  g_autofree char *json = ld_report_to_json (report);
  g_autoptr(JsonNode) root = json_from_string (json, NULL);
  JsonArray *drills = json_object_get_array_member (json_node_get_object (root), "drills");

  *held = json_array_get_length (drills);
  *late = 0;
  for (guint i = 0; i < *held; i++)
    {
      JsonObject *d = json_array_get_object_element (drills, i);
      JsonArray *units = json_object_get_array_member (d, "units");
      guint flagged = 0;

      for (guint j = 0; j < json_array_get_length (units); j++)
        flagged += json_object_get_boolean_member (json_array_get_object_element (units, j), "late");
      g_assert_cmpint (json_object_get_int_member (d, "late"), ==, flagged);
      *late += flagged;
    }
}

/* A clock moved across a drill's alarm, its limit and its end, what
 * happens logged as it happens: the drill's result, the month's table, the
 * dashboard, the report's JSON and the bulletin's text say the same at each
 * step. A second drill, never raised, is in none of them. */
static void
test_one_rule (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autofree char *drill_id = add_drill (store, "A", "2020-08-10 09:00:00", "模拟报警");
  g_autofree char *planned_id = add_drill (store, "B", "2020-08-11 09:00:00", "未开展");
  gint64 alarm = ld_test_time (store, "2020-08-10 09:00:00");
  const gint64 minute = 60 * LD_USEC_PER_S;
  LdPeriod august = ld_period_month (ld_store_get_time_zone (store), 2020, 8);
  static const struct {
    gint64      after;     /* minutes after the alarm */
    const char *arrives;   /* the unit that arrives then */
    guint       held;
    guint       late;
  } steps[] = {
    { -1, NULL, 0, 0 },            /* before the alarm: planned */
    { 2, NULL, 1, 0 },             /* under way: nobody late yet */
    { 5, "POL", 1, 0 },
    { 19, NULL, 1, 0 },
    { 20, NULL, 1, 2 },            /* MKT and TOWN past their 20 min */
    { 25, "MKT", 1, 2 },           /* MKT comes at 25 min: late all the same */
    { 13 * 60, NULL, 1, 2 },       /* the drill is over: TOWN never came */
    { 20 * 24 * 60, NULL, 1, 2 },  /* the month's end, the second drill never raised */
  };
  static const char * const units[] = { "POL", "MKT", "TOWN" };
  g_autoptr(GPtrArray) drills = ld_store_list_drills (store, &august, NULL);

  for (guint u = 0; u < G_N_ELEMENTS (units); u++)
    log_unit (store, drill_id, units[u], LD_TIME_NONE, -1, 0);
  log_unit (store, planned_id, "POL", LD_TIME_NONE, -1, 0);
  log_unit (store, planned_id, "TOWN", LD_TIME_NONE, -1, 0);
  g_assert_cmpuint (drills->len, ==, 2);

  for (guint s = 0; s < G_N_ELEMENTS (steps); s++)
    {
      gint64 now = alarm + steps[s].after * minute;
      g_autoptr(GError) error = NULL;
      g_autoptr(LdDrillResult) result = NULL;
      g_autoptr(LdDrillResult) never = NULL;
      g_autoptr(LdDrillTable) table = NULL;
      g_autoptr(LdDashboard) dashboard = NULL;
      g_autoptr(LdReport) report = NULL;
      g_autoptr(LdBulletin) bulletin = NULL;
      g_autofree char *text = NULL;
      g_autofree char *said = NULL;
      g_auto(GStrv) problems = NULL;
      guint table_late = 0, json_held, json_late;
      guint named = 0;

      g_test_message ("%" G_GINT64_FORMAT " min after the alarm", steps[s].after);
      if (s == 1)
        for (guint u = 0; u < G_N_ELEMENTS (units); u++)
          log_unit (store, drill_id, units[u], alarm, -1, 0);
      if (steps[s].arrives)
        log_unit (store, drill_id, steps[s].arrives, alarm, steps[s].after * 60, 0);

      result = ld_drill_result_new (store, g_ptr_array_index (drills, 0), now, &error);
      never = ld_drill_result_new (store, g_ptr_array_index (drills, 1), now, &error);
      table = ld_drill_table_new (store, &august, NULL, now, &error);
      dashboard = ld_dashboard_new (store, NULL, now, &error);
      report = ld_report_new (store, &august, NULL, now, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (result->late, ==, steps[s].late);
      g_assert_cmpuint (ld_drill_result_is_held (result), ==, steps[s].held);
      g_assert_cmpuint (ld_drill_result_late_at (never, now), ==, 0);
      g_assert_false (ld_drill_result_is_held (never));

      g_assert_cmpuint (table->rows->len, ==, steps[s].held);
      for (guint r = 0; r < table->rows->len; r++)
        table_late += ((LdDrillTableRow *) g_ptr_array_index (table->rows, r))->drill->late;
      g_assert_cmpuint (table_late, ==, steps[s].late);

      g_assert_cmpuint (ld_report_get_drills (ld_dashboard_get_month (dashboard))->len, ==, steps[s].held);
      g_assert_cmpuint (ld_dashboard_get_late_drill_units (dashboard), ==, steps[s].late);

      json_drills (report, &json_held, &json_late);
      g_assert_cmpuint (json_held, ==, steps[s].held);
      g_assert_cmpuint (json_late, ==, steps[s].late);

      bulletin = ld_bulletin_new (report, store, &error);
      g_assert_no_error (error);
      text = ld_bulletin_to_text (bulletin);
      said = g_strdup_printf (steps[s].held == 1 ? "1 simulated-alarm drill was held; %u units did not arrive"
                                                 : "0 simulated-alarm drills were held; %u units did not arrive",
                              steps[s].late);
      g_assert_nonnull (strstr (text, said));
      problems = ld_bulletin_dup_problems (bulletin);
      for (guint p = 0; problems[p]; p++)
        if (strstr (problems[p], "In the drills of this period"))
          {
            named += strstr (problems[p], "Market regulation") != NULL;
            named += strstr (problems[p], "B command room") != NULL;
            g_assert_null (strstr (problems[p], "City police"));
          }
      g_assert_cmpuint (named, ==, steps[s].late);
    }
}

/* The bulletin's problems name a unit late at two drills once, with both. */
static void
test_problems_name_once (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autofree char *first = add_drill (store, "A", "2020-08-10 09:00:00", NULL);
  g_autofree char *second = add_drill (store, "A", "2020-08-20 09:00:00", NULL);
  LdPeriod august = ld_period_month (ld_store_get_time_zone (store), 2020, 8);
  g_autoptr(GError) error = NULL;
  g_autoptr(LdReport) report = NULL;
  g_autoptr(LdBulletin) bulletin = NULL;
  g_auto(GStrv) problems = NULL;
  const char *line = NULL;
  const char *found;

  log_unit (store, first, "MKT", ld_test_time (store, "2020-08-10 09:00:00"), 25 * 60, 0);
  log_unit (store, second, "MKT", ld_test_time (store, "2020-08-20 09:00:00"), -1, 0);
  report = ld_report_new (store, &august, NULL, august.end, &error);
  g_assert_no_error (error);
  bulletin = ld_bulletin_new (report, store, &error);
  g_assert_no_error (error);
  problems = ld_bulletin_dup_problems (bulletin);
  for (guint p = 0; problems[p]; p++)
    if (strstr (problems[p], "In the drills of this period"))
      line = problems[p];
  g_assert_nonnull (line);
  found = strstr (line, "Market regulation");
  g_assert_nonnull (found);
  g_assert_null (strstr (found + 1, "Market regulation"));
  g_assert_nonnull (strstr (line, "2020-08-10 in District A: 25 min"));
  g_assert_nonnull (strstr (line, "2020-08-20 in District A: did not arrive"));
}

/* A corrected arrival comes with its reason, for the tile and the results. */
static void
test_correction_reason (void)
{
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  g_autofree char *drill_id = add_drill (store, "A", "2020-08-10 09:00:00", NULL);
  gint64 alarm = ld_test_time (store, "2020-08-10 09:00:00");
  g_autoptr(GPtrArray) drills = NULL;
  g_autoptr(LdDrillResult) result = NULL;
  g_autoptr(GError) error = NULL;
  LdPeriod august = ld_period_month (ld_store_get_time_zone (store), 2020, 8);

  log_unit (store, drill_id, "POL", alarm, 3 * 60, 0);
  log_unit (store, drill_id, "MKT", alarm, 18 * 60, 0);
  g_assert_true (ld_store_correct_drill_arrival (store, drill_id, "MKT", alarm + 22 * 60 * LD_USEC_PER_S,
                                                 "记录员看错了表", &ld_test_actor, &error));
  g_assert_no_error (error);
  drills = ld_store_list_drills (store, &august, NULL);
  result = ld_drill_result_new (store, g_ptr_array_index (drills, 0), ld_time_now (), &error);
  for (guint i = 0; i < result->units->len; i++)
    {
      LdDrillResultUnit *u = g_ptr_array_index (result->units, i);

      if (g_str_equal (u->code, "MKT"))
        {
          g_assert_cmpstr (u->correction, ==, "记录员看错了表");
          g_assert_cmpstr (u->arrival_text, ==, "22 min");
          g_assert_true (u->late);
        }
      else
        g_assert_null (u->correction);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/drill-report/table/seed-001", test_seed_001_table);
  g_test_add_func ("/drill-report/table/region", test_table_region);
  g_test_add_func ("/drill-report/result/never-arrived", test_never_arrived);
  g_test_add_func ("/drill-report/result/late-at", test_late_at);
  g_test_add_func ("/drill-report/result/unit-limit", test_unit_limit);
  g_test_add_func ("/drill-report/csv/seed-001", test_csv);
  g_test_add_func ("/drill-report/csv/result", test_result_csv);
  g_test_add_func ("/drill-report/xlsx/seed-001", test_xlsx);
  g_test_add_func ("/drill-report/history", test_history);
  g_test_add_func ("/drill-report/report", test_report_drills);
  g_test_add_func ("/drill-report/one-rule", test_one_rule);
  g_test_add_func ("/drill-report/problems-name-once", test_problems_name_once);
  g_test_add_func ("/drill-report/correction-reason", test_correction_reason);

  return g_test_run ();
}
