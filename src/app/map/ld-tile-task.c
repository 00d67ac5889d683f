/* ld-tile-task.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include "ld-tile-task.h"

typedef struct {
  LdTileFunc func;
  int        x, y, zoom;
} TileRequest;

static void
make_tile (GTask        *task,
           gpointer      source_object,
           gpointer      task_data,
           GCancellable *cancellable)
{
  TileRequest *req = task_data;
  GError *error = NULL;
  GBytes *bytes;

  if (g_task_return_error_if_cancelled (task))
    return;
  bytes = req->func (source_object, req->x, req->y, req->zoom, cancellable, &error);
  if (bytes)
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
  else
    g_task_return_error (task, error);
}

static void
on_tile_made (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TileRequest *req = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  g_autoptr(GBytes) bytes = g_task_propagate_pointer (G_TASK (result), &error);

  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_signal_emit_by_name (object, "received-data", req->x, req->y, req->zoom, bytes);
  g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
}

void
ld_tile_task_run (ShumateDataSource   *source,
                  LdTileFunc           func,
                  int                  x,
                  int                  y,
                  int                  zoom,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  TileRequest *req = g_new (TileRequest, 1);

  *req = (TileRequest) { func, x, y, zoom };
  task = g_task_new (source, cancellable, callback, user_data);
  g_task_set_source_tag (task, ld_tile_task_run);
  /* The worker's own task completes on this thread's main context, where
   * ::received-data must be emitted. */
  worker = g_task_new (source, cancellable, on_tile_made, g_steal_pointer (&task));
  g_task_set_task_data (worker, req, g_free);
  g_task_run_in_thread (worker, make_tile);
}

GBytes *
ld_tile_task_finish (ShumateDataSource  *source,
                     GAsyncResult       *result,
                     GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
