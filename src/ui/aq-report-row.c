/* aq-report-row.c — one row of a report grid
 *
 * Immutable: a page that arrives later replaces the placeholder row object, it does not fill it,
 * so a bound cell never changes under its widget.
 */
#define G_LOG_DOMAIN "aq-report-row"

#include "config.h"

#include "aq-report-row.h"

struct _AqReportRow
{
  GObject          parent_instance;

  guint            index;
  AqReportRowKind  kind;
  guint            level;
  GStrv            cells;
  char           **colors;
  guint            n_cells;
};

G_DEFINE_FINAL_TYPE (AqReportRow, aq_report_row, G_TYPE_OBJECT)

static void
aq_report_row_finalize (GObject *object)
{
  AqReportRow *self = AQ_REPORT_ROW (object);

  g_strfreev (self->cells);
  if (self->colors != NULL)
    {
      for (guint i = 0; i < self->n_cells; i++)
        g_free (self->colors[i]);
      g_free (self->colors);
    }

  G_OBJECT_CLASS (aq_report_row_parent_class)->finalize (object);
}

static void
aq_report_row_class_init (AqReportRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aq_report_row_finalize;
}

static void
aq_report_row_init (AqReportRow *self)
{
}

AqReportRow *
aq_report_row_new (guint            index,
                   AqReportRowKind  kind,
                   guint            level,
                   GStrv            cells,
                   char           **colors,
                   guint            n_cells)
{
  AqReportRow *self = g_object_new (AQ_TYPE_REPORT_ROW, NULL);

  self->index = index;
  self->kind = kind;
  self->level = level;
  self->cells = cells;
  self->colors = colors;
  self->n_cells = cells ? g_strv_length (cells) : 0;
  return self;
}

guint
aq_report_row_get_index (AqReportRow *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_ROW (self), 0);
  return self->index;
}

AqReportRowKind
aq_report_row_get_kind (AqReportRow *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_ROW (self), AQ_REPORT_ROW_DATA);
  return self->kind;
}

guint
aq_report_row_get_level (AqReportRow *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_ROW (self), 0);
  return self->level;
}

/* Returns: (nullable): the cell's text, NULL past the row's end or while loading */
const char *
aq_report_row_get_cell (AqReportRow *self,
                        guint        column)
{
  g_return_val_if_fail (AQ_IS_REPORT_ROW (self), NULL);
  return column < self->n_cells ? self->cells[column] : NULL;
}

const char *
aq_report_row_get_color (AqReportRow *self,
                         guint        column)
{
  g_return_val_if_fail (AQ_IS_REPORT_ROW (self), NULL);
  return self->colors != NULL && column < self->n_cells ? self->colors[column] : NULL;
}
