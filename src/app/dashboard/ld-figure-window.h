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

/* The rows behind a dashboard figure (@filter, as ld_store_list_figure
 * reads them: incidents, or orders with their incidents), newest first, a
 * page at a time until the last; @title names the figure and @total is how
 * many rows it counts, said while some are still to come. A click on one
 * emits "incident-activated" with its incident's id.
 * (transfer none): the window belongs to GTK until it is closed; it keeps
 * a ref on @store and @time_zone and copies @title and @filter. */
LdFigureWindow *ld_figure_window_new       (GtkWindow              *parent,
                                            LdStore                *store,
                                            GTimeZone              *time_zone,
                                            const char             *title,
                                            const LdIncidentFilter *filter,
                                            guint                   total);
guint           ld_figure_window_get_n_shown (LdFigureWindow       *self);

G_END_DECLS
