/* ld-application.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LD_TYPE_APPLICATION (ld_application_get_type ())

G_DECLARE_FINAL_TYPE (LdApplication, ld_application, LD, APPLICATION, AdwApplication)

/* Owns the shared services (settings, the HTTP session, the sync engine)
 * and hands them to the windows it makes. */
LdApplication *ld_application_new (void);
/* What the desktop sets for its text to be drawn whole by any renderer. */
void           ld_application_tune_text_rendering (GtkSettings *settings);

G_END_DECLS
