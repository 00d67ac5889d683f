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
#include <cairo-pdf.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>
#include <unistd.h>

#include "ld-bulletin.h"
#include "ld-pdf.h"
#include "ld-csv.h"
#include "ld-store.h"
#include "ld-xlsx.h"

/* How many units (四) ranks by repeat rate: seed 000 takes the 11 busiest. */
#define MAIN_UNITS 11
/* Seed 000 tells one case; two leave the choice to whoever issues it. */
#define MAX_CASES 2
/* Incidents among the problems: the few worst, the rest is for the desk. */
#define MAX_INCIDENT_PROBLEMS 2

typedef struct _Piece Piece;
typedef struct _TableLayout TableLayout;

/* A part of a block on one page: lines [first, last) of a text block, or
 * body rows [first, last) of a table under its header rows. */
struct _Piece
{
  guint    block;
  guint    page;
  double   y;
  double   height;
  guint    first, last;
  double   offset;   /* text: the top of line @first in the block's layout */
  gboolean label;    /* a table's caption; for footnotes, the rule and "Notes" above them */
};

struct _LdBulletin
{
  GObject      parent_instance;

  LdReport    *report;
  GHashTable  *year_to_date;   /* region code → LdRegionCounts, January 1 to the period's end */
  GStrv        cases;
  GStrv        problems;
  GPtrArray   *blocks;         /* LdBulletinBlock */

  /* The last pagination: what goes where, for ld_bulletin_draw_page(). */
  double       page_width, page_height;
  guint        n_pages;
  GArray      *pieces;         /* Piece */
  GPtrArray   *tables;         /* TableLayout or NULL, by block */
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
clear_layout (LdBulletin *self)
{
  g_array_set_size (self->pieces, 0);
  g_ptr_array_set_size (self->tables, 0);
  self->n_pages = 0;
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
  g_clear_pointer (&self->pieces, g_array_unref);
  g_clear_pointer (&self->tables, g_ptr_array_unref);

  G_OBJECT_CLASS (ld_bulletin_parent_class)->finalize (object);
}

static void
ld_bulletin_class_init (LdBulletinClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ld_bulletin_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void table_layout_free (TableLayout *layout);

static void
ld_bulletin_init (LdBulletin *self)
{
  self->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
  self->pieces = g_array_new (FALSE, TRUE, sizeof (Piece));
  self->tables = g_ptr_array_new_with_free_func ((GDestroyNotify) table_layout_free);
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
  clear_layout (self);

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

static GStrv
propose_problems (LdReport *report, LdStore *store, GError **error)
{
  g_autoptr(GPtrArray) troubled = ld_store_list_troubled_incidents (store, ld_report_get_period (report),
                                                                    ld_report_get_scope (report)->code,
                                                                    MAX_INCIDENT_PROBLEMS, error);
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
  for (guint i = 0; i < troubled->len; i++)
    {
      g_autofree char *text = problem_text (report, units, g_ptr_array_index (troubled, i));
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

/* Text and CSV */

static const LdBulletinCell *
block_cell (const LdBulletinBlock *block, guint row, guint col)
{
  return &block->cells[row * block->n_cols + col];
}

char *
ld_bulletin_to_text (LdBulletin *self)
{
  GString *out = g_string_new (NULL);
  LdBulletinBlockKind previous = LD_BULLETIN_TITLE;

  g_return_val_if_fail (LD_IS_BULLETIN (self), NULL);

  for (guint i = 0; i < self->blocks->len; i++)
    {
      LdBulletinBlock *block = g_ptr_array_index (self->blocks, i);

      if (i > 0 && block->kind != previous &&
          (block->kind == LD_BULLETIN_HEADING || block->kind == LD_BULLETIN_SIGNATURE ||
           block->kind == LD_BULLETIN_FOOTNOTE || previous == LD_BULLETIN_TITLE ||
           (block->kind == LD_BULLETIN_TABLE && block->text)))
        g_string_append_c (out, '\n');
      if (block->kind == LD_BULLETIN_FOOTNOTE && previous != LD_BULLETIN_FOOTNOTE)
        g_string_append_printf (out, "%s\n", _("Notes"));
      if (block->kind != LD_BULLETIN_TABLE)
        g_string_append_printf (out, "%s\n", block->text);
      else
        {
          if (block->text)
            g_string_append_printf (out, "%s\n", block->text);
          for (guint r = 0; r < block->n_rows; r++)
            {
              for (guint c = 0; c < block->n_cols; c++)
                g_string_append_printf (out, "%s | ", block_cell (block, r, c)->text);
              g_string_truncate (out, out->len - 1);
              g_string_append_c (out, '\n');
            }
        }
      previous = block->kind;
    }
  return g_string_free (out, FALSE);
}

char *
ld_bulletin_to_csv (LdBulletin *self)
{
  GString *out = g_string_new ("\xEF\xBB\xBF");
  gboolean first = TRUE;

  g_return_val_if_fail (LD_IS_BULLETIN (self), NULL);

  for (guint i = 0; i < self->blocks->len; i++)
    {
      LdBulletinBlock *block = g_ptr_array_index (self->blocks, i);

      if (block->kind != LD_BULLETIN_TABLE)
        continue;
      if (!first)
        g_string_append (out, "\r\n");
      first = FALSE;
      ld_csv_append_field (out, block->text ? block->text : block->sheet_name);
      g_string_append (out, "\r\n");
      for (guint r = 0; r < block->n_rows; r++)
        {
          for (guint c = 0; c < block->n_cols; c++)
            {
              const LdBulletinCell *cell = block_cell (block, r, c);
              char buf[G_ASCII_DTOSTR_BUF_SIZE];

              if (c > 0)
                g_string_append_c (out, ',');
              /* Rates as fractions, the way the JSON gives them, so a
               * spreadsheet can compute with them. */
              if (cell->is_rate)
                g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.4f", cell->value));
              else
                ld_csv_append_field (out, cell->text);
            }
          g_string_append (out, "\r\n");
        }
    }
  return g_string_free (out, FALSE);
}

/* Header cells */

/* In the header rows an empty cell continues the one before it: across
 * from the left first, else down from above, the way seed 000's attachment
 * heads its columns. @spans gets each header cell's row span and column
 * span, both 0 for a cell another covers. */
static guint *
header_spans (const LdBulletinBlock *block)
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

        if (span[0] == 0 || *block_cell (block, r, c)->text == '\0')
          continue;
        while (c + cols < block->n_cols && *block_cell (block, r, c + cols)->text == '\0' &&
               spans[2 * (r * block->n_cols + c + cols)] != 0)
          cols++;
        for (gboolean empty = TRUE; empty && r + rows < block->header_rows; )
          {
            for (guint k = 0; k < cols && empty; k++)
              empty = *block_cell (block, r + rows, c + k)->text == '\0';
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

/* XLSX */

/* Columns as wide as their widest text, a CJK character counting two. */
static double
text_width (const char *text)
{
  double width = 0;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return width;
}

typedef struct {
  lxw_format *title, *heading, *paragraph, *signature, *footnote;
  lxw_format *header, *text, *number, *rate, *alert, *alert_rate;
} Formats;

static lxw_format *
cell_format (const Formats *f, const LdBulletinCell *cell)
{
  if (cell->alert)
    return cell->is_rate ? f->alert_rate : f->alert;
  if (cell->is_rate)
    return f->rate;
  return cell->is_number ? f->number : f->text;
}

static lxw_error
write_table_sheet (lxw_worksheet *ws, const LdBulletinBlock *block, const Formats *f)
{
  g_autofree guint *spans = header_spans (block);
  g_autofree double *widths = g_new0 (double, block->n_cols);
  lxw_row_t top = 0;
  lxw_error err = LXW_NO_ERROR;

  if (block->text)
    {
      err = block->n_cols > 1 ? worksheet_merge_range (ws, 0, 0, 0, block->n_cols - 1, block->text, f->heading)
                              : worksheet_write_string (ws, 0, 0, block->text, f->heading);
      top = 1;
    }
  for (guint r = 0; r < block->n_rows && err == LXW_NO_ERROR; r++)
    for (guint c = 0; c < block->n_cols && err == LXW_NO_ERROR; c++)
      {
        const LdBulletinCell *cell = block_cell (block, r, c);

        if (r < block->header_rows)
          {
            guint *span = &spans[2 * (r * block->n_cols + c)];

            if (span[0] == 0)
              continue;
            /* Headers as long as 联动单位直接参与处置量 wrap rather than widen. */
            if (span[1] == 1)
              widths[c] = MAX (widths[c], MIN (text_width (cell->text), 12));
            if (span[0] > 1 || span[1] > 1)
              err = worksheet_merge_range (ws, top + r, c, top + r + span[0] - 1, c + span[1] - 1,
                                           cell->text, f->header);
            else
              err = worksheet_write_string (ws, top + r, c, cell->text, f->header);
            continue;
          }
        widths[c] = MAX (widths[c], text_width (cell->text));
        if (cell->is_number)
          err = worksheet_write_number (ws, top + r, c, cell->value, cell_format (f, cell));
        else
          err = worksheet_write_string (ws, top + r, c, cell->text, cell_format (f, cell));
      }
  for (guint c = 0; c < block->n_cols && err == LXW_NO_ERROR; c++)
    err = worksheet_set_column (ws, c, c, MIN (widths[c] + 2, 40), NULL);
  if (err == LXW_NO_ERROR && block->header_rows > 0)
    worksheet_freeze_panes (ws, top + block->header_rows, 1);
  return err;
}

/* The narrative, one block a row, in a column as wide as a page. */
#define NARRATIVE_WIDTH 100

static lxw_error
write_narrative_sheet (lxw_worksheet *ws, GPtrArray *blocks, const Formats *f)
{
  lxw_row_t row = 0;
  lxw_error err = worksheet_set_column (ws, 0, 0, NARRATIVE_WIDTH, f->paragraph);

  for (guint i = 0; i < blocks->len && err == LXW_NO_ERROR; i++)
    {
      LdBulletinBlock *block = g_ptr_array_index (blocks, i);
      g_autofree char *see = NULL;
      const char *text = block->text;
      lxw_format *format = f->paragraph;
      double lines;

      switch (block->kind)
        {
        case LD_BULLETIN_TITLE: format = f->title; break;
        case LD_BULLETIN_HEADING:
        case LD_BULLETIN_SUBHEADING: format = f->heading; break;
        case LD_BULLETIN_SIGNATURE: format = f->signature; break;
        case LD_BULLETIN_FOOTNOTE: format = f->footnote; break;
        case LD_BULLETIN_PARAGRAPH: break;
        case LD_BULLETIN_TABLE:
          text = see = g_strdup_printf (_("(Table: see the sheet “%s”.)"), block->sheet_name);
          break;
        default:
          g_assert_not_reached ();
        }
      /* Row heights are set, as spreadsheets do not grow a row to its
       * wrapped text on opening. */
      lines = ceil (text_width (text) / (NARRATIVE_WIDTH - 4));
      err = worksheet_set_row (ws, row, MAX (lines, 1) * 16 + 4, NULL);
      if (err == LXW_NO_ERROR)
        err = worksheet_write_string (ws, row++, 0, text, format);
    }
  return err;
}

static lxw_format *
new_format (lxw_workbook *book, gboolean bordered)
{
  lxw_format *format = workbook_add_format (book);

  format_set_font_name (format, "宋体");
  format_set_font_size (format, 11);
  if (bordered)
    {
      format_set_border (format, LXW_BORDER_THIN);
      format_set_align (format, LXW_ALIGN_VERTICAL_CENTER);
    }
  return format;
}

gboolean
ld_bulletin_write_xlsx (LdBulletin *self, const char *path, GError **error)
{
  lxw_workbook *book;
  Formats f;
  lxw_error err = LXW_NO_ERROR;

  g_return_val_if_fail (LD_IS_BULLETIN (self), FALSE);

  book = workbook_new (path);
  if (book == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, _("Cannot create %s: %s"), path,
                   lxw_strerror (LXW_ERROR_MEMORY_MALLOC_FAILED));
      return FALSE;
    }
  f.title = new_format (book, FALSE);
  format_set_bold (f.title);
  format_set_font_size (f.title, 16);
  format_set_align (f.title, LXW_ALIGN_CENTER);
  f.heading = new_format (book, FALSE);
  format_set_bold (f.heading);
  f.paragraph = new_format (book, FALSE);
  format_set_text_wrap (f.paragraph);
  format_set_align (f.paragraph, LXW_ALIGN_VERTICAL_TOP);
  f.signature = new_format (book, FALSE);
  format_set_align (f.signature, LXW_ALIGN_RIGHT);
  f.footnote = new_format (book, FALSE);
  format_set_font_size (f.footnote, 9);
  format_set_text_wrap (f.footnote);
  f.header = new_format (book, TRUE);
  format_set_bold (f.header);
  format_set_text_wrap (f.header);
  format_set_align (f.header, LXW_ALIGN_CENTER);
  format_set_bg_color (f.header, 0xE7E6E6);
  f.text = new_format (book, TRUE);
  f.number = new_format (book, TRUE);
  f.rate = new_format (book, TRUE);
  format_set_num_format (f.rate, "0.00%");
  f.alert = new_format (book, TRUE);
  format_set_bold (f.alert);
  format_set_font_color (f.alert, LXW_COLOR_RED);
  f.alert_rate = new_format (book, TRUE);
  format_set_bold (f.alert_rate);
  format_set_font_color (f.alert_rate, LXW_COLOR_RED);
  format_set_num_format (f.alert_rate, "0.00%");

  err = write_narrative_sheet (workbook_add_worksheet (book, _("Bulletin")), self->blocks, &f);
  for (guint i = 0; i < self->blocks->len && err == LXW_NO_ERROR; i++)
    {
      LdBulletinBlock *block = g_ptr_array_index (self->blocks, i);
      lxw_worksheet *ws;

      if (block->kind != LD_BULLETIN_TABLE)
        continue;
      ws = workbook_add_worksheet (book, block->sheet_name);
      err = ws ? write_table_sheet (ws, block, &f) : LXW_ERROR_SHEETNAME_ALREADY_USED;
    }

  return ld_xlsx_close (book, err, path, error);
}

/* Pages: the PDF, print and preview */

#define MM (72.0 / 25.4)
#define MARGIN (25 * MM)
#define BODY_SIZE 12.0
#define TABLE_SIZE 10.0
#define MIN_TABLE_SIZE 6.0
#define CELL_PAD 3.0
#define SERIF "Noto Serif CJK SC"
#define SANS "Noto Sans CJK SC"

struct _TableLayout
{
  double  size;           /* the font size that lets the table fit the width */
  double *widths;         /* by column */
  double *heights;        /* by row */
  guint  *spans;          /* header_spans() */
  double  caption_height;
};

static void
table_layout_free (TableLayout *layout)
{
  if (layout == NULL)
    return;
  g_free (layout->widths);
  g_free (layout->heights);
  g_free (layout->spans);
  g_free (layout);
}

static double
margin_for (double width)
{
  /* A preview smaller than a page keeps the page's proportions. */
  return MIN (MARGIN, width * MARGIN / 595.28);
}

static PangoFontDescription *
font (const char *family, gboolean bold, double size)
{
  PangoFontDescription *desc = pango_font_description_new ();

  pango_font_description_set_family (desc, family);
  pango_font_description_set_weight (desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
  return desc;
}

static void
set_font (PangoLayout *layout, const char *family, gboolean bold, double size)
{
  g_autoptr(PangoFontDescription) desc = font (family, bold, size);
  pango_layout_set_font_description (layout, desc);
}

/* A text block as it is set on the page, @width wide. */
static PangoLayout *
text_layout (PangoContext *context, const LdBulletinBlock *block, double width, double scale)
{
  PangoLayout *layout = pango_layout_new (context);
  double size = BODY_SIZE * scale;

  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  switch (block->kind)
    {
    case LD_BULLETIN_TITLE:
      set_font (layout, SANS, TRUE, 18 * scale);
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
      pango_layout_set_line_spacing (layout, 1.3);
      break;
    case LD_BULLETIN_HEADING:
      set_font (layout, SANS, TRUE, 13 * scale);
      pango_layout_set_indent (layout, (int) (2 * size * PANGO_SCALE));
      break;
    case LD_BULLETIN_SUBHEADING:
      set_font (layout, SERIF, TRUE, size);
      pango_layout_set_indent (layout, (int) (2 * size * PANGO_SCALE));
      break;
    case LD_BULLETIN_PARAGRAPH:
      set_font (layout, SERIF, FALSE, size);
      /* Chinese documents open each paragraph two characters in. */
      pango_layout_set_indent (layout, (int) (2 * size * PANGO_SCALE));
      pango_layout_set_justify (layout, TRUE);
      pango_layout_set_line_spacing (layout, 1.5);
      break;
    case LD_BULLETIN_SIGNATURE:
      set_font (layout, SERIF, FALSE, size);
      pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
      pango_layout_set_line_spacing (layout, 1.5);
      break;
    case LD_BULLETIN_FOOTNOTE:
      set_font (layout, SERIF, FALSE, 9 * scale);
      pango_layout_set_line_spacing (layout, 1.3);
      break;
    case LD_BULLETIN_TABLE:
    default:
      g_assert_not_reached ();
    }
  pango_layout_set_text (layout, block->text, -1);
  return layout;
}

static PangoLayout *
notes_label_layout (PangoContext *context, double scale)
{
  PangoLayout *layout = pango_layout_new (context);
  set_font (layout, SANS, TRUE, 9.5 * scale);
  pango_layout_set_text (layout, _("Notes"), -1);
  return layout;
}

static gboolean
cell_is_right_aligned (const LdBulletinCell *cell)
{
  return cell->is_number || g_str_equal (cell->text, "—");
}

/* A cell's text, @width wide (0: unwrapped, to measure). */
static PangoLayout *
cell_layout (PangoContext *context, const LdBulletinBlock *block, guint row, guint col, double size,
             double width)
{
  const LdBulletinCell *cell = block_cell (block, row, col);
  PangoLayout *layout = pango_layout_new (context);
  gboolean header = row < block->header_rows;

  set_font (layout, header ? SANS : SERIF, header || cell->alert, size);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_alignment (layout, header ? PANGO_ALIGN_CENTER
                                  : cell_is_right_aligned (cell) ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
    }
  pango_layout_set_text (layout, cell->text, -1);
  return layout;
}

static double
layout_width (PangoLayout *layout)
{
  int w, h;
  pango_layout_get_size (layout, &w, &h);
  return (double) w / PANGO_SCALE;
}

static double
layout_height (PangoLayout *layout)
{
  int w, h;
  pango_layout_get_size (layout, &w, &h);
  return (double) h / PANGO_SCALE;
}

/* The widest word of a cell that may not be broken: Latin words, as
 * Chinese text breaks between any two characters. */
static double
longest_word (PangoContext *context, const LdBulletinBlock *block, guint row, guint col)
{
  g_auto(GStrv) words = g_strsplit (block_cell (block, row, col)->text, " ", -1);
  double widest = 0;

  for (guint i = 0; words[i]; i++)
    {
      gboolean breakable = FALSE;
      g_autoptr(PangoLayout) layout = NULL;

      for (const char *p = words[i]; *p && !breakable; p = g_utf8_next_char (p))
        breakable = g_unichar_iswide (g_utf8_get_char (p));
      if (breakable || *words[i] == '\0')
        continue;
      layout = cell_layout (context, block, row, col, TABLE_SIZE, 0);
      pango_layout_set_text (layout, words[i], -1);
      widest = MAX (widest, layout_width (layout) * 1.04 + 1);
    }
  return widest;
}

static double
span_width (const TableLayout *tl, guint col, guint cols)
{
  double w = 0;
  for (guint c = col; c < col + cols; c++)
    w += tl->widths[c];
  return w;
}

/* Columns share the width: each gets at least what its numbers need (they
 * never wrap) and a few characters of text, the rest goes by natural
 * width. A table that cannot fit so is set smaller. */
static TableLayout *
table_layout_new (PangoContext *context, const LdBulletinBlock *block, double width, double scale)
{
  TableLayout *tl = g_new0 (TableLayout, 1);
  g_autofree double *natural = g_new0 (double, block->n_cols);
  g_autofree double *least = g_new0 (double, block->n_cols);
  double pad = CELL_PAD * scale;
  double sum_natural, sum_least;

  tl->spans = header_spans (block);
  tl->widths = g_new0 (double, block->n_cols);
  tl->heights = g_new0 (double, block->n_rows);

  /* Measured once at the table size; text widths scale with the font. */
  for (guint r = 0; r < block->n_rows; r++)
    for (guint c = 0; c < block->n_cols; c++)
      {
        const LdBulletinCell *cell = block_cell (block, r, c);
        g_autoptr(PangoLayout) layout = NULL;
        double w;

        if (r < block->header_rows && tl->spans[2 * (r * block->n_cols + c) + 1] != 1)
          continue;
        layout = cell_layout (context, block, r, c, TABLE_SIZE, 0);
        /* Glyphs do not scale quite linearly with the size: a little
         * room keeps a number from wrapping its last digit. */
        w = layout_width (layout) * 1.04 + 1;
        natural[c] = MAX (natural[c], w);
        /* Numbers, and short Latin text such as "13 min 22 s", stay on one line. */
        if (cell_is_right_aligned (cell) ||
            (r >= block->header_rows && longest_word (context, block, r, c) > 0 && g_utf8_strlen (cell->text, -1) <= 12))
          least[c] = MAX (least[c], w);
        else
          least[c] = MAX (least[c], MIN (w, MAX ((r < block->header_rows ? 3 : 4) * TABLE_SIZE,
                                                 longest_word (context, block, r, c))));
      }

  for (tl->size = TABLE_SIZE * scale; ; tl->size -= 0.5 * scale)
    {
      double k = tl->size / TABLE_SIZE;

      sum_natural = sum_least = 0;
      for (guint c = 0; c < block->n_cols; c++)
        {
          sum_natural += natural[c] * k + 2 * pad;
          sum_least += least[c] * k + 2 * pad;
        }
      if (sum_least <= width || tl->size <= MIN_TABLE_SIZE * scale)
        break;
    }
  for (guint c = 0; c < block->n_cols; c++)
    {
      double k = tl->size / TABLE_SIZE;
      double n = natural[c] * k + 2 * pad, l = least[c] * k + 2 * pad;

      if (sum_natural <= width)
        tl->widths[c] = n * width / sum_natural;
      else if (sum_least <= width)
        tl->widths[c] = l + (n - l) * (width - sum_least) / (sum_natural - sum_least);
      else
        tl->widths[c] = l * width / sum_least;
    }

  for (guint r = 0; r < block->n_rows; r++)
    for (guint c = 0; c < block->n_cols; c++)
      {
        guint rows = 1, cols = 1;
        g_autoptr(PangoLayout) layout = NULL;
        double need, have = 0;

        if (r < block->header_rows)
          {
            rows = tl->spans[2 * (r * block->n_cols + c)];
            cols = tl->spans[2 * (r * block->n_cols + c) + 1];
            if (rows == 0)
              continue;
          }
        layout = cell_layout (context, block, r, c, tl->size, span_width (tl, c, cols) - 2 * pad);
        need = layout_height (layout) + 2 * pad;
        /* A cell over several rows grows the last of them. */
        for (guint k = r; k < r + rows - 1; k++)
          have += tl->heights[k];
        tl->heights[r + rows - 1] = MAX (tl->heights[r + rows - 1], need - have);
      }

  if (block->text)
    {
      g_autoptr(PangoLayout) caption = pango_layout_new (context);
      set_font (caption, SANS, TRUE, BODY_SIZE * scale);
      pango_layout_set_text (caption, block->text, -1);
      tl->caption_height = layout_height (caption) + 6 * scale;
    }
  return tl;
}

static double
rows_height (const TableLayout *tl, guint first, guint last)
{
  double h = 0;
  for (guint r = first; r < last; r++)
    h += tl->heights[r];
  return h;
}

typedef struct {
  LdBulletin *self;
  double      top, bottom;
  double      y;
  guint       page;
} Cursor;

static void
next_page (Cursor *at)
{
  at->page++;
  at->y = at->top;
}

static Piece *
add_piece (Cursor *at, guint block, double height)
{
  Piece piece = { block, at->page, at->y, height, };

  g_array_append_val (at->self->pieces, piece);
  at->y += height;
  return &g_array_index (at->self->pieces, Piece, at->self->pieces->len - 1);
}

/* Lines of a text block go on while they fit, the rest on the next page. */
static void
place_text (Cursor *at, guint index, PangoLayout *layout, double keep_with_next)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  g_autoptr(GArray) tops = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bottoms = g_array_new (FALSE, FALSE, sizeof (double));
  double total;
  guint first = 0;

  do
    {
      int y0, y1;
      double top, bottom;

      pango_layout_iter_get_line_yrange (iter, &y0, &y1);
      top = (double) y0 / PANGO_SCALE;
      bottom = (double) y1 / PANGO_SCALE;
      g_array_append_val (tops, top);
      g_array_append_val (bottoms, bottom);
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);

  /* A short block goes whole to the next page with what it keeps with;
   * a long one is split where the page ends. */
  total = g_array_index (bottoms, double, bottoms->len - 1);
  if (keep_with_next > 0 && at->y + total + keep_with_next > at->bottom &&
      total + keep_with_next < (at->bottom - at->top) / 3 && at->y > at->top)
    next_page (at);
  while (first < tops->len)
    {
      double offset = g_array_index (tops, double, first);
      guint last = first;
      Piece *piece;

      while (last < tops->len && at->y + g_array_index (bottoms, double, last) - offset <= at->bottom)
        last++;
      if (last == first)
        {
          if (at->y > at->top)
            {
              next_page (at);
              continue;
            }
          last = first + 1;   /* a line taller than a page: it is cut */
        }
      piece = add_piece (at, index, g_array_index (bottoms, double, last - 1) - offset);
      piece->first = first;
      piece->last = last;
      piece->offset = offset;
      first = last;
      if (first < tops->len)
        next_page (at);
    }
}

static void
place_table (Cursor *at, guint index, const LdBulletinBlock *block, const TableLayout *tl)
{
  double header = rows_height (tl, 0, block->header_rows);
  guint first = block->header_rows;
  gboolean caption = block->text != NULL;

  do
    {
      double head = header + (caption ? tl->caption_height : 0);
      guint last = first;
      Piece *piece;

      /* A table starts where its header and a few rows fit: a header
       * with one row under it at a page's foot reads as a mistake. */
      if (at->y + head + rows_height (tl, first, MIN (first + 3, block->n_rows)) > at->bottom && at->y > at->top)
        next_page (at);
      while (last < block->n_rows && at->y + head + rows_height (tl, first, last + 1) <= at->bottom)
        last++;
      if (last == first && first < block->n_rows)
        last = first + 1;
      piece = add_piece (at, index, head + rows_height (tl, first, last));
      piece->first = first;
      piece->last = last;
      piece->label = caption;
      first = last;
      caption = FALSE;
      if (first < block->n_rows)
        next_page (at);
    }
  while (first < block->n_rows);
}

static double keep_after (LdBulletin *self, PangoContext *context, guint index, double width, double scale,
                          double page);

/* The least of block @index that must go on a page for it to start there:
 * a short block whole, with what it keeps with; a long one two lines; a
 * table its header and a few rows. */
static double
start_height (LdBulletin *self, PangoContext *context, guint index, double width, double scale, double page)
{
  LdBulletinBlock *block = g_ptr_array_index (self->blocks, index);
  g_autoptr(PangoLayout) layout = NULL;
  double total, keep;

  if (block->kind == LD_BULLETIN_TABLE)
    {
      const TableLayout *tl = g_ptr_array_index (self->tables, index);
      return (block->text ? tl->caption_height : 0) + rows_height (tl, 0, MIN (block->header_rows + 3, block->n_rows));
    }
  if (block->kind == LD_BULLETIN_SIGNATURE || block->kind == LD_BULLETIN_FOOTNOTE)
    return 0;
  layout = text_layout (context, block, width, scale);
  total = layout_height (layout);
  keep = keep_after (self, context, index, width, scale, page);
  return total + keep < page / 3 ? total + keep : MIN (total, 3 * BODY_SIZE * scale);
}

/* What must follow block @index on its page: a heading is not left alone
 * at the foot of a page, nor the sentence that introduces a table. */
static double
keep_after (LdBulletin *self, PangoContext *context, guint index, double width, double scale, double page)
{
  LdBulletinBlock *block = g_ptr_array_index (self->blocks, index);
  LdBulletinBlock *next = index + 1 < self->blocks->len ? g_ptr_array_index (self->blocks, index + 1) : NULL;

  if (next == NULL)
    return 0;
  if (block->kind == LD_BULLETIN_HEADING || block->kind == LD_BULLETIN_SUBHEADING)
    return 4 * scale + start_height (self, context, index + 1, width, scale, page);
  if (block->kind == LD_BULLETIN_PARAGRAPH && next->kind == LD_BULLETIN_TABLE && next->text == NULL)
    return 2 * scale + start_height (self, context, index + 1, width, scale, page);
  return 0;
}

guint
ld_bulletin_paginate (LdBulletin *self, cairo_t *cr, double width, double height)
{
  PangoContext *context;
  double margin = margin_for (width);
  double scale = margin / MARGIN;
  double text_width = width - 2 * margin;
  Cursor at = { self, margin, height - margin, margin, 0 };

  g_return_val_if_fail (LD_IS_BULLETIN (self), 0);

  clear_layout (self);
  self->page_width = width;
  self->page_height = height;
  context = pango_cairo_create_context (cr);
  g_ptr_array_set_size (self->tables, self->blocks->len);
  for (guint i = 0; i < self->blocks->len; i++)
    {
      LdBulletinBlock *block = g_ptr_array_index (self->blocks, i);
      if (block->kind == LD_BULLETIN_TABLE)
        g_ptr_array_index (self->tables, i) = table_layout_new (context, block, text_width, scale);
    }

  for (guint i = 0; i < self->blocks->len; i++)
    {
      LdBulletinBlock *block = g_ptr_array_index (self->blocks, i);
      LdBulletinBlock *prev = i > 0 ? g_ptr_array_index (self->blocks, i - 1) : NULL;
      g_autoptr(PangoLayout) layout = NULL;

      switch (block->kind)
        {
        case LD_BULLETIN_TABLE:
          at.y += (block->text ? 12 : 2) * scale;
          place_table (&at, i, block, g_ptr_array_index (self->tables, i));
          at.y += 8 * scale;
          break;

        case LD_BULLETIN_SIGNATURE:
          {
            guint n = 0;
            double total = 0;

            /* The center's name, the date and the period stay together. */
            for (guint j = i; j < self->blocks->len; j++, n++)
              {
                LdBulletinBlock *b = g_ptr_array_index (self->blocks, j);
                g_autoptr(PangoLayout) l = NULL;
                if (b->kind != LD_BULLETIN_SIGNATURE)
                  break;
                l = text_layout (context, b, text_width, scale);
                total += layout_height (l);
              }
            at.y += 24 * scale;
            if (at.y + total > at.bottom)
              next_page (&at);
            for (guint j = i; j < i + n; j++)
              {
                g_autoptr(PangoLayout) l = text_layout (context, g_ptr_array_index (self->blocks, j), text_width, scale);
                place_text (&at, j, l, 0);
              }
            i += n - 1;
          }
          break;

        case LD_BULLETIN_FOOTNOTE:
          layout = text_layout (context, block, text_width, scale);
          if (prev == NULL || prev->kind != LD_BULLETIN_FOOTNOTE)
            {
              g_autoptr(PangoLayout) label = notes_label_layout (context, scale);
              double h = layout_height (label) + 10 * scale;

              at.y += 16 * scale;
              if (at.y + h + layout_height (layout) > at.bottom)
                next_page (&at);
              add_piece (&at, i, h)->label = TRUE;
            }
          place_text (&at, i, layout, 0);
          at.y += 2 * scale;
          break;

        case LD_BULLETIN_TITLE:
        case LD_BULLETIN_HEADING:
        case LD_BULLETIN_SUBHEADING:
        case LD_BULLETIN_PARAGRAPH:
          layout = text_layout (context, block, text_width, scale);
          if (block->kind == LD_BULLETIN_HEADING)
            at.y += 10 * scale;
          else if (block->kind == LD_BULLETIN_SUBHEADING)
            at.y += 4 * scale;
          place_text (&at, i, layout, keep_after (self, context, i, text_width, scale, at.bottom - at.top));
          at.y += (block->kind == LD_BULLETIN_TITLE ? 18 : 3) * scale;
          break;

        default:
          g_assert_not_reached ();
        }
    }
  g_object_unref (context);
  self->n_pages = at.page + 1;
  return self->n_pages;
}

static void
set_ink (cairo_t *cr, gboolean alert)
{
  if (alert)
    cairo_set_source_rgb (cr, 0.8, 0.0, 0.0);
  else
    cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
}

static void
draw_cell (cairo_t *cr, PangoContext *context, const LdBulletinBlock *block, const TableLayout *tl,
           guint row, guint col, double x, double y, double w, double h, double scale)
{
  double pad = CELL_PAD * scale;
  g_autoptr(PangoLayout) layout = cell_layout (context, block, row, col, tl->size, w - 2 * pad);

  if (row < block->header_rows)
    {
      cairo_rectangle (cr, x, y, w, h);
      cairo_set_source_rgb (cr, 0.88, 0.88, 0.88);
      cairo_fill (cr);
    }
  cairo_rectangle (cr, x, y, w, h);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, 0.5 * scale);
  cairo_stroke (cr);
  set_ink (cr, block_cell (block, row, col)->alert);
  cairo_move_to (cr, x + pad, y + (h - layout_height (layout)) / 2);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_table_piece (LdBulletin *self, cairo_t *cr, PangoContext *context, const Piece *piece, double left,
                  double scale)
{
  const LdBulletinBlock *block = g_ptr_array_index (self->blocks, piece->block);
  const TableLayout *tl = g_ptr_array_index (self->tables, piece->block);
  double y = piece->y;
  double top;

  if (piece->label)
    {
      g_autoptr(PangoLayout) caption = pango_layout_new (context);
      set_font (caption, SANS, TRUE, BODY_SIZE * scale);
      pango_layout_set_text (caption, block->text, -1);
      set_ink (cr, FALSE);
      cairo_move_to (cr, left, y);
      pango_cairo_show_layout (cr, caption);
      y += tl->caption_height;
    }
  top = y;
  for (guint r = 0; r < block->header_rows; r++)
    {
      double x = left;
      for (guint c = 0; c < block->n_cols; c++)
        {
          guint rows = tl->spans[2 * (r * block->n_cols + c)];
          guint cols = tl->spans[2 * (r * block->n_cols + c) + 1];

          if (rows > 0)
            draw_cell (cr, context, block, tl, r, c, x, y, span_width (tl, c, cols),
                       rows_height (tl, r, r + rows), scale);
          x += tl->widths[c];
        }
      y += tl->heights[r];
    }
  for (guint r = piece->first; r < piece->last; r++)
    {
      double x = left;
      for (guint c = 0; c < block->n_cols; c++)
        {
          guint end = r + 1;

          /* Rows that leave the first column empty belong to the label
           * above them, as the diversion table's YoY and MoM rows do. */
          if (c == 0 && r > piece->first && *block_cell (block, r, 0)->text == '\0')
            {
              x += tl->widths[c];
              continue;
            }
          while (c == 0 && end < piece->last && *block_cell (block, end, 0)->text == '\0')
            end++;
          draw_cell (cr, context, block, tl, r, c, x, y, tl->widths[c], rows_height (tl, r, end), scale);
          x += tl->widths[c];
        }
      y += tl->heights[r];
    }
  /* A firmer frame round the whole, as printed tables have. */
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, 1.0 * scale);
  cairo_rectangle (cr, left, top, span_width (tl, 0, block->n_cols), y - top);
  cairo_stroke (cr);
}

void
ld_bulletin_draw_page (LdBulletin *self, cairo_t *cr, guint page)
{
  PangoContext *context;
  g_autoptr(PangoLayout) number = NULL;
  g_autofree char *number_text = NULL;
  double margin, scale, width;

  g_return_if_fail (LD_IS_BULLETIN (self));
  g_return_if_fail (page < self->n_pages);

  margin = margin_for (self->page_width);
  scale = margin / MARGIN;
  width = self->page_width - 2 * margin;
  context = pango_cairo_create_context (cr);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  for (guint i = 0; i < self->pieces->len; i++)
    {
      const Piece *piece = &g_array_index (self->pieces, Piece, i);
      const LdBulletinBlock *block = g_ptr_array_index (self->blocks, piece->block);

      if (piece->page != page)
        continue;
      if (block->kind == LD_BULLETIN_TABLE)
        draw_table_piece (self, cr, context, piece, margin, scale);
      else if (piece->label)
        {
          g_autoptr(PangoLayout) label = notes_label_layout (context, scale);
          set_ink (cr, FALSE);
          cairo_set_line_width (cr, 0.5 * scale);
          cairo_move_to (cr, margin, piece->y + 2 * scale);
          cairo_line_to (cr, margin + width / 3, piece->y + 2 * scale);
          cairo_stroke (cr);
          cairo_move_to (cr, margin, piece->y + 6 * scale);
          pango_cairo_show_layout (cr, label);
        }
      else
        {
          g_autoptr(PangoLayout) layout = text_layout (context, block, width, scale);

          /* The piece shows its lines of the block and no others. */
          cairo_save (cr);
          cairo_rectangle (cr, margin, piece->y, width, piece->height);
          cairo_clip (cr);
          set_ink (cr, FALSE);
          cairo_move_to (cr, margin, piece->y - piece->offset);
          pango_cairo_show_layout (cr, layout);
          cairo_restore (cr);
        }
    }

  number = pango_layout_new (context);
  set_font (number, SERIF, FALSE, 11 * scale);
  pango_layout_set_width (number, (int) (width * PANGO_SCALE));
  pango_layout_set_alignment (number, PANGO_ALIGN_CENTER);
  /* Chinese official documents number their pages "— 1 —". */
  number_text = g_strdup_printf ("— %u —", page + 1);
  pango_layout_set_text (number, number_text, -1);
  set_ink (cr, FALSE);
  cairo_move_to (cr, margin, self->page_height - margin / 2 - layout_height (number) / 2);
  pango_cairo_show_layout (cr, number);
  cairo_restore (cr);
  g_object_unref (context);
}

#define A4_WIDTH 595.28
#define A4_HEIGHT 841.89

gboolean
ld_bulletin_write_pdf (LdBulletin *self, const char *path, GError **error)
{
  cairo_surface_t *surface;
  cairo_font_options_t *options;
  cairo_t *cr;
  guint n_pages;

  g_return_val_if_fail (LD_IS_BULLETIN (self), FALSE);

  if ((surface = ld_pdf_new (path, A4_WIDTH, A4_HEIGHT, error)) == NULL)
    return FALSE;
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE,
                                  ((LdBulletinBlock *) g_ptr_array_index (self->blocks, 0))->text);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, ld_report_get_center_name (self->report));
  cr = cairo_create (surface);
  /* Text measured as it is printed, not snapped to a screen's pixels. */
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_set_font_options (cr, options);
  cairo_font_options_destroy (options);

  n_pages = ld_bulletin_paginate (self, cr, A4_WIDTH, A4_HEIGHT);
  for (guint p = 0; p < n_pages; p++)
    {
      ld_bulletin_draw_page (self, cr, p);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  return ld_pdf_finish (surface, path, error);
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
