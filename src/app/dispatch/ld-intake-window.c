/* ld-intake-window.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>

#include "ld-category-picker.h"
#include "ld-intake-window.h"
#include "ld-map-sources.h"
#include "ld-map-view.h"
#include "ld-nearby.h"
#include "ld-read-failure.h"
#include "ld-recommend.h"

struct _LdIntakeWindow
{
  AdwWindow     parent_instance;

  AdwComboRow  *source_row;
  AdwEntryRow  *phone_row;
  AdwActionRow *repeat_row;
  AdwActionRow *nearby_row;
  AdwActionRow *jurisdiction_row;
  AdwComboRow  *region_row;
  LdCategoryPicker *category_picker;
  AdwPreferencesGroup *units_group;
  GtkListBox   *unit_list;
  AdwEntryRow  *address_row;
  AdwEntryRow  *summary_row;
  GtkButton    *record_button;
  GtkLabel     *message_label;
  LdMapView    *map;
  LdReadFailure *reference_failure;
  LdReadFailure *calls_failure;
  LdReadFailure *nearby_failure;

  LdSyncEngine *engine;
  GPtrArray    *region_codes;    /* NULL first: not known yet */
  GHashTable   *region_names;    /* code -> name */
  const LdCategory *category;    /* the one chosen, or NULL */

  /* The place clicked on the map, and the region holding it (NULL:
   * outside every region). */
  gboolean      has_point;
  gboolean      recorded;      /* the incident went in: Record (or Enter) must not make a second */
  double        lat, lon;
  char         *point_region;
};

G_DEFINE_FINAL_TYPE (LdIntakeWindow, ld_intake_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  RECORDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const sources[] = { "110", "12345", "96345", "grid", "inspection", "other" };

static void
show_message (LdIntakeWindow *self, const char *message)
{
  gtk_label_set_label (self->message_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), TRUE);
}

/* The same phone within 72 h is a repeat call (seed 000 counts them
 * against the center): the dispatcher sees the earlier calls at once. */
static void
on_phone_changed (LdIntakeWindow *self)
{
  g_autofree char *phone = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->phone_row))));
  LdStore *store;
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GString) earlier = g_string_new (NULL);
  g_autofree char *title = NULL;
  g_autoptr(GError) error = NULL;

  if (self->engine == NULL)
    return;
  store = ld_sync_engine_get_store (self->engine);
  if (strlen (phone) >= 5)
    calls = ld_store_list_calls_before (store, phone, ld_time_now () + 1, &error);
  ld_read_failure_set_error (self->calls_failure, _("The earlier calls from this number"), error);
  if (calls == NULL || calls->len == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->repeat_row), FALSE);
      return;
    }
  for (guint i = 0; i < MIN (calls->len, 5); i++)
    {
      const LdIncident *inc = g_ptr_array_index (calls, i);
      g_autofree char *when = ld_time_format_short (inc->received_at, ld_store_get_time_zone (store));
      g_autofree char *line = g_strdup_printf ("%s %s · %s", when, inc->summary ? inc->summary : "",
                                               ld_incident_state_label (inc->state));

      g_string_append_printf (earlier, "%s%s", i ? "\n" : "", line);
    }
  title = g_strdup_printf (ngettext ("Repeat caller: %u call in the last 72 hours",
                                     "Repeat caller: %u calls in the last 72 hours", calls->len), calls->len);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->repeat_row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->repeat_row), earlier->str);
  gtk_widget_set_visible (GTK_WIDGET (self->repeat_row), TRUE);
}

static void
set_text (JsonObject *fields, const char *name, AdwEntryRow *row)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (*text)
    json_object_set_string_member (fields, name, text);
}

/* A point on the map wins over the combo: jurisdiction is the map's. */
static const char *
jurisdiction (LdIntakeWindow *self)
{
  guint region = adw_combo_row_get_selected (self->region_row);

  if (self->has_point && self->point_region)
    return self->point_region;
  if (self->region_codes && region < self->region_codes->len)
    return g_ptr_array_index (self->region_codes, region);
  return NULL;
}

static gboolean
is_diverted (LdIntakeWindow *self)
{
  return self->category && g_strcmp0 (self->category->mode, "divert") == 0;
}

static void
clear_list (GtkListBox *list)
{
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (list)));)
    gtk_list_box_remove (list, child);
}

/* The units the responsibility list names for the matter and the place,
 * ticked as its mode says: the first for an immediate matter, all for a
 * joint one. */
static void
update_units (LdIntakeWindow *self)
{
  LdStore *store = ld_sync_engine_get_store (self->engine);
  const char *region = jurisdiction (self);
  g_autoptr(GPtrArray) units = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;

  clear_list (self->unit_list);
  gtk_widget_set_visible (GTK_WIDGET (self->unit_list), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->units_group), self->category != NULL);
  if (self->category == NULL)
    return;
  if (is_diverted (self))
    {
      /* Translators: %s is a platform, e.g. "12345 government hotline" */
      description = g_strdup_printf (_("Diverted to the %s: no unit is dispatched."),
                                     self->category->platform ? ld_platform_label (self->category->platform) : "");
      adw_preferences_group_set_description (self->units_group, description);
      return;
    }
  if (region == NULL)
    {
      adw_preferences_group_set_description (self->units_group,
                                             _("Mark the place on the map or choose the region to see the responsible units."));
      return;
    }
  units = ld_recommend_units (store, self->category->code, region, &error);
  if (units == NULL)
    {
      /* A group's description is markup; the reason may quote the list. */
      g_autofree char *reason = g_markup_escape_text (error->message, -1);

      adw_preferences_group_set_description (self->units_group, reason);
      return;
    }
  if (units->len == 0)
    {
      adw_preferences_group_set_description (self->units_group,
                                             _("No active unit is responsible here: dispatch from the board once recorded."));
      return;
    }
  adw_preferences_group_set_description (self->units_group,
                                         _("The ticked units are dispatched when the incident is recorded."));
  for (guint i = 0; i < units->len; i++)
    {
      const LdUnit *u = g_ptr_array_index (units, i);
      const char *region_name = g_hash_table_lookup (self->region_names, u->region_code);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      g_autofree char *subtitle = NULL;

      /* Translators: a recommended unit's line: its kind, tier and region, e.g. "Fire and rescue · tier 1 · 南湖区" */
      subtitle = g_strdup_printf (_("%s · tier %d · %s"), ld_unit_category_label (u->category), u->tier,
                                  region_name ? region_name : u->region_code);
      /* Names as typed, never read as markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), u->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   g_str_equal (self->category->mode, "joint") || i == 0);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_object_set_data_full (G_OBJECT (row), "ld-unit", g_strdup (u->code), g_free);
      g_object_set_data (G_OBJECT (row), "ld-check", check);
      gtk_list_box_append (self->unit_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->unit_list), TRUE);
}

static void
on_region_selected (LdIntakeWindow *self)
{
  if (self->engine)
    update_units (self);
}

static void
show_place (LdIntakeWindow *self)
{
  g_autofree char *title = NULL;
  g_autofree char *where = NULL;
  const char *name = self->point_region ? g_hash_table_lookup (self->region_names, self->point_region) : NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->jurisdiction_row), self->has_point);
  /* The combo is for a call with no place; a place decides for itself. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->region_row), !(self->has_point && self->point_region));
  if (!self->has_point)
    return;
  if (self->point_region)
    /* Translators: the region holding the point clicked, e.g. "Jurisdiction: 南湖区 (from the map)" */
    title = g_strdup_printf (_("Jurisdiction: %s (from the map)"), name ? name : self->point_region);
  else
    title = g_strdup (_("Outside every region on the map: choose the region"));
  where = g_strdup_printf ("%.5f, %.5f", self->lat, self->lon);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->jurisdiction_row), title);
  adw_action_row_set_subtitle (self->jurisdiction_row, where);
  if (self->point_region)
    for (guint i = 0; i < self->region_codes->len; i++)
      if (g_strcmp0 (g_ptr_array_index (self->region_codes, i), self->point_region) == 0)
        adw_combo_row_set_selected (self->region_row, i);
}

/* A second call about one event comes from a second caller: the open
 * incidents near the place, lately, are said before a second is made. */
static void
show_nearby (LdIntakeWindow *self)
{
  LdStore *store = ld_sync_engine_get_store (self->engine);
  g_autoptr(GPtrArray) near = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autofree char *title = NULL;
  guint n;

  if (self->has_point)
    near = ld_nearby_incidents (store, self->lat, self->lon, ld_time_now (), &error);
  ld_read_failure_set_error (self->nearby_failure, _("The open incidents nearby"), error);
  n = near ? near->len : 0;
  gtk_widget_set_visible (GTK_WIDGET (self->nearby_row), n > 0);
  if (n == 0)
    return;
  for (guint i = 0; i < MIN (n, 5); i++)
    {
      const LdNearbyIncident *nearby = g_ptr_array_index (near, i);
      const LdIncident *inc = nearby->incident;
      g_autofree char *when = ld_time_format_short (inc->received_at, ld_store_get_time_zone (store));
      g_autofree char *line = g_strdup_printf ("%s · %.0f m · %s · %s", when, nearby->metres,
                                               inc->summary ? inc->summary : "",
                                               ld_incident_state_label (inc->state));

      g_string_append_printf (lines, "%s%s", i ? "\n" : "", line);
    }
  title = g_strdup_printf (ngettext ("%u open incident within 500 m in the last 2 hours: the same event?",
                                     "%u open incidents within 500 m in the last 2 hours: the same event?", n),
                           n);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->nearby_row), title);
  adw_action_row_set_subtitle (self->nearby_row, lines->str);
}

/* Jurisdiction read off the map, never argued by phone (seed 000: 由拳路). */
static void
on_location_clicked (LdIntakeWindow *self, double lat, double lon)
{
  LdStore *store = ld_sync_engine_get_store (self->engine);

  self->has_point = TRUE;
  self->lat = lat;
  self->lon = lon;
  g_free (self->point_region);
  self->point_region = g_strdup (ld_store_region_for_point (store, lat, lon));
  ld_map_view_set_pin (self->map, TRUE, lat, lon);
  show_place (self);
  show_nearby (self);
  update_units (self);
}

static void
on_clear_place (LdIntakeWindow *self)
{
  self->has_point = FALSE;
  g_clear_pointer (&self->point_region, g_free);
  ld_map_view_set_pin (self->map, FALSE, 0, 0);
  show_place (self);
  show_nearby (self);
  update_units (self);
}

static gboolean
scroll_to_end (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (widget));

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
  return G_SOURCE_REMOVE;
}

/* The units to dispatch come next once a category is chosen: on a
 * laptop they are below the fold, and the form's new height is known
 * after the next layout. */
static void
on_category_chosen (LdIntakeWindow *self)
{
  GtkWidget *form = gtk_widget_get_ancestor (GTK_WIDGET (self->units_group), GTK_TYPE_SCROLLED_WINDOW);

  self->category = ld_category_picker_get_category (self->category_picker);
  update_units (self);
  if (self->category && form)
    gtk_widget_add_tick_callback (form, scroll_to_end, NULL, NULL);
}

static JsonObject *
new_operation (const char *entity, const char *entity_id, const char *action, JsonObject *fields)
{
  JsonObject *op = json_object_new ();

  json_object_set_string_member (op, "entity", entity);
  json_object_set_string_member (op, "entity_id", entity_id);
  json_object_set_string_member (op, "action", action);
  json_object_set_object_member (op, "fields", fields);
  return op;
}

static void
on_record (LdIntakeWindow *self)
{
  g_autoptr(JsonObject) op = NULL;
  JsonObject *fields;
  g_autofree char *id = ld_id_new (ld_time_now ());
  g_autoptr(GError) error = NULL;
  guint source = adw_combo_row_get_selected (self->source_row);

  if (self->recorded)
    return;
  const LdCategory *c = self->category;
  const char *region = jurisdiction (self);
  g_autofree char *summary = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->summary_row))));
  g_autoptr(GString) failed = g_string_new (NULL);

  if (*summary == '\0')
    {
      show_message (self, _("Say what the caller reports"));
      gtk_widget_grab_focus (GTK_WIDGET (self->summary_row));
      return;
    }
  fields = json_object_new ();
  op = new_operation ("incident", id, "create", fields);
  json_object_set_string_member (fields, "source", sources[MIN (source, G_N_ELEMENTS (sources) - 1)]);
  /* A matter the responsibility list diverts goes to its platform at once. */
  if (is_diverted (self))
    {
      json_object_set_string_member (fields, "kind", "diverted");
      json_object_set_string_member (fields, "diverted_to", c->platform);
    }
  else
    json_object_set_string_member (fields, "kind", "linkage");
  if (c)
    json_object_set_string_member (fields, "category", c->code);
  if (region)
    json_object_set_string_member (fields, "region_code", region);
  if (self->has_point)
    {
      json_object_set_double_member (fields, "lat", self->lat);
      json_object_set_double_member (fields, "lon", self->lon);
    }
  set_text (fields, "caller_phone", self->phone_row);
  set_text (fields, "address", self->address_row);
  set_text (fields, "summary", self->summary_row);

  if (!ld_sync_engine_submit (self->engine, op, &error))
    {
      show_message (self, error->message);
      return;
    }
  self->recorded = TRUE;

  /* The ticked units get their orders now, one each, behind the incident
   * in the outbox. */
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->unit_list));
       row && !is_diverted (self); row = gtk_widget_get_next_sibling (row))
    {
      GtkCheckButton *check = g_object_get_data (G_OBJECT (row), "ld-check");
      g_autofree char *order_id = NULL;
      g_autoptr(JsonObject) order = NULL;
      g_autoptr(GError) order_error = NULL;

      if (!gtk_check_button_get_active (check))
        continue;
      fields = json_object_new ();
      json_object_set_string_member (fields, "incident_id", id);
      json_object_set_string_member (fields, "unit_code", g_object_get_data (G_OBJECT (row), "ld-unit"));
      order_id = ld_id_new (ld_time_now ());
      order = new_operation ("order", order_id, "dispatch", fields);
      if (!ld_sync_engine_submit (self->engine, order, &order_error))
        g_string_append_printf (failed, "%s%s", failed->len ? "\n" : "", order_error->message);
    }

  g_signal_emit (self, signals[RECORDED], 0, id);
  if (failed->len)
    {
      g_autofree char *message = g_strdup_printf (_("The incident is recorded, but not every order was sent:\n%s"),
                                                  failed->str);

      /* Recording again would make a second incident: what is left is done
       * from the board. */
      show_message (self, message);
      gtk_widget_set_sensitive (GTK_WIDGET (self->record_button), FALSE);
      return;
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

/* The regions and categories the form offers, read again on "retry". */
static void
load_reference (LdIntakeWindow *self)
{
  LdStore *store = ld_sync_engine_get_store (self->engine);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) regions = ld_store_list_regions (store, &error);
  g_autoptr(GPtrArray) categories = regions ? ld_store_list_categories (store, &error) : NULL;
  g_autoptr(GtkStringList) region_names = gtk_string_list_new (NULL);

  ld_read_failure_set_error (self->reference_failure, _("The regions and categories"), error);
  g_ptr_array_set_size (self->region_codes, 0);
  g_hash_table_remove_all (self->region_names);
  g_ptr_array_add (self->region_codes, NULL);
  gtk_string_list_append (region_names, _("Not known yet (from the map)"));
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
}

LdSyncEngine *
ld_intake_window_get_engine (LdIntakeWindow *self)
{
  g_return_val_if_fail (LD_IS_INTAKE_WINDOW (self), NULL);

  return self->engine;
}

void
ld_intake_window_set_engine (LdIntakeWindow *self, LdSyncEngine *engine)
{
  g_return_if_fail (LD_IS_INTAKE_WINDOW (self));
  g_return_if_fail (engine == NULL || LD_IS_SYNC_ENGINE (engine));

  if (!g_set_object (&self->engine, engine))
    return;
  if (engine)
    load_reference (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

static void
ld_intake_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, LD_INTAKE_WINDOW (object)->engine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_intake_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ENGINE:
      ld_intake_window_set_engine (LD_INTAKE_WINDOW (object), g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ld_intake_window_dispose (GObject *object)
{
  LdIntakeWindow *self = LD_INTAKE_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_INTAKE_WINDOW);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->region_codes, g_ptr_array_unref);
  g_clear_pointer (&self->region_names, g_hash_table_unref);
  g_clear_pointer (&self->point_region, g_free);
  self->category = NULL;

  G_OBJECT_CLASS (ld_intake_window_parent_class)->dispose (object);
}

static void
ld_intake_window_class_init (LdIntakeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ld_intake_window_dispose;
  object_class->get_property = ld_intake_window_get_property;
  object_class->set_property = ld_intake_window_set_property;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, LD_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[RECORDED] =
    g_signal_new ("recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (LD_TYPE_MAP_VIEW);
  g_type_ensure (LD_TYPE_CATEGORY_PICKER);
  g_type_ensure (LD_TYPE_READ_FAILURE);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-intake-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LdIntakeWindow, source_row);
  gtk_widget_class_bind_template_child (widget_class, LdIntakeWindow, phone_row);
  gtk_widget_class_bind_template_child (widget_class, LdIntakeWindow, repeat_row);
  gtk_widget_class_bind_template_child (widget_class, LdIntakeWindow, nearby_row);
  gtk_widget_class_bind_template_child (widget_class, LdIntakeWindow, jurisdiction_row);
  gtk_widget_class_bind_template_child (widget_class, LdIntakeWindow, region_row);
  gtk_widget_class_bind_template_child (widget_class, LdIntakeWindow, category_picker);
  gtk_widget_class_bind_template_child (widget_class, LdIntakeWindow, units_group);
  gtk_widget_class_bind_template_child (widget_class, LdIntakeWindow, unit_list);
  gtk_widget_class_bind_template_child (widget_class, LdIntakeWindow, address_row);
  gtk_widget_class_bind_template_child (widget_class, LdIntakeWindow, summary_row);
  gtk_widget_class_bind_template_child (widget_class, LdIntakeWindow, record_button);
  gtk_widget_class_bind_template_child (widget_class, LdIntakeWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, LdIntakeWindow, map);
  gtk_widget_class_bind_template_child (widget_class, LdIntakeWindow, reference_failure);
  gtk_widget_class_bind_template_child (widget_class, LdIntakeWindow, calls_failure);
  gtk_widget_class_bind_template_child (widget_class, LdIntakeWindow, nearby_failure);
  gtk_widget_class_bind_template_callback (widget_class, on_record);
  gtk_widget_class_bind_template_callback (widget_class, on_phone_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_location_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_place);
  gtk_widget_class_bind_template_callback (widget_class, on_region_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_category_chosen);
  gtk_widget_class_bind_template_callback (widget_class, load_reference);
  gtk_widget_class_bind_template_callback (widget_class, show_nearby);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ld_intake_window_init (LdIntakeWindow *self)
{
  g_autoptr(GtkStringList) source_names = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    gtk_string_list_append (source_names, ld_source_label (sources[i]));
  adw_combo_row_set_model (self->source_row, G_LIST_MODEL (source_names));
  self->region_codes = g_ptr_array_new_with_free_func (g_free);
  self->region_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

LdIntakeWindow *
ld_intake_window_new (GtkWindow        *parent,
                      LdSyncEngine     *engine,
                      ShumateMapSource *map_source,
                      LdDatum           datum)
{
  LdIntakeWindow *self = g_object_new (LD_TYPE_INTAKE_WINDOW, "transient-for", parent, "engine", engine, NULL);
  LdStore *store = ld_sync_engine_get_store (engine);
  g_autoptr(ShumateMapSource) basemap = map_source ? g_object_ref (map_source) : ld_map_sources_new_offline (store);

  /* The desk's own basemap; without one, the offline basemap: a call is
   * taken with or without a tile server. */
  ld_map_view_set_map_source (self->map, basemap, map_source ? datum : LD_DATUM_WGS84);
  ld_map_view_show_regions (self->map, store);
  /* Only the regions and the pin are drawn here. */
  ld_map_view_set_legend_visible (self->map, FALSE);

  gtk_widget_grab_focus (GTK_WIDGET (self->phone_row));
  return self;
}
