/* ld-snapshot.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ld-store.h"

G_BEGIN_DECLS

/* Writes to a new file at @path a copy of the store for @user's first
 * sync, consistent as of one moment; @seq receives the sequence number it
 * is current to: pull from there. No copy holds password hashes, sessions
 * or taken operations. A unit's holds its own orders, their incidents,
 * feedback and return visits, their events, and of users only itself; an
 * administrator's every event as it is; anyone else's every event without
 * the device and the address of other users' changes. The file holds
 * nothing else of what it leaves out: no deleted row, free page, journal or
 * search term of it. It uses only @store's connection, attaching the copy
 * to it for the time of the call. */
gboolean      ld_snapshot_write     (LdStore       *store,
                                     const char    *path,
                                     const LdUser  *user,
                                     gint64        *seq,
                                     GError       **error);

G_END_DECLS
