-- 052_bill_settlement.sql — what each bill has been paid, computed once in dw
--
-- dm_profile's arrears summed every payment per account and month and joined that to every
-- bill on each load: a hash of all payments (29 M rows at 1 M × 36) rebuilt to find the few
-- bills still open. dw.fact_bill_settlement keeps one row per bill of dw.fact_bill with what
-- its account paid for its month, so arrears read only the open bills (the partial index).
-- The dw_payment pipeline keeps it current with dw.refresh_bill_settlement() after it loads
-- the payments: a load that had a watermark recomputes only the bills of months past the
-- ones settled so far and the bills of the payments past that watermark (a new month touches
-- its own bills and the older ones its payments settle); without one (the first load, sources
-- simulated anew) or while the table is empty (a warehouse migrated to this) it computes all.
--
-- paid: every payment of the account for the bill's month (0 when none). settled_on: the day
-- of the bill's last payment once the payments cover its amount (within half a fen), NULL
-- while it is open; days_late: settled_on - due_date. Key (period, account_id): the months
-- past the last settled one are a range of it, and it holds the account (distribution column).
CREATE TABLE dw.fact_bill_settlement (
  period      date NOT NULL,
  account_id  text NOT NULL,
  amount      numeric(12,2) NOT NULL,
  due_date    date NOT NULL,
  paid        numeric(12,2) NOT NULL,
  settled_on  date,
  days_late   integer,
  PRIMARY KEY (period, account_id)
);
CREATE INDEX fact_bill_settlement_open_idx ON dw.fact_bill_settlement (account_id)
  WHERE amount > paid + 0.005;

INSERT INTO meta.dataset_table (table_schema, table_name, layer, subject_code, category, owner,
                                steward, sla_hours)
VALUES ('dw', 'fact_bill_settlement', 'dw', 'billing', 'Facts/Monthly', 'Revenue department',
        'Data center', 26);

COMMENT ON TABLE dw.fact_bill_settlement IS 'What each bill has been paid: one row per bill, kept current by the dw_payment pipeline.';
COMMENT ON COLUMN dw.fact_bill_settlement.period IS 'Billing month, as its first day.';
COMMENT ON COLUMN dw.fact_bill_settlement.account_id IS 'The account billed.';
COMMENT ON COLUMN dw.fact_bill_settlement.amount IS 'Amount billed (yuan).';
COMMENT ON COLUMN dw.fact_bill_settlement.due_date IS 'Last day to pay without a late fee.';
COMMENT ON COLUMN dw.fact_bill_settlement.paid IS 'Paid for the bill''s month so far (yuan).';
COMMENT ON COLUMN dw.fact_bill_settlement.settled_on IS 'Day of the last payment once the bill is paid in full; empty while open.';
COMMENT ON COLUMN dw.fact_bill_settlement.days_late IS 'Days from the due date to the day it was paid in full; empty while open.';

-- Recomputes the settlement of the bills a load changed (see above). since_pay_no: the
-- dw_payment watermark before the load (NULL: compute every bill). Returns the rows written.
CREATE FUNCTION dw.refresh_bill_settlement(since_pay_no bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  last_period date;
  n bigint;
BEGIN
  SELECT max(period) INTO last_period FROM dw.fact_bill_settlement;
  IF since_pay_no IS NULL OR last_period IS NULL THEN
    TRUNCATE dw.fact_bill_settlement;
    INSERT INTO dw.fact_bill_settlement
      (period, account_id, amount, due_date, paid, settled_on, days_late)
    SELECT b.period, b.account_id, b.amount, b.due_date, coalesce(p.paid, 0),
           CASE WHEN b.amount <= coalesce(p.paid, 0) + 0.005 THEN p.last_day END,
           CASE WHEN b.amount <= coalesce(p.paid, 0) + 0.005 THEN p.last_day - b.due_date END
    FROM dw.fact_bill b
    LEFT JOIN (SELECT account_id, period, sum(amount) AS paid, max(paid_at)::date AS last_day
               FROM dw.fact_payment GROUP BY account_id, period) p
      ON p.account_id = b.account_id AND p.period = b.period
    ORDER BY b.period, b.account_id;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
  END IF;
  INSERT INTO dw.fact_bill_settlement AS s
    (period, account_id, amount, due_date, paid, settled_on, days_late)
  SELECT b.period, b.account_id, b.amount, b.due_date, coalesce(p.paid, 0),
         CASE WHEN b.amount <= coalesce(p.paid, 0) + 0.005 THEN p.last_day END,
         CASE WHEN b.amount <= coalesce(p.paid, 0) + 0.005 THEN p.last_day - b.due_date END
  FROM (SELECT account_id, period FROM dw.fact_bill WHERE period > last_period
        UNION
        SELECT account_id, period FROM dw.fact_payment WHERE pay_no > since_pay_no) t
  JOIN dw.fact_bill b ON b.account_id = t.account_id AND b.period = t.period
  LEFT JOIN LATERAL (SELECT sum(f.amount) AS paid, max(f.paid_at)::date AS last_day
                     FROM dw.fact_payment f
                     WHERE f.account_id = t.account_id AND f.period = t.period) p ON true
  ORDER BY b.period, b.account_id
  ON CONFLICT (period, account_id) DO UPDATE
    SET amount = EXCLUDED.amount, due_date = EXCLUDED.due_date, paid = EXCLUDED.paid,
        settled_on = EXCLUDED.settled_on, days_late = EXCLUDED.days_late;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;
