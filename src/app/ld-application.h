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
/* Chooses how the desktop draws, before its first window: cairo where GL
 * runs on the CPU. Returns the renderer GSK_RENDERER then names, or NULL
 * for GTK's own choice. (transfer none) (nullable): the environment's,
 * valid until GSK_RENDERER is set again. */
const char    *ld_application_choose_renderer (GdkDisplay *display);

G_END_DECLS
