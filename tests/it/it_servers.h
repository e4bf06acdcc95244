/* it_servers.h — what the C integration tests share: acting on the servers
 * tests/it/run.sh started (tests/it/servers.sh {stop,start,...}-{pg,broker})
 * and running fmctl against them. */
#ifndef TEST_IT_SERVERS_H
#define TEST_IT_SERVERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

/* Runs tests/it/servers.sh VERB; a failure fails the test. */
static inline void
it_servers(const char *verb)
{
	char cmd[256];

	snprintf(cmd, sizeof cmd, "tests/it/servers.sh %s >/dev/null 2>&1", verb);
	if (system(cmd) != 0)
		fail_msg("%s failed", cmd);
}

/* Runs fmctl ARGS ($FM_BIN/fmctl, default build/bin); a failure fails the test. */
static inline void
it_fmctl(const char *args)
{
	const char *bin = getenv("FM_BIN") ? getenv("FM_BIN") : "build/bin";
	char cmd[1024];

	snprintf(cmd, sizeof cmd, "%s/fmctl %s >/dev/null", bin, args);
	if (system(cmd) != 0)
		fail_msg("%s failed", cmd);
}

#endif
