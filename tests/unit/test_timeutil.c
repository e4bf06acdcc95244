/* test_timeutil.c — RFC 3339 text and the civil calendar (leap years, day
 * numbers, weekdays, month arithmetic) against tables of known values, never
 * computed with libc here. Time zones: test_timeutil_zone.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timeutil.h"

static void
test_rfc3339_format(void **state)
{
	static const struct {
		long long ms;
		const char *want;
	} t[] = {
		{0, "1970-01-01T00:00:00.000Z"},
		{1763891234123LL, "2025-11-23T09:47:14.123Z"},
		{-1, "1969-12-31T23:59:59.999Z"},
		{951782400000LL, "2000-02-29T00:00:00.000Z"},
		{4107542399999LL, "2100-02-28T23:59:59.999Z"},
		{TU_MIN_MS, "0000-01-01T00:00:00.000Z"},
		{TU_MAX_MS, "9999-12-31T23:59:59.999Z"},
	};
	char buf[TU_RFC3339_LEN];
	(void)state;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(tu_format_rfc3339(t[i].ms, buf, sizeof(buf)), 24);
		assert_string_equal(buf, t[i].want);
	}
	assert_int_equal(tu_format_rfc3339(TU_MAX_MS + 1, buf, sizeof(buf)), -1);
	assert_string_equal(buf, "");
	assert_int_equal(tu_format_rfc3339(TU_MIN_MS - 1, buf, sizeof(buf)), -1);
	assert_int_equal(tu_format_rfc3339(0, buf, sizeof(buf) - 1), -1);
}

static void
test_rfc3339_parse(void **state)
{
	static const struct {
		const char *s;
		int ok;
		long long ms;
	} t[] = {
		{"2025-11-23T09:47:14.123Z", 1, 1763891234123LL},
		{"2025-11-23T17:47:14.123+08:00", 1, 1763891234123LL},
		{"2025-11-23t09:47:14.123z", 1, 1763891234123LL},
		{"2025-11-23 09:47:14.123Z", 1, 1763891234123LL},
		{"2025-11-23T04:47:14.1239999-05:00", 1, 1763891234123LL},
		{"2025-11-23T09:47:14Z", 1, 1763891234000LL},
		{"2025-11-23T09:47:14.5Z", 1, 1763891234500LL},
		{"1970-01-01T00:00:00-00:00", 1, 0},
		{"1969-12-31T23:59:59.999Z", 1, -1},
		{"2024-02-29T00:00:00Z", 1, 1709164800000LL},
		{"9999-12-31T23:59:59.999Z", 1, TU_MAX_MS},
		{"0000-01-01T00:00:00Z", 1, TU_MIN_MS},
		{"2023-02-29T00:00:00Z", 0, 0},
		{"2025-13-01T00:00:00Z", 0, 0},
		{"2025-00-01T00:00:00Z", 0, 0},
		{"2025-04-31T00:00:00Z", 0, 0},
		{"2025-11-23T24:00:00Z", 0, 0},
		{"2025-11-23T09:60:00Z", 0, 0},
		{"2025-11-23T09:47:60Z", 0, 0},
		{"2025-11-23T09:47:14", 0, 0},
		{"2025-11-23T09:47:14.Z", 0, 0},
		{"2025-11-23T09:47:14+08:60", 0, 0},
		{"2025-11-23T09:47:14+24:00", 0, 0},
		{"2025-11-23T09:47:14+0800", 0, 0},
		{"2025-11-23T09:47:14Z ", 0, 0},
		{"2025-11-23X09:47:14Z", 0, 0},
		{"25-11-23T09:47:14Z", 0, 0},
		{"+2025-11-23T09:47:14Z", 0, 0},
		{"1763891234123", 0, 0},
		{"", 0, 0},
		{"0000-01-01T00:00:00+00:01", 0, 0},
		{"9999-12-31T23:59:59-00:01", 0, 0},
	};
	(void)state;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		long long ms = 42;
		int rc = tu_parse_rfc3339(t[i].s, &ms);
		if (t[i].ok && (rc != 0 || ms != t[i].ms))
			fail_msg("%s: rc %d ms %lld, want %lld", t[i].s, rc, ms, t[i].ms);
		if (!t[i].ok && (rc != -1 || ms != 42))
			fail_msg("%s: accepted", t[i].s);
	}
}

static void
test_calendar(void **state)
{
	static const struct {
		int y, m, d;
		long long days;
		int wday;
	} t[] = {
		{1970, 1, 1, 0, 4},     {1969, 12, 31, -1, 3},      {2000, 1, 1, 10957, 6},
		{2000, 3, 1, 11017, 3}, {2025, 11, 23, 20415, 0},   {1600, 2, 29, -135081, 2},
		{0, 1, 1, -719528, 6},  {9999, 12, 31, 2932896, 5}, {2100, 3, 1, 47541, 1},
	};
	static const struct {
		int y, leap;
	} leap[] = {{1900, 0}, {2000, 1}, {2023, 0}, {2024, 1},
		    {2100, 0}, {2400, 1}, {0, 1},    {4, 1}};
	(void)state;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int y, m, d;
		assert_int_equal(tu_days_from_civil(t[i].y, t[i].m, t[i].d), t[i].days);
		assert_int_equal(tu_weekday(t[i].days), t[i].wday);
		assert_int_equal(tu_civil_from_days(t[i].days, &y, &m, &d), 0);
		assert_true(y == t[i].y && m == t[i].m && d == t[i].d);
	}
	for (size_t i = 0; i < sizeof(leap) / sizeof(leap[0]); i++)
		assert_int_equal(tu_is_leap_year(leap[i].y), leap[i].leap);
	assert_int_equal(tu_days_in_month(2024, 2), 29);
	assert_int_equal(tu_days_in_month(2100, 2), 28);
	assert_int_equal(tu_days_in_month(2025, 4), 30);
	assert_int_equal(tu_days_in_month(2025, 12), 31);
	assert_int_equal(tu_days_in_month(2025, 0), 0);
	assert_int_equal(tu_days_in_month(2025, 13), 0);
	/* Day past the month end rolls over: Jan 32 = Feb 1. */
	assert_int_equal(tu_days_from_civil(2025, 1, 32), tu_days_from_civil(2025, 2, 1));
	assert_int_equal(tu_civil_from_days(2932897, &(int){0}, &(int){0}, &(int){0}), -1);
	assert_int_equal(tu_civil_from_days(-719529, &(int){0}, &(int){0}, &(int){0}), -1);

	/* Every day of years 0..9999 maps back to itself, one after another. */
	int py = 0, pm = 1, pd = 0;
	for (long long days = -719528; days <= 2932896; days++) {
		int y, m, d;
		tu_civil_from_days(days, &y, &m, &d);
		int next = (y == py && m == pm && d == pd + 1) ||
			   (y == py && m == pm + 1 && d == 1) || (y == py + 1 && m == 1 && d == 1);
		if (!next || tu_days_from_civil(y, m, d) != days)
			fail_msg("day %lld -> %04d-%02d-%02d", days, y, m, d);
		py = y, pm = m, pd = d;
	}
}

static void
test_add_months(void **state)
{
	static const struct {
		int y, m, d, add;
		int ok, wy, wm, wd, wday;
	} t[] = {
		{2025, 1, 31, 1, 1, 2025, 2, 28, 5},    {2024, 1, 31, 1, 1, 2024, 2, 29, 4},
		{2025, 3, 31, -1, 1, 2025, 2, 28, 5},   {2025, 12, 15, 1, 1, 2026, 1, 15, 4},
		{2025, 1, 15, -13, 1, 2023, 12, 15, 5}, {2024, 2, 29, 12, 1, 2025, 2, 28, 5},
		{2024, 2, 29, 48, 1, 2028, 2, 29, 2},   {2025, 5, 31, 6, 1, 2025, 11, 30, 0},
		{2025, 8, 31, 0, 1, 2025, 8, 31, 0},    {9999, 12, 1, 1, 0, 0, 0, 0, 0},
		{0, 1, 1, -1, 0, 0, 0, 0, 0},           {2025, 2, 30, 1, 0, 0, 0, 0, 0},
		{2025, 13, 1, 1, 0, 0, 0, 0, 0},
	};
	(void)state;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct tu_civil c = {
			.year = t[i].y, .month = t[i].m, .day = t[i].d, .hour = 9, .min = 30};
		int rc = tu_add_months(&c, t[i].add);
		if (!t[i].ok) {
			assert_int_equal(rc, -1);
			assert_int_equal(c.year, t[i].y); /* unchanged */
			continue;
		}
		assert_int_equal(rc, 0);
		if (c.year != t[i].wy || c.month != t[i].wm || c.day != t[i].wd ||
		    c.wday != t[i].wday)
			fail_msg("%04d-%02d-%02d %+d: got %04d-%02d-%02d wday %d", t[i].y, t[i].m,
				 t[i].d, t[i].add, c.year, c.month, c.day, c.wday);
		assert_int_equal(c.hour, 9);
		assert_int_equal(c.min, 30);
	}
}

static void
test_utc_civil(void **state)
{
	struct tu_civil c;
	long long back;
	(void)state;

	assert_int_equal(tu_utc_civil(-1, &c), 0);
	assert_true(c.year == 1969 && c.month == 12 && c.day == 31 && c.hour == 23 && c.min == 59 &&
		    c.sec == 59 && c.ms == 999 && c.wday == 3 && c.yday == 364);
	assert_string_equal(c.abbr, "UTC");
	assert_int_equal(tu_civil_utc(&c, &back), 0);
	assert_int_equal(back, -1);
	c.sec = 60;
	assert_int_equal(tu_civil_utc(&c, &back), -1);
	assert_int_equal(tu_utc_civil(TU_MAX_MS + 1, &c), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc3339_format), cmocka_unit_test(test_rfc3339_parse),
		cmocka_unit_test(test_calendar),       cmocka_unit_test(test_add_months),
		cmocka_unit_test(test_utc_civil),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
