/* test-time.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ld-time.h"

static GTimeZone *
shanghai (void)
{
  GTimeZone *tz = g_time_zone_new_identifier ("Asia/Shanghai");
  g_assert_nonnull (tz);
  return tz;
}

static void
test_parse_formats (void)
{
  g_autoptr(GTimeZone) tz = shanghai ();
  g_autoptr(GError) error = NULL;
  /* 2023-11-21 14:05:00 in Shanghai is 06:05 UTC. */
  gint64 expected = G_GINT64_CONSTANT (1700546700) * LD_USEC_PER_S;
  static const char *same[] = {
    "2023-11-21 14:05:00", "2023-11-21T14:05:00", "2023-11-21 14:05", "2023/11/21 14:05:00",
    "2023-11-21T14:05:00+08:00", "2023-11-21T06:05:00Z", "2023-11-21T15:05:00+0900", " 2023-11-21 14:05:00 ",
  };

  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    {
      gint64 t = 0;
      g_assert_true (ld_time_parse (same[i], tz, &t, &error));
      g_assert_no_error (error);
      g_assert_cmpint (t, ==, expected);
    }
  {
    gint64 t = 0;
    g_assert_true (ld_time_parse ("2023-11-21T14:05:00.25+08:00", tz, &t, &error));
    g_assert_cmpint (t, ==, expected + 250000);
  }
}

static void
test_parse_refused (void)
{
  g_autoptr(GTimeZone) tz = shanghai ();
  static const char *bad[] = {
    "", "yesterday", "2023-13-01 00:00:00", "2023-02-29 00:00:00", "2023-11-21 24:00:00",
    "2023-11-21 14:05:00 extra", "2023-11-21T14:05:00+", "21/11/2023",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 t;
      g_assert_false (ld_time_parse (bad[i], tz, &t, &error));
      g_assert_error (error, LD_TIME_ERROR, LD_TIME_ERROR_INVALID);
    }
}

/* A time beyond the world's offsets or the years a record can name is
 * refused by the parser itself, and says which of the two it is. */
static void
test_parse_bounds (void)
{
  g_autoptr(GTimeZone) tz = shanghai ();
  static const struct {
    const char *text;
    const char *mentions;
  } bad[] = {
    { "2026-11-23T10:00:00+99:00", "±14:00" },
    { "2026-11-23T10:00:00+14:01", "±14:00" },
    { "2026-11-23T10:00:00-14:30", "±14:00" },
    { "2026-11-23T10:00:00+05:60", "±14:00" },
    { "9999-12-31T23:59:59Z", "1970 to 2199" },
    { "2200-01-01 00:00:00", "1970 to 2199" },
    { "1969-12-31T23:59:59Z", "1970 to 2199" },
    { "0000-01-01 00:00:00", "1970 to 2199" },
  };
  static const char *good[] = {
    "2026-11-23T10:00:00+14:00", "2026-11-23T10:00:00-12:00", "1970-01-01T00:00:00Z", "2199-12-31T23:59:59Z",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 t = 0;

      g_assert_false (ld_time_parse (bad[i].text, tz, &t, &error));
      g_assert_error (error, LD_TIME_ERROR, LD_TIME_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, bad[i].mentions));
    }
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 t = 0;

      g_assert_true (ld_time_parse (good[i], tz, &t, &error));
      g_assert_no_error (error);
    }
}

static void
test_plausible (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  const gint64 now = G_GINT64_CONSTANT (1795000000) * LD_USEC_PER_S;
  const gint64 minute = 60 * LD_USEC_PER_S;
  static const struct {
    gint64      at;
    const char *message;
  } bad[] = {
    { G_GINT64_CONSTANT (253402300799) * LD_USEC_PER_S,
      "The time 9999-12-31 23:59:59 is not plausible: it lies more than 5 minutes in the future" },
    { LD_TIME_PLAUSIBLE_START - 1, "The time 1999-12-31 23:59:59 is not plausible: it lies before 2000-01-01" },
    { 0, "The time 1970-01-01 00:00:00 is not plausible: it lies before 2000-01-01" },
    { G_MAXINT64, "The time is not plausible: it lies more than 5 minutes in the future" },
    { G_MININT64, "The time is not plausible: it lies before 2000-01-01" },
  };
  g_autoptr(GError) error = NULL;

  g_assert_true (ld_time_check_plausible (now, now, LD_TIME_AHEAD_STEP, utc, &error));
  g_assert_true (ld_time_check_plausible (now + 5 * minute, now, LD_TIME_AHEAD_STEP, utc, &error));
  g_assert_true (ld_time_check_plausible (LD_TIME_PLAUSIBLE_START, now, LD_TIME_AHEAD_STEP, utc, &error));
  g_assert_true (ld_time_check_plausible (now + 300 * 1440 * minute, now, LD_TIME_AHEAD_PLAN, utc, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (ld_time_check_plausible (bad[i].at, now, LD_TIME_AHEAD_STEP, utc, &error));
      g_assert_error (error, LD_TIME_ERROR, LD_TIME_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, bad[i].message);
      g_clear_error (&error);
    }
  g_assert_false (ld_time_check_plausible (now + 5 * minute + 1, now, LD_TIME_AHEAD_STEP, utc, &error));
  g_clear_error (&error);
  g_assert_false (ld_time_check_plausible (now + 367 * 1440 * minute, now, LD_TIME_AHEAD_PLAN, utc, &error));
  g_assert_nonnull (strstr (error->message, "more than 366 days in the future"));
  g_clear_error (&error);
  g_assert_false (ld_time_check_plausible (now + 2 * 1440 * minute, now, LD_TIME_AHEAD_IMPORT, utc, &error));
  g_assert_nonnull (strstr (error->message, "more than 1 day in the future"));
}

static void
test_format_round_trip (void)
{
  g_autoptr(GTimeZone) tz = shanghai ();
  gint64 t = G_GINT64_CONSTANT (1700546700) * LD_USEC_PER_S + 123456;
  g_autofree char *plain = ld_time_format (t, tz);
  g_autofree char *iso = ld_time_format_iso (t, tz);
  gint64 back = 0;

  g_assert_cmpstr (plain, ==, "2023-11-21 14:05:00");
  g_assert_cmpstr (iso, ==, "2023-11-21T14:05:00.123456+08:00");
  g_assert_true (ld_time_parse (iso, tz, &back, NULL));
  g_assert_cmpint (back, ==, t);
}

static void
test_periods (void)
{
  g_autoptr(GTimeZone) tz = shanghai ();
  g_autoptr(GError) error = NULL;
  LdPeriod nov, yoy, mom, jan, dec;
  int y, m;

  g_assert_true (ld_period_parse_month ("2023-11", tz, &nov, &error));
  g_assert_cmpint (nov.end - nov.start, ==, G_GINT64_CONSTANT (30) * 86400 * LD_USEC_PER_S);
  g_assert_true (ld_period_is_month (&nov, tz, &y, &m));
  g_assert_cmpint (y, ==, 2023);
  g_assert_cmpint (m, ==, 11);
  yoy = ld_period_year_before (&nov, tz);
  g_assert_true (ld_period_is_month (&yoy, tz, &y, &m));
  g_assert_cmpint (y, ==, 2022);
  mom = ld_period_previous (&nov, tz);
  g_assert_true (ld_period_is_month (&mom, tz, &y, &m));
  g_assert_cmpint (m, ==, 10);
  g_assert_cmpint (mom.end, ==, nov.start);

  jan = ld_period_month (tz, 2024, 1);
  dec = ld_period_previous (&jan, tz);
  g_assert_true (ld_period_is_month (&dec, tz, &y, &m));
  g_assert_cmpint (y, ==, 2023);
  g_assert_cmpint (m, ==, 12);

  g_assert_false (ld_period_parse_month ("2023-13", tz, &nov, NULL));
  g_assert_false (ld_period_parse_month ("2023-1", tz, &nov, NULL));
}

static void
test_duration (void)
{
  g_autofree char *a = ld_duration_format (18 * 60 + 25);
  g_autofree char *b = ld_duration_format (3 * 60);
  g_autofree char *c = ld_duration_format (45);
  g_autofree char *d = ld_duration_format (3600 + 5 * 60);

  g_assert_cmpstr (a, ==, "18 min 25 s");
  g_assert_cmpstr (b, ==, "3 min");
  g_assert_cmpstr (c, ==, "45 s");
  g_assert_cmpstr (d, ==, "1 h 5 min");
}

/* The board's short form is the center's local time, across midnight UTC. */
static void
test_format_short (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 t;

  g_assert_true (ld_time_parse ("2026-11-23T19:52:30+08:00", tz, &t, &error));
  text = ld_time_format_short (t, tz);
  g_assert_cmpstr (text, ==, "11-23 19:52");
  g_clear_pointer (&text, g_free);
  g_assert_true (ld_time_parse ("2026-11-23T23:30:00Z", tz, &t, &error));
  text = ld_time_format_short (t, tz);
  g_assert_cmpstr (text, ==, "11-24 07:30");
}

/* A late order's lateness, in the unit a dispatcher would say it in. */
static void
test_format_late (void)
{
  const gint64 minute = 60 * G_USEC_PER_SEC;
  const struct {
    gint64      late;
    const char *text;
  } cases[] = {
    { -5 * minute, "0 min late" },
    { 59 * 1000000, "0 min late" },
    { 12 * minute, "12 min late" },
    { 65 * minute, "1 h 05 min late" },
    { 47 * 60 * minute + 59 * minute, "47 h 59 min late" },
    { 48 * 60 * minute, "2 days late" },
    { 418 * 24 * 60 * minute + 3 * minute, "418 days late" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ld_time_format_late (cases[i].late);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* The board's countdown to an order's next deadline. */
static void
test_format_due (void)
{
  const gint64 minute = 60 * G_USEC_PER_SEC, now = G_GINT64_CONSTANT (1795000000) * G_USEC_PER_SEC;
  const struct {
    gint64      due;
    const char *text;
  } cases[] = {
    { now + 30 * G_USEC_PER_SEC, "1 min left" },
    { now + 12 * minute, "12 min left" },
    { now + 12 * minute + 1, "13 min left" },
    { now + 125 * minute, "2 h 05 min left" },
    /* Late only once the deadline has passed, as the store has it. */
    { now, "0 min left" },
    { now - 7 * minute, "7 min late" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ld_time_format_due (cases[i].due, now);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* A day runs from local midnight to the next, however long that is. */
static void
test_period_day (void)
{
  g_autoptr(GTimeZone) shanghai = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  LdPeriod day = ld_period_day (shanghai, ld_time_from_local (shanghai, 2026, 12, 8, 9, 21, 0));
  LdPeriod spring;

  g_assert_cmpint (day.start, ==, ld_time_from_local (shanghai, 2026, 12, 8, 0, 0, 0));
  g_assert_cmpint (day.end - day.start, ==, G_GINT64_CONSTANT (24) * 3600 * G_USEC_PER_SEC);
  day = ld_period_day (shanghai, ld_time_from_local (shanghai, 2026, 12, 31, 23, 59, 59));
  g_assert_cmpint (day.end, ==, ld_time_from_local (shanghai, 2027, 1, 1, 0, 0, 0));
  if (berlin == NULL)
    g_error ("the time zone database (tzdata) is needed");
  spring = ld_period_day (berlin, ld_time_from_local (berlin, 2026, 3, 29, 12, 0, 0));
  g_assert_cmpint (spring.end - spring.start, ==, G_GINT64_CONSTANT (23) * 3600 * G_USEC_PER_SEC);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/time/parse/formats", test_parse_formats);
  g_test_add_func ("/time/parse/refused", test_parse_refused);
  g_test_add_func ("/time/parse/bounds", test_parse_bounds);
  g_test_add_func ("/time/plausible", test_plausible);
  g_test_add_func ("/time/format/round-trip", test_format_round_trip);
  g_test_add_func ("/time/format/short", test_format_short);
  g_test_add_func ("/time/format/late", test_format_late);
  g_test_add_func ("/time/format/due", test_format_due);
  g_test_add_func ("/time/periods/month-yoy-mom", test_periods);
  g_test_add_func ("/time/duration/seed-001-style", test_duration);
  g_test_add_func ("/time/periods/day", test_period_day);

  return g_test_run ();
}
