/* ld-auth.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LD_AUTH_ERROR (ld_auth_error_quark ())

typedef enum {
  LD_AUTH_ERROR_FAILED,     /* the crypto library could not run */
  LD_AUTH_ERROR_WEAK,       /* a password too short to keep */
} LdAuthError;

GQuark    ld_auth_error_quark     (void);
gboolean  ld_auth_init            (GError     **error);
/* (transfer full): the caller g_free()s the hash; NULL on error. */
char     *ld_auth_hash_password   (const char  *password,
                                   GError     **error);
/* (transfer none): made once and kept for the life of the process. */
const char *ld_auth_dummy_hash    (void);
gboolean  ld_auth_check_password  (const char  *hash,
                                   const char  *password);
/* A new random bearer token; @hash receives what the store may keep.
 * (transfer full) both: the caller g_free()s the token and *@hash. */
char     *ld_auth_new_token       (char       **hash);
/* (transfer full): the caller g_free()s the hash. */
char     *ld_auth_hash_token      (const char  *token);

G_END_DECLS
