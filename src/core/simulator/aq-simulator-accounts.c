/* aq-simulator-accounts.c — customers, accounts and their lives; installation applications
 *
 * An account's whole life is planned before a single bill is written: when it opened (from a
 * connected installation application for the young ones), what it is, where it is, who owns
 * it, how much it uses, how it pays, whether it falls vacant, closes, or carries one of the
 * planted anomalies. The billing then only plays the plan month by month.
 *
 * Account numbers follow opening order, as a billing system hands them out: the oldest
 * accounts come first, those created by applications during the simulated span last.
 */
#define G_LOG_DOMAIN "aq-simulator"

#include "aq-simulator-private.h"
#include "aq-simulator-accounts-private.h"

#include <math.h>
#include <string.h>

#define ANOMALY_RATE     3e-4    /* of accounts, for each kind but zero streaks */
#define ZERO_STREAK_RATE 0.005   /* of active accounts */

/* ---- small helpers ---- */

void
aq_sim_format_acct_no (char    *buf,
                       guint32  account)
{
  guint32 v = account + 1;

  buf[0] = '3';
  buf[1] = '5';
  for (int i = 9; i >= 2; i--)
    {
      buf[i] = (char) ('0' + v % 10);
      v /= 10;
    }
  buf[10] = '\0';
}

void
aq_sim_append_acct_no (GString *out,
                       guint32  account)
{
  char buf[12];

  aq_sim_format_acct_no (buf, account);
  g_string_append_len (out, buf, 10);
}

void
format_cust_no (char    *buf,
                guint32  customer)
{
  guint32 v = customer + 1;

  buf[0] = '2';
  for (int i = 7; i >= 1; i--)
    {
      buf[i] = (char) ('0' + v % 10);
      v /= 10;
    }
  buf[8] = '\0';
}

gboolean
aq_sim_account_active (const AqSimAccount *a,
                       gint32              day)
{
  return a->open_day <= day && day < a->close_day;
}

static int
relative_month (AqSim  *sim,
                gint32  day)
{
  return aq_month_of_day (day) - sim->first_month;
}

static gint32
uniform_day (AqRandom *r,
             gint32    from,
             gint32    to)
{
  if (to <= from)
    return from;
  return from + (gint32) aq_random_below (r, (guint32) (to - from + 1));
}

/* ---- installation applications ---- */

static const guint16 res_sizes[] = { 15, 15, 15, 15, 15, 15, 20, 20, 25 };
static const guint16 nonres_sizes[] = { 20, 25, 25, 40, 50, 50, 80, 100 };

static int
compare_apps (gconstpointer a,
              gconstpointer b)
{
  const AqSimApp *x = a, *y = b;

  if (x->apply_day != y->apply_day)
    return x->apply_day < y->apply_day ? -1 : 1;
  return x->number < y->number ? -1 : x->number > y->number;
}

static void
build_apps (AqSim *sim)
{
  guint n = MAX (10u, (guint) floor (0.025 * sim->n_accounts * (sim->n_months + 6) / 12.0 + 0.5));
  int year = -1;
  guint32 seq = 0;

  sim->n_apps = n;
  sim->apps = g_new0 (AqSimApp, n);
  for (guint j = 0; j < n; j++)
    {
      AqSimApp *app = &sim->apps[j];
      AqRandom r;
      double u;
      gint32 d;

      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_APP, j);
      app->apply_day = uniform_day (&r, sim->first_day - 183, sim->now_day);
      u = aq_random_double (&r);
      app->app_type = u < 0.85 ? 0 : u < 0.93 ? 1 : 2;
      u = aq_random_double (&r);
      if (app->app_type == 0)
        app->cust_type = u < 0.88 ? AQ_SIM_RES : u < 0.95 ? AQ_SIM_NONRES
                         : u < 0.99 ? AQ_SIM_CONSTRUCTION : AQ_SIM_SPECIAL;
      else
        app->cust_type = u < 0.4 ? AQ_SIM_RES : AQ_SIM_NONRES;
      switch (app->cust_type)
        {
        case AQ_SIM_RES: app->size_dn = aq_random_pick (&r, res_sizes); break;
        case AQ_SIM_CONSTRUCTION: app->size_dn = aq_random_chance (&r, 0.6) ? 50 : 80; break;
        case AQ_SIM_SPECIAL: app->size_dn = aq_random_chance (&r, 0.5) ? 25 : 40; break;
        default: app->size_dn = aq_random_pick (&r, nonres_sizes); break;
        }
      d = app->apply_day;
      app->step_day[0] = d;
      d += aq_random_range (&r, 2, 10);
      app->step_day[1] = d;
      d += aq_random_range (&r, 5, 20);
      app->step_day[2] = d;
      d += app->cust_type == AQ_SIM_CONSTRUCTION ? aq_random_range (&r, 15, 60)
                                                 : aq_random_range (&r, 10, 45);
      app->step_day[3] = d;
      d += aq_random_range (&r, 2, 10);
      app->step_day[4] = d;
      app->cancel_day = AQ_SIM_NEVER;
      if (aq_random_chance (&r, 0.10))
        {
          guint after = aq_random_below (&r, 4);

          app->cancel_day = app->step_day[after] + aq_random_range (&r, 3, 30);
          for (guint s = after + 1; s < 5; s++)
            app->step_day[s] = AQ_SIM_NEVER;
        }
      app->n_steps = 0;
      for (guint s = 0; s < 5; s++)
        if (app->step_day[s] <= sim->now_day)
          app->n_steps = (guint8) (s + 1);
      app->account = AQ_SIM_NONE;
      app->number = j;        /* a tie-breaker until numbered */
    }

  /* numbered by application date within each year, as the 报装 system does */
  qsort (sim->apps, n, sizeof *sim->apps, compare_apps);
  for (guint j = 0; j < n; j++)
    {
      int y, m, dd;

      aq_day_to_civil (sim->apps[j].apply_day, &y, &m, &dd);
      if (y != year)
        {
          year = y;
          seq = 0;
        }
      sim->apps[j].number = ++seq;
    }
}

typedef struct
{
  gint32  day;
  guint32 app;
} DayIndex;

static int
compare_day_index (gconstpointer a,
                   gconstpointer b)
{
  const DayIndex *x = a, *y = b;

  if (x->day != y->day)
    return x->day < y->day ? -1 : 1;
  return x->app < y->app ? -1 : x->app > y->app;
}

/* ---- accounts ---- */

static void
draw_type (AqRandom *r,
           AqSimAccount *a,
           AqSim    *sim)
{
  double u = aq_random_double (r);

  if (u < 0.9335)
    a->cust_type = AQ_SIM_RES;
  else if (u < 0.9965)
    a->cust_type = AQ_SIM_NONRES;
  else if (u < 0.9995 || a->open_day <= sim->first_day - 900)
    a->cust_type = AQ_SIM_SPECIAL;
  else
    a->cust_type = AQ_SIM_CONSTRUCTION;
}

static void
build_accounts (AqSim *sim)
{
  guint A = sim->n_accounts;
  g_autofree DayIndex *connected = g_new (DayIndex, sim->n_apps);
  guint k = 0, n_old;
  gint32 origin = aq_day_from_civil (1992, 1, 1);
  gint32 old_end = sim->first_day - 60;

  for (guint j = 0; j < sim->n_apps; j++)
    {
      const AqSimApp *app = &sim->apps[j];

      if (app->app_type == 0 && app->cancel_day == AQ_SIM_NEVER
          && app->step_day[4] <= sim->now_day - 2)
        {
          connected[k].day = app->step_day[4];
          connected[k].app = j;
          k++;
        }
    }
  qsort (connected, k, sizeof *connected, compare_day_index);
  k = MIN (k, A / 2);
  n_old = A - k;

  sim->accounts = g_new0 (AqSimAccount, A);
  for (guint i = 0; i < A; i++)
    {
      AqSimAccount *a = &sim->accounts[i];
      AqRandom r;
      double u;

      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_ACCOUNT, i);
      a->close_day = AQ_SIM_NEVER;
      a->event_day = AQ_SIM_NEVER;
      a->zero_from = a->zero_to = a->quiet_from = -1;
      a->special_from = a->special_to = -1;
      a->chronic_from = a->chronic_to = -1;
      a->status = 1;
      if (i < n_old)
        {
          /* the city grew: more accounts opened in recent years than in the nineties */
          double t = (i + aq_random_double (&r)) / n_old;

          a->open_day = origin + (gint32) ((old_end - origin) * pow (t, 0.75));
          draw_type (&r, a, sim);
        }
      else
        {
          AqSimApp *app = &sim->apps[connected[i - n_old].app];

          a->open_day = aq_sim_min (app->step_day[4] + aq_random_range (&r, 1, 7),
                                    sim->now_day - 1);
          a->cust_type = app->cust_type;
          app->account = i;
        }

      u = aq_random_double (&r);
      if (a->cust_type == AQ_SIM_CONSTRUCTION)
        {
          gint32 close = a->open_day + (gint32) (aq_random_range (&r, 6, 30) * 30.44);

          if (close < sim->now_day)
            a->close_day = close;
        }
      else if (i < n_old && u < 0.03 && a->open_day + 365 < sim->first_day - 1)
        a->close_day = uniform_day (&r, a->open_day + 365, sim->first_day - 1);
      else if (i < n_old && u < 0.06)
        a->close_day = uniform_day (&r, sim->first_day + 20, sim->now_day - 10);
      else if (i >= n_old && u < 0.01 && a->open_day + 60 < sim->now_day - 10)
        a->close_day = uniform_day (&r, a->open_day + 60, sim->now_day - 10);
    }

}

static gboolean
is_open_at_end (const AqSimAccount *a)
{
  return a->close_day == AQ_SIM_NEVER;
}

/* Vacant and suspended accounts: the natural zero streaks the mining lists must exclude. */
static void
draw_statuses (AqSim *sim)
{
  for (guint i = 0; i < sim->n_accounts; i++)
    {
      AqSimAccount *a = &sim->accounts[i];
      AqRandom r;
      double u;

      if (!is_open_at_end (a))
        {
          a->status = 3;
          continue;
        }
      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_ACCOUNT, AQ_SIM_SUB (i, 1));
      u = aq_random_double (&r);
      if (a->cust_type == AQ_SIM_RES && u < 0.02)
        {
          a->status = 4;
          a->quiet_from = (gint16) aq_sim_max (0, aq_random_range (&r, -30,
                                                                   (int) sim->n_months - 4));
        }
      else if (u < 0.03 && a->cust_type != AQ_SIM_CONSTRUCTION)
        {
          a->status = 2;
          a->quiet_from = (gint16) aq_sim_max (0, aq_random_range (&r, (int) sim->n_months - 18,
                                                            (int) sim->n_months - 2));
        }
    }
}

/* Key customers are existing non-residential accounts, in DOMAIN.md's numbers scaled. */
static void
pick_key_customers (AqSim *sim)
{
  static const double per_million[AQ_SIM_N_KEYS] = { 0, 120, 700, 900, 600, 500 };
  g_autofree guint32 *candidates = g_new (guint32, sim->n_accounts);
  guint n = 0, next = 0;
  AqRandom r;

  for (guint i = 0; i < sim->n_accounts; i++)
    {
      const AqSimAccount *a = &sim->accounts[i];

      if (a->cust_type == AQ_SIM_NONRES && a->status == 1 && a->open_day < sim->first_day)
        candidates[n++] = i;
    }
  aq_random_init (&r, sim->seed, AQ_SIM_STREAM_ASSIGN, 1);
  aq_random_shuffle (&r, candidates, n);
  for (guint kind = AQ_SIM_KEY_HOSPITAL; kind < AQ_SIM_N_KEYS; kind++)
    {
      guint want = MAX (3u, (guint) floor (per_million[kind] * sim->scale + 0.5));

      for (guint j = 0; j < want && next < n; j++)
        sim->accounts[candidates[next++]].key_kind = (guint8) kind;
    }
}

/* Non-residential accounts and a few houses (散户) take the stand-alone premises, the rest
 * the flats, each list in a shuffled order. */
static void
assign_premises (AqSim *sim)
{
  guint n_sa = sim->n_premises - sim->n_flats;
  g_autofree guint32 *flats = g_new (guint32, MAX (sim->n_flats, 1u));
  g_autofree guint32 *standalone = g_new (guint32, MAX (n_sa, 1u));
  guint next_flat = 0, next_sa = 0;
  AqRandom r;

  for (guint i = 0; i < sim->n_flats; i++)
    flats[i] = i;
  for (guint i = 0; i < n_sa; i++)
    standalone[i] = sim->n_flats + i;
  aq_random_init (&r, sim->seed, AQ_SIM_STREAM_ASSIGN, 2);
  aq_random_shuffle (&r, flats, sim->n_flats);
  aq_random_shuffle (&r, standalone, n_sa);

  for (guint i = 0; i < sim->n_accounts; i++)
    {
      AqSimAccount *a = &sim->accounts[i];
      AqRandom ar;
      gboolean want_sa;
      guint32 p;

      aq_random_init (&ar, sim->seed, AQ_SIM_STREAM_ASSIGN, (guint64) i + 16);
      want_sa = a->cust_type != AQ_SIM_RES || aq_random_chance (&ar, 0.04);
      if ((want_sa && next_sa < n_sa) || next_flat >= sim->n_flats)
        p = next_sa < n_sa ? standalone[next_sa++] : aq_random_below (&ar, sim->n_premises);
      else
        p = flats[next_flat++];
      a->premise = p;
      if (sim->premises[p].account == AQ_SIM_NONE)
        sim->premises[p].account = i;
    }
}

/* Old communities and some stand-alone premises were pulled down (拆迁); their accounts were
 * closed when that happened. */
static void
demolish (AqSim *sim)
{
  guint64 target = (guint64) (0.025 * sim->n_premises), done = 0;
  g_autofree guint32 *order = g_new (guint32, MAX (sim->n_communities, 1u));
  gint32 earliest = aq_day_from_civil (2016, 1, 1);
  AqRandom r;

  for (guint i = 0; i < sim->n_communities; i++)
    order[i] = i;
  aq_random_init (&r, sim->seed, AQ_SIM_STREAM_DEMOLISH, 0);
  aq_random_shuffle (&r, order, sim->n_communities);

  for (guint k = 0; k < sim->n_communities && done < target * 6 / 10; k++)
    {
      AqSimCommunity *cm = &sim->communities[order[k]];
      gint32 latest_open = 0, day;
      gboolean ok = cm->build_year < 2000 && cm->n_premises <= target;

      for (guint32 p = cm->first_premise; ok && p < cm->first_premise + cm->n_premises; p++)
        {
          guint32 acc = sim->premises[p].account;

          if (acc == AQ_SIM_NONE)
            continue;
          if (sim->accounts[acc].key_kind != AQ_SIM_KEY_NONE)
            ok = FALSE;
          latest_open = MAX (latest_open, sim->accounts[acc].open_day);
        }
      if (!ok)
        continue;
      day = uniform_day (&r, MAX (earliest, latest_open + 365), sim->now_day - 60);
      if (day > sim->now_day - 60)
        continue;
      for (guint32 p = cm->first_premise; p < cm->first_premise + cm->n_premises; p++)
        sim->premises[p].demolished_day = day;
      done += cm->n_premises;
    }

  for (guint32 p = sim->n_flats; p < sim->n_premises && done < target; p++)
    {
      AqSimPremise *pr = &sim->premises[p];
      AqRandom pr_r;
      gint32 day;

      aq_random_init (&pr_r, sim->seed, AQ_SIM_STREAM_DEMOLISH, (guint64) p + 1);
      if (!aq_random_chance (&pr_r, 0.25))
        continue;
      if (pr->account != AQ_SIM_NONE && sim->accounts[pr->account].key_kind != AQ_SIM_KEY_NONE)
        continue;
      day = uniform_day (&pr_r, earliest, sim->now_day - 60);
      if (pr->account != AQ_SIM_NONE && sim->accounts[pr->account].open_day + 365 > day)
        continue;
      pr->demolished_day = day;
      done++;
    }

  /* every account on a demolished premise closes (several may share one) */
  for (guint i = 0; i < sim->n_accounts; i++)
    {
      AqSimAccount *a = &sim->accounts[i];
      gint32 day = sim->premises[a->premise].demolished_day;
      AqRandom ar;

      if (day == AQ_SIM_NEVER)
        continue;
      aq_random_init (&ar, sim->seed, AQ_SIM_STREAM_DEMOLISH, AQ_SIM_SUB (i, 1));
      if (a->open_day >= day)
        a->open_day = day - 400 - aq_random_range (&ar, 0, 2000);
      day = aq_sim_min (day + aq_random_range (&ar, 0, 60), sim->now_day - 1);
      if (a->close_day > day)
        a->close_day = day;
      a->status = 3;
      a->quiet_from = -1;
    }
}

/* ---- consumption, meter size, paying habits ---- */

static guint16
draw_size (AqRandom *r,
           const AqSimAccount *a)
{
  static const guint16 res[] = { 15, 20, 25 };
  static const double res_w[] = { 0.85, 0.12, 0.03 };
  static const guint16 nonres[] = { 20, 25, 40, 50, 80, 100, 150, 200, 300 };
  static const double nonres_w[] = { 0.25, 0.25, 0.15, 0.15, 0.08, 0.07, 0.03, 0.015, 0.005 };

  switch (a->key_kind)
    {
    case AQ_SIM_KEY_HOSPITAL: return aq_random_chance (r, 0.5) ? 100 : 150;
    case AQ_SIM_KEY_SCHOOL: return aq_random_chance (r, 0.6) ? 50 : 80;
    case AQ_SIM_KEY_KINDERGARTEN: return aq_random_chance (r, 0.6) ? 25 : 40;
    case AQ_SIM_KEY_HOTEL: return aq_random_chance (r, 0.5) ? 80 : 100;
    case AQ_SIM_KEY_LARGE: return aq_random_pick (r, ((const guint16[]) { 100, 150, 200, 300 }));
    default: break;
    }
  switch (a->cust_type)
    {
    case AQ_SIM_RES: return res[aq_random_weighted (r, res_w, 3)];
    case AQ_SIM_SPECIAL: return aq_random_chance (r, 0.5) ? 25 : 40;
    case AQ_SIM_CONSTRUCTION: return aq_random_chance (r, 0.5) ? 50 : 80;
    default: return nonres[aq_random_weighted (r, nonres_w, G_N_ELEMENTS (nonres))];
    }
}

static void
draw_level (AqRandom     *r,
            AqSimAccount *a)
{
  double level, sigma;

  switch (a->key_kind)
    {
    case AQ_SIM_KEY_HOSPITAL: level = aq_random_lognormal (r, 3000, 0.5); sigma = 0.10; break;
    case AQ_SIM_KEY_SCHOOL: level = aq_random_lognormal (r, 800, 0.6); sigma = 0.15; break;
    case AQ_SIM_KEY_KINDERGARTEN: level = aq_random_lognormal (r, 120, 0.5); sigma = 0.2; break;
    case AQ_SIM_KEY_HOTEL: level = aq_random_lognormal (r, 1500, 0.6); sigma = 0.15; break;
    case AQ_SIM_KEY_LARGE: level = exp (aq_random_uniform (r, log (2000), log (50000)));
                           sigma = 0.12; break;
    default:
      switch (a->cust_type)
        {
        case AQ_SIM_RES: level = aq_random_lognormal (r, 9.0, 0.5); sigma = 0.33; break;
        case AQ_SIM_SPECIAL: level = aq_random_lognormal (r, 60, 0.8); sigma = 0.3; break;
        case AQ_SIM_CONSTRUCTION: level = aq_random_lognormal (r, 150, 0.8); sigma = 0.5; break;
        default: level = aq_random_lognormal (r, 25, 1.4); sigma = 0.45; break;
        }
    }
  a->level = (float) MIN (level, 60000.0);
  a->sigma = (float) sigma;
}

static guint8
draw_channel (AqRandom *r)
{
  /* bank debit takes every bill of its accounts, the others share theirs: 12.5 % of the
   * accounts make the 15 % of the payments DOMAIN.md gives */
  static const double shares[AQ_SIM_N_PAY] = { 0.05, 0.125, 0.46, 0.26, 0.06, 0.045 };

  return (guint8) aq_random_weighted (r, shares, AQ_SIM_N_PAY);
}

/* The months an account is billed: from the first reading after it opened to the last one
 * before it closed. */
static void
billed_months (AqSim        *sim,
               AqSimAccount *a)
{
  int y, m, d, from, to;

  aq_day_to_civil (a->open_day, &y, &m, &d);
  from = aq_month_index (y, m) - sim->first_month + (d + 5 > a->read_day ? 1 : 0);
  if (a->close_day == AQ_SIM_NEVER)
    to = (int) sim->n_months - 1;
  else
    {
      aq_day_to_civil (a->close_day, &y, &m, &d);
      to = aq_month_index (y, m) - sim->first_month - (d < a->read_day ? 1 : 0);
    }
  a->bill_from = (gint16) CLAMP (from, 0, (int) sim->n_months);
  a->bill_to = (gint16) MIN (to, (int) sim->n_months - 1);
  if (to < 0)
    a->bill_to = -1;
}

static void
plan_accounts (AqSim *sim)
{
  int M = (int) sim->n_months;

  for (guint i = 0; i < sim->n_accounts; i++)
    {
      AqSimAccount *a = &sim->accounts[i];
      AqRandom r;
      double u;

      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_PLAN, i);
      draw_level (&r, a);
      a->size_dn = draw_size (&r, a);
      a->book = (guint16) (a->premise / 400);
      a->read_day = (guint8) (3 + (a->book * 7) % 22);
      a->channel = draw_channel (&r);
      a->waive_late_fees = aq_random_chance (&r, 0.2);
      billed_months (sim, a);

      /* calibrated on the arrears at month end: 6 % of accounts one bill or more overdue,
       * 1.5 % three or more, 0.4 % twelve or more */
      u = aq_random_double (&r);
      if (u < 0.025)
        {
          a->payer = AQ_SIM_PAYER_SLOW;
          a->slow_period = (guint8) aq_random_range (&r, 4, 6);
        }
      else if (u < 0.033 && a->key_kind == AQ_SIM_KEY_NONE)
        {
          /* most still owe when the data ends; the others paid up in the end */
          a->payer = AQ_SIM_PAYER_CHRONIC;
          if (aq_random_chance (&r, 0.55))
            {
              a->chronic_from = (gint16) (M - aq_random_range (&r, 13, 30));
              a->chronic_to = (gint16) (M + 100);
            }
          else
            {
              a->chronic_from = (gint16) aq_random_range (&r, -6, M - 6);
              a->chronic_to = (gint16) (a->chronic_from + aq_random_range (&r, 12, 30));
            }
        }
      if (a->channel == AQ_SIM_PAY_BANK && a->payer != AQ_SIM_PAYER_NORMAL)
        a->channel = AQ_SIM_PAY_WECHAT;

      /* a flat empty for a while (an owner abroad, a flat between tenants) */
      if (a->status == 1 && (a->cust_type == AQ_SIM_RES || a->cust_type == AQ_SIM_NONRES)
          && a->key_kind == AQ_SIM_KEY_NONE && M >= 13 && aq_random_chance (&r, 0.012))
        {
          a->zero_from = (gint16) aq_random_range (&r, 1, M - 10);
          a->zero_to = (gint16) aq_sim_min (a->zero_from + aq_random_range (&r, 5, 11), M - 4);
        }
    }
}

/* ---- planted anomalies ---- */

typedef struct
{
  guint64 key;
  guint32 index;
} Candidate;

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *x = a, *y = b;

  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

static gboolean
plain_active (AqSim              *sim,
              const AqSimAccount *a)
{
  return a->status == 1 && a->close_day == AQ_SIM_NEVER && a->anomaly == AQ_SIM_ANOMALY_NONE
         && a->key_kind == AQ_SIM_KEY_NONE && a->zero_from < 0
         && a->payer == AQ_SIM_PAYER_NORMAL
         && sim->premises[a->premise].demolished_day == AQ_SIM_NEVER;
}

static gboolean
eligible (AqSim              *sim,
          guint32             i,
          guint               kind,
          guint               n_old)
{
  const AqSimAccount *a = &sim->accounts[i];
  int M = (int) sim->n_months;

  if (kind == AQ_SIM_ANOMALY_LARGE_NO_READS)
    return a->status == 1 && a->close_day == AQ_SIM_NEVER && a->anomaly == 0
           && a->size_dn >= 80 && a->bill_from <= 0 && a->zero_from < 0
           && (a->key_kind == AQ_SIM_KEY_NONE || a->key_kind == AQ_SIM_KEY_LARGE)
           && sim->premises[a->premise].demolished_day == AQ_SIM_NEVER;
  if (!plain_active (sim, a))
    return FALSE;
  switch (kind)
    {
    case AQ_SIM_ANOMALY_ZERO_STREAK:
      return (a->cust_type == AQ_SIM_RES || a->cust_type == AQ_SIM_NONRES) && a->bill_from <= 0;
    case AQ_SIM_ANOMALY_NEVER_READ:
      return i >= n_old && a->bill_from >= 0 && a->bill_from + 5 <= M - 1
             && a->cust_type != AQ_SIM_CONSTRUCTION;
    case AQ_SIM_ANOMALY_DEMOLISHED:
      /* below DN80: a demolished premise's meter is never read again, which on a large meter
       * would also be a large meter without reads */
      return i < n_old && a->open_day < sim->now_day - 5 * 365 && a->size_dn < 80
             && sim->premises[a->premise].community == AQ_SIM_NONE
             && (a->cust_type == AQ_SIM_RES || a->cust_type == AQ_SIM_NONRES);
    case AQ_SIM_ANOMALY_MISSING_METER:
      return i < n_old && a->open_day < sim->now_day - 3 * 365
             && (a->cust_type == AQ_SIM_RES || a->cust_type == AQ_SIM_NONRES);
    case AQ_SIM_ANOMALY_STOPPED_ZERO:
      /* below DN80: six stopped months would also be a large meter without reads */
      return a->bill_from <= 0 && a->size_dn < 80
             && (a->cust_type == AQ_SIM_RES || a->cust_type == AQ_SIM_NONRES);
    case AQ_SIM_ANOMALY_READ_BACKWARDS:
      return a->bill_from <= 0 && (a->cust_type == AQ_SIM_RES || a->cust_type == AQ_SIM_NONRES);
    default:
      return FALSE;
    }
}

static void
plant (AqSim        *sim,
       AqSimAccount *a,
       guint32       i,
       guint         kind)
{
  int M = (int) sim->n_months;
  AqRandom r;

  aq_random_init (&r, sim->seed, AQ_SIM_STREAM_ANOMALY, (guint64) kind << 32 | i);
  a->anomaly = (guint8) kind;
  switch (kind)
    {
    case AQ_SIM_ANOMALY_ZERO_STREAK:
      {
        int n = aq_sim_min (aq_random_range (&r, 6, 24), M - 2);

        a->zero_from = (gint16) (M - n);
        a->zero_to = (gint16) (M - 1);
      }
      break;

    case AQ_SIM_ANOMALY_NEVER_READ:
      {
        int unread = aq_sim_min (aq_random_range (&r, 2, 6), M - 3 - a->bill_from);

        /* the meter went online (ONLN) but nobody read it for a few cycles */
        a->special_from = a->bill_from;
        a->special_to = (gint16) (a->bill_from + unread - 1);
        a->level = (float) MAX (a->level, 6.0);
        a->sigma = 0.1f;
      }
      break;

    case AQ_SIM_ANOMALY_DEMOLISHED:
      {
        gint32 from = MAX (a->open_day + 365, sim->now_day - 6 * 365);
        gint32 day = uniform_day (&r, from, sim->now_day - 2 * 365);

        sim->premises[a->premise].demolished_day = day;
        a->event_day = day;
        a->special_from = (gint16) MAX (0, relative_month (sim, day) + 1);
        a->special_to = (gint16) (M - 1);
        a->channel = AQ_SIM_PAY_BANK;
      }
      break;

    case AQ_SIM_ANOMALY_MISSING_METER:
      {
        gint32 from = MAX (a->open_day + 365, sim->now_day - 4 * 365);
        gint32 day = uniform_day (&r, from, sim->now_day - 215);

        a->event_day = day;
        a->special_from = (gint16) MAX (0, relative_month (sim, day) + 1);
        a->special_to = (gint16) (M - 1);
        a->channel = AQ_SIM_PAY_BANK;
      }
      break;

    case AQ_SIM_ANOMALY_LARGE_NO_READS:
      {
        int n = aq_sim_min (aq_random_range (&r, 6, 12), M - 1);

        a->special_from = (gint16) (M - n);
        a->special_to = (gint16) (M - 1);
        a->payer = AQ_SIM_PAYER_NORMAL;
      }
      break;

    case AQ_SIM_ANOMALY_STOPPED_ZERO:
      {
        /* the meter stopped and the billing bills it at 0 (not at the usual month) */
        int n = aq_sim_min (aq_random_range (&r, 2, 6), M - 2);

        a->special_from = (gint16) (M - n);
        a->special_to = (gint16) (M - 1);
      }
      break;

    case AQ_SIM_ANOMALY_READ_BACKWARDS:
      {
        /* one reading keyed in below the previous one (digits swapped), billed at 0 */
        a->special_from = a->special_to = (gint16) aq_random_range (&r, MAX (1, M - 9), M - 2);
        a->spike_qty = aq_random_range (&r, 3, 40);
      }
      break;

    default:
      break;
    }
}

static void
plant_anomalies (AqSim *sim,
                 guint  n_old)
{
  static const guint order[] = {
    AQ_SIM_ANOMALY_LARGE_NO_READS, AQ_SIM_ANOMALY_NEVER_READ, AQ_SIM_ANOMALY_DEMOLISHED,
    AQ_SIM_ANOMALY_MISSING_METER, AQ_SIM_ANOMALY_ZERO_STREAK, AQ_SIM_ANOMALY_STOPPED_ZERO,
    AQ_SIM_ANOMALY_READ_BACKWARDS,
  };
  g_autofree Candidate *cands = g_new (Candidate, sim->n_accounts);
  guint active = 0;

  for (guint i = 0; i < sim->n_accounts; i++)
    if (sim->accounts[i].status == 1)
      active++;

  for (guint o = 0; o < G_N_ELEMENTS (order); o++)
    {
      guint kind = order[o], n = 0;
      guint want = kind == AQ_SIM_ANOMALY_ZERO_STREAK
                   ? (guint) floor (ZERO_STREAK_RATE * active + 0.5)
                   : (guint) floor (ANOMALY_RATE * sim->n_accounts + 0.5);

      want = MAX (want, 3u);
      for (guint32 i = 0; i < sim->n_accounts; i++)
        if (eligible (sim, i, kind, n_old))
          {
            cands[n].key = aq_random_mix (sim->seed ^ aq_random_mix ((guint64) kind << 32 | i));
            cands[n].index = i;
            n++;
          }
      qsort (cands, n, sizeof *cands, compare_candidates);
      for (guint j = 0; j < MIN (want, n); j++)
        plant (sim, &sim->accounts[cands[j].index], cands[j].index, kind);
    }
}

/* ---- customers ---- */

static void
build_customers (AqSim *sim)
{
  g_autofree guint32 *owner = g_new (guint32, sim->n_accounts);
  g_autoptr(GArray) builders = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint32 n = 0;

  /* who owns what: most own one account, companies and landlords several */
  for (guint32 i = 0; i < sim->n_accounts; i++)
    {
      AqSimAccount *a = &sim->accounts[i];
      AqRandom r;
      guint32 o = AQ_SIM_NONE;

      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_CUSTOMER, AQ_SIM_SUB (i, 1));
      if (a->key_kind == AQ_SIM_KEY_NONE && a->anomaly == AQ_SIM_ANOMALY_NONE && i > 0)
        {
          if (a->cust_type == AQ_SIM_CONSTRUCTION && builders->len > 0
              && aq_random_chance (&r, 0.5))
            o = owner[g_array_index (builders, guint32, aq_random_below (&r, builders->len))];
          else if (aq_random_chance (&r, a->cust_type == AQ_SIM_RES ? 0.035 : 0.2))
            {
              /* the owner of a recent account of the same kind: a landlord, a chain */
              for (guint32 back = 1; back <= MIN (i, 60u); back++)
                {
                  const AqSimAccount *b = &sim->accounts[i - back];

                  if (b->cust_type == a->cust_type && b->key_kind == AQ_SIM_KEY_NONE
                      && aq_random_chance (&r, 0.3))
                    {
                      o = owner[i - back];
                      break;
                    }
                }
            }
        }
      if (o == AQ_SIM_NONE)
        o = n++;
      owner[i] = o;
      a->customer = o;
      if (a->cust_type == AQ_SIM_CONSTRUCTION)
        g_array_append_val (builders, i);
    }

  sim->n_customers = n;
  sim->customers = g_new0 (AqSimCustomer, n);
  for (guint32 ci = 0; ci < n; ci++)
    sim->customers[ci].first_account = AQ_SIM_NONE;
  for (guint32 i = 0; i < sim->n_accounts; i++)
    {
      AqSimCustomer *c = &sim->customers[owner[i]];

      if (c->first_account == AQ_SIM_NONE)
        {
          c->first_account = i;
          c->cust_type = sim->accounts[i].cust_type;
          c->key_kind = sim->accounts[i].key_kind;
          c->create_day = sim->accounts[i].open_day;
        }
    }

  for (guint32 ci = 0; ci < n; ci++)
    {
      AqSimCustomer *c = &sim->customers[ci];
      AqRandom r;
      double u;

      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_CUSTOMER, ci);
      if (aq_random_chance (&r, 0.80))
        {
          c->mobile = aq_sim_mobile_number (&r);
          if (ci > 0 && aq_random_chance (&r, 0.03))
            {
              /* family members and neighbours share one number */
              guint32 other = ci - 1 - aq_random_below (&r, MIN (ci, 20u));

              if (sim->customers[other].mobile != 0)
                c->mobile = sim->customers[other].mobile;
            }
          c->real_mobile = c->mobile;
          if (aq_random_chance (&r, 0.10))
            {
              c->flags |= AQ_SIM_CUST_STALE;
              c->real_mobile = aq_sim_mobile_number (&r);
            }
        }
      else
        {
          c->real_mobile = aq_random_chance (&r, 0.7) ? aq_sim_mobile_number (&r) : 0;
          u = aq_random_double (&r);
          if (u < 0.3)
            c->flags |= AQ_SIM_CUST_EMPTY_MOBILE;
          else if (u < 0.55)
            c->flags |= AQ_SIM_CUST_TEL_IN_MOBILE;
        }
      if (aq_random_chance (&r, 0.35) || (c->flags & AQ_SIM_CUST_TEL_IN_MOBILE))
        {
          static const double first_w[] = { 0.6, 0.25, 0.15 };
          static const char first_digit[] = { 8, 2, 6 };

          c->landline = (guint32) first_digit[aq_random_weighted (&r, first_w, 3)] * 10000000u
                        + aq_random_below (&r, 10000000);
        }
      c->mobile_format = (guint8) aq_random_below (&r, 100);
      c->tel_format = (guint8) aq_random_below (&r, 100);
      if (aq_random_chance (&r, 0.45))
        c->flags |= AQ_SIM_CUST_WECHAT;
      if (aq_random_chance (&r, 0.04))
        c->flags |= AQ_SIM_CUST_PADDED;
      u = aq_random_double (&r);
      if (u < 0.0025)
        c->flags |= AQ_SIM_CUST_DUP_SAME;
      else if (u < 0.005)
        c->flags |= AQ_SIM_CUST_DUP_CHANGED;
      c->create_day -= aq_random_range (&r, 0, 3);
    }
}

void
aq_sim_customer_name (AqSim   *sim,
                      guint32  customer,
                      GString *out)
{
  const AqSimCustomer *c = &sim->customers[customer];
  AqRandom r;

  aq_random_init (&r, sim->seed, AQ_SIM_STREAM_CUSTOMER_NAME, customer);
  if (c->cust_type == AQ_SIM_RES && c->key_kind == AQ_SIM_KEY_NONE)
    aq_sim_person_name (&r, out);
  else
    aq_sim_business_name (&r, c->cust_type, c->key_kind, out);
}

static void
build_staff (AqSim *sim)
{
  sim->n_staff = 80;
  sim->staff = g_new (const char *, sim->n_staff);
  for (guint i = 0; i < sim->n_staff; i++)
    {
      g_autoptr(GString) s = g_string_new (NULL);
      AqRandom r;

      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_STAFF, i);
      aq_sim_person_name (&r, s);
      sim->staff[i] = aq_sim_intern (sim, s->str);
    }
}

/**
 * aq_sim_accounts_build:
 *
 * Plans applications, accounts, their premises, customers, meters and planted anomalies.
 */
void
aq_sim_accounts_build (AqSim *sim)
{
  guint n_old;

  build_staff (sim);
  build_apps (sim);
  build_accounts (sim);
  n_old = sim->n_accounts;
  for (guint j = 0; j < sim->n_apps; j++)
    if (sim->apps[j].account != AQ_SIM_NONE && sim->apps[j].app_type == 0)
      n_old = MIN (n_old, sim->apps[j].account);
  draw_statuses (sim);
  pick_key_customers (sim);
  assign_premises (sim);
  demolish (sim);
  for (guint i = 0; i < sim->n_accounts; i++)
    if (sim->accounts[i].close_day != AQ_SIM_NEVER)
      sim->accounts[i].status = 3;
  plan_accounts (sim);
  plant_anomalies (sim, n_old);

  /* enlargements and relocations concern existing accounts */
  for (guint j = 0; j < sim->n_apps; j++)
    {
      AqSimApp *app = &sim->apps[j];
      AqRandom r;

      if (app->app_type == 0 || app->n_steps < 5 || app->cancel_day != AQ_SIM_NEVER)
        continue;
      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_APP, AQ_SIM_SUB (j, 1));
      for (guint t = 0; t < 8; t++)
        {
          guint32 i = aq_random_below (&r, MAX (n_old, 1u));

          if (aq_sim_account_active (&sim->accounts[i], app->step_day[4]))
            {
              app->account = i;
              app->cust_type = sim->accounts[i].cust_type;
              break;
            }
        }
    }

  build_customers (sim);
  aq_sim_meters_plan (sim);
}
