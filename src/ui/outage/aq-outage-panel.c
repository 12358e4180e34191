/* aq-outage-panel.c — the outage map: draw the shutoff area, see what it affects, create the
 * outage and send its notice
 *
 * The map (offline basemap, overlay, the area editor) on the left; on the right the analysis
 * of the area, recomputed on a worker thread whenever the closed area changes, a newer change
 * cancelling the older. A geometry the warehouse finds invalid shows its precise message and
 * a Repair button, never a count. Every warehouse call runs in a thread on its own connection
 * through core (aq-outage-area, aq-geojson, aq-outage); the notice is outage-core's dialog.
 */
#define G_LOG_DOMAIN "aq-outage-panel"

#include "config.h"

#include "aq-outage-panel.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "aq-area-editor.h"
#include "aq-area-outage-dialog.h"
#include "aq-area-summary.h"
#include "aq-geojson.h"
#include "aq-map-job.h"
#include "aq-map-source.h"
#include "aq-notice-dialog.h"
#include "aq-outage-area.h"
#include "aq-outage.h"
#include "aq-overlay-layer.h"
#include "aq-panel.h"
#include "aq-valves-tool.h"
#include "aq-window.h"

#define ANALYZE_DELAY_MS 150
/* Where the map looks until the warehouse has said where its city is (the demo city). */
#define CITY_LAT 26.08
#define CITY_LON 119.30

struct _AqOutagePanel
{
  GtkWidget          parent_instance;

  GtkToggleButton   *draw_button;
  GtkToggleButton   *select_button;
  GtkDropDown       *select_kind;
  GtkLabel          *hint_label;
  GtkBox            *layers_box;
  AdwToastOverlay   *toast_overlay;
  ShumateSimpleMap  *simple_map;
  GtkSpinner        *spinner;
  AqAreaSummary     *summary;

  AqAreaModel       *model;
  AqAreaEditor      *editor;
  AqOverlayLayer    *overlay;
  AqValvesTool      *valves;        /* the Valves tool (aq-valves-tool.c) */
  AqMapSource       *source;        /* (nullable): the offline basemap */
  GSettings         *settings;
  guint              settle_id;     /* the map moved a moment ago: tiles are on their way */

  AqGeometry        *geometry;      /* (nullable): the area analysed */
  gboolean           setting_ring;  /* the model is being set from a picked geometry */
  AqOutageArea      *analysis;
  GError            *error;         /* (nullable): why there is no analysis */
  GCancellable      *cancellable;   /* the analysis */
  GCancellable      *job_cancellable;
  guint              analyze_id;
  gboolean           loading;
  guint              files;         /* imports and exports under way */
  gboolean           map_ready;
};

static void aq_panel_iface_init (AqPanelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AqOutagePanel, aq_outage_panel, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (AQ_TYPE_PANEL, aq_panel_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The swatch is the colour AqOverlayLayer draws the kind in: the popover is the legend. */
static const struct
{
  AqOverlayKind  kind;
  const char    *title;
  const char    *swatch;
} layer_toggles[] = {
  { AQ_OVERLAY_COMMUNITY, N_("Communities"), "#8c6130" },
  { AQ_OVERLAY_DMA_1, N_("DMA zones, level 1"), "#73339e" },
  { AQ_OVERLAY_DMA_2, N_("DMA zones, level 2"), "#73339e" },
  { AQ_OVERLAY_DMA_3, N_("DMA zones, level 3"), "#73339e" },
  { AQ_OVERLAY_MAIN, N_("Mains (DN 300 and up)"), "#0073d9" },
  { AQ_OVERLAY_VALVE, N_("Valves"), "#1a8c4d" },
  { AQ_OVERLAY_KEY_CUSTOMER, N_("Key customers"), "#db1a33" },
  { AQ_OVERLAY_OUTAGE_ACTIVE, N_("Active outages"), "#bf0d0d" },
  { AQ_OVERLAY_OUTAGE_PLANNED, N_("Planned outages"), "#d9730d" },
};

static const char *
profile_url (AqOutagePanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (AQ_IS_WINDOW (root) && aq_window_get_monitor (AQ_WINDOW (root)) != NULL)
    return aq_connection_monitor_get_profile_url (aq_window_get_monitor (AQ_WINDOW (root)));
  return NULL;
}

/* A core call on a worker thread; the panel's dispose cancels it. */
static void
run_job (AqOutagePanel       *self,
         AqMapJobFunc         func,
         gpointer             data,
         GDestroyNotify       data_free,
         GDestroyNotify       result_free,
         GAsyncReadyCallback  callback)
{
  if (self->job_cancellable == NULL)
    self->job_cancellable = g_cancellable_new ();
  aq_map_job_run (profile_url (self), func, data, data_free, result_free, self->job_cancellable,
                  callback, self);
}

/* ---- auxiliary methods ---- */

static void
set_loading (AqOutagePanel *self,
             gboolean       loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
toast (AqOutagePanel *self,
       const char    *text)
{
  /* a toast's title is Pango markup in libadwaita 1.2 */
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

static void
update_hint (AqOutagePanel *self)
{
  guint n = aq_area_model_get_n_vertices (self->model);
  AqAreaEditorMode mode = aq_area_editor_get_mode (self->editor);
  g_autofree char *text = NULL;

  if (mode == AQ_AREA_EDITOR_SELECT)
    text = g_strdup (_("Click a community or zone on the map"));
  else if (mode == AQ_AREA_EDITOR_DRAW && !aq_area_model_get_closed (self->model))
    /* Translators: %u is the number of corners drawn so far */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u corner · click to add, Enter to close",
                                         "%u corners · click to add, Enter to close", n), n);
  else if (mode == AQ_AREA_EDITOR_DRAW)
    text = g_strdup (_("Drag a corner to move it"));
  gtk_label_set_label (self->hint_label, text ? text : "");
}

static void
update_actions (AqOutagePanel *self)
{
  gboolean have_result = self->analysis != NULL && self->geometry != NULL;
  gboolean repairable = g_error_matches (self->error, AQ_GEOJSON_ERROR,
                                         AQ_GEOJSON_ERROR_INVALID);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "area.undo",
                                 aq_area_model_can_undo (self->model));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "area.redo",
                                 aq_area_model_can_redo (self->model));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "area.repair", repairable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "area.export-list", have_result);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "area.create-outage",
                                 have_result && self->analysis->accounts > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "area.export", self->geometry != NULL);
}

static void
show_error (AqOutagePanel *self,
            GError        *error)
{
  g_clear_error (&self->error);
  self->error = g_error_copy (error);
  g_clear_pointer (&self->analysis, aq_outage_area_free);
  aq_area_summary_show_error (self->summary, error,
                              g_error_matches (error, AQ_GEOJSON_ERROR,
                                               AQ_GEOJSON_ERROR_INVALID));
  update_actions (self);
}

static void
show_analysis (AqOutagePanel *self)
{
  g_clear_error (&self->error);
  aq_area_summary_show_area (self->summary, self->analysis);
  update_actions (self);
}

/* ---- the analysis ---- */

static void
analyze_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AqOutageArea *area = aq_outage_area_analyze_finish (result, &error);
  AqOutagePanel *self;

  /* cancelled: a newer area is being analysed, or the panel is gone */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_OUTAGE_PANEL (user_data);
  g_clear_object (&self->cancellable);
  set_loading (self, FALSE);
  if (area == NULL)
    {
      show_error (self, error);
      return;
    }
  g_clear_pointer (&self->analysis, aq_outage_area_free);
  self->analysis = area;
  show_analysis (self);
}

static void
start_analysis (AqOutagePanel *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->geometry == NULL)
    return;
  self->cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  aq_outage_area_analyze_async (profile_url (self), self->geometry, self->cancellable,
                                analyze_cb, self);
}

static gboolean
analyze_timeout_cb (gpointer user_data)
{
  AqOutagePanel *self = user_data;

  self->analyze_id = 0;
  start_analysis (self);
  return G_SOURCE_REMOVE;
}

/* The area changed: a closed drawing is analysed shortly (a drag sends many changes). */
static void
model_changed_cb (AqOutagePanel *self)
{
  g_autoptr(GError) error = NULL;
  guint n = aq_area_model_get_n_vertices (self->model);

  update_hint (self);
  update_actions (self);
  if (self->setting_ring)
    return;

  g_clear_handle_id (&self->analyze_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->geometry, aq_geometry_free);
  g_clear_pointer (&self->analysis, aq_outage_area_free);
  g_clear_error (&self->error);

  if (!aq_area_model_get_closed (self->model))
    {
      set_loading (self, FALSE);
      aq_area_summary_show_empty (self->summary);
      update_actions (self);
      return;
    }

  {
    g_autoptr(GArray) ring = g_array_new (FALSE, FALSE, sizeof (double));

    for (guint i = 0; i < n; i++)
      {
        double pair[2];

        aq_area_model_get_vertex (self->model, i, &pair[0], &pair[1]);
        g_array_append_vals (ring, pair, 2);
      }
    self->geometry = aq_geometry_new_from_ring ((double *) ring->data, n, &error);
  }
  if (self->geometry == NULL)
    {
      set_loading (self, FALSE);
      show_error (self, error);
      return;
    }
  /* loading from now on: a test or a screenshot waits for the answer, not for the delay */
  set_loading (self, TRUE);
  self->analyze_id = g_timeout_add (ANALYZE_DELAY_MS, analyze_timeout_cb, self);
  update_actions (self);
}

/* A geometry from elsewhere (a picked zone, a file, a repair) becomes the area: analysed as
 * it is; the editor shows its largest ring. */
static void
set_geometry (AqOutagePanel *self,
              AqGeometry    *geometry)
{
  g_autoptr(GError) error = NULL;

  self->setting_ring = TRUE;
  if (!aq_area_model_set_geojson (self->model, geometry->geojson, &error))
    g_debug ("The area cannot be shown for editing: %s", error->message);
  self->setting_ring = FALSE;

  g_clear_handle_id (&self->analyze_id, g_source_remove);
  g_clear_pointer (&self->geometry, aq_geometry_free);
  g_clear_pointer (&self->analysis, aq_outage_area_free);
  g_clear_error (&self->error);
  self->geometry = geometry;
  update_hint (self);
  start_analysis (self);
  update_actions (self);
}

/* Shows the box, with room around it (for an area: for what it cuts). */
static void
show_box (AqOutagePanel *self,
          double         min_lon,
          double         min_lat,
          double         max_lon,
          double         max_lat)
{
  ShumateMap *map = shumate_simple_map_get_map (self->simple_map);
  ShumateViewport *viewport = shumate_map_get_viewport (map);
  double width = MAX (gtk_widget_get_width (GTK_WIDGET (map)), 400);
  double height = MAX (gtk_widget_get_height (GTK_WIDGET (map)), 400);
  double span_lon, span_lat, zoom;

  span_lon = MAX (max_lon - min_lon, 1e-4);
  span_lat = MAX (max_lat - min_lat, 1e-4) / cos ((min_lat + max_lat) / 2 * G_PI / 180);
  /* at zoom z the world is 256·2^z pixels wide: the box takes about half the map */
  zoom = log2 (MIN (width / span_lon, height / span_lat) * 360.0 / 256.0 / 2.0);
  shumate_viewport_set_zoom_level (viewport, CLAMP (round (zoom), AQ_TILE_MIN_ZOOM, 17));
  shumate_map_center_on (map, (min_lat + max_lat) / 2, (min_lon + max_lon) / 2);
}

static void
center_on_geometry (AqOutagePanel *self)
{
  if (self->geometry != NULL)
    show_box (self, self->geometry->min_lon, self->geometry->min_lat, self->geometry->max_lon,
              self->geometry->max_lat);
}

/* ---- jobs ---- */

typedef struct
{
  double lon, lat;
  int    level;
} PickData;

static gpointer
pick_job (AqDb          *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  PickData *pick = data;
  g_autofree char *code = aq_outage_area_code_at (db, pick->lon, pick->lat, pick->level, error);

  if (code == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND,
                     pick->level == 0 ? _("There is no community at this place.")
                                      : _("There is no DMA zone of this level at this place."));
      return NULL;
    }
  return pick->level == 0 ? aq_outage_area_for_community (db, code, error)
                          : aq_outage_area_for_zone (db, code, error);
}

static void
geometry_job_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AqGeometry *geometry = aq_map_job_finish (result, &error);
  AqOutagePanel *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_OUTAGE_PANEL (user_data);
  set_loading (self, self->cancellable != NULL);
  if (geometry == NULL)
    {
      if (g_error_matches (error, AQ_ERROR, AQ_ERROR_NOT_FOUND))
        toast (self, error->message);
      else
        show_error (self, error);
      return;
    }
  set_geometry (self, geometry);
}

static void
select_at_cb (AqOutagePanel *self,
              double         lon,
              double         lat)
{
  PickData *pick = g_new0 (PickData, 1);

  pick->lon = lon;
  pick->lat = lat;
  pick->level = (int) gtk_drop_down_get_selected (self->select_kind);
  set_loading (self, TRUE);
  run_job (self, pick_job, pick, g_free, (GDestroyNotify) aq_geometry_free, geometry_job_cb);
}

static gpointer
repair_job (AqDb          *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  return aq_geometry_repair (db, data, error);
}

static void
repair_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AqOutagePanel *self = AQ_OUTAGE_PANEL (widget);

  if (self->geometry == NULL)
    return;
  set_loading (self, TRUE);
  run_job (self, repair_job, aq_geometry_copy (self->geometry),
           (GDestroyNotify) aq_geometry_free, (GDestroyNotify) aq_geometry_free,
           geometry_job_cb);
}

/* ---- the area's actions ---- */

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  aq_area_model_undo (AQ_OUTAGE_PANEL (widget)->model);
}

static void
redo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  aq_area_model_redo (AQ_OUTAGE_PANEL (widget)->model);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  AqOutagePanel *self = AQ_OUTAGE_PANEL (widget);

  if (!aq_area_model_close (self->model) && !aq_area_model_get_closed (self->model))
    toast (self, _("An area needs at least three corners."));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  aq_area_model_clear (AQ_OUTAGE_PANEL (widget)->model);
}

static void
remove_last_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  aq_area_model_remove_last (AQ_OUTAGE_PANEL (widget)->model);
}

static void
draw_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AqOutagePanel *self = AQ_OUTAGE_PANEL (widget);

  gtk_toggle_button_set_active (self->draw_button,
                                !gtk_toggle_button_get_active (self->draw_button));
}

static void
mode_toggled_cb (AqOutagePanel *self)
{
  AqAreaEditorMode mode = AQ_AREA_EDITOR_IDLE;

  if (gtk_toggle_button_get_active (self->draw_button))
    mode = AQ_AREA_EDITOR_DRAW;
  else if (gtk_toggle_button_get_active (self->select_button))
    mode = AQ_AREA_EDITOR_SELECT;
  aq_area_editor_set_mode (self->editor, mode);
  if (mode != AQ_AREA_EDITOR_IDLE && self->valves)
    aq_valves_tool_set_active (self->valves, FALSE);
  update_hint (self);
}

/* ---- files ---- */

static void
import_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AqOutagePanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  AqGeometry *geometry;

  self->files--;
  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, NULL, NULL, &error))
    {
      toast (self, error->message);
      return;
    }
  geometry = aq_geometry_new_from_geojson (contents, &error);
  if (geometry == NULL)
    {
      show_error (self, error);
      return;
    }
  set_geometry (self, geometry);
  center_on_geometry (self);
}

static void
import_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  AqOutagePanel *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      aq_outage_panel_import (self, file);
    }
  g_object_unref (dialog);
}

static GtkFileFilter *
geojson_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("GeoJSON"));
  gtk_file_filter_add_pattern (filter, "*.geojson");
  gtk_file_filter_add_pattern (filter, "*.json");
  return filter;
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AqOutagePanel *self = AQ_OUTAGE_PANEL (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = geojson_filter ();

  chooser = gtk_file_chooser_native_new (_("Import Area"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), NULL);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (import_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AqOutagePanel) self = user_data;
  g_autoptr(GError) error = NULL;

  self->files--;
  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    toast (self, error->message);
  else
    toast (self, _("Area exported."));
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  AqOutagePanel *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      aq_outage_panel_export_area (self, file);
    }
  g_object_unref (dialog);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AqOutagePanel *self = AQ_OUTAGE_PANEL (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = geojson_filter ();

  chooser = gtk_file_chooser_native_new (_("Export Area"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("outage-area.geojson"));
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

typedef struct
{
  AqGeometry *geometry;
  GFile      *file;
} CsvData;

static void
csv_data_free (CsvData *data)
{
  aq_geometry_free (data->geometry);
  g_object_unref (data->file);
  g_free (data);
}

static gpointer
csv_job (AqDb          *db,
         gpointer       data,
         GCancellable  *cancellable,
         GError       **error)
{
  CsvData *csv = data;
  g_autoptr(GFileOutputStream) out = NULL;

  out = g_file_replace (csv->file, NULL, FALSE, G_FILE_CREATE_NONE, cancellable, error);
  if (out == NULL
      || !aq_outage_area_write_csv (db, csv->geometry, G_OUTPUT_STREAM (out), cancellable, error)
      || !g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, error))
    return NULL;
  return GINT_TO_POINTER (1);
}

static void
csv_job_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gpointer ok = aq_map_job_finish (result, &error);
  AqOutagePanel *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_OUTAGE_PANEL (user_data);
  self->files--;
  toast (self, ok ? _("List exported.") : error->message);
}

static void
export_list_response_cb (GtkNativeDialog *dialog,
                         int              response,
                         gpointer         user_data)
{
  AqOutagePanel *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      aq_outage_panel_export_list (self, file);
    }
  g_object_unref (dialog);
}

static void
export_list_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  AqOutagePanel *self = AQ_OUTAGE_PANEL (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Export Affected Accounts"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("affected-accounts.csv"));
  g_signal_connect (chooser, "response", G_CALLBACK (export_list_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- creating the outage ---- */

static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = aq_outage_create_finish (result, &error);
  AqOutagePanel *self;
  AqNoticeDialog *dialog;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_OUTAGE_PANEL (user_data);
  if (id <= 0)
    {
      toast (self, error->message);
      return;
    }
  aq_overlay_layer_reload (self->overlay);
  dialog = aq_notice_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                 profile_url (self), id, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
create_response_cb (AqAreaOutageDialog *dialog,
                    const char         *response,
                    AqOutagePanel      *self)
{
  g_autoptr(GDateTime) start_time = NULL;
  g_autoptr(GDateTime) end_time = NULL;
  g_autoptr(GError) error = NULL;
  AqOutageSpec spec = { 0 };

  if (!g_str_equal (response, "create") || self->geometry == NULL)
    return;
  start_time = aq_area_outage_dialog_get_start (dialog, &error);
  if (start_time != NULL)
    end_time = aq_area_outage_dialog_get_end (dialog, &error);
  if (end_time == NULL)
    {
      toast (self, error->message);
      return;
    }
  spec.kind = aq_area_outage_dialog_get_kind (dialog);
  spec.reason = aq_area_outage_dialog_get_reason (dialog);
  spec.start_time = start_time;
  spec.expected_end = end_time;
  spec.geometry = self->geometry;
  /* core checks the fields and the area again: a bad one comes back as a toast naming it,
   * and nothing is written */
  if (self->job_cancellable == NULL)
    self->job_cancellable = g_cancellable_new ();
  aq_outage_create_async (profile_url (self), &spec, self->job_cancellable, create_cb, self);
}

static void
create_outage_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  AqOutagePanel *self = AQ_OUTAGE_PANEL (widget);
  AqAreaOutageDialog *dialog;

  if (self->analysis == NULL)
    return;
  dialog = aq_area_outage_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                      aq_area_summary_get_total (self->summary));
  g_signal_connect_object (dialog, "response", G_CALLBACK (create_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- the map ---- */

static void
layer_switch_cb (GtkSwitch     *toggle,
                 GParamSpec    *pspec,
                 AqOutagePanel *self)
{
  AqOverlayKind kind = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (toggle), "kind"));

  aq_overlay_layer_set_kind_visible (self->overlay, kind, gtk_switch_get_active (toggle));
}

static void
build_layer_toggles (AqOutagePanel *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (layer_toggles); i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *label = gtk_label_new (_(layer_toggles[i].title));
      GtkWidget *toggle = gtk_switch_new ();
      GtkWidget *swatch = gtk_label_new (NULL);
      g_autofree char *markup = g_strdup_printf ("<span foreground=\"%s\">●</span>",
                                                 layer_toggles[i].swatch);

      gtk_label_set_markup (GTK_LABEL (swatch), markup);
      gtk_box_append (GTK_BOX (box), swatch);

      gtk_widget_set_hexpand (label, TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_switch_set_active (GTK_SWITCH (toggle),
                             aq_overlay_layer_get_kind_visible (self->overlay,
                                                                layer_toggles[i].kind));
      g_object_set_data (G_OBJECT (toggle), "kind", GUINT_TO_POINTER (layer_toggles[i].kind));
      g_signal_connect_object (toggle, "notify::active", G_CALLBACK (layer_switch_cb), self, 0);
      gtk_widget_set_name (toggle, layer_toggles[i].title);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), toggle);
      gtk_box_append (self->layers_box, box);
    }
}

static void
set_map_source (AqOutagePanel *self)
{
  g_autofree char *online = g_settings_get_string (self->settings, "map-tile-url");
  g_autoptr(ShumateMapSource) source = NULL;

  /* a template without its placeholders would fetch the same picture for every tile */
  if (*online != '\0'
      && (strstr (online, "{x}") == NULL || strstr (online, "{y}") == NULL
          || strstr (online, "{z}") == NULL))
    {
      g_autofree char *text = NULL;

      /* Translators: %s is the URL from the preferences */
      text = g_strdup_printf (_("The tile URL “%s” lacks {x}, {y} or {z}: the map is drawn "
                                "from the warehouse instead."), online);
      toast (self, text);
      g_clear_pointer (&online, g_free);
    }

  g_clear_object (&self->source);
  source = aq_map_source_new_basemap (profile_url (self), online, &self->source);
  if (self->source != NULL)
    aq_map_source_set_scale (self->source, gtk_widget_get_scale_factor (GTK_WIDGET (self)));
  shumate_simple_map_set_map_source (self->simple_map, source);
}

static gpointer
extent_job (AqDb          *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  double *box = g_new (double, 4);

  if (!aq_tile_renderer_query_extent (db, box, error))
    {
      g_free (box);
      return NULL;
    }
  return box;
}

static void
extent_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree double *box = aq_map_job_finish (result, &error);
  AqOutagePanel *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_OUTAGE_PANEL (user_data);
  set_loading (self, self->cancellable != NULL);
  /* no districts, or no warehouse: the map stays where it is and the pane or the banner says
   * why when it matters */
  if (box == NULL)
    {
      g_debug ("The map cannot open on the city: %s", error->message);
      return;
    }
  /* the user may have started drawing meanwhile: the view is theirs then */
  if (aq_area_model_get_n_vertices (self->model) == 0)
    show_box (self, box[0], box[1], box[2], box[3]);
}

static void
scale_factor_cb (AqOutagePanel *self)
{
  if (self->source != NULL)
    aq_map_source_set_scale (self->source, gtk_widget_get_scale_factor (GTK_WIDGET (self)));
}

/* "AQUEDUCT_OUTAGE_AREA": the area shown at start (screenshots): a GeoJSON file, or
 * "community:CODE" / "zone:CODE". */
static gpointer
startup_area_job (AqDb          *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  const char *spec = data;

  if (g_str_has_prefix (spec, "community:"))
    return aq_outage_area_for_community (db, spec + strlen ("community:"), error);
  if (g_str_has_prefix (spec, "zone:"))
    return aq_outage_area_for_zone (db, spec + strlen ("zone:"), error);
  {
    g_autofree char *contents = NULL;

    if (!g_file_get_contents (spec, &contents, NULL, error))
      return NULL;
    return aq_geometry_new_from_geojson (contents, error);
  }
}

static void
startup_area_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  /* cancelled: the panel is gone */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  geometry_job_cb (object, result, user_data);
  center_on_geometry (AQ_OUTAGE_PANEL (user_data));
}

static gboolean
settled_cb (gpointer user_data)
{
  AqOutagePanel *self = user_data;

  self->settle_id = 0;
  return G_SOURCE_REMOVE;
}

/* The basemap asks for the tiles of a new view only at its next layout: until the view has
 * rested a moment, a screenshot or a test would see the old tiles or none. */
static void
viewport_moved_cb (AqOutagePanel *self)
{
  g_clear_handle_id (&self->settle_id, g_source_remove);
  self->settle_id = g_timeout_add (500, settled_cb, self);
}

static void
aq_outage_panel_map (GtkWidget *widget)
{
  AqOutagePanel *self = AQ_OUTAGE_PANEL (widget);

  GTK_WIDGET_CLASS (aq_outage_panel_parent_class)->map (widget);

  /* the profile is known once the panel is in its window */
  if (!self->map_ready)
    {
      const char *startup = g_getenv ("AQUEDUCT_OUTAGE_AREA");

      self->map_ready = TRUE;
      viewport_moved_cb (self);
      if (g_strcmp0 (profile_url (self), NULL) != 0)
        set_map_source (self);
      aq_overlay_layer_set_profile_url (self->overlay, profile_url (self));
      aq_valves_tool_set_profile_url (self->valves, profile_url (self));
      if (startup != NULL && *startup != '\0')
        {
          set_loading (self, TRUE);
          run_job (self, startup_area_job, g_strdup (startup), g_free,
                   (GDestroyNotify) aq_geometry_free, startup_area_cb);
        }
      else
        {
          set_loading (self, TRUE);
          run_job (self, extent_job, NULL, NULL, g_free, extent_cb);
        }
    }
}

/* ---- AqPanel ---- */

static gboolean
aq_outage_panel_get_loading (AqPanel *panel)
{
  AqOutagePanel *self = AQ_OUTAGE_PANEL (panel);

  return self->loading || self->files > 0 || aq_overlay_layer_get_loading (self->overlay)
         || self->settle_id != 0
         || (self->source != NULL && !aq_map_source_get_idle (self->source));
}

static void
reload (AqPanel *panel)
{
  AqOutagePanel *self = AQ_OUTAGE_PANEL (panel);

  set_map_source (self);
  aq_overlay_layer_reload (self->overlay);
  start_analysis (self);
}

static void
aq_panel_iface_init (AqPanelInterface *iface)
{
  iface->get_loading = aq_outage_panel_get_loading;
  iface->reload = reload;
}

/* ---- GObject overrides ---- */

static void
aq_outage_panel_dispose (GObject *object)
{
  AqOutagePanel *self = AQ_OUTAGE_PANEL (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->job_cancellable);
  g_clear_object (&self->job_cancellable);
  g_clear_handle_id (&self->analyze_id, g_source_remove);
  g_clear_handle_id (&self->settle_id, g_source_remove);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->source);

  gtk_widget_dispose_template (GTK_WIDGET (object), AQ_TYPE_OUTAGE_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->model);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (aq_outage_panel_parent_class)->dispose (object);
}

static void
aq_outage_panel_finalize (GObject *object)
{
  AqOutagePanel *self = AQ_OUTAGE_PANEL (object);

  g_clear_pointer (&self->geometry, aq_geometry_free);
  g_clear_pointer (&self->analysis, aq_outage_area_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (aq_outage_panel_parent_class)->finalize (object);
}

static void
aq_outage_panel_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, aq_panel_get_loading (AQ_PANEL (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_outage_panel_class_init (AqOutagePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_outage_panel_dispose;
  object_class->finalize = aq_outage_panel_finalize;
  object_class->get_property = aq_outage_panel_get_property;
  widget_class->map = aq_outage_panel_map;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SHUMATE_TYPE_SIMPLE_MAP);
  g_type_ensure (AQ_TYPE_AREA_SUMMARY);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-outage-panel.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, AqOutagePanel, draw_button);
  gtk_widget_class_bind_template_child (widget_class, AqOutagePanel, select_button);
  gtk_widget_class_bind_template_child (widget_class, AqOutagePanel, select_kind);
  gtk_widget_class_bind_template_child (widget_class, AqOutagePanel, hint_label);
  gtk_widget_class_bind_template_child (widget_class, AqOutagePanel, layers_box);
  gtk_widget_class_bind_template_child (widget_class, AqOutagePanel, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AqOutagePanel, simple_map);
  gtk_widget_class_bind_template_child (widget_class, AqOutagePanel, spinner);
  gtk_widget_class_bind_template_child (widget_class, AqOutagePanel, summary);
  gtk_widget_class_bind_template_callback (widget_class, mode_toggled_cb);

  gtk_widget_class_install_action (widget_class, "area.draw", NULL, draw_action);
  gtk_widget_class_install_action (widget_class, "area.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "area.redo", NULL, redo_action);
  gtk_widget_class_install_action (widget_class, "area.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "area.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "area.remove-last", NULL, remove_last_action);
  gtk_widget_class_install_action (widget_class, "area.repair", NULL, repair_action);
  gtk_widget_class_install_action (widget_class, "area.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "area.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "area.export-list", NULL, export_list_action);
  gtk_widget_class_install_action (widget_class, "area.create-outage", NULL,
                                   create_outage_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK,
                                       "area.draw", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK,
                                       "area.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "area.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Z,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "area.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "area.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "area.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "area.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "area.remove-last",
                                       NULL);
}

/* ---- the Valves tool (aq-valves-tool.c): its layer, its buttons, its summary ---- */

static void
valves_isolated_cb (AqOutagePanel *self)
{
  aq_area_summary_show_area (self->summary, aq_valves_tool_get_isolation (self->valves)->area);
}

static void
valves_active_cb (AqOutagePanel *self)
{
  if (!aq_valves_tool_get_active (self->valves))
    return;
  gtk_toggle_button_set_active (self->draw_button, FALSE);
  gtk_toggle_button_set_active (self->select_button, FALSE);
}

static void
hook_valves_tool (AqOutagePanel *self,
                  ShumateMap    *map)
{
  self->valves = aq_valves_tool_new (map);
  shumate_simple_map_add_overlay_layer (self->simple_map, SHUMATE_LAYER (self->valves));
  gtk_box_append (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->draw_button))),
                  aq_valves_tool_get_controls (self->valves));
  g_signal_connect_object (self->valves, "isolated", G_CALLBACK (valves_isolated_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->valves, "notify::active", G_CALLBACK (valves_active_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->valves, "message", G_CALLBACK (toast), self,
                           G_CONNECT_SWAPPED);
}

static void
aq_outage_panel_init (AqOutagePanel *self)
{
  ShumateMap *map;
  ShumateViewport *viewport;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new ("org.aqueduct.Aqueduct");
  self->model = aq_area_model_new ();
  map = shumate_simple_map_get_map (self->simple_map);
  viewport = shumate_simple_map_get_viewport (self->simple_map);
  /* the map takes keys (Enter, Backspace…) only when it has the focus */
  gtk_widget_set_focusable (GTK_WIDGET (map), TRUE);

  /* the base layer first: a map source set later would be put above the overlays */
  set_map_source (self);
  self->overlay = aq_overlay_layer_new (viewport);
  shumate_simple_map_add_overlay_layer (self->simple_map, SHUMATE_LAYER (self->overlay));
  self->editor = aq_area_editor_new (map, self->model);
  shumate_simple_map_add_overlay_layer (self->simple_map, SHUMATE_LAYER (self->editor));
  g_signal_connect_object (self->editor, "select-at", G_CALLBACK (select_at_cb), self,
                           G_CONNECT_SWAPPED);
  hook_valves_tool (self, map);
  g_signal_connect_object (self->model, "changed", G_CALLBACK (model_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::map-tile-url", G_CALLBACK (set_map_source),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (scale_factor_cb), NULL);
  g_signal_connect_object (viewport, "notify::zoom-level", G_CALLBACK (viewport_moved_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::latitude", G_CALLBACK (viewport_moved_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::longitude", G_CALLBACK (viewport_moved_cb), self,
                           G_CONNECT_SWAPPED);
  build_layer_toggles (self);

  shumate_viewport_set_zoom_level (viewport, 13);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), CITY_LAT, CITY_LON);
  update_hint (self);
  update_actions (self);
}

/* ---- public API ---- */

AqValvesTool *
aq_outage_panel_get_valves_tool (AqOutagePanel *self)
{
  g_return_val_if_fail (AQ_IS_OUTAGE_PANEL (self), NULL);
  return self->valves;
}

AqAreaModel *
aq_outage_panel_get_model (AqOutagePanel *self)
{
  g_return_val_if_fail (AQ_IS_OUTAGE_PANEL (self), NULL);
  return self->model;
}

AqAreaEditor *
aq_outage_panel_get_editor (AqOutagePanel *self)
{
  g_return_val_if_fail (AQ_IS_OUTAGE_PANEL (self), NULL);
  return self->editor;
}

AqOverlayLayer *
aq_outage_panel_get_overlay (AqOutagePanel *self)
{
  g_return_val_if_fail (AQ_IS_OUTAGE_PANEL (self), NULL);
  return self->overlay;
}

ShumateMap *
aq_outage_panel_get_map (AqOutagePanel *self)
{
  g_return_val_if_fail (AQ_IS_OUTAGE_PANEL (self), NULL);
  return shumate_simple_map_get_map (self->simple_map);
}

/* Returns: (nullable) (transfer none): the last analysis, NULL while there is none */
const AqOutageArea *
aq_outage_panel_get_analysis (AqOutagePanel *self)
{
  g_return_val_if_fail (AQ_IS_OUTAGE_PANEL (self), NULL);
  return self->analysis;
}

/* Returns: (nullable) (transfer none): why there is no analysis */
const GError *
aq_outage_panel_get_error (AqOutagePanel *self)
{
  g_return_val_if_fail (AQ_IS_OUTAGE_PANEL (self), NULL);
  return self->error;
}

/* Returns: the side pane's page: empty, error or result */
const char *
aq_outage_panel_get_page (AqOutagePanel *self)
{
  g_return_val_if_fail (AQ_IS_OUTAGE_PANEL (self), NULL);
  return aq_area_summary_get_page (self->summary);
}

/**
 * aq_outage_panel_import:
 * @file: a GeoJSON file (Polygon, MultiPolygon, Feature or FeatureCollection)
 *
 * What "Import Area" does with the file chosen: the area becomes the file's and is analysed.
 */
void
aq_outage_panel_import (AqOutagePanel *self,
                        GFile         *file)
{
  g_return_if_fail (AQ_IS_OUTAGE_PANEL (self));
  g_return_if_fail (G_IS_FILE (file));

  self->files++;
  g_file_load_contents_async (file, NULL, import_loaded_cb, g_object_ref (self));
}

/* What "Export Area" does: the area as a GeoJSON Feature. */
void
aq_outage_panel_export_area (AqOutagePanel *self,
                             GFile         *file)
{
  g_autoptr(GBytes) bytes = NULL;
  char *text;

  g_return_if_fail (AQ_IS_OUTAGE_PANEL (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->geometry == NULL)
    return;
  text = aq_geometry_to_geojson (self->geometry, TRUE, NULL);
  bytes = g_bytes_new_take (text, strlen (text));
  self->files++;
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                       export_saved_cb, g_object_ref (self));
}

/* What "Export List…" does: the affected accounts as CSV, written on a worker thread. */
void
aq_outage_panel_export_list (AqOutagePanel *self,
                             GFile         *file)
{
  CsvData *data;

  g_return_if_fail (AQ_IS_OUTAGE_PANEL (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->geometry == NULL)
    return;
  data = g_new0 (CsvData, 1);
  data->file = g_object_ref (file);
  data->geometry = aq_geometry_copy (self->geometry);
  self->files++;
  run_job (self, csv_job, data, (GDestroyNotify) csv_data_free, NULL, csv_job_cb);
}
