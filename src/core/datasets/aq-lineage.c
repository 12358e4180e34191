/* aq-lineage.c — column-level lineage as a graph, built from definitions, never from guesses
 *
 * Aqueduct owns the definitions of everything that moves data: the pipelines (every step's
 * columns in and out follow from its members, and a table input states in its "lineage" member
 * which source columns each output column comes from, since its SQL is the data engineer's),
 * the indicator catalog (every formula names its columns as alias.column over the source's
 * FROM) and the reports (which indicators they show). So the lineage is exact: what a
 * definition does not say is reported as a problem, not filled in by parsing SQL.
 *
 * The graph is plain data (nodes by id, edges both ways) so tests build and walk it without a
 * warehouse; aq-datasets.c stores it in meta.dataset_lineage and loads it back. How a pipeline's
 * steps become edges is aq-lineage-pipeline.c.
 */
#define G_LOG_DOMAIN "aq-lineage"

#include "config.h"
#include <glib/gi18n.h>

#include <string.h>

#include "aq-lineage.h"

struct _AqLineage
{
  GObject     parent_instance;

  GHashTable *nodes;      /* id → AqLineageNode */
  GPtrArray  *edges;      /* AqLineageEdge */
  GHashTable *edge_keys;  /* "from\nto\nkind\nname\nstep" */
  GHashTable *out;        /* AqLineageNode* → GPtrArray of AqLineageEdge* */
  GHashTable *in;
  GHashTable *views;      /* "masked.t" → "dm.t": a view read in place of its one base table */
};

G_DEFINE_FINAL_TYPE (AqLineage, aq_lineage, G_TYPE_OBJECT)

static GPtrArray *providers;
G_LOCK_DEFINE_STATIC (providers);

/* ---- auxiliary methods ---- */

static void
node_free (AqLineageNode *node)
{
  g_free (node->id);
  g_free (node->layer);
  g_free (node->table);
  g_free (node->column);
  g_free (node);
}

static void
edge_free (AqLineageEdge *edge)
{
  g_free (edge->via_kind);
  g_free (edge->via_name);
  g_free (edge->via_step);
  g_free (edge);
}

void
aq_layer_violation_free (AqLayerViolation *violation)
{
  if (violation == NULL)
    return;
  g_free (violation->rule);
  g_free (violation->from);
  g_free (violation->to);
  g_free (violation->via);
  g_free (violation->message);
  g_free (violation);
}

char *
aq_lineage_layer_of (const char *id)
{
  g_autofree char *schema = NULL;
  const char *dot;

  g_return_val_if_fail (id != NULL, NULL);

  if (g_str_has_prefix (id, "indicator:"))
    return g_strdup ("indicator");
  if (g_str_has_prefix (id, "report:"))
    return g_strdup ("report");
  if (g_str_has_prefix (id, "api:"))
    return g_strdup ("api");
  if (g_str_has_prefix (id, "file:"))
    return g_strdup ("file");
  dot = strchr (id, '.');
  schema = dot ? g_strndup (id, dot - id) : g_strdup (id);
  if (g_str_has_prefix (schema, "src_") || g_str_equal (schema, "src"))
    return g_strdup ("src");
  return g_steal_pointer (&schema);
}

static gboolean
is_consumer_layer (const char *layer)
{
  return g_str_equal (layer, "indicator") || g_str_equal (layer, "report")
         || g_str_equal (layer, "api");
}

static void
add_problem (GPtrArray  *problems,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
add_problem (GPtrArray  *problems,
             const char *format,
             ...)
{
  va_list args;

  if (problems == NULL)
    return;
  va_start (args, format);
  g_ptr_array_add (problems, g_strdup_vprintf (format, args));
  va_end (args);
}

/* ---- public: nodes and edges ---- */

AqLineage *
aq_lineage_new (void)
{
  return g_object_new (AQ_TYPE_LINEAGE, NULL);
}

AqLineageNode *
aq_lineage_lookup (AqLineage  *self,
                   const char *id)
{
  g_return_val_if_fail (AQ_IS_LINEAGE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return g_hash_table_lookup (self->nodes, id);
}

AqLineageNode *
aq_lineage_ensure_node (AqLineage  *self,
                        const char *id)
{
  AqLineageNode *node;

  g_return_val_if_fail (AQ_IS_LINEAGE (self), NULL);
  g_return_val_if_fail (id != NULL && *id != '\0', NULL);

  node = g_hash_table_lookup (self->nodes, id);
  if (node != NULL)
    return node;

  node = g_new0 (AqLineageNode, 1);
  node->id = g_strdup (id);
  node->layer = aq_lineage_layer_of (id);
  if (g_str_has_prefix (id, "indicator:"))
    node->kind = AQ_LINEAGE_NODE_INDICATOR;
  else if (g_str_has_prefix (id, "report:"))
    node->kind = AQ_LINEAGE_NODE_REPORT;
  else if (g_str_has_prefix (id, "api:"))
    node->kind = AQ_LINEAGE_NODE_API;
  else if (g_str_has_prefix (id, "file:"))
    node->kind = AQ_LINEAGE_NODE_FILE;
  else
    {
      const char *first = strchr (id, '.');
      const char *second = first ? strchr (first + 1, '.') : NULL;

      if (second != NULL)
        {
          node->kind = AQ_LINEAGE_NODE_COLUMN;
          node->table = g_strndup (id, second - id);
          node->column = g_strdup (second + 1);
        }
      else
        {
          node->kind = AQ_LINEAGE_NODE_TABLE;
          node->table = g_strdup (id);
        }
    }
  g_hash_table_insert (self->nodes, node->id, node);
  return node;
}

static void
index_edge (GHashTable    *index,
            AqLineageNode *node,
            AqLineageEdge *edge)
{
  GPtrArray *list = g_hash_table_lookup (index, node);

  if (list == NULL)
    {
      list = g_ptr_array_new ();
      g_hash_table_insert (index, node, list);
    }
  g_ptr_array_add (list, edge);
}

void
aq_lineage_set_view_base (AqLineage  *self,
                          const char *view,
                          const char *base)
{
  g_return_if_fail (AQ_IS_LINEAGE (self));
  g_return_if_fail (view != NULL && base != NULL);

  g_hash_table_insert (self->views, g_strdup (view), g_strdup (base));
}

/* @id with a view set by aq_lineage_set_view_base() replaced by its base table (same column
 * name), or %NULL when @id names no such view. */
static char *
through_view (AqLineage  *self,
              const char *id)
{
  const char *first = strchr (id, '.');
  const char *second = first ? strchr (first + 1, '.') : NULL;
  g_autofree char *table = second ? g_strndup (id, second - id) : g_strdup (id);
  const char *base = g_hash_table_lookup (self->views, table);

  if (base == NULL)
    return NULL;
  return second ? g_strconcat (base, second, NULL) : g_strdup (base);
}

gboolean
aq_lineage_add_edge (AqLineage  *self,
                     const char *from,
                     const char *to,
                     const char *via_kind,
                     const char *via_name,
                     const char *via_step)
{
  AqLineageEdge *edge;
  g_autofree char *base = NULL;
  char *key;

  g_return_val_if_fail (AQ_IS_LINEAGE (self), FALSE);
  g_return_val_if_fail (from != NULL && to != NULL && via_kind != NULL, FALSE);

  /* what reads a masked view reads its base table's columns */
  base = through_view (self, from);
  if (base != NULL)
    from = base;

  if (g_str_equal (from, to))
    return FALSE;
  key = g_strjoin ("\n", from, to, via_kind, via_name ? via_name : "",
                   via_step ? via_step : "", NULL);
  if (!g_hash_table_add (self->edge_keys, key))
    return FALSE;

  edge = g_new0 (AqLineageEdge, 1);
  edge->from = aq_lineage_ensure_node (self, from);
  edge->to = aq_lineage_ensure_node (self, to);
  edge->via_kind = g_strdup (via_kind);
  edge->via_name = g_strdup (via_name ? via_name : "");
  edge->via_step = g_strdup (via_step ? via_step : "");
  g_ptr_array_add (self->edges, edge);
  index_edge (self->out, edge->from, edge);
  index_edge (self->in, edge->to, edge);
  return TRUE;
}

GPtrArray *
aq_lineage_get_edges (AqLineage *self)
{
  g_return_val_if_fail (AQ_IS_LINEAGE (self), NULL);

  return self->edges;
}

guint
aq_lineage_get_n_nodes (AqLineage *self)
{
  g_return_val_if_fail (AQ_IS_LINEAGE (self), 0);

  return g_hash_table_size (self->nodes);
}

/* ---- the indicator catalog and reports ---- */

static GHashTable *
aliases_of_from (const char *from_sql)
{
  static GRegex *regex;
  static const char * const keywords[] = { "join", "on", "left", "right", "inner", "full",
                                           "outer", "cross", "where", "and", "using", NULL };
  GHashTable *aliases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GMatchInfo) match = NULL;

  static gsize regex_once;

  if (g_once_init_enter (&regex_once))
    {
      regex = g_regex_new ("\\b([a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*)"
                           "\\s+(?:as\\s+)?([a-z_][a-z0-9_]*)\\b",
                           G_REGEX_CASELESS, 0, NULL);
      g_once_init_leave (&regex_once, 1);
    }
  g_regex_match (regex, from_sql, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *table = g_match_info_fetch (match, 1);
      g_autofree char *alias = g_match_info_fetch (match, 2);
      g_autofree char *lower = g_ascii_strdown (alias, -1);

      if (!g_strv_contains (keywords, lower))
        g_hash_table_insert (aliases, g_steal_pointer (&lower), g_steal_pointer (&table));
      g_match_info_next (match, NULL);
    }
  return aliases;
}

void
aq_lineage_add_catalog (AqLineage *self,
                        AqCatalog *catalog,
                        GPtrArray *problems)
{
  static GRegex *ref_regex;
  GListModel *indicators;

  g_return_if_fail (AQ_IS_LINEAGE (self));
  g_return_if_fail (AQ_IS_CATALOG (catalog));

  static gsize ref_once;

  if (g_once_init_enter (&ref_once))
    {
      ref_regex = g_regex_new ("\\b([a-z_][a-z0-9_]*)\\.([a-z_][a-z0-9_]*)\\b",
                               G_REGEX_CASELESS, 0, NULL);
      g_once_init_leave (&ref_once, 1);
    }
  indicators = aq_catalog_get_indicators (catalog);
  for (guint i = 0; i < g_list_model_get_n_items (indicators); i++)
    {
      g_autoptr(AqIndicator) indicator = g_list_model_get_item (indicators, i);
      const char *formula = aq_indicator_get_formula (indicator);
      const char *from = formula ? g_strrstr (formula, " FROM ") : NULL;
      g_autofree char *node = g_strconcat ("indicator:", aq_indicator_get_id (indicator), NULL);
      g_autofree char *expression = NULL;
      g_autoptr(GHashTable) aliases = NULL;
      g_autoptr(GMatchInfo) match = NULL;
      GHashTableIter iter;
      gpointer table;
      gboolean any = FALSE;

      aq_lineage_ensure_node (self, node);
      if (from == NULL)
        {
          add_problem (problems, _("indicator %s: its formula names no source"),
                       aq_indicator_get_id (indicator));
          continue;
        }
      aliases = aliases_of_from (from + strlen (" FROM "));
      expression = g_strndup (formula, from - formula);
      /* string literals name no columns */
      for (char *p = expression; *p; p++)
        if (*p == '\'')
          for (p++; *p && *p != '\''; p++)
            *p = ' ';
      g_regex_match (ref_regex, expression, 0, &match);
      while (g_match_info_matches (match))
        {
          g_autofree char *alias = g_match_info_fetch (match, 1);
          g_autofree char *column = g_match_info_fetch (match, 2);
          const char *aliased = g_hash_table_lookup (aliases, alias);

          if (aliased != NULL)
            {
              g_autofree char *source = g_strconcat (aliased, ".", column, NULL);

              aq_lineage_add_edge (self, source, node, "indicator",
                                   aq_indicator_get_id (indicator), "");
              any = TRUE;
            }
          g_match_info_next (match, NULL);
        }
      if (!any)
        {
          /* a count of rows: it reads the source's tables as a whole */
          g_hash_table_iter_init (&iter, aliases);
          while (g_hash_table_iter_next (&iter, NULL, &table))
            aq_lineage_add_edge (self, table, node, "indicator", aq_indicator_get_id (indicator),
                                 "");
        }
    }
}

void
aq_lineage_add_report (AqLineage  *self,
                       const char *name,
                       JsonObject *definition)
{
  g_autofree char *report = NULL;
  JsonArray *values;

  g_return_if_fail (AQ_IS_LINEAGE (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (definition != NULL);

  report = g_strconcat ("report:", name, NULL);
  aq_lineage_ensure_node (self, report);
  if (!json_object_has_member (definition, "values")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (definition, "values")))
    return;
  values = json_object_get_array_member (definition, "values");
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      JsonNode *element = json_array_get_element (values, i);
      const char *id = NULL;
      g_autofree char *node = NULL;

      if (JSON_NODE_HOLDS_VALUE (element))
        id = json_node_get_string (element);
      else if (JSON_NODE_HOLDS_OBJECT (element))
        id = json_object_get_string_member_with_default (json_node_get_object (element), "id",
                                                         NULL);
      if (id == NULL)
        continue;
      node = g_strconcat ("indicator:", id, NULL);
      aq_lineage_add_edge (self, node, report, "report", name, "");
    }
}

void
aq_lineage_add_consumer (AqLineage          *self,
                         const char         *kind,
                         const char         *name,
                         const char * const *reads)
{
  g_autofree char *node = NULL;

  g_return_if_fail (AQ_IS_LINEAGE (self));
  g_return_if_fail (kind != NULL && name != NULL);

  node = g_strconcat (kind, ":", name, NULL);
  aq_lineage_ensure_node (self, node);
  for (guint i = 0; reads && reads[i]; i++)
    aq_lineage_add_edge (self, reads[i], node, kind, name, "");
}

void
aq_lineage_register_provider (AqLineageProvider provider)
{
  g_return_if_fail (provider != NULL);

  G_LOCK (providers);
  if (providers == NULL)
    providers = g_ptr_array_new ();
  if (!g_ptr_array_find (providers, provider, NULL))
    g_ptr_array_add (providers, provider);
  G_UNLOCK (providers);
}

void
aq_lineage_run_providers (AqLineage *self,
                          gpointer   db,
                          GPtrArray *problems)
{
  g_autoptr(GPtrArray) copy = g_ptr_array_new ();

  g_return_if_fail (AQ_IS_LINEAGE (self));

  G_LOCK (providers);
  for (guint i = 0; providers && i < providers->len; i++)
    g_ptr_array_add (copy, g_ptr_array_index (providers, i));
  G_UNLOCK (providers);
  for (guint i = 0; i < copy->len; i++)
    ((AqLineageProvider) g_ptr_array_index (copy, i)) (self, db, problems);
}

/* ---- walks and rules ---- */

GPtrArray *
aq_lineage_walk (AqLineage          *self,
                 const char         *id,
                 AqLineageDirection  direction,
                 guint               depth)
{
  GHashTable *index;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GQueue) queue = NULL;
  GPtrArray *hits;
  AqLineageNode *start;

  g_return_val_if_fail (AQ_IS_LINEAGE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  hits = g_ptr_array_new_with_free_func (g_free);
  index = direction == AQ_LINEAGE_UPSTREAM ? self->in : self->out;
  seen = g_hash_table_new (NULL, NULL);
  queue = g_queue_new ();
  start = g_hash_table_lookup (self->nodes, id);
  if (start == NULL)
    return hits;

  g_hash_table_add (seen, start);
  g_queue_push_tail (queue, start);
  if (start->kind == AQ_LINEAGE_NODE_TABLE)
    {
      /* a table: its rows and every column of it */
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->nodes);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          AqLineageNode *node = value;

          if (node->kind == AQ_LINEAGE_NODE_COLUMN && g_str_equal (node->table, start->table))
            {
              g_hash_table_add (seen, node);
              g_queue_push_tail (queue, node);
            }
        }
    }

  {
    g_autoptr(GHashTable) depths = g_hash_table_new (NULL, NULL);

    while (!g_queue_is_empty (queue))
      {
        AqLineageNode *node = g_queue_pop_head (queue);
        guint d = GPOINTER_TO_UINT (g_hash_table_lookup (depths, node));
        GPtrArray *edges = g_hash_table_lookup (index, node);

        if (depth > 0 && d >= depth)
          continue;
        for (guint i = 0; edges && i < edges->len; i++)
          {
            AqLineageEdge *edge = g_ptr_array_index (edges, i);
            AqLineageNode *next = direction == AQ_LINEAGE_UPSTREAM ? edge->from : edge->to;
            AqLineageHit *hit;

            if (!g_hash_table_add (seen, next))
              continue;
            hit = g_new0 (AqLineageHit, 1);
            hit->node = next;
            hit->depth = d + 1;
            hit->edge = edge;
            g_ptr_array_add (hits, hit);
            g_hash_table_insert (depths, next, GUINT_TO_POINTER (d + 1));
            g_queue_push_tail (queue, next);
          }
      }
  }
  return hits;
}

static void
add_violation (GPtrArray  *out,
               const char *rule,
               const char *from,
               const char *to,
               const char *via,
               char       *message)
{
  AqLayerViolation *v = g_new0 (AqLayerViolation, 1);

  v->rule = g_strdup (rule);
  v->from = g_strdup (from);
  v->to = g_strdup (to);
  v->via = g_strdup (via);
  v->message = message;
  g_ptr_array_add (out, v);
}

GPtrArray *
aq_lineage_check_layers (AqLineage *self)
{
  GPtrArray *out;
  g_autoptr(GHashTable) reported = NULL;

  g_return_val_if_fail (AQ_IS_LINEAGE (self), NULL);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_layer_violation_free);
  reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < self->edges->len; i++)
    {
      AqLineageEdge *edge = g_ptr_array_index (self->edges, i);
      const char *from = edge->from->layer;
      const char *to = edge->to->layer;
      const char *from_table = edge->from->table ? edge->from->table : edge->from->id;
      const char *to_table = edge->to->table ? edge->to->table : edge->to->id;
      const char *rule = NULL;
      g_autofree char *key = NULL;
      g_autofree char *via = NULL;

      if (is_consumer_layer (to) && (g_str_equal (from, "src") || g_str_equal (from, "ods")))
        rule = "consumer-reads-raw";
      else if (g_str_equal (to, "dm") && !g_str_equal (from, "dw") && !g_str_equal (from, "dm"))
        rule = "dm-reads-dw-only";
      else if (g_str_equal (to, "dw") && (g_str_equal (from, "src") || g_str_equal (from, "file")))
        rule = "dw-reads-ods";
      else if (g_str_equal (to, "ods") && !g_str_equal (from, "src")
               && !g_str_equal (from, "file") && !g_str_equal (from, "ods"))
        rule = "ods-reads-src";
      if (rule == NULL)
        continue;

      key = g_strjoin ("\n", rule, from_table, to_table, edge->via_name, NULL);
      if (!g_hash_table_add (reported, g_strdup (key)))
        continue;
      via = g_strdup_printf ("%s %s", edge->via_kind, edge->via_name);
      add_violation (out, rule, from_table, to_table, via,
                     g_strdup_printf (_("%s (%s) reads %s (%s) through %s: %s"), to_table, to,
                                      from_table, from, via,
                                      g_str_equal (rule, "consumer-reads-raw")
                                      ? _("indicators, reports and APIs read only dw and dm")
                                      : g_str_equal (rule, "dm-reads-dw-only")
                                      ? _("dm reads only dw (and dm)")
                                      : g_str_equal (rule, "dw-reads-ods")
                                      ? _("dw reads ods, never the sources directly")
                                      : _("ods reads only the sources")));

      /* a report showing an indicator that reads raw layers reads them too */
      if (g_str_equal (rule, "consumer-reads-raw") && edge->to->kind == AQ_LINEAGE_NODE_INDICATOR)
        {
          GPtrArray *reports = g_hash_table_lookup (self->out, edge->to);

          for (guint j = 0; reports && j < reports->len; j++)
            {
              AqLineageEdge *r = g_ptr_array_index (reports, j);
              g_autofree char *rkey = NULL;
              g_autofree char *rvia = NULL;

              if (r->to->kind != AQ_LINEAGE_NODE_REPORT)
                continue;
              rkey = g_strjoin ("\n", rule, from_table, r->to->id, NULL);
              if (!g_hash_table_add (reported, g_strdup (rkey)))
                continue;
              rvia = g_strdup_printf (_("report %s → %s"), r->via_name, edge->to->id);
              add_violation (out, rule, from_table, r->to->id, rvia,
                             g_strdup_printf (_("%s reads %s (%s) through %s: reports read only "
                                              "dw and dm"), r->to->id, from_table, from,
                                              edge->to->id));
            }
        }
    }
  return out;
}

/* ---- GObject overrides ---- */

static void
aq_lineage_finalize (GObject *object)
{
  AqLineage *self = AQ_LINEAGE (object);

  g_clear_pointer (&self->out, g_hash_table_unref);
  g_clear_pointer (&self->in, g_hash_table_unref);
  g_clear_pointer (&self->edges, g_ptr_array_unref);
  g_clear_pointer (&self->edge_keys, g_hash_table_unref);
  g_clear_pointer (&self->nodes, g_hash_table_unref);
  g_clear_pointer (&self->views, g_hash_table_unref);

  G_OBJECT_CLASS (aq_lineage_parent_class)->finalize (object);
}

static void
aq_lineage_class_init (AqLineageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aq_lineage_finalize;
}

static void
aq_lineage_init (AqLineage *self)
{
  self->nodes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) node_free);
  self->edges = g_ptr_array_new_with_free_func ((GDestroyNotify) edge_free);
  self->edge_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->out = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->in = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->views = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}
