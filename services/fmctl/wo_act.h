/* wo_act.h — `fmctl wo ACTION`: a technician's step on a work order
 * (accept, decline, arrive, start, pause, resume, complete), sent to
 * dispatchd as the person (--as). */
#ifndef FM_FMCTL_WO_ACT_H
#define FM_FMCTL_WO_ACT_H

#include "fmctl.h"

/* argv[0] is the action. Returns the exit status (act.h). */
int
wo_act(const struct fmctl_opts *o, int argc, char **argv);

#endif
