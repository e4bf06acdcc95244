/* mqtt_publish.c — publishing for the MQTT client: QoS 1 with a bounded
 * wait for the PUBACK (fed by Paho's published callback, not by Paho's
 * polling wait), publishes that do not wait (for the outbox's sender and
 * load generators), and acknowledgement callbacks. Never called with m->mu
 * held. */
#include "mqtt_int.h"

#include "log.h"

#include <limits.h>

void
mq_on_published(void *ctx, int token, int packet_type, MQTTProperties *props,
		enum MQTTReasonCodes reason)
{
	struct mq *m = ctx;
	struct mq_pub_slot *s;

	(void)packet_type;
	(void)props;
	pthread_mutex_lock(&m->mu);
	s = &m->pub[(unsigned)token % MQ_PUB_SLOTS];
	s->token = token;
	s->reason = (int)reason;
	s->seq = ++m->pub_seq;
	if (m->inflight > 0)
		m->inflight--;
	pthread_cond_broadcast(&m->pub_cv);
	pthread_mutex_unlock(&m->mu);
	if (m->on_ack)
		m->on_ack(m->ack_ctx, token, (int)reason);
}

/* Waits for the PUBACK of token (published after completion number before).
 * Paho's own MQTTClient_waitForCompletion polls in 100 ms steps, too slow
 * for a daemon that publishes alarms one by one. */
static int
wait_puback(struct mq *m, int token, unsigned long long before)
{
	struct mq_pub_slot *s = &m->pub[(unsigned)token % MQ_PUB_SLOTS];
	long long deadline = mq_mono_ms() + m->publish_timeout_ms, left;
	int reason = -1;

	pthread_mutex_lock(&m->mu);
	while (!(s->token == token && s->seq > before)) {
		left = deadline - mq_mono_ms();
		if (left <= 0 || !m->connected)
			break;
		mq_wait_cv(m, &m->pub_cv, left < 100 ? left : 100);
	}
	if (s->token == token && s->seq > before)
		reason = s->reason;
	pthread_mutex_unlock(&m->mu);
	if (reason < 0) {
		mq_set_error(m, m->connected ? MQTTCLIENT_FAILURE : MQTTCLIENT_DISCONNECTED,
			     "publish: no acknowledgement");
		return -1;
	}
	if (reason >= 0x80) {
		mq_set_error(m, reason, "publish refused");
		return -1;
	}
	return 0;
}

static int
publish(struct mq *m, const char *topic, const void *payload, size_t len, int qos, int retain,
	int wait, int *token_out)
{
	MQTTClient_message msg = MQTTClient_message_initializer;
	MQTTClient_deliveryToken token = 0;
	MQTTResponse r;
	unsigned long long before;
	int rc;

	if (len > INT_MAX) {
		mq_set_error(m, MQTTCLIENT_FAILURE, "publish: payload too large");
		return -1;
	}
	msg.payload = (void *)payload;
	msg.payloadlen = (int)len;
	msg.qos = qos;
	msg.retained = retain;
	/* Counted before the call: the PUBACK may be read before it returns. */
	pthread_mutex_lock(&m->mu);
	before = m->pub_seq;
	m->inflight += qos > 0;
	pthread_mutex_unlock(&m->mu);
	r = MQTTClient_publishMessage5(m->client, topic, &msg, &token);
	rc = (int)r.reasonCode;
	MQTTResponse_free(r);
	if (rc != MQTTCLIENT_SUCCESS) {
		pthread_mutex_lock(&m->mu);
		m->inflight -= qos > 0 && m->inflight > 0;
		pthread_mutex_unlock(&m->mu);
		mq_set_error(m, rc, "publish");
		return -1;
	}
	if (token_out)
		*token_out = token;
	if (!wait || qos == 0)
		return 0;
	return wait_puback(m, token, before);
}

int
mq_publish(struct mq *m, const char *topic, const void *payload, size_t len, int qos, int retain)
{
	return publish(m, topic, payload, len, qos, retain, 1, NULL);
}

int
mq_publish_now(struct mq *m, const char *topic, const void *payload, size_t len, int qos,
	       int retain)
{
	return publish(m, topic, payload, len, qos, retain, 0, NULL);
}

int
mq_publish_token(struct mq *m, const char *topic, const void *payload, size_t len, int qos,
		 int retain, int *token)
{
	return publish(m, topic, payload, len, qos, retain, 0, token);
}

void
mq_set_ack_handler(struct mq *m, mq_ack_fn fn, void *ctx)
{
	m->on_ack = fn;
	m->ack_ctx = ctx;
}
