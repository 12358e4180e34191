/* aq-overlay-layer.h — zones, network and outages drawn over the basemap */
#pragma once

#include <shumate/shumate.h>

#include "aq-map-overlay.h"

G_BEGIN_DECLS

#define AQ_TYPE_OVERLAY_LAYER (aq_overlay_layer_get_type ())
G_DECLARE_FINAL_TYPE (AqOverlayLayer, aq_overlay_layer, AQ, OVERLAY_LAYER, ShumateLayer)

AqOverlayLayer *aq_overlay_layer_new              (ShumateViewport *viewport);
void            aq_overlay_layer_set_profile_url  (AqOverlayLayer  *self,
                                                   const char      *profile_url);
void            aq_overlay_layer_set_kind_visible (AqOverlayLayer  *self,
                                                   AqOverlayKind    kind,
                                                   gboolean         visible);
gboolean        aq_overlay_layer_get_kind_visible (AqOverlayLayer  *self,
                                                   AqOverlayKind    kind);
void            aq_overlay_layer_reload           (AqOverlayLayer  *self);
guint           aq_overlay_layer_get_n_features   (AqOverlayLayer  *self);
gboolean        aq_overlay_layer_get_loading      (AqOverlayLayer  *self);

G_END_DECLS
