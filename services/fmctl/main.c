/* fmctl — the command-line tool for operators and people. main.c only parses
 * the global options and dispatches to one file per subcommand. */
#include "fmctl.h"
#include "report.h"
#include "log.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct command {
	const char *name;
	int (*run)(const struct fmctl_opts *, int, char **);
	const char *summary;
};

static const struct command commands[] = {
	{"migrate", cmd_migrate, "apply pending database migrations (idempotent)"},
	{"check", cmd_check, "validate configuration [DIR] (default: config/)"},
	{"apply", cmd_apply, "load the registry in [DIR] into PostgreSQL"},
	{"report", cmd_report, "work-order KPIs of a site and period"},
	{"watch", cmd_watch, "live view of open alarms and work orders"},
	{"alarms", cmd_alarms, "alarm history with filters (PostgreSQL)"},
	{"ack", cmd_ack, "acknowledge an alarm, as --as PERSON"},
	{"shelve", cmd_shelve, "shelve an alarm for a while, as --as PERSON"},
	{"wo", cmd_wo, "work orders: list, show, accept ... complete"},
	{"request", cmd_request, "take a resident's repair request or complaint"},
	{"followup", cmd_followup, "record the follow-up visit of a work order"},
	{"devices", cmd_devices, "devices: status, last seen, open alarms"},
	{"stats", cmd_stats, "the daemons' counters (fm/v1/_sys)"},
	{NULL, NULL, NULL},
};

static void
usage(FILE *out)
{
	fprintf(out, "usage: fmctl [-c FILE] [-v] COMMAND [ARGS]\n"
		     "  -c FILE  configuration (default config/fm.yaml)\n"
		     "  -v       verbose\n"
		     "  -h       this help; COMMAND --help for a command's\n"
		     "exit: 0 ok, 1 a finding, 2 usage, 3 server unreachable, 4 refused by\n"
		     "      the daemon, 5 refused by the broker, 6 no reply in time\n"
		     "commands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->summary);
}

int
main(int argc, char **argv)
{
	struct fmctl_opts o = {"config/fm.yaml", 0};
	int ch;

	log_set_prog("fmctl");
	log_set_level(LOG_WARN);
	while ((ch = getopt(argc, argv, "+c:vh")) != -1) {
		switch (ch) {
		case 'c':
			o.config_path = optarg;
			break;
		case 'v':
			o.verbose = 1;
			log_set_level(LOG_DEBUG);
			break;
		case 'h':
			usage(stdout);
			return FMCTL_OK;
		default:
			usage(stderr);
			return FMCTL_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return FMCTL_USAGE;
	}
	for (const struct command *c = commands; c->name; c++) {
		if (strcmp(c->name, argv[optind]) == 0) {
			optind++;
			return c->run(&o, argc - optind + 1, argv + optind - 1);
		}
	}
	fprintf(stderr, "fmctl: unknown command '%s'\n", argv[optind]);
	usage(stderr);
	return FMCTL_USAGE;
}
