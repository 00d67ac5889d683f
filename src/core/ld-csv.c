/* ld-csv.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ld-csv.h"

G_DEFINE_QUARK (ld-csv-error-quark, ld_csv_error)

struct _LdCsvReader
{
  char        *name;
  gboolean     was_gb18030;

  /* The text, held by exactly one of these: a file that is UTF-8 already
   * is only mapped, never copied. */
  GMappedFile *mapped;
  char        *owned;
  const char  *pos;
  const char  *end;
  guint        line;          /* physical line at pos */

  char       **columns;
  guint        n_columns;

  /* The current record: its fields unescaped into one reused buffer, each
   * NUL-terminated, so a million-row import allocates nothing per field.
   * Offsets rather than pointers, as the buffer may move while it grows. */
  char        *buf;
  gsize        buf_len;
  gsize        buf_size;
  gsize       *starts;
  guint        n_fields;
  guint        starts_size;
  guint        record_line;
  /* Set when the record outgrows a bound: the rest of it is only read past. */
  enum { FITS, FIELD_TOO_LONG, RECORD_TOO_LONG } too_long;
};

/* Bytes that end a run of ordinary field content. */
static const gboolean unquoted_stop[256] = {
  [','] = TRUE, ['\n'] = TRUE, ['"'] = TRUE,
};

static const gboolean quoted_stop[256] = {
  ['\n'] = TRUE, ['"'] = TRUE,
};

static inline gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

static inline void
append (LdCsvReader *self, const char *bytes, gsize length)
{
  if (self->too_long)
    return;
  if (self->buf_len - self->starts[self->n_fields - 1] + length > LD_CSV_MAX_FIELD_BYTES)
    {
      self->too_long = FIELD_TOO_LONG;
      return;
    }
  /* One spare byte for the field's NUL. */
  if (self->buf_len + length + 1 > self->buf_size)
    {
      while (self->buf_len + length + 1 > self->buf_size)
        self->buf_size *= 2;
      self->buf = g_realloc (self->buf, self->buf_size);
    }
  memcpy (self->buf + self->buf_len, bytes, length);
  self->buf_len += length;
}

static inline void
begin_field (LdCsvReader *self, const char *record, const char *p)
{
  if (!self->too_long && (gsize) (p - record) > LD_CSV_MAX_RECORD_BYTES)
    self->too_long = RECORD_TOO_LONG;
  if (self->too_long)
    return;
  if (self->n_fields == self->starts_size)
    {
      self->starts_size *= 2;
      self->starts = g_renew (gsize, self->starts, self->starts_size);
    }
  self->starts[self->n_fields++] = self->buf_len;
}

/* Leaves the reader at the end, so that nothing after a syntax error is
 * mistaken for a record. */
static void
syntax_error (LdCsvReader *self, GError **error, guint line, const char *reason)
{
  g_set_error (error, LD_CSV_ERROR, LD_CSV_ERROR_SYNTAX, "%s:%u: %s", self->name, line, reason);
  self->pos = self->end;
  self->n_fields = 0;
}

static gboolean
read_record (LdCsvReader *self, GError **error)
{
  const char *p = self->pos;
  const char *end = self->end;
  const char *record;

  self->n_fields = 0;
  self->buf_len = 0;
  self->too_long = FITS;
  for (;;)
    {
      if (p < end && p[0] == '\n')
        p++;
      else if (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
        p += 2;
      else
        break;
      self->line++;
    }
  self->pos = p;
  if (p == end)
    return FALSE;
  self->record_line = self->line;
  record = p;

  for (;;)
    {
      begin_field (self, record, p);
      while (p < end && is_blank (*p))
        p++;

      if (p < end && *p == '"')
        {
          guint quote_line = self->line;

          p++;
          for (;;)
            {
              const char *run = p;

              while (p < end && !quoted_stop[(guchar) *p])
                p++;
              append (self, run, p - run);
              if (p == end)
                {
                  syntax_error (self, error, quote_line, _("unterminated quoted field"));
                  return FALSE;
                }
              if (*p == '\n')
                {
                  append (self, "\n", 1);
                  self->line++;
                  p++;
                }
              else if (end - p >= 2 && p[1] == '"')
                {
                  append (self, "\"", 1);
                  p += 2;
                }
              else
                {
                  p++;
                  break;
                }
            }
          while (p < end && (is_blank (*p) || *p == '\r'))
            p++;
          if (p < end && *p != ',' && *p != '\n')
            {
              syntax_error (self, error, self->line, _("stray quote"));
              return FALSE;
            }
        }
      else
        {
          const char *start = p;
          const char *value_end;

          while (p < end && !unquoted_stop[(guchar) *p])
            p++;
          if (p < end && *p == '"')
            {
              syntax_error (self, error, self->line, _("stray quote"));
              return FALSE;
            }
          /* A CR before the LF is trimmed with the blanks, which is all
           * CRLF needs; a CR inside a field stays content. */
          value_end = p;
          while (value_end > start && (is_blank (value_end[-1]) || value_end[-1] == '\r'))
            value_end--;
          append (self, start, value_end - start);
        }
      if (!self->too_long)
        self->buf[self->buf_len++] = '\0';

      if (p == end)
        break;
      if (*p++ == '\n')
        {
          self->line++;
          break;
        }
    }

  self->pos = p;
  if (self->too_long == FIELD_TOO_LONG)
    g_set_error (error, LD_CSV_ERROR, LD_CSV_ERROR_TOO_LONG, _("%s:%u: a field is longer than %u KiB"),
                 self->name, self->record_line, LD_CSV_MAX_FIELD_BYTES / 1024);
  else if (self->too_long == RECORD_TOO_LONG)
    g_set_error (error, LD_CSV_ERROR, LD_CSV_ERROR_TOO_LONG, _("%s:%u: the record is longer than %u MiB"),
                 self->name, self->record_line, LD_CSV_MAX_RECORD_BYTES / (1024 * 1024));
  if (self->too_long)
    {
      self->n_fields = 0;
      return FALSE;
    }
  return TRUE;
}

/* Decodes the text that self->mapped or self->owned holds and reads the
 * header. */
static gboolean
reader_init (LdCsvReader *self, const char *data, gsize length, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  /* Validation also refuses NUL bytes, which could not be told apart from
   * the end of a field. */
  if (!g_utf8_validate_len (data, length, NULL))
    {
      gsize converted_length = 0;
      g_autofree char *converted = g_convert (data, length, "UTF-8", "GB18030",
                                              NULL, &converted_length, NULL);

      if (converted == NULL || memchr (converted, '\0', converted_length) != NULL)
        {
          g_set_error (error, LD_CSV_ERROR, LD_CSV_ERROR_ENCODING,
                       _("%s: not UTF-8 or GB18030 text"), self->name);
          return FALSE;
        }
      g_clear_pointer (&self->mapped, g_mapped_file_unref);
      g_free (self->owned);
      self->owned = g_steal_pointer (&converted);
      data = self->owned;
      length = converted_length;
      self->was_gb18030 = TRUE;
    }

  /* After decoding, so that a GB18030 byte order mark goes too. */
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      data += 3;
      length -= 3;
    }
  self->pos = data;
  self->end = data + length;
  self->line = 1;

  self->buf_size = 1024;
  self->buf = g_malloc (self->buf_size);
  self->starts_size = 16;
  self->starts = g_new (gsize, self->starts_size);

  if (!read_record (self, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, LD_CSV_ERROR, LD_CSV_ERROR_EMPTY, _("%s: no header row"), self->name);
      return FALSE;
    }

  self->n_columns = self->n_fields;
  self->columns = g_new (char *, self->n_columns + 1);
  for (guint i = 0; i < self->n_columns; i++)
    self->columns[i] = g_strstrip (g_strdup (self->buf + self->starts[i]));
  self->columns[self->n_columns] = NULL;

  return TRUE;
}

LdCsvReader *
ld_csv_reader_new_for_path (const char  *path,
                            GError     **error)
{
  g_autoptr(LdCsvReader) self = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *contents;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (LdCsvReader, 1);
  self->name = g_strdup (path);
  self->mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (self->mapped == NULL)
    {
      /* GLib's message already names the file and is translated. */
      g_set_error_literal (error, LD_CSV_ERROR, LD_CSV_ERROR_IO, local_error->message);
      return NULL;
    }
  /* An empty file maps to NULL. */
  contents = g_mapped_file_get_contents (self->mapped);
  if (!reader_init (self, contents != NULL ? contents : "",
                    g_mapped_file_get_length (self->mapped), error))
    return NULL;
  return g_steal_pointer (&self);
}

LdCsvReader *
ld_csv_reader_new_for_data (const char  *name,
                            const char  *data,
                            gsize        length,
                            GError     **error)
{
  g_autoptr(LdCsvReader) self = NULL;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (LdCsvReader, 1);
  self->name = g_strdup (name);
  /* The caller's data need not outlive the reader; the spare byte keeps an
   * empty text from being NULL. */
  self->owned = g_malloc (length + 1);
  if (length > 0)
    memcpy (self->owned, data, length);
  if (!reader_init (self, self->owned, length, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
ld_csv_reader_free (LdCsvReader *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_clear_pointer (&self->mapped, g_mapped_file_unref);
  g_free (self->owned);
  g_strfreev (self->columns);
  g_free (self->buf);
  g_free (self->starts);
  g_free (self);
}

const char *
ld_csv_reader_get_name (LdCsvReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->name;
}

gboolean
ld_csv_reader_was_gb18030 (LdCsvReader *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->was_gb18030;
}

guint
ld_csv_reader_get_n_columns (LdCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_columns;
}

int
ld_csv_reader_column (LdCsvReader *self,
                      const char  *name)
{
  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);

  for (guint i = 0; i < self->n_columns; i++)
    if (g_ascii_strcasecmp (self->columns[i], name) == 0)
      return (int) i;
  return -1;
}

gboolean
ld_csv_reader_require_columns (LdCsvReader        *self,
                               const char * const *names,
                               GError            **error)
{
  g_autoptr(GString) missing = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (names != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (ld_csv_reader_column (self, names[i]) >= 0)
        continue;
      if (missing == NULL)
        missing = g_string_new (names[i]);
      else
        g_string_append_printf (missing, ", %s", names[i]);
    }
  if (missing != NULL)
    {
      g_set_error (error, LD_CSV_ERROR, LD_CSV_ERROR_MISSING_COLUMN,
                   _("%s: missing column(s): %s"), self->name, missing->str);
      return FALSE;
    }
  return TRUE;
}

gboolean
ld_csv_reader_next (LdCsvReader  *self,
                    GError      **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return read_record (self, error);
}

guint
ld_csv_reader_get_line (LdCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->record_line;
}

guint
ld_csv_reader_get_n_fields (LdCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_fields;
}

const char *
ld_csv_reader_get (LdCsvReader *self,
                   int          column)
{
  const char *value;

  g_return_val_if_fail (self != NULL, NULL);

  if (column < 0 || (guint) column >= self->n_fields)
    return NULL;
  value = self->buf + self->starts[column];
  return value[0] != '\0' ? value : NULL;
}

void
ld_csv_append_field (GString    *line,
                     const char *value)
{
  gsize length;

  g_return_if_fail (line != NULL);

  if (value == NULL || value[0] == '\0')
    return;
  /* Unquoted cells lose their surrounding blanks when read back. */
  length = strlen (value);
  if (strpbrk (value, ",\"\r\n") == NULL && !is_blank (value[0]) && !is_blank (value[length - 1]))
    {
      g_string_append_len (line, value, length);
      return;
    }
  g_string_append_c (line, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}
