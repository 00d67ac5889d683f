/* ld-record-json.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ld-geo.h"
#include "ld-records.h"

G_BEGIN_DECLS

/* The records as the server and the sync feed write them, each as one JSON
 * object added to @builder (at a member name or array element the caller
 * has set). Times are ISO 8601 in @tz, a missing time or string is null.
 * Nothing is taken: the records stay the caller's. */

void ld_record_json_add_incident    (JsonBuilder        *builder,
                                     GTimeZone          *tz,
                                     const LdIncident   *incident);
/* (nullable) (element-type LdFeedback) @feedback: the order's reports,
 * carried in the record when given. */
void ld_record_json_add_order       (JsonBuilder        *builder,
                                     GTimeZone          *tz,
                                     const LdOrder      *order,
                                     GPtrArray          *feedback);
/* A drill travels whole: its row, @units (of LdDrillUnit) and @notes (of
 * LdDrillNote). (element-type LdDrillUnit) @units and (element-type
 * LdDrillNote) @notes are (transfer none) and must not be NULL. */
void ld_record_json_add_drill       (JsonBuilder        *builder,
                                     GTimeZone          *tz,
                                     const LdDrill      *drill,
                                     GPtrArray          *units,
                                     GPtrArray          *notes);
/* The image goes as base64 in "data". */
void ld_record_json_add_drill_photo (JsonBuilder        *builder,
                                     GTimeZone          *tz,
                                     const LdDrillPhoto *photo);
/* A turn of a unit's duty roster; "removed" says a desk drops it. */
void ld_record_json_add_duty        (JsonBuilder        *builder,
                                     GTimeZone          *tz,
                                     const LdDuty       *duty);
/* A live roll call travels whole: its id, start and limit, and @rows (of
 * LdRollCall, one roll call's, the caller's choice of units). */
void ld_record_json_add_roll_call   (JsonBuilder        *builder,
                                     GTimeZone          *tz,
                                     const char         *roll_call_id,
                                     GPtrArray          *rows);
/* @boundary may be NULL: "boundary" is then null. */
void ld_record_json_add_region      (JsonBuilder        *builder,
                                     const LdRegion     *region,
                                     LdBoundary         *boundary);
void ld_record_json_add_unit        (JsonBuilder        *builder,
                                     const LdUnit       *unit);
void ld_record_json_add_category    (JsonBuilder        *builder,
                                     const LdCategory   *category);
/* What a desk learns of a user: never the password hash. */
void ld_record_json_add_user        (JsonBuilder        *builder,
                                     const LdUser       *user);
/* An entry of the audit trail; its data, JSON text, goes as JSON. */
void ld_record_json_add_event       (JsonBuilder        *builder,
                                     GTimeZone          *tz,
                                     const LdEvent      *event);

G_END_DECLS
