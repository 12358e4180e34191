/* aq-report-spec.c — a report definition: layout, parameters, sorting, calculations, formats
 *
 * Parsing checks structure and names the JSON path of anything wrong; the catalog checks
 * (known ids, allowed cuts) are in aq_report_spec_validate(), and parameter values are typed
 * by aq_report_spec_resolve_params(), so each failure names exactly what the user must fix.
 *
 * This file holds the object, its boxed parts and accessors; reading and writing the JSON,
 * with the names of the enums, is in aq-report-spec-json.c (aq-report-spec-private.h).
 */
#define G_LOG_DOMAIN "aq-report"

#include "config.h"

#include "aq-report-spec.h"
#include "aq-report-spec-private.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "aq-catalog-private.h"
#include "aq-error.h"
#include "aq-report-private.h"

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AqReportSpec, aq_report_spec, G_TYPE_OBJECT)

/* ---- boxed types ----------------------------------------------------------------------- */

AqReportField *
aq_report_field_new (const char *id)
{
  AqReportField *field = g_new0 (AqReportField, 1);

  field->id = g_strdup (id);
  field->values = g_new0 (char *, 1);
  return field;
}

AqReportField *
aq_report_field_copy (const AqReportField *field)
{
  AqReportField *copy = g_new0 (AqReportField, 1);

  copy->id = g_strdup (field->id);
  copy->calc = field->calc;
  copy->op = field->op;
  copy->values = field->values ? g_strdupv (field->values) : g_new0 (char *, 1);
  copy->label = g_strdup (field->label);
  return copy;
}

void
aq_report_field_free (AqReportField *field)
{
  if (field == NULL)
    return;
  g_free (field->id);
  g_strfreev (field->values);
  g_free (field->label);
  g_free (field);
}

AqReportParam *
aq_report_param_copy (const AqReportParam *param)
{
  AqReportParam *copy = g_memdup2 (param, sizeof *param);

  copy->name = g_strdup (param->name);
  copy->label = g_strdup (param->label);
  copy->default_value = g_strdup (param->default_value);
  copy->dimension = g_strdup (param->dimension);
  return copy;
}

void
aq_report_param_free (AqReportParam *param)
{
  if (param == NULL)
    return;
  g_free (param->name);
  g_free (param->label);
  g_free (param->default_value);
  g_free (param->dimension);
  g_free (param);
}

AqReportSort *
aq_report_sort_copy (const AqReportSort *sort)
{
  AqReportSort *copy = g_memdup2 (sort, sizeof *sort);

  copy->dimension = g_strdup (sort->dimension);
  copy->custom_order = sort->custom_order ? g_strdupv (sort->custom_order) : NULL;
  return copy;
}

void
aq_report_sort_free (AqReportSort *sort)
{
  if (sort == NULL)
    return;
  g_free (sort->dimension);
  g_strfreev (sort->custom_order);
  g_free (sort);
}

AqReportFormatRule *
aq_report_format_rule_copy (const AqReportFormatRule *rule)
{
  AqReportFormatRule *copy = g_memdup2 (rule, sizeof *rule);

  copy->op = g_strdup (rule->op);
  copy->color = g_strdup (rule->color);
  return copy;
}

void
aq_report_format_rule_free (AqReportFormatRule *rule)
{
  if (rule == NULL)
    return;
  g_free (rule->op);
  g_free (rule->color);
  g_free (rule);
}

G_DEFINE_BOXED_TYPE (AqReportField, aq_report_field, aq_report_field_copy, aq_report_field_free)
G_DEFINE_BOXED_TYPE (AqReportParam, aq_report_param, aq_report_param_copy, aq_report_param_free)
G_DEFINE_BOXED_TYPE (AqReportSort, aq_report_sort, aq_report_sort_copy, aq_report_sort_free)
G_DEFINE_BOXED_TYPE (AqReportFormatRule, aq_report_format_rule, aq_report_format_rule_copy,
                     aq_report_format_rule_free)

/* ---- GObject ---------------------------------------------------------------------------- */

static void
aq_report_spec_finalize (GObject *object)
{
  AqReportSpec *self = AQ_REPORT_SPEC (object);

  g_free (self->name);
  g_free (self->title);
  g_free (self->description);
  g_free (self->author);
  for (guint z = 0; z < AQ_REPORT_N_ZONES; z++)
    g_ptr_array_unref (self->zones[z]);
  g_ptr_array_unref (self->params);
  g_ptr_array_unref (self->sorts);
  g_ptr_array_unref (self->formats);
  G_OBJECT_CLASS (aq_report_spec_parent_class)->finalize (object);
}

static void
aq_report_spec_class_init (AqReportSpecClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aq_report_spec_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
aq_report_spec_init (AqReportSpec *self)
{
  for (guint z = 0; z < AQ_REPORT_N_ZONES; z++)
    self->zones[z] = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_report_field_free);
  self->params = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_report_param_free);
  self->sorts = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_report_sort_free);
  self->formats = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_report_format_rule_free);
  self->subtotals = TRUE;
  self->totals = TRUE;
  self->name = g_strdup ("");
  self->title = g_strdup ("");
  self->description = g_strdup ("");
  self->author = g_strdup ("");
}

static void
changed (AqReportSpec *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

AqReportSpec *
aq_report_spec_new (AqReportKind kind)
{
  AqReportSpec *self = g_object_new (AQ_TYPE_REPORT_SPEC, NULL);

  self->kind = kind;
  return self;
}

AqReportSpec *
aq_report_spec_copy (AqReportSpec *self)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (AQ_IS_REPORT_SPEC (self), NULL);
  node = aq_report_spec_to_json (self);
  return aq_report_spec_new_from_json (node, NULL);
}

/* ---- accessors -------------------------------------------------------------------------- */

#define STRING_PROP(prop) \
  const char *aq_report_spec_get_##prop (AqReportSpec *self) \
  { g_return_val_if_fail (AQ_IS_REPORT_SPEC (self), NULL); return self->prop; } \
  void aq_report_spec_set_##prop (AqReportSpec *self, const char *value) \
  { \
    g_return_if_fail (AQ_IS_REPORT_SPEC (self)); \
    if (g_strcmp0 (self->prop, value) == 0) \
      return; \
    g_free (self->prop); \
    self->prop = g_strdup (value ? value : ""); \
    changed (self); \
  }

STRING_PROP (name)
STRING_PROP (title)
STRING_PROP (description)
STRING_PROP (author)

#define SCALAR_PROP(type, prop) \
  type aq_report_spec_get_##prop (AqReportSpec *self) \
  { g_return_val_if_fail (AQ_IS_REPORT_SPEC (self), 0); return self->prop; } \
  void aq_report_spec_set_##prop (AqReportSpec *self, type value) \
  { \
    g_return_if_fail (AQ_IS_REPORT_SPEC (self)); \
    if (self->prop == value) \
      return; \
    self->prop = value; \
    changed (self); \
  }

SCALAR_PROP (AqReportKind, kind)
SCALAR_PROP (int, version)
SCALAR_PROP (gboolean, subtotals)
SCALAR_PROP (gboolean, totals)
SCALAR_PROP (guint64, limit)

gboolean
aq_report_spec_get_standard (AqReportSpec *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_SPEC (self), FALSE);
  return self->standard;
}

void
_aq_report_spec_set_standard (AqReportSpec *self,
                              gboolean      standard)
{
  self->standard = standard;
}

guint
aq_report_spec_get_n_fields (AqReportSpec *self,
                             AqReportZone  zone)
{
  g_return_val_if_fail (AQ_IS_REPORT_SPEC (self), 0);
  g_return_val_if_fail (zone < AQ_REPORT_N_ZONES, 0);
  return self->zones[zone]->len;
}

const AqReportField *
aq_report_spec_get_field (AqReportSpec *self,
                          AqReportZone  zone,
                          guint         index)
{
  g_return_val_if_fail (AQ_IS_REPORT_SPEC (self), NULL);
  g_return_val_if_fail (zone < AQ_REPORT_N_ZONES, NULL);
  g_return_val_if_fail (index < self->zones[zone]->len, NULL);
  return g_ptr_array_index (self->zones[zone], index);
}

void
aq_report_spec_add_field (AqReportSpec        *self,
                          AqReportZone         zone,
                          const AqReportField *field,
                          int                  position)
{
  GPtrArray *z;

  g_return_if_fail (AQ_IS_REPORT_SPEC (self));
  g_return_if_fail (zone < AQ_REPORT_N_ZONES);
  g_return_if_fail (field != NULL && field->id != NULL);
  z = self->zones[zone];
  if (position < 0 || (guint) position > z->len)
    position = z->len;
  g_ptr_array_insert (z, position, aq_report_field_copy (field));
  changed (self);
}

void
aq_report_spec_add (AqReportSpec *self,
                    AqReportZone  zone,
                    const char   *id,
                    int           position)
{
  g_autoptr(AqReportField) field = aq_report_field_new (id);

  aq_report_spec_add_field (self, zone, field, position);
}

void
aq_report_spec_replace_field (AqReportSpec        *self,
                              AqReportZone         zone,
                              guint                index,
                              const AqReportField *field)
{
  g_return_if_fail (AQ_IS_REPORT_SPEC (self));
  g_return_if_fail (zone < AQ_REPORT_N_ZONES);
  g_return_if_fail (index < self->zones[zone]->len);
  aq_report_field_free (self->zones[zone]->pdata[index]);
  self->zones[zone]->pdata[index] = aq_report_field_copy (field);
  changed (self);
}

/* Sort and format rules point at values by index: keep them pointing at the same value. */
static void
value_removed (AqReportSpec *self,
               guint         index)
{
  for (guint i = self->sorts->len; i-- > 0;)
    {
      AqReportSort *s = g_ptr_array_index (self->sorts, i);
      if (s->by != AQ_REPORT_SORT_VALUE)
        continue;
      if (s->value_index == index)
        g_ptr_array_remove_index (self->sorts, i);
      else if (s->value_index > index)
        s->value_index--;
    }
  for (guint i = self->formats->len; i-- > 0;)
    {
      AqReportFormatRule *r = g_ptr_array_index (self->formats, i);
      if (r->value_index == index)
        g_ptr_array_remove_index (self->formats, i);
      else if (r->value_index > index)
        r->value_index--;
    }
}

static void
value_inserted (AqReportSpec *self,
                guint         index)
{
  for (guint i = 0; i < self->sorts->len; i++)
    {
      AqReportSort *s = g_ptr_array_index (self->sorts, i);
      if (s->by == AQ_REPORT_SORT_VALUE && s->value_index >= index)
        s->value_index++;
    }
  for (guint i = 0; i < self->formats->len; i++)
    {
      AqReportFormatRule *r = g_ptr_array_index (self->formats, i);
      if (r->value_index >= index)
        r->value_index++;
    }
}

void
aq_report_spec_remove_field (AqReportSpec *self,
                             AqReportZone  zone,
                             guint         index)
{
  g_return_if_fail (AQ_IS_REPORT_SPEC (self));
  g_return_if_fail (zone < AQ_REPORT_N_ZONES);
  g_return_if_fail (index < self->zones[zone]->len);
  g_ptr_array_remove_index (self->zones[zone], index);
  if (zone == AQ_REPORT_ZONE_VALUES)
    value_removed (self, index);
  changed (self);
}

void
aq_report_spec_move_field (AqReportSpec *self,
                           AqReportZone  from_zone,
                           guint         from_index,
                           AqReportZone  to_zone,
                           int           to_position)
{
  AqReportField *field;
  GPtrArray *to;

  g_return_if_fail (AQ_IS_REPORT_SPEC (self));
  g_return_if_fail (from_zone < AQ_REPORT_N_ZONES && to_zone < AQ_REPORT_N_ZONES);
  g_return_if_fail (from_index < self->zones[from_zone]->len);

  field = g_ptr_array_steal_index (self->zones[from_zone], from_index);
  if (from_zone == AQ_REPORT_ZONE_VALUES && to_zone != AQ_REPORT_ZONE_VALUES)
    value_removed (self, from_index);
  to = self->zones[to_zone];
  if (to_position < 0 || (guint) to_position > to->len)
    to_position = to->len;
  g_ptr_array_insert (to, to_position, field);
  if (to_zone == AQ_REPORT_ZONE_VALUES && from_zone != AQ_REPORT_ZONE_VALUES)
    value_inserted (self, to_position);
  changed (self);
}

void
aq_report_spec_set_value_calc (AqReportSpec *self,
                               guint         value_index,
                               AqReportCalc  calc)
{
  AqReportField *field;

  g_return_if_fail (AQ_IS_REPORT_SPEC (self));
  g_return_if_fail (value_index < self->zones[AQ_REPORT_ZONE_VALUES]->len);
  field = g_ptr_array_index (self->zones[AQ_REPORT_ZONE_VALUES], value_index);
  if (field->calc == calc)
    return;
  field->calc = calc;
  changed (self);
}

GPtrArray *aq_report_spec_get_params (AqReportSpec *self) { return self->params; }
GPtrArray *aq_report_spec_get_sorts (AqReportSpec *self) { return self->sorts; }
GPtrArray *aq_report_spec_get_format_rules (AqReportSpec *self) { return self->formats; }

const AqReportParam *
aq_report_spec_lookup_param (AqReportSpec *self,
                             const char   *name)
{
  g_return_val_if_fail (AQ_IS_REPORT_SPEC (self), NULL);
  for (guint i = 0; name && i < self->params->len; i++)
    {
      AqReportParam *p = g_ptr_array_index (self->params, i);
      if (strcmp (p->name, name) == 0)
        return p;
    }
  return NULL;
}

void
aq_report_spec_add_param (AqReportSpec        *self,
                          const AqReportParam *param)
{
  g_return_if_fail (AQ_IS_REPORT_SPEC (self));
  g_return_if_fail (param != NULL && param->name != NULL);
  aq_report_spec_remove_param (self, param->name);
  g_ptr_array_add (self->params, aq_report_param_copy (param));
  changed (self);
}

void
aq_report_spec_remove_param (AqReportSpec *self,
                             const char   *name)
{
  g_return_if_fail (AQ_IS_REPORT_SPEC (self));
  for (guint i = 0; i < self->params->len; i++)
    {
      AqReportParam *p = g_ptr_array_index (self->params, i);
      if (strcmp (p->name, name) == 0)
        {
          g_ptr_array_remove_index (self->params, i);
          changed (self);
          return;
        }
    }
}

void
aq_report_spec_add_sort (AqReportSpec       *self,
                         const AqReportSort *sort)
{
  g_return_if_fail (AQ_IS_REPORT_SPEC (self));
  g_ptr_array_add (self->sorts, aq_report_sort_copy (sort));
  changed (self);
}

void
aq_report_spec_clear_sorts (AqReportSpec *self)
{
  g_return_if_fail (AQ_IS_REPORT_SPEC (self));
  g_ptr_array_set_size (self->sorts, 0);
  changed (self);
}

void
aq_report_spec_add_format_rule (AqReportSpec             *self,
                                const AqReportFormatRule *rule)
{
  g_return_if_fail (AQ_IS_REPORT_SPEC (self));
  g_ptr_array_add (self->formats, aq_report_format_rule_copy (rule));
  changed (self);
}

void
aq_report_spec_clear_format_rules (AqReportSpec *self)
{
  g_return_if_fail (AQ_IS_REPORT_SPEC (self));
  g_ptr_array_set_size (self->formats, 0);
  changed (self);
}
