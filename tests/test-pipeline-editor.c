/* test-pipeline-editor.c — the pipeline editor under Xvfb: a pipeline built on the canvas (a
 * step dropped from the palette, steps connected by dragging from a port, members set in the
 * form), validation errors that appear and disappear, a preview compared with SQL, a run and
 * its target table; a standard pipeline opened, walked with Tab, a step deleted and restored;
 * stored versions listed, one opened read-only, two compared, one restored, one edited as new;
 * the run history listed and charted against meta.pipeline_run, a past run's figures on the cards;
 * a rubber band selecting cards, moved, duplicated and deleted as one undo step each; the
 * Schedule… dialog making and changing a scheduler job; the Backfill… dialog by watermark
 * windows; a past run's definition opened after the pipeline changed (also by the CLI); the
 * Dependencies tab against `aqueductctl pipeline graph`, a dependency opened by a click; a job
 * chained after another in the Schedule… dialog, run by a real aqueductd on a pinned clock.
 *
 * AQ_EDITOR_SCREENSHOT=FILE.png saves the window after the run (docs/screenshots/). */
#include "config.h"

#include "aq-test-util.h"
#include "aq-test-ui.h"

#include <adwaita.h>
#include <gtksourceview/gtksource.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "aq-pipeline-canvas.h"
#include "aq-pipeline-diff.h"
#include "aq-pipeline-runner.h"
#include "aq-pipeline-store.h"
#include "aq-pipeline-panel.h"
#include "aq-pipeline-schedule-dialog.h"
#include "aq-pipeline-backfill-dialog.h"
#include "aq-clock.h"
#include "aq-panel.h"
#include "aq-pipeline-step-form.h"
#include "aq-pipeline-validate.h"
#include "aq-screenshot.h"
#include "aq-ui.h"
#include "aq-window.h"

#define DB_NAME "t_pipeline_editor"

static AqDb *db;
static AqWindow *window;
static AqPipelinePanel *panel;
static AqConnectionMonitor *monitor;

/* ---- helpers ---- */

static AqPipelineCanvas *
canvas (void)
{
  return AQ_PIPELINE_CANVAS (aq_pipeline_panel_get_canvas (panel));
}

static AqPipelineStepForm *
form (void)
{
  return AQ_PIPELINE_STEP_FORM (aq_pipeline_panel_get_form (panel));
}

static AqPipelineGraph *
graph (void)
{
  return aq_pipeline_panel_get_graph (panel);
}

static void
settle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gpointer
find_controller (GtkWidget *widget,
                 GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      /* the canvas's drags: the primary button's (the middle button's pans) */
      if (GTK_IS_GESTURE_SINGLE (controller)
          && gtk_gesture_single_get_button (GTK_GESTURE_SINGLE (controller))
             != GDK_BUTTON_PRIMARY)
        continue;
      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        return controller;
    }
  g_assert_not_reached ();
}

/* What a drop of a palette row does: the canvas's drop target gets the step type. */
static void
drop_from_palette (const char *type,
                   double      x,
                   double      y)
{
  GtkDropTarget *target = find_controller (GTK_WIDGET (canvas ()), GTK_TYPE_DROP_TARGET);
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, type);
  g_signal_emit_by_name (target, "drop", &value, x, y, &accepted);
  g_assert_true (accepted);
  settle ();
}

/* A drag from @from's output port to @to's card, through the canvas's drag gesture. */
static void
drag_connect (const char *from,
              const char *to)
{
  GtkGestureDrag *drag = find_controller (GTK_WIDGET (canvas ()), GTK_TYPE_GESTURE_DRAG);
  double fx, fy, tx, ty;

  aq_pipeline_canvas_step_to_widget (canvas (), from, TRUE, &fx, &fy);
  aq_pipeline_canvas_step_to_widget (canvas (), to, FALSE, &tx, &ty);
  tx += 40;   /* into the card (the cards are laid out so that no other is there) */
  g_signal_emit_by_name (drag, "drag-begin", fx, fy);
  g_signal_emit_by_name (drag, "drag-update", (tx - fx) / 2, (ty - fy) / 2);
  g_signal_emit_by_name (drag, "drag-end", tx - fx, ty - fy);
  settle ();
}

static void
set_source_text (const char *member,
                 const char *text)
{
  GtkWidget *view = aq_pipeline_step_form_get_editor (form (), member);

  g_assert_true (GTK_IS_TEXT_VIEW (view));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
  settle ();
}

static void
set_entry_text (const char *member,
                const char *text)
{
  GtkWidget *entry = aq_pipeline_step_form_get_editor (form (), member);

  g_assert_true (GTK_IS_EDITABLE (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  settle ();
}

static guint
problems_of (const char *step,
             const char *member)
{
  return aq_pipeline_problems_count_for (aq_pipeline_panel_get_problems (panel), step, member);
}

static gboolean
preview_ready (gpointer step_id)
{
  AqPipelinePreview *preview = aq_pipeline_panel_get_preview (panel);

  /* a preview that fails says why: fail at once with its words */
  if (!aq_pipeline_panel_is_busy (panel) && preview == NULL)
    g_error ("No preview of %s: %s", (const char *) step_id,
             aq_pipeline_panel_get_preview_text (panel));
  return preview && g_strcmp0 (preview->step_id, step_id) == 0;
}

static gboolean
idle (gpointer data)
{
  return !aq_pipeline_panel_is_busy (panel);
}

/* Screenshots only: lets the toasts of earlier steps time out one after the other (they cover
 * the bottom pane). */
static void
let_toasts_go (void)
{
  gint64 until = g_get_monotonic_time () + 25 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20000);
    }
}

static gboolean
n_versions_is (gpointer n)
{
  return aq_test_query_int64 (db, "SELECT count(*) FROM meta.pipeline_version"
                                  " WHERE name = 'new_pipeline'") == GPOINTER_TO_INT (n);
}

/* ---- tests ---- */

static void
test_build_preview_run (void)
{
  AqPipelinePreview *preview;
  g_auto(GStrv) selection = NULL;
  gint64 expected;

  gtk_widget_activate_action (GTK_WIDGET (panel), "editor.new", NULL);
  g_assert_cmpuint (aq_pipeline_graph_get_n_steps (graph ()), ==, 0);

  /* a table input from the palette: selected, its form shown, its query missing */
  drop_from_palette ("table_input", 140, 70);
  g_assert_cmpuint (aq_pipeline_graph_get_n_steps (graph ()), ==, 1);
  g_assert_cmpstr (aq_pipeline_canvas_get_selected (canvas ()), ==, "table_input");
  g_assert_cmpstr (aq_pipeline_step_form_get_step (form ()), ==, "table_input");
  g_assert_cmpuint (problems_of ("table_input", "sql"), ==, 1);
  g_assert_nonnull (aq_pipeline_step_form_get_error (form (), "sql"));
  set_source_text ("sql", "SELECT id, zone, qty FROM src_e.reading");
  g_assert_cmpuint (problems_of ("table_input", NULL), ==, 0);
  g_assert_null (aq_pipeline_step_form_get_error (form (), "sql"));

  /* a filter, dropped to the right; unconnected it has a problem, connected not */
  drop_from_palette ("filter", 200, 190);
  g_assert_cmpstr (aq_pipeline_canvas_get_selected (canvas ()), ==, "filter");
  g_assert_cmpuint (problems_of ("filter", "condition"), ==, 1);
  g_assert_nonnull (aq_pipeline_step_form_get_error (form (), "condition"));
  g_assert_cmpuint (problems_of ("filter", NULL), ==, 2);   /* no input either */
  drag_connect ("table_input", "filter");
  g_assert_true (aq_pipeline_graph_has_edge (graph (), "table_input", "filter"));
  g_assert_cmpuint (problems_of ("filter", NULL), ==, 1);
  set_source_text ("condition", "qty > 0 AND zone = 'N'");
  g_assert_cmpuint (problems_of ("filter", NULL), ==, 0);
  g_assert_null (aq_pipeline_step_form_get_error (form (), "condition"));

  /* a wrong table name shows and goes */
  drop_from_palette ("table_output", 260, 310);
  drag_connect ("filter", "table_output");
  set_entry_text ("table", "dw.editor t.x");
  g_assert_cmpuint (problems_of ("table_output", "table"), ==, 1);
  g_assert_nonnull (strstr (aq_pipeline_step_form_get_error (form (), "table"), "editor t.x"));
  set_entry_text ("table", "dw.editor_t");
  gtk_switch_set_active (GTK_SWITCH (aq_pipeline_step_form_get_editor (form (), "create")), TRUE);
  settle ();
  for (guint i = 0; i < aq_pipeline_panel_get_problems (panel)->len; i++)
    g_test_message ("%s", ((AqPipelineProblem *) g_ptr_array_index (
                             aq_pipeline_panel_get_problems (panel), i))->message);
  g_assert_cmpuint (aq_pipeline_panel_get_problems (panel)->len, ==, 0);

  /* a cycle is refused and says so */
  drag_connect ("table_output", "filter");
  g_assert_false (aq_pipeline_graph_has_edge (graph (), "table_output", "filter"));

  /* the filter's preview: its rows are what the same query in SQL returns */
  aq_pipeline_canvas_select (canvas (), "filter", FALSE);
  aq_test_wait_for (preview_ready, "filter", 60, "the filter's preview");
  preview = aq_pipeline_panel_get_preview (panel);
  expected = aq_test_query_int64 (db, "SELECT count(*) FROM src_e.reading"
                                      " WHERE qty > 0 AND zone = 'N'");
  g_assert_cmpint (preview->n_rows, ==, expected);
  g_assert_cmpuint (preview->rows->len, ==, MIN (expected, 200));
  g_assert_cmpuint (preview->columns->len, ==, 3);
  for (guint r = 0; r < preview->rows->len; r++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM src_e.reading WHERE id = %s"
                                              " AND qty::text = '%s' AND zone = 'N' AND qty > 0",
                                              aq_pipeline_preview_get_value (preview, r, 0),
                                              aq_pipeline_preview_get_value (preview, r, 2));

      g_assert_cmpint (aq_test_query_int64 (db, sql), ==, 1);
    }
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM pg_tables"
                                            " WHERE tablename = 'editor_t'"), ==, 0);

  /* the run: every card gets its figures, the target its rows */
  gtk_widget_activate_action (GTK_WIDGET (panel), "editor.run", NULL);
  aq_test_wait_for (idle, NULL, 120, "the run");
  g_test_message ("%s", aq_pipeline_panel_get_run_text (panel));
  g_assert_nonnull (strstr (aq_pipeline_panel_get_run_text (panel), "succeeded"));
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM dw.editor_t"), ==, expected);

  /* Ctrl+S: every save is a version in the warehouse, the definition as the canvas holds it */
  gtk_widget_activate_action (GTK_WIDGET (panel), "editor.save", NULL);
  aq_test_wait_for (n_versions_is, GINT_TO_POINTER (1), 60, "the first version");
  aq_test_wait_for (idle, NULL, 60, "the save");
  gtk_widget_activate_action (GTK_WIDGET (panel), "editor.save", NULL);
  aq_test_wait_for (n_versions_is, GINT_TO_POINTER (2), 60, "the second version");
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.pipeline_version"
                                            " WHERE name = 'new_pipeline'"
                                            "   AND definition::text LIKE '%dw.editor_t%'"),
                   ==, 2);

  if (g_getenv ("AQ_EDITOR_SCREENSHOT"))
    {
      g_autoptr(GError) error = NULL;

      aq_pipeline_canvas_select (canvas (), "filter", FALSE);
      aq_test_wait_for (preview_ready, "filter", 60, "the preview again");
      gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
      aq_screenshot_save_png (GTK_WIDGET (window), g_getenv ("AQ_EDITOR_SCREENSHOT"), &error);
      g_assert_no_error (error);
    }

  /* Ctrl+D duplicates the selection, Ctrl+Z takes it back */
  aq_pipeline_canvas_select (canvas (), "filter", FALSE);
  gtk_widget_activate_action (GTK_WIDGET (canvas ()), "canvas.duplicate", NULL);
  selection = aq_pipeline_canvas_get_selection (canvas ());
  g_assert_cmpstr (selection[0], ==, "filter_2");
  g_assert_cmpuint (aq_pipeline_graph_get_n_steps (graph ()), ==, 4);
  gtk_widget_activate_action (GTK_WIDGET (panel), "editor.undo", NULL);
  g_assert_cmpuint (aq_pipeline_graph_get_n_steps (graph ()), ==, 3);
  aq_test_wait_for (idle, NULL, 60, "the last preview");
}

/* A standard pipeline opens laid out and clean; Tab walks it in run order; Delete removes a
 * step and its edges, undo brings both back. */
static void
test_standard (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) order = NULL;
  guint n_edges;

  g_assert_true (aq_pipeline_panel_open_standard (panel, "dw_customer", &error));
  g_assert_no_error (error);
  settle ();
  g_assert_true (aq_pipeline_graph_has_positions (graph ()));
  g_assert_false (aq_pipeline_graph_can_undo (graph ()));
  g_assert_cmpuint (aq_pipeline_panel_get_problems (panel)->len, ==, 0);
  order = aq_pipeline_graph_get_run_order (graph ());
  n_edges = aq_pipeline_graph_get_n_edges (graph ());

  gtk_widget_grab_focus (GTK_WIDGET (canvas ()));
  gtk_widget_activate_action (GTK_WIDGET (canvas ()), "canvas.walk", "i", 1);
  g_assert_cmpstr (aq_pipeline_canvas_get_selected (canvas ()), ==, order[0]);
  gtk_widget_activate_action (GTK_WIDGET (canvas ()), "canvas.walk", "i", 1);
  g_assert_cmpstr (aq_pipeline_canvas_get_selected (canvas ()), ==, order[1]);
  gtk_widget_activate_action (GTK_WIDGET (canvas ()), "canvas.walk", "i", -1);
  g_assert_cmpstr (aq_pipeline_canvas_get_selected (canvas ()), ==, order[0]);

  aq_pipeline_canvas_select (canvas (), "latest_customer", FALSE);
  gtk_widget_activate_action (GTK_WIDGET (canvas ()), "canvas.delete", NULL);
  g_assert_cmpint (aq_pipeline_graph_find_step (graph (), "latest_customer"), ==, -1);
  g_assert_cmpuint (aq_pipeline_graph_get_n_edges (graph ()), ==, n_edges - 2);
  /* its consumer has lost its input */
  g_assert_cmpuint (problems_of ("customer_type", NULL), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (panel), "editor.undo", NULL);
  g_assert_cmpint (aq_pipeline_graph_find_step (graph (), "latest_customer"), >=, 0);
  g_assert_cmpuint (aq_pipeline_graph_get_n_edges (graph ()), ==, n_edges);
  g_assert_cmpuint (aq_pipeline_panel_get_problems (panel)->len, ==, 0);

  /* a click on an edge's curve selects it; Delete removes it alone, undo brings it back */
  {
    GtkGestureDrag *drag = find_controller (GTK_WIDGET (canvas ()), GTK_TYPE_GESTURE_DRAG);
    const char *from = NULL, *to = NULL, *sel_from, *sel_to;
    g_autofree char *edge_from = NULL;
    g_autofree char *edge_to = NULL;
    double fx, fy, tx, ty, mx, my;

    /* an edge between neighbouring columns: its middle is in the gap, on no card */
    for (guint i = 0; i < n_edges && edge_from == NULL; i++)
      {
        aq_pipeline_graph_get_edge (graph (), i, &from, &to);
        aq_pipeline_canvas_step_to_widget (canvas (), from, TRUE, &fx, &fy);
        aq_pipeline_canvas_step_to_widget (canvas (), to, FALSE, &tx, &ty);
        if (tx > fx && tx - fx < 100)
          {
            edge_from = g_strdup (from);
            edge_to = g_strdup (to);
          }
      }
    g_assert_nonnull (edge_from);
    aq_pipeline_canvas_edge_to_widget (canvas (), edge_from, edge_to, 0.5, &mx, &my);
    g_signal_emit_by_name (drag, "drag-begin", mx, my);
    g_signal_emit_by_name (drag, "drag-end", 0.0, 0.0);
    g_assert_true (aq_pipeline_canvas_get_selected_edge (canvas (), &sel_from, &sel_to));
    g_assert_cmpstr (sel_from, ==, edge_from);
    g_assert_cmpstr (sel_to, ==, edge_to);
    g_assert_null (aq_pipeline_canvas_get_selected (canvas ()));
    gtk_widget_activate_action (GTK_WIDGET (canvas ()), "canvas.delete", NULL);
    g_assert_false (aq_pipeline_graph_has_edge (graph (), edge_from, edge_to));
    g_assert_cmpuint (aq_pipeline_graph_get_n_edges (graph ()), ==, n_edges - 1);
    g_assert_cmpint (aq_pipeline_graph_find_step (graph (), edge_from), >=, 0);
    g_assert_cmpint (aq_pipeline_graph_find_step (graph (), edge_to), >=, 0);
    g_assert_false (aq_pipeline_canvas_get_selected_edge (canvas (), &sel_from, &sel_to));
    gtk_widget_activate_action (GTK_WIDGET (panel), "editor.undo", NULL);
    g_assert_true (aq_pipeline_graph_has_edge (graph (), edge_from, edge_to));
    /* a click on the background (the canvas's bottom-left corner) clears it */
    g_signal_emit_by_name (drag, "drag-begin", mx, my);
    g_signal_emit_by_name (drag, "drag-end", 0.0, 0.0);
    g_assert_true (aq_pipeline_canvas_get_selected_edge (canvas (), &sel_from, &sel_to));
    g_signal_emit_by_name (drag, "drag-begin", 3.0,
                           (double) gtk_widget_get_height (GTK_WIDGET (canvas ())) - 3);
    g_signal_emit_by_name (drag, "drag-end", 0.0, 0.0);
    g_assert_false (aq_pipeline_canvas_get_selected_edge (canvas (), &sel_from, &sel_to));
  }
  aq_test_wait_for (idle, NULL, 60, "the previews");
}

#define BAND_PIPE \
  "{\"name\": \"band_pipe\", \"steps\": [" \
  "{\"id\": \"a\", \"type\": \"table_input\", \"sql\": \"SELECT id FROM src_e.reading\"," \
  " \"position\": {\"x\": 0, \"y\": 0}}," \
  "{\"id\": \"b\", \"type\": \"filter\", \"condition\": \"id > 1\"," \
  " \"position\": {\"x\": 260, \"y\": 0}}," \
  "{\"id\": \"c\", \"type\": \"filter\", \"condition\": \"id > 2\"," \
  " \"position\": {\"x\": 520, \"y\": 0}}," \
  "{\"id\": \"d\", \"type\": \"table_output\", \"table\": \"dw.band_t\", \"create\": true," \
  " \"position\": {\"x\": 0, \"y\": 200}}]," \
  "\"edges\": [{\"from\": \"a\", \"to\": \"b\"}, {\"from\": \"b\", \"to\": \"c\"}," \
  " {\"from\": \"c\", \"to\": \"d\"}]}"

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* The selected ids, sorted, joined by commas. */
static char *
selection_text (void)
{
  g_auto(GStrv) ids = aq_pipeline_canvas_get_selection (canvas ());

  qsort (ids, g_strv_length (ids), sizeof (char *), compare_strings);
  return g_strjoinv (",", ids);
}

/* A card's top-left corner in widget coordinates. */
static void
card_corner (const char *id,
             double     *x,
             double     *y)
{
  aq_pipeline_canvas_step_to_widget (canvas (), id, FALSE, x, y);
  *y -= AQ_PIPELINE_CARD_HEIGHT * aq_pipeline_canvas_get_zoom (canvas ()) / 2;
}

/* Rubber band: a drag on the background selects the cards wholly inside it (one only partly
 * inside is left out), Shift adds; then a move, Delete and Ctrl+D act on the whole selection,
 * each one undo step. */
static void
test_rubber_band (void)
{
  GtkGestureDrag *drag = find_controller (GTK_WIDGET (canvas ()), GTK_TYPE_GESTURE_DRAG);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqPipelineGraph) band = aq_pipeline_graph_new_from_data (BAND_PIPE, -1, &error);
  g_autofree char *text = NULL;
  g_auto(GStrv) before = NULL;
  double ax, ay, bx, by, cx, cy, x, y;
  guint n_steps;

  g_assert_no_error (error);
  aq_pipeline_panel_set_graph (panel, band);
  aq_pipeline_canvas_set_zoom (canvas (), 1.0);
  settle ();
  card_corner ("a", &ax, &ay);
  card_corner ("b", &bx, &by);
  card_corner ("c", &cx, &cy);

  /* from above-left of a to below-right of b, ending in the middle of c: a and b only */
  g_signal_emit_by_name (drag, "drag-begin", ax - 10, ay - 10);
  g_assert_null (aq_pipeline_canvas_get_selected (canvas ()));
  g_signal_emit_by_name (drag, "drag-update", (cx + 100) - (ax - 10), 30.0);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (canvas ()));
  g_signal_emit_by_name (drag, "drag-end", (bx + AQ_PIPELINE_CARD_WIDTH + 10) - (ax - 10),
                         AQ_PIPELINE_CARD_HEIGHT + 20);
  settle ();
  text = selection_text ();
  g_assert_cmpstr (text, ==, "a,b");
  g_clear_pointer (&text, g_free);
  /* the same band dragged right to left, bottom to top, selects the same */
  aq_pipeline_canvas_select (canvas (), NULL, FALSE);
  g_signal_emit_by_name (drag, "drag-begin", bx + AQ_PIPELINE_CARD_WIDTH + 10,
                         ay + AQ_PIPELINE_CARD_HEIGHT + 10);
  g_signal_emit_by_name (drag, "drag-end", (ax - 10) - (bx + AQ_PIPELINE_CARD_WIDTH + 10),
                         -(AQ_PIPELINE_CARD_HEIGHT + 20));
  text = selection_text ();
  g_assert_cmpstr (text, ==, "a,b");
  g_clear_pointer (&text, g_free);
  /* Shift adds (the band's modifier reaches the same call) */
  aq_pipeline_canvas_step_to_widget (canvas (), "d", FALSE, &x, &y);
  aq_pipeline_canvas_select_rect (canvas (), x - 5, y - 60, AQ_PIPELINE_CARD_WIDTH + 10, 120,
                                  TRUE);
  text = selection_text ();
  g_assert_cmpstr (text, ==, "a,b,d");
  g_clear_pointer (&text, g_free);
  /* without it, the band replaces */
  aq_pipeline_canvas_select_rect (canvas (), x - 5, y - 60, AQ_PIPELINE_CARD_WIDTH + 10, 120,
                                  FALSE);
  text = selection_text ();
  g_assert_cmpstr (text, ==, "d");
  g_clear_pointer (&text, g_free);
  /* a click on the background clears */
  g_signal_emit_by_name (drag, "drag-begin", ax - 10, ay - 10);
  g_signal_emit_by_name (drag, "drag-end", 0.0, 0.0);
  g_assert_null (aq_pipeline_canvas_get_selected (canvas ()));

  /* a, b and d: dragging a moves the three, one undo puts them back */
  aq_pipeline_canvas_select_rect (canvas (), ax - 10, ay - 10,
                                  bx + AQ_PIPELINE_CARD_WIDTH + 20 - ax,
                                  AQ_PIPELINE_CARD_HEIGHT + 20, FALSE);
  aq_pipeline_canvas_select (canvas (), "d", TRUE);
  g_signal_emit_by_name (drag, "drag-begin", ax + 60, ay + 40);
  g_signal_emit_by_name (drag, "drag-update", 20.0, 10.0);
  g_signal_emit_by_name (drag, "drag-end", 40.0, 30.0);
  settle ();
  aq_pipeline_graph_get_position (graph (), "a", &x, &y);
  g_assert_cmpfloat (x, ==, 40);
  g_assert_cmpfloat (y, ==, 30);
  aq_pipeline_graph_get_position (graph (), "b", &x, &y);
  g_assert_cmpfloat (x, ==, 300);
  aq_pipeline_graph_get_position (graph (), "d", &x, &y);
  g_assert_cmpfloat (y, ==, 230);
  aq_pipeline_graph_get_position (graph (), "c", &x, &y);
  g_assert_cmpfloat (x, ==, 520);
  gtk_widget_activate_action (GTK_WIDGET (panel), "editor.undo", NULL);
  aq_pipeline_graph_get_position (graph (), "a", &x, &y);
  g_assert_cmpfloat (x, ==, 0);
  aq_pipeline_graph_get_position (graph (), "d", &x, &y);
  g_assert_cmpfloat (y, ==, 200);
  aq_pipeline_graph_get_position (graph (), "b", &x, &y);
  g_assert_cmpfloat (x, ==, 260);

  /* Ctrl+D duplicates the three (selecting the copies), one undo removes the copies */
  n_steps = aq_pipeline_graph_get_n_steps (graph ());
  before = aq_pipeline_canvas_get_selection (canvas ());
  g_assert_cmpuint (g_strv_length (before), ==, 3);
  gtk_widget_activate_action (GTK_WIDGET (canvas ()), "canvas.duplicate", NULL);
  g_assert_cmpuint (aq_pipeline_graph_get_n_steps (graph ()), ==, n_steps + 3);
  {
    g_auto(GStrv) copies = aq_pipeline_canvas_get_selection (canvas ());

    g_assert_cmpuint (g_strv_length (copies), ==, 3);
    for (guint i = 0; copies[i]; i++)
      g_assert_false (g_strv_contains ((const char * const *) before, copies[i]));
  }
  gtk_widget_activate_action (GTK_WIDGET (panel), "editor.undo", NULL);
  g_assert_cmpuint (aq_pipeline_graph_get_n_steps (graph ()), ==, n_steps);

  /* Delete removes the three, one undo brings the three and their edges back */
  aq_pipeline_canvas_select_rect (canvas (), ax - 10, ay - 10,
                                  bx + AQ_PIPELINE_CARD_WIDTH + 20 - ax,
                                  AQ_PIPELINE_CARD_HEIGHT + 20, FALSE);
  aq_pipeline_canvas_select (canvas (), "d", TRUE);
  gtk_widget_activate_action (GTK_WIDGET (canvas ()), "canvas.delete", NULL);
  g_assert_cmpuint (aq_pipeline_graph_get_n_steps (graph ()), ==, 1);
  g_assert_cmpint (aq_pipeline_graph_find_step (graph (), "c"), >=, 0);
  g_assert_cmpuint (aq_pipeline_graph_get_n_edges (graph ()), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (panel), "editor.undo", NULL);
  g_assert_cmpuint (aq_pipeline_graph_get_n_steps (graph ()), ==, 4);
  g_assert_cmpuint (aq_pipeline_graph_get_n_edges (graph ()), ==, 3);
  g_assert_false (aq_pipeline_graph_can_undo (graph ()));
  aq_test_wait_for (idle, NULL, 60, "the previews");
}

#define SCHED_PIPE \
  "{\"name\": \"sched_pipe\", \"steps\": [" \
  "{\"id\": \"read\", \"type\": \"table_input\", \"sql\": \"SELECT id FROM src_e.reading\"}," \
  "{\"id\": \"out\", \"type\": \"table_output\", \"table\": \"dw.sched_t\", \"create\": true}]," \
  "\"edges\": [{\"from\": \"read\", \"to\": \"out\"}]}"

static gboolean
can_schedule_is (gpointer expected)
{
  return !aq_pipeline_panel_is_busy (panel)
         && aq_pipeline_panel_can_schedule (panel) == GPOINTER_TO_INT (expected);
}

static gboolean
schedule_dialog_is (gpointer open)
{
  return (aq_pipeline_panel_get_schedule_dialog (panel) != NULL) == GPOINTER_TO_INT (open);
}

static AqPipelineScheduleDialog *
open_schedule (void)
{
  gtk_widget_activate_action (GTK_WIDGET (panel), "editor.schedule", NULL);
  aq_test_wait_for (schedule_dialog_is, GINT_TO_POINTER (TRUE), 60, "the Schedule dialog");
  return AQ_PIPELINE_SCHEDULE_DIALOG (aq_pipeline_panel_get_schedule_dialog (panel));
}

static void
set_field (AqPipelineScheduleDialog *dialog,
           AqScheduleField           field,
           const char               *text)
{
  gtk_editable_set_text (aq_pipeline_schedule_dialog_get_field (dialog, field), text);
  settle ();
}

/* Schedule…: a job of kind pipeline for the pipeline on the canvas, its next runs shown from
 * the pinned clock, a bad schedule refused before the warehouse sees it; saved, opened again
 * to change it in place (same job, runs kept); refused to a login that may not define jobs. */
static void
test_schedule (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqPipelineGraph) sched = aq_pipeline_graph_new_from_data (SCHED_PIPE, -1, &error);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 10, 12, 0, 0);
  g_autofree char *engineer = NULL;
  g_autofree char *owner = NULL;
  AqPipelineScheduleDialog *dialog;
  gint64 job_id;

  g_assert_no_error (error);
  aq_clock_pin (now);
  g_assert_true (aq_pipeline_store_save (db, "sched_pipe", SCHED_PIPE, NULL, NULL, &error));
  g_assert_no_error (error);
  aq_pipeline_panel_set_graph (panel, sched);
  aq_panel_reload (AQ_PANEL (panel));
  aq_test_wait_for (can_schedule_is, GINT_TO_POINTER (TRUE), 60, "the login's rights");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "editor.schedule", NULL));
  aq_test_wait_for (schedule_dialog_is, GINT_TO_POINTER (TRUE), 60, "the Schedule dialog");
  dialog = AQ_PIPELINE_SCHEDULE_DIALOG (aq_pipeline_panel_get_schedule_dialog (panel));
  g_assert_false (aq_pipeline_schedule_dialog_is_editing (dialog));
  g_assert_cmpstr (gtk_editable_get_text (
                     aq_pipeline_schedule_dialog_get_field (dialog, AQ_SCHEDULE_FIELD_NAME)),
                   ==, "pipeline-sched_pipe");

  /* the next runs, in the schedule's zone, from the pinned now (20:00 in Shanghai) */
  set_field (dialog, AQ_SCHEDULE_FIELD_TIME_ZONE, "Asia/Shanghai");
  set_field (dialog, AQ_SCHEDULE_FIELD_SCHEDULE, "30 2 * * *");
  g_assert_cmpstr (aq_pipeline_schedule_dialog_get_next_text (dialog), ==,
                   "2026-03-11 02:30 Wed\n2026-03-12 02:30 Thu\n2026-03-13 02:30 Fri\n"
                   "2026-03-14 02:30 Sat\n2026-03-15 02:30 Sun");
  set_field (dialog, AQ_SCHEDULE_FIELD_SCHEDULE, "61 2 * * *");
  g_assert_cmpstr (aq_pipeline_schedule_dialog_get_error_text (dialog), !=, "");
  g_assert_cmpstr (aq_pipeline_schedule_dialog_get_next_text (dialog), ==, "");
  set_field (dialog, AQ_SCHEDULE_FIELD_SCHEDULE, "0 3 1 * *");
  g_assert_cmpstr (aq_pipeline_schedule_dialog_get_error_text (dialog), ==, "");
  g_assert_cmpstr (aq_pipeline_schedule_dialog_get_next_text (dialog), ==,
                   "2026-04-01 03:00 Wed\n2026-05-01 03:00 Fri\n2026-06-01 03:00 Mon\n"
                   "2026-07-01 03:00 Wed\n2026-08-01 03:00 Sat");
  if (g_getenv ("AQ_EDITOR_SCHEDULE_SCREENSHOT"))
    {
      gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
      aq_screenshot_save_png (GTK_WIDGET (dialog), g_getenv ("AQ_EDITOR_SCHEDULE_SCREENSHOT"),
                              &error);
      g_assert_no_error (error);
    }
  aq_pipeline_schedule_dialog_save (dialog);
  aq_test_wait_for (schedule_dialog_is, GINT_TO_POINTER (FALSE), 60, "the job saved");
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.job"
                                            " WHERE name = 'pipeline-sched_pipe'"
                                            " AND kind = 'pipeline' AND target = 'sched_pipe'"
                                            " AND schedule = '0 3 1 * *'"
                                            " AND time_zone = 'Asia/Shanghai' AND enabled"
                                            " AND next_due_at = '2026-03-31 19:00:00+00'"),
                   ==, 1);
  job_id = aq_test_query_int64 (db, "SELECT job_id FROM meta.job"
                                    " WHERE name = 'pipeline-sched_pipe'");

  /* again: the job is found and changed in place, disabled, daily */
  dialog = open_schedule ();
  g_assert_true (aq_pipeline_schedule_dialog_is_editing (dialog));
  g_assert_cmpstr (gtk_editable_get_text (
                     aq_pipeline_schedule_dialog_get_field (dialog, AQ_SCHEDULE_FIELD_SCHEDULE)),
                   ==, "0 3 1 * *");
  set_field (dialog, AQ_SCHEDULE_FIELD_SCHEDULE, "@daily");
  aq_pipeline_schedule_dialog_set_enabled (dialog, FALSE);
  aq_pipeline_schedule_dialog_save (dialog);
  aq_test_wait_for (schedule_dialog_is, GINT_TO_POINTER (FALSE), 60, "the job changed");
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.job"
                                            " WHERE name = 'pipeline-sched_pipe'"
                                            " AND schedule = '@daily' AND NOT enabled"),
                   ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT job_id FROM meta.job"
                                            " WHERE name = 'pipeline-sched_pipe'"), ==, job_id);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.job"), ==, 1);

  /* a login that may not define jobs (not aq_operator): the action is off */
  engineer = aq_test_login_conninfo (DB_NAME, "aqpe_engineer", "data_engineer");
  owner = g_strdup (g_getenv ("AQUEDUCT_DATABASE_URL"));
  /* the environment's warehouse wins over the monitor's (aq_connection_resolve) */
  g_setenv ("AQUEDUCT_DATABASE_URL", engineer, TRUE);
  aq_panel_reload (AQ_PANEL (panel));
  aq_test_wait_for (can_schedule_is, GINT_TO_POINTER (FALSE), 60, "the engineer's rights");
  gtk_widget_activate_action (GTK_WIDGET (panel), "editor.schedule", NULL);
  aq_test_wait_for (idle, NULL, 60, "a refused Schedule");
  settle ();
  g_assert_null (aq_pipeline_panel_get_schedule_dialog (panel));
  g_setenv ("AQUEDUCT_DATABASE_URL", owner, TRUE);
  aq_panel_reload (AQ_PANEL (panel));
  aq_test_wait_for (can_schedule_is, GINT_TO_POINTER (TRUE), 60, "the owner's rights");
  aq_clock_pin (NULL);
}

#define BF_PIPE \
  "{\"name\": \"bf_pipe\", \"steps\": [" \
  "{\"id\": \"read\", \"type\": \"table_input\", \"sql\": \"SELECT id, ts FROM src_e.stamped\"," \
  " \"watermark\": {\"column\": \"ts\"}}," \
  "{\"id\": \"out\", \"type\": \"table_output\", \"table\": \"dw.bf_t\", \"create\": true}]," \
  "\"edges\": [{\"from\": \"read\", \"to\": \"out\"}]}"

static gboolean
backfill_ended (gpointer dialog)
{
  return !aq_pipeline_backfill_dialog_is_running (dialog) && !aq_pipeline_panel_is_busy (panel);
}

/* Backfill…: an incremental pipeline run for three months by watermark windows from the
 * dialog — each month's result listed, the target holding exactly the source rows of those
 * months, the runs in the History tab; a range that is not one refused before anything runs. */
static void
test_backfill (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqPipelineGraph) bf = aq_pipeline_graph_new_from_data (BF_PIPE, -1, &error);
  g_auto(GStrv) results = NULL;
  AqPipelineBackfillDialog *dialog;
  JsonArray *runs;

  g_assert_no_error (error);
  aq_db_exec (db, "CREATE TABLE src_e.stamped AS SELECT i AS id,"
              " timestamp '2025-12-20 01:00' + i * interval '5 hours' AS ts"
              " FROM generate_series(0, 600) i;"
              "GRANT SELECT ON src_e.stamped TO aq_data_engineer", &error);
  g_assert_no_error (error);
  g_assert_true (aq_pipeline_store_save (db, "bf_pipe", BF_PIPE, NULL, NULL, &error));
  g_assert_no_error (error);
  aq_pipeline_panel_set_graph (panel, bf);
  gtk_widget_activate_action (GTK_WIDGET (panel), "editor.backfill", NULL);
  settle ();
  dialog = AQ_PIPELINE_BACKFILL_DIALOG (aq_pipeline_panel_get_backfill_dialog (panel));
  g_assert_nonnull (dialog);
  /* the pipeline has a watermark: windows are ticked */
  g_assert_true (aq_pipeline_backfill_dialog_get_option (dialog, AQ_BACKFILL_OPTION_WINDOWS));
  g_assert_false (aq_pipeline_backfill_dialog_get_option (dialog, AQ_BACKFILL_OPTION_CASCADE));

  aq_pipeline_backfill_dialog_set_range (dialog, "2026-13", "2026-03");
  aq_pipeline_backfill_dialog_start (dialog);
  g_assert_false (aq_pipeline_backfill_dialog_is_running (dialog));
  g_assert_nonnull (strstr (aq_pipeline_backfill_dialog_get_status (dialog), "2026-13"));

  aq_pipeline_backfill_dialog_set_range (dialog, "2026-01", "2026-03");
  aq_pipeline_backfill_dialog_start (dialog);
  g_assert_true (aq_pipeline_backfill_dialog_is_running (dialog));
  aq_test_wait_for (backfill_ended, dialog, 120, "the backfill");
  settle ();
  results = aq_pipeline_backfill_dialog_get_results (dialog);
  g_assert_cmpuint (g_strv_length (results), ==, 3);
  g_assert_cmpstr (results[0], ==, "2026-01 bf_pipe succeeded");
  g_assert_cmpstr (results[1], ==, "2026-02 bf_pipe succeeded");
  g_assert_cmpstr (results[2], ==, "2026-03 bf_pipe succeeded");
  g_assert_cmpstr (aq_pipeline_backfill_dialog_get_status (dialog), ==,
                   _("Backfill done: every month is loaded."));
  g_assert_cmpuint (aq_pipeline_backfill_dialog_get_n_progress (dialog), >=, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM dw.bf_t"), ==,
                   aq_test_query_int64 (db, "SELECT count(*) FROM src_e.stamped"
                                            " WHERE ts >= '2026-01-01' AND ts < '2026-04-01'"));
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM (SELECT id, ts FROM dw.bf_t"
                                            " EXCEPT SELECT id, ts FROM src_e.stamped"
                                            " WHERE ts >= '2026-01-01'"
                                            " AND ts < '2026-04-01') x"), ==, 0);
  /* the three runs are in the History tab */
  aq_test_wait_for (idle, NULL, 60, "the history");
  runs = aq_pipeline_panel_get_runs (panel);
  g_assert_nonnull (runs);
  g_assert_cmpuint (json_array_get_length (runs), ==,
                    aq_test_query_int64 (db, "SELECT count(*) FROM meta.pipeline_run"
                                             " WHERE pipeline = 'bf_pipe'"));
  g_assert_cmpuint (json_array_get_length (runs), ==, 3);
  if (g_getenv ("AQ_EDITOR_BACKFILL_SCREENSHOT"))
    {
      gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
      aq_screenshot_save_png (GTK_WIDGET (dialog), g_getenv ("AQ_EDITOR_BACKFILL_SCREENSHOT"),
                              &error);
      g_assert_no_error (error);
    }
  gtk_window_close (GTK_WINDOW (dialog));
  settle ();
}

/* Import…: a Kettle transformation with two steps that cannot be mapped comes onto the canvas
 * with the two it can map, at Kettle's places, unsaved; the two left out and the connection to
 * set up are named. A file that is not a transformation is refused and the canvas stays. */
static void
test_import_ktr (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "ktr", "unmapped.ktr",
                                                 NULL);
  g_autofree char *bad = g_test_build_filename (G_TEST_DIST, "test-pipeline-editor.c", NULL);
  g_autofree char *summary = NULL;
  g_autoptr(GError) error = NULL;
  AqPipelineGraph *before;

  g_assert_true (aq_pipeline_panel_import_ktr (panel, path, &summary, &error));
  g_assert_no_error (error);
  g_test_message ("%s", summary);
  g_assert_cmpuint (aq_pipeline_graph_get_n_steps (graph ()), ==, 2);
  g_assert_true (aq_pipeline_graph_has_positions (graph ()));
  g_assert_false (aq_pipeline_graph_can_undo (graph ()));
  g_assert_nonnull (strstr (summary, "2 Kettle steps are not mapped"));
  g_assert_nonnull (strstr (summary, "“Clean names” (ScriptValueMod)"));
  g_assert_nonnull (strstr (summary, "“Do nothing” (Dummy)"));
  g_assert_nonnull (strstr (summary, "“legacy” (ORACLE)"));
  g_assert_null (aq_pipeline_panel_get_dropdown_name (panel));

  before = graph ();
  g_assert_false (aq_pipeline_panel_import_ktr (panel, bad, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (graph () == before);
}

#define VERSION_1 \
  "{\"name\": \"ver_pipe\", \"steps\": [" \
  "{\"id\": \"read\", \"type\": \"table_input\", \"sql\": \"SELECT id, zone FROM src_e.reading\"}," \
  "{\"id\": \"out\", \"type\": \"table_output\", \"table\": \"dw.ver_t\", \"create\": true}]," \
  "\"edges\": [{\"from\": \"read\", \"to\": \"out\"}]}"
#define VERSION_2 \
  "{\"name\": \"ver_pipe\", \"steps\": [" \
  "{\"id\": \"read\", \"type\": \"table_input\"," \
  " \"sql\": \"SELECT id, zone, qty FROM src_e.reading\"}," \
  "{\"id\": \"north\", \"type\": \"filter\", \"condition\": \"zone = 'N'\"}," \
  "{\"id\": \"out\", \"type\": \"table_output\", \"table\": \"dw.ver_t\", \"create\": true}]," \
  "\"edges\": [{\"from\": \"read\", \"to\": \"north\"}, {\"from\": \"north\", \"to\": \"out\"}]}"

static gint64
n_stored (void)
{
  return aq_test_query_int64 (db, "SELECT count(*) FROM meta.pipeline_version"
                                  " WHERE name = 'ver_pipe'");
}

static gboolean
has_change (AqPipelineChangeKind kind,
            const char          *step,
            const char          *member)
{
  GPtrArray *changes = aq_pipeline_panel_get_changes (panel);

  for (guint i = 0; changes && i < changes->len; i++)
    {
      AqPipelineChange *change = g_ptr_array_index (changes, i);

      if (change->kind == kind && g_strcmp0 (change->step_id, step) == 0
          && g_strcmp0 (change->member, member) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Stored versions: listed as the store holds them (login, comment), one opened read-only on
 * the canvas (edits refused), two compared step by step, the one shown restored as a new
 * version, another edited as new and saved. */
static void
test_versions (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqPipelineGraph) latest = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  GPtrArray *versions;
  int version = 0;

  g_assert_true (aq_pipeline_store_save (db, "ver_pipe", VERSION_1, NULL, &version, &error));
  g_assert_no_error (error);
  g_assert_true (aq_pipeline_store_save (db, "ver_pipe", VERSION_2, "adds a filter", &version,
                                         &error));
  g_assert_no_error (error);
  g_assert_cmpint (version, ==, 2);
  latest = aq_pipeline_graph_new_from_data (VERSION_2, -1, &error);
  g_assert_no_error (error);
  /* the drop-down names what is on the canvas: a standard pipeline, then none for one that
   * only the store holds (it used to keep showing the previous name) */
  g_assert_true (aq_pipeline_panel_open_standard (panel, "dw_customer", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (aq_pipeline_panel_get_dropdown_name (panel), ==, "dw_customer");
  aq_pipeline_panel_set_graph (panel, latest);
  g_assert_cmpint (aq_pipeline_panel_get_shown_version (panel), ==, 0);
  g_assert_null (aq_pipeline_panel_get_dropdown_name (panel));

  /* the list: newest first, with the login and the comment the warehouse recorded */
  aq_pipeline_panel_list_versions (panel);
  aq_test_wait_for (idle, NULL, 60, "the versions");
  versions = aq_pipeline_panel_get_versions (panel);
  g_assert_nonnull (versions);
  res = aq_db_query (db, "SELECT version, author, coalesce(comment, '') FROM meta.pipeline_version"
                         " WHERE name = 'ver_pipe' ORDER BY version DESC", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (versions->len, ==, PQntuples (res));
  g_assert_cmpuint (versions->len, ==, 2);
  for (guint i = 0; i < versions->len; i++)
    {
      AqPipelineVersion *v = g_ptr_array_index (versions, i);

      g_assert_cmpint (v->version, ==, atoi (PQgetvalue (res, i, 0)));
      g_assert_cmpstr (v->author, ==, PQgetvalue (res, i, 1));
      g_assert_cmpstr (v->comment ? v->comment : "", ==, PQgetvalue (res, i, 2));
    }

  /* version 1 on the canvas, read-only: no filter, Delete and Save refused */
  gtk_widget_activate_action (GTK_WIDGET (panel), "editor.open-version", "i", 1);
  aq_test_wait_for (idle, NULL, 60, "version 1");
  g_assert_cmpint (aq_pipeline_panel_get_shown_version (panel), ==, 1);
  g_assert_nonnull (strstr (aq_pipeline_panel_get_version_text (panel), "ver_pipe"));
  g_assert_null (aq_pipeline_panel_get_dropdown_name (panel));
  g_assert_cmpuint (aq_pipeline_graph_get_n_steps (graph ()), ==, 2);
  g_assert_cmpint (aq_pipeline_graph_find_step (graph (), "north"), ==, -1);
  g_assert_true (aq_pipeline_canvas_get_read_only (canvas ()));
  aq_pipeline_canvas_select (canvas (), "out", FALSE);
  gtk_widget_activate_action (GTK_WIDGET (canvas ()), "canvas.delete", NULL);
  g_assert_cmpint (aq_pipeline_graph_find_step (graph (), "out"), >=, 0);
  g_assert_false (gtk_widget_get_sensitive (aq_pipeline_panel_get_form (panel)));
  gtk_widget_activate_action (GTK_WIDGET (panel), "editor.save", NULL);
  aq_test_wait_for (idle, NULL, 60, "a refused save");
  g_assert_cmpint (n_stored (), ==, 2);

  /* 1 → 2, step by step: the filter added, the query changed, the edges rewired */
  gtk_widget_activate_action (GTK_WIDGET (panel), "editor.compare-versions", "(ii)", 2, 1);
  aq_test_wait_for (idle, NULL, 60, "the comparison");
  expected = aq_pipeline_diff (VERSION_1, VERSION_2, &error);
  g_assert_no_error (error);
  g_assert_nonnull (aq_pipeline_panel_get_changes (panel));
  g_assert_cmpuint (aq_pipeline_panel_get_changes (panel)->len, ==, expected->len);
  g_assert_true (has_change (AQ_PIPELINE_CHANGE_STEP_ADDED, "north", NULL));
  g_assert_true (has_change (AQ_PIPELINE_CHANGE_STEP_MEMBER, "read", "sql"));
  g_assert_true (has_change (AQ_PIPELINE_CHANGE_EDGE_REMOVED, "read", "out"));
  g_assert_true (has_change (AQ_PIPELINE_CHANGE_EDGE_ADDED, "read", "north"));
  g_assert_false (has_change (AQ_PIPELINE_CHANGE_STEP_MEMBER, "out", "table"));

  /* Restore: version 3 is version 1's text, the canvas becomes editable */
  gtk_widget_activate_action (GTK_WIDGET (panel), "editor.restore-version", NULL);
  aq_test_wait_for (idle, NULL, 60, "the restore");
  g_assert_cmpint (n_stored (), ==, 3);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.pipeline_version a"
                                            " JOIN meta.pipeline_version b USING (name)"
                                            " WHERE name = 'ver_pipe' AND a.version = 3"
                                            " AND b.version = 1 AND a.restored_from = 1"
                                            " AND a.definition = b.definition"), ==, 1);
  g_assert_cmpint (aq_pipeline_panel_get_shown_version (panel), ==, 0);
  g_assert_false (aq_pipeline_canvas_get_read_only (canvas ()));

  /* version 2, edited as new: editable, a save is version 4 with the filter */
  gtk_widget_activate_action (GTK_WIDGET (panel), "editor.open-version", "i", 2);
  aq_test_wait_for (idle, NULL, 60, "version 2");
  g_assert_cmpint (aq_pipeline_panel_get_shown_version (panel), ==, 2);
  g_assert_cmpint (aq_pipeline_graph_find_step (graph (), "north"), >=, 0);
  gtk_widget_activate_action (GTK_WIDGET (panel), "editor.edit-as-new", NULL);
  g_assert_cmpint (aq_pipeline_panel_get_shown_version (panel), ==, 0);
  g_assert_true (gtk_widget_get_sensitive (aq_pipeline_panel_get_form (panel)));
  g_assert_true (aq_pipeline_graph_set_member_string (graph (), "north", "condition",
                                                      "zone = 'S'"));
  gtk_widget_activate_action (GTK_WIDGET (panel), "editor.save", NULL);
  aq_test_wait_for (idle, NULL, 60, "the save");
  g_assert_cmpint (n_stored (), ==, 4);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.pipeline_version"
                                            " WHERE name = 'ver_pipe' AND version = 4"
                                            " AND definition LIKE '%zone = ''S''%'"), ==, 1);

  if (g_getenv ("AQ_EDITOR_VERSIONS_SCREENSHOT"))
    {
      gtk_widget_activate_action (GTK_WIDGET (panel), "editor.open-version", "i", 1);
      aq_test_wait_for (idle, NULL, 60, "version 1 again");
      gtk_widget_activate_action (GTK_WIDGET (panel), "editor.compare-versions", "(ii)", 1, 2);
      aq_test_wait_for (idle, NULL, 60, "the comparison again");
      aq_pipeline_canvas_select (canvas (), "read", FALSE);
      aq_test_wait_for (idle, NULL, 60, "the preview");
      let_toasts_go ();
      gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
      aq_screenshot_save_png (GTK_WIDGET (window), g_getenv ("AQ_EDITOR_VERSIONS_SCREENSHOT"),
                              &error);
      g_assert_no_error (error);
    }
}

#define HISTORY_PIPE(LIMIT) \
  "{\"name\": \"hist_pipe\", \"steps\": [" \
  "{\"id\": \"read\", \"type\": \"table_input\"," \
  " \"sql\": \"SELECT id, zone FROM src_e.reading WHERE id <= " LIMIT "\"}," \
  "{\"id\": \"north\", \"type\": \"filter\", \"condition\": \"zone = 'N'\"}," \
  "{\"id\": \"out\", \"type\": \"table_output\", \"table\": \"dw.hist_t\"," \
  " \"create\": true, \"mode\": \"replace\"}]," \
  "\"edges\": [{\"from\": \"read\", \"to\": \"north\"}, {\"from\": \"north\", \"to\": \"out\"}]}"

static gint64
run_through_core (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqPipeline) pipeline = aq_pipeline_new_from_data (json, -1, NULL, &error);
  gint64 run_id = 0;

  g_assert_no_error (error);
  g_assert_true (aq_pipeline_runner_run_pipeline (pipeline, db, NULL, NULL, NULL, &run_id,
                                                  &error));
  g_assert_no_error (error);
  return run_id;
}

static gint64
json_int (JsonObject *object,
          const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node == NULL || JSON_NODE_HOLDS_NULL (node) ? -1 : json_node_get_int (node);
}

/* The History tab: the runs of the pipeline on the canvas with status, duration, rows written
 * and rows out per step, each equal to meta.pipeline_run / pipeline_step_run; both charts have
 * a point per run; a past run's figures land on the cards. */
static void
test_history (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqPipelineGraph) shown = NULL;
  g_autoptr(PGresult) res = NULL;
  gint64 first, second, rows_in, rows_out;
  JsonArray *runs;
  guint duration_marks, rows_marks;

  first = run_through_core (HISTORY_PIPE ("90"));
  second = run_through_core (HISTORY_PIPE ("300"));
  g_assert_cmpint (second, >, first);
  shown = aq_pipeline_graph_new_from_data (HISTORY_PIPE ("300"), -1, &error);
  g_assert_no_error (error);
  aq_pipeline_panel_set_graph (panel, shown);

  aq_pipeline_panel_load_history (panel);
  aq_test_wait_for (idle, NULL, 60, "the history");
  runs = aq_pipeline_panel_get_runs (panel);
  g_assert_nonnull (runs);
  res = aq_db_query (db, "SELECT run_id, status, rows_written,"
                         " round(extract(epoch FROM finished_at - started_at) * 1000)"
                         " FROM meta.pipeline_run WHERE pipeline = 'hist_pipe'"
                         " ORDER BY run_id DESC", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (runs), ==, PQntuples (res));
  g_assert_cmpuint (json_array_get_length (runs), ==, 2);
  for (guint i = 0; i < json_array_get_length (runs); i++)
    {
      JsonObject *run = json_array_get_object_element (runs, i);
      JsonArray *steps = json_object_get_array_member (run, "steps");
      g_autofree char *sql = NULL;

      g_assert_cmpint (json_int (run, "run_id"), ==, g_ascii_strtoll (PQgetvalue (res, i, 0),
                                                                       NULL, 10));
      g_assert_cmpstr (json_object_get_string_member (run, "status"), ==, PQgetvalue (res, i, 1));
      g_assert_cmpint (json_int (run, "rows_written"), ==, g_ascii_strtoll (PQgetvalue (res, i, 2),
                                                                           NULL, 10));
      g_assert_cmpfloat (json_object_get_double_member (run, "duration_ms"), ==,
                         g_ascii_strtod (PQgetvalue (res, i, 3), NULL));
      g_assert_cmpuint (json_array_get_length (steps), ==, 3);
      for (guint k = 0; k < json_array_get_length (steps); k++)
        {
          JsonObject *step = json_array_get_object_element (steps, k);
          g_autofree char *q = g_strdup_printf ("SELECT rows_out FROM meta.pipeline_step_run"
                                                " WHERE run_id = %" G_GINT64_FORMAT
                                                " AND step_id = '%s'",
                                                json_int (run, "run_id"),
                                                json_object_get_string_member (step, "id"));

          g_assert_cmpint (json_int (step, "rows_out"), ==, aq_test_query_int64 (db, q));
        }
    }
  /* the figures are what the data says, not only what the record says */
  g_assert_cmpint (json_int (json_array_get_object_element (runs, 1), "rows_written"), ==,
                   aq_test_query_int64 (db, "SELECT count(*) FROM src_e.reading"
                                            " WHERE id <= 90 AND zone = 'N'"));
  g_assert_cmpint (json_int (json_array_get_object_element (runs, 0), "rows_written"), ==,
                   aq_test_query_int64 (db, "SELECT count(*) FROM dw.hist_t"));

  /* the tab on screen: both charts draw a point per run */
  aq_pipeline_panel_show_history (panel);
  aq_test_wait_for (idle, NULL, 60, "the history tab");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  aq_pipeline_panel_get_chart_marks (panel, &duration_marks, &rows_marks);
  g_assert_cmpuint (duration_marks, ==, 2);
  g_assert_cmpuint (rows_marks, ==, 2);

  /* the older run on the cards: the reader had 90 rows */
  aq_pipeline_panel_show_run (panel, first);
  aq_test_wait_for (idle, NULL, 60, "the first run's figures");
  g_assert_cmpint (aq_pipeline_panel_get_shown_run (panel), ==, first);
  g_assert_true (aq_pipeline_canvas_get_step_report (canvas (), "read", &rows_in, &rows_out));
  g_assert_cmpint (rows_out, ==, 90);
  g_assert_true (aq_pipeline_canvas_get_step_report (canvas (), "north", &rows_in, &rows_out));
  g_assert_cmpint (rows_in, ==, 90);
  g_assert_cmpint (rows_out, ==, aq_test_query_int64 (db, "SELECT count(*) FROM src_e.reading"
                                                          " WHERE id <= 90 AND zone = 'N'"));

  if (g_getenv ("AQ_EDITOR_HISTORY_SCREENSHOT"))
    {
      let_toasts_go ();
      gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
      aq_screenshot_save_png (GTK_WIDGET (window), g_getenv ("AQ_EDITOR_HISTORY_SCREENSHOT"),
                              &error);
      g_assert_no_error (error);
    }
}

/* A button in @root whose action is @action (NULL: none) with the int64 target @target. */
static GtkWidget *
find_action_button (GtkWidget  *root,
                    const char *action,
                    gint64      target)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child)
          && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action) == 0)
        {
          GVariant *value = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (child));

          if (value && g_variant_is_of_type (value, G_VARIANT_TYPE_INT64)
              && g_variant_get_int64 (value) == target)
            return child;
        }
      if ((found = find_action_button (child, action, target)) != NULL)
        return found;
    }
  return NULL;
}

#define DEF_PIPE(LIMIT) \
  "{\"name\": \"def_pipe\", \"steps\": [" \
  "{\"id\": \"read\", \"type\": \"table_input\"," \
  " \"sql\": \"SELECT id, zone FROM src_e.reading WHERE id <= " LIMIT "\"}," \
  "{\"id\": \"out\", \"type\": \"table_output\", \"table\": \"dw.def_t\"," \
  " \"create\": true, \"mode\": \"replace\"}]," \
  "\"edges\": [{\"from\": \"read\", \"to\": \"out\"}]}"

static gint64
run_pipeline (AqPipeline *pipeline)
{
  g_autoptr(GError) error = NULL;
  gint64 run_id = 0;

  g_assert_true (aq_pipeline_runner_run_pipeline (pipeline, db, NULL, NULL, NULL, &run_id,
                                                  &error));
  g_assert_no_error (error);
  return run_id;
}

static void
open_run_definition (gint64 run_id)
{
  GtkWidget *button = find_action_button (GTK_WIDGET (panel), "editor.open-run-definition",
                                          run_id);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  /* a click (gtk_widget_activate would click only after the button's 250 ms press) */
  g_signal_emit_by_name (button, "clicked");
  aq_test_wait_for (idle, NULL, 60, "the run's definition");
  g_assert_cmpint (aq_pipeline_panel_get_definition_run (panel), ==, run_id);
}

/* A run remembers the definition it ran (migration 042): a stored version by number, a file the
 * store holds as its version, an unsaved text as itself; after the pipeline is edited and saved
 * again, the history's open button and `pipeline show NAME --run ID` still give the old one. */
static void
test_run_definition (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqPipeline) stored = NULL;
  g_autoptr(AqPipeline) file = NULL;
  g_autoptr(AqPipeline) unsaved = NULL;
  g_autoptr(AqPipelineGraph) latest = NULL;
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  g_autofree char *sql = NULL;
  gint64 run_v1, run_file, run_unsaved, old_run;
  int version = 0;
  JsonArray *runs;

  g_assert_true (aq_pipeline_store_save (db, "def_pipe", DEF_PIPE ("90"), NULL, &version,
                                         &error));
  g_assert_no_error (error);
  g_assert_cmpint (version, ==, 1);
  stored = aq_pipeline_store_open (db, "def_pipe", 0, &error);
  g_assert_no_error (error);
  run_v1 = run_pipeline (stored);
  g_assert_true (aq_pipeline_store_save (db, "def_pipe", DEF_PIPE ("300"), NULL, &version,
                                         &error));
  g_assert_cmpint (version, ==, 2);
  /* a file whose text is the stored version 2 (as a standard pipeline is version 1) */
  path = g_build_filename (g_get_tmp_dir (), "aq-def-pipe-XXXXXX.json", NULL);
  g_close (g_mkstemp (path), NULL);
  g_assert_true (g_file_set_contents (path, DEF_PIPE ("300"), -1, &error));
  file = aq_pipeline_new_from_file (path, &error);
  g_assert_no_error (error);
  run_file = run_pipeline (file);
  g_unlink (path);
  /* an edit that was never saved, run as the editor runs it */
  unsaved = aq_pipeline_new_from_data (DEF_PIPE ("120"), -1, NULL, &error);
  g_assert_no_error (error);
  run_unsaved = run_pipeline (unsaved);
  /* then the pipeline is edited and saved again */
  g_assert_true (aq_pipeline_store_save (db, "def_pipe", DEF_PIPE ("500"), NULL, &version,
                                         &error));
  g_assert_cmpint (version, ==, 3);

  /* what the warehouse recorded: a number, or the text itself */
  sql = g_strdup_printf ("SELECT count(*) FROM meta.pipeline_run WHERE pipeline = 'def_pipe'"
                         " AND ((run_id = %" G_GINT64_FORMAT " AND version = 1"
                         "       AND definition IS NULL)"
                         "   OR (run_id = %" G_GINT64_FORMAT " AND version = 2"
                         "       AND definition IS NULL)"
                         "   OR (run_id = %" G_GINT64_FORMAT " AND version IS NULL"
                         "       AND definition = $1))", run_v1, run_file, run_unsaved);
  g_assert_cmpint (aq_test_count1 (db, sql, DEF_PIPE ("120")), ==, 3);
  /* the run's rows are the old definition's */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM dw.def_t"), ==, 120);

  /* the editor: the latest version on the canvas, the history's open buttons */
  latest = aq_pipeline_graph_new_from_data (DEF_PIPE ("500"), -1, &error);
  g_assert_no_error (error);
  aq_pipeline_panel_set_graph (panel, latest);
  aq_pipeline_panel_show_history (panel);
  aq_test_wait_for (idle, NULL, 60, "the history");
  runs = aq_pipeline_panel_get_runs (panel);
  g_assert_cmpuint (json_array_get_length (runs), ==, 3);
  g_assert_cmpint (json_int (json_array_get_object_element (runs, 0), "version"), ==, -1);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (runs, 0),
                                                 "definition_kept"));
  g_assert_cmpint (json_int (json_array_get_object_element (runs, 2), "version"), ==, 1);
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (runs, 2),
                                                  "definition_kept"));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  open_run_definition (run_v1);
  g_assert_cmpint (aq_pipeline_panel_get_shown_version (panel), ==, 1);
  data = aq_pipeline_graph_to_data (graph ());
  g_assert_nonnull (strstr (data, "id <= 90"));
  /* (the words are English unless the screenshots are taken in another language) */
  if (g_getenv ("AQ_EDITOR_LANGUAGE") == NULL)
    g_assert_nonnull (strstr (aq_pipeline_panel_get_version_text (panel), "run"));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (form ())));
  g_clear_pointer (&data, g_free);

  open_run_definition (run_unsaved);
  g_assert_cmpint (aq_pipeline_panel_get_shown_version (panel), ==, -1);
  data = aq_pipeline_graph_to_data (graph ());
  g_assert_nonnull (strstr (data, "id <= 120"));
  g_assert_nonnull (aq_pipeline_panel_get_version_text (panel));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (form ())));
  g_clear_pointer (&data, g_free);
  if (g_getenv ("AQ_EDITOR_RUN_DEFINITION_SCREENSHOT"))
    {
      let_toasts_go ();
      gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
      aq_screenshot_save_png (GTK_WIDGET (window),
                              g_getenv ("AQ_EDITOR_RUN_DEFINITION_SCREENSHOT"), &error);
      g_assert_no_error (error);
    }
  /* Edit as new: editable again, the same text */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "editor.edit-as-new", NULL));
  g_assert_cmpint (aq_pipeline_panel_get_shown_version (panel), ==, 0);
  g_assert_cmpint (aq_pipeline_panel_get_definition_run (panel), ==, 0);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (form ())));
  data = aq_pipeline_graph_to_data (graph ());
  g_assert_nonnull (strstr (data, "id <= 120"));

  /* the command line */
  {
    g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run_v1);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    int status = -1;

    out = aq_test_ctl (&status, &err, "pipeline", "show", "def_pipe", "--run", id, NULL);
    g_assert_cmpint (status, ==, 0);
    g_assert_cmpstr (out, ==, DEF_PIPE ("90") "\n");
    g_assert_nonnull (strstr (err, "version 1"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_free (id);
    id = g_strdup_printf ("%" G_GINT64_FORMAT, run_unsaved);
    out = aq_test_ctl (&status, &err, "pipeline", "show", "def_pipe", "--run", id, NULL);
    g_assert_cmpint (status, ==, 0);
    g_assert_cmpstr (out, ==, DEF_PIPE ("120") "\n");
    g_assert_nonnull (strstr (err, "never saved"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    /* another pipeline's run is refused; the latest version without --run */
    out = aq_test_ctl (&status, &err, "pipeline", "show", "hist_pipe", "--run", id, NULL);
    g_assert_cmpint (status, ==, 2);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    out = aq_test_ctl (&status, NULL, "pipeline", "show", "def_pipe", NULL);
    g_assert_cmpint (status, ==, 0);
    g_assert_cmpstr (out, ==, DEF_PIPE ("500") "\n");
    g_clear_pointer (&out, g_free);
    out = aq_test_ctl (&status, NULL, "pipeline", "show", "def_pipe", "--version", "2", NULL);
    g_assert_cmpstr (out, ==, DEF_PIPE ("300") "\n");
    g_clear_pointer (&out, g_free);
    out = aq_test_ctl (&status, NULL, "pipeline", "history", "def_pipe", NULL);
    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (out, "unsaved"));
  }

  /* a run recorded before migration 042 knows no definition: the button says so */
  old_run = aq_test_query_int64 (db, "INSERT INTO meta.pipeline_run (pipeline, status)"
                                     " VALUES ('def_pipe', 'succeeded') RETURNING run_id");
  aq_pipeline_panel_load_history (panel);
  aq_test_wait_for (idle, NULL, 60, "the history again");
  {
    GtkWidget *button = find_action_button (GTK_WIDGET (panel), NULL, old_run);

    g_assert_nonnull (button);
    g_assert_false (gtk_widget_get_sensitive (button));
  }
}

/* The same names, in any order (the graph's neighbour lists follow a hash table's order,
 * which differs from one process to another). */
static gboolean
strv_equal_json (GStrv      names,
                 JsonArray *array)
{
  if (g_strv_length (names) != json_array_get_length (array))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!g_strv_contains ((const char * const *) names,
                          json_array_get_string_element (array, i)))
      return FALSE;
  return TRUE;
}

/* The pipeline's node in `aqueductctl pipeline graph --json`. */
static JsonObject *
cli_graph_node (JsonNode   *root,
                const char *name)
{
  JsonArray *nodes = json_node_get_array (root);

  for (guint i = 0; i < json_array_get_length (nodes); i++)
    {
      JsonObject *node = json_array_get_object_element (nodes, i);

      if (g_strcmp0 (json_object_get_string_member (node, "name"), name) == 0)
        return node;
    }
  return NULL;
}

/* The Dependencies tab: what feeds the pipeline on the canvas and what reads its outputs, as
 * `aqueductctl pipeline graph` says; activating one opens it. */
static void
test_dependencies (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  g_auto(GStrv) upstream = NULL;
  g_auto(GStrv) downstream = NULL;
  JsonObject *node;
  int status = -1;

  out = aq_test_ctl (&status, NULL, "pipeline", "graph", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);

  g_assert_true (aq_pipeline_panel_open_standard (panel, "dw_payment", &error));
  g_assert_no_error (error);
  aq_pipeline_panel_show_dependencies (panel);
  aq_test_wait_for (idle, NULL, 60, "the dependency graph");
  upstream = aq_pipeline_panel_get_dependencies (panel, FALSE);
  downstream = aq_pipeline_panel_get_dependencies (panel, TRUE);
  node = cli_graph_node (json_parser_get_root (parser), "dw_payment");
  g_assert_nonnull (node);
  g_assert_true (strv_equal_json (upstream, json_object_get_array_member (node, "upstream")));
  g_assert_true (strv_equal_json (downstream,
                                  json_object_get_array_member (node, "downstream")));
  /* dw_payment joins dw_billing's dw.fact_bill and loads from ods_billing's tables */
  g_assert_true (g_strv_contains ((const char * const *) upstream, "dw_billing"));
  g_assert_true (g_strv_contains ((const char * const *) upstream, "ods_billing"));
  g_assert_cmpuint (g_strv_length (downstream), >, 0);
  g_assert_nonnull (strstr (aq_pipeline_panel_get_dependencies_text (panel), "dw_payment"));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  if (g_getenv ("AQ_EDITOR_DEPS_SCREENSHOT"))
    {
      let_toasts_go ();
      gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
      aq_screenshot_save_png (GTK_WIDGET (window), g_getenv ("AQ_EDITOR_DEPS_SCREENSHOT"),
                              &error);
      g_assert_no_error (error);
    }

  /* a click on a downstream one opens it, and the tab follows: dw_payment now feeds it */
  {
    g_autofree char *next = g_strdup (downstream[0]);
    g_auto(GStrv) feeds = NULL;

    g_assert_false (aq_pipeline_panel_activate_dependency (panel, "no_such_pipeline"));
    g_assert_true (aq_pipeline_panel_activate_dependency (panel, next));
    aq_test_wait_for (idle, NULL, 60, "the pipeline opened");
    g_assert_cmpstr (aq_pipeline_graph_get_name (graph ()), ==, next);
    g_assert_cmpuint (aq_pipeline_graph_get_n_steps (graph ()), >, 0);
    feeds = aq_pipeline_panel_get_dependencies (panel, FALSE);
    g_assert_true (g_strv_contains ((const char * const *) feeds, "dw_payment"));
  }
}

#define CHAIN_PIPE(NAME, SQL, TABLE) \
  "{\"name\": \"" NAME "\", \"steps\": [" \
  "{\"id\": \"read\", \"type\": \"table_input\", \"sql\": \"" SQL "\"}," \
  "{\"id\": \"out\", \"type\": \"table_output\", \"table\": \"" TABLE "\", \"create\": true," \
  " \"mode\": \"replace\"}]," \
  "\"edges\": [{\"from\": \"read\", \"to\": \"out\"}]}"

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* A real aqueductd whose scheduler ticks every 200 ms with its clock pinned at @now. */
static GPid
daemon_start (const char *now)
{
  g_autofree char *config = g_build_filename (g_get_tmp_dir (), "aq-editor-chain.conf", NULL);
  const char *argv[] = { g_getenv ("AQUEDUCTD"), "--config", config, "--port", "0", NULL };
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "AQUEDUCT_NOW", now, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) channel = NULL;
  g_autofree char *line = NULL;
  GPid pid = 0;
  int out_fd = -1;

  g_file_set_contents (config, "[scheduler]\nenabled=true\npoll-interval-ms=200\n"
                       "lease-seconds=30\nmax-running=1\nowner=editor-chain\n", -1, &error);
  g_assert_no_error (error);
  g_spawn_async_with_pipes (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD,
                            die_with_parent, NULL, &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);
  channel = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (channel, TRUE);
  g_io_channel_read_line (channel, &line, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  return pid;
}

static void
daemon_stop (GPid pid)
{
  int status = 0;

  kill (pid, SIGTERM);
  waitpid (pid, &status, 0);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_spawn_close_pid (pid);
}

/* Waits (no deadline on time: the test's 60 s limit per wait) until @sql answers @expected. */
static gboolean
query_is (gpointer sql)
{
  return aq_test_query_int64 (db, sql) > 0;
}

/* Schedule… in "after job" mode, end to end: the dialog chains chain_b after the job that runs
 * chain_a; a real aqueductd (clock pinned past chain_a's occurrence) runs chain_a, and on its
 * success chain_b, once, with the chain's parent the run of chain_a; then chain_a fails (a
 * division by zero in its stored version) and nothing more of chain_b runs — what the
 * scheduler promises (aq-job-queue.c: a chain is queued by its parent's success only). */
static void
test_schedule_after (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 5, 4, 12, 0, 0);
  g_autoptr(AqPipelineGraph) b_graph = NULL;
  g_autoptr(AqJob) a_job = aq_job_new ("chain-a", "pipeline", "chain_a");
  AqPipelineScheduleDialog *dialog;
  gint64 a_run, b_run, failed_run;
  GPid pid;

  aq_clock_pin (now);
  aq_db_exec (db, "DROP TABLE IF EXISTS dw.chain_a_t, dw.chain_b_t", &error);
  g_assert_no_error (error);
  g_assert_true (aq_pipeline_store_save (db, "chain_a",
                                         CHAIN_PIPE ("chain_a", "SELECT id FROM src_e.reading"
                                                     " WHERE id <= 40", "dw.chain_a_t"),
                                         NULL, NULL, &error));
  g_assert_no_error (error);
  /* chain_b reads what chain_a wrote */
  g_assert_true (aq_pipeline_store_save (db, "chain_b",
                                         CHAIN_PIPE ("chain_b", "SELECT id FROM dw.chain_a_t",
                                                     "dw.chain_b_t"),
                                         NULL, NULL, &error));
  g_assert_no_error (error);
  a_job->schedule = g_strdup ("0 2 * * *");
  a_job->time_zone = g_strdup ("UTC");
  a_job->retries = 0;
  g_assert_true (aq_job_add (db, a_job, &error));
  g_assert_no_error (error);

  /* the dialog: chain_b after chain-a */
  b_graph = aq_pipeline_graph_new_from_data (CHAIN_PIPE ("chain_b",
                                                         "SELECT id FROM dw.chain_a_t",
                                                         "dw.chain_b_t"), -1, &error);
  g_assert_no_error (error);
  aq_pipeline_panel_set_graph (panel, b_graph);
  aq_panel_reload (AQ_PANEL (panel));
  aq_test_wait_for (can_schedule_is, GINT_TO_POINTER (TRUE), 60, "the login's rights");
  dialog = open_schedule ();
  aq_pipeline_schedule_dialog_set_chained (dialog, TRUE);
  set_field (dialog, AQ_SCHEDULE_FIELD_AFTER, "chain-a");
  g_assert_cmpstr (aq_pipeline_schedule_dialog_get_error_text (dialog), ==, "");
  g_assert_nonnull (strstr (aq_pipeline_schedule_dialog_get_next_text (dialog), "chain-a"));
  aq_pipeline_schedule_dialog_save (dialog);
  aq_test_wait_for (schedule_dialog_is, GINT_TO_POINTER (FALSE), 60, "the chained job saved");
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.job"
                                            " WHERE name = 'pipeline-chain_b'"
                                            " AND kind = 'pipeline' AND target = 'chain_b'"
                                            " AND schedule IS NULL AND after_job = 'chain-a'"
                                            " AND enabled"), ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.job_run r"
                                            " JOIN meta.job j USING (job_id)"
                                            " WHERE j.name IN ('chain-a', 'pipeline-chain_b')"),
                   ==, 0);

  /* the real scheduler, a day later: chain-a's 02:00 is due */
  pid = daemon_start ("2026-05-05T12:00:00Z");
  aq_test_wait_for (query_is, "SELECT count(*) FROM meta.job_run r JOIN meta.job j"
                              " USING (job_id) WHERE j.name = 'pipeline-chain_b'"
                              " AND r.status IN ('succeeded', 'failed')", 60, "chain_b's run");
  a_run = aq_test_query_int64 (db, "SELECT r.run_id FROM meta.job_run r JOIN meta.job j"
                                   " USING (job_id) WHERE j.name = 'chain-a'"
                                   " AND r.status = 'succeeded' AND r.trigger = 'schedule'"
                                   " AND r.scheduled_for = '2026-05-05 02:00+00'");
  g_assert_cmpint (a_run, >, 0);
  b_run = aq_test_query_int64 (db, "SELECT r.run_id FROM meta.job_run r JOIN meta.job j"
                                   " USING (job_id) WHERE j.name = 'pipeline-chain_b'"
                                   " AND r.status = 'succeeded' AND r.trigger = 'chain'");
  g_assert_cmpint (b_run, >, 0);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM meta.job_run b"
                                            " JOIN meta.job_run a ON a.run_id = b.parent_run_id"
                                            " WHERE b.run_id = %" G_GINT64_FORMAT
                                            " AND a.run_id = %" G_GINT64_FORMAT
                                            " AND b.started_at >= a.finished_at",
                                            b_run, a_run);

    g_assert_cmpint (aq_test_query_int64 (db, sql), ==, 1);
  }
  /* each pipeline ran once, its stored version 1, and chain_b loaded what chain_a wrote */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.pipeline_run"
                                            " WHERE pipeline IN ('chain_a', 'chain_b')"
                                            " AND status = 'succeeded' AND version = 1"), ==, 2);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM dw.chain_b_t"), ==, 40);

  /* chain_a fails: its run by hand ends failed and chains nothing */
  g_assert_true (aq_pipeline_store_save (db, "chain_a",
                                         CHAIN_PIPE ("chain_a", "SELECT id / 0 AS id"
                                                     " FROM src_e.reading", "dw.chain_a_t"),
                                         NULL, NULL, &error));
  g_assert_no_error (error);
  aq_job_queue_add (db, "chain-a", "hand", NULL, &error);
  g_assert_no_error (error);
  aq_test_wait_for (query_is, "SELECT count(*) FROM meta.job_run r JOIN meta.job j"
                              " USING (job_id) WHERE j.name = 'chain-a'"
                              " AND r.trigger = 'hand' AND r.status = 'failed'", 60,
                    "chain_a's failed run");
  failed_run = aq_test_query_int64 (db, "SELECT r.run_id FROM meta.job_run r JOIN meta.job j"
                                        " USING (job_id) WHERE j.name = 'chain-a'"
                                        " AND r.trigger = 'hand'");
  daemon_stop (pid);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM meta.job_run"
                                            " WHERE parent_run_id = %" G_GINT64_FORMAT,
                                            failed_run);

    /* the chain would have been queued by the statement that recorded the failure */
    g_assert_cmpint (aq_test_query_int64 (db, sql), ==, 0);
  }
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.job_run r"
                                            " JOIN meta.job j USING (job_id)"
                                            " WHERE j.name = 'pipeline-chain_b'"), ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.pipeline_run"
                                            " WHERE pipeline = 'chain_b'"), ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.pipeline_run"
                                            " WHERE pipeline = 'chain_a' AND status = 'failed'"
                                            " AND version = 2"), ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM dw.chain_a_t"), ==, 40);

  /* leave no jobs behind for the other tests */
  aq_db_exec (db, "DELETE FROM meta.job_run WHERE job_id IN (SELECT job_id FROM meta.job"
                  " WHERE name IN ('chain-a', 'pipeline-chain_b'));"
                  "DELETE FROM meta.job WHERE name = 'pipeline-chain_b';"
                  "DELETE FROM meta.job WHERE name = 'chain-a'", &error);
  g_assert_no_error (error);
  aq_clock_pin (NULL);
}

#define SAMPLED_PIPELINE \
  "{\"name\": \"sampled_t\", \"steps\": [" \
  "{\"id\": \"read\", \"type\": \"table_input\"," \
  " \"sql\": \"SELECT zone, qty FROM src_e.sampled\"}," \
  "{\"id\": \"total\", \"type\": \"aggregate\", \"group_by\": [\"zone\"], \"aggregates\": [" \
  " {\"name\": \"n\", \"function\": \"count\"}," \
  " {\"name\": \"qty\", \"function\": \"sum\", \"column\": \"qty\"}]}," \
  "{\"id\": \"write\", \"type\": \"table_output\", \"table\": \"dw.sampled_t\"," \
  " \"create\": true}]," \
  "\"edges\": [{\"from\": \"read\", \"to\": \"total\"}, {\"from\": \"total\", \"to\": \"write\"}]}"

static gboolean
full_preview_ready (gpointer step_id)
{
  return !aq_pipeline_panel_is_previewing_full (panel) && preview_ready (step_id);
}

/* The total per zone in the preview equals @sql's (zone, n, qty), row for row. */
static void
assert_totals (AqPipelinePreview *preview,
               const char        *from)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM (SELECT DISTINCT zone FROM %s) z",
                                          from);

  g_assert_cmpint (preview->rows->len, ==, aq_test_query_int64 (db, sql));
  for (guint r = 0; r < preview->rows->len; r++)
    {
      g_autofree char *row = g_strdup_printf ("SELECT count(*)::text || '|' || sum(qty)::text"
                                              " FROM %s WHERE zone = '%s'", from,
                                              aq_pipeline_preview_get_value (preview, r, 0));
      g_autofree char *expected = aq_test_query_string (db, row);
      g_autofree char *got = g_strdup_printf ("%s|%s",
                                              aq_pipeline_preview_get_value (preview, r, 1),
                                              aq_pipeline_preview_get_value (preview, r, 2));

      g_assert_cmpstr (got, ==, expected);
    }
}

/* A step past the budget is previewed over a sample, and the panel says so plainly; its rows
 * equal SQL over the same first rows. The bar's button computes every row (its seconds
 * counted), equal to SQL over the whole table; Cancel stops a full preview and the sampled
 * one comes back. The budget is taken away ($AQUEDUCT_PREVIEW_FULL_MS=0: always a sample), so
 * that no clock decides what the test sees. AQ_EDITOR_SAMPLE_SCREENSHOT=FILE.png. */
static void
test_preview_sample (void)
{
  g_autoptr(AqPipelineGraph) sampled = NULL;
  g_autoptr(GError) error = NULL;
  AqPipelinePreview *preview;

  aq_db_exec (db, "CREATE TABLE src_e.sampled AS SELECT i AS id, 'Z' || (i % 3) AS zone,"
              " (i % 13)::numeric(12,2) AS qty FROM generate_series(1, 2000) i;"
              "GRANT SELECT ON src_e.sampled TO aq_data_engineer", &error);
  g_assert_no_error (error);
  sampled = aq_pipeline_graph_new_from_data (SAMPLED_PIPELINE, -1, &error);
  g_assert_no_error (error);
  aq_pipeline_graph_auto_layout (sampled);
  aq_pipeline_panel_set_graph (panel, sampled);
  aq_test_wait_for (idle, NULL, 60, "the pipeline shown");

  g_setenv ("AQUEDUCT_PREVIEW_FULL_MS", "0", TRUE);
  g_setenv ("AQUEDUCT_PREVIEW_SAMPLE_ROWS", "40", TRUE);
  aq_pipeline_canvas_select (canvas (), "total", FALSE);
  gtk_widget_activate_action (GTK_WIDGET (panel), "editor.preview", NULL);
  aq_test_wait_for (preview_ready, "total", 60, "the sampled preview");
  preview = aq_pipeline_panel_get_preview (panel);
  g_assert_cmpuint (preview->sample_rows, ==, 40);
  g_assert_cmpuint (preview->n_sampled_tables, ==, 1);
  g_assert_cmpint (preview->sample_input_rows, ==, 40);
  g_assert_nonnull (aq_pipeline_panel_get_preview_sample_text (panel));
  if (g_getenv ("AQ_EDITOR_LANGUAGE") == NULL)
    {
      g_assert_nonnull (strstr (aq_pipeline_panel_get_preview_sample_text (panel),
                                "sample of 40 input rows"));
      g_assert_nonnull (strstr (aq_pipeline_panel_get_preview_sample_text (panel),
                                "figures are not the full result"));
      g_assert_nonnull (strstr (aq_pipeline_panel_get_preview_text (panel),
                                "3 rows from the sample"));
    }
  aq_db_exec (db, "SET synchronize_seqscans = off;"
              "CREATE TEMP TABLE first_sampled AS SELECT * FROM src_e.sampled LIMIT 40", &error);
  g_assert_no_error (error);
  assert_totals (preview, "first_sampled");
  if (g_getenv ("AQ_EDITOR_SAMPLE_SCREENSHOT"))
    {
      let_toasts_go ();
      gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
      aq_screenshot_save_png (GTK_WIDGET (window), g_getenv ("AQ_EDITOR_SAMPLE_SCREENSHOT"),
                              &error);
      g_assert_no_error (error);
    }

  /* Cancel stops the full preview; the sampled one is computed again */
  gtk_widget_activate_action (GTK_WIDGET (panel), "editor.preview-full", NULL);
  g_assert_true (aq_pipeline_panel_is_previewing_full (panel));
  g_assert_nonnull (aq_pipeline_panel_get_preview_sample_text (panel));
  gtk_widget_activate_action (GTK_WIDGET (panel), "editor.preview-cancel", NULL);
  g_assert_false (aq_pipeline_panel_is_previewing_full (panel));
  aq_test_wait_for (preview_ready, "total", 60, "the sampled preview again");
  g_assert_cmpuint (aq_pipeline_panel_get_preview (panel)->sample_rows, ==, 40);

  /* the button: every row, as SQL over the whole table says; the bar goes */
  gtk_widget_activate_action (GTK_WIDGET (panel), "editor.preview-full", NULL);
  g_assert_true (aq_pipeline_panel_is_previewing_full (panel));
  if (g_getenv ("AQ_EDITOR_LANGUAGE") == NULL)
    g_assert_nonnull (strstr (aq_pipeline_panel_get_preview_sample_text (panel),
                              "Computing the full preview"));
  aq_test_wait_for (full_preview_ready, "total", 60, "the full preview");
  preview = aq_pipeline_panel_get_preview (panel);
  g_assert_cmpuint (preview->sample_rows, ==, 0);
  g_assert_null (aq_pipeline_panel_get_preview_sample_text (panel));
  assert_totals (preview, "src_e.sampled");
  if (g_getenv ("AQ_EDITOR_LANGUAGE") == NULL)
    g_assert_nonnull (strstr (aq_pipeline_panel_get_preview_text (panel), "3 rows (3 shown)"));

  aq_test_wait_for (idle, NULL, 60, "the previews");
  g_setenv ("AQUEDUCT_PREVIEW_FULL_MS", "600000", TRUE);
  /* back on the Dependencies tab, as /pipeline-editor/dependencies left it: with the tab
   * hidden, its activated row makes GTK 4 look for the focus in the half-disposed window at
   * the end (a Gtk-CRITICAL on teardown only) */
  aq_pipeline_panel_show_dependencies (panel);
  aq_test_wait_for (idle, NULL, 60, "the dependencies");
  aq_db_exec (db, "DROP TABLE first_sampled; RESET synchronize_seqscans", &error);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *conninfo = NULL;
  g_autoptr(GError) error = NULL;
  int ret;

  conninfo = aq_test_conninfo (DB_NAME);
  g_setenv ("AQUEDUCT_DATABASE_URL", conninfo, TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  /* the previews' row counts are compared with SQL: no time budget on a loaded machine */
  g_setenv ("AQUEDUCT_PREVIEW_COUNT_MS", "600000", TRUE);
  /* and compare full previews' rows with SQL: no time budget either */
  g_setenv ("AQUEDUCT_PREVIEW_FULL_MS", "600000", TRUE);
  /* screenshots in another language: AQ_EDITOR_LANGUAGE=zh_CN, the build tree's catalog */
  if (g_getenv ("AQ_EDITOR_LANGUAGE"))
    {
      g_autofree char *localedir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "po",
                                                     NULL);

      g_setenv ("LANGUAGE", g_getenv ("AQ_EDITOR_LANGUAGE"), TRUE);
      setlocale (LC_ALL, "");
      bindtextdomain (GETTEXT_PACKAGE, localedir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  aq_ui_init ();

  db = aq_test_db_new (DB_NAME, TRUE);
  aq_db_exec (db, "CREATE SCHEMA src_e;"
              "CREATE TABLE src_e.reading (id int PRIMARY KEY, zone text, qty numeric(12,2));"
              "INSERT INTO src_e.reading SELECT i, CASE WHEN i % 3 = 0 THEN 'S' ELSE 'N' END,"
              " (i % 11) - 3 FROM generate_series(1, 900) i;"
              "GRANT USAGE ON SCHEMA src_e TO aq_data_engineer;"
              "GRANT SELECT ON ALL TABLES IN SCHEMA src_e TO aq_data_engineer", &error);
  g_assert_no_error (error);

  monitor = aq_connection_monitor_new ();
  window = aq_window_new (NULL, monitor);
  aq_connection_monitor_set_conninfo (monitor, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  aq_window_show_panel (window, "pipeline");
  panel = AQ_PIPELINE_PANEL (aq_window_get_panel (window, "pipeline"));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  g_test_add_func ("/pipeline-editor/build-preview-run", test_build_preview_run);
  g_test_add_func ("/pipeline-editor/standard", test_standard);
  g_test_add_func ("/pipeline-editor/versions", test_versions);
  g_test_add_func ("/pipeline-editor/history", test_history);
  g_test_add_func ("/pipeline-editor/rubber-band", test_rubber_band);
  g_test_add_func ("/pipeline-editor/schedule", test_schedule);
  g_test_add_func ("/pipeline-editor/backfill", test_backfill);
  g_test_add_func ("/pipeline-editor/import-ktr", test_import_ktr);
  g_test_add_func ("/pipeline-editor/run-definition", test_run_definition);
  g_test_add_func ("/pipeline-editor/dependencies", test_dependencies);
  g_test_add_func ("/pipeline-editor/schedule-after", test_schedule_after);
  g_test_add_func ("/pipeline-editor/preview-sample", test_preview_sample);
  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&db);
  g_clear_object (&monitor);
  return ret;
}
