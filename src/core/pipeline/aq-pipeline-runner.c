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
 */
#define G_LOG_DOMAIN "aq-pipeline"

#include "aq-pipeline-runner.h"
#include "aq-quality.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "aq-error.h"
#include "aq-pipeline-compiler.h"

#define WAREHOUSE_CONNECTION "warehouse"
/* Temp tables live in the session's local buffers: big enough that a step's rows stay in
 * memory. Only settable before the session first touches a temp table. */
#define TEMP_BUFFERS "1GB"
#define BATCH_WORK_MEM "512MB"
#define CHUNK_SIZE (1024 * 1024)
/* Temp tables get no statistics unless asked; joins and groupings over many rows want them. */
#define ANALYZE_MIN_ROWS 100000
#define ANALYZE_TARGET_MIN_ROWS 1000

typedef struct
{
  gboolean  started;
  gint64    rows_in;      /* -1 for none */
  gint64    rows_out;     /* -1 for none */
  double    duration_ms;
  char     *error;
} StepRun;

struct _AqPipelineRunner
{
  GObject             parent_instance;
  AqPipeline         *pipeline;
  AqDb               *db;
  AqPipelineCompiler *compiler;
  AqProgressFunc      progress;
  gpointer            progress_data;
  GCancellable       *cancellable;   /* unowned, while a check or run lasts */
  GHashTable         *sources;       /* connection name → AqDb */
  GHashTable         *watermarks;    /* step id → the highest value this run loaded */
  StepRun            *steps;         /* per step index */
  AqPipelineStep     *failed;        /* the step that failed, if one did */
  gboolean            with_data;     /* FALSE while checking: shapes only, rolled back */
  gint64              run_id;
  gint64              rows_written;
};

G_DEFINE_FINAL_TYPE (AqPipelineRunner, aq_pipeline_runner, G_TYPE_OBJECT)

typedef char *(*LocateFunc) (gint64   line,
                             gpointer user_data);

/* ---- errors ---- */

/* The server's own words for a failed statement, with the step's id (and @where, the place
 * in the input, when known) in front. */
static void
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
  if (PQstatus (conn) != CONNECTION_OK || (state && g_str_has_prefix (state, "08")))
    code = AQ_ERROR_CONNECTION;
  else
    code = self->with_data ? AQ_ERROR_QUERY : AQ_ERROR_INVALID;
  g_set_error_literal (error, AQ_ERROR, code, message->str);
}

static gboolean
check_cancelled (AqPipelineRunner  *self,
                 GError           **error)
{
  if (!g_cancellable_is_cancelled (self->cancellable))
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The pipeline run was cancelled");
  return FALSE;
}

/* ---- statements ---- */

static PGresult *
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
static gboolean
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

static GPtrArray *
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
static char *
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
static gboolean
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
static gboolean
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
static gboolean
materialize (AqPipelineRunner  *self,
             AqPipelineStep    *step,
             gint64            *out_rows,
             GError           **error)
{
  g_autoptr(GPtrArray) params = params_new ();
  g_autofree char *query = aq_pipeline_compiler_get_query (self->compiler, step, params);
  g_autofree char *relation = aq_pipeline_compiler_get_relation (self->compiler, step);
  g_autofree char *sql = g_strdup_printf ("CREATE TEMP TABLE %s ON COMMIT DROP AS\n%s%s",
                                          relation, query,
                                          self->with_data ? "" : "\nWITH NO DATA");

  return run_statement (self, step, self->db, sql, params, out_rows, error)
         && describe_step (self, step, error);
}

static gboolean
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

/* ---- COPY ---- */

static gboolean
copy_begin (AqPipelineRunner  *self,
            AqPipelineStep    *step,
            const char        *sql,
            GError           **error)
{
  PGconn *conn = aq_db_get_conn (self->db);
  g_autoptr(PGresult) res = NULL;

  if (!check_cancelled (self, error))
    return FALSE;
  g_debug ("%s", sql);
  res = PQexec (conn, sql);
  if (PQresultStatus (res) != PGRES_COPY_IN)
    {
      set_error_from_result (self, step, conn, res, NULL, error);
      return FALSE;
    }
  return TRUE;
}

/* Ends a COPY the client gave up on, so that the connection can roll back. */
static void
copy_abort (AqPipelineRunner *self,
            const char       *reason)
{
  PGconn *conn = aq_db_get_conn (self->db);
  PGresult *res;

  PQputCopyEnd (conn, reason);
  while ((res = PQgetResult (conn)) != NULL)
    PQclear (res);
}

/* Where COPY's error context (“COPY name, line 3, column b: …”) points. */
static gboolean
parse_copy_context (const char  *context,
                    gint64      *line,
                    char       **column)
{
  const char *p = context ? strstr (context, ", line ") : NULL;
  char *end = NULL;

  if (p == NULL)
    return FALSE;
  *line = g_ascii_strtoll (p + strlen (", line "), &end, 10);
  if (end && g_str_has_prefix (end, ", column "))
    {
      const char *start = end + strlen (", column ");
      const char *stop = strstr (start, ": ");

      *column = stop ? g_strndup (start, stop - start) : g_strdup (start);
      g_strchomp (*column);
    }
  return TRUE;
}

/* Ends a COPY and reports a bad value with the step, its place in the input (@locate) and
 * the column. */
static gboolean
copy_finish (AqPipelineRunner  *self,
             AqPipelineStep    *step,
             LocateFunc         locate,
             gpointer           locate_data,
             GError           **error)
{
  PGconn *conn = aq_db_get_conn (self->db);
  g_autoptr(PGresult) res = NULL;
  PGresult *extra;
  gboolean ok = TRUE;

  if (PQputCopyEnd (conn, NULL) != 1)
    {
      g_autofree char *text = g_strstrip (g_strdup (PQerrorMessage (conn)));

      return aq_pipeline_step_fail (step, AQ_ERROR_CONNECTION, error, "COPY failed: %s", text);
    }
  res = PQgetResult (conn);
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      const char *context = PQresultErrorField (res, PG_DIAG_CONTEXT);
      g_autofree char *column = NULL;
      g_autofree char *where = NULL;
      gint64 line = 0;

      if (parse_copy_context (context, &line, &column))
        {
          g_autofree char *place = locate (line, locate_data);

          if (column)
            where = g_strdup_printf ("%s, column “%s”", place, column);
          else
            where = g_steal_pointer (&place);
        }
      set_error_from_result (self, step, conn, res, where, error);
      ok = FALSE;
    }
  while ((extra = PQgetResult (conn)) != NULL)
    PQclear (extra);
  return ok;
}

static gboolean
copy_put (AqPipelineRunner  *self,
          AqPipelineStep    *step,
          const char        *data,
          gsize              len,
          GError           **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!check_cancelled (self, error))
    return FALSE;
  if (aq_db_copy_put (self->db, data, len, &local_error))
    return TRUE;
  g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "step “%s”: ",
                              aq_pipeline_step_get_id (step));
  return FALSE;
}

/* ---- inputs ---- */

static char *
locate_file_line (gint64   line,
                  gpointer user_data)
{
  return g_strdup_printf ("line %" G_GINT64_FORMAT " of %s", line, (const char *) user_data);
}

static gboolean
check_readable (AqPipelineStep  *step,
                const char      *path,
                GError         **error)
{
  if (g_access (path, R_OK) != 0)
    return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error, "cannot read %s: %s", path,
                                  g_strerror (errno));
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error, "%s is not a file", path);
  return TRUE;
}

/* The file as it is, in big chunks: COPY parses CSV much faster than C code here would. */
static gboolean
stream_csv (AqPipelineRunner  *self,
            AqPipelineStep    *step,
            const char        *path,
            GError           **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *buffer = NULL;
  g_autofree char *copy = aq_pipeline_compiler_get_copy_in (self->compiler, step);
  g_autofree char *name = g_path_get_basename (path);

  stream = g_file_read (file, self->cancellable, &local_error);
  if (stream == NULL)
    return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error, "cannot read %s: %s", path,
                                  local_error->message);
  if (!copy_begin (self, step, copy, error))
    return FALSE;
  buffer = g_malloc (CHUNK_SIZE);
  while (TRUE)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, CHUNK_SIZE,
                                      self->cancellable, &local_error);

      if (n < 0)
        {
          copy_abort (self, "reading the file failed");
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            return check_cancelled (self, error);
          return aq_pipeline_step_fail (step, AQ_ERROR_FAILED, error, "cannot read %s: %s", path,
                                        local_error->message);
        }
      if (n == 0)
        break;
      if (!copy_put (self, step, buffer, n, error))
        {
          copy_abort (self, "cancelled");
          return FALSE;
        }
    }
  return copy_finish (self, step, locate_file_line, name, error);
}

typedef struct
{
  GPtrArray  *paths;    /* (element-type GStrv) per column: the members leading to its value */
  GString    *buffer;   /* COPY text rows not yet sent */
  GArray     *places;   /* (element-type guint) per row sent: its line, or its item number */
  gboolean    ndjson;
  char       *name;
} JsonLoad;

static void
json_load_clear (JsonLoad *load)
{
  g_clear_pointer (&load->paths, g_ptr_array_unref);
  g_string_free (load->buffer, TRUE);
  g_array_unref (load->places);
  g_free (load->name);
}

static char *
locate_json_row (gint64   row,
                 gpointer user_data)
{
  JsonLoad *load = user_data;
  guint place;

  if (row < 1 || row > load->places->len)
    return g_strdup_printf ("row %" G_GINT64_FORMAT " of %s", row, load->name);
  place = g_array_index (load->places, guint, row - 1);
  return g_strdup_printf ("%s %u of %s", load->ndjson ? "line" : "item", place, load->name);
}


static gboolean
json_append_row (AqPipelineRunner  *self,
                 AqPipelineStep    *step,
                 JsonLoad          *load,
                 JsonNode          *node,
                 guint              place,
                 GError           **error)
{
  JsonObject *object;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error, "%s %u of %s is not a JSON object",
                                  load->ndjson ? "line" : "item", place, load->name);
  object = json_node_get_object (node);
  for (guint i = 0; i < load->paths->len; i++)
    {
      char **path = g_ptr_array_index (load->paths, i);
      JsonNode *value = NULL;
      JsonObject *at = object;
      g_autofree char *text = NULL;

      for (guint j = 0; path[j] && at; j++)
        {
          value = json_object_get_member (at, path[j]);
          at = value && JSON_NODE_HOLDS_OBJECT (value) && path[j + 1]
               ? json_node_get_object (value) : NULL;
          if (path[j + 1] && at == NULL)
            value = NULL;
        }
      text = aq_pipeline_json_value_text (value);
      if (i > 0)
        g_string_append_c (load->buffer, '\t');
      aq_copy_append_value (load->buffer, text);
    }
  g_string_append_c (load->buffer, '\n');
  g_array_append_val (load->places, place);
  if (load->buffer->len < CHUNK_SIZE)
    return TRUE;
  if (!copy_put (self, step, load->buffer->str, load->buffer->len, error))
    return FALSE;
  g_string_truncate (load->buffer, 0);
  return TRUE;
}

static gboolean
json_load_rows (AqPipelineRunner  *self,
                AqPipelineStep    *step,
                JsonLoad          *load,
                const char        *data,
                gsize              len,
                GError           **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  gsize at = 0;

  while (at < len && g_ascii_isspace (data[at]))
    at++;
  load->ndjson = at >= len || data[at] != '[';

  if (!load->ndjson)
    {
      JsonArray *array;

      if (!json_parser_load_from_data (parser, data, len, &local_error))
        return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error, "%s is not valid JSON: %s",
                                      load->name, local_error->message);
      array = json_node_get_array (json_parser_get_root (parser));
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!json_append_row (self, step, load, json_array_get_element (array, i), i + 1,
                              error))
          return FALSE;
      return TRUE;
    }

  /* newline-delimited: one object per line, blank lines skipped */
  at = 0;
  for (guint line = 1; at < len; line++)
    {
      const char *end = memchr (data + at, '\n', len - at);
      gsize line_len = (end ? (gsize) (end - data) : len) - at;
      const char *text = data + at;
      gboolean blank = TRUE;

      at += line_len + 1;
      for (gsize i = 0; i < line_len && blank; i++)
        blank = g_ascii_isspace (text[i]);
      if (blank)
        continue;
      if (!json_parser_load_from_data (parser, text, line_len, &local_error))
        return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error,
                                      "line %u of %s is not valid JSON: %s", line, load->name,
                                      local_error->message);
      if (!json_append_row (self, step, load, json_parser_get_root (parser), line, error))
        return FALSE;
    }
  return TRUE;
}

/* JSON has to be parsed here (json-glib) and goes to COPY as text rows. */
static gboolean
stream_json (AqPipelineRunner  *self,
             AqPipelineStep    *step,
             const char        *path,
             gint64            *out_rows,
             GError           **error)
{
  JsonArray *columns = aq_pipeline_step_get_array (step, "columns");
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *copy = aq_pipeline_compiler_get_copy_in (self->compiler, step);
  JsonLoad load = { 0, };
  gboolean ok;

  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error, "cannot read %s: %s", path,
                                  local_error->message);

  load.paths = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  load.buffer = g_string_sized_new (CHUNK_SIZE + 4096);
  load.places = g_array_new (FALSE, FALSE, sizeof (guint));
  load.name = g_path_get_basename (path);
  for (guint i = 0; i < json_array_get_length (columns); i++)
    {
      JsonObject *column = json_array_get_object_element (columns, i);
      const char *member = json_object_get_string_member_with_default (column, "path", NULL);

      if (member == NULL)
        member = json_object_get_string_member (column, "name");

      g_ptr_array_add (load.paths, g_strsplit (member, ".", -1));
    }

  ok = copy_begin (self, step, copy, error);
  if (ok)
    {
      ok = json_load_rows (self, step, &load, g_mapped_file_get_contents (mapped),
                           g_mapped_file_get_length (mapped), error)
           && copy_put (self, step, load.buffer->str, load.buffer->len, error);
      if (ok)
        ok = copy_finish (self, step, locate_json_row, &load, error);
      else
        copy_abort (self, "the JSON input failed");
    }
  *out_rows = load.places->len;
  json_load_clear (&load);
  return ok;
}

static gboolean
run_file_input (AqPipelineRunner  *self,
                AqPipelineStep    *step,
                gint64            *out_rows,
                GError           **error)
{
  g_autofree char *path = aq_pipeline_resolve_path (self->pipeline,
                                                    aq_pipeline_step_get_string (step, "path"));
  g_autofree char *staging = NULL;

  if (!aq_pipeline_compiler_check_step (self->compiler, step, error)
      || !check_readable (step, path, error))
    return FALSE;
  staging = aq_pipeline_compiler_get_staging (self->compiler, step);
  if (!run_statement (self, step, self->db, staging, NULL, NULL, error)
      || !describe_step (self, step, error))
    return FALSE;
  if (!self->with_data)
    return TRUE;

  if (aq_pipeline_step_get_kind (step) == AQ_PIPELINE_STEP_JSON_INPUT)
    return stream_json (self, step, path, out_rows, error);
  if (!stream_csv (self, step, path, error))
    return FALSE;
  {
    g_autofree char *relation = aq_pipeline_compiler_get_relation (self->compiler, step);
    g_autofree char *count = g_strdup_printf ("SELECT count(*) FROM %s", relation);
    g_autoptr(PGresult) res = run_query (self, step, self->db, count, NULL, error);

    if (res == NULL)
      return FALSE;
    *out_rows = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  }
  return TRUE;
}

/* The named connection of meta.connection, connected once per run. */
static AqDb *
get_source (AqPipelineRunner  *self,
            AqPipelineStep    *step,
            const char        *name,
            GError           **error)
{
  g_autoptr(GPtrArray) params = params_of (name, NULL);
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GError) local_error = NULL;
  AqDb *source = g_hash_table_lookup (self->sources, name);

  if (source)
    return source;
  res = run_query (self, step, self->db, "SELECT url FROM meta.connection WHERE name = $1",
                   params, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error,
                             "no connection “%s” in meta.connection (“%s” is the warehouse itself)",
                             name, WAREHOUSE_CONNECTION);
      return NULL;
    }
  source = aq_db_connect (PQgetvalue (res, 0, 0), &local_error);
  if (source == NULL)
    {
      aq_pipeline_step_fail (step, AQ_ERROR_CONNECTION, error,
                             "cannot read from connection “%s”: %s", name, local_error->message);
      return NULL;
    }
  g_hash_table_insert (self->sources, g_strdup (name), source);
  return source;
}

/* Asks the source what the table input's SQL returns, without running it. */
static gboolean
describe_source (AqPipelineRunner  *self,
                 AqPipelineStep    *step,
                 AqDb              *source,
                 GError           **error)
{
  PGconn *conn = aq_db_get_conn (source);
  g_autofree char *sql = aq_pipeline_compiler_get_source_describe (self->compiler, step);
  g_autoptr(PGresult) prepared = NULL;
  g_autoptr(PGresult) described = NULL;
  g_autoptr(PGresult) types = NULL;
  g_autoptr(GString) oids = g_string_new ("{");
  g_autoptr(GString) mods = g_string_new ("{");
  g_autoptr(GPtrArray) params = NULL;
  g_autoptr(GPtrArray) columns = NULL;

  prepared = PQprepare (conn, "", sql, 0, NULL);
  if (PQresultStatus (prepared) != PGRES_COMMAND_OK)
    {
      set_error_from_result (self, step, conn, prepared, NULL, error);
      return FALSE;
    }
  described = PQdescribePrepared (conn, "");
  if (PQresultStatus (described) != PGRES_COMMAND_OK)
    {
      set_error_from_result (self, step, conn, described, NULL, error);
      return FALSE;
    }
  for (int i = 0; i < PQnfields (described); i++)
    {
      g_string_append_printf (oids, "%s%u", i ? "," : "", PQftype (described, i));
      g_string_append_printf (mods, "%s%d", i ? "," : "", PQfmod (described, i));
    }
  g_string_append_c (oids, '}');
  g_string_append_c (mods, '}');
  params = params_of (oids->str, mods->str, NULL);
  types = run_query (self, step, source,
                     "SELECT format_type(o, m) FROM unnest($1::oid[], $2::int[])"
                     " WITH ORDINALITY AS u(o, m, n) ORDER BY n",
                     params, error);
  if (types == NULL)
    return FALSE;
  columns = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_pipeline_column_free);
  for (int i = 0; i < PQnfields (described); i++)
    g_ptr_array_add (columns, aq_pipeline_column_new (PQfname (described, i),
                                                      PQgetvalue (types, i, 0)));
  aq_pipeline_compiler_set_columns (self->compiler, step, g_steal_pointer (&columns));
  return TRUE;
}

static char *
locate_source_row (gint64   row,
                   gpointer user_data)
{
  return g_strdup_printf ("row %" G_GINT64_FORMAT " from connection “%s”", row,
                          (const char *) user_data);
}

/* COPY (sql) TO STDOUT there, COPY … FROM STDIN here: text format on both ends, so the rows
 * pass through untouched. */
static gboolean
stream_source (AqPipelineRunner  *self,
               AqPipelineStep    *step,
               AqDb              *source,
               const char        *name,
               gint64            *out_rows,
               GError           **error)
{
  PGconn *conn = aq_db_get_conn (source);
  const char *watermark = NULL;
  g_autofree char *copy_out = aq_pipeline_compiler_get_source_copy (self->compiler, step);
  g_autofree char *copy_in = aq_pipeline_compiler_get_copy_in (self->compiler, step);
  g_autoptr(GString) buffer = g_string_sized_new (CHUNK_SIZE + 4096);
  g_autoptr(PGresult) res = NULL;
  gulong handler;
  gint64 rows = 0;
  gboolean ok = FALSE;
  int n;

  watermark = aq_pipeline_compiler_get_watermark (self->compiler, step);
  if (watermark)
    {
      g_autoptr(GPtrArray) params = params_of (watermark, NULL);

      if (!run_statement (self, step, source,
                          "SELECT set_config('aqueduct.watermark', $1, false)", params, NULL,
                          error))
        return FALSE;
    }
  if (!copy_begin (self, step, copy_in, error))
    return FALSE;

  handler = aq_db_watch_cancellable (source, self->cancellable);
  g_debug ("%s", copy_out);
  res = PQexec (conn, copy_out);
  if (PQresultStatus (res) != PGRES_COPY_OUT)
    {
      set_error_from_result (self, step, conn, res, NULL, error);
      copy_abort (self, "the source failed");
      goto out;
    }
  while (TRUE)
    {
      char *row = NULL;

      n = PQgetCopyData (conn, &row, 0);
      if (n <= 0)
        break;
      g_string_append_len (buffer, row, n);
      PQfreemem (row);
      rows++;
      if (buffer->len >= CHUNK_SIZE)
        {
          if (!copy_put (self, step, buffer->str, buffer->len, error))
            break;
          g_string_truncate (buffer, 0);
        }
    }
  if (n > 0)
    {
      char *row = NULL;

      /* the warehouse side failed: stop the source's COPY and drain what it still sends */
      aq_db_cancel (source);
      while (PQgetCopyData (conn, &row, 0) > 0)
        g_clear_pointer (&row, PQfreemem);
      g_clear_pointer (&res, PQclear);
      while ((res = PQgetResult (conn)) != NULL)
        g_clear_pointer (&res, PQclear);
      copy_abort (self, "cancelled");
      goto out;
    }
  g_clear_pointer (&res, PQclear);
  res = PQgetResult (conn);
  if (n == -2 || PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      set_error_from_result (self, step, conn, res, NULL, error);
      copy_abort (self, "the source failed");
      goto out;
    }
  ok = copy_put (self, step, buffer->str, buffer->len, error);
  if (ok)
    ok = copy_finish (self, step, locate_source_row, (gpointer) name, error);
  else
    copy_abort (self, "cancelled");

out:
  g_clear_pointer (&res, PQclear);
  while ((res = PQgetResult (conn)) != NULL)
    g_clear_pointer (&res, PQclear);
  aq_db_unwatch_cancellable (source, self->cancellable, handler);
  *out_rows = rows;
  return ok;
}

/* The highest watermark value this run loaded, stored when the run commits. */
static gboolean
note_watermark (AqPipelineRunner  *self,
                AqPipelineStep    *step,
                GError           **error)
{
  JsonObject *watermark = aq_pipeline_step_get_object (step, "watermark");
  g_autofree char *relation = NULL;
  g_autofree char *column = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(PGresult) res = NULL;

  if (watermark == NULL || !self->with_data)
    return TRUE;
  relation = aq_pipeline_compiler_get_relation (self->compiler, step);
  column = aq_db_quote_ident (json_object_get_string_member (watermark, "column"));
  sql = g_strdup_printf ("SELECT CAST(max(%s) AS text) FROM %s", column, relation);
  res = run_query (self, step, self->db, sql, NULL, error);
  if (res == NULL)
    return FALSE;
  if (!PQgetisnull (res, 0, 0))
    g_hash_table_replace (self->watermarks, g_strdup (aq_pipeline_step_get_id (step)),
                          g_strdup (PQgetvalue (res, 0, 0)));
  return TRUE;
}

/* The tables of a family as they are now: a new month's table joins without editing. */
static gboolean
expand_table_family (AqPipelineRunner  *self,
                     AqPipelineStep    *step,
                     GError           **error)
{
  JsonObject *tables = aq_pipeline_step_get_object (step, "tables");
  g_autoptr(GPtrArray) params = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(PGresult) res = NULL;

  if (tables == NULL)
    return TRUE;
  params = params_of (json_object_get_string_member (tables, "schema"),
                      json_object_get_string_member (tables, "pattern"), NULL);
  res = run_query (self, step, self->db,
                   "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables"
                   " WHERE schemaname = $1 AND tablename ~ $2 ORDER BY tablename",
                   params, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error,
                                  "no table in schema “%s” matches “%s”",
                                  json_object_get_string_member (tables, "schema"),
                                  json_object_get_string_member (tables, "pattern"));
  names = g_ptr_array_new ();
  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (names, PQgetvalue (res, i, 0));
  g_ptr_array_add (names, NULL);
  aq_pipeline_compiler_set_table_family (self->compiler, step,
                                         (const char * const *) names->pdata);
  return TRUE;
}

static gboolean
run_table_input (AqPipelineRunner  *self,
                 AqPipelineStep    *step,
                 gint64            *out_rows,
                 GError           **error)
{
  const char *connection = aq_pipeline_step_get_string (step, "connection");
  g_autofree char *staging = NULL;
  AqDb *source;

  if (connection == NULL || strcmp (connection, WAREHOUSE_CONNECTION) == 0)
    return expand_table_family (self, step, error)
           && materialize (self, step, out_rows, error)
           && aq_pipeline_compiler_check_step (self->compiler, step, error)
           && analyze_if_needed (self, step, *out_rows, error)
           && note_watermark (self, step, error);

  source = get_source (self, step, connection, error);
  if (source == NULL)
    return FALSE;
  if (aq_pipeline_compiler_get_columns (self->compiler, step) == NULL
      && !describe_source (self, step, source, error))
    return FALSE;
  if (!aq_pipeline_compiler_check_step (self->compiler, step, error))
    return FALSE;
  staging = aq_pipeline_compiler_get_staging (self->compiler, step);
  if (!run_statement (self, step, self->db, staging, NULL, NULL, error))
    return FALSE;
  if (!self->with_data)
    return TRUE;
  return stream_source (self, step, source, connection, out_rows, error)
         && analyze_if_needed (self, step, *out_rows, error)
         && note_watermark (self, step, error);
}

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
  GPtrArray *input;

  if (!aq_pipeline_compiler_check_step (self->compiler, step, error)
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

  if (g_strcmp0 (mode, "replace") == 0)
    {
      if (!replace_table (self, step, quoted, insert, out_rows, error))
        return FALSE;
    }
  else if (!run_statement (self, step, self->db, insert, NULL, out_rows, error))
    return FALSE;
  self->rows_written += *out_rows;
  return analyze_target (self, step, quoted, *out_rows, error);
}

/* A sql step's statements, as they are (several are allowed: no parameters, so PQexec). */
static gboolean
run_sql (AqPipelineRunner  *self,
         AqPipelineStep    *step,
         gint64            *out_rows,
         GError           **error)
{
  PGconn *conn = aq_db_get_conn (self->db);
  g_autoptr(PGresult) res = NULL;
  ExecStatusType status;

  if (!check_cancelled (self, error))
    return FALSE;
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

static gboolean
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
      if (!execute_step (self, step, error))
        {
          self->failed = step;
          return FALSE;
        }
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
  const char *params[] = { aq_pipeline_get_name (self->pipeline) };
  g_autoptr(PGresult) res = NULL;

  res = aq_db_query (self->db,
                     "INSERT INTO meta.pipeline_run (pipeline) VALUES ($1) RETURNING run_id",
                     1, params, error);
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
