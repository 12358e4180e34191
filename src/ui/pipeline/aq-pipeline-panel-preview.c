/* aq-pipeline-panel-preview.c — the Pipelines panel's Preview tab
 *
 * Selecting a step previews it after a short pause (aq_pipeline_panel_schedule_preview: a
 * debounce, and the running preview is cancelled, so the newest wins). The preview runs on a
 * worker through core (aq_pipeline_preview_step_async: the step and what feeds it, rolled
 * back); its first rows are shown in a column view, each column titled with its name and type,
 * NULL dimmed, above them the row count — or, when counting would take long, only that these
 * are the first rows — and the time it took. A step that would take longer than the budget
 * to compute in full is previewed over a sample of its inputs (core's automatic preview):
 * a bar says so plainly, with the sample's size, and offers the full preview, computed in
 * the background with its seconds counted, cancellable, and shown with the time it took.
 */
#define G_LOG_DOMAIN "aq-pipeline-panel"

#include "config.h"

#include "aq-pipeline-panel-private.h"

#include <glib/gi18n.h>

#include "aq-panel.h"
#include "aq-pipeline-preview.h"
#include "aq-pipeline-schema.h"
#include "aq-pipeline-validate.h"

/* ---- the rows ---- */

static void
column_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (label), 8);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
  gtk_list_item_set_child (item, label);
}

static void
column_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                AqPipelinePanel          *self)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "column"));
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  guint row = gtk_list_item_get_position (item);
  const char *value;

  if (self->preview == NULL || row >= self->preview->rows->len)
    return;
  value = aq_pipeline_preview_get_value (self->preview, row, column);
  gtk_label_set_text (label, value ? value : "NULL");
  if (value)
    gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
  else
    gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
}

/* The bar over a sampled preview (or over the full one being computed). */
static void
show_sample_bar (AqPipelinePanel *self)
{
  AqPipelinePreview *preview = self->preview;
  g_autofree char *text = NULL;

  if (self->previewing_full)
    {
      guint seconds = self->preview_timer ? (guint) g_timer_elapsed (self->preview_timer, NULL)
                                          : 0;

      /* TRANSLATORS: a step computed over every input row; the time so far */
      text = g_strdup_printf (ngettext ("Computing the full preview over every input row… %u"
                                        " second so far",
                                        "Computing the full preview over every input row… %u"
                                        " seconds so far", seconds), seconds);
    }
  else if (preview && preview->sample_rows > 0)
    {
      g_autofree char *input_rows = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                     preview->sample_input_rows);

      /* TRANSLATORS: “Preview over a sample of 20000 input rows (the first 10000 rows of each
       * of 2 tables) — figures are not the full result.” */
      text = g_strdup_printf (ngettext ("Preview over a sample of %s input rows (the first %u"
                                        " rows of %u table) — figures are not the full"
                                        " result.",
                                        "Preview over a sample of %s input rows (the first %u"
                                        " rows of each of %u tables) — figures are not the full"
                                        " result.", preview->n_sampled_tables),
                              input_rows, preview->sample_rows, preview->n_sampled_tables);
    }
  gtk_widget_set_visible (self->preview_sample_bar, text != NULL);
  gtk_widget_set_visible (self->preview_full_button, !self->previewing_full);
  gtk_widget_set_visible (self->preview_cancel_button, self->previewing_full);
  if (text)
    gtk_label_set_text (self->preview_sample_label, text);
}

static void
show_preview (AqPipelinePanel *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->preview_view);
  g_autoptr(GtkStringList) rows = gtk_string_list_new (NULL);
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (self->preview_view, column);
    }
  show_sample_bar (self);
  if (self->preview == NULL)
    {
      gtk_column_view_set_model (self->preview_view, NULL);
      return;
    }
  for (guint c = 0; c < self->preview->columns->len; c++)
    {
      AqPipelineColumn *column = g_ptr_array_index (self->preview->columns, c);
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autofree char *title = g_strdup_printf ("%s · %s", column->name,
                                                column->type ? column->type : "?");
      g_autoptr(GtkColumnViewColumn) view_column = NULL;

      g_object_set_data (G_OBJECT (factory), "column", GUINT_TO_POINTER (c));
      g_signal_connect (factory, "setup", G_CALLBACK (column_setup_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (column_bind_cb), self);
      view_column = gtk_column_view_column_new (title, factory);
      gtk_column_view_column_set_resizable (view_column, TRUE);
      gtk_column_view_append_column (self->preview_view, view_column);
    }
  for (guint r = 0; r < self->preview->rows->len; r++)
    gtk_string_list_append (rows, "");
  gtk_column_view_set_model (self->preview_view,
                             GTK_SELECTION_MODEL (gtk_no_selection_new (
                               G_LIST_MODEL (g_steal_pointer (&rows)))));
  count = g_strdup_printf ("%" G_GINT64_FORMAT, self->preview->n_rows);
  if (self->preview->sample_rows > 0 && self->preview->n_rows >= 0)
    /* TRANSLATORS: “read_profile: 812 rows from the sample (200 shown) · computed in 0.64 s
     * and rolled back” */
    text = g_strdup_printf (ngettext ("%s: %s row from the sample (%u shown) · computed in"
                                      " %.2f s and rolled back",
                                      "%s: %s rows from the sample (%u shown) · computed in"
                                      " %.2f s and rolled back",
                                      (gulong) MAX (self->preview->n_rows, 0)),
                            self->preview->step_id, count, self->preview->rows->len,
                            self->preview->duration_ms / 1000.0);
  else if (self->preview->n_rows < 0)
    /* TRANSLATORS: “bill_month: the first 200 rows (counting all would take long) · …” */
    text = g_strdup_printf (ngettext ("%s: the first %u row (counting all would take long) ·"
                                      " computed in %.2f s and rolled back",
                                      "%s: the first %u rows (counting all would take long) ·"
                                      " computed in %.2f s and rolled back",
                                      self->preview->rows->len),
                            self->preview->step_id, self->preview->rows->len,
                            self->preview->duration_ms / 1000.0);
  else
    /* TRANSLATORS: “customer_type: 1204 rows (200 shown) · computed in 0.31 s and rolled back” */
    text = g_strdup_printf (ngettext ("%s: %s row (%u shown) · computed in %.2f s and rolled"
                                      " back",
                                      "%s: %s rows (%u shown) · computed in %.2f s and rolled"
                                      " back",
                                      (gulong) MAX (self->preview->n_rows, 0)),
                            self->preview->step_id, count, self->preview->rows->len,
                            self->preview->duration_ms / 1000.0);
  gtk_label_set_text (self->preview_label, text);
}

static void
stop_full (AqPipelinePanel *self)
{
  self->previewing_full = FALSE;
  g_clear_handle_id (&self->preview_tick, g_source_remove);
  g_clear_pointer (&self->preview_timer, g_timer_destroy);
}

static void
preview_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AqPipelinePanel) self = user_data;
  g_autoptr(GError) error = NULL;
  AqPipelinePreview *preview = aq_pipeline_preview_step_finish (result, &error);

  /* cancelled, or the panel is gone (disposed while the job ran) */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->canvas == NULL)
    {
      aq_pipeline_preview_free (preview);
      return;
    }
  self->previewing = FALSE;
  stop_full (self);
  g_clear_object (&self->preview_cancellable);
  g_clear_pointer (&self->preview, aq_pipeline_preview_free);
  if (preview == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("No preview: %s"), error->message);

      gtk_label_set_text (self->preview_label, text);
      show_preview (self);
      return;
    }
  self->preview = preview;
  show_preview (self);
}

static gboolean
preview_tick_cb (gpointer user_data)
{
  show_sample_bar (user_data);
  return G_SOURCE_CONTINUE;
}

/* Starts the preview of the selected step; FALSE when it has none (the label says why). */
static gboolean
start_preview (AqPipelinePanel       *self,
               AqPipelinePreviewMode  mode)
{
  /* NULL: the embedded warehouse (or AQUEDUCT_DATABASE_URL) */
  const char *conninfo = aq_panel_get_conninfo (AQ_PANEL (self));
  const char *step_id = aq_pipeline_canvas_get_selected (self->canvas);
  const AqPipelineStepSchema *schema;
  g_autofree char *data = NULL;
  g_autoptr(AqPipeline) pipeline = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  self->previewing = FALSE;
  stop_full (self);
  if (step_id == NULL || self->graph == NULL)
    return FALSE;
  schema = aq_pipeline_schema_lookup (aq_pipeline_graph_get_step_type (self->graph, step_id));
  if (schema == NULL || !schema->passes_rows)
    {
      gtk_label_set_text (self->preview_label,
                          _("This step passes no rows on: select the step that feeds it."));
      return FALSE;
    }
  if (aq_pipeline_problems_count_for (self->problems, step_id, NULL) > 0)
    {
      gtk_label_set_text (self->preview_label, _("No preview until the step's problems are fixed."));
      return FALSE;
    }
  data = aq_pipeline_graph_to_data (self->graph);
  pipeline = aq_pipeline_new_from_data (data, -1, NULL, &error);
  if (pipeline == NULL)
    return FALSE;
  {
    g_autofree char *text = g_strdup_printf (_("Computing the first rows of “%s”…"), step_id);

    gtk_label_set_text (self->preview_label, text);
  }
  self->preview_cancellable = g_cancellable_new ();
  self->previewing = TRUE;
  if (mode == AQ_PIPELINE_PREVIEW_FULL)
    {
      self->previewing_full = TRUE;
      self->preview_timer = g_timer_new ();
      self->preview_tick = g_timeout_add_seconds (1, preview_tick_cb, self);
    }
  show_sample_bar (self);
  aq_pipeline_preview_step_async (pipeline, conninfo, step_id, AQ_PIPELINE_PREVIEW_ROWS, mode,
                                  self->preview_cancellable, preview_done_cb,
                                  g_object_ref (self));
  return TRUE;
}

static gboolean
preview_now_cb (gpointer user_data)
{
  AqPipelinePanel *self = user_data;

  self->preview_source = 0;
  start_preview (self, AQ_PIPELINE_PREVIEW_AUTO);
  return G_SOURCE_REMOVE;
}

/* The bar's button: the selected step over every input row, in the background. */
static void
preview_full_action (GtkWidget  *widget,
                     const char *name,
                     GVariant   *param)
{
  AqPipelinePanel *self = AQ_PIPELINE_PANEL (widget);

  g_clear_handle_id (&self->preview_source, g_source_remove);
  start_preview (self, AQ_PIPELINE_PREVIEW_FULL);
}

/* Stops the full preview; the sampled one it replaced is computed again. */
static void
preview_cancel_action (GtkWidget  *widget,
                       const char *name,
                       GVariant   *param)
{
  AqPipelinePanel *self = AQ_PIPELINE_PANEL (widget);

  if (!self->previewing_full)
    return;
  g_cancellable_cancel (self->preview_cancellable);
  stop_full (self);
  aq_pipeline_panel_schedule_preview (self, 0);
}

void
aq_pipeline_panel_preview_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, preview_sample_bar);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, preview_sample_label);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, preview_full_button);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, preview_cancel_button);
  gtk_widget_class_install_action (widget_class, "editor.preview-full", NULL,
                                   preview_full_action);
  gtk_widget_class_install_action (widget_class, "editor.preview-cancel", NULL,
                                   preview_cancel_action);
}

void
aq_pipeline_panel_preview_dispose (AqPipelinePanel *self)
{
  stop_full (self);
}

/* Previews the selected step after @delay_ms (0: at once); a newer call replaces an older. */
void
aq_pipeline_panel_schedule_preview (AqPipelinePanel *self,
                                    guint            delay_ms)
{
  g_clear_handle_id (&self->preview_source, g_source_remove);
  self->preview_source = g_timeout_add (delay_ms, preview_now_cb, self);
}

/* ---- public API (tests, screenshots) ---- */

/* Returns: (transfer none) (nullable): the preview shown, NULL while one is computed */
AqPipelinePreview *
aq_pipeline_panel_get_preview (AqPipelinePanel *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), NULL);
  return self->previewing || self->preview_source ? NULL : self->preview;
}

/* Whether the full preview (the bar's button) is being computed. */
gboolean
aq_pipeline_panel_is_previewing_full (AqPipelinePanel *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), FALSE);
  return self->previewing_full;
}

/* What the bar over a sampled preview says; NULL when it is hidden. */
const char *
aq_pipeline_panel_get_preview_sample_text (AqPipelinePanel *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), NULL);
  return gtk_widget_get_visible (self->preview_sample_bar)
         ? gtk_label_get_text (self->preview_sample_label) : NULL;
}

/* What the preview pane says above the rows (or instead of them). */
const char *
aq_pipeline_panel_get_preview_text (AqPipelinePanel *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), NULL);
  return gtk_label_get_text (self->preview_label);
}
