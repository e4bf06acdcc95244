/* mqtt.h — MQTT 5 client: the only user of Paho. A fixed client id, a
 * persistent session (clean start false, session expiry), an optional last
 * will, automatic reconnect with back-off, subscriptions restored after every
 * reconnect, and QoS 1 publishes with a bounded wait. Services never see a
 * Paho type. Messages arrive on Paho's receive thread through the handler. */
#ifndef FM_MQTT_H
#define FM_MQTT_H

#include <stddef.h>

struct mq;

/* What a handler answers. MQ_OK acknowledges the message (for QoS 1 the
 * PUBACK goes out when the handler returns); MQ_RETRY leaves it
 * unacknowledged and the library calls the handler again later (back-pressure);
 * MQ_DROP acknowledges and discards (the handler counted and logged why). */
enum mq_verdict { MQ_OK, MQ_RETRY, MQ_DROP };

struct mq_msg {
	const char *topic;   /* NUL-terminated */
	const void *payload; /* not NUL-terminated */
	size_t len;
	int qos;
	int retained;
	int dup;
};

typedef enum mq_verdict (*mq_handler)(void *ctx, const struct mq_msg *m);

struct mq_opts {
	const char *url;              /* tcp://host:port or ssl://host:port */
	const char *client_id;        /* fixed per daemon instance */
	const char *username;         /* may be NULL */
	const char *password;         /* may be NULL */
	const char *ca_file;          /* for ssl:// (NULL: system store) */
	int keepalive_s;              /* default 30 */
	int session_expiry_s;         /* 0: clean session each time; >0: persistent */
	int clean_start;              /* 1 to discard a previous session at first connect */
	int max_inflight;             /* outgoing QoS 1 in flight (default 64) */
	long long connect_timeout_ms; /* default 5000 */
	long long publish_timeout_ms; /* default 5000 */
	/* Paho's own file persistence (NULL: none): it keeps outgoing QoS 1/2
	 * state across restarts. It does not protect received messages: Paho
	 * 1.3.11 acknowledges a QoS 1 PUBLISH before the handler runs and, with
	 * MQTT 5, writes no queue file for it (README, ingestd "Known limits"). */
	const char *persist_dir;
	const char *will_topic; /* NULL: no will */
	const char *will_payload;
	int will_retain;
	int will_qos;
};

/* Creates a client; does not connect. handler may be NULL for publish-only
 * clients. Returns NULL (logged) on bad options. Owned: mq_free (NULL ok). */
struct mq *
mq_new(const struct mq_opts *o, mq_handler handler, void *ctx);
void
mq_free(struct mq *m);

/* Remembers a subscription (restored after every reconnect) and subscribes
 * now if connected. filter may be a shared subscription ($share/group/...).
 * Returns 0, or -1 when the broker refused it. */
int
mq_subscribe(struct mq *m, const char *filter, int qos);
/* Forgets a subscription and unsubscribes now if connected (an unknown
 * filter is unsubscribed too: a persistent session may hold one from an
 * earlier run). Returns 0, or -1 when the broker refused. */
int
mq_unsubscribe(struct mq *m, const char *filter);

/* Connects once. Returns 0, or -1 (the reason is logged and in mq_error). */
int
mq_connect(struct mq *m);
/* Connects, retrying with back-off (200 ms doubling to 10 s) until connected,
 * *stop becomes non-zero, or total_ms elapses (total_ms < 0: forever). */
int
mq_connect_retry(struct mq *m, long long total_ms, volatile int *stop);
/* Non-zero while connected. After a loss the library reconnects by itself. */
int
mq_connected(struct mq *m);
/* Disconnects cleanly (the will is not published) and stops reconnecting. */
void
mq_disconnect(struct mq *m);

/* Publishes and, for QoS 1, waits up to publish_timeout_ms for the PUBACK.
 * Returns 0 when delivered to the broker (QoS 1: acknowledged), -1 otherwise
 * (not connected, refused by the broker — e.g. not authorised — or timed out).
 * Must not be called from the handler with qos 1 (use mq_publish_async). */
int
mq_publish(struct mq *m, const char *topic, const void *payload, size_t len, int qos, int retain);
/* Queues a publish (copied) for the client's sender thread, in order; safe
 * from the handler, never waits for the broker. While disconnected the
 * queue holds and is sent after the reconnect. Returns 0 when queued, -1
 * when the queue is full (8 MiB) or the client is stopping (counted). */
int
mq_publish_async(struct mq *m, const char *topic, const void *payload, size_t len, int qos,
		 int retain);
struct mq_outbox_stats {
	long long queued, sent;
	long long dropped; /* refused by a full queue, or left at stop */
	long long failed;  /* refused by Paho, or the connection dropped each try */
	long long pending, bytes;
	long long wait_max_ms; /* longest a publish waited from queued to sent */
};
void
mq_outbox_stats(struct mq *m, struct mq_outbox_stats *s);

/* For load generators and oracles: called on Paho's thread for every QoS 1
 * acknowledgement with the token mq_publish_token returned and the PUBACK
 * reason code (< 0x80: accepted by the broker). Set before connecting. */
typedef void (*mq_ack_fn)(void *ctx, int token, int reason);
void
mq_set_ack_handler(struct mq *m, mq_ack_fn fn, void *ctx);
/* Publishes now without waiting for the PUBACK and gives the delivery
 * token; not from the handler (Paho blocks while the window is full).
 * Returns 0, or -1 with mq_last_reason() == MQ_INFLIGHT_FULL when
 * max_inflight publishes await their acknowledgement (wait for some, then
 * try again), or another reason. */
#define MQ_INFLIGHT_FULL (-4)
int
mq_publish_token(struct mq *m, const char *topic, const void *payload, size_t len, int qos,
		 int retain, int *token);

/* The last MQTT reason code (MQTT 5) and a text for it. */
int
mq_last_reason(const struct mq *m);
const char *
mq_error(const struct mq *m);

#endif
