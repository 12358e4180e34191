/* aq-pipeline-step-form.c — the form of one step, generated from the step schema
 *
 * One row per member of the step's type (aq-pipeline-schema.c): text members get an entry,
 * SQL members a GtkSourceView with SQL highlighting, choices a drop-down, booleans a switch,
 * lists of column names an entry of comma-separated names, and the structured members (lists
 * of objects, mappings) a JSON source view. Members that name columns get a menu of the
 * columns flowing into the step. Every change goes straight to the graph (typing into one
 * member is one undo step there); under each row, the problems validation pins on that member.
 */
#define G_LOG_DOMAIN "aq-pipeline-step-form"

#include "config.h"

#include "aq-pipeline-step-form.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>
#include <string.h>

#include "aq-json-reader.h"
#include "aq-pipeline-schema.h"
#include "aq-pipeline-validate.h"

typedef struct
{
  AqPipelineStepForm     *form;
  const AqPipelineMember *member;
  GtkWidget              *editor;
  GtkLabel               *error;
  char                   *json_error;   /* the text is not JSON (structured members) */
} Row;

struct _AqPipelineStepForm
{
  GtkWidget        parent_instance;

  GtkBox          *box;
  AqPipelineGraph *graph;
  char            *step_id;
  GPtrArray       *rows;         /* (element-type Row) */
  GtkLabel        *step_error;   /* problems of the step as a whole */
  GtkEntry        *id_entry;
  guint            editing;      /* > 0 while the form writes to the graph */
};

G_DEFINE_FINAL_TYPE (AqPipelineStepForm, aq_pipeline_step_form, GTK_TYPE_WIDGET)

enum { STEP_RENAMED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- auxiliary methods ---- */

static void
row_free (Row *row)
{
  g_free (row->json_error);
  g_free (row);
}

static void
set_member (Row      *row,
            JsonNode *value)
{
  AqPipelineStepForm *self = row->form;

  self->editing++;
  aq_pipeline_graph_set_member (self->graph, self->step_id, row->member->name, value);
  self->editing--;
}

static void
set_string (Row        *row,
            const char *text)
{
  AqPipelineStepForm *self = row->form;

  self->editing++;
  aq_pipeline_graph_set_member_string (self->graph, self->step_id, row->member->name,
                                       text && *text ? text : NULL);
  self->editing--;
}

static JsonNode *
current_value (AqPipelineStepForm *self,
               const char         *member)
{
  JsonObject *step = aq_pipeline_graph_get_step (self->graph, self->step_id);

  return step ? json_object_get_member (step, member) : NULL;
}

/* The member's value as the editor shows it. */
static char *
value_text (JsonNode               *node,
            const AqPipelineMember *member)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (JSON_NODE_HOLDS_ARRAY (node)
      && (member->kind == AQ_PIPELINE_MEMBER_COLUMNS || member->kind == AQ_PIPELINE_MEMBER_STRINGS
          || member->kind == AQ_PIPELINE_MEMBER_SQL))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (i > 0)
            g_string_append (text, member->kind == AQ_PIPELINE_MEMBER_SQL ? "\n" : ", ");
          if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
            g_string_append (text, json_node_get_string (item));
        }
      return g_string_free (g_steal_pointer (&text), FALSE);
    }
  return json_to_string (node, TRUE);
}

static void
update_row_error (Row       *row,
                  GPtrArray *problems)
{
  g_autoptr(GString) text = g_string_new (row->json_error);

  for (guint i = 0; problems && i < problems->len; i++)
    {
      AqPipelineProblem *problem = g_ptr_array_index (problems, i);

      if (g_strcmp0 (problem->step_id, row->form->step_id) == 0
          && g_strcmp0 (problem->member, row->member->name) == 0)
        g_string_append_printf (text, "%s%s", text->len ? "\n" : "", problem->message);
    }
  gtk_label_set_text (row->error, text->str);
  gtk_widget_set_visible (GTK_WIDGET (row->error), text->len > 0);
  if (text->len > 0)
    gtk_widget_add_css_class (row->editor, "error");
  else
    gtk_widget_remove_css_class (row->editor, "error");
}

/* ---- callbacks ---- */

static void
entry_changed_cb (GtkEditable *editable,
                  Row         *row)
{
  set_string (row, gtk_editable_get_text (editable));
}

static void
names_changed_cb (GtkEditable *editable,
                  Row         *row)
{
  g_auto(GStrv) parts = g_strsplit (gtk_editable_get_text (editable), ",", -1);
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array = json_array_new ();

  for (guint i = 0; parts[i]; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i])
        json_array_add_string_element (array, parts[i]);
    }
  if (json_array_get_length (array) == 0)
    {
      json_array_unref (array);
      set_member (row, NULL);
      return;
    }
  node = json_node_init_array (json_node_alloc (), array);
  json_array_unref (array);
  set_member (row, node);
}

static void
sql_changed_cb (GtkTextBuffer *buffer,
                Row           *row)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  set_string (row, text);
}

static void
json_changed_cb (GtkTextBuffer *buffer,
                 Row           *row)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_clear_pointer (&row->json_error, g_free);
  g_strstrip (text);
  if (*text == '\0')
    set_member (row, NULL);
  else if ((node = aq_json_read (text, -1, AQ_JSON_LIMIT_DEFINITION, &error)) == NULL)
    {
      row->json_error = g_strdup_printf (_("Not valid JSON yet: %s"), error->message);
      update_row_error (row, NULL);
    }
  else
    set_member (row, node);
}

static void
switch_cb (GtkSwitch  *widget,
           GParamSpec *pspec,
           Row        *row)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

  json_node_set_boolean (node, gtk_switch_get_active (widget));
  set_member (row, node);
}

static void
choice_cb (GtkDropDown *dropdown,
           GParamSpec  *pspec,
           Row         *row)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  /* the first item is “as the engine defaults” */
  set_string (row, selected == 0 || selected == GTK_INVALID_LIST_POSITION
                   ? NULL : row->member->choices[selected - 1]);
}

static void
id_activate_cb (GtkEntry           *entry,
                AqPipelineStepForm *self)
{
  const char *new_id = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *old_id = g_strdup (self->step_id);

  if (g_strcmp0 (new_id, old_id) == 0)
    return;
  self->editing++;
  if (aq_pipeline_graph_set_member_string (self->graph, old_id, "id", new_id))
    {
      g_free (self->step_id);
      self->step_id = g_strdup (new_id);
      gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
      self->editing--;
      g_signal_emit (self, signals[STEP_RENAMED], 0, new_id);
      return;
    }
  self->editing--;
  gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
}

/* A column picked from the menu: into an entry (appended to a list of names). */
static void
column_picked_cb (GtkButton *button,
                  Row       *row)
{
  const char *name = gtk_button_get_label (button);
  GtkEditable *editable = GTK_EDITABLE (row->editor);
  const char *text = gtk_editable_get_text (editable);

  if (row->member->kind == AQ_PIPELINE_MEMBER_COLUMNS && text && *text)
    {
      g_autofree char *joined = g_strdup_printf ("%s, %s", text, name);

      gtk_editable_set_text (editable, joined);
    }
  else
    gtk_editable_set_text (editable, name);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (g_object_get_data (G_OBJECT (button), "menu")));
}

/* ---- building the form ---- */

static GtkWidget *
source_view (const char *language_id,
             const char *text,
             int         height)
{
  GtkSourceLanguageManager *manager = gtk_source_language_manager_get_default ();
  GtkSourceBuffer *buffer = gtk_source_buffer_new_with_language (
    gtk_source_language_manager_get_language (manager, language_id));
  GtkWidget *view = gtk_source_view_new_with_buffer (buffer);
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (buffer), text, -1);
  gtk_source_view_set_show_line_numbers (GTK_SOURCE_VIEW (view), FALSE);
  gtk_source_view_set_tab_width (GTK_SOURCE_VIEW (view), 2);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 4);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), height);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_add_css_class (scrolled, "card");
  g_object_unref (buffer);
  return scrolled;
}

static GtkWidget *
column_menu (Row                *row,
             const char * const *columns)
{
  GtkWidget *menu = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu), "view-list-symbolic");
  gtk_widget_set_tooltip_text (menu, _("Columns flowing into this step"));
  for (guint i = 0; columns && columns[i]; i++)
    {
      GtkWidget *button = gtk_button_new_with_label (columns[i]);

      gtk_widget_add_css_class (button, "flat");
      g_object_set_data (G_OBJECT (button), "menu", menu);
      g_signal_connect (button, "clicked", G_CALLBACK (column_picked_cb), row);
      gtk_box_append (GTK_BOX (list), button);
    }
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 300);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_popover_set_child (GTK_POPOVER (popover), scrolled);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (menu), popover);
  gtk_widget_set_sensitive (menu, columns && columns[0]);
  return menu;
}

static void
add_row (AqPipelineStepForm     *self,
         const AqPipelineMember *member,
         const char * const     *columns)
{
  Row *row = g_new0 (Row, 1);
  JsonNode *value = current_value (self, member->name);
  g_autofree char *text = value_text (value, member);
  g_autofree char *title = g_strdup_printf ("%s%s", _(member->label), member->required ? " *" : "");
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *shown;

  row->form = self;
  row->member = member;
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_tooltip_text (label, member->name);
  gtk_box_append (self->box, label);

  switch (member->kind)
    {
    case AQ_PIPELINE_MEMBER_SQL:
      shown = source_view ("sql", text, member->required ? 120 : 60);
      row->editor = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (shown));
      g_signal_connect (gtk_text_view_get_buffer (GTK_TEXT_VIEW (row->editor)), "changed",
                        G_CALLBACK (sql_changed_cb), row);
      break;
    case AQ_PIPELINE_MEMBER_LIST:
    case AQ_PIPELINE_MEMBER_OBJECT:
    case AQ_PIPELINE_MEMBER_MAPPING:
    case AQ_PIPELINE_MEMBER_SCALAR:
    case AQ_PIPELINE_MEMBER_JSON:
      shown = source_view ("json", text, 90);
      row->editor = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (shown));
      g_signal_connect (gtk_text_view_get_buffer (GTK_TEXT_VIEW (row->editor)), "changed",
                        G_CALLBACK (json_changed_cb), row);
      break;
    case AQ_PIPELINE_MEMBER_BOOLEAN:
      row->editor = shown = gtk_switch_new ();
      gtk_widget_set_halign (shown, GTK_ALIGN_START);
      gtk_switch_set_active (GTK_SWITCH (shown), value && JSON_NODE_HOLDS_VALUE (value)
                                                 && json_node_get_value_type (value) == G_TYPE_BOOLEAN
                                                 && json_node_get_boolean (value));
      g_signal_connect (shown, "notify::active", G_CALLBACK (switch_cb), row);
      break;
    case AQ_PIPELINE_MEMBER_CHOICE:
      {
        g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
        guint selected = 0;

        gtk_string_list_append (model, _("(default)"));
        for (guint i = 0; member->choices[i]; i++)
          {
            gtk_string_list_append (model, member->choices[i]);
            if (g_strcmp0 (text, member->choices[i]) == 0)
              selected = i + 1;
          }
        row->editor = shown = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&model)), NULL);
        gtk_drop_down_set_selected (GTK_DROP_DOWN (shown), selected);
        g_signal_connect (shown, "notify::selected", G_CALLBACK (choice_cb), row);
      }
      break;
    case AQ_PIPELINE_MEMBER_COLUMNS:
    case AQ_PIPELINE_MEMBER_STRINGS:
      row->editor = gtk_entry_new ();
      gtk_editable_set_text (GTK_EDITABLE (row->editor), text);
      gtk_entry_set_placeholder_text (GTK_ENTRY (row->editor), _("names, separated by commas"));
      g_signal_connect (row->editor, "changed", G_CALLBACK (names_changed_cb), row);
      shown = row->editor;
      break;
    case AQ_PIPELINE_MEMBER_TEXT:
    case AQ_PIPELINE_MEMBER_TABLE:
    case AQ_PIPELINE_MEMBER_COLUMN:
    case AQ_PIPELINE_MEMBER_TYPE:
    default:
      row->editor = gtk_entry_new ();
      gtk_editable_set_text (GTK_EDITABLE (row->editor), text);
      if (member->kind == AQ_PIPELINE_MEMBER_TABLE)
        gtk_entry_set_placeholder_text (GTK_ENTRY (row->editor), _("schema.table"));
      g_signal_connect (row->editor, "changed", G_CALLBACK (entry_changed_cb), row);
      shown = row->editor;
      break;
    }
  gtk_widget_set_hexpand (shown, TRUE);
  gtk_box_append (GTK_BOX (line), shown);
  if (member->kind == AQ_PIPELINE_MEMBER_COLUMN || member->kind == AQ_PIPELINE_MEMBER_COLUMNS)
    gtk_box_append (GTK_BOX (line), column_menu (row, columns));
  gtk_box_append (self->box, line);

  row->error = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (row->error, 0);
  gtk_label_set_wrap (row->error, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (row->error), "error");
  gtk_widget_add_css_class (GTK_WIDGET (row->error), "caption");
  gtk_widget_set_visible (GTK_WIDGET (row->error), FALSE);
  gtk_box_append (self->box, GTK_WIDGET (row->error));
  g_ptr_array_add (self->rows, row);
}

static void
clear (AqPipelineStepForm *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->box))) != NULL)
    gtk_box_remove (self->box, child);
  g_ptr_array_set_size (self->rows, 0);
  self->step_error = NULL;
  self->id_entry = NULL;
}

/* ---- GObject overrides ---- */

static void
aq_pipeline_step_form_dispose (GObject *object)
{
  AqPipelineStepForm *self = AQ_PIPELINE_STEP_FORM (object);

  if (self->box)
    {
      clear (self);
      gtk_widget_unparent (GTK_WIDGET (self->box));
      self->box = NULL;
    }
  g_clear_object (&self->graph);

  G_OBJECT_CLASS (aq_pipeline_step_form_parent_class)->dispose (object);
}

static void
aq_pipeline_step_form_finalize (GObject *object)
{
  AqPipelineStepForm *self = AQ_PIPELINE_STEP_FORM (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->step_id, g_free);

  G_OBJECT_CLASS (aq_pipeline_step_form_parent_class)->finalize (object);
}

static void
aq_pipeline_step_form_class_init (AqPipelineStepFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_pipeline_step_form_dispose;
  object_class->finalize = aq_pipeline_step_form_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  /* the id was changed in the form: the canvas selects the step by its new id */
  signals[STEP_RENAMED] = g_signal_new ("step-renamed", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_source_init ();
}

static void
aq_pipeline_step_form_init (AqPipelineStepForm *self)
{
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  self->box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 4));
  gtk_widget_set_margin_start (GTK_WIDGET (self->box), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->box), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->box), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->box), 12);
  gtk_widget_set_parent (GTK_WIDGET (self->box), GTK_WIDGET (self));
}

/* ---- public API ---- */

GtkWidget *
aq_pipeline_step_form_new (void)
{
  return g_object_new (AQ_TYPE_PIPELINE_STEP_FORM, NULL);
}

/**
 * aq_pipeline_step_form_set_step:
 * @step_id: (nullable): the step to edit, or NULL for none
 * @input_columns: (nullable): the columns flowing into it, for the column menus
 *
 * Builds the form again from the step's members as the graph has them now.
 */
void
aq_pipeline_step_form_set_step (AqPipelineStepForm *self,
                                AqPipelineGraph    *graph,
                                const char         *step_id,
                                const char * const *input_columns)
{
  const AqPipelineStepSchema *schema;
  GtkWidget *title;
  GtkWidget *label;

  g_return_if_fail (AQ_IS_PIPELINE_STEP_FORM (self));

  clear (self);
  g_set_object (&self->graph, graph);
  g_free (self->step_id);
  self->step_id = g_strdup (step_id);
  if (graph == NULL || step_id == NULL || aq_pipeline_graph_find_step (graph, step_id) < 0)
    {
      label = gtk_label_new (_("Select a step to edit it, or drag one from the palette."));
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (self->box, label);
      return;
    }
  schema = aq_pipeline_schema_lookup (aq_pipeline_graph_get_step_type (graph, step_id));

  title = gtk_label_new (schema ? _(schema->label) : aq_pipeline_graph_get_step_type (graph, step_id));
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "title-3");
  gtk_box_append (self->box, title);

  label = gtk_label_new (_("Id"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (self->box, label);
  self->id_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_editable_set_text (GTK_EDITABLE (self->id_entry), step_id);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->id_entry), _("Press Enter to rename the step"));
  g_signal_connect (self->id_entry, "activate", G_CALLBACK (id_activate_cb), self);
  gtk_box_append (self->box, GTK_WIDGET (self->id_entry));

  self->step_error = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->step_error, 0);
  gtk_label_set_wrap (self->step_error, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->step_error), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->step_error), FALSE);
  gtk_box_append (self->box, GTK_WIDGET (self->step_error));

  for (const AqPipelineMember *m = schema ? schema->members : NULL; m && m->name; m++)
    add_row (self, m, input_columns);
}

const char *
aq_pipeline_step_form_get_step (AqPipelineStepForm *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_STEP_FORM (self), NULL);
  return self->step_id;
}

/* Whether the graph's change comes from this form (then it is not built again). */
gboolean
aq_pipeline_step_form_is_editing (AqPipelineStepForm *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_STEP_FORM (self), FALSE);
  return self->editing > 0;
}

/* Shows under each member what validation pins on it; above, what is about the step. */
void
aq_pipeline_step_form_set_problems (AqPipelineStepForm *self,
                                    GPtrArray          *problems)
{
  g_autoptr(GString) general = g_string_new (NULL);

  g_return_if_fail (AQ_IS_PIPELINE_STEP_FORM (self));

  for (guint i = 0; i < self->rows->len; i++)
    update_row_error (g_ptr_array_index (self->rows, i), problems);
  if (self->step_error == NULL)
    return;
  for (guint i = 0; problems && i < problems->len; i++)
    {
      AqPipelineProblem *problem = g_ptr_array_index (problems, i);
      gboolean shown = FALSE;

      if (g_strcmp0 (problem->step_id, self->step_id) != 0)
        continue;
      for (guint r = 0; r < self->rows->len && problem->member; r++)
        shown |= g_strcmp0 (((Row *) g_ptr_array_index (self->rows, r))->member->name,
                            problem->member) == 0;
      if (!shown)
        g_string_append_printf (general, "%s%s", general->len ? "\n" : "", problem->message);
    }
  gtk_label_set_text (self->step_error, general->str);
  gtk_widget_set_visible (GTK_WIDGET (self->step_error), general->len > 0);
}

/* Returns: (transfer none) (nullable): the widget that edits @member ("id" for the id) */
GtkWidget *
aq_pipeline_step_form_get_editor (AqPipelineStepForm *self,
                                  const char         *member)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_STEP_FORM (self), NULL);

  if (g_strcmp0 (member, "id") == 0)
    return GTK_WIDGET (self->id_entry);
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);

      if (g_strcmp0 (row->member->name, member) == 0)
        return row->editor;
    }
  return NULL;
}

/* The error shown under @member, or NULL when there is none. */
const char *
aq_pipeline_step_form_get_error (AqPipelineStepForm *self,
                                 const char         *member)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_STEP_FORM (self), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);

      if (g_strcmp0 (row->member->name, member) == 0)
        return gtk_widget_get_visible (GTK_WIDGET (row->error))
               ? gtk_label_get_text (row->error) : NULL;
    }
  return NULL;
}
