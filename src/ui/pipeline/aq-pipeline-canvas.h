/* aq-pipeline-canvas.h — the pipeline editor's canvas: a view of an AqPipelineGraph */
#pragma once

#include <gtk/gtk.h>

#include "aq-pipeline-graph.h"
#include "aq-pipeline-runner.h"

G_BEGIN_DECLS

/* A card's size in canvas units (the automatic layout's grid leaves room around it). */
#define AQ_PIPELINE_CARD_WIDTH  200.0
#define AQ_PIPELINE_CARD_HEIGHT 84.0

#define AQ_TYPE_PIPELINE_CANVAS (aq_pipeline_canvas_get_type ())
G_DECLARE_FINAL_TYPE (AqPipelineCanvas, aq_pipeline_canvas, AQ, PIPELINE_CANVAS, GtkWidget)

GtkWidget       *aq_pipeline_canvas_new             (void);
void             aq_pipeline_canvas_set_graph       (AqPipelineCanvas           *self,
                                                     AqPipelineGraph            *graph);
AqPipelineGraph *aq_pipeline_canvas_get_graph       (AqPipelineCanvas           *self);
void             aq_pipeline_canvas_set_problems    (AqPipelineCanvas           *self,
                                                     GPtrArray                  *problems);
void             aq_pipeline_canvas_set_step_report (AqPipelineCanvas           *self,
                                                     const AqPipelineStepReport *report);
void             aq_pipeline_canvas_clear_reports   (AqPipelineCanvas           *self);
gboolean         aq_pipeline_canvas_get_step_report (AqPipelineCanvas           *self,
                                                     const char                 *id,
                                                     gint64                     *rows_in,
                                                     gint64                     *rows_out);
char           **aq_pipeline_canvas_get_selection   (AqPipelineCanvas           *self);
const char      *aq_pipeline_canvas_get_selected    (AqPipelineCanvas           *self);
void             aq_pipeline_canvas_select          (AqPipelineCanvas           *self,
                                                     const char                 *id,
                                                     gboolean                    add);
char            *aq_pipeline_canvas_add_step        (AqPipelineCanvas           *self,
                                                     const char                 *type,
                                                     double                      widget_x,
                                                     double                      widget_y);
void             aq_pipeline_canvas_pan             (AqPipelineCanvas           *self,
                                                     double                      dx,
                                                     double                      dy);
void             aq_pipeline_canvas_set_zoom        (AqPipelineCanvas           *self,
                                                     double                      zoom);
double           aq_pipeline_canvas_get_zoom        (AqPipelineCanvas           *self);
void             aq_pipeline_canvas_step_to_widget  (AqPipelineCanvas           *self,
                                                     const char                 *id,
                                                     gboolean                    output_port,
                                                     double                     *x,
                                                     double                     *y);
void             aq_pipeline_canvas_reveal          (AqPipelineCanvas           *self,
                                                     const char                 *id);
void             aq_pipeline_canvas_set_read_only   (AqPipelineCanvas           *self,
                                                     gboolean                    read_only);
gboolean         aq_pipeline_canvas_get_read_only   (AqPipelineCanvas           *self);
gboolean         aq_pipeline_canvas_get_selected_edge (AqPipelineCanvas         *self,
                                                       const char              **from,
                                                       const char              **to);
void             aq_pipeline_canvas_edge_to_widget  (AqPipelineCanvas           *self,
                                                     const char                 *from,
                                                     const char                 *to,
                                                     double                      t,
                                                     double                     *x,
                                                     double                     *y);
void             aq_pipeline_canvas_select_rect    (AqPipelineCanvas           *self,
                                                     double                      x,
                                                     double                      y,
                                                     double                      width,
                                                     double                      height,
                                                     gboolean                    add);

G_END_DECLS
