/* ld-order-row.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include "ld-order-row.h"

struct _LdOrderRow
{
  GtkListBoxRow  parent_instance;

  GtkLabel      *when_label;
  GtkLabel      *fresh_label;
  GtkLabel      *summary_label;
  GtkLabel      *place_label;
  GtkLabel      *due_label;

  char          *order_id;
  gint64         due;
  gboolean       fresh;
};

G_DEFINE_FINAL_TYPE (LdOrderRow, ld_order_row, GTK_TYPE_LIST_BOX_ROW)

GtkWidget *
ld_order_row_new (void)
{
  return g_object_new (LD_TYPE_ORDER_ROW, NULL);
}

void
ld_order_row_tick (LdOrderRow *self, gint64 now)
{
  g_autofree char *left = NULL;

  g_return_if_fail (LD_IS_ORDER_ROW (self));

  gtk_widget_set_visible (GTK_WIDGET (self->due_label), self->due != LD_TIME_NONE);
  if (self->due == LD_TIME_NONE)
    return;
  left = ld_time_format_due (self->due, now);
  gtk_label_set_label (self->due_label, left);
  if (self->due < now)
    gtk_widget_add_css_class (GTK_WIDGET (self->due_label), "overdue");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->due_label), "overdue");
}

void
ld_order_row_set (LdOrderRow *self, const LdFigureRow *row, const char *category, GTimeZone *time_zone,
                  gboolean fresh, gint64 now)
{
  const LdOrder *o = row->order;
  const LdIncident *inc = row->incident;
  g_autofree char *dispatched = ld_time_format_short (o->dispatched_at, time_zone);
  g_autofree char *when = NULL;

  g_return_if_fail (LD_IS_ORDER_ROW (self));

  g_free (self->order_id);
  self->order_id = g_strdup (o->id);
  self->due = ld_order_current_due (o);
  self->fresh = fresh;
  /* Translators: when an order came and what its incident is, e.g. "11-23 19:52 · 道路积水" */
  when = g_strdup_printf (_("%s · %s"), dispatched, category ? category : ld_source_label (inc->source));
  gtk_label_set_label (self->when_label, when);
  /* What a caller or a dispatcher typed is text, never markup. */
  gtk_label_set_text (self->summary_label, inc->summary && *inc->summary ? inc->summary : _("(nothing reported)"));
  gtk_label_set_text (self->place_label, inc->address ? inc->address : "");
  gtk_widget_set_visible (GTK_WIDGET (self->place_label), inc->address && *inc->address);
  gtk_widget_set_visible (GTK_WIDGET (self->fresh_label), fresh);
  if (fresh)
    gtk_widget_add_css_class (GTK_WIDGET (self), "fresh-order");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "fresh-order");
  ld_order_row_tick (self, now);
}

const char *
ld_order_row_get_order_id (LdOrderRow *self)
{
  g_return_val_if_fail (LD_IS_ORDER_ROW (self), NULL);
  return self->order_id;
}

gboolean
ld_order_row_get_fresh (LdOrderRow *self)
{
  g_return_val_if_fail (LD_IS_ORDER_ROW (self), FALSE);
  return self->fresh;
}

static void
ld_order_row_finalize (GObject *object)
{
  LdOrderRow *self = LD_ORDER_ROW (object);

  g_free (self->order_id);

  G_OBJECT_CLASS (ld_order_row_parent_class)->finalize (object);
}

static void
ld_order_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LD_TYPE_ORDER_ROW);

  G_OBJECT_CLASS (ld_order_row_parent_class)->dispose (object);
}

static void
ld_order_row_class_init (LdOrderRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_order_row_dispose;
  object_class->finalize = ld_order_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-order-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LdOrderRow, when_label);
  gtk_widget_class_bind_template_child (widget_class, LdOrderRow, fresh_label);
  gtk_widget_class_bind_template_child (widget_class, LdOrderRow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, LdOrderRow, place_label);
  gtk_widget_class_bind_template_child (widget_class, LdOrderRow, due_label);
}

static void
ld_order_row_init (LdOrderRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->due = LD_TIME_NONE;
}
