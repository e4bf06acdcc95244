/* engine_ops.c — what reaches the engine from people and from the rest of the
 * system rather than from devices: acknowledgements and shelving (checked
 * against the person's roles), work orders under way (maintenance makes
 * alarms expected), the alarms restored at start, and the counters. */
#include "alertd/engine_int.h"
#include "who.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Roles that may acknowledge and shelve alarms: the duty post and those it
 * escalates to. */
static const char *const act_roles[] = {"duty_engineer", "supervisor", "project_manager"};

const char *
engine_cmd_rc_name(enum engine_cmd_rc rc)
{
	static const char *const names[] = {
		"ok",          "unknown_person", "forbidden", "unknown_alarm", "already_acked",
		"shelve_range"};

	return (unsigned)rc < sizeof names / sizeof names[0] ? names[rc] : "unknown";
}

static struct slot *
find_alarm(struct engine *e, const char *site, const char *alarm_id, struct dev **dev)
{
	for (size_t i = 0; i < e->n_devs; i++) {
		struct dev *d = &e->devs[i];

		if (strcmp(d->d->site, site) != 0)
			continue;
		for (int k = 0; k < d->n_slots; k++)
			if (engine_alarm_open(&d->slots[k]) &&
			    strcmp(d->slots[k].o->alarm_id, alarm_id) == 0) {
				*dev = d;
				return &d->slots[k];
			}
	}
	return NULL;
}

static enum engine_cmd_rc
command(struct engine *e, const char *site, const char *person, enum engine_verb verb,
	const char *alarm_id, const char *note, long long shelve_ms, long long now_ms)
{
	const struct reg_person *p = reg_person_find(e->reg, person);
	int may = 0;
	struct dev *d = NULL;
	struct slot *s;
	struct alarm_input in = {.actor = person, .shelve_ms = shelve_ms};

	if (!p || !p->active)
		return ENGINE_CMD_UNKNOWN_PERSON;
	for (size_t i = 0; i < sizeof act_roles / sizeof act_roles[0]; i++)
		may |= who_has_role(e->who, person, act_roles[i]);
	if (!may)
		return ENGINE_CMD_FORBIDDEN;
	s = find_alarm(e, site, alarm_id, &d);
	if (!s)
		return ENGINE_CMD_UNKNOWN_ALARM;
	in.ev = verb == ENGINE_SHELVE ? ALARM_EV_SHELVE : ALARM_EV_ACK;
	switch (engine_alarm_apply(e, d, s, &in, note, now_ms)) {
	case ALARM_OK:
	case ALARM_NOOP:
		return ENGINE_CMD_OK;
	case ALARM_E_ACKED:
		return ENGINE_CMD_ALREADY_ACKED;
	case ALARM_E_SHELVE_RANGE:
		return ENGINE_CMD_SHELVE_RANGE;
	default:
		return ENGINE_CMD_UNKNOWN_ALARM;
	}
}

enum engine_cmd_rc
engine_command(struct engine *e, const char *site, const char *person, enum engine_verb verb,
	       const char *alarm_id, const char *note, long long shelve_ms, long long now_ms)
{
	enum engine_cmd_rc rc = command(e, site, person, verb, alarm_id, note, shelve_ms, now_ms);

	if (rc == ENGINE_CMD_OK)
		e->st.commands_ok++;
	else
		e->st.commands_rejected[rc]++;
	return rc;
}

static int
under_way(const char *state)
{
	return state && (strcmp(state, "on_site") == 0 || strcmp(state, "in_progress") == 0);
}

static struct wo_seen *
wo_find(struct engine *e, const char *wo_id)
{
	for (size_t i = 0; i < e->n_wos; i++)
		if (strcmp(e->wos[i].wo_id, wo_id) == 0)
			return &e->wos[i];
	return NULL;
}

void
engine_work_order(struct engine *e, const char *site, const char *wo_id, const char *device,
		  const char *state, long long now_ms)
{
	struct wo_seen *w = wo_find(e, wo_id);
	struct dev *d = device && device[0] ? engine_dev(e, device) : NULL;
	int working = under_way(state);

	if (d && strcmp(d->d->site, site) != 0)
		d = NULL;
	if (!w) {
		if (!working)
			return; /* only work under way matters */
		if (e->n_wos == e->cap_wos) {
			size_t cap = e->cap_wos ? 2 * e->cap_wos : 64;
			struct wo_seen *n = realloc(e->wos, cap * sizeof *n);

			if (!n)
				return;
			e->wos = n;
			e->cap_wos = cap;
		}
		w = &e->wos[e->n_wos++];
		memset(w, 0, sizeof *w);
		snprintf(w->wo_id, sizeof w->wo_id, "%s", wo_id);
		w->dev = d ? (int)(d - e->devs) : -1;
	}
	if (w->working == working)
		return;
	w->working = working;
	if (w->dev >= 0) {
		struct dev *wd = &e->devs[w->dev];

		wd->working += working ? 1 : -1;
		if (wd->working == (working ? 1 : 0))
			engine_expected(e, wd, working, now_ms);
	}
	if (!working) /* forget it: a finished order is not looked up again */
		*w = e->wos[--e->n_wos];
}

int
engine_restore(struct engine *e, const struct alarm_rec *rec)
{
	struct dev *d = engine_dev(e, rec->device);
	const struct rcf_rule *base = rcf_find(e->rules, rec->rule);
	struct slot *s = NULL;
	struct rule_state scratch, *st;

	if (!d || !base)
		return -1;
	for (int k = 0; k < d->n_slots; k++)
		if (d->slots[k].base == base)
			s = &d->slots[k];
	if (!s)
		return -1;
	if (!s->o && !(s->o = calloc(1, sizeof *s->o)))
		return -1;
	s->o->a = rec->a;
	snprintf(s->o->alarm_id, sizeof s->o->alarm_id, "%s", rec->alarm_id);
	snprintf(s->o->message, sizeof s->o->message, "%s", rec->message);
	snprintf(s->o->suppressed_by, sizeof s->o->suppressed_by, "%s", rec->suppressed_by);
	s->o->expected = rec->expected;
	s->o->wo_requested = 1; /* dispatchd has it, or will by its idempotency key */
	/* The rule's own state: an active alarm waits for its clear. */
	st = slot_state(s, &scratch);
	st->active = rec->a.state == ALARM_ACTIVE_UNACKED || rec->a.state == ALARM_ACTIVE_ACKED;
	slot_state_put(s, st);
	/* Events recovered from history that are older than its last
	 * transition were taken before the restart. */
	if (s->r->kind == RCF_EVENT && rec->ts_ms > s->last_event_ts)
		s->last_event_ts = rec->ts_ms;
	return 0;
}

void
engine_republish(struct engine *e, void (*fn)(void *ctx, const struct alarm_rec *rec), void *ctx)
{
	for (size_t i = 0; i < e->n_devs; i++)
		for (int k = 0; k < e->devs[i].n_slots; k++) {
			struct slot *s = &e->devs[i].slots[k];
			struct alarm_rec rec;

			if (!engine_alarm_open(s))
				continue;
			engine_rec(e, &e->devs[i], s, ALARM_T_RAISED, s->o->a.raised_at_ms, &rec);
			fn(ctx, &rec);
		}
}

void
engine_stats(const struct engine *e, struct engine_stats *out)
{
	*out = e->st;
	out->active_unacked = out->active_acked = out->cleared_unacked = out->shelved = 0;
	for (size_t i = 0; i < e->n_devs; i++)
		for (int k = 0; k < e->devs[i].n_slots; k++) {
			const struct slot *s = &e->devs[i].slots[k];

			if (!s->o)
				continue;
			out->active_unacked += s->o->a.state == ALARM_ACTIVE_UNACKED;
			out->active_acked += s->o->a.state == ALARM_ACTIVE_ACKED;
			out->cleared_unacked += s->o->a.state == ALARM_CLEARED_UNACKED;
			out->shelved += s->o->a.shelved_until_ms > 0;
		}
}
