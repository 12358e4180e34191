/* aq-pipeline-sample.h — the tables a step's SQL names, and the SQL over samples of them */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How many rows of each table a sampled preview reads: the first ones, as Kettle's and
 * Talend's previews read the first rows of an input. */
#define AQ_PIPELINE_PREVIEW_SAMPLE_ROWS 10000

typedef struct
{
  gsize     start;     /* byte offsets of the name in the SQL */
  gsize     end;
  char     *name;      /* as written, e.g. dw.fact_bill or "ods"."Bill" */
  gsize     table_start; /* where its last part (the table's own name) starts */
  gboolean  aliased;   /* an alias follows it (AS x, or x) */
} AqSqlName;

GPtrArray *aq_pipeline_sample_find_names (const char *sql);
char      *aq_pipeline_sample_rewrite    (const char *sql,
                                          GPtrArray  *names,
                                          GHashTable *samples);

G_END_DECLS
