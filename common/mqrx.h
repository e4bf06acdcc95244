/* mqrx.h — a receive-only MQTT 5 client that acknowledges a QoS 1 message
 * only after the handler has returned for it. Why it exists: Paho MQTT C
 * sends the PUBACK when it reads a message, before the handler runs, so a
 * process killed between the two loses a message the broker has forgotten
 * (README, ingestd "Known limits"). ingestd receives through this client
 * when the broker URL is tcp:// (or mqtt://); for ssl:// it keeps Paho.
 *
 * One thread owns the socket: it connects with a fixed client id and a
 * persistent session (clean start false, session expiry), subscribes,
 * reads many packets per read(2), calls the handler for each PUBLISH in
 * order and writes the PUBACKs of everything handled in one write(2). A
 * handler answering MQ_RETRY is called again for the same message 50 ms
 * later; no message after it is handled meanwhile (back-pressure: the
 * broker stops at the in-flight window, Receive Maximum, and queues the
 * rest), while control packets behind it (SUBACK, PINGRESP) are, and
 * keepalive pings go on. Subscriptions must be granted QoS 1 and the
 * session must outlive the connection (session_expiry_s > 0). On a
 * lost connection it reconnects with back-off (200 ms doubling to 10 s);
 * what was handled but not yet acknowledged is redelivered by the broker
 * (a duplicate, never a loss). Plain TCP only: no TLS. */
#ifndef FM_MQRX_H
#define FM_MQRX_H

#include "mqtt.h" /* mq_handler, struct mq_msg, enum mq_verdict */

#include <stddef.h>

struct mqrx;

struct mqrx_opts {
	const char *url;       /* tcp://host:port or mqtt://host:port */
	const char *client_id; /* fixed per daemon instance */
	const char *username;  /* may be NULL */
	const char *password;  /* may be NULL */
	int keepalive_s;       /* default 30 */
	int session_expiry_s;  /* > 0: persistent session */
	int receive_max;       /* unacknowledged QoS 1 messages the broker may send (0: 64) */
	long long connect_timeout_ms; /* default 5000 */
	const char *const *filters;   /* subscribed at QoS 1 after every connect */
	size_t n_filters;
};

/* Non-zero when url is one this client speaks (tcp:// or mqtt://). */
int
mqrx_supports(const char *url);

/* Checks and copies the options; does not connect. NULL (logged) when
 * refused. Owned: mqrx_free (NULL ok). */
struct mqrx *
mqrx_new(const struct mqrx_opts *o, mq_handler handler, void *ctx);

/* Starts the receiving thread and waits until the first connection is up
 * and every filter subscribed. Returns 0; -1 when the broker refused a
 * subscription (logged) or *stop became non-zero first. Connection failures
 * are retried with back-off meanwhile (logged, rate-limited). */
int
mqrx_start(struct mqrx *rx, volatile int *stop);

/* Non-zero while connected and subscribed. */
int
mqrx_connected(struct mqrx *rx);

/* Stops the thread after the message in hand: acknowledges what was
 * handled, sends DISCONNECT (normal: the session stays) and closes.
 * Nothing is handled after it returns. Idempotent. */
void
mqrx_stop(struct mqrx *rx);
void
mqrx_free(struct mqrx *rx);

struct mqrx_stats {
	long long connects;    /* successful CONNACKs */
	long long publishes;   /* PUBLISH packets handed to the handler (retries not counted) */
	long long redelivered; /* of which the broker marked DUP */
	long long acked;       /* PUBACKs written */
	long long retries;     /* MQ_RETRY answers */
	long long protocol_errors;
};
void
mqrx_get_stats(struct mqrx *rx, struct mqrx_stats *s);

#endif
