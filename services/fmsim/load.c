/* load.c — `fmsim load`: publishes telemetry for N simulated devices over K
 * connections at a target or the highest rate, records which publishes the
 * broker acknowledged, writes that as the oracle file and prints throughput
 * and latency. With --register it only writes the devices' registry. The
 * per-connection work is load_conn.c's; this file must stay wiring. */
#include "fmsim.h"
#include "load.h"

#include "log.h"
#include "timeutil.h"
#include "topic.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
usage(FILE *out)
{
	fprintf(out,
		"usage: fmsim load --devices N [--metrics M] [--rate MSG_PER_S | --max]\n"
		"                  (--count TOTAL | --seconds S) [--connections K]\n"
		"                  [--site SITE] [--prefix PREFIX] [--oracle FILE]\n"
		"                  [--retry on|off] [--attempts N] [--inflight W] [--drain S]\n"
		"                  [--ack-timeout S]\n"
		"       fmsim load --devices N [--site SITE] [--prefix PREFIX] --register DIR\n"
		"  --devices N       simulated devices <PREFIX>000001 ... (1..%d)\n"
		"  --metrics M       metrics per message, m00 ... (1..%d; default 1)\n"
		"  --rate R          messages per second over all connections\n"
		"  --max             as fast as the in-flight windows allow (the default)\n"
		"  --count TOTAL     publish TOTAL new messages, or\n"
		"  --seconds S       publish new messages for S seconds\n"
		"  --connections K   MQTT connections, each with a share of the devices\n"
		"                    (default 4)\n"
		"  --site SITE       site level of the topics (default load)\n"
		"  --prefix PREFIX   device id prefix (default ld)\n"
		"  --oracle FILE     write the acknowledged (device, seq) ranges for\n"
		"                    `fmsim check`\n"
		"  --retry on|off    publish again what was refused or lost, with the same\n"
		"                    seq and ts (default on)\n"
		"  --attempts N      most publishes of one message (default 5)\n"
		"  --inflight W      unacknowledged publishes per connection (default 1000;\n"
		"                    the broker's receive maximum may lower it)\n"
		"  --drain S         at the end, wait this long for acknowledgements\n"
		"                    (default 30)\n"
		"  --ack-timeout S   a connection with publishes pending and no\n"
		"                    acknowledgement for S seconds is given up and the run\n"
		"                    reported incomplete (default 30: longer than the\n"
		"                    client's reconnect back-off)\n"
		"  --register DIR    write site.yaml, devices.yaml and people.yaml for the\n"
		"                    devices into DIR and exit; then run `fmctl apply DIR`\n"
		"                    (never with --prune: that would delete the other sites).\n"
		"                    Use a site of its own: it is written with time zone UTC.\n"
		"QoS 1, clean start, client ids fmsim-load-<pid>-<k>; broker account from\n"
		"FM_MQTT_USERNAME/FM_MQTT_PASSWORD (or fm.yaml). Payload ts is the publish time.\n"
		"Exit: 0 done, 1 nothing acknowledged or the oracle not written, 2 usage,\n"
		"3 broker unreachable.\n",
		LOADMSG_DEVICES_MAX, LOADMSG_METRICS_MAX);
}

enum {
	OPT_DEVICES = 256,
	OPT_METRICS,
	OPT_RATE,
	OPT_MAX,
	OPT_COUNT,
	OPT_SECONDS,
	OPT_CONNECTIONS,
	OPT_SITE,
	OPT_PREFIX,
	OPT_ORACLE,
	OPT_REGISTER,
	OPT_RETRY,
	OPT_ATTEMPTS,
	OPT_INFLIGHT,
	OPT_DRAIN,
	OPT_ACK_TIMEOUT,
	OPT_HELP,
};

static const struct option longopts[] = {
	{"devices", required_argument, NULL, OPT_DEVICES},
	{"metrics", required_argument, NULL, OPT_METRICS},
	{"rate", required_argument, NULL, OPT_RATE},
	{"max", no_argument, NULL, OPT_MAX},
	{"count", required_argument, NULL, OPT_COUNT},
	{"seconds", required_argument, NULL, OPT_SECONDS},
	{"connections", required_argument, NULL, OPT_CONNECTIONS},
	{"site", required_argument, NULL, OPT_SITE},
	{"prefix", required_argument, NULL, OPT_PREFIX},
	{"oracle", required_argument, NULL, OPT_ORACLE},
	{"register", required_argument, NULL, OPT_REGISTER},
	{"retry", required_argument, NULL, OPT_RETRY},
	{"attempts", required_argument, NULL, OPT_ATTEMPTS},
	{"inflight", required_argument, NULL, OPT_INFLIGHT},
	{"drain", required_argument, NULL, OPT_DRAIN},
	{"ack-timeout", required_argument, NULL, OPT_ACK_TIMEOUT},
	{"help", no_argument, NULL, OPT_HELP},
	{NULL, 0, NULL, 0},
};

/* One option into lc: 0, or -1 after printing why. */
static int
parse_opt(struct load_conf *lc, int ch, const char *arg, int *max)
{
	long long v;

	switch (ch) {
	case OPT_DEVICES:
		return fmsim_parse_ll("load", "devices", arg, 1, LOADMSG_DEVICES_MAX, &lc->devices);
	case OPT_METRICS:
		if (fmsim_parse_ll("load", "metrics", arg, 1, LOADMSG_METRICS_MAX, &v) < 0)
			return -1;
		lc->metrics = (int)v;
		return 0;
	case OPT_RATE:
		return fmsim_parse_double("load", "rate", arg, 0.001, 1e9, &lc->rate);
	case OPT_MAX:
		*max = 1;
		return 0;
	case OPT_COUNT:
		return fmsim_parse_ll("load", "count", arg, 1, 1000000000000LL, &lc->count);
	case OPT_SECONDS:
		return fmsim_parse_double("load", "seconds", arg, 0.001, 31536000, &lc->seconds);
	case OPT_CONNECTIONS:
		if (fmsim_parse_ll("load", "connections", arg, 1, 256, &v) < 0)
			return -1;
		lc->connections = (int)v;
		return 0;
	case OPT_SITE:
		if (!topic_site_valid(arg)) {
			fprintf(stderr,
				"fmsim load: --site: '%s' is not [A-Za-z0-9_-]{1,64} "
				"(nor _sys)\n",
				arg);
			return -1;
		}
		snprintf(lc->site, sizeof lc->site, "%s", arg);
		return 0;
	case OPT_PREFIX:
		if (!loadmsg_prefix_valid(arg)) {
			fprintf(stderr, "fmsim load: --prefix: '%s' is not [A-Za-z0-9_-]{1,%d}\n",
				arg, LOADMSG_PREFIX_MAX);
			return -1;
		}
		snprintf(lc->prefix, sizeof lc->prefix, "%s", arg);
		return 0;
	case OPT_ORACLE:
		lc->oracle_path = arg;
		return 0;
	case OPT_REGISTER:
		lc->register_dir = arg;
		return 0;
	case OPT_RETRY:
		if (strcmp(arg, "on") != 0 && strcmp(arg, "off") != 0) {
			fprintf(stderr, "fmsim load: --retry: expected on or off, got '%s'\n", arg);
			return -1;
		}
		lc->retry = strcmp(arg, "on") == 0;
		return 0;
	case OPT_ATTEMPTS:
		if (fmsim_parse_ll("load", "attempts", arg, 1, 1000, &v) < 0)
			return -1;
		lc->attempts = (int)v;
		return 0;
	case OPT_INFLIGHT:
		if (fmsim_parse_ll("load", "inflight", arg, 1, 65535, &v) < 0)
			return -1;
		lc->inflight = (int)v;
		return 0;
	case OPT_ACK_TIMEOUT:
		return fmsim_parse_double("load", "ack-timeout", arg, 1, 86400, &lc->ack_timeout_s);
	default:
		return fmsim_parse_double("load", "drain", arg, 0, 3600, &lc->drain_s);
	}
}

/* Returns 0 to run, 1 after --help, -1 on a usage error (printed). */
static int
parse_args(struct load_conf *lc, int argc, char **argv)
{
	int ch, max = 0;

	memset(lc, 0, sizeof *lc);
	lc->metrics = 1;
	lc->connections = 4;
	lc->inflight = 1000;
	lc->retry = 1;
	lc->attempts = 5;
	lc->drain_s = 30;
	lc->ack_timeout_s = 30;
	snprintf(lc->site, sizeof lc->site, "load");
	snprintf(lc->prefix, sizeof lc->prefix, "ld");
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch == OPT_HELP) {
			usage(stdout);
			return 1;
		}
		if (ch == '?') {
			fprintf(stderr, "fmsim load: unknown option or missing value: '%s'\n",
				argv[optind - 1]);
			goto bad;
		}
		if (parse_opt(lc, ch, optarg, &max) < 0)
			goto bad;
	}
	if (optind != argc) {
		fprintf(stderr, "fmsim load: unexpected argument '%s'\n", argv[optind]);
		goto bad;
	}
	if (lc->devices == 0) {
		fprintf(stderr, "fmsim load: --devices is required\n");
		goto bad;
	}
	if (lc->register_dir)
		return 0;
	if (max && lc->rate > 0) {
		fprintf(stderr, "fmsim load: --rate and --max exclude each other\n");
		goto bad;
	}
	if ((lc->count > 0) == (lc->seconds > 0)) {
		fprintf(stderr, "fmsim load: give exactly one of --count and --seconds\n");
		goto bad;
	}
	if (lc->connections > lc->devices)
		lc->connections = (int)lc->devices;
	return 0;
bad:
	fprintf(stderr, "fmsim load --help for usage\n");
	return -1;
}

/* Writes the oracle through a temporary file and a rename, so a reader
 * never sees half of one. */
static int
write_oracle(const struct load_conf *lc, const struct oracle *o, long long t0_ms, long long t1_ms,
	     long long acked)
{
	struct oracle_header h = {0};
	char tmp[4096], line[512], id[ORACLE_ID_MAX + 1];
	long long from, lo, hi;
	FILE *f;

	snprintf(h.site, sizeof h.site, "%s", lc->site);
	snprintf(h.prefix, sizeof h.prefix, "%s", lc->prefix);
	h.devices = lc->devices;
	h.metrics = lc->metrics;
	h.t0_ms = t0_ms;
	h.t1_ms = t1_ms;
	h.acked = acked;
	if (snprintf(tmp, sizeof tmp, "%s.tmp", lc->oracle_path) >= (int)sizeof tmp ||
	    oracle_format_header(&h, line, sizeof line) < 0) {
		fprintf(stderr, "fmsim load: --oracle: path too long\n");
		return -1;
	}
	f = fopen(tmp, "w");
	if (!f)
		goto fail;
	fputs(line, f);
	for (size_t d = 0; d < o->n_dev; d++) {
		loadmsg_device_id(id, sizeof id, lc->prefix, (long long)d);
		fputs(id, f);
		from = 1;
		while (oracle_next_range(o, d, &from, &lo, &hi)) {
			if (lo == hi)
				fprintf(f, " %lld", lo);
			else
				fprintf(f, " %lld-%lld", lo, hi);
		}
		fputc('\n', f);
	}
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		fclose(f);
		goto fail;
	}
	if (fclose(f) != 0 || rename(tmp, lc->oracle_path) != 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "fmsim load: cannot write the oracle %s: %m\n", lc->oracle_path);
	unlink(tmp);
	return -1;
}

static void
print_summary(const struct load_conf *lc, const struct load_stats *st, const struct latency *lat,
	      double secs, int window)
{
	double rate = secs > 0 ? (double)st->acked / secs : 0;

	printf("fmsim load: sent=%lld acked=%lld failed=%lld retried=%lld seconds=%.2f "
	       "msg_per_s=%.0f readings_per_s=%.0f\n",
	       st->sent, st->acked, st->failed, st->retried, secs, rate, rate * lc->metrics);
	if (lat->n > 0)
		printf("fmsim load: ack_latency_ms p50=%.2f p99=%.2f max=%.2f",
		       (double)latency_quantile(lat, 0.5) / 1000,
		       (double)latency_quantile(lat, 0.99) / 1000, (double)lat->max_us / 1000);
	else
		printf("fmsim load: ack_latency_ms p50=- p99=- max=-");
	printf(" connections=%d window=%d refused=%lld lost=%lld unanswered=%lld given_up=%lld "
	       "unsent=%lld\n",
	       lc->connections, window, st->refused, st->lost, st->unanswered, st->given_up,
	       st->unsent);
	if (st->ack_late || st->ack_dropped || st->publish_err || st->stalled)
		printf("fmsim load: ack_late=%lld ack_dropped=%lld publish_errors=%lld "
		       "stalled_connections=%lld\n",
		       st->ack_late, st->ack_dropped, st->publish_err, st->stalled);
	fflush(stdout);
}

/* Connects every connection, runs the publishers and waits for them. */
static int
run(struct daemon *d, const struct load_conf *lc, struct oracle *o)
{
	struct load_conn *conns = xcalloc((size_t)lc->connections, sizeof *conns);
	struct load_stats st = {0};
	struct latency *lat = xmalloc(sizeof *lat);
	long long start_us, end_us = 0, t0_ms, t1_ms;
	int rc = FMSIM_OK, inited = 0, started = 0, window = 0;

	latency_init(lat);
	for (int k = 0; k < lc->connections; k++) {
		inited++;
		if (load_conn_init(&conns[k], k, lc, o, &d->cfg.mqtt) < 0) {
			rc = FMSIM_USAGE;
			goto out;
		}
		if (load_conn_connect(&conns[k], d->cfg.mqtt.connect_timeout_ms) < 0) {
			rc = FMSIM_UNAVAILABLE;
			goto out;
		}
	}
	t0_ms = tu_now_ms();
	start_us = load_mono_us();
	for (; started < lc->connections; started++)
		if (load_conn_start(&conns[started], start_us) < 0)
			break;
	for (int k = 0; k < lc->connections; k++) {
		load_conn_join(&conns[k], &st, lat);
		if (conns[k].last_ack_us > end_us)
			end_us = conns[k].last_ack_us;
		if (window == 0 || conns[k].window < window)
			window = conns[k].window;
	}
	t1_ms = tu_now_ms();
	if (started < lc->connections) {
		rc = FMSIM_FINDING;
		goto out;
	}
	if (st.acked == 0)
		end_us = load_mono_us();
	print_summary(lc, &st, lat, (double)(end_us - start_us) / 1e6, window);
	if (lc->oracle_path && write_oracle(lc, o, t0_ms, t1_ms, st.acked) < 0)
		rc = FMSIM_FINDING;
	if (st.acked == 0) {
		fprintf(stderr, "fmsim load: nothing was acknowledged\n");
		rc = FMSIM_FINDING;
	}
	if (st.stalled) {
		fprintf(stderr,
			"fmsim load: %lld connection%s stalled (no acknowledgement within "
			"--ack-timeout); the run is incomplete\n",
			st.stalled, st.stalled == 1 ? "" : "s");
		rc = FMSIM_FINDING;
	}
out:
	for (int k = 0; k < inited; k++)
		load_conn_free(&conns[k]);
	free(conns);
	free(lat);
	return rc;
}

int
cmd_load(struct daemon *d, int argc, char **argv)
{
	struct load_conf lc;
	struct oracle o;
	int rc;

	rc = parse_args(&lc, argc, argv);
	if (rc)
		return rc > 0 ? FMSIM_OK : FMSIM_USAGE;
	if (lc.register_dir) {
		if (load_register(&lc, lc.register_dir) < 0)
			return FMSIM_FINDING;
		printf("fmsim load: wrote %s/{site,devices,people}.yaml: site %s, %lld devices "
		       "%s000001..; next: fmctl apply %s\n",
		       lc.register_dir, lc.site, lc.devices, lc.prefix, lc.register_dir);
		return FMSIM_OK;
	}
	oracle_init(&o, (size_t)lc.devices);
	rc = run(d, &lc, &o);
	oracle_free(&o);
	return rc;
}
