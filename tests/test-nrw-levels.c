/* test-nrw-levels.c — NRW by zone level as the network is metered, on a small demo warehouse
 *
 * A zone's supply at every level is what its own boundary meters measured. Every figure is
 * checked against an independent computation from the raw GIS tables (src_gis.boundary_meter
 * and src_gis.dma_inflow: Σ flow_sign × volume), not against the pipelines' own tables: the
 * cube's measured and children's input, the standard 产销差 report's subtotals (measured), its
 * level-3 sums and between-levels rows, and the per-level report nrw_by_level.
 */
#include "aq-test-util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static AqDb *db;
static AqCatalog *catalog;
static char *last_month;   /* "YYYY-MM" */

/* Measured input of every zone (any level) in the last month, straight from the GIS source,
 * and the sum of its direct children's and of its level-3 descendants' measured input. */
#define RAW_MEASURED \
  "WITH m AS (SELECT b.zone_code, sum(b.flow_sign * i.volume) AS v" \
  "  FROM src_gis.boundary_meter b JOIN src_gis.dma_inflow i USING (meter_code)" \
  "  WHERE i.period = replace($1, '-', '') GROUP BY 1)," \
  " z AS (SELECT z.zone_code, z.level, z.parent_code," \
  "  CASE z.level WHEN 3 THEN p.parent_code WHEN 2 THEN z.parent_code" \
  "  ELSE z.zone_code END AS l1 FROM src_gis.dma_zone z" \
  "  LEFT JOIN src_gis.dma_zone p ON p.zone_code = z.parent_code)" \
  " SELECT z.zone_code, z.level, coalesce(m.v, 0)," \
  "  (SELECT coalesce(sum(cm.v), 0) FROM src_gis.dma_zone c JOIN m cm USING (zone_code)" \
  "   WHERE c.parent_code = z.zone_code)," \
  "  (SELECT coalesce(sum(dm.v), 0) FROM z d JOIN m dm USING (zone_code)" \
  "   WHERE d.level = 3 AND (d.parent_code = z.zone_code OR d.l1 = z.zone_code))" \
  " FROM z LEFT JOIN m USING (zone_code) ORDER BY z.level, z.zone_code"

static GHashTable *
params_new (const char *key,
            const char *value)
{
  GHashTable *params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_insert (params, g_strdup (key), g_strdup (value));
  return params;
}

static AqReportResult *
run_standard (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportSpec) spec = aq_report_store_open (db, name, NULL, &error);
  g_autoptr(GHashTable) params = NULL;
  AqReportResult *r;

  g_assert_no_error (error);
  params = params_new ("period", last_month);
  r = aq_report_run (db, catalog, spec, params, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  return r;
}

/* The column of the values' totals over the month columns (or the only column) for @ind. */
static guint
column_of (AqReportResult *r,
           const char     *ind)
{
  guint found = G_MAXUINT;

  for (guint c = 0; c < aq_report_result_get_n_columns (r); c++)
    if (g_strcmp0 (aq_report_result_get_column_indicator (r, c), ind) == 0
        && (found == G_MAXUINT
            || aq_report_result_get_column_kind (r, c) == AQ_REPORT_COLUMN_TOTAL))
      found = c;
  g_assert_cmpuint (found, !=, G_MAXUINT);
  return found;
}

/* The row whose key at its deepest level is @key, at exactly @level (0: any). */
static int
row_of (AqReportResult *r,
        const char     *key,
        guint           level)
{
  for (guint row = 0; row < aq_report_result_get_n_rows (r); row++)
    {
      guint l = aq_report_result_get_row_level (r, row);

      if (l > 0 && (level == 0 || l == level)
          && g_strcmp0 (aq_report_result_get_row_key (r, row, l - 1), key) == 0)
        return (int) row;
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
  if (!aq_report_result_get_cell (r, (guint) row, col, &v))
    return 0;
  return v;
}

#define assert_volume(a, b) g_assert_cmpfloat (fabs ((a) - (b)), <, 0.051)

/* The cube: measured input at every level, children's input at levels 1 and 2. */
static void
test_cube (void)
{
  g_autoptr(GError) error = NULL;
  const char *p[] = { last_month };
  g_autoptr(PGresult) raw = aq_db_query (db, RAW_MEASURED, 1, p, &error);
  guint differ = 0;

  g_assert_no_error (error);
  g_assert_cmpint (PQntuples (raw), >, 10);
  for (int i = 0; i < PQntuples (raw); i++)
    {
      const char *zone = PQgetvalue (raw, i, 0);
      int level = atoi (PQgetvalue (raw, i, 1));
      const char *q[] = { zone, last_month };
      g_autoptr(PGresult) cube = aq_db_query (db, "SELECT siv, children_siv FROM"
                                              " dm.cube_nrw_monthly WHERE zone_code = $1"
                                              " AND period = to_date($2, 'YYYY-MM')",
                                              2, q, &error);

      g_assert_no_error (error);
      g_assert_cmpint (PQntuples (cube), ==, 1);
      assert_volume (g_ascii_strtod (PQgetvalue (cube, 0, 0), NULL),
                     g_ascii_strtod (PQgetvalue (raw, i, 2), NULL));
      if (level == 3)
        g_assert_true (PQgetisnull (cube, 0, 1));
      else
        {
          double children = g_ascii_strtod (PQgetvalue (raw, i, 3), NULL);

          assert_volume (g_ascii_strtod (PQgetvalue (cube, 0, 1), NULL), children);
          differ += fabs (g_ascii_strtod (PQgetvalue (raw, i, 2), NULL) - children) > 0.5;
        }
    }
  /* the simulator meters trunk mains between the levels: the figures do differ */
  g_assert_cmpuint (differ, >, 0);
}

/* The standard 产销差 report: subtotals are the zones' own measured input; the level-3 sum and
 * the between-levels loss beside it; level-3 rows as measured. */
static void
test_standard_report (void)
{
  g_autoptr(GError) error = NULL;
  const char *p[] = { last_month };
  g_autoptr(PGresult) raw = aq_db_query (db, RAW_MEASURED, 1, p, &error);
  g_autoptr(AqReportResult) r = run_standard ("nrw_by_dma");
  guint siv = column_of (r, "nrw_siv");
  guint l3 = column_of (r, "nrw_children_siv");
  guint loss = column_of (r, "nrw_between_loss");
  double city = 0, city_l3 = 0;

  g_assert_no_error (error);
  for (int i = 0; i < PQntuples (raw); i++)
    {
      const char *zone = PQgetvalue (raw, i, 0);
      guint level = (guint) atoi (PQgetvalue (raw, i, 1));
      double measured = g_ascii_strtod (PQgetvalue (raw, i, 2), NULL);
      double children = g_ascii_strtod (PQgetvalue (raw, i, 3), NULL);
      double level3 = g_ascii_strtod (PQgetvalue (raw, i, 4), NULL);
      int row = row_of (r, zone, level);

      g_test_message ("%s L%u measured %.1f children %.1f level-3 %.1f", zone, level,
                      measured, children, level3);
      g_assert_cmpint (row, >=, 0);
      assert_volume (cell (r, row, siv), measured);
      if (level == 3)
        {
          assert_volume (cell (r, row, l3), measured);
          assert_volume (cell (r, row, loss), 0);
          continue;
        }
      assert_volume (cell (r, row, l3), level3);
      assert_volume (cell (r, row, loss), measured - level3);
      /* the between-levels row: this zone's measured input minus its direct children's */
      {
        g_autofree char *between = g_strconcat (zone, "/between", NULL);
        int b = row_of (r, between, 3);

        g_assert_cmpint (b, >=, 0);
        assert_volume (cell (r, b, siv), measured - children);
        assert_volume (cell (r, b, loss), measured - children);
        g_assert_cmpstr (aq_report_result_get_row_label (r, (guint) b, 2), !=, NULL);
        g_assert_nonnull (strstr (aq_report_result_get_row_label (r, (guint) b, 2),
                                  "级间损失"));
      }
      if (level == 1)
        {
          city += measured;
          city_l3 += level3;
        }
    }
  /* the grand total: the level-1 zones' measured input */
  for (guint row = 0; row < aq_report_result_get_n_rows (r); row++)
    if (aq_report_result_get_row_kind (r, row) == AQ_REPORT_ROW_TOTAL)
      {
        assert_volume (cell (r, (int) row, siv), city);
        assert_volume (cell (r, (int) row, l3), city_l3);
      }
}

/* The per-level report: each zone's measured input, its direct children's, the difference. */
static void
test_level_report (void)
{
  g_autoptr(GError) error = NULL;
  const char *p[] = { last_month };
  g_autoptr(PGresult) raw = aq_db_query (db, RAW_MEASURED, 1, p, &error);
  g_autoptr(AqReportResult) r = run_standard ("nrw_by_level");
  guint siv = column_of (r, "zone_siv");
  guint children = column_of (r, "zone_children_siv");
  guint loss = column_of (r, "zone_between_loss");
  guint checked = 0;

  g_assert_no_error (error);
  for (int i = 0; i < PQntuples (raw); i++)
    {
      int level = atoi (PQgetvalue (raw, i, 1));
      double measured = g_ascii_strtod (PQgetvalue (raw, i, 2), NULL);
      double sum = g_ascii_strtod (PQgetvalue (raw, i, 3), NULL);
      int row = row_of (r, PQgetvalue (raw, i, 0), 2);

      g_assert_cmpint (row, >=, 0);
      g_assert_cmpstr (aq_report_result_get_row_key (r, (guint) row, 0), ==,
                       PQgetvalue (raw, i, 1));
      assert_volume (cell (r, row, siv), measured);
      if (level < 3)
        {
          assert_volume (cell (r, row, children), sum);
          assert_volume (cell (r, row, loss), measured - sum);
        }
      checked++;
    }
  g_assert_cmpuint (checked, ==, aq_test_query_int64 (db, "SELECT count(*) FROM dw.dim_dma_zone"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  db = aq_test_demo_db_new ("t_nrw_levels", 1500, 13);
  catalog = aq_catalog_load (db, NULL, &error);
  g_assert_no_error (error);
  last_month = aq_test_query_string (db, "SELECT to_char(max(period), 'YYYY-MM')"
                                         " FROM dm.cube_nrw_monthly");

  g_test_add_func ("/nrw-levels/cube", test_cube);
  g_test_add_func ("/nrw-levels/standard-report", test_standard_report);
  g_test_add_func ("/nrw-levels/level-report", test_level_report);
  ret = g_test_run ();
  g_clear_object (&catalog);
  g_clear_object (&db);
  aq_test_drop_database ("t_nrw_levels");
  g_free (last_month);
  return ret;
}
