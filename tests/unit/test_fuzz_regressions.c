/* test_fuzz_regressions.c — inputs the fuzz harnesses (tests/fuzz/) found,
 * kept as tests so that a fix stays fixed. Each case is the smallest input
 * of its kind; the full inputs are in tests/fuzz/corpus/<harness>/regress.*.
 *
 * config_syntax_error_line_past_end (fuzz_config, fuzz_fmconf, fuzz_pm,
 * fuzz_rules, fuzz_sla): a syntax error at the end of a file that does not
 * end with a line break is reported on the line after the last ("x.yaml:2:"
 * for the one-line "[["): libyaml moves its mark to a new line at the end of
 * the stream, and with a final line break on the empty "line" after it.
 * Every error must name a line of the file as an editor counts them (a final
 * line break ends the last line). The fix: common/config.c puts an error
 * whose libyaml mark is past the text's last line on that line (by line:
 * the mark's index counts characters, so a text with an em dash or a BOM
 * had its end missed by a comparison of index with byte length — found by
 * the CI pass after the first fix).
 *
 * sla_section_not_mapping (fuzz_sla, one-hour run): "complaint_reply: 1h"
 * gives, besides "sla.yaml:1: complaint_reply: expected a mapping", three
 * "missing required key 'major'" (urgent, general) with no file or line:
 * sla_conf.c's bind_section binds the defaults with cfg_bind(NULL), which
 * reports the required keys with no position. The fix: the defaults are
 * bound with the errors discarded; the one error says it all. */
#include "config.h"
#include "sla_conf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* The line of every message about "x.yaml" must be 1..lines. */
static void
assert_lines_within(const char *text, int lines)
{
	struct cfg_errs errs;
	struct cfg_doc *doc;

	cfg_errs_init(&errs);
	doc = cfg_load_buf("x.yaml", text, strlen(text), &errs);
	assert_null(doc);
	assert_true(errs.n > 0);
	for (size_t i = 0; i < errs.n; i++) {
		int line = 0;

		print_message("%s\n", errs.msg[i]);
		assert_int_equal(sscanf(errs.msg[i], "x.yaml:%d:", &line), 1);
		assert_in_range(line, 1, lines);
	}
	cfg_errs_free(&errs);
}

static void
test_syntax_error_at_end_without_newline(void **state)
{
	(void)state;
	assert_lines_within("[[", 1);
	assert_lines_within("[B", 1);
	assert_lines_within("a: 1\nb: [1, 2", 2);
	assert_lines_within("a: 1\nb: {c: 1", 2);
	assert_lines_within("a: \"open", 1);
	/* libyaml counts characters, not bytes: the end is still the end */
	assert_lines_within("a: \xe2\x80\x94 x\nb: [1, 2", 2);
	assert_lines_within("\xef\xbb\xbfsites: [A", 1);
}

/* Builds text as sla.yaml (it must load, and the build must fail): every
 * error names a line in 1..last. Returns how many errors contain `want`. */
static int
sla_errors_within(const char *text, int last, const char *want)
{
	struct cfg_errs errs;
	struct cfg_doc *doc;
	struct sla_conf c;
	int found = 0;

	cfg_errs_init(&errs);
	doc = cfg_load_buf("sla.yaml", text, strlen(text), &errs);
	assert_non_null(doc);
	memset(&c, 0, sizeof c);
	assert_int_equal(sla_build(&c, doc, NULL, &errs), -1);
	for (size_t i = 0; i < errs.n; i++) {
		int line = 0;

		print_message("%s\n", errs.msg[i]);
		found += strstr(errs.msg[i], want) != NULL;
		assert_int_equal(sscanf(errs.msg[i], "sla.yaml:%d:", &line), 1);
		assert_in_range(line, 1, last);
	}
	sla_free(&c);
	cfg_doc_free(doc);
	cfg_errs_free(&errs);
	return found;
}

/* An empty value at the end ("? key" on the last line) has its mark past
 * the last line too (fuzz_sla, CI pass): a node's line is clamped alike. */
static void
test_empty_value_at_end(void **state)
{
	(void)state;
	sla_errors_within("a: 1\n? dispatch_roles", 2, "");
}

/* The same errors with a final line break belong on the last line too. */
static void
test_syntax_error_at_end_with_newline(void **state)
{
	(void)state;
	assert_lines_within("[[\n", 1);
	assert_lines_within("a: 1\nb: [1, 2\n", 2);
	assert_lines_within("a: 1\r\nb: [1, 2\r\n", 2);
	/* and an error before the end keeps its own line */
	assert_lines_within("a: [1,\n  2\nb: 3\n", 3);
}

static void
test_sla_section_not_mapping(void **state)
{
	(void)state;
	assert_int_equal(sla_errors_within("complaint_reply: 1h\n", 1,
					   "complaint_reply: expected a mapping"),
			 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syntax_error_at_end_without_newline),
		cmocka_unit_test(test_syntax_error_at_end_with_newline),
		cmocka_unit_test(test_empty_value_at_end),
		cmocka_unit_test(test_sla_section_not_mapping),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
