/* aq-delivery.c — scheduled deliveries: a report written to a folder, as a scheduler job kind
 * (a target naming a dashboard goes to aq-dashboard-delivery.c: a PNG or PDF)
 *
 * The scheduler knows kinds only through its registry (aq-job-kind.h): this file adds
 * "delivery" without touching it. The run records itself the scheduler's way (meta.job_run:
 * status, log excerpt, failures in the job history). A list report streams through
 * aq_report_export_list (constant memory); a pivot runs once and is written from memory.
 */
#define G_LOG_DOMAIN "aq-delivery"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "aq-clock.h"
#include "aq-dashboard-delivery.h"
#include "aq-delivery.h"
#include "aq-error.h"
#include "aq-job-kind.h"
#include "aq-json-reader.h"
#include "aq-report-csv.h"
#include "aq-report-export.h"
#include "aq-report-xlsx.h"
#include "aq-report.h"

typedef struct
{
  char       *report;
  gboolean    xlsx;
  char       *folder;
  gboolean    only_if_not_empty;
  GHashTable *params;
} Delivery;

static void
delivery_free (Delivery *d)
{
  g_free (d->report);
  g_free (d->folder);
  g_clear_pointer (&d->params, g_hash_table_unref);
  g_free (d);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Delivery, delivery_free)

static Delivery *
parse (const char  *target,
       GError     **error)
{
  g_autoptr(JsonNode) node = aq_json_read (target ? target : "", -1, AQ_JSON_LIMIT_ANSWER,
                                           error);
  g_autoptr(Delivery) d = g_new0 (Delivery, 1);
  JsonObject *o;
  JsonNode *params;
  const char *format;

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("A delivery must be a JSON object"));
      return NULL;
    }
  o = json_node_get_object (node);
  d->report = g_strdup (json_object_get_string_member_with_default (o, "report", ""));
  d->folder = g_strdup (json_object_get_string_member_with_default (o, "folder", ""));
  format = json_object_get_string_member_with_default (o, "format", "csv");
  d->only_if_not_empty = json_object_get_boolean_member_with_default (o, "only_if_not_empty",
                                                                      FALSE);
  if (*d->report == '\0')
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("report: a delivery needs a report"));
      return NULL;
    }
  if (strcmp (format, "csv") != 0 && strcmp (format, "xlsx") != 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("format: must be csv or xlsx"));
      return NULL;
    }
  d->xlsx = strcmp (format, "xlsx") == 0;
  if (!g_path_is_absolute (d->folder))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("folder: must be an absolute path"));
      return NULL;
    }
  params = json_object_get_member (o, "params");
  if (params && JSON_NODE_HOLDS_OBJECT (params))
    {
      JsonObject *p = json_node_get_object (params);
      g_autoptr(GList) members = json_object_get_members (p);

      d->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (GList *l = members; l; l = l->next)
        {
          JsonNode *v = json_object_get_member (p, l->data);

          if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_STRING)
            {
              g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                           _("params.%s: must be a string"), (char *) l->data);
              return NULL;
            }
          g_hash_table_insert (d->params, g_strdup (l->data), json_node_dup_string (v));
        }
    }
  return g_steal_pointer (&d);
}

gboolean
aq_delivery_validate (const char  *target,
                      GError     **error)
{
  g_autoptr(Delivery) d = NULL;

  if (aq_dashboard_delivery_wanted (target))
    return aq_dashboard_delivery_validate (target, error);
  d = parse (target, error);
  return d != NULL;
}

char *
aq_delivery_run (const char    *target,
                 const char    *conninfo,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(Delivery) d = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(AqCatalog) catalog = NULL;
  g_autoptr(AqReportSpec) spec = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *final = NULL;
  g_autofree char *tmp = NULL;
  const char *ext;
  guint64 n_rows = 0;
  gboolean ok;

  if (aq_dashboard_delivery_wanted (target))
    return aq_dashboard_delivery_run (target, conninfo, cancellable, error);
  d = parse (target, error);
  if (d == NULL)
    return NULL;
  db = aq_db_connect (conninfo, error);
  if (db == NULL)
    return NULL;
  catalog = aq_catalog_load (db, cancellable, error);
  if (catalog == NULL)
    return NULL;
  spec = aq_report_store_open (db, d->report, cancellable, error);
  if (spec == NULL)
    return NULL;
  if (g_mkdir_with_parents (d->folder, 0755) != 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_FAILED, _("Cannot create the folder %s"),
                   d->folder);
      return NULL;
    }
  ext = d->xlsx ? "xlsx" : "csv";
  now = aq_clock_now_local ();
  stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  final = g_strdup_printf ("%s/%s-%s.%s", d->folder, d->report, stamp, ext);
  tmp = g_strdup_printf ("%s/.%s-%s.part.%s", d->folder, d->report, stamp, ext);

  if (aq_report_spec_get_kind (spec) == AQ_REPORT_KIND_LIST)
    ok = aq_report_export_list (db, catalog, spec, d->params, d->xlsx ? tmp : NULL,
                                d->xlsx ? NULL : tmp, &n_rows, cancellable, error);
  else
    {
      g_autoptr(AqReportResult) result = aq_report_run (db, catalog, spec, d->params,
                                                        cancellable, error);

      if (result == NULL)
        return NULL;
      for (guint r = 0; r < aq_report_result_get_n_rows (result); r++)
        n_rows += aq_report_result_get_row_kind (result, r) == AQ_REPORT_ROW_DETAIL;
      ok = d->xlsx ? aq_report_write_xlsx (result, tmp, error)
                   : aq_report_write_csv (result, tmp, error);
    }
  if (!ok)
    {
      g_unlink (tmp);
      return NULL;
    }
  if (n_rows == 0 && d->only_if_not_empty)
    {
      g_unlink (tmp);
      return g_strdup_printf ("skipped: %s is empty, nothing delivered", d->report);
    }
  if (g_rename (tmp, final) != 0)
    {
      g_unlink (tmp);
      g_set_error (error, AQ_ERROR, AQ_ERROR_FAILED, _("Cannot write %s"), final);
      return NULL;
    }
  return g_strdup_printf ("delivered %" G_GUINT64_FORMAT " rows to %s", n_rows, final);
}

static const AqJobKind delivery_kind = {
  .name = "delivery",
  .description = N_("Delivers a report as CSV or Excel into a folder, optionally only when it "
                    "has rows"),
  .validate = aq_delivery_validate,
  .run = aq_delivery_run,
};

void
aq_delivery_register (void)
{
  aq_job_kind_register (&delivery_kind);
}
