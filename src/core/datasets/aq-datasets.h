/* aq-datasets.h — the data catalog: tables, columns, indicators and reports, their lineage,
 * freshness and search, kept in meta.dataset_* */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "aq-db.h"
#include "aq-lineage.h"
#include "aq-naming.h"

G_BEGIN_DECLS

typedef struct
{
  guint   tables;
  guint   columns;
  guint   edges;
  guint   problems;
  double  duration_ms;
} AqDatasetsBuild;

typedef struct
{
  char   *kind;     /* "table", "column", "indicator", "report", "api" */
  char   *key;      /* "dw.fact_bill", "dw.fact_bill.amount", "indicator:bill_amount"… */
  char   *title;
  char   *detail;
  char   *layer;
  gint64  rank;
} AqDatasetHit;

typedef struct
{
  char     *name;
  char     *type;
  char     *description;     /* in the user's language when there is one */
  char     *term;            /* (nullable) glossary term's name */
  char     *personal_data;   /* (nullable) "name", "phone", "id_card", "address", "openid"… */
  char    **samples;         /* up to 3 values, personal data masked */
  guint     n_upstream;      /* columns it comes from (one step back) */
  guint     n_downstream;    /* what reads it (one step on) */
} AqDatasetColumn;

/* One table, column or consumer on a lineage page, at its distance (negative: upstream). */
typedef struct
{
  char *id;
  char *layer;
  int   distance;
  char *via;        /* "pipeline dw_billing", "indicator x", "report y" */
  char *next;       /* the table or consumer one step nearer the page's table (its own key
                     * for neighbours): the edge a graph draws */
} AqDatasetLink;

/* A quality rule's latest result on a table (meta.quality_result). */
typedef struct
{
  char   *rule_name;
  char   *status;      /* pass, warn, fail */
  char   *severity;
  char   *dimension;
  gint64  checked;
  gint64  failing;
  char   *message;
  gint64  run_id;
} AqDatasetQualityRule;

typedef struct
{
  char       *key;              /* "dw.fact_bill" */
  char       *layer;
  char       *subject;          /* code */
  char       *subject_name;
  char       *category;
  char       *description;
  char       *owner;
  char       *steward;
  gint64      row_estimate;     /* -1: not yet analysed */
  gint64      size_bytes;
  char       *written_by;       /* (nullable) pipeline */
  gint64      last_run_id;      /* 0: never loaded by a pipeline run */
  GDateTime  *last_loaded_at;   /* (nullable) */
  int         sla_hours;        /* 0: none */
  gboolean    late;             /* older than its SLA */
  GPtrArray  *columns;          /* AqDatasetColumn */
  GPtrArray  *used_by;          /* char*: "pipeline dm_profile", "indicator x", "report y" */
  GPtrArray  *lineage;          /* AqDatasetLink, tables and consumers, both directions */
  /* quality: each rule's latest result on this table, scored as the Data Quality panel scores
   * a table (100 × Σ (checked − failing) / Σ checked); quality_rules 0: never checked */
  guint       quality_rules;
  gint64      quality_checked;
  gint64      quality_passing;
  double      quality_score;
  GPtrArray  *quality_failing;  /* AqDatasetQualityRule: fail first, then warn */
} AqDatasetTable;

void            aq_dataset_hit_free          (AqDatasetHit    *hit);
void            aq_dataset_table_free        (AqDatasetTable  *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqDatasetHit, aq_dataset_hit_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqDatasetTable, aq_dataset_table_free)

/* The lineage from the definitions as they are now: the standard pipelines (or @pipelines,
 * element-type AqPipeline, when given), the indicator catalog and the reports of meta.report,
 * and the registered providers; checked against information_schema. @problems gets what the
 * definitions leave unknown or name wrongly. */
AqLineage      *aq_datasets_build_lineage    (AqDb            *db,
                                              GPtrArray       *pipelines,
                                              GPtrArray       *problems,
                                              GCancellable    *cancellable,
                                              GError         **error);
/* Rebuilds meta.dataset_lineage, meta.dataset_table and the search index in one transaction. */
gboolean        aq_datasets_rebuild          (AqDb            *db,
                                              GPtrArray       *pipelines,
                                              AqDatasetsBuild *out_build,
                                              GCancellable    *cancellable,
                                              GError         **error);
/* Rebuilds when the definitions or the warehouse's tables changed since the last build (a
 * digest of them is kept with the build); cheap when nothing did. */
gboolean        aq_datasets_ensure_built     (AqDb            *db,
                                              gboolean        *out_rebuilt,
                                              GCancellable    *cancellable,
                                              GError         **error);
/* The stored lineage (fast: one read). */
AqLineage      *aq_datasets_load_lineage     (AqDb            *db,
                                              GCancellable    *cancellable,
                                              GError         **error);
/* The problems the last rebuild found (element-type utf8). */
GPtrArray      *aq_datasets_load_problems    (AqDb            *db,
                                              GError         **error);

/* Tables, columns, indicators and reports whose names or descriptions contain @text (in
 * either language), the most used first. (element-type AqDatasetHit) */
GPtrArray      *aq_datasets_search           (AqDb            *db,
                                              const char      *text,
                                              guint            limit,
                                              GCancellable    *cancellable,
                                              GError         **error);
/* The tree (after aq_datasets_ensure_built() when run async): (element-type AqDatasetHit) of
 * every table, layer/subject/category in detail
 * ("dw\nbilling\nFacts/Monthly"), ordered for a tree. */
GPtrArray      *aq_datasets_list_tables      (AqDb            *db,
                                              GCancellable    *cancellable,
                                              GError         **error);
/* A table's page. Counts as one use of it. */
AqDatasetTable *aq_datasets_load_table       (AqDb            *db,
                                              const char      *key,
                                              GCancellable    *cancellable,
                                              GError         **error);
/* An indicator's page as JSON: definition, formula, grain, dimensions, columns read,
 * reports that show it. */
JsonNode       *aq_datasets_load_indicator   (AqDb            *db,
                                              const char      *id,
                                              GCancellable    *cancellable,
                                              GError         **error);
/* What staff maintain about a table: each non-NULL argument replaces its value (@subject a
 * code of meta.dataset_subject; @category "/"-separated levels, e.g. "Facts/Monthly"; "" clears
 * owner, steward and category). Audited; AQ_ERROR_NOT_FOUND for an unknown table or subject. */
gboolean        aq_datasets_set_table_info   (AqDb            *db,
                                              const char      *table,
                                              const char      *subject,
                                              const char      *category,
                                              const char      *owner,
                                              const char      *steward,
                                              GError         **error);
/* A table's (@column NULL) or column's description: the COMMENT for "en", meta.dataset_text
 * for other languages. Audited. */
gboolean        aq_datasets_set_description  (AqDb            *db,
                                              const char      *table,
                                              const char      *column,
                                              const char      *lang,
                                              const char      *text,
                                              GError         **error);

JsonNode       *aq_dataset_table_to_json     (AqDatasetTable  *table);

/* Worker-thread variants for the panel (@conninfo: a libpq conninfo or profile URL). */
void            aq_datasets_search_async     (const char          *conninfo,
                                              const char          *text,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GPtrArray      *aq_datasets_search_finish    (GAsyncResult        *result,
                                              GError             **error);
void            aq_datasets_list_tables_async (const char          *conninfo,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GPtrArray      *aq_datasets_list_tables_finish (GAsyncResult       *result,
                                                GError            **error);
void            aq_datasets_load_table_async (const char          *conninfo,
                                              const char          *key,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
AqDatasetTable *aq_datasets_load_table_finish (GAsyncResult       *result,
                                               GError            **error);
void            aq_datasets_set_description_async (const char          *conninfo,
                                                   const char          *table,
                                                   const char          *column,
                                                   const char          *lang,
                                                   const char          *text,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
void            aq_datasets_load_indicator_async (const char          *conninfo,
                                                  const char          *id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
JsonNode       *aq_datasets_load_indicator_finish (GAsyncResult       *result,
                                                   GError            **error);
void            aq_datasets_set_table_info_async (const char          *conninfo,
                                                  const char          *table,
                                                  const char          *category,
                                                  const char          *owner,
                                                  const char          *steward,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        aq_datasets_set_table_info_finish (GAsyncResult       *result,
                                                   GError            **error);
gboolean        aq_datasets_set_description_finish (GAsyncResult       *result,
                                                    GError            **error);

G_END_DECLS
