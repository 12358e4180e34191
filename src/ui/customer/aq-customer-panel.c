/* aq-customer-panel.c — Customer 360: one search, then everything about one account
 *
 * The search entry takes any key (a phone in any form, a customer, account or meter number, a
 * fragment of a name or an address); Enter runs core's lookup on the panel's session (pooled
 * connections on worker threads, aq-customer-session.c), a newer search cancelling the older.
 * Several candidates are listed to pick from, none says what was searched, one shows the 360:
 * header, alerts, profile tags, the readings chart, and the sections (each a titled table)
 * with the merged timeline before them.
 *
 * The lookup is always masked, whatever the role (the warehouse's answer for the login, never a
 * toggle): a supervisor sees full values only after
 * "Reveal" with a reason, which core records in the audit log (aq_customer_reveal()), so no
 * personal data reaches the screen without a row saying why. What the current section or the
 * filtered timeline shows is what Ctrl+C copies (tab-separated, for a spreadsheet) and what
 * "Export…" writes (CSV). Sections are GActions with shortcuts (Alt+0…9, Ctrl+Page Up/Down).
 *
 * The panel is three files sharing aq-customer-panel-private.h: this one holds the type, the
 * lookup and the public API; aq-customer-panel-view.c draws an answer; and
 * aq-customer-panel-actions.c holds the actions, the role, reveal, copy and export.
 */
#define G_LOG_DOMAIN "aq-customer-panel"

#include "config.h"

#include "aq-customer-panel-private.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "aq-connection.h"
#include "aq-customer-session.h"
#include "aq-panel.h"
#include "aq-reading-chart.h"
#include "aq-record-table.h"
#include "aq-timeline-view.h"

static void aq_panel_iface_init (AqPanelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AqCustomerPanel, aq_customer_panel, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (AQ_TYPE_PANEL, aq_panel_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char * const _aq_customer_panel_section_names[] = { AQ_CUSTOMER_360_SECTIONS, NULL };

/* ---- auxiliary methods ---- */

void
_aq_customer_panel_set_loading (AqCustomerPanel *self,
                                gboolean         loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}


/* ---- callbacks ---- */

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AqCustomerLookup) lookup = NULL;
  g_autoptr(GError) error = NULL;
  AqCustomerPanel *self;

  lookup = aq_customer_session_lookup_finish (AQ_CUSTOMER_SESSION (object), result, &error);
  /* Cancelled: the panel is gone or a newer search runs; self is not ours to use. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = AQ_CUSTOMER_PANEL (user_data);
  g_clear_object (&self->cancellable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.cancel", FALSE);

  self->failed = lookup == NULL;
  if (lookup == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
  else
    {
      g_clear_pointer (&self->result, aq_customer_lookup_free);
      self->result = g_steal_pointer (&lookup);
      self->revealed = FALSE;
      _aq_customer_panel_set_customer_actions_enabled (self, self->result->view != NULL);
      if (self->result->view != NULL)
        _aq_customer_panel_show_customer (self);
      else if (json_array_get_length (self->result->matches->candidates) == 0)
        _aq_customer_panel_show_none (self);
      else
        _aq_customer_panel_show_candidates (self);
    }
  _aq_customer_panel_set_loading (self, FALSE);
}

static void
search_activate_cb (AqCustomerPanel *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (*text == '\0')
    return;
  _aq_customer_panel_start_lookup (self, AQ_CUSTOMER_KEY_SEARCH, text);
}

static void
candidate_activated_cb (AqCustomerPanel *self,
                        GtkListBoxRow   *row)
{
  const char *account = g_object_get_data (G_OBJECT (row), "account-id");

  if (account != NULL)
    _aq_customer_panel_start_lookup (self, AQ_CUSTOMER_KEY_ACCOUNT, account);
}

static void
section_selected_cb (AqCustomerPanel *self,
                     GtkListBoxRow   *row)
{
  if (row != NULL)
    _aq_customer_panel_show_section (self, gtk_widget_get_name (GTK_WIDGET (row)));
}

static void
stop_search_cb (AqCustomerPanel *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "customer.cancel", NULL);
}

void
_aq_customer_panel_start_lookup (AqCustomerPanel *self,
                                 AqCustomerKey    key,
                                 const char      *text)
{
  g_assert (AQ_IS_CUSTOMER_PANEL (self));
  g_assert (text != NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->lookup != text)
    {
      g_free (self->lookup);
      self->lookup = g_strdup (text);
    }
  self->key = key;
  g_cancellable_cancel (self->reveal_cancellable);
  g_clear_object (&self->reveal_cancellable);
  _aq_customer_panel_set_customer_actions_enabled (self, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.reveal", FALSE);
  self->cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.cancel", TRUE);
  _aq_customer_panel_set_loading (self, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  /* masked whatever the role: full data only through a reveal, which says why */
  aq_customer_session_lookup_async (self->session,
                                    self->monitor
                                    ? aq_connection_monitor_get_conninfo (self->monitor)
                                    : NULL,
                                    key, text, AQ_ROLE_AGENT, g_get_user_name (),
                                    self->cancellable, lookup_cb, self);
}

/* ---- AqPanel ---- */

static gboolean
aq_customer_panel_get_loading (AqPanel *panel)
{
  return AQ_CUSTOMER_PANEL (panel)->loading;
}

static void
reload (AqPanel *panel)
{
  AqCustomerPanel *self = AQ_CUSTOMER_PANEL (panel);

  if (self->lookup != NULL)
    {
      g_autofree char *text = g_strdup (self->lookup);
      _aq_customer_panel_start_lookup (self, self->key, text);
    }
}

/* The warehouse answers again, or another one (or another login) does: ask what this login
 * may do, and run again a lookup that failed while it was away. */
static void
connected_cb (AqConnectionMonitor *monitor,
              AqCustomerPanel     *self)
{
  _aq_customer_panel_ask_roles (self);
  if (self->failed && self->lookup != NULL && self->cancellable == NULL)
    {
      g_autofree char *text = g_strdup (self->lookup);

      _aq_customer_panel_start_lookup (self, self->key, text);
    }
}

static void
set_monitor (AqPanel             *panel,
             AqConnectionMonitor *monitor)
{
  AqCustomerPanel *self = AQ_CUSTOMER_PANEL (panel);

  if (self->monitor == monitor)
    return;
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_set_object (&self->monitor, monitor);
  if (monitor != NULL)
    {
      g_signal_connect (monitor, "connected", G_CALLBACK (connected_cb), self);
      g_signal_connect_swapped (monitor, "notify::conninfo",
                                G_CALLBACK (_aq_customer_panel_ask_roles), self);
    }
  _aq_customer_panel_ask_roles (self);
}

static void
aq_panel_iface_init (AqPanelInterface *iface)
{
  iface->set_monitor = set_monitor;
  iface->get_loading = aq_customer_panel_get_loading;
  iface->reload = reload;
}

/* ---- GObject overrides ---- */

static void
aq_customer_panel_dispose (GObject *object)
{
  AqCustomerPanel *self = AQ_CUSTOMER_PANEL (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->reveal_cancellable);
  g_clear_object (&self->reveal_cancellable);
  g_cancellable_cancel (self->role_cancellable);
  g_clear_object (&self->role_cancellable);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (object), AQ_TYPE_CUSTOMER_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (aq_customer_panel_parent_class)->dispose (object);
}

static void
aq_customer_panel_finalize (GObject *object)
{
  AqCustomerPanel *self = AQ_CUSTOMER_PANEL (object);

  g_clear_pointer (&self->lookup, g_free);
  g_clear_pointer (&self->result, aq_customer_lookup_free);
  g_clear_pointer (&self->customer_json, json_node_unref);
  g_clear_pointer (&self->section, g_free);

  G_OBJECT_CLASS (aq_customer_panel_parent_class)->finalize (object);
}

static void
aq_customer_panel_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AqCustomerPanel *self = AQ_CUSTOMER_PANEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_customer_panel_class_init (AqCustomerPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_customer_panel_dispose;
  object_class->finalize = aq_customer_panel_finalize;
  object_class->get_property = aq_customer_panel_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-customer-panel.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, AqCustomerPanel, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AqCustomerPanel, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AqCustomerPanel, spinner);
  gtk_widget_class_bind_template_child (widget_class, AqCustomerPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, AqCustomerPanel, none_page);
  gtk_widget_class_bind_template_child (widget_class, AqCustomerPanel, error_page);
  gtk_widget_class_bind_template_child (widget_class, AqCustomerPanel, candidates_label);
  gtk_widget_class_bind_template_child (widget_class, AqCustomerPanel, candidates_list);
  gtk_widget_class_bind_template_child (widget_class, AqCustomerPanel, name_label);
  gtk_widget_class_bind_template_child (widget_class, AqCustomerPanel, key_customer_label);
  gtk_widget_class_bind_template_child (widget_class, AqCustomerPanel, details_label);
  gtk_widget_class_bind_template_child (widget_class, AqCustomerPanel, alerts_box);
  gtk_widget_class_bind_template_child (widget_class, AqCustomerPanel, tags_box);
  gtk_widget_class_bind_template_child (widget_class, AqCustomerPanel, sections_list);
  gtk_widget_class_bind_template_child (widget_class, AqCustomerPanel, section_label);
  gtk_widget_class_bind_template_child (widget_class, AqCustomerPanel, section_stack);
  gtk_widget_class_bind_template_child (widget_class, AqCustomerPanel, record_table);
  gtk_widget_class_bind_template_child (widget_class, AqCustomerPanel, timeline_view);
  gtk_widget_class_bind_template_child (widget_class, AqCustomerPanel, reading_chart);
  gtk_widget_class_bind_template_child (widget_class, AqCustomerPanel, role_label);
  gtk_widget_class_bind_template_child (widget_class, AqCustomerPanel, reveal_button);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, candidate_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, section_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);

  _aq_customer_panel_class_init_actions (widget_class);

  g_type_ensure (AQ_TYPE_READING_CHART);
  g_type_ensure (AQ_TYPE_RECORD_TABLE);
  g_type_ensure (AQ_TYPE_TIMELINE_VIEW);
}

static void
aq_customer_panel_init (AqCustomerPanel *self)
{
  g_autofree char *section = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->session = aq_customer_session_new ();
  self->settings = g_settings_new (AQ_APP_ID);
  /* an agent until the warehouse says otherwise */
  self->role = AQ_ROLE_AGENT;
  section = g_settings_get_string (self->settings, "customer-section");
  self->section = g_steal_pointer (&section);

  gtk_list_box_append (self->sections_list, _aq_customer_panel_section_row_new ("timeline", 0,
                                                                                NULL));
  for (guint i = 0; _aq_customer_panel_section_names[i]; i++)
    gtk_list_box_append (self->sections_list,
                         _aq_customer_panel_section_row_new (_aq_customer_panel_section_names[i],
                                                             i + 1, &self->count_labels[i]));

  _aq_customer_panel_init_shortcuts (self);

  _aq_customer_panel_set_customer_actions_enabled (self, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.cancel", FALSE);
  _aq_customer_panel_update_role (self);
}

/* ---- public API ---- */

/**
 * aq_customer_panel_lookup:
 * @phone: a phone number or any other key, as the caller gave it
 *
 * Puts @phone into the search entry and looks it up.
 */
void
aq_customer_panel_lookup (AqCustomerPanel *self,
                          const char      *phone)
{
  g_return_if_fail (AQ_IS_CUSTOMER_PANEL (self));
  g_return_if_fail (phone != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), phone);
  _aq_customer_panel_start_lookup (self, AQ_CUSTOMER_KEY_SEARCH, phone);
}

/* Returns: (nullable): the last lookup asked for */
const char *
aq_customer_panel_get_lookup (AqCustomerPanel *self)
{
  g_return_val_if_fail (AQ_IS_CUSTOMER_PANEL (self), NULL);
  return self->lookup;
}

void
aq_customer_panel_focus_search (AqCustomerPanel *self)
{
  g_return_if_fail (AQ_IS_CUSTOMER_PANEL (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Returns: (transfer none): the search entry */
GtkWidget *
aq_customer_panel_get_search_entry (AqCustomerPanel *self)
{
  g_return_val_if_fail (AQ_IS_CUSTOMER_PANEL (self), NULL);
  return GTK_WIDGET (self->search_entry);
}

/* Returns: (nullable) (transfer none): the last lookup's answer */
const AqCustomerLookup *
aq_customer_panel_get_result (AqCustomerPanel *self)
{
  g_return_val_if_fail (AQ_IS_CUSTOMER_PANEL (self), NULL);
  return self->result;
}

/* Returns: the stack page shown: empty, loading, none, error, candidates or customer */
const char *
aq_customer_panel_get_page (AqCustomerPanel *self)
{
  g_return_val_if_fail (AQ_IS_CUSTOMER_PANEL (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

/* Returns: "timeline" or the 360 section shown */
const char *
aq_customer_panel_get_section (AqCustomerPanel *self)
{
  g_return_val_if_fail (AQ_IS_CUSTOMER_PANEL (self), NULL);
  return self->section;
}

/* Returns: (transfer none): the readings chart */
AqReadingChart *
aq_customer_panel_get_chart (AqCustomerPanel *self)
{
  g_return_val_if_fail (AQ_IS_CUSTOMER_PANEL (self), NULL);
  return self->reading_chart;
}

/* Returns: (transfer none): the timeline */
AqTimelineView *
aq_customer_panel_get_timeline (AqCustomerPanel *self)
{
  g_return_val_if_fail (AQ_IS_CUSTOMER_PANEL (self), NULL);
  return self->timeline_view;
}

/* Returns: (transfer none): the table of the section shown */
AqRecordTable *
aq_customer_panel_get_table (AqCustomerPanel *self)
{
  g_return_val_if_fail (AQ_IS_CUSTOMER_PANEL (self), NULL);
  return self->record_table;
}

/* Returns: whether the customer shown is unmasked */
gboolean
aq_customer_panel_get_revealed (AqCustomerPanel *self)
{
  g_return_val_if_fail (AQ_IS_CUSTOMER_PANEL (self), FALSE);
  return self->revealed;
}

/**
 * aq_customer_panel_get_roles_known:
 *
 * Returns: whether the warehouse has answered what the current login may do
 */
gboolean
aq_customer_panel_get_roles_known (AqCustomerPanel *self)
{
  g_return_val_if_fail (AQ_IS_CUSTOMER_PANEL (self), FALSE);
  return self->roles_known;
}
