/* aq-api-monitor.h — calls, errors and latency of the APIs over time: counts from the
 * per-minute rollup of the call log, percentiles exact from the calls' own latencies */
#pragma once

#include "aq-db.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The latency a @quantile (0…1) of the calls counted in @buckets (the 13 counts of a
 * meta.api_call_minute row: under 1 ms, then between the bounds of
 * meta.api_latency_bounds(), then 5 s and more) took, in ms: linear within the bucket the
 * quantile falls in; 5000 when it falls in the last; 0 when there are no calls. An estimate
 * for a histogram alone: aq_api_monitor()'s percentiles are exact. */
double      aq_api_buckets_quantile (const gint64 *buckets,
                                     double        quantile);

#define AQ_API_N_BUCKETS 13

/* One API (@api) or all (NULL) from @since to @until (unix µs; minutes at or after @since
 * and before @until), in steps of @step_minutes:
 *   {"api", "since", "until", "step_minutes" (unix seconds for the times),
 *    "calls", "errors", "error_share" (0…1), "p50_ms", "p95_ms", "p99_ms",
 *    "series": [{"at" (unix s, the step's start), "calls", "errors", "p50_ms", "p95_ms",
 *                "p99_ms"}…]
 *      (steps without calls left out),
 *    "top_callers": [{"app_key", "app", "calls", "errors"}…]  (most calls first, ten),
 *    "top_apis": [{"api", "calls", "errors"}…]  (all APIs only; ten)}
 * The percentiles are percentile_cont over the latencies of exactly the calls counted
 * (meta.api_latency_quantiles(), migration 033), in ms rounded to the µs. Read in one
 * read-only transaction. */
JsonObject *aq_api_monitor          (AqDb        *db,
                                     const char  *api,
                                     gint64       since,
                                     gint64       until,
                                     guint        step_minutes,
                                     GError     **error);

G_END_DECLS
