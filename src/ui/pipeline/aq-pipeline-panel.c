/* aq-pipeline-panel.c — the Pipelines panel: the pipeline editor
 *
 * A palette of step types on the left (drag one onto the canvas, or activate it to add it
 * after the selected step), the canvas in the middle (aq-pipeline-canvas.c), the selected
 * step's form on the right (aq-pipeline-step-form.c), and below the problems, the preview
 * and the run. The model is an AqPipelineGraph in core; every change to it (an edit, an undo)
 * runs validation again, which is cheap enough to do on every keystroke, and its problems are
 * pinned on the cards, under the form's members and listed below. Selecting a step previews it
 * after a short pause (debounce, and the running preview is cancelled: the newest wins); a
 * run goes through aq_pipeline_run_async and its per-step reports land on the cards live.
 * The preview pane is aq-pipeline-panel-preview.c. The panel holds no SQL.
 */
#define G_LOG_DOMAIN "aq-pipeline-panel"

#include "config.h"

#include "aq-pipeline-panel.h"
#include "aq-pipeline-panel-private.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "aq-panel.h"
#include "aq-pipeline-canvas.h"
#include "aq-pipeline-compiler.h"
#include "aq-pipeline-preview.h"
#include "aq-pipeline-schema.h"
#include "aq-pipeline-step-form.h"
#include "aq-pipeline-store.h"
#include "aq-pipeline-validate.h"

/* Selecting steps one after another with Tab previews only the one it stops at. */
#define PREVIEW_DELAY_MS 300
/* The pipeline the panel opens first: the standard one with the most kinds of step. */
#define FIRST_PIPELINE "dw_customer"


static void aq_panel_iface_init (AqPanelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AqPipelinePanel, aq_pipeline_panel, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (AQ_TYPE_PANEL, aq_panel_iface_init))

static void graph_changed_cb (AqPipelinePanel *self);

/* ---- auxiliary methods ---- */

void
aq_pipeline_panel_toast (AqPipelinePanel *self,
                         const char      *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

void
aq_pipeline_panel_update_actions (AqPipelinePanel *self)
{
  gboolean running = self->run_cancellable != NULL;
  /* a stored version on show is looked at, not edited: Restore or Edit as new first */
  gboolean have = self->graph != NULL && self->shown_version == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.undo",
                                 have && aq_pipeline_graph_can_undo (self->graph));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.redo",
                                 have && aq_pipeline_graph_can_redo (self->graph));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.run", have && !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.cancel", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", have && !self->saving);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.layout", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.add-step", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.schedule",
                                 have && self->can_schedule);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.backfill", have && !running);
}

/* The names of the columns flowing into a step, when they can be known without the warehouse. */
static char **
input_columns (AqPipelinePanel *self,
               const char      *step_id)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *data = NULL;
  g_autoptr(AqPipeline) pipeline = NULL;
  g_autoptr(AqPipelineCompiler) compiler = NULL;
  AqPipelineStep *step;
  GPtrArray *order;
  GPtrArray *columns;

  if (self->problems == NULL || self->problems->len > 0 || step_id == NULL)
    return g_strv_builder_end (builder);
  data = aq_pipeline_graph_to_data (self->graph);
  pipeline = aq_pipeline_new_from_data (data, -1, NULL, NULL);
  if (pipeline == NULL || (order = aq_pipeline_get_order (pipeline, NULL)) == NULL)
    return g_strv_builder_end (builder);
  compiler = aq_pipeline_compiler_new (pipeline);
  step = aq_pipeline_find_step (pipeline, step_id);
  for (guint i = 0; i < order->len && g_ptr_array_index (order, i) != step; i++)
    aq_pipeline_compiler_check_step (compiler, g_ptr_array_index (order, i), NULL);
  columns = step ? aq_pipeline_compiler_get_input_columns (compiler, step) : NULL;
  for (guint i = 0; columns && i < columns->len; i++)
    g_strv_builder_add (builder, ((AqPipelineColumn *) g_ptr_array_index (columns, i))->name);
  return g_strv_builder_end (builder);
}

static void
rebuild_form (AqPipelinePanel *self)
{
  const char *selected = aq_pipeline_canvas_get_selected (self->canvas);
  g_auto(GStrv) columns = input_columns (self, selected);

  aq_pipeline_step_form_set_step (self->form, self->graph, selected,
                                  (const char * const *) columns);
  aq_pipeline_step_form_set_problems (self->form, self->problems);
}

static void
problem_activated_cb (GtkListBox      *list,
                      GtkListBoxRow   *row,
                      AqPipelinePanel *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "step-id");

  if (id)
    {
      aq_pipeline_canvas_select (self->canvas, id, FALSE);
      aq_pipeline_canvas_reveal (self->canvas, id);
    }
}

static void
show_problems (AqPipelinePanel *self)
{
  GtkWidget *child;
  g_autofree char *status = NULL;
  g_autofree char *tab = NULL;
  guint n = self->problems ? self->problems->len : 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->problems_list))) != NULL)
    gtk_list_box_remove (self->problems_list, child);
  for (guint i = 0; i < n; i++)
    {
      AqPipelineProblem *problem = g_ptr_array_index (self->problems, i);
      g_autofree char *text = NULL;
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *label;

      if (problem->step_id && problem->member)
        text = g_strdup_printf ("%s · %s: %s", problem->step_id, problem->member,
                                problem->message);
      else if (problem->step_id)
        text = g_strdup_printf ("%s: %s", problem->step_id, problem->message);
      else
        text = g_strdup (problem->message);
      label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_top (label, 3);
      gtk_widget_set_margin_bottom (label, 3);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      g_object_set_data_full (G_OBJECT (row), "step-id", g_strdup (problem->step_id), g_free);
      gtk_list_box_append (self->problems_list, row);
    }
  if (n == 0)
    status = g_strdup (_("No problems"));
  else
    status = g_strdup_printf (ngettext ("%u problem", "%u problems", n), n);
  gtk_label_set_text (self->status_label, status);
  tab = n ? g_strdup_printf (_("Problems (%u)"), n) : g_strdup (_("Problems"));
  gtk_label_set_text (self->problems_tab, tab);
}

static void
validate (AqPipelinePanel *self)
{
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  if (self->graph)
    self->problems = aq_pipeline_validate_graph (self->graph);
  aq_pipeline_canvas_set_problems (self->canvas, self->problems);
  aq_pipeline_step_form_set_problems (self->form, self->problems);
  show_problems (self);
}

/* The drop-down names the pipeline on the canvas: its row when it is a standard one, none
 * otherwise (a new or stored-only pipeline), without loading anything. */
static void
sync_dropdown (AqPipelinePanel *self)
{
  GListModel *model = gtk_drop_down_get_model (self->pipeline_dropdown);
  const char *name = self->graph ? aq_pipeline_graph_get_name (self->graph) : NULL;
  guint position = GTK_INVALID_LIST_POSITION;
  gboolean opening = self->opening;

  for (guint i = 0; model && name && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), name) == 0)
        position = i;
    }
  if (gtk_drop_down_get_selected (self->pipeline_dropdown) == position)
    return;
  self->opening = TRUE;
  gtk_drop_down_set_selected (self->pipeline_dropdown, position);
  self->opening = opening;
}

static void
set_graph (AqPipelinePanel *self,
           AqPipelineGraph *graph)
{
  if (self->graph)
    {
      g_signal_handlers_disconnect_by_data (self->graph, self);
      g_clear_object (&self->graph);
    }
  self->graph = graph ? g_object_ref (graph) : NULL;
  if (graph)
    {
      if (!aq_pipeline_graph_has_positions (graph))
        aq_pipeline_graph_auto_layout (graph);
      aq_pipeline_graph_clear_history (graph);
      g_signal_connect_swapped (graph, "changed", G_CALLBACK (graph_changed_cb), self);
      g_signal_connect_swapped (graph, "notify::can-undo",
                                G_CALLBACK (aq_pipeline_panel_update_actions), self);
      g_signal_connect_swapped (graph, "notify::can-redo",
                                G_CALLBACK (aq_pipeline_panel_update_actions), self);
    }
  g_clear_pointer (&self->preview, aq_pipeline_preview_free);
  sync_dropdown (self);
  aq_pipeline_panel_versions_graph_set (self);
  aq_pipeline_panel_history_graph_set (self);
  aq_pipeline_panel_deps_graph_set (self);
  validate (self);
  aq_pipeline_canvas_set_graph (self->canvas, graph);
  rebuild_form (self);
  aq_pipeline_panel_update_actions (self);
}

/* ---- run ---- */

static void
step_report_cb (const AqPipelineStepReport *report,
                gpointer                    user_data)
{
  AqPipelinePanel *self = user_data;
  g_autofree char *text = NULL;

  if (self->canvas == NULL)
    return;
  aq_pipeline_canvas_set_step_report (self->canvas, report);
  if (report->state == AQ_PIPELINE_STEP_STARTED)
    text = g_strdup_printf (_("Running “%s”…"), report->step_id);
  else if (report->state == AQ_PIPELINE_STEP_FAILED)
    {
      g_free (self->failed_step);
      self->failed_step = g_strdup (report->step_id);
    }
  if (text)
    gtk_label_set_text (self->run_label, text);
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(AqPipelinePanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 run_id = 0;

  if (aq_pipeline_run_finish (result, &run_id, &error))
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);

      text = g_strdup_printf (_("Run %s succeeded: every target has its new rows."), id);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    text = g_strdup (_("The run was cancelled: every target is as it was."));
  else if (self->failed_step)
    text = g_strdup_printf (_("The run failed at step “%s”: %s\nEvery target is as it was."),
                            self->failed_step, error->message);
  else
    text = g_strdup_printf (_("The run failed: %s\nEvery target is as it was."), error->message);
  if (self->run_label)
    gtk_label_set_text (self->run_label, text);
  g_clear_object (&self->run_cancellable);
  if (self->canvas)
    {
      aq_pipeline_panel_update_actions (self);
      aq_pipeline_panel_history_run_done (self);
    }
}

/* ---- callbacks ---- */

static void
graph_changed_cb (AqPipelinePanel *self)
{
  validate (self);
  /* the form's own edits keep it; an undo, a rename, a delete rebuild it */
  if (!aq_pipeline_step_form_is_editing (self->form))
    rebuild_form (self);
  aq_pipeline_panel_update_actions (self);
  if (aq_pipeline_canvas_get_selected (self->canvas))
    aq_pipeline_panel_schedule_preview (self, PREVIEW_DELAY_MS * 3);
}

static void
selection_changed_cb (AqPipelinePanel *self)
{
  rebuild_form (self);
  if (aq_pipeline_canvas_get_selected (self->canvas))
    aq_pipeline_panel_schedule_preview (self, PREVIEW_DELAY_MS);
}

static void
edit_refused_cb (AqPipelinePanel *self,
                 const char      *message)
{
  aq_pipeline_panel_toast (self, message);
}

static void
step_renamed_cb (AqPipelinePanel *self,
                 const char      *id)
{
  aq_pipeline_canvas_select (self->canvas, id, FALSE);
}

static void
pipeline_selected_cb (AqPipelinePanel *self)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (self->pipeline_dropdown);
  g_autoptr(AqPipelineGraph) graph = NULL;
  g_autoptr(GError) error = NULL;

  if (item == NULL || self->opening)
    return;
  graph = aq_pipeline_graph_new_standard (gtk_string_object_get_string (item), &error);
  if (graph == NULL)
    {
      aq_pipeline_panel_toast (self, error->message);
      return;
    }
  set_graph (self, graph);
}

static void
search_changed_cb (AqPipelinePanel *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_auto(GStrv) found = NULL;

  if (self->graph == NULL || text == NULL || *text == '\0')
    return;
  found = aq_pipeline_graph_find (self->graph, text);
  if (found[0])
    {
      aq_pipeline_canvas_select (self->canvas, found[0], FALSE);
      aq_pipeline_canvas_reveal (self->canvas, found[0]);
    }
}

/* Enter in the search: the next step that matches. */
static void
search_activate_cb (AqPipelinePanel *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  const char *current = aq_pipeline_canvas_get_selected (self->canvas);
  g_auto(GStrv) found = NULL;
  guint n, at = 0;

  if (self->graph == NULL || text == NULL || *text == '\0')
    return;
  found = aq_pipeline_graph_find (self->graph, text);
  n = g_strv_length (found);
  if (n == 0)
    return;
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (found[i], current) == 0)
      at = (i + 1) % n;
  aq_pipeline_canvas_select (self->canvas, found[at], FALSE);
  aq_pipeline_canvas_reveal (self->canvas, found[at]);
}

static GdkContentProvider *
palette_drag_prepare_cb (GtkDragSource *source,
                         double         x,
                         double         y,
                         const char    *type)
{
  return gdk_content_provider_new_typed (G_TYPE_STRING, type);
}

static void
palette_activated_cb (GtkListBox      *list,
                      GtkListBoxRow   *row,
                      AqPipelinePanel *self)
{
  const char *type = g_object_get_data (G_OBJECT (row), "step-type");

  gtk_widget_activate_action (GTK_WIDGET (self), "editor.add-step", "s", type);
}

static void
fill_palette (AqPipelinePanel *self)
{
  guint n;
  const AqPipelineStepSchema *all = aq_pipeline_schema_get_all (&n);

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkDragSource *source = gtk_drag_source_new ();

      gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (all[i].icon_name));
      gtk_box_append (GTK_BOX (box), gtk_label_new (_(all[i].label)));
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_widget_set_tooltip_text (row, _("Drag onto the canvas, or press Enter to add after "
                                          "the selected step"));
      g_object_set_data (G_OBJECT (row), "step-type", (gpointer) all[i].type);
      gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
      g_signal_connect (source, "prepare", G_CALLBACK (palette_drag_prepare_cb),
                        (gpointer) all[i].type);
      gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (source));
      gtk_list_box_append (self->palette_list, row);
    }
}

/* ---- actions ---- */

static void
undo_action (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  AqPipelinePanel *self = AQ_PIPELINE_PANEL (widget);

  if (self->graph)
    aq_pipeline_graph_undo (self->graph);
}

static void
redo_action (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  AqPipelinePanel *self = AQ_PIPELINE_PANEL (widget);

  if (self->graph)
    aq_pipeline_graph_redo (self->graph);
}

static void
layout_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  AqPipelinePanel *self = AQ_PIPELINE_PANEL (widget);

  if (self->graph)
    aq_pipeline_graph_auto_layout (self->graph);
}

static void
find_action (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  AqPipelinePanel *self = AQ_PIPELINE_PANEL (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
preview_action (GtkWidget  *widget,
                const char *name,
                GVariant   *param)
{
  AqPipelinePanel *self = AQ_PIPELINE_PANEL (widget);

  gtk_notebook_set_current_page (self->bottom_notebook, 1);
  aq_pipeline_panel_schedule_preview (self, 0);
}

static void
run_action (GtkWidget  *widget,
            const char *name,
            GVariant   *param)
{
  AqPipelinePanel *self = AQ_PIPELINE_PANEL (widget);
  const char *conninfo = aq_panel_get_conninfo (AQ_PANEL (self));
  g_autofree char *data = NULL;
  g_autoptr(AqPipeline) pipeline = NULL;
  g_autoptr(GError) error = NULL;

  if (self->graph == NULL || self->run_cancellable)
    return;
  gtk_notebook_set_current_page (self->bottom_notebook, 2);
  if (self->problems && self->problems->len > 0)
    {
      gtk_label_set_text (self->run_label, _("Fix the problems first: a run would refuse them."));
      gtk_notebook_set_current_page (self->bottom_notebook, 0);
      return;
    }
  data = aq_pipeline_graph_to_data (self->graph);
  pipeline = aq_pipeline_new_from_data (data, -1, NULL, &error);
  if (pipeline == NULL)
    {
      gtk_label_set_text (self->run_label, error->message);
      return;
    }
  g_clear_pointer (&self->failed_step, g_free);
  aq_pipeline_canvas_clear_reports (self->canvas);
  gtk_label_set_text (self->run_label, _("Checking the pipeline against the warehouse…"));
  self->run_cancellable = g_cancellable_new ();
  aq_pipeline_run_async (pipeline, conninfo, step_report_cb, g_object_ref (self),
                         g_object_unref, self->run_cancellable, run_done_cb,
                         g_object_ref (self));
  aq_pipeline_panel_update_actions (self);
}

static void
cancel_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  AqPipelinePanel *self = AQ_PIPELINE_PANEL (widget);

  g_cancellable_cancel (self->run_cancellable);
}

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AqPipelinePanel) self = user_data;
  g_autoptr(GError) error = NULL;
  int version = aq_pipeline_store_save_finish (result, &error);

  self->saving = FALSE;
  if (self->canvas == NULL)
    return;
  aq_pipeline_panel_update_actions (self);
  if (version == 0)
    {
      g_autofree char *text = g_strdup_printf (_("Not saved: %s"), error->message);

      aq_pipeline_panel_toast (self, text);
      return;
    }
  {
    g_autofree char *text = g_strdup_printf (_("Saved as version %d of “%s”"), version,
                                             aq_pipeline_graph_get_name (self->graph));

    aq_pipeline_panel_toast (self, text);
  }
}

/* Every save is a new version in the warehouse's pipeline store (meta.pipeline_version); the
 * store refuses a definition the engine would not accept and says why. */
static void
save_action (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  AqPipelinePanel *self = AQ_PIPELINE_PANEL (widget);
  g_autofree char *data = NULL;

  if (self->graph == NULL || self->saving)
    return;
  data = aq_pipeline_graph_to_data (self->graph);
  self->saving = TRUE;
  aq_pipeline_panel_update_actions (self);
  aq_pipeline_store_save_async (aq_panel_get_conninfo (AQ_PANEL (self)),
                                aq_pipeline_graph_get_name (self->graph), data, NULL, NULL,
                                save_done_cb, g_object_ref (self));
}

static void
new_action (GtkWidget  *widget,
            const char *name,
            GVariant   *param)
{
  AqPipelinePanel *self = AQ_PIPELINE_PANEL (widget);
  g_autoptr(AqPipelineGraph) graph = aq_pipeline_graph_new ("new_pipeline");

  /* the drop-down lists the standard pipelines: a new one is none of them (set_graph) */
  set_graph (self, graph);
}

/* Adds a step of the type: after the selected step (connected, to its right) when the new
 * one reads rows and the selected one passes them, else in the middle of the view. */
static void
add_step_action (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  AqPipelinePanel *self = AQ_PIPELINE_PANEL (widget);
  const char *type = g_variant_get_string (param, NULL);
  const AqPipelineStepSchema *schema = aq_pipeline_schema_lookup (type);
  const AqPipelineStepSchema *after_schema = NULL;
  g_autofree char *after = g_strdup (aq_pipeline_canvas_get_selected (self->canvas));
  g_autofree char *id = NULL;
  double x, y;

  if (self->graph == NULL || schema == NULL)
    return;
  if (after)
    after_schema = aq_pipeline_schema_lookup (aq_pipeline_graph_get_step_type (self->graph,
                                                                               after));
  if (after_schema && after_schema->passes_rows && schema->max_inputs > 0)
    {
      aq_pipeline_canvas_step_to_widget (self->canvas, after, TRUE, &x, &y);
      x += AQ_PIPELINE_GRAPH_COLUMN_WIDTH - AQ_PIPELINE_CARD_WIDTH / 2
           * aq_pipeline_canvas_get_zoom (self->canvas);
      id = aq_pipeline_canvas_add_step (self->canvas, type, x, y);
      aq_pipeline_graph_connect (self->graph, after, id, NULL);
    }
  else
    id = aq_pipeline_canvas_add_step (self->canvas, type,
                                      gtk_widget_get_width (GTK_WIDGET (self->canvas)) / 2.0,
                                      gtk_widget_get_height (GTK_WIDGET (self->canvas)) / 2.0);
  aq_pipeline_canvas_reveal (self->canvas, id);
}

/* ---- AqPanel ---- */

static gboolean
aq_pipeline_panel_get_loading (AqPanel *panel)
{
  return FALSE;
}

static void
aq_pipeline_panel_reload (AqPanel *panel)
{
  AqPipelinePanel *self = AQ_PIPELINE_PANEL (panel);

  if (aq_pipeline_canvas_get_selected (self->canvas))
    aq_pipeline_panel_schedule_preview (self, 0);
  aq_pipeline_panel_schedule_refresh (self);
}

static void
aq_pipeline_panel_set_monitor (AqPanel             *panel,
                               AqConnectionMonitor *monitor)
{
  AqPipelinePanel *self = AQ_PIPELINE_PANEL (panel);

  g_set_object (&self->monitor, monitor);
  aq_pipeline_panel_schedule_refresh (self);
}

static void
aq_panel_iface_init (AqPanelInterface *iface)
{
  iface->get_loading = aq_pipeline_panel_get_loading;
  iface->reload = aq_pipeline_panel_reload;
  iface->set_monitor = aq_pipeline_panel_set_monitor;
}

/* ---- GObject overrides ---- */

static void
aq_pipeline_panel_dispose (GObject *object)
{
  AqPipelinePanel *self = AQ_PIPELINE_PANEL (object);
  GtkWidget *child;

  g_clear_handle_id (&self->preview_source, g_source_remove);
  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  g_cancellable_cancel (self->run_cancellable);
  aq_pipeline_panel_preview_dispose (self);
  aq_pipeline_panel_versions_dispose (self);
  aq_pipeline_panel_history_dispose (self);
  aq_pipeline_panel_deps_dispose (self);
  aq_pipeline_panel_schedule_dispose (self);
  if (self->graph)
    g_signal_handlers_disconnect_by_data (self->graph, self);
  g_clear_object (&self->graph);
  gtk_widget_dispose_template (GTK_WIDGET (object), AQ_TYPE_PIPELINE_PANEL);
  self->canvas = NULL;
  self->run_label = NULL;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (aq_pipeline_panel_parent_class)->dispose (object);
}

static void
aq_pipeline_panel_finalize (GObject *object)
{
  AqPipelinePanel *self = AQ_PIPELINE_PANEL (object);

  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->preview, aq_pipeline_preview_free);
  g_clear_object (&self->run_cancellable);
  g_clear_pointer (&self->failed_step, g_free);

  G_OBJECT_CLASS (aq_pipeline_panel_parent_class)->finalize (object);
}

static void
aq_pipeline_panel_class_init (AqPipelinePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_pipeline_panel_dispose;
  object_class->finalize = aq_pipeline_panel_finalize;

  g_type_ensure (AQ_TYPE_PIPELINE_CANVAS);
  g_type_ensure (AQ_TYPE_PIPELINE_STEP_FORM);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-pipeline-panel.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, pipeline_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, search_bar);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, palette_list);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, canvas);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, bottom_notebook);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, problems_list);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, problems_tab);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, preview_label);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, preview_view);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, run_label);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, form);
  aq_pipeline_panel_versions_class_init (widget_class);
  aq_pipeline_panel_history_class_init (widget_class);
  aq_pipeline_panel_deps_class_init (widget_class);
  aq_pipeline_panel_schedule_class_init (widget_class);
  aq_pipeline_panel_import_class_init (widget_class);
  aq_pipeline_panel_preview_class_init (widget_class);

  gtk_widget_class_install_action (widget_class, "editor.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "editor.redo", NULL, redo_action);
  gtk_widget_class_install_action (widget_class, "editor.layout", NULL, layout_action);
  gtk_widget_class_install_action (widget_class, "editor.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "editor.preview", NULL, preview_action);
  gtk_widget_class_install_action (widget_class, "editor.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "editor.add-step", "s", add_step_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK,
                                       "editor.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "editor.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Z,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "editor.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "editor.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "editor.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "editor.preview", NULL);
}

static void
aq_pipeline_panel_init (AqPipelinePanel *self)
{
  g_auto(GStrv) names = aq_pipeline_list_standard ();
  g_autoptr(GtkStringList) model = gtk_string_list_new ((const char * const *) names);
  guint first = 0;

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; names[i]; i++)
    if (g_strcmp0 (names[i], FIRST_PIPELINE) == 0)
      first = i;
  self->opening = TRUE;
  gtk_drop_down_set_model (self->pipeline_dropdown, G_LIST_MODEL (model));
  gtk_drop_down_set_selected (self->pipeline_dropdown, first);
  self->opening = FALSE;

  fill_palette (self);
  g_signal_connect (self->palette_list, "row-activated", G_CALLBACK (palette_activated_cb), self);
  g_signal_connect (self->problems_list, "row-activated", G_CALLBACK (problem_activated_cb),
                    self);
  g_signal_connect_swapped (self->pipeline_dropdown, "notify::selected",
                            G_CALLBACK (pipeline_selected_cb), self);
  g_signal_connect_swapped (self->canvas, "selection-changed",
                            G_CALLBACK (selection_changed_cb), self);
  g_signal_connect_swapped (self->canvas, "edit-refused", G_CALLBACK (edit_refused_cb), self);
  g_signal_connect_swapped (self->form, "step-renamed", G_CALLBACK (step_renamed_cb), self);
  g_signal_connect_swapped (self->search_entry, "search-changed",
                            G_CALLBACK (search_changed_cb), self);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (search_activate_cb),
                            self);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  aq_pipeline_panel_versions_init (self);
  aq_pipeline_panel_history_init (self);
  aq_pipeline_panel_deps_init (self);

  pipeline_selected_cb (self);
}

/* ---- public API (tests, screenshots) ---- */

/* Opens one of the standard pipelines, laid out. */
gboolean
aq_pipeline_panel_open_standard (AqPipelinePanel  *self,
                                 const char       *name,
                                 GError          **error)
{
  g_autoptr(AqPipelineGraph) graph = NULL;

  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), FALSE);

  graph = aq_pipeline_graph_new_standard (name, error);
  if (graph == NULL)
    return FALSE;
  set_graph (self, graph);
  return TRUE;
}

/* Edits @graph (kept as is: the panel does not lay out one that has positions). */
void
aq_pipeline_panel_set_graph (AqPipelinePanel *self,
                             AqPipelineGraph *graph)
{
  g_return_if_fail (AQ_IS_PIPELINE_PANEL (self));
  set_graph (self, graph);
}

AqPipelineGraph *
aq_pipeline_panel_get_graph (AqPipelinePanel *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), NULL);
  return self->graph;
}

GtkWidget *
aq_pipeline_panel_get_canvas (AqPipelinePanel *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), NULL);
  return GTK_WIDGET (self->canvas);
}

GtkWidget *
aq_pipeline_panel_get_form (AqPipelinePanel *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), NULL);
  return GTK_WIDGET (self->form);
}

/* Returns: (transfer none) (element-type AqPipelineProblem): what validation found last */
GPtrArray *
aq_pipeline_panel_get_problems (AqPipelinePanel *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), NULL);
  return self->problems;
}

/* Whether a preview or a run is under way. */
gboolean
aq_pipeline_panel_is_busy (AqPipelinePanel *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), FALSE);
  return self->previewing || self->preview_source != 0 || self->run_cancellable != NULL
         || self->saving || self->versions_busy > 0;
}

const char *
aq_pipeline_panel_get_run_text (AqPipelinePanel *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), NULL);
  return gtk_label_get_text (self->run_label);
}

/* Returns: (nullable): the pipeline the drop-down shows, NULL when it shows none */
const char *
aq_pipeline_panel_get_dropdown_name (AqPipelinePanel *self)
{
  GtkStringObject *item;

  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), NULL);
  item = gtk_drop_down_get_selected_item (self->pipeline_dropdown);
  return item ? gtk_string_object_get_string (item) : NULL;
}
