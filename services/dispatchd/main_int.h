/* main_int.h — the dispatchd process as its wiring files share it: main.c
 * (the loop and the MQTT handler), main_setup.c (configuration, start,
 * stop), intake.c (requests and people's commands), change.c (one change of
 * one order: the state machine, its row and events in one transaction, the
 * retained state), clocks.c (dispatch, SLA breaches, escalation), out.c
 * (publishes), store.c (PostgreSQL) and main_stats.c. One lock covers
 * everything: the MQTT thread and the clock loop take turns. */
#ifndef FM_DISPATCHD_MAIN_INT_H
#define FM_DISPATCHD_MAIN_INT_H

#include "daemon.h"
#include "dispatchd/sla.h"
#include "dispatchd/wo_fsm.h"
#include "msg.h"
#include "registry.h"
#include "sla_conf.h"
#include "who.h"

#include <pthread.h>

#define DISPD_SCHEMA_VERSION 12
#define DISPD_TICK_MS 250          /* how often the clocks are looked at */
#define DISPD_NOBODY_RETRY_MS 5000 /* an order nobody could take is tried again */
#define DISPD_DB_RETRY_MS 2000     /* after a failed write, the clocks wait this long */

struct db;
struct mq;

/* One open order (closed and cancelled ones leave memory): the state
 * machine's numbers and what is published with them. */
struct dorder {
	struct wo w;
	char wo_id[MSG_ID_MAX + 1], site[MSG_ID_MAX + 1], device[MSG_ID_MAX + 1];
	char area[MSG_ID_MAX + 1], skill[MSG_ID_MAX + 1], title[MSG_TITLE_MAX + 1];
	char source[8], key[MSG_KEY_MAX + 1], alarm_id[MSG_ID_MAX + 1];
	char plan_id[MSG_ID_MAX + 1], repeat_of[MSG_ID_MAX + 1];
	int followup_overdue;
	long long retry_mono_ms; /* nobody could take it: dispatch again then */
	long long nobody_mark;   /* the wait "nobody available" was escalated for */
};

struct dispd_counts {
	long long requests, duplicates, opened, dispatched, redispatched, escalations;
	long long breaches, commands, rejected, followups, reopened, closed, repeats;
	long long followup_overdue, db_errors, publish_errors, bad_messages;
};

struct dispd {
	struct daemon d;
	char client_id[160];
	struct db *db;
	struct mq *mq;
	pthread_mutex_t lock;
	struct reg reg;
	struct who who;
	struct sla_conf sla;
	struct dorder *orders; /* open orders, unordered */
	size_t n_orders, cap_orders;
	struct msg_limits lim;
	struct dispd_counts c;
	long long db_retry_mono_ms; /* the clocks skip writes until then */
	unsigned seq;               /* wo_id uniqueness within one millisecond */
	/* Set by a dispatch for the next dispd_change: the site's rotation
	 * counter is stored in the same transaction as the dispatch. */
	const char *rot_site;
	unsigned rot_value;
};

/* main_setup.c */
int
dispd_load(struct dispd *g);
void
dispd_shutdown(struct dispd *g);
/* The open order wo_id, or NULL. */
struct dorder *
dispd_find(struct dispd *g, const char *wo_id);
/* Adds a copy of o to the open orders; NULL when out of memory. */
struct dorder *
dispd_add(struct dispd *g, const struct dorder *o);
/* Drops a closed or cancelled order from memory (o is invalid after). */
void
dispd_drop(struct dispd *g, struct dorder *o);
/* The time zone of site (UTC's stand-in: the first site's when unknown). */
const struct tu_zone *
dispd_zone(const struct dispd *g, const char *site);

/* change.c: applies in to o at now_ms, stores the row and its events in one
 * transaction (with detail_json, a JSON object or NULL, on each event) and
 * publishes the new state. Returns WO_OK; a refusal (o unchanged, nothing
 * stored); or -1 when the database did not take it (o unchanged: retry). */
int
dispd_change(struct dispd *g, struct dorder *o, const struct wo_input *in, long long now_ms,
	     const char *detail_json);
/* Stores o as modified by the caller (not by an event) with one 'noted'
 * event carrying detail_json, then publishes it. 0, or -1 (the caller
 * restores o). */
int
dispd_note(struct dispd *g, struct dorder *o, long long now_ms, const char *detail_json);

/* clocks.c: dispatches o to the best candidate, or escalates when nobody
 * can take it. 0, or -1 when the database did not take it. */
int
dispd_dispatch(struct dispd *g, struct dorder *o, long long now_ms);
/* One pass over every open order's clocks. */
void
dispd_clocks(struct dispd *g, long long now_ms);
/* Notifies targets (role names, team ids, person ids, "assignee") of o's
 * site with a message of kind; returns how many people were told. */
int
dispd_tell(struct dispd *g, const struct dorder *o, const struct cfg_strlist *targets,
	   enum msg_notify_kind kind, const char *message, long long now_ms);
/* dispd_tell for one role name. */
int
dispd_tell_role(struct dispd *g, const struct dorder *o, const char *role,
		enum msg_notify_kind kind, const char *message, long long now_ms);

/* intake.c: the MQTT handler's work, under the lock. */
struct mq_msg;
struct topic;
int
intake_request(struct dispd *g, const struct topic *t, const struct mq_msg *m, long long now_ms);
int
intake_ops(struct dispd *g, const struct topic *t, const struct mq_msg *m, long long now_ms);

/* out.c: queued publishes (never wait: they run under the lock). */
void
out_order(struct dispd *g, const struct dorder *o, long long now_ms);
void
out_notify(struct dispd *g, const char *site, const char *person, enum msg_notify_kind kind,
	   const char *device, const char *message, const char *verb, const char *reason,
	   long long now_ms);

/* main_stats.c: publishes the counters (retained); print: also on stderr. */
void
dispd_stats(struct dispd *g, int print);

#endif
