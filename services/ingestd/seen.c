/* seen.c — an open-addressing table device -> (last_seen written, state
 * written), doubled when half full. */
#include "seen.h"

#include "log.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct seen_slot {
	char device[65];
	long long last_ms;
	int state;
};

struct seen {
	struct seen_slot *slots;
	size_t cap, n;
	long long resolution_ms;
};

static size_t
slot_of(const struct seen_slot *slots, size_t cap, const char *device)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (const char *p = device; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	i = (size_t)h & (cap - 1);
	while (slots[i].device[0] && strcmp(slots[i].device, device) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

struct seen *
seen_new(long long resolution_ms)
{
	struct seen *s = xcalloc(1, sizeof *s);

	s->cap = 1024;
	s->slots = xcalloc(s->cap, sizeof *s->slots);
	s->resolution_ms = resolution_ms;
	return s;
}

void
seen_free(struct seen *s)
{
	if (!s)
		return;
	free(s->slots);
	free(s);
}

int
seen_due(const struct seen *s, const struct batch_dev *d)
{
	const struct seen_slot *e = &s->slots[slot_of(s->slots, s->cap, d->device)];

	if (!e->device[0] || d->state >= 0)
		return 1; /* never written, or a status message to record */
	return d->last_ms - e->last_ms >= s->resolution_ms;
}

static void
grow(struct seen *s)
{
	size_t cap = s->cap * 2;
	struct seen_slot *slots = xcalloc(cap, sizeof *slots);

	for (size_t i = 0; i < s->cap; i++)
		if (s->slots[i].device[0])
			slots[slot_of(slots, cap, s->slots[i].device)] = s->slots[i];
	free(s->slots);
	s->slots = slots;
	s->cap = cap;
}

void
seen_note(struct seen *s, const struct batch_dev *d)
{
	struct seen_slot *e;

	if (2 * (s->n + 1) > s->cap)
		grow(s);
	e = &s->slots[slot_of(s->slots, s->cap, d->device)];
	if (!e->device[0]) {
		memcpy(e->device, d->device, sizeof e->device);
		s->n++;
	}
	if (d->last_ms > e->last_ms)
		e->last_ms = d->last_ms;
	if (d->state >= 0)
		e->state = d->state;
}
