/* ld-tile-task.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

/* Makes the encoded image of tile (@x, @y, @zoom) of @source. Runs in a
 * worker thread: it may read only what does not change under it.
 * (transfer full): the task takes the bytes. */
typedef GBytes *(*LdTileFunc) (ShumateDataSource  *source,
                               int                 x,
                               int                 y,
                               int                 zoom,
                               GCancellable       *cancellable,
                               GError            **error);

/* The get_tile_data_async and _finish of a data source whose tiles come
 * from @func. libshumate 1.0's raster renderer shows a tile only when its
 * data source emits ::received-data, so that is emitted, on the caller's
 * main context, before @callback runs. */
void    ld_tile_task_run    (ShumateDataSource   *source,
                             LdTileFunc           func,
                             int                  x,
                             int                  y,
                             int                  zoom,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data);
/* (transfer full): the caller unrefs the bytes. */
GBytes *ld_tile_task_finish (ShumateDataSource   *source,
                             GAsyncResult        *result,
                             GError             **error);

G_END_DECLS
