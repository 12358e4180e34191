/* aq-pipeline-panel-history.c — the Pipelines panel's run history
 *
 * The History tab lists the runs meta.pipeline_run recorded for the pipeline on the canvas,
 * newest first — status, start, duration, rows written and each step's rows out, in the
 * pipeline's run order — beside two charts over the same runs, oldest to newest: duration
 * and rows written (aq-chart.c, lines). Activating a run puts its per-step report
 * (meta.pipeline_step_run) on the canvas cards, as a run from the editor does live; its open
 * button puts the definition the run ran on the canvas, read-only (migration 042). The tab
 * reads when it is shown, after a run, and when another pipeline comes onto the canvas while
 * it is shown; the reads run on workers through core (aq-pipeline-history.c): no SQL here.
 */
#define G_LOG_DOMAIN "aq-pipeline-panel"

#include "config.h"

#include "aq-pipeline-panel-private.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>

#include "aq-chart.h"
#include "aq-pipeline-history.h"

/* The History tab's page in the bottom notebook (Problems, Preview, Run, Changes, History). */
#define HISTORY_PAGE 4
/* The height the History tab asks for, so that the list and both charts can be read. */
#define HISTORY_HEIGHT 300
/* How many runs the tab shows, the newest. */
#define HISTORY_RUNS 50

/* ---- jobs (worker threads: core calls only) ---- */

static gpointer
runs_job (AqDb         *db,
          gpointer      data,
          GCancellable *cancellable,
          GError      **error)
{
  return aq_pipeline_history_runs (db, data, HISTORY_RUNS, error);
}

static gpointer
run_job (AqDb         *db,
         gpointer      data,
         GCancellable *cancellable,
         GError      **error)
{
  gint64 run_id = *(gint64 *) data;
  JsonObject *run = aq_pipeline_history_get_run (db, run_id, error);

  if (run)
    json_object_set_int_member (run, "run_id", run_id);
  return run;
}

/* What run_definition_job answers. */
typedef struct
{
  gint64  run_id;
  int     version;   /* 0: a definition that was never saved */
  char   *text;
} RunDefinition;

static void
run_definition_free (RunDefinition *answer)
{
  g_free (answer->text);
  g_free (answer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RunDefinition, run_definition_free)

static gpointer
run_definition_job (AqDb         *db,
                    gpointer      data,
                    GCancellable *cancellable,
                    GError      **error)
{
  g_autoptr(RunDefinition) answer = g_new0 (RunDefinition, 1);

  answer->run_id = *(gint64 *) data;
  answer->text = aq_pipeline_history_run_definition (db, answer->run_id, NULL,
                                                     &answer->version, error);
  return answer->text ? g_steal_pointer (&answer) : NULL;
}

/* ---- auxiliary methods ---- */

static gint64
int_member (JsonObject *object,
            const char *member,
            gint64      fallback)
{
  JsonNode *node = json_object_get_member (object, member);

  return node == NULL || JSON_NODE_HOLDS_NULL (node) ? fallback : json_node_get_int (node);
}

static double
double_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node == NULL || JSON_NODE_HOLDS_NULL (node) ? NAN : json_node_get_double (node);
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node == NULL || JSON_NODE_HOLDS_NULL (node) ? NULL : json_node_get_string (node);
}

/* A run status in the user's words (the history and the dependency lists). */
const char *
aq_pipeline_panel_status_label (const char *status)
{
  if (g_strcmp0 (status, "succeeded") == 0)
    return _("succeeded");
  if (g_strcmp0 (status, "failed") == 0)
    return _("failed");
  if (g_strcmp0 (status, "cancelled") == 0)
    return _("cancelled");
  if (g_strcmp0 (status, "running") == 0)
    return _("running");
  return status ? status : "";
}

/* “read 900 → north 300 → out 300”: each step's rows out, in the pipeline's run order (steps
 * the canvas no longer has come last, by id). */
static char *
rows_by_step (AqPipelinePanel *self,
              JsonArray       *steps)
{
  g_auto(GStrv) order = self->graph ? aq_pipeline_graph_get_run_order (self->graph) : NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = json_array_get_length (steps);
  g_autofree gboolean *done = g_new0 (gboolean, n + 1);

  for (guint pass = 0; pass < 2; pass++)
    for (guint o = 0; pass == 1 ? o < 1 : (order && order[o]); o++)
      for (guint i = 0; i < n; i++)
        {
          JsonObject *step = json_array_get_object_element (steps, i);
          const char *id = string_member (step, "id");
          gint64 out = int_member (step, "rows_out", -1);

          if (done[i] || (pass == 0 && g_strcmp0 (id, order[o]) != 0))
            continue;
          done[i] = TRUE;
          if (text->len)
            g_string_append (text, " → ");
          if (out >= 0)
            g_string_append_printf (text, "%s %" G_GINT64_FORMAT, id, out);
          else
            g_string_append_printf (text, "%s –", id);
        }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
show_runs (AqPipelinePanel *self)
{
  GtkWidget *child;
  guint n = self->runs ? json_array_get_length (self->runs) : 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))) != NULL)
    gtk_list_box_remove (self->history_list, child);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *run = json_array_get_object_element (self->runs, i);
      GtkWidget *row = adw_action_row_new ();
      const char *status = string_member (run, "status");
      const char *error = string_member (run, "error");
      double ms = double_member (run, "duration_ms");
      gint64 rows = int_member (run, "rows_written", -1);
      g_autofree char *title = NULL;
      g_autofree char *steps = rows_by_step (self, json_object_get_array_member (run, "steps"));
      g_autoptr(GString) subtitle = g_string_new (string_member (run, "started_at"));
      GtkWidget *icon;

      /* TRANSLATORS: “Run 42 · succeeded” */
      title = g_strdup_printf (_("Run %" PRId64 " · %s"), int_member (run, "run_id", 0),
                               aq_pipeline_panel_status_label (status));
      if (!isnan (ms))
        g_string_append_printf (subtitle, " · %.2f s", ms / 1000.0);
      if (rows >= 0)
        {
          g_string_append (subtitle, " · ");
          g_string_append_printf (subtitle, ngettext ("%" PRId64 " row written",
                                                      "%" PRId64 " rows written",
                                                      (gulong) rows), rows);
        }
      if (*steps)
        g_string_append_printf (subtitle, "\n%s", steps);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
      icon = gtk_image_new_from_icon_name (g_strcmp0 (status, "succeeded") == 0
                                           ? "emblem-ok-symbolic"
                                           : g_strcmp0 (status, "running") == 0
                                           ? "media-playback-start-symbolic"
                                           : "dialog-error-symbolic");
      if (g_strcmp0 (status, "failed") == 0)
        gtk_widget_add_css_class (icon, "error");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      if (error)
        gtk_widget_set_tooltip_text (row, error);
      {
        /* the definition the run ran, as it was then (migration 042) */
        GtkWidget *open = gtk_button_new_from_icon_name ("document-open-symbolic");
        gboolean known = int_member (run, "version", 0) > 0
                         || json_object_get_boolean_member_with_default (run, "definition_kept",
                                                                         FALSE);

        gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
        gtk_widget_add_css_class (open, "flat");
        gtk_widget_set_tooltip_text (open, known
                                     ? _("Open this run's definition")
                                     : _("This run did not record its definition"));
        gtk_accessible_update_property (GTK_ACCESSIBLE (open),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Open this run's definition"), -1);
        gtk_actionable_set_action_target (GTK_ACTIONABLE (open), "x",
                                          (gint64) int_member (run, "run_id", 0));
        /* a run before migration 042: an insensitive button, no action */
        if (known)
          gtk_actionable_set_action_name (GTK_ACTIONABLE (open), "editor.open-run-definition");
        else
          gtk_widget_set_sensitive (open, FALSE);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);
      }
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data (G_OBJECT (row), "run-id",
                         GSIZE_TO_POINTER ((gsize) int_member (run, "run_id", 0)));
      gtk_list_box_append (self->history_list, row);
    }
  if (n == 0)
    gtk_label_set_text (self->history_label, _("No recorded runs of this pipeline."));
  else
    {
      g_autofree char *text = g_strdup_printf (ngettext ("The last %u run; activate one to see "
                                                         "its figures on the cards.",
                                                         "The last %u runs; activate one to "
                                                         "see its figures on the cards.", n),
                                               n);

      gtk_label_set_text (self->history_label, text);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self->duration_chart));
  gtk_widget_queue_draw (GTK_WIDGET (self->rows_chart));
}

static void
runs_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AqPipelinePanel) self = user_data;
  g_autoptr(GError) error = NULL;
  JsonArray *runs = aq_db_job_run_finish (result, runs_job, &error);

  if (!aq_pipeline_panel_job_landed (self, error))
    {
      g_clear_pointer (&runs, json_array_unref);
      return;
    }
  g_clear_pointer (&self->runs, json_array_unref);
  self->runs = runs;
  show_runs (self);
  if (runs == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The runs could not be read: %s"),
                                               error->message);

      gtk_label_set_text (self->history_label, text);
    }
}

static void
load_history (AqPipelinePanel *self)
{
  if (self->graph == NULL)
    return;
  aq_pipeline_panel_start_job (self, runs_job, runs_job,
                               g_strdup (aq_pipeline_graph_get_name (self->graph)), g_free,
                               (GDestroyNotify) json_array_unref, runs_done_cb);
}

/* ---- one run on the cards ---- */

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(AqPipelinePanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) run = aq_db_job_run_finish (result, run_job, &error);
  g_autofree char *text = NULL;
  g_autofree char *id = NULL;
  JsonArray *steps;

  if (!aq_pipeline_panel_job_landed (self, error))
    return;
  if (run == NULL)
    {
      text = g_strdup_printf (_("The run could not be read: %s"), error->message);
      gtk_label_set_text (self->history_label, text);
      return;
    }
  self->shown_run = int_member (run, "run_id", 0);
  aq_pipeline_canvas_clear_reports (self->canvas);
  steps = json_object_get_array_member (run, "steps");
  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      JsonObject *step = json_array_get_object_element (steps, i);
      AqPipelineStepReport report = {
        .step_id = string_member (step, "id"),
        .state = string_member (step, "error") ? AQ_PIPELINE_STEP_FAILED
                                               : AQ_PIPELINE_STEP_FINISHED,
        .rows_in = int_member (step, "rows_in", -1),
        .rows_out = int_member (step, "rows_out", -1),
        .duration_ms = isnan (double_member (step, "duration_ms"))
                       ? -1 : double_member (step, "duration_ms"),
        .error = string_member (step, "error"),
      };

      aq_pipeline_canvas_set_step_report (self->canvas, &report);
    }
  id = g_strdup_printf ("%" G_GINT64_FORMAT, self->shown_run);
  /* TRANSLATORS: “The cards show run 42 (failed).” */
  text = g_strdup_printf (_("The cards show run %s (%s)."), id,
                          aq_pipeline_panel_status_label (string_member (run, "status")));
  gtk_label_set_text (self->history_label, text);
}

static void
show_run (AqPipelinePanel *self,
          gint64           run_id)
{
  aq_pipeline_panel_start_job (self, run_job, run_job, g_memdup2 (&run_id, sizeof run_id),
                               g_free, (GDestroyNotify) json_object_unref, run_done_cb);
}

static void
run_activated_cb (GtkListBox      *list,
                  GtkListBoxRow   *row,
                  AqPipelinePanel *self)
{
  gint64 run_id = (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "run-id"));

  if (run_id > 0)
    show_run (self, run_id);
}

static void
run_definition_done_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(AqPipelinePanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RunDefinition) answer = aq_db_job_run_finish (result, run_definition_job, &error);
  g_autoptr(AqPipelineGraph) graph = NULL;

  if (!aq_pipeline_panel_job_landed (self, error))
    return;
  if (answer)
    graph = aq_pipeline_graph_new_from_data (answer->text, -1, &error);
  if (graph == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The run's definition could not be"
                                                    " opened: %s"), error->message);

      aq_pipeline_panel_toast (self, message);
      return;
    }
  aq_pipeline_panel_versions_show_run (self, graph, answer->version, answer->run_id);
}

static void
open_run_definition (AqPipelinePanel *self,
                     gint64           run_id)
{
  if (run_id <= 0)
    return;
  aq_pipeline_panel_start_job (self, run_definition_job, run_definition_job,
                               g_memdup2 (&run_id, sizeof run_id), g_free,
                               (GDestroyNotify) run_definition_free, run_definition_done_cb);
}

static void
open_run_definition_action (GtkWidget  *widget,
                            const char *name,
                            GVariant   *param)
{
  open_run_definition (AQ_PIPELINE_PANEL (widget), g_variant_get_int64 (param));
}

/* ---- charts ---- */

/* The runs, oldest first, as one series of @member (durations in seconds). */
static AqChartData *
chart_data (AqPipelinePanel *self,
            const char      *title,
            const char      *member,
            double           scale)
{
  guint n = self->runs ? json_array_get_length (self->runs) : 0;
  g_autoptr(AqChartData) data = aq_chart_data_new (title);
  g_autofree double *values = g_new0 (double, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      JsonObject *run = json_array_get_object_element (self->runs, n - 1 - i);
      g_autofree char *category = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                   int_member (run, "run_id", 0));

      aq_chart_data_add_category (data, category);
      values[i] = double_member (run, member) * scale;
    }
  aq_chart_data_add_series (data, title, values);
  return g_steal_pointer (&data);
}

static guint
draw_chart (GtkDrawingArea    *area,
            cairo_t           *cr,
            int                width,
            int                height,
            const AqChartData *data)
{
  GdkRGBA color;
  double ink[3];

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &color);
  ink[0] = color.red;
  ink[1] = color.green;
  ink[2] = color.blue;
  return aq_chart_render (cr, AQ_CHART_LINE, data, width, height, ink);
}

static void
duration_draw_cb (GtkDrawingArea *area,
                  cairo_t        *cr,
                  int             width,
                  int             height,
                  gpointer        user_data)
{
  AqPipelinePanel *self = user_data;
  g_autoptr(AqChartData) data = chart_data (self, _("Duration (s)"), "duration_ms", 0.001);

  self->duration_marks = self->runs ? draw_chart (area, cr, width, height, data) : 0;
}

static void
rows_draw_cb (GtkDrawingArea *area,
              cairo_t        *cr,
              int             width,
              int             height,
              gpointer        user_data)
{
  AqPipelinePanel *self = user_data;
  g_autoptr(AqChartData) data = chart_data (self, _("Rows written"), "rows_written", 1.0);

  self->rows_marks = self->runs ? draw_chart (area, cr, width, height, data) : 0;
}

static void
page_switched_cb (GtkNotebook     *notebook,
                  GtkWidget       *page,
                  guint            number,
                  AqPipelinePanel *self)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self->bottom_paned));

  if (number != HISTORY_PAGE)
    return;
  /* the pane below the canvas is short for the other tabs: make room for the charts */
  if (height > 2 * HISTORY_HEIGHT
      && height - gtk_paned_get_position (self->bottom_paned) < HISTORY_HEIGHT)
    gtk_paned_set_position (self->bottom_paned, height - HISTORY_HEIGHT);
  load_history (self);
}

/* ---- wiring ---- */

static gboolean
history_shown (AqPipelinePanel *self)
{
  return gtk_notebook_get_current_page (self->bottom_notebook) == HISTORY_PAGE;
}

void
aq_pipeline_panel_history_graph_set (AqPipelinePanel *self)
{
  self->shown_run = 0;
  if (self->history_list == NULL)
    return;
  g_clear_pointer (&self->runs, json_array_unref);
  show_runs (self);
  if (history_shown (self))
    load_history (self);
}

void
aq_pipeline_panel_history_run_done (AqPipelinePanel *self)
{
  self->shown_run = 0;
  if (history_shown (self))
    load_history (self);
}

void
aq_pipeline_panel_history_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, bottom_paned);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, history_list);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, history_label);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, duration_chart);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, rows_chart);

  gtk_widget_class_install_action (widget_class, "editor.open-run-definition", "x",
                                   open_run_definition_action);
}

void
aq_pipeline_panel_history_init (AqPipelinePanel *self)
{
  gtk_drawing_area_set_draw_func (self->duration_chart, duration_draw_cb, self, NULL);
  gtk_drawing_area_set_draw_func (self->rows_chart, rows_draw_cb, self, NULL);
  g_signal_connect (self->history_list, "row-activated", G_CALLBACK (run_activated_cb), self);
  g_signal_connect_after (self->bottom_notebook, "switch-page", G_CALLBACK (page_switched_cb),
                          self);
  show_runs (self);
}

void
aq_pipeline_panel_history_dispose (AqPipelinePanel *self)
{
  if (self->bottom_notebook)
    g_signal_handlers_disconnect_by_data (self->bottom_notebook, self);
  if (self->duration_chart)
    gtk_drawing_area_set_draw_func (self->duration_chart, NULL, NULL, NULL);
  if (self->rows_chart)
    gtk_drawing_area_set_draw_func (self->rows_chart, NULL, NULL, NULL);
  g_clear_pointer (&self->runs, json_array_unref);
}

/* ---- public API (tests, screenshots) ---- */

/* Reads the runs of the pipeline on the canvas again (as showing the History tab does). */
void
aq_pipeline_panel_load_history (AqPipelinePanel *self)
{
  g_return_if_fail (AQ_IS_PIPELINE_PANEL (self));
  load_history (self);
}

/* Returns: (transfer none) (nullable): the runs listed, newest first (aq_pipeline_history_runs) */
JsonArray *
aq_pipeline_panel_get_runs (AqPipelinePanel *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), NULL);
  return self->runs;
}

/* Shows the History tab (which reads the runs again). */
void
aq_pipeline_panel_show_history (AqPipelinePanel *self)
{
  g_return_if_fail (AQ_IS_PIPELINE_PANEL (self));
  gtk_notebook_set_current_page (self->bottom_notebook, HISTORY_PAGE);
}

/* Puts the run's per-step figures on the cards (as activating its row does). */
void
aq_pipeline_panel_show_run (AqPipelinePanel *self,
                            gint64           run_id)
{
  g_return_if_fail (AQ_IS_PIPELINE_PANEL (self));
  show_run (self, run_id);
}

gint64
aq_pipeline_panel_get_shown_run (AqPipelinePanel *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), 0);
  return self->shown_run;
}

/* Returns: the run whose definition is on the canvas, read-only (its open button); 0 */
gint64
aq_pipeline_panel_get_definition_run (AqPipelinePanel *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), 0);
  return self->definition_run;
}

/* How many points each chart drew last: duration, rows. */
void
aq_pipeline_panel_get_chart_marks (AqPipelinePanel *self,
                                   guint           *duration,
                                   guint           *rows)
{
  g_return_if_fail (AQ_IS_PIPELINE_PANEL (self));
  *duration = self->duration_marks;
  *rows = self->rows_marks;
}
