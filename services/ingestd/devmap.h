/* devmap.h — the registry as ingestd needs it: device id -> site id, in an
 * open-addressing hash table built once and then only read (a new map is
 * built and swapped in on reload). Pure: no I/O. */
#ifndef INGESTD_DEVMAP_H
#define INGESTD_DEVMAP_H

#include <stddef.h>

struct devmap;

/* A map for up to n devices. Owned: devmap_free (NULL is a no-op). */
struct devmap *
devmap_new(size_t n);
void
devmap_free(struct devmap *m);
/* Adds or replaces device -> site. Ids longer than 64 bytes are refused.
 * Returns 0, or -1 when full or refused. */
int
devmap_put(struct devmap *m, const char *device, const char *site);
/* The site of device, or NULL. The string lives as long as the map. */
const char *
devmap_site(const struct devmap *m, const char *device);
size_t
devmap_count(const struct devmap *m);
/* Calls fn for every entry (unspecified order); stops when fn returns non-zero. */
int
devmap_each(const struct devmap *m, int (*fn)(void *ctx, const char *device, const char *site),
	    void *ctx);

#endif
