/* aq-ctl-user.c — aqueductctl user add|list|remove
 *
 * People log in as themselves: one login role each, a member of the job groups of
 * 010_roles.sql. Adding one needs an admin's login (the one who ran `warehouse init`, or any
 * login made with --admin). On the embedded warehouse a local OS user logs in as the login of
 * the same name by peer authentication; --os-user maps a differently named OS user to it.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aq-ctl.h"

#define USAGE N_("user add NAME --roles agent,supervisor,… [--admin] [--os-user USER] | " \
              "list [--json] | remove NAME")

static char *opt_roles;
static char *opt_os_user;
static gboolean opt_admin;
static gboolean opt_json;

static GOptionEntry entries[] = {
  { "roles", 0, 0, G_OPTION_ARG_STRING, &opt_roles,
    N_("agent, supervisor, analyst, dispatcher, notice_reviewer, data_engineer, operator, api "
    "or all, comma-separated"), "ROLES" },
  { "admin", 0, 0, G_OPTION_ARG_NONE, &opt_admin, N_("May add and remove logins"), NULL },
  { "os-user", 0, 0, G_OPTION_ARG_STRING, &opt_os_user,
    N_("Embedded warehouse: the local OS user who logs in as NAME (default: the user NAME)"),
    "USER" },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Answer in JSON"), NULL },
  { NULL }
};

/* The embedded warehouse, when it is the one we talk to: its peer map is ours to edit. */
static AqLocalWarehouse *
embedded_warehouse (void)
{
  const char *env = g_getenv ("AQUEDUCT_DATABASE_URL");
  g_autoptr(AqLocalWarehouse) wh = NULL;

  if (env && *env)
    return NULL;
  wh = aq_local_warehouse_new_default ();
  if (!aq_local_warehouse_is_initialized (wh))
    return NULL;
  return g_steal_pointer (&wh);
}

static int
user_add (AqDb       *db,
          const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqLocalWarehouse) wh = NULL;
  AqJobRole jobs = AQ_JOB_ROLE_NONE;

  if (opt_roles == NULL && !opt_admin)
    return aq_ctl_usage (USAGE, _("say which roles: --roles agent,…"));
  if (!aq_job_roles_from_string (opt_roles, &jobs, &error))
    return aq_ctl_usage (USAGE, error->message);
  if (!aq_users_add (db, name, jobs, opt_admin, &error))
    return aq_ctl_fail (error);
  if (opt_os_user && (wh = embedded_warehouse ()) != NULL
      && !aq_local_warehouse_map_os_user (wh, opt_os_user, name, TRUE, &error))
    return aq_ctl_fail (error);
  {
    g_autofree char *text = aq_job_roles_to_string (jobs);

    g_print (_("Login %s: %s%s\n"), name, text, opt_admin ? _(" (admin)") : "");
  }
  return AQ_CTL_OK;
}

static int
user_list (AqDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = aq_users_list (db, &error);

  if (users == NULL)
    return aq_ctl_fail (error);
  if (opt_json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < users->len; i++)
        json_array_add_element (array, aq_user_to_json (users->pdata[i]));
      json_node_set_array (root, array);
      aq_ctl_print_json (root);
      return AQ_CTL_OK;
    }
  for (guint i = 0; i < users->len; i++)
    {
      AqUser *user = users->pdata[i];
      g_autofree char *text = aq_job_roles_to_string (user->jobs);

      g_print ("%-20s %s%s\n", user->name, *text ? text : "-", user->admin ? _(" (admin)") : "");
    }
  return AQ_CTL_OK;
}

static int
user_remove (AqDb       *db,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqLocalWarehouse) wh = embedded_warehouse ();

  if (!aq_users_remove (db, name, &error))
    return aq_ctl_fail (error);
  if (wh && !aq_local_warehouse_map_os_user (wh, NULL, name, FALSE, &error))
    return aq_ctl_fail (error);
  g_print (_("Removed login %s\n"), name);
  return AQ_CTL_OK;
}

int
aq_ctl_user (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (USAGE);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  int code = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!aq_ctl_parse (context, &argc, &argv, &code))
    return code;
  if (argc < 2)
    return aq_ctl_usage (USAGE, NULL);
  if ((g_str_equal (argv[1], "add") || g_str_equal (argv[1], "remove")) && argc != 3)
    return aq_ctl_usage (USAGE, _("name one login"));
  if (!g_str_equal (argv[1], "add") && !g_str_equal (argv[1], "list")
      && !g_str_equal (argv[1], "remove"))
    return aq_ctl_usage (USAGE, NULL);

  db = aq_connection_open (NULL, &error);
  if (db == NULL)
    return aq_ctl_fail (error);
  if (g_str_equal (argv[1], "add"))
    return user_add (db, argv[2]);
  if (g_str_equal (argv[1], "remove"))
    return user_remove (db, argv[2]);
  return user_list (db);
}
