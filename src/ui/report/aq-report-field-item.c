/* aq-report-field.c — one catalog entry as the designer moves it around
 *
 * Chips are copies of the catalog's field, so one indicator can sit twice in Values with two
 * calculations (the amount and its share of the total).
 */
#define G_LOG_DOMAIN "aq-report-field-item"

#include "config.h"

#include "aq-report-field-item.h"

#include <string.h>

struct _AqReportFieldItem
{
  GObject            parent_instance;

  AqReportFieldItemKind  kind;
  char              *id;
  char              *label;
  char              *description;
  char              *calculation;
  int                filter_op;
  GStrv              filter_values;
  GListStore        *children;
};

G_DEFINE_FINAL_TYPE (AqReportFieldItem, aq_report_field_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LABEL,
  PROP_CALCULATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
aq_report_field_item_finalize (GObject *object)
{
  AqReportFieldItem *self = AQ_REPORT_FIELD_ITEM (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->calculation, g_free);
  g_clear_pointer (&self->filter_values, g_strfreev);
  g_clear_object (&self->children);

  G_OBJECT_CLASS (aq_report_field_item_parent_class)->finalize (object);
}

static void
aq_report_field_item_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  AqReportFieldItem *self = AQ_REPORT_FIELD_ITEM (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_CALCULATION:
      g_value_set_string (value, self->calculation);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_report_field_item_class_init (AqReportFieldItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = aq_report_field_item_finalize;
  object_class->get_property = aq_report_field_item_get_property;

  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_CALCULATION] =
    g_param_spec_string ("calculation", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
aq_report_field_item_init (AqReportFieldItem *self)
{
}

AqReportFieldItem *
aq_report_field_item_new (AqReportFieldItemKind  kind,
                          const char        *id,
                          const char        *label)
{
  AqReportFieldItem *self;

  g_return_val_if_fail (id != NULL, NULL);

  self = g_object_new (AQ_TYPE_REPORT_FIELD_ITEM, NULL);
  self->kind = kind;
  self->id = g_strdup (id);
  self->label = g_strdup (label ? label : id);
  if (kind == AQ_REPORT_FIELD_ITEM_CATEGORY)
    self->children = g_list_store_new (AQ_TYPE_REPORT_FIELD_ITEM);
  return self;
}

AqReportFieldItem *
aq_report_field_item_copy (AqReportFieldItem *self)
{
  AqReportFieldItem *copy;

  g_return_val_if_fail (AQ_IS_REPORT_FIELD_ITEM (self), NULL);

  copy = aq_report_field_item_new (self->kind, self->id, self->label);
  copy->description = g_strdup (self->description);
  copy->calculation = g_strdup (self->calculation);
  copy->filter_op = self->filter_op;
  copy->filter_values = g_strdupv (self->filter_values);
  return copy;
}

AqReportFieldItemKind
aq_report_field_item_get_kind (AqReportFieldItem *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_FIELD_ITEM (self), AQ_REPORT_FIELD_ITEM_CATEGORY);
  return self->kind;
}

const char *
aq_report_field_item_get_id (AqReportFieldItem *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_FIELD_ITEM (self), NULL);
  return self->id;
}

const char *
aq_report_field_item_get_label (AqReportFieldItem *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_FIELD_ITEM (self), NULL);
  return self->label;
}

const char *
aq_report_field_item_get_description (AqReportFieldItem *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_FIELD_ITEM (self), NULL);
  return self->description;
}

void
aq_report_field_item_set_description (AqReportFieldItem *self,
                                      const char    *description)
{
  g_return_if_fail (AQ_IS_REPORT_FIELD_ITEM (self));
  g_free (self->description);
  self->description = g_strdup (description);
}

const char *
aq_report_field_item_get_calculation (AqReportFieldItem *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_FIELD_ITEM (self), NULL);
  return self->calculation;
}

void
aq_report_field_item_set_calculation (AqReportFieldItem *self,
                                      const char    *calculation)
{
  g_return_if_fail (AQ_IS_REPORT_FIELD_ITEM (self));

  if (calculation != NULL && (*calculation == '\0' || g_str_equal (calculation, "none")))
    calculation = NULL;
  if (g_strcmp0 (self->calculation, calculation) == 0)
    return;
  g_free (self->calculation);
  self->calculation = g_strdup (calculation);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CALCULATION]);
}

int
aq_report_field_item_get_filter_op (AqReportFieldItem *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_FIELD_ITEM (self), 0);
  return self->filter_op;
}

const char * const *
aq_report_field_item_get_filter_values (AqReportFieldItem *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_FIELD_ITEM (self), NULL);
  return (const char * const *) self->filter_values;
}

void
aq_report_field_item_set_filter (AqReportFieldItem  *self,
                                 int                 op,
                                 const char * const *values)
{
  g_return_if_fail (AQ_IS_REPORT_FIELD_ITEM (self));

  self->filter_op = op;
  g_strfreev (self->filter_values);
  self->filter_values = g_strdupv ((char **) values);
}

GListStore *
aq_report_field_item_get_children (AqReportFieldItem *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_FIELD_ITEM (self), NULL);
  return self->children;
}

/* Case-insensitive, over the label, the id and the description: users search "产销差" as
 * often as "nrw". */
gboolean
aq_report_field_item_matches (AqReportFieldItem *self,
                              const char    *needle)
{
  g_autofree char *folded = NULL;
  const char *haystacks[3];

  g_return_val_if_fail (AQ_IS_REPORT_FIELD_ITEM (self), FALSE);

  if (needle == NULL || *needle == '\0')
    return TRUE;
  folded = g_utf8_casefold (needle, -1);
  haystacks[0] = self->label;
  haystacks[1] = self->id;
  haystacks[2] = self->description;
  for (guint i = 0; i < G_N_ELEMENTS (haystacks); i++)
    {
      g_autofree char *h = NULL;

      if (haystacks[i] == NULL)
        continue;
      h = g_utf8_casefold (haystacks[i], -1);
      if (strstr (h, folded) != NULL)
        return TRUE;
    }
  return FALSE;
}
