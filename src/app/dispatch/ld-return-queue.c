/* ld-return-queue.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include "ld-read-failure.h"
#include "ld-recommend.h"
#include "ld-return-queue.h"
#include "ld-time.h"

struct _LdReturnQueue
{
  GtkWidget      parent_instance;

  GtkStack      *stack;
  GtkListBox    *list;
  LdReadFailure *failure;

  LdSyncEngine  *engine;
  guint          n_returns;
  guint          idle;
};

G_DEFINE_FINAL_TYPE (LdReturnQueue, ld_return_queue, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_N_RETURNS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  INCIDENT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
name_of (GHashTable *units, const char *code)
{
  const LdUnit *unit = code ? g_hash_table_lookup (units, code) : NULL;

  return unit ? unit->name : code;
}

static GtkWidget *
text_label (const char *text, const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  /* Reasons and summaries are what people typed: text, never markup. */
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

/* One return: who returned what, why, whose duty they say it is, and
 * what the map and the responsibility list say, for the ruling. */
static GtkWidget *
return_row (LdReturnQueue *self, LdStore *store, const LdOrder *order, GHashTable *units, GError **error)
{
  GTimeZone *tz = ld_store_get_time_zone (store);
  g_autoptr(LdIncident) incident = ld_store_get_incident (store, order->incident_id, error);
  g_autoptr(LdRegion) region = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GString) duty = g_string_new (NULL);
  g_autoptr(GString) list_text = g_string_new (NULL);
  g_autofree char *when = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *what = NULL;
  g_autofree char *where = NULL;
  GtkWidget *row, *box;

  if (incident == NULL)
    return NULL;
  if (incident->region_code && (region = ld_store_get_region (store, incident->region_code, error)) == NULL)
    return NULL;
  if (incident->category &&
      (listed = ld_recommend_units (store, incident->category, incident->region_code, error)) == NULL)
    return NULL;

  when = ld_time_format_short (order->returned_at, tz);
  /* Translators: a unit and when it returned an order, e.g. "市城管局 · 退单 12-08 09:21" */
  heading = g_strdup_printf (_("%s · returned %s"), name_of (units, order->unit_code), when);
  what = g_strdup_printf ("%s%s%s", incident->summary ? incident->summary : "",
                          order->return_reason ? "\n" : "", order->return_reason ? order->return_reason : "");
  if (order->not_ours)
    g_string_append_printf (duty, "%s %s", _("Not this unit's duty:"), order->basis ? order->basis : "");
  else if (order->duty_unit_code)
    g_string_append_printf (duty, "%s %s", _("The duty of:"), name_of (units, order->duty_unit_code));
  for (guint i = 0; listed && i < listed->len; i++)
    {
      const LdUnit *u = g_ptr_array_index (listed, i);
      g_string_append_printf (list_text, "%s%s", i ? "、" : "", u->name);
    }
  /* Translators: the place's jurisdiction, then the units the responsibility list names */
  where = g_strdup_printf (_("Jurisdiction: %s · responsibility list: %s"),
                           region ? region->name : _("Region not known"),
                           list_text->len ? list_text->str : _("no unit listed"));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_box_append (GTK_BOX (box), text_label (heading, "heading"));
  gtk_box_append (GTK_BOX (box), text_label (what, NULL));
  if (duty->len)
    gtk_box_append (GTK_BOX (box), text_label (duty->str, "accent"));
  gtk_box_append (GTK_BOX (box), text_label (where, "dim-label"));
  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "ld-incident", g_strdup (order->incident_id), g_free);
  g_object_set_data_full (G_OBJECT (row), "ld-text",
                          g_strjoin ("\n", heading, what, duty->str, where, NULL), g_free);
  return row;
}

void
ld_return_queue_refresh (LdReturnQueue *self)
{
  LdStore *store;
  g_autoptr(GPtrArray) returns = NULL;
  g_autoptr(GPtrArray) unit_list = NULL;
  g_autoptr(GHashTable) units = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  guint n = 0;

  g_return_if_fail (LD_IS_RETURN_QUEUE (self));

  if (self->engine == NULL)
    return;
  store = ld_sync_engine_get_store (self->engine);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))))
    gtk_list_box_remove (self->list, child);
  if ((unit_list = ld_store_list_units (store, &error)) != NULL &&
      (returns = ld_store_list_returns_to_rule (store, &error)) != NULL)
    {
      for (guint i = 0; i < unit_list->len; i++)
        {
          LdUnit *u = g_ptr_array_index (unit_list, i);
          g_hash_table_insert (units, u->code, u);
        }
      for (guint i = 0; i < returns->len && error == NULL; i++)
        {
          GtkWidget *row = return_row (self, store, g_ptr_array_index (returns, i), units, &error);

          if (row)
            {
              gtk_list_box_append (self->list, row);
              n++;
            }
        }
    }
  ld_read_failure_set_error (self->failure, _("The returns to rule on"), error);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "none");
  if (n != self->n_returns)
    {
      self->n_returns = n;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RETURNS]);
    }
}

static gboolean
refresh_idle (gpointer data)
{
  LdReturnQueue *self = data;

  self->idle = 0;
  ld_return_queue_refresh (self);
  return G_SOURCE_REMOVE;
}

/* A catch-up brings thousands of changes: one reading after them. */
static void
on_changed (LdSyncEngine *engine, GStrv incidents, GStrv orders, LdReturnQueue *self)
{
  if (self->idle == 0 && orders && orders[0])
    self->idle = g_idle_add (refresh_idle, self);
}

static void
on_row_activated (GtkListBox *list, GtkListBoxRow *row, LdReturnQueue *self)
{
  g_signal_emit (self, signals[INCIDENT_ACTIVATED], 0, g_object_get_data (G_OBJECT (row), "ld-incident"));
}

void
ld_return_queue_set_engine (LdReturnQueue *self, LdSyncEngine *engine)
{
  g_return_if_fail (LD_IS_RETURN_QUEUE (self));
  g_return_if_fail (engine == NULL || LD_IS_SYNC_ENGINE (engine));

  if (self->engine == engine)
    return;
  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  if (engine)
    {
      g_signal_connect_object (engine, "changed", G_CALLBACK (on_changed), self, G_CONNECT_AFTER);
      ld_return_queue_refresh (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

LdSyncEngine *
ld_return_queue_get_engine (LdReturnQueue *self)
{
  g_return_val_if_fail (LD_IS_RETURN_QUEUE (self), NULL);

  return self->engine;
}

guint
ld_return_queue_get_n_returns (LdReturnQueue *self)
{
  g_return_val_if_fail (LD_IS_RETURN_QUEUE (self), 0);

  return self->n_returns;
}

GStrv
ld_return_queue_list_rows (LdReturnQueue *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (LD_IS_RETURN_QUEUE (self), NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row;
       row = gtk_widget_get_next_sibling (row))
    g_strv_builder_add (builder, g_object_get_data (G_OBJECT (row), "ld-text"));
  return g_strv_builder_end (builder);
}

static void
ld_return_queue_dispose (GObject *object)
{
  LdReturnQueue *self = LD_RETURN_QUEUE (object);

  g_clear_handle_id (&self->idle, g_source_remove);
  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_RETURN_QUEUE);
  /* GTK 4.8 leaves the template's unnamed box to us. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ld_return_queue_parent_class)->dispose (object);
}

static void
ld_return_queue_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LdReturnQueue *self = LD_RETURN_QUEUE (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_N_RETURNS:
      g_value_set_uint (value, self->n_returns);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_return_queue_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ENGINE:
      ld_return_queue_set_engine (LD_RETURN_QUEUE (object), g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_return_queue_class_init (LdReturnQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_return_queue_dispose;
  object_class->get_property = ld_return_queue_get_property;
  object_class->set_property = ld_return_queue_set_property;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, LD_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_RETURNS] =
    g_param_spec_uint ("n-returns", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[INCIDENT_ACTIVATED] =
    g_signal_new ("incident-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (LD_TYPE_READ_FAILURE);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-return-queue.ui");
  gtk_widget_class_bind_template_child (widget_class, LdReturnQueue, stack);
  gtk_widget_class_bind_template_child (widget_class, LdReturnQueue, list);
  gtk_widget_class_bind_template_child (widget_class, LdReturnQueue, failure);
  gtk_widget_class_bind_template_callback (widget_class, ld_return_queue_refresh);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ld_return_queue_init (LdReturnQueue *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
