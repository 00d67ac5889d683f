/* fuzz-sync.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target: an input is the body of a POST /sync/push. Its
 * operations are applied to the test city in turn, once as an admin (who
 * may do every action) and once as the market unit (who may only move its
 * own orders), each time from the same state.
 */

#include "config.h"

#include <stdint.h>

#include "ld-json.h"
#include "ld-sync.h"
#include "ld-test-city.h"

/* The server's own limit on a push. */
#define MAX_BATCH 1000

static LdStore *store;

static const LdUser admin = { (char *) "fuzz-admin", NULL, (char *) "admin", NULL, NULL, 0 };
static const LdUser unit = { (char *) "fuzz-unit", NULL, (char *) "unit", (char *) "MKT", NULL, 0 };

/* An order of the market unit and a drill, for an input's operations to
 * move on. */
static const char *base =
  "{\"operations\": ["
  " {\"id\": \"base-1\", \"entity\": \"incident\", \"entity_id\": \"inc-0\", \"action\": \"create\","
  "  \"at\": \"2024-11-21 14:00:00\", \"fields\": {\"source\": \"110\", \"kind\": \"linkage\","
  "  \"lat\": 30.5, \"lon\": 120.5, \"category\": \"noise\", \"caller_phone\": \"13800000009\"}},"
  " {\"id\": \"base-2\", \"entity\": \"order\", \"entity_id\": \"ord-0\", \"action\": \"dispatch\","
  "  \"at\": \"2024-11-21 14:01:00\", \"fields\": {\"incident_id\": \"inc-0\", \"unit_code\": \"MKT\"}},"
  " {\"id\": \"base-3\", \"entity\": \"drill\", \"entity_id\": \"drl-0\", \"action\": \"plan\","
  "  \"at\": \"2024-11-20 09:00:00\", \"fields\": {\"region_code\": \"A\", \"location\": \"丽南隧道\","
  "  \"held_at\": \"2024-11-20 10:00:00\", \"units\": [{\"unit_code\": \"MKT\"}, {\"unit_code\": \"TOWN\"}]}}"
  "]}";

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_autoptr(JsonNode) root = ld_json_parse (base, -1, NULL);
  JsonArray *operations = json_object_get_array_member (json_node_get_object (root), "operations");
  LdActor actor = { admin.name, "fuzz-device", NULL };

  store = ld_test_city_new (NULL);
  for (guint i = 0; i < json_array_get_length (operations); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean applied = ld_sync_apply_local (store, json_array_get_object_element (operations, i),
                                              &admin, &actor, &error);

      g_assert_no_error (error);
      g_assert_true (applied);
    }
  return 0;
}

/* What the store takes, every pull serves again: as JSON, in UTF-8. */
static void
check_record (JsonObject *operation)
{
  const char *entity = ld_json_get_string (operation, "entity");
  g_autoptr(JsonNode) record = NULL;
  g_autofree char *text = NULL;

  /* A drill unit's operations name the drill, which carries its units. */
  if (g_strcmp0 (entity, "drill_unit") == 0)
    entity = "drill";
  if (g_strcmp0 (entity, "incident") != 0 && g_strcmp0 (entity, "order") != 0 &&
      g_strcmp0 (entity, "drill") != 0)
    return;
  record = ld_sync_get_record (store, entity, ld_json_get_string (operation, "entity_id"));
  g_assert_nonnull (record);
  text = json_to_string (record, FALSE);
  g_assert_true (g_utf8_validate (text, -1, NULL));
}

static void
apply_all (JsonArray *operations, const LdUser *user)
{
  LdActor actor = { user->name, "fuzz-device", "192.0.2.1" };

  /* Rolled back: every input starts from the city as it was made. */
  g_assert_true (ld_store_begin (store, NULL));
  for (guint i = 0; i < json_array_get_length (operations); i++)
    {
      JsonNode *element = json_array_get_element (operations, i);
      g_autoptr(GError) error = NULL;
      gint64 before;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      before = ld_store_get_sequence (store);
      if (ld_sync_apply_local (store, json_node_get_object (element), user, &actor, &error))
        check_record (json_node_get_object (element));
      else
        {
          /* A refusal says why, in the answer's JSON, and changes nothing. */
          g_assert_nonnull (error);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
          g_assert_cmpint (ld_store_get_sequence (store), ==, before);
        }
    }
  ld_store_rollback (store);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;
  JsonArray *operations;

  root = ld_json_parse ((const char *) data, size, &error);
  if (root == NULL)
    {
      /* The server's answer quotes it, in JSON. */
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return 0;
  node = json_object_get_member (json_node_get_object (root), "operations");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return 0;
  operations = json_node_get_array (node);
  if (json_array_get_length (operations) > MAX_BATCH)
    return 0;
  apply_all (operations, &admin);
  apply_all (operations, &unit);
  return 0;
}
