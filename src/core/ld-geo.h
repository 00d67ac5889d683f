/* ld-geo.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define LD_GEO_ERROR (ld_geo_error_quark ())

typedef enum {
  LD_GEO_ERROR_PARSE,        /* not JSON, or not GeoJSON */
  LD_GEO_ERROR_UNSUPPORTED,  /* a geometry type or CRS we do not handle */
} LdGeoError;

/* The datum a coordinate set is in. Most Chinese maps and boundary files are
 * GCJ-02; the store keeps WGS84 only. */
typedef enum {
  LD_DATUM_AUTO,   /* read the GeoJSON "crs" member; WGS84 when absent */
  LD_DATUM_WGS84,
  LD_DATUM_GCJ02,
} LdDatum;

GQuark      ld_geo_error_quark        (void);

gboolean    ld_geo_in_china           (double lat, double lon);
void        ld_geo_wgs84_to_gcj02     (double  lat,
                                       double  lon,
                                       double *out_lat,
                                       double *out_lon);
void        ld_geo_gcj02_to_wgs84     (double  lat,
                                       double  lon,
                                       double *out_lat,
                                       double *out_lon);
double      ld_geo_distance_m         (double lat1, double lon1, double lat2, double lon2);

/* A region boundary: one or more polygons, each with holes, in WGS84. */
typedef struct _LdBoundary LdBoundary;

#define LD_TYPE_BOUNDARY (ld_boundary_get_type ())
GType       ld_boundary_get_type      (void) G_GNUC_CONST;

/* (transfer full): the caller unrefs the boundary; @geometry stays the
 * caller's. */
LdBoundary *ld_boundary_new_from_json_node (JsonNode     *geometry,
                                            LdDatum       datum,
                                            GError      **error);
LdBoundary *ld_boundary_new_from_geojson   (const char   *geometry_json,
                                            LdDatum       datum,
                                            GError      **error);
LdBoundary *ld_boundary_ref           (LdBoundary *self);
void        ld_boundary_unref         (LdBoundary *self);
/* (transfer full): the caller g_free()s the text. */
char       *ld_boundary_to_geojson    (LdBoundary *self);
gboolean    ld_boundary_contains      (LdBoundary *self,
                                       double      lat,
                                       double      lon);
void        ld_boundary_get_bbox      (LdBoundary *self,
                                       double     *min_lat,
                                       double     *min_lon,
                                       double     *max_lat,
                                       double     *max_lon);
double      ld_boundary_get_area      (LdBoundary *self);
void        ld_boundary_get_label_point (LdBoundary *self,
                                         double     *lat,
                                         double     *lon);
guint       ld_boundary_get_n_polygons (LdBoundary *self);
/* Rings of polygon @i: ring 0 is the outer ring, the others are holes.
 * Each ring is a flat array of (lat, lon) pairs, (transfer none): the
 * boundary's, living as long as it does. */
guint       ld_boundary_get_n_rings   (LdBoundary *self, guint polygon);
const double *ld_boundary_get_ring    (LdBoundary *self,
                                       guint       polygon,
                                       guint       ring,
                                       guint      *n_points);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdBoundary, ld_boundary_unref)

/* One feature of a region boundary file. */
typedef struct {
  char       *code;      /* "code" property, else "adcode" */
  char       *name;      /* "name" property, may be NULL */
  LdBoundary *boundary;
} LdGeoFeature;

void        ld_geo_feature_free       (LdGeoFeature *feature);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdGeoFeature, ld_geo_feature_free)

/* Reads a FeatureCollection; returns a GPtrArray of LdGeoFeature. A feature
 * without a code or with a geometry that is not (Multi)Polygon is an error
 * naming the feature's index. (transfer full) (element-type LdGeoFeature):
 * the array frees its features; the caller unrefs it. */
GPtrArray  *ld_geo_read_features      (const char  *json_text,
                                       gssize       length,
                                       LdDatum      datum,
                                       GError     **error);

/* Finds which region a point lies in: the most specific (smallest) boundary
 * that contains it. */
typedef struct _LdGeoIndex LdGeoIndex;

LdGeoIndex *ld_geo_index_new          (void);
void        ld_geo_index_free         (LdGeoIndex *self);
/* The index copies @code and keeps a reference to @boundary. */
void        ld_geo_index_add          (LdGeoIndex *self,
                                       const char *code,
                                       LdBoundary *boundary);
guint       ld_geo_index_get_size     (LdGeoIndex *self);
/* The code of the region, or NULL when none contains the point.
 * (transfer none) (nullable): the index's copy, as long as the index lives. */
const char *ld_geo_index_lookup       (LdGeoIndex *self,
                                       double      lat,
                                       double      lon);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LdGeoIndex, ld_geo_index_free)

G_END_DECLS
