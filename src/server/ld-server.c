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
#include <fcntl.h>
#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sodium.h>
#include <string.h>

#include "ld-auth.h"
#include "ld-connection-guard.h"
#include "ld-import.h"
#include "ld-json.h"
#include "ld-record-json.h"
#include "ld-bulletin.h"
#include "ld-report.h"
#include "ld-server.h"
#include "ld-simulator.h"
#include "ld-training.h"
#include "ld-snapshot.h"
#include "ld-sync.h"
#include "ld-upload.h"

#define DEFAULT_BODY_LIMIT (8 * 1024 * 1024)
/* A year of a city's files is a few hundred MiB. */
#define IMPORT_BODY_LIMIT (G_GUINT64_CONSTANT (1) << 30)
#define MAX_BATCH 1000
#define SESSION_LIFETIME_US (G_GINT64_CONSTANT (12) * 3600 * LD_USEC_PER_S)
/* A request's headers (and a TLS handshake) within this of its accept; a
 * body may pause this long between two chunks. */
#define DEFAULT_REQUEST_MS 10000
#define DEFAULT_BODY_MS 30000
/* A thousand desks reconnecting after the server restarts. */
#define LISTEN_BACKLOG 1024
/* Sign-ins waiting for a password check: past that, 503 at once. */
#define MAX_WAITING_SIGN_INS 64
/* Failed sign-ins: this many are free; after that each one doubles the
 * wait before the next is heard, up to the cap. An account counts every
 * failure from anywhere; an address is given more, as a room of desks
 * may share one. Forgotten after a quiet while. */
#define FREE_FAILURES_ACCOUNT 5
#define FREE_FAILURES_ADDRESS 20
#define MAX_FAILURE_WAIT_S 300
#define FORGET_FAILURES_US (G_GINT64_CONSTANT (15) * 60 * G_USEC_PER_SEC)
/* Bounds of what a sign-in carries. */
#define MAX_NAME_LENGTH 64
#define MAX_PASSWORD_LENGTH 1024
#define MAX_DEVICE_LENGTH 128

typedef enum {
  ROLE_ADMIN      = 1 << 0,
  ROLE_DISPATCHER = 1 << 1,
  ROLE_INSPECTOR  = 1 << 2,
  ROLE_LEADER     = 1 << 3,
  ROLE_UNIT       = 1 << 4,
  ROLE_ANY        = 0x1f,
  ROLE_NONE       = 0,     /* no login needed */
} Role;

typedef struct _Route Route;

/* What check_headers() learned of a request, kept on its message. */
typedef struct {
  const Route       *route;
  char              *id;
  LdUser            *user;
  char              *device;
  char              *token_hash;
  gsize              limit;     /* of the body */
  guint64            received;  /* of the body, so far */
  gboolean           refused;
  GOutputStream     *upload;    /* an import's body, written to disk as it comes */
  char              *upload_path;
} Pending;

typedef struct {
  LdServer          *server;
  SoupServerMessage *msg;
  LdUser            *user;      /* NULL for routes that need no login */
  char              *device;
  char              *token_hash;
  const char        *id;        /* the path's last segment, for /things/{id} */
  GHashTable        *query;
  JsonObject        *body;      /* for requests with a JSON body */
  Pending           *pending;
} Request;

typedef void (*Handler) (LdServer *self, Request *request);

struct _Route {
  const char *method;
  const char *path;             /* below /api/v1; a trailing "/" takes an id */
  Role        roles;
  gboolean    json_body;
  gboolean    takes_body;
  Handler     handler;
};

typedef struct {
  double tokens;
  gint64 updated;
} Bucket;

typedef struct {
  guint  count;
  gint64 until;                 /* real time: no attempt heard before */
  gint64 updated;               /* monotonic */
} Failures;

struct _LdServer
{
  GObject            parent_instance;

  LdStore           *store;
  SoupServer        *soup;
  LdConnectionGuard *guard;
  GMainContext      *context;
  gsize              body_limit;
  guint              burst;
  double             per_second;
  GHashTable        *buckets;     /* remote host → Bucket */
  GHashTable        *failures;    /* "user:NAME" or "addr:HOST" → Failures */
  GPtrArray         *subscribers; /* Subscriber: the live feed's connections */
  GThreadPool       *password_pool;
  guint              waiting_sign_ins;
  gboolean           importing;
  char              *work_dir;
  gboolean           own_work_dir;
  guint              request_ms;
  guint              body_ms;
  guint              sweep_ms;
  guint              max_connections;
  guint              sweep_id;
  LdSimulator       *simulator;
  guint              simulate_id;
  gint64             roll_calls_checked; /* the roll-call times up to this moment are run */
};

typedef struct {
  LdServer                *server;
  SoupWebsocketConnection *connection;
  LdUser                  *user;
  char                    *token_hash;
} Subscriber;

static void remove_tree (const char *path);
static void refuse      (LdServer *self, SoupServerMessage *msg, guint status, const char *code,
                         const char *message);

/* How often deadlines are checked: a missed one is recorded and announced
 * within this many seconds. Ended sessions lose their live feed as often. */
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
respond_builder (SoupServerMessage *msg, JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  respond_json (msg, SOUP_STATUS_OK, root);
}

/* Handlers */


/* Refused while an import holds the store's write lock: the desk tries
 * again shortly, as after any lost answer. */
static gboolean
refuse_if_importing (LdServer *self, SoupServerMessage *msg)
{
  if (!self->importing)
    return FALSE;
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "5");
  respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy", _("An import is under way: try again in a moment"));
  return TRUE;
}

/* Sign-in */

static Failures *
find_failures (LdServer *self, const char *key)
{
  return g_hash_table_lookup (self->failures, key);
}

/* Seconds before @key may try again; 0 when it may now. */
static gint64
failure_wait (LdServer *self, const char *key)
{
  Failures *f = find_failures (self, key);
  gint64 now = g_get_monotonic_time ();

  return f && f->until > now ? (f->until - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC : 0;
}

static void
note_failure (LdServer *self, const char *key, guint free_failures)
{
  Failures *f = find_failures (self, key);
  gint64 now = g_get_monotonic_time ();

  if (f == NULL)
    {
      f = g_new0 (Failures, 1);
      g_hash_table_insert (self->failures, g_strdup (key), f);
    }
  f->count++;
  f->updated = now;
  if (f->count >= free_failures)
    f->until = now + MIN ((gint64) 1 << MIN (f->count - free_failures, 20), MAX_FAILURE_WAIT_S) * G_USEC_PER_SEC;
}

static void
forget_failures (LdServer *self)
{
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  Failures *f;

  g_hash_table_iter_init (&iter, self->failures);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &f))
    if (f->until <= now && now - f->updated > FORGET_FAILURES_US)
      g_hash_table_iter_remove (&iter);
}

typedef struct {
  LdServer          *server;
  SoupServerMessage *msg;
  LdUser            *user;      /* NULL: no such user */
  char              *hash;      /* the user's, or a stand-in of the same cost */
  char              *password;
  char              *device;
  char              *user_key;
  char              *address_key;
  gboolean           ok;
} SignIn;

static void
sign_in_free (SignIn *s)
{
  sodium_memzero (s->password, strlen (s->password));
  g_free (s->password);
  g_free (s->hash);
  g_free (s->device);
  g_free (s->user_key);
  g_free (s->address_key);
  g_clear_pointer (&s->user, ld_user_free);
  g_object_unref (s->msg);
  g_object_unref (s->server);
  g_free (s);
}

static gboolean
finish_sign_in (gpointer data)
{
  SignIn *s = data;
  LdServer *self = s->server;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL, *token = NULL, *expires_text = NULL;
  gint64 expires;

  self->waiting_sign_ins--;
  soup_server_message_unpause (s->msg);
  /* The same answer, after the same work, for an unknown user and a
   * wrong password. */
  if (!s->ok)
    {
      note_failure (self, s->user_key, FREE_FAILURES_ACCOUNT);
      note_failure (self, s->address_key, FREE_FAILURES_ADDRESS);
      respond_error (s->msg, SOUP_STATUS_UNAUTHORIZED, "bad-credentials", _("Wrong user name or password"));
      goto out;
    }
  if (refuse_if_importing (self, s->msg))
    goto out;
  g_hash_table_remove (self->failures, s->user_key);
  token = ld_auth_new_token (&hash);
  expires = ld_time_now () + SESSION_LIFETIME_US;
  if (!ld_store_add_session (self->store, hash, s->user->name, s->device, expires, &error))
    {
      respond_store_error (s->msg, error);
      goto out;
    }
  expires_text = ld_time_format_iso (expires, ld_store_get_time_zone (self->store));
  json_builder_begin_object (b);
  ld_json_add_string (b, "token", token);
  ld_json_add_string (b, "expires_at", expires_text);
  /* A desk signed in to a training store says so in every window. */
  json_builder_set_member_name (b, "training");
  json_builder_add_boolean_value (b, ld_store_is_training (self->store));
  json_builder_set_member_name (b, "user");
  ld_record_json_add_user (b, s->user);
  json_builder_end_object (b);
  respond_builder (s->msg, b);
out:
  sign_in_free (s);
  return G_SOURCE_REMOVE;
}

/* In the password pool: argon2 takes a tenth of a second, which the main
 * loop, the live feed and every other desk do not wait for. */
static void
check_password_job (gpointer data, gpointer pool_data)
{
  SignIn *s = data;

  s->ok = ld_auth_check_password (s->hash, s->password) && s->user != NULL;
  g_main_context_invoke (s->server->context, finish_sign_in, s);
}

static void
handle_login (LdServer *self, Request *r)
{
  const char *name = ld_json_get_string (r->body, "user");
  const char *password = ld_json_get_string (r->body, "password");
  const char *device = ld_json_get_string (r->body, "device");
  const char *host = soup_server_message_get_remote_host (r->msg);
  g_autofree char *user_key = NULL, *address_key = NULL;
  SignIn *s;
  gint64 wait;

  if (name == NULL || password == NULL)
    {
      respond_error (r->msg, SOUP_STATUS_BAD_REQUEST, "invalid", _("Login needs “user” and “password” strings"));
      return;
    }
  if (strlen (name) > MAX_NAME_LENGTH || strlen (password) > MAX_PASSWORD_LENGTH ||
      (device && strlen (device) > MAX_DEVICE_LENGTH))
    {
      respond_error (r->msg, SOUP_STATUS_BAD_REQUEST, "invalid", _("The user name, password or device name is too long"));
      return;
    }
  user_key = g_strconcat ("user:", name, NULL);
  address_key = g_strconcat ("addr:", host ? host : "", NULL);
  /* Known and unknown names wait alike, so the wait tells nothing. */
  wait = MAX (failure_wait (self, user_key), failure_wait (self, address_key));
  if (wait > 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%" G_GINT64_FORMAT, wait);
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                              "Too many failed sign-ins: try again in %d second",
                                                              "Too many failed sign-ins: try again in %d seconds",
                                                              (gulong) wait), (int) wait);

      soup_message_headers_replace (soup_server_message_get_response_headers (r->msg), "Retry-After", seconds);
      respond_error (r->msg, 429, "rate-limited", message);
      return;
    }
  if (self->waiting_sign_ins >= MAX_WAITING_SIGN_INS)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (r->msg), "Retry-After", "1");
      respond_error (r->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy", _("Many are signing in at once: try again in a moment"));
      return;
    }

  s = g_new0 (SignIn, 1);
  s->server = g_object_ref (self);
  s->msg = g_object_ref (r->msg);
  s->user = ld_store_get_user (self->store, name, NULL);
  s->hash = g_strdup (s->user && s->user->password_hash ? s->user->password_hash : ld_auth_dummy_hash ());
  s->password = g_strdup (password);
  s->device = g_strdup (device);
  s->user_key = g_steal_pointer (&user_key);
  s->address_key = g_steal_pointer (&address_key);
  self->waiting_sign_ins++;
  soup_server_message_pause (r->msg);
  g_thread_pool_push (self->password_pool, s, NULL);
}

static void close_subscribers (LdServer *self, const char *token_hash, gboolean ended_only);

static void
handle_logout (LdServer *self, Request *r)
{
  g_autoptr(GError) error = NULL;

  if (refuse_if_importing (self, r->msg))
    return;
  if (!ld_store_delete_session (self->store, r->token_hash, &error))
    {
      respond_store_error (r->msg, error);
      return;
    }
  soup_server_message_set_status (r->msg, SOUP_STATUS_NO_CONTENT, NULL);
  close_subscribers (self, r->token_hash, FALSE);
}

static void
handle_me (LdServer *self, Request *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  ld_record_json_add_user (b, r->user);
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

      ld_record_json_add_region (b, region, boundary);
    }
  json_builder_end_array (b);
  respond_builder (r->msg, b);
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
    ld_record_json_add_unit (b, g_ptr_array_index (units, i));
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
    ld_record_json_add_category (b, g_ptr_array_index (categories, i));
  json_builder_end_array (b);
  respond_builder (r->msg, b);
}

/* Work that takes seconds at a city's scale (a bulletin, a desk's first
 * copy, an import) runs in a thread on its own connection to the store:
 * the main loop goes on serving the desks and the live feed meanwhile. A
 * store in memory has no second connection, and works in place. */
typedef struct _Job Job;
typedef gboolean (*JobWork) (Job *job, LdStore *store, GError **error);
typedef void     (*JobDone) (Job *job, const GError *error);

struct _Job {
  LdServer          *server;
  SoupServerMessage *msg;
  char              *db_path;
  JobWork            work;
  JobDone            done;
  gpointer           data;
  GDestroyNotify     free_data;
};

static void
job_free (Job *job)
{
  if (job->free_data)
    job->free_data (job->data);
  g_object_unref (job->msg);
  g_object_unref (job->server);
  g_free (job->db_path);
  g_free (job);
}

static void
job_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *job = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(LdStore) store = ld_store_open (job->db_path, &error);

  if (store && job->work (job, store, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
job_finished (GObject *source, GAsyncResult *result, gpointer data)
{
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  job->done (job, error);
  soup_server_message_unpause (job->msg);
}

static void
run_job (LdServer *self, SoupServerMessage *msg, JobWork work, JobDone done, gpointer data,
         GDestroyNotify free_data)
{
  Job *job = g_new0 (Job, 1);
  g_autoptr(GTask) task = NULL;

  job->server = g_object_ref (self);
  job->msg = g_object_ref (msg);
  job->db_path = g_strdup (ld_store_get_path (self->store));
  job->work = work;
  job->done = done;
  job->data = data;
  job->free_data = free_data;
  if (!g_path_is_absolute (job->db_path))
    {
      g_autoptr(GError) error = NULL;

      work (job, self->store, &error);
      done (job, error);
      job_free (job);
      return;
    }
  task = g_task_new (NULL, NULL, job_finished, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  soup_server_message_pause (msg);
  g_task_run_in_thread (task, job_thread);
}

typedef struct {
  LdPeriod    period;
  char       *region;
  char       *format;
  const char *content_type;
  gint64      now;
  GBytes     *body;
} ReportJob;

static void
report_job_free (ReportJob *report)
{
  g_free (report->region);
  g_free (report->format);
  g_clear_pointer (&report->body, g_bytes_unref);
  g_free (report);
}

static gboolean
render_report (Job *job, LdStore *store, GError **error)
{
  ReportJob *r = job->data;
  g_autoptr(LdReport) report = ld_report_new (store, &r->period, r->region, r->now, error);

  return report && (r->body = ld_bulletin_render (report, store, r->format, error)) != NULL;
}

static void
report_rendered (Job *job, const GError *error)
{
  ReportJob *r = job->data;

  if (error)
    {
      respond_store_error (job->msg, error);
      return;
    }
  soup_server_message_set_status (job->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (job->msg, r->content_type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body));
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
  {
    ReportJob *job = g_new0 (ReportJob, 1);

    job->period = period;
    job->region = g_strdup (region);
    job->format = g_strdup (format);
    job->content_type = content_type;
    job->now = ld_time_now ();
    run_job (self, r->msg, render_report, report_rendered, job, (GDestroyNotify) report_job_free);
  }
}

typedef struct {
  gint64     since;
  JsonNode  *root;
} TrainingJob;

static void
training_job_free (TrainingJob *training)
{
  g_clear_pointer (&training->root, json_node_unref);
  g_free (training);
}

static gboolean
judge_training (Job *job, LdStore *store, GError **error)
{
  TrainingJob *t = job->data;
  g_autoptr(LdTrainingReport) report = ld_training_report_new (store, t->since, ld_time_now () + 1, error);

  if (report == NULL)
    return FALSE;
  t->root = ld_training_report_to_json (report, t->since, ld_store_get_time_zone (store));
  return TRUE;
}

static void
training_judged (Job *job, const GError *error)
{
  TrainingJob *t = job->data;

  if (error)
    respond_store_error (job->msg, error);
  else
    respond_json (job->msg, SOUP_STATUS_OK, t->root);
}

/* GET /training/report[?since=T]: the trainee's session judged, for the
 * desk to show; the same judgement as `liandong-server training-report`.
 * Only a training store has one. */
static void
handle_training_report (LdServer *self, Request *r)
{
  const char *since = r->query ? g_hash_table_lookup (r->query, "since") : NULL;
  g_autoptr(GError) error = NULL;
  TrainingJob *job;

  if (!ld_store_is_training (self->store))
    {
      respond_error (r->msg, SOUP_STATUS_NOT_FOUND, "not-training", _("This server is not a training server"));
      return;
    }
  job = g_new0 (TrainingJob, 1);
  job->since = ld_time_now () - LD_TRAINING_SESSION_US;
  if (since && !ld_time_parse (since, ld_store_get_time_zone (self->store), &job->since, &error))
    {
      training_job_free (job);
      respond_error (r->msg, SOUP_STATUS_BAD_REQUEST, "invalid", error->message);
      return;
    }
  run_job (self, r->msg, judge_training, training_judged, job, (GDestroyNotify) training_job_free);
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
    ld_record_json_add_user (b, g_ptr_array_index (users, i));
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
  g_free (sub->token_hash);
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

static void update_connection_budget (LdServer *self);

static void
on_subscriber_closed (SoupWebsocketConnection *connection, Subscriber *sub)
{
  LdServer *self = sub->server;

  g_ptr_array_remove (self->subscribers, sub);
  update_connection_budget (self);
}

/* A feed lives no longer than its session: closed at its logout
 * (@token_hash), or when @ended_only, for every session that expired or
 * whose user was removed. */
static void
close_subscribers (LdServer *self, const char *token_hash, gboolean ended_only)
{
  gint64 now = ld_time_now ();

  for (guint i = 0; i < self->subscribers->len; i++)
    {
      Subscriber *sub = g_ptr_array_index (self->subscribers, i);
      g_autoptr(LdUser) user = NULL;

      if (soup_websocket_connection_get_state (sub->connection) != SOUP_WEBSOCKET_STATE_OPEN)
        continue;
      if (ended_only ? (user = ld_store_lookup_session (self->store, sub->token_hash, now, NULL)) != NULL
                     : g_strcmp0 (sub->token_hash, token_hash) != 0)
        continue;
      soup_websocket_connection_close (sub->connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                                       _("The session has ended: sign in again"));
    }
}

static void
close_ended_sessions (LdServer *self)
{
  close_subscribers (self, NULL, TRUE);
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

  /* Its connection now lives as long as its peer keeps it. */
  ld_connection_guard_release (self->guard, msg);

  if (user == NULL && (token = token_from_query (msg)) != NULL && strlen (token) <= 256)
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
  sub->token_hash = g_steal_pointer (&token_hash);
  g_signal_connect (connection, "closed", G_CALLBACK (on_subscriber_closed), sub);
  g_ptr_array_add (self->subscribers, sub);
  update_connection_budget (self);

  /* Where the feed starts, so a client knows at once whether to pull. */
  hello = g_strdup_printf ("{\"seq\":%" G_GINT64_FORMAT "}", ld_store_get_sequence (self->store));
  soup_websocket_connection_send_text (connection, hello);
}

/* Deadlines pass whether or not anyone acts: record them and say so.
 * An import holds the store meanwhile; its end is announced anyway. */
static void
sweep_deadlines (LdServer *self)
{
  g_autoptr(GError) error = NULL;
  guint marked = 0;

  if (self->importing)
    return;
  if (!ld_store_mark_overdue (self->store, ld_time_now (), &marked, &error))
    g_warning ("%s", error->message);
  else if (marked > 0)
    announce (self, ld_store_get_sequence (self->store), NULL);
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
  if (g_strcmp0 (entity, "duty") == 0)
    {
      g_autoptr(LdDuty) turn = ld_store_get_duty (self->store, id, NULL);
      if (turn)
        g_hash_table_add (units, g_strdup (turn->unit_code));
      return;
    }
  if (g_strcmp0 (entity, "roll_call") == 0)
    {
      g_autoptr(GPtrArray) rows = ld_store_list_roll_call_rows (self->store, id, NULL, NULL);
      for (guint i = 0; rows && i < rows->len; i++)
        g_hash_table_add (units, g_strdup (((LdRollCall *) g_ptr_array_index (rows, i))->unit_code));
      return;
    }
  orders = ld_store_list_orders (self->store, id, NULL);
  for (guint i = 0; orders && i < orders->len; i++)
    g_hash_table_add (units, g_strdup (((LdOrder *) g_ptr_array_index (orders, i))->unit_code));
}

/* The simulated city's acts due now, applied as pushes are: one
 * transaction, each act validated on its own, the feed told. Units with a
 * desk of their own on the live feed work their orders themselves. */
static gboolean
simulate (gpointer data)
{
  LdServer *self = data;
  g_autoptr(GHashTable) staffed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) units = NULL;
  g_autoptr(GPtrArray) acts = NULL;
  g_autoptr(GError) error = NULL;
  guint accepted = 0;

  if (self->importing)
    return G_SOURCE_CONTINUE;
  for (guint i = 0; i < self->subscribers->len; i++)
    {
      Subscriber *sub = g_ptr_array_index (self->subscribers, i);

      if (g_strcmp0 (sub->user->role, "unit") == 0 && sub->user->unit_code)
        g_hash_table_add (staffed, sub->user->unit_code);
    }
  acts = ld_simulator_take_due (self->simulator, ld_time_now (), staffed, &error);
  if (acts == NULL)
    {
      g_warning ("simulator: %s", error->message);
      return G_SOURCE_CONTINUE;
    }
  if (acts->len == 0)
    return G_SOURCE_CONTINUE;
  if (!ld_store_begin (self->store, &error))
    {
      g_warning ("simulator: %s", error->message);
      return G_SOURCE_CONTINUE;
    }
  units = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < acts->len; i++)
    {
      LdSimulatedAct *act = g_ptr_array_index (acts, i);
      LdActor actor = { act->user->name, LD_SIMULATOR_DEVICE, NULL };
      g_autoptr(GError) refused = NULL;
      gint64 seq = 0;

      if (ld_sync_apply (self->store, act->operation, act->user, &actor, &seq, &refused) == LD_SYNC_ACCEPTED)
        {
          accepted++;
          collect_units (self, act->operation, units);
        }
      else if (refused)
        g_debug ("simulated %s %s refused: %s", ld_json_get_string (act->operation, "entity"),
                 ld_json_get_string (act->operation, "action"), refused->message);
    }
  if (!ld_store_commit (self->store, &error))
    {
      g_warning ("simulator: %s", error->message);
      return G_SOURCE_CONTINUE;
    }
  if (accepted > 0)
    announce (self, ld_store_get_sequence (self->store), units);
  return G_SOURCE_CONTINUE;
}

/* The center's roll calls that run by themselves (the setting
 * "roll_call_times") go the way a dispatcher's do, as an operation of the
 * server's own. Each time of day makes one roll call, whose id it gives:
 * a server started again within the minute starts it once. */
#define SERVER_NAME "server"

static void
start_roll_call (LdServer *self, gint64 slot, gint64 now)
{
  LdUser user = { .name = SERVER_NAME, .role = "dispatcher" };
  LdActor actor = { SERVER_NAME, SERVER_NAME, NULL };
  g_autoptr(JsonObject) op = json_object_new ();
  g_autofree char *at = ld_time_format_iso (now, ld_store_get_time_zone (self->store));
  g_autoptr(GError) error = NULL;
  LdSyncStatus status;
  char id[37];
  gint64 seq = 0;

  ld_id_format (id, slot, 0, 0);
  json_object_set_string_member (op, "id", id);
  json_object_set_string_member (op, "entity", "roll_call");
  json_object_set_string_member (op, "entity_id", id);
  json_object_set_string_member (op, "action", "start");
  json_object_set_string_member (op, "at", at);
  json_object_set_object_member (op, "fields", json_object_new ());
  status = ld_sync_apply (self->store, op, &user, &actor, &seq, &error);
  /* A duplicate is the same roll call, started already. */
  if (status == LD_SYNC_ACCEPTED)
    announce (self, seq, NULL);
  else if (status == LD_SYNC_REFUSED)
    g_warning ("roll call at %s: %s", at, error->message);
}

/* Checked with the deadlines: a setting read and a few dates. */
static void
run_roll_calls (LdServer *self)
{
  gint64 now = ld_time_now ();
  g_autoptr(GArray) slots = NULL;

  /* An import holds the store: its roll calls run when it is done. */
  if (self->importing)
    return;
  slots = ld_store_list_roll_call_slots (self->store, self->roll_calls_checked, now);
  self->roll_calls_checked = now;
  for (guint i = 0; i < slots->len; i++)
    start_roll_call (self, g_array_index (slots, gint64, i), now);
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

  if (refuse_if_importing (self, r->msg))
    return;
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
          const char *code = refusal_code (error);

          /* The store's own words (SQL, paths) stay in the server's log. */
          if (g_str_equal (code, "internal"))
            g_warning ("push: %s", error->message);
          ld_json_add_string (b, "code", code);
          ld_json_add_string (b, "reason", g_str_equal (code, "internal")
                                             ? _("The server could not complete the request") : error->message);
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

typedef struct {
  LdUser *user;
  char   *dir;
  char   *path;
  GBytes *bytes;
  gint64  seq;
} SnapshotJob;

static void
snapshot_job_free (SnapshotJob *job)
{
  if (job->path)
    g_unlink (job->path);
  if (job->dir)
    g_rmdir (job->dir);
  g_free (job->path);
  g_free (job->dir);
  g_clear_pointer (&job->bytes, g_bytes_unref);
  ld_user_free (job->user);
  g_free (job);
}

static gboolean
write_snapshot (Job *job, LdStore *store, GError **error)
{
  SnapshotJob *s = job->data;
  g_autoptr(GMappedFile) file = NULL;

  if (g_mkdtemp_full (s->dir, 0700) == NULL)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", s->dir, g_strerror (saved));
      g_clear_pointer (&s->dir, g_free);
      return FALSE;
    }
  s->path = g_build_filename (s->dir, "replica.db", NULL);
  if (!ld_snapshot_write (store, s->path, s->user, &s->seq, error) ||
      (file = g_mapped_file_new (s->path, FALSE, error)) == NULL)
    return FALSE;
  /* The mapping outlives the file, which is gone as soon as it is sent. */
  s->bytes = g_mapped_file_get_bytes (file);
  return TRUE;
}

static void
snapshot_written (Job *job, const GError *error)
{
  SnapshotJob *s = job->data;
  g_autofree char *seq_text = NULL;

  if (error)
    {
      g_warning ("snapshot: %s", error->message);
      respond_error (job->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", _("The server could not complete the request"));
      return;
    }
  seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, s->seq);
  soup_message_headers_replace (soup_server_message_get_response_headers (job->msg), "X-Liandong-Seq", seq_text);
  soup_server_message_set_status (job->msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (job->msg),
                                         "application/vnd.sqlite3", NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (job->msg), s->bytes);
}

/* The replica for a client's first sync, as a sqlite file; the header
 * X-Liandong-Seq says where to pull from afterwards. */
static void
handle_snapshot (LdServer *self, Request *r)
{
  SnapshotJob *job = g_new0 (SnapshotJob, 1);

  job->user = g_steal_pointer (&r->pending->user);
  job->dir = g_build_filename (self->work_dir, "snapshot-XXXXXX", NULL);
  run_job (self, r->msg, write_snapshot, snapshot_written, job, (GDestroyNotify) snapshot_job_free);
}

/* An import's body goes to a file as it comes, never whole into memory. */
static gboolean
start_upload (LdServer *self, SoupServerMessage *msg, Pending *p)
{
  int fd;

  if (self->importing)
    {
      p->refused = TRUE;
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "5");
      refuse (self, msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy", _("An import is under way: try again in a moment"));
      return FALSE;
    }
  p->upload_path = g_build_filename (self->work_dir, "upload-XXXXXX", NULL);
  fd = g_mkstemp_full (p->upload_path, O_RDWR, 0600);
  if (fd < 0)
    {
      g_warning ("import upload: %s: %s", p->upload_path, g_strerror (errno));
      g_clear_pointer (&p->upload_path, g_free);
      p->refused = TRUE;
      refuse (self, msg, SOUP_STATUS_INSUFFICIENT_STORAGE, "internal", _("The server could not store the upload"));
      return FALSE;
    }
  p->upload = g_unix_output_stream_new (fd, TRUE);
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  return TRUE;
}

typedef struct {
  SoupMessageHeaders *headers;
  char               *upload_path;
  char               *dir;
  gboolean            gcj02;
  LdImportCounts      counts;
  GPtrArray          *problems;
  GPtrArray          *warnings;
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  if (job->dir)
    remove_tree (job->dir);
  g_free (job->dir);
  g_free (job->upload_path);
  soup_message_headers_unref (job->headers);
  g_ptr_array_unref (job->problems);
  g_ptr_array_unref (job->warnings);
  g_free (job);
}

static gboolean
run_import (Job *job, LdStore *store, GError **error)
{
  ImportJob *im = job->data;
  g_autoptr(GMappedFile) file = g_mapped_file_new (im->upload_path, FALSE, error);
  g_autoptr(GBytes) body = NULL;

  if (file == NULL)
    return FALSE;
  body = g_mapped_file_get_bytes (file);
  if (g_mkdtemp_full (im->dir, 0700) == NULL)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", im->dir, g_strerror (saved));
      g_clear_pointer (&im->dir, g_free);
      return FALSE;
    }
  return ld_upload_unpack (im->headers, body, im->dir, error) &&
         ld_import_dir_full (store, im->dir, im->gcj02 ? LD_IMPORT_GCJ02 : 0, &im->counts, im->problems,
                             im->warnings, error);
}

/* The import names a bad row by its file's path, which on the server is
 * its own folder: the admin sent "incidents.csv", and that is its name. */
static char *
without_work_dir (ImportJob *im, const char *text)
{
  g_autofree char *prefix = im->dir ? g_strconcat (im->dir, G_DIR_SEPARATOR_S, NULL) : NULL;
  g_auto(GStrv) pieces = NULL;

  if (prefix == NULL)
    return g_strdup (text);
  pieces = g_strsplit (text, prefix, -1);
  return g_strjoinv ("", pieces);
}

static void
import_done (Job *job, const GError *error)
{
  LdServer *self = job->server;
  ImportJob *im = job->data;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  self->importing = FALSE;
  /* Units, regions and categories changed under this connection's caches. */
  ld_store_invalidate_caches (self->store);
  if (error && error->domain == LD_UPLOAD_ERROR)
    {
      respond_error (job->msg, SOUP_STATUS_BAD_REQUEST, "invalid", error->message);
      return;
    }
  if (error && error->domain != LD_IMPORT_ERROR)
    {
      respond_store_error (job->msg, error);
      return;
    }
  json_builder_begin_object (b);
  if (error)
    {
      g_autofree char *message = without_work_dir (im, error->message);

      ld_json_add_string (b, "error", error->code == LD_IMPORT_ERROR_BAD_ROWS ? "bad-rows" : "invalid");
      ld_json_add_string (b, "message", message);
      json_builder_set_member_name (b, "problems");
      json_builder_begin_array (b);
      for (guint i = 0; i < im->problems->len; i++)
        {
          g_autofree char *problem = without_work_dir (im, g_ptr_array_index (im->problems, i));
          json_builder_add_string_value (b, problem);
        }
      json_builder_end_array (b);
    }
  else
    {
#define COUNT(field) ld_json_add_int (b, #field, im->counts.field)
      COUNT (regions); COUNT (boundaries); COUNT (units); COUNT (categories); COUNT (incidents);
      COUNT (orders); COUNT (feedback); COUNT (drills); COUNT (drill_units); COUNT (roll_calls);
#undef COUNT
    }
  json_builder_set_member_name (b, "warnings");
  json_builder_begin_array (b);
  for (guint i = 0; i < im->warnings->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (im->warnings, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  respond_json (job->msg, error ? SOUP_STATUS_BAD_REQUEST : SOUP_STATUS_OK, root);
  if (error == NULL)
    announce (self, ld_store_get_sequence (self->store), NULL);
}

/* POST /import (admin): the interchange files as multipart/form-data parts
 * named by their file names; ?gcj02=1 for GCJ-02 coordinates. All or
 * nothing, like the command line. The store takes no other change while
 * it runs. */
static void
handle_import (LdServer *self, Request *r)
{
  const char *gcj02 = r->query ? g_hash_table_lookup (r->query, "gcj02") : NULL;
  g_autoptr(GError) error = NULL;
  ImportJob *job;

  if (refuse_if_importing (self, r->msg))
    return;
  if (!g_output_stream_close (r->pending->upload, NULL, &error))
    {
      g_warning ("import upload: %s", error->message);
      respond_error (r->msg, SOUP_STATUS_INSUFFICIENT_STORAGE, "internal", _("The server could not store the upload"));
      return;
    }
  job = g_new0 (ImportJob, 1);
  job->headers = soup_message_headers_ref (soup_server_message_get_request_headers (r->msg));
  job->upload_path = g_strdup (r->pending->upload_path);
  job->dir = g_build_filename (self->work_dir, "import-XXXXXX", NULL);
  job->gcj02 = g_strcmp0 (gcj02, "1") == 0;
  job->problems = g_ptr_array_new_with_free_func (g_free);
  job->warnings = g_ptr_array_new_with_free_func (g_free);
  self->importing = TRUE;
  run_job (self, r->msg, run_import, import_done, job, (GDestroyNotify) import_job_free);
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
    ld_record_json_add_event (b, tz, g_ptr_array_index (events, i));
  json_builder_end_array (b);
  respond_builder (r->msg, b);
}

static const Route routes[] = {
  { "POST", "/login", ROLE_NONE, TRUE, TRUE, handle_login },
  { "POST", "/logout", ROLE_ANY, FALSE, FALSE, handle_logout },
  { "GET", "/me", ROLE_ANY, FALSE, FALSE, handle_me },
  { "GET", "/regions", ROLE_ANY, FALSE, FALSE, handle_regions },
  { "GET", "/units", ROLE_ANY, FALSE, FALSE, handle_units },
  { "GET", "/categories", ROLE_ANY, FALSE, FALSE, handle_categories },
  { "GET", "/reports/month", ROLE_ADMIN | ROLE_LEADER | ROLE_DISPATCHER | ROLE_INSPECTOR, FALSE, FALSE, handle_report_month },
  { "GET", "/training/report", ROLE_ADMIN | ROLE_LEADER | ROLE_DISPATCHER | ROLE_INSPECTOR, FALSE, FALSE,
    handle_training_report },
  { "GET", "/users", ROLE_ADMIN, FALSE, FALSE, handle_users },
  { "POST", "/sync/push", ROLE_ANY, TRUE, TRUE, handle_push },
  { "GET", "/sync/pull", ROLE_ANY, FALSE, FALSE, handle_pull },
  { "GET", "/sync/snapshot", ROLE_ANY, FALSE, FALSE, handle_snapshot },
  { "GET", "/audit", ROLE_ADMIN, FALSE, FALSE, handle_audit },
  { "POST", "/import", ROLE_ADMIN, FALSE, TRUE, handle_import },
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

/* A bucket left alone is full again after burst / per_second, the same as
 * a new one: it is forgotten then, so that addresses seen once do not
 * pile up. */
static void
forget_buckets (LdServer *self)
{
  gint64 full_after = (gint64) (self->burst / MAX (self->per_second, 0.001) * 1e6);
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  Bucket *bucket;

  g_hash_table_iter_init (&iter, self->buckets);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &bucket))
    if (now - bucket->updated > full_after)
      g_hash_table_iter_remove (&iter);
}

static LdUser *
authenticate (LdServer *self, SoupServerMessage *msg, char **token_hash, char **device)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  /* A token is 43 characters: anything far longer is not one. */
  if (header == NULL || !g_str_has_prefix (header, "Bearer ") || header[7] == '\0' || strlen (header) > 256)
    return NULL;
  *token_hash = ld_auth_hash_token (header + 7);
  return ld_store_lookup_session (self->store, *token_hash, ld_time_now (), device);
}

static const Route *
find_route (const char *method, const char *path, const char **id, gboolean *path_known)
{
  const char *tail;

  *path_known = FALSE;
  *id = NULL;
  if (!g_str_has_prefix (path, "/api/v1/"))
    return NULL;
  tail = path + strlen ("/api/v1");
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      gboolean with_id = g_str_has_suffix (routes[i].path, "/");
      gboolean matches = with_id
        ? g_str_has_prefix (tail, routes[i].path) && tail[strlen (routes[i].path)] != '\0' &&
          strchr (tail + strlen (routes[i].path), '/') == NULL
        : g_str_equal (tail, routes[i].path);

      if (!matches)
        continue;
      *path_known = TRUE;
      if (g_str_equal (method, routes[i].method))
        {
          *id = with_id ? tail + strlen (routes[i].path) : NULL;
          return &routes[i];
        }
    }
  return NULL;
}

/* Refuses @msg from what has been read of it: the rest of its body is
 * never read. */
static void
refuse (LdServer *self, SoupServerMessage *msg, guint status, const char *code, const char *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  ld_json_add_string (b, "error", code);
  ld_json_add_string (b, "message", message);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  ld_connection_guard_refuse (self->guard, msg, status, text);
}

static void
pending_free (Pending *p)
{
  g_clear_pointer (&p->user, ld_user_free);
  g_free (p->device);
  g_free (p->token_hash);
  g_free (p->id);
  if (p->upload)
    g_output_stream_close (p->upload, NULL, NULL);
  g_clear_object (&p->upload);
  if (p->upload_path)
    g_unlink (p->upload_path);
  g_free (p->upload_path);
  g_free (p);
}

/* Counts a body as it comes (a chunked one says nothing of its size
 * beforehand), and writes an import's to disk instead of memory. */
static void
on_body_chunk (SoupServerMessage *msg, GBytes *chunk, LdServer *self)
{
  Pending *p = g_object_get_data (G_OBJECT (msg), "ld-pending");
  g_autoptr(GError) error = NULL;
  gsize size = g_bytes_get_size (chunk);

  if (p == NULL || p->refused)
    return;
  p->received += size;
  if (p->received > p->limit)
    {
      p->refused = TRUE;
      refuse (self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", _("The request body is too large"));
      return;
    }
  if (p->upload && !g_output_stream_write_all (p->upload, g_bytes_get_data (chunk, NULL), size,
                                               NULL, NULL, &error))
    {
      g_warning ("import upload: %s", error->message);
      p->refused = TRUE;
      refuse (self, msg, SOUP_STATUS_INSUFFICIENT_STORAGE, "internal", _("The server could not store the upload"));
    }
}

/* Everything that can be decided from a request's headers is decided
 * here, before its body is read: the rate, the route, the size, the
 * token and the role. A refusal reads none of the body. */
static void
check_headers (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  LdServer *self = data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  gboolean path_known;
  const char *id;
  const Route *route;
  Pending *p;
  goffset length;

  if (!allow_request (self, soup_server_message_get_remote_host (msg)))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "1");
      /* libsoup 3.2 names no 429. */
      refuse (self, msg, 429, "rate-limited", _("Too many requests: slow down"));
      return;
    }
  route = find_route (method, path, &id, &path_known);
  if (route == NULL)
    {
      if (path_known)
        refuse (self, msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed", _("This endpoint does not take that method"));
      else
        refuse (self, msg, SOUP_STATUS_NOT_FOUND, "not-found", _("No such endpoint"));
      return;
    }

  p = g_new0 (Pending, 1);
  p->route = route;
  p->id = g_strdup (id);
  p->limit = route->handler == handle_import ? MAX (IMPORT_BODY_LIMIT, self->body_limit)
             : route->takes_body ? self->body_limit : 0;
  g_object_set_data_full (G_OBJECT (msg), "ld-pending", p, (GDestroyNotify) pending_free);

  length = soup_message_headers_get_content_length (headers);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH && length > (goffset) p->limit)
    {
      p->refused = TRUE;
      refuse (self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", _("The request body is too large"));
      return;
    }

  if (route->roles != ROLE_NONE)
    {
      p->user = authenticate (self, msg, &p->token_hash, &p->device);
      if (p->user == NULL)
        {
          p->refused = TRUE;
          refuse (self, msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized", _("Log in first: no valid token"));
          return;
        }
      if ((role_bit (p->user->role) & route->roles) == 0)
        {
          p->refused = TRUE;
          refuse (self, msg, SOUP_STATUS_FORBIDDEN, "forbidden", _("Your role may not do this"));
          return;
        }
    }

  if (route->handler == handle_import && !start_upload (self, msg, p))
    return;
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_body_chunk), self);
}

static void
handle_request (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  LdServer *self = data;
  Pending *p = g_object_get_data (G_OBJECT (msg), "ld-pending");
  Request request = { self, msg, };

  /* Refused from its headers, or by libsoup itself. */
  if (p == NULL || p->refused || soup_server_message_get_status (msg) != 0)
    return;
  if (p->route->takes_body && p->route->json_body)
    {
      g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) root = NULL;
      gsize length;
      const char *text = g_bytes_get_data (bytes, &length);

      root = ld_json_parse (text ? text : "", length, &error);
      if (root == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("The body is not JSON: %s"), error->message);
          respond_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed-json", message);
          return;
        }
      if (!JSON_NODE_HOLDS_OBJECT (root))
        {
          respond_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed-json", _("The body must be a JSON object"));
          return;
        }
      request.body = json_object_ref (json_node_get_object (root));
    }

  request.user = p->user;
  request.device = p->device;
  request.token_hash = p->token_hash;
  request.id = p->id;
  request.pending = p;
  request.query = query;
  p->route->handler (self, &request);
  g_clear_pointer (&request.body, json_object_unref);
}

static gboolean
periodic_sweep (gpointer data)
{
  LdServer *self = data;

  sweep_deadlines (self);
  run_roll_calls (self);
  close_ended_sessions (self);
  forget_buckets (self);
  forget_failures (self);
  return G_SOURCE_CONTINUE;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
ld_server_finalize (GObject *object)
{
  LdServer *self = (LdServer *) object;

  g_clear_handle_id (&self->sweep_id, g_source_remove);
  g_clear_handle_id (&self->simulate_id, g_source_remove);
  g_clear_object (&self->simulator);
  g_clear_pointer (&self->subscribers, g_ptr_array_unref);
  if (self->soup)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->guard);
  g_clear_object (&self->soup);
  if (self->password_pool)
    g_thread_pool_free (self->password_pool, FALSE, TRUE);
  if (self->work_dir && self->own_work_dir)
    remove_tree (self->work_dir);
  g_free (self->work_dir);
  g_clear_object (&self->store);
  g_clear_pointer (&self->buckets, g_hash_table_unref);
  g_clear_pointer (&self->failures, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);

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
  self->request_ms = DEFAULT_REQUEST_MS;
  self->body_ms = DEFAULT_BODY_MS;
  self->sweep_ms = SWEEP_INTERVAL_S * 1000;
  self->max_connections = G_MAXUINT;
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->subscribers = g_ptr_array_new_with_free_func ((GDestroyNotify) subscriber_free);
  self->context = g_main_context_ref_thread_default ();
  /* Each check costs 64 MiB and a core for a tenth of a second: as many at
   * once as leave the main loop a core of its own, whatever the number
   * asking (16 sign-ins at once on two cores: GET /me's p99 went from
   * 170 ms with two checks at a time to under 100 ms with one). */
  self->password_pool = g_thread_pool_new (check_password_job, self, MAX ((int) g_get_num_processors () - 1, 1),
                                           FALSE, NULL);
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

void
ld_server_set_simulator (LdServer *self, LdSimulator *simulator)
{
  g_clear_handle_id (&self->simulate_id, g_source_remove);
  g_set_object (&self->simulator, simulator);
  if (simulator)
    self->simulate_id = g_timeout_add_seconds (1, simulate, self);
}

void
ld_server_set_timeouts (LdServer *self, guint request_ms, guint body_ms, guint sweep_ms)
{
  self->request_ms = request_ms;
  self->body_ms = body_ms;
  self->sweep_ms = MAX (sweep_ms, 10);
  if (self->guard)
    ld_connection_guard_set_timeouts (self->guard, request_ms, body_ms);
  if (self->sweep_id)
    {
      g_source_remove (self->sweep_id);
      self->sweep_id = g_timeout_add (self->sweep_ms, periodic_sweep, self);
    }
}

static void
update_connection_budget (LdServer *self)
{
  if (self->guard && self->max_connections != G_MAXUINT)
    ld_connection_guard_set_max_connections (self->guard, self->max_connections > self->subscribers->len
                                                          ? self->max_connections - self->subscribers->len : 1);
}

void
ld_server_set_max_connections (LdServer *self, guint connections)
{
  self->max_connections = connections;
  update_connection_budget (self);
}

/* Temporary files (uploads, snapshots) live beside the database, readable
 * by the server alone, and whatever a killed server left there is removed
 * when the next one starts. */
static gboolean
prepare_work_dir (LdServer *self, GError **error)
{
  const char *db = ld_store_get_path (self->store);

  if (g_path_is_absolute (db))
    {
      self->work_dir = g_strconcat (db, ".work", NULL);
      if (g_file_test (self->work_dir, G_FILE_TEST_IS_DIR))
        remove_tree (self->work_dir);
      if (g_mkdir_with_parents (self->work_dir, 0700) != 0)
        {
          int saved = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Cannot make the folder %s: %s"),
                       self->work_dir, g_strerror (saved));
          return FALSE;
        }
    }
  else if ((self->work_dir = g_dir_make_tmp ("liandong-server-XXXXXX", error)) == NULL)
    return FALSE;
  self->own_work_dir = !g_path_is_absolute (db);
  return TRUE;
}

/* The listening socket is made here rather than by libsoup, for a backlog
 * that holds a thousand desks reconnecting at once. */
static GSocket *
listening_socket (GSocketAddress *address, GError **error)
{
  g_autoptr(GSocket) socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, error);

  if (socket == NULL)
    return NULL;
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return NULL;
  return g_steal_pointer (&socket);
}

gboolean
ld_server_listen (LdServer *self, const char *address, guint port, GTlsCertificate *certificate,
                  GError **error)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocket) socket = NULL;

  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("“%s” is not an IP address"), address);
      return FALSE;
    }
  if (!prepare_work_dir (self, error))
    return FALSE;
  socket_address = g_inet_socket_address_new (inet, port);
  if ((socket = listening_socket (socket_address, error)) == NULL)
    return FALSE;
  self->soup = soup_server_new ("server-header", "liandong/" PACKAGE_VERSION, "tls-certificate", certificate, NULL);
  self->guard = ld_connection_guard_new (self->soup);
  ld_connection_guard_set_timeouts (self->guard, self->request_ms, self->body_ms);
  update_connection_budget (self);
  soup_server_add_early_handler (self->soup, NULL, check_headers, self, NULL);
  soup_server_add_websocket_handler (self->soup, "/api/v1/live", NULL, NULL, handle_live, self, NULL);
  soup_server_add_handler (self->soup, NULL, handle_request, self, NULL);
  self->sweep_id = g_timeout_add (self->sweep_ms, periodic_sweep, self);
  /* A server started again within the minute of a roll call runs it, once. */
  self->roll_calls_checked = ld_time_now () - 60 * LD_USEC_PER_S;
  return soup_server_listen_socket (self->soup, socket, certificate ? SOUP_SERVER_LISTEN_HTTPS : 0, error);
}

guint
ld_server_get_port (LdServer *self)
{
  GSList *uris = soup_server_get_uris (self->soup);
  guint port = uris ? (guint) g_uri_get_port (uris->data) : 0;

  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return port;
}

guint
ld_server_get_n_connections (LdServer *self)
{
  return self->guard ? ld_connection_guard_get_n_connections (self->guard) : 0;
}

guint
ld_server_get_n_remembered (LdServer *self)
{
  return g_hash_table_size (self->buckets) + g_hash_table_size (self->failures);
}
