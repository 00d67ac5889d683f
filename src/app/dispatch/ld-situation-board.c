/* ld-situation-board.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include "ld-incident-item.h"
#include "ld-metrics.h"
#include "ld-read-failure.h"
#include "ld-situation-board.h"

/* The clock and the lateness move with time, not only with changes. */
#define TICK_SECONDS 30
#define N_ROWS 6

typedef enum {
  KPI_RECEIVED,
  KPI_HANDLED,
  KPI_DISPATCHED,
  KPI_SIGN_RATE,
  KPI_COMPLETION_RATE,
  KPI_DIVERTED,
  KPI_OPEN,
  KPI_LATE,
  N_KPIS
} Kpi;

static const char * const kpi_captions[N_KPIS] = {
  N_("Received today"),
  N_("Linkage incidents today"),
  N_("Orders dispatched today"),
  N_("Signed, of today's orders"),
  N_("Completed, of today's orders"),
  N_("Diverted today"),
  N_("Open incidents now"),
  N_("Late orders now"),
};

struct _LdSituationBoard
{
  GtkWidget     parent_instance;

  LdMapView    *map;
  GtkLabel     *clock;
  GtkGrid      *kpis;
  GtkListBox   *late_list;
  GtkListBox   *newest_list;
  LdReadFailure *failure;
  GtkLabel     *values[N_KPIS];

  LdSyncEngine *engine;
  GListModel   *incidents;
  GTimeZone    *time_zone;
  guint         timer;
  guint         idle;
};

G_DEFINE_FINAL_TYPE (LdSituationBoard, ld_situation_board, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
clear_list (GtkListBox *list)
{
  for (GtkListBoxRow *row; (row = gtk_list_box_get_row_at_index (list, 0));)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

static void
add_row (GtkListBox *list, const char *title, const char *detail, gboolean alarming)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *left = gtk_label_new (title);
  GtkWidget *right = gtk_label_new (detail);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (left), 0);
  gtk_label_set_ellipsize (GTK_LABEL (left), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (left, TRUE);
  if (alarming)
    gtk_widget_add_css_class (right, "overdue");
  gtk_box_append (GTK_BOX (box), left);
  gtk_box_append (GTK_BOX (box), right);
  gtk_list_box_append (list, box);
}

/* Today, in the center's zone. */
static LdPeriod
today (GTimeZone *tz, gint64 now)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (at, tz);
  g_autoptr(GDateTime) midnight = g_date_time_new (tz, g_date_time_get_year (local), g_date_time_get_month (local),
                                                   g_date_time_get_day_of_month (local), 0, 0, 0);
  g_autoptr(GDateTime) next = g_date_time_add_days (midnight, 1);

  return (LdPeriod) { g_date_time_to_unix (midnight) * G_USEC_PER_SEC, g_date_time_to_unix (next) * G_USEC_PER_SEC };
}

static void
set_value (LdSituationBoard *self, Kpi kpi, const char *text)
{
  gtk_label_set_label (self->values[kpi], text);
}

static void
set_count (LdSituationBoard *self, Kpi kpi, guint n)
{
  g_autofree char *text = g_strdup_printf ("%u", n);
  set_value (self, kpi, text);
}

void
ld_situation_board_refresh (LdSituationBoard *self)
{
  LdStore *store;
  gint64 now = ld_time_now ();
  LdPeriod day;
  g_autoptr(GHashTable) regions = NULL;
  g_autoptr(GPtrArray) all_regions = NULL;
  g_autoptr(GPtrArray) late = NULL;
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *clock = NULL;
  g_autoptr(GError) figures_error = NULL;
  g_autoptr(GError) late_error = NULL;
  LdRegionCounts city = { 0, };
  guint open = 0, n;

  g_return_if_fail (LD_IS_SITUATION_BOARD (self));

  if (self->engine == NULL)
    return;
  store = ld_sync_engine_get_store (self->engine);
  local = g_date_time_to_timezone (utc, self->time_zone);
  {
    /* The weekday is ours to translate: a wall screen's computer may not
     * have the Chinese locale for strftime's %A. */
    static const char * const weekdays[] = {
      NC_("weekday", "Monday"), NC_("weekday", "Tuesday"), NC_("weekday", "Wednesday"),
      NC_("weekday", "Thursday"), NC_("weekday", "Friday"), NC_("weekday", "Saturday"),
      NC_("weekday", "Sunday"),
    };
    /* Translators: the wall screen's date, a strftime format: "11月23日" */
    g_autofree char *date = g_date_time_format (local, _("%-d %B"));
    g_autofree char *time = g_date_time_format (local, "%H:%M");

    /* Translators: the wall screen's clock: weekday, date, time, e.g. "11月23日 星期一 13:05" */
    clock = g_strdup_printf (_("%1$s %2$s, %3$s"),
                             g_dpgettext2 (NULL, "weekday", weekdays[g_date_time_get_day_of_week (local) - 1]),
                             date, time);
  }
  gtk_label_set_label (self->clock, clock);

  /* The figures are the bulletin's own, for today: one definition each. */
  day = today (self->time_zone, now);
  all_regions = ld_store_list_regions (store, &figures_error);
  if (all_regions && ld_metrics_compute (store, &day, now, NULL, &regions, &figures_error))
    for (guint i = 0; i < all_regions->len; i++)
      {
        LdRegion *r = g_ptr_array_index (all_regions, i);
        LdRegionCounts *counts;

        if (r->parent_code || (counts = g_hash_table_lookup (regions, r->code)) == NULL)
          continue;
        city.incidents += counts->incidents;
        city.handled += counts->handled;
        city.diverted += counts->diverted;
        ld_order_counts_add (&city.orders, &counts->orders);
      }
  set_count (self, KPI_RECEIVED, city.incidents);
  set_count (self, KPI_HANDLED, city.handled);
  set_count (self, KPI_DISPATCHED, city.orders.dispatched);
  {
    g_autofree char *sign = ld_format_rate (ld_order_counts_rate (&city.orders, "sign_rate"));
    g_autofree char *completion = ld_format_rate (ld_order_counts_rate (&city.orders, "completion_rate"));

    set_value (self, KPI_SIGN_RATE, sign);
    set_value (self, KPI_COMPLETION_RATE, completion);
  }
  set_count (self, KPI_DIVERTED, city.diverted);
  /* Figures that could not be read are not zeros. */
  for (Kpi k = KPI_RECEIVED; figures_error && k <= KPI_DIVERTED; k++)
    set_value (self, k, "—");

  n = self->incidents ? g_list_model_get_n_items (self->incidents) : 0;
  clear_list (self->newest_list);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LdIncidentItem) item = g_list_model_get_item (self->incidents, i);
      const LdIncident *incident = ld_incident_item_get_incident (item);
      gboolean is_open = g_str_equal (incident->state, "new") || g_str_equal (incident->state, "dispatched");

      open += is_open;
      if (i < N_ROWS)
        {
          g_autofree char *when = ld_time_format_short (incident->received_at, self->time_zone);
          g_autofree char *title = g_strdup_printf ("%s  %s", when, incident->summary ? incident->summary : "");

          add_row (self->newest_list, title, ld_incident_state_label (incident->state),
                   g_str_equal (incident->state, "new"));
        }
    }
  set_count (self, KPI_OPEN, open);

  late = ld_store_list_late_orders (store, now, &late_error);
  if (figures_error)
    ld_read_failure_set_error (self->failure, _("Today's figures"), figures_error);
  else
    ld_read_failure_set_error (self->failure, _("The late orders"), late_error);
  clear_list (self->late_list);
  for (guint i = 0; late && i < MIN (late->len, N_ROWS); i++)
    {
      const LdLateOrder *l = g_ptr_array_index (late, i);
      g_autofree char *how = ld_time_format_late (now - l->due);
      g_autofree char *detail = g_strdup_printf ("%s · %s", ld_order_step_label (l->step), how);

      add_row (self->late_list, l->unit ? l->unit->name : l->order->unit_code, detail, TRUE);
    }
  if (late)
    set_count (self, KPI_LATE, late->len);
  else
    set_value (self, KPI_LATE, "—");
  if (late && late->len > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->values[KPI_LATE]), "overdue");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->values[KPI_LATE]), "overdue");
}

static gboolean
refresh_idle (gpointer data)
{
  LdSituationBoard *self = data;

  self->idle = 0;
  ld_situation_board_refresh (self);
  return G_SOURCE_REMOVE;
}

/* Hidden, the board reads nothing: the wall-screen switch refreshes it
 * when it is shown. */
static gboolean
on_tick (gpointer data)
{
  if (gtk_widget_get_mapped (data))
    ld_situation_board_refresh (data);
  return G_SOURCE_CONTINUE;
}

/* A catch-up brings thousands of changes: the board reads once after. */
static void
on_changed (LdSyncEngine *engine, GStrv incidents, GStrv orders, LdSituationBoard *self)
{
  if (self->idle == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->idle = g_idle_add (refresh_idle, self);
}

static void
set_engine (LdSituationBoard *self, LdSyncEngine *engine, GListModel *incidents, GTimeZone *time_zone)
{
  gboolean changed = self->engine != engine;

  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  g_set_object (&self->incidents, incidents);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  self->time_zone = g_time_zone_ref (time_zone);
  g_clear_handle_id (&self->timer, g_source_remove);
  if (engine)
    {
      g_signal_connect_object (engine, "changed", G_CALLBACK (on_changed), self, G_CONNECT_AFTER);
      self->timer = g_timeout_add_seconds (TICK_SECONDS, on_tick, self);
      ld_situation_board_refresh (self);
    }
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

void
ld_situation_board_set_engine (LdSituationBoard *self,
                               LdSyncEngine     *engine,
                               GListModel       *incidents,
                               GTimeZone        *time_zone)
{
  g_return_if_fail (LD_IS_SITUATION_BOARD (self));
  g_return_if_fail (engine == NULL || LD_IS_SYNC_ENGINE (engine));
  g_return_if_fail (time_zone != NULL);

  set_engine (self, engine, incidents, time_zone);
}

LdSyncEngine *
ld_situation_board_get_engine (LdSituationBoard *self)
{
  g_return_val_if_fail (LD_IS_SITUATION_BOARD (self), NULL);

  return self->engine;
}

LdMapView *
ld_situation_board_get_map (LdSituationBoard *self)
{
  g_return_val_if_fail (LD_IS_SITUATION_BOARD (self), NULL);
  return self->map;
}

static void
ld_situation_board_dispose (GObject *object)
{
  LdSituationBoard *self = LD_SITUATION_BOARD (object);

  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_handle_id (&self->timer, g_source_remove);
  g_clear_handle_id (&self->idle, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_SITUATION_BOARD);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->engine);
  g_clear_object (&self->incidents);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);

  G_OBJECT_CLASS (ld_situation_board_parent_class)->dispose (object);
}

static void
ld_situation_board_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, LD_SITUATION_BOARD (object)->engine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_situation_board_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LdSituationBoard *self = LD_SITUATION_BOARD (object);
  LdSyncEngine *engine;

  switch (prop_id)
    {
    case PROP_ENGINE:
      /* Bound in a template, the engine brings the center's own zone; the
       * newest incidents stay those already given. */
      engine = g_value_get_object (value);
      set_engine (self, engine, self->incidents,
                  engine ? ld_store_get_time_zone (ld_sync_engine_get_store (engine))
                         : self->time_zone);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_situation_board_class_init (LdSituationBoardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_situation_board_dispose;
  object_class->get_property = ld_situation_board_get_property;
  object_class->set_property = ld_situation_board_set_property;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, LD_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LD_TYPE_MAP_VIEW);
  g_type_ensure (LD_TYPE_READ_FAILURE);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-situation-board.ui");
  gtk_widget_class_bind_template_child (widget_class, LdSituationBoard, map);
  gtk_widget_class_bind_template_child (widget_class, LdSituationBoard, clock);
  gtk_widget_class_bind_template_child (widget_class, LdSituationBoard, kpis);
  gtk_widget_class_bind_template_child (widget_class, LdSituationBoard, late_list);
  gtk_widget_class_bind_template_child (widget_class, LdSituationBoard, newest_list);
  gtk_widget_class_bind_template_child (widget_class, LdSituationBoard, failure);
  gtk_widget_class_bind_template_callback (widget_class, ld_situation_board_refresh);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "ld-situation-board");
}

static void
ld_situation_board_init (LdSituationBoard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->time_zone = g_time_zone_new_utc ();
  for (guint i = 0; i < N_KPIS; i++)
    {
      GtkWidget *tile = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *value = gtk_label_new ("—");
      GtkWidget *caption = gtk_label_new (_(kpi_captions[i]));

      gtk_widget_add_css_class (tile, "card");
      gtk_widget_add_css_class (tile, "situation-tile");
      gtk_widget_add_css_class (value, "situation-value");
      gtk_label_set_xalign (GTK_LABEL (value), 0);
      gtk_label_set_xalign (GTK_LABEL (caption), 0);
      gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
      gtk_widget_add_css_class (caption, "dim-label");
      gtk_box_append (GTK_BOX (tile), value);
      gtk_box_append (GTK_BOX (tile), caption);
      gtk_grid_attach (self->kpis, tile, i % 2, i / 2, 1, 1);
      self->values[i] = GTK_LABEL (value);
    }
}
