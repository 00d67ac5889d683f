/* ld-read-failure.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LD_TYPE_READ_FAILURE (ld_read_failure_get_type ())

G_DECLARE_FINAL_TYPE (LdReadFailure, ld_read_failure, LD, READ_FAILURE, GtkWidget)

/* A bar over a list or a figure that says it could not be read and why,
 * so a failed read never looks like an empty list. Hidden until told.
 * "retry" is emitted when the user asks to read again. */
GtkWidget  *ld_read_failure_new       (void);
/* Shows that @what (a translated phrase, e.g. "The open incidents") could
 * not be read because of @error; a NULL @error hides the bar. Both are
 * (transfer none): the text is made from them at once, nothing is kept,
 * and @error stays the caller's to free. */
void        ld_read_failure_set_error (LdReadFailure *self,
                                       const char    *what,
                                       const GError  *error);
/* (nullable) (transfer none): the text shown, NULL while hidden */
const char *ld_read_failure_get_text  (LdReadFailure *self);

G_END_DECLS
