/* aq-simulator-geo-private.h — what aq-simulator-geo*.c share
 *
 * The city is built in aq-simulator-geo.c (river, streets, districts, communities, premises),
 * its DMA zones in aq-simulator-geo-zones.c, and all of it is written into the simulated GIS by
 * aq-simulator-geo-write.c. Nothing else includes this header.
 */
#pragma once

#include "aq-simulator-private.h"

G_BEGIN_DECLS

#define LINE_STEP         375.0
#define SNAP              50.0
#define BANK_ROAD         70.0      /* the bank roads run this far from the water */
#define CITY_SEED         G_GUINT64_CONSTANT (0x5eedc17e)
#define DISTRICT_SPLIT_X  8000.0

typedef struct
{
  double  key;
  guint32 index;
} KeyedIndex;

/* The files call these by their short names; the symbols carry the private prefix. */
#define compare_keyed _aq_sim_geo_compare_keyed

/* aq-simulator-geo.c */
int compare_keyed (gconstpointer a,
                   gconstpointer b);

G_END_DECLS
