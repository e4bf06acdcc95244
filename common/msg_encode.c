/* msg_encode.c — builds the JSON that daemons and the simulator publish
 * (alarm, telemetry, event, status, stats) into caller buffers, and the
 * building blocks msg_encode_ops.c shares. jansson does the escaping; trees
 * are built and freed within each call. Refuses input that would not decode,
 * so nothing we publish can be rejected by our own decoders. */
#include "msg.h"
#include "msg_int.h"

#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const transition_names[MSG_TR_COUNT] = {
	[MSG_TR_RAISED] = "raised",
	[MSG_TR_ACKED] = "acked",
	[MSG_TR_CLEARED] = "cleared",
	[MSG_TR_ESCALATED] = "escalated",
	[MSG_TR_REMINDED] = "reminded",
	[MSG_TR_SHELVED] = "shelved",
	[MSG_TR_CLOSED] = "closed",
	[MSG_TR_UNSHELVED] = "unshelved",
	[MSG_TR_FLAPPING] = "flapping",
	[MSG_TR_SUPPRESSED] = "suppressed",
	[MSG_TR_UNSUPPRESSED] = "unsuppressed",
};

static const char *const alarm_state_names[] = {
	[MSG_ALARM_ACTIVE] = "active",
	[MSG_ALARM_CLEARED] = "cleared",
	[MSG_ALARM_CLOSED] = "closed",
};

#define N_ALARM_STATES ((unsigned)(sizeof(alarm_state_names) / sizeof(alarm_state_names[0])))

const char *
msg_alarm_state_name(enum msg_alarm_state s)
{
	if ((unsigned)s >= N_ALARM_STATES)
		return "unknown";
	return alarm_state_names[s];
}

const char *
msg_transition_name(enum msg_alarm_transition t)
{
	if ((unsigned)t >= MSG_TR_COUNT)
		return "unknown";
	return transition_names[t];
}

int
msg_real_digits(double v)
{
	char tmp[40];
	double mag = v < 0 ? -v : v;
	int p = 1, int_digits = 0;

	for (; p < 17; p++) {
		snprintf(tmp, sizeof(tmp), "%.*g", p, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	/* %g switches to an exponent when the integer part has more digits
	 * than the precision: 100 would read "1e2". Keep integers readable. */
	while (mag >= 1.0 && int_digits < 17) {
		mag /= 10;
		int_digits++;
	}
	return int_digits > p ? int_digits : p;
}

int
msg_reject(char *buf, size_t cap)
{
	if (cap > 0)
		buf[0] = '\0';
	return -1;
}

int
msg_finish(json_t *root, int failed, int digits, char *buf, size_t cap)
{
	size_t n = 0;

	if (root != NULL && !failed)
		n = json_dumpb(root, buf, cap, JSON_COMPACT | JSON_REAL_PRECISION(digits));
	json_decref(root);
	if (n == 0 || n >= cap || n > INT_MAX)
		return msg_reject(buf, cap);
	buf[n] = '\0';
	return (int)n;
}

int
msg_put(json_t *obj, const char *key, json_t *v)
{
	if (obj == NULL) {
		json_decref(v);
		return 1;
	}
	return json_object_set_new(obj, key, v) != 0;
}

json_t *
msg_string_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
real_value(double v, int *digits)
{
	int d = msg_real_digits(v);

	if (d > *digits)
		*digits = d;
	return json_real(v);
}

/* An identifier or NULL: the nullable identifier fields. */
static int
opt_id_valid(const char *s)
{
	return s == NULL || msg_id_valid(s);
}

/* Everything msg_encode_alarm refuses before building; strings' UTF-8 is
 * checked by the JSON constructors. */
static int
alarm_valid(const struct msg_alarm *a)
{
	return a->alarm_id != NULL && msg_id_valid(a->alarm_id) && a->site != NULL &&
	       msg_id_valid(a->site) && a->device != NULL && msg_id_valid(a->device) &&
	       opt_id_valid(a->acked_by) && opt_id_valid(a->wo_id) &&
	       opt_id_valid(a->suppressed_by) && opt_id_valid(a->actor) && a->rule != NULL &&
	       a->rule[0] != '\0' && a->severity >= 1 && a->severity <= 4 &&
	       (unsigned)a->state < N_ALARM_STATES && (unsigned)a->transition < MSG_TR_COUNT &&
	       a->escalation_level >= 0 && (!a->has_value || isfinite(a->value)) &&
	       (!a->has_acked_at || a->acked_at_ms >= 0) &&
	       (!a->has_shelved_until || a->shelved_until_ms >= 0) && a->ts_ms >= 0 &&
	       a->raised_at_ms >= 0 && (!a->has_cleared_at || a->cleared_at_ms >= 0) &&
	       (a->note == NULL || strlen(a->note) <= MSG_NOTE_MAX);
}

static json_t *
ms_or_null(int has, long long ms)
{
	return has ? json_integer(ms) : json_null();
}

int
msg_encode_alarm(const struct msg_alarm *a, char *buf, size_t cap)
{
	json_t *root;
	int bad = 0, digits = 1;

	if (!alarm_valid(a))
		return msg_reject(buf, cap);
	root = json_object();
	bad |= msg_put(root, "alarm_id", json_string(a->alarm_id));
	bad |= msg_put(root, "site", json_string(a->site));
	bad |= msg_put(root, "device", json_string(a->device));
	bad |= msg_put(root, "rule", json_string(a->rule));
	bad |= msg_put(root, "severity", json_integer(a->severity));
	bad |= msg_put(root, "state", json_string(alarm_state_names[a->state]));
	bad |= msg_put(root, "acked", json_boolean(a->acked));
	bad |= msg_put(root, "acked_by", msg_string_or_null(a->acked_by));
	bad |= msg_put(root, "raised_at", json_integer(a->raised_at_ms));
	bad |= msg_put(root, "cleared_at", ms_or_null(a->has_cleared_at, a->cleared_at_ms));
	bad |= msg_put(root, "value", a->has_value ? real_value(a->value, &digits) : json_null());
	bad |= msg_put(root, "message", msg_string_or_null(a->message));
	bad |= msg_put(root, "transition", json_string(transition_names[a->transition]));
	bad |= msg_put(root, "escalation_level", json_integer(a->escalation_level));
	bad |= msg_put(root, "wo_id", msg_string_or_null(a->wo_id));
	bad |= msg_put(root, "acked_at", ms_or_null(a->has_acked_at, a->acked_at_ms));
	bad |= msg_put(root, "shelved_until",
		       ms_or_null(a->has_shelved_until, a->shelved_until_ms));
	bad |= msg_put(root, "suppressed_by", msg_string_or_null(a->suppressed_by));
	bad |= msg_put(root, "expected", json_boolean(a->expected));
	bad |= msg_put(root, "actor", msg_string_or_null(a->actor));
	bad |= msg_put(root, "note", msg_string_or_null(a->note));
	bad |= msg_put(root, "ts", json_integer(a->ts_ms));
	return msg_finish(root, bad, digits, buf, cap);
}

/* seq, ts, boot in that order; -1 if any is negative. */
static int
put_head(json_t *root, long long seq, int has_ts, long long ts_ms, int has_boot, long long boot)
{
	int bad = 0;

	if (seq < 0 || (has_ts && ts_ms < 0) || (has_boot && boot < 0))
		return 1;
	bad |= msg_put(root, "seq", json_integer(seq));
	if (has_ts)
		bad |= msg_put(root, "ts", json_integer(ts_ms));
	if (has_boot)
		bad |= msg_put(root, "boot", json_integer(boot));
	return bad;
}

int
msg_encode_telemetry(const struct msg_telemetry *t, char *buf, size_t cap)
{
	json_t *root, *metrics;
	int bad = 0, digits = 1;

	if (t->n_metrics < 1 || t->n_metrics > MSG_METRICS_MAX)
		return msg_reject(buf, cap);
	root = json_object();
	metrics = json_object();
	bad |= put_head(root, t->seq, t->has_ts, t->ts_ms, t->has_boot, t->boot);
	for (int i = 0; i < t->n_metrics && !bad; i++) {
		const struct msg_telemetry_metric *m = &t->metrics[i];

		if (!msg_name_valid(m->name) || !isfinite(m->value)) {
			bad = 1;
			break;
		}
		bad |= msg_put(metrics, m->name,
			       m->is_bool ? json_boolean(m->value != 0.0)
					  : real_value(m->value, &digits));
	}
	/* A name given twice would silently overwrite the first. */
	if (metrics != NULL && json_object_size(metrics) != (size_t)t->n_metrics)
		bad = 1;
	bad |= msg_put(root, "metrics", metrics);
	return msg_finish(root, bad, digits, buf, cap);
}

int
msg_encode_event(const struct msg_event *e, char *buf, size_t cap)
{
	struct msg_event check;
	json_t *root, *detail = NULL, *v;
	const char *key;
	int bad = 0, digits = 1, n;

	if (e->state != MSG_EVENT_ACTIVE && e->state != MSG_EVENT_CLEARED)
		return msg_reject(buf, cap);
	if (e->has_detail) {
		detail = json_loadb(e->detail_json, strnlen(e->detail_json, sizeof(e->detail_json)),
				    JSON_REJECT_DUPLICATES, NULL);
		if (detail == NULL)
			return msg_reject(buf, cap);
		json_object_foreach(detail, key,
				    v) if (json_is_real(v) &&
					   msg_real_digits(json_real_value(v)) > digits) digits =
			msg_real_digits(json_real_value(v));
	}
	root = json_object();
	bad |= put_head(root, e->seq, e->has_ts, e->ts_ms, e->has_boot, e->boot);
	bad |= msg_put(root, "event", json_string(e->event));
	bad |= msg_put(root, "state", json_string(msg_event_state_name(e->state)));
	if (detail != NULL)
		bad |= msg_put(root, "detail", detail);
	n = msg_finish(root, bad, digits, buf, cap);
	/* The detail rules (flat, key names, sizes) live in the decoder; ask it
	 * rather than keep a second copy of them here. */
	if (n >= 0 && msg_decode_event(buf, (size_t)n, NULL, NULL, NULL, &check) != MSG_OK)
		return msg_reject(buf, cap);
	return n;
}

int
msg_encode_status(const struct msg_status *s, char *buf, size_t cap)
{
	json_t *root;
	int bad = 0;

	if ((s->state != MSG_STATUS_ONLINE && s->state != MSG_STATUS_OFFLINE) ||
	    (s->has_ts && s->ts_ms < 0))
		return msg_reject(buf, cap);
	root = json_object();
	bad |= msg_put(root, "state", json_string(msg_status_state_name(s->state)));
	if (s->has_ts)
		bad |= msg_put(root, "ts", json_integer(s->ts_ms));
	return msg_finish(root, bad, 1, buf, cap);
}

int
msg_encode_stats(const char *daemon, const char *instance, long long ts_ms,
		 const struct msg_counter *counters, int n, char *buf, size_t cap)
{
	json_t *root, *obj;
	int bad = 0;

	if (daemon == NULL || instance == NULL || n < 0 || (n > 0 && counters == NULL))
		return msg_reject(buf, cap);
	root = json_object();
	obj = json_object();
	bad |= msg_put(root, "daemon", json_string(daemon));
	bad |= msg_put(root, "instance", json_string(instance));
	bad |= msg_put(root, "ts", json_integer(ts_ms));
	for (int i = 0; i < n && !bad; i++) {
		if (counters[i].name == NULL || counters[i].name[0] == '\0') {
			bad = 1;
			break;
		}
		bad |= msg_put(obj, counters[i].name, json_integer(counters[i].value));
	}
	if (obj != NULL && json_object_size(obj) != (size_t)n)
		bad = 1;
	bad |= msg_put(root, "counters", obj);
	return msg_finish(root, bad, 1, buf, cap);
}
