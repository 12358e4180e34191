/* aq-pipeline-runner.c — runs a pipeline in one transaction and records the run
 *
 * A run first walks the steps with shapes only (CREATE TEMP TABLE … WITH NO DATA, a prepared
 * INSERT) in a transaction it rolls back: the SQL, the tables and the column types are checked
 * before any row moves. Then it walks them again for real, in one transaction: each step's
 * rows land in a temp table (so its row count is exact and the next step reads it), files
 * and other databases stream in with COPY, outputs insert into their targets, and only the
 * COMMIT at the end makes anything visible — a failure anywhere leaves every target as it
 * was. The run's row in meta.pipeline_run is written before the transaction and finished
 * after it, so the bookkeeping survives the failure it records.
 *
 * This file holds the run (transforms, outputs, the transaction, the bookkeeping) and the
 * public API; the statements are in aq-pipeline-runner-statements.c, the inputs in
 * aq-pipeline-runner-inputs.c, sharing aq-pipeline-runner-private.h.
 */
#define G_LOG_DOMAIN "aq-pipeline"

#include "aq-pipeline-runner.h"
#include "aq-pipeline-runner-private.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "aq-error.h"
#include "aq-pipeline-compiler.h"
#include "aq-pipeline-native.h"
#include "aq-quality.h"

G_DEFINE_FINAL_TYPE (AqPipelineRunner, aq_pipeline_runner, G_TYPE_OBJECT)

/* ---- transforms and outputs ---- */

static gboolean
check_lookup_table (AqPipelineRunner  *self,
                    AqPipelineStep    *step,
                    GError           **error)
{
  const char *table = aq_pipeline_step_get_string (step, "table");
  g_autofree char *quoted = aq_pipeline_quote_table (table);
  JsonArray *keys = aq_pipeline_step_get_array (step, "keys");
  JsonArray *columns = aq_pipeline_step_get_array (step, "columns");
  g_autoptr(GPtrArray) described = NULL;
  g_autoptr(GPtrArray) wanted = g_ptr_array_new ();

  if (!describe_relation (self, step, quoted, &described, error))
    return FALSE;
  if (described == NULL)
    return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error,
                                  "there is no table %s to look up in", table);
  for (guint i = 0; i < json_array_get_length (keys); i++)
    g_ptr_array_add (wanted, (gpointer) json_object_get_string_member (
                       json_array_get_object_element (keys, i), "table"));
  for (guint i = 0; i < json_array_get_length (columns); i++)
    {
      JsonObject *column = json_array_get_object_element (columns, i);

      const char *from = json_object_get_string_member_with_default (column, "from", NULL);

      g_ptr_array_add (wanted, (gpointer) (from ? from
                                                : json_object_get_string_member (column, "name")));
    }
  for (guint i = 0; i < wanted->len; i++)
    if (!aq_pipeline_columns_find (described, g_ptr_array_index (wanted, i)))
      {
        g_autofree char *names = aq_pipeline_columns_to_string (described);

        return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error,
                                      "no column “%s” in table %s (columns: %s)",
                                      (const char *) g_ptr_array_index (wanted, i), table, names);
      }
  return TRUE;
}

static gboolean
run_transform (AqPipelineRunner  *self,
               AqPipelineStep    *step,
               gint64            *out_rows,
               GError           **error)
{
  if (!aq_pipeline_compiler_check_step (self->compiler, step, error))
    return FALSE;
  if (aq_pipeline_step_get_kind (step) == AQ_PIPELINE_STEP_LOOKUP
      && !check_lookup_table (self, step, error))
    return FALSE;
  return materialize (self, step, out_rows, error)
         && analyze_if_needed (self, step, *out_rows, error);
}

/* ON CONFLICT needs a unique index on exactly the keys. */
static gboolean
check_upsert_index (AqPipelineRunner  *self,
                    AqPipelineStep    *step,
                    const char        *quoted,
                    GError           **error)
{
  g_auto(GStrv) keys = aq_pipeline_step_dup_strv (step, "keys");
  g_autofree char *literal = text_array_literal ((const char * const *) keys);
  g_autofree char *count = g_strdup_printf ("%u", g_strv_length (keys));
  g_autoptr(GPtrArray) params = params_of (quoted, literal, count, NULL);
  g_autoptr(PGresult) res = NULL;
  g_autofree char *list = NULL;

  res = run_query (self, step, self->db,
                   "SELECT EXISTS (SELECT 1 FROM pg_index i"
                   " WHERE i.indrelid = to_regclass($1) AND i.indisunique"
                   "   AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indnkeyatts = $3::int"
                   "   AND (SELECT count(*) FROM pg_attribute a"
                   "        WHERE a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)"
                   "          AND a.attname::text = ANY ($2::text[])) = $3::int)",
                   params, error);
  if (res == NULL)
    return FALSE;
  if (strcmp (PQgetvalue (res, 0, 0), "t") == 0)
    return TRUE;
  list = g_strjoinv (", ", keys);
  return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error,
                                "upsert into %s needs a unique index or primary key on (%s)",
                                aq_pipeline_step_get_string (step, "table"), list);
}

/* Prepares the INSERT so that a column type that does not fit the target is caught — and
 * said in the pipeline's words — before any row moves. */
static gboolean
prepare_insert (AqPipelineRunner  *self,
                AqPipelineStep    *step,
                const char        *insert,
                GError           **error)
{
  PGconn *conn = aq_db_get_conn (self->db);
  g_autoptr(PGresult) res = PQprepare (conn, "", insert, 0, NULL);
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  const char *primary;

  if (PQresultStatus (res) == PGRES_COMMAND_OK)
    return TRUE;
  primary = PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY);
  regex = g_regex_new ("^column \"(.+)\" is of type (.+) but expression is of type (.+)$", 0, 0,
                       NULL);
  if (primary && g_regex_match (regex, primary, 0, &match))
    {
      g_autofree char *column = g_match_info_fetch (match, 1);
      g_autofree char *target = g_match_info_fetch (match, 2);
      g_autofree char *input = g_match_info_fetch (match, 3);

      return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error,
                                    "column “%s” is %s in its input but %s in table %s: convert it in a "
                                    "calculator step first", column, input, target,
                                    aq_pipeline_step_get_string (step, "table"));
    }
  set_error_from_result (self, step, conn, res, NULL, error);
  return FALSE;
}

/* Replacing a table's rows: empty it, drop its keys and indexes, insert, build them again.
 * A btree built once over sorted rows is several times faster than one kept up to date row by
 * row, and a table emptied in its transaction needs no WAL for the rows (wal_level minimal).
 * Everything is inside the run's transaction: a key that no longer holds fails the run and
 * the table keeps its old rows and indexes. Keys that foreign keys point at stay. */
static gboolean
replace_table (AqPipelineRunner  *self,
               AqPipelineStep    *step,
               const char        *quoted,
               const char        *insert,
               gint64            *out_rows,
               GError           **error)
{
  g_autofree char *truncate = aq_pipeline_compiler_get_truncate (self->compiler, step);
  g_autoptr(GPtrArray) params = params_of (quoted, NULL);
  g_autoptr(PGresult) res = NULL;

  res = run_query (self, step, self->db,
                   "SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', $1::text, c.conname),"
                   "       format('ALTER TABLE %s ADD CONSTRAINT %I %s', $1::text, c.conname,"
                   "              pg_get_constraintdef(c.oid)), 1 AS rebuild_order"
                   "  FROM pg_constraint c"
                   " WHERE c.conrelid = $1::regclass AND c.contype IN ('p', 'u')"
                   "   AND NOT EXISTS (SELECT 1 FROM pg_constraint f"
                   "                    WHERE f.confrelid = c.conrelid AND f.contype = 'f')"
                   " UNION ALL "
                   "SELECT format('DROP INDEX %s', i.indexrelid::regclass),"
                   "       pg_get_indexdef(i.indexrelid), 2"
                   "  FROM pg_index i"
                   " WHERE i.indrelid = $1::regclass"
                   "   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
                   " ORDER BY 3",
                   params, error);
  if (res == NULL || !run_statement (self, step, self->db, truncate, NULL, NULL, error))
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    if (!run_statement (self, step, self->db, PQgetvalue (res, i, 0), NULL, NULL, error))
      return FALSE;
  if (!run_statement (self, step, self->db, insert, NULL, out_rows, error))
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    if (!run_statement (self, step, self->db, PQgetvalue (res, i, 1), NULL, NULL, error))
      return FALSE;
  return TRUE;
}

/* An output with "incremental": {"watermark_of": STEP, "column": COLUMN} loads only what its
 * input's watermark lets through: the rows of the target whose COLUMN is past that watermark
 * (the periods the new rows belong to) are deleted and the new ones inserted. Without a
 * stored watermark (the first load, or after the sources were simulated anew) it replaces the
 * whole table. Either way the target ends as a full reload would leave it, as long as a row's
 * values depend only on input rows of its own period. Sets *@window to the watermark, or NULL
 * for a full reload. */
static gboolean
incremental_window (AqPipelineRunner  *self,
                    AqPipelineStep    *step,
                    const char       **window,
                    GError           **error)
{
  JsonObject *incremental = aq_pipeline_step_get_object (step, "incremental");
  const char *of, *column;
  AqPipelineStep *input;

  *window = NULL;
  if (incremental == NULL)
    return TRUE;
  of = json_object_get_string_member_with_default (incremental, "watermark_of", NULL);
  column = json_object_get_string_member_with_default (incremental, "column", NULL);
  input = of ? aq_pipeline_find_step (self->pipeline, of) : NULL;
  if (input == NULL || column == NULL
      || aq_pipeline_step_get_object (input, "watermark") == NULL)
    return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error,
                                  "“incremental” needs “watermark_of”, a step with a watermark, "
                                  "and the target's “column” it stands for");
  *window = aq_pipeline_compiler_get_watermark (self->compiler, input);
  return TRUE;
}

static gboolean
reload_window (AqPipelineRunner  *self,
               AqPipelineStep    *step,
               const char        *quoted,
               const char        *window,
               const char        *insert,
               gint64            *out_rows,
               GError           **error)
{
  JsonObject *incremental = aq_pipeline_step_get_object (step, "incremental");
  g_autofree char *column = aq_db_quote_ident (json_object_get_string_member (incremental,
                                                                              "column"));
  g_autofree char *delete = g_strdup_printf ("DELETE FROM %s WHERE %s > $1", quoted, column);
  g_autoptr(GPtrArray) params = params_of (window, NULL);

  return run_statement (self, step, self->db, delete, params, NULL, error)
         && run_statement (self, step, self->db, insert, NULL, out_rows, error);
}

/* Fresh statistics for a table a run loaded many rows into: the next pipeline (or the next
 * step) reading it plans with them instead of waiting for autovacuum to notice. */
static gboolean
analyze_target (AqPipelineRunner  *self,
                AqPipelineStep    *step,
                const char        *quoted,
                gint64             rows,
                GError           **error)
{
  g_autofree char *sql = NULL;

  if (rows < ANALYZE_TARGET_MIN_ROWS)
    return TRUE;
  sql = g_strdup_printf ("ANALYZE %s", quoted);
  return run_statement (self, step, self->db, sql, NULL, NULL, error);
}

static gboolean
run_output (AqPipelineRunner  *self,
            AqPipelineStep    *step,
            gint64            *out_rows,
            GError           **error)
{
  const char *table = aq_pipeline_step_get_string (step, "table");
  const char *mode = aq_pipeline_step_get_string (step, "mode");
  g_autofree char *quoted = aq_pipeline_quote_table (table);
  g_autofree char *insert = NULL;
  g_autoptr(GPtrArray) target = NULL;
  const char *window = NULL;
  GPtrArray *input;

  if (!aq_pipeline_compiler_check_step (self->compiler, step, error)
      || !incremental_window (self, step, &window, error)
      || !describe_relation (self, step, quoted, &target, error))
    return FALSE;
  if (target == NULL)
    {
      g_autofree char *create = NULL;
      g_autoptr(GPtrArray) indexes = NULL;

      if (!aq_pipeline_step_get_boolean (step, "create", FALSE))
        return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error,
                                      "there is no table %s (with “create”: true the step creates it)",
                                      table);
      create = aq_pipeline_compiler_get_create_table (self->compiler, step);
      if (!run_statement (self, step, self->db, create, NULL, NULL, error))
        return FALSE;
      indexes = aq_pipeline_compiler_get_create_indexes (self->compiler, step);
      for (guint i = 0; i < indexes->len; i++)
        if (!run_statement (self, step, self->db, g_ptr_array_index (indexes, i), NULL, NULL,
                            error))
          return FALSE;
      if (!describe_relation (self, step, quoted, &target, error))
        return FALSE;
    }

  input = aq_pipeline_compiler_get_input_columns (self->compiler, step);
  for (guint i = 0; i < input->len; i++)
    {
      AqPipelineColumn *column = g_ptr_array_index (input, i);

      if (!aq_pipeline_columns_find (target, column->name))
        {
          g_autofree char *names = aq_pipeline_columns_to_string (target);

          return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error,
                                        "table %s has no column “%s” (columns: %s)", table,
                                        column->name, names);
        }
    }
  if (g_strcmp0 (mode, "upsert") == 0 && !check_upsert_index (self, step, quoted, error))
    return FALSE;

  insert = aq_pipeline_compiler_get_insert (self->compiler, step);
  if (!prepare_insert (self, step, insert, error))
    return FALSE;
  if (!self->with_data)
    return TRUE;

  if (g_strcmp0 (mode, "replace") == 0
      || (aq_pipeline_step_get_object (step, "incremental") && window == NULL))
    {
      if (!replace_table (self, step, quoted, insert, out_rows, error))
        return FALSE;
    }
  else if (window)
    {
      if (!reload_window (self, step, quoted, window, insert, out_rows, error))
        return FALSE;
    }
  else if (!run_statement (self, step, self->db, insert, NULL, out_rows, error))
    return FALSE;
  self->rows_written += *out_rows;
  return analyze_target (self, step, quoted, *out_rows, error);
}

/* A sql step's statements, as they are (several are allowed: no parameters, so PQexec); or,
 * when it names a "native" function this program provides, that instead (aq-pipeline-native.c:
 * the same work in C). */
static gboolean
run_sql (AqPipelineRunner  *self,
         AqPipelineStep    *step,
         gint64            *out_rows,
         GError           **error)
{
  PGconn *conn = aq_db_get_conn (self->db);
  const char *native = aq_pipeline_step_get_string (step, "native");
  AqPipelineNativeFunc func = native ? aq_pipeline_native_lookup (native) : NULL;
  g_autoptr(PGresult) res = NULL;
  ExecStatusType status;

  if (!check_cancelled (self, error))
    return FALSE;
  if (func)
    {
      g_autoptr(GError) local = NULL;

      *out_rows = -1;
      if (!func (self->db, self->cancellable, out_rows, &local))
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local), "step “%s”: ",
                                      aq_pipeline_step_get_id (step));
          return FALSE;
        }
      if (PQtransactionStatus (conn) != PQTRANS_INTRANS)
        return aq_pipeline_step_fail (step, AQ_ERROR_FAILED, error,
                                      "its native function “%s” ended the run's transaction",
                                      native);
      return TRUE;
    }
  if (native)
    g_debug ("step “%s”: no native “%s” in this program, running its statements",
             aq_pipeline_step_get_id (step), native);
  res = PQexec (conn, aq_pipeline_step_get_string (step, "sql"));
  status = PQresultStatus (res);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY)
    {
      set_error_from_result (self, step, conn, res, NULL, error);
      return FALSE;
    }
  if (PQtransactionStatus (conn) != PQTRANS_INTRANS)
    return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error,
                                  "a sql step must not end the run's transaction (no COMMIT or ROLLBACK)");
  *out_rows = *PQcmdTuples (res) ? g_ascii_strtoll (PQcmdTuples (res), NULL, 10) : -1;
  return TRUE;
}

/* ---- the run ---- */

gboolean
execute_step (AqPipelineRunner  *self,
              AqPipelineStep    *step,
              GError           **error)
{
  StepRun *run = &self->steps[aq_pipeline_step_get_index (step)];
  GPtrArray *inputs = aq_pipeline_step_get_inputs (step);
  gint64 start = g_get_monotonic_time ();
  gint64 rows = -1;
  gboolean ok;

  switch (aq_pipeline_step_get_kind (step))
    {
    case AQ_PIPELINE_STEP_TABLE_INPUT:
      ok = run_table_input (self, step, &rows, error);
      break;
    case AQ_PIPELINE_STEP_CSV_INPUT:
    case AQ_PIPELINE_STEP_JSON_INPUT:
      ok = run_file_input (self, step, &rows, error);
      break;
    case AQ_PIPELINE_STEP_TABLE_OUTPUT:
      ok = run_output (self, step, &rows, error);
      break;
    case AQ_PIPELINE_STEP_SQL:
      ok = run_sql (self, step, &rows, error);
      break;
    case AQ_PIPELINE_STEP_QUALITY_GATE:
      ok = aq_quality_gate_run (self->db, aq_pipeline_step_get_definition (step),
                                self->cancellable, &rows, error);
      break;
    case AQ_PIPELINE_STEP_UNKNOWN:
      g_return_val_if_reached (FALSE);
    default:
      ok = run_transform (self, step, &rows, error);
      break;
    }

  if (!self->with_data)
    return ok;
  run->started = TRUE;
  run->duration_ms = (g_get_monotonic_time () - start) / 1000.0;
  run->rows_out = ok ? rows : -1;
  /* an input's rows in are the rows it read */
  run->rows_in = aq_pipeline_step_is_input (step) ? run->rows_out : -1;
  for (guint i = 0; i < inputs->len; i++)
    {
      StepRun *input = &self->steps[aq_pipeline_step_get_index (g_ptr_array_index (inputs, i))];

      run->rows_in = MAX (run->rows_in, 0) + MAX (input->rows_out, 0);
    }
  return ok;
}

static void
report_step (AqPipelineRunner    *self,
             AqPipelineStep      *step,
             AqPipelineStepState  state,
             const char          *error_text)
{
  StepRun *run = &self->steps[aq_pipeline_step_get_index (step)];
  AqPipelineStepReport report = {
    aq_pipeline_step_get_id (step), state, -1, -1, 0.0, error_text
  };

  if (self->step_func == NULL)
    return;
  if (state != AQ_PIPELINE_STEP_STARTED)
    {
      report.rows_in = run->rows_in;
      report.rows_out = run->rows_out;
      report.duration_ms = run->duration_ms;
    }
  self->step_func (&report, self->step_data);
}

/* Every step in order: with data, or (while checking) shapes only up to the first sql step,
 * since what comes after one may need what it does. */
static gboolean
execute_steps (AqPipelineRunner  *self,
               GError           **error)
{
  GPtrArray *order = aq_pipeline_get_order (self->pipeline, error);

  if (order == NULL)
    return FALSE;
  for (guint i = 0; i < order->len; i++)
    {
      AqPipelineStep *step = g_ptr_array_index (order, i);

      if (!self->with_data && (aq_pipeline_step_get_kind (step) == AQ_PIPELINE_STEP_SQL
                               || aq_pipeline_step_get_kind (step)
                                  == AQ_PIPELINE_STEP_QUALITY_GATE))
        break;
      if (!check_cancelled (self, error))
        return FALSE;
      if (self->with_data && self->progress)
        {
          g_autofree char *message = g_strdup_printf ("%s (%s)",
                                                      aq_pipeline_step_get_id (step),
                                                      aq_pipeline_step_get_kind_name (step));
          self->progress ((double) i / order->len, message, self->progress_data);
        }
      if (self->with_data)
        report_step (self, step, AQ_PIPELINE_STEP_STARTED, NULL);
      if (!execute_step (self, step, error))
        {
          self->failed = step;
          if (self->with_data)
            report_step (self, step, AQ_PIPELINE_STEP_FAILED, error ? (*error)->message : NULL);
          return FALSE;
        }
      if (self->with_data)
        report_step (self, step, AQ_PIPELINE_STEP_FINISHED, NULL);
    }
  return TRUE;
}

/* The session must be idle (a run is its own transaction) and gets its temp buffers. */
static gboolean
prepare_session (AqPipelineRunner  *self,
                 GError           **error)
{
  PGconn *conn = aq_db_get_conn (self->db);
  g_autofree char *current = NULL;

  if (PQtransactionStatus (conn) != PQTRANS_IDLE)
    {
      g_set_error_literal (error, AQ_ERROR, AQ_ERROR_FAILED,
                           "The connection is inside a transaction: a pipeline runs in its own");
      return FALSE;
    }
  current = aq_db_query_string (self->db, "SELECT current_setting('temp_buffers')", 0, NULL,
                                error);
  if (current == NULL)
    return FALSE;
  if (strcmp (current, TEMP_BUFFERS) != 0)
    {
      /* refused once this session has used temp tables: then they make do with what it has */
      g_autoptr(PGresult) res = PQexec (conn, "SET temp_buffers = '" TEMP_BUFFERS "'");

      if (PQresultStatus (res) != PGRES_COMMAND_OK)
        g_debug ("temp_buffers stays %s: %s", current, PQresultErrorMessage (res));
    }
  /* a run is a batch job: sorts and hashes of millions of rows stay in memory, index builds
   * get room */
  return aq_db_exec (self->db, "SET work_mem = '" BATCH_WORK_MEM "';"
                     "SET maintenance_work_mem = '" BATCH_WORK_MEM "'", error);
}

/* The shapes-only walk, in a transaction that is always rolled back. */
static gboolean
check_in_transaction (AqPipelineRunner  *self,
                      GError           **error)
{
  gboolean ok;

  self->with_data = FALSE;
  ok = run_statement (self, NULL, self->db, "BEGIN", NULL, NULL, error)
       && run_statement (self, NULL, self->db, RUN_AS_DATA_ENGINEER, NULL, NULL, error)
       && execute_steps (self, error);
  aq_db_rollback (self->db);
  return ok;
}

static gboolean
load_watermarks (AqPipelineRunner  *self,
                 GError           **error)
{
  g_autoptr(GPtrArray) params = params_of (aq_pipeline_get_name (self->pipeline), NULL);
  g_autoptr(PGresult) res = NULL;

  res = run_query (self, NULL, self->db,
                   "SELECT step_id, value FROM meta.pipeline_watermark WHERE pipeline = $1",
                   params, error);
  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      AqPipelineStep *step = aq_pipeline_find_step (self->pipeline, PQgetvalue (res, i, 0));

      if (step == NULL || aq_pipeline_step_get_object (step, "watermark") == NULL)
        continue;
      aq_pipeline_compiler_set_watermark (self->compiler, step, PQgetvalue (res, i, 1));
    }
  return TRUE;
}

static gboolean
store_watermarks (AqPipelineRunner  *self,
                  GError           **error)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->watermarks);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr(GPtrArray) params = params_of (aq_pipeline_get_name (self->pipeline), key, value,
                                               NULL);

      if (!run_statement (self, NULL, self->db,
                          "INSERT INTO meta.pipeline_watermark (pipeline, step_id, value)"
                          " VALUES ($1, $2, $3) ON CONFLICT (pipeline, step_id)"
                          " DO UPDATE SET value = EXCLUDED.value, updated_at = now()",
                          params, NULL, error))
        return FALSE;
    }
  return TRUE;
}

/* SQL of the steps can stamp rows with the run that loaded them:
 * current_setting('aqueduct.run_id', true). */
static gboolean
set_run_id (AqPipelineRunner  *self,
            GError           **error)
{
  g_autofree char *run_id = g_strdup_printf ("%" G_GINT64_FORMAT, self->run_id);
  g_autoptr(GPtrArray) params = params_of (run_id, NULL);

  return run_statement (self, NULL, self->db,
                        "SELECT set_config('aqueduct.run_id', $1, true)", params, NULL, error);
}

static gboolean
execute_in_transaction (AqPipelineRunner  *self,
                        GError           **error)
{
  gboolean ok;

  self->with_data = TRUE;
  self->rows_written = 0;
  g_hash_table_remove_all (self->watermarks);
  ok = run_statement (self, NULL, self->db, "BEGIN", NULL, NULL, error)
       && run_statement (self, NULL, self->db, RUN_AS_DATA_ENGINEER, NULL, NULL, error)
       && set_run_id (self, error)
       && execute_steps (self, error)
       && store_watermarks (self, error);
  if (ok && self->progress)
    self->progress (1.0, "commit", self->progress_data);
  ok = ok && run_statement (self, NULL, self->db, "COMMIT", NULL, NULL, error);
  if (!ok)
    aq_db_rollback (self->db);
  return ok;
}

static gboolean
record_start (AqPipelineRunner  *self,
              GError           **error)
{
  /* the definition it runs: a trigger keeps a stored version's number instead (042) */
  const char *params[] = { aq_pipeline_get_name (self->pipeline),
                           aq_pipeline_get_source (self->pipeline) };
  g_autoptr(PGresult) res = NULL;

  res = aq_db_query (self->db,
                     "INSERT INTO meta.pipeline_run (pipeline, definition) VALUES ($1, $2)"
                     " RETURNING run_id",
                     2, params, error);
  if (res == NULL)
    {
      g_prefix_error (error, "Cannot record the run in meta.pipeline_run: ");
      return FALSE;
    }
  self->run_id = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  return TRUE;
}

static char *
int_or_null (gint64 value)
{
  return value < 0 ? NULL : g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

/* After COMMIT or ROLLBACK, in a transaction of its own. */
static void
record_end (AqPipelineRunner *self,
            const char       *status,
            const char       *error_text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *run_id = g_strdup_printf ("%" G_GINT64_FORMAT, self->run_id);
  g_autofree char *rows = g_strdup_printf ("%" G_GINT64_FORMAT,
                                           strcmp (status, "succeeded") == 0
                                           ? self->rows_written : 0);
  const char *params[] = { run_id, status, rows, error_text };
  g_autoptr(PGresult) res = NULL;
  gboolean ok;

  ok = aq_db_begin (self->db, &error)
       && (res = aq_db_query (self->db,
                              "UPDATE meta.pipeline_run SET status = $2, rows_written = $3,"
                              " error = $4, finished_at = clock_timestamp() WHERE run_id = $1",
                              4, params, &error)) != NULL;
  for (guint i = 0; ok && i < aq_pipeline_get_n_steps (self->pipeline); i++)
    {
      AqPipelineStep *step = aq_pipeline_get_step (self->pipeline, i);
      StepRun *run = &self->steps[i];
      g_autofree char *rows_in = int_or_null (run->rows_in);
      g_autofree char *rows_out = int_or_null (run->rows_out);
      g_autofree char *duration = g_strdup_printf ("%.3f", run->duration_ms);
      const char *step_params[] = {
        run_id, aq_pipeline_step_get_id (step), aq_pipeline_step_get_kind_name (step),
        rows_in, rows_out, duration, run->error
      };
      g_autoptr(PGresult) step_res = NULL;

      if (!run->started)
        continue;
      step_res = aq_db_query (self->db,
                              "INSERT INTO meta.pipeline_step_run (run_id, step_id, step_type,"
                              " rows_in, rows_out, duration_ms, error)"
                              " VALUES ($1, $2, $3, $4, $5, $6, $7)",
                              7, step_params, &error);
      ok = step_res != NULL;
    }
  ok = ok && aq_db_commit (self->db, &error);
  if (!ok)
    {
      aq_db_rollback (self->db);
      g_warning ("Could not record how run %" G_GINT64_FORMAT " of pipeline %s ended: %s",
                 self->run_id, aq_pipeline_get_name (self->pipeline), error->message);
    }
}

static void
reset_steps (AqPipelineRunner *self)
{
  for (guint i = 0; i < aq_pipeline_get_n_steps (self->pipeline); i++)
    {
      g_clear_pointer (&self->steps[i].error, g_free);
      self->steps[i] = (StepRun) { FALSE, -1, -1, 0.0, NULL };
    }
  self->failed = NULL;
}

/* ---- GObject overrides ---- */

static void
aq_pipeline_runner_finalize (GObject *object)
{
  AqPipelineRunner *self = AQ_PIPELINE_RUNNER (object);

  if (self->steps)
    reset_steps (self);
  g_clear_pointer (&self->steps, g_free);
  g_clear_pointer (&self->sources, g_hash_table_unref);
  g_clear_pointer (&self->watermarks, g_hash_table_unref);
  g_clear_pointer (&self->samples, g_hash_table_unref);
  g_clear_object (&self->compiler);
  g_clear_object (&self->pipeline);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (aq_pipeline_runner_parent_class)->finalize (object);
}

static void
aq_pipeline_runner_class_init (AqPipelineRunnerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aq_pipeline_runner_finalize;
}

static void
aq_pipeline_runner_init (AqPipelineRunner *self)
{
  self->sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->watermarks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* ---- public API ---- */

AqPipelineRunner *
aq_pipeline_runner_new (AqPipeline *pipeline,
                        AqDb       *db)
{
  AqPipelineRunner *self;

  g_return_val_if_fail (AQ_IS_PIPELINE (pipeline), NULL);
  g_return_val_if_fail (AQ_IS_DB (db), NULL);

  self = g_object_new (AQ_TYPE_PIPELINE_RUNNER, NULL);
  self->pipeline = g_object_ref (pipeline);
  self->db = g_object_ref (db);
  self->compiler = aq_pipeline_compiler_new (pipeline);
  self->steps = g_new0 (StepRun, aq_pipeline_get_n_steps (pipeline));
  reset_steps (self);
  return self;
}

void
aq_pipeline_runner_set_progress (AqPipelineRunner *self,
                                 AqProgressFunc    progress,
                                 gpointer          user_data)
{
  g_return_if_fail (AQ_IS_PIPELINE_RUNNER (self));
  self->progress = progress;
  self->progress_data = user_data;
}

/* Tells @func about each step of a run as it starts and ends, with its rows and time. */
void
aq_pipeline_runner_set_step_func (AqPipelineRunner   *self,
                                  AqPipelineStepFunc  func,
                                  gpointer            user_data)
{
  g_return_if_fail (AQ_IS_PIPELINE_RUNNER (self));
  self->step_func = func;
  self->step_data = user_data;
}

void
_aq_pipeline_runner_set_with_data (AqPipelineRunner *self,
                                   gboolean          with_data)
{
  self->with_data = with_data;
}

gint64
_aq_pipeline_runner_get_rows_out (AqPipelineRunner *self,
                                  AqPipelineStep   *step)
{
  return self->steps[aq_pipeline_step_get_index (step)].rows_out;
}

/**
 * aq_pipeline_runner_check:
 *
 * Checks the pipeline against the warehouse without moving a row: every step's SQL and
 * columns, the named connections, the input files, the lookup and target tables and the
 * types that go into them. The pipeline's static checks must have passed.
 */
gboolean
aq_pipeline_runner_check (AqPipelineRunner  *self,
                          GCancellable      *cancellable,
                          GError           **error)
{
  gulong handler;
  gboolean ok;

  g_return_val_if_fail (AQ_IS_PIPELINE_RUNNER (self), FALSE);

  if (!prepare_session (self, error))
    return FALSE;
  self->cancellable = cancellable;
  handler = aq_db_watch_cancellable (self->db, cancellable);
  ok = check_in_transaction (self, error);
  aq_db_unwatch_cancellable (self->db, cancellable, handler);
  self->cancellable = NULL;
  g_hash_table_remove_all (self->sources);
  return ok;
}

/**
 * aq_pipeline_runner_run:
 *
 * Records the run, checks it (shapes only), then runs it in one transaction and records how
 * it ended, with each step's rows and time; the failing step gets the error.
 */
gboolean
aq_pipeline_runner_run (AqPipelineRunner  *self,
                        GCancellable      *cancellable,
                        GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *status = "succeeded";
  gulong handler;
  gboolean ok;

  g_return_val_if_fail (AQ_IS_PIPELINE_RUNNER (self), FALSE);

  reset_steps (self);
  if (!prepare_session (self, error) || !record_start (self, error))
    return FALSE;

  self->cancellable = cancellable;
  handler = aq_db_watch_cancellable (self->db, cancellable);
  if (self->progress)
    self->progress (0.0, "checking", self->progress_data);
  ok = check_in_transaction (self, &local_error)
       && load_watermarks (self, &local_error)
       && execute_in_transaction (self, &local_error);
  aq_db_unwatch_cancellable (self->db, cancellable, handler);
  /* a cancel that raced the end of a statement must not reach the bookkeeping */
  aq_db_rollback (self->db);
  self->cancellable = NULL;
  g_hash_table_remove_all (self->sources);

  if (!ok)
    {
      status = g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
               ? "cancelled" : "failed";
      if (self->failed)
        {
          StepRun *run = &self->steps[aq_pipeline_step_get_index (self->failed)];

          run->started = TRUE;
          g_free (run->error);
          run->error = g_strdup (local_error->message);
        }
    }
  record_end (self, status, local_error ? local_error->message : NULL);

  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (self->progress)
    self->progress (1.0, "done", self->progress_data);
  return TRUE;
}

/* The meta.pipeline_run id of the last run, or 0 before one was recorded. */
gint64
aq_pipeline_runner_get_run_id (AqPipelineRunner *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_RUNNER (self), 0);
  return self->run_id;
}

/* ---- entry points ---- */

/**
 * aq_pipeline_runner_validate:
 * @db: (nullable): the warehouse, or %NULL for the checks that need none
 *
 * Without @db: the graph, each step's members, and the columns that can be known without the
 * warehouse (declared by csv and json inputs, and what follows from them). With @db also: the
 * SQL of table inputs, named connections, input files, lookup tables and output tables with
 * their column types — inside a transaction that is rolled back, so nothing changes.
 * Errors are %AQ_ERROR_INVALID and name the step and the member or column.
 */
gboolean
aq_pipeline_runner_validate (AqPipeline  *pipeline,
                             AqDb        *db,
                             GError     **error)
{
  g_autoptr(AqPipelineCompiler) compiler = NULL;
  g_autoptr(AqPipelineRunner) runner = NULL;

  g_return_val_if_fail (AQ_IS_PIPELINE (pipeline), FALSE);
  g_return_val_if_fail (db == NULL || AQ_IS_DB (db), FALSE);

  compiler = aq_pipeline_compiler_new (pipeline);
  if (!aq_pipeline_compiler_check (compiler, error))
    return FALSE;
  if (db == NULL)
    return TRUE;
  runner = aq_pipeline_runner_new (pipeline, db);
  return aq_pipeline_runner_check (runner, NULL, error);
}

/**
 * aq_pipeline_runner_run_pipeline:
 * @progress: (nullable): told which step runs, with the fraction of steps done
 * @cancellable: (nullable): cancels the running statement; the run then rolls back
 * @out_run_id: (out) (optional): the run's meta.pipeline_run id, also when it failed
 *
 * Validates, then runs every step in one transaction: either every target table gets the
 * new rows or none does. The run and its steps are recorded in meta.pipeline_run and
 * meta.pipeline_step_run whatever the outcome. Blocks: call it from a worker thread in a UI.
 * A cancelled run fails with %G_IO_ERROR_CANCELLED.
 */
gboolean
aq_pipeline_runner_run_pipeline (AqPipeline      *pipeline,
                                 AqDb            *db,
                                 AqProgressFunc   progress,
                                 gpointer         user_data,
                                 GCancellable    *cancellable,
                                 gint64          *out_run_id,
                                 GError         **error)
{
  g_autoptr(AqPipelineCompiler) compiler = NULL;
  g_autoptr(AqPipelineRunner) runner = NULL;
  gboolean ok;

  g_return_val_if_fail (AQ_IS_PIPELINE (pipeline), FALSE);
  g_return_val_if_fail (AQ_IS_DB (db), FALSE);

  if (out_run_id)
    *out_run_id = 0;
  compiler = aq_pipeline_compiler_new (pipeline);
  if (!aq_pipeline_compiler_check (compiler, error))
    return FALSE;
  runner = aq_pipeline_runner_new (pipeline, db);
  aq_pipeline_runner_set_progress (runner, progress, user_data);
  ok = aq_pipeline_runner_run (runner, cancellable, error);
  if (out_run_id)
    *out_run_id = aq_pipeline_runner_get_run_id (runner);
  return ok;
}
