/* aq-overview.h — the numbers of the Overview dashboard: layers, sizes, last pipeline runs,
 * scheduled jobs */
#pragma once

#include <gio/gio.h>

#include "aq-db.h"
#include "aq-health.h"
#include "aq-job.h"

G_BEGIN_DECLS

/* One schema of the warehouse's flow: src_* (simulated source systems), ods, dw, dm. */
typedef struct
{
  char   *schema;
  guint   n_tables;
  gint64  approx_rows;  /* from the planner's and the statistics' estimates, not count(*) */
} AqOverviewLayer;

typedef struct
{
  gint64     run_id;
  char      *pipeline;
  char      *status;         /* running, succeeded, failed, cancelled */
  GDateTime *started_at;
  GDateTime *finished_at;    /* NULL while running */
  gint64     rows_written;   /* -1 when not recorded */
  char      *error;          /* NULL unless it failed */
} AqOverviewRun;

typedef struct
{
  AqHealthReport *health;
  GPtrArray      *layers;          /* AqOverviewLayer, in flow order: src_*, ods, dw, dm */
  GPtrArray      *runs;            /* AqOverviewRun, newest first */
  gboolean        has_run_log;     /* meta.pipeline_run exists (the migrations ran) */
  GPtrArray      *jobs;            /* AqJob of the scheduler, by name, with next and last
                                    * runs; empty before migration 009 */
} AqOverview;

#define AQ_OVERVIEW_MAX_RUNS 8

void             aq_overview_free         (AqOverview           *overview);
AqOverviewLayer *aq_overview_find_layer   (AqOverview           *overview,
                                           const char           *schema);

AqOverview      *aq_overview_load         (AqDb                 *db,
                                           GCancellable         *cancellable,
                                           GError              **error);
void             aq_overview_load_async   (const char           *conninfo,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
AqOverview      *aq_overview_load_finish  (GAsyncResult         *result,
                                           GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqOverview, aq_overview_free)

G_END_DECLS
