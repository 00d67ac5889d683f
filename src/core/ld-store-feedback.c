/* ld-store-feedback.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Feedback on orders: the one place a feedback row is written and
 * forgotten, and the checked path a user takes. */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ld-store-area.h"

/* The one place a feedback row is written. The order's counters move with
 * it (the first result too, which completion needs), and the guard keeps
 * the rule that feedback comes between the order's signature and a return
 * that stands; a row outside it is refused as INVALID. */
gboolean
ld_store_insert_feedback (LdStore *self, const char *id, const char *order_id, gint64 at,
                          const char *kind, const char *text, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "UPDATE orders SET feedback_count = feedback_count + 1,"
    " first_feedback_at = min(coalesce(first_feedback_at, ?2), ?2),"
    " overdue = CASE WHEN min(coalesce(first_feedback_at, ?2), ?2) > feedback_due"
    "   THEN overdue | 4 ELSE overdue END,"
    " result_feedback_at = CASE WHEN ?3 = 'result' THEN min(coalesce(result_feedback_at, ?2), ?2)"
    "   ELSE result_feedback_at END"
    " WHERE id = ?1 AND signed_at <= ?2"
    "   AND (returned_at IS NULL OR ?2 <= returned_at OR return_ruling = 'overruled')", error);

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, order_id);
  sqlite3_bind_int64 (stmt, 2, at);
  ld_bind_text (stmt, 3, kind);
  if (!ld_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("Order %s takes no feedback at that time: feedback comes after the signature and before a return"),
                   order_id);
      return FALSE;
    }

  stmt = ld_store_prepare (self, "INSERT INTO feedback (id, order_id, at, kind, text) VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, id);
  ld_bind_text (stmt, 2, order_id);
  sqlite3_bind_int64 (stmt, 3, at);
  ld_bind_text (stmt, 4, kind);
  ld_bind_text (stmt, 5, text);
  return ld_store_step_done (self, stmt, error);
}

/* Removes a feedback row that only this replica had, and its count. */
gboolean
ld_store_forget_feedback (LdStore *self, const char *feedback_id, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "UPDATE orders SET feedback_count = feedback_count - 1"
    " WHERE id = (SELECT order_id FROM feedback WHERE id = ?)", error);

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, feedback_id);
  if (!ld_store_step_done (self, stmt, error))
    return FALSE;
  stmt = ld_store_prepare (self, "DELETE FROM feedback WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, feedback_id);
  return ld_store_step_done (self, stmt, error);
}

char *
ld_store_add_feedback (LdStore *self, const char *feedback_id, const char *order_id, gint64 at,
                       const char *kind, const char *text, const LdActor *actor, GError **error)
{
  g_autoptr(LdOrder) o = ld_store_get_order (self, order_id, error);
  g_autofree char *id = NULL;
  g_autofree char *data = NULL;
  sqlite3_stmt *stmt;

  if (o == NULL)
    return NULL;
  if (!ld_feedback_kind_is_valid (kind))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("Unknown feedback kind “%s” (arrival, progress, result)"), kind ? kind : "");
      return NULL;
    }
  if (g_str_equal (o->state, "dispatched") || g_str_equal (o->state, "returned"))
    {
      ld_store_set_transition_error (error, _("Order %s is %s: feedback comes after it is signed"),
                            order_id, o->state);
      return NULL;
    }
  if (at < o->signed_at)
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("Order %s: feedback cannot be earlier than the signature"), order_id);
      return NULL;
    }

  id = feedback_id && *feedback_id ? g_strdup (feedback_id) : ld_id_new (at);
  if (!ld_store_begin (self, error))
    return NULL;
  if (!ld_store_insert_feedback (self, id, order_id, at, kind, text, error))
    goto fail;
  /* The first feedback is the one graded: whether it was logged later
   * goes with it. */
  stmt = ld_store_prepare (self,
    "UPDATE orders SET first_feedback_logged_at = ?3 WHERE id = ?1 AND first_feedback_at = ?2", error);
  if (stmt == NULL)
    goto fail;
  ld_bind_text (stmt, 1, order_id);
  sqlite3_bind_int64 (stmt, 2, at);
  ld_bind_time (stmt, 3, ld_store_logged_later (actor, at));
  if (!ld_store_step_done (self, stmt, error))
    goto fail;
  data = ld_store_event_data ("feedback_id", id, "kind", kind, "text", text, NULL);
  if (!ld_store_record_event (self, actor, at, "order", order_id, "feedback", data, error) ||
      !ld_store_commit (self, error))
    goto fail;
  return g_steal_pointer (&id);

fail:
  ld_store_rollback (self);
  return NULL;
}

static gpointer
feedback_from_row (sqlite3_stmt *stmt)
{
  LdFeedback *f = g_new0 (LdFeedback, 1);

  f->id = ld_column_dup (stmt, 0);
  f->order_id = ld_column_dup (stmt, 1);
  f->at = sqlite3_column_int64 (stmt, 2);
  f->kind = ld_column_dup (stmt, 3);
  f->text = ld_column_dup (stmt, 4);
  return f;
}

GPtrArray *
ld_store_list_feedback (LdStore *self, const char *order_id, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "SELECT id, order_id, at, kind, text FROM feedback WHERE order_id = ? ORDER BY at, id", error);

  if (stmt == NULL)
    return NULL;
  ld_bind_text (stmt, 1, order_id);
  return ld_store_read_all (self, stmt, feedback_from_row, (GDestroyNotify) ld_feedback_free, error);
}

/* A replica takes the server's report as it is: the order's own record
 * carries the counts, so nothing else moves. */
gboolean
ld_store_put_feedback (LdStore *self, const LdFeedback *feedback, GError **error)
{
  sqlite3_stmt *stmt = ld_store_prepare (self,
    "INSERT OR REPLACE INTO feedback (id, order_id, at, kind, text) VALUES (?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  ld_bind_text (stmt, 1, feedback->id);
  ld_bind_text (stmt, 2, feedback->order_id);
  sqlite3_bind_int64 (stmt, 3, feedback->at);
  ld_bind_text (stmt, 4, feedback->kind);
  ld_bind_text (stmt, 5, feedback->text);
  return ld_store_step_done (self, stmt, error);
}
