/* ld-json.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Reading untrusted JSON: a member of another type reads as absent
 * (json-glib's own getters complain about it instead). */
const char *ld_json_get_string (JsonObject  *object,
                                const char  *name);
double      ld_json_get_number (JsonObject  *object,
                                const char  *name);

/* Writing: a NULL string or a NaN number is written as null. */
void        ld_json_add_string (JsonBuilder *builder,
                                const char  *name,
                                const char  *value);
void        ld_json_add_int    (JsonBuilder *builder,
                                const char  *name,
                                gint64       value);
void        ld_json_add_number (JsonBuilder *builder,
                                const char  *name,
                                double       value);

G_END_DECLS
