/* aq-ctl-api.c — aqueductctl api: the data API market from the command line
 *
 * list|show|publish|rollback|test the APIs; apps, app-add, grants, request, grant, refuse,
 * revoke for the apps and their grants; stats of the calls; openapi [APP] for the callers'
 * developers. All SQL is in core (src/core/api/). `api test` runs an API here as the daemon
 * would — as aq_api, read-only, parameters bound — and prints its answer, so an author sees
 * what a caller will get before granting it to anyone.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "aq-ctl.h"

#define USAGE \
  "api list [--json]\n" \
  "       | api show NAME [--version N] [--json]\n" \
  "       | api publish NAME --file DEFINITION.json [--category C] [--title T]\n" \
  "             [--description D] [--note NOTE]\n" \
  "       | api forward NAME --url URL [--method GET|POST] [--timeout-ms N]\n" \
  "             [--param NAME[:TYPE[:required]]]… [--xml-map MAPPING.json]\n" \
  "             [--category C] [--title T] [--description D] [--note NOTE]\n" \
  "       | api rollback NAME --version N\n" \
  "       | api test NAME [PARAM=VALUE…] [--version N]\n" \
  "       | api apps [--json] | api app-add NAME [--description D] [--json]\n" \
  "       | api grants [APP] [--json]\n" \
  "       | api request APP API --reason WHY\n" \
  "       | api grant APP API [--per-second N] [--per-day N] [--expires ISO8601] [--reason R]\n" \
  "       | api refuse|revoke APP API [--reason R]\n" \
  "       | api stats [--minutes N] [--json]\n" \
  "       | api openapi [APP]\n" \
  "       | api diff NAME V1 V2 [--json]"

static gboolean opt_json;
static int opt_version;
static char *opt_file;
static char *opt_category;
static char *opt_title;
static char *opt_description;
static char *opt_note;
static char *opt_reason;
static char *opt_expires;
static int opt_per_second = 20;
static int opt_per_day = 10000;
static int opt_minutes = 60;
static char *opt_url;
static char *opt_method;
static int opt_timeout_ms = 3000;
static char **opt_params;
static char *opt_xml_map;

static GOptionEntry entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Answer in JSON", NULL },
  { "version", 0, 0, G_OPTION_ARG_INT, &opt_version, "A version of the API", "N" },
  { "file", 0, 0, G_OPTION_ARG_FILENAME, &opt_file, "The definition (JSON)", "FILE" },
  { "category", 0, 0, G_OPTION_ARG_STRING, &opt_category, "The market's category", "C" },
  { "title", 0, 0, G_OPTION_ARG_STRING, &opt_title, "A short title", "T" },
  { "description", 0, 0, G_OPTION_ARG_STRING, &opt_description, "What it answers", "D" },
  { "note", 0, 0, G_OPTION_ARG_STRING, &opt_note, "What this version changes", "NOTE" },
  { "reason", 0, 0, G_OPTION_ARG_STRING, &opt_reason, "Why (an application, a decision)", "R" },
  { "expires", 0, 0, G_OPTION_ARG_STRING, &opt_expires, "The grant ends then", "ISO8601" },
  { "per-second", 0, 0, G_OPTION_ARG_INT, &opt_per_second, "Calls per second (20)", "N" },
  { "per-day", 0, 0, G_OPTION_ARG_INT, &opt_per_day, "Calls per day (10000)", "N" },
  { "minutes", 0, 0, G_OPTION_ARG_INT, &opt_minutes, "Stats over the last N minutes (60)", "N" },
  { "url", 0, 0, G_OPTION_ARG_STRING, &opt_url, "forward: the business system's URL", "URL" },
  { "method", 0, 0, G_OPTION_ARG_STRING, &opt_method, "forward: GET or POST (GET)", "M" },
  { "timeout-ms", 0, 0, G_OPTION_ARG_INT, &opt_timeout_ms, "forward: timeout (3000)", "N" },
  { "param", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_params,
    "forward: a field passed on (repeat; TYPE text by default)", "NAME[:TYPE[:required]]" },
  { "xml-map", 0, 0, G_OPTION_ARG_FILENAME, &opt_xml_map,
    "forward: the system answers XML, mapped to JSON by this {records, fields}", "FILE" },
  { NULL }
};

/* ---- verbs ---- */

static int
api_list (AqDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) list = aq_api_list (db, &error);
  JsonArray *array;

  if (list == NULL)
    return aq_ctl_fail (error);
  if (opt_json)
    {
      aq_ctl_print_json (list);
      return AQ_CTL_OK;
    }
  array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      g_autofree char *version = json_object_get_null_member (o, "published_version")
        ? g_strdup ("draft")
        : g_strdup_printf ("v%" G_GINT64_FORMAT,
                           json_object_get_int_member (o, "published_version"));

      g_print ("%-10s %-24s %-7s %-8s %s\n", json_object_get_string_member (o, "category"),
               json_object_get_string_member (o, "name"), json_object_get_string_member (o, "kind"),
               version, json_object_get_string_member (o, "title"));
    }
  return AQ_CTL_OK;
}

static int
api_show (AqDb       *db,
          const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqApi) api = aq_api_load (db, name, opt_version, &error);
  g_autoptr(JsonNode) versions = NULL;

  if (api == NULL)
    return aq_ctl_fail (error);
  versions = aq_api_versions (db, name, &error);
  if (versions == NULL)
    return aq_ctl_fail (error);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "name", api->name);
      json_object_set_string_member (o, "category", api->category);
      json_object_set_string_member (o, "title", api->title);
      json_object_set_string_member (o, "description", api->description);
      json_object_set_string_member (o, "kind", api->kind);
      json_object_set_int_member (o, "version", api->version);
      json_object_set_object_member (o, "definition", json_object_ref (api->definition));
      json_object_set_member (o, "versions", json_node_copy (versions));
      json_node_take_object (root, o);
      aq_ctl_print_json (root);
      return AQ_CTL_OK;
    }
  g_print ("%s — %s (%s, v%d)\n%s\n\nparameters:\n", api->name, api->title, api->category,
           api->version, api->description);
  for (guint i = 0; i < api->params->len; i++)
    {
      AqApiParam *p = g_ptr_array_index (api->params, i);

      g_print ("  %-10s %-11s %-8s %s\n", p->name, aq_api_param_type_to_string (p->type),
               p->required ? "required" : "", p->description ? p->description : "");
    }
  if (api->template)
    g_print ("\npaging: by %s (%s), at most %u a page\n", api->page_key,
             api->page_desc ? "descending" : "ascending", api->max_page_size);
  else
    g_print ("\nforwarded: %s %s (timeout %u ms)\n", api->forward_method, api->forward_url,
             api->timeout_ms);
  return AQ_CTL_OK;
}

static int
api_publish (AqDb       *db,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *definition;
  const char *kind;
  int version;

  if (opt_file == NULL)
    return aq_ctl_usage (USAGE, "publish needs --file");
  if (!g_file_get_contents (opt_file, &text, &len, &error))
    return aq_ctl_usage (USAGE, error->message);
  node = aq_json_read (text, len, AQ_JSON_LIMIT_DEFINITION, &error);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return aq_ctl_usage (USAGE, error ? error->message : "the definition is a JSON object");
  definition = json_node_get_object (node);
  /* the file may carry its own market entry; the options win */
#define FROM_FILE(opt, member) \
  (opt ? opt : json_object_has_member (definition, member) \
               ? json_object_get_string_member (definition, member) : NULL)
  kind = json_object_has_member (definition, "forward") ? "forward" : "sql";
  version = aq_api_publish (db, name, FROM_FILE (opt_category, "category"),
                            FROM_FILE (opt_title, "title"),
                            FROM_FILE (opt_description, "description"), kind, definition,
                            opt_note, &error);
#undef FROM_FILE
  if (version == 0)
    return aq_ctl_fail (error);
  g_print ("api %s: version %d published\n", name, version);
  return AQ_CTL_OK;
}

/* `api forward`: a business system's API registered without writing the definition by hand;
 * the definition is aq_api_forward_definition()'s, as the panel's wizard writes it */
static int
api_forward (AqDb       *db,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) params = g_array_new (FALSE, TRUE, sizeof (AqApiDraftParam));
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(JsonNode) map = NULL;
  g_autoptr(JsonObject) definition = NULL;
  int version;

  if (opt_url == NULL)
    return aq_ctl_usage (USAGE, _("forward needs --url"));
  if (opt_method && strcmp (opt_method, "GET") != 0 && strcmp (opt_method, "POST") != 0)
    return aq_ctl_usage (USAGE, _("--method is GET or POST"));
  if (opt_timeout_ms < 10 || opt_timeout_ms > 60000)
    return aq_ctl_usage (USAGE, _("--timeout-ms is between 10 and 60000"));
  for (guint i = 0; opt_params && opt_params[i]; i++)
    {
      char **spec = g_strsplit (opt_params[i], ":", 3);
      AqApiDraftParam param = { 0 };
      gboolean typed = spec[1] == NULL;

      g_ptr_array_add (parts, spec);
      param.name = spec[0];
      param.type = AQ_API_PARAM_TEXT;
      for (guint t = AQ_API_PARAM_TEXT; !typed && t <= AQ_API_PARAM_LIST; t++)
        if (strcmp (spec[1], aq_api_param_type_to_string (t)) == 0)
          {
            param.type = t;
            typed = TRUE;
          }
      if (!typed || (spec[1] && spec[2] && strcmp (spec[2], "required") != 0))
        return aq_ctl_usage (USAGE, _("--param is NAME[:TYPE[:required]], TYPE one of text, "
                                      "integer, numeric, date, month, timestamp, enumeration, "
                                      "list"));
      param.required = spec[1] && spec[2];
      g_array_append_val (params, param);
    }
  if (opt_xml_map)
    {
      g_autofree char *text = NULL;
      gsize len = 0;

      if (!g_file_get_contents (opt_xml_map, &text, &len, &error))
        return aq_ctl_usage (USAGE, error->message);
      map = aq_json_read (text, len, AQ_JSON_LIMIT_DEFINITION, &error);
      if (map == NULL || !JSON_NODE_HOLDS_OBJECT (map))
        return aq_ctl_usage (USAGE, error ? error->message
                                          : _("the XML mapping is a JSON object"));
    }
  definition = aq_api_forward_definition (opt_url, opt_method, opt_timeout_ms,
                                          (AqApiDraftParam *) (void *) params->data, params->len,
                                          map ? json_node_get_object (map) : NULL);
  version = aq_api_publish (db, name, opt_category, opt_title, opt_description, "forward",
                            definition, opt_note, &error);
  if (version == 0)
    return aq_ctl_fail (error);
  g_print (_("api %s: version %d published, forwarded to %s %s\n"), name, version,
           opt_method ? opt_method : "GET", opt_url);
  return AQ_CTL_OK;
}

static int
api_test (AqDb        *db,
          const char  *name,
          int          argc,
          char       **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqApi) api = aq_api_load (db, name, opt_version, &error);
  g_autoptr(JsonObject) input = json_object_new ();
  g_autoptr(AqApiBound) bound = NULL;
  g_autoptr(AqApiPage) page = NULL;
  g_autofree char *answer = NULL;
  gint64 t0;
  AqApiCode code = AQ_API_OK;

  if (api == NULL)
    return aq_ctl_fail (error);
  if (api->template == NULL)
    return aq_ctl_usage (USAGE, "a forwarded API is tested through the daemon");
  for (int i = 0; i < argc; i++)
    {
      const char *eq = strchr (argv[i], '=');
      g_autofree char *key = NULL;

      if (eq == NULL || eq == argv[i])
        return aq_ctl_usage (USAGE, "parameters are PARAM=VALUE");
      key = g_strndup (argv[i], eq - argv[i]);
      json_object_set_string_member (input, key, eq + 1);
    }
  t0 = g_get_monotonic_time ();
  bound = aq_api_bind (api, input, &error);
  if (bound && aq_api_session_prepare (db, 10000, &error))
    page = aq_api_run (db, bound, &error);
  if (page == NULL)
    code = error->domain == AQ_API_ERROR ? (AqApiCode) error->code : AQ_API_WAREHOUSE;
  answer = aq_api_answer (code, page ? NULL : error->message, page, NULL);
  g_print ("%s\n", answer);
  g_printerr ("%s: %.1f ms, %u rows\n", name, (g_get_monotonic_time () - t0) / 1000.0,
              page ? page->rows : 0);
  return page ? AQ_CTL_OK : AQ_CTL_FAILED;
}

static int
api_apps (AqDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) apps = aq_api_app_list (db, &error);

  if (apps == NULL)
    return aq_ctl_fail (error);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < apps->len; i++)
        json_array_add_element (array, aq_api_app_to_json (g_ptr_array_index (apps, i)));
      json_node_take_array (root, array);
      aq_ctl_print_json (root);
      return AQ_CTL_OK;
    }
  for (guint i = 0; i < apps->len; i++)
    {
      AqApiApp *app = g_ptr_array_index (apps, i);

      g_print ("%-20s %-20s %-8s %s\n", app->name, app->app_key,
               app->enabled ? "enabled" : "disabled", app->description);
    }
  return AQ_CTL_OK;
}

static int
api_app_add (AqDb       *db,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqApiApp) app = aq_api_app_add (db, name, opt_description, &error);

  if (app == NULL)
    return aq_ctl_fail (error);
  if (opt_json)
    {
      g_autoptr(JsonNode) node = aq_api_app_to_json (app);

      aq_ctl_print_json (node);
      return AQ_CTL_OK;
    }
  g_print ("app %s\nAppKey: %s\nsecret: %s\n(the secret is shown once here; keep it in the "
           "calling system's vault)\n", app->name, app->app_key, app->secret);
  return AQ_CTL_OK;
}

static int
api_grants (AqDb       *db,
            const char *app)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) grants = aq_api_grant_list (db, app, &error);

  if (grants == NULL)
    return aq_ctl_fail (error);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < grants->len; i++)
        json_array_add_element (array, aq_api_grant_to_json (g_ptr_array_index (grants, i)));
      json_node_take_array (root, array);
      aq_ctl_print_json (root);
      return AQ_CTL_OK;
    }
  for (guint i = 0; i < grants->len; i++)
    {
      AqApiGrant *g = g_ptr_array_index (grants, i);

      g_print ("%-20s %-24s %-9s %5u/s %7u/day %s\n", g->app_key, g->api, g->status,
               g->per_second, g->per_day, g->reason);
    }
  return AQ_CTL_OK;
}

static int
api_decide (AqDb       *db,
            const char *verb,
            const char *app,
            const char *api)
{
  g_autoptr(GError) error = NULL;
  gint64 expires = 0;
  const char *status;
  gboolean ok;

  if (opt_expires)
    {
      g_autoptr(GTimeZone) zone = aq_clock_zone ();
      g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (opt_expires, zone);

      if (dt == NULL)
        return aq_ctl_usage (USAGE, "--expires is an ISO 8601 time, e.g. 2027-01-01T00:00:00");
      expires = g_date_time_to_unix (dt) * G_USEC_PER_SEC;
    }
  if (opt_per_second <= 0 || opt_per_day <= 0)
    return aq_ctl_usage (USAGE, "--per-second and --per-day are positive numbers");
  if (strcmp (verb, "request") == 0)
    ok = aq_api_grant_request (db, app, api, opt_reason, &error);
  else
    {
      status = strcmp (verb, "grant") == 0 ? "approved"
             : strcmp (verb, "refuse") == 0 ? "refused" : "revoked";
      ok = aq_api_grant_decide (db, app, api, status, opt_per_second, opt_per_day, expires,
                                opt_reason, &error);
    }
  if (!ok)
    return aq_ctl_fail (error);
  g_print ("%s %s: %s\n", app, api, strcmp (verb, "request") == 0 ? "requested"
                                    : strcmp (verb, "grant") == 0 ? "approved"
                                    : strcmp (verb, "refuse") == 0 ? "refused" : "revoked");
  return AQ_CTL_OK;
}

static int
api_stats (AqDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) stats = NULL;
  JsonArray *array;

  if (opt_minutes <= 0)
    return aq_ctl_usage (USAGE, "--minutes is a positive number");
  stats = aq_api_stats (db, aq_clock_now_unix_usec () - (gint64) opt_minutes * 60
                                                        * G_USEC_PER_SEC, &error);
  if (stats == NULL)
    return aq_ctl_fail (error);
  if (opt_json)
    {
      aq_ctl_print_json (stats);
      return AQ_CTL_OK;
    }
  array = json_node_get_array (stats);
  g_print ("%-24s %-20s %8s %7s %9s %9s %9s\n", "api", "app", "calls", "errors", "p50 ms",
           "p95 ms", "p99 ms");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);

      g_print ("%-24s %-20s %8" G_GINT64_FORMAT " %7" G_GINT64_FORMAT " %9.2f %9.2f %9.2f\n",
               json_object_get_string_member (o, "api"),
               *json_object_get_string_member (o, "app")
                 ? json_object_get_string_member (o, "app")
                 : json_object_get_string_member (o, "app_key"),
               json_object_get_int_member (o, "calls"), json_object_get_int_member (o, "errors"),
               json_object_get_double_member (o, "p50_ms"),
               json_object_get_double_member (o, "p95_ms"),
               json_object_get_double_member (o, "p99_ms"));
    }
  return AQ_CTL_OK;
}

static int
api_openapi (AqDb       *db,
             const char *app)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) doc = aq_api_openapi (db, app, &error);

  if (doc == NULL)
    return aq_ctl_fail (error);
  aq_ctl_print_json (doc);
  return AQ_CTL_OK;
}

/* ---- diff (apipanel) ---- */

static void
print_param (const char *mark,
             JsonObject *param)
{
  JsonNode *deflt = json_object_get_member (param, "default");
  g_autofree char *deflt_text = deflt ? json_to_string (deflt, FALSE) : NULL;

  g_print ("  %s %s (%s%s%s%s)\n", mark, json_object_get_string_member (param, "name"),
           json_object_get_string_member_with_default (param, "type", "?"),
           json_object_get_boolean_member_with_default (param, "required", FALSE)
             ? _(", required") : "",
           deflt_text ? _(", default ") : "", deflt_text ? deflt_text : "");
}

static int
api_diff (AqDb       *db,
          const char *name,
          const char *v1_text,
          const char *v2_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) diff = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *params, *fields;
  JsonArray *sql;
  const char *kinds[] = { "added", "removed" };
  const char *marks[] = { "+", "-" };
  char *end1 = NULL, *end2 = NULL;
  gint64 v1 = g_ascii_strtoll (v1_text, &end1, 10);
  gint64 v2 = g_ascii_strtoll (v2_text, &end2, 10);

  if (*end1 || *end2 || v1 <= 0 || v2 <= 0 || v1 > G_MAXINT || v2 > G_MAXINT)
    return aq_ctl_usage (USAGE, _("the versions are positive numbers"));
  diff = aq_api_diff (db, name, (int) v1, (int) v2, &error);
  if (diff == NULL)
    return aq_ctl_fail (error);
  if (opt_json)
    {
      root = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (root, diff);
      aq_ctl_print_json (root);
      return AQ_CTL_OK;
    }

  g_print (_("api %s: version %d → %d\n"), name, (int) v1, (int) v2);
  sql = json_object_get_array_member (diff, "sql");
  if (json_object_get_boolean_member (diff, "sql_changed"))
    {
      g_print ("\n%s\n", _("SQL:"));
      for (guint i = 0; i < json_array_get_length (sql); i++)
        {
          JsonObject *line = json_array_get_object_element (sql, i);

          g_print ("%s %s\n", json_object_get_string_member (line, "op"),
                   json_object_get_string_member (line, "line"));
        }
    }
  else
    g_print ("\n%s\n", _("SQL: unchanged"));

  params = json_object_get_object_member (diff, "params");
  g_print ("\n%s\n", _("Parameters:"));
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      JsonArray *list = json_object_get_array_member (params, kinds[k]);

      for (guint i = 0; i < json_array_get_length (list); i++)
        print_param (marks[k], json_array_get_object_element (list, i));
    }
  {
    JsonArray *list = json_object_get_array_member (params, "changed");

    for (guint i = 0; i < json_array_get_length (list); i++)
      {
        JsonObject *change = json_array_get_object_element (list, i);

        print_param ("<", json_object_get_object_member (change, "from"));
        print_param (">", json_object_get_object_member (change, "to"));
      }
    if (json_array_get_length (list) == 0
        && json_array_get_length (json_object_get_array_member (params, "added")) == 0
        && json_array_get_length (json_object_get_array_member (params, "removed")) == 0)
      g_print ("  %s\n", _("unchanged"));
  }

  g_print ("\n%s\n", _("Response fields:"));
  fields = json_object_has_member (diff, "fields")
           ? json_object_get_object_member (diff, "fields") : NULL;
  if (fields == NULL)
    g_print ("  %s %s\n", _("not known:"),
             json_object_get_string_member_with_default (diff, "fields_error", ""));
  else
    {
      guint n = 0;

      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        {
          JsonArray *list = json_object_get_array_member (fields, kinds[k]);

          for (guint i = 0; i < json_array_get_length (list); i++, n++)
            g_print ("  %s %s\n", marks[k], json_array_get_string_element (list, i));
        }
      if (n == 0)
        g_print ("  %s\n", _("unchanged"));
    }
  if (json_object_has_member (diff, "paging"))
    g_print ("\n%s\n", _("Paging changed."));
  if (json_object_has_member (diff, "forward"))
    g_print ("\n%s\n", _("The forwarded target changed."));
  return AQ_CTL_OK;
}

/* ---- command ---- */

int
aq_ctl_api (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (
    "list|show|publish|forward|rollback|test|apps|app-add|grants|request|grant|refuse|revoke|"
    "stats|openapi|diff");
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  const char *verb;
  int code = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!aq_ctl_parse (context, &argc, &argv, &code))
    return code;
  if (argc < 2)
    return aq_ctl_usage (USAGE, NULL);
  verb = argv[1];

#define VERB(v, min, max) (strcmp (verb, v) == 0 && argc >= (min) + 2 && argc <= (max) + 2)
  if (!(VERB ("list", 0, 0) || VERB ("show", 1, 1) || VERB ("publish", 1, 1)
        || VERB ("forward", 1, 1)
        || VERB ("rollback", 1, 1) || VERB ("test", 1, G_MAXINT - 2) || VERB ("apps", 0, 0)
        || VERB ("app-add", 1, 1) || VERB ("grants", 0, 1) || VERB ("request", 2, 2)
        || VERB ("grant", 2, 2) || VERB ("refuse", 2, 2) || VERB ("revoke", 2, 2)
        || VERB ("stats", 0, 0) || VERB ("openapi", 0, 1)
        || VERB ("diff", 3, 3)))
    return aq_ctl_usage (USAGE, NULL);
#undef VERB
  if (strcmp (verb, "rollback") == 0 && opt_version <= 0)
    return aq_ctl_usage (USAGE, "rollback needs --version");

  db = aq_connection_open (NULL, &error);
  if (db == NULL)
    return aq_ctl_fail (error);
  if (strcmp (verb, "list") == 0)
    return api_list (db);
  if (strcmp (verb, "show") == 0)
    return api_show (db, argv[2]);
  if (strcmp (verb, "publish") == 0)
    return api_publish (db, argv[2]);
  if (strcmp (verb, "forward") == 0)
    return api_forward (db, argv[2]);
  if (strcmp (verb, "rollback") == 0)
    {
      if (!aq_api_rollback (db, argv[2], opt_version, &error))
        return aq_ctl_fail (error);
      g_print ("api %s: version %d published again\n", argv[2], opt_version);
      return AQ_CTL_OK;
    }
  if (strcmp (verb, "test") == 0)
    return api_test (db, argv[2], argc - 3, argv + 3);
  if (strcmp (verb, "apps") == 0)
    return api_apps (db);
  if (strcmp (verb, "app-add") == 0)
    return api_app_add (db, argv[2]);
  if (strcmp (verb, "grants") == 0)
    return api_grants (db, argc > 2 ? argv[2] : NULL);
  if (strcmp (verb, "stats") == 0)
    return api_stats (db);
  if (strcmp (verb, "openapi") == 0)
    return api_openapi (db, argc > 2 ? argv[2] : NULL);
  if (strcmp (verb, "diff") == 0)
    return api_diff (db, argv[2], argv[3], argv[4]);
  return api_decide (db, verb, argv[2], argv[3]);
}
