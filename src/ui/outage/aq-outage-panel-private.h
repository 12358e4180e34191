/* aq-outage-panel-private.h — what the outage map's files share
 *
 * Only aq-outage-panel.c, aq-outage-panel-actions.c and aq-outage-panel-map.c include this:
 * the instance struct and the helpers each of them calls in the others.
 */
#pragma once

#include <adwaita.h>
#include <shumate/shumate.h>

#include "aq-area-editor.h"
#include "aq-area-summary.h"
#include "aq-db-job.h"
#include "aq-map-source.h"
#include "aq-outage-panel.h"
#include "aq-network-layer.h"
#include "aq-outage-cancel.h"
#include "aq-overlay-layer.h"
#include "aq-valves-tool.h"

G_BEGIN_DECLS

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
  AqNetworkLayer    *network;       /* pipes, valves, sources (aq-network-layer.c) */
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

  /* the current outages (aq-outage-panel-current.c) */
  GtkBox            *side_box;
  GtkListBox        *current_list;
  GtkLabel          *current_status;
  guint              n_current;
  guint              current_jobs;   /* list, preview and cancel jobs under way */
  gint64             selected_outage;
  AqOutageCancelPreview *cancel_preview;  /* (nullable): of the selected outage */
  gboolean           cancelling;
  gint64             last_withdrawn;
  gint64             last_sent;
};

void _aq_outage_panel_build_current (AqOutagePanel *self);
void _aq_outage_panel_reload_current (AqOutagePanel *self);
void _aq_outage_panel_dispose_current (AqOutagePanel *self);
void _aq_outage_panel_cancel_outage_action (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter);
void _aq_outage_panel_notice_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter);

void _aq_outage_panel_cancel_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter);
void _aq_outage_panel_close_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter);
void _aq_outage_panel_create_outage_action (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter);
void _aq_outage_panel_draw_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter);
void _aq_outage_panel_export_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter);
void _aq_outage_panel_export_list_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter);
void _aq_outage_panel_export_saved_cb (GObject      *object,
                                       GAsyncResult *result,
                                       gpointer      user_data);
void _aq_outage_panel_import_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter);
void _aq_outage_panel_import_loaded_cb (GObject      *object,
                                        GAsyncResult *result,
                                        gpointer      user_data);
void _aq_outage_panel_mode_toggled_cb (AqOutagePanel *self);
void _aq_outage_panel_redo_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter);
void _aq_outage_panel_remove_last_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter);
void _aq_outage_panel_undo_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter);
void _aq_outage_panel_center_on_geometry (AqOutagePanel *self);
const char *_aq_outage_panel_conninfo (AqOutagePanel *self);
void _aq_outage_panel_geometry_job_cb (GObject      *object,
                                       GAsyncResult *result,
                                       gpointer      user_data);
void _aq_outage_panel_run_job (AqOutagePanel       *self,
                               AqDbJobFunc          func,
                               gpointer             data,
                               GDestroyNotify       data_free,
                               GDestroyNotify       result_free,
                               GAsyncReadyCallback  callback);
void _aq_outage_panel_set_geometry (AqOutagePanel *self,
                                    AqGeometry    *geometry);
void _aq_outage_panel_set_loading (AqOutagePanel *self,
                                   gboolean       loading);
void _aq_outage_panel_show_box (AqOutagePanel *self,
                                double         min_lon,
                                double         min_lat,
                                double         max_lon,
                                double         max_lat);
void _aq_outage_panel_show_error (AqOutagePanel *self,
                                  GError        *error);
void _aq_outage_panel_toast (AqOutagePanel *self,
                             const char    *text);
void _aq_outage_panel_update_hint (AqOutagePanel *self);
void _aq_outage_panel_map_vfunc (GtkWidget *widget);
void _aq_outage_panel_build_layer_toggles (AqOutagePanel *self);
void _aq_outage_panel_scale_factor_cb (AqOutagePanel *self);
void _aq_outage_panel_set_map_source (AqOutagePanel *self);
void _aq_outage_panel_viewport_moved_cb (AqOutagePanel *self);

G_END_DECLS
