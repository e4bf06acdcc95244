/* probe.c — `fmsim probe`: alertd's latency as the duty post sees it. For
 * each round it publishes one telemetry message that crosses a threshold
 * rule on one device (the value alternates between --high and --low, so the
 * alarm is raised, then cleared) and times from just before the publish
 * until the alarm-log entry of that transition arrives. Prints p50, p99,
 * p99.9 and the maximum in milliseconds. The entry is recognised by its
 * device and the transition the round expects; a round that gets no entry
 * within --timeout-ms counts as lost. */
#include "fmsim.h"

#include "latency.h"
#include "log.h"
#include "mqtt.h"
#include "timeutil.h"
#include "topic.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct probe {
	char device_key[TOPIC_ID_MAX + 16]; /* "device":"<id>" */
	const char *want;                   /* "transition":"raised" or "cleared" */
	int got;
	long long t_got_us;
	long long alarm_ts_ms, got_wall_ms; /* the transition's time (alertd's clock), receipt */
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static int
contains(const struct mq_msg *m, const char *s)
{
	return memmem(m->payload, m->len, s, strlen(s)) != NULL;
}

static enum mq_verdict
on_log(void *ctx, const struct mq_msg *m)
{
	struct probe *p = ctx;
	long long now = tu_mono_us();

	pthread_mutex_lock(&p->mu);
	if (!p->got && p->want && contains(m, p->device_key) && contains(m, p->want)) {
		const char *ts = memmem(m->payload, m->len, "\"ts\":", 5);

		p->got = 1;
		p->t_got_us = now;
		p->got_wall_ms = tu_now_ms();
		p->alarm_ts_ms = ts ? atoll(ts + 5) : 0;
		pthread_cond_signal(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return MQ_OK;
}

struct probe_opts {
	const char *site, *device, *metric;
	long long count, interval_ms, timeout_ms;
	double high, low;
};

static int
parse(int argc, char **argv, struct probe_opts *o)
{
	*o = (struct probe_opts){"load", "ld000001", "probe", 200, 50, 5000, 1, 0};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int bad = 0;

		if (strcmp(a, "--help") == 0) {
			printf("usage: fmsim probe [--site S] [--device D] [--metric M] [--high X] "
			       "[--low Y]\n"
			       "                   [--count N] [--interval-ms MS] [--timeout-ms "
			       "MS]\n");
			return 1;
		}
		if (!v)
			bad = 1;
		else if (strcmp(a, "--site") == 0)
			o->site = v;
		else if (strcmp(a, "--device") == 0)
			o->device = v;
		else if (strcmp(a, "--metric") == 0)
			o->metric = v;
		else if (strcmp(a, "--count") == 0)
			bad = fmsim_parse_ll("probe", "count", v, 1, 1000000, &o->count);
		else if (strcmp(a, "--interval-ms") == 0)
			bad = fmsim_parse_ll("probe", "interval-ms", v, 0, 60000, &o->interval_ms);
		else if (strcmp(a, "--timeout-ms") == 0)
			bad = fmsim_parse_ll("probe", "timeout-ms", v, 1, 600000, &o->timeout_ms);
		else if (strcmp(a, "--high") == 0)
			bad = fmsim_parse_double("probe", "high", v, -1e12, 1e12, &o->high);
		else if (strcmp(a, "--low") == 0)
			bad = fmsim_parse_double("probe", "low", v, -1e12, 1e12, &o->low);
		else
			bad = 1;
		if (bad) {
			fprintf(stderr, "fmsim probe: bad option '%s'\n", a);
			return -1;
		}
		i++;
	}
	return 0;
}

/* One round: publish, wait for the transition. Returns the latency in µs,
 * or -1 when it did not come. */
/* The two legs of a round in ms, on the wall clock (one machine): the device's
 * publish to alertd's transition, and that to the duty post's receipt. */
struct legs {
	struct latency in, out;
};

static long long
round_trip(struct mq *mq, struct probe *p, const struct probe_opts *o, long long seq, int raise,
	   const char *topic, struct legs *legs)
{
	char payload[256];
	int len;
	long long t0, deadline, sent_ms = tu_now_ms();
	struct timespec ts;

	len = snprintf(payload, sizeof payload,
		       "{\"seq\":%lld,\"ts\":%lld,\"metrics\":{\"%s\":%.17g}}", seq, tu_now_ms(),
		       o->metric, raise ? o->high : o->low);
	pthread_mutex_lock(&p->mu);
	p->got = 0;
	p->want = raise ? "\"transition\":\"raised\"" : "\"transition\":\"cleared\"";
	pthread_mutex_unlock(&p->mu);
	t0 = tu_mono_us();
	if (mq_publish(mq, topic, payload, (size_t)len, 1, 0) < 0)
		return -1;
	deadline = t0 + o->timeout_ms * 1000;
	pthread_mutex_lock(&p->mu);
	while (!p->got && tu_mono_us() < deadline) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += 10 * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&p->cv, &p->mu, &ts);
	}
	p->want = NULL;
	if (p->got && p->alarm_ts_ms > 0) {
		latency_add(&legs->in, (p->alarm_ts_ms - sent_ms) * 1000);
		latency_add(&legs->out, (p->got_wall_ms - p->alarm_ts_ms) * 1000);
	}
	pthread_mutex_unlock(&p->mu);
	return p->got ? p->t_got_us - t0 : -1;
}

int
cmd_probe(struct daemon *d, int argc, char **argv)
{
	static struct probe p = {.mu = PTHREAD_MUTEX_INITIALIZER};
	struct probe_opts o;
	const struct fm_mqtt_conf *mc = &d->cfg.mqtt;
	struct mq_opts mo = {0};
	struct mq *mq;
	struct latency lat;
	static struct legs legs;
	pthread_condattr_t ca;
	char topic[TOPIC_MAX_LEN + 1], log_topic[TOPIC_MAX_LEN + 1], client_id[64];
	long long lost = 0;
	int rc = parse(argc, argv, &o);

	if (rc)
		return rc < 0 ? FMSIM_USAGE : FMSIM_OK;
	if (topic_build_dev(topic, sizeof topic, o.site, o.device, TOPIC_TELEMETRY) < 0 ||
	    topic_build_alarm_log(log_topic, sizeof log_topic, o.site) < 0) {
		fprintf(stderr, "fmsim probe: bad --site or --device\n");
		return FMSIM_USAGE;
	}
	snprintf(p.device_key, sizeof p.device_key, "\"device\":\"%s\"", o.device);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p.cv, &ca);
	snprintf(client_id, sizeof client_id, "fmsim-probe-%ld", (long)getpid());
	mo.url = mc->url;
	mo.client_id = client_id;
	mo.username = mc->username;
	mo.password = mc->password;
	mo.ca_file = mc->ca_file;
	mo.clean_start = 1;
	mo.connect_timeout_ms = mc->connect_timeout_ms;
	mo.publish_timeout_ms = mc->publish_timeout_ms;
	mq = mq_new(&mo, on_log, &p);
	/* Subscribed once connected, which waits for the SUBACK: remembered
	 * before the connect, the subscription was made by the client's keeper
	 * thread a little later, and under load the first round's alarm-log
	 * entry could pass before it (counted as lost: make bench, twice). */
	if (!mq || mq_connect(mq) < 0 || mq_subscribe(mq, log_topic, 1) < 0) {
		fprintf(stderr, "fmsim probe: cannot connect to %s\n", mc->url);
		mq_free(mq);
		return FMSIM_UNAVAILABLE;
	}
	latency_init(&lat);
	latency_init(&legs.in);
	latency_init(&legs.out);
	for (long long i = 1, base = tu_now_ms() * 1000; i <= o.count; i++) {
		long long us = round_trip(mq, &p, &o, base + i, i % 2 == 1, topic, &legs);
		struct timespec pause = {o.interval_ms / 1000, (o.interval_ms % 1000) * 1000000};

		if (us >= 0)
			latency_add(&lat, us);
		else if (++lost <= 3)
			fprintf(stderr,
				"fmsim probe: round %lld (%s) got no alarm-log entry within %lld "
				"ms\n",
				i, i % 2 == 1 ? "raise" : "clear", o.timeout_ms);
		if (lost >= 5 && lat.n == 0) {
			fprintf(stderr,
				"fmsim probe: no alarm-log entry for %s after %lld rounds: is "
				"alertd running, with a rule on --metric?\n",
				o.device, lost);
			break;
		}
		nanosleep(&pause, NULL);
	}
	mq_disconnect(mq);
	mq_free(mq);
	printf("probe: rounds=%lld lost=%lld p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f "
	       "in_p99_ms=%.0f out_p99_ms=%.0f\n",
	       o.count, lost, latency_quantile(&lat, 0.5) / 1000.0,
	       latency_quantile(&lat, 0.99) / 1000.0, latency_quantile(&lat, 0.999) / 1000.0,
	       lat.max_us / 1000.0, latency_quantile(&legs.in, 0.99) / 1000.0,
	       latency_quantile(&legs.out, 0.99) / 1000.0);
	return lost ? FMSIM_FINDING : FMSIM_OK;
}
