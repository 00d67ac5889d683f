/* ld-server.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-server"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

#include "ld-auth.h"
#include "ld-import.h"
#include "ld-json.h"
#include "ld-bulletin.h"
#include "ld-report.h"
#include "ld-server.h"
#include "ld-snapshot.h"
#include "ld-sync.h"

#define DEFAULT_BODY_LIMIT (8 * 1024 * 1024)
/* A year of a city's files is a few hundred MiB. */
#define IMPORT_BODY_LIMIT (G_GUINT64_CONSTANT (1) << 30)
#define MAX_BATCH 1000
#define SESSION_LIFETIME_US (G_GINT64_CONSTANT (12) * 3600 * LD_USEC_PER_S)

typedef enum {
  ROLE_ADMIN      = 1 << 0,
  ROLE_DISPATCHER = 1 << 1,
  ROLE_INSPECTOR  = 1 << 2,
  ROLE_LEADER     = 1 << 3,
  ROLE_UNIT       = 1 << 4,
  ROLE_ANY        = 0x1f,
  ROLE_NONE       = 0,     /* no login needed */
} Role;

typedef struct {
  LdServer          *server;
  SoupServerMessage *msg;
  LdUser            *user;      /* NULL for routes that need no login */
  char              *device;
  char              *token_hash;
  const char        *id;        /* the path's last segment, for /things/{id} */
  GHashTable        *query;
  JsonObject        *body;      /* for requests with a JSON body */
} Request;

typedef void (*Handler) (LdServer *self, Request *request);

typedef struct {
  const char *method;
  const char *path;             /* below /api/v1; a trailing "/" takes an id */
  Role        roles;
  gboolean    json_body;
  Handler     handler;
} Route;

typedef struct {
  double tokens;
  gint64 updated;
} Bucket;

struct _LdServer
{
  GObject     parent_instance;

  LdStore    *store;
  SoupServer *soup;
  gsize       body_limit;
  guint       burst;
  double      per_second;
  GHashTable *buckets;          /* remote host → Bucket */
  GPtrArray  *subscribers;      /* Subscriber: the live feed's connections */
  guint       sweep_id;
};

typedef struct {
  LdServer                *server;
  SoupWebsocketConnection *connection;
  LdUser                  *user;
} Subscriber;

/* How often deadlines are checked: a missed one is recorded and announced
 * within this many seconds. */
#define SWEEP_INTERVAL_S 15

G_DEFINE_FINAL_TYPE (LdServer, ld_server, G_TYPE_OBJECT)

static Role
role_bit (const char *role)
{
  static const char *names[] = { "admin", "dispatcher", "inspector", "leader", "unit" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (role, names[i]) == 0)
      return 1 << i;
  return 0;
}

/* Responses */

static void
respond_json (SoupServerMessage *msg, guint status, JsonNode *root)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  gsize length;
  char *text;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &length);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, length);
}

/* Every refusal is JSON with a machine-readable code and a human reason. */
static void
respond_error (SoupServerMessage *msg, guint status, const char *code, const char *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  respond_json (msg, status, root);
}

static void
respond_store_error (SoupServerMessage *msg, const GError *error)
{
  if (g_error_matches (error, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND))
    respond_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", error->message);
  else if (g_error_matches (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID) ||
           g_error_matches (error, LD_TIME_ERROR, LD_TIME_ERROR_INVALID))
    respond_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid", error->message);
  else if (g_error_matches (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION) ||
           g_error_matches (error, LD_STORE_ERROR, LD_STORE_ERROR_DUPLICATE))
    respond_error (msg, SOUP_STATUS_CONFLICT, "conflict", error->message);
  else
    {
      g_warning ("%s", error->message);
      respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", _("The server could not complete the request"));
    }
}


static void
add_user (JsonBuilder *b, const LdUser *user)
{
  json_builder_begin_object (b);
  ld_json_add_string (b, "name", user->name);
  ld_json_add_string (b, "display_name", user->display_name);
  ld_json_add_string (b, "role", user->role);
  ld_json_add_string (b, "unit_code", user->unit_code);
  json_builder_end_object (b);
}

static void
respond_builder (SoupServerMessage *msg, JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  respond_json (msg, SOUP_STATUS_OK, root);
}

/* Handlers */


static void
handle_login (LdServer *self, Request *r)
{
  const char *name = ld_json_get_string (r->body, "user");
  const char *password = ld_json_get_string (r->body, "password");
  const char *device = ld_json_get_string (r->body, "device");
  g_autoptr(LdUser) user = name ? ld_store_get_user (self->store, name, NULL) : NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL, *token = NULL, *expires_text = NULL;
  gint64 expires;

  if (name == NULL || password == NULL)
    {
      respond_error (r->msg, SOUP_STATUS_BAD_REQUEST, "invalid", _("Login needs “user” and “password” strings"));
      return;
    }
  /* The same answer for an unknown user and a wrong password. */
  if (user == NULL || !ld_auth_check_password (user->password_hash, password))
    {
      respond_error (r->msg, SOUP_STATUS_UNAUTHORIZED, "bad-credentials", _("Wrong user name or password"));
      return;
    }

  token = ld_auth_new_token (&hash);
  expires = ld_time_now () + SESSION_LIFETIME_US;
  if (!ld_store_add_session (self->store, hash, user->name, device, expires, &error))
    {
      respond_store_error (r->msg, error);
      return;
    }
  expires_text = ld_time_format_iso (expires, ld_store_get_time_zone (self->store));
  json_builder_begin_object (b);
  ld_json_add_string (b, "token", token);
  ld_json_add_string (b, "expires_at", expires_text);
  json_builder_set_member_name (b, "user");
  add_user (b, user);
  json_builder_end_object (b);
  respond_builder (r->msg, b);
}

static void
handle_logout (LdServer *self, Request *r)
{
  g_autoptr(GError) error = NULL;

  if (!ld_store_delete_session (self->store, r->token_hash, &error))
    respond_store_error (r->msg, error);
  else
    soup_server_message_set_status (r->msg, SOUP_STATUS_NO_CONTENT, NULL);
}

static void
handle_me (LdServer *self, Request *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  add_user (b, r->user);
  respond_builder (r->msg, b);
}

static void
handle_regions (LdServer *self, Request *r)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) regions = ld_store_list_regions (self->store, &error);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (regions == NULL)
    {
      respond_store_error (r->msg, error);
      return;
    }
  json_builder_begin_array (b);
  for (guint i = 0; i < regions->len; i++)
    {
      LdRegion *region = g_ptr_array_index (regions, i);
      g_autoptr(LdBoundary) boundary = ld_store_get_region_boundary (self->store, region->code);

      json_builder_begin_object (b);
      ld_json_add_string (b, "code", region->code);
      ld_json_add_string (b, "name", region->name);
      ld_json_add_string (b, "parent_code", region->parent_code);
      json_builder_set_member_name (b, "boundary");
      if (boundary)
        {
          g_autofree char *geojson = ld_boundary_to_geojson (boundary);
          json_builder_add_value (b, json_from_string (geojson, NULL));
        }
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  respond_builder (r->msg, b);
}

static void
add_limits (JsonBuilder *b, const LdLimits *l)
{
  ld_json_add_int (b, "sign_limit_s", l->sign_s);
  ld_json_add_int (b, "arrive_limit_s", l->arrive_s);
  ld_json_add_int (b, "feedback_limit_s", l->feedback_s);
  ld_json_add_int (b, "result_limit_s", l->result_s);
}

static void
handle_units (LdServer *self, Request *r)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) units = ld_store_list_units (self->store, &error);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (units == NULL)
    {
      respond_store_error (r->msg, error);
      return;
    }
  json_builder_begin_array (b);
  for (guint i = 0; i < units->len; i++)
    {
      LdUnit *u = g_ptr_array_index (units, i);

      json_builder_begin_object (b);
      ld_json_add_string (b, "code", u->code);
      ld_json_add_string (b, "name", u->name);
      ld_json_add_int (b, "tier", u->tier);
      ld_json_add_string (b, "category", u->category);
      ld_json_add_string (b, "region_code", u->region_code);
      ld_json_add_string (b, "phone", u->phone);
      json_builder_set_member_name (b, "lat");
      isnan (u->lat) ? json_builder_add_null_value (b) : json_builder_add_double_value (b, u->lat);
      json_builder_set_member_name (b, "lon");
      isnan (u->lon) ? json_builder_add_null_value (b) : json_builder_add_double_value (b, u->lon);
      ld_json_add_string (b, "status", u->inactive ? "inactive" : "active");
      add_limits (b, &u->limits);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  respond_builder (r->msg, b);
}

static void
handle_categories (LdServer *self, Request *r)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) categories = ld_store_list_categories (self->store, &error);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (categories == NULL)
    {
      respond_store_error (r->msg, error);
      return;
    }
  json_builder_begin_array (b);
  for (guint i = 0; i < categories->len; i++)
    {
      LdCategory *c = g_ptr_array_index (categories, i);

      json_builder_begin_object (b);
      ld_json_add_string (b, "code", c->code);
      ld_json_add_string (b, "name", c->name);
      ld_json_add_string (b, "mode", c->mode);
      ld_json_add_string (b, "platform", c->platform);
      ld_json_add_string (b, "unit_categories", c->unit_categories);
      add_limits (b, &c->limits);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  respond_builder (r->msg, b);
}

typedef struct {
  SoupServerMessage *msg;
  char              *db_path;
  LdPeriod           period;
  char              *region;
  char              *format;
  const char        *content_type;
  gint64             now;
} ReportJob;

static void
report_job_free (ReportJob *job)
{
  g_clear_object (&job->msg);
  g_free (job->db_path);
  g_free (job->region);
  g_free (job->format);
  g_free (job);
}

/* A bulletin takes half a second at a city's scale: it is made on its own
 * connection to the store, in a thread, and the main loop goes on serving
 * the desks and the live feed meanwhile. */
static void
render_report (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  ReportJob *job = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(LdStore) store = ld_store_open (job->db_path, &error);
  g_autoptr(LdReport) report = NULL;
  GBytes *body = NULL;

  if (store)
    report = ld_report_new (store, &job->period, job->region, job->now, &error);
  if (report)
    body = ld_bulletin_render (report, store, job->format, &error);
  if (body)
    g_task_return_pointer (task, body, (GDestroyNotify) g_bytes_unref);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
on_report_rendered (GObject *source, GAsyncResult *result, gpointer data)
{
  ReportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = g_task_propagate_pointer (G_TASK (result), &error);

  if (body == NULL)
    respond_store_error (job->msg, error);
  else
    {
      soup_server_message_set_status (job->msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (job->msg, job->content_type, SOUP_MEMORY_COPY,
                                        g_bytes_get_data (body, NULL), g_bytes_get_size (body));
    }
  soup_server_message_unpause (job->msg);
}

/* The same figures and bulletin as `liandong-server report`, made by the
 * same code. */
static void
handle_report_month (LdServer *self, Request *r)
{
  static const char *content_types[][2] = {
    { "json", "application/json" },
    { "csv", "text/csv; charset=utf-8" },
    { "text", "text/plain; charset=utf-8" },
    { "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
    { "pdf", "application/pdf" },
  };
  const char *month = r->query ? g_hash_table_lookup (r->query, "month") : NULL;
  const char *region = r->query ? g_hash_table_lookup (r->query, "region") : NULL;
  const char *format = r->query ? g_hash_table_lookup (r->query, "format") : NULL;
  const char *content_type = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LdReport) report = NULL;
  g_autoptr(GBytes) body = NULL;
  LdPeriod period;

  if (format == NULL)
    format = "json";
  for (guint i = 0; i < G_N_ELEMENTS (content_types); i++)
    if (g_str_equal (format, content_types[i][0]))
      content_type = content_types[i][1];
  if (content_type == NULL)
    {
      respond_error (r->msg, SOUP_STATUS_BAD_REQUEST, "invalid", _("format must be json, csv, text, xlsx or pdf"));
      return;
    }
  if (!ld_period_parse_month (month, ld_store_get_time_zone (self->store), &period, &error))
    {
      respond_store_error (r->msg, error);
      return;
    }
  /* A store in memory has no second connection: made here and now. */
  if (!g_path_is_absolute (ld_store_get_path (self->store)))
    {
      if ((report = ld_report_new (self->store, &period, region, ld_time_now (), &error)) == NULL ||
          (body = ld_bulletin_render (report, self->store, format, &error)) == NULL)
        {
          respond_store_error (r->msg, error);
          return;
        }
      soup_server_message_set_status (r->msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (r->msg, content_type, SOUP_MEMORY_COPY,
                                        g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      return;
    }
  {
    ReportJob *job = g_new0 (ReportJob, 1);
    g_autoptr(GTask) task = g_task_new (NULL, NULL, on_report_rendered, NULL);

    job->msg = g_object_ref (r->msg);
    job->db_path = g_strdup (ld_store_get_path (self->store));
    job->period = period;
    job->region = g_strdup (region);
    job->format = g_strdup (format);
    job->content_type = content_type;
    job->now = ld_time_now ();
    g_task_set_task_data (task, job, (GDestroyNotify) report_job_free);
    soup_server_message_pause (r->msg);
    g_task_run_in_thread (task, render_report);
  }
}

static void
handle_users (LdServer *self, Request *r)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = ld_store_list_users (self->store, &error);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (users == NULL)
    {
      respond_store_error (r->msg, error);
      return;
    }
  json_builder_begin_array (b);
  for (guint i = 0; i < users->len; i++)
    add_user (b, g_ptr_array_index (users, i));
  json_builder_end_array (b);
  respond_builder (r->msg, b);
}

/* The live feed */

static void
subscriber_free (Subscriber *sub)
{
  g_signal_handlers_disconnect_by_data (sub->connection, sub);
  g_object_unref (sub->connection);
  ld_user_free (sub->user);
  g_free (sub);
}

/* Tells the subscribers that changes up to @seq can be pulled. A unit's
 * clients hear only of changes to its own orders when @units says which
 * units a change touched; NULL reaches everyone. */
static void
announce (LdServer *self, gint64 seq, GHashTable *units)
{
  g_autofree char *text = g_strdup_printf ("{\"seq\":%" G_GINT64_FORMAT "}", seq);

  for (guint i = 0; i < self->subscribers->len; i++)
    {
      Subscriber *sub = g_ptr_array_index (self->subscribers, i);

      if (units && g_str_equal (sub->user->role, "unit") &&
          !g_hash_table_contains (units, sub->user->unit_code))
        continue;
      if (soup_websocket_connection_get_state (sub->connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_send_text (sub->connection, text);
    }
}

static void
on_subscriber_closed (SoupWebsocketConnection *connection, Subscriber *sub)
{
  g_ptr_array_remove (sub->server->subscribers, sub);
}

static char *
token_from_query (SoupServerMessage *msg)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) params = query ? g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL) : NULL;
  return params ? g_strdup (g_hash_table_lookup (params, "token")) : NULL;
}

static LdUser *authenticate (LdServer *self, SoupServerMessage *msg, char **token_hash, char **device);

/* GET /api/v1/live (WebSocket): the token as a bearer header, or as
 * ?token= for clients that cannot set headers on the handshake. */
static void
handle_live (SoupServer *server, SoupServerMessage *msg, const char *path,
             SoupWebsocketConnection *connection, gpointer data)
{
  LdServer *self = data;
  g_autofree char *token_hash = NULL, *device = NULL, *token = NULL;
  g_autofree char *hello = NULL;
  LdUser *user = authenticate (self, msg, &token_hash, &device);
  Subscriber *sub;

  if (user == NULL && (token = token_from_query (msg)) != NULL)
    {
      g_free (token_hash);
      token_hash = ld_auth_hash_token (token);
      user = ld_store_lookup_session (self->store, token_hash, ld_time_now (), NULL);
    }
  if (user == NULL)
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                                       _("Log in first: no valid token"));
      return;
    }

  sub = g_new0 (Subscriber, 1);
  sub->server = self;
  sub->connection = g_object_ref (connection);
  sub->user = user;
  g_signal_connect (connection, "closed", G_CALLBACK (on_subscriber_closed), sub);
  g_ptr_array_add (self->subscribers, sub);

  /* Where the feed starts, so a client knows at once whether to pull. */
  hello = g_strdup_printf ("{\"seq\":%" G_GINT64_FORMAT "}", ld_store_get_sequence (self->store));
  soup_websocket_connection_send_text (connection, hello);
}

/* Deadlines pass whether or not anyone acts: record them and say so. */
static gboolean
sweep_deadlines (gpointer data)
{
  LdServer *self = data;
  g_autoptr(GError) error = NULL;
  guint marked = 0;

  if (!ld_store_mark_overdue (self->store, ld_time_now (), &marked, &error))
    g_warning ("%s", error->message);
  else if (marked > 0)
    announce (self, ld_store_get_sequence (self->store), NULL);
  return G_SOURCE_CONTINUE;
}

/* The units whose orders an operation touched, for filtering the feed. */
static void
collect_units (LdServer *self, JsonObject *op, GHashTable *units)
{
  const char *entity = ld_json_get_string (op, "entity");
  const char *id = ld_json_get_string (op, "entity_id");
  g_autoptr(GPtrArray) orders = NULL;

  if (g_strcmp0 (entity, "order") == 0)
    {
      g_autoptr(LdOrder) order = ld_store_get_order (self->store, id, NULL);
      if (order)
        g_hash_table_add (units, g_strdup (order->unit_code));
      return;
    }
  orders = ld_store_list_orders (self->store, id, NULL);
  for (guint i = 0; orders && i < orders->len; i++)
    g_hash_table_add (units, g_strdup (((LdOrder *) g_ptr_array_index (orders, i))->unit_code));
}

static const char *
refusal_code (const GError *error)
{
  if (g_error_matches (error, LD_SYNC_ERROR, LD_SYNC_ERROR_FORBIDDEN))
    return "forbidden";
  if (g_error_matches (error, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND))
    return "not-found";
  if (g_error_matches (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION) ||
      g_error_matches (error, LD_STORE_ERROR, LD_STORE_ERROR_DUPLICATE))
    return "conflict";
  if (error->domain == LD_STORE_ERROR && error->code == LD_STORE_ERROR_DB)
    return "internal";
  return "invalid";
}

/* Each operation is taken or refused on its own, in the order sent; the
 * answer lists them one by one so the client can undo the refused. */
static void
handle_push (LdServer *self, Request *r)
{
  JsonNode *node = json_object_get_member (r->body, "operations");
  g_autoptr(JsonBuilder) b = json_builder_new ();
  LdActor actor = { r->user->name, r->device, soup_server_message_get_remote_host (r->msg) };
  g_autoptr(GHashTable) units = NULL;
  g_autoptr(GError) batch_error = NULL;
  guint accepted = 0;
  JsonArray *operations;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      respond_error (r->msg, SOUP_STATUS_BAD_REQUEST, "invalid", _("A push needs an “operations” array"));
      return;
    }
  operations = json_node_get_array (node);
  if (json_array_get_length (operations) > MAX_BATCH)
    {
      g_autofree char *message = g_strdup_printf (_("At most %d operations per push"), MAX_BATCH);
      respond_error (r->msg, SOUP_STATUS_BAD_REQUEST, "invalid", message);
      return;
    }

  /* One commit for the batch, a savepoint for each operation: a refused
   * one is undone alone, and nothing is acknowledged before the commit. */
  if (!ld_store_begin (self->store, &batch_error))
    {
      respond_store_error (r->msg, batch_error);
      return;
    }
  units = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "results");
  json_builder_begin_array (b);
  for (guint i = 0; i < json_array_get_length (operations); i++)
    {
      JsonNode *element = json_array_get_element (operations, i);
      JsonObject *op = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      g_autoptr(GError) error = NULL;
      gint64 seq = 0;
      LdSyncStatus status = LD_SYNC_REFUSED;

      if (op)
        status = ld_sync_apply (self->store, op, r->user, &actor, &seq, &error);
      else
        g_set_error (&error, LD_SYNC_ERROR, LD_SYNC_ERROR_MALFORMED, _("An operation must be a JSON object"));
      if (status == LD_SYNC_ACCEPTED)
        {
          accepted++;
          collect_units (self, op, units);
        }

      json_builder_begin_object (b);
      ld_json_add_string (b, "id", op ? ld_json_get_string (op, "id") : NULL);
      ld_json_add_string (b, "status", status == LD_SYNC_ACCEPTED ? "accepted"
                               : status == LD_SYNC_DUPLICATE ? "duplicate" : "refused");
      if (status == LD_SYNC_REFUSED)
        {
          ld_json_add_string (b, "code", refusal_code (error));
          ld_json_add_string (b, "reason", error->message);
        }
      else
        {
          ld_json_add_int (b, "seq", seq);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  ld_json_add_int (b, "last_seq", ld_store_get_sequence (self->store));
  json_builder_end_object (b);
  if (!ld_store_commit (self->store, &batch_error))
    {
      respond_store_error (r->msg, batch_error);
      return;
    }
  respond_builder (r->msg, b);
  if (accepted > 0)
    announce (self, ld_store_get_sequence (self->store), units);
}

static void
handle_pull (LdServer *self, Request *r)
{
  const char *since_text = r->query ? g_hash_table_lookup (r->query, "since") : NULL;
  const char *limit_text = r->query ? g_hash_table_lookup (r->query, "limit") : NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  guint64 since = 0, limit = 500;

  if ((since_text && !g_ascii_string_to_unsigned (since_text, 10, 0, G_MAXINT64, &since, NULL)) ||
      (limit_text && !g_ascii_string_to_unsigned (limit_text, 10, 1, 5000, &limit, NULL)))
    {
      respond_error (r->msg, SOUP_STATUS_BAD_REQUEST, "invalid", _("since must be a sequence number and limit 1 to 5000"));
      return;
    }
  root = ld_sync_changes (self->store, (gint64) since, (guint) limit, r->user, &error);
  if (root == NULL)
    respond_store_error (r->msg, error);
  else
    respond_json (r->msg, SOUP_STATUS_OK, root);
}

static gboolean
query_time (Request *r, const char *name, gint64 *out)
{
  const char *text = r->query ? g_hash_table_lookup (r->query, name) : NULL;
  g_autoptr(GError) error = NULL;

  *out = 0;
  if (text && !ld_time_parse (text, ld_store_get_time_zone (r->server->store), out, &error))
    {
      g_autofree char *message = g_strdup_printf ("%s: %s", name, error->message);
      respond_error (r->msg, SOUP_STATUS_BAD_REQUEST, "invalid", message);
      return FALSE;
    }
  return TRUE;
}

/* The replica for a client's first sync, as a sqlite file; the header
 * X-Liandong-Seq says where to pull from afterwards. */
static void
handle_snapshot (LdServer *self, Request *r)
{
  g_autofree char *dir = g_dir_make_tmp ("liandong-snapshot-XXXXXX", NULL);
  g_autofree char *path = dir ? g_build_filename (dir, "replica.db", NULL) : NULL;
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *seq_text = NULL;
  gint64 seq = 0;

  if (dir == NULL || !ld_snapshot_write (self->store, path, r->user, &seq, &error) ||
      (file = g_mapped_file_new (path, FALSE, &error)) == NULL)
    {
      if (error == NULL)
        g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", g_strerror (errno));
      g_warning ("snapshot: %s", error->message);
      respond_error (r->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", _("The server could not complete the request"));
    }
  else
    {
      /* The mapping outlives the file: it is gone from disk at once. */
      bytes = g_mapped_file_get_bytes (file);
      seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);
      soup_message_headers_replace (soup_server_message_get_response_headers (r->msg), "X-Liandong-Seq", seq_text);
      soup_server_message_set_status (r->msg, SOUP_STATUS_OK, NULL);
      soup_message_headers_set_content_type (soup_server_message_get_response_headers (r->msg),
                                             "application/vnd.sqlite3", NULL);
      soup_message_body_append_bytes (soup_server_message_get_response_body (r->msg), bytes);
    }
  if (path)
    g_unlink (path);
  if (dir)
    g_rmdir (dir);
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* POST /import (admin): the interchange files as multipart/form-data parts
 * named by their file names; ?gcj02=1 for GCJ-02 coordinates. All or
 * nothing, like the command line. */
static void
handle_import (LdServer *self, Request *r)
{
  static const char *contract[] = {
    "regions.csv", "regions.geojson", "units.csv", "categories.csv", "incidents.csv", "orders.csv",
    "feedback.csv", "drills.csv", "drill_units.csv", "roll_calls.csv", NULL
  };
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (r->msg));
  g_autoptr(SoupMultipart) multipart = soup_multipart_new_from_message (soup_server_message_get_request_headers (r->msg), body);
  g_autofree char *dir = g_dir_make_tmp ("liandong-import-XXXXXX", NULL);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  const char *gcj02 = r->query ? g_hash_table_lookup (r->query, "gcj02") : NULL;
  LdImportCounts counts;

  if (multipart == NULL || dir == NULL)
    {
      respond_error (r->msg, SOUP_STATUS_BAD_REQUEST, "invalid", _("Send the files as multipart/form-data"));
      goto out;
    }
  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *headers;
      GBytes *part;
      g_autoptr(GHashTable) params = NULL;
      g_autofree char *path = NULL;
      const char *name;

      soup_multipart_get_part (multipart, i, &headers, &part);
      if (!soup_message_headers_get_content_disposition (headers, NULL, &params))
        continue;
      name = g_hash_table_lookup (params, "filename");
      if (name == NULL)
        name = g_hash_table_lookup (params, "name");
      /* Only the contract's names: a part can never write elsewhere. */
      if (name == NULL || !g_strv_contains (contract, name))
        {
          g_autofree char *message = g_strdup_printf (_("“%s” is not one of the interchange files"), name ? name : "");
          respond_error (r->msg, SOUP_STATUS_BAD_REQUEST, "invalid", message);
          goto out;
        }
      path = g_build_filename (dir, name, NULL);
      if (!g_file_set_contents (path, g_bytes_get_data (part, NULL), g_bytes_get_size (part), &error))
        {
          respond_store_error (r->msg, error);
          goto out;
        }
    }

  if (!ld_import_dir (self->store, dir, g_strcmp0 (gcj02, "1") == 0, &counts, problems, &error))
    {
      if (error->domain != LD_IMPORT_ERROR)
        {
          respond_store_error (r->msg, error);
          goto out;
        }
      json_builder_begin_object (b);
      ld_json_add_string (b, "error", error->code == LD_IMPORT_ERROR_BAD_ROWS ? "bad-rows" : "invalid");
      ld_json_add_string (b, "message", error->message);
      json_builder_set_member_name (b, "problems");
      json_builder_begin_array (b);
      for (guint i = 0; i < problems->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (problems, i));
      json_builder_end_array (b);
      json_builder_end_object (b);
      {
        g_autoptr(JsonNode) root = json_builder_get_root (b);
        respond_json (r->msg, SOUP_STATUS_BAD_REQUEST, root);
      }
      goto out;
    }

  json_builder_begin_object (b);
#define COUNT(field) ld_json_add_int (b, #field, counts.field)
  COUNT (regions); COUNT (boundaries); COUNT (units); COUNT (categories); COUNT (incidents);
  COUNT (orders); COUNT (feedback); COUNT (drills); COUNT (drill_units); COUNT (roll_calls);
#undef COUNT
  json_builder_end_object (b);
  respond_builder (r->msg, b);
  announce (self, ld_store_get_sequence (self->store), NULL);

out:
  if (dir)
    remove_dir (dir);
}

/* GET /audit?incident=ID|unit=CODE|user=NAME&from=&to=&limit= (admin) */
static void
handle_audit (LdServer *self, Request *r)
{
  LdEventFilter filter = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *limit_text = r->query ? g_hash_table_lookup (r->query, "limit") : NULL;
  GTimeZone *tz = ld_store_get_time_zone (self->store);
  guint64 limit = 200;

  if (r->query)
    {
      filter.incident_id = g_hash_table_lookup (r->query, "incident");
      filter.unit_code = g_hash_table_lookup (r->query, "unit");
      filter.user = g_hash_table_lookup (r->query, "user");
    }
  if (!query_time (r, "from", &filter.from) || !query_time (r, "to", &filter.to))
    return;
  if (limit_text && !g_ascii_string_to_unsigned (limit_text, 10, 1, 10000, &limit, NULL))
    {
      respond_error (r->msg, SOUP_STATUS_BAD_REQUEST, "invalid", _("limit must be 1 to 10000"));
      return;
    }
  filter.limit = limit;
  events = ld_store_list_events (self->store, &filter, &error);
  if (events == NULL)
    {
      respond_store_error (r->msg, error);
      return;
    }
  json_builder_begin_array (b);
  for (guint i = 0; i < events->len; i++)
    {
      LdEvent *e = g_ptr_array_index (events, i);
      g_autofree char *at = ld_time_format_iso (e->at, tz);
      JsonNode *node;

      json_builder_begin_object (b);
      ld_json_add_int (b, "seq", e->seq);
      ld_json_add_string (b, "at", at);
      ld_json_add_string (b, "user", e->actor);
      ld_json_add_string (b, "device", e->device);
      ld_json_add_string (b, "remote", e->remote);
      ld_json_add_string (b, "entity", e->entity);
      ld_json_add_string (b, "entity_id", e->entity_id);
      ld_json_add_string (b, "action", e->action);
      json_builder_set_member_name (b, "data");
      node = e->data ? json_from_string (e->data, NULL) : NULL;
      if (node)
        json_builder_add_value (b, node);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  respond_builder (r->msg, b);
}

static const Route routes[] = {
  { "POST", "/login", ROLE_NONE, TRUE, handle_login },
  { "POST", "/logout", ROLE_ANY, FALSE, handle_logout },
  { "GET", "/me", ROLE_ANY, FALSE, handle_me },
  { "GET", "/regions", ROLE_ANY, FALSE, handle_regions },
  { "GET", "/units", ROLE_ANY, FALSE, handle_units },
  { "GET", "/categories", ROLE_ANY, FALSE, handle_categories },
  { "GET", "/reports/month", ROLE_ADMIN | ROLE_LEADER | ROLE_DISPATCHER | ROLE_INSPECTOR, FALSE, handle_report_month },
  { "GET", "/users", ROLE_ADMIN, FALSE, handle_users },
  { "POST", "/sync/push", ROLE_ANY, TRUE, handle_push },
  { "GET", "/sync/pull", ROLE_ANY, FALSE, handle_pull },
  { "GET", "/sync/snapshot", ROLE_ANY, FALSE, handle_snapshot },
  { "GET", "/audit", ROLE_ADMIN, FALSE, handle_audit },
  { "POST", "/import", ROLE_ADMIN, FALSE, handle_import },
};

/* Dispatch */

/* A token bucket per remote host: a client that floods gets 429 and the
 * others are served. */
static gboolean
allow_request (LdServer *self, const char *host)
{
  gint64 now = g_get_monotonic_time ();
  Bucket *bucket = g_hash_table_lookup (self->buckets, host ? host : "");

  if (bucket == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      bucket->tokens = self->burst;
      bucket->updated = now;
      g_hash_table_insert (self->buckets, g_strdup (host ? host : ""), bucket);
    }
  bucket->tokens = MIN (self->burst, bucket->tokens + (now - bucket->updated) / 1e6 * self->per_second);
  bucket->updated = now;
  if (bucket->tokens < 1)
    return FALSE;
  bucket->tokens -= 1;
  return TRUE;
}

static LdUser *
authenticate (LdServer *self, SoupServerMessage *msg, char **token_hash, char **device)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  if (header == NULL || !g_str_has_prefix (header, "Bearer ") || header[7] == '\0')
    return NULL;
  *token_hash = ld_auth_hash_token (header + 7);
  return ld_store_lookup_session (self->store, *token_hash, ld_time_now (), device);
}

static void
handle_request (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  LdServer *self = data;
  const char *method = soup_server_message_get_method (msg);
  const Route *route = NULL;
  gboolean path_known = FALSE;
  Request request = { self, msg, };
  g_autofree char *tail = NULL;

  if (!allow_request (self, soup_server_message_get_remote_host (msg)))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "1");
      /* libsoup 3.2 names no 429. */
      respond_error (msg, 429, "rate-limited", _("Too many requests: slow down"));
      return;
    }
  if (!g_str_has_prefix (path, "/api/v1/"))
    {
      respond_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", _("No such endpoint"));
      return;
    }
  tail = g_strdup (path + strlen ("/api/v1"));
  for (guint i = 0; i < G_N_ELEMENTS (routes) && route == NULL; i++)
    {
      gboolean with_id = g_str_has_suffix (routes[i].path, "/");
      gboolean matches = with_id
        ? g_str_has_prefix (tail, routes[i].path) && tail[strlen (routes[i].path)] != '\0' &&
          strchr (tail + strlen (routes[i].path), '/') == NULL
        : g_str_equal (tail, routes[i].path);

      if (!matches)
        continue;
      path_known = TRUE;
      if (g_str_equal (method, routes[i].method))
        {
          route = &routes[i];
          request.id = with_id ? tail + strlen (routes[i].path) : NULL;
        }
    }
  if (route == NULL)
    {
      if (path_known)
        respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed", _("This endpoint does not take that method"));
      else
        respond_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", _("No such endpoint"));
      return;
    }

  if (route->roles != ROLE_NONE)
    {
      request.user = authenticate (self, msg, &request.token_hash, &request.device);
      if (request.user == NULL)
        {
          respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized", _("Log in first: no valid token"));
          goto out;
        }
      if ((role_bit (request.user->role) & route->roles) == 0)
        {
          respond_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden", _("Your role may not do this"));
          goto out;
        }
    }

  if (route->json_body)
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
      g_autoptr(GError) error = NULL;
      gsize length;
      const char *data_text = g_bytes_get_data (bytes, &length);

      if (length > self->body_limit)
        {
          respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", _("The request body is too large"));
          goto out;
        }
      if (!json_parser_load_from_data (parser, data_text ? data_text : "", length, &error))
        {
          g_autofree char *message = g_strdup_printf (_("The body is not JSON: %s"), error->message);
          respond_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed-json", message);
          goto out;
        }
      /* An empty body parses to no root at all. */
      if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          respond_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed-json", _("The body must be a JSON object"));
          goto out;
        }
      request.body = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
    }

  request.query = query;
  route->handler (self, &request);

out:
  g_clear_pointer (&request.user, ld_user_free);
  g_clear_pointer (&request.body, json_object_unref);
  g_free (request.device);
  g_free (request.token_hash);
}

/* Refuses an oversized body from its headers, before it is read. */
static void
check_length (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  LdServer *self = data;
  goffset length = soup_message_headers_get_content_length (soup_server_message_get_request_headers (msg));
  gsize limit = g_str_equal (path, "/api/v1/import") ? MAX (IMPORT_BODY_LIMIT, self->body_limit) : self->body_limit;

  if (length > (goffset) limit)
    respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", _("The request body is too large"));
}

static void
ld_server_finalize (GObject *object)
{
  LdServer *self = (LdServer *) object;

  g_clear_handle_id (&self->sweep_id, g_source_remove);
  g_clear_pointer (&self->subscribers, g_ptr_array_unref);
  if (self->soup)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->store);
  g_clear_pointer (&self->buckets, g_hash_table_unref);

  G_OBJECT_CLASS (ld_server_parent_class)->finalize (object);
}

static void
ld_server_class_init (LdServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ld_server_finalize;
}

static void
ld_server_init (LdServer *self)
{
  self->body_limit = DEFAULT_BODY_LIMIT;
  self->burst = 200;
  self->per_second = 50;
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->subscribers = g_ptr_array_new_with_free_func ((GDestroyNotify) subscriber_free);
}

LdServer *
ld_server_new (LdStore *store)
{
  LdServer *self = g_object_new (LD_TYPE_SERVER, NULL);
  self->store = g_object_ref (store);
  return self;
}

void
ld_server_set_body_limit (LdServer *self, gsize bytes)
{
  self->body_limit = bytes;
}

void
ld_server_set_rate_limit (LdServer *self, guint burst, double per_second)
{
  self->burst = burst;
  self->per_second = per_second;
}

gboolean
ld_server_listen (LdServer *self, const char *address, guint port, GTlsCertificate *certificate,
                  GError **error)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);
  g_autoptr(GSocketAddress) socket_address = NULL;

  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("“%s” is not an IP address"), address);
      return FALSE;
    }
  self->soup = soup_server_new ("server-header", "liandong/" PACKAGE_VERSION, "tls-certificate", certificate, NULL);
  soup_server_add_early_handler (self->soup, NULL, check_length, self, NULL);
  soup_server_add_websocket_handler (self->soup, "/api/v1/live", NULL, NULL, handle_live, self, NULL);
  soup_server_add_handler (self->soup, NULL, handle_request, self, NULL);
  self->sweep_id = g_timeout_add_seconds (SWEEP_INTERVAL_S, sweep_deadlines, self);
  socket_address = g_inet_socket_address_new (inet, port);
  return soup_server_listen (self->soup, socket_address, certificate ? SOUP_SERVER_LISTEN_HTTPS : 0, error);
}

guint
ld_server_get_port (LdServer *self)
{
  GSList *uris = soup_server_get_uris (self->soup);
  guint port = uris ? (guint) g_uri_get_port (uris->data) : 0;

  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return port;
}
