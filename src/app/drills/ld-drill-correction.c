/* ld-drill-correction.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include "ld-drill-correction.h"
#include "ld-time.h"

struct _LdDrillCorrection
{
  GtkWidget  parent_instance;

  GtkEntry  *time_entry;
  GtkEntry  *reason_entry;
  GtkButton *button;
  GtkLabel  *error_label;

  gboolean   clock_only;
  gint64     alarm_at;
  GTimeZone *time_zone;
};

G_DEFINE_FINAL_TYPE (LdDrillCorrection, ld_drill_correction, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PLACEHOLDER,
  PROP_LABEL,
  PROP_CLOCK_ONLY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CORRECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
ld_drill_correction_set_alarm (LdDrillCorrection *self, gint64 alarm_at, GTimeZone *time_zone)
{
  g_return_if_fail (LD_IS_DRILL_CORRECTION (self));

  self->alarm_at = alarm_at;
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  if (time_zone)
    self->time_zone = g_time_zone_ref (time_zone);
}

/* A corrected time as the inspector writes it: "mm:ss" after the alarm
 * (minutes may pass 59), or the clock time "HH:MM:SS" on the alarm's day. */
static gboolean
parse_correction (LdDrillCorrection *self, const char *text, gint64 *out)
{
  g_auto(GStrv) parts = g_strsplit (text, ":", -1);
  guint n = g_strv_length (parts);
  int v[3] = { 0, };

  if (self->alarm_at == LD_TIME_NONE || self->time_zone == NULL || n < 2 || n > 3)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *part = g_strstrip (g_strdup (parts[i]));
      guint64 value;

      if (*part == '\0' || !g_ascii_string_to_unsigned (part, 10, 0, i == 0 ? 99999 : 59, &value, NULL))
        return FALSE;
      v[i] = (int) value;
    }
  if (n == 2)
    *out = self->alarm_at + ((gint64) v[0] * 60 + v[1]) * LD_USEC_PER_S;
  else
    {
      int y, mo, d, h, mi, s;

      if (v[0] > 23)
        return FALSE;
      ld_time_to_local (self->alarm_at, self->time_zone, &y, &mo, &d, &h, &mi, &s);
      *out = ld_time_from_local (self->time_zone, y, mo, d, v[0], v[1], v[2]);
      /* An arrival in a drill run over midnight is on the next day; the
       * alarm itself moves on its own day. */
      if (!self->clock_only && *out < self->alarm_at)
        *out += G_GINT64_CONSTANT (86400) * LD_USEC_PER_S;
    }
  return TRUE;
}

static void
show_error (LdDrillCorrection *self, const char *text)
{
  gtk_label_set_label (self->error_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static void
on_correct_clicked (LdDrillCorrection *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->time_entry));
  g_autofree char *why = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_entry))));
  g_auto(GStrv) parts = g_strsplit (text, ":", -1);
  gint64 at;

  if ((self->clock_only && g_strv_length (parts) != 3) || !parse_correction (self, text, &at))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->time_entry), "error");
      show_error (self, self->clock_only ? _("Write the alarm's time as HH:MM:SS")
                                         : _("Write the time as mm:ss after the alarm, or as HH:MM:SS"));
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->time_entry), "error");
  /* A changed time is a changed result: it is never taken without why. */
  if (*why == '\0')
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->reason_entry), "error");
      show_error (self, _("Say why the time is corrected"));
      gtk_widget_grab_focus (GTK_WIDGET (self->reason_entry));
      return;
    }
  g_signal_emit (self, signals[CORRECTED], 0, at, why);
}

static void
ld_drill_correction_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LdDrillCorrection *self = LD_DRILL_CORRECTION (object);

  switch (prop_id)
    {
    case PROP_PLACEHOLDER:
      g_value_set_string (value, gtk_entry_get_placeholder_text (self->time_entry));
      break;
    case PROP_LABEL:
      g_value_set_string (value, gtk_button_get_label (self->button));
      break;
    case PROP_CLOCK_ONLY:
      g_value_set_boolean (value, self->clock_only);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_drill_correction_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LdDrillCorrection *self = LD_DRILL_CORRECTION (object);

  switch (prop_id)
    {
    case PROP_PLACEHOLDER:
      gtk_entry_set_placeholder_text (self->time_entry, g_value_get_string (value));
      g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_LABEL:
      gtk_button_set_label (self->button, g_value_get_string (value));
      g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_CLOCK_ONLY:
      if (self->clock_only != g_value_get_boolean (value))
        {
          self->clock_only = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_drill_correction_dispose (GObject *object)
{
  LdDrillCorrection *self = LD_DRILL_CORRECTION (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_DRILL_CORRECTION);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);

  G_OBJECT_CLASS (ld_drill_correction_parent_class)->dispose (object);
}

static void
ld_drill_correction_class_init (LdDrillCorrectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_drill_correction_dispose;
  object_class->get_property = ld_drill_correction_get_property;
  object_class->set_property = ld_drill_correction_set_property;

  properties[PROP_PLACEHOLDER] =
    g_param_spec_string ("placeholder", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLOCK_ONLY] =
    g_param_spec_boolean ("clock-only", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CORRECTED] = g_signal_new ("corrected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-drill-correction.ui");
  gtk_widget_class_bind_template_child (widget_class, LdDrillCorrection, time_entry);
  gtk_widget_class_bind_template_child (widget_class, LdDrillCorrection, reason_entry);
  gtk_widget_class_bind_template_child (widget_class, LdDrillCorrection, button);
  gtk_widget_class_bind_template_child (widget_class, LdDrillCorrection, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_correct_clicked);
}

static void
ld_drill_correction_init (LdDrillCorrection *self)
{
  self->alarm_at = LD_TIME_NONE;
  gtk_widget_init_template (GTK_WIDGET (self));
}
