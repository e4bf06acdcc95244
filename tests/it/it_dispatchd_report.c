/* it_dispatchd_report — `fmctl report` (services/fmctl/report.c) over the
 * view wo_kpi against a real PostgreSQL: three orders with known history
 * give known figures per category and urgency and in total (resolved, on
 * time, mean minutes to accept, arrive and resolve from the SLA start,
 * satisfaction, repeat rate, open, breached); a period that holds none of
 * them gives a total of zero; --from/--to are days of the site's calendar. */
#include "it_servers.h"

#include <string.h>
#include <unistd.h>

#include "fmctl/report.h"

#define T0 "'2025-11-20 08:00:00+00'::timestamptz"
#define ROWS                                                                                       \
	"INSERT INTO work_orders (wo_id, site_id, kind, priority, state, title, created_at,"       \
	" sla_start_at, accepted_at, arrived_at, completed_at, closed_at, breached,"               \
	" satisfaction, repeat_of, assignee) VALUES"                                               \
	" ('WO-a', 'demo', 'repair_request', 'ordinary', 'closed', 'a', " T0 ", " T0 ", " T0       \
	" + interval '1 min', " T0 " + interval '10 min', " T0 " + interval '20 min', " T0         \
	" + interval '30 min', 0, 5, NULL, 'tech-yang'),"                                          \
	" ('WO-b', 'demo', 'repair_request', 'ordinary', 'dispatched', 'b', " T0 ", " T0           \
	", NULL, NULL, NULL, NULL, 2, NULL, NULL, 'tech-yang'),"                                   \
	" ('WO-c', 'demo', 'complaint', 'ordinary', 'followed_up', 'c', " T0 ", " T0 ", " T0       \
	" + interval '3 min', " T0 " + interval '4 min', " T0 " + interval '30 min', NULL, 1, 2,"  \
	" 'WO-a', 'tech-huang')"

/* The output of fmctl report ARGS (argv[0] is the command name). */
static char *
report(char *const *args, int n)
{
	static char out[8192];
	struct fmctl_opts o = {"config/fm.yaml", 0};
	FILE *f = tmpfile();
	int saved = dup(1), rc;
	size_t len;

	assert_non_null(f);
	fflush(stdout);
	dup2(fileno(f), 1);
	rc = cmd_report(&o, n, (char **)args);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	assert_int_equal(rc, 0);
	rewind(f);
	len = fread(out, 1, sizeof out - 1, f);
	out[len] = '\0';
	fclose(f);
	return out;
}

/* The line of out that starts with first (category) and second (urgency),
 * with its blanks squeezed. */
static const char *
line(const char *out, const char *start)
{
	static char buf[512];
	const char *p = out;

	while (p && *p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p), k = 0;

		if (strncmp(p, start, strlen(start)) == 0) {
			for (size_t i = 0; i < n && k < sizeof buf - 1; i++)
				if (p[i] != ' ' || (k && buf[k - 1] != ' '))
					buf[k++] = p[i];
			buf[k] = '\0';
			return buf;
		}
		p = e ? e + 1 : NULL;
	}
	return "";
}

static void
test_figures(void **state)
{
	char *const all[] = {"report", NULL};
	char *const site[] = {"report",     "--site", "demo",       "--from",
			      "2025-11-20", "--to",   "2025-11-20", NULL};
	char *const empty[] = {"report", "--from", "2025-11-21", NULL};
	const char *out;

	(void)state;
	it_fmctl("migrate");
	assert_int_equal(system("psql -X -q -v ON_ERROR_STOP=1 -c \"" ROWS "\" >/dev/null"), 0);
	out = report(all, 1);
	assert_string_equal(line(out, "repair_request"),
			    "repair_request ordinary 2 1 100.0 1.0 10.0 20.0 100.0 0.0 1 1");
	assert_string_equal(line(out, "complaint"),
			    "complaint ordinary 1 1 0.0 3.0 4.0 30.0 0.0 100.0 1 1");
	assert_string_equal(line(out, "all"), "all 3 2 50.0 2.0 7.0 25.0 50.0 33.3 2 2");
	assert_string_equal(line(report(site, 7), "all"),
			    "all 3 2 50.0 2.0 7.0 25.0 50.0 33.3 2 2");
	assert_string_equal(line(report(empty, 3), "all"), "all 0 0 - - - - - - 0 0");
}

/* An order opened at 20:00 UTC on 1 December is on 2 December for a site in
 * Asia/Shanghai (UTC+8): the site's day counts, not the session's (UTC). */
static void
test_site_calendar(void **state)
{
	char *const day2[] = {"report",     "--site", "east",       "--from",
			      "2025-12-02", "--to",   "2025-12-02", NULL};
	char *const day1[] = {"report",     "--site", "east",       "--from",
			      "2025-12-01", "--to",   "2025-12-01", NULL};

	(void)state;
	assert_int_equal(
		system("psql -X -q -v ON_ERROR_STOP=1 -c \"SET TimeZone = 'UTC';"
		       " INSERT INTO sites (site_id, name, timezone) VALUES ('east', 'East',"
		       " 'Asia/Shanghai'); INSERT INTO work_orders (wo_id, site_id, kind, priority,"
		       " state, title, created_at, sla_start_at) VALUES ('WO-e', 'east',"
		       " 'repair_request', 'ordinary', 'registered', 'e', '2025-12-01 20:00:00+00',"
		       " '2025-12-01 20:00:00+00')\" >/dev/null"),
		0);
	assert_string_equal(line(report(day2, 7), "all"), "all 1 0 - - - - - 0.0 1 0");
	assert_string_equal(line(report(day1, 7), "all"), "all 0 0 - - - - - - 0 0");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_figures),
		cmocka_unit_test(test_site_calendar),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
