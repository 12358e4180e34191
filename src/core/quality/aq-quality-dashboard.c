/* aq-quality-dashboard.c — scores, trends and a rule's page from the stored results
 *
 * The panel paints from meta.quality_result alone (no rule is run to show the dashboard), so
 * the first paint is a few small indexed queries. Scores weight each rule by the rows it
 * checked: a rule over 3 M bills counts for more than one over 8 districts, and the formula is
 * shown beside the number. The async helpers run through aq_db_job_run_async() on a pooled
 * connection, as the other panels' loads do, and stop through PQcancel when cancelled.
 */
#define G_LOG_DOMAIN "aq-quality-dashboard"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "aq-db-job.h"
#include "aq-error.h"
#include "aq-quality-dashboard.h"
#include "aq-quality-private.h"

static void
score_free (AqQualityScore *s)
{
  g_free (s->kind);
  g_free (s->name);
  g_free (s);
}

void
aq_quality_dashboard_free (AqQualityDashboard *dash)
{
  if (dash == NULL)
    return;
  g_clear_pointer (&dash->overall, score_free);
  g_clear_pointer (&dash->scores, g_ptr_array_unref);
  g_clear_pointer (&dash->trend_runs, g_array_unref);
  g_clear_pointer (&dash->trend_scores, g_array_unref);
  g_clear_pointer (&dash->results, g_ptr_array_unref);
  g_clear_pointer (&dash->newly_failing, g_hash_table_unref);
  g_free (dash);
}

#define LATEST \
  "WITH latest AS (SELECT DISTINCT ON (rule_name) * FROM meta.quality_result " \
  "  WHERE status <> 'error' ORDER BY rule_name, run_id DESC) "

AqQualityDashboard *
aq_quality_dashboard_load (AqDb    *db,
                           int      trend_runs,
                           GError **error)
{
  g_autoptr(AqQualityDashboard) dash = g_new0 (AqQualityDashboard, 1);
  g_autoptr(PGresult) res = NULL;
  g_autofree char *n = g_strdup_printf ("%d", trend_runs > 0 ? trend_runs : 30);
  const char *p[1] = { n };

  dash->scores = g_ptr_array_new_with_free_func ((GDestroyNotify) score_free);
  dash->trend_runs = g_array_new (FALSE, FALSE, sizeof (gint64));
  dash->trend_scores = g_array_new (FALSE, FALSE, sizeof (double));
  dash->newly_failing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  res = aq_db_query (db, LATEST
                     "SELECT k, name, sum(checked_rows), sum(checked_rows - failing_rows) FROM ("
                     "  SELECT 'overall' AS k, '' AS name, checked_rows, failing_rows FROM latest"
                     "  UNION ALL SELECT 'dimension', dimension, checked_rows, failing_rows "
                     "  FROM latest UNION ALL SELECT 'layer', layer, checked_rows, failing_rows "
                     "  FROM latest UNION ALL SELECT 'table', layer || '.' || table_name, "
                     "  checked_rows, failing_rows FROM latest) x GROUP BY 1, 2 "
                     "ORDER BY array_position(ARRAY['overall', 'dimension', 'layer', 'table'], "
                     "k), 2", 0, NULL, error);
  if (res == NULL)
    return NULL;
  for (int i = 0; i < PQntuples (res); i++)
    {
      AqQualityScore *s = g_new0 (AqQualityScore, 1);

      s->kind = g_strdup (PQgetvalue (res, i, 0));
      s->name = g_strdup (PQgetvalue (res, i, 1));
      s->checked = g_ascii_strtoll (PQgetvalue (res, i, 2), NULL, 10);
      s->passing = g_ascii_strtoll (PQgetvalue (res, i, 3), NULL, 10);
      s->score = s->checked > 0 ? 100.0 * s->passing / s->checked : 100.0;
      if (g_str_equal (s->kind, "overall"))
        dash->overall = s;
      else
        g_ptr_array_add (dash->scores, s);
    }
  g_clear_pointer (&res, PQclear);

  /* the overall score of each of the last runs (each run's own results) */
  res = aq_db_query (db, "SELECT run_id, 100.0 * sum(checked_rows - failing_rows) / "
                         "nullif(sum(checked_rows), 0) FROM meta.quality_result "
                         "WHERE run_id IN (SELECT run_id FROM meta.quality_run "
                         "  WHERE status NOT IN ('running', 'error', 'cancelled') "
                         "  ORDER BY run_id DESC LIMIT $1::int) AND status <> 'error' "
                         "GROUP BY 1 ORDER BY 1", 1, p, error);
  if (res == NULL)
    return NULL;
  for (int i = 0; i < PQntuples (res); i++)
    {
      gint64 id = g_ascii_strtoll (PQgetvalue (res, i, 0), NULL, 10);
      double v = PQgetisnull (res, i, 1) ? 100 : g_ascii_strtod (PQgetvalue (res, i, 1), NULL);

      g_array_append_val (dash->trend_runs, id);
      g_array_append_val (dash->trend_scores, v);
    }
  g_clear_pointer (&res, PQclear);

  /* each rule's latest result; failing first, newly failing before those failing for a while */
  res = aq_db_query (db,
                     "WITH ranked AS (SELECT r.*, row_number() OVER (PARTITION BY rule_name "
                     "  ORDER BY run_id DESC) AS n FROM meta.quality_result r), "
                     "cur AS (SELECT * FROM ranked WHERE n = 1), "
                     "prev AS (SELECT rule_name, status FROM ranked WHERE n = 2) "
                     "SELECT c.run_id, c.rule_name, c.rule_version, c.layer, c.table_name, "
                     "c.dimension, c.severity, c.checked_rows, c.failing_rows, c.measured, "
                     "c.status, c.message, c.duration_ms, "
                     "c.status IN ('fail', 'warn') AND coalesce(p.status, 'pass') = 'pass' "
                     "FROM cur c LEFT JOIN prev p USING (rule_name) "
                     "ORDER BY array_position(ARRAY['error', 'fail', 'warn', 'pass'], c.status), "
                     "14 DESC, c.failing_rows DESC, c.rule_name", 0, NULL, error);
  if (res == NULL)
    return NULL;
  dash->results = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_quality_result_free);
  for (int i = 0; i < PQntuples (res); i++)
    {
      AqQualityResult *r = _aq_quality_result_from_row (res, i);

      if (g_str_equal (PQgetvalue (res, i, 13), "t"))
        g_hash_table_add (dash->newly_failing, g_strdup (r->rule_name));
      g_ptr_array_add (dash->results, r);
    }
  if (dash->overall == NULL)
    {
      dash->overall = g_new0 (AqQualityScore, 1);
      dash->overall->kind = g_strdup ("overall");
      dash->overall->name = g_strdup ("");
      dash->overall->score = 100;
    }
  return g_steal_pointer (&dash);
}

/* ---- a rule's page ---- */

void
aq_quality_rule_page_free (AqQualityRulePage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->rule, aq_quality_rule_free);
  g_free (page->explain);
  g_free (page->sql);
  g_clear_pointer (&page->history, g_ptr_array_unref);
  g_clear_pointer (&page->latest, aq_quality_result_free);
  g_free (page);
}

AqQualityRulePage *
aq_quality_rule_page_load (AqDb        *db,
                           const char  *rule_name,
                           GError     **error)
{
  g_autoptr(AqQualityRulePage) page = g_new0 (AqQualityRulePage, 1);

  page->rule = aq_quality_get_rule (db, rule_name, 0, error);
  if (page->rule == NULL)
    return NULL;
  page->explain = aq_quality_rule_explain (page->rule);
  page->sql = aq_quality_rule_sql (page->rule);
  page->history = aq_quality_rule_history (db, rule_name, 30, error);
  if (page->history == NULL)
    return NULL;
  if (page->history->len > 0)
    {
      AqQualityResult *h = g_ptr_array_index (page->history, 0);
      g_autoptr(AqQualityRun) run = aq_quality_load_run (db, h->run_id, error);

      if (run == NULL)
        return NULL;
      for (guint i = 0; i < run->results->len; i++)
        if (g_str_equal (((AqQualityResult *) g_ptr_array_index (run->results, i))->rule_name,
                         rule_name))
          page->latest = g_ptr_array_steal_index (run->results, i);
    }
  return g_steal_pointer (&page);
}

char *
aq_quality_samples_csv (const AqQualityResult *result)
{
  GString *csv = g_string_new ("key,value\r\n");

  for (guint i = 0; result && i < result->samples->len; i++)
    {
      AqQualitySample *s = g_ptr_array_index (result->samples, i);
      const char *fields[2] = { s->row_key ? s->row_key : "", s->value ? s->value : "" };

      for (guint f = 0; f < 2; f++)
        {
          if (f)
            g_string_append_c (csv, ',');
          g_string_append_c (csv, '"');
          for (const char *c = fields[f]; *c; c++)
            {
              if (*c == '"')
                g_string_append_c (csv, '"');
              g_string_append_c (csv, *c);
            }
          g_string_append_c (csv, '"');
        }
      g_string_append (csv, "\r\n");
    }
  return g_string_free (csv, FALSE);
}

/* ---- async ---- */

typedef struct
{
  char          *rule_name;
  GStrv          names;
  AqQualityRule *test_rule;
  gboolean       save;
} JobData;

static void
job_data_free (JobData *d)
{
  g_free (d->rule_name);
  g_strfreev (d->names);
  g_clear_pointer (&d->test_rule, aq_quality_rule_free);
  g_free (d);
}

static gpointer
dashboard_job (AqDb          *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  if (!aq_quality_sync_standard (db, error))
    return NULL;
  return aq_quality_dashboard_load (db, 30, error);
}

void
aq_quality_dashboard_load_async (const char          *conninfo,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  aq_db_job_run_async (conninfo, aq_quality_dashboard_load_async, dashboard_job, NULL, NULL,
                       (GDestroyNotify) aq_quality_dashboard_free, cancellable, callback,
                       user_data);
}

AqQualityDashboard *
aq_quality_dashboard_load_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return aq_db_job_run_finish (result, aq_quality_dashboard_load_async, error);
}

static gpointer
page_job (AqDb          *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  JobData *d = data;

  return aq_quality_rule_page_load (db, d->rule_name, error);
}

void
aq_quality_rule_page_load_async (const char          *conninfo,
                                 const char          *rule_name,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  JobData *d = g_new0 (JobData, 1);

  d->rule_name = g_strdup (rule_name);
  aq_db_job_run_async (conninfo, aq_quality_rule_page_load_async, page_job, d,
                       (GDestroyNotify) job_data_free,
                       (GDestroyNotify) aq_quality_rule_page_free, cancellable, callback,
                       user_data);
}

AqQualityRulePage *
aq_quality_rule_page_load_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return aq_db_job_run_finish (result, aq_quality_rule_page_load_async, error);
}

static gpointer
run_job (AqDb          *db,
         gpointer       data,
         GCancellable  *cancellable,
         GError       **error)
{
  JobData *d = data;
  g_autoptr(GPtrArray) rules = NULL;
  g_autofree char *scope = NULL;
  AqQualityOptions options;

  aq_quality_options_init (&options);
  if (d->test_rule)
    {
      rules = g_ptr_array_new ();
      g_ptr_array_add (rules, d->test_rule);
      options.store = d->save;
      if (d->save && !aq_quality_save_rule (db, d->test_rule, error))
        return NULL;
      return aq_quality_run_rules (db, rules, d->test_rule->name, &options, cancellable, error);
    }
  rules = aq_quality_select_rules (db, (const char * const *) d->names, error);
  if (rules == NULL)
    return NULL;
  scope = d->names && d->names[0] ? g_strjoinv (" ", d->names) : g_strdup ("all");
  return aq_quality_run_rules (db, rules, scope, &options, cancellable, error);
}

void
aq_quality_run_async (const char          *conninfo,
                      const char * const  *names,
                      const AqQualityRule *test_rule,
                      gboolean             save,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  JobData *d = g_new0 (JobData, 1);

  d->names = g_strdupv ((char **) names);
  d->test_rule = test_rule ? aq_quality_rule_copy (test_rule) : NULL;
  d->save = save;
  aq_db_job_run_async (conninfo, aq_quality_run_async, run_job, d,
                       (GDestroyNotify) job_data_free, (GDestroyNotify) aq_quality_run_free,
                       cancellable, callback, user_data);
}

AqQualityRun *
aq_quality_run_finish (GAsyncResult  *result,
                       GError       **error)
{
  return aq_db_job_run_finish (result, aq_quality_run_async, error);
}
