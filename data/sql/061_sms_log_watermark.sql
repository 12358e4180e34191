-- 061_sms_log_watermark.sql — a warehouse loaded before 050 keeps its SMS log single
--
-- Since 050 ods_service appends to ods.sms_log only the messages past its msg_id watermark,
-- and takes every message when it has none: right for an empty table, the first load. On a
-- warehouse loaded before 050 the table already holds every message (each run replaced it)
-- but there is no watermark yet, so its first run after the upgrade appended the whole log a
-- second time, and dw_service's unique msg_id then refused the load. The watermark such a
-- warehouse stands at is the newest message it holds; a warehouse that has one keeps it.
DO $$
BEGIN
  IF to_regclass('ods.sms_log') IS NOT NULL THEN
    INSERT INTO meta.pipeline_watermark (pipeline, step_id, value)
    SELECT 'ods_service', 'read_sms_log', max(msg_id)::text FROM ods.sms_log
    HAVING max(msg_id) IS NOT NULL
    ON CONFLICT (pipeline, step_id) DO NOTHING;
  END IF;
END
$$;
