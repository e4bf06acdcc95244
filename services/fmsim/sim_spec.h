/* sim_spec.h — the ways a fault is asked for, parsed into one action: the
 * command-line option (--fault NAME[:DEVICE][@AFTER[+FOR]]), a scenario
 * file's line (AFTER NAME [DEVICE] [FOR]) and a line on the control FIFO
 * that `fmsim fault` writes. Unknown fault names and malformed durations are
 * refused with a message. Pure. */
#ifndef FMSIM_SIM_SPEC_H
#define FMSIM_SIM_SPEC_H

#include <stddef.h>

#define SIM_DEVICE_MAX 64
#define SIM_CTL_LINE_MAX 160 /* well under PIPE_BUF: a FIFO write is atomic */

struct sim_action {
	int fault;                       /* enum sim_fault_id */
	char device[SIM_DEVICE_MAX + 1]; /* "": the fault's default device */
	long long after_ms;              /* schedules: from the community's start */
	long long for_ms;                /* cleared after this long; 0: until cleared */
	int clear;                       /* clear the fault instead of injecting it */
};

/* "NAME[:DEVICE][@AFTER[+FOR]]", e.g. "entrapment:elev-2a@30s+2m". Returns 0,
 * or -1 with a message in err. */
int
sim_spec_parse_opt(const char *s, struct sim_action *a, char *err, size_t errcap);

/* A scenario line "AFTER NAME [DEVICE] [FOR]" (blank lines and lines
 * starting with # are skipped: returns 1). With three fields the third is
 * FOR when it reads as a duration, else DEVICE. Returns 0, 1, or -1 with a
 * message in err. */
int
sim_spec_parse_scenario(const char *line, struct sim_action *a, char *err, size_t errcap);

/* The control protocol: "fault NAME DEVICE|- FOR_MS" or "clear NAME
 * DEVICE|-", one line. format returns the length written (without the NUL),
 * or -1; parse returns 0 or -1 with a message in err. */
int
sim_spec_format_ctl(const struct sim_action *a, char *buf, size_t cap);
int
sim_spec_parse_ctl(const char *line, struct sim_action *a, char *err, size_t errcap);

#endif
