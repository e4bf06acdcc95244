/* inflight.c — the token table and retry queue of inflight.h. The table is
 * indexed directly by token: the client never has two publishes in flight
 * under one packet id, so a collision means the older one was abandoned by
 * the client (its session was cleared) and is reported as lost. Pure. */
#include "inflight.h"

#include "log.h"

#include <stdlib.h>
#include <string.h>

void
inflight_init(struct inflight *f)
{
	f->slot = xcalloc(INFLIGHT_SLOTS, sizeof *f->slot);
	f->n = 0;
	f->scan = 0;
}

void
inflight_free(struct inflight *f)
{
	free(f->slot);
	f->slot = NULL;
	f->n = 0;
}

static struct inflight_slot *
slot_of(struct inflight *f, int token)
{
	return &f->slot[(unsigned)token % INFLIGHT_SLOTS];
}

int
inflight_put(struct inflight *f, int token, const struct inflight_msg *m, struct inflight_msg *lost)
{
	struct inflight_slot *s = slot_of(f, token);
	int evicted = 0;

	if (s->used) {
		*lost = s->m;
		evicted = 1;
	} else {
		f->n++;
	}
	s->token = token;
	s->used = 1;
	s->m = *m;
	return evicted;
}

int
inflight_take(struct inflight *f, int token, struct inflight_msg *out)
{
	struct inflight_slot *s = slot_of(f, token);

	if (!s->used || s->token != token)
		return -1;
	*out = s->m;
	s->used = 0;
	f->n--;
	return 0;
}

int
inflight_take_any(struct inflight *f, struct inflight_msg *out)
{
	if (f->n == 0)
		return -1;
	for (size_t i = 0; i < INFLIGHT_SLOTS; i++) {
		struct inflight_slot *s = &f->slot[(f->scan + i) % INFLIGHT_SLOTS];

		if (!s->used)
			continue;
		*out = s->m;
		s->used = 0;
		f->n--;
		f->scan = (f->scan + i + 1) % INFLIGHT_SLOTS;
		return 0;
	}
	return -1;
}

size_t
inflight_count(const struct inflight *f)
{
	return f->n;
}

void
retryq_free(struct retryq *q)
{
	free(q->m);
	memset(q, 0, sizeof *q);
}

void
retryq_push(struct retryq *q, const struct inflight_msg *m)
{
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 64;
		struct inflight_msg *nm = xcalloc(cap, sizeof *nm);

		/* Unroll the ring into the new array, oldest first. */
		for (size_t i = 0; i < q->n; i++)
			nm[i] = q->m[(q->head + i) % q->cap];
		free(q->m);
		q->m = nm;
		q->cap = cap;
		q->head = 0;
	}
	q->m[(q->head + q->n) % q->cap] = *m;
	q->n++;
}

int
retryq_pop(struct retryq *q, struct inflight_msg *out)
{
	if (q->n == 0)
		return 0;
	*out = q->m[q->head];
	q->head = (q->head + 1) % q->cap;
	q->n--;
	return 1;
}

size_t
retryq_len(const struct retryq *q)
{
	return q->n;
}
