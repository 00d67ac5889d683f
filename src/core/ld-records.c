/* ld-records.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ld-records.h"

const char * const ld_platforms[] = { "governance", "114", "12345", "96345", NULL };

void
ld_id_format (char out[37], gint64 at_usec, guint64 random_hi, guint64 random_lo)
{
  guint64 ms = (guint64) MAX (at_usec, 0) / 1000;

  g_snprintf (out, 37, "%08x-%04x-7%03x-%04x-%012" G_GINT64_MODIFIER "x",
              (guint32) (ms >> 16), (guint32) (ms & 0xffff), (guint32) (random_hi & 0xfff),
              (guint32) (0x8000 | ((random_hi >> 12) & 0x3fff)),
              (guint64) (random_lo & G_GUINT64_CONSTANT (0xffffffffffff)));
}

char *
ld_id_new (gint64 at_usec)
{
  char id[37];
  guint64 hi = ((guint64) g_random_int () << 32) | g_random_int ();
  guint64 lo = ((guint64) g_random_int () << 32) | g_random_int ();

  ld_id_format (id, at_usec, hi, lo);
  return g_strdup (id);
}

const char *
ld_platform_label (const char *platform)
{
  if (g_strcmp0 (platform, "governance") == 0)
    return _("Governance platforms");
  if (g_strcmp0 (platform, "114") == 0)
    return _("114 car moving");
  if (g_strcmp0 (platform, "12345") == 0)
    return _("12345 government hotline");
  if (g_strcmp0 (platform, "96345") == 0)
    return _("96345 service hotline");
  return platform;
}

/* The responsibility list's three ways of handling a matter (seed 002). */
const char *
ld_dispatch_mode_label (const char *mode)
{
  if (g_strcmp0 (mode, "divert") == 0)
    return _("Divert to a platform");
  if (g_strcmp0 (mode, "immediate") == 0)
    return _("Immediate");
  if (g_strcmp0 (mode, "joint") == 0)
    return _("Joint");
  return mode;
}

/* (transfer none): a report's kind as people say it. */
const char *
ld_feedback_kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "arrival") == 0)
    return C_("feedback", "Arrival");
  if (g_strcmp0 (kind, "progress") == 0)
    return C_("feedback", "Progress");
  if (g_strcmp0 (kind, "result") == 0)
    return C_("feedback", "Result");
  return kind;
}

const char *
ld_incident_state_label (const char *state)
{
  if (g_strcmp0 (state, "new") == 0)
    return C_("incident state", "New");
  if (g_strcmp0 (state, "dispatched") == 0)
    return C_("incident state", "Dispatched");
  if (g_strcmp0 (state, "diverted") == 0)
    return C_("incident state", "Diverted");
  if (g_strcmp0 (state, "closed") == 0)
    return C_("incident state", "Closed");
  return state;
}

const char *
ld_order_state_label (const char *state)
{
  if (g_strcmp0 (state, "dispatched") == 0)
    return C_("order state", "Dispatched");
  if (g_strcmp0 (state, "signed") == 0)
    return C_("order state", "Signed");
  if (g_strcmp0 (state, "arrived") == 0)
    return C_("order state", "Arrived");
  if (g_strcmp0 (state, "completed") == 0)
    return C_("order state", "Completed");
  if (g_strcmp0 (state, "returned") == 0)
    return C_("order state", "Returned");
  return state;
}

const char *
ld_order_step_label (const char *step)
{
  if (g_strcmp0 (step, "sign") == 0)
    return _("Not signed");
  if (g_strcmp0 (step, "arrive") == 0)
    return _("Not arrived");
  if (g_strcmp0 (step, "feedback") == 0)
    return _("No feedback");
  if (g_strcmp0 (step, "result") == 0)
    return _("Not completed");
  return step;
}

gint64
ld_order_current_due (const LdOrder *o)
{
  if (!(g_strcmp0 (o->state, "dispatched") == 0 || g_strcmp0 (o->state, "signed") == 0 ||
        g_strcmp0 (o->state, "arrived") == 0))
    return LD_TIME_NONE;
  if (o->signed_at == LD_TIME_NONE)
    return o->sign_due;
  if (o->arrived_at == LD_TIME_NONE)
    return o->arrive_due;
  if (o->first_feedback_at == LD_TIME_NONE)
    return o->feedback_due;
  if (o->completed_at == LD_TIME_NONE)
    return o->result_due;
  return LD_TIME_NONE;
}

const char *
ld_source_label (const char *source)
{
  if (g_strcmp0 (source, "grid") == 0)
    return _("Grid worker");
  if (g_strcmp0 (source, "inspection") == 0)
    return _("Inspection");
  if (g_strcmp0 (source, "other") == 0)
    return _("Other");
  return source;
}

/* The words the bulletins use for each kind of unit (seed 000, (三)). */
const char *
ld_unit_category_label (const char *category)
{
  static const struct {
    const char *id;
    const char *label;
  } labels[] = {
    { "police", N_("Police") },
    { "fire", N_("Fire and rescue") },
    { "medical", N_("Medical emergency") },
    { "government", N_("Local government") },
    { "district_center", N_("District linkage centers") },
    { "urban_management", N_("Urban management") },
    { "market", N_("Market regulation") },
    { "health", N_("Health commission") },
    { "transport", N_("Transport") },
    { "emergency", N_("Emergency management") },
    { "natural_resources", N_("Natural resources") },
    { "agriculture", N_("Agriculture and rural affairs") },
    { "housing", N_("Housing and construction") },
    { "environment", N_("Ecology and environment") },
    { "hrss", N_("Human resources and social security") },
    { "tobacco", N_("Tobacco") },
    { "commerce", N_("Commerce") },
    { "power", N_("Power supply") },
    { "water", N_("Water supply") },
    { "telecom", N_("Telecommunications") },
    { "cable_tv", N_("Cable television") },
    { "transit", N_("Public transport") },
    { "city_invest", N_("City investment group") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].id, category) == 0)
      return _(labels[i].label);
  return category;
}

static gboolean
in_list (const char *value, const char * const *list)
{
  return value != NULL && g_strv_contains (list, value);
}

gboolean
ld_source_is_valid (const char *source)
{
  static const char * const sources[] = { "110", "12345", "96345", "grid", "inspection", "other", NULL };
  return in_list (source, sources);
}

gboolean
ld_kind_is_valid (const char *kind)
{
  static const char * const kinds[] = { "police", "linkage", "diverted", NULL };
  return in_list (kind, kinds);
}

gboolean
ld_platform_is_valid (const char *platform)
{
  return in_list (platform, ld_platforms);
}

gboolean
ld_feedback_kind_is_valid (const char *kind)
{
  static const char * const kinds[] = { "arrival", "progress", "result", NULL };
  return in_list (kind, kinds);
}

gboolean
ld_text_is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

gboolean
ld_order_return_stands (const LdOrder *order)
{
  return order->returned_at != LD_TIME_NONE && g_strcmp0 (order->return_ruling, "overruled") != 0;
}

gboolean
ld_order_takes (const LdOrder *order, const char *action)
{
  gboolean dispatched = g_strcmp0 (order->state, "dispatched") == 0;
  gboolean signed_ = g_strcmp0 (order->state, "signed") == 0;
  gboolean arrived = g_strcmp0 (order->state, "arrived") == 0;
  gboolean open = dispatched || signed_ || arrived;
  gboolean extension_waits = order->extension_requested_at != LD_TIME_NONE && order->extension_ruling == NULL;

  if (g_str_equal (action, "sign"))
    return dispatched;
  if (g_str_equal (action, "arrive"))
    return signed_;
  /* Feedback follows the signature. */
  if (g_str_equal (action, "feedback"))
    return signed_ || arrived;
  if (g_str_equal (action, "complete"))
    return arrived && order->result_feedback_at != LD_TIME_NONE;
  /* Once the center overruled a return, the unit may not return it again. */
  if (g_str_equal (action, "return"))
    return open && g_strcmp0 (order->return_ruling, "overruled") != 0;
  if (g_str_equal (action, "rule-return"))
    return g_strcmp0 (order->state, "returned") == 0 && order->return_ruling == NULL;
  /* One request waits at a time, and an approved one moves the deadline
   * for good. */
  if (g_str_equal (action, "request-extension"))
    return (signed_ || arrived) &&
           (order->extension_requested_at == LD_TIME_NONE || g_strcmp0 (order->extension_ruling, "refused") == 0);
  if (g_str_equal (action, "rule-extension"))
    return open && extension_waits;
  g_return_val_if_reached (FALSE);
}

gboolean
ld_mode_is_valid (const char *mode)
{
  static const char * const modes[] = { "divert", "immediate", "joint", NULL };
  return in_list (mode, modes);
}

gboolean
ld_role_is_valid (const char *role)
{
  static const char * const roles[] = { "admin", "dispatcher", "inspector", "leader", "unit", NULL };
  return in_list (role, roles);
}

void
ld_user_free (LdUser *u)
{
  if (u == NULL)
    return;
  g_free (u->name);
  g_free (u->display_name);
  g_free (u->role);
  g_free (u->unit_code);
  g_free (u->password_hash);
  g_free (u);
}

void
ld_event_free (LdEvent *e)
{
  if (e == NULL)
    return;
  g_free (e->actor);
  g_free (e->device);
  g_free (e->remote);
  g_free (e->entity);
  g_free (e->entity_id);
  g_free (e->action);
  g_free (e->data);
  g_free (e);
}

void
ld_region_free (LdRegion *r)
{
  if (r == NULL)
    return;
  g_free (r->code);
  g_free (r->name);
  g_free (r->parent_code);
  g_free (r);
}

void
ld_unit_free (LdUnit *u)
{
  if (u == NULL)
    return;
  g_free (u->code);
  g_free (u->name);
  g_free (u->category);
  g_free (u->region_code);
  g_free (u->phone);
  g_free (u);
}

void
ld_category_free (LdCategory *c)
{
  if (c == NULL)
    return;
  g_free (c->code);
  g_free (c->name);
  g_free (c->mode);
  g_free (c->platform);
  g_free (c->unit_categories);
  g_free (c);
}

void
ld_incident_free (LdIncident *i)
{
  if (i == NULL)
    return;
  g_free (i->id);
  g_free (i->source);
  g_free (i->kind);
  g_free (i->diverted_to);
  g_free (i->caller_phone);
  g_free (i->address);
  g_free (i->region_code);
  g_free (i->category);
  g_free (i->summary);
  g_free (i->state);
  g_free (i->repeat_of);
  g_free (i);
}

LdIncident *
ld_incident_copy (const LdIncident *i)
{
  LdIncident *copy = g_new (LdIncident, 1);

  *copy = *i;
  copy->id = g_strdup (i->id);
  copy->source = g_strdup (i->source);
  copy->kind = g_strdup (i->kind);
  copy->diverted_to = g_strdup (i->diverted_to);
  copy->caller_phone = g_strdup (i->caller_phone);
  copy->address = g_strdup (i->address);
  copy->region_code = g_strdup (i->region_code);
  copy->category = g_strdup (i->category);
  copy->summary = g_strdup (i->summary);
  copy->state = g_strdup (i->state);
  copy->repeat_of = g_strdup (i->repeat_of);
  return copy;
}

void
ld_order_free (LdOrder *o)
{
  if (o == NULL)
    return;
  g_free (o->id);
  g_free (o->incident_id);
  g_free (o->unit_code);
  g_free (o->state);
  g_free (o->return_reason);
  g_free (o->duty_unit_code);
  g_free (o->basis);
  g_free (o->return_ruling);
  g_free (o->return_ruled_by);
  g_free (o->return_ruling_reason);
  g_free (o->extension_step);
  g_free (o->extension_reason);
  g_free (o->extension_ruling);
  g_free (o->extension_ruling_reason);
  g_free (o);
}

void
ld_drill_free (LdDrill *d)
{
  if (d == NULL)
    return;
  g_free (d->id);
  g_free (d->region_code);
  g_free (d->location);
  g_free (d->scenario);
  g_free (d);
}

void
ld_drill_unit_clear (LdDrillUnit *du)
{
  g_clear_pointer (&du->drill_id, g_free);
  g_clear_pointer (&du->unit_code, g_free);
  g_clear_pointer (&du->note, g_free);
  g_clear_pointer (&du->correction, g_free);
}

void
ld_drill_unit_free (LdDrillUnit *du)
{
  if (du == NULL)
    return;
  ld_drill_unit_clear (du);
  g_free (du);
}

void
ld_drill_note_free (LdDrillNote *note)
{
  if (note == NULL)
    return;
  g_free (note->id);
  g_free (note->drill_id);
  g_free (note->unit_code);
  g_free (note->author);
  g_free (note->text);
  g_free (note);
}

void
ld_drill_photo_free (LdDrillPhoto *photo)
{
  if (photo == NULL)
    return;
  g_free (photo->id);
  g_free (photo->drill_id);
  g_free (photo->unit_code);
  g_free (photo->author);
  g_free (photo->caption);
  g_free (photo->mime);
  g_clear_pointer (&photo->data, g_bytes_unref);
  g_free (photo);
}

void
ld_feedback_free (LdFeedback *feedback)
{
  if (feedback == NULL)
    return;
  g_free (feedback->id);
  g_free (feedback->order_id);
  g_free (feedback->kind);
  g_free (feedback->text);
  g_free (feedback);
}

void
ld_duty_free (LdDuty *duty)
{
  if (duty == NULL)
    return;
  g_free (duty->id);
  g_free (duty->unit_code);
  g_free (duty->name);
  g_free (duty->phone);
  g_free (duty);
}

void
ld_roll_call_free (LdRollCall *roll_call)
{
  if (roll_call == NULL)
    return;
  g_free (roll_call->id);
  g_free (roll_call->roll_call_id);
  g_free (roll_call->unit_code);
  g_free (roll_call);
}
