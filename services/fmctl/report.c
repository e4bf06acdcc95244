/* report.c — `fmctl report [wo|pm] [--site S] [--from DATE] [--to DATE]`.
 *
 * wo (the default): per category and urgency, then in total, the orders
 * opened in the period, how many were resolved and how many of those on
 * time (no clock breached: target >= 90 %), mean minutes to accept, arrive
 * and resolve counted from the SLA start (the alarm's raise time where there
 * is one), satisfaction (scores 4-5 among those followed up: target >= 85 %),
 * the repeat-repair rate, and the orders still open and those ever breached.
 *
 * pm: the preventive-maintenance completion rate per plan (and per day,
 * week, month or year with --by), then in total, over the occurrences due
 * in the period: those requested plus those a schedd downtime skipped
 * ("missed", carried by the overdue request that stood for them and counted
 * in the period of that request), how many were completed, completed in time
 * (by the due instant plus the plan's overdue_after), and how many are open
 * past that now.
 *
 * Each report is one query over a view (wo_kpi, pm_kpi), so the figures are
 * the recorded history's; nothing is written. */
#include "dbtab.h"
#include "report.h"

#include <string.h>

/* --from and --to are days of the site's calendar (sites.timezone), as
 * --by is, not of the database session's time zone; both days included.
 * An order of a site no longer registered keeps the session's zone. */
#define FROM_DAY " >= coalesce($2::date::timestamp, '-infinity')"
#define TO_DAY " < coalesce(($3::date + 1)::timestamp, 'infinity')"
#define WO_LOCAL "(w.created_at AT TIME ZONE coalesce(s.timezone, current_setting('TimeZone')))"
#define PM_LOCAL "(k.due_at AT TIME ZONE s.timezone)"

#define WO_SQL                                                                                     \
	"SELECT coalesce(kind, 'all'), coalesce(priority, ''), count(*),"                          \
	" count(resolve_s),"                                                                       \
	" round(100.0 * avg(on_time::int) FILTER (WHERE resolve_s IS NOT NULL), 1),"               \
	" round(avg(accept_s)::numeric / 60, 1), round(avg(arrive_s)::numeric / 60, 1),"           \
	" round(avg(resolve_s)::numeric / 60, 1),"                                                 \
	" round(100.0 * avg(satisfied_score::int), 1), round(100.0 * avg(is_repeat::int), 1),"     \
	" count(*) FILTER (WHERE is_open), count(*) FILTER (WHERE breached_any)"                   \
	" FROM wo_kpi w LEFT JOIN sites s USING (site_id) WHERE ($1::text IS NULL OR site_id = "   \
	"$1)"                                                                                      \
	" AND " WO_LOCAL FROM_DAY " AND " WO_LOCAL TO_DAY                                          \
	" GROUP BY ROLLUP ((kind, priority)) ORDER BY kind NULLS LAST, priority"

/* The period of an occurrence is its due instant's local date in the
 * site's time zone, truncated to --by. Without --by every row's period is
 * 'all', and the rollup's per-period total (identical to the grand total)
 * is left out. */
#define PM_PERIOD                                                                                  \
	"coalesce(to_char(date_trunc($5, k.due_at AT TIME ZONE s.timezone), 'YYYY-MM-DD'), 'all')"
#define PM_DUE "(count(*) + coalesce(sum(k.missed), 0))"
#define PM_SQL                                                                                     \
	"SELECT CASE WHEN GROUPING(" PM_PERIOD ") = 1 THEN 'all' ELSE " PM_PERIOD " END,"          \
	" coalesce(k.plan_id, 'all'), CASE WHEN GROUPING(k.plan_id) = 1 THEN '' ELSE"              \
	" min(k.plan_name) || CASE WHEN bool_or(k.statutory) THEN ' (statutory)' ELSE '' END END," \
	" " PM_DUE ", count(*) FILTER (WHERE k.done),"                                             \
	" round(100.0 * count(*) FILTER (WHERE k.done) / nullif(" PM_DUE ", 0), 1),"               \
	" count(*) FILTER (WHERE k.on_time),"                                                      \
	" round(100.0 * count(*) FILTER (WHERE k.on_time) / nullif(" PM_DUE ", 0), 1),"            \
	" coalesce(sum(k.missed), 0), count(*) FILTER (WHERE k.overdue),"                          \
	" count(*) FILTER (WHERE NOT k.done AND NOT k.overdue AND NOT k.cancelled),"               \
	" count(*) FILTER (WHERE k.cancelled)"                                                     \
	" FROM pm_kpi k JOIN sites s ON s.site_id = k.site_id"                                     \
	" WHERE ($1::text IS NULL OR k.site_id = $1)"                                              \
	" AND " PM_LOCAL FROM_DAY " AND " PM_LOCAL TO_DAY                                          \
	" AND ($4::text IS NULL OR k.plan_id = $4)"                                                \
	" GROUP BY ROLLUP (" PM_PERIOD ", k.plan_id)"                                              \
	" HAVING NOT ($5::text IS NULL AND GROUPING(" PM_PERIOD                                    \
	") = 0 AND GROUPING(k.plan_id) = 1)"                                                       \
	" ORDER BY GROUPING(" PM_PERIOD "), 1, GROUPING(k.plan_id), 2"

struct report {
	const char *name, *sql;
	int nparams; /* of site, from, to, plan, by */
	int ncols;
	const struct table_col *cols;
};

static const struct table_col wo_cols[] = {
	{"category", TABLE_STR, 0},   {"urgency", TABLE_STR, 0},     {"orders", TABLE_NUM, 0},
	{"resolved", TABLE_NUM, 0},   {"on_time%", TABLE_NUM, 0},    {"accept_min", TABLE_NUM, 0},
	{"arrive_min", TABLE_NUM, 0}, {"resolve_min", TABLE_NUM, 0}, {"satisfied%", TABLE_NUM, 0},
	{"repeat%", TABLE_NUM, 0},    {"open", TABLE_NUM, 0},        {"breached", TABLE_NUM, 0},
};
static const struct table_col pm_cols[] = {
	{"period", TABLE_STR, 0},  {"plan", TABLE_STR, 0},     {"name", TABLE_STR, 0},
	{"due", TABLE_NUM, 0},     {"done", TABLE_NUM, 0},     {"done%", TABLE_NUM, 0},
	{"on_time", TABLE_NUM, 0}, {"on_time%", TABLE_NUM, 0}, {"missed", TABLE_NUM, 0},
	{"overdue", TABLE_NUM, 0}, {"open", TABLE_NUM, 0},     {"cancelled", TABLE_NUM, 0},
};
static const struct report reports[] = {
	{"wo", WO_SQL, 3, 12, wo_cols},
	{"pm", PM_SQL, 5, 12, pm_cols},
};

#define REPORT_USAGE                                                                               \
	"usage: fmctl report [wo|pm] [--site SITE] [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"        \
	"                    [--plan PLAN] [--by day|week|month|year] [--format table|json|csv]\n" \
	"  wo (default): work-order KPIs of the orders opened in the period\n"                     \
	"    (days of the site's calendar, both included; default: all), per\n"                    \
	"    category and urgency and in total. on_time%: resolved without a\n"                    \
	"    breached clock (target >= 90);\n"                                                     \
	"    satisfied%: scores 4-5 among follow-ups (target >= 85).\n"                            \
	"  pm: preventive-maintenance completion per plan of the occurrences due\n"                \
	"    in the period (--plan: one plan; --by: per day/week/month/year of the\n"              \
	"    site's calendar). due = requested + missed (skipped while schedd was\n"               \
	"    down); done% = completed / due; on_time: completed by the due time\n"                 \
	"    plus the plan's overdue_after; overdue: open past that now.\n"                        \
	"Exit: 0, 2 usage, 3 database unreachable, 1 query failed.\n"

enum { OPT_FROM = CLI_FIRST_OWN, OPT_TO, OPT_PLAN, OPT_BY };

/* p: site, from, to, plan, by. FMCTL_OK to go on, else the exit status. */
static int
parse(int argc, char **argv, struct cli *cli, const struct report **rep, const char *p[5])
{
	static const struct option longopts[] = {
		CLI_OPT_SITE,
		CLI_OPT_FORMAT,
		CLI_OPT_HELP,
		{"from", required_argument, NULL, OPT_FROM},
		{"to", required_argument, NULL, OPT_TO},
		{"plan", required_argument, NULL, OPT_PLAN},
		{"by", required_argument, NULL, OPT_BY},
		{NULL, 0, NULL, 0},
	};
	int ch, r;

	*rep = &reports[0];
	if (argc > 1 && argv[1][0] != '-') {
		*rep = strcmp(argv[1], "pm") == 0   ? &reports[1]
		       : strcmp(argv[1], "wo") == 0 ? &reports[0]
						    : NULL;
		if (!*rep)
			return cli_usage(REPORT_USAGE, 1);
		argc--, argv++;
	}
	optind = 0; /* GNU: rescan from argv[1]; main's getopt ran before */
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if ((r = cli_take(cli, ch, optarg)) < 0)
			return FMCTL_USAGE;
		if (r == 0 && ch >= OPT_FROM && ch <= OPT_BY)
			p[1 + ch - OPT_FROM] = optarg;
		else if (r == 0)
			return cli_usage(REPORT_USAGE, 1);
	}
	if (cli->help)
		return cli_usage(REPORT_USAGE, 0);
	p[0] = cli->site;
	if (optind < argc || ((p[3] || p[4]) && *rep != &reports[1]))
		return cli_usage(REPORT_USAGE, 1);
	if (p[4] && strcmp(p[4], "day") && strcmp(p[4], "week") && strcmp(p[4], "month") &&
	    strcmp(p[4], "year"))
		return cli_usage(REPORT_USAGE, 1);
	return FMCTL_OK;
}

int
cmd_report(const struct fmctl_opts *o, int argc, char **argv)
{
	const char *p[5] = {NULL, NULL, NULL, NULL, NULL};
	const struct report *rep;
	struct table *t = NULL;
	struct fconn c;
	struct cli cli;
	int rc;

	cli_init(&cli);
	if ((rc = parse(argc, argv, &cli, &rep, p)) != FMCTL_OK || cli.help)
		return rc;
	if ((rc = fconn_init(&c, o)) == FMCTL_OK && !(t = table_new(rep->cols, rep->ncols)))
		rc = FMCTL_FINDING;
	if (rc == FMCTL_OK)
		rc = dbtab_query(&c, rep->sql, rep->nparams, p, t);
	if (rc == FMCTL_OK) {
		rc = cli_print(&cli, t);
		t = NULL;
	}
	table_free(t);
	fconn_close(&c);
	return rc;
}
