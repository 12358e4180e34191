/* aq-sidebar.c — the list of panels, with their icons
 *
 * GtkStackSidebar shows no icons, so this is a navigation-sidebar list box over the stack's
 * pages: one row per page (named after it), kept in step with the visible page both ways.
 */
#define G_LOG_DOMAIN "aq-sidebar"

#include "config.h"

#include "aq-sidebar.h"

struct _AqSidebar
{
  GtkWidget   parent_instance;

  GtkListBox *list_box;

  GtkStack   *stack;
  gulong      visible_child_handler;
};

G_DEFINE_FINAL_TYPE (AqSidebar, aq_sidebar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STACK,
  N_PROPS
};

enum {
  ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- auxiliary methods ---- */

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  GtkStackPage *page = item;
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *image;
  GtkWidget *label;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  image = gtk_image_new ();
  label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);

  g_object_bind_property (page, "icon-name", image, "icon-name", G_BINDING_SYNC_CREATE);
  g_object_bind_property (page, "title", label, "label", G_BINDING_SYNC_CREATE);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_name (row, gtk_stack_page_get_name (page));
  return row;
}

static void
select_visible_page (AqSidebar *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);

  for (int i = 0;; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list_box, i);

      if (row == NULL)
        break;
      if (g_strcmp0 (gtk_widget_get_name (GTK_WIDGET (row)), name) == 0)
        {
          gtk_list_box_select_row (self->list_box, row);
          break;
        }
    }
}

/* ---- callbacks ---- */

static void
visible_child_cb (AqSidebar *self)
{
  select_visible_page (self);
}

static void
row_activated_cb (GtkListBox    *list_box,
                  GtkListBoxRow *row,
                  AqSidebar     *self)
{
  if (self->stack != NULL)
    gtk_stack_set_visible_child_name (self->stack, gtk_widget_get_name (GTK_WIDGET (row)));
  g_signal_emit (self, signals[ACTIVATED], 0);
}

/* ---- GObject overrides ---- */

static void
aq_sidebar_dispose (GObject *object)
{
  AqSidebar *self = AQ_SIDEBAR (object);
  GtkWidget *child;

  aq_sidebar_set_stack (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), AQ_TYPE_SIDEBAR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (aq_sidebar_parent_class)->dispose (object);
}

static void
aq_sidebar_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  AqSidebar *self = AQ_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_STACK:
      g_value_set_object (value, self->stack);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_sidebar_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  AqSidebar *self = AQ_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_STACK:
      aq_sidebar_set_stack (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_sidebar_class_init (AqSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_sidebar_dispose;
  object_class->get_property = aq_sidebar_get_property;
  object_class->set_property = aq_sidebar_set_property;

  properties[PROP_STACK] =
    g_param_spec_object ("stack", NULL, NULL,
                         GTK_TYPE_STACK,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AqSidebar::activated:
   *
   * The user picked a panel: a folded window hides the sidebar again.
   */
  signals[ACTIVATED] =
    g_signal_new ("activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-sidebar.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "aqsidebar");
  gtk_widget_class_bind_template_child (widget_class, AqSidebar, list_box);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
}

static void
aq_sidebar_init (AqSidebar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ---- public API ---- */

GtkStack *
aq_sidebar_get_stack (AqSidebar *self)
{
  g_return_val_if_fail (AQ_IS_SIDEBAR (self), NULL);
  return self->stack;
}

void
aq_sidebar_set_stack (AqSidebar *self,
                      GtkStack  *stack)
{
  g_autoptr(GtkSelectionModel) pages = NULL;

  g_return_if_fail (AQ_IS_SIDEBAR (self));
  g_return_if_fail (!stack || GTK_IS_STACK (stack));

  if (self->stack == stack)
    return;

  if (self->stack != NULL)
    {
      g_clear_signal_handler (&self->visible_child_handler, self->stack);
      if (self->list_box != NULL)
        gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);
    }
  g_set_object (&self->stack, stack);

  if (self->stack != NULL)
    {
      pages = gtk_stack_get_pages (self->stack);
      gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (pages), create_row_cb, self,
                               NULL);
      self->visible_child_handler =
        g_signal_connect_object (self->stack, "notify::visible-child",
                                 G_CALLBACK (visible_child_cb), self, G_CONNECT_SWAPPED);
      select_visible_page (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STACK]);
}

GtkListBox *
aq_sidebar_get_list_box (AqSidebar *self)
{
  g_return_val_if_fail (AQ_IS_SIDEBAR (self), NULL);
  return self->list_box;
}
