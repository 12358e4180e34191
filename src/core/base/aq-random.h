/* aq-random.h — a small seeded PRNG with one independent stream per entity */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* xoshiro256** state. Plain struct: callers keep it on the stack, one per entity. */
typedef struct
{
  guint64 s[4];
} AqRandom;

void      aq_random_init        (AqRandom     *self,
                                 guint64       seed,
                                 guint64       stream,
                                 guint64       index);
guint64   aq_random_next        (AqRandom     *self);
double    aq_random_double      (AqRandom     *self);
guint32   aq_random_below       (AqRandom     *self,
                                 guint32       n);
int       aq_random_range       (AqRandom     *self,
                                 int           lo,
                                 int           hi);
double    aq_random_uniform     (AqRandom     *self,
                                 double        lo,
                                 double        hi);
gboolean  aq_random_chance      (AqRandom     *self,
                                 double        p);
double    aq_random_normal      (AqRandom     *self);
double    aq_random_lognormal   (AqRandom     *self,
                                 double        median,
                                 double        sigma);
double    aq_random_exponential (AqRandom     *self,
                                 double        mean);
guint     aq_random_weighted    (AqRandom     *self,
                                 const double *weights,
                                 guint         n);
void      aq_random_shuffle     (AqRandom     *self,
                                 guint32      *items,
                                 guint         n);

guint64   aq_random_mix         (guint64       x);

/* An element of a static array, uniformly. */
#define aq_random_pick(r, array) ((array)[aq_random_below ((r), G_N_ELEMENTS (array))])

G_END_DECLS
