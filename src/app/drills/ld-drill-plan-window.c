/* ld-drill-plan-window.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ld-category-picker.h"
#include "ld-drill-plan-window.h"
#include "ld-map-sources.h"
#include "ld-map-view.h"
#include "ld-read-failure.h"
#include "ld-recommend.h"

/* Units offered while typing: enough to pick from, few enough to see. */
#define MAX_MATCHES 8

struct _LdDrillPlanWindow
{
  AdwWindow     parent_instance;

  AdwComboRow  *region_row;
  AdwEntryRow  *location_row;
  AdwActionRow *point_row;
  AdwEntryRow  *scenario_row;
  AdwEntryRow  *held_at_row;
  LdCategoryPicker *category_picker;
  GtkListBox   *unit_list;
  AdwEntryRow  *search_row;
  GtkListBox   *match_list;
  GtkLabel     *message_label;
  GtkButton    *plan_button;
  LdMapView    *map;
  LdReadFailure *failure;

  LdSyncEngine *engine;
  GPtrArray    *region_codes;
  GHashTable   *region_names;    /* code -> name */
  GPtrArray    *units;           /* LdUnit, every active one */

  gboolean      has_point;
  double        lat, lon;
};

G_DEFINE_FINAL_TYPE (LdDrillPlanWindow, ld_drill_plan_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  PLANNED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_message (LdDrillPlanWindow *self, const char *message)
{
  gtk_label_set_label (self->message_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), TRUE);
}

static void
clear_list (GtkListBox *list)
{
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (list)));)
    gtk_list_box_remove (list, child);
}

static const char *
chosen_region (LdDrillPlanWindow *self)
{
  guint i = adw_combo_row_get_selected (self->region_row);

  return i < self->region_codes->len ? g_ptr_array_index (self->region_codes, i) : NULL;
}

static gboolean
is_expected (LdDrillPlanWindow *self, const char *code)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->unit_list)); row;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "ld-unit"), code) == 0)
      return TRUE;
  return FALSE;
}

static char *
unit_subtitle (LdDrillPlanWindow *self, const LdUnit *u)
{
  const char *region_name = g_hash_table_lookup (self->region_names, u->region_code);

  /* Translators: a unit's line: its kind, tier and region, e.g. "Fire and rescue · tier 1 · 南湖区" */
  return g_strdup_printf (_("%s · tier %d · %s"), ld_unit_category_label (u->category), u->tier,
                          region_name ? region_name : u->region_code);
}

/* An empty boxed list would draw as a stray line. */
static void
update_unit_list (LdDrillPlanWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->unit_list), gtk_widget_get_first_child (GTK_WIDGET (self->unit_list)) != NULL);
}

static void
on_remove_unit (GtkButton *button, LdDrillPlanWindow *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);

  gtk_list_box_remove (self->unit_list, row);
  update_unit_list (self);
}

static void
add_unit (LdDrillPlanWindow *self, const LdUnit *u)
{
  LdStore *store = ld_sync_engine_get_store (self->engine);
  GtkWidget *row = adw_action_row_new ();
  int limit_s = ld_store_get_drill_limit (store, u->code);
  GtkWidget *spin = gtk_spin_button_new_with_range (1, 240, 1);
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  g_autofree char *subtitle = unit_subtitle (self, u);

  if (is_expected (self, u->code))
    return;
  /* Names as typed, never read as markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), u->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), round (limit_s / 60.0));
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (spin, _("Limit in minutes"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove the Unit"));
  gtk_widget_add_css_class (remove, "flat");
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_unit), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  g_object_set_data_full (G_OBJECT (row), "ld-unit", g_strdup (u->code), g_free);
  g_object_set_data (G_OBJECT (row), "ld-spin", spin);
  /* A limit left as proposed stays exactly the setting, seconds and all. */
  g_object_set_data (G_OBJECT (row), "ld-default-limit", GINT_TO_POINTER (limit_s));
  gtk_list_box_append (self->unit_list, row);
  update_unit_list (self);
}

/* The kind of incident the scenario plays proposes the units the
 * responsibility list would send there; they replace the list, which the
 * inspector edits afterwards. */
static void
propose_units (LdDrillPlanWindow *self)
{
  const LdCategory *category = ld_category_picker_get_category (self->category_picker);
  g_autoptr(GPtrArray) units = NULL;
  g_autoptr(GError) error = NULL;

  if (self->engine == NULL || category == NULL)
    return;
  units = ld_recommend_units (ld_sync_engine_get_store (self->engine),
                              category->code, chosen_region (self), &error);
  if (units == NULL)
    {
      show_message (self, error->message);
      return;
    }
  clear_list (self->unit_list);
  for (guint j = 0; j < units->len; j++)
    add_unit (self, g_ptr_array_index (units, j));
  update_unit_list (self);
}

static void
on_region_selected (LdDrillPlanWindow *self)
{
  propose_units (self);
}

static void
on_category_selected (LdDrillPlanWindow *self)
{
  propose_units (self);
}

static void
on_location_clicked (LdDrillPlanWindow *self, double lat, double lon)
{
  LdStore *store = ld_sync_engine_get_store (self->engine);
  const char *region = ld_store_region_for_point (store, lat, lon);
  g_autofree char *where = g_strdup_printf ("%.5f, %.5f", lat, lon);

  self->has_point = TRUE;
  self->lat = lat;
  self->lon = lon;
  ld_map_view_set_pin (self->map, TRUE, lat, lon);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->point_row), where);
  gtk_widget_remove_css_class (GTK_WIDGET (self->point_row), "dim-label");
  for (guint i = 0; region && i < self->region_codes->len; i++)
    if (g_str_equal (g_ptr_array_index (self->region_codes, i), region))
      adw_combo_row_set_selected (self->region_row, i);
}

static void
on_search_changed (LdDrillPlanWindow *self)
{
  g_autofree char *query = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_row))));
  guint n = 0;

  clear_list (self->match_list);
  for (guint i = 0; *query && i < self->units->len && n < MAX_MATCHES; i++)
    {
      const LdUnit *u = g_ptr_array_index (self->units, i);
      GtkWidget *row;
      g_autofree char *subtitle = NULL;

      if (u->inactive || is_expected (self, u->code) ||
          !(strstr (u->name, query) || g_ascii_strncasecmp (u->code, query, strlen (query)) == 0))
        continue;
      row = adw_action_row_new ();
      subtitle = unit_subtitle (self, u);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), u->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("list-add-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data (G_OBJECT (row), "ld-unit", (gpointer) u);
      gtk_list_box_append (self->match_list, row);
      n++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->match_list), n > 0);
}

static void
on_match_activated (LdDrillPlanWindow *self, GtkListBoxRow *row)
{
  add_unit (self, g_object_get_data (G_OBJECT (row), "ld-unit"));
  gtk_editable_set_text (GTK_EDITABLE (self->search_row), "");
}

/* Enter takes the first match. */
static void
on_search_activated (LdDrillPlanWindow *self)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->match_list, 0);

  if (first)
    on_match_activated (self, first);
}

static void
set_text (JsonObject *fields, const char *name, AdwEntryRow *row)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (*text)
    json_object_set_string_member (fields, name, text);
}

static void
on_plan (LdDrillPlanWindow *self)
{
  LdStore *store = ld_sync_engine_get_store (self->engine);
  g_autoptr(JsonObject) op = json_object_new ();
  JsonObject *fields = json_object_new ();
  JsonArray *units = json_array_new ();
  g_autofree char *id = ld_id_new (ld_time_now ());
  g_autofree char *held_text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->held_at_row))));
  g_autofree char *held_iso = NULL;
  g_autoptr(GError) error = NULL;
  const char *region = chosen_region (self);
  gint64 held_at;

  json_object_set_string_member (op, "entity", "drill");
  json_object_set_string_member (op, "entity_id", id);
  json_object_set_string_member (op, "action", "plan");
  json_object_set_object_member (op, "fields", fields);
  json_object_set_array_member (fields, "units", units);
  if (region == NULL)
    {
      show_message (self, _("Choose the region of the drill"));
      return;
    }
  if (!ld_time_parse (held_text, ld_store_get_time_zone (store), &held_at, &error))
    {
      show_message (self, _("Write the planned time as 2020-08-25 09:30"));
      gtk_widget_grab_focus (GTK_WIDGET (self->held_at_row));
      return;
    }
  held_iso = ld_time_format_iso (held_at, ld_store_get_time_zone (store));
  json_object_set_string_member (fields, "region_code", region);
  json_object_set_string_member (fields, "held_at", held_iso);
  set_text (fields, "location", self->location_row);
  set_text (fields, "scenario", self->scenario_row);
  if (self->has_point)
    {
      json_object_set_double_member (fields, "lat", self->lat);
      json_object_set_double_member (fields, "lon", self->lon);
    }
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->unit_list)); row;
       row = gtk_widget_get_next_sibling (row))
    {
      JsonObject *unit = json_object_new ();
      int minutes = gtk_spin_button_get_value_as_int (g_object_get_data (G_OBJECT (row), "ld-spin"));
      int proposed = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "ld-default-limit"));

      json_object_set_string_member (unit, "unit_code", g_object_get_data (G_OBJECT (row), "ld-unit"));
      json_object_set_int_member (unit, "limit_s", minutes == (int) round (proposed / 60.0) ? proposed : minutes * 60);
      json_array_add_object_element (units, unit);
    }
  if (json_array_get_length (units) == 0)
    {
      show_message (self, _("A drill needs at least one unit"));
      return;
    }
  if (!ld_sync_engine_submit (self->engine, op, &error))
    {
      show_message (self, error->message);
      return;
    }
  g_signal_emit (self, signals[PLANNED], 0, id);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* The regions, categories and units the plan is made of, read again on
 * "retry". */
static void
load_reference (LdDrillPlanWindow *self)
{
  LdStore *store = ld_sync_engine_get_store (self->engine);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) regions = ld_store_list_regions (store, &error);
  g_autoptr(GPtrArray) categories = regions ? ld_store_list_categories (store, &error) : NULL;
  g_autoptr(GPtrArray) units = categories ? ld_store_list_units (store, &error) : NULL;
  g_autoptr(GtkStringList) region_names = gtk_string_list_new (NULL);

  ld_read_failure_set_error (self->failure, _("The regions, categories and units"), error);
  g_ptr_array_set_size (self->region_codes, 0);
  g_hash_table_remove_all (self->region_names);
  for (guint i = 0; regions && i < regions->len; i++)
    {
      LdRegion *r = g_ptr_array_index (regions, i);

      g_ptr_array_add (self->region_codes, g_strdup (r->code));
      g_hash_table_insert (self->region_names, g_strdup (r->code), g_strdup (r->name));
      gtk_string_list_append (region_names, r->name);
    }
  adw_combo_row_set_model (self->region_row, G_LIST_MODEL (region_names));

  if (categories == NULL)
    categories = g_ptr_array_new ();
  ld_category_picker_set_categories (self->category_picker, categories);

  /* The matches point into the list: they go with it. */
  gtk_editable_set_text (GTK_EDITABLE (self->search_row), "");
  g_ptr_array_unref (self->units);
  self->units = units ? g_steal_pointer (&units) : g_ptr_array_new ();
}

LdSyncEngine *
ld_drill_plan_window_get_engine (LdDrillPlanWindow *self)
{
  g_return_val_if_fail (LD_IS_DRILL_PLAN_WINDOW (self), NULL);

  return self->engine;
}

void
ld_drill_plan_window_set_engine (LdDrillPlanWindow *self, LdSyncEngine *engine)
{
  g_return_if_fail (LD_IS_DRILL_PLAN_WINDOW (self));
  g_return_if_fail (engine == NULL || LD_IS_SYNC_ENGINE (engine));

  if (!g_set_object (&self->engine, engine))
    return;
  if (engine)
    load_reference (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

static void
ld_drill_plan_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, LD_DRILL_PLAN_WINDOW (object)->engine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_drill_plan_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ENGINE:
      ld_drill_plan_window_set_engine (LD_DRILL_PLAN_WINDOW (object), g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_drill_plan_window_dispose (GObject *object)
{
  LdDrillPlanWindow *self = LD_DRILL_PLAN_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_DRILL_PLAN_WINDOW);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->region_codes, g_ptr_array_unref);
  g_clear_pointer (&self->region_names, g_hash_table_unref);
  g_clear_pointer (&self->units, g_ptr_array_unref);

  G_OBJECT_CLASS (ld_drill_plan_window_parent_class)->dispose (object);
}

static void
ld_drill_plan_window_class_init (LdDrillPlanWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_drill_plan_window_dispose;
  object_class->get_property = ld_drill_plan_window_get_property;
  object_class->set_property = ld_drill_plan_window_set_property;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, LD_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PLANNED] =
    g_signal_new ("planned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (LD_TYPE_MAP_VIEW);
  g_type_ensure (LD_TYPE_CATEGORY_PICKER);
  g_type_ensure (LD_TYPE_READ_FAILURE);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-drill-plan-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LdDrillPlanWindow, region_row);
  gtk_widget_class_bind_template_child (widget_class, LdDrillPlanWindow, location_row);
  gtk_widget_class_bind_template_child (widget_class, LdDrillPlanWindow, point_row);
  gtk_widget_class_bind_template_child (widget_class, LdDrillPlanWindow, scenario_row);
  gtk_widget_class_bind_template_child (widget_class, LdDrillPlanWindow, held_at_row);
  gtk_widget_class_bind_template_child (widget_class, LdDrillPlanWindow, category_picker);
  gtk_widget_class_bind_template_child (widget_class, LdDrillPlanWindow, unit_list);
  gtk_widget_class_bind_template_child (widget_class, LdDrillPlanWindow, search_row);
  gtk_widget_class_bind_template_child (widget_class, LdDrillPlanWindow, match_list);
  gtk_widget_class_bind_template_child (widget_class, LdDrillPlanWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, LdDrillPlanWindow, plan_button);
  gtk_widget_class_bind_template_child (widget_class, LdDrillPlanWindow, map);
  gtk_widget_class_bind_template_child (widget_class, LdDrillPlanWindow, failure);
  gtk_widget_class_bind_template_callback (widget_class, load_reference);
  gtk_widget_class_bind_template_callback (widget_class, on_plan);
  gtk_widget_class_bind_template_callback (widget_class, on_region_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_category_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_location_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_match_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ld_drill_plan_window_init (LdDrillPlanWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->region_codes = g_ptr_array_new_with_free_func (g_free);
  self->region_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->units = g_ptr_array_new ();
}

LdDrillPlanWindow *
ld_drill_plan_window_new (GtkWindow *parent, LdSyncEngine *engine)
{
  LdDrillPlanWindow *self = g_object_new (LD_TYPE_DRILL_PLAN_WINDOW, "transient-for", parent, "engine", engine, NULL);
  LdStore *store = ld_sync_engine_get_store (engine);
  g_autoptr(ShumateMapSource) basemap = ld_map_sources_new_offline (store);
  g_autofree char *now = ld_time_format (ld_time_now (), ld_store_get_time_zone (store));

  /* Minutes: the seconds of "now" would only be noise in a plan. */
  now[16] = '\0';
  gtk_editable_set_text (GTK_EDITABLE (self->held_at_row), now);

  ld_map_view_set_map_source (self->map, basemap, LD_DATUM_WGS84);
  ld_map_view_show_regions (self->map, store);
  ld_map_view_set_legend_visible (self->map, FALSE);

  gtk_widget_grab_focus (GTK_WIDGET (self->location_row));
  return self;
}
