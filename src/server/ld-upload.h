/* ld-upload.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define LD_UPLOAD_ERROR (ld_upload_error_quark ())

typedef enum {
  LD_UPLOAD_ERROR_NOT_MULTIPART,  /* not a multipart body, or no boundary in it */
  LD_UPLOAD_ERROR_UNKNOWN_FILE,   /* a part names none of the interchange files */
  LD_UPLOAD_ERROR_DUPLICATE,      /* two parts name the same file */
} LdUploadError;

GQuark   ld_upload_error_quark (void);

/* Writes the parts of a multipart/form-data import body into @dir, each
 * under its file name; refuses a part whose name is not one of the
 * interchange files. A part is named by the "filename" of its
 * Content-Disposition, else by its "name"; a part without one is skipped.
 * @body is read within its size (a mapped file will do). A refused body
 * writes nothing; other errors (of the disk) are in G_FILE_ERROR and may
 * leave some of the files written. */
gboolean ld_upload_unpack      (SoupMessageHeaders  *headers,
                                GBytes              *body,
                                const char          *dir,
                                GError             **error);

G_END_DECLS
