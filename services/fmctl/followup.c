/* followup.c — `fmctl followup`: customer service's follow-up visit (回访)
 * of a completed work order, with the resident's satisfaction score, sent
 * to dispatchd as the person (--as). A low score reopens the order; that
 * is dispatchd's rule (sla.yaml reopen_score_at_most), not fmctl's. */
#include "act.h"

#include <stdio.h>
#include <string.h>

#define FOLLOWUP_USAGE                                                                             \
	"usage: fmctl followup --as PERSON --score 1..5 [--note TEXT] [options] WO_ID\n"           \
	"  --score N           the resident's satisfaction, 1 (worst) to 5\n"                      \
	"  --note TEXT         what the resident said (up to 256 bytes)\n" ACT_USAGE_COMMON

enum { OPT_SCORE = CLI_FIRST_OWN, OPT_NOTE };

int
cmd_followup(const struct fmctl_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_OPT_AS,
		CLI_OPT_PASSWORD_FILE,
		CLI_OPT_SITE,
		CLI_OPT_WAIT,
		CLI_OPT_FORMAT,
		CLI_OPT_HELP,
		{"score", required_argument, NULL, OPT_SCORE},
		{"note", required_argument, NULL, OPT_NOTE},
		{NULL, 0, NULL, 0},
	};
	struct msg_followup f;
	char buf[2048];
	struct cli cli;
	struct act a;
	int ch, r, n;

	cli_init(&cli);
	memset(&f, 0, sizeof f);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if ((r = cli_take(&cli, ch, optarg)) < 0)
			return FMCTL_USAGE;
		if (r == 0 && ch == OPT_SCORE && strlen(optarg) == 1 && optarg[0] >= '1' &&
		    optarg[0] <= '5')
			f.score = optarg[0] - '0';
		else if (r == 0 && ch == OPT_NOTE && strlen(optarg) < sizeof f.note)
			memcpy(f.note, optarg, strlen(optarg) + 1);
		else if (r == 0)
			return cli_usage(FOLLOWUP_USAGE, 1);
	}
	if (cli.help)
		return cli_usage(FOLLOWUP_USAGE, 0);
	if (optind != argc - 1 || f.score == 0)
		return cli_usage(FOLLOWUP_USAGE, 1);
	snprintf(f.wo_id, sizeof f.wo_id, "%s", argv[optind]);
	f.ts_ms = cli_now_ms();
	f.has_ts = 1;
	n = msg_encode_followup(&f, buf, sizeof buf);
	if (n < 0) {
		fprintf(stderr, "fmctl: followup: not a valid work order id or note\n");
		return FMCTL_USAGE;
	}
	a.verb = "followup";
	a.id = f.wo_id;
	a.payload = buf;
	a.len = (size_t)n;
	return act_run(o, &cli, &a);
}
