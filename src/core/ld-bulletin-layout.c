/* ld-bulletin-layout.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "ld-bulletin-layout.h"
#include "ld-bulletin-private.h"

#define MM (72.0 / 25.4)
#define MARGIN (25 * MM)
#define BODY_SIZE 12.0
#define TABLE_SIZE 10.0
#define MIN_TABLE_SIZE 6.0
#define CELL_PAD 3.0
#define SERIF "Noto Serif CJK SC"
#define SANS "Noto Sans CJK SC"

/* A part of a block on one page: lines [first, last) of a text block, or
 * body rows [first, last) of a table under its header rows. */
typedef struct {
  guint    block;
  guint    page;
  double   y;
  double   height;
  guint    first, last;
  double   offset;   /* text: the top of line @first in the block's layout */
  gboolean label;    /* a table's caption; for footnotes, the rule and "Notes" above them */
} Piece;

/* A table's columns and rows as set, and the size of its text. */
typedef struct {
  double  size;           /* the font size that lets the table fit the width */
  double *widths;         /* by column */
  double *heights;        /* by row */
  guint  *spans;          /* ld_bulletin_block_header_spans() */
  double  caption_height;
} TableLayout;

static void
table_layout_free (TableLayout *layout)
{
  if (layout == NULL)
    return;
  g_free (layout->widths);
  g_free (layout->heights);
  g_free (layout->spans);
  g_free (layout);
}

struct _LdBulletinLayout
{
  GObject       parent_instance;

  GPtrArray    *blocks;        /* LdBulletinBlock, the bulletin's */
  PangoContext *context;       /* the text is measured and drawn on it */
  double        width, height; /* the page as set, A4 or wider */
  double        scale;         /* from the page as set to the page as drawn */
  guint         n_pages;
  GArray       *pieces;        /* Piece */
  GPtrArray    *tables;        /* TableLayout or NULL, by block */
};

G_DEFINE_FINAL_TYPE (LdBulletinLayout, ld_bulletin_layout, G_TYPE_OBJECT)

static void
ld_bulletin_layout_finalize (GObject *object)
{
  LdBulletinLayout *self = (LdBulletinLayout *) object;

  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  g_clear_object (&self->context);
  g_clear_pointer (&self->pieces, g_array_unref);
  g_clear_pointer (&self->tables, g_ptr_array_unref);

  G_OBJECT_CLASS (ld_bulletin_layout_parent_class)->finalize (object);
}

static void
ld_bulletin_layout_class_init (LdBulletinLayoutClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ld_bulletin_layout_finalize;
}

static void
ld_bulletin_layout_init (LdBulletinLayout *self)
{
  self->pieces = g_array_new (FALSE, TRUE, sizeof (Piece));
  self->tables = g_ptr_array_new_with_free_func ((GDestroyNotify) table_layout_free);
}

/* The width of the text between the margins. */
static double
body_width (LdBulletinLayout *self)
{
  return self->width - 2 * MARGIN;
}

static PangoFontDescription *
font (const char *family, gboolean bold, double size)
{
  PangoFontDescription *desc = pango_font_description_new ();

  pango_font_description_set_family (desc, family);
  pango_font_description_set_weight (desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
  return desc;
}

static void
set_font (PangoLayout *layout, const char *family, gboolean bold, double size)
{
  g_autoptr(PangoFontDescription) desc = font (family, bold, size);
  pango_layout_set_font_description (layout, desc);
}

/* A text block as it is set on the page, @width wide. */
static PangoLayout *
text_layout (PangoContext *context, const LdBulletinBlock *block, double width)
{
  PangoLayout *layout = pango_layout_new (context);

  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  switch (block->kind)
    {
    case LD_BULLETIN_TITLE:
      set_font (layout, SANS, TRUE, 18);
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
      pango_layout_set_line_spacing (layout, 1.3);
      break;
    case LD_BULLETIN_HEADING:
      set_font (layout, SANS, TRUE, 13);
      pango_layout_set_indent (layout, (int) (2 * BODY_SIZE * PANGO_SCALE));
      break;
    case LD_BULLETIN_SUBHEADING:
      set_font (layout, SERIF, TRUE, BODY_SIZE);
      pango_layout_set_indent (layout, (int) (2 * BODY_SIZE * PANGO_SCALE));
      break;
    case LD_BULLETIN_PARAGRAPH:
      set_font (layout, SERIF, FALSE, BODY_SIZE);
      /* Chinese documents open each paragraph two characters in. */
      pango_layout_set_indent (layout, (int) (2 * BODY_SIZE * PANGO_SCALE));
      pango_layout_set_justify (layout, TRUE);
      pango_layout_set_line_spacing (layout, 1.5);
      break;
    case LD_BULLETIN_SIGNATURE:
      set_font (layout, SERIF, FALSE, BODY_SIZE);
      pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
      pango_layout_set_line_spacing (layout, 1.5);
      break;
    case LD_BULLETIN_FOOTNOTE:
      set_font (layout, SERIF, FALSE, 9);
      pango_layout_set_line_spacing (layout, 1.3);
      break;
    case LD_BULLETIN_TABLE:
    default:
      g_assert_not_reached ();
    }
  pango_layout_set_text (layout, block->text, -1);
  return layout;
}

static PangoLayout *
notes_label_layout (PangoContext *context)
{
  PangoLayout *layout = pango_layout_new (context);
  set_font (layout, SANS, TRUE, 9.5);
  pango_layout_set_text (layout, _("Notes"), -1);
  return layout;
}

static gboolean
cell_is_right_aligned (const LdBulletinCell *cell)
{
  return cell->is_number || g_str_equal (cell->text, "—");
}

/* A cell's text, @width wide (0: unwrapped, to measure). */
static PangoLayout *
cell_layout (PangoContext *context, const LdBulletinBlock *block, guint row, guint col, double size,
             double width)
{
  const LdBulletinCell *cell = ld_bulletin_block_cell (block, row, col);
  PangoLayout *layout = pango_layout_new (context);
  gboolean header = row < block->header_rows;

  set_font (layout, header ? SANS : SERIF, header || cell->alert, size);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_alignment (layout, header ? PANGO_ALIGN_CENTER
                                  : cell_is_right_aligned (cell) ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
    }
  pango_layout_set_text (layout, cell->text, -1);
  return layout;
}

static double
layout_width (PangoLayout *layout)
{
  int w, h;
  pango_layout_get_size (layout, &w, &h);
  return (double) w / PANGO_SCALE;
}

static double
layout_height (PangoLayout *layout)
{
  int w, h;
  pango_layout_get_size (layout, &w, &h);
  return (double) h / PANGO_SCALE;
}

/* The widest word of a cell that may not be broken: Latin words, as
 * Chinese text breaks between any two characters. */
static double
longest_word (PangoContext *context, const LdBulletinBlock *block, guint row, guint col)
{
  g_auto(GStrv) words = g_strsplit (ld_bulletin_block_cell (block, row, col)->text, " ", -1);
  double widest = 0;

  for (guint i = 0; words[i]; i++)
    {
      gboolean breakable = FALSE;
      g_autoptr(PangoLayout) layout = NULL;

      for (const char *p = words[i]; *p && !breakable; p = g_utf8_next_char (p))
        breakable = g_unichar_iswide (g_utf8_get_char (p));
      if (breakable || *words[i] == '\0')
        continue;
      layout = cell_layout (context, block, row, col, TABLE_SIZE, 0);
      pango_layout_set_text (layout, words[i], -1);
      widest = MAX (widest, layout_width (layout) * 1.04 + 1);
    }
  return widest;
}

static double
span_width (const TableLayout *tl, guint col, guint cols)
{
  double w = 0;
  for (guint c = col; c < col + cols; c++)
    w += tl->widths[c];
  return w;
}

/* Columns share the width: each gets at least what its numbers need (they
 * never wrap) and a few characters of text, the rest goes by natural
 * width. A table that cannot fit so is set smaller. */
static TableLayout *
table_layout_new (PangoContext *context, const LdBulletinBlock *block, double width)
{
  TableLayout *tl = g_new0 (TableLayout, 1);
  g_autofree double *natural = g_new0 (double, block->n_cols);
  g_autofree double *least = g_new0 (double, block->n_cols);
  double pad = CELL_PAD;
  double sum_natural, sum_least;

  tl->spans = ld_bulletin_block_header_spans (block);
  tl->widths = g_new0 (double, block->n_cols);
  tl->heights = g_new0 (double, block->n_rows);

  /* Measured once at the table size; text widths scale with the font. */
  for (guint r = 0; r < block->n_rows; r++)
    for (guint c = 0; c < block->n_cols; c++)
      {
        const LdBulletinCell *cell = ld_bulletin_block_cell (block, r, c);
        g_autoptr(PangoLayout) layout = NULL;
        double w;

        if (r < block->header_rows && tl->spans[2 * (r * block->n_cols + c) + 1] != 1)
          continue;
        layout = cell_layout (context, block, r, c, TABLE_SIZE, 0);
        /* Glyphs do not scale quite linearly with the size: a little
         * room keeps a number from wrapping its last digit. */
        w = layout_width (layout) * 1.04 + 1;
        natural[c] = MAX (natural[c], w);
        /* Numbers, and short Latin text such as "13 min 22 s", stay on one line. */
        if (cell_is_right_aligned (cell) ||
            (r >= block->header_rows && longest_word (context, block, r, c) > 0 && g_utf8_strlen (cell->text, -1) <= 12))
          least[c] = MAX (least[c], w);
        else
          least[c] = MAX (least[c], MIN (w, MAX ((r < block->header_rows ? 3 : 4) * TABLE_SIZE,
                                                 longest_word (context, block, r, c))));
      }

  for (tl->size = TABLE_SIZE; ; tl->size -= 0.5)
    {
      double k = tl->size / TABLE_SIZE;

      sum_natural = sum_least = 0;
      for (guint c = 0; c < block->n_cols; c++)
        {
          sum_natural += natural[c] * k + 2 * pad;
          sum_least += least[c] * k + 2 * pad;
        }
      if (sum_least <= width || tl->size <= MIN_TABLE_SIZE)
        break;
    }
  for (guint c = 0; c < block->n_cols; c++)
    {
      double k = tl->size / TABLE_SIZE;
      double n = natural[c] * k + 2 * pad, l = least[c] * k + 2 * pad;

      if (sum_natural <= width)
        tl->widths[c] = n * width / sum_natural;
      else if (sum_least <= width)
        tl->widths[c] = l + (n - l) * (width - sum_least) / (sum_natural - sum_least);
      else
        tl->widths[c] = l * width / sum_least;
    }

  for (guint r = 0; r < block->n_rows; r++)
    for (guint c = 0; c < block->n_cols; c++)
      {
        guint rows = 1, cols = 1;
        g_autoptr(PangoLayout) layout = NULL;
        double need, have = 0;

        if (r < block->header_rows)
          {
            rows = tl->spans[2 * (r * block->n_cols + c)];
            cols = tl->spans[2 * (r * block->n_cols + c) + 1];
            if (rows == 0)
              continue;
          }
        layout = cell_layout (context, block, r, c, tl->size, span_width (tl, c, cols) - 2 * pad);
        need = layout_height (layout) + 2 * pad;
        /* A cell over several rows grows the last of them. */
        for (guint k = r; k < r + rows - 1; k++)
          have += tl->heights[k];
        tl->heights[r + rows - 1] = MAX (tl->heights[r + rows - 1], need - have);
      }

  if (block->text)
    {
      g_autoptr(PangoLayout) caption = pango_layout_new (context);
      set_font (caption, SANS, TRUE, BODY_SIZE);
      pango_layout_set_text (caption, block->text, -1);
      tl->caption_height = layout_height (caption) + 6;
    }
  return tl;
}

static double
rows_height (const TableLayout *tl, guint first, guint last)
{
  double h = 0;
  for (guint r = first; r < last; r++)
    h += tl->heights[r];
  return h;
}

typedef struct {
  LdBulletinLayout *layout;
  double            top, bottom;
  double            y;
  guint             page;
} Cursor;

static void
next_page (Cursor *at)
{
  at->page++;
  at->y = at->top;
}

static Piece *
add_piece (Cursor *at, guint block, double height)
{
  Piece piece = { block, at->page, at->y, height, };

  g_array_append_val (at->layout->pieces, piece);
  at->y += height;
  return &g_array_index (at->layout->pieces, Piece, at->layout->pieces->len - 1);
}

/* Lines of a text block go on while they fit, the rest on the next page. */
static void
place_text (Cursor *at, guint index, PangoLayout *layout, double keep_with_next)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  g_autoptr(GArray) tops = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bottoms = g_array_new (FALSE, FALSE, sizeof (double));
  double total;
  guint first = 0;

  do
    {
      int y0, y1;
      double top, bottom;

      pango_layout_iter_get_line_yrange (iter, &y0, &y1);
      top = (double) y0 / PANGO_SCALE;
      bottom = (double) y1 / PANGO_SCALE;
      g_array_append_val (tops, top);
      g_array_append_val (bottoms, bottom);
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);

  /* A short block goes whole to the next page with what it keeps with;
   * a long one is split where the page ends. */
  total = g_array_index (bottoms, double, bottoms->len - 1);
  if (keep_with_next > 0 && at->y + total + keep_with_next > at->bottom &&
      total + keep_with_next < (at->bottom - at->top) / 3 && at->y > at->top)
    next_page (at);
  while (first < tops->len)
    {
      double offset = g_array_index (tops, double, first);
      guint last = first;
      Piece *piece;

      while (last < tops->len && at->y + g_array_index (bottoms, double, last) - offset <= at->bottom)
        last++;
      if (last == first)
        {
          if (at->y > at->top)
            {
              next_page (at);
              continue;
            }
          last = first + 1;   /* a line taller than a page: it is cut */
        }
      piece = add_piece (at, index, g_array_index (bottoms, double, last - 1) - offset);
      piece->first = first;
      piece->last = last;
      piece->offset = offset;
      first = last;
      if (first < tops->len)
        next_page (at);
    }
}

static void
place_table (Cursor *at, guint index, const LdBulletinBlock *block, const TableLayout *tl)
{
  double header = rows_height (tl, 0, block->header_rows);
  guint first = block->header_rows;
  gboolean caption = block->text != NULL;

  do
    {
      double head = header + (caption ? tl->caption_height : 0);
      guint last = first;
      Piece *piece;

      /* A table starts where its header and a few rows fit: a header
       * with one row under it at a page's foot reads as a mistake. */
      if (at->y + head + rows_height (tl, first, MIN (first + 3, block->n_rows)) > at->bottom && at->y > at->top)
        next_page (at);
      while (last < block->n_rows && at->y + head + rows_height (tl, first, last + 1) <= at->bottom)
        last++;
      if (last == first && first < block->n_rows)
        last = first + 1;
      piece = add_piece (at, index, head + rows_height (tl, first, last));
      piece->first = first;
      piece->last = last;
      piece->label = caption;
      first = last;
      caption = FALSE;
      if (first < block->n_rows)
        next_page (at);
    }
  while (first < block->n_rows);
}

static double keep_after (LdBulletinLayout *self, guint index, double page);

/* The least of block @index that must go on a page for it to start there:
 * a short block whole, with what it keeps with; a long one two lines; a
 * table its header and a few rows. */
static double
start_height (LdBulletinLayout *self, guint index, double page)
{
  LdBulletinBlock *block = g_ptr_array_index (self->blocks, index);
  g_autoptr(PangoLayout) layout = NULL;
  double total, keep;

  if (block->kind == LD_BULLETIN_TABLE)
    {
      const TableLayout *tl = g_ptr_array_index (self->tables, index);
      return (block->text ? tl->caption_height : 0) + rows_height (tl, 0, MIN (block->header_rows + 3, block->n_rows));
    }
  if (block->kind == LD_BULLETIN_SIGNATURE || block->kind == LD_BULLETIN_FOOTNOTE)
    return 0;
  layout = text_layout (self->context, block, body_width (self));
  total = layout_height (layout);
  keep = keep_after (self, index, page);
  return total + keep < page / 3 ? total + keep : MIN (total, 3 * BODY_SIZE);
}

/* What must follow block @index on its page: a heading is not left alone
 * at the foot of a page, nor the sentence that introduces a table. */
static double
keep_after (LdBulletinLayout *self, guint index, double page)
{
  LdBulletinBlock *block = g_ptr_array_index (self->blocks, index);
  LdBulletinBlock *next = index + 1 < self->blocks->len ? g_ptr_array_index (self->blocks, index + 1) : NULL;

  if (next == NULL)
    return 0;
  if (block->kind == LD_BULLETIN_HEADING || block->kind == LD_BULLETIN_SUBHEADING)
    return 4 + start_height (self, index + 1, page);
  if (block->kind == LD_BULLETIN_PARAGRAPH && next->kind == LD_BULLETIN_TABLE && next->text == NULL)
    return 2 + start_height (self, index + 1, page);
  return 0;
}

/* Where each block goes, page after page. */
static void
paginate (LdBulletinLayout *self)
{
  double width = body_width (self);
  Cursor at = { self, MARGIN, self->height - MARGIN, MARGIN, 0 };

  g_ptr_array_set_size (self->tables, self->blocks->len);
  for (guint i = 0; i < self->blocks->len; i++)
    {
      LdBulletinBlock *block = g_ptr_array_index (self->blocks, i);
      if (block->kind == LD_BULLETIN_TABLE)
        g_ptr_array_index (self->tables, i) = table_layout_new (self->context, block, width);
    }

  for (guint i = 0; i < self->blocks->len; i++)
    {
      LdBulletinBlock *block = g_ptr_array_index (self->blocks, i);
      LdBulletinBlock *prev = i > 0 ? g_ptr_array_index (self->blocks, i - 1) : NULL;
      g_autoptr(PangoLayout) layout = NULL;

      switch (block->kind)
        {
        case LD_BULLETIN_TABLE:
          at.y += block->text ? 12 : 2;
          place_table (&at, i, block, g_ptr_array_index (self->tables, i));
          at.y += 8;
          break;

        case LD_BULLETIN_SIGNATURE:
          {
            guint n = 0;
            double total = 0;

            /* The center's name, the date and the period stay together. */
            for (guint j = i; j < self->blocks->len; j++, n++)
              {
                LdBulletinBlock *b = g_ptr_array_index (self->blocks, j);
                g_autoptr(PangoLayout) l = NULL;
                if (b->kind != LD_BULLETIN_SIGNATURE)
                  break;
                l = text_layout (self->context, b, width);
                total += layout_height (l);
              }
            at.y += 24;
            if (at.y + total > at.bottom)
              next_page (&at);
            for (guint j = i; j < i + n; j++)
              {
                g_autoptr(PangoLayout) l = text_layout (self->context, g_ptr_array_index (self->blocks, j), width);
                place_text (&at, j, l, 0);
              }
            i += n - 1;
          }
          break;

        case LD_BULLETIN_FOOTNOTE:
          layout = text_layout (self->context, block, width);
          if (prev == NULL || prev->kind != LD_BULLETIN_FOOTNOTE)
            {
              g_autoptr(PangoLayout) label = notes_label_layout (self->context);
              double h = layout_height (label) + 10;

              at.y += 16;
              if (at.y + h + layout_height (layout) > at.bottom)
                next_page (&at);
              add_piece (&at, i, h)->label = TRUE;
            }
          place_text (&at, i, layout, 0);
          at.y += 2;
          break;

        case LD_BULLETIN_TITLE:
        case LD_BULLETIN_HEADING:
        case LD_BULLETIN_SUBHEADING:
        case LD_BULLETIN_PARAGRAPH:
          layout = text_layout (self->context, block, width);
          if (block->kind == LD_BULLETIN_HEADING)
            at.y += 10;
          else if (block->kind == LD_BULLETIN_SUBHEADING)
            at.y += 4;
          place_text (&at, i, layout, keep_after (self, i, at.bottom - at.top));
          at.y += block->kind == LD_BULLETIN_TITLE ? 18 : 3;
          break;

        default:
          g_assert_not_reached ();
        }
    }
  self->n_pages = at.page + 1;
}

/* The text measured as the PDF sets it: unhinted, in points. */
static PangoContext *
print_context (void)
{
  PangoContext *context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  cairo_font_options_t *options = cairo_font_options_create ();

  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  return context;
}

LdBulletinLayout *
ld_bulletin_layout_new (LdBulletin *bulletin, cairo_t *cr, double width, double height)
{
  LdBulletinLayout *self;

  g_return_val_if_fail (LD_IS_BULLETIN (bulletin), NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);

  self = g_object_new (LD_TYPE_BULLETIN_LAYOUT, NULL);
  self->blocks = g_ptr_array_ref (ld_bulletin_get_blocks (bulletin));
  self->context = cr ? pango_cairo_create_context (cr) : print_context ();
  self->scale = MIN (1, width / LD_BULLETIN_A4_WIDTH);
  self->width = width / self->scale;
  self->height = height / self->scale;
  paginate (self);
  return self;
}

guint
ld_bulletin_layout_get_n_pages (LdBulletinLayout *self)
{
  g_return_val_if_fail (LD_IS_BULLETIN_LAYOUT (self), 0);
  return self->n_pages;
}

static void
set_ink (cairo_t *cr, gboolean alert)
{
  if (alert)
    cairo_set_source_rgb (cr, 0.8, 0.0, 0.0);
  else
    cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
}

static void
draw_cell (cairo_t *cr, PangoContext *context, const LdBulletinBlock *block, const TableLayout *tl,
           guint row, guint col, double x, double y, double w, double h)
{
  double pad = CELL_PAD;
  g_autoptr(PangoLayout) layout = cell_layout (context, block, row, col, tl->size, w - 2 * pad);

  if (row < block->header_rows)
    {
      cairo_rectangle (cr, x, y, w, h);
      cairo_set_source_rgb (cr, 0.88, 0.88, 0.88);
      cairo_fill (cr);
    }
  cairo_rectangle (cr, x, y, w, h);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, 0.5);
  cairo_stroke (cr);
  set_ink (cr, ld_bulletin_block_cell (block, row, col)->alert);
  cairo_move_to (cr, x + pad, y + (h - layout_height (layout)) / 2);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_table_piece (LdBulletinLayout *self, cairo_t *cr, const Piece *piece)
{
  PangoContext *context = self->context;
  const LdBulletinBlock *block = g_ptr_array_index (self->blocks, piece->block);
  const TableLayout *tl = g_ptr_array_index (self->tables, piece->block);
  double left = MARGIN;
  double y = piece->y;
  double top;

  if (piece->label)
    {
      g_autoptr(PangoLayout) caption = pango_layout_new (context);
      set_font (caption, SANS, TRUE, BODY_SIZE);
      pango_layout_set_text (caption, block->text, -1);
      set_ink (cr, FALSE);
      cairo_move_to (cr, left, y);
      pango_cairo_show_layout (cr, caption);
      y += tl->caption_height;
    }
  top = y;
  for (guint r = 0; r < block->header_rows; r++)
    {
      double x = left;
      for (guint c = 0; c < block->n_cols; c++)
        {
          guint rows = tl->spans[2 * (r * block->n_cols + c)];
          guint cols = tl->spans[2 * (r * block->n_cols + c) + 1];

          if (rows > 0)
            draw_cell (cr, context, block, tl, r, c, x, y, span_width (tl, c, cols),
                       rows_height (tl, r, r + rows));
          x += tl->widths[c];
        }
      y += tl->heights[r];
    }
  for (guint r = piece->first; r < piece->last; r++)
    {
      double x = left;
      for (guint c = 0; c < block->n_cols; c++)
        {
          guint end = r + 1;

          /* Rows that leave the first column empty belong to the label
           * above them, as the diversion table's YoY and MoM rows do. */
          if (c == 0 && r > piece->first && *ld_bulletin_block_cell (block, r, 0)->text == '\0')
            {
              x += tl->widths[c];
              continue;
            }
          while (c == 0 && end < piece->last && *ld_bulletin_block_cell (block, end, 0)->text == '\0')
            end++;
          draw_cell (cr, context, block, tl, r, c, x, y, tl->widths[c], rows_height (tl, r, end));
          x += tl->widths[c];
        }
      y += tl->heights[r];
    }
  /* A firmer frame round the whole, as printed tables have. */
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, left, top, span_width (tl, 0, block->n_cols), y - top);
  cairo_stroke (cr);
}

void
ld_bulletin_layout_draw_page (LdBulletinLayout *self, cairo_t *cr, guint page)
{
  g_autoptr(PangoLayout) number = NULL;
  g_autofree char *number_text = NULL;
  double width;

  g_return_if_fail (LD_IS_BULLETIN_LAYOUT (self));
  g_return_if_fail (page < self->n_pages);

  width = body_width (self);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, self->scale, self->scale);
  for (guint i = 0; i < self->pieces->len; i++)
    {
      const Piece *piece = &g_array_index (self->pieces, Piece, i);
      const LdBulletinBlock *block = g_ptr_array_index (self->blocks, piece->block);

      if (piece->page != page)
        continue;
      if (block->kind == LD_BULLETIN_TABLE)
        draw_table_piece (self, cr, piece);
      else if (piece->label)
        {
          g_autoptr(PangoLayout) label = notes_label_layout (self->context);
          set_ink (cr, FALSE);
          cairo_set_line_width (cr, 0.5);
          cairo_move_to (cr, MARGIN, piece->y + 2);
          cairo_line_to (cr, MARGIN + width / 3, piece->y + 2);
          cairo_stroke (cr);
          cairo_move_to (cr, MARGIN, piece->y + 6);
          pango_cairo_show_layout (cr, label);
        }
      else
        {
          /* Set on the context it was measured on, the block breaks its
           * lines where the pieces do, whatever @cr's font options. */
          g_autoptr(PangoLayout) layout = text_layout (self->context, block, width);

          /* The piece shows its lines of the block and no others. */
          cairo_save (cr);
          cairo_rectangle (cr, MARGIN, piece->y, width, piece->height);
          cairo_clip (cr);
          set_ink (cr, FALSE);
          cairo_move_to (cr, MARGIN, piece->y - piece->offset);
          pango_cairo_show_layout (cr, layout);
          cairo_restore (cr);
        }
    }

  number = pango_layout_new (self->context);
  set_font (number, SERIF, FALSE, 11);
  pango_layout_set_width (number, (int) (width * PANGO_SCALE));
  pango_layout_set_alignment (number, PANGO_ALIGN_CENTER);
  /* Chinese official documents number their pages "— 1 —". */
  number_text = g_strdup_printf ("— %u —", page + 1);
  pango_layout_set_text (number, number_text, -1);
  set_ink (cr, FALSE);
  cairo_move_to (cr, MARGIN, self->height - MARGIN / 2 - layout_height (number) / 2);
  pango_cairo_show_layout (cr, number);
  cairo_restore (cr);
}

