/* aq-ctl-report-export.c — `aqueductctl report run … --xlsx OUT --csv OUT`
 *
 * A pivot runs once and is written to each file asked for. A list is streamed: one run of
 * the query feeds both files row by row (aq_report_export_list), so a million rows never sit
 * in memory. Each file is
 * written beside its target and renamed over it when complete: a failed or interrupted run
 * leaves the previous file (or none), never half of one.
 */
#define G_LOG_DOMAIN "aqueductctl"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "aq-ctl-report-export.h"

static int
export_list (AqDb         *db,
             AqCatalog    *catalog,
             AqReportSpec *spec,
             GHashTable   *params,
             const char   *xlsx_path,
             const char   *csv_path,
             guint64      *n_rows)
{
  g_autoptr(GError) error = NULL;

  aq_ctl_progress (-1, _("running the list and writing…"), NULL);
  if (!aq_report_export_list (db, catalog, spec, params, xlsx_path, csv_path, n_rows,
                              aq_ctl_cancellable (), &error))
    return aq_ctl_fail (error);
  aq_ctl_progress_done ();
  return AQ_CTL_OK;
}

static int
export_result (AqDb         *db,
               AqCatalog    *catalog,
               AqReportSpec *spec,
               GHashTable   *params,
               const char   *xlsx_path,
               const char   *csv_path,
               guint64      *n_rows)
{
  g_autoptr(AqReportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqExportFile) xlsx_probe = NULL;
  g_autoptr(AqExportFile) csv_probe = NULL;

  /* A folder that is missing or read-only fails before the query runs, as for lists. */
  if ((xlsx_path && (xlsx_probe = aq_export_file_new (xlsx_path, &error)) == NULL)
      || (csv_path && (csv_probe = aq_export_file_new (csv_path, &error)) == NULL))
    return aq_ctl_fail (error);
  g_clear_pointer (&xlsx_probe, aq_export_file_free);
  g_clear_pointer (&csv_probe, aq_export_file_free);
  result = aq_report_run (db, catalog, spec, params, aq_ctl_cancellable (), &error);
  if (result == NULL
      || (xlsx_path && !aq_report_write_xlsx (result, xlsx_path, &error))
      || (csv_path && !aq_report_write_csv (result, csv_path, &error)))
    return aq_ctl_fail (error);
  *n_rows = aq_report_result_get_n_rows (result);
  return AQ_CTL_OK;
}

/* Runs @spec into the files asked for (either may be NULL) and says what was written. */
int
aq_ctl_report_export (AqDb         *db,
                      AqCatalog    *catalog,
                      AqReportSpec *spec,
                      GHashTable   *params,
                      const char   *xlsx_path,
                      const char   *csv_path,
                      gboolean      json)
{
  guint64 n_rows = 0;
  int status;

  g_return_val_if_fail (xlsx_path || csv_path, AQ_CTL_USAGE);

  if (xlsx_path && csv_path && strcmp (xlsx_path, csv_path) == 0)
    return aq_ctl_usage (N_("report run NAME|FILE [--param K=V …] [--xlsx OUT] [--csv OUT]"),
                         _("--xlsx and --csv name the same file"));
  if (aq_report_spec_get_kind (spec) == AQ_REPORT_KIND_LIST)
    status = export_list (db, catalog, spec, params, xlsx_path, csv_path, &n_rows);
  else
    status = export_result (db, catalog, spec, params, xlsx_path, csv_path, &n_rows);
  if (status != AQ_CTL_OK)
    return status;

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, aq_report_spec_get_kind (spec) == AQ_REPORT_KIND_LIST
                                        ? "list" : "pivot");
      json_builder_set_member_name (b, "rows");
      json_builder_add_int_value (b, (gint64) n_rows);
      json_builder_set_member_name (b, "xlsx");
      if (xlsx_path)
        json_builder_add_string_value (b, xlsx_path);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "csv");
      if (csv_path)
        json_builder_add_string_value (b, csv_path);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      aq_ctl_print_json (root);
    }
  else
    {
      if (xlsx_path)
        g_print (ngettext ("Wrote %" PRIu64 " row to %s\n", "Wrote %" PRIu64 " rows to %s\n",
                           n_rows), n_rows, xlsx_path);
      if (csv_path)
        g_print (ngettext ("Wrote %" PRIu64 " row to %s\n", "Wrote %" PRIu64 " rows to %s\n",
                           n_rows), n_rows, csv_path);
    }
  return AQ_CTL_OK;
}
