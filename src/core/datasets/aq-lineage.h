/* aq-lineage.h — column-level lineage as a graph, built from definitions, never from guesses */
#pragma once

#include <json-glib/json-glib.h>

#include "aq-catalog.h"
#include "aq-pipeline.h"

G_BEGIN_DECLS

/* A node's id says what it is:
 *   "dw.fact_bill.amount"   a column        "dw.fact_bill"   a table (its rows as a whole)
 *   "indicator:bill_amount" an indicator    "report:arrears_by_district" a report
 *   "api:NAME"              an API          "file:PATH"      a pipeline's input file */
typedef enum
{
  AQ_LINEAGE_NODE_COLUMN,
  AQ_LINEAGE_NODE_TABLE,
  AQ_LINEAGE_NODE_INDICATOR,
  AQ_LINEAGE_NODE_REPORT,
  AQ_LINEAGE_NODE_API,
  AQ_LINEAGE_NODE_FILE,
} AqLineageNodeKind;

typedef enum
{
  AQ_LINEAGE_UPSTREAM,
  AQ_LINEAGE_DOWNSTREAM,
} AqLineageDirection;

typedef struct
{
  char              *id;
  AqLineageNodeKind  kind;
  char              *layer;   /* "src", "ods", "dw", "dm", "indicator", "report", "api", "file",
                               * or the schema's name for other schemas */
  char              *table;   /* "schema.table" for tables and columns, else NULL */
  char              *column;  /* for columns, else NULL */
} AqLineageNode;

typedef struct
{
  AqLineageNode *from;
  AqLineageNode *to;
  char          *via_kind;    /* "pipeline", "indicator", "report", "api" */
  char          *via_name;    /* the pipeline, indicator, report or API */
  char          *via_step;    /* the pipeline's step (table_output or sql), else "" */
} AqLineageEdge;

/* One node reached by a walk: how far, and the edge it was reached by. */
typedef struct
{
  AqLineageNode *node;
  guint          depth;
  AqLineageEdge *edge;
} AqLineageHit;

/* A broken layer rule: @from is read by @to, which its layer may not read. */
typedef struct
{
  char *rule;      /* "consumer-reads-raw", "dm-reads-dw-only", "dw-reads-ods", "ods-reads-src" */
  char *from;
  char *to;
  char *via;       /* "pipeline dm_x", "indicator y", "report z → indicator y" */
  char *message;
} AqLayerViolation;

void aq_layer_violation_free (AqLayerViolation *violation);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqLayerViolation, aq_layer_violation_free)

/* The columns of a warehouse table in order (NULL-terminated, transfer full), or NULL when it
 * has none. With @pattern, @table is a family's name and @pattern the regular expression of its
 * members in @schema (a table input's "tables"): the columns of its members. */
typedef char **(*AqLineageColumnsFunc) (const char *schema,
                                        const char *table,
                                        const char *pattern,
                                        gpointer    user_data);

#define AQ_TYPE_LINEAGE (aq_lineage_get_type ())
G_DECLARE_FINAL_TYPE (AqLineage, aq_lineage, AQ, LINEAGE, GObject)

AqLineage      *aq_lineage_new                (void);

AqLineageNode  *aq_lineage_lookup             (AqLineage           *self,
                                               const char          *id);
AqLineageNode  *aq_lineage_ensure_node        (AqLineage           *self,
                                               const char          *id);
/* Edges from @view (a table, or its columns) start at @base (same column names) instead. */
void            aq_lineage_set_view_base      (AqLineage           *self,
                                               const char          *view,
                                               const char          *base);
/* Adds an edge once (a second identical edge is ignored); returns whether it was new. */
gboolean        aq_lineage_add_edge           (AqLineage           *self,
                                               const char          *from,
                                               const char          *to,
                                               const char          *via_kind,
                                               const char          *via_name,
                                               const char          *via_step);
/* (element-type AqLineageEdge) (transfer none) */
GPtrArray      *aq_lineage_get_edges          (AqLineage           *self);
guint           aq_lineage_get_n_nodes        (AqLineage           *self);

/* Every step's columns in and out, from the step definitions: a table input (or sql step)
 * states its lineage in its "lineage" member (docs/CATALOG.md); the other step kinds follow
 * from their members. What cannot be known is added to @problems (element-type utf8), never
 * guessed. @columns resolves "copy" declarations (may be NULL: they become problems). */
void            aq_lineage_add_pipeline       (AqLineage           *self,
                                               AqPipeline          *pipeline,
                                               AqLineageColumnsFunc columns,
                                               gpointer             user_data,
                                               GPtrArray           *problems);
/* Indicators → the columns their formulas name (alias.column over the source's FROM). */
void            aq_lineage_add_catalog        (AqLineage           *self,
                                               AqCatalog           *catalog,
                                               GPtrArray           *problems);
/* A report definition (docs/REPORTS.md) → the indicators it shows. */
void            aq_lineage_add_report         (AqLineage           *self,
                                               const char          *name,
                                               JsonObject          *definition);
/* Any other consumer (an API, a dashboard): @reads are node ids (columns, tables, indicators).
 * @kind "api" makes nodes "api:NAME". */
void            aq_lineage_add_consumer       (AqLineage           *self,
                                               const char          *kind,
                                               const char          *name,
                                               const char * const  *reads);

/* The hook for definitions that live outside this folder (the API market, dashboards): a
 * provider adds its consumers when the catalog is rebuilt. Register once at startup. */
typedef void (*AqLineageProvider) (AqLineage *lineage,
                                   gpointer   db,
                                   GPtrArray *problems);
void            aq_lineage_register_provider  (AqLineageProvider    provider);
void            aq_lineage_run_providers      (AqLineage           *self,
                                               gpointer             db,
                                               GPtrArray           *problems);

/* Breadth first from @id (a column, a table — then from all its columns —, an indicator…), up
 * to @depth edges (0: no limit). (element-type AqLineageHit) (transfer full), nearest first;
 * each node once. */
GPtrArray      *aq_lineage_walk               (AqLineage           *self,
                                               const char          *id,
                                               AqLineageDirection   direction,
                                               guint                depth);
/* The layer rules: consumers (indicators, reports, APIs) never read src or ods; dm reads only
 * dw and dm; dw reads ods, dw or dm-free sources; ods reads src and files.
 * (element-type AqLayerViolation) (transfer full) */
GPtrArray      *aq_lineage_check_layers       (AqLineage           *self);

/* "dw" for "dw.fact_bill.amount", "src" for "src_billing.payment", "indicator"… */
char           *aq_lineage_layer_of           (const char          *id);

G_END_DECLS
