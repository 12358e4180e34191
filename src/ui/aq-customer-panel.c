/* aq-customer-panel.c — Customer 360: one search, then everything about one account
 *
 * The search entry takes any key (a phone in any form, a customer, account or meter number, a
 * fragment of a name or an address); Enter runs aq_customer_lookup_async() on a worker thread,
 * a newer search cancelling the older. Several candidates are listed to pick from, none says
 * what was searched, one shows the 360: header, alerts, profile tags and the sections.
 */
#define G_LOG_DOMAIN "aq-customer-panel"

#include "config.h"

#include "aq-customer-panel.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "aq-customer-360.h"
#include "aq-panel.h"

struct _AqCustomerPanel
{
  GtkWidget            parent_instance;

  GtkSearchEntry      *search_entry;
  GtkSpinner          *spinner;
  GtkStack            *stack;
  AdwStatusPage       *none_page;
  AdwStatusPage       *error_page;
  GtkLabel            *candidates_label;
  GtkListBox          *candidates_list;
  GtkLabel            *name_label;
  GtkLabel            *key_customer_label;
  GtkLabel            *details_label;
  GtkFlowBox          *alerts_box;
  GtkFlowBox          *tags_box;
  GtkListBox          *sections_list;
  GtkListBox          *rows_list;

  AqConnectionMonitor *monitor;
  GCancellable        *cancellable;
  AqCustomerLookup    *result;
  AqCustomerKey        key;
  char                *lookup;
  gboolean             loading;
};

static void aq_panel_iface_init (AqPanelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AqCustomerPanel, aq_customer_panel, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (AQ_TYPE_PANEL, aq_panel_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const section_names[] = { AQ_CUSTOMER_360_SECTIONS, NULL };

/* ---- auxiliary methods ---- */

static void
set_loading (AqCustomerPanel *self,
             gboolean         loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static const char *
section_title (const char *name)
{
  if (g_str_equal (name, "accounts"))
    return _("Accounts");
  if (g_str_equal (name, "bills"))
    return _("Bills");
  if (g_str_equal (name, "payments"))
    return _("Payments");
  if (g_str_equal (name, "readings"))
    return _("Readings");
  if (g_str_equal (name, "work_orders"))
    return _("Work Orders");
  if (g_str_equal (name, "calls"))
    return _("Calls");
  if (g_str_equal (name, "sms"))
    return _("Text Messages");
  if (g_str_equal (name, "installations"))
    return _("Installations");
  if (g_str_equal (name, "outages"))
    return _("Outages");
  return name;
}

/* Returns: (nullable): a member as text, NULL when absent, null or empty */
static char *
member_text (JsonObject *object,
             const char *member)
{
  JsonNode *node;
  GType type;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  if (JSON_NODE_HOLDS_NULL (node) || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (node);
      return s != NULL && *s != '\0' ? g_strdup (s) : NULL;
    }
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (type == G_TYPE_DOUBLE)
    return g_strdup_printf ("%.2f", json_node_get_double (node));
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? _("yes") : _("no"));
  return NULL;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
clear_flow (GtkFlowBox *flow)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (flow))) != NULL)
    gtk_flow_box_remove (flow, child);
}

static GtkWidget *
pill_new (const char *text,
          const char *tooltip,
          const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "customer-pill");
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
  if (tooltip != NULL)
    gtk_widget_set_tooltip_text (label, tooltip);
  gtk_widget_set_halign (label, GTK_ALIGN_START);
  return label;
}

/* Starts a lookup; a running one is cancelled. */
static void
start_lookup (AqCustomerPanel *self,
              AqCustomerKey    key,
              const char      *text);

static void
show_candidates (AqCustomerPanel *self)
{
  JsonArray *candidates = self->result->matches->candidates;
  guint n = json_array_get_length (candidates);
  g_autofree char *heading = NULL;

  clear_list (self->candidates_list);
  /* Translators: %u is a number of accounts, %s what was searched */
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u account for “%s”",
                                          "%u accounts for “%s”", n),
                             n, self->result->matches->text);
  gtk_label_set_label (self->candidates_label, heading);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *c = json_array_get_object_element (candidates, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *name = member_text (c, "name");
      g_autofree char *phone = member_text (c, "phone");
      g_autofree char *address = member_text (c, "address");
      g_autofree char *status = member_text (c, "account_status");
      g_autofree char *account = member_text (c, "account_id");
      g_autofree char *title = NULL;
      GtkWidget *suffix;

      title = g_strdup_printf ("%s · %s", name ? name : "—", phone ? phone : "—");
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), address ? address : "");
      suffix = pill_new (status ? status : "—", NULL, NULL);
      gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "account-id", g_steal_pointer (&account), g_free);
      gtk_list_box_append (self->candidates_list, row);
    }
  gtk_stack_set_visible_child_name (self->stack, "candidates");
}

static void
show_none (AqCustomerPanel *self)
{
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  AqCustomerMatches *matches = self->result->matches;

  /* Translators: %s is what was searched */
  title = g_strdup_printf (_("No customer for “%s”"), matches->text);
  /* Translators: the first %s is what the text was searched as ("phone"), the second the
   * value looked up */
  description = g_strdup_printf (_("Searched as %s: “%s”. Check the number or try another key."),
                                 aq_customer_key_to_string (matches->key),
                                 matches->value ? matches->value : matches->text);
  adw_status_page_set_title (self->none_page, title);
  adw_status_page_set_description (self->none_page, description);
  gtk_stack_set_visible_child_name (self->stack, "none");
}

static void
show_rows (AqCustomerPanel *self,
           const char      *section)
{
  JsonArray *rows;
  guint n;

  clear_list (self->rows_list);
  if (self->result == NULL || self->result->view == NULL)
    return;
  rows = aq_customer_360_get_rows (self->result->view, section);
  n = rows ? json_array_get_length (rows) : 0;
  if (n == 0)
    {
      GtkWidget *label = gtk_label_new (_("Nothing here"));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 12);
      gtk_widget_set_margin_bottom (label, 12);
      gtk_list_box_append (self->rows_list, label);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(GList) members = json_object_get_members (row);
      GtkWidget *label;

      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *value = member_text (row, l->data);

          if (value == NULL)
            continue;
          if (text->len > 0)
            g_string_append (text, " · ");
          g_string_append (text, value);
        }
      label = gtk_label_new (text->str);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_set_margin_top (label, 8);
      gtk_widget_set_margin_bottom (label, 8);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_list_box_append (self->rows_list, label);
    }
}

static void
show_customer (AqCustomerPanel *self)
{
  AqCustomer360 *view = self->result->view;
  JsonObject *header = view->header;
  g_autofree char *name = member_text (header, "name");
  g_autofree char *key_customer = member_text (header, "key_customer");
  g_autoptr(GString) details = g_string_new (NULL);
  const char * const detail_members[] = {
    "mobile", "customer_type", "account_status", "address", "community", "dma_zone", "tariff",
    NULL
  };
  guint n;

  gtk_label_set_label (self->name_label, name ? name : "—");
  gtk_widget_set_visible (GTK_WIDGET (self->key_customer_label), key_customer != NULL);
  if (key_customer != NULL)
    {
      g_autofree char *badge = NULL;

      /* Translators: %s is the name of the key customer (a hospital, a school…) */
      badge = g_strdup_printf (_("Key customer: %s"), key_customer);
      gtk_label_set_label (self->key_customer_label, badge);
    }

  for (guint i = 0; detail_members[i]; i++)
    {
      g_autofree char *value = member_text (header, detail_members[i]);

      if (value == NULL)
        continue;
      if (details->len > 0)
        g_string_append (details, " · ");
      if (g_str_equal (detail_members[i], "dma_zone"))
        /* Translators: %s is a district metered area's code */
        g_string_append_printf (details, _("DMA %s"), value);
      else
        g_string_append (details, value);
    }
  gtk_label_set_label (self->details_label, details->str);

  clear_flow (self->alerts_box);
  n = view->alerts ? json_array_get_length (view->alerts) : 0;
  for (guint i = 0; i < n; i++)
    {
      JsonObject *alert = json_array_get_object_element (view->alerts, i);
      g_autofree char *text = member_text (alert, "text");

      gtk_flow_box_append (self->alerts_box, pill_new (text ? text : "", NULL, "alert"));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->alerts_box), n > 0);

  clear_flow (self->tags_box);
  n = view->tags ? json_array_get_length (view->tags) : 0;
  for (guint i = 0; i < n; i++)
    {
      JsonObject *tag = json_array_get_object_element (view->tags, i);
      g_autofree char *label = member_text (tag, "tag");
      g_autofree char *value = member_text (tag, "value");
      g_autofree char *text = member_text (tag, "text");
      g_autofree char *shown = value ? g_strdup_printf ("%s: %s", label, value)
                                     : g_strdup (label);

      gtk_flow_box_append (self->tags_box, pill_new (shown, text, NULL));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->tags_box), n > 0);

  clear_list (self->sections_list);
  for (guint i = 0; section_names[i]; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *count = NULL;
      GtkWidget *count_label;

      count = g_strdup_printf ("%" G_GINT64_FORMAT,
                               aq_customer_360_get_count (view, section_names[i]));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), section_title (section_names[i]));
      count_label = gtk_label_new (count);
      gtk_widget_add_css_class (count_label, "numeric");
      gtk_widget_set_name (count_label, "count");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), count_label);
      gtk_widget_set_name (row, section_names[i]);
      gtk_list_box_append (self->sections_list, row);
    }
  gtk_list_box_select_row (self->sections_list,
                           gtk_list_box_get_row_at_index (self->sections_list, 1));
  gtk_stack_set_visible_child_name (self->stack, "customer");
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

  lookup = aq_customer_lookup_finish (result, &error);
  /* Cancelled: the panel is gone or a newer search runs; self is not ours to use. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = AQ_CUSTOMER_PANEL (user_data);
  g_clear_object (&self->cancellable);

  if (lookup == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
  else
    {
      g_clear_pointer (&self->result, aq_customer_lookup_free);
      self->result = g_steal_pointer (&lookup);
      if (self->result->view != NULL)
        show_customer (self);
      else if (json_array_get_length (self->result->matches->candidates) == 0)
        show_none (self);
      else
        show_candidates (self);
    }
  set_loading (self, FALSE);
}

static void
search_activate_cb (AqCustomerPanel *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (*text == '\0')
    return;
  start_lookup (self, AQ_CUSTOMER_KEY_SEARCH, text);
}

static void
candidate_activated_cb (AqCustomerPanel *self,
                        GtkListBoxRow   *row)
{
  const char *account = g_object_get_data (G_OBJECT (row), "account-id");

  if (account != NULL)
    start_lookup (self, AQ_CUSTOMER_KEY_ACCOUNT, account);
}

static void
section_selected_cb (AqCustomerPanel *self,
                     GtkListBoxRow   *row)
{
  if (row != NULL)
    show_rows (self, gtk_widget_get_name (GTK_WIDGET (row)));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  AqCustomerPanel *self = AQ_CUSTOMER_PANEL (widget);

  if (self->lookup != NULL)
    {
      g_autofree char *text = g_strdup (self->lookup);
      start_lookup (self, self->key, text);
    }
}

static void
start_lookup (AqCustomerPanel *self,
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
  self->cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  aq_customer_lookup_async (self->monitor ? aq_connection_monitor_get_profile_url (self->monitor)
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
      start_lookup (self, self->key, text);
    }
}

static void
aq_panel_iface_init (AqPanelInterface *iface)
{
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
  g_clear_object (&self->monitor);

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
  gtk_widget_class_bind_template_child (widget_class, AqCustomerPanel, rows_list);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, candidate_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, section_selected_cb);

  gtk_widget_class_install_action (widget_class, "customer.retry", NULL, retry_action);
}

static void
aq_customer_panel_init (AqCustomerPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ---- public API ---- */

void
aq_customer_panel_set_monitor (AqCustomerPanel     *self,
                               AqConnectionMonitor *monitor)
{
  g_return_if_fail (AQ_IS_CUSTOMER_PANEL (self));
  g_return_if_fail (!monitor || AQ_IS_CONNECTION_MONITOR (monitor));

  g_set_object (&self->monitor, monitor);
}

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
  start_lookup (self, AQ_CUSTOMER_KEY_SEARCH, phone);
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
