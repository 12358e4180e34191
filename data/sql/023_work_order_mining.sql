-- 023_work_order_mining: the lists of the 工单改善 (work orders) mining theme.
--
-- One row per finding, the list named in `list`, like dm.meter_finding (021); the lists are
-- standard reports over this view (data/reports/mining_wo_*.json, source "wo_mining"). "Now" is
-- the warehouse's latest work order, never the clock, the same as dw.fact_work_order.sla_met.
-- The warehouse has no team or handler on a work order (the handler is only on the source's
-- steps, src_workorder.work_order_step), so the lists group by category and priority. The
-- source has no reopen step either (CREATE, DISPATCH, ARRIVE, HANDLE, CLOSE/CANCEL), so there
-- is no reopened list.
--   overdue          past its SLA: closed late, or still open after its due time (not
--                    cancelled orders)
--                    (hours = hours past due, at closing or now)
--   repeat_address   a customer's order (with an account) at an address that had another
--                    customer order in the 30 days before it (hours = hours since that one)
--   handling         every closed order, banded by its handling time against its SLA
--                    (sla_band: le50, le100, le150, le200, gt200 per cent; hours = handling)
-- The repeat list looks back 30 days at the same address.
CREATE INDEX fact_work_order_address_idx ON dw.fact_work_order (address, created_at);

CREATE VIEW dm.work_order_finding AS
  SELECT 'overdue'::text AS list, o.wo_no, o.account_id, o.category, o.priority, o.address,
         o.created_at, o.sla_due_at, o.closed_at, NULL::text AS sla_band,
         round((extract(epoch FROM coalesce(o.closed_at,
                  (SELECT max(created_at) FROM dw.fact_work_order)) - o.sla_due_at) / 3600)::numeric,
               1) AS hours
  FROM dw.fact_work_order o
  WHERE o.sla_met = false AND o.status <> 'cancelled'
  UNION ALL
  SELECT 'repeat_address', o.wo_no, o.account_id, o.category, o.priority, o.address,
         o.created_at, o.sla_due_at, o.closed_at, NULL,
         round((extract(epoch FROM o.created_at - p.prev_at) / 3600)::numeric, 1)
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
         round((extract(epoch FROM o.closed_at - o.created_at) / 3600)::numeric, 1)
  FROM dw.fact_work_order o
  CROSS JOIN LATERAL (SELECT extract(epoch FROM o.closed_at - o.created_at)
                             / nullif(extract(epoch FROM o.sla_due_at - o.created_at), 0)
                             AS ratio) r
  WHERE o.status = 'closed' AND o.closed_at IS NOT NULL;
