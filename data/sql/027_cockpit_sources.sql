-- 027_cockpit_sources: the outages, notices and data quality as indicator catalog sources, so
-- cockpit tiles (src/core/dashboard) take them through the report engine like every figure.
--
-- Each view reads tables that only some roles may read; a view runs with its owner's rights
-- (the migrations' owner), so each is granted to every role that opens a dashboard. None of
-- them cuts by month: they describe "now" (the outages and notices as the dispatchers left
-- them, each quality rule's latest result), never the clock, so a tile's figure does not move
-- with the time of day nor the session's time zone.
--
--   notify.outage_board   one row per outage that is not cancelled, with the accounts it
--                         affects (fixed when it was saved, notify.outage_account)
--   notify.notice_board   one row per notice message (SMS or WeChat) of a campaign that was
--                         not cancelled, with its campaign's kind
--   meta.quality_latest   each rule's latest result that is not an error (the same rows the
--                         quality panel's score is computed from, aq-quality-dashboard.c)
CREATE VIEW notify.outage_board AS
  SELECT o.outage_id, o.kind, o.status, o.reason, o.start_time, o.expected_end,
         (SELECT count(*) FROM notify.outage_account oa
          WHERE oa.outage_id = o.outage_id)::bigint AS accounts
  FROM notify.outage o
  WHERE o.status <> 'cancelled';

CREATE VIEW notify.notice_board AS
  SELECT m.message_id, m.campaign_id, c.kind AS campaign_kind, m.channel, m.status,
         c.outage_id
  FROM notify.message m JOIN notify.campaign c ON c.campaign_id = m.campaign_id
  WHERE c.status <> 'cancelled';

CREATE VIEW meta.quality_latest AS
  SELECT DISTINCT ON (r.rule_name) r.rule_name, r.run_id, r.layer, r.table_name, r.dimension,
         r.severity, r.status, r.checked_rows, r.failing_rows
  FROM meta.quality_result r
  WHERE r.status <> 'error'
  ORDER BY r.rule_name, r.run_id DESC;

GRANT SELECT ON notify.outage_board, notify.notice_board, meta.quality_latest
  TO aq_agent, aq_supervisor, aq_analyst, aq_dispatcher, aq_notice_reviewer, aq_data_engineer,
     aq_operator, aq_api;
