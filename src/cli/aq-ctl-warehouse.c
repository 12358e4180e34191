/* aq-ctl-warehouse.c — aqueductctl warehouse init|start|stop|status|url|ddl */
#define G_LOG_DOMAIN "aqueductctl"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "aq-ctl.h"

#define USAGE N_("warehouse init [--demo] [--scale ACCOUNTS] [--months N] [--seed S] [--ahead N] " \
              "| start | stop | status [--json] | url | " \
              "ddl --profile greenplum|citus")

static gboolean opt_json;
static gboolean opt_demo;
/* 0: the simulator's default */
static int opt_scale;
static int opt_months;
static gint64 opt_seed;
/* warehouse ddl: the target */
static char *opt_ddl_profile;
static int opt_ahead;

static GOptionEntry entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Answer in JSON"), NULL },
  { "demo", 0, 0, G_OPTION_ARG_NONE, &opt_demo, N_("Fill the warehouse with demo data"), NULL },
  { "scale", 0, 0, G_OPTION_ARG_INT, &opt_scale, N_("Demo accounts (default 100000)"), "N" },
  { "months", 0, 0, G_OPTION_ARG_INT, &opt_months, N_("Demo months of history (default 36)"), "N" },
  { "seed", 0, 0, G_OPTION_ARG_INT64, &opt_seed, N_("Demo random seed"), "S" },
  { "profile", 0, 0, G_OPTION_ARG_STRING, &opt_ddl_profile,
    N_("DDL target for “ddl”: greenplum (also Cloudberry) or citus"), "NAME" },
  { "ahead", 0, 0, G_OPTION_ARG_INT, &opt_ahead,
    N_("Demo months planned beyond the last one, room to append later (default 0)"), "N" },
  { NULL }
};

static int
warehouse_init (AqLocalWarehouse *wh)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *conninfo = NULL;
  g_autoptr(AqDb) db = NULL;
  guint applied = 0;
  gboolean created = !aq_local_warehouse_is_initialized (wh);
  AqSimulatorOptions options;

  aq_simulator_options_init (&options);
  if (opt_scale)
    options.accounts = opt_scale;
  if (opt_months)
    options.months = opt_months;
  if (opt_seed)
    options.seed = opt_seed;
  if (opt_ahead > 0)
    options.ahead = (guint) opt_ahead;
  if (opt_demo && !aq_simulator_options_check (&options, &error))
    return aq_ctl_usage (USAGE, error->message);

  aq_ctl_progress (-1, _("Creating the warehouse cluster"), NULL);
  if (!aq_local_warehouse_create (wh, &error)
      || !aq_local_warehouse_start (wh, &error)
      || !aq_local_warehouse_ensure_database (wh, "aqueduct", &error))
    return aq_ctl_fail (error);

  conninfo = aq_local_warehouse_get_conninfo (wh, NULL);
  db = aq_db_connect (conninfo, &error);
  if (db == NULL)
    return aq_ctl_fail (error);
  aq_ctl_progress (-1, _("Applying migrations"), NULL);
  if (!aq_warehouse_prepare (db, &applied, &error))
    return aq_ctl_fail (error);
  aq_ctl_progress_done ();
  g_print (created ? ngettext ("Created the warehouse in %s (%u migration applied)\n",
                               "Created the warehouse in %s (%u migrations applied)\n", applied)
           : ngettext ("The warehouse is ready in %s (%u migration applied)\n",
                       "The warehouse is ready in %s (%u migrations applied)\n", applied),
           aq_local_warehouse_get_dir (wh), applied);
  /* whoever ran init administers it and, for the demo, holds every job: their own login,
   * reached by peer authentication; others are added with `aqueductctl user add` */
  {
    g_autofree char *me = aq_local_warehouse_get_init_login (wh);

    if (me && !aq_users_add (db, me, AQ_JOB_ROLE_ALL, TRUE, &error))
      return aq_ctl_fail (error);
    if (me && created)
      g_print (_("Your login %s holds every role; add others with “aqueductctl user add”\n"), me);
  }

  if (opt_demo)
    {
      gboolean had_demo = FALSE;

      if (!aq_demo_exists (db, &had_demo, &error))
        return aq_ctl_fail (error);
      if (!had_demo)
        {
          g_autoptr(GTimer) timer = g_timer_new ();

          if (!aq_demo_build (db, &options, aq_ctl_progress, NULL, aq_ctl_cancellable (),
                              &error))
            return aq_ctl_fail (error);
          aq_ctl_progress_done ();
          g_print (_("Built the demo warehouse: %u accounts × %u months in %.1f s\n"),
                   options.accounts, options.months, g_timer_elapsed (timer, NULL));
        }
    }
  return AQ_CTL_OK;
}

static int
warehouse_status (AqLocalWarehouse *wh)
{
  GPid pid = 0;
  gboolean initialized = aq_local_warehouse_is_initialized (wh);
  gboolean running = initialized && aq_local_warehouse_is_running (wh, &pid);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *url = aq_local_warehouse_get_url (wh, NULL);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "dir");
      json_builder_add_string_value (b, aq_local_warehouse_get_dir (wh));
      json_builder_set_member_name (b, "initialized");
      json_builder_add_boolean_value (b, initialized);
      json_builder_set_member_name (b, "running");
      json_builder_add_boolean_value (b, running);
      json_builder_set_member_name (b, "pid");
      json_builder_add_int_value (b, running ? pid : 0);
      json_builder_set_member_name (b, "url");
      json_builder_add_string_value (b, url);
      json_builder_set_member_name (b, "disk_bytes");
      json_builder_add_int_value (b, initialized ? aq_local_warehouse_get_disk_size (wh) : 0);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      aq_ctl_print_json (root);
    }
  else if (!initialized)
    g_print (_("No warehouse in %s\n"), aq_local_warehouse_get_dir (wh));
  else if (running)
    g_print (_("Running (pid %d) in %s\n"), (int) pid, aq_local_warehouse_get_dir (wh));
  else
    g_print (_("Stopped, in %s\n"), aq_local_warehouse_get_dir (wh));

  /* like pg_ctl status: 0 running, 3 not running, 4 no cluster */
  return running ? AQ_CTL_OK : (initialized ? AQ_CTL_UNAVAILABLE : 4);
}

/* The migrations as DDL for an MPP or sharded target; needs no warehouse. */
static int
warehouse_ddl (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ddl = NULL;
  AqDdlTarget target;

  if (opt_ddl_profile == NULL)
    return aq_ctl_usage (USAGE, _("“warehouse ddl” needs --profile greenplum or citus"));
  if (!aq_warehouse_ddl_parse_target (opt_ddl_profile, &target, &error))
    return aq_ctl_usage (USAGE, error->message);
  ddl = aq_warehouse_ddl_print (target, &error);
  if (ddl == NULL)
    return aq_ctl_fail (error);
  g_print ("%s", ddl);
  return AQ_CTL_OK;
}

int
aq_ctl_warehouse (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (USAGE);
  g_autoptr(AqLocalWarehouse) wh = aq_local_warehouse_new_default ();
  g_autoptr(GError) error = NULL;
  const char *verb;
  int code = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!aq_ctl_parse (context, &argc, &argv, &code))
    return code;
  if (argc < 2)
    return aq_ctl_usage (USAGE, NULL);
  verb = argv[1];

  if (strcmp (verb, "init") == 0)
    return warehouse_init (wh);
  if (strcmp (verb, "status") == 0)
    return warehouse_status (wh);
  if (strcmp (verb, "ddl") == 0)
    return warehouse_ddl ();
  if (strcmp (verb, "start") == 0)
    {
      if (!aq_local_warehouse_start (wh, &error))
        return aq_ctl_fail (error);
      g_print (_("Started the warehouse in %s\n"), aq_local_warehouse_get_dir (wh));
      return AQ_CTL_OK;
    }
  if (strcmp (verb, "stop") == 0)
    {
      if (!aq_local_warehouse_stop (wh, &error))
        return aq_ctl_fail (error);
      g_print (_("Stopped the warehouse in %s\n"), aq_local_warehouse_get_dir (wh));
      return AQ_CTL_OK;
    }
  if (strcmp (verb, "url") == 0)
    {
      g_autofree char *url = aq_local_warehouse_get_url (wh, NULL);
      g_print ("%s\n", url);
      return AQ_CTL_OK;
    }
  return aq_ctl_usage (USAGE, _("unknown warehouse command"));
}

int
aq_ctl_migrate (int    argc,
                char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  guint applied = 0;
  const char *env = g_getenv ("AQUEDUCT_DATABASE_URL");

  /* migrations are the owner's: on the embedded warehouse, connect as it */
  if (env == NULL || *env == '\0')
    {
      g_autoptr(AqLocalWarehouse) wh = aq_local_warehouse_new_default ();
      g_autofree char *conninfo = NULL;

      if (aq_local_warehouse_is_initialized (wh) && aq_local_warehouse_is_running (wh, NULL))
        {
          conninfo = aq_local_warehouse_get_conninfo (wh, NULL);
          db = aq_db_connect (conninfo, &error);
        }
    }
  if (db == NULL && error == NULL)
    db = aq_connection_open (NULL, &error);
  if (db == NULL || !aq_warehouse_prepare (db, &applied, &error))
    return aq_ctl_fail (error);
  g_print (ngettext ("%u migration applied\n", "%u migrations applied\n", applied), applied);
  return AQ_CTL_OK;
}
