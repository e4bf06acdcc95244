/* mqtt_outbox.c — mq_publish_async: a bounded FIFO and one sender thread.
 *
 * Why a thread: Paho's MQTTClient_publishMessage5 blocks while max_inflight
 * QoS 1 publishes await their PUBACK, and PUBACKs are read by Paho's
 * receive thread — the thread that runs the message handler. A daemon that
 * published from its handler (an alarm per reading in a burst) therefore
 * stopped reading, the broker dropped it at the keep-alive, and the burst
 * was lost (found by tests/chaos/c_fire_storm.sh). Queued here, a handler
 * never waits on the broker; the sender does, and keeps order.
 *
 * While disconnected the queue holds (up to MQ_OUTBOX_MAX_BYTES) and the
 * sender resumes after the reconnect; a publish that the broker answers by
 * dropping the connection is tried MQ_OUTBOX_TRIES times, then counted as
 * failed. Everything refused or dropped is counted (mq_outbox_stats). */
#include "mqtt_int.h"

#include "log.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define MQ_OUTBOX_TRIES 3

struct mq_out_item {
	struct mq_out_item *next;
	char *topic;
	void *payload;
	size_t len, size;
	int qos, retain, tries;
	long long queued_ms; /* monotonic, for wait_max_ms */
};

static void *
sender_main(void *arg);

void
mq_outbox_init(struct mq *m)
{
	pthread_cond_init(&m->out.cv, NULL);
}

/* Takes the head (m->mu held). */
static struct mq_out_item *
pop(struct mq_outbox *ob)
{
	struct mq_out_item *it = ob->head;

	ob->head = it->next;
	if (!ob->head)
		ob->tail = NULL;
	ob->n--;
	ob->bytes -= it->size;
	return it;
}

int
mq_publish_async(struct mq *m, const char *topic, const void *payload, size_t len, int qos,
		 int retain)
{
	size_t tl = strlen(topic) + 1, size = sizeof(struct mq_out_item) + tl + len;
	struct mq_outbox *ob = &m->out;
	struct mq_out_item *it;

	if (len > INT_MAX) {
		mq_set_error(m, MQTTCLIENT_FAILURE, "publish: payload too large");
		return -1;
	}
	it = xmalloc(size);
	it->next = NULL;
	it->topic = (char *)(it + 1);
	it->payload = it->topic + tl;
	memcpy(it->topic, topic, tl);
	if (len)
		memcpy(it->payload, payload, len);
	it->len = len;
	it->size = size;
	it->qos = qos;
	it->retain = retain;
	it->queued_ms = mq_mono_ms();
	it->tries = 0;
	pthread_mutex_lock(&m->mu);
	if (ob->stopping || ob->bytes + size > MQ_OUTBOX_MAX_BYTES) {
		ob->dropped++;
		pthread_mutex_unlock(&m->mu);
		free(it);
		mq_set_error(m, MQTTCLIENT_FAILURE, "publish: outbox full");
		return -1;
	}
	if (!ob->running) {
		if (pthread_create(&ob->thread, NULL, sender_main, m) != 0)
			fatal("cannot start the MQTT sender thread: %s", strerror(errno));
		ob->running = 1;
	}
	if (ob->tail)
		ob->tail->next = it;
	else
		ob->head = it;
	ob->tail = it;
	ob->n++;
	ob->bytes += size;
	ob->queued++;
	pthread_cond_broadcast(&ob->cv);
	pthread_mutex_unlock(&m->mu);
	return 0;
}

/* After a failed publish (m->mu held): back to the head while the failure
 * is the connection's, else counted and dropped. */
static void
failed(struct mq *m, struct mq_out_item *it, int connection_lost)
{
	struct mq_outbox *ob = &m->out;
	static struct log_limit lim = LOG_LIMIT(10000);

	if (connection_lost && ++it->tries < MQ_OUTBOX_TRIES) {
		it->next = ob->head;
		ob->head = it;
		if (!ob->tail)
			ob->tail = it;
		ob->n++;
		ob->bytes += it->size;
		return;
	}
	ob->failed++;
	log_limited(&lim, LOG_WARN, "mqtt_publish_failed",
		    "client_id=%s topic=%s tries=%d error=\"%s\"", m->client_id, it->topic,
		    it->tries, m->err);
	free(it);
}

static void *
sender_main(void *arg)
{
	struct mq *m = arg;
	struct mq_outbox *ob = &m->out;
	int waited = 0;

	pthread_mutex_lock(&m->mu);
	while (!ob->stopping) {
		if (!ob->head || !m->connected) {
			mq_wait_cv(m, &ob->cv, 1000);
			continue;
		}
		/* A full window: wait for a PUBACK here rather than in Paho, which
		 * sleeps 100 ms at a time; once, then let Paho decide (the count
		 * is ours and may be stale after a reconnect). */
		if (m->inflight >= m->max_inflight && !waited) {
			mq_wait_cv(m, &m->pub_cv, 100);
			waited = 1;
			continue;
		}
		waited = 0;
		struct mq_out_item *it = pop(ob);
		ob->busy = 1;
		pthread_mutex_unlock(&m->mu);
		int rc = mq_publish_now(m, it->topic, it->payload, it->len, it->qos, it->retain);
		int lost = rc < 0 && !MQTTClient_isConnected(m->client);
		pthread_mutex_lock(&m->mu);
		ob->busy = 0;
		if (rc == 0) {
			long long waited_ms = mq_mono_ms() - it->queued_ms;

			ob->sent++;
			if (waited_ms > ob->wait_max_ms)
				ob->wait_max_ms = waited_ms;
			free(it);
		} else {
			failed(m, it, lost);
		}
		pthread_cond_broadcast(&ob->cv);
	}
	pthread_mutex_unlock(&m->mu);
	return NULL;
}

void
mq_outbox_drain(struct mq *m)
{
	struct mq_outbox *ob = &m->out;
	long long deadline = mq_mono_ms() + m->publish_timeout_ms;

	pthread_mutex_lock(&m->mu);
	while ((ob->head || ob->busy) && m->connected && mq_mono_ms() < deadline)
		mq_wait_cv(m, &ob->cv, 100);
	pthread_mutex_unlock(&m->mu);
}

void
mq_outbox_stop(struct mq *m)
{
	struct mq_outbox *ob = &m->out;
	size_t left;
	int running;

	pthread_mutex_lock(&m->mu);
	ob->stopping = 1;
	running = ob->running;
	ob->running = 0;
	pthread_cond_broadcast(&ob->cv);
	pthread_cond_broadcast(&m->pub_cv);
	pthread_mutex_unlock(&m->mu);
	if (running)
		pthread_join(ob->thread, NULL);
	pthread_mutex_lock(&m->mu);
	left = ob->n;
	while (ob->head)
		free(pop(ob));
	ob->dropped += (long long)left;
	pthread_mutex_unlock(&m->mu);
	ob->stopping = 0; /* a later publish starts a new sender */
	if (left)
		log_warn("mqtt_outbox_dropped", "client_id=%s messages=%zu reason=stopping",
			 m->client_id, left);
}

void
mq_outbox_free(struct mq *m)
{
	pthread_cond_destroy(&m->out.cv);
}

void
mq_outbox_stats(struct mq *m, struct mq_outbox_stats *s)
{
	struct mq_outbox *ob = &m->out;

	pthread_mutex_lock(&m->mu);
	s->queued = ob->queued;
	s->sent = ob->sent;
	s->dropped = ob->dropped;
	s->failed = ob->failed;
	s->pending = (long long)ob->n;
	s->bytes = (long long)ob->bytes;
	s->wait_max_ms = ob->wait_max_ms;
	pthread_mutex_unlock(&m->mu);
}
