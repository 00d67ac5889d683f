/* ld-record-json.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include "ld-json.h"
#include "ld-record-json.h"

static void
add_time (JsonBuilder *b, GTimeZone *tz, const char *name, gint64 value)
{
  g_autofree char *text = value ? ld_time_format_iso (value, tz) : NULL;
  ld_json_add_string (b, name, text);
}

void
ld_record_json_add_incident (JsonBuilder *b, GTimeZone *tz, const LdIncident *i)
{
  json_builder_begin_object (b);
  ld_json_add_string (b, "id", i->id);
  add_time (b, tz, "received_at", i->received_at);
  ld_json_add_string (b, "source", i->source);
  ld_json_add_string (b, "kind", i->kind);
  ld_json_add_string (b, "diverted_to", i->diverted_to);
  ld_json_add_string (b, "caller_phone", i->caller_phone);
  ld_json_add_string (b, "address", i->address);
  ld_json_add_number (b, "lat", i->lat);
  ld_json_add_number (b, "lon", i->lon);
  ld_json_add_string (b, "region_code", i->region_code);
  ld_json_add_string (b, "category", i->category);
  ld_json_add_string (b, "summary", i->summary);
  ld_json_add_string (b, "state", i->state);
  add_time (b, tz, "closed_at", i->closed_at);
  ld_json_add_string (b, "repeat_of", i->repeat_of);
  ld_json_add_int (b, "returns", i->returns);
  json_builder_end_object (b);
}

void
ld_record_json_add_order (JsonBuilder *b, GTimeZone *tz, const LdOrder *o, GPtrArray *feedback)
{
  json_builder_begin_object (b);
  ld_json_add_string (b, "id", o->id);
  ld_json_add_string (b, "incident_id", o->incident_id);
  ld_json_add_string (b, "unit_code", o->unit_code);
  ld_json_add_string (b, "state", o->state);
  add_time (b, tz, "dispatched_at", o->dispatched_at);
  add_time (b, tz, "signed_at", o->signed_at);
  add_time (b, tz, "arrived_at", o->arrived_at);
  add_time (b, tz, "completed_at", o->completed_at);
  add_time (b, tz, "returned_at", o->returned_at);
  ld_json_add_string (b, "return_reason", o->return_reason);
  add_time (b, tz, "sign_due", o->sign_due);
  add_time (b, tz, "arrive_due", o->arrive_due);
  add_time (b, tz, "feedback_due", o->feedback_due);
  add_time (b, tz, "result_due", o->result_due);
  add_time (b, tz, "first_feedback_at", o->first_feedback_at);
  ld_json_add_int (b, "feedback_count", o->feedback_count);
  ld_json_add_int (b, "overdue", o->overdue);
  add_time (b, tz, "signed_logged_at", o->signed_logged_at);
  add_time (b, tz, "arrived_logged_at", o->arrived_logged_at);
  add_time (b, tz, "completed_logged_at", o->completed_logged_at);
  add_time (b, tz, "returned_logged_at", o->returned_logged_at);
  add_time (b, tz, "first_feedback_logged_at", o->first_feedback_logged_at);
  ld_json_add_string (b, "duty_unit_code", o->duty_unit_code);
  json_builder_set_member_name (b, "not_ours");
  json_builder_add_boolean_value (b, o->not_ours);
  ld_json_add_string (b, "basis", o->basis);
  ld_json_add_string (b, "return_ruling", o->return_ruling);
  json_builder_set_member_name (b, "return_overruled");
  json_builder_add_boolean_value (b, g_strcmp0 (o->return_ruling, "overruled") == 0);
  add_time (b, tz, "return_ruled_at", o->return_ruled_at);
  ld_json_add_string (b, "return_ruled_by", o->return_ruled_by);
  ld_json_add_string (b, "return_ruling_reason", o->return_ruling_reason);
  add_time (b, tz, "result_feedback_at", o->result_feedback_at);
  ld_json_add_string (b, "extension_step", o->extension_step);
  add_time (b, tz, "extension_until", o->extension_until);
  ld_json_add_string (b, "extension_reason", o->extension_reason);
  add_time (b, tz, "extension_requested_at", o->extension_requested_at);
  ld_json_add_string (b, "extension_ruling", o->extension_ruling);
  add_time (b, tz, "extension_ruled_at", o->extension_ruled_at);
  ld_json_add_string (b, "extension_ruling_reason", o->extension_ruling_reason);
  add_time (b, tz, "extension_original_due", o->extension_original_due);
  /* An order's reports travel with it: few, and read with it. */
  if (feedback)
    {
      json_builder_set_member_name (b, "feedback");
      json_builder_begin_array (b);
      for (guint i = 0; i < feedback->len; i++)
        {
          const LdFeedback *f = g_ptr_array_index (feedback, i);
          g_autofree char *at = ld_time_format_iso (f->at, tz);

          json_builder_begin_object (b);
          ld_json_add_string (b, "id", f->id);
          ld_json_add_string (b, "at", at);
          ld_json_add_string (b, "kind", f->kind);
          ld_json_add_string (b, "text", f->text);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
}

static void
add_drill_unit (JsonBuilder *b, GTimeZone *tz, const LdDrillUnit *du)
{
  json_builder_begin_object (b);
  ld_json_add_string (b, "unit_code", du->unit_code);
  add_time (b, tz, "alarm_at", du->alarm_at);
  add_time (b, tz, "arrived_at", du->arrived_at);
  ld_json_add_int (b, "limit_s", du->limit_s);
  ld_json_add_string (b, "note", du->note);
  json_builder_set_member_name (b, "corrected");
  json_builder_add_boolean_value (b, du->corrected);
  ld_json_add_string (b, "correction", du->correction);
  json_builder_end_object (b);
}

static void
add_drill_note (JsonBuilder *b, GTimeZone *tz, const LdDrillNote *n)
{
  json_builder_begin_object (b);
  ld_json_add_string (b, "id", n->id);
  ld_json_add_string (b, "unit_code", n->unit_code);
  add_time (b, tz, "at", n->at);
  ld_json_add_string (b, "author", n->author);
  ld_json_add_string (b, "text", n->text);
  json_builder_end_object (b);
}

void
ld_record_json_add_drill (JsonBuilder *b, GTimeZone *tz, const LdDrill *d, GPtrArray *units, GPtrArray *notes)
{
  json_builder_begin_object (b);
  ld_json_add_string (b, "id", d->id);
  add_time (b, tz, "held_at", d->held_at);
  ld_json_add_string (b, "region_code", d->region_code);
  ld_json_add_string (b, "location", d->location);
  ld_json_add_string (b, "scenario", d->scenario);
  ld_json_add_number (b, "lat", d->lat);
  ld_json_add_number (b, "lon", d->lon);
  json_builder_set_member_name (b, "units");
  json_builder_begin_array (b);
  for (guint i = 0; i < units->len; i++)
    add_drill_unit (b, tz, g_ptr_array_index (units, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "notes");
  json_builder_begin_array (b);
  for (guint i = 0; i < notes->len; i++)
    add_drill_note (b, tz, g_ptr_array_index (notes, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
}

void
ld_record_json_add_drill_photo (JsonBuilder *b, GTimeZone *tz, const LdDrillPhoto *photo)
{
  gsize size;
  gconstpointer bytes = g_bytes_get_data (photo->data, &size);
  g_autofree char *base64 = g_base64_encode (bytes, size);

  json_builder_begin_object (b);
  ld_json_add_string (b, "id", photo->id);
  ld_json_add_string (b, "drill_id", photo->drill_id);
  ld_json_add_string (b, "unit_code", photo->unit_code);
  add_time (b, tz, "at", photo->at);
  ld_json_add_string (b, "author", photo->author);
  ld_json_add_string (b, "caption", photo->caption);
  ld_json_add_string (b, "mime", photo->mime);
  ld_json_add_string (b, "data", base64);
  json_builder_end_object (b);
}

void
ld_record_json_add_region (JsonBuilder *b, const LdRegion *region, LdBoundary *boundary)
{
  json_builder_begin_object (b);
  ld_json_add_string (b, "code", region->code);
  ld_json_add_string (b, "name", region->name);
  ld_json_add_string (b, "parent_code", region->parent_code);
  json_builder_set_member_name (b, "boundary");
  if (boundary)
    {
      g_autofree char *geojson = ld_boundary_to_geojson (boundary);
      json_builder_add_value (b, json_from_string (geojson, NULL));
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
}

static void
add_limits (JsonBuilder *b, const LdLimits *l)
{
  ld_json_add_int (b, "sign_limit_s", l->sign_s);
  ld_json_add_int (b, "arrive_limit_s", l->arrive_s);
  ld_json_add_int (b, "feedback_limit_s", l->feedback_s);
  ld_json_add_int (b, "result_limit_s", l->result_s);
}

void
ld_record_json_add_unit (JsonBuilder *b, const LdUnit *u)
{
  json_builder_begin_object (b);
  ld_json_add_string (b, "code", u->code);
  ld_json_add_string (b, "name", u->name);
  ld_json_add_int (b, "tier", u->tier);
  ld_json_add_string (b, "category", u->category);
  ld_json_add_string (b, "region_code", u->region_code);
  ld_json_add_string (b, "phone", u->phone);
  ld_json_add_number (b, "lat", u->lat);
  ld_json_add_number (b, "lon", u->lon);
  ld_json_add_string (b, "status", u->inactive ? "inactive" : "active");
  add_limits (b, &u->limits);
  json_builder_end_object (b);
}

void
ld_record_json_add_category (JsonBuilder *b, const LdCategory *c)
{
  json_builder_begin_object (b);
  ld_json_add_string (b, "code", c->code);
  ld_json_add_string (b, "name", c->name);
  ld_json_add_string (b, "mode", c->mode);
  ld_json_add_string (b, "platform", c->platform);
  ld_json_add_string (b, "unit_categories", c->unit_categories);
  add_limits (b, &c->limits);
  json_builder_end_object (b);
}

void
ld_record_json_add_user (JsonBuilder *b, const LdUser *user)
{
  json_builder_begin_object (b);
  ld_json_add_string (b, "name", user->name);
  ld_json_add_string (b, "display_name", user->display_name);
  ld_json_add_string (b, "role", user->role);
  ld_json_add_string (b, "unit_code", user->unit_code);
  json_builder_end_object (b);
}

void
ld_record_json_add_event (JsonBuilder *b, GTimeZone *tz, const LdEvent *e)
{
  g_autofree char *at = ld_time_format_iso (e->at, tz);
  JsonNode *data = e->data ? json_from_string (e->data, NULL) : NULL;

  json_builder_begin_object (b);
  ld_json_add_int (b, "seq", e->seq);
  ld_json_add_string (b, "at", at);
  ld_json_add_string (b, "user", e->actor);
  ld_json_add_string (b, "device", e->device);
  ld_json_add_string (b, "remote", e->remote);
  ld_json_add_string (b, "entity", e->entity);
  ld_json_add_string (b, "entity_id", e->entity_id);
  ld_json_add_string (b, "action", e->action);
  json_builder_set_member_name (b, "data");
  if (data)
    json_builder_add_value (b, data);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
}

void
ld_record_json_add_duty (JsonBuilder *b, GTimeZone *tz, const LdDuty *d)
{
  json_builder_begin_object (b);
  ld_json_add_string (b, "id", d->id);
  ld_json_add_string (b, "unit_code", d->unit_code);
  ld_json_add_string (b, "name", d->name);
  ld_json_add_string (b, "phone", d->phone);
  add_time (b, tz, "from", d->from);
  add_time (b, tz, "to", d->to);
  json_builder_set_member_name (b, "removed");
  json_builder_add_boolean_value (b, d->removed);
  json_builder_end_object (b);
}

void
ld_record_json_add_roll_call (JsonBuilder *b, GTimeZone *tz, const char *roll_call_id, GPtrArray *rows)
{
  const LdRollCall *first = rows->len > 0 ? g_ptr_array_index (rows, 0) : NULL;

  json_builder_begin_object (b);
  ld_json_add_string (b, "id", roll_call_id);
  add_time (b, tz, "started_at", first ? first->started_at : 0);
  ld_json_add_int (b, "limit_s", first ? first->limit_s : 0);
  json_builder_set_member_name (b, "units");
  json_builder_begin_array (b);
  for (guint i = 0; i < rows->len; i++)
    {
      const LdRollCall *r = g_ptr_array_index (rows, i);

      json_builder_begin_object (b);
      ld_json_add_string (b, "unit_code", r->unit_code);
      add_time (b, tz, "answered_at", r->answered_at);
      json_builder_set_member_name (b, "answer_s");
      if (r->answer_s < 0)
        json_builder_add_null_value (b);
      else
        json_builder_add_int_value (b, r->answer_s);
      json_builder_set_member_name (b, "answered");
      json_builder_add_boolean_value (b, r->answered);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}
