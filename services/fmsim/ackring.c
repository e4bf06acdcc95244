/* ackring.c — the ring of ackring.h. head and tail only grow (size_t wraps
 * long after any run ends); the producer publishes an entry with a release
 * store of tail and the consumer frees it with a release store of head, so
 * each side sees the other's writes to the entries. Pure. */
#include "ackring.h"

#include "log.h"

#include <stdlib.h>

void
ackring_init(struct ackring *r, size_t min_cap)
{
	size_t cap = 2;

	while (cap < min_cap)
		cap <<= 1;
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	r->mask = cap - 1;
	r->e = xcalloc(cap, sizeof *r->e);
}

void
ackring_free(struct ackring *r)
{
	free(r->e);
	r->e = NULL;
}

int
ackring_push(struct ackring *r, const struct ackring_ent *e)
{
	size_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	size_t head = atomic_load_explicit(&r->head, memory_order_acquire);

	if (tail - head > r->mask)
		return -1;
	r->e[tail & r->mask] = *e;
	atomic_store_explicit(&r->tail, tail + 1, memory_order_release);
	return 0;
}

int
ackring_pop(struct ackring *r, struct ackring_ent *out)
{
	size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	size_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);

	if (head == tail)
		return 0;
	*out = r->e[head & r->mask];
	atomic_store_explicit(&r->head, head + 1, memory_order_release);
	return 1;
}

size_t
ackring_count(struct ackring *r)
{
	size_t head = atomic_load_explicit(&r->head, memory_order_acquire);

	return atomic_load_explicit(&r->tail, memory_order_acquire) - head;
}
