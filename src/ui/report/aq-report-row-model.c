/* aq-report-row-model.c — the grid's rows as a lazy GListModel
 *
 * GtkColumnView asks only for the rows it shows (≈ 200 per screen, NOTES.md), so a million-row
 * list costs what the screen shows: get_item() answers from a page cache, or with a placeholder
 * row while the page is fetched on a worker thread; when the page arrives, items-changed over it
 * makes the view rebind those rows. At most MAX_PAGES pages are kept, the ones furthest from the
 * last request dropped first. Dropping the model cancels what is still being fetched.
 */
#define G_LOG_DOMAIN "aq-report-row-model"

#include "config.h"

#include "aq-report-row-model.h"

#define MAX_PAGES 48

struct _AqReportRowModel
{
  GObject           parent_instance;

  guint             n_rows;
  guint             page_size;
  GHashTable       *pages;     /* page number → GPtrArray of AqReportGridRow */
  GHashTable       *pending;   /* page number → the GCancellable of its fetch */
  AqReportRowFetch  fetch;
  gpointer          source;
  GDestroyNotify    source_free;
  GCancellable     *cancellable;
  guint             fetched;
  guint             last_page;
  char             *error;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AqReportRowModel, aq_report_row_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

typedef struct
{
  guint             page;
  guint             offset;
  guint             limit;
  AqReportRowFetch  fetch;
  gpointer          source;
  gulong            cancel_handler;
} FetchData;

/* ---- auxiliary methods ---- */

static void
fetch_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  FetchData *data = task_data;
  GError *error = NULL;
  GPtrArray *rows = NULL;

  /* fetches are serialised in the list: one given up while queued costs nothing */
  if (!g_cancellable_set_error_if_cancelled (cancellable, &error))
    rows = data->fetch (data->source, data->offset, data->limit, cancellable, &error);

  if (rows == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rows, (GDestroyNotify) g_ptr_array_unref);
}

static void
evict (AqReportRowModel *self)
{
  while (g_hash_table_size (self->pages) > MAX_PAGES)
    {
      GHashTableIter iter;
      gpointer key;
      guint far = 0;
      guint far_distance = 0;

      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          guint page = GPOINTER_TO_UINT (key);
          guint distance = page > self->last_page ? page - self->last_page
                                                  : self->last_page - page;

          if (distance >= far_distance)
            {
              far = page;
              far_distance = distance;
            }
        }
      g_hash_table_remove (self->pages, GUINT_TO_POINTER (far));
    }
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  AqReportRowModel *self = AQ_REPORT_ROW_MODEL (object);
  FetchData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = g_task_propagate_pointer (G_TASK (result), &error);
  guint page = data->page;
  guint n;

  g_cancellable_disconnect (self->cancellable, data->cancel_handler);
  /* a page given up and asked for again has a newer fetch under its number */
  if (g_hash_table_lookup (self->pending, GUINT_TO_POINTER (page))
      == (gpointer) g_task_get_cancellable (G_TASK (result)))
    g_hash_table_remove (self->pending, GUINT_TO_POINTER (page));
  if (rows == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("Could not fetch rows %u–%u: %s", data->offset,
                     data->offset + data->limit, error->message);
          g_free (self->error);
          self->error = g_strdup (error->message);
        }
      return;
    }
  n = MIN (rows->len, data->limit);
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), rows);
  self->fetched++;
  evict (self);
  g_list_model_items_changed (G_LIST_MODEL (self), data->offset, n, n);
}

/* A jump of the scrollbar leaves fetches behind for pages no longer on screen: they would
 * queue before the page now wanted, so those further than two pages away are given up. */
static void
cancel_far_pages (AqReportRowModel *self,
                  guint             page)
{
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint other = GPOINTER_TO_UINT (key);

      if ((other > page ? other - page : page - other) > 2)
        g_cancellable_cancel (G_CANCELLABLE (value));
    }
}

static void
model_cancelled_cb (GCancellable *model_cancellable,
                    GCancellable *page_cancellable)
{
  g_cancellable_cancel (page_cancellable);
}

static void
request_page (AqReportRowModel *self,
              guint             page)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  FetchData *data;

  if (g_hash_table_contains (self->pending, GUINT_TO_POINTER (page)))
    return;
  cancel_far_pages (self, page);
  cancellable = g_cancellable_new ();
  g_hash_table_insert (self->pending, GUINT_TO_POINTER (page), g_object_ref (cancellable));

  data = g_new0 (FetchData, 1);
  data->cancel_handler = g_cancellable_connect (self->cancellable,
                                                G_CALLBACK (model_cancelled_cb),
                                                g_object_ref (cancellable), g_object_unref);
  data->page = page;
  data->offset = page * self->page_size;
  data->limit = MIN (self->page_size, self->n_rows - data->offset);
  data->fetch = self->fetch;
  data->source = self->source;
  task = g_task_new (self, cancellable, fetch_cb, NULL);
  g_task_set_source_tag (task, request_page);
  g_task_set_task_data (task, data, g_free);
  g_task_run_in_thread (task, fetch_thread);
}

/* ---- GListModel ---- */

static GType
get_item_type (GListModel *model)
{
  return AQ_TYPE_REPORT_GRID_ROW;
}

static guint
get_n_items (GListModel *model)
{
  return AQ_REPORT_ROW_MODEL (model)->n_rows;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  AqReportRowModel *self = AQ_REPORT_ROW_MODEL (model);
  guint page;
  GPtrArray *rows;

  if (position >= self->n_rows)
    return NULL;
  page = position / self->page_size;
  rows = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  if (rows != NULL && position % self->page_size < rows->len)
    return g_object_ref (g_ptr_array_index (rows, position % self->page_size));

  self->last_page = page;
  if (self->fetch != NULL)
    request_page (self, page);
  return aq_report_grid_row_new (position, AQ_REPORT_GRID_ROW_LOADING, 0, NULL, NULL, 0);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* ---- GObject overrides ---- */

static void
aq_report_row_model_dispose (GObject *object)
{
  AqReportRowModel *self = AQ_REPORT_ROW_MODEL (object);

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (aq_report_row_model_parent_class)->dispose (object);
}

static void
aq_report_row_model_finalize (GObject *object)
{
  AqReportRowModel *self = AQ_REPORT_ROW_MODEL (object);

  g_hash_table_unref (self->pages);
  g_hash_table_unref (self->pending);
  g_clear_object (&self->cancellable);
  if (self->source_free != NULL)
    self->source_free (self->source);
  g_free (self->error);

  G_OBJECT_CLASS (aq_report_row_model_parent_class)->finalize (object);
}

static void
aq_report_row_model_class_init (AqReportRowModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = aq_report_row_model_dispose;
  object_class->finalize = aq_report_row_model_finalize;
}

static void
aq_report_row_model_init (AqReportRowModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->pending = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->cancellable = g_cancellable_new ();
}

/* ---- public API ---- */

/* @rows: (transfer container): AqReportGridRow*s, all of them */
AqReportRowModel *
aq_report_row_model_new_static (GPtrArray *rows)
{
  AqReportRowModel *self = g_object_new (AQ_TYPE_REPORT_ROW_MODEL, NULL);

  g_return_val_if_fail (rows != NULL, NULL);

  self->n_rows = rows->len;
  self->page_size = MAX (rows->len, 1);
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (0), rows);
  return self;
}

/* The task keeps the model alive while a page is fetched: @source must stay valid as long as
 * the model (it is freed with @source_free when the model goes). */
AqReportRowModel *
aq_report_row_model_new_paged (guint             n_rows,
                               guint             page_size,
                               AqReportRowFetch  fetch,
                               gpointer          source,
                               GDestroyNotify    source_free)
{
  AqReportRowModel *self = g_object_new (AQ_TYPE_REPORT_ROW_MODEL, NULL);

  g_return_val_if_fail (fetch != NULL, NULL);
  g_return_val_if_fail (page_size > 0, NULL);

  self->n_rows = n_rows;
  self->page_size = page_size;
  self->fetch = fetch;
  self->source = source;
  self->source_free = source_free;
  return self;
}

/* Stops what is being fetched: the grid calls it when it lets the model go (the fetches hold
 * the model, so disposing alone would wait for them). */
void
aq_report_row_model_cancel (AqReportRowModel *self)
{
  g_return_if_fail (AQ_IS_REPORT_ROW_MODEL (self));
  g_cancellable_cancel (self->cancellable);
}

guint
aq_report_row_model_get_n_fetched_pages (AqReportRowModel *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_ROW_MODEL (self), 0);
  return self->fetched;
}

guint
aq_report_row_model_get_n_pending (AqReportRowModel *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_ROW_MODEL (self), 0);
  return g_hash_table_size (self->pending);
}

const char *
aq_report_row_model_get_error (AqReportRowModel *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_ROW_MODEL (self), NULL);
  return self->error;
}
