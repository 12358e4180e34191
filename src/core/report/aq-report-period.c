/* aq-report-period.c — a report asked for months the warehouse has no data for, in words
 *
 * A report run for a month after the last load (or before the history begins) used to come
 * back as an empty grid, which reads as "nothing happened" rather than "not loaded yet".
 * aq_report_run() asks here, in its read-only transaction, whether a month parameter lies
 * wholly outside the warehouse's months (dm.cube_billing_monthly, the same history "@latest"
 * resolves against) and keeps the sentence on the result; the report panel shows it instead of
 * the grid and `aqueductctl report run` prints it. A parameter inside the history gives no note:
 * an empty result there is a real answer.
 */
#define G_LOG_DOMAIN "aq-report"

#include "config.h"

#include "aq-report-period.h"

#include <glib/gi18n.h>
#include <string.h>

#include "aq-report-private.h"

#define NOTE_KEY "aq-report-period-note"

const char *
aq_report_result_get_period_note (AqReportResult *result)
{
  g_return_val_if_fail (AQ_IS_REPORT_RESULT (result), NULL);
  return g_object_get_data (G_OBJECT (result), NOTE_KEY);
}

void
_aq_report_result_set_period_note (AqReportResult *result,
                                   char           *note)
{
  g_object_set_data_full (G_OBJECT (result), NOTE_KEY, note, g_free);
}

/**
 * aq_report_period_note:
 * @params: (nullable): the run's parameter values, as aq_report_run() takes them
 *
 * Returns: (transfer full) (nullable): a sentence naming the months asked for that the
 * warehouse has no data for and the months it has, or %NULL when every month parameter lies
 * within them (or there is none); %NULL with @error set when the warehouse cannot be asked
 */
char *
aq_report_period_note (AqDb          *db,
                       AqReportSpec  *spec,
                       GHashTable    *params,
                       GError       **error)
{
  g_autoptr(GHashTable) resolved = NULL;
  g_autoptr(PGresult) res = NULL;
  GPtrArray *spec_params = aq_report_spec_get_params (spec);
  const char *first, *last;
  gboolean has_month = FALSE;

  for (guint i = 0; i < spec_params->len; i++)
    {
      const AqReportParam *p = g_ptr_array_index (spec_params, i);

      has_month |= p->type == AQ_REPORT_PARAM_MONTH || p->type == AQ_REPORT_PARAM_MONTH_RANGE;
    }
  if (!has_month)
    return NULL;
  resolved = _aq_report_resolve_dynamic (db, spec, params, error);
  if (resolved == NULL)
    return NULL;
  res = aq_db_query (db, "SELECT to_char(min(period), 'YYYY-MM'), to_char(max(period), 'YYYY-MM')"
                         " FROM dm.cube_billing_monthly", 0, NULL, error);
  if (res == NULL)
    return NULL;
  if (PQgetisnull (res, 0, 1))
    return g_strdup (_("The warehouse holds no months of data yet: load the billing data first."));
  first = PQgetvalue (res, 0, 0);
  last = PQgetvalue (res, 0, 1);
  for (guint i = 0; i < spec_params->len; i++)
    {
      const AqReportParam *p = g_ptr_array_index (spec_params, i);
      const char *value = g_hash_table_lookup (resolved, p->name);
      g_autofree char *from = NULL;
      g_autofree char *to = NULL;

      if (value == NULL)
        continue;
      if (p->type == AQ_REPORT_PARAM_MONTH)
        from = g_strdup (value), to = g_strdup (value);
      else if (p->type != AQ_REPORT_PARAM_MONTH_RANGE || !_aq_report_split_range (value, &from,
                                                                                   &to))
        continue;
      /* "YYYY-MM" strings compare as months */
      if (strcmp (from, last) > 0)
        /* Translators: no data for the months asked for: "2027-03" after the data's last month;
         * then the first and last months the warehouse has */
        return g_strdup_printf (_("No data for %s yet: the warehouse's data ends with %s "
                                  "(it holds %s to %s)."), value, last, first, last);
      if (strcmp (to, first) < 0)
        /* Translators: no data for the months asked for, before the data's first month; then
         * the first and last months the warehouse has */
        return g_strdup_printf (_("No data for %s: the warehouse's data begins with %s "
                                  "(it holds %s to %s)."), value, first, first, last);
    }
  return NULL;
}
