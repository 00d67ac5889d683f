/* ld-bulletin-text.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ld-bulletin-private.h"
#include "ld-csv.h"

/* The bulletin as plain text and as CSV. */

char *
ld_bulletin_to_text (LdBulletin *self)
{
  GString *out = g_string_new (NULL);
  LdBulletinBlockKind previous = LD_BULLETIN_TITLE;
  GPtrArray *blocks;

  g_return_val_if_fail (LD_IS_BULLETIN (self), NULL);

  blocks = ld_bulletin_get_blocks (self);

  for (guint i = 0; i < blocks->len; i++)
    {
      LdBulletinBlock *block = g_ptr_array_index (blocks, i);

      if (i > 0 && block->kind != previous &&
          (block->kind == LD_BULLETIN_HEADING || block->kind == LD_BULLETIN_SIGNATURE ||
           block->kind == LD_BULLETIN_FOOTNOTE || previous == LD_BULLETIN_TITLE ||
           (block->kind == LD_BULLETIN_TABLE && block->text)))
        g_string_append_c (out, '\n');
      if (block->kind == LD_BULLETIN_FOOTNOTE && previous != LD_BULLETIN_FOOTNOTE)
        g_string_append_printf (out, "%s\n", _("Notes"));
      if (block->kind != LD_BULLETIN_TABLE)
        g_string_append_printf (out, "%s\n", block->text);
      else
        {
          if (block->text)
            g_string_append_printf (out, "%s\n", block->text);
          for (guint r = 0; r < block->n_rows; r++)
            {
              for (guint c = 0; c < block->n_cols; c++)
                g_string_append_printf (out, "%s | ", ld_bulletin_block_cell (block, r, c)->text);
              g_string_truncate (out, out->len - 1);
              g_string_append_c (out, '\n');
            }
        }
      previous = block->kind;
    }
  return g_string_free (out, FALSE);
}

char *
ld_bulletin_to_csv (LdBulletin *self)
{
  GString *out = g_string_new ("\xEF\xBB\xBF");
  gboolean first = TRUE;
  GPtrArray *blocks;

  g_return_val_if_fail (LD_IS_BULLETIN (self), NULL);

  blocks = ld_bulletin_get_blocks (self);

  for (guint i = 0; i < blocks->len; i++)
    {
      LdBulletinBlock *block = g_ptr_array_index (blocks, i);

      if (block->kind != LD_BULLETIN_TABLE)
        continue;
      if (!first)
        g_string_append (out, "\r\n");
      first = FALSE;
      ld_csv_append_field (out, block->text ? block->text : block->sheet_name);
      g_string_append (out, "\r\n");
      for (guint r = 0; r < block->n_rows; r++)
        {
          for (guint c = 0; c < block->n_cols; c++)
            {
              const LdBulletinCell *cell = ld_bulletin_block_cell (block, r, c);
              char buf[G_ASCII_DTOSTR_BUF_SIZE];

              if (c > 0)
                g_string_append_c (out, ',');
              /* Rates as fractions, the way the JSON gives them, so a
               * spreadsheet can compute with them. */
              if (cell->is_rate)
                g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.4f", cell->value));
              else
                ld_csv_append_field (out, cell->text);
            }
          g_string_append (out, "\r\n");
        }
    }
  return g_string_free (out, FALSE);
}

