/* aq-pipeline-panel-schedule.c — the Pipelines panel's Schedule… and Backfill… actions
 *
 * Schedule… opens AqPipelineScheduleDialog for the pipeline on the canvas: with the
 * scheduler's job for it when there is one (a job of kind `pipeline` whose target is the
 * pipeline's name, or NAME@VERSION), to change it, else for a new job. The action is enabled
 * only when the warehouse lets the login define jobs — membership of aq_operator, which holds
 * the grants on meta.job (015_role_grants.sql), read with aq_users_current_job_roles() when
 * the panel gets its connection and on every reload. Both reads run on a worker.
 *
 * Backfill… opens AqPipelineBackfillDialog for the pipeline on the canvas (as the store holds
 * it, or the standard file), with watermark windows ticked when one of its inputs has a
 * watermark; when a backfill ends the run history is read again (each month is a run).
 */
#define G_LOG_DOMAIN "aq-pipeline-panel"

#include "config.h"

#include "aq-pipeline-panel-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "aq-job.h"
#include "aq-pipeline-backfill-dialog.h"
#include "aq-panel.h"
#include "aq-pipeline-schedule-dialog.h"
#include "aq-users.h"

/* ---- the login's rights ---- */

static gpointer
rights_job (AqDb          *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  AqJobRole roles = aq_users_current_job_roles (db, NULL, error);

  return GINT_TO_POINTER ((roles & AQ_JOB_ROLE_OPERATOR) != 0 ? 2 : 1);
}

static void
rights_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(AqPipelinePanel) self = user_data;
  g_autoptr(GError) error = NULL;
  int answer = GPOINTER_TO_INT (aq_db_job_run_finish (result, rights_job, &error));

  if (!aq_pipeline_panel_job_landed (self, error))
    return;
  self->can_schedule = answer == 2;
  aq_pipeline_panel_update_actions (self);
}

/* Asks the warehouse again whether the login may define jobs (a NULL conninfo is the
 * default warehouse, as aq_db_job_run_async() resolves it). */
void
aq_pipeline_panel_schedule_refresh (AqPipelinePanel *self)
{
  aq_pipeline_panel_start_job (self, rights_job, rights_job, NULL, NULL, NULL, rights_done_cb);
}

/* ---- the dialog ---- */

static gpointer
find_job (AqDb          *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  const char *name = data;
  g_autoptr(GPtrArray) jobs = aq_job_list (db, error);
  gsize len = strlen (name);

  for (guint i = 0; jobs && i < jobs->len; i++)
    {
      AqJob *job = g_ptr_array_index (jobs, i);

      if (g_strcmp0 (job->kind, "pipeline") == 0
          && strncmp (job->target, name, len) == 0
          && (job->target[len] == '\0' || job->target[len] == '@'))
        return g_ptr_array_steal_index (jobs, i);
    }
  return NULL;
}

static void
dialog_saved_cb (AqPipelinePanel *self,
                 const char      *name)
{
  /* TRANSLATORS: a toast after the Schedule… dialog stored the job */
  g_autofree char *text = g_strdup_printf (_("Job “%s” saved in the scheduler."), name);

  aq_pipeline_panel_toast (self, text);
}

static void
find_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AqPipelinePanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqJob) job = aq_db_job_run_finish (result, find_job, &error);
  GtkWidget *dialog;

  if (!aq_pipeline_panel_job_landed (self, error))
    return;
  if (error)
    {
      aq_pipeline_panel_toast (self, error->message);
      return;
    }
  if (self->graph == NULL)
    return;
  dialog = aq_pipeline_schedule_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                            aq_panel_get_conninfo (AQ_PANEL (self)),
                                            aq_pipeline_graph_get_name (self->graph), job);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (dialog_saved_cb), self,
                           G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->schedule_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
schedule_action (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  AqPipelinePanel *self = AQ_PIPELINE_PANEL (widget);

  if (self->graph == NULL || !self->can_schedule)
    return;
  aq_pipeline_panel_start_job (self, find_job, find_job,
                               g_strdup (aq_pipeline_graph_get_name (self->graph)), g_free,
                               (GDestroyNotify) aq_job_free, find_done_cb);
}

/* ---- backfill ---- */

static gboolean
has_watermark (AqPipelineGraph *graph)
{
  for (guint i = 0; i < aq_pipeline_graph_get_n_steps (graph); i++)
    {
      const char *id = aq_pipeline_graph_get_step_id (graph, i);
      JsonObject *step = id ? aq_pipeline_graph_get_step (graph, id) : NULL;

      if (step && json_object_has_member (step, "watermark")
          && g_strcmp0 (aq_pipeline_graph_get_step_type (graph, id), "table_input") == 0)
        return TRUE;
    }
  return FALSE;
}

static void
backfill_finished_cb (AqPipelinePanel *self)
{
  aq_pipeline_panel_load_history (self);
}

static void
backfill_action (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  AqPipelinePanel *self = AQ_PIPELINE_PANEL (widget);
  GtkWidget *dialog;

  if (self->graph == NULL)
    return;
  dialog = aq_pipeline_backfill_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                            aq_panel_get_conninfo (AQ_PANEL (self)),
                                            aq_pipeline_graph_get_name (self->graph),
                                            has_watermark (self->graph));
  g_signal_connect_object (dialog, "finished", G_CALLBACK (backfill_finished_cb), self,
                           G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->backfill_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- set-up ---- */

void
aq_pipeline_panel_schedule_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "editor.schedule", NULL, schedule_action);
  gtk_widget_class_install_action (widget_class, "editor.backfill", NULL, backfill_action);
}

void
aq_pipeline_panel_schedule_dispose (AqPipelinePanel *self)
{
  if (self->schedule_dialog)
    gtk_window_destroy (GTK_WINDOW (self->schedule_dialog));
  g_clear_weak_pointer (&self->schedule_dialog);
  if (self->backfill_dialog)
    gtk_window_destroy (GTK_WINDOW (self->backfill_dialog));
  g_clear_weak_pointer (&self->backfill_dialog);
}

/* ---- public API (tests) ---- */

/* Whether the warehouse lets the login define jobs, as the panel last read it. */
gboolean
aq_pipeline_panel_can_schedule (AqPipelinePanel *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), FALSE);
  return self->can_schedule;
}

/* Returns: (transfer none) (nullable): the Schedule… dialog while it is open */
GtkWidget *
aq_pipeline_panel_get_schedule_dialog (AqPipelinePanel *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), NULL);
  return self->schedule_dialog;
}

/* Returns: (transfer none) (nullable): the Backfill… dialog while it is open */
GtkWidget *
aq_pipeline_panel_get_backfill_dialog (AqPipelinePanel *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), NULL);
  return self->backfill_dialog;
}
