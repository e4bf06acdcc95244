/* test_schedd_due_zone.c — next-due instants through daylight-saving
 * changes (Europe/Berlin 2025: 02:00 CET -> 03:00 CEST on Mar 30, 03:00
 * CEST -> 02:00 CET on Oct 26; Asia/Shanghai's 1988 DST, per zdump): windows
 * in a gap move later, in an overlap take the earlier instant, days of 23 and
 * 25 hours; and a schedd loop played hour by hour over a year, with a
 * downtime, that must request each occurrence exactly once. */
#include "schedd_due_fixture.h"

static const struct due_case dst_cases[] = {
	{"window start in the spring gap moves later", BER, DUE_DAY, 1, "2025-03-01", "02:30-04:00",
	 0, NULL, "2025-03-29", "2025-03-29T12:00:00+01:00", DUE_WAIT, "2025-03-30",
	 "2025-03-30T01:30:00Z", "2025-03-30T02:00:00Z", NULL, 0},
	{"ready exactly at the moved start", BER, DUE_DAY, 1, "2025-03-01", "02:30-04:00", 0, NULL,
	 "2025-03-29", "2025-03-30T01:30:00Z", DUE_READY, "2025-03-30", "2025-03-30T01:30:00Z",
	 NULL, NULL, 0},
	{"not ready 1 ms before it", BER, DUE_DAY, 1, "2025-03-01", "02:30-04:00", 0, NULL,
	 "2025-03-29", "2025-03-30T01:29:59.999Z", DUE_WAIT, "2025-03-30", "2025-03-30T01:30:00Z",
	 NULL, NULL, 0},
	{"window start in the autumn overlap: the earlier", BER, DUE_DAY, 1, "2025-03-01",
	 "02:30-04:00", 0, NULL, "2025-10-25", "2025-10-25T12:00:00+02:00", DUE_WAIT, "2025-10-26",
	 "2025-10-26T00:30:00Z", "2025-10-26T03:00:00Z", NULL, 0},
	{"01:00 the day after spring forward: 23 h later", BER, DUE_DAY, 1, "2025-03-01",
	 "01:00-05:00", 0, NULL, "2025-03-30", "2025-03-30T12:00:00+02:00", DUE_WAIT, "2025-03-31",
	 "2025-03-30T23:00:00Z", "2025-03-31T03:00:00Z", NULL, 0},
	{"01:00 on spring forward day is still CET", BER, DUE_DAY, 1, "2025-03-01", "01:00-05:00",
	 0, NULL, "2025-03-29", "2025-03-29T12:00:00+01:00", DUE_WAIT, "2025-03-30",
	 "2025-03-30T00:00:00Z", "2025-03-30T03:00:00Z", NULL, 0},
	{"midnight to midnight on the 23-hour day", BER, DUE_DAY, 1, "2025-03-01", NULL, 0, NULL,
	 "2025-03-29", "2025-03-29T12:00:00+01:00", DUE_WAIT, "2025-03-30", "2025-03-29T23:00:00Z",
	 "2025-03-30T22:00:00Z", NULL, 0},
	{"midnight to midnight on the 25-hour day", BER, DUE_DAY, 1, "2025-03-01", NULL, 0, NULL,
	 "2025-10-25", "2025-10-25T12:00:00+02:00", DUE_WAIT, "2025-10-26", "2025-10-25T22:00:00Z",
	 "2025-10-26T23:00:00Z", NULL, 0},
	{"monthly at local midnight in summer time", BER, DUE_MONTH, 1, "2025-01-01", NULL, 0, NULL,
	 "2025-03-01", "2025-03-20T00:00:00Z", DUE_WAIT, "2025-04-01", "2025-03-31T22:00:00Z", NULL,
	 NULL, 0},
	{"night window across the overlap", BER, DUE_DAY, 1, "2025-03-01", "22:00-06:00", 0, NULL,
	 "2025-10-24", "2025-10-25T12:00:00+02:00", DUE_WAIT, "2025-10-25", "2025-10-25T20:00:00Z",
	 "2025-10-26T05:00:00Z", NULL, 0},
	{"lead across the change: 24 h before a CEST start", BER, DUE_DAY, 7, "2025-03-03",
	 "08:00-12:00", 24, NULL, "2025-03-24", "2025-03-30T06:00:00Z", DUE_READY, "2025-03-31",
	 "2025-03-31T06:00:00Z", "2025-03-31T10:00:00Z", "2025-03-30T06:00:00Z", 0},
	{"floating, done just after local midnight", BER, DUE_DAY, 1, NULL, NULL, 0,
	 "2025-03-29T23:30:00Z", NULL, "2025-03-30T12:00:00Z", DUE_WAIT, "2025-03-31",
	 "2025-03-30T22:00:00Z", NULL, NULL, 0},
	{"Shanghai 1988 gap: 02:30 is 03:30 CDT", SH, DUE_DAY, 1, "1988-04-01", "02:30-05:00", 0,
	 NULL, "1988-04-16", "1988-04-16T12:00:00+08:00", DUE_WAIT, "1988-04-17",
	 "1988-04-16T18:30:00Z", "1988-04-16T20:00:00Z", NULL, 0},
	{"Shanghai 1988 overlap: 01:30 CDT, the earlier", SH, DUE_DAY, 1, "1988-09-01",
	 "01:30-05:00", 0, NULL, "1988-09-10", "1988-09-10T12:00:00+09:00", DUE_WAIT, "1988-09-11",
	 "1988-09-10T16:30:00Z", "1988-09-10T21:00:00Z", NULL, 0},
	{"Shanghai today: the same 02:30 is plain CST", SH, DUE_DAY, 1, "2025-03-01", "02:30-05:00",
	 0, NULL, "2025-03-29", "2025-03-29T12:00:00+08:00", DUE_WAIT, "2025-03-30",
	 "2025-03-29T18:30:00Z", "2025-03-29T21:00:00Z", NULL, 0},
};

static void
test_dst(void **state)
{
	(void)state;
	fx_run(dst_cases, sizeof(dst_cases) / sizeof(dst_cases[0]));
}

/* What schedd's loop does with due_next: publish when READY, remember the
 * request's date, and let a technician complete each order two days after
 * it was requested. Played every hour through 2024 in Berlin, with schedd
 * down from Jun 10 to Sep 12: one request per occurrence, the downtime's
 * three collapsed into one overdue request that counts two missed. */
static void
test_loop_once_per_occurrence(void **state)
{
	static struct tu_zone z;
	static const char *want[] = {
		"2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31",
		"2024-08-31", "2024-09-30", "2024-10-31", "2024-11-30", "2024-12-31",
	};
	static const long long want_missed[] = {0, 0, 0, 0, 0, 2, 0, 0, 0, 0};
	const struct due_plan p = {DUE_MONTH, 1, DUE_FIXED, {2024, 1, 31}, 1, 0, 6 * 3600, 0};
	struct due_history h = {0, 0, 0, {0, 0, 0}, 0};
	long long down_from = fx_at("2024-06-10T00:00:00Z"),
		  down_to = fx_at("2024-09-12T00:00:00Z");
	long long end = fx_at("2025-01-01T00:00:00Z"), done_at = 0;
	size_t n = 0;

	(void)state;
	fx_zone(BER, &z);
	for (long long now = fx_at("2024-01-01T00:00:00Z"); now < end; now += HOUR_MS) {
		struct due_result r;
		char got[DUE_DATE_LEN];

		if (done_at != 0 && now >= done_at) {
			h.has_last_done = 1;
			h.last_done_ms = done_at;
			done_at = 0;
		}
		if (now >= down_from && now < down_to)
			continue;
		assert_int_equal(due_next(&p, &z, &h, now, &r), 0);
		if (r.state != DUE_READY)
			continue;
		due_date_format(&r.date, got, sizeof(got));
		if (n >= sizeof(want) / sizeof(want[0]) || strcmp(got, want[n]) != 0 ||
		    r.missed != want_missed[n])
			fail_msg("request %zu: %s missed %lld", n, got, r.missed);
		n++;
		h.has_last_requested = 1;
		h.last_requested = r.date;
		done_at = now + 48 * HOUR_MS;
	}
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dst),
		cmocka_unit_test(test_loop_once_per_occurrence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
