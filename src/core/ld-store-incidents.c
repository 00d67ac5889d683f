/* ld-store-incidents.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Incidents: writing them (live, import and replica alike), the board's
 * reads, search, diversion and closing, and the lists behind the figures
 * (incidents, or orders with their incidents). */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ld-store-area.h"

/* A row at a time, the search index costs an import an eighth of its
 * time; in one statement at the end, much less. Both run inside the
 * import's transaction, so a failed import keeps the trigger. */
gboolean
ld_store_pause_search_index (LdStore *self, GError **error)
{
  return ld_store_exec (self, "DROP TRIGGER incident_fts_insert;", error);
}

gboolean
ld_store_resume_search_index (LdStore *self, gint64 first_rowid, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "INSERT INTO incident_fts (rowid, address, summary, caller_phone)"
    " SELECT rowid, address, summary, caller_phone FROM incident WHERE rowid >= ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first_rowid);
  return ld_store_step_done (self, stmt, error) && ld_store_exec (self, FTS_INSERT_TRIGGER, error);
}

/* Only the incidents whose links change are written, and their orders: an
 * import of a year touches every caller's phone but changes few links. */
gboolean
ld_store_relink_repeats (LdStore *self, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "INSERT INTO temp.ld_relink (id, followed, repeat_of)"
    " SELECT id, followed, new_repeat_of FROM ("
    "  SELECT i.id, i.followed_by_repeat AS was_followed, i.repeat_of AS old_repeat_of,"
    "   EXISTS (SELECT 1 FROM incident j"
    "     WHERE j.caller_phone = i.caller_phone"
    "       AND j.received_at BETWEEN i.received_at + ?1 AND i.received_at + ?2) AS followed,"
    "   (SELECT e.id FROM incident e"
    "     WHERE e.caller_phone = i.caller_phone"
    "       AND e.received_at BETWEEN i.received_at - ?2 AND i.received_at - ?1"
    "     ORDER BY e.received_at DESC, e.id DESC LIMIT 1) AS new_repeat_of"
    "  FROM incident i WHERE i.caller_phone IN (SELECT phone FROM temp.ld_phone))"
    " WHERE followed != was_followed OR new_repeat_of IS NOT old_repeat_of", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, LD_REPEAT_MIN_US);
  sqlite3_bind_int64 (stmt, 2, LD_REPEAT_MAX_US);
  return ld_store_step_done (self, stmt, error) &&
         /* Driven from the few changed links: an UPDATE … FROM would scan
          * every incident and order to find them. */
         ld_store_run (self, "UPDATE incident SET"
                           " followed_by_repeat = (SELECT followed FROM temp.ld_relink r WHERE r.id = incident.id),"
                           " repeat_of = (SELECT repeat_of FROM temp.ld_relink r WHERE r.id = incident.id)"
                           " WHERE id IN (SELECT id FROM temp.ld_relink)", error) &&
         ld_store_run (self, "UPDATE orders SET"
                           " repeat_call = (SELECT followed FROM temp.ld_relink r WHERE r.id = orders.incident_id)"
                           " WHERE incident_id IN (SELECT id FROM temp.ld_relink)", error) &&
         ld_store_run (self, "DELETE FROM temp.ld_relink", error) &&
         ld_store_run (self, "DELETE FROM temp.ld_phone", error);
}

/* The incident's columns as parameters 1–14, in the order of the row. */
static void
bind_incident (sqlite3_stmt *stmt, const LdIncident *inc)
{
  ld_bind_text (stmt, 1, inc->id);
  sqlite3_bind_int64 (stmt, 2, inc->received_at);
  ld_bind_text (stmt, 3, inc->source);
  ld_bind_text (stmt, 4, inc->kind);
  ld_bind_text (stmt, 5, inc->diverted_to);
  ld_bind_text (stmt, 6, inc->caller_phone);
  ld_bind_text (stmt, 7, inc->address);
  ld_bind_coord (stmt, 8, inc->lat);
  ld_bind_coord (stmt, 9, inc->lon);
  ld_bind_text (stmt, 10, inc->region_code);
  ld_bind_text (stmt, 11, inc->category);
  ld_bind_text (stmt, 12, inc->summary);
  ld_bind_text (stmt, 13, inc->state);
  ld_bind_time (stmt, 14, inc->closed_at);
}

/* The one place an incident row is written, for the live path, import and
 * the demo alike. The caller keeps the state machine's rules and queues the
 * caller's phone for ld_store_relink_repeats(). */
gboolean
ld_store_insert_incident (LdStore *self, const LdIncident *inc, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "INSERT INTO incident (id, received_at, source, kind, diverted_to, caller_phone, address,"
    " lat, lon, region_code, category, summary, state, closed_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  bind_incident (stmt, inc);
  return ld_store_step_done (self, stmt, error);
}

/* Queues for ld_store_relink_repeats() the phones of the incidents written
 * from row @first_rowid on: one statement for a whole import. */
gboolean
ld_store_queue_phones_since (LdStore *self, gint64 first_rowid, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "INSERT OR IGNORE INTO temp.ld_phone (phone)"
    " SELECT caller_phone FROM incident WHERE rowid >= ? AND caller_phone IS NOT NULL", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first_rowid);
  return ld_store_step_done (self, stmt, error);
}

/* A replica takes the server's version of a record as it is: the server
 * already kept the state machine. Derived columns (repeat links, by_units)
 * are recomputed here as the server did. The caller relinks the queued
 * phones with ld_store_relink_repeats(). */
gboolean
ld_store_replace_incident (LdStore *self, const LdIncident *inc, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "UPDATE incident SET received_at = ?2, source = ?3, kind = ?4, diverted_to = ?5, caller_phone = ?6,"
    " address = ?7, lat = ?8, lon = ?9, region_code = ?10, category = ?11, summary = ?12, state = ?13,"
    " closed_at = ?14, by_units = EXISTS (SELECT 1 FROM orders o LEFT JOIN unit u ON u.code = o.unit_code"
    "   WHERE o.incident_id = ?1 AND u.category IS NOT 'police') WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  bind_incident (stmt, inc);
  if (!ld_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0 && !ld_store_insert_incident (self, inc, error))
    return FALSE;
  if (inc->caller_phone == NULL || *inc->caller_phone == '\0')
    return TRUE;
  stmt = ld_store_prepare (self, "INSERT OR IGNORE INTO temp.ld_phone (phone) VALUES (?)", error);
  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, inc->caller_phone);
  return ld_store_step_done (self, stmt, error);
}

/* Removes an incident that only this replica had, with its orders; the
 * caller's phone is queued for ld_store_relink_repeats(). */
gboolean
ld_store_forget_incident (LdStore *self, const char *incident_id, GError **error)
{
  static const char * const sql[] = {
    "INSERT OR IGNORE INTO temp.ld_phone (phone)"
    " SELECT caller_phone FROM incident WHERE id = ?1 AND caller_phone IS NOT NULL",
    "DELETE FROM feedback WHERE order_id IN (SELECT id FROM orders WHERE incident_id = ?1)",
    "DELETE FROM orders WHERE incident_id = ?1",
    "UPDATE incident SET repeat_of = NULL WHERE repeat_of = ?1",
    "DELETE FROM incident WHERE id = ?1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    {
      sqlite3_stmt *stmt = ld_store_prepare (self, sql[i], error);
      if (stmt == NULL)
        return FALSE;
      ld_bind_text (stmt, 1, incident_id);
      if (!ld_store_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
ld_store_check_coords (double lat, double lon, GError **error)
{
  if (isnan (lat) != isnan (lon) ||
      (!isnan (lat) && (lat < -90 || lat > 90 || lon < -180 || lon > 180)))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("A place needs both a latitude (−90…90) and a longitude (−180…180)"));
      return FALSE;
    }
  return TRUE;
}

char *
ld_store_add_incident (LdStore *self, const LdIncident *inc, const LdActor *actor, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *data = NULL;
  const char *region_code = inc->region_code;
  LdIncident row;

  if (inc->received_at == LD_TIME_NONE)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("An incident needs the time it was received"));
      return NULL;
    }
  if (!ld_source_is_valid (inc->source))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("Unknown source “%s” (110, 12345, 96345, grid, inspection, other)"),
                   inc->source ? inc->source : "");
      return NULL;
    }
  if (!ld_kind_is_valid (inc->kind))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("Unknown kind “%s” (police, linkage, diverted)"), inc->kind ? inc->kind : "");
      return NULL;
    }
  if (g_str_equal (inc->kind, "diverted") != ld_platform_is_valid (inc->diverted_to))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("A diverted incident needs diverted_to (12345, 114, 96345, governance), and only a diverted one may have it"));
      return NULL;
    }
  if (!ld_store_check_coords (inc->lat, inc->lon, error))
    return NULL;
  if (region_code == NULL)
    region_code = ld_store_region_for_point (self, inc->lat, inc->lon);
  else
    {
      ld_store_ensure_caches (self);
      if (!g_hash_table_contains (self->parents, region_code))
        {
          ld_store_set_not_found (error, _("Unknown region %s"), region_code);
          return NULL;
        }
    }

  id = inc->id && *inc->id ? g_strdup (inc->id) : ld_id_new (inc->received_at);

  row = *inc;
  row.id = id;
  row.region_code = (char *) region_code;
  row.state = g_str_equal (inc->kind, "diverted") ? "diverted" : "new";
  row.closed_at = LD_TIME_NONE;

  if (!ld_store_begin (self, error))
    return NULL;
  if (!ld_store_insert_incident (self, &row, &local_error))
    {
      if (g_error_matches (local_error, LD_STORE_ERROR, LD_STORE_ERROR_DUPLICATE))
        g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_DUPLICATE,
                     _("Incident %s already exists"), id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      goto fail;
    }
  if (row.caller_phone && *row.caller_phone)
    {
      sqlite3_stmt *phone = ld_store_prepare (self, "INSERT OR IGNORE INTO temp.ld_phone (phone) VALUES (?)", error);
      if (phone == NULL)
        goto fail;
      sqlite3_bind_text (phone, 1, row.caller_phone, -1, SQLITE_STATIC);
      if (!ld_store_step_done (self, phone, error) || !ld_store_relink_repeats (self, error))
        goto fail;
    }

  data = ld_store_event_data ("kind", inc->kind, "source", inc->source, "region_code", region_code,
                     "category", inc->category, NULL);
  if (!ld_store_record_event (self, actor, inc->received_at, "incident", id, "create", data, error) ||
      !ld_store_commit (self, error))
    goto fail;
  return g_steal_pointer (&id);

fail:
  ld_store_rollback (self);
  return NULL;
}

LdIncident *
ld_store_incident_from_columns (sqlite3_stmt *stmt, int first)
{
  LdIncident *i = g_new0 (LdIncident, 1);
  i->id = ld_column_dup (stmt, first);
  i->received_at = sqlite3_column_int64 (stmt, first + 1);
  i->source = ld_column_dup (stmt, first + 2);
  i->kind = ld_column_dup (stmt, first + 3);
  i->diverted_to = ld_column_dup (stmt, first + 4);
  i->caller_phone = ld_column_dup (stmt, first + 5);
  i->address = ld_column_dup (stmt, first + 6);
  i->lat = ld_column_coord (stmt, first + 7);
  i->lon = ld_column_coord (stmt, first + 8);
  i->region_code = ld_column_dup (stmt, first + 9);
  i->category = ld_column_dup (stmt, first + 10);
  i->summary = ld_column_dup (stmt, first + 11);
  i->state = ld_column_dup (stmt, first + 12);
  i->closed_at = sqlite3_column_int64 (stmt, first + 13);
  i->repeat_of = ld_column_dup (stmt, first + 14);
  i->returns = sqlite3_column_int (stmt, first + 15);
  return i;
}

static LdIncident *
incident_from_row (sqlite3_stmt *stmt)
{
  return ld_store_incident_from_columns (stmt, 0);
}

LdIncident *
ld_store_get_incident (LdStore *self, const char *id, GError **error)
{
  return ld_store_read_one (self, "SELECT " INCIDENT_COLUMNS " FROM incident WHERE id = ?", id,
                  (LdRowReader) incident_from_row, _("Unknown incident %s"), error);
}

/* What intake shows beside a caller's number: the calls of the last 72 h. */
GPtrArray *
ld_store_list_calls_before (LdStore *self, const char *caller_phone, gint64 at, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT " INCIDENT_COLUMNS " FROM incident"
    " WHERE caller_phone = ? AND received_at >= ? AND received_at < ?"
    " ORDER BY received_at DESC", error);

  if (stmt == NULL)
    return NULL;
  ld_bind_text (stmt, 1, caller_phone);
  sqlite3_bind_int64 (stmt, 2, at - LD_REPEAT_MAX_US);
  sqlite3_bind_int64 (stmt, 3, at);
  return ld_store_read_all (self, stmt, (LdRowReader) incident_from_row, (GDestroyNotify) ld_incident_free, error);
}

/* The duty board: every incident still open, and the others received
 * since @since, newest first. */
GPtrArray *
ld_store_list_board_incidents (LdStore *self, gint64 since, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT " INCIDENT_COLUMNS " FROM incident WHERE received_at >= ?1"
    " UNION SELECT " INCIDENT_COLUMNS " FROM incident WHERE state IN ('new', 'dispatched')"
    " ORDER BY 2 DESC, 1 DESC", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since);
  return ld_store_read_all (self, stmt, (LdRowReader) incident_from_row, (GDestroyNotify) ld_incident_free, error);
}

/* How many incidents came in each hour of the day (in the store's zone)
 * over [@since, @until): the city's own rhythm, for the simulator. */
gboolean
ld_store_count_received_by_hour (LdStore *self, gint64 since, gint64 until, guint64 counts[24], GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT received_at FROM incident WHERE received_at >= ? AND received_at < ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  memset (counts, 0, 24 * sizeof counts[0]);
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, until);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 0) / LD_USEC_PER_S);
      g_autoptr(GDateTime) local = utc ? g_date_time_to_timezone (utc, self->tz) : NULL;

      if (local)
        counts[g_date_time_get_hour (local)]++;
    }
  return ld_store_end_rows (self, stmt, rc, error);
}

/* The @nth incident received in [@since, @until), oldest first: a call
 * such as the city gets, for the simulator to make another like it. */
LdIncident *
ld_store_get_nth_incident (LdStore *self, gint64 since, gint64 until, guint64 nth, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT " INCIDENT_COLUMNS " FROM incident WHERE received_at >= ? AND received_at < ?"
    " ORDER BY received_at LIMIT 1 OFFSET ?", error);
  LdIncident *incident = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, until);
  sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) MIN (nth, (guint64) G_MAXINT64));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    incident = incident_from_row (stmt);
  sqlite3_reset (stmt);
  if (incident == NULL)
    g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_NOT_FOUND, _("No incident in that period"));
  return incident;
}

/* Search */

typedef enum {
  TEXT_NONE,
  TEXT_MATCH,   /* three characters or more: the trigram index */
  TEXT_LIKE,    /* fewer: no trigram to look up, so a scan from the newest */
} TextMode;

typedef enum {
  STATE_ANY,
  STATE_OPEN,
  STATE_EXACT,
} StateMode;

/* One statement per combination of filters rather than "?n IS NULL OR …"
 * terms, which would keep sqlite from the index that fits: incident_open
 * for open incidents, incident_received for the newest first. Interned, so
 * each is prepared once and cached under its pointer. */
/* The figures as ld-metrics.c counts them from the incident's columns. */
static const struct {
  const char *figure;
  const char *condition;
} figure_sql[] = {
  { "incidents", "1" },
  { "incidents_110", "source = '110'" },
  { "linkage_alarms", "kind = 'linkage' AND source = '110'" },
  { "handled", "kind = 'linkage'" },
  { "handled_by_units", "kind = 'linkage' AND by_units" },
  { "diverted", "kind = 'diverted'" },
};

static gboolean
is_figure (const char *figure)
{
  for (guint i = 0; i < G_N_ELEMENTS (figure_sql); i++)
    if (g_str_equal (figure, figure_sql[i].figure))
      return TRUE;
  return FALSE;
}

/* @paged: a figure's list, read a page at a time from ?11 (received_at)
 * and ?12 (id) of the last row read, so that it is ordered by columns a
 * row carries. */
static const char *
search_sql (TextMode text, gboolean region, gboolean category, StateMode state, const LdIncidentFilter *filter,
            gboolean paged)
{
  g_autoptr(GString) sql = g_string_new (NULL);

  if (region)
    g_string_append (sql, "WITH RECURSIVE within (code) AS (SELECT ?2"
                          " UNION SELECT r.code FROM region r JOIN within w ON r.parent_code = w.code) ");
  g_string_append (sql, "SELECT " INCIDENT_COLUMNS " FROM incident WHERE received_at >= ?5 AND received_at < ?6");
  for (guint i = 0; i < G_N_ELEMENTS (figure_sql) && filter->figure; i++)
    if (g_str_equal (filter->figure, figure_sql[i].figure))
      g_string_append_printf (sql, " AND %s", figure_sql[i].condition);
  if (filter->platform)
    g_string_append (sql, " AND diverted_to = ?9");
  if (text == TEXT_MATCH)
    g_string_append (sql, " AND rowid IN (SELECT rowid FROM incident_fts WHERE incident_fts MATCH ?1)");
  else if (text == TEXT_LIKE)
    g_string_append (sql, " AND (address LIKE ?1 ESCAPE '\\' OR summary LIKE ?1 ESCAPE '\\'"
                          " OR caller_phone LIKE ?1 ESCAPE '\\')");
  if (region)
    g_string_append (sql, " AND region_code IN (SELECT code FROM within)");
  if (category)
    g_string_append (sql, " AND category = ?3");
  if (state == STATE_OPEN)
    g_string_append (sql, " AND state IN ('new', 'dispatched')");
  else if (state == STATE_EXACT)
    g_string_append (sql, " AND state = ?4");
  if (paged)
    g_string_append (sql, " AND (received_at < ?11 OR (received_at = ?11 AND id < ?12))"
                          " ORDER BY received_at DESC, id DESC LIMIT ?7");
  else
    g_string_append (sql, " ORDER BY received_at DESC, rowid DESC LIMIT ?7");
  return g_intern_string (sql->str);
}

/* The user's text as one FTS5 string: inside double quotes every character
 * is text to find, only a quote itself must be doubled. */
static char *
fts_phrase (const char *text)
{
  g_autoptr(GString) phrase = g_string_new ("\"");

  for (const char *c = text; *c; c++)
    {
      if (*c == '"')
        g_string_append_c (phrase, '"');
      g_string_append_c (phrase, *c);
    }
  g_string_append_c (phrase, '"');
  return g_string_free (g_steal_pointer (&phrase), FALSE);
}

static char *
like_pattern (const char *text)
{
  g_autoptr(GString) pattern = g_string_new ("%");

  for (const char *c = text; *c; c++)
    {
      if (*c == '%' || *c == '_' || *c == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *c);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (g_steal_pointer (&pattern), FALSE);
}

/* @after: the incident a figure's list goes on after, or NULL for a search
 * or a list's first page. */
static sqlite3_stmt *
prepare_search (LdStore *self, const char *query, const LdIncidentFilter *filter, gboolean paged,
                const LdIncident *after, guint limit, GError **error)
{
  g_autofree char *text = g_strstrip (g_strdup (query ? query : ""));
  g_autofree char *bound = NULL;
  TextMode mode = TEXT_NONE;
  StateMode state = STATE_ANY;
  sqlite3_stmt *stmt;

  if (*text && g_utf8_strlen (text, -1) >= 3)
    {
      mode = TEXT_MATCH;
      bound = fts_phrase (text);
    }
  else if (*text)
    {
      mode = TEXT_LIKE;
      bound = like_pattern (text);
    }
  if (filter->state && *filter->state)
    state = g_str_equal (filter->state, "open") ? STATE_OPEN : STATE_EXACT;

  if (filter->figure && !is_figure (filter->figure))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("Unknown figure “%s”"), filter->figure);
      return NULL;
    }
  stmt = ld_store_prepare (self,
                           search_sql (mode, filter->region_code && *filter->region_code,
                                       filter->category && *filter->category, state, filter, paged),
                           error);
  if (stmt == NULL)
    return NULL;
  ld_bind_text (stmt, 1, bound);
  ld_bind_text (stmt, 2, filter->region_code);
  ld_bind_text (stmt, 3, filter->category);
  ld_bind_text (stmt, 4, filter->state);
  sqlite3_bind_int64 (stmt, 5, filter->since ? filter->since : G_MININT64);
  sqlite3_bind_int64 (stmt, 6, filter->until ? filter->until : G_MAXINT64);
  sqlite3_bind_int64 (stmt, 7, limit);
  ld_bind_text (stmt, 9, filter->platform);
  if (paged)
    {
      sqlite3_bind_int64 (stmt, 11, after ? after->received_at : G_MAXINT64);
      ld_bind_text (stmt, 12, after ? after->id : NULL);
    }
  return stmt;
}

GPtrArray *
ld_store_search_incidents (LdStore *self, const char *query, const LdIncidentFilter *filter, guint limit,
                           GError **error)
{
  static const LdIncidentFilter no_filter = { 0, };
  sqlite3_stmt *stmt = prepare_search (self, query, filter ? filter : &no_filter, FALSE, NULL, limit, error);

  if (stmt == NULL)
    return NULL;
  return ld_store_read_all (self, stmt, (LdRowReader) incident_from_row, (GDestroyNotify) ld_incident_free, error);
}

static gboolean
set_incident_state (LdStore *self, const char *id, const char *state, gint64 closed_at, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "UPDATE incident SET state = ?, closed_at = coalesce(?, closed_at) WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, state, -1, SQLITE_STATIC);
  ld_bind_time (stmt, 2, closed_at);
  sqlite3_bind_text (stmt, 3, id, -1, SQLITE_STATIC);
  return ld_store_step_done (self, stmt, error);
}

gboolean
ld_store_divert_incident (LdStore *self, const char *incident_id, const char *platform, gint64 at,
                          const LdActor *actor, GError **error)
{
  g_autoptr(LdIncident) inc = ld_store_get_incident (self, incident_id, error);
  g_autofree char *data = NULL;
  sqlite3_stmt *stmt;

  if (inc == NULL)
    return FALSE;
  if (!ld_platform_is_valid (platform))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("Unknown platform “%s” (12345, 114, 96345, governance)"), platform ? platform : "");
      return FALSE;
    }
  if (!g_str_equal (inc->state, "new"))
    {
      ld_store_set_transition_error (error, _("Incident %s is %s: only a new incident can be diverted"),
                            incident_id, inc->state);
      return FALSE;
    }

  if (!ld_store_begin (self, error))
    return FALSE;
  stmt = ld_store_prepare (self,
    "UPDATE incident SET kind = 'diverted', diverted_to = ?, state = 'diverted' WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, platform, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, incident_id, -1, SQLITE_STATIC);
  data = ld_store_event_data ("platform", platform, NULL);
  if (!ld_store_step_done (self, stmt, error) ||
      !ld_store_record_event (self, actor, at, "incident", incident_id, "divert", data, error) ||
      !ld_store_commit (self, error))
    goto fail;
  return TRUE;

fail:
  ld_store_rollback (self);
  return FALSE;
}

/* Closing is the center's verification (核准): every order that was not
 * returned must be completed, and at least one must be. An incident the
 * police handled alone closes from new. */
gboolean
ld_store_close_incident (LdStore *self, const char *incident_id, gint64 at, const LdActor *actor, GError **error)
{
  g_autoptr(LdIncident) inc = ld_store_get_incident (self, incident_id, error);
  g_autoptr(GPtrArray) orders = NULL;
  guint open = 0, completed = 0;

  if (inc == NULL)
    return FALSE;
  if (g_str_equal (inc->state, "closed") || g_str_equal (inc->state, "diverted"))
    {
      ld_store_set_transition_error (error, _("Incident %s is %s: it cannot be closed again"), incident_id, inc->state);
      return FALSE;
    }
  if (g_str_equal (inc->state, "new") && !g_str_equal (inc->kind, "police"))
    {
      ld_store_set_transition_error (error, _("Incident %s is %s: a linkage incident is closed after its orders are completed"),
                            incident_id, inc->state);
      return FALSE;
    }
  orders = ld_store_list_orders (self, incident_id, error);
  if (orders == NULL)
    return FALSE;
  for (guint i = 0; i < orders->len; i++)
    {
      LdOrder *o = g_ptr_array_index (orders, i);
      open += ld_store_order_is_open (o->state);
      completed += g_str_equal (o->state, "completed");
    }
  if (open > 0)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID_TRANSITION,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Incident %s still has %u open order",
                                "Incident %s still has %u open orders", open),
                   incident_id, open);
      return FALSE;
    }
  if (g_str_equal (inc->state, "dispatched") && completed == 0)
    {
      ld_store_set_transition_error (error, _("Incident %s is %s: every order was returned, dispatch it again before closing"),
                            incident_id, inc->state);
      return FALSE;
    }
  if (at < inc->received_at)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("An incident cannot be closed before it was received"));
      return FALSE;
    }

  if (!ld_store_begin (self, error))
    return FALSE;
  if (!set_incident_state (self, incident_id, "closed", at, error) ||
      !ld_store_record_event (self, actor, at, "incident", incident_id, "close", NULL, error) ||
      !ld_store_commit (self, error))
    {
      ld_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

/* The lists behind the figures */

/* The figures of orders as ld-metrics.c counts them (ld_order_counts_get). */
static const struct {
  const char *figure;
  const char *condition;
} order_figure_sql[] = {
  { "dispatched", "1" },
  { "unsigned", "NOT " LD_ORDER_SIGNED },
  { "without_feedback", "NOT " LD_ORDER_WITH_FEEDBACK },
  { "not_completed", "NOT " LD_ORDER_COMPLETED },
  { "overdue_feedback", LD_ORDER_OVERDUE_FEEDBACK_AT ("?1") },
  { "repeat_calls", LD_ORDER_REPEAT_CALL },
};

static const char *
order_figure_condition (const char *figure)
{
  for (guint i = 0; i < G_N_ELEMENTS (order_figure_sql) && figure; i++)
    if (g_str_equal (figure, order_figure_sql[i].figure))
      return order_figure_sql[i].condition;
  return NULL;
}

gboolean
ld_incident_filter_lists_orders (const LdIncidentFilter *filter)
{
  g_return_val_if_fail (filter != NULL, FALSE);
  return order_figure_condition (filter->figure) != NULL;
}

/* Newest first, a page at a time from ?7 (dispatched_at) and ?8 (id) of
 * the last row read; interned like search_sql. */
static const char *
order_figure_sql_for (const char *condition, const LdIncidentFilter *filter)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  gboolean region = filter->region_code && *filter->region_code;

  if (region)
    g_string_append (sql, "WITH RECURSIVE within (code) AS (SELECT ?2"
                          " UNION SELECT r.code FROM region r JOIN within w ON r.parent_code = w.code) ");
  g_string_append_printf (sql, "SELECT o.*, i.*, u.* FROM (SELECT " ORDER_COLUMNS " FROM orders WHERE %s",
                          condition);
  if (filter->since || filter->until)
    g_string_append (sql, " AND dispatched_at >= ?3 AND dispatched_at < ?4");
  if (filter->unit_code)
    g_string_append (sql, " AND unit_code = ?5");
  if (filter->late_at)
    g_string_append (sql, " AND " OPEN_ORDER " AND " LATE_STEP_AT ("?6") " IS NOT NULL");
  if (region)
    g_string_append (sql, " AND region_code IN (SELECT code FROM within)");
  g_string_append (sql, " AND (dispatched_at < ?7 OR (dispatched_at = ?7 AND id < ?8))) o"
                        " JOIN (SELECT " INCIDENT_COLUMNS " FROM incident) i ON i.id = o.incident_id"
                        " JOIN (SELECT " UNIT_COLUMNS " FROM unit) u ON u.code = o.unit_code"
                        " ORDER BY o.dispatched_at DESC, o.id DESC LIMIT ?9");
  return g_intern_string (sql->str);
}

void
ld_figure_row_free (LdFigureRow *row)
{
  if (row == NULL)
    return;
  ld_incident_free (row->incident);
  ld_order_free (row->order);
  ld_unit_free (row->unit);
  g_free (row);
}

static gpointer
figure_incident_from_row (sqlite3_stmt *stmt)
{
  LdFigureRow *row = g_new0 (LdFigureRow, 1);
  row->incident = ld_store_incident_from_columns (stmt, 0);
  return row;
}

static gpointer
figure_order_from_row (sqlite3_stmt *stmt)
{
  LdFigureRow *row = g_new0 (LdFigureRow, 1);
  row->order = ld_store_order_from_columns (stmt, 0);
  row->incident = ld_store_incident_from_columns (stmt, N_ORDER_COLUMNS);
  row->unit = ld_store_unit_from_columns (stmt, N_ORDER_COLUMNS + N_INCIDENT_COLUMNS);
  return row;
}

GPtrArray *
ld_store_list_figure (LdStore *self, const LdIncidentFilter *filter, const LdFigureRow *after, guint limit,
                      GError **error)
{
  const char *condition;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (filter != NULL, NULL);

  condition = order_figure_condition (filter->figure);
  if (condition == NULL)
    {
      stmt = prepare_search (self, NULL, filter, TRUE, after ? after->incident : NULL, limit, error);
      if (stmt == NULL)
        return NULL;
      return ld_store_read_all (self, stmt, figure_incident_from_row, (GDestroyNotify) ld_figure_row_free, error);
    }

  stmt = ld_store_prepare (self, order_figure_sql_for (condition, filter), error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, filter->now);
  ld_bind_text (stmt, 2, filter->region_code);
  sqlite3_bind_int64 (stmt, 3, filter->since ? filter->since : G_MININT64);
  sqlite3_bind_int64 (stmt, 4, filter->until ? filter->until : G_MAXINT64);
  ld_bind_text (stmt, 5, filter->unit_code);
  sqlite3_bind_int64 (stmt, 6, filter->late_at);
  sqlite3_bind_int64 (stmt, 7, after && after->order ? after->order->dispatched_at : G_MAXINT64);
  ld_bind_text (stmt, 8, after && after->order ? after->order->id : NULL);
  sqlite3_bind_int64 (stmt, 9, limit);
  return ld_store_read_all (self, stmt, figure_order_from_row, (GDestroyNotify) ld_figure_row_free, error);
}

/* The orders of a region and the regions under it dispatched in a period
 * (?1 start, ?2 end, ?3 region): one range scan, as the metrics make. */
#define SCOPE \
  "WITH RECURSIVE scope(code) AS (SELECT ?3 UNION ALL" \
  "  SELECT r.code FROM region r JOIN scope s ON r.parent_code = s.code)"
#define MONTH_ORDERS "o.dispatched_at >= ?1 AND o.dispatched_at < ?2 AND o.region_code IN scope"

void
ld_incident_orders_free (LdIncidentOrders *item)
{
  g_clear_pointer (&item->incident, ld_incident_free);
  g_clear_pointer (&item->orders, g_ptr_array_unref);
  g_free (item);
}

static GPtrArray *
list_incident_orders (LdStore *self, const char *sql, const LdPeriod *period, const char *region_code,
                      guint limit, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, sql, error);
  g_autoptr(GPtrArray) incidents = NULL;
  g_autoptr(GPtrArray) list = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, period->start);
  sqlite3_bind_int64 (stmt, 2, period->end);
  ld_bind_text (stmt, 3, region_code);
  sqlite3_bind_int64 (stmt, 4, limit);
  incidents = ld_store_read_all (self, stmt, (LdRowReader) incident_from_row, (GDestroyNotify) ld_incident_free, error);
  if (incidents == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) ld_incident_orders_free);
  for (guint i = 0; i < incidents->len; i++)
    {
      LdIncidentOrders *item = g_new0 (LdIncidentOrders, 1);

      item->incident = g_steal_pointer (&incidents->pdata[i]);
      g_ptr_array_add (list, item);
      item->orders = ld_store_list_orders (self, item->incident->id, error);
      if (item->orders == NULL)
        return NULL;
    }
  return g_steal_pointer (&list);
}

GPtrArray *
ld_store_list_joint_incidents (LdStore *self, const LdPeriod *period, const char *region_code, guint limit,
                               GError **error)
{
  return list_incident_orders (self,
    SCOPE
    " SELECT i.* FROM"
    " (SELECT o.incident_id, count(DISTINCT o.unit_code) AS n_units, min(o.dispatched_at) AS first"
    /* The month's incidents, judged by all their orders: one sent later
     * and not yet there makes the case not one. */
    "   FROM orders o JOIN unit u ON u.code = o.unit_code"
    "   WHERE o.incident_id IN (SELECT o.incident_id FROM orders o WHERE " MONTH_ORDERS ")"
    "   GROUP BY o.incident_id"
    "   HAVING count(DISTINCT CASE WHEN u.category <> 'police' THEN u.code END) >= 2"
    "    AND sum(o.state <> 'completed') = 0"
    "    AND sum(o.arrived_at IS NULL OR o.arrived_at > o.arrive_due) = 0"
    "   ORDER BY n_units DESC, first, o.incident_id LIMIT ?4) t"
    " JOIN (SELECT " INCIDENT_COLUMNS " FROM incident) i ON i.id = t.incident_id"
    " ORDER BY t.n_units DESC, t.first, t.incident_id",
    period, region_code, limit, error);
}

GPtrArray *
ld_store_list_troubled_incidents (LdStore *self, const LdPeriod *period, const char *region_code, guint limit,
                                  GError **error)
{
  /* An order is re-dispatched when another order of its incident went out
   * at or after its return; an arrival is far late when it came after
   * twice the time allowed. The bulletin holds the linkage units to
   * account, not the police. The inner query counts once per incident,
   * the outer one picks. */
  return list_incident_orders (self,
    SCOPE
    " SELECT i.* FROM"
    " (SELECT * FROM"
    "  (SELECT o.incident_id, min(o.dispatched_at) AS first, max(o.arrived_at - o.arrive_due) AS worst,"
    "    sum(o.returned_at IS NOT NULL AND EXISTS (SELECT 1 FROM orders again"
    "     WHERE again.incident_id = o.incident_id AND again.id <> o.id AND again.dispatched_at >= o.returned_at))"
    "     AS redispatched,"
    "    sum(o.arrived_at - o.arrive_due > o.arrive_due - o.dispatched_at) AS far_late"
    "   FROM orders o WHERE " MONTH_ORDERS
    "    AND o.unit_code NOT IN (SELECT code FROM unit WHERE category = 'police')"
    "   GROUP BY o.incident_id)"
    "  WHERE redispatched > 0 OR far_late > 0"
    "  ORDER BY redispatched DESC, worst DESC, first, incident_id LIMIT ?4) t"
    " JOIN (SELECT " INCIDENT_COLUMNS " FROM incident) i ON i.id = t.incident_id"
    " ORDER BY t.redispatched DESC, t.worst DESC, t.first, t.incident_id",
    period, region_code, limit, error);
}

GPtrArray *
ld_store_list_bounced_incidents (LdStore *self, const LdPeriod *period, const char *region_code, guint limit,
                                 GError **error)
{
  /* Every return counts, an overruled one too: the order went back and
   * forth all the same (seed 000's 由拳路 case). */
  return list_incident_orders (self,
    SCOPE
    " SELECT i.* FROM"
    " (SELECT o.incident_id, count(*) AS returns, min(o.dispatched_at) AS first"
    "   FROM orders o WHERE " MONTH_ORDERS " AND o.returned_at IS NOT NULL"
    "   GROUP BY o.incident_id HAVING count(*) >= 2"
    "   ORDER BY returns DESC, first, o.incident_id LIMIT ?4) t"
    " JOIN (SELECT " INCIDENT_COLUMNS " FROM incident) i ON i.id = t.incident_id"
    " ORDER BY t.returns DESC, t.first, t.incident_id",
    period, region_code, limit, error);
}
