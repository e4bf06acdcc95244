/* wo.c — `fmctl wo list` and `fmctl wo show ID` (from PostgreSQL's
 * work_orders and wo_events: the recorded truth, never the retained
 * topics), and the dispatch of the technicians' actions to wo_act.c. */
#include "dbtab.h"
#include "wo_act.h"

#include <stdio.h>
#include <string.h>

#define WO_USAGE                                                                                   \
	"usage: fmctl wo list [--site S] [--state open|all|STATE] [--assignee P] [--kind K]\n"     \
	"                     [--limit N] [--format table|json|csv]\n"                             \
	"       fmctl wo show [--format table|json|csv] WO_ID\n"                                   \
	"       fmctl wo accept|decline|arrive|start|pause|resume|complete --as PERSON WO_ID\n"    \
	"  list: orders, newest first (default: open ones, i.e. not closed or\n"                   \
	"        cancelled; limit 100); due is the next clock of the state\n"                      \
	"        (accept, on site, resolve, follow-up)\n"                                          \
	"  show: one order and every event of it (JSON: the order with an\n"                       \
	"        \"events\" array)\n"                                                              \
	"  accept ...: see fmctl wo accept --help\n"                                               \
	"Exit: 0, 1 not found or query failed, 2 usage, 3 database unreachable.\n"

#define NEXT_DUE                                                                                   \
	"CASE WHEN state IN ('registered','dispatched','declined','reopened') THEN respond_by"     \
	" WHEN state = 'accepted' THEN arrive_by"                                                  \
	" WHEN state IN ('on_site','in_progress','paused') THEN resolve_by"                        \
	" WHEN state = 'completed' THEN followup_by END"

#define LIST_SQL                                                                                   \
	"SELECT wo_id, site_id, kind, priority, state, assignee, device_id,"                       \
	" date_trunc('second', created_at), date_trunc('second', " NEXT_DUE "),"                   \
	" escalation_level, title FROM work_orders WHERE ($1::text IS NULL OR site_id = $1)"       \
	" AND CASE $2::text WHEN 'open' THEN state NOT IN ('closed','cancelled')"                  \
	" WHEN 'all' THEN true ELSE state = $2 END"                                                \
	" AND ($3::text IS NULL OR assignee = $3) AND ($4::text IS NULL OR kind = $4)"             \
	" ORDER BY created_at DESC, wo_id LIMIT $5::int"

#define SHOW_SQL                                                                                   \
	"SELECT wo_id, site_id, device_id, kind, priority, complaint_grade, state, title,"         \
	" description, reporter, skill, assignee, escalation_level, date_trunc('second', "         \
	"created_at),"                                                                             \
	" date_trunc('second', respond_by), date_trunc('second', arrive_by), "                     \
	"date_trunc('second', resolve_by),"                                                        \
	" date_trunc('second', followup_by), date_trunc('second', accepted_at), "                  \
	"date_trunc('second', arrived_at),"                                                        \
	" date_trunc('second', completed_at), date_trunc('second', closed_at), source_alarm_id, "  \
	"plan_id,"                                                                                 \
	" repeat_of, satisfaction, followup_note,"                                                 \
	" (SELECT coalesce(jsonb_agg(jsonb_build_object('ts', date_trunc('second', e.ts),"         \
	" 'transition', e.transition, 'from', e.from_state, 'to', e.to_state, 'actor', e.actor,"   \
	" 'detail', e.detail) ORDER BY e.id), '[]'::jsonb)"                                        \
	" FROM wo_events e WHERE e.wo_id = w.wo_id)"                                               \
	" FROM work_orders w WHERE wo_id = $1"

#define EVENTS_SQL                                                                                 \
	"SELECT date_trunc('second', ts), transition, from_state, to_state, actor,"                \
	" detail::text FROM wo_events WHERE wo_id = $1 ORDER BY id"

enum { OPT_STATE = CLI_FIRST_OWN, OPT_ASSIGNEE, OPT_KIND, OPT_LIMIT };

static int
list(const struct fmctl_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_OPT_SITE,
		CLI_OPT_FORMAT,
		CLI_OPT_HELP,
		{"state", required_argument, NULL, OPT_STATE},
		{"assignee", required_argument, NULL, OPT_ASSIGNEE},
		{"kind", required_argument, NULL, OPT_KIND},
		{"limit", required_argument, NULL, OPT_LIMIT},
		{NULL, 0, NULL, 0},
	};
	static const struct table_col cols[] = {
		{"wo_id", TABLE_STR, 0},      {"site", TABLE_STR, 0},    {"kind", TABLE_STR, 0},
		{"priority", TABLE_STR, 0},   {"state", TABLE_STR, 0},   {"assignee", TABLE_STR, 0},
		{"device", TABLE_STR, 0},     {"created", TABLE_STR, 0}, {"due", TABLE_STR, 0},
		{"escalation", TABLE_NUM, 0}, {"title", TABLE_STR, 40},
	};
	const char *p[5] = {NULL, "open", NULL, NULL, "100"};
	struct table *t;
	struct fconn c;
	struct cli cli;
	int ch, r, rc;

	cli_init(&cli);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if ((r = cli_take(&cli, ch, optarg)) < 0)
			return FMCTL_USAGE;
		if (r == 0 && ch >= OPT_STATE && ch <= OPT_LIMIT)
			p[ch - OPT_STATE + 1] = optarg;
		else if (r == 0)
			return cli_usage(WO_USAGE, 1);
	}
	if (cli.help)
		return cli_usage(WO_USAGE, 0);
	if (optind != argc || strspn(p[4], "0123456789") != strlen(p[4]) || strlen(p[4]) > 6)
		return cli_usage(WO_USAGE, 1);
	p[0] = cli.site;
	if ((rc = fconn_init(&c, o)) == FMCTL_OK) {
		t = table_new(cols, (int)(sizeof cols / sizeof cols[0]));
		rc = t ? dbtab_query(&c, LIST_SQL, 5, p, t) : FMCTL_FINDING;
		rc = rc == FMCTL_OK ? cli_print(&cli, t) : (table_free(t), rc);
	}
	fconn_close(&c);
	return rc;
}

/* Text: the order as "field value" lines, then its events as a table. */
static int
show_text(struct fconn *c, const struct cli *cli, const struct table *order, const char *id,
	  const struct table_col *cols, int ncols)
{
	static const struct table_col fv[] = {{"field", TABLE_STR, 0}, {"value", TABLE_STR, 0}};
	static const struct table_col ev[] = {
		{"ts", TABLE_STR, 0}, {"transition", TABLE_STR, 0}, {"from", TABLE_STR, 0},
		{"to", TABLE_STR, 0}, {"actor", TABLE_STR, 0},      {"detail", TABLE_STR, 60},
	};
	struct table *t = table_new(fv, 2), *e = table_new(ev, 6);
	int rc = t && e ? FMCTL_OK : FMCTL_FINDING;

	for (int k = 0; rc == FMCTL_OK && k < ncols - 1; k++) {
		const char *row[2] = {cols[k].name, table_get(order, 0, k)};

		if (table_add(t, row) < 0)
			rc = FMCTL_FINDING;
	}
	if (rc == FMCTL_OK)
		rc = dbtab_query(c, EVENTS_SQL, 1, &id, e);
	if (rc == FMCTL_OK && (rc = cli_print(cli, t)) == FMCTL_OK) {
		t = NULL;
		printf("\n");
		rc = cli_print(cli, e);
		e = NULL;
	}
	table_free(t);
	table_free(e);
	return rc;
}

static int
show(const struct fmctl_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {CLI_OPT_FORMAT, CLI_OPT_HELP, {NULL, 0, NULL, 0}};
	static const struct table_col cols[] = {
		{"wo_id", TABLE_STR, 0},         {"site", TABLE_STR, 0},
		{"device", TABLE_STR, 0},        {"kind", TABLE_STR, 0},
		{"priority", TABLE_STR, 0},      {"complaint_grade", TABLE_STR, 0},
		{"state", TABLE_STR, 0},         {"title", TABLE_STR, 0},
		{"description", TABLE_STR, 0},   {"reporter", TABLE_STR, 0},
		{"skill", TABLE_STR, 0},         {"assignee", TABLE_STR, 0},
		{"escalation", TABLE_NUM, 0},    {"created", TABLE_STR, 0},
		{"accept_by", TABLE_STR, 0},     {"arrive_by", TABLE_STR, 0},
		{"resolve_by", TABLE_STR, 0},    {"followup_by", TABLE_STR, 0},
		{"accepted", TABLE_STR, 0},      {"arrived", TABLE_STR, 0},
		{"completed", TABLE_STR, 0},     {"closed", TABLE_STR, 0},
		{"alarm_id", TABLE_STR, 0},      {"plan_id", TABLE_STR, 0},
		{"repeat_of", TABLE_STR, 0},     {"satisfaction", TABLE_NUM, 0},
		{"followup_note", TABLE_STR, 0}, {"events", TABLE_RAW, 0},
	};
	const int ncols = (int)(sizeof cols / sizeof cols[0]);
	struct table *t = NULL;
	const char *id;
	struct fconn c;
	struct cli cli;
	int ch, rc;

	cli_init(&cli);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		if (cli_take(&cli, ch, optarg) <= 0)
			return cli_usage(WO_USAGE, 1);
	if (cli.help)
		return cli_usage(WO_USAGE, 0);
	if (optind != argc - 1)
		return cli_usage(WO_USAGE, 1);
	id = argv[optind];
	if ((rc = fconn_init(&c, o)) == FMCTL_OK && (t = table_new(cols, ncols)) == NULL)
		rc = FMCTL_FINDING;
	if (rc == FMCTL_OK)
		rc = dbtab_query(&c, SHOW_SQL, 1, &id, t);
	if (rc == FMCTL_OK && table_rows(t) == 0) {
		fprintf(stderr, "fmctl: no work order %s\n", id);
		rc = FMCTL_FINDING;
	}
	if (rc == FMCTL_OK && cli.format == TABLE_TEXT)
		rc = show_text(&c, &cli, t, id, cols, ncols);
	else if (rc == FMCTL_OK) {
		rc = cli_print(&cli, t);
		t = NULL;
	}
	table_free(t);
	fconn_close(&c);
	return rc;
}

int
cmd_wo(const struct fmctl_opts *o, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(WO_USAGE, 1);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cli_usage(WO_USAGE, 0);
	if (strcmp(argv[1], "list") == 0)
		return list(o, argc - 1, argv + 1);
	if (strcmp(argv[1], "show") == 0)
		return show(o, argc - 1, argv + 1);
	return wo_act(o, argc - 1, argv + 1);
}
