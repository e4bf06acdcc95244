/* engine.h — alertd's core: every (device, rule) of the registry with its
 * evaluation state and open alarm; inputs from the live stream (telemetry,
 * events, status), people's commands, work-order states and the passing of
 * time go in; alarm transitions, notifications and work-order requests come
 * out through a sink. Suppression by the supply graph and by maintenance is
 * decided here. No I/O and no clock of its own: the caller passes now_ms,
 * serialises the calls (one lock) and does what the sink is told. */
#ifndef FM_ALERTD_ENGINE_H
#define FM_ALERTD_ENGINE_H

#include "alertd/alarm_rec.h"
#include "alertd/devtab.h"
#include "registry.h"
#include "rules_conf.h"

#include <stddef.h>

struct who; /* who.h: who is on duty */

/* Why a notification is sent (msg notification "kind"). */
enum engine_notify_kind {
	ENGINE_N_ALARM,      /* a new alarm (or one no longer suppressed) */
	ENGINE_N_REMINDER,   /* still unacknowledged */
	ENGINE_N_ESCALATION, /* a step of the escalation chain */
	ENGINE_N_FLAPPING,   /* it started flapping: reported once */
};

/* What the engine asks the caller to do, in order, synchronously. */
struct engine_sink {
	void *ctx;
	/* Journal, publish the retained state and the alarm-log entry. */
	void (*transition)(void *ctx, const struct alarm_rec *rec);
	/* Tell one person about an alarm. */
	void (*notify)(void *ctx, const struct alarm_rec *rec, const char *person,
		       enum engine_notify_kind kind);
	/* Ask dispatchd for a work order (idempotency key: the alarm id). */
	void (*wo_request)(void *ctx, const struct alarm_rec *rec, const struct rcf_work_order *wo);
};

/* Refusals of a person's command (counted by name, replied on notify). */
enum engine_cmd_rc {
	ENGINE_CMD_OK,
	ENGINE_CMD_UNKNOWN_PERSON, /* not in the registry, or inactive */
	ENGINE_CMD_FORBIDDEN,      /* no role that may act on alarms */
	ENGINE_CMD_UNKNOWN_ALARM,  /* no open alarm with that id at that site */
	ENGINE_CMD_ALREADY_ACKED,
	ENGINE_CMD_SHELVE_RANGE, /* duration 0 or past the rule's shelve_max */
	ENGINE_CMD_COUNT
};
const char *
engine_cmd_rc_name(enum engine_cmd_rc rc);

enum engine_verb { ENGINE_ACK, ENGINE_SHELVE };

struct engine_stats {
	long long readings, events, statuses; /* inputs evaluated */
	long long unknown_device, site_mismatch;
	long long transitions, notifications, escalations, reminders, wo_requests;
	long long suppressed, expected;
	long long commands_ok, commands_rejected[ENGINE_CMD_COUNT];
	long long stale_events; /* events older than the last one taken (recovery overlap) */
	/* now: alarms by state */
	long long active_unacked, active_acked, cleared_unacked, shelved;
};

struct engine;

/* Builds the engine for the devices devs, the people of reg, a rule set (all
 * must outlive it) and the roster resolver w. Every (device, rule) starts
 * fresh at now_ms. Returns NULL on out-of-memory (logged). */
struct engine *
engine_new(const struct devtab *devs, const struct reg *reg, const struct rcf_set *rules,
	   const struct who *w, const struct engine_sink *sink, long long now_ms);

/* The site of a configured device, or NULL. */
const char *
engine_device_site(const struct engine *e, const char *device);
void
engine_free(struct engine *e);

/* Restores an alarm from the journal or the database (at start, before any
 * input): the latest record of each alarm_id wins; a closed one is dropped.
 * Returns 0, or -1 when its device or rule is no longer configured. */
int
engine_restore(struct engine *e, const struct alarm_rec *rec);
/* After restoring: tells the sink the current state of every open alarm
 * again (a retained publish that may have been lost in a crash), as a
 * transition record with t unchanged and nothing notified. */
void
engine_republish(struct engine *e, void (*fn)(void *ctx, const struct alarm_rec *rec), void *ctx);

/* Inputs of the live stream. device/site come from the topic. Returns 0, or
 * -1 for an unknown device or a site that is not the device's (counted).
 * The metrics of one telemetry message are evaluated together (a rule sees
 * its metric and its guard from the same message); past ENGINE_METRICS_MAX
 * (MSG_METRICS_MAX, the decoder's cap) they are ignored. */
#define ENGINE_METRICS_MAX 256

/* When the supply alarm that explained an alarm downstream clears, the
 * equipment gets this long to recover (pumps restart, lifts come back)
 * before an alarm still on is news: notified, escalated, work order. */
#define ENGINE_SUPPRESS_GRACE_MS (120 * 1000LL)
struct engine_metric {
	const char *name;
	double value;
};
int
engine_telemetry(struct engine *e, const char *site, const char *device, long long ts_ms,
		 const struct engine_metric *m, int n, long long now_ms);
int
engine_event(struct engine *e, const char *site, const char *device, const char *event, int active,
	     long long ts_ms, long long now_ms);
int
engine_status(struct engine *e, const char *site, const char *device, int online, long long now_ms);

/* A person's command on an alarm (the person is the topic's). */
enum engine_cmd_rc
engine_command(struct engine *e, const char *site, const char *person, enum engine_verb verb,
	       const char *alarm_id, const char *note, long long shelve_ms, long long now_ms);

/* A work order's state (retained fm/v1/{site}/wo/{wo_id}); state NULL or ""
 * when it was emptied (closed). Work under way on a device (on_site,
 * in_progress) makes its alarms expected: recorded, not notified, not
 * escalated. */
void
engine_work_order(struct engine *e, const char *site, const char *wo_id, const char *device,
		  const char *state, long long now_ms);

/* The passing of time: durations, no-data and offline timeouts, reminders,
 * escalation, shelving expiry. Call at least every second. */
void
engine_tick(struct engine *e, long long now_ms);

void
engine_stats(const struct engine *e, struct engine_stats *out);

#endif
