/* test_timeutil_zone.c — time zones from the system's TZif files and from
 * POSIX TZ strings, against tables of known values (from the tz database's
 * zdump, never computed with libc here): Asia/Shanghai (with China's
 * 1986-1991 DST), America/New_York and Europe/London gaps and overlaps in the
 * transition table and past it (the POSIX footer), Sydney's southern rule,
 * UTC; zone names that must not leave the zoneinfo directory; damaged TZif. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timeutil.h"

static struct tu_zone zone;

static long long
at(const char *rfc3339)
{
	long long ms = 0;

	if (tu_parse_rfc3339(rfc3339, &ms) != 0)
		fail_msg("bad test timestamp %s", rfc3339);
	return ms;
}

/* "Area/City" from the zoneinfo files, "posix:STRING", or "builtin-utc". */
static const struct tu_zone *
load(const char *name)
{
	int rc;

	if (strncmp(name, "posix:", 6) == 0) {
		rc = tu_tz_posix(name + 6, &zone);
	} else if (strcmp(name, "builtin-utc") == 0) {
		tu_tz_utc(&zone);
		rc = 0;
	} else {
		rc = tu_tz_load(name, &zone);
	}
	if (rc != 0)
		fail_msg("cannot load zone %s", name);
	return &zone;
}

#define NY "America/New_York"
#define NY_POSIX "posix:EST5EDT,M3.2.0,M11.1.0"
#define SYD_POSIX "posix:AEST-10AEDT,M10.1.0,M4.1.0/3"

static void
test_utc_to_local(void **state)
{
	static const struct {
		const char *zone, *utc, *local;
		int offset_s, is_dst;
		const char *abbr;
	} t[] = {
		{"Asia/Shanghai", "2025-11-23T09:47:14.123Z", "2025-11-23 17:47:14.123", 28800, 0,
		 "CST"},
		{"Asia/Shanghai", "2025-12-31T16:00:00Z", "2026-01-01 00:00:00.000", 28800, 0,
		 "CST"},
		{"Asia/Shanghai", "1988-04-16T17:59:59Z", "1988-04-17 01:59:59.000", 28800, 0,
		 "CST"},
		{"Asia/Shanghai", "1988-04-16T18:00:00Z", "1988-04-17 03:00:00.000", 32400, 1,
		 "CDT"},
		{"Asia/Shanghai", "1991-09-14T17:00:00Z", "1991-09-15 01:00:00.000", 28800, 0,
		 "CST"},
		{"Asia/Shanghai", "2100-07-01T00:00:00Z", "2100-07-01 08:00:00.000", 28800, 0,
		 "CST"},
		{NY, "2025-03-09T06:59:59.999Z", "2025-03-09 01:59:59.999", -18000, 0, "EST"},
		{NY, "2025-03-09T07:00:00Z", "2025-03-09 03:00:00.000", -14400, 1, "EDT"},
		{NY, "2025-11-02T05:59:59Z", "2025-11-02 01:59:59.000", -14400, 1, "EDT"},
		{NY, "2025-11-02T06:00:00Z", "2025-11-02 01:00:00.000", -18000, 0, "EST"},
		{NY, "2100-03-14T06:59:59Z", "2100-03-14 01:59:59.000", -18000, 0, "EST"},
		{NY, "2100-03-14T07:00:00Z", "2100-03-14 03:00:00.000", -14400, 1, "EDT"},
		{NY, "2100-11-07T05:59:59Z", "2100-11-07 01:59:59.000", -14400, 1, "EDT"},
		{NY, "2100-11-07T06:00:00Z", "2100-11-07 01:00:00.000", -18000, 0, "EST"},
		{NY, "1883-11-18T16:59:59Z", "1883-11-18 12:03:57.000", -17762, 0, "LMT"},
		{NY, "1883-11-18T17:00:00Z", "1883-11-18 12:00:00.000", -18000, 0, "EST"},
		{NY_POSIX, "2025-03-09T07:00:00Z", "2025-03-09 03:00:00.000", -14400, 1, "EDT"},
		{NY_POSIX, "2025-11-02T06:00:00Z", "2025-11-02 01:00:00.000", -18000, 0, "EST"},
		{"Europe/London", "2025-03-30T00:59:59Z", "2025-03-30 00:59:59.000", 0, 0, "GMT"},
		{"Europe/London", "2025-03-30T01:00:00Z", "2025-03-30 02:00:00.000", 3600, 1,
		 "BST"},
		{"Europe/London", "2025-10-26T00:59:59Z", "2025-10-26 01:59:59.000", 3600, 1,
		 "BST"},
		{"Europe/London", "2025-10-26T01:00:00Z", "2025-10-26 01:00:00.000", 0, 0, "GMT"},
		{"Europe/London", "2050-03-27T01:00:00Z", "2050-03-27 02:00:00.000", 3600, 1,
		 "BST"},
		{"Europe/London", "2050-10-30T01:00:00Z", "2050-10-30 01:00:00.000", 0, 0, "GMT"},
		{SYD_POSIX, "2025-01-15T00:00:00Z", "2025-01-15 11:00:00.000", 39600, 1, "AEDT"},
		{SYD_POSIX, "2025-04-05T15:59:59Z", "2025-04-06 02:59:59.000", 39600, 1, "AEDT"},
		{SYD_POSIX, "2025-04-05T16:00:00Z", "2025-04-06 02:00:00.000", 36000, 0, "AEST"},
		{SYD_POSIX, "2025-10-04T15:59:59Z", "2025-10-05 01:59:59.000", 36000, 0, "AEST"},
		{SYD_POSIX, "2025-10-04T16:00:00Z", "2025-10-05 03:00:00.000", 39600, 1, "AEDT"},
		{"UTC", "2024-02-29T12:00:00.5Z", "2024-02-29 12:00:00.500", 0, 0, "UTC"},
		{"builtin-utc", "1969-12-31T23:59:59.999Z", "1969-12-31 23:59:59.999", 0, 0, "UTC"},
		{"Etc/GMT+8", "2025-11-23T09:47:14Z", "2025-11-23 01:47:14.000", -28800, 0, "-08"},
		{"posix:<+0530>-5:30", "2025-11-23T09:47:14Z", "2025-11-23 15:17:14.000", 19800, 0,
		 "+0530"},
		{"posix:CST-8", "2025-11-23T09:47:14.123Z", "2025-11-23 17:47:14.123", 28800, 0,
		 "CST"},
		/* Permanent DST (RFC 8536's example): always EDT. */
		{"posix:EST5EDT4,0/0,J365/25", "2025-01-01T04:30:00Z", "2025-01-01 00:30:00.000",
		 -14400, 1, "EDT"},
		{"posix:EST5EDT4,0/0,J365/25", "2025-12-31T23:00:00Z", "2025-12-31 19:00:00.000",
		 -14400, 1, "EDT"},
		/* J60 is March 1 even in leap years; zero-based 59 is Feb 29 then. */
		{"posix:ABC-1DEF,J60,J300", "2024-02-29T01:00:00Z", "2024-02-29 02:00:00.000", 3600,
		 0, "ABC"},
		{"posix:ABC-1DEF,59,300", "2024-02-29T01:00:00Z", "2024-02-29 03:00:00.000", 7200,
		 1, "DEF"},
		{"posix:ABC-1DEF,59,300", "2025-02-28T12:00:00Z", "2025-02-28 13:00:00.000", 3600,
		 0, "ABC"},
	};
	struct tu_civil c;
	char got[64];
	(void)state;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const struct tu_zone *z = load(t[i].zone);
		assert_int_equal(tu_utc_to_local(z, at(t[i].utc), &c), 0);
		snprintf(got, sizeof(got), "%04d-%02d-%02d %02d:%02d:%02d.%03d", c.year, c.month,
			 c.day, c.hour, c.min, c.sec, c.ms);
		if (strcmp(got, t[i].local) != 0 || c.utc_offset_s != t[i].offset_s ||
		    c.is_dst != t[i].is_dst || strcmp(c.abbr, t[i].abbr) != 0)
			fail_msg("%s %s: got %s %d %d %s, want %s %d %d %s", t[i].zone, t[i].utc,
				 got, c.utc_offset_s, c.is_dst, c.abbr, t[i].local, t[i].offset_s,
				 t[i].is_dst, t[i].abbr);
	}
}

static void
test_local_to_utc(void **state)
{
	static const struct {
		const char *zone, *local;
		enum tu_local kind;
		const char *utc;
	} t[] = {
		{NY, "2025-03-09 01:59:59.999", TU_LOCAL_UNIQUE, "2025-03-09T06:59:59.999Z"},
		{NY, "2025-03-09 02:00:00.000", TU_LOCAL_GAP, "2025-03-09T07:00:00.000Z"},
		{NY, "2025-03-09 02:30:00.000", TU_LOCAL_GAP, "2025-03-09T07:30:00.000Z"},
		{NY, "2025-03-09 03:00:00.000", TU_LOCAL_UNIQUE, "2025-03-09T07:00:00.000Z"},
		{NY, "2025-11-02 00:59:59.000", TU_LOCAL_UNIQUE, "2025-11-02T04:59:59.000Z"},
		{NY, "2025-11-02 01:00:00.000", TU_LOCAL_OVERLAP, "2025-11-02T05:00:00.000Z"},
		{NY, "2025-11-02 01:30:00.000", TU_LOCAL_OVERLAP, "2025-11-02T05:30:00.000Z"},
		{NY, "2025-11-02 02:00:00.000", TU_LOCAL_UNIQUE, "2025-11-02T07:00:00.000Z"},
		{NY, "2100-03-14 02:15:00.000", TU_LOCAL_GAP, "2100-03-14T07:15:00.000Z"},
		{NY, "2100-11-07 01:15:00.000", TU_LOCAL_OVERLAP, "2100-11-07T05:15:00.000Z"},
		{NY, "2100-07-04 12:00:00.000", TU_LOCAL_UNIQUE, "2100-07-04T16:00:00.000Z"},
		{NY_POSIX, "2025-03-09 02:30:00.000", TU_LOCAL_GAP, "2025-03-09T07:30:00.000Z"},
		{NY_POSIX, "2025-11-02 01:30:00.000", TU_LOCAL_OVERLAP, "2025-11-02T05:30:00.000Z"},
		{"Europe/London", "2025-03-30 01:30:00.000", TU_LOCAL_GAP,
		 "2025-03-30T01:30:00.000Z"},
		{"Europe/London", "2025-10-26 01:30:00.000", TU_LOCAL_OVERLAP,
		 "2025-10-26T00:30:00.000Z"},
		{"Europe/London", "2025-07-01 09:00:00.000", TU_LOCAL_UNIQUE,
		 "2025-07-01T08:00:00.000Z"},
		{"Asia/Shanghai", "2025-11-23 17:47:14.123", TU_LOCAL_UNIQUE,
		 "2025-11-23T09:47:14.123Z"},
		{"Asia/Shanghai", "2026-01-01 00:00:00.000", TU_LOCAL_UNIQUE,
		 "2025-12-31T16:00:00.000Z"},
		{"Asia/Shanghai", "1988-04-17 02:30:00.000", TU_LOCAL_GAP,
		 "1988-04-16T18:30:00.000Z"},
		{"Asia/Shanghai", "1988-09-11 01:30:00.000", TU_LOCAL_OVERLAP,
		 "1988-09-10T16:30:00.000Z"},
		{SYD_POSIX, "2025-04-06 02:30:00.000", TU_LOCAL_OVERLAP,
		 "2025-04-05T15:30:00.000Z"},
		{SYD_POSIX, "2025-10-05 02:30:00.000", TU_LOCAL_GAP, "2025-10-04T16:30:00.000Z"},
		{"UTC", "2024-02-29 23:59:59.999", TU_LOCAL_UNIQUE, "2024-02-29T23:59:59.999Z"},
		{"builtin-utc", "0000-01-01 00:00:00.000", TU_LOCAL_UNIQUE,
		 "0000-01-01T00:00:00.000Z"},
	};
	char got[TU_RFC3339_LEN];
	(void)state;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const struct tu_zone *z = load(t[i].zone);
		struct tu_civil c;
		long long ms = 0;
		enum tu_local kind;

		memset(&c, 0, sizeof(c));
		assert_int_equal(sscanf(t[i].local, "%d-%d-%d %d:%d:%d.%d", &c.year, &c.month,
					&c.day, &c.hour, &c.min, &c.sec, &c.ms),
				 7);
		kind = tu_local_to_utc(z, &c, &ms);
		tu_format_rfc3339(ms, got, sizeof(got));
		if (kind != t[i].kind || strcmp(got, t[i].utc) != 0)
			fail_msg("%s %s: got %d %s, want %d %s", t[i].zone, t[i].local, kind, got,
				 t[i].kind, t[i].utc);
	}
}

static void
test_out_of_range(void **state)
{
	struct tu_civil c = {.year = 2025, .month = 2, .day = 29};
	long long ms = 7;
	(void)state;

	load("Asia/Shanghai");
	assert_int_equal(tu_local_to_utc(&zone, &c, &ms), TU_LOCAL_INVALID);
	assert_int_equal(ms, 7);
	c = (struct tu_civil){.year = 2025, .month = 1, .day = 1, .hour = 24};
	assert_int_equal(tu_local_to_utc(&zone, &c, &ms), TU_LOCAL_INVALID);
	/* Local times beyond year 9999 or before year 0 cannot be represented. */
	assert_int_equal(tu_utc_to_local(&zone, TU_MAX_MS, &c), -1);
	assert_int_equal(tu_utc_to_local(&zone, TU_MIN_MS, &c), 0);
	load(NY);
	assert_int_equal(tu_utc_to_local(&zone, TU_MIN_MS, &c), -1);
	assert_int_equal(tu_utc_to_local(&zone, TU_MAX_MS + 1, &c), -1);
	c = (struct tu_civil){.year = 0, .month = 1, .day = 1};
	assert_int_equal(tu_local_to_utc(&zone, &c, &ms), 0);
	c = (struct tu_civil){.year = 9999, .month = 12, .day = 31, .hour = 23};
	assert_int_equal(tu_local_to_utc(&zone, &c, &ms), TU_LOCAL_INVALID);
}

static void
test_zone_names(void **state)
{
	static const struct {
		const char *name;
		int valid, loads;
	} t[] = {
		{"Asia/Shanghai", 1, 1},
		{"America/Argentina/Buenos_Aires", 1, 1},
		{"America/Port-au-Prince", 1, 1},
		{"Etc/GMT-14", 1, 1},
		{"posix/Europe/London", 1, 1},
		{"UTC", 1, 1},
		{"Nowhere/City", 1, 0},
		{"America", 1, 0},             /* a directory */
		{"right/Asia/Shanghai", 1, 0}, /* leap-second records */
		{"leapseconds", 1, 0},         /* not TZif */
		{"../etc/passwd", 0, 0},
		{"Asia/../../../etc/passwd", 0, 0},
		{"/etc/localtime", 0, 0},
		{"Asia//Shanghai", 0, 0},
		{"Asia/Shanghai/", 0, 0},
		{".hidden", 0, 0},
		{"zone.tab", 0, 0},
		{"Asia/Shang hai", 0, 0},
		{"", 0, 0},
	};
	(void)state;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (tu_tz_name_valid(t[i].name) != t[i].valid)
			fail_msg("%s: valid should be %d", t[i].name, t[i].valid);
		if ((tu_tz_load(t[i].name, &zone) == 0) != t[i].loads)
			fail_msg("%s: loads should be %d", t[i].name, t[i].loads);
	}
	assert_false(tu_tz_name_valid(NULL));
	assert_int_equal(tu_tz_load("Asia/Shanghai", &zone), 0);
	assert_string_equal(zone.name, "Asia/Shanghai");
	assert_int_equal(tu_tz_load_dir("/usr/share/zoneinfo/posix", "Asia/Shanghai", &zone), 0);
	assert_int_equal(tu_tz_load_dir("/nonexistent", "Asia/Shanghai", &zone), -1);
}

static void
test_posix_strings(void **state)
{
	static const char *const bad[] = {
		"",
		"C-8",
		"CST",
		"CST-8CDT",
		"EST5EDT,M3.2.0",
		"EST5EDT,M13.2.0,M11.1.0",
		"EST5EDT,M3.6.0,M11.1.0",
		"EST5EDT,M3.2.7,M11.1.0",
		"EST5EDT,J0,J365",
		"EST5EDT,366,0",
		"EST25",
		"<AB>-1",
		"<+08-8",
		"CST-8x",
		"CST-8,M3.2.0,M11.1.0",
		"EST5EDT,M3.2.0/168,M11.1.0",
		"EST5EDT,M3.2.0,M11.1.0,",
		"CST-08:60",
		"ABCDEFGHIJKLMNOP-1",
	};
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (tu_tz_posix(bad[i], &zone) != -1)
			fail_msg("\"%s\" accepted", bad[i]);
	assert_int_equal(tu_tz_posix(NULL, &zone), -1);
	assert_int_equal(tu_tz_posix("EST5EDT,M3.2.0/-1:30,M11.1.0/167", &zone), 0);
	assert_int_equal(zone.rule.start.time_s, -5400);
	assert_int_equal(zone.rule.end.time_s, 167 * 3600);
	assert_int_equal(tu_tz_posix("<-03>3<-02>,M3.5.0/-2,M10.5.0/-1", &zone), 0);
	assert_int_equal(zone.rule.dst.utoff_s, -7200);
}

static unsigned char *
read_tzif(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = malloc(65536);

	assert_non_null(f);
	assert_non_null(buf);
	*len = fread(buf, 1, 65536, f);
	fclose(f);
	return buf;
}

/* Every truncation must be refused and every single-byte corruption must be
 * either refused or give a zone that converts without crashing. */
static void
test_damaged_tzif(void **state)
{
	size_t len;
	unsigned char *data = read_tzif(TU_ZONEINFO_DIR "/America/New_York", &len);
	struct tu_civil c = {.year = 2025, .month = 3, .day = 9, .hour = 2, .min = 30};
	long long ms;
	int accepted = 0;
	(void)state;

	assert_int_equal(tu_tz_parse(data, len, "x", &zone), 0);
	for (size_t n = 0; n < len; n++) {
		unsigned char *exact = malloc(n ? n : 1);
		memcpy(exact, data, n);
		if (tu_tz_parse(exact, n, "x", &zone) != -1)
			fail_msg("truncation to %zu bytes accepted", n);
		free(exact);
	}
	for (size_t pos = 0; pos < len; pos++) {
		for (int v = 0; v < 3; v++) {
			unsigned char saved = data[pos];
			data[pos] = v == 0 ? 0xff : v == 1 ? 0x00 : (unsigned char)(saved ^ 0x80);
			if (tu_tz_parse(data, len, "x", &zone) == 0) {
				accepted++;
				tu_utc_to_local(&zone, at("2025-11-23T09:47:14Z"), &c);
				tu_utc_to_local(&zone, TU_MIN_MS, &c);
				tu_local_to_utc(&zone, &c, &ms);
			}
			data[pos] = saved;
		}
	}
	print_message("%d of %zu corrupted New_York files still parse\n", accepted, 3 * len);
	free(data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utc_to_local),  cmocka_unit_test(test_local_to_utc),
		cmocka_unit_test(test_out_of_range),  cmocka_unit_test(test_zone_names),
		cmocka_unit_test(test_posix_strings), cmocka_unit_test(test_damaged_tzif),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
