/* aq-lineage-graph.c — a table's lineage drawn as a graph: sources left, consumers right
 *
 * One column per distance from the table (−3 … 0 … +3), one box per table, indicator, report
 * or API, coloured by layer; each box is joined to the box one step nearer the table by the
 * edge the catalog found (AqDatasetLink.next), so the picture is the lineage, not a layout
 * guess. Drawn with cairo in one function (aq_lineage_graph_draw) that serves the screen and
 * files alike; the widget only measures and calls it from snapshot.
 */
#define G_LOG_DOMAIN "aq-lineage-graph"

#include "config.h"

#include "aq-lineage-graph.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#define BOX_HEIGHT   26.0
#define ROW_SPACING  8.0
#define MAX_PER_COLUMN 10   /* more is listed as "+N more": a wall of boxes explains nothing */
#define MAX_DISTANCE 4
#define LEGEND_HEIGHT 26

typedef struct
{
  char   *id;
  char   *layer;
  char   *next;
  int     distance;
  int     row;       /* in its column; -1 when folded into "+N more" */
  double  x, y, w;
} Node;

struct _AqLineageGraph
{
  GtkWidget  parent_instance;

  char      *center;
  GPtrArray *nodes;          /* Node */
  int        counts[2 * MAX_DISTANCE + 1];
  int        hidden[2 * MAX_DISTANCE + 1];
};

G_DEFINE_FINAL_TYPE (AqLineageGraph, aq_lineage_graph, GTK_TYPE_WIDGET)

/* ---- auxiliary methods ---- */

static void
node_free (Node *node)
{
  g_free (node->id);
  g_free (node->layer);
  g_free (node->next);
  g_free (node);
}

static void
layer_color (const char *layer,
             double     *r,
             double     *g,
             double     *b)
{
  static const struct { const char *layer; double r, g, b; } colors[] = {
    { "src", 0.60, 0.60, 0.60 }, { "ods", 0.85, 0.55, 0.20 }, { "dw", 0.21, 0.52, 0.89 },
    { "dm", 0.20, 0.65, 0.40 }, { "indicator", 0.57, 0.33, 0.75 }, { "report", 0.75, 0.28, 0.45 },
    { "api", 0.15, 0.60, 0.65 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (colors); i++)
    if (g_strcmp0 (layer, colors[i].layer) == 0)
      {
        *r = colors[i].r;
        *g = colors[i].g;
        *b = colors[i].b;
        return;
      }
  *r = *g = *b = 0.45;
}

static int
slot (int distance)
{
  return CLAMP (distance, -MAX_DISTANCE, MAX_DISTANCE) + MAX_DISTANCE;
}

static Node *
find_node (AqLineageGraph *self,
           const char     *id)
{
  for (guint i = 0; self->nodes && i < self->nodes->len; i++)
    {
      Node *node = g_ptr_array_index (self->nodes, i);

      if (g_str_equal (node->id, id))
        return node;
    }
  return NULL;
}

static void
rounded_rect (cairo_t *cr,
              double   x,
              double   y,
              double   w,
              double   h,
              double   r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
draw_box (AqLineageGraph *self,
          cairo_t        *cr,
          const char     *text,
          const char     *layer,
          double          x,
          double          y,
          double          w,
          gboolean        center)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  double r, g, b;
  int tw, th;

  layer_color (layer, &r, &g, &b);
  rounded_rect (cr, x, y, w, BOX_HEIGHT, 5);
  cairo_set_source_rgba (cr, r, g, b, center ? 0.95 : 0.18);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, r, g, b);
  cairo_set_line_width (cr, center ? 2 : 1);
  cairo_stroke (cr);

  pango_layout_set_width (layout, (int) ((w - 12) * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_MIDDLE);
  pango_layout_get_pixel_size (layout, &tw, &th);
  if (center)
    cairo_set_source_rgb (cr, 1, 1, 1);
  else
    {
      GdkRGBA fg;

      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
      G_GNUC_END_IGNORE_DEPRECATIONS
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha);
    }
  cairo_move_to (cr, x + 6, y + (BOX_HEIGHT - th) / 2);
  pango_cairo_show_layout (cr, layout);
}

/* ---- public ---- */

void
aq_lineage_graph_draw (AqLineageGraph *self,
                       cairo_t        *cr,
                       int             width,
                       int             height)
{
  int min_slot = MAX_DISTANCE, max_slot = MAX_DISTANCE;
  int n_columns;
  double column_w, box_w;

  g_return_if_fail (AQ_IS_LINEAGE_GRAPH (self));

  if (self->center == NULL)
    return;
  for (int s = 0; s < 2 * MAX_DISTANCE + 1; s++)
    if (self->counts[s] > 0)
      {
        min_slot = MIN (min_slot, s);
        max_slot = MAX (max_slot, s);
      }
  n_columns = max_slot - min_slot + 1;

  /* the legend: which colour is which layer */
  {
    static const char * const layers[] = { "src", "ods", "dw", "dm", "indicator", "report", "api" };
    double x = 0;

    for (guint i = 0; i < G_N_ELEMENTS (layers); i++)
      {
        g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                                                        layers[i]);
        double r, g, b;
        int tw, th;
        GdkRGBA fg;

        layer_color (layers[i], &r, &g, &b);
        cairo_set_source_rgb (cr, r, g, b);
        rounded_rect (cr, x, 4, 12, 12, 3);
        cairo_fill (cr);
        pango_layout_get_pixel_size (layout, &tw, &th);
        G_GNUC_BEGIN_IGNORE_DEPRECATIONS
        gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
        G_GNUC_END_IGNORE_DEPRECATIONS
        cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.7);
        cairo_move_to (cr, x + 16, 10 - th / 2.0);
        pango_cairo_show_layout (cr, layout);
        x += 16 + tw + 14;
      }
    cairo_translate (cr, 0, LEGEND_HEIGHT);
    height -= LEGEND_HEIGHT;
  }
  column_w = (double) width / n_columns;
  box_w = MIN (column_w - 22, 240);

  /* place */
  for (guint i = 0; i < self->nodes->len; i++)
    {
      Node *node = g_ptr_array_index (self->nodes, i);
      int s = slot (node->distance);
      int shown = MIN (self->counts[s], MAX_PER_COLUMN) + (self->hidden[s] ? 1 : 0);
      double column_h = shown * (BOX_HEIGHT + ROW_SPACING) - ROW_SPACING;

      node->w = box_w;
      node->x = (s - min_slot) * column_w + (column_w - box_w) / 2;
      node->y = (height - column_h) / 2 + MAX (node->row, 0) * (BOX_HEIGHT + ROW_SPACING);
    }

  /* edges, under the boxes */
  cairo_set_line_width (cr, 1.2);
  for (guint i = 0; i < self->nodes->len; i++)
    {
      Node *node = g_ptr_array_index (self->nodes, i);
      Node *next = node->next ? find_node (self, node->next) : NULL;
      double x0, y0, x1, y1, r, g, b;

      if (node->row < 0 || next == NULL || next->row < 0)
        continue;
      if (node->distance < 0)
        {
          x0 = node->x + node->w;
          y0 = node->y + BOX_HEIGHT / 2;
          x1 = next->x;
          y1 = next->y + BOX_HEIGHT / 2;
        }
      else
        {
          x0 = next->x + next->w;
          y0 = next->y + BOX_HEIGHT / 2;
          x1 = node->x;
          y1 = node->y + BOX_HEIGHT / 2;
        }
      layer_color (node->layer, &r, &g, &b);
      cairo_set_source_rgba (cr, r, g, b, 0.7);
      cairo_move_to (cr, x0, y0);
      cairo_curve_to (cr, (x0 + x1) / 2, y0, (x0 + x1) / 2, y1, x1, y1);
      cairo_stroke (cr);
      /* arrow head at the reading end */
      cairo_move_to (cr, x1, y1);
      cairo_line_to (cr, x1 - 6, y1 - 3.5);
      cairo_line_to (cr, x1 - 6, y1 + 3.5);
      cairo_close_path (cr);
      cairo_fill (cr);
    }

  /* boxes */
  for (guint i = 0; i < self->nodes->len; i++)
    {
      Node *node = g_ptr_array_index (self->nodes, i);

      /* the colour says the layer: the box names the table, indicator or report */
      const char *label = strchr (node->id, ':') ? strchr (node->id, ':') + 1
                          : strchr (node->id, '.') ? strchr (node->id, '.') + 1 : node->id;

      if (node->row >= 0)
        draw_box (self, cr, label, node->layer, node->x, node->y, node->w, node->distance == 0);
    }
  for (int s = 0; s < 2 * MAX_DISTANCE + 1; s++)
    if (self->hidden[s] > 0)
      {
        /* Translators: %d is a number of tables or reports not drawn */
        g_autofree char *more = g_strdup_printf (ngettext ("+%d more", "+%d more",
                                                           self->hidden[s]), self->hidden[s]);
        int shown = MAX_PER_COLUMN + 1;
        double column_h = shown * (BOX_HEIGHT + ROW_SPACING) - ROW_SPACING;

        draw_box (self, cr, more, NULL, (s - min_slot) * column_w + (column_w - box_w) / 2,
                  (height - column_h) / 2 + MAX_PER_COLUMN * (BOX_HEIGHT + ROW_SPACING), box_w,
                  FALSE);
      }
}

void
aq_lineage_graph_set_table (AqLineageGraph       *self,
                            const AqDatasetTable *table)
{
  g_return_if_fail (AQ_IS_LINEAGE_GRAPH (self));

  g_clear_pointer (&self->center, g_free);
  g_ptr_array_set_size (self->nodes, 0);
  memset (self->counts, 0, sizeof self->counts);
  memset (self->hidden, 0, sizeof self->hidden);

  if (table != NULL)
    {
      Node *center = g_new0 (Node, 1);

      self->center = g_strdup (table->key);
      center->id = g_strdup (table->key);
      center->layer = g_strdup (table->layer);
      center->row = 0;
      g_ptr_array_add (self->nodes, center);
      self->counts[slot (0)] = 1;
      for (guint i = 0; i < table->lineage->len; i++)
        {
          AqDatasetLink *link = g_ptr_array_index (table->lineage, i);
          Node *node = g_new0 (Node, 1);
          int s = slot (link->distance);

          node->id = g_strdup (link->id);
          node->layer = g_strdup (link->layer);
          node->next = g_strdup (link->next);
          node->distance = CLAMP (link->distance, -MAX_DISTANCE, MAX_DISTANCE);
          if (self->counts[s] < MAX_PER_COLUMN)
            node->row = self->counts[s]++;
          else
            {
              node->row = -1;
              self->hidden[s]++;
            }
          g_ptr_array_add (self->nodes, node);
        }
    }
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
aq_lineage_graph_get_n_nodes (AqLineageGraph *self)
{
  g_return_val_if_fail (AQ_IS_LINEAGE_GRAPH (self), 0);

  return self->nodes->len;
}

gboolean
aq_lineage_graph_has_node (AqLineageGraph *self,
                           const char     *id)
{
  g_return_val_if_fail (AQ_IS_LINEAGE_GRAPH (self), FALSE);

  return find_node (self, id) != NULL;
}

GtkWidget *
aq_lineage_graph_new (void)
{
  return g_object_new (AQ_TYPE_LINEAGE_GRAPH, NULL);
}

/* ---- GtkWidget overrides ---- */

static void
aq_lineage_graph_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  AqLineageGraph *self = AQ_LINEAGE_GRAPH (widget);
  int rows = 1;

  for (int s = 0; s < 2 * MAX_DISTANCE + 1; s++)
    rows = MAX (rows, MIN (self->counts[s], MAX_PER_COLUMN) + (self->hidden[s] ? 1 : 0));
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = 300;
  else
    *minimum = *natural = (int) (rows * (BOX_HEIGHT + ROW_SPACING) + 24 + LEGEND_HEIGHT);
}

static void
aq_lineage_graph_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  aq_lineage_graph_draw (AQ_LINEAGE_GRAPH (widget), cr, width, height);
  cairo_destroy (cr);
}

/* ---- GObject overrides ---- */

static void
aq_lineage_graph_finalize (GObject *object)
{
  AqLineageGraph *self = AQ_LINEAGE_GRAPH (object);

  g_clear_pointer (&self->center, g_free);
  g_clear_pointer (&self->nodes, g_ptr_array_unref);

  G_OBJECT_CLASS (aq_lineage_graph_parent_class)->finalize (object);
}

static void
aq_lineage_graph_class_init (AqLineageGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = aq_lineage_graph_finalize;
  widget_class->measure = aq_lineage_graph_measure;
  widget_class->snapshot = aq_lineage_graph_snapshot;
  gtk_widget_class_set_css_name (widget_class, "lineage-graph");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
aq_lineage_graph_init (AqLineageGraph *self)
{
  self->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
}
