/* aq-customer-panel-view.c — how the Customer 360 panel shows an answer
 *
 * One lookup's answer becomes one of the panel's pages: the candidates to pick from, "no
 * customer" with what was searched, or the 360 itself (header, alerts, profile tags, the
 * readings chart, the section counts, and the section the agent was on). The timeline is built
 * the first time it is shown: most lookups never open it. Also the small helpers the other
 * files of the panel share (toasts, error dialogs, the rows shown for copy and export).
 */
#define G_LOG_DOMAIN "aq-customer-panel"

#include "config.h"

#include "aq-customer-panel-private.h"

#include <glib/gi18n.h>

#include "aq-labels.h"
#include "aq-reading-chart.h"
#include "aq-record-table.h"
#include "aq-timeline-view.h"

const char *
_aq_customer_panel_page_name (guint index)
{
  return index == 0 ? "timeline" : _aq_customer_panel_section_names[index - 1];
}

/* Returns: (nullable): a member as text, NULL when absent, null or empty */
char *
_aq_customer_panel_member_text (JsonObject *object,
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


void
_aq_customer_panel_show_candidates (AqCustomerPanel *self)
{
  JsonArray *candidates = self->result->matches->candidates;
  guint n = json_array_get_length (candidates);
  g_autofree char *heading = NULL;

  clear_list (self->candidates_list);
  if (self->result->matches->total > n)
    {
      g_autofree char *total = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                self->result->matches->total);

      /* Translators: "showing 50 of 1243 accounts for “碧水公寓”": a search cut at 50 */
      heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Showing %u of %s account for “%s”: add to the "
                                              "search to narrow it",
                                              "Showing %u of %s accounts for “%s”: add to the "
                                              "search to narrow it",
                                              self->result->matches->total),
                                 n, total, self->result->matches->text);
    }
  else
    /* Translators: %u is a number of accounts, %s what was searched */
    heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u account for “%s”",
                                            "%u accounts for “%s”", n),
                               n, self->result->matches->text);
  gtk_label_set_label (self->candidates_label, heading);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *c = json_array_get_object_element (candidates, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *name = _aq_customer_panel_member_text (c, "name");
      g_autofree char *phone = _aq_customer_panel_member_text (c, "phone");
      g_autofree char *address = _aq_customer_panel_member_text (c, "address");
      g_autofree char *status = _aq_customer_panel_member_text (c, "account_status");
      g_autofree char *account = _aq_customer_panel_member_text (c, "account_id");
      g_autofree char *title = NULL;
      GtkWidget *suffix;

      title = g_strdup_printf ("%s · %s", name ? name : "—", phone ? phone : "—");
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), address ? address : "");
      suffix = pill_new (status ? aq_label_value (NULL, "account_status", status) : "—",
                         NULL, NULL);
      gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "account-id", g_steal_pointer (&account), g_free);
      gtk_list_box_append (self->candidates_list, row);
    }
  gtk_stack_set_visible_child_name (self->stack, "candidates");
}

void
_aq_customer_panel_show_none (AqCustomerPanel *self)
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

void
_aq_customer_panel_update_role (AqCustomerPanel *self)
{
  gboolean customer = self->result != NULL && self->result->view != NULL;

  if (self->role != AQ_ROLE_SUPERVISOR)
    gtk_label_set_label (self->role_label, _("Agent view: personal data masked"));
  else if (self->revealed)
    gtk_label_set_label (self->role_label, _("Supervisor: personal data revealed"));
  else
    gtk_label_set_label (self->role_label, _("Supervisor: personal data masked"));
  gtk_widget_set_visible (GTK_WIDGET (self->reveal_button),
                          customer && self->role == AQ_ROLE_SUPERVISOR && !self->revealed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.reveal",
                                 customer && self->role == AQ_ROLE_SUPERVISOR && !self->revealed
                                 && self->reveal_cancellable == NULL);
}

void
_aq_customer_panel_show_section (AqCustomerPanel *self,
                                 const char      *section)
{
  AqCustomer360 *view = self->result ? self->result->view : NULL;
  g_autofree char *title = NULL;

  if (self->section != section)
    {
      g_free (self->section);
      self->section = g_strdup (section);
    }
  if (view == NULL)
    return;

  if (g_str_equal (section, "timeline"))
    {
      /* built on first sight: most lookups never open it, and it costs a row per event */
      if (!self->timeline_built)
        {
          aq_timeline_view_set_customer (self->timeline_view,
                                         json_node_get_object (self->customer_json));
          self->timeline_built = TRUE;
        }
      title = g_strdup (aq_label_section ("timeline"));
      gtk_stack_set_visible_child_name (self->section_stack, "timeline");
    }
  else
    {
      JsonArray *rows = aq_customer_360_get_rows (view, section);
      gint64 count = aq_customer_360_get_count (view, section);
      guint shown = rows ? json_array_get_length (rows) : 0;

      aq_record_table_set_rows (self->record_table, section, rows);
      if (count > (gint64) shown)
        {
          g_autofree char *total = g_strdup_printf ("%" G_GINT64_FORMAT, count);

          /* Translators: a section's title, the rows shown and how many there are in all */
          title = g_strdup_printf (_("%s: the newest %u of %s"), aq_label_section (section),
                                   shown, total);
        }
      else
        title = g_strdup (aq_label_section (section));
      gtk_stack_set_visible_child_name (self->section_stack, "table");
    }
  gtk_label_set_label (self->section_label, title);
  if (self->settings != NULL)
    {
      g_autofree char *kept = g_settings_get_string (self->settings, "customer-section");

      /* only a change is written: a lookup should not cost a settings write */
      if (g_strcmp0 (kept, section) != 0)
        g_settings_set_string (self->settings, "customer-section", section);
    }
}

void
_aq_customer_panel_select_page (AqCustomerPanel *self,
                                guint            index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->sections_list, index);

  if (row != NULL)
    gtk_list_box_select_row (self->sections_list, row);
}

int
_aq_customer_panel_current_page (AqCustomerPanel *self)
{
  for (guint i = 0; self->section && i < AQ_CUSTOMER_PANEL_N_PAGES; i++)
    if (g_str_equal (_aq_customer_panel_page_name (i), self->section))
      return i;
  return -1;
}

GtkWidget *
_aq_customer_panel_section_row_new (const char  *name,
                                    guint        index,
                                    GtkLabel   **count_label)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *shortcut = g_strdup_printf ("Alt+%u", index);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), aq_label_section (name));
  gtk_widget_set_tooltip_text (row, shortcut);
  if (count_label != NULL)
    {
      GtkWidget *label = gtk_label_new (NULL);

      gtk_widget_add_css_class (label, "numeric");
      gtk_widget_set_name (label, "count");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      *count_label = GTK_LABEL (label);
    }
  gtk_widget_set_name (row, name);
  return row;
}

void
_aq_customer_panel_show_customer (AqCustomerPanel *self)
{
  AqCustomer360 *view = self->result->view;
  JsonObject *header = view->header;
  g_autofree char *name = _aq_customer_panel_member_text (header, "name");
  g_autofree char *key_customer = _aq_customer_panel_member_text (header, "key_customer");
  g_autoptr(GString) details = g_string_new (NULL);
  const char * const detail_members[] = {
    "mobile", "customer_type", "account_status", "address", "community", "dma_zone", "tariff",
    NULL
  };
  int page;
  guint n;

  g_clear_pointer (&self->customer_json, json_node_unref);
  self->customer_json = aq_customer_360_to_json (view);
  self->timeline_built = FALSE;
  aq_timeline_view_set_customer (self->timeline_view, NULL);

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
      g_autofree char *value = _aq_customer_panel_member_text (header, detail_members[i]);

      if (value == NULL)
        continue;
      if (details->len > 0)
        g_string_append (details, " · ");
      if (g_str_equal (detail_members[i], "dma_zone"))
        /* Translators: %s is a district metered area's code */
        g_string_append_printf (details, _("DMA %s"), value);
      else
        g_string_append (details, aq_label_value (NULL, detail_members[i], value));
    }
  /* the balance always, 0.00 included (agents read "nothing owed" from a number, not from a
   * missing line), and how fresh the data is */
  if (view->balance != NULL)
    {
      if (details->len > 0)
        g_string_append (details, "\n");
      if (json_object_has_member (view->balance, "arrears_amount")
          && !json_object_get_null_member (view->balance, "arrears_amount"))
        /* Translators: %.2f is an amount in yuan */
        g_string_append_printf (details, _("Balance due: %.2f yuan"),
                                json_object_get_double_member (view->balance, "arrears_amount"));
      else
        g_string_append (details, _("Balance due: not computed yet"));
      if (json_object_has_member (view->balance, "data_as_of"))
        {
          g_string_append (details, " · ");
          /* Translators: %s is the time of the last data load, 2026-12-07 02:10 */
          g_string_append_printf (details, _("Data as of %s"),
                                  json_object_get_string_member (view->balance, "data_as_of"));
        }
    }
  gtk_label_set_label (self->details_label, details->str);

  clear_flow (self->alerts_box);
  n = view->alerts ? json_array_get_length (view->alerts) : 0;
  for (guint i = 0; i < n; i++)
    {
      JsonObject *alert = json_array_get_object_element (view->alerts, i);
      g_autofree char *text = _aq_customer_panel_member_text (alert, "text");

      gtk_flow_box_append (self->alerts_box, pill_new (text ? text : "", NULL, "alert"));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->alerts_box), n > 0);

  clear_flow (self->tags_box);
  n = view->tags ? json_array_get_length (view->tags) : 0;
  for (guint i = 0; i < n; i++)
    {
      JsonObject *tag = json_array_get_object_element (view->tags, i);
      g_autofree char *label = _aq_customer_panel_member_text (tag, "tag");
      g_autofree char *value = _aq_customer_panel_member_text (tag, "value");
      g_autofree char *text = _aq_customer_panel_member_text (tag, "text");
      const char *tag_label = aq_label_tag (label);
      g_autofree char *shown = NULL;

      if (value != NULL)
        /* Translators: a profile tag and its value: "Payment habit: Pays on time" */
        shown = g_strdup_printf (_("%s: %s"), tag_label, aq_label_value (NULL, label, value));
      else
        shown = g_strdup (tag_label);
      gtk_flow_box_append (self->tags_box, pill_new (shown, text, NULL));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->tags_box), n > 0);

  aq_reading_chart_set_readings (self->reading_chart,
                                 aq_customer_360_get_rows (view, "readings"));

  /* the rows stay, their counts change; and the section the agent was on stays selected:
   * the next caller's bills are where the last one's were */
  for (guint i = 0; _aq_customer_panel_section_names[i]; i++)
    {
      const char *section = _aq_customer_panel_section_names[i];
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                aq_customer_360_get_count (view, section));
      gtk_label_set_label (self->count_labels[i], count);
    }
  page = _aq_customer_panel_current_page (self);
  if (page < 0)
    page = 2;
  if (gtk_list_box_get_selected_row (self->sections_list)
      == gtk_list_box_get_row_at_index (self->sections_list, page))
    _aq_customer_panel_show_section (self, _aq_customer_panel_page_name (page));
  else
    _aq_customer_panel_select_page (self, page);
  _aq_customer_panel_update_role (self);
  gtk_stack_set_visible_child_name (self->stack, "customer");
}

void
_aq_customer_panel_set_customer_actions_enabled (AqCustomerPanel *self,
                                                 gboolean         enabled)
{
  const char * const actions[] = {
    "customer.copy", "customer.export", "customer.show-section", "customer.next-section",
    "customer.previous-section", NULL
  };

  for (guint i = 0; actions[i]; i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i], enabled);
}

/* The visible rows of the current section (or of the filtered timeline), titles first. */
void
_aq_customer_panel_dup_visible (AqCustomerPanel  *self,
                                GStrv            *header,
                                GPtrArray       **rows)
{
  if (g_strcmp0 (self->section, "timeline") == 0)
    {
      *header = aq_timeline_view_dup_header (self->timeline_view);
      *rows = aq_timeline_view_dup_rows (self->timeline_view);
    }
  else
    {
      *header = aq_record_table_dup_header (self->record_table);
      *rows = aq_record_table_dup_rows (self->record_table);
    }
}

/* Takes @text. */
void
_aq_customer_panel_show_toast (AqCustomerPanel *self,
                               char            *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 2);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  g_free (text);
}

void
_aq_customer_panel_show_error_dialog (AqCustomerPanel *self,
                                      const char      *heading,
                                      const char      *body)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}
