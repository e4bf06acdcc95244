/* ack.c — `fmctl ack` and `fmctl shelve`: a duty engineer's
 * acknowledgement or shelving of an alarm, sent to alertd as the person
 * (--as). alertd decides whether the person may (duty engineers,
 * supervisors, project managers) and answers; this file only builds the
 * command. */
#include "act.h"

#include <stdio.h>
#include <string.h>

#define ACK_USAGE                                                                                  \
	"usage: fmctl ack --as PERSON [--note TEXT] [options] ALARM_ID\n"                          \
	"  Acknowledges an open alarm (alertd answers accepted, or rejected with\n"                \
	"  the reason: forbidden, unknown_person, unknown_alarm, already_acked).\n"                \
	"  --note TEXT         a note for the audit (up to 256 bytes)\n" ACT_USAGE_COMMON

#define SHELVE_USAGE                                                                               \
	"usage: fmctl shelve --as PERSON --for DURATION [--note TEXT] [options] ALARM_ID\n"        \
	"  Shelves an alarm for DURATION (1s..7d; the rule may allow less:\n"                      \
	"  rejected with shelve_range), e.g. while a sensor is replaced.\n"                        \
	"  --for DURATION      how long (30m, 2h)\n"                                               \
	"  --note TEXT         why\n" ACT_USAGE_COMMON

enum { OPT_NOTE = CLI_FIRST_OWN, OPT_FOR };

static int
run(const struct fmctl_opts *o, int argc, char **argv, enum msg_verb verb)
{
	static const struct option longopts[] = {
		CLI_OPT_AS,
		CLI_OPT_PASSWORD_FILE,
		CLI_OPT_SITE,
		CLI_OPT_WAIT,
		CLI_OPT_FORMAT,
		CLI_OPT_HELP,
		{"note", required_argument, NULL, OPT_NOTE},
		{"for", required_argument, NULL, OPT_FOR},
		{NULL, 0, NULL, 0},
	};
	const char *usage = verb == MSG_VERB_ACK ? ACK_USAGE : SHELVE_USAGE;
	struct msg_command cmd;
	char buf[1024];
	struct cli cli;
	struct act a;
	long long for_ms = -1;
	int ch, r, n;

	cli_init(&cli);
	memset(&cmd, 0, sizeof cmd);
	cmd.verb = verb;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if ((r = cli_take(&cli, ch, optarg)) != 0) {
			if (r < 0)
				return FMCTL_USAGE;
		} else if (ch == OPT_NOTE && strlen(optarg) <= MSG_NOTE_MAX) {
			snprintf(cmd.note, sizeof cmd.note, "%s", optarg);
			cmd.has_note = 1;
		} else if (ch == OPT_FOR && verb == MSG_VERB_SHELVE &&
			   cli_duration_ms(optarg, &for_ms) == 0) {
			continue;
		} else {
			return cli_usage(usage, 1);
		}
	}
	if (cli.help)
		return cli_usage(usage, 0);
	if (optind != argc - 1 || (verb == MSG_VERB_SHELVE && for_ms < 0))
		return cli_usage(usage, 1);
	snprintf(cmd.alarm_id, sizeof cmd.alarm_id, "%s", argv[optind]);
	cmd.duration_s = verb == MSG_VERB_SHELVE ? (int)(for_ms / 1000) : 0;
	cmd.ts_ms = cli_now_ms();
	cmd.has_ts = 1;
	n = msg_encode_command(&cmd, buf, sizeof buf);
	if (n < 0) {
		fprintf(stderr,
			"fmctl: not a valid %s: alarm id [A-Za-z0-9_-]{1,64}, note up to "
			"256 bytes%s\n",
			verb == MSG_VERB_ACK ? "ack" : "shelve",
			verb == MSG_VERB_SHELVE ? ", --for 1s..7d" : "");
		return FMCTL_USAGE;
	}
	a.verb = verb == MSG_VERB_ACK ? "ack" : "shelve";
	a.id = cmd.alarm_id;
	a.payload = buf;
	a.len = (size_t)n;
	return act_run(o, &cli, &a);
}

int
cmd_ack(const struct fmctl_opts *o, int argc, char **argv)
{
	return run(o, argc, argv, MSG_VERB_ACK);
}

int
cmd_shelve(const struct fmctl_opts *o, int argc, char **argv)
{
	return run(o, argc, argv, MSG_VERB_SHELVE);
}
