/* aq-chart.h — bar, stacked bar, line and pie charts drawn with cairo: one render function for the screen,
 * PNG and PDF */
#pragma once

#include <cairo.h>
#include <glib.h>

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
