/* aq-quality-alert.c — the quality alerts' outbox (meta.quality_alert) as the daemon reads it
 *
 * A run writes one "failing" alert when a rule's incident opens and one "resolved" when it
 * closes (aq-quality-run.c); here the sender claims the due ones, locked FOR UPDATE SKIP
 * LOCKED inside its transaction so that two daemons never send the same alert, one rule's
 * alerts in the order they were raised, and records each send: sent, or tried again later with a growing wait, or given up after the last try.
 */
#define G_LOG_DOMAIN "aq-quality-alert"

#include "config.h"

#include <stdlib.h>

#include "aq-quality.h"

void
aq_quality_alert_free (AqQualityAlert *alert)
{
  if (alert == NULL)
    return;
  g_free (alert->rule_name);
  g_free (alert->kind);
  g_free (alert->body);
  g_free (alert->idempotency_key);
  g_free (alert);
}

GPtrArray *
aq_quality_alerts_claim (AqDb     *db,
                         guint     limit,
                         GError  **error)
{
  g_autoptr(PGresult) res = NULL;
  g_autofree char *n = g_strdup_printf ("%u", MAX (limit, 1));
  const char *p[1] = { n };
  GPtrArray *alerts;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);

  if (!aq_db_begin (db, error))
    return NULL;
  res = aq_db_query (db,
                     "SELECT alert_id, rule_name, run_id, kind, body, idempotency_key, attempts "
                     "FROM meta.quality_alert a "
                     "WHERE sent_at IS NULL AND failed_at IS NULL "
                     "  AND (next_attempt_at IS NULL OR next_attempt_at <= now()) "
                     /* a rule's alerts in order: "resolved" never overtakes its "failing" */
                     "  AND NOT EXISTS (SELECT FROM meta.quality_alert e "
                     "    WHERE e.rule_name = a.rule_name AND e.alert_id < a.alert_id "
                     "      AND e.sent_at IS NULL AND e.failed_at IS NULL) "
                     "ORDER BY alert_id LIMIT $1::int FOR UPDATE SKIP LOCKED", 1, p, error);
  if (res == NULL)
    {
      aq_db_rollback (db);
      return NULL;
    }
  alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_quality_alert_free);
  for (int i = 0; i < PQntuples (res); i++)
    {
      AqQualityAlert *alert = g_new0 (AqQualityAlert, 1);

      alert->alert_id = g_ascii_strtoll (PQgetvalue (res, i, 0), NULL, 10);
      alert->rule_name = g_strdup (PQgetvalue (res, i, 1));
      alert->run_id = g_ascii_strtoll (PQgetvalue (res, i, 2), NULL, 10);
      alert->kind = g_strdup (PQgetvalue (res, i, 3));
      alert->body = g_strdup (PQgetvalue (res, i, 4));
      alert->idempotency_key = g_strdup (PQgetvalue (res, i, 5));
      alert->attempts = atoi (PQgetvalue (res, i, 6));
      g_ptr_array_add (alerts, alert);
    }
  return alerts;
}

gboolean
aq_quality_alert_record (AqDb            *db,
                         const AqQualityAlert *alert,
                         gboolean         sent,
                         const char      *failure,
                         guint            retry_in_ms,
                         gboolean         give_up,
                         GError         **error)
{
  g_autoptr(PGresult) res = NULL;
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, alert->alert_id);
  g_autofree char *wait = g_strdup_printf ("%u", retry_in_ms);
  const char *p[5] = { id, sent ? "t" : "f", failure, wait, give_up ? "t" : "f" };

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);

  res = aq_db_query (db,
                     "UPDATE meta.quality_alert SET attempts = attempts + 1, "
                     "  sent_at = CASE WHEN $2::bool THEN now() END, "
                     "  last_error = CASE WHEN $2::bool THEN NULL ELSE $3 END, "
                     "  next_attempt_at = CASE WHEN $2::bool THEN NULL "
                     "    ELSE now() + $4::int * interval '1 millisecond' END, "
                     "  failed_at = CASE WHEN NOT $2::bool AND $5::bool THEN now() END "
                     "WHERE alert_id = $1::bigint", 5, p, error);
  return res != NULL;
}
