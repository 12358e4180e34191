/* test-mining.c — the mining themes' lists (抄表改善, 水表管理, 工单改善) on a small demo warehouse
 *
 * Each list is a standard report (data/reports/mining_*.json) run through the report engine,
 * as the panel, the exports and the CLI run it. Its rows are checked twice: against the
 * simulator's planted truth (src_truth.anomaly: exactly the planted accounts, no more, no
 * fewer) where the simulator plants the case, and against an independent SQL written over the
 * raw source tables (src_billing, src_meter, src_gis, src_workorder), not over the warehouse's
 * dw tables the lists read. Of the work-order lists, the reopened orders are planted
 * (src_truth.work_order); the others are checked against the raw orders and their steps
 * (the team of an order is on its steps only: the team of its last DISPATCH step).
 */
#include "aq-test-util.h"
#include "aq-dashboard-data.h"
#include "aq-dashboard-store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One file, two executables (tests/meson.build): each registers only its own tests. */
#pragma GCC diagnostic ignored "-Wunused-function"

#ifdef AQ_TEST_MINING_DASHBOARDS
#define DB_NAME "t_mining_dashboards"
#else
#define DB_NAME "t_mining"
#endif

static AqDb *db;
static AqCatalog *catalog;

/* All the months' raw bills as one relation, duplicates (a re-run batch) removed. */
#define RAW_BILLS_VIEW \
  "DO $$ BEGIN EXECUTE 'CREATE TABLE public.raw_bills AS SELECT DISTINCT btrim(acct_no)" \
  " AS acct, to_date(period, ''YYYYMM'') AS period, read_status, prev_read, curr_read, qty" \
  " FROM (' || (SELECT string_agg(format('SELECT * FROM src_billing.%I', table_name)," \
  " ' UNION ALL ' ORDER BY table_name) FROM information_schema.tables" \
  " WHERE table_schema = 'src_billing' AND table_name ~ '^bill_[0-9]{6}$') || ') b'; END $$"

#define LAST_PERIOD "(SELECT max(period) FROM public.raw_bills)"

/* The raw work orders with the warehouse's category codes; "now" is the latest order. */
#define RAW_ORDERS \
  "(SELECT btrim(wo_no) AS wo_no, nullif(btrim(acct_no), '') AS acct," \
  " nullif(btrim(address), '') AS address, priority, created_at, closed_at, btrim(status) AS status," \
  " created_at + sla_minutes * interval '1 minute' AS due, sla_minutes," \
  " CASE btrim(category) WHEN 'REP' THEN 'repair' WHEN 'NOW' THEN 'no_water'" \
  " WHEN 'BIL' THEN 'billing' WHEN 'MTR' THEN 'meter' WHEN 'BUS' THEN 'business'" \
  " WHEN 'QUA' THEN 'quality' WHEN 'CMP' THEN 'complaint' WHEN 'SEC' THEN 'secondary_supply'" \
  " WHEN 'INQ' THEN 'inquiry' WHEN 'OTH' THEN 'other' END AS category" \
  " FROM src_workorder.work_order)"
#define RAW_OVERDUE \
  "status <> 'CAN' AND (closed_at > due OR (closed_at IS NULL" \
  " AND (SELECT max(created_at) FROM src_workorder.work_order) > due))"

typedef struct
{
  const char *report;
  const char *truth;          /* src_truth.anomaly.kind, or NULL */
  const char *key_dims;       /* the row dimensions that make a row's key, comma-separated */
  const char *independent;    /* the same keys (text, joined by '|'), from the raw sources */
} MiningCase;

static const MiningCase cases[] = {
  { "mining_first_read_spike", "never_read_spike", "account",
    "WITH fr AS (SELECT acct, min(period) FILTER (WHERE read_status = '00' AND qty > 0) AS fr"
    "  FROM public.raw_bills GROUP BY acct),"
    " agg AS (SELECT b.acct, fr.fr,"
    "  count(*) FILTER (WHERE b.period < fr.fr) AS before,"
    "  count(*) FILTER (WHERE b.period < fr.fr AND b.read_status = '09' AND b.qty = 0) AS unread,"
    "  max(b.qty) FILTER (WHERE b.period = fr.fr) AS spike,"
    "  percentile_cont(0.5) WITHIN GROUP (ORDER BY b.qty) FILTER (WHERE b.period > fr.fr"
    "   AND b.read_status = '00' AND b.qty > 0) AS normal"
    "  FROM public.raw_bills b JOIN fr USING (acct) WHERE fr.fr IS NOT NULL GROUP BY 1, 2),"
    " onln AS (SELECT btrim(acct_no) AS acct, min(event_date) AS d FROM src_meter.meter_event"
    "  WHERE btrim(event_type) = 'ONLN' GROUP BY 1)"
    " SELECT agg.acct FROM agg JOIN onln USING (acct)"
    " WHERE date_trunc('month', onln.d) <= agg.fr AND unread >= 2 AND unread = before"
    " AND spike >= 5 * normal" },
  { "mining_demolished_active", "demolished_active", "account",
    "SELECT btrim(a.acct_no) FROM src_billing.account a JOIN src_gis.premise p USING (premise_id)"
    " WHERE p.status = 'D' AND a.status = '1'" },
  { "mining_missing_meter", "missing_meter_paying", "account",
    "SELECT btrim(a.acct_no) FROM src_billing.account a"
    " JOIN src_meter.meter m ON btrim(m.meter_no) = btrim(a.meter_no)"
    " WHERE m.status IN ('2', '3') AND a.status = '1'"
    " AND (EXISTS (SELECT 1 FROM src_billing.payment y WHERE y.acct_no = a.acct_no"
    "      AND y.period > to_char(m.status_date, 'YYYYMM'))"
    "  OR EXISTS (SELECT 1 FROM public.raw_bills b WHERE b.acct = btrim(a.acct_no)"
    "      AND b.period > m.status_date))" },
  { "mining_large_no_reads", "large_no_reads", "account",
    "SELECT btrim(a.acct_no) FROM src_billing.account a"
    " JOIN src_meter.meter m ON btrim(m.meter_no) = btrim(a.meter_no)"
    " WHERE a.status = '1' AND m.size_dn >= 80 AND m.status = '1'"
    " AND NOT EXISTS (SELECT 1 FROM public.raw_bills b"
    "  WHERE b.acct = btrim(a.acct_no) AND b.read_status = '00'"
    "  AND b.period > " LAST_PERIOD " - interval '6 months')"
    " AND (SELECT count(DISTINCT b.period) FROM public.raw_bills b WHERE b.acct = btrim(a.acct_no)"
    "  AND b.period > " LAST_PERIOD " - interval '6 months') = 6" },
  /* runs found by their starts (the month before is not estimated), not by islands */
  { "mining_estimated_streak", NULL, "account,finding_from,finding_to",
    "WITH e AS (SELECT acct, period FROM public.raw_bills WHERE read_status = '01'),"
    " s AS (SELECT acct, period FROM e WHERE NOT EXISTS (SELECT 1 FROM e p"
    "  WHERE p.acct = e.acct AND p.period = e.period - interval '1 month'))"
    " SELECT s.acct || '|' || s.period || '|' || (SELECT min(x.period) FROM e x"
    "  WHERE x.acct = s.acct AND x.period >= s.period AND NOT EXISTS (SELECT 1 FROM e n"
    "  WHERE n.acct = x.acct AND n.period = x.period + interval '1 month')) FROM s" },
  { "mining_reads_backwards", "read_backwards", "account,finding_from",
    "SELECT acct || '|' || period FROM public.raw_bills"
    " WHERE read_status = '00' AND curr_read < prev_read" },
  /* accounts not read for N months (the report's default N = 2): runs of bills not read,
   * found by their starts */
  { "mining_unread_streak", NULL, "account,finding_from,finding_to",
    "WITH e AS (SELECT acct, period FROM public.raw_bills"
    "  WHERE coalesce(read_status, '') NOT IN ('00', '01', '02', '03', '04')),"
    " s AS (SELECT acct, period FROM e WHERE NOT EXISTS (SELECT 1 FROM e p"
    "  WHERE p.acct = e.acct AND p.period = e.period - interval '1 month')),"
    " r AS (SELECT s.acct, s.period AS first, (SELECT min(x.period) FROM e x"
    "  WHERE x.acct = s.acct AND x.period >= s.period AND NOT EXISTS (SELECT 1 FROM e n"
    "  WHERE n.acct = x.acct AND n.period = x.period + interval '1 month')) AS last FROM s)"
    " SELECT acct || '|' || first || '|' || last FROM r"
    " WHERE last >= first + interval '1 month'" },
  { "mining_meter_overage", NULL, "meter_no,meter_size",
    "SELECT btrim(m.meter_no) || '|' || m.size_dn FROM src_meter.meter m WHERE m.status = '1'"
    " AND m.install_date + CASE WHEN m.size_dn <= 25 THEN interval '6 years'"
    "  WHEN m.size_dn <= 50 THEN interval '4 years' ELSE interval '2 years' END"
    "  <= " LAST_PERIOD " + interval '1 month'" },
  { "mining_stopped_zero", "stopped_zero", "account",
    "SELECT b.acct FROM public.raw_bills b JOIN src_billing.account a ON btrim(a.acct_no) = b.acct"
    " WHERE a.status = '1' AND b.read_status = '03' AND b.qty = 0"
    " AND b.period = " LAST_PERIOD },
  { "mining_wo_overdue", NULL, "wo_no",
    "SELECT wo_no FROM " RAW_ORDERS " o WHERE " RAW_OVERDUE },
  { "mining_wo_repeat_address", NULL, "wo_no",
    "SELECT o.wo_no FROM " RAW_ORDERS " o WHERE o.acct IS NOT NULL AND o.address IS NOT NULL"
    " AND EXISTS (SELECT 1 FROM " RAW_ORDERS " q WHERE q.address = o.address"
    "  AND q.acct IS NOT NULL AND q.wo_no <> o.wo_no"
    "  AND q.created_at BETWEEN o.created_at - interval '30 days' AND o.created_at)" },
};

/* g_ptr_array_sort hands pointers to the elements. */
static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
query_keys (const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = aq_db_query (db, sql, 0, NULL, &error);
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (keys, g_strdup (PQgetvalue (res, i, 0)));
  g_ptr_array_sort (keys, compare_strings);
  return keys;
}

static GPtrArray *
report_keys (const MiningCase *c,
             guint            *out_rows)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportSpec) spec = aq_report_store_open (db, c->report, NULL, &error);
  g_autoptr(AqReportResult) r = NULL;
  g_auto(GStrv) dims = g_strsplit (c->key_dims, ",", -1);
  g_autoptr(GArray) index = g_array_new (FALSE, FALSE, sizeof (guint));
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  g_assert_true (aq_report_spec_get_standard (spec));
  r = aq_report_run (db, catalog, spec, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint d = 0; dims[d]; d++)
    {
      guint found = G_MAXUINT;

      for (guint i = 0; i < aq_report_result_get_n_row_dims (r); i++)
        if (g_strcmp0 (aq_report_result_get_row_dim_id (r, i), dims[d]) == 0)
          found = i;
      g_assert_cmpuint (found, !=, G_MAXUINT);
      g_array_append_val (index, found);
    }
  for (guint row = 0; row < aq_report_result_get_n_rows (r); row++)
    {
      g_autoptr(GString) key = g_string_new (NULL);

      for (guint d = 0; d < index->len; d++)
        {
          const char *k = aq_report_result_get_row_key (r, row, g_array_index (index, guint, d));

          g_string_append_printf (key, "%s%s", d ? "|" : "", k ? k : "");
        }
      g_ptr_array_add (keys, g_string_free (g_steal_pointer (&key), FALSE));
    }
  g_ptr_array_sort (keys, compare_strings);
  *out_rows = aq_report_result_get_n_rows (r);
  return keys;
}

static void
assert_same_keys (const char *what,
                  GPtrArray  *a,
                  GPtrArray  *b)
{
  for (guint i = 0; i < MIN (a->len, b->len); i++)
    if (g_strcmp0 (g_ptr_array_index (a, i), g_ptr_array_index (b, i)) != 0)
      g_error ("%s: first difference at %u: “%s” vs “%s”", what, i,
               (char *) g_ptr_array_index (a, i), (char *) g_ptr_array_index (b, i));
  g_assert_cmpuint (a->len, ==, b->len);
}

static void
test_list (gconstpointer data)
{
  const MiningCase *c = data;
  guint n_rows = 0;
  g_autoptr(GPtrArray) listed = report_keys (c, &n_rows);
  g_autoptr(GPtrArray) independent = query_keys (c->independent);

  g_test_message ("%s: %u rows, %u independent", c->report, listed->len, independent->len);
  assert_same_keys (c->report, listed, independent);
  if (c->truth)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT btrim(acct_no) FROM src_truth.anomaly"
                                              " WHERE kind = '%s'", c->truth);
      g_autoptr(GPtrArray) truth = query_keys (sql);

      /* the simulator plants at least three of each kind, at every scale */
      g_assert_cmpuint (truth->len, >=, 3);
      g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_free);

      /* the truth names accounts: one finding each */
      for (guint i = 0; i < listed->len; i++)
        {
          const char *key = g_ptr_array_index (listed, i);

          g_ptr_array_add (accounts, g_strndup (key, strcspn (key, "|")));
        }
      g_ptr_array_sort (accounts, compare_strings);
      g_assert_cmpuint (n_rows, ==, truth->len);
      assert_same_keys (c->truth, accounts, truth);
    }
}

/* The lists no plant fills must still find something on the demo, or the test could not fail */
static void
test_lists_not_empty (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint n_rows = 0;
      g_autoptr(GPtrArray) keys = report_keys (&cases[i], &n_rows);

      g_assert_cmpuint (n_rows, >, 0);
    }
}

static double
cell_of (AqReportResult *r,
         guint           row,
         const char     *indicator)
{
  for (guint c = 0; c < aq_report_result_get_n_columns (r); c++)
    if (g_strcmp0 (aq_report_result_get_column_indicator (r, c), indicator) == 0)
      {
        double v = 0;

        aq_report_result_get_cell (r, row, c, &v);
        return v;
      }
  g_error ("no column %s", indicator);
  return 0;
}

/* The raw bills of the planted zone (the premises' zone in GIS) in the month SHIFT months
 * before the drop's */
#define RAW_ZONE_BILLS(SHIFT) \
  " FROM public.raw_bills b JOIN src_billing.account a ON btrim(a.acct_no) = b.acct" \
  " JOIN src_gis.premise p ON p.premise_id = a.premise_id, src_truth.volume_drop t" \
  " WHERE p.dma_zone_code = t.zone_code" \
  " AND b.period = to_date(t.period, 'YYYYMM') - interval '" SHIFT " month'"

/* The sudden drop (抄表改善): the readers skipped one level-3 zone for a month (planted in
 * this demo on purpose). The list finds exactly the planted zone-month and nothing else, with
 * the truth's billed volumes of that month and the month before — also summed here from the
 * raw bills and the GIS premises — and its bills not read equal to the raw bills of that zone
 * and month with a not-read status (the planted ones and any natural ones). */
static void
test_volume_drop (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportSpec) spec = aq_report_store_open (db, "mining_volume_drop", NULL, &error);
  g_autoptr(AqReportResult) r = NULL;
  g_autofree char *zone = NULL;
  g_autofree char *month = NULL;
  guint found = G_MAXUINT, details = 0;
  gint64 qty, qty_before, planted;

  g_assert_no_error (error);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM src_truth.volume_drop"), ==, 1);
  zone = aq_test_query_string (db, "SELECT zone_code FROM src_truth.volume_drop");
  month = aq_test_query_string (db, "SELECT to_date(period, 'YYYYMM')::text"
                                    " FROM src_truth.volume_drop");
  qty = aq_test_query_int64 (db, "SELECT qty FROM src_truth.volume_drop");
  qty_before = aq_test_query_int64 (db, "SELECT qty_before FROM src_truth.volume_drop");
  planted = aq_test_query_int64 (db, "SELECT bills_not_read FROM src_truth.volume_drop");
  /* the truth against the raw sources, and a drop worth the name */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT sum(b.qty)" RAW_ZONE_BILLS ("0")), ==, qty);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT sum(b.qty)" RAW_ZONE_BILLS ("1")), ==,
                   qty_before);
  g_assert_cmpint (qty * 5, <, qty_before);
  g_assert_cmpint (planted, >, 0);

  r = aq_report_run (db, catalog, spec, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint row = 0; row < aq_report_result_get_n_rows (r); row++)
    if (aq_report_result_get_row_kind (r, row) == AQ_REPORT_ROW_DETAIL)
      {
        details++;
        if (g_strcmp0 (aq_report_result_get_row_key (r, row, 0), zone) == 0
            && g_strcmp0 (aq_report_result_get_row_key (r, row, 1), month) == 0)
          found = row;
      }
  g_test_message ("mining_volume_drop: %u rows; planted %s %s (%" G_GINT64_FORMAT " m³, before %"
                  G_GINT64_FORMAT ", %" G_GINT64_FORMAT " bills skipped)", details, zone, month,
                  qty, qty_before, planted);
  g_assert_cmpuint (details, ==, 1);
  g_assert_cmpuint (found, !=, G_MAXUINT);
  g_assert_cmpfloat (cell_of (r, found, "drop_billed"), ==, (double) qty);
  g_assert_cmpfloat (cell_of (r, found, "drop_billed_before"), ==, (double) qty_before);
  g_assert_cmpfloat (cell_of (r, found, "drop_bills_not_read"), ==,
                     (double) aq_test_query_int64 (db, "SELECT count(*)" RAW_ZONE_BILLS ("0")
                                                   " AND coalesce(b.read_status, '') NOT IN"
                                                   " ('00', '01', '02', '03', '04')"));
  g_assert_cmpfloat (cell_of (r, found, "drop_bills_not_read"), >=, (double) planted);
  /* the zone's inflow did not fall with its bills */
  g_assert_cmpfloat (cell_of (r, found, "drop_siv"), >, 2 * cell_of (r, found, "drop_billed"));
  g_assert_cmpfloat (cell_of (r, found, "drop_siv"), >, 0.5 * cell_of (r, found,
                                                                       "drop_siv_before"));
  /* the count indicator of the cockpit */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM dm.dma_volume_drop"), ==, 1);
}

/* Read completion by reader book and month: every cell against the raw bills. */
static void
test_read_completion_book (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportSpec) spec = aq_report_store_open (db, "mining_read_completion_book", NULL,
                                                       &error);
  g_autoptr(AqReportResult) r = NULL;
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *range = aq_test_query_string (db, "SELECT to_char(min(period), 'YYYY-MM')"
                                                 " || '..' || to_char(max(period), 'YYYY-MM')"
                                                 " FROM public.raw_bills");
  g_autoptr(PGresult) raw = NULL;
  guint checked = 0;

  g_assert_no_error (error);
  g_hash_table_insert (params, g_strdup ("period"), g_strdup (range));
  r = aq_report_run (db, catalog, spec, params, NULL, &error);
  g_assert_no_error (error);
  raw = aq_db_query (db, "SELECT btrim(a.book_no), count(*),"
                         " count(*) FILTER (WHERE b.read_status = '00')"
                         " FROM public.raw_bills b JOIN src_billing.account a"
                         " ON btrim(a.acct_no) = b.acct GROUP BY 1", 0, NULL, &error);
  g_assert_no_error (error);
  for (int i = 0; i < PQntuples (raw); i++)
    for (guint row = 0; row < aq_report_result_get_n_rows (r); row++)
      if (aq_report_result_get_row_kind (r, row) == AQ_REPORT_ROW_DETAIL
          && g_strcmp0 (aq_report_result_get_row_key (r, row, 0), PQgetvalue (raw, i, 0)) == 0)
        for (guint c = 0; c < aq_report_result_get_n_columns (r); c++)
          if (aq_report_result_get_column_kind (r, c) == AQ_REPORT_COLUMN_TOTAL)
            {
              const char *ind = aq_report_result_get_column_indicator (r, c);
              double v = 0;

              g_assert_true (aq_report_result_get_cell (r, row, c, &v));
              if (g_strcmp0 (ind, "book_reads_due") == 0)
                g_assert_cmpfloat (v, ==, g_ascii_strtod (PQgetvalue (raw, i, 1), NULL));
              else if (g_strcmp0 (ind, "book_reads_done") == 0)
                {
                  g_assert_cmpfloat (v, ==, g_ascii_strtod (PQgetvalue (raw, i, 2), NULL));
                  checked++;
                }
            }
  g_assert_cmpuint (checked, ==, (guint) PQntuples (raw));
}

/* A pivot of work-order findings: every detail cell of @indicator (rows: category, columns:
 * the column dimension's keys) equals the raw orders' count, and every raw group has a cell. */
static void
check_wo_pivot (const char *report,
                const char *indicator,
                const char *raw_sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportSpec) spec = aq_report_store_open (db, report, NULL, &error);
  g_autoptr(AqReportResult) r = NULL;
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) raw = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *range = aq_test_query_string (db, "SELECT to_char(min(created_at), 'YYYY-MM')"
                                                 " || '..' || to_char(max(created_at), 'YYYY-MM')"
                                                 " FROM src_workorder.work_order");
  g_autoptr(PGresult) res = NULL;
  guint cells = 0;
  double total = 0;

  g_assert_no_error (error);
  g_assert_true (aq_report_spec_get_standard (spec));
  g_hash_table_insert (params, g_strdup ("period"), g_strdup (range));
  r = aq_report_run (db, catalog, spec, params, NULL, &error);
  g_assert_no_error (error);
  res = aq_db_query (db, raw_sql, 0, NULL, &error);
  g_assert_no_error (error);
  for (int i = 0; i < PQntuples (res); i++)
    {
      g_hash_table_insert (raw, g_strdup_printf ("%s|%s", PQgetvalue (res, i, 0),
                                                 PQgetvalue (res, i, 1)),
                           GINT_TO_POINTER (atoi (PQgetvalue (res, i, 2))));
      total += atoi (PQgetvalue (res, i, 2));
    }
  /* a test that could not fail: the demo must have such orders */
  g_assert_cmpfloat (total, >, 0);
  for (guint row = 0; row < aq_report_result_get_n_rows (r); row++)
    {
      if (aq_report_result_get_row_kind (r, row) != AQ_REPORT_ROW_DETAIL)
        continue;
      for (guint c = 0; c < aq_report_result_get_n_columns (r); c++)
        {
          double v = 0;
          g_autofree char *key = NULL;

          if (aq_report_result_get_column_kind (r, c) != AQ_REPORT_COLUMN_DETAIL
              || g_strcmp0 (aq_report_result_get_column_indicator (r, c), indicator) != 0)
            continue;
          key = g_strdup_printf ("%s|%s", aq_report_result_get_row_key (r, row, 0),
                                 aq_report_result_get_column_key (r, c, 0));
          if (!aq_report_result_get_cell (r, row, c, &v) || v == 0)
            {
              g_assert_false (g_hash_table_contains (raw, key));
              continue;
            }
          g_test_message ("%s %s: %g", report, key, v);
          g_assert_cmpfloat (v, ==, GPOINTER_TO_INT (g_hash_table_lookup (raw, key)));
          cells++;
        }
    }
  g_assert_cmpuint (cells, ==, g_hash_table_size (raw));
}

static void
test_wo_overdue_by_category (void)
{
  check_wo_pivot ("mining_wo_overdue_by_category", "wo_finding_count",
                  "SELECT category, priority, count(*) FROM " RAW_ORDERS " o"
                  " WHERE " RAW_OVERDUE " GROUP BY 1, 2");
}

/* The bands of handling time over the time allowed, for the closed orders */
static void
test_wo_handling_sla (void)
{
  check_wo_pivot ("mining_wo_handling_sla", "wo_finding_count",
                  "SELECT category, CASE WHEN h <= 0.5 THEN 'le50' WHEN h <= 1 THEN 'le100'"
                  " WHEN h <= 1.5 THEN 'le150' WHEN h <= 2 THEN 'le200' ELSE 'gt200' END,"
                  " count(*) FROM (SELECT category, extract(epoch FROM closed_at - created_at)"
                  " / (sla_minutes * 60.0) AS h FROM " RAW_ORDERS " o"
                  " WHERE status = 'CLS' AND closed_at IS NOT NULL) x GROUP BY 1, 2");
}

/* The team of each raw order: its last DISPATCH step's team ('' before dispatch). */
#define RAW_TEAM \
  "coalesce((SELECT nullif(btrim(s.team), '') FROM src_workorder.work_order_step s" \
  " WHERE btrim(s.wo_no) = o.wo_no AND s.action = 'DISPATCH' ORDER BY s.seq DESC LIMIT 1), '')"

/* Work orders by team: orders, overdue, overdue share and mean handling hours per team. */
static void
test_wo_by_team (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportSpec) spec = aq_report_store_open (db, "mining_wo_by_team", NULL, &error);
  g_autoptr(AqReportResult) r = NULL;
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *range = aq_test_query_string (db, "SELECT to_char(min(created_at), 'YYYY-MM')"
                                                 " || '..' || to_char(max(created_at), 'YYYY-MM')"
                                                 " FROM src_workorder.work_order");
  g_autoptr(PGresult) raw = NULL;
  static const char * const indicators[] = {
    "wo_finding_count", "wo_team_overdue", "wo_team_overdue_share", "wo_team_handling_hours",
  };
  guint checked = 0, teams = 0;

  g_assert_no_error (error);
  g_assert_true (aq_report_spec_get_standard (spec));
  g_hash_table_insert (params, g_strdup ("period"), g_strdup (range));
  r = aq_report_run (db, catalog, spec, params, NULL, &error);
  g_assert_no_error (error);
  raw = aq_db_query (db, "SELECT team, count(*), count(*) FILTER (WHERE overdue),"
                         " count(*) FILTER (WHERE overdue)::float8 / count(*),"
                         " avg(hours)::float8 FROM (SELECT " RAW_TEAM " AS team, " RAW_OVERDUE
                         " AS overdue, CASE WHEN status = 'CLS' AND closed_at IS NOT NULL"
                         " THEN round((extract(epoch FROM closed_at - created_at) / 3600)::numeric,"
                         " 1) END AS hours FROM " RAW_ORDERS " o WHERE status <> 'CAN') x"
                         " GROUP BY 1", 0, NULL, &error);
  g_assert_no_error (error);
  /* the simulator's six teams all have orders at the test scale */
  g_assert_cmpint (PQntuples (raw), >=, 6);
  for (int i = 0; i < PQntuples (raw); i++)
    for (guint row = 0; row < aq_report_result_get_n_rows (r); row++)
      if (aq_report_result_get_row_kind (r, row) == AQ_REPORT_ROW_DETAIL
          && g_strcmp0 (aq_report_result_get_row_key (r, row, 0), PQgetvalue (raw, i, 0)) == 0)
        {
          teams++;
          for (guint c = 0; c < aq_report_result_get_n_columns (r); c++)
            for (guint k = 0; k < G_N_ELEMENTS (indicators); k++)
              if (g_strcmp0 (aq_report_result_get_column_indicator (r, c), indicators[k]) == 0)
                {
                  double v = 0, want = g_ascii_strtod (PQgetvalue (raw, i, 1 + (int) k), NULL);

                  g_assert_true (aq_report_result_get_cell (r, row, c, &v));
                  g_test_message ("%s %s: %g (raw %g)", PQgetvalue (raw, i, 0), indicators[k],
                                  v, want);
                  g_assert_cmpfloat_with_epsilon (v, want, 1e-9 * MAX (1.0, fabs (want)));
                  checked++;
                }
        }
  g_assert_cmpuint (teams, ==, (guint) PQntuples (raw));
  g_assert_cmpuint (checked, ==, teams * G_N_ELEMENTS (indicators));
}

/* Reopened orders: exactly the planted ones, and the raw orders with a REOPEN step. */
static void
test_wo_reopened (void)
{
  static const MiningCase c = { "mining_wo_reopened", NULL, "wo_no,wo_team", NULL };
  guint n_rows = 0;
  g_autoptr(GPtrArray) listed = report_keys (&c, &n_rows);
  g_autoptr(GPtrArray) raw = query_keys ("SELECT o.wo_no || '|' || " RAW_TEAM " FROM " RAW_ORDERS
                                         " o WHERE EXISTS (SELECT 1 FROM"
                                         " src_workorder.work_order_step s WHERE btrim(s.wo_no)"
                                         " = o.wo_no AND s.action = 'REOPEN')");
  g_autoptr(GPtrArray) truth = query_keys ("SELECT btrim(t.wo_no) || '|' || substring(t.detail"
                                           " FROM 'team=([^ ]+)') FROM src_truth.work_order t"
                                           " WHERE t.kind = 'reopened'");

  g_test_message ("%u reopened listed, %u raw, %u planted", listed->len, raw->len, truth->len);
  g_assert_cmpuint (truth->len, >=, 3);
  g_assert_cmpuint (n_rows, ==, truth->len);
  assert_same_keys ("reopened vs raw", listed, raw);
  assert_same_keys ("reopened vs planted", listed, truth);
}

/* ---- the three mining dashboards ---- */

/* A KPI's figure from the raw sources: @sql counts (or rates) with $1 = the tile's month
 * (YYYY-MM), or without parameter for a list that is not cut by month. */
typedef struct
{
  const char *indicator;
  const char *sql;
} KpiCheck;

#define RAW_MONTH(col) "to_char(" col ", 'YYYY-MM') = $1"
#define WO_MONTH "(SELECT * FROM " RAW_ORDERS " o WHERE " RAW_MONTH ("created_at") ") o"
/* dw's sla_met: closed in time (cancelled ones too), NULL while open and not yet due */
#define RAW_SLA_MET "closed_at IS NOT NULL AND closed_at <= due"
#define RAW_SLA_MISSED "(closed_at > due OR (closed_at IS NULL AND status <> 'CAN'" \
  " AND (SELECT max(created_at) FROM src_workorder.work_order) > due))"

static const KpiCheck kpi_checks[] = {
  { "book_read_rate", "SELECT count(*) FILTER (WHERE read_status = '00')::float8 / count(*)"
    " FROM public.raw_bills WHERE " RAW_MONTH ("period") },
  { "book_reads_estimated", "SELECT count(*) FROM public.raw_bills WHERE read_status = '01'"
    " AND " RAW_MONTH ("period") },
  { "book_reads_done", "SELECT count(*) FROM public.raw_bills WHERE read_status = '00'"
    " AND " RAW_MONTH ("period") },
  { "wo_created", "SELECT count(*) FROM " WO_MONTH },
  { "wo_sla_missed", "SELECT count(*) FROM " WO_MONTH " WHERE " RAW_SLA_MISSED },
  { "wo_timely_rate", "SELECT count(*) FILTER (WHERE " RAW_SLA_MET ")::float8 / count(*)"
    " FILTER (WHERE (" RAW_SLA_MET ") OR " RAW_SLA_MISSED ") FROM " WO_MONTH },
  { "wo_close_rate", "SELECT count(*) FILTER (WHERE status = 'CLS')::float8 / count(*) FROM "
    WO_MONTH },
  { "wo_n_reopened", "SELECT count(*) FROM " WO_MONTH " WHERE EXISTS (SELECT 1 FROM"
    " src_workorder.work_order_step s WHERE btrim(s.wo_no) = o.wo_no AND s.action = 'REOPEN')" },
  { "wo_n_repeat_address", "SELECT count(*) FROM " WO_MONTH " WHERE o.acct IS NOT NULL"
    " AND o.address IS NOT NULL AND EXISTS (SELECT 1 FROM " RAW_ORDERS " q"
    " WHERE q.address = o.address AND q.acct IS NOT NULL AND q.wo_no <> o.wo_no"
    " AND q.created_at BETWEEN o.created_at - interval '30 days' AND o.created_at)" },
};

/* The SQL of a mining_n_LIST KPI: the length of the list in dm.meter_finding, which
 * /mining/mining_LIST (the other executable) checks against the raw sources and the planted
 * truth; running those raw queries again here would double this test's time. */
static char *
mining_kpi_sql (const char *indicator)
{
  return g_strdup_printf ("SELECT count(*) FROM dm.meter_finding WHERE list = '%s'",
                          indicator + strlen ("mining_n_"));
}

static void
check_kpi (const AqDashboardTile *tile,
           AqTileData            *data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autofree char *sql = NULL;
  double want;

  g_assert_true (data->has_value);
  if (g_str_has_prefix (tile->indicator, "mining_n_"))
    {
      /* a list count is not cut by month: the whole list */
      g_assert_null (data->period);
      sql = mining_kpi_sql (tile->indicator);
      res = aq_db_query (db, sql, 0, NULL, &error);
    }
  else
    {
      const char *params[] = { data->period };

      for (guint i = 0; i < G_N_ELEMENTS (kpi_checks); i++)
        if (g_str_equal (kpi_checks[i].indicator, tile->indicator))
          sql = g_strdup (kpi_checks[i].sql);
      g_assert_nonnull (sql);
      g_assert_nonnull (data->period);
      res = aq_db_query (db, sql, 1, params, &error);
    }
  g_assert_no_error (error);
  want = g_ascii_strtod (PQgetvalue (res, 0, 0), NULL);
  g_test_message ("%s %s = %g (raw %g)", tile->id, data->period ? data->period : "", data->value,
                  want);
  g_assert_cmpfloat_with_epsilon (data->value, want, 1e-9 * MAX (1.0, fabs (want)));
}

/* Each of the three shipped mining dashboards opens from the store, and every tile has its
 * figures: each KPI equals the raw sources, each list table shows the list's first rows. */
static void
test_dashboards (void)
{
  static const char * const names[] = { "mining_reading", "mining_meters", "mining_work_orders" };
  static const char * const titles[] = { "抄表改善", "水表管理", "工单改善" };

  for (guint n = 0; n < G_N_ELEMENTS (names); n++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AqDashboard) d = aq_dashboard_store_open (db, names[n], 0, NULL, &error);
      guint kpis = 0, tables = 0;

      g_assert_no_error (error);
      g_assert_cmpstr (d->title, ==, titles[n]);
      g_assert_true (d->standard);
      g_assert_cmpuint (d->tiles->len, >=, 9);
      for (guint t = 0; t < d->tiles->len; t++)
        {
          const AqDashboardTile *tile = g_ptr_array_index (d->tiles, t);
          g_autoptr(AqTileData) data = aq_tile_data_fetch (db, catalog, d, tile, NULL, &error);

          g_assert_no_error (error);
          if (tile->kind == AQ_TILE_KPI)
            {
              check_kpi (tile, data);
              kpis++;
            }
          else
            {
              g_autoptr(AqReportSpec) spec = aq_report_store_open (db, tile->report, NULL,
                                                                   &error);

              g_assert_no_error (error);
              g_assert_nonnull (data->result);
              g_assert_cmpuint (aq_report_result_get_n_rows (data->result), >, 0);
              if (aq_report_spec_get_kind (spec) == AQ_REPORT_KIND_LIST)
                {
                  guint n_rows = 0;
                  /* a cockpit's compact list (NAME_top: one row per account or order) of
                   * the list NAME: as many rows as the list's accounts or orders */
                  g_autofree char *list = g_strdup (tile->report);
                  g_autofree char *sql = NULL;

                  g_assert_true (g_str_has_suffix (list, "_top"));
                  list[strlen (list) - 4] = '\0';
                  if (g_str_equal (list, "mining_unread_streak"))
                    sql = g_strdup ("SELECT count(DISTINCT account_id) FROM dm.meter_finding"
                                    " WHERE list = 'unread_streak' AND months >= 2");
                  else if (g_str_has_prefix (list, "mining_")
                           && !g_str_has_prefix (list, "mining_wo"))
                    sql = g_strdup_printf ("SELECT count(DISTINCT account_id) FROM"
                                           " dm.meter_finding WHERE list = '%s'",
                                           list + strlen ("mining_"));
                  if (g_str_equal (list, "mining_wo_reopened"))
                    sql = g_strdup ("SELECT count(*) FROM src_truth.work_order");
                  g_assert_nonnull (sql);
                  n_rows = (guint) aq_test_query_int64 (db, sql);
                  g_assert_cmpuint (n_rows, >, 0);
                  g_assert_cmpuint (aq_report_result_get_n_rows (data->result), ==,
                                    MIN (n_rows, tile->limit ? tile->limit : 10));
                }
              tables++;
            }
        }
      g_test_message ("%s: %u KPIs, %u tables and charts", names[n], kpis, tables);
      g_assert_cmpuint (kpis, ==, 6);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  {
    /* the demo of aq_test_demo_db_new with the sudden drop planted (by default only from
     * 10,000 accounts up): the sudden-drop list finds it */
    AqSimulatorOptions options;

    db = aq_test_db_new (DB_NAME, TRUE);
    aq_simulator_options_init (&options);
    options.accounts = 3000;
    options.months = 24;
    options.sudden_drop = 1;
    aq_simulator_run (db, &options, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    aq_demo_run_pipelines (db, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
  }
  catalog = aq_catalog_load (db, NULL, &error);
  g_assert_no_error (error);
  res = aq_db_query (db, RAW_BILLS_VIEW, 0, NULL, &error);
  g_assert_no_error (error);

#ifdef AQ_TEST_MINING_DASHBOARDS
  /* the dashboards in an executable (and a warehouse) of their own: run beside the lists */
  g_test_add_func ("/mining/dashboards", test_dashboards);
#else
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mining/%s", cases[i].report);

      g_test_add_data_func (path, &cases[i], test_list);
    }
  g_test_add_func ("/mining/not-empty", test_lists_not_empty);
  g_test_add_func ("/mining/read-completion-book", test_read_completion_book);
  g_test_add_func ("/mining/volume-drop", test_volume_drop);
  g_test_add_func ("/mining/wo-overdue-by-category", test_wo_overdue_by_category);
  g_test_add_func ("/mining/wo-handling-sla", test_wo_handling_sla);
  g_test_add_func ("/mining/wo-by-team", test_wo_by_team);
  g_test_add_func ("/mining/wo-reopened", test_wo_reopened);
#endif
  ret = g_test_run ();
  g_clear_object (&catalog);
  g_clear_object (&db);
  aq_test_drop_database (DB_NAME);
  return ret;
}
