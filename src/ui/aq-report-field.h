/* aq-report-field.h — one catalog entry (a category, a dimension, an indicator) as the designer
 * moves it around: the item of the catalog tree, the payload of a drag, a chip in a zone */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  AQ_REPORT_FIELD_CATEGORY,
  AQ_REPORT_FIELD_DIMENSION,
  AQ_REPORT_FIELD_INDICATOR,
} AqReportFieldKind;

#define AQ_TYPE_REPORT_FIELD (aq_report_field_get_type ())
G_DECLARE_FINAL_TYPE (AqReportField, aq_report_field, AQ, REPORT_FIELD, GObject)

AqReportField     *aq_report_field_new             (AqReportFieldKind  kind,
                                                    const char        *id,
                                                    const char        *label);
AqReportField     *aq_report_field_copy            (AqReportField     *self);
AqReportFieldKind  aq_report_field_get_kind        (AqReportField     *self);
const char        *aq_report_field_get_id          (AqReportField     *self);
const char        *aq_report_field_get_label       (AqReportField     *self);
const char        *aq_report_field_get_description (AqReportField     *self);
void               aq_report_field_set_description (AqReportField     *self,
                                                    const char        *description);
/* the calculation of a value chip: NULL, "share", "mom", "yoy", "rank" */
const char        *aq_report_field_get_calculation (AqReportField     *self);
void               aq_report_field_set_calculation (AqReportField     *self,
                                                    const char        *calculation);
/* a category's fields (NULL for a field) */
GListStore        *aq_report_field_get_children    (AqReportField     *self);
gboolean           aq_report_field_matches         (AqReportField     *self,
                                                    const char        *needle);

G_END_DECLS
