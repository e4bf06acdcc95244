/* mqtt.c — the MQTT 5 client behind mqtt.h, on Paho's synchronous client.
 * Paho's MQTTClient has no automatic reconnect, so a keeper thread owns the
 * connection after the first connect: it reconnects with back-off and
 * restores every remembered subscription. Paho calls our callbacks on its own
 * threads; none of them makes a blocking Paho call (that can deadlock). */
#include "mqtt_int.h"

#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

long long
mq_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
mq_set_error(struct mq *m, int reason, const char *what)
{
	pthread_mutex_lock(&m->mu);
	m->last_reason = reason;
	snprintf(m->err, sizeof m->err, "%s: %s (%d)", what,
		 reason > 0 ? MQTTReasonCode_toString((enum MQTTReasonCodes)reason)
			    : MQTTClient_strerror(reason),
		 reason);
	pthread_mutex_unlock(&m->mu);
}

/* Waits on cv for at most ms; returns early when signalled. */
void
mq_wait_cv(struct mq *m, pthread_cond_t *cv, long long ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_cond_timedwait(cv, &m->mu, &ts);
}

static void
wait_locked(struct mq *m, long long ms)
{
	mq_wait_cv(m, &m->cv, ms);
}

static void
on_connection_lost(void *ctx, char *cause)
{
	struct mq *m = ctx;
	static struct log_limit lim = LOG_LIMIT(5000);

	log_limited(&lim, LOG_WARN, "mqtt_connection_lost", "client_id=%s cause=%s", m->client_id,
		    cause ? cause : "unknown");
	pthread_mutex_lock(&m->mu);
	m->connected = 0;
	pthread_cond_broadcast(&m->cv);
	pthread_cond_broadcast(&m->pub_cv);
	pthread_mutex_unlock(&m->mu);
}

static int
on_message(void *ctx, char *topic, int topic_len, MQTTClient_message *msg)
{
	struct mq *m = ctx;
	struct mq_msg mm;
	enum mq_verdict v = MQ_DROP;
	static struct log_limit lim = LOG_LIMIT(10000);

	/* A topic with an embedded NUL cannot be one of ours: drop it. */
	if (topic_len == 0 || (size_t)topic_len == strlen(topic)) {
		mm.topic = topic;
		mm.payload = msg->payload;
		mm.len = msg->payloadlen > 0 ? (size_t)msg->payloadlen : 0;
		mm.qos = msg->qos;
		mm.retained = msg->retained;
		mm.dup = msg->dup;
		v = m->handler ? m->handler(m->ctx, &mm) : MQ_DROP;
	} else {
		log_limited(&lim, LOG_WARN, "mqtt_bad_topic", "client_id=%s", m->client_id);
	}
	if (v == MQ_RETRY) {
		/* Paho keeps the message and offers it again; do not spin. */
		struct timespec ts = {0, 10 * 1000000};
		nanosleep(&ts, NULL);
		return 0;
	}
	MQTTClient_freeMessage(&msg);
	MQTTClient_free(topic);
	return 1;
}

/* Paho's own OpenSSL initialisation loads every error string and algorithm
 * table whether or not a connection ever uses TLS: 1.8 MB of resident
 * memory in each daemon (alertd: 15.9 -> 14.1 MB). OpenSSL 1.1 and later
 * initialise themselves on first use, so ssl:// URLs work without it. */
static pthread_once_t paho_once = PTHREAD_ONCE_INIT;

static void
paho_init(void)
{
	MQTTClient_init_options io = MQTTClient_init_options_initializer;

	io.do_openssl_init = 0;
	MQTTClient_global_init(&io);
}

struct mq *
mq_new(const struct mq_opts *o, mq_handler handler, void *ctx)
{
	MQTTClient_createOptions co = MQTTClient_createOptions_initializer;
	struct mq *m;
	int rc;

	if (!o->url || !o->client_id || !o->client_id[0]) {
		log_error("mqtt_bad_options", "reason=%s", "url and client_id are required");
		return NULL;
	}
	pthread_once(&paho_once, paho_init);
	m = xcalloc(1, sizeof *m);
	m->handler = handler;
	m->ctx = ctx;
	m->url = xstrdup(o->url);
	m->client_id = xstrdup(o->client_id);
	m->username = dup_or_null(o->username && o->username[0] ? o->username : NULL);
	m->password = dup_or_null(o->password && o->password[0] ? o->password : NULL);
	m->ca_file = dup_or_null(o->ca_file && o->ca_file[0] ? o->ca_file : NULL);
	m->will_topic = dup_or_null(o->will_topic);
	m->will_payload = dup_or_null(o->will_payload ? o->will_payload : "");
	m->will_retain = o->will_retain;
	m->will_qos = o->will_qos;
	m->keepalive_s = o->keepalive_s > 0 ? o->keepalive_s : 30;
	m->session_expiry_s = o->session_expiry_s;
	m->clean_start = o->clean_start;
	m->max_inflight = o->max_inflight > 0 ? o->max_inflight : 64;
	m->connect_timeout_ms = o->connect_timeout_ms > 0 ? o->connect_timeout_ms : 5000;
	m->publish_timeout_ms = o->publish_timeout_ms > 0 ? o->publish_timeout_ms : 5000;
	pthread_mutex_init(&m->mu, NULL);
	pthread_mutex_init(&m->sub_mu, NULL);
	pthread_cond_init(&m->cv, NULL);
	pthread_cond_init(&m->pub_cv, NULL);
	mq_outbox_init(m);
	co.MQTTVersion = MQTTVERSION_5;
	rc = MQTTClient_createWithOptions(&m->client, m->url, m->client_id,
					  o->persist_dir ? MQTTCLIENT_PERSISTENCE_DEFAULT
							 : MQTTCLIENT_PERSISTENCE_NONE,
					  (void *)o->persist_dir, &co);
	if (rc != MQTTCLIENT_SUCCESS) {
		log_error("mqtt_create_failed", "url=%s error=\"%s\"", m->url,
			  MQTTClient_strerror(rc));
		m->client = NULL;
		mq_free(m);
		return NULL;
	}
	MQTTClient_setCallbacks(m->client, m, on_connection_lost, on_message, NULL);
	MQTTClient_setPublished(m->client, m, mq_on_published);
	return m;
}

/* One connection attempt. Called on the caller's thread or the keeper's. */
static int
connect_once(struct mq *m, int clean_start)
{
	MQTTClient_connectOptions co = MQTTClient_connectOptions_initializer5;
	MQTTClient_willOptions will = MQTTClient_willOptions_initializer;
	MQTTClient_SSLOptions ssl = MQTTClient_SSLOptions_initializer;
	MQTTProperties props = MQTTProperties_initializer;
	MQTTProperty p;
	MQTTResponse r;
	int rc;

	co.keepAliveInterval = m->keepalive_s;
	co.cleanstart = clean_start;
	co.username = m->username;
	co.password = m->password;
	co.connectTimeout = (int)((m->connect_timeout_ms + 999) / 1000);
	co.maxInflightMessages = m->max_inflight;
	if (m->will_topic) {
		will.topicName = m->will_topic;
		will.message = m->will_payload;
		will.retained = m->will_retain;
		will.qos = m->will_qos;
		co.will = &will;
	}
	if (strncmp(m->url, "ssl://", 6) == 0 || strncmp(m->url, "mqtts://", 8) == 0) {
		ssl.trustStore = m->ca_file;
		ssl.enableServerCertAuth = 1;
		ssl.verify = 1;
		co.ssl = &ssl;
	}
	if (m->session_expiry_s > 0) {
		p.identifier = MQTTPROPERTY_CODE_SESSION_EXPIRY_INTERVAL;
		p.value.integer4 = (unsigned)m->session_expiry_s;
		MQTTProperties_add(&props, &p);
	}
	r = MQTTClient_connect5(m->client, &co, &props, NULL);
	rc = (int)r.reasonCode;
	MQTTResponse_free(r);
	MQTTProperties_free(&props);
	if (rc != MQTTCLIENT_SUCCESS) {
		mq_set_error(m, rc, "connect");
		return -1;
	}
	mq_set_nodelay(m->url);
	pthread_mutex_lock(&m->mu);
	m->connected = 1;
	m->connected_at_ms = mq_mono_ms();
	m->need_resub = 1;
	m->inflight = 0;
	pthread_cond_broadcast(&m->cv);
	pthread_cond_broadcast(&m->out.cv);
	pthread_mutex_unlock(&m->mu);
	log_info("mqtt_connected", "url=%s client_id=%s", m->url, m->client_id);
	return 0;
}

static long long
next_backoff(long long backoff)
{
	return backoff * 2 > MQ_BACKOFF_MAX_MS ? MQ_BACKOFF_MAX_MS : backoff * 2;
}

/* With m->mu held: waits *backoff (or until stopping), then doubles it. */
static void
back_off_locked(struct mq *m, long long *backoff)
{
	long long until = mq_mono_ms() + *backoff;

	while (!m->stopping && !m->connected && mq_mono_ms() < until)
		wait_locked(m, until - mq_mono_ms());
	*backoff = next_backoff(*backoff);
}

/* The keeper: reconnects after a loss and restores subscriptions. */
static void *
keeper_main(void *arg)
{
	struct mq *m = arg;
	long long backoff = MQ_BACKOFF_MIN_MS;

	pthread_mutex_lock(&m->mu);
	while (!m->stopping) {
		if (m->keep && !m->connected) {
			/* A connection lost within MQ_STABLE_MS of being made
			 * (another process with this client id took the session,
			 * say) is not retried at once: the back-off goes on
			 * growing, so two such processes do not take the session
			 * from each other every 200 ms. */
			long long held =
				m->connected_at_ms ? mq_mono_ms() - m->connected_at_ms : -1;

			m->connected_at_ms = 0;
			if (held >= MQ_STABLE_MS)
				backoff = MQ_BACKOFF_MIN_MS;
			else if (held >= 0) {
				back_off_locked(m, &backoff);
				continue;
			}
			pthread_mutex_unlock(&m->mu);
			if (connect_once(m, 0) < 0) {
				static struct log_limit lim = LOG_LIMIT(10000);

				log_limited(&lim, LOG_WARN, "mqtt_reconnect_failed",
					    "url=%s error=\"%s\" retry_ms=%lld", m->url,
					    mq_error(m), backoff);
				pthread_mutex_lock(&m->mu);
				back_off_locked(m, &backoff);
				continue;
			}
			pthread_mutex_lock(&m->mu);
		}
		if (m->connected && m->need_resub) {
			pthread_mutex_unlock(&m->mu);
			mq_resubscribe(m);
			pthread_mutex_lock(&m->mu);
			if (m->need_resub && !m->stopping)
				wait_locked(m, 1000);
			continue;
		}
		wait_locked(m, 1000);
	}
	pthread_mutex_unlock(&m->mu);
	return NULL;
}

static void
start_keeper(struct mq *m)
{
	pthread_mutex_lock(&m->mu);
	m->keep = 1;
	if (!m->keeper_running) {
		if (pthread_create(&m->keeper, NULL, keeper_main, m) != 0)
			fatal("cannot start the MQTT keeper thread: %s", strerror(errno));
		m->keeper_running = 1;
	}
	pthread_cond_broadcast(&m->cv);
	pthread_mutex_unlock(&m->mu);
}

int
mq_connect(struct mq *m)
{
	int first;

	pthread_mutex_lock(&m->mu);
	first = !m->keep;
	pthread_mutex_unlock(&m->mu);
	if (connect_once(m, first ? m->clean_start : 0) < 0) {
		log_warn("mqtt_connect_failed", "url=%s client_id=%s error=\"%s\"", m->url,
			 m->client_id, mq_error(m));
		return -1;
	}
	start_keeper(m);
	return 0;
}

int
mq_connect_retry(struct mq *m, long long total_ms, volatile int *stop)
{
	long long start = mq_mono_ms(), backoff = MQ_BACKOFF_MIN_MS;
	struct timespec ts;

	for (;;) {
		if (mq_connect(m) == 0)
			return 0;
		if ((stop && *stop) || (total_ms >= 0 && mq_mono_ms() - start + backoff > total_ms))
			return -1;
		ts.tv_sec = backoff / 1000;
		ts.tv_nsec = (backoff % 1000) * 1000000;
		nanosleep(&ts, NULL);
		backoff = next_backoff(backoff);
	}
}

int
mq_connected(struct mq *m)
{
	int c;

	/* Never call into Paho with m->mu held: Paho calls mq_on_published with
	 * its own global mutex held, and that takes m->mu (lock-order inversion). */
	pthread_mutex_lock(&m->mu);
	c = m->connected;
	pthread_mutex_unlock(&m->mu);
	return c && MQTTClient_isConnected(m->client);
}

static void
stop_keeper(struct mq *m)
{
	int running;

	pthread_mutex_lock(&m->mu);
	m->stopping = 1;
	m->keep = 0;
	running = m->keeper_running;
	m->keeper_running = 0;
	pthread_cond_broadcast(&m->cv);
	pthread_mutex_unlock(&m->mu);
	if (running)
		pthread_join(m->keeper, NULL);
}

void
mq_disconnect(struct mq *m)
{
	mq_outbox_drain(m); /* what was queued goes out first, if it can */
	stop_keeper(m);
	if (MQTTClient_isConnected(m->client))
		MQTTClient_disconnect5(m->client, 1000, MQTTREASONCODE_SUCCESS, NULL);
	pthread_mutex_lock(&m->mu);
	m->connected = 0;
	pthread_cond_broadcast(&m->pub_cv);
	pthread_mutex_unlock(&m->mu);
	mq_outbox_stop(m);
}

int
mq_last_reason(const struct mq *m)
{
	return m->last_reason;
}

const char *
mq_error(const struct mq *m)
{
	return m->err[0] ? m->err : "no error";
}

void
mq_free(struct mq *m)
{
	if (!m)
		return;
	if (m->client) {
		mq_disconnect(m);
		MQTTClient_destroy(&m->client);
	}
	pthread_cond_destroy(&m->cv);
	pthread_cond_destroy(&m->pub_cv);
	mq_outbox_free(m);
	pthread_mutex_destroy(&m->mu);
	pthread_mutex_destroy(&m->sub_mu);
	free(m->url);
	free(m->client_id);
	free(m->username);
	free(m->password);
	free(m->ca_file);
	free(m->will_topic);
	free(m->will_payload);
	mq_subs_free(m);
	free(m);
}
