/* mqrx_int.h — what the receiving client's files share (mqrx.c: options,
 * thread, connect and back-off; mqrx_session.c: one connection's loop).
 * Private to common/mqrx*.c. */
#ifndef FM_MQRX_INT_H
#define FM_MQRX_INT_H

#include "mqrx.h"

#include <pthread.h>
#include <stdint.h>

#define MQRX_IN_INITIAL (64u << 10)
#define MQRX_PACKET_MAX (4u << 20)             /* announced as Maximum Packet Size */
#define MQRX_IN_MAX (2 * MQRX_PACKET_MAX + 16) /* read ahead under back-pressure */
#define MQRX_OUT_CAP (16u << 10)               /* PUBACKs written in one go */
#define MQRX_RETRY_MS 50

enum mqrx_state { MQRX_STARTING, MQRX_SUBSCRIBED, MQRX_REFUSED };

struct mqrx {
	char *url, *host, *port, *client_id, *username, *password;
	char **filters;
	size_t n_filters;
	int keepalive_s, session_expiry_s, receive_max;
	long long connect_timeout_ms;
	mq_handler handler;
	void *ctx;

	pthread_t thread;
	int running;
	pthread_mutex_t mu;
	pthread_cond_t cv; /* state changed */
	enum mqrx_state state;
	int started;   /* subscribed once: later refusals are retried */
	int stop;      /* __atomic */
	int connected; /* __atomic */

	/* the thread's own */
	int fd;
	uint8_t *in;
	size_t in_cap, in_len, in_off;
	size_t ctl_done; /* control packets before this offset were handled
			  * ahead of a PUBLISH waiting under back-pressure */
	size_t scan_at;  /* where that look-ahead goes on (a packet boundary) */
	uint8_t out[MQRX_OUT_CAP];
	size_t out_len;
	char *topic; /* NUL-terminated copy for the handler */
	uint16_t sub_id;
	int ka_s; /* the keepalive in force (the server may lower it) */
	long long last_send_ms, ping_sent_ms;
	int waiting;           /* the PUBLISH at in_off was answered MQ_RETRY */
	int broker_reason;     /* of the broker's DISCONNECT on this connection */
	long long retry_at_ms; /* when to offer it again */

	struct mqrx_stats st; /* __atomic fields */
};

/* mqrx_session.c: sends SUBSCRIBE and runs the connection until it fails,
 * the broker refuses a subscription (sets MQRX_REFUSED) or stop; on stop it
 * acknowledges what was handled and sends DISCONNECT. Returns with rx->fd
 * still open (the caller closes it). */
void
mqrx_session(struct mqrx *rx);

/* Writes all of buf (the socket is non-blocking); -1 on error or when the
 * socket accepts nothing for timeout_ms. */
int
mqrx_write_all(struct mqrx *rx, const void *buf, size_t len, long long timeout_ms);
/* Reads what the socket has into rx->in, first moving the unhandled part to
 * the front and growing the buffer to need bytes (counted from the first
 * unhandled byte; at most MQRX_IN_MAX). 1 read, 0 nothing yet or no room,
 * -1 closed or error. */
int
mqrx_read_some(struct mqrx *rx, size_t need);

void
mqrx_set_state(struct mqrx *rx, enum mqrx_state s);
void
mqrx_count(long long *counter, long long n);
int
mqrx_stopping(struct mqrx *rx);

#endif
