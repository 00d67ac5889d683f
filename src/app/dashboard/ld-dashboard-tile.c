/* ld-dashboard-tile.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ld-dashboard-tile.h"
#include "ld-metrics.h"

struct _LdDashboardTile
{
  GtkButton  parent_instance;

  GtkLabel  *caption;
  GtkLabel  *value;
  GtkLabel  *detail;

  char      *key;
};

G_DEFINE_FINAL_TYPE (LdDashboardTile, ld_dashboard_tile, GTK_TYPE_BUTTON)

GtkWidget *
ld_dashboard_tile_new (const char *key, const char *caption)
{
  LdDashboardTile *self = g_object_new (LD_TYPE_DASHBOARD_TILE, NULL);

  self->key = g_strdup (key);
  gtk_label_set_label (self->caption, caption);
  return GTK_WIDGET (self);
}

const char *
ld_dashboard_tile_get_key (LdDashboardTile *self)
{
  g_return_val_if_fail (LD_IS_DASHBOARD_TILE (self), NULL);

  return self->key;
}

const char *
ld_dashboard_tile_get_value (LdDashboardTile *self)
{
  g_return_val_if_fail (LD_IS_DASHBOARD_TILE (self), NULL);

  return gtk_label_get_label (self->value);
}

void
ld_dashboard_tile_set_figure (LdDashboardTile *self, const char *value, const char *detail, gboolean alert)
{
  g_return_if_fail (LD_IS_DASHBOARD_TILE (self));

  gtk_label_set_label (self->value, value);
  gtk_label_set_label (self->detail, detail ? detail : "");
  if (alert)
    gtk_widget_add_css_class (GTK_WIDGET (self), "dashboard-alert");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "dashboard-alert");
}

void
ld_dashboard_tile_show_count (LdDashboardTile *self, guint now, guint year_before)
{
  g_autofree char *value = g_strdup_printf ("%u", now);
  g_autofree char *change = ld_format_change (ld_change (now, year_before));
  /* Translators: a figure against the same days a year before, e.g. "同比 +14.06%" */
  g_autofree char *detail = g_strdup_printf (_("YoY %s"), change);

  ld_dashboard_tile_set_figure (self, value, detail, FALSE);
}

/* A day's count means little alone. */
void
ld_dashboard_tile_show_today (LdDashboardTile *self, guint today, gboolean has_yesterday, guint yesterday)
{
  g_autofree char *value = g_strdup_printf ("%u", today);
  g_autofree char *detail = NULL;

  if (has_yesterday)
    /* Translators: yesterday's count beside today's */
    detail = g_strdup_printf (_("Yesterday %u"), yesterday);
  ld_dashboard_tile_set_figure (self, value, detail, FALSE);
}

void
ld_dashboard_tile_show_rate (LdDashboardTile *self, double rate, double target, gboolean at_most)
{
  g_autofree char *value = ld_format_rate (rate);
  g_autofree char *target_text = ld_format_rate (target);
  g_autofree char *detail = at_most
    /* Translators: a rate's target, e.g. "目标 ≤14.00%" */
    ? g_strdup_printf (_("Target ≤ %s"), target_text)
    /* Translators: a rate's target, e.g. "目标 ≥100.00%" */
    : g_strdup_printf (_("Target ≥ %s"), target_text);
  gboolean missed = !isnan (rate) && (at_most ? rate > target : rate < target);

  ld_dashboard_tile_set_figure (self, value, detail, missed);
}

static void
ld_dashboard_tile_dispose (GObject *object)
{
  LdDashboardTile *self = LD_DASHBOARD_TILE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_DASHBOARD_TILE);
  g_clear_pointer (&self->key, g_free);

  G_OBJECT_CLASS (ld_dashboard_tile_parent_class)->dispose (object);
}

static void
ld_dashboard_tile_class_init (LdDashboardTileClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ld_dashboard_tile_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-dashboard-tile.ui");
  gtk_widget_class_bind_template_child (widget_class, LdDashboardTile, caption);
  gtk_widget_class_bind_template_child (widget_class, LdDashboardTile, value);
  gtk_widget_class_bind_template_child (widget_class, LdDashboardTile, detail);
}

static void
ld_dashboard_tile_init (LdDashboardTile *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
