/* aq-simulator-meters.c — 表务: the meters and what happened to them
 *
 * One meter in service per account, replaced now and then (~3 % a year: age, a fault, a theft),
 * removed when the account closes. The plan fixes which month a meter is changed in; the
 * billing reads the old meter that day, records its last reading here and starts the new one
 * at zero, so a bill's prev_read drops to 0 after a change.
 */
#define G_LOG_DOMAIN "aq-simulator"

#include "aq-simulator-private.h"

#include <math.h>
#include <string.h>

#define CHANGE_RATE  (0.03 / 12.0)

static const struct
{
  const char *code, *name, *small_model, *large_model;
} brands[] = {
  { "NB", "宁波水表", "LXS-", "LXLC-" },
  { "SC", "三川智慧", "LXSY-", "LXLG-" },
  { "XT", "新天科技", "LXSG-", "WPD-" },
  { "HZ", "汇中仪表", "SCL-", "SCL-" },
  { "EL", "埃尔斯特", "H4000-", "H5000-" },
};

/* brand, install year and serial: "NB1900012345" */
void
aq_sim_format_meter_no (AqSim   *sim,
                        guint32  meter,
                        char    *buf)
{
  const AqSimMeter *m = &sim->meters[meter];
  int y, mo, d;
  guint32 v = m->serial;

  aq_day_to_civil (m->install_day, &y, &mo, &d);
  memcpy (buf, brands[m->brand].code, 2);
  buf[2] = (char) ('0' + y / 10 % 10);
  buf[3] = (char) ('0' + y % 10);
  for (int i = 11; i >= 4; i--)
    {
      buf[i] = (char) ('0' + v % 10);
      v /= 10;
    }
  buf[12] = '\0';
}

static gboolean
frozen (const AqSimAccount *a,
        int                 k)
{
  if (a->zero_from >= 0 && k >= a->zero_from - 1 && k <= a->zero_to)
    return TRUE;
  if (a->special_from >= 0 && k >= a->special_from - 1 && k <= a->special_to)
    return TRUE;
  if (a->anomaly == AQ_SIM_ANOMALY_MISSING_METER || a->anomaly == AQ_SIM_ANOMALY_DEMOLISHED)
    return a->special_from >= 0 && k >= a->special_from - 1;
  if (a->quiet_from >= 0 && k >= a->quiet_from - 1)
    return TRUE;
  return k <= a->bill_from;
}

static AqSimMeter *
add_meter (GArray   *meters,
           guint32   account,
           gint32    install_day,
           guint16   size_dn,
           AqRandom *r)
{
  AqSimMeter m = { 0 };

  m.account = account;
  m.serial = meters->len + 1;
  m.install_day = install_day;
  m.end_day = AQ_SIM_NEVER;
  m.fault_day = AQ_SIM_NEVER;
  m.change_month = -1;
  m.size_dn = size_dn;
  m.brand = (guint8) aq_random_below (r, G_N_ELEMENTS (brands));
  m.status = 1;
  m.final_read = -1;
  g_array_append_val (meters, m);
  return &g_array_index (meters, AqSimMeter, meters->len - 1);
}

/**
 * aq_sim_meters_plan:
 *
 * Decides every account's meters: the one in service when the data starts, the changes,
 * faults, thefts and removals; then one master meter per community.
 */
void
aq_sim_meters_plan (AqSim *sim)
{
  g_autoptr(GArray) meters = g_array_sized_new (FALSE, FALSE, sizeof (AqSimMeter),
                                                sim->n_accounts + sim->n_accounts / 8);
  gint32 eight_years = sim->first_day - 8 * 365;

  for (guint32 i = 0; i < sim->n_accounts; i++)
    {
      AqSimAccount *a = &sim->accounts[i];
      AqSimMeter *m;
      AqRandom r;
      gint32 install;
      int changes[3], n_changes = 0;

      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_METER, i);
      if (a->open_day >= eight_years || a->close_day < sim->first_day)
        install = a->open_day - aq_random_range (&r, 1, 10);
      else
        install = eight_years + (gint32) aq_random_below (&r, (guint32) (sim->first_day - 30
                                                                         - eight_years));
      a->first_meter = meters->len;
      m = add_meter (meters, i, install, a->size_dn, &r);
      if (a->bill_from == 0 && install < sim->first_day)
        m->initial_read = (gint32) ((sim->first_day - install) / 30.44 * a->level
                                    * aq_random_uniform (&r, 0.8, 1.2));

      /* changes: a Poisson process over the billed months, away from the planted stretches */
      if (a->bill_to >= a->bill_from)
        {
          double k = a->bill_from + aq_random_exponential (&r, 1.0 / CHANGE_RATE);

          while (k <= a->bill_to && n_changes < 3)
            {
              if (!frozen (a, (int) k))
                changes[n_changes++] = (int) k;
              k += 6 + aq_random_exponential (&r, 1.0 / CHANGE_RATE);
            }
        }
      for (int c = 0; c < n_changes; c++)
        {
          AqSimMeter *old = &g_array_index (meters, AqSimMeter, meters->len - 1);
          gint32 day = aq_sim_read_date (sim, i, changes[c]);
          double u = aq_random_double (&r);

          old->change_month = (gint16) changes[c];
          old->end_day = day;
          old->end_event = AQ_SIM_METER_END_CHANGE;
          old->status = 2;
          if (u < 0.05)
            {
              old->end_event = AQ_SIM_METER_END_LOST;
              old->status = 3;
            }
          else if (u < 0.35 && changes[c] - 1 > a->bill_from && !frozen (a, changes[c] - 1))
            old->fault_day = aq_sim_read_date (sim, i, changes[c] - 1);
          add_meter (meters, i, day, a->size_dn, &r);
        }

      m = &g_array_index (meters, AqSimMeter, meters->len - 1);
      if (a->close_day != AQ_SIM_NEVER)
        {
          m->end_day = a->close_day;
          m->end_event = AQ_SIM_METER_END_REMOVE;
          m->status = 2;
          if (a->close_day < sim->first_day)
            m->final_read = (gint32) ((a->close_day - m->install_day) / 30.44 * a->level);
        }
      else if (a->anomaly == AQ_SIM_ANOMALY_MISSING_METER)
        {
          gboolean lost = aq_random_chance (&r, 0.5);

          m->end_day = a->event_day;
          m->end_event = lost ? AQ_SIM_METER_END_LOST : AQ_SIM_METER_END_REMOVE;
          m->status = lost ? 3 : 2;
        }
      else if (a->anomaly == AQ_SIM_ANOMALY_STOPPED_ZERO)
        {
          m->fault_day = aq_sim_read_date (sim, i, a->special_from);
          m->status = 4;
        }
      else if (a->anomaly == AQ_SIM_ANOMALY_NONE && a->status == 1 && a->bill_to >= 1
               && !frozen (a, a->bill_to) && aq_random_chance (&r, 0.003))
        {
          m->fault_day = aq_sim_read_date (sim, i, a->bill_to);
          m->status = 4;
        }
      a->n_meters = (guint8) (meters->len - a->first_meter);
    }

  for (guint c = 0; c < sim->n_communities; c++)
    {
      AqSimCommunity *cm = &sim->communities[c];
      AqRandom r;

      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_METER, AQ_SIM_SUB (c, 1));
      cm->master_meter = meters->len;
      add_meter (meters, AQ_SIM_NONE, aq_day_from_civil (cm->build_year, 6, 1)
                                      + (gint32) aq_random_below (&r, 180),
                 cm->n_premises > 600 ? 200 : cm->n_premises > 200 ? 150 : 100, &r);
    }

  sim->n_meters = meters->len;
  sim->meters = (AqSimMeter *) g_array_free (g_steal_pointer (&meters), FALSE);
}

/* ---- writing ---- */

static void
event_row (AqSim        *sim,
           AqCopyWriter *w,
           guint32      meter,
           const char  *type,
           gint32       day,
           gint32       reading,
           const char  *note)
{
  const AqSimMeter *m = &sim->meters[meter];
  char no[16], acct[12];
  gint64 event_id;
  int y, mo, d;

  /* after the extract (the plan reaches further), or there already */
  if (day > sim->now_day)
    return;
  aq_day_to_civil (day, &y, &mo, &d);
  event_id = ((gint64) y * 10000 + mo * 100 + d) * 100000 + aq_sim_next_id (sim, sim->event_seq,
                                                                            day);
  if (sim->append && day <= sim->since_day)
    return;
  aq_sim_format_meter_no (sim, meter, no);
  aq_copy_writer_row (w, 7);
  aq_copy_writer_int64 (w, event_id);
  aq_copy_writer_text (w, no, 12);
  if (m->account != AQ_SIM_NONE)
    {
      aq_sim_format_acct_no (acct, m->account);
      aq_copy_writer_text (w, acct, 10);
    }
  else
    aq_copy_writer_null (w);
  aq_copy_writer_text (w, type, -1);
  aq_copy_writer_date (w, day);
  if (reading < 0)
    aq_copy_writer_null (w);
  else
    aq_copy_writer_int32 (w, reading);
  aq_copy_writer_text (w, note, -1);
  aq_copy_writer_end_row (w);
}

static gboolean
write_events (AqSim   *sim,
              GError **error)
{
  g_autoptr(GString) note = g_string_new (NULL);
  AqCopyWriter *w = NULL;

  w = aq_sim_copy (sim, AQ_SIM_LANE_BILLS,
                    "src_meter.meter_event (event_id, meter_no, acct_no, event_type, "
                    "event_date, reading, note)", error);

  if (w == NULL)

    return FALSE;
  for (guint32 i = 0; i < sim->n_accounts; i++)
    {
      const AqSimAccount *a = &sim->accounts[i];

      for (guint k = 0; k < a->n_meters; k++)
        {
          guint32 mi = a->first_meter + k;
          const AqSimMeter *m = &sim->meters[mi];

          if (k == 0)
            {
              event_row (sim, w, mi, "INST", m->install_day, 0, "新装水表");
              if (a->open_day >= m->install_day)
                event_row (sim, w, mi, "ONLN", a->open_day, 0, "通水立户，开始抄表");
            }
          else
            {
              char old_no[16];

              aq_sim_format_meter_no (sim, mi - 1, old_no);
              g_string_truncate (note, 0);
              g_string_append (note, "换表：旧表");
              g_string_append (note, old_no);
              g_string_append (note, " 止码");
              aq_sim_append_uint (note, (guint64) MAX (sim->meters[mi - 1].final_read, 0));
              g_string_append (note, "，新表起码0");
              event_row (sim, w, mi, "CHG", m->install_day, sim->meters[mi - 1].final_read,
                         note->str);
            }
          if (m->fault_day != AQ_SIM_NEVER)
            event_row (sim, w, mi, "FAULT", m->fault_day, -1, "表停/故障，待换表");
          if (m->end_event == AQ_SIM_METER_END_LOST)
            event_row (sim, w, mi, "LOST", m->end_day, -1,
                       a->anomaly == AQ_SIM_ANOMALY_MISSING_METER ? "巡检发现表具丢失"
                                                                  : "表具被盗，补装新表");
          else if (m->end_event == AQ_SIM_METER_END_REMOVE)
            event_row (sim, w, mi, "RMV", m->end_day,
                       a->anomaly == AQ_SIM_ANOMALY_MISSING_METER ? -1 : m->final_read,
                       a->anomaly == AQ_SIM_ANOMALY_MISSING_METER ? "拆表（营收未同步）"
                                                                  : "销户拆表");
        }
    }
  for (guint c = 0; c < sim->n_communities; c++)
    event_row (sim, w, sim->communities[c].master_meter, "INST",
               sim->meters[sim->communities[c].master_meter].install_day, 0, "小区总表安装");
  return aq_sim_copy_end (sim, w, "src_meter.meter_event", error);
}

/**
 * aq_sim_meters_write:
 *
 * Writes src_meter.meter and src_meter.meter_event; runs after the billing, which filled in
 * the readings at which meters left service.
 */
gboolean
aq_sim_meters_write (AqSim   *sim,
                     GError **error)
{
  AqCopyWriter *w = NULL;
  g_autoptr(GString) model = g_string_new (NULL);

  w = aq_sim_copy (sim, AQ_SIM_LANE_BILLS,
                    "src_meter.meter (meter_no, acct_no, size_dn, brand, model, "
                    "install_date, status, status_date)", error);

  if (w == NULL)

    return FALSE;
  for (guint32 mi = 0; mi < sim->n_meters; mi++)
    {
      const AqSimMeter *m = &sim->meters[mi];
      char no[16], acct[12], status[2] = { (char) ('0' + m->status), 0 };
      gint32 status_day = m->end_day != AQ_SIM_NEVER ? m->end_day
                          : m->status == 4 ? m->fault_day : m->install_day;

      /* as the meter stands at the extract: the plan may reach further */
      if (m->install_day > sim->now_day)
        continue;
      if (status_day > sim->now_day)
        {
          status[0] = m->fault_day <= sim->now_day ? '4' : '1';
          status_day = m->fault_day <= sim->now_day ? m->fault_day : m->install_day;
        }

      aq_sim_format_meter_no (sim, mi, no);
      aq_copy_writer_row (w, 8);
      aq_copy_writer_text (w, no, 12);
      if (m->account != AQ_SIM_NONE)
        {
          aq_sim_format_acct_no (acct, m->account);
          aq_copy_writer_text (w, acct, 10);
        }
      else
        aq_copy_writer_null (w);
      aq_copy_writer_int16 (w, (gint16) m->size_dn);
      aq_copy_writer_text (w, brands[m->brand].name, -1);
      g_string_truncate (model, 0);
      g_string_append (model, m->size_dn >= 80 ? brands[m->brand].large_model
                                               : brands[m->brand].small_model);
      aq_sim_append_uint (model, m->size_dn);
      aq_copy_writer_text (w, model->str, (gssize) model->len);
      aq_copy_writer_date (w, m->install_day);
      aq_copy_writer_text (w, status, 1);
      aq_copy_writer_date (w, status_day);
      if (!aq_copy_writer_end_row (w))
        break;
    }
  if (!aq_sim_copy_end (sim, w, "src_meter.meter", error))
    return FALSE;
  return write_events (sim, error);
}
