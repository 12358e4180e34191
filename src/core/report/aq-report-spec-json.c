/* aq-report-spec-json.c — a report definition read from and written to JSON
 *
 * Parsing checks structure and names the JSON path of anything wrong (`rows[0]: …`); the
 * enums' names are the JSON's words, so they live here too. Writing gives back what was read:
 * a definition round-trips unchanged (see aq-report-spec.c for the object itself).
 */
#define G_LOG_DOMAIN "aq-report"

#include "config.h"

#include "aq-report-spec-private.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "aq-catalog-private.h"
#include "aq-error.h"
#include "aq-json-reader.h"
#include "aq-report-private.h"

static const char *zone_names[] = { "rows", "columns", "values", "filters" };
static const char *calc_names[] = { "none", "share_of_total", "mom", "yoy", "rank" };
static const char *op_names[] = { "in", "not_in", "between", "ge", "le", "condition" };
static const char *param_type_names[] = {
  "month", "month_range", "date_range", "district", "integer", "text", "member",
};

/* ---- enums ------------------------------------------------------------------------------ */

static gboolean
lookup_name (const char  *text,
             const char **names,
             guint        n,
             guint       *out)
{
  for (guint i = 0; text && i < n; i++)
    if (strcmp (text, names[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *aq_report_zone_to_string (AqReportZone zone) { return zone_names[zone]; }
const char *aq_report_calc_to_string (AqReportCalc calc) { return calc_names[calc]; }
const char *aq_report_param_type_to_string (AqReportParamType type)
{
  return param_type_names[type];
}

gboolean
aq_report_zone_from_string (const char   *text,
                            AqReportZone *zone)
{
  guint v;
  if (!lookup_name (text, zone_names, G_N_ELEMENTS (zone_names), &v))
    return FALSE;
  *zone = v;
  return TRUE;
}

gboolean
aq_report_calc_from_string (const char   *text,
                            AqReportCalc *calc)
{
  guint v;
  if (!lookup_name (text, calc_names, G_N_ELEMENTS (calc_names), &v))
    return FALSE;
  *calc = v;
  return TRUE;
}

gboolean
aq_report_param_type_from_string (const char        *text,
                                  AqReportParamType *type)
{
  guint v;
  if (!lookup_name (text, param_type_names, G_N_ELEMENTS (param_type_names), &v))
    return FALSE;
  *type = v;
  return TRUE;
}

/* ---- JSON in ---------------------------------------------------------------------------- */

static gboolean
fail (GError    **error,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (GError    **error,
      const char *format,
      ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, AQ_ERROR, AQ_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
get_string (JsonObject  *o,
            const char  *member,
            const char  *path,
            char       **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (o, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (error, _("%s%s: must be a string"), path, member);
  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_bool (JsonObject  *o,
          const char  *member,
          const char  *path,
          gboolean    *out,
          GError     **error)
{
  JsonNode *node = json_object_get_member (o, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fail (error, _("%s%s: must be true or false"), path, member);
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
get_int (JsonObject  *o,
         const char  *member,
         const char  *path,
         gint64      *out,
         GError     **error)
{
  JsonNode *node = json_object_get_member (o, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fail (error, _("%s%s: must be an integer"), path, member);
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_strv (JsonObject   *o,
          const char   *member,
          const char   *path,
          char       ***out,
          GError      **error)
{
  JsonNode *node = json_object_get_member (o, member);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, _("%s%s: must be a list of strings"), path, member);
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      if (!JSON_NODE_HOLDS_VALUE (e))
        return fail (error, _("%s%s[%u]: must be a string"), path, member, i);
      if (json_node_get_value_type (e) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (e));
      else if (json_node_get_value_type (e) == G_TYPE_INT64)
        {
          g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (e));
          g_strv_builder_add (builder, n);
        }
      else
        return fail (error, _("%s%s[%u]: must be a string"), path, member, i);
    }
  g_strfreev (*out);
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
parse_field (AqReportSpec  *self,
             AqReportZone   zone,
             JsonNode      *node,
             guint          index,
             GError       **error)
{
  g_autofree char *path = g_strdup_printf ("%s[%u].", zone_names[zone], index);
  g_autoptr(AqReportField) field = aq_report_field_new (NULL);
  g_autofree char *calc = NULL;
  g_autofree char *op = NULL;
  g_autofree char *dimension = NULL;
  g_autofree char *condition = NULL;
  JsonObject *o;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      field->id = g_strdup (json_node_get_string (node));
      g_ptr_array_add (self->zones[zone], g_steal_pointer (&field));
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, _("%s[%u]: must be an id or an object"), zone_names[zone], index);
  o = json_node_get_object (node);
  if (!get_string (o, "id", path, &field->id, error)
      || !get_string (o, "dimension", path, &dimension, error)
      || !get_string (o, "condition", path, &condition, error)
      || !get_string (o, "label", path, &field->label, error)
      || !get_string (o, "calc", path, &calc, error)
      || !get_string (o, "op", path, &op, error)
      || !get_strv (o, "values", path, &field->values, error))
    return FALSE;
  if (field->id == NULL)
    field->id = g_strdup (dimension ? dimension : condition);
  if (field->id == NULL || *field->id == '\0')
    return fail (error, _("%s[%u]: an id is required"), zone_names[zone], index);
  if (calc && !aq_report_calc_from_string (calc, &field->calc))
    return fail (error, _("%scalc: “%s” is not one of none, share_of_total, mom, yoy, rank"),
                 path, calc);
  if (calc && zone != AQ_REPORT_ZONE_VALUES)
    return fail (error, _("%scalc: only values have calculations"), path);
  if (condition)
    field->op = AQ_REPORT_FILTER_CONDITION;
  else if (op)
    {
      guint v;
      if (!lookup_name (op, op_names, G_N_ELEMENTS (op_names), &v))
        return fail (error, _("%sop: “%s” is not one of in, not_in, between, ge, le"), path, op);
      field->op = v;
    }
  if ((op || condition) && zone != AQ_REPORT_ZONE_FILTERS)
    return fail (error, _("%sop: only filters have operators"), path);
  g_ptr_array_add (self->zones[zone], g_steal_pointer (&field));
  return TRUE;
}

static gboolean
parse_param (AqReportSpec  *self,
             JsonNode      *node,
             guint          index,
             GError       **error)
{
  g_autofree char *path = g_strdup_printf ("parameters[%u].", index);
  g_autoptr(AqReportParam) p = g_new0 (AqReportParam, 1);
  g_autofree char *type = NULL;
  JsonObject *o;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, _("parameters[%u]: must be an object"), index);
  o = json_node_get_object (node);
  if (!get_string (o, "name", path, &p->name, error)
      || !get_string (o, "type", path, &type, error)
      || !get_string (o, "label", path, &p->label, error)
      || !get_string (o, "default", path, &p->default_value, error)
      || !get_string (o, "dimension", path, &p->dimension, error)
      || !get_int (o, "min", path, &p->min, error)
      || !get_int (o, "max", path, &p->max, error))
    return FALSE;
  if (p->name == NULL || *p->name == '\0')
    return fail (error, _("%sname: is required"), path);
  for (const char *c = p->name; *c; c++)
    if (!g_ascii_isalnum (*c) && *c != '_')
      return fail (error, _("%sname: “%s” may hold only letters, digits and “_”"), path,
                   p->name);
  if (type == NULL)
    return fail (error, _("%stype: is required"), path);
  if (!aq_report_param_type_from_string (type, &p->type))
    return fail (error, _("%stype: “%s” is not one of month, month_range, date_range, "
                          "district, integer, text, member"), path, type);
  if (p->min > p->max)
    return fail (error, _("%smin: is larger than max"), path);
  if (p->label == NULL)
    p->label = g_strdup (p->name);
  if (aq_report_spec_lookup_param (self, p->name))
    return fail (error, _("%sname: “%s” is declared twice"), path, p->name);
  g_ptr_array_add (self->params, g_steal_pointer (&p));
  return TRUE;
}

static gboolean
parse_sort (AqReportSpec  *self,
            JsonNode      *node,
            guint          index,
            GError       **error)
{
  g_autofree char *path = g_strdup_printf ("sort[%u].", index);
  g_autoptr(AqReportSort) s = g_new0 (AqReportSort, 1);
  gint64 value = -1;
  JsonObject *o;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, _("sort[%u]: must be an object"), index);
  o = json_node_get_object (node);
  if (!get_string (o, "dimension", path, &s->dimension, error)
      || !get_int (o, "value", path, &value, error)
      || !get_bool (o, "descending", path, &s->descending, error)
      || !get_bool (o, "within_groups", path, &s->within_groups, error)
      || !get_strv (o, "order", path, &s->custom_order, error))
    return FALSE;
  if ((s->dimension == NULL) == (value < 0))
    return fail (error, _("%s: needs either “dimension” or “value”"), path);
  if (value >= 0)
    {
      s->by = AQ_REPORT_SORT_VALUE;
      s->value_index = value;
    }
  g_ptr_array_add (self->sorts, g_steal_pointer (&s));
  return TRUE;
}

static gboolean
parse_format (AqReportSpec  *self,
              JsonNode      *node,
              guint          index,
              GError       **error)
{
  g_autofree char *path = g_strdup_printf ("formats[%u].", index);
  g_autoptr(AqReportFormatRule) r = g_new0 (AqReportFormatRule, 1);
  static const char *ops[] = { "<", "<=", ">", ">=", "=", "!=" };
  gint64 value = -1;
  guint v;
  JsonObject *o;
  JsonNode *t;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, _("formats[%u]: must be an object"), index);
  o = json_node_get_object (node);
  if (!get_int (o, "value", path, &value, error)
      || !get_string (o, "op", path, &r->op, error)
      || !get_string (o, "color", path, &r->color, error))
    return FALSE;
  if (value < 0)
    return fail (error, _("%svalue: the index of a value is required"), path);
  r->value_index = value;
  if (!lookup_name (r->op, ops, G_N_ELEMENTS (ops), &v))
    return fail (error, _("%sop: must be one of <, <=, >, >=, =, !="), path);
  t = json_object_get_member (o, "threshold");
  if (t == NULL || !JSON_NODE_HOLDS_VALUE (t)
      || (json_node_get_value_type (t) != G_TYPE_DOUBLE
          && json_node_get_value_type (t) != G_TYPE_INT64))
    return fail (error, _("%sthreshold: must be a number"), path);
  r->threshold = json_node_get_double (t);
  if (r->color == NULL || r->color[0] != '#' || strlen (r->color) != 7
      || strspn (r->color + 1, "0123456789abcdefABCDEF") != 6)
    return fail (error, _("%scolor: must be “#rrggbb”"), path);
  g_ptr_array_add (self->formats, g_steal_pointer (&r));
  return TRUE;
}

typedef gboolean (*ParseFunc) (AqReportSpec *, JsonNode *, guint, GError **);

static gboolean
parse_array (AqReportSpec  *self,
             JsonObject    *o,
             const char    *member,
             ParseFunc      parse,
             GError       **error)
{
  JsonNode *node = json_object_get_member (o, member);
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, _("%s: must be a list"), member);
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!parse (self, json_array_get_element (array, i), i, error))
      return FALSE;
  return TRUE;
}

AqReportSpec *
aq_report_spec_new_from_json (JsonNode  *node,
                              GError   **error)
{
  g_autoptr(AqReportSpec) self = aq_report_spec_new (AQ_REPORT_KIND_PIVOT);
  g_autofree char *kind = NULL;
  gint64 version = 0, limit = 0;
  JsonObject *o;
  static const char *known[] = {
    "name", "title", "description", "kind", "author", "version", "standard", "rows",
    "columns", "values", "filters", "parameters", "sort", "formats", "subtotals", "totals",
    "limit",
  };

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, _("the report definition must be a JSON object"));
      return NULL;
    }
  o = json_node_get_object (node);
  {
    JsonObjectIter iter;
    const char *member;
    JsonNode *value;

    json_object_iter_init (&iter, o);
    while (json_object_iter_next (&iter, &member, &value))
      if (!g_strv_contains (known, member))
        {
          fail (error, _("%s: unknown field"), member);
          return NULL;
        }
  }
  if (!get_string (o, "name", "", &self->name, error)
      || !get_string (o, "title", "", &self->title, error)
      || !get_string (o, "description", "", &self->description, error)
      || !get_string (o, "author", "", &self->author, error)
      || !get_string (o, "kind", "", &kind, error)
      || !get_int (o, "version", "", &version, error)
      || !get_int (o, "limit", "", &limit, error)
      || !get_bool (o, "standard", "", &self->standard, error)
      || !get_bool (o, "subtotals", "", &self->subtotals, error)
      || !get_bool (o, "totals", "", &self->totals, error))
    return NULL;
  if (kind && strcmp (kind, "list") == 0)
    self->kind = AQ_REPORT_KIND_LIST;
  else if (kind && strcmp (kind, "pivot") != 0)
    {
      fail (error, _("kind: “%s” is not pivot or list"), kind);
      return NULL;
    }
  if (version < 0 || limit < 0)
    {
      fail (error, version < 0 ? _("version: must not be negative")
                               : _("limit: must not be negative"));
      return NULL;
    }
  self->version = version;
  self->limit = limit;

  for (guint z = 0; z < AQ_REPORT_N_ZONES; z++)
    {
      JsonNode *zn = json_object_get_member (o, zone_names[z]);
      JsonArray *array;

      if (zn == NULL || JSON_NODE_HOLDS_NULL (zn))
        continue;
      if (!JSON_NODE_HOLDS_ARRAY (zn))
        {
          fail (error, _("%s: must be a list"), zone_names[z]);
          return NULL;
        }
      array = json_node_get_array (zn);
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!parse_field (self, z, json_array_get_element (array, i), i, error))
          return NULL;
    }
  if (!parse_array (self, o, "parameters", parse_param, error)
      || !parse_array (self, o, "sort", parse_sort, error)
      || !parse_array (self, o, "formats", parse_format, error))
    return NULL;
  return g_steal_pointer (&self);
}

AqReportSpec *
aq_report_spec_new_from_data (const char  *json,
                              gssize       length,
                              GError     **error)
{
  g_autoptr(JsonNode) root = aq_json_read (json, length, AQ_JSON_LIMIT_DEFINITION, error);

  if (root == NULL)
    return NULL;
  return aq_report_spec_new_from_json (root, error);
}

AqReportSpec *
aq_report_spec_new_from_file (GFile   *file,
                              GError **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  AqReportSpec *spec;

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, error))
    return NULL;
  spec = aq_report_spec_new_from_data (contents, length, error);
  if (spec == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_prefix_error (error, "%s: ", name);
    }
  return spec;
}

/* ---- JSON out --------------------------------------------------------------------------- */

static JsonNode *
field_to_json (AqReportZone         zone,
               const AqReportField *f)
{
  JsonObject *o;
  JsonNode *node;

  if (f->label == NULL && f->calc == AQ_REPORT_CALC_NONE
      && (zone != AQ_REPORT_ZONE_FILTERS))
    {
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, f->id);
      return node;
    }
  o = json_object_new ();
  if (zone == AQ_REPORT_ZONE_FILTERS)
    {
      json_object_set_string_member (o, f->op == AQ_REPORT_FILTER_CONDITION ? "condition"
                                                                           : "dimension",
                                     f->id);
      if (f->op != AQ_REPORT_FILTER_CONDITION)
        json_object_set_string_member (o, "op", op_names[f->op]);
      {
        JsonArray *values = json_array_new ();
        for (guint i = 0; f->values && f->values[i]; i++)
          json_array_add_string_element (values, f->values[i]);
        json_object_set_array_member (o, "values", values);
      }
    }
  else
    json_object_set_string_member (o, "id", f->id);
  if (f->calc != AQ_REPORT_CALC_NONE)
    json_object_set_string_member (o, "calc", calc_names[f->calc]);
  if (f->label)
    json_object_set_string_member (o, "label", f->label);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, o);
  return node;
}

JsonNode *
aq_report_spec_to_json (AqReportSpec *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (AQ_IS_REPORT_SPEC (self), NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, self->name);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, self->title);
  if (*self->description)
    {
      json_builder_set_member_name (b, "description");
      json_builder_add_string_value (b, self->description);
    }
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, self->kind == AQ_REPORT_KIND_LIST ? "list" : "pivot");
  json_builder_set_member_name (b, "author");
  json_builder_add_string_value (b, self->author);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, self->version);
  if (self->standard)
    {
      json_builder_set_member_name (b, "standard");
      json_builder_add_boolean_value (b, TRUE);
    }
  for (guint z = 0; z < AQ_REPORT_N_ZONES; z++)
    {
      json_builder_set_member_name (b, zone_names[z]);
      json_builder_begin_array (b);
      for (guint i = 0; i < self->zones[z]->len; i++)
        json_builder_add_value (b, field_to_json (z, g_ptr_array_index (self->zones[z], i)));
      json_builder_end_array (b);
    }
  json_builder_set_member_name (b, "parameters");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->params->len; i++)
    {
      AqReportParam *p = g_ptr_array_index (self->params, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, p->name);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, param_type_names[p->type]);
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, p->label);
      if (p->default_value)
        {
          json_builder_set_member_name (b, "default");
          json_builder_add_string_value (b, p->default_value);
        }
      if (p->dimension)
        {
          json_builder_set_member_name (b, "dimension");
          json_builder_add_string_value (b, p->dimension);
        }
      if (p->min || p->max)
        {
          json_builder_set_member_name (b, "min");
          json_builder_add_int_value (b, p->min);
          json_builder_set_member_name (b, "max");
          json_builder_add_int_value (b, p->max);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "sort");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->sorts->len; i++)
    {
      AqReportSort *s = g_ptr_array_index (self->sorts, i);
      json_builder_begin_object (b);
      if (s->by == AQ_REPORT_SORT_VALUE)
        {
          json_builder_set_member_name (b, "value");
          json_builder_add_int_value (b, s->value_index);
          json_builder_set_member_name (b, "within_groups");
          json_builder_add_boolean_value (b, s->within_groups);
        }
      else
        {
          json_builder_set_member_name (b, "dimension");
          json_builder_add_string_value (b, s->dimension);
        }
      json_builder_set_member_name (b, "descending");
      json_builder_add_boolean_value (b, s->descending);
      if (s->custom_order)
        {
          json_builder_set_member_name (b, "order");
          json_builder_begin_array (b);
          for (guint k = 0; s->custom_order[k]; k++)
            json_builder_add_string_value (b, s->custom_order[k]);
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "formats");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->formats->len; i++)
    {
      AqReportFormatRule *r = g_ptr_array_index (self->formats, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "value");
      json_builder_add_int_value (b, r->value_index);
      json_builder_set_member_name (b, "op");
      json_builder_add_string_value (b, r->op);
      json_builder_set_member_name (b, "threshold");
      json_builder_add_double_value (b, r->threshold);
      json_builder_set_member_name (b, "color");
      json_builder_add_string_value (b, r->color);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "subtotals");
  json_builder_add_boolean_value (b, self->subtotals);
  json_builder_set_member_name (b, "totals");
  json_builder_add_boolean_value (b, self->totals);
  if (self->limit)
    {
      json_builder_set_member_name (b, "limit");
      json_builder_add_int_value (b, self->limit);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

char *
aq_report_spec_to_data (AqReportSpec *self,
                        gsize        *length)
{
  g_autoptr(JsonNode) node = aq_report_spec_to_json (self);
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, length);
}
