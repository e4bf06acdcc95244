/* alarms.c — `fmctl alarms`: the alarm history from PostgreSQL (alarms,
 * as alertd's writer records them), newest first, with filters. Read only;
 * what is live right now is `fmctl watch`. */
#include "dbtab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALARMS_USAGE                                                                               \
	"usage: fmctl alarms [--site S] [--device D] [--rule R] [--severity N]\n"                  \
	"                    [--state open|closed|all] [--since T] [--until T]\n"                  \
	"                    [--limit N] [--format table|json|csv]\n"                              \
	"  Alarms raised in the period, newest first (default: all states, limit 100).\n"          \
	"  --severity N        N or more severe (1 = I 特别重大 ... 4 = IV 一般)\n"          \
	"  --since/--until T   a time PostgreSQL reads (2025-11-23, '2025-11-23 08:00+08')\n"      \
	"                      or a duration before now (24h, 7d)\n"                               \
	"Exit: 0, 1 query failed, 2 usage, 3 database unreachable.\n"

#define ALARMS_SQL                                                                                 \
	"SELECT alarm_id, site_id, device_id, rule_id, severity, state, acked, acked_by,"          \
	" date_trunc('second', raised_at), date_trunc('second', cleared_at),"                      \
	" date_trunc('second', closed_at), escalation_level, wo_id, message FROM alarms"           \
	" WHERE ($1::text IS NULL OR site_id = $1) AND ($2::text IS NULL OR device_id = $2)"       \
	" AND ($3::text IS NULL OR rule_id = $3) AND ($4::int IS NULL OR severity <= $4)"          \
	" AND CASE $5::text WHEN 'open' THEN state <> 'closed'"                                    \
	" WHEN 'closed' THEN state = 'closed' ELSE true END"                                       \
	" AND ($6::timestamptz IS NULL OR raised_at >= $6)"                                        \
	" AND ($7::timestamptz IS NULL OR raised_at < $7)"                                         \
	" ORDER BY raised_at DESC, alarm_id LIMIT $8::int"

enum {
	OPT_DEVICE = CLI_FIRST_OWN,
	OPT_RULE,
	OPT_SEVERITY,
	OPT_STATE,
	OPT_SINCE,
	OPT_UNTIL,
	OPT_LIMIT,
};

static int
digits(const char *s, size_t max)
{
	size_t n = strlen(s);

	return n >= 1 && n <= max && strspn(s, "0123456789") == n;
}

/* Checks and stores one of the command's own options in p[]. */
static int
take(const char *p[8], char when[2][64], int ch, const char *arg)
{
	switch (ch) {
	case OPT_SEVERITY:
		if (strlen(arg) != 1 || arg[0] < '1' || arg[0] > '4')
			return -1;
		break;
	case OPT_STATE:
		if (strcmp(arg, "open") && strcmp(arg, "closed") && strcmp(arg, "all"))
			return -1;
		break;
	case OPT_SINCE:
	case OPT_UNTIL:
		if (cli_time_param(arg, cli_now_ms(), when[ch - OPT_SINCE], 64) < 0)
			return -1;
		arg = when[ch - OPT_SINCE];
		break;
	case OPT_LIMIT:
		if (!digits(arg, 6))
			return -1;
		break;
	case OPT_DEVICE:
	case OPT_RULE:
		break;
	default:
		return -1;
	}
	p[ch - OPT_DEVICE + 1] = arg;
	return 0;
}

int
cmd_alarms(const struct fmctl_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_OPT_SITE,
		CLI_OPT_FORMAT,
		CLI_OPT_HELP,
		{"device", required_argument, NULL, OPT_DEVICE},
		{"rule", required_argument, NULL, OPT_RULE},
		{"severity", required_argument, NULL, OPT_SEVERITY},
		{"state", required_argument, NULL, OPT_STATE},
		{"since", required_argument, NULL, OPT_SINCE},
		{"until", required_argument, NULL, OPT_UNTIL},
		{"limit", required_argument, NULL, OPT_LIMIT},
		{NULL, 0, NULL, 0},
	};
	static const struct table_col cols[] = {
		{"alarm_id", TABLE_STR, 0}, {"site", TABLE_STR, 0},
		{"device", TABLE_STR, 0},   {"rule", TABLE_STR, 0},
		{"severity", TABLE_NUM, 0}, {"state", TABLE_STR, 0},
		{"acked", TABLE_BOOL, 0},   {"acked_by", TABLE_STR, 0},
		{"raised", TABLE_STR, 0},   {"cleared", TABLE_STR, 0},
		{"closed", TABLE_STR, 0},   {"escalation", TABLE_NUM, 0},
		{"wo_id", TABLE_STR, 0},    {"message", TABLE_STR, 48},
	};
	const char *p[8] = {NULL, NULL, NULL, NULL, "all", NULL, NULL, "100"};
	char when[2][64];
	struct table *t = NULL;
	struct fconn c;
	struct cli cli;
	int ch, r, rc;

	cli_init(&cli);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if ((r = cli_take(&cli, ch, optarg)) < 0)
			return FMCTL_USAGE;
		if (r == 0 && take(p, when, ch, optarg) < 0) {
			if (ch != '?')
				fprintf(stderr, "fmctl: alarms: bad value '%s'\n", optarg);
			return cli_usage(ALARMS_USAGE, 1);
		}
	}
	if (cli.help)
		return cli_usage(ALARMS_USAGE, 0);
	if (optind != argc)
		return cli_usage(ALARMS_USAGE, 1);
	p[0] = cli.site;
	if ((rc = fconn_init(&c, o)) == FMCTL_OK && (t = table_new(cols, 14)) == NULL)
		rc = FMCTL_FINDING;
	if (rc == FMCTL_OK)
		rc = dbtab_query(&c, ALARMS_SQL, 8, p, t);
	for (size_t i = 0; rc == FMCTL_OK && i < table_rows(t); i++)
		table_style(t, (int)i, atoi(table_get(t, i, 4) ? table_get(t, i, 4) : "0"));
	if (rc == FMCTL_OK) {
		rc = cli_print(&cli, t);
		t = NULL;
	}
	table_free(t);
	fconn_close(&c);
	return rc;
}
