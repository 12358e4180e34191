/* aq-copy-writer.h — bulk loading through binary COPY on a connection of its own */
#pragma once

#include "aq-db.h"

G_BEGIN_DECLS

typedef struct _AqCopyWriter AqCopyWriter;

AqCopyWriter *aq_copy_writer_new          (AqDb          *db,
                                           GCancellable  *cancellable);
void          aq_copy_writer_free         (AqCopyWriter  *self);
void          aq_copy_writer_set_freeze   (AqCopyWriter  *self,
                                           gboolean       freeze);

void          aq_copy_writer_exec         (AqCopyWriter  *self,
                                           const char    *sql);
gboolean      aq_copy_writer_sync         (AqCopyWriter  *self,
                                           GError       **error);

gboolean      aq_copy_writer_begin        (AqCopyWriter  *self,
                                           const char    *target,
                                           GError       **error);
void          aq_copy_writer_row          (AqCopyWriter  *self,
                                           guint          n_fields);
void          aq_copy_writer_null         (AqCopyWriter  *self);
void          aq_copy_writer_int16        (AqCopyWriter  *self,
                                           gint16         value);
void          aq_copy_writer_int32        (AqCopyWriter  *self,
                                           gint32         value);
void          aq_copy_writer_int64        (AqCopyWriter  *self,
                                           gint64         value);
void          aq_copy_writer_text         (AqCopyWriter  *self,
                                           const char    *value,
                                           gssize         len);
void          aq_copy_writer_date         (AqCopyWriter  *self,
                                           gint32         unix_day);
void          aq_copy_writer_timestamp    (AqCopyWriter  *self,
                                           gint64         unix_seconds);
void          aq_copy_writer_numeric      (AqCopyWriter  *self,
                                           gint64         units,
                                           guint          scale);
void          aq_copy_writer_point        (AqCopyWriter  *self,
                                           int            srid,
                                           double         x,
                                           double         y);
void          aq_copy_writer_linestring   (AqCopyWriter  *self,
                                           int            srid,
                                           const double  *xy,
                                           guint          n_points);
void          aq_copy_writer_polygon      (AqCopyWriter  *self,
                                           int            srid,
                                           const double  *xy,
                                           guint          n_points);
void          aq_copy_writer_multipolygon (AqCopyWriter  *self,
                                           int            srid,
                                           const double  *xy,
                                           guint          n_points);
gboolean      aq_copy_writer_end_row      (AqCopyWriter  *self);
gboolean      aq_copy_writer_end          (AqCopyWriter  *self,
                                           gint64        *n_rows,
                                           GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqCopyWriter, aq_copy_writer_free)

G_END_DECLS
