/* ld-drill-query.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include "ld-drill-query.h"

struct _LdDrillQuery
{
  GObject       parent_instance;

  LdSyncEngine *engine;
  GTimeZone    *time_zone;
};

G_DEFINE_FINAL_TYPE (LdDrillQuery, ld_drill_query, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The replica is asked each time: a fresh snapshot replaces it. */
static LdStore *
store (LdDrillQuery *self)
{
  return ld_sync_engine_get_store (self->engine);
}

static void
on_drills_changed (LdSyncEngine *engine, GStrv drills, LdDrillQuery *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_replica_replaced (LdSyncEngine *engine, GParamSpec *pspec, LdDrillQuery *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

LdDrillQuery *
ld_drill_query_new (LdSyncEngine *engine, GTimeZone *time_zone)
{
  LdDrillQuery *self;

  g_return_val_if_fail (LD_IS_SYNC_ENGINE (engine), NULL);

  self = g_object_new (LD_TYPE_DRILL_QUERY, NULL);
  self->engine = g_object_ref (engine);
  self->time_zone = g_time_zone_ref (time_zone ? time_zone : ld_store_get_time_zone (store (self)));
  g_signal_connect_object (engine, "drills-changed", G_CALLBACK (on_drills_changed), self, 0);
  g_signal_connect_object (engine, "notify::replica", G_CALLBACK (on_replica_replaced), self, 0);
  return self;
}

LdSyncEngine *
ld_drill_query_get_engine (LdDrillQuery *self)
{
  g_return_val_if_fail (LD_IS_DRILL_QUERY (self), NULL);

  return self->engine;
}

GTimeZone *
ld_drill_query_get_time_zone (LdDrillQuery *self)
{
  g_return_val_if_fail (LD_IS_DRILL_QUERY (self), NULL);

  return self->time_zone;
}

gboolean
ld_drill_query_can_run (LdDrillQuery *self)
{
  const LdUser *user;

  g_return_val_if_fail (LD_IS_DRILL_QUERY (self), FALSE);

  user = ld_replica_get_user (ld_sync_engine_get_replica (self->engine));
  return user && (g_strcmp0 (user->role, "inspector") == 0 || g_strcmp0 (user->role, "admin") == 0);
}

GPtrArray *
ld_drill_query_list_drills (LdDrillQuery *self, GError **error)
{
  LdPeriod all = { G_MININT64, G_MAXINT64 };

  g_return_val_if_fail (LD_IS_DRILL_QUERY (self), NULL);

  return ld_store_list_drills (store (self), &all, error);
}

LdDrill *
ld_drill_query_get_drill (LdDrillQuery *self, const char *drill_id, GError **error)
{
  g_return_val_if_fail (LD_IS_DRILL_QUERY (self), NULL);

  return ld_store_get_drill (store (self), drill_id, error);
}

GPtrArray *
ld_drill_query_list_units (LdDrillQuery *self, const char *drill_id, GError **error)
{
  g_return_val_if_fail (LD_IS_DRILL_QUERY (self), NULL);

  return ld_store_list_drill_units (store (self), drill_id, error);
}

LdDrillResult *
ld_drill_query_get_result (LdDrillQuery *self, const LdDrill *drill, gint64 now, GError **error)
{
  g_return_val_if_fail (LD_IS_DRILL_QUERY (self), NULL);

  return ld_drill_result_new (store (self), drill, now, error);
}

GPtrArray *
ld_drill_query_list_notes (LdDrillQuery *self, const char *drill_id, GError **error)
{
  g_return_val_if_fail (LD_IS_DRILL_QUERY (self), NULL);

  return ld_store_list_drill_notes (store (self), drill_id, error);
}

GPtrArray *
ld_drill_query_list_photos (LdDrillQuery *self, const char *drill_id, GError **error)
{
  g_return_val_if_fail (LD_IS_DRILL_QUERY (self), NULL);

  return ld_store_list_drill_photos (store (self), drill_id, error);
}

GPtrArray *
ld_drill_query_list_history (LdDrillQuery *self, const char *unit_code, GError **error)
{
  g_return_val_if_fail (LD_IS_DRILL_QUERY (self), NULL);

  return ld_drill_history_new (store (self), unit_code, NULL, ld_time_now (), error);
}

LdDrillTable *
ld_drill_query_get_month (LdDrillQuery *self, int year, int month, GError **error)
{
  LdPeriod period;

  g_return_val_if_fail (LD_IS_DRILL_QUERY (self), NULL);

  period = ld_period_month (self->time_zone, year, month);
  return ld_drill_table_new (store (self), &period, NULL, ld_time_now (), error);
}

char *
ld_drill_query_dup_unit_name (LdDrillQuery *self, const char *unit_code, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(LdUnit) unit = NULL;

  g_return_val_if_fail (LD_IS_DRILL_QUERY (self), NULL);

  unit = ld_store_get_unit (store (self), unit_code, &local_error);
  if (unit)
    return g_strdup (unit->name);
  /* A unit gone from the reference data is still named, by its code. */
  if (g_error_matches (local_error, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND))
    return g_strdup (unit_code);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

static void
ld_drill_query_dispose (GObject *object)
{
  LdDrillQuery *self = LD_DRILL_QUERY (object);

  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);

  G_OBJECT_CLASS (ld_drill_query_parent_class)->dispose (object);
}

static void
ld_drill_query_class_init (LdDrillQueryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ld_drill_query_dispose;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ld_drill_query_init (LdDrillQuery *self)
{
}
