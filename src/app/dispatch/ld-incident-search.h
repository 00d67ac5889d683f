/* ld-incident-search.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ld-store.h"

G_BEGIN_DECLS

#define LD_TYPE_INCIDENT_SEARCH (ld_incident_search_get_type ())

G_DECLARE_FINAL_TYPE (LdIncidentSearch, ld_incident_search, LD, INCIDENT_SEARCH, GObject)

/* The newest incidents whose address, summary or caller holds what was
 * typed, as LdIncidentItem rows that read like the duty board's. */
LdIncidentSearch *ld_incident_search_new       (guint             limit);
/* (nullable): the store searched, kept by a ref */
void              ld_incident_search_set_store (LdIncidentSearch *self,
                                                LdStore          *store);
/* Searches for @query; the rows change only when it succeeds. */
gboolean          ld_incident_search_run       (LdIncidentSearch *self,
                                                const char       *query,
                                                GError          **error);
/* (transfer none): the rows found by the last search that succeeded */
GListModel       *ld_incident_search_get_model (LdIncidentSearch *self);
/* Whether the rows are as many as a search may find, so that older
 * incidents may match too. */
gboolean          ld_incident_search_is_full   (LdIncidentSearch *self);

G_END_DECLS
