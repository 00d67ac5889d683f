/* test-csv.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <string.h>

#include "ld-csv.h"

static LdCsvReader *
reader_for_length (const char *text, gsize length)
{
  g_autoptr(GError) error = NULL;
  LdCsvReader *csv = ld_csv_reader_new_for_data ("test.csv", text, length, &error);

  g_assert_no_error (error);
  g_assert_nonnull (csv);
  return csv;
}

static LdCsvReader *
reader_for (const char *text)
{
  return reader_for_length (text, strlen (text));
}

static void
assert_next (LdCsvReader *csv, guint line, guint n_fields)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ld_csv_reader_next (csv, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ld_csv_reader_get_line (csv), ==, line);
  g_assert_cmpuint (ld_csv_reader_get_n_fields (csv), ==, n_fields);
}

static void
assert_end (LdCsvReader *csv)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (ld_csv_reader_next (csv, &error));
  g_assert_no_error (error);
  g_assert_false (ld_csv_reader_next (csv, &error));
  g_assert_no_error (error);
}

static void
assert_syntax_error (LdCsvReader *csv, const char *message)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (ld_csv_reader_next (csv, &error));
  g_assert_error (error, LD_CSV_ERROR, LD_CSV_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, message);
  assert_end (csv);
}

static void
test_plain (void)
{
  g_autoptr(LdCsvReader) csv = reader_for ("code,name\nA,Unit A\nB,Unit B\n");

  g_assert_cmpstr (ld_csv_reader_get_name (csv), ==, "test.csv");
  g_assert_false (ld_csv_reader_was_gb18030 (csv));
  g_assert_cmpuint (ld_csv_reader_get_n_columns (csv), ==, 2);
  g_assert_cmpuint (ld_csv_reader_get_line (csv), ==, 1);
  assert_next (csv, 2, 2);
  g_assert_cmpstr (ld_csv_reader_get (csv, 0), ==, "A");
  g_assert_cmpstr (ld_csv_reader_get (csv, 1), ==, "Unit A");
  assert_next (csv, 3, 2);
  g_assert_cmpstr (ld_csv_reader_get (csv, 0), ==, "B");
  g_assert_cmpstr (ld_csv_reader_get (csv, 1), ==, "Unit B");
  assert_end (csv);
}

static void
test_bom (void)
{
  g_autoptr(LdCsvReader) csv = reader_for ("\xef\xbb\xbf" "code,name\nA,单位甲\n");

  g_assert_cmpint (ld_csv_reader_column (csv, "code"), ==, 0);
  g_assert_false (ld_csv_reader_was_gb18030 (csv));
  assert_next (csv, 2, 2);
  g_assert_cmpstr (ld_csv_reader_get (csv, 0), ==, "A");
  g_assert_cmpstr (ld_csv_reader_get (csv, 1), ==, "单位甲");
  assert_end (csv);
}

static void
test_gb18030 (void)
{
  static const char utf8[] = "region,address\n嘉兴市南湖区,由拳路富润路口\n\"南湖区\n新兴街道\",\"“路面”有石子\"\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(LdCsvReader) csv = NULL;
  g_autofree char *gb = NULL;
  gsize length = 0;

  gb = g_convert (utf8, -1, "GB18030", "UTF-8", NULL, &length, &error);
  g_assert_no_error (error);
  g_assert_false (g_utf8_validate_len (gb, length, NULL));

  csv = reader_for_length (gb, length);
  g_assert_true (ld_csv_reader_was_gb18030 (csv));
  assert_next (csv, 2, 2);
  g_assert_cmpstr (ld_csv_reader_get (csv, 0), ==, "嘉兴市南湖区");
  g_assert_cmpstr (ld_csv_reader_get (csv, 1), ==, "由拳路富润路口");
  assert_next (csv, 3, 2);
  g_assert_cmpstr (ld_csv_reader_get (csv, 0), ==, "南湖区\n新兴街道");
  g_assert_cmpstr (ld_csv_reader_get (csv, 1), ==, "“路面”有石子");
  assert_end (csv);
}

static void
test_gb18030_bom (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdCsvReader) csv = NULL;
  g_autofree char *gb = NULL;
  gsize length = 0;

  gb = g_convert ("\xef\xbb\xbf" "地址\n由拳路\n", -1, "GB18030", "UTF-8", NULL, &length, &error);
  g_assert_no_error (error);

  csv = reader_for_length (gb, length);
  g_assert_true (ld_csv_reader_was_gb18030 (csv));
  g_assert_cmpint (ld_csv_reader_column (csv, "地址"), ==, 0);
  assert_next (csv, 2, 1);
  g_assert_cmpstr (ld_csv_reader_get (csv, 0), ==, "由拳路");
  assert_end (csv);
}

static void
test_not_text (void)
{
  static const char *const cases[] = {
    "id,name\n\xff\xfe\xff,x\n",
    "id,name\n\x80,x\n",
    /* A GB18030 lead byte cut off by the end of the file. */
    "id,name\nA,\xc4",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LdCsvReader) csv = NULL;

      csv = ld_csv_reader_new_for_data ("bad.csv", cases[i], strlen (cases[i]), &error);
      g_assert_null (csv);
      g_assert_error (error, LD_CSV_ERROR, LD_CSV_ERROR_ENCODING);
      g_assert_cmpstr (error->message, ==, "bad.csv: not UTF-8 or GB18030 text");
    }
}

static void
test_nul (void)
{
  static const char bytes[] = "id,name\nA\0B,x\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(LdCsvReader) csv = NULL;

  csv = ld_csv_reader_new_for_data ("nul.csv", bytes, sizeof bytes - 1, &error);
  g_assert_null (csv);
  g_assert_error (error, LD_CSV_ERROR, LD_CSV_ERROR_ENCODING);
}

static void
test_crlf (void)
{
  g_autoptr(LdCsvReader) csv = reader_for ("code,name\r\n"
                                           "A,Unit A\r\n"
                                           "\r\n"
                                           "B,\"Unit\r\nB\"\r\n"
                                           "C,\r\n");

  g_assert_cmpint (ld_csv_reader_column (csv, "name"), ==, 1);
  assert_next (csv, 2, 2);
  g_assert_cmpstr (ld_csv_reader_get (csv, 1), ==, "Unit A");
  assert_next (csv, 4, 2);
  /* Inside quotes a CRLF is content. */
  g_assert_cmpstr (ld_csv_reader_get (csv, 1), ==, "Unit\r\nB");
  assert_next (csv, 6, 2);
  g_assert_cmpstr (ld_csv_reader_get (csv, 0), ==, "C");
  g_assert_null (ld_csv_reader_get (csv, 1));
  assert_end (csv);
}

static void
test_no_trailing_newline (void)
{
  g_autoptr(LdCsvReader) csv = reader_for ("a,b\n1,2\n3,4");

  assert_next (csv, 2, 2);
  assert_next (csv, 3, 2);
  g_assert_cmpstr (ld_csv_reader_get (csv, 0), ==, "3");
  g_assert_cmpstr (ld_csv_reader_get (csv, 1), ==, "4");
  assert_end (csv);
}

static void
test_no_trailing_newline_quoted (void)
{
  g_autoptr(LdCsvReader) csv = reader_for ("a,b\r\n1,\"x,y\"");

  assert_next (csv, 2, 2);
  g_assert_cmpstr (ld_csv_reader_get (csv, 1), ==, "x,y");
  assert_end (csv);
}

static void
test_empty_lines (void)
{
  g_autoptr(LdCsvReader) csv = reader_for ("\n\na,b\n\n1,2\n\r\n\n3,4\n\n");

  g_assert_cmpuint (ld_csv_reader_get_line (csv), ==, 3);
  assert_next (csv, 5, 2);
  assert_next (csv, 8, 2);
  g_assert_cmpstr (ld_csv_reader_get (csv, 0), ==, "3");
  assert_end (csv);
}

static void
test_empty_cells (void)
{
  g_autoptr(LdCsvReader) csv = reader_for ("a,b,c,d\n,,\"\",  \n1, ,\t,x\n");

  assert_next (csv, 2, 4);
  for (int i = 0; i < 4; i++)
    g_assert_null (ld_csv_reader_get (csv, i));
  assert_next (csv, 3, 4);
  g_assert_cmpstr (ld_csv_reader_get (csv, 0), ==, "1");
  g_assert_null (ld_csv_reader_get (csv, 1));
  g_assert_null (ld_csv_reader_get (csv, 2));
  g_assert_cmpstr (ld_csv_reader_get (csv, 3), ==, "x");
  g_assert_null (ld_csv_reader_get (csv, -1));
  g_assert_null (ld_csv_reader_get (csv, 4));
  assert_end (csv);
}

static void
test_trim (void)
{
  g_autoptr(LdCsvReader) csv = reader_for ("a,b,c\n  one two\t, \" kept \" ,\"x\"\t\n");

  assert_next (csv, 2, 3);
  g_assert_cmpstr (ld_csv_reader_get (csv, 0), ==, "one two");
  g_assert_cmpstr (ld_csv_reader_get (csv, 1), ==, " kept ");
  g_assert_cmpstr (ld_csv_reader_get (csv, 2), ==, "x");
  assert_end (csv);
}

static void
test_short_record (void)
{
  g_autoptr(LdCsvReader) csv = reader_for ("a,b,c,d\n1,2\n1,2,3,4,5\n1,2,3,\n");

  g_assert_cmpuint (ld_csv_reader_get_n_columns (csv), ==, 4);
  assert_next (csv, 2, 2);
  g_assert_cmpstr (ld_csv_reader_get (csv, 1), ==, "2");
  g_assert_null (ld_csv_reader_get (csv, 2));
  assert_next (csv, 3, 5);
  g_assert_cmpstr (ld_csv_reader_get (csv, 4), ==, "5");
  assert_next (csv, 4, 4);
  g_assert_null (ld_csv_reader_get (csv, 3));
  assert_end (csv);
}

static void
test_long_record (void)
{
  g_autoptr(GString) data = g_string_new ("");
  g_autoptr(LdCsvReader) csv = NULL;
  g_autofree char *long_value = g_strnfill (5000, 'x');

  /* More fields and longer ones than the reader first makes room for. */
  for (guint i = 0; i < 40; i++)
    g_string_append_printf (data, "%sc%u", i > 0 ? "," : "", i);
  g_string_append_c (data, '\n');
  for (guint i = 0; i < 40; i++)
    g_string_append_printf (data, i % 2 ? "%s\"\"\"%u\"" : "%s%u", i > 0 ? "," : "", i);
  g_string_append_printf (data, ",\"%s\"\n1\n", long_value);

  csv = reader_for_length (data->str, data->len);
  g_assert_cmpuint (ld_csv_reader_get_n_columns (csv), ==, 40);
  assert_next (csv, 2, 41);
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *expected = g_strdup_printf ("%s%u", i % 2 ? "\"" : "", i);
      g_assert_cmpstr (ld_csv_reader_get (csv, i), ==, expected);
    }
  g_assert_cmpstr (ld_csv_reader_get (csv, 40), ==, long_value);
  assert_next (csv, 3, 1);
  g_assert_cmpstr (ld_csv_reader_get (csv, 0), ==, "1");
  assert_end (csv);
}

static void
test_quoted_commas (void)
{
  g_autoptr(LdCsvReader) csv = reader_for ("id,address,note\n1,\"嘉兴市南湖区,由拳路富润路口\",\",\"\n");

  assert_next (csv, 2, 3);
  g_assert_cmpstr (ld_csv_reader_get (csv, 1), ==, "嘉兴市南湖区,由拳路富润路口");
  g_assert_cmpstr (ld_csv_reader_get (csv, 2), ==, ",");
  assert_end (csv);
}

static void
test_doubled_quotes (void)
{
  g_autoptr(LdCsvReader) csv = reader_for ("a,b,c,d\n"
                                           "\"say \"\"hi\"\"\","
                                           "\"\"\"\","
                                           "\"\"\"\"\"\","
                                           "\"a\"\"\"\"b\"\n");

  assert_next (csv, 2, 4);
  g_assert_cmpstr (ld_csv_reader_get (csv, 0), ==, "say \"hi\"");
  g_assert_cmpstr (ld_csv_reader_get (csv, 1), ==, "\"");
  g_assert_cmpstr (ld_csv_reader_get (csv, 2), ==, "\"\"");
  g_assert_cmpstr (ld_csv_reader_get (csv, 3), ==, "a\"\"b");
  assert_end (csv);
}

static void
test_embedded_newline (void)
{
  g_autoptr(LdCsvReader) csv = reader_for ("id,summary,kind\n"
                                           "1,\"路面\n有石子\n\n请处理\",road\n"
                                           "2,\"one \"\"two\"\"\nthree\",\"x\ny\"\n"
                                           "3,plain,last\n");

  assert_next (csv, 2, 3);
  g_assert_cmpstr (ld_csv_reader_get (csv, 1), ==, "路面\n有石子\n\n请处理");
  g_assert_cmpstr (ld_csv_reader_get (csv, 2), ==, "road");
  assert_next (csv, 6, 3);
  g_assert_cmpstr (ld_csv_reader_get (csv, 1), ==, "one \"two\"\nthree");
  g_assert_cmpstr (ld_csv_reader_get (csv, 2), ==, "x\ny");
  assert_next (csv, 9, 3);
  g_assert_cmpstr (ld_csv_reader_get (csv, 1), ==, "plain");
  assert_end (csv);
}

static void
test_unterminated (void)
{
  g_autoptr(LdCsvReader) csv = reader_for ("id,summary\n"
                                           "1,ok\n"
                                           "2,\"line one\nline two\n"
                                           "3,never closed\n");

  assert_next (csv, 2, 2);
  assert_syntax_error (csv, "test.csv:3: unterminated quoted field");
}

static void
assert_too_long (LdCsvReader *csv, const char *message)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (ld_csv_reader_next (csv, &error));
  g_assert_error (error, LD_CSV_ERROR, LD_CSV_ERROR_TOO_LONG);
  g_assert_cmpstr (error->message, ==, message);
}

/* A field beyond 64 KiB or a record beyond 1 MiB is refused with its line
 * and skipped, quoted newlines and all; the records after it are read. */
static void
test_too_long (void)
{
  g_autoptr(GString) text = g_string_new ("id,summary\n1,");
  g_autoptr(LdCsvReader) csv = NULL;
  g_autofree char *at_bound = g_strnfill (LD_CSV_MAX_FIELD_BYTES, 'x');
  g_autofree char *beyond = g_strnfill (LD_CSV_MAX_FIELD_BYTES + 1, 'x');

  g_string_append (text, at_bound);
  g_string_append (text, "\n2,");
  g_string_append (text, beyond);
  g_string_append (text, "\n3,\"");
  for (guint i = 0; i < 3; i++)
    {
      g_string_append (text, beyond);
      g_string_append (text, "\n");
    }
  g_string_append (text, "\"\n8,ok\n9,");
  for (guint i = 0; i <= LD_CSV_MAX_RECORD_BYTES; i++)
    g_string_append_c (text, ',');
  g_string_append (text, "\n10,\"last\"\n");

  csv = reader_for_length (text->str, text->len);
  assert_next (csv, 2, 2);
  g_assert_cmpuint (strlen (ld_csv_reader_get (csv, 1)), ==, LD_CSV_MAX_FIELD_BYTES);
  assert_too_long (csv, "test.csv:3: a field is longer than 64 KiB");
  assert_too_long (csv, "test.csv:4: a field is longer than 64 KiB");
  assert_next (csv, 8, 2);
  g_assert_cmpstr (ld_csv_reader_get (csv, 1), ==, "ok");
  assert_too_long (csv, "test.csv:9: the record is longer than 1 MiB");
  assert_next (csv, 10, 2);
  g_assert_cmpstr (ld_csv_reader_get (csv, 1), ==, "last");
  assert_end (csv);
}

static void
test_unterminated_at_end (void)
{
  g_autoptr(LdCsvReader) csv = reader_for ("id,received_at,summary\nn1,2023-12-01 08:00:00,\"路面有石");

  assert_syntax_error (csv, "test.csv:2: unterminated quoted field");
}

static void
test_stray_quote (void)
{
  g_autoptr(LdCsvReader) csv = reader_for ("id,name\n1,\"a\nb\"\n2,5\" pipe\n3,ok\n");

  assert_next (csv, 2, 2);
  assert_syntax_error (csv, "test.csv:4: stray quote");
}

static void
test_text_after_quote (void)
{
  g_autoptr(LdCsvReader) csv = reader_for ("id,name\n1,\"a\"b\n");

  assert_syntax_error (csv, "test.csv:2: stray quote");
}

static void
test_header_lookup (void)
{
  g_autoptr(LdCsvReader) csv = reader_for (" Code ,\tName,\" Region_Code \",,地址\n1,2,3,4,5\n");

  g_assert_cmpuint (ld_csv_reader_get_n_columns (csv), ==, 5);
  g_assert_cmpint (ld_csv_reader_column (csv, "code"), ==, 0);
  g_assert_cmpint (ld_csv_reader_column (csv, "CODE"), ==, 0);
  g_assert_cmpint (ld_csv_reader_column (csv, "name"), ==, 1);
  g_assert_cmpint (ld_csv_reader_column (csv, "region_code"), ==, 2);
  g_assert_cmpint (ld_csv_reader_column (csv, "地址"), ==, 4);
  g_assert_cmpint (ld_csv_reader_column (csv, "phone"), ==, -1);
  g_assert_null (ld_csv_reader_get (csv, ld_csv_reader_column (csv, "phone")));
  assert_next (csv, 2, 5);
  g_assert_cmpstr (ld_csv_reader_get (csv, ld_csv_reader_column (csv, "Region_code")), ==, "3");
}

static void
test_missing_columns (void)
{
  static const char *const present[] = { "code", "NAME", NULL };
  static const char *const absent[] = { "code", "tier", "name", "category", NULL };
  g_autoptr(LdCsvReader) csv = reader_for ("Code,Name\n");
  g_autoptr(GError) error = NULL;

  g_assert_true (ld_csv_reader_require_columns (csv, present, &error));
  g_assert_no_error (error);
  g_assert_false (ld_csv_reader_require_columns (csv, absent, &error));
  g_assert_error (error, LD_CSV_ERROR, LD_CSV_ERROR_MISSING_COLUMN);
  g_assert_cmpstr (error->message, ==, "test.csv: missing column(s): tier, category");
  assert_end (csv);
}

static void
test_no_header (void)
{
  static const char *const cases[] = { "", "\xef\xbb\xbf", "\n\r\n\n" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LdCsvReader) csv = NULL;

      csv = ld_csv_reader_new_for_data ("empty.csv", cases[i], strlen (cases[i]), &error);
      g_assert_null (csv);
      g_assert_error (error, LD_CSV_ERROR, LD_CSV_ERROR_EMPTY);
      g_assert_cmpstr (error->message, ==, "empty.csv: no header row");
    }
}

static void
test_header_syntax_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdCsvReader) csv = NULL;

  csv = ld_csv_reader_new_for_data ("h.csv", "a,\"b\n", 5, &error);
  g_assert_null (csv);
  g_assert_error (error, LD_CSV_ERROR, LD_CSV_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, "h.csv:1: unterminated quoted field");
}

static void
test_append_field (void)
{
  static const char *const values[] = {
    "plain", "嘉兴市南湖区,由拳路富润路口", "say \"hi\"", "\"", "two\nlines", "crlf\r\nend",
    " leading", "trailing\t", "   ", "a\"b,c\r", NULL, "",
  };
  static const char *const expected[] = {
    "plain", "\"嘉兴市南湖区,由拳路富润路口\"", "\"say \"\"hi\"\"\"", "\"\"\"\"", "\"two\nlines\"",
    "\"crlf\r\nend\"", "\" leading\"", "\"trailing\t\"", "\"   \"", "\"a\"\"b,c\r\"", "", "",
  };
  g_autoptr(GString) data = g_string_new ("");
  g_autoptr(LdCsvReader) csv = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(GString) line = g_string_new ("");

      ld_csv_append_field (line, values[i]);
      g_assert_cmpstr (line->str, ==, expected[i]);
    }

  /* A header row and two records of every value, the second ending the file
   * without a newline. */
  for (guint row = 0; row < 3; row++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (values); i++)
        {
          if (i > 0)
            g_string_append_c (data, ',');
          if (row == 0)
            g_string_append_printf (data, "c%u", i);
          else
            ld_csv_append_field (data, values[i]);
        }
      if (row < 2)
        g_string_append (data, "\r\n");
    }

  csv = reader_for_length (data->str, data->len);
  g_assert_cmpuint (ld_csv_reader_get_n_columns (csv), ==, G_N_ELEMENTS (values));
  /* Two embedded LFs, one of them in a CRLF, push the second record down. */
  for (guint line = 2; line <= 5; line += 3)
    {
      assert_next (csv, line, G_N_ELEMENTS (values));
      for (guint i = 0; i < G_N_ELEMENTS (values); i++)
        {
          const char *read_back = values[i] != NULL && values[i][0] != '\0' ? values[i] : NULL;
          g_assert_cmpstr (ld_csv_reader_get (csv, i), ==, read_back);
        }
    }
  assert_end (csv);
}

/* Into the test's own directory, which G_TEST_OPTION_ISOLATE_DIRS removes;
 * g_get_tmp_dir() is shared with everything else. */
static char *
write_temp (const char *name, const char *data, gssize length)
{
  g_autoptr(GError) error = NULL;
  const char *dir = g_get_user_cache_dir ();
  char *path = g_build_filename (dir, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, data, length, &error));
  g_assert_no_error (error);
  return path;
}

static LdCsvReader *
reader_for_path (const char *path)
{
  g_autoptr(GError) error = NULL;
  LdCsvReader *csv = ld_csv_reader_new_for_path (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (csv);
  return csv;
}

static void
test_path (void)
{
  g_autoptr(LdCsvReader) csv = NULL;
  g_autofree char *path = write_temp ("units.csv", "\xef\xbb\xbf" "code,name\r\nMKT,市场监管\r\n", -1);

  csv = reader_for_path (path);
  g_assert_cmpstr (ld_csv_reader_get_name (csv), ==, path);
  g_assert_false (ld_csv_reader_was_gb18030 (csv));
  assert_next (csv, 2, 2);
  g_assert_cmpstr (ld_csv_reader_get (csv, ld_csv_reader_column (csv, "code")), ==, "MKT");
  g_assert_cmpstr (ld_csv_reader_get (csv, ld_csv_reader_column (csv, "name")), ==, "市场监管");
  assert_end (csv);
}

static void
test_path_gb18030 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdCsvReader) csv = NULL;
  g_autofree char *gb = NULL;
  g_autofree char *path = NULL;
  gsize length = 0;

  gb = g_convert ("region,address\r\n嘉兴市南湖区,由拳路富润路口\r\n", -1, "GB18030", "UTF-8",
                  NULL, &length, &error);
  g_assert_no_error (error);
  path = write_temp ("regions.csv", gb, length);

  csv = reader_for_path (path);
  g_assert_true (ld_csv_reader_was_gb18030 (csv));
  assert_next (csv, 2, 2);
  g_assert_cmpstr (ld_csv_reader_get (csv, 0), ==, "嘉兴市南湖区");
  g_assert_cmpstr (ld_csv_reader_get (csv, 1), ==, "由拳路富润路口");
  assert_end (csv);
}

/* A file a whole number of pages long fills its mapping to the last byte,
 * so a read past the end of the text may fault. Each way a record can run
 * into the end is tried there. */
static void
test_path_page_end (void)
{
  static const struct {
    const char *tail;
    const char *value;
    const char *error;
  } cases[] = {
    { "x", "x", NULL },
    { "\"x\"", "x", NULL },
    { "\"x\"\"\"", "x\"", NULL },
    { "x\r", "x", NULL },
    { "\"x\"\r", "x", NULL },
    { "\"x", NULL, "unterminated quoted field" },
    { "\"x\"\"", NULL, "unterminated quoted field" },
    { "x\"", NULL, "stray quote" },
  };
  const gsize size = 65536;   /* a multiple of every usual page size */

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) data = g_string_new ("id\n");
      g_autoptr(GError) error = NULL;
      g_autoptr(LdCsvReader) csv = NULL;
      g_autofree char *path = NULL;
      g_autofree char *escaped = g_strescape (cases[i].tail, NULL);
      gsize tail_length = strlen (cases[i].tail);
      guint line = 2;

      g_test_message ("tail: %s", escaped);
      for (; data->len + tail_length + 2 <= size; line++)
        g_string_append (data, "1\n");
      for (; data->len + tail_length < size; line++)
        g_string_append_c (data, '\n');
      g_string_append (data, cases[i].tail);
      g_assert_cmpuint (data->len, ==, size);
      path = write_temp ("page.csv", data->str, data->len);

      csv = reader_for_path (path);
      if (cases[i].value != NULL)
        {
          do
            g_assert_true (ld_csv_reader_next (csv, &error));
          while (ld_csv_reader_get_line (csv) < line);
          g_assert_cmpuint (ld_csv_reader_get_line (csv), ==, line);
          g_assert_cmpuint (ld_csv_reader_get_n_fields (csv), ==, 1);
          g_assert_cmpstr (ld_csv_reader_get (csv, 0), ==, cases[i].value);
          assert_end (csv);
        }
      else
        {
          g_autofree char *expected = g_strdup_printf ("%s:%u: %s", path, line, cases[i].error);

          while (ld_csv_reader_next (csv, &error))
            ;
          g_assert_error (error, LD_CSV_ERROR, LD_CSV_ERROR_SYNTAX);
          g_assert_cmpstr (error->message, ==, expected);
        }
    }
}

static void
test_path_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdCsvReader) csv = NULL;
  g_autofree char *path = write_temp ("empty.csv", "", 0);
  g_autofree char *expected = g_strdup_printf ("%s: no header row", path);

  csv = ld_csv_reader_new_for_path (path, &error);
  g_assert_null (csv);
  g_assert_error (error, LD_CSV_ERROR, LD_CSV_ERROR_EMPTY);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_path_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdCsvReader) csv = NULL;
  g_autofree char *missing = g_build_filename (g_get_user_cache_dir (), "missing.csv", NULL);
  g_autofree char *bad = write_temp ("bad.csv", "id\n\"open\n", -1);
  g_autofree char *expected = g_strdup_printf ("%s:2: unterminated quoted field", bad);

  csv = ld_csv_reader_new_for_path (missing, &error);
  g_assert_null (csv);
  g_assert_error (error, LD_CSV_ERROR, LD_CSV_ERROR_IO);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  /* Later messages name the file as given too. */
  csv = reader_for_path (bad);
  g_assert_false (ld_csv_reader_next (csv, &error));
  g_assert_error (error, LD_CSV_ERROR, LD_CSV_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_free_null (void)
{
  ld_csv_reader_free (NULL);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/csv/encoding/utf8", test_plain);
  g_test_add_func ("/csv/encoding/bom", test_bom);
  g_test_add_func ("/csv/encoding/gb18030", test_gb18030);
  g_test_add_func ("/csv/encoding/gb18030-bom", test_gb18030_bom);
  g_test_add_func ("/csv/encoding/not-text", test_not_text);
  g_test_add_func ("/csv/encoding/nul", test_nul);
  g_test_add_func ("/csv/records/crlf", test_crlf);
  g_test_add_func ("/csv/records/no-trailing-newline", test_no_trailing_newline);
  g_test_add_func ("/csv/records/no-trailing-newline-quoted", test_no_trailing_newline_quoted);
  g_test_add_func ("/csv/records/empty-lines", test_empty_lines);
  g_test_add_func ("/csv/records/empty-cells", test_empty_cells);
  g_test_add_func ("/csv/records/trim", test_trim);
  g_test_add_func ("/csv/records/short", test_short_record);
  g_test_add_func ("/csv/records/long", test_long_record);
  g_test_add_func ("/csv/quotes/commas", test_quoted_commas);
  g_test_add_func ("/csv/quotes/doubled", test_doubled_quotes);
  g_test_add_func ("/csv/quotes/embedded-newline", test_embedded_newline);
  g_test_add_func ("/csv/quotes/unterminated", test_unterminated);
  g_test_add_func ("/csv/quotes/unterminated-at-end", test_unterminated_at_end);
  g_test_add_func ("/csv/too-long", test_too_long);
  g_test_add_func ("/csv/quotes/stray", test_stray_quote);
  g_test_add_func ("/csv/quotes/text-after-quote", test_text_after_quote);
  g_test_add_func ("/csv/header/lookup", test_header_lookup);
  g_test_add_func ("/csv/header/missing-columns", test_missing_columns);
  g_test_add_func ("/csv/header/none", test_no_header);
  g_test_add_func ("/csv/header/syntax-error", test_header_syntax_error);
  g_test_add_func ("/csv/append-field", test_append_field);
  g_test_add_func ("/csv/path/read", test_path);
  g_test_add_func ("/csv/path/gb18030", test_path_gb18030);
  g_test_add_func ("/csv/path/page-end", test_path_page_end);
  g_test_add_func ("/csv/path/empty", test_path_empty);
  g_test_add_func ("/csv/path/errors", test_path_errors);
  g_test_add_func ("/csv/free-null", test_free_null);

  return g_test_run ();
}
