/* ld-time.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ld-time.h"

G_DEFINE_QUARK (ld-time-error-quark, ld_time_error)

/* Howard Hinnant's days_from_civil: proleptic Gregorian, exact for any year,
 * and far cheaper than a GDateTime per cell when importing a million rows. */
static gint64
days_from_civil (gint64 y, int m, int d)
{
  y -= m <= 2;
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  gint64 yoe = y - era * 400;
  gint64 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void
civil_from_days (gint64 z, int *year, int *month, int *day)
{
  z += 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  gint64 doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 y = yoe + era * 400;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;
  int d = (int) (doy - (153 * mp + 2) / 5 + 1);
  int m = (int) (mp < 10 ? mp + 3 : mp - 9);
  *year = (int) (y + (m <= 2));
  *month = m;
  *day = d;
}

static int
days_in_month (int year, int month)
{
  static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
    return 29;
  return days[month - 1];
}

gint64
ld_time_now (void)
{
  return g_get_real_time ();
}

gint64
ld_time_from_local (GTimeZone *tz, int year, int month, int day, int hour, int minute, int second)
{
  gint64 local = days_from_civil (year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  gint64 adjusted = local;
  int interval = g_time_zone_adjust_time (tz, G_TIME_TYPE_STANDARD, &adjusted);
  return (adjusted - g_time_zone_get_offset (tz, interval)) * LD_USEC_PER_S;
}

void
ld_time_to_local (gint64 usec, GTimeZone *tz,
                  int *year, int *month, int *day, int *hour, int *minute, int *second)
{
  gint64 utc = usec >= 0 ? usec / LD_USEC_PER_S : -((-usec + LD_USEC_PER_S - 1) / LD_USEC_PER_S);
  int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, utc);
  gint64 local = utc + g_time_zone_get_offset (tz, MAX (interval, 0));
  gint64 days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
  gint64 rest = local - days * 86400;

  civil_from_days (days, year, month, day);
  *hour = (int) (rest / 3600);
  *minute = (int) (rest / 60 % 60);
  *second = (int) (rest % 60);
}

static gboolean
read_digits (const char **p, int n, int *out)
{
  int v = 0;
  for (int i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      v = v * 10 + ((*p)[i] - '0');
    }
  *p += n;
  *out = v;
  return TRUE;
}

/* Accepts "YYYY-MM-DD HH:MM[:SS]", ISO 8601 "YYYY-MM-DDTHH:MM[:SS[.ffffff]][Z|±HH[:MM]]",
 * and "YYYY/MM/DD …" as spreadsheets write it. Without an offset the time is in @tz. */
gboolean
ld_time_parse (const char *text, GTimeZone *tz, gint64 *out_usec, GError **error)
{
  const char *p = text;
  int y, mo, d, h = 0, mi = 0, s = 0;
  gint64 frac = 0;
  gboolean has_offset = FALSE;
  int offset_s = 0;
  char sep;

  if (p == NULL)
    goto invalid;
  while (*p == ' ')
    p++;
  if (!read_digits (&p, 4, &y) || (*p != '-' && *p != '/'))
    goto invalid;
  sep = *p++;
  if (!read_digits (&p, 2, &mo) || *p++ != sep || !read_digits (&p, 2, &d))
    goto invalid;
  if (*p == 'T' || *p == ' ')
    {
      p++;
      if (!read_digits (&p, 2, &h) || *p++ != ':' || !read_digits (&p, 2, &mi))
        goto invalid;
      if (*p == ':')
        {
          p++;
          if (!read_digits (&p, 2, &s))
            goto invalid;
          if (*p == '.' || *p == ',')
            {
              gint64 scale = 100000;
              p++;
              if (!g_ascii_isdigit (*p))
                goto invalid;
              for (; g_ascii_isdigit (*p); p++, scale /= 10)
                frac += (*p - '0') * scale;
            }
        }
      if (*p == 'Z')
        {
          has_offset = TRUE;
          p++;
        }
      else if (*p == '+' || *p == '-')
        {
          int sign = *p++ == '-' ? -1 : 1;
          int oh, om = 0;
          if (!read_digits (&p, 2, &oh))
            goto invalid;
          if (*p == ':')
            p++;
          if (g_ascii_isdigit (*p) && !read_digits (&p, 2, &om))
            goto invalid;
          /* Kiribati's +14:00 and Baker Island's -12:00 are the ends of the world. */
          if (om > 59 || oh * 60 + om > 14 * 60)
            {
              g_set_error (error, LD_TIME_ERROR, LD_TIME_ERROR_INVALID,
                           _("“%s” has a UTC offset beyond ±14:00"), text);
              return FALSE;
            }
          has_offset = TRUE;
          offset_s = sign * (oh * 3600 + om * 60);
        }
    }
  while (*p == ' ')
    p++;
  if (*p != '\0')
    goto invalid;
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month (y, mo) || h > 23 || mi > 59 || s > 59)
    goto invalid;
  if (y < LD_TIME_MIN_YEAR || y > LD_TIME_MAX_YEAR)
    {
      g_set_error (error, LD_TIME_ERROR, LD_TIME_ERROR_INVALID,
                   _("“%s” lies outside the years %d to %d"), text, LD_TIME_MIN_YEAR, LD_TIME_MAX_YEAR);
      return FALSE;
    }

  if (has_offset)
    *out_usec = (days_from_civil (y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset_s)
                * LD_USEC_PER_S + frac;
  else
    *out_usec = ld_time_from_local (tz, y, mo, d, h, mi, s) + frac;
  return TRUE;

invalid:
  g_set_error (error, LD_TIME_ERROR, LD_TIME_ERROR_INVALID,
               _("“%s” is not a time (expected YYYY-MM-DD HH:MM:SS or ISO 8601)"),
               text ? text : "");
  return FALSE;
}

/* "5 minutes", "366 days": how far ahead a time may lie. */
static char *
format_ahead (gint64 usec)
{
  gint64 minutes = usec / (60 * LD_USEC_PER_S);

  if (minutes % 1440 == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days", (gulong) (minutes / 1440)),
                            (int) (minutes / 1440));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", (gulong) minutes),
                          (int) minutes);
}

gboolean
ld_time_check_plausible (gint64 at, gint64 now, gint64 max_ahead, GTimeZone *tz, GError **error)
{
  /* About 146,000 years either way: a time beyond is garbage, not worth
   * writing out (and the calendar's arithmetic would overflow on it). */
  const gint64 writable = G_GINT64_CONSTANT (1) << 62;
  g_autofree char *text = NULL;
  g_autofree char *ahead = NULL;

  if (at >= LD_TIME_PLAUSIBLE_START && at - max_ahead <= now)
    return TRUE;
  if (at > -writable && at < writable)
    text = ld_time_format (at, tz);
  if (at < LD_TIME_PLAUSIBLE_START)
    {
      if (text)
        g_set_error (error, LD_TIME_ERROR, LD_TIME_ERROR_INVALID,
                     _("The time %s is not plausible: it lies before 2000-01-01"), text);
      else
        g_set_error (error, LD_TIME_ERROR, LD_TIME_ERROR_INVALID,
                     _("The time is not plausible: it lies before 2000-01-01"));
      return FALSE;
    }
  ahead = format_ahead (max_ahead);
  if (text)
    g_set_error (error, LD_TIME_ERROR, LD_TIME_ERROR_INVALID,
                 _("The time %s is not plausible: it lies more than %s in the future"), text, ahead);
  else
    g_set_error (error, LD_TIME_ERROR, LD_TIME_ERROR_INVALID,
                 _("The time is not plausible: it lies more than %s in the future"), ahead);
  return FALSE;
}

char *
ld_time_format (gint64 usec, GTimeZone *tz)
{
  int y, mo, d, h, mi, s;
  ld_time_to_local (usec, tz, &y, &mo, &d, &h, &mi, &s);
  return g_strdup_printf ("%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h, mi, s);
}

char *
ld_time_format_date (gint64 usec, GTimeZone *tz)
{
  int y, mo, d, h, mi, s;
  ld_time_to_local (usec, tz, &y, &mo, &d, &h, &mi, &s);
  /* Translators: a date: year, month, day */
  return g_strdup_printf (_("%1$d-%2$02d-%3$02d"), y, mo, d);
}

char *
ld_time_format_short (gint64 usec, GTimeZone *tz)
{
  int y, mo, d, h, mi, s;
  ld_time_to_local (usec, tz, &y, &mo, &d, &h, &mi, &s);
  return g_strdup_printf ("%02d-%02d %02d:%02d", mo, d, h, mi);
}

/* Sub-second digits only when there are any, so exported files stay
 * readable and still round-trip exactly. */
char *
ld_time_format_iso (gint64 usec, GTimeZone *tz)
{
  int y, mo, d, h, mi, s;
  gint64 utc = usec >= 0 ? usec / LD_USEC_PER_S : -((-usec + LD_USEC_PER_S - 1) / LD_USEC_PER_S);
  gint64 frac = usec - utc * LD_USEC_PER_S;
  int offset = g_time_zone_get_offset (tz, MAX (g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, utc), 0));
  char fraction[16] = "";

  ld_time_to_local (usec, tz, &y, &mo, &d, &h, &mi, &s);
  if (frac)
    g_snprintf (fraction, sizeof fraction, ".%06d", (int) frac);
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d%s%c%02d:%02d", y, mo, d, h, mi, s, fraction,
                          offset < 0 ? '-' : '+', ABS (offset) / 3600, ABS (offset) / 60 % 60);
}

/* The drill tables print "18分25秒", and "3分" when the seconds are zero. */
char *
ld_duration_format (gint64 seconds)
{
  gboolean negative = seconds < 0;
  gint64 abs_s = ABS (seconds);
  gint64 h = abs_s / 3600, m = abs_s / 60 % 60, s = abs_s % 60;
  g_autofree char *text = NULL;

  if (h > 0)
    text = s ? g_strdup_printf (_("%d h %d min %d s"), (int) h, (int) m, (int) s)
             : g_strdup_printf (_("%d h %d min"), (int) h, (int) m);
  else if (m > 0)
    text = s ? g_strdup_printf (_("%d min %d s"), (int) m, (int) s)
             : g_strdup_printf (_("%d min"), (int) m);
  else
    text = g_strdup_printf (_("%d s"), (int) s);

  return negative ? g_strconcat ("-", text, NULL) : g_steal_pointer (&text);
}

LdPeriod
ld_period_month (GTimeZone *tz, int year, int month)
{
  LdPeriod p;
  p.start = ld_time_from_local (tz, year, month, 1, 0, 0, 0);
  p.end = month == 12 ? ld_time_from_local (tz, year + 1, 1, 1, 0, 0, 0)
                      : ld_time_from_local (tz, year, month + 1, 1, 0, 0, 0);
  return p;
}

gboolean
ld_period_parse_month (const char *text, GTimeZone *tz, LdPeriod *out, GError **error)
{
  const char *p = text;
  int y, m;

  if (p == NULL || !read_digits (&p, 4, &y) || *p++ != '-' || !read_digits (&p, 2, &m) ||
      *p != '\0' || m < 1 || m > 12)
    {
      g_set_error (error, LD_TIME_ERROR, LD_TIME_ERROR_INVALID,
                   _("“%s” is not a month (expected YYYY-MM)"), text ? text : "");
      return FALSE;
    }
  *out = ld_period_month (tz, y, m);
  return TRUE;
}

gboolean
ld_period_is_month (const LdPeriod *period, GTimeZone *tz, int *year, int *month)
{
  int y, mo, d, h, mi, s;
  ld_time_to_local (period->start, tz, &y, &mo, &d, &h, &mi, &s);
  if (d != 1 || h != 0 || mi != 0 || s != 0)
    return FALSE;
  LdPeriod m = ld_period_month (tz, y, mo);
  if (m.start != period->start || m.end != period->end)
    return FALSE;
  if (year)
    *year = y;
  if (month)
    *month = mo;
  return TRUE;
}

static gint64
shift_local (gint64 usec, GTimeZone *tz, int years)
{
  int y, mo, d, h, mi, s;
  ld_time_to_local (usec, tz, &y, &mo, &d, &h, &mi, &s);
  y += years;
  d = MIN (d, days_in_month (y, mo));
  return ld_time_from_local (tz, y, mo, d, h, mi, s) + usec % LD_USEC_PER_S;
}

LdPeriod
ld_period_year_before (const LdPeriod *period, GTimeZone *tz)
{
  LdPeriod p = { shift_local (period->start, tz, -1), shift_local (period->end, tz, -1) };
  return p;
}

/* MoM compares a calendar month with the calendar month before it (seed 000's
 * 环比), anything else with the span of the same length just before. */
LdPeriod
ld_period_previous (const LdPeriod *period, GTimeZone *tz)
{
  int y, m;
  if (ld_period_is_month (period, tz, &y, &m))
    return m == 1 ? ld_period_month (tz, y - 1, 12) : ld_period_month (tz, y, m - 1);

  LdPeriod p = { period->start - (period->end - period->start), period->start };
  return p;
}

char *
ld_time_format_late (gint64 late_usec)
{
  gint64 minutes = MAX (late_usec / G_USEC_PER_SEC / 60, 0);

  if (minutes < 60)
    /* Translators: how long ago a deadline passed */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d min late", "%d min late", (gulong) minutes), (int) minutes);
  if (minutes < 48 * 60)
    /* Translators: how long ago a deadline passed, in hours and minutes */
    return g_strdup_printf (_("%d h %02d min late"), (int) (minutes / 60), (int) (minutes % 60));
  /* Past two days the minutes say nothing. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day late", "%d days late", (gulong) (minutes / 1440)),
                          (int) (minutes / 1440));
}

char *
ld_time_format_due (gint64 due, gint64 now)
{
  gint64 minutes;

  if (due < now)
    return ld_time_format_late (now - due);
  /* A deadline in 30 s is not "0 min" away: the minute is rounded up. */
  minutes = (due - now + 60 * G_USEC_PER_SEC - 1) / (60 * G_USEC_PER_SEC);
  if (minutes < 60)
    /* Translators: a deadline counted down */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d min left", "%d min left", (gulong) minutes), (int) minutes);
  /* Translators: a deadline counted down, in hours and minutes */
  return g_strdup_printf (_("%d h %02d min left"), (int) (minutes / 60), (int) (minutes % 60));
}
