/* aq-drop-zone.h — one zone of the report layout (Rows, Columns, Values, Filters) */
#pragma once

#include <gtk/gtk.h>

#include "aq-report-chip.h"
#include "aq-report-field-item.h"

G_BEGIN_DECLS

#define AQ_TYPE_DROP_ZONE (aq_drop_zone_get_type ())
G_DECLARE_FINAL_TYPE (AqDropZone, aq_drop_zone, AQ, DROP_ZONE, GtkWidget)

GListModel    *aq_drop_zone_get_fields      (AqDropZone    *self);
guint          aq_drop_zone_get_n_fields    (AqDropZone    *self);
AqReportFieldItem *aq_drop_zone_get_field       (AqDropZone    *self,
                                             guint          position);
gboolean       aq_drop_zone_accepts         (AqDropZone    *self,
                                             AqReportFieldItem *field);
gboolean       aq_drop_zone_insert          (AqDropZone    *self,
                                             AqReportFieldItem *field,
                                             int            position);
void           aq_drop_zone_remove          (AqDropZone    *self,
                                             guint          position);
void           aq_drop_zone_move            (AqDropZone    *self,
                                             guint          from,
                                             guint          to);
void           aq_drop_zone_set_fields      (AqDropZone    *self,
                                             GPtrArray     *fields);
void           aq_drop_zone_set_chip_menu   (AqDropZone    *self,
                                             GMenuModel    *menu);
void           aq_drop_zone_set_chip_popover (AqDropZone              *self,
                                              AqReportChipPopoverFunc  func,
                                              gpointer                 user_data);
void           aq_drop_zone_field_changed   (AqDropZone    *self);
GtkDropTarget *aq_drop_zone_get_drop_target (AqDropZone    *self);
const char    *aq_drop_zone_get_zone        (AqDropZone    *self);

G_END_DECLS
