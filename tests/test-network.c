/* test-network.c — burst isolation: hand-made networks with known answers, then the demo
 * network against an independent computation with pgRouting, then the CLI
 *
 * The hand-made networks go into dw of a scratch warehouse and through the standard dm_network
 * pipeline, as a real GIS load would. The independent computation knows nothing of segments:
 * it splits every pipe at its ends into a body edge and two end edges (an end edge is a valve
 * when a valve sits there), and answers with pgr_connectedComponents — the burst's component
 * with only the stuck valves passable, then the components with every closing valve shut and
 * which of them hold a source.
 */
#include "aq-test-util.h"
#include "aq-network-private.h"
#include "aq-simulator-topology.h"

#include <stdarg.h>
#include <string.h>

static AqDb *demo;
static char *demo_conninfo;

/* ---- hand-made networks ---- */

static void
exec_ok (AqDb       *db,
         const char *sql)
{
  g_autoptr(GError) error = NULL;

  aq_db_exec (db, sql, &error);
  g_assert_no_error (error);
}

/* nodes "id x y;…", pipes "id from to;…", valves "id pipe node status operable;…",
 * sources "node;…" */
static void
load_network (AqDb       *db,
              const char *nodes,
              const char *pipes,
              const char *valves,
              const char *sources)
{
  g_auto(GStrv) n = g_strsplit (nodes, ";", -1);
  g_auto(GStrv) p = g_strsplit (pipes, ";", -1);
  g_auto(GStrv) v = g_strsplit (valves, ";", -1);
  g_auto(GStrv) s = g_strsplit (sources, ";", -1);
  g_autoptr(AqPipeline) pipeline = NULL;
  g_autoptr(GError) error = NULL;

  exec_ok (db, "TRUNCATE dw.network_node, dw.network_pipe, dw.network_valve, "
               "dw.network_source, dw.service_connection");
  for (guint i = 0; n[i] && *n[i]; i++)
    {
      g_autofree char *sql = NULL;
      gint64 id;
      double x, y;

      g_assert_cmpint (sscanf (n[i], "%" G_GINT64_FORMAT " %lf %lf", &id, &x, &y), ==, 3);
      sql = g_strdup_printf ("INSERT INTO dw.network_node VALUES (%" G_GINT64_FORMAT ","
                             " ST_SetSRID(ST_MakePoint(119.3 + %g / 1e5, 26.08 + %g / 1e5),"
                             " 4326))", id, x, y);
      exec_ok (db, sql);
    }
  for (guint i = 0; p[i] && *p[i]; i++)
    {
      g_autofree char *sql = NULL;
      gint64 id, a, b;

      g_assert_cmpint (sscanf (p[i], "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %"
                               G_GINT64_FORMAT, &id, &a, &b), ==, 3);
      sql = g_strdup_printf ("INSERT INTO dw.network_pipe SELECT %" G_GINT64_FORMAT ", %"
                             G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 200, 'DI', 2000, 100,"
                             " ST_MakeLine(f.geom, t.geom) FROM dw.network_node f,"
                             " dw.network_node t WHERE f.node_id = %" G_GINT64_FORMAT
                             " AND t.node_id = %" G_GINT64_FORMAT, id, a, b, a, b);
      exec_ok (db, sql);
    }
  for (guint i = 0; v[i] && *v[i]; i++)
    {
      g_autofree char *sql = NULL;
      gint64 id, pipe, node;
      char status[8];
      int operable;

      g_assert_cmpint (sscanf (v[i], "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %"
                               G_GINT64_FORMAT " %7s %d", &id, &pipe, &node, status, &operable),
                       ==, 5);
      sql = g_strdup_printf ("INSERT INTO dw.network_valve SELECT %" G_GINT64_FORMAT ", %"
                             G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 200, '%s', %s, geom"
                             " FROM dw.network_node WHERE node_id = %" G_GINT64_FORMAT,
                             id, pipe, node, status, operable ? "true" : "false", node);
      exec_ok (db, sql);
    }
  for (guint i = 0; s[i] && *s[i]; i++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO dw.network_source SELECT %u, 'plant',"
                                              " 'P', node_id, geom FROM dw.network_node"
                                              " WHERE node_id = %s", i + 1, s[i]);

      exec_ok (db, sql);
    }
  pipeline = aq_pipeline_new_standard ("dm_network", &error);
  g_assert_no_error (error);
  aq_pipeline_runner_run_pipeline (pipeline, db, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

static char *
ids_text (GArray *a)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < a->len; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i ? "," : "", g_array_index (a, gint64, i));
  return g_string_free (s, FALSE);
}

/* Isolates @pipe with @stuck (comma-separated, may be "") and checks the valves to close, the
 * isolated pipes and the pipes cut off from supply. */
static void
assert_isolation (AqDb       *db,
                  gint64      pipe,
                  const char *stuck,
                  const char *close,
                  const char *isolated,
                  const char *dry)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqNetwork) net = aq_network_load (db, &error);
  g_autoptr(GArray) stuck_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto(GStrv) parts = g_strsplit (stuck, ",", -1);
  g_autoptr(AqIsolation) iso = NULL;
  g_autofree char *c = NULL, *i = NULL, *d = NULL;

  g_assert_no_error (error);
  for (guint k = 0; parts[k]; k++)
    if (*parts[k])
      {
        gint64 id = g_ascii_strtoll (parts[k], NULL, 10);

        g_array_append_val (stuck_ids, id);
      }
  iso = aq_network_isolate (net, db, pipe, (const gint64 *) stuck_ids->data, stuck_ids->len,
                            TRUE, NULL, &error);
  g_assert_no_error (error);
  c = ids_text (iso->close_valves);
  i = ids_text (iso->isolated_pipes);
  d = ids_text (iso->dry_pipes);
  g_assert_cmpstr (c, ==, close);
  g_assert_cmpstr (i, ==, isolated);
  g_assert_cmpstr (d, ==, dry);
  g_assert_nonnull (iso->polygon);
}

static void
test_loop (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_network_hand", TRUE);

  /* a square ring fed at node 1; each pipe's valve at its start */
  load_network (db, "1 0 0;2 100 0;3 100 100;4 0 100", "1 1 2;2 2 3;3 3 4;4 4 1",
                "1 1 1 open 1;2 2 2 open 1;3 3 3 open 1;4 4 4 open 1", "1");
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM dm.network_segment"), ==, 4);
  /* the loop keeps the rest supplied from the other side */
  assert_isolation (db, 2, "", "2,3", "2", "");
  /* valve 3 will not close: the next one round the ring */
  assert_isolation (db, 2, "3", "2,4", "2,3", "");
  /* and the one after it: the source's segment is shut in, the rest of the ring goes dry */
  assert_isolation (db, 2, "3,4", "1,2", "2,3,4", "1");
}

static void
test_dead_end (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_network_hand", TRUE);

  /* a line from the source: what lies beyond the burst goes dry */
  load_network (db, "1 0 0;2 100 0;3 200 0;4 300 0", "1 1 2;2 2 3;3 3 4",
                "1 2 2 open 1;2 3 3 open 1", "1");
  assert_isolation (db, 2, "", "1,2", "2", "3");
  assert_isolation (db, 3, "", "2", "3", "");
  /* valve 1 is stuck: the source's own segment is shut in with the burst */
  assert_isolation (db, 2, "1", "2", "1,2", "3");
  /* a valve known to be inoperable in the GIS is passed over by itself */
  load_network (db, "1 0 0;2 100 0;3 200 0;4 300 0", "1 1 2;2 2 3;3 3 4",
                "1 2 2 open 0;2 3 3 open 1", "1");
  assert_isolation (db, 2, "", "2", "1,2", "3");
}

static void
test_valve_next_to_source (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_network_hand", TRUE);

  /* the source's junction is a segment of its own behind valve 1 */
  load_network (db, "1 0 0;2 100 0;3 200 0", "1 1 2;2 2 3", "1 1 1 open 1", "1");
  assert_isolation (db, 2, "", "1", "1,2", "");
  /* it will not close: nothing between the burst and the plant can be shut */
  assert_isolation (db, 2, "1", "", "1,2", "");
}

static void
test_parallel_mains (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_network_hand", TRUE);

  /* two mains side by side from the source's junction, valved at both ends */
  load_network (db, "1 0 0;2 100 0;3 200 0", "1 1 2;2 1 2;3 2 3",
                "1 1 1 open 1;2 2 1 open 1;3 1 2 open 1;4 2 2 open 1", "1");
  assert_isolation (db, 1, "", "1,3", "1", "");
  assert_isolation (db, 3, "", "3,4", "3", "");
  assert_isolation (db, 3, "3", "1,4", "1,3", "");
  /* a normally closed valve is no supply path and never one to close */
  load_network (db, "1 0 0;2 100 0;3 200 0", "1 1 2;2 1 2;3 2 3",
                "1 1 1 open 1;2 2 1 closed 1;3 1 2 open 1;4 2 2 open 1", "1");
  assert_isolation (db, 1, "", "1,3", "1", "2,3");
}

static void
test_unknown (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_network_hand", TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqNetwork) net = NULL;
  g_autoptr(AqIsolation) iso = NULL;
  gint64 bad_valve = 99;

  load_network (db, "1 0 0;2 100 0", "1 1 2", "1 1 1 open 1", "1");
  net = aq_network_load (db, &error);
  g_assert_no_error (error);
  iso = aq_network_isolate (net, db, 42, NULL, 0, FALSE, NULL, &error);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
  g_assert_null (iso);
  g_clear_error (&error);
  iso = aq_network_isolate (net, db, 1, &bad_valve, 1, FALSE, NULL, &error);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
  g_assert_null (iso);
}

/* ---- the segments: C against migration 012's PL/pgSQL ---- */

#define SEGMENT_TABLES "network_node_segment", "network_pipe_segment", \
                       "network_segment_valve", "network_segment"

/* On @db, whose dm holds what the pipeline's C wrote: 012's dm.network_build_segments() in a
 * transaction rolled back must write exactly the same rows, segment numbers included. */
static void
assert_segments_equal_sql (AqDb *db)
{
  static const char *const tables[] = { SEGMENT_TABLES };
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM dm.network_segment"), >, 0);
  exec_ok (db, "BEGIN");
  /* (the segments' figures are the later steps': both leave them to those) */
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("CREATE TEMP TABLE c_%s ON COMMIT DROP AS"
                                              " SELECT %s FROM dm.%s", tables[i],
                                              i == 3 ? "segment_id" : "*", tables[i]);

      exec_ok (db, sql);
    }
  exec_ok (db, "SELECT dm.network_build_segments()");
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf (
        "SELECT (SELECT count(*) FROM (SELECT * FROM c_%s EXCEPT ALL SELECT %s FROM dm.%s) a)"
        "     + (SELECT count(*) FROM (SELECT %s FROM dm.%s EXCEPT ALL SELECT * FROM c_%s) b)",
        tables[i], i == 3 ? "segment_id" : "*", tables[i], i == 3 ? "segment_id" : "*",
        tables[i], tables[i]);
      g_autofree char *rows = g_strdup_printf ("SELECT count(*) FROM dm.%s", tables[i]);

      g_test_message ("%s: %" G_GINT64_FORMAT " rows", tables[i],
                      aq_test_query_int64 (db, rows));
      g_assert_cmpint (aq_test_query_int64 (db, sql), ==, 0);
    }
  aq_db_rollback (db);
}

static void
test_segments_hand (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_network_hand", TRUE);
  g_autoptr(AqPipeline) pipeline = NULL;
  g_autoptr(GError) error = NULL;

  /* a ring with a valve on it at the far side of a junction (24: no cut), a pipe valved at
   * both ends (14: a segment of its own), a spur behind a stuck valve, a junction no pipe
   * reaches (7), and a valve whose pipe is not there (25) */
  load_network (db, "1 0 0;2 100 0;3 100 100;4 0 100;5 200 0;6 300 0;7 400 400;9 500 500",
                "10 1 2;11 2 3;12 3 4;13 4 1;14 2 5;15 5 6;16 6 9",
                "20 10 1 open 1;21 14 2 open 1;22 14 5 closed 1;23 15 5 open 0;"
                "24 12 1 open 1;25 99 3 open 1", "1");
  /* and a pipe whose far junction is missing from the GIS (17 to 8) */
  exec_ok (db, "INSERT INTO dw.network_pipe SELECT 17, 6, 8, 100, 'PE', 2010, 50,"
               " ST_MakeLine(geom, ST_Translate(geom, 0.001, 0)) FROM dw.network_node"
               " WHERE node_id = 6");
  pipeline = aq_pipeline_new_standard ("dm_network", &error);
  g_assert_no_error (error);
  aq_pipeline_runner_run_pipeline (pipeline, db, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  /* {1 2 3 4, 10 11 12 13}, {14}, {5}, {6 9, 15 16 17}, {7} */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM dm.network_segment"), ==, 5);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM dm.network_segment_valve"),
                   ==, 5);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM dm.network_pipe_segment"
                                            " WHERE segment_id = (SELECT segment_id FROM"
                                            " dm.network_pipe_segment WHERE pipe_id = 14)"),
                   ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT segment_id FROM dm.network_pipe_segment"
                                            " WHERE pipe_id = 17"), ==,
                   aq_test_query_int64 (db, "SELECT segment_id FROM dm.network_node_segment"
                                            " WHERE node_id = 9"));
  assert_segments_equal_sql (db);
}

static void
test_segments_demo (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqPipeline) pipeline = aq_pipeline_new_standard ("dm_network", &error);

  g_assert_no_error (error);
  /* the demo's dm as the pipeline with its native step wrote it, then 012's function */
  aq_pipeline_runner_run_pipeline (pipeline, demo, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_segments_equal_sql (demo);
  /* and pgRouting's components with every valve's end edge taken out are the segments */
  g_assert_cmpint (aq_test_query_int64 (demo,
    "WITH cc AS (SELECT component, node FROM pgr_connectedComponents($q$"
    "  SELECT id, source, target, 1 AS cost, 1 AS reverse_cost FROM pgr_edge"
    "  WHERE valve_id IS NULL$q$)),"
    " pairs AS (SELECT ps.segment_id, cc.component FROM dm.network_pipe_segment ps"
    "           JOIN cc ON cc.node = 4294967296 + 2 * ps.pipe_id"
    "           UNION SELECT ns.segment_id, cc.component FROM dm.network_node_segment ns"
    "           JOIN cc ON cc.node = ns.node_id)"
    " SELECT (SELECT count(*) FROM pairs) - (SELECT count(DISTINCT segment_id) FROM pairs)"
    "      + (SELECT count(*) FROM pairs) - (SELECT count(DISTINCT component) FROM pairs)"),
    ==, 0);
  g_assert_cmpint (aq_test_query_int64 (demo,
    "SELECT count(DISTINCT segment_id) FROM dm.network_pipe_segment"), >, 1000);
}

/* ---- who is on each segment: C against the step's own statements ---- */

/* On @db, whose dm holds what the pipeline's C wrote (aq-network-accounts.c): the "accounts"
 * step's statements, run in a transaction rolled back, must write exactly the same rows (the
 * lengths to a micrometre: a float sum's last bits follow the order it adds in). */
static void
assert_accounts_equal_sql (AqDb *db)
{
  static const char *const tables[] = { "network_account", "network_segment",
                                        "valve_segment_community",
                                        "valve_segment_key_customer" };
  g_autoptr(GError) error = NULL;
  g_autoptr(AqPipeline) pipeline = aq_pipeline_new_standard ("dm_network", &error);
  AqPipelineStep *step;

  g_assert_no_error (error);
  step = aq_pipeline_find_step (pipeline, "accounts");
  g_assert_nonnull (step);
  g_assert_cmpstr (aq_pipeline_step_get_string (step, "native"), ==, "network_accounts");
  exec_ok (db, "BEGIN");
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf (
        "CREATE TEMP VIEW v_%s AS SELECT %s FROM dm.%s;"
        " CREATE TEMP TABLE c_%s ON COMMIT DROP AS SELECT * FROM v_%s", tables[i],
        i == 1 ? "segment_id, pipes, round(length_m::numeric, 6) AS length_m, sources,"
                 " premises, accounts" : "*", tables[i], tables[i], tables[i]);

      exec_ok (db, sql);
    }
  exec_ok (db, aq_pipeline_step_get_string (step, "sql"));
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf (
        "SELECT (SELECT count(*) FROM (SELECT * FROM c_%s EXCEPT ALL SELECT * FROM v_%s) a)"
        "     + (SELECT count(*) FROM (SELECT * FROM v_%s EXCEPT ALL SELECT * FROM c_%s) b)",
        tables[i], tables[i], tables[i], tables[i]);
      g_autofree char *rows = g_strdup_printf ("SELECT count(*) FROM dm.%s", tables[i]);

      g_test_message ("%s: %" G_GINT64_FORMAT " rows", tables[i],
                      aq_test_query_int64 (db, rows));
      g_assert_cmpint (aq_test_query_int64 (db, sql), ==, 0);
    }
  aq_db_rollback (db);
}

static void
test_accounts_hand (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_network_hand", TRUE);

  /* the segments of /network/segments/hand: {1 2 3 4, 10 11 12 13} with the source, {14},
   * {5}, {6 9, 15 16 17}, {7}; pipe 99 is not in the network */
  load_network (db, "1 0 0;2 100 0;3 100 100;4 0 100;5 200 0;6 300 0;7 400 400;9 500 500",
                "10 1 2;11 2 3;12 3 4;13 4 1;14 2 5;15 5 6;16 6 9",
                "20 10 1 open 1;21 14 2 open 1;22 14 5 closed 1;23 15 5 open 0;"
                "24 12 1 open 1", "1");
  exec_ok (db, "INSERT INTO dw.network_pipe SELECT 17, 6, 8, 100, 'PE', 2010, 50.25,"
               " ST_MakeLine(geom, ST_Translate(geom, 0.001, 0)) FROM dw.network_node"
               " WHERE node_id = 6");
  /* C1 by mobile, C2 by WeChat, C3 not reachable; C9 is missing */
  exec_ok (db, "INSERT INTO dw.dim_customer (customer_id, name, customer_type, mobile,"
               " wechat_openid, created_on, updated_at) VALUES"
               " ('C1', 'a', 'residential', '13800000001', NULL, '2020-01-01', now()),"
               " ('C2', 'b', 'residential', NULL, 'o2', '2020-01-01', now()),"
               " ('C3', 'c', 'residential', NULL, NULL, '2020-01-01', now())");
  /* 102 demolished; 105 without a service connection, 106 on a pipe not in the network,
   * 107 with no account, 108 with a connection but missing from dim_premise */
  exec_ok (db, "INSERT INTO dw.dim_premise (premise_id, address, dma3_code, demolished, geom)"
               " SELECT id, 'x', 'D', id = 102, ST_SetSRID(ST_MakePoint(119.3, 26.08), 4326)"
               " FROM unnest ('{101,102,103,104,105,106,107}'::bigint[]) id");
  exec_ok (db, "INSERT INTO dw.service_connection VALUES (101, 10, 5), (102, 11, 5),"
               " (103, 14, 5), (104, 15, 5), (106, 99, 5), (107, 16, 5), (108, 12, 5)");
  exec_ok (db, "INSERT INTO dw.dim_account (account_id, customer_id, premise_id,"
               " customer_type, tariff_code, book_no, opened_on, status, community_code,"
               " dma3_code) SELECT a, c, p, 'residential', 'R', 'B', '2020-01-01', s, k, 'D'"
               " FROM (VALUES ('A1', 'C1', 101, 'normal', 'K1'), ('A2', 'C2', 101, 'normal', 'K1'),"
               "  ('A3', 'C3', 101, 'closed', 'K1'), ('A4', 'C1', 102, 'normal', 'K1'),"
               "  ('A5', 'C9', 103, 'normal', 'K2'), ('A6', 'C2', 103, 'normal', 'K2'),"
               "  ('A7', 'C1', 104, 'normal', NULL), ('A8', 'C1', 105, 'normal', 'K1'),"
               "  ('A9', 'C3', 106, 'normal', 'K\\2'), ('A10', 'C1', 108, 'normal', 'K2'),"
               "  (E'A\\t11', 'C3', 104, 'normal', E'K\\t3'), ('A12', 'C2', 104, 'normal', 'K1'))"
               " v (a, c, p, s, k)");
  /* two key customers on one account; one each on a closed account, a demolished premise,
   * an account without a community, one without a service connection, one with a tab */
  exec_ok (db, "INSERT INTO dw.dim_key_customer SELECT kc, 'n' || kc, 'hospital', a,"
               " ST_SetSRID(ST_MakePoint(119.3 + kc / 1e4, 26.08), 4326)"
               " FROM (VALUES (1, 'A1'), (2, 'A1'), (3, 'A3'), (4, 'A4'), (5, 'A7'), (6, 'A8'),"
               "  (7, E'A\\t11')) v (kc, a)");
  {
    g_autoptr(AqPipeline) pipeline = NULL;
    g_autoptr(GError) error = NULL;

    pipeline = aq_pipeline_new_standard ("dm_network", &error);
    g_assert_no_error (error);
    aq_pipeline_runner_run_pipeline (pipeline, db, NULL, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
  }

  /* the known answers: A8 and A9 are on no segment */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM dm.network_account"), ==, 10);
  /* the source's segment: premises 101, 102, 108; open accounts A1 A2 A4 A10 */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT premises * 100 + accounts * 10 + sources"
                                            " FROM dm.network_segment s JOIN"
                                            " dm.network_pipe_segment ps USING (segment_id)"
                                            " WHERE ps.pipe_id = 10"), ==, 341);
  /* there K1 counts A1 and A2 (A3 closed, A4 demolished) of its four open (A8 unmapped);
   * A10's premise is missing, so K2 is not there */
  g_assert_cmpstr (aq_test_query_string (db, "SELECT string_agg(community_code || ':' ||"
                                             " accounts || '/' || reachable || '/' ||"
                                             " accounts_total, ',' ORDER BY community_code)"
                                             " FROM dm.valve_segment_community c JOIN"
                                             " dm.network_pipe_segment ps USING (segment_id)"
                                             " WHERE ps.pipe_id = 10"), ==, "K1:2/2/5");
  /* pipe 15's segment: A7 (no community), A 11 (K 3, not reachable), A12 (K1) */
  g_assert_cmpstr (aq_test_query_string (db, "SELECT string_agg(replace(community_code,"
                                             " E'\\t', ' ') || ':' || accounts || '/' ||"
                                             " reachable, ',' ORDER BY"
                                             " community_code COLLATE \"C\")"
                                             " FROM dm.valve_segment_community c JOIN"
                                             " dm.network_pipe_segment ps USING (segment_id)"
                                             " WHERE ps.pipe_id = 15"), ==, "K 3:1/0,K1:1/1");
  /* key customers 1, 2 (A1), 5 (A7), 7 (A 11) */
  g_assert_cmpstr (aq_test_query_string (db, "SELECT string_agg(kc_id::text, ',' ORDER BY"
                                             " kc_id) FROM dm.valve_segment_key_customer"), ==,
                   "1,2,5,7");
  assert_accounts_equal_sql (db);
}

static void
test_accounts_demo (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqPipeline) pipeline = aq_pipeline_new_standard ("dm_network", &error);

  g_assert_no_error (error);
  aq_pipeline_runner_run_pipeline (pipeline, demo, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (aq_test_query_int64 (demo, "SELECT count(*) FROM dm.network_account"), >,
                   2000);
  g_assert_cmpint (aq_test_query_int64 (demo, "SELECT count(*) FROM"
                                              " dm.valve_segment_key_customer"), >, 0);
  assert_accounts_equal_sql (demo);
}

/* ---- who is affected: stored per segment against counted from the accounts ---- */

static char *
area_json (AqIsolation *iso)
{
  g_autoptr(JsonNode) node = aq_outage_area_to_json (iso->area);

  return json_to_string (node, FALSE);
}

static void
test_stored_figures (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqNetwork) net = aq_network_load (demo, &error);
  g_autoptr(PGresult) pipes = NULL, keyed = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (35);
  guint n_communities = 0, n_keys = 0, n_inside = 0, n_bursts = 0;

  g_assert_no_error (error);
  g_assert_cmpint (aq_test_query_int64 (demo, "SELECT count(*) FROM"
                                              " dm.valve_segment_community"), >, 0);
  g_assert_cmpint (aq_test_query_int64 (demo, "SELECT count(*) FROM"
                                              " dm.valve_segment_key_customer"), >, 0);
  pipes = aq_db_query (demo, "SELECT pipe_id FROM dw.network_pipe ORDER BY pipe_id", 0, NULL,
                       &error);
  g_assert_no_error (error);

  /* 50 random bursts and 5 at key customers' service pipes, each also with its first two
   * valves stuck (a wider area) */
  keyed = aq_db_query (demo, "SELECT sc.pipe_id FROM dw.dim_key_customer k"
                             " JOIN dw.dim_account a ON a.account_id = k.account_id"
                             " JOIN dw.service_connection sc ON sc.premise_id = a.premise_id"
                             " ORDER BY k.kc_id LIMIT 5", 0, NULL, &error);
  g_assert_no_error (error);
  for (guint b = 0; b < 50 + (guint) PQntuples (keyed); b++)
    {
      gint64 pipe = g_ascii_strtoll (b < 50 ? PQgetvalue (pipes, g_rand_int_range (rand, 0,
                                                          PQntuples (pipes)), 0)
                                            : PQgetvalue (keyed, b - 50, 0), NULL, 10);
      g_autoptr(GArray) stuck = g_array_new (FALSE, FALSE, sizeof (gint64));

      for (guint round = 0; round < 3; round++)
        {
          g_autoptr(AqIsolation) stored = NULL, counted = NULL;
          g_autofree char *a = NULL, *c = NULL;

          aq_network_set_reference_figures (net, FALSE);
          stored = aq_network_isolate (net, demo, pipe, (gint64 *) stuck->data, stuck->len,
                                       FALSE, NULL, &error);
          g_assert_no_error (error);
          aq_network_set_reference_figures (net, TRUE);
          counted = aq_network_isolate (net, demo, pipe, (gint64 *) stuck->data, stuck->len,
                                        FALSE, NULL, &error);
          g_assert_no_error (error);
          a = area_json (stored);
          c = area_json (counted);
          g_assert_cmpstr (a, ==, c);
          n_bursts++;
          n_communities += stored->area->communities->len;
          n_keys += stored->area->key_customers->len;
          for (guint i = 0; i < stored->area->communities->len; i++)
            n_inside += ((AqAreaCommunity *) g_ptr_array_index (stored->area->communities,
                                                                 i))->inside;
          if (round >= stored->close_valves->len)
            break;
          g_array_append_val (stuck, g_array_index (stored->close_valves, gint64, round));
        }
    }
  g_test_message ("%u isolations: %u communities (%u wholly cut off), %u key customers",
                  n_bursts, n_communities, n_inside, n_keys);
  /* the comparison saw every part of the summary */
  g_assert_cmpuint (n_communities, >, 10);
  g_assert_cmpuint (n_keys, >, 0);
}

/* ---- the demo network against pgRouting ---- */

/* Vertices: junction n is n; pipe p's ends are 2^32 + 2p and 2^32 + 2p + 1. */
#define EDGES_SQL \
  "CREATE TABLE pgr_edge AS" \
  " SELECT p.pipe_id AS id, 4294967296 + 2 * p.pipe_id AS source," \
  "        4294967297 + 2 * p.pipe_id AS target, NULL::bigint AS valve_id, p.pipe_id" \
  " FROM dw.network_pipe p" \
  " UNION ALL" \
  " SELECT 8589934592 + 2 * p.pipe_id + e.k, 4294967296 + 2 * p.pipe_id + e.k," \
  "        CASE e.k WHEN 0 THEN p.from_node ELSE p.to_node END," \
  "        (SELECT v.valve_id FROM dw.network_valve v WHERE v.pipe_id = p.pipe_id" \
  "         AND v.node_id = CASE e.k WHEN 0 THEN p.from_node ELSE p.to_node END), NULL" \
  " FROM dw.network_pipe p CROSS JOIN (VALUES (0), (1)) e (k)"

typedef struct
{
  char *close;
  char *isolated;
  char *dry;
  char *accounts;
} Expected;

static void
expected_clear (Expected *e)
{
  g_free (e->close);
  g_free (e->isolated);
  g_free (e->dry);
  g_free (e->accounts);
}

static char *
query_list (const char *sql)
{
  g_autofree char *text = aq_test_query_string (demo, sql);

  return g_strdup (text ? text : "");
}

/* The answer from pgRouting alone; @stuck is an SQL array literal of valve ids. */
static void
expected_by_pgrouting (gint64      pipe,
                       const char *stuck,
                       Expected   *e)
{
  g_autofree char *sql = NULL;

  /* the burst's component when only stuck valves can be passed */
  sql = g_strdup_printf (
    "DROP TABLE IF EXISTS pgr_cc; CREATE TEMP TABLE pgr_cc AS"
    " SELECT component, node FROM pgr_connectedComponents($q$"
    "   SELECT e.id, e.source, e.target, 1 AS cost, 1 AS reverse_cost FROM pgr_edge e"
    "   LEFT JOIN dw.network_valve v ON v.valve_id = e.valve_id"
    "   WHERE e.valve_id IS NULL"
    "      OR (v.status = 'open' AND (NOT v.operable OR v.valve_id = ANY ('%s'::bigint[])))$q$);"
    " DROP TABLE IF EXISTS pgr_in; CREATE TEMP TABLE pgr_in AS"
    " SELECT node FROM pgr_cc WHERE component = (SELECT component FROM pgr_cc"
    "   WHERE node = 4294967296 + 2 * %" G_GINT64_FORMAT ")",
    stuck, pipe);
  exec_ok (demo, sql);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf (
    "DROP TABLE IF EXISTS pgr_close; CREATE TEMP TABLE pgr_close AS"
    " SELECT e.valve_id FROM pgr_edge e JOIN dw.network_valve v ON v.valve_id = e.valve_id"
    " WHERE v.status = 'open' AND v.operable AND NOT v.valve_id = ANY ('%s'::bigint[])"
    "   AND ((e.source IN (SELECT node FROM pgr_in)) <> (e.target IN (SELECT node FROM pgr_in)))",
    stuck);
  exec_ok (demo, sql);
  g_clear_pointer (&sql, g_free);
  e->close = query_list ("SELECT string_agg(valve_id::text, ',' ORDER BY valve_id)"
                         " FROM pgr_close");
  e->isolated = query_list ("SELECT string_agg(id::text, ',' ORDER BY id) FROM pgr_edge"
                            " WHERE pipe_id IS NOT NULL AND source IN (SELECT node FROM pgr_in)");

  /* supplied: the components holding a source, before and after the closing */
  exec_ok (demo,
    "DROP TABLE IF EXISTS pgr_cc; CREATE TEMP TABLE pgr_cc AS"
    " SELECT component, node FROM pgr_connectedComponents($q$"
    "   SELECT e.id, e.source, e.target, 1 AS cost, 1 AS reverse_cost FROM pgr_edge e"
    "   LEFT JOIN dw.network_valve v ON v.valve_id = e.valve_id"
    "   WHERE (e.valve_id IS NULL OR v.status = 'open')"
    "     AND (e.valve_id IS NULL OR e.valve_id NOT IN (SELECT valve_id FROM pgr_close))"
    "     AND NOT (e.source IN (SELECT node FROM pgr_in) AND e.target IN (SELECT node FROM pgr_in))"
    "   $q$);"
    " DROP TABLE IF EXISTS pgr_after; CREATE TEMP TABLE pgr_after AS"
    " SELECT node FROM pgr_cc WHERE component IN (SELECT component FROM pgr_cc"
    "   WHERE node IN (SELECT node_id FROM dw.network_source)"
    "   AND node NOT IN (SELECT node FROM pgr_in))");
  e->dry = query_list (
    "SELECT string_agg(id::text, ',' ORDER BY id) FROM pgr_edge"
    " WHERE pipe_id IS NOT NULL AND source NOT IN (SELECT node FROM pgr_in)"
    "   AND source NOT IN (SELECT node FROM pgr_after)"
    "   AND source IN (SELECT node FROM pgr_before)");
  e->accounts = query_list (
    "SELECT string_agg(ap.account_id, ',' ORDER BY ap.account_id)"
    " FROM notify.area_point ap JOIN dw.service_connection sc ON sc.premise_id = ap.premise_id"
    " JOIN pgr_edge p ON p.id = sc.pipe_id AND p.pipe_id IS NOT NULL"
    " WHERE p.source IN (SELECT node FROM pgr_in)"
    "    OR (p.source NOT IN (SELECT node FROM pgr_after)"
    "        AND p.source IN (SELECT node FROM pgr_before))");
}

static char *
account_list (AqIsolation *iso)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = aq_isolation_account_ids (iso, demo, &error);

  g_assert_no_error (error);
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (",", (char **) ids->pdata);
}

static AqIsolation *
compare_burst (AqNetwork *net,
               gint64     pipe,
               GArray    *stuck)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqIsolation) iso = NULL;
  g_autofree char *stuck_text = ids_text (stuck);
  g_autofree char *literal = g_strdup_printf ("{%s}", stuck_text);
  g_autofree char *c = NULL, *i = NULL, *d = NULL, *a = NULL;
  Expected e = { 0 };

  iso = aq_network_isolate (net, demo, pipe, (const gint64 *) stuck->data, stuck->len, FALSE,
                            NULL, &error);
  g_assert_no_error (error);
  expected_by_pgrouting (pipe, literal, &e);
  c = ids_text (iso->close_valves);
  i = ids_text (iso->isolated_pipes);
  d = ids_text (iso->dry_pipes);
  a = account_list (iso);
  if (g_strcmp0 (c, e.close) || g_strcmp0 (i, e.isolated) || g_strcmp0 (d, e.dry))
    g_test_message ("pipe %" G_GINT64_FORMAT " stuck {%s}", pipe, stuck_text);
  g_assert_cmpstr (c, ==, e.close);
  g_assert_cmpstr (i, ==, e.isolated);
  g_assert_cmpstr (d, ==, e.dry);
  g_assert_cmpstr (a, ==, e.accounts);
  {
    gint64 n = a[0] ? 1 : 0;

    for (const char *k = a; *k; k++)
      n += *k == ',';
    g_assert_cmpint (iso->area->accounts, ==, n);
  }
  expected_clear (&e);
  return g_steal_pointer (&iso);
}

static void
test_against_pgrouting (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqNetwork) net = aq_network_load (demo, &error);
  g_autoptr(PGresult) pipes = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (15);
  g_autoptr(GArray) none = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n_dry = 0, n_stuck1 = 0, n_stuck2 = 0;

  g_assert_no_error (error);
  pipes = aq_db_query (demo, "SELECT pipe_id FROM dw.network_pipe ORDER BY pipe_id", 0, NULL,
                       &error);
  g_assert_no_error (error);
  g_assert_cmpint (PQntuples (pipes), >, 1000);

  for (guint b = 0; b < 50; b++)
    {
      gint64 pipe = g_ascii_strtoll (PQgetvalue (pipes, g_rand_int_range (rand, 0,
                                                 PQntuples (pipes)), 0), NULL, 10);
      g_autoptr(AqIsolation) iso = compare_burst (net, pipe, none);

      n_dry += iso->dry_pipes->len > 0;
      /* the same burst with its first valve, then its first two, stuck */
      if (b % 5 == 0 && iso->close_valves->len >= 1)
        {
          g_autoptr(GArray) stuck = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_autoptr(AqIsolation) one = NULL, two = NULL;

          g_array_append_val (stuck, g_array_index (iso->close_valves, gint64, 0));
          one = compare_burst (net, pipe, stuck);
          g_assert_false (one->close_valves->len > 0
                          && g_array_index (one->close_valves, gint64, 0)
                             == g_array_index (stuck, gint64, 0));
          n_stuck1++;
          if (iso->close_valves->len >= 2)
            {
              g_array_append_val (stuck, g_array_index (iso->close_valves, gint64, 1));
              two = compare_burst (net, pipe, stuck);
              g_assert_cmpuint (two->isolated_pipes->len, >=, one->isolated_pipes->len);
              n_stuck2++;
            }
        }
    }
  g_assert_cmpuint (n_stuck1, >, 0);
  g_assert_cmpuint (n_stuck2, >, 0);

  /* a burst that cuts a dead-end branch off from its source */
  if (n_dry == 0)
    {
      g_autofree char *pipe_text = NULL;

      for (int k = 0; k < PQntuples (pipes) && n_dry == 0; k++)
        {
          gint64 pipe = g_ascii_strtoll (PQgetvalue (pipes, k, 0), NULL, 10);
          g_autoptr(AqIsolation) walk = aq_network_isolate_segments (net, pipe, NULL, 0, &error);

          g_assert_no_error (error);
          if (walk->dry_segments->len > 0)
            {
              g_autoptr(AqIsolation) iso = compare_burst (net, pipe, none);

              g_assert_cmpuint (iso->dry_pipes->len, >, 0);
              n_dry++;
            }
        }
    }
  g_assert_cmpuint (n_dry, >, 0);
}

static void
test_demo_network_shape (void)
{
  /* every premise has a service connection; one supplied component per pressure zone */
  g_assert_cmpint (aq_test_query_int64 (demo, "SELECT count(*) FROM dw.dim_premise p"
                                              " WHERE NOT EXISTS (SELECT 1 FROM"
                                              " dw.service_connection s"
                                              " WHERE s.premise_id = p.premise_id)"), ==, 0);
  g_assert_cmpint (aq_test_query_int64 (demo, "SELECT count(*) FROM dw.network_source"), >=, 3);
  g_assert_cmpint (aq_test_query_int64 (demo, "SELECT count(*) FROM dw.network_valve"
                                              " WHERE NOT operable"), >, 0);
  g_assert_cmpint (aq_test_query_int64 (demo, "SELECT count(*) FROM dw.network_valve"
                                              " WHERE status = 'closed'"), >, 0);
  /* with the valves in their normal positions, components = pressure zones, each fed */
  g_assert_cmpint (aq_test_query_int64 (demo,
    "SELECT count(DISTINCT component) FROM pgr_connectedComponents($q$"
    " SELECT e.id, e.source, e.target, 1 AS cost, 1 AS reverse_cost FROM pgr_edge e"
    " LEFT JOIN dw.network_valve v ON v.valve_id = e.valve_id"
    " WHERE e.valve_id IS NULL OR v.status = 'open'$q$)"), ==, 3);
  g_assert_cmpint (aq_test_query_int64 (demo,
    "SELECT count(*) FROM pgr_before"), ==,
    aq_test_query_int64 (demo, "SELECT count(DISTINCT node) FROM ("
                               " SELECT source AS node FROM pgr_edge UNION"
                               " SELECT target FROM pgr_edge) v"));
  /* dead ends exist: junctions with one pipe */
  g_assert_cmpint (aq_test_query_int64 (demo,
    "SELECT count(*) FROM (SELECT n FROM (SELECT from_node AS n FROM dw.network_pipe UNION ALL"
    " SELECT to_node FROM dw.network_pipe) e GROUP BY n HAVING count(*) = 1) d"), >, 0);
}

static void
test_criticality (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqNetwork) net = aq_network_load (demo, &error);
  g_autoptr(GArray) list = NULL;
  AqValveCriticality *top;

  g_assert_no_error (error);
  list = aq_network_criticality (net, 10);
  g_assert_cmpuint (list->len, ==, 10);
  top = &g_array_index (list, AqValveCriticality, 0);
  g_assert_cmpint (top->accounts, >, 0);
  for (guint i = 1; i < list->len; i++)
    g_assert_cmpint (g_array_index (list, AqValveCriticality, i).accounts, <=,
                     g_array_index (list, AqValveCriticality, i - 1).accounts);
}

/* The local rule for what goes dry gives what a search over the whole network gives: for a
 * burst in every segment of the demo, with every valve closing and with the first of them
 * stuck, and the whole criticality list. */
static char *
segments_text (GArray *a)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < a->len; i++)
    g_string_append_printf (s, "%s%d", i ? "," : "", g_array_index (a, gint, i));
  return g_string_free (s, FALSE);
}

static void
assert_same_walk (AqNetwork    *net,
                  gint64        pipe,
                  const gint64 *stuck,
                  guint         n_stuck,
                  guint        *n_dry)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqIsolation) local = NULL, reference = NULL;
  g_autofree char *li = NULL, *ri = NULL, *ld = NULL, *rd = NULL, *lc = NULL, *rc = NULL;

  aq_network_set_reference_walk (net, FALSE);
  local = aq_network_isolate_segments (net, pipe, stuck, n_stuck, &error);
  g_assert_no_error (error);
  aq_network_set_reference_walk (net, TRUE);
  reference = aq_network_isolate_segments (net, pipe, stuck, n_stuck, &error);
  g_assert_no_error (error);
  aq_network_set_reference_walk (net, FALSE);
  li = segments_text (local->isolated_segments);
  ri = segments_text (reference->isolated_segments);
  ld = segments_text (local->dry_segments);
  rd = segments_text (reference->dry_segments);
  lc = ids_text (local->close_valves);
  rc = ids_text (reference->close_valves);
  g_assert_cmpstr (li, ==, ri);
  g_assert_cmpstr (ld, ==, rd);
  g_assert_cmpstr (lc, ==, rc);
  *n_dry += local->dry_segments->len > 0;
}

static void
test_local_walk (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqNetwork) net = aq_network_load (demo, &error);
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GArray) local = NULL, reference = NULL;
  guint n_dry = 0, n_stuck_dry = 0;

  g_assert_no_error (error);
  /* one pipe of every segment with pipes (a junction between valves is a segment too) */
  res = aq_db_query (demo, "SELECT min(pipe_id) FROM dm.network_pipe_segment"
                           " GROUP BY segment_id ORDER BY 1", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (PQntuples (res), >, 1000);
  for (int i = 0; i < PQntuples (res); i++)
    {
      gint64 pipe = g_ascii_strtoll (PQgetvalue (res, i, 0), NULL, 10);
      g_autoptr(AqIsolation) iso = aq_network_isolate_segments (net, pipe, NULL, 0, &error);

      g_assert_no_error (error);
      assert_same_walk (net, pipe, NULL, 0, &n_dry);
      if (iso->close_valves->len > 0)
        assert_same_walk (net, pipe, &g_array_index (iso->close_valves, gint64, 0), 1,
                          &n_stuck_dry);
    }
  /* the comparison meant something: bursts that cut others off, with and without a stuck valve */
  g_assert_cmpuint (n_dry, >, 10);
  g_assert_cmpuint (n_stuck_dry, >, 10);

  local = aq_network_criticality (net, 0);
  aq_network_set_reference_walk (net, TRUE);
  reference = aq_network_criticality (net, 0);
  aq_network_set_reference_walk (net, FALSE);
  g_assert_cmpuint (local->len, ==, reference->len);
  g_assert_cmpuint (local->len, >, 100);
  g_assert_cmpmem (local->data, local->len * sizeof (AqValveCriticality),
                   reference->data, reference->len * sizeof (AqValveCriticality));
}

/* The demo's network grows with the accounts, as a city's does: lane mains in the blocks of
 * stand-alone premises, more pressure zones; built in memory, no database. */
static void
test_network_grows (void)
{
  AqSimNetworkShape small, large;

  aq_sim_network_shape (20180401, 20000, &small);
  aq_sim_network_shape (20180401, 300000, &large);
  g_test_message ("20k: %u pipes, %u valves, %u loops, %u dead ends, %u zones; "
                  "300k: %u pipes, %u valves, %u loops, %u dead ends, %u zones",
                  small.pipes, small.valves, small.loops, small.dead_ends, small.pressure_zones,
                  large.pipes, large.valves, large.loops, large.dead_ends,
                  large.pressure_zones);
  /* one network when every valve is open; each pressure zone one piece */
  g_assert_cmpuint (small.components, ==, 1);
  g_assert_cmpuint (large.components, ==, 1);
  g_assert_cmpuint (small.pressure_zones, ==, 3);
  g_assert_cmpuint (large.pressure_zones, ==, 4);
  g_assert_cmpuint (large.sources, >=, 2 * large.pressure_zones - 1);
  /* fifteen times the accounts: several times the pipes, valves, loops and dead ends */
  g_assert_cmpuint (large.pipes, >, 4 * small.pipes);
  g_assert_cmpuint (large.valves, >, 4 * small.valves);
  g_assert_cmpuint (large.loops, >, 2 * small.loops);
  g_assert_cmpuint (large.dead_ends, >, 4 * small.dead_ends);
}

/* Conflicts: an outage made from a burst is a conflict of the same burst isolated again (its
 * accounts all shared, its area met), and not of a burst in another pressure zone. */
static void
test_conflicts (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqNetwork) net = aq_network_load (demo, &error);
  g_autoptr(AqIsolation) first = NULL, again = NULL, far = NULL;
  g_autofree char *pipe = NULL, *far_pipe = NULL, *out = NULL, *err = NULL;
  const char *env[] = { "AQUEDUCT_DATABASE_URL", demo_conninfo, NULL };
  const char *argv[] = { g_getenv ("AQUEDUCTCTL"), "network", "create-outage", "--pipe", NULL,
                         "--reason", "conflict test", "--start", "2026-12-01T08:00:00+08:00",
                         "--json", NULL };
  g_autoptr(JsonObject) created = NULL;
  gint64 outage_id, shared = -1;
  gboolean overlaps = FALSE, in_far = FALSE;
  int status = -1;

  g_assert_no_error (error);
  /* the busiest pipe's burst, and a pipe with accounts in another zone */
  pipe = aq_test_query_string (demo, "SELECT pipe_id FROM dm.network_account"
                                     " GROUP BY pipe_id ORDER BY count(*) DESC, pipe_id LIMIT 1");
  first = aq_network_isolate (net, demo, g_ascii_strtoll (pipe, NULL, 10), NULL, 0, FALSE, NULL,
                              &error);
  g_assert_no_error (error);
  g_assert_cmpint (first->area->accounts, >, 0);
  argv[4] = pipe;
  out = aq_test_run_command (argv, env, &status, &err);
  g_assert_cmpint (status, ==, 0);
  created = aq_test_parse_object (out);
  outage_id = json_object_get_int_member (created, "outage_id");
  g_assert_cmpint (outage_id, >, 0);

  again = aq_network_isolate (net, demo, g_ascii_strtoll (pipe, NULL, 10), NULL, 0, FALSE, NULL,
                              &error);
  g_assert_no_error (error);
  for (guint i = 0; i < again->conflicts->len; i++)
    {
      AqNetworkConflict *c = g_ptr_array_index (again->conflicts, i);

      if (c->outage_id == outage_id)
        {
          shared = c->shared_accounts;
          overlaps = c->area_overlaps;
          g_assert_cmpstr (c->kind, ==, "emergency");
        }
    }
  g_assert_cmpint (shared, ==, first->area->accounts);
  g_assert_true (overlaps);

  {
    g_autofree char *sql = g_strdup_printf (
      "SELECT min(na.pipe_id) FROM dm.network_account na"
      " JOIN dw.network_pipe p ON p.pipe_id = na.pipe_id,"
      " (SELECT geom FROM dw.network_pipe WHERE pipe_id = %s) b"
      " WHERE ST_Distance(p.geom::geography, b.geom::geography) > 3000", pipe);

    far_pipe = aq_test_query_string (demo, sql);
  }
  far = aq_network_isolate (net, demo, g_ascii_strtoll (far_pipe, NULL, 10), NULL, 0, FALSE, NULL,
                            &error);
  g_assert_no_error (error);
  for (guint i = 0; i < far->conflicts->len; i++)
    in_far |= ((AqNetworkConflict *) g_ptr_array_index (far->conflicts, i))->outage_id
              == outage_id;
  g_assert_false (in_far);
}

/* ---- the CLI ---- */

static char *
ctl (int         *status,
     char       **err,
     const char  *first,
     ...)
{
  const char *env[] = { "AQUEDUCT_DATABASE_URL", demo_conninfo, NULL };
  va_list args;
  char *out;

  va_start (args, first);
  out = aq_test_ctl_valist (env, status, err, first, args);
  va_end (args);
  return out;
}

static void
test_cli (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqNetwork) net = aq_network_load (demo, &error);
  g_autofree char *out = NULL, *err = NULL, *pipe = NULL, *stuck = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(AqIsolation) iso = NULL;
  JsonObject *o;
  int status;

  g_assert_no_error (error);
  pipe = aq_test_query_string (demo, "SELECT min(pipe_id) FROM dm.network_account");

  out = ctl (&status, &err, "network", "isolate", "--pipe", "999999999", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "no pipe 999999999"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  out = ctl (&status, &err, "network", "isolate", "--pipe", pipe, "--inoperable", "999999999",
             NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "no valve 999999999"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  out = ctl (&status, &err, "network", "isolate", NULL);
  g_assert_cmpint (status, ==, 2);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  out = ctl (&status, &err, "network", "isolate", "--pipe", pipe, "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  iso = aq_network_isolate (net, demo, g_ascii_strtoll (pipe, NULL, 10), NULL, 0, FALSE, NULL,
                            &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "close_valves")),
                    ==, iso->close_valves->len);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "affected"),
                                               "accounts"), ==, iso->area->accounts);
  g_assert_true (json_object_has_member (o, "polygon"));

  /* the outage takes exactly the isolated accounts */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = ctl (&status, &err, "network", "create-outage", "--pipe", pipe, "--reason", "爆管",
             "--start", "2026-12-01T08:00:00+08:00", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  {
    g_autoptr(JsonParser) p2 = json_parser_new ();
    g_autofree char *expected = account_list (iso);
    g_autofree char *sql = NULL, *actual = NULL;
    gint64 id;

    json_parser_load_from_data (p2, out, -1, &error);
    g_assert_no_error (error);
    id = json_object_get_int_member (json_node_get_object (json_parser_get_root (p2)),
                                     "outage_id");
    sql = g_strdup_printf ("SELECT coalesce(string_agg(account_id, ',' ORDER BY account_id), '')"
                           " FROM notify.outage_account WHERE outage_id = %" G_GINT64_FORMAT, id);
    actual = aq_test_query_string (demo, sql);
    g_assert_cmpstr (actual, ==, expected);
    g_free (sql);
    sql = g_strdup_printf ("SELECT kind FROM notify.outage WHERE outage_id = %" G_GINT64_FORMAT,
                           id);
    g_free (actual);
    actual = aq_test_query_string (demo, sql);
    g_assert_cmpstr (actual, ==, "emergency");
  }

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = ctl (&status, &err, "network", "criticality", "--limit", "5", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  {
    g_autoptr(JsonParser) p3 = json_parser_new ();

    json_parser_load_from_data (p3, out, -1, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (p3))),
                      ==, 5);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  aq_core_init ();
  aq_network_register ();
  demo = aq_test_demo_db_new ("t_network", 3000, 13);
  demo_conninfo = aq_test_conninfo ("t_network");
  aq_db_exec (demo, "CREATE EXTENSION IF NOT EXISTS pgrouting", &error);
  g_assert_no_error (error);
  aq_db_exec (demo, EDGES_SQL, &error);
  g_assert_no_error (error);
  /* supplied with every valve in its normal position */
  aq_db_exec (demo,
    "CREATE TABLE pgr_before AS SELECT node FROM pgr_connectedComponents($q$"
    " SELECT e.id, e.source, e.target, 1 AS cost, 1 AS reverse_cost FROM pgr_edge e"
    " LEFT JOIN dw.network_valve v ON v.valve_id = e.valve_id"
    " WHERE e.valve_id IS NULL OR v.status = 'open'$q$) c"
    " WHERE component IN (SELECT component FROM pgr_connectedComponents($q$"
    " SELECT e.id, e.source, e.target, 1 AS cost, 1 AS reverse_cost FROM pgr_edge e"
    " LEFT JOIN dw.network_valve v ON v.valve_id = e.valve_id"
    " WHERE e.valve_id IS NULL OR v.status = 'open'$q$) s"
    " WHERE s.node IN (SELECT node_id FROM dw.network_source))", &error);
  g_assert_no_error (error);

  g_test_add_func ("/network/hand/loop", test_loop);
  g_test_add_func ("/network/hand/dead-end", test_dead_end);
  g_test_add_func ("/network/hand/valve-next-to-source", test_valve_next_to_source);
  g_test_add_func ("/network/hand/parallel-mains", test_parallel_mains);
  g_test_add_func ("/network/hand/unknown", test_unknown);
  g_test_add_func ("/network/demo/shape", test_demo_network_shape);
  g_test_add_func ("/network/demo/pgrouting", test_against_pgrouting);
  g_test_add_func ("/network/demo/criticality", test_criticality);
  g_test_add_func ("/network/cli", test_cli);
  g_test_add_func ("/network/demo/local-walk", test_local_walk);
  g_test_add_func ("/network/demo/conflicts", test_conflicts);
  g_test_add_func ("/network/demo/grows-with-accounts", test_network_grows);
  g_test_add_func ("/network/segments/hand", test_segments_hand);
  g_test_add_func ("/network/segments/demo", test_segments_demo);
  g_test_add_func ("/network/demo/stored-figures", test_stored_figures);
  g_test_add_func ("/network/accounts/hand", test_accounts_hand);
  g_test_add_func ("/network/accounts/demo", test_accounts_demo);
  return g_test_run ();
}
