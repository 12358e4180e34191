/* aq-network-layer.h — the water network on the outage map: pipes, valves, sources */
#pragma once

#include <shumate/shumate.h>

#include "aq-network-features.h"

G_BEGIN_DECLS

#define AQ_TYPE_NETWORK_LAYER (aq_network_layer_get_type ())
G_DECLARE_FINAL_TYPE (AqNetworkLayer, aq_network_layer, AQ, NETWORK_LAYER, ShumateLayer)

AqNetworkLayer *aq_network_layer_new              (ShumateViewport      *viewport);
void            aq_network_layer_set_conninfo     (AqNetworkLayer       *self,
                                                   const char           *conninfo);
void            aq_network_layer_set_kind_visible (AqNetworkLayer       *self,
                                                   AqNetworkFeatureKind  kind,
                                                   gboolean              visible);
gboolean        aq_network_layer_get_kind_visible (AqNetworkLayer       *self,
                                                   AqNetworkFeatureKind  kind);
void            aq_network_layer_reload           (AqNetworkLayer       *self);
gboolean        aq_network_layer_get_loading      (AqNetworkLayer       *self);
/* The features of @kind fetched (for the box below; 0 while the kind is hidden) */
guint           aq_network_layer_get_n_features   (AqNetworkLayer       *self,
                                                   AqNetworkFeatureKind  kind);
/* The box the fetched features cover: min lon, min lat, max lon, max lat; the smallest
 * pipe DN fetched (0: all). FALSE before the first fetch. */
gboolean        aq_network_layer_get_fetched_box  (AqNetworkLayer       *self,
                                                   double                box[4],
                                                   int                  *min_dn);
/* One row per kind (swatch, title, switch named by the untranslated title) for the map's
 * layer list: the switches show and hide the kinds. */
void            aq_network_layer_add_toggles      (AqNetworkLayer       *self,
                                                   GtkBox               *box);

G_END_DECLS
