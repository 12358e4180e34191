-- 036_size_sms_text.sql — the SMS texts stored once: in the SMS platform, not in ods
--
-- ods.sms_log copied every column of src_sms.sms_log, the message text too: ≈ 170 of its
-- ≈ 265 bytes a row, the warehouse's largest table, and nothing in the warehouse read it
-- (dw.fact_sms keeps template, status, account and phone; no report, rule, API or the 360 shows
-- a text). The ods_service pipeline now loads the log without it; this drops the column from
-- warehouses whose table was created before (the next load rewrites the table), and its
-- personal-data mark.
DO $$
BEGIN
  IF to_regclass('ods.sms_log') IS NOT NULL THEN
    ALTER TABLE ods.sms_log DROP COLUMN IF EXISTS content;
  END IF;
END
$$;

DELETE FROM meta.dataset_column
WHERE table_schema = 'ods' AND table_name = 'sms_log' AND column_name = 'content';
