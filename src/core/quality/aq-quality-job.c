/* aq-quality-job.c — a rule set as a scheduled job (kind "quality")
 *
 * The scheduler knows this kind through the small hook in aq-job-kinds.c; everything else is
 * here. The target names rule sets or rules, separated by spaces or commas ("dw dm", "all").
 * A run is stored like one from the panel or the CLI (trigger "schedule"); the job fails when
 * a fail-severity rule fails, so a job chained "after" it runs only on good data. Running a
 * set again is harmless: each run is its own row.
 */
#define G_LOG_DOMAIN "aq-quality-job"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "aq-error.h"
#include "aq-quality-private.h"

static GStrv
split_target (const char *target)
{
  g_auto(GStrv) parts = g_regex_split_simple ("[\\s,]+", target ? target : "", 0, 0);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; parts[i]; i++)
    if (*parts[i] && !g_str_equal (parts[i], "all"))
      g_ptr_array_add (names, g_strdup (parts[i]));
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

gboolean
aq_quality_job_validate (const char  *target,
                         GError     **error)
{
  g_auto(GStrv) names = split_target (target);

  for (guint i = 0; names[i]; i++)
    if (!g_regex_match_simple ("^[A-Za-z0-9_.-]{1,100}$", names[i], 0, 0))
      {
        g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                     _("target: “%s” is not a rule or rule set name"), names[i]);
        return FALSE;
      }
  return TRUE;
}

char *
aq_quality_job_run (const char    *target,
                    const char    *conninfo,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_auto(GStrv) names = split_target (target);
  g_autoptr(AqDb) db = aq_db_connect (conninfo, error);
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(AqQualityRun) run = NULL;
  g_autoptr(GString) failing = g_string_new (NULL);
  AqQualityOptions options;

  if (db == NULL
      || (rules = aq_quality_select_rules (db, (const char * const *) names, error)) == NULL)
    return NULL;
  aq_quality_options_init (&options);
  options.trigger = "schedule";
  run = aq_quality_run_rules (db, rules, target && *target ? target : "all", &options,
                              cancellable, error);
  if (run == NULL)
    return NULL;
  for (guint i = 0; i < run->results->len; i++)
    {
      AqQualityResult *r = g_ptr_array_index (run->results, i);

      if (g_str_equal (r->status, "fail"))
        g_string_append_printf (failing, "%s%s", failing->len ? ", " : "", r->rule_name);
    }
  if (failing->len)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run->run_id);

      g_set_error (error, AQ_ERROR, AQ_ERROR_FAILED, _("quality run %s failed: %s"), id,
                   failing->str);
      return NULL;
    }
  {
    g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run->run_id);

    return g_strdup_printf (_("quality run %s: %s, %u rules"), id, run->status,
                            run->results->len);
  }
}

/* ---- the pipeline gate ---- */

static AqQualityRule *
find_rule (AqDb        *db,
           GPtrArray   *standard,
           const char  *name,
           GError     **error)
{
  for (guint i = 0; standard && i < standard->len; i++)
    {
      AqQualityRule *r = g_ptr_array_index (standard, i);

      if (g_str_equal (r->name, name))
        return aq_quality_rule_copy (r);
    }
  return aq_quality_get_rule (db, name, 0, error);
}

gboolean
aq_quality_gate_run (AqDb          *db,
                     JsonObject    *definition,
                     GCancellable  *cancellable,
                     gint64        *out_rows,
                     GError       **error)
{
  g_autoptr(GPtrArray) standard = aq_quality_standard_rules (NULL);
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               aq_quality_rule_free);
  g_autoptr(AqQualityRun) run = NULL;
  g_autofree char *old_timeout = NULL;
  JsonArray *names = json_object_get_array_member (definition, "rules");
  AqQualityOptions options;
  const char *p[1];
  gint64 rows = 0;

  for (guint i = 0; i < json_array_get_length (names); i++)
    {
      AqQualityRule *rule = find_rule (db, standard, json_array_get_string_element (names, i),
                                       error);

      if (rule == NULL)
        return FALSE;
      g_ptr_array_add (rules, rule);
    }
  /* the gate's statement timeout is for its own statements: the run's setting comes back */
  old_timeout = aq_db_query_string (db, "SELECT current_setting('statement_timeout')", 0, NULL,
                                    error);
  if (old_timeout == NULL)
    return FALSE;
  aq_quality_options_init (&options);
  options.in_transaction = TRUE;
  options.store = FALSE;
  options.trigger = "gate";
  run = aq_quality_run_rules (db, rules, "gate", &options, cancellable, error);
  p[0] = old_timeout;
  {
    g_autoptr(PGresult) res = aq_db_query (db, "SELECT set_config('statement_timeout', $1, true)",
                                           1, p, run ? error : NULL);

    if (res == NULL && run != NULL)
      return FALSE;
  }
  if (run == NULL)
    return FALSE;
  for (guint i = 0; i < run->results->len; i++)
    {
      AqQualityResult *r = g_ptr_array_index (run->results, i);

      rows += r->checked;
      if (g_str_equal (r->status, "fail"))
        {
          AqQualityRule *rule = NULL;
          g_autofree char *words = NULL;
          g_autofree char *failing = g_strdup_printf ("%" G_GINT64_FORMAT, r->failing);
          g_autofree char *checked = g_strdup_printf ("%" G_GINT64_FORMAT, r->checked);

          for (guint k = 0; k < rules->len; k++)
            if (g_str_equal (((AqQualityRule *) g_ptr_array_index (rules, k))->name,
                             r->rule_name))
              rule = g_ptr_array_index (rules, k);
          words = rule ? aq_quality_rule_explain (rule) : g_strdup ("");
          g_set_error (error, AQ_ERROR, AQ_ERROR_FAILED,
                       _("Quality gate: rule “%s” fails on %s of %s rows (%s); nothing was "
                         "loaded"), r->rule_name, failing, checked, words);
          return FALSE;
        }
    }
  *out_rows = rows;
  return TRUE;
}
