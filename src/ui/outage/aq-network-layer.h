/* aq-network-layer.h — the water network on the outage map: pipes, valves, sources */
#pragma once

#include <shumate/shumate.h>

#include "aq-map-data-layer.h"
#include "aq-network-features.h"

G_BEGIN_DECLS

#define AQ_TYPE_NETWORK_LAYER (aq_network_layer_get_type ())
G_DECLARE_FINAL_TYPE (AqNetworkLayer, aq_network_layer, AQ, NETWORK_LAYER, AqMapDataLayer)

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

/* Clicks on @map open the card of the pipe or valve under them (id, DN, material, year or
 * status) with "Isolate This Pipe" (signal isolate-pipe, the pipe's id) or "Won't Close"
 * (signal valve-wont-close: the valve's id, its pipe's) while inspecting is on (the default;
 * the panel turns it off while a map tool takes the clicks). */
void            aq_network_layer_attach_clicks    (AqNetworkLayer       *self,
                                                   ShumateMap           *map);
void            aq_network_layer_set_inspect      (AqNetworkLayer       *self,
                                                   gboolean              inspect);
gboolean        aq_network_layer_click            (AqNetworkLayer       *self,
                                                   double                x,
                                                   double                y);
/* (nullable): the card (a GtkPopover) and what it shows */
GtkWidget      *aq_network_layer_get_card         (AqNetworkLayer       *self);
const AqNetworkFeature *aq_network_layer_get_picked (AqNetworkLayer     *self);
/* (nullable): the @index-th fetched feature of @kind */
const AqNetworkFeature *aq_network_layer_get_feature (AqNetworkLayer    *self,
                                                      AqNetworkFeatureKind kind,
                                                      guint              index);

G_END_DECLS
