/* aq-pipeline-runner-private.h — what the runner's files share (aq-pipeline-runner*.c only)
 *
 * The runner is one GObject in three files: aq-pipeline-runner.c (the run: transforms,
 * outputs, the transaction, the bookkeeping and the public API), aq-pipeline-runner-statements.c
 * (errors, statements, temp tables) and aq-pipeline-runner-inputs.c (COPY, file and table
 * inputs). Nothing outside them includes this header.
 */
#pragma once

#include "aq-pipeline-runner.h"
#include "aq-pipeline-compiler.h"

G_BEGIN_DECLS

#define WAREHOUSE_CONNECTION "warehouse"
/* A run's steps are the data engineers' SQL: they run with that role's privileges (it owns
 * ods/dw/dm, 010_roles.sql), never a superuser's, whoever connected. A login without the
 * role cannot run pipelines (nor preview them). */
#define RUN_AS_DATA_ENGINEER "SET LOCAL ROLE aq_data_engineer"
/* Temp tables live in the session's local buffers: big enough that a step's rows stay in
 * memory. Only settable before the session first touches a temp table. */
#define TEMP_BUFFERS "1GB"
#define BATCH_WORK_MEM "512MB"
#define CHUNK_SIZE (1024 * 1024)
/* Temp tables get no statistics unless asked; joins and groupings over many rows want them. */
#define ANALYZE_MIN_ROWS 100000
#define ANALYZE_TARGET_MIN_ROWS 1000

typedef struct
{
  gboolean  started;
  gint64    rows_in;      /* -1 for none */
  gint64    rows_out;     /* -1 for none */
  double    duration_ms;
  char     *error;
} StepRun;

struct _AqPipelineRunner
{
  GObject             parent_instance;
  AqPipeline         *pipeline;
  AqDb               *db;
  AqPipelineCompiler *compiler;
  AqProgressFunc      progress;
  gpointer            progress_data;
  AqPipelineStepFunc  step_func;     /* per step, as it starts and ends (with data only) */
  gpointer            step_data;
  GCancellable       *cancellable;   /* unowned, while a check or run lasts */
  GHashTable         *sources;       /* connection name → AqDb */
  GHashTable         *watermarks;    /* step id → the highest value this run loaded */
  StepRun            *steps;         /* per step index */
  AqPipelineStep     *failed;        /* the step that failed, if one did */
  gboolean            with_data;     /* FALSE while checking: shapes only, rolled back */
  gboolean            as_views;      /* previews: warehouse steps become temp views */
  guint               sample_rows;   /* sampled previews: rows read of each table, else 0 */
  GHashTable         *samples;       /* name as written or regclass → sample ("" for none) */
  guint               n_samples;     /* temp tables made for the samples */
  gint64              sample_input_rows; /* rows they hold together */
  gboolean            timed_out;     /* a statement ran past statement_timeout */
  gint64              run_id;
  gint64              rows_written;
};

typedef char *(*LocateFunc) (gint64   line,
                             gpointer user_data);

/* The files call these by their short names; the symbols carry the private prefix. */
#define set_error_from_result _aq_pipeline_runner_set_error_from_result
#define check_cancelled _aq_pipeline_runner_check_cancelled
#define run_query _aq_pipeline_runner_run_query
#define run_statement _aq_pipeline_runner_run_statement
#define params_of _aq_pipeline_runner_params_of
#define text_array_literal _aq_pipeline_runner_text_array_literal
#define describe_relation _aq_pipeline_runner_describe_relation
#define describe_step _aq_pipeline_runner_describe_step
#define materialize _aq_pipeline_runner_materialize
#define analyze_if_needed _aq_pipeline_runner_analyze_if_needed
#define run_file_input _aq_pipeline_runner_run_file_input
#define run_table_input _aq_pipeline_runner_run_table_input
#define sample_query _aq_pipeline_runner_sample_query

/* aq-pipeline-runner-statements.c */
void set_error_from_result (AqPipelineRunner  *self,
                            AqPipelineStep    *step,
                            PGconn            *conn,
                            PGresult          *res,
                            const char        *where,
                            GError           **error);
gboolean check_cancelled (AqPipelineRunner  *self,
                          GError           **error);
PGresult *run_query (AqPipelineRunner    *self,
                     AqPipelineStep      *step,
                     AqDb                *db,
                     const char          *sql,
                     GPtrArray           *params,
                     GError             **error);
gboolean run_statement (AqPipelineRunner  *self,
                        AqPipelineStep    *step,
                        AqDb              *db,
                        const char        *sql,
                        GPtrArray         *params,
                        gint64            *out_rows,
                        GError           **error);
GPtrArray *params_of (const char *first,
                      ...);
char *text_array_literal (const char * const *items);
gboolean describe_relation (AqPipelineRunner  *self,
                            AqPipelineStep    *step,
                            const char        *relation,
                            GPtrArray        **out,
                            GError           **error);
gboolean describe_step (AqPipelineRunner  *self,
                        AqPipelineStep    *step,
                        GError           **error);
gboolean materialize (AqPipelineRunner  *self,
                      AqPipelineStep    *step,
                      gint64            *out_rows,
                      GError           **error);
char *sample_query (AqPipelineRunner  *self,
                    AqPipelineStep    *step,
                    const char        *query,
                    GError           **error);
gboolean analyze_if_needed (AqPipelineRunner  *self,
                            AqPipelineStep    *step,
                            gint64             rows,
                            GError           **error);

/* aq-pipeline-runner.c, for aq-pipeline-preview.c */
#define execute_step _aq_pipeline_runner_execute_step
gboolean execute_step (AqPipelineRunner  *self,
                       AqPipelineStep    *step,
                       GError           **error);
void _aq_pipeline_runner_set_with_data (AqPipelineRunner *self,
                                        gboolean          with_data);
gint64 _aq_pipeline_runner_get_rows_out (AqPipelineRunner *self,
                                         AqPipelineStep   *step);

/* aq-pipeline-runner-inputs.c */
gboolean run_file_input (AqPipelineRunner  *self,
                         AqPipelineStep    *step,
                         gint64            *out_rows,
                         GError           **error);
gboolean run_table_input (AqPipelineRunner  *self,
                          AqPipelineStep    *step,
                          gint64            *out_rows,
                          GError           **error);

G_END_DECLS
