/* aq-random.c — a small seeded PRNG with one independent stream per entity
 *
 * The simulator must produce the same bytes from the same seed whatever order it generates
 * things in, so each entity (an account, a month of an account, a day of calls…) seeds its
 * own xoshiro256** generator from (seed, stream, index) through splitmix64. GRand and rand()
 * are neither fast enough nor stable across GLib versions for that.
 */
#define G_LOG_DOMAIN "aq-random"

#include "aq-random.h"

#include <math.h>

/* splitmix64's finaliser: a bijective 64-bit mix. */
guint64
aq_random_mix (guint64 x)
{
  x ^= x >> 30;
  x *= G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x ^= x >> 27;
  x *= G_GUINT64_CONSTANT (0x94d049bb133111eb);
  x ^= x >> 31;
  return x;
}

void
aq_random_init (AqRandom *self,
                guint64   seed,
                guint64   stream,
                guint64   index)
{
  guint64 z = seed;

  z ^= aq_random_mix (stream * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) + 0x632be59bd9b4e019);
  z = aq_random_mix (z) ^ aq_random_mix (index + G_GUINT64_CONSTANT (0xd1b54a32d192ed03));
  for (guint i = 0; i < 4; i++)
    {
      z += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
      self->s[i] = aq_random_mix (z);
    }
}

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

guint64
aq_random_next (AqRandom *self)
{
  guint64 *s = self->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

/* [0, 1) with 53 random bits. */
double
aq_random_double (AqRandom *self)
{
  return (double) (aq_random_next (self) >> 11) * (1.0 / 9007199254740992.0);
}

/* [0, n), by Lemire's multiply-shift; the tiny bias is irrelevant for a simulation. */
guint32
aq_random_below (AqRandom *self,
                 guint32   n)
{
  return (guint32) (((aq_random_next (self) >> 32) * (guint64) n) >> 32);
}

/* [lo, hi], both included. */
int
aq_random_range (AqRandom *self,
                 int       lo,
                 int       hi)
{
  if (hi <= lo)
    return lo;
  return lo + (int) aq_random_below (self, (guint32) (hi - lo + 1));
}

double
aq_random_uniform (AqRandom *self,
                   double    lo,
                   double    hi)
{
  return lo + (hi - lo) * aq_random_double (self);
}

gboolean
aq_random_chance (AqRandom *self,
                  double    p)
{
  return aq_random_double (self) < p;
}

/* Box–Muller, always two draws, so a stream's later values do not depend on a branch. */
double
aq_random_normal (AqRandom *self)
{
  double u1 = 1.0 - aq_random_double (self);
  double u2 = aq_random_double (self);

  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

double
aq_random_lognormal (AqRandom *self,
                     double    median,
                     double    sigma)
{
  return median * exp (sigma * aq_random_normal (self));
}

double
aq_random_exponential (AqRandom *self,
                       double    mean)
{
  return -mean * log (1.0 - aq_random_double (self));
}

/* An index in [0, n) drawn with the given non-negative weights (they need not sum to 1). */
guint
aq_random_weighted (AqRandom     *self,
                    const double *weights,
                    guint         n)
{
  double total = 0, x;

  for (guint i = 0; i < n; i++)
    total += weights[i];
  x = aq_random_double (self) * total;
  for (guint i = 0; i < n; i++)
    {
      if (x < weights[i])
        return i;
      x -= weights[i];
    }
  return n - 1;
}

/* Fisher–Yates. */
void
aq_random_shuffle (AqRandom *self,
                   guint32  *items,
                   guint     n)
{
  for (guint i = n; i > 1; i--)
    {
      guint j = aq_random_below (self, i);
      guint32 t = items[i - 1];

      items[i - 1] = items[j];
      items[j] = t;
    }
}
