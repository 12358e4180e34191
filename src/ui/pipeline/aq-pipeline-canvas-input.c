/* aq-pipeline-canvas-input.c — the pipeline canvas's pointer and keys
 *
 * Drag a card to move it (the selection with it, one undo step), drag from an output port to
 * another card to connect, drag the background for a rubber band that selects the cards
 * inside it (Shift adds them to the selection), drag with the middle button to pan, click an
 * edge to select it; scroll pans, Ctrl+scroll zooms; a step type dropped from the palette
 * becomes a step. The actions behind the keys (Delete, Ctrl+D, arrows, Tab, zoom, Ctrl+A) are
 * here too.
 */
#define G_LOG_DOMAIN "aq-pipeline-canvas"

#include "config.h"

#include "aq-pipeline-canvas-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "aq-pipeline-schema.h"
#include "aq-pipeline-validate.h"

/* The step under a widget point, and whether the point is on its output port. */
static const char *
pick (AqPipelineCanvas *self,
      double            wx,
      double            wy,
      gboolean         *on_output)
{
  double x, y;

  if (on_output)
    *on_output = FALSE;
  if (self->graph == NULL)
    return NULL;
  canvas_to_canvas (self, wx, wy, &x, &y);
  /* the last drawn is on top */
  for (guint i = aq_pipeline_graph_get_n_steps (self->graph); i-- > 0;)
    {
      const char *id = aq_pipeline_graph_get_step_id (self->graph, i);
      double cx, cy;
      double port_r = (PORT_RADIUS + 4) / self->zoom;

      if (id == NULL)
        continue;
      canvas_card_origin (self, id, &cx, &cy);
      if (on_output && hypot (x - (cx + AQ_PIPELINE_CARD_WIDTH),
                              y - (cy + AQ_PIPELINE_CARD_HEIGHT / 2)) <= port_r)
        {
          *on_output = TRUE;
          return id;
        }
      if (x >= cx && x <= cx + AQ_PIPELINE_CARD_WIDTH && y >= cy
          && y <= cy + AQ_PIPELINE_CARD_HEIGHT)
        return id;
    }
  return NULL;
}

/* The edge whose curve passes within a few pixels of a widget point: its index, or -1. */
static int
pick_edge (AqPipelineCanvas *self,
           double            wx,
           double            wy)
{
  for (guint i = 0; self->graph && i < aq_pipeline_graph_get_n_edges (self->graph); i++)
    {
      const char *from, *to;
      double fx, fy, tx, ty, px, py;

      aq_pipeline_graph_get_edge (self->graph, i, &from, &to);
      if (aq_pipeline_graph_find_step (self->graph, from) < 0
          || aq_pipeline_graph_find_step (self->graph, to) < 0)
        continue;
      canvas_edge_ends (self, from, to, &fx, &fy, &tx, &ty);
      for (int k = 0; k <= 48; k++)
        {
          canvas_edge_point (fx, fy, tx, ty, k / 48.0, &px, &py);
          if (hypot (px - wx, py - wy) <= 6.0)
            return i;
        }
    }
  return -1;
}

static void
drag_begin_cb (GtkGestureDrag   *gesture,
               double            x,
               double            y,
               AqPipelineCanvas *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (
    GTK_EVENT_CONTROLLER (gesture));
  gboolean add = (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK)) != 0;
  gboolean on_output;
  const char *id = pick (self, x, y, &on_output);

  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->drag_start_x = x;
  self->drag_start_y = y;
  self->drag_dx = self->drag_dy = 0;
  g_clear_pointer (&self->drag_step, g_free);
  if (id && self->read_only)
    {
      self->drag = DRAG_NONE;
      aq_pipeline_canvas_select (self, id, add);
    }
  else if (id && on_output)
    {
      self->drag = DRAG_CONNECT;
      self->drag_step = g_strdup (id);
    }
  else if (id)
    {
      self->drag = DRAG_MOVE;
      self->drag_step = g_strdup (id);
      if (!canvas_is_selected (self, id))
        aq_pipeline_canvas_select (self, id, add);
      else if (add)
        {
          for (guint i = 0; i < self->selection->len; i++)
            if (g_strcmp0 (g_ptr_array_index (self->selection, i), id) == 0)
              g_ptr_array_remove_index (self->selection, i);
          self->drag = DRAG_NONE;
          canvas_selection_changed (self);
        }
    }
  else if (pick_edge (self, x, y) >= 0)
    {
      const char *from, *to;

      /* a click on an edge selects it alone: Delete removes it */
      aq_pipeline_graph_get_edge (self->graph, pick_edge (self, x, y), &from, &to);
      self->drag = DRAG_NONE;
      g_ptr_array_set_size (self->selection, 0);
      canvas_clear_edge (self);
      self->edge_from = g_strdup (from);
      self->edge_to = g_strdup (to);
      canvas_selection_changed (self);
    }
  else
    {
      /* the background: a rubber band (a click without moving clears the selection) */
      self->drag = DRAG_BAND;
      self->drag_add = (state & GDK_SHIFT_MASK) != 0;
    }
}

static void
drag_update_cb (GtkGestureDrag   *gesture,
                double            dx,
                double            dy,
                AqPipelineCanvas *self)
{
  self->drag_dx = dx;
  self->drag_dy = dy;
  if (self->drag == DRAG_PAN)
    {
      self->pan_x = self->drag_pan_x + dx;
      self->pan_y = self->drag_pan_y + dy;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The rubber band in widget coordinates, while one is dragged (empty otherwise). */
void
canvas_band_rect (AqPipelineCanvas *self,
                  graphene_rect_t  *rect)
{
  if (self->drag != DRAG_BAND)
    {
      graphene_rect_init (rect, 0, 0, 0, 0);
      return;
    }
  graphene_rect_init (rect, self->drag_start_x, self->drag_start_y, self->drag_dx,
                      self->drag_dy);
  graphene_rect_normalize (rect);
}

/* The middle button pans wherever it starts. */
static void
pan_begin_cb (GtkGestureDrag   *gesture,
              double            x,
              double            y,
              AqPipelineCanvas *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  g_clear_pointer (&self->drag_step, g_free);
  self->drag = DRAG_PAN;
  self->drag_start_x = x;
  self->drag_start_y = y;
  self->drag_dx = self->drag_dy = 0;
  self->drag_pan_x = self->pan_x;
  self->drag_pan_y = self->pan_y;
}

static void
pan_end_cb (GtkGestureDrag   *gesture,
            double            dx,
            double            dy,
            AqPipelineCanvas *self)
{
  self->drag = DRAG_NONE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_end_cb (GtkGestureDrag   *gesture,
             double            dx,
             double            dy,
             AqPipelineCanvas *self)
{
  DragMode mode = self->drag;
  g_autofree char *from = g_steal_pointer (&self->drag_step);

  self->drag = DRAG_NONE;
  if (mode == DRAG_MOVE && (fabs (dx) > 2 || fabs (dy) > 2))
    {
      g_auto(GStrv) ids = aq_pipeline_canvas_get_selection (self);

      aq_pipeline_graph_move_steps (self->graph, (const char * const *) ids,
                                    round (dx / self->zoom), round (dy / self->zoom));
    }
  else if (mode == DRAG_CONNECT)
    {
      const char *to = pick (self, self->drag_start_x + dx, self->drag_start_y + dy, NULL);
      g_autoptr(GError) error = NULL;

      if (to && g_strcmp0 (to, from) != 0
          && !aq_pipeline_graph_connect (self->graph, from, to, &error))
        canvas_edit_refused (self, error->message);
    }
  else if (mode == DRAG_BAND && (fabs (dx) > 2 || fabs (dy) > 2))
    aq_pipeline_canvas_select_rect (self, self->drag_start_x, self->drag_start_y, dx, dy,
                                    self->drag_add);
  else if (mode == DRAG_BAND && !self->drag_add
           && (self->selection->len > 0 || self->edge_from))
    {
      /* a click on the background */
      g_ptr_array_set_size (self->selection, 0);
      canvas_clear_edge (self);
      canvas_selection_changed (self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           AqPipelineCanvas         *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (
    GTK_EVENT_CONTROLLER (controller));

  if (state & GDK_CONTROL_MASK)
    aq_pipeline_canvas_set_zoom (self, self->zoom * (dy < 0 ? 1.1 : 1 / 1.1));
  else
    aq_pipeline_canvas_pan (self, -dx * 40, -dy * 40);
  return TRUE;
}

static gboolean
drop_cb (GtkDropTarget    *target,
         const GValue     *value,
         double            x,
         double            y,
         AqPipelineCanvas *self)
{
  g_autofree char *id = NULL;

  if (self->read_only)
    return FALSE;
  if (!G_VALUE_HOLDS_STRING (value)
      || aq_pipeline_schema_lookup (g_value_get_string (value)) == NULL)
    return FALSE;
  id = aq_pipeline_canvas_add_step (self, g_value_get_string (value), x, y);
  return id != NULL;
}

static gboolean
query_tooltip_cb (GtkWidget        *widget,
                  int               x,
                  int               y,
                  gboolean          keyboard,
                  GtkTooltip       *tooltip,
                  AqPipelineCanvas *self)
{
  const char *id = pick (self, x, y, NULL);
  g_autoptr(GString) text = NULL;
  StepStatus *status;

  if (id == NULL)
    return FALSE;
  text = g_string_new (NULL);
  for (guint i = 0; self->problems && i < self->problems->len; i++)
    {
      AqPipelineProblem *problem = g_ptr_array_index (self->problems, i);

      if (g_strcmp0 (problem->step_id, id) == 0)
        g_string_append_printf (text, "%s• %s", text->len ? "\n" : "", problem->message);
    }
  status = g_hash_table_lookup (self->status, id);
  if (status && status->error)
    g_string_append_printf (text, "%s%s", text->len ? "\n" : "", status->error);
  if (text->len == 0)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text->str);
  return TRUE;
}

static void
delete_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  AqPipelineCanvas *self = AQ_PIPELINE_CANVAS (widget);
  g_auto(GStrv) ids = aq_pipeline_canvas_get_selection (self);

  if (self->graph && !self->read_only && ids[0] == NULL && self->edge_from)
    {
      g_autofree char *from = g_strdup (self->edge_from);
      g_autofree char *to = g_strdup (self->edge_to);

      /* one edit, undoable like any other */
      canvas_clear_edge (self);
      aq_pipeline_graph_disconnect (self->graph, from, to);
      return;
    }
  if (self->graph && !self->read_only)
    aq_pipeline_graph_remove_steps (self->graph, (const char * const *) ids);
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  AqPipelineCanvas *self = AQ_PIPELINE_CANVAS (widget);
  g_auto(GStrv) ids = aq_pipeline_canvas_get_selection (self);
  g_auto(GStrv) copies = NULL;

  if (self->graph == NULL || ids[0] == NULL || self->read_only)
    return;
  copies = aq_pipeline_graph_duplicate_steps (self->graph, (const char * const *) ids);
  g_ptr_array_set_size (self->selection, 0);
  for (guint i = 0; copies[i]; i++)
    g_ptr_array_add (self->selection, g_strdup (copies[i]));
  canvas_selection_changed (self);
}

static void
nudge_action (GtkWidget  *widget,
              const char *name,
              GVariant   *param)
{
  AqPipelineCanvas *self = AQ_PIPELINE_CANVAS (widget);
  g_auto(GStrv) ids = aq_pipeline_canvas_get_selection (self);
  int dx, dy;

  g_variant_get (param, "(ii)", &dx, &dy);
  if (self->graph && ids[0] && !self->read_only)
    aq_pipeline_graph_move_steps (self->graph, (const char * const *) ids, dx * NUDGE,
                                  dy * NUDGE);
  else
    aq_pipeline_canvas_pan (self, -dx * 4 * NUDGE, -dy * 4 * NUDGE);
}

/* Tab and Shift+Tab walk the steps in run order. */
static void
walk_action (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  AqPipelineCanvas *self = AQ_PIPELINE_CANVAS (widget);
  g_auto(GStrv) order = NULL;
  const char *current = aq_pipeline_canvas_get_selected (self);
  int step = g_variant_get_int32 (param);
  int n, at = -1;

  if (self->graph == NULL)
    return;
  order = aq_pipeline_graph_get_run_order (self->graph);
  n = g_strv_length (order);
  if (n == 0)
    return;
  for (int i = 0; current && i < n; i++)
    if (strcmp (order[i], current) == 0)
      at = i;
  at = at < 0 ? (step > 0 ? 0 : n - 1) : (at + step + n) % n;
  aq_pipeline_canvas_select (self, order[at], FALSE);
  aq_pipeline_canvas_reveal (self, order[at]);
}

static void
zoom_action (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  AqPipelineCanvas *self = AQ_PIPELINE_CANVAS (widget);
  int direction = g_variant_get_int32 (param);

  aq_pipeline_canvas_set_zoom (self, direction == 0 ? 1.0
                                     : self->zoom * (direction > 0 ? 1.2 : 1 / 1.2));
}

static void
select_all_action (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  AqPipelineCanvas *self = AQ_PIPELINE_CANVAS (widget);

  if (self->graph == NULL)
    return;
  g_ptr_array_set_size (self->selection, 0);
  for (guint i = 0; i < aq_pipeline_graph_get_n_steps (self->graph); i++)
    if (aq_pipeline_graph_get_step_id (self->graph, i))
      g_ptr_array_add (self->selection, g_strdup (aq_pipeline_graph_get_step_id (self->graph, i)));
  canvas_selection_changed (self);
}

static void
add_nudge (GtkWidgetClass *widget_class,
           guint           key,
           int             dx,
           int             dy)
{
  gtk_widget_class_add_binding_action (widget_class, key, 0, "canvas.nudge", "(ii)", dx, dy);
}

/* ---- set-up ---- */

/* The canvas's actions and their keys. */
void
canvas_input_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "canvas.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "canvas.duplicate", NULL, duplicate_action);
  gtk_widget_class_install_action (widget_class, "canvas.nudge", "(ii)", nudge_action);
  gtk_widget_class_install_action (widget_class, "canvas.walk", "i", walk_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom", "i", zoom_action);
  gtk_widget_class_install_action (widget_class, "canvas.select-all", NULL, select_all_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "canvas.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "canvas.delete",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK,
                                       "canvas.duplicate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK,
                                       "canvas.select-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Tab, 0, "canvas.walk", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK,
                                       "canvas.walk", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Tab, GDK_SHIFT_MASK,
                                       "canvas.walk", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "canvas.zoom", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "canvas.zoom", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "canvas.zoom", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK,
                                       "canvas.zoom", "i", 0);
  add_nudge (widget_class, GDK_KEY_Left, -1, 0);
  add_nudge (widget_class, GDK_KEY_Right, 1, 0);
  add_nudge (widget_class, GDK_KEY_Up, 0, -1);
  add_nudge (widget_class, GDK_KEY_Down, 0, 1);
}

/* The pointer: drag (move, connect, band; the middle button pans), scroll (pan, Ctrl zooms),
 * drop from the palette. */
void
canvas_input_init (AqPipelineCanvas *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *scroll =
    gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  GtkGesture *pan = gtk_gesture_drag_new ();
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_COPY);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (pan), GDK_BUTTON_MIDDLE);
  g_signal_connect (pan, "drag-begin", G_CALLBACK (pan_begin_cb), self);
  g_signal_connect (pan, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (pan, "drag-end", G_CALLBACK (pan_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (pan));
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);
}
