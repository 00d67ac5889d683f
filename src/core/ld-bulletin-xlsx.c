/* ld-bulletin-xlsx.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "ld-bulletin-private.h"
#include "ld-xlsx.h"

/* The bulletin as a workbook: the narrative on one sheet, each table on a
 * sheet of its own, with numbers a spreadsheet can compute with. */

/* Columns as wide as their widest text, a CJK character counting two. */
static double
text_width (const char *text)
{
  double width = 0;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return width;
}

typedef struct {
  lxw_format *title, *heading, *paragraph, *signature, *footnote;
  lxw_format *header, *text, *number, *rate, *alert, *alert_rate;
} Formats;

static lxw_format *
cell_format (const Formats *f, const LdBulletinCell *cell)
{
  if (cell->alert)
    return cell->is_rate ? f->alert_rate : f->alert;
  if (cell->is_rate)
    return f->rate;
  return cell->is_number ? f->number : f->text;
}

static lxw_error
write_table_sheet (lxw_worksheet *ws, const LdBulletinBlock *block, const Formats *f)
{
  g_autofree guint *spans = ld_bulletin_block_header_spans (block);
  g_autofree double *widths = g_new0 (double, block->n_cols);
  lxw_row_t top = 0;
  lxw_error err = LXW_NO_ERROR;

  if (block->text)
    {
      err = block->n_cols > 1 ? worksheet_merge_range (ws, 0, 0, 0, block->n_cols - 1, block->text, f->heading)
                              : worksheet_write_string (ws, 0, 0, block->text, f->heading);
      top = 1;
    }
  for (guint r = 0; r < block->n_rows && err == LXW_NO_ERROR; r++)
    for (guint c = 0; c < block->n_cols && err == LXW_NO_ERROR; c++)
      {
        const LdBulletinCell *cell = ld_bulletin_block_cell (block, r, c);

        if (r < block->header_rows)
          {
            guint *span = &spans[2 * (r * block->n_cols + c)];

            if (span[0] == 0)
              continue;
            /* Headers as long as 联动单位直接参与处置量 wrap rather than widen. */
            if (span[1] == 1)
              widths[c] = MAX (widths[c], MIN (text_width (cell->text), 12));
            if (span[0] > 1 || span[1] > 1)
              err = worksheet_merge_range (ws, top + r, c, top + r + span[0] - 1, c + span[1] - 1,
                                           cell->text, f->header);
            else
              err = worksheet_write_string (ws, top + r, c, cell->text, f->header);
            continue;
          }
        widths[c] = MAX (widths[c], text_width (cell->text));
        if (cell->is_number)
          err = worksheet_write_number (ws, top + r, c, cell->value, cell_format (f, cell));
        else
          err = worksheet_write_string (ws, top + r, c, cell->text, cell_format (f, cell));
      }
  for (guint c = 0; c < block->n_cols && err == LXW_NO_ERROR; c++)
    err = worksheet_set_column (ws, c, c, MIN (widths[c] + 2, 40), NULL);
  if (err == LXW_NO_ERROR && block->header_rows > 0)
    worksheet_freeze_panes (ws, top + block->header_rows, 1);
  return err;
}

/* The narrative, one block a row, in a column as wide as a page. */
#define NARRATIVE_WIDTH 100

static lxw_error
write_narrative_sheet (lxw_worksheet *ws, GPtrArray *blocks, const Formats *f)
{
  lxw_row_t row = 0;
  lxw_error err = worksheet_set_column (ws, 0, 0, NARRATIVE_WIDTH, f->paragraph);

  for (guint i = 0; i < blocks->len && err == LXW_NO_ERROR; i++)
    {
      LdBulletinBlock *block = g_ptr_array_index (blocks, i);
      g_autofree char *see = NULL;
      const char *text = block->text;
      lxw_format *format = f->paragraph;
      double lines;

      switch (block->kind)
        {
        case LD_BULLETIN_TITLE: format = f->title; break;
        case LD_BULLETIN_HEADING:
        case LD_BULLETIN_SUBHEADING: format = f->heading; break;
        case LD_BULLETIN_SIGNATURE: format = f->signature; break;
        case LD_BULLETIN_FOOTNOTE: format = f->footnote; break;
        case LD_BULLETIN_PARAGRAPH: break;
        case LD_BULLETIN_TABLE:
          text = see = g_strdup_printf (_("(Table: see the sheet “%s”.)"), block->sheet_name);
          break;
        default:
          g_assert_not_reached ();
        }
      /* Row heights are set, as spreadsheets do not grow a row to its
       * wrapped text on opening. */
      lines = ceil (text_width (text) / (NARRATIVE_WIDTH - 4));
      err = worksheet_set_row (ws, row, MAX (lines, 1) * 16 + 4, NULL);
      if (err == LXW_NO_ERROR)
        err = worksheet_write_string (ws, row++, 0, text, format);
    }
  return err;
}

static lxw_format *
new_format (lxw_workbook *book, gboolean bordered)
{
  lxw_format *format = workbook_add_format (book);

  format_set_font_name (format, "宋体");
  format_set_font_size (format, 11);
  if (bordered)
    {
      format_set_border (format, LXW_BORDER_THIN);
      format_set_align (format, LXW_ALIGN_VERTICAL_CENTER);
    }
  return format;
}

gboolean
ld_bulletin_write_xlsx (LdBulletin *self, const char *path, GError **error)
{
  lxw_workbook *book;
  Formats f;
  lxw_error err = LXW_NO_ERROR;
  GPtrArray *blocks;

  g_return_val_if_fail (LD_IS_BULLETIN (self), FALSE);

  blocks = ld_bulletin_get_blocks (self);
  book = workbook_new (path);
  if (book == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, _("Cannot create %s: %s"), path,
                   lxw_strerror (LXW_ERROR_MEMORY_MALLOC_FAILED));
      return FALSE;
    }
  f.title = new_format (book, FALSE);
  format_set_bold (f.title);
  format_set_font_size (f.title, 16);
  format_set_align (f.title, LXW_ALIGN_CENTER);
  f.heading = new_format (book, FALSE);
  format_set_bold (f.heading);
  f.paragraph = new_format (book, FALSE);
  format_set_text_wrap (f.paragraph);
  format_set_align (f.paragraph, LXW_ALIGN_VERTICAL_TOP);
  f.signature = new_format (book, FALSE);
  format_set_align (f.signature, LXW_ALIGN_RIGHT);
  f.footnote = new_format (book, FALSE);
  format_set_font_size (f.footnote, 9);
  format_set_text_wrap (f.footnote);
  f.header = new_format (book, TRUE);
  format_set_bold (f.header);
  format_set_text_wrap (f.header);
  format_set_align (f.header, LXW_ALIGN_CENTER);
  format_set_bg_color (f.header, 0xE7E6E6);
  f.text = new_format (book, TRUE);
  f.number = new_format (book, TRUE);
  f.rate = new_format (book, TRUE);
  format_set_num_format (f.rate, "0.00%");
  f.alert = new_format (book, TRUE);
  format_set_bold (f.alert);
  format_set_font_color (f.alert, LXW_COLOR_RED);
  f.alert_rate = new_format (book, TRUE);
  format_set_bold (f.alert_rate);
  format_set_font_color (f.alert_rate, LXW_COLOR_RED);
  format_set_num_format (f.alert_rate, "0.00%");

  err = write_narrative_sheet (workbook_add_worksheet (book, _("Bulletin")), blocks, &f);
  for (guint i = 0; i < blocks->len && err == LXW_NO_ERROR; i++)
    {
      LdBulletinBlock *block = g_ptr_array_index (blocks, i);
      lxw_worksheet *ws;

      if (block->kind != LD_BULLETIN_TABLE)
        continue;
      ws = workbook_add_worksheet (book, block->sheet_name);
      err = ws ? write_table_sheet (ws, block, &f) : LXW_ERROR_SHEETNAME_ALREADY_USED;
    }

  return ld_xlsx_close (book, err, path, error);
}

