/* aq-pipeline-canvas-private.h — what the canvas's three files share
 *
 * aq-pipeline-canvas.c holds the object, its coordinates, selection and public API;
 * aq-pipeline-canvas-draw.c the drawing (cards as render nodes, edges in cairo);
 * aq-pipeline-canvas-input.c the pointer and keys (drags, scroll, drop, actions).
 */
#pragma once

#include <gtk/gtk.h>

#include "aq-pipeline-canvas.h"

G_BEGIN_DECLS

#define PORT_RADIUS 6.0
#define NUDGE 10.0
#define MIN_ZOOM 0.25
#define MAX_ZOOM 2.5

/* DRAG_BAND: a rubber band from the background selects the cards inside it */
typedef enum { DRAG_NONE, DRAG_PAN, DRAG_MOVE, DRAG_CONNECT, DRAG_BAND } DragMode;

typedef struct
{
  AqPipelineStepState state;
  gint64              rows_in;
  gint64              rows_out;
  double              duration_ms;
  char               *error;
} StepStatus;

/* What a card shows, laid out once per graph change. */
typedef struct
{
  PangoLayout *title;
  PangoLayout *kind;
  PangoLayout *key;
  PangoLayout *status;
  const char  *icon_name;
  const char  *type;
  GtkIconPaintable *icon;
  GskRenderNode    *node;   /* the card at scale 1, built on first draw */
} Card;

struct _AqPipelineCanvas
{
  GtkWidget        parent_instance;

  AqPipelineGraph *graph;
  gulong           changed_id;
  GPtrArray       *problems;     /* (element-type AqPipelineProblem) */
  GHashTable      *status;       /* step id → StepStatus */
  GHashTable      *cards;        /* step id → Card */
  GPtrArray       *selection;    /* (element-type utf8) ids, the last one is the primary */

  double           zoom;
  double           pan_x;        /* widget = canvas × zoom + pan */
  double           pan_y;

  DragMode         drag;
  char            *drag_step;    /* the card (or port) the drag started on */
  double           drag_start_x; /* widget coordinates of the drag start */
  double           drag_start_y;
  double           drag_dx;      /* the offset so far, widget units */
  double           drag_dy;
  double           drag_pan_x;
  double           drag_pan_y;
  gboolean         drag_add;     /* the band adds to the selection (Shift) */

  gboolean         read_only;    /* a stored version looked at: select and pan only */
  char            *edge_from;    /* the selected edge (clicked on its curve), or NULL */
  char            *edge_to;
};

/* aq-pipeline-canvas.c */
void        canvas_to_widget         (AqPipelineCanvas *self,
                                      double            x,
                                      double            y,
                                      double           *wx,
                                      double           *wy);
void        canvas_to_canvas         (AqPipelineCanvas *self,
                                      double            wx,
                                      double            wy,
                                      double           *x,
                                      double           *y);
gboolean    canvas_is_selected       (AqPipelineCanvas *self,
                                      const char       *id);
void        canvas_card_origin       (AqPipelineCanvas *self,
                                      const char       *id,
                                      double           *x,
                                      double           *y);
void        canvas_edge_ends         (AqPipelineCanvas *self,
                                      const char       *from,
                                      const char       *to,
                                      double           *fx,
                                      double           *fy,
                                      double           *tx,
                                      double           *ty);
void        canvas_edge_point        (double            x1,
                                      double            y1,
                                      double            x2,
                                      double            y2,
                                      double            t,
                                      double           *x,
                                      double           *y);
void        canvas_clear_edge        (AqPipelineCanvas *self);
void        canvas_selection_changed (AqPipelineCanvas *self);
void        canvas_edit_refused      (AqPipelineCanvas *self,
                                      const char       *message);

/* aq-pipeline-canvas-draw.c */
void        canvas_step_status_free  (StepStatus       *status);
void        canvas_card_free         (Card             *card);
void        canvas_forget_cards      (AqPipelineCanvas *self);
void        canvas_snapshot          (GtkWidget        *widget,
                                      GtkSnapshot      *snapshot);

/* aq-pipeline-canvas-input.c */
void        canvas_input_class_init  (GtkWidgetClass   *widget_class);
void        canvas_input_init        (AqPipelineCanvas *self);
void        canvas_band_rect         (AqPipelineCanvas *self,
                                      graphene_rect_t  *rect);

G_END_DECLS
