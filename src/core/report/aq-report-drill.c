/* aq-report-drill.c — from a cell of a pivot to the list of rows behind it
 *
 * The cell's row and column members become IN filters of a list over the cube's detail source
 * (bills behind a billing cell, work orders behind a work-order cell; a source at detail grain
 * lists itself). The report's own filters and parameters are kept, so the list adds up to the
 * cell for the sums it shows.
 */
#define G_LOG_DOMAIN "aq-report"

#include "config.h"

#include "aq-report.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "aq-error.h"
#include "aq-report-private.h"

static void
add_member_filter (AqReportSpec *list,
                   const char   *dimension,
                   const char   *key)
{
  g_autoptr(AqReportField) f = aq_report_field_new (dimension);
  const char *values[] = { NULL, NULL };
  g_autofree char *escaped = NULL;

  /* A key that starts with "$" is a member, not a parameter reference. */
  escaped = key[0] == '$' ? g_strconcat ("$", key, NULL) : g_strdup (key);
  values[0] = escaped;
  g_strfreev (f->values);
  f->values = g_strdupv ((char **) values);
  f->op = AQ_REPORT_FILTER_IN;
  aq_report_spec_add_field (list, AQ_REPORT_ZONE_FILTERS, f, -1);
}

AqReportSpec *
aq_report_drill_spec (AqCatalog       *catalog,
                      AqReportSpec    *spec,
                      AqReportResult  *result,
                      guint            row,
                      guint            col,
                      GError         **error)
{
  g_autoptr(AqReportSpec) list = NULL;
  AqIndicator *ind;
  AqCatalogSource *source, *detail;
  const char *detail_id;
  g_autofree char *title = NULL;
  guint n_cols_dims;

  g_return_val_if_fail (AQ_IS_CATALOG (catalog), NULL);
  g_return_val_if_fail (AQ_IS_REPORT_SPEC (spec), NULL);
  g_return_val_if_fail (AQ_IS_REPORT_RESULT (result), NULL);
  g_return_val_if_fail (row < aq_report_result_get_n_rows (result), NULL);
  g_return_val_if_fail (col < aq_report_result_get_n_columns (result), NULL);

  if (aq_report_result_get_kind (result) != AQ_REPORT_KIND_PIVOT)
    {
      g_set_error_literal (error, AQ_ERROR, AQ_ERROR_INVALID,
                           _("A list is already the detail; there is nothing to drill into"));
      return NULL;
    }
  ind = aq_catalog_lookup_indicator (catalog, aq_report_result_get_column_indicator (result, col));
  source = ind ? _aq_catalog_lookup_source (catalog, aq_indicator_get_source (ind)) : NULL;
  if (source == NULL || source->detail == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("“%s” is kept only as monthly totals; there are no detail rows behind it"),
                   ind ? aq_indicator_get_name (ind) : "?");
      return NULL;
    }
  detail_id = strcmp (source->detail, "self") == 0 ? source->id : source->detail;
  detail = _aq_catalog_lookup_source (catalog, detail_id);
  if (detail == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("The detail source “%s” is missing"),
                   detail_id);
      return NULL;
    }

  list = aq_report_spec_new (AQ_REPORT_KIND_LIST);
  title = g_strdup_printf (_("%s — detail"), aq_report_spec_get_title (spec));
  aq_report_spec_set_title (list, title);
  aq_report_spec_set_name (list, "");
  /* A cube names the columns and values of its detail list; a detail source its own. */
  for (guint i = 0; source->detail_rows && source->detail_rows[i]; i++)
    if (_aq_catalog_source_dim_expr (detail, source->detail_rows[i]))
      aq_report_spec_add (list, AQ_REPORT_ZONE_ROWS, source->detail_rows[i], -1);
  if (source->detail_values && source->detail_values[0])
    for (guint i = 0; source->detail_values[i]; i++)
      aq_report_spec_add (list, AQ_REPORT_ZONE_VALUES, source->detail_values[i], -1);
  else
    aq_report_spec_add (list, AQ_REPORT_ZONE_VALUES, aq_indicator_get_id (ind), -1);

  for (guint i = 0; i < aq_report_spec_get_params (spec)->len; i++)
    aq_report_spec_add_param (list, aq_report_spec_get_params (spec)->pdata[i]);
  for (guint i = 0; i < aq_report_spec_get_n_fields (spec, AQ_REPORT_ZONE_FILTERS); i++)
    {
      const AqReportField *f = aq_report_spec_get_field (spec, AQ_REPORT_ZONE_FILTERS, i);

      if (f->op == AQ_REPORT_FILTER_CONDITION)
        {
          AqCatalogCondition *c = _aq_catalog_lookup_condition (catalog, f->id);
          if (c && strcmp (c->source, detail->id) != 0)
            {
              g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                           _("filters[%u]: condition “%s” does not apply to the detail rows"),
                           i, f->id);
              return NULL;
            }
        }
      else if (_aq_catalog_source_dim_expr (detail, f->id) == NULL)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("filters[%u]: the detail rows cannot be filtered by “%s”"), i, f->id);
          return NULL;
        }
      aq_report_spec_add_field (list, AQ_REPORT_ZONE_FILTERS, f, -1);
    }

  /* The cell's own members: the row's leading dimensions, the column's. */
  for (guint d = 0; d < aq_report_result_get_row_level (result, row); d++)
    {
      const char *dim = aq_report_result_get_row_dim_id (result, d);
      const char *key = aq_report_result_get_row_key (result, row, d);

      if (key == NULL)
        continue;
      if (_aq_catalog_source_dim_expr (detail, dim) == NULL)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("rows[%u]: the detail rows cannot be filtered by “%s”"), d, dim);
          return NULL;
        }
      add_member_filter (list, dim, key);
    }
  n_cols_dims = aq_report_result_get_n_header_levels (result) - 1;
  for (guint l = 0; l < n_cols_dims; l++)
    {
      const AqReportField *f = aq_report_spec_get_field (spec, AQ_REPORT_ZONE_COLUMNS, l);
      const char *key = aq_report_result_get_column_key (result, col, l);

      if (key == NULL)
        continue;
      if (_aq_catalog_source_dim_expr (detail, f->id) == NULL)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("columns[%u]: the detail rows cannot be filtered by “%s”"), l, f->id);
          return NULL;
        }
      add_member_filter (list, f->id, key);
    }
  if (!aq_report_spec_validate (list, catalog, error))
    return NULL;
  return g_steal_pointer (&list);
}
