/* aq-pipeline-graph.h — all pipelines as one dependency graph, with last and next runs */
#pragma once

#include <json-glib/json-glib.h>

#include "aq-db.h"

G_BEGIN_DECLS

typedef struct
{
  char       *name;
  char       *description;
  char       *layer;         /* "ods", "dw", "dm" (the name's prefix), or "" */
  int         version;       /* the latest stored version; 0: only a standard file */
  GPtrArray  *writes;        /* (element-type utf8) the tables its outputs write, lower case */
  GPtrArray  *upstream;      /* (element-type utf8) pipelines whose tables it reads */
  GPtrArray  *downstream;    /* (element-type utf8) pipelines that read its tables */

  /* aq_pipeline_graph_load() only */
  gint64      last_run_id;   /* 0: never ran */
  char       *last_status;
  char       *last_started_at;
  char       *next_job;      /* the scheduler job that runs it, or NULL */
  GDateTime  *next_run_at;   /* its next occurrence; NULL for none or a chain */
  char       *next_after;    /* a chain: runs after this job */
} AqPipelineNode;

typedef struct
{
  GPtrArray  *nodes;         /* (element-type AqPipelineNode) upstream first: ods → dw → dm */
  GHashTable *by_name;
} AqPipelineGraph;

AqPipelineGraph *aq_pipeline_graph_new_from_definitions (GHashTable       *definitions,
                                                         GError          **error);
AqPipelineGraph *aq_pipeline_graph_load                 (AqDb             *db,
                                                         GError          **error);
void             aq_pipeline_graph_free                 (AqPipelineGraph  *graph);
AqPipelineNode  *aq_pipeline_graph_find                 (AqPipelineGraph  *graph,
                                                         const char       *name);
GPtrArray       *aq_pipeline_graph_downstream           (AqPipelineGraph  *graph,
                                                         const char       *name);
JsonNode        *aq_pipeline_graph_to_json              (AqPipelineGraph  *graph);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqPipelineGraph, aq_pipeline_graph_free)

G_END_DECLS
