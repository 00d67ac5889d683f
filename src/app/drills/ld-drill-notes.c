/* ld-drill-notes.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <adwaita.h>

#include "ld-drill-notes.h"

struct _LdDrillNotes
{
  GtkWidget     parent_instance;

  GtkListBox   *list;
  AdwEntryRow  *entry_row;

  LdDrillQuery *query;
};

G_DEFINE_FINAL_TYPE (LdDrillNotes, ld_drill_notes, GTK_TYPE_WIDGET)

enum {
  ADD,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkWidget *
note_row (LdDrillNotes *self, const LdDrillNote *n, GHashTable *unit_names)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *when = ld_time_format_short (n->at, ld_drill_query_get_time_zone (self->query));
  const char *about = n->unit_code ? g_hash_table_lookup (unit_names, n->unit_code) : NULL;
  g_autofree char *subtitle = about ? g_strdup_printf ("%s · %s · %s", when, n->author ? n->author : "", about)
                                    : g_strdup_printf ("%s · %s", when, n->author ? n->author : "");

  /* The inspector's words, their name and the unit's, as typed. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), n->text);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

gboolean
ld_drill_notes_show (LdDrillNotes *self, const char *drill_id, GHashTable *unit_names, GError **error)
{
  g_autoptr(GPtrArray) notes = NULL;

  g_return_val_if_fail (LD_IS_DRILL_NOTES (self), FALSE);
  g_return_val_if_fail (self->query != NULL, FALSE);

  notes = ld_drill_query_list_notes (self->query, drill_id, error);
  if (notes == NULL)
    return FALSE;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list)), *next; child; child = next)
    {
      next = gtk_widget_get_next_sibling (child);
      if (child != GTK_WIDGET (self->entry_row))
        gtk_list_box_remove (self->list, child);
    }
  for (guint i = 0; i < notes->len; i++)
    gtk_list_box_insert (self->list, note_row (self, g_ptr_array_index (notes, i), unit_names), i);
  gtk_widget_set_visible (GTK_WIDGET (self->entry_row), ld_drill_query_can_run (self->query));
  return TRUE;
}

static void
on_entry_activated (LdDrillNotes *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry_row))));
  gboolean logged = FALSE;

  if (*text == '\0')
    return;
  g_signal_emit (self, signals[ADD], 0, text, &logged);
  if (logged)
    gtk_editable_set_text (GTK_EDITABLE (self->entry_row), "");
}

void
ld_drill_notes_set_query (LdDrillNotes *self, LdDrillQuery *query)
{
  g_return_if_fail (LD_IS_DRILL_NOTES (self));
  g_return_if_fail (LD_IS_DRILL_QUERY (query));

  g_set_object (&self->query, query);
}

static void
ld_drill_notes_dispose (GObject *object)
{
  LdDrillNotes *self = LD_DRILL_NOTES (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_DRILL_NOTES);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->query);

  G_OBJECT_CLASS (ld_drill_notes_parent_class)->dispose (object);
}

static void
ld_drill_notes_class_init (LdDrillNotesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_drill_notes_dispose;

  signals[ADD] = g_signal_new ("add", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                               0, g_signal_accumulator_first_wins, NULL, NULL,
                               G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-drill-notes.ui");
  gtk_widget_class_bind_template_child (widget_class, LdDrillNotes, list);
  gtk_widget_class_bind_template_child (widget_class, LdDrillNotes, entry_row);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
}

static void
ld_drill_notes_init (LdDrillNotes *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
