/* test-fuzz.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Bad input gets an error and changes nothing, however it is broken:
 * seeded mutations of good input, thrown at the CSV reader and at the sync
 * layer that takes clients' operations.
 */

#include "config.h"

#include <math.h>

#include "ld-csv.h"
#include "ld-sync.h"
#include "ld-test-city.h"

static const char *good_csv =
  "id,received_at,source,kind,caller_phone,address,summary\r\n"
  "i1,2023-11-21 14:05:00,110,linkage,13800000001,\"由拳路, 富润路口\",\"路面有\"\"石子\"\"\"\r\n"
  "i2,2023-11-21T15:05:00+08:00,110,police,,,\r\n";

static void
mutate (GRand *rand, GString *s)
{
  guint n = g_rand_int_range (rand, 1, 6);

  for (guint i = 0; i < n && s->len > 0; i++)
    {
      guint at = g_rand_int_range (rand, 0, s->len);
      switch (g_rand_int_range (rand, 0, 4))
        {
        case 0:  /* flip a byte */
          s->str[at] = (char) g_rand_int_range (rand, 0, 256);
          break;
        case 1:  /* cut the rest */
          g_string_truncate (s, at);
          break;
        case 2:  /* a quote, comma or newline where it hurts */
          g_string_insert_c (s, at, "\",\r\n"[g_rand_int_range (rand, 0, 4)]);
          break;
        default: /* repeat a slice */
          g_string_insert_len (s, at, s->str, MIN (s->len, (gsize) g_rand_int_range (rand, 1, 40)));
          break;
        }
    }
}

static void
test_csv_reader (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261123);

  for (guint round = 0; round < 5000; round++)
    {
      g_autoptr(GString) data = g_string_new (good_csv);
      g_autoptr(LdCsvReader) csv = NULL;
      g_autoptr(GError) error = NULL;

      mutate (rand, data);
      csv = ld_csv_reader_new_for_data ("fuzz.csv", data->str, data->len, &error);
      if (csv == NULL)
        {
          g_assert_nonnull (error);
          continue;
        }
      while (ld_csv_reader_next (csv, &error))
        for (guint c = 0; c < ld_csv_reader_get_n_fields (csv) + 2; c++)
          {
            const char *field = ld_csv_reader_get (csv, (int) c);
            if (field)
              g_assert_true (g_utf8_validate (field, -1, NULL));
          }
    }
}

static const char *good_op =
  "{\"id\": \"op-1\", \"entity\": \"incident\", \"entity_id\": \"inc-1\", \"action\": \"create\","
  " \"at\": \"2023-11-21 14:05:00\", \"fields\": {\"source\": \"110\", \"kind\": \"linkage\","
  " \"lat\": 30.5, \"lon\": 120.5, \"caller_phone\": \"13800000001\"}}";

static void
test_operations (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(LdStore) store = ld_test_city_new (NULL);
  LdUser dispatcher = { "d", NULL, "dispatcher", NULL, NULL, 0 };
  LdActor actor = { "d", "fuzz", NULL };
  guint accepted = 0;

  for (guint round = 0; round < 3000; round++)
    {
      g_autoptr(GString) text = g_string_new (good_op);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      gint64 before = ld_store_get_sequence (store), seq = 0;
      LdSyncStatus status;

      mutate (rand, text);
      if (!json_parser_load_from_data (parser, text->str, text->len, NULL) ||
          json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        continue;
      status = ld_sync_apply (store, json_node_get_object (json_parser_get_root (parser)), &dispatcher, &actor,
                              &seq, &error);
      if (status == LD_SYNC_REFUSED)
        {
          /* Refused: a reason, and the store as it was. */
          g_assert_nonnull (error);
          g_assert_cmpint (ld_store_get_sequence (store), ==, before);
        }
      else
        accepted += status == LD_SYNC_ACCEPTED;
    }
  /* The unmutated parts of the stream do get through. */
  g_assert_cmpuint (accepted, >, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/fuzz/csv-reader/never-crashes", test_csv_reader);
  g_test_add_func ("/fuzz/operations/refused-change-nothing", test_operations);

  return g_test_run ();
}
