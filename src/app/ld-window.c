/* ld-window.c
 *
 * Copyright 2026 The Liandong authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "liandong"

#include "config.h"

#include <glib/gi18n.h>
#include <gsound.h>

#include "bulletin/ld-bulletin-page.h"
#include "dashboard/ld-dashboard-page.h"
#include "dispatch/ld-dispatch-page.h"
#include "drills/ld-drills-page.h"
#include "ld-map-sources.h"
#include "orders/ld-orders-page.h"
#include "ld-sync-status.h"
#include "training/ld-training-report-window.h"
#include "ld-window.h"

struct _LdWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toasts;
  AdwViewStack         *stack;
  LdSyncStatus         *sync_status;
  GtkLabel             *user_label;
  GtkRevealer          *signed_out_bar;
  GtkLabel             *training_bar;
  LdDispatchPage       *dispatch_page;
  AdwViewStackPage     *dispatch_stack_page;
  AdwViewStackPage     *drills_stack_page;
  LdDrillsPage         *drills_page;
  LdDashboardPage      *dashboard_page;
  LdBulletinPage       *bulletin_page;
  AdwViewStackPage     *dashboard_stack_page;
  AdwViewStackPage     *bulletin_stack_page;
  LdOrdersPage         *orders_page;
  AdwViewStackPage     *orders_stack_page;

  GSettings            *settings;
  LdSyncEngine         *engine;
  GSoundContext        *sound;
};

G_DEFINE_FINAL_TYPE (LdWindow, ld_window, ADW_TYPE_APPLICATION_WINDOW)

/* Which workspaces each role works in (DESIGN.md, Roles); the server
 * refuses the rest anyway. */
static const struct {
  const char *role;
  const char *workspaces;
} role_workspaces[] = {
  { "admin", "dispatch drills dashboard bulletin" },
  { "leader", "dispatch drills dashboard bulletin" },
  { "dispatcher", "dispatch dashboard" },
  { "inspector", "drills dashboard" },
  { "unit", "orders" },
};

static AdwViewStackPage *
page_named (LdWindow *self, const char *name)
{
  if (g_str_equal (name, "dispatch"))
    return self->dispatch_stack_page;
  if (g_str_equal (name, "drills"))
    return self->drills_stack_page;
  if (g_str_equal (name, "dashboard"))
    return self->dashboard_stack_page;
  if (g_str_equal (name, "bulletin"))
    return self->bulletin_stack_page;
  if (g_str_equal (name, "orders"))
    return self->orders_stack_page;
  return NULL;
}

static const char * const all_workspaces[] = { "dispatch", "drills", "dashboard", "bulletin", "orders" };

/* The shortcuts window lists what the role can reach: a unit has neither
 * the center's workspaces nor its intake (the groups of the view
 * "center"). */
static void
set_help_overlay (LdWindow *self, const char *role)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/cn/liandong/Liandong/gtk/help-overlay.ui");
  GtkShortcutsWindow *overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));

  if (g_strcmp0 (role, "unit") == 0)
    g_object_set (overlay, "view-name", "unit", NULL);
  gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (self), overlay);
}

static void
apply_role (LdWindow *self)
{
  const LdUser *user = ld_account_get_user (ld_sync_engine_get_account (self->engine));
  g_auto(GStrv) allowed = NULL;
  g_autofree char *saved = g_settings_get_string (self->settings, "last-workspace");
  const char *role_label = user->role;
  g_autofree char *who = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (role_workspaces); i++)
    if (g_strcmp0 (role_workspaces[i].role, user->role) == 0)
      allowed = g_strsplit (role_workspaces[i].workspaces, " ", -1);
  if (allowed == NULL)
    allowed = g_strsplit ("", " ", -1);
  for (guint i = 0; i < G_N_ELEMENTS (all_workspaces); i++)
    adw_view_stack_page_set_visible (page_named (self, all_workspaces[i]),
                                     g_strv_contains ((const char * const *) allowed, all_workspaces[i]));
  if (allowed[0] != NULL)
    adw_view_stack_set_visible_child_name (self->stack,
                                           g_strv_contains ((const char * const *) allowed, saved) ? saved : allowed[0]);
  set_help_overlay (self, user->role);

  if (g_str_equal (user->role, "admin"))
    role_label = _("Administrator");
  else if (g_str_equal (user->role, "dispatcher"))
    role_label = _("Dispatcher");
  else if (g_str_equal (user->role, "inspector"))
    role_label = _("Inspection team");
  else if (g_str_equal (user->role, "leader"))
    role_label = _("Leader");
  else if (g_str_equal (user->role, "unit"))
    role_label = _("Unit liaison");
  /* Translators: the signed-in user and their role, e.g. "Wang Fang · Dispatcher" */
  who = g_strdup_printf (_("%s · %s"), user->display_name ? user->display_name : user->name, role_label);
  gtk_label_set_label (self->user_label, who);
  /* Practice must never be taken for the live center, nor the live center
   * for practice: the bar stays over every workspace, wall screen included. */
  gtk_widget_set_visible (GTK_WIDGET (self->training_bar),
                          ld_account_get_training (ld_sync_engine_get_account (self->engine)));
  /* Only a training server judges calls: elsewhere the menu holds no item. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.training-report",
                                 ld_account_get_training (ld_sync_engine_get_account (self->engine)));
}

GStrv
ld_window_list_workspaces (LdWindow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < G_N_ELEMENTS (all_workspaces); i++)
    if (adw_view_stack_page_get_visible (page_named (self, all_workspaces[i])))
      g_strv_builder_add (builder, all_workspaces[i]);
  return g_strv_builder_end (builder);
}

void
ld_window_show_message (LdWindow *self, const char *message)
{
  /* A toast's title is markup; a message may quote what someone typed. */
  g_autofree char *title = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 10);
  adw_toast_overlay_add_toast (self->toasts, toast);
}

/* The server's refusal reaches the person who made the change. */
static void
on_refused (LdSyncEngine *engine, JsonObject *op, const char *code, const char *reason, LdWindow *self)
{
  g_autofree char *message = g_strdup_printf (_("The server refused a change, and it was undone: %s"),
                                              reason ? reason : code);
  ld_window_show_message (self, message);
}

static void
on_state (LdSyncEngine *engine, GParamSpec *pspec, LdWindow *self)
{
  gtk_revealer_set_reveal_child (self->signed_out_bar,
                                 ld_sync_engine_get_state (engine) == LD_SYNC_STATE_SIGNED_OUT);
}

/* Wall-screen mode scales all type through the display's font resolution,
 * so headings and column titles grow with the rest. */
static void
apply_wall_screen (LdWindow *self)
{
  GtkSettings *gtk_settings = gtk_widget_get_settings (GTK_WIDGET (self));
  gboolean wall = g_settings_get_boolean (self->settings, "wall-screen");
  double scale = g_settings_get_double (self->settings, "wall-screen-scale");
  g_autoptr(GdkMonitor) monitor = NULL;
  GListModel *monitors;
  int dpi;

  gtk_settings_reset_property (gtk_settings, "gtk-xft-dpi");
  ld_dispatch_page_set_wall_screen (self->dispatch_page, wall);
  if (wall)
    {
      g_object_get (gtk_settings, "gtk-xft-dpi", &dpi, NULL);
      if (dpi <= 0)
        dpi = 96 * 1024;
      g_object_set (gtk_settings, "gtk-xft-dpi", (int) (dpi * scale), NULL);
      /* Sized to the screen too: a wall display often runs without a
       * window manager to honour the full-screen request. */
      monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
      monitor = g_list_model_get_item (monitors, 0);
      if (monitor)
        {
          GdkRectangle area;

          gdk_monitor_get_geometry (monitor, &area);
          gtk_window_set_default_size (GTK_WINDOW (self), area.width, area.height);
        }
      gtk_window_fullscreen (GTK_WINDOW (self));
    }
  else
    gtk_window_unfullscreen (GTK_WINDOW (self));
}

static void
on_wall_screen (GSettings *settings, const char *key, LdWindow *self)
{
  apply_wall_screen (self);
}

static void
on_visible_child (AdwViewStack *stack, GParamSpec *pspec, LdWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (stack);

  if (name && self->settings)
    g_settings_set_string (self->settings, "last-workspace", name);
}

/* The cold-start benchmark reads this line. */
static void
on_after_paint (GdkFrameClock *clock, LdWindow *self)
{
  g_debug ("first frame drawn");
  g_signal_handlers_disconnect_by_func (clock, on_after_paint, self);
}

static void
on_realize (GtkWidget *widget, LdWindow *self)
{
  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint", G_CALLBACK (on_after_paint), self);
}

static void
reconnect_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  LdWindow *self = LD_WINDOW (widget);

  if (self->engine)
    ld_sync_engine_reconnect (self->engine);
}

static void
training_report_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  LdWindow *self = LD_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (ld_training_report_window_new (GTK_WINDOW (self), self->engine)));
}

static void
workspace_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  LdWindow *self = LD_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  AdwViewStackPage *page = page_named (self, name);

  if (page && adw_view_stack_page_get_visible (page))
    adw_view_stack_set_visible_child_name (self->stack, name);
}

/* The dashboard's figures open their incidents and drills where they are
 * worked on. */
static void
show_incident_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  LdWindow *self = LD_WINDOW (widget);

  if (!adw_view_stack_page_get_visible (self->dispatch_stack_page))
    return;
  adw_view_stack_set_visible_child_name (self->stack, "dispatch");
  ld_dispatch_page_select (self->dispatch_page, g_variant_get_string (parameter, NULL));
}

/* A notification of a new order opens it. */
static void
show_order_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  LdWindow *self = LD_WINDOW (widget);

  if (!adw_view_stack_page_get_visible (self->orders_stack_page))
    return;
  adw_view_stack_set_visible_child_name (self->stack, "orders");
  ld_orders_page_select (self->orders_page, g_variant_get_string (parameter, NULL));
}

static void
show_drill_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  LdWindow *self = LD_WINDOW (widget);

  if (!adw_view_stack_page_get_visible (self->drills_stack_page))
    return;
  adw_view_stack_set_visible_child_name (self->stack, "drills");
  ld_drills_page_select (self->drills_page, g_variant_get_string (parameter, NULL));
}

/* Intake is the desk's most frequent act: its shortcut works wherever the
 * focus is. */
static gboolean
record_incident_shortcut (GtkWidget *widget, GVariant *args, gpointer data)
{
  LdWindow *self = LD_WINDOW (widget);

  /* A role without the dispatch workspace records no incident. */
  if (!adw_view_stack_page_get_visible (self->dispatch_stack_page))
    return FALSE;
  adw_view_stack_set_visible_child_name (self->stack, "dispatch");
  return gtk_widget_activate_action (GTK_WIDGET (self->dispatch_page), "dispatch.record-incident", NULL);
}

static gboolean
ld_window_close_request (GtkWindow *window)
{
  LdWindow *self = LD_WINDOW (window);
  int width, height;

  if (self->settings && !gtk_window_is_fullscreen (window))
    {
      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
    }
  return GTK_WINDOW_CLASS (ld_window_parent_class)->close_request (window);
}

static void
ld_window_dispose (GObject *object)
{
  LdWindow *self = LD_WINDOW (object);

  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  if (self->settings)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), LD_TYPE_WINDOW);
  g_clear_object (&self->engine);
  g_clear_object (&self->settings);
  g_clear_object (&self->sound);

  G_OBJECT_CLASS (ld_window_parent_class)->dispose (object);
}

static void
ld_window_class_init (LdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ld_window_dispose;
  window_class->close_request = ld_window_close_request;

  g_type_ensure (LD_TYPE_SYNC_STATUS);
  g_type_ensure (LD_TYPE_DISPATCH_PAGE);
  g_type_ensure (LD_TYPE_DRILLS_PAGE);
  g_type_ensure (LD_TYPE_DASHBOARD_PAGE);
  g_type_ensure (LD_TYPE_BULLETIN_PAGE);
  g_type_ensure (LD_TYPE_ORDERS_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/liandong/Liandong/ld-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LdWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, LdWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, LdWindow, sync_status);
  gtk_widget_class_bind_template_child (widget_class, LdWindow, user_label);
  gtk_widget_class_bind_template_child (widget_class, LdWindow, signed_out_bar);
  gtk_widget_class_bind_template_child (widget_class, LdWindow, training_bar);
  gtk_widget_class_bind_template_child (widget_class, LdWindow, dispatch_page);
  gtk_widget_class_bind_template_child (widget_class, LdWindow, dispatch_stack_page);
  gtk_widget_class_bind_template_child (widget_class, LdWindow, drills_stack_page);
  gtk_widget_class_bind_template_child (widget_class, LdWindow, drills_page);
  gtk_widget_class_bind_template_child (widget_class, LdWindow, dashboard_stack_page);
  gtk_widget_class_bind_template_child (widget_class, LdWindow, dashboard_page);
  gtk_widget_class_bind_template_child (widget_class, LdWindow, bulletin_page);
  gtk_widget_class_bind_template_child (widget_class, LdWindow, bulletin_stack_page);
  gtk_widget_class_bind_template_child (widget_class, LdWindow, orders_page);
  gtk_widget_class_bind_template_child (widget_class, LdWindow, orders_stack_page);

  gtk_widget_class_install_action (widget_class, "sync.reconnect", NULL, reconnect_activated);
  gtk_widget_class_install_action (widget_class, "win.training-report", NULL, training_report_activated);
  gtk_widget_class_install_action (widget_class, "workspace.show", "s", workspace_activated);
  gtk_widget_class_install_action (widget_class, "workspace.show-incident", "s", show_incident_activated);
  gtk_widget_class_install_action (widget_class, "workspace.show-drill", "s", show_drill_activated);
  gtk_widget_class_install_action (widget_class, "workspace.show-order", "s", show_order_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "sync.reconnect", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, record_incident_shortcut, NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "workspace.show", "s", "dispatch");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "workspace.show", "s", "drills");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "workspace.show", "s", "dashboard");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK, "workspace.show", "s", "bulletin");
}

static void
ld_window_init (LdWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.training-report", FALSE);
}

/* A basemap that cannot be used falls back to the offline one, and says
 * why: the map never goes blank. */
static void
apply_map_source (LdWindow *self)
{
  LdStore *store = ld_sync_engine_get_store (self->engine);
  g_autoptr(ShumateMapSource) source = NULL;
  g_autoptr(GError) error = NULL;
  LdDatum datum = LD_DATUM_WGS84;

  source = ld_map_sources_from_settings (self->settings, store, &datum, &error);
  if (source == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The basemap cannot be used: %s"), error->message);

      ld_window_show_message (self, message);
      source = ld_map_sources_new_offline (store);
      datum = LD_DATUM_WGS84;
    }
  ld_dispatch_page_set_map_source (self->dispatch_page, source, datum);
  ld_orders_page_set_map_source (self->orders_page, source, datum);
}

static void
on_map_settings (GSettings *settings, const char *key, LdWindow *self)
{
  apply_map_source (self);
}

static void
on_alert_sound (GSettings *settings, const char *key, LdWindow *self)
{
  ld_dispatch_page_set_alert_sound (self->dispatch_page, g_settings_get_boolean (settings, "alert-sound"));
}

/* A new order is heard, unless the user turned the sound off; a desktop
 * without a sound server stays silent. */
static void
play_order_sound (LdWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!g_settings_get_boolean (self->settings, "order-sound"))
    return;
  if (self->sound == NULL && (self->sound = gsound_context_new (NULL, &error)) == NULL)
    {
      g_debug ("no sound: %s", error->message);
      return;
    }
  if (!gsound_context_play_simple (self->sound, NULL, &error,
                                   GSOUND_ATTR_EVENT_ID, "message-new-instant",
                                   GSOUND_ATTR_EVENT_DESCRIPTION, _("New Work Order"),
                                   NULL))
    g_debug ("no sound: %s", error->message);
}

/* A new order reaches the unit wherever it is: the desktop shows the
 * notification with the window hidden or minimised too. */
static void
on_order_arrived (LdOrdersPage *page, const char *order_id, GNotification *notification, LdWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  g_autofree char *id = g_strconcat ("order-", order_id, NULL);

  if (application)
    g_application_send_notification (G_APPLICATION (application), id, notification);
  play_order_sound (self);
}

/* A signed order's notification is withdrawn: the desktop's list keeps
 * only what still waits. */
static void
on_order_settled (LdOrdersPage *page, const char *order_id, LdWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  g_autofree char *id = g_strconcat ("order-", order_id, NULL);

  if (application)
    g_application_withdraw_notification (G_APPLICATION (application), id);
}

LdWindow *
ld_window_new (AdwApplication *application, GSettings *settings, LdSyncEngine *engine)
{
  LdWindow *self = g_object_new (LD_TYPE_WINDOW, "application", application, NULL);
  g_autofree char *zone = g_settings_get_string (settings, "time-zone");
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);
  GTimeZone *center_zone = ld_store_get_time_zone (ld_sync_engine_get_store (engine));

  self->settings = g_object_ref (settings);
  self->engine = g_object_ref (engine);
  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect (settings, "changed::wall-screen", G_CALLBACK (on_wall_screen), self);
  g_signal_connect (settings, "changed::wall-screen-scale", G_CALLBACK (on_wall_screen), self);
  apply_wall_screen (self);

  ld_sync_status_set_engine (self->sync_status, engine);
  ld_dispatch_page_set_engine (self->dispatch_page, engine, tz ? tz : ld_store_get_time_zone (
                                 ld_sync_engine_get_store (engine)));
  ld_drills_page_set_engine (self->drills_page, engine, tz ? tz : ld_store_get_time_zone (
                               ld_sync_engine_get_store (engine)));
  ld_dashboard_page_set_engine (self->dashboard_page, engine, tz ? tz : center_zone);
  ld_bulletin_page_set_engine (self->bulletin_page, engine, tz ? tz : center_zone);
  ld_orders_page_set_engine (self->orders_page, engine, tz ? tz : center_zone);
  g_signal_connect_object (self->orders_page, "order-arrived", G_CALLBACK (on_order_arrived), self, 0);
  g_signal_connect_object (self->orders_page, "order-settled", G_CALLBACK (on_order_settled), self, 0);
  apply_map_source (self);
  on_alert_sound (settings, NULL, self);
  g_signal_connect (settings, "changed::tile-source", G_CALLBACK (on_map_settings), self);
  g_signal_connect (settings, "changed::tile-url", G_CALLBACK (on_map_settings), self);
  g_signal_connect (settings, "changed::tile-datum", G_CALLBACK (on_map_settings), self);
  g_signal_connect (settings, "changed::mbtiles-path", G_CALLBACK (on_map_settings), self);
  g_signal_connect (settings, "changed::alert-sound", G_CALLBACK (on_alert_sound), self);
  g_signal_connect_object (engine, "refused", G_CALLBACK (on_refused), self, 0);
  g_signal_connect_object (engine, "notify::state", G_CALLBACK (on_state), self, 0);
  on_state (engine, NULL, self);
  apply_role (self);
  g_signal_connect (self->stack, "notify::visible-child-name", G_CALLBACK (on_visible_child), self);
  g_signal_connect (self, "realize", G_CALLBACK (on_realize), self);
  return self;
}

LdSyncEngine *
ld_window_get_engine (LdWindow *self)
{
  return self->engine;
}

void
ld_window_mark_training (GtkWindow *parent, AdwWindow *window)
{
  GtkWidget *content, *box, *bar;

  if (!LD_IS_WINDOW (parent) || !gtk_widget_get_visible (GTK_WIDGET (LD_WINDOW (parent)->training_bar)))
    return;
  content = g_object_ref (adw_window_get_content (window));
  adw_window_set_content (window, NULL);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  bar = gtk_label_new (gtk_label_get_label (LD_WINDOW (parent)->training_bar));
  gtk_label_set_wrap (GTK_LABEL (bar), TRUE);
  gtk_widget_add_css_class (bar, "training-bar");
  gtk_box_append (GTK_BOX (box), bar);
  gtk_box_append (GTK_BOX (box), content);
  g_object_unref (content);
  adw_window_set_content (window, box);
}

GtkWidget *
ld_window_get_dispatch_page (LdWindow *self)
{
  return GTK_WIDGET (self->dispatch_page);
}

GtkWidget *
ld_window_get_orders_page (LdWindow *self)
{
  return GTK_WIDGET (self->orders_page);
}
