/* aq-copy-writer.c — bulk loading through binary COPY on a connection of its own
 *
 * Binary COPY spares both sides the text round trip: no number or date is printed here and
 * none is parsed by the server, which is what bounds bulk loading on a small machine.
 *
 * The writer owns its connection's traffic through a sender thread: the caller fills ~1 MB
 * buffers and queues them together with statements and COPY boundaries; the thread hands
 * them to libpq in order. So generating rows, shipping them and the server storing them all
 * overlap, and several writers on several connections load several tables at once. A few
 * buffers circulate between the two threads, which bounds the memory and makes a fast
 * producer wait for a slow server.
 *
 * The first failure sticks: later work is skipped, a COPY under way is ended with an error so
 * the server discards it, and aq_copy_writer_end() / _sync() report it. Between buffers the
 * writer looks at its GCancellable and fails with G_IO_ERROR_CANCELLED once it is cancelled.
 */
#define G_LOG_DOMAIN "aq-copy-writer"

#include "aq-copy-writer.h"

#include <string.h>

#include "aq-error.h"

#define FLUSH_SIZE (1024 * 1024)
#define MAX_BUFFERS 4
#define POSTGRES_EPOCH_DAY 10957          /* 2000-01-01 in days since 1970-01-01 */
#define WKB_SRID_FLAG 0x20000000u

typedef enum
{
  ITEM_EXEC,
  ITEM_COPY_BEGIN,
  ITEM_DATA,
  ITEM_COPY_END,
  ITEM_STOP,
} ItemKind;

typedef struct
{
  ItemKind  kind;
  char     *sql;
  char     *buf;
  gsize     len;
} Item;

struct _AqCopyWriter
{
  AqDb         *db;
  GCancellable *cancellable;
  GThread      *thread;
  GAsyncQueue  *queue;          /* Items for the sender */
  GAsyncQueue  *free_buffers;   /* empty buffers coming back */
  guint         n_buffers;

  /* the producer's side */
  char         *buf;
  gsize         len;
  gsize         cap;
  gint64        rows;
  gboolean      in_copy;
  gboolean      no_freeze;      /* the tables may hold rows of earlier transactions */

  /* shared, under lock */
  GMutex        lock;
  GCond         idle;
  guint         pending;
  GError       *error;
};

/* ---- auxiliary methods ---- */

static void flush (AqCopyWriter *self);

/* Room for @n more bytes. Rows end well before a buffer is full; a field that would not fit
 * (none of Aqueduct's does) goes out in the next buffer, a COPY stream does not care where. */
static inline char *
reserve (AqCopyWriter *self,
         gsize         n)
{
  if (G_UNLIKELY (self->len + n > self->cap))
    {
      flush (self);
      g_assert (n <= self->cap);
    }
  return self->buf + self->len;
}

static inline void
put_u16 (char    *p,
         guint16  v)
{
  p[0] = (char) (v >> 8);
  p[1] = (char) v;
}

static inline void
put_u32 (char    *p,
         guint32  v)
{
  p[0] = (char) (v >> 24);
  p[1] = (char) (v >> 16);
  p[2] = (char) (v >> 8);
  p[3] = (char) v;
}

static inline void
put_u64 (char    *p,
         guint64  v)
{
  put_u32 (p, (guint32) (v >> 32));
  put_u32 (p + 4, (guint32) v);
}

/* WKB is little-endian here (the byte-order mark says so), unlike COPY's own framing. */
static inline char *
put_le32 (char    *p,
          guint32  v)
{
  memcpy (p, &v, 4);
#if G_BYTE_ORDER == G_BIG_ENDIAN
  v = GUINT32_SWAP_LE_BE (v);
  memcpy (p, &v, 4);
#endif
  return p + 4;
}

static inline char *
put_le_double (char   *p,
               double  v)
{
  guint64 bits;

  memcpy (&bits, &v, 8);
  bits = GUINT64_TO_LE (bits);
  memcpy (p, &bits, 8);
  return p + 8;
}

static char *
put_wkb_header (char    *p,
                guint32  type,
                int      srid)
{
  *p++ = 1;
  p = put_le32 (p, type | WKB_SRID_FLAG);
  return put_le32 (p, (guint32) srid);
}

static char *
put_ring (char         *p,
          const double *xy,
          guint         n,
          gboolean      close)
{
  p = put_le32 (p, n + (close ? 1 : 0));
  for (guint i = 0; i < n; i++)
    {
      p = put_le_double (p, xy[2 * i]);
      p = put_le_double (p, xy[2 * i + 1]);
    }
  if (close)
    {
      p = put_le_double (p, xy[0]);
      p = put_le_double (p, xy[1]);
    }
  return p;
}

static gboolean
ring_needs_closing (const double *xy,
                    guint         n)
{
  return n > 0 && (xy[0] != xy[2 * n - 2] || xy[1] != xy[2 * n - 1]);
}


static gboolean
has_failed (AqCopyWriter *self)
{
  gboolean failed;

  g_mutex_lock (&self->lock);
  failed = self->error != NULL;
  g_mutex_unlock (&self->lock);
  return failed;
}

/* Keeps the first error; takes ownership of @error. */
static void
record_error (AqCopyWriter *self,
              GError       *error)
{
  g_mutex_lock (&self->lock);
  if (self->error == NULL)
    self->error = error;
  else
    g_error_free (error);
  g_mutex_unlock (&self->lock);
}

static void
push (AqCopyWriter *self,
      ItemKind      kind,
      char         *sql,
      char         *buf,
      gsize         len)
{
  Item *item = g_new0 (Item, 1);

  item->kind = kind;
  item->sql = sql;
  item->buf = buf;
  item->len = len;
  g_mutex_lock (&self->lock);
  self->pending++;
  g_mutex_unlock (&self->lock);
  g_async_queue_push (self->queue, item);
}

/* An error message as the end of data makes the server fail the COPY, keeping nothing. */
static void
abandon_copy (AqCopyWriter *self,
              const char   *why)
{
  PGconn *conn = aq_db_get_conn (self->db);
  PGresult *res;

  PQputCopyEnd (conn, why);
  while ((res = PQgetResult (conn)) != NULL)
    PQclear (res);
}

static gpointer
sender_thread (gpointer data)
{
  AqCopyWriter *self = data;
  gboolean in_copy = FALSE, running = TRUE;

  while (running)
    {
      Item *item = g_async_queue_pop (self->queue);
      GError *error = NULL;
      gboolean failed = has_failed (self);

      if (failed && in_copy)
        {
          abandon_copy (self, "cancelled by the client");
          in_copy = FALSE;
        }
      switch (item->kind)
        {
        case ITEM_EXEC:
          if (!failed)
            aq_db_exec (self->db, item->sql, &error);
          break;
        case ITEM_COPY_BEGIN:
          if (!failed && aq_db_copy_begin (self->db, item->sql, &error))
            in_copy = TRUE;
          break;
        case ITEM_DATA:
          if (!failed)
            aq_db_copy_put (self->db, item->buf, item->len, &error);
          g_async_queue_push (self->free_buffers, item->buf);
          break;
        case ITEM_COPY_END:
          if (!failed && in_copy)
            {
              in_copy = FALSE;
              aq_db_copy_end (self->db, &error);
            }
          break;
        case ITEM_STOP:
          if (in_copy)
            abandon_copy (self, "abandoned by the client");
          running = FALSE;
          break;
        }
      if (error != NULL)
        {
          record_error (self, error);
          if (in_copy)
            {
              abandon_copy (self, "failed");
              in_copy = FALSE;
            }
        }
      g_free (item->sql);
      g_free (item);
      g_mutex_lock (&self->lock);
      self->pending--;
      g_cond_broadcast (&self->idle);
      g_mutex_unlock (&self->lock);
    }
  return NULL;
}

/* Hands the filled buffer to the sender and takes an empty one. */
static void
flush (AqCopyWriter *self)
{
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (self->cancellable, &error))
    record_error (self, error);
  if (self->len == 0)
    return;
  push (self, ITEM_DATA, NULL, self->buf, self->len);
  if (self->n_buffers < MAX_BUFFERS)
    {
      self->n_buffers++;
      self->buf = g_malloc (self->cap);
    }
  else
    self->buf = g_async_queue_pop (self->free_buffers);
  self->len = 0;
}

/* ---- public API ---- */

/**
 * aq_copy_writer_new:
 * @db: a connection the writer has to itself until aq_copy_writer_sync() or _free()
 *
 * Starts the writer's sender thread.
 */
AqCopyWriter *
aq_copy_writer_new (AqDb         *db,
                    GCancellable *cancellable)
{
  AqCopyWriter *self = g_new0 (AqCopyWriter, 1);

  g_return_val_if_fail (AQ_IS_DB (db), NULL);

  self->db = g_object_ref (db);
  self->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  self->cap = FLUSH_SIZE + 64 * 1024;
  self->buf = g_malloc (self->cap);
  self->n_buffers = 1;
  self->queue = g_async_queue_new ();
  self->free_buffers = g_async_queue_new ();
  g_mutex_init (&self->lock);
  g_cond_init (&self->idle);
  self->thread = g_thread_new ("aq-copy-writer", sender_thread, self);
  return self;
}

/* Stops the sender (abandoning a COPY under way) and frees everything. */
void
aq_copy_writer_free (AqCopyWriter *self)
{
  char *buf;

  if (self == NULL)
    return;
  push (self, ITEM_STOP, NULL, NULL, 0);
  g_thread_join (self->thread);
  while ((buf = g_async_queue_try_pop (self->free_buffers)) != NULL)
    g_free (buf);
  g_async_queue_unref (self->queue);
  g_async_queue_unref (self->free_buffers);
  g_free (self->buf);
  g_clear_error (&self->error);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->idle);
  g_clear_object (&self->db);
  g_clear_object (&self->cancellable);
  g_free (self);
}

/* Queues a statement (no result) to run on the writer's connection after what is queued. */
void
aq_copy_writer_exec (AqCopyWriter *self,
                     const char   *sql)
{
  g_return_if_fail (!self->in_copy);

  push (self, ITEM_EXEC, g_strdup (sql), NULL, 0);
}

/* Waits until everything queued has run; FALSE with the first error if something failed. */
gboolean
aq_copy_writer_sync (AqCopyWriter  *self,
                     GError       **error)
{
  g_return_val_if_fail (!self->in_copy, FALSE);

  g_mutex_lock (&self->lock);
  while (self->pending > 0)
    g_cond_wait (&self->idle, &self->lock);
  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/**
 * aq_copy_writer_set_freeze:
 *
 * Whether the COPYs write their rows frozen (the default): only into tables created or
 * truncated in the running transaction. Off for a writer that appends to existing rows.
 */
void
aq_copy_writer_set_freeze (AqCopyWriter *self,
                           gboolean      freeze)
{
  g_return_if_fail (self != NULL);
  self->no_freeze = !freeze;
}

/**
 * aq_copy_writer_begin:
 * @target: "schema.table (col, …)" as COPY wants it, already quoted where needed
 *
 * Queues COPY … FROM STDIN in binary format with FREEZE: the tables the writers fill were
 * created or truncated in the running transaction, so their rows can be written frozen and
 * need no later vacuum. FALSE if the writer has already failed.
 */
gboolean
aq_copy_writer_begin (AqCopyWriter  *self,
                      const char    *target,
                      GError       **error)
{
  static const char header[] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";

  g_return_val_if_fail (!self->in_copy, FALSE);

  if (has_failed (self) || g_cancellable_set_error_if_cancelled (self->cancellable, NULL))
    return aq_copy_writer_sync (self, error)
           && !g_cancellable_set_error_if_cancelled (self->cancellable, error);
  push (self, ITEM_COPY_BEGIN,
        g_strdup_printf ("COPY %s FROM STDIN (FORMAT binary%s)", target,
                         self->no_freeze ? "" : ", FREEZE"), NULL, 0);
  self->in_copy = TRUE;
  self->rows = 0;
  memcpy (reserve (self, sizeof header - 1), header, sizeof header - 1);
  self->len += sizeof header - 1;
  return TRUE;
}

void
aq_copy_writer_row (AqCopyWriter *self,
                    guint         n_fields)
{
  put_u16 (reserve (self, 2), (guint16) n_fields);
  self->len += 2;
}

void
aq_copy_writer_null (AqCopyWriter *self)
{
  put_u32 (reserve (self, 4), 0xffffffffu);
  self->len += 4;
}

void
aq_copy_writer_int16 (AqCopyWriter *self,
                      gint16        value)
{
  char *p = reserve (self, 6);

  put_u32 (p, 2);
  put_u16 (p + 4, (guint16) value);
  self->len += 6;
}

void
aq_copy_writer_int32 (AqCopyWriter *self,
                      gint32        value)
{
  char *p = reserve (self, 8);

  put_u32 (p, 4);
  put_u32 (p + 4, (guint32) value);
  self->len += 8;
}

void
aq_copy_writer_int64 (AqCopyWriter *self,
                      gint64        value)
{
  char *p = reserve (self, 12);

  put_u32 (p, 8);
  put_u64 (p + 4, (guint64) value);
  self->len += 12;
}

/* text, varchar and char(n) alike: the bytes in the client encoding (UTF-8); the server pads
 * char(n) itself. @len -1 means NUL-terminated; a NULL @value writes NULL. */
void
aq_copy_writer_text (AqCopyWriter *self,
                     const char   *value,
                     gssize        len)
{
  char *p;

  if (value == NULL)
    {
      aq_copy_writer_null (self);
      return;
    }
  if (len < 0)
    len = (gssize) strlen (value);
  p = reserve (self, 4 + (gsize) len);
  put_u32 (p, (guint32) len);
  memcpy (p + 4, value, (gsize) len);
  self->len += 4 + (gsize) len;
}

void
aq_copy_writer_date (AqCopyWriter *self,
                     gint32        unix_day)
{
  aq_copy_writer_int32 (self, unix_day - POSTGRES_EPOCH_DAY);
}

/* timestamp without time zone: microseconds since 2000-01-01 00:00. */
void
aq_copy_writer_timestamp (AqCopyWriter *self,
                          gint64        unix_seconds)
{
  aq_copy_writer_int64 (self,
                        (unix_seconds - (gint64) POSTGRES_EPOCH_DAY * 86400) * G_USEC_PER_SEC);
}

/* numeric: @units / 10^@scale, @scale at most 4, in PostgreSQL's base-10000 digits. */
void
aq_copy_writer_numeric (AqCopyWriter *self,
                        gint64        units,
                        guint         scale)
{
  static const guint64 pow10[] = { 1, 10, 100, 1000, 10000 };
  guint16 digits[8];
  guint16 groups[6];
  guint n_groups = 0, n_digits = 0;
  guint64 magnitude, int_part, frac_part;
  gint16 weight;
  char *p;

  g_assert (scale <= 4);

  magnitude = units < 0 ? (guint64) (-(units + 1)) + 1 : (guint64) units;
  int_part = magnitude / pow10[scale];
  frac_part = (magnitude % pow10[scale]) * pow10[4 - scale];

  while (int_part > 0)
    {
      groups[n_groups++] = (guint16) (int_part % 10000);
      int_part /= 10000;
    }
  for (guint i = 0; i < n_groups; i++)
    digits[n_digits++] = groups[n_groups - 1 - i];
  weight = n_groups > 0 ? (gint16) (n_groups - 1) : -1;
  if (frac_part != 0)
    digits[n_digits++] = (guint16) frac_part;
  if (n_digits == 0)
    weight = 0;

  p = reserve (self, 4 + 8 + 2 * n_digits);
  put_u32 (p, 8 + 2 * n_digits);
  put_u16 (p + 4, (guint16) n_digits);
  put_u16 (p + 6, (guint16) weight);
  put_u16 (p + 8, units < 0 ? 0x4000 : 0x0000);
  put_u16 (p + 10, (guint16) scale);
  for (guint i = 0; i < n_digits; i++)
    put_u16 (p + 12 + 2 * i, digits[i]);
  self->len += 12 + 2 * n_digits;
}

/* Geometries travel as EWKB, which PostGIS's binary input reads as is. */
void
aq_copy_writer_point (AqCopyWriter *self,
                      int           srid,
                      double        x,
                      double        y)
{
  char *p = reserve (self, 4 + 25);

  put_u32 (p, 25);
  p = put_wkb_header (p + 4, 1, srid);
  p = put_le_double (p, x);
  put_le_double (p, y);
  self->len += 4 + 25;
}

void
aq_copy_writer_linestring (AqCopyWriter *self,
                           int           srid,
                           const double *xy,
                           guint         n_points)
{
  gsize size = 9 + 4 + 16 * (gsize) n_points;
  char *p = reserve (self, 4 + size);

  put_u32 (p, (guint32) size);
  p = put_wkb_header (p + 4, 2, srid);
  put_ring (p, xy, n_points, FALSE);
  self->len += 4 + size;
}

/* One exterior ring; closed here if the caller did not repeat the first point. */
void
aq_copy_writer_polygon (AqCopyWriter *self,
                        int           srid,
                        const double *xy,
                        guint         n_points)
{
  gboolean close = ring_needs_closing (xy, n_points);
  gsize size = 9 + 4 + 4 + 16 * ((gsize) n_points + (close ? 1 : 0));
  char *p = reserve (self, 4 + size);

  put_u32 (p, (guint32) size);
  p = put_wkb_header (p + 4, 3, srid);
  p = put_le32 (p, 1);
  put_ring (p, xy, n_points, close);
  self->len += 4 + size;
}

/* A multipolygon of one polygon with one ring: what the zone and district columns hold. */
void
aq_copy_writer_multipolygon (AqCopyWriter *self,
                             int           srid,
                             const double *xy,
                             guint         n_points)
{
  gboolean close = ring_needs_closing (xy, n_points);
  gsize size = 9 + 4 + 5 + 4 + 4 + 16 * ((gsize) n_points + (close ? 1 : 0));
  char *p = reserve (self, 4 + size);

  put_u32 (p, (guint32) size);
  p = put_wkb_header (p + 4, 6, srid);
  p = put_le32 (p, 1);
  *p++ = 1;
  p = put_le32 (p, 3);            /* the inner geometry carries no SRID of its own */
  p = put_le32 (p, 1);
  put_ring (p, xy, n_points, close);
  self->len += 4 + size;
}

/* Ends a row; returns FALSE once the writer has failed or was cancelled, so loops can stop. */
gboolean
aq_copy_writer_end_row (AqCopyWriter *self)
{
  self->rows++;
  if (self->len >= FLUSH_SIZE)
    {
      flush (self);
      return !has_failed (self);
    }
  return TRUE;
}

/* Queues the end of the COPY; @n_rows gets the rows written. FALSE if the writer has failed
 * so far (a failure of this COPY itself may only show at the next _sync()). */
gboolean
aq_copy_writer_end (AqCopyWriter  *self,
                    gint64        *n_rows,
                    GError       **error)
{
  g_return_val_if_fail (self->in_copy, FALSE);

  put_u16 (reserve (self, 2), 0xffff);
  self->len += 2;
  flush (self);
  push (self, ITEM_COPY_END, NULL, NULL, 0);
  self->in_copy = FALSE;
  if (n_rows)
    *n_rows = self->rows;
  if (has_failed (self))
    return aq_copy_writer_sync (self, error);
  return TRUE;
}
