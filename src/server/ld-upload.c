/* ld-upload.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-server"

#include "config.h"

#include <glib/gi18n.h>

#include "ld-upload.h"

G_DEFINE_QUARK (ld-upload-error-quark, ld_upload_error)

static const char * const contract[] = {
  "regions.csv", "regions.geojson", "units.csv", "categories.csv", "incidents.csv", "orders.csv",
  "feedback.csv", "drills.csv", "drill_units.csv", "roll_calls.csv", NULL
};

/* Which interchange file part @i is, as the contract's own string: the
 * path written is then never made of the client's bytes. NULL for a part
 * without Content-Disposition, which carries no file. */
static gboolean
part_file (SoupMultipart *multipart, int i, GBytes *whole, const char **file, GError **error)
{
  SoupMessageHeaders *headers;
  GBytes *body;
  g_autoptr(GHashTable) params = NULL;
  const char *name;

  *file = NULL;
  soup_multipart_get_part (multipart, i, &headers, &body);
  /* libsoup 3.2 hands on a part whose size went below zero and wrapped
   * when a part's headers run into the next boundary (its issue 449). */
  if (g_bytes_get_size (body) > g_bytes_get_size (whole))
    {
      g_set_error_literal (error, LD_UPLOAD_ERROR, LD_UPLOAD_ERROR_NOT_MULTIPART,
                           _("The multipart/form-data body is malformed"));
      return FALSE;
    }
  if (!soup_message_headers_get_content_disposition (headers, NULL, &params))
    return TRUE;
  name = g_hash_table_lookup (params, "filename");
  if (name == NULL)
    name = g_hash_table_lookup (params, "name");
  for (guint k = 0; name && contract[k]; k++)
    if (g_str_equal (name, contract[k]))
      {
        *file = contract[k];
        return TRUE;
      }
  {
    /* The name goes back to the client in a JSON answer: UTF-8 only. */
    g_autofree char *shown = g_utf8_make_valid (name ? name : "", -1);
    g_set_error (error, LD_UPLOAD_ERROR, LD_UPLOAD_ERROR_UNKNOWN_FILE,
                 _("“%s” is not one of the interchange files"), shown);
  }
  return FALSE;
}

gboolean
ld_upload_unpack (SoupMessageHeaders *headers, GBytes *body, const char *dir, GError **error)
{
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autofree const char **files = NULL;
  int n;

  g_return_val_if_fail (headers != NULL && body != NULL && dir != NULL, FALSE);

  multipart = soup_multipart_new_from_message (headers, body);
  if (multipart == NULL)
    {
      g_set_error_literal (error, LD_UPLOAD_ERROR, LD_UPLOAD_ERROR_NOT_MULTIPART,
                           _("Send the files as multipart/form-data"));
      return FALSE;
    }

  /* Every name is judged before anything is written: only the contract's
   * names, so a part can never write elsewhere, and each once, so no file
   * silently replaces another. */
  n = soup_multipart_get_length (multipart);
  files = g_new0 (const char *, n + 1);
  for (int i = 0; i < n; i++)
    {
      if (!part_file (multipart, i, body, &files[i], error))
        return FALSE;
      for (int j = 0; files[i] && j < i; j++)
        if (files[j] == files[i])
          {
            g_set_error (error, LD_UPLOAD_ERROR, LD_UPLOAD_ERROR_DUPLICATE,
                         _("“%s” is sent twice"), files[i]);
            return FALSE;
          }
    }

  for (int i = 0; i < n; i++)
    {
      SoupMessageHeaders *part_headers;
      GBytes *part;
      g_autofree char *path = NULL;
      gsize size;
      const char *data;

      if (files[i] == NULL)
        continue;
      soup_multipart_get_part (multipart, i, &part_headers, &part);
      data = g_bytes_get_data (part, &size);
      path = g_build_filename (dir, files[i], NULL);
      if (!g_file_set_contents (path, data ? data : "", size, error))
        return FALSE;
    }
  return TRUE;
}
