/* main_int.h — the schedd process as its wiring files share it: main.c
 * (the loop and the MQTT handler), main_setup.c (configuration, pm_state
 * writes, reload, shutdown), out.c (requests and notices on the broker) and
 * main_stats.c (counters on fm/v1/_sys/schedd/{instance}). */
#ifndef FM_SCHEDD_MAIN_INT_H
#define FM_SCHEDD_MAIN_INT_H

#include "daemon.h"
#include "msg.h"
#include "schedd/conf_db.h"
#include "schedd/instance.h"

#include <pthread.h>

#define SCHEDD_SCHEMA_VERSION 10
#define SCHEDD_TICK_MS 250          /* how often the plans are looked at */
#define SCHEDD_METER_FLUSH_MS 10000 /* meters reach pm_state this often */
#define SCHEDD_DB_RETRY_MS 2000     /* a failed pm_state write waits this long */

struct db;
struct mq;

struct schedd_counts {
	long long requests, overdue_notices, escalations, completions, meter_readings;
	long long telemetry_received; /* only metered devices' (meter_subs.c) */
	long long publish_errors, db_errors, bad_messages;
};

struct schedd {
	struct daemon d;
	char client_id[160];
	struct db *db;
	struct mq *mq;
	pthread_mutex_t lock; /* conf (its instances) and counts */
	struct sched_conf *conf;
	struct msg_limits lim;
	struct schedd_counts c;
	char meter_subs_path[600];     /* meter_subs.c's file; "" when it cannot be kept */
	long long next_meter_flush_ms; /* monotonic */
	long long db_retry_ms;         /* monotonic; 0: now */
};

/* main_setup.c */
int
schedd_load(struct schedd *g);
void
schedd_reload(struct schedd *g);
/* Writes dirty instances to pm_state (meters too when meters is set).
 * Called without the lock. */
void
schedd_flush(struct schedd *g, int meters);
void
schedd_shutdown(struct schedd *g);

/* meter_subs.c: subscribes to the telemetry of the devices `now` meters and
 * not `old`, and unsubscribes the reverse (old NULL: at start). Main thread. */
void
schedd_meter_subs(struct schedd *g, const struct sched_conf *old, const struct sched_conf *now);
/* Sets the file where the subscribed set is kept (before schedd_meter_subs). */
void
schedd_meter_subs_file(struct schedd *g);
/* Once connected at start: unsubscribes what the file lists and the
 * configuration no longer meters, then writes the current set. */
void
schedd_meter_subs_prune(struct schedd *g);

/* out.c: publish and wait for the PUBACK (never under the lock). 0 or -1. */
int
out_request(struct schedd *g, const struct sched_plan *p, const struct sched_inst *in,
	    const struct sched_action *a);
/* Notifies every person of the plan's notify (SCHED_OVERDUE) or escalate
 * list now on shift; 0 when each got it (or nobody is listed), else -1. */
int
out_notice(struct schedd *g, const struct sched_plan *p, const struct sched_inst *in,
	   const struct sched_action *a);

/* main_stats.c: publishes the counters (retained); print: also on stderr. */
void
schedd_stats(struct schedd *g, int print);

#endif
