/* aq-report-field-item.h — one catalog entry (a category, a dimension, an indicator) as the
 * designer moves it around: the item of the catalog tree, the payload of a drag, a chip */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  AQ_REPORT_FIELD_ITEM_CATEGORY,
  AQ_REPORT_FIELD_ITEM_DIMENSION,
  AQ_REPORT_FIELD_ITEM_INDICATOR,
} AqReportFieldItemKind;

#define AQ_TYPE_REPORT_FIELD_ITEM (aq_report_field_item_get_type ())
G_DECLARE_FINAL_TYPE (AqReportFieldItem, aq_report_field_item, AQ, REPORT_FIELD_ITEM,
                      GObject)

AqReportFieldItem     *aq_report_field_item_new               (AqReportFieldItemKind  kind,
                                                               const char            *id,
                                                               const char            *label);
AqReportFieldItem     *aq_report_field_item_copy              (AqReportFieldItem     *self);
AqReportFieldItemKind  aq_report_field_item_get_kind          (AqReportFieldItem     *self);
const char            *aq_report_field_item_get_id            (AqReportFieldItem     *self);
const char            *aq_report_field_item_get_label         (AqReportFieldItem     *self);
const char            *aq_report_field_item_get_description   (AqReportFieldItem     *self);
void                   aq_report_field_item_set_description   (AqReportFieldItem     *self,
                                                               const char            *description);
/* the calculation of a value chip, as aq_report_calc_to_string() names it; NULL for none */
const char            *aq_report_field_item_get_calculation   (AqReportFieldItem     *self);
void                   aq_report_field_item_set_calculation   (AqReportFieldItem     *self,
                                                               const char            *calculation);
/* a filter chip's operator (the spec's AqReportFilterOp) and values, kept as they came */
int                    aq_report_field_item_get_filter_op     (AqReportFieldItem     *self);
const char * const    *aq_report_field_item_get_filter_values (AqReportFieldItem     *self);
void                   aq_report_field_item_set_filter        (AqReportFieldItem     *self,
                                                               int                    op,
                                                               const char * const    *values);
/* a category's fields (NULL for a field) */
GListStore            *aq_report_field_item_get_children      (AqReportFieldItem     *self);
gboolean               aq_report_field_item_matches           (AqReportFieldItem     *self,
                                                               const char            *needle);

G_END_DECLS
