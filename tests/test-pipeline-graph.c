/* test-pipeline-graph.c — the editor's model without widgets: edits, undo and redo, positions,
 * automatic layout, the step schema and validation that lists every problem */
#include "aq-test-util.h"

#include <string.h>

#include "aq-pipeline-graph.h"
#include "aq-pipeline-preview.h"
#include "aq-pipeline-schema.h"
#include "aq-pipeline-validate.h"

static AqDb *db;   /* the preview and run tests' warehouse */

#define PREVIEW_PIPELINE \
  "{'name': 'preview_t', 'steps': [" \
  " {'id': 'read', 'type': 'table_input', 'sql': 'SELECT id, qty FROM src_p.reading'}," \
  " {'id': 'positive', 'type': 'filter', 'condition': 'qty > 0'}," \
  " {'id': 'double', 'type': 'calculator'," \
  "  'columns': [{'name': 'twice', 'expression': 'qty * 2', 'type': 'numeric(12,2)'}]}," \
  " {'id': 'write', 'type': 'table_output', 'table': 'dw.preview_t', 'create': true}]," \
  " 'edges': [{'from': 'read', 'to': 'positive'}, {'from': 'positive', 'to': 'double'}," \
  "  {'from': 'double', 'to': 'write'}]}"

/* ---- helpers ---- */

/* Pipelines are written with ' for " so that they read well here. */
static AqPipelineGraph *
graph_of (const char *text)
{
  g_autofree char *json = g_strdup (text);
  g_autoptr(GError) error = NULL;
  AqPipelineGraph *graph;

  for (char *p = json; *p; p++)
    if (*p == '\'')
      *p = '"';
  graph = aq_pipeline_graph_new_from_data (json, -1, &error);
  g_assert_no_error (error);
  return graph;
}

static AqPipelineGraph *
standard_graph (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".json", NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "pipelines", file,
                                                 NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  AqPipelineGraph *graph;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  graph = aq_pipeline_graph_new_from_data (text, -1, &error);
  g_assert_no_error (error);
  return graph;
}

static void
count_cb (AqPipelineGraph *graph,
          guint           *count)
{
  (*count)++;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* "id:member" of each problem, sorted, joined with spaces ("-" for none). */
static char *
problem_pins (GPtrArray *problems)
{
  g_autoptr(GPtrArray) pins = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < problems->len; i++)
    {
      AqPipelineProblem *problem = g_ptr_array_index (problems, i);

      g_ptr_array_add (pins, g_strdup_printf ("%s:%s", problem->step_id ?: "-",
                                              problem->member ?: "-"));
    }
  g_ptr_array_sort (pins, compare_strings);
  g_ptr_array_add (pins, NULL);
  return g_strjoinv (" ", (char **) pins->pdata);
}

/* ---- tests ---- */

static void
test_edit_undo (void)
{
  g_autoptr(AqPipelineGraph) graph = aq_pipeline_graph_new ("t");
  g_autofree char *read = NULL;
  g_autofree char *filter = NULL;
  g_autofree char *filter2 = NULL;
  g_autoptr(GError) error = NULL;
  const char *both[] = { NULL, NULL, NULL };
  guint changes = 0;
  double x, y;

  g_signal_connect (graph, "changed", G_CALLBACK (count_cb), &changes);
  g_assert_false (aq_pipeline_graph_can_undo (graph));

  read = aq_pipeline_graph_add_step (graph, "table_input", 10, 20);
  filter = aq_pipeline_graph_add_step (graph, "filter", 300, 20);
  filter2 = aq_pipeline_graph_add_step (graph, "filter", 300, 140);
  g_assert_cmpstr (read, ==, "table_input");
  g_assert_cmpstr (filter, ==, "filter");
  g_assert_cmpstr (filter2, ==, "filter_2");
  g_assert_cmpuint (aq_pipeline_graph_get_n_steps (graph), ==, 3);
  g_assert_cmpuint (changes, ==, 3);
  g_assert_true (aq_pipeline_graph_get_position (graph, "filter_2", &x, &y));
  g_assert_cmpfloat (x, ==, 300);
  g_assert_cmpfloat (y, ==, 140);

  g_assert_true (aq_pipeline_graph_connect (graph, read, filter, &error));
  g_assert_no_error (error);
  g_assert_true (aq_pipeline_graph_connect (graph, filter, filter2, &error));
  g_assert_no_error (error);
  /* refused: a cycle, a loop, a duplicate, an unknown step */
  g_assert_false (aq_pipeline_graph_connect (graph, filter2, read, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (aq_pipeline_graph_connect (graph, filter, filter, &error));
  g_clear_error (&error);
  g_assert_false (aq_pipeline_graph_connect (graph, read, filter, &error));
  g_clear_error (&error);
  g_assert_false (aq_pipeline_graph_connect (graph, read, "nope", &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (aq_pipeline_graph_get_n_edges (graph), ==, 2);
  g_assert_cmpuint (changes, ==, 5);

  both[0] = filter;
  both[1] = filter2;
  aq_pipeline_graph_move_steps (graph, both, 5, -10);
  aq_pipeline_graph_get_position (graph, filter, &x, &y);
  g_assert_cmpfloat (x, ==, 305);
  g_assert_cmpfloat (y, ==, 10);

  /* removing a step removes its edges */
  g_assert_cmpuint (aq_pipeline_graph_remove_steps (graph, (const char * const[]) { filter, NULL }),
                    ==, 1);
  g_assert_cmpuint (aq_pipeline_graph_get_n_steps (graph), ==, 2);
  g_assert_cmpuint (aq_pipeline_graph_get_n_edges (graph), ==, 0);

  /* undo walks back through every edit, redo forward again */
  g_assert_true (aq_pipeline_graph_undo (graph));
  g_assert_cmpuint (aq_pipeline_graph_get_n_steps (graph), ==, 3);
  g_assert_cmpuint (aq_pipeline_graph_get_n_edges (graph), ==, 2);
  g_assert_true (aq_pipeline_graph_has_edge (graph, filter, filter2));
  g_assert_true (aq_pipeline_graph_undo (graph));   /* the move */
  aq_pipeline_graph_get_position (graph, filter, &x, &y);
  g_assert_cmpfloat (x, ==, 300);
  g_assert_cmpfloat (y, ==, 20);
  g_assert_true (aq_pipeline_graph_undo (graph));
  g_assert_true (aq_pipeline_graph_undo (graph));
  g_assert_cmpuint (aq_pipeline_graph_get_n_edges (graph), ==, 0);
  g_assert_true (aq_pipeline_graph_can_redo (graph));
  g_assert_true (aq_pipeline_graph_redo (graph));
  g_assert_cmpuint (aq_pipeline_graph_get_n_edges (graph), ==, 1);
  g_assert_true (aq_pipeline_graph_undo (graph));
  for (guint i = 0; i < 3; i++)
    g_assert_true (aq_pipeline_graph_undo (graph));
  g_assert_cmpuint (aq_pipeline_graph_get_n_steps (graph), ==, 0);
  g_assert_false (aq_pipeline_graph_can_undo (graph));
  g_assert_false (aq_pipeline_graph_undo (graph));
  for (guint i = 0; i < 7; i++)
    g_assert_true (aq_pipeline_graph_redo (graph));
  g_assert_false (aq_pipeline_graph_can_redo (graph));
  g_assert_cmpuint (aq_pipeline_graph_get_n_steps (graph), ==, 2);
  g_assert_cmpuint (aq_pipeline_graph_get_n_edges (graph), ==, 0);

  /* a new edit drops what could be redone */
  g_assert_true (aq_pipeline_graph_undo (graph));
  g_free (aq_pipeline_graph_add_step (graph, "sql", 0, 0));
  g_assert_false (aq_pipeline_graph_can_redo (graph));
  g_assert_finalize_object (g_steal_pointer (&graph));
}

static void
test_members_rename_duplicate (void)
{
  g_autoptr(AqPipelineGraph) graph =
    graph_of ("{'name': 't', 'steps': ["
              " {'id': 'a', 'type': 'table_input', 'sql': 'SELECT 1 AS x', 'position': {'x': 0, 'y': 0}},"
              " {'id': 'b', 'type': 'filter', 'condition': 'x > 0', 'position': {'x': 200, 'y': 0}},"
              " {'id': 'c', 'type': 'table_output', 'table': 'dw.t', 'position': {'x': 400, 'y': 0}}],"
              " 'edges': [{'from': 'a', 'to': 'b'}, {'from': 'b', 'to': 'c'}]}");
  g_auto(GStrv) copies = NULL;
  double x, y;

  g_assert_true (aq_pipeline_graph_set_member_string (graph, "b", "condition", "x > 1"));
  g_assert_cmpstr (json_object_get_string_member (aq_pipeline_graph_get_step (graph, "b"),
                                                  "condition"), ==, "x > 1");
  /* renaming follows the edges; a taken id is refused */
  g_assert_false (aq_pipeline_graph_set_member_string (graph, "b", "id", "a"));
  g_assert_true (aq_pipeline_graph_set_member_string (graph, "b", "id", "positive"));
  g_assert_true (aq_pipeline_graph_has_edge (graph, "a", "positive"));
  g_assert_true (aq_pipeline_graph_has_edge (graph, "positive", "c"));
  g_assert_cmpint (aq_pipeline_graph_find_step (graph, "b"), ==, -1);

  /* duplicate two connected steps: the edge between them comes along, the others do not */
  copies = aq_pipeline_graph_duplicate_steps (graph, (const char * const[]) { "positive", "c", NULL });
  g_assert_cmpuint (g_strv_length (copies), ==, 2);
  g_assert_cmpstr (copies[0], ==, "positive_2");
  g_assert_cmpstr (copies[1], ==, "c_2");
  g_assert_cmpstr (json_object_get_string_member (aq_pipeline_graph_get_step (graph, "c_2"),
                                                  "table"), ==, "dw.t");
  g_assert_true (aq_pipeline_graph_has_edge (graph, "positive_2", "c_2"));
  g_assert_false (aq_pipeline_graph_has_edge (graph, "a", "positive_2"));
  g_assert_cmpuint (aq_pipeline_graph_get_n_edges (graph), ==, 3);
  aq_pipeline_graph_get_position (graph, "c_2", &x, &y);
  g_assert_cmpfloat (x, ==, 440);
  g_assert_cmpfloat (y, ==, 40);
  g_assert_true (aq_pipeline_graph_undo (graph));
  g_assert_cmpuint (aq_pipeline_graph_get_n_steps (graph), ==, 3);

  /* run order and find */
  {
    g_auto(GStrv) order = aq_pipeline_graph_get_run_order (graph);
    g_auto(GStrv) found = aq_pipeline_graph_find (graph, "DW.");
    g_autofree char *joined = g_strjoinv (",", order);

    g_assert_cmpstr (joined, ==, "a,positive,c");
    g_assert_cmpuint (g_strv_length (found), ==, 1);
    g_assert_cmpstr (found[0], ==, "c");
  }
}

/* Positions survive a round trip through the JSON, members the model does not know too, and
 * the engine loads and checks the file as if they were not there. */
static void
test_positions_round_trip (void)
{
  g_autoptr(AqPipelineGraph) graph = standard_graph ("dw_customer");
  g_autoptr(AqPipelineGraph) again = NULL;
  g_autoptr(AqPipeline) pipeline = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (aq_pipeline_graph_has_positions (graph));
  aq_pipeline_graph_auto_layout (graph);
  g_assert_true (aq_pipeline_graph_has_positions (graph));
  aq_pipeline_graph_move_steps (graph, (const char * const[]) { "phones", NULL }, 7, 3);
  data = aq_pipeline_graph_to_data (graph);

  again = aq_pipeline_graph_new_from_data (data, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (aq_pipeline_graph_get_name (again), ==, "dw_customer");
  g_assert_nonnull (strstr (data, "\"description\""));
  for (guint i = 0; i < aq_pipeline_graph_get_n_steps (graph); i++)
    {
      const char *id = aq_pipeline_graph_get_step_id (graph, i);
      double x1, y1, x2, y2;

      g_assert_true (aq_pipeline_graph_get_position (graph, id, &x1, &y1));
      g_assert_true (aq_pipeline_graph_get_position (again, id, &x2, &y2));
      g_assert_cmpfloat (x1, ==, x2);
      g_assert_cmpfloat (y1, ==, y2);
    }

  pipeline = aq_pipeline_new_from_data (data, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (aq_pipeline_runner_validate (pipeline, NULL, &error));
  g_assert_no_error (error);
}

/* The automatic layout: sources in the first column, every edge going right, no two cards on
 * one spot. */
static void
test_auto_layout (void)
{
  g_auto(GStrv) names = aq_pipeline_list_standard ();

  g_assert_cmpuint (g_strv_length (names), >=, 10);
  for (guint k = 0; names[k]; k++)
    {
      g_autoptr(AqPipelineGraph) graph = standard_graph (names[k]);
      g_autoptr(GHashTable) spots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      aq_pipeline_graph_auto_layout (graph);
      for (guint i = 0; i < aq_pipeline_graph_get_n_steps (graph); i++)
        {
          double x, y;

          g_assert_true (aq_pipeline_graph_get_position (graph, aq_pipeline_graph_get_step_id (graph, i),
                                                         &x, &y));
          g_assert_true (g_hash_table_add (spots, g_strdup_printf ("%.0f,%.0f", x, y)));
        }
      for (guint e = 0; e < aq_pipeline_graph_get_n_edges (graph); e++)
        {
          const char *from, *to;
          double x1, x2;

          aq_pipeline_graph_get_edge (graph, e, &from, &to);
          aq_pipeline_graph_get_position (graph, from, &x1, NULL);
          aq_pipeline_graph_get_position (graph, to, &x2, NULL);
          g_assert_cmpfloat (x1, <, x2);
        }
    }
}

/* The schema covers every type the engine knows, each with an icon and a key member that
 * it declares. */
static void
test_schema (void)
{
  guint n;
  const AqPipelineStepSchema *all = aq_pipeline_schema_get_all (&n);

  g_assert_cmpuint (n, ==, 14);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (aq_pipeline_step_kind_from_name (all[i].type), !=,
                       AQ_PIPELINE_STEP_UNKNOWN);
      g_assert_nonnull (all[i].icon_name);
      g_assert_nonnull (aq_pipeline_schema_get_member (&all[i], all[i].key_member));
    }
  g_assert_cmpint (aq_pipeline_schema_get_member (aq_pipeline_schema_lookup ("filter"),
                                                  "condition")->kind, ==,
                   AQ_PIPELINE_MEMBER_SQL);
  g_assert_cmpint (aq_pipeline_schema_get_member (aq_pipeline_schema_lookup ("deduplicate"),
                                                  "keys")->kind, ==,
                   AQ_PIPELINE_MEMBER_COLUMNS);
  g_assert_null (aq_pipeline_schema_lookup ("nope"));
}

/* Every problem at once, each on its step and member; fixing one removes exactly it. */
static void
test_validate_all (void)
{
  g_autoptr(AqPipelineGraph) graph =
    graph_of ("{'name': 't', 'steps': ["
              " {'id': 'read', 'type': 'table_input'},"
              " {'id': 'csv', 'type': 'csv_input', 'path': 'x.csv', 'delimiter': ';;',"
              "  'columns': [{'name': 'a', 'type': 'int'}, {'name': 'b', 'type': 'drop table'}]},"
              " {'id': 'keep', 'type': 'filter'},"
              " {'id': 'both', 'type': 'union'},"
              " {'id': 'sum', 'type': 'aggregate', 'aggregates': [{'name': 'n', 'function': 'sum'}]},"
              " {'id': 'write', 'type': 'table_output', 'table': 'dw.t', 'mode': 'upsert'},"
              " {'id': 'odd', 'type': 'teleport'}],"
              " 'edges': [{'from': 'read', 'to': 'keep'}, {'from': 'keep', 'to': 'both'},"
              "  {'from': 'both', 'to': 'sum'}, {'from': 'sum', 'to': 'write'},"
              "  {'from': 'write', 'to': 'ghost'}]}");
  g_autoptr(GPtrArray) problems = aq_pipeline_validate_graph (graph);
  g_autofree char *pins = problem_pins (problems);
  g_autoptr(GPtrArray) fewer = NULL;
  g_autofree char *fewer_pins = NULL;

  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", ((AqPipelineProblem *) g_ptr_array_index (problems, i))->message);
  g_assert_cmpstr (pins, ==,
                   "both:- csv:columns csv:delimiter keep:condition odd:type read:sql "
                   "sum:aggregates write:- write:keys");
  g_assert_cmpuint (aq_pipeline_problems_count_for (problems, "csv", NULL), ==, 2);
  g_assert_nonnull (strstr (aq_pipeline_problems_first_for (problems, "csv", "columns"),
                            "drop table"));
  {
    gboolean ghost = FALSE;

    for (guint i = 0; i < problems->len; i++)
      {
        AqPipelineProblem *problem = g_ptr_array_index (problems, i);

        ghost |= g_strcmp0 (problem->step_id, "write") == 0 && problem->member == NULL
                 && strstr (problem->message, "“ghost”") != NULL;
      }
    g_assert_true (ghost);
  }

  g_assert_true (aq_pipeline_graph_set_member_string (graph, "keep", "condition", "x > 0"));
  fewer = aq_pipeline_validate_graph (graph);
  fewer_pins = problem_pins (fewer);
  g_assert_cmpstr (fewer_pins, ==,
                   "both:- csv:columns csv:delimiter odd:type read:sql "
                   "sum:aggregates write:- write:keys");
}

/* Once the graph is sound, the columns are followed along the edges: a select of a column
 * the csv does not declare is pinned on the select, and its consumers are not blamed. */
static void
test_validate_columns (void)
{
  g_autoptr(AqPipelineGraph) graph =
    graph_of ("{'name': 't', 'steps': ["
              " {'id': 'csv', 'type': 'csv_input', 'path': 'x.csv',"
              "  'columns': [{'name': 'a', 'type': 'int'}]},"
              " {'id': 'pick', 'type': 'select', 'columns': [{'name': 'b'}]},"
              " {'id': 'write', 'type': 'table_output', 'table': 'dw.t'}],"
              " 'edges': [{'from': 'csv', 'to': 'pick'}, {'from': 'pick', 'to': 'write'}]}");
  g_autoptr(GPtrArray) problems = aq_pipeline_validate_graph (graph);
  g_autofree char *pins = problem_pins (problems);
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(JsonNode) columns = json_from_string ("[{\"name\": \"a\"}]", NULL);

  g_assert_cmpstr (pins, ==, "pick:columns");
  g_assert_true (aq_pipeline_graph_set_member (graph, "pick", "columns", columns));
  none = aq_pipeline_validate_graph (graph);
  g_assert_cmpuint (none->len, ==, 0);
}

/* What the engine runs validates clean. */
static void
test_validate_standard (void)
{
  g_auto(GStrv) names = aq_pipeline_list_standard ();

  for (guint k = 0; names[k]; k++)
    {
      g_autoptr(AqPipelineGraph) graph = standard_graph (names[k]);
      g_autoptr(GPtrArray) problems = aq_pipeline_validate_graph (graph);

      if (problems->len > 0)
        g_test_message ("%s: %s", names[k],
                        ((AqPipelineProblem *) g_ptr_array_index (problems, 0))->message);
      g_assert_cmpuint (problems->len, ==, 0);
    }
}

static AqPipeline *
pipeline_of_graph (AqPipelineGraph *graph)
{
  g_autofree char *data = aq_pipeline_graph_to_data (graph);
  g_autoptr(GError) error = NULL;
  AqPipeline *pipeline = aq_pipeline_new_from_data (data, -1, NULL, &error);

  g_assert_no_error (error);
  return pipeline;
}

/* A preview's rows are the step's rows (compared with the same query written by hand), its
 * count is every row, it stops at the limit, and it leaves nothing behind. */
static void
test_preview (void)
{
  g_autoptr(AqPipelineGraph) graph = graph_of (PREVIEW_PIPELINE);
  g_autoptr(AqPipeline) pipeline = pipeline_of_graph (graph);
  g_autoptr(AqPipelinePreview) preview = NULL;
  g_autoptr(AqPipelinePreview) none = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) rows = g_string_new (NULL);
  g_autofree char *expected = NULL;

  preview = aq_pipeline_preview_step (pipeline, db, "double", 5, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (preview->step_id, ==, "double");
  g_assert_cmpuint (preview->columns->len, ==, 3);
  g_assert_cmpstr (((AqPipelineColumn *) g_ptr_array_index (preview->columns, 2))->name, ==,
                   "twice");
  g_assert_cmpstr (((AqPipelineColumn *) g_ptr_array_index (preview->columns, 2))->type, ==,
                   "numeric(12,2)");
  g_assert_cmpstr (((AqPipelineColumn *) g_ptr_array_index (preview->columns, 0))->type, ==,
                   "integer");
  g_assert_cmpint (preview->n_rows, ==,
                   aq_test_query_int64 (db, "SELECT count(*) FROM src_p.reading WHERE qty > 0"));
  g_assert_cmpuint (preview->rows->len, ==, 5);
  /* the temp tables keep the input's order here: compare the set */
  for (guint r = 0; r < preview->rows->len; r++)
    g_string_append_printf (rows, "%s:%s,", aq_pipeline_preview_get_value (preview, r, 0),
                            aq_pipeline_preview_get_value (preview, r, 2));
  {
    g_autofree char *ids = g_strndup (rows->str, rows->len);
    g_auto(GStrv) pairs = g_strsplit (ids, ",", -1);

    for (guint i = 0; pairs[i] && *pairs[i]; i++)
      {
        g_auto(GStrv) pair = g_strsplit (pairs[i], ":", 2);
        g_autofree char *sql = g_strdup_printf ("SELECT (qty * 2)::numeric(12,2)::text"
                                                " FROM src_p.reading WHERE id = %s AND qty > 0",
                                                pair[0]);

        expected = aq_test_query_string (db, sql);
        g_assert_cmpstr (pair[1], ==, expected);
        g_clear_pointer (&expected, g_free);
      }
  }
  /* nothing written, no transaction left open */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM pg_tables"
                                            " WHERE tablename = 'preview_t'"), ==, 0);
  g_assert_cmpint (PQtransactionStatus (aq_db_get_conn (db)), ==, PQTRANS_IDLE);

  /* the input's own preview, read straight from its query: the same count, types and rows */
  g_clear_pointer (&preview, aq_pipeline_preview_free);
  preview = aq_pipeline_preview_step (pipeline, db, "read", 5, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (preview->n_rows, ==,
                   aq_test_query_int64 (db, "SELECT count(*) FROM src_p.reading"));
  g_assert_cmpuint (preview->rows->len, ==, 5);
  g_assert_cmpuint (preview->columns->len, ==, 2);
  g_assert_cmpstr (((AqPipelineColumn *) g_ptr_array_index (preview->columns, 0))->type, ==,
                   "integer");
  for (guint r = 0; r < preview->rows->len; r++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT qty::text FROM src_p.reading WHERE id = %s",
                                              aq_pipeline_preview_get_value (preview, r, 0));

      expected = aq_test_query_string (db, sql);
      g_assert_cmpstr (aq_pipeline_preview_get_value (preview, r, 1), ==, expected);
      g_clear_pointer (&expected, g_free);
    }
  g_assert_cmpint (PQtransactionStatus (aq_db_get_conn (db)), ==, PQTRANS_IDLE);

  /* an output passes no rows: no preview */
  none = aq_pipeline_preview_step (pipeline, db, "write", 5, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
}

#define SLOW_PIPELINE \
  "{'name': 'preview_slow', 'steps': [" \
  " {'id': 'read', 'type': 'table_input', 'sql': 'SELECT id, qty FROM src_p.reading'}," \
  " {'id': 'slow', 'type': 'filter', 'condition': 'pg_sleep(0.01) IS NOT NULL'}," \
  " {'id': 'write', 'type': 'table_output', 'table': 'dw.preview_slow', 'create': true}]," \
  " 'edges': [{'from': 'read', 'to': 'slow'}, {'from': 'slow', 'to': 'write'}]}"

/* A preview reads its first rows through views (only what they need is computed) and counts
 * the rest within a budget: a filter that sleeps 10 ms a row gives its first 5 rows after
 * about 50 ms, and with a 1 ms budget (counting 500 rows takes 5 s) no count — the preview
 * goes on from its savepoint, its rows right, the connection idle after. */
static void
test_preview_budget (void)
{
  g_autoptr(AqPipelineGraph) graph = graph_of (SLOW_PIPELINE);
  g_autoptr(AqPipeline) pipeline = pipeline_of_graph (graph);
  g_autoptr(AqPipelinePreview) preview = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv ("AQUEDUCT_PREVIEW_COUNT_MS", "1", TRUE);
  preview = aq_pipeline_preview_step (pipeline, db, "slow", 5, NULL, &error);
  g_setenv ("AQUEDUCT_PREVIEW_COUNT_MS", "600000", TRUE);
  g_assert_no_error (error);
  g_assert_cmpint (preview->n_rows, ==, -1);
  g_assert_cmpuint (preview->rows->len, ==, 5);
  for (guint r = 0; r < preview->rows->len; r++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT qty::text FROM src_p.reading WHERE id = %s",
                                              aq_pipeline_preview_get_value (preview, r, 0));
      g_autofree char *expected = aq_test_query_string (db, sql);

      g_assert_cmpstr (aq_pipeline_preview_get_value (preview, r, 1), ==, expected);
    }
  g_assert_cmpint (PQtransactionStatus (aq_db_get_conn (db)), ==, PQTRANS_IDLE);
  /* the session keeps no timeout and no view */
  g_assert_cmpstr (aq_test_query_string (db, "SHOW statement_timeout"), ==, "0");
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM pg_class"
                                            " WHERE relkind = 'v'"
                                            " AND relnamespace = pg_my_temp_schema()"), ==, 0);
}

typedef struct
{
  GMainLoop  *loop;
  GString    *events;
  gint64      rows_out_double;
  gboolean    ok;
  gint64      run_id;
  GError     *error;
} RunState;

static void
step_report_cb (const AqPipelineStepReport *report,
                gpointer                    user_data)
{
  RunState *state = user_data;

  g_string_append_printf (state->events, "%s:%c ", report->step_id,
                          "sfx"[report->state]);
  if (report->state == AQ_PIPELINE_STEP_FINISHED && g_str_equal (report->step_id, "double"))
    state->rows_out_double = report->rows_out;
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  RunState *state = user_data;

  state->ok = aq_pipeline_run_finish (result, &state->run_id, &state->error);
  g_main_loop_quit (state->loop);
}

/* The editor's run: asynchronous, each step reported as it starts and ends, the target
 * written; a failing run says which step failed and writes nothing. */
static void
test_run_async (void)
{
  g_autoptr(AqPipelineGraph) graph = graph_of (PREVIEW_PIPELINE);
  g_autoptr(AqPipeline) pipeline = pipeline_of_graph (graph);
  g_autoptr(AqPipeline) broken = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  RunState state = { loop, g_string_new (NULL), -1, FALSE, 0, NULL };
  g_autoptr(JsonNode) zero =
    json_from_string ("[{\"name\": \"twice\", \"expression\": \"qty / 0\"}]", NULL);

  aq_pipeline_run_async (pipeline, aq_db_get_conninfo (db), step_report_cb, &state, NULL, NULL,
                         run_done_cb, &state);
  g_main_loop_run (loop);
  g_assert_no_error (state.error);
  g_assert_true (state.ok);
  g_assert_cmpint (state.run_id, >, 0);
  g_assert_cmpstr (state.events->str, ==,
                   "read:s read:f positive:s positive:f double:s double:f write:s write:f ");
  g_assert_cmpint (state.rows_out_double, ==,
                   aq_test_query_int64 (db, "SELECT count(*) FROM src_p.reading WHERE qty > 0"));
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM dw.preview_t"), ==,
                   state.rows_out_double);

  /* a division by zero in the calculator: the step fails, the target keeps its rows */
  g_assert_true (aq_pipeline_graph_set_member (graph, "double", "columns", zero));
  broken = pipeline_of_graph (graph);
  g_string_truncate (state.events, 0);
  aq_pipeline_run_async (broken, aq_db_get_conninfo (db), step_report_cb, &state, NULL, NULL,
                         run_done_cb, &state);
  g_main_loop_run (loop);
  g_assert_false (state.ok);
  g_assert_error (state.error, AQ_ERROR, AQ_ERROR_QUERY);
  g_assert_nonnull (strstr (state.events->str, "double:x "));
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM dw.preview_t"), ==,
                   state.rows_out_double);
  g_clear_error (&state.error);
  g_string_free (state.events, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  aq_core_init ();
  /* the previews' counts and rows are compared with SQL: no time budget on a loaded machine */
  g_setenv ("AQUEDUCT_PREVIEW_COUNT_MS", "600000", TRUE);
  g_setenv ("AQUEDUCT_PREVIEW_FULL_MS", "600000", TRUE);

  g_test_add_func ("/pipeline-graph/edit-undo", test_edit_undo);
  g_test_add_func ("/pipeline-graph/members-rename-duplicate", test_members_rename_duplicate);
  g_test_add_func ("/pipeline-graph/positions-round-trip", test_positions_round_trip);
  g_test_add_func ("/pipeline-graph/auto-layout", test_auto_layout);
  g_test_add_func ("/pipeline-graph/schema", test_schema);
  g_test_add_func ("/pipeline-graph/validate-all", test_validate_all);
  g_test_add_func ("/pipeline-graph/validate-columns", test_validate_columns);
  g_test_add_func ("/pipeline-graph/validate-standard", test_validate_standard);
  g_test_add_func ("/pipeline-graph/preview", test_preview);
  g_test_add_func ("/pipeline-graph/preview-budget", test_preview_budget);
  g_test_add_func ("/pipeline-graph/run-async", test_run_async);

  db = aq_test_db_new ("t_pipeline_graph", TRUE);
  aq_db_exec (db, "CREATE SCHEMA src_p;"
              "CREATE TABLE src_p.reading (id int PRIMARY KEY, qty numeric(12,2));"
              "INSERT INTO src_p.reading SELECT i, (i % 7) - 2 FROM generate_series(1, 500) i;"
              "GRANT USAGE ON SCHEMA src_p TO aq_data_engineer;"
              "GRANT SELECT ON ALL TABLES IN SCHEMA src_p TO aq_data_engineer", &error);
  g_assert_no_error (error);
  status = g_test_run ();
  g_clear_object (&db);
  return status;
}
