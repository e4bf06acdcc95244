/* wo_act.c — a technician's work-order command (wo_command.schema.json).
 * Only the assignee may act and dispatchd's state machine decides what is
 * legal; this file builds the command and leaves every decision to
 * dispatchd, whose reply (accepted: "work order X is STATE", or rejected
 * with not_assignee, illegal_transition, reason_required, unknown_wo...)
 * is what fmctl prints. */
#include "act.h"
#include "wo_act.h"

#include <stdio.h>
#include <string.h>

#define WO_ACT_USAGE                                                                               \
	"usage: fmctl wo ACTION --as PERSON [--reason TEXT] [--note TEXT] [options] WO_ID\n"       \
	"  ACTION: accept, decline (--reason), arrive, start, pause (--reason),\n"                 \
	"          resume, complete (--note)\n"                                                    \
	"  --reason TEXT       why (decline and pause need one)\n"                                 \
	"  --note TEXT         a note for the audit (complete: what was done)\n" ACT_USAGE_COMMON

enum { OPT_REASON = CLI_FIRST_OWN, OPT_NOTE };

int
wo_act(const struct fmctl_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_OPT_AS,
		CLI_OPT_PASSWORD_FILE,
		CLI_OPT_SITE,
		CLI_OPT_WAIT,
		CLI_OPT_FORMAT,
		CLI_OPT_HELP,
		{"reason", required_argument, NULL, OPT_REASON},
		{"note", required_argument, NULL, OPT_NOTE},
		{NULL, 0, NULL, 0},
	};
	struct msg_wo_command cmd;
	char buf[2048];
	struct cli cli;
	struct act a;
	int ch, r, n, action = -1;

	for (int i = 0; i < MSG_WO_ACTION_COUNT; i++)
		if (strcmp(argv[0], msg_wo_action_name((enum msg_wo_action)i)) == 0)
			action = i;
	if (action < 0) {
		fprintf(stderr, "fmctl: wo: unknown action '%s'\n", argv[0]);
		return cli_usage(WO_ACT_USAGE, 1);
	}
	cli_init(&cli);
	memset(&cmd, 0, sizeof cmd);
	cmd.action = (enum msg_wo_action)action;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if ((r = cli_take(&cli, ch, optarg)) < 0)
			return FMCTL_USAGE;
		if (r == 0 && (ch == OPT_REASON || ch == OPT_NOTE) &&
		    strlen(optarg) <= MSG_NOTE_MAX)
			snprintf(ch == OPT_REASON ? cmd.reason : cmd.note, sizeof cmd.note, "%s",
				 optarg);
		else if (r == 0)
			return cli_usage(WO_ACT_USAGE, 1);
	}
	if (cli.help)
		return cli_usage(WO_ACT_USAGE, 0);
	if (optind != argc - 1)
		return cli_usage(WO_ACT_USAGE, 1);
	snprintf(cmd.wo_id, sizeof cmd.wo_id, "%s", argv[optind]);
	cmd.ts_ms = cli_now_ms();
	cmd.has_ts = 1;
	n = msg_encode_wo_command(&cmd, buf, sizeof buf);
	if (n < 0) {
		fprintf(stderr, "fmctl: not a valid command: work order id [A-Za-z0-9_-]{1,64}, "
				"reason and note up to 256 bytes\n");
		return FMCTL_USAGE;
	}
	a.verb = "wo";
	a.id = cmd.wo_id;
	a.payload = buf;
	a.len = (size_t)n;
	return act_run(o, &cli, &a);
}
