/* aq-pipeline-panel-private.h — what the Pipelines panel's source files share */
#pragma once

#include <adwaita.h>

#include "aq-connection-monitor.h"
#include "aq-db-job.h"
#include "aq-pipeline-canvas.h"
#include "aq-pipeline-deps.h"
#include "aq-pipeline-panel.h"
#include "aq-pipeline-step-form.h"

G_BEGIN_DECLS

struct _AqPipelinePanel
{
  GtkWidget            parent_instance;

  AdwToastOverlay     *toast_overlay;
  GtkDropDown         *pipeline_dropdown;
  GtkLabel            *status_label;
  GtkSearchBar        *search_bar;
  GtkSearchEntry      *search_entry;
  GtkListBox          *palette_list;
  AqPipelineCanvas    *canvas;
  GtkNotebook         *bottom_notebook;
  GtkListBox          *problems_list;
  GtkLabel            *problems_tab;
  GtkLabel            *preview_label;
  GtkColumnView       *preview_view;
  GtkWidget           *preview_sample_bar;
  GtkLabel            *preview_sample_label;
  GtkWidget           *preview_full_button;
  GtkWidget           *preview_cancel_button;
  GtkLabel            *run_label;
  AqPipelineStepForm  *form;

  AqConnectionMonitor *monitor;
  AqPipelineGraph     *graph;
  GPtrArray           *problems;
  AqPipelinePreview   *preview;
  GCancellable        *preview_cancellable;
  guint                preview_source;
  gboolean             previewing;
  gboolean             previewing_full;  /* the full preview asked for by its button */
  GTimer              *preview_timer;    /* since the full preview started */
  guint                preview_tick;     /* its seconds, counted in the bar */
  gboolean             saving;
  GCancellable        *run_cancellable;
  char                *failed_step;
  gint64               run_rows;
  gboolean             opening;

  /* versions (aq-pipeline-panel-versions.c) */
  GtkMenuButton       *versions_button;
  GtkListBox          *versions_list;
  GtkButton           *compare_button;
  GtkRevealer         *version_bar;
  GtkLabel            *version_label;
  GtkListBox          *changes_list;
  GtkLabel            *changes_label;
  GPtrArray           *versions;        /* (element-type AqPipelineVersion) listed */
  GPtrArray           *changes;         /* (element-type AqPipelineChange) shown */
  GCancellable        *versions_cancellable;
  guint                versions_busy;   /* store jobs under way */
  int                  shown_version;   /* the stored version on the canvas, read-only; 0;
                                         * -1: a run's never-saved definition */
  gint64               definition_run;  /* the run whose definition is on show; 0 */

  /* run history (aq-pipeline-panel-history.c) */
  GtkPaned            *bottom_paned;
  GtkListBox          *history_list;
  GtkLabel            *history_label;
  GtkDrawingArea      *duration_chart;
  GtkDrawingArea      *rows_chart;
  JsonArray           *runs;            /* aq_pipeline_history_runs(), newest first */
  gint64               shown_run;       /* the run whose figures the cards show; 0 */
  guint                duration_marks;  /* what the charts drew last (tests) */
  guint                rows_marks;

  /* dependencies (aq-pipeline-panel-deps.c) */
  GtkLabel            *deps_label;
  GtkListBox          *upstream_list;
  GtkListBox          *downstream_list;
  AqPipelineDeps      *deps;            /* the graph read last; NULL before */

  /* schedule (aq-pipeline-panel-schedule.c) */
  gboolean             can_schedule;    /* the login may define scheduler jobs */
  GtkWidget           *schedule_dialog; /* weak */
  GtkWidget           *backfill_dialog; /* weak */
};

void aq_pipeline_panel_toast          (AqPipelinePanel *self,
                                       const char      *text);
void aq_pipeline_panel_update_actions (AqPipelinePanel *self);

void     aq_pipeline_panel_start_job  (AqPipelinePanel     *self,
                                       gpointer             tag,
                                       AqDbJobFunc          func,
                                       gpointer             data,
                                       GDestroyNotify       data_free,
                                       GDestroyNotify       result_free,
                                       GAsyncReadyCallback  callback);
gboolean aq_pipeline_panel_job_landed (AqPipelinePanel     *self,
                                       GError              *error);

/* aq-pipeline-panel-history.c */
void aq_pipeline_panel_history_init          (AqPipelinePanel *self);
void aq_pipeline_panel_history_class_init    (GtkWidgetClass  *widget_class);
void aq_pipeline_panel_history_dispose       (AqPipelinePanel *self);
void aq_pipeline_panel_history_graph_set     (AqPipelinePanel *self);
void aq_pipeline_panel_history_run_done      (AqPipelinePanel *self);

/* aq-pipeline-panel-versions.c */
void aq_pipeline_panel_versions_init         (AqPipelinePanel *self);
void aq_pipeline_panel_versions_class_init   (GtkWidgetClass  *widget_class);
void aq_pipeline_panel_versions_dispose      (AqPipelinePanel *self);
void aq_pipeline_panel_versions_graph_set    (AqPipelinePanel *self);
void aq_pipeline_panel_versions_show_run     (AqPipelinePanel *self,
                                              AqPipelineGraph *graph,
                                              int              version,
                                              gint64           run_id);

/* aq-pipeline-panel-schedule.c */
void aq_pipeline_panel_schedule_class_init   (GtkWidgetClass  *widget_class);
void aq_pipeline_panel_schedule_dispose      (AqPipelinePanel *self);
void aq_pipeline_panel_schedule_refresh      (AqPipelinePanel *self);

/* aq-pipeline-panel-preview.c */
void aq_pipeline_panel_preview_class_init (GtkWidgetClass *widget_class);
void aq_pipeline_panel_preview_dispose    (AqPipelinePanel *self);
void aq_pipeline_panel_schedule_preview      (AqPipelinePanel *self,
                                              guint            delay_ms);

/* aq-pipeline-panel-deps.c */
void aq_pipeline_panel_deps_init             (AqPipelinePanel *self);
void aq_pipeline_panel_deps_class_init       (GtkWidgetClass  *widget_class);
void aq_pipeline_panel_deps_dispose          (AqPipelinePanel *self);
void aq_pipeline_panel_deps_graph_set        (AqPipelinePanel *self);

/* aq-pipeline-panel-import.c */
void aq_pipeline_panel_import_class_init     (GtkWidgetClass  *widget_class);

const char *aq_pipeline_panel_status_label (const char *status);

G_END_DECLS
