/* ld-point-layer.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <shumate/shumate.h>

#include "ld-geo.h"

G_BEGIN_DECLS

/* What a point stands for; its colour says it. */
typedef enum {
  LD_MAP_POINT_NEW,         /* an incident waiting for its first order */
  LD_MAP_POINT_DISPATCHED,  /* an incident with orders out */
  LD_MAP_POINT_DONE,        /* closed or diverted */
  LD_MAP_POINT_UNIT,        /* a unit with no open order */
  LD_MAP_POINT_UNIT_BUSY,   /* a unit with open orders */
  LD_MAP_POINT_DRILL,       /* a simulated-alarm drill planned or under way */
} LdMapPointKind;

typedef enum {
  LD_MAP_POINT_OVERDUE = 1 << 0,  /* a deadline passed: the mark must catch the eye */
} LdMapPointFlags;

typedef struct {
  double lat, lon;         /* WGS84 */
  guint8 kind;             /* LdMapPointKind */
  guint8 flags;            /* LdMapPointFlags */
} LdMapPoint;

typedef enum {
  LD_POINT_SHAPE_CIRCLE,
  LD_POINT_SHAPE_SQUARE,
  LD_POINT_SHAPE_DIAMOND,
} LdPointShape;

#define LD_TYPE_POINT_LAYER (ld_point_layer_get_type ())

G_DECLARE_FINAL_TYPE (LdPointLayer, ld_point_layer, LD, POINT_LAYER, ShumateLayer)

/* Thousands of points drawn in one snapshot, not one widget each; points
 * closer than a cell merge into a cluster showing their count. */
LdPointLayer *ld_point_layer_new          (ShumateViewport   *viewport,
                                           LdPointShape       shape);
/* Replaces every point. @ids[i] names @points[i] (copied). */
void          ld_point_layer_set_points   (LdPointLayer      *self,
                                           const LdMapPoint  *points,
                                           const char *const *ids,
                                           guint              n_points);
guint         ld_point_layer_get_n_points (LdPointLayer      *self);
/* (transfer none): the layer's copy, valid until the next
 * ld_point_layer_set_points(). */
const char   *ld_point_layer_get_id       (LdPointLayer      *self,
                                           guint              index);
/* The datum of the tiles under the layer: GCJ-02 tiles need the points
 * shifted to sit on the right street. */
void          ld_point_layer_set_datum    (LdPointLayer      *self,
                                           LdDatum            datum);
/* Clustering stops at @zoom and above, where every point is drawn alone. */
void          ld_point_layer_set_cluster_max_zoom (LdPointLayer *self,
                                                   double        zoom);
void          ld_point_layer_set_selected (LdPointLayer      *self,
                                           const char        *id);
void          ld_point_layer_set_highlight (LdPointLayer     *self,
                                            const char       *id);
/* What was drawn under (@x, @y) in the layer's coordinates in the last
 * frame: a single point (its index and 1) or a cluster (its first index and
 * its count). @lat, @lon: the mark's centre in the tiles' datum, where the
 * map can be centred on it. FALSE when nothing was. */
gboolean      ld_point_layer_pick         (LdPointLayer      *self,
                                           double             x,
                                           double             y,
                                           guint             *index,
                                           guint             *count,
                                           double            *lat,
                                           double            *lon);

G_END_DECLS
