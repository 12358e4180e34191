-- 028_mining_teams: exact mining lists, and work orders by team and reopened.
--
-- 水表管理 large_no_reads (021) listed more than the large meters nobody reads: a new account
-- not billed for six months yet, and a meter already reported lost or removed, have "no valid
-- read in 6 months" too. A large meter without reads is now a meter in use (dim_meter status
-- in_use) on an account billed in each of the last six months, none of them a valid read.
-- The rest of dm.meter_finding is 021's, unchanged.

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
  WHERE a.status = 'normal' AND s.last_period = (SELECT max(period) FROM dw.fact_bill);

-- 工单改善: the team and the handler of a work order come from the source's steps
-- (src_workorder.work_order_step, in ods as ods.workorder_step): team is the team
-- of the order's last DISPATCH step (the team it was sent to), handler the person of its last
-- HANDLE step; reopened counts its REOPEN steps (a closed order the customer said was not
-- solved) and reopened_at is the first. Filled by the dw_service pipeline.
ALTER TABLE dw.fact_work_order ADD COLUMN team text, ADD COLUMN handler text,
  ADD COLUMN reopened smallint NOT NULL DEFAULT 0, ADD COLUMN reopened_at timestamp;
COMMENT ON COLUMN dw.fact_work_order.team IS '班组: the team of the last DISPATCH step';
COMMENT ON COLUMN dw.fact_work_order.handler IS '处理人: the person of the last HANDLE step';
COMMENT ON COLUMN dw.fact_work_order.reopened IS '重新受理次数: REOPEN steps';
COMMENT ON COLUMN dw.fact_work_order.reopened_at IS 'the first REOPEN step';

-- dm.work_order_finding gains two lists and three columns (team, handler, is_overdue):
--   team       every order not cancelled, with its team ('' when not dispatched yet):
--              is_overdue = sla_met is false (closed late, or open past due); hours = handling
--              time of a closed order (NULL while open) — per team: overdue share, handling
--   reopened   an order reopened after closing; hours = from the (first) reopening to its
--              last closing, or to now while it is open again
CREATE OR REPLACE VIEW dm.work_order_finding AS
  SELECT 'overdue'::text AS list, o.wo_no, o.account_id, o.category, o.priority, o.address,
         o.created_at, o.sla_due_at, o.closed_at, NULL::text AS sla_band,
         round((extract(epoch FROM coalesce(o.closed_at,
                  (SELECT max(created_at) FROM dw.fact_work_order)) - o.sla_due_at) / 3600)::numeric,
               1) AS hours,
         o.team, o.handler, true AS is_overdue
  FROM dw.fact_work_order o
  WHERE o.sla_met = false AND o.status <> 'cancelled'
  UNION ALL
  SELECT 'repeat_address', o.wo_no, o.account_id, o.category, o.priority, o.address,
         o.created_at, o.sla_due_at, o.closed_at, NULL,
         round((extract(epoch FROM o.created_at - p.prev_at) / 3600)::numeric, 1),
         o.team, o.handler, o.sla_met IS FALSE
  FROM dw.fact_work_order o
  CROSS JOIN LATERAL (SELECT max(q.created_at) AS prev_at FROM dw.fact_work_order q
                      WHERE q.address = o.address AND q.account_id IS NOT NULL
                        AND q.wo_no <> o.wo_no AND q.created_at <= o.created_at
                        AND q.created_at >= o.created_at - interval '30 days') p
  WHERE o.account_id IS NOT NULL AND o.address IS NOT NULL AND p.prev_at IS NOT NULL
  UNION ALL
  SELECT 'handling', o.wo_no, o.account_id, o.category, o.priority, o.address,
         o.created_at, o.sla_due_at, o.closed_at,
         CASE WHEN r.ratio <= 0.5 THEN 'le50' WHEN r.ratio <= 1 THEN 'le100'
              WHEN r.ratio <= 1.5 THEN 'le150' WHEN r.ratio <= 2 THEN 'le200' ELSE 'gt200' END,
         round((extract(epoch FROM o.closed_at - o.created_at) / 3600)::numeric, 1),
         o.team, o.handler, o.sla_met IS FALSE
  FROM dw.fact_work_order o
  CROSS JOIN LATERAL (SELECT extract(epoch FROM o.closed_at - o.created_at)
                             / nullif(extract(epoch FROM o.sla_due_at - o.created_at), 0)
                             AS ratio) r
  WHERE o.status = 'closed' AND o.closed_at IS NOT NULL
  UNION ALL
  SELECT 'team', o.wo_no, o.account_id, o.category, o.priority, o.address,
         o.created_at, o.sla_due_at, o.closed_at, NULL,
         CASE WHEN o.status = 'closed' AND o.closed_at IS NOT NULL
              THEN round((extract(epoch FROM o.closed_at - o.created_at) / 3600)::numeric, 1) END,
         coalesce(o.team, ''), o.handler, o.sla_met IS FALSE
  FROM dw.fact_work_order o
  WHERE o.status <> 'cancelled'
  UNION ALL
  SELECT 'reopened', o.wo_no, o.account_id, o.category, o.priority, o.address,
         o.created_at, o.sla_due_at, o.closed_at, NULL,
         round((extract(epoch FROM coalesce(o.closed_at,
                  (SELECT max(created_at) FROM dw.fact_work_order)) - o.reopened_at)
                / 3600)::numeric, 1),
         o.team, o.handler, o.sla_met IS FALSE
  FROM dw.fact_work_order o
  WHERE o.reopened > 0;
