/* engine.c — building alertd's core from the registry and the rules (one
 * slot per device and rule of its asset type, the supply graph closed
 * transitively), and feeding it: telemetry metrics through the rule index,
 * events, device status, and the passing of time. What a verdict does to an
 * alarm is engine_alarm.c's. */
#include "alertd/engine_int.h"

#include "log.h"

#include <stdlib.h>
#include <string.h>

static int
by_id_cmp(const void *a, const void *b, void *tab)
{
	const struct devtab *t = tab;

	return strcmp(t->v[*(const int *)a].id, t->v[*(const int *)b].id);
}

struct dev *
engine_dev(struct engine *e, const char *device)
{
	size_t lo = 0, hi = e->n_devs;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(device, e->devtab->v[e->by_id[mid]].id);

		if (c == 0)
			return &e->devs[e->by_id[mid]];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *
engine_device_site(const struct engine *e, const char *device)
{
	struct dev *d = engine_dev((struct engine *)e, device);

	return d ? d->d->site : NULL;
}

static int
feeds(const struct devtab_dev *u, const char *id)
{
	for (int f = 0; f < u->n_feeds; f++)
		if (strcmp(u->feeds[f], id) == 0)
			return 1;
	return 0;
}

/* Marks in seen[] every device that feeds device i, directly or not. */
static void
mark_up(const struct engine *e, int i, unsigned char *seen, int depth)
{
	const struct devtab_dev *d = e->devs[i].d;

	if (depth > (int)e->n_devs)
		return; /* the registry refuses cycles; this only bounds the walk */
	for (size_t j = 0; j < e->n_devs; j++) {
		const struct devtab_dev *u = e->devs[j].d;

		if (!seen[j] && feeds(u, d->id)) {
			seen[j] = 1;
			mark_up(e, (int)j, seen, depth + 1);
		}
	}
}

/* The supply graph, closed: up (who feeds me) and down (whom I feed). Only
 * devices on a feeds edge are walked, so a registry without feeds costs
 * nothing. */
static void
build_graph(struct engine *e)
{
	unsigned char *seen = xcalloc(e->n_devs, 1);
	int *fed = xcalloc(e->n_devs, sizeof *fed);

	for (size_t i = 0; i < e->n_devs; i++)
		for (int f = 0; f < e->devs[i].d->n_feeds; f++) {
			struct dev *t = engine_dev(e, e->devs[i].d->feeds[f]);

			if (t)
				fed[t - e->devs] = 1;
		}
	for (size_t i = 0; i < e->n_devs; i++) {
		struct dev *d = &e->devs[i];

		if (!fed[i])
			continue;
		memset(seen, 0, e->n_devs);
		mark_up(e, (int)i, seen, 0);
		for (size_t j = 0; j < e->n_devs; j++)
			if (seen[j]) {
				struct dev *u = &e->devs[j];

				d->up = realloc(d->up, (size_t)(d->n_up + 1) * sizeof *d->up);
				u->down =
					realloc(u->down, (size_t)(u->n_down + 1) * sizeof *u->down);
				if (!d->up || !u->down)
					abort();
				d->up[d->n_up++] = (int)j;
				u->down[u->n_down++] = (int)i;
			}
	}
	free(seen);
	free(fed);
}

static void
slot_init(struct slot *s, const struct rcf_rule *base, const struct rcf_rule *r, long long now_ms)
{
	struct rule_state st;

	s->base = base;
	s->r = r;
	s->last_event_ts = -1;
	rule_state_init(&st, now_ms);
	slot_state_put(s, &st);
}

struct engine *
engine_new(const struct devtab *devs, const struct reg *reg, const struct rcf_set *rules,
	   const struct who *w, const struct engine_sink *sink, long long now_ms)
{
	struct engine *e = xcalloc(1, sizeof *e);

	e->devtab = devs;
	e->reg = reg;
	e->rules = rules;
	e->who = w;
	e->sink = *sink;
	rule_index_build(&e->ix, rules);
	e->n_devs = devs->n;
	e->devs = xcalloc(e->n_devs, sizeof *e->devs);
	e->by_id = xcalloc(e->n_devs, sizeof *e->by_id);
	for (size_t i = 0; i < e->n_devs; i++) { /* one array of slots for all devices */
		size_t n;

		rule_index_type(&e->ix, devs->v[i].type, &n);
		e->n_slots += n;
	}
	e->slots = xcalloc(e->n_slots, sizeof *e->slots);
	for (size_t i = 0, used = 0; i < e->n_devs; i++) {
		struct dev *d = &e->devs[i];
		size_t n;
		const struct rcf_rule *const *rs;

		e->by_id[i] = (int)i;
		d->d = &devs->v[i];
		rs = rule_index_type(&e->ix, d->d->type, &n);
		d->slots = e->slots + used;
		d->n_slots = (int)n;
		used += n;
		for (size_t k = 0; k < n; k++)
			slot_init(&d->slots[k], rs[k], rcf_effective(rules, rs[k], d->d->id),
				  now_ms);
	}
	qsort_r(e->by_id, e->n_devs, sizeof *e->by_id, by_id_cmp, (void *)devs);
	build_graph(e);
	return e;
}

void
engine_free(struct engine *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n_devs; i++) {
		for (int k = 0; k < e->devs[i].n_slots; k++) {
			free(e->devs[i].slots[k].o);
			free(e->devs[i].slots[k].rate);
		}
		free(e->devs[i].up);
		free(e->devs[i].down);
	}
	free(e->devs);
	free(e->slots);
	free(e->by_id);
	free(e->wos);
	rule_index_free(&e->ix);
	free(e);
}

static struct slot *
slot_of(struct dev *d, const struct rcf_rule *base)
{
	for (int k = 0; k < d->n_slots; k++)
		if (d->slots[k].base == base)
			return &d->slots[k];
	return NULL;
}

/* Evaluates base's slot on d with the n inputs of one message. */
static void
feed(struct engine *e, struct dev *d, const struct rcf_rule *base, const struct rule_input *in,
     int n, long long now_ms)
{
	struct slot *s = slot_of(d, base);
	struct rule_state scratch, *st;
	struct rule_result res;
	enum rule_verdict v;

	if (!s)
		return;
	st = slot_state(s, &scratch);
	v = n == 1 ? rule_eval(s->r, st, in, now_ms, &res)
		   : rule_eval_metrics(s->r, st, in, n, now_ms, &res);
	slot_state_put(s, st);
	if (v != RULE_NONE)
		engine_verdict(e, d, s, &res, now_ms);
}

static struct dev *
input_dev(struct engine *e, const char *site, const char *device)
{
	struct dev *d = engine_dev(e, device);

	if (!d) {
		e->st.unknown_device++;
		return NULL;
	}
	if (strcmp(d->d->site, site) != 0) {
		e->st.site_mismatch++;
		return NULL;
	}
	return d;
}

/* Any message from the device: it is present. */
static void
presence(struct engine *e, struct dev *d, int online, long long now_ms)
{
	size_t n;
	const struct rcf_rule *const *rs = rule_index_presence(&e->ix, d->d->type, &n);
	struct rule_input in = {.kind = RULE_IN_STATUS, .on = online};

	for (size_t i = 0; i < n; i++)
		feed(e, d, rs[i], &in, 1, now_ms);
}

static int
has_metric(const struct engine_metric *m, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(m[i].name, name) == 0)
			return 1;
	return 0;
}

int
engine_telemetry(struct engine *e, const char *site, const char *device, long long ts_ms,
		 const struct engine_metric *m, int n, long long now_ms)
{
	struct dev *d = input_dev(e, site, device);
	struct rule_input in[ENGINE_METRICS_MAX];

	if (!d)
		return -1;
	n = n < ENGINE_METRICS_MAX ? n : ENGINE_METRICS_MAX;
	for (int i = 0; i < n; i++)
		in[i] = (struct rule_input){RULE_IN_METRIC, m[i].name, m[i].value, ts_ms, 0};
	/* A rule sees the whole message at once (its metric and its guard):
	 * found under its metric, or under its guard when the message does not
	 * carry the metric, so it is evaluated once. */
	for (int i = 0; i < n; i++) {
		size_t k;
		const struct rcf_rule *const *rs =
			rule_index_metric(&e->ix, d->d->type, m[i].name, &k);

		e->st.readings++;
		for (size_t j = 0; j < k; j++)
			if (strcmp(rs[j]->metric, m[i].name) == 0 ||
			    !has_metric(m, n, rs[j]->metric))
				feed(e, d, rs[j], in, n, now_ms);
	}
	presence(e, d, 1, now_ms);
	return 0;
}

int
engine_event(struct engine *e, const char *site, const char *device, const char *event, int active,
	     long long ts_ms, long long now_ms)
{
	struct dev *d = input_dev(e, site, device);
	size_t n;
	const struct rcf_rule *const *rs;
	struct rule_input in = {.kind = RULE_IN_EVENT, .name = event, .on = active, .ts_ms = ts_ms};

	if (!d)
		return -1;
	e->st.events++;
	rs = rule_index_event(&e->ix, d->d->type, event, &n);
	for (size_t i = 0; i < n; i++) {
		struct slot *s = slot_of(d, rs[i]);

		/* Recovery from the events table and the broker's queue may both
		 * bring an event: the older one never undoes the newer. */
		if (!s || ts_ms < s->last_event_ts) {
			e->st.stale_events += s != NULL;
			continue;
		}
		s->last_event_ts = ts_ms;
		feed(e, d, rs[i], &in, 1, now_ms);
	}
	presence(e, d, 1, now_ms);
	return 0;
}

int
engine_status(struct engine *e, const char *site, const char *device, int online, long long now_ms)
{
	struct dev *d = input_dev(e, site, device);

	if (!d)
		return -1;
	e->st.statuses++;
	presence(e, d, online, now_ms);
	return 0;
}

void
engine_tick(struct engine *e, long long now_ms)
{
	for (size_t i = 0; i < e->n_devs; i++) {
		struct dev *d = &e->devs[i];

		for (int k = 0; k < d->n_slots; k++) {
			struct slot *s = &d->slots[k];
			struct rule_state scratch, *st = slot_state(s, &scratch);
			struct rule_result res;
			enum rule_verdict v = rule_tick(s->r, st, now_ms, &res);

			slot_state_put(s, st);
			if (v != RULE_NONE)
				engine_verdict(e, d, s, &res, now_ms);
			if (s->o)
				engine_alarm_tick(e, d, s, now_ms);
		}
	}
}
