/* aq-api-monitor.c — the API panel's monitor: calls per minute, p50/p95 latency, the error
 * share and the top callers, per API or over all of them
 *
 * Read from meta.api_call_minute, the per-minute rollup aqueductd folds each batch of its
 * call log into, never from the raw call rows: a day is 1,440 rows an API and app however
 * many calls there were. Latency there is a histogram (13 counts between the bounds of
 * meta.api_latency_bounds()), so a percentile is read off the summed histogram, linear
 * within the bucket it falls in — exact to the bucket, which is what a chart needs.
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

static void
parse_buckets (const char *text,
               gint64     *out)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  for (guint k = 0; k < AQ_API_N_BUCKETS; k++)
    out[k] = parts[0] && k < g_strv_length (parts) ? g_ascii_strtoll (parts[k], NULL, 10) : 0;
}

static double
round3 (double value)
{
  return (double) (gint64) (value * 1000 + 0.5) / 1000;
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
  g_autoptr(PGresult) callers = NULL;
  g_autoptr(PGresult) apis = NULL;
  g_autoptr(JsonObject) out = json_object_new ();
  JsonArray *array = json_array_new ();
  gint64 totals[AQ_API_N_BUCKETS] = { 0 };
  gint64 calls = 0, errors = 0;

#define WHERE " WHERE c.minute >= to_timestamp($1::bigint)" \
              "  AND c.minute < to_timestamp($2::bigint) AND ($3::text IS NULL OR c.api = $3)"
  if (!aq_db_exec (db, "BEGIN READ ONLY", error))
    return NULL;
  series = aq_db_query (db,
    "WITH m AS (SELECT (floor(extract(epoch FROM c.minute) / $4::int) * $4::int)::bigint AS t,"
    "   c.calls, c.errors, c.buckets FROM meta.api_call_minute c" WHERE "),"
    " b AS (SELECT m.t, u.i, sum(u.x)::bigint AS n"
    "   FROM m, unnest(m.buckets) WITH ORDINALITY AS u(x, i) GROUP BY m.t, u.i)"
    " SELECT m.t, sum(m.calls)::bigint, sum(m.errors)::bigint,"
    "  (SELECT string_agg(b.n::text, ',' ORDER BY b.i) FROM b WHERE b.t = m.t)"
    " FROM m GROUP BY m.t ORDER BY m.t", 4, params, error);
  if (series == NULL)
    goto fail;
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
      gint64 buckets[AQ_API_N_BUCKETS];
      gint64 n = g_ascii_strtoll (PQgetvalue (series, i, 1), NULL, 10);
      gint64 e = g_ascii_strtoll (PQgetvalue (series, i, 2), NULL, 10);

      parse_buckets (PQgetvalue (series, i, 3), buckets);
      for (guint k = 0; k < AQ_API_N_BUCKETS; k++)
        totals[k] += buckets[k];
      calls += n;
      errors += e;
      json_object_set_int_member (o, "at", g_ascii_strtoll (PQgetvalue (series, i, 0), NULL, 10));
      json_object_set_int_member (o, "calls", n);
      json_object_set_int_member (o, "errors", e);
      json_object_set_double_member (o, "p50_ms", round3 (aq_api_buckets_quantile (buckets, 0.5)));
      json_object_set_double_member (o, "p95_ms",
                                     round3 (aq_api_buckets_quantile (buckets, 0.95)));
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
  json_object_set_double_member (out, "p50_ms", round3 (aq_api_buckets_quantile (totals, 0.5)));
  json_object_set_double_member (out, "p95_ms", round3 (aq_api_buckets_quantile (totals, 0.95)));
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
