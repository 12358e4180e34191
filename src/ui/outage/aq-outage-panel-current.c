/* aq-outage-panel-current.c — the outage map's current outages: follow one, cancel one
 *
 * Below "What the Area Affects", the planned and active outages are listed. Selecting one
 * asks the warehouse what cancelling it would do (aq_outage_cancel_preview(): may this login
 * cancel it — the grant on notify.outage, not a role name the client assumes — and how many
 * of its notices' messages would be withdrawn and how many already left). "Notice…" opens the
 * outage's notice window; "Cancel Outage…" is enabled only when the warehouse allows it, asks
 * with those two figures, cancels (the warehouse withdraws the queued messages by trigger, in
 * the same transaction) and says what was withdrawn and what had already been sent. Every
 * warehouse call is a job on a worker thread (the panel's job cancellable ends them); the
 * answer about an outage no longer selected is dropped.
 */
#define G_LOG_DOMAIN "aq-outage-panel"

#include "config.h"

#include "aq-outage-panel-private.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "aq-db-job.h"
#include "aq-labels.h"
#include "aq-notice-dialog.h"
#include "aq-outage-cancel.h"
#include "aq-outage.h"
#include "aq-template.h"

/* A job's data: the outage it is about; a cancellation's result: what it withdrew. */
typedef struct
{
  gint64 outage_id;
  gint64 withdrawn;
  gint64 sent;
} CurrentJob;

static CurrentJob *
current_job_new (gint64 outage_id)
{
  CurrentJob *job = g_new0 (CurrentJob, 1);

  job->outage_id = outage_id;
  return job;
}

static void
update_current_actions (AqOutagePanel *self)
{
  const AqOutageCancelPreview *p = self->cancel_preview;
  gboolean selected = self->selected_outage > 0;
  g_autofree char *text = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "outage.notice", selected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "outage.cancel",
                                 selected && p != NULL && p->allowed && !self->cancelling);
  if (selected && p != NULL && !p->allowed && g_str_equal (p->status, "cancelled"))
    text = g_strdup (_("This outage is cancelled."));
  else if (selected && p != NULL && !p->allowed)
    text = g_strdup (_("Your login may not cancel outages: a dispatcher's login can."));
  else if (selected && p != NULL)
    {
      /* Translators: %d is a number of text or WeChat messages of an outage's notices */
      g_autofree char *queued = g_strdup_printf (ngettext ("%d notice message queued",
                                                           "%d notice messages queued",
                                                           p->to_withdraw),
                                                 (int) p->to_withdraw);
      /* Translators: %d is a number of messages that have already been sent */
      g_autofree char *sent = g_strdup_printf (ngettext ("%d sent", "%d sent", p->sent),
                                               (int) p->sent);

      /* Translators: "3 notice messages queued · 0 sent" */
      text = g_strdup_printf (_("%s · %s"), queued, sent);
    }
  gtk_label_set_label (self->current_status, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->current_status), text != NULL);
}

/* ---- the preview of a cancellation ---- */

static gpointer
preview_job (AqDb          *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  CurrentJob *job = data;

  return aq_outage_cancel_preview (db, job->outage_id, error);
}

static void
preview_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AqOutageCancelPreview *preview = aq_db_job_run_finish (result, _aq_outage_panel_run_job,
                                                         &error);
  AqOutagePanel *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_OUTAGE_PANEL (user_data);
  self->current_jobs--;
  if (preview == NULL)
    {
      _aq_outage_panel_toast (self, error->message);
      return;
    }
  /* a newer selection wins: the answer about an outage no longer selected is dropped */
  if (preview->outage_id != self->selected_outage)
    {
      aq_outage_cancel_preview_free (preview);
      return;
    }
  g_clear_pointer (&self->cancel_preview, aq_outage_cancel_preview_free);
  self->cancel_preview = preview;
  update_current_actions (self);
}

static void
ask_preview (AqOutagePanel *self)
{
  g_clear_pointer (&self->cancel_preview, aq_outage_cancel_preview_free);
  update_current_actions (self);
  if (self->selected_outage <= 0)
    return;
  self->current_jobs++;
  _aq_outage_panel_run_job (self, preview_job, current_job_new (self->selected_outage), g_free,
                            (GDestroyNotify) aq_outage_cancel_preview_free, preview_cb);
}

static void
row_selected_cb (GtkListBox    *list,
                 GtkListBoxRow *row,
                 AqOutagePanel *self)
{
  gint64 id = row ? GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "outage-id")) : 0;

  if (id == self->selected_outage)
    return;
  self->selected_outage = id;
  ask_preview (self);
}

/* ---- the list ---- */

static gpointer
list_job (AqDb          *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(GPtrArray) all = aq_outage_list (db, NULL, error);
  GPtrArray *current;

  if (all == NULL)
    return NULL;
  current = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_outage_free);
  for (guint i = 0; i < all->len; i++)
    {
      AqOutage *o = g_ptr_array_index (all, i);

      if (g_str_equal (o->status, "planned") || g_str_equal (o->status, "active"))
        g_ptr_array_add (current, g_ptr_array_steal_index (all, i--));
    }
  return current;
}

static GtkWidget *
outage_row_new (AqOutage *o)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *start = aq_template_format_time (o->start_time);
  g_autofree char *end = aq_template_format_time (o->expected_end);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *name = g_strdup_printf ("outage-%" G_GINT64_FORMAT, o->outage_id);

  /* Translators: an outage in the list: its number and reason, "#12 主管爆管抢修" */
  title = g_strdup_printf (_("#%d %s"), (int) o->outage_id, o->reason);
  /* Translators: an outage's kind, status and window: "Planned · Under way · 09:00 – 17:00" */
  subtitle = g_strdup_printf (_("%s · %s · %s – %s"),
                              aq_label_value ("outages", "kind", o->kind),
                              aq_label_value ("outages", "status", o->status), start, end);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_name (row, name);
  g_object_set_data (G_OBJECT (row), "outage-id", GSIZE_TO_POINTER (o->outage_id));
  return row;
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outages = aq_db_job_run_finish (result, _aq_outage_panel_run_job,
                                                       &error);
  AqOutagePanel *self;
  GtkWidget *child;
  GtkListBoxRow *keep = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_OUTAGE_PANEL (user_data);
  self->current_jobs--;
  if (outages == NULL)
    {
      /* the map's own error page says what is wrong with the warehouse */
      g_debug ("current outages: %s", error->message);
      return;
    }
  g_signal_handlers_block_by_func (self->current_list, row_selected_cb, self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->current_list))) != NULL)
    gtk_list_box_remove (self->current_list, child);
  for (guint i = 0; i < outages->len; i++)
    {
      AqOutage *o = g_ptr_array_index (outages, i);
      GtkWidget *row = outage_row_new (o);

      gtk_list_box_append (self->current_list, row);
      if (o->outage_id == self->selected_outage)
        keep = GTK_LIST_BOX_ROW (row);
    }
  self->n_current = outages->len;
  if (keep)
    gtk_list_box_select_row (self->current_list, keep);
  g_signal_handlers_unblock_by_func (self->current_list, row_selected_cb, self);
  if (keep == NULL && self->selected_outage > 0)
    {
      self->selected_outage = 0;
      ask_preview (self);
    }
  else if (keep != NULL)
    ask_preview (self);
}

/* ---- the actions ---- */

static gpointer
cancel_job (AqDb          *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  CurrentJob *job = data;
  CurrentJob *done = current_job_new (job->outage_id);

  if (!aq_outage_cancel_counted (db, job->outage_id, &done->withdrawn, &done->sent, error))
    return (g_free (done), NULL);
  return done;
}

static void
cancel_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree CurrentJob *job = aq_db_job_run_finish (result, _aq_outage_panel_run_job, &error);
  AqOutagePanel *self;
  g_autofree char *withdrawn = NULL;
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_OUTAGE_PANEL (user_data);
  self->current_jobs--;
  self->cancelling = FALSE;
  if (job == NULL)
    {
      _aq_outage_panel_toast (self, error->message);
      update_current_actions (self);
      return;
    }
  /* Translators: %d is the outage's number, then a number of messages */
  withdrawn = g_strdup_printf (ngettext ("Outage %d cancelled: %d notice message withdrawn.",
                                         "Outage %d cancelled: %d notice messages withdrawn.",
                                         job->withdrawn),
                               (int) job->outage_id, (int) job->withdrawn);
  if (job->sent > 0)
    {
      /* Translators: %d is a number of messages that had already left */
      g_autofree char *sent = g_strdup_printf (ngettext ("%d had already been sent: send a "
                                                         "correction notice.",
                                                         "%d had already been sent: send a "
                                                         "correction notice.", job->sent),
                                               (int) job->sent);

      text = g_strconcat (withdrawn, " ", sent, NULL);
    }
  _aq_outage_panel_toast (self, text ? text : withdrawn);
  self->last_withdrawn = job->withdrawn;
  self->last_sent = job->sent;
  aq_overlay_layer_reload (self->overlay);
  _aq_outage_panel_reload_current (self);
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     AqOutagePanel    *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "outage-id"));

  if (!g_str_equal (response, "cancel-outage") || id <= 0)
    return;
  self->cancelling = TRUE;
  self->current_jobs++;
  update_current_actions (self);
  _aq_outage_panel_run_job (self, cancel_job, current_job_new (id), g_free, g_free, cancel_cb);
}

void
_aq_outage_panel_cancel_outage_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  AqOutagePanel *self = AQ_OUTAGE_PANEL (widget);
  const AqOutageCancelPreview *p = self->cancel_preview;
  g_autofree char *heading = NULL;
  g_autofree char *withdraw = NULL;
  g_autofree char *sent = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (p == NULL || !p->allowed)
    return;
  /* Translators: %d is an outage's number */
  heading = g_strdup_printf (_("Cancel outage %d?"), (int) p->outage_id);
  /* Translators: %d is a number of text or WeChat messages not sent yet */
  withdraw = g_strdup_printf (ngettext ("%d queued notice message will be withdrawn and not "
                                        "sent.",
                                        "%d queued notice messages will be withdrawn and not "
                                        "sent.", p->to_withdraw), (int) p->to_withdraw);
  if (p->sent > 0)
    /* Translators: %d is a number of messages that have already left */
    sent = g_strdup_printf (ngettext ("%d has already been sent: those customers may need a "
                                      "correction notice.",
                                      "%d have already been sent: those customers may need a "
                                      "correction notice.", p->sent), (int) p->sent);
  else
    sent = g_strdup (_("None has been sent yet."));
  body = g_strconcat (withdraw, "\n", sent, NULL);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Outage"),
                                    "cancel-outage", _("_Cancel Outage"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "cancel-outage",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_object_set_data (G_OBJECT (dialog), "outage-id", GSIZE_TO_POINTER (p->outage_id));
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_aq_outage_panel_notice_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  AqOutagePanel *self = AQ_OUTAGE_PANEL (widget);
  AqNoticeDialog *dialog;

  if (self->selected_outage <= 0)
    return;
  dialog = aq_notice_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                 _aq_outage_panel_conninfo (self), self->selected_outage, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- shared with the panel's other files ---- */

void
_aq_outage_panel_reload_current (AqOutagePanel *self)
{
  self->current_jobs++;
  _aq_outage_panel_run_job (self, list_job, NULL, NULL, (GDestroyNotify) g_ptr_array_unref,
                            list_cb);
}

/* Builds the section under the area's summary. */
void
_aq_outage_panel_build_current (AqOutagePanel *self)
{
  GtkWidget *section = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (_("Current Outages"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *placeholder = gtk_label_new (_("No planned or active outage."));
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *notice = gtk_button_new_with_mnemonic (_("_Notice…"));
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("Cancel _Outage…"));

  gtk_widget_set_margin_start (section, 12);
  gtk_widget_set_margin_end (section, 12);
  gtk_widget_set_margin_bottom (section, 12);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (section), heading);

  self->current_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_set_name (GTK_WIDGET (self->current_list), "current-outages");
  gtk_list_box_set_selection_mode (self->current_list, GTK_SELECTION_SINGLE);
  gtk_widget_add_css_class (GTK_WIDGET (self->current_list), "boxed-list");
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->current_list, placeholder);
  g_signal_connect (self->current_list, "row-selected", G_CALLBACK (row_selected_cb), self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 220);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled),
                                 GTK_WIDGET (self->current_list));
  gtk_box_append (GTK_BOX (section), scrolled);

  self->current_status = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->current_status, 0);
  gtk_label_set_wrap (self->current_status, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->current_status), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (self->current_status), FALSE);
  gtk_box_append (GTK_BOX (section), GTK_WIDGET (self->current_status));

  gtk_box_set_homogeneous (GTK_BOX (buttons), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (notice), "outage.notice");
  gtk_widget_set_tooltip_text (notice, _("Open the selected outage's notice"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "outage.cancel");
  gtk_widget_set_tooltip_text (cancel, _("Cancel the selected outage and withdraw its notices "
                                         "not yet sent"));
  gtk_widget_add_css_class (cancel, "destructive-action");
  gtk_box_append (GTK_BOX (buttons), notice);
  gtk_box_append (GTK_BOX (buttons), cancel);
  gtk_box_append (GTK_BOX (section), buttons);

  gtk_box_append (self->side_box, gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (self->side_box, section);
  update_current_actions (self);
}

void
_aq_outage_panel_dispose_current (AqOutagePanel *self)
{
  g_clear_pointer (&self->cancel_preview, aq_outage_cancel_preview_free);
}

/* ---- public API ---- */

/* Selects the current outage @outage_id in the list; FALSE when it is not listed. */
gboolean
aq_outage_panel_select_outage (AqOutagePanel *self,
                               gint64         outage_id)
{
  g_return_val_if_fail (AQ_IS_OUTAGE_PANEL (self), FALSE);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->current_list)); row;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row)
        && (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "outage-id"))
           == outage_id)
      {
        gtk_list_box_select_row (self->current_list, GTK_LIST_BOX_ROW (row));
        return TRUE;
      }
  return FALSE;
}

/* Returns: how many planned or active outages the list shows */
guint
aq_outage_panel_get_n_current (AqOutagePanel *self)
{
  g_return_val_if_fail (AQ_IS_OUTAGE_PANEL (self), 0);
  return self->n_current;
}

/* Returns: (nullable): what cancelling the selected outage would do; NULL while it is asked */
const AqOutageCancelPreview *
aq_outage_panel_get_cancel_preview (AqOutagePanel *self)
{
  g_return_val_if_fail (AQ_IS_OUTAGE_PANEL (self), NULL);
  return self->cancel_preview;
}

/* The figures of the last cancellation: messages withdrawn and already sent. */
void
aq_outage_panel_get_last_cancel (AqOutagePanel *self,
                                 gint64        *withdrawn,
                                 gint64        *sent)
{
  g_return_if_fail (AQ_IS_OUTAGE_PANEL (self));
  *withdrawn = self->last_withdrawn;
  *sent = self->last_sent;
}
