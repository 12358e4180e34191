/* test-pipeline.c — the pipeline engine: the graph, validation, every step type, the output
 * modes, file and database inputs, watermarks, failure, cancellation and progress */
#include "aq-test-util.h"

#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>

static AqDb *db;          /* one database for the whole file: each test has its own tables */
static char *data_dir;    /* where the tests write their CSV and JSON files */

/* ---- helpers ---- */

/* Pipelines are written with ' for " so that they read well here; SQL literals inside them
 * use $$…$$. */
static char *
json_of (const char *text)
{
  char *json = g_strdup (text);

  for (char *p = json; *p; p++)
    if (*p == '\'')
      *p = '"';
  return json;
}

static AqPipeline *
pipeline_of (const char *text)
{
  g_autofree char *json = json_of (text);
  g_autoptr(GError) error = NULL;
  AqPipeline *pipeline = aq_pipeline_new_from_data (json, -1, data_dir, &error);

  g_assert_no_error (error);
  return pipeline;
}

static void
exec_sql (const char *sql)
{
  g_autoptr(GError) error = NULL;

  aq_db_exec (db, sql, &error);
  g_assert_no_error (error);
}

static gint64
query_int (const char *sql)
{
  return aq_test_query_int64 (db, sql);
}

static char *
query_string (const char *sql)
{
  return aq_test_query_string (db, sql);
}

/* All rows as “a|b;c|d”, NULL as ∅: one string to compare exactly. */
static char *
rows_of (const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = aq_db_query (db, sql, 0, NULL, &error);
  GString *text = g_string_new (NULL);

  g_assert_no_error (error);
  for (int i = 0; i < PQntuples (res); i++)
    {
      if (i > 0)
        g_string_append_c (text, ';');
      for (int j = 0; j < PQnfields (res); j++)
        {
          if (j > 0)
            g_string_append_c (text, '|');
          g_string_append (text, PQgetisnull (res, i, j) ? "∅" : PQgetvalue (res, i, j));
        }
    }
  return g_string_free (text, FALSE);
}

/* @text with each KEY of the NULL-terminated KEY, VALUE pairs replaced. */
static char *
subst (const char *text,
       ...)
{
  g_autoptr(GString) s = g_string_new (text);
  const char *key;
  va_list args;

  va_start (args, text);
  while ((key = va_arg (args, const char *)))
    g_string_replace (s, key, va_arg (args, const char *), 0);
  va_end (args);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gint64
run_ok (const char *text)
{
  g_autoptr(AqPipeline) pipeline = pipeline_of (text);
  g_autoptr(GError) error = NULL;
  gint64 run_id = 0;

  aq_pipeline_runner_run_pipeline (pipeline, db, NULL, NULL, NULL, &run_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run_id, >, 0);
  return run_id;
}

/* Runs a pipeline that must fail; returns the error. */
static GError *
run_fails (const char *text,
           gint64     *out_run_id)
{
  g_autoptr(AqPipeline) pipeline = pipeline_of (text);
  GError *error = NULL;

  g_assert_false (aq_pipeline_runner_run_pipeline (pipeline, db, NULL, NULL, NULL, out_run_id,
                                                  &error));
  g_assert_nonnull (error);
  return error;
}

/* Loads and validates (@with_db: against the warehouse too); returns the error message. */
static char *
invalid_message (const char *text,
                 gboolean    with_db)
{
  g_autofree char *json = json_of (text);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqPipeline) pipeline = aq_pipeline_new_from_data (json, -1, data_dir, &error);

  if (pipeline)
    g_assert_false (aq_pipeline_runner_validate (pipeline, with_db ? db : NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  return g_strdup (error->message);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack, needle);
}

static void
write_file (const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (data_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* What the step of a run recorded: “rows_in|rows_out|error”. */
static char *
step_record (gint64      run_id,
             const char *step_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT rows_in, rows_out, error IS NOT NULL"
                                          " FROM meta.pipeline_step_run"
                                          " WHERE run_id = %" G_GINT64_FORMAT
                                          " AND step_id = '%s'", run_id, step_id);
  return rows_of (sql);
}

static char *
run_record (gint64 run_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT pipeline, status, rows_written,"
                                          " finished_at IS NOT NULL, error IS NOT NULL"
                                          " FROM meta.pipeline_run WHERE run_id = %"
                                          G_GINT64_FORMAT, run_id);
  return rows_of (sql);
}

static char *
checksum (const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) || ':' || coalesce(md5("
                                          "string_agg(t::text, ',' ORDER BY t::text)), '')"
                                          " FROM %s t", table);
  return query_string (sql);
}

/* ---- the graph and static validation ---- */

static void
test_parse (void)
{
  g_autoptr(AqPipeline) pipeline = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *order;

  pipeline = pipeline_of ("{'name': 'p', 'description': 'd', 'steps': ["
                          " {'id': 'out', 'type': 'table_output', 'table': 'ods.x'},"
                          " {'id': 'post', 'type': 'sql', 'sql': 'ANALYZE ods.x'},"
                          " {'id': 'in', 'type': 'table_input', 'sql': 'SELECT 1 AS a',"
                          "  'x': 120, 'y': 40},"
                          " {'id': 'f', 'type': 'filter', 'condition': 'a > 0'}],"
                          " 'edges': [{'from': 'f', 'to': 'out'}, {'from': 'in', 'to': 'f'},"
                          "           {'from': 'out', 'to': 'post'}]}");
  g_assert_cmpstr (aq_pipeline_get_name (pipeline), ==, "p");
  g_assert_cmpstr (aq_pipeline_get_description (pipeline), ==, "d");
  g_assert_cmpuint (aq_pipeline_get_n_steps (pipeline), ==, 4);
  g_assert_true (aq_pipeline_find_step (pipeline, "f") == aq_pipeline_get_step (pipeline, 3));
  g_assert_cmpint (aq_pipeline_step_get_kind (aq_pipeline_find_step (pipeline, "post")), ==,
                   AQ_PIPELINE_STEP_SQL);

  aq_pipeline_runner_validate (pipeline, NULL, &error);
  g_assert_no_error (error);
  order = aq_pipeline_get_order (pipeline, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (order->len, ==, 4);
  g_assert_cmpstr (aq_pipeline_step_get_id (g_ptr_array_index (order, 0)), ==, "in");
  g_assert_cmpstr (aq_pipeline_step_get_id (g_ptr_array_index (order, 1)), ==, "f");
  g_assert_cmpstr (aq_pipeline_step_get_id (g_ptr_array_index (order, 2)), ==, "out");
  g_assert_cmpstr (aq_pipeline_step_get_id (g_ptr_array_index (order, 3)), ==, "post");
  /* the ordering edge of the sql step is no data input */
  g_assert_cmpuint (aq_pipeline_step_get_inputs (aq_pipeline_find_step (pipeline, "post"))->len,
                    ==, 0);
  g_assert_finalize_object (g_steal_pointer (&pipeline));

  /* relative input paths start at the pipeline file's folder */
  {
    g_autofree char *path = g_build_filename (data_dir, "parse.json", NULL);
    g_autofree char *resolved = NULL;
    g_autofree char *absolute = NULL;
    g_autofree char *expected = g_build_filename (data_dir, "x.csv", NULL);

    write_file ("parse.json", "{\"name\": \"p\", \"steps\": []}");
    pipeline = aq_pipeline_new_from_file (path, &error);
    g_assert_no_error (error);
    resolved = aq_pipeline_resolve_path (pipeline, "x.csv");
    g_assert_cmpstr (resolved, ==, expected);
    absolute = aq_pipeline_resolve_path (pipeline, "/abs/y.csv");
    g_assert_cmpstr (absolute, ==, "/abs/y.csv");
  }
}

static const char csv_abc[] =
  "{'id': 'c', 'type': 'csv_input', 'path': 'abc.csv',"
  " 'columns': [{'name': 'a', 'type': 'text'}, {'name': 'b', 'type': 'numeric'},"
  "             {'name': 'c', 'type': 'int'}]}";

static void
test_validate_static (void)
{
  static const struct
  {
    const char *steps;
    const char *edges;
    const char *expected;
  } cases[] = {
    { "{'id': 'x', 'type': 'foo'}", "", "step “x”: unknown type “foo”" },
    { "{'id': 'x'}", "", "step “x”: needs a “type”" },
    { "{'type': 'sql', 'sql': 'SELECT 1'}", "", "step 1 has no “id”" },
    { "{'id': 'a', 'type': 'sql', 'sql': 'SELECT 1'}, {'id': 'a', 'type': 'sql', 'sql': 'S'}",
      "", "two steps have the id “a”" },
    { "CSV, {'id': 'f', 'type': 'filter', 'condition': 'b > 0'}",
      "{'from': 'c', 'to': 'zz'}", "edge 1 (“c” → “zz”): no step “zz”" },
    { "CSV, {'id': 'f', 'type': 'filter', 'condition': 'b > 0'}",
      "{'from': 'q', 'to': 'f'}", "edge 1 (“q” → “f”): no step “q”" },
    { "CSV, {'id': 'f', 'type': 'filter', 'condition': 'b > 0'}",
      "{'from': 'c', 'to': 'f'}, {'from': 'c', 'to': 'f'}", "the edge “c” → “f” is given twice" },
    { "CSV, {'id': 'f', 'type': 'filter', 'condition': 'b > 0'},"
      " {'id': 'g', 'type': 'filter', 'condition': 'b > 1'},"
      " {'id': 'h', 'type': 'filter', 'condition': 'b > 2'}",
      "{'from': 'c', 'to': 'f'}, {'from': 'f', 'to': 'g'}, {'from': 'g', 'to': 'h'},"
      " {'from': 'h', 'to': 'g'}", "the steps “g” → “h” → “g” form a cycle" },
    { "{'id': 's', 'type': 'sql', 'sql': 'SELECT 1'}", "{'from': 's', 'to': 's'}",
      "the steps “s” → “s” form a cycle" },
    { "CSV, {'id': 'c2', 'type': 'table_input', 'sql': 'SELECT 1'}",
      "{'from': 'c', 'to': 'c2'}", "step “c2”: a table_input reads no other step, but “c” leads" },
    { "CSV, {'id': 'f', 'type': 'filter', 'condition': 'b > 0'}", "",
      "step “f”: filter needs an input, but no edge leads into it" },
    { "CSV, {'id': 'd', 'type': 'table_input', 'sql': 'SELECT 1'},"
      " {'id': 'f', 'type': 'filter', 'condition': 'b > 0'}",
      "{'from': 'c', 'to': 'f'}, {'from': 'd', 'to': 'f'}",
      "step “f”: filter takes one input, but “c” and “d” lead into it" },
    { "CSV, {'id': 'f', 'type': 'filter'}", "{'from': 'c', 'to': 'f'}",
      "step “f”: filter needs “condition”" },
    { "CSV, {'id': 'f', 'type': 'filter', 'condition': 3}", "{'from': 'c', 'to': 'f'}",
      "step “f”: “condition” must be a string" },
    { "{'id': 'c', 'type': 'csv_input', 'path': 'x.csv', 'columns': [{'name': 'a'}]}", "",
      "step “c”: column 1 of “columns” needs “type”" },
    { "{'id': 'c', 'type': 'csv_input', 'path': 'x.csv',"
      " 'columns': [{'name': 'a', 'type': 'int; DROP TABLE x'}]}", "",
      "step “c”: “int; DROP TABLE x” is not a type name (column 1 of “columns”)" },
    { "{'id': 'c', 'type': 'csv_input', 'path': 'x.csv', 'delimiter': ',,',"
      " 'columns': [{'name': 'a', 'type': 'text'}]}", "", "step “c”: “delimiter” must be one" },
    { "CSV, {'id': 'sel', 'type': 'select', 'columns': [{'name': 'acct_no', 'from': 'ACCT_NO'}]}",
      "{'from': 'c', 'to': 'sel'}",
      "step “sel”: no column “ACCT_NO” in its input (columns: a, b, c)" },
    { "CSV, {'id': 'dd', 'type': 'deduplicate', 'keys': ['a', 'z']}", "{'from': 'c', 'to': 'dd'}",
      "step “dd”: no column “z” in its input (columns: a, b, c)" },
    { "CSV, {'id': 'g', 'type': 'aggregate', 'group_by': ['q'],"
      " 'aggregates': [{'name': 'n', 'function': 'count'}]}", "{'from': 'c', 'to': 'g'}",
      "step “g”: no column “q” in its input" },
    { "CSV, {'id': 'g', 'type': 'aggregate', 'aggregates': [{'name': 'n', 'function': 'sum'}]}",
      "{'from': 'c', 'to': 'g'}", "step “g”: aggregate 1 of “aggregates” needs “column” for sum" },
    { "CSV, {'id': 'g', 'type': 'aggregate', 'aggregates': [{'name': 'n', 'function': 'median',"
      " 'column': 'b'}]}", "{'from': 'c', 'to': 'g'}", "step “g”: unknown function “median”" },
    { "CSV, {'id': 'lk', 'type': 'lookup', 'table': 'dw.t', 'keys': [{'input': 'k', 'table': 'k'}],"
      " 'columns': [{'name': 'n'}]}", "{'from': 'c', 'to': 'lk'}",
      "step “lk”: no column “k” in its input (columns: a, b, c)" },
    { "CSV, {'id': 'lk', 'type': 'lookup', 'table': 'dw.t', 'keys': [{'input': 'a', 'table': 'k'}],"
      " 'columns': [{'name': 'b'}]}", "{'from': 'c', 'to': 'lk'}",
      "step “lk”: its input has a column “b” already" },
    { "CSV, {'id': 'lk', 'type': 'lookup', 'table': 'dw.t', 'join': 'outer',"
      " 'keys': [{'input': 'a', 'table': 'k'}], 'columns': []}", "{'from': 'c', 'to': 'lk'}",
      "step “lk”: unknown join “outer” (left or inner)" },
    { "CSV, {'id': 'm', 'type': 'value_mapping', 'column': 'status', 'mapping': {'1': 'x'}}",
      "{'from': 'c', 'to': 'm'}", "step “m”: no column “status” in its input (columns: a, b, c)" },
    { "CSV, {'id': 'm', 'type': 'value_mapping', 'column': 'a', 'mapping': ['x']}",
      "{'from': 'c', 'to': 'm'}", "step “m”: “mapping” must be an object" },
    { "CSV, {'id': 'o', 'type': 'table_output', 'table': 'ods.o', 'mode': 'upsert'}",
      "{'from': 'c', 'to': 'o'}", "step “o”: table_output needs “keys”" },
    { "CSV, {'id': 'o', 'type': 'table_output', 'table': 'ods.o', 'mode': 'merge'}",
      "{'from': 'c', 'to': 'o'}", "step “o”: unknown mode “merge” (append, replace or upsert)" },
    { "CSV, {'id': 'o', 'type': 'table_output', 'table': 'a.b.c'}", "{'from': 'c', 'to': 'o'}",
      "step “o”: “a.b.c” is not a table name" },
    { "CSV, {'id': 'o', 'type': 'table_output', 'table': 'ods.o', 'keys': ['a', 'k']}",
      "{'from': 'c', 'to': 'o'}", "step “o”: no column “k” in its input (columns: a, b, c)" },
    { "CSV, {'id': 'o', 'type': 'table_output', 'table': 'ods.o', 'indexes': [['a'], ['x']]}",
      "{'from': 'c', 'to': 'o'}", "step “o”: no column “x” in its input" },
    { "CSV, {'id': 'o', 'type': 'table_output', 'table': 'ods.o'},"
      " {'id': 'f', 'type': 'filter', 'condition': 'true'}",
      "{'from': 'c', 'to': 'o'}, {'from': 'o', 'to': 'f'}",
      "step “o”: a table_output passes no rows on, so it cannot lead into “f”" },
    { "CSV, {'id': 'c2', 'type': 'csv_input', 'path': 'x.csv',"
      " 'columns': [{'name': 'a', 'type': 'text'}, {'name': 'b', 'type': 'text'},"
      "             {'name': 'c', 'type': 'bigint'}]},"
      " {'id': 'u', 'type': 'union'}", "{'from': 'c', 'to': 'u'}, {'from': 'c2', 'to': 'u'}",
      "step “u”: column “b” is numeric in “c” but text in “c2”" },
    { "CSV, {'id': 'c2', 'type': 'csv_input', 'path': 'x.csv',"
      " 'columns': [{'name': 'a', 'type': 'text'}, {'name': 'b', 'type': 'numeric'}]},"
      " {'id': 'u', 'type': 'union'}", "{'from': 'c', 'to': 'u'}, {'from': 'c2', 'to': 'u'}",
      "step “u”: input “c2” has no column “c”, which “c” has" },
    { "CSV, {'id': 'u', 'type': 'union'}", "{'from': 'c', 'to': 'u'}",
      "step “u”: union needs at least 2 inputs, but only one leads into it" },
    { "CSV, {'id': 'k', 'type': 'calculator', 'columns': [{'name': 'x', 'expression': '1'},"
      " {'name': 'x', 'expression': '2'}]}", "{'from': 'c', 'to': 'k'}",
      "step “k”: it calculates “x” twice" },
    { "CSV, {'id': 's', 'type': 'select', 'columns': [{'name': 'x', 'from': 'a'},"
      " {'name': 'x', 'from': 'b'}]}", "{'from': 'c', 'to': 's'}",
      "step “s”: two of its columns are named “x”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *steps = subst (cases[i].steps, "CSV", csv_abc, NULL);
      g_autofree char *text = NULL;
      g_autofree char *message = NULL;

      text = g_strdup_printf ("{'name': 'v', 'steps': [%s], 'edges': [%s]}", steps,
                              cases[i].edges);
      message = invalid_message (text, FALSE);
      g_test_message ("case %u: %s", i, message);
      assert_contains (message, cases[i].expected);
    }

  /* the pipeline as a whole */
  {
    g_autofree char *m1 = invalid_message ("{'steps': [{'id': 'a', 'type': 'sql', 'sql': 'S'}]}",
                                           FALSE);
    g_autofree char *m2 = invalid_message ("{'name': 'x', 'steps': []}", FALSE);
    g_autofree char *m3 = invalid_message ("{'name': 'x', 'steps': [1]}", FALSE);
    g_autofree char *m4 = invalid_message ("{'name': 'x', 'steps': [", FALSE);
    g_autofree char *m5 = invalid_message ("[1, 2]", FALSE);

    assert_contains (m1, "the pipeline needs a “name”");
    assert_contains (m2, "pipeline “x” has no steps");
    assert_contains (m3, "step 1 of “steps” is not an object");
    assert_contains (m4, "not valid JSON");
    assert_contains (m5, "a pipeline is a JSON object");
  }
}

static void
test_validate_db (void)
{
  static const struct
  {
    const char *text;
    const char *expected;
  } cases[] = {
    { "{'name': 'v', 'steps': ["
      " {'id': 'bills', 'type': 'table_input', 'sql': 'SELECT acct_no, period FROM src_t.bill'},"
      " {'id': 'sel', 'type': 'select', 'columns': [{'name': 'acct_no', 'from': 'ACCT_NO'}]}],"
      " 'edges': [{'from': 'bills', 'to': 'sel'}]}",
      "step “sel”: no column “ACCT_NO” in its input (columns: acct_no, period)" },
    { "{'name': 'v', 'steps': ["
      " {'id': 'bills', 'type': 'table_input', 'sql': 'SELECT acct_no FROM src_t.nope'}]}",
      "step “bills”: relation \"src_t.nope\" does not exist" },
    { "{'name': 'v', 'steps': ["
      " {'id': 'bills', 'type': 'table_input', 'sql': 'SELECT acct_no FROM src_t.bill',"
      "  'watermark': {'column': 'updated_at'}}]}",
      "step “bills”: no column “updated_at” in what its SQL returns (columns: acct_no)" },
    { "{'name': 'v', 'steps': ["
      " {'id': 'bills', 'type': 'table_input', 'sql': 'SELECT acct_no, qty FROM src_t.bill'},"
      " {'id': 'k', 'type': 'csv_input', 'path': 'abc.csv', 'columns': [{'name': 'acct_no',"
      "  'type': 'text'}, {'name': 'qty', 'type': 'date'}]},"
      " {'id': 'u', 'type': 'union'}],"
      " 'edges': [{'from': 'bills', 'to': 'u'}, {'from': 'k', 'to': 'u'}]}",
      "step “u”: column “qty” is numeric(12,2) in “bills” but date in “k”" },
    { "{'name': 'v', 'steps': ["
      " {'id': 'bills', 'type': 'table_input', 'sql': 'SELECT acct_no, cust_no FROM src_t.bill'},"
      " {'id': 'lk', 'type': 'lookup', 'table': 'src_t.customer',"
      "  'keys': [{'input': 'cust_no', 'table': 'customer_id'}],"
      "  'columns': [{'name': 'cust_name', 'from': 'fullname'}]}],"
      " 'edges': [{'from': 'bills', 'to': 'lk'}]}",
      "step “lk”: no column “fullname” in table src_t.customer (columns: customer_id, name)" },
    { "{'name': 'v', 'steps': ["
      " {'id': 'bills', 'type': 'table_input', 'sql': 'SELECT acct_no, cust_no FROM src_t.bill'},"
      " {'id': 'lk', 'type': 'lookup', 'table': 'src_t.nobody',"
      "  'keys': [{'input': 'cust_no', 'table': 'customer_id'}], 'columns': []}],"
      " 'edges': [{'from': 'bills', 'to': 'lk'}]}",
      "step “lk”: there is no table src_t.nobody to look up in" },
    { "{'name': 'v', 'steps': ["
      " {'id': 'bills', 'type': 'table_input', 'sql': 'SELECT acct_no, qty FROM src_t.bill'},"
      " {'id': 'out', 'type': 'table_output', 'table': 'ods.t_typed'}],"
      " 'edges': [{'from': 'bills', 'to': 'out'}]}",
      "step “out”: column “acct_no” is text in its input but integer in table ods.t_typed" },
    { "{'name': 'v', 'steps': ["
      " {'id': 'bills', 'type': 'table_input', 'sql': 'SELECT acct_no AS name FROM src_t.bill'},"
      " {'id': 'out', 'type': 'table_output', 'table': 'ods.t_typed'}],"
      " 'edges': [{'from': 'bills', 'to': 'out'}]}",
      "step “out”: table ods.t_typed has no column “name” (columns: acct_no, qty)" },
    { "{'name': 'v', 'steps': ["
      " {'id': 'bills', 'type': 'table_input', 'sql': 'SELECT 1 AS acct_no, 2.0 AS qty'},"
      " {'id': 'out', 'type': 'table_output', 'table': 'ods.t_typed', 'mode': 'upsert',"
      "  'keys': ['acct_no']}],"
      " 'edges': [{'from': 'bills', 'to': 'out'}]}",
      "step “out”: upsert into ods.t_typed needs a unique index or primary key on (acct_no)" },
    { "{'name': 'v', 'steps': ["
      " {'id': 'bills', 'type': 'table_input', 'sql': 'SELECT 1 AS a'},"
      " {'id': 'out', 'type': 'table_output', 'table': 'ods.t_missing'}],"
      " 'edges': [{'from': 'bills', 'to': 'out'}]}",
      "step “out”: there is no table ods.t_missing (with “create”: true the step creates it)" },
    { "{'name': 'v', 'steps': ["
      " {'id': 'ext', 'type': 'table_input', 'connection': 'nowhere', 'sql': 'SELECT 1'}]}",
      "step “ext”: no connection “nowhere” in meta.connection" },
    { "{'name': 'v', 'steps': [{'id': 'c', 'type': 'csv_input', 'path': 'missing.csv',"
      " 'columns': [{'name': 'a', 'type': 'text'}]}]}",
      "step “c”: cannot read " },
    { "{'name': 'v', 'steps': [{'id': 'c', 'type': 'csv_input', 'path': 'abc.csv',"
      " 'columns': [{'name': 'a', 'type': 'widget'}]}]}",
      "step “c”: type \"widget\" does not exist" },
    { "{'name': 'v', 'steps': ["
      " {'id': 'bills', 'type': 'table_input', 'sql': 'SELECT acct_no, qty FROM src_t.bill'},"
      " {'id': 'f', 'type': 'filter', 'condition': 'qtty > 0'}],"
      " 'edges': [{'from': 'bills', 'to': 'f'}]}",
      "step “f”: column \"qtty\" does not exist" },
  };

  write_file ("abc.csv", "a,b,c\n");
  exec_sql ("CREATE TABLE ods.t_typed (acct_no integer, qty numeric)");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = invalid_message (cases[i].text, TRUE);

      g_test_message ("case %u: %s", i, message);
      assert_contains (message, cases[i].expected);
    }

  /* a valid pipeline creates nothing while it is validated */
  {
    g_autoptr(AqPipeline) pipeline = pipeline_of (
      "{'name': 'v', 'steps': ["
      " {'id': 'bills', 'type': 'table_input', 'sql': 'SELECT acct_no, qty FROM src_t.bill'},"
      " {'id': 'out', 'type': 'table_output', 'table': 'ods.t_not_yet', 'create': true,"
      "  'keys': ['acct_no'], 'indexes': [['qty']]}],"
      " 'edges': [{'from': 'bills', 'to': 'out'}]}");
    g_autoptr(GError) error = NULL;
    g_autofree char *exists = NULL;

    aq_pipeline_runner_validate (pipeline, db, &error);
    g_assert_no_error (error);
    exists = query_string ("SELECT to_regclass('ods.t_not_yet')::text");
    g_assert_null (exists);
    g_assert_cmpint (query_int ("SELECT count(*) FROM meta.pipeline_run WHERE pipeline = 'v'"),
                     ==, 0);
  }
}

/* ---- the step types ---- */

static void
test_select_filter_calculator (void)
{
  gint64 run_id = run_ok (
    "{'name': 't_basic', 'steps': ["
    " {'id': 'bills', 'type': 'table_input',"
    "  'sql': 'SELECT acct_no, period, qty, status FROM src_t.bill;'},"
    " {'id': 'sel', 'type': 'select', 'columns': [{'name': 'acct', 'from': 'acct_no'},"
    "  {'name': 'period'}, {'name': 'qty'}]},"
    " {'id': 'f', 'type': 'filter', 'condition': 'qty >= 0'},"
    " {'id': 'calc', 'type': 'calculator', 'columns': ["
    "  {'name': 'fee', 'expression': 'qty * 1.85', 'type': 'numeric(12,2)'},"
    "  {'name': 'fee2', 'expression': 'fee * 2'},"
    "  {'name': 'period', 'expression': 'period / 100', 'type': 'int'}]},"
    " {'id': 'out', 'type': 'table_output', 'table': 'ods.t_basic', 'create': true}],"
    " 'edges': [{'from': 'bills', 'to': 'sel'}, {'from': 'sel', 'to': 'f'},"
    "  {'from': 'f', 'to': 'calc'}, {'from': 'calc', 'to': 'out'}]}");
  g_autofree char *rows = rows_of ("SELECT * FROM ods.t_basic ORDER BY acct, qty");
  g_autofree char *types = rows_of ("SELECT attname, format_type(atttypid, atttypmod)"
                                    " FROM pg_attribute WHERE attrelid = 'ods.t_basic'::regclass"
                                    " AND attnum > 0 ORDER BY attnum");
  g_autofree char *run = run_record (run_id);
  g_autofree char *bills = step_record (run_id, "bills");
  g_autofree char *f = step_record (run_id, "f");
  g_autofree char *out = step_record (run_id, "out");

  g_assert_cmpstr (rows, ==,
                   "A1|2023|8.00|14.80|29.60;A1|2023|10.00|18.50|37.00;"
                   "A1|2023|12.00|22.20|44.40;A3|2023|5.00|9.25|18.50");
  g_assert_cmpstr (types, ==, "acct|text;period|integer;qty|numeric(12,2);fee|numeric(12,2);"
                   "fee2|numeric");
  g_assert_cmpstr (run, ==, "t_basic|succeeded|4|t|f");
  g_assert_cmpstr (bills, ==, "5|5|f");
  g_assert_cmpstr (f, ==, "5|4|f");
  g_assert_cmpstr (out, ==, "4|4|f");

  /* the same records read back through core, as aqueductctl pipeline list/run print them */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonObject) last = aq_pipeline_history_last_runs (db, &error);
    g_autoptr(JsonObject) record = NULL;
    JsonObject *mine;
    JsonArray *steps;
    JsonObject *f_step = NULL;

    g_assert_no_error (error);
    mine = json_object_get_object_member (last, "t_basic");
    g_assert_nonnull (mine);
    g_assert_cmpint (json_object_get_int_member (mine, "run_id"), ==, run_id);
    g_assert_cmpstr (json_object_get_string_member (mine, "status"), ==, "succeeded");
    g_assert_cmpint (json_object_get_int_member (mine, "rows_written"), ==, 4);
    g_assert_true (json_object_get_null_member (mine, "error"));

    record = aq_pipeline_history_get_run (db, run_id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (record, "status"), ==, "succeeded");
    g_assert_cmpint (json_object_get_int_member (record, "rows_written"), ==, 4);
    steps = json_object_get_array_member (record, "steps");
    g_assert_cmpuint (json_array_get_length (steps), ==, 5);
    for (guint i = 0; i < json_array_get_length (steps); i++)
      if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (steps, i),
                                                    "id"), "f") == 0)
        f_step = json_array_get_object_element (steps, i);
    g_assert_nonnull (f_step);
    g_assert_cmpstr (json_object_get_string_member (f_step, "type"), ==, "filter");
    g_assert_cmpint (json_object_get_int_member (f_step, "rows_in"), ==, 5);
    g_assert_cmpint (json_object_get_int_member (f_step, "rows_out"), ==, 4);

    g_assert_null (aq_pipeline_history_get_run (db, run_id + 1000000, &error));
    g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
  }
}

static void
test_value_mapping_lookup (void)
{
  gint64 run_id = run_ok (
    "{'name': 't_map', 'steps': ["
    " {'id': 'bills', 'type': 'table_input',"
    "  'sql': 'SELECT acct_no, status, cust_no FROM src_t.bill WHERE period = 202301'},"
    " {'id': 'map', 'type': 'value_mapping', 'column': 'status', 'target': 'status_name',"
    "  'mapping': {'1': 'normal', '2': 'suspended'}, 'default': 'unknown'},"
    " {'id': 'map2', 'type': 'value_mapping', 'column': 'status', 'mapping': {'3': 'closed'}},"
    " {'id': 'lk', 'type': 'lookup', 'table': 'src_t.customer',"
    "  'keys': [{'input': 'cust_no', 'table': 'customer_id'}],"
    "  'columns': [{'name': 'cust_name', 'from': 'name'}]},"
    " {'id': 'lk2', 'type': 'lookup', 'table': 'src_t.customer', 'join': 'inner',"
    "  'keys': [{'input': 'cust_no', 'table': 'customer_id'}], 'columns': [{'name': 'name'}]},"
    " {'id': 'out', 'type': 'table_output', 'table': 'ods.t_map', 'create': true},"
    " {'id': 'out2', 'type': 'table_output', 'table': 'ods.t_map2', 'create': true}],"
    " 'edges': [{'from': 'bills', 'to': 'map'}, {'from': 'map', 'to': 'map2'},"
    "  {'from': 'map2', 'to': 'lk'}, {'from': 'lk', 'to': 'out'},"
    "  {'from': 'map2', 'to': 'lk2'}, {'from': 'lk2', 'to': 'out2'}]}");
  g_autofree char *rows = rows_of ("SELECT * FROM ods.t_map ORDER BY acct_no, status");
  g_autofree char *rows2 = rows_of ("SELECT acct_no, name FROM ods.t_map2 ORDER BY acct_no");
  g_autofree char *lk2 = step_record (run_id, "lk2");
  g_autofree char *run = run_record (run_id);

  g_assert_cmpstr (rows, ==,
                   "A1|1|1|normal|Lin;A1|1|1|normal|Lin;A2|closed|2|unknown|Chen;"
                   "A3|1|9|normal|∅");
  g_assert_cmpstr (rows2, ==, "A1|Lin;A1|Lin;A2|Chen");
  g_assert_cmpstr (lk2, ==, "4|3|f");
  g_assert_cmpstr (run, ==, "t_map|succeeded|7|t|f");
}

static void
test_deduplicate_aggregate (void)
{
  gint64 run_id = run_ok (
    "{'name': 't_agg', 'steps': ["
    " {'id': 'bills', 'type': 'table_input',"
    "  'sql': 'SELECT acct_no, period, qty, updated_at FROM src_t.bill'},"
    " {'id': 'dd', 'type': 'deduplicate', 'keys': ['acct_no', 'period'],"
    "  'order_by': 'updated_at DESC'},"
    " {'id': 'agg', 'type': 'aggregate', 'group_by': ['acct_no'], 'aggregates': ["
    "  {'name': 'n', 'function': 'count'},"
    "  {'name': 'periods', 'function': 'count_distinct', 'column': 'period'},"
    "  {'name': 'total', 'function': 'sum', 'column': 'qty'},"
    "  {'name': 'lo', 'function': 'min', 'column': 'qty'},"
    "  {'name': 'hi', 'function': 'max', 'column': 'qty'},"
    "  {'name': 'mean', 'function': 'avg', 'column': 'qty'}]},"
    " {'id': 'all', 'type': 'aggregate', 'aggregates': [{'name': 'n', 'function': 'count'}]},"
    " {'id': 'same', 'type': 'deduplicate'},"
    " {'id': 'out', 'type': 'table_output', 'table': 'ods.t_agg', 'create': true},"
    " {'id': 'out2', 'type': 'table_output', 'table': 'ods.t_agg_all', 'create': true},"
    " {'id': 'out3', 'type': 'table_output', 'table': 'ods.t_dd', 'create': true}],"
    " 'edges': [{'from': 'bills', 'to': 'dd'}, {'from': 'dd', 'to': 'agg'},"
    "  {'from': 'agg', 'to': 'out'}, {'from': 'dd', 'to': 'all'}, {'from': 'all', 'to': 'out2'},"
    "  {'from': 'bills', 'to': 'same'}, {'from': 'same', 'to': 'out3'}]}");
  g_autofree char *rows = rows_of ("SELECT acct_no, n, periods, total, lo, hi, round(mean, 2)"
                                   " FROM ods.t_agg ORDER BY acct_no");
  g_autofree char *all = rows_of ("SELECT n FROM ods.t_agg_all");
  g_autofree char *dd = step_record (run_id, "dd");
  g_autofree char *same = step_record (run_id, "same");

  g_assert_cmpstr (rows, ==, "A1|2|2|20.00|8.00|12.00|10.00;A2|1|1|-1.00|-1.00|-1.00|-1.00;"
                   "A3|1|1|5.00|5.00|5.00|5.00");
  g_assert_cmpstr (all, ==, "4");
  g_assert_cmpstr (dd, ==, "5|4|f");
  g_assert_cmpstr (same, ==, "5|5|f");
}

static void
test_union (void)
{
  gint64 run_id;
  g_autofree char *rows = NULL;
  g_autofree char *rows2 = NULL;
  g_autofree char *u = NULL;

  write_file ("union.csv", "qty,acct_no\n7,C1\n10,A1\n");
  run_id = run_ok (
    "{'name': 't_union', 'steps': ["
    " {'id': 'a', 'type': 'table_input',"
    "  'sql': 'SELECT acct_no, qty FROM src_t.bill WHERE acct_no = $$A1$$ AND period = 202301'},"
    " {'id': 'b', 'type': 'csv_input', 'path': 'union.csv', 'columns': ["
    "  {'name': 'qty', 'type': 'numeric'}, {'name': 'acct_no', 'type': 'varchar(10)'}]},"
    " {'id': 'u', 'type': 'union', 'all': true},"
    " {'id': 'u2', 'type': 'union', 'all': false},"
    " {'id': 'out', 'type': 'table_output', 'table': 'ods.t_union', 'create': true},"
    " {'id': 'out2', 'type': 'table_output', 'table': 'ods.t_union2', 'create': true}],"
    " 'edges': [{'from': 'a', 'to': 'u'}, {'from': 'b', 'to': 'u'}, {'from': 'u', 'to': 'out'},"
    "  {'from': 'b', 'to': 'u2'}, {'from': 'a', 'to': 'u2'}, {'from': 'u2', 'to': 'out2'}]}");
  rows = rows_of ("SELECT acct_no, qty FROM ods.t_union ORDER BY acct_no, qty, qty::text");
  rows2 = rows_of ("SELECT acct_no, qty::int FROM ods.t_union2 ORDER BY acct_no, qty");
  u = step_record (run_id, "u");
  g_assert_cmpstr (rows, ==, "A1|10;A1|10.00;A1|12.00;C1|7");
  /* without “all”, the duplicate A1 10 goes */
  g_assert_cmpstr (rows2, ==, "A1|10;A1|12;C1|7");
  g_assert_cmpstr (u, ==, "4|4|f");
}

static void
test_sql_steps (void)
{
  gint64 run_id = run_ok (
    "{'name': 't_sql', 'steps': ["
    " {'id': 'post', 'type': 'sql',"
    "  'sql': 'CREATE INDEX t_sql_qty ON ods.t_sql (qty); UPDATE ods.t_sql SET qty = qty * 10'},"
    " {'id': 'made', 'type': 'table_input', 'sql': 'SELECT x AS qty FROM src_t.made_by_sql'},"
    " {'id': 'out', 'type': 'table_output', 'table': 'ods.t_sql', 'create': true},"
    " {'id': 'pre', 'type': 'sql',"
    "  'sql': 'CREATE TABLE src_t.made_by_sql AS SELECT generate_series(1, 3) AS x'}],"
    " 'edges': [{'from': 'pre', 'to': 'made'}, {'from': 'made', 'to': 'out'},"
    "  {'from': 'out', 'to': 'post'}]}");
  g_autofree char *rows = rows_of ("SELECT qty FROM ods.t_sql ORDER BY qty");
  g_autofree char *post = step_record (run_id, "post");

  g_assert_cmpstr (rows, ==, "10;20;30");
  g_assert_cmpstr (post, ==, "∅|3|f");
  g_assert_cmpint (query_int ("SELECT count(*) FROM pg_indexes WHERE indexname = 't_sql_qty'"),
                   ==, 1);
}

/* ---- outputs ---- */

static void
test_output_modes (void)
{
  static const char append[] =
    "{'name': 't_modes', 'steps': ["
    " {'id': 'bills', 'type': 'table_input',"
    "  'sql': 'SELECT acct_no, period, qty FROM src_t.bill WHERE qty >= 0'},"
    " {'id': 'out', 'type': 'table_output', 'table': 'ods.t_modes', 'mode': 'MODE',"
    "  'create': true}],"
    " 'edges': [{'from': 'bills', 'to': 'out'}]}";
  g_autofree char *upsert = NULL;
  g_autofree char *as_append = subst (append, "MODE", "append", NULL);
  g_autofree char *as_replace = subst (append, "MODE", "replace", NULL);
  g_autofree char *rows = NULL;
  g_autofree char *pk = NULL;
  g_autofree char *indexes = NULL;

  run_ok (as_append);
  g_assert_cmpint (query_int ("SELECT count(*) FROM ods.t_modes"), ==, 4);
  run_ok (as_append);
  g_assert_cmpint (query_int ("SELECT count(*) FROM ods.t_modes"), ==, 8);
  run_ok (as_replace);
  g_assert_cmpint (query_int ("SELECT count(*) FROM ods.t_modes"), ==, 4);
  g_assert_cmpint (query_int ("SELECT count(DISTINCT (acct_no, period, qty)) FROM ods.t_modes"),
                   ==, 4);

  exec_sql ("CREATE TABLE src_t.up (k text, v int, note text);"
            "INSERT INTO src_t.up VALUES ('k1', 1, 'a'), ('k2', 2, 'b')");
  upsert = g_strdup (
    "{'name': 't_upsert', 'steps': ["
    " {'id': 'src', 'type': 'table_input', 'sql': 'SELECT k, v, note FROM src_t.up'},"
    " {'id': 'out', 'type': 'table_output', 'table': 'ods.t_up', 'mode': 'upsert',"
    "  'keys': ['k'], 'create': true, 'indexes': [['v'], ['note', 'v']]}],"
    " 'edges': [{'from': 'src', 'to': 'out'}]}");
  run_ok (upsert);
  exec_sql ("UPDATE src_t.up SET v = 20, note = 'changed' WHERE k = 'k2';"
            "INSERT INTO src_t.up VALUES ('k3', 3, 'c')");
  run_ok (upsert);
  rows = rows_of ("SELECT k, v, note FROM ods.t_up ORDER BY k");
  g_assert_cmpstr (rows, ==, "k1|1|a;k2|20|changed;k3|3|c");

  /* created with the primary key on the keys and the listed indexes */
  pk = rows_of ("SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid = 'ods.t_up'::regclass AND contype = 'p'");
  g_assert_cmpstr (pk, ==, "PRIMARY KEY (k)");
  indexes = rows_of ("SELECT regexp_replace(indexdef, '^.* USING ', '') FROM pg_indexes"
                     " WHERE schemaname = 'ods' AND tablename = 't_up' ORDER BY 1");
  g_assert_cmpstr (indexes, ==, "btree (k);btree (note, v);btree (v)");

  /* replace drops the keys and indexes for the load and builds them again after */
  {
    g_autofree char *as_replace_up = subst (upsert, "'upsert'", "'replace'", NULL);
    g_autofree char *after = NULL;
    g_autofree char *kept = NULL;
    GError *error = NULL;

    exec_sql ("UPDATE src_t.up SET v = 30 WHERE k = 'k3'");
    run_ok (as_replace_up);
    after = rows_of ("SELECT regexp_replace(indexdef, '^.* USING ', '') FROM pg_indexes"
                     " WHERE schemaname = 'ods' AND tablename = 't_up' ORDER BY 1");
    g_assert_cmpstr (after, ==, indexes);
    g_assert_cmpint (query_int ("SELECT v FROM ods.t_up WHERE k = 'k3'"), ==, 30);

    /* a key that no longer holds fails the run: old rows, key and indexes stay */
    exec_sql ("INSERT INTO src_t.up VALUES ('k1', 99, 'dup')");
    error = run_fails (as_replace_up, NULL);
    g_assert_nonnull (strstr (error->message, "step “out”"));
    g_clear_error (&error);
    kept = rows_of ("SELECT k, v FROM ods.t_up ORDER BY k");
    g_assert_cmpstr (kept, ==, "k1|1;k2|20;k3|30");
    g_clear_pointer (&after, g_free);
    after = rows_of ("SELECT regexp_replace(indexdef, '^.* USING ', '') FROM pg_indexes"
                     " WHERE schemaname = 'ods' AND tablename = 't_up' ORDER BY 1");
    g_assert_cmpstr (after, ==, indexes);
  }
}

/* ---- file inputs ---- */

static void
test_csv_input (void)
{
  static const char pipeline[] =
    "{'name': 't_csv', 'steps': ["
    " {'id': 'csv', 'type': 'csv_input', 'path': 'FILE', 'header': HEADER, 'delimiter': 'DELIM',"
    "  'columns': [{'name': 'acct_no', 'type': 'text'}, {'name': 'period', 'type': 'integer'},"
    "              {'name': 'qty', 'type': 'numeric'}, {'name': 'note', 'type': 'text'}]},"
    " {'id': 'out', 'type': 'table_output', 'table': 'ods.t_csv', 'create': true}],"
    " 'edges': [{'from': 'csv', 'to': 'out'}]}";
  g_autofree char *good = NULL;
  g_autofree char *semi = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *record = NULL;
  g_autoptr(GError) error = NULL;
  gint64 run_id = 0;

  write_file ("bills.csv",
              "acct_no,period,qty,note\n"
              "A1,202301,10.5,\"hello, world\"\n"
              "A2,202301,3,\"line one\nline two\"\n"
              "A3,202302,,\"say \"\"hi\"\"\"\n");
  good = subst (pipeline, "FILE", "bills.csv", "HEADER", "true", "DELIM", ",", NULL);
  run_id = run_ok (good);
  rows = rows_of ("SELECT * FROM ods.t_csv ORDER BY acct_no");
  g_assert_cmpstr (rows, ==, "A1|202301|10.5|hello, world;A2|202301|3|line one\nline two;"
                   "A3|202302|∅|say \"hi\"");
  record = step_record (run_id, "csv");
  g_assert_cmpstr (record, ==, "3|3|f");

  /* no header, another delimiter */
  write_file ("bills-semi.txt", "B1;202303;1;x\nB2;202303;2;\n");
  semi = subst (pipeline, "FILE", "bills-semi.txt", "HEADER", "false", "DELIM", ";", NULL);
  run_ok (semi);
  g_clear_pointer (&rows, g_free);
  rows = rows_of ("SELECT * FROM ods.t_csv WHERE acct_no LIKE 'B%' ORDER BY acct_no");
  g_assert_cmpstr (rows, ==, "B1|202303|1|x;B2|202303|2|∅");

  /* a bad value: the step, the line and the column are named, the target is untouched */
  write_file ("bad.csv", "acct_no,period,qty,note\nC1,202301,1,x\nC2,202301,abc,y\n");
  bad = subst (pipeline, "FILE", "bad.csv", "HEADER", "true", "DELIM", ",", NULL);
  before = checksum ("ods.t_csv");
  error = run_fails (bad, &run_id);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_QUERY);
  assert_contains (error->message, "step “csv”: line 3 of bad.csv, column “qty”: "
                   "invalid input syntax for type numeric: \"abc\"");
  after = checksum ("ods.t_csv");
  g_assert_cmpstr (before, ==, after);
  g_clear_pointer (&record, g_free);
  record = step_record (run_id, "csv");
  g_assert_cmpstr (record, ==, "∅|∅|t");
}

static void
test_json_input (void)
{
  static const char pipeline[] =
    "{'name': 't_json', 'steps': ["
    " {'id': 'js', 'type': 'json_input', 'path': 'FILE', 'columns': ["
    "  {'name': 'a', 'type': 'text'}, {'name': 'n', 'type': 'bigint', 'path': 'meta.n'},"
    "  {'name': 'tags', 'type': 'jsonb'}, {'name': 'ok', 'type': 'boolean'},"
    "  {'name': 'x', 'type': 'double precision'}]},"
    " {'id': 'out', 'type': 'table_output', 'table': 'ods.t_json', 'create': true}],"
    " 'edges': [{'from': 'js', 'to': 'out'}]}";
  g_autofree char *array = subst (pipeline, "FILE", "items.json", NULL);
  g_autofree char *ndjson = subst (pipeline, "FILE", "items.ndjson", NULL);
  g_autofree char *bad = subst (pipeline, "FILE", "bad.ndjson", NULL);
  g_autofree char *rows = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  gint64 run_id;

  write_file ("items.json",
              "  [{\"a\": \"x\", \"meta\": {\"n\": 1}, \"tags\": [1, 2], \"ok\": true,"
              "    \"x\": 1.5},\n"
              "   {\"a\": \"tab\\there\\\\\", \"meta\": {\"n\": null}, \"ok\": false},\n"
              "   {\"a\": \"\", \"meta\": {}, \"x\": 2}]");
  run_id = run_ok (array);
  rows = rows_of ("SELECT a, n, tags, ok, x FROM ods.t_json ORDER BY n NULLS LAST, a");
  g_assert_cmpstr (rows, ==, "x|1|[1, 2]|t|1.5;|∅|∅|∅|2;tab\there\\|∅|∅|f|∅");
  {
    g_autofree char *record = step_record (run_id, "js");
    g_assert_cmpstr (record, ==, "3|3|f");
  }

  write_file ("items.ndjson",
              "{\"a\": \"p\", \"meta\": {\"n\": 5}}\n\n{\"a\": \"q\", \"meta\": {\"n\": 6}}\n");
  run_ok (ndjson);
  g_clear_pointer (&rows, g_free);
  rows = rows_of ("SELECT a, n FROM ods.t_json WHERE n > 1 ORDER BY n");
  g_assert_cmpstr (rows, ==, "p|5;q|6");

  write_file ("bad.ndjson", "{\"a\": \"r\"}\n\n{\"a\": \"s\", \"meta\": {\"n\": \"zz\"}}\n");
  before = checksum ("ods.t_json");
  error = run_fails (bad, NULL);
  assert_contains (error->message, "step “js”: line 3 of bad.ndjson, column “n”: invalid input "
                   "syntax for type bigint: \"zz\"");
  after = checksum ("ods.t_json");
  g_assert_cmpstr (before, ==, after);
  g_clear_error (&error);

  write_file ("bad.ndjson", "{\"a\": \"r\"}\n[1]\n");
  error = run_fails (bad, NULL);
  assert_contains (error->message, "step “js”: line 2 of bad.ndjson is not a JSON object");
}

/* ---- database inputs ---- */

static void
test_watermark (void)
{
  static const char pipeline[] =
    "{'name': 't_wm', 'steps': ["
    " {'id': 'src', 'type': 'table_input', 'sql': 'SELECT id, v, updated_at FROM src_t.wm',"
    "  'watermark': {'column': 'updated_at'}},"
    " {'id': 'out', 'type': 'table_output', 'table': 'ods.t_wm', 'create': true}],"
    " 'edges': [{'from': 'src', 'to': 'out'}]}";
  gint64 run_id;
  g_autofree char *mark = NULL;
  g_autofree char *record = NULL;
  g_autofree char *ids = NULL;

  exec_sql ("SET TimeZone = 'UTC';"
            "CREATE TABLE src_t.wm (id int, v text, updated_at timestamptz);"
            "INSERT INTO src_t.wm VALUES (1, 'a', '2024-01-01 10:00+00'),"
            " (2, 'b', '2024-01-02 10:00+00'), (3, 'c', '2024-01-03 10:00+00')");
  run_id = run_ok (pipeline);
  record = step_record (run_id, "src");
  g_assert_cmpstr (record, ==, "3|3|f");
  mark = query_string ("SELECT value FROM meta.pipeline_watermark"
                       " WHERE pipeline = 't_wm' AND step_id = 'src'");
  g_assert_cmpstr (mark, ==, "2024-01-03 10:00:00+00");

  /* only what is newer than the watermark comes the second time */
  exec_sql ("INSERT INTO src_t.wm VALUES (4, 'd', '2024-01-04 10:00+00'),"
            " (5, 'e', '2024-01-05 10:00+00'), (6, 'late', '2024-01-02 12:00+00')");
  run_id = run_ok (pipeline);
  g_clear_pointer (&record, g_free);
  record = step_record (run_id, "src");
  g_assert_cmpstr (record, ==, "2|2|f");
  ids = rows_of ("SELECT id FROM ods.t_wm ORDER BY id");
  g_assert_cmpstr (ids, ==, "1;2;3;4;5");

  /* nothing new: nothing loaded, the watermark stays */
  run_id = run_ok (pipeline);
  g_clear_pointer (&record, g_free);
  record = step_record (run_id, "src");
  g_assert_cmpstr (record, ==, "0|0|f");
  g_clear_pointer (&mark, g_free);
  mark = query_string ("SELECT value FROM meta.pipeline_watermark WHERE pipeline = 't_wm'");
  g_assert_cmpstr (mark, ==, "2024-01-05 10:00:00+00");
}

/* SQL written as an array of lines reads as the lines joined */
static void
test_sql_lines (void)
{
  g_autofree char *rows = NULL;

  run_ok ("{'name': 't_lines', 'steps': ["
          " {'id': 'src', 'type': 'table_input', 'sql': ["
          "   'SELECT 1 AS a -- a comment ends at the line',"
          "   'UNION ALL',"
          "   'SELECT 2']},"
          " {'id': 'out', 'type': 'table_output', 'table': 'ods.t_lines', 'create': true}],"
          " 'edges': [{'from': 'src', 'to': 'out'}]}");
  rows = rows_of ("SELECT a FROM ods.t_lines ORDER BY a");
  g_assert_cmpstr (rows, ==, "1;2");
}

/* A family of monthly tables read as one, a new month joining by itself, each row stamped
 * with the run that loaded it. */
static void
test_table_family (void)
{
  static const char pipeline[] =
    "{'name': 't_family', 'steps': ["
    " {'id': 'bills', 'type': 'table_input',"
    "  'tables': {'schema': 'src_t', 'pattern': '^bill_[0-9]{6}$'},"
    "  'sql': 'SELECT b.*, current_setting($$aqueduct.run_id$$, true)::bigint AS batch_id"
    " FROM {table} b', 'watermark': {'column': 'period'}},"
    " {'id': 'out', 'type': 'table_output', 'table': 'ods.t_family', 'create': true}],"
    " 'edges': [{'from': 'bills', 'to': 'out'}]}";
  gint64 run_id;
  g_autofree char *rows = NULL;
  g_autofree char *expected = NULL;
  GError *error = NULL;

  exec_sql ("CREATE TABLE src_t.bill_202401 (acct text, period text, qty int);"
            "CREATE TABLE src_t.bill_202402 (LIKE src_t.bill_202401);"
            "CREATE TABLE src_t.bill_template (LIKE src_t.bill_202401);"
            "INSERT INTO src_t.bill_202401 VALUES ('a', '202401', 5), ('b', '202401', 0);"
            "INSERT INTO src_t.bill_202402 VALUES ('a', '202402', 7);"
            "INSERT INTO src_t.bill_template VALUES ('x', '209901', 1)");
  run_id = run_ok (pipeline);
  rows = rows_of ("SELECT acct, period, qty FROM ods.t_family ORDER BY period, acct");
  g_assert_cmpstr (rows, ==, "a|202401|5;b|202401|0;a|202402|7");
  g_assert_cmpint (query_int ("SELECT count(DISTINCT batch_id) FROM ods.t_family"), ==, 1);
  g_assert_cmpint (query_int ("SELECT max(batch_id) FROM ods.t_family"), ==, run_id);

  /* next month's table appears: only it is loaded */
  exec_sql ("CREATE TABLE src_t.bill_202403 (LIKE src_t.bill_202401);"
            "INSERT INTO src_t.bill_202403 VALUES ('b', '202403', 9)");
  run_id = run_ok (pipeline);
  g_clear_pointer (&rows, g_free);
  rows = rows_of ("SELECT acct, period, qty FROM ods.t_family ORDER BY period, acct");
  g_assert_cmpstr (rows, ==, "a|202401|5;b|202401|0;a|202402|7;b|202403|9");
  expected = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);
  g_clear_pointer (&rows, g_free);
  rows = rows_of ("SELECT batch_id FROM ods.t_family WHERE period = '202403'");
  g_assert_cmpstr (rows, ==, expected);

  /* a family with no member is an error that names the step */
  error = run_fails ("{'name': 't_family_none', 'steps': ["
                     " {'id': 'none', 'type': 'table_input',"
                     "  'tables': {'schema': 'src_t', 'pattern': '^nothing_'},"
                     "  'sql': 'SELECT * FROM {table}'},"
                     " {'id': 'out', 'type': 'table_output', 'table': 'ods.t_none', 'create': true}],"
                     " 'edges': [{'from': 'none', 'to': 'out'}]}", NULL);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "step “none”: no table in schema “src_t”"));
  g_clear_error (&error);
}

static void
test_other_connection (void)
{
  g_autoptr(AqDb) source = aq_test_db_new ("t_pipeline_src", FALSE);
  g_autofree char *conninfo = aq_test_conninfo ("t_pipeline_src");
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;
  const char *params[] = { conninfo };
  static const char pipeline[] =
    "{'name': 't_conn', 'steps': ["
    " {'id': 'legacy', 'type': 'table_input', 'connection': 'billing',"
    "  'sql': 'SELECT id, name, amount, changed_at FROM legacy.customer',"
    "  'watermark': {'column': 'changed_at'}},"
    " {'id': 'up', 'type': 'calculator',"
    "  'columns': [{'name': 'shout', 'expression': 'upper(name)'}]},"
    " {'id': 'out', 'type': 'table_output', 'table': 'ods.t_conn', 'create': true}],"
    " 'edges': [{'from': 'legacy', 'to': 'up'}, {'from': 'up', 'to': 'out'}]}";
  g_autofree char *rows = NULL;
  g_autofree char *types = NULL;
  g_autofree char *record = NULL;
  gint64 run_id;

  aq_db_exec (source,
              "CREATE SCHEMA legacy;"
              "CREATE TABLE legacy.customer (id int, name text, amount numeric(10,2),"
              " changed_at timestamp);"
              "INSERT INTO legacy.customer VALUES"
              " (1, 'tab\there', 1.50, '2024-01-01 08:00'),"
              " (2, E'two\\nlines \\\\ back', NULL, '2024-01-02 08:00'),"
              " (3, NULL, 3.00, '2024-01-03 08:00')",
              &error);
  g_assert_no_error (error);
  res = aq_db_query (db, "INSERT INTO meta.connection (name, url) VALUES ('billing', $1)", 1,
                     params, &error);
  g_assert_no_error (error);

  run_id = run_ok (pipeline);
  rows = rows_of ("SELECT * FROM ods.t_conn ORDER BY id");
  g_assert_cmpstr (rows, ==, "1|tab\there|1.50|2024-01-01 08:00:00|TAB\tHERE;"
                   "2|two\nlines \\ back|∅|2024-01-02 08:00:00|TWO\nLINES \\ BACK;"
                   "3|∅|3.00|2024-01-03 08:00:00|∅");
  types = rows_of ("SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                   " WHERE attrelid = 'ods.t_conn'::regclass AND attnum > 0 ORDER BY attnum");
  g_assert_cmpstr (types, ==, "integer;text;numeric(10,2);timestamp without time zone;text");
  record = step_record (run_id, "legacy");
  g_assert_cmpstr (record, ==, "3|3|f");

  /* incremental from there too */
  aq_db_exec (source, "INSERT INTO legacy.customer VALUES (4, 'new', 4, '2024-01-04 08:00'),"
              " (5, 'old', 5, '2023-12-31 08:00')", &error);
  g_assert_no_error (error);
  run_id = run_ok (pipeline);
  g_clear_pointer (&record, g_free);
  record = step_record (run_id, "legacy");
  g_assert_cmpstr (record, ==, "1|1|f");
  g_assert_cmpint (query_int ("SELECT count(*) FROM ods.t_conn"), ==, 4);

  /* a source that fails half-way through its rows fails the run; both connections go on */
  error = run_fails ("{'name': 't_conn_bad', 'steps': ["
                     " {'id': 'legacy', 'type': 'table_input', 'connection': 'billing',"
                     "  'sql': 'SELECT 10 / (id - 2) AS x FROM legacy.customer ORDER BY id'},"
                     " {'id': 'out', 'type': 'table_output', 'table': 'ods.t_conn_bad',"
                     "  'create': true}],"
                     " 'edges': [{'from': 'legacy', 'to': 'out'}]}", NULL);
  assert_contains (error->message, "step “legacy”: division by zero");
  g_assert_cmpint (query_int ("SELECT count(*) FROM ods.t_conn"), ==, 4);
  run_id = run_ok (pipeline);
  g_clear_pointer (&record, g_free);
  record = step_record (run_id, "legacy");
  g_assert_cmpstr (record, ==, "0|0|f");
}

/* ---- failure, cancellation, progress ---- */

static void
test_failure_leaves_targets (void)
{
  static const char pipeline[] =
    "{'name': 't_fail', 'steps': ["
    " {'id': 'bills', 'type': 'table_input', 'sql': 'SELECT acct_no, qty FROM src_t.bill'},"
    " {'id': 'out1', 'type': 'table_output', 'table': 'ods.t_keep', 'mode': 'replace'},"
    " {'id': 'new', 'type': 'table_output', 'table': 'ods.t_fresh', 'create': true},"
    " {'id': 'out2', 'type': 'table_output', 'table': 'ods.t_strict'}],"
    " 'edges': [{'from': 'bills', 'to': 'out1'}, {'from': 'bills', 'to': 'new'},"
    "  {'from': 'bills', 'to': 'out2'}]}";
  g_autofree char *keep_before = NULL;
  g_autofree char *keep_after = NULL;
  g_autofree char *strict_before = NULL;
  g_autofree char *strict_after = NULL;
  g_autofree char *fresh = NULL;
  g_autofree char *run = NULL;
  g_autofree char *out1 = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *out2_error = NULL;
  g_autoptr(GError) error = NULL;
  gint64 run_id = 0;

  exec_sql ("CREATE TABLE ods.t_keep (acct_no text, qty numeric);"
            "INSERT INTO ods.t_keep VALUES ('K1', 1), ('K2', 2), ('K3', NULL);"
            "CREATE TABLE ods.t_strict (acct_no text, qty numeric CHECK (qty >= 0));"
            "INSERT INTO ods.t_strict VALUES ('S1', 1)");
  keep_before = checksum ("ods.t_keep");
  strict_before = checksum ("ods.t_strict");

  /* the last step fails: A2's qty is -1 */
  error = run_fails (pipeline, &run_id);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_QUERY);
  assert_contains (error->message, "step “out2”: new row for relation \"t_strict\" violates "
                   "check constraint");

  keep_after = checksum ("ods.t_keep");
  strict_after = checksum ("ods.t_strict");
  g_assert_cmpstr (keep_before, ==, keep_after);
  g_assert_cmpstr (strict_before, ==, strict_after);
  g_assert_cmpint (query_int ("SELECT count(*) FROM ods.t_keep"), ==, 3);
  fresh = query_string ("SELECT to_regclass('ods.t_fresh')::text");
  g_assert_null (fresh);

  run = run_record (run_id);
  g_assert_cmpstr (run, ==, "t_fail|failed|0|t|t");
  out1 = step_record (run_id, "out1");
  g_assert_cmpstr (out1, ==, "5|5|f");
  out2 = step_record (run_id, "out2");
  g_assert_cmpstr (out2, ==, "5|∅|t");
  {
    g_autofree char *sql = g_strdup_printf ("SELECT error FROM meta.pipeline_step_run"
                                            " WHERE run_id = %" G_GINT64_FORMAT
                                            " AND step_id = 'out2'", run_id);
    out2_error = query_string (sql);
  }
  g_assert_cmpstr (out2_error, ==, error->message);

  /* a run the check stops is recorded too, with the step that failed it */
  g_clear_error (&error);
  error = run_fails ("{'name': 't_fail_check', 'steps': ["
                     " {'id': 'bills', 'type': 'table_input',"
                     "  'sql': 'SELECT acct_no FROM src_t.bill'},"
                     " {'id': 'lk', 'type': 'lookup', 'table': 'src_t.gone',"
                     "  'keys': [{'input': 'acct_no', 'table': 'acct_no'}], 'columns': []}],"
                     " 'edges': [{'from': 'bills', 'to': 'lk'}]}", &run_id);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_clear_pointer (&run, g_free);
  run = run_record (run_id);
  g_assert_cmpstr (run, ==, "t_fail_check|failed|0|t|t");
  g_clear_pointer (&out1, g_free);
  out1 = step_record (run_id, "lk");
  g_assert_cmpstr (out1, ==, "∅|∅|t");
  g_clear_pointer (&out2, g_free);
  out2 = step_record (run_id, "bills");
  g_assert_cmpstr (out2, ==, "");
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (400 * G_TIME_SPAN_MILLISECOND);
  g_cancellable_cancel (G_CANCELLABLE (data));
  return NULL;
}

static void
test_cancel (void)
{
  g_autoptr(AqPipeline) pipeline = pipeline_of (
    "{'name': 't_cancel', 'steps': ["
    " {'id': 'slow', 'type': 'table_input',"
    "  'sql': 'SELECT src_t.slow(g) AS g FROM generate_series(1, 400) g'},"
    " {'id': 'out', 'type': 'table_output', 'table': 'ods.t_cancel', 'create': true}],"
    " 'edges': [{'from': 'slow', 'to': 'out'}]}");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GThread) thread = NULL;
  g_autofree char *run = NULL;
  g_autofree char *exists = NULL;
  gint64 run_id = 0;

  /* 400 rows of 25 ms: 10 s uncancelled. The sequence counts the rows reached and, not being
   * transactional, keeps the count after the rollback: the proof that the cancel stopped the
   * statement, without a wall-clock threshold that a loaded machine could miss. */
  exec_sql ("CREATE SEQUENCE src_t.slow_calls;"
            "CREATE FUNCTION src_t.slow(x int) RETURNS int LANGUAGE plpgsql VOLATILE AS"
            " $$ BEGIN PERFORM nextval('src_t.slow_calls'); PERFORM pg_sleep(0.025);"
            " RETURN x; END $$;"
            /* pipelines run as the data engineers' role (010_roles.sql) */
            "GRANT USAGE ON SEQUENCE src_t.slow_calls TO aq_data_engineer");
  thread = g_thread_new ("cancel", cancel_later, cancellable);
  g_assert_false (aq_pipeline_runner_run_pipeline (pipeline, db, NULL, NULL, cancellable, &run_id,
                                                  &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_thread_join (g_steal_pointer (&thread));
  g_assert_cmpint (query_int ("SELECT CASE WHEN is_called THEN last_value ELSE 0 END"
                              " FROM src_t.slow_calls"), <, 400);

  run = run_record (run_id);
  g_assert_cmpstr (run, ==, "t_cancel|cancelled|0|t|t");
  exists = query_string ("SELECT to_regclass('ods.t_cancel')::text");
  g_assert_null (exists);
  /* the connection is fine afterwards */
  g_assert_cmpint (query_int ("SELECT 1"), ==, 1);
}

static void
progress_cb (double      fraction,
             const char *message,
             gpointer    user_data)
{
  GString *seen = user_data;

  g_string_append_printf (seen, "%.2f %s;", fraction, message);
}

static void
test_progress (void)
{
  g_autoptr(AqPipeline) pipeline = pipeline_of (
    "{'name': 't_progress', 'steps': ["
    " {'id': 'bills', 'type': 'table_input', 'sql': 'SELECT acct_no FROM src_t.bill'},"
    " {'id': 'f', 'type': 'filter', 'condition': 'acct_no <> $$A2$$'},"
    " {'id': 'out', 'type': 'table_output', 'table': 'ods.t_progress', 'create': true},"
    " {'id': 'post', 'type': 'sql', 'sql': 'ANALYZE ods.t_progress'}],"
    " 'edges': [{'from': 'bills', 'to': 'f'}, {'from': 'f', 'to': 'out'},"
    "  {'from': 'out', 'to': 'post'}]}");
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  aq_pipeline_runner_run_pipeline (pipeline, db, progress_cb, seen, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (seen->str, ==,
                   "0.00 checking;0.00 bills (table_input);0.25 f (filter);"
                   "0.50 out (table_output);0.75 post (sql);1.00 commit;1.00 done;");
  g_assert_cmpint (query_int ("SELECT count(*) FROM ods.t_progress"), ==, 4);
}

static void
test_standard (void)
{
  g_auto(GStrv) names = aq_pipeline_list_standard ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AqPipeline) missing = NULL;

  /* whatever is bundled loads, is valid on its own and carries its file's name */
  for (guint i = 0; names[i]; i++)
    {
      g_autoptr(AqPipeline) pipeline = aq_pipeline_new_standard (names[i], &error);

      g_assert_no_error (error);
      g_assert_cmpstr (aq_pipeline_get_name (pipeline), ==, names[i]);
      aq_pipeline_runner_validate (pipeline, NULL, &error);
      g_assert_no_error (error);
      if (i > 0)
        g_assert_cmpint (strcmp (names[i - 1], names[i]), <, 0);
    }
  missing = aq_pipeline_new_standard ("no_such_pipeline", &error);
  g_assert_null (missing);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
}

/* A run whose process was killed (its connection gone) becomes interrupted when the next run
 * starts, instead of staying running forever; a live run is left alone (016). */
static void
test_killed_interrupted (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) other = aq_db_connect (aq_db_get_conninfo (db), &error);
  g_autofree char *killed = NULL, *pid = NULL, *live = NULL, *sql = NULL;
  g_autofree char *status = NULL;

  g_assert_no_error (error);
  killed = aq_db_query_string (other, "INSERT INTO meta.pipeline_run (pipeline)"
                                      " VALUES ('killed') RETURNING run_id::text",
                               0, NULL, &error);
  g_assert_no_error (error);
  pid = aq_db_query_string (other, "SELECT pg_backend_pid()::text", 0, NULL, &error);
  g_assert_no_error (error);
  {
    const char *params[] = { pid };
    g_autofree char *done = aq_db_query_string (db, "SELECT pg_terminate_backend($1::int, 10000)"
                                                    "::text", 1, params, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (done, ==, "true");
  }
  live = aq_db_query_string (db, "INSERT INTO meta.pipeline_run (pipeline) VALUES ('live')"
                                 " RETURNING run_id::text", 0, NULL, &error);
  g_assert_no_error (error);
  {
    const char *params[] = { killed };

    status = aq_db_query_string (db, "SELECT status || ' ' || (finished_at IS NOT NULL)"
                                     " FROM meta.pipeline_run WHERE run_id = $1::bigint",
                                 1, params, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (status, ==, "interrupted true");
  }
  {
    const char *params[] = { live };

    g_free (status);
    status = aq_db_query_string (db, "SELECT meta.pipeline_run_sweep()::text || ' ' || status"
                                     " FROM meta.pipeline_run WHERE run_id = $1::bigint",
                                 1, params, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (status, ==, "0 running");
    sql = g_strdup_printf ("DELETE FROM meta.pipeline_run WHERE run_id IN (%s, %s)", killed, live);
    g_assert_true (aq_db_exec (db, sql, &error));
    g_assert_no_error (error);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  aq_core_init ();
  data_dir = g_dir_make_tmp ("aq-pipeline-XXXXXX", &error);
  g_assert_no_error (error);
  db = aq_test_db_new ("t_pipeline", TRUE);
  exec_sql ("CREATE SCHEMA src_t;"
            "CREATE TABLE src_t.bill (acct_no text, period int, qty numeric(12,2), status int,"
            " cust_no int, updated_at timestamptz);"
            "INSERT INTO src_t.bill VALUES"
            " ('A1', 202301, 10, 1, 1, '2023-02-01 00:00+00'),"
            " ('A1', 202301, 12, 1, 1, '2023-02-03 00:00+00'),"
            " ('A1', 202302, 8, 2, 1, '2023-03-01 00:00+00'),"
            " ('A2', 202301, -1, 3, 2, '2023-02-01 00:00+00'),"
            " ('A3', 202301, 5, 1, 9, '2023-02-02 00:00+00');"
            "CREATE TABLE src_t.customer (customer_id int PRIMARY KEY, name text);"
            "INSERT INTO src_t.customer VALUES (1, 'Lin'), (2, 'Chen')");

  g_test_add_func ("/pipeline/parse", test_parse);
  g_test_add_func ("/pipeline/validate/static", test_validate_static);
  g_test_add_func ("/pipeline/validate/db", test_validate_db);
  g_test_add_func ("/pipeline/steps/select-filter-calculator", test_select_filter_calculator);
  g_test_add_func ("/pipeline/steps/value-mapping-lookup", test_value_mapping_lookup);
  g_test_add_func ("/pipeline/steps/deduplicate-aggregate", test_deduplicate_aggregate);
  g_test_add_func ("/pipeline/steps/union", test_union);
  g_test_add_func ("/pipeline/steps/sql", test_sql_steps);
  g_test_add_func ("/pipeline/output/modes", test_output_modes);
  g_test_add_func ("/pipeline/input/csv", test_csv_input);
  g_test_add_func ("/pipeline/input/json", test_json_input);
  g_test_add_func ("/pipeline/input/watermark", test_watermark);
  g_test_add_func ("/pipeline/input/table-family", test_table_family);
  g_test_add_func ("/pipeline/input/sql-lines", test_sql_lines);
  g_test_add_func ("/pipeline/input/other-connection", test_other_connection);
  g_test_add_func ("/pipeline/run/failure-leaves-targets", test_failure_leaves_targets);
  g_test_add_func ("/pipeline/run/cancel", test_cancel);
  g_test_add_func ("/pipeline/run/progress", test_progress);
  g_test_add_func ("/pipeline/run/killed-interrupted", test_killed_interrupted);
  g_test_add_func ("/pipeline/standard", test_standard);
  status = g_test_run ();

  g_clear_object (&db);
  {
    g_autoptr(GDir) dir = g_dir_open (data_dir, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name (dir)))
      {
        g_autofree char *path = g_build_filename (data_dir, name, NULL);
        g_unlink (path);
      }
    g_rmdir (data_dir);
  }
  g_free (data_dir);
  return status;
}
