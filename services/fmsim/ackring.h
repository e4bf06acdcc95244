/* ackring.h — a single-producer, single-consumer ring of PUBACK outcomes:
 * the MQTT library's receive thread pushes (token, reason), the publisher
 * thread that owns the bookkeeping pops. Lock-free (C11 atomics); the only
 * allocation is the ring itself, at init. Pure: no I/O, no clock. */
#ifndef FMSIM_ACKRING_H
#define FMSIM_ACKRING_H

#include <stdatomic.h>
#include <stddef.h>

struct ackring_ent {
	int token;       /* delivery token of the publish */
	int reason;      /* MQTT 5 PUBACK reason code (< 0x80: accepted) */
	long long at_us; /* when it arrived (the producer's clock reading) */
};

struct ackring {
	_Alignas(64) atomic_size_t head; /* next entry the consumer reads */
	_Alignas(64) atomic_size_t tail; /* next entry the producer writes */
	_Alignas(64) size_t mask;
	struct ackring_ent *e;
};

/* Allocates room for at least min_cap entries (a power of two; fatal on
 * out-of-memory). Free with ackring_free (a zeroed ring is a no-op). */
void
ackring_init(struct ackring *r, size_t min_cap);
void
ackring_free(struct ackring *r);

/* Producer side: 0, or -1 when the ring is full (nothing written). */
int
ackring_push(struct ackring *r, const struct ackring_ent *e);

/* Consumer side: 1 with the oldest entry in *out, 0 when the ring is empty. */
int
ackring_pop(struct ackring *r, struct ackring_ent *out);

/* Either side: how many entries wait to be popped (a snapshot). */
size_t
ackring_count(struct ackring *r);

#endif
