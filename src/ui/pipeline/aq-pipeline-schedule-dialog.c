/* aq-pipeline-schedule-dialog.c — the editor's Schedule… dialog: a scheduler job for a pipeline
 *
 * A job of the scheduler's `pipeline` kind for the pipeline on the canvas (its target is the
 * pipeline's name: the store's latest version at run time), either on a cron schedule in a
 * time zone or chained after another job. The five next occurrences are shown as the schedule
 * is typed (aq_cron_next from aq_clock_now(), so tests pin them); aq_job_validate's message
 * shows at once, and Save sends the job to the warehouse on a worker (aq_job_add for a new one,
 * aq_job_update for the pipeline's existing job, whose runs stay). The dialog holds no SQL.
 */
#define G_LOG_DOMAIN "aq-pipeline-schedule"

#include "config.h"

#include "aq-pipeline-schedule-dialog.h"

#include <glib/gi18n.h>

#include "aq-clock.h"
#include "aq-cron.h"
#include "aq-db-job.h"

#define N_NEXT 5

struct _AqPipelineScheduleDialog
{
  AdwWindow       parent_instance;

  char           *conninfo;
  char           *pipeline;
  gboolean        editing;      /* the pipeline has a job: Save changes it */
  GCancellable   *cancellable;
  gboolean        busy;

  GtkEditable    *name_entry;
  GtkCheckButton *cron_check;
  GtkCheckButton *after_check;
  GtkEditable    *schedule_entry;
  GtkEditable    *after_entry;
  GtkEditable    *zone_entry;
  GtkSwitch      *enabled_switch;
  GtkLabel       *next_label;
  GtkLabel       *error_label;
  GtkWidget      *save_button;
};

G_DEFINE_FINAL_TYPE (AqPipelineScheduleDialog, aq_pipeline_schedule_dialog, ADW_TYPE_WINDOW)

enum { SAVED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- auxiliary methods ---- */

static char *
field_text (GtkEditable *editable)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (editable));

  g_strstrip (text);
  return *text ? g_steal_pointer (&text) : NULL;
}

/* The job the fields describe (it may not validate). */
static AqJob *
job_from_fields (AqPipelineScheduleDialog *self)
{
  g_autofree char *name = field_text (self->name_entry);
  AqJob *job = aq_job_new (name ? name : "", "pipeline", self->pipeline);

  if (gtk_check_button_get_active (self->after_check))
    job->after_job = field_text (self->after_entry);
  else
    job->schedule = field_text (self->schedule_entry);
  job->time_zone = field_text (self->zone_entry);
  job->enabled = gtk_switch_get_active (self->enabled_switch);
  return job;
}

/* The next occurrences of the schedule in its zone, one a line; or why there are none. */
static void
update (AqPipelineScheduleDialog *self)
{
  g_autoptr(AqJob) job = job_from_fields (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) next = g_string_new (NULL);
  gboolean chained = gtk_check_button_get_active (self->after_check);
  gboolean valid = aq_job_validate (job, &error);

  gtk_widget_set_sensitive (GTK_WIDGET (self->schedule_entry), !chained);
  gtk_widget_set_sensitive (GTK_WIDGET (self->zone_entry), !chained);
  gtk_widget_set_sensitive (GTK_WIDGET (self->after_entry), chained);
  gtk_label_set_text (self->error_label, valid ? "" : error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), !valid);
  gtk_widget_set_sensitive (self->save_button, valid && !self->busy);

  if (valid && chained)
    /* TRANSLATORS: instead of the next run times, for a job chained after another */
    g_string_append_printf (next, _("Runs each time “%s” succeeds."), job->after_job);
  else if (valid)
    {
      g_autoptr(AqCron) cron = aq_cron_parse (job->schedule, NULL);
      g_autoptr(GTimeZone) zone = job->time_zone ? g_time_zone_new_identifier (job->time_zone)
                                                 : aq_clock_zone ();
      g_autoptr(GDateTime) at = aq_clock_now ();

      for (guint i = 0; i < N_NEXT && at; i++)
        {
          g_autoptr(GDateTime) due = aq_cron_next (cron, at, zone);
          g_autoptr(GDateTime) local = NULL;
          g_autofree char *text = NULL;

          g_clear_pointer (&at, g_date_time_unref);
          if (due == NULL)
            break;
          local = g_date_time_to_timezone (due, zone);
          text = g_date_time_format (local, aq_cron_has_seconds (cron) ? "%Y-%m-%d %H:%M:%S %a"
                                                                      : "%Y-%m-%d %H:%M %a");
          g_string_append_printf (next, "%s%s", next->len ? "\n" : "", text);
          at = g_date_time_ref (due);
        }
      if (next->len == 0)
        g_string_append (next, _("The schedule never comes round again."));
    }
  gtk_label_set_text (self->next_label, next->str);
}

typedef struct
{
  AqJob    *job;
  gboolean  editing;
} Save;

static void
save_free (Save *save)
{
  aq_job_free (save->job);
  g_free (save);
}

static gpointer
save_job (AqDb          *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  Save *save = data;

  /* the pipeline's job: changed in place (its runs stay); a new name: added (refused when
   * another job has it) */
  if (save->editing ? aq_job_update (db, save->job, error) : aq_job_add (db, save->job, error))
    return GINT_TO_POINTER (1);
  return NULL;
}

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AqPipelineScheduleDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  aq_db_job_run_finish (result, save_job, &error);
  self->busy = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_set_sensitive (self->save_button, TRUE);
      return;
    }
  name = field_text (self->name_entry);
  g_signal_emit (self, signals[SAVED], 0, name);
  gtk_window_close (GTK_WINDOW (self));
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

/* ---- GObject overrides ---- */

static void
aq_pipeline_schedule_dialog_dispose (GObject *object)
{
  AqPipelineScheduleDialog *self = AQ_PIPELINE_SCHEDULE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (aq_pipeline_schedule_dialog_parent_class)->dispose (object);
}

static void
aq_pipeline_schedule_dialog_finalize (GObject *object)
{
  AqPipelineScheduleDialog *self = AQ_PIPELINE_SCHEDULE_DIALOG (object);

  g_free (self->conninfo);
  g_free (self->pipeline);

  G_OBJECT_CLASS (aq_pipeline_schedule_dialog_parent_class)->finalize (object);
}

static void
aq_pipeline_schedule_dialog_class_init (AqPipelineScheduleDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_pipeline_schedule_dialog_dispose;
  object_class->finalize = aq_pipeline_schedule_dialog_finalize;

  /* the job was stored: its name */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
aq_pipeline_schedule_dialog_init (AqPipelineScheduleDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *when = adw_preferences_group_new ();
  GtkWidget *next_group = adw_preferences_group_new ();
  GtkWidget *row;

  self->cancellable = g_cancellable_new ();
  gtk_window_set_title (GTK_WINDOW (self), _("Schedule"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 480, -1);

  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->save_button);
  gtk_box_append (GTK_BOX (box), header);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_close), self);
  g_signal_connect_swapped (self->save_button, "clicked",
                            G_CALLBACK (aq_pipeline_schedule_dialog_save), self);

  gtk_widget_set_margin_start (content, 18);
  gtk_widget_set_margin_end (content, 18);
  gtk_widget_set_margin_top (content, 18);
  gtk_widget_set_margin_bottom (content, 18);
  gtk_box_append (GTK_BOX (box), content);

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             entry_row (_("Job name"), &self->name_entry));
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Enabled"));
  self->enabled_switch = GTK_SWITCH (gtk_switch_new ());
  gtk_switch_set_active (self->enabled_switch, TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->enabled_switch), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->enabled_switch));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row),
                                         GTK_WIDGET (self->enabled_switch));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  gtk_box_append (GTK_BOX (content), group);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (when), _("When"));
  adw_preferences_group_set_description (
    ADW_PREFERENCES_GROUP (when),
    _("Cron: minute hour day-of-month month day-of-week (e.g. 0 2 * * * daily at 02:00), or "
      "@hourly, @daily, @weekly, @monthly."));
  self->cron_check = GTK_CHECK_BUTTON (gtk_check_button_new_with_mnemonic (_("On a _schedule")));
  self->after_check = GTK_CHECK_BUTTON (
    gtk_check_button_new_with_mnemonic (_("_After another job succeeds")));
  gtk_check_button_set_group (self->after_check, self->cron_check);
  gtk_check_button_set_active (self->cron_check, TRUE);
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Runs"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->cron_check));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->after_check));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (when), row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (when),
                             entry_row (_("Schedule (cron)"), &self->schedule_entry));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (when),
                             entry_row (_("Time zone (empty: the warehouse's)"),
                                        &self->zone_entry));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (when),
                             entry_row (_("After job"), &self->after_entry));
  gtk_box_append (GTK_BOX (content), when);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (next_group), _("Next runs"));
  self->next_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->next_label, 0);
  gtk_label_set_selectable (self->next_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->next_label), "monospace");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (next_group), GTK_WIDGET (self->next_label));
  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->error_label, 0);
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (next_group),
                             GTK_WIDGET (self->error_label));
  gtk_box_append (GTK_BOX (content), next_group);

  adw_window_set_content (ADW_WINDOW (self), box);

  gtk_editable_set_text (self->schedule_entry, "0 2 * * *");
  g_signal_connect_swapped (self->name_entry, "changed", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->schedule_entry, "changed", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->zone_entry, "changed", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->after_entry, "changed", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->after_check, "toggled", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->enabled_switch, "notify::active", G_CALLBACK (update), self);
}

/* ---- public API ---- */

/**
 * aq_pipeline_schedule_dialog_new:
 * @existing: (nullable): the pipeline's job, to change; NULL for a new one
 *
 * Returns: (transfer none): the dialog, presented by the caller
 */
GtkWidget *
aq_pipeline_schedule_dialog_new (GtkWindow   *parent,
                                 const char  *conninfo,
                                 const char  *pipeline,
                                 const AqJob *existing)
{
  AqPipelineScheduleDialog *self = g_object_new (AQ_TYPE_PIPELINE_SCHEDULE_DIALOG,
                                                 "transient-for", parent, NULL);
  g_autofree char *name = NULL;

  self->conninfo = g_strdup (conninfo);
  self->pipeline = g_strdup (pipeline);
  self->editing = existing != NULL;
  if (existing)
    {
      gtk_editable_set_text (self->name_entry, existing->name);
      gtk_editable_set_editable (self->name_entry, FALSE);
      gtk_editable_set_text (self->schedule_entry, existing->schedule ? existing->schedule : "");
      gtk_editable_set_text (self->after_entry, existing->after_job ? existing->after_job : "");
      gtk_editable_set_text (self->zone_entry, existing->time_zone ? existing->time_zone : "");
      gtk_check_button_set_active (existing->after_job ? self->after_check : self->cron_check,
                                   TRUE);
      gtk_switch_set_active (self->enabled_switch, existing->enabled);
    }
  else
    {
      /* a job name allows [A-Za-z0-9_.-]: a pipeline's name is one */
      name = g_strdup_printf ("pipeline-%s", pipeline);
      gtk_editable_set_text (self->name_entry, name);
    }
  update (self);
  return GTK_WIDGET (self);
}

/* The entries (tests): type into them as a user would. */
GtkEditable *
aq_pipeline_schedule_dialog_get_field (AqPipelineScheduleDialog *self,
                                       AqScheduleField           field)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_SCHEDULE_DIALOG (self), NULL);

  switch (field)
    {
    case AQ_SCHEDULE_FIELD_NAME:
      return self->name_entry;
    case AQ_SCHEDULE_FIELD_SCHEDULE:
      return self->schedule_entry;
    case AQ_SCHEDULE_FIELD_AFTER:
      return self->after_entry;
    case AQ_SCHEDULE_FIELD_TIME_ZONE:
    default:
      return self->zone_entry;
    }
}

void
aq_pipeline_schedule_dialog_set_chained (AqPipelineScheduleDialog *self,
                                         gboolean                  chained)
{
  g_return_if_fail (AQ_IS_PIPELINE_SCHEDULE_DIALOG (self));
  gtk_check_button_set_active (chained ? self->after_check : self->cron_check, TRUE);
}

void
aq_pipeline_schedule_dialog_set_enabled (AqPipelineScheduleDialog *self,
                                         gboolean                  enabled)
{
  g_return_if_fail (AQ_IS_PIPELINE_SCHEDULE_DIALOG (self));
  gtk_switch_set_active (self->enabled_switch, enabled);
}

/* The next runs as shown, one a line (or why there are none). */
const char *
aq_pipeline_schedule_dialog_get_next_text (AqPipelineScheduleDialog *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_SCHEDULE_DIALOG (self), NULL);
  return gtk_label_get_text (self->next_label);
}

/* What is wrong with the fields or what the warehouse refused; "" when nothing. */
const char *
aq_pipeline_schedule_dialog_get_error_text (AqPipelineScheduleDialog *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_SCHEDULE_DIALOG (self), NULL);
  return gtk_label_get_text (self->error_label);
}

/* Whether Save changes the pipeline's existing job (rather than adding one). */
gboolean
aq_pipeline_schedule_dialog_is_editing (AqPipelineScheduleDialog *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_SCHEDULE_DIALOG (self), FALSE);
  return self->editing;
}

gboolean
aq_pipeline_schedule_dialog_is_busy (AqPipelineScheduleDialog *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_SCHEDULE_DIALOG (self), FALSE);
  return self->busy;
}

/* Stores the job on a worker; "saved" and the dialog closes when the warehouse took it. */
void
aq_pipeline_schedule_dialog_save (AqPipelineScheduleDialog *self)
{
  g_autoptr(AqJob) job = NULL;
  g_autoptr(GError) error = NULL;
  Save *save;

  g_return_if_fail (AQ_IS_PIPELINE_SCHEDULE_DIALOG (self));

  job = job_from_fields (self);
  if (self->busy || !aq_job_validate (job, &error))
    return;
  save = g_new0 (Save, 1);
  save->job = g_steal_pointer (&job);
  save->editing = self->editing;
  self->busy = TRUE;
  gtk_widget_set_sensitive (self->save_button, FALSE);
  aq_db_job_run_async (self->conninfo, save_job, save_job, save, (GDestroyNotify) save_free,
                       NULL, self->cancellable, save_done_cb, g_object_ref (self));
}
