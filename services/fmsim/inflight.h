/* inflight.h — the publishes of one connection that await an outcome:
 * a table by delivery token of those sent and not yet acknowledged, and a
 * FIFO of those to send again (a device's retry). Pure bookkeeping: no I/O,
 * no clock; allocation only at init and when the retry queue grows. Not
 * thread-safe: one publisher thread owns both. */
#ifndef FMSIM_INFLIGHT_H
#define FMSIM_INFLIGHT_H

#include <stddef.h>

/* MQTT packet ids, which Paho uses as delivery tokens, are 1..65535. */
#define INFLIGHT_SLOTS 65536

/* One telemetry message of one device; a retry sends the same seq and ts
 * (and so the same payload), as a device that retries would. */
struct inflight_msg {
	long long dev; /* device index */
	long long seq;
	long long ts_ms;   /* the payload's ts, UTC milliseconds */
	long long sent_us; /* monotonic time of the latest attempt */
	int attempt;       /* 1 for the first publish */
};

struct inflight_slot {
	int token;
	int used;
	struct inflight_msg m;
};

struct inflight {
	struct inflight_slot *slot; /* INFLIGHT_SLOTS entries */
	size_t n;                   /* slots in use */
	size_t scan;                /* where inflight_take_any looks next */
};

/* Allocates the table (fatal on out-of-memory); inflight_free releases it
 * (a zeroed struct is a no-op). */
void
inflight_init(struct inflight *f);
void
inflight_free(struct inflight *f);

/* Records m as awaiting the acknowledgement of token. When the slot held an
 * older publish under the same token, the client has reused the packet id,
 * so that publish will never be acknowledged: it is moved to *lost and 1 is
 * returned. Otherwise 0. */
int
inflight_put(struct inflight *f, int token, const struct inflight_msg *m,
	     struct inflight_msg *lost);

/* Removes the publish awaiting token into *out: 0, or -1 when none awaits it. */
int
inflight_take(struct inflight *f, int token, struct inflight_msg *out);

/* Removes some publish into *out (to give up on the rest at the end): 0, or
 * -1 when the table is empty. */
int
inflight_take_any(struct inflight *f, struct inflight_msg *out);

size_t
inflight_count(const struct inflight *f);

/* A FIFO of messages to publish again. */
struct retryq {
	struct inflight_msg *m;
	size_t cap, head, n;
};

/* A zeroed struct retryq is an empty queue; retryq_free releases it. */
void
retryq_free(struct retryq *q);
/* Appends a copy of m (grows as needed; fatal on out-of-memory). */
void
retryq_push(struct retryq *q, const struct inflight_msg *m);
/* Removes the oldest message into *out: 1, or 0 when the queue is empty. */
int
retryq_pop(struct retryq *q, struct inflight_msg *out);
size_t
retryq_len(const struct retryq *q);

#endif
