/* community.h — `fmsim community`, shared by its files: community.c (options,
 * start-up, the loop), community_dev.c (devices from the registry, simulated
 * time, publishing) and community_fault.c (injecting, scheduling and
 * clearing faults). One MQTT connection publishes for every device of the
 * site; the models (sim_model.h) and the fault table (sim_fault.h) are pure. */
#ifndef FMSIM_COMMUNITY_H
#define FMSIM_COMMUNITY_H

#include "fmsim.h"
#include "registry.h"
#include "sim_ctl.h"
#include "sim_model.h"
#include "sim_spec.h"
#include "topic.h"

#include <stddef.h>

#define COMM_MAX_ACTIVE 64 /* faults active at once */

struct comm_opts {
	const char *site;       /* NULL: the registry's first site */
	const char *config_dir; /* the registry: devices.yaml, site.yaml, people.yaml */
	const char *control;    /* the control FIFO */
	const char *scenario;   /* NULL: none */
	double speed;           /* simulated seconds per real second */
	long long interval_ms;  /* telemetry period of each device (jittered) */
	long long for_ms;       /* 0: until SIGTERM/SIGINT */
	long long seed;
	int start_s;              /* simulated time of day at start; -1: the site's local time */
	struct sim_action *sched; /* --fault options and scenario lines */
	size_t n_sched;
};

struct comm_dev {
	const struct reg_device *reg;
	const char *type; /* asset type name */
	struct sim_dev model;
	char topic[3][TOPIC_MAX_LEN + 1]; /* telemetry, event, status */
	long long seq;
	long long interval_ms, next_ms, last_ms; /* monotonic */
	double last_sim_s;
	int offline; /* device_offline active: no telemetry */
	int *deps;   /* devices it supplies (feeds, transitively) and its children */
	int n_deps;
};

struct comm_active {
	int fault;
	int dev;
	long long until_ms; /* monotonic; 0: until cleared */
};

struct comm_stats {
	long long published, publish_failed, not_connected;
	long long faults_injected, faults_cleared, faults_rejected, control_lines;
};

struct community {
	struct comm_opts o;
	struct reg reg;
	const struct reg_site *site;
	struct comm_dev *devs;
	int n_devs;
	struct comm_active active[COMM_MAX_ACTIVE];
	int n_active;
	unsigned char *sched_done;
	struct mq *mq;
	long long t0_ms; /* monotonic start */
	double sim_t0_s; /* simulated seconds since a local midnight at t0 */
	struct sim_ctl ctl;
	struct comm_stats st;
};

/* community_dev.c */
/* Builds c->devs from c->reg for c->site: topics, models, dependants,
 * staggered first publish times. Returns 0, or -1 (printed). */
int
comm_devs_build(struct community *c);
void
comm_devs_free(struct community *c);
/* Simulated seconds (since a local midnight) at monotonic now_ms. */
double
comm_sim_time(const struct community *c, long long now_ms);
/* The conditions the active faults impose on device i. */
unsigned
comm_cond(const struct community *c, int i);
/* Steps device i's model to monotonic now_ms under the active faults. */
void
comm_dev_step(struct community *c, int i, long long now_ms, struct sim_out *out);
/* Steps device i (comm_dev_step) and publishes its telemetry. */
void
comm_publish_telemetry(struct community *c, int i, long long now_ms);
/* Publishes an event of device i (detail: flat JSON or ""). */
void
comm_publish_event(struct community *c, int i, const char *event, int active, const char *detail);
/* Publishes device i's retained status. */
void
comm_publish_status(struct community *c, int i, int online);
/* The device with that id, or -1. */
int
comm_dev_find(const struct community *c, const char *id);

/* community_fault.c */
/* Applies an action now (inject or clear); source names where it came from
 * (option, scenario, control) for the log. Returns 0, or -1 (logged,
 * counted as rejected). */
int
comm_fault_act(struct community *c, const struct sim_action *a, const char *source,
	       long long now_ms);
/* Injects the scheduled actions that are due and clears expired faults. */
void
comm_fault_tick(struct community *c, long long now_ms);
/* A line from the control FIFO. */
void
comm_fault_control(struct community *c, const char *line, long long now_ms);
/* Reads a scenario file into c->o.sched. Returns 0, or -1 (printed with
 * file:line). */
int
comm_scenario_load(struct community *c, const char *path);

#endif
