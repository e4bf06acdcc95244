/* msg_reason.c — the names and defaults of the msg module that need no JSON
 * library: reason names (stable: they are quarantine reasons and counter
 * names), state and enum names, default limits and the character patterns
 * shared by the decoders and the encoders. Pure. */
#include "msg.h"
#include "msg_int.h"

#include <string.h>

#define DAY_MS 86400000LL

static const char *const reason_names[MSG_REASON_COUNT] = {
	[MSG_OK] = "ok",
	[MSG_ERR_EMPTY] = "empty",
	[MSG_ERR_TOO_LARGE] = "too_large",
	[MSG_ERR_BAD_JSON] = "bad_json",
	[MSG_ERR_BAD_UTF8] = "bad_utf8",
	[MSG_ERR_STRING_NUL] = "string_nul",
	[MSG_ERR_DUPLICATE_KEY] = "duplicate_key",
	[MSG_ERR_TOO_DEEP] = "too_deep",
	[MSG_ERR_NUMBER_OVERFLOW] = "number_overflow",
	[MSG_ERR_NUMBER_NONFINITE] = "number_nonfinite",
	[MSG_ERR_NO_MEMORY] = "no_memory",
	[MSG_ERR_NOT_OBJECT] = "not_object",
	[MSG_ERR_UNKNOWN_FIELD] = "unknown_field",
	[MSG_ERR_IDENTITY_TYPE] = "identity_type",
	[MSG_ERR_IDENTITY_MISMATCH] = "identity_mismatch",
	[MSG_ERR_SEQ_MISSING] = "seq_missing",
	[MSG_ERR_SEQ_TYPE] = "seq_type",
	[MSG_ERR_SEQ_NEGATIVE] = "seq_negative",
	[MSG_ERR_TS_TYPE] = "ts_type",
	[MSG_ERR_TS_NEGATIVE] = "ts_negative",
	[MSG_ERR_TS_FUTURE] = "ts_future",
	[MSG_ERR_TS_TOO_OLD] = "ts_too_old",
	[MSG_ERR_BOOT_TYPE] = "boot_type",
	[MSG_ERR_BOOT_NEGATIVE] = "boot_negative",
	[MSG_ERR_METRICS_MISSING] = "metrics_missing",
	[MSG_ERR_METRICS_TYPE] = "metrics_type",
	[MSG_ERR_METRICS_EMPTY] = "metrics_empty",
	[MSG_ERR_TOO_MANY_METRICS] = "too_many_metrics",
	[MSG_ERR_METRIC_NAME] = "metric_name",
	[MSG_ERR_METRIC_STRING] = "metric_string",
	[MSG_ERR_METRIC_NULL] = "metric_null",
	[MSG_ERR_METRIC_ARRAY] = "metric_array",
	[MSG_ERR_METRIC_OBJECT] = "metric_object",
	[MSG_ERR_EVENT_MISSING] = "event_missing",
	[MSG_ERR_EVENT_TYPE] = "event_type",
	[MSG_ERR_EVENT_NAME] = "event_name",
	[MSG_ERR_STATE_MISSING] = "state_missing",
	[MSG_ERR_STATE_TYPE] = "state_type",
	[MSG_ERR_STATE_VALUE] = "state_value",
	[MSG_ERR_DETAIL_TYPE] = "detail_type",
	[MSG_ERR_DETAIL_TOO_MANY_KEYS] = "detail_too_many_keys",
	[MSG_ERR_DETAIL_KEY] = "detail_key",
	[MSG_ERR_DETAIL_VALUE] = "detail_value",
	[MSG_ERR_DETAIL_STRING_TOO_LONG] = "detail_string_too_long",
	[MSG_ERR_DETAIL_TOO_LARGE] = "detail_too_large",
	[MSG_ERR_TS_MISSING] = "ts_missing",
	[MSG_ERR_IDEMPOTENCY_KEY_MISSING] = "idempotency_key_missing",
	[MSG_ERR_IDEMPOTENCY_KEY_TYPE] = "idempotency_key_type",
	[MSG_ERR_IDEMPOTENCY_KEY_VALUE] = "idempotency_key_value",
	[MSG_ERR_SOURCE_MISSING] = "source_missing",
	[MSG_ERR_SOURCE_TYPE] = "source_type",
	[MSG_ERR_SOURCE_VALUE] = "source_value",
	[MSG_ERR_SITE_MISSING] = "site_missing",
	[MSG_ERR_SITE_VALUE] = "site_value",
	[MSG_ERR_DEVICE_TYPE] = "device_type",
	[MSG_ERR_DEVICE_VALUE] = "device_value",
	[MSG_ERR_KIND_MISSING] = "kind_missing",
	[MSG_ERR_KIND_TYPE] = "kind_type",
	[MSG_ERR_KIND_VALUE] = "kind_value",
	[MSG_ERR_PRIORITY_MISSING] = "priority_missing",
	[MSG_ERR_PRIORITY_TYPE] = "priority_type",
	[MSG_ERR_PRIORITY_VALUE] = "priority_value",
	[MSG_ERR_SKILL_TYPE] = "skill_type",
	[MSG_ERR_SKILL_VALUE] = "skill_value",
	[MSG_ERR_ASSIGNEE_TYPE] = "assignee_type",
	[MSG_ERR_ASSIGNEE_VALUE] = "assignee_value",
	[MSG_ERR_TITLE_MISSING] = "title_missing",
	[MSG_ERR_TITLE_TYPE] = "title_type",
	[MSG_ERR_TITLE_VALUE] = "title_value",
	[MSG_ERR_ALARM_ID_MISSING] = "alarm_id_missing",
	[MSG_ERR_ALARM_ID_TYPE] = "alarm_id_type",
	[MSG_ERR_ALARM_ID_VALUE] = "alarm_id_value",
	[MSG_ERR_PLAN_ID_TYPE] = "plan_id_type",
	[MSG_ERR_PLAN_ID_VALUE] = "plan_id_value",
	[MSG_ERR_DUE_AT_TYPE] = "due_at_type",
	[MSG_ERR_DUE_AT_NEGATIVE] = "due_at_negative",
	[MSG_ERR_SLA_START_MISSING] = "sla_start_missing",
	[MSG_ERR_SLA_START_TYPE] = "sla_start_type",
	[MSG_ERR_SLA_START_NEGATIVE] = "sla_start_negative",
	[MSG_ERR_MISSED_TYPE] = "missed_type",
	[MSG_ERR_MISSED_NEGATIVE] = "missed_negative",
	[MSG_ERR_VERB_UNKNOWN] = "verb_unknown",
	[MSG_ERR_NOTE_TYPE] = "note_type",
	[MSG_ERR_NOTE_TOO_LONG] = "note_too_long",
	[MSG_ERR_DURATION_MISSING] = "duration_missing",
	[MSG_ERR_DURATION_TYPE] = "duration_type",
	[MSG_ERR_DURATION_RANGE] = "duration_range",
	[MSG_ERR_WO_ID_MISSING] = "wo_id_missing",
	[MSG_ERR_WO_ID_TYPE] = "wo_id_type",
	[MSG_ERR_WO_ID_VALUE] = "wo_id_value",
	[MSG_ERR_COMPLETED_AT_TYPE] = "completed_at_type",
	[MSG_ERR_COMPLETED_AT_NEGATIVE] = "completed_at_negative",
	[MSG_ERR_COUNTERS_MISSING] = "counters_missing",
	[MSG_ERR_COUNTERS_TYPE] = "counters_type",
	[MSG_ERR_COUNTER_TYPE] = "counter_type",
};

/* The wire names of the work-order enums, shared by encoder and decoder. */
const char *const msg_wo_source_names[MSG_WO_SRC_COUNT] = {
	[MSG_WO_SRC_ALERTD] = "alertd",
	[MSG_WO_SRC_SCHEDD] = "schedd",
	[MSG_WO_SRC_OPS] = "ops",
};

const char *const msg_wo_kind_names[MSG_WO_KIND_COUNT] = {
	[MSG_WO_EQUIPMENT_FAULT] = "equipment_fault",
	[MSG_WO_FACILITY_REPAIR] = "facility_repair",
	[MSG_WO_EMERGENCY] = "emergency",
	[MSG_WO_PREVENTIVE] = "preventive",
	[MSG_WO_INSPECTION] = "inspection",
	[MSG_WO_REPAIR_REQUEST] = "repair_request",
	[MSG_WO_COMPLAINT] = "complaint",
};

const char *const msg_wo_priority_names[MSG_WO_PRIO_COUNT] = {
	[MSG_WO_PRIO_EMERGENCY] = "emergency",
	[MSG_WO_PRIO_ORDINARY] = "ordinary",
};

const char *
msg_reason_name(enum msg_reason r)
{
	if ((unsigned)r >= MSG_REASON_COUNT)
		return "unknown";
	return reason_names[r];
}

/* names[i] for 0 <= i < n, else "unknown". */
static const char *
name_at(const char *const *names, int n, int i)
{
	return i >= 0 && i < n ? names[i] : "unknown";
}

const char *
msg_wo_source_name(enum msg_wo_source s)
{
	return name_at(msg_wo_source_names, MSG_WO_SRC_COUNT, (int)s);
}

const char *
msg_wo_kind_name(enum msg_wo_kind k)
{
	return name_at(msg_wo_kind_names, MSG_WO_KIND_COUNT, (int)k);
}

const char *
msg_wo_priority_name(enum msg_wo_priority p)
{
	return name_at(msg_wo_priority_names, MSG_WO_PRIO_COUNT, (int)p);
}

int
msg_name_index(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *
msg_event_state_name(enum msg_event_state s)
{
	return s == MSG_EVENT_ACTIVE ? "active" : s == MSG_EVENT_CLEARED ? "cleared" : "unknown";
}

const char *
msg_status_state_name(enum msg_status_state s)
{
	return s == MSG_STATUS_ONLINE ? "online" : s == MSG_STATUS_OFFLINE ? "offline" : "unknown";
}

void
msg_limits_default(struct msg_limits *lim, long long now_ms)
{
	lim->max_bytes = MSG_DEFAULT_MAX_BYTES;
	lim->max_metrics = MSG_METRICS_MAX;
	lim->now_ms = now_ms;
	lim->future_skew_ms = 5 * 60 * 1000LL;
	lim->max_age_ms = 90 * DAY_MS;
}

/* 1 if s is 1..max characters, each a lower-case letter, an upper-case one
 * if upper, a digit if digits, or one of punct. */
static int
charset_valid(const char *s, size_t max, int upper, int digits, const char *punct)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++) {
		char c = s[n];
		if (n == max || !((c >= 'a' && c <= 'z') || (upper && c >= 'A' && c <= 'Z') ||
				  (digits && c >= '0' && c <= '9') || strchr(punct, c) != NULL))
			return 0;
	}
	return n > 0;
}

int
msg_name_valid(const char *s)
{
	return charset_valid(s, MSG_NAME_MAX, 0, 1, "_");
}

int
msg_id_valid(const char *s)
{
	return charset_valid(s, MSG_ID_MAX, 1, 1, "_-");
}

int
msg_key_valid(const char *s)
{
	return charset_valid(s, MSG_KEY_MAX, 1, 1, "_:.-");
}

int
msg_wo_state_valid(const char *s)
{
	return charset_valid(s, MSG_WO_STATE_MAX, 0, 0, "_");
}
