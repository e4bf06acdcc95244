/* topic.h — the MQTT topic tree of architecture.md: parse a received topic
 * into its kind and identifiers, and build topics and subscription filters.
 * Pure: no I/O, no allocation; every identifier is checked on the way in and
 * on the way out, so a topic that parses can always be rebuilt byte for byte. */
#ifndef FM_TOPIC_H
#define FM_TOPIC_H

#include <stddef.h>

/* Identifiers ({site}, {device}, {person}, {alarm_id}, {wo_id}, {daemon},
 * {instance}) are [A-Za-z0-9_-]{1,64}. "_sys" is reserved and is never a site. */
#define TOPIC_ID_MAX 64
/* Longest topic this module accepts or builds, in bytes (without the NUL). */
#define TOPIC_MAX_LEN 255

enum topic_kind {
	TOPIC_TELEMETRY,  /* fm/v1/{site}/dev/{device}/telemetry */
	TOPIC_EVENT,      /* fm/v1/{site}/dev/{device}/event */
	TOPIC_STATUS,     /* fm/v1/{site}/dev/{device}/status */
	TOPIC_ALARM,      /* fm/v1/{site}/alarm/{alarm_id} */
	TOPIC_ALARM_LOG,  /* fm/v1/{site}/alarm-log */
	TOPIC_NOTIFY,     /* fm/v1/{site}/notify/{person} */
	TOPIC_WO,         /* fm/v1/{site}/wo/{wo_id} */
	TOPIC_WO_REQUEST, /* fm/v1/{site}/wo-request */
	TOPIC_OPS,        /* fm/v1/{site}/ops/{person}/{verb} */
	TOPIC_SYS,        /* fm/v1/_sys/{daemon}/{instance} */
	TOPIC_KIND_COUNT
};

enum topic_verb {
	TOPIC_VERB_NONE, /* every kind but TOPIC_OPS */
	TOPIC_VERB_ACK,
	TOPIC_VERB_SHELVE,
	TOPIC_VERB_WO,
	TOPIC_VERB_REQUEST,
	TOPIC_VERB_FOLLOWUP,
	TOPIC_VERB_COUNT
};

/* Why a topic was rejected; topic_err_name() gives a stable snake_case name
 * for counters and logs. The first failing check wins, in this order. */
enum topic_err {
	TOPIC_OK,
	TOPIC_ERR_EMPTY,       /* zero-length topic */
	TOPIC_ERR_TOO_LONG,    /* longer than TOPIC_MAX_LEN */
	TOPIC_ERR_NUL_BYTE,    /* a NUL byte inside the given length */
	TOPIC_ERR_WILDCARD,    /* '+' or '#' (a filter, not a topic) */
	TOPIC_ERR_EMPTY_LEVEL, /* leading, trailing or doubled '/' */
	TOPIC_ERR_PREFIX,      /* does not start with fm/v1/ */
	TOPIC_ERR_KIND,        /* unknown level after the site (or after dev/{device}) */
	TOPIC_ERR_LEVELS,      /* too many or too few levels for its kind */
	TOPIC_ERR_IDENTIFIER,  /* an identifier level is not [A-Za-z0-9_-]{1,64} */
	TOPIC_ERR_VERB,        /* ops verb not ack|shelve|wo|request|followup */
	TOPIC_ERR_COUNT
};

/* A parsed topic. Only the fields of its kind are set; the others are "".
 *   telemetry/event/status: site, device     alarm: site, alarm_id
 *   alarm-log, wo-request: site               notify: site, person
 *   wo: site, wo_id     ops: site, person, verb     sys: daemon, instance */
struct topic {
	enum topic_kind kind;
	enum topic_verb verb;
	char site[TOPIC_ID_MAX + 1];
	char device[TOPIC_ID_MAX + 1];
	char alarm_id[TOPIC_ID_MAX + 1];
	char person[TOPIC_ID_MAX + 1];
	char wo_id[TOPIC_ID_MAX + 1];
	char daemon[TOPIC_ID_MAX + 1];
	char instance[TOPIC_ID_MAX + 1];
};

/* 1 if id is a NUL-terminated [A-Za-z0-9_-]{1,64}, else 0. NULL gives 0. */
int
topic_id_valid(const char *id);

/* 1 if id is a valid identifier and not the reserved "_sys", else 0. */
int
topic_site_valid(const char *site);

/* Parses the len bytes at s (need not be NUL-terminated, as Paho hands them
 * over). On TOPIC_OK *out is filled; on any error *out is zeroed. */
enum topic_err
topic_parse(const char *s, size_t len, struct topic *out);

/* Builders write a NUL-terminated topic into buf (cap bytes) and return its
 * length, or -1 when an identifier is invalid, the kind or verb does not fit
 * the builder, or the topic does not fit in cap (buf is then "" if cap > 0). */
int
topic_format(const struct topic *t, char *buf, size_t cap);

/* kind: TOPIC_TELEMETRY, TOPIC_EVENT or TOPIC_STATUS. */
int
topic_build_dev(char *buf, size_t cap, const char *site, const char *device, enum topic_kind kind);

int
topic_build_alarm(char *buf, size_t cap, const char *site, const char *alarm_id);

int
topic_build_alarm_log(char *buf, size_t cap, const char *site);

int
topic_build_notify(char *buf, size_t cap, const char *site, const char *person);

int
topic_build_wo(char *buf, size_t cap, const char *site, const char *wo_id);

int
topic_build_wo_request(char *buf, size_t cap, const char *site);

int
topic_build_ops(char *buf, size_t cap, const char *site, const char *person, enum topic_verb verb);

int
topic_build_sys(char *buf, size_t cap, const char *daemon, const char *instance);

/* A subscription filter for every topic of one kind: site NULL means all sites
 * ("+"); the per-item levels are always "+" (ops: person and verb; sys:
 * daemon and instance, and site is ignored). E.g. TOPIC_TELEMETRY, "s1" ->
 * "fm/v1/s1/dev/+/telemetry". Same return convention as the builders. */
int
topic_build_filter(char *buf, size_t cap, const char *site, enum topic_kind kind);

/* Stable names: "telemetry", "alarm-log", ... (the topic level itself, "sys"
 * for TOPIC_SYS); "ack", "followup", ...; "ok", "wildcard", ... Out-of-range
 * values give "unknown". */
const char *
topic_kind_name(enum topic_kind kind);

const char *
topic_verb_name(enum topic_verb verb);

const char *
topic_err_name(enum topic_err err);

#endif
