-- 059_ods_call_event_watermarks.sql — hotline calls and meter events land in ods incrementally
--
-- From this release ods_service appends to ods.hotline_call only the calls past its call_id
-- watermark, and ods_meter to ods.meter_event only the events past its event_id watermark (a
-- call record or a meter event is never changed; a new month only adds them, with ids that
-- start with their day). Without a watermark a run takes every row: right for an empty table,
-- the first load. A warehouse loaded before holds every row in both tables (each run replaced
-- them) but has no watermark, so its first run would append them all a second time (as 061
-- says of the SMS log). The watermark such a warehouse stands at is the newest row it holds;
-- one already there is kept.
DO $$
BEGIN
  IF to_regclass('ods.hotline_call') IS NOT NULL THEN
    INSERT INTO meta.pipeline_watermark (pipeline, step_id, value)
    SELECT 'ods_service', 'read_hotline_call', max(call_id)::text FROM ods.hotline_call
    HAVING max(call_id) IS NOT NULL
    ON CONFLICT (pipeline, step_id) DO NOTHING;
  END IF;
  IF to_regclass('ods.meter_event') IS NOT NULL THEN
    INSERT INTO meta.pipeline_watermark (pipeline, step_id, value)
    SELECT 'ods_meter', 'read_meter_event', max(event_id)::text FROM ods.meter_event
    HAVING max(event_id) IS NOT NULL
    ON CONFLICT (pipeline, step_id) DO NOTHING;
  END IF;
END
$$;
