/* test_log.c — the line format, level filtering and the rate limiter of
 * common/log, by capturing stderr through a pipe. */
#include "log.h"

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static int saved_fd, pipe_rd;

static void
capture_begin(void)
{
	int p[2];

	assert_int_equal(pipe(p), 0);
	saved_fd = dup(STDERR_FILENO);
	dup2(p[1], STDERR_FILENO);
	close(p[1]);
	pipe_rd = p[0];
}

/* Restores stderr and returns what was written (static buffer). */
static const char *
capture_end(void)
{
	static char buf[16384];
	ssize_t n, total = 0;

	dup2(saved_fd, STDERR_FILENO);
	close(saved_fd);
	while ((n = read(pipe_rd, buf + total, sizeof buf - 1 - (size_t)total)) > 0)
		total += n;
	close(pipe_rd);
	buf[total] = '\0';
	return buf;
}

static int
count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void
line_has_fields(void **state)
{
	const char *out;

	(void)state;
	log_set_prog("unit");
	log_set_level(LOG_INFO);
	capture_begin();
	log_warn("spool_full", "bytes=%d dir=%s", 42, "/var/spool");
	out = capture_end();
	assert_int_equal(count_lines(out), 1);
	assert_non_null(
		strstr(out, "prog=unit level=warn event=spool_full bytes=42 dir=/var/spool\n"));
	/* ISO 8601 UTC timestamp with milliseconds first */
	assert_true(out[4] == '-' && out[10] == 'T' && out[19] == '.' && out[23] == 'Z');
}

static void
level_filters(void **state)
{
	const char *out;

	(void)state;
	log_set_level(LOG_WARN);
	capture_begin();
	log_info("hidden", NULL);
	log_debug("hidden", "x=%d", 1);
	log_error("shown", NULL);
	out = capture_end();
	assert_int_equal(count_lines(out), 1);
	assert_non_null(strstr(out, "event=shown\n"));
	log_set_level(LOG_INFO);
}

static void
level_names_parse(void **state)
{
	(void)state;
	assert_int_equal(log_level_parse("debug"), LOG_DEBUG);
	assert_int_equal(log_level_parse("info"), LOG_INFO);
	assert_int_equal(log_level_parse("warn"), LOG_WARN);
	assert_int_equal(log_level_parse("error"), LOG_ERROR);
	assert_int_equal(log_level_parse("loud"), -1);
}

static void
limiter_suppresses_and_counts(void **state)
{
	struct log_limit lim = LOG_LIMIT(200);
	const char *out;

	(void)state;
	capture_begin();
	for (int i = 0; i < 100; i++)
		log_limited(&lim, LOG_WARN, "db_down", "try=%d", i);
	usleep(250 * 1000);
	log_limited(&lim, LOG_WARN, "db_down", "try=%d", 100);
	out = capture_end();
	/* one line for the first, one after the interval carrying the count */
	assert_int_equal(count_lines(out), 2);
	assert_non_null(strstr(out, "event=db_down try=0\n"));
	assert_non_null(strstr(out, "event=db_down try=100 suppressed=99\n"));
}

static void
long_line_is_truncated_not_overflowed(void **state)
{
	char big[5000];
	const char *out;

	(void)state;
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	capture_begin();
	log_warn("big", "v=%s", big);
	out = capture_end();
	assert_int_equal(count_lines(out), 1);
	assert_true(strlen(out) <= 2048);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(line_has_fields),
		cmocka_unit_test(level_filters),
		cmocka_unit_test(level_names_parse),
		cmocka_unit_test(limiter_suppresses_and_counts),
		cmocka_unit_test(long_line_is_truncated_not_overflowed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
