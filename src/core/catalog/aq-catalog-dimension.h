/* aq-catalog-dimension.h — one dimension of the indicator catalog */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  AQ_DIMENSION_TIME,
  AQ_DIMENSION_GEO,
  AQ_DIMENSION_ATTRIBUTE,
} AqDimensionKind;

/* One member of a small dimension (districts, customer types, channels …): the key the
 * warehouse stores and the label the user reads. */
typedef struct
{
  char *key;
  char *label;
} AqDimensionMember;

#define AQ_TYPE_DIMENSION (aq_dimension_get_type ())
G_DECLARE_FINAL_TYPE (AqDimension, aq_dimension, AQ, DIMENSION, GObject)

const char      *aq_dimension_get_id          (AqDimension *self);
const char      *aq_dimension_get_name        (AqDimension *self);   /* by locale, as indicators */
const char      *aq_dimension_get_name_zh     (AqDimension *self);
const char      *aq_dimension_get_name_en     (AqDimension *self);
const char      *aq_dimension_get_category    (AqDimension *self);
const char      *aq_dimension_get_description (AqDimension *self);
AqDimensionKind  aq_dimension_get_kind        (AqDimension *self);
/* The parameter type a filter on this dimension takes ("month", "district", "text" …). */
const char      *aq_dimension_get_value_type  (AqDimension *self);
/* (element-type AqDimensionMember) (nullable): the members in their natural order, loaded
 * with the catalog when the dimension is small (≤ 500 members); NULL for large ones
 * (accounts, communities) and for months. */
GPtrArray       *aq_dimension_get_members     (AqDimension *self);
const char      *aq_dimension_get_member_label (AqDimension *self,
                                                const char  *key);
gboolean         aq_dimension_matches         (AqDimension *self,
                                               const char  *text);

const char      *aq_dimension_kind_to_string  (AqDimensionKind kind);

G_END_DECLS
