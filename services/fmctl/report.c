/* report.c — `fmctl report [--site S] [--from DATE] [--to DATE]`: per
 * category and urgency, then in total, the orders opened in the period,
 * how many were resolved and how many of those on time (no clock breached:
 * target >= 90 %), mean minutes to accept, arrive and resolve counted from
 * the SLA start (the alarm's raise time where there is one), satisfaction
 * (scores 4-5 among those followed up: target >= 85 %), the repeat-repair
 * rate, and the orders still open and those ever breached. Everything is
 * computed by one query over wo_kpi, so the figures are the recorded
 * history's; nothing is written. */
#include "db.h"
#include "fmconf.h"
#include "report.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#define REPORT_SQL                                                                                 \
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

#define NCOLS 12

static void
usage(FILE *out)
{
	fprintf(out, "usage: fmctl report [--site SITE] [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
		     "  Work-order KPIs of the orders opened in the period (both days\n"
		     "  included; default: all), per category and urgency and in total.\n"
		     "  on_time%%: resolved without a breached clock (target >= 90);\n"
		     "  satisfied%%: scores 4-5 among follow-ups (target >= 85).\n"
		     "Exit: 0, 2 usage, 3 database unreachable, 1 query failed.\n");
}

static int
parse(int argc, char **argv, const char *p[3])
{
	static const struct option longopts[] = {
		{"site", required_argument, NULL, 's'},
		{"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int ch;

	optind = 0; /* GNU: rescan from argv[1]; main's getopt ran before */
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (ch == 's' || ch == 'f' || ch == 't')
			p[ch == 's' ? 0 : ch == 'f' ? 1 : 2] = optarg;
		else
			return usage(ch == 'h' ? stdout : stderr), ch == 'h' ? 1 : -1;
	}
	if (optind < argc)
		return usage(stderr), -1;
	return 0;
}

static void
print(const struct db_res *r)
{
	static const char *const head[NCOLS] = {
		"category",   "urgency",     "orders",     "resolved", "on_time%", "accept_min",
		"arrive_min", "resolve_min", "satisfied%", "repeat%",  "open",     "breached"};

	for (int c = 0; c < NCOLS; c++)
		printf(c < 2 ? "%-16s" : " %11s", head[c]);
	printf("\n");
	for (size_t i = 0; i < db_res_rows(r); i++) {
		for (int c = 0; c < NCOLS; c++) {
			const char *v = db_res_get(r, i, c);

			printf(c < 2 ? "%-16s" : " %11s", v ? v : "-");
		}
		printf("\n");
	}
}

int
cmd_report(const struct fmctl_opts *o, int argc, char **argv)
{
	const char *p[3] = {NULL, NULL, NULL};
	struct fm_config cfg;
	struct cfg_errs errs;
	struct db_res *r = NULL;
	struct db *db;
	int rc = parse(argc, argv, p), st;

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
	st = db_exec(db, REPORT_SQL, 3, p, &r);
	if (st == DB_OK)
		print(r);
	else
		fprintf(stderr, "fmctl: report: %s\n", db_error(db));
	db_res_free(r);
	db_free(db);
	return st == DB_OK ? FMCTL_OK : FMCTL_FINDING;
}
