/* mqtt_int.h — what the files of the MQTT client share: struct mq and its
 * small helpers. Private to common/mqtt*.c (the only users of Paho). */
#ifndef FM_MQTT_INT_H
#define FM_MQTT_INT_H

#include "mqtt.h"

#include <MQTTClient.h>
#include <pthread.h>

#define MQ_PUB_SLOTS 1024
#define MQ_BACKOFF_MIN_MS 200
#define MQ_BACKOFF_MAX_MS 10000
#define MQ_STABLE_MS 30000             /* a connection held this long resets the back-off */
#define MQ_OUTBOX_MAX_BYTES (8u << 20) /* queued asynchronous publishes */

struct mq_sub {
	char *filter;
	int qos;
};

/* The PUBACK reason of a recent QoS 1 publish, by delivery token; seq tells
 * a fresh completion from one left by an earlier use of the same token. */
struct mq_pub_slot {
	int token;
	int reason;
	unsigned long long seq;
};

/* mq_publish_async's queue and its sender thread (mqtt_outbox.c). */
struct mq_out_item;
struct mq_outbox {
	struct mq_out_item *head, *tail;
	size_t n, bytes;
	pthread_t thread;
	pthread_cond_t cv; /* queued, sent, connected or stopping */
	int running, stopping, busy;
	long long queued, sent, dropped, failed;
	long long wait_max_ms; /* longest from queued to handed to the broker */
};

struct mq {
	MQTTClient client;
	mq_handler handler;
	void *ctx;
	char *url, *client_id, *username, *password, *ca_file;
	char *will_topic, *will_payload;
	int will_retain, will_qos;
	int keepalive_s, session_expiry_s, clean_start, max_inflight;
	long long connect_timeout_ms, publish_timeout_ms;

	pthread_mutex_t mu;
	pthread_cond_t cv;     /* keeper wake-ups */
	pthread_cond_t pub_cv; /* a PUBACK arrived or the connection dropped */
	unsigned long long pub_seq;
	int inflight; /* QoS 1 publishes sent and not yet acknowledged (since connect) */
	struct mq_outbox out;
	pthread_t keeper;
	int keeper_running;
	int connected;             /* as far as callbacks have told us */
	long long connected_at_ms; /* of the last connect (0: consumed by the keeper) */
	int keep;                  /* the keeper should hold the connection up */
	int stopping;
	int need_resub;
	struct mq_sub *subs; /* what to restore after a reconnect (mqtt_subs.c) */
	/* One SUBSCRIBE or UNSUBSCRIBE at a time: Paho's synchronous client
	 * drops the connection when two threads wait for their acks at once
	 * (the keeper restoring subscriptions, a daemon changing one). */
	pthread_mutex_t sub_mu;
	size_t nsubs, cap_subs;
	struct mq_pub_slot pub[MQ_PUB_SLOTS];
	int last_reason;
	char err[256];
	mq_ack_fn on_ack;
	void *ack_ctx;
};

/* Monotonic milliseconds. */
long long
mq_mono_ms(void);
/* Records the last reason and an error text (thread-safe). */
void
mq_set_error(struct mq *m, int reason, const char *what);
/* Waits on cv (m->mu held) for at most ms; returns early when signalled. */
void
mq_wait_cv(struct mq *m, pthread_cond_t *cv, long long ms);
/* Paho's callback for QoS 1 acknowledgements (mqtt_publish.c). */
void
mq_on_published(void *ctx, int token, int packet_type, MQTTProperties *props,
		enum MQTTReasonCodes reason);

/* Publishes now, without waiting for the PUBACK (mqtt_publish.c). */
int
mq_publish_now(struct mq *m, const char *topic, const void *payload, size_t len, int qos,
	       int retain);
/* mqtt_outbox.c: set up with the client; drain (wait, bounded by
 * publish_timeout_ms, while connected, for the queue to empty), stop (the
 * sender joined, what is left counted as dropped), free. */
void
mq_outbox_init(struct mq *m);
void
mq_outbox_drain(struct mq *m);
void
mq_outbox_stop(struct mq *m);
void
mq_outbox_free(struct mq *m);

/* mqtt_nodelay.c: TCP_NODELAY on this process's sockets to the url's port
 * (after each connect). */
void
mq_set_nodelay(const char *url);

/* mqtt_subs.c: subscribes again to everything remembered (the keeper, after
 * a reconnect; sets need_resub again if some failed), and frees the list. */
void
mq_resubscribe(struct mq *m);
void
mq_subs_free(struct mq *m);

#endif
