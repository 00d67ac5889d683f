/* ld-csv.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LD_CSV_ERROR (ld_csv_error_quark ())

typedef enum {
  LD_CSV_ERROR_IO,
  LD_CSV_ERROR_ENCODING,        /* neither UTF-8 nor GB18030 */
  LD_CSV_ERROR_SYNTAX,          /* unterminated quote, stray quote */
  LD_CSV_ERROR_MISSING_COLUMN,  /* a required header is absent */
  LD_CSV_ERROR_EMPTY,           /* no header row */
  LD_CSV_ERROR_TOO_LONG,        /* a field or a record beyond the bounds below */
} LdCsvError;

/* No cell of the interchange files comes near 64 KiB (a summary is at most
 * 20,000 bytes), nor a record near 1 MiB: beyond, a file is broken or
 * hostile, and its record is skipped without being held in memory. */
#define LD_CSV_MAX_FIELD_BYTES (64 * 1024)
#define LD_CSV_MAX_RECORD_BYTES (1024 * 1024)

GQuark       ld_csv_error_quark            (void);

/* A whole-file CSV reader for the interchange contract: RFC 4180 quoting,
 * one header row, columns found by name, UTF-8 with or without BOM, or
 * GB18030. Error messages start with "FILE:LINE: ". */
typedef struct _LdCsvReader LdCsvReader;

LdCsvReader *ld_csv_reader_new_for_path    (const char   *path,
                                            GError      **error);
/* The reader copies @name and @data: they need not outlive it. */
LdCsvReader *ld_csv_reader_new_for_data    (const char   *name,
                                            const char   *data,
                                            gsize         length,
                                            GError      **error);
void         ld_csv_reader_free            (LdCsvReader  *self);
/* (transfer none): the reader's, for its lifetime. */
const char  *ld_csv_reader_get_name        (LdCsvReader  *self);
gboolean     ld_csv_reader_was_gb18030     (LdCsvReader  *self);
guint        ld_csv_reader_get_n_columns   (LdCsvReader  *self);
int          ld_csv_reader_column          (LdCsvReader  *self,
                                            const char   *name);
gboolean     ld_csv_reader_require_columns (LdCsvReader  *self,
                                            const char * const *names,
                                            GError      **error);
/* FALSE at the end, or with @error: after a syntax error nothing more is
 * read, while a record too long (LD_CSV_ERROR_TOO_LONG) is skipped and the
 * reading may go on. */
gboolean     ld_csv_reader_next            (LdCsvReader  *self,
                                            GError      **error);
guint        ld_csv_reader_get_line        (LdCsvReader  *self);
guint        ld_csv_reader_get_n_fields    (LdCsvReader  *self);
/* The field of the current record, NULL when it is empty or absent.
 * (transfer none) (nullable): valid until the next ld_csv_reader_next(). */
const char  *ld_csv_reader_get             (LdCsvReader  *self,
                                            int           column);

void         ld_csv_append_field           (GString      *line,
                                            const char   *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdCsvReader, ld_csv_reader_free)

G_END_DECLS
