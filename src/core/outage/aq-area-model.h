/* aq-area-model.h — the outage area being drawn: its vertices, closing, undo and redo */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define AQ_TYPE_AREA_MODEL (aq_area_model_get_type ())
G_DECLARE_FINAL_TYPE (AqAreaModel, aq_area_model, AQ, AREA_MODEL, GObject)

AqAreaModel *aq_area_model_new            (void);
guint        aq_area_model_get_n_vertices (AqAreaModel  *self);
void         aq_area_model_get_vertex     (AqAreaModel  *self,
                                           guint         index,
                                           double       *lon,
                                           double       *lat);
gboolean     aq_area_model_get_closed     (AqAreaModel  *self);
gboolean     aq_area_model_can_undo       (AqAreaModel  *self);
gboolean     aq_area_model_can_redo       (AqAreaModel  *self);

gboolean     aq_area_model_add_vertex     (AqAreaModel  *self,
                                           double        lon,
                                           double        lat);
void         aq_area_model_begin_move     (AqAreaModel  *self);
void         aq_area_model_move_vertex    (AqAreaModel  *self,
                                           guint         index,
                                           double        lon,
                                           double        lat);
gboolean     aq_area_model_remove_last    (AqAreaModel  *self);
gboolean     aq_area_model_close          (AqAreaModel  *self);
void         aq_area_model_clear          (AqAreaModel  *self);
gboolean     aq_area_model_set_ring       (AqAreaModel  *self,
                                           const double *lon_lat,
                                           guint         n_vertices);
gboolean     aq_area_model_set_geojson    (AqAreaModel  *self,
                                           const char   *geojson,
                                           GError      **error);
gboolean     aq_area_model_undo           (AqAreaModel  *self);
gboolean     aq_area_model_redo           (AqAreaModel  *self);

char        *aq_area_model_to_geojson     (AqAreaModel  *self);

G_END_DECLS
