/* aq-catalog.c — the indicator catalog: what a report can show and how it can be cut
 *
 * The shipped catalog is three JSON files (data/catalog/: dimensions, sources with their
 * conditions, indicators) compiled in as resources; aq_catalog_seed() (warehouse floor)
 * copies them into meta.dimension / meta.catalog_source / meta.indicator, where a warehouse's
 * own additions live beside them, and aq_catalog_load() reads them back with the members of
 * the small dimensions. The same parser reads both, so the warehouse and the builtin catalog agree.
 */
#define G_LOG_DOMAIN "aq-catalog"

#include "config.h"
#include <glib/gi18n.h>

#include "aq-catalog-private.h"

#include <string.h>

#include "aq-db.h"
#include "aq-db-job.h"
#include "aq-error.h"
#include "aq-json-reader.h"

#define CATALOG_RESOURCE_DIR "/org/aqueduct/Aqueduct/catalog/"

struct _AqCatalog
{
  GObject     parent_instance;
  GListStore *indicators;
  GListStore *dimensions;
  GHashTable *indicator_by_id;
  GHashTable *dimension_by_id;
  GHashTable *sources;      /* id → AqCatalogSource */
  GHashTable *conditions;   /* id → AqCatalogCondition */
};

G_DEFINE_FINAL_TYPE (AqCatalog, aq_catalog, G_TYPE_OBJECT)

gboolean
_aq_catalog_locale_is_zh (void)
{
  const char * const *langs = g_get_language_names ();

  return langs && langs[0] && g_str_has_prefix (langs[0], "zh");
}

static void
source_free (AqCatalogSource *source)
{
  g_free (source->id);
  g_free (source->from_sql);
  g_free (source->grain);
  g_free (source->detail);
  g_strfreev (source->detail_rows);
  g_strfreev (source->detail_values);
  g_clear_pointer (&source->dims, g_hash_table_unref);
  g_free (source);
}

static void
condition_free (AqCatalogCondition *condition)
{
  g_free (condition->id);
  g_free (condition->name_zh);
  g_free (condition->name_en);
  g_free (condition->source);
  g_free (condition->sql);
  g_strfreev (condition->arg_names);
  g_strfreev (condition->arg_types);
  g_free (condition);
}

static void
aq_catalog_finalize (GObject *object)
{
  AqCatalog *self = AQ_CATALOG (object);

  g_clear_object (&self->indicators);
  g_clear_object (&self->dimensions);
  g_clear_pointer (&self->indicator_by_id, g_hash_table_unref);
  g_clear_pointer (&self->dimension_by_id, g_hash_table_unref);
  g_clear_pointer (&self->sources, g_hash_table_unref);
  g_clear_pointer (&self->conditions, g_hash_table_unref);
  G_OBJECT_CLASS (aq_catalog_parent_class)->finalize (object);
}

static void
aq_catalog_class_init (AqCatalogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aq_catalog_finalize;
}

static void
aq_catalog_init (AqCatalog *self)
{
  self->indicators = g_list_store_new (AQ_TYPE_INDICATOR);
  self->dimensions = g_list_store_new (AQ_TYPE_DIMENSION);
  self->indicator_by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 g_object_unref);
  self->dimension_by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 g_object_unref);
  self->sources = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) source_free);
  self->conditions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            (GDestroyNotify) condition_free);
}

/* ---- parsing ---------------------------------------------------------------------------- */

static char *
obj_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

static char **
obj_strv (JsonObject *object,
          const char *member)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node = json_object_get_member (object, member);

  if (node && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *e = json_array_get_element (array, i);
          if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (e));
        }
    }
  return g_strv_builder_end (builder);
}

static gboolean
add_dimension (AqCatalog  *self,
               JsonObject *object,
               GError    **error)
{
  g_autoptr(AqDimension) dim = _aq_dimension_new_from_json (object, error);

  if (dim == NULL)
    return FALSE;
  if (g_hash_table_contains (self->dimension_by_id, aq_dimension_get_id (dim)))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("dimension “%s” is defined twice"),
                   aq_dimension_get_id (dim));
      return FALSE;
    }
  g_hash_table_insert (self->dimension_by_id, g_strdup (aq_dimension_get_id (dim)),
                       g_object_ref (dim));
  g_list_store_append (self->dimensions, dim);
  return TRUE;
}

static gboolean
add_source (AqCatalog  *self,
            JsonObject *object,
            GError    **error)
{
  AqCatalogSource *source = g_new0 (AqCatalogSource, 1);
  JsonNode *dims;

  source->id = obj_string (object, "id");
  source->from_sql = obj_string (object, "from");
  source->grain = obj_string (object, "grain");
  source->detail = obj_string (object, "detail");
  source->detail_rows = obj_strv (object, "detail_rows");
  source->detail_values = obj_strv (object, "detail_values");
  source->dims = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  dims = json_object_get_member (object, "dimensions");
  if (!source->id || !source->from_sql || !dims || !JSON_NODE_HOLDS_OBJECT (dims))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("source “%s”: id, from and dimensions are required"),
                   source->id ? source->id : "?");
      source_free (source);
      return FALSE;
    }
  if (source->grain == NULL)
    source->grain = g_strdup ("");
  {
    JsonObjectIter iter;
    const char *name;
    JsonNode *expr;

    json_object_iter_init (&iter, json_node_get_object (dims));
    while (json_object_iter_next (&iter, &name, &expr))
      {
        if (!g_hash_table_contains (self->dimension_by_id, name))
          {
            g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                         _("source “%s”: unknown dimension “%s”"), source->id, name);
            source_free (source);
            return FALSE;
          }
        g_hash_table_insert (source->dims, g_strdup (name),
                             g_strdup (json_node_get_string (expr)));
      }
  }
  g_hash_table_replace (self->sources, source->id, source);

  if (json_object_has_member (object, "conditions"))
    {
      JsonArray *conds = json_object_get_array_member (object, "conditions");
      for (guint i = 0; conds && i < json_array_get_length (conds); i++)
        {
          JsonObject *co = json_array_get_object_element (conds, i);
          AqCatalogCondition *c = g_new0 (AqCatalogCondition, 1);

          c->id = obj_string (co, "id");
          c->name_zh = obj_string (co, "name_zh");
          c->name_en = obj_string (co, "name_en");
          c->sql = obj_string (co, "sql");
          c->source = g_strdup (source->id);
          c->arg_names = obj_strv (co, "args");
          c->arg_types = obj_strv (co, "arg_types");
          if (!c->id || !c->sql
              || g_strv_length (c->arg_names) != g_strv_length (c->arg_types))
            {
              g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                           _("source “%s”: condition %u needs id, sql and one type per arg"),
                           source->id, i);
              condition_free (c);
              return FALSE;
            }
          g_hash_table_replace (self->conditions, c->id, c);
        }
    }
  return TRUE;
}

static gboolean
add_indicator (AqCatalog  *self,
               JsonObject *object,
               GError    **error)
{
  g_autoptr(AqIndicator) ind = _aq_indicator_new_from_json (object, error);
  AqCatalogSource *source;
  g_autofree const char **dims = NULL;

  if (ind == NULL)
    return FALSE;
  source = g_hash_table_lookup (self->sources, aq_indicator_get_source (ind));
  if (source == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("indicator “%s”: unknown source “%s”"),
                   aq_indicator_get_id (ind), aq_indicator_get_source (ind));
      return FALSE;
    }
  if (g_hash_table_contains (self->indicator_by_id, aq_indicator_get_id (ind)))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("indicator “%s” is defined twice"),
                   aq_indicator_get_id (ind));
      return FALSE;
    }
  /* The dimensions in catalog order, not hash order, so a UI lists them stably. */
  {
    g_autoptr(GPtrArray) ordered = g_ptr_array_new ();
    guint n = g_list_model_get_n_items (G_LIST_MODEL (self->dimensions));

    for (guint i = 0; i < n; i++)
      {
        g_autoptr(AqDimension) d = g_list_model_get_item (G_LIST_MODEL (self->dimensions), i);
        if (g_hash_table_contains (source->dims, aq_dimension_get_id (d)))
          g_ptr_array_add (ordered, (gpointer) aq_dimension_get_id (d));
      }
    g_ptr_array_add (ordered, NULL);
    _aq_indicator_set_source (ind, source->from_sql, source->grain,
                              (const char * const *) ordered->pdata);
  }
  g_hash_table_insert (self->indicator_by_id, g_strdup (aq_indicator_get_id (ind)),
                       g_object_ref (ind));
  g_list_store_append (self->indicators, ind);
  return TRUE;
}

typedef gboolean (*AddFunc) (AqCatalog *, JsonObject *, GError **);

static gboolean
add_all (AqCatalog  *self,
         JsonArray  *array,
         AddFunc     add,
         GError    **error)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("catalog entry %u is not an object"),
                       i);
          return FALSE;
        }
      if (!add (self, json_node_get_object (node), error))
        return FALSE;
    }
  return TRUE;
}

/* The builtin catalog's JSON arrays, by file name. */
JsonArray *_aq_catalog_builtin_array (const char *name, GError **error);

JsonArray *
_aq_catalog_builtin_array (const char  *name,
                           GError     **error)
{
  g_autofree char *path = g_strconcat (CATALOG_RESOURCE_DIR, name, NULL);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  g_autoptr(JsonNode) root = NULL;

  if (bytes == NULL)
    return NULL;
  root = aq_json_read (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                       AQ_JSON_LIMIT_NONE, error);
  if (root == NULL)
    {
      g_prefix_error (error, "%s: ", name);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("%s: not a JSON array"), name);
      return NULL;
    }
  return json_array_ref (json_node_get_array (root));
}

AqCatalog *
aq_catalog_new_builtin (GError **error)
{
  g_autoptr(AqCatalog) self = g_object_new (AQ_TYPE_CATALOG, NULL);
  static const struct { const char *file; AddFunc add; } parts[] = {
    { "dimensions.json", add_dimension },
    { "sources.json", add_source },
    { "indicators.json", add_indicator },
  };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_autoptr(JsonArray) array = _aq_catalog_builtin_array (parts[i].file, error);
      if (array == NULL || !add_all (self, array, parts[i].add, error))
        return NULL;
    }
  return g_steal_pointer (&self);
}

/* ---- loading from the warehouse --------------------------------------------------------- */

static gboolean
load_table (AqCatalog  *self,
            AqDb       *db,
            const char *sql,
            AddFunc     add,
            GError    **error)
{
  g_autoptr(PGresult) res = aq_db_query (db, sql, 0, NULL, error);

  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      g_autoptr(JsonNode) root = aq_json_read (PQgetvalue (res, i, 0), -1,
                                               AQ_JSON_LIMIT_DEFINITION, error);

      if (root == NULL)
        return FALSE;
      if (!JSON_NODE_HOLDS_OBJECT (root))
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("catalog row %d is not an object"), i);
          return FALSE;
        }
      if (!add (self, json_node_get_object (root), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
load_members (AqCatalog    *self,
              AqDb         *db,
              GCancellable *cancellable,
              GError      **error)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->dimensions));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AqDimension) dim = g_list_model_get_item (G_LIST_MODEL (self->dimensions), i);
      const char *sql = _aq_dimension_get_members_sql (dim);
      g_autoptr(PGresult) res = NULL;
      g_autoptr(GPtrArray) members = NULL;

      if (sql == NULL)
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      res = aq_db_query (db, sql, 0, NULL, error);
      if (res == NULL)
        {
          g_prefix_error (error, _("dimension “%s” members: "), aq_dimension_get_id (dim));
          return FALSE;
        }
      members = g_ptr_array_new_with_free_func ((GDestroyNotify) _aq_dimension_member_free);
      for (int r = 0; r < PQntuples (res); r++)
        {
          AqDimensionMember *m = g_new0 (AqDimensionMember, 1);
          m->key = g_strdup (PQgetvalue (res, r, 0));
          m->label = g_strdup (PQnfields (res) > 1 && !PQgetisnull (res, r, 1)
                               ? PQgetvalue (res, r, 1) : m->key);
          g_ptr_array_add (members, m);
        }
      _aq_dimension_set_members (dim, members);
    }
  return TRUE;
}

AqCatalog *
aq_catalog_load (AqDb          *db,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(AqCatalog) self = g_object_new (AQ_TYPE_CATALOG, NULL);

  g_return_val_if_fail (AQ_IS_DB (db), NULL);

  if (!load_table (self, db, "SELECT definition FROM meta.dimension ORDER BY position, id",
                   add_dimension, error)
      || !load_table (self, db, "SELECT definition FROM meta.catalog_source ORDER BY id",
                      add_source, error)
      || !load_table (self, db, "SELECT definition FROM meta.indicator ORDER BY position, id",
                      add_indicator, error)
      || !load_members (self, db, cancellable, error))
    return NULL;
  return g_steal_pointer (&self);
}

static gpointer
load_job (AqDb          *db,
          gpointer       task_data,
          GCancellable  *cancellable,
          GError       **error)
{
  return aq_catalog_load (db, cancellable, error);
}

void
aq_catalog_load_async (const char          *conninfo,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  aq_db_job_run_async (conninfo, aq_catalog_load_async, load_job, NULL, NULL, g_object_unref,
                       cancellable, callback, user_data);
}

AqCatalog *
aq_catalog_load_finish (GAsyncResult  *result,
                        GError       **error)
{
  return aq_db_job_run_finish (result, aq_catalog_load_async, error);
}

/* ---- lookups ---------------------------------------------------------------------------- */

GListModel *
aq_catalog_get_indicators (AqCatalog *self)
{
  g_return_val_if_fail (AQ_IS_CATALOG (self), NULL);
  return G_LIST_MODEL (self->indicators);
}

GListModel *
aq_catalog_get_dimensions (AqCatalog *self)
{
  g_return_val_if_fail (AQ_IS_CATALOG (self), NULL);
  return G_LIST_MODEL (self->dimensions);
}

AqIndicator *
aq_catalog_lookup_indicator (AqCatalog  *self,
                             const char *id)
{
  g_return_val_if_fail (AQ_IS_CATALOG (self), NULL);
  return id ? g_hash_table_lookup (self->indicator_by_id, id) : NULL;
}

AqDimension *
aq_catalog_lookup_dimension (AqCatalog  *self,
                             const char *id)
{
  g_return_val_if_fail (AQ_IS_CATALOG (self), NULL);
  return id ? g_hash_table_lookup (self->dimension_by_id, id) : NULL;
}

GListModel *
aq_catalog_search_indicators (AqCatalog  *self,
                              const char *text)
{
  GListStore *out = g_list_store_new (AQ_TYPE_INDICATOR);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->indicators));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AqIndicator) ind = g_list_model_get_item (G_LIST_MODEL (self->indicators), i);
      if (aq_indicator_matches (ind, text))
        g_list_store_append (out, ind);
    }
  return G_LIST_MODEL (out);
}

GListModel *
aq_catalog_search_dimensions (AqCatalog  *self,
                              const char *text)
{
  GListStore *out = g_list_store_new (AQ_TYPE_DIMENSION);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->dimensions));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AqDimension) dim = g_list_model_get_item (G_LIST_MODEL (self->dimensions), i);
      if (aq_dimension_matches (dim, text))
        g_list_store_append (out, dim);
    }
  return G_LIST_MODEL (out);
}

AqCatalogSource *
_aq_catalog_lookup_source (AqCatalog  *self,
                           const char *id)
{
  return id ? g_hash_table_lookup (self->sources, id) : NULL;
}

AqCatalogCondition *
_aq_catalog_lookup_condition (AqCatalog  *self,
                              const char *id)
{
  return id ? g_hash_table_lookup (self->conditions, id) : NULL;
}

const char *
_aq_catalog_source_dim_expr (AqCatalogSource *source,
                             const char      *dimension)
{
  return dimension ? g_hash_table_lookup (source->dims, dimension) : NULL;
}

JsonNode *
aq_catalog_to_json (AqCatalog *self)
{
  JsonObject *root = json_object_new ();
  JsonArray *inds = json_array_new ();
  JsonArray *dims = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  guint n;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->indicators));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AqIndicator) ind = g_list_model_get_item (G_LIST_MODEL (self->indicators), i);
      json_array_add_object_element (inds, _aq_indicator_to_json (ind));
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (self->dimensions));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AqDimension) dim = g_list_model_get_item (G_LIST_MODEL (self->dimensions), i);
      json_array_add_object_element (dims, _aq_dimension_to_json (dim));
    }
  json_object_set_array_member (root, "indicators", inds);
  json_object_set_array_member (root, "dimensions", dims);
  json_node_take_object (node, root);
  return node;
}
