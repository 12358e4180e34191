/* aq-report-result.c — what a report run returns, ready to draw or export
 *
 * Cells are stored flat (rows × columns) with the formatted text made once, here, so the
 * grid, the chart, the CLI and the exports all show the same digits.
 */
#define G_LOG_DOMAIN "aq-report"

#include "config.h"

#include "aq-report-private.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

typedef struct
{
  AqReportColumnKind  kind;
  guint               value_index;
  char               *indicator;
  AqReportCalc        calc;
  char               *format;
  char              **headers;   /* n_header_levels, NULL entries allowed */
  char              **keys;      /* n_header_levels - 1 */
} Column;

typedef struct
{
  AqReportRowKind  kind;
  guint            level;
  char           **labels;   /* n_row_dims */
  char           **keys;
} Row;

typedef struct
{
  double       value;
  char        *text;
  const char  *color;
  gboolean     present;
} Cell;

struct _AqReportResult
{
  GObject       parent_instance;
  AqReportKind  kind;
  char         *title;
  char        **parameter_lines;
  char         *sql;
  char        **sql_params;
  double        elapsed_ms;
  GPtrArray    *row_dim_ids;
  GPtrArray    *row_dim_labels;
  guint         n_header_levels;
  GPtrArray    *columns;   /* Column */
  GPtrArray    *rows;      /* Row */
  GArray       *cells;     /* Cell, row-major; grown as rows are added */
};

G_DEFINE_FINAL_TYPE (AqReportResult, aq_report_result, G_TYPE_OBJECT)

static void
column_free (Column *c)
{
  g_free (c->indicator);
  g_free (c->format);
  g_free (c->headers);   /* the strings are owned by the array below */
  g_free (c->keys);
  g_free (c);
}

static void
row_free (Row *r)
{
  g_free (r->labels);
  g_free (r->keys);
  g_free (r);
}

static void
cell_clear (Cell *cell)
{
  g_free (cell->text);
}

/* Labels and keys repeat a lot (every row carries its group's labels): strings are owned
 * by one chunk per result. */
static GStringChunk *
chunk_of (AqReportResult *self)
{
  GStringChunk *chunk = g_object_get_data (G_OBJECT (self), "aq-chunk");

  if (chunk == NULL)
    {
      chunk = g_string_chunk_new (4096);
      g_object_set_data_full (G_OBJECT (self), "aq-chunk", chunk,
                              (GDestroyNotify) g_string_chunk_free);
    }
  return chunk;
}

static void
aq_report_result_finalize (GObject *object)
{
  AqReportResult *self = AQ_REPORT_RESULT (object);

  g_free (self->title);
  g_strfreev (self->parameter_lines);
  g_free (self->sql);
  g_strfreev (self->sql_params);
  g_ptr_array_unref (self->row_dim_ids);
  g_ptr_array_unref (self->row_dim_labels);
  g_ptr_array_unref (self->columns);
  g_ptr_array_unref (self->rows);
  g_array_unref (self->cells);
  G_OBJECT_CLASS (aq_report_result_parent_class)->finalize (object);
}

static void
aq_report_result_class_init (AqReportResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aq_report_result_finalize;
}

static void
aq_report_result_init (AqReportResult *self)
{
  self->row_dim_ids = g_ptr_array_new_with_free_func (g_free);
  self->row_dim_labels = g_ptr_array_new_with_free_func (g_free);
  self->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) column_free);
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  self->cells = g_array_new (FALSE, TRUE, sizeof (Cell));
  g_array_set_clear_func (self->cells, (GDestroyNotify) cell_clear);
  self->n_header_levels = 1;
}

/* ---- building --------------------------------------------------------------------------- */

AqReportResult *
_aq_report_result_new (AqReportKind        kind,
                       const char         *title,
                       const char * const *parameter_lines,
                       const char         *sql,
                       const char * const *sql_params)
{
  AqReportResult *self = g_object_new (AQ_TYPE_REPORT_RESULT, NULL);

  self->kind = kind;
  self->title = g_strdup (title ? title : "");
  self->parameter_lines = parameter_lines ? g_strdupv ((char **) parameter_lines)
                                          : g_new0 (char *, 1);
  self->sql = g_strdup (sql ? sql : "");
  self->sql_params = sql_params ? g_strdupv ((char **) sql_params) : g_new0 (char *, 1);
  return self;
}

void
_aq_report_result_add_row_dim (AqReportResult *self,
                               const char     *id,
                               const char     *label)
{
  g_ptr_array_add (self->row_dim_ids, g_strdup (id));
  g_ptr_array_add (self->row_dim_labels, g_strdup (label));
}

void
_aq_report_result_set_n_header_levels (AqReportResult *self,
                                       guint           n)
{
  g_return_if_fail (self->columns->len == 0 && n >= 1);
  self->n_header_levels = n;
}

static char *
intern (AqReportResult *self,
        const char     *s)
{
  return s ? g_string_chunk_insert_const (chunk_of (self), s) : NULL;
}

guint
_aq_report_result_add_column (AqReportResult     *self,
                              AqReportColumnKind  kind,
                              guint               value_index,
                              const char         *indicator,
                              AqReportCalc        calc,
                              const char         *format,
                              const char * const *headers,
                              const char * const *keys)
{
  Column *c = g_new0 (Column, 1);

  g_return_val_if_fail (self->rows->len == 0, 0);
  c->kind = kind;
  c->value_index = value_index;
  c->indicator = g_strdup (indicator);
  c->calc = calc;
  c->format = g_strdup (format ? format : "General");
  c->headers = g_new0 (char *, self->n_header_levels);
  c->keys = g_new0 (char *, self->n_header_levels);
  for (guint l = 0; l < self->n_header_levels; l++)
    c->headers[l] = intern (self, headers ? headers[l] : NULL);
  for (guint l = 0; l + 1 < self->n_header_levels; l++)
    c->keys[l] = intern (self, keys ? keys[l] : NULL);
  g_ptr_array_add (self->columns, c);
  return self->columns->len - 1;
}

guint
_aq_report_result_add_row (AqReportResult     *self,
                           AqReportRowKind     kind,
                           guint               level,
                           const char * const *labels,
                           const char * const *keys)
{
  Row *r = g_new0 (Row, 1);
  guint n = self->row_dim_ids->len;

  r->kind = kind;
  r->level = level;
  r->labels = g_new0 (char *, MAX (n, 1));
  r->keys = g_new0 (char *, MAX (n, 1));
  for (guint d = 0; d < n; d++)
    {
      r->labels[d] = intern (self, labels ? labels[d] : NULL);
      r->keys[d] = intern (self, keys ? keys[d] : NULL);
    }
  g_ptr_array_add (self->rows, r);
  g_array_set_size (self->cells, self->rows->len * self->columns->len);
  return self->rows->len - 1;
}

void
_aq_report_result_set_cell (AqReportResult *self,
                            guint           row,
                            guint           col,
                            gboolean        present,
                            double          value,
                            const char     *text,
                            const char     *color)
{
  Cell *cell;
  Column *c;

  g_return_if_fail (row < self->rows->len && col < self->columns->len);
  cell = &g_array_index (self->cells, Cell, row * self->columns->len + col);
  c = g_ptr_array_index (self->columns, col);
  g_free (cell->text);
  cell->present = present;
  cell->value = present ? value : 0;
  cell->text = present ? (text ? g_strdup (text) : aq_report_format_number (value, c->format))
                       : NULL;
  cell->color = color;
}

void
_aq_report_result_set_elapsed (AqReportResult *self,
                               double          ms)
{
  self->elapsed_ms = ms;
}

AqReportResult *
_aq_report_result_new_like (AqReportResult *self)
{
  AqReportResult *copy = _aq_report_result_new (self->kind, self->title,
                                                (const char * const *) self->parameter_lines,
                                                self->sql,
                                                (const char * const *) self->sql_params);

  for (guint d = 0; d < self->row_dim_ids->len; d++)
    _aq_report_result_add_row_dim (copy, self->row_dim_ids->pdata[d],
                                   self->row_dim_labels->pdata[d]);
  copy->n_header_levels = self->n_header_levels;
  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *c = g_ptr_array_index (self->columns, i);
      _aq_report_result_add_column (copy, c->kind, c->value_index, c->indicator, c->calc,
                                    c->format, (const char * const *) c->headers,
                                    (const char * const *) c->keys);
    }
  copy->elapsed_ms = self->elapsed_ms;
  return copy;
}

/* ---- reading ---------------------------------------------------------------------------- */

AqReportKind aq_report_result_get_kind (AqReportResult *self) { return self->kind; }
const char *aq_report_result_get_title (AqReportResult *self) { return self->title; }
const char *aq_report_result_get_sql (AqReportResult *self) { return self->sql; }
double aq_report_result_get_elapsed_ms (AqReportResult *self) { return self->elapsed_ms; }
guint aq_report_result_get_n_row_dims (AqReportResult *self) { return self->row_dim_ids->len; }
guint aq_report_result_get_n_header_levels (AqReportResult *self) { return self->n_header_levels; }
guint aq_report_result_get_n_columns (AqReportResult *self) { return self->columns->len; }
guint aq_report_result_get_n_rows (AqReportResult *self) { return self->rows->len; }

const char * const *
aq_report_result_get_parameter_lines (AqReportResult *self)
{
  return (const char * const *) self->parameter_lines;
}

const char * const *
aq_report_result_get_sql_params (AqReportResult *self)
{
  return (const char * const *) self->sql_params;
}

const char *
aq_report_result_get_row_dim_id (AqReportResult *self,
                                 guint           dim)
{
  g_return_val_if_fail (dim < self->row_dim_ids->len, NULL);
  return self->row_dim_ids->pdata[dim];
}

const char *
aq_report_result_get_row_dim_label (AqReportResult *self,
                                    guint           dim)
{
  g_return_val_if_fail (dim < self->row_dim_labels->len, NULL);
  return self->row_dim_labels->pdata[dim];
}

#define COLUMN(self, col) ((Column *) g_ptr_array_index ((self)->columns, (col)))
#define ROW(self, row) ((Row *) g_ptr_array_index ((self)->rows, (row)))

const char *
aq_report_result_get_column_header (AqReportResult *self,
                                    guint           col,
                                    guint           level)
{
  g_return_val_if_fail (col < self->columns->len && level < self->n_header_levels, NULL);
  return COLUMN (self, col)->headers[level];
}

const char *
aq_report_result_get_column_key (AqReportResult *self,
                                 guint           col,
                                 guint           level)
{
  g_return_val_if_fail (col < self->columns->len && level + 1 < self->n_header_levels, NULL);
  return COLUMN (self, col)->keys[level];
}

AqReportColumnKind
aq_report_result_get_column_kind (AqReportResult *self,
                                  guint           col)
{
  g_return_val_if_fail (col < self->columns->len, 0);
  return COLUMN (self, col)->kind;
}

guint
aq_report_result_get_column_value_index (AqReportResult *self,
                                         guint           col)
{
  g_return_val_if_fail (col < self->columns->len, 0);
  return COLUMN (self, col)->value_index;
}

const char *
aq_report_result_get_column_indicator (AqReportResult *self,
                                       guint           col)
{
  g_return_val_if_fail (col < self->columns->len, NULL);
  return COLUMN (self, col)->indicator;
}

AqReportCalc
aq_report_result_get_column_calc (AqReportResult *self,
                                  guint           col)
{
  g_return_val_if_fail (col < self->columns->len, 0);
  return COLUMN (self, col)->calc;
}

const char *
aq_report_result_get_column_format (AqReportResult *self,
                                    guint           col)
{
  g_return_val_if_fail (col < self->columns->len, NULL);
  return COLUMN (self, col)->format;
}

AqReportRowKind
aq_report_result_get_row_kind (AqReportResult *self,
                               guint           row)
{
  g_return_val_if_fail (row < self->rows->len, 0);
  return ROW (self, row)->kind;
}

guint
aq_report_result_get_row_level (AqReportResult *self,
                                guint           row)
{
  g_return_val_if_fail (row < self->rows->len, 0);
  return ROW (self, row)->level;
}

const char *
aq_report_result_get_row_label (AqReportResult *self,
                                guint           row,
                                guint           dim)
{
  g_return_val_if_fail (row < self->rows->len && dim < self->row_dim_ids->len, NULL);
  return ROW (self, row)->labels[dim];
}

const char *
aq_report_result_get_row_key (AqReportResult *self,
                              guint           row,
                              guint           dim)
{
  g_return_val_if_fail (row < self->rows->len && dim < self->row_dim_ids->len, NULL);
  return ROW (self, row)->keys[dim];
}

static Cell *
cell_at (AqReportResult *self,
         guint           row,
         guint           col)
{
  g_return_val_if_fail (row < self->rows->len && col < self->columns->len, NULL);
  return &g_array_index (self->cells, Cell, row * self->columns->len + col);
}

gboolean
aq_report_result_get_cell (AqReportResult *self,
                           guint           row,
                           guint           col,
                           double         *value)
{
  Cell *cell = cell_at (self, row, col);

  if (value)
    *value = cell && cell->present ? cell->value : 0;
  return cell && cell->present;
}

const char *
aq_report_result_get_cell_text (AqReportResult *self,
                                guint           row,
                                guint           col)
{
  Cell *cell = cell_at (self, row, col);

  return cell && cell->text ? cell->text : "";
}

const char *
aq_report_result_get_cell_color (AqReportResult *self,
                                 guint           row,
                                 guint           col)
{
  Cell *cell = cell_at (self, row, col);

  return cell ? cell->color : NULL;
}

/* ---- number formats --------------------------------------------------------------------- */

/* The subset of Excel formats the catalog uses: optional grouping (",") and a fixed number
 * of decimals, optionally a percentage. Digits are C-locale so that tests and CSV agree. */
char *
aq_report_format_number (double      value,
                         const char *format)
{
  gboolean percent = format && strchr (format, '%') != NULL;
  gboolean grouping = format && strchr (format, ',') != NULL;
  guint decimals = 0;
  const char *dot = format ? strchr (format, '.') : NULL;
  char buf[G_ASCII_DTOSTR_BUF_SIZE + 64];
  g_autoptr(GString) out = g_string_new (NULL);
  const char *digits, *point;
  gboolean negative;

  if (format == NULL || strcmp (format, "General") == 0)
    {
      if (value == floor (value) && fabs (value) < 1e15)
        return g_strdup_printf ("%.0f", value);
      return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.6g", value));
    }
  if (dot)
    for (dot++; *dot == '0' || *dot == '#'; dot++)
      decimals++;
  if (percent)
    value *= 100;
  {
    char fmt[16];
    g_snprintf (fmt, sizeof fmt, "%%.%uf", decimals);
    g_ascii_formatd (buf, sizeof buf, fmt, value);
  }
  negative = buf[0] == '-';
  digits = negative ? buf + 1 : buf;
  if (negative && strspn (digits, "0.") == strlen (digits))
    negative = FALSE;   /* no "-0.0" */
  point = strchr (digits, '.');
  if (negative)
    g_string_append_c (out, '-');
  {
    gsize int_len = point ? (gsize) (point - digits) : strlen (digits);
    for (gsize i = 0; i < int_len; i++)
      {
        g_string_append_c (out, digits[i]);
        if (grouping && (int_len - i - 1) % 3 == 0 && i + 1 < int_len)
          g_string_append_c (out, ',');
      }
  }
  if (point)
    g_string_append (out, point);
  if (percent)
    g_string_append_c (out, '%');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- output ----------------------------------------------------------------------------- */

static const char *row_kind_names[] = { "detail", "subtotal", "total" };
static const char *column_kind_names[] = { "detail", "subtotal", "total" };

JsonNode *
aq_report_result_to_json (AqReportResult *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (AQ_IS_REPORT_RESULT (self), NULL);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, self->title);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, self->kind == AQ_REPORT_KIND_LIST ? "list" : "pivot");
  json_builder_set_member_name (b, "parameters");
  json_builder_begin_array (b);
  for (guint i = 0; self->parameter_lines[i]; i++)
    json_builder_add_string_value (b, self->parameter_lines[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "elapsed_ms");
  json_builder_add_double_value (b, self->elapsed_ms);
  json_builder_set_member_name (b, "row_dimensions");
  json_builder_begin_array (b);
  for (guint d = 0; d < self->row_dim_ids->len; d++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, self->row_dim_ids->pdata[d]);
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, self->row_dim_labels->pdata[d]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "columns");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *c = COLUMN (self, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "headers");
      json_builder_begin_array (b);
      for (guint l = 0; l < self->n_header_levels; l++)
        if (c->headers[l])
          json_builder_add_string_value (b, c->headers[l]);
        else
          json_builder_add_null_value (b);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "keys");
      json_builder_begin_array (b);
      for (guint l = 0; l + 1 < self->n_header_levels; l++)
        if (c->keys[l])
          json_builder_add_string_value (b, c->keys[l]);
        else
          json_builder_add_null_value (b);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, column_kind_names[c->kind]);
      json_builder_set_member_name (b, "indicator");
      json_builder_add_string_value (b, c->indicator);
      json_builder_set_member_name (b, "calc");
      json_builder_add_string_value (b, aq_report_calc_to_string (c->calc));
      json_builder_set_member_name (b, "format");
      json_builder_add_string_value (b, c->format);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "rows");
  json_builder_begin_array (b);
  for (guint r = 0; r < self->rows->len; r++)
    {
      Row *row = ROW (self, r);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, row_kind_names[row->kind]);
      json_builder_set_member_name (b, "level");
      json_builder_add_int_value (b, row->level);
      json_builder_set_member_name (b, "labels");
      json_builder_begin_array (b);
      for (guint d = 0; d < self->row_dim_ids->len; d++)
        if (row->labels[d])
          json_builder_add_string_value (b, row->labels[d]);
        else
          json_builder_add_null_value (b);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "keys");
      json_builder_begin_array (b);
      for (guint d = 0; d < self->row_dim_ids->len; d++)
        if (row->keys[d])
          json_builder_add_string_value (b, row->keys[d]);
        else
          json_builder_add_null_value (b);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "values");
      json_builder_begin_array (b);
      for (guint c = 0; c < self->columns->len; c++)
        {
          Cell *cell = cell_at (self, r, c);
          if (cell->present)
            json_builder_add_double_value (b, cell->value);
          else
            json_builder_add_null_value (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "texts");
      json_builder_begin_array (b);
      for (guint c = 0; c < self->columns->len; c++)
        json_builder_add_string_value (b, cell_at (self, r, c)->text ?: "");
      json_builder_end_array (b);
      {
        gboolean any = FALSE;
        for (guint c = 0; c < self->columns->len; c++)
          any |= cell_at (self, r, c)->color != NULL;
        if (any)
          {
            json_builder_set_member_name (b, "colors");
            json_builder_begin_array (b);
            for (guint c = 0; c < self->columns->len; c++)
              if (cell_at (self, r, c)->color)
                json_builder_add_string_value (b, cell_at (self, r, c)->color);
              else
                json_builder_add_null_value (b);
            json_builder_end_array (b);
          }
      }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "sql");
  json_builder_add_string_value (b, self->sql);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
pad (GString    *out,
     const char *text,
     guint       width,
     gboolean    right)
{
  glong len = g_utf8_strlen (text, -1);
  /* CJK characters take two cells in a terminal. */
  guint cells = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    cells += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  (void) len;
  if (right)
    for (guint i = cells; i < width; i++)
      g_string_append_c (out, ' ');
  g_string_append (out, text);
  if (!right)
    for (guint i = cells; i < width; i++)
      g_string_append_c (out, ' ');
}

static guint
text_cells (const char *text)
{
  guint cells = 0;

  for (const char *p = text ? text : ""; *p; p = g_utf8_next_char (p))
    cells += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return cells;
}

char *
aq_report_result_to_text (AqReportResult *self)
{
  guint nd = self->row_dim_ids->len, nc = self->columns->len;
  guint ncols = nd + nc;
  g_autofree guint *width = g_new0 (guint, MAX (ncols, 1));
  GString *out = g_string_new (NULL);
  const char *total = _("Total"), *subtotal = _("Subtotal");

  /* The header levels of a value column joined with " / " on one line. */
  g_autoptr(GPtrArray) heads = g_ptr_array_new_with_free_func (g_free);
  for (guint c = 0; c < nc; c++)
    {
      g_autoptr(GString) h = g_string_new (NULL);
      for (guint l = 0; l < self->n_header_levels; l++)
        if (COLUMN (self, c)->headers[l])
          g_string_append_printf (h, "%s%s", h->len ? " / " : "", COLUMN (self, c)->headers[l]);
      g_ptr_array_add (heads, g_string_free (g_steal_pointer (&h), FALSE));
    }
  for (guint d = 0; d < nd; d++)
    width[d] = text_cells (self->row_dim_labels->pdata[d]);
  for (guint c = 0; c < nc; c++)
    width[nd + c] = text_cells (heads->pdata[c]);
  for (guint r = 0; r < self->rows->len; r++)
    {
      Row *row = ROW (self, r);
      for (guint d = 0; d < nd; d++)
        {
          const char *label = row->labels[d];
          if (label == NULL && d == row->level)
            label = row->kind == AQ_REPORT_ROW_TOTAL ? total : subtotal;
          width[d] = MAX (width[d], text_cells (label));
        }
      for (guint c = 0; c < nc; c++)
        width[nd + c] = MAX (width[nd + c], text_cells (cell_at (self, r, c)->text));
    }

  if (*self->title)
    g_string_append_printf (out, "%s\n", self->title);
  for (guint i = 0; self->parameter_lines[i]; i++)
    g_string_append_printf (out, "%s\n", self->parameter_lines[i]);
  if (*self->title || self->parameter_lines[0])
    g_string_append_c (out, '\n');
  for (guint d = 0; d < nd; d++)
    {
      pad (out, self->row_dim_labels->pdata[d], width[d], FALSE);
      g_string_append (out, "  ");
    }
  for (guint c = 0; c < nc; c++)
    {
      pad (out, heads->pdata[c], width[nd + c], TRUE);
      g_string_append (out, c + 1 < nc ? "  " : "");
    }
  g_string_append_c (out, '\n');
  for (guint r = 0; r < self->rows->len; r++)
    {
      Row *row = ROW (self, r);
      for (guint d = 0; d < nd; d++)
        {
          const char *label = row->labels[d];
          if (label == NULL && d == row->level)
            label = row->kind == AQ_REPORT_ROW_TOTAL ? total : subtotal;
          pad (out, label ? label : "", width[d], FALSE);
          g_string_append (out, "  ");
        }
      for (guint c = 0; c < nc; c++)
        {
          pad (out, cell_at (self, r, c)->text ?: "", width[nd + c], TRUE);
          g_string_append (out, c + 1 < nc ? "  " : "");
        }
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}
