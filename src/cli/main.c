/* main.c — aqueductctl, the command line of Aqueduct */
#define G_LOG_DOMAIN "aqueductctl"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "aq-ctl.h"
#include "aq-api-lineage.h"
#include "aq-delivery.h"
#include "aq-network.h"
#include "aq-ctl-build-tree.h"

/* Run from the build directory, the translations are the build's own (as the app does). */
static gboolean
running_from_build_tree (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  return exe != NULL && g_str_equal (exe, AQ_CTL_BUILD_EXECUTABLE);
}

static const struct
{
  const char   *name;
  AqCtlCommand  run;
  const char   *summary;
} commands[] = {
  { "warehouse", aq_ctl_warehouse, N_("init|start|stop|status|url  the embedded warehouse") },
  { "migrate", aq_ctl_migrate, N_("apply pending schema migrations") },
  { "demo", aq_ctl_demo, N_("simulate  fill the src_* schemas with demo source systems") },
  { "pipeline", aq_ctl_pipeline, N_("list|validate|run  the pipelines that load the warehouse") },
  { "customer", aq_ctl_customer, N_("lookup|reveal|audit  one customer's 360, masked by role") },
  { "report", aq_ctl_report, N_("list|show|run|catalog  reports from the indicator catalog") },
  { "outage", aq_ctl_outage, N_("analyze|create|list|restore|cancel  shutoff areas and outages") },
  { "network", aq_ctl_network, N_("isolate|create-outage|criticality  burst isolation") },
  { "notify", aq_ctl_notify, N_("send|approve|reject|cancel|status|retry|list  an outage's notices") },
  { "job", aq_ctl_job, N_("list|add|remove|enable|disable|run|history  scheduled jobs") },
  { "user", aq_ctl_user, N_("add|list|remove  logins and the roles they hold") },
  { "catalog", aq_ctl_catalog, N_("search|show|lineage|lint|rebuild  the data catalog") },
  { "quality", aq_ctl_quality, N_("list|run|results|history|profile  data-quality rules") },
  { "api", aq_ctl_api, N_("list|show|publish|test|apps|grant|revoke|stats|openapi  data APIs") },
};

static int
print_help (void)
{
  g_print (_("Usage: aqueductctl COMMAND [ARGS…] [--json]\n\nCommands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  %-10s %s\n", commands[i].name, _(commands[i].summary));
  g_print (_("\nThe warehouse is $AQUEDUCT_DATABASE_URL if set, else the embedded one.\n"));
  return AQ_CTL_OK;
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, running_from_build_tree () ? AQ_CTL_BUILD_LOCALE_DIR
                                                              : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("aqueductctl");
  aq_core_init ();
  aq_delivery_register ();
  aq_api_lineage_register ();
  aq_network_register ();

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0
      || strcmp (argv[1], "help") == 0)
    return print_help ();
  if (strcmp (argv[1], "--version") == 0)
    {
      g_print ("aqueductctl %s\n", AQ_VERSION);
      return AQ_CTL_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  g_printerr (_("aqueductctl: unknown command “%s”\n"), argv[1]);
  print_help ();
  return AQ_CTL_USAGE;
}
