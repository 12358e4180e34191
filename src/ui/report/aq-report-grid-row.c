/* aq-report-row.c — one row of a report grid
 *
 * Immutable: a page that arrives later replaces the placeholder row object, it does not fill it,
 * so a bound cell never changes under its widget.
 */
#define G_LOG_DOMAIN "aq-report-grid-row"

#include "config.h"

#include "aq-report-grid-row.h"

struct _AqReportGridRow
{
  GObject          parent_instance;

  guint            index;
  AqReportGridRowKind  kind;
  guint            level;
  GStrv            cells;
  char           **colors;
  guint            n_cells;
};

G_DEFINE_FINAL_TYPE (AqReportGridRow, aq_report_grid_row, G_TYPE_OBJECT)

static void
aq_report_grid_row_finalize (GObject *object)
{
  AqReportGridRow *self = AQ_REPORT_GRID_ROW (object);

  g_strfreev (self->cells);
  if (self->colors != NULL)
    {
      for (guint i = 0; i < self->n_cells; i++)
        g_free (self->colors[i]);
      g_free (self->colors);
    }

  G_OBJECT_CLASS (aq_report_grid_row_parent_class)->finalize (object);
}

static void
aq_report_grid_row_class_init (AqReportGridRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aq_report_grid_row_finalize;
}

static void
aq_report_grid_row_init (AqReportGridRow *self)
{
}

AqReportGridRow *
aq_report_grid_row_new (guint            index,
                        AqReportGridRowKind  kind,
                        guint            level,
                        GStrv            cells,
                        char           **colors,
                        guint            n_cells)
{
  AqReportGridRow *self = g_object_new (AQ_TYPE_REPORT_GRID_ROW, NULL);

  self->index = index;
  self->kind = kind;
  self->level = level;
  self->cells = cells;
  self->colors = colors;
  self->n_cells = cells ? g_strv_length (cells) : 0;
  return self;
}

guint
aq_report_grid_row_get_index (AqReportGridRow *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_GRID_ROW (self), 0);
  return self->index;
}

AqReportGridRowKind
aq_report_grid_row_get_kind (AqReportGridRow *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_GRID_ROW (self), AQ_REPORT_GRID_ROW_DATA);
  return self->kind;
}

guint
aq_report_grid_row_get_level (AqReportGridRow *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_GRID_ROW (self), 0);
  return self->level;
}

/* Returns: (nullable): the cell's text, NULL past the row's end or while loading */
const char *
aq_report_grid_row_get_cell (AqReportGridRow *self,
                             guint        column)
{
  g_return_val_if_fail (AQ_IS_REPORT_GRID_ROW (self), NULL);
  return column < self->n_cells ? self->cells[column] : NULL;
}

const char *
aq_report_grid_row_get_color (AqReportGridRow *self,
                              guint        column)
{
  g_return_val_if_fail (AQ_IS_REPORT_GRID_ROW (self), NULL);
  return self->colors != NULL && column < self->n_cells ? self->colors[column] : NULL;
}
