/* aq-catalog-indicator.h — one measure of the indicator catalog (the semantic layer) */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* How an indicator rolls up. A ratio is always Σnumerator / Σdenominator at every level
 * (subtotals and totals included), an average is Σvalue / Σcount: neither is ever summed. */
typedef enum
{
  AQ_AGGREGATION_SUM,
  AQ_AGGREGATION_COUNT,
  AQ_AGGREGATION_RATIO,
  AQ_AGGREGATION_AVG,
} AqAggregation;

#define AQ_TYPE_INDICATOR (aq_indicator_get_type ())
G_DECLARE_FINAL_TYPE (AqIndicator, aq_indicator, AQ, INDICATOR, GObject)

const char         *aq_indicator_get_id             (AqIndicator *self);
/* The name in the user's language (zh_CN when LC_MESSAGES starts with "zh", else English). */
const char         *aq_indicator_get_name           (AqIndicator *self);
const char         *aq_indicator_get_name_zh        (AqIndicator *self);
const char         *aq_indicator_get_name_en        (AqIndicator *self);
/* The path in the catalog tree, "/"-separated, first element one of 水表 用户档案 抄表 计费
 * 工单 报装 话务 收费 产销差 (always in Chinese: it is the utility's own taxonomy). */
const char         *aq_indicator_get_category       (AqIndicator *self);
const char         *aq_indicator_get_description    (AqIndicator *self);
const char         *aq_indicator_get_unit           (AqIndicator *self);
/* An Excel number format, e.g. "#,##0", "#,##0.00", "0.0%". */
const char         *aq_indicator_get_number_format  (AqIndicator *self);
/* Digits after the decimal point the format shows; a percentage format multiplies by 100. */
guint               aq_indicator_get_decimals       (AqIndicator *self);
gboolean            aq_indicator_is_percent         (AqIndicator *self);
AqAggregation       aq_indicator_get_aggregation    (AqIndicator *self);
/* The catalog source the indicator is computed from (e.g. "billing" = dm.cube_billing_monthly)
 * and that source's grain, as text for the user. */
const char         *aq_indicator_get_source         (AqIndicator *self);
const char         *aq_indicator_get_grain          (AqIndicator *self);
/* The dimension ids it can be cut by, NULL-terminated. */
const char * const *aq_indicator_get_dimensions     (AqIndicator *self);
gboolean            aq_indicator_allows_dimension   (AqIndicator *self,
                                                     const char  *dimension_id);
/* The formula as the catalog defines it, for the user who asks "how is this computed":
 * e.g. "sum(c.paid_amount) / sum(c.amount) FROM dm.cube_billing_monthly c". */
const char         *aq_indicator_get_formula        (AqIndicator *self);
/* Case-insensitive match on the id, both names and the category. */
gboolean            aq_indicator_matches            (AqIndicator *self,
                                                     const char  *text);

const char         *aq_aggregation_to_string        (AqAggregation aggregation);

G_END_DECLS
