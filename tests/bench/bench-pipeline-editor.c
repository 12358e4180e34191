/* bench-pipeline-editor.c — how fast the pipeline editor validates, previews and pans
 *
 *   xvfb-run -a -s "-screen 0 1280x1024x24" builddir/tests/bench/bench-pipeline-editor \
 *       [CONNINFO]
 *
 * 1. Validation of a 200-step pipeline (40 chains csv_input → select → filter → calculator →
 *    table_output, so the columns are followed along every edge): median and worst of 50
 *    runs of aq_pipeline_validate_graph(), what the editor runs on every edit.
 * 2. Preview of each row-passing step of every standard pipeline ($BENCH_PIPELINES=a,b to
 *    choose) on the warehouse (CONNINFO, else $AQUEDUCT_DATABASE_URL; else, with
 *    $BENCH_DEMO_ACCOUNTS=N, a demo warehouse of N accounts × 36 months ($BENCH_DEMO_MONTHS to
 *    change) made in the test cluster of $AQ_TEST_STATE_DIR, e.g. builddir/tests after `meson
 *    test cluster-up`): median of 3 automatic previews per step (the editor's: every input row
 *    when that fits the budget, else over a sample — the line says `sample T×N`), a line per
 *    pipeline with its median and worst step, and one for all; with $BENCH_FULL=1 also one
 *    full preview (the editor's button) of each sampled step. A preview rolls back: the
 *    warehouse keeps no row.
 * 3. Panning the canvas with those 200 steps at zoom 0.6 in a real window: the canvas pans
 *    a few pixels on every tick of the GTK frame clock for 300 frames; printed are the frame
 *    clock's intervals between frames (median, 95th percentile, worst) and, separately, the
 *    time of the canvas's snapshot alone. Under Xvfb there is no vsync: an interval is what a
 *    frame costs (snapshot, render, the X server's copy).
 * 4. Dragging a card of a 60-step pipeline (12 chains) at zoom 1: the canvas's drag gesture
 *    begins on a card and gets one update per frame-clock tick for 300 frames (the card and
 *    its edges redrawn each frame, the rest translated nodes); the same two figures.
 * $BENCH_PARTS=validate,preview,pan,drag runs only those parts.
 */
#include <adwaita.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "aq-test-util.h"

#include "aq-pipeline-canvas.h"
#include "aq-pipeline-graph.h"
#include "aq-pipeline-preview.h"
#include "aq-pipeline-validate.h"
#include "aq-ui.h"

#define N_CHAINS 40
#define N_FRAMES 300

static GArray *intervals;   /* (element-type double) ms */
static GArray *snapshots;   /* (element-type double) ms */
static gint64 last_tick;
static GMainLoop *loop;
static void (*frame_action) (GtkWidget *canvas, guint frame);
static GtkGesture *drag_gesture;

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *what,
        GArray     *values)
{
  g_array_sort (values, compare_doubles);
  printf ("%-44s median %8.3f ms   p95 %8.3f ms   worst %8.3f ms   (n=%u)\n", what,
          g_array_index (values, double, values->len / 2),
          g_array_index (values, double, values->len * 95 / 100),
          g_array_index (values, double, values->len - 1), values->len);
}

static AqPipelineGraph *
big_graph (int n_chains)
{
  g_autoptr(GString) json = g_string_new ("{\"name\": \"bench\", \"steps\": [");
  g_autoptr(GString) edges = g_string_new ("], \"edges\": [");
  g_autoptr(GError) error = NULL;
  AqPipelineGraph *graph;

  for (int c = 0; c < n_chains; c++)
    {
      g_string_append_printf (json, "%s"
        "{\"id\": \"read_%d\", \"type\": \"csv_input\", \"path\": \"in_%d.csv\", \"header\": true,"
        " \"columns\": [{\"name\": \"id\", \"type\": \"integer\"}, {\"name\": \"qty\", \"type\": \"numeric\"},"
        " {\"name\": \"zone\", \"type\": \"text\"}]},"
        "{\"id\": \"pick_%d\", \"type\": \"select\", \"columns\": [{\"name\": \"id\"},"
        " {\"name\": \"amount\", \"from\": \"qty\"}, {\"name\": \"zone\"}]},"
        "{\"id\": \"keep_%d\", \"type\": \"filter\", \"condition\": \"amount > 0\"},"
        "{\"id\": \"calc_%d\", \"type\": \"calculator\", \"columns\": [{\"name\": \"twice\","
        " \"expression\": \"amount * 2\", \"type\": \"numeric\"}]},"
        "{\"id\": \"write_%d\", \"type\": \"table_output\", \"table\": \"dw.bench_%d\"}",
        c ? "," : "", c, c, c, c, c, c, c);
      g_string_append_printf (edges, "%s{\"from\": \"read_%d\", \"to\": \"pick_%d\"},"
                              "{\"from\": \"pick_%d\", \"to\": \"keep_%d\"},"
                              "{\"from\": \"keep_%d\", \"to\": \"calc_%d\"},"
                              "{\"from\": \"calc_%d\", \"to\": \"write_%d\"}",
                              c ? "," : "", c, c, c, c, c, c, c, c);
    }
  g_string_append (json, edges->str);
  g_string_append (json, "]}");
  graph = aq_pipeline_graph_new_from_data (json->str, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (aq_pipeline_graph_get_n_steps (graph), ==, 5 * n_chains);
  aq_pipeline_graph_auto_layout (graph);
  return graph;
}

static void
bench_validation (AqPipelineGraph *graph)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));

  for (int i = 0; i < 50; i++)
    {
      struct timespec c0, c1;
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GPtrArray) problems = NULL;
      double ms;

      clock_gettime (CLOCK_THREAD_CPUTIME_ID, &c0);
      problems = aq_pipeline_validate_graph (graph);
      clock_gettime (CLOCK_THREAD_CPUTIME_ID, &c1);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_assert_cmpuint (problems->len, ==, 0);
      g_array_append_val (times, ms);
      ms = (c1.tv_sec - c0.tv_sec) * 1e3 + (c1.tv_nsec - c0.tv_nsec) / 1e6;
      g_array_append_val (cpu, ms);
    }
  report ("validate 200 steps (wall)", times);
  /* on a loaded machine the wall time waits for the CPU; this is the work itself */
  report ("validate 200 steps (CPU of the thread)", cpu);
}

static double
median_of (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

/* Every row-passing step of one standard pipeline: median of 3 automatic previews each (what
 * the editor does: full when it fits the budget, else over a sample), and, with $BENCH_FULL,
 * one full preview of each step that was sampled. Adds the pipeline's medians to @all. */
static void
bench_preview_pipeline (AqDb       *db,
                        const char *name,
                        GArray     *all)
{
  g_autoptr(AqPipelineGraph) graph = NULL;
  g_autoptr(AqPipeline) pipeline = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GArray) medians = g_array_new (FALSE, FALSE, sizeof (double));
  guint sampled = 0;
  double worst = 0;
  const char *worst_step = "";

  graph = aq_pipeline_graph_new_standard (name, &error);
  g_assert_no_error (error);
  data = aq_pipeline_graph_to_data (graph);
  pipeline = aq_pipeline_new_from_data (data, -1, NULL, &error);
  g_assert_no_error (error);
  for (guint s = 0; s < aq_pipeline_get_n_steps (pipeline); s++)
    {
      AqPipelineStep *step = aq_pipeline_get_step (pipeline, s);
      const char *id = aq_pipeline_step_get_id (step);
      g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
      g_autofree char *what = NULL;
      gint64 rows = 0;
      guint sample_rows = 0, n_tables = 0;
      double median;

      if (!aq_pipeline_step_passes_rows (step))
        continue;
      for (int i = 0; i < 3; i++)
        {
          g_autoptr(AqPipelinePreview) preview = NULL;
          gint64 start = g_get_monotonic_time ();
          double ms;

          preview = aq_pipeline_preview_step (pipeline, db, id, AQ_PIPELINE_PREVIEW_ROWS, NULL,
                                              &error);
          g_assert_no_error (error);
          ms = (g_get_monotonic_time () - start) / 1000.0;
          rows = preview->n_rows;
          sample_rows = preview->sample_rows;
          n_tables = preview->n_sampled_tables;
          g_array_append_val (times, ms);
        }
      what = sample_rows > 0
             ? g_strdup_printf ("preview %s/%s (sample %u×%u, %" G_GINT64_FORMAT " rows)", name,
                                id, n_tables, sample_rows, rows)
             : g_strdup_printf ("preview %s/%s (%" G_GINT64_FORMAT " rows)", name, id, rows);
      report (what, times);
      median = median_of (times);
      g_array_append_val (medians, median);
      g_array_append_val (all, median);
      if (median > worst)
        worst = median, worst_step = id;
      if (sample_rows > 0)
        sampled++;
      if (sample_rows > 0 && g_getenv ("BENCH_FULL"))
        {
          g_autoptr(AqPipelinePreview) full = NULL;
          gint64 start = g_get_monotonic_time ();

          full = aq_pipeline_preview_step_with_mode (pipeline, db, id, AQ_PIPELINE_PREVIEW_ROWS,
                                                     AQ_PIPELINE_PREVIEW_FULL, 0, NULL, &error);
          g_assert_no_error (error);
          printf ("    the same in full (button), once: %.0f ms, %" G_GINT64_FORMAT " rows\n",
                  (g_get_monotonic_time () - start) / 1000.0, full->n_rows);
        }
    }
  if (medians->len > 0)
    printf ("PIPELINE %-12s %2u steps previewed, %u over a sample: median %.0f ms, max %.0f ms"
            " (%s)\n", name, medians->len, sampled, median_of (medians), worst, worst_step);
}

/* $BENCH_PIPELINES (comma-separated) or every standard pipeline. */
static void
bench_preview (const char *conninfo)
{
  g_autoptr(AqDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  g_auto(GStrv) names = g_getenv ("BENCH_PIPELINES")
                        ? g_strsplit (g_getenv ("BENCH_PIPELINES"), ",", -1)
                        : aq_pipeline_list_standard ();
  guint over = 0;
  double median;

  db = aq_db_connect (conninfo, &error);
  g_assert_no_error (error);
  for (guint i = 0; names[i]; i++)
    bench_preview_pipeline (db, names[i], all);
  for (guint i = 0; i < all->len; i++)
    over += g_array_index (all, double, i) > AQ_PIPELINE_PREVIEW_BUDGET_MS;
  median = all->len > 0 ? median_of (all) : 0;
  if (all->len > 0)
    printf ("ALL %u steps: median %.0f ms, max %.0f ms, %u over %d ms\n", all->len,
            median, g_array_index (all, double, all->len - 1), over,
            AQ_PIPELINE_PREVIEW_BUDGET_MS);
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  gint64 start;
  double ms;

  if (last_tick != 0)
    {
      ms = (now - last_tick) / 1000.0;
      g_array_append_val (intervals, ms);
    }
  last_tick = now;

  /* the canvas's own drawing, timed apart from the rest of the frame */
  start = g_get_monotonic_time ();
  snapshot = gtk_snapshot_new ();
  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  ms = (g_get_monotonic_time () - start) / 1000.0;
  g_array_append_val (snapshots, ms);

  frame_action (widget, intervals->len);
  if (intervals->len >= N_FRAMES)
    {
      g_main_loop_quit (loop);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
pan_frame (GtkWidget *canvas,
           guint      frame)
{
  aq_pipeline_canvas_pan (AQ_PIPELINE_CANVAS (canvas), -3, -5);
}

/* One more step of a drag of the selected card: what the drag gesture does per motion. */
static void
drag_frame (GtkWidget *canvas,
            guint      frame)
{
  double dx = 2.0 * (frame % 200), dy = 1.0 * (frame % 200);

  g_signal_emit_by_name (drag_gesture, "drag-update", dx, dy);
}

static GtkGesture *
primary_drag (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_DRAG (controller)
          && gtk_gesture_single_get_button (GTK_GESTURE_SINGLE (controller))
             == GDK_BUTTON_PRIMARY)
        return GTK_GESTURE (controller);
    }
  g_assert_not_reached ();
}

/* Dragging a card of a 60-step pipeline at zoom 1 (the frame's edges move with it): the drag
 * gesture's begin on the card, then one update per frame-clock tick, the end after 300. */
static void
bench_drag (void)
{
  g_autoptr(AqPipelineGraph) graph = big_graph (12);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *canvas = aq_pipeline_canvas_new ();
  double x, y;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 900);
  gtk_window_set_child (GTK_WINDOW (window), canvas);
  aq_pipeline_canvas_set_graph (AQ_PIPELINE_CANVAS (canvas), graph);
  gtk_window_present (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* the first chain's filter: a card in the middle of the view with edges on both sides */
  aq_pipeline_canvas_step_to_widget (AQ_PIPELINE_CANVAS (canvas), "keep_0", FALSE, &x, &y);
  drag_gesture = primary_drag (canvas);
  g_signal_emit_by_name (drag_gesture, "drag-begin", x + 40, y);
  intervals = g_array_new (FALSE, FALSE, sizeof (double));
  snapshots = g_array_new (FALSE, FALSE, sizeof (double));
  last_tick = 0;
  frame_action = drag_frame;
  loop = g_main_loop_new (NULL, FALSE);
  gtk_widget_add_tick_callback (canvas, tick_cb, NULL, NULL);
  g_main_loop_run (loop);
  g_signal_emit_by_name (drag_gesture, "drag-end", 20.0, 10.0);
  g_assert_true (aq_pipeline_graph_can_undo (graph));
  report ("drag a card, 60 steps: frame clock interval", intervals);
  report ("drag a card, 60 steps: canvas snapshot alone", snapshots);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
bench_pan (AqPipelineGraph *graph)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *canvas = aq_pipeline_canvas_new ();
  g_autoptr(GPtrArray) problems = aq_pipeline_validate_graph (graph);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 900);
  gtk_window_set_child (GTK_WINDOW (window), canvas);
  aq_pipeline_canvas_set_graph (AQ_PIPELINE_CANVAS (canvas), graph);
  aq_pipeline_canvas_set_problems (AQ_PIPELINE_CANVAS (canvas), problems);
  aq_pipeline_canvas_set_zoom (AQ_PIPELINE_CANVAS (canvas), 0.6);
  gtk_window_present (GTK_WINDOW (window));
  intervals = g_array_new (FALSE, FALSE, sizeof (double));
  snapshots = g_array_new (FALSE, FALSE, sizeof (double));
  last_tick = 0;
  frame_action = pan_frame;
  loop = g_main_loop_new (NULL, FALSE);
  gtk_widget_add_tick_callback (canvas, tick_cb, NULL, NULL);
  g_main_loop_run (loop);
  report ("pan 200 steps: frame clock interval", intervals);
  report ("pan 200 steps: canvas snapshot alone", snapshots);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* $BENCH_PARTS (comma-separated: validate, preview, pan, drag) or all of them. */
static gboolean
part (const char *name)
{
  g_auto(GStrv) parts = NULL;

  if (g_getenv ("BENCH_PARTS") == NULL)
    return TRUE;
  parts = g_strsplit (g_getenv ("BENCH_PARTS"), ",", -1);
  return g_strv_contains ((const char * const *) parts, name);
}

int
main (int   argc,
      char *argv[])
{
  const char *conninfo = argc > 1 ? argv[1] : g_getenv ("AQUEDUCT_DATABASE_URL");
  g_autoptr(AqPipelineGraph) graph = NULL;
  g_autofree char *demo = NULL;

  gtk_init ();
  adw_init ();
  aq_ui_init ();
  if ((conninfo == NULL || *conninfo == '\0') && g_getenv ("BENCH_DEMO_ACCOUNTS"))
    {
      gint64 start = g_get_monotonic_time ();
      int months = g_getenv ("BENCH_DEMO_MONTHS") ? atoi (g_getenv ("BENCH_DEMO_MONTHS")) : 36;
      g_autoptr(AqDb) db = aq_test_demo_db_new ("bench_pipeline_editor",
                                                atoi (g_getenv ("BENCH_DEMO_ACCOUNTS")), months);

      printf ("demo warehouse of %s accounts × %d months made in %.0f s\n",
              g_getenv ("BENCH_DEMO_ACCOUNTS"), months, (g_get_monotonic_time () - start) / 1e6);
      conninfo = demo = aq_test_conninfo ("bench_pipeline_editor");
    }
  graph = big_graph (N_CHAINS);
  if (part ("validate"))
    bench_validation (graph);
  if (part ("preview") && conninfo && *conninfo)
    bench_preview (conninfo);
  else if (part ("preview"))
    printf ("preview: skipped (no CONNINFO nor $AQUEDUCT_DATABASE_URL)\n");
  if (part ("pan"))
    bench_pan (graph);
  if (part ("drag"))
    bench_drag ();
  return 0;
}
