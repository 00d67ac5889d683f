/* ld-snapshot.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ld-store.h"

G_BEGIN_DECLS

/* Writes to @path a copy of the store for @user's first sync: consistent
 * as of one moment, without password hashes, sessions or taken operations,
 * and for a unit only its own orders and their incidents. @seq receives the
 * sequence number the copy is current to: pull from there. */
gboolean      ld_snapshot_write     (LdStore       *store,
                                     const char    *path,
                                     const LdUser  *user,
                                     gint64        *seq,
                                     GError       **error);

G_END_DECLS
