/* aq-test-xlsx.c — reads back what the exporters wrote: an .xlsx (a zip of XML) and a CSV
 *
 * libarchive opens the zip and GMarkup parses each part as a stream, so a sheet of a million
 * rows can be counted without holding it. Only what the tests ask about is kept: the sheet
 * list, shared strings, the styles (number formats, bold fonts, fills, indents) and, per
 * sheet, its cells, merged ranges, frozen pane, autofilter and column widths.
 */
#include "aq-test-xlsx.h"

#include <archive.h>
#include <archive_entry.h>
#include <string.h>

typedef struct
{
  guint  num_fmt;
  guint  font;
  guint  fill;
  guint  indent;
} Xf;

typedef struct
{
  char       *name;
  char       *part;          /* "xl/worksheets/sheet1.xml" */
  gboolean    parsed;
  GHashTable *cells;         /* ref → AqTestXlsxCell */
  GPtrArray  *merged;
  char       *pane;
  char       *autofilter;
  GArray     *widths;        /* double per column, 0 = default */
  GHashTable *comments;      /* ref → text */
  guint       n_rows;
} Sheet;

struct _AqTestXlsx
{
  char       *path;
  GPtrArray  *sheets;        /* Sheet */
  GPtrArray  *strings;
  GHashTable *num_fmts;      /* id → code */
  GArray     *bold_fonts;    /* gboolean per font */
  GPtrArray  *fills;         /* rgb or "" per fill */
  GArray     *xfs;           /* Xf */
};

/* ---- auxiliary methods ---- */

static void
cell_free (gpointer data)
{
  AqTestXlsxCell *cell = data;

  g_free (cell->ref);
  g_free (cell->type);
  g_free (cell->text);
  g_free (cell);
}

static void
sheet_free (gpointer data)
{
  Sheet *sheet = data;

  g_free (sheet->name);
  g_free (sheet->part);
  g_clear_pointer (&sheet->cells, g_hash_table_unref);
  g_clear_pointer (&sheet->merged, g_ptr_array_unref);
  g_free (sheet->pane);
  g_free (sheet->autofilter);
  g_clear_pointer (&sheet->widths, g_array_unref);
  g_clear_pointer (&sheet->comments, g_hash_table_unref);
  g_free (sheet);
}

static const char *
attr (const char **names,
      const char **values,
      const char  *name)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (strcmp (names[i], name) == 0)
      return values[i];
  return NULL;
}

static guint
attr_uint (const char **names,
           const char **values,
           const char  *name)
{
  const char *value = attr (names, values, name);

  return value ? (guint) g_ascii_strtoull (value, NULL, 10) : 0;
}

static gboolean
in (GMarkupParseContext *context,
    const char          *parent)
{
  const GSList *stack = g_markup_parse_context_get_element_stack (context);

  return stack && stack->next && strcmp (stack->next->data, parent) == 0;
}

/* Streams one part of the zip through a markup parser. */
static gboolean
parse_part (const char          *path,
            const char          *part,
            const GMarkupParser *parser,
            gpointer             user_data,
            GError             **error)
{
  struct archive *ar = archive_read_new ();
  struct archive_entry *entry;
  gboolean found = FALSE, ok = TRUE;

  archive_read_support_format_zip (ar);
  if (archive_read_open_filename (ar, path, 1 << 16) != ARCHIVE_OK)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s", path,
                   archive_error_string (ar));
      archive_read_free (ar);
      return FALSE;
    }
  while (archive_read_next_header (ar, &entry) == ARCHIVE_OK)
    {
      g_autoptr(GMarkupParseContext) context = NULL;
      char buffer[1 << 16];
      la_ssize_t n;

      if (strcmp (archive_entry_pathname (entry), part) != 0)
        continue;
      found = TRUE;
      context = g_markup_parse_context_new (parser, 0, user_data, NULL);
      while (ok && (n = archive_read_data (ar, buffer, sizeof buffer)) > 0)
        ok = g_markup_parse_context_parse (context, buffer, n, error);
      if (ok && n < 0)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s", part,
                       archive_error_string (ar));
          ok = FALSE;
        }
      if (ok)
        ok = g_markup_parse_context_end_parse (context, error);
      break;
    }
  archive_read_free (ar);
  if (!found && ok)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "%s has no part %s", path, part);
      ok = FALSE;
    }
  return ok;
}

/* ---- the workbook and its relationships ---- */

typedef struct
{
  AqTestXlsx *xlsx;
  GHashTable *targets;       /* rId → part */
  GPtrArray  *ids;           /* per sheet, its rId */
} WorkbookState;

static void
workbook_start (GMarkupParseContext *context,
                const char          *element,
                const char         **names,
                const char         **values,
                gpointer             user_data,
                GError             **error)
{
  WorkbookState *state = user_data;

  if (strcmp (element, "sheet") == 0)
    {
      Sheet *sheet = g_new0 (Sheet, 1);

      sheet->name = g_strdup (attr (names, values, "name"));
      g_ptr_array_add (state->ids, g_strdup (attr (names, values, "r:id")));
      g_ptr_array_add (state->xlsx->sheets, sheet);
    }
  else if (strcmp (element, "Relationship") == 0)
    {
      const char *target = attr (names, values, "Target");
      const char *id = attr (names, values, "Id");

      if (target && id)
        g_hash_table_insert (state->targets, g_strdup (id),
                             target[0] == '/' ? g_strdup (target + 1)
                                              : g_strconcat ("xl/", target, NULL));
    }
}

/* ---- shared strings ---- */

typedef struct
{
  AqTestXlsx *xlsx;
  GString    *text;
  gboolean    in_t;
} StringsState;

static void
strings_start (GMarkupParseContext *context,
               const char          *element,
               const char         **names,
               const char         **values,
               gpointer             user_data,
               GError             **error)
{
  StringsState *state = user_data;

  if (strcmp (element, "si") == 0)
    g_string_truncate (state->text, 0);
  else if (strcmp (element, "t") == 0)
    state->in_t = TRUE;
}

static void
strings_end (GMarkupParseContext *context,
             const char          *element,
             gpointer             user_data,
             GError             **error)
{
  StringsState *state = user_data;

  if (strcmp (element, "si") == 0)
    g_ptr_array_add (state->xlsx->strings, g_strdup (state->text->str));
  else if (strcmp (element, "t") == 0)
    state->in_t = FALSE;
}

static void
strings_text (GMarkupParseContext *context,
              const char          *text,
              gsize                len,
              gpointer             user_data,
              GError             **error)
{
  StringsState *state = user_data;

  if (state->in_t)
    g_string_append_len (state->text, text, len);
}

/* ---- styles ---- */

static void
styles_start (GMarkupParseContext *context,
              const char          *element,
              const char         **names,
              const char         **values,
              gpointer             user_data,
              GError             **error)
{
  AqTestXlsx *xlsx = user_data;

  if (strcmp (element, "numFmt") == 0)
    g_hash_table_insert (xlsx->num_fmts, GUINT_TO_POINTER (attr_uint (names, values, "numFmtId")),
                         g_strdup (attr (names, values, "formatCode")));
  else if (strcmp (element, "font") == 0 && in (context, "fonts"))
    {
      gboolean bold = FALSE;
      g_array_append_val (xlsx->bold_fonts, bold);
    }
  else if (strcmp (element, "b") == 0 && in (context, "font") && xlsx->bold_fonts->len > 0)
    g_array_index (xlsx->bold_fonts, gboolean, xlsx->bold_fonts->len - 1) = TRUE;
  else if (strcmp (element, "fill") == 0)
    g_ptr_array_add (xlsx->fills, g_strdup (""));
  else if (strcmp (element, "fgColor") == 0 && in (context, "patternFill") && xlsx->fills->len > 0)
    {
      const char *rgb = attr (names, values, "rgb");

      if (rgb)
        {
          g_free (xlsx->fills->pdata[xlsx->fills->len - 1]);
          /* "FFRRGGBB" → "RRGGBB" */
          xlsx->fills->pdata[xlsx->fills->len - 1] = g_strdup (strlen (rgb) == 8 ? rgb + 2 : rgb);
        }
    }
  else if (strcmp (element, "xf") == 0 && in (context, "cellXfs"))
    {
      Xf xf = {
        attr_uint (names, values, "numFmtId"),
        attr_uint (names, values, "fontId"),
        attr_uint (names, values, "fillId"),
        0,
      };
      g_array_append_val (xlsx->xfs, xf);
    }
  else if (strcmp (element, "alignment") == 0 && in (context, "xf") && xlsx->xfs->len > 0)
    {
      const GSList *stack = g_markup_parse_context_get_element_stack (context);

      /* only a cellXfs entry: alignment ← xf ← cellXfs */
      if (stack->next->next && strcmp (stack->next->next->data, "cellXfs") == 0)
        g_array_index (xlsx->xfs, Xf, xlsx->xfs->len - 1).indent =
          attr_uint (names, values, "indent");
    }
}

/* ---- a sheet ---- */

typedef struct
{
  AqTestXlsx     *xlsx;
  Sheet          *sheet;
  AqTestXlsxCell *cell;
  GString        *text;
  gboolean        in_text;
  gboolean        count_only;
  guint64         rows;
  guint64         cells;
} SheetState;

static void
sheet_start (GMarkupParseContext *context,
             const char          *element,
             const char         **names,
             const char         **values,
             gpointer             user_data,
             GError             **error)
{
  SheetState *state = user_data;
  Sheet *sheet = state->sheet;

  if (strcmp (element, "row") == 0)
    {
      state->rows++;
      sheet->n_rows = MAX (sheet->n_rows, attr_uint (names, values, "r"));
    }
  else if (strcmp (element, "c") == 0)
    {
      state->cells++;
      if (state->count_only)
        return;
      state->cell = g_new0 (AqTestXlsxCell, 1);
      state->cell->ref = g_strdup (attr (names, values, "r"));
      state->cell->type = g_strdup (attr (names, values, "t"));
      state->cell->style = attr_uint (names, values, "s");
      g_string_truncate (state->text, 0);
    }
  else if (state->cell && (strcmp (element, "v") == 0 || strcmp (element, "t") == 0))
    state->in_text = TRUE;
  else if (state->count_only)
    return;
  else if (strcmp (element, "mergeCell") == 0)
    g_ptr_array_add (sheet->merged, g_strdup (attr (names, values, "ref")));
  else if (strcmp (element, "pane") == 0)
    {
      const char *pane_state = attr (names, values, "state");

      if (pane_state && g_str_has_prefix (pane_state, "frozen"))
        sheet->pane = g_strdup (attr (names, values, "topLeftCell"));
    }
  else if (strcmp (element, "autoFilter") == 0)
    sheet->autofilter = g_strdup (attr (names, values, "ref"));
  else if (strcmp (element, "col") == 0)
    {
      guint min = attr_uint (names, values, "min"), max = attr_uint (names, values, "max");
      const char *width = attr (names, values, "width");

      for (guint c = min; c >= 1 && c <= max && c <= 1000; c++)
        {
          double w = width ? g_ascii_strtod (width, NULL) : 0;

          if (sheet->widths->len < c)
            g_array_set_size (sheet->widths, c);
          g_array_index (sheet->widths, double, c - 1) = w;
        }
    }
}

static void
sheet_end (GMarkupParseContext *context,
           const char          *element,
           gpointer             user_data,
           GError             **error)
{
  SheetState *state = user_data;

  if (state->count_only || state->cell == NULL)
    return;
  if (strcmp (element, "v") == 0 || strcmp (element, "t") == 0)
    state->in_text = FALSE;
  else if (strcmp (element, "c") == 0)
    {
      AqTestXlsxCell *cell = g_steal_pointer (&state->cell);

      if (g_strcmp0 (cell->type, "s") == 0)
        {
          guint index = (guint) g_ascii_strtoull (state->text->str, NULL, 10);

          cell->text = g_strdup (index < state->xlsx->strings->len
                                 ? state->xlsx->strings->pdata[index] : "");
        }
      else
        cell->text = g_strdup (state->text->str);
      g_hash_table_replace (state->sheet->cells, cell->ref, cell);
    }
}

static void
sheet_text (GMarkupParseContext *context,
            const char          *text,
            gsize                len,
            gpointer             user_data,
            GError             **error)
{
  SheetState *state = user_data;

  if (state->in_text)
    g_string_append_len (state->text, text, len);
}

static const GMarkupParser sheet_parser = { sheet_start, sheet_end, sheet_text, NULL, NULL };

/* ---- a sheet's comments (xl/worksheets/_rels/sheetN.xml.rels → xl/commentsM.xml) ---- */

typedef struct
{
  char       *target;
  GHashTable *comments;
  char       *ref;
  GString    *text;
  gboolean    in_t;
} CommentsState;

static void
comments_start (GMarkupParseContext *context,
                const char          *element,
                const char         **names,
                const char         **values,
                gpointer             user_data,
                GError             **error)
{
  CommentsState *state = user_data;

  if (strcmp (element, "Relationship") == 0
      && g_str_has_suffix (attr (names, values, "Type") ? attr (names, values, "Type") : "",
                           "/comments"))
    {
      const char *target = attr (names, values, "Target");

      g_free (state->target);
      /* "../comments1.xml", relative to xl/worksheets/ */
      state->target = g_str_has_prefix (target, "../") ? g_strconcat ("xl/", target + 3, NULL)
                                                       : g_strdup (target + (target[0] == '/'));
    }
  else if (strcmp (element, "comment") == 0)
    {
      g_free (state->ref);
      state->ref = g_strdup (attr (names, values, "ref"));
      g_string_truncate (state->text, 0);
    }
  else if (strcmp (element, "t") == 0)
    state->in_t = TRUE;
}

static void
comments_end (GMarkupParseContext *context,
              const char          *element,
              gpointer             user_data,
              GError             **error)
{
  CommentsState *state = user_data;

  if (strcmp (element, "t") == 0)
    state->in_t = FALSE;
  else if (strcmp (element, "comment") == 0 && state->ref)
    g_hash_table_replace (state->comments, g_steal_pointer (&state->ref),
                          g_strdup (state->text->str));
}

static void
comments_text (GMarkupParseContext *context,
               const char          *text,
               gsize                len,
               gpointer             user_data,
               GError             **error)
{
  CommentsState *state = user_data;

  if (state->in_t)
    g_string_append_len (state->text, text, len);
}

static void
load_comments (AqTestXlsx *xlsx,
               Sheet      *sheet)
{
  static const GMarkupParser parser = { comments_start, comments_end, comments_text, NULL,
                                        NULL };
  g_autofree char *dir = g_path_get_dirname (sheet->part);
  g_autofree char *base = g_path_get_basename (sheet->part);
  g_autofree char *rels = g_strdup_printf ("%s/_rels/%s.rels", dir, base);
  g_autoptr(GString) text = g_string_new (NULL);
  CommentsState state = { NULL, sheet->comments, NULL, text, FALSE };
  g_autoptr(GError) error = NULL;

  if (parse_part (xlsx->path, rels, &parser, &state, &error) && state.target)
    {
      parse_part (xlsx->path, state.target, &parser, &state, &error);
      g_assert_no_error (error);
    }
  else if (error)
    g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_free (state.target);
  g_free (state.ref);
}

static Sheet *
find_sheet (AqTestXlsx *xlsx,
            const char *name)
{
  for (guint i = 0; i < xlsx->sheets->len; i++)
    {
      Sheet *sheet = xlsx->sheets->pdata[i];

      if (strcmp (sheet->name, name) == 0)
        return sheet;
    }
  return NULL;
}

static Sheet *
load_sheet (AqTestXlsx *xlsx,
            const char *name)
{
  Sheet *sheet = find_sheet (xlsx, name);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  SheetState state = { xlsx, sheet, NULL, text, FALSE, FALSE, 0, 0 };

  g_assert_nonnull (sheet);
  if (sheet->parsed)
    return sheet;
  sheet->cells = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, cell_free);
  sheet->merged = g_ptr_array_new_with_free_func (g_free);
  sheet->widths = g_array_new (FALSE, TRUE, sizeof (double));
  sheet->comments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  parse_part (xlsx->path, sheet->part, &sheet_parser, &state, &error);
  g_assert_no_error (error);
  load_comments (xlsx, sheet);
  g_clear_pointer (&state.cell, cell_free);
  g_ptr_array_add (sheet->merged, NULL);
  sheet->parsed = TRUE;
  return sheet;
}

static const Xf *
cell_xf (AqTestXlsx *xlsx,
         const char *sheet,
         const char *ref)
{
  const AqTestXlsxCell *cell = aq_test_xlsx_cell (xlsx, sheet, ref);

  if (cell == NULL || cell->style >= xlsx->xfs->len)
    return NULL;
  return &g_array_index (xlsx->xfs, Xf, cell->style);
}

/* ---- public ---- */

AqTestXlsx *
aq_test_xlsx_open (const char  *path,
                   GError     **error)
{
  static const GMarkupParser workbook_parser = { workbook_start, NULL, NULL, NULL, NULL };
  static const GMarkupParser strings_parser = { strings_start, strings_end, strings_text,
                                                NULL, NULL };
  static const GMarkupParser styles_parser = { styles_start, NULL, NULL, NULL, NULL };
  g_autoptr(AqTestXlsx) xlsx = g_new0 (AqTestXlsx, 1);
  g_autoptr(GHashTable) targets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) text = g_string_new (NULL);
  WorkbookState workbook = { xlsx, targets, ids };
  StringsState strings = { xlsx, text, FALSE };
  g_autoptr(GError) local_error = NULL;

  xlsx->path = g_strdup (path);
  xlsx->sheets = g_ptr_array_new_with_free_func (sheet_free);
  xlsx->strings = g_ptr_array_new_with_free_func (g_free);
  xlsx->num_fmts = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  xlsx->bold_fonts = g_array_new (FALSE, TRUE, sizeof (gboolean));
  xlsx->fills = g_ptr_array_new_with_free_func (g_free);
  xlsx->xfs = g_array_new (FALSE, TRUE, sizeof (Xf));

  if (!parse_part (path, "xl/workbook.xml", &workbook_parser, &workbook, error)
      || !parse_part (path, "xl/_rels/workbook.xml.rels", &workbook_parser, &workbook, error)
      || !parse_part (path, "xl/styles.xml", &styles_parser, xlsx, error))
    return NULL;
  /* A workbook written in constant-memory mode may have no shared strings at all. */
  if (!parse_part (path, "xl/sharedStrings.xml", &strings_parser, &strings, &local_error)
      && !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  for (guint i = 0; i < xlsx->sheets->len; i++)
    {
      Sheet *sheet = xlsx->sheets->pdata[i];
      const char *part = g_hash_table_lookup (targets, ids->pdata[i]);

      if (part == NULL)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "sheet %s has no part",
                       sheet->name);
          return NULL;
        }
      sheet->part = g_strdup (part);
    }
  return g_steal_pointer (&xlsx);
}

void
aq_test_xlsx_free (AqTestXlsx *xlsx)
{
  if (xlsx == NULL)
    return;
  g_free (xlsx->path);
  g_clear_pointer (&xlsx->sheets, g_ptr_array_unref);
  g_clear_pointer (&xlsx->strings, g_ptr_array_unref);
  g_clear_pointer (&xlsx->num_fmts, g_hash_table_unref);
  g_clear_pointer (&xlsx->bold_fonts, g_array_unref);
  g_clear_pointer (&xlsx->fills, g_ptr_array_unref);
  g_clear_pointer (&xlsx->xfs, g_array_unref);
  g_free (xlsx);
}

guint
aq_test_xlsx_n_sheets (AqTestXlsx *xlsx)
{
  return xlsx->sheets->len;
}

const char *
aq_test_xlsx_sheet_name (AqTestXlsx *xlsx,
                         guint       index)
{
  g_assert_cmpuint (index, <, xlsx->sheets->len);
  return ((Sheet *) xlsx->sheets->pdata[index])->name;
}

guint
aq_test_xlsx_n_shared_strings (AqTestXlsx *xlsx)
{
  return xlsx->strings->len;
}

const char *
aq_test_xlsx_shared_string (AqTestXlsx *xlsx,
                            guint       index)
{
  g_assert_cmpuint (index, <, xlsx->strings->len);
  return xlsx->strings->pdata[index];
}

char **
aq_test_xlsx_merged_ranges (AqTestXlsx *xlsx,
                            const char *sheet)
{
  return (char **) load_sheet (xlsx, sheet)->merged->pdata;
}

const char *
aq_test_xlsx_frozen_pane (AqTestXlsx *xlsx,
                          const char *sheet)
{
  return load_sheet (xlsx, sheet)->pane;
}

const char *
aq_test_xlsx_autofilter (AqTestXlsx *xlsx,
                         const char *sheet)
{
  return load_sheet (xlsx, sheet)->autofilter;
}

double
aq_test_xlsx_column_width (AqTestXlsx *xlsx,
                           const char *sheet,
                           guint       column)
{
  Sheet *s = load_sheet (xlsx, sheet);

  return column < s->widths->len ? g_array_index (s->widths, double, column) : 0;
}

guint
aq_test_xlsx_n_rows (AqTestXlsx *xlsx,
                     const char *sheet)
{
  return load_sheet (xlsx, sheet)->n_rows;
}

const AqTestXlsxCell *
aq_test_xlsx_cell (AqTestXlsx *xlsx,
                   const char *sheet,
                   const char *ref)
{
  return g_hash_table_lookup (load_sheet (xlsx, sheet)->cells, ref);
}

const char *
aq_test_xlsx_comment (AqTestXlsx *xlsx,
                      const char *sheet,
                      const char *ref)
{
  return g_hash_table_lookup (load_sheet (xlsx, sheet)->comments, ref);
}

const char *
aq_test_xlsx_cell_text (AqTestXlsx *xlsx,
                        const char *sheet,
                        const char *ref)
{
  const AqTestXlsxCell *cell = aq_test_xlsx_cell (xlsx, sheet, ref);

  return cell ? cell->text : NULL;
}

double
aq_test_xlsx_cell_number (AqTestXlsx *xlsx,
                          const char *sheet,
                          const char *ref)
{
  const AqTestXlsxCell *cell = aq_test_xlsx_cell (xlsx, sheet, ref);
  char *end = NULL;
  double value;

  g_assert_nonnull (cell);
  g_assert_null (cell->type);
  value = g_ascii_strtod (cell->text, &end);
  g_assert_true (end != cell->text && *end == '\0');
  return value;
}

const char *
aq_test_xlsx_cell_format (AqTestXlsx *xlsx,
                          const char *sheet,
                          const char *ref)
{
  /* The built-in formats Excel knows by number (ECMA-376 §18.8.30), as libxlsxwriter names
   * them when it maps a format string to its index. */
  static const struct { guint id; const char *code; } builtin[] = {
    { 0, "General" }, { 1, "0" }, { 2, "0.00" }, { 3, "#,##0" }, { 4, "#,##0.00" },
    { 9, "0%" }, { 10, "0.00%" }, { 11, "0.00E+00" }, { 12, "# ?/?" }, { 13, "# ?" "?/?" "?" },
    { 14, "m/d/yy" }, { 15, "d-mmm-yy" }, { 16, "d-mmm" }, { 17, "mmm-yy" },
    { 18, "h:mm AM/PM" }, { 19, "h:mm:ss AM/PM" }, { 20, "h:mm" }, { 21, "h:mm:ss" },
    { 22, "m/d/yy h:mm" }, { 49, "@" },
  };
  const Xf *xf = cell_xf (xlsx, sheet, ref);
  guint id = xf ? xf->num_fmt : 0;
  const char *code = g_hash_table_lookup (xlsx->num_fmts, GUINT_TO_POINTER (id));

  if (code)
    return code;
  for (guint i = 0; i < G_N_ELEMENTS (builtin); i++)
    if (builtin[i].id == id)
      return builtin[i].code;
  return "?";
}

gboolean
aq_test_xlsx_cell_bold (AqTestXlsx *xlsx,
                        const char *sheet,
                        const char *ref)
{
  const Xf *xf = cell_xf (xlsx, sheet, ref);

  return xf && xf->font < xlsx->bold_fonts->len
         && g_array_index (xlsx->bold_fonts, gboolean, xf->font);
}

const char *
aq_test_xlsx_cell_fill (AqTestXlsx *xlsx,
                        const char *sheet,
                        const char *ref)
{
  const Xf *xf = cell_xf (xlsx, sheet, ref);

  if (xf == NULL || xf->fill >= xlsx->fills->len)
    return NULL;
  return *(char *) xlsx->fills->pdata[xf->fill] ? xlsx->fills->pdata[xf->fill] : NULL;
}

guint
aq_test_xlsx_cell_indent (AqTestXlsx *xlsx,
                          const char *sheet,
                          const char *ref)
{
  const Xf *xf = cell_xf (xlsx, sheet, ref);

  return xf ? xf->indent : 0;
}

gboolean
aq_test_xlsx_count (AqTestXlsx *xlsx,
                    const char *sheet,
                    guint64    *rows,
                    guint64    *cells,
                    GError    **error)
{
  Sheet *s = find_sheet (xlsx, sheet);
  Sheet scratch = { 0 };
  SheetState state = { xlsx, &scratch, NULL, NULL, FALSE, TRUE, 0, 0 };

  g_assert_nonnull (s);
  if (!parse_part (xlsx->path, s->part, &sheet_parser, &state, error))
    return FALSE;
  *rows = state.rows;
  *cells = state.cells;
  return TRUE;
}

char *
aq_test_xlsx_ref (guint row,
                  guint column)
{
  char letters[8];
  int n = 0;

  column++;
  while (column > 0)
    {
      letters[n++] = 'A' + (column - 1) % 26;
      column = (column - 1) / 26;
    }
  {
    GString *ref = g_string_new (NULL);

    while (n > 0)
      g_string_append_c (ref, letters[--n]);
    g_string_append_printf (ref, "%u", row + 1);
    return g_string_free (ref, FALSE);
  }
}

/* ---- CSV ---- */

GPtrArray *
aq_test_csv_read (const char  *path,
                  gboolean    *had_bom,
                  GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) row = NULL;
  g_autoptr(GString) field = g_string_new (NULL);
  gboolean quoted = FALSE;
  gsize i = 0;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  *had_bom = length >= 3 && memcmp (contents, "\xEF\xBB\xBF", 3) == 0;
  if (*had_bom)
    i = 3;
  row = g_ptr_array_new_with_free_func (g_free);
  for (; i < length; i++)
    {
      char c = contents[i];

      if (quoted)
        {
          if (c == '"' && i + 1 < length && contents[i + 1] == '"')
            {
              g_string_append_c (field, '"');
              i++;
            }
          else if (c == '"')
            quoted = FALSE;
          else
            g_string_append_c (field, c);
        }
      else if (c == '"')
        quoted = TRUE;
      else if (c == ',')
        {
          g_ptr_array_add (row, g_strdup (field->str));
          g_string_truncate (field, 0);
        }
      else if (c == '\r' && i + 1 < length && contents[i + 1] == '\n')
        {
          g_ptr_array_add (row, g_strdup (field->str));
          g_string_truncate (field, 0);
          g_ptr_array_add (rows, g_steal_pointer (&row));
          row = g_ptr_array_new_with_free_func (g_free);
          i++;
        }
      else
        g_string_append_c (field, c);
    }
  if (quoted)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: unterminated quote", path);
      return NULL;
    }
  if (field->len > 0 || row->len > 0)
    {
      g_ptr_array_add (row, g_strdup (field->str));
      g_ptr_array_add (rows, g_steal_pointer (&row));
    }
  return g_steal_pointer (&rows);
}
