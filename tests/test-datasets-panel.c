/* test-datasets-panel.c — the data catalog panel on a real warehouse: the tree, search, a
 * table's page with its columns and lineage graph, an indicator's page; then the real
 * `aqueduct --screenshot datasets=…` in English and in Chinese */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "aq-test-ui.h"
#include "aq-test-util.h"

#include "aq-datasets-panel.h"
#include "aq-panel.h"
#include "aq-ui.h"

#define DB_NAME "t_datasets_panel"

static char *conninfo;
static AqDb *db;

/* ---- helpers ---- */

static gboolean
not_loading (gpointer data)
{
  return !aq_panel_get_loading (AQ_PANEL (data));
}

static gboolean
list_mode_is (gpointer data)
{
  AqDatasetsPanel *panel = data;

  return g_str_equal (aq_datasets_panel_get_list_mode (panel), "search");
}

static gboolean
match_name (GtkWidget     *widget,
            gconstpointer  data)
{
  return g_strcmp0 (gtk_widget_get_name (widget), data) == 0;
}

static gboolean
match_label (GtkWidget     *widget,
             gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), data) == 0;
}

static gboolean
owner_saved (gpointer data)
{
  g_autofree char *owner = aq_test_query_string (db, "SELECT owner FROM meta.dataset_table "
                                                   "WHERE table_schema = 'dm' "
                                                   "AND table_name = 'customer_profile'");

  return g_strcmp0 (owner, data) == 0;
}

static GdkTexture *
load_png (const char *path)
{
  g_autoptr(GError) error = NULL;
  GdkTexture *texture = gdk_texture_new_from_filename (path, &error);

  g_assert_no_error (error);
  return texture;
}

/* ---- tests ---- */

static void
test_tree_search_table (void)
{
  g_autoptr(AqConnectionMonitor) monitor = aq_connection_monitor_new ();
  GtkWidget *window = gtk_window_new ();
  AqDatasetsPanel *panel = g_object_new (AQ_TYPE_DATASETS_PANEL, NULL);
  GtkListBox *list;
  GtkWidget *row;
  const AqDatasetTable *table;
  AqLineageGraph *graph;
  GtkWidget *column;
  gpointer weak_panel;

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (panel));
  aq_connection_monitor_set_conninfo (monitor, NULL);
  aq_datasets_panel_set_monitor (panel, monitor);
  gtk_window_present (GTK_WINDOW (window));
  aq_test_wait_for (not_loading, panel, 60, "the catalog tree");

  /* the tree: layers, subjects, tables */
  list = aq_datasets_panel_get_list (panel);
  g_assert_cmpstr (aq_datasets_panel_get_list_mode (panel), ==, "tree");
  g_assert_nonnull (aq_test_find_widget (GTK_WIDGET (list), match_label, "Warehouse (dw)"));
  g_assert_nonnull (aq_test_find_widget (GTK_WIDGET (list), match_label, "Marts (dm)"));
  g_assert_nonnull (aq_test_find_widget (GTK_WIDGET (list), match_name, "dw.fact_bill"));

  /* search, then open the first hit as Enter would */
  aq_datasets_panel_search (panel, "customer_profile");
  aq_test_wait_for (list_mode_is, panel, 30, "the search");
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (list, 0));
  g_assert_cmpstr (gtk_widget_get_name (row), ==, "dm.customer_profile");
  g_signal_emit_by_name (list, "row-activated", row);
  g_assert_true (aq_panel_get_loading (AQ_PANEL (panel)));
  aq_test_wait_for (not_loading, panel, 30, "the table page");

  table = aq_datasets_panel_get_table (panel);
  g_assert_nonnull (table);
  g_assert_cmpstr (table->key, ==, "dm.customer_profile");
  /* its columns on screen, personal data flagged */
  column = aq_test_find_widget (GTK_WIDGET (aq_datasets_panel_get_columns_grid (panel)),
                                match_name, "arrears_amount");
  g_assert_nonnull (column);
  g_assert_nonnull (aq_test_find_widget (GTK_WIDGET (aq_datasets_panel_get_columns_grid (panel)),
                                         match_label, "Phone"));
  /* and its lineage, back to the billing source and on to the indicators */
  graph = aq_datasets_panel_get_graph (panel);
  g_assert_cmpuint (aq_lineage_graph_get_n_nodes (graph), ==, table->lineage->len + 1);
  g_assert_true (aq_lineage_graph_has_node (graph, "dm.customer_profile"));
  g_assert_true (aq_lineage_graph_has_node (graph, "dw.fact_bill"));
  g_assert_true (aq_lineage_graph_has_node (graph, "src_billing.payment"));
  g_assert_true (aq_lineage_graph_has_node (graph, "indicator:arrears_amount"));
  g_assert_false (aq_lineage_graph_has_node (graph, "dw.fact_sms"));
  gtk_test_widget_wait_for_draw (window);

  /* the owner (the first “Data center”) edited in place, saved when the editing ends */
  {
    GtkWidget *steward = aq_test_find_widget (GTK_WIDGET (panel), match_label, "Data center");
    GtkEditableLabel *editable = NULL;

    for (GtkWidget *w = steward; w != NULL; w = gtk_widget_get_parent (w))
      if (GTK_IS_EDITABLE_LABEL (w))
        {
          editable = GTK_EDITABLE_LABEL (w);
          break;
        }
    g_assert_nonnull (editable);
    gtk_editable_label_start_editing (editable);
    gtk_editable_set_text (GTK_EDITABLE (editable), "Revenue department");
    gtk_editable_label_stop_editing (editable, TRUE);
    aq_test_wait_for (owner_saved, (gpointer) "Revenue department", 30, "the owner saved");
  }

  /* an indicator's page */
  aq_datasets_panel_open (panel, "indicator:arrears_amount");
  aq_test_wait_for (not_loading, panel, 30, "the indicator page");
  g_assert_nonnull (aq_test_find_widget (GTK_WIDGET (panel), match_label,
                                         "dm.customer_profile.arrears_amount"));

  /* a column's hit opens its table */
  aq_datasets_panel_open (panel, "dw.fact_bill.amount");
  aq_test_wait_for (not_loading, panel, 30, "the column's table");
  g_assert_cmpstr (aq_datasets_panel_get_table (panel)->key, ==, "dw.fact_bill");

  weak_panel = panel;
  g_object_add_weak_pointer (G_OBJECT (panel), &weak_panel);
  gtk_window_destroy (GTK_WINDOW (window));
  while (weak_panel != NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
run_screenshot (const char *language,
                const char *file)
{
  g_autofree char *arg = g_strconcat ("datasets=", file, NULL);
  const char *argv[] = { g_getenv ("AQUEDUCT"), "--screenshot", arg, NULL };
  const char *env[] = { "AQUEDUCT_DATABASE_URL", conninfo, "LANGUAGE", language,
                        "LC_ALL", "C.UTF-8", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int status = -1;

  out = aq_test_run_command (argv, env, &status, &err);
  if (status != 0)
    g_printerr ("%s", err);
  g_assert_cmpint (status, ==, 0);
  g_assert_null (strstr (err, "still loading"));
  texture = load_png (file);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 1280);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 800);
}

static void
test_screenshot (void)
{
  g_autofree char *dir = g_dir_make_tmp ("aq-shot-XXXXXX", NULL);
  g_autofree char *en = g_build_filename (dir, "datasets.png", NULL);
  g_autofree char *zh = g_build_filename (dir, "datasets-zh_CN.png", NULL);
  const char *keep = g_getenv ("AQ_TEST_SCREENSHOT_DIR");

  run_screenshot ("en", en);
  run_screenshot ("zh_CN", zh);
  if (keep != NULL)
    {
      g_autofree char *to_en = g_build_filename (keep, "datasets.png", NULL);
      g_autofree char *to_zh = g_build_filename (keep, "datasets-zh_CN.png", NULL);

      g_rename (en, to_en);
      g_rename (zh, to_zh);
    }
  g_unlink (en);
  g_unlink (zh);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  g_setenv ("LANGUAGE", "en", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  aq_ui_init ();
  db = aq_test_demo_db_new (DB_NAME, 300, 13);
  conninfo = aq_test_conninfo (DB_NAME);
  g_setenv ("AQUEDUCT_DATABASE_URL", conninfo, TRUE);

  g_test_add_func ("/datasets-panel/tree-search-table", test_tree_search_table);
  g_test_add_func ("/datasets-panel/screenshot", test_screenshot);

  result = g_test_run ();
  g_free (conninfo);
  g_clear_object (&db);
  return result;
}
