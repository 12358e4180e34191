/* aq-record-table.c — rows of one 360 section under titled columns
 *
 * A grid of labels, not a GtkColumnView: a section holds at most a few hundred cells, and a
 * grid builds them in one go with natural widths, where a column view needs a list model and
 * factories per column for the same picture. The columns are the first row's members, in the
 * order core wrote them; titles and coded values go through aq-labels. What the table shows is
 * also what it copies and exports (aq_record_table_dup_header/_dup_rows).
 */
#define G_LOG_DOMAIN "aq-record-table"

#include "config.h"

#include "aq-record-table.h"

#include <glib/gi18n.h>

#include "aq-labels.h"

struct _AqRecordTable
{
  GtkWidget          parent_instance;

  GtkScrolledWindow *scroller;
  GtkGrid           *grid;
  GtkLabel          *empty_label;

  char              *section;
  GPtrArray         *columns;   /* (element-type utf8) */
  JsonArray         *rows;
  GPtrArray         *cells;          /* (element-type GtkLabel): row-major, header row first */
  guint              cell_columns;   /* the width of @cells' rows */
};

G_DEFINE_FINAL_TYPE (AqRecordTable, aq_record_table, GTK_TYPE_WIDGET)

/* The columns that lead, per section; the others follow in core's order. */
static const struct
{
  const char *section;
  const char *columns[14];
} leading[] = {
  /* what a caller asks about a bill first: the volume and its readings, then the fees; the
   * bill number and the (mostly empty) catch-up mark last, so that on a 1920 px screen the
   * readings are not behind a sideways scroll */
  { "bills", { "period", "qty", "tiers", "amount", "read_status", "prev_read", "curr_read",
               "read_date", "water_fee", "sewage_fee", "due_date", "catch_up", NULL } },
  { "payments", { "paid_at", "amount", "channel", "period", "late_fee", "days_late", NULL } },
  { "work_orders", { "created_at", "category", "status", "overdue", "sla_due_at", NULL } },
  { "calls", { "started_at", "category", "talk_seconds", "wait_seconds", NULL } },
  { "sms", { "sent_at", "template", "status", NULL } },
};

/* A cell is at most this many characters wide (a deadline with its countdown fits). */
#define MAX_COLUMNS 36

/* ---- auxiliary methods ---- */

/* A cell is made once and then relabelled: the next customer's bills have the same columns,
 * and setting a label's text is far cheaper than making a widget. */
/* How many columns of a terminal @text takes: a Chinese character takes two, which is what a
 * label's width in characters means too. */
static guint
text_columns (const char *text)
{
  guint columns = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    columns += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return columns;
}

static void
cell_set (GtkWidget  *label,
          const char *text,
          gboolean    number)
{
  guint width = text_columns (text);

  gtk_label_set_label (GTK_LABEL (label), text);
  gtk_label_set_xalign (GTK_LABEL (label), number ? 1.0 : 0.0);
  /* as wide as the text up to a limit: the table scrolls sideways rather than cut dates */
  gtk_label_set_width_chars (GTK_LABEL (label), MIN (width, MAX_COLUMNS));
  /* long values (addresses, reasons) are cut: the whole of them on hover. Only touched when
   * needed: setting a tooltip, even none, asks the X server where the pointer is. */
  if (width > MAX_COLUMNS)
    gtk_widget_set_tooltip_text (label, text);
  else if (gtk_widget_get_has_tooltip (label))
    gtk_widget_set_tooltip_text (label, NULL);
  if (number)
    gtk_widget_add_css_class (label, "numeric");
  else
    gtk_widget_remove_css_class (label, "numeric");
}

static GtkWidget *
cell_get (AqRecordTable *self,
          guint          column,
          guint          row)
{
  guint index = row * self->cell_columns + column;
  GtkWidget *label;

  if (index < self->cells->len)
    return g_ptr_array_index (self->cells, index);
  g_assert (index == self->cells->len);
  label = gtk_label_new (NULL);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), MAX_COLUMNS);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  if (row == 0)
    {
      gtk_widget_add_css_class (label, "heading");
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_NONE);
    }
  gtk_grid_attach (self->grid, label, column, row, 1, 1);
  g_ptr_array_add (self->cells, label);
  return label;
}

/* Keeps the cells of the first @rows rows (the header row included) when the rows are still
 * @columns wide; drops them all otherwise. */
static void
trim_grid (AqRecordTable *self,
           guint          columns,
           guint          rows)
{
  guint keep = columns == self->cell_columns ? MIN (self->cells->len, columns * rows) : 0;

  for (guint i = keep; i < self->cells->len; i++)
    gtk_grid_remove (self->grid, g_ptr_array_index (self->cells, i));
  g_ptr_array_set_size (self->cells, keep);
  self->cell_columns = columns;
}

/* ---- GObject overrides ---- */

static void
aq_record_table_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), AQ_TYPE_RECORD_TABLE);
  G_OBJECT_CLASS (aq_record_table_parent_class)->dispose (object);
}

static void
aq_record_table_finalize (GObject *object)
{
  AqRecordTable *self = AQ_RECORD_TABLE (object);

  g_clear_pointer (&self->section, g_free);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_pointer (&self->rows, json_array_unref);
  g_clear_pointer (&self->cells, g_ptr_array_unref);
  G_OBJECT_CLASS (aq_record_table_parent_class)->finalize (object);
}

static void
aq_record_table_class_init (AqRecordTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_record_table_dispose;
  object_class->finalize = aq_record_table_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-record-table.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "record-table");
  gtk_widget_class_bind_template_child (widget_class, AqRecordTable, scroller);
  gtk_widget_class_bind_template_child (widget_class, AqRecordTable, grid);
  gtk_widget_class_bind_template_child (widget_class, AqRecordTable, empty_label);
}

static void
aq_record_table_init (AqRecordTable *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager
                                                  (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  self->columns = g_ptr_array_new_with_free_func (g_free);
  self->cells = g_ptr_array_new ();
}

/* ---- public API ---- */

GtkWidget *
aq_record_table_new (void)
{
  return g_object_new (AQ_TYPE_RECORD_TABLE, NULL);
}

/**
 * aq_record_table_set_rows:
 * @section: the 360 section the rows come from (it picks the labels of coded values)
 * @rows: (nullable): the rows, each an object with the same members
 */
void
aq_record_table_set_rows (AqRecordTable *self,
                          const char    *section,
                          JsonArray     *rows)
{
  guint n;

  g_return_if_fail (AQ_IS_RECORD_TABLE (self));

  g_ptr_array_set_size (self->columns, 0);
  g_clear_pointer (&self->rows, json_array_unref);
  g_free (self->section);
  self->section = g_strdup (section);
  n = rows ? json_array_get_length (rows) : 0;

  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), n == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->scroller), n > 0);
  if (n == 0)
    {
      trim_grid (self, self->cell_columns, 0);
      return;
    }
  self->rows = json_array_ref (rows);

  {
    JsonObject *first = json_array_get_object_element (rows, 0);
    g_autoptr(GList) members = json_object_get_members (first);

    /* what an agent reads first, first; the rest (numbers of record) after, as core has them */
    for (guint i = 0; i < G_N_ELEMENTS (leading); i++)
      if (g_strcmp0 (leading[i].section, section) == 0)
        for (guint c = 0; leading[i].columns[c]; c++)
          if (json_object_has_member (first, leading[i].columns[c]))
            g_ptr_array_add (self->columns, g_strdup (leading[i].columns[c]));
    for (GList *l = members; l; l = l->next)
      if (!g_ptr_array_find_with_equal_func (self->columns, l->data, g_str_equal, NULL))
        g_ptr_array_add (self->columns, g_strdup (l->data));
  }

  trim_grid (self, self->columns->len, n + 1);
  for (guint c = 0; c < self->columns->len; c++)
    {
      const char *column = g_ptr_array_index (self->columns, c);
      GtkWidget *title = cell_get (self, c, 0);

      cell_set (title, aq_label_column (column),
                aq_label_is_number (json_array_get_object_element (rows, 0), column));
    }
  for (guint r = 0; r < n; r++)
    {
      JsonObject *row = json_array_get_object_element (rows, r);

      for (guint c = 0; c < self->columns->len; c++)
        {
          const char *column = g_ptr_array_index (self->columns, c);
          g_autofree char *text = aq_label_cell (section, row, column);

          cell_set (cell_get (self, c, r + 1), text, aq_label_is_number (row, column));
        }
    }
}

/* Returns: how many rows the table shows */
guint
aq_record_table_get_n_rows (AqRecordTable *self)
{
  g_return_val_if_fail (AQ_IS_RECORD_TABLE (self), 0);
  return self->rows ? json_array_get_length (self->rows) : 0;
}

/* Returns: (transfer full): the column titles as shown */
GStrv
aq_record_table_dup_header (AqRecordTable *self)
{
  GStrvBuilder *builder;
  GStrv header;

  g_return_val_if_fail (AQ_IS_RECORD_TABLE (self), NULL);

  builder = g_strv_builder_new ();
  for (guint c = 0; c < self->columns->len; c++)
    g_strv_builder_add (builder, aq_label_column (g_ptr_array_index (self->columns, c)));
  header = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return header;
}

/* Returns: (transfer full) (element-type GStrv): the rows, each cell as shown */
GPtrArray *
aq_record_table_dup_rows (AqRecordTable *self)
{
  GPtrArray *out;

  g_return_val_if_fail (AQ_IS_RECORD_TABLE (self), NULL);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint r = 0; r < aq_record_table_get_n_rows (self); r++)
    {
      JsonObject *row = json_array_get_object_element (self->rows, r);
      char **cells = g_new0 (char *, self->columns->len + 1);

      for (guint c = 0; c < self->columns->len; c++)
        cells[c] = aq_label_cell (self->section, row, g_ptr_array_index (self->columns, c));
      g_ptr_array_add (out, cells);
    }
  return out;
}
