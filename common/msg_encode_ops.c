/* msg_encode_ops.c — builds the operations payloads daemons publish to
 * people and to each other: notifications (fm/v1/{site}/notify/{person}) and
 * work-order requests (fm/v1/{site}/wo-request). Every field is written,
 * null where absent, so readers never guess a default. Refuses input that
 * would not pass the schema (and, for requests, our own decoder). */
#include "msg.h"
#include "msg_int.h"

#include <jansson.h>
#include <string.h>

static const char *const notify_kind_names[MSG_NOTIFY_COUNT] = {
	[MSG_NOTIFY_ALARM] = "alarm",           [MSG_NOTIFY_REMINDER] = "reminder",
	[MSG_NOTIFY_ESCALATION] = "escalation", [MSG_NOTIFY_REJECTED] = "rejected",
	[MSG_NOTIFY_ACCEPTED] = "accepted",     [MSG_NOTIFY_INFO] = "info",
};

const char *
msg_notify_kind_name(enum msg_notify_kind k)
{
	if ((unsigned)k >= MSG_NOTIFY_COUNT)
		return "unknown";
	return notify_kind_names[k];
}

static int
opt_id(const char *s)
{
	return s == NULL || msg_id_valid(s);
}

/* A rejection names the command and why; an acceptance names the command:
 * without them the person cannot tell which of their commands is answered. */
static int
notification_valid(const struct msg_notification *n)
{
	if (n->ts_ms < 0 || n->site == NULL || !msg_id_valid(n->site) || n->person == NULL ||
	    !msg_id_valid(n->person) || (unsigned)n->kind >= MSG_NOTIFY_COUNT ||
	    !opt_id(n->alarm_id) || !opt_id(n->device) || !opt_id(n->verb) ||
	    (n->rule != NULL && n->rule[0] == '\0') || n->severity < 0 || n->severity > 4 ||
	    (n->has_escalation_level && n->escalation_level < 0))
		return 0;
	if (n->kind == MSG_NOTIFY_REJECTED)
		return n->verb != NULL && n->reason != NULL;
	if (n->kind == MSG_NOTIFY_ACCEPTED)
		return n->verb != NULL;
	return 1;
}

int
msg_encode_notification(const struct msg_notification *n, char *buf, size_t cap)
{
	json_t *root;
	int bad = 0;

	if (!notification_valid(n))
		return msg_reject(buf, cap);
	root = json_object();
	bad |= msg_put(root, "ts", json_integer(n->ts_ms));
	bad |= msg_put(root, "site", json_string(n->site));
	bad |= msg_put(root, "person", json_string(n->person));
	bad |= msg_put(root, "kind", json_string(notify_kind_names[n->kind]));
	bad |= msg_put(root, "alarm_id", msg_string_or_null(n->alarm_id));
	bad |= msg_put(root, "device", msg_string_or_null(n->device));
	bad |= msg_put(root, "rule", msg_string_or_null(n->rule));
	bad |= msg_put(root, "severity", n->severity > 0 ? json_integer(n->severity) : json_null());
	bad |= msg_put(root, "escalation_level",
		       n->has_escalation_level ? json_integer(n->escalation_level) : json_null());
	bad |= msg_put(root, "message", msg_string_or_null(n->message));
	bad |= msg_put(root, "verb", msg_string_or_null(n->verb));
	bad |= msg_put(root, "reason", msg_string_or_null(n->reason));
	return msg_finish(root, bad, 1, buf, cap);
}

/* A fixed-size field as a JSON string, or null when empty: the struct's
 * convention for absent identifiers. Bounded by cap in case it lacks a NUL. */
static json_t *
field_or_null(const char *s, size_t cap)
{
	return s[0] != '\0' ? json_stringn(s, strnlen(s, cap)) : json_null();
}

static json_t *
field(const char *s, size_t cap)
{
	return json_stringn(s, strnlen(s, cap));
}

/* The name for an enum value, NULL (a failed constructor) if out of range. */
static json_t *
enum_name(const char *const *names, unsigned n, unsigned i)
{
	return i < n ? json_string(names[i]) : NULL;
}

int
msg_encode_wo_request(const struct msg_wo_request *r, char *buf, size_t cap)
{
	struct msg_wo_request check;
	json_t *root = json_object();
	int bad = 0, n;

	bad |= msg_put(root, "idempotency_key",
		       field(r->idempotency_key, sizeof(r->idempotency_key)));
	bad |= msg_put(root, "ts", json_integer(r->ts_ms));
	bad |= msg_put(root, "source",
		       enum_name(msg_wo_source_names, MSG_WO_SRC_COUNT, (unsigned)r->source));
	bad |= msg_put(root, "site", field(r->site, sizeof(r->site)));
	bad |= msg_put(root, "device", field_or_null(r->device, sizeof(r->device)));
	bad |= msg_put(root, "kind",
		       enum_name(msg_wo_kind_names, MSG_WO_KIND_COUNT, (unsigned)r->kind));
	bad |= msg_put(root, "priority",
		       enum_name(msg_wo_priority_names, MSG_WO_PRIO_COUNT, (unsigned)r->priority));
	bad |= msg_put(root, "skill", field_or_null(r->skill, sizeof(r->skill)));
	bad |= msg_put(root, "assignee", field_or_null(r->assignee, sizeof(r->assignee)));
	bad |= msg_put(root, "title", field(r->title, sizeof(r->title)));
	bad |= msg_put(root, "alarm_id", field_or_null(r->alarm_id, sizeof(r->alarm_id)));
	bad |= msg_put(root, "plan_id", field_or_null(r->plan_id, sizeof(r->plan_id)));
	bad |= msg_put(root, "due_at", r->has_due_at ? json_integer(r->due_at_ms) : json_null());
	bad |= msg_put(root, "sla_start", json_integer(r->sla_start_ms));
	if (r->has_missed)
		bad |= msg_put(root, "missed", json_integer(r->missed));
	n = msg_finish(root, bad, 1, buf, cap);
	/* The field rules (patterns, lengths, signs) live in the decoder; ask
	 * it rather than keep a second copy of them here. */
	if (n >= 0 && msg_decode_wo_request(buf, (size_t)n, NULL, NULL, &check) != MSG_OK)
		return msg_reject(buf, cap);
	return n;
}
