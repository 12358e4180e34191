/* aq-quality-run-store.c — keeping a quality run: its results, samples and alerts, and JSON
 *
 * Every run is kept, passes too (meta.quality_run, _result, _sample), in one transaction of
 * its own; the same transaction opens or closes the rule's incident and writes its one alert
 * to the outbox. The JSON forms are what the CLI and the daemon print. Split from
 * aq-quality-run.c.
 */
#define G_LOG_DOMAIN "aq-quality-run"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aq-quality-run-private.h"

/* ---- storing ---- */

static const char *
rule_description (AqQualityRun    *run,
                  AqQualityResult *r)
{
  return r->message ? r->message : "";
}

/* An incident opens when a rule stops passing and closes when it passes again; each opening
 * and closing writes one alert to the outbox (meta.quality_alert), in the results' transaction,
 * so a rule failing night after night alerts once. */
static gboolean
raise_alerts (AqDb            *db,
              AqQualityRun    *run,
              AqQualityResult *r,
              const char      *detail,
              GError         **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run->run_id);
  g_autofree char *failing = g_strdup_printf ("%" G_GINT64_FORMAT, r->failing);
  g_autofree char *checked = g_strdup_printf ("%" G_GINT64_FORMAT, r->checked);
  g_autofree char *opened = g_strdup_printf (_("Data quality: rule “%s” (%s.%s) started failing: "
                                               "%s of %s rows. %s"), r->rule_name, r->layer,
                                             r->table, failing, checked, detail);
  g_autofree char *closed = g_strdup_printf (_("Data quality: rule “%s” (%s.%s) passes again."),
                                             r->rule_name, r->layer, r->table);
  const char *p[5] = { r->rule_name, id, r->status, opened, closed };
  g_autoptr(PGresult) res = NULL;

  if (g_str_equal (r->status, "error"))
    return TRUE;
  res = aq_db_query (db,
                     "WITH opened AS (INSERT INTO meta.quality_incident (rule_name, opened_run, "
                     "  opened_at) SELECT $1, $2::bigint, now() WHERE $3 IN ('warn', 'fail') "
                     "  ON CONFLICT (rule_name) DO NOTHING RETURNING rule_name), "
                     "closed AS (DELETE FROM meta.quality_incident WHERE rule_name = $1 "
                     "  AND $3 = 'pass' RETURNING rule_name) "
                     "INSERT INTO meta.quality_alert (rule_name, run_id, kind, body, "
                     "  idempotency_key) "
                     "SELECT $1, $2::bigint, 'failing', $4, 'quality:' || $1 || ':' || $2 || "
                     "  ':failing' FROM opened "
                     "UNION ALL SELECT $1, $2::bigint, 'resolved', $5, 'quality:' || $1 || ':' "
                     "  || $2 || ':resolved' FROM closed", 5, p, error);
  return res != NULL;
}

gboolean
_aq_quality_store_results (AqDb          *db,
                           AqQualityRun  *run,
                           GError       **error)
{
  char id[32], ms[64], scans[16], n[16];
  const char *p[6];
  g_autoptr(PGresult) res = NULL;

  g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, run->run_id);
  g_snprintf (ms, sizeof ms, "%.3f", run->duration_ms);
  g_snprintf (scans, sizeof scans, "%d", run->scans);
  g_snprintf (n, sizeof n, "%u", run->results->len);
  if (!aq_db_begin (db, error))
    return FALSE;
  p[0] = id; p[1] = run->status; p[2] = ms; p[3] = scans; p[4] = n;
  res = aq_db_query (db, "UPDATE meta.quality_run SET status = $2, duration_ms = $3, scans = $4, "
                         "rules = $5, finished_at = clock_timestamp() WHERE run_id = $1",
                     5, p, error);
  if (res == NULL)
    goto fail;
  g_clear_pointer (&res, PQclear);
  for (guint i = 0; i < run->results->len; i++)
    {
      AqQualityResult *r = g_ptr_array_index (run->results, i);
      char version[16], checked[32], failing[32], measured[64], dur[64];
      const char *rp[14];

      if (r->rule_version <= 0)
        continue;
      g_snprintf (version, sizeof version, "%d", r->rule_version);
      g_snprintf (checked, sizeof checked, "%" G_GINT64_FORMAT, r->checked);
      g_snprintf (failing, sizeof failing, "%" G_GINT64_FORMAT, r->failing);
      g_snprintf (measured, sizeof measured, "%.17g", r->measured);
      g_snprintf (dur, sizeof dur, "%.3f", r->duration_ms);
      rp[0] = id; rp[1] = r->rule_name; rp[2] = version; rp[3] = r->layer; rp[4] = r->table;
      rp[5] = r->dimension; rp[6] = r->severity; rp[7] = checked; rp[8] = failing;
      rp[9] = r->has_measured ? measured : NULL; rp[10] = r->status; rp[11] = r->message;
      rp[12] = dur;
      res = aq_db_query (db, "INSERT INTO meta.quality_result (run_id, rule_name, rule_version, "
                             "layer, table_name, dimension, severity, checked_rows, failing_rows, "
                             "measured, status, message, duration_ms) VALUES ($1, $2, $3, $4, $5, "
                             "$6, $7, $8, $9, $10, $11, $12, $13)", 13, rp, error);
      if (res == NULL)
        goto fail;
      g_clear_pointer (&res, PQclear);
      if (!raise_alerts (db, run, r, rule_description (run, r), error))
        goto fail;
      for (guint j = 0; j < r->samples->len; j++)
        {
          AqQualitySample *s = g_ptr_array_index (r->samples, j);
          char ord[16];
          const char *sp[5];

          g_snprintf (ord, sizeof ord, "%u", j + 1);
          sp[0] = id; sp[1] = r->rule_name; sp[2] = ord; sp[3] = s->row_key; sp[4] = s->value;
          res = aq_db_query (db, "INSERT INTO meta.quality_sample (run_id, rule_name, ord, "
                                 "row_key, value) VALUES ($1, $2, $3, $4, $5)", 5, sp, error);
          if (res == NULL)
            goto fail;
          g_clear_pointer (&res, PQclear);
        }
    }
  return aq_db_commit (db, error);

fail:
  aq_db_rollback (db);
  return FALSE;
}

/* ---- JSON ---- */

JsonNode *
aq_quality_result_to_json (const AqQualityResult *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "run_id");
  json_builder_add_int_value (b, r->run_id);
  json_builder_set_member_name (b, "rule");
  json_builder_add_string_value (b, r->rule_name);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, r->rule_version);
  json_builder_set_member_name (b, "layer");
  json_builder_add_string_value (b, r->layer);
  json_builder_set_member_name (b, "table");
  json_builder_add_string_value (b, r->table);
  json_builder_set_member_name (b, "dimension");
  json_builder_add_string_value (b, r->dimension);
  json_builder_set_member_name (b, "severity");
  json_builder_add_string_value (b, r->severity);
  json_builder_set_member_name (b, "checked");
  json_builder_add_int_value (b, r->checked);
  json_builder_set_member_name (b, "failing");
  json_builder_add_int_value (b, r->failing);
  json_builder_set_member_name (b, "measured");
  if (r->has_measured)
    json_builder_add_double_value (b, r->measured);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, r->status);
  if (r->message)
    {
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, r->message);
    }
  json_builder_set_member_name (b, "duration_ms");
  json_builder_add_double_value (b, r->duration_ms);
  json_builder_set_member_name (b, "samples");
  json_builder_begin_array (b);
  for (guint i = 0; r->samples && i < r->samples->len; i++)
    {
      AqQualitySample *s = g_ptr_array_index (r->samples, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "key");
      json_builder_add_string_value (b, s->row_key);
      json_builder_set_member_name (b, "value");
      json_builder_add_string_value (b, s->value);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
aq_quality_run_to_json (const AqQualityRun *run)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *started = run->started_at ? g_date_time_format_iso8601 (run->started_at)
                                             : NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "run_id");
  json_builder_add_int_value (b, run->run_id);
  json_builder_set_member_name (b, "scope");
  json_builder_add_string_value (b, run->scope);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, run->status);
  json_builder_set_member_name (b, "started_at");
  json_builder_add_string_value (b, started);
  json_builder_set_member_name (b, "scans");
  json_builder_add_int_value (b, run->scans);
  json_builder_set_member_name (b, "duration_ms");
  json_builder_add_double_value (b, run->duration_ms);
  json_builder_set_member_name (b, "results");
  json_builder_begin_array (b);
  for (guint i = 0; i < run->results->len; i++)
    json_builder_add_value (b, aq_quality_result_to_json (g_ptr_array_index (run->results, i)));
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
