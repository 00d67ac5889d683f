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
 * any edit of the chosen name unchooses it. @categories (element-type
 * LdCategory) is shared, not copied: the picker keeps a reference, so the
 * caller must not change the array after. */
void              ld_category_picker_set_categories (LdCategoryPicker *self,
                                                     GPtrArray        *categories);
/* The choice, or NULL. (transfer none) (nullable): an element of the
 * categories set, valid until the choice changes or they are replaced. */
const LdCategory *ld_category_picker_get_category   (LdCategoryPicker *self);
/* How a category's orders go, as the picker says it: "Joint", "Divert to
 * a platform: 114 car moving". (transfer full): the caller g_free()s it. */
char             *ld_category_mode_text             (const LdCategory *category);

G_END_DECLS
