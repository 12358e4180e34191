/* aq-report-catalog-view.c — the indicator catalog as a searchable tree
 *
 * A GtkListView over a GtkTreeListModel: categories, then their dimensions and indicators.
 * Searching rebuilds the root with only the matching fields under their categories, expanded
 * (a catalog holds a few hundred entries, not worth a filter model per level). Every field row
 * is a drag source carrying the catalog's AqReportFieldItem; the zones copy it. The keyboard way:
 * the row's context menu (right click, Menu, Shift+F10) and the panel's Alt+R/C/V/F act on the
 * selected field through the "report.add-field" action; Enter adds it where it usually goes.
 */
#define G_LOG_DOMAIN "aq-report-catalog-view"

#include "config.h"

#include "aq-report-catalog-view.h"

#include <glib/gi18n.h>

struct _AqReportCatalogView
{
  GtkWidget           parent_instance;

  GtkSearchEntry     *search_entry;
  GtkListView        *list_view;
  GtkPopoverMenu     *context_menu;

  GListModel         *categories;
  GtkSingleSelection *selection;
};

G_DEFINE_FINAL_TYPE (AqReportCatalogView, aq_report_catalog_view, GTK_TYPE_WIDGET)

/* ---- auxiliary methods ---- */

static GListModel *
create_children_cb (gpointer item,
                    gpointer user_data)
{
  GListStore *children = aq_report_field_item_get_children (AQ_REPORT_FIELD_ITEM (item));

  return children ? g_object_ref (G_LIST_MODEL (children)) : NULL;
}

static void
refilter (AqReportCatalogView *self)
{
  const char *needle = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(GListStore) root = g_list_store_new (AQ_TYPE_REPORT_FIELD_ITEM);
  GtkTreeListModel *tree;
  guint n = self->categories ? g_list_model_get_n_items (self->categories) : 0;
  gboolean searching = needle != NULL && *needle != '\0';

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AqReportFieldItem) category = g_list_model_get_item (self->categories, i);
      GListModel *fields = G_LIST_MODEL (aq_report_field_item_get_children (category));
      g_autoptr(AqReportFieldItem) shown = NULL;
      gboolean whole = !searching || aq_report_field_item_matches (category, needle);

      if (whole)
        {
          g_list_store_append (root, category);
          continue;
        }
      shown = aq_report_field_item_new (AQ_REPORT_FIELD_ITEM_CATEGORY,
                                        aq_report_field_item_get_id (category),
                                        aq_report_field_item_get_label (category));
      for (guint j = 0; fields != NULL && j < g_list_model_get_n_items (fields); j++)
        {
          g_autoptr(AqReportFieldItem) field = g_list_model_get_item (fields, j);

          if (aq_report_field_item_matches (field, needle))
            g_list_store_append (aq_report_field_item_get_children (shown), field);
        }
      if (g_list_model_get_n_items (G_LIST_MODEL (aq_report_field_item_get_children (shown))) > 0)
        g_list_store_append (root, shown);
    }

  tree = gtk_tree_list_model_new (G_LIST_MODEL (g_steal_pointer (&root)), FALSE, searching,
                                  create_children_cb, NULL, NULL);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (tree));
  g_object_unref (tree);
}

static AqReportFieldItem *
item_field (GtkListItem *item)
{
  GtkTreeListRow *row = gtk_list_item_get_item (item);

  return row ? AQ_REPORT_FIELD_ITEM (gtk_tree_list_row_get_item (row)) : NULL;
}

/* ---- callbacks ---- */

static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source,
                 double         x,
                 double         y,
                 GtkListItem   *item)
{
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  g_autoptr(AqReportFieldItem) field = NULL;

  if (row == NULL)
    return NULL;
  field = gtk_tree_list_row_get_item (row);
  if (aq_report_field_item_get_kind (field) == AQ_REPORT_FIELD_ITEM_CATEGORY)
    return NULL;
  return gdk_content_provider_new_typed (AQ_TYPE_REPORT_FIELD_ITEM, field);
}

static void
drag_begin_cb (GtkDragSource *source,
               GdkDrag       *drag,
               GtkListItem   *item)
{
  g_autoptr(GdkPaintable) paintable =
    gtk_widget_paintable_new (gtk_list_item_get_child (item));

  gtk_drag_source_set_icon (source, paintable, 0, 0);
}

static void
context_pressed_cb (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    GtkListItem     *item)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  AqReportCatalogView *self =
    AQ_REPORT_CATALOG_VIEW (gtk_widget_get_ancestor (widget, AQ_TYPE_REPORT_CATALOG_VIEW));
  g_autoptr(AqReportFieldItem) field = item_field (item);
  graphene_point_t point;

  if (field == NULL || aq_report_field_item_get_kind (field) == AQ_REPORT_FIELD_ITEM_CATEGORY)
    return;
  gtk_single_selection_set_selected (self->selection, gtk_list_item_get_position (item));
  if (!gtk_widget_compute_point (widget, GTK_WIDGET (self), &GRAPHENE_POINT_INIT (x, y), &point))
    return;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                               &(GdkRectangle) { point.x, point.y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          AqReportCatalogView      *self)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);
  GtkDragSource *source = gtk_drag_source_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (item, expander);

  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  g_signal_connect (source, "prepare", G_CALLBACK (drag_prepare_cb), item);
  g_signal_connect (source, "drag-begin", G_CALLBACK (drag_begin_cb), item);
  gtk_widget_add_controller (expander, GTK_EVENT_CONTROLLER (source));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (context_pressed_cb), item);
  gtk_widget_add_controller (expander, GTK_EVENT_CONTROLLER (click));
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         AqReportCatalogView      *self)
{
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  GtkWidget *expander = gtk_list_item_get_child (item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  GtkWidget *icon = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_next_sibling (icon);
  AqReportFieldItem *field = AQ_REPORT_FIELD_ITEM (gtk_tree_list_row_get_item (row));
  AqReportFieldItemKind kind = aq_report_field_item_get_kind (field);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  gtk_label_set_label (GTK_LABEL (label), aq_report_field_item_get_label (field));
  gtk_widget_set_tooltip_text (expander, aq_report_field_item_get_description (field));
  gtk_image_set_from_icon_name (GTK_IMAGE (icon),
                                kind == AQ_REPORT_FIELD_ITEM_CATEGORY ? "folder-symbolic"
                                : kind == AQ_REPORT_FIELD_ITEM_INDICATOR
                                ? "accessories-calculator-symbolic" : "view-list-symbolic");
  gtk_widget_set_name (expander, aq_report_field_item_get_id (field));
  if (kind == AQ_REPORT_FIELD_ITEM_CATEGORY)
    gtk_widget_add_css_class (label, "heading");
  else
    gtk_widget_remove_css_class (label, "heading");
  g_object_unref (field);
}

static void
activate_cb (AqReportCatalogView *self,
             guint                position)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->selection),
                                                         position);
  g_autoptr(AqReportFieldItem) field = NULL;

  if (row == NULL)
    return;
  field = gtk_tree_list_row_get_item (row);
  if (aq_report_field_item_get_kind (field) == AQ_REPORT_FIELD_ITEM_CATEGORY)
    {
      gtk_tree_list_row_set_expanded (row, !gtk_tree_list_row_get_expanded (row));
      return;
    }
  gtk_widget_activate_action (GTK_WIDGET (self), "report.add-field", "s",
                              aq_report_field_item_get_kind (field)
                              == AQ_REPORT_FIELD_ITEM_INDICATOR ? "values" : "rows");
}

static void
search_changed_cb (AqReportCatalogView *self)
{
  refilter (self);
}

static void
menu_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AqReportCatalogView *self = AQ_REPORT_CATALOG_VIEW (widget);
  g_autoptr(AqReportFieldItem) field = aq_report_catalog_view_get_selected (self);
  GtkWidget *focus;
  graphene_point_t point = GRAPHENE_POINT_INIT (12, 12);

  if (field == NULL)
    return;
  focus = gtk_root_get_focus (gtk_widget_get_root (widget));
  if (focus == NULL || !gtk_widget_is_ancestor (focus, widget)
      || !gtk_widget_compute_point (focus, widget, &GRAPHENE_POINT_INIT (12, 12), &point))
    point = GRAPHENE_POINT_INIT (12, 12);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                               &(GdkRectangle) { point.x, point.y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

/* ---- GObject overrides ---- */

static void
aq_report_catalog_view_dispose (GObject *object)
{
  AqReportCatalogView *self = AQ_REPORT_CATALOG_VIEW (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), AQ_TYPE_REPORT_CATALOG_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->categories);
  g_clear_object (&self->selection);

  G_OBJECT_CLASS (aq_report_catalog_view_parent_class)->dispose (object);
}

static void
aq_report_catalog_view_class_init (AqReportCatalogViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_report_catalog_view_dispose;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/org/aqueduct/Aqueduct/ui/aq-report-catalog-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AqReportCatalogView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AqReportCatalogView, list_view);
  gtk_widget_class_bind_template_child (widget_class, AqReportCatalogView, context_menu);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, activate_cb);

  gtk_widget_class_install_action (widget_class, "catalog.menu", NULL, menu_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                       "catalog.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "catalog.menu", NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
aq_report_catalog_view_init (AqReportCatalogView *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->list_view));
}

/* ---- public API ---- */

/* @categories: AqReportFieldItem categories whose children are the fields */
void
aq_report_catalog_view_set_categories (AqReportCatalogView *self,
                                       GListModel          *categories)
{
  g_return_if_fail (AQ_IS_REPORT_CATALOG_VIEW (self));

  g_set_object (&self->categories, categories);
  refilter (self);
}

/* Returns: (transfer full) (nullable): the selected field, NULL when a category or nothing */
AqReportFieldItem *
aq_report_catalog_view_get_selected (AqReportCatalogView *self)
{
  GtkTreeListRow *row;
  AqReportFieldItem *field;

  g_return_val_if_fail (AQ_IS_REPORT_CATALOG_VIEW (self), NULL);

  row = gtk_single_selection_get_selected_item (self->selection);
  if (row == NULL)
    return NULL;
  field = gtk_tree_list_row_get_item (row);
  if (aq_report_field_item_get_kind (field) == AQ_REPORT_FIELD_ITEM_CATEGORY)
    g_clear_object (&field);
  return field;
}

/* Returns: (transfer none) (nullable): the catalog's field with this id */
AqReportFieldItem *
aq_report_catalog_view_find (AqReportCatalogView *self,
                             const char          *field_id)
{
  guint n;

  g_return_val_if_fail (AQ_IS_REPORT_CATALOG_VIEW (self), NULL);

  n = self->categories ? g_list_model_get_n_items (self->categories) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AqReportFieldItem) category = g_list_model_get_item (self->categories, i);
      GListModel *fields = G_LIST_MODEL (aq_report_field_item_get_children (category));

      for (guint j = 0; j < g_list_model_get_n_items (fields); j++)
        {
          g_autoptr(AqReportFieldItem) field = g_list_model_get_item (fields, j);

          if (g_str_equal (aq_report_field_item_get_id (field), field_id))
            return field;
        }
    }
  return NULL;
}

/* Selects (expanding its category) the field with this id. */
gboolean
aq_report_catalog_view_select (AqReportCatalogView *self,
                               const char          *field_id)
{
  GListModel *model;

  g_return_val_if_fail (AQ_IS_REPORT_CATALOG_VIEW (self), FALSE);

  model = G_LIST_MODEL (self->selection);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (model, i);
      g_autoptr(AqReportFieldItem) field = gtk_tree_list_row_get_item (row);

      if (aq_report_field_item_get_kind (field) == AQ_REPORT_FIELD_ITEM_CATEGORY)
        {
          GListModel *children = G_LIST_MODEL (aq_report_field_item_get_children (field));

          for (guint j = 0; j < g_list_model_get_n_items (children); j++)
            {
              g_autoptr(AqReportFieldItem) child = g_list_model_get_item (children, j);

              if (g_str_equal (aq_report_field_item_get_id (child), field_id))
                gtk_tree_list_row_set_expanded (row, TRUE);
            }
          continue;
        }
      if (g_str_equal (aq_report_field_item_get_id (field), field_id))
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }
  return FALSE;
}

GtkWidget *
aq_report_catalog_view_get_search_entry (AqReportCatalogView *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_CATALOG_VIEW (self), NULL);
  return GTK_WIDGET (self->search_entry);
}

/* the rows the tree shows now (categories and expanded fields) */
guint
aq_report_catalog_view_get_n_visible (AqReportCatalogView *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_CATALOG_VIEW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->selection));
}
