/* ld-board-filter.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include "ld-board-filter.h"
#include "ld-incident-item.h"

struct _LdBoardFilter
{
  GtkFilter    parent_instance;

  LdStore     *store;
  LdBoardShow  show;
  char        *region_code;
};

G_DEFINE_FINAL_TYPE (LdBoardFilter, ld_board_filter, GTK_TYPE_FILTER)

LdBoardFilter *
ld_board_filter_new (void)
{
  return g_object_new (LD_TYPE_BOARD_FILTER, NULL);
}

static gboolean
is_open (const char *state)
{
  return g_str_equal (state, "new") || g_str_equal (state, "dispatched");
}

static gboolean
ld_board_filter_match (GtkFilter *filter, gpointer object)
{
  LdBoardFilter *self = LD_BOARD_FILTER (filter);
  LdIncidentItem *item = object;
  const LdIncident *incident = ld_incident_item_get_incident (item);
  gint64 due = ld_incident_item_get_next_due (item);

  switch (self->show)
    {
    case LD_BOARD_SHOW_OPEN:
      if (!is_open (incident->state))
        return FALSE;
      break;
    case LD_BOARD_SHOW_NEW:
      if (!g_str_equal (incident->state, "new"))
        return FALSE;
      break;
    case LD_BOARD_SHOW_OVERDUE:
      if (!(due != LD_TIME_NONE && due < ld_time_now ()))
        return FALSE;
      break;
    case LD_BOARD_SHOW_ALL:
    default:
      break;
    }
  if (self->region_code && self->store)
    return incident->region_code && ld_store_region_is_within (self->store, incident->region_code, self->region_code);
  return TRUE;
}

static GtkFilterMatch
ld_board_filter_get_strictness (GtkFilter *filter)
{
  return ld_board_filter_is_active (LD_BOARD_FILTER (filter)) ? GTK_FILTER_MATCH_SOME : GTK_FILTER_MATCH_ALL;
}

void
ld_board_filter_set_store (LdBoardFilter *self, LdStore *store)
{
  g_return_if_fail (LD_IS_BOARD_FILTER (self));

  if (g_set_object (&self->store, store) && self->region_code)
    gtk_filter_changed (GTK_FILTER (self), GTK_FILTER_CHANGE_DIFFERENT);
}

void
ld_board_filter_set_show (LdBoardFilter *self, LdBoardShow show)
{
  g_return_if_fail (LD_IS_BOARD_FILTER (self));

  if (self->show == show)
    return;
  self->show = show;
  gtk_filter_changed (GTK_FILTER (self), GTK_FILTER_CHANGE_DIFFERENT);
}

void
ld_board_filter_set_region (LdBoardFilter *self, const char *region_code)
{
  g_return_if_fail (LD_IS_BOARD_FILTER (self));

  if (g_strcmp0 (self->region_code, region_code) == 0)
    return;
  g_free (self->region_code);
  self->region_code = g_strdup (region_code);
  gtk_filter_changed (GTK_FILTER (self), GTK_FILTER_CHANGE_DIFFERENT);
}

gboolean
ld_board_filter_is_active (LdBoardFilter *self)
{
  g_return_val_if_fail (LD_IS_BOARD_FILTER (self), FALSE);
  return self->show != LD_BOARD_SHOW_ALL || self->region_code != NULL;
}

void
ld_board_filter_recheck (LdBoardFilter *self)
{
  g_return_if_fail (LD_IS_BOARD_FILTER (self));

  if (self->show != LD_BOARD_SHOW_ALL)
    gtk_filter_changed (GTK_FILTER (self), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
ld_board_filter_finalize (GObject *object)
{
  LdBoardFilter *self = LD_BOARD_FILTER (object);

  g_clear_object (&self->store);
  g_free (self->region_code);

  G_OBJECT_CLASS (ld_board_filter_parent_class)->finalize (object);
}

static void
ld_board_filter_class_init (LdBoardFilterClass *klass)
{
  GtkFilterClass *filter_class = GTK_FILTER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = ld_board_filter_finalize;
  filter_class->match = ld_board_filter_match;
  filter_class->get_strictness = ld_board_filter_get_strictness;
}

static void
ld_board_filter_init (LdBoardFilter *self)
{
  self->show = LD_BOARD_SHOW_ALL;
}
