/* aq-ctl-job.c — aqueductctl job list|add|remove|enable|disable|run|history|kinds
 *
 * The scheduler's jobs from the command line; all SQL is in core (src/core/scheduler/).
 * `job run NAME` runs the job here and now (trigger "hand") and waits for its end, so a
 * script sees the outcome in the exit code; the daemon runs the jobs chained after it.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "aq-ctl.h"

#define USAGE N_(\
  "job list [--json]\n" \
  "       | job add NAME --kind KIND --target TARGET (--schedule CRON | --after JOB)\n" \
  "             [--time-zone ZONE] [--retries N] [--backoff SECONDS] [--timeout SECONDS]\n" \
  "             [--allow-overlap] [--disabled]\n" \
  "       | job remove|enable|disable NAME\n" \
  "       | job run NAME [--json]\n" \
  "       | job history [NAME] [--limit N] [--json]\n" \
  "       | job kinds")

static gboolean opt_json;
static char *opt_kind;
static char *opt_target;
static char *opt_schedule;
static char *opt_after;
static char *opt_zone;
static int opt_retries = 0;
static int opt_backoff = AQ_JOB_DEFAULT_BACKOFF;
static int opt_timeout = AQ_JOB_DEFAULT_TIMEOUT;
static int opt_limit = 20;
static gboolean opt_allow_overlap;
static gboolean opt_disabled;

static GOptionEntry entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Answer in JSON"), NULL },
  { "kind", 0, 0, G_OPTION_ARG_STRING, &opt_kind, N_("What the job is (see job kinds)"), "KIND" },
  { "target", 0, 0, G_OPTION_ARG_STRING, &opt_target, N_("What it runs, e.g. a pipeline"),
    "TARGET" },
  { "schedule", 0, 0, G_OPTION_ARG_STRING, &opt_schedule, N_("When: a cron expression"), "CRON" },
  { "after", 0, 0, G_OPTION_ARG_STRING, &opt_after, N_("Run after this job succeeded"), "JOB" },
  { "time-zone", 0, 0, G_OPTION_ARG_STRING, &opt_zone, N_("The schedule's zone (Asia/Shanghai)"),
    "ZONE" },
  { "retries", 0, 0, G_OPTION_ARG_INT, &opt_retries, N_("Attempts after a failure (0)"), "N" },
  { "backoff", 0, 0, G_OPTION_ARG_INT, &opt_backoff, N_("Seconds before the first retry (60)"),
    "SECONDS" },
  { "timeout", 0, 0, G_OPTION_ARG_INT, &opt_timeout, N_("Cancel a run after this long (3600)"),
    "SECONDS" },
  { "allow-overlap", 0, 0, G_OPTION_ARG_NONE, &opt_allow_overlap,
    N_("Let a run start while the previous one runs"), NULL },
  { "disabled", 0, 0, G_OPTION_ARG_NONE, &opt_disabled, N_("Add it disabled"), NULL },
  { "limit", 0, 0, G_OPTION_ARG_INT, &opt_limit, N_("Runs to show (20)"), "N" },
  { NULL }
};

/* ---- auxiliary methods ---- */

static char *
local_time (GDateTime *dt)
{
  g_autoptr(GTimeZone) zone = aq_clock_zone ();
  g_autoptr(GDateTime) local = NULL;

  if (dt == NULL)
    return g_strdup ("-");
  local = g_date_time_to_timezone (dt, zone);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

static char *
owner_name (void)
{
  return g_strdup_printf ("%s:%d:aqueductctl", g_get_host_name (), (int) getpid ());
}

/* ---- verbs ---- */

static int
job_list (AqDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = aq_job_list (db, &error);

  if (jobs == NULL)
    return aq_ctl_fail (error);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < jobs->len; i++)
        json_array_add_element (array, aq_job_to_json (g_ptr_array_index (jobs, i)));
      json_node_take_array (root, array);
      aq_ctl_print_json (root);
      return AQ_CTL_OK;
    }
  for (guint i = 0; i < jobs->len; i++)
    {
      AqJob *job = g_ptr_array_index (jobs, i);
      g_autofree char *next = local_time (job->next_due_at);
      g_autofree char *last = local_time (job->last_started_at);
      g_autofree char *when = job->schedule ? g_strdup (job->schedule)
                                            : g_strdup_printf (_("after %s"), job->after_job);

      g_print (_("%-20s %-8s %-3s %-18s next %-19s last %-11s %s\n"), job->name, job->kind,
               job->enabled ? _("on") : _("off"), when, next,
               job->last_status ? job->last_status : "-", last);
    }
  return AQ_CTL_OK;
}

static int
job_add (AqDb       *db,
         const char *name)
{
  g_autoptr(AqJob) job = aq_job_new (name, opt_kind, opt_target);
  g_autoptr(GError) error = NULL;

  job->schedule = g_strdup (opt_schedule);
  job->after_job = g_strdup (opt_after);
  job->time_zone = g_strdup (opt_zone);
  job->retries = opt_retries;
  job->backoff_seconds = opt_backoff;
  job->timeout_seconds = opt_timeout;
  job->no_overlap = !opt_allow_overlap;
  job->enabled = !opt_disabled;
  if (!aq_job_add (db, job, &error))
    return aq_ctl_fail (error);
  g_print (_("job %s added\n"), name);
  return AQ_CTL_OK;
}

static int
job_run (AqDb       *db,
         const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqJobRun) run = NULL;
  g_autofree char *owner = owner_name ();
  gboolean ok = aq_job_queue_run_now (db, name, owner, aq_ctl_cancellable (), &run, &error);

  if (run && opt_json)
    {
      g_autoptr(JsonNode) node = aq_job_run_to_json (run);

      aq_ctl_print_json (node);
    }
  else if (run)
    g_print (_("job %s: run %" PRId64 " %s%s%s\n"), name, run->run_id, run->status,
             run->log_excerpt ? ": " : "", run->log_excerpt ? run->log_excerpt : "");
  if (!ok)
    return aq_ctl_fail (error);
  return AQ_CTL_OK;
}

static int
job_history (AqDb       *db,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = NULL;

  if (opt_limit <= 0)
    return aq_ctl_usage (USAGE, _("--limit is a positive number"));
  runs = aq_job_history (db, name, opt_limit, &error);
  if (runs == NULL)
    return aq_ctl_fail (error);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < runs->len; i++)
        json_array_add_element (array, aq_job_run_to_json (g_ptr_array_index (runs, i)));
      json_node_take_array (root, array);
      aq_ctl_print_json (root);
      return AQ_CTL_OK;
    }
  for (guint i = 0; i < runs->len; i++)
    {
      AqJobRun *run = g_ptr_array_index (runs, i);
      g_autofree char *scheduled = local_time (run->scheduled_for);
      g_autofree char *started = local_time (run->started_at);

      g_print (_("%-8" PRId64 " %-20s %-19s %-8s #%d %-11s started %-19s %s\n"),
               run->run_id, run->job_name, scheduled, run->trigger, run->attempt, run->status,
               started, run->error ? run->error : "");
    }
  return AQ_CTL_OK;
}

static int
job_kinds (void)
{
  g_auto(GStrv) names = aq_job_kind_list ();

  for (guint i = 0; names[i]; i++)
    g_print ("%-10s %s\n", names[i], _(aq_job_kind_lookup (names[i])->description));
  return AQ_CTL_OK;
}

/* ---- command ---- */

int
aq_ctl_job (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (USAGE);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  const char *verb;
  const char *name;
  int code = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!aq_ctl_parse (context, &argc, &argv, &code))
    return code;
  if (argc < 2)
    return aq_ctl_usage (USAGE, NULL);
  verb = argv[1];
  name = argc > 2 ? argv[2] : NULL;
  if (strcmp (verb, "kinds") == 0)
    return job_kinds ();
  if (argc > 3
      || (strcmp (verb, "list") == 0 && name)
      || (strcmp (verb, "list") != 0 && strcmp (verb, "history") != 0 && name == NULL))
    return aq_ctl_usage (USAGE, NULL);
  if (strcmp (verb, "list") != 0 && strcmp (verb, "add") != 0 && strcmp (verb, "remove") != 0
      && strcmp (verb, "enable") != 0 && strcmp (verb, "disable") != 0
      && strcmp (verb, "run") != 0 && strcmp (verb, "history") != 0)
    return aq_ctl_usage (USAGE, NULL);

  db = aq_connection_open (NULL, &error);
  if (db == NULL)
    return aq_ctl_fail (error);
  if (strcmp (verb, "list") == 0)
    return job_list (db);
  if (strcmp (verb, "add") == 0)
    return job_add (db, name);
  if (strcmp (verb, "run") == 0)
    return job_run (db, name);
  if (strcmp (verb, "history") == 0)
    return job_history (db, name);
  if (strcmp (verb, "remove") == 0 ? !aq_job_remove (db, name, &error)
                                   : !aq_job_set_enabled (db, name,
                                                          strcmp (verb, "enable") == 0, &error))
    return aq_ctl_fail (error);
  g_print (strcmp (verb, "remove") == 0 ? _("job %s removed\n")
           : strcmp (verb, "enable") == 0 ? _("job %s enabled\n") : _("job %s disabled\n"), name);
  return AQ_CTL_OK;
}
