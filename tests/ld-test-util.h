/* ld-test-util.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What every test program may need of the machine it runs on. A test that
 * cannot run fails, saying why; only one that reads the real records of
 * ../shared skips, and only when ../shared is absent. */

/* A new empty folder named after @tmpl ("ld-x-XXXXXX") inside the
 * directories G_TEST_OPTION_ISOLATE_DIRS made for the running case: GLib
 * removes it with them when the case ends. */
char *ld_test_make_tmp      (const char *tmpl);

/* The full path of @program. Without it the test program fails at once,
 * naming it and the Debian package it comes in. */
char *ld_test_find_program  (const char *program,
                             const char *package);

/* ../shared/data/@relative beside the source tree ($LD_SOURCE_ROOT); NULL
 * with the test skipped when ../shared is absent, or failed when ../shared
 * is there without the file. */
char *ld_test_shared_data   (const char *relative);

/* Without $DISPLAY, starts an Xvfb of this program's own on a display
 * number no one uses and points $DISPLAY at it; the server ends with the
 * program. Aborts, naming Xvfb, when it cannot be started. */
void  ld_test_display_start (void);

G_END_DECLS
