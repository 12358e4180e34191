/* bench-catalog.c — the data catalog's speed: rebuild after a pipeline change, search, a dm
 * table's lineage graph and page
 *
 *   AQUEDUCT_DATABASE_URL=… builddir/tests/bench/bench-catalog [ROUNDS]
 *
 * ROUNDS defaults to 200. On a filled warehouse (`aqueductctl warehouse init --demo` for the
 * default scale):
 * 1. rebuild: 5 × aq_datasets_ensure_built() right after the definitions changed (the
 *    standard pipelines alternately as shipped and with dm_profile's arrears declared
 *    differently, so each call sees a change and rebuilds everything);
 * 2. search: ROUNDS × aq_datasets_search() over a rotation of words people type (English and
 *    Chinese, tables, columns, indicators), p50 / p95 / max;
 * 3. lineage graph of dm.customer_profile: ROUNDS × (load the stored graph + walk it up and
 *    down), what the panel and `catalog lineage` do, p50 / p95 / max;
 * 4. a table's whole page (aq_datasets_load_table: catalog rows, estimates, masked samples,
 *    freshness, lineage), ROUNDS / 4 times.
 * Aims (issue 16): rebuild ≤ 5 s, search ≤ 50 ms, a dm table's lineage graph ≤ 200 ms.
 */
#include "aq-test-util.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *what,
        GArray     *ms)
{
  g_array_sort (ms, compare_double);
  printf ("%-34s n=%-4u p50 %8.2f ms   p95 %8.2f ms   max %8.2f ms\n", what, ms->len,
          g_array_index (ms, double, ms->len / 2),
          g_array_index (ms, double, MIN (ms->len - 1, ms->len * 95 / 100)),
          g_array_index (ms, double, ms->len - 1));
}

static GPtrArray *
edited_pipelines (void)
{
  g_auto(GStrv) names = aq_pipeline_list_standard ();
  GPtrArray *pipelines = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GBytes) bytes = g_resources_lookup_data ("/org/aqueduct/Aqueduct/pipelines/"
                                                     "dm_profile.json", 0, NULL);
  g_autofree char *json = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_auto(GStrv) parts = g_strsplit (json, "            \"dw.fact_payment.amount\",\n", 2);
  g_autofree char *edited = g_strjoinv ("", parts);

  for (guint i = 0; names[i]; i++)
    {
      g_autoptr(GError) error = NULL;
      AqPipeline *p = g_str_equal (names[i], "dm_profile")
                      ? aq_pipeline_new_from_data (edited, -1, NULL, &error)
                      : aq_pipeline_new_standard (names[i], &error);

      g_assert_no_error (error);
      g_ptr_array_add (pipelines, p);
    }
  return pipelines;
}

int
main (int   argc,
      char *argv[])
{
  static const char * const words[] = {
    "bill", "customer", "arrears", "欠费", "phone", "zone", "amount", "qty", "dma", "水量",
    "payment", "fact_bill", "mobile", "nrw", "community", "work_order", "售水量", "tariff",
  };
  guint rounds = argc > 1 ? (guint) atoi (argv[1]) : 200;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(GPtrArray) edited = NULL;
  g_autoptr(GArray) rebuild = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) search = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) graph = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) page = g_array_new (FALSE, FALSE, sizeof (double));
  AqDatasetsBuild build = { 0 };

  setlocale (LC_ALL, "");
  aq_core_init ();
  db = aq_connection_open (NULL, &error);
  g_assert_no_error (error);
  edited = edited_pipelines ();

  for (guint i = 0; i < 6; i++)
    {
      gint64 start = g_get_monotonic_time ();
      double ms;

      /* odd runs: the edited definitions; even: the shipped ones (ensure_built notices) */
      if (i % 2)
        aq_datasets_rebuild (db, edited, &build, NULL, &error);
      else
        aq_datasets_ensure_built (db, NULL, NULL, &error);
      g_assert_no_error (error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (i > 0)
        g_array_append_val (rebuild, ms);
    }
  aq_datasets_rebuild (db, NULL, &build, NULL, &error);
  g_assert_no_error (error);
  printf ("catalog: %u tables, %u columns, %u lineage edges, %u problems\n", build.tables,
          build.columns, build.edges, build.problems);
  report ("rebuild after a pipeline change", rebuild);

  for (guint i = 0; i < rounds; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GPtrArray) hits = aq_datasets_search (db, words[i % G_N_ELEMENTS (words)], 50,
                                                      NULL, &error);
      double ms = (g_get_monotonic_time () - start) / 1000.0;

      g_assert_no_error (error);
      g_array_append_val (search, ms);
    }
  report ("search", search);

  for (guint i = 0; i < rounds; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(AqLineage) lineage = aq_datasets_load_lineage (db, NULL, &error);
      g_autoptr(GPtrArray) up = NULL;
      g_autoptr(GPtrArray) down = NULL;
      double ms;

      g_assert_no_error (error);
      up = aq_lineage_walk (lineage, "dm.customer_profile", AQ_LINEAGE_UPSTREAM, 0);
      down = aq_lineage_walk (lineage, "dm.customer_profile", AQ_LINEAGE_DOWNSTREAM, 0);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_assert_cmpuint (up->len, >, 0);
      g_array_append_val (graph, ms);
    }
  report ("lineage graph of dm.customer_profile", graph);

  for (guint i = 0; i < MAX (rounds / 4, 1); i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(AqDatasetTable) table = aq_datasets_load_table (db, "dm.customer_profile", NULL,
                                                                &error);
      double ms = (g_get_monotonic_time () - start) / 1000.0;

      g_assert_no_error (error);
      g_array_append_val (page, ms);
    }
  report ("page of dm.customer_profile", page);
  return 0;
}
