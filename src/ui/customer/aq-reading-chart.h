/* aq-reading-chart.h — an account's consumption per period, odd reads marked */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  AQ_READING_NORMAL,
  AQ_READING_ZERO,        /* read, and nothing used */
  AQ_READING_ESTIMATED,
  AQ_READING_ABNORMAL,
  AQ_READING_UNREAD,      /* no access, meter stopped, not read */
} AqReadingFlag;

#define AQ_TYPE_READING_CHART (aq_reading_chart_get_type ())
G_DECLARE_FINAL_TYPE (AqReadingChart, aq_reading_chart, AQ, READING_CHART, GtkWidget)

GtkWidget     *aq_reading_chart_new            (void);
void           aq_reading_chart_set_readings   (AqReadingChart *self,
                                                JsonArray      *rows);
guint          aq_reading_chart_get_n_points   (AqReadingChart *self);
AqReadingFlag  aq_reading_chart_get_flag       (AqReadingChart *self,
                                                guint           index);
const char    *aq_reading_chart_get_period     (AqReadingChart *self,
                                                guint           index);
char          *aq_reading_chart_describe_point (AqReadingChart *self,
                                                guint           index);
int            aq_reading_chart_point_at       (AqReadingChart *self,
                                                double          x,
                                                int             width);
void           aq_reading_chart_render         (AqReadingChart *self,
                                                cairo_t        *cr,
                                                int             width,
                                                int             height);

G_END_DECLS
