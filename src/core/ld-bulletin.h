/* ld-bulletin.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>

#include "ld-report.h"

G_BEGIN_DECLS

/* The monthly bulletin (通报) as a document: the report's figures written
 * out in the structure of seed 000, as a list of blocks that the text, CSV,
 * XLSX and PDF writers and the desktop's preview all read. */

typedef enum {
  LD_BULLETIN_TITLE,
  LD_BULLETIN_HEADING,      /* 一、运行情况 */
  LD_BULLETIN_SUBHEADING,   /* (一)全市联动类报警量 */
  LD_BULLETIN_PARAGRAPH,
  LD_BULLETIN_TABLE,
  LD_BULLETIN_SIGNATURE,    /* center name, date, period line: right-aligned */
  LD_BULLETIN_FOOTNOTE,     /* the metric definitions */
} LdBulletinBlockKind;

typedef struct {
  char     *text;        /* as printed: "29085", "14.06%", "—", "市本级" */
  gboolean  is_number;   /* a count or a rate; value holds it (rates as fractions, 0.1406) */
  gboolean  is_rate;
  double    value;
  gboolean  alert;       /* misses its target: printed bold red */
} LdBulletinCell;

typedef struct {
  LdBulletinBlockKind kind;
  char           *text;          /* not for tables; for tables their caption (e.g. "附件 …") or NULL */
  char           *sheet_name;    /* tables: the XLSX sheet name, short, unique */
  guint           n_rows, n_cols, header_rows;
  LdBulletinCell *cells;         /* n_rows * n_cols, row-major */
} LdBulletinBlock;

#define LD_TYPE_BULLETIN (ld_bulletin_get_type ())

G_DECLARE_FINAL_TYPE (LdBulletin, ld_bulletin, LD, BULLETIN, GObject)

/* (transfer full): keeps a ref on @report; @store is only read here, not
 * kept. */
LdBulletin  *ld_bulletin_new           (LdReport    *report,
                                        LdStore     *store,
                                        GError     **error);
/* (transfer none): the bulletin's, alive as long as it is. */
LdReport    *ld_bulletin_get_report    (LdBulletin  *self);
/* (transfer none) (element-type LdBulletinBlock): the array is the
 * bulletin's and is refilled in place on "changed", so a block is valid
 * only until then. */
GPtrArray   *ld_bulletin_get_blocks    (LdBulletin  *self);
/* 三、成功案例 and 四、存在问题: proposed from the data, editable before
 * issuing. Setting them rebuilds the blocks and emits "changed".
 * The dup_ getters are (transfer full): the caller g_strfreev()s them;
 * the setters copy. */
GStrv        ld_bulletin_dup_cases     (LdBulletin  *self);
void         ld_bulletin_set_cases     (LdBulletin  *self,
                                        const char * const *cases);
GStrv        ld_bulletin_dup_problems  (LdBulletin  *self);
void         ld_bulletin_set_problems  (LdBulletin  *self,
                                        const char * const *problems);
/* (transfer full): the caller g_free()s the text. */
char        *ld_bulletin_to_text       (LdBulletin  *self);
char        *ld_bulletin_to_csv        (LdBulletin  *self);   /* every table, one after another, UTF-8 with BOM */
gboolean     ld_bulletin_write_xlsx    (LdBulletin  *self,
                                        const char  *path,
                                        GError     **error);
gboolean     ld_bulletin_write_pdf     (LdBulletin  *self,
                                        const char  *path,
                                        GError     **error);
/* Print and preview draw the same pages as the PDF, set by one layout
 * (ld-bulletin-layout.h): paginate for a page of @width × @height (cairo
 * units, points for A4 = 595.28 × 841.89), then draw each page. Returns
 * the number of pages. @cr is the printer's, whose font options measure
 * the text; a preview passes NULL and gets the PDF's measure and so its
 * pages. A page narrower than A4 is set as A4 and drawn scaled to its
 * width, so it breaks where A4 does. After "changed", paginate again
 * before drawing. */
guint        ld_bulletin_paginate      (LdBulletin  *self,
                                        cairo_t     *cr,
                                        double       width,
                                        double       height);
void         ld_bulletin_draw_page     (LdBulletin  *self,
                                        cairo_t     *cr,
                                        guint        page);

/* The month's report as `liandong-server report --format` gives it: "json"
 * (the report's figures), or the bulletin as "text", "csv", "xlsx" or
 * "pdf". NULL with LD_STORE_ERROR_INVALID for any other format.
 * (transfer full): the caller g_bytes_unref()s it. */
GBytes      *ld_bulletin_render        (LdReport    *report,
                                        LdStore     *store,
                                        const char  *format,
                                        GError     **error);

G_END_DECLS
