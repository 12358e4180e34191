/* aq-pipeline-store.c — pipelines kept in meta.pipeline with every version
 *
 * The store is where the editor saves: every save is a new version (author = the login, time,
 * comment), nothing is overwritten, and a restore is a save of an old version's text (so the
 * history says who went back, and when). The text is kept exactly as saved (018's head says
 * why). A save checks that the text is a pipeline that loads — well-formed JSON within the
 * definition limit, named like the store entry — but not that it is valid: a draft with an
 * unconnected step may be saved, as in any editor.
 *
 * The standard pipelines stay files (resources) and remain what the demo runs; the warehouse
 * floor writes each as version 1 when it prepares a warehouse (aq_pipeline_store_seed_standard).
 * Reads run in read-only transactions; writes in one transaction each.
 */
#define G_LOG_DOMAIN "aq-pipeline"

#include "config.h"

#include "aq-pipeline-store.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "aq-clock.h"
#include "aq-db-job.h"
#include "aq-error.h"
#include "aq-json-reader.h"

#define STANDARD_RESOURCE_DIR "/org/aqueduct/Aqueduct/pipelines/"

/* the columns every version read selects, in this order */
#define VERSION_COLUMNS \
  "v.name, v.version, v.author," \
  " floor(extract(epoch FROM v.created_at) * 1000000)::bigint, v.comment, v.restored_from"

/* ---- auxiliary methods ---- */

void
aq_pipeline_version_free (AqPipelineVersion *version)
{
  if (version == NULL)
    return;
  g_free (version->name);
  g_free (version->author);
  g_clear_pointer (&version->created_at, g_date_time_unref);
  g_free (version->comment);
  g_free (version);
}

static gboolean
check_name (const char  *name,
            GError     **error)
{
  gsize len = name ? strlen (name) : 0;

  if (len == 0 || len > 100)
    goto bad;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (name[i]) && name[i] != '_' && name[i] != '.' && name[i] != '-')
      goto bad;
  return TRUE;

bad:
  g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
               _("“%s” is not a pipeline name: use 1 to 100 letters, digits, “_”, “.” or “-”"),
               name ? name : "");
  return FALSE;
}

static AqPipelineVersion *
version_from_row (PGresult *res,
                  int       row)
{
  AqPipelineVersion *v = g_new0 (AqPipelineVersion, 1);
  gint64 usec = g_ascii_strtoll (PQgetvalue (res, row, 3), NULL, 10);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) exact = g_date_time_add (utc, usec % G_USEC_PER_SEC);
  g_autoptr(GTimeZone) zone = aq_clock_zone ();

  v->name = g_strdup (PQgetvalue (res, row, 0));
  v->version = (int) g_ascii_strtoll (PQgetvalue (res, row, 1), NULL, 10);
  v->n_versions = v->version;
  v->author = g_strdup (PQgetvalue (res, row, 2));
  v->created_at = g_date_time_to_timezone (exact, zone);
  v->comment = PQgetisnull (res, row, 4) ? NULL : g_strdup (PQgetvalue (res, row, 4));
  v->restored_from = PQgetisnull (res, row, 5)
                     ? 0 : (int) g_ascii_strtoll (PQgetvalue (res, row, 5), NULL, 10);
  return v;
}

/* Runs one read in a read-only transaction unless the caller has one open. */
static PGresult *
read_query (AqDb                *db,
            const char          *sql,
            int                  n_params,
            const char * const  *params,
            GError             **error)
{
  gboolean own = PQtransactionStatus (aq_db_get_conn (db)) == PQTRANS_IDLE;
  PGresult *res;

  if (own && !aq_db_exec (db, "START TRANSACTION READ ONLY", error))
    return NULL;
  res = aq_db_query (db, sql, n_params, params, error);
  if (own)
    {
      if (res == NULL)
        aq_db_rollback (db);
      else if (!aq_db_commit (db, error))
        g_clear_pointer (&res, PQclear);
    }
  return res;
}

/* The text must load as a pipeline, and a "name" in it must be the store's name. */
static gboolean
check_definition (const char  *name,
                  const char  *json_text,
                  GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(JsonNode) root = aq_json_read (json_text, -1, AQ_JSON_LIMIT_DEFINITION, &local);
  JsonObject *object;
  JsonNode *member;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("Pipeline %s was not saved: its definition is not a JSON object (%s)"),
                   name, local ? local->message : _("another kind of value"));
      return FALSE;
    }
  object = json_node_get_object (root);
  member = json_object_get_member (object, "name");
  if (member && (!JSON_NODE_HOLDS_VALUE (member)
                 || json_node_get_value_type (member) != G_TYPE_STRING
                 || g_strcmp0 (json_node_get_string (member), name) != 0))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("Pipeline %s was not saved: the definition names another pipeline (“name” "
                     "must be “%s”)"), name, name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
save_text (AqDb        *db,
           const char  *name,
           const char  *json_text,
           const char  *comment,
           int          restored_from,
           int         *out_version,
           GError     **error)
{
  g_autofree char *from = restored_from > 0 ? g_strdup_printf ("%d", restored_from) : NULL;
  const char *bump[] = { name };
  const char *params[5] = { name, NULL, json_text, comment && *comment ? comment : NULL, from };
  g_autoptr(PGresult) version = NULL;
  g_autoptr(PGresult) insert = NULL;

  if (!aq_db_begin (db, error))
    return FALSE;
  /* the pipeline row's lock orders concurrent saves: each gets its own number */
  version = aq_db_query (db,
                         "INSERT INTO meta.pipeline AS p (name) VALUES ($1)"
                         " ON CONFLICT (name) DO UPDATE"
                         " SET latest_version = p.latest_version + 1, updated_at = now()"
                         " RETURNING latest_version",
                         1, bump, error);
  if (version == NULL)
    goto fail;
  params[1] = PQgetvalue (version, 0, 0);
  insert = aq_db_query (db,
                        "INSERT INTO meta.pipeline_version"
                        " (name, version, definition, comment, restored_from)"
                        " VALUES ($1, $2::integer, $3, $4, $5::integer)",
                        5, params, error);
  if (insert == NULL || !aq_db_commit (db, error))
    goto fail;
  if (out_version)
    *out_version = (int) g_ascii_strtoll (params[1], NULL, 10);
  return TRUE;

fail:
  aq_db_rollback (db);
  g_prefix_error (error, _("Pipeline %s was not saved: "), name);
  return FALSE;
}

/* ---- public API ---- */

/**
 * aq_pipeline_store_save:
 * @json_text: the definition as the editor writes it; kept byte for byte
 * @comment: (nullable): what changed
 * @out_version: (out) (optional): the new version's number
 *
 * Saves a new version of pipeline @name (the first makes the pipeline). Needs the data
 * engineer's grants (AQ_ERROR_PERMISSION otherwise).
 */
gboolean
aq_pipeline_store_save (AqDb        *db,
                        const char  *name,
                        const char  *json_text,
                        const char  *comment,
                        int         *out_version,
                        GError     **error)
{
  g_return_val_if_fail (AQ_IS_DB (db), FALSE);
  g_return_val_if_fail (json_text != NULL, FALSE);

  if (!check_name (name, error) || !check_definition (name, json_text, error))
    return FALSE;
  return save_text (db, name, json_text, comment, 0, out_version, error);
}

typedef struct
{
  char *name;
  char *json_text;
  char *comment;
} SaveJob;

static void
save_job_free (gpointer data)
{
  SaveJob *job = data;

  g_free (job->name);
  g_free (job->json_text);
  g_free (job->comment);
  g_free (job);
}

static gpointer
save_job_run (AqDb          *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  SaveJob *job = data;
  int version = 0;

  if (!aq_pipeline_store_save (db, job->name, job->json_text, job->comment, &version, error))
    return NULL;
  return GINT_TO_POINTER (version);
}

/**
 * aq_pipeline_store_save_async:
 * @conninfo: (nullable): the warehouse, NULL for the embedded one
 *
 * aq_pipeline_store_save() on a pooled connection, off the caller's thread (the editor's Save).
 */
void
aq_pipeline_store_save_async (const char          *conninfo,
                              const char          *name,
                              const char          *json_text,
                              const char          *comment,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  SaveJob *job = g_new0 (SaveJob, 1);

  job->name = g_strdup (name);
  job->json_text = g_strdup (json_text);
  job->comment = g_strdup (comment);
  aq_db_job_run_async (conninfo, aq_pipeline_store_save_async, save_job_run, job, save_job_free,
                       NULL, cancellable, callback, user_data);
}

/**
 * aq_pipeline_store_save_finish:
 *
 * Returns: the version saved, or 0 with @error set
 */
int
aq_pipeline_store_save_finish (GAsyncResult  *result,
                               GError       **error)
{
  return GPOINTER_TO_INT (aq_db_job_run_finish (result, aq_pipeline_store_save_async, error));
}

/**
 * aq_pipeline_store_load:
 * @version: a version number, or 0 for the latest
 *
 * Returns: (transfer full): the definition's text as it was saved
 */
char *
aq_pipeline_store_load (AqDb        *db,
                        const char  *name,
                        int          version,
                        GError     **error)
{
  g_autofree char *number = g_strdup_printf ("%d", version);
  const char *params[] = { name, number };
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  g_return_val_if_fail (version >= 0, NULL);

  if (!check_name (name, error))
    return NULL;
  res = read_query (db,
                    "SELECT v.definition FROM meta.pipeline_version v"
                    " JOIN meta.pipeline p USING (name)"
                    " WHERE v.name = $1"
                    "   AND v.version = CASE WHEN $2::integer = 0 THEN p.latest_version"
                    "                        ELSE $2::integer END",
                    2, params, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      if (version == 0)
        g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND,
                     _("There is no pipeline “%s” in the warehouse"), name);
      else
        g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND,
                     _("Pipeline “%s” has no version %d"), name, version);
      return NULL;
    }
  return g_strdup (PQgetvalue (res, 0, 0));
}

/* The stored version (0: latest) as a pipeline model. */
AqPipeline *
aq_pipeline_store_open (AqDb        *db,
                        const char  *name,
                        int          version,
                        GError     **error)
{
  g_autofree char *text = aq_pipeline_store_load (db, name, version, error);

  if (text == NULL)
    return NULL;
  return aq_pipeline_new_from_data (text, -1, NULL, error);
}

/**
 * aq_pipeline_store_list:
 *
 * Returns: (transfer full) (element-type AqPipelineVersion): every stored pipeline's latest
 * version, by name
 */
GPtrArray *
aq_pipeline_store_list (AqDb    *db,
                        GError **error)
{
  g_autoptr(PGresult) res = NULL;
  GPtrArray *list;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);

  res = read_query (db,
                    "SELECT " VERSION_COLUMNS ", p.latest_version FROM meta.pipeline p"
                    " JOIN meta.pipeline_version v"
                    "   ON v.name = p.name AND v.version = p.latest_version"
                    " ORDER BY p.name",
                    0, NULL, error);
  if (res == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_pipeline_version_free);
  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (list, version_from_row (res, i));
  return list;
}

/**
 * aq_pipeline_store_versions:
 *
 * Returns: (transfer full) (element-type AqPipelineVersion): the versions of pipeline @name,
 * newest first; AQ_ERROR_NOT_FOUND when it is not stored
 */
GPtrArray *
aq_pipeline_store_versions (AqDb        *db,
                            const char  *name,
                            GError     **error)
{
  const char *params[] = { name };
  g_autoptr(PGresult) res = NULL;
  GPtrArray *list;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);

  if (!check_name (name, error))
    return NULL;
  res = read_query (db,
                    "SELECT " VERSION_COLUMNS ", p.latest_version FROM meta.pipeline_version v"
                    " JOIN meta.pipeline p USING (name)"
                    " WHERE v.name = $1 ORDER BY v.version DESC",
                    1, params, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND,
                   _("There is no pipeline “%s” in the warehouse"), name);
      return NULL;
    }
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_pipeline_version_free);
  for (int i = 0; i < PQntuples (res); i++)
    {
      AqPipelineVersion *v = version_from_row (res, i);

      v->n_versions = (int) g_ascii_strtoll (PQgetvalue (res, i, 6), NULL, 10);
      g_ptr_array_add (list, v);
    }
  return list;
}

/**
 * aq_pipeline_store_restore:
 * @version: the version to go back to
 * @comment: (nullable): why; by default "restored version N"
 *
 * Makes version @version the latest again by saving its text as a new version.
 */
gboolean
aq_pipeline_store_restore (AqDb        *db,
                           const char  *name,
                           int          version,
                           const char  *comment,
                           int         *out_version,
                           GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *why = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);

  if (!check_name (name, error))
    return FALSE;
  if (version < 1)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("Pipeline %s: there is no version %d"),
                   name, version);
      return FALSE;
    }
  text = aq_pipeline_store_load (db, name, version, error);
  if (text == NULL)
    return FALSE;
  why = comment && *comment ? g_strdup (comment)
                            : g_strdup_printf (_("restored version %d"), version);
  return save_text (db, name, text, why, version, out_version, error);
}

/* The text of standard pipeline @name (data/pipelines/NAME.json) as shipped. */
char *
aq_pipeline_store_dup_standard (const char  *name,
                                GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (!check_name (name, error))
    return NULL;
  path = g_strconcat (STANDARD_RESOURCE_DIR, name, ".json", NULL);
  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("There is no standard pipeline “%s”"),
                   name);
      return NULL;
    }
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/**
 * aq_pipeline_store_seed_standard:
 * @n_seeded: (out) (optional): how many standard pipelines were written now
 *
 * Writes each standard pipeline the store does not hold yet as its version 1 (comment: the
 * file it came from). A stored pipeline is left alone, edited or not. Idempotent; does nothing
 * before migration 018.
 */
gboolean
aq_pipeline_store_seed_standard (AqDb     *db,
                                 guint    *n_seeded,
                                 GError  **error)
{
  g_auto(GStrv) names = aq_pipeline_list_standard ();
  g_autoptr(PGresult) exists = NULL;
  guint seeded = 0;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);

  if (n_seeded)
    *n_seeded = 0;
  exists = aq_db_query (db, "SELECT to_regclass('meta.pipeline_version') IS NOT NULL", 0, NULL,
                        error);
  if (exists == NULL)
    return FALSE;
  if (strcmp (PQgetvalue (exists, 0, 0), "t") != 0)
    return TRUE;
  if (!aq_db_begin (db, error))
    return FALSE;
  for (guint i = 0; names[i]; i++)
    {
      g_autofree char *text = aq_pipeline_store_dup_standard (names[i], error);
      g_autofree char *comment = g_strdup_printf ("data/pipelines/%s.json", names[i]);
      const char *params[] = { names[i], text, comment };
      g_autoptr(PGresult) res = NULL;

      if (text == NULL)
        goto fail;
      res = aq_db_query (db,
                         "WITH p AS (INSERT INTO meta.pipeline (name) VALUES ($1)"
                         "           ON CONFLICT (name) DO NOTHING RETURNING name)"
                         " INSERT INTO meta.pipeline_version (name, version, definition, comment)"
                         " SELECT name, 1, $2, $3 FROM p",
                         3, params, error);
      if (res == NULL)
        goto fail;
      seeded += (guint) g_ascii_strtoull (PQcmdTuples (res), NULL, 10);
    }
  if (!aq_db_commit (db, error))
    goto fail;
  if (n_seeded)
    *n_seeded = seeded;
  return TRUE;

fail:
  aq_db_rollback (db);
  g_prefix_error (error, _("Writing the standard pipelines into the store failed: "));
  return FALSE;
}
