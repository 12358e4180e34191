-- 046_mining_drop_unread: two more lists of the 抄表改善 mining theme (issue 14).
--
-- unread_streak (dm.meter_finding): each run of consecutive bills not read (read status
-- not_read) of an account — "accounts not read for N months"; months = the run's length,
-- qty = the m³ billed in the run (0 unless a bill was estimated meanwhile: it is not), the
-- period of the run in first_period – last_period. The rest of dm.meter_finding is 028's,
-- unchanged.
--
-- dm.dma_volume_drop: the sudden drop — a level-3 zone whose billed volume in a month fell
-- by more than 80 % from the month before (which billed at least 1,000 m³): the rule of the
-- quality check dm.cube_nrw_monthly.nrw_zone_billed_drop, as a list to act on (a reader book
-- skipped). With the zone's measured inflow both months (it does not fall with the bills) and
-- its bills not read that month. Reads the small NRW cube; the bills are counted only for
-- the zone-months found.

CREATE OR REPLACE VIEW dm.meter_finding AS
  SELECT 'first_read_spike'::text AS list, s.account_id, s.online_on AS event_on,
         s.first_bill AS first_period, s.first_read AS last_period, s.unread::int AS months,
         s.spike::numeric AS qty, s.typical::numeric AS typical,
         NULL::text AS meter_no, NULL::smallint AS size_dn
  FROM (SELECT f.account_id, f.first_read,
               (SELECT min(e.event_date) FROM dw.fact_meter_event e
                WHERE e.account_id = f.account_id AND e.event_type = 'online') AS online_on,
               x.*
        FROM (SELECT b.account_id,
                     min(b.period) FILTER (WHERE b.read_status = 'valid' AND b.qty > 0)
                       AS first_read
              FROM dw.fact_bill b GROUP BY b.account_id) f
        CROSS JOIN LATERAL (
          SELECT min(b.period) AS first_bill,
                 count(*) FILTER (WHERE b.period < f.first_read) AS before,
                 count(*) FILTER (WHERE b.period < f.first_read AND b.read_status = 'not_read'
                                  AND b.qty = 0) AS unread,
                 max(b.qty) FILTER (WHERE b.period = f.first_read) AS spike,
                 percentile_cont(0.5) WITHIN GROUP (ORDER BY b.qty)
                   FILTER (WHERE b.period > f.first_read AND b.read_status = 'valid'
                           AND b.qty > 0) AS typical
          FROM dw.fact_bill b WHERE b.account_id = f.account_id) x
        WHERE f.first_read IS NOT NULL) s
  WHERE s.online_on IS NOT NULL AND s.online_on < s.first_read + interval '1 month'
    AND s.unread >= 2 AND s.unread = s.before AND s.spike >= 5 * s.typical
  UNION ALL
  SELECT 'estimated_streak', r.account_id, NULL::date, min(r.period), max(r.period),
         count(*)::int, sum(r.qty)::numeric, NULL::numeric, NULL, NULL
  FROM (SELECT b.account_id, b.period, b.qty, b.read_status,
               b.period - make_interval(months => row_number() OVER (
                 PARTITION BY b.account_id, b.read_status ORDER BY b.period)::int) AS grp
        FROM dw.fact_bill b) r
  WHERE r.read_status = 'estimated'
  GROUP BY r.account_id, r.grp
  UNION ALL
  SELECT 'reads_backwards', b.account_id, b.read_date, b.period, b.period, 1,
         (b.curr_read - b.prev_read)::numeric, b.prev_read::numeric, NULL, NULL
  FROM dw.fact_bill b
  WHERE b.read_status = 'valid' AND b.curr_read < b.prev_read
  UNION ALL
  SELECT 'demolished_active', a.account_id, p.demolished_on,
         (SELECT min(b.period) FROM dw.fact_bill b
          WHERE b.account_id = a.account_id AND b.period > p.demolished_on),
         (SELECT max(b.period) FROM dw.fact_bill b WHERE b.account_id = a.account_id),
         (SELECT count(*) FROM dw.fact_bill b
          WHERE b.account_id = a.account_id AND b.period > p.demolished_on)::int,
         (SELECT sum(b.qty) FROM dw.fact_bill b
          WHERE b.account_id = a.account_id AND b.period > p.demolished_on)::numeric, NULL::numeric,
         NULL, NULL
  FROM dw.dim_account a JOIN dw.dim_premise p ON p.premise_id = a.premise_id
  WHERE p.demolished AND a.status = 'normal'
  UNION ALL
  SELECT 'missing_meter', a.account_id, m.status_on,
         (date_trunc('month', m.status_on) + interval '1 month')::date,
         greatest((SELECT max(b.period) FROM dw.fact_bill b WHERE b.account_id = a.account_id),
                  (SELECT max(y.period) FROM dw.fact_payment y
                   WHERE y.account_id = a.account_id)),
         (SELECT count(*) FROM dw.fact_payment y
          WHERE y.account_id = a.account_id AND y.period > m.status_on)::int,
         (SELECT sum(y.amount) FROM dw.fact_payment y
          WHERE y.account_id = a.account_id AND y.period > m.status_on)::numeric, NULL::numeric,
         m.meter_no, m.size_dn
  FROM dw.dim_meter m JOIN dw.dim_account a ON a.account_id = m.account_id
                                            AND a.meter_no = m.meter_no
  WHERE m.status IN ('removed', 'lost') AND a.status = 'normal'
    AND (EXISTS (SELECT 1 FROM dw.fact_payment y
                 WHERE y.account_id = a.account_id AND y.period > m.status_on)
         OR EXISTS (SELECT 1 FROM dw.fact_bill b
                    WHERE b.account_id = a.account_id AND b.period > m.status_on))
  UNION ALL
  SELECT 'large_no_reads', a.account_id, m.installed_on,
         (SELECT max(b.period) FROM dw.fact_bill b
          WHERE b.account_id = a.account_id AND b.read_status = 'valid'),
         (SELECT max(period) FROM dw.fact_bill),
         (SELECT count(*) FROM dw.fact_bill b WHERE b.account_id = a.account_id
          AND b.period > coalesce((SELECT max(v.period) FROM dw.fact_bill v
                                   WHERE v.account_id = a.account_id
                                     AND v.read_status = 'valid'), '-infinity'::date))::int,
         m.size_dn::numeric, NULL::numeric, m.meter_no, m.size_dn
  FROM dw.dim_account a JOIN dw.dim_meter m ON m.meter_no = a.meter_no
  WHERE a.status = 'normal' AND m.size_dn >= 80 AND m.status = 'in_use'
    AND NOT EXISTS (SELECT 1 FROM dw.fact_bill b
                    WHERE b.account_id = a.account_id AND b.read_status = 'valid'
                      AND b.period > (SELECT max(period) FROM dw.fact_bill)
                                     - interval '6 months')
    AND (SELECT count(DISTINCT b.period) FROM dw.fact_bill b
         WHERE b.account_id = a.account_id
           AND b.period > (SELECT max(period) FROM dw.fact_bill) - interval '6 months') = 6
  UNION ALL
  SELECT 'meter_overage', m.account_id, m.installed_on, NULL::date, NULL::date,
         ((extract(year FROM age((SELECT max(period) FROM dw.fact_bill) + interval '1 month',
                                 m.installed_on)) * 12)
          + extract(month FROM age((SELECT max(period) FROM dw.fact_bill) + interval '1 month',
                                   m.installed_on)))::int,
         m.size_dn::numeric,
         (CASE WHEN m.size_dn <= 25 THEN 72 WHEN m.size_dn <= 50 THEN 48 ELSE 24 END)::numeric,
         m.meter_no, m.size_dn
  FROM dw.dim_meter m
  WHERE m.status = 'in_use'
    AND m.installed_on + make_interval(months => CASE WHEN m.size_dn <= 25 THEN 72
                                                      WHEN m.size_dn <= 50 THEN 48 ELSE 24 END)
        <= (SELECT max(period) FROM dw.fact_bill) + interval '1 month'
  UNION ALL
  SELECT 'stopped_zero', s.account_id, NULL::date, s.first_period, s.last_period, s.months,
         0::numeric, NULL::numeric, NULL, NULL
  FROM (SELECT b.account_id, min(b.period) AS first_period, max(b.period) AS last_period,
               count(*)::int AS months
        FROM dw.fact_bill b
        WHERE b.read_status = 'stopped' AND b.qty = 0
          AND b.period > (SELECT max(period) FROM dw.fact_bill) - interval '12 months'
        GROUP BY b.account_id) s
  JOIN dw.dim_account a ON a.account_id = s.account_id
  WHERE a.status = 'normal' AND s.last_period = (SELECT max(period) FROM dw.fact_bill)
  UNION ALL
  SELECT 'unread_streak', r.account_id, NULL::date, min(r.period), max(r.period),
         count(*)::int, sum(r.qty)::numeric, NULL::numeric, NULL, NULL
  FROM (SELECT b.account_id, b.period, b.qty, b.read_status,
               b.period - make_interval(months => row_number() OVER (
                 PARTITION BY b.account_id, b.read_status ORDER BY b.period)::int) AS grp
        FROM dw.fact_bill b) r
  WHERE r.read_status = 'not_read'
  GROUP BY r.account_id, r.grp;

CREATE VIEW dm.dma_volume_drop AS
  SELECT d.zone_code, d.period, d.billed, d.billed_before, d.siv, d.siv_before,
         (SELECT count(*) FROM dw.fact_bill b
          JOIN dw.dim_account a ON a.account_id = b.account_id
          WHERE b.period = d.period AND a.dma3_code = d.zone_code
            AND b.read_status = 'not_read')::int AS bills_not_read
  FROM (SELECT n.zone_code, n.period, n.billed, n.siv,
               lag(n.billed) OVER w AS billed_before, lag(n.siv) OVER w AS siv_before,
               lag(n.period) OVER w AS period_before
        FROM dm.cube_nrw_monthly n
        WHERE n.level = 3
        WINDOW w AS (PARTITION BY n.zone_code ORDER BY n.period)) d
  WHERE d.period_before = (d.period - interval '1 month')::date
    AND d.billed_before >= 1000 AND d.billed < 0.2 * d.billed_before;

COMMENT ON VIEW dm.dma_volume_drop IS
  'The sudden drop: a level-3 zone-month whose billed volume fell by more than 80 % from the '
  'month before (>= 1,000 m3), with its inflow and its bills not read.';

GRANT SELECT ON dm.dma_volume_drop
  TO aq_agent, aq_supervisor, aq_analyst, aq_dispatcher, aq_notice_reviewer, aq_data_engineer,
     aq_operator, aq_api;
