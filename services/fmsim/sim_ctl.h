/* sim_ctl.h — the control FIFO of a running `fmsim community`: the community
 * creates it (mkfifo) at start, reads one request per line and removes it at
 * exit; `fmsim fault` writes one line into it (sim_spec.h has the format).
 * Lines longer than SIM_CTL_LINE_MAX are dropped and counted. */
#ifndef FMSIM_SIM_CTL_H
#define FMSIM_SIM_CTL_H

#include "sim_spec.h"

#include <stddef.h>

struct sim_ctl {
	char path[256];
	int rfd, wfd; /* wfd keeps the FIFO open so that reads never see EOF */
	char buf[SIM_CTL_LINE_MAX];
	size_t len;
	int overlong; /* discarding the rest of a too-long line */
	long long too_long;
};

/* Creates the FIFO at path (its parent directory too, one level) and opens
 * it. A stale FIFO left by a crash is reused; one that another community
 * reads, or a path that is not a FIFO, is refused. Returns 0, or -1 with a
 * message printed on stderr. */
int
sim_ctl_open(struct sim_ctl *c, const char *path);

/* Waits up to timeout_ms for requests and calls fn for every complete line
 * (without its newline). A closed ctl (rfd < 0) just waits. */
void
sim_ctl_poll(struct sim_ctl *c, int timeout_ms, void (*fn)(void *ctx, const char *line), void *ctx);

/* Closes and removes the FIFO; a closed or zeroed ctl is a no-op. */
void
sim_ctl_close(struct sim_ctl *c);

/* Writes one line to the FIFO at path without blocking. Returns 0, -1 when
 * no community reads it (message in err), or -2 on a write error. */
int
sim_ctl_send(const char *path, const char *line, char *err, size_t errcap);

#endif
