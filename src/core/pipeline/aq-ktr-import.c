/* aq-ktr-import.c — a Kettle/PDI transformation (.ktr) read into one of our pipelines
 *
 * The migration path for utilities that run Kettle today. A .ktr is XML: <connection>s,
 * <step>s (each a <name>, a <type> and the type's own elements, with its canvas place in
 * <GUI><xloc>/<yloc>) and hops (<order><hop><from>/<to>/<enabled>). Each step type the issue
 * lists becomes one of our steps (aq-ktr-import-steps.c); every other step is listed by name,
 * type and reason — never dropped silently — and the caller decides whether a partial pipeline
 * is worth writing. Hop positions become canvas positions ("position": {"x", "y"}), and each
 * step remembers what it was ("kettle": {"name", "type"}).
 *
 * Reading is defensive, because a .ktr comes from outside: the size is checked before parsing
 * (AQ_KTR_MAX_BYTES), libxml2 parses without network, without loading external DTDs and
 * without substituting entities, and a document with a DOCTYPE is refused (a .ktr has none;
 * it is where entity bombs live). Names become identifiers of our own (lower case, "_"), and
 * every name or value that reaches SQL is quoted (identifiers with "", literals with '').
 *
 * Database connections become named connections: with --connection KETTLE=OURS one is mapped
 * onto a connection that exists (e.g. "warehouse"); otherwise the pipeline names the Kettle
 * connection, whose host, port, database and user are reported so that it can be added to
 * meta.connection — the password is never read.
 */
#define G_LOG_DOMAIN "aq-ktr-import"

#include "config.h"

#include "aq-ktr-import-private.h"

#include <glib/gi18n-lib.h>
#include <libxml/parser.h>
#include <string.h>

#include "aq-error.h"

/* ---- auxiliary methods ---- */

static void
unmapped_free (AqKtrUnmapped *u)
{
  g_free (u->name);
  g_free (u->type);
  g_free (u->why);
  g_free (u);
}

static void
connection_free (AqKtrConnection *c)
{
  g_free (c->kettle_name);
  g_free (c->name);
  g_free (c->database);
  g_free (c->url);
  g_free (c);
}

void
aq_ktr_import_free (AqKtrImport *import)
{
  if (import == NULL)
    return;
  g_free (import->name);
  g_free (import->json);
  g_clear_pointer (&import->unmapped, g_ptr_array_unref);
  g_clear_pointer (&import->connections, g_ptr_array_unref);
  g_clear_pointer (&import->notes, g_ptr_array_unref);
  g_free (import);
}

static void
kstep_free (KtrStep *s)
{
  g_free (s->name);
  g_free (s->type);
  g_free (s->entry);
  g_free (s->exit);
  g_free (s->false_to);
  g_free (s->false_id);
  g_free (s->lookup_from);
  g_free (s);
}

xmlNode *
_aq_ktr_child (xmlNode    *node,
               const char *name)
{
  for (xmlNode *c = node ? node->children : NULL; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && strcmp ((const char *) c->name, name) == 0)
      return c;
  return NULL;
}

/* The text of child @name (or of @node itself when @name is NULL), trimmed; "" when absent. */
char *
_aq_ktr_text (xmlNode    *node,
              const char *name)
{
  xmlNode *c = name ? _aq_ktr_child (node, name) : node;
  xmlChar *content;
  char *text;

  if (c == NULL)
    return g_strdup ("");
  content = xmlNodeGetContent (c);
  text = g_strstrip (g_strdup (content ? (const char *) content : ""));
  xmlFree (content);
  if (!g_utf8_validate (text, -1, NULL))
    {
      char *valid = g_utf8_make_valid (text, -1);

      g_free (text);
      text = valid;
    }
  return text;
}

gboolean
_aq_ktr_flag (xmlNode    *node,
              const char *name)
{
  g_autofree char *text = _aq_ktr_text (node, name);

  return g_ascii_strcasecmp (text, "Y") == 0;
}

/* A Kettle name as an identifier of ours: lower-case ASCII letters, digits and "_". */
char *
_aq_ktr_identifier (const char *name,
                    const char *fallback)
{
  GString *id = g_string_new (NULL);

  for (const char *p = name; p && *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (id, g_ascii_tolower (*p));
      else if (id->len > 0 && id->str[id->len - 1] != '_')
        g_string_append_c (id, '_');
    }
  while (id->len > 0 && id->str[id->len - 1] == '_')
    g_string_truncate (id, id->len - 1);
  if (id->len == 0 || g_ascii_isdigit (id->str[0]))
    g_string_prepend (id, fallback);
  if (id->len > 60)
    g_string_truncate (id, 60);
  return g_string_free (id, FALSE);
}

/* An id not taken yet: @base, else base_2, base_3… */
char *
_aq_ktr_unique_id (KtrContext *ctx,
                   const char *base)
{
  char *id = g_strdup (base);

  for (guint n = 2; g_hash_table_contains (ctx->ids, id); n++)
    {
      g_free (id);
      id = g_strdup_printf ("%s_%u", base, n);
    }
  g_hash_table_add (ctx->ids, g_strdup (id));
  return id;
}

void
_aq_ktr_note (KtrContext *ctx,
              const char *format,
              ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (ctx->result->notes, g_strdup_vprintf (format, args));
  va_end (args);
}

/* A new step object of ours, added to the pipeline, placed at the Kettle step's spot plus
 * @dx (generated helper steps sit beside the step they serve). */
JsonObject *
_aq_ktr_add_step (KtrContext *ctx,
                  KtrStep    *ks,
                  const char *id,
                  const char *type,
                  int         dx)
{
  JsonObject *step = json_object_new ();
  JsonObject *origin = json_object_new ();

  json_object_set_string_member (step, "id", id);
  json_object_set_string_member (step, "type", type);
  json_object_set_string_member (origin, "name", ks->name);
  json_object_set_string_member (origin, "type", ks->type);
  json_object_set_object_member (step, "kettle", origin);
  if (ks->has_position)
    {
      JsonObject *position = json_object_new ();

      json_object_set_int_member (position, "x", ks->x + dx);
      json_object_set_int_member (position, "y", ks->y);
      json_object_set_object_member (step, "position", position);
    }
  json_array_add_object_element (ctx->steps, step);
  return step;
}

void
_aq_ktr_add_edge (KtrContext *ctx,
                  const char *from,
                  const char *to)
{
  JsonObject *edge = json_object_new ();

  json_object_set_string_member (edge, "from", from);
  json_object_set_string_member (edge, "to", to);
  json_array_add_object_element (ctx->edges, edge);
}

/* The connection a step names: mapped, or the Kettle one kept by name (and reported). */
const char *
_aq_ktr_connection (KtrContext *ctx,
                    const char *kettle_name)
{
  AqKtrConnection *c;
  const char *mapped;

  if (kettle_name == NULL || *kettle_name == '\0')
    return "warehouse";
  for (guint i = 0; i < ctx->result->connections->len; i++)
    {
      c = g_ptr_array_index (ctx->result->connections, i);
      if (g_str_equal (c->kettle_name, kettle_name))
        return c->name;
    }

  c = g_new0 (AqKtrConnection, 1);
  c->kettle_name = g_strdup (kettle_name);
  mapped = ctx->connection_map ? g_hash_table_lookup (ctx->connection_map, kettle_name) : NULL;
  c->mapped = mapped != NULL;
  c->name = mapped ? g_strdup (mapped) : _aq_ktr_identifier (kettle_name, "connection_");
  c->database = g_strdup ("?");
  for (xmlNode *n = ctx->root->children; n; n = n->next)
    {
      g_autofree char *name = NULL;

      if (n->type != XML_ELEMENT_NODE || strcmp ((const char *) n->name, "connection") != 0)
        continue;
      name = _aq_ktr_text (n, "name");
      if (!g_str_equal (name, kettle_name))
        continue;
      g_free (c->database);
      c->database = _aq_ktr_text (n, "type");
      if (g_ascii_strcasecmp (c->database, "POSTGRESQL") == 0
          || g_ascii_strcasecmp (c->database, "GREENPLUM") == 0)
        {
          g_autofree char *host = _aq_ktr_text (n, "server");
          g_autofree char *port = _aq_ktr_text (n, "port");
          g_autofree char *db = _aq_ktr_text (n, "database");
          g_autofree char *user = _aq_ktr_text (n, "username");
          g_autofree char *e_host = g_uri_escape_string (host, NULL, FALSE);
          g_autofree char *e_db = g_uri_escape_string (db, NULL, FALSE);
          g_autofree char *e_user = g_uri_escape_string (user, NULL, FALSE);

          c->url = g_strdup_printf ("postgresql://%s%s%s%s%s/%s", e_user, *user ? "@" : "",
                                    e_host, *port ? ":" : "", *port ? port : "", e_db);
        }
      break;
    }
  g_ptr_array_add (ctx->result->connections, c);
  return c->name;
}

/* ---- the transformation ---- */

static void
read_steps (KtrContext *ctx)
{
  guint index = 0;

  for (xmlNode *n = ctx->root->children; n; n = n->next)
    {
      KtrStep *ks;
      xmlNode *gui;
      g_autofree char *base = NULL;
      g_autofree char *fallback = NULL;

      if (n->type != XML_ELEMENT_NODE || strcmp ((const char *) n->name, "step") != 0)
        continue;
      ks = g_new0 (KtrStep, 1);
      ks->node = n;
      ks->name = _aq_ktr_text (n, "name");
      ks->type = _aq_ktr_text (n, "type");
      gui = _aq_ktr_child (n, "GUI");
      if (gui)
        {
          g_autofree char *x = _aq_ktr_text (gui, "xloc");
          g_autofree char *y = _aq_ktr_text (gui, "yloc");
          gint64 xv, yv;

          if (g_ascii_string_to_signed (x, 10, -1000000, 1000000, &xv, NULL)
              && g_ascii_string_to_signed (y, 10, -1000000, 1000000, &yv, NULL))
            {
              ks->has_position = TRUE;
              ks->x = (int) xv;
              ks->y = (int) yv;
            }
        }
      fallback = g_strdup_printf ("step%u_", ++index);
      base = _aq_ktr_identifier (ks->name, fallback);
      ks->entry = _aq_ktr_unique_id (ctx, base);
      ks->exit = g_strdup (ks->entry);
      if (g_hash_table_contains (ctx->by_name, ks->name))
        {
          _aq_ktr_note (ctx, _("two steps are named “%s”: hops reach the first one"), ks->name);
          g_ptr_array_add (ctx->ksteps, ks);
          continue;
        }
      g_ptr_array_add (ctx->ksteps, ks);
      g_hash_table_insert (ctx->by_name, ks->name, ks);
    }
}

static void
add_unmapped (KtrContext *ctx,
              KtrStep    *ks,
              const char *why)
{
  AqKtrUnmapped *u = g_new0 (AqKtrUnmapped, 1);

  u->name = g_strdup (ks->name);
  u->type = g_strdup (ks->type);
  u->why = g_strdup (why);
  g_ptr_array_add (ctx->result->unmapped, u);
  ks->unmapped = TRUE;
}

/* The hops, in the file's order; those into an Append put its head first. */
static void
read_hops (KtrContext *ctx)
{
  xmlNode *order = _aq_ktr_child (ctx->root, "order");
  g_autoptr(GPtrArray) tails = g_ptr_array_new ();

  for (xmlNode *n = order ? order->children : NULL; n; n = n->next)
    {
      g_autofree char *from = NULL;
      g_autofree char *to = NULL;
      g_autofree char *enabled = NULL;
      KtrStep *a, *b;

      if (n->type != XML_ELEMENT_NODE || strcmp ((const char *) n->name, "hop") != 0)
        continue;
      from = _aq_ktr_text (n, "from");
      to = _aq_ktr_text (n, "to");
      enabled = _aq_ktr_text (n, "enabled");
      a = g_hash_table_lookup (ctx->by_name, from);
      b = g_hash_table_lookup (ctx->by_name, to);
      if (a == NULL || b == NULL)
        {
          _aq_ktr_note (ctx, _("the hop %s → %s names a step that does not exist: left out"),
                        from, to);
          continue;
        }
      if (g_ascii_strcasecmp (enabled, "N") == 0)
        {
          _aq_ktr_note (ctx, _("the hop %s → %s is disabled in Kettle: left out"), from, to);
          continue;
        }
      if (a->unmapped || b->unmapped)
        continue;   /* listed with the step */
      if (b->lookup_from && g_str_equal (b->lookup_from, a->name))
        continue;   /* the lookup stream became the lookup's table */
      if (b->append_tail && g_str_equal (b->append_tail, a->name))
        {
          g_ptr_array_add (tails, a);
          g_ptr_array_add (tails, b);
          continue;
        }
      if (a->false_to && g_str_equal (a->false_to, b->name))
        {
          /* the rows the filter sends away: a filter of their own, on the same input */
          _aq_ktr_add_edge (ctx, a->false_id, b->entry);
          continue;
        }
      _aq_ktr_add_edge (ctx, a->exit, b->entry);
      if (b->false_id)
        _aq_ktr_add_edge (ctx, a->exit, b->false_id);
    }
  for (guint i = 0; i + 1 < tails->len; i += 2)
    {
      KtrStep *a = g_ptr_array_index (tails, i);
      KtrStep *b = g_ptr_array_index (tails, i + 1);

      _aq_ktr_add_edge (ctx, a->exit, b->entry);
    }
}

static char *
pipeline_json (KtrContext *ctx,
               const char *name,
               const char *title)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *pipeline = json_object_new ();
  g_autofree char *description = g_strdup_printf (_("Imported from the Kettle transformation "
                                                    "“%s”"), title);

  json_object_set_string_member (pipeline, "name", name);
  json_object_set_string_member (pipeline, "description", description);
  json_object_set_array_member (pipeline, "steps", json_array_ref (ctx->steps));
  json_object_set_array_member (pipeline, "edges", json_array_ref (ctx->edges));
  json_node_take_object (root, pipeline);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

/* ---- public API ---- */

/**
 * aq_ktr_import_data:
 * @connection_map: (nullable) (element-type utf8 utf8): Kettle connection → ours
 *
 * Returns: (transfer full): the pipeline and what could not be mapped; NULL when @data is not
 * a Kettle transformation (AQ_ERROR_INVALID)
 */
AqKtrImport *
aq_ktr_import_data (const char  *data,
                    gsize        length,
                    GHashTable  *connection_map,
                    GError     **error)
{
  g_autoptr(AqKtrImport) result = NULL;
  g_autofree char *title = NULL;
  xmlDoc *doc;
  KtrContext ctx = { 0 };
  static gsize parser_ready = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length > AQ_KTR_MAX_BYTES)
    {
      g_autofree char *size = g_strdup_printf ("%" G_GSIZE_FORMAT, length);

      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("The Kettle file is %s bytes; at most %d are read"), size,
                   AQ_KTR_MAX_BYTES);
      return NULL;
    }
  if (length == 0 || length > G_MAXINT)
    {
      g_set_error_literal (error, AQ_ERROR, AQ_ERROR_INVALID, _("The Kettle file is empty"));
      return NULL;
    }
  if (g_once_init_enter (&parser_ready))
    {
      xmlInitParser ();   /* once, before any thread parses */
      g_once_init_leave (&parser_ready, 1);
    }
  doc = xmlReadMemory (data, (int) length, "transformation.ktr", NULL,
                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == NULL)
    {
      g_set_error_literal (error, AQ_ERROR, AQ_ERROR_INVALID,
                           _("The Kettle file is not well-formed XML"));
      return NULL;
    }
  if (doc->intSubset != NULL || doc->extSubset != NULL)
    {
      xmlFreeDoc (doc);
      g_set_error_literal (error, AQ_ERROR, AQ_ERROR_INVALID,
                           _("The Kettle file declares a DTD; a .ktr has none, so it is not read"));
      return NULL;
    }
  ctx.root = xmlDocGetRootElement (doc);
  if (ctx.root == NULL || strcmp ((const char *) ctx.root->name, "transformation") != 0)
    {
      xmlFreeDoc (doc);
      g_set_error_literal (error, AQ_ERROR, AQ_ERROR_INVALID,
                           _("The file is not a Kettle transformation (no <transformation>; a "
                             "job, .kjb, is not a transformation)"));
      return NULL;
    }

  result = g_new0 (AqKtrImport, 1);
  result->unmapped = g_ptr_array_new_with_free_func ((GDestroyNotify) unmapped_free);
  result->connections = g_ptr_array_new_with_free_func ((GDestroyNotify) connection_free);
  result->notes = g_ptr_array_new_with_free_func (g_free);
  ctx.result = result;
  ctx.connection_map = connection_map;
  ctx.ksteps = g_ptr_array_new_with_free_func ((GDestroyNotify) kstep_free);
  ctx.by_name = g_hash_table_new (g_str_hash, g_str_equal);
  ctx.ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ctx.steps = json_array_new ();
  ctx.edges = json_array_new ();

  title = _aq_ktr_text (_aq_ktr_child (ctx.root, "info"), "name");
  result->name = _aq_ktr_identifier (title, "kettle_");
  read_steps (&ctx);
  result->n_steps = ctx.ksteps->len;
  /* the steps that others absorb (a lookup stream, an append's inputs) are known first */
  for (guint i = 0; i < ctx.ksteps->len; i++)
    _aq_ktr_prepare_step (&ctx, g_ptr_array_index (ctx.ksteps, i));
  for (guint i = 0; i < ctx.ksteps->len; i++)
    {
      KtrStep *ks = g_ptr_array_index (ctx.ksteps, i);
      g_autofree char *why = NULL;

      if (ks->absorbed)
        continue;
      why = _aq_ktr_map_step (&ctx, ks);
      if (why)
        add_unmapped (&ctx, ks, why);
    }
  read_hops (&ctx);
  result->json = pipeline_json (&ctx, result->name, title);

  json_array_unref (ctx.steps);
  json_array_unref (ctx.edges);
  g_hash_table_unref (ctx.ids);
  g_hash_table_unref (ctx.by_name);
  g_ptr_array_unref (ctx.ksteps);
  xmlFreeDoc (doc);
  return g_steal_pointer (&result);
}

/* Reads @path (at most AQ_KTR_MAX_BYTES, checked before reading it all). */
AqKtrImport *
aq_ktr_import_file (const char  *path,
                    GHashTable  *connection_map,
                    GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  AqKtrImport *import;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL,
                            error);
  if (info == NULL)
    return NULL;
  if (g_file_info_get_size (info) > AQ_KTR_MAX_BYTES)
    {
      g_autofree char *size = g_strdup_printf ("%" G_GOFFSET_FORMAT,
                                               g_file_info_get_size (info));

      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("%s is %s bytes; a Kettle file of at most %d is read"), path, size,
                   AQ_KTR_MAX_BYTES);
      return NULL;
    }
  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  import = aq_ktr_import_data (data, length, connection_map, error);
  if (import == NULL)
    g_prefix_error (error, "%s: ", path);
  return import;
}
