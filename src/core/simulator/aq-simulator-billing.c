/* aq-simulator-billing.c — 营收: the monthly bills and their payments
 *
 * Month after month, every billed account is read (or not), billed by its tariff and later
 * paid (or not). Each account carries its meter's true register and the last billed reading
 * from month to month, so valid reads always satisfy curr_read − prev_read = qty, estimates
 * are caught up by the next valid read, and a meter change starts the next bill from zero.
 *
 * A month is written as three COPYs: its bill table, its bills' payments and its SMS.
 *
 * Loading dirt with exact truth: one reading book's bills of one month (the month before the
 * last) reach the billing system LATE_LOAD_DAYS after their reading — their create_time says
 * so (src_truth.late_load: the book, the month, how many bills). Nothing else about those bills
 * changes (due dates and payments follow the bill's normal creation), so no other figure moves.
 *
 * Volume dirt with exact truth: in the middle month the readers skip the level-3 zone with the
 * most billed accounts — its bills say "not read" (09) and bill nothing, the next read catches
 * up — so the zone's billed volume drops to a sliver of the month before while its inflow does
 * not (src_truth.volume_drop: the month, the zone, the bills skipped, the zone's m³ billed that
 * month and the month before). Planted only when the options ask for it (by default from
 * AQ_SIM_DROP_MIN_ACCOUNTS accounts up), as it moves billing figures; its truth table exists
 * only then.
 */
#define G_LOG_DOMAIN "aq-simulator"

#include "aq-simulator-private.h"

#include <math.h>
#include <string.h>

#define DUPLICATE_BILL_RATE 0.0002
#define LATE_LOAD_DAYS 18

typedef struct
{
  gint32   T;              /* the meter's register: what a valid read would show */
  gint32   R;              /* the last billed reading */
  guint32  meter;          /* the meter in service */
  gint32   prev1_due, prev1_paid;   /* last month's bill: due day, day paid */
  gint32   max_paid_old;   /* latest payment day among the older bills */
  gint32   carry;          /* m³ used but not billed in the drop month, until billed */
} State;

static const double season[13] = {
  0, 0.90, 0.90, 0.95, 1.00, 1.03, 1.08, 1.18, 1.18, 1.08, 1.00, 0.95, 0.90,
};

/* The day account @account is read in relative month @month: its route's day, ±1. */
gint32
aq_sim_read_date (AqSim   *sim,
                  guint32  account,
                  int      month)
{
  const AqSimAccount *a = &sim->accounts[account];
  int m = sim->first_month + month;
  int dim = aq_days_in_month (aq_month_year (m), aq_month_month (m));
  guint64 h = aq_random_mix (sim->seed ^ ((guint64) account << 12 | (guint) month));
  int jitter = (int) (h % 3) - 1;
  int d = CLAMP (a->read_day + jitter, 1, dim);

  return aq_month_first_day (m) + d - 1;
}

static double
seasonal (const AqSimAccount *a,
          int                 calendar_month)
{
  if (a->key_kind == AQ_SIM_KEY_SCHOOL || a->key_kind == AQ_SIM_KEY_KINDERGARTEN)
    {
      /* holidays: summer and the spring festival */
      if (calendar_month == 7 || calendar_month == 8)
        return 0.45;
      if (calendar_month == 2)
        return 0.6;
      return 1.0;
    }
  return season[calendar_month];
}

static gint64
time_of_day (AqRandom *r,
             guint     channel)
{
  switch (channel)
    {
    case AQ_SIM_PAY_COUNTER: return 8 * 3600 + 1800 + aq_random_below (r, 9 * 3600);
    case AQ_SIM_PAY_BANK: return 3600 + aq_random_below (r, 4 * 3600);
    case AQ_SIM_PAY_OTHER: return 8 * 3600 + aq_random_below (r, 13 * 3600);
    default:
      /* phones: mostly evenings */
      return aq_random_chance (r, 0.6) ? 18 * 3600 + aq_random_below (r, 5 * 3600 + 1800)
                                       : 7 * 3600 + aq_random_below (r, 11 * 3600);
    }
}

/* When the bill created at @created is paid, or 0 if not by the end of the data. */
static gint64
payment_time (AqSim              *sim,
              guint32             i,
              const AqSimAccount *a,
              int                 k,
              gint64              created,
              guint              *channel,
              AqRandom           *r)
{
  double u = aq_random_double (r), lag;
  gint32 pay_day;
  gint64 t;

  *channel = aq_random_chance (r, 0.8) ? a->channel : aq_random_weighted (r, (const double[]) {
      0.05, 0.15, 0.45, 0.25, 0.06, 0.04 }, AQ_SIM_N_PAY);
  if (a->channel == AQ_SIM_PAY_BANK)
    *channel = AQ_SIM_PAY_BANK;

  if (a->anomaly == AQ_SIM_ANOMALY_MISSING_METER || a->anomaly == AQ_SIM_ANOMALY_DEMOLISHED)
    lag = aq_random_range (r, 3, 8);
  else if (a->payer == AQ_SIM_PAYER_CHRONIC && k >= a->chronic_from && k <= a->chronic_to)
    {
      /* nothing for a year or more, then everything at once */
      if (a->chronic_to + 1 >= (int) sim->n_months)
        return 0;
      pay_day = aq_sim_read_date (sim, i, a->chronic_to + 1) + aq_random_range (r, 3, 20);
      return aq_sim_day_seconds (pay_day) + time_of_day (r, *channel);
    }
  else if (a->payer == AQ_SIM_PAYER_SLOW)
    {
      int pay_k = k + 1;

      while ((pay_k + (int) i) % a->slow_period != 0)
        pay_k++;
      if (pay_k >= (int) sim->n_months)
        return 0;
      pay_day = aq_sim_read_date (sim, i, pay_k) + aq_random_range (r, 2, 12);
      return aq_sim_day_seconds (pay_day) + time_of_day (r, *channel);
    }
  else if (*channel == AQ_SIM_PAY_BANK)
    lag = aq_random_range (r, 2, 8);
  else if (u < 0.62)
    lag = aq_random_uniform (r, 0, 10);
  else if (u < 0.92)
    lag = aq_random_uniform (r, 10, 30);
  else if (u < 0.99)
    lag = fmin (30 + aq_random_exponential (r, 12), 90);
  else
    lag = aq_random_uniform (r, 90, 200);

  pay_day = aq_sim_seconds_day (created) + (gint32) lag;
  t = aq_sim_day_seconds (pay_day) + time_of_day (r, *channel);
  if (t <= created)
    t = created + 3600 + aq_random_below (r, 7200);
  return t;
}

static void
write_bill_row (AqCopyWriter *w,
                gint64        bill_no,
                const char   *acct,
                const char   *period,
                gint32        read_day,
                gint32        prev,
                gint32        curr,
                gboolean      curr_negative,
                const char   *status,
                gint32        qty,
                const gint32  tiers[3],
                gint64        water,
                gint64        sewage,
                gint32        due_day,
                gint64        created)
{
  aq_copy_writer_row (w, 16);
  aq_copy_writer_int64 (w, bill_no);
  aq_copy_writer_text (w, acct, 10);
  aq_copy_writer_text (w, period, 6);
  if (read_day == AQ_SIM_NEVER)
    aq_copy_writer_null (w);
  else
    aq_copy_writer_date (w, read_day);
  aq_copy_writer_int32 (w, prev);
  if (curr < 0)
    aq_copy_writer_null (w);
  else
    aq_copy_writer_int32 (w, curr_negative ? -curr : curr);
  aq_copy_writer_text (w, status, 2);
  aq_copy_writer_int32 (w, qty);
  aq_copy_writer_int32 (w, tiers[0]);
  aq_copy_writer_int32 (w, tiers[1]);
  aq_copy_writer_int32 (w, tiers[2]);
  aq_copy_writer_numeric (w, water, 2);
  aq_copy_writer_numeric (w, sewage, 2);
  aq_copy_writer_numeric (w, water + sewage, 2);
  aq_copy_writer_date (w, due_day);
  aq_copy_writer_timestamp (w, created);
}

/* One account's bill of relative month @k, written into the month's COPY. */
static void
bill_account (AqSim          *sim,
              AqCopyWriter   *w,
              guint32         i,
              int             k,
              State          *st,
              AqSimMonthBill *out,
              const char     *period)
{
  AqSimAccount *a = &sim->accounts[i];
  int cal = aq_month_month (sim->first_month + k);
  gboolean in_zero, in_special, dropped = FALSE, negative = FALSE;
  gboolean flat = a->cust_type != AQ_SIM_RES;
  double f = seasonal (a, cal), c, u_zero, u_status;
  gint32 read_day, prev, curr, qty, consumed, typical, tiers[3], zone_qty;
  gint64 water, sewage, created, written;
  const char *status;
  AqSimMeter *meter;
  char acct[12];
  AqRandom r;

  /* last month's bill becomes an "older" one for the arrears reminder */
  st->max_paid_old = MAX (st->max_paid_old, st->prev1_paid);
  memset (out, 0, sizeof *out);
  out->overdue = st->max_paid_old > aq_month_first_day (sim->first_month + k) + 19
                 || (st->prev1_due < aq_month_first_day (sim->first_month + k) + 19
                     && st->prev1_paid > aq_month_first_day (sim->first_month + k) + 19);
  st->prev1_due = AQ_SIM_NEVER;
  st->prev1_paid = 0;
  if (k < a->bill_from || k > a->bill_to)
    return;

  if (k == a->bill_from)
    {
      st->meter = a->first_meter;
      st->T = st->R = sim->meters[st->meter].initial_read;
    }
  meter = &sim->meters[st->meter];

  aq_random_init (&r, sim->seed, AQ_SIM_STREAM_BILL, (guint64) i << 12 | (guint) k);
  c = a->level * f * exp (a->sigma * aq_random_normal (&r));
  u_zero = aq_random_double (&r);
  u_status = aq_random_double (&r);
  typical = (gint32) floor (a->level * f + 0.5);
  read_day = aq_sim_read_date (sim, i, k);
  if (k == a->bill_to && a->close_day != AQ_SIM_NEVER)
    read_day = MIN (read_day, a->close_day);

  in_zero = (a->zero_from >= 0 && k >= a->zero_from && k <= a->zero_to)
            || (a->quiet_from >= 0 && k >= a->quiet_from);
  in_special = a->special_from >= 0 && k >= a->special_from && k <= a->special_to;

  if (in_special)
    {
      switch (a->anomaly)
        {
        case AQ_SIM_ANOMALY_NEVER_READ:
          status = "09";
          c = a->level * aq_random_uniform (&r, 2.5, 4.0);
          break;
        case AQ_SIM_ANOMALY_LARGE_NO_READS:
          status = k % 2 ? "09" : "02";
          break;
        case AQ_SIM_ANOMALY_STOPPED_ZERO:
          status = "03";
          break;
        case AQ_SIM_ANOMALY_READ_BACKWARDS:
          status = "00";
          break;
        default:
          status = "01";
          break;
        }
    }
  else if (in_zero)
    {
      status = "00";
      c = 0;
    }
  else
    {
      double zero_p = a->cust_type == AQ_SIM_RES ? 0.065
                      : a->cust_type == AQ_SIM_CONSTRUCTION ? 0.30
                      : a->key_kind != AQ_SIM_KEY_NONE ? 0 : 0.02;
      static const double res_cut[] = { 0.91, 0.94, 0.96, 0.975, 0.98 };
      static const double other_cut[] = { 0.93, 0.955, 0.965, 0.98, 0.985 };
      const double *cut = a->cust_type == AQ_SIM_RES ? res_cut : other_cut;
      static const char * const statuses[] = { "00", "01", "02", "03", "04", "09" };
      guint s = 0;
      gboolean must_read;

      if (u_zero < zero_p)
        c = 0;
      while (s < 5 && u_status >= cut[s])
        s++;
      status = statuses[s];

      /* readings the plan needs to be valid: before a planted stretch, at a meter change,
       * the first read after a never-read stretch */
      must_read = (a->zero_from >= 0 && k == a->zero_from - 1)
                  || (a->special_from >= 0 && k == a->special_from - 1)
                  || (a->anomaly == AQ_SIM_ANOMALY_NEVER_READ && k == a->special_to + 1)
                  || meter->change_month == k;
      if (must_read)
        {
          status = "00";
          if (c < 1 && a->anomaly != AQ_SIM_ANOMALY_NEVER_READ)
            c = MAX (1.0, typical);
        }
      /* an account's first bill in the data is read: two "not read" cycles from the start
       * and then a catch-up read would be a never-read spike nobody planted */
      if (k == MAX (a->bill_from, 0) && status[1] == '9')
        status = "00";
      if (meter->fault_day != AQ_SIM_NEVER
          && aq_month_of_day (meter->fault_day) == sim->first_month + k)
        status = "03";
      /* the sudden drop: the zone is not read this month, but for the reads the plan needs
       * (above, an account's first and last bill) and a meter that just stopped */
      if (k == sim->drop_month && sim->premises[a->premise].zone == sim->drop_zone
          && !must_read && k != MAX (a->bill_from, 0) && k != a->bill_to && status[1] != '3')
        {
          status = "09";
          dropped = TRUE;
          sim->drop_bills++;
        }
      if (status[1] == '4')
        c *= aq_random_uniform (&r, 3.0, 6.0);
    }

  consumed = (gint32) floor (c + 0.5);
  prev = st->R;
  curr = -1;
  qty = 0;
  switch (status[1])
    {
    case '0':
    case '4':
      st->T += consumed;
      if (in_special && a->anomaly == AQ_SIM_ANOMALY_READ_BACKWARDS)
        {
          /* the wrong reading is billed at 0 and becomes the next bill's previous reading:
           * the next read catches up */
          curr = MAX (st->R - a->spike_qty, 0);
          st->R = curr;
          break;
        }
      if (a->anomaly == AQ_SIM_ANOMALY_NEVER_READ && k == a->special_to + 1)
        {
          /* the first read carries all the unread months, and clearly so */
          gint32 floor_qty = (gint32) ceil (8.0 * a->level);

          if (st->T - st->R < floor_qty)
            st->T = st->R + floor_qty;
          a->spike_qty = st->T - st->R;
        }
      curr = st->T;
      qty = st->T - st->R;
      st->R = st->T;
      break;
    case '1':
      if (in_special)
        {
          /* no meter to read (it is gone, or the house is): the billing keeps estimating */
          qty = MAX (1, (gint32) floor (c + 0.5));
          st->T = st->R + qty;
        }
      else
        {
          st->T += consumed;
          qty = MIN (typical, st->T - st->R);
        }
      curr = st->R + qty;
      st->R = curr;
      /* planted dirt: the estimate's reading typed with a minus sign (the next bill starts
       * from the true one) */
      negative = !in_special && curr > 0 && aq_sim_dirt_pick_bill (sim, i, k);
      sim->dirt_rows[AQ_SIM_DIRT_NEGATIVE_READ] += negative;
      break;
    case '3':
      /* the meter stopped: it shows last month's reading and registers nothing */
      curr = st->R;
      /* billed at its usual month, at least 1 m³: a stopped meter billed at 0 is the planted
       * stopped_zero case, never an accident of a tiny usual month */
      qty = in_special && a->anomaly == AQ_SIM_ANOMALY_STOPPED_ZERO ? 0 : MAX (typical, 1);
      break;
    default:
      /* 02 no access, 09 not read: nothing billed, the register runs on */
      st->T += consumed;
      if (status[1] == '9')
        read_day = AQ_SIM_NEVER;
      break;
    }

  if (flat)
    {
      static const int prices[] = { 0, 185, 340, 1200, 450 };

      tiers[0] = qty;
      tiers[1] = tiers[2] = 0;
      water = (gint64) qty * prices[a->cust_type];
      sewage = (gint64) qty * 140;
    }
  else
    {
      tiers[0] = MIN (qty, 20);
      tiers[1] = MIN (MAX (qty - 20, 0), 15);
      tiers[2] = MAX (qty - 35, 0);
      water = (gint64) tiers[0] * 185 + (gint64) tiers[1] * 278 + (gint64) tiers[2] * 555;
      sewage = (gint64) qty * 95;
    }

  created = aq_sim_day_seconds ((read_day == AQ_SIM_NEVER ? aq_sim_read_date (sim, i, k)
                                                          : read_day) + aq_random_range (&r, 1, 2))
            + 2 * 3600 + aq_random_below (&r, 3 * 3600);
  out->billed = TRUE;
  out->qty = qty;
  out->amount = water + sewage;
  out->create_time = created;
  out->due_day = aq_sim_seconds_day (created) + 30;
  /* the late batch: the same bill, entered LATE_LOAD_DAYS later */
  written = created;
  if (k == sim->late_month && a->book == sim->late_book
      && sim->premises[a->premise].district == sim->late_district)
    {
      written += (gint64) LATE_LOAD_DAYS * 86400;
      sim->late_bills++;
    }

  aq_sim_format_acct_no (acct, i);
  /* w NULL: an earlier month's bill, there already when appending; the same draws */
  if (w)
    {
      write_bill_row (w, (gint64) (aq_month_year (sim->first_month + k) * 100 + cal)
                                   * 100000000 + i + 1,
                      acct, period, read_day, prev, curr, negative, status, qty, tiers, water,
                      sewage, out->due_day, written);
      aq_copy_writer_end_row (w);
    }
  if (aq_random_chance (&r, DUPLICATE_BILL_RATE) && w)
    {
      /* the extract's duplicate: the same row twice */
      write_bill_row (w, (gint64) (aq_month_year (sim->first_month + k) * 100 + cal)
                                   * 100000000 + i + 1,
                      acct, period, read_day, prev, curr, negative, status, qty, tiers, water,
                      sewage, out->due_day, written);
      aq_copy_writer_end_row (w);
    }
  /* the zone's volume for its inflow: what was used, so the drop month's skipped reads count
   * where the water flowed, not in the catch-up bill */
  zone_qty = qty;
  if (dropped)
    {
      zone_qty = consumed;
      st->carry += consumed;
    }
  else if (st->carry > 0)
    {
      gint32 caught = MIN (st->carry, qty);

      zone_qty -= caught;
      st->carry -= caught;
    }
  sim->zone_billed[(gsize) (sim->premises[a->premise].zone - sim->first_l3) * sim->n_months + k]
    += zone_qty;
  if (sim->premises[a->premise].zone == sim->drop_zone && sim->drop_month >= 0
      && (k == sim->drop_month || k == sim->drop_month - 1))
    sim->drop_qty[k - sim->drop_month + 1] += qty;

  /* the meter leaves after this reading */
  if (meter->change_month == k)
    {
      meter->final_read = st->T;
      st->meter++;
      st->T = st->R = 0;
    }
  else if (k == a->bill_to && meter->end_event == AQ_SIM_METER_END_REMOVE
           && a->anomaly == AQ_SIM_ANOMALY_NONE)
    meter->final_read = st->T;

  /* its payment */
  st->prev1_due = out->due_day;
  if (out->amount > 0)
    {
      guint channel;
      gint64 paid = payment_time (sim, i, a, k, created, &channel, &r);

      out->channel = (guint8) channel;
      if (paid > sim->now)
        paid = 0;
      out->pay_time = paid;
      st->prev1_paid = paid ? aq_sim_seconds_day (paid) : AQ_SIM_NEVER;
      if (paid && !a->waive_late_fees && aq_sim_seconds_day (paid) > out->due_day)
        out->late_fee = MIN (out->amount, (out->amount * 5 * (aq_sim_seconds_day (paid)
                                                              - out->due_day) + 5000) / 10000);
    }
}

static void
write_payment (AqCopyWriter         *w,
               AqSim                *sim,
               guint32               i,
               int                   k,
               const char           *period,
               const AqSimMonthBill *b)
{
  static const char * const channels[] = { "01", "02", "03", "04", "05", "09" };
  static const char * const operators[] = { NULL, "YH-DK", NULL, NULL, "WEB", "DS" };
  gint32 day = aq_sim_seconds_day (b->pay_time);
  char acct[12], op[8] = "G000";
  int y, m, d;

  gint64 pay_no;

  aq_day_to_civil (day, &y, &m, &d);
  pay_no = ((gint64) y * 10000 + m * 100 + d) * 1000000 + aq_sim_next_id (sim, sim->pay_seq, day);
  if (!aq_sim_new_row (sim, b->pay_time))
    return;
  aq_sim_format_acct_no (acct, i);
  aq_copy_writer_row (w, 8);
  aq_copy_writer_int64 (w, pay_no);
  aq_copy_writer_text (w, acct, 10);
  aq_copy_writer_text (w, period, 6);
  aq_copy_writer_timestamp (w, b->pay_time);
  aq_copy_writer_numeric (w, b->amount, 2);
  aq_copy_writer_numeric (w, b->late_fee, 2);
  aq_copy_writer_text (w, channels[b->channel], 2);
  if (b->channel == AQ_SIM_PAY_COUNTER)
    {
      guint teller = 1 + (i * 31u + (guint) k) % 40;

      op[1] = (char) ('0' + teller / 100);
      op[2] = (char) ('0' + teller / 10 % 10);
      op[3] = (char) ('0' + teller % 10);
      aq_copy_writer_text (w, op, 4);
    }
  else
    aq_copy_writer_text (w, operators[b->channel], -1);
  aq_copy_writer_end_row (w);
}

/* The late batch: the month before the last, the book of an account drawn from the seed
 * (the first billed in that month from there on), within that account's district. */
static void
plan_late_load (AqSim *sim)
{
  guint32 start;

  sim->late_month = -1;
  sim->late_bills = 0;
  if (sim->plan_months < 3 || sim->n_accounts == 0)
    return;
  start = (guint32) (aq_random_mix (sim->seed ^ G_GUINT64_CONSTANT (0x1a7e10ad))
                     % sim->n_accounts);
  for (guint32 n = 0; n < sim->n_accounts; n++)
    {
      const AqSimAccount *a = &sim->accounts[(start + n) % sim->n_accounts];
      int k = (int) sim->plan_months - 2;

      if (k >= a->bill_from && k <= a->bill_to)
        {
          sim->late_month = k;
          sim->late_book = a->book;
          sim->late_district = sim->premises[a->premise].district;
          return;
        }
    }
}

/* src_truth.late_load: the late batch as planted. */
static gboolean
write_late_load_truth (AqSim   *sim,
                       GError **error)
{
  g_autoptr(GString) book = g_string_new (aq_sim_district_abbrevs[sim->late_district]);
  AqCopyWriter *w;
  char period[8];

  if (!(w = aq_sim_copy (sim, AQ_SIM_LANE_BILLS, "src_truth.late_load (period, book_no, bills, "
                         "days_late)", error)))
    return FALSE;
  if (sim->late_month >= 0 && sim->late_month < (int) sim->n_months)
    {
      aq_sim_period_string (sim->first_month + sim->late_month, period);
      aq_sim_append_padded (book, sim->late_book + 1u, 4);
      aq_copy_writer_row (w, 4);
      aq_copy_writer_text (w, period, 6);
      aq_copy_writer_text (w, book->str, (gssize) book->len);
      aq_copy_writer_int32 (w, (gint32) sim->late_bills);
      aq_copy_writer_int32 (w, LATE_LOAD_DAYS);
      aq_copy_writer_end_row (w);
    }
  return aq_sim_copy_end (sim, w, "src_truth.late_load", error);
}

/* The sudden drop: the middle month, the level-3 zone with the most accounts billed then
 * (the first such zone on a tie). */
static void
plan_sudden_drop (AqSim *sim)
{
  guint n = sim->n_zones - sim->first_l3;
  g_autofree guint32 *billed = g_new0 (guint32, n);
  int k = (int) sim->n_months / 2;
  guint best = 0;

  sim->drop_month = -1;
  sim->drop_bills = 0;
  sim->drop_qty[0] = sim->drop_qty[1] = 0;
  if (!sim->sudden_drop || sim->n_months < 3 || n == 0)
    return;
  for (guint32 i = 0; i < sim->n_accounts; i++)
    {
      const AqSimAccount *a = &sim->accounts[i];

      if (k >= a->bill_from && k <= a->bill_to)
        billed[sim->premises[a->premise].zone - sim->first_l3]++;
    }
  for (guint z = 1; z < n; z++)
    if (billed[z] > billed[best])
      best = z;
  if (billed[best] == 0)
    return;
  sim->drop_month = k;
  sim->drop_zone = sim->first_l3 + best;
}

/* src_truth.volume_drop: the drop as planted; the table exists only when one was. */
static gboolean
write_volume_drop_truth (AqSim   *sim,
                         GError **error)
{
  AqCopyWriter *w;
  char period[8];

  if (sim->drop_month < 0)
    return TRUE;
  /* appending: the demo has the table already (a drop is planted by the same rule, the
   * number of accounts), rewritten like late_load's; a CREATE TABLE in a lane would wait on
   * the other lanes' TRUNCATEs of the schema */
  if (!sim->append)
    aq_sim_exec (sim, AQ_SIM_LANE_BILLS, "CREATE TABLE src_truth.volume_drop ("
                 "period char(6) NOT NULL, zone_code varchar(12) NOT NULL, "
                 "bills_not_read integer NOT NULL, qty bigint NOT NULL, "
                 "qty_before bigint NOT NULL, PRIMARY KEY (period, zone_code))");
  if (!(w = aq_sim_copy (sim, AQ_SIM_LANE_BILLS, "src_truth.volume_drop (period, zone_code, "
                         "bills_not_read, qty, qty_before)", error)))
    return FALSE;
  aq_sim_period_string (sim->first_month + sim->drop_month, period);
  aq_copy_writer_row (w, 5);
  aq_copy_writer_text (w, period, 6);
  aq_copy_writer_text (w, sim->zones[sim->drop_zone].code, -1);
  aq_copy_writer_int32 (w, (gint32) sim->drop_bills);
  aq_copy_writer_int64 (w, sim->drop_qty[1]);
  aq_copy_writer_int64 (w, sim->drop_qty[0]);
  aq_copy_writer_end_row (w);
  return aq_sim_copy_end (sim, w, "src_truth.volume_drop", error);
}

/**
 * aq_sim_billing_write:
 *
 * Writes one src_billing.bill_YYYYMM table per month with, at the same time on the other
 * lanes, the payments of its bills and the month's SMS; sums the billed volume per level-3
 * zone for the DMA inflows.
 */
gboolean
aq_sim_billing_write (AqSim   *sim,
                      GError **error)
{
  g_autofree State *state = g_new0 (State, sim->n_accounts);
  g_autoptr(GString) text = g_string_sized_new (512);
  g_autoptr(GString) mobile = g_string_sized_new (32);

  sim->zone_billed = g_new0 (gint64, (gsize) (sim->n_zones - sim->first_l3) * sim->n_months);
  for (guint32 i = 0; i < sim->n_accounts; i++)
    state[i].prev1_due = AQ_SIM_NEVER;
  plan_late_load (sim);
  plan_sudden_drop (sim);

  for (guint k = 0; k < sim->n_months; k++)
    {
      char period[8], table[40], target[300], message[64];
      g_autofree char *create = NULL;
      AqCopyWriter *bw = NULL, *pw, *mw;
      gboolean new_month = !sim->append || (int) k > sim->since_month;
      AqSimSmsCtx sms = { sim, NULL, text, mobile, (int) k };

      aq_sim_period_string (sim->first_month + (int) k, period);
      memcpy (table, "src_billing.bill_", 17);
      memcpy (table + 17, period, 7);
      g_snprintf (message, sizeof message, "Billing %.4s-%.2s", period, period + 4);
      aq_sim_progress (sim, (double) k / sim->n_months, message);

      create = g_strconcat ("CREATE TABLE ", table, " (LIKE src_billing.bill_template)", NULL);
      if (!sim->append)
        aq_sim_exec (sim, AQ_SIM_LANE_BILLS, create);    /* appending, made already */
      g_snprintf (target, sizeof target, "%s (bill_no, acct_no, period, read_date, prev_read, "
                  "curr_read, read_status, qty, tier1_qty, tier2_qty, tier3_qty, water_fee, "
                  "sewage_fee, amount, due_date, create_time)", table);
      if ((new_month && !(bw = aq_sim_copy (sim, AQ_SIM_LANE_BILLS, target, error)))
          || !(pw = aq_sim_copy (sim, AQ_SIM_LANE_PAYMENTS, "src_billing.payment (pay_no, "
                                 "acct_no, period, pay_time, amount, late_fee, channel, operator)",
                                 error))
          || !(mw = aq_sim_copy (sim, AQ_SIM_LANE_MESSAGES, "src_sms.sms_log (msg_id, mobile, "
                                 "acct_no, template, batch_no, params, submit_time, status)",
                                 error)))
        return FALSE;
      sms.writer = mw;
      for (guint32 i = 0; i < sim->n_accounts; i++)
        {
          AqSimMonthBill bill;

          if ((i & 0xffff) == 0xffff && !aq_sim_check_cancelled (sim, NULL))
            break;

          bill_account (sim, bw, i, (int) k, &state[i], &bill, period);
          if (bill.billed && bill.pay_time != 0)
            write_payment (pw, sim, i, (int) k, period, &bill);
          aq_sim_sms_account_notices (&sms, i, &bill);
        }
      aq_sim_sms_outage_notices (&sms);
      if ((bw && !aq_sim_copy_end (sim, bw, table, error))
          || !aq_sim_copy_end (sim, pw, "src_billing.payment", error)
          || !aq_sim_copy_end (sim, mw, "src_sms.sms_log", error))
        return FALSE;
    }
  return write_late_load_truth (sim, error) && write_volume_drop_truth (sim, error);
}
