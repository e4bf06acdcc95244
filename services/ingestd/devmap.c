/* devmap.c — a fixed-capacity open-addressing hash table of device -> site,
 * sized at twice the device count so lookups stay short. Read concurrently
 * without locks once built; never resized. */
#include "devmap.h"

#include "log.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ID_MAX 64

struct slot {
	char device[ID_MAX + 1];
	char site[ID_MAX + 1];
};

struct devmap {
	struct slot *slots;
	size_t cap, count, limit;
};

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

struct devmap *
devmap_new(size_t n)
{
	struct devmap *m = xcalloc(1, sizeof *m);

	m->limit = n ? n : 1;
	m->cap = 16;
	while (m->cap < 2 * m->limit)
		m->cap *= 2;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	return m;
}

void
devmap_free(struct devmap *m)
{
	if (!m)
		return;
	free(m->slots);
	free(m);
}

static struct slot *
find(const struct devmap *m, const char *device)
{
	size_t i = (size_t)hash(device) & (m->cap - 1);

	while (m->slots[i].device[0] && strcmp(m->slots[i].device, device) != 0)
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

int
devmap_put(struct devmap *m, const char *device, const char *site)
{
	struct slot *s;

	if (!device[0] || strlen(device) > ID_MAX || strlen(site) > ID_MAX)
		return -1;
	s = find(m, device);
	if (!s->device[0]) {
		if (m->count == m->limit)
			return -1;
		m->count++;
		strcpy(s->device, device);
	}
	strcpy(s->site, site);
	return 0;
}

const char *
devmap_site(const struct devmap *m, const char *device)
{
	const struct slot *s;

	if (!m || strlen(device) > ID_MAX)
		return NULL;
	s = find(m, device);
	return s->device[0] ? s->site : NULL;
}

size_t
devmap_count(const struct devmap *m)
{
	return m ? m->count : 0;
}

int
devmap_each(const struct devmap *m, int (*fn)(void *ctx, const char *device, const char *site),
	    void *ctx)
{
	for (size_t i = 0; m && i < m->cap; i++)
		if (m->slots[i].device[0] && fn(ctx, m->slots[i].device, m->slots[i].site))
			return 1;
	return 0;
}
