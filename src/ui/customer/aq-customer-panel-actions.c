/* aq-customer-panel-actions.c — the Customer 360 panel's actions, role, reveal and export
 *
 * Everything the agent can do to what is shown is a GAction on the panel ("customer.*"), so the
 * shortcuts, the buttons and the tests go through the same code: cancel a slow lookup, move
 * between sections (Alt+0…9, Ctrl+Page Up/Down), copy (Ctrl+C) and export (Ctrl+E) the rows
 * shown, retry, and reveal. The role is the warehouse's answer for the current login
 * (aq_users_current_job_roles(): pg_has_role on a worker), asked again whenever the connection
 * comes back or changes; only a supervisor sees Reveal, and a change of login masks again at
 * once whatever a supervisor had revealed. A reveal reads the customer again unmasked on the
 * session, and core writes the audit row first (the warehouse refuses anyone else anyway).
 */
#define G_LOG_DOMAIN "aq-customer-panel"

#include "config.h"

#include "aq-customer-panel-private.h"

#include <glib/gi18n.h>

#include "aq-connection.h"
#include "aq-csv.h"
#include "aq-db-job.h"
#include "aq-reveal-dialog.h"
#include "aq-timeline-view.h"
#include "aq-users.h"

/* ---- callbacks ---- */

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
  _aq_customer_panel_set_loading (self, FALSE);
  if (view == NULL)
    {
      _aq_customer_panel_show_error_dialog (self, _("The Data Could Not Be Revealed"),
                                            error->message);
      _aq_customer_panel_update_role (self);
      return;
    }
  /* the role may have changed while the reveal ran: an agent never gets the full data */
  if (self->role != AQ_ROLE_SUPERVISOR || self->result == NULL || self->result->view == NULL
      || g_strcmp0 (self->result->view->account_id, view->account_id) != 0)
    return;
  aq_customer_360_free (self->result->view);
  self->result->view = g_steal_pointer (&view);
  self->revealed = TRUE;
  _aq_customer_panel_show_customer (self);
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
set_role (AqCustomerPanel *self,
          AqRole           new_role)
{
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
      _aq_customer_panel_start_lookup (self, AQ_CUSTOMER_KEY_ACCOUNT, account);
    }
  _aq_customer_panel_update_role (self);
}

static gpointer
ask_roles_job (AqDb          *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  GError *local = NULL;
  AqJobRole jobs = aq_users_current_job_roles (db, NULL, &local);

  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  /* NONE is a valid answer: tagged so that it is told from an error */
  return GUINT_TO_POINTER ((guint) jobs | 0x10000u);
}

static void
ask_roles_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gpointer answer = aq_db_job_run_finish (result, ask_roles_job, &error);
  AqCustomerPanel *self;
  AqJobRole jobs;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_CUSTOMER_PANEL (user_data);
  g_clear_object (&self->role_cancellable);
  if (answer == NULL)
    {
      /* unknown: the least the login may be; asked again when the warehouse is back */
      g_debug ("the login's roles: %s", error ? error->message : "no answer");
      self->roles_known = FALSE;
      set_role (self, AQ_ROLE_AGENT);
      return;
    }
  jobs = (AqJobRole) (GPOINTER_TO_UINT (answer) & 0xffffu);
  self->roles_known = TRUE;
  set_role (self, (jobs & AQ_JOB_ROLE_SUPERVISOR) ? AQ_ROLE_SUPERVISOR : AQ_ROLE_AGENT);
}

/* Asks the warehouse what the current login may do; the answer sets the role. */
void
_aq_customer_panel_ask_roles (AqCustomerPanel *self)
{
  g_cancellable_cancel (self->role_cancellable);
  g_clear_object (&self->role_cancellable);
  self->role_cancellable = g_cancellable_new ();
  self->roles_known = FALSE;
  aq_db_job_run_async (self->monitor ? aq_connection_monitor_get_conninfo (self->monitor)
                                     : NULL,
                       ask_roles_job, ask_roles_job, NULL, NULL, NULL,
                       self->role_cancellable, ask_roles_cb, self);
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
      _aq_customer_panel_show_toast (self, g_strdup_printf (_("Saved “%s”"), escaped));
    }
  else
    {
      g_autofree char *body = NULL;
      g_autofree char *path = g_file_get_parse_name (G_FILE (object));

      /* Translators: the first %s is a file's path, the second why it could not be written */
      body = g_strdup_printf (_("“%s”: %s"), path, error->message);
      _aq_customer_panel_show_error_dialog (self, _("The Export Failed"), body);
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
  _aq_customer_panel_set_loading (self, FALSE);
  if (self->result == NULL)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else if (self->result->view != NULL)
    {
      _aq_customer_panel_set_customer_actions_enabled (self, TRUE);
      _aq_customer_panel_update_role (self);
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

  for (guint i = 0; i < AQ_CUSTOMER_PANEL_N_PAGES; i++)
    if (g_str_equal (_aq_customer_panel_page_name (i), name))
      _aq_customer_panel_select_page (self, i);
}

static void
step_section_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  AqCustomerPanel *self = AQ_CUSTOMER_PANEL (widget);
  int step = g_str_equal (action_name, "customer.next-section") ? 1 : -1;
  int page = _aq_customer_panel_current_page (self);
  int n = AQ_CUSTOMER_PANEL_N_PAGES;

  _aq_customer_panel_select_page (self, (page + step + n) % n);
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

  _aq_customer_panel_dup_visible (self, &header, &rows);
  text = aq_tsv_format ((const char * const *) header, rows);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  _aq_customer_panel_show_toast (self, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                     "Copied %u row",
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
      _aq_customer_panel_start_lookup (self, self->key, text);
    }
}

/* ---- for aq-customer-panel.c ---- */

void
_aq_customer_panel_class_init_actions (GtkWidgetClass *widget_class)
{
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
}

void
_aq_customer_panel_init_shortcuts (AqCustomerPanel *self)
{
  GtkEventController *controller;

  /* Alt+0 the timeline, Alt+1…9 the sections in the list's order, Ctrl+Page Down/Up the next
   * and previous. In the capture phase: the page's GtkScrolledWindow binds Ctrl+Page Up/Down
   * to sideways scrolling and would take them from any focused child first; and the search
   * field, which keeps the focus after Enter, would take Ctrl+C (see copy_shortcut_cb). */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < AQ_CUSTOMER_PANEL_N_PAGES && i < 10; i++)
    gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (controller),
      gtk_shortcut_new_with_arguments (gtk_keyval_trigger_new (GDK_KEY_0 + i, GDK_ALT_MASK),
                                       gtk_named_action_new ("customer.show-section"),
                                       "s", _aq_customer_panel_page_name (i)));
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
}

/* ---- public API ---- */

/**
 * aq_customer_panel_reveal:
 * @reason: why, for the audit log; not empty
 *
 * For a supervisor: reads the customer shown again, unmasked, through the session; core
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
  _aq_customer_panel_set_loading (self, TRUE);
  _aq_customer_panel_update_role (self);
  aq_customer_session_reveal_async (self->session,
                                    self->monitor
                                    ? aq_connection_monitor_get_conninfo (self->monitor)
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

  _aq_customer_panel_dup_visible (self, &header, &rows);
  bytes = aq_csv_format ((const char * const *) header, rows);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                       export_done_cb, g_object_ref (self));
}
