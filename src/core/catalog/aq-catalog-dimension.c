/* aq-catalog-dimension.c — one dimension of the indicator catalog
 *
 * A dimension knows how its keys are labelled (a lookup table, an expression, or the key
 * itself) and, when small, its members; which column holds it is the source's business
 * (aq-catalog.c), so one "district" serves every cube.
 */
#define G_LOG_DOMAIN "aq-catalog"

#include "config.h"
#include <glib/gi18n.h>

#include "aq-catalog-private.h"

#include <string.h>

#include "aq-error.h"

struct _AqDimension
{
  GObject          parent_instance;
  char            *id;
  char            *name_zh;
  char            *name_en;
  char            *category;
  char            *description;
  AqDimensionKind  kind;
  char            *value_type;
  char            *key_type;
  char            *label_table;
  char            *label_key;
  char            *label_column;
  char            *label_expr;
  char            *members_sql;
  GPtrArray       *members;
  GHashTable      *labels;
};

G_DEFINE_FINAL_TYPE (AqDimension, aq_dimension, G_TYPE_OBJECT)

static const char *kind_names[] = { "time", "geo", "attribute" };

void
_aq_dimension_member_free (AqDimensionMember *member)
{
  g_free (member->key);
  g_free (member->label);
  g_free (member);
}

static void
aq_dimension_finalize (GObject *object)
{
  AqDimension *self = AQ_DIMENSION (object);

  g_free (self->id);
  g_free (self->name_zh);
  g_free (self->name_en);
  g_free (self->category);
  g_free (self->description);
  g_free (self->value_type);
  g_free (self->key_type);
  g_free (self->label_table);
  g_free (self->label_key);
  g_free (self->label_column);
  g_free (self->label_expr);
  g_free (self->members_sql);
  g_clear_pointer (&self->members, g_ptr_array_unref);
  g_clear_pointer (&self->labels, g_hash_table_unref);
  G_OBJECT_CLASS (aq_dimension_parent_class)->finalize (object);
}

static void
aq_dimension_class_init (AqDimensionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aq_dimension_finalize;
}

static void
aq_dimension_init (AqDimension *self)
{
}

const char *
aq_dimension_kind_to_string (AqDimensionKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

static char *
dup_member (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

AqDimension *
_aq_dimension_new_from_json (JsonObject  *object,
                             GError     **error)
{
  g_autoptr(AqDimension) self = g_object_new (AQ_TYPE_DIMENSION, NULL);
  g_autofree char *kind = NULL;
  JsonObject *label;

  self->id = dup_member (object, "id");
  self->name_zh = dup_member (object, "name_zh");
  self->name_en = dup_member (object, "name_en");
  self->category = dup_member (object, "category");
  kind = dup_member (object, "kind");
  if (!self->id || !self->name_zh || !self->name_en || !self->category || !kind)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("dimension “%s”: id, name_zh, name_en, category and kind are required"),
                   self->id ? self->id : "?");
      return NULL;
    }
  self->kind = G_N_ELEMENTS (kind_names);
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (strcmp (kind, kind_names[i]) == 0)
      self->kind = i;
  if (self->kind == G_N_ELEMENTS (kind_names))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("dimension “%s”: kind “%s” is not time, geo or attribute"), self->id, kind);
      return NULL;
    }
  self->description = dup_member (object, "description");
  if (self->description == NULL)
    self->description = g_strdup ("");
  self->value_type = dup_member (object, "value_type");
  if (self->value_type == NULL)
    self->value_type = g_strdup ("text");
  self->key_type = dup_member (object, "key_type");
  if (self->key_type == NULL)
    self->key_type = g_strdup ("text");
  self->label_expr = dup_member (object, "label_expr");
  self->members_sql = dup_member (object, "members_sql");
  if (json_object_has_member (object, "label")
      && (label = json_object_get_object_member (object, "label")) != NULL)
    {
      self->label_table = dup_member (label, "table");
      self->label_key = dup_member (label, "key");
      self->label_column = dup_member (label, "column");
      if (!self->label_table || !self->label_key || !self->label_column)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("dimension “%s”: label needs table, key and column"), self->id);
          return NULL;
        }
    }
  /* Small fixed code lists carry their labels in the catalog itself. */
  if (json_object_has_member (object, "members"))
    {
      JsonArray *array = json_object_get_array_member (object, "members");
      g_autoptr(GPtrArray) members =
        g_ptr_array_new_with_free_func ((GDestroyNotify) _aq_dimension_member_free);

      for (guint i = 0; array && i < json_array_get_length (array); i++)
        {
          JsonObject *mo = json_array_get_object_element (array, i);
          AqDimensionMember *m = g_new0 (AqDimensionMember, 1);

          m->key = mo ? dup_member (mo, "key") : NULL;
          m->label = mo ? dup_member (mo, "label") : NULL;
          if (m->key == NULL || m->label == NULL)
            {
              _aq_dimension_member_free (m);
              g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                           _("dimension “%s”: members[%u] needs key and label"), self->id, i);
              return NULL;
            }
          g_ptr_array_add (members, m);
        }
      _aq_dimension_set_members (self, members);
    }
  return g_steal_pointer (&self);
}

void
_aq_dimension_set_members (AqDimension *self,
                           GPtrArray   *members)
{
  g_clear_pointer (&self->members, g_ptr_array_unref);
  g_clear_pointer (&self->labels, g_hash_table_unref);
  if (members == NULL)
    return;
  self->members = g_ptr_array_ref (members);
  self->labels = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < members->len; i++)
    {
      AqDimensionMember *m = g_ptr_array_index (members, i);
      g_hash_table_insert (self->labels, m->key, m->label);
    }
}

const char *aq_dimension_get_id (AqDimension *self) { return self->id; }
const char *aq_dimension_get_name_zh (AqDimension *self) { return self->name_zh; }
const char *aq_dimension_get_name_en (AqDimension *self) { return self->name_en; }
const char *aq_dimension_get_category (AqDimension *self) { return self->category; }
const char *aq_dimension_get_description (AqDimension *self) { return self->description; }
AqDimensionKind aq_dimension_get_kind (AqDimension *self) { return self->kind; }
const char *aq_dimension_get_value_type (AqDimension *self) { return self->value_type; }
GPtrArray *aq_dimension_get_members (AqDimension *self) { return self->members; }
const char *_aq_dimension_get_key_type (AqDimension *self) { return self->key_type; }
const char *_aq_dimension_get_label_table (AqDimension *self) { return self->label_table; }
const char *_aq_dimension_get_label_key (AqDimension *self) { return self->label_key; }
const char *_aq_dimension_get_label_column (AqDimension *self) { return self->label_column; }
const char *_aq_dimension_get_label_expr (AqDimension *self) { return self->label_expr; }
const char *_aq_dimension_get_members_sql (AqDimension *self) { return self->members_sql; }

const char *
aq_dimension_get_name (AqDimension *self)
{
  g_return_val_if_fail (AQ_IS_DIMENSION (self), NULL);
  return _aq_catalog_locale_is_zh () ? self->name_zh : self->name_en;
}

const char *
aq_dimension_get_member_label (AqDimension *self,
                               const char  *key)
{
  g_return_val_if_fail (AQ_IS_DIMENSION (self), NULL);
  if (self->labels == NULL || key == NULL)
    return NULL;
  return g_hash_table_lookup (self->labels, key);
}

gboolean
aq_dimension_matches (AqDimension *self,
                      const char  *text)
{
  g_autofree char *needle = NULL;
  const char *fields[] = { self->id, self->name_zh, self->name_en, self->category };

  g_return_val_if_fail (AQ_IS_DIMENSION (self), FALSE);
  if (text == NULL || *text == '\0')
    return TRUE;
  needle = g_utf8_casefold (text, -1);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *h = fields[i] ? g_utf8_casefold (fields[i], -1) : NULL;
      if (h && strstr (h, needle))
        return TRUE;
    }
  return FALSE;
}

JsonObject *
_aq_dimension_to_json (AqDimension *self)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "id", self->id);
  json_object_set_string_member (o, "name", aq_dimension_get_name (self));
  json_object_set_string_member (o, "name_zh", self->name_zh);
  json_object_set_string_member (o, "name_en", self->name_en);
  json_object_set_string_member (o, "category", self->category);
  json_object_set_string_member (o, "kind", kind_names[self->kind]);
  json_object_set_string_member (o, "value_type", self->value_type);
  if (self->members)
    {
      JsonArray *members = json_array_new ();
      for (guint i = 0; i < self->members->len; i++)
        {
          AqDimensionMember *m = g_ptr_array_index (self->members, i);
          JsonObject *mo = json_object_new ();
          json_object_set_string_member (mo, "key", m->key);
          json_object_set_string_member (mo, "label", m->label);
          json_array_add_object_element (members, mo);
        }
      json_object_set_array_member (o, "members", members);
    }
  return o;
}
