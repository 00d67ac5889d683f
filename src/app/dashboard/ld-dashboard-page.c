/* ld-dashboard-page.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ld-chart.h"
#include "ld-dashboard-page.h"
#include "ld-dashboard-tile.h"
#include "ld-figure-window.h"
#include "ld-month-drills.h"
#include "ld-read-failure.h"
#include "ld-records.h"
#include "ld-region-scope.h"
#include "ld-unit-ranking.h"
#include "ld-window.h"

/* Changes come in bursts (a pull brings hundreds): the figures are read
 * again once the burst has settled, and at least this often for today's
 * clock and the deadlines that pass with no change at all. */
#define SETTLE_MS    1500
#define TICK_SECONDS 60

typedef enum {
  TILE_TODAY_INCIDENTS,
  TILE_TODAY_HANDLED,
  TILE_TODAY_DISPATCHED,
  TILE_TODAY_DIVERTED,
  TILE_LATE_NOW,
  TILE_ALARMS,
  TILE_HANDLED,
  TILE_BY_UNITS,
  TILE_DISPATCHED,
  TILE_SIGN,
  TILE_FEEDBACK,
  TILE_COMPLETION,
  TILE_REPEAT,
  TILE_OVERDUE_FEEDBACK,
  TILE_DIVERTED,
  TILE_DRILLS,
  N_TILES
} Tile;

/* A tile opens the rows behind its figure (ld_dashboard_get_filter); a
 * rate's are the orders that miss it, under a title that says so. */
static const struct {
  const char *name;
  const char *caption;
  const char *figure;
  const char *opens;    /* the title of what a rate opens */
  gboolean    today;
} tiles[N_TILES] = {
  { "today-incidents", N_("Incidents received"), "incidents", NULL, TRUE },
  { "today-handled", N_("Linkage incidents"), "handled", NULL, TRUE },
  { "today-dispatched", N_("Orders dispatched"), "dispatched", NULL, TRUE },
  { "today-diverted", N_("Diverted to platforms"), "diverted", NULL, TRUE },
  { "late-now", N_("Late orders now"), "late_now", NULL, TRUE },
  { "alarms", N_("Linkage alarms from 110"), "linkage_alarms", NULL, FALSE },
  { "handled", N_("Linkage incidents handled"), "handled", NULL, FALSE },
  { "by-units", N_("Handled with linkage units"), "handled_by_units", NULL, FALSE },
  { "dispatched", N_("Orders dispatched"), "dispatched", NULL, FALSE },
  { "sign-rate", N_("Sign rate"), "sign_rate", N_("Orders not signed"), FALSE },
  { "feedback-rate", N_("Feedback rate"), "feedback_rate", N_("Orders without feedback"), FALSE },
  { "completion-rate", N_("Completion rate"), "completion_rate", N_("Orders not completed"), FALSE },
  { "repeat-rate", N_("Repeat-call rate"), "repeat_rate", N_("Orders followed by a repeat call"), FALSE },
  { "overdue-feedback", N_("Overdue feedback"), "overdue_feedback", NULL, FALSE },
  { "diverted", N_("Diverted to platforms"), "diverted", NULL, FALSE },
  { "drills", N_("Drills"), NULL, NULL, FALSE },
};

typedef enum { CHART_DAILY, CHART_TREND, CHART_REGIONS, CHART_DIVERSIONS, N_CHARTS } Chart;

struct _LdDashboardPage
{
  GtkWidget     parent_instance;

  GtkLabel     *period_label;
  GtkLabel     *updated_label;
  GtkLabel     *today_heading;
  GtkLabel     *month_heading;
  GtkWidget    *next_month;
  GtkFlowBox   *today_tiles;
  GtkFlowBox   *month_tiles;
  GtkGrid      *charts;
  GtkListBox   *regions_list;
  LdMonthDrills *month_drills;
  LdRegionScope *scope;
  LdUnitRanking *ranking;
  LdReadFailure *failure;

  LdDashboardTile *tile[N_TILES];
  LdChart      *chart[N_CHARTS];
  GPtrArray    *regions;     /* the LdReportRegion the region chart and list show, borrowed from the report */
  GError       *scopes_error; /* why the scope list could not be read, said before the figures' reason */

  LdSyncEngine *engine;
  GTimeZone    *time_zone;
  LdDashboard  *dashboard;
  int           month_offset;   /* 0: this month, live; −1 the month before, as it stood at its end */
  guint         settle;
  guint         tick;
  gboolean      stale;
};

G_DEFINE_FINAL_TYPE (LdDashboardPage, ld_dashboard_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Days and months are the center's, whatever this desk's clock says. */
static GTimeZone *
center_zone (LdDashboardPage *self)
{
  return ld_store_get_time_zone (ld_sync_engine_get_store (self->engine));
}

static void
clear_list (GtkListBox *list)
{
  for (GtkListBoxRow *row; (row = gtk_list_box_get_row_at_index (list, 0));)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

/* Opening the incidents behind a figure */

static void
on_incident_activated (LdFigureWindow *window, const char *id, LdDashboardPage *self)
{
  gtk_window_close (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (self), "workspace.show-incident", "s", id);
}

static GtkWindow *
open_figure (LdDashboardPage *self, const char *title, const LdIncidentFilter *filter, guint total)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  LdStore *store = ld_sync_engine_get_store (self->engine);
  LdFigureWindow *window = ld_figure_window_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                 store, self->time_zone, title, filter, total);

  g_signal_connect_object (window, "incident-activated", G_CALLBACK (on_incident_activated), self, 0);
  ld_window_mark_training (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, ADW_WINDOW (window));
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}

/* The region the figures' incidents are searched in: none for the
 * center's one top region, whose figures count the incidents placed
 * nowhere too (as ld_metrics_compute does). */
static const char *
scope_code (LdDashboardPage *self)
{
  LdReportRegion *scope = ld_report_get_scope (ld_dashboard_get_month (self->dashboard));
  return scope->parent_code ? scope->code : NULL;
}

GtkWindow *
ld_dashboard_page_open_tile (LdDashboardPage *self, const char *name)
{
  LdIncidentFilter filter;
  guint total;

  g_return_val_if_fail (LD_IS_DASHBOARD_PAGE (self), NULL);
  g_return_val_if_fail (self->dashboard != NULL, NULL);

  for (guint t = 0; t < N_TILES; t++)
    {
      if (!g_str_equal (tiles[t].name, name))
        continue;
      if (t == TILE_DRILLS)
        {
          gtk_widget_activate_action (GTK_WIDGET (self), "workspace.show", "s", "drills");
          return NULL;
        }
      total = ld_dashboard_get_filter (self->dashboard, tiles[t].figure, tiles[t].today, &filter);
      return open_figure (self, _(tiles[t].opens ? tiles[t].opens : tiles[t].caption), &filter, total);
    }
  g_return_val_if_reached (NULL);
}

GStrv
ld_dashboard_page_list_tiles (LdDashboardPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint t = 0; t < N_TILES; t++)
    g_strv_builder_add (builder, tiles[t].name);
  return g_strv_builder_end (builder);
}

const char *
ld_dashboard_page_get_tile_value (LdDashboardPage *self, const char *name)
{
  g_return_val_if_fail (LD_IS_DASHBOARD_PAGE (self), NULL);

  for (guint t = 0; t < N_TILES; t++)
    if (g_str_equal (tiles[t].name, name))
      return ld_dashboard_tile_get_value (self->tile[t]);
  return NULL;
}

static void
on_tile_clicked (LdDashboardTile *tile, LdDashboardPage *self)
{
  if (self->dashboard)
    ld_dashboard_page_open_tile (self, ld_dashboard_tile_get_key (tile));
}

static void
on_chart_item (LdChart *chart, guint series, guint category, LdDashboardPage *self)
{
  LdReport *month;
  LdIncidentFilter filter = { 0, };
  const LdPeriod *period;
  LdPeriod year_before;
  g_autofree char *title = NULL;
  guint total;

  if (self->dashboard == NULL)
    return;
  month = ld_dashboard_get_month (self->dashboard);
  filter.region_code = scope_code (self);
  title = ld_chart_dup_tooltip (chart, series, category);

  if (chart == self->chart[CHART_DAILY])
    {
      period = ld_dashboard_get_day_period (self->dashboard, category);
      filter.figure = series == 0 ? "handled" : "dispatched";
      total = ld_region_counts_get (ld_dashboard_get_day (self->dashboard, category), filter.figure);
    }
  else if (chart == self->chart[CHART_TREND])
    {
      period = ld_dashboard_get_trend_period (self->dashboard, category, series == 1);
      filter.figure = "handled";
      total = ld_dashboard_get_trend (self->dashboard, category, series == 1)->handled;
    }
  else
    {
      LdReportRegion *region = g_ptr_array_index (self->regions, category);

      filter.region_code = region->code;
      period = ld_report_get_period (month);
      if (chart == self->chart[CHART_REGIONS])
        {
          filter.figure = "handled";
          total = series == 1 ? region->yoy.handled : region->now.handled;
          if (series == 1)
            {
              year_before = ld_period_year_before (period, center_zone (self));
              period = &year_before;
            }
        }
      else
        {
          filter.figure = "diverted";
          filter.platform = ld_platforms[series];
          total = region->now.diversions[series];
        }
    }
  filter.since = period->start;
  filter.until = period->end;
  open_figure (self, title, &filter, total);
}

static void
on_region_activated (LdDashboardPage *self, GtkListBoxRow *row)
{
  LdReportRegion *region;
  const LdPeriod *period;
  LdIncidentFilter filter = { 0, };
  g_autofree char *title = NULL;

  if (self->dashboard == NULL)
    return;
  region = g_ptr_array_index (self->regions, gtk_list_box_row_get_index (row));
  period = ld_report_get_period (ld_dashboard_get_month (self->dashboard));
  filter.region_code = region->code;
  filter.figure = "handled";
  filter.since = period->start;
  filter.until = period->end;
  /* Translators: the title of a region's linkage incidents, e.g. "南湖区 · 联动警情" */
  title = g_strdup_printf (_("%s · Linkage incidents"), region->name);
  open_figure (self, title, &filter, region->now.handled);
}

static void
on_unit_activated (LdDashboardPage *self, const char *code)
{
  LdReport *month;
  LdReportUnit *unit;
  LdIncidentFilter filter = { 0, };
  g_autofree char *title = NULL;

  if (self->dashboard == NULL)
    return;
  month = ld_dashboard_get_month (self->dashboard);
  unit = ld_report_lookup_unit (month, code);
  if (unit == NULL)
    return;
  /* A unit's figures count all its orders, wherever they were. */
  filter.figure = "dispatched";
  filter.unit_code = code;
  filter.since = ld_report_get_period (month)->start;
  filter.until = ld_report_get_period (month)->end;
  /* Translators: the title of the orders a unit was sent, e.g. "市烟草局 · 派单" */
  title = g_strdup_printf (_("%s · Orders"), unit->name);
  open_figure (self, title, &filter, unit->now.dispatched);
}

/* Filling in the figures */

/* Today's figures beside yesterday's. */
static void
show_today (LdDashboardPage *self, Tile t, guint today, const LdRegionCounts *yesterday)
{
  const char *figure = tiles[t].figure;
  guint before = 0;

  if (yesterday)
    before = g_str_equal (figure, "dispatched") ? yesterday->orders.dispatched : ld_region_counts_get (yesterday, figure);
  ld_dashboard_tile_show_today (self->tile[t], today, yesterday != NULL, before);
}

static void
fill_tiles (LdDashboardPage *self)
{
  LdDashboard *d = self->dashboard;
  LdReport *month = ld_dashboard_get_month (d);
  LdReportRegion *scope = ld_report_get_scope (month);
  guint n_days = ld_dashboard_get_n_days (d);
  const LdRegionCounts *today = ld_dashboard_get_today (d);
  const LdRegionCounts *yesterday = n_days > 1 ? ld_dashboard_get_day (d, n_days - 2) : NULL;
  GPtrArray *drills = ld_report_get_drills (month);
  guint late_units = ld_dashboard_get_late_drill_units (d);

  show_today (self, TILE_TODAY_INCIDENTS, today->incidents, yesterday);
  show_today (self, TILE_TODAY_HANDLED, today->handled, yesterday);
  show_today (self, TILE_TODAY_DISPATCHED, today->orders.dispatched, yesterday);
  show_today (self, TILE_TODAY_DIVERTED, today->diverted, yesterday);
  {
    g_autofree char *value = g_strdup_printf ("%u", ld_dashboard_get_late_now (d));
    ld_dashboard_tile_set_figure (self->tile[TILE_LATE_NOW], value, _("Open orders past a deadline"),
                                  ld_dashboard_get_late_now (d) > 0);
  }

  ld_dashboard_tile_show_count (self->tile[TILE_ALARMS], scope->now.linkage_alarms, scope->yoy.linkage_alarms);
  ld_dashboard_tile_show_count (self->tile[TILE_HANDLED], scope->now.handled, scope->yoy.handled);
  ld_dashboard_tile_show_count (self->tile[TILE_BY_UNITS], scope->now.handled_by_units,
                                scope->yoy.handled_by_units);
  ld_dashboard_tile_show_count (self->tile[TILE_DISPATCHED], scope->now.orders.dispatched,
                                scope->yoy.orders.dispatched);
  for (Tile t = TILE_SIGN; t <= TILE_REPEAT; t++)
    ld_dashboard_tile_show_rate (self->tile[t], ld_order_counts_rate (&scope->now.orders, tiles[t].figure),
                                 ld_dashboard_get_target (d, tiles[t].figure),
                                 g_str_equal (tiles[t].figure, "repeat_rate"));
  ld_dashboard_tile_show_count (self->tile[TILE_OVERDUE_FEEDBACK], scope->now.orders.overdue_feedback,
                                scope->yoy.orders.overdue_feedback);
  {
    g_autofree char *value = g_strdup_printf ("%u", scope->now.diverted);
    g_autofree char *share = ld_format_rate (ld_rate (scope->now.diverted, scope->now.incidents));
    /* Translators: diversions as a share of all incidents received, e.g. "占受理 19.26%" */
    g_autofree char *detail = g_strdup_printf (_("%s of all received"), share);
    ld_dashboard_tile_set_figure (self->tile[TILE_DIVERTED], value, detail, FALSE);
  }
  {
    g_autofree char *value = g_strdup_printf ("%u", drills->len);
    g_autofree char *detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u unit not on time",
                                                            "%u units not on time", late_units), late_units);
    ld_dashboard_tile_set_figure (self->tile[TILE_DRILLS], value, detail, late_units > 0);
  }
}

static void
fill_daily (LdDashboardPage *self)
{
  LdDashboard *d = self->dashboard;
  guint n = ld_dashboard_get_n_days (d);
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  g_autofree double *handled = g_new (double, n);
  g_autofree double *dispatched = g_new (double, n);

  for (guint i = 0; i < n; i++)
    {
      const LdRegionCounts *day = ld_dashboard_get_day (d, i);
      /* Translators: a day of the month on a chart's axis, e.g. "23日" */
      g_autofree char *label = g_strdup_printf (_("Day %u"), i + 1);

      g_strv_builder_add (labels, label);
      handled[i] = day->handled;
      dispatched[i] = day->orders.dispatched;
    }
  strv = g_strv_builder_end (labels);
  ld_chart_set_categories (self->chart[CHART_DAILY], (const char * const *) strv);
  ld_chart_add_series (self->chart[CHART_DAILY], _("Linkage incidents"), handled, n, NULL);
  ld_chart_add_series (self->chart[CHART_DAILY], _("Orders dispatched"), dispatched, n, NULL);
}

static void
fill_trend (LdDashboardPage *self)
{
  LdDashboard *d = self->dashboard;
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  double now[LD_DASHBOARD_MONTHS], before[LD_DASHBOARD_MONTHS];

  for (guint i = 0; i < LD_DASHBOARD_MONTHS; i++)
    {
      const LdPeriod *period = ld_dashboard_get_trend_period (d, i, FALSE);
      int year, month, day, hour, minute, second;
      g_autofree char *label = NULL;

      ld_time_to_local (period->start, center_zone (self), &year, &month, &day, &hour,
                        &minute, &second);
      if (i == 0 || month == 1)
        /* Translators: a month on a chart's axis, with its year, e.g. "2026年1月" */
        label = g_strdup_printf (_("%2$d/%1$d"), year, month);
      else
        /* Translators: a month on a chart's axis, e.g. "11月" */
        label = g_strdup_printf (_("Month %d"), month);
      g_strv_builder_add (labels, label);
      now[i] = ld_dashboard_get_trend (d, i, FALSE)->handled;
      /* A month with no incidents at all predates the records: no point
       * rather than a fall to zero. */
      before[i] = ld_dashboard_get_trend (d, i, TRUE)->incidents ? ld_dashboard_get_trend (d, i, TRUE)->handled : NAN;
    }
  strv = g_strv_builder_end (labels);
  ld_chart_set_categories (self->chart[CHART_TREND], (const char * const *) strv);
  ld_chart_add_series (self->chart[CHART_TREND], _("This year"), now, LD_DASHBOARD_MONTHS, NULL);
  ld_chart_add_series (self->chart[CHART_TREND], _("A year before"), before, LD_DASHBOARD_MONTHS, NULL);
}

static void
fill_regions (LdDashboardPage *self)
{
  LdReport *month = ld_dashboard_get_month (self->dashboard);
  GPtrArray *all = ld_report_get_regions (month);
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  g_autofree double *now = NULL, *before = NULL;
  g_autofree double *platforms = NULL;   /* LD_N_PLATFORMS rows of n */
  guint n;

  g_ptr_array_set_size (self->regions, 0);
  for (guint i = 0; i < all->len; i++)
    {
      LdReportRegion *r = g_ptr_array_index (all, i);
      if (r->depth == 1)
        g_ptr_array_add (self->regions, r);
    }
  n = self->regions->len;
  now = g_new (double, n);
  before = g_new (double, n);
  platforms = g_new (double, (gsize) LD_N_PLATFORMS * n);

  clear_list (self->regions_list);
  for (guint i = 0; i < n; i++)
    {
      LdReportRegion *r = g_ptr_array_index (self->regions, i);
      g_autofree char *change = ld_format_change (ld_change (r->now.handled, r->yoy.handled));
      g_autofree char *sign = ld_format_rate (ld_order_counts_rate (&r->now.orders, "sign_rate"));
      /* Translators: a region's line on the dashboard: linkage incidents, their change year on year, sign rate */
      g_autofree char *detail = g_strdup_printf (_("%1$u linkage incidents · YoY %2$s · signed %3$s"),
                                                 r->now.handled, change, sign);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *name = g_markup_escape_text (r->name, -1);

      g_strv_builder_add (labels, r->name);
      now[i] = r->now.handled;
      before[i] = r->yoy.handled;
      for (guint p = 0; p < LD_N_PLATFORMS; p++)
        platforms[p * n + i] = r->now.diversions[p];

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), detail);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_list_box_append (self->regions_list, row);
    }
  strv = g_strv_builder_end (labels);
  ld_chart_set_categories (self->chart[CHART_REGIONS], (const char * const *) strv);
  ld_chart_add_series (self->chart[CHART_REGIONS], _("This year"), now, n, NULL);
  ld_chart_add_series (self->chart[CHART_REGIONS], _("A year before"), before, n, NULL);
  ld_chart_set_categories (self->chart[CHART_DIVERSIONS], (const char * const *) strv);
  for (guint p = 0; p < LD_N_PLATFORMS; p++)
    ld_chart_add_series (self->chart[CHART_DIVERSIONS], ld_platform_label (ld_platforms[p]), platforms + p * n, n,
                         NULL);
}

void
ld_dashboard_page_refresh (LdDashboardPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LdDashboard) dashboard = NULL;
  g_autofree char *updated = NULL, *period = NULL, *clock = NULL;
  gint64 now = ld_time_now ();
  int year, month, day, hour, minute, second;
  LdStore *store;
  GTimeZone *zone;

  g_return_if_fail (LD_IS_DASHBOARD_PAGE (self));

  self->stale = FALSE;
  if (self->engine == NULL)
    return;
  store = ld_sync_engine_get_store (self->engine);
  zone = ld_store_get_time_zone (store);
  ld_time_to_local (now, zone, &year, &month, &day, &hour, &minute, &second);
  if (self->month_offset < 0)
    {
      int shown = year * 12 + (month - 1) + self->month_offset;
      LdPeriod past = ld_period_month (zone, shown / 12, shown % 12 + 1);

      /* A past month reads as it stood at its last moment. */
      now = past.end - 1;
      ld_time_to_local (now, zone, &year, &month, &day, &hour, &minute, &second);
    }
  dashboard = ld_dashboard_new (store, ld_region_scope_get_region (self->scope), now, &error);
  if (self->scopes_error == NULL)
    ld_read_failure_set_error (self->failure, _("The figures"), error);
  if (dashboard == NULL)
    {
      gtk_label_set_label (self->updated_label, "");
      return;
    }
  g_set_object (&self->dashboard, dashboard);

  if (self->month_offset < 0)
    {
      g_autofree char *last_day = NULL;

      period = g_strdup_printf (_("%2$d/%1$d"), year, month);
      /* Translators: the heading of a past month's last day on the dashboard, e.g. "10月31日" */
      last_day = g_strdup_printf (_("Last Day, %1$d/%2$d"), month, day);
      gtk_label_set_label (self->today_heading, last_day);
      gtk_label_set_label (self->month_heading, _("The Whole Month"));
      gtk_label_set_label (self->updated_label, "");
    }
  else
    {
      /* Translators: the span the dashboard covers: month, last day so far, e.g. "11月1日至23日" */
      period = g_strdup_printf (_("Month %1$d, days 1 to %2$d"), month, day);
      gtk_label_set_label (self->today_heading, _("Today"));
      gtk_label_set_label (self->month_heading, _("This Month So Far"));
      clock = g_strdup_printf ("%02d:%02d:%02d", hour, minute, second);
      /* Translators: when the dashboard's figures were read, e.g. "更新于 15:30:02" */
      updated = g_strdup_printf (_("Updated %s"), clock);
      gtk_label_set_label (self->updated_label, updated);
    }
  gtk_label_set_label (self->period_label, period);
  gtk_widget_set_sensitive (self->next_month, self->month_offset < 0);
  /* Late now means now: a past month has no such figure. */
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->tile[TILE_LATE_NOW])), self->month_offset == 0);

  fill_tiles (self);
  fill_daily (self);
  fill_trend (self);
  fill_regions (self);
  ld_unit_ranking_set_dashboard (self->ranking, self->dashboard);
  ld_month_drills_set_dashboard (self->month_drills, self->dashboard, self->time_zone);
}

LdDashboard *
ld_dashboard_page_get_dashboard (LdDashboardPage *self)
{
  g_return_val_if_fail (LD_IS_DASHBOARD_PAGE (self), NULL);
  return self->dashboard;
}

static gboolean
settled (gpointer data)
{
  LdDashboardPage *self = data;

  self->settle = 0;
  ld_dashboard_page_refresh (self);
  return G_SOURCE_REMOVE;
}

/* Hidden, the page only notes that it is behind: a leader's office PC
 * shows Dispatch most of the day, and reading figures no one sees would
 * slow the board that is seen. */
static void
schedule_refresh (LdDashboardPage *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  if (self->settle == 0)
    self->settle = g_timeout_add (SETTLE_MS, settled, self);
}

static gboolean
on_tick (gpointer data)
{
  LdDashboardPage *self = data;

  if (self->month_offset == 0)
    schedule_refresh (self);
  return G_SOURCE_CONTINUE;
}

static void
on_changed (LdDashboardPage *self)
{
  schedule_refresh (self);
}

static void
on_previous_month (LdDashboardPage *self)
{
  self->month_offset--;
  ld_dashboard_page_refresh (self);
}

static void
on_next_month (LdDashboardPage *self)
{
  self->month_offset = MIN (self->month_offset + 1, 0);
  ld_dashboard_page_refresh (self);
}

void
ld_dashboard_page_show_month (LdDashboardPage *self, int offset)
{
  g_return_if_fail (LD_IS_DASHBOARD_PAGE (self));
  g_return_if_fail (offset <= 0);

  self->month_offset = offset;
  ld_dashboard_page_refresh (self);
}

static void
on_scope (LdDashboardPage *self)
{
  if (self->engine)
    ld_dashboard_page_refresh (self);
}

/* The regions as the store has them now. */
static void
load_scopes (LdDashboardPage *self)
{
  LdStore *store = ld_sync_engine_get_store (self->engine);
  g_autoptr(GPtrArray) regions = NULL;

  g_clear_error (&self->scopes_error);
  regions = ld_store_list_regions (store, &self->scopes_error);
  ld_read_failure_set_error (self->failure, _("The regions"), self->scopes_error);
  if (regions == NULL)
    regions = g_ptr_array_new ();
  ld_region_scope_set_regions (self->scope, regions);
}

static void
on_retry (LdDashboardPage *self)
{
  if (self->scopes_error)
    load_scopes (self);
  ld_dashboard_page_refresh (self);
}

static void
on_replica_replaced (LdDashboardPage *self)
{
  load_scopes (self);
  schedule_refresh (self);
}

void
ld_dashboard_page_set_region (LdDashboardPage *self, const char *region_code)
{
  g_return_if_fail (LD_IS_DASHBOARD_PAGE (self));

  ld_region_scope_set_region (self->scope, region_code);
}

static void
set_engine (LdDashboardPage *self, LdSyncEngine *engine, GTimeZone *time_zone)
{
  gboolean changed = self->engine != engine;

  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  self->time_zone = g_time_zone_ref (time_zone);
  g_signal_connect_object (engine, "changed", G_CALLBACK (on_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "drills-changed", G_CALLBACK (on_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "notify::replica", G_CALLBACK (on_replica_replaced), self, G_CONNECT_SWAPPED);
  load_scopes (self);
  self->stale = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    ld_dashboard_page_refresh (self);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

void
ld_dashboard_page_set_engine (LdDashboardPage *self, LdSyncEngine *engine, GTimeZone *time_zone)
{
  g_return_if_fail (LD_IS_DASHBOARD_PAGE (self));
  g_return_if_fail (LD_IS_SYNC_ENGINE (engine));
  g_return_if_fail (time_zone != NULL);

  set_engine (self, engine, time_zone);
}

LdSyncEngine *
ld_dashboard_page_get_engine (LdDashboardPage *self)
{
  g_return_val_if_fail (LD_IS_DASHBOARD_PAGE (self), NULL);

  return self->engine;
}

static void
ld_dashboard_page_map (GtkWidget *widget)
{
  LdDashboardPage *self = LD_DASHBOARD_PAGE (widget);

  GTK_WIDGET_CLASS (ld_dashboard_page_parent_class)->map (widget);
  if (self->stale && self->engine)
    ld_dashboard_page_refresh (self);
  if (self->tick == 0)
    self->tick = g_timeout_add_seconds (TICK_SECONDS, on_tick, self);
}

static void
ld_dashboard_page_unmap (GtkWidget *widget)
{
  LdDashboardPage *self = LD_DASHBOARD_PAGE (widget);

  g_clear_handle_id (&self->tick, g_source_remove);
  if (self->settle)
    {
      g_clear_handle_id (&self->settle, g_source_remove);
      self->stale = TRUE;
    }
  GTK_WIDGET_CLASS (ld_dashboard_page_parent_class)->unmap (widget);
}

static void
ld_dashboard_page_dispose (GObject *object)
{
  LdDashboardPage *self = LD_DASHBOARD_PAGE (object);

  g_clear_handle_id (&self->tick, g_source_remove);
  g_clear_handle_id (&self->settle, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_DASHBOARD_PAGE);
  /* The template's scrolled window is not bound to a field, so the
   * template leaves it to us. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->dashboard);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  g_clear_pointer (&self->regions, g_ptr_array_unref);
  g_clear_error (&self->scopes_error);
  G_OBJECT_CLASS (ld_dashboard_page_parent_class)->dispose (object);
}

static void
ld_dashboard_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, LD_DASHBOARD_PAGE (object)->engine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_dashboard_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LdSyncEngine *engine;

  switch (prop_id)
    {
    case PROP_ENGINE:
      /* Bound in a template, the engine brings the center's own zone. */
      engine = g_value_get_object (value);
      if (engine)
        set_engine (LD_DASHBOARD_PAGE (object), engine,
                    ld_store_get_time_zone (ld_sync_engine_get_store (engine)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_dashboard_page_class_init (LdDashboardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_dashboard_page_dispose;
  object_class->get_property = ld_dashboard_page_get_property;
  object_class->set_property = ld_dashboard_page_set_property;
  widget_class->map = ld_dashboard_page_map;
  widget_class->unmap = ld_dashboard_page_unmap;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, LD_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LD_TYPE_READ_FAILURE);
  g_type_ensure (LD_TYPE_UNIT_RANKING);
  g_type_ensure (LD_TYPE_MONTH_DRILLS);
  g_type_ensure (LD_TYPE_REGION_SCOPE);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LdDashboardPage, period_label);
  gtk_widget_class_bind_template_child (widget_class, LdDashboardPage, updated_label);
  gtk_widget_class_bind_template_child (widget_class, LdDashboardPage, today_heading);
  gtk_widget_class_bind_template_child (widget_class, LdDashboardPage, month_heading);
  gtk_widget_class_bind_template_child (widget_class, LdDashboardPage, next_month);
  gtk_widget_class_bind_template_child (widget_class, LdDashboardPage, today_tiles);
  gtk_widget_class_bind_template_child (widget_class, LdDashboardPage, month_tiles);
  gtk_widget_class_bind_template_child (widget_class, LdDashboardPage, charts);
  gtk_widget_class_bind_template_child (widget_class, LdDashboardPage, regions_list);
  gtk_widget_class_bind_template_child (widget_class, LdDashboardPage, month_drills);
  gtk_widget_class_bind_template_child (widget_class, LdDashboardPage, scope);
  gtk_widget_class_bind_template_child (widget_class, LdDashboardPage, ranking);
  gtk_widget_class_bind_template_child (widget_class, LdDashboardPage, failure);
  gtk_widget_class_bind_template_callback (widget_class, on_retry);
  gtk_widget_class_bind_template_callback (widget_class, on_scope);
  gtk_widget_class_bind_template_callback (widget_class, on_region_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_previous_month);
  gtk_widget_class_bind_template_callback (widget_class, on_next_month);
  gtk_widget_class_bind_template_callback (widget_class, on_unit_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
add_chart (LdDashboardPage *self, Chart c, LdChartKind kind, LdChartFormat format, const char *title,
           int column, int row)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  self->chart[c] = LD_CHART (ld_chart_new (kind));
  ld_chart_set_format (self->chart[c], format);
  gtk_widget_set_size_request (GTK_WIDGET (self->chart[c]), -1, 240);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->chart[c]), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_signal_connect (self->chart[c], "item-activated", G_CALLBACK (on_chart_item), self);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->chart[c]));
  gtk_grid_attach (self->charts, box, column, row, 1, 1);
}

static void
ld_dashboard_page_init (LdDashboardPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->regions = g_ptr_array_new ();

  for (Tile t = 0; t < N_TILES; t++)
    {
      self->tile[t] = LD_DASHBOARD_TILE (ld_dashboard_tile_new (tiles[t].name, _(tiles[t].caption)));
      g_signal_connect (self->tile[t], "clicked", G_CALLBACK (on_tile_clicked), self);
      gtk_flow_box_append (tiles[t].today ? self->today_tiles : self->month_tiles, GTK_WIDGET (self->tile[t]));
    }

  add_chart (self, CHART_DAILY, LD_CHART_LINE, LD_CHART_COUNT, _("Each Day This Month"), 0, 0);
  add_chart (self, CHART_TREND, LD_CHART_LINE, LD_CHART_COUNT, _("Linkage Incidents by Month, Beside the Year Before"),
             1, 0);
  add_chart (self, CHART_REGIONS, LD_CHART_BAR, LD_CHART_COUNT, _("Linkage Incidents by Region"), 0, 1);
  add_chart (self, CHART_DIVERSIONS, LD_CHART_STACKED_BAR, LD_CHART_COUNT, _("Diversions by Platform"), 1, 1);

}
