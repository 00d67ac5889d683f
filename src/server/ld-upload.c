/* ld-upload.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-server"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ld-upload.h"

/* RFC 2046: a boundary is 1 to 70 characters. */
#define MAX_BOUNDARY 70
/* A part's headers are a line or two; more is not a form. */
#define MAX_PART_HEADERS (64 * 1024)

G_DEFINE_QUARK (ld-upload-error-quark, ld_upload_error)

static const char * const contract[] = {
  "regions.csv", "regions.geojson", "units.csv", "categories.csv", "incidents.csv", "orders.csv",
  "feedback.csv", "drills.csv", "drill_units.csv", "roll_calls.csv", NULL
};

typedef struct {
  const char *file;    /* the contract's own string */
  gsize       offset;  /* of its bytes in the body */
  gsize       length;
} Part;

static gboolean
malformed (GError **error)
{
  g_set_error_literal (error, LD_UPLOAD_ERROR, LD_UPLOAD_ERROR_NOT_MULTIPART,
                       _("The multipart/form-data body is malformed"));
  return FALSE;
}

/* The first @needle at or after @from that ends before @end. */
static const char *
find (const char *from, const char *end, const char *needle, gsize length)
{
  for (const char *p = from; (gsize) (end - p) >= length; p++)
    {
      p = memchr (p, needle[0], end - p - length + 1);
      if (p == NULL)
        return NULL;
      if (memcmp (p, needle, length) == 0)
        return p;
    }
  return NULL;
}

/* The next delimiter from @from on: @dash_boundary ("--" and the boundary)
 * at the start of the body or of a line, then "--" for the last one or
 * CRLF. The body is read here, not by libsoup: its 3.2 reader looks before
 * the bytes it is given and past their end (its issues 436 and 447), and
 * an import's body is a mapped file with nothing readable around it. */
static const char *
find_delimiter (const char *data, const char *from, const char *end, const char *dash_boundary, gsize length,
                gboolean *last)
{
  for (const char *p = find (from, end, dash_boundary, length); p; p = find (p + 1, end, dash_boundary, length))
    {
      const char *after = p + length;

      if (p != data && (p - data < 2 || p[-2] != '\r' || p[-1] != '\n'))
        continue;
      if (end - after < 2)
        return NULL;
      if (after[0] == '-' && after[1] == '-')
        {
          *last = TRUE;
          return p;
        }
      if (after[0] == '\r' && after[1] == '\n')
        {
          *last = FALSE;
          return p;
        }
    }
  return NULL;
}

/* Which interchange file a part is, as the contract's own string: the
 * path written is then never made of the client's bytes. NULL for a part
 * without Content-Disposition, which carries no file. */
static gboolean
part_file (SoupMessageHeaders *headers, const char **file, GError **error)
{
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *shown = NULL;
  const char *name;

  *file = NULL;
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
  /* The name goes back to the client in a JSON answer: UTF-8 only. */
  shown = g_utf8_make_valid (name ? name : "", -1);
  g_set_error (error, LD_UPLOAD_ERROR, LD_UPLOAD_ERROR_UNKNOWN_FILE,
               _("“%s” is not one of the interchange files"), shown);
  return FALSE;
}

gboolean
ld_upload_unpack (SoupMessageHeaders *headers, GBytes *body, const char *dir, GError **error)
{
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *dash_boundary = NULL;
  Part parts[G_N_ELEMENTS (contract) - 1];
  guint n_parts = 0;
  const char *type, *boundary, *data, *end, *start;
  gboolean last = FALSE;
  gsize size, length;

  g_return_val_if_fail (headers != NULL && body != NULL && dir != NULL, FALSE);

  type = soup_message_headers_get_content_type (headers, &params);
  boundary = type ? g_hash_table_lookup (params, "boundary") : NULL;
  if (type == NULL || !g_str_has_prefix (type, "multipart/") || boundary == NULL ||
      *boundary == '\0' || strlen (boundary) > MAX_BOUNDARY)
    {
      g_set_error_literal (error, LD_UPLOAD_ERROR, LD_UPLOAD_ERROR_NOT_MULTIPART,
                           _("Send the files as multipart/form-data"));
      return FALSE;
    }
  data = g_bytes_get_data (body, &size);
  if (size == 0)
    return malformed (error);
  end = data + size;
  dash_boundary = g_strconcat ("--", boundary, NULL);
  length = strlen (dash_boundary);

  /* Every part is judged before anything is written: only the contract's
   * names, so a part can never write elsewhere, and each once, so no file
   * silently replaces another. */
  start = find_delimiter (data, data, end, dash_boundary, length, &last);
  if (start == NULL)
    return malformed (error);
  while (!last)
    {
      g_autoptr(SoupMessageHeaders) part_headers = NULL;
      const char *line_end = start + length;
      const char *next, *blank, *bytes, *file;
      gboolean next_last = FALSE;

      /* Headers, a blank line, the bytes, and the CRLF that belongs to
       * the next delimiter; the delimiter's own CRLF ends the headers of
       * a part that has none. */
      next = find_delimiter (data, line_end + 2, end, dash_boundary, length, &next_last);
      blank = next ? find (line_end, next, "\r\n\r\n", 4) : NULL;
      if (blank == NULL || blank + 4 > next - 2 || blank - start > MAX_PART_HEADERS)
        return malformed (error);
      bytes = blank + 4;
      part_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
      if (!soup_headers_parse (start, blank + 2 - start, part_headers))
        return malformed (error);
      if (!part_file (part_headers, &file, error))
        return FALSE;
      if (file)
        {
          for (guint i = 0; i < n_parts; i++)
            if (parts[i].file == file)
              {
                g_set_error (error, LD_UPLOAD_ERROR, LD_UPLOAD_ERROR_DUPLICATE,
                             _("“%s” is sent twice"), file);
                return FALSE;
              }
          parts[n_parts++] = (Part) { file, bytes - data, next - 2 - bytes };
        }
      start = next;
      last = next_last;
    }

  for (guint i = 0; i < n_parts; i++)
    {
      g_autofree char *path = g_build_filename (dir, parts[i].file, NULL);

      if (!g_file_set_contents (path, data + parts[i].offset, parts[i].length, error))
        return FALSE;
    }
  return TRUE;
}
