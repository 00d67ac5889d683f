/* ld-sync-engine.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "ld-account.h"
#include "ld-replica.h"

G_BEGIN_DECLS

typedef enum {
  LD_SYNC_STATE_OFFLINE,     /* no link to the server; retrying with backoff */
  LD_SYNC_STATE_CONNECTING,
  LD_SYNC_STATE_ONLINE,      /* the live feed is open */
  LD_SYNC_STATE_SIGNED_OUT,  /* the server no longer takes the token */
} LdSyncState;

#define LD_TYPE_SYNC_STATE (ld_sync_state_get_type ())
GType ld_sync_state_get_type (void);

#define LD_TYPE_SYNC_ENGINE (ld_sync_engine_get_type ())

G_DECLARE_FINAL_TYPE (LdSyncEngine, ld_sync_engine, LD, SYNC_ENGINE, GObject)

/* Carries a replica's outbox to the server and the server's changes back:
 * the live feed says when there is something to pull, pushes follow every
 * local change, and a lost link is retried with exponential backoff. The
 * engine forwards the replica's "changed", "drills-changed" and "refused"
 * signals, so that its listeners survive the replica being replaced by a
 * fresh snapshot (which notifies "replica"). The engine keeps references
 * to @session, @account and @replica. */
LdSyncEngine  *ld_sync_engine_new          (SoupSession   *session,
                                            LdAccount     *account,
                                            LdReplica     *replica);
void           ld_sync_engine_start        (LdSyncEngine  *self);
void           ld_sync_engine_stop         (LdSyncEngine  *self);

/* (transfer none): the engine's; a fresh snapshot replaces it
 * ("notify::replica") and the engine drops it, so ask again rather than
 * keep it. */
LdReplica     *ld_sync_engine_get_replica  (LdSyncEngine  *self);
/* (transfer none): the current replica's store, what every page reads;
 * replaced with the replica, so ask again rather than keep it. */
LdStore       *ld_sync_engine_get_store    (LdSyncEngine  *self);
/* A read of the server's that is not in the replica (GET @path under
 * /api/v1), with the engine's session and sign-in. */
void           ld_sync_engine_get_async    (LdSyncEngine        *self,
                                            const char          *path,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
/* (transfer full): the answer, or NULL with @error set (LD_CLIENT_ERROR). */
JsonNode      *ld_sync_engine_get_finish   (LdSyncEngine        *self,
                                            GAsyncResult        *result,
                                            GError             **error);
/* (transfer none): the engine's, for its lifetime. */
LdAccount     *ld_sync_engine_get_account  (LdSyncEngine  *self);
LdSyncState    ld_sync_engine_get_state    (LdSyncEngine  *self);
guint          ld_sync_engine_get_n_pending (LdSyncEngine *self);
/* Why the last exchange failed, or how many of the server's records could
 * not be read and were skipped, or NULL. (transfer none) (nullable): valid
 * until the next exchange ("notify::last-error"). */
const char    *ld_sync_engine_get_last_error (LdSyncEngine *self);
/* TRUE while nothing is waiting to go out or come in. */
gboolean       ld_sync_engine_is_idle      (LdSyncEngine  *self);

/* Applies @operation locally at once and sends it when it can.
 * (transfer none): @operation stays the caller's, with its "id" and "at"
 * filled in when they were absent. */
gboolean       ld_sync_engine_submit       (LdSyncEngine  *self,
                                            JsonObject    *operation,
                                            GError       **error);
/* The same for an operation made of its parts, as most desks send them:
 * @action on @entity @entity_id with @fields (transfer full, nullable for
 * none), its id and time the engine's. */
gboolean       ld_sync_engine_submit_action (LdSyncEngine *self,
                                             const char   *entity,
                                             const char   *entity_id,
                                             const char   *action,
                                             JsonObject   *fields,
                                             GError      **error);
/* Retries the link now instead of at the end of the backoff. */
void           ld_sync_engine_reconnect    (LdSyncEngine  *self);
/* The first retry delay in milliseconds (tests shorten it). */
void           ld_sync_engine_set_min_backoff (LdSyncEngine *self,
                                               guint         ms);

G_END_DECLS
