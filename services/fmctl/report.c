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
#include "db.h"
#include "fmconf.h"
#include "report.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#define WO_SQL                                                                                     \
	"SELECT coalesce(kind, 'all'), coalesce(priority, ''), count(*),"                          \
	" count(resolve_s),"                                                                       \
	" round(100.0 * avg(on_time::int) FILTER (WHERE resolve_s IS NOT NULL), 1),"               \
	" round(avg(accept_s)::numeric / 60, 1), round(avg(arrive_s)::numeric / 60, 1),"           \
	" round(avg(resolve_s)::numeric / 60, 1),"                                                 \
	" round(100.0 * avg(satisfied_score::int), 1), round(100.0 * avg(is_repeat::int), 1),"     \
	" count(*) FILTER (WHERE is_open), count(*) FILTER (WHERE breached_any)"                   \
	" FROM wo_kpi WHERE ($1::text IS NULL OR site_id = $1)"                                    \
	" AND created_at >= coalesce($2::date, '-infinity'::timestamptz)"                          \
	" AND created_at < coalesce($3::date + 1, 'infinity'::timestamptz)"                        \
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
	" AND k.due_at >= coalesce($2::date, '-infinity'::timestamptz)"                            \
	" AND k.due_at < coalesce($3::date + 1, 'infinity'::timestamptz)"                          \
	" AND ($4::text IS NULL OR k.plan_id = $4)"                                                \
	" GROUP BY ROLLUP (" PM_PERIOD ", k.plan_id)"                                              \
	" HAVING NOT ($5::text IS NULL AND GROUPING(" PM_PERIOD                                    \
	") = 0 AND GROUPING(k.plan_id) = 1)"                                                       \
	" ORDER BY GROUPING(" PM_PERIOD "), 1, GROUPING(k.plan_id), 2"

struct report {
	const char *name, *sql;
	int nparams;        /* of site, from, to, plan, by */
	int ncols, nlabels; /* label columns are left-aligned */
	const char *const *head;
};

static const char *const wo_head[] = {"category",   "urgency",    "orders",     "resolved",
				      "on_time%",   "accept_min", "arrive_min", "resolve_min",
				      "satisfied%", "repeat%",    "open",       "breached"};
static const char *const pm_head[] = {"period", "plan",    "name",    "due",
				      "done",   "done%",   "on_time", "on_time%",
				      "missed", "overdue", "open",    "cancelled"};
static const struct report reports[] = {
	{"wo", WO_SQL, 3, 12, 2, wo_head},
	{"pm", PM_SQL, 5, 12, 3, pm_head},
};

static void
usage(FILE *out)
{
	fprintf(out,
		"usage: fmctl report [wo|pm] [--site SITE] [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
		"                    [--plan PLAN] [--by day|week|month|year]\n"
		"  wo (default): work-order KPIs of the orders opened in the period\n"
		"    (both days included; default: all), per category and urgency and in\n"
		"    total. on_time%%: resolved without a breached clock (target >= 90);\n"
		"    satisfied%%: scores 4-5 among follow-ups (target >= 85).\n"
		"  pm: preventive-maintenance completion per plan of the occurrences due\n"
		"    in the period (--plan: one plan; --by: per day/week/month/year of the\n"
		"    site's calendar). due = requested + missed (skipped while schedd was\n"
		"    down); done%% = completed / due; on_time: completed by the due time\n"
		"    plus the plan's overdue_after; overdue: open past that now.\n"
		"Exit: 0, 2 usage, 3 database unreachable, 1 query failed.\n");
}

/* p: site, from, to, plan, by. 1: --help, -1: usage error. */
static int
parse(int argc, char **argv, const struct report **rep, const char *p[5])
{
	static const struct option longopts[] = {
		{"site", required_argument, NULL, 's'},
		{"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 't'},
		{"plan", required_argument, NULL, 'p'},
		{"by", required_argument, NULL, 'b'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static const char opts[] = "sftpb";
	int ch;

	*rep = &reports[0];
	if (argc > 1 && argv[1][0] != '-') {
		*rep = strcmp(argv[1], "pm") == 0   ? &reports[1]
		       : strcmp(argv[1], "wo") == 0 ? &reports[0]
						    : NULL;
		if (!*rep)
			return usage(stderr), -1;
		argc--, argv++;
	}
	optind = 0; /* GNU: rescan from argv[1]; main's getopt ran before */
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		const char *at = ch > 0 ? strchr(opts, ch) : NULL;

		if (!at)
			return usage(ch == 'h' ? stdout : stderr), ch == 'h' ? 1 : -1;
		p[at - opts] = optarg;
	}
	if (optind < argc || ((p[3] || p[4]) && *rep != &reports[1]))
		return usage(stderr), -1;
	if (p[4] && strcmp(p[4], "day") && strcmp(p[4], "week") && strcmp(p[4], "month") &&
	    strcmp(p[4], "year"))
		return usage(stderr), -1;
	return 0;
}

static void
print(const struct report *rep, const struct db_res *r)
{
	for (int c = 0; c < rep->ncols; c++)
		printf(c < rep->nlabels ? "%-16s" : " %9s", rep->head[c]);
	printf("\n");
	for (size_t i = 0; i < db_res_rows(r); i++) {
		for (int c = 0; c < rep->ncols; c++) {
			const char *v = db_res_get(r, i, c);

			printf(c < rep->nlabels ? "%-16s" : " %9s", v && v[0] ? v : "-");
		}
		printf("\n");
	}
}

int
cmd_report(const struct fmctl_opts *o, int argc, char **argv)
{
	const char *p[5] = {NULL, NULL, NULL, NULL, NULL};
	const struct report *rep;
	struct fm_config cfg;
	struct cfg_errs errs;
	struct db_res *r = NULL;
	struct db *db;
	int rc = parse(argc, argv, &rep, p), st;

	if (rc)
		return rc > 0 ? FMCTL_OK : FMCTL_USAGE;
	cfg_errs_init(&errs);
	if (fmconf_load(o->config_path, &cfg, &errs) < 0) {
		cfg_errs_print(&errs, stderr);
		cfg_errs_free(&errs);
		return FMCTL_FINDING;
	}
	cfg_errs_free(&errs);
	db = db_new(cfg.db.conninfo);
	if (db_connect(db) != DB_OK) {
		fprintf(stderr, "fmctl: cannot reach PostgreSQL: %s\n", db_error(db));
		db_free(db);
		return FMCTL_UNAVAILABLE;
	}
	st = db_exec(db, rep->sql, rep->nparams, p, &r);
	if (st == DB_OK)
		print(rep, r);
	else
		fprintf(stderr, "fmctl: report %s: %s\n", rep->name, db_error(db));
	db_res_free(r);
	db_free(db);
	return st == DB_OK ? FMCTL_OK : FMCTL_FINDING;
}
