/* mqtt_subs.c — the client's subscriptions: remembered so that the keeper
 * restores them after every reconnect (a persistent session usually still
 * has them, an expired one does not), made and dropped at once when
 * connected. Any number: schedd subscribes per metered device. */
#include "mqtt_int.h"

#include "log.h"

#include <stdlib.h>
#include <string.h>

static int
subscribe_now(struct mq *m, const char *filter, int qos)
{
	MQTTSubscribe_options so = MQTTSubscribe_options_initializer;
	MQTTResponse r;
	int rc;

	pthread_mutex_lock(&m->sub_mu);
	r = MQTTClient_subscribe5(m->client, filter, qos, &so, NULL);
	pthread_mutex_unlock(&m->sub_mu);
	rc = (int)r.reasonCode;
	MQTTResponse_free(r);
	/* A v5 SUBACK carries the granted QoS (0..2) or a failure code >= 0x80. */
	if (rc < 0 || rc >= 0x80) {
		mq_set_error(m, rc, "subscribe");
		log_error("mqtt_subscribe_failed", "filter=%s reason=%d", filter, rc);
		return -1;
	}
	return 0;
}

/* Index of filter in the list, or -1. m->mu held. */
static long
find(const struct mq *m, const char *filter)
{
	for (size_t i = 0; i < m->nsubs; i++)
		if (strcmp(m->subs[i].filter, filter) == 0)
			return (long)i;
	return -1;
}

int
mq_subscribe(struct mq *m, const char *filter, int qos)
{
	int connected;

	if (strlen(filter) > 65535) {
		log_error("mqtt_subscribe_failed", "filter=%.64s... reason=too_long", filter);
		return -1;
	}
	pthread_mutex_lock(&m->mu);
	if (find(m, filter) < 0) {
		m->subs = xgrow(m->subs, &m->cap_subs, m->nsubs, sizeof *m->subs, 8);
		m->subs[m->nsubs].filter = xstrdup(filter);
		m->subs[m->nsubs].qos = qos;
		m->nsubs++;
	}
	connected = m->connected;
	pthread_mutex_unlock(&m->mu);
	return connected ? subscribe_now(m, filter, qos) : 0;
}

int
mq_unsubscribe(struct mq *m, const char *filter)
{
	MQTTResponse r;
	long i;
	int connected, rc;

	pthread_mutex_lock(&m->mu);
	i = find(m, filter);
	if (i >= 0) {
		free(m->subs[i].filter);
		m->subs[i] = m->subs[m->nsubs - 1];
		m->nsubs--;
	}
	connected = m->connected;
	pthread_mutex_unlock(&m->mu);
	if (!connected)
		return 0;
	pthread_mutex_lock(&m->sub_mu);
	r = MQTTClient_unsubscribe5(m->client, filter, NULL);
	pthread_mutex_unlock(&m->sub_mu);
	rc = (int)r.reasonCode;
	MQTTResponse_free(r);
	/* 0x11: no subscription existed, which is what was wanted */
	if (rc < 0 || (rc >= 0x80 && rc != 0x11)) {
		mq_set_error(m, rc, "unsubscribe");
		log_error("mqtt_unsubscribe_failed", "filter=%s reason=%d", filter, rc);
		return -1;
	}
	return 0;
}

void
mq_resubscribe(struct mq *m)
{
	struct mq_sub *subs;
	size_t n;
	int failed = 0;

	pthread_mutex_lock(&m->mu);
	m->need_resub = 0;
	n = m->nsubs;
	subs = xcalloc(n ? n : 1, sizeof *subs);
	for (size_t i = 0; i < n; i++) {
		subs[i].filter = xstrdup(m->subs[i].filter);
		subs[i].qos = m->subs[i].qos;
	}
	pthread_mutex_unlock(&m->mu);
	for (size_t i = 0; i < n; i++) {
		if (subscribe_now(m, subs[i].filter, subs[i].qos) < 0)
			failed = 1;
		free(subs[i].filter);
	}
	free(subs);
	if (failed) {
		pthread_mutex_lock(&m->mu);
		m->need_resub = 1;
		pthread_mutex_unlock(&m->mu);
	}
}

void
mq_subs_free(struct mq *m)
{
	for (size_t i = 0; i < m->nsubs; i++)
		free(m->subs[i].filter);
	free(m->subs);
	m->subs = NULL;
	m->nsubs = m->cap_subs = 0;
}
