/* report.h — `fmctl report`: the work-order KPIs of a site and period from
 * the view wo_kpi (schemas/sql/011_dispatch.sql). */
#ifndef FM_REPORT_H
#define FM_REPORT_H

#include "fmctl.h"

int
cmd_report(const struct fmctl_opts *o, int argc, char **argv);

#endif
