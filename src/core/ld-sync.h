/* ld-sync.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ld-store.h"

G_BEGIN_DECLS

#define LD_SYNC_ERROR (ld_sync_error_quark ())

typedef enum {
  LD_SYNC_ERROR_MALFORMED,   /* not an operation */
  LD_SYNC_ERROR_FORBIDDEN,   /* the user's role or unit may not */
} LdSyncError;

typedef enum {
  LD_SYNC_ACCEPTED,
  LD_SYNC_DUPLICATE,         /* taken before: nothing changed again */
  LD_SYNC_REFUSED,
} LdSyncStatus;

GQuark        ld_sync_error_quark   (void);

/* Applies one operation of @user, coming from @actor's device and address:
 * {"id", "entity", "entity_id", "action", "at", "fields"}. The operation's
 * id makes it idempotent. On LD_SYNC_ACCEPTED and LD_SYNC_DUPLICATE @seq is
 * the change's sequence number; on LD_SYNC_REFUSED @error says why and the
 * store is unchanged. */
LdSyncStatus  ld_sync_apply         (LdStore       *store,
                                     JsonObject    *operation,
                                     const LdUser  *user,
                                     const LdActor *actor,
                                     gint64        *seq,
                                     GError       **error);

/* Validates and applies @operation as ld_sync_apply() does, without
 * taking note of its id: a replica replays its pending operations over the
 * server's records, and only the server decides what was taken. */
gboolean      ld_sync_apply_local   (LdStore       *store,
                                     JsonObject    *operation,
                                     const LdUser  *user,
                                     const LdActor *actor,
                                     GError       **error);

/* One record as a pull carries it ("incident", "order", or "drill" with
 * its "units" and "notes"), or NULL when the store has none. */
JsonNode     *ld_sync_get_record    (LdStore       *store,
                                     const char    *entity,
                                     const char    *id);
/* Writes the server's version of a record into a replica. */
gboolean      ld_sync_put_record    (LdStore       *store,
                                     const char    *entity,
                                     JsonObject    *record,
                                     GError       **error);

/* The records changed after sequence @since that @user may see (a unit
 * sees its own orders and their incidents, and no drill), oldest first, at
 * most @limit changes: {"changes": [{"seq", "entity", "id", "record"}],
 * "last_seq", "more", "snapshot_required"}. */
JsonNode     *ld_sync_changes       (LdStore       *store,
                                     gint64         since,
                                     guint          limit,
                                     const LdUser  *user,
                                     GError       **error);

G_END_DECLS
