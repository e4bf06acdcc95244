/* intake.h — what alertd does with one MQTT message: the topic is parsed,
 * the payload decoded strictly (common/msg), and the input handed to the
 * engine; a rejected message is counted by its reason. A person's command
 * gets a reply (accepted, or rejected with the reason) for the caller to
 * publish on the person's notify topic. Pure: the engine is pure and the
 * caller serialises calls (its engine lock). */
#ifndef FM_ALERTD_INTAKE_H
#define FM_ALERTD_INTAKE_H

#include "alertd/engine.h"
#include "msg.h"
#include "topic.h"

/* Rejections not of the payload: by the topic, or by the engine. */
enum intake_reject {
	INTAKE_BAD_TOPIC,      /* not a topic of ours, or malformed */
	INTAKE_UNEXPECTED,     /* a kind alertd does not take (alarm, notify ...) */
	INTAKE_UNKNOWN_DEVICE, /* not in the registry, or not at the topic's site */
	INTAKE_REJECT_COUNT
};

struct intake_counts {
	long long received;
	long long accepted;
	long long payload[MSG_REASON_COUNT]; /* by msg reason; [MSG_OK] unused */
	long long other[INTAKE_REJECT_COUNT];
	long long sys_unwatched; /* ingestd stats with no device ingestd-{instance} registered */
};

struct intake_reply {
	int wanted; /* 1: publish it on fm/v1/{site}/notify/{person} */
	int ok;
	char site[TOPIC_ID_MAX + 1];
	char person[TOPIC_ID_MAX + 1];
	char verb[16];
	char alarm_id[TOPIC_ID_MAX + 1];
	char reason[48]; /* a msg reason or an engine refusal; "" when ok */
};

struct intake {
	struct intake_counts c;
	union { /* the decoders' outputs: large, so not on the stack */
		struct msg_telemetry t;
		struct msg_event ev;
		struct msg_status st;
		struct msg_command cmd;
		struct msg_wo_brief wo;
		struct msg_stats_counter sys;
	} u;
};

/* Handles one message at now_ms. Returns 0 when it was taken, -1 when it was
 * rejected (counted). reply->wanted says whether to answer a person. */
int
intake_message(struct intake *in, struct engine *e, const struct msg_limits *lim, const char *topic,
	       const void *payload, size_t len, long long now_ms, struct intake_reply *reply);

const char *
intake_reject_name(enum intake_reject r);

#endif
