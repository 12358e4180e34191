-- 053_quality_merge_indexes.sql — the bills' and payments' keys in month order, for the
-- standard quality rules that check every payment and every settlement row against a bill
--
-- dw.fact_payment.payment_has_bill and dw.fact_bill_settlement.settlement_bill look up each
-- row's (account_id, period) among the bills' 3.3 M keys at 100,000 accounts (12 M at 1 M).
-- Answered by a hash join, each built a hash of every bill key: 4.0 s and 7.6 s on 2 cores
-- (docs/PERFORMANCE.md). With the keys of both sides in one order — these two indexes, and
-- dw.fact_bill_settlement's primary key (period, account_id) — the run reads them as a merge
-- anti-join of two index-only scans, without a hash or a sort: 0.74 s and 1.0 s. Month first,
-- so a month's load appends at the index's end. The quality run chooses that plan itself
-- (aq-quality-run-rules.c) for a referential rule whose referenced table is large and whose
-- two sides have such indexes.
DO $$
BEGIN
  IF to_regclass('dw.fact_bill') IS NOT NULL THEN
    CREATE INDEX IF NOT EXISTS fact_bill_period_account_idx ON dw.fact_bill (period, account_id);
  END IF;
  IF to_regclass('dw.fact_payment') IS NOT NULL THEN
    CREATE INDEX IF NOT EXISTS fact_payment_period_account_idx
      ON dw.fact_payment (period, account_id);
  END IF;
END
$$;
