/* aq-backfill.h — a pipeline run once per month over a range, cascading, resumable */
#pragma once

#include <json-glib/json-glib.h>

#include "aq-db.h"
#include "aq-pipeline.h"
#include "aq-progress.h"

G_BEGIN_DECLS

typedef enum
{
  AQ_BACKFILL_NONE    = 0,
  AQ_BACKFILL_CASCADE = 1 << 0,  /* also run the pipelines downstream, each period */
  AQ_BACKFILL_RESUME  = 1 << 1,  /* continue the last failed or cancelled backfill */
  /* each month is a window on the watermark column of every incremental table input: the
   * input loads the rows with period_start <= column < period_end, and the stored watermark
   * is neither read nor moved (aq_backfill_window_pipeline) */
  AQ_BACKFILL_WINDOWS = 1 << 2,
} AqBackfillFlags;

/* The session settings a pipeline reads its period from (text; '' outside a backfill). */
#define AQ_BACKFILL_SETTING_PERIOD "aqueduct.period"              /* YYYY-MM */
#define AQ_BACKFILL_SETTING_START  "aqueduct.period_start"        /* YYYY-MM-01 */
#define AQ_BACKFILL_SETTING_END    "aqueduct.period_end"          /* the next month's first day */

gboolean    aq_backfill_parse_month (const char      *text,
                                     int             *out_year,
                                     int             *out_month,
                                     GError         **error);
gboolean    aq_backfill_run         (AqDb            *db,
                                     const char      *pipeline,
                                     const char      *from_month,
                                     const char      *to_month,
                                     AqBackfillFlags  flags,
                                     AqProgressFunc   progress,
                                     gpointer         user_data,
                                     GCancellable    *cancellable,
                                     gint64          *out_backfill_id,
                                     GError         **error);
gboolean    aq_backfill_window_pipeline (AqPipeline *pipeline,
                                         GError    **error);
JsonObject *aq_backfill_get         (AqDb            *db,
                                     gint64           backfill_id,
                                     GError         **error);

G_END_DECLS
