/* ld-demo-city.h
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The demo city is modelled on Jiaxing (seed 000). These tables are the
 * reference data; ld-demo.c generates the traffic from them. */

typedef struct {
  const char *code;
  const char *name;
  const char *parent_code;     /* NULL for the city */
  const char *boundary;        /* GeoJSON Polygon in WGS84, drawn by us; NULL for
                                * regions made only of their children */
  double      lat, lon;        /* a point inside, where its center sits */
  double      weight;          /* share of the city's incidents (leaves only) */
  double      yoy_growth;      /* growth of its volume over the 13 months */
} LdDemoRegion;

typedef struct {
  const char *code;
  const char *name;
  int         tier;            /* 1, 2 or 3 */
  const char *category;        /* unit category identifier; "police" marks the police */
  const char *region_code;
  const char *phone;
  double      lat, lon;
  double      weight;          /* relative order volume */
  double      sign_rate;       /* probability an order is signed */
  double      feedback_rate;   /* probability an order gets feedback */
  double      repeat_rate;     /* probability the caller calls again */
} LdDemoUnit;

typedef struct {
  const char *code;
  const char *name;
  const char *mode;            /* "divert", "immediate" or "joint" */
  const char *platform;        /* for "divert": 12345, 114, 96345, governance */
  const char *unit_categories; /* comma separated unit categories responsible */
  int         sign_limit_s;    /* 0 = the tier default */
  int         arrive_limit_s;
  int         feedback_limit_s;
  int         result_limit_s;
  double      weight;          /* relative frequency */
} LdDemoCategory;

extern const LdDemoRegion   ld_demo_regions[];
extern const guint          ld_demo_n_regions;
extern const LdDemoUnit     ld_demo_units[];
extern const guint          ld_demo_n_units;
extern const LdDemoCategory ld_demo_categories[];
extern const guint          ld_demo_n_categories;

/* Places with addresses for incident summaries: street names per leaf region. */
typedef struct {
  const char *region_code;
  const char *street;
} LdDemoStreet;

extern const LdDemoStreet   ld_demo_streets[];
extern const guint          ld_demo_n_streets;

G_END_DECLS
