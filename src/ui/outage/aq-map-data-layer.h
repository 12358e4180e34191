/* aq-map-data-layer.h — a map layer drawn from warehouse features fetched for the viewport */
#pragma once

#include <shumate/shumate.h>

#include "aq-db-job.h"

G_BEGIN_DECLS

#define AQ_TYPE_MAP_DATA_LAYER (aq_map_data_layer_get_type ())
G_DECLARE_DERIVABLE_TYPE (AqMapDataLayer, aq_map_data_layer, AQ, MAP_DATA_LAYER, ShumateLayer)

struct _AqMapDataLayerClass
{
  ShumateLayerClass parent_class;

  /* What the layer wants fetched now (its kinds shown, say), as a key compared with the last
   * fetch's: another key fetches again. 0: nothing — no query, and what was fetched goes. */
  guint64  (*wanted)      (AqMapDataLayer *self);
  /* The task data for fetch_job: @box (min lon, min lat, max lon, max lat) is the viewport
   * and half of it again on each side, @tolerance about a pixel in degrees. */
  gpointer (*request_new) (AqMapDataLayer *self,
                           const double    box[4],
                           double          tolerance,
                           guint64         wanted);
  /* On a worker thread with a pooled connection; frees nothing of its task data (g_free
   * does). Returns a GPtrArray of GPtrArrays of features, one per kind. */
  AqDbJobFunc fetch_job;
  /* Also fetch again when the viewport has shrunk under a quarter of the fetched box's width
   * (zoomed in: the simplification was too coarse). */
  gboolean refetch_zoomed_in;
  /* Names the layer in the message when a fetch fails, e.g. "the network layers". */
  const char *what;
};

void        aq_map_data_layer_set_conninfo    (AqMapDataLayer *self,
                                               const char     *conninfo);
/* Fetches again now (the warehouse changed, a kind was switched on). */
void        aq_map_data_layer_reload          (AqMapDataLayer *self);
/* (nullable) (element-type GPtrArray): one array of features per kind, NULL before the first
 * fetch or while nothing is wanted. */
GPtrArray  *aq_map_data_layer_get_features    (AqMapDataLayer *self);
/* The features of the @kind-th array, or NULL. */
GPtrArray  *aq_map_data_layer_get_kind        (AqMapDataLayer *self,
                                               guint           kind);
/* The key of the last fetch (0 before it). */
guint64     aq_map_data_layer_get_fetched     (AqMapDataLayer *self);
/* The box the features cover; FALSE before the first fetch. */
gboolean    aq_map_data_layer_get_fetched_box (AqMapDataLayer *self,
                                               double          box[4]);
/* The kinds shown, one bit each (the bits of the key wanted() builds on); a kind shown now
 * that the last fetch did not bring is fetched. */
void        aq_map_data_layer_set_visible_kinds (AqMapDataLayer *self,
                                                 guint           kinds);
guint       aq_map_data_layer_get_visible_kinds (AqMapDataLayer *self);
/* A fetch is on its way. */
gboolean    aq_map_data_layer_is_fetching     (AqMapDataLayer *self);
/* The viewport moved and has not settled yet: a fetch may follow. */
gboolean    aq_map_data_layer_is_settling     (AqMapDataLayer *self);
/* The viewport's box now: min lon, min lat, max lon, max lat. */
void        aq_map_data_layer_visible_box     (AqMapDataLayer *self,
                                               double          box[4]);
double      aq_map_data_layer_get_zoom        (AqMapDataLayer *self);

G_END_DECLS
