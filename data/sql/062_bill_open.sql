-- 062_bill_open.sql — only the bills still open, keyed like the bill; payments keyed like it too
--
-- dw.fact_bill_settlement (052) kept one row per bill (5.6 GB at 1 M accounts × 60 months) for
-- one reader, dm_profile's arrears, which wants the bills not paid in full: 1.2 % of them
-- (39,505 of 3,285,974 at 100,000 × 36). dw.fact_bill_open keeps just those, with what their
-- account paid for their month, keyed like dw.fact_bill (account_id, period). Its settled_on and
-- days_late went with the settled bills (nothing read them).
--
-- dw.refresh_bill_open(), called by dw_payment after it loads the payments, recomputes as 052
-- did: on a load with a watermark only the bills of months past the last one examined and the
-- bills of the payments past that watermark — it deletes those from the table and inserts again
-- the ones still open, so a bill that became settled leaves it. Which month was examined last is
-- the watermark ('dw_payment', 'settle') in meta.pipeline_watermark (an open-bills table cannot
-- say it); without it, or without the payments' watermark (the first load, sources simulated
-- anew), it computes every bill.
--
-- A loaded warehouse is converted in place: its open settlement rows are copied (the 052
-- partial index finds them), the month it had examined becomes the watermark, and the old table
-- goes. No pipeline needs to run again.
--
-- dw.fact_payment's primary key becomes (account_id, period, pay_no): with dw.fact_bill's
-- (account_id, period) in one order, the quality rule dw.fact_payment.payment_has_bill is a
-- merge anti-join of the two primary keys, and so is dw.fact_bill_open's rule against the bills,
-- so 053's two (period, account_id) indexes go (≈ 3.4 GB at 1 M × 60). Every reader by key
-- still has account_id first: the 360 and the API read one account's payments; dw_payment
-- appends. It holds the account, the distribution column (aq-warehouse-ddl.c).
CREATE TABLE dw.fact_bill_open (
  period      date NOT NULL,
  due_date    date NOT NULL,
  account_id  text NOT NULL,
  amount      numeric(12,2) NOT NULL,
  paid        numeric(12,2) NOT NULL,
  PRIMARY KEY (account_id, period)
);

INSERT INTO dw.fact_bill_open (period, due_date, account_id, amount, paid)
SELECT period, due_date, account_id, amount, paid
FROM dw.fact_bill_settlement
WHERE amount > paid + 0.005
ORDER BY account_id, period;

INSERT INTO meta.pipeline_watermark (pipeline, step_id, value)
SELECT 'dw_payment', 'settle', max(period)::text FROM dw.fact_bill_settlement
HAVING max(period) IS NOT NULL
ON CONFLICT (pipeline, step_id) DO UPDATE SET value = EXCLUDED.value, updated_at = now();

DROP FUNCTION dw.refresh_bill_settlement(bigint);
DROP TABLE dw.fact_bill_settlement;

-- the catalog: the old table's owner, steward and use go to the new one; what else it held of it
UPDATE meta.dataset_table SET table_name = 'fact_bill_open'
WHERE table_schema = 'dw' AND table_name = 'fact_bill_settlement'
  AND NOT EXISTS (SELECT 1 FROM meta.dataset_table
                  WHERE table_schema = 'dw' AND table_name = 'fact_bill_open');
DELETE FROM meta.dataset_table WHERE table_schema = 'dw' AND table_name = 'fact_bill_settlement';
DELETE FROM meta.dataset_column WHERE table_schema = 'dw' AND table_name = 'fact_bill_settlement';
DELETE FROM meta.dataset_text
WHERE object = 'dw.fact_bill_settlement' OR object LIKE 'dw.fact\_bill\_settlement.%';
INSERT INTO meta.dataset_table (table_schema, table_name, layer, subject_code, category, owner,
                                steward, sla_hours)
VALUES ('dw', 'fact_bill_open', 'dw', 'billing', 'Facts/Monthly', 'Revenue department',
        'Data center', 26)
ON CONFLICT (table_schema, table_name) DO NOTHING;
INSERT INTO meta.dataset_text (object, lang, description)
VALUES ('dw.fact_bill_open', 'zh_CN', '未结清账单：尚未缴清的账单及其所属月份已缴金额，由 dw_payment 管道维护。')
ON CONFLICT (object, lang) DO UPDATE SET description = EXCLUDED.description;
-- its standard quality rule is dw.fact_bill_open.open_bill_has_bill now (data/quality/dw.json):
-- the old table's rule stops running, its results stay readable
UPDATE meta.quality_rule SET enabled = false, updated_at = now()
WHERE rule_name = 'dw.fact_bill_settlement.settlement_bill';

COMMENT ON TABLE dw.fact_bill_open IS 'Bills not yet paid in full, with what their account paid for their month; kept current by the dw_payment pipeline.';
COMMENT ON COLUMN dw.fact_bill_open.period IS 'Billing month, as its first day.';
COMMENT ON COLUMN dw.fact_bill_open.due_date IS 'Last day to pay without a late fee.';
COMMENT ON COLUMN dw.fact_bill_open.account_id IS 'The account billed.';
COMMENT ON COLUMN dw.fact_bill_open.amount IS 'Amount billed (yuan).';
COMMENT ON COLUMN dw.fact_bill_open.paid IS 'Paid for the bill''s month so far (yuan), less than the amount.';

-- Recomputes the open bills a load can change (see above). since_pay_no: the dw_payment
-- watermark before the load (NULL: every bill). Returns the open bills written.
CREATE FUNCTION dw.refresh_bill_open(since_pay_no bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  last_period date;
  newest date;
  n bigint;
BEGIN
  SELECT w.value::date INTO last_period FROM meta.pipeline_watermark w
  WHERE w.pipeline = 'dw_payment' AND w.step_id = 'settle';
  SELECT max(b.period) INTO newest FROM dw.fact_bill b;
  IF since_pay_no IS NULL OR last_period IS NULL THEN
    TRUNCATE dw.fact_bill_open;
    INSERT INTO dw.fact_bill_open (period, due_date, account_id, amount, paid)
    SELECT b.period, b.due_date, b.account_id, b.amount, coalesce(p.paid, 0)
    FROM dw.fact_bill b
    LEFT JOIN (SELECT account_id, period, sum(amount) AS paid
               FROM dw.fact_payment GROUP BY account_id, period) p
      ON p.account_id = b.account_id AND p.period = b.period
    WHERE b.amount > coalesce(p.paid, 0) + 0.005
    ORDER BY b.account_id, b.period;
    GET DIAGNOSTICS n = ROW_COUNT;
  ELSE
    DELETE FROM dw.fact_bill_open o
    WHERE o.period > last_period
       OR (o.account_id, o.period) IN (SELECT f.account_id, f.period FROM dw.fact_payment f
                                        WHERE f.pay_no > since_pay_no);
    INSERT INTO dw.fact_bill_open (period, due_date, account_id, amount, paid)
    SELECT b.period, b.due_date, b.account_id, b.amount, coalesce(p.paid, 0)
    FROM (SELECT account_id, period FROM dw.fact_bill WHERE period > last_period
          UNION
          SELECT account_id, period FROM dw.fact_payment WHERE pay_no > since_pay_no) t
    JOIN dw.fact_bill b ON b.account_id = t.account_id AND b.period = t.period
    LEFT JOIN LATERAL (SELECT sum(f.amount) AS paid
                       FROM dw.fact_payment f
                       WHERE f.account_id = t.account_id AND f.period = t.period) p ON true
    WHERE b.amount > coalesce(p.paid, 0) + 0.005
    ORDER BY b.account_id, b.period;
    GET DIAGNOSTICS n = ROW_COUNT;
  END IF;
  IF newest IS NULL THEN
    DELETE FROM meta.pipeline_watermark WHERE pipeline = 'dw_payment' AND step_id = 'settle';
  ELSE
    INSERT INTO meta.pipeline_watermark (pipeline, step_id, value)
    VALUES ('dw_payment', 'settle', newest::text)
    ON CONFLICT (pipeline, step_id) DO UPDATE SET value = EXCLUDED.value, updated_at = now();
  END IF;
  RETURN n;
END
$$;

-- The payments keyed like the bills, and 053's month-first indexes gone.
DROP INDEX IF EXISTS dw.fact_bill_period_account_idx;
DROP INDEX IF EXISTS dw.fact_payment_period_account_idx;
ALTER TABLE dw.fact_payment DROP CONSTRAINT fact_payment_pkey,
  ADD PRIMARY KEY (account_id, period, pay_no);
