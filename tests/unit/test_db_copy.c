/* test_db_copy.c — the pure parts of common/db: db_copy_escape and
 * db_copy_line, the COPY text format every row ingestd writes goes through
 * (each special byte, UTF-8 left alone, NULL as \N, truncation that reports
 * the needed length and never splits an escape or a field), and
 * db_sqlstate_retryable, the line between DB_RETRY and DB_FAIL. */
#include "db.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

struct escape_case {
	const char *name;
	const char *src; /* NULL: SQL NULL */
	size_t cap;
	const char *want; /* what dst holds afterwards */
	size_t want_len;  /* the return value */
};

static const struct escape_case escape_cases[] = {
	{"empty", "", 16, "", 0},
	{"plain", "pump_01", 16, "pump_01", 7},
	{"sql_null", NULL, 16, "\\N", 2},
	{"text_that_looks_like_null", "\\N", 16, "\\\\N", 3},
	{"backslash", "a\\b", 16, "a\\\\b", 4},
	{"tab", "a\tb", 16, "a\\tb", 4},
	{"newline", "a\nb", 16, "a\\nb", 4},
	{"carriage_return", "a\r\nb", 16, "a\\r\\nb", 6},
	{"backspace_formfeed_vtab", "\b\f\v", 16, "\\b\\f\\v", 6},
	{"other_control_bytes_octal", "\x01\x1b\x1f", 16, "\\001\\033\\037", 12},
	{"del_octal", "x\x7fy", 16, "x\\177y", 6},
	{"end_of_data_marker_escaped", "\\.", 16, "\\\\.", 3},
	{"quotes_and_commas_unchanged", "'\",;", 16, "'\",;", 4},
	{"utf8_untouched", "泵房水浸 °C", 32, "泵房水浸 °C", 16},
	{"bytes_above_0x7f_untouched", "\x80\xff", 16, "\x80\xff", 2},
	{"json_detail", "{\"floor\":5,\"note\":\"a\\nb\"}", 64,
	 "{\"floor\":5,\"note\":\"a\\\\nb\"}", 26},
	/* Truncation: the return value is always the full length. */
	{"fits_exactly", "abc", 4, "abc", 3},
	{"one_short", "abcd", 4, "abc", 4},
	{"cap_one", "abc", 1, "", 3},
	{"cap_zero_measures", "a\tb", 0, NULL, 4},
	{"escape_not_split", "ab\\", 4, "ab", 4},
	{"octal_not_split", "a\x01", 4, "a", 5},
	{"nothing_after_a_cut", "a\x01zz", 5, "a", 7},
	{"null_does_not_fit", NULL, 2, "", 2},
};

static void
test_escape_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof escape_cases / sizeof escape_cases[0]; i++) {
		const struct escape_case *c = &escape_cases[i];
		char dst[64];
		size_t got;

		memset(dst, 'X', sizeof dst);
		got = db_copy_escape(c->cap ? dst : NULL, c->cap, c->src);
		if (got != c->want_len)
			fail_msg("%s: returned %zu, want %zu", c->name, got, c->want_len);
		if (c->want && strcmp(dst, c->want) != 0)
			fail_msg("%s: wrote \"%s\", want \"%s\"", c->name, dst, c->want);
		if (c->cap && c->cap < sizeof dst && dst[c->cap] != 'X')
			fail_msg("%s: wrote past cap", c->name);
	}
}

/* Every byte 0x01..0xff round-trips: decoding what was written by COPY's
 * rules gives the input back, and the bound of 4 bytes per input byte the
 * COPY writer relies on holds. */
static size_t
unescape(const char *s, char *out)
{
	static const char named[] = "b\bf\fn\nr\rt\tv\v\\\\";
	size_t n = 0;

	while (*s) {
		const char *p;

		if (*s != '\\') {
			out[n++] = *s++;
		} else if (s[1] >= '0' && s[1] <= '7') {
			out[n++] = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 4;
		} else if ((p = strchr(named, s[1])) != NULL && (p - named) % 2 == 0) {
			out[n++] = p[1];
			s += 2;
		} else {
			fail_msg("unknown escape \\%c", s[1]);
		}
	}
	return n;
}

static void
test_every_byte_round_trips(void **state)
{
	char src[256], esc[4 * 255 + 1], back[256];
	size_t len;

	(void)state;
	for (int i = 1; i < 256; i++)
		src[i - 1] = (char)i;
	src[255] = '\0';
	len = db_copy_escape(esc, sizeof esc, src);
	assert_true(len <= 4 * 255);
	assert_int_equal(strlen(esc), len);
	assert_int_equal(unescape(esc, back), 255);
	assert_memory_equal(back, src, 255);
	/* No raw separator or line end survives. */
	assert_null(strchr(esc, '\t'));
	assert_null(strchr(esc, '\n'));
	assert_null(strchr(esc, '\r'));
}

struct line_case {
	const char *name;
	int nfields;
	const char *fields[3];
	size_t cap;
	const char *want;
	size_t want_len;
};

static const struct line_case line_cases[] = {
	{"one_field", 1, {"a"}, 16, "a\n", 2},
	{"three_fields",
	 3,
	 {"2025-01-01T00:00:00Z", "pump-1", "1.5"},
	 64,
	 "2025-01-01T00:00:00Z\tpump-1\t1.5\n",
	 32},
	{"null_and_empty", 3, {NULL, "", "x"}, 16, "\\N\t\tx\n", 6},
	{"fields_escaped", 2, {"a\tb", "c\nd"}, 16, "a\\tb\tc\\nd\n", 10},
	{"fits_exactly", 2, {"ab", "c"}, 6, "ab\tc\n", 5},
	{"cut_after_whole_field", 2, {"ab", "cd"}, 6, "ab\t", 6},
	{"field_without_room_for_separator", 2, {"ab", "cd"}, 3, "", 6},
	{"cap_zero_measures", 2, {"ab", NULL}, 0, NULL, 6},
};

static void
test_line_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof line_cases / sizeof line_cases[0]; i++) {
		const struct line_case *c = &line_cases[i];
		char dst[64];
		size_t got;

		memset(dst, 'X', sizeof dst);
		got = db_copy_line(c->cap ? dst : NULL, c->cap, c->nfields, c->fields);
		if (got != c->want_len)
			fail_msg("%s: returned %zu, want %zu", c->name, got, c->want_len);
		if (c->want && strcmp(dst, c->want) != 0)
			fail_msg("%s: wrote \"%s\", want \"%s\"", c->name, dst, c->want);
	}
}

static void
test_sqlstate_retryable_table(void **state)
{
	static const struct {
		const char *sqlstate;
		int retry;
	} states[] = {
		{"08000", 1}, {"08006", 1}, {"08001", 1}, {"08P01", 1}, {"57P01", 1}, {"57P02", 1},
		{"57P03", 1}, {"40001", 1}, {"40P01", 1}, {"23505", 0}, /* unique_violation */
		{"23514", 0},                                           /* check_violation */
		{"42601", 0},                                           /* syntax_error */
		{"42501", 0},                                           /* insufficient_privilege */
		{"57014", 0},                                           /* query_canceled */
		{"22P02", 0}, /* invalid_text_representation */
		{"", 0},      {NULL, 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
		if (db_sqlstate_retryable(states[i].sqlstate) != states[i].retry)
			fail_msg("%s: want retry=%d",
				 states[i].sqlstate ? states[i].sqlstate : "NULL", states[i].retry);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_table),
		cmocka_unit_test(test_every_byte_round_trips),
		cmocka_unit_test(test_line_table),
		cmocka_unit_test(test_sqlstate_retryable_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
