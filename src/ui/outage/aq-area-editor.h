/* aq-area-editor.h — draws the outage area on the map and turns clicks and drags into edits */
#pragma once

#include <shumate/shumate.h>

#include "aq-area-model.h"

G_BEGIN_DECLS

typedef enum
{
  AQ_AREA_EDITOR_IDLE,     /* the map pans; the area is shown */
  AQ_AREA_EDITOR_DRAW,     /* a click adds a vertex, a drag on a vertex moves it */
  AQ_AREA_EDITOR_SELECT,   /* a click picks the community or DMA zone under it */
} AqAreaEditorMode;

#define AQ_TYPE_AREA_EDITOR (aq_area_editor_get_type ())
G_DECLARE_FINAL_TYPE (AqAreaEditor, aq_area_editor, AQ, AREA_EDITOR, ShumateLayer)

AqAreaEditor     *aq_area_editor_new               (ShumateMap       *map,
                                                    AqAreaModel      *model);
AqAreaModel      *aq_area_editor_get_model         (AqAreaEditor     *self);
AqAreaEditorMode  aq_area_editor_get_mode          (AqAreaEditor     *self);
void              aq_area_editor_set_mode          (AqAreaEditor     *self,
                                                    AqAreaEditorMode  mode);
GtkGesture       *aq_area_editor_get_click_gesture (AqAreaEditor     *self);
GtkGesture       *aq_area_editor_get_drag_gesture  (AqAreaEditor     *self);
void              aq_area_editor_click             (AqAreaEditor     *self,
                                                    double            x,
                                                    double            y,
                                                    int               n_press);

G_END_DECLS
