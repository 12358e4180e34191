/* aq-pipeline-runner-statements.c — the runner's statements: errors, queries, temp tables
 *
 * Every statement of a run goes through run_query()/run_statement() here, so a failure names
 * the step it belongs to and a cancel is noticed the same way everywhere; a step's rows are
 * materialized as temp tables and analyzed when big enough to matter to the planner.
 */
#define G_LOG_DOMAIN "aq-pipeline"

#include "aq-pipeline-runner-private.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "aq-error.h"
#include "aq-pipeline-sample.h"

/* ---- errors ---- */

/* The server's own words for a failed statement, with the step's id (and @where, the place
 * in the input, when known) in front. */
void
set_error_from_result (AqPipelineRunner  *self,
                       AqPipelineStep    *step,
                       PGconn            *conn,
                       PGresult          *res,
                       const char        *where,
                       GError           **error)
{
  const char *state = res ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  const char *primary = res ? PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  const char *detail = res ? PQresultErrorField (res, PG_DIAG_MESSAGE_DETAIL) : NULL;
  const char *hint = res ? PQresultErrorField (res, PG_DIAG_MESSAGE_HINT) : NULL;
  g_autoptr(GString) message = g_string_new (NULL);
  int code;

  if (step)
    g_string_append_printf (message, "step “%s”: ", aq_pipeline_step_get_id (step));
  if (where)
    g_string_append_printf (message, "%s: ", where);
  if (primary)
    g_string_append (message, primary);
  else
    {
      g_autofree char *text = g_strstrip (g_strdup (PQerrorMessage (conn)));
      g_string_append (message, *text ? text : "the warehouse gave no reason");
    }
  if (detail)
    g_string_append_printf (message, " (%s)", detail);
  if (hint)
    g_string_append_printf (message, ". %s", hint);

  /* 57014 is also a statement timeout: only our own cancellable makes it a cancellation */
  if (g_strcmp0 (state, "57014") == 0 && g_cancellable_is_cancelled (self->cancellable))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, message->str);
      return;
    }
  if (g_strcmp0 (state, "57014") == 0)
    self->timed_out = TRUE;
  if (PQstatus (conn) != CONNECTION_OK || (state && g_str_has_prefix (state, "08")))
    code = AQ_ERROR_CONNECTION;
  else
    code = self->with_data ? AQ_ERROR_QUERY : AQ_ERROR_INVALID;
  g_set_error_literal (error, AQ_ERROR, code, message->str);
}

gboolean
check_cancelled (AqPipelineRunner  *self,
                 GError           **error)
{
  if (!g_cancellable_is_cancelled (self->cancellable))
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The pipeline run was cancelled");
  return FALSE;
}

/* ---- statements ---- */

PGresult *
run_query (AqPipelineRunner    *self,
           AqPipelineStep      *step,
           AqDb                *db,
           const char          *sql,
           GPtrArray           *params,
           GError             **error)
{
  PGconn *conn = aq_db_get_conn (db);
  g_autoptr(PGresult) res = NULL;
  ExecStatusType status;

  /* a cancel that arrives between two statements reaches no statement: look before each */
  if (!check_cancelled (self, error))
    return NULL;
  g_debug ("%s", sql);
  res = PQexecParams (conn, sql, params ? (int) params->len : 0, NULL,
                      params ? (const char * const *) params->pdata : NULL, NULL, NULL, 0);
  status = PQresultStatus (res);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      set_error_from_result (self, step, conn, res, NULL, error);
      return NULL;
    }
  return g_steal_pointer (&res);
}

/* Runs one statement; @out_rows gets the count its command tag reports, -1 when none. */
gboolean
run_statement (AqPipelineRunner  *self,
               AqPipelineStep    *step,
               AqDb              *db,
               const char        *sql,
               GPtrArray         *params,
               gint64            *out_rows,
               GError           **error)
{
  g_autoptr(PGresult) res = run_query (self, step, db, sql, params, error);

  if (res == NULL)
    return FALSE;
  if (out_rows)
    *out_rows = *PQcmdTuples (res) ? g_ascii_strtoll (PQcmdTuples (res), NULL, 10) : -1;
  return TRUE;
}

static GPtrArray *
params_new (void)
{
  return g_ptr_array_new_with_free_func (g_free);
}

GPtrArray *
params_of (const char *first,
           ...)
{
  GPtrArray *params = params_new ();
  va_list args;

  va_start (args, first);
  for (const char *p = first; p; p = va_arg (args, const char *))
    g_ptr_array_add (params, g_strdup (p));
  va_end (args);
  return params;
}

/* A text[] literal, to pass a list of names as one parameter. */
char *
text_array_literal (const char * const *items)
{
  GString *literal = g_string_new ("{");

  for (guint i = 0; items[i]; i++)
    {
      if (i > 0)
        g_string_append_c (literal, ',');
      g_string_append_c (literal, '"');
      for (const char *p = items[i]; *p; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (literal, '\\');
          g_string_append_c (literal, *p);
        }
      g_string_append_c (literal, '"');
    }
  g_string_append_c (literal, '}');
  return g_string_free (literal, FALSE);
}

/* The columns of a table (quoted name), or %NULL in @out when there is no such table. */
gboolean
describe_relation (AqPipelineRunner  *self,
                   AqPipelineStep    *step,
                   const char        *relation,
                   GPtrArray        **out,
                   GError           **error)
{
  g_autoptr(GPtrArray) params = params_of (relation, NULL);
  g_autoptr(PGresult) res = NULL;
  GPtrArray *columns;

  res = run_query (self, step, self->db,
                   "SELECT a.attname, format_type(a.atttypid, a.atttypmod)"
                   " FROM (SELECT to_regclass($1) AS oid) r"
                   " LEFT JOIN pg_attribute a"
                   "   ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped"
                   " WHERE r.oid IS NOT NULL ORDER BY a.attnum",
                   params, error);
  if (res == NULL)
    return FALSE;
  *out = NULL;
  if (PQntuples (res) == 0)
    return TRUE;
  columns = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_pipeline_column_free);
  for (int i = 0; i < PQntuples (res); i++)
    if (!PQgetisnull (res, i, 0))
      g_ptr_array_add (columns, aq_pipeline_column_new (PQgetvalue (res, i, 0),
                                                        PQgetvalue (res, i, 1)));
  *out = columns;
  return TRUE;
}

/* What the warehouse made of the step's temp table becomes what the step passes on. */
gboolean
describe_step (AqPipelineRunner  *self,
               AqPipelineStep    *step,
               GError           **error)
{
  g_autofree char *relation = aq_pipeline_compiler_get_relation (self->compiler, step);
  GPtrArray *columns = NULL;

  if (!describe_relation (self, step, relation, &columns, error))
    return FALSE;
  aq_pipeline_compiler_set_columns (self->compiler, step, columns);
  return TRUE;
}

/* CREATE TEMP TABLE … AS the step's query: its rows, or only its shape while checking. */
gboolean
materialize (AqPipelineRunner  *self,
             AqPipelineStep    *step,
             gint64            *out_rows,
             GError           **error)
{
  g_autoptr(GPtrArray) params = params_new ();
  g_autofree char *query = aq_pipeline_compiler_get_query (self->compiler, step, params);
  g_autofree char *relation = aq_pipeline_compiler_get_relation (self->compiler, step);
  g_autofree char *sampled = NULL;
  /* a preview reads the first rows through views: nothing upstream is computed in full (a
   * view takes no parameters: a step whose SQL has some stays a table) */
  g_autofree char *sql = self->as_views && self->with_data && params->len == 0
                         ? g_strdup_printf ("CREATE TEMP VIEW %s AS\n%s", relation, query)
                         : g_strdup_printf ("CREATE TEMP TABLE %s ON COMMIT DROP AS\n%s%s",
                                            relation, query,
                                            self->with_data ? "" : "\nWITH NO DATA");

  /* a sampled preview's table input reads the first rows of each table its SQL names */
  if (self->sample_rows > 0 && self->with_data
      && aq_pipeline_step_get_kind (step) == AQ_PIPELINE_STEP_TABLE_INPUT)
    {
      if ((sampled = sample_query (self, step, query, error)) == NULL)
        return FALSE;
      g_free (sql);
      sql = params->len == 0
            ? g_strdup_printf ("CREATE TEMP VIEW %s AS\n%s", relation, sampled)
            : g_strdup_printf ("CREATE TEMP TABLE %s ON COMMIT DROP AS\n%s", relation, sampled);
    }
  return run_statement (self, step, self->db, sql, params, out_rows, error)
         && describe_step (self, step, error);
}

/* A sampled preview's table input: @query over the first sample_rows rows of each table it
 * names (aq-pipeline-sample.c finds the names, the server says which are relations), each
 * table copied once per preview into a temp table that the rollback drops. */
char *
sample_query (AqPipelineRunner  *self,
              AqPipelineStep    *step,
              const char        *query,
              GError           **error)
{
  g_autoptr(GPtrArray) names = aq_pipeline_sample_find_names (query);
  g_autoptr(GPtrArray) unknown = g_ptr_array_new ();
  g_autoptr(GHashTable) chosen = g_hash_table_new (g_str_hash, g_str_equal);

  if (self->samples == NULL)
    self->samples = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < names->len; i++)
    {
      AqSqlName *name = g_ptr_array_index (names, i);

      if (!g_hash_table_contains (self->samples, name->name)
          && !g_ptr_array_find_with_equal_func (unknown, name->name, g_str_equal, NULL))
        g_ptr_array_add (unknown, name->name);
    }
  if (unknown->len > 0)
    {
      g_autofree char *literal = NULL;
      g_autoptr(GPtrArray) params = NULL;
      g_autoptr(PGresult) res = NULL;

      g_ptr_array_add (unknown, NULL);
      literal = text_array_literal ((const char * const *) unknown->pdata);
      params = params_of (literal, NULL);
      res = run_query (self, step, self->db,
                       "SELECT c.oid::regclass::text FROM unnest($1::text[]) WITH ORDINALITY"
                       " u (name, i) LEFT JOIN pg_class c ON c.oid = to_regclass (u.name)"
                       " AND c.relkind IN ('r', 'p', 'm', 'v', 'f') ORDER BY u.i",
                       params, error);
      if (res == NULL)
        return NULL;
      for (int r = 0; r < PQntuples (res); r++)
        {
          const char *name = g_ptr_array_index (unknown, r);
          const char *table = PQgetisnull (res, r, 0) ? NULL : PQgetvalue (res, r, 0);
          const char *known = table ? g_hash_table_lookup (self->samples, table) : NULL;
          char *sample;

          if (table == NULL)
            sample = g_strdup ("");
          else if (known)
            sample = g_strdup (known);
          else
            {
              g_autofree char *create = NULL;
              gint64 rows = 0;

              sample = g_strdup_printf ("pg_temp.\"_aq_sample_%u\"", ++self->n_samples);
              create = g_strdup_printf ("CREATE TEMP TABLE \"_aq_sample_%u\" ON COMMIT DROP AS"
                                        " SELECT * FROM %s LIMIT %u", self->n_samples, table,
                                        self->sample_rows);
              if (!run_statement (self, step, self->db, create, NULL, &rows, error))
                {
                  g_free (sample);
                  return NULL;
                }
              self->sample_input_rows += MAX (rows, 0);
              g_hash_table_insert (self->samples, g_strdup (table), g_strdup (sample));
            }
          g_hash_table_insert (self->samples, g_strdup (name), sample);
        }
    }
  for (guint i = 0; i < names->len; i++)
    {
      AqSqlName *name = g_ptr_array_index (names, i);
      const char *sample = g_hash_table_lookup (self->samples, name->name);

      if (sample && *sample)
        g_hash_table_insert (chosen, name->name, (gpointer) sample);
    }
  return aq_pipeline_sample_rewrite (query, names, chosen);
}

gboolean
analyze_if_needed (AqPipelineRunner  *self,
                   AqPipelineStep    *step,
                   gint64             rows,
                   GError           **error)
{
  GPtrArray *consumers = aq_pipeline_get_consumers (self->pipeline, step);
  g_autofree char *relation = NULL;
  g_autofree char *sql = NULL;
  gboolean wanted = FALSE;

  if (!self->with_data || rows < ANALYZE_MIN_ROWS)
    return TRUE;
  for (guint i = 0; i < consumers->len; i++)
    {
      AqPipelineStepKind kind = aq_pipeline_step_get_kind (g_ptr_array_index (consumers, i));

      wanted |= kind == AQ_PIPELINE_STEP_LOOKUP || kind == AQ_PIPELINE_STEP_AGGREGATE
                || kind == AQ_PIPELINE_STEP_DEDUPLICATE;
    }
  if (!wanted)
    return TRUE;
  relation = aq_pipeline_compiler_get_relation (self->compiler, step);
  sql = g_strdup_printf ("ANALYZE %s", relation);
  return run_statement (self, step, self->db, sql, NULL, NULL, error);
}
