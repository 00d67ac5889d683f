/* ld-bulletin.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "ld-bulletin-layout.h"
#include "ld-bulletin-private.h"
#include "ld-store.h"

/* How many units (四) ranks by repeat rate: seed 000 takes the 11 busiest. */
#define MAIN_UNITS 11
/* Seed 000 tells one case; two leave the choice to whoever issues it. */
#define MAX_CASES 2
/* Incidents among the problems: the few worst, the rest is for the desk. */
#define MAX_INCIDENT_PROBLEMS 2

struct _LdBulletin
{
  GObject      parent_instance;

  LdReport    *report;
  GHashTable  *year_to_date;   /* region code → LdRegionCounts, January 1 to the period's end */
  GStrv        cases;
  GStrv        problems;
  GPtrArray   *blocks;         /* LdBulletinBlock */

  /* The last pagination, for ld_bulletin_draw_page(); NULL after "changed". */
  LdBulletinLayout *layout;
};

G_DEFINE_FINAL_TYPE (LdBulletin, ld_bulletin, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
block_free (LdBulletinBlock *block)
{
  for (guint i = 0; i < block->n_rows * block->n_cols; i++)
    g_free (block->cells[i].text);
  g_free (block->cells);
  g_free (block->text);
  g_free (block->sheet_name);
  g_free (block);
}

static void
ld_bulletin_finalize (GObject *object)
{
  LdBulletin *self = (LdBulletin *) object;

  g_clear_object (&self->report);
  g_clear_pointer (&self->year_to_date, g_hash_table_unref);
  g_clear_pointer (&self->cases, g_strfreev);
  g_clear_pointer (&self->problems, g_strfreev);
  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  g_clear_object (&self->layout);

  G_OBJECT_CLASS (ld_bulletin_parent_class)->finalize (object);
}

static void
ld_bulletin_class_init (LdBulletinClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ld_bulletin_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ld_bulletin_init (LdBulletin *self)
{
  self->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
}

/* Words */

/* The moment a case or problem happened, as seed 000 opens one: 11月8日11时01分. */
static char *
format_moment (GTimeZone *tz, gint64 at)
{
  int y, mo, d, h, mi, s;
  ld_time_to_local (at, tz, &y, &mo, &d, &h, &mi, &s);
  /* Translators: month, day, hour and minute of an incident, as a bulletin
   * tells it: "11月8日11时01分" */
  return g_strdup_printf (_("%1$d/%2$d %3$02d:%4$02d"), mo, d, h, mi);
}

/* A later step of the incident received at @since: the time of day, and
 * the date too when the day has turned. */
static char *
format_clock (GTimeZone *tz, gint64 at, gint64 since)
{
  int y, mo, d, h, mi, s, y0, mo0, d0;
  ld_time_to_local (since, tz, &y0, &mo0, &d0, &h, &mi, &s);
  ld_time_to_local (at, tz, &y, &mo, &d, &h, &mi, &s);
  if (y != y0 || mo != mo0 || d != d0)
    return format_moment (tz, at);
  /* Translators: hour and minute, as a bulletin tells them: "15时05分" */
  return g_strdup_printf (_("%1$02d:%2$02d"), h, mi);
}

static char *
period_label (LdReport *report)
{
  GTimeZone *tz = ld_report_get_time_zone (report);
  int y, m;
  if (ld_period_is_month (ld_report_get_period (report), tz, &y, &m))
    /* Translators: a month of the year, as bulletins open: "In month 11, …" */
    return g_strdup_printf (_("month %d"), m);
  return ld_time_format_date (ld_report_get_period (report)->start, tz);
}

/* The report region as the narrative names it: 全市 for the whole center. */
static const char *
scope_label (LdReport *report)
{
  LdReportRegion *scope = ld_report_get_scope (report);
  return scope->parent_code == NULL ? _("the whole city") : scope->name;
}

static char *
join (GPtrArray *items)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < items->len; i++)
    {
      if (i > 0)
        g_string_append (s, C_("list separator", ", "));
      g_string_append (s, g_ptr_array_index (items, i));
    }
  return g_string_free (s, FALSE);
}

/* Targets read as the seeds write them: "14%", "100%", "95.5%". */
static char *
format_target (double target)
{
  char *text = ld_format_rate (target);
  char *dot = strchr (text, '.');

  if (dot && g_str_equal (dot, ".00%"))
    strcpy (dot, "%");
  return text;
}

static gboolean
unit_misses (LdReport *report, const LdReportUnit *u, const char *metric)
{
  g_autoptr(GPtrArray) alerts = ld_report_unit_alerts (report, u);
  return g_ptr_array_find_with_equal_func (alerts, metric, g_str_equal, NULL);
}

/* Blocks */

static LdBulletinBlock *
add_block (LdBulletin *self, LdBulletinBlockKind kind, const char *text)
{
  LdBulletinBlock *block = g_new0 (LdBulletinBlock, 1);

  block->kind = kind;
  block->text = g_strdup (text);
  g_ptr_array_add (self->blocks, block);
  return block;
}

/* Most sentences were written with the line end of the plain-text
 * bulletin; a block holds the sentence alone. */
static void
add_paragraph (LdBulletin *self, const char *text)
{
  g_autofree char *copy = g_strdup (text);
  add_block (self, LD_BULLETIN_PARAGRAPH, g_strchomp (copy));
}

static void
add_paragraph_take (LdBulletin *self, char *text)
{
  add_paragraph (self, text);
  g_free (text);
}

static GArray *
table_new (void)
{
  return g_array_new (FALSE, TRUE, sizeof (LdBulletinCell));
}

static void
cell_text (GArray *table, const char *text)
{
  LdBulletinCell cell = { g_strdup (text ? text : ""), };
  g_array_append_val (table, cell);
}

static void
cell_count (GArray *table, guint count, gboolean alert)
{
  LdBulletinCell cell = { g_strdup_printf ("%u", count), TRUE, FALSE, count, alert };
  g_array_append_val (table, cell);
}

/* A rate or a change; "—" and no number where its base is zero. */
static void
cell_rate (GArray *table, double rate, gboolean alert)
{
  LdBulletinCell cell = { ld_format_rate (rate), !isnan (rate), !isnan (rate), isnan (rate) ? 0 : rate, alert };
  g_array_append_val (table, cell);
}

static void
add_table (LdBulletin *self, GArray *cells, guint n_cols, guint header_rows, const char *caption,
           const char *sheet_name)
{
  LdBulletinBlock *block = add_block (self, LD_BULLETIN_TABLE, caption);

  g_assert (cells->len % n_cols == 0);
  block->sheet_name = g_strdup (sheet_name);
  block->n_cols = n_cols;
  block->n_rows = cells->len / n_cols;
  block->header_rows = header_rows;
  block->cells = (LdBulletinCell *) (gpointer) g_array_free (cells, FALSE);
}

/* The scope and its children: the columns of the seed's tables. */
static GPtrArray *
table_regions (LdReport *report)
{
  GPtrArray *all = ld_report_get_regions (report);
  GPtrArray *regions = g_ptr_array_new ();

  for (guint i = 0; i < all->len; i++)
    {
      LdReportRegion *r = g_ptr_array_index (all, i);
      if (r->depth <= 1)
        g_ptr_array_add (regions, r);
    }
  return regions;
}

static void
region_table (LdBulletin *self, const char *metric, const char *sheet_name)
{
  g_autoptr(GPtrArray) regions = table_regions (self->report);
  GArray *t = table_new ();

  cell_text (t, _("Region"));
  for (guint i = 0; i < regions->len; i++)
    {
      LdReportRegion *r = g_ptr_array_index (regions, i);
      cell_text (t, r->depth == 0 ? scope_label (self->report) : r->name);
    }
  cell_text (t, _("This period"));
  for (guint i = 0; i < regions->len; i++)
    cell_count (t, ld_region_counts_get (&((LdReportRegion *) g_ptr_array_index (regions, i))->now, metric), FALSE);
  cell_text (t, _("YoY"));
  for (guint i = 0; i < regions->len; i++)
    {
      LdReportRegion *r = g_ptr_array_index (regions, i);
      cell_rate (t, ld_change (ld_region_counts_get (&r->now, metric), ld_region_counts_get (&r->yoy, metric)), FALSE);
    }
  add_table (self, t, regions->len + 1, 1, NULL, sheet_name);
}

static char *
risers_sentence (LdReport *report, const char *metric)
{
  g_autoptr(GPtrArray) risers = ld_report_rank_risers (report, metric, 3);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *list = NULL;

  if (risers->len == 0)
    return g_strdup ("");
  for (guint i = 0; i < risers->len; i++)
    g_ptr_array_add (names, ((LdReportRegion *) g_ptr_array_index (risers, i))->name);
  list = join (names);
  return g_strdup_printf (_("The largest rises: %s. "), list);
}

typedef struct {
  const char   *category;
  LdOrderCounts now;
  LdOrderCounts yoy;
} CategorySum;

static int
compare_category_load (gconstpointer a, gconstpointer b)
{
  const CategorySum *ca = a, *cb = b;
  if (ca->now.dispatched != cb->now.dispatched)
    return ca->now.dispatched > cb->now.dispatched ? -1 : 1;
  return g_strcmp0 (ca->category, cb->category);
}

static int
compare_category_fall (gconstpointer a, gconstpointer b)
{
  const CategorySum *ca = a, *cb = b;
  double va = ld_change (ca->now.dispatched, ca->yoy.dispatched);
  double vb = ld_change (cb->now.dispatched, cb->yoy.dispatched);
  if (va != vb)
    return va < vb ? -1 : 1;
  return g_strcmp0 (ca->category, cb->category);
}

static void
section_workload (LdBulletin *self, const char *when, const char *where)
{
  GPtrArray *units = ld_report_get_units (self->report);
  g_autoptr(GArray) sums = g_array_new (FALSE, TRUE, sizeof (CategorySum));
  g_autoptr(GPtrArray) top = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) falls = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *top_text = NULL, *fall_text = NULL;
  LdReportRegion *scope = ld_report_get_scope (self->report);

  for (guint i = 0; i < units->len; i++)
    {
      LdReportUnit *u = g_ptr_array_index (units, i);
      CategorySum *sum = NULL;

      if (g_strcmp0 (u->category, "police") == 0)
        continue;
      for (guint j = 0; j < sums->len && sum == NULL; j++)
        if (g_str_equal (g_array_index (sums, CategorySum, j).category, u->category))
          sum = &g_array_index (sums, CategorySum, j);
      if (sum == NULL)
        {
          CategorySum fresh = { u->category, };
          g_array_append_val (sums, fresh);
          sum = &g_array_index (sums, CategorySum, sums->len - 1);
        }
      ld_order_counts_add (&sum->now, &u->now);
      ld_order_counts_add (&sum->yoy, &u->yoy);
    }

  g_array_sort (sums, compare_category_load);
  for (guint i = 0; i < MIN (3, sums->len); i++)
    {
      CategorySum *c = &g_array_index (sums, CategorySum, i);
      if (c->now.dispatched > 0)
        g_ptr_array_add (top, g_strdup_printf (_("%s %u times"), ld_unit_category_label (c->category),
                                               c->now.dispatched));
    }
  g_array_sort (sums, compare_category_fall);
  for (guint i = 0; i < sums->len && falls->len < 3; i++)
    {
      CategorySum *c = &g_array_index (sums, CategorySum, i);
      double change = ld_change (c->now.dispatched, c->yoy.dispatched);
      g_autofree char *change_text = NULL;

      if (isnan (change) || change >= 0)
        continue;
      change_text = ld_format_change (change);
      g_ptr_array_add (falls, g_strdup_printf (_("%s %u (%s YoY)"), ld_unit_category_label (c->category),
                                               c->now.dispatched, change_text));
    }
  top_text = join (top);
  fall_text = falls->len ? join (falls) : g_strdup (_("none"));
  add_paragraph_take (self, g_strdup_printf (
    _("In %1$s, %2$s carried out %3$u linkage handlings in which linkage units took part. "
      "The largest workloads: %4$s; the largest falls year on year: %5$s.\n"),
    when, where, scope->now.handled_by_units, top_text, fall_text));
}

static void
section_repeat (LdBulletin *self, const char *when, const char *target)
{
  g_autoptr(GPtrArray) busiest = ld_report_rank_units (self->report, "dispatched", TRUE, MAIN_UNITS);
  /* The busiest units in the order of their repeat rates. */
  g_autoptr(GPtrArray) ranked = ld_report_rank_units (self->report, "repeat_rate", TRUE, G_MAXUINT);
  g_autoptr(GPtrArray) main_units = g_ptr_array_new ();
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *list = NULL;
  GArray *t = table_new ();

  for (guint i = 0; i < ranked->len; i++)
    if (g_ptr_array_find (busiest, g_ptr_array_index (ranked, i), NULL))
      g_ptr_array_add (main_units, g_ptr_array_index (ranked, i));
  for (guint i = 0; i < MIN (3, main_units->len); i++)
    {
      LdReportUnit *u = g_ptr_array_index (main_units, i);
      g_autofree char *rate = ld_format_rate (ld_order_counts_rate (&u->now, "repeat_rate"));
      g_ptr_array_add (items, g_strdup_printf (_("%s %s"), u->name, rate));
    }
  list = join (items);
  add_paragraph_take (self, g_strdup_printf (
    _("In %1$s, counting callers who called again 8 minutes to 72 hours later, among the %2$u main "
      "linkage units with the most orders the highest repeat-call rates were: %3$s. Every linkage "
      "unit must keep its repeat-call rate within %4$s.\n"),
    when, main_units->len, list, target));

  cell_text (t, _("Linkage unit"));
  for (guint i = 0; i < main_units->len; i++)
    cell_text (t, ((LdReportUnit *) g_ptr_array_index (main_units, i))->name);
  cell_text (t, _("Orders"));
  for (guint i = 0; i < main_units->len; i++)
    cell_count (t, ((LdReportUnit *) g_ptr_array_index (main_units, i))->now.dispatched, FALSE);
  cell_text (t, _("Repeat calls"));
  for (guint i = 0; i < main_units->len; i++)
    cell_count (t, ((LdReportUnit *) g_ptr_array_index (main_units, i))->now.repeat_calls, FALSE);
  cell_text (t, _("Repeat rate"));
  for (guint i = 0; i < main_units->len; i++)
    {
      LdReportUnit *u = g_ptr_array_index (main_units, i);
      cell_rate (t, ld_order_counts_rate (&u->now, "repeat_rate"), unit_misses (self->report, u, "repeat_rate"));
    }
  add_table (self, t, main_units->len + 1, 1, NULL, _("Repeat calls"));
}

static char *
ranked_list (LdReport *report, const char *metric)
{
  g_autoptr(GPtrArray) ranked = ld_report_rank_units (report, metric, FALSE, 3);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < ranked->len; i++)
    {
      LdReportUnit *u = g_ptr_array_index (ranked, i);
      g_autofree char *rate = ld_format_rate (ld_order_counts_rate (&u->now, metric));
      g_ptr_array_add (items, g_strdup_printf (_("%s %s"), u->name, rate));
    }
  return join (items);
}

static void
section_sign_feedback (LdBulletin *self, const char *when, const char *target)
{
  GPtrArray *units = ld_report_get_units (self->report);
  g_autofree char *sign_text = ranked_list (self->report, "sign_rate");
  g_autofree char *feedback_text = ranked_list (self->report, "feedback_rate");
  GArray *t = table_new ();

  add_paragraph_take (self, g_strdup_printf (
    _("In %1$s, the lowest sign rates of the main linkage units were: %2$s; the lowest feedback "
      "rates: %3$s. Every linkage unit must keep watch, sign and report back so that both rates "
      "reach %4$s.\n"),
    when, sign_text, feedback_text, target));

  cell_text (t, _("Linkage unit"));
  cell_text (t, _("Orders"));
  cell_text (t, _("Sign rate"));
  cell_text (t, _("Feedback rate"));
  for (guint i = 0; i < units->len; i++)
    {
      LdReportUnit *u = g_ptr_array_index (units, i);

      if (u->now.dispatched == 0 || g_strcmp0 (u->category, "police") == 0)
        continue;
      cell_text (t, u->name);
      cell_count (t, u->now.dispatched, FALSE);
      cell_rate (t, ld_order_counts_rate (&u->now, "sign_rate"), unit_misses (self->report, u, "sign_rate"));
      cell_rate (t, ld_order_counts_rate (&u->now, "feedback_rate"),
                 unit_misses (self->report, u, "feedback_rate"));
    }
  add_table (self, t, 4, 1, NULL, _("Sign and feedback"));
}

static void
section_diversions (LdBulletin *self, const char *when, const char *where)
{
  LdReportRegion *scope = ld_report_get_scope (self->report);
  g_autoptr(GPtrArray) regions = table_regions (self->report);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *list = NULL;
  g_autofree char *share = ld_format_rate (ld_rate (scope->now.diverted, scope->now.incidents));
  GArray *t = table_new ();

  for (guint p = 0; p < LD_N_PLATFORMS; p++)
    g_ptr_array_add (items, g_strdup_printf (_("%s %u"), ld_platform_label (ld_platforms[p]),
                                             scope->now.diversions[p]));
  list = join (items);
  add_paragraph_take (self, g_strdup_printf (
    _("In %1$s, the 110 desks of %2$s diverted %3$u non-emergency calls to other platforms, %4$s "
      "of all incidents received. Of these: %5$s.\n"),
    when, where, scope->now.diverted, share, list));

  cell_text (t, _("Region"));
  cell_text (t, _("Platform"));
  for (guint i = 0; i < regions->len; i++)
    {
      LdReportRegion *r = g_ptr_array_index (regions, i);
      cell_text (t, r->depth == 0 ? scope_label (self->report) : r->name);
    }
  for (guint p = 0; p <= LD_N_PLATFORMS; p++)
    {
      const char *label = p == 0 ? _("All diversions") : ld_platform_label (ld_platforms[p - 1]);

      for (guint row = 0; row < 3; row++)
        {
          cell_text (t, row == 0 ? label : "");
          cell_text (t, row == 0 ? _("This period") : row == 1 ? _("YoY") : _("MoM"));
          for (guint i = 0; i < regions->len; i++)
            {
              LdReportRegion *r = g_ptr_array_index (regions, i);
              guint now = p == 0 ? r->now.diverted : r->now.diversions[p - 1];
              const LdRegionCounts *base = row == 1 ? &r->yoy : &r->mom;

              if (row == 0)
                cell_count (t, now, FALSE);
              else
                cell_rate (t, ld_change (now, p == 0 ? base->diverted : base->diversions[p - 1]), FALSE);
            }
        }
    }
  add_table (self, t, regions->len + 2, 1, NULL, _("Diversions"));
}

static void
section_drills (LdBulletin *self, const char *when)
{
  GPtrArray *drills = ld_report_get_drills (self->report);
  GTimeZone *tz = ld_report_get_time_zone (self->report);
  guint late = 0;

  for (guint i = 0; i < drills->len; i++)
    late += ((LdDrillResult *) g_ptr_array_index (drills, i))->late;
  add_paragraph_take (self, g_strdup_printf (
    g_dngettext (GETTEXT_PACKAGE,
                 "In %1$s, %2$u simulated-alarm drill was held; %3$u units did not arrive within the time limit.\n",
                 "In %1$s, %2$u simulated-alarm drills were held; %3$u units did not arrive within the time limit.\n",
                 drills->len),
    when, drills->len, late));

  for (guint i = 0; i < drills->len; i++)
    {
      LdDrillResult *d = g_ptr_array_index (drills, i);
      g_autofree char *date = ld_time_format_date (d->held_at, tz);
      g_autofree char *sheet = g_strdup_printf (_("Drill %u"), i + 1);
      GArray *t = table_new ();

      add_paragraph_take (self, g_strdup_printf (_("%1$s, %2$s: %3$s\n"), date, d->location ? d->location : "",
                                                 d->scenario ? d->scenario : ""));
      cell_text (t, _("Region"));
      for (guint j = 0; j < d->units->len; j++)
        cell_text (t, ((LdDrillResultUnit *) g_ptr_array_index (d->units, j))->name);
      cell_text (t, _("Not on time"));
      cell_text (t, d->region_name);
      for (guint j = 0; j < d->units->len; j++)
        {
          LdDrillResultUnit *du = g_ptr_array_index (d->units, j);
          cell_text (t, du->arrival_text);
          g_array_index (t, LdBulletinCell, t->len - 1).alert = du->late;
        }
      cell_count (t, d->late, d->late > 0);
      add_table (self, t, d->units->len + 2, 1, NULL, sheet);
    }
}

static void
section_roll_calls (LdBulletin *self)
{
  guint calls, answered;

  ld_report_get_roll_calls (self->report, &calls, &answered);
  if (calls == 0)
    add_paragraph (self, _("No roll calls were recorded this period."));
  else if (calls == answered)
    add_paragraph_take (self, g_strdup_printf (
      _("The center called the duty liaisons of the linkage units %u times; every call was answered in time.\n"),
      calls));
  else
    add_paragraph_take (self, g_strdup_printf (
      _("The center called the duty liaisons of the linkage units %1$u times; %2$u calls went unanswered.\n"),
      calls, calls - answered));
}

static void
section_numbered (LdBulletin *self, GStrv items, const char *none)
{
  if (items == NULL || items[0] == NULL)
    {
      add_paragraph (self, none);
      return;
    }
  for (guint i = 0; items[i]; i++)
    /* Translators: a numbered item of the bulletin's list of problems: "1、…" */
    add_paragraph_take (self, g_strdup_printf (C_("problem", "%1$u. %2$s"), i + 1, items[i]));
}

/* Seed 000's attachment: each region's handlings of the month and of the
 * year so far. */
static void
section_attachment (LdBulletin *self)
{
  GPtrArray *regions = ld_report_get_regions (self->report);
  GArray *t = table_new ();

  cell_text (t, _("Region"));
  cell_text (t, _("Linkage handling this month"));
  cell_text (t, "");
  cell_text (t, _("Linkage handling this year"));
  cell_text (t, "");
  cell_text (t, "");
  for (guint i = 0; i < 2; i++)
    {
      cell_text (t, _("Handled"));
      cell_text (t, _("Handled by linkage units"));
    }
  for (guint i = 0; i < regions->len; i++)
    {
      LdReportRegion *r = g_ptr_array_index (regions, i);
      const LdRegionCounts *ytd = g_hash_table_lookup (self->year_to_date, r->code);

      if (r->depth > 1)
        continue;
      cell_text (t, r->depth == 0 ? scope_label (self->report) : r->name);
      cell_count (t, r->now.handled, FALSE);
      cell_count (t, r->now.handled_by_units, FALSE);
      cell_count (t, ytd ? ytd->handled : 0, FALSE);
      cell_count (t, ytd ? ytd->handled_by_units : 0, FALSE);
    }
  add_table (self, t, 5, 2, _("Attachment: linkage handling by region"), _("Attachment"));
}

static void
section_footnotes (LdBulletin *self)
{
  static const char *notes[] = {
    N_("Linkage alarms = linkage incidents received from 110; handled = linkage incidents of any source; YoY and MoM compare with the same period a year before and with the period before."),
    N_("Handled by linkage units = handled incidents with at least one order to a unit other than the police; the attachment counts them for the month and from January 1 to the month's end."),
    N_("Sign rate = orders signed / orders dispatched in the period."),
    N_("Feedback rate = orders with at least one feedback / orders dispatched."),
    N_("Repeat-call rate = orders whose caller called again 8 minutes to 72 hours after the incident / orders dispatched."),
    N_("Diversions = incidents sent to another platform (12345, 114, 96345, the governance platforms); their share is of all incidents received."),
    N_("Drill arrival time = arrival − alarm; a unit is late past its limit (20 minutes unless set)."),
  };

  for (guint i = 0; i < G_N_ELEMENTS (notes); i++)
    add_block (self, LD_BULLETIN_FOOTNOTE, _(notes[i]));
}

static char *
title_text (LdReport *report)
{
  GTimeZone *tz = ld_report_get_time_zone (report);
  const LdPeriod *period = ld_report_get_period (report);
  g_autofree char *when = NULL;
  int y, m;

  if (ld_period_is_month (period, tz, &y, &m))
    /* Translators: the month a bulletin covers: "2023年11月" */
    when = g_strdup_printf (_("%1$d-%2$02d"), y, m);
  else
    when = ld_time_format_date (period->start, tz);
  /* Translators: the bulletin's title: "嘉兴市社会应急联动工作通报(2023年11月)" */
  return g_strdup_printf (_("Social emergency linkage work of %1$s: bulletin (%2$s)"),
                          ld_report_get_scope (report)->name, when);
}

static void
rebuild (LdBulletin *self)
{
  LdReport *report = self->report;
  LdReportRegion *scope = ld_report_get_scope (report);
  GTimeZone *tz = ld_report_get_time_zone (report);
  const LdPeriod *period = ld_report_get_period (report);
  g_autofree char *title = title_text (report);
  g_autofree char *when = period_label (report);
  g_autofree char *yoy_alarms = ld_format_change (ld_change (scope->now.linkage_alarms, scope->yoy.linkage_alarms));
  g_autofree char *yoy_handled = ld_format_change (ld_change (scope->now.handled, scope->yoy.handled));
  g_autofree char *share = ld_format_rate (ld_rate (scope->now.linkage_alarms, scope->now.incidents_110));
  g_autofree char *risers_alarms = risers_sentence (report, "linkage_alarms");
  g_autofree char *risers_handled = risers_sentence (report, "handled");
  g_autofree char *target_repeat = format_target (ld_report_get_target (report, "repeat_rate"));
  g_autofree char *target_sign = format_target (ld_report_get_target (report, "sign_rate"));
  g_autofree char *first = ld_time_format_date (period->start, tz);
  g_autofree char *last = ld_time_format_date (period->end - 24 * 3600 * LD_USEC_PER_S, tz);
  g_autofree char *issued = ld_time_format_date (ld_report_get_generated_at (report), tz);
  g_autofree char *alarms = NULL, *handled = NULL, *period_line = NULL;
  const char *where = scope_label (report);

  g_ptr_array_set_size (self->blocks, 0);
  g_clear_object (&self->layout);

  add_block (self, LD_BULLETIN_TITLE, title);

  add_block (self, LD_BULLETIN_HEADING, _("I. Operations"));
  add_block (self, LD_BULLETIN_SUBHEADING, _("(1) Linkage alarms"));
  alarms = g_strdup_printf (
    _("In %1$s, %2$s received %3$u linkage alarms of all kinds, %4$s year on year, %5$s of the 110 "
      "incidents it handled. "),
    when, where, scope->now.linkage_alarms, yoy_alarms, share);
  add_paragraph_take (self, g_strconcat (alarms, risers_alarms, NULL));
  region_table (self, "linkage_alarms", _("Linkage alarms"));

  add_block (self, LD_BULLETIN_SUBHEADING, _("(2) Linkage incidents handled"));
  handled = g_strdup_printf (
    _("In %1$s, %2$s carried out %3$u emergency linkage handlings (police and linkage units), %4$s "
      "year on year. "),
    when, where, scope->now.handled, yoy_handled);
  add_paragraph_take (self, g_strconcat (handled, risers_handled, NULL));
  region_table (self, "handled", _("Handled"));

  add_block (self, LD_BULLETIN_SUBHEADING, _("(3) Workload of the main linkage units"));
  section_workload (self, when, where);

  add_block (self, LD_BULLETIN_SUBHEADING, _("(4) Repeat-call rates of the main linkage units"));
  section_repeat (self, when, target_repeat);

  add_block (self, LD_BULLETIN_SUBHEADING, _("(5) Sign and feedback rates of the main linkage units"));
  section_sign_feedback (self, when, target_sign);

  add_block (self, LD_BULLETIN_SUBHEADING, _("(6) Diversion to other platforms"));
  section_diversions (self, when, where);

  add_block (self, LD_BULLETIN_SUBHEADING, _("(7) Simulated-alarm drills"));
  section_drills (self, when);

  add_block (self, LD_BULLETIN_HEADING, _("II. Roll call"));
  section_roll_calls (self);

  add_block (self, LD_BULLETIN_HEADING, _("III. Successful cases"));
  if (self->cases == NULL || self->cases[0] == NULL)
    add_paragraph (self, _("No case of joint handling is reported this period."));
  for (guint i = 0; self->cases && self->cases[i]; i++)
    add_paragraph (self, self->cases[i]);

  add_block (self, LD_BULLETIN_HEADING, _("IV. Problems"));
  section_numbered (self, self->problems, _("No unit missed a target this period.\n"));

  add_block (self, LD_BULLETIN_SIGNATURE, ld_report_get_center_name (report));
  add_block (self, LD_BULLETIN_SIGNATURE, issued);
  period_line = g_strdup_printf (_("(Period: %1$s to %2$s)\n"), first, last);
  add_block (self, LD_BULLETIN_SIGNATURE, g_strchomp (period_line));

  section_attachment (self);
  section_footnotes (self);
}

/* Cases and problems proposed from the data */

/* Every unit of the store, by code: a district's incidents bring city
 * units too, which the report (the district's own units) does not hold. */
static GHashTable *
units_by_code (LdStore *store, GError **error)
{
  g_autoptr(GPtrArray) units = ld_store_list_units (store, error);
  GHashTable *by_code;

  if (units == NULL)
    return NULL;
  by_code = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) ld_unit_free);
  /* The table takes the units over from the list. */
  g_ptr_array_set_free_func (units, NULL);
  for (guint i = 0; i < units->len; i++)
    {
      LdUnit *u = g_ptr_array_index (units, i);
      g_hash_table_insert (by_code, u->code, u);
    }
  return by_code;
}

static const char *
unit_name (GHashTable *units, const char *code)
{
  LdUnit *u = g_hash_table_lookup (units, code);
  return u ? u->name : code;
}

static gboolean
is_police (GHashTable *units, const char *code)
{
  LdUnit *u = g_hash_table_lookup (units, code);
  return u && g_strcmp0 (u->category, "police") == 0;
}

static char *
strip_full_stop (const char *text)
{
  char *copy = g_strdup (text ? text : "");

  g_strchomp (copy);
  if (g_str_has_suffix (copy, "。"))
    copy[strlen (copy) - strlen ("。")] = '\0';
  else if (g_str_has_suffix (copy, "."))
    copy[strlen (copy) - 1] = '\0';
  return copy;
}

/* "11月8日11时01分,市社会应急联动指挥中心接报警称,在<address>,<summary>。" */
static char *
call_sentence (LdReport *report, const LdIncident *incident)
{
  g_autofree char *moment = format_moment (ld_report_get_time_zone (report), incident->received_at);
  g_autofree char *summary = strip_full_stop (incident->summary);
  const char *center = ld_report_get_center_name (report);

  /* A summary that names the place already says where. */
  if (incident->address == NULL || *incident->address == '\0' || strstr (summary, incident->address))
    return g_strdup_printf (_("At %1$s, %2$s received a call reporting that %3$s. "), moment, center, summary);
  return g_strdup_printf (_("At %1$s, %2$s received a call reporting that at %3$s, %4$s. "), moment, center,
                          incident->address, summary);
}

static char *
order_units (GHashTable *units, GPtrArray *orders)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < orders->len; i++)
    {
      const char *name = unit_name (units, ((LdOrder *) g_ptr_array_index (orders, i))->unit_code);
      if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
        g_ptr_array_add (names, (gpointer) name);
    }
  return join (names);
}

static char *
case_text (LdReport *report, GHashTable *all_units, const LdIncidentOrders *item)
{
  GTimeZone *tz = ld_report_get_time_zone (report);
  g_autofree char *call = call_sentence (report, item->incident);
  g_autofree char *units = order_units (all_units, item->orders);
  g_autofree char *first_arrival = NULL, *done = NULL;
  gint64 first = G_MAXINT64, last = 0;

  for (guint i = 0; i < item->orders->len; i++)
    {
      LdOrder *o = g_ptr_array_index (item->orders, i);
      first = MIN (first, o->arrived_at - o->dispatched_at);
      last = MAX (last, o->completed_at);
    }
  first_arrival = ld_duration_format (first / LD_USEC_PER_S);
  done = format_clock (tz, last, item->incident->received_at);
  return g_strdup_printf (
    _("%1$s%2$s at once ordered %3$s to the scene for joint handling. Every unit arrived within its "
      "time limit, the first %4$s after the order, and the joint handling was completed at %5$s."),
    call, ld_report_get_center_name (report), units, first_arrival, done);
}

static char *
problem_text (LdReport *report, GHashTable *all_units, const LdIncidentOrders *item)
{
  GTimeZone *tz = ld_report_get_time_zone (report);
  g_autofree char *call = call_sentence (report, item->incident);
  g_autofree char *units = order_units (all_units, item->orders);
  g_autoptr(GPtrArray) at_fault = g_ptr_array_new ();
  g_autofree char *fault_names = NULL;
  GString *text = g_string_new (call);

  if (item->orders->len > 1)
    g_string_append_printf (text, _("%1$s ordered %2$s in turn to go to the scene. "),
                            ld_report_get_center_name (report), units);
  else
    g_string_append_printf (text, _("%1$s ordered %2$s to go to the scene. "),
                            ld_report_get_center_name (report), units);
  for (guint i = 0; i < item->orders->len; i++)
    {
      LdOrder *o = g_ptr_array_index (item->orders, i);
      const char *name = unit_name (all_units, o->unit_code);
      gint64 allowed = o->arrive_due - o->dispatched_at;

      if (is_police (all_units, o->unit_code))
        continue;
      if (o->returned_at)
        {
          g_autofree char *when = format_clock (tz, o->returned_at, item->incident->received_at);
          g_autofree char *reason = strip_full_stop (o->return_reason);
          if (*reason)
            g_string_append_printf (text, _("At %1$s %2$s sent the order back, saying: %3$s. "), when, name, reason);
          else
            g_string_append_printf (text, _("At %1$s %2$s sent the order back. "), when, name);
          if (g_strcmp0 (o->return_ruling, "overruled") == 0)
            {
              g_autofree char *ruling = strip_full_stop (o->return_ruling_reason);
              g_string_append_printf (text, _("%1$s overruled the return: %2$s. "),
                                      ld_report_get_center_name (report), ruling);
            }
          g_ptr_array_add (at_fault, (gpointer) name);
        }
      else if (o->arrived_at && o->arrived_at - o->arrive_due > allowed)
        {
          g_autofree char *when = format_clock (tz, o->arrived_at, item->incident->received_at);
          g_autofree char *late = ld_duration_format ((o->arrived_at - o->arrive_due) / LD_USEC_PER_S);
          g_string_append_printf (text, _("%1$s reached the scene only at %2$s, %3$s past its time limit. "),
                                  name, when, late);
          g_ptr_array_add (at_fault, (gpointer) name);
        }
    }
  fault_names = join (at_fault);
  g_string_append_printf (text, _("%s did not handle the matter in time as the rules require."), fault_names);
  return g_string_free (text, FALSE);
}

static GStrv
propose_cases (LdReport *report, LdStore *store, GError **error)
{
  g_autoptr(GPtrArray) joint = ld_store_list_joint_incidents (store, ld_report_get_period (report),
                                                              ld_report_get_scope (report)->code, MAX_CASES, error);
  g_autoptr(GStrvBuilder) cases = g_strv_builder_new ();
  g_autoptr(GHashTable) units = joint ? units_by_code (store, error) : NULL;

  if (units == NULL)
    return NULL;
  for (guint i = 0; i < joint->len; i++)
    {
      g_autofree char *text = case_text (report, units, g_ptr_array_index (joint, i));
      g_strv_builder_add (cases, text);
    }
  return g_strv_builder_end (cases);
}

static void
string_free (gpointer string)
{
  g_string_free (string, TRUE);
}

static gboolean
same_incident (gconstpointer a, gconstpointer b)
{
  return g_str_equal (((const LdIncidentOrders *) a)->incident->id, ((const LdIncidentOrders *) b)->incident->id);
}

static GStrv
propose_problems (LdReport *report, LdStore *store, GError **error)
{
  g_autoptr(GPtrArray) troubled = ld_store_list_troubled_incidents (store, ld_report_get_period (report),
                                                                    ld_report_get_scope (report)->code,
                                                                    MAX_INCIDENT_PROBLEMS, error);
  GPtrArray *bounced = ld_report_get_bounced_incidents (report);
  g_autoptr(GStrvBuilder) problems = g_strv_builder_new ();
  g_autoptr(GPtrArray) low = g_ptr_array_new ();
  g_autoptr(GPtrArray) repeat = g_ptr_array_new ();
  g_autoptr(GPtrArray) late = g_ptr_array_new_with_free_func (g_free);
  /* A repeat rate means something only over many orders: the problem is
   * raised for the main units of (四), as seed 000 does. */
  g_autoptr(GPtrArray) main_units = ld_report_rank_units (report, "dispatched", TRUE, MAIN_UNITS);
  g_autofree char *target_sign = format_target (ld_report_get_target (report, "sign_rate"));
  g_autofree char *target_repeat = format_target (ld_report_get_target (report, "repeat_rate"));
  static const char *low_metrics[] = { "sign_rate", "feedback_rate" };
  GPtrArray *drills = ld_report_get_drills (report);
  g_autoptr(GHashTable) late_lines = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, string_free);
  g_autoptr(GPtrArray) late_units = g_ptr_array_new ();
  g_autoptr(GHashTable) units = troubled ? units_by_code (store, error) : NULL;

  if (units == NULL)
    return NULL;
  /* Every incident returned twice or more first, then the worst others. */
  for (guint i = 0; i < bounced->len; i++)
    {
      g_autofree char *text = problem_text (report, units, g_ptr_array_index (bounced, i));
      g_strv_builder_add (problems, text);
    }
  for (guint i = 0; i < troubled->len; i++)
    {
      LdIncidentOrders *item = g_ptr_array_index (troubled, i);
      g_autofree char *text = NULL;

      if (g_ptr_array_find_with_equal_func (bounced, item, same_incident, NULL))
        continue;
      text = problem_text (report, units, item);
      g_strv_builder_add (problems, text);
    }

  /* The units that (五) names as the lowest, where they miss the target:
   * a long list of names would say nothing. */
  for (guint m = 0; m < G_N_ELEMENTS (low_metrics); m++)
    {
      g_autoptr(GPtrArray) lowest = ld_report_rank_units (report, low_metrics[m], FALSE, 3);
      for (guint i = 0; i < lowest->len; i++)
        {
          LdReportUnit *u = g_ptr_array_index (lowest, i);
          if (unit_misses (report, u, low_metrics[m]) &&
              !g_ptr_array_find_with_equal_func (low, u->name, g_str_equal, NULL))
            g_ptr_array_add (low, u->name);
        }
    }
  for (guint i = 0; i < main_units->len; i++)
    {
      LdReportUnit *u = g_ptr_array_index (main_units, i);
      if (unit_misses (report, u, "repeat_rate"))
        g_ptr_array_add (repeat, u->name);
    }
  /* Each late unit once, with the drills it was late at. */
  for (guint i = 0; i < drills->len; i++)
    {
      LdDrillResult *d = g_ptr_array_index (drills, i);
      g_autofree char *date = ld_time_format_date (d->held_at, ld_report_get_time_zone (report));

      for (guint j = 0; j < d->units->len; j++)
        {
          LdDrillResultUnit *du = g_ptr_array_index (d->units, j);
          GString *line;

          if (!du->late)
            continue;
          line = g_hash_table_lookup (late_lines, du->code);
          if (line == NULL)
            {
              line = g_string_new (NULL);
              g_hash_table_insert (late_lines, du->code, line);
              g_ptr_array_add (late_units, du);
            }
          else
            g_string_append (line, C_("sublist separator", "; "));
          /* Translators: a drill a unit was late at, in the bulletin's
           * problems: the date, the region and the arrival, e.g.
           * "2020年8月25日瓯海区:未到场" */
          g_string_append_printf (line, _("%1$s in %2$s: %3$s"), date, d->region_name ? d->region_name : "",
                                  du->arrival_text);
        }
    }
  for (guint i = 0; i < late_units->len; i++)
    {
      LdDrillResultUnit *du = g_ptr_array_index (late_units, i);
      GString *line = g_hash_table_lookup (late_lines, du->code);

      g_ptr_array_add (late, g_strdup_printf (_("%s (%s)"), du->name, line->str));
    }

  if (low->len)
    {
      g_autofree char *names = join (low);
      g_autofree char *text = g_strdup_printf (
        _("This period the sign or feedback rates of %1$s were below target. %1$s must examine the "
          "causes and keep watch, sign and report back so that both rates reach %2$s and every order "
          "is closed.\n"),
        names, target_sign);
      g_strv_builder_add (problems, g_strchomp (text));
    }
  if (repeat->len)
    {
      g_autofree char *names = join (repeat);
      g_autofree char *text = g_strdup_printf (
        _("This period the repeat-call rates of %1$s were above %2$s. %1$s must take this seriously, "
          "analyse the causes and act so that the repeat-call rate stays within %2$s.\n"),
        names, target_repeat);
      g_strv_builder_add (problems, g_strchomp (text));
    }
  if (late->len)
    {
      g_autofree char *names = join (late);
      g_autofree char *text = g_strdup_printf (
        _("In the drills of this period, %s did not arrive within the time limit.\n"), names);
      g_strv_builder_add (problems, g_strchomp (text));
    }
  return g_strv_builder_end (problems);
}

LdBulletin *
ld_bulletin_new (LdReport *report, LdStore *store, GError **error)
{
  g_autoptr(LdBulletin) self = g_object_new (LD_TYPE_BULLETIN, NULL);
  GTimeZone *tz = ld_report_get_time_zone (report);
  const LdPeriod *period = ld_report_get_period (report);
  LdPeriod year_to_date;
  int y, mo, d, h, mi, s;

  g_return_val_if_fail (LD_IS_REPORT (report), NULL);
  g_return_val_if_fail (LD_IS_STORE (store), NULL);

  self->report = g_object_ref (report);
  ld_time_to_local (period->start, tz, &y, &mo, &d, &h, &mi, &s);
  year_to_date.start = ld_period_month (tz, y, 1).start;
  year_to_date.end = period->end;
  if (!ld_metrics_compute (store, &year_to_date, ld_report_get_generated_at (report), NULL,
                           &self->year_to_date, error))
    return NULL;
  if ((self->cases = propose_cases (report, store, error)) == NULL ||
      (self->problems = propose_problems (report, store, error)) == NULL)
    return NULL;
  rebuild (self);
  return g_steal_pointer (&self);
}

LdReport *
ld_bulletin_get_report (LdBulletin *self)
{
  g_return_val_if_fail (LD_IS_BULLETIN (self), NULL);
  return self->report;
}

GPtrArray *
ld_bulletin_get_blocks (LdBulletin *self)
{
  g_return_val_if_fail (LD_IS_BULLETIN (self), NULL);
  return self->blocks;
}

GStrv
ld_bulletin_dup_cases (LdBulletin *self)
{
  g_return_val_if_fail (LD_IS_BULLETIN (self), NULL);
  return g_strdupv (self->cases);
}

void
ld_bulletin_set_cases (LdBulletin *self, const char * const *cases)
{
  g_return_if_fail (LD_IS_BULLETIN (self));
  g_strfreev (self->cases);
  self->cases = g_strdupv ((char **) cases);
  rebuild (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

GStrv
ld_bulletin_dup_problems (LdBulletin *self)
{
  g_return_val_if_fail (LD_IS_BULLETIN (self), NULL);
  return g_strdupv (self->problems);
}

void
ld_bulletin_set_problems (LdBulletin *self, const char * const *problems)
{
  g_return_if_fail (LD_IS_BULLETIN (self));
  g_strfreev (self->problems);
  self->problems = g_strdupv ((char **) problems);
  rebuild (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Header cells */

/* In the header rows an empty cell continues the one before it: across
 * from the left first, else down from above, the way seed 000's attachment
 * heads its columns. */
guint *
ld_bulletin_block_header_spans (const LdBulletinBlock *block)
{
  guint n = block->header_rows * block->n_cols;
  guint *spans = g_new0 (guint, 2 * n);

  for (guint i = 0; i < n; i++)
    spans[2 * i] = spans[2 * i + 1] = 1;
  for (guint r = 0; r < block->header_rows; r++)
    for (guint c = 0; c < block->n_cols; c++)
      {
        guint *span = &spans[2 * (r * block->n_cols + c)];
        guint rows = 1, cols = 1;

        if (span[0] == 0 || *ld_bulletin_block_cell (block, r, c)->text == '\0')
          continue;
        while (c + cols < block->n_cols && *ld_bulletin_block_cell (block, r, c + cols)->text == '\0' &&
               spans[2 * (r * block->n_cols + c + cols)] != 0)
          cols++;
        for (gboolean empty = TRUE; empty && r + rows < block->header_rows; )
          {
            for (guint k = 0; k < cols && empty; k++)
              empty = *ld_bulletin_block_cell (block, r + rows, c + k)->text == '\0';
            if (empty)
              rows++;
          }
        for (guint dr = 0; dr < rows; dr++)
          for (guint dc = 0; dc < cols; dc++)
            {
              guint *covered = &spans[2 * ((r + dr) * block->n_cols + c + dc)];
              covered[0] = covered[1] = 0;
            }
        span[0] = rows;
        span[1] = cols;
      }
  return spans;
}

/* Pages: print and preview */

guint
ld_bulletin_paginate (LdBulletin *self, cairo_t *cr, double width, double height)
{
  g_return_val_if_fail (LD_IS_BULLETIN (self), 0);

  g_clear_object (&self->layout);
  self->layout = ld_bulletin_layout_new (self, cr, width, height);
  return ld_bulletin_layout_get_n_pages (self->layout);
}

void
ld_bulletin_draw_page (LdBulletin *self, cairo_t *cr, guint page)
{
  g_return_if_fail (LD_IS_BULLETIN (self));
  g_return_if_fail (self->layout != NULL);

  ld_bulletin_layout_draw_page (self->layout, cr, page);
}

/* The report as a command line or an HTTP client asks for it */

static GBytes *
render_file (LdBulletin *bulletin, const char *format, GError **error)
{
  g_autofree char *template = g_strconcat ("liandong-bulletin-XXXXXX.", format, NULL);
  g_autofree char *path = NULL;
  char *contents;
  gsize length;
  gboolean written;
  int fd = g_file_open_tmp (template, &path, error);

  if (fd < 0)
    return NULL;
  close (fd);
  written = g_str_equal (format, "pdf") ? ld_bulletin_write_pdf (bulletin, path, error)
                                        : ld_bulletin_write_xlsx (bulletin, path, error);
  if (written)
    written = g_file_get_contents (path, &contents, &length, error);
  g_unlink (path);
  return written ? g_bytes_new_take (contents, length) : NULL;
}

GBytes *
ld_bulletin_render (LdReport *report, LdStore *store, const char *format, GError **error)
{
  static const char *formats[] = { "json", "text", "csv", "xlsx", "pdf", NULL };
  g_autoptr(LdBulletin) bulletin = NULL;
  char *text;

  if (format == NULL || !g_strv_contains (formats, format))
    {
      g_set_error (error, LD_STORE_ERROR, LD_STORE_ERROR_INVALID,
                   _("The format must be json, csv, text, xlsx or pdf"));
      return NULL;
    }
  if (g_str_equal (format, "json"))
    text = ld_report_to_json (report);
  else if ((bulletin = ld_bulletin_new (report, store, error)) == NULL)
    return NULL;
  else if (g_str_equal (format, "text"))
    text = ld_bulletin_to_text (bulletin);
  else if (g_str_equal (format, "csv"))
    text = ld_bulletin_to_csv (bulletin);
  else
    return render_file (bulletin, format, error);
  return g_bytes_new_take (text, strlen (text));
}
