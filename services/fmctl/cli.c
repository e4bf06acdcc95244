/* cli.c — shared option handling of the people's commands. Values are
 * checked here once, so every command reports a bad --format or --wait the
 * same way and exits with FMCTL_USAGE. */
#include "cli.h"
#include "fmctl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void
cli_init(struct cli *c)
{
	memset(c, 0, sizeof *c);
	c->format = TABLE_TEXT;
	c->wait_ms = 5000;
}

static int
id_ok(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= 64 &&
	       strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

int
cli_take(struct cli *c, int ch, const char *arg)
{
	switch (ch) {
	case CLI_FORMAT:
		if (table_format_parse(arg, &c->format) == 0)
			return 1;
		fprintf(stderr, "fmctl: --format must be table, json or csv, not '%s'\n", arg);
		return -1;
	case CLI_SITE:
	case CLI_AS:
		if (!id_ok(arg)) {
			fprintf(stderr,
				"fmctl: --%s '%s' is not an identifier [A-Za-z0-9_-]{1,64}\n",
				ch == CLI_SITE ? "site" : "as", arg);
			return -1;
		}
		*(ch == CLI_SITE ? &c->site : &c->as) = arg;
		return 1;
	case CLI_PASSWORD_FILE:
		c->password_file = arg;
		return 1;
	case CLI_WAIT:
		if (cli_duration_ms(arg, &c->wait_ms) == 0 && c->wait_ms <= 3600000)
			return 1;
		fprintf(stderr, "fmctl: --wait needs a duration up to 1h (5s, 500ms), not '%s'\n",
			arg);
		return -1;
	case CLI_HELP:
		c->help = 1;
		return 1;
	default:
		return 0;
	}
}

int
cli_duration_ms(const char *s, long long *ms)
{
	static const struct {
		const char *unit;
		long long ms;
	} units[] = {{"", 1000},   {"ms", 1},      {"s", 1000},
		     {"m", 60000}, {"h", 3600000}, {"d", 86400000}};
	char *end;
	long long v;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	v = strtoll(s, &end, 10);
	if (v > 1000000000LL)
		return -1;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strcmp(end, units[i].unit) == 0) {
			*ms = v * units[i].ms;
			return 0;
		}
	return -1;
}

int
cli_time_param(const char *s, long long now_ms, char *out, size_t cap)
{
	long long ago;
	time_t t;
	struct tm tm;
	int n;

	if (cli_duration_ms(s, &ago) < 0) {
		n = snprintf(out, cap, "%s", s);
		return n < 0 || (size_t)n >= cap ? -1 : 0;
	}
	t = (time_t)((now_ms - ago) / 1000);
	gmtime_r(&t, &tm);
	n = snprintf(out, cap, "%04d-%02d-%02d %02d:%02d:%02d.%03lld+00", tm.tm_year + 1900,
		     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		     (now_ms - ago) % 1000);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int
cli_colour(const struct cli *c)
{
	const char *no = getenv("NO_COLOR");

	return c->format == TABLE_TEXT && isatty(STDOUT_FILENO) && !(no && no[0]);
}

int
cli_print(const struct cli *c, struct table *t)
{
	int rc = t ? table_write(stdout, t, c->format, cli_colour(c)) : -1;

	if (!t)
		fprintf(stderr, "fmctl: out of memory\n");
	else if (rc < 0)
		perror("fmctl: stdout");
	table_free(t);
	return rc < 0 ? FMCTL_FINDING : FMCTL_OK;
}

int
cli_usage(const char *text, int error)
{
	fputs(text, error ? stderr : stdout);
	return error ? FMCTL_USAGE : FMCTL_OK;
}

long long
cli_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
