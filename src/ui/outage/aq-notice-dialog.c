/* aq-notice-dialog.c — write, review and send an outage's notice, then watch it go out
 *
 * Compose: the template with a live preview of the first recipients (rendered here with
 * aq_template_render() from values fetched once, so typing costs no query) and what the quiet
 * hours will do. "Submit for Approval" writes a draft whose author is the login; nobody types
 * a reviewer's name. The warehouse says who the login is and what it may do
 * (aq_users_current_job_roles()): the author then sees "waiting for approval", a notice
 * reviewer who is another login sees Approve and Reject (the warehouse refuses the author
 * anyway). Approval writes the campaign's outbox in one transaction; the progress page polls
 * the campaign's counts each second while the dialog is open. "Cancel Notice" withdraws every
 * message not yet sent and says how many had already left. Every warehouse call runs in a
 * thread on its own connection; the dialog's cancellable ends them all when it closes.
 */
#define G_LOG_DOMAIN "aq-notice-dialog"

#include "config.h"

#include "aq-notice-dialog.h"

#include <glib/gi18n.h>

#include "aqueduct-core.h"

#define PREVIEW_RECIPIENTS 5

typedef enum
{
  JOB_LOAD,
  JOB_SEND,
  JOB_STATUS,
  JOB_RETRY,
  JOB_COUNT,
  JOB_APPROVE,
  JOB_REJECT,
  JOB_CANCEL,
} JobKind;

typedef struct
{
  JobKind  kind;
  gint64   outage_id;
  gint64   campaign_id;
  char    *campaign_kind;
  char    *template_text;
  char    *actor;
} Job;

typedef struct
{
  AqOutage  *outage;
  GPtrArray *recipients;    /* AqRecipient* */
  GPtrArray *campaigns;     /* AqCampaignStatus* */
  gint64     sms, wechat;
  gint64     id;            /* JOB_SEND: the campaign; JOB_RETRY: how many */
  gint64     withdrawn;     /* JOB_CANCEL */
  gint64     sent;
  char      *login;         /* JOB_LOAD: who the warehouse says we are, and may do */
  AqJobRole  jobs;
  AqCampaignStatus *status;
} JobResult;

struct _AqNoticeDialog
{
  AdwWindow       parent_instance;

  AdwWindowTitle *window_title;
  GtkLabel       *error_label;
  GtkStack       *stack;
  GtkLabel       *outage_label;
  GtkTextView    *template_view;
  GtkListBox     *preview_list;
  GtkLabel       *recipients_label;
  GtkLabel       *quiet_label;
  GtkButton      *send_button;
  GtkLabel       *review_label;
  GtkBox         *review_box;
  GtkButton      *cancel_button;
  GtkLabel       *campaign_label;
  GtkGrid        *progress_grid;
  GtkLabel       *not_before_label;
  GtkButton      *retry_button;
  GtkButton      *restored_button;

  GtkProgressBar *bars[4];
  GtkLabel       *counts[4];

  char           *conninfo;
  char           *actor;
  char           *login;           /* session_user, as the warehouse said */
  AqJobRole       jobs;
  gint64          outage_id;
  gint64          campaign_id;
  char           *campaign_kind;   /* what Send writes: "outage" or "restored" */
  AqOutage       *outage;
  GPtrArray      *recipients;
  GCancellable   *cancellable;
  guint           poll_id;
  gboolean        polling;
  gboolean        busy;
  gboolean        template_ok;
};

G_DEFINE_FINAL_TYPE (AqNoticeDialog, aq_notice_dialog, ADW_TYPE_WINDOW)

/* ---- auxiliary methods ---- */

static void
job_free (Job *job)
{
  g_free (job->campaign_kind);
  g_free (job->template_text);
  g_free (job->actor);
  g_free (job);
}

static void
job_result_free (JobResult *result)
{
  g_clear_pointer (&result->outage, aq_outage_free);
  g_clear_pointer (&result->recipients, g_ptr_array_unref);
  g_clear_pointer (&result->campaigns, g_ptr_array_unref);
  g_clear_pointer (&result->status, aq_campaign_status_free);
  g_free (result->login);
  g_free (result);
}

/* Runs on a worker thread with a pooled connection (aq-db-job.c). */
static gpointer
notice_job (AqDb          *db,
            gpointer       task_data,
            GCancellable  *cancellable,
            GError       **error)
{
  Job *job = task_data;
  JobResult *result = g_new0 (JobResult, 1);
  gboolean ok = FALSE;

  switch (job->kind)
    {
    case JOB_LOAD:
      ok = (result->outage = aq_outage_get (db, job->outage_id, error)) != NULL
           && (result->recipients = aq_campaign_preview (db, job->outage_id, "",
                                                         PREVIEW_RECIPIENTS, error)) != NULL
           && (result->campaigns = aq_campaign_list (db, job->outage_id, error)) != NULL
           && aq_campaign_count_recipients (db, job->outage_id, "outage", &result->sms,
                                            &result->wechat, error);
      if (ok)
        {
          GError *local = NULL;

          result->jobs = aq_users_current_job_roles (db, &result->login, &local);
          if (local != NULL)
            {
              g_propagate_error (error, local);
              ok = FALSE;
            }
        }
      break;
    case JOB_APPROVE:
      ok = aq_campaign_approve (db, job->campaign_id, NULL, NULL, NULL, NULL, error);
      break;
    case JOB_REJECT:
      ok = aq_campaign_reject (db, job->campaign_id, error);
      break;
    case JOB_CANCEL:
      ok = aq_campaign_cancel (db, job->campaign_id, &result->withdrawn, &result->sent, error);
      break;
    case JOB_COUNT:
      ok = aq_campaign_count_recipients (db, job->outage_id, job->campaign_kind, &result->sms,
                                         &result->wechat, error);
      break;
    case JOB_SEND:
      {
        /* a draft, written by this login: the reviewer approves it with their own login
         * (the warehouse refuses the author); this window then follows its progress */
        AqCampaignSpec spec = { job->outage_id, job->campaign_kind, job->template_text,
                                NULL, NULL, NULL, NULL };

        result->id = aq_campaign_create (db, &spec, error);
        ok = result->id > 0;
      }
      break;
    case JOB_STATUS:
      ok = (result->status = aq_campaign_get_status (db, job->campaign_id, error)) != NULL;
      break;
    case JOB_RETRY:
      result->id = aq_campaign_retry_failed (db, job->campaign_id, error);
      ok = result->id >= 0;
      break;
    }
  if (!ok)
    {
      job_result_free (result);
      return NULL;
    }
  return result;
}

static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  JobResult *value = aq_db_job_run_finish (result, notice_job, &error);

  if (value == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, (GDestroyNotify) job_result_free);
}

/* The task holds the dialog until the job is done; its callback gets the dialog as source. */
static void
run_job (AqNoticeDialog      *self,
         Job                 *job,
         GAsyncReadyCallback  callback)
{
  GTask *task = g_task_new (self, self->cancellable, callback, NULL);

  job->outage_id = self->outage_id;
  aq_db_job_run_async (self->conninfo, notice_job, notice_job, job, (GDestroyNotify) job_free,
                       (GDestroyNotify) job_result_free, self->cancellable, job_done_cb, task);
}

/* NULL when the dialog was closed meanwhile (nothing to show) or on an error (shown). */
static JobResult *
finish_job (AqNoticeDialog *self,
            GAsyncResult   *result)
{
  g_autoptr(GError) error = NULL;
  JobResult *value = g_task_propagate_pointer (G_TASK (result), &error);

  if (value == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gtk_label_set_label (self->error_label, error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
        }
      return NULL;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  return value;
}

static char *
template_text (AqNoticeDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->template_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* A cancelled outage gets no notice: nothing in the window would send one. */
static gboolean
outage_cancelled (AqNoticeDialog *self)
{
  return self->outage != NULL && g_strcmp0 (self->outage->status, "cancelled") == 0;
}

static void
update_send_sensitivity (AqNoticeDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "notice.send",
                                 self->template_ok && !self->busy && !outage_cancelled (self));
}

static void
render_preview (AqNoticeDialog *self)
{
  g_autofree char *text = template_text (self);
  g_autofree char *start = NULL, *end = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->preview_list))) != NULL)
    gtk_list_box_remove (self->preview_list, child);

  self->template_ok = aq_template_check (text, &error);
  if (!self->template_ok)
    {
      GtkWidget *label = gtk_label_new (error->message);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "error");
      gtk_widget_set_margin_top (label, 8);
      gtk_widget_set_margin_bottom (label, 8);
      gtk_list_box_append (self->preview_list, label);
    }
  else if (self->outage && self->recipients)
    {
      start = aq_template_format_time (self->outage->start_time);
      end = aq_template_format_time (self->outage->expected_end);
      if (self->recipients->len == 0)
        {
          GtkWidget *label = gtk_label_new (_("No affected customer has a mobile or WeChat."));

          gtk_widget_set_margin_top (label, 8);
          gtk_widget_set_margin_bottom (label, 8);
          gtk_list_box_append (self->preview_list, label);
        }
      for (guint i = 0; i < self->recipients->len; i++)
        {
          AqRecipient *r = g_ptr_array_index (self->recipients, i);
          AqTemplateValues values = { r->community, start, end, self->outage->reason };
          g_autofree char *body = aq_template_render (text, &values);
          g_autofree char *who = g_strdup_printf ("%s · %s · %s",
                                                  g_str_equal (r->channel, "sms")
                                                  ? _("SMS") : _("WeChat"),
                                                  r->recipient_masked, r->community);
          GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
          GtkWidget *head = gtk_label_new (who);
          GtkWidget *label = gtk_label_new (body);

          gtk_widget_add_css_class (head, "dim-label");
          gtk_widget_add_css_class (head, "caption");
          gtk_label_set_xalign (GTK_LABEL (head), 0);
          gtk_label_set_xalign (GTK_LABEL (label), 0);
          gtk_label_set_wrap (GTK_LABEL (label), TRUE);
          gtk_label_set_selectable (GTK_LABEL (label), TRUE);
          gtk_widget_set_name (label, "preview-body");
          gtk_box_append (GTK_BOX (box), head);
          gtk_box_append (GTK_BOX (box), label);
          gtk_widget_set_margin_top (box, 8);
          gtk_widget_set_margin_bottom (box, 8);
          gtk_widget_set_margin_start (box, 12);
          gtk_widget_set_margin_end (box, 12);
          gtk_list_box_append (self->preview_list, box);
        }
    }
  update_send_sensitivity (self);
}

static void
show_counts (AqNoticeDialog *self,
             gint64          sms,
             gint64          wechat)
{
  g_autofree char *text = NULL;

  if (g_strcmp0 (self->campaign_kind, "restored") == 0)
    text = g_strdup_printf (_("Goes to the recipients of the first notice: %d by SMS and %d by WeChat."),
                            (int) sms, (int) wechat);
  else
    text = g_strdup_printf (_("%d SMS and %d WeChat messages: each mobile and each WeChat account once, "
                              "however many accounts it holds."), (int) sms, (int) wechat);
  gtk_label_set_label (self->recipients_label, text);
}

static void
show_outage (AqNoticeDialog *self)
{
  AqOutage *o = self->outage;
  g_autofree char *start = aq_template_format_time (o->start_time);
  g_autofree char *end = aq_template_format_time (o->expected_end);
  g_autofree char *text = NULL;
  gboolean planned = g_strcmp0 (o->kind, "planned") == 0;

  text = g_strdup_printf (planned ? _("Planned outage %d: %s, %s to %s, %d accounts affected.")
                                  : _("Emergency outage %d: %s, %s to %s, %d accounts affected."),
                          (int) o->outage_id, o->reason, start, end, (int) o->accounts);
  if (outage_cancelled (self))
    {
      char *with = g_strconcat (text, "\n", _("This outage is cancelled: no notice is sent for "
                                               "it."), NULL);

      g_free (text);
      text = with;
    }
  gtk_label_set_label (self->outage_label, text);
  update_send_sensitivity (self);
  gtk_label_set_label (self->quiet_label,
                       planned ? _("Planned outage: a notice sent between 21:00 and 08:00 waits "
                                   "until 08:00 (quiet hours).")
                               : _("Emergency: sent at once; quiet hours do not apply."));
}

/* ---- progress ---- */

static void status_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static gboolean
poll_status (gpointer user_data)
{
  AqNoticeDialog *self = user_data;
  Job *job;

  /* one poll at a time: a slow warehouse must not pile them up */
  if (self->polling || self->campaign_id == 0)
    return G_SOURCE_CONTINUE;
  self->polling = TRUE;
  job = g_new0 (Job, 1);
  job->kind = JOB_STATUS;
  job->campaign_id = self->campaign_id;
  run_job (self, job, status_cb);
  return G_SOURCE_CONTINUE;
}

static void
show_progress (AqNoticeDialog *self)
{
  gtk_stack_set_visible_child_name (self->stack, "progress");
  if (self->poll_id == 0)
    self->poll_id = g_timeout_add_seconds (1, poll_status, self);
  poll_status (self);
}

/* What the campaign's state means for this login: waiting for someone else's approval, a
 * draft this reviewer may approve or reject, or what a cancellation withdrew. */
static void
show_review (AqNoticeDialog   *self,
             AqCampaignStatus *s)
{
  gboolean draft = g_str_equal (s->status, "draft");
  gboolean live = draft || g_str_equal (s->status, "queued");
  gboolean sending = g_str_equal (s->status, "queued") || g_str_equal (s->status, "done");
  gboolean author = g_strcmp0 (self->login, s->created_by) == 0;
  gboolean reviewer = draft && !author && (self->jobs & AQ_JOB_ROLE_NOTICE_REVIEWER);
  gboolean cancelled = g_str_equal (s->status, "cancelled");
  /* the outage cancelled after its notice had all left: the campaign stays done, but nothing
   * more is sent for it (no retry, no water-restored notice) */
  gboolean dead = cancelled || outage_cancelled (self);
  g_autofree char *text = NULL;

  if (draft && reviewer)
    /* Translators: %s is the login that wrote the notice */
    text = g_strdup_printf (_("Written by %s and waiting for your approval: nothing is sent "
                              "until you approve it."), s->created_by);
  else if (draft && author)
    text = g_strdup (_("Waiting for approval: a notice reviewer, another person, approves it "
                       "before anything is sent."));
  else if (draft)
    /* Translators: %s is the login that wrote the notice */
    text = g_strdup_printf (_("Written by %s and waiting for a notice reviewer's approval."),
                            s->created_by);
  else if (g_str_equal (s->status, "rejected"))
    /* Translators: %s is the reviewer's login */
    text = g_strdup_printf (_("Rejected by %s: nothing was sent."),
                            s->reviewed_by ? s->reviewed_by : "");
  else if (g_str_equal (s->status, "cancelled"))
    {
      g_autofree char *withdrawn = NULL;
      g_autofree char *sent = NULL;
      gint64 gone = s->sending + s->sent + s->delivered;

      /* Translators: %d is a number of messages */
      withdrawn = g_strdup_printf (ngettext ("Cancelled: %d message withdrawn.",
                                             "Cancelled: %d messages withdrawn.",
                                             s->cancelled), (int) s->cancelled);
      if (gone > 0)
        /* Translators: %d is a number of messages */
        sent = g_strdup_printf (ngettext ("%d had already been sent: send a correction notice.",
                                          "%d had already been sent: send a correction notice.",
                                          gone), (int) gone);
      text = sent ? g_strconcat (withdrawn, " ", sent, NULL) : g_steal_pointer (&withdrawn);
    }
  else if (g_str_equal (s->status, "done") && outage_cancelled (self))
    text = g_strdup (_("The outage was cancelled after every message had left: send a "
                       "correction notice."));
  else if (g_str_equal (s->status, "done"))
    text = g_strdup (_("Done: every message has left."));
  if (cancelled)
    {
      /* Translators: %d is the notice's number */
      g_autofree char *title = g_strdup_printf (_("Notice %d: cancelled"), (int) s->campaign_id);

      gtk_label_set_label (self->campaign_label, title);
      gtk_widget_set_visible (GTK_WIDGET (self->not_before_label), FALSE);
    }

  gtk_label_set_label (self->review_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->review_label), text != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->review_box), reviewer);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "notice.approve", reviewer);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "notice.reject", reviewer);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "notice.cancel", live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "notice.retry",
                                 sending && s->failed > 0 && !dead);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "notice.restored",
                                 sending && g_str_equal (s->kind, "outage") && !dead);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), !dead);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), !dead);
  gtk_widget_set_visible (GTK_WIDGET (self->restored_button), !dead);
}

static void
status_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  AqNoticeDialog *self = AQ_NOTICE_DIALOG (source);
  JobResult *value = finish_job (self, result);
  AqCampaignStatus *s;
  gint64 values[4];
  g_autofree char *title = NULL;

  self->polling = FALSE;
  if (value == NULL)
    return;
  s = value->status;
  values[0] = s->queued + s->sending;
  values[1] = s->sent;
  values[2] = s->delivered;
  values[3] = s->failed;
  title = g_strdup_printf (g_str_equal (s->kind, "restored")
                           ? _("Water-restored notice %d: %d messages")
                           : _("Notice %d: %d messages"),
                           (int) s->campaign_id, (int) s->total);
  gtk_label_set_label (self->campaign_label, title);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, values[i]);

      gtk_progress_bar_set_fraction (self->bars[i],
                                     s->total ? (double) values[i] / s->total : 0.0);
      gtk_label_set_label (self->counts[i], count);
    }
  if (s->not_before)
    {
      g_autofree char *at = aq_template_format_time (s->not_before);
      g_autofree char *text = g_strdup_printf (_("Quiet hours: nothing leaves before %s."), at);

      gtk_label_set_label (self->not_before_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->not_before_label), s->not_before != NULL);
  show_review (self, s);
  job_result_free (value);
}

/* ---- callbacks ---- */

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  AqNoticeDialog *self = AQ_NOTICE_DIALOG (source);
  JobResult *value = finish_job (self, result);

  if (value == NULL)
    return;
  self->outage = g_steal_pointer (&value->outage);
  self->recipients = g_steal_pointer (&value->recipients);
  g_free (self->login);
  self->login = g_steal_pointer (&value->login);
  self->jobs = value->jobs;
  show_outage (self);
  show_counts (self, value->sms, value->wechat);
  /* opened again after a notice went out: show how it is going */
  for (guint i = value->campaigns->len; i > 0; i--)
    {
      AqCampaignStatus *s = g_ptr_array_index (value->campaigns, i - 1);

      /* a rejected draft is written again; anything else is followed, drafts included */
      if (!g_str_equal (s->status, "rejected"))
        {
          self->campaign_id = s->campaign_id;
          break;
        }
    }
  if (self->campaign_id)
    show_progress (self);
  else
    gtk_stack_set_visible_child_name (self->stack, "compose");
  render_preview (self);
  job_result_free (value);
}

static void
count_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  AqNoticeDialog *self = AQ_NOTICE_DIALOG (source);
  JobResult *value = finish_job (self, result);

  if (value == NULL)
    return;
  show_counts (self, value->sms, value->wechat);
  job_result_free (value);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  AqNoticeDialog *self = AQ_NOTICE_DIALOG (source);
  JobResult *value = finish_job (self, result);

  self->busy = FALSE;
  update_send_sensitivity (self);
  if (value == NULL)
    return;
  self->campaign_id = value->id;
  show_progress (self);
  job_result_free (value);
}

static void
retry_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  AqNoticeDialog *self = AQ_NOTICE_DIALOG (source);
  JobResult *value = finish_job (self, result);

  if (value == NULL)
    return;
  poll_status (self);
  job_result_free (value);
}

static void
template_changed (GtkTextBuffer  *buffer,
                  AqNoticeDialog *self)
{
  render_preview (self);
}

/* Approve, reject or cancel done: the next poll shows the new state at once. */
static void
decided_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AqNoticeDialog *self = AQ_NOTICE_DIALOG (source);
  JobResult *value = finish_job (self, result);

  self->busy = FALSE;
  if (value == NULL)
    {
      poll_status (self);
      return;
    }
  poll_status (self);
  job_result_free (value);
}

static void
decide (AqNoticeDialog *self,
        JobKind         kind)
{
  Job *job = g_new0 (Job, 1);

  if (self->busy || self->campaign_id == 0)
    {
      g_free (job);
      return;
    }
  self->busy = TRUE;
  job->kind = kind;
  job->campaign_id = self->campaign_id;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "notice.approve", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "notice.reject", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "notice.cancel", FALSE);
  run_job (self, job, decided_cb);
}

static void
approve_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  decide (AQ_NOTICE_DIALOG (widget), JOB_APPROVE);
}

static void
reject_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  decide (AQ_NOTICE_DIALOG (widget), JOB_REJECT);
}

static void
cancel_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  decide (AQ_NOTICE_DIALOG (widget), JOB_CANCEL);
}

static void
send_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AqNoticeDialog *self = AQ_NOTICE_DIALOG (widget);
  Job *job = g_new0 (Job, 1);

  self->busy = TRUE;
  update_send_sensitivity (self);
  job->kind = JOB_SEND;
  job->campaign_kind = g_strdup (self->campaign_kind);
  job->template_text = template_text (self);
  job->actor = g_strdup (self->actor);
  run_job (self, job, send_cb);
}

static void
retry_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  AqNoticeDialog *self = AQ_NOTICE_DIALOG (widget);
  Job *job = g_new0 (Job, 1);

  job->kind = JOB_RETRY;
  job->campaign_id = self->campaign_id;
  gtk_widget_action_set_enabled (widget, "notice.retry", FALSE);
  run_job (self, job, retry_cb);
}

/* Back to the editor with the restored text: the same review and Send, to the same people. */
static void
restored_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  AqNoticeDialog *self = AQ_NOTICE_DIALOG (widget);
  Job *job = g_new0 (Job, 1);

  g_clear_handle_id (&self->poll_id, g_source_remove);
  self->campaign_id = 0;
  g_free (self->campaign_kind);
  self->campaign_kind = g_strdup ("restored");
  adw_window_title_set_title (self->window_title, _("Water-Restored Notice"));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->template_view),
                            aq_template_default ("restored"), -1);
  gtk_stack_set_visible_child_name (self->stack, "compose");
  job->kind = JOB_COUNT;
  job->campaign_kind = g_strdup ("restored");
  run_job (self, job, count_cb);
}

/* ---- GObject ---- */

static void
aq_notice_dialog_dispose (GObject *object)
{
  AqNoticeDialog *self = AQ_NOTICE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (object), AQ_TYPE_NOTICE_DIALOG);
  G_OBJECT_CLASS (aq_notice_dialog_parent_class)->dispose (object);
}

static void
aq_notice_dialog_finalize (GObject *object)
{
  AqNoticeDialog *self = AQ_NOTICE_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->outage, aq_outage_free);
  g_clear_pointer (&self->recipients, g_ptr_array_unref);
  g_free (self->conninfo);
  g_free (self->actor);
  g_free (self->login);
  g_free (self->campaign_kind);
  G_OBJECT_CLASS (aq_notice_dialog_parent_class)->finalize (object);
}

static void
aq_notice_dialog_class_init (AqNoticeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_notice_dialog_dispose;
  object_class->finalize = aq_notice_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-notice-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AqNoticeDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, AqNoticeDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, AqNoticeDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, AqNoticeDialog, outage_label);
  gtk_widget_class_bind_template_child (widget_class, AqNoticeDialog, template_view);
  gtk_widget_class_bind_template_child (widget_class, AqNoticeDialog, preview_list);
  gtk_widget_class_bind_template_child (widget_class, AqNoticeDialog, recipients_label);
  gtk_widget_class_bind_template_child (widget_class, AqNoticeDialog, quiet_label);
  gtk_widget_class_bind_template_child (widget_class, AqNoticeDialog, review_label);
  gtk_widget_class_bind_template_child (widget_class, AqNoticeDialog, review_box);
  gtk_widget_class_bind_template_child (widget_class, AqNoticeDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, AqNoticeDialog, send_button);
  gtk_widget_class_bind_template_child (widget_class, AqNoticeDialog, campaign_label);
  gtk_widget_class_bind_template_child (widget_class, AqNoticeDialog, progress_grid);
  gtk_widget_class_bind_template_child (widget_class, AqNoticeDialog, not_before_label);
  gtk_widget_class_bind_template_child (widget_class, AqNoticeDialog, retry_button);
  gtk_widget_class_bind_template_child (widget_class, AqNoticeDialog, restored_button);

  gtk_widget_class_install_action (widget_class, "notice.send", NULL, send_activated);
  gtk_widget_class_install_action (widget_class, "notice.retry", NULL, retry_activated);
  gtk_widget_class_install_action (widget_class, "notice.restored", NULL, restored_activated);
  gtk_widget_class_install_action (widget_class, "notice.approve", NULL, approve_activated);
  gtk_widget_class_install_action (widget_class, "notice.reject", NULL, reject_activated);
  gtk_widget_class_install_action (widget_class, "notice.cancel", NULL, cancel_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "notice.send", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
aq_notice_dialog_init (AqNoticeDialog *self)
{
  const char *names[] = { N_("Waiting"), N_("Sent"), N_("Delivered"), N_("Failed") };

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->campaign_kind = g_strdup ("outage");

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GtkWidget *name = gtk_label_new (_(names[i]));
      GtkWidget *bar = gtk_progress_bar_new ();
      GtkWidget *count = gtk_label_new ("0");

      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_label_set_xalign (GTK_LABEL (count), 1);
      gtk_widget_set_hexpand (bar, TRUE);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (count, "numeric");
      if (i == 3)
        gtk_widget_add_css_class (bar, "error");
      gtk_grid_attach (self->progress_grid, name, 0, i, 1, 1);
      gtk_grid_attach (self->progress_grid, bar, 1, i, 1, 1);
      gtk_grid_attach (self->progress_grid, count, 2, i, 1, 1);
      self->bars[i] = GTK_PROGRESS_BAR (bar);
      self->counts[i] = GTK_LABEL (count);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "notice.send", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "notice.retry", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "notice.restored", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "notice.approve", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "notice.reject", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "notice.cancel", FALSE);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->template_view),
                            aq_template_default ("outage"), -1);
  g_signal_connect (gtk_text_view_get_buffer (self->template_view), "changed",
                    G_CALLBACK (template_changed), self);
}

/* ---- public methods ---- */

AqNoticeDialog *
aq_notice_dialog_new (GtkWindow   *parent,
                      const char  *conninfo,
                      gint64       outage_id,
                      const char  *actor)
{
  AqNoticeDialog *self = g_object_new (AQ_TYPE_NOTICE_DIALOG, "transient-for", parent, NULL);
  Job *job = g_new0 (Job, 1);
  g_autofree char *subtitle = g_strdup_printf (_("Outage %d"), (int) outage_id);

  self->conninfo = g_strdup (conninfo);
  self->actor = g_strdup (actor ? actor : g_get_user_name ());
  self->outage_id = outage_id;
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  job->kind = JOB_LOAD;
  run_job (self, job, load_cb);
  return self;
}

gint64
aq_notice_dialog_get_outage_id (AqNoticeDialog *self)
{
  g_return_val_if_fail (AQ_IS_NOTICE_DIALOG (self), 0);
  return self->outage_id;
}

gint64
aq_notice_dialog_get_campaign_id (AqNoticeDialog *self)
{
  g_return_val_if_fail (AQ_IS_NOTICE_DIALOG (self), 0);
  return self->campaign_id;
}
