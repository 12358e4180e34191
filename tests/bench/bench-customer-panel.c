/* bench-customer-panel.c — from Enter in the search field to the 360 on screen, in the real panel
 *
 *   AQUEDUCT_DATABASE_URL=… xvfb-run -a -s "-screen 0 1280x1024x24" \
 *     builddir/tests/bench/bench-customer-panel [LOOKUPS] [RUNS]   (default 60 lookups, 3 runs)
 *
 * Builds the real window (1280 × 800) with the Customer 360 panel, picks LOOKUPS random mobiles
 * of single-account customers (so every lookup loads and draws the full 360), and for each one
 * sets the text of the real search entry, activates it as Enter does, and stops the clock when
 * the panel has finished loading AND the frame clock has painted the next frame (its
 * "after-paint"): what the agent waits for. Prints p50 / p95 / max of each run and the medians
 * of the runs; first, for comparison, what opening a connection and core's own asynchronous
 * lookup (a connection per lookup, no widget) take for the same phones. Each lookup writes its
 * audit row, as in production: run it on a copy of a warehouse, never on one that must keep an
 * exact audit log.
 * Xvfb has no GPU: GSK_RENDERER=gl renders with llvmpipe on the CPU, GSK_RENDERER=cairo is
 * the cheaper software path; tests/bench/run measures both.
 */
#include "config.h"

#include <adwaita.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "aq-build-tree.h"
#include "aq-customer-panel.h"
#include "aq-panel.h"
#include "aq-ui.h"
#include "aq-window.h"
#include "aqueduct-core.h"

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
after_paint_cb (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  AqCustomerLookup **lookup = user_data;
  g_autoptr(GError) error = NULL;

  *lookup = aq_customer_lookup_finish (result, &error);
  g_assert_no_error (error);
}

static double
percentile (GArray *sorted,
            guint   p)
{
  return g_array_index (sorted, double, MIN (sorted->len - 1, sorted->len * p / 100));
}

static double
median (double *values,
        guint   n)
{
  g_autoptr(GArray) array = g_array_new (FALSE, FALSE, sizeof (double));

  g_array_append_vals (array, values, n);
  g_array_sort (array, compare_double);
  return n % 2 ? g_array_index (array, double, n / 2)
               : (g_array_index (array, double, n / 2 - 1) + g_array_index (array, double, n / 2))
                 / 2;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(AqConnectionMonitor) monitor = NULL;
  g_autofree char *limit = NULL;
  const char *url = g_getenv ("AQUEDUCT_DATABASE_URL");
  guint lookups = argc > 1 ? (guint) atoi (argv[1]) : 60;
  guint runs = argc > 2 ? (guint) atoi (argv[2]) : 3;
  double p50s[16], p95s[16];
  AqWindow *window;
  AqCustomerPanel *panel;
  GtkWidget *entry;
  GdkFrameClock *clock;
  gboolean painted = FALSE;

  setlocale (LC_ALL, "");
  if (url == NULL || *url == '\0' || lookups == 0 || runs == 0 || runs > G_N_ELEMENTS (p50s))
    {
      fprintf (stderr, "Usage: AQUEDUCT_DATABASE_URL=… %s [LOOKUPS] [RUNS ≤ 16]\n", argv[0]);
      return 2;
    }
  /* the panel keeps its role and section in GSettings: the build's schema, nothing stored */
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    g_setenv ("GSETTINGS_SCHEMA_DIR", AQ_BUILD_SCHEMA_DIR, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  gtk_init ();
  adw_init ();
  aq_ui_init ();

  db = aq_db_connect (url, &error);
  if (db == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 3;
    }
  limit = g_strdup_printf ("%u", lookups);
  {
    const char *params[] = { limit };

    res = aq_db_query (db, "SELECT ct.value FROM dw.contact ct"
                           " JOIN dw.dim_account a USING (customer_id)"
                           " WHERE ct.kind = 'mobile'"
                           " GROUP BY ct.value HAVING count(*) = 1"
                           " ORDER BY random() LIMIT $1::int", 1, params, &error);
  }
  if (res == NULL || PQntuples (res) == 0)
    {
      fprintf (stderr, "No mobiles in dw.contact: %s\n", error ? error->message : "empty");
      return 1;
    }

  monitor = aq_connection_monitor_new ();
  window = aq_window_new (NULL, monitor);
  aq_connection_monitor_set_conninfo (monitor, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  aq_window_show_panel (window, "customer");
  panel = AQ_CUSTOMER_PANEL (aq_window_get_panel (window, "customer"));
  entry = aq_customer_panel_get_search_entry (panel);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);

  printf ("machine: %u cores; %d lookups of single-account mobiles per run, window 1280 × 800\n",
          g_get_num_processors (), PQntuples (res));

  /* of which: the connection aq_customer_lookup_async() opens for each lookup */
  {
    g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));

    for (int i = 0; i < PQntuples (res); i++)
      {
        gint64 start = g_get_monotonic_time ();
        g_autoptr(AqDb) each = aq_connection_open (NULL, &error);
        double elapsed = (g_get_monotonic_time () - start) / 1000.0;

        g_assert_no_error (error);
        g_array_append_val (ms, elapsed);
      }
    g_array_sort (ms, compare_double);
    printf ("  opening a connection (aq_connection_open): p50 %.1f ms, p95 %.1f ms\n",
            percentile (ms, 50), percentile (ms, 95));
  }

  /* for comparison: core's own asynchronous lookup, which opens a connection per lookup (the
   * panel's first version used it; the panel now keeps one, aq-customer-session.c) */
  {
    g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));

    for (int i = 0; i < PQntuples (res); i++)
      {
        AqCustomerLookup *lookup = NULL;
        gint64 start = g_get_monotonic_time ();
        double elapsed;

        aq_customer_lookup_async (NULL, AQ_CUSTOMER_KEY_SEARCH, PQgetvalue (res, i, 0),
                                  AQ_ROLE_AGENT, "bench", NULL, lookup_cb, &lookup);
        while (lookup == NULL)
          g_main_context_iteration (NULL, TRUE);
        elapsed = (g_get_monotonic_time () - start) / 1000.0;
        g_array_append_val (ms, elapsed);
        aq_customer_lookup_free (lookup);
      }
    g_array_sort (ms, compare_double);
    printf ("  aq_customer_lookup_async, a connection each, no widget: p50 %.1f ms, p95 %.1f ms\n",
            percentile (ms, 50), percentile (ms, 95));
  }
  for (guint run = 0; run < runs; run++)
    {
      g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
      guint shown = 0;
      gint64 loaded_us = 0;

      for (int i = 0; i < PQntuples (res); i++)
        {
          gint64 start;
          double elapsed;

          start = g_get_monotonic_time ();
          gtk_editable_set_text (GTK_EDITABLE (entry), PQgetvalue (res, i, 0));
          g_signal_emit_by_name (entry, "activate");
          while (aq_panel_get_loading (AQ_PANEL (panel)))
            g_main_context_iteration (NULL, TRUE);
          loaded_us += g_get_monotonic_time () - start;
          painted = FALSE;
          while (!painted)
            g_main_context_iteration (NULL, TRUE);
          elapsed = (g_get_monotonic_time () - start) / 1000.0;
          g_array_append_val (ms, elapsed);
          shown += g_strcmp0 (aq_customer_panel_get_page (panel), "customer") == 0;
        }
      if (g_getenv ("BENCH_VERBOSE"))
        printf ("  run %u: mean %.1f ms until loaded\n", run + 1,
                loaded_us / 1000.0 / PQntuples (res));
      g_array_sort (ms, compare_double);
      p50s[run] = percentile (ms, 50);
      p95s[run] = percentile (ms, 95);
      printf ("  run %u: %u lookups (%u showed the 360): p50 %.1f ms, p95 %.1f ms, max %.1f ms\n",
              run + 1, ms->len, shown, p50s[run], p95s[run], g_array_index (ms, double,
                                                                            ms->len - 1));
    }
  printf ("customer 360 panel, Enter to the next frame drawn: p50 %.1f ms, p95 %.1f ms "
          "(medians of %u runs; aim ≤ 100 ms)\n", median (p50s, runs), median (p95s, runs), runs);

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
