/* test-outage-panel.c — the real outage map on a small real demo warehouse
 *
 * Builds a 3000-account demo warehouse and the real window; on the outage panel, draws a
 * rectangle by emitting the map's click gesture at the widget coordinates of known lon/lat
 * corners, checks that undo takes the last corner back, closes the area with the Enter key's
 * action and compares the analysis shown with an independent PostGIS count. A bow-tie
 * drawing shows the warehouse's self-intersection message and no count; Repair gives one.
 */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "aq-test-ui.h"
#include "aq-test-util.h"

#include "aq-area-outage-dialog.h"
#include "aq-geojson.h"
#include "aq-map-source.h"
#include "aq-notice-dialog.h"
#include "aq-outage-panel.h"
#include "aq-panel.h"
#include "aq-ui.h"
#include "aq-window.h"

#define DB_NAME "t_outage_panel"

static AqDb *db;

static gboolean
map_sized (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) > 100;
}

/* A click on the map as the user makes it: press and release of the map's own click gesture
 * at the widget coordinates of @lon, @lat. */
static void
click_at (AqOutagePanel *panel,
          double         lon,
          double         lat)
{
  ShumateMap *map = aq_outage_panel_get_map (panel);
  GtkGesture *click = aq_area_editor_get_click_gesture (aq_outage_panel_get_editor (panel));
  double x, y;

  shumate_viewport_location_to_widget_coords (shumate_map_get_viewport (map), GTK_WIDGET (map),
                                              lat, lon, &x, &y);
  g_assert_cmpfloat (x, >, 0);
  g_assert_cmpfloat (y, >, 0);
  g_assert_cmpfloat (x, <, gtk_widget_get_width (GTK_WIDGET (map)));
  g_assert_cmpfloat (y, <, gtk_widget_get_height (GTK_WIDGET (map)));
  g_signal_emit_by_name (click, "pressed", 1, x, y);
  g_signal_emit_by_name (click, "released", 1, x, y);
}

static void
go_to (AqOutagePanel *panel,
       double         lon,
       double         lat,
       double         zoom)
{
  ShumateViewport *viewport = shumate_map_get_viewport (aq_outage_panel_get_map (panel));

  shumate_viewport_set_zoom_level (viewport, zoom);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), lat, lon);
}

static AqOutagePanel *
open_panel (AqConnectionMonitor *monitor,
            AqWindow           **out_window)
{
  AqWindow *window = aq_window_new (NULL, monitor);
  AqOutagePanel *panel;

  aq_connection_monitor_set_conninfo (monitor, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 900);
  gtk_window_present (GTK_WINDOW (window));
  aq_window_show_panel (window, "outage");
  panel = AQ_OUTAGE_PANEL (aq_window_get_panel (window, "outage"));
  aq_test_wait_for (map_sized, aq_outage_panel_get_map (panel), 20, "the map to be allocated");
  /* the map opens on the warehouse's city */
  aq_test_wait_for (aq_test_panel_loaded, panel, 60, "the map to open on the city");
  {
    ShumateViewport *viewport = shumate_map_get_viewport (aq_outage_panel_get_map (panel));
    g_autofree char *center = aq_test_query_string (
      db, "SELECT ST_X(c) || ' ' || ST_Y(c) FROM (SELECT ST_Centroid(ST_Extent(geom)::geometry)"
          " AS c FROM dw.dim_district) s");
    double lon, lat;

    g_assert_cmpint (sscanf (center, "%lf %lf", &lon, &lat), ==, 2);
    g_assert_cmpfloat_with_epsilon (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                                    lon, 1e-6);
    g_assert_cmpfloat_with_epsilon (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                                    lat, 1e-6);
  }
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  *out_window = window;
  return panel;
}

/* ---- tests ---- */

static void
test_draw_and_count (void)
{
  g_autoptr(AqConnectionMonitor) monitor = aq_connection_monitor_new ();
  g_autofree char *center = NULL;
  g_autofree char *expected_sql = NULL;
  AqAreaModel *model;
  const AqOutageArea *analysis;
  AqOutagePanel *panel;
  AqWindow *window;
  GtkWidget *total;
  double lon, lat, d = 0.004;
  gint64 expected, expected_key;
  const double corners[4][2] = { { -1, -1 }, { 1, -1 }, { 1, 1 }, { -1, 1 } };

  /* a square round the community with the most accounts: it holds that one, parts of its
   * neighbours and scattered premises */
  center = aq_test_query_string (db, "SELECT ST_X(p) || ' ' || ST_Y(p) FROM"
                                     " (SELECT ST_PointOnSurface(c.geom) AS p"
                                     "  FROM dw.dim_community c JOIN dw.dim_account a"
                                     "  USING (community_code) GROUP BY c.community_code, c.geom"
                                     "  ORDER BY count(*) DESC, c.community_code LIMIT 1) s");
  g_assert_cmpint (sscanf (center, "%lf %lf", &lon, &lat), ==, 2);

  panel = open_panel (monitor, &window);
  go_to (panel, lon, lat, 15);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_cmpstr (aq_outage_panel_get_page (panel), ==, "empty");

  /* Ctrl+D's action: draw mode */
  gtk_widget_activate_action (GTK_WIDGET (panel), "area.draw", NULL);
  g_assert_cmpint (aq_area_editor_get_mode (aq_outage_panel_get_editor (panel)), ==,
                   AQ_AREA_EDITOR_DRAW);
  model = aq_outage_panel_get_model (panel);

  for (guint i = 0; i < 4; i++)
    click_at (panel, lon + corners[i][0] * d, lat + corners[i][1] * d);
  g_assert_cmpuint (aq_area_model_get_n_vertices (model), ==, 4);
  {
    double vlon, vlat;

    /* the click landed where the map says that place is, to well under a pixel */
    aq_area_model_get_vertex (model, 2, &vlon, &vlat);
    g_assert_cmpfloat_with_epsilon (vlon, lon + d, 1e-5);
    g_assert_cmpfloat_with_epsilon (vlat, lat + d, 1e-5);
  }

  /* a stray fifth corner, taken back by undo (Ctrl+Z); redo and Backspace agree */
  click_at (panel, lon, lat + 2 * d);
  g_assert_cmpuint (aq_area_model_get_n_vertices (model), ==, 5);
  gtk_widget_activate_action (GTK_WIDGET (panel), "area.undo", NULL);
  g_assert_cmpuint (aq_area_model_get_n_vertices (model), ==, 4);
  gtk_widget_activate_action (GTK_WIDGET (panel), "area.redo", NULL);
  g_assert_cmpuint (aq_area_model_get_n_vertices (model), ==, 5);
  gtk_widget_activate_action (GTK_WIDGET (panel), "area.remove-last", NULL);
  g_assert_cmpuint (aq_area_model_get_n_vertices (model), ==, 4);
  g_assert_false (aq_area_model_get_closed (model));

  /* Enter closes; the analysis runs */
  gtk_widget_activate_action (GTK_WIDGET (panel), "area.close", NULL);
  g_assert_true (aq_area_model_get_closed (model));
  g_assert_true (aq_panel_get_loading (AQ_PANEL (panel)));
  aq_test_wait_for (aq_test_panel_loaded, panel, 60, "the analysis");
  g_assert_cmpstr (aq_outage_panel_get_page (panel), ==, "result");
  analysis = aq_outage_panel_get_analysis (panel);
  g_assert_nonnull (analysis);

  /* the same square, counted independently: open accounts on standing premises in it */
  expected_sql = g_strdup_printf (
    "SELECT count(*) FROM dw.dim_account a JOIN dw.dim_premise p USING (premise_id)"
    " WHERE a.status <> 'closed' AND NOT p.demolished"
    "   AND ST_Covers(ST_MakeEnvelope(%.9f, %.9f, %.9f, %.9f, 4326), p.geom)",
    lon - d, lat - d, lon + d, lat + d);
  for (char *c = expected_sql; *c; c++)
    if (*c == ',' && c[1] >= '0' && c[1] <= '9')
      *c = '.';  /* a locale with a decimal comma */
  expected = aq_test_query_int64 (db, expected_sql);
  g_assert_cmpint (expected, >, 100);
  g_assert_cmpint (analysis->accounts, ==, expected);
  g_assert_cmpint (analysis->key_accounts + analysis->community_accounts
                   + analysis->scattered_accounts, ==, expected);
  {
    g_autofree char *key_sql = g_strdup_printf (
      "SELECT count(*) FROM dw.dim_key_customer k JOIN dw.dim_account a USING (account_id)"
      " JOIN dw.dim_premise p USING (premise_id)"
      " WHERE a.status <> 'closed' AND NOT p.demolished"
      "   AND ST_Covers(ST_MakeEnvelope(%.9f, %.9f, %.9f, %.9f, 4326), p.geom)",
      lon - d, lat - d, lon + d, lat + d);

    expected_key = aq_test_query_int64 (db, key_sql);
    g_assert_cmpuint (analysis->key_customers->len, ==, expected_key);
  }

  /* the overlay shows the communities around (fetched for the viewport) */
  g_assert_cmpuint (aq_overlay_layer_get_n_features (aq_outage_panel_get_overlay (panel),
                                                     AQ_OVERLAY_COMMUNITY), >, 0);
  g_assert_cmpuint (aq_overlay_layer_get_n_features (aq_outage_panel_get_overlay (panel),
                                                     AQ_OVERLAY_VALVE), ==, 0);

  /* and the pane says so */
  total = aq_test_find_widget (GTK_WIDGET (panel), aq_test_match_name, "total");
  g_assert_nonnull (total);
  {
    g_autofree char *digits = g_strdup (gtk_label_get_label (GTK_LABEL (total)));
    g_autofree char *want = g_strdup_printf ("%" G_GINT64_FORMAT, expected);
    GString *only = g_string_new (NULL);

    for (char *c = digits; *c; c++)
      if (g_ascii_isdigit (*c))
        g_string_append_c (only, *c);
    g_assert_cmpstr (only->str, ==, want);
    g_string_free (only, TRUE);
  }
  g_assert_true (gtk_widget_get_mapped (total));

  /* Export Area, Export List…, then Escape and Import Area of what was exported: the same
   * count again */
  {
    g_autofree char *dir = g_dir_make_tmp ("aq-outage-panel-XXXXXX", NULL);
    g_autofree char *area_path = g_build_filename (dir, "area.geojson", NULL);
    g_autofree char *csv_path = g_build_filename (dir, "accounts.csv", NULL);
    g_autoptr(GFile) area_file = g_file_new_for_path (area_path);
    g_autoptr(GFile) csv_file = g_file_new_for_path (csv_path);
    g_autofree char *csv = NULL;
    g_autofree char *geojson = NULL;
    g_auto(GStrv) lines = NULL;
    guint n_lines = 0;

    aq_outage_panel_export_area (panel, area_file);
    aq_outage_panel_export_list (panel, csv_file);
    g_assert_true (aq_panel_get_loading (AQ_PANEL (panel)));
    aq_test_wait_for (aq_test_panel_loaded, panel, 60, "the exports");
    g_assert_true (g_file_get_contents (area_path, &geojson, NULL, NULL));
    g_assert_nonnull (strstr (geojson, "\"Feature\""));
    g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
    lines = g_strsplit (csv, "\n", -1);
    for (guint i = 0; lines[i]; i++)
      if (*g_strstrip (lines[i]) != '\0')
        n_lines++;
    /* a header, then one row per affected account */
    g_assert_cmpuint (n_lines, ==, expected + 1);

    gtk_widget_activate_action (GTK_WIDGET (panel), "area.cancel", NULL);
    g_assert_cmpstr (aq_outage_panel_get_page (panel), ==, "empty");
    aq_outage_panel_import (panel, area_file);
    aq_test_wait_for (aq_test_panel_loaded, panel, 60, "the imported area's analysis");
    g_assert_cmpstr (aq_outage_panel_get_page (panel), ==, "result");
    g_assert_cmpint (aq_outage_panel_get_analysis (panel)->accounts, ==, expected);
    g_assert_true (aq_area_model_get_closed (model));
    g_assert_cmpuint (aq_area_model_get_n_vertices (model), ==, 4);

    g_unlink (area_path);
    g_unlink (csv_path);
    g_rmdir (dir);
  }

  /* moving the map afterwards does not touch the area (a pan is not a click) */
  {
    GtkGesture *click = aq_area_editor_get_click_gesture (aq_outage_panel_get_editor (panel));

    g_signal_emit_by_name (click, "pressed", 1, 300.0, 300.0);
    g_signal_emit_by_name (click, "released", 1, 380.0, 340.0);
    g_assert_cmpuint (aq_area_model_get_n_vertices (model), ==, 4);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_self_intersecting (void)
{
  g_autoptr(AqConnectionMonitor) monitor = aq_connection_monitor_new ();
  g_autofree char *center = NULL;
  const AqOutageArea *analysis;
  const GError *error;
  AqOutagePanel *panel;
  AqWindow *window;
  double lon, lat, d = 0.003;

  center = aq_test_query_string (db, "SELECT avg(ST_X(geom)) || ' ' || avg(ST_Y(geom))"
                                     " FROM dw.dim_premise");
  g_assert_cmpint (sscanf (center, "%lf %lf", &lon, &lat), ==, 2);
  panel = open_panel (monitor, &window);
  go_to (panel, lon, lat, 15);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gtk_widget_activate_action (GTK_WIDGET (panel), "area.draw", NULL);

  /* a bow-tie: the second and fourth corners swapped */
  click_at (panel, lon - d, lat - d);
  click_at (panel, lon + d, lat + d);
  click_at (panel, lon + d, lat - d);
  click_at (panel, lon - d, lat + d);
  /* closed by a double click this time (its first click added the last corner) */
  {
    GtkGesture *click = aq_area_editor_get_click_gesture (aq_outage_panel_get_editor (panel));
    ShumateMap *map = aq_outage_panel_get_map (panel);
    double x, y;

    shumate_viewport_location_to_widget_coords (shumate_map_get_viewport (map),
                                                GTK_WIDGET (map), lat + d, lon - d, &x, &y);
    g_signal_emit_by_name (click, "pressed", 2, x, y);
    g_signal_emit_by_name (click, "released", 2, x, y);
  }
  g_assert_cmpuint (aq_area_model_get_n_vertices (aq_outage_panel_get_model (panel)), ==, 4);
  g_assert_true (aq_area_model_get_closed (aq_outage_panel_get_model (panel)));
  aq_test_wait_for (aq_test_panel_loaded, panel, 60, "the check of the area");

  g_assert_cmpstr (aq_outage_panel_get_page (panel), ==, "error");
  g_assert_null (aq_outage_panel_get_analysis (panel));
  error = aq_outage_panel_get_error (panel);
  g_assert_error ((GError *) error, AQ_GEOJSON_ERROR, AQ_GEOJSON_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "119."));
  /* no count anywhere on screen */
  g_assert_false (gtk_widget_get_mapped (aq_test_find_widget (GTK_WIDGET (panel),
                                                              aq_test_match_name, "total")));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (panel)));

  /* Repair: two triangles, counted */
  gtk_widget_activate_action (GTK_WIDGET (panel), "area.repair", NULL);
  aq_test_wait_for (aq_test_panel_loaded, panel, 60, "the repaired area's analysis");
  g_assert_cmpstr (aq_outage_panel_get_page (panel), ==, "result");
  analysis = aq_outage_panel_get_analysis (panel);
  g_assert_nonnull (analysis);
  g_assert_cmpint (analysis->accounts, >=, 0);

  /* a tile URL without its placeholders is refused: the basemap stays the warehouse's */
  {
    g_autoptr(GSettings) settings = g_settings_new ("org.aqueduct.Aqueduct");
    ShumateViewport *viewport = shumate_map_get_viewport (aq_outage_panel_get_map (panel));

    g_assert_cmpstr (shumate_map_source_get_id (
                       shumate_viewport_get_reference_map_source (viewport)), ==,
                     "aqueduct-warehouse");
    g_settings_set_string (settings, "map-tile-url", "https://tiles.invalid/map.png");
    g_assert_cmpstr (shumate_map_source_get_id (
                       shumate_viewport_get_reference_map_source (viewport)), ==,
                     "aqueduct-warehouse");
    g_settings_reset (settings, "map-tile-url");
  }

  /* Escape clears the drawing and the pane */
  gtk_widget_activate_action (GTK_WIDGET (panel), "area.cancel", NULL);
  g_assert_cmpuint (aq_area_model_get_n_vertices (aq_outage_panel_get_model (panel)), ==, 0);
  g_assert_cmpstr (aq_outage_panel_get_page (panel), ==, "empty");

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
overlay_has_planned_outage (gpointer data)
{
  AqOverlayLayer *overlay = data;

  return !aq_overlay_layer_get_loading (overlay)
         && aq_overlay_layer_get_n_features (overlay, AQ_OVERLAY_OUTAGE_PLANNED) > 0;
}

static gboolean
notice_dialog_open (gpointer data)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l; l = l->next)
    if (AQ_IS_NOTICE_DIALOG (l->data))
      return TRUE;
  return FALSE;
}

static AqAreaOutageDialog *
find_outage_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l; l = l->next)
    if (AQ_IS_AREA_OUTAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

/* ---- cancelling a current outage ---- */

static gboolean
preview_ready (gpointer data)
{
  return aq_outage_panel_get_cancel_preview (data) != NULL && aq_test_panel_loaded (data);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
message_dialog_open (gpointer data)
{
  return find_message_dialog () != NULL;
}

static gboolean
match_action (GtkWidget     *widget,
              gconstpointer  data)
{
  return GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

/* Whether the window offers @action: a button for it that is shown and sensitive. */
static gboolean
offers (GtkWidget  *root,
        const char *action)
{
  GtkWidget *button = aq_test_find_widget (root, match_action, action);

  return button != NULL && gtk_widget_is_visible (button) && gtk_widget_is_sensitive (button);
}

static gboolean
match_label_containing (GtkWidget     *widget,
                        gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
         && strstr (gtk_label_get_label (GTK_LABEL (widget)), data) != NULL;
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} TextWait;

static gboolean
text_shown (gpointer data)
{
  TextWait *wait = data;

  return aq_test_find_widget (wait->root, match_label_containing, wait->text) != NULL;
}

static gint64
insert_outage (const char *reason)
{
  g_autofree char *sql = g_strdup_printf (
    "INSERT INTO notify.outage (kind, reason, start_time, expected_end, geom)"
    " SELECT 'planned', '%s', now() + interval '1 day', now() + interval '1 day 4 hours',"
    "        ST_Multi(ST_Buffer(ST_Centroid(ST_Extent(geom)::geometry), 0.002))"
    "   FROM dw.dim_district RETURNING outage_id", reason);

  return aq_test_query_int64 (db, sql);
}

/* A planned outage with a queued notice (3 messages waiting, 2 already gone): selecting it
 * shows what cancelling would do; Cancel Outage… asks with both figures, and on yes the
 * warehouse cancels it and withdraws the 3; the list no longer has it. An agent's login may
 * not cancel (the warehouse's grant). The notice window then says the notice is cancelled and
 * offers nothing that sends; for a cancelled outage without a notice, Submit is off. */
static void
test_cancel_outage (void)
{
  g_autoptr(AqConnectionMonitor) monitor = aq_connection_monitor_new ();
  g_autofree char *agent_info = aq_test_login_conninfo (DB_NAME, "outage_agent", "agent");
  g_autoptr(AqDb) agent = NULL;
  g_autoptr(AqOutageCancelPreview) agent_preview = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *campaign_text = NULL;
  const AqOutageCancelPreview *preview;
  AdwMessageDialog *confirm;
  AqNoticeDialog *notice;
  AqOutagePanel *panel;
  AqWindow *window;
  gint64 outage, bare, campaign, withdrawn = -1, sent = -1;
  guint before;
  TextWait wait;

  outage = insert_outage ("test: cancel me");
  bare = insert_outage ("test: cancelled without a notice");
  sql = g_strdup_printf ("INSERT INTO notify.campaign (outage_id, kind, template, status)"
                         " VALUES (%" G_GINT64_FORMAT ", 'outage', 't', 'queued')"
                         " RETURNING campaign_id", outage);
  campaign = aq_test_query_int64 (db, sql);
  g_free (sql);
  sql = g_strdup_printf ("INSERT INTO notify.message (campaign_id, channel, recipient, body,"
                         "  idempotency_key, status, sent_at)"
                         " SELECT %" G_GINT64_FORMAT ", 'sms', '1390000000' || g, 'b',"
                         "        'cancel-test-' || g,"
                         "        CASE WHEN g <= 3 THEN 'queued' ELSE 'sent' END,"
                         "        CASE WHEN g > 3 THEN now() END"
                         "   FROM generate_series(1, 5) g", campaign);
  aq_db_exec (db, sql, &error);
  g_assert_no_error (error);

  /* an agent's login may see the outage but not cancel it */
  agent = aq_db_connect (agent_info, &error);
  g_assert_no_error (error);
  agent_preview = aq_outage_cancel_preview (agent, outage, &error);
  g_assert_no_error (error);
  g_assert_false (agent_preview->allowed);
  g_assert_cmpstr (agent_preview->status, ==, "planned");

  panel = open_panel (monitor, &window);
  before = aq_outage_panel_get_n_current (panel);
  g_assert_cmpuint (before, >=, 2);
  g_assert_true (aq_outage_panel_select_outage (panel, outage));
  aq_test_wait_for (preview_ready, panel, 60, "what cancelling the outage would do");
  preview = aq_outage_panel_get_cancel_preview (panel);
  g_assert_cmpint (preview->outage_id, ==, outage);
  g_assert_true (preview->allowed);
  g_assert_cmpint (preview->to_withdraw, ==, 3);
  g_assert_cmpint (preview->sent, ==, 2);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_true (offers (GTK_WIDGET (panel), "outage.cancel"));
  g_assert_true (offers (GTK_WIDGET (panel), "outage.notice"));

  /* asks with both figures; "keep" changes nothing */
  gtk_widget_activate_action (GTK_WIDGET (panel), "outage.cancel", NULL);
  aq_test_wait_for (message_dialog_open, NULL, 10, "the confirmation");
  confirm = find_message_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (confirm), "3 queued notice messages"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (confirm), "2 have already been sent"));
  adw_message_dialog_response (confirm, "keep");
  gtk_window_destroy (GTK_WINDOW (confirm));
  sql = g_strdup_printf ("SELECT status FROM notify.outage WHERE outage_id = %" G_GINT64_FORMAT,
                         outage);
  campaign_text = aq_test_query_string (db, sql);
  g_assert_cmpstr (campaign_text, ==, "planned");
  g_clear_pointer (&campaign_text, g_free);

  gtk_widget_activate_action (GTK_WIDGET (panel), "outage.cancel", NULL);
  aq_test_wait_for (message_dialog_open, NULL, 10, "the confirmation");
  confirm = find_message_dialog ();
  adw_message_dialog_response (confirm, "cancel-outage");
  gtk_window_destroy (GTK_WINDOW (confirm));
  aq_test_wait_for (aq_test_panel_loaded, panel, 60, "the cancellation");
  campaign_text = aq_test_query_string (db, sql);
  g_assert_cmpstr (campaign_text, ==, "cancelled");
  g_clear_pointer (&campaign_text, g_free);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FILTER (WHERE status = 'cancelled') || ' '"
                         "    || count(*) FILTER (WHERE status = 'sent')"
                         " FROM notify.message WHERE campaign_id = %" G_GINT64_FORMAT, campaign);
  campaign_text = aq_test_query_string (db, sql);
  g_assert_cmpstr (campaign_text, ==, "3 2");
  aq_outage_panel_get_last_cancel (panel, &withdrawn, &sent);
  g_assert_cmpint (withdrawn, ==, 3);
  g_assert_cmpint (sent, ==, 2);
  g_assert_cmpuint (aq_outage_panel_get_n_current (panel), ==, before - 1);
  g_assert_false (aq_outage_panel_select_outage (panel, outage));
  g_assert_false (offers (GTK_WIDGET (panel), "outage.cancel"));

  /* the notice window of the cancelled campaign: says so, nothing to send */
  notice = aq_notice_dialog_new (GTK_WINDOW (window), NULL, outage, NULL);
  gtk_window_present (GTK_WINDOW (notice));
  g_clear_pointer (&campaign_text, g_free);
  campaign_text = g_strdup_printf ("Notice %d: cancelled", (int) campaign);
  wait.root = GTK_WIDGET (notice);
  wait.text = campaign_text;
  aq_test_wait_for (text_shown, &wait, 60, "the cancelled notice");
  wait.text = "Cancelled: 3 messages withdrawn.";
  g_assert_true (text_shown (&wait));
  g_assert_false (offers (GTK_WIDGET (notice), "notice.send"));
  g_assert_false (offers (GTK_WIDGET (notice), "notice.retry"));
  g_assert_false (offers (GTK_WIDGET (notice), "notice.restored"));
  g_assert_false (offers (GTK_WIDGET (notice), "notice.cancel"));
  g_assert_false (offers (GTK_WIDGET (notice), "notice.approve"));
  gtk_window_destroy (GTK_WINDOW (notice));

  /* a cancelled outage without a notice: the window says so and Submit stays off */
  g_free (sql);
  sql = g_strdup_printf ("UPDATE notify.outage SET status = 'cancelled'"
                         " WHERE outage_id = %" G_GINT64_FORMAT, bare);
  aq_db_exec (db, sql, &error);
  g_assert_no_error (error);
  notice = aq_notice_dialog_new (GTK_WINDOW (window), NULL, bare, NULL);
  gtk_window_present (GTK_WINDOW (notice));
  wait.root = GTK_WIDGET (notice);
  wait.text = "This outage is cancelled";
  aq_test_wait_for (text_shown, &wait, 60, "the cancelled outage");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (notice));
  g_assert_false (offers (GTK_WIDGET (notice), "notice.send"));
  gtk_window_destroy (GTK_WINDOW (notice));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Select mode: a click inside a community makes its boundary the area; a drag on a corner
 * moves it as one undo step; the outage is created with exactly the accounts counted and the
 * notice window opens. */
static void
test_select_drag_create (void)
{
  g_autoptr(AqConnectionMonitor) monitor = aq_connection_monitor_new ();
  g_autofree char *code = NULL;
  g_autofree char *point = NULL;
  g_autofree char *sql = NULL;
  const AqOutageArea *analysis;
  AqAreaEditor *editor;
  AqAreaModel *model;
  AqOutagePanel *panel;
  AqWindow *window;
  AqAreaOutageDialog *dialog;
  GtkWidget *reason = NULL;
  double lon, lat, before_lon, before_lat, after_lon, after_lat, x, y;
  gint64 expected, outages_before, accounts;

  code = aq_test_query_string (db, "SELECT c.community_code FROM dw.dim_community c"
                                   " JOIN dw.dim_account a USING (community_code)"
                                   " GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1");
  sql = g_strdup_printf ("SELECT ST_X(p) || ' ' || ST_Y(p) FROM (SELECT ST_PointOnSurface(geom)"
                         " AS p FROM dw.dim_community WHERE community_code = '%s') s", code);
  point = aq_test_query_string (db, sql);
  g_assert_cmpint (sscanf (point, "%lf %lf", &lon, &lat), ==, 2);
  g_free (sql);
  /* what the community's polygon covers, counted independently */
  sql = g_strdup_printf ("SELECT count(*) FROM dw.dim_account a"
                         " JOIN dw.dim_premise p USING (premise_id)"
                         " JOIN dw.dim_community c ON ST_Covers(c.geom, p.geom)"
                         " WHERE c.community_code = '%s' AND a.status <> 'closed'"
                         "   AND NOT p.demolished", code);
  expected = aq_test_query_int64 (db, sql);
  g_assert_cmpint (expected, >, 0);

  panel = open_panel (monitor, &window);
  go_to (panel, lon, lat, 16);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  editor = aq_outage_panel_get_editor (panel);
  model = aq_outage_panel_get_model (panel);
  aq_area_editor_set_mode (editor, AQ_AREA_EDITOR_SELECT);
  click_at (panel, lon, lat);
  g_assert_true (aq_panel_get_loading (AQ_PANEL (panel)));
  aq_test_wait_for (aq_test_panel_loaded, panel, 60, "the community to be picked and analysed");
  g_assert_cmpstr (aq_outage_panel_get_page (panel), ==, "result");
  g_assert_true (aq_area_model_get_closed (model));
  g_assert_cmpuint (aq_area_model_get_n_vertices (model), >=, 3);
  analysis = aq_outage_panel_get_analysis (panel);
  g_assert_cmpint (analysis->accounts, ==, expected);
  g_assert_cmpuint (analysis->communities->len, >=, 1);

  /* draw mode: drag the first corner 40 px right; one undo puts it back */
  aq_area_editor_set_mode (editor, AQ_AREA_EDITOR_DRAW);
  aq_area_model_get_vertex (model, 0, &before_lon, &before_lat);
  shumate_viewport_location_to_widget_coords (
    shumate_map_get_viewport (aq_outage_panel_get_map (panel)),
    GTK_WIDGET (aq_outage_panel_get_map (panel)), before_lat, before_lon, &x, &y);
  g_signal_emit_by_name (aq_area_editor_get_drag_gesture (editor), "drag-begin", x, y);
  g_signal_emit_by_name (aq_area_editor_get_drag_gesture (editor), "drag-update", 20.0, 0.0);
  g_signal_emit_by_name (aq_area_editor_get_drag_gesture (editor), "drag-update", 40.0, 0.0);
  g_signal_emit_by_name (aq_area_editor_get_drag_gesture (editor), "drag-end", 40.0, 0.0);
  aq_area_model_get_vertex (model, 0, &after_lon, &after_lat);
  g_assert_cmpfloat (after_lon, >, before_lon);
  g_assert_cmpfloat_with_epsilon (after_lat, before_lat, 1e-7);
  aq_test_wait_for (aq_test_panel_loaded, panel, 60, "the moved area's analysis");
  gtk_widget_activate_action (GTK_WIDGET (panel), "area.undo", NULL);
  aq_area_model_get_vertex (model, 0, &after_lon, &after_lat);
  g_assert_cmpfloat (after_lon, ==, before_lon);
  aq_test_wait_for (aq_test_panel_loaded, panel, 60, "the restored area's analysis");
  analysis = aq_outage_panel_get_analysis (panel);
  g_assert_nonnull (analysis);
  /* the drawn ring is the community's outer ring: the same accounts */
  g_assert_cmpint (analysis->accounts, ==, expected);

  /* Create Outage…: fill the dialog as a dispatcher would and press Create */
  outages_before = aq_test_query_int64 (db, "SELECT count(*) FROM notify.outage");
  gtk_widget_activate_action (GTK_WIDGET (panel), "area.create-outage", NULL);
  dialog = find_outage_dialog ();
  g_assert_nonnull (dialog);
  reason = aq_test_find_widget (GTK_WIDGET (dialog), aq_test_match_name, "reason");
  g_assert_nonnull (reason);
  gtk_editable_set_text (GTK_EDITABLE (reason), "test: replacing a valve");
  g_signal_emit_by_name (dialog, "response", "create");
  gtk_window_destroy (GTK_WINDOW (dialog));
  aq_test_wait_for (notice_dialog_open, NULL, 60, "the notice window");
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.outage"), ==,
                   outages_before + 1);
  accounts = aq_test_query_int64 (db, "SELECT count(*) FROM notify.outage_account"
                                      " WHERE outage_id = (SELECT max(outage_id)"
                                      "  FROM notify.outage"
                                      "  WHERE reason = 'test: replacing a valve')");
  g_assert_cmpint (accounts, ==, expected);
  /* the new (planned: it starts tomorrow) outage is on the map */
  aq_test_wait_for (overlay_has_planned_outage, aq_outage_panel_get_overlay (panel), 30,
                    "the new outage on the map");

  {
    g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

    for (GList *l = toplevels; l; l = l->next)
      if (AQ_IS_NOTICE_DIALOG (l->data))
        gtk_window_destroy (l->data);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  GBytes *received;
  GBytes *finished;
  int     x, y, zoom;
} TileWait;

static void
received_cb (ShumateDataSource *source,
             int                x,
             int                y,
             int                zoom,
             GBytes            *bytes,
             TileWait          *wait)
{
  wait->x = x;
  wait->y = y;
  wait->zoom = zoom;
  wait->received = g_bytes_ref (bytes);
}

static void
tile_data_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  TileWait *wait = user_data;
  g_autoptr(GError) error = NULL;

  wait->finished = shumate_data_source_get_tile_data_finish (SHUMATE_DATA_SOURCE (object),
                                                             result, &error);
  g_assert_no_error (error);
}

static gboolean
tile_finished (gpointer data)
{
  return ((TileWait *) data)->finished != NULL;
}

/* libshumate 1.0's raster renderer draws what "received-data" delivers, not what _finish
 * returns: the basemap's source must emit it, with the tile's own coordinates. */
static void
test_map_source (void)
{
  g_autoptr(AqTileRenderer) renderer = aq_tile_renderer_new (NULL, NULL);
  g_autoptr(AqMapSource) source = aq_map_source_new (renderer);
  TileWait wait = { 0 };
  double tx, ty;

  aq_tile_lon_lat_to_tile (119.30, 26.08, 14, &tx, &ty);
  g_signal_connect (source, "received-data", G_CALLBACK (received_cb), &wait);
  shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (source), (int) tx, (int) ty, 14,
                                           NULL, tile_data_cb, &wait);
  g_assert_false (aq_map_source_get_idle (source));
  aq_test_wait_for (tile_finished, &wait, 30, "the tile");
  g_assert_nonnull (wait.received);
  g_assert_cmpint (wait.x, ==, (int) tx);
  g_assert_cmpint (wait.y, ==, (int) ty);
  g_assert_cmpint (wait.zoom, ==, 14);
  g_assert_true (g_bytes_equal (wait.received, wait.finished));
  g_assert_cmpmem (g_bytes_get_data (wait.received, NULL), 4, "\x89PNG", 4);
  g_bytes_unref (wait.received);
  g_bytes_unref (wait.finished);
}

/* The drawing logic without widgets. */
static void
test_model (void)
{
  g_autoptr(AqAreaModel) model = aq_area_model_new ();
  g_autofree char *geojson = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (aq_area_model_close (model));
  aq_area_model_add_vertex (model, 119.30, 26.08);
  aq_area_model_add_vertex (model, 119.31, 26.08);
  g_assert_false (aq_area_model_close (model));
  g_assert_null (aq_area_model_to_geojson (model));
  aq_area_model_add_vertex (model, 119.31, 26.09);
  g_assert_true (aq_area_model_close (model));
  g_assert_false (aq_area_model_add_vertex (model, 119.0, 26.0));
  aq_area_model_begin_move (model);
  aq_area_model_move_vertex (model, 1, 119.32, 26.07);
  aq_area_model_move_vertex (model, 1, 119.33, 26.06);
  /* one undo takes back the whole drag */
  g_assert_true (aq_area_model_undo (model));
  {
    double lon, lat;

    aq_area_model_get_vertex (model, 1, &lon, &lat);
    g_assert_cmpfloat (lon, ==, 119.31);
    g_assert_cmpfloat (lat, ==, 26.08);
  }
  geojson = aq_area_model_to_geojson (model);
  g_assert_nonnull (strstr (geojson, "\"Polygon\""));
  aq_area_model_clear (model);
  g_assert_cmpuint (aq_area_model_get_n_vertices (model), ==, 0);
  g_assert_true (aq_area_model_set_geojson (model, geojson, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (aq_area_model_get_n_vertices (model), ==, 3);
  g_assert_true (aq_area_model_get_closed (model));
  g_assert_false (aq_area_model_set_geojson (model, "{\"type\":\"Point\"}", &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_assert_finalize_object (g_steal_pointer (&model));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *conninfo = NULL;
  int ret;

  /* Before any thread: the panel's workers read it when they connect. */
  conninfo = aq_test_conninfo (DB_NAME);
  g_setenv ("AQUEDUCT_DATABASE_URL", conninfo, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  aq_ui_init ();

  db = aq_test_demo_db_new (DB_NAME, 3000, 13);

  g_test_add_func ("/outage-panel/model", test_model);
  g_test_add_func ("/outage-panel/map-source", test_map_source);
  g_test_add_func ("/outage-panel/draw-and-count", test_draw_and_count);
  g_test_add_func ("/outage-panel/self-intersecting", test_self_intersecting);
  g_test_add_func ("/outage-panel/select-drag-create", test_select_drag_create);
  g_test_add_func ("/outage-panel/cancel-outage", test_cancel_outage);
  ret = g_test_run ();
  g_clear_object (&db);
  return ret;
}
