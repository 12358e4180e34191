/* aq-report-drill-window.c — the detail rows behind one cell
 *
 * The drill spec (a list) is opened in the warehouse on a worker thread and paged into a grid
 * like any list, so drilling into a city-wide total does not load a million rows at once.
 */
#define G_LOG_DOMAIN "aq-report-drill-window"

#include "config.h"

#include "aq-report-drill-window.h"

#include <glib/gi18n.h>

#include "aq-report-grid.h"
#include "aq-report-list.h"
#include "aq-report-row-model.h"
#include "aq-report-table.h"

#define PAGE_ROWS 200

struct _AqReportDrillWindow
{
  AdwWindow       parent_instance;

  AdwWindowTitle *window_title;
  GtkStack       *stack;
  AqReportGrid   *grid;
  AdwStatusPage  *error_page;

  GCancellable   *cancellable;
  AqReportList   *list;
  gboolean        loading;
  char           *error;
};

G_DEFINE_FINAL_TYPE (AqReportDrillWindow, aq_report_drill_window, ADW_TYPE_WINDOW)

/* ---- callbacks ---- */

static void
open_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(AqReportDrillWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportList) list = aq_report_list_open_finish (result, &error);
  g_autoptr(AqReportRowModel) model = NULL;
  AqReportResult *header;
  g_autofree char *subtitle = NULL;
  g_autofree char *count = NULL;
  guint64 n_rows;

  self->loading = FALSE;
  if (list == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->error = g_strdup (error->message);
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  self->list = g_steal_pointer (&list);
  header = aq_report_list_get_header (self->list);
  n_rows = aq_report_list_get_n_rows (self->list);
  /* Translators: %s is a number of rows */
  count = g_strdup_printf ("%" G_GUINT64_FORMAT, n_rows);
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s row", "%s rows", n_rows), count);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  model = aq_report_row_model_new_paged ((guint) MIN (n_rows, G_MAXUINT), PAGE_ROWS,
                                         aq_report_table_fetch_list,
                                         g_object_ref (self->list), g_object_unref);
  aq_report_grid_set_table (self->grid, aq_report_table_columns (header), NULL,
                            G_LIST_MODEL (model));
  gtk_stack_set_visible_child_name (self->stack, "grid");
}

/* ---- GObject overrides ---- */

static void
aq_report_drill_window_dispose (GObject *object)
{
  AqReportDrillWindow *self = AQ_REPORT_DRILL_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->list);

  G_OBJECT_CLASS (aq_report_drill_window_parent_class)->dispose (object);
}

static void
aq_report_drill_window_finalize (GObject *object)
{
  AqReportDrillWindow *self = AQ_REPORT_DRILL_WINDOW (object);

  g_free (self->error);

  G_OBJECT_CLASS (aq_report_drill_window_parent_class)->finalize (object);
}

static void
aq_report_drill_window_class_init (AqReportDrillWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_report_drill_window_dispose;
  object_class->finalize = aq_report_drill_window_finalize;

  g_type_ensure (AQ_TYPE_REPORT_GRID);
  gtk_widget_class_set_template_from_resource (
    widget_class, "/org/aqueduct/Aqueduct/ui/aq-report-drill-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AqReportDrillWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, AqReportDrillWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, AqReportDrillWindow, grid);
  gtk_widget_class_bind_template_child (widget_class, AqReportDrillWindow, error_page);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
aq_report_drill_window_init (AqReportDrillWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/* ---- public API ---- */

GtkWidget *
aq_report_drill_window_new (GtkWindow    *parent,
                            const char   *conninfo,
                            AqCatalog    *catalog,
                            AqReportSpec *spec,
                            GHashTable   *params)
{
  AqReportDrillWindow *self;
  const char *title;

  g_return_val_if_fail (conninfo != NULL, NULL);
  g_return_val_if_fail (AQ_IS_REPORT_SPEC (spec), NULL);

  self = g_object_new (AQ_TYPE_REPORT_DRILL_WINDOW, "transient-for", parent, NULL);
  title = aq_report_spec_get_title (spec);
  adw_window_title_set_title (self->window_title, title ? title : _("Detail Rows"));
  self->loading = TRUE;
  aq_report_list_open_async (conninfo, catalog, spec, params, self->cancellable, open_cb,
                             g_object_ref (self));
  return GTK_WIDGET (self);
}

gboolean
aq_report_drill_window_get_loading (AqReportDrillWindow *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_DRILL_WINDOW (self), FALSE);
  return self->loading;
}

GListModel *
aq_report_drill_window_get_rows (AqReportDrillWindow *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_DRILL_WINDOW (self), NULL);
  return aq_report_grid_get_rows (self->grid);
}

const char *
aq_report_drill_window_get_error (AqReportDrillWindow *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_DRILL_WINDOW (self), NULL);
  return self->error;
}
