/* aq-token-bucket.c — a provider's messages-per-second limit
 *
 * Vendors enforce a rate per account and answer the excess with errors that would only cost
 * attempts; waiting here is free. The bucket starts full so a quiet gateway sends a burst of
 * one second's worth at once.
 */
#define G_LOG_DOMAIN "aqueductd"

#include "config.h"

#include "aq-token-bucket.h"

static void
refill (AqTokenBucket *bucket,
        gint64         now_us)
{
  if (now_us > bucket->last_us)
    {
      bucket->tokens = MIN (bucket->burst,
                            bucket->tokens + bucket->rate * (now_us - bucket->last_us) / 1e6);
      bucket->last_us = now_us;
    }
}

void
aq_token_bucket_init (AqTokenBucket *bucket,
                      double         rate,
                      gint64         now_us)
{
  bucket->rate = rate;
  bucket->burst = MAX (1.0, rate);
  bucket->tokens = bucket->burst;
  bucket->last_us = now_us;
}

/* Takes one token if there is one. */
gboolean
aq_token_bucket_take (AqTokenBucket *bucket,
                      gint64         now_us)
{
  if (bucket->rate <= 0)
    return TRUE;
  refill (bucket, now_us);
  if (bucket->tokens < 1.0)
    return FALSE;
  bucket->tokens -= 1.0;
  return TRUE;
}

/* How long until a token is there (0 if one is). */
gint64
aq_token_bucket_wait_us (AqTokenBucket *bucket,
                         gint64         now_us)
{
  if (bucket->rate <= 0)
    return 0;
  refill (bucket, now_us);
  if (bucket->tokens >= 1.0)
    return 0;
  return (gint64) ((1.0 - bucket->tokens) / bucket->rate * 1e6) + 1;
}
