/* ld-account.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "ld-replica.h"

G_BEGIN_DECLS

#define LD_TYPE_ACCOUNT (ld_account_get_type ())

G_DECLARE_FINAL_TYPE (LdAccount, ld_account, LD, ACCOUNT, GObject)

/* One user on one server, and where this desktop keeps them: a folder
 * under @base_dir holding the session (readable by the user alone) and
 * the replica. Signing in again reuses the folder, so the replica and its
 * outbox survive a new session. (transfer full): the caller g_free()s
 * the path. */
char          *ld_account_dir_for          (const char          *base_dir,
                                            const char          *server_url,
                                            const char          *user_name);

void           ld_account_login_async      (SoupSession         *session,
                                            const char          *base_dir,
                                            const char          *server_url,
                                            const char          *user_name,
                                            const char          *password,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
/* (transfer full): the caller unrefs the account. */
LdAccount     *ld_account_login_finish     (GAsyncResult        *result,
                                            GError             **error);
/* The session kept by an earlier sign-in, or NULL (G_IO_ERROR_NOT_FOUND).
 * (transfer full): the caller unrefs the account. */
LdAccount     *ld_account_load             (const char          *base_dir,
                                            const char          *server_url,
                                            const char          *user_name,
                                            GError             **error);
/* Makes the token ready: at once from the private file, or from the
 * keyring (which may first ask the user to unlock it). */
void           ld_account_unlock_async     (LdAccount           *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean       ld_account_unlock_finish    (LdAccount           *self,
                                            GAsyncResult        *result,
                                            GError             **error);
/* Forgets the session token here (the replica and its outbox stay). */
gboolean       ld_account_sign_out         (LdAccount           *self,
                                            GError             **error);

/* The getters' strings and user are (transfer none): the account's own,
 * living as long as it does; the token is (nullable) while it waits in a
 * locked keyring or after ld_account_sign_out(), which frees it. */
const char    *ld_account_get_server_url   (LdAccount           *self);
const char    *ld_account_get_token        (LdAccount           *self);
const char    *ld_account_get_device       (LdAccount           *self);
const char    *ld_account_get_dir          (LdAccount           *self);
const LdUser  *ld_account_get_user         (LdAccount           *self);
/* Whether the server holds a training store: practice, never live. */
gboolean       ld_account_get_training     (LdAccount           *self);
/* (transfer full): the caller g_free()s the path. */
char          *ld_account_get_replica_path (LdAccount           *self);
gboolean       ld_account_has_replica      (LdAccount           *self);

/* Opens the replica, downloading the server's snapshot first when this
 * desktop has none. */
void           ld_account_open_replica_async  (LdAccount           *self,
                                               SoupSession         *session,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* (transfer full): the caller unrefs the replica. */
LdReplica     *ld_account_open_replica_finish (LdAccount           *self,
                                               GAsyncResult        *result,
                                               GError             **error);
/* Downloads a fresh snapshot to @path; @seq receives where to pull from. */
void           ld_account_download_snapshot_async  (LdAccount           *self,
                                                    SoupSession         *session,
                                                    const char          *path,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean       ld_account_download_snapshot_finish (LdAccount           *self,
                                                    GAsyncResult        *result,
                                                    gint64              *seq,
                                                    GError             **error);

G_END_DECLS
