/* test-shard.c — a warehouse whose big account-grain tables live on two PostgreSQL shards
 * (postgres_fdw, hash by account_id) gives the same answers as on one node: the 360 of several
 * accounts, every shipped report layout (data/reports, 连续N月0吨 among them) and the bench's
 * pivots; and the plans say what goes down to the shards.
 *
 * Two extra clusters of its own are started in the temporary directory and destroyed after. */
#include "aq-test-util.h"

#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

static const char *pivots[] = {
  "{\"rows\": [\"district\"], \"columns\": [\"month\"],"
  " \"values\": [\"billed_qty\", \"bill_amount\", \"collection_rate\"]}",
  "{\"rows\": [\"dma2\", \"customer_type\"],"
  " \"values\": [\"billed_qty\", \"read_rate\", \"avg_qty_per_account\"]}",
  "{\"rows\": [\"community\", \"customer_type\"],"
  " \"values\": [\"billed_accounts\", \"bill_amount\", \"on_time_rate\"]}",
  "{\"rows\": [\"dma3\", \"month\"], \"values\": [\"nrw_siv\", \"nrw_billed\", \"nrw_rate\"]}",
  "{\"rows\": [\"channel\"], \"columns\": [\"month\"],"
  " \"values\": [\"payments\", \"payment_amount\", \"avg_payment\"]}",
  "{\"rows\": [\"wo_category\", \"district\"],"
  " \"values\": [\"wo_created\", \"wo_timely_rate\", \"wo_close_rate\"]}",
  "{\"rows\": [\"month\", \"customer_type\"], \"values\": [\"billed_qty\","
  " {\"id\": \"billed_qty\", \"calc\": \"mom\"}, {\"id\": \"billed_qty\", \"calc\": \"yoy\"}]}",
  /* 连续 3 月 0 吨 (the months are few here) */
  "{\"kind\": \"list\", \"rows\": [\"account\", \"customer_name\", \"address\", \"district\","
  " \"community\", \"run_first\", \"run_last\"], \"values\": [\"zero_run_months\"],"
  " \"filters\": [{\"condition\": \"zero_run_within\", \"values\": [\"$p.from\", \"$p.to\", \"3\"]},"
  "  {\"dimension\": \"account_status\", \"values\": [\"normal\"]}],"
  " \"parameters\": [{\"name\": \"p\", \"type\": \"month_range\", \"label\": \"P\","
  " \"default\": \"@all\"}], \"sort\": [{\"value\": 0, \"descending\": true}]}",
};

static int
compare_lines (const void *a,
               const void *b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* Everything a reader sees of a result, one line per row. */
static char *
result_text (AqReportResult *result)
{
  GString *s = g_string_new (aq_report_result_get_kind (result) == AQ_REPORT_KIND_LIST
                             ? "list\n" : "pivot\n");
  guint dims = aq_report_result_get_n_row_dims (result);
  guint cols = aq_report_result_get_n_columns (result);

  for (guint c = 0; c < cols; c++)
    g_string_append_printf (s, "%s|", aq_report_result_get_column_header (result, c, 0));
  g_string_append_c (s, '\n');
  for (guint r = 0; r < aq_report_result_get_n_rows (result); r++)
    {
      for (guint d = 0; d < dims; d++)
        g_string_append_printf (s, "%s|", aq_report_result_get_row_label (result, r, d));
      for (guint c = 0; c < cols; c++)
        g_string_append_printf (s, "%s|", aq_report_result_get_cell_text (result, r, c));
      g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}

/* The lines of @text sorted: a list whose sort leaves ties orders them as the plan happens to
 * (one node or two): such a list is compared as the same rows when the order differs. */
static char *
sorted_lines (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  qsort (lines, g_strv_length (lines), sizeof (char *), compare_lines);
  return g_strjoinv ("\n", lines);
}

/* name → answer text, for everything compared */
static GHashTable *
answers (AqDb       *db,
         GStrv       accounts)
{
  GHashTable *out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqCatalog) catalog = aq_catalog_load (db, NULL, &error);
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "..", "data", "reports", NULL);
  g_autoptr(GDir) reports = g_dir_open (dir, 0, &error);
  const char *name;

  g_assert_no_error (error);
  for (guint i = 0; accounts[i]; i++)
    {
      g_autoptr(AqCustomer360) view = aq_customer_360_load (db, accounts[i], AQ_ROLE_SUPERVISOR,
                                                            NULL, &error);
      g_autoptr(JsonNode) node = NULL;

      g_assert_no_error (error);
      node = aq_customer_360_to_json (view);
      g_hash_table_insert (out, g_strdup_printf ("360 %s", accounts[i]),
                           json_to_string (node, TRUE));
    }
  while ((name = g_dir_read_name (reports)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(AqReportSpec) spec = aq_report_spec_new_from_file (file, &error);
      g_autoptr(AqReportResult) result = NULL;

      g_assert_no_error (error);
      result = aq_report_run (db, catalog, spec, NULL, NULL, &error);
      g_assert_no_error (error);
      g_hash_table_insert (out, g_strdup (name), result_text (result));
    }
  for (guint i = 0; i < G_N_ELEMENTS (pivots); i++)
    {
      g_autoptr(AqReportSpec) spec = aq_report_spec_new_from_data (pivots[i], -1, &error);
      g_autoptr(AqReportResult) result = NULL;

      g_assert_no_error (error);
      result = aq_report_run (db, catalog, spec, NULL, NULL, &error);
      g_assert_no_error (error);
      g_hash_table_insert (out, g_strdup_printf ("layout %u", i + 1), result_text (result));
    }
  return out;
}

static char *
explain (AqDb       *db,
         const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stmt = g_strdup_printf ("EXPLAIN (VERBOSE, COSTS OFF) %s", sql);
  g_autoptr(PGresult) res = aq_db_query (db, stmt, 0, NULL, &error);
  GString *s = g_string_new (NULL);

  g_assert_no_error (error);
  for (int r = 0; r < PQntuples (res); r++)
    g_string_append_printf (s, "%s\n", PQgetvalue (res, r, 0));
  return g_string_free (s, FALSE);
}

static guint
count_substr (const char *hay,
              const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (hay, needle); p; p = strstr (p + 1, needle))
    n++;
  return n;
}

static AqLocalWarehouse *
start_shard (const char *name,
             char      **conninfo)
{
  g_autoptr(GError) error = NULL;
  /* in the temporary directory, like the test cluster: a checkout in a directory closed to
   * others (mktemp -d) is out of the server's reach */
  g_autofree char *template = g_strconcat ("aqt-", name, "-XXXXXX", NULL);
  g_autofree char *dir = g_dir_make_tmp (template, &error);
  AqLocalWarehouse *wh;

  g_assert_no_error (error);
  wh = aq_local_warehouse_new (dir);
  aq_local_warehouse_set_throwaway (wh, TRUE);
  aq_local_warehouse_create (wh, &error);
  g_assert_no_error (error);
  aq_local_warehouse_start (wh, &error);
  g_assert_no_error (error);
  aq_local_warehouse_ensure_database (wh, "aq_shard", &error);
  g_assert_no_error (error);
  *conninfo = aq_local_warehouse_get_conninfo (wh, "aq_shard");
  return wh;
}

static void
test_two_shards_same_answers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqLocalWarehouse) shard_a = NULL;
  g_autoptr(AqLocalWarehouse) shard_b = NULL;
  g_autofree char *info_a = NULL;
  g_autofree char *info_b = NULL;
  g_autoptr(AqDb) db = aq_test_demo_db_new ("t_shard", 300, 13);
  g_autoptr(AqDb) sharded = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 1, 15, 2, 0, 0);
  g_auto(GStrv) tables = aq_warehouse_shard_candidates (&error);
  g_auto(GStrv) accounts = NULL;
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *conninfo = aq_test_conninfo ("t_shard");
  g_autofree char *plan = NULL;
  const char *infos[3] = { NULL, NULL, NULL };
  GHashTableIter iter;
  gpointer key, value;
  gint64 moved = 0;
  guint n_360 = 0;
  guint n_ties = 0;

  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) tables, "dw.fact_bill"));
  g_assert_true (g_strv_contains ((const char * const *) tables, "dw.fact_payment"));
  g_assert_true (g_strv_contains ((const char * const *) tables, "dm.customer_profile"));
  {
    g_autofree char *joined = g_strjoinv (", ", tables);
    g_test_message ("sharded by account_id: %s", joined);
  }

  aq_clock_pin (now);
  /* accounts of every kind: the first few, one in arrears, one with a zero run */
  {
    g_autofree char *list = aq_test_query_string (db,
      "SELECT string_agg(account_id, ',') FROM ("
      "  (SELECT account_id FROM dw.dim_account ORDER BY account_id LIMIT 4) UNION "
      "  (SELECT account_id FROM dm.customer_profile WHERE arrears_amount > 0 "
      "   ORDER BY arrears_amount DESC, account_id LIMIT 2) UNION "
      "  (SELECT account_id FROM dm.consumption_streak ORDER BY months DESC, account_id LIMIT 2)"
      ") a");

    accounts = g_strsplit (list, ",", -1);
  }
  g_assert_cmpuint (g_strv_length (accounts), >=, 6);

  for (guint i = 0; tables[i]; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", tables[i]);

      g_hash_table_insert (counts, g_strdup (tables[i]),
                           GINT_TO_POINTER ((int) aq_test_query_int64 (db, sql)));
    }
  before = answers (db, accounts);

  shard_a = start_shard ("shard-a", &info_a);
  shard_b = start_shard ("shard-b", &info_b);
  infos[0] = info_a;
  infos[1] = info_b;
  aq_warehouse_shard (db, infos, NULL, &moved, &error);
  g_assert_no_error (error);
  g_assert_cmpint (moved, >, 1000);

  /* a fresh session: the database's partitionwise settings apply */
  sharded = aq_db_connect (conninfo, &error);
  g_assert_no_error (error);
  for (guint i = 0; tables[i]; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", tables[i]);
      g_autofree char *parts = g_strdup_printf (
        "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = '%s'::regclass AND c.relkind = 'f'", tables[i]);
      gint64 total = 0;

      g_assert_cmpint (aq_test_query_int64 (sharded, parts), ==, 2);
      g_assert_cmpint (aq_test_query_int64 (sharded, sql), ==,
                       GPOINTER_TO_INT (g_hash_table_lookup (counts, tables[i])));
      /* the rows really are on the shards, on both */
      for (guint s = 0; s < 2; s++)
        {
          g_autoptr(AqDb) shard = aq_db_connect (infos[s], &error);
          gint64 n;

          g_assert_no_error (error);
          n = aq_test_query_int64 (shard, sql);
          if (GPOINTER_TO_INT (g_hash_table_lookup (counts, tables[i])) > 50)
            g_assert_cmpint (n, >, 0);
          total += n;
        }
      g_assert_cmpint (total, ==, GPOINTER_TO_INT (g_hash_table_lookup (counts, tables[i])));
    }

  after = answers (sharded, accounts);
  g_assert_cmpuint (g_hash_table_size (after), ==, g_hash_table_size (before));
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *other = g_hash_table_lookup (after, key);

      if (other && g_str_has_prefix (value, "list\n") && g_strcmp0 (value, other) != 0)
        {
          g_autofree char *a = sorted_lines (value);
          g_autofree char *b = sorted_lines (other);

          if (g_strcmp0 (a, b) == 0)
            {
              g_test_message ("%s: the same rows, tied rows in another order", (char *) key);
              n_ties++;
              continue;
            }
        }
      if (g_strcmp0 (value, other) != 0)
        g_error ("%s differs on two shards:\n--- one node\n%s\n--- two shards\n%s",
                 (char *) key, (char *) value, other);
      n_360 += g_str_has_prefix (key, "360 ");
    }
  g_test_message ("%u answers identical (%u 360s, %u report layouts; %u lists with tied rows "
                  "in another order)", g_hash_table_size (before), n_360,
                  g_hash_table_size (before) - n_360, n_ties);

  /* what goes down: a point read is one shard's (runtime pruning); a GROUP BY on the
   * distribution key is pushed to each shard whole; one on another column is not (postgres_fdw
   * pushes no partial aggregate), the coordinator aggregates rows the shards send */
  plan = explain (sharded, "SELECT period, qty FROM dw.fact_bill WHERE account_id = 'x'");
  g_test_message ("point read:\n%s", plan);
  g_assert_nonnull (strstr (plan, "Foreign Scan"));
  g_assert_null (strstr (plan, "Append"));
  g_free (plan);
  plan = explain (sharded, "SELECT account_id, sum(qty) FROM dw.fact_bill GROUP BY account_id");
  g_test_message ("GROUP BY account_id:\n%s", plan);
  g_assert_nonnull (strstr (plan, "Async Foreign Scan"));
  g_assert_nonnull (strstr (plan, "GROUP BY 1"));
  g_free (plan);
  plan = explain (sharded, "SELECT b.account_id, count(*) FROM dw.fact_bill b "
                           "JOIN dm.customer_profile p USING (account_id) GROUP BY 1");
  g_test_message ("join of two sharded tables:\n%s", plan);
  /* partitionwise: shard 0 with shard 0, 1 with 1 (joined on the coordinator or, when the
   * planner finds it cheaper, on the shard) */
  g_assert_cmpuint (count_substr (plan, "_shard0 "), ==, 2);
  g_assert_cmpuint (count_substr (plan, "_shard1 "), ==, 2);
  g_assert_true (strstr (plan, "Join") || strstr (plan, "JOIN"));
  g_free (plan);
  plan = explain (sharded, "SELECT period, sum(qty) FROM dw.fact_bill GROUP BY period");
  g_test_message ("GROUP BY period:\n%s", plan);
  g_assert_nonnull (strstr (plan, "PARTIAL sum"));
  g_assert_null (strstr (plan, "GROUP BY"));
  g_free (plan);
  /* one shard's partition alone: its aggregate goes down whole (aggregating per shard and
   * combining is the way around) */
  plan = explain (sharded, "SELECT period, sum(qty) FROM dw.fact_bill_shard0 GROUP BY period");
  g_test_message ("GROUP BY period on one shard's partition:\n%s", plan);
  g_assert_nonnull (strstr (plan, "GROUP BY 1"));

  aq_clock_pin (NULL);
  g_clear_object (&sharded);
  g_clear_object (&db);
  aq_test_drop_database ("t_shard");
  aq_local_warehouse_destroy (shard_a, &error);
  g_assert_no_error (error);
  aq_local_warehouse_destroy (shard_b, &error);
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  aq_core_init ();
  g_test_add_func ("/shard/two-shards-same-answers", test_two_shards_same_answers);
  return g_test_run ();
}
