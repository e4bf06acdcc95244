/* ingestd — only its configuration check exists so far: the daemon itself is
 * built by issue #3. It refuses to run rather than pretend to work. */
#include "daemon.h"

#include <stdio.h>

int
main(int argc, char **argv)
{
	struct daemon d;

	switch (daemon_start(&d, "ingestd", "ingestd — validates device telemetry, events and status and stores them in PostgreSQL", argc, argv)) {
	case DAEMON_EXIT_OK:
		return 0;
	case DAEMON_EXIT_FAIL:
		return 1;
	case DAEMON_RUN:
		break;
	}
	fprintf(stderr, "ingestd: not built yet (issue #3); only -n and -h work\n");
	return 2;
}
