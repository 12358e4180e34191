/* aq-pipeline-canvas.c — the pipeline editor's canvas: a view of an AqPipelineGraph
 *
 * Steps are cards (icon, id, type, the type's key setting, and during a run its rows and
 * time), edges are curves from a card's output port (right) to another's input port (left).
 * Everything is drawn in snapshot: the edges as cairo curves in one node, each visible card
 * as render nodes (colours, borders, text, icon) built once and kept until the graph, the
 * selection, the problems or its run figures change — a pan frame only translates them, and
 * cards outside the view are skipped (tests/bench/bench-pipeline-editor.c measures a pan of
 * 200 steps with the frame clock).
 *
 * Every edit goes to the graph (one undo step each: a whole drag is one move); the canvas only
 * keeps the view (zoom, pan), the selection and what a run reported per step. Drag a card to
 * move it (the selection with it), drag from an output port to another card to connect, drag
 * the background for a rubber band (Shift adds), the middle button (or scroll) to pan,
 * Ctrl+scroll to zoom; a step type dropped from the palette
 * becomes a step where it lands. Keys: Delete, Ctrl+D, arrows (nudge), Tab / Shift+Tab (the
 * steps in run order), +/−/0 (zoom).
 *
 * This file holds the object, the view's coordinates, the selection and the public API; the
 * drawing is in aq-pipeline-canvas-draw.c, the pointer and keys in aq-pipeline-canvas-input.c.
 */
#define G_LOG_DOMAIN "aq-pipeline-canvas"

#include "config.h"

#include "aq-pipeline-canvas-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "aq-pipeline-schema.h"
#include "aq-pipeline-validate.h"

G_DEFINE_FINAL_TYPE (AqPipelineCanvas, aq_pipeline_canvas, GTK_TYPE_WIDGET)

enum { SELECTION_CHANGED, EDIT_REFUSED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- shared with the drawing and the input files ---- */

void
canvas_to_widget (AqPipelineCanvas *self,
                  double            x,
                  double            y,
                  double           *wx,
                  double           *wy)
{
  *wx = x * self->zoom + self->pan_x;
  *wy = y * self->zoom + self->pan_y;
}

void
canvas_to_canvas (AqPipelineCanvas *self,
                  double            wx,
                  double            wy,
                  double           *x,
                  double           *y)
{
  *x = (wx - self->pan_x) / self->zoom;
  *y = (wy - self->pan_y) / self->zoom;
}

gboolean
canvas_is_selected (AqPipelineCanvas *self,
                    const char       *id)
{
  for (guint i = 0; i < self->selection->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->selection, i), id) == 0)
      return TRUE;
  return FALSE;
}

/* Where a step is drawn, canvas units: while a move is dragged, the selection is offset. */
void
canvas_card_origin (AqPipelineCanvas *self,
                    const char       *id,
                    double           *x,
                    double           *y)
{
  aq_pipeline_graph_get_position (self->graph, id, x, y);
  if (self->drag == DRAG_MOVE && canvas_is_selected (self, id))
    {
      *x += self->drag_dx / self->zoom;
      *y += self->drag_dy / self->zoom;
    }
}

/* An edge's ends in widget coordinates: @from's output port, @to's input. */
void
canvas_edge_ends (AqPipelineCanvas *self,
                  const char       *from,
                  const char       *to,
                  double           *fx,
                  double           *fy,
                  double           *tx,
                  double           *ty)
{
  canvas_card_origin (self, from, fx, fy);
  canvas_card_origin (self, to, tx, ty);
  canvas_to_widget (self, *fx + AQ_PIPELINE_CARD_WIDTH, *fy + AQ_PIPELINE_CARD_HEIGHT / 2, fx, fy);
  canvas_to_widget (self, *tx, *ty + AQ_PIPELINE_CARD_HEIGHT / 2, tx, ty);
}

/* The point at @t (0…1) along the curve edge_path() draws. */
void
canvas_edge_point (double  x1,
                   double  y1,
                   double  x2,
                   double  y2,
                   double  t,
                   double *x,
                   double *y)
{
  double bend = MAX (40.0, fabs (x2 - x1) / 2);
  double u = 1 - t;

  *x = u * u * u * x1 + 3 * u * u * t * (x1 + bend) + 3 * u * t * t * (x2 - bend)
       + t * t * t * x2;
  *y = u * u * u * y1 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t * t * t * y2;
}

void
canvas_clear_edge (AqPipelineCanvas *self)
{
  g_clear_pointer (&self->edge_from, g_free);
  g_clear_pointer (&self->edge_to, g_free);
}

/* Tells the panel an edit was refused (a cycle, a duplicate edge). */
void
canvas_edit_refused (AqPipelineCanvas *self,
                     const char       *message)
{
  g_signal_emit (self, signals[EDIT_REFUSED], 0, message);
}

void
canvas_selection_changed (AqPipelineCanvas *self)
{
  canvas_forget_cards (self);
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Drops ids that are gone (after an undo, a delete). */
static void
prune_selection (AqPipelineCanvas *self)
{
  gboolean changed = FALSE;

  for (guint i = self->selection->len; i-- > 0;)
    if (aq_pipeline_graph_find_step (self->graph, g_ptr_array_index (self->selection, i)) < 0)
      {
        g_ptr_array_remove_index (self->selection, i);
        changed = TRUE;
      }
  if (changed)
    canvas_selection_changed (self);
}

static void
graph_changed_cb (AqPipelineCanvas *self)
{
  canvas_forget_cards (self);
  prune_selection (self);
  if (self->edge_from && !aq_pipeline_graph_has_edge (self->graph, self->edge_from,
                                                      self->edge_to))
    canvas_clear_edge (self);
}

static void
aq_pipeline_canvas_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  *minimum = 200;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 900 : 500;
}

static void
aq_pipeline_canvas_dispose (GObject *object)
{
  AqPipelineCanvas *self = AQ_PIPELINE_CANVAS (object);

  if (self->graph)
    g_clear_signal_handler (&self->changed_id, self->graph);
  g_clear_object (&self->graph);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->cards, g_hash_table_unref);

  G_OBJECT_CLASS (aq_pipeline_canvas_parent_class)->dispose (object);
}

static void
aq_pipeline_canvas_finalize (GObject *object)
{
  AqPipelineCanvas *self = AQ_PIPELINE_CANVAS (object);

  g_clear_pointer (&self->status, g_hash_table_unref);
  g_clear_pointer (&self->selection, g_ptr_array_unref);
  g_clear_pointer (&self->drag_step, g_free);
  canvas_clear_edge (self);

  G_OBJECT_CLASS (aq_pipeline_canvas_parent_class)->finalize (object);
}

static void
aq_pipeline_canvas_class_init (AqPipelineCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_pipeline_canvas_dispose;
  object_class->finalize = aq_pipeline_canvas_finalize;
  widget_class->snapshot = canvas_snapshot;
  widget_class->measure = aq_pipeline_canvas_measure;

  signals[SELECTION_CHANGED] = g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 0);
  /* an edit the graph refused (a cycle, a duplicate edge): the message says why */
  signals[EDIT_REFUSED] = g_signal_new ("edit-refused", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_STRING);

  canvas_input_class_init (widget_class);

  gtk_widget_class_set_css_name (widget_class, "pipeline-canvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
aq_pipeline_canvas_init (AqPipelineCanvas *self)
{
  self->zoom = 1.0;
  self->pan_x = 40;
  self->pan_y = 30;
  self->status = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) canvas_step_status_free);
  self->cards = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) canvas_card_free);
  self->selection = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);

  canvas_input_init (self);
}

/* ---- public API ---- */

GtkWidget *
aq_pipeline_canvas_new (void)
{
  return g_object_new (AQ_TYPE_PIPELINE_CANVAS, NULL);
}

void
aq_pipeline_canvas_set_graph (AqPipelineCanvas *self,
                              AqPipelineGraph  *graph)
{
  g_return_if_fail (AQ_IS_PIPELINE_CANVAS (self));

  if (self->graph)
    g_clear_signal_handler (&self->changed_id, self->graph);
  g_set_object (&self->graph, graph);
  if (graph)
    self->changed_id = g_signal_connect_swapped (graph, "changed",
                                                 G_CALLBACK (graph_changed_cb), self);
  g_hash_table_remove_all (self->status);
  g_ptr_array_set_size (self->selection, 0);
  self->pan_x = 40;
  self->pan_y = 30;
  canvas_forget_cards (self);
  canvas_selection_changed (self);
}

AqPipelineGraph *
aq_pipeline_canvas_get_graph (AqPipelineCanvas *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_CANVAS (self), NULL);
  return self->graph;
}

/* @problems: (element-type AqPipelineProblem): what validation found, marked on the cards */
void
aq_pipeline_canvas_set_problems (AqPipelineCanvas *self,
                                 GPtrArray        *problems)
{
  g_return_if_fail (AQ_IS_PIPELINE_CANVAS (self));

  g_clear_pointer (&self->problems, g_ptr_array_unref);
  self->problems = problems ? g_ptr_array_ref (problems) : NULL;
  canvas_forget_cards (self);
}

/* A run's report on one step: its card shows rows in and out, time and rows/s. */
void
aq_pipeline_canvas_set_step_report (AqPipelineCanvas           *self,
                                    const AqPipelineStepReport *report)
{
  StepStatus *status;

  g_return_if_fail (AQ_IS_PIPELINE_CANVAS (self));

  status = g_new0 (StepStatus, 1);
  status->state = report->state;
  status->rows_in = report->rows_in;
  status->rows_out = report->rows_out;
  status->duration_ms = report->duration_ms;
  status->error = g_strdup (report->error);
  g_hash_table_insert (self->status, g_strdup (report->step_id), status);
  g_hash_table_remove (self->cards, report->step_id);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* What the card of @id shows from a run: FALSE when it shows none. */
gboolean
aq_pipeline_canvas_get_step_report (AqPipelineCanvas *self,
                                    const char       *id,
                                    gint64           *rows_in,
                                    gint64           *rows_out)
{
  StepStatus *status;

  g_return_val_if_fail (AQ_IS_PIPELINE_CANVAS (self), FALSE);

  status = g_hash_table_lookup (self->status, id);
  if (status == NULL)
    return FALSE;
  *rows_in = status->rows_in;
  *rows_out = status->rows_out;
  return TRUE;
}

void
aq_pipeline_canvas_clear_reports (AqPipelineCanvas *self)
{
  g_return_if_fail (AQ_IS_PIPELINE_CANVAS (self));

  g_hash_table_remove_all (self->status);
  canvas_forget_cards (self);
}

/* Returns: (transfer full): the selected ids, the primary one last */
char **
aq_pipeline_canvas_get_selection (AqPipelineCanvas *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (AQ_IS_PIPELINE_CANVAS (self), NULL);

  for (guint i = 0; i < self->selection->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->selection, i));
  return g_strv_builder_end (builder);
}

/* The step the form shows: the one selected last, or NULL. */
const char *
aq_pipeline_canvas_get_selected (AqPipelineCanvas *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_CANVAS (self), NULL);

  return self->selection->len ? g_ptr_array_index (self->selection, self->selection->len - 1)
                              : NULL;
}

/* @id: (nullable): NULL clears the selection; @add keeps what was selected. */
void
aq_pipeline_canvas_select (AqPipelineCanvas *self,
                           const char       *id,
                           gboolean          add)
{
  g_return_if_fail (AQ_IS_PIPELINE_CANVAS (self));

  if (!add)
    g_ptr_array_set_size (self->selection, 0);
  canvas_clear_edge (self);
  if (id && self->graph && aq_pipeline_graph_find_step (self->graph, id) >= 0
      && !canvas_is_selected (self, id))
    g_ptr_array_add (self->selection, g_strdup (id));
  canvas_selection_changed (self);
}

/**
 * aq_pipeline_canvas_add_step:
 *
 * Adds a step of @type with its card centred on the widget point, selects it.
 *
 * Returns: (transfer full) (nullable): its id
 */
char *
aq_pipeline_canvas_add_step (AqPipelineCanvas *self,
                             const char       *type,
                             double            widget_x,
                             double            widget_y)
{
  double x, y;
  char *id;

  g_return_val_if_fail (AQ_IS_PIPELINE_CANVAS (self), NULL);

  if (self->graph == NULL || self->read_only)
    return NULL;
  canvas_to_canvas (self, widget_x, widget_y, &x, &y);
  id = aq_pipeline_graph_add_step (self->graph, type, round (x - AQ_PIPELINE_CARD_WIDTH / 2),
                                   round (y - AQ_PIPELINE_CARD_HEIGHT / 2));
  aq_pipeline_canvas_select (self, id, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self));
  return id;
}

void
aq_pipeline_canvas_pan (AqPipelineCanvas *self,
                        double            dx,
                        double            dy)
{
  g_return_if_fail (AQ_IS_PIPELINE_CANVAS (self));

  self->pan_x += dx;
  self->pan_y += dy;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Zooms around the middle of the view. */
void
aq_pipeline_canvas_set_zoom (AqPipelineCanvas *self,
                             double            zoom)
{
  double cx = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double cy = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
  double x, y;

  g_return_if_fail (AQ_IS_PIPELINE_CANVAS (self));

  zoom = CLAMP (zoom, MIN_ZOOM, MAX_ZOOM);
  canvas_to_canvas (self, cx, cy, &x, &y);
  self->zoom = zoom;
  self->pan_x = cx - x * zoom;
  self->pan_y = cy - y * zoom;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
aq_pipeline_canvas_get_zoom (AqPipelineCanvas *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_CANVAS (self), 1.0);
  return self->zoom;
}

/* Where a step's input port (or output port) is, in widget coordinates. */
void
aq_pipeline_canvas_step_to_widget (AqPipelineCanvas *self,
                                   const char       *id,
                                   gboolean          output_port,
                                   double           *x,
                                   double           *y)
{
  double cx, cy;

  g_return_if_fail (AQ_IS_PIPELINE_CANVAS (self));

  aq_pipeline_graph_get_position (self->graph, id, &cx, &cy);
  canvas_to_widget (self, cx + (output_port ? AQ_PIPELINE_CARD_WIDTH : 0),
                    cy + AQ_PIPELINE_CARD_HEIGHT / 2, x, y);
}

/* Pans so that the step's card is in view (Tab, Find). */
void
aq_pipeline_canvas_reveal (AqPipelineCanvas *self,
                           const char       *id)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double x, y;

  g_return_if_fail (AQ_IS_PIPELINE_CANVAS (self));

  if (self->graph == NULL || aq_pipeline_graph_find_step (self->graph, id) < 0)
    return;
  aq_pipeline_graph_get_position (self->graph, id, &x, &y);
  canvas_to_widget (self, x, y, &x, &y);
  if (x < 0 || y < 0 || x + AQ_PIPELINE_CARD_WIDTH * self->zoom > width
      || y + AQ_PIPELINE_CARD_HEIGHT * self->zoom > height)
    aq_pipeline_canvas_pan (self, width / 2.0 - x - AQ_PIPELINE_CARD_WIDTH * self->zoom / 2,
                            height / 2.0 - y - AQ_PIPELINE_CARD_HEIGHT * self->zoom / 2);
}

/* A read-only canvas selects, pans and zooms, and refuses every edit (a stored version shown
 * as it was saved). */
void
aq_pipeline_canvas_set_read_only (AqPipelineCanvas *self,
                                  gboolean          read_only)
{
  g_return_if_fail (AQ_IS_PIPELINE_CANVAS (self));
  self->read_only = read_only;
}

gboolean
aq_pipeline_canvas_get_read_only (AqPipelineCanvas *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_CANVAS (self), FALSE);
  return self->read_only;
}

/* The selected edge (a click on its curve): FALSE when none is. */
gboolean
aq_pipeline_canvas_get_selected_edge (AqPipelineCanvas  *self,
                                      const char       **from,
                                      const char       **to)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_CANVAS (self), FALSE);
  *from = self->edge_from;
  *to = self->edge_to;
  return self->edge_from != NULL;
}

/* The widget point at @t (0…1) along the edge @from → @to as drawn. */
void
aq_pipeline_canvas_edge_to_widget (AqPipelineCanvas *self,
                                   const char       *from,
                                   const char       *to,
                                   double            t,
                                   double           *x,
                                   double           *y)
{
  double fx, fy, tx, ty;

  g_return_if_fail (AQ_IS_PIPELINE_CANVAS (self));
  canvas_edge_ends (self, from, to, &fx, &fy, &tx, &ty);
  canvas_edge_point (fx, fy, tx, ty, t, x, y);
}

/**
 * aq_pipeline_canvas_select_rect:
 *
 * Selects the cards wholly inside the widget rectangle from (@x, @y) spanning (@width,
 * @height) — either may be negative — in canvas order; @add keeps what was selected (the
 * rubber band with Shift).
 */
void
aq_pipeline_canvas_select_rect (AqPipelineCanvas *self,
                                double            x,
                                double            y,
                                double            width,
                                double            height,
                                gboolean          add)
{
  double x1, y1, x2, y2;

  g_return_if_fail (AQ_IS_PIPELINE_CANVAS (self));

  canvas_to_canvas (self, MIN (x, x + width), MIN (y, y + height), &x1, &y1);
  canvas_to_canvas (self, MAX (x, x + width), MAX (y, y + height), &x2, &y2);
  if (!add)
    g_ptr_array_set_size (self->selection, 0);
  canvas_clear_edge (self);
  for (guint i = 0; self->graph && i < aq_pipeline_graph_get_n_steps (self->graph); i++)
    {
      const char *id = aq_pipeline_graph_get_step_id (self->graph, i);
      double cx, cy;

      if (id == NULL || canvas_is_selected (self, id))
        continue;
      aq_pipeline_graph_get_position (self->graph, id, &cx, &cy);
      if (cx >= x1 && cy >= y1 && cx + AQ_PIPELINE_CARD_WIDTH <= x2
          && cy + AQ_PIPELINE_CARD_HEIGHT <= y2)
        g_ptr_array_add (self->selection, g_strdup (id));
    }
  canvas_selection_changed (self);
}
