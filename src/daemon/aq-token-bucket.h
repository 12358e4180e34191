/* aq-token-bucket.h — a provider's messages-per-second limit */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  double rate;    /* tokens per second; 0: unlimited */
  double burst;   /* the most tokens it holds: one second's worth, at least one */
  double tokens;
  gint64 last_us; /* monotonic time of the last refill */
} AqTokenBucket;

void     aq_token_bucket_init     (AqTokenBucket *bucket,
                                   double         rate,
                                   gint64         now_us);
gboolean aq_token_bucket_take     (AqTokenBucket *bucket,
                                   gint64         now_us);
gint64   aq_token_bucket_wait_us  (AqTokenBucket *bucket,
                                   gint64         now_us);

G_END_DECLS
