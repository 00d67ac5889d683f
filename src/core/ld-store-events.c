/* ld-store-events.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The audit trail: every change a user makes is an event, and sync
 * reads the trail's sequence to know how far a peer has come. */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "ld-store-area.h"

/* An operation synced in keeps in its event the time its device claimed
 * and when it was logged here, whichever of them the step took (DESIGN.md,
 * Whose clock). */
static char *
stamp_data (LdStore *self, const LdActor *actor, const char *data_json)
{
  g_autoptr(JsonNode) root = data_json ? json_from_string (data_json, NULL) : NULL;
  g_autofree char *claimed = ld_store_time_text (self, actor->claimed_at);
  g_autofree char *logged = ld_store_time_text (self, actor->logged_at);
  JsonObject *object;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_clear_pointer (&root, json_node_unref);
      root = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (root, json_object_new ());
    }
  object = json_node_get_object (root);
  if (claimed)
    json_object_set_string_member (object, "claimed_at", claimed);
  json_object_set_string_member (object, "logged_at", logged);
  return json_to_string (root, FALSE);
}

gboolean
ld_store_record_event (LdStore       *self,
                       const LdActor *actor,
                       gint64         at,
                       const char    *entity,
                       const char    *entity_id,
                       const char    *action,
                       const char    *data_json,
                       GError       **error)
{
  g_autofree char *stamped = actor && actor->logged_at != LD_TIME_NONE ? stamp_data (self, actor, data_json) : NULL;
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "INSERT INTO event (at, actor, device, entity, entity_id, action, data, remote)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);

  if (stamped)
    data_json = stamped;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, at);
  sqlite3_bind_text (stmt, 2, actor && actor->user ? actor->user : "system", -1, SQLITE_STATIC);
  ld_bind_text (stmt, 3, actor ? actor->device : NULL);
  sqlite3_bind_text (stmt, 4, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, entity_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, action, -1, SQLITE_STATIC);
  ld_bind_text (stmt, 7, data_json);
  ld_bind_text (stmt, 8, actor ? actor->remote : NULL);
  return ld_store_step_done (self, stmt, error);
}

gint64
ld_store_count_events (LdStore *self, const char *entity, const char *entity_id)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT count(*) FROM event WHERE entity = ? AND entity_id = ?", NULL);
  gint64 n;

  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, entity_id, -1, SQLITE_STATIC);
  sqlite3_step (stmt);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

gint64
ld_store_get_sequence (LdStore *self)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, "SELECT coalesce(max(seq), 0) FROM event", NULL);
  gint64 seq = 0;

  if (stmt && sqlite3_step (stmt) == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  if (stmt)
    sqlite3_reset (stmt);
  return seq;
}

char *
ld_store_event_data (const char *first_key, ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  va_list args;

  json_builder_begin_object (builder);
  va_start (args, first_key);
  for (const char *key = first_key; key; key = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);
      if (value == NULL)
        continue;
      json_builder_set_member_name (builder, key);
      json_builder_add_string_value (builder, value);
    }
  va_end (args);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

char *
ld_store_time_text (LdStore *self, gint64 at)
{
  return at == LD_TIME_NONE ? NULL : ld_time_format_iso (at, self->tz);
}

static gpointer
event_from_row (sqlite3_stmt *stmt)
{
  LdEvent *e = g_new0 (LdEvent, 1);
  e->seq = sqlite3_column_int64 (stmt, 0);
  e->at = sqlite3_column_int64 (stmt, 1);
  e->actor = ld_column_dup (stmt, 2);
  e->device = ld_column_dup (stmt, 3);
  e->remote = ld_column_dup (stmt, 4);
  e->entity = ld_column_dup (stmt, 5);
  e->entity_id = ld_column_dup (stmt, 6);
  e->action = ld_column_dup (stmt, 7);
  e->data = ld_column_dup (stmt, 8);
  return e;
}

GPtrArray *
ld_store_list_events (LdStore *self, const LdEventFilter *filter, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT seq, at, actor, device, remote, entity, entity_id, action, data FROM event e"
    " WHERE (?1 IS NULL OR (e.entity = 'incident' AND e.entity_id = ?1)"
    "        OR (e.entity = 'order' AND e.entity_id IN (SELECT id FROM orders WHERE incident_id = ?1)))"
    "   AND (?2 IS NULL OR (e.entity = 'order' AND e.entity_id IN (SELECT id FROM orders WHERE unit_code = ?2)))"
    "   AND (?3 IS NULL OR e.actor = ?3)"
    "   AND (?4 = 0 OR e.at >= ?4) AND (?5 = 0 OR e.at < ?5)"
    " ORDER BY e.seq DESC LIMIT ?6", error);

  if (stmt == NULL)
    return NULL;
  ld_bind_text (stmt, 1, filter->incident_id);
  ld_bind_text (stmt, 2, filter->unit_code);
  ld_bind_text (stmt, 3, filter->user);
  sqlite3_bind_int64 (stmt, 4, filter->from);
  sqlite3_bind_int64 (stmt, 5, filter->to);
  sqlite3_bind_int (stmt, 6, filter->limit ? filter->limit : 1000);
  return ld_store_read_all (self, stmt, event_from_row, (GDestroyNotify) ld_event_free, error);
}
