/* ld-time.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Times are UTC microseconds since the epoch; 0 means "none" (no record in
 * this domain predates 1970). They are shown in the center's time zone. */
#define LD_TIME_NONE   ((gint64) 0)
#define LD_USEC_PER_S  G_GINT64_CONSTANT (1000000)

/* The years a written time may name: every record of ours falls inside, and
 * any time inside converts to microseconds and back without overflow. */
#define LD_TIME_MIN_YEAR 1970
#define LD_TIME_MAX_YEAR 2199

#define LD_TIME_ERROR (ld_time_error_quark ())

typedef enum {
  LD_TIME_ERROR_INVALID,
} LdTimeError;

/* A half-open interval [start, end) of UTC microseconds. */
typedef struct {
  gint64 start;
  gint64 end;
} LdPeriod;

GQuark    ld_time_error_quark         (void);
gint64    ld_time_now                 (void);
gboolean  ld_time_parse               (const char  *text,
                                       GTimeZone   *tz,
                                       gint64      *out_usec,
                                       GError     **error);
/* The window of times a record may carry, around the server's clock: no
 * record of a command center predates 2000, and how far ahead a time may lie
 * depends on what it is. A step is logged when it happens (a device's clock
 * may run a few minutes fast); an imported row is history, give or take a
 * time zone; a drill is planned at most a year ahead. */
#define LD_TIME_PLAUSIBLE_START (G_GINT64_CONSTANT (946684800) * LD_USEC_PER_S) /* 2000-01-01 00:00 UTC */
#define LD_TIME_AHEAD_STEP      (G_GINT64_CONSTANT (5) * 60 * LD_USEC_PER_S)
#define LD_TIME_AHEAD_IMPORT    (G_GINT64_CONSTANT (1) * 86400 * LD_USEC_PER_S)
#define LD_TIME_AHEAD_PLAN      (G_GINT64_CONSTANT (366) * 86400 * LD_USEC_PER_S)

/* Whether @at lies in [LD_TIME_PLAUSIBLE_START, @now + @max_ahead]; the
 * error names the time in @tz and what is wrong with it. */
gboolean  ld_time_check_plausible     (gint64       at,
                                       gint64       now,
                                       gint64       max_ahead,
                                       GTimeZone   *tz,
                                       GError     **error);
/* The ld_time_format…() and ld_duration_format() strings are
 * (transfer full): the caller g_free()s them. */
char     *ld_time_format              (gint64       usec,
                                       GTimeZone   *tz);
char     *ld_time_format_iso          (gint64       usec,
                                       GTimeZone   *tz);
/* The day, as documents date things: "2026-11-23", "2026年11月23日". */
char     *ld_time_format_date         (gint64       usec,
                                       GTimeZone   *tz);
/* How long ago a deadline passed: "12 min late", "1 h 05 min late". */
char     *ld_time_format_late        (gint64       late_usec);
/* A deadline counted down from @now: "12 min left", or how late. */
char     *ld_time_format_due         (gint64       due,
                                      gint64       now);
/* Month, day and minute ("11-23 19:52"): what a duty board shows. */
char     *ld_time_format_short        (gint64       usec,
                                       GTimeZone   *tz);
void      ld_time_to_local            (gint64       usec,
                                       GTimeZone   *tz,
                                       int         *year,
                                       int         *month,
                                       int         *day,
                                       int         *hour,
                                       int         *minute,
                                       int         *second);
gint64    ld_time_from_local          (GTimeZone   *tz,
                                       int          year,
                                       int          month,
                                       int          day,
                                       int          hour,
                                       int          minute,
                                       int          second);
char     *ld_duration_format          (gint64       seconds);

LdPeriod  ld_period_month             (GTimeZone   *tz,
                                       int          year,
                                       int          month);
/* The local day (in @tz) that holds @at. */
LdPeriod  ld_period_day               (GTimeZone   *tz,
                                       gint64       at);
gboolean  ld_period_parse_month       (const char  *text,
                                       GTimeZone   *tz,
                                       LdPeriod    *out,
                                       GError     **error);
gboolean  ld_period_is_month          (const LdPeriod *period,
                                       GTimeZone   *tz,
                                       int         *year,
                                       int         *month);
LdPeriod  ld_period_year_before       (const LdPeriod *period,
                                       GTimeZone   *tz);
LdPeriod  ld_period_previous          (const LdPeriod *period,
                                       GTimeZone   *tz);

G_END_DECLS
