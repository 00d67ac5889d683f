/* ld-training-report-window.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ld-sync-engine.h"

G_BEGIN_DECLS

#define LD_TYPE_TRAINING_REPORT_WINDOW (ld_training_report_window_get_type ())

G_DECLARE_FINAL_TYPE (LdTrainingReportWindow, ld_training_report_window, LD, TRAINING_REPORT_WINDOW, AdwWindow)

/* How the trainee's calls were dispatched, as the training server judges
 * them (GET /training/report), with the totals over the calls and a PDF
 * to hand in. (transfer none): the window is GTK's, over @parent; it keeps
 * a reference on @engine and asks the server at once. */
LdTrainingReportWindow *ld_training_report_window_new      (GtkWindow              *parent,
                                                            LdSyncEngine           *engine);
/* Asks the server again. */
void                    ld_training_report_window_reload   (LdTrainingReportWindow *self);
/* (nullable) (transfer none): the report's text once it came, NULL before. */
const char             *ld_training_report_window_get_text (LdTrainingReportWindow *self);
/* (transfer none): the figure shown on the tile named @key ("calls",
 * "in-time", "right", "wrong", "missed"). */
const char             *ld_training_report_window_get_figure (LdTrainingReportWindow *self,
                                                              const char             *key);

G_END_DECLS
