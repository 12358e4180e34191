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
