/* aq-backfill.c — a pipeline run once per month over a range, cascading, resumable
 *
 * A backfill is planned once, then worked through: the plan is one meta.backfill_step row per
 * (month, pipeline) — months in order and, with a cascade, inside each month the pipeline and
 * everything downstream of it in the dependency graph's order (aq-pipeline-deps.c: ods → dw →
 * dm) — written with the meta.backfill_run row in one transaction. Each step is then an
 * ordinary pipeline run (meta.pipeline_run: its own transaction, its own record), one after
 * another, and its outcome is written to its row at once; the first failure stops the backfill
 * (later months may depend on it) with the run marked failed. A resume takes the same plan
 * and runs its steps that did not succeed, from the failed one on — nothing that succeeded runs
 * twice. A cancel stops the running step (the runner rolls it back) and marks it cancelled,
 * which a resume treats like a failure.
 *
 * The month reaches the pipeline as session settings (AQ_BACKFILL_SETTING_*), set on the
 * connection before each run and cleared after: SQL reads them with
 * `current_setting('aqueduct.period_start', true)`, as it reads `aqueduct.run_id`. A pipeline
 * that does not read them simply runs again (its outputs' modes decide what that means) —
 * unless the backfill is by watermark windows (AQ_BACKFILL_WINDOWS): then each incremental
 * table input loads exactly its month's rows of the watermark column.
 * Which pipeline runs: the store's latest version, or the standard file when the store does
 * not hold it (a warehouse prepared before migration 018).
 */
#define G_LOG_DOMAIN "aq-backfill"

#include "config.h"

#include "aq-backfill.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "aq-error.h"
#include "aq-pipeline-step.h"
#include "aq-pipeline-deps.h"
#include "aq-pipeline-runner.h"
#include "aq-pipeline-store.h"

/* a backfill of more months than this is a typo, not a plan */
#define MAX_MONTHS 600

/* ---- auxiliary methods ---- */

static gboolean
exec_params (AqDb                *db,
             const char          *sql,
             int                  n_params,
             const char * const  *params,
             GError             **error)
{
  g_autoptr(PGresult) res = aq_db_query (db, sql, n_params, params, error);

  return res != NULL;
}

static gboolean
set_period (AqDb        *db,
            const char  *period,
            GError     **error)
{
  g_autofree char *start = period ? g_strconcat (period, "-01", NULL) : g_strdup ("");
  g_autofree char *end = NULL;
  const char *params[3];

  if (period)
    {
      int year = 0, month = 0;

      aq_backfill_parse_month (period, &year, &month, NULL);
      month++;
      if (month > 12)
        month = 1, year++;
      end = g_strdup_printf ("%04d-%02d-01", year, month);
    }
  params[0] = period ? period : "";
  params[1] = start;
  params[2] = end ? end : "";
  return exec_params (db,
                      "SELECT set_config('" AQ_BACKFILL_SETTING_PERIOD "', $1, false),"
                      " set_config('" AQ_BACKFILL_SETTING_START "', $2, false),"
                      " set_config('" AQ_BACKFILL_SETTING_END "', $3, false)",
                      3, params, error);
}

static AqPipeline *
open_pipeline (AqDb        *db,
               const char  *name,
               GError     **error)
{
  g_autoptr(GError) local = NULL;
  AqPipeline *pipeline = aq_pipeline_store_open (db, name, 0, &local);

  if (pipeline)
    return pipeline;
  if (g_error_matches (local, AQ_ERROR, AQ_ERROR_NOT_FOUND))
    return aq_pipeline_new_standard (name, error);
  g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
}

/* Plans a new backfill: the run's row and its steps, in one transaction. */
static gint64
plan (AqDb         *db,
      const char   *pipeline,
      int           from_year,
      int           from_month,
      int           n_months,
      gboolean      cascade,
      const char   *from,
      const char   *to,
      GError      **error)
{
  g_autoptr(AqPipelineDeps) graph = aq_pipeline_deps_load (db, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(PGresult) run = NULL;
  g_autofree char *from_date = g_strconcat (from, "-01", NULL);
  g_autofree char *to_date = g_strconcat (to, "-01", NULL);
  const char *run_params[] = { pipeline, from_date, to_date, cascade ? "t" : "f" };
  gint64 id;
  int ord = 0;

  if (graph == NULL)
    return 0;
  if (aq_pipeline_deps_find (graph, pipeline) == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND,
                   _("There is no pipeline “%s” (neither in the store nor standard)"), pipeline);
      return 0;
    }
  g_ptr_array_add (names, (gpointer) pipeline);
  if (cascade)
    {
      g_autoptr(GPtrArray) down = aq_pipeline_deps_downstream (graph, pipeline);

      for (guint i = 0; i < down->len; i++)
        g_ptr_array_add (names, ((AqPipelineDep *) g_ptr_array_index (down, i))->name);
    }

  if (!aq_db_begin (db, error))
    return 0;
  run = aq_db_query (db,
                     "INSERT INTO meta.backfill_run (pipeline, period_from, period_to, cascade)"
                     " VALUES ($1, $2::date, $3::date, $4::boolean) RETURNING backfill_id",
                     4, run_params, error);
  if (run == NULL)
    goto fail;
  id = g_ascii_strtoll (PQgetvalue (run, 0, 0), NULL, 10);
  for (int m = 0; m < n_months; m++)
    {
      int month0 = from_month - 1 + m;
      g_autofree char *period = g_strdup_printf ("%04d-%02d-01", from_year + month0 / 12,
                                                 month0 % 12 + 1);

      for (guint i = 0; i < names->len; i++)
        {
          g_autofree char *ord_text = g_strdup_printf ("%d", ord++);
          const char *params[] = { PQgetvalue (run, 0, 0), ord_text, period,
                                   g_ptr_array_index (names, i) };

          if (!exec_params (db,
                            "INSERT INTO meta.backfill_step (backfill_id, ord, period, pipeline)"
                            " VALUES ($1::bigint, $2::integer, $3::date, $4)",
                            4, params, error))
            goto fail;
        }
    }
  if (!aq_db_commit (db, error))
    goto fail;
  return id;

fail:
  aq_db_rollback (db);
  g_prefix_error (error, _("The backfill of %s could not be planned: "), pipeline);
  return 0;
}

/* The newest failed or cancelled backfill of the same pipeline and range, made running again. */
static gint64
find_resumable (AqDb        *db,
                const char  *pipeline,
                const char  *from,
                const char  *to,
                GError     **error)
{
  g_autofree char *from_date = g_strconcat (from, "-01", NULL);
  g_autofree char *to_date = g_strconcat (to, "-01", NULL);
  const char *params[] = { pipeline, from_date, to_date };
  g_autoptr(PGresult) res = NULL;

  res = aq_db_query (db,
                     "UPDATE meta.backfill_run SET status = 'running', resumed_at = now(),"
                     " error = NULL, finished_at = NULL"
                     " WHERE backfill_id = (SELECT max(backfill_id) FROM meta.backfill_run"
                     "   WHERE pipeline = $1 AND period_from = $2::date"
                     "     AND period_to = $3::date AND status IN ('failed', 'cancelled'))"
                     " RETURNING backfill_id",
                     3, params, error);
  if (res == NULL)
    return 0;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND,
                   _("There is no failed or cancelled backfill of %s from %s to %s to resume"),
                   pipeline, from, to);
      return 0;
    }
  return g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
}

static void
finish (AqDb       *db,
        const char *id,
        const char *status,
        const char *message)
{
  const char *params[] = { id, status, message };
  g_autoptr(GError) error = NULL;

  if (!exec_params (db,
                    "UPDATE meta.backfill_run SET status = $2, error = $3,"
                    " finished_at = clock_timestamp() WHERE backfill_id = $1::bigint",
                    3, params, &error))
    g_warning ("backfill %s: cannot record that it %s: %s", id, status, error->message);
}

/* ---- public API ---- */

/* "YYYY-MM" (months 01–12, years 1900–9999). */
gboolean
aq_backfill_parse_month (const char  *text,
                         int         *out_year,
                         int         *out_month,
                         GError     **error)
{
  int year, month;

  if (text == NULL || strlen (text) != 7 || text[4] != '-'
      || !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1])
      || !g_ascii_isdigit (text[2]) || !g_ascii_isdigit (text[3])
      || !g_ascii_isdigit (text[5]) || !g_ascii_isdigit (text[6]))
    goto bad;
  year = (int) g_ascii_strtoll (text, NULL, 10);
  month = (int) g_ascii_strtoll (text + 5, NULL, 10);
  if (year < 1900 || month < 1 || month > 12)
    goto bad;
  *out_year = year;
  *out_month = month;
  return TRUE;

bad:
  g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("“%s” is not a month: write YYYY-MM"),
               text ? text : "");
  return FALSE;
}

/**
 * aq_backfill_window_pipeline:
 *
 * Turns each incremental table input of @pipeline (one with a `watermark`) into a window on
 * its watermark column for the backfill's month: its query becomes
 * `SELECT * FROM (query) w WHERE w.column >= period_start AND w.column < period_end`, the two
 * bounds read from the session settings the backfill sets (AQ_BACKFILL_SETTING_START/_END,
 * cast to date: the column is a date or a timestamp), and the `watermark` member is dropped,
 * so the runner neither starts from the stored watermark nor moves it — an incremental load
 * after the backfill goes on from where it was. The settings live on the warehouse's
 * connection: an input reading another connection, or a table family, is refused.
 */
gboolean
aq_backfill_window_pipeline (AqPipeline  *pipeline,
                             GError     **error)
{
  for (guint i = 0; i < aq_pipeline_get_n_steps (pipeline); i++)
    {
      AqPipelineStep *step = aq_pipeline_get_step (pipeline, i);
      JsonObject *definition = aq_pipeline_step_get_definition (step);
      JsonObject *watermark = aq_pipeline_step_get_object (step, "watermark");
      const char *connection = aq_pipeline_step_get_string (step, "connection");
      const char *sql = aq_pipeline_step_get_string (step, "sql");
      const char *column;
      g_autofree char *quoted = NULL;
      g_autofree char *windowed = NULL;

      if (aq_pipeline_step_get_kind (step) != AQ_PIPELINE_STEP_TABLE_INPUT || watermark == NULL)
        continue;
      column = json_object_get_string_member_with_default (watermark, "column", NULL);
      if ((connection && g_strcmp0 (connection, "warehouse") != 0)
          || aq_pipeline_step_get_object (step, "tables") != NULL || sql == NULL
          || column == NULL)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("Step “%s” of %s: a watermark window reads the month on the "
                         "warehouse's connection, from a query (not another connection or a "
                         "table family)"),
                       aq_pipeline_step_get_id (step), aq_pipeline_get_name (pipeline));
          return FALSE;
        }
      quoted = aq_db_quote_ident (column);
      windowed = g_strdup_printf ("SELECT * FROM (\n%s\n) w WHERE w.%s >= CAST("
                                  "current_setting('" AQ_BACKFILL_SETTING_START "') AS date)"
                                  " AND w.%s < CAST("
                                  "current_setting('" AQ_BACKFILL_SETTING_END "') AS date)",
                                  sql, quoted, quoted);
      json_object_set_string_member (definition, "sql", windowed);
      json_object_remove_member (definition, "watermark");
    }
  return TRUE;
}

/**
 * aq_backfill_run:
 * @from_month: the first month, "YYYY-MM"
 * @to_month: the last month (included)
 * @out_backfill_id: (out) (optional): the backfill's id in meta.backfill_run, also on failure
 *
 * Runs @pipeline once per month from @from_month to @to_month (with AQ_BACKFILL_CASCADE, each
 * month also everything downstream of it), or with AQ_BACKFILL_RESUME continues the last
 * failed or cancelled backfill of that pipeline and range from where it stopped. Blocks: call
 * it from a worker thread in a UI. Fails at the first failing run, which stays recorded.
 */
gboolean
aq_backfill_run (AqDb            *db,
                 const char      *pipeline,
                 const char      *from_month,
                 const char      *to_month,
                 AqBackfillFlags  flags,
                 AqProgressFunc   progress,
                 gpointer         user_data,
                 GCancellable    *cancellable,
                 gint64          *out_backfill_id,
                 GError         **error)
{
  int from_year, from_m, to_year, to_m, n_months;
  g_autoptr(PGresult) steps = NULL;
  g_autoptr(GError) read_error = NULL;
  g_autofree char *id_text = NULL;
  const char *id_params[1];
  gint64 id;
  int total, done;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);
  g_return_val_if_fail (pipeline != NULL, FALSE);

  if (out_backfill_id)
    *out_backfill_id = 0;
  if (!aq_backfill_parse_month (from_month, &from_year, &from_m, error)
      || !aq_backfill_parse_month (to_month, &to_year, &to_m, error))
    return FALSE;
  n_months = (to_year - from_year) * 12 + (to_m - from_m) + 1;
  if (n_months < 1 || n_months > MAX_MONTHS)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("A backfill runs from a month to a later one, at most %d months "
                     "(%s to %s is not)"), MAX_MONTHS, from_month, to_month);
      return FALSE;
    }

  if (flags & AQ_BACKFILL_RESUME)
    id = find_resumable (db, pipeline, from_month, to_month, error);
  else
    id = plan (db, pipeline, from_year, from_m, n_months, (flags & AQ_BACKFILL_CASCADE) != 0,
               from_month, to_month, error);
  if (id == 0)
    return FALSE;
  if (out_backfill_id)
    *out_backfill_id = id;
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  id_params[0] = id_text;

  steps = aq_db_query (db,
                       "SELECT ord, to_char(period, 'YYYY-MM'), pipeline, status,"
                       " count(*) OVER (), count(*) FILTER (WHERE status = 'succeeded') OVER ()"
                       " FROM meta.backfill_step WHERE backfill_id = $1::bigint ORDER BY ord",
                       1, id_params, &read_error);
  if (steps == NULL)
    {
      finish (db, id_text, "failed", read_error->message);
      g_propagate_error (error, g_steal_pointer (&read_error));
      return FALSE;
    }
  total = PQntuples (steps) ? (int) g_ascii_strtoll (PQgetvalue (steps, 0, 4), NULL, 10) : 0;
  done = PQntuples (steps) ? (int) g_ascii_strtoll (PQgetvalue (steps, 0, 5), NULL, 10) : 0;

  for (int i = 0; i < PQntuples (steps); i++)
    {
      const char *ord = PQgetvalue (steps, i, 0);
      const char *period = PQgetvalue (steps, i, 1);
      const char *name = PQgetvalue (steps, i, 2);
      const char *step_params[] = { id_text, ord, NULL, NULL, NULL };
      g_autoptr(GError) local = NULL;
      g_autoptr(AqPipeline) p = NULL;
      g_autofree char *run_id_text = NULL;
      const char *status;
      gint64 run_id = 0;
      gboolean ok;

      if (g_str_equal (PQgetvalue (steps, i, 3), "succeeded"))
        continue;
      if (progress)
        {
          g_autofree char *message = g_strdup_printf (_("%s: %s (%d of %d)"), period, name,
                                                      done + 1, total);

          progress (total ? (double) done / total : 0.0, message, user_data);
        }
      if (!exec_params (db,
                        "UPDATE meta.backfill_step SET status = 'running',"
                        " attempts = attempts + 1, error = NULL"
                        " WHERE backfill_id = $1::bigint AND ord = $2::integer",
                        2, step_params, &local))
        goto failed;

      ok = !g_cancellable_set_error_if_cancelled (cancellable, &local)
           && (p = open_pipeline (db, name, &local)) != NULL
           && (!(flags & AQ_BACKFILL_WINDOWS) || aq_backfill_window_pipeline (p, &local))
           && set_period (db, period, &local)
           && aq_pipeline_runner_run_pipeline (p, db, NULL, NULL, cancellable, &run_id, &local);
      set_period (db, NULL, NULL);

      status = ok ? "succeeded"
                  : g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? "cancelled"
                                                                              : "failed";
      run_id_text = run_id > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, run_id) : NULL;
      step_params[2] = status;
      step_params[3] = run_id_text;
      step_params[4] = local ? local->message : NULL;
      {
        g_autoptr(GError) record = NULL;

        if (!exec_params (db,
                          "UPDATE meta.backfill_step SET status = $3, run_id = $4::bigint,"
                          " error = $5, finished_at = clock_timestamp()"
                          " WHERE backfill_id = $1::bigint AND ord = $2::integer",
                          5, step_params, &record) && ok)
          {
            local = g_steal_pointer (&record);
            goto failed;
          }
      }
      if (!ok)
        goto failed;
      done++;
      continue;

failed:
      {
        g_autofree char *message = g_strdup_printf (_("%s, %s: %s"), period, name,
                                                    local->message);
        gboolean cancelled = g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED);

        finish (db, id_text, cancelled ? "cancelled" : "failed", message);
        if (cancelled)
          g_propagate_error (error, g_steal_pointer (&local));
        else
          g_set_error (error, AQ_ERROR,
                       local->domain == AQ_ERROR ? local->code : AQ_ERROR_FAILED,
                       _("Backfill %s stopped at %s, pipeline %s: %s (the runs before it are "
                         "loaded; a resume continues from here)"),
                       id_text, period, name, local->message);
        return FALSE;
      }
    }

  if (progress)
    progress (1.0, _("Backfill done"), user_data);
  finish (db, id_text, "succeeded", NULL);
  return TRUE;
}

/**
 * aq_backfill_get:
 *
 * Returns: (transfer full): backfill @backfill_id as `aqueductctl pipeline backfill --json`
 * prints it: {"backfill_id", "pipeline", "from", "to", "cascade", "status", "error",
 * "steps": [{"period", "pipeline", "status", "run_id", "attempts", "error"}]}
 */
JsonObject *
aq_backfill_get (AqDb    *db,
                 gint64   backfill_id,
                 GError **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, backfill_id);
  const char *params[] = { id };
  g_autoptr(PGresult) res = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  res = aq_db_query (db,
                     "SELECT r.pipeline, to_char(r.period_from, 'YYYY-MM'),"
                     " to_char(r.period_to, 'YYYY-MM'), r.cascade, r.status, r.error,"
                     " to_char(s.period, 'YYYY-MM'), s.pipeline, s.status, s.run_id, s.attempts,"
                     " s.error"
                     " FROM meta.backfill_run r"
                     " LEFT JOIN meta.backfill_step s USING (backfill_id)"
                     " WHERE r.backfill_id = $1::bigint ORDER BY s.ord",
                     1, params, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("There is no backfill %s"), id);
      return NULL;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "backfill_id");
  json_builder_add_int_value (b, backfill_id);
  json_builder_set_member_name (b, "pipeline");
  json_builder_add_string_value (b, PQgetvalue (res, 0, 0));
  json_builder_set_member_name (b, "from");
  json_builder_add_string_value (b, PQgetvalue (res, 0, 1));
  json_builder_set_member_name (b, "to");
  json_builder_add_string_value (b, PQgetvalue (res, 0, 2));
  json_builder_set_member_name (b, "cascade");
  json_builder_add_boolean_value (b, g_str_equal (PQgetvalue (res, 0, 3), "t"));
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, PQgetvalue (res, 0, 4));
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, PQgetisnull (res, 0, 5) ? NULL : PQgetvalue (res, 0, 5));
  json_builder_set_member_name (b, "steps");
  json_builder_begin_array (b);
  for (int i = 0; i < PQntuples (res) && !PQgetisnull (res, i, 6); i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "period");
      json_builder_add_string_value (b, PQgetvalue (res, i, 6));
      json_builder_set_member_name (b, "pipeline");
      json_builder_add_string_value (b, PQgetvalue (res, i, 7));
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, PQgetvalue (res, i, 8));
      json_builder_set_member_name (b, "run_id");
      if (PQgetisnull (res, i, 9))
        json_builder_add_null_value (b);
      else
        json_builder_add_int_value (b, g_ascii_strtoll (PQgetvalue (res, i, 9), NULL, 10));
      json_builder_set_member_name (b, "attempts");
      json_builder_add_int_value (b, g_ascii_strtoll (PQgetvalue (res, i, 10), NULL, 10));
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, PQgetisnull (res, i, 11) ? NULL
                                                                 : PQgetvalue (res, i, 11));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_object_ref (json_node_get_object (root));
}
