/* test-ktr-import.c — Kettle transformations imported, then run against the warehouse
 *
 * The fixtures in tests/data/ktr/ are hand-written in Kettle 9's format (modelled on the
 * samples that ship with PDI): bills.ktr (table input, select values, filter rows with a false
 * branch, calculator, value mapper, table output with named fields), lookups.ktr (stream lookup
 * on a table read, database lookup, unique rows, group by), files.ktr (CSV file input, text file
 * input, append streams, unique rows by hash set, memory group by, insert/update) and
 * unmapped.ktr (a JavaScript and a dummy step). Each mapped pipeline runs on small tables
 * written here, and the targets are compared with the rows Kettle's semantics give — worked out
 * by hand in each test. The CLI is run for real: exit 2 with the unmapped steps listed, 0 with
 * --partial; and the reader refuses what is not a transformation, DTDs and oversized files.
 */
#include "aq-test-util.h"

#include <glib/gstdio.h>
#include <string.h>

static AqDb *db;

static gint64
count (const char *sql)
{
  return aq_test_query_int64 (db, sql);
}

static void
exec (const char *sql)
{
  g_autoptr(GError) error = NULL;

  aq_db_exec (db, sql, &error);
  g_assert_no_error (error);
}

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "ktr", name, NULL);
}

static AqKtrImport *
import (const char *name)
{
  g_autoptr(GHashTable) map = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *path = fixture (name);
  g_autoptr(GError) error = NULL;
  AqKtrImport *result;

  g_hash_table_insert (map, "DW", "warehouse");
  result = aq_ktr_import_file (path, map, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < result->notes->len; i++)
    g_test_message ("note: %s", (char *) g_ptr_array_index (result->notes, i));
  return result;
}

/* Runs the imported pipeline; the CSV paths start at the fixtures' folder. */
static void
run (AqKtrImport *result)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", "ktr", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqPipeline) pipeline = aq_pipeline_new_from_data (result->json, -1, dir, &error);
  gint64 run_id = 0;

  g_assert_no_error (error);
  aq_pipeline_runner_run_pipeline (pipeline, db, NULL, NULL, NULL, &run_id, &error);
  if (error)
    g_test_message ("%s", result->json);
  g_assert_no_error (error);
  g_assert_cmpint (run_id, >, 0);
}

static JsonObject *
step_of (AqKtrImport *result,
         const char  *id)
{
  g_autoptr(JsonObject) root = aq_test_parse_object (result->json);
  JsonArray *steps = json_object_get_array_member (root, "steps");

  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      JsonObject *step = json_array_get_object_element (steps, i);

      if (g_str_equal (json_object_get_string_member (step, "id"), id))
        return json_object_ref (step);
    }
  g_error ("no step %s in %s", id, result->json);
  return NULL;
}

/* ---- bills.ktr ---- */

static void
test_bills (void)
{
  g_autoptr(AqKtrImport) result = import ("bills.ktr");
  g_autoptr(JsonObject) read = NULL;
  g_autoptr(JsonObject) filter = NULL;
  g_autoptr(JsonObject) rejects = NULL;
  AqKtrConnection *connection;

  g_assert_cmpstr (result->name, ==, "bills_to_dw");
  g_assert_cmpuint (result->n_steps, ==, 7);
  g_assert_cmpuint (result->unmapped->len, ==, 0);
  g_assert_cmpuint (result->connections->len, ==, 1);
  connection = g_ptr_array_index (result->connections, 0);
  g_assert_cmpstr (connection->kettle_name, ==, "DW");
  g_assert_cmpstr (connection->name, ==, "warehouse");
  g_assert_true (connection->mapped);
  g_assert_cmpstr (connection->url, ==, "postgresql://etl@dw.example.com:5432/dw");
  g_assert_null (strstr (result->json, "Encrypted"));

  /* positions and origins are kept */
  read = step_of (result, "read_bills");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (read, "position"),
                                               "x"), ==, 96);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (read, "kettle"),
                                                  "type"), ==, "TableInput");
  filter = step_of (result, "valid_bills");
  g_assert_cmpstr (json_object_get_string_member (filter, "condition"), ==,
                   "(\"amount\" > 0) AND (\"status\" <> 'VOID')");
  rejects = step_of (result, "valid_bills_false");
  g_assert_cmpstr (json_object_get_string_member (rejects, "condition"), ==,
                   "NOT ((\"amount\" > 0) AND (\"status\" <> 'VOID'))");

  exec ("CREATE TABLE staging.k_bill (acct_no text, amount numeric, status text,"
        " usage_m3 integer)");
  exec ("INSERT INTO staging.k_bill VALUES ('A1', 10, 'paid', 3), ('A2', 0, 'open', 1),"
        " ('A3', 5, 'VOID', 2), ('A4', 7.5, 'open', 4), ('A5', 3, 'weird', 0)");
  exec ("CREATE TABLE staging.k_bill_out (account text, amount numeric,"
        " total double precision, status_name text, loaded_at timestamptz DEFAULT now())");
  exec ("CREATE TABLE staging.k_bill_rejects (account_id text, amount numeric, status text,"
        " usage integer)");
  run (result);

  g_assert_cmpint (count ("SELECT count(*) FROM staging.k_bill_out"), ==, 3);
  g_assert_cmpint (count ("SELECT count(*) FROM staging.k_bill_out WHERE"
                          " (account, amount, total, status_name) IN"
                          " (('A1', 10, 12.5, 'Paid'), ('A4', 7.5, 10, 'Open'),"
                          "  ('A5', 3, 5.5, 'Unknown'))"), ==, 3);
  g_assert_cmpint (count ("SELECT count(*) FROM staging.k_bill_rejects WHERE"
                          " account_id IN ('A2', 'A3') AND usage IN (1, 2)"), ==, 2);
  g_assert_cmpint (count ("SELECT count(*) FROM staging.k_bill_rejects"), ==, 2);

  /* the table output truncates, as Kettle's did: a second run gives the same rows */
  run (result);
  g_assert_cmpint (count ("SELECT count(*) FROM staging.k_bill_out"), ==, 3);
}

/* ---- lookups.ktr ---- */

static void
test_lookups (void)
{
  g_autoptr(AqKtrImport) result = import ("lookups.ktr");
  g_autoptr(JsonObject) lookup = NULL;
  g_autoptr(JsonObject) root = NULL;
  gboolean noted = FALSE;

  g_assert_cmpuint (result->unmapped->len, ==, 0);
  /* the lookup stream became the lookup's table */
  lookup = step_of (result, "add_district");
  g_assert_cmpstr (json_object_get_string_member (lookup, "table"), ==, "staging.k_account");
  root = aq_test_parse_object (result->json);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "steps")), ==, 6);
  for (guint i = 0; i < result->notes->len; i++)
    noted |= strstr (g_ptr_array_index (result->notes, i), "“Accounts” became the lookup "
                     "table staging.k_account") != NULL;
  g_assert_true (noted);

  exec ("CREATE TABLE staging.k_meter (meter_id text, acct_no text, reading integer)");
  exec ("INSERT INTO staging.k_meter VALUES ('M1', 'A1', 10), ('M1', 'A1', 10),"
        " ('M2', 'A2', 5), ('M3', 'A1', 7), ('M4', 'A3', 1)");
  exec ("CREATE TABLE staging.k_account (acct_no text PRIMARY KEY, district text)");
  exec ("INSERT INTO staging.k_account VALUES ('A1', 'north'), ('A2', 'south'), ('A3', 'south')");
  exec ("CREATE TABLE staging.k_tariff (district text PRIMARY KEY, rate numeric)");
  exec ("INSERT INTO staging.k_tariff VALUES ('north', 2.0), ('south', 3.0)");
  exec ("CREATE TABLE staging.k_district_sum (district text, total_reading bigint,"
        " meters bigint, max_rate numeric)");
  run (result);

  g_assert_cmpint (count ("SELECT count(*) FROM staging.k_district_sum"), ==, 2);
  g_assert_cmpint (count ("SELECT count(*) FROM staging.k_district_sum WHERE"
                          " (district, total_reading, meters, max_rate) IN"
                          " (('north', 17, 2, 2.0), ('south', 6, 2, 3.0))"), ==, 2);
}

/* ---- files.ktr ---- */

static void
test_files (void)
{
  g_autoptr(AqKtrImport) result = import ("files.ktr");
  g_autoptr(JsonObject) csv = NULL;
  g_autoptr(JsonObject) text = NULL;
  g_autoptr(JsonObject) upsert = NULL;
  g_autoptr(JsonObject) root = NULL;
  JsonArray *edges;

  g_assert_cmpuint (result->unmapped->len, ==, 0);
  csv = step_of (result, "read_new_customers");
  g_assert_cmpstr (json_object_get_string_member (csv, "type"), ==, "csv_input");
  text = step_of (result, "read_old_customers");
  g_assert_cmpstr (json_object_get_string_member (text, "delimiter"), ==, ";");
  upsert = step_of (result, "upsert_customers");
  g_assert_cmpstr (json_object_get_string_member (upsert, "mode"), ==, "upsert");
  /* the append's head comes first */
  root = aq_test_parse_object (result->json);
  edges = json_object_get_array_member (root, "edges");
  for (guint i = 0, seen = 0; i < json_array_get_length (edges); i++)
    {
      JsonObject *edge = json_array_get_object_element (edges, i);

      if (!g_str_equal (json_object_get_string_member (edge, "to"), "all_customers"))
        continue;
      g_assert_cmpstr (json_object_get_string_member (edge, "from"), ==,
                       seen++ == 0 ? "read_new_customers" : "read_old_customers");
    }

  exec ("CREATE TABLE staging.k_customer (customer_id text PRIMARY KEY, full_name text,"
        " balance double precision)");
  exec ("INSERT INTO staging.k_customer VALUES ('C1', 'Old name', 0), ('C9', 'Kept', 1)");
  exec ("CREATE TABLE staging.k_customer_count (n bigint, total double precision)");
  run (result);

  g_assert_cmpint (count ("SELECT count(*) FROM staging.k_customer"), ==, 4);
  g_assert_cmpint (count ("SELECT count(*) FROM staging.k_customer WHERE"
                          " (customer_id, full_name, balance) IN (('C1', 'Alice', 10.5),"
                          " ('C2', 'Bob', 3), ('C3', 'Carol', 7), ('C9', 'Kept', 1))"), ==, 4);
  g_assert_cmpint (count ("SELECT count(*) FROM staging.k_customer_count"
                          " WHERE n = 4 AND total = 23.5"), ==, 1);
}

/* ---- unmapped steps, through the CLI ---- */

static void
test_unmapped_cli (void)
{
  g_autofree char *path = fixture ("unmapped.ktr");
  g_autofree char *tmp = g_dir_make_tmp ("aq-ktr-XXXXXX", NULL);
  g_autofree char *out_path = g_build_filename (tmp, "out.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *written = NULL;
  g_autoptr(JsonObject) root = NULL;
  int status = -1;

  out = aq_test_ctl (&status, &err, "pipeline", "import-ktr", path, "-o", out_path,
                     "--connection", "DW=warehouse", NULL);
  g_test_message ("%s", err);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "not mapped: step “Clean names” (ScriptValueMod)"));
  g_assert_nonnull (strstr (err, "not mapped: step “Do nothing” (Dummy)"));
  g_assert_nonnull (strstr (err, "2 steps cannot be mapped"));
  g_assert_nonnull (strstr (err, "connection “Legacy” (ORACLE) stays a named connection "
                                 "“legacy”"));
  g_assert_nonnull (strstr (err, "Kettle variables"));
  g_assert_false (g_file_test (out_path, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = aq_test_ctl (&status, &err, "pipeline", "import-ktr", path, "-o", out_path,
                     "--connection", "DW=warehouse", "--partial", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (err, "(2 of 4 steps)"));
  g_assert_true (g_file_get_contents (out_path, &written, NULL, NULL));
  root = aq_test_parse_object (written);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "steps")), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_object_get_array_member (root, "steps"),
                                                    0), "connection"), ==, "legacy");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "edges")), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* a bad mapping is a usage error */
  out = aq_test_ctl (&status, &err, "pipeline", "import-ktr", path, "--connection", "DW",
                     NULL);
  g_assert_cmpint (status, ==, 2);
  g_remove (out_path);
  g_rmdir (tmp);
}

/* ---- what is refused ---- */

static void
test_refused (void)
{
  const char *bomb =
    "<?xml version=\"1.0\"?>\n<!DOCTYPE transformation [\n<!ENTITY a \"aaaaaaaaaa\">\n"
    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n]>\n"
    "<transformation><info><name>&b;</name></info></transformation>";
  const char *job = "<?xml version=\"1.0\"?><job><name>j</name></job>";
  g_autoptr(GError) error = NULL;
  g_autoptr(AqKtrImport) empty = NULL;
  g_autofree char *big = g_malloc0 (AQ_KTR_MAX_BYTES + 2);

  g_assert_null (aq_ktr_import_data (bomb, strlen (bomb), NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "DTD"));
  g_clear_error (&error);
  g_assert_null (aq_ktr_import_data (job, strlen (job), NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (aq_ktr_import_data ("<transformation>", 16, NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_clear_error (&error);
  memset (big, ' ', AQ_KTR_MAX_BYTES + 1);
  g_assert_null (aq_ktr_import_data (big, AQ_KTR_MAX_BYTES + 1, NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_clear_error (&error);

  /* a transformation with nothing in it is an empty pipeline, not an error */
  empty = aq_ktr_import_data ("<transformation/>", 17, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->n_steps, ==, 0);
  g_assert_cmpstr (empty->name, ==, "kettle_");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *conninfo = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  aq_core_init ();
  db = aq_test_db_new ("t_ktr_import", TRUE);
  conninfo = aq_test_conninfo ("t_ktr_import");
  {
    const char *env[] = { "AQUEDUCT_DATABASE_URL", conninfo, NULL };

    aq_test_ctl_set_env (env);
  }

  g_test_add_func ("/ktr-import/bills", test_bills);
  g_test_add_func ("/ktr-import/lookups", test_lookups);
  g_test_add_func ("/ktr-import/files", test_files);
  g_test_add_func ("/ktr-import/unmapped-cli", test_unmapped_cli);
  g_test_add_func ("/ktr-import/refused", test_refused);
  ret = g_test_run ();
  g_clear_object (&db);
  return ret;
}
