/* test-datasets.c — the data catalog: lineage checked by hand against the pipeline JSON,
 * pipeline edits changing it, the layer rules, the naming rules, rebuild, search, a table's
 * page and its freshness, against a small demo warehouse */
#include "aq-test-util.h"

#include <string.h>

static AqDb *db;

/* ---- auxiliary methods ---- */

static gboolean
hits_contain (GPtrArray  *hits,
              const char *id)
{
  for (guint i = 0; i < hits->len; i++)
    if (g_str_equal (((AqLineageHit *) g_ptr_array_index (hits, i))->node->id, id))
      return TRUE;
  return FALSE;
}

static guint
hit_depth (GPtrArray  *hits,
           const char *id)
{
  for (guint i = 0; i < hits->len; i++)
    if (g_str_equal (((AqLineageHit *) g_ptr_array_index (hits, i))->node->id, id))
      return ((AqLineageHit *) g_ptr_array_index (hits, i))->depth;
  return 0;
}

static AqLineage *
build (GPtrArray *pipelines)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  AqLineage *lineage = aq_datasets_build_lineage (db, pipelines, problems, NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);
  return lineage;
}

/* The standard pipelines, one of them replaced by @json. */
static GPtrArray *
pipelines_with (const char *name,
                const char *json)
{
  g_auto(GStrv) names = aq_pipeline_list_standard ();
  GPtrArray *pipelines = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; names[i]; i++)
    {
      AqPipeline *pipeline = g_str_equal (names[i], name)
                             ? aq_pipeline_new_from_data (json, -1, NULL, &error)
                             : aq_pipeline_new_standard (names[i], &error);

      g_assert_no_error (error);
      g_ptr_array_add (pipelines, pipeline);
    }
  return pipelines;
}

static char *
standard_json (const char *name)
{
  g_autofree char *path = g_strdup_printf ("/org/aqueduct/Aqueduct/pipelines/%s.json", name);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, NULL);

  g_assert_nonnull (bytes);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static char *
replace (const char *text,
         const char *from,
         const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, -1);

  g_assert_cmpuint (g_strv_length (parts), ==, 2);   /* exactly one occurrence */
  return g_strjoinv (to, parts);
}

/* ---- lineage ---- */

/* dm_profile.json declares arrears_amount from dw.fact_bill.amount/due_date and
 * dw.fact_payment.amount/paid_at; dw_billing.json amount ← ods.billing_bill.amount;
 * dw_payment.json amount ← ods.billing_payment.amount; ods_billing.json copies
 * src_billing.bill_YYYYMM (the monthly family) and src_billing.payment. */
static void
test_lineage_by_hand (void)
{
  g_autoptr(AqLineage) lineage = build (NULL);
  g_autoptr(GPtrArray) up = aq_lineage_walk (lineage, "dm.customer_profile.arrears_amount",
                                             AQ_LINEAGE_UPSTREAM, 0);
  g_autoptr(GPtrArray) near = aq_lineage_walk (lineage, "dm.customer_profile.arrears_amount",
                                               AQ_LINEAGE_UPSTREAM, 1);
  g_autoptr(GPtrArray) mobile = aq_lineage_walk (lineage, "dw.dim_customer.mobile",
                                                 AQ_LINEAGE_UPSTREAM, 0);
  g_autoptr(GPtrArray) type = aq_lineage_walk (lineage, "dw.dim_customer.customer_type",
                                               AQ_LINEAGE_UPSTREAM, 0);
  g_autoptr(GPtrArray) down = aq_lineage_walk (lineage, "src_billing.payment.amount",
                                               AQ_LINEAGE_DOWNSTREAM, 0);

  g_assert_true (hits_contain (up, "dw.fact_bill.amount"));
  g_assert_true (hits_contain (up, "dw.fact_bill.due_date"));
  g_assert_true (hits_contain (up, "dw.fact_payment.amount"));
  g_assert_true (hits_contain (up, "ods.billing_bill.amount"));
  g_assert_true (hits_contain (up, "ods.billing_payment.amount"));
  g_assert_true (hits_contain (up, "src_billing.bill_YYYYMM.amount"));
  g_assert_true (hits_contain (up, "src_billing.payment.amount"));
  g_assert_true (hits_contain (up, "src_billing.payment.pay_time"));   /* paid_at */
  /* through what each bill was paid (dw_payment's settle step) */
  g_assert_cmpuint (hit_depth (up, "dw.fact_bill_open.paid"), ==, 1);
  g_assert_cmpuint (hit_depth (up, "dw.fact_bill.amount"), ==, 2);
  g_assert_cmpuint (hit_depth (up, "ods.billing_bill.amount"), ==, 3);
  g_assert_cmpuint (hit_depth (up, "src_billing.bill_YYYYMM.amount"), ==, 4);
  /* nothing it does not read */
  g_assert_false (hits_contain (up, "dw.fact_bill.qty"));
  g_assert_false (hits_contain (up, "src_billing.customer.cust_name"));
  g_assert_false (hits_contain (up, "dw.fact_call.phone"));
  /* depth 1: the dw columns only */
  for (guint i = 0; i < near->len; i++)
    g_assert_cmpstr (((AqLineageHit *) g_ptr_array_index (near, i))->node->layer, ==, "dw");
  g_assert_cmpuint (near->len, ==, 4);

  /* derived from the step members: calculator (mobile ← mobile_any), select, deduplicate,
   * value_mapping (customer_type ← cust_type) */
  g_assert_true (hits_contain (mobile, "ods.billing_customer.mobile"));
  g_assert_false (hits_contain (mobile, "ods.billing_customer.tel"));
  g_assert_true (hits_contain (mobile, "src_billing.customer.mobile"));
  g_assert_true (hits_contain (type, "ods.billing_customer.cust_type"));
  g_assert_cmpuint (type->len, ==, 2);

  /* impact of a change: everything downstream of a source column */
  g_assert_true (hits_contain (down, "ods.billing_payment.amount"));
  g_assert_true (hits_contain (down, "dw.fact_payment.amount"));
  g_assert_true (hits_contain (down, "dm.customer_profile.arrears_amount"));
  g_assert_true (hits_contain (down, "dm.cube_billing_monthly.paid_amount"));
  g_assert_true (hits_contain (down, "indicator:paid_amount"));
  g_assert_true (hits_contain (down, "indicator:arrears_amount"));
  g_assert_true (hits_contain (down, "report:arrears_by_district"));
  g_assert_false (hits_contain (down, "dm.cube_call_monthly.calls"));
  /* an indicator over the masked view reads its base table: masked.* is no node of its own */
  g_assert_true (hits_contain (down, "indicator:arrears_accounts"));
  g_assert_null (aq_lineage_lookup (lineage, "masked.customer_profile.arrears_amount"));
  g_assert_null (aq_lineage_lookup (lineage, "masked.customer_profile"));

  /* the shipped definitions keep every layer rule */
  {
    g_autoptr(GPtrArray) violations = aq_lineage_check_layers (lineage);

    for (guint i = 0; i < violations->len; i++)
      g_test_message ("%s", ((AqLayerViolation *) g_ptr_array_index (violations, i))->message);
    g_assert_cmpuint (violations->len, ==, 0);
  }
}

static void
test_lineage_pipeline_edit (void)
{
  g_autofree char *profile = standard_json ("dm_profile");
  g_autofree char *customer = standard_json ("dw_customer");
  /* arrears no longer declared from payments (what each bill was paid) */
  g_autofree char *edited = replace (profile,
                                     "\"arrears_amount\": [\n"
                                     "            \"dw.fact_bill_open.amount\",\n"
                                     "            \"dw.fact_bill_open.due_date\",\n"
                                     "            \"dw.fact_bill_open.paid\",",
                                     "\"arrears_amount\": [\n"
                                     "            \"dw.fact_bill_open.amount\",\n"
                                     "            \"dw.fact_bill_open.due_date\",");
  /* the calculator's mobile now computed from the landline (no declaration involved) */
  g_autofree char *calc = replace (customer, "CASE WHEN mobile_any LIKE '1%' THEN mobile_any END",
                                   "CASE WHEN landline_any LIKE '1%' THEN landline_any END");
  g_autoptr(GPtrArray) p1 = pipelines_with ("dm_profile", edited);
  g_autoptr(GPtrArray) p2 = pipelines_with ("dw_customer", calc);
  g_autoptr(AqLineage) before = build (NULL);
  g_autoptr(AqLineage) after = build (p1);
  g_autoptr(AqLineage) after_calc = build (p2);
  g_autoptr(GPtrArray) up_before = aq_lineage_walk (before, "dm.customer_profile.arrears_amount",
                                                    AQ_LINEAGE_UPSTREAM, 0);
  g_autoptr(GPtrArray) up_after = aq_lineage_walk (after, "dm.customer_profile.arrears_amount",
                                                   AQ_LINEAGE_UPSTREAM, 0);
  g_autoptr(GPtrArray) mobile = aq_lineage_walk (after_calc, "dw.dim_customer.mobile",
                                                 AQ_LINEAGE_UPSTREAM, 0);
  g_autoptr(GError) error = NULL;
  AqDatasetsBuild stats = { 0 };

  g_assert_true (hits_contain (up_before, "src_billing.payment.amount"));
  g_assert_false (hits_contain (up_after, "dw.fact_payment.amount"));
  g_assert_false (hits_contain (up_after, "src_billing.payment.amount"));
  g_assert_true (hits_contain (up_after, "dw.fact_payment.paid_at"));   /* still declared */
  g_assert_true (hits_contain (up_after, "src_billing.bill_YYYYMM.amount"));
  g_assert_true (hits_contain (mobile, "ods.billing_customer.tel"));
  g_assert_false (hits_contain (mobile, "ods.billing_customer.mobile"));

  /* stored: the rebuilt catalog follows the edit, and the standard one comes back */
  aq_datasets_rebuild (db, p1, &stats, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.dataset_lineage "
                                        "WHERE from_node = 'dw.fact_bill_open.paid' "
                                        "AND to_node = 'dm.customer_profile.arrears_amount'"),
                   ==, 0);
  aq_datasets_rebuild (db, NULL, &stats, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.dataset_lineage "
                                        "WHERE from_node = 'dw.fact_bill_open.paid' "
                                        "AND to_node = 'dm.customer_profile.arrears_amount' "
                                        "AND via_name = 'dm_profile'"), ==, 1);
  g_assert_cmpuint (stats.problems, ==, 0);
  g_assert_cmpuint (stats.edges, ==, aq_test_query_int64 (db, "SELECT count(*) FROM "
                                                          "meta.dataset_lineage"));
}

/* A table input whose declaration names a column that does not exist, and a table input
 * without any: problems, never guesses. */
static void
test_lineage_problems (void)
{
  g_autofree char *billing = standard_json ("dw_billing");
  g_autofree char *wrong = replace (billing, "\"amount\": \"amount\"", "\"amount\": \"amnt\"");
  g_autoptr(GPtrArray) pipelines = pipelines_with ("dw_billing", wrong);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqLineage) lineage = aq_datasets_build_lineage (db, pipelines, problems, NULL, &error);
  g_autoptr(AqLineage) bare = aq_lineage_new ();
  g_autoptr(AqPipeline) undeclared = NULL;
  g_autoptr(GPtrArray) bare_problems = g_ptr_array_new_with_free_func (g_free);
  gboolean named = FALSE;

  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    named = named || strstr (g_ptr_array_index (problems, i), "ods.billing_bill.amnt") != NULL;
  g_assert_true (named);

  undeclared = aq_pipeline_new_from_data ("{\"name\": \"x\", \"steps\": ["
                                          "{\"id\": \"in\", \"type\": \"table_input\", "
                                          "\"sql\": \"SELECT 1 AS a\"},"
                                          "{\"id\": \"out\", \"type\": \"table_output\", "
                                          "\"table\": \"dw.x\"}],"
                                          "\"edges\": [{\"from\": \"in\", \"to\": \"out\"}]}",
                                          -1, NULL, &error);
  g_assert_no_error (error);
  aq_lineage_add_pipeline (bare, undeclared, NULL, NULL, bare_problems);
  g_assert_cmpuint (bare_problems->len, ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (bare_problems, 0), "without a “lineage”"));
  g_assert_cmpuint (aq_lineage_get_edges (bare)->len, ==, 0);
}

/* ---- layer rules ---- */

static void
test_layers_report_reads_ods (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AqLineage) lineage = NULL;
  g_autoptr(GPtrArray) violations = NULL;
  g_autoptr(AqLineage) model = aq_lineage_new ();
  g_autoptr(AqPipeline) bad_dm = NULL;
  g_autoptr(GPtrArray) model_violations = NULL;
  gboolean report = FALSE, indicator = FALSE;

  /* an indicator over ods and a report showing it, inside a transaction rolled back after */
  g_assert_true (aq_db_begin (db, &error));
  g_assert_true (aq_db_exec (db,
                             "INSERT INTO meta.catalog_source (id, definition) VALUES ('raw_bill', "
                             "'{\"id\": \"raw_bill\", \"from\": \"ods.billing_bill b\", "
                             "\"grain\": \"raw\", \"dimensions\": {}}');"
                             "INSERT INTO meta.indicator (id, name_zh, name_en, category, "
                             "  source_id, aggregation, format, definition) "
                             "VALUES ('raw_amount', '原始金额', 'Raw amount', '计费/金额', "
                             "  'raw_bill', 'sum', '#,##0', "
                             "'{\"id\": \"raw_amount\", \"name_zh\": \"原始金额\", "
                             "\"name_en\": \"Raw amount\", \"category\": \"计费/金额\", "
                             "\"source\": \"raw_bill\", \"aggregation\": \"sum\", "
                             "\"format\": \"#,##0\", \"unit\": \"元\", \"expr\": \"b.amount\"}');"
                             "INSERT INTO meta.report (name, title, kind, definition, author) "
                             "VALUES ('raw_report', 'Raw', 'pivot', "
                             "'{\"name\": \"raw_report\", \"kind\": \"pivot\", "
                             "\"values\": [\"raw_amount\"]}', 'test')", &error));
  g_assert_no_error (error);
  lineage = aq_datasets_build_lineage (db, NULL, problems, NULL, &error);
  aq_db_rollback (db);
  g_assert_no_error (error);

  violations = aq_lineage_check_layers (lineage);
  for (guint i = 0; i < violations->len; i++)
    {
      AqLayerViolation *v = g_ptr_array_index (violations, i);

      g_test_message ("%s", v->message);
      g_assert_cmpstr (v->rule, ==, "consumer-reads-raw");
      g_assert_cmpstr (v->from, ==, "ods.billing_bill");
      indicator = indicator || g_str_equal (v->to, "indicator:raw_amount");
      report = report || g_str_equal (v->to, "report:raw_report");
    }
  g_assert_true (indicator);
  g_assert_true (report);
  g_assert_cmpuint (violations->len, ==, 2);

  /* a dm pipeline reading ods */
  bad_dm = aq_pipeline_new_from_data ("{\"name\": \"dm_bad\", \"steps\": ["
                                      "{\"id\": \"in\", \"type\": \"table_input\", "
                                      "\"sql\": \"SELECT amount FROM ods.billing_bill\", "
                                      "\"lineage\": {\"from\": \"ods.billing_bill\", "
                                      "\"columns\": {\"amount\": \"amount\"}}},"
                                      "{\"id\": \"out\", \"type\": \"table_output\", "
                                      "\"table\": \"dm.bad\"}],"
                                      "\"edges\": [{\"from\": \"in\", \"to\": \"out\"}]}",
                                      -1, NULL, &error);
  g_assert_no_error (error);
  aq_lineage_add_pipeline (model, bad_dm, NULL, NULL, NULL);
  model_violations = aq_lineage_check_layers (model);
  g_assert_cmpuint (model_violations->len, ==, 1);
  g_assert_cmpstr (((AqLayerViolation *) g_ptr_array_index (model_violations, 0))->rule, ==,
                   "dm-reads-dw-only");
  g_assert_cmpstr (((AqLayerViolation *) g_ptr_array_index (model_violations, 0))->via, ==,
                   "pipeline dm_bad");
}

/* ---- naming ---- */

static AqNamingViolation *
find_violation (GPtrArray  *violations,
                const char *object,
                const char *rule)
{
  for (guint i = 0; i < violations->len; i++)
    {
      AqNamingViolation *v = g_ptr_array_index (violations, i);

      if (g_str_equal (v->object, object) && g_str_equal (v->rule, rule))
        return v;
    }
  return NULL;
}

static void
test_naming_lint (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) shipped = aq_naming_lint (db, NULL, NULL, &error);
  g_autoptr(GPtrArray) broken = NULL;
  guint excepted = 0;
  AqNamingViolation *v;

  g_assert_no_error (error);
  /* the shipped schema passes: whatever breaks a rule is declared with a reason */
  for (guint i = 0; i < shipped->len; i++)
    {
      v = g_ptr_array_index (shipped, i);
      if (v->exception == NULL)
        g_test_message ("%s", v->message);
      g_assert_nonnull (v->exception);
      excepted++;
    }
  g_assert_cmpuint (excepted, ==, 19);

  /* a table made to break each rule */
  g_assert_true (aq_db_begin (db, &error));
  g_assert_true (aq_db_exec (db,
                             "CREATE TABLE dw.widget (active boolean, \"StartDay\" date, "
                             "  created timestamp, opened date, total_amount text, "
                             "  owner_name integer, is_big integer, price_id numeric(8,2), "
                             "  load_time timestamptz);"
                             "CREATE TABLE dm.cube_widget (n integer);"
                             "CREATE TABLE ods.widget (n integer);"
                             "CREATE TABLE dw.\"FactThing\" (n integer)", &error));
  g_assert_no_error (error);
  broken = aq_naming_lint (db, NULL, NULL, &error);
  aq_db_rollback (db);
  g_assert_no_error (error);

  v = find_violation (broken, "dw.widget", "layer-prefix");
  g_assert_nonnull (v);
  g_assert_cmpstr (v->suggestion, ==, "fact_widget");
  g_assert_nonnull (find_violation (broken, "dm.cube_widget", "subject-area"));
  g_assert_nonnull (find_violation (broken, "ods.widget", "layer-prefix"));
  v = find_violation (broken, "dw.FactThing", "snake-case");
  g_assert_cmpstr (v->suggestion, ==, "fact_thing");
  v = find_violation (broken, "dw.widget.active", "boolean-prefix");
  g_assert_cmpstr (v->suggestion, ==, "is_active");
  v = find_violation (broken, "dw.widget.StartDay", "snake-case");
  g_assert_cmpstr (v->suggestion, ==, "start_day");
  v = find_violation (broken, "dw.widget.created", "timestamp-suffix");
  g_assert_cmpstr (v->suggestion, ==, "created_at");
  v = find_violation (broken, "dw.widget.load_time", "timestamp-suffix");
  g_assert_cmpstr (v->suggestion, ==, "load_at");
  v = find_violation (broken, "dw.widget.opened", "date-suffix");
  g_assert_cmpstr (v->suggestion, ==, "opened_date");
  g_assert_nonnull (find_violation (broken, "dw.widget.total_amount", "suffix-type"));
  g_assert_nonnull (find_violation (broken, "dw.widget.owner_name", "suffix-type"));
  g_assert_nonnull (find_violation (broken, "dw.widget.is_big", "suffix-type"));
  g_assert_nonnull (find_violation (broken, "dw.widget.price_id", "suffix-type"));
  g_assert_cmpuint (broken->len, ==, shipped->len + 13);
}

static void
test_naming_exceptions_need_reason (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) none = aq_naming_lint (db, "[{\"object\": \"dw.contact\", "
                                              "\"rule\": \"layer-prefix\"}]", NULL, &error);

  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_assert_null (none);
}

/* ---- the stored catalog ---- */

static void
test_rebuild_search_and_page (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) zh = NULL;
  g_autoptr(AqDatasetTable) table = NULL;
  g_autoptr(GDateTime) loaded = NULL;
  gboolean rebuilt = TRUE;
  AqDatasetColumn *name = NULL;
  gboolean upstream_bill = FALSE, indicator_use = FALSE;
  gint64 run_id;

  aq_datasets_ensure_built (db, &rebuilt, NULL, &error);
  g_assert_no_error (error);
  aq_datasets_ensure_built (db, &rebuilt, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (rebuilt);   /* nothing changed since */

  hits = aq_datasets_search (db, "fact_bill", 10, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, >, 1);
  g_assert_cmpstr (((AqDatasetHit *) g_ptr_array_index (hits, 0))->key, ==, "dw.fact_bill");

  zh = aq_datasets_search (db, "欠费", 50, NULL, &error);
  g_assert_no_error (error);
  {
    gboolean indicator = FALSE, profile = FALSE;

    for (guint i = 0; i < zh->len; i++)
      {
        AqDatasetHit *hit = g_ptr_array_index (zh, i);

        indicator = indicator || g_str_equal (hit->key, "indicator:arrears_amount");
        profile = profile || g_str_equal (hit->key, "dm.customer_profile.arrears_amount");
      }
    g_assert_true (indicator);
    g_assert_true (profile);
  }

  table = aq_datasets_load_table (db, "dm.customer_profile", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (table->columns->len, ==,
                    aq_test_query_int64 (db, "SELECT count(*) FROM information_schema.columns "
                                         "WHERE table_schema = 'dm' "
                                         "AND table_name = 'customer_profile'"));
  g_assert_cmpstr (table->layer, ==, "dm");
  g_assert_cmpstr (table->subject, ==, "customer");
  g_assert_cmpstr (table->written_by, ==, "dm_profile");
  g_assert_cmpstr (table->owner, ==, "Data center");
  g_assert_cmpint (table->size_bytes, >, 0);
  run_id = aq_test_query_int64 (db, "SELECT max(run_id) FROM meta.pipeline_run "
                                "WHERE pipeline = 'dm_profile' AND status = 'succeeded'");
  g_assert_cmpint (table->last_run_id, ==, run_id);
  g_assert_nonnull (table->last_loaded_at);
  g_assert_nonnull (strstr (table->description, "customer 360"));
  for (guint i = 0; i < table->columns->len; i++)
    if (g_str_equal (((AqDatasetColumn *) g_ptr_array_index (table->columns, i))->name, "name"))
      name = g_ptr_array_index (table->columns, i);
  g_assert_nonnull (name);
  g_assert_cmpstr (name->personal_data, ==, "name");
  g_assert_nonnull (name->samples[0]);
  g_assert_nonnull (strchr (name->samples[0], '*'));   /* masked */
  for (guint i = 0; i < table->lineage->len; i++)
    {
      AqDatasetLink *link = g_ptr_array_index (table->lineage, i);

      upstream_bill = upstream_bill || (g_str_equal (link->id, "src_billing.bill_YYYYMM")
                                        && link->distance == -3);
    }
  g_assert_true (upstream_bill);
  for (guint i = 0; i < table->used_by->len; i++)
    indicator_use = indicator_use || g_str_has_prefix (g_ptr_array_index (table->used_by, i),
                                                       "indicator ");
  g_assert_true (indicator_use);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT use_count FROM meta.dataset_table "
                                        "WHERE table_schema = 'dm' "
                                        "AND table_name = 'customer_profile'"), >=, 1);

  /* freshness against the SLA (26 h), at a pinned instant */
  loaded = g_date_time_ref (table->last_loaded_at);
  g_clear_pointer (&table, aq_dataset_table_free);
  {
    g_autoptr(GDateTime) late = g_date_time_add_hours (loaded, 30);
    g_autoptr(GDateTime) fresh = g_date_time_add_hours (loaded, 2);

    aq_clock_pin (late);
    table = aq_datasets_load_table (db, "dm.customer_profile", NULL, &error);
    g_assert_no_error (error);
    g_assert_true (table->late);
    g_clear_pointer (&table, aq_dataset_table_free);
    aq_clock_pin (fresh);
    table = aq_datasets_load_table (db, "dm.customer_profile", NULL, &error);
    g_assert_no_error (error);
    g_assert_false (table->late);
    aq_clock_pin (NULL);
  }

  /* a new table makes the catalog stale */
  g_assert_true (aq_db_exec (db, "CREATE TABLE dw.fact_widget (widget_id integer)", &error));
  aq_datasets_ensure_built (db, &rebuilt, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (rebuilt);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.dataset_search "
                                        "WHERE key = 'dw.fact_widget.widget_id'"), ==, 1);
  g_assert_true (aq_db_exec (db, "DROP TABLE dw.fact_widget", &error));

  g_clear_pointer (&table, aq_dataset_table_free);
  table = aq_datasets_load_table (db, "dw.no_such", NULL, &error);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
  g_assert_null (table);
}

static void
test_descriptions (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDatasetTable) table = NULL;
  g_autoptr(GPtrArray) hits = NULL;

  aq_datasets_set_description (db, "dw.fact_sms", NULL, "en", "Texts it's sent (edited)",
                               &error);
  g_assert_no_error (error);
  aq_datasets_set_description (db, "dw.fact_sms", "status", "zh_CN", "送达状态", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (aq_test_query_string (db, "SELECT obj_description('dw.fact_sms'::regclass, "
                                         "'pg_class')"), ==, "Texts it's sent (edited)");
  g_assert_cmpstr (aq_test_query_string (db, "SELECT description FROM meta.dataset_text "
                                         "WHERE object = 'dw.fact_sms.status' "
                                         "AND lang = 'zh_CN'"), ==, "送达状态");
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.audit_log "
                                        "WHERE action = 'catalog.describe' "
                                        "AND object = 'dw.fact_sms'"), ==, 1);
  table = aq_datasets_load_table (db, "dw.fact_sms", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (table->description, ==, "Texts it's sent (edited)");
  aq_datasets_ensure_built (db, NULL, NULL, &error);
  hits = aq_datasets_search (db, "送达状态", 5, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, >=, 1);
  g_assert_cmpstr (((AqDatasetHit *) g_ptr_array_index (hits, 0))->key, ==, "dw.fact_sms.status");

  aq_datasets_set_description (db, "dw.no_such", NULL, "en", "x", &error);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_QUERY);
}

/* The table page's quality score and failing rules, from the stored quality results: the same
 * score the Data Quality panel gives the table, and the failing rules SQL finds. */
static void
test_table_quality (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDatasetTable) table = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) rules = g_ptr_array_new ();
  g_autoptr(AqQualityRun) run = NULL;
  g_autoptr(AqQualityDashboard) dash = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *quality;
  AqQualityScore *score = NULL;
  gint64 failing;

  /* never checked: no score */
  table = aq_datasets_load_table (db, "dw.fact_bill", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (table->quality_rules, ==, 0);
  g_assert_cmpuint (table->quality_failing->len, ==, 0);
  g_clear_pointer (&table, aq_dataset_table_free);

  g_assert_true (aq_quality_sync_standard (db, &error));
  all = aq_quality_list_rules (db, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    {
      AqQualityRule *rule = g_ptr_array_index (all, i);

      if (g_str_equal (rule->layer, "dw")
          && (g_str_equal (rule->table, "fact_bill") || g_str_equal (rule->table, "dim_account")))
        g_ptr_array_add (rules, rule);
    }
  g_assert_cmpuint (rules->len, >, 10);
  run = aq_quality_run_rules (db, rules, "t.catalog", NULL, NULL, &error);
  g_assert_no_error (error);

  table = aq_datasets_load_table (db, "dw.dim_account", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (table->quality_rules, ==,
                    aq_test_query_int64 (db, "SELECT count(*) FROM meta.quality_result WHERE "
                                         "layer = 'dw' AND table_name = 'dim_account' "
                                         "AND status <> 'error'"));
  g_assert_cmpint (table->quality_checked, ==,
                   aq_test_query_int64 (db, "SELECT sum(checked_rows) FROM meta.quality_result "
                                        "WHERE layer = 'dw' AND table_name = 'dim_account' "
                                        "AND status <> 'error'"));
  failing = aq_test_query_int64 (db, "SELECT count(*) FROM meta.quality_result WHERE "
                                 "layer = 'dw' AND table_name = 'dim_account' "
                                 "AND status IN ('fail', 'warn')");
  /* the simulator plants demolished premises with active accounts */
  g_assert_cmpint (failing, >, 0);
  g_assert_cmpuint (table->quality_failing->len, ==, failing);
  {
    gboolean demolished = FALSE;

    for (guint i = 0; i < table->quality_failing->len; i++)
      {
        AqDatasetQualityRule *rule = g_ptr_array_index (table->quality_failing, i);

        g_assert_true (g_str_equal (rule->status, "fail") || g_str_equal (rule->status, "warn"));
        g_assert_cmpint (rule->failing, >, 0);
        if (g_str_equal (rule->rule_name, "dw.dim_account.demolished_active"))
          {
            demolished = TRUE;
            g_assert_cmpint (rule->failing, ==,
                             aq_test_query_int64 (db, "SELECT count(*) FROM src_truth.anomaly "
                                                  "WHERE kind = 'demolished_active'"));
          }
      }
    g_assert_true (demolished);
  }

  /* the same score as the Data Quality panel's for the table */
  dash = aq_quality_dashboard_load (db, 10, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < dash->scores->len; i++)
    {
      AqQualityScore *s = g_ptr_array_index (dash->scores, i);

      if (g_str_equal (s->kind, "table") && g_str_equal (s->name, "dw.dim_account"))
        score = s;
    }
  g_assert_nonnull (score);
  g_assert_cmpfloat_with_epsilon (table->quality_score, score->score, 1e-9);
  g_assert_cmpfloat (table->quality_score, <, 100.0);

  node = aq_dataset_table_to_json (table);
  quality = json_object_get_object_member (json_node_get_object (node), "quality");
  g_assert_nonnull (quality);
  g_assert_cmpint (json_object_get_int_member (quality, "rules"), ==, table->quality_rules);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (quality, "failing")),
                    ==, failing);

  /* the other table checked in the run has its own score */
  g_clear_pointer (&table, aq_dataset_table_free);
  table = aq_datasets_load_table (db, "dw.fact_bill", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (table->quality_rules, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  g_test_init (&argc, &argv, NULL);
  aq_core_init ();
  g_setenv ("LANGUAGE", "en", TRUE);
  db = aq_test_demo_db_new ("t_datasets", 300, 13);

  g_test_add_func ("/datasets/lineage/by-hand", test_lineage_by_hand);
  g_test_add_func ("/datasets/lineage/pipeline-edit", test_lineage_pipeline_edit);
  g_test_add_func ("/datasets/lineage/problems", test_lineage_problems);
  g_test_add_func ("/datasets/layers/report-reads-ods", test_layers_report_reads_ods);
  g_test_add_func ("/datasets/naming/lint", test_naming_lint);
  g_test_add_func ("/datasets/naming/exceptions-need-reason", test_naming_exceptions_need_reason);
  g_test_add_func ("/datasets/catalog/rebuild-search-page", test_rebuild_search_and_page);
  g_test_add_func ("/datasets/catalog/descriptions", test_descriptions);
  g_test_add_func ("/datasets/catalog/table-quality", test_table_quality);

  result = g_test_run ();
  g_clear_object (&db);
  return result;
}
