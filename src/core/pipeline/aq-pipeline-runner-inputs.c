/* aq-pipeline-runner-inputs.c — the runner's inputs: COPY, files and other databases
 *
 * External rows stream into the run's transaction with COPY in chunks (constant memory):
 * CSV files as they are, JSON files row by row, and table inputs from named connections with
 * COPY TO on the source and COPY FROM on the warehouse. Errors name the file's line or the
 * source's row. Incremental inputs note their watermark for the run to store.
 */
#define G_LOG_DOMAIN "aq-pipeline"

#include "aq-pipeline-runner-private.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "aq-error.h"
#include "aq-json-reader.h"

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
  g_autoptr(GError) local_error = NULL;
  gsize at = 0;

  while (at < len && g_ascii_isspace (data[at]))
    at++;
  load->ndjson = at >= len || data[at] != '[';

  if (!load->ndjson)
    {
      g_autoptr(JsonNode) root = aq_json_read (data, len, AQ_JSON_LIMIT_NONE, &local_error);
      JsonArray *array;

      if (root == NULL)
        return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error, "%s: %s",
                                      load->name, local_error->message);
      if (!JSON_NODE_HOLDS_ARRAY (root))
        return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error,
                                      "%s is not valid JSON: it must be one array of rows",
                                      load->name);
      array = json_node_get_array (root);
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
      {
        g_autoptr(JsonNode) row = aq_json_read (text, line_len, AQ_JSON_LIMIT_NONE,
                                                &local_error);

        if (row == NULL)
          return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error, "line %u of %s: %s",
                                        line, load->name, local_error->message);
        if (!json_append_row (self, step, load, row, line, error))
          return FALSE;
      }
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

gboolean
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

  if (watermark == NULL || !self->with_data || self->as_views)
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

gboolean
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
