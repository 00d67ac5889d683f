/* ld-unit-ranking.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-dashboard.h"

G_BEGIN_DECLS

#define LD_TYPE_UNIT_RANKING (ld_unit_ranking_get_type ())

G_DECLARE_FINAL_TYPE (LdUnitRanking, ld_unit_ranking, LD, UNIT_RANKING, GtkWidget)

/* The month's best and lowest three units by a rate the leader picks,
 * each against the center's target. A click on a unit emits
 * "unit-activated" with its code. Keeps a ref on @dashboard (nullable:
 * the lists empty), to rank again when another rate is picked. */
void ld_unit_ranking_set_dashboard (LdUnitRanking *self,
                                    LdDashboard   *dashboard);

G_END_DECLS
