/* community_dev.c — the simulated devices of `fmsim community`: built from
 * the registry (model, topics, the devices each one supplies, staggered
 * publish times), stepped on simulated time and published. Timestamps are
 * real wall-clock time (ingestd refuses future ones); only the simulated time
 * of day and the dynamics run --speed times faster. */
#include "community.h"

#include "log.h"
#include "msg.h"
#include "mqtt.h"
#include "sim_fault.h"
#include "timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a of id, mixed with the seed: each device gets its own stream. */
static uint64_t
hash_id(long long seed, const char *id)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)seed;

	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h;
}

int
comm_dev_find(const struct community *c, const char *id)
{
	for (int i = 0; i < c->n_devs; i++)
		if (strcmp(c->devs[i].reg->id, id) == 0)
			return i;
	return -1;
}

/* A pump's place among the pumps of its room, in devices.yaml order: the
 * first leads, the second joins at the peaks, the others stand by. */
static int
pump_rank(const struct community *c, int i)
{
	int rank = 0;

	for (int j = 0; j < i; j++)
		rank += strcmp(c->devs[j].type, c->devs[i].type) == 0 &&
			strcmp(c->devs[j].reg->parent, c->devs[i].reg->parent) == 0;
	return rank;
}

/* params.stops, else the building's floors, else the model's default. */
static int
elevator_stops(const struct community *c, const struct reg_device *d)
{
	const struct cfg_node *n = d->params ? cfg_get(d->params, "stops") : NULL;
	const struct reg_building *b = reg_building_find(&c->reg, d->building);

	if (n && cfg_str(n) && atoi(cfg_str(n)) >= 2)
		return atoi(cfg_str(n));
	return b && b->floors >= 2 ? b->floors : 0;
}

static void
add_dep(struct comm_dev *d, int j)
{
	for (int k = 0; k < d->n_deps; k++)
		if (d->deps[k] == j)
			return;
	d->deps = realloc(d->deps, (size_t)(d->n_deps + 1) * sizeof *d->deps);
	if (!d->deps)
		fatal("out of memory");
	d->deps[d->n_deps++] = j;
}

/* Everything root supplies through feeds, transitively (the registry
 * refuses cycles; depth bounds the walk anyway). */
static void
add_fed(struct community *c, int root, int i, int depth)
{
	const struct cfg_strlist *f = &c->devs[i].reg->feeds;

	if (depth > c->n_devs)
		return;
	for (size_t k = 0; k < f->n; k++) {
		int j = comm_dev_find(c, f->v[k]);

		if (j >= 0 && j != root) {
			add_dep(&c->devs[root], j);
			add_fed(c, root, j, depth + 1);
		}
	}
}

int
comm_devs_build(struct community *c)
{
	double sim_t = comm_sim_time(c, c->t0_ms);
	long long base = tu_now_ms() * 1000; /* seq grows across restarts */

	c->devs = xcalloc(c->reg.n_devices ? c->reg.n_devices : 1, sizeof *c->devs);
	for (size_t k = 0; k < c->reg.n_devices; k++)
		if (strcmp(c->reg.devices[k].site, c->site->id) == 0 &&
		    strcmp(reg_asset_types[c->reg.devices[k].type], REG_TYPE_INGESTD) != 0) {
			c->devs[c->n_devs].reg = &c->reg.devices[k];
			c->devs[c->n_devs++].type = reg_asset_types[c->reg.devices[k].type];
		}
	if (c->n_devs == 0) {
		fprintf(stderr, "fmsim community: site %s has no devices\n", c->site->id);
		return -1;
	}
	for (int i = 0; i < c->n_devs; i++) {
		struct comm_dev *d = &c->devs[i];
		const char *cycle = strcmp(d->type, "sump_pump") == 0 && d->reg->parent[0]
					    ? d->reg->parent
					    : d->reg->id;
		struct sim_dev_info info = {pump_rank(c, i), elevator_stops(c, d->reg),
					    hash_id(c->o.seed, cycle)};
		uint64_t h = hash_id(c->o.seed, d->reg->id);
		int kind = sim_model_kind(d->type);

		for (int t = 0; t < 3; t++)
			if (topic_build_dev(d->topic[t], sizeof d->topic[t], c->site->id,
					    d->reg->id,
					    (enum topic_kind)(TOPIC_TELEMETRY + t)) < 0) {
				fprintf(stderr, "fmsim community: no topic for %s\n", d->reg->id);
				return -1;
			}
		sim_model_init(&d->model, kind < 0 ? SIM_K_HEARTBEAT : (enum sim_kind)kind, &info,
			       h, sim_t);
		d->interval_ms = c->o.interval_ms * (900 + (long long)(h % 201)) / 1000;
		d->next_ms = c->t0_ms + (long long)((h >> 16) % (uint64_t)d->interval_ms);
		d->last_ms = c->t0_ms;
		d->last_sim_s = sim_t;
		d->seq = base;
		add_fed(c, i, i, 0);
		for (int j = 0; j < c->n_devs; j++)
			if (strcmp(c->devs[j].reg->parent, d->reg->id) == 0)
				add_dep(d, j);
	}
	return 0;
}

void
comm_devs_free(struct community *c)
{
	for (int i = 0; i < c->n_devs; i++)
		free(c->devs[i].deps);
	free(c->devs);
	c->devs = NULL;
	c->n_devs = 0;
}

double
comm_sim_time(const struct community *c, long long now_ms)
{
	return c->sim_t0_s + (double)(now_ms - c->t0_ms) / 1000.0 * c->o.speed;
}

unsigned
comm_cond(const struct community *c, int i)
{
	unsigned cond = 0;
	struct sim_effect e;

	for (int k = 0; k < c->n_active; k++) {
		const struct comm_active *a = &c->active[k];

		if (sim_fault_effect(a->fault, c->devs[a->dev].type, &e) < 0)
			continue;
		if (a->dev == i)
			cond |= e.cond;
		else if (e.dep_cond)
			for (int j = 0; j < c->devs[a->dev].n_deps; j++)
				if (c->devs[a->dev].deps[j] == i)
					cond |= e.dep_cond;
	}
	return cond;
}

static void
publish(struct community *c, const char *topic, const char *payload, int len, int retain)
{
	static struct log_limit lim = LOG_LIMIT(10000);

	if (len < 0) {
		c->st.publish_failed++;
		log_limited(&lim, LOG_ERROR, "encode_failed", "topic=%s", topic);
		return;
	}
	if (!c->mq || !mq_connected(c->mq)) { /* tests run without a broker */
		c->st.not_connected++;
		return;
	}
	if (mq_publish(c->mq, topic, payload, (size_t)len, 1, retain) == 0) {
		c->st.published++;
	} else {
		c->st.publish_failed++;
		log_limited(&lim, LOG_WARN, "publish_failed", "topic=%s reason=%s", topic,
			    mq_error(c->mq));
	}
}

void
comm_dev_step(struct community *c, int i, long long now_ms, struct sim_out *out)
{
	struct comm_dev *d = &c->devs[i];
	double sim_t = comm_sim_time(c, now_ms);

	sim_model_step(&d->model, comm_cond(c, i), sim_t, sim_t - d->last_sim_s,
		       (double)(now_ms - d->last_ms) / 1000.0, out);
	d->last_sim_s = sim_t;
	d->last_ms = now_ms;
}

void
comm_publish_telemetry(struct community *c, int i, long long now_ms)
{
	static struct msg_telemetry t; /* 20 KiB: not on the stack */
	struct comm_dev *d = &c->devs[i];
	struct sim_out out;
	char buf[2048];

	comm_dev_step(c, i, now_ms, &out);
	memset(&t, 0, sizeof t);
	t.seq = ++d->seq;
	t.ts_ms = tu_now_ms();
	t.has_ts = 1;
	t.n_metrics = out.n;
	for (int k = 0; k < out.n; k++) {
		snprintf(t.metrics[k].name, sizeof t.metrics[k].name, "%s", out.m[k].name);
		t.metrics[k].value = out.m[k].value;
		t.metrics[k].is_bool = out.m[k].is_bool;
	}
	publish(c, d->topic[0], buf, msg_encode_telemetry(&t, buf, sizeof buf), 0);
}

void
comm_publish_event(struct community *c, int i, const char *event, int active, const char *detail)
{
	struct msg_event e = {0};
	struct comm_dev *d = &c->devs[i];
	char buf[MSG_DETAIL_JSON_MAX + 256];

	e.seq = ++d->seq;
	e.ts_ms = tu_now_ms();
	e.has_ts = 1;
	snprintf(e.event, sizeof e.event, "%s", event);
	e.state = active ? MSG_EVENT_ACTIVE : MSG_EVENT_CLEARED;
	if (detail && detail[0]) {
		e.has_detail = 1;
		snprintf(e.detail_json, sizeof e.detail_json, "%s", detail);
	}
	publish(c, d->topic[1], buf, msg_encode_event(&e, buf, sizeof buf), 0);
}

void
comm_publish_status(struct community *c, int i, int online)
{
	struct msg_status s = {online ? MSG_STATUS_ONLINE : MSG_STATUS_OFFLINE, tu_now_ms(), 1};
	char buf[128];

	publish(c, c->devs[i].topic[2], buf, msg_encode_status(&s, buf, sizeof buf), 1);
}
