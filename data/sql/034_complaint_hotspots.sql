-- 034_complaint_hotspots: complaint work orders located where the complaining account is
-- supplied, for the 客服驾驶舱's hot-spot map (src/core/dashboard) through the indicator
-- catalog (source "complaint", indicator complaint_count).
--
-- A complaint (dw.fact_work_order, category 'complaint') carries its account; the account's
-- premise (dw.dim_premise) has a point, and the level-3 DMA zone whose polygon covers that
-- point is where the complaint counts (the lowest zone code when a point lies on a shared
-- edge). An order without an account, or whose premise lies in no zone, is not located and
-- not counted. The month is the month the order was created, as in the work-order cube.
CREATE VIEW dm.work_order_complaint AS
  SELECT w.wo_no, date_trunc('month', w.created_at)::date AS period, w.priority, w.status,
         z.zone_code AS dma3_code, z.level2_code AS dma2_code, z.level1_code AS dma1_code,
         p.district_code, p.community_code, p.premise_id,
         ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat
  FROM dw.fact_work_order w
  JOIN dw.dim_account a ON a.account_id = w.account_id
  JOIN dw.dim_premise p ON p.premise_id = a.premise_id
  CROSS JOIN LATERAL (SELECT d.zone_code, d.level1_code, d.level2_code
                      FROM dw.dim_dma_zone d
                      WHERE d.level = 3 AND ST_Covers(d.geom, p.geom)
                      ORDER BY d.zone_code LIMIT 1) z
  WHERE w.category = 'complaint';

COMMENT ON VIEW dm.work_order_complaint IS
  'Complaint work orders located at the level-3 DMA zone that covers their account''s premise.';

GRANT SELECT ON dm.work_order_complaint
  TO aq_agent, aq_supervisor, aq_analyst, aq_dispatcher, aq_notice_reviewer, aq_data_engineer,
     aq_operator, aq_api;
