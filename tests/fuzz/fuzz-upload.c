/* fuzz-upload.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target: an input is the Content-Type of a POST /import on its
 * first line (multipart/form-data; boundary=…) and the body after it,
 * unpacked into a scratch folder that is emptied after each input.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ld-upload.h"

static const char * const contract[] = {
  "regions.csv", "regions.geojson", "units.csv", "categories.csv", "incidents.csv", "orders.csv",
  "feedback.csv", "drills.csv", "drill_units.csv", "roll_calls.csv", NULL
};

static char *dir;

/* Empties the scratch folder; returns how many files it held. */
static guint
empty_dir (void)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_assert_true (g_strv_contains (contract, name));
      g_assert_cmpint (g_unlink (path), ==, 0);
      n++;
    }
  return n;
}

static void
remove_dir (void)
{
  empty_dir ();
  g_rmdir (dir);
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  dir = g_dir_make_tmp ("fuzz-upload-XXXXXX", NULL);
  g_assert_nonnull (dir);
  atexit (remove_dir);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *text = (const char *) data;
  const char *eol = memchr (text, '\n', size);
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *content_type = NULL;
  gsize line;

  if (eol == NULL)
    return 0;
  line = eol - text;
  if (line > 0 && text[line - 1] == '\r')
    line--;
  /* libsoup's header parser never hands on a value holding these. */
  if (memchr (text, '\r', line) || memchr (text, '\0', line))
    return 0;
  content_type = g_strndup (text, line);
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_append (headers, "Content-Type", content_type);

  /* A block of its own, as the server's mapped file: a read before or
   * after it is AddressSanitizer's to catch. */
  body = g_bytes_new (eol + 1, size - (eol + 1 - text));

  if (ld_upload_unpack (headers, body, dir, &error))
    empty_dir ();
  else
    {
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      /* A refused body writes nothing. */
      if (error->domain == LD_UPLOAD_ERROR)
        g_assert_cmpuint (empty_dir (), ==, 0);
      else
        empty_dir ();
    }
  return 0;
}
