/* ld-drill-photos.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-drill-query.h"

G_BEGIN_DECLS

#define LD_TYPE_DRILL_PHOTOS (ld_drill_photos_get_type ())

G_DECLARE_FINAL_TYPE (LdDrillPhotos, ld_drill_photos, LD, DRILL_PHOTOS, GtkWidget)

/* A drill's photos as thumbnails, each opened large on a click, and (for
 * an inspector or an admin) a button to add one: its file chooser asks
 * what the photo shows, the whole drill or one unit, and emits "add"
 * (the path, the unit's code or "") for the page to log. */
/* @query is kept by a ref. */
void      ld_drill_photos_set_query (LdDrillPhotos *self,
                                     LdDrillQuery  *query);
/* Shows @drill_id's photos, captioned with @unit_names (code to name);
 * the thumbnails shown stay when the photos did not change. @drill_id is
 * copied; @unit_names is (transfer none), read now and not kept. */
gboolean  ld_drill_photos_show      (LdDrillPhotos *self,
                                     const char    *drill_id,
                                     GHashTable    *unit_names,
                                     GError       **error);

G_END_DECLS
