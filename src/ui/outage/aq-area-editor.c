/* aq-area-editor.c — draws the outage area on the map and turns clicks and drags into edits
 *
 * The vertices, undo and closing live in AqAreaModel; this layer draws them and owns the two
 * gestures it puts on the map: a click (add a vertex; a double click closes; in select mode,
 * "pick what is under the pointer", emitted as ::select-at) and a drag in the capture phase
 * that claims the sequence only when it starts on a vertex, so anywhere else the map pans as
 * usual. A pan can still end in the click gesture's "released": a release far from its press
 * is not a click.
 */
#define G_LOG_DOMAIN "aq-area-editor"

#include "config.h"

#include "aq-area-editor.h"

#include <math.h>

#define HIT_RADIUS   10.0
#define CLICK_SLOP    6.0

struct _AqAreaEditor
{
  ShumateLayer      parent_instance;

  ShumateMap       *map;          /* (unowned): our parent */
  AqAreaModel      *model;
  AqAreaEditorMode  mode;
  GtkGesture       *click;
  GtkGesture       *drag;
  double            press_x, press_y;
  int               dragging;     /* the vertex being moved, -1 none */
  double            drag_x, drag_y;
};

G_DEFINE_FINAL_TYPE (AqAreaEditor, aq_area_editor, SHUMATE_TYPE_LAYER)

enum {
  SELECT_AT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- auxiliary methods ---- */

static void
to_location (AqAreaEditor *self,
             double        x,
             double        y,
             double       *lon,
             double       *lat)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));

  shumate_viewport_widget_coords_to_location (viewport, GTK_WIDGET (self->map), x, y, lat, lon);
}

static void
to_widget (AqAreaEditor *self,
           guint         index,
           double       *x,
           double       *y)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  double lon, lat;

  aq_area_model_get_vertex (self->model, index, &lon, &lat);
  shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (self), lat, lon, x, y);
}

static int
vertex_at (AqAreaEditor *self,
           double        x,
           double        y)
{
  guint n = aq_area_model_get_n_vertices (self->model);

  for (guint i = n; i-- > 0;)
    {
      double vx, vy;

      to_widget (self, i, &vx, &vy);
      if (hypot (vx - x, vy - y) <= HIT_RADIUS)
        return (int) i;
    }
  return -1;
}

/* ---- callbacks ---- */

static void
pressed_cb (AqAreaEditor *self,
            int           n_press,
            double        x,
            double        y)
{
  self->press_x = x;
  self->press_y = y;
}

static void
released_cb (AqAreaEditor *self,
             int           n_press,
             double        x,
             double        y)
{
  /* the end of a pan, not a click */
  if (hypot (x - self->press_x, y - self->press_y) > CLICK_SLOP)
    return;
  aq_area_editor_click (self, x, y, n_press);
}

static void
drag_begin_cb (AqAreaEditor *self,
               double        x,
               double        y)
{
  int vertex = self->mode == AQ_AREA_EDITOR_DRAW ? vertex_at (self, x, y) : -1;

  if (vertex < 0)
    {
      gtk_gesture_set_state (self->drag, GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_gesture_set_state (self->drag, GTK_EVENT_SEQUENCE_CLAIMED);
  self->dragging = vertex;
  self->drag_x = x;
  self->drag_y = y;
  aq_area_model_begin_move (self->model);
}

static void
drag_update_cb (AqAreaEditor *self,
                double        dx,
                double        dy)
{
  double lon, lat;

  if (self->dragging < 0)
    return;
  to_location (self, self->drag_x + dx, self->drag_y + dy, &lon, &lat);
  aq_area_model_move_vertex (self->model, self->dragging, lon, lat);
}

static void
drag_end_cb (AqAreaEditor *self)
{
  self->dragging = -1;
}

static void
redraw_cb (AqAreaEditor *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- GtkWidget overrides ---- */

static void
aq_area_editor_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  AqAreaEditor *self = AQ_AREA_EDITOR (widget);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  guint n = aq_area_model_get_n_vertices (self->model);
  gboolean closed = aq_area_model_get_closed (self->model);
  cairo_t *cr;

  if (n == 0 || w <= 0 || h <= 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < n; i++)
    {
      double x, y;

      to_widget (self, i, &x, &y);
      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  if (closed)
    {
      cairo_close_path (cr);
      cairo_set_source_rgba (cr, 0.93, 0.33, 0.05, 0.25);
      cairo_fill_preserve (cr);
    }
  cairo_set_line_width (cr, 2.5);
  cairo_set_source_rgba (cr, 0.85, 0.25, 0.0, 0.95);
  cairo_stroke (cr);

  /* handles: only while they can be dragged or the drawing is open */
  if (self->mode == AQ_AREA_EDITOR_DRAW || !closed)
    for (guint i = 0; i < n; i++)
      {
        double x, y;

        to_widget (self, i, &x, &y);
        cairo_new_sub_path (cr);
        cairo_arc (cr, x, y, i == 0 && !closed ? 6.5 : 5.0, 0, 2 * G_PI);
        cairo_set_source_rgb (cr, 1, 1, 1);
        cairo_fill_preserve (cr);
        cairo_set_source_rgb (cr, 0.85, 0.25, 0.0);
        cairo_set_line_width (cr, 2.0);
        cairo_stroke (cr);
      }
  cairo_destroy (cr);
}

/* ---- GObject overrides ---- */

static void
aq_area_editor_dispose (GObject *object)
{
  AqAreaEditor *self = AQ_AREA_EDITOR (object);

  if (self->map != NULL)
    {
      gtk_widget_remove_controller (GTK_WIDGET (self->map), GTK_EVENT_CONTROLLER (self->click));
      gtk_widget_remove_controller (GTK_WIDGET (self->map), GTK_EVENT_CONTROLLER (self->drag));
      g_object_remove_weak_pointer (G_OBJECT (self->map), (gpointer *) &self->map);
      self->map = NULL;
    }
  g_clear_object (&self->click);
  g_clear_object (&self->drag);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (aq_area_editor_parent_class)->dispose (object);
}

static void
aq_area_editor_class_init (AqAreaEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_area_editor_dispose;
  widget_class->snapshot = aq_area_editor_snapshot;

  /* in select mode, a click at @lon, @lat: the panel looks up what is there */
  signals[SELECT_AT] = g_signal_new ("select-at", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                     G_TYPE_DOUBLE, G_TYPE_DOUBLE);
}

static void
aq_area_editor_init (AqAreaEditor *self)
{
  self->dragging = -1;
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

/* ---- public API ---- */

/**
 * aq_area_editor_new:
 * @map: the map the editor draws on and listens to; the caller adds the layer to it
 */
AqAreaEditor *
aq_area_editor_new (ShumateMap  *map,
                    AqAreaModel *model)
{
  AqAreaEditor *self;
  ShumateViewport *viewport;

  g_return_val_if_fail (SHUMATE_IS_MAP (map), NULL);
  g_return_val_if_fail (AQ_IS_AREA_MODEL (model), NULL);

  viewport = shumate_map_get_viewport (map);
  self = g_object_new (AQ_TYPE_AREA_EDITOR, "viewport", viewport, NULL);
  self->map = map;
  g_object_add_weak_pointer (G_OBJECT (map), (gpointer *) &self->map);
  self->model = g_object_ref (model);
  g_signal_connect_object (model, "changed", G_CALLBACK (redraw_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::latitude", G_CALLBACK (redraw_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::longitude", G_CALLBACK (redraw_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::zoom-level", G_CALLBACK (redraw_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::rotation", G_CALLBACK (redraw_cb), self,
                           G_CONNECT_SWAPPED);

  self->click = g_object_ref (gtk_gesture_click_new ());
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (self->click), GDK_BUTTON_PRIMARY);
  g_signal_connect_swapped (self->click, "pressed", G_CALLBACK (pressed_cb), self);
  g_signal_connect_swapped (self->click, "released", G_CALLBACK (released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (map), GTK_EVENT_CONTROLLER (self->click));

  self->drag = g_object_ref (gtk_gesture_drag_new ());
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (self->drag), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (self->drag),
                                              GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (self->drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect_swapped (self->drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect_swapped (self->drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (map), GTK_EVENT_CONTROLLER (self->drag));
  return self;
}

AqAreaModel *
aq_area_editor_get_model (AqAreaEditor *self)
{
  g_return_val_if_fail (AQ_IS_AREA_EDITOR (self), NULL);
  return self->model;
}

AqAreaEditorMode
aq_area_editor_get_mode (AqAreaEditor *self)
{
  g_return_val_if_fail (AQ_IS_AREA_EDITOR (self), AQ_AREA_EDITOR_IDLE);
  return self->mode;
}

void
aq_area_editor_set_mode (AqAreaEditor     *self,
                         AqAreaEditorMode  mode)
{
  g_return_if_fail (AQ_IS_AREA_EDITOR (self));

  self->mode = mode;
  /* a double click closes the area instead of zooming in */
  if (self->map != NULL)
    shumate_map_set_zoom_on_double_click (self->map, mode != AQ_AREA_EDITOR_DRAW);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Returns: (transfer none): the click gesture on the map (tests emit its signals) */
GtkGesture *
aq_area_editor_get_click_gesture (AqAreaEditor *self)
{
  g_return_val_if_fail (AQ_IS_AREA_EDITOR (self), NULL);
  return self->click;
}

GtkGesture *
aq_area_editor_get_drag_gesture (AqAreaEditor *self)
{
  g_return_val_if_fail (AQ_IS_AREA_EDITOR (self), NULL);
  return self->drag;
}

/**
 * aq_area_editor_click:
 * @x: (in map widget coordinates)
 * @n_press: 2 for a double click
 *
 * What a click on the map does in the current mode.
 */
void
aq_area_editor_click (AqAreaEditor *self,
                      double        x,
                      double        y,
                      int           n_press)
{
  double lon, lat;

  g_return_if_fail (AQ_IS_AREA_EDITOR (self));

  if (self->map == NULL)
    return;
  /* Enter, Backspace and Escape go to the panel through the map, not to a toolbar button */
  gtk_widget_grab_focus (GTK_WIDGET (self->map));
  to_location (self, x, y, &lon, &lat);
  switch (self->mode)
    {
    case AQ_AREA_EDITOR_DRAW:
      {
        int hit = vertex_at (self, x, y);

        /* a double click, or a click on the first corner, closes the area */
        if (n_press >= 2 || (hit == 0 && aq_area_model_get_n_vertices (self->model) >= 3))
          aq_area_model_close (self->model);
        else if (hit < 0)
          aq_area_model_add_vertex (self->model, lon, lat);
      }
      break;

    case AQ_AREA_EDITOR_SELECT:
      if (n_press == 1)
        g_signal_emit (self, signals[SELECT_AT], 0, lon, lat);
      break;

    case AQ_AREA_EDITOR_IDLE:
    default:
      break;
    }
}
