/* ld-training.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ld-store.h"

G_BEGIN_DECLS

/* How soon after a call its first order should go: the training's own
 * target, as the seeds set none for the center. */
#define LD_TRAINING_DISPATCH_S 120
/* A session's report covers this long back unless told its start. */
#define LD_TRAINING_SESSION_US (G_GINT64_CONSTANT (24) * 3600 * G_USEC_PER_SEC)

/* One simulated call of a practice session, judged against what a good
 * dispatcher would have done. */
typedef struct {
  LdIncident *incident;
  gint64      first_order_at;       /* LD_TIME_NONE: never dispatched */
  GPtrArray  *expected;             /* unit codes the responsibility list names */
  GPtrArray  *dispatched;           /* unit codes the trainee dispatched to */
  guint       right;                /* dispatched and expected */
  guint       wrong;                /* dispatched, not expected */
  guint       missed;               /* expected, not dispatched */
  gboolean    jurisdiction_right;   /* every unit dispatched covers the place's region */
  gboolean    in_time;              /* first order within LD_TRAINING_DISPATCH_S */
} LdTrainingCall;

typedef struct {
  GPtrArray *calls;                 /* LdTrainingCall, oldest first */
  GHashTable *unit_names;           /* unit code → name, of the units named above */
  guint      dispatched;
  guint      in_time;
  guint      right;
  guint      wrong;
  guint      missed;
  guint      jurisdiction_right;
  gint64     median_to_order_us;    /* of the calls dispatched */
} LdTrainingReport;

/* The simulated calls received in [@since, @until) in a training store.
 * (transfer full): the caller frees it with ld_training_report_free(). */
LdTrainingReport *ld_training_report_new     (LdStore                *store,
                                              gint64                  since,
                                              gint64                  until,
                                              GError                **error);
void              ld_training_report_free    (LdTrainingReport       *report);
/* The report as the trainee reads it, call by call and in total, in the
 * store's zone. (transfer full): the caller g_free()s it. */
char             *ld_training_report_to_text (const LdTrainingReport *report,
                                              GTimeZone              *tz);

/* The same as an A4 PDF at @path, for the trainee to keep. */
gboolean          ld_training_report_write_pdf (const LdTrainingReport *report,
                                              GTimeZone              *tz,
                                              const char             *path,
                                              GError                **error);
/* The same pages from the report's text, as a desk gets it from the server. */
gboolean          ld_training_text_write_pdf (const char          *text,
                                              const char             *path,
                                              GError                **error);
/* (transfer full): the totals and the text, as GET /training/report
 * answers them; @since is the session's start. */
JsonNode         *ld_training_report_to_json (const LdTrainingReport *report,
                                              gint64                  since,
                                              GTimeZone              *tz);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdTrainingReport, ld_training_report_free)

G_END_DECLS
