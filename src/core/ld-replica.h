/* ld-replica.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ld-store.h"

G_BEGIN_DECLS

#define LD_TYPE_REPLICA (ld_replica_get_type ())

G_DECLARE_FINAL_TYPE (LdReplica, ld_replica, LD, REPLICA, GObject)

/* A desktop's copy of the server's store: the server's records with this
 * desktop's pending operations applied over them. Each operation is applied
 * at once and kept in the outbox until the server answers; the server's
 * version of every record an operation touched is kept beside it, so a
 * refused operation is undone exactly and a pulled change is rebased under
 * the pending ones. Knows nothing of the network: the sync engine carries
 * what it hands out. */
/* (transfer full): keeps a ref on @store and copies @user and @device. */
LdReplica    *ld_replica_new             (LdStore       *store,
                                          const LdUser  *user,
                                          const char    *device);
/* (transfer none): the store and the user live as long as the replica. */
LdStore      *ld_replica_get_store       (LdReplica     *self);
const LdUser *ld_replica_get_user        (LdReplica     *self);
/* The server sequence the replica is current to. */
gint64        ld_replica_get_last_seq    (LdReplica     *self);
guint         ld_replica_get_n_pending   (LdReplica     *self);

/* Applies @operation ({"entity", "entity_id", "action", "fields"}; "id" and
 * "at" are filled in when absent) to the replica and queues it for the
 * server. An operation the replica already refuses (the state machine, the
 * role) is not queued and changes nothing. @operation is (transfer none):
 * filled in in place (the caller can read the id given) and queued as
 * text, never kept. */
gboolean      ld_replica_submit          (LdReplica     *self,
                                          JsonObject    *operation,
                                          GError       **error);
/* The oldest @limit pending operations, as the server's push takes them;
 * empty when the outbox cannot be read. (transfer full): the caller
 * json_array_unref()s it; the outbox keeps its own copies. */
JsonArray    *ld_replica_peek            (LdReplica     *self,
                                          guint          limit);
/* Takes the server's answers to a push ({"id", "status", "code", "reason"}):
 * taken operations leave the outbox, refused ones are undone and announced
 * by the "refused" signal. @results is (transfer none), only read. */
gboolean      ld_replica_settle          (LdReplica     *self,
                                          JsonArray     *results,
                                          GError       **error);
/* Takes one page of the server's changes (the answer to a pull). A record
 * the replica cannot read is left out with a warning, and counted in
 * @n_skipped (nullable); the page is taken all the same. @page is
 * (transfer none), only read. */
gboolean      ld_replica_merge           (LdReplica     *self,
                                          JsonObject    *page,
                                          guint         *n_skipped,
                                          GError       **error);
/* Queues operations made on another copy (a replica being replaced by a
 * fresh snapshot), applying those that still apply. @operations is
 * (transfer none): queued as text, not kept. */
gboolean      ld_replica_adopt           (LdReplica     *self,
                                          JsonArray     *operations,
                                          GError       **error);
gboolean      ld_replica_set_last_seq    (LdReplica     *self,
                                          gint64         seq,
                                          GError       **error);

G_END_DECLS
