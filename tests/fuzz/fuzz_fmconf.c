/* fuzz_fmconf.c — libFuzzer harness for the daemons' own configuration
 * (fm.yaml, fmconf_load: every daemon at start, fmctl). fmconf_load takes a
 * path, so the input is written to one memory file (memfd) made once and
 * rewritten in place for each input, and loaded by its /proc/self/fd path:
 * no disk, no new file per run. The FM_* environment overrides are cleared
 * so that the file alone decides. Every input is classified: accepted (0, no
 * error) or refused (-1) with every error as "file:line: message" inside the
 * input (a message about the whole file may have no line). Any crash, leak,
 * sanitizer report or abort() is a finding. Build and run:
 * tests/fuzz/run.sh. Seeds: tests/fuzz/corpus/fmconf/. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"
#include "fmconf.h"
#include "fuzz_conf.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fd = -1;
static char path[64];
static struct fm_config cfg;

static void
setup(void)
{
	static const char *const env[] = {"FM_MQTT_URL",     "FM_MQTT_USERNAME", "FM_MQTT_PASSWORD",
					  "FM_MQTT_CA_FILE", "FM_DB_CONNINFO",   "FM_SPOOL_DIR",
					  "FM_INSTANCE"};

	for (size_t i = 0; i < sizeof env / sizeof env[0]; i++)
		unsetenv(env[i]);
	fd = memfd_create("fm.yaml", MFD_CLOEXEC);
	if (fd < 0)
		abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
}

/* Replaces the memory file's content with the input. */
static void
put(const uint8_t *data, size_t size)
{
	size_t done = 0;

	if (ftruncate(fd, 0) < 0)
		abort();
	while (done < size) {
		ssize_t n = pwrite(fd, data + done, size - done, (off_t)done);

		if (n <= 0)
			abort();
		done += (size_t)n;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_file f = {path, (const char *)data, size};
	struct cfg_errs errs;
	int rc;

	if (fd < 0)
		setup();
	put(data, size);
	cfg_errs_init(&errs);
	memset(&cfg, 0, sizeof cfg);
	rc = fmconf_load(path, &cfg, &errs);
	fuzz_check_rc(rc, &errs, 0, 0);
	fuzz_check_errs(&errs, 0, &f, 1);
	if (rc == 0 && (fmconf_daemon(&cfg, "alertd") != &cfg.alertd ||
			fmconf_daemon(&cfg, "nobody") != NULL || strcmp(cfg.path, path) != 0))
		abort();
	cfg_errs_free(&errs);
	return 0;
}
