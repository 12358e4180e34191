/* aq-pipeline-backfill-dialog.c — the editor's Backfill… dialog: a pipeline run once per month
 *
 * From a month to a month, the pipeline on the canvas runs once per month through the
 * scheduler core's backfill (aq_backfill_run on a worker: each month an ordinary run, recorded
 * in meta.pipeline_run and so in the run history, the plan and each month's outcome in
 * meta.backfill_run/_step). Options: cascade to the pipelines downstream, watermark windows
 * (each month a window on the incremental inputs' watermark column; on by default when the
 * pipeline has one), resume the last failed or cancelled backfill of the range. The progress
 * bar follows the months; Cancel stops at once (the running month is rolled back, the months
 * before it stay loaded; a resume continues from it). When it ends, each month's result is
 * listed. The dialog holds no SQL.
 */
#define G_LOG_DOMAIN "aq-pipeline-backfill"

#include "config.h"

#include "aq-pipeline-backfill-dialog.h"

#include <glib/gi18n.h>

#include "aq-backfill.h"
#include "aq-db-job.h"

struct _AqPipelineBackfillDialog
{
  AdwWindow       parent_instance;

  char           *conninfo;
  char           *pipeline;
  GCancellable   *cancellable;   /* the running backfill's, or NULL */
  guint           n_progress;    /* progress reports received (tests) */
  GPtrArray      *results;       /* "PERIOD PIPELINE STATUS" of the last backfill */

  GtkEditable    *from_entry;
  GtkEditable    *to_entry;
  GtkCheckButton *cascade_check;
  GtkCheckButton *windows_check;
  GtkCheckButton *resume_check;
  GtkProgressBar *progress_bar;
  GtkLabel       *status_label;
  GtkListBox     *results_list;
  GtkWidget      *start_button;
  GtkWidget      *cancel_button;
};

G_DEFINE_FINAL_TYPE (AqPipelineBackfillDialog, aq_pipeline_backfill_dialog, ADW_TYPE_WINDOW)

enum { FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef struct
{
  char            *pipeline;
  char            *from;
  char            *to;
  AqBackfillFlags  flags;
  GMainContext    *context;
  GWeakRef         dialog;
  GCancellable    *cancel;   /* the backfill's: the job itself is not cancelled, so that a
                              * cancelled backfill still answers with its months */
} Request;

typedef struct
{
  gboolean    ok;
  char       *error;
  JsonObject *record;   /* aq_backfill_get(), or NULL */
} Outcome;

typedef struct
{
  GWeakRef  dialog;
  double    fraction;
  char     *message;
} Progress;

/* ---- auxiliary methods ---- */

static void
request_free (Request *request)
{
  g_free (request->pipeline);
  g_free (request->from);
  g_free (request->to);
  g_main_context_unref (request->context);
  g_weak_ref_clear (&request->dialog);
  g_clear_object (&request->cancel);
  g_free (request);
}

static void
outcome_free (Outcome *outcome)
{
  g_free (outcome->error);
  g_clear_pointer (&outcome->record, json_object_unref);
  g_free (outcome);
}

static void
progress_free (Progress *progress)
{
  g_weak_ref_clear (&progress->dialog);
  g_free (progress->message);
  g_free (progress);
}

static gboolean
show_progress (gpointer data)
{
  Progress *progress = data;
  g_autoptr(AqPipelineBackfillDialog) self = g_weak_ref_get (&progress->dialog);

  if (self == NULL || self->cancellable == NULL)
    return G_SOURCE_REMOVE;
  self->n_progress++;
  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (progress->fraction, 0.0, 1.0));
  gtk_progress_bar_set_text (self->progress_bar, progress->message);
  return G_SOURCE_REMOVE;
}

/* On the worker: hands the report to the dialog's thread. */
static void
progress_cb (double      fraction,
             const char *message,
             gpointer    user_data)
{
  Request *request = user_data;
  g_autoptr(GObject) dialog = g_weak_ref_get (&request->dialog);
  Progress *progress;

  if (dialog == NULL)
    return;
  progress = g_new0 (Progress, 1);
  g_weak_ref_init (&progress->dialog, dialog);
  progress->fraction = fraction;
  progress->message = g_strdup (message);
  g_main_context_invoke_full (request->context, G_PRIORITY_DEFAULT, show_progress, progress,
                              (GDestroyNotify) progress_free);
}

static gpointer
backfill_job (AqDb          *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  Request *request = data;
  Outcome *outcome = g_new0 (Outcome, 1);
  g_autoptr(GError) local = NULL;
  gint64 id = 0;

  outcome->ok = aq_backfill_run (db, request->pipeline, request->from, request->to,
                                 request->flags, progress_cb, request, request->cancel, &id,
                                 &local);
  if (local)
    outcome->error = g_strdup (local->message);
  if (id > 0)
    outcome->record = aq_backfill_get (db, id, NULL);
  return outcome;
}

static const char *
status_words (const char *status)
{
  if (g_strcmp0 (status, "succeeded") == 0)
    return _("loaded");
  if (g_strcmp0 (status, "failed") == 0)
    return _("failed");
  if (g_strcmp0 (status, "cancelled") == 0)
    return _("cancelled");
  if (g_strcmp0 (status, "running") == 0)
    return _("running");
  return _("not run");
}

static void
show_results (AqPipelineBackfillDialog *self,
              JsonObject               *record)
{
  JsonArray *steps = record && json_object_has_member (record, "steps")
                     ? json_object_get_array_member (record, "steps") : NULL;
  GtkWidget *child;

  g_ptr_array_set_size (self->results, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list))) != NULL)
    gtk_list_box_remove (self->results_list, child);
  for (guint i = 0; steps && i < json_array_get_length (steps); i++)
    {
      JsonObject *step = json_array_get_object_element (steps, i);
      const char *period = json_object_get_string_member_with_default (step, "period", "");
      const char *name = json_object_get_string_member_with_default (step, "pipeline", "");
      const char *status = json_object_get_string_member_with_default (step, "status", "");
      const char *error = json_object_get_string_member_with_default (step, "error", NULL);
      JsonNode *run = json_object_get_member (step, "run_id");
      g_autofree char *line = NULL;
      GtkWidget *label;

      g_ptr_array_add (self->results, g_strdup_printf ("%s %s %s", period, name, status));
      if (run && !JSON_NODE_HOLDS_NULL (run))
        {
          g_autofree char *run_id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                     json_node_get_int (run));

          /* TRANSLATORS: a backfill's month: “2026-01 · dw_customer · loaded (run 12)” */
          line = g_strdup_printf (_("%s · %s · %s (run %s)"), period, name,
                                  status_words (status), run_id);
        }
      else
        line = g_strdup_printf ("%s · %s · %s", period, name, status_words (status));
      if (error)
        {
          g_autofree char *with_error = g_strdup_printf ("%s\n%s", line, error);

          g_free (line);
          line = g_steal_pointer (&with_error);
        }
      label = gtk_label_new (line);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_end (label, 6);
      gtk_widget_set_margin_top (label, 3);
      gtk_widget_set_margin_bottom (label, 3);
      if (g_strcmp0 (status, "failed") == 0)
        gtk_widget_add_css_class (label, "error");
      gtk_list_box_append (self->results_list, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->results_list), self->results->len > 0);
}

static void
set_running (AqPipelineBackfillDialog *self,
             gboolean                  running)
{
  gtk_widget_set_sensitive (self->start_button, !running);
  gtk_widget_set_sensitive (self->cancel_button, running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->from_entry), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->to_entry), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cascade_check), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->windows_check), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->resume_check), !running);
}

static void
backfill_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AqPipelineBackfillDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  Outcome *outcome = aq_db_job_run_finish (result, backfill_job, &error);

  g_clear_object (&self->cancellable);
  set_running (self, FALSE);
  if (outcome == NULL)
    gtk_label_set_text (self->status_label, error ? error->message : "");
  else if (outcome->ok)
    {
      gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
      gtk_label_set_text (self->status_label, _("Backfill done: every month is loaded."));
    }
  else
    gtk_label_set_text (self->status_label, outcome->error ? outcome->error : "");
  show_results (self, outcome ? outcome->record : NULL);
  if (outcome)
    outcome_free (outcome);
  g_signal_emit (self, signals[FINISHED], 0);
}

static GtkWidget *
entry_row (const char   *title,
           GtkEditable **out)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  *out = GTK_EDITABLE (row);
  return row;
}

static GtkWidget *
check_row (const char      *title,
           const char      *subtitle,
           GtkCheckButton **out)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  *out = GTK_CHECK_BUTTON (check);
  return row;
}

static GtkCheckButton *
option_check (AqPipelineBackfillDialog *self,
              AqBackfillOption          option)
{
  switch (option)
    {
    case AQ_BACKFILL_OPTION_CASCADE:
      return self->cascade_check;
    case AQ_BACKFILL_OPTION_WINDOWS:
      return self->windows_check;
    case AQ_BACKFILL_OPTION_RESUME:
    default:
      return self->resume_check;
    }
}

/* ---- GObject overrides ---- */

static void
aq_pipeline_backfill_dialog_dispose (GObject *object)
{
  AqPipelineBackfillDialog *self = AQ_PIPELINE_BACKFILL_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (aq_pipeline_backfill_dialog_parent_class)->dispose (object);
}

static void
aq_pipeline_backfill_dialog_finalize (GObject *object)
{
  AqPipelineBackfillDialog *self = AQ_PIPELINE_BACKFILL_DIALOG (object);

  g_free (self->conninfo);
  g_free (self->pipeline);
  g_ptr_array_unref (self->results);

  G_OBJECT_CLASS (aq_pipeline_backfill_dialog_parent_class)->finalize (object);
}

static void
aq_pipeline_backfill_dialog_class_init (AqPipelineBackfillDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_pipeline_backfill_dialog_dispose;
  object_class->finalize = aq_pipeline_backfill_dialog_finalize;

  /* a backfill ended (done, failed or cancelled): the run history has its runs */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
aq_pipeline_backfill_dialog_init (AqPipelineBackfillDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *range = adw_preferences_group_new ();
  GtkWidget *options = adw_preferences_group_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  self->results = g_ptr_array_new_with_free_func (g_free);
  gtk_window_set_title (GTK_WINDOW (self), _("Backfill"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 520, 700);

  self->start_button = gtk_button_new_with_mnemonic (_("_Start"));
  gtk_widget_add_css_class (self->start_button, "suggested-action");
  self->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_widget_set_sensitive (self->cancel_button, FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), self->cancel_button);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->start_button);
  gtk_box_append (GTK_BOX (box), header);
  g_signal_connect_swapped (self->start_button, "clicked",
                            G_CALLBACK (aq_pipeline_backfill_dialog_start), self);
  g_signal_connect_swapped (self->cancel_button, "clicked",
                            G_CALLBACK (aq_pipeline_backfill_dialog_cancel), self);

  gtk_widget_set_margin_start (content, 18);
  gtk_widget_set_margin_end (content, 18);
  gtk_widget_set_margin_top (content, 18);
  gtk_widget_set_margin_bottom (content, 18);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (range), _("Months"));
  adw_preferences_group_set_description (
    ADW_PREFERENCES_GROUP (range),
    _("The pipeline runs once per month, oldest first, each run in the run history; the first "
      "failure stops it."));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (range),
                             entry_row (_("From (YYYY-MM)"), &self->from_entry));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (range),
                             entry_row (_("To (YYYY-MM, included)"), &self->to_entry));
  gtk_box_append (GTK_BOX (content), range);

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (options),
                             check_row (_("Watermark windows"),
                                        _("Each month loads the rows of that month of the "
                                          "inputs' watermark column; the watermark stays"),
                                        &self->windows_check));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (options),
                             check_row (_("Cascade"),
                                        _("Each month, also the pipelines downstream"),
                                        &self->cascade_check));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (options),
                             check_row (_("Resume"),
                                        _("Continue the last failed or cancelled backfill of "
                                          "these months from where it stopped"),
                                        &self->resume_check));
  gtk_box_append (GTK_BOX (content), options);

  self->progress_bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_progress_bar_set_show_text (self->progress_bar, TRUE);
  gtk_progress_bar_set_text (self->progress_bar, "");
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->progress_bar));
  self->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->status_label, 0);
  gtk_label_set_wrap (self->status_label, TRUE);
  gtk_label_set_selectable (self->status_label, TRUE);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->status_label));
  self->results_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->results_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->results_list), "boxed-list");
  gtk_widget_set_visible (GTK_WIDGET (self->results_list), FALSE);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->results_list));

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), content);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_window_set_content (ADW_WINDOW (self), box);
}

/* ---- public API ---- */

/**
 * aq_pipeline_backfill_dialog_new:
 * @has_watermark: the pipeline has an incremental input: watermark windows start ticked
 *
 * Returns: (transfer none): the dialog, presented by the caller
 */
GtkWidget *
aq_pipeline_backfill_dialog_new (GtkWindow  *parent,
                                 const char *conninfo,
                                 const char *pipeline,
                                 gboolean    has_watermark)
{
  AqPipelineBackfillDialog *self = g_object_new (AQ_TYPE_PIPELINE_BACKFILL_DIALOG,
                                                 "transient-for", parent, NULL);
  /* TRANSLATORS: the Backfill dialog's title: “Backfill dw_customer” */
  g_autofree char *title = g_strdup_printf (_("Backfill %s"), pipeline);

  self->conninfo = g_strdup (conninfo);
  self->pipeline = g_strdup (pipeline);
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_check_button_set_active (self->windows_check, has_watermark);
  return GTK_WIDGET (self);
}

void
aq_pipeline_backfill_dialog_set_range (AqPipelineBackfillDialog *self,
                                       const char               *from_month,
                                       const char               *to_month)
{
  g_return_if_fail (AQ_IS_PIPELINE_BACKFILL_DIALOG (self));
  gtk_editable_set_text (self->from_entry, from_month);
  gtk_editable_set_text (self->to_entry, to_month);
}

void
aq_pipeline_backfill_dialog_set_option (AqPipelineBackfillDialog *self,
                                        AqBackfillOption          option,
                                        gboolean                  on)
{
  g_return_if_fail (AQ_IS_PIPELINE_BACKFILL_DIALOG (self));
  gtk_check_button_set_active (option_check (self, option), on);
}

gboolean
aq_pipeline_backfill_dialog_get_option (AqPipelineBackfillDialog *self,
                                        AqBackfillOption          option)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_BACKFILL_DIALOG (self), FALSE);
  return gtk_check_button_get_active (option_check (self, option));
}

/* Starts the backfill on a worker; the range is checked first (nothing runs when it is
 * wrong). */
void
aq_pipeline_backfill_dialog_start (AqPipelineBackfillDialog *self)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autoptr(GError) error = NULL;
  Request *request;
  int year, month;

  g_return_if_fail (AQ_IS_PIPELINE_BACKFILL_DIALOG (self));

  if (self->cancellable)
    return;
  from = g_strstrip (g_strdup (gtk_editable_get_text (self->from_entry)));
  to = g_strstrip (g_strdup (gtk_editable_get_text (self->to_entry)));
  if (!aq_backfill_parse_month (from, &year, &month, &error)
      || !aq_backfill_parse_month (to, &year, &month, &error))
    {
      gtk_label_set_text (self->status_label, error->message);
      return;
    }
  request = g_new0 (Request, 1);
  request->pipeline = g_strdup (self->pipeline);
  request->from = g_steal_pointer (&from);
  request->to = g_steal_pointer (&to);
  request->context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&request->dialog, self);
  if (gtk_check_button_get_active (self->cascade_check))
    request->flags |= AQ_BACKFILL_CASCADE;
  if (gtk_check_button_get_active (self->windows_check))
    request->flags |= AQ_BACKFILL_WINDOWS;
  if (gtk_check_button_get_active (self->resume_check))
    request->flags |= AQ_BACKFILL_RESUME;

  self->cancellable = g_cancellable_new ();
  request->cancel = g_object_ref (self->cancellable);
  self->n_progress = 0;
  g_ptr_array_set_size (self->results, 0);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_label_set_text (self->status_label, "");
  set_running (self, TRUE);
  aq_db_job_run_async (self->conninfo, backfill_job, backfill_job, request,
                       (GDestroyNotify) request_free, (GDestroyNotify) outcome_free, NULL,
                       backfill_done_cb, g_object_ref (self));
}

/* Stops the backfill: the month running is rolled back, those before it stay. */
void
aq_pipeline_backfill_dialog_cancel (AqPipelineBackfillDialog *self)
{
  g_return_if_fail (AQ_IS_PIPELINE_BACKFILL_DIALOG (self));
  g_cancellable_cancel (self->cancellable);
}

gboolean
aq_pipeline_backfill_dialog_is_running (AqPipelineBackfillDialog *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_BACKFILL_DIALOG (self), FALSE);
  return self->cancellable != NULL;
}

/* What the dialog says under the progress bar: done, or why it stopped. */
const char *
aq_pipeline_backfill_dialog_get_status (AqPipelineBackfillDialog *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_BACKFILL_DIALOG (self), NULL);
  return gtk_label_get_text (self->status_label);
}

/* Returns: (transfer full): each month of the last backfill as "PERIOD PIPELINE STATUS" */
char **
aq_pipeline_backfill_dialog_get_results (AqPipelineBackfillDialog *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (AQ_IS_PIPELINE_BACKFILL_DIALOG (self), NULL);
  for (guint i = 0; i < self->results->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->results, i));
  return g_strv_builder_end (builder);
}

/* How many progress reports reached the dialog. */
guint
aq_pipeline_backfill_dialog_get_n_progress (AqPipelineBackfillDialog *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_BACKFILL_DIALOG (self), 0);
  return self->n_progress;
}
