/* rule_index.c — rules grouped by asset type and by what they listen to
 * (every rule of the type, a metric, an event, presence): one array sorted so
 * that each (type, key) is a contiguous run, and a hash table from (type,
 * key) to its run. Building allocates; lookups only probe. */
#include "rule_index.h"
#include "log.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum key_kind { KEY_TYPE, KEY_METRIC, KEY_EVENT, KEY_PRESENCE };

struct key {
	int type;
	enum key_kind kind;
	const char *name; /* metric or event (owned by the rule); "" for type and presence */
};

struct rule_index_run {
	struct key key;
	size_t first, n; /* n 0: an empty slot */
};

struct entry {
	struct key key;
	size_t order; /* the rule's position in the set: runs keep file order */
	const struct rcf_rule *rule;
};

static int
key_cmp(const struct key *a, const struct key *b)
{
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = key_cmp(&x->key, &y->key);

	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* FNV-1a over the name, mixed with type and kind. */
static size_t
key_hash(const struct key *k)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)(k->type * 4 + (int)k->kind);

	for (const unsigned char *p = (const unsigned char *)k->name; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 29));
}

static int
in_use(const struct rcf_set *set, const struct rcf_rule *r)
{
	if (r->enabled)
		return 1;
	for (size_t i = 0; i < r->ov_n; i++)
		if (set->overrides[r->ov_first + i].enabled)
			return 1;
	return 0;
}

/* Adds r's keys for type t to e (NULL: only counts them). */
static size_t
add_keys(struct entry *e, const struct rcf_rule *r, int t, size_t order)
{
	struct key k[3];
	size_t n = 0;

	k[n++] = (struct key){t, KEY_TYPE, ""};
	switch (r->kind) {
	case RCF_THRESHOLD:
	case RCF_RATE:
	case RCF_NO_DATA:
		k[n++] = (struct key){t, KEY_METRIC, r->metric};
		if (r->guard[0])
			k[n++] = (struct key){t, KEY_METRIC, r->guard};
		break;
	case RCF_EVENT:
		k[n++] = (struct key){t, KEY_EVENT, r->event};
		break;
	case RCF_OFFLINE:
		k[n++] = (struct key){t, KEY_PRESENCE, ""};
		break;
	default:
		break;
	}
	for (size_t i = 0; e && i < n; i++)
		e[i] = (struct entry){k[i], order, r};
	return n;
}

static size_t
collect(const struct rcf_set *set, int n_types, struct entry *e)
{
	size_t n = 0;

	for (size_t i = 0; i < set->n_rules; i++)
		for (int t = 0; t < n_types; t++)
			if (in_use(set, &set->rules[i]) && rcf_applies_to(&set->rules[i], t))
				n += add_keys(e ? e + n : NULL, &set->rules[i], t, i);
	return n;
}

static void
insert_run(struct rule_index *ix, const struct key *k, size_t first, size_t n)
{
	size_t h = key_hash(k) & (ix->n_slots - 1);

	while (ix->slots[h].n)
		h = (h + 1) & (ix->n_slots - 1);
	ix->slots[h] = (struct rule_index_run){*k, first, n};
}

int
rule_index_build(struct rule_index *ix, const struct rcf_set *set)
{
	size_t n, runs = 0;
	struct entry *e;

	memset(ix, 0, sizeof *ix);
	while (reg_asset_types[ix->n_types])
		ix->n_types++;
	n = collect(set, ix->n_types, NULL);
	e = xcalloc(n ? n : 1, sizeof *e);
	collect(set, ix->n_types, e);
	qsort(e, n, sizeof *e, entry_cmp);
	ix->rules = xcalloc(n ? n : 1, sizeof *ix->rules);
	for (size_t i = 0; i < n; i++) {
		ix->rules[i] = e[i].rule;
		runs += i == 0 || key_cmp(&e[i].key, &e[i - 1].key) != 0;
	}
	/* at most half full: short probes */
	for (ix->n_slots = 8; ix->n_slots < 2 * runs; ix->n_slots *= 2)
		;
	ix->slots = xcalloc(ix->n_slots, sizeof *ix->slots);
	for (size_t i = 0, first = 0; i < n; i++)
		if (i + 1 == n || key_cmp(&e[i + 1].key, &e[i].key) != 0) {
			insert_run(ix, &e[i].key, first, i + 1 - first);
			first = i + 1;
		}
	ix->n = n;
	free(e);
	return 0;
}

void
rule_index_free(struct rule_index *ix)
{
	if (!ix)
		return;
	free(ix->rules);
	free(ix->slots);
	memset(ix, 0, sizeof *ix);
}

static const struct rcf_rule *const *
run(const struct rule_index *ix, int type, enum key_kind kind, const char *name, size_t *n)
{
	struct key k = {type, kind, name};
	size_t h;

	*n = 0;
	if (type < 0 || type >= ix->n_types || !name || !ix->n_slots)
		return ix->rules;
	for (h = key_hash(&k) & (ix->n_slots - 1); ix->slots[h].n;
	     h = (h + 1) & (ix->n_slots - 1)) {
		const struct rule_index_run *r = &ix->slots[h];

		if (key_cmp(&r->key, &k) == 0) {
			*n = r->n;
			return ix->rules + r->first;
		}
	}
	return ix->rules;
}

const struct rcf_rule *const *
rule_index_metric(const struct rule_index *ix, int type, const char *metric, size_t *n)
{
	return run(ix, type, KEY_METRIC, metric, n);
}

const struct rcf_rule *const *
rule_index_event(const struct rule_index *ix, int type, const char *event, size_t *n)
{
	return run(ix, type, KEY_EVENT, event, n);
}

const struct rcf_rule *const *
rule_index_presence(const struct rule_index *ix, int type, size_t *n)
{
	return run(ix, type, KEY_PRESENCE, "", n);
}

const struct rcf_rule *const *
rule_index_type(const struct rule_index *ix, int type, size_t *n)
{
	return run(ix, type, KEY_TYPE, "", n);
}
