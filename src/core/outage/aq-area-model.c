/* aq-area-model.c — the outage area being drawn: its vertices, closing, undo and redo
 *
 * The drawing logic without a widget, so tests can use it directly and the map editor only
 * turns gestures into these calls. Every edit that the user would call one step (a vertex
 * added, a drag, a removal, closing, clearing, a zone picked or a file imported) pushes the
 * state before it on the undo stack; undo and redo swap whole states, which for a polygon of
 * a few dozen vertices is simpler and safer than inverse operations.
 */
#define G_LOG_DOMAIN "aq-area-model"

#include "config.h"

#include "aq-area-model.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "aq-error.h"
#include "aq-geojson.h"
#include "aq-json-reader.h"

#define UNDO_LIMIT 200

typedef struct
{
  GArray   *vertices;  /* double pairs: lon, lat */
  gboolean  closed;
} State;

struct _AqAreaModel
{
  GObject    parent_instance;

  State      state;
  GPtrArray *undo;     /* State* */
  GPtrArray *redo;     /* State* */
};

G_DEFINE_FINAL_TYPE (AqAreaModel, aq_area_model, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_VERTICES,
  PROP_CLOSED,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- auxiliary methods ---- */

static State *
state_copy (const State *state)
{
  State *copy = g_new0 (State, 1);

  copy->vertices = g_array_copy (state->vertices);
  copy->closed = state->closed;
  return copy;
}

static void
state_free (State *state)
{
  g_array_unref (state->vertices);
  g_free (state);
}

static void
emit_changed (AqAreaModel *self,
              gboolean     had_undo,
              gboolean     had_redo,
              guint        old_n,
              gboolean     old_closed)
{
  if (old_n != self->state.vertices->len / 2)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_VERTICES]);
  if (old_closed != self->state.closed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSED]);
  if (had_undo != (self->undo->len > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  if (had_redo != (self->redo->len > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
  g_signal_emit (self, signals[CHANGED], 0);
}

#define BEGIN_EDIT(self) \
  gboolean had_undo = (self)->undo->len > 0; \
  gboolean had_redo = (self)->redo->len > 0; \
  guint old_n = (self)->state.vertices->len / 2; \
  gboolean old_closed = (self)->state.closed

#define END_EDIT(self) emit_changed ((self), had_undo, had_redo, old_n, old_closed)

/* The state before an edit becomes an undo step; a new edit forgets what could be redone. */
static void
push_undo (AqAreaModel *self)
{
  g_ptr_array_add (self->undo, state_copy (&self->state));
  if (self->undo->len > UNDO_LIMIT)
    g_ptr_array_remove_index (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
}

static void
swap_state (AqAreaModel *self,
            GPtrArray   *from,
            GPtrArray   *to)
{
  State *state = g_ptr_array_steal_index (from, from->len - 1);

  g_ptr_array_add (to, state_copy (&self->state));
  g_array_unref (self->state.vertices);
  self->state = *state;
  g_free (state);
}

/* ---- GObject overrides ---- */

static void
aq_area_model_finalize (GObject *object)
{
  AqAreaModel *self = AQ_AREA_MODEL (object);

  g_array_unref (self->state.vertices);
  g_ptr_array_unref (self->undo);
  g_ptr_array_unref (self->redo);

  G_OBJECT_CLASS (aq_area_model_parent_class)->finalize (object);
}

static void
aq_area_model_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  AqAreaModel *self = AQ_AREA_MODEL (object);

  switch (prop_id)
    {
    case PROP_N_VERTICES:
      g_value_set_uint (value, aq_area_model_get_n_vertices (self));
      break;
    case PROP_CLOSED:
      g_value_set_boolean (value, self->state.closed);
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, self->undo->len > 0);
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, self->redo->len > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_area_model_class_init (AqAreaModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = aq_area_model_finalize;
  object_class->get_property = aq_area_model_get_property;

  properties[PROP_N_VERTICES] =
    g_param_spec_uint ("n-vertices", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_CLOSED] =
    g_param_spec_boolean ("closed", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* after every change of the vertices or of "closed", undo and redo included */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
aq_area_model_init (AqAreaModel *self)
{
  self->state.vertices = g_array_new (FALSE, FALSE, sizeof (double));
  self->undo = g_ptr_array_new_with_free_func ((GDestroyNotify) state_free);
  self->redo = g_ptr_array_new_with_free_func ((GDestroyNotify) state_free);
}

/* ---- public API ---- */

AqAreaModel *
aq_area_model_new (void)
{
  return g_object_new (AQ_TYPE_AREA_MODEL, NULL);
}

guint
aq_area_model_get_n_vertices (AqAreaModel *self)
{
  g_return_val_if_fail (AQ_IS_AREA_MODEL (self), 0);
  return self->state.vertices->len / 2;
}

void
aq_area_model_get_vertex (AqAreaModel *self,
                          guint        index,
                          double      *lon,
                          double      *lat)
{
  g_return_if_fail (AQ_IS_AREA_MODEL (self));
  g_return_if_fail (index < aq_area_model_get_n_vertices (self));

  *lon = g_array_index (self->state.vertices, double, 2 * index);
  *lat = g_array_index (self->state.vertices, double, 2 * index + 1);
}

gboolean
aq_area_model_get_closed (AqAreaModel *self)
{
  g_return_val_if_fail (AQ_IS_AREA_MODEL (self), FALSE);
  return self->state.closed;
}

gboolean
aq_area_model_can_undo (AqAreaModel *self)
{
  g_return_val_if_fail (AQ_IS_AREA_MODEL (self), FALSE);
  return self->undo->len > 0;
}

gboolean
aq_area_model_can_redo (AqAreaModel *self)
{
  g_return_val_if_fail (AQ_IS_AREA_MODEL (self), FALSE);
  return self->redo->len > 0;
}

/* Returns: FALSE when the area is closed (a closed area is moved, not extended) */
gboolean
aq_area_model_add_vertex (AqAreaModel *self,
                          double       lon,
                          double       lat)
{
  double pair[2] = { lon, lat };

  g_return_val_if_fail (AQ_IS_AREA_MODEL (self), FALSE);

  if (self->state.closed)
    return FALSE;
  {
    BEGIN_EDIT (self);
    push_undo (self);
    g_array_append_vals (self->state.vertices, pair, 2);
    END_EDIT (self);
  }
  return TRUE;
}

/* Marks the start of a drag: the whole drag is one undo step. */
void
aq_area_model_begin_move (AqAreaModel *self)
{
  g_return_if_fail (AQ_IS_AREA_MODEL (self));

  {
    BEGIN_EDIT (self);
    push_undo (self);
    END_EDIT (self);
  }
}

void
aq_area_model_move_vertex (AqAreaModel *self,
                           guint        index,
                           double       lon,
                           double       lat)
{
  g_return_if_fail (AQ_IS_AREA_MODEL (self));
  g_return_if_fail (index < aq_area_model_get_n_vertices (self));

  {
    BEGIN_EDIT (self);
    g_array_index (self->state.vertices, double, 2 * index) = lon;
    g_array_index (self->state.vertices, double, 2 * index + 1) = lat;
    END_EDIT (self);
  }
}

/* Returns: FALSE when there is no vertex. Removing from a closed area reopens it. */
gboolean
aq_area_model_remove_last (AqAreaModel *self)
{
  g_return_val_if_fail (AQ_IS_AREA_MODEL (self), FALSE);

  if (self->state.vertices->len == 0)
    return FALSE;
  {
    BEGIN_EDIT (self);
    push_undo (self);
    g_array_set_size (self->state.vertices, self->state.vertices->len - 2);
    self->state.closed = FALSE;
    END_EDIT (self);
  }
  return TRUE;
}

/* Returns: FALSE when there are fewer than three vertices or the area is closed already */
gboolean
aq_area_model_close (AqAreaModel *self)
{
  g_return_val_if_fail (AQ_IS_AREA_MODEL (self), FALSE);

  if (self->state.closed || aq_area_model_get_n_vertices (self) < 3)
    return FALSE;
  {
    BEGIN_EDIT (self);
    push_undo (self);
    self->state.closed = TRUE;
    END_EDIT (self);
  }
  return TRUE;
}

/* Escape: the drawing is dropped (and can be undone). */
void
aq_area_model_clear (AqAreaModel *self)
{
  g_return_if_fail (AQ_IS_AREA_MODEL (self));

  if (self->state.vertices->len == 0 && !self->state.closed)
    return;
  {
    BEGIN_EDIT (self);
    push_undo (self);
    g_array_set_size (self->state.vertices, 0);
    self->state.closed = FALSE;
    END_EDIT (self);
  }
}

/**
 * aq_area_model_set_ring:
 * @lon_lat: (array): @n_vertices pairs; a repeated first vertex at the end is dropped
 *
 * Replaces the drawing with a closed area (a zone picked on the map, an imported file).
 *
 * Returns: FALSE when fewer than three vertices remain
 */
gboolean
aq_area_model_set_ring (AqAreaModel  *self,
                        const double *lon_lat,
                        guint         n_vertices)
{
  g_return_val_if_fail (AQ_IS_AREA_MODEL (self), FALSE);

  if (n_vertices > 1 && lon_lat[0] == lon_lat[2 * (n_vertices - 1)]
      && lon_lat[1] == lon_lat[2 * (n_vertices - 1) + 1])
    n_vertices--;
  if (n_vertices < 3)
    return FALSE;
  {
    BEGIN_EDIT (self);
    push_undo (self);
    g_array_set_size (self->state.vertices, 0);
    g_array_append_vals (self->state.vertices, lon_lat, 2 * n_vertices);
    self->state.closed = TRUE;
    END_EDIT (self);
  }
  return TRUE;
}

/* Members and elements only when they have the type asked for: the file is anyone's. */
static JsonArray *
array_of (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonArray *
array_element (JsonArray *array,
               guint      i)
{
  return array_of (json_array_get_element (array, i));
}

static gboolean
number_element (JsonArray *array,
                guint      i,
                double    *value)
{
  JsonNode *node = json_array_get_element (array, i);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || (json_node_get_value_type (node) != G_TYPE_DOUBLE
          && json_node_get_value_type (node) != G_TYPE_INT64))
    return FALSE;
  *value = json_node_get_double (node);
  return isfinite (*value);
}

static JsonObject *
find_polygon (JsonObject *object,
              gboolean   *multi)
{
  JsonNode *type_node = json_object_get_member (object, "type");
  const char *type = type_node && JSON_NODE_HOLDS_VALUE (type_node)
                     && json_node_get_value_type (type_node) == G_TYPE_STRING
                     ? json_node_get_string (type_node) : "";

  if (g_str_equal (type, "Polygon") || g_str_equal (type, "MultiPolygon"))
    {
      *multi = g_str_equal (type, "MultiPolygon");
      return object;
    }
  if (g_str_equal (type, "Feature") && json_object_has_member (object, "geometry")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "geometry")))
    return find_polygon (json_object_get_object_member (object, "geometry"), multi);
  if (g_str_equal (type, "FeatureCollection") && json_object_has_member (object, "features"))
    {
      JsonArray *features = array_of (json_object_get_member (object, "features"));

      for (guint i = 0; features && i < json_array_get_length (features); i++)
        {
          JsonNode *node = json_array_get_element (features, i);
          JsonObject *found;

          if (JSON_NODE_HOLDS_OBJECT (node)
              && (found = find_polygon (json_node_get_object (node), multi)) != NULL)
            return found;
        }
    }
  return NULL;
}

/**
 * aq_area_model_set_geojson:
 *
 * The outer ring of the first polygon of a GeoJSON geometry, Feature or FeatureCollection
 * (of a MultiPolygon: its largest part by vertices) becomes the area. Holes are not drawn
 * by this editor and are dropped.
 */
gboolean
aq_area_model_set_geojson (AqAreaModel  *self,
                           const char   *geojson,
                           GError      **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GArray) ring = g_array_new (FALSE, FALSE, sizeof (double));
  JsonObject *polygon;
  JsonArray *coordinates, *rings = NULL, *outer;
  gboolean multi = FALSE;

  g_return_val_if_fail (AQ_IS_AREA_MODEL (self), FALSE);
  g_return_val_if_fail (geojson != NULL, FALSE);

  root = aq_json_read (geojson, -1, AQ_JSON_LIMIT_GEOJSON, error);
  if (root == NULL)
    return FALSE;
  polygon = root && JSON_NODE_HOLDS_OBJECT (root) ? find_polygon (json_node_get_object (root),
                                                                  &multi) : NULL;
  if (polygon == NULL || !json_object_has_member (polygon, "coordinates")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (polygon, "coordinates")))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("The file holds no Polygon or MultiPolygon with “coordinates”."));
      return FALSE;
    }
  coordinates = json_object_get_array_member (polygon, "coordinates");
  if (!multi)
    rings = coordinates;
  else
    for (guint i = 0; i < json_array_get_length (coordinates); i++)
      {
        JsonArray *part = array_element (coordinates, i);
        JsonArray *part_outer = part && json_array_get_length (part) > 0
                                ? array_element (part, 0) : NULL;

        if (part_outer != NULL
            && (rings == NULL
                || json_array_get_length (part_outer)
                   > json_array_get_length (array_element (rings, 0))))
          rings = part;
      }
  outer = rings && json_array_get_length (rings) > 0 ? array_element (rings, 0) : NULL;
  if (outer && json_array_get_length (outer) > AQ_GEOJSON_MAX_VERTICES)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("The area has more than %u positions: simplify it before importing"),
                   (guint) AQ_GEOJSON_MAX_VERTICES);
      return FALSE;
    }
  for (guint i = 0; outer && i < json_array_get_length (outer); i++)
    {
      JsonArray *pos = array_element (outer, i);
      double pair[2];

      if (pos == NULL || json_array_get_length (pos) < 2 || !number_element (pos, 0, &pair[0])
          || !number_element (pos, 1, &pair[1]))
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("Position %u of the outer ring is not a [longitude, latitude] pair."),
                       i + 1);
          return FALSE;
        }
      if (pair[0] < -180 || pair[0] > 180 || pair[1] < -90 || pair[1] > 90)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("Position %u of the outer ring lies outside longitude −180…180 and "
                         "latitude −90…90."), i + 1);
          return FALSE;
        }
      g_array_append_vals (ring, pair, 2);
    }
  if (!aq_area_model_set_ring (self, (double *) ring->data, ring->len / 2))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("The outer ring has fewer than three distinct positions."));
      return FALSE;
    }
  return TRUE;
}

gboolean
aq_area_model_undo (AqAreaModel *self)
{
  g_return_val_if_fail (AQ_IS_AREA_MODEL (self), FALSE);

  if (self->undo->len == 0)
    return FALSE;
  {
    BEGIN_EDIT (self);
    swap_state (self, self->undo, self->redo);
    END_EDIT (self);
  }
  return TRUE;
}

gboolean
aq_area_model_redo (AqAreaModel *self)
{
  g_return_val_if_fail (AQ_IS_AREA_MODEL (self), FALSE);

  if (self->redo->len == 0)
    return FALSE;
  {
    BEGIN_EDIT (self);
    swap_state (self, self->redo, self->undo);
    END_EDIT (self);
  }
  return TRUE;
}

/**
 * aq_area_model_to_geojson:
 *
 * Returns: (nullable): the area as a GeoJSON Polygon (the ring closed by repeating its first
 *   vertex), NULL until it has three vertices. An open drawing is closed for the purpose.
 */
char *
aq_area_model_to_geojson (AqAreaModel *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n;

  g_return_val_if_fail (AQ_IS_AREA_MODEL (self), NULL);

  n = aq_area_model_get_n_vertices (self);
  if (n < 3)
    return NULL;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "Polygon");
  json_builder_set_member_name (builder, "coordinates");
  json_builder_begin_array (builder);
  json_builder_begin_array (builder);
  for (guint i = 0; i <= n; i++)
    {
      double lon, lat;

      aq_area_model_get_vertex (self, i % n, &lon, &lat);
      json_builder_begin_array (builder);
      json_builder_add_double_value (builder, lon);
      json_builder_add_double_value (builder, lat);
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}
