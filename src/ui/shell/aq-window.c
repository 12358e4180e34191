/* aq-window.c — the main window: sidebar of panels, header with the warehouse's state
 *
 * The panels are pages of one stack, named as on the command line (--screenshot PANEL=…) and
 * in "win.show-panel". Every command is a "win." action of the class, so the menu, the
 * shortcuts and the tests all go through the same code.
 */
#define G_LOG_DOMAIN "aq-window"

#include "config.h"

#include "aq-window.h"

#include "aq-connection-banner.h"
#include "aq-connection-button.h"
#include "aq-cockpit-panel.h"
#include "aq-customer-panel.h"
#include "aq-api-panel.h"
#include "aq-datasets-panel.h"
#include "aq-outage-panel.h"
#include "aq-overview-panel.h"
#include "aq-pipeline-panel.h"
#include "aq-quality-panel.h"
#include "aq-report-panel.h"
#include "aq-sidebar.h"

struct _AqWindow
{
  AdwApplicationWindow  parent_instance;

  AdwWindowTitle       *window_title;
  AqConnectionButton   *connection_button;
  AqConnectionBanner   *banner;
  AdwFlap              *flap;
  AqSidebar            *sidebar;
  GtkStack             *stack;
  AqOverviewPanel      *overview_panel;
  AqCustomerPanel      *customer_panel;

  AqConnectionMonitor  *monitor;
  gboolean              show_sidebar;
};

G_DEFINE_FINAL_TYPE (AqWindow, aq_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_MONITOR,
  PROP_SHOW_SIDEBAR,
  PROP_VISIBLE_PANEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* In the order of the sidebar and of Ctrl+1…9. */
static const char * const panel_names[] = {
  "overview", "customer", "report", "outage", "quality", "pipeline", "datasets", "cockpit", "api",
  NULL
};

/* ---- auxiliary methods ---- */

static void
update_title (AqWindow *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);
  GtkStackPage *page;

  if (child == NULL)
    return;
  page = gtk_stack_get_page (self->stack, child);
  adw_window_title_set_title (self->window_title, gtk_stack_page_get_title (page));
}

/* ---- callbacks ---- */

/* A cockpit tile's drill-through: its figures as the full report. */
static void
open_report_cb (AqWindow     *self,
                AqReportSpec *spec)
{
  aq_window_show_panel (self, "report");
  aq_report_panel_set_spec (AQ_REPORT_PANEL (aq_window_get_panel (self, "report")), spec);
}

static void
visible_child_cb (AqWindow *self)
{
  update_title (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_PANEL]);
}

static void
sidebar_activated_cb (AqWindow *self)
{
  /* A folded sidebar covers the panel: picking one is the end of the trip. */
  if (adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, FALSE);
}

static void
show_panel_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  AqWindow *self = AQ_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (!aq_window_show_panel (self, name))
    g_warning ("No panel named “%s”", name);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AqWindow *self = AQ_WINDOW (widget);
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);

  if (AQ_IS_PANEL (child))
    aq_panel_reload (AQ_PANEL (child));
}

static void
check_connection_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  AqWindow *self = AQ_WINDOW (widget);

  if (self->monitor != NULL)
    aq_connection_monitor_check_now (self->monitor);
}

/* ---- GObject overrides ---- */

static void
aq_window_constructed (GObject *object)
{
  AqWindow *self = AQ_WINDOW (object);

  G_OBJECT_CLASS (aq_window_parent_class)->constructed (object);

  aq_connection_button_set_monitor (self->connection_button, self->monitor);
  aq_connection_banner_set_monitor (self->banner, self->monitor);
  /* every panel gets the monitor the same way, whatever it does with it */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (AQ_IS_PANEL (child))
      aq_panel_set_monitor (AQ_PANEL (child), self->monitor);
}

static void
aq_window_dispose (GObject *object)
{
  AqWindow *self = AQ_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), AQ_TYPE_WINDOW);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (aq_window_parent_class)->dispose (object);
}

static void
aq_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  AqWindow *self = AQ_WINDOW (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      g_value_set_object (value, self->monitor);
      break;

    case PROP_SHOW_SIDEBAR:
      g_value_set_boolean (value, self->show_sidebar);
      break;

    case PROP_VISIBLE_PANEL:
      g_value_set_string (value, aq_window_get_visible_panel (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  AqWindow *self = AQ_WINDOW (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      self->monitor = g_value_dup_object (value);
      break;

    case PROP_SHOW_SIDEBAR:
      if (self->show_sidebar != g_value_get_boolean (value))
        {
          self->show_sidebar = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_VISIBLE_PANEL:
      aq_window_show_panel (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Ctrl+L: the customer search, from wherever the user is. */
static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  AqWindow *self = AQ_WINDOW (widget);

  aq_window_show_panel (self, "customer");
  aq_customer_panel_focus_search (self->customer_panel);
}

static void
aq_window_class_init (AqWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = aq_window_constructed;
  object_class->dispose = aq_window_dispose;
  object_class->get_property = aq_window_get_property;
  object_class->set_property = aq_window_set_property;

  properties[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL,
                         AQ_TYPE_CONNECTION_MONITOR,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SHOW_SIDEBAR] =
    g_param_spec_boolean ("show-sidebar", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_VISIBLE_PANEL] =
    g_param_spec_string ("visible-panel", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (AQ_TYPE_API_PANEL);
  g_type_ensure (AQ_TYPE_COCKPIT_PANEL);
  g_type_ensure (AQ_TYPE_CONNECTION_BANNER);
  g_type_ensure (AQ_TYPE_CONNECTION_BUTTON);
  g_type_ensure (AQ_TYPE_CUSTOMER_PANEL);
  g_type_ensure (AQ_TYPE_DATASETS_PANEL);
  g_type_ensure (AQ_TYPE_OUTAGE_PANEL);
  g_type_ensure (AQ_TYPE_OVERVIEW_PANEL);
  g_type_ensure (AQ_TYPE_PIPELINE_PANEL);
  g_type_ensure (AQ_TYPE_QUALITY_PANEL);
  g_type_ensure (AQ_TYPE_REPORT_PANEL);
  g_type_ensure (AQ_TYPE_SIDEBAR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AqWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, AqWindow, connection_button);
  gtk_widget_class_bind_template_child (widget_class, AqWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, AqWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, AqWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, AqWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, AqWindow, overview_panel);
  gtk_widget_class_bind_template_child (widget_class, AqWindow, customer_panel);

  gtk_widget_class_install_action (widget_class, "win.show-panel", "s", show_panel_action);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "win.focus-search", NULL, focus_search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "win.focus-search", NULL);
  gtk_widget_class_install_action (widget_class, "win.check-connection", NULL,
                                   check_connection_action);
  gtk_widget_class_install_property_action (widget_class, "win.show-sidebar", "show-sidebar");
}

static void
aq_window_init (AqWindow *self)
{
  self->show_sidebar = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_object_bind_property (self, "show-sidebar", self->flap, "reveal-flap",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->stack, "notify::visible-child",
                           G_CALLBACK (visible_child_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sidebar, "activated",
                           G_CALLBACK (sidebar_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (aq_window_get_panel (self, "cockpit"), "open-report",
                           G_CALLBACK (open_report_cb), self, G_CONNECT_SWAPPED);
  update_title (self);
}

/* ---- public API ---- */

AqWindow *
aq_window_new (GtkApplication      *application,
               AqConnectionMonitor *monitor)
{
  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (AQ_IS_CONNECTION_MONITOR (monitor), NULL);

  return g_object_new (AQ_TYPE_WINDOW,
                       "application", application,
                       "monitor", monitor,
                       NULL);
}

/* The panels' names, in the sidebar's order. */
const char * const *
aq_window_get_panel_names (void)
{
  return panel_names;
}

gboolean
aq_window_is_panel_name (const char *name)
{
  return name != NULL && g_strv_contains (panel_names, name);
}

AqConnectionMonitor *
aq_window_get_monitor (AqWindow *self)
{
  g_return_val_if_fail (AQ_IS_WINDOW (self), NULL);
  return self->monitor;
}

/* Returns: FALSE when there is no panel called @name */
gboolean
aq_window_show_panel (AqWindow   *self,
                      const char *name)
{
  g_return_val_if_fail (AQ_IS_WINDOW (self), FALSE);

  if (!aq_window_is_panel_name (name))
    return FALSE;
  gtk_stack_set_visible_child_name (self->stack, name);
  return TRUE;
}

const char *
aq_window_get_visible_panel (AqWindow *self)
{
  g_return_val_if_fail (AQ_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

/* Returns: (nullable) (transfer none): the panel called @name */
AqPanel *
aq_window_get_panel (AqWindow   *self,
                     const char *name)
{
  GtkWidget *child;

  g_return_val_if_fail (AQ_IS_WINDOW (self), NULL);

  if (!aq_window_is_panel_name (name))
    return NULL;
  child = gtk_stack_get_child_by_name (self->stack, name);
  return AQ_IS_PANEL (child) ? AQ_PANEL (child) : NULL;
}

/* The hotline's "incoming call": Customer 360 for @phone. */
void
aq_window_lookup (AqWindow   *self,
                  const char *phone)
{
  g_return_if_fail (AQ_IS_WINDOW (self));
  g_return_if_fail (phone != NULL);

  aq_window_show_panel (self, "customer");
  aq_customer_panel_lookup (self->customer_panel, phone);
}
