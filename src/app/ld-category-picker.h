/* ld-category-picker.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ld-store.h"

G_BEGIN_DECLS

#define LD_TYPE_CATEGORY_PICKER (ld_category_picker_get_type ())

G_DECLARE_FINAL_TYPE (LdCategoryPicker, ld_category_picker, LD, CATEGORY_PICKER, GtkWidget)

/* A category of the responsibility list found by typing any part of its
 * name or code: a list has a hundred and more, too many to scroll. The
 * matches show under the entry with their dispatch mode; a click or
 * Enter takes one. "category-code" is notified when the choice changes;
 * any edit of the chosen name unchooses it. */
void              ld_category_picker_set_categories (LdCategoryPicker *self,
                                                     GPtrArray        *categories);
const LdCategory *ld_category_picker_get_category   (LdCategoryPicker *self);
/* How a category's orders go, as the picker says it: "Joint", "Divert to
 * a platform: 114 car moving". */
char             *ld_category_mode_text             (const LdCategory *category);

G_END_DECLS
