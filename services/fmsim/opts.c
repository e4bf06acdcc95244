/* opts.c — strict parsing of numeric command options for fmsim's
 * subcommands: the whole argument must be a number in range, or the user
 * is told which option and why. Prints to stderr; nothing else. */
#include "fmsim.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int
fmsim_parse_ll(const char *cmd, const char *opt, const char *s, long long min, long long max,
	       long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "fmsim %s: --%s: expected an integer %lld..%lld, got '%s'\n", cmd,
			opt, min, max, s);
		return -1;
	}
	*out = v;
	return 0;
}

int
fmsim_parse_double(const char *cmd, const char *opt, const char *s, double min, double max,
		   double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < min || v > max) {
		fprintf(stderr, "fmsim %s: --%s: expected a number %g..%g, got '%s'\n", cmd, opt,
			min, max, s);
		return -1;
	}
	*out = v;
	return 0;
}
