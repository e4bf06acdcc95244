/* msg_reason.c — the names and defaults of the msg module that need no JSON
 * library: reason names (stable: they are quarantine reasons and counter
 * names), state names, default limits and the name pattern shared by the
 * decoder and the encoders. Pure. */
#include "msg.h"
#include "msg_int.h"

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
};

const char *
msg_reason_name(enum msg_reason r)
{
	if ((unsigned)r >= MSG_REASON_COUNT)
		return "unknown";
	return reason_names[r];
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

int
msg_name_valid(const char *s)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++) {
		char c = s[n];
		if (n == MSG_NAME_MAX ||
		    !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return n > 0;
}

int
msg_id_valid(const char *s)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++) {
		char c = s[n];
		if (n == MSG_ID_MAX || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
					 (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return 0;
	}
	return n > 0;
}
