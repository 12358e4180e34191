/* aq-api-monitor.c — the API panel's monitor: calls per minute, p50/p95/p99 latency, the
 * error share and the top callers, per API or over all of them
 *
 * Calls, errors and callers are read from meta.api_call_minute, the per-minute rollup
 * aqueductd folds each batch of its call log into: a day is 1,440 rows an API and app however
 * many calls there were. The rollup's latency is a 13-bucket histogram, and a percentile read
 * off it is only exact to its bucket (84.3 ms shown where the calls' own p95 was 58.0), so
 * the percentiles come from the calls' latencies themselves: meta.api_latency_quantiles()
 * (migration 033) runs percentile_cont over meta.api_call for the same minutes, written in the
 * same transaction as the rollup, so both describe the same calls.
 */
#define G_LOG_DOMAIN "aq-api-monitor"

#include "config.h"

#include "aq-api-monitor.h"

#include <stdlib.h>

/* meta.api_latency_bounds(), ms */
static const double bounds[] = { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000 };

double
aq_api_buckets_quantile (const gint64 *buckets,
                         double        quantile)
{
  gint64 total = 0;
  double rank, before = 0;

  for (guint k = 0; k < AQ_API_N_BUCKETS; k++)
    total += buckets[k];
  if (total == 0)
    return 0;
  rank = CLAMP (quantile, 0, 1) * total;
  for (guint k = 0; k < AQ_API_N_BUCKETS; k++)
    {
      double lower = k == 0 ? 0 : bounds[k - 1];

      if (buckets[k] == 0 || before + buckets[k] < rank)
        {
          before += buckets[k];
          continue;
        }
      if (k == AQ_API_N_BUCKETS - 1)
        return bounds[G_N_ELEMENTS (bounds) - 1];
      return lower + (bounds[k] - lower) * (rank - before) / buckets[k];
    }
  return bounds[G_N_ELEMENTS (bounds) - 1];
}

static double
round3 (double value)
{
  return (double) (gint64) (value * 1000 + 0.5) / 1000;
}

/* p50_ms, p95_ms, p99_ms of @row of meta.api_latency_quantiles() (-1 or NULL: no calls, 0) */
static void
set_quantiles (JsonObject *o,
               PGresult   *res,
               int         row)
{
  const char *names[] = { "p50_ms", "p95_ms", "p99_ms" };

  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    json_object_set_double_member (o, names[k],
                                   row < 0 || PQgetisnull (res, row, 2 + k)
                                   ? 0 : round3 (g_ascii_strtod (PQgetvalue (res, row, 2 + k),
                                                                 NULL)));
}

static JsonArray *
top_rows (PGresult *res,
          gboolean  callers)
{
  JsonArray *array = json_array_new ();

  for (int i = 0; i < PQntuples (res); i++)
    {
      JsonObject *o = json_object_new ();

      if (callers)
        {
          json_object_set_string_member (o, "app_key", PQgetvalue (res, i, 0));
          json_object_set_string_member (o, "app", PQgetvalue (res, i, 1));
        }
      else
        json_object_set_string_member (o, "api", PQgetvalue (res, i, 0));
      json_object_set_int_member (o, "calls", g_ascii_strtoll (PQgetvalue (res, i, 2), NULL, 10));
      json_object_set_int_member (o, "errors", g_ascii_strtoll (PQgetvalue (res, i, 3), NULL, 10));
      json_array_add_object_element (array, o);
    }
  return array;
}

JsonObject *
aq_api_monitor (AqDb        *db,
                const char  *api,
                gint64       since,
                gint64       until,
                guint        step_minutes,
                GError     **error)
{
  g_autofree char *since_text = g_strdup_printf ("%" G_GINT64_FORMAT, since / G_USEC_PER_SEC);
  g_autofree char *until_text = g_strdup_printf ("%" G_GINT64_FORMAT, until / G_USEC_PER_SEC);
  g_autofree char *step_text = g_strdup_printf ("%u", MAX (step_minutes, 1) * 60);
  const char *params[] = { since_text, until_text, api, step_text };
  g_autoptr(PGresult) series = NULL;
  g_autoptr(PGresult) quantiles = NULL;
  /* a step's start → its row of the quantiles + 1 */
  g_autoptr(GHashTable) by_step = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                         NULL);
  int total_row = -1;
  g_autoptr(PGresult) callers = NULL;
  g_autoptr(PGresult) apis = NULL;
  g_autoptr(JsonObject) out = json_object_new ();
  JsonArray *array = json_array_new ();
  gint64 calls = 0, errors = 0;

#define WHERE " WHERE c.minute >= to_timestamp($1::bigint)" \
              "  AND c.minute < to_timestamp($2::bigint) AND ($3::text IS NULL OR c.api = $3)"
  if (!aq_db_exec (db, "BEGIN READ ONLY", error))
    return NULL;
  series = aq_db_query (db,
    "SELECT (floor(extract(epoch FROM c.minute) / $4::int) * $4::int)::bigint AS t,"
    "  sum(c.calls)::bigint, sum(c.errors)::bigint FROM meta.api_call_minute c" WHERE
    " GROUP BY 1 ORDER BY 1", 4, params, error);
  if (series == NULL)
    goto fail;
  quantiles = aq_db_query (db,
    "SELECT t, calls, p50_ms, p95_ms, p99_ms"
    " FROM meta.api_latency_quantiles(to_timestamp($1::bigint), to_timestamp($2::bigint),"
    "  $3::text, $4::int)", 4, params, error);
  if (quantiles == NULL)
    goto fail;
  for (int i = 0; i < PQntuples (quantiles); i++)
    {
      gint64 *at;

      if (PQgetisnull (quantiles, i, 0))
        {
          total_row = i;
          continue;
        }
      at = g_new (gint64, 1);
      *at = g_ascii_strtoll (PQgetvalue (quantiles, i, 0), NULL, 10);
      g_hash_table_insert (by_step, at, GINT_TO_POINTER (i + 1));
    }
  callers = aq_db_query (db,
    "SELECT c.app_key, coalesce(a.name, ''), sum(c.calls)::bigint AS n, sum(c.errors)::bigint"
    " FROM meta.api_call_minute c LEFT JOIN meta.api_app a ON a.app_key = c.app_key" WHERE
    " GROUP BY c.app_key, a.name ORDER BY n DESC, c.app_key LIMIT 10", 3, params, error);
  if (callers == NULL)
    goto fail;
  if (api == NULL)
    {
      apis = aq_db_query (db,
        "SELECT c.api, '', sum(c.calls)::bigint AS n, sum(c.errors)::bigint"
        " FROM meta.api_call_minute c" WHERE
        " GROUP BY c.api ORDER BY n DESC, c.api LIMIT 10", 3, params, error);
      if (apis == NULL)
        goto fail;
    }
#undef WHERE
  aq_db_rollback (db);

  for (int i = 0; i < PQntuples (series); i++)
    {
      JsonObject *o = json_object_new ();
      gint64 at = g_ascii_strtoll (PQgetvalue (series, i, 0), NULL, 10);
      gint64 n = g_ascii_strtoll (PQgetvalue (series, i, 1), NULL, 10);
      gint64 e = g_ascii_strtoll (PQgetvalue (series, i, 2), NULL, 10);
      int q = GPOINTER_TO_INT (g_hash_table_lookup (by_step, &at)) - 1;

      calls += n;
      errors += e;
      json_object_set_int_member (o, "at", at);
      json_object_set_int_member (o, "calls", n);
      json_object_set_int_member (o, "errors", e);
      set_quantiles (o, quantiles, q);
      json_array_add_object_element (array, o);
    }
  if (api)
    json_object_set_string_member (out, "api", api);
  else
    json_object_set_null_member (out, "api");
  json_object_set_int_member (out, "since", since / G_USEC_PER_SEC);
  json_object_set_int_member (out, "until", until / G_USEC_PER_SEC);
  json_object_set_int_member (out, "step_minutes", MAX (step_minutes, 1));
  json_object_set_int_member (out, "calls", calls);
  json_object_set_int_member (out, "errors", errors);
  json_object_set_double_member (out, "error_share", calls ? (double) errors / calls : 0);
  set_quantiles (out, quantiles, total_row);
  json_object_set_array_member (out, "series", array);
  json_object_set_array_member (out, "top_callers", top_rows (callers, TRUE));
  if (apis)
    json_object_set_array_member (out, "top_apis", top_rows (apis, FALSE));
  return g_steal_pointer (&out);

fail:
  json_array_unref (array);
  aq_db_rollback (db);
  return NULL;
}
