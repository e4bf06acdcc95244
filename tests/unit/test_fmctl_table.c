/* test_fmctl_table.c — fmctl's listing formatter (services/fmctl/table):
 * aligned text with null as "-", wide characters, cut columns, control
 * characters neutralised and colours only when asked; JSON that parses
 * whatever the bytes (quotes, control characters, bad UTF-8), typed
 * numbers and booleans, raw JSON columns; CSV quoting per RFC 4180. Output
 * is captured with open_memstream. */
#include "fmctl/table.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const struct table_col cols[] = {
	{"id", TABLE_STR, 0},
	{"n", TABLE_NUM, 0},
	{"ok", TABLE_BOOL, 0},
	{"msg", TABLE_STR, 6},
};

/* Writes t in format f and returns the text (caller frees). */
static char *
render(const struct table *t, enum table_format f, int colour)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(table_write(out, t, f, colour), 0);
	fclose(out);
	return buf;
}

static struct table *
sample(void)
{
	struct table *t = table_new(cols, 4);
	const char *r1[] = {"A-1", "12", "t", "pump low"};
	const char *r2[] = {"电梯-2", NULL, "false", "a,\"b\"\n\x1b[31m"};
	const char *r3[] = {"x", "n/a", "maybe", "\xff\xfe"};

	assert_non_null(t);
	assert_int_equal(table_add(t, r1), 0);
	assert_int_equal(table_add(t, r2), 1);
	assert_int_equal(table_add(t, r3), 2);
	table_style(t, 0, 1);
	return t;
}

static void
text_aligned(void **state)
{
	struct table *t = sample();
	char *s = render(t, TABLE_TEXT, 0);

	(void)state;
	/* 电梯-2 is 6 columns wide (two wide characters); numbers aligned
	 * right, null as "-", msg cut at 6, ESC and bad bytes as '?' */
	assert_string_equal(s, "id        n  ok     msg\n"
			       "A-1      12  t      pump l\n"
			       "电梯-2    -  false  a,\"b\"?\n"
			       "x       n/a  maybe  ??\n");
	free(s);
	table_free(t);
}

static void
text_colour_only_when_asked(void **state)
{
	struct table *t = sample();
	char *plain = render(t, TABLE_TEXT, 0), *col = render(t, TABLE_TEXT, 1);

	(void)state;
	assert_null(strchr(plain, '\033'));
	assert_non_null(strstr(col, "\033[1;31mA-1"));
	assert_non_null(strstr(col, "pump l\033[0m\n"));
	/* only the styled row is coloured */
	assert_null(strstr(strstr(col, "\033[0m") + 1, "\033[1;31m"));
	free(plain);
	free(col);
	table_free(t);
}

static void
json_typed_and_escaped(void **state)
{
	struct table *t = sample();
	char *s = render(t, TABLE_JSON, 1);

	(void)state;
	assert_string_equal(
		s, "[\n"
		   "{\"id\":\"A-1\",\"n\":12,\"ok\":true,\"msg\":\"pump low\"},\n"
		   "{\"id\":\"电梯-2\",\"n\":null,\"ok\":false,"
		   "\"msg\":\"a,\\\"b\\\"\\u000a\\u001b[31m\"},\n"
		   "{\"id\":\"x\",\"n\":\"n/a\",\"ok\":\"maybe\",\"msg\":\"\\ufffd\\ufffd\"}\n"
		   "]\n");
	free(s);
	table_free(t);
}

static void
json_empty_and_raw(void **state)
{
	static const struct table_col rc[] = {{"id", TABLE_STR, 0}, {"events", TABLE_RAW, 0}};
	struct table *t = table_new(rc, 2);
	const char *r[] = {"W1", "[{\"a\":1}]"};
	char *s = render(t, TABLE_JSON, 0);

	(void)state;
	assert_string_equal(s, "[]\n");
	free(s);
	assert_int_equal(table_add(t, r), 0);
	s = render(t, TABLE_JSON, 0);
	assert_string_equal(s, "[\n{\"id\":\"W1\",\"events\":[{\"a\":1}]}\n]\n");
	free(s);
	table_free(t);
}

static void
csv_quoted(void **state)
{
	struct table *t = sample();
	char *s = render(t, TABLE_CSV, 1);

	(void)state;
	assert_string_equal(s, "id,n,ok,msg\n"
			       "A-1,12,t,pump low\n"
			       "电梯-2,,false,\"a,\"\"b\"\"\n\x1b[31m\"\n"
			       "x,n/a,maybe,\xff\xfe\n");
	free(s);
	table_free(t);
}

static void
formats_and_widths(void **state)
{
	enum table_format f = TABLE_TEXT;

	(void)state;
	assert_int_equal(table_format_parse("json", &f), 0);
	assert_int_equal(f, TABLE_JSON);
	assert_int_equal(table_format_parse("csv", &f), 0);
	assert_int_equal(f, TABLE_CSV);
	assert_int_equal(table_format_parse("table", &f), 0);
	assert_int_equal(f, TABLE_TEXT);
	assert_int_equal(table_format_parse("xml", &f), -1);
	assert_int_equal(table_text_width(""), 0);
	assert_int_equal(table_text_width("abc"), 3);
	assert_int_equal(table_text_width("困人"), 4);
	assert_int_equal(table_text_width("é"), 1);
	assert_int_equal(table_text_width("\xc0\xaf"), 2); /* overlong: two bad bytes */
}

static void
many_rows_and_cells(void **state)
{
	struct table *t = table_new(cols, 4);
	char id[16];
	const char *r[] = {id, "1", "t", NULL};

	(void)state;
	for (int i = 0; i < 1000; i++) {
		snprintf(id, sizeof id, "r%d", i);
		assert_int_equal(table_add(t, r), i);
	}
	assert_int_equal(table_rows(t), 1000);
	assert_string_equal(table_get(t, 999, 0), "r999");
	assert_null(table_get(t, 5, 3));
	assert_null(table_get(t, 1000, 0));
	assert_null(table_get(t, 0, 4));
	table_free(t);
	table_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_aligned),
		cmocka_unit_test(text_colour_only_when_asked),
		cmocka_unit_test(json_typed_and_escaped),
		cmocka_unit_test(json_empty_and_raw),
		cmocka_unit_test(csv_quoted),
		cmocka_unit_test(formats_and_widths),
		cmocka_unit_test(many_rows_and_cells),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
