/* ld-process.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <malloc.h>

#include "ld-process.h"

void
ld_process_init (void)
{
  /* sqlite allocates and frees page-sized buffers on every write; with
   * glibc's default padding the heap top shrinks and grows around each one,
   * and every regrowth faults pages in again. On the machines measured that
   * made writes ten times slower (tests/bench). */
  mallopt (M_TOP_PAD, 16 * 1024 * 1024);
  mallopt (M_TRIM_THRESHOLD, 64 * 1024 * 1024);
}
