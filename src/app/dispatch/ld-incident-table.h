/* ld-incident-table.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ld-dispatch-names.h"

G_BEGIN_DECLS

#define LD_TYPE_INCIDENT_TABLE (ld_incident_table_get_type ())

G_DECLARE_FINAL_TYPE (LdIncidentTable, ld_incident_table, LD, INCIDENT_TABLE, GtkWidget)

/* What the table shows in its place. */
typedef enum {
  LD_INCIDENT_TABLE_ROWS,
  LD_INCIDENT_TABLE_EMPTY,     /* nothing on the board */
  LD_INCIDENT_TABLE_NO_MATCH,  /* rows, none of them found or kept by the filters */
} LdIncidentTableView;

/* The duty board's table: one LdIncidentItem a row, following its item in
 * place. A row dragged onto a unit, or units dropped onto a row, emit
 * "dispatch-requested" (incident ids, unit codes) as the map does. */
/* @model (nullable) is kept by the table's column view. */
void ld_incident_table_set_model     (LdIncidentTable     *self,
                                      GtkSelectionModel   *model);
/* The names the cells show for codes, and the zone of their times; both
 * kept by a ref. */
void ld_incident_table_set_names     (LdIncidentTable     *self,
                                      LdDispatchNames     *names,
                                      GTimeZone           *time_zone);
void ld_incident_table_set_view      (LdIncidentTable     *self,
                                      LdIncidentTableView  view);
/* Brings the first row into sight once the next frame is laid out. */
void ld_incident_table_scroll_to_top (LdIncidentTable     *self);

G_END_DECLS
