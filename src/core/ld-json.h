/* ld-json.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define LD_JSON_ERROR (ld_json_error_quark ())

typedef enum {
  LD_JSON_ERROR_MALFORMED,
  LD_JSON_ERROR_TOO_DEEP,
  LD_JSON_ERROR_TOO_LARGE,
} LdJsonError;

/* No record or document of ours nests deeper than a few levels, nor has a
 * list longer than a server page or an import; these bounds leave room. */
#define LD_JSON_MAX_DEPTH 64           /* nesting of objects and arrays */
#define LD_JSON_MAX_MEMBERS 1000000    /* members of one object or elements of one array */

GQuark      ld_json_error_quark (void);

/* Parses untrusted JSON: the nesting and the size of each container are
 * checked on the raw bytes before json-glib sees them (json-glib recurses and
 * overflows the stack at about 85,000 levels). (transfer full) */
JsonNode   *ld_json_parse       (const char  *data,
                                 gssize       length,
                                 GError     **error);

/* Reading untrusted JSON: a member of another type reads as absent
 * (json-glib's own getters complain about it instead). The string is
 * (transfer none) (nullable): @object's, living as long as it does. */
const char *ld_json_get_string (JsonObject  *object,
                                const char  *name);
double      ld_json_get_number (JsonObject  *object,
                                const char  *name);

/* An optional number of untrusted JSON: absent or null gives NaN; a finite
 * number is read; anything else (a string "30.7", a list) is an error. */
gboolean    ld_json_get_optional_number (JsonObject  *object,
                                         const char  *name,
                                         double      *out,
                                         GError     **error);

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
