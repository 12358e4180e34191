/* aq-chart.h — bar, stacked bar, line and pie charts drawn with cairo: one render function for the screen,
 * PNG and PDF */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "aq-report-result.h"

G_BEGIN_DECLS

typedef enum
{
  AQ_CHART_BAR,
  AQ_CHART_LINE,
  AQ_CHART_PIE,
  AQ_CHART_STACKED,   /* bars of the series stacked per category */
} AqChartKind;

typedef struct
{
  char   *name;
  double *values;     /* one per category; NAN where the cell is empty */
} AqChartSeries;

typedef struct
{
  char       *title;
  GPtrArray  *categories;  /* char*: the x axis (bar, line) or the slices (pie) */
  GPtrArray  *series;      /* AqChartSeries* */
} AqChartData;

AqChartData *aq_chart_data_new        (const char    *title);
void         aq_chart_data_free       (AqChartData   *data);
void         aq_chart_data_add_category (AqChartData *data,
                                         const char  *category);
/* values: n_categories doubles, copied */
void         aq_chart_data_add_series (AqChartData   *data,
                                       const char    *name,
                                       const double  *values);

/* A report result as a chart takes it: the detail rows as categories (labels of the row
 * dimensions joined), the detail columns of value @value_index as the series (one indicator:
 * bars of different units on one axis mean nothing). At most 60 categories, 8 series. */
AqChartData *aq_chart_data_from_result (AqReportResult *result,
                                        guint           value_index);

/* Draws @data into (0, 0, width, height); @ink is the text and axis colour (r, g, b).
 * Returns the number of marks drawn (bars, points, slices): 0 means nothing to show. */
guint        aq_chart_render          (cairo_t           *cr,
                                       AqChartKind        kind,
                                       const AqChartData *data,
                                       double             width,
                                       double             height,
                                       const double       ink[3]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqChartData, aq_chart_data_free)

G_END_DECLS
