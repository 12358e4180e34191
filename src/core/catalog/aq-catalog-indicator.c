/* aq-catalog-indicator.c — one measure of the indicator catalog
 *
 * Immutable after loading. The SQL expressions it holds come from the catalog and are read
 * only by the report compiler (aq-catalog-private.h).
 */
#define G_LOG_DOMAIN "aq-catalog"

#include "config.h"
#include <glib/gi18n.h>

#include "aq-catalog-private.h"

#include <string.h>

#include "aq-error.h"

struct _AqIndicator
{
  GObject        parent_instance;
  char          *id;
  char          *name_zh;
  char          *name_en;
  char          *category;
  char          *description_zh;
  char          *description_en;
  char          *unit;
  char          *format;
  AqAggregation  aggregation;
  char          *source;
  char          *grain;
  char          *formula;
  char          *expr;
  char          *numerator;
  char          *denominator;
  char         **dimensions;
  char         **only_dimensions;  /* (nullable) a restriction of the source's dimensions */
};

G_DEFINE_FINAL_TYPE (AqIndicator, aq_indicator, G_TYPE_OBJECT)

static void
aq_indicator_finalize (GObject *object)
{
  AqIndicator *self = AQ_INDICATOR (object);

  g_free (self->id);
  g_free (self->name_zh);
  g_free (self->name_en);
  g_free (self->category);
  g_free (self->description_zh);
  g_free (self->description_en);
  g_free (self->unit);
  g_free (self->format);
  g_free (self->source);
  g_free (self->grain);
  g_free (self->formula);
  g_free (self->expr);
  g_free (self->numerator);
  g_free (self->denominator);
  g_strfreev (self->dimensions);
  g_strfreev (self->only_dimensions);
  G_OBJECT_CLASS (aq_indicator_parent_class)->finalize (object);
}

static void
aq_indicator_class_init (AqIndicatorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aq_indicator_finalize;
}

static void
aq_indicator_init (AqIndicator *self)
{
  self->dimensions = g_new0 (char *, 1);
}

static const char *aggregation_names[] = { "sum", "count", "ratio", "avg" };

const char *
aq_aggregation_to_string (AqAggregation aggregation)
{
  g_return_val_if_fail (aggregation < G_N_ELEMENTS (aggregation_names), NULL);
  return aggregation_names[aggregation];
}

static char *
member_string (JsonObject  *object,
               const char  *member,
               gboolean     required,
               const char  *id,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                     _("indicator “%s”: “%s” is missing"), id ? id : "?", member);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("indicator “%s”: “%s” must be a string"), id ? id : "?", member);
      return NULL;
    }
  return g_strdup (json_node_get_string (node));
}

AqIndicator *
_aq_indicator_new_from_json (JsonObject  *object,
                             GError     **error)
{
  g_autoptr(AqIndicator) self = g_object_new (AQ_TYPE_INDICATOR, NULL);
  g_autofree char *aggregation = NULL;
  GError *local = NULL;
  gboolean found = FALSE;

  if (!(self->id = member_string (object, "id", TRUE, NULL, error)))
    return NULL;
#define REQ(field, name) \
  if (!(self->field = member_string (object, name, TRUE, self->id, error))) return NULL
#define OPT(field, name) \
  self->field = member_string (object, name, FALSE, self->id, &local); \
  if (local) { g_propagate_error (error, local); return NULL; }
  REQ (name_zh, "name_zh");
  REQ (name_en, "name_en");
  REQ (category, "category");
  REQ (source, "source");
  REQ (format, "format");
  OPT (unit, "unit");
  OPT (description_zh, "description_zh");
  OPT (description_en, "description_en");
  OPT (expr, "expr");
  OPT (numerator, "numerator");
  OPT (denominator, "denominator");
  if (!(aggregation = member_string (object, "aggregation", TRUE, self->id, error)))
    return NULL;
#undef REQ
#undef OPT

  for (guint i = 0; i < G_N_ELEMENTS (aggregation_names); i++)
    if (strcmp (aggregation, aggregation_names[i]) == 0)
      {
        self->aggregation = i;
        found = TRUE;
      }
  if (!found)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("indicator “%s”: aggregation “%s” is not sum, count, ratio or avg"),
                   self->id, aggregation);
      return NULL;
    }
  if ((self->aggregation == AQ_AGGREGATION_RATIO || self->aggregation == AQ_AGGREGATION_AVG)
      ? (self->numerator == NULL || self->denominator == NULL)
      : self->expr == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("indicator “%s”: a %s needs %s"), self->id, aggregation,
                   self->expr == NULL && self->numerator == NULL
                   ? _("an expression") : _("a numerator and a denominator"));
      return NULL;
    }
  if (json_object_has_member (object, "dimensions"))
    {
      JsonArray *array = json_object_get_array_member (object, "dimensions");
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      for (guint i = 0; array && i < json_array_get_length (array); i++)
        g_strv_builder_add (builder, json_array_get_string_element (array, i));
      self->only_dimensions = g_strv_builder_end (builder);
    }
  if (self->unit == NULL)
    self->unit = g_strdup ("");
  if (self->description_zh == NULL)
    self->description_zh = g_strdup ("");
  if (self->description_en == NULL)
    self->description_en = g_strdup (self->description_zh);
  return g_steal_pointer (&self);
}

/* The source's dimensions, narrowed by the indicator's own list when it has one. */
void
_aq_indicator_set_source (AqIndicator        *self,
                          const char         *from_sql,
                          const char         *grain,
                          const char * const *dims)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_free (self->grain);
  self->grain = g_strdup (grain);
  g_free (self->formula);
  if (self->aggregation == AQ_AGGREGATION_RATIO || self->aggregation == AQ_AGGREGATION_AVG)
    self->formula = g_strdup_printf ("sum(%s) / sum(%s) FROM %s", self->numerator,
                                     self->denominator, from_sql);
  else
    self->formula = g_strdup_printf ("sum(%s) FROM %s", self->expr, from_sql);
  for (guint i = 0; dims && dims[i]; i++)
    if (self->only_dimensions == NULL
        || g_strv_contains ((const char * const *) self->only_dimensions, dims[i]))
      g_strv_builder_add (builder, dims[i]);
  g_strfreev (self->dimensions);
  self->dimensions = g_strv_builder_end (builder);
}

const char *aq_indicator_get_id (AqIndicator *self) { return self->id; }
const char *aq_indicator_get_name_zh (AqIndicator *self) { return self->name_zh; }
const char *aq_indicator_get_name_en (AqIndicator *self) { return self->name_en; }
const char *aq_indicator_get_category (AqIndicator *self) { return self->category; }
const char *aq_indicator_get_unit (AqIndicator *self) { return self->unit; }
const char *aq_indicator_get_number_format (AqIndicator *self) { return self->format; }
AqAggregation aq_indicator_get_aggregation (AqIndicator *self) { return self->aggregation; }
const char *aq_indicator_get_source (AqIndicator *self) { return self->source; }
const char *aq_indicator_get_grain (AqIndicator *self) { return self->grain ? self->grain : ""; }
const char *aq_indicator_get_formula (AqIndicator *self) { return self->formula ? self->formula : ""; }
const char *_aq_indicator_get_expr (AqIndicator *self) { return self->expr; }
const char *_aq_indicator_get_numerator (AqIndicator *self) { return self->numerator; }
const char *_aq_indicator_get_denominator (AqIndicator *self) { return self->denominator; }
const char *_aq_indicator_get_description_zh (AqIndicator *self) { return self->description_zh; }
const char *_aq_indicator_get_description_en (AqIndicator *self) { return self->description_en; }

const char *
aq_indicator_get_name (AqIndicator *self)
{
  g_return_val_if_fail (AQ_IS_INDICATOR (self), NULL);
  return _aq_catalog_locale_is_zh () ? self->name_zh : self->name_en;
}

const char *
aq_indicator_get_description (AqIndicator *self)
{
  g_return_val_if_fail (AQ_IS_INDICATOR (self), NULL);
  return _aq_catalog_locale_is_zh () ? self->description_zh : self->description_en;
}

const char * const *
aq_indicator_get_dimensions (AqIndicator *self)
{
  g_return_val_if_fail (AQ_IS_INDICATOR (self), NULL);
  return (const char * const *) self->dimensions;
}

gboolean
aq_indicator_allows_dimension (AqIndicator *self,
                               const char  *dimension_id)
{
  g_return_val_if_fail (AQ_IS_INDICATOR (self), FALSE);
  return dimension_id && g_strv_contains ((const char * const *) self->dimensions, dimension_id);
}

gboolean
aq_indicator_is_percent (AqIndicator *self)
{
  g_return_val_if_fail (AQ_IS_INDICATOR (self), FALSE);
  return strchr (self->format, '%') != NULL;
}

guint
aq_indicator_get_decimals (AqIndicator *self)
{
  const char *dot;
  guint n = 0;

  g_return_val_if_fail (AQ_IS_INDICATOR (self), 0);
  dot = strchr (self->format, '.');
  if (dot == NULL)
    return 0;
  for (dot++; *dot == '0' || *dot == '#'; dot++)
    n++;
  return n;
}

static gboolean
contains_casefold (const char *haystack,
                   const char *needle)
{
  g_autofree char *h = NULL;

  if (haystack == NULL)
    return FALSE;
  h = g_utf8_casefold (haystack, -1);
  return strstr (h, needle) != NULL;
}

gboolean
aq_indicator_matches (AqIndicator *self,
                      const char  *text)
{
  g_autofree char *needle = NULL;

  g_return_val_if_fail (AQ_IS_INDICATOR (self), FALSE);
  if (text == NULL || *text == '\0')
    return TRUE;
  needle = g_utf8_casefold (text, -1);
  return contains_casefold (self->id, needle) || contains_casefold (self->name_zh, needle)
         || contains_casefold (self->name_en, needle)
         || contains_casefold (self->category, needle);
}

JsonObject *
_aq_indicator_to_json (AqIndicator *self)
{
  JsonObject *o = json_object_new ();
  JsonArray *dims = json_array_new ();

  json_object_set_string_member (o, "id", self->id);
  json_object_set_string_member (o, "name", aq_indicator_get_name (self));
  json_object_set_string_member (o, "name_zh", self->name_zh);
  json_object_set_string_member (o, "name_en", self->name_en);
  json_object_set_string_member (o, "category", self->category);
  json_object_set_string_member (o, "description", aq_indicator_get_description (self));
  json_object_set_string_member (o, "unit", self->unit);
  json_object_set_string_member (o, "format", self->format);
  json_object_set_string_member (o, "aggregation", aggregation_names[self->aggregation]);
  json_object_set_string_member (o, "source", self->source);
  json_object_set_string_member (o, "grain", aq_indicator_get_grain (self));
  json_object_set_string_member (o, "formula", aq_indicator_get_formula (self));
  for (guint i = 0; self->dimensions[i]; i++)
    json_array_add_string_element (dims, self->dimensions[i]);
  json_object_set_array_member (o, "dimensions", dims);
  return o;
}
