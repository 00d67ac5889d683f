/* ld-dispatch-marks.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <math.h>

#include "ld-dispatch-marks.h"
#include "ld-drill-report.h"
#include "ld-incident-item.h"

/* A drill shows from half a day before it is held until it is over. */
#define DRILL_WINDOW_US LD_DRILL_OVER_US

struct _LdDispatchMarks
{
  GObject    parent_instance;

  LdMapView *desk;   /* weak */
  LdMapView *wall;   /* weak */
  LdStore   *store;
};

G_DEFINE_FINAL_TYPE (LdDispatchMarks, ld_dispatch_marks, G_TYPE_OBJECT)

LdDispatchMarks *
ld_dispatch_marks_new (LdMapView *desk, LdMapView *wall)
{
  LdDispatchMarks *self = g_object_new (LD_TYPE_DISPATCH_MARKS, NULL);

  g_set_weak_pointer (&self->desk, desk);
  g_set_weak_pointer (&self->wall, wall);
  return self;
}

void
ld_dispatch_marks_set_store (LdDispatchMarks *self, LdStore *store)
{
  g_return_if_fail (LD_IS_DISPATCH_MARKS (self));
  g_set_object (&self->store, store);
}

static LdMapPointKind
incident_kind (const LdIncident *incident)
{
  if (g_str_equal (incident->state, "new"))
    return LD_MAP_POINT_NEW;
  if (g_str_equal (incident->state, "dispatched"))
    return LD_MAP_POINT_DISPATCHED;
  return LD_MAP_POINT_DONE;
}

static void
set_incident_points (LdPointLayer *layer, GListModel *model)
{
  guint n = model ? g_list_model_get_n_items (model) : 0;
  g_autoptr(GArray) points = g_array_sized_new (FALSE, FALSE, sizeof (LdMapPoint), n);
  g_autoptr(GPtrArray) ids = g_ptr_array_sized_new (n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LdIncidentItem) item = g_list_model_get_item (model, i);
      const LdIncident *incident = ld_incident_item_get_incident (item);
      LdMapPoint point;

      if (isnan (incident->lat) || isnan (incident->lon))
        continue;
      point.lat = incident->lat;
      point.lon = incident->lon;
      point.kind = incident_kind (incident);
      point.flags = ld_incident_item_get_overdue (item) ? LD_MAP_POINT_OVERDUE : 0;
      g_array_append_val (points, point);
      g_ptr_array_add (ids, (gpointer) ld_incident_item_get_id (item));
    }
  ld_point_layer_set_points (layer, (LdMapPoint *) points->data, (const char *const *) ids->pdata, points->len);
}

void
ld_dispatch_marks_show_incidents (LdDispatchMarks *self, GListModel *desk_rows, GListModel *wall_rows)
{
  g_return_if_fail (LD_IS_DISPATCH_MARKS (self));

  if (self->desk)
    set_incident_points (ld_map_view_get_incidents (self->desk), desk_rows);
  if (self->wall)
    set_incident_points (ld_map_view_get_incidents (self->wall), wall_rows);
}

gboolean
ld_dispatch_marks_show_units (LdDispatchMarks *self, GError **error)
{
  g_autoptr(GPtrArray) loads = NULL;
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (LdMapPoint));
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  LdMapView *maps[] = { self->desk, self->wall };

  g_return_val_if_fail (LD_IS_DISPATCH_MARKS (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);

  loads = ld_store_list_unit_loads (self->store, ld_time_now (), error);
  if (loads == NULL)
    return FALSE;
  for (guint i = 0; i < loads->len; i++)
    {
      LdUnitLoad *load = g_ptr_array_index (loads, i);
      LdMapPoint point;

      if (isnan (load->unit->lat) || isnan (load->unit->lon))
        continue;
      point.lat = load->unit->lat;
      point.lon = load->unit->lon;
      point.kind = load->n_open > 0 ? LD_MAP_POINT_UNIT_BUSY : LD_MAP_POINT_UNIT;
      point.flags = load->n_late > 0 ? LD_MAP_POINT_OVERDUE : 0;
      g_array_append_val (points, point);
      g_ptr_array_add (ids, load->unit->code);
    }
  for (guint m = 0; m < G_N_ELEMENTS (maps); m++)
    if (maps[m])
      ld_point_layer_set_points (ld_map_view_get_units (maps[m]), (LdMapPoint *) points->data,
                                 (const char *const *) ids->pdata, points->len);
  return TRUE;
}

gboolean
ld_dispatch_marks_show_drills (LdDispatchMarks *self, GError **error)
{
  gint64 now = ld_time_now ();
  LdPeriod around = { now - DRILL_WINDOW_US, now + DRILL_WINDOW_US };
  g_autoptr(GPtrArray) drills = NULL;
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (LdMapPoint));
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  g_return_val_if_fail (LD_IS_DISPATCH_MARKS (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);

  drills = ld_store_list_drills (self->store, &around, error);
  if (drills == NULL)
    return FALSE;
  for (guint i = 0; i < drills->len; i++)
    {
      LdDrill *drill = g_ptr_array_index (drills, i);
      LdMapPoint point = { drill->lat, drill->lon, LD_MAP_POINT_DRILL, 0 };

      if (isnan (drill->lat) || isnan (drill->lon))
        continue;
      g_array_append_val (points, point);
      g_ptr_array_add (ids, drill->id);
    }
  if (self->desk)
    ld_point_layer_set_points (ld_map_view_get_drills (self->desk), (LdMapPoint *) points->data,
                               (const char *const *) ids->pdata, points->len);
  return TRUE;
}

static void
ld_dispatch_marks_dispose (GObject *object)
{
  LdDispatchMarks *self = LD_DISPATCH_MARKS (object);

  g_clear_weak_pointer (&self->desk);
  g_clear_weak_pointer (&self->wall);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ld_dispatch_marks_parent_class)->dispose (object);
}

static void
ld_dispatch_marks_class_init (LdDispatchMarksClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ld_dispatch_marks_dispose;
}

static void
ld_dispatch_marks_init (LdDispatchMarks *self)
{
}
