/* aq-outage-panel.c — the outage map: draw the shutoff area, see what it affects, create the
 * outage and send its notice
 *
 * The map (offline basemap, overlay, the area editor) on the left; on the right the analysis
 * of the area, recomputed on a worker thread whenever the closed area changes, a newer change
 * cancelling the older. A geometry the warehouse finds invalid shows its precise message and
 * a Repair button, never a count. Every warehouse call runs in a thread on its own connection
 * through core (aq-outage-area, aq-geojson, aq-outage); the notice is outage-core's dialog.
 *
 * The panel is three files sharing aq-outage-panel-private.h: this one holds the type, the
 * analysis and the jobs; aq-outage-panel-actions.c the area's actions, the files (GeoJSON, the
 * CSV list) and the creation of the outage; aq-outage-panel-map.c the map, its layers and
 * the zone picking.
 */
#define G_LOG_DOMAIN "aq-outage-panel"

#include "config.h"

#include "aq-outage-panel-private.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "aq-area-editor.h"
#include "aq-area-outage-dialog.h"
#include "aq-area-summary.h"
#include "aq-geojson.h"
#include "aq-db-job.h"
#include "aq-map-source.h"
#include "aq-notice-dialog.h"
#include "aq-outage-area.h"
#include "aq-outage.h"
#include "aq-overlay-layer.h"
#include "aq-panel.h"

#define ANALYZE_DELAY_MS 150
/* Where the map looks until the warehouse has said where its city is (the demo city). */
#define CITY_LAT 26.08
#define CITY_LON 119.30


static void aq_panel_iface_init (AqPanelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AqOutagePanel, aq_outage_panel, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (AQ_TYPE_PANEL, aq_panel_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


/* The warehouse, from the monitor the window gave the panel (aq_panel_set_monitor()). */
const char *
_aq_outage_panel_conninfo (AqOutagePanel *self)
{
  return aq_panel_get_conninfo (AQ_PANEL (self));
}

/* A core call on a worker thread; the panel's dispose cancels it. */
void
_aq_outage_panel_run_job (AqOutagePanel       *self,
                          AqDbJobFunc          func,
                          gpointer             data,
                          GDestroyNotify       data_free,
                          GDestroyNotify       result_free,
                          GAsyncReadyCallback  callback)
{
  if (self->job_cancellable == NULL)
    self->job_cancellable = g_cancellable_new ();
  aq_db_job_run_async (_aq_outage_panel_conninfo (self), _aq_outage_panel_run_job, func, data,
                       data_free, result_free,
                       self->job_cancellable, callback, self);
}

/* ---- auxiliary methods ---- */

void
_aq_outage_panel_set_loading (AqOutagePanel *self,
                              gboolean       loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

void
_aq_outage_panel_toast (AqOutagePanel *self,
                        const char    *text)
{
  /* a toast's title is Pango markup in libadwaita 1.2 */
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

void
_aq_outage_panel_update_hint (AqOutagePanel *self)
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

void
_aq_outage_panel_show_error (AqOutagePanel *self,
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
  _aq_outage_panel_set_loading (self, FALSE);
  if (area == NULL)
    {
      _aq_outage_panel_show_error (self, error);
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
  _aq_outage_panel_set_loading (self, TRUE);
  aq_outage_area_analyze_async (_aq_outage_panel_conninfo (self), self->geometry, self->cancellable,
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

  _aq_outage_panel_update_hint (self);
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
      _aq_outage_panel_set_loading (self, FALSE);
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
      _aq_outage_panel_set_loading (self, FALSE);
      _aq_outage_panel_show_error (self, error);
      return;
    }
  /* loading from now on: a test or a screenshot waits for the answer, not for the delay */
  _aq_outage_panel_set_loading (self, TRUE);
  self->analyze_id = g_timeout_add (ANALYZE_DELAY_MS, analyze_timeout_cb, self);
  update_actions (self);
}

/* A geometry from elsewhere (a picked zone, a file, a repair) becomes the area: analysed as
 * it is; the editor shows its largest ring. */
void
_aq_outage_panel_set_geometry (AqOutagePanel *self,
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
  _aq_outage_panel_update_hint (self);
  start_analysis (self);
  update_actions (self);
}

/* Shows the box, with room around it (for an area: for what it cuts). */
void
_aq_outage_panel_show_box (AqOutagePanel *self,
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

void
_aq_outage_panel_center_on_geometry (AqOutagePanel *self)
{
  if (self->geometry != NULL)
    _aq_outage_panel_show_box (self, self->geometry->min_lon, self->geometry->min_lat,
                               self->geometry->max_lon,
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

void
_aq_outage_panel_geometry_job_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AqGeometry *geometry = aq_db_job_run_finish (result, _aq_outage_panel_run_job, &error);
  AqOutagePanel *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_OUTAGE_PANEL (user_data);
  _aq_outage_panel_set_loading (self, self->cancellable != NULL);
  if (geometry == NULL)
    {
      if (g_error_matches (error, AQ_ERROR, AQ_ERROR_NOT_FOUND))
        _aq_outage_panel_toast (self, error->message);
      else
        _aq_outage_panel_show_error (self, error);
      return;
    }
  _aq_outage_panel_set_geometry (self, geometry);
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
  _aq_outage_panel_set_loading (self, TRUE);
  _aq_outage_panel_run_job (self, pick_job, pick, g_free, (GDestroyNotify) aq_geometry_free,
                            _aq_outage_panel_geometry_job_cb);
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
  _aq_outage_panel_set_loading (self, TRUE);
  _aq_outage_panel_run_job (self, repair_job, aq_geometry_copy (self->geometry),
                            (GDestroyNotify) aq_geometry_free, (GDestroyNotify) aq_geometry_free,
                            _aq_outage_panel_geometry_job_cb);
}

/* ---- AqPanel ---- */

static gboolean
aq_outage_panel_get_loading (AqPanel *panel)
{
  AqOutagePanel *self = AQ_OUTAGE_PANEL (panel);

  return self->loading || self->files > 0 || self->current_jobs > 0
         || aq_overlay_layer_get_loading (self->overlay)
         || self->settle_id != 0
         || (self->source != NULL && !aq_map_source_get_idle (self->source));
}

static void
reload (AqPanel *panel)
{
  AqOutagePanel *self = AQ_OUTAGE_PANEL (panel);

  _aq_outage_panel_set_map_source (self);
  aq_overlay_layer_reload (self->overlay);
  _aq_outage_panel_reload_current (self);
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
  _aq_outage_panel_dispose_current (self);

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
  widget_class->map = _aq_outage_panel_map_vfunc;

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
  gtk_widget_class_bind_template_child (widget_class, AqOutagePanel, side_box);
  gtk_widget_class_bind_template_callback_full (widget_class, "mode_toggled_cb",
                                                G_CALLBACK (_aq_outage_panel_mode_toggled_cb));

  gtk_widget_class_install_action (widget_class, "area.draw", NULL, _aq_outage_panel_draw_action);
  gtk_widget_class_install_action (widget_class, "area.undo", NULL, _aq_outage_panel_undo_action);
  gtk_widget_class_install_action (widget_class, "area.redo", NULL, _aq_outage_panel_redo_action);
  gtk_widget_class_install_action (widget_class, "area.close", NULL, _aq_outage_panel_close_action);
  gtk_widget_class_install_action (widget_class, "area.cancel", NULL,
                                   _aq_outage_panel_cancel_action);
  gtk_widget_class_install_action (widget_class, "area.remove-last", NULL,
                                   _aq_outage_panel_remove_last_action);
  gtk_widget_class_install_action (widget_class, "area.repair", NULL, repair_action);
  gtk_widget_class_install_action (widget_class, "area.import", NULL,
                                   _aq_outage_panel_import_action);
  gtk_widget_class_install_action (widget_class, "area.export", NULL,
                                   _aq_outage_panel_export_action);
  gtk_widget_class_install_action (widget_class, "area.export-list", NULL,
                                   _aq_outage_panel_export_list_action);
  gtk_widget_class_install_action (widget_class, "area.create-outage", NULL,
                                   _aq_outage_panel_create_outage_action);
  gtk_widget_class_install_action (widget_class, "outage.notice", NULL,
                                   _aq_outage_panel_notice_action);
  gtk_widget_class_install_action (widget_class, "outage.cancel", NULL,
                                   _aq_outage_panel_cancel_outage_action);

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

/* The network layer's card opens on a click only while no tool takes the clicks. */
static void
network_inspect_cb (AqOutagePanel *self)
{
  aq_network_layer_set_inspect (self->network, !aq_valves_tool_get_active (self->valves)
                                && !gtk_toggle_button_get_active (self->draw_button)
                                && !gtk_toggle_button_get_active (self->select_button));
}

static void
network_isolate_cb (AqOutagePanel *self,
                    gint64         pipe_id)
{
  aq_valves_tool_isolate_pipe (self->valves, pipe_id);
}

static void
network_wont_close_cb (AqOutagePanel *self,
                       gint64         valve_id,
                       gint64         pipe_id)
{
  aq_valves_tool_valve_wont_close (self->valves, valve_id, pipe_id);
}

static void
valves_active_cb (AqOutagePanel *self)
{
  network_inspect_cb (self);
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
  g_signal_connect_object (self->valves, "message", G_CALLBACK (_aq_outage_panel_toast), self,
                           G_CONNECT_SWAPPED);
  /* the network layer's card hands over to the tool */
  aq_network_layer_attach_clicks (self->network, map);
  g_signal_connect_object (self->network, "isolate-pipe", G_CALLBACK (network_isolate_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->network, "valve-wont-close",
                           G_CALLBACK (network_wont_close_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->draw_button, "toggled", G_CALLBACK (network_inspect_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->select_button, "toggled", G_CALLBACK (network_inspect_cb),
                           self, G_CONNECT_SWAPPED);
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
  _aq_outage_panel_set_map_source (self);
  self->overlay = aq_overlay_layer_new (viewport);
  shumate_simple_map_add_overlay_layer (self->simple_map, SHUMATE_LAYER (self->overlay));
  self->network = aq_network_layer_new (viewport);
  shumate_simple_map_add_overlay_layer (self->simple_map, SHUMATE_LAYER (self->network));
  self->editor = aq_area_editor_new (map, self->model);
  shumate_simple_map_add_overlay_layer (self->simple_map, SHUMATE_LAYER (self->editor));
  g_signal_connect_object (self->editor, "select-at", G_CALLBACK (select_at_cb), self,
                           G_CONNECT_SWAPPED);
  hook_valves_tool (self, map);
  g_signal_connect_object (self->model, "changed", G_CALLBACK (model_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::map-tile-url",
                           G_CALLBACK (_aq_outage_panel_set_map_source),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (_aq_outage_panel_scale_factor_cb),
                    NULL);
  g_signal_connect_object (viewport, "notify::zoom-level",
                           G_CALLBACK (_aq_outage_panel_viewport_moved_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::latitude",
                           G_CALLBACK (_aq_outage_panel_viewport_moved_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::longitude",
                           G_CALLBACK (_aq_outage_panel_viewport_moved_cb), self,
                           G_CONNECT_SWAPPED);
  _aq_outage_panel_build_layer_toggles (self);
  _aq_outage_panel_build_current (self);
  /* a Chinese utility measures in metres: no miles on the scale */
  shumate_scale_set_unit (shumate_simple_map_get_scale (self->simple_map), SHUMATE_UNIT_METRIC);

  shumate_viewport_set_zoom_level (viewport, 13);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), CITY_LAT, CITY_LON);
  _aq_outage_panel_update_hint (self);
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

AqNetworkLayer *
aq_outage_panel_get_network_layer (AqOutagePanel *self)
{
  g_return_val_if_fail (AQ_IS_OUTAGE_PANEL (self), NULL);
  return self->network;
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
  g_file_load_contents_async (file, NULL, _aq_outage_panel_import_loaded_cb, g_object_ref (self));
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
                                       _aq_outage_panel_export_saved_cb, g_object_ref (self));
}

