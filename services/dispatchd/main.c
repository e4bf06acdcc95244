/* dispatchd — only its configuration check exists so far: the daemon itself is
 * built by issue #6. It refuses to run rather than pretend to work. */
#include "daemon.h"

#include <stdio.h>

int
main(int argc, char **argv)
{
	struct daemon d;

	switch (daemon_start(
		&d, "dispatchd",
		"dispatchd — owns work orders: SLA clocks, assignment, escalation, follow-up", argc,
		argv)) {
	case DAEMON_EXIT_OK:
		return 0;
	case DAEMON_EXIT_FAIL:
		return 1;
	case DAEMON_RUN:
		break;
	}
	fprintf(stderr, "dispatchd: not built yet (issue #6); only -n and -h work\n");
	return 2;
}
