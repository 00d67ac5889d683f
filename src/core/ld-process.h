/* ld-process.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Process-wide settings every Liandong program makes before its first
 * store is opened. */
void ld_process_init (void);

G_END_DECLS
