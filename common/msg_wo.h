/* msg_wo.h — dispatchd's payloads: the work order it publishes retained on
 * fm/v1/{site}/wo/{wo_id}, and the strict decoders of what people send it:
 * a technician's command (ops/{person}/wo), customer service's repair
 * request or complaint (ops/{person}/request) and follow-up visit
 * (ops/{person}/followup). Rejections carry a named reason: an envelope
 * reason of msg.h (bad_json, duplicate_key, unknown_field, ...) or one of
 * enum msg_wo_reason below, kept apart so that msg.h's enum stays stable.
 * Pure: no I/O, no clock, nothing kept between calls. */
#ifndef FM_MSG_WO_H
#define FM_MSG_WO_H

#include "msg.h"

#include <stddef.h>

#define MSG_WO_TEXT_MAX 1024   /* bytes of UTF-8 in a description */
#define MSG_WO_CONTACT_MAX 128 /* bytes of UTF-8 in a reporter's contact */
#define MSG_WO_CHECK_MAX 32    /* checklist items in a completion */
#define MSG_WO_READINGS_MAX 32 /* readings in a completion */
#define MSG_WO_DETAIL_MAX 8192 /* canonical command detail JSON, with NUL */

/* Reasons of the dispatchd payloads; values continue after msg.h's, so one
 * int carries either (msg_wo_reason_name names both). Append only. */
enum msg_wo_reason {
	MSG_WO_ERR_FIRST = 1000,
	MSG_WO_ERR_ACTION_MISSING = MSG_WO_ERR_FIRST,
	MSG_WO_ERR_ACTION_TYPE,
	MSG_WO_ERR_ACTION_VALUE, /* not accept|decline|arrive|start|pause|resume|complete */
	MSG_WO_ERR_REASON_TYPE,
	MSG_WO_ERR_REASON_VALUE, /* empty or over MSG_NOTE_MAX bytes */
	MSG_WO_ERR_CHECKLIST_TYPE,
	MSG_WO_ERR_CHECKLIST_ITEM, /* not {"item": text, "ok": bool}, or too many */
	MSG_WO_ERR_READINGS_TYPE,
	MSG_WO_ERR_READING_VALUE, /* a bad name, a non-number, or too many */
	MSG_WO_ERR_SCORE_MISSING,
	MSG_WO_ERR_SCORE_TYPE,
	MSG_WO_ERR_SCORE_RANGE, /* outside 1..5 */
	MSG_WO_ERR_CATEGORY_MISSING,
	MSG_WO_ERR_CATEGORY_TYPE,
	MSG_WO_ERR_CATEGORY_VALUE,
	MSG_WO_ERR_URGENCY_MISSING,
	MSG_WO_ERR_URGENCY_TYPE,
	MSG_WO_ERR_URGENCY_VALUE,
	MSG_WO_ERR_GRADE_TYPE,
	MSG_WO_ERR_GRADE_VALUE,
	MSG_WO_ERR_LOCATION_TYPE,
	MSG_WO_ERR_LOCATION_VALUE, /* empty or over MSG_TITLE_MAX bytes */
	MSG_WO_ERR_WHERE_MISSING,  /* neither location nor device */
	MSG_WO_ERR_DESCRIPTION_MISSING,
	MSG_WO_ERR_DESCRIPTION_TYPE,
	MSG_WO_ERR_DESCRIPTION_VALUE, /* empty or over MSG_WO_TEXT_MAX bytes */
	MSG_WO_ERR_CONTACT_MISSING,
	MSG_WO_ERR_CONTACT_TYPE,
	MSG_WO_ERR_CONTACT_VALUE, /* empty or over MSG_WO_CONTACT_MAX bytes */
	MSG_WO_ERR_REQUEST_ID_TYPE,
	MSG_WO_ERR_REQUEST_ID_VALUE, /* not an idempotency key */
	MSG_WO_ERR_END
};

/* "ok", a msg_reason_name, or "action_missing" ...; "unknown" out of range. */
const char *
msg_wo_reason_name(int r);

enum msg_wo_action {
	MSG_WO_ACCEPT,
	MSG_WO_DECLINE,
	MSG_WO_ARRIVE,
	MSG_WO_START,
	MSG_WO_PAUSE,
	MSG_WO_RESUME,
	MSG_WO_COMPLETE,
	MSG_WO_ACTION_COUNT
};

/* "accept" ... "complete"; "unknown" out of range. */
const char *
msg_wo_action_name(enum msg_wo_action a);

/* ops/{person}/wo: {"wo_id","action","reason"?,"note"?,"checklist"?,
 * "readings"?,"ts"?}. The actor is the topic's person. */
struct msg_wo_command {
	char wo_id[MSG_ID_MAX + 1];
	enum msg_wo_action action;
	char reason[MSG_NOTE_MAX + 1]; /* "" if absent or null */
	char note[MSG_NOTE_MAX + 1];   /* "" if absent or null */
	/* {"checklist":[...],"note":...,"readings":{...},"reason":...} with
	 * what was given, compact and key-sorted (a jsonb value); "{}" when
	 * none */
	char detail_json[MSG_WO_DETAIL_MAX];
	long long ts_ms;
	int has_ts;
};

/* ops/{person}/request: a resident's repair request (报修) or complaint
 * (投诉) that customer service takes. request_id, when given, makes a retry
 * open no second order. */
struct msg_repair_request {
	char request_id[MSG_KEY_MAX + 1]; /* "" if absent */
	char device[MSG_ID_MAX + 1];      /* "" if absent or null */
	char location[MSG_TITLE_MAX + 1]; /* "" if absent or null */
	enum msg_wo_kind category;
	enum msg_wo_priority urgency;
	int grade; /* complaints: 0 major, 1 urgent, 2 general; -1 absent */
	char skill[MSG_ID_MAX + 1];
	char description[MSG_WO_TEXT_MAX + 1];
	char contact[MSG_WO_CONTACT_MAX + 1];
	long long ts_ms;
	int has_ts;
};

/* ops/{person}/followup: {"wo_id","score":1..5,"note"?,"ts"?}. */
struct msg_followup {
	char wo_id[MSG_ID_MAX + 1];
	int score;
	char note[MSG_NOTE_MAX + 1];
	char detail_json[MSG_NOTE_MAX * 6 + 64]; /* {"note":...,"score":n} for the audit */
	long long ts_ms;
	int has_ts;
};

/* Decoders as msg.h's: len bytes, lim NULL for the defaults with the time
 * checks off; MSG_OK (0) with *out filled, else a reason and *out zeroed. */
int
msg_decode_wo_command(const char *buf, size_t len, const struct msg_limits *lim,
		      struct msg_wo_command *out);
int
msg_decode_repair_request(const char *buf, size_t len, const struct msg_limits *lim,
			  struct msg_repair_request *out);
int
msg_decode_followup(const char *buf, size_t len, const struct msg_limits *lim,
		    struct msg_followup *out);

/* A work order as published retained on fm/v1/{site}/wo/{wo_id}. Strings
 * are borrowed; NULL or "" is written as null (wo_id, site, kind, priority,
 * state, title and source are required). Times are UTC ms, 0 written as
 * null. due_ms[i]: the due instant of clock i (names in due_names), 0 for
 * none. */
#define MSG_WO_MAX_CLOCKS 6
struct msg_work_order {
	const char *wo_id, *site, *device, *kind, *priority, *state, *assignee, *skill;
	const char *title, *source, *idempotency_key, *alarm_id, *plan_id, *repeat_of;
	long long created_at_ms, completed_at_ms, ts_ms;
	int n_clocks;
	const char *due_names[MSG_WO_MAX_CLOCKS]; /* "acknowledge", ... */
	long long due_ms[MSG_WO_MAX_CLOCKS];
	int escalation_level;
	unsigned breached; /* bit i: due_names[i] breached */
	int satisfaction;  /* 0: none */
};

/* {"wo_id",...,"due":{"accept":ms,...},"breached":[names],...,"ts"}; -1 on
 * a missing required field, a bad identifier or a text that is not UTF-8,
 * or when it does not fit in cap. */
int
msg_encode_work_order(const struct msg_work_order *w, char *buf, size_t cap);

#endif
