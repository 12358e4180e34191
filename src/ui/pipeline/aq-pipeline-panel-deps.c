/* aq-pipeline-panel-deps.c — the Pipelines panel's Dependencies tab
 *
 * Where the pipeline on the canvas sits among all of them: the pipelines that feed it (they
 * write a table it reads) and the ones that read its outputs, each with its last run and next
 * scheduled run — the same graph `aqueductctl pipeline graph` prints (aq-pipeline-deps.c: the
 * store's latest versions and the standard files it does not hold). Activating one opens it on
 * the canvas: the store's latest version, or the standard file. The graph is read on a worker
 * through core when the tab is shown and when another pipeline comes onto the canvas while it
 * is shown; it describes the pipelines as saved, not the canvas's unsaved edits, and says so.
 */
#define G_LOG_DOMAIN "aq-pipeline-panel"

#include "config.h"

#include "aq-pipeline-panel-private.h"

#include <glib/gi18n.h>

#include "aq-clock.h"
#include "aq-error.h"
#include "aq-pipeline-deps.h"
#include "aq-pipeline-store.h"

/* The Dependencies tab's page (Problems, Preview, Run, Changes, History, Dependencies). */
#define DEPS_PAGE 5

/* ---- jobs (worker threads: core calls only) ---- */

static gpointer
deps_job (AqDb         *db,
          gpointer      data,
          GCancellable *cancellable,
          GError      **error)
{
  return aq_pipeline_deps_load (db, error);
}

/* The definition a dependency opens: the store's latest version, else the standard file. */
static gpointer
open_job (AqDb         *db,
          gpointer      data,
          GCancellable *cancellable,
          GError      **error)
{
  g_autoptr(GError) local = NULL;
  char *text = aq_pipeline_store_load (db, data, 0, &local);

  if (text == NULL && g_error_matches (local, AQ_ERROR, AQ_ERROR_NOT_FOUND))
    return aq_pipeline_store_dup_standard (data, error);
  if (text == NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  return text;
}

/* ---- auxiliary methods ---- */

/* “last run succeeded 2026-03-01 02:00:04 · next 2026-03-02 02:00” */
static char *
describe (AqPipelineDep *node)
{
  GString *text = g_string_new (NULL);

  if (node->last_run_id > 0)
    /* TRANSLATORS: “last run succeeded 2026-03-01 02:00:04” */
    g_string_append_printf (text, _("last run %s %s"),
                            aq_pipeline_panel_status_label (node->last_status),
                            node->last_started_at ? node->last_started_at : "");
  else
    g_string_append (text, _("never ran"));
  g_string_append (text, " · ");
  if (node->next_run_at)
    {
      g_autoptr(GTimeZone) zone = aq_clock_zone ();
      g_autoptr(GDateTime) local = g_date_time_to_timezone (node->next_run_at, zone);
      g_autofree char *at = g_date_time_format (local, "%Y-%m-%d %H:%M");

      /* TRANSLATORS: “next 2026-03-02 02:00” */
      g_string_append_printf (text, _("next %s"), at);
    }
  else if (node->next_after)
    /* TRANSLATORS: “next after job ods_nightly” */
    g_string_append_printf (text, _("next after job %s"), node->next_after);
  else
    g_string_append (text, _("not scheduled"));
  return g_string_free (text, FALSE);
}

static void
fill_list (AqPipelinePanel *self,
           GtkListBox      *list,
           GPtrArray       *names)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
  for (guint i = 0; names && i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      AqPipelineDep *node = aq_pipeline_deps_find (self->deps, name);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = node ? describe (node) : g_strdup ("");
      g_autofree char *title = node && *node->layer
                               ? g_strdup_printf ("%s · %s", name, node->layer)
                               : g_strdup (name);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_widget_set_tooltip_text (row, _("Open this pipeline"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "pipeline", g_strdup (name), g_free);
      gtk_list_box_append (list, row);
    }
}

static void
show_deps (AqPipelinePanel *self)
{
  const char *name = self->graph ? aq_pipeline_graph_get_name (self->graph) : NULL;
  AqPipelineDep *node = self->deps && name ? aq_pipeline_deps_find (self->deps, name) : NULL;

  fill_list (self, self->upstream_list, node ? node->upstream : NULL);
  fill_list (self, self->downstream_list, node ? node->downstream : NULL);
  if (self->deps == NULL)
    gtk_label_set_text (self->deps_label, "");
  else if (node == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("“%s” is neither in the warehouse's pipeline"
                                                 " store nor a standard pipeline: save it to"
                                                 " see which pipelines feed it."), name);

      gtk_label_set_text (self->deps_label, text);
    }
  else
    {
      g_autofree char *runs = describe (node);
      /* TRANSLATORS: “dw_customer as saved (version 3): last run succeeded … · next …” */
      g_autofree char *text = node->version > 0
                              ? g_strdup_printf (_("%s as saved (version %d): %s"), name,
                                                 node->version, runs)
                              : g_strdup_printf (_("%s as its standard file: %s"), name, runs);

      gtk_label_set_text (self->deps_label, text);
    }
}

static void
deps_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AqPipelinePanel) self = user_data;
  g_autoptr(GError) error = NULL;
  AqPipelineDeps *deps = aq_db_job_run_finish (result, deps_job, &error);

  if (!aq_pipeline_panel_job_landed (self, error))
    {
      g_clear_pointer (&deps, aq_pipeline_deps_free);
      return;
    }
  g_clear_pointer (&self->deps, aq_pipeline_deps_free);
  self->deps = deps;
  if (deps == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The pipelines could not be read: %s"),
                                               error->message);

      gtk_label_set_text (self->deps_label, text);
      fill_list (self, self->upstream_list, NULL);
      fill_list (self, self->downstream_list, NULL);
      return;
    }
  show_deps (self);
}

static void
load_deps (AqPipelinePanel *self)
{
  gtk_label_set_text (self->deps_label, _("Reading the pipelines…"));
  aq_pipeline_panel_start_job (self, deps_job, deps_job, NULL, NULL,
                               (GDestroyNotify) aq_pipeline_deps_free, deps_done_cb);
}

static void
open_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AqPipelinePanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = aq_db_job_run_finish (result, open_job, &error);
  g_autoptr(AqPipelineGraph) graph = NULL;

  if (!aq_pipeline_panel_job_landed (self, error))
    return;
  if (text)
    graph = aq_pipeline_graph_new_from_data (text, -1, &error);
  if (graph == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The pipeline could not be opened: %s"),
                                                  error->message);

      aq_pipeline_panel_toast (self, message);
      return;
    }
  aq_pipeline_panel_set_graph (self, graph);
}

static void
open_pipeline (AqPipelinePanel *self,
               const char      *name)
{
  aq_pipeline_panel_start_job (self, open_job, open_job, g_strdup (name), g_free, g_free,
                               open_done_cb);
}

static void
row_activated_cb (GtkListBox      *list,
                  GtkListBoxRow   *row,
                  AqPipelinePanel *self)
{
  const char *name = g_object_get_data (G_OBJECT (row), "pipeline");

  if (name)
    open_pipeline (self, name);
}

static gboolean
deps_shown (AqPipelinePanel *self)
{
  return gtk_notebook_get_current_page (self->bottom_notebook) == DEPS_PAGE;
}

static void
page_switched_cb (GtkNotebook     *notebook,
                  GtkWidget       *page,
                  guint            number,
                  AqPipelinePanel *self)
{
  if (number == DEPS_PAGE)
    load_deps (self);
}

/* ---- wiring ---- */

/* set_graph() calls this: another pipeline on the canvas has other neighbours. */
void
aq_pipeline_panel_deps_graph_set (AqPipelinePanel *self)
{
  if (self->upstream_list == NULL)
    return;
  if (self->deps)
    show_deps (self);
  if (deps_shown (self))
    load_deps (self);
}

void
aq_pipeline_panel_deps_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, deps_label);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, upstream_list);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, downstream_list);
}

void
aq_pipeline_panel_deps_init (AqPipelinePanel *self)
{
  g_signal_connect (self->upstream_list, "row-activated", G_CALLBACK (row_activated_cb), self);
  g_signal_connect (self->downstream_list, "row-activated", G_CALLBACK (row_activated_cb),
                    self);
  g_signal_connect_after (self->bottom_notebook, "switch-page", G_CALLBACK (page_switched_cb),
                          self);
}

void
aq_pipeline_panel_deps_dispose (AqPipelinePanel *self)
{
  g_clear_pointer (&self->deps, aq_pipeline_deps_free);
}

/* ---- public API (tests, screenshots) ---- */

/* Shows the Dependencies tab (which reads the graph again). */
void
aq_pipeline_panel_show_dependencies (AqPipelinePanel *self)
{
  g_return_if_fail (AQ_IS_PIPELINE_PANEL (self));
  gtk_notebook_set_current_page (self->bottom_notebook, DEPS_PAGE);
}

/* Returns: (transfer full): the names the tab lists, as one list: @downstream FALSE for the
 * pipelines that feed the one on the canvas, TRUE for the ones that read its outputs */
GStrv
aq_pipeline_panel_get_dependencies (AqPipelinePanel *self,
                                    gboolean         downstream)
{
  GtkListBox *list;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), NULL);

  list = downstream ? self->downstream_list : self->upstream_list;
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list)); row;
       row = gtk_widget_get_next_sibling (row))
    if (g_object_get_data (G_OBJECT (row), "pipeline"))
      g_strv_builder_add (names, g_object_get_data (G_OBJECT (row), "pipeline"));
  return g_strv_builder_end (names);
}

/* Activates the tab's row of @name, as a click does; FALSE when the tab does not list it. */
gboolean
aq_pipeline_panel_activate_dependency (AqPipelinePanel *self,
                                       const char      *name)
{
  GtkListBox *lists[2];

  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), FALSE);

  lists[0] = self->upstream_list;
  lists[1] = self->downstream_list;
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (lists[i])); row;
         row = gtk_widget_get_next_sibling (row))
      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "pipeline"), name) == 0)
        return gtk_widget_activate (row);
  return FALSE;
}

const char *
aq_pipeline_panel_get_dependencies_text (AqPipelinePanel *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), NULL);
  return gtk_label_get_text (self->deps_label);
}
