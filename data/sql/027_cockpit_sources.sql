-- 027_cockpit_sources: the outages, notices and data quality as indicator catalog sources, so
-- cockpit tiles (src/core/dashboard) take them through the report engine like every figure.
--
-- The views live in dm like the other marts (so the data catalog lists them and their lineage);
-- dm belongs to aq_data_engineer and a view runs with its owner's rights, so the data engineers
-- get what the views read: the outages and campaigns, and of the messages only their ids,
-- channel and status (never a recipient or a text). None of them cuts by month: they describe
-- "now" (the outages and notices as the dispatchers left them, each quality rule's latest
-- result), never the clock, so a tile's figure does not move with the time of day nor the
-- session's time zone.
--
--   dm.outage_board       one row per outage that is not cancelled, with the accounts it
--                         affects (fixed when it was saved, notify.outage_account)
--   dm.outage_notice      one row per notice message (SMS or WeChat) of a campaign that was
--                         not cancelled, with its campaign's kind
--   dm.quality_latest     each rule's latest result that is not an error (the same rows the
--                         quality panel's score is computed from, aq-quality-dashboard.c)
GRANT SELECT ON notify.outage, notify.outage_account, notify.campaign TO aq_data_engineer;
GRANT SELECT (message_id, campaign_id, channel, status) ON notify.message TO aq_data_engineer;

CREATE VIEW dm.outage_board AS
  SELECT o.outage_id, o.kind, o.status, o.reason, o.start_time AS start_at,
         o.expected_end AS expected_end_at,
         (SELECT count(*) FROM notify.outage_account oa
          WHERE oa.outage_id = o.outage_id)::bigint AS accounts
  FROM notify.outage o
  WHERE o.status <> 'cancelled';

CREATE VIEW dm.outage_notice AS
  SELECT m.message_id, m.campaign_id, c.kind AS campaign_kind, m.channel, m.status,
         c.outage_id
  FROM notify.message m JOIN notify.campaign c ON c.campaign_id = m.campaign_id
  WHERE c.status <> 'cancelled';

CREATE VIEW dm.quality_latest AS
  SELECT DISTINCT ON (r.rule_name) r.rule_name, r.run_id, r.layer, r.table_name, r.dimension,
         r.severity, r.status, r.checked_rows, r.failing_rows
  FROM meta.quality_result r
  WHERE r.status <> 'error'
  ORDER BY r.rule_name, r.run_id DESC;

GRANT SELECT ON dm.outage_board, dm.outage_notice, dm.quality_latest
  TO aq_agent, aq_supervisor, aq_analyst, aq_dispatcher, aq_notice_reviewer, aq_data_engineer,
     aq_operator, aq_api;
