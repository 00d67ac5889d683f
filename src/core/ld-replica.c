/* ld-replica.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "ld-json.h"
#include "ld-replica.h"
#include "ld-store-private.h"
#include "ld-sync.h"

#define LAST_SEQ_KEY "replica.last_seq"

struct _LdReplica
{
  GObject     parent_instance;

  LdStore    *store;
  LdUser      user;
  char       *device;
  gint64      last_seq;
  guint       n_pending;

  /* The records changed since the last "changed" emission. */
  GHashTable *changed_incidents;
  GHashTable *changed_orders;
  GHashTable *changed_drills;
  gboolean    changed_duty;     /* a roster's turn or a roll call */
};

G_DEFINE_FINAL_TYPE (LdReplica, ld_replica, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_PENDING,
  PROP_LAST_SEQ,
  N_PROPS
};

enum {
  CHANGED,
  DRILLS_CHANGED,
  DUTY_CHANGED,
  REFUSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
ld_replica_finalize (GObject *object)
{
  LdReplica *self = LD_REPLICA (object);

  g_clear_object (&self->store);
  g_free (self->user.name);
  g_free (self->user.display_name);
  g_free (self->user.role);
  g_free (self->user.unit_code);
  g_free (self->device);
  g_hash_table_unref (self->changed_incidents);
  g_hash_table_unref (self->changed_orders);
  g_hash_table_unref (self->changed_drills);

  G_OBJECT_CLASS (ld_replica_parent_class)->finalize (object);
}

static void
ld_replica_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LdReplica *self = LD_REPLICA (object);

  switch (prop_id)
    {
    case PROP_N_PENDING:
      g_value_set_uint (value, self->n_pending);
      break;
    case PROP_LAST_SEQ:
      g_value_set_int64 (value, self->last_seq);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_replica_class_init (LdReplicaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ld_replica_finalize;
  object_class->get_property = ld_replica_get_property;

  properties[PROP_N_PENDING] =
    g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_SEQ] =
    g_param_spec_int64 ("last-seq", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The incidents and orders whose rows changed, by id, after the change
   * was committed. */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRV, G_TYPE_STRV);
  /* The drills whose rows, units or notes changed, by id, after the change
   * was committed: a signal of their own, so that the desk's many
   * "changed" listeners are not woken by a drill. */
  signals[DRILLS_CHANGED] =
    g_signal_new ("drills-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRV);
  /* A unit's duty roster or a roll call changed: the boards and a unit's
   * roll-call prompt read them again. */
  signals[DUTY_CHANGED] =
    g_signal_new ("duty-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* An operation the server refused and the replica undid: the operation,
   * the server's code (forbidden, not-found, conflict, invalid) and reason. */
  signals[REFUSED] =
    g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, JSON_TYPE_OBJECT, G_TYPE_STRING, G_TYPE_STRING);
}

static void
ld_replica_init (LdReplica *self)
{
  self->changed_incidents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->changed_orders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->changed_drills = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static guint
count_pending (LdReplica *self)
{
  sqlite3_stmt *stmt = ld_store_prepare (self->store, "SELECT count(*) FROM outbox", NULL);
  guint n = 0;

  if (stmt && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  if (stmt)
    sqlite3_reset (stmt);
  return n;
}

LdReplica *
ld_replica_new (LdStore *store, const LdUser *user, const char *device)
{
  LdReplica *self = g_object_new (LD_TYPE_REPLICA, NULL);
  g_autofree char *seq = ld_store_get_setting (store, LAST_SEQ_KEY);

  self->store = g_object_ref (store);
  self->user.name = g_strdup (user->name);
  self->user.display_name = g_strdup (user->display_name);
  self->user.role = g_strdup (user->role);
  self->user.unit_code = g_strdup (user->unit_code);
  self->device = g_strdup (device);
  self->last_seq = seq ? g_ascii_strtoll (seq, NULL, 10) : 0;
  self->n_pending = count_pending (self);
  return self;
}

LdStore *
ld_replica_get_store (LdReplica *self)
{
  g_return_val_if_fail (LD_IS_REPLICA (self), NULL);
  return self->store;
}

const LdUser *
ld_replica_get_user (LdReplica *self)
{
  g_return_val_if_fail (LD_IS_REPLICA (self), NULL);
  return &self->user;
}

gint64
ld_replica_get_last_seq (LdReplica *self)
{
  g_return_val_if_fail (LD_IS_REPLICA (self), 0);
  return self->last_seq;
}

guint
ld_replica_get_n_pending (LdReplica *self)
{
  g_return_val_if_fail (LD_IS_REPLICA (self), 0);
  return self->n_pending;
}

static void
note_changed (LdReplica *self, const char *entity, const char *id)
{
  if (g_str_equal (entity, "incident"))
    g_hash_table_add (self->changed_incidents, g_strdup (id));
  else if (g_str_equal (entity, "order"))
    g_hash_table_add (self->changed_orders, g_strdup (id));
  else if (g_str_equal (entity, "drill"))
    g_hash_table_add (self->changed_drills, g_strdup (id));
  else if (g_str_equal (entity, "duty") || g_str_equal (entity, "roll_call"))
    self->changed_duty = TRUE;
  else if (g_str_equal (entity, "drill_photo"))
    {
      g_autoptr(LdDrillPhoto) photo = ld_store_get_drill_photo (self->store, id, NULL);

      /* A photo dropped says so through its drill, which its operation
       * touched too. */
      if (photo)
        g_hash_table_add (self->changed_drills, g_strdup (photo->drill_id));
    }
}

/* Called after each commit: the store's readers see what the signal says. */
static void
emit_changes (LdReplica *self)
{
  guint n_pending = count_pending (self);
  g_autofree char **incidents = NULL;
  g_autofree char **orders = NULL;

  if (g_hash_table_size (self->changed_incidents) + g_hash_table_size (self->changed_orders) > 0)
    {
      incidents = (char **) g_hash_table_get_keys_as_array (self->changed_incidents, NULL);
      orders = (char **) g_hash_table_get_keys_as_array (self->changed_orders, NULL);
      g_signal_emit (self, signals[CHANGED], 0, incidents, orders);
      g_hash_table_remove_all (self->changed_incidents);
      g_hash_table_remove_all (self->changed_orders);
    }
  if (g_hash_table_size (self->changed_drills) > 0)
    {
      g_autofree char **drills = (char **) g_hash_table_get_keys_as_array (self->changed_drills, NULL);

      g_signal_emit (self, signals[DRILLS_CHANGED], 0, drills);
      g_hash_table_remove_all (self->changed_drills);
    }
  if (self->changed_duty)
    {
      self->changed_duty = FALSE;
      g_signal_emit (self, signals[DUTY_CHANGED], 0);
    }
  if (n_pending != self->n_pending)
    {
      self->n_pending = n_pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
    }
}

static void
forget_changes (LdReplica *self)
{
  g_hash_table_remove_all (self->changed_incidents);
  g_hash_table_remove_all (self->changed_orders);
  g_hash_table_remove_all (self->changed_drills);
  self->changed_duty = FALSE;
}

/* The records an operation touches: its own, and for an order the incident
 * (a dispatch or a return moves the incident's state too). A drill is one
 * record with its units and notes. */
static GPtrArray *
touched_records (LdReplica *self, JsonObject *op)
{
  GPtrArray *touched = g_ptr_array_new_with_free_func (g_free);
  const char *entity = ld_json_get_string (op, "entity");
  const char *entity_id = ld_json_get_string (op, "entity_id");

  if (entity == NULL || entity_id == NULL)
    return touched;
  if (g_str_equal (entity, "drill_unit"))
    entity = "drill";
  g_ptr_array_add (touched, g_strconcat (entity, ":", entity_id, NULL));
  /* A photo shows on its drill: the drill is said to change with it. */
  if (g_str_equal (entity, "drill_photo"))
    {
      JsonNode *fields = json_object_get_member (op, "fields");
      const char *drill_id = fields && JSON_NODE_HOLDS_OBJECT (fields)
                             ? ld_json_get_string (json_node_get_object (fields), "drill_id") : NULL;
      if (drill_id)
        g_ptr_array_add (touched, g_strconcat ("drill:", drill_id, NULL));
    }
  if (g_str_equal (entity, "order"))
    {
      JsonNode *fields = json_object_get_member (op, "fields");
      const char *incident_id = NULL;
      g_autoptr(LdOrder) order = ld_store_get_order (self->store, entity_id, NULL);

      if (order)
        incident_id = order->incident_id;
      else if (fields && JSON_NODE_HOLDS_OBJECT (fields))
        incident_id = ld_json_get_string (json_node_get_object (fields), "incident_id");
      if (incident_id)
        g_ptr_array_add (touched, g_strconcat ("incident:", incident_id, NULL));
    }
  return touched;
}

/* Keeps the server's version of a record before the first pending
 * operation changes it. */
static gboolean
keep_shadow (LdReplica *self, const char *entity, const char *id, GError **error)
{
  g_autoptr(JsonNode) record = NULL;
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt = ld_store_prepare (self->store,
    "SELECT 1 FROM shadow WHERE entity = ? AND entity_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, entity);
  ld_bind_text (stmt, 2, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return TRUE;
    }
  sqlite3_reset (stmt);

  record = ld_sync_get_record (self->store, entity, id);
  text = record ? json_to_string (record, FALSE) : NULL;
  stmt = ld_store_prepare (self->store, "INSERT INTO shadow (entity, entity_id, record) VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, entity);
  ld_bind_text (stmt, 2, id);
  ld_bind_text (stmt, 3, text);
  return ld_store_step_done (self->store, stmt, error);
}

static gboolean
queue (LdReplica *self, JsonObject *op, GPtrArray *touched, GError **error)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), op);
  g_autofree char *text = json_to_string (node, FALSE);
  sqlite3_stmt *stmt = ld_store_prepare (self->store,
    "INSERT INTO outbox (id, operation, made_at) VALUES (?, ?, ?)", error);
  gint64 seq;

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, ld_json_get_string (op, "id"));
  ld_bind_text (stmt, 2, text);
  sqlite3_bind_int64 (stmt, 3, ld_time_now ());
  if (!ld_store_step_done (self->store, stmt, error))
    return FALSE;
  seq = sqlite3_last_insert_rowid (ld_store_get_handle (self->store));

  for (guint i = 0; i < touched->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (touched, i), ":", 2);

      if (!keep_shadow (self, parts[0], parts[1], error))
        return FALSE;
      stmt = ld_store_prepare (self->store,
        "INSERT OR IGNORE INTO outbox_touch (outbox_seq, entity, entity_id) VALUES (?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, seq);
      ld_bind_text (stmt, 2, parts[0]);
      ld_bind_text (stmt, 3, parts[1]);
      if (!ld_store_step_done (self->store, stmt, error))
        return FALSE;
      note_changed (self, parts[0], parts[1]);
    }
  return TRUE;
}

static JsonObject *
object_member (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Gives the operation the ids it will keep on every retry. */
static void
complete_operation (LdReplica *self, JsonObject *op)
{
  JsonObject *fields = object_member (op, "fields");
  gint64 now = ld_time_now ();

  if (ld_json_get_string (op, "id") == NULL)
    {
      g_autofree char *id = ld_id_new (now);
      json_object_set_string_member (op, "id", id);
    }
  if (ld_json_get_string (op, "at") == NULL)
    {
      g_autofree char *at = ld_time_format_iso (now, ld_store_get_time_zone (self->store));
      json_object_set_string_member (op, "at", at);
    }
  if (fields == NULL)
    {
      fields = json_object_new ();
      json_object_set_object_member (op, "fields", fields);
    }
  if (g_strcmp0 (ld_json_get_string (op, "action"), "feedback") == 0 &&
      ld_json_get_string (fields, "feedback_id") == NULL)
    {
      g_autofree char *id = ld_id_new (now);
      json_object_set_string_member (fields, "feedback_id", id);
    }
  if (g_strcmp0 (ld_json_get_string (op, "action"), "note") == 0 &&
      ld_json_get_string (fields, "note_id") == NULL)
    {
      g_autofree char *id = ld_id_new (now);
      json_object_set_string_member (fields, "note_id", id);
    }
}

gboolean
ld_replica_submit (LdReplica *self, JsonObject *operation, GError **error)
{
  LdActor actor = { self->user.name, self->device, NULL };
  g_autoptr(GPtrArray) touched = NULL;

  g_return_val_if_fail (LD_IS_REPLICA (self), FALSE);

  complete_operation (self, operation);
  touched = touched_records (self, operation);
  if (!ld_store_begin (self->store, error))
    return FALSE;
  /* The shadows are taken before the operation changes the records. */
  if (!queue (self, operation, touched, error) ||
      !ld_sync_apply_local (self->store, operation, &self->user, &actor, error) ||
      !ld_store_commit (self->store, error))
    {
      ld_store_rollback (self->store);
      forget_changes (self);
      return FALSE;
    }
  emit_changes (self);
  return TRUE;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonNode) node = text ? ld_json_parse (text, -1, NULL) : NULL;
  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_dup_object (node) : NULL;
}

JsonArray *
ld_replica_peek (LdReplica *self, guint limit)
{
  JsonArray *ops = json_array_new ();
  sqlite3_stmt *stmt = ld_store_prepare (self->store,
    "SELECT operation FROM outbox ORDER BY seq LIMIT ?", NULL);

  if (stmt == NULL)
    return ops;
  sqlite3_bind_int (stmt, 1, limit);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JsonObject *op = parse_object ((const char *) sqlite3_column_text (stmt, 0));
      if (op)
        json_array_add_object_element (ops, op);
    }
  sqlite3_reset (stmt);
  return ops;
}

/* Puts every record a pending operation touched back to the server's
 * version (removing those the server never had), then applies the pending
 * operations over them again, oldest first. One that no longer applies
 * stays queued: the server decides, and its refusal undoes it. */
static gboolean
rebase (LdReplica *self, JsonArray *dropped, GError **error)
{
  LdActor actor = { self->user.name, self->device, NULL };
  g_autoptr(JsonArray) pending = ld_replica_peek (self, G_MAXINT);
  /* Feedback rows ride on no pulled record: a pending one is removed by id. */
  JsonArray *lists[] = { pending, dropped };
  /* Orders go before their incidents, and come back after them. */
  static const struct {
    const char *sql;
    const char *entity;
  } passes[] = {
    { "SELECT entity_id, record FROM shadow WHERE entity = 'order' AND record IS NULL", "order" },
    { "SELECT entity_id, record FROM shadow WHERE entity = 'incident' AND record IS NULL", "incident" },
    { "SELECT entity_id, record FROM shadow WHERE entity = 'drill_photo' AND record IS NULL", "drill_photo" },
    { "SELECT entity_id, record FROM shadow WHERE entity = 'drill' AND record IS NULL", "drill" },
    { "SELECT entity_id, record FROM shadow WHERE entity = 'incident' AND record IS NOT NULL", "incident" },
    { "SELECT entity_id, record FROM shadow WHERE entity = 'order' AND record IS NOT NULL", "order" },
    { "SELECT entity_id, record FROM shadow WHERE entity = 'drill' AND record IS NOT NULL", "drill" },
    { "SELECT entity_id, record FROM shadow WHERE entity = 'drill_photo' AND record IS NOT NULL", "drill_photo" },
  };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l] && i < json_array_get_length (lists[l]); i++)
      {
        JsonObject *op = json_array_get_object_element (lists[l], i);
        JsonObject *fields = object_member (op, "fields");

        if (g_strcmp0 (ld_json_get_string (op, "action"), "feedback") == 0 && fields &&
            ld_json_get_string (fields, "feedback_id") &&
            !ld_store_forget_feedback (self->store, ld_json_get_string (fields, "feedback_id"), error))
          return FALSE;
      }

  for (guint p = 0; p < G_N_ELEMENTS (passes); p++)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;

      const char *entity = passes[p].entity;

      if (sqlite3_prepare_v2 (ld_store_get_handle (self->store), passes[p].sql, -1, &stmt, NULL) != SQLITE_OK)
        {
          ld_store_set_db_error (self->store, error);
          return FALSE;
        }
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *id = (const char *) sqlite3_column_text (stmt, 0);
          gboolean kept = sqlite3_column_type (stmt, 1) != SQLITE_NULL;
          g_autoptr(JsonObject) record = parse_object ((const char *) sqlite3_column_text (stmt, 1));
          gboolean ok;

          if (kept)
            ok = record && ld_sync_put_record (self->store, entity, record, error);
          else if (g_str_equal (entity, "order"))
            ok = ld_store_forget_order (self->store, id, error);
          else if (g_str_equal (entity, "incident"))
            ok = ld_store_forget_incident (self->store, id, error);
          else if (g_str_equal (entity, "drill_photo"))
            ok = ld_store_forget_drill_photo (self->store, id, error);
          else
            ok = ld_store_forget_drill (self->store, id, error);
          if (!ok)
            {
              if (error && *error == NULL)
                g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, _("A kept record is damaged: %s"), id);
              return FALSE;
            }
          note_changed (self, entity, id);
        }
    }
  if (!ld_store_relink_repeats (self->store, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (pending); i++)
    {
      JsonObject *op = json_array_get_object_element (pending, i);
      g_autoptr(GError) local_error = NULL;

      if (!ld_sync_apply_local (self->store, op, &self->user, &actor, &local_error))
        g_debug ("pending operation %s does not apply now: %s", ld_json_get_string (op, "id"),
                 local_error->message);
    }
  return TRUE;
}

static gboolean
drop_unused_shadows (LdReplica *self, GError **error)
{
  return ld_store_exec (self->store,
                        "DELETE FROM shadow WHERE NOT EXISTS (SELECT 1 FROM outbox_touch t"
                        " WHERE t.entity = shadow.entity AND t.entity_id = shadow.entity_id)", error);
}

typedef struct {
  JsonObject *operation;
  char       *code;
  char       *reason;
} Refusal;

static void
refusal_free (Refusal *r)
{
  json_object_unref (r->operation);
  g_free (r->code);
  g_free (r->reason);
  g_free (r);
}

static gboolean
delete_pending (LdReplica *self, const char *id, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self->store, "DELETE FROM outbox WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, id);
  return ld_store_step_done (self->store, stmt, error);
}

static JsonObject *
pending_operation (LdReplica *self, const char *id)
{
  sqlite3_stmt *stmt = ld_store_prepare (self->store, "SELECT operation FROM outbox WHERE id = ?", NULL);
  JsonObject *op = NULL;

  if (stmt == NULL)
    return NULL;
  ld_bind_text (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    op = parse_object ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return op;
}

gboolean
ld_replica_settle (LdReplica *self, JsonArray *results, GError **error)
{
  g_autoptr(GPtrArray) refusals = g_ptr_array_new_with_free_func ((GDestroyNotify) refusal_free);
  g_autoptr(JsonArray) dropped = json_array_new ();
  guint n = json_array_get_length (results);

  g_return_val_if_fail (LD_IS_REPLICA (self), FALSE);

  if (!ld_store_begin (self->store, error))
    return FALSE;

  /* Refusals first: the records are rebuilt with the taken operations of
   * the same push still applied over the server's version. */
  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < n; i++)
        {
          JsonNode *node = json_array_get_element (results, i);
          JsonObject *result = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          const char *id = result ? ld_json_get_string (result, "id") : NULL;
          const char *status = result ? ld_json_get_string (result, "status") : NULL;
          gboolean refused = g_strcmp0 (status, "refused") == 0;
          gboolean taken = g_strcmp0 (status, "accepted") == 0 || g_strcmp0 (status, "duplicate") == 0;

          if (id == NULL || (pass == 0 && !refused) || (pass == 1 && !taken))
            continue;
          if (refused)
            {
              JsonObject *op = pending_operation (self, id);
              Refusal *r;

              if (op == NULL)
                continue;
              r = g_new0 (Refusal, 1);
              r->operation = op;
              r->code = g_strdup (ld_json_get_string (result, "code"));
              r->reason = g_strdup (ld_json_get_string (result, "reason"));
              json_array_add_object_element (dropped, json_object_ref (op));
              g_ptr_array_add (refusals, r);
            }
          if (!delete_pending (self, id, error))
            goto fail;
        }
      if (pass == 0 && refusals->len > 0 && !rebase (self, dropped, error))
        goto fail;
    }
  /* What was taken stands as applied here until the pull brings the
   * server's version. */
  if (!drop_unused_shadows (self, error) || !ld_store_commit (self->store, error))
    goto fail;

  for (guint i = 0; i < refusals->len; i++)
    {
      Refusal *r = g_ptr_array_index (refusals, i);
      g_signal_emit (self, signals[REFUSED], 0, r->operation, r->code, r->reason);
    }
  emit_changes (self);
  return TRUE;

fail:
  ld_store_rollback (self->store);
  forget_changes (self);
  return FALSE;
}

static gboolean
update_shadow (LdReplica *self, const char *entity, const char *id, JsonNode *record,
               gboolean *shadowed, GError **error)
{
  g_autofree char *text = json_to_string (record, FALSE);
  sqlite3_stmt *stmt = ld_store_prepare (self->store,
    "UPDATE shadow SET record = ? WHERE entity = ? AND entity_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, text);
  ld_bind_text (stmt, 2, entity);
  ld_bind_text (stmt, 3, id);
  if (!ld_store_step_done (self->store, stmt, error))
    return FALSE;
  *shadowed = sqlite3_changes (ld_store_get_handle (self->store)) > 0;
  return TRUE;
}

static gboolean
has_shadow (LdReplica *self, const char *entity, const char *id, gboolean *shadowed, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self->store,
    "SELECT 1 FROM shadow WHERE entity = ? AND entity_id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, entity);
  ld_bind_text (stmt, 2, id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    ld_store_set_db_error (self->store, error);
  sqlite3_reset (stmt);
  *shadowed = rc == SQLITE_ROW;
  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

static gboolean
write_last_seq (LdReplica *self, gint64 seq, GError **error)
{
  char text[32];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, seq);
  return ld_store_set_setting (self->store, LAST_SEQ_KEY, text, error);
}

/* Writes a pulled record in a savepoint of its own, and keeps it only when
 * @keep. A record this desk cannot read (taken by the server before today's
 * rules, or written by a newer one) would otherwise fail the page again on
 * every pull, and nothing after it would ever arrive: it is left out and
 * said so. A failure of the store itself still fails the page. */
static gboolean
try_record (LdReplica *self, const char *entity, const char *id, JsonObject *record, gboolean keep,
            gboolean *readable, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  *readable = FALSE;
  if (!ld_store_begin (self->store, error))
    return FALSE;
  if (ld_sync_put_record (self->store, entity, record, &local_error))
    {
      *readable = TRUE;
      if (keep)
        return ld_store_commit (self->store, error);
      ld_store_rollback (self->store);
      return TRUE;
    }
  ld_store_rollback (self->store);
  if (g_error_matches (local_error, LD_STORE_ERROR, LD_STORE_ERROR_DB) ||
      g_error_matches (local_error, LD_STORE_ERROR, LD_STORE_ERROR_SCHEMA))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_warning ("%s %s from the server cannot be read and is skipped: %s", entity, id, local_error->message);
  return TRUE;
}

gboolean
ld_replica_merge (LdReplica *self, JsonObject *page, guint *n_skipped, GError **error)
{
  JsonNode *changes_node = json_object_get_member (page, "changes");
  JsonArray *changes = changes_node && JSON_NODE_HOLDS_ARRAY (changes_node)
                       ? json_node_get_array (changes_node) : NULL;
  double last = ld_json_get_number (page, "last_seq");
  gboolean needs_rebase = FALSE;
  guint skipped = 0;

  g_return_val_if_fail (LD_IS_REPLICA (self), FALSE);

  if (n_skipped)
    *n_skipped = 0;
  /* Cast only what a sequence number can be. */
  if (changes == NULL || !(last >= 0 && last < 0x1p63 && last == floor (last)))
    {
      g_set_error (error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED,
                   _("The server's changes need a “changes” array and “last_seq”"));
      return FALSE;
    }

  if (!ld_store_begin (self->store, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonNode *node = json_array_get_element (changes, i);
      JsonObject *change = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *entity = change ? ld_json_get_string (change, "entity") : NULL;
      const char *id = change ? ld_json_get_string (change, "id") : NULL;
      JsonNode *record = change ? json_object_get_member (change, "record") : NULL;
      gboolean shadowed = FALSE;
      gboolean readable;

      if (entity == NULL || id == NULL || record == NULL || !JSON_NODE_HOLDS_OBJECT (record))
        {
          g_warning ("change %u of a page from the server is malformed and is skipped", i + 1);
          skipped++;
          continue;
        }
      /* A record under a pending operation gets the server's version kept
       * aside, and the pending operations are applied over it again: it is
       * only tried here, so that the rebase does not meet it unreadable. */
      if (!has_shadow (self, entity, id, &shadowed, error) ||
          !try_record (self, entity, id, json_node_get_object (record), !shadowed, &readable, error))
        goto fail;
      if (!readable)
        {
          skipped++;
          continue;
        }
      if (shadowed && !update_shadow (self, entity, id, record, &shadowed, error))
        goto fail;
      needs_rebase |= shadowed;
      note_changed (self, entity, id);
    }
  if (needs_rebase ? !rebase (self, NULL, error) : !ld_store_relink_repeats (self->store, error))
    goto fail;
  if (!write_last_seq (self, (gint64) last, error) || !ld_store_commit (self->store, error))
    goto fail;
  if (n_skipped)
    *n_skipped = skipped;

  self->last_seq = (gint64) last;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SEQ]);
  emit_changes (self);
  return TRUE;

fail:
  ld_store_rollback (self->store);
  forget_changes (self);
  return FALSE;
}

gboolean
ld_replica_adopt (LdReplica *self, JsonArray *operations, GError **error)
{
  LdActor actor = { self->user.name, self->device, NULL };

  if (!ld_store_begin (self->store, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (operations); i++)
    {
      JsonObject *op = json_array_get_object_element (operations, i);
      g_autoptr(GPtrArray) touched = NULL;
      g_autoptr(GError) local_error = NULL;

      if (op == NULL)
        continue;
      touched = touched_records (self, op);
      if (!queue (self, op, touched, error))
        goto fail;
      if (!ld_sync_apply_local (self->store, op, &self->user, &actor, &local_error))
        g_debug ("adopted operation %s does not apply here: %s", ld_json_get_string (op, "id"),
                 local_error->message);
    }
  if (!ld_store_commit (self->store, error))
    goto fail;
  emit_changes (self);
  return TRUE;

fail:
  ld_store_rollback (self->store);
  forget_changes (self);
  return FALSE;
}

gboolean
ld_replica_set_last_seq (LdReplica *self, gint64 seq, GError **error)
{
  if (!write_last_seq (self, seq, error))
    return FALSE;
  self->last_seq = seq;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SEQ]);
  return TRUE;
}
