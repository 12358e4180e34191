/* aq-reveal-dialog.c — a supervisor says why a customer's personal data must be shown
 *
 * "Reveal" stays disabled until the reason holds more than blanks: core refuses an empty
 * reason too (aq_customer_reveal()), but a button that cannot succeed should not be offered.
 */
#define G_LOG_DOMAIN "aq-reveal-dialog"

#include "config.h"

#include "aq-reveal-dialog.h"

#include <glib/gi18n.h>

struct _AqRevealDialog
{
  AdwMessageDialog  parent_instance;

  GtkEntry         *reason_entry;
};

G_DEFINE_FINAL_TYPE (AqRevealDialog, aq_reveal_dialog, ADW_TYPE_MESSAGE_DIALOG)

/* ---- callbacks ---- */

static void
reason_changed_cb (AqRevealDialog *self)
{
  g_autofree char *reason = aq_reveal_dialog_dup_reason (self);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "reveal", *reason != '\0');
}

/* ---- GObject overrides ---- */

static void
aq_reveal_dialog_class_init (AqRevealDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-reveal-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AqRevealDialog, reason_entry);
  gtk_widget_class_bind_template_callback (widget_class, reason_changed_cb);
}

static void
aq_reveal_dialog_init (AqRevealDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ---- public API ---- */

AqRevealDialog *
aq_reveal_dialog_new (GtkWindow *parent)
{
  return g_object_new (AQ_TYPE_REVEAL_DIALOG, "transient-for", parent, NULL);
}

/* Returns: (transfer full): the reason typed, without surrounding blanks */
char *
aq_reveal_dialog_dup_reason (AqRevealDialog *self)
{
  g_return_val_if_fail (AQ_IS_REVEAL_DIALOG (self), NULL);
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_entry))));
}

void
aq_reveal_dialog_set_reason (AqRevealDialog *self,
                             const char     *reason)
{
  g_return_if_fail (AQ_IS_REVEAL_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->reason_entry), reason ? reason : "");
}
