/* ld-figure-window.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ld-store.h"

G_BEGIN_DECLS

#define LD_TYPE_FIGURE_WINDOW (ld_figure_window_get_type ())

G_DECLARE_FINAL_TYPE (LdFigureWindow, ld_figure_window, LD, FIGURE_WINDOW, AdwWindow)

/* The incidents behind a dashboard figure (@filter, as the store defines
 * them), newest first; @title names the figure and @total is how many
 * incidents it counts (G_MAXUINT when it counts orders), said beside the
 * newest shown. A click on one emits "incident-activated" with its id. */
LdFigureWindow *ld_figure_window_new       (GtkWindow              *parent,
                                            LdStore                *store,
                                            GTimeZone              *time_zone,
                                            const char             *title,
                                            const LdIncidentFilter *filter,
                                            guint                   total);
guint           ld_figure_window_get_n_shown (LdFigureWindow       *self);

G_END_DECLS
