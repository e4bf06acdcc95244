/* watch.c — `fmctl watch`: the live view of open alarms and work orders
 * from the broker's retained topics (watchtab.c keeps them). On a terminal
 * the table is redrawn in place, alarms in their severity's colour; to a
 * pipe or file, the snapshot is printed once and then one line per change.
 * --once prints the snapshot and exits (for scripts and tests). */
#include "conn.h"
#include "topic.h"
#include "watchtab.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WATCH_USAGE                                                                                \
	"usage: fmctl watch [--site S] [--once] [--for DURATION] [--as PERSON\n"                   \
	"                   [--password-file F]] [--wait D] [--format table|json|csv]\n"           \
	"  Open alarms (by severity) and open work orders, from the retained\n"                    \
	"  fm/v1/SITE/alarm/+ and fm/v1/SITE/wo/+. On a terminal the view is redrawn\n"            \
	"  in place; otherwise the snapshot is printed, then a line per change:\n"                 \
	"  TIME set|gone TYPE SITE ID STATE SEV DEVICE WHAT.\n"                                    \
	"  --once              print the snapshot and exit (--format applies to it)\n"             \
	"  --for DURATION      stop after this long (default: until interrupted)\n"                \
	"  --wait D            the longest to wait for the retained messages (5s)\n"               \
	"  Logs in as the console account (fm.yaml / FM_MQTT_USERNAME, broker user\n"              \
	"  fmctl) unless --as is given; the broker's ACL decides what is seen.\n"                  \
	"  age: since raised/created; due: time left on the order's next clock.\n"                 \
	"Exit: 0, 2 usage, 3 broker unreachable, 5 refused by the broker.\n"

enum { OPT_ONCE = CLI_FIRST_OWN, OPT_FOR };

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct view {
	struct wtab w;
	const struct cli *cli;
	int tty, lines; /* lines: print a line per change */
};

static void
line(struct view *v, enum wtab_change ch, const char *topic, int index)
{
	char bufs[WTAB_NCOLS][WTAB_BUF], ts[32];
	const char *row[WTAB_NCOLS] = {NULL};
	struct topic t;
	time_t now = time(NULL);
	struct tm tm;

	if (ch == WTAB_SET) {
		wtab_row(&v->w.items[index], cli_now_ms(), row, bufs);
	} else if (topic_parse(topic, strlen(topic), &t) == TOPIC_OK) {
		row[0] = t.kind == TOPIC_ALARM ? "alarm" : "wo";
		row[1] = t.site;
		row[2] = t.kind == TOPIC_ALARM ? t.alarm_id : t.wo_id;
	}
	gmtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	printf("%s %s %s %s %s %s %s %s %s\n", ts, ch == WTAB_SET ? "set" : "gone", row[0],
	       row[1] ? row[1] : "-", row[2] ? row[2] : "-", row[6] ? row[6] : "-",
	       row[3] ? row[3] : "-", row[4] ? row[4] : "-", row[5] ? row[5] : "-");
	fflush(stdout);
}

static void
apply(void *ctx, struct fconn_msg *m)
{
	struct view *v = ctx;
	int index;
	enum wtab_change ch = wtab_update(&v->w, m->topic, m->payload, m->len, &index);

	if (v->lines && (ch == WTAB_SET || ch == WTAB_GONE))
		line(v, ch, m->topic, index);
	free(m);
}

static int
draw(struct view *v)
{
	struct table *t = table_new(wtab_cols, WTAB_NCOLS);

	if (!t || wtab_render(&v->w, cli_now_ms(), t) < 0) {
		table_free(t);
		return FMCTL_FINDING;
	}
	if (v->tty && !v->lines)
		fputs("\033[H\033[2J", stdout);
	return cli_print(v->cli, t);
}

static int
live(struct fconn *c, struct view *v, long long for_ms)
{
	long long end = cli_now_ms() + for_ms, last = 0;
	struct fconn_msg *m;
	struct sigaction sa;
	int rc = FMCTL_OK;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	v->lines = !v->tty;
	while (!stop && rc == FMCTL_OK && (for_ms < 0 || cli_now_ms() < end)) {
		m = fconn_next(c, 250);
		if (m)
			apply(v, m);
		/* a terminal is redrawn at most 4 times a second, and every
		 * second for the ages */
		if (v->tty && (m ? cli_now_ms() - last >= 250 : cli_now_ms() - last >= 1000)) {
			rc = draw(v);
			last = cli_now_ms();
		}
	}
	return rc;
}

int
cmd_watch(const struct fmctl_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_OPT_SITE,
		CLI_OPT_AS,
		CLI_OPT_PASSWORD_FILE,
		CLI_OPT_WAIT,
		CLI_OPT_FORMAT,
		CLI_OPT_HELP,
		{"once", no_argument, NULL, OPT_ONCE},
		{"for", required_argument, NULL, OPT_FOR},
		{NULL, 0, NULL, 0},
	};
	char alarms[128], wos[128];
	const char *filters[2] = {alarms, wos};
	long long for_ms = -1;
	struct view v;
	struct fconn c;
	struct cli cli;
	int ch, r, rc, once = 0;

	cli_init(&cli);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if ((r = cli_take(&cli, ch, optarg)) < 0)
			return FMCTL_USAGE;
		if (r == 0 && ch == OPT_ONCE)
			once = 1;
		else if (r == 0 && ch == OPT_FOR && cli_duration_ms(optarg, &for_ms) == 0)
			continue;
		else if (r == 0)
			return cli_usage(WATCH_USAGE, 1);
	}
	if (cli.help)
		return cli_usage(WATCH_USAGE, 0);
	if (optind != argc)
		return cli_usage(WATCH_USAGE, 1);
	snprintf(alarms, sizeof alarms, "fm/v1/%s/alarm/+", cli.site ? cli.site : "+");
	snprintf(wos, sizeof wos, "fm/v1/%s/wo/+", cli.site ? cli.site : "+");
	memset(&v, 0, sizeof v);
	v.cli = &cli;
	v.tty = isatty(STDOUT_FILENO);
	if ((rc = fconn_init(&c, o)) == FMCTL_OK)
		rc = fconn_mqtt(&c, &cli, filters, 2);
	if (rc == FMCTL_OK) {
		fconn_drain(&c, 300, cli.wait_ms, apply, &v);
		rc = draw(&v);
	}
	if (rc == FMCTL_OK && !once)
		rc = live(&c, &v, for_ms);
	if (v.w.bad)
		fprintf(stderr, "fmctl: watch: %llu retained payloads were not JSON objects\n",
			v.w.bad);
	wtab_free(&v.w);
	fconn_close(&c);
	return rc;
}
