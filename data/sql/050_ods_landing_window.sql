-- 050_ods_landing_window.sql — ods is a landing window for the three fact extracts
--
-- ods.billing_bill, ods.billing_payment and ods.sms_log held every month twice over: once as
-- extracted and once more in dw (dw.fact_bill, dw.fact_payment, dw.fact_sms), ≈ 20 of the
-- layers' 47 GB at 1 M accounts × 60 months. Their dw loads are incremental (each takes only
-- what is past its watermark), so dw is the history and ods only has to hold what dw has not
-- taken yet plus a few recent months to check the extract with (the ods quality rules, the
-- reconciliation of dw against ods). ods.retire_landed_months() — the last step of dw_service,
-- the last of the three fact loads — removes from the three extracts the months older than the
-- window, and only rows dw already holds:
--   bills     billing period before the window, and at or before dw_billing's watermark;
--   payments  the bill period paid before the window, and at or before dw_payment's watermark;
--   messages  sent before the window, and at or before the newest message in dw.fact_sms.
-- The window is the newest N billing periods ods_billing loaded (its watermark), N from the
-- setting aqueduct.ods_keep_months (`ALTER DATABASE … SET aqueduct.ods_keep_months = 6`),
-- 3 when unset, 0 keeps everything. A table losing rows is rewritten (the window copied
-- aside, the table truncated, the window put back), so its disk space goes back at once
-- instead of waiting for VACUUM FULL. Because the window follows the data (not the clock),
-- a warehouse loaded month by month and one built from nothing hold the same rows.
CREATE FUNCTION ods.landing_months() RETURNS integer
LANGUAGE sql STABLE
AS $$
  SELECT coalesce(nullif(current_setting('aqueduct.ods_keep_months', true), '')::integer, 3)
$$;

CREATE FUNCTION ods.retire_landed_months()
RETURNS TABLE (relation text, retired bigint, kept bigint)
LANGUAGE plpgsql
AS $$
DECLARE
  keep integer := ods.landing_months();
  newest text;
  cutoff text;
  landed text;
  since timestamp;
  condition text;
  t text;
  n bigint;
BEGIN
  IF keep <= 0 OR to_regclass('ods.billing_bill') IS NULL THEN
    RETURN;
  END IF;
  SELECT w.value INTO newest FROM meta.pipeline_watermark w
  WHERE w.pipeline = 'ods_billing' AND w.step_id = 'read_billing_bill';
  IF newest IS NULL THEN
    SELECT max(b.period) INTO newest FROM ods.billing_bill b;
  END IF;
  IF newest IS NULL THEN
    RETURN;
  END IF;
  cutoff := to_char(to_date(newest, 'YYYYMM') - (keep - 1) * interval '1 month', 'YYYYMM');
  since := to_date(cutoff, 'YYYYMM');

  FOREACH t IN ARRAY ARRAY['billing_bill', 'billing_payment', 'sms_log'] LOOP
    condition := NULL;
    IF to_regclass('ods.' || t) IS NULL THEN
      CONTINUE;
    END IF;
    IF t = 'billing_bill' THEN
      SELECT to_char(w.value::date, 'YYYYMM') INTO landed FROM meta.pipeline_watermark w
      WHERE w.pipeline = 'dw_billing' AND w.step_id = 'read_bill';
      IF landed IS NOT NULL THEN
        condition := format('period < %L AND period <= %L', cutoff, landed);
      END IF;
    ELSIF t = 'billing_payment' THEN
      SELECT w.value INTO landed FROM meta.pipeline_watermark w
      WHERE w.pipeline = 'dw_payment' AND w.step_id = 'read_payment';
      IF landed IS NOT NULL THEN
        condition := format('period < %L AND pay_no <= %s', cutoff, landed::bigint);
      END IF;
    ELSIF to_regclass('dw.fact_sms') IS NOT NULL THEN
      SELECT max(f.msg_id)::text INTO landed FROM dw.fact_sms f;
      IF landed IS NOT NULL THEN
        condition := format('submit_time < %L AND msg_id <= %s', since, landed::bigint);
      END IF;
    END IF;
    IF condition IS NULL THEN
      CONTINUE;
    END IF;
    EXECUTE format('SELECT count(*) FROM ods.%I WHERE %s', t, condition) INTO n;
    IF n > 0 THEN
      EXECUTE format('CREATE TEMP TABLE retire_keep ON COMMIT DROP AS '
                     'SELECT * FROM ods.%I WHERE NOT (%s)', t, condition);
      EXECUTE format('TRUNCATE ods.%I', t);
      EXECUTE format('INSERT INTO ods.%I SELECT * FROM retire_keep', t);
      DROP TABLE retire_keep;
      EXECUTE format('ANALYZE ods.%I', t);
    END IF;
    relation := 'ods.' || t;
    retired := n;
    EXECUTE format('SELECT count(*) FROM ods.%I', t) INTO kept;
    RETURN NEXT;
  END LOOP;
END
$$;

COMMENT ON FUNCTION ods.retire_landed_months() IS
  'Removes from ods.billing_bill, ods.billing_payment and ods.sms_log the months before the '
  'landing window (aqueduct.ods_keep_months billing periods, 3 when unset, 0 keeps all) that dw '
  'already holds; run by dw_service after the fact loads.';

UPDATE meta.dataset_text SET description = CASE lang
    WHEN 'en' THEN 'Raw bills of the billing system: its monthly bill tables merged into one, '
                   'loaded incrementally by period; holds the last few periods (the landing '
                   'window, aqueduct.ods_keep_months, 3 by default) — dw.fact_bill is the history.'
    ELSE '营收系统账单原始抽取：各月账单表合并，按账期增量加载；只保留最近几个账期'
         '（落地窗口 aqueduct.ods_keep_months，默认 3），历史在 dw.fact_bill。' END
WHERE object = 'ods.billing_bill';
UPDATE meta.dataset_text SET description = CASE lang
    WHEN 'en' THEN 'Raw payments of the billing system, loaded incrementally; holds the '
                   'payments of the last few bill periods (the landing window) — '
                   'dw.fact_payment is the history.'
    ELSE '营收系统缴费原始抽取，增量加载；只保留最近几个账期的缴费（落地窗口），'
         '历史在 dw.fact_payment。' END
WHERE object = 'ods.billing_payment';
INSERT INTO meta.dataset_text (object, lang, description) VALUES
  ('ods.sms_log', 'en', 'Raw SMS platform log without message texts, loaded incrementally by '
                        'message id; holds the messages of the last few months (the landing '
                        'window) — dw.fact_sms is the history.'),
  ('ods.sms_log', 'zh_CN', '短信平台发送记录原始抽取（不含短信正文），按消息号增量加载；只保留最近'
                           '几个月（落地窗口），历史在 dw.fact_sms。')
ON CONFLICT (object, lang) DO UPDATE SET description = excluded.description;
