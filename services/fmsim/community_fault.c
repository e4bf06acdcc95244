/* community_fault.c — faults in a running community: injecting one (what
 * sim_fault.h says it does: conditions on the model, an event, the device
 * going offline), clearing it (the event cleared, the device back online),
 * the schedule of --fault options and scenario lines, expiry after FOR, and
 * requests from the control FIFO. Every injection and clear is logged; a
 * request for an unknown device or a type the fault does not fit is logged
 * and counted, never fatal. */
#include "community.h"

#include "config.h"
#include "log.h"
#include "sim_fault.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The named device, or the first device of the fault's default type, or
 * the first device the fault applies to. -1 (with why) when none fits. */
static int
target(const struct community *c, const struct sim_action *a, const char **why)
{
	struct sim_effect e;
	const char *def = sim_fault_default_type(a->fault);
	int i;

	if (a->device[0]) {
		i = comm_dev_find(c, a->device);
		*why = i < 0 ? "unknown_device" : "type_not_applicable";
		return i >= 0 && sim_fault_effect(a->fault, c->devs[i].type, &e) == 0 ? i : -1;
	}
	for (i = 0; i < c->n_devs; i++)
		if (strcmp(c->devs[i].type, def) == 0)
			return i;
	for (i = 0; i < c->n_devs; i++)
		if (sim_fault_effect(a->fault, c->devs[i].type, &e) == 0)
			return i;
	*why = "no_device_of_that_type";
	return -1;
}

static int
find_active(const struct community *c, int fault, int dev)
{
	for (int k = 0; k < c->n_active; k++)
		if (c->active[k].fault == fault && c->active[k].dev == dev)
			return k;
	return -1;
}

static int
inject(struct community *c, const struct sim_action *a, int i, const char *source, long long now_ms)
{
	struct comm_dev *d = &c->devs[i];
	struct sim_effect e;
	char detail[256];
	int k = find_active(c, a->fault, i);
	long long until = a->for_ms > 0 ? now_ms + a->for_ms : 0;

	sim_fault_effect(a->fault, d->type, &e);
	if (k >= 0) {
		c->active[k].until_ms = until;
		log_info("fault_extended", "fault=%s device=%s for_ms=%lld source=%s",
			 sim_fault_name(a->fault), d->reg->id, a->for_ms, source);
		return 0;
	}
	if (c->n_active == COMM_MAX_ACTIVE) {
		c->st.faults_rejected++;
		log_warn("fault_rejected", "fault=%s device=%s reason=too_many_active source=%s",
			 sim_fault_name(a->fault), d->reg->id, source);
		return -1;
	}
	c->active[c->n_active++] = (struct comm_active){a->fault, i, until};
	c->st.faults_injected++;
	log_info("fault_injected", "fault=%s device=%s for_ms=%lld source=%s",
		 sim_fault_name(a->fault), d->reg->id, a->for_ms, source);
	if (e.offline) {
		d->offline = 1;
		comm_publish_status(c, i, 0);
		return 0;
	}
	if (e.event) {
		if (sim_fault_detail(a->fault, &d->model, detail, sizeof detail) < 0)
			detail[0] = '\0';
		comm_publish_event(c, i, e.event, 1, detail);
	}
	/* The device shows the fault at once, ahead of those it supplies. */
	if (!d->offline)
		comm_publish_telemetry(c, i, now_ms);
	return 0;
}

static void
clear_at(struct community *c, int k, const char *source, long long now_ms)
{
	struct comm_active a = c->active[k];
	struct comm_dev *d = &c->devs[a.dev];
	struct sim_effect e;

	c->active[k] = c->active[--c->n_active];
	c->st.faults_cleared++;
	log_info("fault_cleared", "fault=%s device=%s source=%s", sim_fault_name(a.fault),
		 d->reg->id, source);
	sim_fault_effect(a.fault, d->type, &e);
	if (e.offline) {
		d->offline = 0;
		comm_publish_status(c, a.dev, 1);
	}
	if (e.event)
		comm_publish_event(c, a.dev, e.event, 0, "");
	if (!d->offline)
		comm_publish_telemetry(c, a.dev, now_ms);
}

static int
reject(struct community *c, const struct sim_action *a, const char *why, const char *source)
{
	c->st.faults_rejected++;
	log_warn("fault_rejected", "fault=%s device=%s reason=%s source=%s",
		 sim_fault_name(a->fault), a->device[0] ? a->device : "-", why, source);
	return -1;
}

int
comm_fault_act(struct community *c, const struct sim_action *a, const char *source,
	       long long now_ms)
{
	const char *why = "";
	int i, n = 0;

	if (!a->clear) {
		i = target(c, a, &why);
		return i < 0 ? reject(c, a, why, source) : inject(c, a, i, source, now_ms);
	}
	i = a->device[0] ? comm_dev_find(c, a->device) : -1;
	for (int k = c->n_active - 1; k >= 0; k--)
		if (c->active[k].fault == a->fault && (!a->device[0] || c->active[k].dev == i)) {
			clear_at(c, k, source, now_ms);
			n++;
		}
	return n > 0 ? 0 : reject(c, a, "not_active", source);
}

void
comm_fault_tick(struct community *c, long long now_ms)
{
	for (size_t s = 0; s < c->o.n_sched; s++)
		if (!c->sched_done[s] && now_ms - c->t0_ms >= c->o.sched[s].after_ms) {
			c->sched_done[s] = 1;
			comm_fault_act(c, &c->o.sched[s], "schedule", now_ms);
		}
	for (int k = c->n_active - 1; k >= 0; k--)
		if (c->active[k].until_ms && now_ms >= c->active[k].until_ms)
			clear_at(c, k, "expired", now_ms);
}

void
comm_fault_control(struct community *c, const char *line, long long now_ms)
{
	struct sim_action a;
	char err[256];

	c->st.control_lines++;
	if (sim_spec_parse_ctl(line, &a, err, sizeof err) < 0) {
		c->st.faults_rejected++;
		log_warn("control_rejected", "reason=\"%s\"", err);
		return;
	}
	comm_fault_act(c, &a, "control", now_ms);
}

int
comm_scenario_load(struct community *c, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[SIM_CTL_LINE_MAX * 2], err[256];
	int lineno = 0, rc = 0;

	if (!f) {
		fprintf(stderr, "fmsim community: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		struct sim_action a;
		int r;

		lineno++;
		r = sim_spec_parse_scenario(line, &a, err, sizeof err);
		if (r < 0) {
			fprintf(stderr, "%s:%d: %s\n", path, lineno, err);
			rc = -1;
		} else if (r == 0) {
			c->o.sched = realloc(c->o.sched, (c->o.n_sched + 1) * sizeof *c->o.sched);
			if (!c->o.sched)
				fatal("out of memory");
			c->o.sched[c->o.n_sched++] = a;
		}
	}
	fclose(f);
	return rc;
}
