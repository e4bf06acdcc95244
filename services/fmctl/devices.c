/* devices.c — `fmctl devices`: the registry's devices with their status as
 * ingestd records it (device_status: online/offline, last seen) and the
 * alarms open on each (alarms not closed, and the worst severity among
 * them). Read only, from PostgreSQL. */
#include "dbtab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEVICES_USAGE                                                                              \
	"usage: fmctl devices [--site S] [--type ASSET_TYPE] [--state online|offline|unknown]\n"   \
	"                     [--alarmed] [--format table|json|csv]\n"                             \
	"  Every device with its status, last seen and open alarms.\n"                             \
	"  --alarmed           only devices with open alarms\n"                                    \
	"Exit: 0, 1 query failed, 2 usage, 3 database unreachable.\n"

#define DEVICES_SQL                                                                                \
	"SELECT d.device_id, d.site_id, d.asset_type, d.name, coalesce(s.state, 'unknown'),"       \
	" date_trunc('second', s.last_seen), coalesce(a.n, 0), a.worst FROM devices d"             \
	" LEFT JOIN device_status s ON s.device_id = d.device_id"                                  \
	" LEFT JOIN (SELECT device_id, count(*) AS n, min(severity) AS worst FROM alarms"          \
	" WHERE state <> 'closed' GROUP BY device_id) a ON a.device_id = d.device_id"              \
	" WHERE ($1::text IS NULL OR d.site_id = $1)"                                              \
	" AND ($2::text IS NULL OR d.asset_type = $2)"                                             \
	" AND ($3::text IS NULL OR coalesce(s.state, 'unknown') = $3)"                             \
	" AND ($4::text IS NULL OR a.n > 0) ORDER BY d.site_id, d.device_id"

enum { OPT_TYPE = CLI_FIRST_OWN, OPT_STATE, OPT_ALARMED };

int
cmd_devices(const struct fmctl_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_OPT_SITE,
		CLI_OPT_FORMAT,
		CLI_OPT_HELP,
		{"type", required_argument, NULL, OPT_TYPE},
		{"state", required_argument, NULL, OPT_STATE},
		{"alarmed", no_argument, NULL, OPT_ALARMED},
		{NULL, 0, NULL, 0},
	};
	static const struct table_col cols[] = {
		{"device", TABLE_STR, 0},      {"site", TABLE_STR, 0},
		{"type", TABLE_STR, 0},        {"name", TABLE_STR, 32},
		{"status", TABLE_STR, 0},      {"last_seen", TABLE_STR, 0},
		{"open_alarms", TABLE_NUM, 0}, {"worst_severity", TABLE_NUM, 0},
	};
	const char *p[4] = {NULL, NULL, NULL, NULL};
	struct table *t = NULL;
	struct fconn c;
	struct cli cli;
	int ch, r, rc;

	cli_init(&cli);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if ((r = cli_take(&cli, ch, optarg)) < 0)
			return FMCTL_USAGE;
		if (r == 0 && ch == OPT_TYPE)
			p[1] = optarg;
		else if (r == 0 && ch == OPT_STATE &&
			 (!strcmp(optarg, "online") || !strcmp(optarg, "offline") ||
			  !strcmp(optarg, "unknown")))
			p[2] = optarg;
		else if (r == 0 && ch == OPT_ALARMED)
			p[3] = "yes";
		else if (r == 0)
			return cli_usage(DEVICES_USAGE, 1);
	}
	if (cli.help)
		return cli_usage(DEVICES_USAGE, 0);
	if (optind != argc)
		return cli_usage(DEVICES_USAGE, 1);
	p[0] = cli.site;
	if ((rc = fconn_init(&c, o)) == FMCTL_OK && (t = table_new(cols, 8)) == NULL)
		rc = FMCTL_FINDING;
	if (rc == FMCTL_OK)
		rc = dbtab_query(&c, DEVICES_SQL, 4, p, t);
	for (size_t i = 0; rc == FMCTL_OK && i < table_rows(t); i++)
		if (table_get(t, i, 7))
			table_style(t, (int)i, atoi(table_get(t, i, 7)));
	if (rc == FMCTL_OK) {
		rc = cli_print(&cli, t);
		t = NULL;
	}
	table_free(t);
	fconn_close(&c);
	return rc;
}
