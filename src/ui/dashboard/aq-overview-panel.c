/* aq-overview-panel.c — the dashboard: which warehouse, how big, what ran last
 *
 * Everything comes from one aq_overview_load_async() on a worker thread. The panel loads when
 * the monitor says the warehouse answers (at start, after an outage, after the profile
 * changed), every minute while it is on screen, and on "Reload"; while it refreshes, the
 * previous numbers stay on screen.
 */
#define G_LOG_DOMAIN "aq-overview-panel"

#include "config.h"

#include "aq-overview-panel.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "aq-format.h"
#include "aq-layer-card.h"
#include "aq-panel.h"

#define REFRESH_SECONDS 60

struct _AqOverviewPanel
{
  GtkWidget            parent_instance;

  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *error_page;
  GtkLabel            *description_label;
  GtkLabel            *server_label;
  GtkLabel            *size_label;
  GtkLabel            *demo_label;
  GtkFlowBox          *layer_box;
  GtkLabel            *no_layers_label;
  GtkListBox          *runs_list;
  GtkListBox          *jobs_list;

  AqConnectionMonitor *monitor;
  GCancellable        *cancellable;
  AqOverview          *overview;
  guint                refresh_id;
  gboolean             loading;
};

static void aq_panel_iface_init (AqPanelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AqOverviewPanel, aq_overview_panel, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (AQ_TYPE_PANEL, aq_panel_iface_init))

enum {
  PROP_0,
  PROP_MONITOR,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void aq_overview_panel_reload (AqOverviewPanel *self);

/* ---- auxiliary methods ---- */

static void
set_loading (AqOverviewPanel *self,
             gboolean         loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
show_error (AqOverviewPanel *self,
            const char      *message)
{
  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
clear_children (GtkWidget *container,
                void     (*remove) (GtkWidget *, GtkWidget *))
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (container)) != NULL)
    remove (container, child);
}

static void
flow_box_remove (GtkWidget *box,
                 GtkWidget *child)
{
  gtk_flow_box_remove (GTK_FLOW_BOX (box), child);
}

static void
list_box_remove (GtkWidget *box,
                 GtkWidget *child)
{
  gtk_list_box_remove (GTK_LIST_BOX (box), child);
}

static const char *
run_status_text (const char *status)
{
  if (g_str_equal (status, "succeeded"))
    return _("Succeeded");
  if (g_str_equal (status, "failed"))
    return _("Failed");
  if (g_str_equal (status, "running"))
    return _("Running");
  if (g_str_equal (status, "cancelled"))
    return _("Cancelled");
  if (g_str_equal (status, "interrupted"))
    return _("Interrupted");
  if (g_str_equal (status, "queued"))
    return _("Queued");
  return status;
}

static GtkWidget *
message_row (const char *title,
             const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static GtkWidget *
run_row (const AqOverviewRun *run)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *status = gtk_label_new (run_status_text (run->status));
  g_autoptr(GString) subtitle = g_string_new (NULL);

  if (run->finished_at != NULL)
    {
      g_autofree char *when = aq_format_date_time (run->finished_at);
      /* Translators: %s is a date and time */
      g_string_printf (subtitle, _("Finished %s"), when);
    }
  else if (run->started_at != NULL)
    {
      g_autofree char *when = aq_format_date_time (run->started_at);
      /* Translators: %s is a date and time */
      g_string_printf (subtitle, _("Started %s"), when);
    }
  if (run->rows_written >= 0)
    {
      g_autofree char *count = aq_format_count (run->rows_written);
      g_string_append (subtitle, " · ");
      /* Translators: %s is a number of rows, already formatted ("1,234") */
      g_string_append_printf (subtitle, g_dngettext (GETTEXT_PACKAGE, "%s row written",
                                                     "%s rows written", run->rows_written),
                              count);
    }

  /* What went wrong is what the data engineer looks for first. */
  if (run->error != NULL)
    {
      g_string_append_c (subtitle, '\n');
      g_string_append (subtitle, run->error);
      gtk_widget_set_tooltip_text (row, run->error);
    }

  /* Names and messages from the warehouse are text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), run->pipeline);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);

  gtk_widget_set_valign (status, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (status, "run-status");
  gtk_widget_add_css_class (status, run->status);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), status);
  return row;
}

/* A job: when it runs next (or after which job), and how its last run ended. */
static GtkWidget *
job_row (const AqJob *job)
{
  GtkWidget *row = adw_action_row_new ();
  g_autoptr(GString) subtitle = g_string_new (NULL);

  if (!job->enabled)
    g_string_append (subtitle, _("Disabled"));
  else if (job->next_due_at != NULL)
    {
      g_autofree char *when = aq_format_date_time (job->next_due_at);
      /* Translators: %s is a date and time */
      g_string_append_printf (subtitle, _("Next %s"), when);
    }
  else if (job->after_job != NULL)
    /* Translators: %s is the name of another job */
    g_string_append_printf (subtitle, _("Runs after %s"), job->after_job);

  g_string_append (subtitle, " · ");
  if (job->last_run_id == 0)
    g_string_append (subtitle, _("never ran"));
  else
    {
      GDateTime *at = job->last_finished_at ? job->last_finished_at : job->last_started_at;
      g_autofree char *when = at ? aq_format_date_time (at) : g_strdup ("");

      /* Translators: the first %s is a date and time, the second how the run ended */
      g_string_append_printf (subtitle, _("last %s: %s"), when,
                              run_status_text (job->last_status));
    }
  if (job->last_error != NULL && g_strcmp0 (job->last_status, "succeeded") != 0)
    {
      g_string_append_c (subtitle, '\n');
      g_string_append (subtitle, job->last_error);
      gtk_widget_set_tooltip_text (row, job->last_error);
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), job->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  if (job->last_status != NULL)
    {
      GtkWidget *status = gtk_label_new (run_status_text (job->last_status));

      gtk_widget_set_valign (status, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (status, "run-status");
      gtk_widget_add_css_class (status, job->last_status);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), status);
    }
  return row;
}

static void
populate (AqOverviewPanel *self)
{
  const AqOverview *overview = self->overview;
  const AqHealthReport *health = overview->health;
  g_autofree char *server = NULL;
  g_autofree char *size = NULL;

  server = g_strdup_printf (_("PostgreSQL %s"), health->server_version);
  size = g_format_size ((guint64) MAX (health->database_size, 0));
  gtk_label_set_label (self->description_label, health->description);
  gtk_label_set_label (self->server_label, server);
  gtk_label_set_label (self->size_label, size);
  gtk_label_set_label (self->demo_label,
                       health->has_demo_data ? _("Simulated sources") : _("None"));

  clear_children (GTK_WIDGET (self->layer_box), flow_box_remove);
  for (guint i = 0; i < overview->layers->len; i++)
    gtk_flow_box_append (self->layer_box,
                         aq_layer_card_new (g_ptr_array_index (overview->layers, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->layer_box), overview->layers->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->no_layers_label), overview->layers->len == 0);

  clear_children (GTK_WIDGET (self->runs_list), list_box_remove);
  if (!overview->has_run_log)
    gtk_list_box_append (self->runs_list,
                         message_row (_("No run log"),
                                      _("This warehouse has no meta.pipeline_run table: apply "
                                        "the migrations with “aqueductctl migrate”.")));
  else if (overview->runs->len == 0)
    gtk_list_box_append (self->runs_list,
                         message_row (_("No pipeline has run on this warehouse yet"), NULL));
  for (guint i = 0; i < overview->runs->len; i++)
    gtk_list_box_append (self->runs_list, run_row (g_ptr_array_index (overview->runs, i)));

  clear_children (GTK_WIDGET (self->jobs_list), list_box_remove);
  if (overview->jobs->len == 0)
    gtk_list_box_append (self->jobs_list,
                         message_row (_("No scheduled jobs"),
                                      _("Add one with “aqueductctl job add”; aqueductd runs "
                                        "them when its [scheduler] is enabled.")));
  for (guint i = 0; i < overview->jobs->len; i++)
    gtk_list_box_append (self->jobs_list, job_row (g_ptr_array_index (overview->jobs, i)));

  gtk_stack_set_visible_child_name (self->stack, "content");
}

/* ---- callbacks ---- */

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(AqOverview) overview = NULL;
  g_autoptr(GError) error = NULL;
  AqOverviewPanel *self;

  overview = aq_overview_load_finish (result, &error);
  /* Cancelled: the panel is gone or a newer load runs; either way self is not ours to use. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = AQ_OVERVIEW_PANEL (user_data);
  g_clear_object (&self->cancellable);

  if (overview == NULL)
    {
      g_autofree char *reason = aq_format_one_line (error->message);
      g_autofree char *message = NULL;

      /* Translators: %s is the error message of the warehouse or of the connection */
      message = g_strdup_printf (_("%s\n\nCheck the connection in Preferences, then retry."),
                                 reason);
      show_error (self, message);
    }
  else
    {
      g_clear_pointer (&self->overview, aq_overview_free);
      self->overview = g_steal_pointer (&overview);
      populate (self);
    }
  set_loading (self, FALSE);
}

static void
connected_cb (AqOverviewPanel *self)
{
  aq_overview_panel_reload (self);
}

static void
state_cb (AqOverviewPanel *self)
{
  const char *error;

  if (aq_connection_monitor_get_state (self->monitor) != AQ_CONNECTION_STATE_UNREACHABLE)
    return;

  /* With numbers on screen the banner says enough; without, say why there are none. */
  if (self->overview == NULL && self->cancellable == NULL)
    {
      g_autofree char *message = NULL;

      error = aq_connection_monitor_get_error (self->monitor);
      message = g_strdup_printf (_("%s\n\nCheck the connection in Preferences, then retry."),
                                 error ? error : "");
      show_error (self, message);
      set_loading (self, FALSE);
    }
}

/* Pipelines run while the dashboard is open: its numbers follow, unless nobody looks. */
static gboolean
refresh_cb (gpointer user_data)
{
  AqOverviewPanel *self = user_data;

  if (gtk_widget_get_mapped (GTK_WIDGET (self))
      && self->cancellable == NULL
      && self->monitor != NULL
      && aq_connection_monitor_get_state (self->monitor) == AQ_CONNECTION_STATE_HEALTHY)
    aq_overview_panel_reload (self);
  return G_SOURCE_CONTINUE;
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  aq_overview_panel_reload (AQ_OVERVIEW_PANEL (widget));
}

/* ---- AqPanel ---- */

static gboolean
aq_overview_panel_get_loading (AqPanel *panel)
{
  return AQ_OVERVIEW_PANEL (panel)->loading;
}

static void
aq_overview_panel_reload (AqOverviewPanel *self)
{
  g_assert (AQ_IS_OVERVIEW_PANEL (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->monitor == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  if (self->overview == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  aq_overview_load_async (aq_connection_monitor_get_conninfo (self->monitor),
                          self->cancellable, load_cb, self);
}

static void
reload (AqPanel *panel)
{
  aq_overview_panel_reload (AQ_OVERVIEW_PANEL (panel));
}

/* What aq_panel_set_monitor() tells the panel; also NULL from dispose. */
static void
set_monitor (AqOverviewPanel     *self,
             AqConnectionMonitor *monitor)
{
  if (self->monitor == monitor)
    return;

  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_set_object (&self->monitor, monitor);
  if (self->monitor != NULL)
    {
      g_signal_connect_swapped (self->monitor, "connected", G_CALLBACK (connected_cb), self);
      g_signal_connect_swapped (self->monitor, "notify::state", G_CALLBACK (state_cb), self);
      switch (aq_connection_monitor_get_state (self->monitor))
        {
        case AQ_CONNECTION_STATE_HEALTHY:
          aq_overview_panel_reload (self);
          break;

        case AQ_CONNECTION_STATE_UNREACHABLE:
          state_cb (self);
          break;

        case AQ_CONNECTION_STATE_CONNECTING:
        default:
          break;
        }
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONITOR]);
}

static void
panel_set_monitor (AqPanel             *panel,
                   AqConnectionMonitor *monitor)
{
  set_monitor (AQ_OVERVIEW_PANEL (panel), monitor);
}

static void
aq_panel_iface_init (AqPanelInterface *iface)
{
  iface->set_monitor = panel_set_monitor;
  iface->get_loading = aq_overview_panel_get_loading;
  iface->reload = reload;
}

/* ---- GObject overrides ---- */

static void
aq_overview_panel_dispose (GObject *object)
{
  AqOverviewPanel *self = AQ_OVERVIEW_PANEL (object);
  GtkWidget *child;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_monitor (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), AQ_TYPE_OVERVIEW_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (aq_overview_panel_parent_class)->dispose (object);
}

static void
aq_overview_panel_finalize (GObject *object)
{
  AqOverviewPanel *self = AQ_OVERVIEW_PANEL (object);

  g_clear_pointer (&self->overview, aq_overview_free);

  G_OBJECT_CLASS (aq_overview_panel_parent_class)->finalize (object);
}

static void
aq_overview_panel_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AqOverviewPanel *self = AQ_OVERVIEW_PANEL (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      g_value_set_object (value, self->monitor);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_overview_panel_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  AqOverviewPanel *self = AQ_OVERVIEW_PANEL (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      aq_panel_set_monitor (AQ_PANEL (self), g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_overview_panel_class_init (AqOverviewPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_overview_panel_dispose;
  object_class->finalize = aq_overview_panel_finalize;
  object_class->get_property = aq_overview_panel_get_property;
  object_class->set_property = aq_overview_panel_set_property;

  properties[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL,
                         AQ_TYPE_CONNECTION_MONITOR,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          TRUE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-overview-panel.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, AqOverviewPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, AqOverviewPanel, spinner);
  gtk_widget_class_bind_template_child (widget_class, AqOverviewPanel, error_page);
  gtk_widget_class_bind_template_child (widget_class, AqOverviewPanel, description_label);
  gtk_widget_class_bind_template_child (widget_class, AqOverviewPanel, server_label);
  gtk_widget_class_bind_template_child (widget_class, AqOverviewPanel, size_label);
  gtk_widget_class_bind_template_child (widget_class, AqOverviewPanel, demo_label);
  gtk_widget_class_bind_template_child (widget_class, AqOverviewPanel, layer_box);
  gtk_widget_class_bind_template_child (widget_class, AqOverviewPanel, no_layers_label);
  gtk_widget_class_bind_template_child (widget_class, AqOverviewPanel, runs_list);
  gtk_widget_class_bind_template_child (widget_class, AqOverviewPanel, jobs_list);

  gtk_widget_class_install_action (widget_class, "overview.reload", NULL, reload_action);

  g_type_ensure (AQ_TYPE_LAYER_CARD);
}

static void
aq_overview_panel_init (AqOverviewPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Nothing to show until the first answer: that is "loading" for screenshots and tests. */
  self->loading = TRUE;
  gtk_spinner_set_spinning (self->spinner, TRUE);

  self->refresh_id = g_timeout_add_seconds (REFRESH_SECONDS, refresh_cb, self);
}

/* ---- public API ---- */

/* Returns: (nullable): what the panel shows, NULL before the first successful load */
const AqOverview *
aq_overview_panel_get_overview (AqOverviewPanel *self)
{
  g_return_val_if_fail (AQ_IS_OVERVIEW_PANEL (self), NULL);
  return self->overview;
}
