/* ld-drill-unit-tile.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include "ld-drill-correction.h"
#include "ld-drill-unit-tile.h"
#include "ld-read-failure.h"

struct _LdDrillUnitTile
{
  GtkWidget          parent_instance;

  GtkButton         *button;
  GtkLabel          *name_label;
  GtkLabel          *status_label;
  GtkLabel          *correction_label;
  GtkMenuButton     *more;
  GtkLabel          *heading;
  LdDrillCorrection *correction;
  GtkEntry          *note_entry;
  LdReadFailure     *history_failure;
  GtkBox            *history;

  LdDrillQuery      *query;
  char              *drill_id;
  char              *unit_code;
  gboolean           arrived;
};

G_DEFINE_FINAL_TYPE (LdDrillUnitTile, ld_drill_unit_tile, GTK_TYPE_WIDGET)

enum {
  ARRIVE,
  CORRECT,
  NOTE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One tap when the unit's people arrive: now is the arrival. A unit in
 * already opens its popover instead: a second tap is a slip, not news. */
static void
on_tapped (LdDrillUnitTile *self)
{
  if (self->arrived)
    gtk_menu_button_popup (self->more);
  else
    g_signal_emit (self, signals[ARRIVE], 0);
}

static void
on_corrected (LdDrillUnitTile *self, gint64 at, const char *reason)
{
  gtk_menu_button_popdown (self->more);
  g_signal_emit (self, signals[CORRECT], 0, at, reason);
}

static void
on_note_activate (LdDrillUnitTile *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_entry))));

  if (*text == '\0')
    return;
  gtk_menu_button_popdown (self->more);
  g_signal_emit (self, signals[NOTE], 0, text);
}

static GtkWidget *
history_label (const char *text, const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, css_class);
  return label;
}

/* The unit's earlier drills, read when the popover opens: most tiles'
 * histories are never looked at. */
static void
on_popover_show (LdDrillUnitTile *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = ld_drill_query_list_history (self->query, self->unit_code, &error);
  GTimeZone *tz = ld_drill_query_get_time_zone (self->query);
  guint shown = 0;

  ld_read_failure_set_error (self->history_failure, _("The unit's earlier drills"), error);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self->history)));)
    gtk_box_remove (self->history, child);
  if (history == NULL)
    return;
  /* Newest first, and only the last few: a popover is not a report. */
  for (guint i = history->len; i > 0 && shown < 6; i--)
    {
      const LdDrillHistoryEntry *e = g_ptr_array_index (history, i - 1);
      g_autofree char *when = NULL;
      g_autofree char *line = NULL;

      if (g_strcmp0 (e->drill_id, self->drill_id) == 0)
        continue;
      when = ld_time_format_short (e->held_at, tz);
      line = g_strdup_printf ("%s · %s · %s", when, e->region_name ? e->region_name : "", e->arrival_text);
      gtk_box_append (self->history, history_label (line, e->late ? "drill-late" : "drill-on-time"));
      shown++;
    }
  if (shown == 0)
    gtk_box_append (self->history, history_label (_("No earlier drill"), "dim-label"));
}

GtkWidget *
ld_drill_unit_tile_new (LdDrillQuery *query, const char *drill_id, const LdDrillResultUnit *unit,
                        gboolean arrived, gboolean over, gint64 alarm_at)
{
  LdDrillUnitTile *self;
  gboolean can_run;

  g_return_val_if_fail (LD_IS_DRILL_QUERY (query), NULL);
  g_return_val_if_fail (unit != NULL, NULL);

  self = g_object_new (LD_TYPE_DRILL_UNIT_TILE, NULL);
  self->query = g_object_ref (query);
  self->drill_id = g_strdup (drill_id);
  self->unit_code = g_strdup (unit->code);
  self->arrived = arrived;
  can_run = ld_drill_query_can_run (query);

  gtk_label_set_label (self->name_label, unit->name);
  gtk_label_set_label (self->heading, unit->name);
  if (arrived || over)
    gtk_label_set_label (self->status_label, unit->arrival_text);
  else if (alarm_at != LD_TIME_NONE)
    gtk_label_set_label (self->status_label, _("Tap on arrival"));
  else
    gtk_label_set_label (self->status_label, _("Waiting for the alarm"));
  /* A time changed by hand says so, and why, where it is read. */
  if (unit->correction)
    {
      /* Translators: a drill unit's arrival time was corrected by hand; the reason follows */
      g_autofree char *text = g_strdup_printf (_("Corrected: %s"), unit->correction);

      gtk_label_set_label (self->correction_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->correction_label), TRUE);
    }
  if (arrived || over)
    gtk_widget_add_css_class (GTK_WIDGET (self->button), unit->late ? "drill-unit-late" : "drill-unit-on-time");
  /* Before the alarm nobody can arrive, nor after the drill; a reader only
   * looks. A time is still corrected, with a reason, from the menu. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->button), can_run ? alarm_at != LD_TIME_NONE && !over : arrived);

  ld_drill_correction_set_alarm (self->correction, alarm_at, ld_drill_query_get_time_zone (query));
  gtk_widget_set_visible (GTK_WIDGET (self->correction), can_run && arrived);
  gtk_widget_set_visible (GTK_WIDGET (self->note_entry), can_run);
  return GTK_WIDGET (self);
}

const char *
ld_drill_unit_tile_get_unit_code (LdDrillUnitTile *self)
{
  g_return_val_if_fail (LD_IS_DRILL_UNIT_TILE (self), NULL);

  return self->unit_code;
}

static void
ld_drill_unit_tile_dispose (GObject *object)
{
  LdDrillUnitTile *self = LD_DRILL_UNIT_TILE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_DRILL_UNIT_TILE);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->query);
  g_clear_pointer (&self->drill_id, g_free);
  g_clear_pointer (&self->unit_code, g_free);

  G_OBJECT_CLASS (ld_drill_unit_tile_parent_class)->dispose (object);
}

static void
ld_drill_unit_tile_class_init (LdDrillUnitTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_drill_unit_tile_dispose;

  signals[ARRIVE] = g_signal_new ("arrive", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[CORRECT] = g_signal_new ("correct", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  signals[NOTE] = g_signal_new ("note", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (LD_TYPE_DRILL_CORRECTION);
  g_type_ensure (LD_TYPE_READ_FAILURE);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-drill-unit-tile.ui");
  gtk_widget_class_bind_template_child (widget_class, LdDrillUnitTile, button);
  gtk_widget_class_bind_template_child (widget_class, LdDrillUnitTile, name_label);
  gtk_widget_class_bind_template_child (widget_class, LdDrillUnitTile, status_label);
  gtk_widget_class_bind_template_child (widget_class, LdDrillUnitTile, correction_label);
  gtk_widget_class_bind_template_child (widget_class, LdDrillUnitTile, more);
  gtk_widget_class_bind_template_child (widget_class, LdDrillUnitTile, heading);
  gtk_widget_class_bind_template_child (widget_class, LdDrillUnitTile, correction);
  gtk_widget_class_bind_template_child (widget_class, LdDrillUnitTile, note_entry);
  gtk_widget_class_bind_template_child (widget_class, LdDrillUnitTile, history_failure);
  gtk_widget_class_bind_template_child (widget_class, LdDrillUnitTile, history);
  gtk_widget_class_bind_template_callback (widget_class, on_tapped);
  gtk_widget_class_bind_template_callback (widget_class, on_corrected);
  gtk_widget_class_bind_template_callback (widget_class, on_note_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_popover_show);
}

static void
ld_drill_unit_tile_init (LdDrillUnitTile *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
