/* stats.c — `fmctl stats`: the counters every daemon publishes retained on
 * fm/v1/_sys/{daemon}/{instance}, one row per counter (nested keys
 * flattened with dots). Read from the broker, as the console account or
 * --as; the snapshot is what the broker holds retained. */
#include "conn.h"
#include "msg_ops.h"
#include "topic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATS_USAGE                                                                                \
	"usage: fmctl stats [--daemon NAME] [--as PERSON [--password-file F]] [--wait D]\n"        \
	"                   [--format table|json|csv]\n"                                           \
	"  The daemons' counters (retained on fm/v1/_sys/DAEMON/INSTANCE), one row\n"              \
	"  per counter; the console account of fm.yaml / FM_MQTT_USERNAME logs in\n"               \
	"  (broker user fmctl) unless --as is given.\n"                                            \
	"  --wait D            the longest to wait for the retained messages (5s)\n"               \
	"Exit: 0, 1 no daemon's stats found, 2 usage, 3 broker unreachable,\n"                     \
	"      5 refused by the broker.\n"

#define STATS_MAX 256 /* daemon instances kept */

enum { OPT_DAEMON = CLI_FIRST_OWN };

struct snap {
	struct fconn_msg *m[STATS_MAX];
	int n;
	const char *daemon; /* filter, or NULL */
};

/* Keeps the latest message per topic. */
static void
keep(void *ctx, struct fconn_msg *m)
{
	struct snap *s = ctx;
	struct topic t;

	if (m->len == 0 || topic_parse(m->topic, strlen(m->topic), &t) != TOPIC_OK ||
	    t.kind != TOPIC_SYS || (s->daemon && strcmp(t.daemon, s->daemon) != 0)) {
		free(m);
		return;
	}
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->m[i]->topic, m->topic) == 0) {
			free(s->m[i]);
			s->m[i] = m;
			return;
		}
	if (s->n < STATS_MAX)
		s->m[s->n++] = m;
	else
		free(m);
}

static int
by_topic(const void *a, const void *b)
{
	return strcmp((*(struct fconn_msg *const *)a)->topic,
		      (*(struct fconn_msg *const *)b)->topic);
}

static int
fill(struct table *t, struct snap *s, struct msg_flat *f)
{
	struct topic tp;

	qsort(s->m, (size_t)s->n, sizeof s->m[0], by_topic);
	for (int i = 0; i < s->n; i++) {
		topic_parse(s->m[i]->topic, strlen(s->m[i]->topic), &tp);
		if (msg_flat_decode(s->m[i]->payload, s->m[i]->len, NULL, f) != MSG_OK) {
			fprintf(stderr, "fmctl: stats: %s: not a JSON object\n", s->m[i]->topic);
			continue;
		}
		for (int k = 0; k < f->n; k++) {
			const char *key = f->f[k].key;
			const char *row[4] = {tp.daemon, tp.instance, key, f->f[k].value};

			if (!strcmp(key, "daemon") || !strcmp(key, "instance"))
				continue;
			if (!strncmp(key, "counters.", 9))
				row[2] = key + 9;
			if (f->f[k].type == MSG_FLAT_NULL)
				row[3] = NULL;
			if (table_add(t, row) < 0)
				return FMCTL_FINDING;
		}
	}
	return FMCTL_OK;
}

int
cmd_stats(const struct fmctl_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_OPT_AS,         CLI_OPT_PASSWORD_FILE,
		CLI_OPT_WAIT,       CLI_OPT_FORMAT,
		CLI_OPT_HELP,       {"daemon", required_argument, NULL, OPT_DAEMON},
		{NULL, 0, NULL, 0},
	};
	static const struct table_col cols[] = {
		{"daemon", TABLE_STR, 0},
		{"instance", TABLE_STR, 0},
		{"counter", TABLE_STR, 0},
		{"value", TABLE_NUM, 0},
	};
	const char *filters[1] = {"fm/v1/_sys/+/+"};
	struct snap s = {.n = 0, .daemon = NULL};
	struct msg_flat *f = NULL;
	struct table *t = NULL;
	struct fconn c;
	struct cli cli;
	int ch, r, rc;

	cli_init(&cli);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if ((r = cli_take(&cli, ch, optarg)) < 0)
			return FMCTL_USAGE;
		if (r == 0 && ch == OPT_DAEMON)
			s.daemon = optarg;
		else if (r == 0)
			return cli_usage(STATS_USAGE, 1);
	}
	if (cli.help)
		return cli_usage(STATS_USAGE, 0);
	if (optind != argc)
		return cli_usage(STATS_USAGE, 1);
	if ((rc = fconn_init(&c, o)) == FMCTL_OK)
		rc = fconn_mqtt(&c, &cli, filters, 1);
	if (rc == FMCTL_OK) {
		fconn_drain(&c, 300, cli.wait_ms, keep, &s);
		f = malloc(sizeof *f);
		t = table_new(cols, 4);
		rc = f && t ? fill(t, &s, f) : FMCTL_FINDING;
	}
	if (rc == FMCTL_OK && s.n == 0) {
		fprintf(stderr, "fmctl: stats: no daemon's stats on fm/v1/_sys/ (retained)\n");
		rc = FMCTL_FINDING;
	}
	if (rc == FMCTL_OK) {
		rc = cli_print(&cli, t);
		t = NULL;
	}
	table_free(t);
	free(f);
	for (int i = 0; i < s.n; i++)
		free(s.m[i]);
	fconn_close(&c);
	return rc;
}
