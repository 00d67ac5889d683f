/* ld-cli.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The administrators' command line: liandong-server SUBCOMMAND … Returns the
 * process exit status: 0 done, 1 failed, 2 bad usage. */
int ld_cli_run (int argc, char **argv);

G_END_DECLS
