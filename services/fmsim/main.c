/* fmsim — the simulated community and load generator. Only the
 * configuration check exists so far: the simulator is built by issues #3
 * (load generator) and #7 (community). It refuses to run rather than pretend. */
#include "daemon.h"

#include <stdio.h>

int
main(int argc, char **argv)
{
	struct daemon d;

	switch (daemon_start(&d, "fmsim", "fmsim — simulated community and load generator",
			     argc, argv)) {
	case DAEMON_EXIT_OK:
		return 0;
	case DAEMON_EXIT_FAIL:
		return 1;
	case DAEMON_RUN:
		break;
	}
	fprintf(stderr, "fmsim: not built yet (issues #3 and #7); only -n and -h work\n");
	return 2;
}
