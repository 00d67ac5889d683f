/* ld-board-rows.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include "ld-board-rows.h"
#include "ld-incident-model.h"
#include "ld-incident-search.h"

/* The board keeps what is still open and what came in during the last day. */
#define BOARD_WINDOW_US (G_GINT64_CONSTANT (24) * 3600 * 1000000)
#define SEARCH_LIMIT 500

struct _LdBoardRows
{
  GObject             parent_instance;

  LdSyncEngine       *engine;
  LdIncidentModel    *model;
  LdIncidentSearch   *found;     /* the board while a search is typed */
  LdBoardFilter      *filter;
  GtkFilterListModel *filtered;  /* the board or the search results, through the filter */
  GtkSingleSelection *selection;
  char               *query;
  GError             *search_error;
  char               *summary;
  LdIncidentTableView view;
  guint               summary_source;
  guint               search_source;
};

G_DEFINE_FINAL_TYPE (LdBoardRows, ld_board_rows, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SUMMARY,
  PROP_SEARCH_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

LdBoardRows *
ld_board_rows_new (void)
{
  return g_object_new (LD_TYPE_BOARD_ROWS, NULL);
}

static gboolean
is_searching (LdBoardRows *self)
{
  return gtk_filter_list_model_get_model (self->filtered) == ld_incident_search_get_model (self->found);
}

static void
update_summary (LdBoardRows *self)
{
  guint n = self->model ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  guint open = 0;
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  g_autofree char *text = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LdIncidentItem) item = g_list_model_get_item (G_LIST_MODEL (self->model), i);
      const char *state = ld_incident_item_get_incident (item)->state;

      if (g_str_equal (state, "new") || g_str_equal (state, "dispatched"))
        open++;
    }
  if (is_searching (self))
    {
      guint found = g_list_model_get_n_items (ld_incident_search_get_model (self->found));

      text = ld_incident_search_is_full (self->found)
        ? g_strdup_printf (_("The newest %u matching incidents"), found)
        : g_strdup_printf (ngettext ("%u matching incident", "%u matching incidents", found), found);
      self->view = found > 0 ? LD_INCIDENT_TABLE_ROWS : LD_INCIDENT_TABLE_NO_MATCH;
    }
  else
    {
      text = g_strdup_printf (ngettext ("%u incident on the board, %u open", "%u incidents on the board, %u open", n),
                              n, open);
      self->view = n == 0 ? LD_INCIDENT_TABLE_EMPTY : shown > 0 ? LD_INCIDENT_TABLE_ROWS : LD_INCIDENT_TABLE_NO_MATCH;
    }
  if (ld_board_filter_is_active (self->filter))
    {
      /* Translators: after the board's counts, when a filter hides some rows */
      g_autofree char *with_shown = g_strdup_printf (_("%s · %u shown"), text, shown);

      g_free (text);
      text = g_steal_pointer (&with_shown);
    }
  g_free (self->summary);
  self->summary = g_steal_pointer (&text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

static gboolean
update_summary_idle (gpointer data)
{
  LdBoardRows *self = data;

  self->summary_source = 0;
  update_summary (self);
  return G_SOURCE_REMOVE;
}

/* A catch-up changes thousands of rows: the count is taken once after. */
static void
queue_summary (LdBoardRows *self)
{
  if (self->summary_source == 0)
    self->summary_source = g_idle_add (update_summary_idle, self);
}

static void
rows_changed (LdBoardRows *self)
{
  queue_summary (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, LdBoardRows *self)
{
  rows_changed (self);
}

static void
use_model (LdBoardRows *self, GListModel *model)
{
  if (gtk_filter_list_model_get_model (self->filtered) == model)
    return;
  gtk_filter_list_model_set_model (self->filtered, model);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  rows_changed (self);
}

static void
set_search_error (LdBoardRows *self, GError *error)
{
  if (self->search_error == NULL && error == NULL)
    return;
  g_clear_error (&self->search_error);
  self->search_error = error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_ERROR]);
}

static void
run_search (LdBoardRows *self)
{
  GError *error = NULL;

  if (self->engine == NULL)
    return;
  if (self->query == NULL || *self->query == '\0')
    {
      set_search_error (self, NULL);
      use_model (self, G_LIST_MODEL (self->model));
      return;
    }
  if (!ld_incident_search_run (self->found, self->query, &error))
    {
      set_search_error (self, error);
      return;
    }
  set_search_error (self, NULL);
  use_model (self, ld_incident_search_get_model (self->found));
  rows_changed (self);
}

void
ld_board_rows_search (LdBoardRows *self, const char *query)
{
  g_return_if_fail (LD_IS_BOARD_ROWS (self));

  g_free (self->query);
  self->query = g_strdup (query);
  run_search (self);
}

static gboolean
search_again (gpointer data)
{
  LdBoardRows *self = data;

  self->search_source = 0;
  run_search (self);
  return G_SOURCE_REMOVE;
}

static void
on_incident_state (LdSyncEngine *engine, GStrv incidents, GStrv orders, LdBoardRows *self)
{
  /* Found rows are a copy: a change is searched again, once per burst. */
  if (is_searching (self) && self->search_source == 0)
    self->search_source = g_idle_add (search_again, self);
  /* Rows change in place: a filter on their state is run again. */
  ld_board_filter_recheck (self->filter);
  rows_changed (self);
}

void
ld_board_rows_set_engine (LdBoardRows *self, LdSyncEngine *engine)
{
  LdStore *store = engine ? ld_sync_engine_get_store (engine) : NULL;

  g_return_if_fail (LD_IS_BOARD_ROWS (self));

  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  if (self->model)
    g_signal_handlers_disconnect_by_data (self->model, self);
  gtk_filter_list_model_set_model (self->filtered, NULL);
  g_clear_object (&self->model);
  g_set_object (&self->engine, engine);
  ld_board_filter_set_store (self->filter, store);
  ld_incident_search_set_store (self->found, store);
  if (engine)
    {
      self->model = ld_incident_model_new (engine, BOARD_WINDOW_US);
      g_signal_connect (self->model, "items-changed", G_CALLBACK (on_items_changed), self);
      g_signal_connect_object (engine, "changed", G_CALLBACK (on_incident_state), self, G_CONNECT_AFTER);
      gtk_filter_list_model_set_model (self->filtered, G_LIST_MODEL (self->model));
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
    }
  update_summary (self);
}

GListModel *
ld_board_rows_get_model (LdBoardRows *self)
{
  g_return_val_if_fail (LD_IS_BOARD_ROWS (self), NULL);
  return self->model ? G_LIST_MODEL (self->model) : NULL;
}

GtkSingleSelection *
ld_board_rows_get_selection (LdBoardRows *self)
{
  g_return_val_if_fail (LD_IS_BOARD_ROWS (self), NULL);
  return self->selection;
}

void
ld_board_rows_set_show (LdBoardRows *self, LdBoardShow show)
{
  g_return_if_fail (LD_IS_BOARD_ROWS (self));

  ld_board_filter_set_show (self->filter, show);
  rows_changed (self);
}

void
ld_board_rows_set_region (LdBoardRows *self, const char *region_code)
{
  g_return_if_fail (LD_IS_BOARD_ROWS (self));

  ld_board_filter_set_region (self->filter, region_code);
  rows_changed (self);
}

void
ld_board_rows_tick (LdBoardRows *self)
{
  GListModel *model;

  g_return_if_fail (LD_IS_BOARD_ROWS (self));

  model = gtk_single_selection_get_model (self->selection);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LdIncidentItem) item = g_list_model_get_item (model, i);

      ld_incident_item_tick (item);
    }
  ld_board_filter_recheck (self->filter);
}

const char *
ld_board_rows_get_summary (LdBoardRows *self)
{
  g_return_val_if_fail (LD_IS_BOARD_ROWS (self), NULL);
  return self->summary;
}

LdIncidentTableView
ld_board_rows_get_view (LdBoardRows *self)
{
  g_return_val_if_fail (LD_IS_BOARD_ROWS (self), LD_INCIDENT_TABLE_EMPTY);
  return self->view;
}

const GError *
ld_board_rows_get_search_error (LdBoardRows *self)
{
  g_return_val_if_fail (LD_IS_BOARD_ROWS (self), NULL);
  return self->search_error;
}

static void
ld_board_rows_dispose (GObject *object)
{
  LdBoardRows *self = LD_BOARD_ROWS (object);

  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  if (self->model)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_handle_id (&self->summary_source, g_source_remove);
  g_clear_handle_id (&self->search_source, g_source_remove);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->found);
  g_clear_object (&self->model);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (ld_board_rows_parent_class)->dispose (object);
}

static void
ld_board_rows_finalize (GObject *object)
{
  LdBoardRows *self = LD_BOARD_ROWS (object);

  g_free (self->query);
  g_free (self->summary);
  g_clear_error (&self->search_error);

  G_OBJECT_CLASS (ld_board_rows_parent_class)->finalize (object);
}

static void
ld_board_rows_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LdBoardRows *self = LD_BOARD_ROWS (object);

  switch (prop_id)
    {
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    case PROP_SEARCH_ERROR:
      g_value_set_boxed (value, self->search_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_board_rows_class_init (LdBoardRowsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ld_board_rows_dispose;
  object_class->finalize = ld_board_rows_finalize;
  object_class->get_property = ld_board_rows_get_property;

  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEARCH_ERROR] =
    g_param_spec_boxed ("search-error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ld_board_rows_init (LdBoardRows *self)
{
  self->found = ld_incident_search_new (SEARCH_LIMIT);
  self->filter = ld_board_filter_new ();
  self->filtered = gtk_filter_list_model_new (NULL, g_object_ref (GTK_FILTER (self->filter)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  update_summary (self);
}
