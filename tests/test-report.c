/* test-report.c — the indicator catalog and the report compiler on a small real demo
 * warehouse: spec → SQL → result against independent SQL for totals, subtotals, ratios,
 * filters, parameters and calculations; the zero-consumption list against the simulator's
 * planted ground truth; validation errors that name the field; paging, streaming, the store
 * and drill-down. */
#include "aq-test-util.h"
#include "aq-report-period.h"

#include <math.h>
#include <string.h>

static AqDb *db;
static AqCatalog *catalog;
static char *first_month;   /* "YYYY-MM" of the warehouse's first and last billing month */
static char *last_month;

/* The shared asserting helper, on this test's warehouse. */
#define text1(sql, param) aq_test_text1 (db, sql, param)

static double
num1 (const char *sql,
      const char *param)
{
  g_autofree char *value = text1 (sql, param);

  return value ? g_ascii_strtod (value, NULL) : NAN;
}

static AqReportSpec *
spec_from (const char *json)
{
  g_autoptr(GError) error = NULL;
  AqReportSpec *spec = aq_report_spec_new_from_data (json, -1, &error);

  g_assert_no_error (error);
  return spec;
}

static GHashTable *
params_new (const char *first,
            ...)
{
  GHashTable *params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  va_list args;

  va_start (args, first);
  for (const char *k = first; k; k = va_arg (args, const char *))
    g_hash_table_insert (params, g_strdup (k), g_strdup (va_arg (args, const char *)));
  va_end (args);
  return params;
}

static AqReportResult *
run (AqReportSpec *spec,
     GHashTable   *params)
{
  g_autoptr(GError) error = NULL;
  AqReportResult *result = aq_report_run (db, catalog, spec, params, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

/* The row whose labels for its leading dimensions are @keys (NULL-terminated), with @kind. */
static int
find_row (AqReportResult     *r,
          AqReportRowKind     kind,
          const char * const *keys)
{
  for (guint row = 0; row < aq_report_result_get_n_rows (r); row++)
    {
      gboolean same = aq_report_result_get_row_kind (r, row) == kind;
      guint level = aq_report_result_get_row_level (r, row);

      for (guint d = 0; same && keys[d]; d++)
        same = d < level && g_strcmp0 (aq_report_result_get_row_key (r, row, d), keys[d]) == 0;
      if (same && (keys[0] == NULL || g_strv_length ((char **) keys) == level))
        return row;
    }
  return -1;
}

static double
cell (AqReportResult *r,
      int             row,
      guint           col)
{
  double v = NAN;

  g_assert_cmpint (row, >=, 0);
  if (!aq_report_result_get_cell (r, row, col, &v))
    return NAN;
  return v;
}

static void
assert_close (double a,
              double b)
{
  g_assert_false (isnan (a));
  g_assert_false (isnan (b));
  g_assert_cmpfloat_with_epsilon (a, b, 1e-6 * MAX (1.0, fabs (b)));
}

static void
assert_invalid (AqReportSpec *spec,
                const char   *needle1,
                const char   *needle2)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (aq_report_spec_validate (spec, catalog, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  if (strstr (error->message, needle1) == NULL || (needle2 && !strstr (error->message, needle2)))
    g_error ("“%s” should name “%s”%s%s", error->message, needle1, needle2 ? " and " : "",
             needle2 ? needle2 : "");
}

/* ---- the catalog ---- */

static void
test_catalog (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqCatalog) builtin = aq_catalog_new_builtin (&error);
  static const char *categories[] = { AQ_CATALOG_CATEGORIES, NULL };
  GListModel *inds;
  guint n;
  g_autoptr(GListModel) found = NULL;
  AqDimension *district;

  g_assert_no_error (error);
  inds = aq_catalog_get_indicators (catalog);
  n = g_list_model_get_n_items (inds);
  g_assert_cmpuint (n, >=, 40);
  g_assert_cmpuint (n, ==, g_list_model_get_n_items (aq_catalog_get_indicators (builtin)));
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.indicator"), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AqIndicator) ind = g_list_model_get_item (inds, i);
      g_auto(GStrv) path = g_strsplit (aq_indicator_get_category (ind), "/", 2);

      g_assert_true (g_strv_contains (categories, path[0]));
      g_assert_cmpuint (g_strv_length ((char **) aq_indicator_get_dimensions (ind)), >, 0);
      g_assert_nonnull (strstr (aq_indicator_get_number_format (ind), "0"));
    }
  /* every top category has something in it */
  for (guint c = 0; categories[c]; c++)
    {
      g_autoptr(GListModel) in = aq_catalog_search_indicators (catalog, categories[c]);
      g_assert_cmpuint (g_list_model_get_n_items (in), >, 0);
    }

  found = aq_catalog_search_indicators (catalog, "产销差率");
  g_assert_cmpuint (g_list_model_get_n_items (found), >=, 1);
  g_clear_object (&found);
  found = aq_catalog_search_indicators (catalog, "COLLECTION RATE");
  g_assert_cmpuint (g_list_model_get_n_items (found), >=, 1);
  {
    g_autoptr(AqIndicator) first = g_list_model_get_item (found, 0);
    g_assert_cmpstr (aq_indicator_get_id (first), ==, "collection_rate");
  }

  g_assert_cmpstr (aq_indicator_get_formula (aq_catalog_lookup_indicator (catalog, "collection_rate")),
                   ==, "sum(c.paid_amount) / sum(c.amount) FROM dm.cube_billing_monthly c");
  g_assert_cmpint (aq_indicator_get_aggregation (aq_catalog_lookup_indicator (catalog, "nrw_rate")),
                   ==, AQ_AGGREGATION_RATIO);
  g_assert_true (aq_indicator_is_percent (aq_catalog_lookup_indicator (catalog, "read_rate")));
  g_assert_cmpuint (aq_indicator_get_decimals (aq_catalog_lookup_indicator (catalog, "bill_amount")),
                    ==, 2);
  g_assert_false (aq_indicator_allows_dimension (aq_catalog_lookup_indicator (catalog, "nrw_rate"),
                                                 "channel"));
  district = aq_catalog_lookup_dimension (catalog, "district");
  g_assert_nonnull (aq_dimension_get_members (district));
  g_assert_cmpint (aq_dimension_get_members (district)->len, ==,
                   aq_test_query_int64 (db, "SELECT count(*) FROM dw.dim_district"));
  g_assert_cmpstr (aq_dimension_get_member_label (aq_catalog_lookup_dimension (catalog,
                                                                               "customer_type"),
                                                  "residential"), ==, "居民");
}

/* ---- pivots against independent SQL ---- */

static void
test_pivot_subtotals (void)
{
  g_autofree char *from = g_strdup (first_month);
  g_autoptr(AqReportSpec) spec = spec_from (
    "{\"name\": \"t\", \"rows\": [\"district\", \"customer_type\"],"
    " \"values\": [\"billed_qty\", \"collection_rate\", \"avg_qty_per_account\"],"
    " \"filters\": [{\"dimension\": \"month\", \"op\": \"between\", \"values\": [\"$p\"]}],"
    " \"parameters\": [{\"name\": \"p\", \"type\": \"month_range\", \"label\": \"P\"}]}");
  g_autofree char *range = g_strdup_printf ("%s..%s", first_month, last_month);
  g_autoptr(GHashTable) params = params_new ("p", range, NULL);
  g_autoptr(AqReportResult) r = run (spec, params);
  g_autoptr(AqDb) unused = NULL;
  g_autofree char *where = g_strdup_printf ("period BETWEEN '%s-01' AND '%s-01'", first_month,
                                            last_month);
  g_autofree char *sql = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GError) error = NULL;
  guint details = 0;
  double mean_of_rates = 0;
  int n_d = 0;

  g_assert_cmpuint (aq_report_result_get_n_row_dims (r), ==, 2);
  g_assert_cmpuint (aq_report_result_get_n_header_levels (r), ==, 1);
  g_assert_cmpuint (aq_report_result_get_n_columns (r), ==, 3);
  g_assert_cmpstr (aq_report_result_get_column_format (r, 1), ==, "0.0%");

  /* every detail cell */
  sql = g_strdup_printf ("SELECT district_code, customer_type, sum(billed_qty),"
                         " sum(paid_amount) / nullif(sum(amount), 0),"
                         " sum(billed_qty)::numeric / nullif(sum(accounts), 0)"
                         " FROM dm.cube_billing_monthly WHERE %s GROUP BY 1, 2", where);
  res = aq_db_query (db, sql, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (PQntuples (res), >, 4);
  for (int i = 0; i < PQntuples (res); i++)
    {
      const char *keys[] = { PQgetvalue (res, i, 0), PQgetvalue (res, i, 1), NULL };
      int row = find_row (r, AQ_REPORT_ROW_DETAIL, keys);

      g_assert_cmpint (row, >=, 0);
      assert_close (cell (r, row, 0), g_ascii_strtod (PQgetvalue (res, i, 2), NULL));
      if (!PQgetisnull (res, i, 3))
        assert_close (cell (r, row, 1), g_ascii_strtod (PQgetvalue (res, i, 3), NULL));
      assert_close (cell (r, row, 2), g_ascii_strtod (PQgetvalue (res, i, 4), NULL));
      details++;
    }
  for (guint row = 0; row < aq_report_result_get_n_rows (r); row++)
    if (aq_report_result_get_row_kind (r, row) == AQ_REPORT_ROW_DETAIL)
      details--;
  g_assert_cmpuint (details, ==, 0);

  /* each district's subtotal: sums summed, the rate recomputed from its parts */
  g_clear_pointer (&sql, g_free);
  g_clear_pointer (&res, PQclear);
  sql = g_strdup_printf ("SELECT district_code, sum(billed_qty),"
                         " sum(paid_amount) / sum(amount), sum(billed_qty)::numeric / sum(accounts)"
                         " FROM dm.cube_billing_monthly WHERE %s GROUP BY 1", where);
  res = aq_db_query (db, sql, 0, NULL, &error);
  g_assert_no_error (error);
  for (int i = 0; i < PQntuples (res); i++)
    {
      const char *keys[] = { PQgetvalue (res, i, 0), NULL };
      int row = find_row (r, AQ_REPORT_ROW_SUBTOTAL, keys);

      g_assert_cmpint (row, >=, 0);
      g_assert_cmpuint (aq_report_result_get_row_level (r, row), ==, 1);
      g_assert_null (aq_report_result_get_row_label (r, row, 1));
      assert_close (cell (r, row, 0), g_ascii_strtod (PQgetvalue (res, i, 1), NULL));
      assert_close (cell (r, row, 1), g_ascii_strtod (PQgetvalue (res, i, 2), NULL));
      assert_close (cell (r, row, 2), g_ascii_strtod (PQgetvalue (res, i, 3), NULL));
      /* the subtotal row comes after its details */
      g_assert_cmpint (row, >, 0);
      g_assert_cmpstr (aq_report_result_get_row_key (r, row - 1, 0), ==, keys[0]);
      g_assert_cmpint (aq_report_result_get_row_kind (r, row - 1), ==, AQ_REPORT_ROW_DETAIL);
    }

  /* the grand total, last; its rate is Σpaid / Σamount, not a mean of rates */
  {
    guint last = aq_report_result_get_n_rows (r) - 1;
    g_autofree char *tq = g_strdup_printf ("SELECT sum(billed_qty) FROM dm.cube_billing_monthly"
                                           " WHERE %s", where);
    g_autofree char *rq = g_strdup_printf ("SELECT sum(paid_amount) / sum(amount) FROM"
                                           " dm.cube_billing_monthly WHERE %s", where);

    g_assert_cmpint (aq_report_result_get_row_kind (r, last), ==, AQ_REPORT_ROW_TOTAL);
    g_assert_cmpuint (aq_report_result_get_row_level (r, last), ==, 0);
    assert_close (cell (r, last, 0), num1 (tq, NULL));
    assert_close (cell (r, last, 1), num1 (rq, NULL));
    for (guint row = 0; row < last; row++)
      if (aq_report_result_get_row_kind (r, row) == AQ_REPORT_ROW_DETAIL)
        {
          mean_of_rates += cell (r, row, 1);
          n_d++;
        }
    g_assert_cmpfloat (fabs (mean_of_rates / n_d - cell (r, last, 1)), >, 1e-6);
    g_assert_cmpstr (aq_report_result_get_parameter_lines (r)[0], !=, NULL);
    g_assert_nonnull (strstr (aq_report_result_get_parameter_lines (r)[0], from));
  }
  g_assert_nonnull (strstr (aq_report_result_get_sql (r), "GROUPING SETS"));
}

/* a level with one member only: no subtotal repeating that member's row */
static void
test_pivot_one_child (void)
{
  g_autoptr(AqReportSpec) spec = spec_from (
    "{\"rows\": [\"district\", \"customer_type\"], \"values\": [\"billed_qty\"],"
    " \"filters\": [{\"dimension\": \"customer_type\", \"op\": \"in\","
    " \"values\": [\"residential\"]}]}");
  g_autoptr(AqReportResult) r = run (spec, NULL);
  gint64 districts = aq_test_query_int64 (db, "SELECT count(DISTINCT district_code) FROM"
                                              " dm.cube_billing_monthly WHERE"
                                              " customer_type = 'residential'");
  guint n = aq_report_result_get_n_rows (r), details = 0, subtotals = 0;

  g_assert_cmpint (districts, >, 1);
  for (guint row = 0; row < n; row++)
    if (aq_report_result_get_row_kind (r, row) == AQ_REPORT_ROW_DETAIL)
      details++;
    else if (aq_report_result_get_row_kind (r, row) == AQ_REPORT_ROW_SUBTOTAL)
      subtotals++;
  g_assert_cmpuint (details, ==, districts);
  g_assert_cmpuint (subtotals, ==, 0);
  g_assert_cmpint (aq_report_result_get_row_kind (r, n - 1), ==, AQ_REPORT_ROW_TOTAL);
  assert_close (cell (r, n - 1, 0),
                num1 ("SELECT sum(billed_qty) FROM dm.cube_billing_monthly"
                      " WHERE customer_type = $1", "residential"));
}

static void
test_pivot_columns (void)
{
  /* two column levels: month subtotals per customer type, a total column */
  g_autoptr(AqReportSpec) spec = spec_from (
    "{\"rows\": [\"district\"], \"columns\": [\"customer_type\", \"month\"],"
    " \"values\": [\"reads_done\", \"read_rate\"],"
    " \"filters\": [{\"dimension\": \"month\", \"op\": \"between\", \"values\": [\"$p.from\", \"$p.to\"]}],"
    " \"parameters\": [{\"name\": \"p\", \"type\": \"month_range\", \"label\": \"P\", \"default\": \"@last12\"}]}");
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(AqReportResult) r = NULL;
  g_autofree char *to = g_strdup (last_month);
  g_autofree char *from = NULL;
  int y, m;
  guint n_total = 0, n_sub = 0;
  int any_district_row;
  const char *keys[] = { NULL, NULL };

  sscanf (last_month, "%d-%d", &y, &m);
  m -= 1;
  if (m == 0)
    m = 12, y--;
  from = g_strdup_printf ("%04d-%02d", y, m);
  {
    g_autofree char *range = g_strdup_printf ("%s..%s", from, to);
    params = params_new ("p", range, NULL);
  }
  r = run (spec, params);
  g_assert_cmpuint (aq_report_result_get_n_header_levels (r), ==, 3);
  for (guint c = 0; c < aq_report_result_get_n_columns (r); c++)
    {
      AqReportColumnKind kind = aq_report_result_get_column_kind (r, c);
      if (kind == AQ_REPORT_COLUMN_TOTAL)
        {
          n_total++;
          g_assert_nonnull (aq_report_result_get_column_header (r, c, 0));
          g_assert_null (aq_report_result_get_column_header (r, c, 1));
          g_assert_null (aq_report_result_get_column_key (r, c, 0));
        }
      else if (kind == AQ_REPORT_COLUMN_SUBTOTAL)
        {
          n_sub++;
          g_assert_nonnull (aq_report_result_get_column_key (r, c, 0));
          g_assert_null (aq_report_result_get_column_key (r, c, 1));
        }
      else
        g_assert_nonnull (aq_report_result_get_column_key (r, c, 1));
      g_assert_nonnull (aq_report_result_get_column_header (r, c, 2));
    }
  g_assert_cmpuint (n_total, ==, 2);      /* one per value */
  g_assert_cmpuint (n_sub % 2, ==, 0);
  g_assert_cmpuint (n_sub, >=, 4);

  /* a district's residential subtotal column = its two months; the rate recomputed */
  keys[0] = text1 ("SELECT min(district_code) FROM dm.cube_billing_monthly", NULL);
  any_district_row = find_row (r, AQ_REPORT_ROW_DETAIL, keys);
  for (guint c = 0; c < aq_report_result_get_n_columns (r); c++)
    if (aq_report_result_get_column_kind (r, c) == AQ_REPORT_COLUMN_SUBTOTAL
        && g_strcmp0 (aq_report_result_get_column_key (r, c, 0), "residential") == 0)
      {
        g_autofree char *sql = g_strdup_printf (
          aq_report_result_get_column_value_index (r, c) == 0
          ? "SELECT sum(reads_done) FROM dm.cube_billing_monthly WHERE district_code = $1"
            " AND customer_type = 'residential' AND period BETWEEN '%s-01' AND '%s-01'"
          : "SELECT sum(reads_done)::numeric / sum(reads_expected) FROM dm.cube_billing_monthly"
            " WHERE district_code = $1 AND customer_type = 'residential'"
            " AND period BETWEEN '%s-01' AND '%s-01'", from, to);
        assert_close (cell (r, any_district_row, c), num1 (sql, keys[0]));
      }
  g_free ((char *) keys[0]);
}

static void
test_calculations (void)
{
  g_autoptr(AqReportSpec) spec = spec_from (
    "{\"rows\": [\"month\"], \"values\": [\"billed_qty\", {\"id\": \"billed_qty\", \"calc\": \"mom\"},"
    " {\"id\": \"billed_qty\", \"calc\": \"yoy\"}, {\"id\": \"billed_qty\", \"calc\": \"share_of_total\"},"
    " {\"id\": \"billed_qty\", \"calc\": \"rank\"}],"
    " \"filters\": [{\"dimension\": \"month\", \"op\": \"between\", \"values\": [\"$p\"]}],"
    " \"parameters\": [{\"name\": \"p\", \"type\": \"month_range\", \"label\": \"P\", \"default\": \"@last12\"}],"
    " \"formats\": [{\"value\": 1, \"op\": \"<\", \"threshold\": 0, \"color\": \"#ff0000\"}]}");
  g_autoptr(AqReportResult) r = run (spec, NULL);
  guint n = aq_report_result_get_n_rows (r);
  double share = 0;
  gboolean saw_rank1 = FALSE, saw_yoy = FALSE;

  g_assert_cmpuint (n, ==, 13);   /* 12 months and the total */
  for (guint row = 0; row + 1 < n; row++)
    {
      const char *month = aq_report_result_get_row_key (r, row, 0);
      double mom, yoy;
      g_autofree char *prev = text1 ("SELECT sum(billed_qty) FROM dm.cube_billing_monthly"
                                     " WHERE period = $1::date - interval '1 month'", month);
      g_autofree char *ly = text1 ("SELECT sum(billed_qty) FROM dm.cube_billing_monthly"
                                   " WHERE period = $1::date - interval '12 months'", month);

      /* the first month's previous month lies outside the filter and still counts */
      if (prev)
        {
          assert_close (cell (r, row, 1), cell (r, row, 0) / g_ascii_strtod (prev, NULL) - 1);
          mom = cell (r, row, 1);
          g_assert_cmpstr (aq_report_result_get_cell_color (r, row, 1), ==,
                           mom < 0 ? "#ff0000" : NULL);
        }
      else
        g_assert_false (aq_report_result_get_cell (r, row, 1, NULL));
      if (ly)
        {
          yoy = cell (r, row, 2);
          assert_close (yoy, cell (r, row, 0) / g_ascii_strtod (ly, NULL) - 1);
          saw_yoy = TRUE;
        }
      share += cell (r, row, 3);
      saw_rank1 |= cell (r, row, 4) == 1;
      g_assert_cmpfloat (cell (r, row, 4), >=, 1);
      g_assert_cmpfloat (cell (r, row, 4), <=, 12);
    }
  assert_close (share, 1.0);
  g_assert_true (saw_rank1);
  /* the total row is not ranked with the months it sums */
  g_assert_cmpint (aq_report_result_get_row_kind (r, n - 1), ==, AQ_REPORT_ROW_TOTAL);
  g_assert_false (aq_report_result_get_cell (r, n - 1, 4, NULL));
  g_assert_true (saw_yoy || g_strcmp0 (first_month, last_month) != 0);
  g_assert_cmpstr (aq_report_result_get_column_format (r, 1), ==, "0.0%");
  g_assert_cmpstr (aq_report_result_get_column_format (r, 4), ==, "0");
}

static void
test_filters_and_params (void)
{
  g_autoptr(AqReportSpec) spec = spec_from (
    "{\"rows\": [\"channel\"], \"values\": [\"payment_amount\", \"payments\"],"
    " \"filters\": [{\"dimension\": \"district\", \"op\": \"in\", \"values\": [\"$d\"]},"
    "               {\"dimension\": \"month\", \"op\": \"in\", \"values\": [\"$m\"]},"
    "               {\"dimension\": \"channel\", \"op\": \"not_in\", \"values\": [\"other\"]}],"
    " \"parameters\": [{\"name\": \"d\", \"type\": \"district\", \"label\": \"D\", \"default\": \"\"},"
    "                  {\"name\": \"m\", \"type\": \"month\", \"label\": \"M\", \"default\": \"@latest\"}],"
    " \"totals\": true}");
  g_autofree char *district = text1 ("SELECT min(district_code) FROM dm.cube_payment_monthly", NULL);
  g_autoptr(GHashTable) params = params_new ("d", district, "m", last_month, NULL);
  g_autoptr(AqReportResult) r = run (spec, params);
  g_autoptr(AqReportResult) all = run (spec, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT sum(amount) FROM dm.cube_payment_monthly"
                                          " WHERE district_code = $1 AND period = '%s-01'"
                                          " AND channel <> 'other'", last_month);
  g_autofree char *sql_all = g_strdup_printf ("SELECT sum(amount) FROM dm.cube_payment_monthly"
                                              " WHERE period = '%s-01' AND channel <> 'other'",
                                              last_month);
  guint last = aq_report_result_get_n_rows (r) - 1;

  assert_close (cell (r, last, 0), num1 (sql, district));
  /* values travel as parameters, never inside the statement */
  g_assert_null (strstr (aq_report_result_get_sql (r), district));
  g_assert_true (g_strv_contains (aq_report_result_get_sql_params (r), district));
  /* an empty optional parameter means every district */
  assert_close (cell (all, aq_report_result_get_n_rows (all) - 1, 0), num1 (sql_all, NULL));
  for (guint row = 0; row < last; row++)
    g_assert_cmpstr (aq_report_result_get_row_key (r, row, 0), !=, "other");
  /* the parameter block shows the district's name */
  {
    const char *label = aq_dimension_get_member_label (aq_catalog_lookup_dimension (catalog,
                                                                                    "district"),
                                                       district);
    g_autofree char *line = g_strdup_printf ("D: %s", label);
    g_assert_cmpstr (aq_report_result_get_parameter_lines (r)[0], ==, line);
  }

  /* a month without data: only the (empty) grand total, still the value columns */
  {
    g_autoptr(GHashTable) none = params_new ("m", "1999-01", NULL);
    g_autoptr(AqReportResult) empty = run (spec, none);
    g_assert_cmpuint (aq_report_result_get_n_rows (empty), ==, 1);
    g_assert_cmpint (aq_report_result_get_row_kind (empty, 0), ==, AQ_REPORT_ROW_TOTAL);
    g_assert_false (aq_report_result_get_cell (empty, 0, 0, NULL));
    g_assert_cmpuint (aq_report_result_get_n_columns (empty), ==, 2);
  }

  /* a period outside the warehouse's months is said, with the months it has; one inside them
   * is not (aq-report-period.c) */
  {
    g_autofree char *first = aq_test_query_string (db, "SELECT to_char(min(period), 'YYYY-MM')"
                                                       " FROM dm.cube_billing_monthly");
    g_autofree char *last = aq_test_query_string (db, "SELECT to_char(max(period), 'YYYY-MM')"
                                                      " FROM dm.cube_billing_monthly");
    g_autofree char *after_text = NULL;
    g_autofree char *before_text = NULL;
    g_autoptr(GHashTable) after = params_new ("m", "2999-01", NULL);
    g_autoptr(GHashTable) before = params_new ("m", "1999-01", NULL);
    g_autoptr(GHashTable) inside = params_new ("m", last, NULL);
    g_autoptr(AqReportResult) after_result = run (spec, after);
    g_autoptr(AqReportResult) before_result = run (spec, before);
    g_autoptr(AqReportResult) inside_result = run (spec, inside);

    after_text = g_strdup_printf ("No data for 2999-01 yet: the warehouse's data ends with %s "
                                  "(it holds %s to %s).", last, first, last);
    before_text = g_strdup_printf ("No data for 1999-01: the warehouse's data begins with %s "
                                   "(it holds %s to %s).", first, first, last);
    g_assert_cmpstr (aq_report_result_get_period_note (after_result), ==, after_text);
    g_assert_cmpstr (aq_report_result_get_period_note (before_result), ==, before_text);
    g_assert_null (aq_report_result_get_period_note (inside_result));
  }

  /* wrong types name the parameter; the values are never pasted into SQL */
  {
    g_autoptr(GHashTable) bad = params_new ("m", "2024-13", NULL);
    g_autoptr(AqReportResult) none = aq_report_run (db, catalog, spec, bad, NULL, &error);
    g_assert_null (none);
    g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "“m”"));
    g_clear_error (&error);
  }
  {
    g_autoptr(GHashTable) bad = params_new ("d", "x'); DROP TABLE meta.report; --", NULL);
    g_autoptr(AqReportResult) none = aq_report_run (db, catalog, spec, bad, NULL, &error);
    g_assert_null (none);
    g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "“d”"));
    g_clear_error (&error);
    g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.report"), >=, 12);
  }
  {
    g_autoptr(GHashTable) bad = params_new ("nope", "1", NULL);
    g_autoptr(AqReportResult) none = aq_report_run (db, catalog, spec, bad, NULL, &error);
    g_assert_null (none);
    g_assert_nonnull (strstr (error->message, "“nope”"));
    g_clear_error (&error);
  }
  {
    g_autoptr(AqReportSpec) ints = spec_from (
      "{\"kind\": \"list\", \"rows\": [\"account\"], \"values\": [\"zero_run_months\"],"
      " \"filters\": [{\"condition\": \"zero_run_within\", \"values\": [\"$p.from\", \"$p.to\", \"$n\"]}],"
      " \"parameters\": [{\"name\": \"p\", \"type\": \"month_range\", \"label\": \"P\", \"default\": \"@all\"},"
      "                  {\"name\": \"n\", \"type\": \"integer\", \"label\": \"N\", \"min\": 1, \"max\": 60}]}");
    g_autoptr(GHashTable) bad = params_new ("n", "six", NULL);
    g_autoptr(GHashTable) big = params_new ("n", "61", NULL);
    g_autoptr(AqReportResult) none = aq_report_run (db, catalog, ints, bad, NULL, &error);
    g_assert_null (none);
    g_assert_nonnull (strstr (error->message, "“n”"));
    g_assert_nonnull (strstr (error->message, "integer"));
    g_clear_error (&error);
    g_assert_null (aq_report_run (db, catalog, ints, big, NULL, &error));
    g_assert_nonnull (strstr (error->message, "“n”"));
    g_clear_error (&error);
    g_assert_null (aq_report_run (db, catalog, ints, NULL, NULL, &error));
    g_assert_nonnull (strstr (error->message, "“n”"));   /* required, no default */
  }
}

static void
test_day_grained_filters (void)
{
  /* a date range on a day-grained key is inclusive; a month bound covers its whole month */
  g_autoptr(AqReportSpec) spec = spec_from (
    "{\"rows\": [\"app_type\"], \"values\": [\"applications\"],"
    " \"filters\": [{\"dimension\": \"applied_on\", \"op\": \"between\", \"values\": [\"$d\"]}],"
    " \"parameters\": [{\"name\": \"d\", \"type\": \"date_range\", \"label\": \"D\"}]}");
  g_autoptr(AqReportSpec) months = spec_from (
    "{\"rows\": [\"app_type\"], \"values\": [\"applications\"],"
    " \"filters\": [{\"dimension\": \"applied_on\", \"op\": \"ge\", \"values\": [\"$m.from\"]},"
    "               {\"dimension\": \"applied_on\", \"op\": \"le\", \"values\": [\"$m.to\"]}],"
    " \"parameters\": [{\"name\": \"m\", \"type\": \"month_range\", \"label\": \"M\"}]}");
  g_autofree char *from = aq_test_query_string (db, "SELECT min(applied_on)::text FROM dw.fact_installation");
  g_autofree char *to = aq_test_query_string (db, "SELECT (min(applied_on) + 40)::text FROM dw.fact_installation");
  g_autofree char *range = g_strdup_printf ("%s..%s", from, to);
  g_autoptr(GHashTable) params = params_new ("d", range, NULL);
  g_autoptr(AqReportResult) r = run (spec, params);
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM dw.fact_installation"
                                          " WHERE applied_on BETWEEN '%s' AND '%s'", from, to);
  g_autofree char *mrange = g_strdup_printf ("%.7s..%.7s", from, to);
  g_autoptr(GHashTable) mparams = params_new ("m", mrange, NULL);
  g_autoptr(AqReportResult) rm = run (months, mparams);
  g_autofree char *msql = g_strdup_printf ("SELECT count(*) FROM dw.fact_installation"
                                           " WHERE applied_on >= '%.7s-01' AND applied_on <"
                                           " ('%.7s-01'::date + interval '1 month')", from, to);

  assert_close (cell (r, aq_report_result_get_n_rows (r) - 1, 0),
                aq_test_query_int64 (db, sql));
  assert_close (cell (rm, aq_report_result_get_n_rows (rm) - 1, 0),
                aq_test_query_int64 (db, msql));
  g_assert_cmpint (aq_test_query_int64 (db, msql), >, aq_test_query_int64 (db, sql));
}

static void
test_validation (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportSpec) s1 = spec_from ("{\"values\": [\"billed_qty\", \"no_such\"]}");
  g_autoptr(AqReportSpec) s2 = spec_from ("{\"rows\": [\"channel\"], \"values\": [\"nrw_rate\"]}");
  g_autoptr(AqReportSpec) s3 = spec_from ("{\"kind\": \"list\", \"rows\": [\"account\"],"
                                          " \"columns\": [\"month\"], \"values\": [\"arrears_amount\"]}");
  g_autoptr(AqReportSpec) s4 = spec_from ("{\"rows\": [\"district\"], \"values\": [\"billed_qty\"],"
                                          " \"sort\": [{\"value\": 3}]}");
  g_autoptr(AqReportSpec) s5 = spec_from ("{\"rows\": [\"district\"], \"values\": "
                                          "[{\"id\": \"collection_rate\", \"calc\": \"share_of_total\"}]}");
  g_autoptr(AqReportSpec) s6 = spec_from ("{\"rows\": [\"district\"], \"values\": "
                                          "[{\"id\": \"billed_qty\", \"calc\": \"yoy\"}]}");
  g_autoptr(AqReportSpec) s7 = spec_from ("{\"rows\": [\"district\"], \"values\": [\"billed_qty\"],"
                                          " \"filters\": [{\"dimension\": \"channel\", \"values\": [\"bank\"]}]}");
  g_autoptr(AqReportSpec) s8 = spec_from ("{\"rows\": [\"district\"], \"values\": [\"billed_qty\"],"
                                          " \"filters\": [{\"dimension\": \"month\", \"values\": [\"$undeclared\"]}]}");
  g_autoptr(AqReportSpec) bad = NULL;

  assert_invalid (s1, "values[1]", "no_such");
  assert_invalid (s2, "nrw_rate", "channel");
  assert_invalid (s2, "rows[0]", NULL);
  assert_invalid (s3, "columns", NULL);
  assert_invalid (s4, "sort[0].value", NULL);
  assert_invalid (s5, "values[0].calc", NULL);
  assert_invalid (s6, "month", NULL);
  assert_invalid (s7, "filters[0]", "channel");
  assert_invalid (s8, "filters[0].values[0]", "undeclared");

  bad = aq_report_spec_new_from_data ("{\"values\": [{\"id\": \"billed_qty\", \"calc\": \"avg\"}]}",
                                      -1, &error);
  g_assert_null (bad);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "values[0].calc"));
  g_clear_error (&error);
  bad = aq_report_spec_new_from_data ("{\"rowz\": []}", -1, &error);
  g_assert_null (bad);
  g_assert_nonnull (strstr (error->message, "rowz"));
  g_clear_error (&error);
  bad = aq_report_spec_new_from_data ("{\"parameters\": [{\"name\": \"p\", \"type\": \"week\"}]}",
                                      -1, &error);
  g_assert_null (bad);
  g_assert_nonnull (strstr (error->message, "parameters[0].type"));
  g_clear_error (&error);
  bad = aq_report_spec_new_from_data ("{\"formats\": [{\"value\": 0, \"op\": \">\", "
                                      "\"threshold\": 1, \"color\": \"red\"}]}", -1, &error);
  g_assert_null (bad);
  g_assert_nonnull (strstr (error->message, "formats[0].color"));
}

static void
count_change (guint *changes)
{
  (*changes)++;
}

static void
test_spec_edit (void)
{
  g_autoptr(AqReportSpec) spec = aq_report_spec_new (AQ_REPORT_KIND_PIVOT);
  g_autoptr(AqReportSpec) back = NULL;
  g_autofree char *json = NULL;
  AqReportSort sort = { AQ_REPORT_SORT_VALUE, NULL, 1, TRUE, TRUE, NULL };
  AqReportFormatRule rule = { 1, (char *) ">", 0.5, (char *) "#00ff00" };
  guint changes = 0;

  g_signal_connect_swapped (spec, "changed", G_CALLBACK (count_change), &changes);
  aq_report_spec_add (spec, AQ_REPORT_ZONE_ROWS, "district", -1);
  aq_report_spec_add (spec, AQ_REPORT_ZONE_ROWS, "customer_type", -1);
  aq_report_spec_add (spec, AQ_REPORT_ZONE_VALUES, "billed_qty", -1);
  aq_report_spec_add (spec, AQ_REPORT_ZONE_VALUES, "collection_rate", -1);
  aq_report_spec_add_sort (spec, &sort);
  aq_report_spec_add_format_rule (spec, &rule);
  /* moving customer type to columns and the first value away keeps sort/format on rate */
  aq_report_spec_move_field (spec, AQ_REPORT_ZONE_ROWS, 1, AQ_REPORT_ZONE_COLUMNS, 0);
  aq_report_spec_remove_field (spec, AQ_REPORT_ZONE_VALUES, 0);
  g_assert_cmpuint (aq_report_spec_get_n_fields (spec, AQ_REPORT_ZONE_COLUMNS), ==, 1);
  g_assert_cmpuint (((AqReportSort *) aq_report_spec_get_sorts (spec)->pdata[0])->value_index, ==, 0);
  g_assert_cmpuint (((AqReportFormatRule *) aq_report_spec_get_format_rules (spec)->pdata[0])->value_index,
                    ==, 0);
  g_assert_true (aq_report_spec_validate (spec, catalog, NULL));
  json = aq_report_spec_to_data (spec, NULL);
  back = spec_from (json);
  g_assert_cmpstr (aq_report_spec_get_field (back, AQ_REPORT_ZONE_COLUMNS, 0)->id, ==,
                   "customer_type");
  g_assert_true (((AqReportSort *) aq_report_spec_get_sorts (back)->pdata[0])->within_groups);
  g_assert_cmpuint (changes, ==, 8);   /* every edit told the designer */
}

static void
test_sorting (void)
{
  g_autoptr(AqReportSpec) spec = spec_from (
    "{\"rows\": [\"district\", \"customer_type\"], \"values\": [\"billed_qty\"],"
    " \"sort\": [{\"value\": 0, \"descending\": true, \"within_groups\": true}]}");
  g_autoptr(AqReportSpec) flat = spec_from (
    "{\"rows\": [\"district\", \"customer_type\"], \"values\": [\"billed_qty\"],"
    " \"sort\": [{\"value\": 0, \"descending\": true}]}");
  g_autoptr(AqReportSpec) custom = spec_from (
    "{\"rows\": [\"customer_type\"], \"values\": [\"billed_qty\"],"
    " \"sort\": [{\"dimension\": \"customer_type\", \"order\": [\"special\", \"residential\"]}]}");
  g_autoptr(AqReportResult) r = run (spec, NULL);
  g_autoptr(AqReportResult) f = run (flat, NULL);
  g_autoptr(AqReportResult) c = run (custom, NULL);
  const char *prev_district = NULL;
  double prev_sub = INFINITY;

  /* within groups: districts by key, customer types by value inside each */
  for (guint row = 1; row < aq_report_result_get_n_rows (r); row++)
    if (aq_report_result_get_row_kind (r, row) == AQ_REPORT_ROW_DETAIL
        && aq_report_result_get_row_kind (r, row - 1) == AQ_REPORT_ROW_DETAIL)
      g_assert_cmpfloat (cell (r, row, 0), <=, cell (r, row - 1, 0));
  for (guint row = 0; row < aq_report_result_get_n_rows (r); row++)
    if (aq_report_result_get_row_kind (r, row) == AQ_REPORT_ROW_SUBTOTAL)
      {
        if (prev_district)
          g_assert_cmpstr (aq_report_result_get_row_key (r, row, 0), >, prev_district);
        prev_district = aq_report_result_get_row_key (r, row, 0);
      }
  /* at every level: the districts by their subtotals */
  for (guint row = 0; row < aq_report_result_get_n_rows (f); row++)
    if (aq_report_result_get_row_kind (f, row) == AQ_REPORT_ROW_SUBTOTAL)
      {
        g_assert_cmpfloat (cell (f, row, 0), <=, prev_sub);
        prev_sub = cell (f, row, 0);
      }
  g_assert_cmpstr (aq_report_result_get_row_key (c, 0, 0), ==, "special");
  g_assert_cmpstr (aq_report_result_get_row_key (c, 1, 0), ==, "residential");
}

static void
test_multi_source (void)
{
  /* two cubes in one report: each aggregated in its own part, merged on the district */
  g_autoptr(AqReportSpec) spec = spec_from (
    "{\"rows\": [\"district\"], \"values\": [\"bill_amount\", \"payment_amount\", \"wo_timely_rate\"],"
    " \"filters\": [{\"dimension\": \"month\", \"op\": \"in\", \"values\": [\"$m\"]}],"
    " \"parameters\": [{\"name\": \"m\", \"type\": \"month\", \"label\": \"M\", \"default\": \"@latest\"}]}");
  g_autoptr(AqReportResult) r = run (spec, NULL);
  g_autofree char *pay = g_strdup_printf ("SELECT sum(amount) FROM dm.cube_payment_monthly"
                                          " WHERE period = '%s-01'", last_month);
  g_autofree char *bill = g_strdup_printf ("SELECT sum(amount) FROM dm.cube_billing_monthly"
                                           " WHERE period = '%s-01'", last_month);
  g_autofree char *wo = g_strdup_printf ("SELECT sum(sla_met)::numeric / sum(sla_met + sla_missed)"
                                         " FROM dm.cube_work_order_monthly WHERE period = '%s-01'",
                                         last_month);
  guint last = aq_report_result_get_n_rows (r) - 1;

  assert_close (cell (r, last, 0), num1 (bill, NULL));
  assert_close (cell (r, last, 1), num1 (pay, NULL));
  assert_close (cell (r, last, 2), num1 (wo, NULL));
}

/* ---- standard reports ---- */

static void
test_standard_reports (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = aq_report_store_list (db, NULL, &error);
  guint standard = 0;
  static const char *required[] = {
    "zero_consumption", "nrw_by_dma", "arrears_list", "read_completion", "wo_timeliness",
    "calls_by_category", "new_installations", "revenue_by_channel",
  };

  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    {
      AqReportInfo *info = g_ptr_array_index (list, i);
      g_autoptr(AqReportSpec) spec = NULL;
      g_autoptr(AqReportResult) r = NULL;

      if (!info->standard)
        continue;
      standard++;
      spec = aq_report_store_open (db, info->name, NULL, &error);
      g_assert_no_error (error);
      r = aq_report_run (db, catalog, spec, NULL, NULL, &error);
      g_assert_no_error (error);
      if (strcmp (info->name, "meter_overview") != 0)
        g_assert_cmpuint (aq_report_result_get_n_rows (r), >, 0);
    }
  g_assert_cmpuint (standard, >=, 12);
  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      g_autoptr(AqReportSpec) spec = aq_report_store_open (db, required[i], NULL, &error);
      g_assert_no_error (error);
      g_assert_true (aq_report_spec_get_standard (spec));
    }
}

static void
test_nrw_levels (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportSpec) spec = aq_report_store_open (db, "nrw_by_dma", NULL, &error);
  g_autofree char *range = g_strdup_printf ("%s..%s", first_month, last_month);
  g_autoptr(GHashTable) params = params_new ("period", range, NULL);
  g_autoptr(AqReportResult) r = NULL;
  g_autoptr(PGresult) res = NULL;
  guint total_col = G_MAXUINT;
  guint checked = 0;

  g_assert_no_error (error);
  r = run (spec, params);
  for (guint c = 0; c < aq_report_result_get_n_columns (r); c++)
    if (aq_report_result_get_column_kind (r, c) == AQ_REPORT_COLUMN_TOTAL
        && g_strcmp0 (aq_report_result_get_column_indicator (r, c), "nrw_rate") == 0)
      total_col = c;
  g_assert_cmpuint (total_col, !=, G_MAXUINT);

  /* level 1 and level 2 subtotals: (Σsiv − Σbilled) / Σsiv with the zone's own measured
   * input (its boundary meters, not its children's sum) and the billed volume inside it */
  res = aq_db_query (db, "SELECT n.zone_code, NULL, (sum(n.siv) - sum(n.billed)) / sum(n.siv)"
                         " FROM dm.cube_nrw_monthly n WHERE n.level = 1 GROUP BY 1"
                         " UNION ALL SELECT z.level1_code, n.zone_code,"
                         " (sum(n.siv) - sum(n.billed)) / sum(n.siv)"
                         " FROM dm.cube_nrw_monthly n JOIN dw.dim_dma_zone z USING (zone_code)"
                         " WHERE n.level = 2 GROUP BY 1, 2", 0, NULL, &error);
  g_assert_no_error (error);
  for (int i = 0; i < PQntuples (res); i++)
    {
      const char *keys[] = { PQgetvalue (res, i, 0), PQgetisnull (res, i, 1) ? NULL
                                                     : PQgetvalue (res, i, 1), NULL };
      int row = find_row (r, AQ_REPORT_ROW_SUBTOTAL, keys);

      g_assert_cmpint (row, >=, 0);
      assert_close (cell (r, row, total_col), g_ascii_strtod (PQgetvalue (res, i, 2), NULL));
      checked++;
    }
  g_assert_cmpuint (checked, >=, 2);
}

/* The list finds every account the simulator planted a zero streak into, and exactly the
 * accounts an independent gaps-and-islands query over dw.fact_bill finds. */
static void
test_zero_consumption_truth (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportSpec) spec = aq_report_store_open (db, "zero_consumption", NULL, &error);
  g_autoptr(AqReportResult) r = NULL;
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(PGresult) truth = NULL;
  g_autoptr(PGresult) independent = NULL;
  guint n_truth;

  g_assert_no_error (error);
  r = run (spec, NULL);
  for (guint row = 0; row < aq_report_result_get_n_rows (r); row++)
    {
      g_hash_table_add (listed, g_strdup (aq_report_result_get_row_key (r, row, 0)));
      g_assert_cmpfloat (cell (r, row, 0), >=, 6);
    }

  truth = aq_db_query (db, "SELECT btrim(acct_no), detail FROM src_truth.anomaly"
                           " WHERE kind = 'zero_streak'", 0, NULL, &error);
  g_assert_no_error (error);
  n_truth = PQntuples (truth);
  g_assert_cmpuint (n_truth, >, 0);
  for (guint i = 0; i < n_truth; i++)
    if (!g_hash_table_contains (listed, PQgetvalue (truth, i, 0)))
      g_error ("planted zero streak %s (%s) is not in the list", PQgetvalue (truth, i, 0),
               PQgetvalue (truth, i, 1));

  independent = aq_db_query (db,
    "WITH z AS (SELECT account_id, period, (extract(year FROM period) * 12"
    "   + extract(month FROM period))::int - row_number() OVER (PARTITION BY account_id"
    "   ORDER BY period)::int AS run FROM dw.fact_bill WHERE read_status = 'valid' AND qty = 0)"
    " SELECT count(*) FROM (SELECT account_id, run FROM z GROUP BY account_id, run"
    "   HAVING count(*) >= 6) runs JOIN dw.dim_account a USING (account_id)"
    " WHERE a.status = 'normal'", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (aq_report_result_get_n_rows (r), ==,
                   g_ascii_strtoll (PQgetvalue (independent, 0, 0), NULL, 10));

  /* a longer N lists fewer, each at least N long */
  {
    g_autoptr(GHashTable) params = params_new ("n", "12", NULL);
    g_autoptr(AqReportResult) r12 = run (spec, params);
    g_assert_cmpuint (aq_report_result_get_n_rows (r12), <, aq_report_result_get_n_rows (r));
    for (guint row = 0; row < aq_report_result_get_n_rows (r12); row++)
      g_assert_cmpfloat (cell (r12, row, 0), >=, 12);
  }
}

/* ---- lists: paging and streaming ---- */

typedef struct
{
  guint64  rows;
  double   sum;
  guint    n_cells;
} StreamCount;

static gboolean
count_row (AqReportResult     *header,
           guint64             index,
           const char * const *cells,
           gpointer            user_data,
           GError            **error)
{
  StreamCount *c = user_data;
  guint n = aq_report_result_get_n_row_dims (header) + aq_report_result_get_n_columns (header);

  g_assert_cmpuint (index, ==, c->rows);
  c->rows++;
  c->n_cells = n;
  c->sum += cells[n - 2] ? g_ascii_strtod (cells[n - 2], NULL) : 0;
  return TRUE;
}

static void
test_list_paging (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportSpec) spec = aq_report_store_open (db, "arrears_list", NULL, &error);
  g_autoptr(AqReportList) list = NULL;
  g_autoptr(AqReportResult) all = NULL;
  g_autoptr(AqReportResult) header = NULL;
  gint64 expected = aq_test_query_int64 (db, "SELECT count(*) FROM dm.customer_profile"
                                             " WHERE arrears_amount > 0");
  double total = num1 ("SELECT sum(arrears_amount) FROM dm.customer_profile", NULL);
  StreamCount sc = { 0 };
  guint64 offset = 0;
  double paged_sum = 0;

  g_assert_no_error (error);
  g_assert_cmpint (expected, >, 100);
  all = run (spec, NULL);
  g_assert_cmpint (aq_report_result_get_n_rows (all), ==, expected);

  list = aq_report_list_open (aq_db_get_conninfo (db), catalog, spec, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (aq_report_list_get_n_rows (list), ==, expected);
  g_assert_cmpuint (aq_report_result_get_n_rows (aq_report_list_get_header (list)), ==, 0);
  while (offset < aq_report_list_get_n_rows (list))
    {
      g_autoptr(AqReportResult) page = aq_report_list_fetch (list, offset, 97, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (aq_report_result_get_n_rows (page), >, 0);
      for (guint row = 0; row < aq_report_result_get_n_rows (page); row++)
        {
          /* the page's rows are the run's rows at the same place */
          g_assert_cmpstr (aq_report_result_get_row_key (page, row, 0), ==,
                           aq_report_result_get_row_key (all, offset + row, 0));
          paged_sum += cell (page, row, 0);
        }
      offset += aq_report_result_get_n_rows (page);
    }
  assert_close (paged_sum, total);
  {
    /* random access backwards */
    g_autoptr(AqReportResult) page = aq_report_list_fetch (list, 5, 3, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (aq_report_result_get_row_key (page, 0, 0), ==,
                     aq_report_result_get_row_key (all, 5, 0));
  }
  aq_report_list_close (list);

  g_assert_true (aq_report_run_stream (db, catalog, spec, NULL, count_row, &sc, &header, NULL,
                                       &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sc.rows, ==, expected);
  g_assert_cmpuint (sc.n_cells, ==, 9);
  assert_close (sc.sum, total);
  g_assert_cmpstr (aq_report_result_get_title (header), ==, "欠费用户清单");
}

/* ---- the store ---- */

static void
test_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportSpec) spec = spec_from ("{\"name\": \"t_store\", \"title\": \"T\","
                                            " \"rows\": [\"district\"], \"values\": [\"calls_12m\"]}");
  g_autoptr(AqReportSpec) opened = NULL;
  g_autoptr(AqReportSpec) std = NULL;

  g_assert_true (aq_report_store_save (db, spec, "alice", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (aq_report_spec_get_version (spec), ==, 1);
  aq_report_spec_set_title (spec, "T2");
  g_assert_true (aq_report_store_save (db, spec, "bob", NULL, &error));
  g_assert_cmpint (aq_report_spec_get_version (spec), ==, 2);
  opened = aq_report_store_open (db, "t_store", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (aq_report_spec_get_title (opened), ==, "T2");
  g_assert_cmpstr (aq_report_spec_get_author (opened), ==, "bob");
  g_assert_cmpint (aq_report_spec_get_version (opened), ==, 2);

  g_assert_true (aq_report_store_duplicate (db, "t_store", "t_store_copy", "carol", NULL, &error));
  g_assert_false (aq_report_store_duplicate (db, "t_store", "t_store_copy", "carol", NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (aq_report_store_delete (db, "t_store_copy", NULL, &error));
  g_assert_false (aq_report_store_delete (db, "t_store_copy", NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* standard reports are Aqueduct's */
  g_assert_false (aq_report_store_delete (db, "nrw_by_dma", NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_PERMISSION);
  g_clear_error (&error);
  std = aq_report_store_open (db, "nrw_by_dma", NULL, &error);
  g_assert_false (aq_report_store_save (db, std, "mallory", NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_null (aq_report_store_open (db, "no_such_report", NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (aq_report_store_delete (db, "t_store", NULL, &error));

  /* seeding again changes nothing */
  {
    gint64 before = aq_test_query_int64 (db, "SELECT count(*) FROM meta.report");
    g_autofree char *stamp = text1 ("SELECT max(updated_at)::text FROM meta.report", NULL);
    g_autofree char *stamp2 = NULL;
    g_assert_true (aq_catalog_seed (db, &error));
    g_assert_no_error (error);
    stamp2 = text1 ("SELECT max(updated_at)::text FROM meta.report", NULL);
    g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.report"), ==, before);
    g_assert_cmpstr (stamp, ==, stamp2);
  }
}

/* ---- drill-down ---- */

static void
test_drill (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportSpec) spec = spec_from (
    "{\"title\": \"D\", \"rows\": [\"district\"], \"columns\": [\"customer_type\"],"
    " \"values\": [\"billed_qty\", \"calls\"],"
    " \"filters\": [{\"dimension\": \"month\", \"op\": \"in\", \"values\": [\"$m\"]}],"
    " \"parameters\": [{\"name\": \"m\", \"type\": \"month\", \"label\": \"M\", \"default\": \"@latest\"}]}");
  g_autoptr(AqReportSpec) only_billing = spec_from (
    "{\"title\": \"D\", \"rows\": [\"district\"], \"columns\": [\"customer_type\"],"
    " \"values\": [\"billed_qty\"],"
    " \"filters\": [{\"dimension\": \"month\", \"op\": \"in\", \"values\": [\"$m\"]}],"
    " \"parameters\": [{\"name\": \"m\", \"type\": \"month\", \"label\": \"M\", \"default\": \"@latest\"}]}");
  g_autoptr(AqReportResult) r = NULL;
  g_autoptr(AqReportSpec) detail = NULL;
  g_autoptr(AqReportResult) rows = NULL;
  int row = -1;
  guint col = G_MAXUINT;
  double sum = 0;

  /* calls are counted by category, not by district: the layout is refused, naming both */
  assert_invalid (spec, "calls", "district");

  r = run (only_billing, NULL);
  for (guint i = 0; i < aq_report_result_get_n_rows (r) && row < 0; i++)
    if (aq_report_result_get_row_kind (r, i) == AQ_REPORT_ROW_DETAIL)
      row = i;
  for (guint c = 0; c < aq_report_result_get_n_columns (r); c++)
    if (g_strcmp0 (aq_report_result_get_column_key (r, c, 0), "residential") == 0)
      col = c;
  g_assert_cmpuint (col, !=, G_MAXUINT);
  detail = aq_report_drill_spec (catalog, only_billing, r, row, col, &error);
  g_assert_no_error (error);
  g_assert_cmpint (aq_report_spec_get_kind (detail), ==, AQ_REPORT_KIND_LIST);
  rows = run (detail, NULL);
  g_assert_cmpuint (aq_report_result_get_n_rows (rows), >, 0);
  for (guint i = 0; i < aq_report_result_get_n_rows (rows); i++)
    {
      guint k;
      for (k = 0; k < aq_report_result_get_n_row_dims (rows); k++)
        if (strcmp (aq_report_result_get_row_dim_id (rows, k), "customer_type") == 0)
          g_assert_cmpstr (aq_report_result_get_row_key (rows, i, k), ==, "residential");
      sum += cell (rows, i, 0);
    }
  /* the bills behind the cell add up to it */
  assert_close (sum, cell (r, row, col));
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GError **error = user_data;
  g_autoptr(AqReportResult) r = aq_report_run_finish (result, error);

  if (r == NULL && *error == NULL)
    g_set_error_literal (error, AQ_ERROR, AQ_ERROR_FAILED, "no result and no error");
  if (r)
    g_set_error_literal (error, AQ_ERROR, AQ_ERROR_FAILED, "ok");
}

static void
test_async_cancel (void)
{
  g_autoptr(AqReportSpec) spec = spec_from ("{\"rows\": [\"month\", \"district\"],"
                                            " \"values\": [\"billed_qty\"]}");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GError *error = NULL;

  aq_report_run_async (aq_db_get_conninfo (db), catalog, spec, NULL, NULL, run_done_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (error->message, ==, "ok");
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  aq_report_run_async (aq_db_get_conninfo (db), catalog, spec, NULL, cancellable, run_done_cb,
                       &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  db = aq_test_demo_db_new ("t_report", 3000, 24);
  catalog = aq_catalog_load (db, NULL, &error);
  g_assert_no_error (error);
  first_month = aq_test_query_string (db, "SELECT to_char(min(period), 'YYYY-MM')"
                                          " FROM dm.cube_billing_monthly");
  last_month = aq_test_query_string (db, "SELECT to_char(max(period), 'YYYY-MM')"
                                         " FROM dm.cube_billing_monthly");

  g_test_add_func ("/report/catalog", test_catalog);
  g_test_add_func ("/report/pivot-subtotals", test_pivot_subtotals);
  g_test_add_func ("/report/pivot-columns", test_pivot_columns);
  g_test_add_func ("/report/pivot-one-child", test_pivot_one_child);
  g_test_add_func ("/report/calculations", test_calculations);
  g_test_add_func ("/report/filters-params", test_filters_and_params);
  g_test_add_func ("/report/day-grained-filters", test_day_grained_filters);
  g_test_add_func ("/report/validation", test_validation);
  g_test_add_func ("/report/spec-edit", test_spec_edit);
  g_test_add_func ("/report/sorting", test_sorting);
  g_test_add_func ("/report/multi-source", test_multi_source);
  g_test_add_func ("/report/standard", test_standard_reports);
  g_test_add_func ("/report/nrw-levels", test_nrw_levels);
  g_test_add_func ("/report/zero-consumption-truth", test_zero_consumption_truth);
  g_test_add_func ("/report/list-paging", test_list_paging);
  g_test_add_func ("/report/store", test_store);
  g_test_add_func ("/report/drill", test_drill);
  g_test_add_func ("/report/async-cancel", test_async_cancel);
  ret = g_test_run ();
  g_clear_object (&catalog);
  g_clear_object (&db);
  aq_test_drop_database ("t_report");
  g_free (first_month);
  g_free (last_month);
  return ret;
}
