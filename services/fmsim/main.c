/* fmsim — the simulated community and load generator. main.c only parses
 * the global options (those of every daemon: -c -n -v -h), loads the
 * configuration through daemon_start and dispatches to one file per
 * subcommand. */
#include "fmsim.h"

#include "log.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct command {
	const char *name;
	int (*run)(struct daemon *, int, char **);
	const char *summary;
	int tool; /* run by hand, prints its results: log warnings and errors only */
};

static const struct command commands[] = {
	{"load", cmd_load, "publish telemetry for N devices; record what was acknowledged", 1},
	{"check", cmd_check, "compare an oracle file with the readings in PostgreSQL", 1},
	{"probe", cmd_probe, "time telemetry -> alarm-log through alertd (latency)", 1},
	{"community", cmd_community, "simulate every device of a site, with faults on demand", 0},
	{"fault", cmd_fault, "inject or clear a fault in a running community", 1},
	{NULL, NULL, NULL, 0},
};

static void
usage(FILE *out)
{
	fprintf(out, "usage: fmsim [-c FILE] [-n] [-v] [-h] COMMAND [ARGS]\n"
		     "  -c FILE  configuration (default config/fm.yaml)\n"
		     "  -n       check the configuration and exit\n"
		     "  -v       verbose (debug logging)\n"
		     "  -h       this help; COMMAND --help for a command's\n"
		     "commands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->summary);
	fprintf(out, "environment: FM_MQTT_URL FM_MQTT_USERNAME FM_MQTT_PASSWORD FM_DB_CONNINFO\n"
		     "             (and libpq's PG* variables)\n"
		     "exit: 0 ok, 1 a finding or a rejected configuration, 2 usage,\n"
		     "      3 a server unreachable\n");
}

int
main(int argc, char **argv)
{
	const struct command *cmd = NULL;
	const char *config_path = NULL;
	char *dargv[6];
	int dargc = 0, check_only = 0, verbose = 0, ch;
	struct daemon d;

	while ((ch = getopt(argc, argv, "+c:nvh")) != -1) {
		switch (ch) {
		case 'c':
			config_path = optarg;
			break;
		case 'n':
			check_only = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return FMSIM_OK;
		default:
			usage(stderr);
			return FMSIM_USAGE;
		}
	}
	if (optind < argc) {
		for (cmd = commands; cmd->name; cmd++)
			if (strcmp(cmd->name, argv[optind]) == 0)
				break;
		if (!cmd->name) {
			fprintf(stderr, "fmsim: unknown command '%s'\n", argv[optind]);
			usage(stderr);
			return FMSIM_USAGE;
		}
	} else if (!check_only) {
		usage(stderr);
		return FMSIM_USAGE;
	}
	/* daemon_start parses only the global options: hand it those. */
	dargv[dargc++] = argv[0];
	if (config_path) {
		dargv[dargc++] = "-c";
		dargv[dargc++] = (char *)config_path;
	}
	if (check_only)
		dargv[dargc++] = "-n";
	if (verbose)
		dargv[dargc++] = "-v";
	dargv[dargc] = NULL;
	argc -= optind;
	argv += optind;
	optind = 0;
	switch (daemon_start(&d, "fmsim", "fmsim — simulated community and load generator", dargc,
			     dargv)) {
	case DAEMON_EXIT_OK:
		return FMSIM_OK;
	case DAEMON_EXIT_FAIL:
		return FMSIM_FINDING; /* the configuration was rejected (printed) */
	case DAEMON_RUN:
		break;
	}
	/* A tool prints its own results: the informational lines of the
	 * daemons (connections made) would only be noise there. */
	if (cmd->tool && !verbose && log_get_level() < LOG_WARN)
		log_set_level(LOG_WARN);
	optind = 0;
	return cmd->run(&d, argc, argv);
}
