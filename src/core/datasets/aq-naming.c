/* aq-naming.c — the house's naming standard, checked over the warehouse
 *
 * The reference deployment replaced "models built by experience and verbal agreement" with a
 * written standard at schema, table and column level. Here it is code: one table of layer
 * prefixes, one vocabulary of subject-area words, one list of class words and the types they
 * promise, checked over information_schema (so whatever a pipeline created is checked too).
 * A name that breaks a rule for a good reason is declared in data/datasets/
 * naming-exceptions.json with that reason; the lint lists it but does not fail on it.
 */
#define G_LOG_DOMAIN "aq-naming"

#include "config.h"
#include <glib/gi18n.h>

#include <json-glib/json-glib.h>
#include <string.h>

#include "aq-error.h"
#include "aq-naming.h"

#define EXCEPTIONS_RESOURCE "/org/aqueduct/Aqueduct/datasets/naming-exceptions.json"

/* The source systems an ods table's name starts with. */
static const char * const ods_prefixes[] = {
  "billing_", "gis_", "meter_", "install_", "workorder_", "hotline_", "sms_", NULL
};

static const char * const dw_prefixes[] = { "dim_", "fact_", "gis_", NULL };

/* The first word of a table's name after its prefix → its subject area. */
static const struct
{
  const char *word;
  const char *subject;
} vocabulary[] = {
  { "customer", "customer" }, { "contact", "customer" }, { "account", "customer" },
  { "key_customer", "customer" }, { "premise", "geo" }, { "community", "geo" },
  { "district", "geo" }, { "river", "geo" }, { "road", "geo" }, { "boundary", "network" },
  { "dma", "network" }, { "pipe", "network" }, { "valve", "network" }, { "nrw", "network" },
  { "outage", "network" }, { "tariff", "billing" }, { "bill", "billing" },
  { "billing", "billing" }, { "payment", "billing" }, { "code", "billing" },
  { "consumption", "meter" }, { "meter", "meter" }, { "event", "meter" },
  { "reading", "meter" }, { "work_order", "service" }, { "workorder", "service" },
  { "step", "service" }, { "call", "service" }, { "sms", "service" }, { "log", "service" },
  { "installation", "service" }, { "application", "service" },
};

/* ods tables name their system, then the source table: the system is the subject. */
static const struct
{
  const char *prefix;
  const char *subject;
} ods_subjects[] = {
  { "billing_", "billing" }, { "gis_", "geo" }, { "meter_", "meter" },
  { "install_", "service" }, { "workorder_", "service" }, { "hotline_", "service" },
  { "sms_", "service" },
};

/* ---- auxiliary methods ---- */

void
aq_naming_violation_free (AqNamingViolation *violation)
{
  if (violation == NULL)
    return;
  g_free (violation->object);
  g_free (violation->rule);
  g_free (violation->message);
  g_free (violation->suggestion);
  g_free (violation->exception);
  g_free (violation);
}

static void
add (GPtrArray  *out,
     const char *object,
     const char *rule,
     char       *suggestion,
     char       *message)
{
  AqNamingViolation *v = g_new0 (AqNamingViolation, 1);

  v->object = g_strdup (object);
  v->rule = g_strdup (rule);
  v->suggestion = suggestion;
  v->message = message;
  g_ptr_array_add (out, v);
}

static gboolean
is_snake_case (const char *name)
{
  if (!g_ascii_islower (name[0]))
    return FALSE;
  for (const char *p = name; *p; p++)
    {
      if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '_'))
        return FALSE;
      if (*p == '_' && (p[1] == '_' || p[1] == '\0'))
        return FALSE;
    }
  return TRUE;
}

static char *
to_snake_case (const char *name)
{
  GString *out = g_string_new (NULL);

  for (const char *p = name; *p; p++)
    {
      char c = *p;

      if (g_ascii_isupper (c) && out->len > 0 && g_ascii_islower (p[-1]))
        g_string_append_c (out, '_');
      c = g_ascii_tolower (c);
      if (!(g_ascii_isalnum (c)))
        c = '_';
      if (c == '_' && (out->len == 0 || out->str[out->len - 1] == '_'))
        continue;
      g_string_append_c (out, c);
    }
  while (out->len > 0 && out->str[out->len - 1] == '_')
    g_string_truncate (out, out->len - 1);
  if (out->len == 0 || !g_ascii_islower (out->str[0]))
    g_string_prepend (out, "x_");
  return g_string_free (out, FALSE);
}

static const char *
prefix_of (const char         *name,
           const char * const *prefixes)
{
  for (guint i = 0; prefixes[i]; i++)
    if (g_str_has_prefix (name, prefixes[i]))
      return prefixes[i];
  return NULL;
}

static const char *
subject_of_word (const char *rest)
{
  for (guint i = 0; i < G_N_ELEMENTS (vocabulary); i++)
    {
      gsize n = strlen (vocabulary[i].word);

      if (strncmp (rest, vocabulary[i].word, n) == 0 && (rest[n] == '\0' || rest[n] == '_'))
        return vocabulary[i].subject;
    }
  return NULL;
}

const char *
aq_naming_subject_of (const char *schema,
                      const char *table)
{
  const char *prefix;

  g_return_val_if_fail (schema != NULL && table != NULL, NULL);

  if (g_str_equal (schema, "ods"))
    {
      for (guint i = 0; i < G_N_ELEMENTS (ods_subjects); i++)
        if (g_str_has_prefix (table, ods_subjects[i].prefix))
          return ods_subjects[i].subject;
      return NULL;
    }
  if (g_str_has_prefix (schema, "src_"))
    {
      g_autofree char *as_ods = g_strconcat (schema + 4, "_", NULL);

      for (guint i = 0; i < G_N_ELEMENTS (ods_subjects); i++)
        if (g_str_equal (as_ods, ods_subjects[i].prefix))
          return ods_subjects[i].subject;
      return subject_of_word (table);
    }
  if (g_str_equal (schema, "dw"))
    prefix = prefix_of (table, dw_prefixes);
  else if (g_str_equal (schema, "dm"))
    prefix = g_str_has_prefix (table, "cube_") ? "cube_" : NULL;
  else
    prefix = NULL;
  return subject_of_word (table + (prefix ? strlen (prefix) : 0));
}

/* ---- rules ---- */

void
aq_naming_check_table (const char *schema,
                       const char *table,
                       GPtrArray  *out)
{
  g_autofree char *object = NULL;

  g_return_if_fail (schema != NULL && table != NULL && out != NULL);

  object = g_strconcat (schema, ".", table, NULL);
  if (!is_snake_case (table))
    {
      add (out, object, "snake-case", to_snake_case (table),
           g_strdup_printf (_("%s: names are lower case letters, digits and single underscores"),
                            object));
      return;
    }
  if (g_str_equal (schema, "ods") && prefix_of (table, ods_prefixes) == NULL)
    add (out, object, "layer-prefix", NULL,
         g_strdup_printf (_("%s: an ods table starts with its source system (billing_, gis_, "
                          "meter_, install_, workorder_, hotline_, sms_)"), object));
  else if (g_str_equal (schema, "dw") && prefix_of (table, dw_prefixes) == NULL)
    add (out, object, "layer-prefix",
         g_strconcat (subject_of_word (table) ? "dim_" : "fact_", table, NULL),
         g_strdup_printf (_("%s: a dw table is a dimension (dim_), a fact (fact_) or a map "
                          "layer (gis_)"), object));
  else if ((g_str_equal (schema, "dw") || g_str_equal (schema, "dm"))
           && aq_naming_subject_of (schema, table) == NULL)
    add (out, object, "subject-area", NULL,
         g_strdup_printf (_("%s: the name after its prefix does not start with a subject area's "
                          "word (customer, account, bill, payment, meter, work_order, call, "
                          "dma, community…)"), object));
}

static gboolean
type_is (const char *type,
         const char *prefix)
{
  return g_str_has_prefix (type, prefix);
}

static gboolean
type_is_number (const char *type)
{
  return type_is (type, "integer") || type_is (type, "bigint") || type_is (type, "smallint")
         || type_is (type, "numeric") || type_is (type, "double") || type_is (type, "real");
}

static gboolean
type_is_timestamp (const char *type)
{
  return type_is (type, "timestamp");
}

static char *
with_suffix (const char *column,
             const char *drop,
             const char *suffix)
{
  if (drop && g_str_has_suffix (column, drop))
    {
      g_autofree char *stem = g_strndup (column, strlen (column) - strlen (drop));

      return g_strconcat (stem, suffix, NULL);
    }
  return g_strconcat (column, suffix, NULL);
}

void
aq_naming_check_column (const char *schema,
                        const char *table,
                        const char *column,
                        const char *data_type,
                        GPtrArray  *out)
{
  g_autofree char *object = NULL;
  static const struct
  {
    const char *suffix;
    const char *expects;
  } class_words[] = {
    { "_id", "key" }, { "_no", "key" }, { "_code", "key" }, { "_name", "text" },
    { "_date", "date" }, { "_at", "timestamp" }, { "_qty", "number" },
    { "_amount", "number" }, { "_rate", "number" },
  };

  g_return_if_fail (schema && table && column && data_type && out);

  object = g_strconcat (schema, ".", table, ".", column, NULL);
  if (!is_snake_case (column))
    {
      add (out, object, "snake-case", to_snake_case (column),
           g_strdup_printf (_("%s: names are lower case letters, digits and single underscores"),
                            object));
      return;
    }
  if (!g_str_equal (schema, "dw") && !g_str_equal (schema, "dm"))
    return;

  if (g_str_equal (data_type, "boolean"))
    {
      if (!g_str_has_prefix (column, "is_") && !g_str_has_prefix (column, "has_"))
        add (out, object, "boolean-prefix", g_strconcat ("is_", column, NULL),
             g_strdup_printf (_("%s: a boolean column starts with is_ (or has_)"), object));
      return;
    }
  if (g_str_equal (data_type, "date"))
    {
      if (!g_str_has_suffix (column, "_date") && !g_str_has_suffix (column, "_on")
          && !g_str_has_suffix (column, "period"))
        add (out, object, "date-suffix",
             with_suffix (column, g_str_has_suffix (column, "_time") ? "_time" : NULL, "_date"),
             g_strdup_printf (_("%s: a date column ends in _date or _on (a month: period)"),
                              object));
      return;
    }
  if (type_is_timestamp (data_type))
    {
      if (!g_str_has_suffix (column, "_at"))
        add (out, object, "timestamp-suffix",
             with_suffix (column, g_str_has_suffix (column, "_time") ? "_time" : NULL, "_at"),
             g_strdup_printf (_("%s: a timestamp column ends in _at"), object));
      return;
    }
  if (g_str_has_prefix (column, "is_"))
    {
      add (out, object, "suffix-type", NULL,
           g_strdup_printf (_("%s: is_ promises a boolean but it is %s"), object, data_type));
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (class_words); i++)
    {
      const char *expects = class_words[i].expects;
      gboolean ok;

      if (!g_str_has_suffix (column, class_words[i].suffix))
        continue;
      if (g_str_equal (expects, "key"))
        ok = !type_is (data_type, "double") && !type_is (data_type, "real")
             && !type_is (data_type, "numeric");
      else if (g_str_equal (expects, "text"))
        ok = type_is (data_type, "text") || type_is (data_type, "character");
      else if (g_str_equal (expects, "number"))
        ok = type_is_number (data_type);
      else
        ok = FALSE;   /* date and timestamp names on other types */
      if (!ok)
        add (out, object, "suffix-type", NULL,
             g_strdup_printf (_("%s: %s promises a %s but it is %s"), object,
                              class_words[i].suffix, expects, data_type));
      return;
    }
}

/* ---- the lint ---- */

static GHashTable *
load_exceptions (const char  *json,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) bytes = NULL;
  GHashTable *exceptions;
  JsonNode *root;

  if (json == NULL)
    {
      bytes = g_resources_lookup_data (EXCEPTIONS_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (bytes == NULL)
        return NULL;
      json = g_bytes_get_data (bytes, NULL);
    }
  if (!json_parser_load_from_data (parser, json, bytes ? (gssize) g_bytes_get_size (bytes) : -1,
                                   error))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("naming exceptions: an array of {object, rule, reason} is expected"));
      return NULL;
    }
  exceptions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (root)); i++)
    {
      JsonObject *o = json_array_get_object_element (json_node_get_array (root), i);
      const char *object = o ? json_object_get_string_member_with_default (o, "object", NULL)
                             : NULL;
      const char *rule = o ? json_object_get_string_member_with_default (o, "rule", NULL) : NULL;
      const char *reason = o ? json_object_get_string_member_with_default (o, "reason", "")
                             : NULL;

      if (object == NULL || rule == NULL || reason == NULL || *reason == '\0')
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("naming exceptions[%u]: needs “object”, “rule” and a “reason”"), i);
          g_hash_table_unref (exceptions);
          return NULL;
        }
      g_hash_table_insert (exceptions, g_strconcat (object, "\n", rule, NULL), g_strdup (reason));
    }
  return exceptions;
}

GPtrArray *
aq_naming_lint (AqDb          *db,
                const char    *exceptions_json,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GHashTable) exceptions = NULL;
  g_autoptr(PGresult) tables = NULL;
  g_autoptr(PGresult) columns = NULL;
  g_autoptr(GPtrArray) out = NULL;
  gulong handler;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);

  exceptions = load_exceptions (exceptions_json, error);
  if (exceptions == NULL)
    return NULL;

  handler = aq_db_watch_cancellable (db, cancellable);
  tables = aq_db_query (db,
                        "SELECT table_schema, table_name FROM information_schema.tables "
                        "WHERE table_schema IN ('ods', 'dw', 'dm') "
                        "ORDER BY table_schema, table_name", 0, NULL, error);
  if (tables != NULL)
    columns = aq_db_query (db,
                           "SELECT c.table_schema, c.table_name, c.column_name, "
                           "       CASE WHEN c.data_type = 'USER-DEFINED' THEN c.udt_name "
                           "            ELSE c.data_type END "
                           "FROM information_schema.columns c "
                           "WHERE c.table_schema IN ('ods', 'dw', 'dm') "
                           "ORDER BY c.table_schema, c.table_name, c.ordinal_position",
                           0, NULL, error);
  aq_db_unwatch_cancellable (db, cancellable, handler);
  if (columns == NULL)
    return NULL;

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_naming_violation_free);
  for (int i = 0; i < PQntuples (tables); i++)
    aq_naming_check_table (PQgetvalue (tables, i, 0), PQgetvalue (tables, i, 1), out);
  for (int i = 0; i < PQntuples (columns); i++)
    aq_naming_check_column (PQgetvalue (columns, i, 0), PQgetvalue (columns, i, 1),
                            PQgetvalue (columns, i, 2), PQgetvalue (columns, i, 3), out);
  for (guint i = 0; i < out->len; i++)
    {
      AqNamingViolation *v = g_ptr_array_index (out, i);
      g_autofree char *key = g_strconcat (v->object, "\n", v->rule, NULL);
      const char *reason = g_hash_table_lookup (exceptions, key);

      if (reason != NULL)
        v->exception = g_strdup (reason);
    }
  return g_steal_pointer (&out);
}
