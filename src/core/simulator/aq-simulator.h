/* aq-simulator.h — the demo source systems: a simulated water utility's legacy databases */
#pragma once

#include "aq-db.h"
#include "aq-progress.h"

G_BEGIN_DECLS

typedef struct
{
  guint   accounts;      /* default 100000 */
  guint   months;        /* default 36 */
  guint64 seed;          /* default 20180401 */
  guint   last_year;     /* the last billed month; default 2026-10, fixed so that the same */
  guint   last_month;    /* options always give the same data */
  int     sudden_drop;   /* the billing's one-month drop in one zone (src_truth.volume_drop):
                          * −1 (default) planted from 10,000 accounts up, above the scales
                          * whose billing figures tests read; 0 never; 1 always */
  guint   ahead;         /* months planned beyond the last one, for aq_simulator_append:
                            default 0 */
  int     dirt;          /* the extracts' small dirt with exact counts (src_truth.dirt): −1
                          * (default) from 10,000 accounts up, as the sudden drop; 0 never;
                          * 1 always */
} AqSimulatorOptions;

/* Rows a run wrote into one table, in the order the tables were written. */
typedef struct
{
  char   *table;         /* "src_billing.bill_202610" */
  gint64  rows;
} AqSimulatorCount;

void       aq_simulator_options_init (AqSimulatorOptions        *options);
gboolean   aq_simulator_options_check (const AqSimulatorOptions *options,
                                       GError                  **error);
gboolean   aq_simulator_run          (AqDb                      *db,
                                      const AqSimulatorOptions  *options,
                                      AqProgressFunc             progress,
                                      gpointer                   user_data,
                                      GCancellable              *cancellable,
                                      GError                   **error);
gboolean   aq_simulator_run_full     (AqDb                      *db,
                                      const AqSimulatorOptions  *options,
                                      AqProgressFunc             progress,
                                      gpointer                   user_data,
                                      GCancellable              *cancellable,
                                      GPtrArray                **counts,
                                      GError                   **error);
gboolean   aq_simulator_append       (AqDb                      *db,
                                      AqSimulatorOptions        *options,
                                      AqProgressFunc             progress,
                                      gpointer                   user_data,
                                      GCancellable              *cancellable,
                                      GPtrArray                **counts,
                                      GError                   **error);
void       aq_simulator_count_free   (AqSimulatorCount          *count);

G_END_DECLS
