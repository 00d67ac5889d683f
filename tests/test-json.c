/* test-json.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "ld-json.h"

/* @depth nested arrays, or objects {"a":…} when @object, around a 1. */
static char *
nested (guint depth, gboolean object)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (s, object ? "{\"a\":" : "[");
  g_string_append (s, "1");
  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, object ? '}' : ']');
  return g_string_free (s, FALSE);
}

static void
assert_refused (const char *text, gssize length, int code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = ld_json_parse (text, length, &error);

  g_assert_null (node);
  g_assert_error (error, LD_JSON_ERROR, code);
  g_assert_nonnull (error->message);
}

static void
test_deep_refused (void)
{
  g_autofree char *arrays = nested (85000, FALSE);
  g_autofree char *objects = nested (85000, TRUE);

  assert_refused (arrays, -1, LD_JSON_ERROR_TOO_DEEP);
  assert_refused (objects, strlen (objects), LD_JSON_ERROR_TOO_DEEP);
}

static void
test_depth_limit (void)
{
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *at_limit = nested (LD_JSON_MAX_DEPTH, i == 1);
      g_autofree char *beyond = nested (LD_JSON_MAX_DEPTH + 1, i == 1);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = ld_json_parse (at_limit, -1, &error);

      g_assert_no_error (error);
      g_assert_nonnull (node);
      assert_refused (beyond, -1, LD_JSON_ERROR_TOO_DEEP);
    }
}

static void
test_strings_not_counted (void)
{
  g_autoptr(GString) text = g_string_new ("{\"a\":\"");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  /* Brackets and commas in a string, and an escaped quote that does not end
   * it: were either counted, this would be 200 levels deep. */
  for (guint i = 0; i < 100; i++)
    g_string_append (text, "[{,\\\"[{");
  g_string_append (text, "\\\\\"}");
  node = ld_json_parse (text->str, text->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  object = json_node_get_object (node);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "a"), "[{,\"[{"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "a"), "\\"));
}

static void
test_malformed (void)
{
  static const char *bad[] = {
    "{\"a\":", "[1,2", "{\"a\" 1}", "nul", "]", "[1]]", "\"open",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_refused (bad[i], -1, LD_JSON_ERROR_MALFORMED);
}

/* What json-glib would take and turn into bytes that are not text, which
 * the store would keep and every pull serve again (found by fuzz-sync). */
static void
test_not_text (void)
{
  static const char *bad[] = {
    "{\"s\":\"\\351\"}",             /* an octal escape */
    "{\"s\":\"\\ud800\"}",           /* a lone high surrogate */
    "{\"s\":\"\\udc00x\"}",          /* a lone low surrogate */
    "{\"s\":\"\\ud83d\\u00de\"}",    /* a high surrogate before no low one */
    "{\"s\":\"\\u12\"}",             /* too few hex digits */
    "{\"s\":\"\xe9t\xe9\"}",         /* Latin-1, not UTF-8 */
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) good = ld_json_parse ("{\"s\":\"\\ud83d\\ude00 \\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u4e2d 中\"}", -1, &error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_refused (bad[i], -1, LD_JSON_ERROR_MALFORMED);
  /* Every escape JSON has, a surrogate pair among them, is taken. */
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (good), "s"), ==,
                   "\xf0\x9f\x98\x80 \" \\ / \b\f\n\r\t 中 中");
}

static void
test_empty (void)
{
  assert_refused ("", -1, LD_JSON_ERROR_MALFORMED);
  assert_refused ("", 0, LD_JSON_ERROR_MALFORMED);
  assert_refused ("  \n", -1, LD_JSON_ERROR_MALFORMED);
}

static void
test_too_many_members (void)
{
  GString *text = g_string_new ("[");
  g_autofree char *owned = NULL;

  for (guint i = 0; i < LD_JSON_MAX_MEMBERS; i++)
    g_string_append (text, "0,");
  g_string_append (text, "0]");
  owned = g_string_free (text, FALSE);
  assert_refused (owned, -1, LD_JSON_ERROR_TOO_LARGE);
}

static void
test_members_per_container (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = ld_json_parse ("{\"a\":[1,2,3],\"b\":{\"c\":[4,5]},\"d\":\"[,]\"}", -1, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_assert_cmpuint (json_object_get_size (json_node_get_object (node)), ==, 3);
}

static void
test_optional_number (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = ld_json_parse ("{\"n\":null,\"f\":30.7,\"i\":120,\"s\":\"30.7\",\"a\":[1],"
                                            "\"b\":true,\"o\":{},\"big\":1e999}", -1, &error);
  JsonObject *object;
  static const char *bad[] = { "s", "a", "b", "o", "big" };
  double v = 0;

  g_assert_no_error (error);
  object = json_node_get_object (node);
  g_assert_true (ld_json_get_optional_number (object, "absent", &v, &error));
  g_assert_true (isnan (v));
  g_assert_true (ld_json_get_optional_number (object, "n", &v, &error));
  g_assert_true (isnan (v));
  g_assert_true (ld_json_get_optional_number (object, "f", &v, &error));
  g_assert_cmpfloat (v, ==, 30.7);
  g_assert_true (ld_json_get_optional_number (object, "i", &v, &error));
  g_assert_cmpfloat (v, ==, 120);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *expected = g_strdup_printf ("“%s” must be a number", bad[i]);

      g_assert_false (ld_json_get_optional_number (object, bad[i], &v, &error));
      g_assert_error (error, LD_JSON_ERROR, LD_JSON_ERROR_MALFORMED);
      g_assert_cmpstr (error->message, ==, expected);
      g_assert_true (isnan (v));
      g_clear_error (&error);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/json/parse/deep-refused", test_deep_refused);
  g_test_add_func ("/json/parse/depth-limit", test_depth_limit);
  g_test_add_func ("/json/parse/strings-not-counted", test_strings_not_counted);
  g_test_add_func ("/json/parse/malformed", test_malformed);
  g_test_add_func ("/json/parse/empty", test_empty);
  g_test_add_func ("/json/parse/not-text", test_not_text);
  g_test_add_func ("/json/parse/too-many-members", test_too_many_members);
  g_test_add_func ("/json/parse/members-per-container", test_members_per_container);
  g_test_add_func ("/json/optional-number", test_optional_number);

  return g_test_run ();
}
