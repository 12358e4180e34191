-- 033_api_exact_latency: the API monitor's latency percentiles exact, not read off buckets.
--
-- meta.api_call_minute keeps latency as a 13-bucket histogram, so a percentile read from it is
-- only as exact as its bucket (the monitor showed a p95 of 84.3 ms where the calls' own was
-- 58.0 ms). Quantiles of separate minutes cannot be combined into a window's, but the calls
-- themselves are kept: every flush of aqueductd writes each call's latency to meta.api_call in
-- the same transaction as the rollup, so the two always agree on which calls a window holds.
-- This function answers the window's and each step's p50/p95/p99 with percentile_cont over
-- those latencies — one statement, on the (api, at) and (at) indexes of 019. It is SECURITY
-- DEFINER so that the jobs that read the rollup (which names no caller) see the percentiles
-- without being granted the raw log (which names every caller's AppKey).
--
-- A window is minutes, as the rollup's are: the calls whose minute (UTC) is at or after
-- `since` and before `until`, so the counts and the percentiles describe the same calls.
-- Rows: one per step with calls (t = the step's start, unix seconds), and one with t NULL for
-- the whole window.

CREATE FUNCTION meta.api_latency_quantiles(since timestamptz, until timestamptz,
                                           api_name text, step_seconds integer)
RETURNS TABLE (t bigint, calls bigint, p50_ms double precision, p95_ms double precision,
               p99_ms double precision)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET TimeZone = 'UTC'
AS $$
DECLARE
  -- minute(at) >= since  <=>  at >= since rounded up to its minute (the same for until)
  lo timestamptz := date_trunc('minute', since)
                    + CASE WHEN since > date_trunc('minute', since) THEN interval '1 minute'
                           ELSE interval '0' END;
  hi timestamptz := date_trunc('minute', until)
                    + CASE WHEN until > date_trunc('minute', until) THEN interval '1 minute'
                           ELSE interval '0' END;
  step integer := greatest(coalesce(step_seconds, 60), 60);
BEGIN
  IF api_name IS NULL THEN
    RETURN QUERY
      SELECT g.t0, count(*)::bigint,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY g.latency_us) / 1000.0,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY g.latency_us) / 1000.0,
             percentile_cont(0.99) WITHIN GROUP (ORDER BY g.latency_us) / 1000.0
      FROM (SELECT (floor(extract(epoch FROM c.at) / step) * step)::bigint AS t0, c.latency_us
            FROM meta.api_call c WHERE c.at >= lo AND c.at < hi) g
      GROUP BY GROUPING SETS ((g.t0), ());
  ELSE
    RETURN QUERY
      SELECT g.t0, count(*)::bigint,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY g.latency_us) / 1000.0,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY g.latency_us) / 1000.0,
             percentile_cont(0.99) WITHIN GROUP (ORDER BY g.latency_us) / 1000.0
      FROM (SELECT (floor(extract(epoch FROM c.at) / step) * step)::bigint AS t0, c.latency_us
            FROM meta.api_call c WHERE c.api = api_name AND c.at >= lo AND c.at < hi) g
      GROUP BY GROUPING SETS ((g.t0), ());
  END IF;
END
$$;

REVOKE ALL ON FUNCTION meta.api_latency_quantiles(timestamptz, timestamptz, text, integer)
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meta.api_latency_quantiles(timestamptz, timestamptz, text, integer)
  TO aq_agent, aq_supervisor, aq_analyst, aq_dispatcher, aq_notice_reviewer, aq_data_engineer,
     aq_operator;
