/* aq-report-chip.h — a field placed in a zone: its name, an optional menu, a remove button */
#pragma once

#include <gtk/gtk.h>

#include "aq-report-field-item.h"

G_BEGIN_DECLS

#define AQ_TYPE_REPORT_CHIP (aq_report_chip_get_type ())
G_DECLARE_FINAL_TYPE (AqReportChip, aq_report_chip, AQ, REPORT_CHIP, GtkWidget)

typedef GtkWidget *(*AqReportChipPopoverFunc) (AqReportChip *chip,
                                               GtkPopover   *popover,
                                               gpointer      user_data);

GtkWidget     *aq_report_chip_new       (AqReportFieldItem *field,
                                         GMenuModel    *menu);
void           aq_report_chip_set_popover_func (AqReportChip            *self,
                                                AqReportChipPopoverFunc  func,
                                                gpointer                 user_data);
void           aq_report_chip_update    (AqReportChip  *self);
AqReportFieldItem *aq_report_chip_get_field (AqReportChip  *self);

G_END_DECLS
