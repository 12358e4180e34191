/* aq-simulator-dirt.c — the extracts' small dirt, planted with exact counts (src_truth.dirt)
 *
 * The data quality rules are proven against what was planted, so each kind of dirt they look
 * for is counted as it is written. Some of it is the sources' own way of typing things and
 * changes no data: mobiles typed in a mixed format ('+86 138 1234 5678', '138-1234-5678', …)
 * and landlines typed into the mobile field, counted row by row as src_billing.customer is
 * written. The rest is planted on purpose, one account or customer in AQ_SIM_DIRT_RATE
 * (chosen by its own random stream, so nothing else moves): a creation date a century in
 * the future (a year typed '2116' for '2016'), a tariff code outside the tariff dictionary,
 * and a meter number typed with the letter O, which no meter has (an orphan reference); and,
 * one bill in AQ_SIM_DIRT_BILL_RATE among the estimated ones, a negative reading (the
 * estimate's reading typed with a minus sign: only the field is wrong, the next bill starts
 * from the true reading). The negative readings are estimated bills on purpose: a negative
 * valid reading would also be a reading below the previous one, the planted reversed
 * readings (src_truth.anomaly read_backwards) whose count the quality rule
 * dw.fact_bill.bill_reads_forward and the mining report must find exactly. Accounts with a
 * planted anomaly or a key customer keep their data as it was, so the anomalies' own counts
 * stay exact.
 *
 * Planting moves figures the tests of other areas read at their small scales, so like the
 * sudden drop it is on by default only from AQ_SIM_DROP_MIN_ACCOUNTS accounts up
 * (AqSimulatorOptions.dirt asks for it at any scale); src_truth.dirt exists only then.
 */
#define G_LOG_DOMAIN "aq-simulator"

#include "config.h"

#include "aq-simulator-private.h"

static const struct
{
  const char *kind;
  const char *target;
  const char *detail;
} dirt_kinds[AQ_SIM_N_DIRT] = {
  [AQ_SIM_DIRT_MIXED_MOBILE] = { "mixed_format_mobile", "src_billing.customer.mobile",
                                 "rows whose mobile is typed other than as 11 plain digits" },
  [AQ_SIM_DIRT_TEL_IN_MOBILE] = { "landline_in_mobile", "src_billing.customer.mobile",
                                  "rows with a landline typed into the mobile field" },
  [AQ_SIM_DIRT_FUTURE_CREATED] = { "future_create_date", "src_billing.customer.create_date",
                                   "customers created a century in the future" },
  [AQ_SIM_DIRT_TARIFF_UNKNOWN] = { "tariff_outside_dictionary",
                                   "src_billing.account.tariff_code",
                                   "accounts with a tariff code not in src_billing.tariff" },
  [AQ_SIM_DIRT_METER_TYPO] = { "orphan_meter_no", "src_billing.account.meter_no",
                               "accounts whose meter number no meter has" },
  [AQ_SIM_DIRT_NEGATIVE_READ] = { "negative_reading", "src_billing.bill_YYYYMM.curr_read",
                                  "bills (estimated) whose reading is negative" },
};

/* Whether customer or account @index gets dirt of @kind (planted kinds only). */
gboolean
aq_sim_dirt_pick (AqSim   *sim,
                  guint    kind,
                  guint32  index)
{
  AqRandom r;

  if (!sim->dirt)
    return FALSE;
  if (kind != AQ_SIM_DIRT_FUTURE_CREATED)
    {
      const AqSimAccount *a = &sim->accounts[index];

      if (a->anomaly != AQ_SIM_ANOMALY_NONE || a->key_kind != AQ_SIM_KEY_NONE)
        return FALSE;
    }
  aq_random_init (&r, sim->seed, AQ_SIM_STREAM_DIRT, AQ_SIM_SUB (index, kind));
  return aq_random_below (&r, AQ_SIM_DIRT_RATE) == 0;
}

/* Whether account @account's estimated bill of relative month @month gets a negative
 * reading: its own stream per bill, so nothing else moves. */
gboolean
aq_sim_dirt_pick_bill (AqSim   *sim,
                       guint32  account,
                       int      month)
{
  const AqSimAccount *a = &sim->accounts[account];
  AqRandom r;

  if (!sim->dirt || a->anomaly != AQ_SIM_ANOMALY_NONE || a->key_kind != AQ_SIM_KEY_NONE)
    return FALSE;
  aq_random_init (&r, sim->seed, AQ_SIM_STREAM_DIRT,
                  AQ_SIM_SUB ((guint64) month << 24 | account, AQ_SIM_DIRT_NEGATIVE_READ));
  return aq_random_below (&r, AQ_SIM_DIRT_BILL_RATE) == 0;
}

/* Whether aq_sim_format_phone() writes @format as 11 plain digits. */
gboolean
aq_sim_phone_format_plain (guint format)
{
  return format < 55;
}

/**
 * aq_sim_dirt_write:
 *
 * Records the dirt counted while the customers and accounts were written (src_truth.dirt),
 * when dirt is planted. The table (AQ_SIM_DIRT_DDL) is made before the lanes start, as the
 * new months' bill tables are: a CREATE TABLE in a lane waits on the other lanes' TRUNCATEs
 * in the same schema, and appending a month to a demo made before it must find it too.
 */
gboolean
aq_sim_dirt_write (AqSim   *sim,
                   GError **error)
{
  AqCopyWriter *w;

  if (!sim->dirt)
    return TRUE;
  if (!(w = aq_sim_copy (sim, AQ_SIM_LANE_BILLS, "src_truth.dirt (kind, target, rows, detail)",
                         error)))
    return FALSE;
  for (guint k = 0; k < AQ_SIM_N_DIRT; k++)
    {
      aq_copy_writer_row (w, 4);
      aq_copy_writer_text (w, dirt_kinds[k].kind, -1);
      aq_copy_writer_text (w, dirt_kinds[k].target, -1);
      aq_copy_writer_int64 (w, sim->dirt_rows[k]);
      aq_copy_writer_text (w, dirt_kinds[k].detail, -1);
      if (!aq_copy_writer_end_row (w))
        break;
    }
  return aq_sim_copy_end (sim, w, "src_truth.dirt", error);
}
