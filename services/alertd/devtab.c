/* devtab.c — alertd's compact device table. */
#include "alertd/devtab.h"

#include <stdlib.h>
#include <string.h>

long
devtab_add(struct devtab *t, const char *id, const char *site, int type, const char *name)
{
	struct devtab_dev *d;

	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		struct devtab_dev *v = realloc(t->v, cap * sizeof *v);

		if (!v)
			return -1;
		t->v = v;
		t->cap = cap;
	}
	d = &t->v[t->n];
	memset(d, 0, sizeof *d);
	d->id = strdup(id);
	d->site = strdup(site);
	d->name = strdup(name ? name : "");
	d->type = type;
	if (!d->id || !d->site || !d->name) {
		free(d->id);
		free(d->site);
		free(d->name);
		return -1;
	}
	return (long)t->n++;
}

int
devtab_add_feed(struct devtab *t, size_t i, const char *id)
{
	struct devtab_dev *d = &t->v[i];
	char **f = realloc(d->feeds, (size_t)(d->n_feeds + 1) * sizeof *f);

	if (!f)
		return -1;
	d->feeds = f;
	if (!(f[d->n_feeds] = strdup(id)))
		return -1;
	d->n_feeds++;
	return 0;
}

int
devtab_from_reg(struct devtab *t, const struct reg *reg)
{
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < reg->n_devices; i++) {
		const struct reg_device *d = &reg->devices[i];
		long k = devtab_add(t, d->id, d->site, d->type, d->name);

		for (size_t f = 0; k >= 0 && f < d->feeds.n; f++)
			if (devtab_add_feed(t, (size_t)k, d->feeds.v[f]) < 0)
				k = -1;
		if (k < 0) {
			devtab_free(t);
			return -1;
		}
	}
	return 0;
}

void
devtab_free(struct devtab *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct devtab_dev *d = &t->v[i];

		for (int f = 0; f < d->n_feeds; f++)
			free(d->feeds[f]);
		free(d->feeds);
		free(d->id);
		free(d->site);
		free(d->name);
	}
	free(t->v);
	memset(t, 0, sizeof *t);
}
