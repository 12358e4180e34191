/* aq-users.c — logins, the jobs they hold, and what the current login may do
 *
 * The jobs are the group roles of data/sql/010_roles.sql; a person is a login role that is a
 * member of some of them. The warehouse enforces what each job may read and write; this module
 * only adds and removes logins, lists them, and asks which jobs the current login holds
 * (pg_has_role), so the app and the CLI offer only what the warehouse will allow.
 */
#define G_LOG_DOMAIN "aq-users"

#include "config.h"

#include "aq-users.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "aq-error.h"

static const struct
{
  AqJobRole       job;
  const char *name;   /* as typed: --roles agent,supervisor */
  const char *role;   /* the group role */
} jobs[] = {
  { AQ_JOB_ROLE_AGENT, "agent", "aq_agent" },
  { AQ_JOB_ROLE_SUPERVISOR, "supervisor", "aq_supervisor" },
  { AQ_JOB_ROLE_ANALYST, "analyst", "aq_analyst" },
  { AQ_JOB_ROLE_DISPATCHER, "dispatcher", "aq_dispatcher" },
  { AQ_JOB_ROLE_NOTICE_REVIEWER, "notice_reviewer", "aq_notice_reviewer" },
  { AQ_JOB_ROLE_DATA_ENGINEER, "data_engineer", "aq_data_engineer" },
  { AQ_JOB_ROLE_OPERATOR, "operator", "aq_operator" },
  { AQ_JOB_ROLE_API, "api", "aq_api" },
};

/* ---- auxiliary methods ---- */

static gboolean
check_name (const char  *name,
            GError     **error)
{
  if (name == NULL || *name == '\0' || strlen (name) > 63)
    goto bad;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.')
      goto bad;
  if (g_str_has_prefix (name, "aq_") || g_str_has_prefix (name, "pg_"))
    goto bad;
  return TRUE;

bad:
  g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
               _("“%s” cannot be a login: use letters, digits, “_”, “-” or “.”, not starting "
                 "with aq_ or pg_"), name ? name : "");
  return FALSE;
}

/* ---- public API ---- */

void
aq_user_free (AqUser *user)
{
  if (user == NULL)
    return;
  g_free (user->name);
  g_free (user);
}

const char *
aq_job_role_to_string (AqJobRole job)
{
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    if (jobs[i].job == job)
      return jobs[i].name;
  return NULL;
}

/* "agent,supervisor" → flags; "all" is every job. */
gboolean
aq_job_roles_from_string (const char  *text,
                     AqJobRole       *out_jobs,
                     GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text ? text : "", ",", -1);
  AqJobRole result = AQ_JOB_ROLE_NONE;

  for (guint i = 0; parts[i]; i++)
    {
      const char *part = g_strstrip (parts[i]);
      gboolean known = FALSE;

      if (*part == '\0')
        continue;
      if (g_str_equal (part, "all"))
        {
          result |= AQ_JOB_ROLE_ALL;
          continue;
        }
      for (guint j = 0; j < G_N_ELEMENTS (jobs); j++)
        if (g_str_equal (part, jobs[j].name) || g_str_equal (part, jobs[j].role))
          {
            result |= jobs[j].job;
            known = TRUE;
          }
      if (!known)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("Unknown role “%s”: agent, supervisor, analyst, dispatcher, "
                         "notice_reviewer, data_engineer, operator, api or all"), part);
          return FALSE;
        }
    }
  *out_jobs = result;
  return TRUE;
}

char *
aq_job_roles_to_string (AqJobRole jobs_set)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    if (jobs_set & jobs[i].job)
      g_string_append_printf (s, "%s%s", s->len ? "," : "", jobs[i].name);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/**
 * aq_users_current_job_roles:
 * @out_login: (out) (optional): the login (session_user)
 *
 * The jobs whose privileges the current login has (pg_has_role … 'USAGE': a member that
 * inherits, or a superuser). What the warehouse allows, asked of the warehouse.
 *
 * Returns: the jobs; %AQ_JOB_ROLE_NONE with @error set when the question failed
 */
AqJobRole
aq_users_current_job_roles (AqDb    *db,
                       char   **out_login,
                       GError **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT session_user");
  g_autoptr(PGresult) res = NULL;
  AqJobRole result = AQ_JOB_ROLE_NONE;

  g_return_val_if_fail (AQ_IS_DB (db), AQ_JOB_ROLE_NONE);

  /* a warehouse without 010 has no roles: to_regrole is NULL and so is the answer */
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    g_string_append_printf (sql, ", coalesce(to_regrole('%s') IS NOT NULL"
                                 " AND pg_has_role('%s', 'USAGE'), false)",
                            jobs[i].role, jobs[i].role);
  res = aq_db_query (db, sql->str, 0, NULL, error);
  if (res == NULL)
    return AQ_JOB_ROLE_NONE;
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    if (PQgetvalue (res, 0, 1 + i)[0] == 't')
      result |= jobs[i].job;
  if (out_login)
    *out_login = g_strdup (PQgetvalue (res, 0, 0));
  return result;
}

/**
 * aq_users_add:
 * @jobs: the groups to join (added to what it has, if it exists)
 * @admin: may add and remove logins itself (CREATEROLE)
 *
 * Creates the login if missing and makes it a member of @jobs. Needs a login that may create
 * roles (the warehouse's owner, or an admin).
 */
gboolean
aq_users_add (AqDb        *db,
              const char  *name,
              AqJobRole        jobs_set,
              gboolean     admin,
              GError     **error)
{
  g_autofree char *quoted = NULL;
  g_autoptr(GString) sql = NULL;
  g_autofree char *exists = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *params[] = { name };

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);

  if (!check_name (name, error))
    return FALSE;
  quoted = aq_db_quote_ident (name);
  exists = aq_db_query_string (db, "SELECT rolname FROM pg_roles WHERE rolname = $1", 1, params,
                               &local_error);
  if (local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  sql = g_string_new (NULL);
  if (exists == NULL)
    g_string_append_printf (sql, "CREATE ROLE %s LOGIN;", quoted);
  if (admin)
    g_string_append_printf (sql, "ALTER ROLE %s CREATEROLE;", quoted);
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    if (jobs_set & jobs[i].job)
      g_string_append_printf (sql, "GRANT %s TO %s;", jobs[i].role, quoted);
  if (sql->len == 0)
    return TRUE;
  /* one transaction: a refused grant leaves no half-made login */
  if (!aq_db_begin (db, error))
    return FALSE;
  if (!aq_db_exec (db, sql->str, error) || !aq_db_commit (db, error))
    {
      aq_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

/**
 * aq_users_remove:
 *
 * Drops a login of Aqueduct's (a member of one of its groups). A login that still owns
 * something is refused by the warehouse, which says what.
 */
gboolean
aq_users_remove (AqDb        *db,
                 const char  *name,
                 GError     **error)
{
  const char *params[] = { name };
  g_autofree char *found = NULL;
  g_autofree char *quoted = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);

  if (!check_name (name, error))
    return FALSE;
  found = aq_db_query_string (db,
                              "SELECT r.rolname FROM pg_roles r"
                              " WHERE r.rolname = $1 AND r.rolcanlogin AND NOT r.rolsuper"
                              "   AND EXISTS (SELECT 1 FROM pg_auth_members m"
                              "               JOIN pg_roles g ON g.oid = m.roleid"
                              "               WHERE m.member = r.oid AND g.rolname LIKE 'aq\\_%')",
                              1, params, &local_error);
  if (local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (found == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("No Aqueduct login “%s”"), name);
      return FALSE;
    }
  quoted = aq_db_quote_ident (name);
  sql = g_strdup_printf ("DROP ROLE %s", quoted);
  return aq_db_exec (db, sql, error);
}

/**
 * aq_users_list:
 *
 * Returns: (transfer container) (element-type AqUser): every login holding one of the jobs,
 *   and every admin, by name
 */
GPtrArray *
aq_users_list (AqDb    *db,
               GError **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT r.rolname, r.rolcanlogin,"
                                         " r.rolcreaterole OR r.rolsuper");
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GPtrArray) users = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    g_string_append_printf (sql, ", EXISTS (SELECT 1 FROM pg_auth_members m"
                                 " WHERE m.member = r.oid AND m.roleid = to_regrole('%s'))",
                            jobs[i].role);
  g_string_append (sql, " FROM pg_roles r"
                        " WHERE r.rolcanlogin AND r.rolname NOT LIKE 'pg\\_%'"
                        "   AND (r.rolsuper OR r.rolcreaterole"
                        "        OR EXISTS (SELECT 1 FROM pg_auth_members m"
                        "                   JOIN pg_roles g ON g.oid = m.roleid"
                        "                   WHERE m.member = r.oid AND g.rolname LIKE 'aq\\_%'))"
                        " ORDER BY r.rolname");
  res = aq_db_query (db, sql->str, 0, NULL, error);
  if (res == NULL)
    return NULL;
  users = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_user_free);
  for (int row = 0; row < PQntuples (res); row++)
    {
      AqUser *user = g_new0 (AqUser, 1);

      user->name = g_strdup (PQgetvalue (res, row, 0));
      user->can_login = PQgetvalue (res, row, 1)[0] == 't';
      user->admin = PQgetvalue (res, row, 2)[0] == 't';
      for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
        if (PQgetvalue (res, row, 3 + i)[0] == 't')
          user->jobs |= jobs[i].job;
      g_ptr_array_add (users, user);
    }
  return g_steal_pointer (&users);
}

JsonNode *
aq_user_to_json (const AqUser *user)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (user != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, user->name);
  json_builder_set_member_name (b, "roles");
  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    if (user->jobs & jobs[i].job)
      json_builder_add_string_value (b, jobs[i].name);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "admin");
  json_builder_add_boolean_value (b, user->admin);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
