/* aq-simulator-sms.c — 短信: what the SMS platform logged
 *
 * Bill notices to every account with a mobile on file, arrears reminders, bank-debit receipts,
 * outage notices to the accounts inside an outage's polygon, and the odd general notice. A
 * stale number (10 % of mobiles) mostly comes back undelivered, as the real platform's does.
 *
 * Like a real SMS platform (and its bill: a template is approved once, a message names it and
 * its parameters), the log holds a message's template code and parameters, not its text:
 * src_sms.sms_template has each template's body, src_sms.sms_text renders a message. The text
 * was most of the log's bytes at 1 M accounts × 60 months (≈ 170 of ≈ 265 a row).
 */
#define G_LOG_DOMAIN "aq-simulator"

#include "aq-simulator-private.h"

#include <string.h>

/* The next parameter of a message: '|' before every one but the first. */
static void
param (GString *t)
{
  if (t->len > 0)
    g_string_append_c (t, '|');
}

static const char *
delivery (AqRandom            *r,
          const AqSimCustomer *c)
{
  double u = aq_random_double (r);

  if (c->flags & AQ_SIM_CUST_STALE)
    return u < 0.35 ? "UNDELIV" : u < 0.45 ? "EXPIRED" : "DELIVRD";
  return u < 0.965 ? "DELIVRD" : u < 0.985 ? "UNDELIV" : u < 0.995 ? "EXPIRED" : "REJECTD";
}

static void
sms_row (AqSimSmsCtx        *ctx,
         guint32     account,
         const char *template,
         const char *batch,
         gint64      submit,
         AqRandom   *r)
{
  AqSim *sim = ctx->sim;
  AqCopyWriter *w = ctx->writer;
  const AqSimCustomer *c = &sim->customers[sim->accounts[account].customer];
  gint32 day = aq_sim_seconds_day (submit);
  gboolean plus = aq_random_chance (r, 0.05);
  gint64 msg_id;
  char acct[12];
  int y, m, d;

  aq_day_to_civil (day, &y, &m, &d);
  msg_id = ((gint64) y * 10000 + m * 100 + d) * 10000000 + aq_sim_next_id (sim, sim->sms_seq, day);
  if (!aq_sim_new_row (sim, submit))
    {
      /* after the extract, or there already: the same draws as when written */
      delivery (r, c);
      return;
    }
  g_string_truncate (ctx->mobile, 0);
  if (plus)
    g_string_append (ctx->mobile, "+86");
  aq_sim_append_uint (ctx->mobile, c->mobile);
  aq_sim_format_acct_no (acct, account);
  aq_copy_writer_row (w, 8);
  aq_copy_writer_int64 (w, msg_id);
  aq_copy_writer_text (w, ctx->mobile->str, (gssize) ctx->mobile->len);
  aq_copy_writer_text (w, acct, 10);
  aq_copy_writer_text (w, template, -1);
  aq_copy_writer_text (w, batch, -1);
  if (ctx->text->len > 0)
    aq_copy_writer_text (w, ctx->text->str, (gssize) ctx->text->len);
  else
    aq_copy_writer_null (w);
  aq_copy_writer_timestamp (w, submit);
  aq_copy_writer_text (w, delivery (r, c), -1);
  aq_copy_writer_end_row (w);
}

static void
batch_name (char       *buf,
            const char *prefix,
            gint32      day)
{
  int y, m, d;
  gsize n = strlen (prefix);

  aq_day_to_civil (day, &y, &m, &d);
  memcpy (buf, prefix, n);
  buf[n + 0] = (char) ('0' + y / 1000 % 10);
  buf[n + 1] = (char) ('0' + y / 100 % 10);
  buf[n + 2] = (char) ('0' + y / 10 % 10);
  buf[n + 3] = (char) ('0' + y % 10);
  buf[n + 4] = (char) ('0' + m / 10);
  buf[n + 5] = (char) ('0' + m % 10);
  buf[n + 6] = (char) ('0' + d / 10);
  buf[n + 7] = (char) ('0' + d % 10);
  buf[n + 8] = '\0';
}

static void
append_month_day (GString *s,
                  gint32   day)
{
  int y, m, d;

  aq_day_to_civil (day, &y, &m, &d);
  aq_sim_append_uint (s, (guint64) m);
  g_string_append (s, "月");
  aq_sim_append_uint (s, (guint64) d);
  g_string_append (s, "日");
}

/* The notices about account @i this month: its bill, an overdue reminder, a bank-debit
 * receipt, now and then a general notice. */
void
aq_sim_sms_account_notices (AqSimSmsCtx          *ctx,
                            guint32               i,
                            const AqSimMonthBill *b)
{
  AqSim *sim = ctx->sim;
  const AqSimAccount *a = &sim->accounts[i];
  const AqSimCustomer *c = &sim->customers[a->customer];
  GString *t = ctx->text;
  char batch[24];
  AqRandom r;

  if (c->mobile == 0)
    return;
  aq_random_init (&r, sim->seed, AQ_SIM_STREAM_SMS, (guint64) i << 12 | (guint) ctx->month);

  if (b->billed && b->amount > 0)
    {
      gint64 submit = aq_sim_day_seconds (aq_sim_seconds_day (b->create_time) + 1)
                      + 9 * 3600 + aq_random_below (&r, 3 * 3600);

      if (submit <= sim->now)
        {
          g_string_truncate (t, 0);
          aq_sim_append_acct_no (t, i);
          param (t);
          aq_sim_append_uint (t, (guint64) aq_month_year (sim->first_month + ctx->month));
          param (t);
          aq_sim_append_uint (t, (guint64) aq_month_month (sim->first_month + ctx->month));
          param (t);
          aq_sim_append_uint (t, (guint64) b->qty);
          param (t);
          aq_sim_append_money (t, b->amount);
          param (t);
          append_month_day (t, b->due_day);
          batch_name (batch, "BILL", aq_sim_seconds_day (submit));
          sms_row (ctx, i, "BILL", batch, submit, &r);
        }
    }

  if (b->overdue && a->status != 3)
    {
      gint64 submit = aq_sim_day_seconds (aq_month_first_day (sim->first_month + ctx->month) + 19)
                      + 10 * 3600 + aq_random_below (&r, 3600);

      if (submit <= sim->now)
        {
          g_string_truncate (t, 0);
          aq_sim_append_acct_no (t, i);
          batch_name (batch, "ARRS", aq_sim_seconds_day (submit));
          sms_row (ctx, i, "ARRS", batch, submit, &r);
        }
    }

  if (b->billed && b->pay_time != 0 && b->channel == AQ_SIM_PAY_BANK)
    {
      g_string_truncate (t, 0);
      aq_sim_append_acct_no (t, i);
      param (t);
      aq_sim_append_money (t, b->amount);
      sms_row (ctx, i, "PAYOK", NULL, aq_sim_min (b->pay_time + 60 + aq_random_below (&r, 600),
                                           sim->now), &r);
    }

  if (aq_random_chance (&r, 0.004))
    {
      gint64 submit = aq_sim_day_seconds (aq_month_first_day (sim->first_month + ctx->month) + 9)
                      + 15 * 3600;

      g_string_truncate (t, 0);  /* a fixed text: no parameters */
      batch_name (batch, "OTHR", aq_sim_seconds_day (submit));
      if (submit <= sim->now)
        sms_row (ctx, i, "OTHR", batch, submit, &r);
    }
}

static void
outage_notices (AqSimSmsCtx *ctx,
                guint        o)
{
  AqSim *sim = ctx->sim;
  const AqSimOutage *out = &sim->outages[o];
  const AqSimPremise *center = &sim->premises[out->center_premise];
  GString *t = ctx->text;
  char batch[24];
  gint64 notice = out->kind == 'P' ? out->start - 36 * 3600 : out->start + 30 * 60;

  if (notice > sim->now || aq_month_of_day (aq_sim_seconds_day (notice))
                           != sim->first_month + ctx->month)
    return;
  if (strcmp (out->status, "CAN") == 0)
    return;

  g_string_truncate (t, 0);
  g_string_append (t, out->kind == 'P' ? "施工" : "突发故障抢修");
  param (t);
  append_month_day (t, aq_sim_seconds_day (out->start));
  aq_sim_append_time (t, out->start);
  param (t);
  append_month_day (t, aq_sim_seconds_day (out->end));
  aq_sim_append_time (t, out->end);
  param (t);
  g_string_append (t, sim->lines[center->line].name);
  if (center->community != AQ_SIM_NONE)
    g_string_append (t, sim->communities[center->community].name);
  param (t);
  g_string_append (t, out->kind == 'P' ? "停水，请提前做好储水准备"
                                       : "暂停供水，我司正全力抢修，敬请谅解");
  {
    g_autoptr(GString) b = g_string_new ("OUTG");

    aq_sim_append_padded (b, o + 1, 6);
    memcpy (batch, b->str, b->len + 1);
  }
  for (guint j = 0; j < out->n_affected; j++)
    {
      guint32 i = sim->outage_accounts[out->first_affected + j];
      AqRandom r;

      if (sim->customers[sim->accounts[i].customer].mobile == 0)
        continue;
      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_SMS, AQ_SIM_SUB ((guint64) o << 24 | i, 7));
      sms_row (ctx, i, "OUTG", batch, notice + aq_random_below (&r, 900), &r);
    }
}

/* The notices of the outages announced (planned) or under way (emergency) this month. */
void
aq_sim_sms_outage_notices (AqSimSmsCtx *ctx)
{
  for (guint o = 0; o < ctx->sim->n_outages; o++)
    outage_notices (ctx, o);
}
