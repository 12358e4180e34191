/* aq-pipeline-graph.h — a pipeline being edited: steps, edges, positions, undo and redo */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Where a step sits on a canvas, in the step's own JSON: the engine ignores the member. */
#define AQ_PIPELINE_GRAPH_POSITION "position"
/* The grid of the automatic layout, in canvas units (a card is about 200 × 72). */
#define AQ_PIPELINE_GRAPH_COLUMN_WIDTH 260.0
#define AQ_PIPELINE_GRAPH_ROW_HEIGHT   110.0

#define AQ_TYPE_PIPELINE_GRAPH (aq_pipeline_graph_get_type ())
G_DECLARE_FINAL_TYPE (AqPipelineGraph, aq_pipeline_graph, AQ, PIPELINE_GRAPH, GObject)

AqPipelineGraph *aq_pipeline_graph_new            (const char        *name);
AqPipelineGraph *aq_pipeline_graph_new_from_data  (const char        *json,
                                                   gssize             len,
                                                   GError           **error);
AqPipelineGraph *aq_pipeline_graph_new_standard   (const char        *name,
                                                   GError           **error);
JsonNode        *aq_pipeline_graph_dup_root       (AqPipelineGraph   *self);
char            *aq_pipeline_graph_to_data        (AqPipelineGraph   *self);

const char      *aq_pipeline_graph_get_name       (AqPipelineGraph   *self);
guint            aq_pipeline_graph_get_n_steps    (AqPipelineGraph   *self);
const char      *aq_pipeline_graph_get_step_id    (AqPipelineGraph   *self,
                                                   guint              index);
int              aq_pipeline_graph_find_step      (AqPipelineGraph   *self,
                                                   const char        *id);
JsonObject      *aq_pipeline_graph_get_step       (AqPipelineGraph   *self,
                                                   const char        *id);
const char      *aq_pipeline_graph_get_step_type  (AqPipelineGraph   *self,
                                                   const char        *id);
gboolean         aq_pipeline_graph_get_position   (AqPipelineGraph   *self,
                                                   const char        *id,
                                                   double            *x,
                                                   double            *y);
gboolean         aq_pipeline_graph_has_positions  (AqPipelineGraph   *self);
guint            aq_pipeline_graph_get_n_edges    (AqPipelineGraph   *self);
void             aq_pipeline_graph_get_edge       (AqPipelineGraph   *self,
                                                   guint              index,
                                                   const char       **from,
                                                   const char       **to);
gboolean         aq_pipeline_graph_has_edge       (AqPipelineGraph   *self,
                                                   const char        *from,
                                                   const char        *to);
char           **aq_pipeline_graph_get_run_order  (AqPipelineGraph   *self);
char           **aq_pipeline_graph_find           (AqPipelineGraph   *self,
                                                   const char        *text);

/* Edits: each is one step of undo and emits "changed". */
char            *aq_pipeline_graph_add_step       (AqPipelineGraph   *self,
                                                   const char        *type,
                                                   double             x,
                                                   double             y);
guint            aq_pipeline_graph_remove_steps   (AqPipelineGraph   *self,
                                                   const char * const *ids);
gboolean         aq_pipeline_graph_connect        (AqPipelineGraph   *self,
                                                   const char        *from,
                                                   const char        *to,
                                                   GError           **error);
gboolean         aq_pipeline_graph_disconnect     (AqPipelineGraph   *self,
                                                   const char        *from,
                                                   const char        *to);
void             aq_pipeline_graph_move_steps     (AqPipelineGraph   *self,
                                                   const char * const *ids,
                                                   double             dx,
                                                   double             dy);
char           **aq_pipeline_graph_duplicate_steps (AqPipelineGraph  *self,
                                                    const char * const *ids);
gboolean         aq_pipeline_graph_set_member     (AqPipelineGraph   *self,
                                                   const char        *id,
                                                   const char        *member,
                                                   JsonNode          *value);
gboolean         aq_pipeline_graph_set_member_string (AqPipelineGraph *self,
                                                      const char      *id,
                                                      const char      *member,
                                                      const char      *value);
void             aq_pipeline_graph_auto_layout    (AqPipelineGraph   *self);

gboolean         aq_pipeline_graph_can_undo       (AqPipelineGraph   *self);
gboolean         aq_pipeline_graph_can_redo       (AqPipelineGraph   *self);
void             aq_pipeline_graph_clear_history  (AqPipelineGraph   *self);
gboolean         aq_pipeline_graph_undo           (AqPipelineGraph   *self);
gboolean         aq_pipeline_graph_redo           (AqPipelineGraph   *self);

G_END_DECLS
