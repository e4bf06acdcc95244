/* engine.c — building alertd's core from the registry and the rules (one
 * slot per device and rule of its asset type, the supply graph closed
 * transitively), and feeding it: telemetry metrics through the rule index,
 * events, device status, and the passing of time. What a verdict does to an
 * alarm is engine_alarm.c's. */
#include "alertd/engine_int.h"

#include "log.h"

#include <stdlib.h>
#include <string.h>

struct dev *
engine_dev(struct engine *e, const char *device)
{
	const struct reg_device *rd = reg_device_find(e->reg, device);

	return rd ? &e->devs[rd - e->reg->devices] : NULL;
}

/* Marks in seen[] every device that feeds device i, directly or not. */
static void
mark_up(const struct engine *e, int i, unsigned char *seen, int depth)
{
	const struct reg_device *d = e->devs[i].d;

	if (depth > (int)e->n_devs)
		return; /* the registry refuses cycles; this only bounds the walk */
	for (size_t j = 0; j < e->n_devs; j++) {
		const struct reg_device *u = e->devs[j].d;

		if (!seen[j] && cfg_strlist_find(&u->feeds, d->id) >= 0) {
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
		for (size_t f = 0; f < e->devs[i].d->feeds.n; f++) {
			struct dev *t = engine_dev(e, e->devs[i].d->feeds.v[f]);

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

struct engine *
engine_new(const struct reg *reg, const struct rcf_set *rules, const struct who *w,
	   const struct engine_sink *sink, long long now_ms)
{
	struct engine *e = xcalloc(1, sizeof *e);

	e->reg = reg;
	e->rules = rules;
	e->who = w;
	e->sink = *sink;
	rule_index_build(&e->ix, rules);
	e->n_devs = reg->n_devices;
	e->devs = xcalloc(e->n_devs, sizeof *e->devs);
	for (size_t i = 0; i < e->n_devs; i++) {
		struct dev *d = &e->devs[i];
		size_t n;
		const struct rcf_rule *const *rs;

		d->d = &reg->devices[i];
		rs = rule_index_type(&e->ix, d->d->type, &n);
		d->slots = xcalloc(n, sizeof *d->slots);
		d->n_slots = (int)n;
		for (size_t k = 0; k < n; k++) {
			d->slots[k].base = rs[k];
			d->slots[k].r = rcf_effective(rules, rs[k], d->d->id);
			rule_state_init(&d->slots[k].st, now_ms);
			d->slots[k].last_event_ts = -1;
		}
	}
	build_graph(e);
	return e;
}

void
engine_free(struct engine *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n_devs; i++) {
		for (int k = 0; k < e->devs[i].n_slots; k++)
			free(e->devs[i].slots[k].o);
		free(e->devs[i].slots);
		free(e->devs[i].up);
		free(e->devs[i].down);
	}
	free(e->devs);
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

static void
feed(struct engine *e, struct dev *d, const struct rcf_rule *base, const struct rule_input *in,
     long long now_ms)
{
	struct slot *s = slot_of(d, base);
	struct rule_result res;

	if (s && rule_eval(s->r, &s->st, in, now_ms, &res) != RULE_NONE)
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
		feed(e, d, rs[i], &in, now_ms);
}

int
engine_telemetry(struct engine *e, const char *site, const char *device, long long ts_ms,
		 const struct engine_metric *m, int n, long long now_ms)
{
	struct dev *d = input_dev(e, site, device);

	if (!d)
		return -1;
	for (int i = 0; i < n; i++) {
		size_t k;
		const struct rcf_rule *const *rs =
			rule_index_metric(&e->ix, d->d->type, m[i].name, &k);
		struct rule_input in = {RULE_IN_METRIC, m[i].name, m[i].value, ts_ms, 0};

		e->st.readings++;
		for (size_t j = 0; j < k; j++)
			feed(e, d, rs[j], &in, now_ms);
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
		feed(e, d, rs[i], &in, now_ms);
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
			struct rule_result res;

			if (rule_tick(s->r, &s->st, now_ms, &res) != RULE_NONE)
				engine_verdict(e, d, s, &res, now_ms);
			if (s->o)
				engine_alarm_tick(e, d, s, now_ms);
		}
	}
}
