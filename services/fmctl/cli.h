/* cli.h — the options the people's commands share (--format, --site, --as,
 * --password-file, --wait, --help) and the parsing of their values
 * (durations, points in time). Each command keeps its own getopt_long table
 * and passes the shared options here. */
#ifndef FM_FMCTL_CLI_H
#define FM_FMCTL_CLI_H

#include "table.h"

#include <getopt.h>
#include <stddef.h>

/* getopt_long values of the shared options (outside the char range). */
enum {
	CLI_FORMAT = 1000,
	CLI_SITE,
	CLI_AS,
	CLI_PASSWORD_FILE,
	CLI_WAIT,
	CLI_HELP,
	CLI_FIRST_OWN, /* a command's own long options start here */
};

#define CLI_OPT_FORMAT                                                                             \
	{                                                                                          \
		"format", required_argument, NULL, CLI_FORMAT                                      \
	}
#define CLI_OPT_SITE                                                                               \
	{                                                                                          \
		"site", required_argument, NULL, CLI_SITE                                          \
	}
#define CLI_OPT_AS                                                                                 \
	{                                                                                          \
		"as", required_argument, NULL, CLI_AS                                              \
	}
#define CLI_OPT_PASSWORD_FILE                                                                      \
	{                                                                                          \
		"password-file", required_argument, NULL, CLI_PASSWORD_FILE                        \
	}
#define CLI_OPT_WAIT                                                                               \
	{                                                                                          \
		"wait", required_argument, NULL, CLI_WAIT                                          \
	}
#define CLI_OPT_HELP                                                                               \
	{                                                                                          \
		"help", no_argument, NULL, CLI_HELP                                                \
	}

struct cli {
	enum table_format format; /* default TABLE_TEXT */
	const char *site;         /* NULL: every site (views) or the only one (actions) */
	const char *as;           /* the person acting; NULL for views as the console */
	const char *password_file;
	long long wait_ms; /* default 5000 */
	int help;
};

void
cli_init(struct cli *c);

/* Takes one shared option. Returns 1 when ch is one of them (its value
 * accepted), 0 when it is not, -1 when its value is bad (said on stderr). */
int
cli_take(struct cli *c, int ch, const char *arg);

/* "500ms", "5s", "2m", "1h", "7d"; a bare number is seconds. 0, or -1. */
int
cli_duration_ms(const char *s, long long *ms);

/* A point in time for a query parameter: a duration means that long before
 * now_ms (written as a UTC timestamp); anything else is passed on for
 * PostgreSQL to read (2025-11-23, 2025-11-23 08:00+08). 0, or -1 when it
 * does not fit in cap. */
int
cli_time_param(const char *s, long long now_ms, char *out, size_t cap);

/* 1 when text output goes to a terminal and NO_COLOR is not set. */
int
cli_colour(const struct cli *c);

/* Writes t to stdout in c->format: FMCTL_OK, or FMCTL_FINDING on a write
 * error. Frees t. */
int
cli_print(const struct cli *c, struct table *t);

/* Prints a command's usage text to stdout (help, exit 0) or stderr (usage
 * error) and returns the exit status to use. */
int
cli_usage(const char *text, int error);

/* The UTC wall clock in ms. */
long long
cli_now_ms(void);

#endif
