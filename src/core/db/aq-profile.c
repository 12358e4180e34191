/* aq-profile.c — a connection profile: the parts of a PostgreSQL URL, without the password
 *
 * Settings keep the URL, the keyring keeps the password (keyed by that URL); the two meet only
 * in memory, in the keyword/value conninfo handed to libpq.
 */
#define G_LOG_DOMAIN "aq-profile"

#include "aq-profile.h"
#include <glib/gi18n.h>

#include <libpq-fe.h>
#include <string.h>

#include "aq-error.h"

G_DEFINE_BOXED_TYPE (AqProfile, aq_profile, aq_profile_copy, aq_profile_free)

/* ---- auxiliary methods ---- */

static char *
nonempty_dup (const char *s)
{
  return (s && *s) ? g_strdup (s) : NULL;
}

static PQconninfoOption *
parse (const char  *url,
       GError     **error)
{
  PQconninfoOption *options;
  char *errmsg = NULL;

  options = PQconninfoParse (url ? url : "", &errmsg);
  if (options == NULL)
    {
      g_autofree char *msg = g_strstrip (g_strdup (errmsg ? errmsg : "out of memory"));
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("Not a PostgreSQL URL: %s"), msg);
      PQfreemem (errmsg);
    }
  return options;
}

static void
append_value (GString    *s,
              const char *key,
              const char *value)
{
  if (s->len > 0)
    g_string_append_c (s, ' ');
  g_string_append_printf (s, "%s='", key);
  for (const char *p = value; *p; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '\'');
}

/* ---- public API ---- */

AqProfile *
aq_profile_new (void)
{
  return g_new0 (AqProfile, 1);
}

/**
 * aq_profile_new_from_url:
 * @url: a postgresql:// URL or a keyword/value conninfo
 *
 * Takes the parts a profile shows; a password in @url is ignored, it belongs in the keyring.
 */
AqProfile *
aq_profile_new_from_url (const char  *url,
                         GError     **error)
{
  g_autoptr(AqProfile) profile = aq_profile_new ();
  PQconninfoOption *options = parse (url, error);

  if (options == NULL)
    return NULL;
  for (PQconninfoOption *o = options; o->keyword; o++)
    {
      if (o->val == NULL || *o->val == '\0')
        continue;
      if (strcmp (o->keyword, "host") == 0)
        profile->host = g_strdup (o->val);
      else if (strcmp (o->keyword, "port") == 0)
        {
          guint64 port = 0;

          if (!g_ascii_string_to_unsigned (o->val, 10, 1, 65535, &port, NULL))
            {
              g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                           _("Not a PostgreSQL URL: “%s” is not a port number"), o->val);
              PQconninfoFree (options);
              return NULL;
            }
          profile->port = (guint) port;
        }
      else if (strcmp (o->keyword, "dbname") == 0)
        profile->dbname = g_strdup (o->val);
      else if (strcmp (o->keyword, "user") == 0)
        profile->user = g_strdup (o->val);
      else if (strcmp (o->keyword, "sslmode") == 0)
        profile->sslmode = g_strdup (o->val);
    }
  PQconninfoFree (options);
  return g_steal_pointer (&profile);
}

AqProfile *
aq_profile_copy (const AqProfile *profile)
{
  AqProfile *copy;

  g_return_val_if_fail (profile != NULL, NULL);

  copy = aq_profile_new ();
  copy->host = g_strdup (profile->host);
  copy->port = profile->port;
  copy->dbname = g_strdup (profile->dbname);
  copy->user = g_strdup (profile->user);
  copy->sslmode = g_strdup (profile->sslmode);
  return copy;
}

void
aq_profile_free (AqProfile *profile)
{
  if (profile == NULL)
    return;
  g_free (profile->host);
  g_free (profile->dbname);
  g_free (profile->user);
  g_free (profile->sslmode);
  g_free (profile);
}

/* "postgresql://user@host:port/dbname?sslmode=require"; a socket directory as host goes into
 * the query, where a path can stand. Never a password. */
char *
aq_profile_to_url (const AqProfile *profile)
{
  g_autoptr(GString) url = NULL;
  g_autofree char *host = NULL;
  gboolean socket_dir;
  char sep = '?';

  g_return_val_if_fail (profile != NULL, NULL);

  url = g_string_new ("postgresql://");
  host = nonempty_dup (profile->host);
  socket_dir = host && host[0] == '/';

  if (profile->user && *profile->user)
    {
      g_autofree char *user = g_uri_escape_string (profile->user, NULL, FALSE);
      g_string_append_printf (url, "%s@", user);
    }
  if (host && !socket_dir)
    {
      if (strchr (host, ':'))
        g_string_append_printf (url, "[%s]", host);
      else
        {
          g_autofree char *escaped = g_uri_escape_string (host, NULL, FALSE);
          g_string_append (url, escaped);
        }
    }
  if (profile->port)
    g_string_append_printf (url, ":%u", profile->port);
  g_string_append_c (url, '/');
  if (profile->dbname && *profile->dbname)
    {
      g_autofree char *dbname = g_uri_escape_string (profile->dbname, NULL, FALSE);
      g_string_append (url, dbname);
    }
  if (socket_dir)
    {
      g_autofree char *escaped = g_uri_escape_string (host, NULL, FALSE);
      g_string_append_printf (url, "%chost=%s", sep, escaped);
      sep = '&';
    }
  if (profile->sslmode && *profile->sslmode)
    g_string_append_printf (url, "%csslmode=%s", sep, profile->sslmode);

  return g_string_free (g_steal_pointer (&url), FALSE);
}

/**
 * aq_profile_conninfo:
 * @url: the profile's URL (a password in it is replaced)
 * @password: (nullable): the password from the keyring
 *
 * Returns: a keyword/value conninfo for aq_db_connect(). It holds the password: keep it in
 * memory only.
 */
char *
aq_profile_conninfo (const char  *url,
                     const char  *password,
                     GError     **error)
{
  g_autoptr(GString) s = g_string_new (NULL);
  PQconninfoOption *options = parse (url, error);

  if (options == NULL)
    return NULL;
  for (PQconninfoOption *o = options; o->keyword; o++)
    if (o->val && *o->val && strcmp (o->keyword, "password") != 0)
      append_value (s, o->keyword, o->val);
  PQconninfoFree (options);

  if (password && *password)
    append_value (s, "password", password);
  return g_string_free (g_steal_pointer (&s), FALSE);
}
