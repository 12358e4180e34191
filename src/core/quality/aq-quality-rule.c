/* aq-quality-rule.c — a data-quality rule: read from JSON, checked, said in words
 *
 * Rules are plain data (JSON in data/quality/ and in meta.quality_rule_version) so an edit is a
 * new version, not code. Validation names the field at fault, the way the report specs do;
 * identifiers are checked here and quoted by the compiler, values always travel as parameters.
 */
#define G_LOG_DOMAIN "aq-quality-rule"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "aq-error.h"
#include "aq-quality.h"

#define STANDARD_DIR "/org/aqueduct/Aqueduct/quality/"

static const char * const types[] = {
  "not_null", "unique", "range", "pattern", "accepted_values", "referential", "freshness",
  "volume", "reconciliation", "distribution", "custom", NULL
};

static const char * const dimensions[] = {
  "completeness", "validity", "uniqueness", "consistency", "timeliness", "accuracy", "volume",
  NULL
};

static const char * const formats[] = {
  "mobile", "landline", "id_card", "meter_no", "account_no", NULL
};

/* ---- auxiliary methods ---- */

static gboolean
is_identifier (const char *text)
{
  if (text == NULL || *text == '\0' || strlen (text) > 63)
    return FALSE;
  if (!g_ascii_isalpha (*text) && *text != '_')
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
invalid (GError    **error,
         const char *rule,
         const char *format,
         ...) G_GNUC_PRINTF (3, 4);

static gboolean
invalid (GError    **error,
         const char *rule,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("Rule “%s”: %s"), rule ? rule : "?",
               message);
  return FALSE;
}

/* Checks that args.@name is an identifier, or an array of identifiers when @array. */
static gboolean
check_columns (const AqQualityRule *rule,
               JsonObject          *object,
               const char          *name,
               gboolean             required,
               GError             **error)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return required ? invalid (error, rule->name, _("args.%s is missing"), name) : TRUE;
  node = json_object_get_member (object, name);
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      if (json_array_get_length (array) == 0)
        return invalid (error, rule->name, _("args.%s is empty"), name);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *c = json_array_get_string_element (array, i);

          if (!is_identifier (c))
            return invalid (error, rule->name, _("args.%s[%u] is not a column name"), name, i);
        }
      return TRUE;
    }
  if (!is_identifier (member_string (object, name)))
    return invalid (error, rule->name, _("args.%s is not a column name"), name);
  return TRUE;
}

static gboolean
check_target (const AqQualityRule *rule,
              JsonObject          *target,
              const char          *what,
              GError             **error)
{
  if (target == NULL)
    return invalid (error, rule->name, _("args.%s is missing"), what);
  if (!is_identifier (member_string (target, "layer"))
      || !is_identifier (member_string (target, "table")))
    return invalid (error, rule->name, _("args.%s needs a layer and a table"), what);
  return TRUE;
}

static JsonObject *
args_object (const AqQualityRule *rule,
             const char          *name)
{
  JsonNode *node;

  if (!json_object_has_member (rule->args, name))
    return NULL;
  node = json_object_get_member (rule->args, name);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* ---- rules ---- */

AqQualityRule *
aq_quality_rule_new_from_json (JsonObject  *object,
                               const char  *rule_set,
                               GError     **error)
{
  g_autoptr(AqQualityRule) rule = g_new0 (AqQualityRule, 1);
  JsonObject *args = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  rule->name = g_strdup (member_string (object, "name"));
  rule->rule_set = g_strdup (member_string (object, "set") ? member_string (object, "set")
                                                           : rule_set ? rule_set : "custom");
  rule->layer = g_strdup (member_string (object, "layer"));
  rule->table = g_strdup (member_string (object, "table"));
  rule->filter = g_strdup (member_string (object, "filter"));
  rule->type = g_strdup (member_string (object, "type"));
  rule->dimension = g_strdup (member_string (object, "dimension"));
  rule->severity = g_strdup (member_string (object, "severity") ? member_string (object,
                                                                                 "severity")
                                                                : "warn");
  rule->owner = g_strdup (member_string (object, "owner"));
  rule->description = g_strdup (member_string (object, "description"));
  rule->reason = g_strdup (member_string (object, "reason"));
  rule->description_zh = g_strdup (member_string (object, "description_zh"));
  rule->reason_zh = g_strdup (member_string (object, "reason_zh"));
  if (json_object_has_member (object, "args")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "args")))
    args = json_object_get_object_member (object, "args");
  rule->args = args ? json_object_ref (args) : json_object_new ();
  rule->share = g_strcmp0 (member_string (object, "unit"), "share") == 0;
  rule->warn_at = json_object_has_member (object, "warn_at")
                  ? json_object_get_double_member (object, "warn_at") : 1;
  rule->fail_at = json_object_has_member (object, "fail_at")
                  ? json_object_get_double_member (object, "fail_at") : 1;
  rule->version = json_object_has_member (object, "version")
                  ? (int) json_object_get_int_member (object, "version") : 0;
  if (!aq_quality_rule_validate (rule, error))
    return NULL;
  return g_steal_pointer (&rule);
}

JsonObject *
aq_quality_rule_to_json (const AqQualityRule *rule)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "name", rule->name);
  json_object_set_string_member (o, "set", rule->rule_set);
  json_object_set_string_member (o, "layer", rule->layer);
  json_object_set_string_member (o, "table", rule->table);
  if (rule->filter)
    json_object_set_string_member (o, "filter", rule->filter);
  json_object_set_string_member (o, "type", rule->type);
  json_object_set_object_member (o, "args", json_object_ref (rule->args));
  json_object_set_string_member (o, "dimension", rule->dimension);
  json_object_set_string_member (o, "severity", rule->severity);
  json_object_set_string_member (o, "unit", rule->share ? "share" : "count");
  json_object_set_double_member (o, "warn_at", rule->warn_at);
  json_object_set_double_member (o, "fail_at", rule->fail_at);
  if (rule->owner)
    json_object_set_string_member (o, "owner", rule->owner);
  if (rule->description)
    json_object_set_string_member (o, "description", rule->description);
  if (rule->reason)
    json_object_set_string_member (o, "reason", rule->reason);
  if (rule->description_zh)
    json_object_set_string_member (o, "description_zh", rule->description_zh);
  if (rule->reason_zh)
    json_object_set_string_member (o, "reason_zh", rule->reason_zh);
  if (rule->version > 0)
    json_object_set_int_member (o, "version", rule->version);
  return o;
}

AqQualityRule *
aq_quality_rule_copy (const AqQualityRule *rule)
{
  g_autoptr(JsonObject) o = aq_quality_rule_to_json (rule);

  return aq_quality_rule_new_from_json (o, rule->rule_set, NULL);
}

void
aq_quality_rule_free (AqQualityRule *rule)
{
  if (rule == NULL)
    return;
  g_free (rule->name);
  g_free (rule->rule_set);
  g_free (rule->layer);
  g_free (rule->table);
  g_free (rule->filter);
  g_free (rule->type);
  g_clear_pointer (&rule->args, json_object_unref);
  g_free (rule->dimension);
  g_free (rule->severity);
  g_free (rule->owner);
  g_free (rule->description);
  g_free (rule->reason);
  g_free (rule->description_zh);
  g_free (rule->reason_zh);
  g_free (rule);
}

gboolean
aq_quality_rule_is_column_rule (const AqQualityRule *rule)
{
  /* lookups (dictionaries, referenced keys) are hashed subqueries: they ride the scan too */
  return g_str_equal (rule->type, "not_null") || g_str_equal (rule->type, "range")
         || g_str_equal (rule->type, "pattern") || g_str_equal (rule->type, "accepted_values")
         || g_str_equal (rule->type, "referential")
         || (g_str_equal (rule->type, "custom") && json_object_has_member (rule->args,
                                                                           "condition"));
}

gboolean
aq_quality_rule_validate (const AqQualityRule *rule,
                          GError             **error)
{
  const char *t = rule->type;

  if (rule->name == NULL || !g_regex_match_simple ("^[A-Za-z0-9_.-]{1,100}$", rule->name, 0, 0))
    return invalid (error, rule->name, _("the name may hold letters, digits, “_”, “.” and “-”"));
  if (!is_identifier (rule->layer) || !is_identifier (rule->table))
    return invalid (error, rule->name, _("layer and table must be names of the warehouse"));
  if (t == NULL || !g_strv_contains (types, t))
    return invalid (error, rule->name, _("unknown rule type “%s”"), t ? t : "");
  if (rule->dimension == NULL || !g_strv_contains (dimensions, rule->dimension))
    return invalid (error, rule->name, _("unknown quality dimension “%s”"),
                    rule->dimension ? rule->dimension : "");
  if (g_strcmp0 (rule->severity, "warn") != 0 && g_strcmp0 (rule->severity, "fail") != 0)
    return invalid (error, rule->name, _("severity is “warn” or “fail”"));
  if (rule->warn_at < 0 || rule->fail_at < 0 || (rule->share && (rule->warn_at > 1
                                                                 || rule->fail_at > 1)))
    return invalid (error, rule->name, _("thresholds are counts ≥ 0 or shares between 0 and 1"));
  if (rule->filter && (strchr (rule->filter, ';') || strstr (rule->filter, "--")))
    return invalid (error, rule->name, _("the filter is one condition, without “;” or “--”"));

  if (g_str_equal (t, "not_null") || g_str_equal (t, "range") || g_str_equal (t, "pattern")
      || g_str_equal (t, "accepted_values"))
    if (!check_columns (rule, rule->args, "column", TRUE, error))
      return FALSE;
  if (g_str_equal (t, "unique") && !check_columns (rule, rule->args, "columns", TRUE, error))
    return FALSE;
  if (g_str_equal (t, "range") && !json_object_has_member (rule->args, "min")
      && !json_object_has_member (rule->args, "max")
      && !json_object_get_boolean_member_with_default (rule->args, "not_future", FALSE))
    return invalid (error, rule->name, _("a range needs min, max or not_future"));
  if (g_str_equal (t, "pattern"))
    {
      const char *format = member_string (rule->args, "format");
      const char *regex = member_string (rule->args, "regex");

      if (format && !g_strv_contains (formats, format))
        return invalid (error, rule->name, _("unknown format “%s”"), format);
      if (!format && !regex)
        return invalid (error, rule->name, _("a pattern needs a regex or a format"));
    }
  if (g_str_equal (t, "accepted_values"))
    {
      JsonObject *dict = args_object (rule, "dictionary");

      if (!json_object_has_member (rule->args, "values") && dict == NULL)
        return invalid (error, rule->name, _("accepted values need a list or a dictionary"));
      if (dict && (!check_target (rule, dict, "dictionary", error)
                   || !check_columns (rule, dict, "column", TRUE, error)))
        return FALSE;
    }
  if (g_str_equal (t, "referential"))
    {
      JsonObject *ref = args_object (rule, "ref");

      if (!check_columns (rule, rule->args, "columns", TRUE, error)
          || !check_target (rule, ref, "ref", error)
          || !check_columns (rule, ref, "columns", TRUE, error))
        return FALSE;
    }
  if (g_str_equal (t, "freshness"))
    {
      if (!check_columns (rule, rule->args, "column", TRUE, error))
        return FALSE;
      if (!json_object_has_member (rule->args, "max_age_days"))
        return invalid (error, rule->name, _("freshness needs max_age_days"));
    }
  if (g_str_equal (t, "reconciliation"))
    {
      JsonObject *left = args_object (rule, "left");
      JsonObject *right = args_object (rule, "right");

      if (!check_target (rule, left, "left", error) || !check_target (rule, right, "right", error))
        return FALSE;
      if (!member_string (left, "measure") || !member_string (right, "measure"))
        return invalid (error, rule->name, _("both sides need a measure, e.g. count(*)"));
    }
  if (g_str_equal (t, "distribution") && !member_string (rule->args, "condition"))
    return invalid (error, rule->name, _("a distribution needs a condition"));
  if (g_str_equal (t, "custom"))
    {
      const char *sql = member_string (rule->args, "sql");
      const char *condition = member_string (rule->args, "condition");

      /* a condition on one row rides the table's scan; a query is a statement of its own */
      if (condition && !strchr (condition, ';'))
        return TRUE;
      if (sql == NULL || strchr (sql, ';'))
        return invalid (error, rule->name, _("custom SQL is one SELECT returning failing rows"));
    }
  return TRUE;
}

/* What a rule checks, in words, for its page and the CLI: its description in the user's
 * language (the Chinese one under a Chinese locale, when the rule has one), else a sentence
 * made from its type. */
char *
aq_quality_rule_explain (const AqQualityRule *rule)
{
  const char *column = member_string (rule->args, "column");
  const char *const *languages = g_get_language_names ();
  g_autofree char *target = g_strdup_printf ("%s.%s", rule->layer, rule->table);

  if (rule->description_zh && *rule->description_zh && languages[0]
      && g_str_has_prefix (languages[0], "zh"))
    return g_strdup (rule->description_zh);
  if (rule->description)
    return g_strdup (rule->description);
  if (g_str_equal (rule->type, "not_null"))
    return g_strdup_printf (_("Every row of %s has a %s."), target, column);
  if (g_str_equal (rule->type, "unique"))
    return g_strdup_printf (_("No two rows of %s share the same key."), target);
  if (g_str_equal (rule->type, "range"))
    return g_strdup_printf (_("%s of %s lies within its allowed range."), column, target);
  if (g_str_equal (rule->type, "pattern"))
    return g_strdup_printf (_("%s of %s is well formed."), column, target);
  if (g_str_equal (rule->type, "accepted_values"))
    return g_strdup_printf (_("%s of %s holds only known codes."), column, target);
  if (g_str_equal (rule->type, "referential"))
    return g_strdup_printf (_("Every key of %s exists where it points."), target);
  if (g_str_equal (rule->type, "freshness"))
    return g_strdup_printf (_("%s was loaded recently enough."), target);
  if (g_str_equal (rule->type, "volume"))
    return g_strdup_printf (_("%s holds a plausible number of rows."), target);
  if (g_str_equal (rule->type, "reconciliation"))
    return g_strdup_printf (_("%s agrees with the layer it came from."), target);
  if (g_str_equal (rule->type, "distribution"))
    return g_strdup_printf (_("The share of unusual rows in %s stays within its band."), target);
  return g_strdup_printf (_("A custom check on %s finds no failing rows."), target);
}

/* ---- the standard set ---- */

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

char **
aq_quality_standard_sets (void)
{
  g_auto(GStrv) names = g_resources_enumerate_children (STANDARD_DIR, 0, NULL);
  g_autoptr(GPtrArray) sets = g_ptr_array_new ();

  for (guint i = 0; names && names[i]; i++)
    if (g_str_has_suffix (names[i], ".json"))
      g_ptr_array_add (sets, g_strndup (names[i], strlen (names[i]) - 5));
  g_ptr_array_sort (sets, compare_names);
  g_ptr_array_add (sets, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&sets), FALSE);
}

GPtrArray *
aq_quality_standard_rules (GError **error)
{
  g_auto(GStrv) sets = aq_quality_standard_sets ();
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               aq_quality_rule_free);

  for (guint i = 0; sets[i]; i++)
    {
      g_autofree char *path = g_strdup_printf (STANDARD_DIR "%s.json", sets[i]);
      g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, error);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonArray *array;

      if (bytes == NULL
          || !json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                          g_bytes_get_size (bytes), error))
        return NULL;
      if (!JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("%s: not an array of rules"), path);
          return NULL;
        }
      array = json_node_get_array (json_parser_get_root (parser));
      for (guint j = 0; j < json_array_get_length (array); j++)
        {
          AqQualityRule *rule =
            aq_quality_rule_new_from_json (json_array_get_object_element (array, j), sets[i],
                                           error);

          if (rule == NULL)
            return NULL;
          g_ptr_array_add (rules, rule);
        }
    }
  return g_steal_pointer (&rules);
}
