/* aq-quality-store.c — rules and results in meta.quality_*
 *
 * A rule's definition is stored whole (jsonb) per version; saving a definition that differs
 * from the current one adds a version, saving the same one changes nothing, so syncing the
 * standard set on every start is cheap and idempotent. Results name the version they were
 * measured with, so a rule's history stays readable across edits.
 */
#define G_LOG_DOMAIN "aq-quality-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "aq-error.h"
#include "aq-quality-private.h"

/* ---- auxiliary methods ---- */

static char *
definition_text (const AqQualityRule *rule)
{
  g_autoptr(JsonObject) o = aq_quality_rule_to_json (rule);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_remove_member (o, "version");
  json_node_set_object (node, o);
  return json_to_string (node, FALSE);
}

static AqQualityRule *
rule_from_row (PGresult *res,
               int       row,
               GError  **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  AqQualityRule *rule;

  if (!json_parser_load_from_data (parser, PQgetvalue (res, row, 1), -1, error))
    return NULL;
  rule = aq_quality_rule_new_from_json (json_node_get_object (json_parser_get_root (parser)),
                                        NULL, error);
  if (rule)
    rule->version = atoi (PQgetvalue (res, row, 2));
  return rule;
}

static GPtrArray *
rules_from_result (PGresult  *res,
                   GError   **error)
{
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               aq_quality_rule_free);

  for (int i = 0; i < PQntuples (res); i++)
    {
      AqQualityRule *rule = rule_from_row (res, i, error);

      if (rule == NULL)
        return NULL;
      g_ptr_array_add (rules, rule);
    }
  return g_steal_pointer (&rules);
}

#define SELECT_RULES \
  "SELECT r.rule_name, v.definition::text, r.version FROM meta.quality_rule r " \
  "JOIN meta.quality_rule_version v ON v.rule_name = r.rule_name AND v.version = r.version "

/* ---- saving ---- */

gboolean
aq_quality_save_rule (AqDb           *db,
                      AqQualityRule  *rule,
                      GError        **error)
{
  g_autofree char *def = NULL;
  g_autoptr(PGresult) res = NULL;
  const char *p[3];

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);
  if (!aq_quality_rule_validate (rule, error))
    return FALSE;
  def = definition_text (rule);
  p[0] = rule->name;
  p[1] = rule->rule_set;
  p[2] = def;
  /* one statement: insert the rule or bump its version when the definition changed */
  res = aq_db_query (db,
                     "WITH cur AS (SELECT r.version, v.definition FROM meta.quality_rule r "
                     "  JOIN meta.quality_rule_version v USING (rule_name) "
                     "  WHERE r.rule_name = $1 AND v.version = r.version FOR UPDATE OF r), "
                     "up AS (INSERT INTO meta.quality_rule AS q (rule_name, rule_set) "
                     "  VALUES ($1, $2) ON CONFLICT (rule_name) DO UPDATE "
                     "  SET version = q.version + 1, updated_at = now(), rule_set = $2 "
                     "  WHERE NOT EXISTS (SELECT 1 FROM cur WHERE cur.definition = $3::jsonb) "
                     "  RETURNING version) "
                     "INSERT INTO meta.quality_rule_version (rule_name, version, definition) "
                     "SELECT $1, version, $3::jsonb FROM up "
                     "RETURNING version", 3, p, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 1)
    rule->version = atoi (PQgetvalue (res, 0, 0));
  else
    {
      g_autofree char *v = aq_db_query_string (db, "SELECT version FROM meta.quality_rule "
                                                   "WHERE rule_name = $1", 1, p, error);

      if (v == NULL)
        return FALSE;
      rule->version = atoi (v);
    }
  return TRUE;
}

gboolean
aq_quality_sync_standard (AqDb    *db,
                          GError **error)
{
  g_autoptr(GPtrArray) rules = aq_quality_standard_rules (error);

  if (rules == NULL || !aq_db_begin (db, error))
    return FALSE;
  for (guint i = 0; i < rules->len; i++)
    if (!aq_quality_save_rule (db, g_ptr_array_index (rules, i), error))
      {
        aq_db_rollback (db);
        return FALSE;
      }
  return aq_db_commit (db, error);
}

/* ---- reading rules ---- */

GPtrArray *
aq_quality_list_rules (AqDb    *db,
                       GError **error)
{
  g_autoptr(PGresult) res = NULL;

  if (!aq_quality_sync_standard (db, error))
    return NULL;
  res = aq_db_query (db, SELECT_RULES "WHERE r.enabled ORDER BY r.rule_name", 0, NULL, error);
  return res ? rules_from_result (res, error) : NULL;
}

/* Rules by name or by set: each of @names is a rule name or a set name ("dw", "dm"…);
 * NULL or empty: every enabled rule. */
GPtrArray *
aq_quality_select_rules (AqDb               *db,
                         const char * const *names,
                         GError            **error)
{
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  g_autofree char *list = NULL;
  const char *p[1];

  if (names == NULL || names[0] == NULL)
    return aq_quality_list_rules (db, error);
  if (!aq_quality_sync_standard (db, error))
    return NULL;
  {
    g_autoptr(JsonArray) a = json_array_new ();
    g_autoptr(JsonNode) n = json_node_new (JSON_NODE_ARRAY);

    for (guint i = 0; names[i]; i++)
      json_array_add_string_element (a, names[i]);
    json_node_set_array (n, a);
    list = json_to_string (n, FALSE);
  }
  p[0] = list;
  res = aq_db_query (db, SELECT_RULES "WHERE r.rule_name IN (SELECT jsonb_array_elements_text"
                         "($1::jsonb)) OR r.rule_set IN (SELECT jsonb_array_elements_text"
                         "($1::jsonb)) ORDER BY r.rule_name", 1, p, error);
  if (res == NULL)
    return NULL;
  rules = rules_from_result (res, error);
  if (rules == NULL)
    return NULL;
  /* every name must mean something */
  for (guint i = 0; names[i]; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < rules->len && !found; j++)
        {
          AqQualityRule *r = g_ptr_array_index (rules, j);

          found = g_str_equal (r->name, names[i]) || g_str_equal (r->rule_set, names[i]);
        }
      if (!found)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND,
                       _("No quality rule or rule set is called “%s”"), names[i]);
          return NULL;
        }
    }
  return g_steal_pointer (&rules);
}

/* A rule at @version (0: the current one). */
AqQualityRule *
aq_quality_get_rule (AqDb        *db,
                     const char  *name,
                     int          version,
                     GError     **error)
{
  g_autoptr(PGresult) res = NULL;
  g_autofree char *v = g_strdup_printf ("%d", version);
  const char *p[2] = { name, v };

  res = aq_db_query (db, "SELECT v.rule_name, v.definition::text, v.version "
                         "FROM meta.quality_rule r JOIN meta.quality_rule_version v "
                         "USING (rule_name) WHERE r.rule_name = $1 "
                         "AND v.version = CASE WHEN $2::int > 0 THEN $2::int ELSE r.version END",
                     2, p, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("No quality rule is called “%s”"),
                   name);
      return NULL;
    }
  return rule_from_row (res, 0, error);
}

/* ---- reading results ---- */

AqQualityResult *
_aq_quality_result_from_row (PGresult *res,
                             int       i)
{
  AqQualityResult *r = g_new0 (AqQualityResult, 1);

  r->rule_name = g_strdup (PQgetvalue (res, i, 1));
  r->rule_version = atoi (PQgetvalue (res, i, 2));
  r->layer = g_strdup (PQgetvalue (res, i, 3));
  r->table = g_strdup (PQgetvalue (res, i, 4));
  r->dimension = g_strdup (PQgetvalue (res, i, 5));
  r->severity = g_strdup (PQgetvalue (res, i, 6));
  r->checked = g_ascii_strtoll (PQgetvalue (res, i, 7), NULL, 10);
  r->failing = g_ascii_strtoll (PQgetvalue (res, i, 8), NULL, 10);
  r->has_measured = !PQgetisnull (res, i, 9);
  r->measured = r->has_measured ? g_ascii_strtod (PQgetvalue (res, i, 9), NULL) : 0;
  r->status = g_strdup (PQgetvalue (res, i, 10));
  r->message = PQgetisnull (res, i, 11) ? NULL : g_strdup (PQgetvalue (res, i, 11));
  r->duration_ms = g_ascii_strtod (PQgetvalue (res, i, 12), NULL);
  r->run_id = g_ascii_strtoll (PQgetvalue (res, i, 0), NULL, 10);
  r->samples = g_ptr_array_new_with_free_func ((GDestroyNotify) _aq_quality_sample_free);
  return r;
}

#define SELECT_RESULTS \
  "SELECT run_id, rule_name, rule_version, layer, table_name, dimension, severity, " \
  "checked_rows, failing_rows, measured, status, message, duration_ms FROM meta.quality_result "

/* A stored run with its results and samples (@run_id 0: the latest run). */
AqQualityRun *
aq_quality_load_run (AqDb     *db,
                     gint64    run_id,
                     GError  **error)
{
  g_autoptr(AqQualityRun) run = g_new0 (AqQualityRun, 1);
  g_autoptr(PGresult) res = NULL;
  g_autoptr(PGresult) samples = NULL;
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);
  const char *p[1] = { id };

  res = aq_db_query (db, "SELECT run_id, scope, status, scans, coalesce(duration_ms, 0), "
                         "started_at FROM meta.quality_run WHERE run_id = CASE WHEN $1::bigint "
                         "> 0 THEN $1::bigint ELSE (SELECT max(run_id) FROM meta.quality_run) "
                         "END", 1, p, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      if (run_id > 0)
        g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("No quality run %s"), id);
      else
        g_set_error_literal (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("No quality run yet"));
      return NULL;
    }
  run->run_id = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  run->scope = g_strdup (PQgetvalue (res, 0, 1));
  run->status = g_strdup (PQgetvalue (res, 0, 2));
  run->scans = atoi (PQgetvalue (res, 0, 3));
  run->duration_ms = g_ascii_strtod (PQgetvalue (res, 0, 4), NULL);
  g_clear_pointer (&res, PQclear);
  g_free (id);
  id = g_strdup_printf ("%" G_GINT64_FORMAT, run->run_id);
  p[0] = id;
  res = aq_db_query (db, SELECT_RESULTS "WHERE run_id = $1 ORDER BY rule_name", 1, p, error);
  if (res == NULL)
    return NULL;
  samples = aq_db_query (db, "SELECT rule_name, row_key, value FROM meta.quality_sample "
                             "WHERE run_id = $1 ORDER BY rule_name, ord", 1, p, error);
  if (samples == NULL)
    return NULL;
  run->results = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_quality_result_free);
  for (int i = 0, s = 0; i < PQntuples (res); i++)
    {
      AqQualityResult *r = _aq_quality_result_from_row (res, i);

      for (; s < PQntuples (samples) && g_str_equal (PQgetvalue (samples, s, 0), r->rule_name);
           s++)
        {
          AqQualitySample *sample = g_new0 (AqQualitySample, 1);

          sample->row_key = PQgetisnull (samples, s, 1) ? NULL
                                                       : g_strdup (PQgetvalue (samples, s, 1));
          sample->value = PQgetisnull (samples, s, 2) ? NULL
                                                     : g_strdup (PQgetvalue (samples, s, 2));
          g_ptr_array_add (r->samples, sample);
        }
      g_ptr_array_add (run->results, r);
    }
  return g_steal_pointer (&run);
}

/* The rule's last @limit results, newest first (AqQualityResult, transfer full). */
GPtrArray *
aq_quality_rule_history (AqDb        *db,
                         const char  *rule_name,
                         int          limit,
                         GError     **error)
{
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                             aq_quality_result_free);
  g_autofree char *l = g_strdup_printf ("%d", limit > 0 ? limit : 30);
  const char *p[2] = { rule_name, l };
  gint64 exists = 0;

  if (!aq_db_query_int64 (db, "SELECT count(*) FROM meta.quality_rule WHERE rule_name = $1", 1,
                          p, &exists, error))
    return NULL;
  if (exists == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("No quality rule is called “%s”"),
                   rule_name);
      return NULL;
    }
  res = aq_db_query (db, SELECT_RESULTS "WHERE rule_name = $1 ORDER BY run_id DESC LIMIT $2::int",
                     2, p, error);
  if (res == NULL)
    return NULL;
  for (int i = 0; i < PQntuples (res); i++)
    {
    g_ptr_array_add (out, _aq_quality_result_from_row (res, i));
    }
  return g_steal_pointer (&out);
}
