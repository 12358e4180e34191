-- 021_mining: NRW by zone level as the network is metered, and the data-mining lists.
--
-- NRW: a level-1 or level-2 zone's supply is what its own boundary meters measured, not the
-- sum of its children. dm.cube_nrw_monthly gains children_siv (the direct children's measured
-- input; NULL at level 3, filled by the dm_cubes pipeline), and dm.nrw_rollup is the standard
-- NRW source: one row per level-3 zone plus one "between levels" row per level-1/2 zone that
-- carries its measured input minus its children's (the loss on the trunk mains between the
-- levels). Rolled up by the report engine, every level's subtotal is then its own measured
-- input, and the between-levels rows show where it differs from the children's sum.
ALTER TABLE dm.cube_nrw_monthly ADD COLUMN children_siv numeric(16,1);

CREATE VIEW dm.nrw_rollup AS
  SELECT n.period, z.level1_code AS dma1, z.level2_code AS dma2, n.zone_code AS dma3,
         n.connections, n.siv, n.billed, false AS is_between_levels
  FROM dm.cube_nrw_monthly n JOIN dw.dim_dma_zone z ON z.zone_code = n.zone_code
  WHERE n.level = 3
  UNION ALL
  SELECT n.period, CASE WHEN n.level = 1 THEN n.zone_code ELSE z.level1_code END,
         CASE WHEN n.level = 2 THEN n.zone_code ELSE n.zone_code || '/between' END,
         n.zone_code || '/between', 0, n.siv - n.children_siv, 0, true
  FROM dm.cube_nrw_monthly n JOIN dw.dim_dma_zone z ON z.zone_code = n.zone_code
  WHERE n.level < 3 AND n.children_siv IS NOT NULL;

-- Labels of the zone dimensions: the zones, and the between-levels rows of level 1 and 2.
CREATE VIEW dm.dma_zone_label AS
  SELECT zone_code, name FROM dw.dim_dma_zone
  UNION ALL
  SELECT zone_code || '/between', name || '·级间损失' FROM dw.dim_dma_zone WHERE level < 3;

-- The mining lists of the three themes (抄表改善, 水表管理): one row per finding, the list
-- named in `list`. The lists are standard reports over this view (data/reports/mining_*.json)
-- so the report panel, exports, the CLI and dashboards show them. Each branch filters on its
-- own constant, so a report of one list plans only its branch. "Now" is the warehouse's
-- latest billing month, never the clock: the lists of a warehouse do not change by themselves.
--   first_read_spike   online, ≥ 2 cycles unread, then a first read ≥ 5 × the later median
--   estimated_streak   a run of consecutive estimated reads (months = its length)
--   reads_backwards    a valid read below the previous one
--   demolished_active  a normal account on a premise demolished in GIS
--   missing_meter      a meter removed or lost in meter management, still billed or paying
--   large_no_reads     an active meter of DN80 and up with no valid read for 6 months or more
--   meter_overage      a meter in use past its replacement age (DN ≤ 25: 6 years, DN 40–50:
--                      4 years, larger: 2 years; JJG 162's periods)
--   stopped_zero       a normal account whose latest reads say stopped/faulty, billed at zero
CREATE VIEW dm.meter_finding AS
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
  WHERE a.status = 'normal' AND m.size_dn >= 80
    AND NOT EXISTS (SELECT 1 FROM dw.fact_bill b
                    WHERE b.account_id = a.account_id AND b.read_status = 'valid'
                      AND b.period > (SELECT max(period) FROM dw.fact_bill)
                                     - interval '6 months')
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
  WHERE a.status = 'normal' AND s.last_period = (SELECT max(period) FROM dw.fact_bill);
