/* test_schedd_due.c — next-due dates of calendar plans in Asia/Shanghai:
 * fixed grids (month ends that come back to the anchor day, leap years,
 * weeks, 15-day elevator cycles, windows across midnight, lead times), what
 * a completion or a request covers, occurrences missed during a downtime,
 * floating plans counted from the local completion date, plans never done,
 * invalid plans, and the occurrence keys. */
#include "schedd_due_fixture.h"

#include <limits.h>

/* Fixed plans: anchor_date set. */
static const struct due_case fixed_cases[] = {
	{"month end clamps to Feb 28", SH, DUE_MONTH, 1, "2025-01-31", NULL, 0, NULL, "2025-01-31",
	 "2025-02-20T12:00:00+08:00", DUE_WAIT, "2025-02-28", "2025-02-28T00:00:00+08:00",
	 "2025-03-01T00:00:00+08:00", NULL, 0},
	{"anchor day comes back: Mar 31, not Mar 28", SH, DUE_MONTH, 1, "2025-01-31", NULL, 0, NULL,
	 "2025-02-28", "2025-03-10T00:00:00+08:00", DUE_WAIT, "2025-03-31",
	 "2025-03-31T00:00:00+08:00", NULL, NULL, 0},
	{"31st in a 30-day month", SH, DUE_MONTH, 1, "2025-01-31", NULL, 0, NULL, "2025-03-31",
	 "2025-04-05T00:00:00+08:00", DUE_WAIT, "2025-04-30", "2025-04-30T00:00:00+08:00", NULL,
	 NULL, 0},
	{"leap year: Feb 29", SH, DUE_MONTH, 1, "2024-01-31", NULL, 0, NULL, "2024-01-31",
	 "2024-02-10T00:00:00+08:00", DUE_WAIT, "2024-02-29", "2024-02-29T00:00:00+08:00", NULL,
	 NULL, 0},
	{"yearly from Feb 29 to Feb 28", SH, DUE_YEAR, 1, "2024-02-29", NULL, 0, NULL, "2024-02-29",
	 "2024-06-01T00:00:00+08:00", DUE_WAIT, "2025-02-28", "2025-02-28T00:00:00+08:00", NULL,
	 NULL, 0},
	{"yearly back to Feb 29 in a leap year", SH, DUE_YEAR, 1, "2024-02-29", NULL, 0, NULL,
	 "2027-02-28", "2027-06-01T00:00:00+08:00", DUE_WAIT, "2028-02-29",
	 "2028-02-29T00:00:00+08:00", NULL, NULL, 0},
	{"quarterly keeps the 31st", SH, DUE_MONTH, 3, "2025-01-31", NULL, 0, NULL, "2025-04-30",
	 "2025-05-01T00:00:00+08:00", DUE_WAIT, "2025-07-31", "2025-07-31T00:00:00+08:00", NULL,
	 NULL, 0},
	{"half-yearly from Aug 31", SH, DUE_MONTH, 6, "2024-08-31", NULL, 0, NULL, "2024-08-31",
	 "2024-12-01T00:00:00+08:00", DUE_WAIT, "2025-02-28", "2025-02-28T00:00:00+08:00", NULL,
	 NULL, 0},
	{"lead time: ready exactly at due - lead", SH, DUE_MONTH, 1, "2025-01-15", NULL, 72, NULL,
	 "2025-01-15", "2025-02-12T00:00:00+08:00", DUE_READY, "2025-02-15",
	 "2025-02-15T00:00:00+08:00", NULL, "2025-02-12T00:00:00+08:00", 0},
	{"lead time: 1 ms before, waiting", SH, DUE_MONTH, 1, "2025-01-15", NULL, 72, NULL,
	 "2025-01-15", "2025-02-11T23:59:59.999+08:00", DUE_WAIT, "2025-02-15",
	 "2025-02-15T00:00:00+08:00", NULL, "2025-02-12T00:00:00+08:00", 0},
	{"downtime after a request: three missed", SH, DUE_MONTH, 1, "2025-01-01", NULL, 0, NULL,
	 "2025-02-01", "2025-06-15T10:00:00+08:00", DUE_READY, "2025-06-01",
	 "2025-06-01T00:00:00+08:00", NULL, NULL, 3},
	{"downtime after a completion: three missed", SH, DUE_MONTH, 1, "2025-01-01", NULL, 0,
	 "2025-02-03T09:00:00+08:00", NULL, "2025-06-15T10:00:00+08:00", DUE_READY, "2025-06-01",
	 "2025-06-01T00:00:00+08:00", NULL, NULL, 3},
	{"completion within the lead covers the coming one", SH, DUE_MONTH, 1, "2025-01-01", NULL,
	 120, "2025-01-29T10:00:00+08:00", NULL, "2025-01-30T00:00:00+08:00", DUE_WAIT,
	 "2025-03-01", "2025-03-01T00:00:00+08:00", NULL, "2025-02-24T00:00:00+08:00", 0},
	{"completion before the request window covers nothing new", SH, DUE_MONTH, 1, "2025-01-01",
	 NULL, 0, "2025-01-25T10:00:00+08:00", NULL, "2025-02-01T08:00:00+08:00", DUE_READY,
	 "2025-02-01", "2025-02-01T00:00:00+08:00", NULL, NULL, 0},
	{"later completion than request moves the cursor", SH, DUE_MONTH, 1, "2025-01-01", NULL, 0,
	 "2025-04-02T10:00:00+08:00", "2025-02-01", "2025-04-10T00:00:00+08:00", DUE_WAIT,
	 "2025-05-01", "2025-05-01T00:00:00+08:00", NULL, NULL, 0},
	{"completion before the anchor: every grid date missed", SH, DUE_MONTH, 1, "2025-01-10",
	 NULL, 0, "2024-12-01T10:00:00+08:00", NULL, "2025-04-11T00:00:00+08:00", DUE_READY,
	 "2025-04-10", "2025-04-10T00:00:00+08:00", NULL, NULL, 3},
	{"request off the grid (plan changed)", SH, DUE_MONTH, 1, "2025-01-10", NULL, 0, NULL,
	 "2025-03-20", "2025-03-25T00:00:00+08:00", DUE_WAIT, "2025-04-10",
	 "2025-04-10T00:00:00+08:00", NULL, NULL, 0},
	{"never done, anchor long past: due at once, nothing counted missed", SH, DUE_MONTH, 1,
	 "2020-01-10", NULL, 0, NULL, NULL, "2025-06-15T10:00:00+08:00", DUE_READY, "2025-06-10",
	 "2025-06-10T00:00:00+08:00", NULL, NULL, 0},
	{"never done, anchor ahead: waits for it", SH, DUE_MONTH, 1, "2025-07-01", NULL, 0, NULL,
	 NULL, "2025-06-15T10:00:00+08:00", DUE_WAIT, "2025-07-01", "2025-07-01T00:00:00+08:00",
	 NULL, NULL, 0},
	{"never done, anchor within the lead", SH, DUE_MONTH, 1, "2025-07-01", NULL, 480, NULL,
	 NULL, "2025-06-15T10:00:00+08:00", DUE_READY, "2025-07-01", "2025-07-01T00:00:00+08:00",
	 NULL, "2025-06-11T00:00:00+08:00", 0},
	{"every 2 weeks", SH, DUE_WEEK, 2, "2025-01-06", NULL, 0, NULL, "2025-01-06",
	 "2025-01-10T00:00:00+08:00", DUE_WAIT, "2025-01-20", "2025-01-20T00:00:00+08:00", NULL,
	 NULL, 0},
	{"every 2 weeks after a downtime", SH, DUE_WEEK, 2, "2025-01-06", NULL, 0, NULL,
	 "2025-01-06", "2025-03-05T00:00:00+08:00", DUE_READY, "2025-03-03",
	 "2025-03-03T00:00:00+08:00", NULL, NULL, 3},
	{"elevator every 15 days, 2 days ahead", SH, DUE_DAY, 15, "2025-01-01", "00:00-06:00", 48,
	 NULL, "2025-01-16", "2025-01-29T00:00:00+08:00", DUE_READY, "2025-01-31",
	 "2025-01-31T00:00:00+08:00", "2025-01-31T06:00:00+08:00", "2025-01-29T00:00:00+08:00", 0},
	{"daily window after midnight", SH, DUE_DAY, 1, "2025-01-01", "00:00-06:00", 0, NULL,
	 "2025-03-09", "2025-03-09T20:00:00+08:00", DUE_WAIT, "2025-03-10",
	 "2025-03-10T00:00:00+08:00", "2025-03-10T06:00:00+08:00", NULL, 0},
	{"window across midnight, before its start", SH, DUE_DAY, 1, "2025-01-01", "22:00-06:00", 0,
	 NULL, "2025-03-09", "2025-03-10T21:59:59+08:00", DUE_WAIT, "2025-03-10",
	 "2025-03-10T22:00:00+08:00", "2025-03-11T06:00:00+08:00", NULL, 0},
	{"window across midnight, at its start", SH, DUE_DAY, 1, "2025-01-01", "22:00-06:00", 0,
	 NULL, "2025-03-09", "2025-03-10T22:00:00+08:00", DUE_READY, "2025-03-10",
	 "2025-03-10T22:00:00+08:00", "2025-03-11T06:00:00+08:00", NULL, 0},
	{"window of a whole day (end = start)", SH, DUE_DAY, 1, "2025-01-01", "08:00-08:00", 0,
	 NULL, "2025-03-09", "2025-03-09T10:00:00+08:00", DUE_WAIT, "2025-03-10",
	 "2025-03-10T08:00:00+08:00", "2025-03-11T08:00:00+08:00", NULL, 0},
	{"statutory yearly: one missed year", SH, DUE_YEAR, 1, "2023-03-01", NULL, 0,
	 "2024-03-05T10:00:00+08:00", NULL, "2026-04-01T00:00:00+08:00", DUE_READY, "2026-03-01",
	 "2026-03-01T00:00:00+08:00", NULL, NULL, 1},
	{"the local date decides, not the UTC one", SH, DUE_DAY, 1, "2025-01-01", NULL, 0, NULL,
	 "2025-03-09", "2025-03-09T16:00:00Z", DUE_READY, "2025-03-10", "2025-03-10T00:00:00+08:00",
	 "2025-03-11T00:00:00+08:00", NULL, 0},
};

static void
test_fixed(void **state)
{
	(void)state;
	fx_run(fixed_cases, sizeof(fixed_cases) / sizeof(fixed_cases[0]));
}

/* Floating plans: anchor_date NULL. */
static const struct due_case floating_cases[] = {
	{"done Jan 31, monthly: Feb 28", SH, DUE_MONTH, 1, NULL, NULL, 0,
	 "2025-01-31T15:00:00+08:00", NULL, "2025-02-01T00:00:00+08:00", DUE_WAIT, "2025-02-28",
	 "2025-02-28T00:00:00+08:00", NULL, NULL, 0},
	{"floating drifts: done Feb 28, Mar 28", SH, DUE_MONTH, 1, NULL, NULL, 0,
	 "2025-02-28T10:00:00+08:00", NULL, "2025-03-01T00:00:00+08:00", DUE_WAIT, "2025-03-28",
	 "2025-03-28T00:00:00+08:00", NULL, NULL, 0},
	{"counted from the local completion date", SH, DUE_DAY, 15, NULL, NULL, 0,
	 "2025-03-31T17:00:00Z", NULL, "2025-04-02T00:00:00+08:00", DUE_WAIT, "2025-04-16",
	 "2025-04-16T00:00:00+08:00", NULL, NULL, 0},
	{"weekly", SH, DUE_WEEK, 1, NULL, NULL, 0, "2025-03-05T09:00:00+08:00", NULL,
	 "2025-03-06T00:00:00+08:00", DUE_WAIT, "2025-03-12", "2025-03-12T00:00:00+08:00", NULL,
	 NULL, 0},
	{"every 15 days with window and lead, ready", SH, DUE_DAY, 15, NULL, "00:00-06:00", 48,
	 "2025-03-05T03:00:00+08:00", NULL, "2025-03-18T00:00:00+08:00", DUE_READY, "2025-03-20",
	 "2025-03-20T00:00:00+08:00", "2025-03-20T06:00:00+08:00", "2025-03-18T00:00:00+08:00", 0},
	{"yearly from Feb 29", SH, DUE_YEAR, 1, NULL, NULL, 0, "2024-02-29T10:00:00+08:00", NULL,
	 "2024-03-01T00:00:00+08:00", DUE_WAIT, "2025-02-28", "2025-02-28T00:00:00+08:00", NULL,
	 NULL, 0},
	{"never done: today, at once", SH, DUE_MONTH, 6, NULL, NULL, 24, NULL, NULL,
	 "2025-06-15T10:00:00+08:00", DUE_READY, "2025-06-15", "2025-06-15T00:00:00+08:00", NULL,
	 "2025-06-14T00:00:00+08:00", 0},
	{"never done, window later today: published now", SH, DUE_MONTH, 6, NULL, "22:00-06:00", 0,
	 NULL, NULL, "2025-06-15T10:00:00+08:00", DUE_READY, "2025-06-15",
	 "2025-06-15T22:00:00+08:00", "2025-06-16T06:00:00+08:00", "2025-06-15T10:00:00+08:00", 0},
	{"never done, already requested", SH, DUE_MONTH, 6, NULL, NULL, 0, NULL, "2025-06-15",
	 "2025-06-20T00:00:00+08:00", DUE_REQUESTED, "2025-06-15", "2025-06-15T00:00:00+08:00",
	 NULL, NULL, 0},
	{"requested, waiting for completion", SH, DUE_MONTH, 1, NULL, NULL, 0,
	 "2025-05-10T09:00:00+08:00", "2025-06-10", "2025-06-20T00:00:00+08:00", DUE_REQUESTED,
	 "2025-06-10", "2025-06-10T00:00:00+08:00", NULL, NULL, 0},
	{"completion restarts from the real date", SH, DUE_MONTH, 1, NULL, NULL, 0,
	 "2025-06-12T09:00:00+08:00", "2025-06-10", "2025-06-20T00:00:00+08:00", DUE_WAIT,
	 "2025-07-12", "2025-07-12T00:00:00+08:00", NULL, NULL, 0},
	{"overdue after a downtime: the one due, no missed count", SH, DUE_MONTH, 1, NULL, NULL, 0,
	 "2025-01-10T09:00:00+08:00", NULL, "2025-05-20T00:00:00+08:00", DUE_READY, "2025-02-10",
	 "2025-02-10T00:00:00+08:00", NULL, NULL, 0},
};

static void
test_floating(void **state)
{
	(void)state;
	fx_run(floating_cases, sizeof(floating_cases) / sizeof(floating_cases[0]));
}

static void
test_invalid(void **state)
{
	static struct tu_zone z;
	const struct due_plan ok = {DUE_MONTH, 1, DUE_FIXED, {2025, 1, 31}, 1, 0, 6 * 3600, 0};
	struct due_plan bad[12];
	struct due_history h = {0, 0, 0, {0, 0, 0}, 0};
	struct due_result r;
	long long now = fx_at("2025-06-15T00:00:00Z");
	int n = 0;

	(void)state;
	tu_tz_utc(&z);
	assert_int_equal(due_plan_valid(&ok), 1);
	assert_int_equal(due_next(&ok, &z, &h, now, &r), 0);
	for (int i = 0; i < 12; i++)
		bad[i] = ok;
	bad[n++].every = 0;
	bad[n++].every = DUE_EVERY_MAX + 1;
	bad[n++].unit = (enum due_unit)9;
	bad[n++].anchor = (enum due_anchor)5;
	bad[n++].lead_ms = -1;
	bad[n++].lead_ms = DUE_LEAD_MAX_MS + 1;
	bad[n++].window_start_s = 86400;
	bad[n++].window_end_s = -1;
	bad[n++].anchor_date.day = 32;
	bad[n].anchor_date.month = 2;
	bad[n++].anchor_date.day = 29; /* 2025 is not a leap year */
	bad[n++].anchor_date.year = 10000;
	for (int i = 0; i < n; i++) {
		assert_int_equal(due_plan_valid(&bad[i]), 0);
		assert_int_equal(due_next(&bad[i], &z, &h, now, &r), -1);
	}
	/* A floating plan ignores its anchor date. */
	bad[0] = ok;
	bad[0].anchor = DUE_FLOATING;
	bad[0].anchor_date.month = 13;
	assert_int_equal(due_plan_valid(&bad[0]), 1);

	h.has_last_requested = 1;
	h.last_requested = (struct due_date){2025, 4, 31};
	assert_int_equal(due_next(&ok, &z, &h, now, &r), -1);
	h.has_last_requested = 0;
	assert_int_equal(due_next(&ok, &z, &h, LLONG_MAX, &r), -1);
	h.has_last_done = 1;
	h.last_done_ms = TU_MAX_MS + 1;
	assert_int_equal(due_next(&ok, &z, &h, now, &r), -1);
}

/* Next occurrence past year 9999: an error, not a wrapped date. */
static void
test_end_of_calendar(void **state)
{
	static struct tu_zone z;
	const struct due_plan yearly = {DUE_YEAR, 1, DUE_FIXED, {9999, 1, 1}, 0, 0, 0, 0};
	struct due_plan floating = yearly;
	struct due_history h = {0, 0, 1, {9999, 1, 1}, 0};
	struct due_result r;

	(void)state;
	tu_tz_utc(&z);
	assert_int_equal(due_next(&yearly, &z, &h, fx_at("9999-06-01T00:00:00Z"), &r), -1);
	floating.anchor = DUE_FLOATING;
	h.has_last_requested = 0;
	h.has_last_done = 1;
	h.last_done_ms = fx_at("9999-03-01T00:00:00Z");
	assert_int_equal(due_next(&floating, &z, &h, fx_at("9999-06-01T00:00:00Z"), &r), -1);
}

static void
test_dates(void **state)
{
	struct due_date a = {2025, 2, 28}, b = {2025, 3, 1}, bad = {2025, 2, 29};
	char buf[DUE_DATE_LEN];

	(void)state;
	assert_true(due_date_cmp(&a, &b) < 0);
	assert_true(due_date_cmp(&b, &a) > 0);
	assert_int_equal(due_date_cmp(&a, &a), 0);
	assert_true(due_date_cmp(&(struct due_date){2024, 12, 31}, &a) < 0);
	assert_int_equal(due_date_format(&a, buf, sizeof(buf)), 10);
	assert_string_equal(buf, "2025-02-28");
	assert_int_equal(due_date_format(&(struct due_date){7, 1, 2}, buf, sizeof(buf)), 10);
	assert_string_equal(buf, "0007-01-02");
	assert_int_equal(due_date_format(&bad, buf, sizeof(buf)), -1);
	assert_string_equal(buf, "");
	assert_int_equal(due_date_format(&a, buf, DUE_DATE_LEN - 1), -1);
	assert_string_equal(buf, "");
}

static void
test_keys(void **state)
{
	static const struct {
		const char *plan, *device, *date;
		size_t cap;
		int len;
		const char *key;
	} t[] = {
		{"pump_service", "pump-1", "2025-02-28", 64, 30, "pump_service:pump-1:2025-02-28"},
		{"p", "d", "2024-02-29", 15, 14, "p:d:2024-02-29"},
		{"p", "d", "2024-02-29", 14, -1, ""},
		{"", "d", "2024-02-29", 64, -1, ""},
		{"p", "", "2024-02-29", 64, -1, ""},
		{"p:x", "d", "2024-02-29", 64, -1, ""},
		{"p", "d:x", "2024-02-29", 64, -1, ""},
		{"p", "d", "2025-02-29", 64, -1, ""},
	};
	char buf[64];
	struct due_date d;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int n = due_key(buf, t[i].cap, t[i].plan, t[i].device, &(struct due_date){0, 0, 0});

		assert_int_equal(n, -1);
		sscanf(t[i].date, "%d-%d-%d", &d.year, &d.month, &d.day);
		n = due_key(buf, t[i].cap, t[i].plan, t[i].device, &d);
		if (n != t[i].len || strcmp(buf, t[i].key) != 0)
			fail_msg("row %zu: %d '%s'", i, n, buf);
		if (n > 0) {
			struct due_date back;

			assert_int_equal(due_key_date(buf, &back), 0);
			assert_int_equal(due_date_cmp(&back, &d), 0);
		}
	}
}

static void
test_key_date_rejects(void **state)
{
	static const char *bad[] = {
		"2025-01-01",
		"p:d:2025-13-01",
		"p:d:2025-02-29",
		"p:d:2025-1-01",
		"p:d:2025-01-011",
		"p:d:2025/01/01",
		"p:d:",
		"p:d:2025-01-0x",
		"p:d:+025-01-01",
		"",
	};
	struct due_date d = {1, 2, 3};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (due_key_date(bad[i], &d) != -1)
			fail_msg("accepted '%s'", bad[i]);
		assert_int_equal(d.year, 1); /* untouched */
	}
	assert_int_equal(due_key_date(":0000-01-01", &d), 0);
	assert_int_equal(d.year, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_floating),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_end_of_calendar),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_key_date_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
