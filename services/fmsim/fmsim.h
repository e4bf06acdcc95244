/* fmsim.h — the subcommands of fmsim, one file each, dispatched by main.c
 * after daemon_start has loaded the configuration. Every command returns the
 * process exit status: 0 success, 1 a finding (messages missing or
 * duplicated, nothing acknowledged), 2 usage or input error, 3 a server could
 * not be reached. */
#ifndef FMSIM_FMSIM_H
#define FMSIM_FMSIM_H

#include "daemon.h"

enum { FMSIM_OK = 0, FMSIM_FINDING = 1, FMSIM_USAGE = 2, FMSIM_UNAVAILABLE = 3 };

/* argv[0] is the command's name; d holds the loaded configuration. */
int
cmd_load(struct daemon *d, int argc, char **argv);
int
cmd_check(struct daemon *d, int argc, char **argv);
int
cmd_probe(struct daemon *d, int argc, char **argv);
int
cmd_community(struct daemon *d, int argc, char **argv);
int
cmd_fault(struct daemon *d, int argc, char **argv);

/* Strict number parsing for command options: the whole of s must be a
 * number within [min, max]. Return 0, or -1 after printing
 * "fmsim CMD: --OPT: ..." on stderr. */
int
fmsim_parse_ll(const char *cmd, const char *opt, const char *s, long long min, long long max,
	       long long *out);
int
fmsim_parse_double(const char *cmd, const char *opt, const char *s, double min, double max,
		   double *out);

#endif
