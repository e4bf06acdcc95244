/* schedd — only its configuration check exists so far: the daemon itself is
 * built by issue #5. It refuses to run rather than pretend to work. */
#include "daemon.h"

#include <stdio.h>

int
main(int argc, char **argv)
{
	struct daemon d;

	switch (daemon_start(&d, "schedd",
			     "schedd — generates preventive-maintenance work-order requests by "
			     "calendar and by meter",
			     argc, argv)) {
	case DAEMON_EXIT_OK:
		return 0;
	case DAEMON_EXIT_FAIL:
		return 1;
	case DAEMON_RUN:
		break;
	}
	fprintf(stderr, "schedd: not built yet (issue #5); only -n and -h work\n");
	return 2;
}
