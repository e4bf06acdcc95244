/* mqrx_session.c — one connection of the receiving client (mqrx.h):
 * SUBSCRIBE, then read, hand every PUBLISH to the handler in order, write
 * the PUBACKs of what was handled, keep the connection alive. A PUBACK is
 * queued only after the handler returned for its message: that is the
 * point of this client. */
#include "mqrx_int.h"

#include "log.h"
#include "mqrx_proto.h"
#include "timeutil.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define WRITE_TIMEOUT_MS 10000

enum step { STEP_OK, STEP_RETRY, STEP_LOST };

static int
flush_acks(struct mqrx *rx)
{
	if (rx->out_len == 0)
		return 0;
	if (mqrx_write_all(rx, rx->out, rx->out_len, WRITE_TIMEOUT_MS) < 0)
		return -1;
	mqrx_count(&rx->st.acked, (long long)(rx->out_len / MQP_PUBACK_LEN));
	rx->out_len = 0;
	return 0;
}

static int
send_subscribe(struct mqrx *rx)
{
	size_t cap = 16;
	uint8_t *buf;
	int n, rc;

	for (size_t i = 0; i < rx->n_filters; i++)
		cap += strlen(rx->filters[i]) + 3;
	buf = xmalloc(cap);
	rx->sub_id = (uint16_t)(rx->sub_id % 65535 + 1);
	n = mqp_subscribe(buf, cap, rx->sub_id, (const char *const *)rx->filters, rx->n_filters, 1);
	rc = n < 0 ? -1 : mqrx_write_all(rx, buf, (size_t)n, WRITE_TIMEOUT_MS);
	free(buf);
	return rc;
}

static int
on_suback(struct mqrx *rx, const struct mqp_packet *p)
{
	int refused = 0;

	if (p->id != rx->sub_id)
		return 0; /* an earlier connection's: not ours to judge */
	/* Anything but QoS 1 granted is a refusal: at QoS 0 nothing would be
	 * acknowledged, so nothing redelivered after a crash. */
	for (size_t i = 0; i < p->n_codes; i++) {
		if (p->codes[i] == 0x01)
			continue;
		log_error("mqtt_subscribe_failed", "client_id=%s filter=%s reason=%s",
			  rx->client_id, i < rx->n_filters ? rx->filters[i] : "?",
			  p->codes[i] == 0x00 ? "granted_qos_0" : mqp_reason_name(p->codes[i]));
		refused = 1;
	}
	if (refused || p->n_codes != rx->n_filters) {
		mqrx_set_state(rx, MQRX_REFUSED);
		return -1;
	}
	mqrx_set_state(rx, MQRX_SUBSCRIBED);
	return 0;
}

/* Hands one PUBLISH to the handler and, once it returned, queues its PUBACK. */
static enum step
on_publish(struct mqrx *rx, const struct mqp_packet *p)
{
	static struct log_limit lim = LOG_LIMIT(10000);
	struct mq_msg m = {rx->topic, p->payload, p->payload_len, p->qos, p->retain, p->dup};
	enum mq_verdict v = MQ_DROP;

	if (p->qos > 1)
		return STEP_LOST; /* subscribed at QoS 1: the broker never sends 2 */
	if (!rx->waiting) {       /* counted once, not at every retry */
		mqrx_count(&rx->st.publishes, 1);
		mqrx_count(&rx->st.redelivered, p->dup);
	}
	memcpy(rx->topic, p->topic, p->topic_len);
	rx->topic[p->topic_len] = '\0';
	/* A topic with an embedded NUL (or none: no alias was allowed) cannot
	 * be one of ours: acknowledged and dropped, counted by the log. */
	if (p->topic_len > 0 && strlen(rx->topic) == p->topic_len)
		v = rx->handler(rx->ctx, &m);
	else
		log_limited(&lim, LOG_WARN, "mqtt_bad_topic", "client_id=%s", rx->client_id);
	if (v == MQ_RETRY) {
		mqrx_count(&rx->st.retries, 1);
		return STEP_RETRY;
	}
	if (p->qos == 1) {
		if (rx->out_len + MQP_PUBACK_LEN > sizeof rx->out && flush_acks(rx) < 0)
			return STEP_LOST;
		mqp_puback(rx->out + rx->out_len, p->id);
		rx->out_len += MQP_PUBACK_LEN;
	}
	return STEP_OK;
}

/* A packet other than PUBLISH. */
static enum step
on_control(struct mqrx *rx, const struct mqp_packet *p)
{
	switch (p->type) {
	case MQP_SUBACK:
		return on_suback(rx, p) < 0 ? STEP_LOST : STEP_OK;
	case MQP_PINGRESP:
		rx->ping_sent_ms = 0;
		return STEP_OK;
	case MQP_DISCONNECT:
		rx->broker_reason = p->reason;
		if (p->reason == 0x8e) /* another client took the session */
			log_error("mqtt_session_taken_over",
				  "client_id=%s reason=\"another client connected with this client "
				  "id\"",
				  rx->client_id);
		else
			log_warn("mqtt_disconnected_by_broker", "client_id=%s reason=%s",
				 rx->client_id, mqp_reason_name(p->reason));
		return STEP_LOST;
	default:
		mqrx_count(&rx->st.protocol_errors, 1);
		log_error("mqtt_protocol_error", "client_id=%s reason=unexpected_packet type=%d",
			  rx->client_id, (int)p->type);
		return STEP_LOST;
	}
}

static enum step
malformed(struct mqrx *rx)
{
	mqrx_count(&rx->st.protocol_errors, 1);
	log_error("mqtt_protocol_error", "client_id=%s reason=malformed_packet", rx->client_id);
	return STEP_LOST;
}

/* PINGREQ when half the keepalive passed without sending; a lost connection
 * when the PINGRESP is a whole keepalive late — judged only while the
 * socket is being read (reading): otherwise its answer may wait unread. */
static int
keep_alive(struct mqrx *rx, int reading)
{
	long long now = tu_mono_ms(), ka = rx->ka_s * 1000LL;
	uint8_t ping[MQP_PINGREQ_LEN];

	if (ka <= 0)
		return 0;
	if (!reading)
		rx->ping_sent_ms = 0;
	else if (rx->ping_sent_ms && now - rx->ping_sent_ms > ka) {
		errno = ETIMEDOUT;
		return -1;
	}
	if (now - rx->last_send_ms < ka / 2)
		return 0;
	mqp_pingreq(ping);
	if (mqrx_write_all(rx, ping, sizeof ping, WRITE_TIMEOUT_MS) < 0)
		return -1;
	if (!rx->ping_sent_ms)
		rx->ping_sent_ms = now;
	return 0;
}

/* While the PUBLISH at in_off waits (back-pressure), the control packets
 * behind it are handled now and marked done: a SUBACK queued behind
 * messages the spool cannot take yet must still complete the start, and a
 * PINGRESP must not look late. *need: the bytes from in_off through the
 * next incomplete packet. */
static enum step
scan_ahead(struct mqrx *rx, size_t *need)
{
	struct mqp_packet p;
	size_t n, at = rx->in_off;
	long got = mqp_parse(rx->in + at, rx->in_len - at, &p, &n); /* the waiting one */

	if (got <= 0)
		return malformed(rx); /* cannot be: it was parsed before */
	at += (size_t)got;
	if (rx->scan_at > at)
		at = rx->scan_at; /* scanned on an earlier pass */
	for (;;) {
		got = mqp_parse(rx->in + at, rx->in_len - at, &p, &n);
		if (got == MQP_NEED) {
			rx->scan_at = at;
			*need = at - rx->in_off + (n ? n : 5);
			return STEP_RETRY;
		}
		if (got == MQP_BAD)
			return malformed(rx);
		if (p.type != MQP_PUBLISH && at >= rx->ctl_done) {
			if (on_control(rx, &p) == STEP_LOST)
				return STEP_LOST;
			rx->ctl_done = at + (size_t)got;
		}
		at += (size_t)got;
	}
}

/* Handles the complete packets in rx->in, in order; *need is the size of
 * the incomplete one after them (0: unknown yet). */
static enum step
handle_packets(struct mqrx *rx, size_t *need)
{
	for (unsigned k = 1;; k++) {
		struct mqp_packet p;
		long got = mqp_parse(rx->in + rx->in_off, rx->in_len - rx->in_off, &p, need);
		enum step s = STEP_OK;

		if (got == MQP_NEED)
			/* larger than the Maximum Packet Size we announced */
			return *need > MQRX_PACKET_MAX ? malformed(rx) : STEP_OK;
		if (got == MQP_BAD)
			return malformed(rx);
		if (p.type == MQP_PUBLISH)
			s = on_publish(rx, &p);
		else if (rx->in_off >= rx->ctl_done)
			s = on_control(rx, &p);
		rx->waiting = s == STEP_RETRY;
		if (s == STEP_RETRY)
			return scan_ahead(rx, need);
		if (s != STEP_OK)
			return s;
		rx->in_off += (size_t)got;
		/* a long run of packets (a full buffer, fsync always) must not
		 * hold back the acknowledgements, the pings or a stop */
		if (k % 256 == 0) {
			if (flush_acks(rx) < 0 || keep_alive(rx, 0) < 0)
				return STEP_LOST;
			if (mqrx_stopping(rx))
				return STEP_OK;
		}
	}
}

/* The next step: the packets in order, or — while a PUBLISH waits for its
 * next try — only the control packets behind it. */
static enum step
step(struct mqrx *rx, size_t *need, long long now)
{
	enum step s;

	if (rx->waiting && now < rx->retry_at_ms)
		return scan_ahead(rx, need);
	s = handle_packets(rx, need);
	if (s == STEP_RETRY)
		rx->retry_at_ms = now + MQRX_RETRY_MS;
	return s;
}

static void
goodbye(struct mqrx *rx)
{
	uint8_t d[MQP_DISCONNECT_LEN];

	mqp_disconnect(d);
	if (flush_acks(rx) == 0 && mqrx_write_all(rx, d, sizeof d, 1000) == 0) {
		/* Half-close and read until the broker closes (at most 1 s):
		 * closing with unread data would send a reset, which may drop
		 * the last PUBACKs before the broker reads them. */
		long long until = tu_mono_ms() + 1000;
		struct pollfd pf = {rx->fd, POLLIN, 0};
		char sink[4096];

		shutdown(rx->fd, SHUT_WR);
		while (tu_mono_ms() < until && poll(&pf, 1, 100) >= 0)
			if ((pf.revents & POLLIN) && recv(rx->fd, sink, sizeof sink, 0) <= 0)
				break;
	}
	log_info("mqtt_disconnected", "client_id=%s", rx->client_id);
}

void
mqrx_session(struct mqrx *rx)
{
	const char *why = "";

	rx->ping_sent_ms = 0;
	rx->waiting = 0;
	rx->broker_reason = 0;
	if (send_subscribe(rx) < 0) {
		why = strerror(errno);
		goto lost;
	}
	for (;;) {
		size_t need = 0, held;
		long long now = tu_mono_ms();
		struct pollfd pf = {rx->fd, POLLIN, 0};
		enum step s;
		int n;

		if (mqrx_stopping(rx)) {
			goodbye(rx);
			return;
		}
		s = step(rx, &need, now);
		if (s == STEP_LOST) {
			flush_acks(rx); /* what was handled: fewer redeliveries */
			why = "protocol";
			goto lost;
		}
		/* Read while there is room or the buffer may grow: under
		 * back-pressure, up to MQRX_IN_MAX (QoS 1: the broker stops
		 * at the in-flight window before that). */
		held = rx->in_len - rx->in_off;
		if (held >= rx->in_cap && !(need > rx->in_cap && need <= MQRX_IN_MAX))
			pf.events = 0;
		if (flush_acks(rx) < 0 || keep_alive(rx, pf.events != 0) < 0) {
			why = strerror(errno);
			goto lost;
		}
		n = poll(&pf, 1, s == STEP_RETRY ? (int)(rx->retry_at_ms - now) : 100);
		if (n > 0 && (pf.revents & (POLLERR | POLLNVAL | POLLHUP)) &&
		    !(pf.revents & POLLIN)) {
			why = "connection closed";
			goto lost;
		}
		if (n > 0 && (pf.revents & POLLIN) && mqrx_read_some(rx, need) < 0) {
			why = strerror(errno);
			goto lost;
		}
	}
lost:
	log_warn("mqtt_connection_lost", "url=%s client_id=%s error=\"%s\"", rx->url, rx->client_id,
		 why);
}
