/* aq-pipeline-history.c — what meta.pipeline_run and meta.pipeline_step_run recorded
 *
 * The runner writes the records (aq-pipeline-runner.c); this module reads them back for the
 * CLI and the panels, so no caller outside core holds SQL. The answers are JSON objects whose
 * members are what `aqueductctl pipeline … --json` prints: NULL columns become JSON null,
 * counts integers, durations doubles (milliseconds).
 */
#define G_LOG_DOMAIN "aq-pipeline"

#include "config.h"

#include "aq-pipeline-history.h"

#include "aq-error.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

typedef enum
{
  TEXT,
  INT,
  DOUBLE,
} Kind;

static void
add_column (JsonBuilder *b,
            const char  *member,
            PGresult    *res,
            int          row,
            int          column,
            Kind         kind)
{
  const char *value = PQgetvalue (res, row, column);

  json_builder_set_member_name (b, member);
  if (PQgetisnull (res, row, column))
    json_builder_add_null_value (b);
  else if (kind == INT)
    json_builder_add_int_value (b, g_ascii_strtoll (value, NULL, 10));
  else if (kind == DOUBLE)
    json_builder_add_double_value (b, g_ascii_strtod (value, NULL));
  else
    json_builder_add_string_value (b, value);
}

static JsonObject *
take_object (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);

  return json_object_ref (json_node_get_object (root));
}

/**
 * aq_pipeline_history_last_runs:
 *
 * Returns: (transfer full): the last run of every pipeline that ran, by the pipeline's name:
 * `{"NAME": {"run_id", "status", "started_at" ("YYYY-MM-DD HH24:MI:SS" in the session's time
 * zone), "duration_ms", "rows_written", "error"}}`
 */
JsonObject *
aq_pipeline_history_last_runs (AqDb    *db,
                               GError **error)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);

  res = aq_db_query (db,
                     "SELECT DISTINCT ON (pipeline) pipeline, run_id, status,"
                     " to_char(started_at, 'YYYY-MM-DD HH24:MI:SS'),"
                     " round(extract(epoch FROM finished_at - started_at) * 1000),"
                     " rows_written, error"
                     " FROM meta.pipeline_run ORDER BY pipeline, run_id DESC",
                     0, NULL, error);
  if (res == NULL)
    return NULL;

  b = json_builder_new ();
  json_builder_begin_object (b);
  for (int i = 0; i < PQntuples (res); i++)
    {
      json_builder_set_member_name (b, PQgetvalue (res, i, 0));
      json_builder_begin_object (b);
      add_column (b, "run_id", res, i, 1, INT);
      add_column (b, "status", res, i, 2, TEXT);
      add_column (b, "started_at", res, i, 3, TEXT);
      add_column (b, "duration_ms", res, i, 4, DOUBLE);
      add_column (b, "rows_written", res, i, 5, INT);
      add_column (b, "error", res, i, 6, TEXT);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  return take_object (b);
}

/**
 * aq_pipeline_history_get_run:
 *
 * Returns: (transfer full): the run @run_id: `{"status", "rows_written", "error",
 * "duration_ms", "steps": [{"id", "type", "rows_in", "rows_out", "duration_ms", "error"}]}`
 * (the steps that recorded a row, in no particular order); %NULL with %AQ_ERROR_NOT_FOUND
 * when the run is not recorded
 */
JsonObject *
aq_pipeline_history_get_run (AqDb    *db,
                             gint64   run_id,
                             GError **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);
  const char *params[] = { id };
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(PGresult) run = NULL;
  g_autoptr(PGresult) steps = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);

  run = aq_db_query (db,
                     "SELECT status, rows_written, error,"
                     " extract(epoch FROM finished_at - started_at) * 1000"
                     " FROM meta.pipeline_run WHERE run_id = $1", 1, params, error);
  if (run == NULL)
    return NULL;
  if (PQntuples (run) != 1)
    {
      g_set_error_literal (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, "it is not recorded");
      return NULL;
    }
  steps = aq_db_query (db,
                       "SELECT step_id, step_type, rows_in, rows_out, duration_ms, error"
                       " FROM meta.pipeline_step_run WHERE run_id = $1", 1, params, error);
  if (steps == NULL)
    return NULL;

  b = json_builder_new ();
  json_builder_begin_object (b);
  add_column (b, "status", run, 0, 0, TEXT);
  add_column (b, "rows_written", run, 0, 1, INT);
  add_column (b, "error", run, 0, 2, TEXT);
  add_column (b, "duration_ms", run, 0, 3, DOUBLE);
  json_builder_set_member_name (b, "steps");
  json_builder_begin_array (b);
  for (int r = 0; r < PQntuples (steps); r++)
    {
      json_builder_begin_object (b);
      add_column (b, "id", steps, r, 0, TEXT);
      add_column (b, "type", steps, r, 1, TEXT);
      add_column (b, "rows_in", steps, r, 2, INT);
      add_column (b, "rows_out", steps, r, 3, INT);
      add_column (b, "duration_ms", steps, r, 4, DOUBLE);
      add_column (b, "error", steps, r, 5, TEXT);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return take_object (b);
}

/**
 * aq_pipeline_history_runs:
 * @pipeline: the pipeline's name
 * @limit: at most this many runs, the newest
 *
 * Returns: (transfer full): the runs of @pipeline, newest first: `[{"run_id", "status",
 * "started_at" ("YYYY-MM-DD HH24:MI:SS" in the session's time zone), "duration_ms" (null while
 * running), "rows_written", "error", "triggered_by", "version" (the stored version it ran, or
 * null), "definition_kept" (true when it ran a text that is no stored version; false also for
 * runs before migration 042, which recorded neither), "steps": [{"id", "rows_in", "rows_out",
 * "duration_ms"}]}]` with the steps that recorded a row, by id. One statement, so one
 * snapshot.
 */
JsonArray *
aq_pipeline_history_runs (AqDb        *db,
                          const char  *pipeline,
                          guint        limit,
                          GError     **error)
{
  g_autofree char *n = g_strdup_printf ("%u", limit);
  const char *params[] = { pipeline, n };
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *current = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  g_return_val_if_fail (pipeline != NULL, NULL);

  res = aq_db_query (db,
                     "SELECT r.run_id, r.status,"
                     " to_char(r.started_at, 'YYYY-MM-DD HH24:MI:SS'),"
                     " round(extract(epoch FROM r.finished_at - r.started_at) * 1000),"
                     " r.rows_written, r.error, r.triggered_by,"
                     " s.step_id, s.rows_in, s.rows_out, s.duration_ms,"
                     " r.version, r.definition IS NOT NULL"
                     " FROM (SELECT * FROM meta.pipeline_run WHERE pipeline = $1"
                     "       ORDER BY run_id DESC LIMIT $2::int) r"
                     " LEFT JOIN meta.pipeline_step_run s USING (run_id)"
                     " ORDER BY r.run_id DESC, s.step_id",
                     2, params, error);
  if (res == NULL)
    return NULL;

  b = json_builder_new ();
  json_builder_begin_array (b);
  for (int i = 0; i < PQntuples (res); i++)
    {
      if (g_strcmp0 (current, PQgetvalue (res, i, 0)) != 0)
        {
          if (current)
            {
              json_builder_end_array (b);
              json_builder_end_object (b);
            }
          current = PQgetvalue (res, i, 0);
          json_builder_begin_object (b);
          add_column (b, "run_id", res, i, 0, INT);
          add_column (b, "status", res, i, 1, TEXT);
          add_column (b, "started_at", res, i, 2, TEXT);
          add_column (b, "duration_ms", res, i, 3, DOUBLE);
          add_column (b, "rows_written", res, i, 4, INT);
          add_column (b, "error", res, i, 5, TEXT);
          add_column (b, "triggered_by", res, i, 6, TEXT);
          add_column (b, "version", res, i, 11, INT);
          json_builder_set_member_name (b, "definition_kept");
          json_builder_add_boolean_value (b, PQgetvalue (res, i, 12)[0] == 't');
          json_builder_set_member_name (b, "steps");
          json_builder_begin_array (b);
        }
      if (PQgetisnull (res, i, 7))
        continue;
      json_builder_begin_object (b);
      add_column (b, "id", res, i, 7, TEXT);
      add_column (b, "rows_in", res, i, 8, INT);
      add_column (b, "rows_out", res, i, 9, INT);
      add_column (b, "duration_ms", res, i, 10, DOUBLE);
      json_builder_end_object (b);
    }
  if (current)
    {
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  return json_array_ref (json_node_get_array (root));
}

/**
 * aq_pipeline_history_run_definition:
 * @run_id: a run in meta.pipeline_run
 * @out_pipeline: (out) (optional): the pipeline's name
 * @out_version: (out) (optional): the stored version the run ran, or 0 when it ran a text that
 *   is no stored version (an unsaved edit, a file the store does not hold)
 *
 * The definition run @run_id ran, as it was then, however the pipeline was edited since
 * (migration 042). One statement, so one snapshot.
 *
 * Returns: (transfer full): the definition's JSON text; %NULL with %AQ_ERROR_NOT_FOUND when the
 * run is not recorded or recorded no definition (it ran before migration 042)
 */
char *
aq_pipeline_history_run_definition (AqDb     *db,
                                    gint64    run_id,
                                    char    **out_pipeline,
                                    int      *out_version,
                                    GError  **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);
  const char *params[] = { id };
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);

  res = aq_db_query (db,
                     "SELECT r.pipeline, r.version, coalesce (r.definition, v.definition)"
                     " FROM meta.pipeline_run r"
                     " LEFT JOIN meta.pipeline_version v"
                     "   ON v.name = r.pipeline AND v.version = r.version"
                     " WHERE r.run_id = $1", 1, params, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) != 1)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("There is no run %s"), id);
      return NULL;
    }
  if (PQgetisnull (res, 0, 2))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND,
                   _("Run %s did not record its definition (it ran before the warehouse"
                     " remembered them)"), id);
      return NULL;
    }
  if (out_pipeline)
    *out_pipeline = g_strdup (PQgetvalue (res, 0, 0));
  if (out_version)
    *out_version = PQgetisnull (res, 0, 1) ? 0 : atoi (PQgetvalue (res, 0, 1));
  return g_strdup (PQgetvalue (res, 0, 2));
}
