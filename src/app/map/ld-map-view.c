/* ld-map-view.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "ld-map-view.h"
#include "ld-mercator.h"

#define DRAG_PREFIX "liandong:"

struct _LdMapView
{
  GtkWidget           parent_instance;

  GtkOverlay         *overlay;
  ShumateMap         *map;
  GtkLabel           *attribution;
  GtkWidget          *legend;

  ShumateMapLayer    *base;
  LdRegionLayer      *regions;
  LdPointLayer       *incidents;
  LdPointLayer       *units;
  LdPointLayer       *drills;
  ShumateMarkerLayer *markers;
  ShumateMarker      *pin;
  LdDatum             datum;
  /* A box to fit once the view has its size. */
  gboolean            fit_pending;
  double              fit[4];
};

G_DEFINE_FINAL_TYPE (LdMapView, ld_map_view, GTK_TYPE_WIDGET)

enum {
  INCIDENT_ACTIVATED,
  UNIT_ACTIVATED,
  DRILL_ACTIVATED,
  LOCATION_CLICKED,
  DISPATCH_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

char *
ld_map_drag_encode (const char *kind, const char *const *ids)
{
  g_autofree char *joined = g_strjoinv ("\n", (char **) ids);

  return g_strconcat (DRAG_PREFIX, kind, "\n", joined, NULL);
}

/* Text dropped from another program is not ours: anything without our
 * prefix, a known kind and at least one id is refused. */
gboolean
ld_map_drag_decode (const char *text, char **kind, GStrv *ids)
{
  g_auto(GStrv) parts = NULL;
  guint n;

  if (text == NULL || !g_str_has_prefix (text, DRAG_PREFIX))
    return FALSE;
  parts = g_strsplit (text + strlen (DRAG_PREFIX), "\n", -1);
  n = g_strv_length (parts);
  if (n < 2 || (!g_str_equal (parts[0], LD_MAP_DRAG_INCIDENT) && !g_str_equal (parts[0], LD_MAP_DRAG_UNITS)))
    return FALSE;
  for (guint i = 1; i < n; i++)
    if (*parts[i] == '\0')
      return FALSE;
  if (kind)
    *kind = g_strdup (parts[0]);
  if (ids)
    *ids = g_strdupv (parts + 1);
  return TRUE;
}

static void
to_display (LdMapView *self, double lat, double lon, double *out_lat, double *out_lon)
{
  if (self->datum == LD_DATUM_GCJ02)
    ld_geo_wgs84_to_gcj02 (lat, lon, out_lat, out_lon);
  else
    {
      *out_lat = lat;
      *out_lon = lon;
    }
}

void
ld_map_view_to_location (LdMapView *self, double x, double y, double *lat, double *lon)
{
  ShumateViewport *viewport = shumate_map_get_viewport (self->map);
  double la, lo;

  g_return_if_fail (LD_IS_MAP_VIEW (self));

  shumate_viewport_widget_coords_to_location (viewport, GTK_WIDGET (self->map), x, y, &la, &lo);
  if (self->datum == LD_DATUM_GCJ02)
    ld_geo_gcj02_to_wgs84 (la, lo, &la, &lo);
  *lat = la;
  *lon = lo;
}

void
ld_map_view_to_widget (LdMapView *self, double lat, double lon, double *x, double *y)
{
  ShumateViewport *viewport = shumate_map_get_viewport (self->map);

  g_return_if_fail (LD_IS_MAP_VIEW (self));

  to_display (self, lat, lon, &lat, &lon);
  shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (self->map), lat, lon, x, y);
}

/* Units are drawn over drills, drills over incidents: the topmost is
 * asked first. */
static LdPointLayer *
pick (LdMapView *self, double x, double y, guint *index, guint *count, double *lat, double *lon)
{
  if (ld_point_layer_pick (self->units, x, y, index, count, lat, lon))
    return self->units;
  if (ld_point_layer_pick (self->drills, x, y, index, count, lat, lon))
    return self->drills;
  if (ld_point_layer_pick (self->incidents, x, y, index, count, lat, lon))
    return self->incidents;
  return NULL;
}

static void
on_released (GtkGestureClick *gesture, int n_press, double x, double y, LdMapView *self)
{
  LdPointLayer *layer;
  guint index, count;
  double lat, lon;

  if (n_press != 1)
    return;
  layer = pick (self, x, y, &index, &count, &lat, &lon);
  if (layer == NULL)
    {
      ld_map_view_to_location (self, x, y, &lat, &lon);
      g_signal_emit (self, signals[LOCATION_CLICKED], 0, lat, lon);
      return;
    }
  if (count > 1)
    {
      /* A cluster opens up: two levels closer, centred on it. */
      ShumateViewport *viewport = shumate_map_get_viewport (self->map);
      double zoom = MIN (shumate_viewport_get_zoom_level (viewport) + 2,
                         shumate_viewport_get_max_zoom_level (viewport));

      shumate_map_go_to_full (self->map, lat, lon, zoom);
      return;
    }
  g_signal_emit (self, signals[layer == self->units ? UNIT_ACTIVATED
                               : layer == self->drills ? DRILL_ACTIVATED : INCIDENT_ACTIVATED], 0,
                 ld_point_layer_get_id (layer, index), x, y);
}

static GdkContentProvider *
on_drag_prepare (GtkDragSource *source, double x, double y, LdMapView *self)
{
  LdPointLayer *layer;
  guint index, count;
  const char *ids[2] = { NULL, NULL };
  g_autofree char *text = NULL;

  layer = pick (self, x, y, &index, &count, NULL, NULL);
  /* Off the marks, on a cluster or on a drill (nothing to dispatch), a
   * drag pans the map as usual. */
  if (layer == NULL || count != 1 || layer == self->drills)
    return NULL;
  ids[0] = ld_point_layer_get_id (layer, index);
  text = ld_map_drag_encode (layer == self->units ? LD_MAP_DRAG_UNITS : LD_MAP_DRAG_INCIDENT, ids);
  return gdk_content_provider_new_typed (G_TYPE_STRING, text);
}

static void
on_drag_begin (GtkDragSource *source, GdkDrag *drag, LdMapView *self)
{
  g_autoptr(GtkIconPaintable) icon =
    gtk_icon_theme_lookup_icon (gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self))),
                                "mail-send-symbolic", NULL, 32, 1, GTK_TEXT_DIR_NONE, 0);

  gtk_drag_source_set_icon (source, GDK_PAINTABLE (icon), 16, 16);
}

/* What a drop of @text at (@x, @y) would dispatch: the layer under the
 * pointer must hold the other half of the pair. */
static LdPointLayer *
drop_target (LdMapView *self, const char *text, double x, double y, const char **id)
{
  g_autofree char *kind = NULL;
  g_auto(GStrv) ids = NULL;
  LdPointLayer *layer;
  guint index, count;

  if (!ld_map_drag_decode (text, &kind, &ids))
    return NULL;
  layer = g_str_equal (kind, LD_MAP_DRAG_INCIDENT) ? self->units : self->incidents;
  if (!ld_point_layer_pick (layer, x, y, &index, &count, NULL, NULL) || count != 1)
    return NULL;
  *id = ld_point_layer_get_id (layer, index);
  return layer;
}

static const char *
drop_text (GtkDropTarget *target)
{
  const GValue *value = gtk_drop_target_get_value (target);

  return value && G_VALUE_HOLDS_STRING (value) ? g_value_get_string (value) : NULL;
}

static GdkDragAction
on_drop_motion (GtkDropTarget *target, double x, double y, LdMapView *self)
{
  const char *id = NULL;
  LdPointLayer *layer = drop_target (self, drop_text (target), x, y, &id);

  ld_point_layer_set_highlight (self->incidents, layer == self->incidents ? id : NULL);
  ld_point_layer_set_highlight (self->units, layer == self->units ? id : NULL);
  return layer ? GDK_ACTION_COPY : 0;
}

static void
on_drop_leave (GtkDropTarget *target, LdMapView *self)
{
  ld_point_layer_set_highlight (self->incidents, NULL);
  ld_point_layer_set_highlight (self->units, NULL);
}

static gboolean
on_drop (GtkDropTarget *target, const GValue *value, double x, double y, LdMapView *self)
{
  const char *text = g_value_get_string (value);
  const char *id = NULL;
  LdPointLayer *layer = drop_target (self, text, x, y, &id);
  g_auto(GStrv) ids = NULL;
  const char *one[2] = { id, NULL };

  on_drop_leave (target, self);
  if (layer == NULL)
    return FALSE;
  ld_map_drag_decode (text, NULL, &ids);
  if (layer == self->units)
    g_signal_emit (self, signals[DISPATCH_REQUESTED], 0, ids, one);
  else
    g_signal_emit (self, signals[DISPATCH_REQUESTED], 0, one, ids);
  return TRUE;
}

static void
zoom_in_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  shumate_map_zoom_in (LD_MAP_VIEW (widget)->map);
}

static void
zoom_out_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  shumate_map_zoom_out (LD_MAP_VIEW (widget)->map);
}

static void
ld_map_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LD_TYPE_MAP_VIEW);

  G_OBJECT_CLASS (ld_map_view_parent_class)->dispose (object);
}

static void ld_map_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                                 int *minimum, int *natural, int *minimum_baseline, int *natural_baseline);
static void ld_map_view_size_allocate (GtkWidget *widget, int width, int height, int baseline);

static void
ld_map_view_class_init (LdMapViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_map_view_dispose;
  widget_class->measure = ld_map_view_measure;
  widget_class->size_allocate = ld_map_view_size_allocate;

  signals[INCIDENT_ACTIVATED] =
    g_signal_new ("incident-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
  signals[UNIT_ACTIVATED] =
    g_signal_new ("unit-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
  signals[DRILL_ACTIVATED] =
    g_signal_new ("drill-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
  signals[LOCATION_CLICKED] =
    g_signal_new ("location-clicked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
  signals[DISPATCH_REQUESTED] =
    g_signal_new ("dispatch-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRV, G_TYPE_STRV);

  g_type_ensure (SHUMATE_TYPE_MAP);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-map-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LdMapView, overlay);
  gtk_widget_class_bind_template_child (widget_class, LdMapView, map);
  gtk_widget_class_bind_template_child (widget_class, LdMapView, attribution);
  gtk_widget_class_bind_template_child (widget_class, LdMapView, legend);
  gtk_widget_class_set_css_name (widget_class, "ld-map-view");

  gtk_widget_class_install_action (widget_class, "map.zoom-in", NULL, zoom_in_activated);
  gtk_widget_class_install_action (widget_class, "map.zoom-out", NULL, zoom_out_activated);
}

static void
ld_map_view_init (LdMapView *self)
{
  ShumateViewport *viewport;
  GtkGesture *click;
  GtkDragSource *drag;
  GtkDropTarget *drop;
  GtkWidget *scale;
  GtkWidget *image;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->datum = LD_DATUM_WGS84;
  viewport = shumate_map_get_viewport (self->map);

  self->regions = ld_region_layer_new (viewport);
  self->incidents = ld_point_layer_new (viewport, LD_POINT_SHAPE_CIRCLE);
  self->units = ld_point_layer_new (viewport, LD_POINT_SHAPE_SQUARE);
  /* Units are few and each is a place to drop onto: always drawn alone. */
  ld_point_layer_set_cluster_max_zoom (self->units, 0);
  /* A drill is a handful of marks a month, each one to notice. */
  self->drills = ld_point_layer_new (viewport, LD_POINT_SHAPE_DIAMOND);
  ld_point_layer_set_cluster_max_zoom (self->drills, 0);
  self->markers = shumate_marker_layer_new (viewport);
  shumate_map_add_layer (self->map, SHUMATE_LAYER (self->regions));
  shumate_map_add_layer (self->map, SHUMATE_LAYER (self->incidents));
  shumate_map_add_layer (self->map, SHUMATE_LAYER (self->drills));
  shumate_map_add_layer (self->map, SHUMATE_LAYER (self->units));
  shumate_map_add_layer (self->map, SHUMATE_LAYER (self->markers));

  self->pin = shumate_marker_new ();
  image = gtk_image_new_from_icon_name ("mark-location-symbolic");
  gtk_image_set_pixel_size (GTK_IMAGE (image), 32);
  gtk_widget_add_css_class (image, "map-pin");
  shumate_marker_set_child (self->pin, image);
  gtk_widget_set_visible (GTK_WIDGET (self->pin), FALSE);
  shumate_marker_layer_add_marker (self->markers, self->pin);

  scale = GTK_WIDGET (shumate_scale_new (viewport));
  shumate_scale_set_unit (SHUMATE_SCALE (scale), SHUMATE_UNIT_METRIC);
  gtk_widget_set_halign (scale, GTK_ALIGN_START);
  gtk_widget_set_valign (scale, GTK_ALIGN_END);
  gtk_widget_set_margin_start (scale, 8);
  gtk_widget_set_margin_bottom (scale, 4);
  gtk_overlay_add_overlay (self->overlay, scale);

  /* Capture: the map's own gestures would take the press first, and
   * neither handler claims a press that is not ours. */
  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "released", G_CALLBACK (on_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self->map), GTK_EVENT_CONTROLLER (click));

  drag = gtk_drag_source_new ();
  gtk_drag_source_set_actions (drag, GDK_ACTION_COPY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drag), GTK_PHASE_CAPTURE);
  g_signal_connect (drag, "prepare", G_CALLBACK (on_drag_prepare), self);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  gtk_widget_add_controller (GTK_WIDGET (self->map), GTK_EVENT_CONTROLLER (drag));

  drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_COPY);
  gtk_drop_target_set_preload (drop, TRUE);
  g_signal_connect (drop, "motion", G_CALLBACK (on_drop_motion), self);
  g_signal_connect (drop, "leave", G_CALLBACK (on_drop_leave), self);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self->map), GTK_EVENT_CONTROLLER (drop));
}

LdMapView *
ld_map_view_new (void)
{
  return g_object_new (LD_TYPE_MAP_VIEW, NULL);
}

void
ld_map_view_set_map_source (LdMapView *self, ShumateMapSource *source, LdDatum datum)
{
  ShumateViewport *viewport;
  ShumateMapLayer *base;
  const char *license;

  g_return_if_fail (LD_IS_MAP_VIEW (self));
  g_return_if_fail (SHUMATE_IS_MAP_SOURCE (source));

  viewport = shumate_map_get_viewport (self->map);
  shumate_viewport_set_reference_map_source (viewport, source);
  shumate_viewport_set_min_zoom_level (viewport, shumate_map_source_get_min_zoom_level (source));
  shumate_viewport_set_max_zoom_level (viewport, shumate_map_source_get_max_zoom_level (source));
  base = shumate_map_layer_new (source, viewport);
  shumate_map_insert_layer_behind (self->map, SHUMATE_LAYER (base), SHUMATE_LAYER (self->regions));
  if (self->base)
    shumate_map_remove_layer (self->map, SHUMATE_LAYER (self->base));
  self->base = base;

  /* Everything is kept in WGS84; only the drawing moves to the tiles. */
  if (datum != self->datum)
    {
      double lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
      double lon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));

      if (self->datum == LD_DATUM_GCJ02)
        ld_geo_gcj02_to_wgs84 (lat, lon, &lat, &lon);
      self->datum = datum;
      to_display (self, lat, lon, &lat, &lon);
      shumate_map_center_on (self->map, lat, lon);
      ld_region_layer_set_datum (self->regions, datum);
      ld_point_layer_set_datum (self->incidents, datum);
      ld_point_layer_set_datum (self->units, datum);
      ld_point_layer_set_datum (self->drills, datum);
    }

  license = shumate_map_source_get_license (source);
  gtk_label_set_label (self->attribution, license ? license : "");
  gtk_widget_set_visible (GTK_WIDGET (self->attribution), license && *license);
}

LdDatum
ld_map_view_get_datum (LdMapView *self)
{
  g_return_val_if_fail (LD_IS_MAP_VIEW (self), LD_DATUM_WGS84);
  return self->datum;
}

ShumateViewport *
ld_map_view_get_viewport (LdMapView *self)
{
  g_return_val_if_fail (LD_IS_MAP_VIEW (self), NULL);
  return shumate_map_get_viewport (self->map);
}

LdRegionLayer *
ld_map_view_get_regions (LdMapView *self)
{
  g_return_val_if_fail (LD_IS_MAP_VIEW (self), NULL);
  return self->regions;
}

LdPointLayer *
ld_map_view_get_incidents (LdMapView *self)
{
  g_return_val_if_fail (LD_IS_MAP_VIEW (self), NULL);
  return self->incidents;
}

LdPointLayer *
ld_map_view_get_units (LdMapView *self)
{
  g_return_val_if_fail (LD_IS_MAP_VIEW (self), NULL);
  return self->units;
}

LdPointLayer *
ld_map_view_get_drills (LdMapView *self)
{
  g_return_val_if_fail (LD_IS_MAP_VIEW (self), NULL);
  return self->drills;
}

void
ld_map_view_go_to (LdMapView *self, double lat, double lon, double zoom)
{
  ShumateViewport *viewport;

  g_return_if_fail (LD_IS_MAP_VIEW (self));

  viewport = shumate_map_get_viewport (self->map);
  to_display (self, lat, lon, &lat, &lon);
  shumate_viewport_set_zoom_level (viewport, zoom);
  shumate_map_center_on (self->map, lat, lon);
}

static void
fit_now (LdMapView *self, int width, int height)
{
  ShumateViewport *viewport = shumate_map_get_viewport (self->map);
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (viewport);
  double tile = source ? shumate_map_source_get_tile_size (source) : 256;
  double top = ld_mercator_y (self->fit[2]), bottom = ld_mercator_y (self->fit[0]);
  double span_x = MAX (ld_mercator_x (self->fit[3]) - ld_mercator_x (self->fit[1]), 1e-9);
  double span_y = MAX (bottom - top, 1e-9);
  /* A margin round the box, so the edge regions are not cut by the controls. */
  double zoom = MIN (log2 (width * 0.92 / (span_x * tile)), log2 (height * 0.92 / (span_y * tile)));

  zoom = CLAMP (floor (zoom * 4) / 4, shumate_viewport_get_min_zoom_level (viewport),
                shumate_viewport_get_max_zoom_level (viewport));
  ld_map_view_go_to (self, ld_mercator_lat ((top + bottom) / 2), (self->fit[1] + self->fit[3]) / 2, zoom);
}

void
ld_map_view_fit (LdMapView *self, double min_lat, double min_lon, double max_lat, double max_lon)
{
  int width, height;

  g_return_if_fail (LD_IS_MAP_VIEW (self));

  self->fit[0] = min_lat;
  self->fit[1] = min_lon;
  self->fit[2] = max_lat;
  self->fit[3] = max_lon;
  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  /* Before its first allocation the view has no size to fit to. */
  self->fit_pending = width <= 1 || height <= 1;
  if (!self->fit_pending)
    fit_now (self, width, height);
}

static void
ld_map_view_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  gtk_widget_measure (GTK_WIDGET (LD_MAP_VIEW (widget)->overlay), orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

/* Allocated by hand, not by a layout manager: the first allocation is
 * when a pending fit can be made, and a popover on the map must follow
 * the map's size. */
static void
ld_map_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  LdMapView *self = LD_MAP_VIEW (widget);

  /* The fit moves the view before the children are placed, so what it
   * changes in them is placed in this same allocation. */
  if (self->fit_pending && width > 1 && height > 1)
    {
      self->fit_pending = FALSE;
      fit_now (self, width, height);
    }
  gtk_widget_allocate (GTK_WIDGET (self->overlay), width, height, baseline, NULL);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child))
      gtk_popover_present (GTK_POPOVER (child));
}

void
ld_map_view_show_regions (LdMapView *self, LdStore *store)
{
  g_autoptr(GPtrArray) regions = NULL;
  g_autoptr(GHashTable) depths = NULL;
  double min_lat = G_MAXDOUBLE, min_lon = G_MAXDOUBLE, max_lat = -G_MAXDOUBLE, max_lon = -G_MAXDOUBLE;

  g_return_if_fail (LD_IS_MAP_VIEW (self));
  g_return_if_fail (LD_IS_STORE (store));

  regions = ld_store_list_regions (store, NULL);
  depths = ld_store_list_region_depths (store, NULL);
  ld_region_layer_clear (self->regions);
  for (guint i = 0; regions && depths && i < regions->len; i++)
    {
      LdRegion *r = g_ptr_array_index (regions, i);
      g_autoptr(LdBoundary) boundary = ld_store_get_region_boundary (store, r->code);
      double a, b, c, d;

      if (boundary == NULL)
        continue;
      ld_region_layer_add (self->regions, r->code, r->name, boundary,
                           GPOINTER_TO_UINT (g_hash_table_lookup (depths, r->code)));
      ld_boundary_get_bbox (boundary, &a, &b, &c, &d);
      min_lat = MIN (min_lat, a);
      min_lon = MIN (min_lon, b);
      max_lat = MAX (max_lat, c);
      max_lon = MAX (max_lon, d);
    }
  if (min_lat <= max_lat)
    ld_map_view_fit (self, min_lat, min_lon, max_lat, max_lon);
}

void
ld_map_view_set_legend_visible (LdMapView *self, gboolean visible)
{
  g_return_if_fail (LD_IS_MAP_VIEW (self));
  gtk_widget_set_visible (self->legend, visible);
}

void
ld_map_view_set_pin (LdMapView *self, gboolean visible, double lat, double lon)
{
  g_return_if_fail (LD_IS_MAP_VIEW (self));

  if (visible)
    {
      to_display (self, lat, lon, &lat, &lon);
      shumate_location_set_location (SHUMATE_LOCATION (self->pin), lat, lon);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->pin), visible);
}
