/* msg.h — the JSON payloads of architecture.md: strict decoders for what
 * devices send (telemetry, event, status) into fixed-size structs, with a
 * named reason for every rejection, the decoders of what people and daemons
 * send each other (commands, work-order requests and states), and encoders
 * for what daemons publish. The msg_*.c files are the only users of the JSON
 * library and no JSON tree ever leaves them. Pure: no I/O, no clock (now_ms
 * comes in the limits), no state kept between calls; thread-safe. */
#ifndef FM_MSG_H
#define FM_MSG_H

#include <stddef.h>

#define MSG_NAME_MAX 64     /* metric and event names: [a-z0-9_]{1,64} */
#define MSG_ID_MAX 64       /* identifiers (topic levels): [A-Za-z0-9_-]{1,64} */
#define MSG_METRICS_MAX 256 /* hard cap on metrics per telemetry message */
#define MSG_DEFAULT_MAX_BYTES 65536
#define MSG_DETAIL_KEYS_MAX 16
#define MSG_DETAIL_STRING_MAX 256 /* bytes of UTF-8 in one detail string */
#define MSG_DETAIL_JSON_MAX 4096  /* canonical detail text with its NUL */
#define MSG_LIMIT_OFF (-1LL)      /* disables a time check in struct msg_limits */
#define MSG_NOTE_MAX 256          /* bytes of UTF-8 in a person's note */
#define MSG_KEY_MAX 128           /* idempotency keys: [A-Za-z0-9_:.-]{1,128} */
#define MSG_TITLE_MAX 512         /* bytes of UTF-8 in a work-order title */
#define MSG_WO_STATE_MAX 32       /* work-order states: [a-z_]{1,32} */
#define MSG_SHELVE_MAX_S 604800   /* longest shelve: 7 days */

/* Why a payload was rejected. msg_reason_name() gives the stable snake_case
 * name used as the quarantine reason and the stats counter name; never
 * renumber or rename (append before MSG_REASON_COUNT). Checks run in a fixed
 * order: size, JSON syntax, top level, unknown fields, identity, then the
 * fields in their documented order; the first failure is reported. */
enum msg_reason {
	MSG_OK,
	/* the bytes */
	MSG_ERR_EMPTY,            /* zero-length payload */
	MSG_ERR_TOO_LARGE,        /* more than limits.max_bytes */
	MSG_ERR_BAD_JSON,         /* syntax error, truncation, trailing data */
	MSG_ERR_BAD_UTF8,         /* bytes that are not UTF-8 */
	MSG_ERR_STRING_NUL,       /* "\u0000" in a string or key */
	MSG_ERR_DUPLICATE_KEY,    /* the same key twice in one object */
	MSG_ERR_TOO_DEEP,         /* nesting beyond the parser's depth limit */
	MSG_ERR_NUMBER_OVERFLOW,  /* integer beyond 64-bit signed, real beyond double (1e999) */
	MSG_ERR_NUMBER_NONFINITE, /* NaN, Infinity, -Infinity, nan, inf: not JSON */
	MSG_ERR_NO_MEMORY,        /* the parser ran out of memory: retry, not the sender's fault */
	/* the envelope */
	MSG_ERR_NOT_OBJECT,        /* top level is not an object */
	MSG_ERR_UNKNOWN_FIELD,     /* a top-level field this message type does not define */
	MSG_ERR_IDENTITY_TYPE,     /* "device" or "site" present but not a string */
	MSG_ERR_IDENTITY_MISMATCH, /* "device" or "site" differs from the topic's */
	MSG_ERR_SEQ_MISSING,
	MSG_ERR_SEQ_TYPE, /* not an integer (1.0 and "1" are not) */
	MSG_ERR_SEQ_NEGATIVE,
	MSG_ERR_TS_TYPE, /* not an integer */
	MSG_ERR_TS_NEGATIVE,
	MSG_ERR_TS_FUTURE,  /* later than now_ms + future_skew_ms */
	MSG_ERR_TS_TOO_OLD, /* earlier than now_ms - max_age_ms */
	MSG_ERR_BOOT_TYPE,  /* not an integer */
	MSG_ERR_BOOT_NEGATIVE,
	/* telemetry */
	MSG_ERR_METRICS_MISSING,
	MSG_ERR_METRICS_TYPE, /* "metrics" is not an object */
	MSG_ERR_METRICS_EMPTY,
	MSG_ERR_TOO_MANY_METRICS, /* more than limits.max_metrics */
	MSG_ERR_METRIC_NAME,      /* not [a-z0-9_]{1,64} */
	MSG_ERR_METRIC_STRING,    /* a metric value that is a string ("12.5") */
	MSG_ERR_METRIC_NULL,
	MSG_ERR_METRIC_ARRAY,
	MSG_ERR_METRIC_OBJECT,
	/* event and status */
	MSG_ERR_EVENT_MISSING,
	MSG_ERR_EVENT_TYPE, /* "event" is not a string */
	MSG_ERR_EVENT_NAME, /* not [a-z0-9_]{1,64} */
	MSG_ERR_STATE_MISSING,
	MSG_ERR_STATE_TYPE,             /* "state" is not a string */
	MSG_ERR_STATE_VALUE,            /* event: not active|cleared; status: not online|offline */
	MSG_ERR_DETAIL_TYPE,            /* "detail" is not an object */
	MSG_ERR_DETAIL_TOO_MANY_KEYS,   /* more than MSG_DETAIL_KEYS_MAX */
	MSG_ERR_DETAIL_KEY,             /* a key that is not [a-z0-9_]{1,64} */
	MSG_ERR_DETAIL_VALUE,           /* null, array or object: detail is flat */
	MSG_ERR_DETAIL_STRING_TOO_LONG, /* a string over MSG_DETAIL_STRING_MAX bytes */
	MSG_ERR_DETAIL_TOO_LARGE,       /* canonical text over MSG_DETAIL_JSON_MAX - 1 bytes */
	/* work-order request; _type: wrong JSON type, _value: outside the
	 * field's pattern, range or enum (see wo_request.schema.json) */
	MSG_ERR_TS_MISSING, /* where ts is required (wo_request) */
	MSG_ERR_IDEMPOTENCY_KEY_MISSING,
	MSG_ERR_IDEMPOTENCY_KEY_TYPE,
	MSG_ERR_IDEMPOTENCY_KEY_VALUE,
	MSG_ERR_SOURCE_MISSING,
	MSG_ERR_SOURCE_TYPE,
	MSG_ERR_SOURCE_VALUE,
	MSG_ERR_SITE_MISSING, /* where "site" is required (wo_request) */
	MSG_ERR_SITE_VALUE,   /* not an identifier (only reachable without a topic site) */
	MSG_ERR_DEVICE_TYPE,  /* where "device" is data, not identity: neither string nor null */
	MSG_ERR_DEVICE_VALUE,
	MSG_ERR_KIND_MISSING,
	MSG_ERR_KIND_TYPE,
	MSG_ERR_KIND_VALUE,
	MSG_ERR_PRIORITY_MISSING,
	MSG_ERR_PRIORITY_TYPE,
	MSG_ERR_PRIORITY_VALUE,
	MSG_ERR_SKILL_TYPE,
	MSG_ERR_SKILL_VALUE,
	MSG_ERR_ASSIGNEE_TYPE,
	MSG_ERR_ASSIGNEE_VALUE,
	MSG_ERR_TITLE_MISSING,
	MSG_ERR_TITLE_TYPE,
	MSG_ERR_TITLE_VALUE, /* empty or over MSG_TITLE_MAX bytes */
	MSG_ERR_ALARM_ID_MISSING,
	MSG_ERR_ALARM_ID_TYPE,
	MSG_ERR_ALARM_ID_VALUE,
	MSG_ERR_PLAN_ID_TYPE,
	MSG_ERR_PLAN_ID_VALUE,
	MSG_ERR_DUE_AT_TYPE,
	MSG_ERR_DUE_AT_NEGATIVE,
	MSG_ERR_SLA_START_MISSING,
	MSG_ERR_SLA_START_TYPE,
	MSG_ERR_SLA_START_NEGATIVE,
	MSG_ERR_MISSED_TYPE, /* not an integer */
	MSG_ERR_MISSED_NEGATIVE,
	/* ops command */
	MSG_ERR_VERB_UNKNOWN, /* the topic's verb is not one msg_decode_command knows */
	MSG_ERR_NOTE_TYPE,
	MSG_ERR_NOTE_TOO_LONG, /* over MSG_NOTE_MAX bytes */
	MSG_ERR_DURATION_MISSING,
	MSG_ERR_DURATION_TYPE,
	MSG_ERR_DURATION_RANGE, /* outside 1..MSG_SHELVE_MAX_S */
	/* work-order state (wo_brief) */
	MSG_ERR_WO_ID_MISSING,
	MSG_ERR_WO_ID_TYPE,
	MSG_ERR_WO_ID_VALUE,
	MSG_ERR_COMPLETED_AT_TYPE, /* not an integer */
	MSG_ERR_COMPLETED_AT_NEGATIVE,
	/* a daemon's stats (msg_decode_stats_counter) */
	MSG_ERR_COUNTERS_MISSING,
	MSG_ERR_COUNTERS_TYPE, /* "counters" is not an object */
	MSG_ERR_COUNTER_TYPE,  /* the counter asked for is not an integer */
	MSG_REASON_COUNT
};

/* What the caller allows; fill with msg_limits_default() and adjust. Time
 * checks compare ts with now_ms (UTC ms, read by the caller); set
 * future_skew_ms or max_age_ms to MSG_LIMIT_OFF to skip that check. */
struct msg_limits {
	size_t max_bytes; /* default MSG_DEFAULT_MAX_BYTES */
	int max_metrics;  /* 1..MSG_METRICS_MAX; other values mean MSG_METRICS_MAX */
	long long now_ms;
	long long future_skew_ms; /* default 300000 (5 min) */
	long long max_age_ms;     /* default 90 days */
};

struct msg_telemetry_metric {
	char name[MSG_NAME_MAX + 1];
	double value; /* finite; a boolean is 1.0 or 0.0 */
	int is_bool;
};

/* seq is 0..2^63-1 in every device message: JSON integers are read as signed
 * 64-bit, so a larger seq is number_overflow. */
struct msg_telemetry {
	long long seq;
	long long ts_ms; /* valid if has_ts; else the caller uses receipt time */
	int has_ts;
	long long boot; /* restart counter, valid if has_boot */
	int has_boot;
	int n_metrics; /* 1..MSG_METRICS_MAX, in payload order */
	struct msg_telemetry_metric metrics[MSG_METRICS_MAX];
};

enum msg_event_state { MSG_EVENT_ACTIVE, MSG_EVENT_CLEARED };

struct msg_event {
	long long seq;
	long long ts_ms;
	int has_ts;
	long long boot;
	int has_boot;
	char event[MSG_NAME_MAX + 1];
	enum msg_event_state state;
	int has_detail;
	/* Compact JSON with sorted keys (ready for a jsonb column); "" if absent. */
	char detail_json[MSG_DETAIL_JSON_MAX];
};

enum msg_status_state { MSG_STATUS_ONLINE, MSG_STATUS_OFFLINE };

struct msg_status {
	enum msg_status_state state;
	long long ts_ms;
	int has_ts;
};

/* Defaults (see struct msg_limits) with the given clock reading. */
void
msg_limits_default(struct msg_limits *lim, long long now_ms);

/* Decoders. buf: len bytes (need not be NUL-terminated; may be NULL if len
 * is 0). lim: NULL means the defaults with both time checks off.
 * expect_site/expect_device: the topic's identifiers; a payload "site" or
 * "device" field must equal them (NULL: only its type is checked). On MSG_OK
 * *out is filled; otherwise *out is zeroed. Nothing is allocated that
 * outlives the call. */
enum msg_reason
msg_decode_telemetry(const char *buf, size_t len, const struct msg_limits *lim,
		     const char *expect_site, const char *expect_device, struct msg_telemetry *out);

enum msg_reason
msg_decode_event(const char *buf, size_t len, const struct msg_limits *lim, const char *expect_site,
		 const char *expect_device, struct msg_event *out);

enum msg_reason
msg_decode_status(const char *buf, size_t len, const struct msg_limits *lim,
		  const char *expect_site, const char *expect_device, struct msg_status *out);

/* "ok", "too_large", ...; "unknown" for values out of range. */
const char *
msg_reason_name(enum msg_reason r);

const char *
msg_event_state_name(enum msg_event_state s);

const char *
msg_status_state_name(enum msg_status_state s);

/* ---- Encoders -------------------------------------------------------
 * Each writes compact JSON and a NUL into buf (cap bytes) and returns the
 * length without the NUL, or -1 if the input is invalid (as documented per
 * encoder; any string that is not UTF-8 included) or the text does not fit
 * (buf is then "" if cap > 0). Every real reads back as the same double: one
 * precision per message, the fewest digits its most demanding real needs. */

/* CLOSED: the final alarm-log entry of a closed alarm. */
enum msg_alarm_state { MSG_ALARM_ACTIVE, MSG_ALARM_CLEARED, MSG_ALARM_CLOSED };

enum msg_alarm_transition {
	MSG_TR_RAISED,
	MSG_TR_ACKED,
	MSG_TR_CLEARED,
	MSG_TR_ESCALATED,
	MSG_TR_REMINDED,
	MSG_TR_SHELVED,
	MSG_TR_CLOSED,
	MSG_TR_UNSHELVED,
	MSG_TR_FLAPPING,
	MSG_TR_SUPPRESSED,
	MSG_TR_UNSUPPRESSED,
	MSG_TR_COUNT
};

/* An alarm as published on fm/v1/{site}/alarm/{id} and alarm-log. Strings are
 * borrowed for the call; the NULL-able ones are written as JSON null.
 * alarm_id, site, device, acked_by, wo_id, suppressed_by and actor are
 * identifiers ([A-Za-z0-9_-]{1,64}, as in topics); rule, message and note
 * are free text. Times are UTC ms. */
struct msg_alarm {
	const char *alarm_id; /* required */
	const char *site;     /* required */
	const char *device;   /* required */
	const char *rule;     /* required */
	int severity;         /* 1 (I, most severe) .. 4 (IV) */
	enum msg_alarm_state state;
	int acked;
	const char *acked_by; /* NULL -> null */
	long long raised_at_ms;
	long long cleared_at_ms; /* written only if has_cleared_at, else null */
	int has_cleared_at;
	double value; /* written only if has_value (finite), else null */
	int has_value;
	const char *message; /* NULL -> null */
	enum msg_alarm_transition transition;
	int escalation_level;  /* >= 0 */
	const char *wo_id;     /* NULL -> null */
	long long acked_at_ms; /* >= 0, written only if has_acked_at, else null */
	int has_acked_at;
	long long shelved_until_ms; /* >= 0, written only if has_shelved_until, else null */
	int has_shelved_until;
	const char *suppressed_by; /* the alarm that suppresses this one; NULL -> null */
	int expected;              /* expected by maintenance: a boolean, always written */
	const char *actor;         /* who caused this transition; NULL -> null */
	const char *note;          /* at most MSG_NOTE_MAX bytes; NULL -> null */
	long long ts_ms;           /* >= 0: when this transition happened */
};

/* One stats counter: name (borrowed) and value. */
struct msg_counter {
	const char *name;
	long long value;
};

/* Field order as in architecture.md, then acked_at, shelved_until,
 * suppressed_by, expected, actor, note, ts. -1 also for a missing required
 * string, an invalid identifier, an empty rule, severity outside 1..4, a
 * negative escalation_level or time, a non-finite value or a long note. */
int
msg_encode_alarm(const struct msg_alarm *a, char *buf, size_t cap);

/* {"seq":..,"ts":..,"boot":..,"metrics":{...}}; ts and boot only if has_*.
 * -1 also when the message would not decode: bad names, n_metrics outside
 * 1..MSG_METRICS_MAX, non-finite values, negative seq/ts/boot, a name twice. */
int
msg_encode_telemetry(const struct msg_telemetry *t, char *buf, size_t cap);

/* {"seq":..,"ts":..,"boot":..,"event":..,"state":..,"detail":{...}}; detail
 * only if has_detail (its detail_json must then be a flat JSON object). Same
 * validity rule as msg_encode_telemetry. */
int
msg_encode_event(const struct msg_event *e, char *buf, size_t cap);

/* {"state":"online"|"offline","ts":..}; ts only if has_ts. */
int
msg_encode_status(const struct msg_status *s, char *buf, size_t cap);

/* {"daemon":..,"instance":..,"ts":..,"counters":{"name":value,...}} for
 * fm/v1/_sys/{daemon}/{instance}. Counter names must be non-empty and
 * distinct; n may be 0. */
int
msg_encode_stats(const char *daemon, const char *instance, long long ts_ms,
		 const struct msg_counter *counters, int n, char *buf, size_t cap);

const char *
msg_alarm_state_name(enum msg_alarm_state s);

const char *
msg_transition_name(enum msg_alarm_transition t);

/* ---- Operations payloads (alertd, schedd, dispatchd, people) ---------- */

enum msg_notify_kind {
	MSG_NOTIFY_ALARM,
	MSG_NOTIFY_REMINDER,
	MSG_NOTIFY_ESCALATION,
	MSG_NOTIFY_REJECTED, /* a command refused: verb and reason say which and why */
	MSG_NOTIFY_ACCEPTED, /* a command carried out: verb says which */
	MSG_NOTIFY_INFO,
	MSG_NOTIFY_COUNT
};

/* A notification on fm/v1/{site}/notify/{person}. Strings are borrowed for
 * the call; NULL is written as null. site, person, alarm_id, device and verb
 * are identifiers; rule (non-empty), message and reason are free text. */
struct msg_notification {
	long long ts_ms; /* >= 0 */
	const char *site;
	const char *person;
	enum msg_notify_kind kind;
	const char *alarm_id;
	const char *device;
	const char *rule;
	int severity;         /* 1..4; 0 -> null */
	int escalation_level; /* >= 0, written only if has_escalation_level, else null */
	int has_escalation_level;
	const char *message;
	const char *verb;   /* required for rejected and accepted */
	const char *reason; /* required for rejected */
};

/* {"ts","site","person","kind","alarm_id","device","rule","severity",
 * "escalation_level","message","verb","reason"}, every field present. */
int
msg_encode_notification(const struct msg_notification *n, char *buf, size_t cap);

const char *
msg_notify_kind_name(enum msg_notify_kind k);

enum msg_wo_source { MSG_WO_SRC_ALERTD, MSG_WO_SRC_SCHEDD, MSG_WO_SRC_OPS, MSG_WO_SRC_COUNT };

enum msg_wo_kind {
	MSG_WO_EQUIPMENT_FAULT,
	MSG_WO_FACILITY_REPAIR,
	MSG_WO_EMERGENCY,
	MSG_WO_PREVENTIVE,
	MSG_WO_INSPECTION,
	MSG_WO_REPAIR_REQUEST,
	MSG_WO_COMPLAINT,
	MSG_WO_KIND_COUNT
};

enum msg_wo_priority { MSG_WO_PRIO_EMERGENCY, MSG_WO_PRIO_ORDINARY, MSG_WO_PRIO_COUNT };

/* A work-order request on fm/v1/{site}/wo-request, decoded by dispatchd and
 * encoded by alertd, schedd and fmctl. Identifier fields that may be null
 * are "" for null (an identifier is never empty). */
struct msg_wo_request {
	char idempotency_key[MSG_KEY_MAX + 1]; /* a retried request carries the same key */
	long long ts_ms;
	enum msg_wo_source source;
	char site[MSG_ID_MAX + 1];
	char device[MSG_ID_MAX + 1];
	enum msg_wo_kind kind;
	enum msg_wo_priority priority;
	char skill[MSG_ID_MAX + 1];
	char assignee[MSG_ID_MAX + 1];
	char title[MSG_TITLE_MAX + 1]; /* 1..MSG_TITLE_MAX bytes of UTF-8 */
	char alarm_id[MSG_ID_MAX + 1];
	char plan_id[MSG_ID_MAX + 1];
	long long due_at_ms; /* valid if has_due_at */
	int has_due_at;
	long long sla_start_ms; /* when the SLA clocks start */
	/* schedd: occurrences a downtime skipped that this request stands for
	 * (>= 0); written only if has_missed (an optional field, absent for
	 * other sources) */
	long long missed;
	int has_missed;
};

/* As the other decoders; expect_site is the topic's site. ts is required
 * and checked against the limits' clock; due_at and sla_start only for
 * sign. A nullable field may also be absent. */
enum msg_reason
msg_decode_wo_request(const char *buf, size_t len, const struct msg_limits *lim,
		      const char *expect_site, struct msg_wo_request *out);

/* Every field written, null where absent (but missed, written only if
 * has_missed); -1 when the result would not decode (checked by decoding
 * it). */
int
msg_encode_wo_request(const struct msg_wo_request *r, char *buf, size_t cap);

const char *
msg_wo_source_name(enum msg_wo_source s);

const char *
msg_wo_kind_name(enum msg_wo_kind k);

const char *
msg_wo_priority_name(enum msg_wo_priority p);

enum msg_verb { MSG_VERB_ACK, MSG_VERB_SHELVE };

/* A person's command on fm/v1/{site}/ops/{person}/{verb}. Who sent it is the
 * topic's {person} (bound by the broker's ACL), never a payload field. */
struct msg_command {
	enum msg_verb verb;
	char alarm_id[MSG_ID_MAX + 1];
	char note[MSG_NOTE_MAX + 1]; /* "" if absent */
	int has_note;
	int duration_s; /* shelve: 1..MSG_SHELVE_MAX_S; ack: 0 */
	long long ts_ms;
	int has_ts;
};

/* verb: the topic's verb, "ack" or "shelve" (else MSG_ERR_VERB_UNKNOWN,
 * checked first). ack: {alarm_id, note?, ts?}; shelve adds the required
 * duration_s. Any other field is unknown_field. */
enum msg_reason
msg_decode_command(const char *buf, size_t len, const struct msg_limits *lim, const char *verb,
		   struct msg_command *out);

/* What alertd needs of the retained work order on fm/v1/{site}/wo/{wo_id}.
 * Lenient: fields other than these three are ignored, since the work-order
 * payload is dispatchd's and will grow. */
struct msg_wo_brief {
	char wo_id[MSG_ID_MAX + 1];
	char device[MSG_ID_MAX + 1];      /* "" if absent or null */
	char state[MSG_WO_STATE_MAX + 1]; /* [a-z_]{1,32} */
	/* schedd closes its loop with these: "" / 0 if absent or null */
	char plan_id[MSG_ID_MAX + 1];
	char idempotency_key[MSG_KEY_MAX + 1];
	long long completed_at_ms; /* valid if has_completed_at */
	int has_completed_at;
};

/* An empty payload (the closed tombstone) is MSG_ERR_EMPTY: callers handle
 * len 0 before calling. Bad JSON, duplicate keys and wrong types or values
 * of wo_id, device and state are rejected. */
enum msg_reason
msg_decode_wo_brief(const char *buf, size_t len, const struct msg_limits *lim,
		    struct msg_wo_brief *out);

/* One counter of a daemon's retained stats on fm/v1/_sys/{daemon}/{instance}
 * (msg_encode_stats): has_value 0 when the daemon does not report it (an
 * older version). "daemon" and "instance" must match the topic's; the
 * other counters are not looked at. */
struct msg_stats_counter {
	long long ts_ms; /* valid if has_ts */
	int has_ts;
	long long value; /* valid if has_value */
	int has_value;
};

enum msg_reason
msg_decode_stats_counter(const char *buf, size_t len, const struct msg_limits *lim,
			 const char *expect_daemon, const char *expect_instance,
			 const char *counter, struct msg_stats_counter *out);

#endif
