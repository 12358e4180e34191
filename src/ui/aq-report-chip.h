/* aq-report-chip.h — a field placed in a zone: its name, an optional menu, a remove button */
#pragma once

#include <gtk/gtk.h>

#include "aq-report-field-item.h"

G_BEGIN_DECLS

#define AQ_TYPE_REPORT_CHIP (aq_report_chip_get_type ())
G_DECLARE_FINAL_TYPE (AqReportChip, aq_report_chip, AQ, REPORT_CHIP, GtkWidget)

GtkWidget     *aq_report_chip_new       (AqReportFieldItem *field,
                                         GMenuModel    *menu);
AqReportFieldItem *aq_report_chip_get_field (AqReportChip  *self);

G_END_DECLS
