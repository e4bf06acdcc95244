/* out.h — what alertd sends: the engine's sink (journal first, then the
 * retained alarm state, the alarm-log entry, notifications and work-order
 * requests over MQTT) and the replies to people's commands. Publishes are
 * queued without waiting for the broker, so a slow broker or a database
 * outage never holds up evaluation. */
#ifndef FM_ALERTD_OUT_H
#define FM_ALERTD_OUT_H

#include "alertd/engine.h"
#include "alertd/intake.h"

struct mq;
struct alert_store;

struct out_counts {
	long long published; /* MQTT publishes queued */
	long long
		publish_errors; /* refused or not connected: the state is republished on reconnect */
	long long encode_errors;  /* a payload that would not encode (a bug: logged) */
	long long journal_errors; /* the journal refused a record (full or failing) */
};

struct out {
	struct mq *mq;
	struct alert_store *store;
	struct out_counts c;
	char buf[8192]; /* one payload at a time: calls are serialised by the engine lock */
};

/* The sink for engine_new; ctx must be o. */
void
out_sink(struct out *o, struct engine_sink *sink);

/* Publishes the retained state of an open alarm again (after a restart or a
 * reconnect), without journalling it or writing the alarm-log. */
void
out_republish(void *o, const struct alarm_rec *rec);

/* Answers a person's command on their notify topic. */
void
out_reply(struct out *o, const struct intake_reply *r, long long now_ms);

#endif
