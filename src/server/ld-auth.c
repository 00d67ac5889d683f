/* ld-auth.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-server"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "ld-auth.h"

/* Long enough to resist guessing at the rate limit the server allows. */
#define MIN_PASSWORD_LENGTH 8

G_DEFINE_QUARK (ld-auth-error-quark, ld_auth_error)

gboolean
ld_auth_init (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error (error, LD_AUTH_ERROR, LD_AUTH_ERROR_FAILED, _("The crypto library could not start"));
      return FALSE;
    }
  return TRUE;
}

/* argon2id with libsodium's interactive limits: a login costs the server
 * about 0.1 s and 64 MiB, an attacker with a stolen hash far more. */
char *
ld_auth_hash_password (const char *password, GError **error)
{
  char hash[crypto_pwhash_STRBYTES];

  if (g_utf8_strlen (password, -1) < MIN_PASSWORD_LENGTH)
    {
      g_set_error (error, LD_AUTH_ERROR, LD_AUTH_ERROR_WEAK,
                   _("A password needs at least %d characters"), MIN_PASSWORD_LENGTH);
      return NULL;
    }
  if (crypto_pwhash_str (hash, password, strlen (password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error (error, LD_AUTH_ERROR, LD_AUTH_ERROR_FAILED, _("Out of memory while hashing a password"));
      return NULL;
    }
  return g_strdup (hash);
}

gboolean
ld_auth_check_password (const char *hash, const char *password)
{
  return hash && password && crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

/* A hash of a password nobody knows, with the same cost as a real one:
 * checked against when the user is unknown, so that both answers take
 * the same time. Made once, the first time it is needed. */
const char *
ld_auth_dummy_hash (void)
{
  static char *hash;

  if (g_once_init_enter (&hash))
    {
      guchar secret[32];
      char text[sizeof secret * 2 + 1];
      char *made;

      randombytes_buf (secret, sizeof secret);
      sodium_bin2hex (text, sizeof text, secret, sizeof secret);
      made = ld_auth_hash_password (text, NULL);
      sodium_memzero (text, sizeof text);
      g_once_init_leave (&hash, made);
    }
  return hash;
}

char *
ld_auth_hash_token (const char *token)
{
  guchar digest[crypto_generichash_BYTES];
  char hex[crypto_generichash_BYTES * 2 + 1];

  crypto_generichash (digest, sizeof digest, (const guchar *) token, strlen (token), NULL, 0);
  return g_strdup (sodium_bin2hex (hex, sizeof hex, digest, sizeof digest));
}

char *
ld_auth_new_token (char **hash)
{
  guchar bytes[32];
  char token[sodium_base64_ENCODED_LEN (32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2base64 (token, sizeof token, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  *hash = ld_auth_hash_token (token);
  return g_strdup (token);
}
