/* test-pipeline-preview.c — sampled and full previews against SQL over the same rows
 *
 * A sampled preview reads, for each table its table inputs name, the first N rows: these tests
 * compute the same steps by hand in SQL over temp tables holding those first N rows and
 * compare row for row; the full preview is compared with SQL over every row. Also: the names
 * the sampler finds and rewrites (strings, comments, casts, functions, aliases), the
 * automatic preview falling back to a sample when the full one runs out of time (a step that
 * sleeps per row: no wall-clock threshold decides it), and a step whose SQL has parameters
 * (a value mapping, whose values travel as parameters and which cannot be a view). */
#include "aq-test-util.h"

#include <string.h>

#include "aq-pipeline-graph.h"
#include "aq-pipeline-preview.h"
#include "aq-pipeline-sample.h"

static AqDb *db;

/* bills: 4 periods × 300 accounts, written period by period; accounts in id order */
#define SETUP_SQL \
  "CREATE SCHEMA src_s;" \
  "CREATE TABLE src_s.account (id int PRIMARY KEY, zone text NOT NULL);" \
  "INSERT INTO src_s.account SELECT i, 'Z' || (i % 4) FROM generate_series(1, 300) i;" \
  "CREATE TABLE src_s.bill (account_id int, period int, qty numeric(10,1));" \
  "INSERT INTO src_s.bill SELECT a, p, (a * p) % 17 + 0.5" \
  "  FROM generate_series(1, 4) p, generate_series(1, 300) a ORDER BY p, a;" \
  "GRANT USAGE ON SCHEMA src_s TO aq_data_engineer;" \
  "GRANT SELECT ON ALL TABLES IN SCHEMA src_s TO aq_data_engineer"

/* an input that joins and groups; a deduplicate after it (the biggest period per zone); an
 * input naming its table without an alias, with the name also in a string and a comment;
 * a value mapping (parameters) and a filter after it */
#define SAMPLE_PIPELINE \
  "{'name': 'preview_sample', 'steps': [" \
  " {'id': 'read', 'type': 'table_input', 'sql': 'SELECT a.zone, b.period, count(*)::int AS" \
  "  bills, sum(b.qty) AS qty FROM src_s.bill b JOIN src_s.account AS a ON a.id = b.account_id" \
  "  GROUP BY 1, 2'}," \
  " {'id': 'top', 'type': 'deduplicate', 'keys': ['zone'], 'order_by': 'qty DESC, period'}," \
  " {'id': 'write', 'type': 'table_output', 'table': 'dw.preview_sample', 'create': true}," \
  " {'id': 'accounts', 'type': 'table_input', 'sql': 'SELECT account.id, account.zone," \
  "  \\'src_s.bill\\' AS note FROM src_s.account /* src_s.bill */ WHERE account.id % 3 = 0'}," \
  " {'id': 'named', 'type': 'value_mapping', 'column': 'zone', 'target': 'zone_name'," \
  "  'mapping': {'Z0': 'north', 'Z1': 'east'}, 'default': 'other'}," \
  " {'id': 'east', 'type': 'filter', 'condition': 'zone_name = \\'east\\''}," \
  " {'id': 'write2', 'type': 'table_output', 'table': 'dw.preview_sample2', 'create': true}]," \
  " 'edges': [{'from': 'read', 'to': 'top'}, {'from': 'top', 'to': 'write'}," \
  "  {'from': 'accounts', 'to': 'named'}, {'from': 'named', 'to': 'east'}," \
  "  {'from': 'east', 'to': 'write2'}]}"

/* by hand: the first rows of each table (physical order, as the sampler reads them) */
#define SAMPLE_TABLES \
  "SET synchronize_seqscans = off;" \
  "CREATE TEMP TABLE s_bill AS SELECT * FROM src_s.bill LIMIT %u;" \
  "CREATE TEMP TABLE s_account AS SELECT * FROM src_s.account LIMIT %u"

#define READ_SQL(bill, account) \
  "SELECT a.zone, b.period, count(*)::int AS bills, sum(b.qty) AS qty FROM " bill " b" \
  " JOIN " account " a ON a.id = b.account_id GROUP BY 1, 2"
#define TOP_SQL(read) \
  "SELECT DISTINCT ON (zone) * FROM (" read ") r ORDER BY zone, qty DESC, period"
#define NAMED_SQL(account) \
  "SELECT id, zone, 'src_s.bill' AS note, CASE zone WHEN 'Z0' THEN 'north' WHEN 'Z1'" \
  " THEN 'east' ELSE 'other' END AS zone_name FROM " account " WHERE id %% 3 = 0"

static AqPipeline *
pipeline_of (const char *text)
{
  g_autofree char *json = g_strdup (text);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqPipelineGraph) graph = NULL;
  g_autofree char *data = NULL;
  AqPipeline *pipeline;
  char *out = json;

  /* ' is ", \' is ' */
  for (char *p = json; *p; p++)
    {
      if (*p == '\\' && p[1] == '\'')
        *out++ = '\'', p++;
      else
        *out++ = *p == '\'' ? '"' : *p;
    }
  *out = '\0';
  graph = aq_pipeline_graph_new_from_data (json, -1, &error);
  g_assert_no_error (error);
  data = aq_pipeline_graph_to_data (graph);
  pipeline = aq_pipeline_new_from_data (data, -1, NULL, &error);
  g_assert_no_error (error);
  return pipeline;
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* The preview's rows as sorted "a|b|c" lines, NULL as \N. */
static char *
preview_rows (AqPipelinePreview *preview)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint r = 0; r < preview->rows->len; r++)
    {
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint c = 0; c < preview->columns->len; c++)
        {
          const char *value = aq_pipeline_preview_get_value (preview, r, c);

          g_string_append_printf (line, "%s%s", c ? "|" : "", value ? value : "\\N");
        }
      g_ptr_array_add (lines, g_string_free (g_steal_pointer (&line), FALSE));
    }
  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (text, "%s\n", (char *) g_ptr_array_index (lines, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The rows of @sql the same way, in one string. */
static char *
sql_rows (const char *sql)
{
  g_autofree char *query = g_strdup_printf (
    "SELECT coalesce (string_agg (line, E'\\n' ORDER BY line COLLATE \"C\") || E'\\n', '')"
    " FROM (SELECT concat_ws ('|', VARIADIC (SELECT array_agg (coalesce (v, '\\N'))"
    "        FROM json_each_text (row_to_json (q)) j (k, v))) AS line FROM (%s) q) l", sql);

  return aq_test_query_string (db, query);
}

static gint64
sql_count (const char *sql)
{
  g_autofree char *query = g_strdup_printf ("SELECT count(*) FROM (%s) q", sql);

  return aq_test_query_int64 (db, query);
}

static void
make_samples (guint bills,
              guint accounts)
{
  g_autofree char *sql = g_strdup_printf (SAMPLE_TABLES, bills, accounts);
  g_autoptr(GError) error = NULL;

  aq_db_exec (db, "DROP TABLE IF EXISTS s_bill, s_account; RESET synchronize_seqscans",
              &error);
  g_assert_no_error (error);
  aq_db_exec (db, sql, &error);
  g_assert_no_error (error);
}

/* ---- the names ---- */

static void
test_names (void)
{
  const char *sql = "SELECT b.x::dw.t, dw.f(1), 'ods.s' AS \"ods.q\", $$ods.d$$, e.c.d\n"
                    "FROM ods.a JOIN \"Ods\".\"B\" bb ON true -- ods.comment\n"
                    "/* ods.c /* ods.nested */ */ JOIN ods.e AS e ON true, ods.g\n"
                    "LEFT JOIN ods.h ON ods.h.k = 1 WHERE E'ods.\\'x' <> U&'ods.u'";
  g_autoptr(GPtrArray) names = aq_pipeline_sample_find_names (sql);
  g_autoptr(GString) found = g_string_new (NULL);
  g_autoptr(GHashTable) samples = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *rewritten = NULL;

  for (guint i = 0; i < names->len; i++)
    {
      AqSqlName *name = g_ptr_array_index (names, i);

      g_string_append_printf (found, "%s%s%s", i ? " " : "", name->name,
                              name->aliased ? "+" : "");
    }
  /* not the cast, the function, strings, comments, quoted aliases, nor three-part names */
  g_assert_cmpstr (found->str, ==, "b.x ods.a \"Ods\".\"B\"+ ods.e+ ods.g ods.h");

  g_hash_table_insert (samples, "ods.e", "pg_temp.s1");
  g_hash_table_insert (samples, "ods.g", "pg_temp.s2");
  g_hash_table_insert (samples, "\"Ods\".\"B\"", "pg_temp.s3");
  rewritten = aq_pipeline_sample_rewrite (sql, names, samples);
  g_assert_nonnull (strstr (rewritten, "JOIN pg_temp.s1 AS e ON true, pg_temp.s2 AS g\n"));
  g_assert_nonnull (strstr (rewritten, "JOIN pg_temp.s3 bb ON"));
  g_assert_nonnull (strstr (rewritten, "LEFT JOIN ods.h ON"));
  g_assert_nonnull (strstr (rewritten, "-- ods.comment"));
}

/* ---- previews ---- */

/* Over a sample: the same rows as SQL over the first rows of each table, through an input
 * that groups and a deduplicate after it; the sample's size and count are told. */
static void
test_sample (void)
{
  g_autoptr(AqPipeline) pipeline = pipeline_of (SAMPLE_PIPELINE);
  g_autoptr(AqPipelinePreview) read = NULL;
  g_autoptr(AqPipelinePreview) top = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;
  g_autofree char *want = NULL;

  read = aq_pipeline_preview_step_with_mode (pipeline, db, "read", 200,
                                             AQ_PIPELINE_PREVIEW_SAMPLE, 100, NULL, &error);
  g_assert_no_error (error);
  /* 100 rows of each table (the bills' first 100 are period 1's accounts 1–100) */
  g_assert_cmpuint (read->sample_rows, ==, 100);
  g_assert_cmpuint (read->n_sampled_tables, ==, 2);
  g_assert_cmpint (read->sample_input_rows, ==, 200);
  g_assert_cmpfloat (read->full_tried_ms, ==, 0);
  make_samples (100, 100);
  got = preview_rows (read);
  want = sql_rows (READ_SQL ("s_bill", "s_account"));
  g_assert_cmpstr (got, ==, want);
  g_assert_cmpint (read->n_rows, ==, sql_count (READ_SQL ("s_bill", "s_account")));
  /* not what the whole tables give */
  g_clear_pointer (&want, g_free);
  want = sql_rows (READ_SQL ("src_s.bill", "src_s.account"));
  g_assert_cmpstr (got, !=, want);

  /* the deduplicate over the sampled input: SQL over the same sample */
  top = aq_pipeline_preview_step_with_mode (pipeline, db, "top", 200,
                                            AQ_PIPELINE_PREVIEW_SAMPLE, 0, NULL, &error);
  g_assert_no_error (error);
  /* 0: $AQUEDUCT_PREVIEW_SAMPLE_ROWS, set to 250 in main; the accounts have only 300 rows */
  g_assert_cmpuint (top->sample_rows, ==, 250);
  g_assert_cmpint (top->sample_input_rows, ==, 500);
  make_samples (250, 250);
  g_clear_pointer (&got, g_free);
  g_clear_pointer (&want, g_free);
  got = preview_rows (top);
  want = sql_rows (TOP_SQL (READ_SQL ("s_bill", "s_account")));
  g_assert_cmpstr (got, ==, want);
  g_assert_cmpint (top->n_rows, ==, 4);

  /* nothing left behind */
  g_assert_cmpint (PQtransactionStatus (aq_db_get_conn (db)), ==, PQTRANS_IDLE);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM pg_class"
                                            " WHERE relname LIKE '\\_aq\\_sample\\_%'"), ==, 0);
}

/* Every row: the same rows as SQL over the whole tables, nothing sampled. */
static void
test_full (void)
{
  g_autoptr(AqPipeline) pipeline = pipeline_of (SAMPLE_PIPELINE);
  g_autoptr(AqPipelinePreview) read = NULL;
  g_autoptr(AqPipelinePreview) top = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *want = NULL;
  g_autofree char *got = NULL;

  read = aq_pipeline_preview_step_with_mode (pipeline, db, "read", 200,
                                             AQ_PIPELINE_PREVIEW_FULL, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (read->sample_rows, ==, 0);
  g_assert_cmpuint (read->n_sampled_tables, ==, 0);
  got = preview_rows (read);
  want = sql_rows (READ_SQL ("src_s.bill", "src_s.account"));
  g_assert_cmpstr (got, ==, want);
  g_assert_cmpint (read->n_rows, ==, 16);

  top = aq_pipeline_preview_step_with_mode (pipeline, db, "top", 200,
                                            AQ_PIPELINE_PREVIEW_FULL, 0, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&got, g_free);
  g_clear_pointer (&want, g_free);
  got = preview_rows (top);
  want = sql_rows (TOP_SQL (READ_SQL ("src_s.bill", "src_s.account")));
  g_assert_cmpstr (got, ==, want);
}

/* A step whose SQL has parameters (a value mapping's values) and the filter after it, full
 * and sampled; the input names its table without an alias (`account.id` must still work). */
static void
test_parameters (void)
{
  g_autoptr(AqPipeline) pipeline = pipeline_of (SAMPLE_PIPELINE);
  AqPipelinePreviewMode modes[] = { AQ_PIPELINE_PREVIEW_FULL, AQ_PIPELINE_PREVIEW_SAMPLE };

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      const char *account = modes[m] == AQ_PIPELINE_PREVIEW_FULL ? "src_s.account"
                                                                 : "s_account";
      g_autofree char *named_sql = g_strdup_printf (NAMED_SQL ("%s"), account);
      g_autofree char *east_sql = g_strdup_printf ("SELECT * FROM (%s) n"
                                                   " WHERE zone_name = 'east'", named_sql);
      g_autoptr(AqPipelinePreview) named = NULL;
      g_autoptr(AqPipelinePreview) east = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *got = NULL;
      g_autofree char *want = NULL;

      make_samples (60, 60);
      named = aq_pipeline_preview_step_with_mode (pipeline, db, "named", 200, modes[m], 60,
                                                  NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (named->columns->len, ==, 4);
      g_assert_cmpuint (named->sample_rows, ==, modes[m] == AQ_PIPELINE_PREVIEW_FULL ? 0 : 60);
      /* the string and the comment naming src_s.bill sampled nothing */
      g_assert_cmpuint (named->n_sampled_tables, ==, modes[m] == AQ_PIPELINE_PREVIEW_FULL ? 0 : 1);
      got = preview_rows (named);
      want = sql_rows (named_sql);
      g_assert_cmpstr (got, ==, want);
      g_assert_cmpint (named->n_rows, ==, sql_count (named_sql));

      east = aq_pipeline_preview_step_with_mode (pipeline, db, "east", 200, modes[m], 60,
                                                 NULL, &error);
      g_assert_no_error (error);
      g_clear_pointer (&got, g_free);
      g_clear_pointer (&want, g_free);
      got = preview_rows (east);
      want = sql_rows (east_sql);
      g_assert_cmpstr (got, ==, want);
      g_assert_cmpint (east->n_rows, ==, sql_count (east_sql));
      g_assert_cmpint (east->n_rows, >, 0);
    }
}

#define SLOW_PIPELINE \
  "{'name': 'preview_slow', 'steps': [" \
  " {'id': 'read', 'type': 'table_input', 'sql': 'SELECT account_id, period, qty" \
  "  FROM src_s.bill WHERE pg_sleep(0.01) IS NOT NULL'}," \
  " {'id': 'total', 'type': 'aggregate', 'group_by': ['period']," \
  "  'aggregates': [{'name': 'qty', 'function': 'sum', 'column': 'qty'}]}," \
  " {'id': 'write', 'type': 'table_output', 'table': 'dw.preview_slow', 'create': true}]," \
  " 'edges': [{'from': 'read', 'to': 'total'}, {'from': 'total', 'to': 'write'}]}"

/* Automatic: a full computation that cannot end in its time (1,200 rows sleeping 10 ms each
 * before an aggregate: 12 s, given 300 ms) is given up for the sample (20 rows: 0.2 s), which
 * equals SQL over the same sample; with no time at all (0) it samples at once. */
static void
test_auto (void)
{
  g_autoptr(AqPipeline) pipeline = pipeline_of (SLOW_PIPELINE);
  g_autoptr(AqPipelinePreview) total = NULL;
  g_autoptr(AqPipelinePreview) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;
  g_autofree char *want = NULL;
  g_autofree char *timeout = NULL;
  const char *sql = "SELECT period, sum(qty) AS qty FROM s_bill GROUP BY 1";

  g_setenv ("AQUEDUCT_PREVIEW_FULL_MS", "300", TRUE);
  g_setenv ("AQUEDUCT_PREVIEW_SAMPLE_ROWS", "20", TRUE);
  total = aq_pipeline_preview_step (pipeline, db, "total", 200, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total->sample_rows, ==, 20);
  g_assert_cmpfloat (total->full_tried_ms, >=, 300);
  make_samples (20, 20);
  got = preview_rows (total);
  want = sql_rows (sql);
  g_assert_cmpstr (got, ==, want);
  g_assert_cmpint (PQtransactionStatus (aq_db_get_conn (db)), ==, PQTRANS_IDLE);
  timeout = aq_test_query_string (db, "SHOW statement_timeout");
  g_assert_cmpstr (timeout, ==, "0");

  g_setenv ("AQUEDUCT_PREVIEW_FULL_MS", "0", TRUE);
  again = aq_pipeline_preview_step (pipeline, db, "total", 200, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->sample_rows, ==, 20);
  g_assert_cmpfloat (again->full_tried_ms, ==, 0);
  g_clear_pointer (&got, g_free);
  got = preview_rows (again);
  g_assert_cmpstr (got, ==, want);
  g_setenv ("AQUEDUCT_PREVIEW_FULL_MS", "600000", TRUE);
  g_setenv ("AQUEDUCT_PREVIEW_SAMPLE_ROWS", "250", TRUE);
}

/* A full preview is cancellable: the slow one stops with G_IO_ERROR_CANCELLED. */
static gpointer
cancel_later (gpointer data)
{
  g_usleep (200000);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_cancel_full (void)
{
  g_autoptr(AqPipeline) pipeline = pipeline_of (SLOW_PIPELINE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(AqPipelinePreview) total = NULL;
  g_autoptr(GError) error = NULL;
  GThread *thread = g_thread_new ("cancel", cancel_later, cancellable);

  total = aq_pipeline_preview_step_with_mode (pipeline, db, "total", 200,
                                              AQ_PIPELINE_PREVIEW_FULL, 0, cancellable, &error);
  g_thread_join (thread);
  g_assert_null (total);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (PQtransactionStatus (aq_db_get_conn (db)), ==, PQTRANS_IDLE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  aq_core_init ();
  /* counts and full previews compared with SQL: no time budget on a loaded machine */
  g_setenv ("AQUEDUCT_PREVIEW_COUNT_MS", "600000", TRUE);
  g_setenv ("AQUEDUCT_PREVIEW_FULL_MS", "600000", TRUE);
  g_setenv ("AQUEDUCT_PREVIEW_SAMPLE_ROWS", "250", TRUE);

  g_test_add_func ("/pipeline-preview/names", test_names);
  g_test_add_func ("/pipeline-preview/sample", test_sample);
  g_test_add_func ("/pipeline-preview/full", test_full);
  g_test_add_func ("/pipeline-preview/parameters", test_parameters);
  g_test_add_func ("/pipeline-preview/auto", test_auto);
  g_test_add_func ("/pipeline-preview/cancel-full", test_cancel_full);

  db = aq_test_db_new ("t_pipeline_preview", TRUE);
  aq_db_exec (db, SETUP_SQL, &error);
  g_assert_no_error (error);
  status = g_test_run ();
  g_clear_object (&db);
  return status;
}
