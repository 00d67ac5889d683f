/* fuzz-csv.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target: one interchange file, through the CSV reader and then
 * the whole import into the test city. An input is the file's name on its
 * first line (units.csv, incidents.csv…) and the file's bytes after it;
 * without one of the contract's names the whole input goes to the CSV
 * reader alone.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ld-csv.h"
#include "ld-import.h"
#include "ld-test-city.h"

static const char * const contract[] = {
  "regions.csv", "regions.geojson", "units.csv", "categories.csv", "incidents.csv", "orders.csv",
  "feedback.csv", "drills.csv", "drill_units.csv", "roll_calls.csv", NULL
};

static LdStore *store;
static char *dir;   /* the import's folder: the one file of the input at a time */

static void
remove_dir (void)
{
  g_rmdir (dir);
}

/* Something for an order, a feedback and a drill unit of an input to
 * refer to. */
static const struct {
  const char *name;
  const char *data;
} base[] = {
  { "incidents.csv", "id,received_at,source,kind,caller_phone,lat,lon,category\n"
                     "i1,2024-11-21 14:05:00,110,linkage,13800000001,30.5,120.5,noise\n" },
  { "orders.csv", "id,incident_id,unit_code,dispatched_at,signed_at\n"
                  "o1,i1,MKT,2024-11-21 14:06:00,2024-11-21 14:08:00\n" },
  { "drills.csv", "id,held_at,region_code,location\n"
                  "d1,2024-08-25 09:30:00,A,丽南隧道\n" },
};

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_autoptr(GError) error = NULL;

  store = ld_test_city_new (NULL);
  dir = g_dir_make_tmp ("fuzz-csv-XXXXXX", NULL);
  g_assert_nonnull (dir);
  atexit (remove_dir);

  for (guint i = 0; i < G_N_ELEMENTS (base); i++)
    {
      g_autofree char *path = g_build_filename (dir, base[i].name, NULL);
      g_assert_true (g_file_set_contents (path, base[i].data, -1, NULL));
    }
  g_assert_true (ld_import_dir (store, dir, FALSE, NULL, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (base); i++)
    {
      g_autofree char *path = g_build_filename (dir, base[i].name, NULL);
      g_unlink (path);
    }
  return 0;
}

static void
read_all (const char *name, const char *data, gsize length)
{
  g_autoptr(LdCsvReader) csv = NULL;
  g_autoptr(GError) error = NULL;

  csv = ld_csv_reader_new_for_data (name, data, length, &error);
  if (csv == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, name));
      return;
    }
  g_assert_true (g_utf8_validate (ld_csv_reader_get_name (csv), -1, NULL));
  ld_csv_reader_column (csv, "id");
  while (ld_csv_reader_next (csv, &error))
    for (guint c = 0; c <= ld_csv_reader_get_n_fields (csv); c++)
      {
        const char *field = ld_csv_reader_get (csv, (int) c);

        /* Whatever the file's encoding, what the import sees is UTF-8. */
        if (field)
          g_assert_true (g_utf8_validate (field, -1, NULL));
      }
  if (error)
    g_assert_true (g_str_has_prefix (error->message, name));
}

static void
import (const char *name, const char *data, gsize length)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  LdImportCounts counts;

  g_assert_true (g_file_set_contents (path, data, length, NULL));
  /* The outer transaction puts the city back as it was for the next input. */
  g_assert_true (ld_store_begin (store, NULL));
  if (!ld_import_dir (store, dir, FALSE, &counts, problems, &error))
    {
      g_assert_nonnull (error);
      g_assert_cmpuint (ld_import_counts_total (&counts), ==, 0);
      if (g_error_matches (error, LD_IMPORT_ERROR, LD_IMPORT_ERROR_BAD_ROWS))
        g_assert_cmpuint (problems->len, >, 0);
    }
  /* The server sends the problems back in JSON. */
  for (guint i = 0; i < problems->len; i++)
    g_assert_true (g_utf8_validate (g_ptr_array_index (problems, i), -1, NULL));
  ld_store_rollback (store);
  g_unlink (path);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *text = (const char *) data;
  const char *eol = memchr (text, '\n', size);
  g_autofree char *name = NULL;

  if (eol)
    {
      gsize line = eol - text;

      if (line > 0 && text[line - 1] == '\r')
        line--;
      name = g_strndup (text, line);
    }
  if (name == NULL || !g_strv_contains (contract, name))
    {
      read_all ("fuzz.csv", text, size);
      return 0;
    }
  if (g_str_has_suffix (name, ".csv"))
    read_all (name, eol + 1, size - (eol + 1 - text));
  import (name, eol + 1, size - (eol + 1 - text));
  return 0;
}
