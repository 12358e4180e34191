/* aq-overlay-layer.h — zones, network and outages drawn over the basemap */
#pragma once

#include <shumate/shumate.h>

#include "aq-map-data-layer.h"
#include "aq-map-features.h"

G_BEGIN_DECLS

/* What can be switched on and off; DMA zones by level. */
typedef enum
{
  AQ_OVERLAY_COMMUNITY,
  AQ_OVERLAY_DMA_1,
  AQ_OVERLAY_DMA_2,
  AQ_OVERLAY_DMA_3,
  AQ_OVERLAY_MAIN,
  AQ_OVERLAY_VALVE,
  AQ_OVERLAY_KEY_CUSTOMER,
  AQ_OVERLAY_OUTAGE_ACTIVE,
  AQ_OVERLAY_OUTAGE_PLANNED,
  AQ_OVERLAY_N_KINDS
} AqOverlayKind;

#define AQ_TYPE_OVERLAY_LAYER (aq_overlay_layer_get_type ())
G_DECLARE_FINAL_TYPE (AqOverlayLayer, aq_overlay_layer, AQ, OVERLAY_LAYER, AqMapDataLayer)

AqOverlayLayer *aq_overlay_layer_new              (ShumateViewport *viewport);
void            aq_overlay_layer_set_conninfo     (AqOverlayLayer  *self,
                                                   const char      *conninfo);
void            aq_overlay_layer_set_kind_visible (AqOverlayLayer  *self,
                                                   AqOverlayKind    kind,
                                                   gboolean         visible);
gboolean        aq_overlay_layer_get_kind_visible (AqOverlayLayer  *self,
                                                   AqOverlayKind    kind);
void            aq_overlay_layer_reload           (AqOverlayLayer  *self);
guint           aq_overlay_layer_get_n_features   (AqOverlayLayer  *self,
                                                   AqOverlayKind    kind);
gboolean        aq_overlay_layer_get_loading      (AqOverlayLayer  *self);

G_END_DECLS
