-- 036_size_ods_columns.sql — ods keeps what the warehouse reads: no SMS texts, no cashier
--
-- ods.sms_log copied every column of src_sms.sms_log, the message text too: ≈ 170 of its
-- ≈ 265 bytes a row, the warehouse's largest table, and nothing in the warehouse read it
-- (dw.fact_sms keeps template, status, account and phone; no report, rule, API or the 360 shows
-- a text). The SMS platform keeps its messages (by msg_id; the demo's as template and
-- parameters, rendered by src_sms.sms_text). ods.billing_payment copied the cashier
-- ("operator"), which nothing reads either. The ods_service and ods_billing pipelines now load
-- without them; this drops the columns from warehouses whose tables were created before (the
-- next full load rewrites ods.sms_log; ods.billing_payment's old rows keep their bytes until a
-- VACUUM FULL), and the text's personal-data mark.
DO $$
BEGIN
  IF to_regclass('ods.sms_log') IS NOT NULL THEN
    ALTER TABLE ods.sms_log DROP COLUMN IF EXISTS content;
  END IF;
  IF to_regclass('ods.billing_payment') IS NOT NULL THEN
    ALTER TABLE ods.billing_payment DROP COLUMN IF EXISTS operator;
  END IF;
END
$$;

DELETE FROM meta.dataset_column
WHERE table_schema = 'ods' AND table_name = 'sms_log' AND column_name = 'content';
