/* load_conn.c — one publishing connection of `fmsim load`. Its publisher
 * thread owns all of the connection's bookkeeping (in-flight table, retry
 * queue, its devices' oracle entries); the client's receive thread only
 * queues acknowledgements on a lock-free ring and wakes the publisher when
 * it sleeps. No allocation and no lock per message. It must not touch
 * another connection's devices. */
#include "load.h"

#include "daemon.h"
#include "fmconf.h"
#include "log.h"
#include "mqtt.h"
#include "timeutil.h"
#include "topic.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WAIT_STEP_US 1000            /* longest sleep between looks at the ring */
#define OFFLINE_WAIT_US 20000        /* sleep while the client reconnects */
#define STOP_DRAIN_US 5000000LL      /* draining after SIGINT/SIGTERM lasts at most this */
#define PUBLISH_STALL_US 50000       /* a publish call this long waited for the window ... */
#define PUBLISH_STALL_MAX_US 1000000 /* ... unless it took this long (a lost connection) */
#define WINDOW_MIN 8                 /* no broker limits a client to fewer in flight */

long long
load_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int
load_conn_init(struct load_conn *c, int k, const struct load_conf *lc, struct oracle *o,
	       const struct fm_mqtt_conf *mc)
{
	struct mq_opts mo = {0};
	pthread_condattr_t ca;
	char id[TOPIC_ID_MAX + 1], client_id[64];
	long long first;

	c->k = k;
	c->lc = lc;
	c->oracle = o;
	loadmsg_share(lc->devices, lc->connections, k, &c->first_dev, &c->n_dev);
	c->quota = -1;
	if (lc->count > 0)
		loadmsg_share(lc->count, lc->connections, k, &first, &c->quota);
	c->window = lc->inflight;
	c->ack_timeout_us = (long long)(lc->ack_timeout_s * 1e6);
	/* Outstanding acknowledgements never exceed the window: twice that
	 * leaves the receive thread room to spare. */
	ackring_init(&c->ring, (size_t)lc->inflight * 2 + 64);
	inflight_init(&c->inf);
	latency_init(&c->lat);
	pthread_mutex_init(&c->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c->cv, &ca);
	pthread_condattr_destroy(&ca);
	atomic_init(&c->wake_at, 0);
	atomic_init(&c->ack_dropped, 0);
	c->topics = xmalloc((size_t)(c->n_dev ? c->n_dev : 1) * LOAD_TOPIC_MAX);
	for (long long i = 0; i < c->n_dev; i++) {
		if (loadmsg_device_id(id, sizeof id, lc->prefix, c->first_dev + i) < 0 ||
		    topic_build_dev(c->topics + i * LOAD_TOPIC_MAX, LOAD_TOPIC_MAX, lc->site, id,
				    TOPIC_TELEMETRY) < 0) {
			log_error("load_bad_topic", "site=%s prefix=%s device=%lld", lc->site,
				  lc->prefix, c->first_dev + i);
			return -1;
		}
	}
	snprintf(client_id, sizeof client_id, "fmsim-load-%ld-%d", (long)getpid(), k);
	c->url = mc->url;
	mo.url = mc->url;
	mo.client_id = client_id;
	mo.username = mc->username;
	mo.password = mc->password;
	mo.ca_file = mc->ca_file;
	mo.keepalive_s = mc->keepalive_s;
	mo.session_expiry_s = 0;
	mo.clean_start = 1;
	mo.max_inflight = lc->inflight;
	mo.connect_timeout_ms = mc->connect_timeout_ms;
	mo.publish_timeout_ms = mc->publish_timeout_ms;
	c->mq = mq_new(&mo, NULL, NULL);
	if (!c->mq)
		return -1;
	mq_set_ack_handler(c->mq, load_conn_on_ack, c);
	return 0;
}

void
load_conn_free(struct load_conn *c)
{
	mq_free(c->mq);
	c->mq = NULL;
	ackring_free(&c->ring);
	inflight_free(&c->inf);
	retryq_free(&c->rq);
	free(c->topics);
	c->topics = NULL;
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
}

int
load_conn_connect(struct load_conn *c, long long timeout_ms)
{
	if (mq_connect_retry(c->mq, timeout_ms, NULL) == 0)
		return 0;
	fprintf(stderr, "fmsim load: connection %d cannot reach the broker at %s: %s\n", c->k,
		c->url, mq_error(c->mq));
	return -1;
}

void
load_conn_on_ack(void *ctx, int token, int reason)
{
	struct load_conn *c = ctx;
	struct ackring_ent e = {token, reason, load_mono_us()};
	int tries = 0, want;

	/* The ring cannot fill while the publisher runs (see load_conn_init);
	 * if it ever did, losing the record only makes the oracle expect less. */
	while (ackring_push(&c->ring, &e) < 0) {
		if (++tries == 1000) {
			atomic_fetch_add(&c->ack_dropped, 1);
			return;
		}
		sched_yield();
	}
	/* Pairs with the fence in wait_ack: either the publisher sees the
	 * entries, or we see what it waits for and wake it. */
	atomic_thread_fence(memory_order_seq_cst);
	want = atomic_load(&c->wake_at);
	if (want > 0 && ackring_count(&c->ring) >= (size_t)want) {
		pthread_mutex_lock(&c->mu);
		pthread_cond_signal(&c->cv);
		pthread_mutex_unlock(&c->mu);
	}
}

/* Sleeps until want (>= 1) acknowledgements are queued or us microseconds
 * pass. Waking once for a batch rather than for every acknowledgement keeps
 * the publisher from paying a context switch per message. */
static void
wait_ack(struct load_conn *c, long long us, int want)
{
	struct timespec ts;

	pthread_mutex_lock(&c->mu);
	atomic_store(&c->wake_at, want);
	atomic_thread_fence(memory_order_seq_cst);
	if (ackring_count(&c->ring) < (size_t)want) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += us / 1000000;
		ts.tv_nsec += (us % 1000000) * 1000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&c->cv, &c->mu, &ts);
	}
	atomic_store(&c->wake_at, 0);
	pthread_mutex_unlock(&c->mu);
}

/* A publish ended without an acknowledgement: send it again or give up. */
static void
publish_failed(struct load_conn *c, const struct inflight_msg *m)
{
	c->st.failed++;
	if (c->lc->retry && m->attempt < c->lc->attempts)
		retryq_push(&c->rq, m);
	else
		c->st.given_up++;
}

static void
process_acks(struct load_conn *c)
{
	static struct log_limit lim = LOG_LIMIT(5000);
	struct ackring_ent e;
	struct inflight_msg m;

	while (ackring_pop(&c->ring, &e)) {
		if (inflight_take(&c->inf, e.token, &m) < 0) {
			c->st.ack_late++;
			continue;
		}
		if (e.reason < 0x80) {
			latency_add(&c->lat, e.at_us - m.sent_us);
			if (oracle_ack(c->oracle, (size_t)m.dev, m.seq) == 1)
				c->st.acked++;
			c->last_ack_us = e.at_us;
			c->progress_us = e.at_us;
			continue;
		}
		c->progress_us = e.at_us;
		c->st.refused++;
		log_limited(&lim, LOG_WARN, "load_publish_refused",
			    "conn=%d reason=0x%02x device=%lld seq=%lld", c->k, e.reason, m.dev,
			    m.seq);
		publish_failed(c, &m);
	}
}

/* The next message to publish into *m: a retry first, else a new message
 * while new ones are still due. 0 when there is nothing to send. */
static int
next_message(struct load_conn *c, int new_ok, long long *rr, struct inflight_msg *m)
{
	if (retryq_pop(&c->rq, m))
		return 1;
	if (!new_ok || c->n_dev == 0)
		return 0;
	m->dev = c->first_dev + *rr;
	m->seq = oracle_next_seq(c->oracle, (size_t)m->dev);
	m->ts_ms = tu_now_ms();
	m->attempt = 0;
	m->sent_us = 0;
	*rr = *rr + 1 == c->n_dev ? 0 : *rr + 1;
	if (c->quota > 0)
		c->quota--;
	return 1;
}

enum send_result { SEND_OK, SEND_LATER };

/* Adopts n as the window when the client could not take more than that. */
static void
adopt_window(struct load_conn *c, size_t n)
{
	if (n == 0 || (int)n >= c->window)
		return;
	c->window = (int)n;
	log_info("load_window", "conn=%d inflight=%d", c->k, c->window);
}

/* Paho's synchronous client does not refuse a publish beyond its in-flight
 * limit (ours, or the broker's receive maximum if lower, which it does not
 * tell us): it sleeps 100 ms inside the call. A publish that took about
 * that long means the window is too large: shrink it to what the client
 * still had in flight (n, less the acknowledgements already queued for us),
 * so the stall happens once per connection, not once per window. Stalls of
 * a second or more, or with only a few in flight, come from a connection
 * being lost under the call: they say nothing about the window. */
static void
shrink_window(struct load_conn *c, long long call_us, size_t n)
{
	if (call_us < PUBLISH_STALL_US || call_us >= PUBLISH_STALL_MAX_US || n < WINDOW_MIN)
		return;
	adopt_window(c, n);
}

static enum send_result
send_message(struct load_conn *c, struct inflight_msg *m, long long now)
{
	static struct log_limit lim = LOG_LIMIT(5000);
	char payload[LOADMSG_PAYLOAD_MAX];
	struct inflight_msg lost;
	size_t n = inflight_count(&c->inf), queued = ackring_count(&c->ring);
	int len, token = 0, reason;
	const char *topic = c->topics + (m->dev - c->first_dev) * LOAD_TOPIC_MAX;

	len = loadmsg_encode(payload, sizeof payload, m->dev, m->seq, m->ts_ms, c->lc->metrics);
	if (mq_publish_token(c->mq, topic, payload, (size_t)len, 1, 0, &token) == 0) {
		shrink_window(c, load_mono_us() - now, n > queued ? n - queued : 0);
		if (n == 0)
			c->progress_us = now; /* the ack timeout counts from here */
		m->attempt++;
		m->sent_us = now;
		c->st.sent++;
		if (m->attempt > 1)
			c->st.retried++;
		if (inflight_put(&c->inf, token, m, &lost) == 1) {
			c->st.lost++;
			publish_failed(c, &lost);
		}
		return SEND_OK;
	}
	reason = mq_last_reason(c->mq);
	if (reason == MQ_INFLIGHT_FULL) {
		/* The client allows fewer in flight than we asked for. */
		adopt_window(c, inflight_count(&c->inf));
		wait_ack(c, WAIT_STEP_US, 1);
		return SEND_LATER;
	}
	/* Not sent at all (mostly: not connected): keep it and try again
	 * once the client has reconnected; the ack timeout ends the wait. No
	 * mq_connected here: it takes the client's lock and then Paho's, while
	 * Paho calls the acknowledgement callback holding its own lock and
	 * the callback takes the client's. */
	c->st.publish_err++;
	log_limited(&lim, LOG_WARN, "load_publish_failed", "conn=%d error=\"%s\"", c->k,
		    mq_error(c->mq));
	wait_ack(c, OFFLINE_WAIT_US, 1);
	return SEND_LATER;
}

/* At the end: whatever is still unanswered, queued or held is given up. */
static void
give_up_rest(struct load_conn *c, const struct inflight_msg *held, int have_held)
{
	struct inflight_msg m;

	while (inflight_take_any(&c->inf, &m) == 0) {
		c->st.failed++;
		c->st.unanswered++;
		c->st.given_up++;
	}
	while (retryq_pop(&c->rq, &m))
		c->st.given_up++;
	if (have_held) {
		if (held->attempt == 0)
			c->st.unsent++;
		else
			c->st.given_up++;
	}
	c->st.ack_dropped = atomic_load(&c->ack_dropped);
}

static void *
conn_main(void *arg)
{
	struct load_conn *c = arg;
	struct inflight_msg held;
	int have_held = 0, closing, new_ok, new_done;
	long long rr = 0, drain_until = -1, now, wait_us;

	for (;;) {
		now = load_mono_us();
		process_acks(c);
		if ((inflight_count(&c->inf) > 0 || have_held) &&
		    now - c->progress_us > c->ack_timeout_us) {
			log_error("load_connection_stalled",
				  "conn=%d inflight=%zu no_ack_s=%.1f last_error=\"%s\"", c->k,
				  inflight_count(&c->inf), (double)(now - c->progress_us) / 1e6,
				  mq_error(c->mq));
			c->stalled = 1;
			break;
		}
		/* closing: no new message may go out any more (stopped, or past
		 * the deadline); new_done: none is left to go out. Then only
		 * retries are sent while waiting for what is in flight. */
		closing = daemon_stop || now >= c->deadline_us;
		if (closing && have_held && held.attempt == 0) {
			c->st.unsent++;
			have_held = 0;
		}
		new_ok = !closing && c->quota != 0;
		new_done = closing || (c->quota == 0 && !(have_held && held.attempt == 0));
		if (new_done && drain_until < 0) {
			drain_until = now + (long long)(c->lc->drain_s * 1e6);
			if (daemon_stop && drain_until > now + STOP_DRAIN_US)
				drain_until = now + STOP_DRAIN_US;
		}
		if (new_done && (now >= drain_until || (inflight_count(&c->inf) == 0 &&
							retryq_len(&c->rq) == 0 && !have_held)))
			break;
		if ((int)inflight_count(&c->inf) >= c->window) {
			wait_ack(c, WAIT_STEP_US, c->window / 4 > 1 ? c->window / 4 : 1);
			continue;
		}
		if (!have_held) {
			/* The pace admits a message before it is made, so that
			 * its ts is the time it goes out. */
			wait_us = pace_take(&c->pace, now);
			if (wait_us > 0) {
				/* A pause for the pace, not for acknowledgements. */
				wait_ack(c, wait_us < WAIT_STEP_US ? wait_us : WAIT_STEP_US,
					 c->window);
				continue;
			}
			have_held = next_message(c, new_ok, &rr, &held);
			if (!have_held) {
				wait_ack(c, WAIT_STEP_US, 1);
				continue;
			}
			if (inflight_count(&c->inf) == 0)
				c->progress_us = now; /* the ack timeout counts from here */
		}
		if (send_message(c, &held, now) != SEND_LATER)
			have_held = 0;
	}
	give_up_rest(c, &held, have_held);
	return NULL;
}

int
load_conn_start(struct load_conn *c, long long start_us)
{
	double rate = c->lc->rate / c->lc->connections;
	int rc;

	/* A burst of 10 ms worth of messages (at least 2, so that a late
	 * wake-up at a low rate loses no token) absorbs scheduling jitter
	 * without letting the rate run ahead. */
	pace_init(&c->pace, rate, rate / 100 > 2 ? rate / 100 : 2, start_us);
	c->deadline_us =
		c->lc->count > 0 ? LLONG_MAX : start_us + (long long)(c->lc->seconds * 1e6);
	c->last_ack_us = start_us;
	c->progress_us = start_us;
	rc = pthread_create(&c->thread, NULL, conn_main, c);
	if (rc != 0) {
		log_error("load_thread_failed", "conn=%d error=\"%s\"", c->k, strerror(rc));
		return -1;
	}
	c->started = 1;
	return 0;
}

void
load_conn_join(struct load_conn *c, struct load_stats *st, struct latency *lat)
{
	if (!c->started)
		return;
	pthread_join(c->thread, NULL);
	c->started = 0;
	st->sent += c->st.sent;
	st->acked += c->st.acked;
	st->failed += c->st.failed;
	st->refused += c->st.refused;
	st->lost += c->st.lost;
	st->unanswered += c->st.unanswered;
	st->retried += c->st.retried;
	st->given_up += c->st.given_up;
	st->unsent += c->st.unsent;
	st->ack_late += c->st.ack_late;
	st->ack_dropped += c->st.ack_dropped;
	st->publish_err += c->st.publish_err;
	st->stalled += c->stalled;
	latency_merge(lat, &c->lat);
}
