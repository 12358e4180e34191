/* aq-report-table.c — a report result as the grid and the chart take it
 *
 * Row dimension cells of subtotal and total rows are labelled where the roll-up starts
 * ("Subtotal" under the first rolled-up dimension, "Total" in the first column); the header
 * levels above the values' names are spans of equal consecutive labels, a label spanning only
 * while every level above it is equal too. The chart takes detail rows only (subtotals would
 * double the bars) and one value's detail columns.
 */
#define G_LOG_DOMAIN "aq-report-table"

#include "config.h"

#include "aq-report-table.h"

#include <glib/gi18n.h>
#include <math.h>

#include "aq-report-grid.h"
#include "aq-report-grid-row.h"
#include "aq-report-list.h"


static char *
row_dim_text (AqReportResult *result,
              guint           row,
              guint           dim)
{
  AqReportRowKind kind = aq_report_result_get_row_kind (result, row);
  guint level = aq_report_result_get_row_level (result, row);
  const char *label = aq_report_result_get_row_label (result, row, dim);

  if (label != NULL)
    return g_strdup (label);
  if (kind == AQ_REPORT_ROW_TOTAL && dim == 0)
    return g_strdup (C_("report designer", "Total"));
  if (kind == AQ_REPORT_ROW_SUBTOTAL && dim == level)
    return g_strdup (C_("report designer", "Subtotal"));
  return g_strdup ("");
}

/* Rows [offset, offset + n) of @result (its row 0 is row @first of the report). */
GPtrArray *
aq_report_table_rows (AqReportResult *result,
                      guint           first,
                      guint           offset,
                      guint           n)
{
  guint n_dims = aq_report_result_get_n_row_dims (result);
  guint n_cols = aq_report_result_get_n_columns (result);
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint r = offset; r < offset + n; r++)
    {
      GStrv cells = g_new0 (char *, n_dims + n_cols + 1);
      char **colors = g_new0 (char *, n_dims + n_cols + 1);
      AqReportRowKind kind = aq_report_result_get_row_kind (result, r);
      AqReportGridRowKind grid_kind = kind == AQ_REPORT_ROW_TOTAL ? AQ_REPORT_GRID_ROW_TOTAL
                                      : kind == AQ_REPORT_ROW_SUBTOTAL
                                      ? AQ_REPORT_GRID_ROW_SUBTOTAL : AQ_REPORT_GRID_ROW_DATA;

      for (guint d = 0; d < n_dims; d++)
        cells[d] = row_dim_text (result, r, d);
      /* a pivot's outer labels show once per group, as on paper (the first row of a page
       * shows them all, and subtotal rows name their group) */
      if (aq_report_result_get_kind (result) == AQ_REPORT_KIND_PIVOT && kind == AQ_REPORT_ROW_DETAIL
          && r > offset && aq_report_result_get_row_kind (result, r - 1) == AQ_REPORT_ROW_DETAIL)
        for (guint d = 0; d + 1 < n_dims; d++)
          {
            if (g_strcmp0 (aq_report_result_get_row_key (result, r, d),
                           aq_report_result_get_row_key (result, r - 1, d)) != 0)
              break;
            g_free (cells[d]);
            cells[d] = g_strdup ("");
          }
      for (guint c = 0; c < n_cols; c++)
        {
          const char *text = aq_report_result_get_cell_text (result, r, c);

          cells[n_dims + c] = g_strdup (text ? text : "");
          colors[n_dims + c] = g_strdup (aq_report_result_get_cell_color (result, r, c));
        }
      g_ptr_array_add (rows, aq_report_grid_row_new (first + r, grid_kind,
                                                     aq_report_result_get_row_level (result, r),
                                                     cells, colors, n_dims + n_cols));
    }
  return rows;
}

/* The header levels above the last one, as spans of equal consecutive labels (a label spans as
 * long as the labels of every level above it are equal too). A NULL label (under a subtotal
 * or total column) spans with its neighbours' NULLs and shows empty. */
GPtrArray *
aq_report_table_levels (AqReportResult *result)
{
  guint n_dims = aq_report_result_get_n_row_dims (result);
  guint n_cols = aq_report_result_get_n_columns (result);
  guint n_levels = aq_report_result_get_n_header_levels (result);
  GPtrArray *levels;

  if (n_levels < 2)
    return NULL;
  levels = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  for (guint l = 0; l + 1 < n_levels; l++)
    {
      GPtrArray *spans = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_header_span_free);
      guint c = 0;

      if (n_dims > 0)
        g_ptr_array_add (spans, aq_header_span_new ("", 0, n_dims));
      while (c < n_cols)
        {
          guint end = c + 1;

          while (end < n_cols)
            {
              gboolean same = TRUE;

              for (guint k = 0; k <= l && same; k++)
                same = g_strcmp0 (aq_report_result_get_column_header (result, c, k),
                                  aq_report_result_get_column_header (result, end, k)) == 0;
              if (!same)
                break;
              end++;
            }
          g_ptr_array_add (spans,
                           aq_header_span_new (aq_report_result_get_column_header (result, c, l),
                                               n_dims + c, end - c));
          c = end;
        }
      g_ptr_array_add (levels, spans);
    }
  return levels;
}

GPtrArray *
aq_report_table_columns (AqReportResult *result)
{
  guint n_dims = aq_report_result_get_n_row_dims (result);
  guint n_cols = aq_report_result_get_n_columns (result);
  guint n_levels = aq_report_result_get_n_header_levels (result);
  guint n_rows = aq_report_result_get_n_rows (result);
  GPtrArray *columns = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_grid_column_free);

  for (guint d = 0; d < n_dims; d++)
    {
      guint width = 0;

      for (guint r = 0; r < MIN (n_rows, 200); r++)
        {
          g_autofree char *text = row_dim_text (result, r, d);

          width = MAX (width, aq_grid_display_width (text));
        }
      g_ptr_array_add (columns,
                       aq_grid_column_new (aq_report_result_get_row_dim_label (result, d),
                                           FALSE, width));
    }
  for (guint c = 0; c < n_cols; c++)
    {
      const char *title = n_levels > 0
                          ? aq_report_result_get_column_header (result, c, n_levels - 1) : NULL;
      guint width = 0;

      if (title == NULL)
        {
          /* a rolled-up column: its name is the nearest label above */
          for (guint l = n_levels; l > 0 && title == NULL; l--)
            title = aq_report_result_get_column_header (result, c, l - 1);
        }
      /* the first rows, and every total and subtotal (the widest values, often far down) */
      for (guint r = 0, extra = 0; r < n_rows; r++)
        if (r < 200 || (aq_report_result_get_row_kind (result, r) != AQ_REPORT_ROW_DETAIL
                        && extra++ < 2000))
          width = MAX (width,
                       aq_grid_display_width (aq_report_result_get_cell_text (result, r, c)));
      g_ptr_array_add (columns, aq_grid_column_new (title, TRUE, width));
    }
  return columns;
}

AqChartData *
aq_report_table_chart (AqReportResult *result,
                       guint           value_index)
{
  /* the chart's own reading of a result (core, so a headless delivery draws the same) */
  return aq_chart_data_from_result (result, value_index);
}

GPtrArray *
aq_report_table_fetch_list (gpointer       source,
                            guint          offset,
                            guint          limit,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(AqReportResult) page = NULL;

  page = aq_report_list_fetch (AQ_REPORT_LIST (source), offset, limit, cancellable, error);
  if (page == NULL)
    return NULL;
  return aq_report_table_rows (page, offset, 0, MIN (limit, aq_report_result_get_n_rows (page)));
}

