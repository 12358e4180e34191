/* aq-report-grid.c — the report's result as a virtualized table
 *
 * A GtkColumnView over the lazy AqReportRowModel (NOTES.md: fixed-height ellipsized cells,
 * `.data-table`, no sort or filter models — sorting is a new query). Column widths are fixed from
 * the columns' display widths so the header strip above can align the upper header levels with
 * them. Subtotal and total rows and conditional-format colours are CSS classes on the cells;
 * the colours' classes come from one CSS provider the grid rewrites when a new colour shows up.
 *
 * Clicking a header asks for a sort: GTK 4.8 has no API to ask a GtkColumnView which column it
 * sorts by, so every column gets a sorter that records its column when called, and one
 * comparison through the view's sorter tells the primary column and, by its sign, the order.
 * Double-clicking a cell (or Enter on a row) emits "cell-activated" for the drill-down.
 */
#define G_LOG_DOMAIN "aq-report-grid"

#include "config.h"

#include "aq-report-grid.h"

#include <glib/gi18n.h>

#include "aq-report-grid-row.h"
#include "aq-report-row-model.h"

#define CHAR_WIDTH 8
#define CELL_PADDING 20

struct _AqReportGrid
{
  GtkWidget            parent_instance;

  AqReportHeaderStrip *strip;
  GtkScrolledWindow   *scroller;
  GtkColumnView       *column_view;

  GPtrArray           *columns;
  GListModel          *rows;
  GHashTable          *color_classes;
  GtkCssProvider      *color_provider;
  int                  recorded_column;
  gboolean             quiet_sorter;
};

G_DEFINE_FINAL_TYPE (AqReportGrid, aq_report_grid, GTK_TYPE_WIDGET)

enum {
  SORT_REQUESTED,
  CELL_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

AqGridColumn *
aq_grid_column_new (const char *title,
                    gboolean    numeric,
                    guint       width_chars)
{
  AqGridColumn *column = g_new0 (AqGridColumn, 1);

  column->title = g_strdup (title ? title : "");
  column->numeric = numeric;
  column->width_chars = width_chars;
  return column;
}

void
aq_grid_column_free (AqGridColumn *column)
{
  if (column == NULL)
    return;
  g_free (column->title);
  g_free (column);
}

/* Columns on a terminal's grid: a CJK character takes two. */
guint
aq_grid_display_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; p != NULL && *p; p = g_utf8_next_char (p))
    width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return width;
}

/* ---- auxiliary methods ---- */

static int
column_pixels (AqGridColumn *column)
{
  guint chars = MAX (column->width_chars, aq_grid_display_width (column->title));

  return CLAMP ((int) chars * CHAR_WIDTH + CELL_PADDING, 72, 360);
}

static const char *
color_class (AqReportGrid *self,
             const char   *color)
{
  const char *klass;
  g_autoptr(GString) css = NULL;
  GHashTableIter iter;
  gpointer key;
  gpointer value;
  GdkRGBA rgba;

  if (color == NULL || !gdk_rgba_parse (&rgba, color))
    return NULL;
  klass = g_hash_table_lookup (self->color_classes, color);
  if (klass != NULL)
    return klass;

  g_hash_table_insert (self->color_classes, g_strdup (color),
                       g_strdup_printf ("cf-%u", g_hash_table_size (self->color_classes)));
  css = g_string_new (NULL);
  g_hash_table_iter_init (&iter, self->color_classes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_string_append_printf (css, ".data-table label.%s { background-color: %s; }\n",
                            (char *) value, (char *) key);
  gtk_css_provider_load_from_data (self->color_provider, css->str, css->len);
  return g_hash_table_lookup (self->color_classes, color);
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               AqReportGrid             *self);
static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              AqReportGrid             *self);

static int
record_sort_cb (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  GtkColumnViewColumn *column = user_data;
  AqReportGrid *self = g_object_get_data (G_OBJECT (column), "grid");

  if (self->recorded_column < 0)
    self->recorded_column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (column), "index"));
  return GTK_ORDERING_SMALLER;
}

static void
sorter_changed_cb (GtkSorter       *sorter,
                   GtkSorterChange  change,
                   AqReportGrid    *self)
{
  g_autoptr(GObject) a = NULL;
  g_autoptr(GObject) b = NULL;
  GtkOrdering order;

  if (self->quiet_sorter)
    return;
  a = g_object_new (G_TYPE_OBJECT, NULL);
  b = g_object_new (G_TYPE_OBJECT, NULL);
  self->recorded_column = -1;
  order = gtk_sorter_compare (sorter, a, b);
  if (self->recorded_column < 0)
    return;
  g_signal_emit (self, signals[SORT_REQUESTED], 0, (guint) self->recorded_column,
                 order == GTK_ORDERING_LARGER);
}

static void
hscroll_cb (GtkAdjustment *adjustment,
            AqReportGrid  *self)
{
  aq_report_header_strip_set_offset (self->strip, gtk_adjustment_get_value (adjustment));
}

static void
remove_columns (AqReportGrid *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (self->column_view, column);
    }
}

/* ---- callbacks ---- */

static void
cell_pressed_cb (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 GtkListItem     *item)
{
  GtkWidget *label = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  AqReportGrid *self = AQ_REPORT_GRID (gtk_widget_get_ancestor (label, AQ_TYPE_REPORT_GRID));
  AqReportGridRow *row = gtk_list_item_get_item (item);
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (label), "column"));

  if (n_press != 2 || row == NULL || self == NULL)
    return;
  g_signal_emit (self, signals[CELL_ACTIVATED], 0, aq_report_grid_row_get_index (row), column);
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               AqReportGrid             *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "column"));
  AqGridColumn *column = g_ptr_array_index (self->columns, index);
  GtkWidget *label = gtk_label_new (NULL);
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_label_set_xalign (GTK_LABEL (label), column->numeric ? 1 : 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  if (column->numeric)
    gtk_widget_add_css_class (label, "numeric");
  g_object_set_data (G_OBJECT (label), "column", GUINT_TO_POINTER (index));
  g_signal_connect (click, "pressed", G_CALLBACK (cell_pressed_cb), item);
  gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (click));
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              AqReportGrid             *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "column"));
  GtkWidget *label = gtk_list_item_get_child (item);
  AqReportGridRow *row = gtk_list_item_get_item (item);
  AqReportGridRowKind kind = aq_report_grid_row_get_kind (row);
  const char *klass = color_class (self, aq_report_grid_row_get_color (row, index));
  const char *previous = g_object_get_data (G_OBJECT (label), "color-class");
  const char *text = aq_report_grid_row_get_cell (row, index);

  gtk_label_set_label (GTK_LABEL (label), kind == AQ_REPORT_GRID_ROW_LOADING ? "…"
                                          : text ? text : "");
  if (previous != NULL)
    gtk_widget_remove_css_class (label, previous);
  if (klass != NULL)
    gtk_widget_add_css_class (label, klass);
  g_object_set_data (G_OBJECT (label), "color-class", (gpointer) klass);

  if (kind == AQ_REPORT_GRID_ROW_SUBTOTAL)
    gtk_widget_add_css_class (label, "subtotal");
  else
    gtk_widget_remove_css_class (label, "subtotal");
  if (kind == AQ_REPORT_GRID_ROW_TOTAL)
    gtk_widget_add_css_class (label, "total");
  else
    gtk_widget_remove_css_class (label, "total");
}

static void
activate_cb (AqReportGrid *self,
             guint         position)
{
  g_autoptr(AqReportGridRow) row = g_list_model_get_item (self->rows, position);
  guint first_numeric = 0;

  if (row == NULL)
    return;
  for (guint i = 0; i < self->columns->len; i++)
    if (((AqGridColumn *) g_ptr_array_index (self->columns, i))->numeric)
      {
        first_numeric = i;
        break;
      }
  g_signal_emit (self, signals[CELL_ACTIVATED], 0, position, first_numeric);
}

/* ---- GObject overrides ---- */

static void
aq_report_grid_dispose (GObject *object)
{
  AqReportGrid *self = AQ_REPORT_GRID (object);
  GtkWidget *child;

  if (AQ_IS_REPORT_ROW_MODEL (self->rows))
    aq_report_row_model_cancel (AQ_REPORT_ROW_MODEL (self->rows));
  gtk_widget_dispose_template (GTK_WIDGET (object), AQ_TYPE_REPORT_GRID);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->rows);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  if (self->color_provider != NULL)
    {
      gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                     GTK_STYLE_PROVIDER (self->color_provider));
      g_clear_object (&self->color_provider);
    }
  g_clear_pointer (&self->color_classes, g_hash_table_unref);

  G_OBJECT_CLASS (aq_report_grid_parent_class)->dispose (object);
}

static void
aq_report_grid_class_init (AqReportGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_report_grid_dispose;

  signals[SORT_REQUESTED] = g_signal_new ("sort-requested", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_BOOLEAN);
  signals[CELL_ACTIVATED] = g_signal_new ("cell-activated", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);

  g_type_ensure (AQ_TYPE_REPORT_HEADER_STRIP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-report-grid.ui");
  gtk_widget_class_bind_template_child (widget_class, AqReportGrid, strip);
  gtk_widget_class_bind_template_child (widget_class, AqReportGrid, scroller);
  gtk_widget_class_bind_template_child (widget_class, AqReportGrid, column_view);
  gtk_widget_class_bind_template_callback (widget_class, activate_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
aq_report_grid_init (AqReportGrid *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_grid_column_free);
  self->color_classes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->color_provider = gtk_css_provider_new ();
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (self->color_provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (sorter_changed_cb), self, 0);
  g_signal_connect_object (gtk_scrolled_window_get_hadjustment (self->scroller), "value-changed",
                           G_CALLBACK (hscroll_cb), self, 0);
  aq_report_header_strip_set_levels (self->strip, NULL);
}

/* ---- public API ---- */

void
aq_report_grid_set_table (AqReportGrid *self,
                          GPtrArray    *columns,
                          GPtrArray    *levels,
                          GListModel   *rows)
{
  g_autoptr(GtkNoSelection) selection = NULL;
  g_autoptr(GArray) widths = g_array_new (FALSE, FALSE, sizeof (int));

  g_return_if_fail (AQ_IS_REPORT_GRID (self));
  g_return_if_fail (columns != NULL);
  g_return_if_fail (G_IS_LIST_MODEL (rows));

  self->quiet_sorter = TRUE;
  gtk_column_view_set_model (self->column_view, NULL);
  remove_columns (self);
  if (AQ_IS_REPORT_ROW_MODEL (self->rows))
    aq_report_row_model_cancel (AQ_REPORT_ROW_MODEL (self->rows));
  g_set_object (&self->rows, rows);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  self->columns = columns;

  for (guint i = 0; i < columns->len; i++)
    {
      AqGridColumn *spec = g_ptr_array_index (columns, i);
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;
      g_autoptr(GtkSorter) sorter = NULL;
      int width = column_pixels (spec);

      g_object_set_data (G_OBJECT (factory), "column", GUINT_TO_POINTER (i));
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), self);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), self);
      column = gtk_column_view_column_new (spec->title, factory);
      gtk_column_view_column_set_fixed_width (column, width);
      gtk_column_view_column_set_resizable (column, FALSE);
      g_object_set_data (G_OBJECT (column), "grid", self);
      g_object_set_data (G_OBJECT (column), "index", GUINT_TO_POINTER (i));
      sorter = GTK_SORTER (gtk_custom_sorter_new (record_sort_cb, column, NULL));
      gtk_column_view_column_set_sorter (column, sorter);
      gtk_column_view_append_column (self->column_view, column);
      g_array_append_val (widths, width);
    }

  aq_report_header_strip_set_levels (self->strip, levels);
  aq_report_header_strip_set_widths (self->strip, (int *) widths->data, widths->len);
  selection = gtk_no_selection_new (g_object_ref (rows));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  self->quiet_sorter = FALSE;
}

void
aq_report_grid_clear (AqReportGrid *self)
{
  g_autoptr(GListStore) empty = g_list_store_new (AQ_TYPE_REPORT_GRID_ROW);

  g_return_if_fail (AQ_IS_REPORT_GRID (self));
  aq_report_grid_set_table (self,
                            g_ptr_array_new_with_free_func ((GDestroyNotify) aq_grid_column_free),
                            NULL, G_LIST_MODEL (empty));
}

guint
aq_report_grid_get_n_columns (AqReportGrid *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_GRID (self), 0);
  return self->columns->len;
}

const char *
aq_report_grid_get_column_title (AqReportGrid *self,
                                 guint         column)
{
  g_autoptr(GtkColumnViewColumn) c = NULL;

  g_return_val_if_fail (AQ_IS_REPORT_GRID (self), NULL);

  /* what the column view shows, not what was asked for */
  c = g_list_model_get_item (gtk_column_view_get_columns (self->column_view), column);
  return c ? gtk_column_view_column_get_title (c) : NULL;
}

GPtrArray *
aq_report_grid_get_levels (AqReportGrid *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_GRID (self), NULL);
  return aq_report_header_strip_get_levels (self->strip);
}

GListModel *
aq_report_grid_get_rows (AqReportGrid *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_GRID (self), NULL);
  return self->rows;
}

GtkColumnView *
aq_report_grid_get_column_view (AqReportGrid *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_GRID (self), NULL);
  return self->column_view;
}

/* Shows the sort arrow on @column (-1: none) without asking for a sort. */
void
aq_report_grid_set_sort (AqReportGrid *self,
                         int           column,
                         gboolean      descending)
{
  g_autoptr(GtkColumnViewColumn) c = NULL;

  g_return_if_fail (AQ_IS_REPORT_GRID (self));

  if (column >= 0)
    c = g_list_model_get_item (gtk_column_view_get_columns (self->column_view), column);
  self->quiet_sorter = TRUE;
  gtk_column_view_sort_by_column (self->column_view, c,
                                  descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
  self->quiet_sorter = FALSE;
}
