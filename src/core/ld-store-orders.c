/* ld-store-orders.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Orders: dispatch, the order state machine, the overdue marks, the unit
 * board and late list, and the lists behind the figures. */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ld-store-area.h"

/* The columns of a return's duty and ruling, the first result and an
 * extension, as @o has them: a history written whole (the demo, a
 * replica's pull) carries them with the order. */
static gboolean
write_return_and_extension (LdStore *self, const LdOrder *o, GError **error)
{
  sqlite3_stmt *stmt;

  stmt = ld_store_prepare (self,
    "UPDATE orders SET duty_unit_code = ?2, not_ours = ?3, basis = ?4, return_ruling = ?5,"
    " return_ruled_at = ?6, return_ruled_by = ?7, return_ruling_reason = ?8, result_feedback_at = ?9,"
    " extension_step = ?10, extension_until = ?11, extension_reason = ?12, extension_requested_at = ?13,"
    " extension_ruling = ?14, extension_ruled_at = ?15, extension_ruling_reason = ?16,"
    " extension_original_due = ?17 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, o->id);
  ld_bind_text (stmt, 2, o->duty_unit_code);
  sqlite3_bind_int (stmt, 3, o->not_ours);
  ld_bind_text (stmt, 4, o->basis);
  ld_bind_text (stmt, 5, o->return_ruling);
  ld_bind_time (stmt, 6, o->return_ruled_at);
  ld_bind_text (stmt, 7, o->return_ruled_by);
  ld_bind_text (stmt, 8, o->return_ruling_reason);
  ld_bind_time (stmt, 9, o->result_feedback_at);
  ld_bind_text (stmt, 10, o->extension_step);
  ld_bind_time (stmt, 11, o->extension_until);
  ld_bind_text (stmt, 12, o->extension_reason);
  ld_bind_time (stmt, 13, o->extension_requested_at);
  ld_bind_text (stmt, 14, o->extension_ruling);
  ld_bind_time (stmt, 15, o->extension_ruled_at);
  ld_bind_text (stmt, 16, o->extension_ruling_reason);
  ld_bind_time (stmt, 17, o->extension_original_due);
  return ld_store_step_done (self, stmt, error);
}

/* The one place an order row is written, with its times, deadlines and
 * overdue marks as given; its feedback counters start empty and move with
 * ld_store_insert_feedback(). It also copies the incident's region
 * and repeat flag onto the order and marks the incident handled by units
 * when the unit is not the police (the metrics read these, never a join),
 * and moves a new incident to dispatched. */
gboolean
ld_store_insert_order (LdStore *self, const LdOrder *o, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "INSERT INTO orders (id, incident_id, unit_code, state, dispatched_at, signed_at, arrived_at,"
    " completed_at, returned_at, return_reason, sign_due, arrive_due, feedback_due, result_due, overdue,"
    " region_code, repeat_call)"
    " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
    "   region_code, followed_by_repeat FROM incident WHERE id = ?2", error);

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, o->id);
  ld_bind_text (stmt, 2, o->incident_id);
  ld_bind_text (stmt, 3, o->unit_code);
  ld_bind_text (stmt, 4, o->state);
  sqlite3_bind_int64 (stmt, 5, o->dispatched_at);
  ld_bind_time (stmt, 6, o->signed_at);
  ld_bind_time (stmt, 7, o->arrived_at);
  ld_bind_time (stmt, 8, o->completed_at);
  ld_bind_time (stmt, 9, o->returned_at);
  ld_bind_text (stmt, 10, o->return_reason);
  sqlite3_bind_int64 (stmt, 11, o->sign_due);
  sqlite3_bind_int64 (stmt, 12, o->arrive_due);
  sqlite3_bind_int64 (stmt, 13, o->feedback_due);
  sqlite3_bind_int64 (stmt, 14, o->result_due);
  sqlite3_bind_int (stmt, 15, o->overdue);
  if (!ld_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      ld_store_set_not_found (error, _("Unknown incident %s"), o->incident_id);
      return FALSE;
    }
  /* An order dispatched or imported has none of them: no second write. */
  if ((o->returned_at != LD_TIME_NONE || o->extension_step != NULL || o->result_feedback_at != LD_TIME_NONE) &&
      !write_return_and_extension (self, o, error))
    return FALSE;

  stmt = ld_store_prepare (self,
    "UPDATE incident SET by_units = by_units OR ?2,"
    "  state = CASE state WHEN 'new' THEN 'dispatched' ELSE state END"
    " WHERE id = ?1 AND (state = 'new' OR (?2 AND NOT by_units))", error);
  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, o->incident_id);
  sqlite3_bind_int (stmt, 2, !ld_store_unit_is_police (self, o->unit_code));
  return ld_store_step_done (self, stmt, error);
}

gboolean
ld_store_replace_order (LdStore *self, const LdOrder *o, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "UPDATE orders SET state = ?2, signed_at = ?3, arrived_at = ?4, completed_at = ?5, returned_at = ?6,"
    " return_reason = ?7, sign_due = ?8, arrive_due = ?9, feedback_due = ?10, result_due = ?11,"
    " overdue = ?12 WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, o->id);
  ld_bind_text (stmt, 2, o->state);
  ld_bind_time (stmt, 3, o->signed_at);
  ld_bind_time (stmt, 4, o->arrived_at);
  ld_bind_time (stmt, 5, o->completed_at);
  ld_bind_time (stmt, 6, o->returned_at);
  ld_bind_text (stmt, 7, o->return_reason);
  sqlite3_bind_int64 (stmt, 8, o->sign_due);
  sqlite3_bind_int64 (stmt, 9, o->arrive_due);
  sqlite3_bind_int64 (stmt, 10, o->feedback_due);
  sqlite3_bind_int64 (stmt, 11, o->result_due);
  sqlite3_bind_int (stmt, 12, o->overdue);
  if (!ld_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0 && !ld_store_insert_order (self, o, error))
    return FALSE;

  /* The feedback rows stay on the server; their counters come with the
   * order, as do the times the center logged steps later. */
  stmt = ld_store_prepare (self,
    "UPDATE orders SET first_feedback_at = ?2, feedback_count = ?3, signed_logged_at = ?4,"
    " arrived_logged_at = ?5, completed_logged_at = ?6, returned_logged_at = ?7, first_feedback_logged_at = ?8"
    " WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, o->id);
  ld_bind_time (stmt, 2, o->first_feedback_at);
  sqlite3_bind_int (stmt, 3, o->feedback_count);
  ld_bind_time (stmt, 4, o->signed_logged_at);
  ld_bind_time (stmt, 5, o->arrived_logged_at);
  ld_bind_time (stmt, 6, o->completed_logged_at);
  ld_bind_time (stmt, 7, o->returned_logged_at);
  ld_bind_time (stmt, 8, o->first_feedback_logged_at);
  if (!ld_store_step_done (self, stmt, error))
    return FALSE;
  return write_return_and_extension (self, o, error);
}

/* Removes an order that only this replica had, with its feedback. */
gboolean
ld_store_forget_order (LdStore *self, const char *order_id, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self, "DELETE FROM feedback WHERE order_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, order_id);
  if (!ld_store_step_done (self, stmt, error))
    return FALSE;
  stmt = ld_store_prepare (self, "DELETE FROM orders WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, order_id);
  return ld_store_step_done (self, stmt, error);
}

GHashTable *
ld_store_board_order_stats (LdStore *self, gint64 since, GError **error)
{
  GHashTable *stats = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT incident_id, count(*), sum(" OPEN_ORDER "), max(overdue != 0), min(" CURRENT_DUE ")"
    " FROM orders WHERE incident_id IN (SELECT id FROM incident WHERE received_at >= ?1"
    "   UNION SELECT id FROM incident WHERE state IN ('new', 'dispatched'))"
    " GROUP BY incident_id", error);
  int rc;

  if (stmt == NULL)
    {
      g_hash_table_unref (stats);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, since);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LdOrderStats *s = g_new0 (LdOrderStats, 1);

      s->n_orders = sqlite3_column_int (stmt, 1);
      s->n_open = sqlite3_column_int (stmt, 2);
      s->overdue = sqlite3_column_int (stmt, 3) != 0;
      s->next_due = sqlite3_column_int64 (stmt, 4);
      g_hash_table_insert (stats, ld_column_dup (stmt, 0), s);
    }
  if (!ld_store_end_rows (self, stmt, rc, error))
    {
      g_hash_table_unref (stats);
      return NULL;
    }
  return stats;
}

LdOrder *
ld_store_order_from_columns (sqlite3_stmt *stmt, int first)
{
  LdOrder *o = g_new0 (LdOrder, 1);
  o->id = ld_column_dup (stmt, first);
  o->incident_id = ld_column_dup (stmt, first + 1);
  o->unit_code = ld_column_dup (stmt, first + 2);
  o->state = ld_column_dup (stmt, first + 3);
  o->dispatched_at = sqlite3_column_int64 (stmt, first + 4);
  o->signed_at = sqlite3_column_int64 (stmt, first + 5);
  o->arrived_at = sqlite3_column_int64 (stmt, first + 6);
  o->completed_at = sqlite3_column_int64 (stmt, first + 7);
  o->returned_at = sqlite3_column_int64 (stmt, first + 8);
  o->return_reason = ld_column_dup (stmt, first + 9);
  o->sign_due = sqlite3_column_int64 (stmt, first + 10);
  o->arrive_due = sqlite3_column_int64 (stmt, first + 11);
  o->feedback_due = sqlite3_column_int64 (stmt, first + 12);
  o->result_due = sqlite3_column_int64 (stmt, first + 13);
  o->first_feedback_at = sqlite3_column_int64 (stmt, first + 14);
  o->feedback_count = sqlite3_column_int (stmt, first + 15);
  o->overdue = sqlite3_column_int (stmt, first + 16);
  o->signed_logged_at = sqlite3_column_int64 (stmt, first + 17);
  o->arrived_logged_at = sqlite3_column_int64 (stmt, first + 18);
  o->completed_logged_at = sqlite3_column_int64 (stmt, first + 19);
  o->returned_logged_at = sqlite3_column_int64 (stmt, first + 20);
  o->first_feedback_logged_at = sqlite3_column_int64 (stmt, first + 21);
  o->duty_unit_code = ld_column_dup (stmt, first + 22);
  o->not_ours = sqlite3_column_int (stmt, first + 23) != 0;
  o->basis = ld_column_dup (stmt, first + 24);
  o->return_ruling = ld_column_dup (stmt, first + 25);
  o->return_ruled_at = sqlite3_column_int64 (stmt, first + 26);
  o->return_ruled_by = ld_column_dup (stmt, first + 27);
  o->return_ruling_reason = ld_column_dup (stmt, first + 28);
  o->result_feedback_at = sqlite3_column_int64 (stmt, first + 29);
  o->extension_step = ld_column_dup (stmt, first + 30);
  o->extension_until = sqlite3_column_int64 (stmt, first + 31);
  o->extension_reason = ld_column_dup (stmt, first + 32);
  o->extension_requested_at = sqlite3_column_int64 (stmt, first + 33);
  o->extension_ruling = ld_column_dup (stmt, first + 34);
  o->extension_ruled_at = sqlite3_column_int64 (stmt, first + 35);
  o->extension_ruling_reason = ld_column_dup (stmt, first + 36);
  o->extension_original_due = sqlite3_column_int64 (stmt, first + 37);
  return o;
}

static LdOrder *
order_from_row (sqlite3_stmt *stmt)
{
  return ld_store_order_from_columns (stmt, 0);
}

LdOrder *
ld_store_get_order (LdStore *self, const char *id, GError **error)
{
  return ld_store_read_one (self, "SELECT " ORDER_COLUMNS " FROM orders WHERE id = ?", id,
                  (LdRowReader) order_from_row, _("Unknown order %s"), error);
}

GPtrArray *
ld_store_list_orders (LdStore *self, const char *incident_id, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT " ORDER_COLUMNS " FROM orders WHERE incident_id = ? ORDER BY dispatched_at, id", error);

  if (stmt == NULL)
    return NULL;
  ld_bind_text (stmt, 1, incident_id);
  return ld_store_read_all (self, stmt, (LdRowReader) order_from_row, (GDestroyNotify) ld_order_free, error);
}

/* The returns waiting for the center's ruling (退单审定), oldest first:
 * a matter that bounces between departments waits here, not in the sky.
 * A partial index keeps this cheap however long the history. */
GPtrArray *
ld_store_list_returns_to_rule (LdStore *self, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT " ORDER_COLUMNS " FROM orders WHERE state = 'returned' AND return_ruling IS NULL"
    " ORDER BY returned_at, id", error);

  if (stmt == NULL)
    return NULL;
  return ld_store_read_all (self, stmt, (LdRowReader) order_from_row, (GDestroyNotify) ld_order_free, error);
}

gboolean
ld_store_order_is_open (const char *state)
{
  return g_str_equal (state, "dispatched") || g_str_equal (state, "signed") || g_str_equal (state, "arrived");
}

guint
ld_order_overdue_at (const LdOrder *o, gint64 now)
{
  gboolean returned = ld_order_return_stands (o);
  gint64 end = o->completed_at ? o->completed_at : returned ? o->returned_at : now;
  gboolean open = o->completed_at == LD_TIME_NONE && !returned;
  guint flags = 0;

  if (o->signed_at ? o->signed_at > o->sign_due : o->sign_due < end)
    flags |= LD_OVERDUE_SIGN;
  if (o->arrived_at ? o->arrived_at > o->arrive_due : (open && o->arrive_due < now))
    flags |= LD_OVERDUE_ARRIVE;
  if (o->first_feedback_at ? o->first_feedback_at > o->feedback_due : o->feedback_due < now)
    flags |= LD_OVERDUE_FEEDBACK;
  if (o->completed_at ? o->completed_at > o->result_due : (open && o->result_due < now))
    flags |= LD_OVERDUE_RESULT;
  return flags;
}

char *
ld_store_dispatch (LdStore *self, const char *order_id, const char *incident_id, const char *unit_code,
                   gint64 at, const LdActor *actor, GError **error)
{
  g_autoptr(LdIncident) inc = ld_store_get_incident (self, incident_id, error);
  g_autofree char *data = NULL;
  const LdUnit *unit;
  LdOrder order = { 0, };
  sqlite3_stmt *stmt;

  if (inc == NULL)
    return NULL;
  unit = ld_store_lookup_unit (self, unit_code);
  if (unit == NULL)
    {
      ld_store_set_not_found (error, _("Unknown unit %s"), unit_code);
      return NULL;
    }
  if (unit->inactive)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("Unit %s is inactive and takes no orders"), unit_code);
      return NULL;
    }
  if (!g_str_equal (inc->state, "new") && !g_str_equal (inc->state, "dispatched"))
    {
      ld_store_set_transition_error (error, _("Incident %s is %s: it can no longer be dispatched"),
                            incident_id, inc->state);
      return NULL;
    }
  if (at < inc->received_at)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("An order cannot be dispatched before its incident was received"));
      return NULL;
    }

  stmt = ld_store_prepare (self,
    "SELECT 1 FROM orders WHERE incident_id = ? AND unit_code = ?"
    " AND state IN ('dispatched', 'signed', 'arrived')", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, incident_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, unit_code, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_DUPLICATE,
                   _("%s already has an open order for incident %s"), unit->name, incident_id);
      return NULL;
    }
  sqlite3_reset (stmt);

  order.id = order_id && *order_id ? g_strdup (order_id) : ld_id_new (at);
  order.dispatched_at = at;
  ld_store_compute_deadlines (self, inc->category, unit_code, &order);

  if (!ld_store_begin (self, error))
    goto fail_early;
  order.incident_id = (char *) incident_id;
  order.unit_code = (char *) unit_code;
  order.state = "dispatched";
  data = ld_store_event_data ("incident_id", incident_id, "unit_code", unit_code, NULL);
  if (!ld_store_insert_order (self, &order, error) ||
      !ld_store_record_event (self, actor, at, "order", order.id, "dispatch", data, error) ||
      !ld_store_commit (self, error))
    goto fail;
  return order.id;

fail:
  ld_store_rollback (self);
fail_early:
  g_free (order.id);
  return NULL;
}

typedef enum {
  STEP_SIGN,
  STEP_ARRIVE,
  STEP_COMPLETE,
  STEP_RETURN,
} Step;

/* When a step given its own time was logged, if that was well after it:
 * the center writing down what a unit reported by phone. A unit's own
 * steps take the time they are logged, so they are never logged later. */
gint64
ld_store_logged_later (const LdActor *actor, gint64 at)
{
  if (actor == NULL || actor->logged_at == LD_TIME_NONE || actor->logged_at - at < LD_LOGGED_LATER_US)
    return LD_TIME_NONE;
  return actor->logged_at;
}

static const char * const step_actions[] = { "sign", "arrive", "complete", "return" };

/* The order state machine: dispatched → signed → arrived → completed, with
 * complete allowed straight from signed (not every matter needs people on
 * the scene) and return from any open state. A machine never goes back. */
/* Whose duty a return names: exactly one of another active unit and the
 * basis for "not this unit's duty". */
static gboolean
check_return_duty (LdStore *self, const LdOrder *o, const char *duty_unit_code, const char *basis,
                   GError **error)
{
  const LdUnit *duty;

  if ((duty_unit_code == NULL) == (basis == NULL))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("A return says whose duty the matter is: another unit, or not this unit's with the basis"));
      return FALSE;
    }
  if (basis)
    {
      if (!ld_text_is_blank (basis))
        return TRUE;
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("A return that says the matter is not this unit's duty needs the basis"));
      return FALSE;
    }
  duty = ld_store_lookup_unit (self, duty_unit_code);
  if (duty == NULL)
    {
      ld_store_set_not_found (error, _("Unknown unit %s"), duty_unit_code);
      return FALSE;
    }
  if (duty->inactive || g_str_equal (duty_unit_code, o->unit_code))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("The unit a return names must be another active unit"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
order_step (LdStore *self, const char *order_id, Step step, gint64 at, const char *reason,
            const char *duty_unit_code, const char *basis, const LdActor *actor, GError **error)
{
  g_autoptr(LdOrder) o = ld_store_get_order (self, order_id, error);
  g_autofree char *data = NULL;
  g_autofree char *when = NULL;
  gboolean allowed = FALSE;
  gint64 last, logged;
  sqlite3_stmt *stmt;

  if (o == NULL)
    return FALSE;

  switch (step)
    {
    case STEP_SIGN:
      allowed = g_str_equal (o->state, "dispatched");
      break;
    case STEP_ARRIVE:
      allowed = g_str_equal (o->state, "signed");
      break;
    case STEP_COMPLETE:
      allowed = g_str_equal (o->state, "signed") || g_str_equal (o->state, "arrived");
      break;
    case STEP_RETURN:
      allowed = ld_store_order_is_open (o->state);
      break;
    default:
      g_assert_not_reached ();
    }

  if (!allowed)
    {
      static const char *messages[] = {
        N_("Order %s is %s: only a dispatched order can be signed"),
        N_("Order %s is %s: only a signed order can be marked arrived"),
        N_("Order %s is %s: only a signed or arrived order can be completed"),
        N_("Order %s is %s: only an open order can be returned"),
      };
      ld_store_set_transition_error (error, _(messages[step]), order_id, o->state);
      return FALSE;
    }
  if (step == STEP_RETURN && g_strcmp0 (o->return_ruling, "overruled") == 0)
    {
      ld_store_set_transition_error (error, _("Order %s is %s and the center overruled its return: it cannot be returned again"),
                                     order_id, o->state);
      return FALSE;
    }
  if (step == STEP_COMPLETE && o->result_feedback_at == LD_TIME_NONE)
    {
      ld_store_set_transition_error (error, _("Order %s is %s: it is completed after a result feedback"),
                                     order_id, o->state);
      return FALSE;
    }
  if (step == STEP_RETURN && ld_text_is_blank (reason))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("A returned order needs a reason"));
      return FALSE;
    }
  if (step == STEP_RETURN && !check_return_duty (self, o, duty_unit_code, basis, error))
    return FALSE;

  last = MAX (o->dispatched_at, MAX (o->signed_at, o->arrived_at));
  if (at < last)
    {
      g_autofree char *last_text = ld_time_format (last, self->tz);
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("Order %s: this step cannot be earlier than the one before it (%s)"),
                   order_id, last_text);
      return FALSE;
    }

  logged = ld_store_logged_later (actor, at);
  switch (step)
    {
    case STEP_SIGN:
      o->signed_at = at;
      o->signed_logged_at = logged;
      g_free (o->state), o->state = g_strdup ("signed");
      break;
    case STEP_ARRIVE:
      o->arrived_at = at;
      o->arrived_logged_at = logged;
      g_free (o->state), o->state = g_strdup ("arrived");
      break;
    case STEP_COMPLETE:
      o->completed_at = at;
      o->completed_logged_at = logged;
      g_free (o->state), o->state = g_strdup ("completed");
      break;
    case STEP_RETURN:
      o->returned_at = at;
      o->returned_logged_at = logged;
      g_free (o->state), o->state = g_strdup ("returned");
      break;
    default:
      g_assert_not_reached ();
    }
  /* A deadline missed earlier stays missed; this step may add its own. */
  o->overdue |= ld_order_overdue_at (o, at);

  if (!ld_store_begin (self, error))
    return FALSE;
  stmt = ld_store_prepare (self,
    "UPDATE orders SET state = ?2, signed_at = ?3, arrived_at = ?4, completed_at = ?5,"
    " returned_at = ?6, return_reason = coalesce(?7, return_reason), overdue = ?8,"
    " signed_logged_at = ?9, arrived_logged_at = ?10, completed_logged_at = ?11, returned_logged_at = ?12,"
    " duty_unit_code = coalesce(?13, duty_unit_code), not_ours = not_ours OR ?14 IS NOT NULL,"
    " basis = coalesce(?14, basis)"
    " WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, order_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, o->state, -1, SQLITE_STATIC);
  ld_bind_time (stmt, 3, o->signed_at);
  ld_bind_time (stmt, 4, o->arrived_at);
  ld_bind_time (stmt, 5, o->completed_at);
  ld_bind_time (stmt, 6, o->returned_at);
  ld_bind_text (stmt, 7, reason);
  sqlite3_bind_int (stmt, 8, o->overdue);
  ld_bind_time (stmt, 9, o->signed_logged_at);
  ld_bind_time (stmt, 10, o->arrived_logged_at);
  ld_bind_time (stmt, 11, o->completed_logged_at);
  ld_bind_time (stmt, 12, o->returned_logged_at);
  ld_bind_text (stmt, 13, duty_unit_code);
  ld_bind_text (stmt, 14, basis);
  when = ld_store_time_text (self, at);
  data = ld_store_event_data ("at", when, "reason", reason, "duty_unit_code", duty_unit_code,
                              "basis", basis, NULL);
  if (!ld_store_step_done (self, stmt, error) ||
      !ld_store_record_event (self, actor, at, "order", order_id, step_actions[step], data, error) ||
      !ld_store_commit (self, error))
    goto fail;
  return TRUE;

fail:
  ld_store_rollback (self);
  return FALSE;
}

gboolean
ld_store_sign_order (LdStore *self, const char *order_id, gint64 at, const LdActor *actor, GError **error)
{
  return order_step (self, order_id, STEP_SIGN, at, NULL, NULL, NULL, actor, error);
}

gboolean
ld_store_arrive_order (LdStore *self, const char *order_id, gint64 at, const LdActor *actor, GError **error)
{
  return order_step (self, order_id, STEP_ARRIVE, at, NULL, NULL, NULL, actor, error);
}

gboolean
ld_store_complete_order (LdStore *self, const char *order_id, gint64 at, const LdActor *actor, GError **error)
{
  return order_step (self, order_id, STEP_COMPLETE, at, NULL, NULL, NULL, actor, error);
}

gboolean
ld_store_return_order (LdStore *self, const char *order_id, gint64 at, const char *reason,
                       const char *duty_unit_code, const char *basis, const LdActor *actor, GError **error)
{
  return order_step (self, order_id, STEP_RETURN, at, reason, duty_unit_code, basis, actor, error);
}

/* The longest an extension may move a deadline: a season, not a year. */
#define EXTENSION_MAX_US (G_GINT64_CONSTANT (92) * 24 * 3600 * LD_USEC_PER_S)

/* The center's ruling on a return (退单审定). Accepted, the return stands
 * and the dispatcher sends the matter on with an ordinary dispatch.
 * Overruled, the order goes back to the same unit in the state it was
 * in, with its deadlines as they were: the time it spent returned counts
 * against the unit. The return stays on record (returned_at, counted in
 * the month's returns), and the unit may not return the order again. */
gboolean
ld_store_rule_return (LdStore *self, const char *order_id, gint64 at, gboolean overrule, const char *reason,
                      const LdActor *actor, GError **error)
{
  g_autoptr(LdOrder) o = ld_store_get_order (self, order_id, error);
  g_autoptr(LdIncident) inc = NULL;
  g_autofree char *data = NULL;
  g_autofree char *when = NULL;
  const char *ruling = overrule ? "overruled" : "accepted";
  const char *state = "returned";
  sqlite3_stmt *stmt;

  if (o == NULL)
    return FALSE;
  if (!g_str_equal (o->state, "returned") || o->return_ruling != NULL)
    {
      ld_store_set_transition_error (error, _("Order %s is %s: only a return not yet ruled on can be ruled on"),
                                     order_id, o->state);
      return FALSE;
    }
  if (overrule && ld_text_is_blank (reason))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("Overruling a return needs the reason, for the unit it goes back to"));
      return FALSE;
    }
  /* The return took the server's time and the ruling the desk's: a
   * ruling a desk's slow clock puts before the return came after it. */
  at = MAX (at, o->returned_at);
  if (overrule)
    {
      inc = ld_store_get_incident (self, o->incident_id, error);
      if (inc == NULL)
        return FALSE;
      if (!g_str_equal (inc->state, "new") && !g_str_equal (inc->state, "dispatched"))
        {
          ld_store_set_transition_error (error, _("Incident %s is %s: its orders can no longer be sent back"),
                                         inc->id, inc->state);
          return FALSE;
        }
      stmt = ld_store_prepare (self,
        "SELECT 1 FROM orders WHERE incident_id = ? AND unit_code = ? AND " OPEN_ORDER, error);
      if (stmt == NULL)
        return FALSE;
      ld_bind_text (stmt, 1, o->incident_id);
      ld_bind_text (stmt, 2, o->unit_code);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          sqlite3_reset (stmt);
          g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_DUPLICATE,
                       _("%s already has an open order for incident %s"), o->unit_code, o->incident_id);
          return FALSE;
        }
      sqlite3_reset (stmt);
      state = o->arrived_at ? "arrived" : o->signed_at ? "signed" : "dispatched";
    }

  g_free (o->return_ruling), o->return_ruling = g_strdup (ruling);
  /* Open again, the order may now miss deadlines its return had stopped. */
  o->overdue |= ld_order_overdue_at (o, at);

  if (!ld_store_begin (self, error))
    return FALSE;
  stmt = ld_store_prepare (self,
    "UPDATE orders SET state = ?2, return_ruling = ?3, return_ruled_at = ?4, return_ruled_by = ?5,"
    " return_ruling_reason = ?6, overdue = ?7 WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  ld_bind_text (stmt, 1, order_id);
  ld_bind_text (stmt, 2, state);
  ld_bind_text (stmt, 3, ruling);
  sqlite3_bind_int64 (stmt, 4, at);
  ld_bind_text (stmt, 5, actor ? actor->user : NULL);
  ld_bind_text (stmt, 6, reason);
  sqlite3_bind_int (stmt, 7, o->overdue);
  when = ld_store_time_text (self, at);
  data = ld_store_event_data ("at", when, "ruling", ruling, "reason", reason, "unit_code", o->unit_code, NULL);
  if (!ld_store_step_done (self, stmt, error) ||
      !ld_store_record_event (self, actor, at, "order", order_id, "rule-return", data, error) ||
      !ld_store_commit (self, error))
    goto fail;
  return TRUE;

fail:
  ld_store_rollback (self);
  return FALSE;
}

/* The deadline of a step an extension may move, and its overdue flag. */
static gint64 *
extension_due (LdOrder *o, const char *step, guint *flag)
{
  if (g_strcmp0 (step, "feedback") == 0)
    {
      *flag = LD_OVERDUE_FEEDBACK;
      return &o->feedback_due;
    }
  if (g_strcmp0 (step, "complete") == 0)
    {
      *flag = LD_OVERDUE_RESULT;
      return &o->result_due;
    }
  return NULL;
}

/* A unit asks to move the deadline of its feedback or its completion
 * (申请延期). One request waits at a time, and a deadline moves once. */
gboolean
ld_store_request_extension (LdStore *self, const char *order_id, gint64 at, const char *step, gint64 until,
                            const char *reason, const LdActor *actor, GError **error)
{
  g_autoptr(LdOrder) o = ld_store_get_order (self, order_id, error);
  g_autofree char *data = NULL;
  g_autofree char *when = NULL;
  g_autofree char *until_text = NULL;
  gint64 *due;
  guint flag;
  sqlite3_stmt *stmt;

  if (o == NULL)
    return FALSE;
  due = extension_due (o, step, &flag);
  if (due == NULL)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("An extension moves the deadline of “feedback” or “complete”"));
      return FALSE;
    }
  if (!ld_store_order_is_open (o->state) ||
      (flag == LD_OVERDUE_FEEDBACK && o->first_feedback_at != LD_TIME_NONE))
    {
      ld_store_set_transition_error (error, _("Order %s is %s: only a step still to do can have its deadline moved"),
                                     order_id, o->state);
      return FALSE;
    }
  if (o->extension_step != NULL && o->extension_ruling == NULL)
    {
      ld_store_set_transition_error (error, _("Order %s is %s and already waits for a ruling on an extension"),
                                     order_id, o->state);
      return FALSE;
    }
  if (g_strcmp0 (o->extension_ruling, "approved") == 0)
    {
      ld_store_set_transition_error (error, _("Order %s is %s and its deadline was already extended once"),
                                     order_id, o->state);
      return FALSE;
    }
  if (ld_text_is_blank (reason))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("An extension needs a reason"));
      return FALSE;
    }
  if (until <= at)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID, _("An extension asks for a time still to come"));
      return FALSE;
    }
  if (until <= *due || until - *due > EXTENSION_MAX_US)
    {
      g_autofree char *due_text = ld_time_format (*due, self->tz);
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("An extension asks for a deadline after %s and at most 92 days later"), due_text);
      return FALSE;
    }

  if (!ld_store_begin (self, error))
    return FALSE;
  stmt = ld_store_prepare (self,
    "UPDATE orders SET extension_step = ?2, extension_until = ?3, extension_reason = ?4,"
    " extension_requested_at = ?5, extension_ruling = NULL, extension_ruled_at = NULL,"
    " extension_ruling_reason = NULL WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  ld_bind_text (stmt, 1, order_id);
  ld_bind_text (stmt, 2, step);
  sqlite3_bind_int64 (stmt, 3, until);
  ld_bind_text (stmt, 4, reason);
  sqlite3_bind_int64 (stmt, 5, at);
  when = ld_store_time_text (self, at);
  until_text = ld_store_time_text (self, until);
  data = ld_store_event_data ("at", when, "step", step, "until", until_text, "reason", reason, NULL);
  if (!ld_store_step_done (self, stmt, error) ||
      !ld_store_record_event (self, actor, at, "order", order_id, "request-extension", data, error) ||
      !ld_store_commit (self, error))
    goto fail;
  return TRUE;

fail:
  ld_store_rollback (self);
  return FALSE;
}

/* The center's ruling on a request to extend. Approved, the step's
 * deadline column becomes the one asked for and the one it replaces is
 * kept: every reader of the deadline (the overdue marks, the late list,
 * the unit board, the month's figures) then judges the order against the
 * extension, as they all read that column. A flag the old deadline had
 * raised is judged again against the new one. */
gboolean
ld_store_rule_extension (LdStore *self, const char *order_id, gint64 at, gboolean approve, const char *reason,
                         const LdActor *actor, GError **error)
{
  g_autoptr(LdOrder) o = ld_store_get_order (self, order_id, error);
  g_autofree char *data = NULL;
  g_autofree char *when = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *ruling = approve ? "approved" : "refused";
  gint64 original = LD_TIME_NONE;
  gint64 *due;
  guint flag;
  sqlite3_stmt *stmt;

  if (o == NULL)
    return FALSE;
  if (o->extension_step == NULL || o->extension_ruling != NULL)
    {
      ld_store_set_transition_error (error, _("Order %s is %s: it has no extension waiting for a ruling"),
                                     order_id, o->state);
      return FALSE;
    }
  if (!approve && ld_text_is_blank (reason))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("Refusing an extension needs the reason, for the unit"));
      return FALSE;
    }
  /* As for a return's ruling: the request took the server's time. */
  at = MAX (at, o->extension_requested_at);
  due = extension_due (o, o->extension_step, &flag);
  g_assert (due != NULL);
  if (approve)
    {
      original = *due;
      *due = o->extension_until;
      o->overdue = (o->overdue & ~flag) | (ld_order_overdue_at (o, at) & flag);
    }

  if (!ld_store_begin (self, error))
    return FALSE;
  stmt = ld_store_prepare (self,
    "UPDATE orders SET extension_ruling = ?2, extension_ruled_at = ?3, extension_ruling_reason = ?4,"
    " extension_original_due = ?5, feedback_due = ?6, result_due = ?7, overdue = ?8 WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  ld_bind_text (stmt, 1, order_id);
  ld_bind_text (stmt, 2, ruling);
  sqlite3_bind_int64 (stmt, 3, at);
  ld_bind_text (stmt, 4, reason);
  ld_bind_time (stmt, 5, original);
  sqlite3_bind_int64 (stmt, 6, o->feedback_due);
  sqlite3_bind_int64 (stmt, 7, o->result_due);
  sqlite3_bind_int (stmt, 8, o->overdue);
  when = ld_store_time_text (self, at);
  /* The trail says which deadline moved from when to when. */
  before = ld_store_time_text (self, original);
  after = approve ? ld_store_time_text (self, *due) : NULL;
  data = ld_store_event_data ("at", when, "ruling", ruling, "reason", reason, "step", o->extension_step,
                              "due_before", before, "due", after, NULL);
  if (!ld_store_step_done (self, stmt, error) ||
      !ld_store_record_event (self, actor, at, "order", order_id, "rule-extension", data, error) ||
      !ld_store_commit (self, error))
    goto fail;
  return TRUE;

fail:
  ld_store_rollback (self);
  return FALSE;
}

static const char * const late_steps[] = { "sign", "arrive", "feedback", "result" };

gboolean
ld_store_mark_overdue (LdStore *self, gint64 now, guint *n_marked, GError **error)
{
  static const char *flags_sql =
    "(overdue"
    " | CASE WHEN " LATE_SIGN " THEN 1 ELSE 0 END"
    " | CASE WHEN " LATE_ARRIVE " THEN 2 ELSE 0 END"
    " | CASE WHEN " LATE_FEEDBACK " THEN 4 ELSE 0 END"
    " | CASE WHEN " LATE_RESULT " THEN 8 ELSE 0 END)";
  static char *event_sql, *update_sql;
  sqlite3_stmt *stmt;
  guint n;

  if (g_once_init_enter (&event_sql))
    {
      update_sql = g_strdup_printf (
        "UPDATE orders SET overdue = %s"
        " WHERE " OPEN_ORDER " AND overdue != %s", flags_sql, flags_sql);
      g_once_init_leave (&event_sql, g_strdup_printf (
        "INSERT INTO event (at, actor, entity, entity_id, action, data)"
        " SELECT ?1, 'system', 'order', id, 'overdue', json_object('overdue', %s)"
        " FROM orders WHERE " OPEN_ORDER " AND overdue != %s",
        flags_sql, flags_sql));
    }

  if (!ld_store_begin (self, error))
    return FALSE;
  stmt = ld_store_prepare (self, event_sql, error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, now);
  if (!ld_store_step_done (self, stmt, error))
    goto fail;
  stmt = ld_store_prepare (self, update_sql, error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, now);
  if (!ld_store_step_done (self, stmt, error))
    goto fail;
  n = sqlite3_changes (self->db);
  if (!ld_store_commit (self, error))
    goto fail;
  if (n_marked)
    *n_marked = n;
  return TRUE;

fail:
  ld_store_rollback (self);
  return FALSE;
}

/* The unit board and the late list */

void
ld_unit_load_free (LdUnitLoad *load)
{
  if (load == NULL)
    return;
  ld_unit_free (load->unit);
  g_free (load);
}

void
ld_late_order_free (LdLateOrder *late)
{
  if (late == NULL)
    return;
  ld_order_free (late->order);
  ld_incident_free (late->incident);
  ld_unit_free (late->unit);
  g_free (late);
}

static gpointer
unit_load_from_row (sqlite3_stmt *stmt)
{
  LdUnitLoad *load = g_new0 (LdUnitLoad, 1);
  load->unit = ld_store_unit_from_columns (stmt, 0);
  load->n_open = sqlite3_column_int (stmt, 13);
  load->n_late = sqlite3_column_int (stmt, 14);
  load->oldest_late_due = sqlite3_column_int64 (stmt, 15);
  return load;
}

/* One pass over the open orders (the orders_open index), grouped by unit. */
GPtrArray *
ld_store_list_unit_loads (LdStore *self, gint64 now, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT " UNIT_COLUMNS ", coalesce(n_open, 0), coalesce(n_late, 0), coalesce(oldest_late_due, 0)"
    " FROM unit LEFT JOIN ("
    "   SELECT unit_code, count(*) AS n_open, count(due) AS n_late, min(due) AS oldest_late_due"
    "   FROM (SELECT unit_code, " LATE_DUE " AS due FROM orders WHERE " OPEN_ORDER ")"
    "   GROUP BY unit_code) ON unit_code = code"
    " WHERE NOT inactive ORDER BY tier, region_code, code", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  return ld_store_read_all (self, stmt, unit_load_from_row, (GDestroyNotify) ld_unit_load_free, error);
}

static gpointer
late_order_from_row (sqlite3_stmt *stmt)
{
  LdLateOrder *late = g_new0 (LdLateOrder, 1);
  int c = 0;

  late->order = ld_store_order_from_columns (stmt, c);
  c += N_ORDER_COLUMNS;
  late->step = late_steps[sqlite3_column_int (stmt, c++)];
  late->due = sqlite3_column_int64 (stmt, c++);
  late->incident = ld_store_incident_from_columns (stmt, c);
  c += N_INCIDENT_COLUMNS;
  late->unit = ld_store_unit_from_columns (stmt, c);
  return late;
}

GPtrArray *
ld_store_list_late_orders (LdStore *self, gint64 now, GError **error)
{
  /* The subqueries name each record's columns in its reader's order; sqlite
   * flattens them into one join on the primary keys. */
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT o.*, i.*, u.* FROM"
    " (SELECT " ORDER_COLUMNS ", " LATE_STEP " AS step, " LATE_DUE " AS due"
    "   FROM orders WHERE " OPEN_ORDER ") o"
    " JOIN (SELECT " INCIDENT_COLUMNS " FROM incident) i ON i.id = o.incident_id"
    " JOIN (SELECT " UNIT_COLUMNS " FROM unit) u ON u.code = o.unit_code"
    " WHERE o.step IS NOT NULL ORDER BY o.due, o.id", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  return ld_store_read_all (self, stmt, late_order_from_row, (GDestroyNotify) ld_late_order_free, error);
}

GHashTable *
ld_store_count_late_orders (LdStore *self, gint64 now, GError **error)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT region_code, count(*) FROM orders WHERE " OPEN_ORDER " AND " LATE_STEP " IS NOT NULL"
    " GROUP BY region_code", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *region = (const char *) sqlite3_column_text (stmt, 0);
      g_hash_table_insert (counts, g_strdup (region ? region : ""), GUINT_TO_POINTER (sqlite3_column_int (stmt, 1)));
    }
  if (!ld_store_end_rows (self, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&counts);
}

/* A deadline exactly at @now is not late yet (late is after it), so it
 * still counts as the next one: a timer set for it then finds it late. */
gint64
ld_store_next_order_deadline (LdStore *self, gint64 now)
{
  /* One pass over the open orders, the earliest of each step. */
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT min(CASE WHEN " PENDING_SIGN " AND sign_due >= ?1 THEN sign_due END),"
    " min(CASE WHEN " PENDING_ARRIVE " AND arrive_due >= ?1 THEN arrive_due END),"
    " min(CASE WHEN " PENDING_FEEDBACK " AND feedback_due >= ?1 THEN feedback_due END),"
    " min(CASE WHEN " PENDING_RESULT " AND result_due >= ?1 THEN result_due END)"
    " FROM orders WHERE " OPEN_ORDER, NULL);
  gint64 next = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, now);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    for (guint i = 0; i < G_N_ELEMENTS (late_steps); i++)
      if (sqlite3_column_type (stmt, i) != SQLITE_NULL &&
          (next == 0 || sqlite3_column_int64 (stmt, i) < next))
        next = sqlite3_column_int64 (stmt, i);
  sqlite3_reset (stmt);
  return next;
}
