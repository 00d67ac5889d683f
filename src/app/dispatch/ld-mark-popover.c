/* ld-mark-popover.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include "ld-mark-popover.h"

typedef enum {
  MARK_INCIDENT,
  MARK_UNIT,
  MARK_DRILL,
} MarkKind;

struct _LdMarkPopover
{
  GtkPopover       parent_instance;

  GtkLabel        *heading;
  GtkLabel        *body;
  GtkLabel        *detail;
  GtkLabel        *note;
  GtkLabel        *phone;
  GtkButton       *button;

  LdDispatchNames *names;
  GTimeZone       *time_zone;
  MarkKind         kind;
  char            *id;   /* of the mark the button acts on */
};

G_DEFINE_FINAL_TYPE (LdMarkPopover, ld_mark_popover, GTK_TYPE_POPOVER)

enum {
  OPEN_INCIDENT,
  DISPATCH_HERE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GtkWidget *
ld_mark_popover_new (void)
{
  return g_object_new (LD_TYPE_MARK_POPOVER, NULL);
}

void
ld_mark_popover_set_names (LdMarkPopover *self, LdDispatchNames *names, GTimeZone *time_zone)
{
  g_return_if_fail (LD_IS_MARK_POPOVER (self));
  g_return_if_fail (LD_IS_DISPATCH_NAMES (names));
  g_return_if_fail (time_zone != NULL);

  g_set_object (&self->names, names);
  g_time_zone_ref (time_zone);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  self->time_zone = time_zone;
}

/* A line with nothing to say takes no room. */
static void
set_line (GtkLabel *label, const char *text)
{
  gboolean shown = text != NULL && *text != '\0';

  gtk_label_set_label (label, shown ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), shown);
}

/* The button's label is set only while it shows: a hidden button does not
 * offer what the user may not do. */
static void
set_button (LdMarkPopover *self, MarkKind kind, const char *id, const char *label, gboolean suggested)
{
  self->kind = kind;
  g_free (self->id);
  self->id = g_strdup (id);
  gtk_button_set_label (self->button, label ? label : "");
  gtk_widget_set_visible (GTK_WIDGET (self->button), label != NULL);
  if (suggested)
    gtk_widget_add_css_class (GTK_WIDGET (self->button), "suggested-action");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->button), "suggested-action");
}

static void
pop_up_at (LdMarkPopover *self, double x, double y)
{
  gtk_popover_set_pointing_to (GTK_POPOVER (self), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self));
}

void
ld_mark_popover_show_incident (LdMarkPopover *self, const LdIncident *incident, double x, double y)
{
  g_autofree char *when = NULL;
  g_autofree char *heading = NULL;
  const char *category;

  g_return_if_fail (LD_IS_MARK_POPOVER (self));

  when = ld_time_format_short (incident->received_at, self->time_zone);
  category = ld_dispatch_names_category (self->names, incident->category);
  /* Translators: the heading of an incident's popover on the map: time · category · state */
  heading = g_strdup_printf (_("%s · %s · %s"), when, category ? category : "—",
                             ld_incident_state_label (incident->state));
  set_line (self->heading, heading);
  set_line (self->body, incident->summary);
  set_line (self->detail, incident->address);
  set_line (self->note, NULL);
  set_line (self->phone, NULL);
  set_button (self, MARK_INCIDENT, incident->id, _("_Open"), TRUE);
  pop_up_at (self, x, y);
}

void
ld_mark_popover_show_unit (LdMarkPopover *self, const LdUnit *unit, const LdDuty *on_duty, gboolean can_dispatch,
                           double x, double y)
{
  g_autofree char *tier = NULL;
  g_autofree char *phone = NULL;
  const char *region;

  g_return_if_fail (LD_IS_MARK_POPOVER (self));

  region = ld_dispatch_names_region (self->names, unit->region_code);
  /* Translators: a unit's tier and region in its map popover */
  tier = g_strdup_printf (_("Tier %d · %s"), unit->tier, region ? region : "—");
  if (on_duty)
    /* Translators: who is on duty at the unit now, and their phone */
    phone = g_strdup_printf (_("On duty: %s %s"), on_duty->name, on_duty->phone);
  else if (unit->phone)
    /* Translators: the unit's duty phone, to call it up */
    phone = g_strdup_printf (_("Duty phone: %s"), unit->phone);
  set_line (self->heading, unit->name);
  set_line (self->body, NULL);
  set_line (self->detail, tier);
  set_line (self->note, NULL);
  set_line (self->phone, phone);
  set_button (self, MARK_UNIT, unit->code, can_dispatch ? _("_Dispatch the Chosen Incident Here") : NULL, TRUE);
  pop_up_at (self, x, y);
}

void
ld_mark_popover_show_drill (LdMarkPopover *self, const LdDrill *drill, gboolean can_open, double x, double y)
{
  g_autofree char *when = NULL;
  g_autofree char *heading = NULL;

  g_return_if_fail (LD_IS_MARK_POPOVER (self));

  when = ld_time_format_short (drill->held_at, self->time_zone);
  /* Translators: the heading of a drill's popover on the dispatch map, with its planned time */
  heading = g_strdup_printf (_("Drill · %s"), when);
  set_line (self->heading, heading);
  set_line (self->body, drill->scenario);
  set_line (self->detail, drill->location);
  set_line (self->note, _("Calls from here may be the drill's simulated alarm: check with the inspection team."));
  set_line (self->phone, NULL);
  set_button (self, MARK_DRILL, drill->id, can_open ? _("_Open in Drills") : NULL, FALSE);
  pop_up_at (self, x, y);
}

static void
on_button_clicked (LdMarkPopover *self)
{
  g_autofree char *id = g_strdup (self->id);

  gtk_popover_popdown (GTK_POPOVER (self));
  switch (self->kind)
    {
    case MARK_INCIDENT:
      g_signal_emit (self, signals[OPEN_INCIDENT], 0, id);
      break;
    case MARK_UNIT:
      g_signal_emit (self, signals[DISPATCH_HERE], 0, id);
      break;
    case MARK_DRILL:
      gtk_widget_activate_action (GTK_WIDGET (self), "workspace.show-drill", "s", id);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
ld_mark_popover_dispose (GObject *object)
{
  LdMarkPopover *self = LD_MARK_POPOVER (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_MARK_POPOVER);
  g_clear_object (&self->names);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  g_clear_pointer (&self->id, g_free);

  G_OBJECT_CLASS (ld_mark_popover_parent_class)->dispose (object);
}

static void
ld_mark_popover_class_init (LdMarkPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_mark_popover_dispose;

  signals[OPEN_INCIDENT] =
    g_signal_new ("open-incident", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[DISPATCH_HERE] =
    g_signal_new ("dispatch-here", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-mark-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, LdMarkPopover, heading);
  gtk_widget_class_bind_template_child (widget_class, LdMarkPopover, body);
  gtk_widget_class_bind_template_child (widget_class, LdMarkPopover, detail);
  gtk_widget_class_bind_template_child (widget_class, LdMarkPopover, note);
  gtk_widget_class_bind_template_child (widget_class, LdMarkPopover, phone);
  gtk_widget_class_bind_template_child (widget_class, LdMarkPopover, button);
  gtk_widget_class_bind_template_callback (widget_class, on_button_clicked);
}

static void
ld_mark_popover_init (LdMarkPopover *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->names = ld_dispatch_names_new ();
  self->time_zone = g_time_zone_new_utc ();
}
