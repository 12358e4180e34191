/* aq-customer-panel.c — Customer 360: one search, then everything about one account
 *
 * The search entry takes any key (a phone in any form, a customer, account or meter number, a
 * fragment of a name or an address); Enter runs core's lookup on the panel's session (one
 * connection kept on one thread, aq-customer-session.c), a newer search cancelling the older.
 * Several candidates are listed to pick from, none says what was searched, one shows the 360:
 * header, alerts, profile tags, the readings chart, and the sections (each a titled table)
 * with the merged timeline before them.
 *
 * The lookup is always masked, whatever the role: a supervisor sees full values only after
 * "Reveal" with a reason, which core records in the audit log (aq_customer_reveal()), so no
 * personal data reaches the screen without a row saying why. What the current section or the
 * filtered timeline shows is what Ctrl+C copies (tab-separated, for a spreadsheet) and what
 * "Export…" writes (CSV). Sections are GActions with shortcuts (Alt+0…9, Ctrl+Page Up/Down).
 */
#define G_LOG_DOMAIN "aq-customer-panel"

#include "config.h"

#include "aq-customer-panel.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "aq-connection.h"
#include "aq-csv.h"
#include "aq-customer-360.h"
#include "aq-customer-session.h"
#include "aq-labels.h"
#include "aq-panel.h"
#include "aq-reading-chart.h"
#include "aq-record-table.h"
#include "aq-reveal-dialog.h"
#include "aq-timeline-view.h"

struct _AqCustomerPanel
{
  GtkWidget            parent_instance;

  AdwToastOverlay     *toast_overlay;
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
  GtkLabel            *section_label;
  GtkStack            *section_stack;
  AqRecordTable       *record_table;
  AqTimelineView      *timeline_view;
  AqReadingChart      *reading_chart;
  GtkLabel            *role_label;
  GtkButton           *reveal_button;
  GtkLabel            *count_labels[9];

  AqConnectionMonitor *monitor;
  AqCustomerSession   *session;
  GSettings           *settings;
  GCancellable        *cancellable;
  GCancellable        *reveal_cancellable;
  AqCustomerLookup    *result;
  JsonNode            *customer_json;   /* the 360 as JSON, which the timeline is built from */
  AqCustomerKey        key;
  AqRole               role;
  char                *lookup;
  char                *section;         /* shown: "timeline" or a 360 section */
  gboolean             timeline_built;
  gboolean             revealed;
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

/* What the sections list holds, in order: Alt+0 is the timeline, Alt+1…9 the sections. */
#define N_PAGES (G_N_ELEMENTS (section_names))

static const char *
page_name (guint index)
{
  return index == 0 ? "timeline" : section_names[index - 1];
}

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
update_role (AqCustomerPanel *self)
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

static void
show_section (AqCustomerPanel *self,
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

static void
select_page (AqCustomerPanel *self,
             guint            index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->sections_list, index);

  if (row != NULL)
    gtk_list_box_select_row (self->sections_list, row);
}

static int
current_page (AqCustomerPanel *self)
{
  for (guint i = 0; self->section && i < N_PAGES; i++)
    if (g_str_equal (page_name (i), self->section))
      return i;
  return -1;
}

static GtkWidget *
section_row_new (const char  *name,
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
      g_autofree char *value = member_text (header, detail_members[i]);

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
  for (guint i = 0; section_names[i]; i++)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                aq_customer_360_get_count (view,
                                                                           section_names[i]));
      gtk_label_set_label (self->count_labels[i], count);
    }
  page = current_page (self);
  if (page < 0)
    page = 2;
  if (gtk_list_box_get_selected_row (self->sections_list)
      == gtk_list_box_get_row_at_index (self->sections_list, page))
    show_section (self, page_name (page));
  else
    select_page (self, page);
  update_role (self);
  gtk_stack_set_visible_child_name (self->stack, "customer");
}

static void
set_customer_actions_enabled (AqCustomerPanel *self,
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
static void
dup_visible (AqCustomerPanel  *self,
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
static void
show_toast (AqCustomerPanel *self,
            char            *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 2);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  g_free (text);
}

static void
show_error_dialog (AqCustomerPanel *self,
                   const char      *heading,
                   const char      *body)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
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
      set_customer_actions_enabled (self, self->result->view != NULL);
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
    show_section (self, gtk_widget_get_name (GTK_WIDGET (row)));
}

static void
reveal_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AqCustomer360) view = NULL;
  g_autoptr(GError) error = NULL;
  AqCustomerPanel *self;

  view = aq_customer_session_reveal_finish (AQ_CUSTOMER_SESSION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = AQ_CUSTOMER_PANEL (user_data);
  g_clear_object (&self->reveal_cancellable);
  set_loading (self, FALSE);
  if (view == NULL)
    {
      show_error_dialog (self, _("The Data Could Not Be Revealed"), error->message);
      update_role (self);
      return;
    }
  /* the role may have changed while the reveal ran: an agent never gets the full data */
  if (self->role != AQ_ROLE_SUPERVISOR || self->result == NULL || self->result->view == NULL
      || g_strcmp0 (self->result->view->account_id, view->account_id) != 0)
    return;
  aq_customer_360_free (self->result->view);
  self->result->view = g_steal_pointer (&view);
  self->revealed = TRUE;
  show_customer (self);
}

static void
reveal_response_cb (AqRevealDialog  *dialog,
                    const char      *response,
                    AqCustomerPanel *self)
{
  g_autofree char *reason = aq_reveal_dialog_dup_reason (dialog);

  if (g_str_equal (response, "reveal") && *reason != '\0')
    aq_customer_panel_reveal (self, reason);
}

static void
settings_changed_cb (GSettings       *settings,
                     const char      *key,
                     AqCustomerPanel *self)
{
  g_autofree char *role = g_settings_get_string (settings, "customer-role");
  AqRole new_role = g_str_equal (role, "supervisor") ? AQ_ROLE_SUPERVISOR : AQ_ROLE_AGENT;

  if (new_role == self->role)
    return;
  self->role = new_role;
  g_cancellable_cancel (self->reveal_cancellable);
  g_clear_object (&self->reveal_cancellable);
  /* what was revealed for a supervisor is masked again at once for whoever comes next */
  if (self->revealed && self->result && self->result->view)
    {
      g_autofree char *account = g_strdup (self->result->view->account_id);

      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), account);
      start_lookup (self, AQ_CUSTOMER_KEY_ACCOUNT, account);
    }
  update_role (self);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqCustomerPanel) self = user_data;

  if (g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      g_autofree char *name = g_file_get_basename (G_FILE (object));
      /* a toast's title is markup */
      g_autofree char *escaped = g_markup_escape_text (name, -1);

      /* Translators: %s is the name of the file written */
      show_toast (self, g_strdup_printf (_("Saved “%s”"), escaped));
    }
  else
    {
      g_autofree char *body = NULL;
      g_autofree char *path = g_file_get_parse_name (G_FILE (object));

      /* Translators: the first %s is a file's path, the second why it could not be written */
      body = g_strdup_printf (_("“%s”: %s"), path, error->message);
      show_error_dialog (self, _("The Export Failed"), body);
    }
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    AqCustomerPanel *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      aq_customer_panel_export (self, file);
    }
  g_object_unref (dialog);
}

static void
stop_search_cb (AqCustomerPanel *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "customer.cancel", NULL);
}

/* Ctrl+C: the text selected in a field or a label, if any; else the rows shown. After Enter
 * the focus is still in the search field, and "copy" then means the rows. */
static gboolean
copy_shortcut_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  AqCustomerPanel *self = AQ_CUSTOMER_PANEL (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  if (focus != NULL && GTK_IS_EDITABLE (focus)
      && gtk_editable_get_selection_bounds (GTK_EDITABLE (focus), NULL, NULL))
    return FALSE;
  if (focus != NULL && GTK_IS_LABEL (focus)
      && gtk_label_get_selection_bounds (GTK_LABEL (focus), NULL, NULL))
    return FALSE;
  if (self->result == NULL || self->result->view == NULL
      || g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "customer") != 0)
    return FALSE;
  return gtk_widget_activate_action (widget, "customer.copy", NULL);
}

/* ---- actions ---- */

/* A slow lookup is given up: the worker's query is cancelled on the server, and the panel
 * shows again what it showed before. */
static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AqCustomerPanel *self = AQ_CUSTOMER_PANEL (widget);

  if (self->cancellable == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_action_set_enabled (widget, "customer.cancel", FALSE);
  set_loading (self, FALSE);
  if (self->result == NULL)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else if (self->result->view != NULL)
    {
      set_customer_actions_enabled (self, TRUE);
      update_role (self);
      gtk_stack_set_visible_child_name (self->stack, "customer");
    }
  else if (json_array_get_length (self->result->matches->candidates) == 0)
    gtk_stack_set_visible_child_name (self->stack, "none");
  else
    gtk_stack_set_visible_child_name (self->stack, "candidates");
}

static void
show_section_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  AqCustomerPanel *self = AQ_CUSTOMER_PANEL (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  for (guint i = 0; i < N_PAGES; i++)
    if (g_str_equal (page_name (i), name))
      select_page (self, i);
}

static void
step_section_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  AqCustomerPanel *self = AQ_CUSTOMER_PANEL (widget);
  int step = g_str_equal (action_name, "customer.next-section") ? 1 : -1;
  int page = current_page (self);

  select_page (self, (page + step + N_PAGES) % N_PAGES);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AqCustomerPanel *self = AQ_CUSTOMER_PANEL (widget);
  g_auto(GStrv) header = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *text = NULL;

  dup_visible (self, &header, &rows);
  text = aq_tsv_format ((const char * const *) header, rows);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  show_toast (self, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Copied %u row",
                                                  "Copied %u rows", rows->len),
                                     rows->len));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AqCustomerPanel *self = AQ_CUSTOMER_PANEL (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  dialog = gtk_file_chooser_native_new (_("Export as CSV"),
                                        GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  name = g_strdup_printf ("%s-%s.csv", self->result && self->result->view
                                       ? self->result->view->account_id : "customer",
                          self->section ? self->section : "rows");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
reveal_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AqCustomerPanel *self = AQ_CUSTOMER_PANEL (widget);
  AqRevealDialog *dialog;

  if (self->role != AQ_ROLE_SUPERVISOR || self->result == NULL || self->result->view == NULL)
    return;
  dialog = aq_reveal_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)));
  g_signal_connect_object (dialog, "response", G_CALLBACK (reveal_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
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
  g_cancellable_cancel (self->reveal_cancellable);
  g_clear_object (&self->reveal_cancellable);
  set_customer_actions_enabled (self, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.reveal", FALSE);
  self->cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.cancel", TRUE);
  set_loading (self, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  /* masked whatever the role: full data only through a reveal, which says why */
  aq_customer_session_lookup_async (self->session,
                                    self->monitor
                                    ? aq_connection_monitor_get_profile_url (self->monitor)
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
  g_cancellable_cancel (self->reveal_cancellable);
  g_clear_object (&self->reveal_cancellable);
  g_clear_object (&self->monitor);
  g_clear_object (&self->session);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
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

  gtk_widget_class_install_action (widget_class, "customer.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "customer.show-section", "s",
                                   show_section_action);
  gtk_widget_class_install_action (widget_class, "customer.next-section", NULL,
                                   step_section_action);
  gtk_widget_class_install_action (widget_class, "customer.previous-section", NULL,
                                   step_section_action);
  gtk_widget_class_install_action (widget_class, "customer.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "customer.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "customer.reveal", NULL, reveal_action);
  gtk_widget_class_install_action (widget_class, "customer.cancel", NULL, cancel_action);

  /* the section shortcuts and Ctrl+C are in a capture-phase controller (see _init); these
   * bubble, so a focused field keeps its own and Escape closes what is open first */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "customer.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "customer.cancel", NULL);

  g_type_ensure (AQ_TYPE_READING_CHART);
  g_type_ensure (AQ_TYPE_RECORD_TABLE);
  g_type_ensure (AQ_TYPE_TIMELINE_VIEW);
}

static void
aq_customer_panel_init (AqCustomerPanel *self)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GAction) role = NULL;
  g_autofree char *section = NULL;
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->session = aq_customer_session_new ();
  self->settings = g_settings_new (AQ_APP_ID);
  role = g_settings_create_action (self->settings, "customer-role");
  g_action_map_add_action (G_ACTION_MAP (group), role);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "settings", G_ACTION_GROUP (group));
  g_signal_connect (self->settings, "changed::customer-role", G_CALLBACK (settings_changed_cb),
                    self);
  self->role = AQ_ROLE_AGENT;
  settings_changed_cb (self->settings, "customer-role", self);
  section = g_settings_get_string (self->settings, "customer-section");
  self->section = g_steal_pointer (&section);

  gtk_list_box_append (self->sections_list, section_row_new ("timeline", 0, NULL));
  for (guint i = 0; section_names[i]; i++)
    gtk_list_box_append (self->sections_list,
                         section_row_new (section_names[i], i + 1, &self->count_labels[i]));

  /* Alt+0 the timeline, Alt+1…9 the sections in the list's order, Ctrl+Page Down/Up the next
   * and previous. In the capture phase: the page's GtkScrolledWindow binds Ctrl+Page Up/Down
   * to sideways scrolling and would take them from any focused child first; and the search
   * field, which keeps the focus after Enter, would take Ctrl+C (see copy_shortcut_cb). */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < N_PAGES && i < 10; i++)
    gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (controller),
      gtk_shortcut_new_with_arguments (gtk_keyval_trigger_new (GDK_KEY_0 + i, GDK_ALT_MASK),
                                       gtk_named_action_new ("customer.show-section"),
                                       "s", page_name (i)));
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (controller),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Page_Down, GDK_CONTROL_MASK),
                      gtk_named_action_new ("customer.next-section")));
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (controller),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Page_Up, GDK_CONTROL_MASK),
                      gtk_named_action_new ("customer.previous-section")));
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (controller),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_c, GDK_CONTROL_MASK),
                      gtk_callback_action_new (copy_shortcut_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  set_customer_actions_enabled (self, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.cancel", FALSE);
  update_role (self);
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
 * aq_customer_panel_reveal:
 * @reason: why, for the audit log; not empty
 *
 * For a supervisor: reads the customer shown again, unmasked, on the session's thread; core
 * writes the audit row first. The panel is "loading" until the answer is shown.
 */
void
aq_customer_panel_reveal (AqCustomerPanel *self,
                          const char      *reason)
{
  g_return_if_fail (AQ_IS_CUSTOMER_PANEL (self));
  g_return_if_fail (reason != NULL);

  if (self->role != AQ_ROLE_SUPERVISOR || self->result == NULL || self->result->view == NULL)
    return;

  g_cancellable_cancel (self->reveal_cancellable);
  g_clear_object (&self->reveal_cancellable);
  self->reveal_cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  update_role (self);
  aq_customer_session_reveal_async (self->session,
                                    self->monitor
                                    ? aq_connection_monitor_get_profile_url (self->monitor)
                                    : NULL,
                                    self->result->view->account_id, g_get_user_name (), reason,
                                    self->reveal_cancellable, reveal_cb, self);
}

/**
 * aq_customer_panel_export:
 * @file: where to write
 *
 * Writes what the current section (or the filtered timeline) shows as CSV, asynchronously.
 */
void
aq_customer_panel_export (AqCustomerPanel *self,
                          GFile           *file)
{
  g_auto(GStrv) header = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (AQ_IS_CUSTOMER_PANEL (self));
  g_return_if_fail (G_IS_FILE (file));

  dup_visible (self, &header, &rows);
  bytes = aq_csv_format ((const char * const *) header, rows);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                       export_done_cb, g_object_ref (self));
}
