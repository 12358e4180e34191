/* aq-outage-panel.h — the outage map: draw the area, see what it affects, notify */
#pragma once

#include <gtk/gtk.h>
#include <shumate/shumate.h>

#include "aq-area-editor.h"
#include "aq-outage-area.h"
#include "aq-outage-cancel.h"
#include "aq-network-layer.h"
#include "aq-overlay-layer.h"
#include "aq-valves-tool.h"

G_BEGIN_DECLS

#define AQ_TYPE_OUTAGE_PANEL (aq_outage_panel_get_type ())
G_DECLARE_FINAL_TYPE (AqOutagePanel, aq_outage_panel, AQ, OUTAGE_PANEL, GtkWidget)

AqAreaModel        *aq_outage_panel_get_model    (AqOutagePanel *self);
AqAreaEditor       *aq_outage_panel_get_editor   (AqOutagePanel *self);
AqOverlayLayer     *aq_outage_panel_get_overlay  (AqOutagePanel *self);
ShumateMap         *aq_outage_panel_get_map      (AqOutagePanel *self);
const AqOutageArea *aq_outage_panel_get_analysis (AqOutagePanel *self);
const GError       *aq_outage_panel_get_error    (AqOutagePanel *self);
const char         *aq_outage_panel_get_page     (AqOutagePanel *self);
AqValvesTool       *aq_outage_panel_get_valves_tool (AqOutagePanel *self);
AqNetworkLayer     *aq_outage_panel_get_network_layer (AqOutagePanel *self);
void                aq_outage_panel_import       (AqOutagePanel *self,
                                                  GFile         *file);
void                aq_outage_panel_export_area  (AqOutagePanel *self,
                                                  GFile         *file);
void                aq_outage_panel_export_list  (AqOutagePanel *self,
                                                  GFile         *file);
/* The current outages (aq-outage-panel-current.c) */
gboolean            aq_outage_panel_select_outage (AqOutagePanel *self,
                                                   gint64         outage_id);
guint               aq_outage_panel_get_n_current (AqOutagePanel *self);
const AqOutageCancelPreview *aq_outage_panel_get_cancel_preview (AqOutagePanel *self);
void                aq_outage_panel_get_last_cancel (AqOutagePanel *self,
                                                     gint64        *withdrawn,
                                                     gint64        *sent);

G_END_DECLS
