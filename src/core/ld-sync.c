/* ld-sync.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "ld-json.h"
#include "ld-record-json.h"
#include "ld-store-private.h"
#include "ld-sync.h"

G_DEFINE_QUARK (ld-sync-error-quark, ld_sync_error)

static JsonObject *
get_object (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gboolean
forbidden (GError **error, const char *message)
{
  g_set_error_literal (error, LD_SYNC_ERROR, LD_SYNC_ERROR_FORBIDDEN, message);
  return FALSE;
}

static gboolean
is_drill_entity (const char *entity)
{
  return g_str_equal (entity, "drill") || g_str_equal (entity, "drill_unit") || g_str_equal (entity, "drill_photo");
}

/* The duty roster is the unit's own: a unit keeps its turns, the
 * administrator anyone's, and the center reads them. A roll call is the
 * center's to start and each unit's to answer, for itself: the unit of an
 * answer is the user's, written into its fields for every reader after. */
static gboolean
allowed_duty (LdStore *store, const LdUser *user, const char *entity, const char *action,
              const char *entity_id, JsonObject *fields, GError **error)
{
  gboolean admin = g_str_equal (user->role, "admin");
  gboolean unit = g_str_equal (user->role, "unit");

  if (g_str_equal (entity, "roll_call") && g_str_equal (action, "answer"))
    {
      const char *given = ld_json_get_string (fields, "unit_code");

      if (!unit)
        return forbidden (error, _("Only a unit answers a roll call, for itself"));
      if (fields == NULL)
        {
          g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, _("The operation needs “%s”"), "fields");
          return FALSE;
        }
      /* Another unit's row is answered as if it did not exist. */
      if (given && g_strcmp0 (given, user->unit_code) != 0)
        {
          g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND, _("Unknown roll call %s"), entity_id);
          return FALSE;
        }
      json_object_set_string_member (fields, "unit_code", user->unit_code);
      return TRUE;
    }
  if (g_str_equal (entity, "roll_call"))
    return admin || g_str_equal (user->role, "dispatcher")
           ? TRUE : forbidden (error, _("Only dispatchers start roll calls"));

  if (admin)
    return TRUE;
  if (!unit)
    return forbidden (error, _("A unit keeps its own duty roster; your role may only read it"));
  if (g_str_equal (action, "set") && g_strcmp0 (ld_json_get_string (fields, "unit_code"), user->unit_code) != 0)
    return forbidden (error, _("A unit keeps only its own duty roster"));
  if (g_str_equal (action, "remove"))
    {
      g_autoptr(LdDuty) turn = ld_store_get_duty (store, entity_id, NULL);

      if (turn == NULL || g_strcmp0 (turn->unit_code, user->unit_code) != 0)
        {
          g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND, _("Unknown duty turn %s"), entity_id);
          return FALSE;
        }
    }
  return TRUE;
}

/* Who may do what (DESIGN.md, Roles): the dispatcher runs incidents and
 * records what units report by phone; a unit acts only on its own orders;
 * the inspection team runs drills, which leaders and dispatchers read. */
static gboolean
allowed (LdStore *store, const LdUser *user, const char *entity, const char *action,
         const char *entity_id, JsonObject *fields, GError **error)
{
  gboolean dispatcher = g_str_equal (user->role, "admin") || g_str_equal (user->role, "dispatcher");

  if (g_str_equal (entity, "duty") || g_str_equal (entity, "roll_call"))
    return allowed_duty (store, user, entity, action, entity_id, fields, error);
  if (is_drill_entity (entity))
    return g_str_equal (user->role, "admin") || g_str_equal (user->role, "inspector")
           ? TRUE : forbidden (error, _("Only inspectors run drills; your role may only read them"));

  if (g_str_equal (entity, "incident"))
    return dispatcher ? TRUE : forbidden (error, _("Only dispatchers create, divert and close incidents"));

  if (g_str_equal (action, "dispatch"))
    return dispatcher ? TRUE : forbidden (error, _("Only dispatchers dispatch orders"));
  if (g_str_equal (action, "rule-return") || g_str_equal (action, "rule-extension"))
    return dispatcher ? TRUE : forbidden (error, _("Only the center rules on returns and extensions"));
  /* Only the unit knows the time it needs; the center rules on it. */
  if (g_str_equal (action, "request-extension") && !g_str_equal (user->role, "unit"))
    return forbidden (error, _("Only a unit asks for more time on its order"));
  if (dispatcher)
    return TRUE;
  if (g_str_equal (user->role, "unit"))
    {
      g_autoptr(LdOrder) order = ld_store_get_order (store, entity_id, NULL);
      /* An order of another unit is answered as if it did not exist. */
      if (order == NULL || g_strcmp0 (order->unit_code, user->unit_code) != 0)
        {
          g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND, _("Unknown order %s"), entity_id);
          return FALSE;
        }
      return TRUE;
    }
  return forbidden (error, _("Your role may not change orders"));
}

/* A place is optional, but a string "30.7" is refused, not taken for no
 * place; the store keeps a given place on the earth. */
static gboolean
read_place (JsonObject *object, double *lat, double *lon, GError **error)
{
  return ld_json_get_optional_number (object, "lat", lat, error) &&
         ld_json_get_optional_number (object, "lon", lon, error);
}

/* A true or false member: 1 or 0, -1 when absent or not a boolean. */
static int
get_flag (JsonObject *object, const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return -1;
  return json_node_get_boolean (node);
}

/* A copy of a string member, for a record that owns its strings. */
static char *
dup_string (JsonObject *object, const char *name)
{
  return g_strdup (ld_json_get_string (object, name));
}

/* The facts of an incident that a create operation and a pulled record
 * carry alike. */
static gboolean
read_incident_facts (JsonObject *object, LdIncident *inc, GError **error)
{
  inc->diverted_to = dup_string (object, "diverted_to");
  inc->caller_phone = dup_string (object, "caller_phone");
  inc->address = dup_string (object, "address");
  inc->region_code = dup_string (object, "region_code");
  inc->category = dup_string (object, "category");
  inc->summary = dup_string (object, "summary");
  return read_place (object, &inc->lat, &inc->lon, error);
}

/* A record stored with a time no desk can read would stop every desk's
 * pull, so each time an operation carries is checked here, where the server
 * and the replica both pass: at most @max_ahead past the server's clock. */
static gboolean
check_time (LdStore *store, gint64 at, gint64 max_ahead, GError **error)
{
  return ld_time_check_plausible (at, ld_time_now (), max_ahead, ld_store_get_time_zone (store), error);
}

/* A time among an operation's fields: ISO 8601 text read in the store's
 * zone, as the operation's own "at", or a number of microseconds UTC. */
static gboolean
field_time (LdStore *store, JsonObject *fields, const char *name, gint64 max_ahead, gint64 *out,
            GError **error)
{
  const char *text = ld_json_get_string (fields, name);
  double usec = ld_json_get_number (fields, name);
  /* Casting a double beyond gint64 is undefined; anything near these ends
   * is refused by check_time() anyway. */
  const double end = 0x1p62;

  if (text)
    {
      if (!ld_time_parse (text, ld_store_get_time_zone (store), out, error))
        return FALSE;
    }
  else if (isnan (usec))
    {
      g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, _("The operation needs “%s”"), name);
      return FALSE;
    }
  else if (!isfinite (usec) || usec != floor (usec))
    {
      g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED,
                   _("“%s” must be a time or a whole number of microseconds"), name);
      return FALSE;
    }
  else
    *out = (gint64) CLAMP (usec, -end, end);
  return check_time (store, *out, max_ahead, error);
}

static JsonArray *
get_array (JsonObject *object, const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;
  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonObject *
element_object (JsonArray *array, guint i)
{
  JsonNode *node = json_array_get_element (array, i);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* "units": [{"unit_code", "limit_s"}]; a unit without a limit gets the
 * store's (ld_store_get_drill_limit()). */
static gboolean
plan_drill (LdStore *store, const char *drill_id, JsonObject *fields, const LdActor *actor, GError **error)
{
  JsonArray *list = get_array (fields, "units");
  g_autoptr(GArray) units = g_array_new (FALSE, TRUE, sizeof (LdDrillUnit));
  g_autofree char *id = NULL;
  g_autoptr(LdDrill) drill = g_new0 (LdDrill, 1);

  if (list == NULL)
    {
      g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, _("A drill plan needs a “units” list"));
      return FALSE;
    }
  g_array_set_clear_func (units, (GDestroyNotify) ld_drill_unit_clear);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *element = element_object (list, i);
      LdDrillUnit du = { 0, };
      double limit;

      if (element == NULL)
        {
          g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED,
                       _("Each unit of a drill plan is an object with “unit_code”"));
          return FALSE;
        }
      if (!ld_json_get_optional_number (element, "limit_s", &limit, error))
        return FALSE;
      du.unit_code = dup_string (element, "unit_code");
      du.limit_s = isnan (limit) ? 0 : (int) CLAMP (limit, -1, G_MAXINT);
      g_array_append_val (units, du);
    }
  drill->id = g_strdup (drill_id);
  drill->region_code = dup_string (fields, "region_code");
  drill->location = dup_string (fields, "location");
  drill->scenario = dup_string (fields, "scenario");
  if (!read_place (fields, &drill->lat, &drill->lon, error) ||
      !field_time (store, fields, "held_at", LD_TIME_AHEAD_PLAN, &drill->held_at, error))
    return FALSE;
  id = ld_store_plan_drill (store, drill, (const LdDrillUnit *) units->data, units->len, actor, error);
  return id != NULL;
}

/* A drill_unit operation's entity_id is the drill's id, and its
 * fields name the unit. */
static gboolean
apply_drill (LdStore *store, const char *entity, const char *action, const char *drill_id, gint64 at,
             JsonObject *fields, const LdActor *actor, GError **error)
{
  gboolean on_unit = g_str_equal (entity, "drill_unit");
  const char *unit_code = ld_json_get_string (fields, "unit_code");
  const char *reason = ld_json_get_string (fields, "reason");

  if (!on_unit && g_str_equal (action, "plan"))
    return plan_drill (store, drill_id, fields, actor, error);
  if (!on_unit && g_str_equal (action, "alarm"))
    return ld_store_raise_drill_alarm (store, drill_id, at, actor, error);
  if (!on_unit && g_str_equal (action, "correct-alarm"))
    return ld_store_correct_drill_alarm (store, drill_id, at, reason, actor, error);
  if (on_unit && g_str_equal (action, "arrive"))
    return ld_store_log_drill_arrival (store, drill_id, unit_code, at, actor, error);
  if (on_unit && g_str_equal (action, "correct"))
    return ld_store_correct_drill_arrival (store, drill_id, unit_code, at, reason, actor, error);
  if (g_str_equal (action, "note"))
    {
      g_autoptr(LdDrillNote) note = g_new0 (LdDrillNote, 1);
      g_autofree char *id = NULL;

      if (on_unit && unit_code == NULL)
        {
          g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("Say which unit of the drill"));
          return FALSE;
        }
      note->id = dup_string (fields, "note_id");
      note->drill_id = g_strdup (drill_id);
      note->unit_code = on_unit ? g_strdup (unit_code) : NULL;
      note->at = at;
      note->text = dup_string (fields, "text");
      id = ld_store_add_drill_note (store, note, actor, error);
      return id != NULL;
    }

  g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED,
               _("Unknown operation “%s” on “%s”"), action, entity);
  return FALSE;
}

/* The image travels as base64 in the operation's fields, once: the
 * photo's own record, never the drill's, carries it on. */
static gboolean
apply_drill_photo (LdStore *store, const char *action, const char *photo_id, gint64 at, JsonObject *fields,
                   const LdActor *actor, GError **error)
{
  const char *base64 = ld_json_get_string (fields, "data");
  g_autofree guchar *bytes = NULL;
  gsize size = 0;
  g_autofree char *id = NULL;
  g_autoptr(LdDrillPhoto) photo = g_new0 (LdDrillPhoto, 1);

  if (!g_str_equal (action, "add"))
    {
      g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, _("Unknown operation “%s” on “%s”"), action,
                   "drill_photo");
      return FALSE;
    }
  photo->id = g_strdup (photo_id);
  photo->drill_id = dup_string (fields, "drill_id");
  photo->unit_code = dup_string (fields, "unit_code");
  photo->at = at;
  photo->caption = dup_string (fields, "caption");
  photo->mime = dup_string (fields, "mime");
  /* The id is the client's: without one the two sides would each make
   * their own, and the photo would be there twice. */
  if (photo_id == NULL || *photo_id == '\0' || photo->drill_id == NULL || base64 == NULL)
    {
      g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, _("A photo needs its id, its drill and its image"));
      return FALSE;
    }
  /* Its size was checked with the operation's other strings. */
  bytes = g_base64_decode (base64, &size);
  photo->data = g_bytes_new_take (g_steal_pointer (&bytes), size);
  id = ld_store_add_drill_photo (store, photo, actor, error);
  return id != NULL;
}

/* A turn's times are planned ahead, as far as a drill. */
static gboolean
apply_duty (LdStore *store, const char *action, const char *duty_id, JsonObject *fields, const LdActor *actor,
            GError **error)
{
  g_autoptr(LdDuty) turn = g_new0 (LdDuty, 1);

  if (g_str_equal (action, "remove"))
    return ld_store_remove_duty (store, duty_id, actor, error);
  if (!g_str_equal (action, "set"))
    {
      g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, _("Unknown operation “%s” on “%s”"), action,
                   "duty");
      return FALSE;
    }
  turn->id = g_strdup (duty_id);
  turn->unit_code = dup_string (fields, "unit_code");
  turn->name = dup_string (fields, "name");
  turn->phone = dup_string (fields, "phone");
  return field_time (store, fields, "from", LD_TIME_AHEAD_PLAN, &turn->from, error) &&
         field_time (store, fields, "to", LD_TIME_AHEAD_PLAN, &turn->to, error) &&
         ld_store_set_duty (store, turn, actor, error);
}

/* A roll call starts, and is answered, at the time it reaches the store
 * (DESIGN.md, Whose clock): the limit runs on one clock for every unit. */
static gboolean
apply_roll_call (LdStore *store, const char *action, const char *roll_call_id, JsonObject *fields,
                 const LdActor *actor, GError **error)
{
  gint64 at = actor->logged_at ? actor->logged_at : ld_time_now ();

  if (g_str_equal (action, "start"))
    {
      JsonNode *given = fields ? json_object_get_member (fields, "unit_codes") : NULL;
      JsonArray *list = get_array (fields, "unit_codes");
      g_autoptr(GPtrArray) codes = g_ptr_array_new ();
      double limit;

      /* Anything but a list would call every unit. */
      if (given && !JSON_NODE_HOLDS_NULL (given) && list == NULL)
        {
          g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, _("“%s” must be a list of unit codes"),
                       "unit_codes");
          return FALSE;
        }
      if (!ld_json_get_optional_number (fields, "limit_s", &limit, error))
        return FALSE;
      if (!isnan (limit) && limit != floor (limit))
        {
          g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("“%s” must be a whole number of seconds"),
                       "limit_s");
          return FALSE;
        }
      for (guint i = 0; list && i < json_array_get_length (list); i++)
        {
          JsonNode *node = json_array_get_element (list, i);

          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
            {
              g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, _("“%s” must be a list of unit codes"),
                           "unit_codes");
              return FALSE;
            }
          g_ptr_array_add (codes, (gpointer) json_node_get_string (node));
        }
      g_ptr_array_add (codes, NULL);
      return ld_store_start_roll_call (store, roll_call_id, (const char * const *) codes->pdata,
                                       /* 0 asks for the default: a 0 given is out of range. */
                                       isnan (limit) ? 0 : limit < 1 ? -1 : (int) MIN (limit, G_MAXINT),
                                       at, actor, error);
    }
  if (g_str_equal (action, "answer"))
    return ld_store_answer_roll_call (store, roll_call_id, ld_json_get_string (fields, "unit_code"), at, actor,
                                      error);
  g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, _("Unknown operation “%s” on “%s”"), action,
               "roll_call");
  return FALSE;
}

/* How far ahead a deadline asked for may lie: the store bounds it again
 * against the deadline it moves. */
#define EXTENSION_AHEAD_US (G_GINT64_CONSTANT (400) * 24 * 3600 * LD_USEC_PER_S)

/* A return names whose duty the matter is: "duty_unit_code", or
 * "not_ours": true with the "basis"; the store checks each. */
static gboolean
apply_return (LdStore *store, const char *order_id, gint64 at, JsonObject *fields, const LdActor *actor,
              GError **error)
{
  const char *duty_unit_code = ld_json_get_string (fields, "duty_unit_code");
  const char *basis = ld_json_get_string (fields, "basis");
  JsonNode *not_ours = fields ? json_object_get_member (fields, "not_ours") : NULL;
  int flag = get_flag (fields, "not_ours");

  if (not_ours && !JSON_NODE_HOLDS_NULL (not_ours) && flag < 0)
    {
      g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, _("“%s” must be true or false"), "not_ours");
      return FALSE;
    }
  if (flag == 1 && duty_unit_code)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("A return names another unit or says the matter is not this unit's duty, not both"));
      return FALSE;
    }
  /* The basis counts only with not_ours, and then is required. */
  if (flag == 1)
    basis = basis ? basis : "";
  else
    basis = NULL;
  return ld_store_return_order (store, order_id, at, ld_json_get_string (fields, "reason"), duty_unit_code,
                                basis, actor, error);
}

static gboolean
apply (LdStore *store, const char *entity, const char *action, const char *entity_id, gint64 at,
       JsonObject *fields, const LdActor *actor, GError **error)
{
  if (g_str_equal (entity, "drill_photo"))
    return apply_drill_photo (store, action, entity_id, at, fields, actor, error);
  if (is_drill_entity (entity))
    return apply_drill (store, entity, action, entity_id, at, fields, actor, error);
  if (g_str_equal (entity, "duty"))
    return apply_duty (store, action, entity_id, fields, actor, error);
  if (g_str_equal (entity, "roll_call"))
    return apply_roll_call (store, action, entity_id, fields, actor, error);

  if (g_str_equal (entity, "incident") && g_str_equal (action, "create"))
    {
      g_autoptr(LdIncident) inc = g_new0 (LdIncident, 1);
      g_autofree char *id = NULL;

      inc->id = g_strdup (entity_id);
      inc->received_at = at;
      inc->source = dup_string (fields, "source");
      inc->kind = dup_string (fields, "kind");
      if (!read_incident_facts (fields, inc, error))
        return FALSE;
      id = ld_store_add_incident (store, inc, actor, error);
      return id != NULL;
    }
  if (g_str_equal (entity, "incident") && g_str_equal (action, "divert"))
    return ld_store_divert_incident (store, entity_id, ld_json_get_string (fields, "platform"), at, actor, error);
  if (g_str_equal (entity, "incident") && g_str_equal (action, "close"))
    return ld_store_close_incident (store, entity_id, at, actor, error);

  if (g_str_equal (entity, "order") && g_str_equal (action, "dispatch"))
    {
      g_autofree char *id = ld_store_dispatch (store, entity_id, ld_json_get_string (fields, "incident_id"),
                                               ld_json_get_string (fields, "unit_code"), at, actor, error);
      return id != NULL;
    }
  if (g_str_equal (entity, "order") && g_str_equal (action, "sign"))
    return ld_store_sign_order (store, entity_id, at, actor, error);
  if (g_str_equal (entity, "order") && g_str_equal (action, "arrive"))
    return ld_store_arrive_order (store, entity_id, at, actor, error);
  if (g_str_equal (entity, "order") && g_str_equal (action, "complete"))
    return ld_store_complete_order (store, entity_id, at, actor, error);
  if (g_str_equal (entity, "order") && g_str_equal (action, "return"))
    return apply_return (store, entity_id, at, fields, actor, error);
  if (g_str_equal (entity, "order") && g_str_equal (action, "rule-return"))
    {
      const char *ruling = ld_json_get_string (fields, "ruling");

      if (g_strcmp0 (ruling, "accept") != 0 && g_strcmp0 (ruling, "overrule") != 0)
        {
          g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                       _("A ruling on a return is “accept” or “overrule”"));
          return FALSE;
        }
      return ld_store_rule_return (store, entity_id, at, g_str_equal (ruling, "overrule"),
                                   ld_json_get_string (fields, "reason"), actor, error);
    }
  if (g_str_equal (entity, "order") && g_str_equal (action, "request-extension"))
    {
      gint64 until;

      if (!field_time (store, fields, "until", EXTENSION_AHEAD_US, &until, error))
        return FALSE;
      return ld_store_request_extension (store, entity_id, at, ld_json_get_string (fields, "step"), until,
                                         ld_json_get_string (fields, "reason"), actor, error);
    }
  if (g_str_equal (entity, "order") && g_str_equal (action, "rule-extension"))
    {
      const char *ruling = ld_json_get_string (fields, "ruling");

      if (g_strcmp0 (ruling, "approve") != 0 && g_strcmp0 (ruling, "refuse") != 0)
        {
          g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                       _("A ruling on an extension is “approve” or “refuse”"));
          return FALSE;
        }
      return ld_store_rule_extension (store, entity_id, at, g_str_equal (ruling, "approve"),
                                      ld_json_get_string (fields, "reason"), actor, error);
    }
  if (g_str_equal (entity, "order") && g_str_equal (action, "feedback"))
    {
      g_autofree char *id = ld_store_add_feedback (store, ld_json_get_string (fields, "feedback_id"), entity_id, at,
                                                   ld_json_get_string (fields, "kind"), ld_json_get_string (fields, "text"),
                                                   actor, error);
      return id != NULL;
    }

  g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED,
               _("Unknown operation “%s” on “%s”"), action, entity);
  return FALSE;
}

/* Every string an operation carries is bounded, so that no field can
 * fill the store or every desk's copy of it: codes and ids are short, a
 * phone number shorter, and free text holds a long account in Chinese
 * (5,000 characters are 15,000 bytes in UTF-8). */
#define MAX_ID_BYTES    64
#define MAX_PHONE_BYTES 32
#define MAX_TEXT_BYTES  20000
/* A photo is base64, a third larger than its bytes. */
#define MAX_PHOTO_BASE64_BYTES ((LD_DRILL_PHOTO_MAX_BYTES + 2) / 3 * 4)

static const char * const free_text_names[] = {
  "summary", "address", "text", "reason", "caption", "location", "scenario", "note", "basis",
};

/* The names that hold codes and ids: a value of another type would be
 * read as absent, so it is refused instead. */
static gboolean
is_id_name (const char *name)
{
  static const char * const names[] = {
    "id", "entity_id", "unit_code", "region_code", "category", "platform", "kind", "source", "mime", "action",
    "entity",
  };

  if (g_str_has_suffix (name, "_id"))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (name, names[i]))
      return TRUE;
  return FALSE;
}

static gsize
max_string_bytes (const char *name, gboolean *string_only)
{
  *string_only = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (free_text_names); i++)
    if (g_str_equal (name, free_text_names[i]))
      return MAX_TEXT_BYTES;
  if (g_str_equal (name, "caller_phone"))
    return MAX_PHONE_BYTES;
  if (g_str_equal (name, "data"))
    return MAX_PHOTO_BASE64_BYTES;
  *string_only = is_id_name (name);
  /* Anything else written as a string (a time, a platform's number) is short. */
  return MAX_ID_BYTES;
}

/* Checks the strings of @node, the member @name, and of every object and
 * list in it, such as a drill plan's units. */
static gboolean
check_strings (JsonNode *node, const char *name, GError **error)
{
  gboolean string_only;
  gsize max = max_string_bytes (name, &string_only);

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *member;
        JsonNode *value;

        if (string_only)
          break;
        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &member, &value))
          if (!check_strings (value, member, error))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_ARRAY:
      if (string_only)
        break;
      for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
        if (!check_strings (json_array_get_element (json_node_get_array (node), i), name, error))
          return FALSE;
      return TRUE;
    case JSON_NODE_NULL:
      return TRUE;
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) != G_TYPE_STRING)
        {
          if (string_only)
            break;
          return TRUE;
        }
      if (strlen (json_node_get_string (node)) <= max)
        return TRUE;
      if (g_str_equal (name, "data"))
        g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("The photo is larger than %.0f MB"),
                     LD_DRILL_PHOTO_MAX_BYTES / 1048576.0);
      else
        g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("“%s” may be at most %u bytes long"), name,
                     (guint) max);
      return FALSE;
    default:
      /* json-glib has no other kind of node. */
      g_assert_not_reached ();
    }
  g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, _("“%s” must be a string"), name);
  return FALSE;
}

/* The members every operation has; @at is parsed in the store's zone. */
static gboolean
parse_operation (LdStore *store, JsonObject *operation, const char **id, const char **entity,
                 const char **entity_id, const char **action, gint64 *at, JsonObject **fields,
                 GError **error)
{
  const char *at_text = ld_json_get_string (operation, "at");
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;

  *id = ld_json_get_string (operation, "id");
  *entity = ld_json_get_string (operation, "entity");
  *entity_id = ld_json_get_string (operation, "entity_id");
  *action = ld_json_get_string (operation, "action");
  *fields = get_object (operation, "fields");
  if (*id == NULL || *entity == NULL || *entity_id == NULL || *action == NULL || at_text == NULL)
    {
      g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED,
                   _("An operation needs the strings id, entity, entity_id, action and at"));
      return FALSE;
    }
  if (**id == '\0' || **entity_id == '\0')
    {
      g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED,
                   _("An operation's id and entity_id cannot be empty"));
      return FALSE;
    }
  json_object_iter_init (&iter, operation);
  while (json_object_iter_next (&iter, &member, &value))
    if (!check_strings (value, member, error))
      return FALSE;
  return ld_time_parse (at_text, ld_store_get_time_zone (store), at, error);
}

/* How far back the center may log a step a unit reported by phone: what
 * a shift remembers, not a month rewritten. */
#define LOGGED_BACK_US (G_GINT64_CONSTANT (24) * 3600 * LD_USEC_PER_S)

/* The steps a unit is graded on. */
static gboolean
is_graded_step (const char *entity, const char *action)
{
  static const char * const steps[] = { "sign", "arrive", "feedback", "complete", "return", "request-extension" };

  if (!g_str_equal (entity, "order"))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (g_str_equal (action, steps[i]))
      return TRUE;
  return FALSE;
}

/* A drill is logged as it happens, give or take a device's clock: a time
 * still to come is refused in words that say which time it is. */
static gboolean
check_drill_time (LdStore *store, const char *entity, const char *action, gint64 at, gint64 now, GError **error)
{
  gboolean on_unit = g_str_equal (entity, "drill_unit");
  g_autofree char *when = NULL;

  if (at - LD_TIME_AHEAD_STEP <= now)
    return TRUE;
  /* Each message is a literal, so that the compiler checks its format. */
  when = ld_time_format (at, ld_store_get_time_zone (store));
  if (on_unit && g_str_equal (action, "arrive"))
    g_set_error (error, LD_TIME_ERROR, LD_TIME_ERROR_INVALID,
                 _("The arrival at %s is still to come: a unit is logged when it arrives"), when);
  else if (on_unit && g_str_equal (action, "correct"))
    g_set_error (error, LD_TIME_ERROR, LD_TIME_ERROR_INVALID,
                 _("The corrected arrival, %s, is still to come: a correction says when the unit arrived"), when);
  else if (!on_unit && g_str_equal (action, "alarm"))
    g_set_error (error, LD_TIME_ERROR, LD_TIME_ERROR_INVALID,
                 _("The alarm at %s is still to come: the alarm is logged when it is raised"), when);
  else if (!on_unit && g_str_equal (action, "correct-alarm"))
    g_set_error (error, LD_TIME_ERROR, LD_TIME_ERROR_INVALID,
                 _("The corrected alarm, %s, is still to come: a correction says when the alarm was raised"), when);
  else
    return check_time (store, at, LD_TIME_AHEAD_STEP, error);
  return FALSE;
}

/* Whose clock a step's time is (DESIGN.md): a unit is graded on its own
 * steps, so they take the time they reach this store, the server's (a
 * desk applies its own until the pull brings the server's). A dispatcher
 * logging what a unit reported by phone is the center and gives the
 * step's time, at most a day back; the state machine keeps it after the
 * step before. An inspector's drill logs keep theirs, as drills are logged
 * offline. @actor gets the time claimed and the time logged, for the
 * audit trail. */
static gboolean
judge_time (LdStore *store, const LdUser *user, const char *entity, const char *action, gint64 *at,
            LdActor *actor, GError **error)
{
  gint64 now = ld_time_now ();

  actor->claimed_at = *at;
  actor->logged_at = now;
  if (is_graded_step (entity, action) && g_str_equal (user->role, "unit"))
    {
      /* The claimed time is only kept, whatever a device's clock says. */
      *at = now;
      return TRUE;
    }
  if (is_drill_entity (entity))
    return check_drill_time (store, entity, action, *at, now, error);
  if (!check_time (store, *at, LD_TIME_AHEAD_STEP, error))
    return FALSE;
  if (is_graded_step (entity, action) && *at < now - LOGGED_BACK_US)
    {
      g_autofree char *when = ld_time_format (*at, ld_store_get_time_zone (store));
      g_set_error (error, LD_TIME_ERROR, LD_TIME_ERROR_INVALID,
                   _("A step a unit reported is logged within a day: %s is more than 24 hours ago"), when);
      return FALSE;
    }
  return TRUE;
}

/* What the server and a desk check alike before applying an operation:
 * the user's role and unit, and the time the step takes. */
static gboolean
check_operation (LdStore *store, const LdUser *user, const char *entity, const char *action,
                 const char *entity_id, JsonObject *fields, gint64 *at, LdActor *actor, GError **error)
{
  return allowed (store, user, entity, action, entity_id, fields, error) &&
         judge_time (store, user, entity, action, at, actor, error);
}

LdSyncStatus
ld_sync_apply (LdStore *store, JsonObject *operation, const LdUser *user, const LdActor *actor,
               gint64 *seq, GError **error)
{
  const char *id, *entity, *entity_id, *action;
  JsonObject *fields;
  sqlite3_stmt *stmt;
  LdActor stamped = *actor;
  gint64 at;

  if (!parse_operation (store, operation, &id, &entity, &entity_id, &action, &at, &fields, error))
    return LD_SYNC_REFUSED;

  stmt = ld_store_prepare (store, "SELECT seq, user_name FROM operation WHERE id = ?", error);
  if (stmt == NULL)
    return LD_SYNC_REFUSED;
  ld_bind_text (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 taken_seq = sqlite3_column_int64 (stmt, 0);
      gboolean same_user = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), user->name) == 0;

      sqlite3_reset (stmt);
      /* Clients make the ids: another user's answered as a duplicate would
       * drop this operation without a word. */
      if (!same_user)
        {
          g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_DUPLICATE,
                       _("This operation id was already used by another user"));
          return LD_SYNC_REFUSED;
        }
      *seq = taken_seq;
      return LD_SYNC_DUPLICATE;
    }
  sqlite3_reset (stmt);

  /* A duplicate is answered as one above, however old: its time was
   * judged when it was taken. */
  if (!check_operation (store, user, entity, action, entity_id, fields, &at, &stamped, error))
    return LD_SYNC_REFUSED;

  /* The change and the record that it was taken commit together, so a
   * client that retries after a lost answer finds it taken. Inside a
   * caller's transaction this is a savepoint. */
  if (!ld_store_begin (store, error))
    return LD_SYNC_REFUSED;
  if (!apply (store, entity, action, entity_id, at, fields, &stamped, error))
    goto fail;
  *seq = ld_store_get_sequence (store);
  stmt = ld_store_prepare (store,
    "INSERT INTO operation (id, seq, user_name, received_at) VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  ld_bind_text (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, *seq);
  ld_bind_text (stmt, 3, user->name);
  sqlite3_bind_int64 (stmt, 4, stamped.logged_at);
  if (!ld_store_step_done (store, stmt, error) || !ld_store_commit (store, error))
    goto fail;
  return LD_SYNC_ACCEPTED;

fail:
  ld_store_rollback (store);
  return LD_SYNC_REFUSED;
}

gboolean
ld_sync_apply_local (LdStore *store, JsonObject *operation, const LdUser *user, const LdActor *actor,
                     GError **error)
{
  const char *id, *entity, *entity_id, *action;
  JsonObject *fields;
  LdActor stamped = *actor;
  gint64 at;

  if (!parse_operation (store, operation, &id, &entity, &entity_id, &action, &at, &fields, error) ||
      !check_operation (store, user, entity, action, entity_id, fields, &at, &stamped, error))
    return FALSE;
  if (!ld_store_begin (store, error))
    return FALSE;
  if (!apply (store, entity, action, entity_id, at, fields, &stamped, error))
    {
      ld_store_rollback (store);
      return FALSE;
    }
  return ld_store_commit (store, error);
}

/* A drill travels whole: its row, its units and its notes. */
static gboolean
add_drill (JsonBuilder *b, LdStore *store, const char *id)
{
  g_autoptr(LdDrill) d = ld_store_get_drill (store, id, NULL);
  g_autoptr(GPtrArray) units = d ? ld_store_list_drill_units (store, id, NULL) : NULL;
  g_autoptr(GPtrArray) notes = units ? ld_store_list_drill_notes (store, id, NULL) : NULL;

  if (notes == NULL)
    return FALSE;
  ld_record_json_add_drill (b, ld_store_get_time_zone (store), d, units, notes);
  return TRUE;
}

JsonNode *
ld_sync_get_record (LdStore *store, const char *entity, const char *id)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  GTimeZone *tz = ld_store_get_time_zone (store);

  if (g_str_equal (entity, "incident"))
    {
      g_autoptr(LdIncident) inc = ld_store_get_incident (store, id, NULL);
      if (inc == NULL)
        return NULL;
      ld_record_json_add_incident (b, tz, inc);
    }
  else if (g_str_equal (entity, "order"))
    {
      g_autoptr(LdOrder) order = ld_store_get_order (store, id, NULL);
      g_autoptr(GPtrArray) feedback = NULL;
      if (order == NULL || (feedback = ld_store_list_feedback (store, id, NULL)) == NULL)
        return NULL;
      ld_record_json_add_order (b, tz, order, feedback);
    }
  else if (g_str_equal (entity, "drill_photo"))
    {
      g_autoptr(LdDrillPhoto) photo = ld_store_get_drill_photo (store, id, NULL);

      if (photo == NULL)
        return NULL;
      ld_record_json_add_drill_photo (b, tz, photo);
    }
  else if (g_str_equal (entity, "duty"))
    {
      g_autoptr(LdDuty) turn = ld_store_get_duty (store, id, NULL);

      if (turn == NULL)
        return NULL;
      ld_record_json_add_duty (b, tz, turn);
    }
  else if (g_str_equal (entity, "roll_call"))
    {
      g_autoptr(GPtrArray) rows = ld_store_list_roll_call_rows (store, id, NULL, NULL);

      if (rows == NULL || rows->len == 0)
        return NULL;
      ld_record_json_add_roll_call (b, tz, id, rows);
    }
  else if (!g_str_equal (entity, "drill") || !add_drill (b, store, id))
    return NULL;
  return json_builder_get_root (b);
}

static gboolean
get_time (JsonObject *record, GTimeZone *tz, const char *name, gint64 *out, GError **error)
{
  const char *text = ld_json_get_string (record, name);

  *out = LD_TIME_NONE;
  if (text == NULL)
    return TRUE;
  if (!ld_time_parse (text, tz, out, error))
    {
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
  return TRUE;
}

/* A copy of a member the record cannot be without. */
static gboolean
record_string (JsonObject *record, const char *name, char **out, GError **error)
{
  *out = dup_string (record, name);
  if (*out != NULL)
    return TRUE;
  g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, _("The record has no “%s”"), name);
  return FALSE;
}

static gboolean
put_drill (LdStore *store, JsonObject *record, GError **error)
{
  GTimeZone *tz = ld_store_get_time_zone (store);
  JsonArray *unit_list = get_array (record, "units");
  JsonArray *note_list = get_array (record, "notes");
  g_autoptr(GPtrArray) units = g_ptr_array_new_with_free_func ((GDestroyNotify) ld_drill_unit_free);
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func ((GDestroyNotify) ld_drill_note_free);
  g_autoptr(LdDrill) d = g_new0 (LdDrill, 1);

  if (!record_string (record, "id", &d->id, error) || !get_time (record, tz, "held_at", &d->held_at, error))
    return FALSE;
  if (unit_list == NULL || note_list == NULL)
    {
      g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, _("The record has no “%s”"),
                   unit_list ? "notes" : "units");
      return FALSE;
    }
  d->region_code = dup_string (record, "region_code");
  d->location = dup_string (record, "location");
  d->scenario = dup_string (record, "scenario");
  d->lat = ld_json_get_number (record, "lat");
  d->lon = ld_json_get_number (record, "lon");
  for (guint i = 0; i < json_array_get_length (unit_list); i++)
    {
      JsonObject *element = element_object (unit_list, i);
      LdDrillUnit *du = g_new0 (LdDrillUnit, 1);
      double limit;

      g_ptr_array_add (units, du);
      if (element == NULL)
        {
          g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, _("Unit %u of the drill is malformed"), i + 1);
          return FALSE;
        }
      limit = ld_json_get_number (element, "limit_s");
      du->drill_id = g_strdup (d->id);
      du->limit_s = isnan (limit) ? 0 : (int) limit;
      du->note = dup_string (element, "note");
      du->corrected = json_object_get_boolean_member_with_default (element, "corrected", FALSE);
      du->correction = dup_string (element, "correction");
      if (!record_string (element, "unit_code", &du->unit_code, error) ||
          !get_time (element, tz, "alarm_at", &du->alarm_at, error) ||
          !get_time (element, tz, "arrived_at", &du->arrived_at, error))
        return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (note_list); i++)
    {
      JsonObject *element = element_object (note_list, i);
      LdDrillNote *n = g_new0 (LdDrillNote, 1);

      g_ptr_array_add (notes, n);
      if (element == NULL)
        {
          g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, _("Note %u of the drill is malformed"), i + 1);
          return FALSE;
        }
      n->drill_id = g_strdup (d->id);
      n->unit_code = dup_string (element, "unit_code");
      n->author = dup_string (element, "author");
      if (!record_string (element, "id", &n->id, error) ||
          !record_string (element, "text", &n->text, error) ||
          !get_time (element, tz, "at", &n->at, error))
        return FALSE;
    }
  return ld_store_replace_drill (store, d, units, notes, error);
}

static gboolean
put_duty (LdStore *store, JsonObject *record, GError **error)
{
  GTimeZone *tz = ld_store_get_time_zone (store);
  g_autoptr(LdDuty) turn = g_new0 (LdDuty, 1);

  if (!record_string (record, "id", &turn->id, error) ||
      !record_string (record, "unit_code", &turn->unit_code, error) ||
      !record_string (record, "name", &turn->name, error) ||
      !record_string (record, "phone", &turn->phone, error) ||
      !get_time (record, tz, "from", &turn->from, error) ||
      !get_time (record, tz, "to", &turn->to, error))
    return FALSE;
  turn->removed = json_object_get_boolean_member_with_default (record, "removed", FALSE);
  return ld_store_put_duty (store, turn, error);
}


/* The reports an order's record carries (from a server of this version):
 * kept beside the order, so that the desk shows their words. */
static gboolean
put_order_feedback (LdStore *store, const char *order_id, JsonObject *record, GTimeZone *tz, GError **error)
{
  JsonArray *list = get_array (record, "feedback");

  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      g_autoptr(LdFeedback) f = g_new0 (LdFeedback, 1);
      JsonObject *item;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, _("“%s” must be a list of objects"), "feedback");
          return FALSE;
        }
      item = json_node_get_object (node);
      f->id = dup_string (item, "id");
      f->order_id = g_strdup (order_id);
      f->kind = dup_string (item, "kind");
      f->text = dup_string (item, "text");
      if (f->id == NULL || !get_time (item, tz, "at", &f->at, error) || !ld_store_put_feedback (store, f, error))
        {
          if (error && *error == NULL)
            g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, _("A report has no id"));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
put_roll_call (LdStore *store, JsonObject *record, GError **error)
{
  GTimeZone *tz = ld_store_get_time_zone (store);
  JsonArray *list = get_array (record, "units");
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) ld_roll_call_free);
  g_autofree char *id = NULL;
  double limit = ld_json_get_number (record, "limit_s");
  gint64 started_at;

  if (!record_string (record, "id", &id, error) || !get_time (record, tz, "started_at", &started_at, error))
    return FALSE;
  if (list == NULL)
    {
      g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, _("The record has no “%s”"), "units");
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *element = element_object (list, i);
      LdRollCall *r = g_new0 (LdRollCall, 1);
      double answer_s;

      g_ptr_array_add (rows, r);
      if (element == NULL)
        {
          g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, _("Unit %u of the roll call is malformed"),
                       i + 1);
          return FALSE;
        }
      if (!record_string (element, "unit_code", &r->unit_code, error) ||
          !get_time (element, tz, "answered_at", &r->answered_at, error))
        return FALSE;
      answer_s = ld_json_get_number (element, "answer_s");
      r->id = g_strconcat (id, "/", r->unit_code, NULL);
      r->roll_call_id = g_strdup (id);
      r->started_at = started_at;
      r->limit_s = isnan (limit) ? 0 : (int) CLAMP (limit, 0, G_MAXINT);
      r->answer_s = isnan (answer_s) ? -1 : (int) CLAMP (answer_s, 0, G_MAXINT);
      r->answered = json_object_get_boolean_member_with_default (element, "answered", FALSE);
    }
  return ld_store_put_roll_call (store, id, rows, error);
}

gboolean
ld_sync_put_record (LdStore *store, const char *entity, JsonObject *record, GError **error)
{
  GTimeZone *tz = ld_store_get_time_zone (store);

  if (g_str_equal (entity, "incident"))
    {
      g_autoptr(LdIncident) inc = g_new0 (LdIncident, 1);

      if (!record_string (record, "id", &inc->id, error) ||
          !record_string (record, "source", &inc->source, error) ||
          !record_string (record, "kind", &inc->kind, error) ||
          !record_string (record, "state", &inc->state, error) ||
          !get_time (record, tz, "received_at", &inc->received_at, error) ||
          !get_time (record, tz, "closed_at", &inc->closed_at, error))
        return FALSE;
      if (!read_incident_facts (record, inc, error))
        return FALSE;
      return ld_store_replace_incident (store, inc, error);
    }
  if (g_str_equal (entity, "order"))
    {
      g_autoptr(LdOrder) o = g_new0 (LdOrder, 1);
      double count = ld_json_get_number (record, "feedback_count");
      double overdue = ld_json_get_number (record, "overdue");

      if (!record_string (record, "id", &o->id, error) ||
          !record_string (record, "incident_id", &o->incident_id, error) ||
          !record_string (record, "unit_code", &o->unit_code, error) ||
          !record_string (record, "state", &o->state, error) ||
          !get_time (record, tz, "dispatched_at", &o->dispatched_at, error) ||
          !get_time (record, tz, "signed_at", &o->signed_at, error) ||
          !get_time (record, tz, "arrived_at", &o->arrived_at, error) ||
          !get_time (record, tz, "completed_at", &o->completed_at, error) ||
          !get_time (record, tz, "returned_at", &o->returned_at, error) ||
          !get_time (record, tz, "sign_due", &o->sign_due, error) ||
          !get_time (record, tz, "arrive_due", &o->arrive_due, error) ||
          !get_time (record, tz, "feedback_due", &o->feedback_due, error) ||
          !get_time (record, tz, "result_due", &o->result_due, error) ||
          !get_time (record, tz, "first_feedback_at", &o->first_feedback_at, error) ||
          !get_time (record, tz, "signed_logged_at", &o->signed_logged_at, error) ||
          !get_time (record, tz, "arrived_logged_at", &o->arrived_logged_at, error) ||
          !get_time (record, tz, "completed_logged_at", &o->completed_logged_at, error) ||
          !get_time (record, tz, "returned_logged_at", &o->returned_logged_at, error) ||
          !get_time (record, tz, "first_feedback_logged_at", &o->first_feedback_logged_at, error) ||
          !get_time (record, tz, "return_ruled_at", &o->return_ruled_at, error) ||
          !get_time (record, tz, "result_feedback_at", &o->result_feedback_at, error) ||
          !get_time (record, tz, "extension_until", &o->extension_until, error) ||
          !get_time (record, tz, "extension_requested_at", &o->extension_requested_at, error) ||
          !get_time (record, tz, "extension_ruled_at", &o->extension_ruled_at, error) ||
          !get_time (record, tz, "extension_original_due", &o->extension_original_due, error))
        return FALSE;
      o->return_reason = dup_string (record, "return_reason");
      o->duty_unit_code = dup_string (record, "duty_unit_code");
      o->not_ours = get_flag (record, "not_ours") == 1;
      o->basis = dup_string (record, "basis");
      o->return_ruling = dup_string (record, "return_ruling");
      o->return_ruled_by = dup_string (record, "return_ruled_by");
      o->return_ruling_reason = dup_string (record, "return_ruling_reason");
      o->extension_step = dup_string (record, "extension_step");
      o->extension_reason = dup_string (record, "extension_reason");
      o->extension_ruling = dup_string (record, "extension_ruling");
      o->extension_ruling_reason = dup_string (record, "extension_ruling_reason");
      o->feedback_count = isnan (count) ? 0 : (guint) count;
      o->overdue = isnan (overdue) ? 0 : (guint) overdue;
      return ld_store_replace_order (store, o, error) && put_order_feedback (store, o->id, record, tz, error);
    }
  if (g_str_equal (entity, "drill"))
    return put_drill (store, record, error);
  if (g_str_equal (entity, "duty"))
    return put_duty (store, record, error);
  if (g_str_equal (entity, "roll_call"))
    return put_roll_call (store, record, error);
  if (g_str_equal (entity, "drill_photo"))
    {
      g_autoptr(LdDrillPhoto) photo = g_new0 (LdDrillPhoto, 1);
      const char *base64 = ld_json_get_string (record, "data");
      g_autofree guchar *bytes = NULL;
      gsize size = 0;

      if (!record_string (record, "id", &photo->id, error) ||
          !record_string (record, "drill_id", &photo->drill_id, error) ||
          !record_string (record, "mime", &photo->mime, error) ||
          !get_time (record, tz, "at", &photo->at, error))
        return FALSE;
      if (base64 == NULL)
        {
          g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, _("A photo's record has no image"));
          return FALSE;
        }
      /* A desk that had no drills (its user was a unit's) learns of an
       * old drill's photo before the drill: the photo waits for a fresh
       * copy rather than stopping every pull. */
      {
        g_autoptr(LdDrill) drill = ld_store_get_drill (store, photo->drill_id, NULL);
        if (drill == NULL)
          {
            g_debug ("photo %s of a drill not here, %s: left out", photo->id, photo->drill_id);
            return TRUE;
          }
      }
      photo->unit_code = dup_string (record, "unit_code");
      photo->author = dup_string (record, "author");
      photo->caption = dup_string (record, "caption");
      bytes = g_base64_decode (base64, &size);
      photo->data = g_bytes_new_take (g_steal_pointer (&bytes), size);
      return ld_store_put_drill_photo (store, photo, error);
    }
  g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, _("Unknown record kind “%s”"), entity);
  return FALSE;
}

/* How much of a pull's page photos may fill, encoded: well under what the
 * client and the server read in one message. */
#define PAGE_PHOTO_BYTES (4 * 1024 * 1024)

/* Opens one entry of a pull: the caller adds the record and closes it. */
static void
begin_change (JsonBuilder *b, gint64 seq, const char *entity, const char *id)
{
  json_builder_begin_object (b);
  ld_json_add_int (b, "seq", seq);
  ld_json_add_string (b, "entity", entity);
  ld_json_add_string (b, "id", id);
  json_builder_set_member_name (b, "record");
}

/* A unit sees its own orders and the incidents they belong to. */
static gboolean
unit_may_see_incident (LdStore *store, const char *unit_code, const char *incident_id)
{
  g_autoptr(GPtrArray) orders = ld_store_list_orders (store, incident_id, NULL);
  for (guint i = 0; orders && i < orders->len; i++)
    if (g_strcmp0 (((LdOrder *) g_ptr_array_index (orders, i))->unit_code, unit_code) == 0)
      return TRUE;
  return FALSE;
}

JsonNode *
ld_sync_changes (LdStore *store, gint64 since, guint limit, const LdUser *user, GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GTimeZone *tz = ld_store_get_time_zone (store);
  const char *unit = g_strcmp0 (user->role, "unit") == 0 ? user->unit_code : NULL;
  gboolean snapshot_required = FALSE;
  gint64 last = since;
  guint rows = 0;
  gsize photo_bytes = 0;
  sqlite3_stmt *stmt;
  int rc;

  stmt = ld_store_prepare (store,
    "SELECT seq, entity, entity_id FROM event WHERE seq > ? ORDER BY seq LIMIT ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int (stmt, 2, limit + 1);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "changes");
  json_builder_begin_array (b);
  /* Several changes of one record in the page make one entry, its latest. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && rows < limit)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      g_autofree char *entity = ld_column_dup (stmt, 1);
      g_autofree char *id = ld_column_dup (stmt, 2);
      g_autofree char *key = g_strconcat (entity, ":", id, NULL);

      /* Photos are large: a page holds a few, the rest come with the next. */
      if (photo_bytes >= PAGE_PHOTO_BYTES && g_str_equal (entity, "drill_photo"))
        break;
      rows++;
      last = seq;
      if (g_str_equal (entity, "import"))
        {
          /* An import changed more than the feed can carry. */
          snapshot_required = TRUE;
          continue;
        }
      if (g_hash_table_contains (seen, key))
        continue;
      g_hash_table_add (seen, g_steal_pointer (&key));

      if (g_str_equal (entity, "incident"))
        {
          g_autoptr(LdIncident) inc = ld_store_get_incident (store, id, NULL);
          if (inc == NULL || (unit && !unit_may_see_incident (store, unit, id)))
            continue;
          begin_change (b, seq, "incident", id);
          ld_record_json_add_incident (b, tz, inc);
          json_builder_end_object (b);
        }
      else if (g_str_equal (entity, "order"))
        {
          g_autoptr(LdOrder) order = ld_store_get_order (store, id, NULL);
          g_autoptr(GPtrArray) feedback = NULL;
          g_autofree char *incident_key = NULL;

          if (order == NULL || (unit && g_strcmp0 (order->unit_code, unit) != 0))
            continue;
          if ((feedback = ld_store_list_feedback (store, id, error)) == NULL)
            return NULL;
          /* A unit did not see the incident's own changes before the order
           * made it theirs: the incident comes first, once a page. */
          incident_key = g_strconcat ("incident:", order->incident_id, NULL);
          if (unit && !g_hash_table_contains (seen, incident_key))
            {
              g_autoptr(LdIncident) inc = ld_store_get_incident (store, order->incident_id, NULL);

              if (inc)
                {
                  begin_change (b, seq, "incident", inc->id);
                  ld_record_json_add_incident (b, tz, inc);
                  json_builder_end_object (b);
                }
              g_hash_table_add (seen, g_steal_pointer (&incident_key));
            }
          begin_change (b, seq, "order", id);
          ld_record_json_add_order (b, tz, order, feedback);
          json_builder_end_object (b);
        }
      else if (g_str_equal (entity, "duty"))
        {
          g_autoptr(LdDuty) turn = ld_store_get_duty (store, id, NULL);

          if (turn == NULL || (unit && g_strcmp0 (turn->unit_code, unit) != 0))
            continue;
          begin_change (b, seq, "duty", id);
          ld_record_json_add_duty (b, tz, turn);
          json_builder_end_object (b);
        }
      else if (g_str_equal (entity, "roll_call"))
        {
          /* A unit learns of its own row only. */
          g_autoptr(GPtrArray) called = ld_store_list_roll_call_rows (store, id, unit, NULL);

          if (called == NULL || called->len == 0)
            continue;
          begin_change (b, seq, "roll_call", id);
          ld_record_json_add_roll_call (b, tz, id, called);
          json_builder_end_object (b);
        }
      else if ((g_str_equal (entity, "drill") || g_str_equal (entity, "drill_photo")) && unit == NULL)
        {
          g_autoptr(JsonNode) record = ld_sync_get_record (store, entity, id);

          if (record == NULL)
            continue;
          if (g_str_equal (entity, "drill_photo"))
            photo_bytes += strlen (ld_json_get_string (json_node_get_object (record), "data"));
          begin_change (b, seq, entity, id);
          json_builder_add_value (b, g_steal_pointer (&record));
          json_builder_end_object (b);
        }
    }
  sqlite3_reset (stmt);
  json_builder_end_array (b);
  /* A client ahead of the server holds another store's history (the
   * server's was restored or replaced): only a fresh copy is right. */
  if (since > ld_store_get_sequence (store))
    {
      snapshot_required = TRUE;
      last = ld_store_get_sequence (store);
    }
  ld_json_add_int (b, "last_seq", last);
  json_builder_set_member_name (b, "more");
  json_builder_add_boolean_value (b, rc == SQLITE_ROW);
  json_builder_set_member_name (b, "snapshot_required");
  json_builder_add_boolean_value (b, snapshot_required);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
