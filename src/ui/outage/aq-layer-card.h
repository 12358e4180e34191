/* aq-layer-card.h — one schema of the warehouse on the Overview: tables and rows */
#pragma once

#include <gtk/gtk.h>

#include "aqueduct-core.h"

G_BEGIN_DECLS

#define AQ_TYPE_LAYER_CARD (aq_layer_card_get_type ())
G_DECLARE_FINAL_TYPE (AqLayerCard, aq_layer_card, AQ, LAYER_CARD, GtkWidget)

GtkWidget  *aq_layer_card_new            (const AqOverviewLayer *layer);
const char *aq_layer_card_get_schema     (AqLayerCard           *self);
const char *aq_layer_card_get_rows_text  (AqLayerCard           *self);

G_END_DECLS
