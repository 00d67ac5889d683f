/* ld-json.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ld-json.h"

G_DEFINE_QUARK (ld-json-error-quark, ld_json_error)

static int
hex_quad (const char *data, gsize length, gsize at)
{
  int value = 0;

  if (at + 4 > length)
    return -1;
  for (gsize k = at; k < at + 4; k++)
    {
      int digit = g_ascii_xdigit_value (data[k]);
      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* The escape at data[*i] (a backslash), as JSON has them: json-glib also
 * takes octal ones and unpaired surrogates, and makes of them bytes that
 * are not UTF-8, which the store would keep and every pull serve again.
 * Leaves *i on the escape's last byte. */
static gboolean
check_escape (const char *data, gsize length, gsize *i, GError **error)
{
  gsize at = *i + 1;
  int unit, low;

  if (at < length && strchr ("\"\\/bfnrt", data[at]) != NULL && data[at] != '\0')
    {
      *i = at;
      return TRUE;
    }
  if (at >= length || data[at] != 'u' || (unit = hex_quad (data, length, at + 1)) < 0)
    goto bad;
  *i = at + 4;
  if (unit >= 0xDC00 && unit <= 0xDFFF)
    goto bad;
  if (unit >= 0xD800 && unit <= 0xDBFF)
    {
      /* A high surrogate stands only before a low one. */
      if (*i + 2 >= length || data[*i + 1] != '\\' || data[*i + 2] != 'u' ||
          (low = hex_quad (data, length, *i + 3)) < 0xDC00 || low > 0xDFFF)
        goto bad;
      *i += 6;
    }
  return TRUE;

bad:
  g_set_error (error, LD_JSON_ERROR, LD_JSON_ERROR_MALFORMED, _("The JSON has an escape that is not JSON's"));
  return FALSE;
}

/* One pass over the bytes: the text is UTF-8 and its escapes are JSON's;
 * outside strings, the depth of brackets and the commas of each open
 * container. It need not judge the rest of the syntax (json-glib does that
 * next), only refuse what json-glib cannot survive, would turn into bytes
 * that are not text, or should not spend memory on. */
static gboolean
check_shape (const char *data, gsize length, GError **error)
{
  guint members[LD_JSON_MAX_DEPTH + 1] = { 0 };
  guint depth = 0;
  gboolean in_string = FALSE;
  gboolean began = FALSE;   /* the top-level value has begun */
  /* json-glib skips a byte-order mark */
  gsize start = length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;

  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error (error, LD_JSON_ERROR, LD_JSON_ERROR_MALFORMED, _("The JSON is not UTF-8 text"));
      return FALSE;
    }
  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\' && !check_escape (data, length, &i, error))
            return FALSE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      /* json-glib 1.6 keeps the first of several top-level values and
       * leaks the others, whole (its issue 74). */
      if (depth == 0 && i >= start && !g_ascii_isspace (c))
        {
          if (began && (c == '{' || c == '[' || c == '"'))
            {
              g_set_error (error, LD_JSON_ERROR, LD_JSON_ERROR_MALFORMED, _("The JSON holds more than one value"));
              return FALSE;
            }
          if (c != '}' && c != ']')
            began = TRUE;
        }
      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (depth == LD_JSON_MAX_DEPTH)
            {
              g_set_error (error, LD_JSON_ERROR, LD_JSON_ERROR_TOO_DEEP,
                           _("The JSON nests objects and arrays deeper than %d levels"),
                           LD_JSON_MAX_DEPTH);
              return FALSE;
            }
          members[++depth] = 0;
          break;
        case ']':
        case '}':
          if (depth == 0)
            {
              g_set_error (error, LD_JSON_ERROR, LD_JSON_ERROR_MALFORMED,
                           _("The JSON closes a bracket it never opened"));
              return FALSE;
            }
          depth--;
          break;
        case ',':
          /* n commas separate n + 1 members. */
          if (++members[depth] >= LD_JSON_MAX_MEMBERS)
            {
              g_set_error (error, LD_JSON_ERROR, LD_JSON_ERROR_TOO_LARGE,
                           _("A JSON object or array has more than %d members"),
                           LD_JSON_MAX_MEMBERS);
              return FALSE;
            }
          break;
        default:
          break;
        }
    }
  return TRUE;
}

JsonNode *
ld_json_parse (const char *data, gssize length, GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize size;

  g_return_val_if_fail (data != NULL, NULL);

  size = length < 0 ? strlen (data) : (gsize) length;
  if (!check_shape (data, size, error))
    return NULL;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, size, &local_error))
    {
      /* json-glib quotes the bytes it choked on, which need not be text:
       * the answer that carries this message is JSON, and must be. */
      g_autofree char *reason = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, LD_JSON_ERROR, LD_JSON_ERROR_MALFORMED, _("The JSON is malformed: %s"), reason);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, LD_JSON_ERROR, LD_JSON_ERROR_MALFORMED, _("The JSON is empty"));
      return NULL;
    }
  return json_parser_steal_root (parser);
}

const char *
ld_json_get_string (JsonObject *object, const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

double
ld_json_get_number (JsonObject *object, const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NAN;
  type = json_node_get_value_type (node);
  return type == G_TYPE_DOUBLE || type == G_TYPE_INT64 ? json_node_get_double (node) : NAN;
}

gboolean
ld_json_get_optional_number (JsonObject *object, const char *name, double *out, GError **error)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  *out = NAN;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  *out = ld_json_get_number (object, name);
  if (isfinite (*out))
    return TRUE;
  *out = NAN;
  g_set_error (error, LD_JSON_ERROR, LD_JSON_ERROR_MALFORMED, _("“%s” must be a number"), name);
  return FALSE;
}

void
ld_json_add_string (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
ld_json_add_int (JsonBuilder *builder, const char *name, gint64 value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

void
ld_json_add_number (JsonBuilder *builder, const char *name, double value)
{
  json_builder_set_member_name (builder, name);
  if (isnan (value))
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, value);
}
