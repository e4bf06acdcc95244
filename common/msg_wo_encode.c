/* msg_wo_encode.c — the work order dispatchd publishes retained on
 * fm/v1/{site}/wo/{wo_id}: every field present (null where absent) so that
 * readers (alertd and schedd through msg_decode_wo_brief, people's apps)
 * never guess. Pure. */
#include "msg_int.h"
#include "msg_wo.h"

#include <jansson.h>
#include <string.h>

/* A string, or null for NULL and "". */
static json_t *
str_or_null(const char *s)
{
	return s && s[0] ? json_string(s) : json_null();
}

static json_t *
ms_or_null(long long ms)
{
	return ms > 0 ? json_integer(ms) : json_null();
}

static int
ids_valid(const struct msg_work_order *w)
{
	const char *opt[] = {w->device,   w->assignee, w->skill,
			     w->alarm_id, w->plan_id,  w->repeat_of};

	if (!w->wo_id || !msg_id_valid(w->wo_id) || !w->site || !msg_id_valid(w->site) ||
	    !w->kind || !w->priority || !w->state || !w->title || !w->title[0] || !w->source ||
	    w->n_clocks < 0 || w->n_clocks > MSG_WO_MAX_CLOCKS || w->escalation_level < 0)
		return 0;
	for (size_t i = 0; i < sizeof opt / sizeof opt[0]; i++)
		if (opt[i] && opt[i][0] && !msg_id_valid(opt[i]))
			return 0;
	return 1;
}

static int
put_clocks(json_t *root, const struct msg_work_order *w)
{
	json_t *due = json_object(), *breached = json_array();
	int bad = !due || !breached;

	for (int i = 0; i < w->n_clocks && !bad; i++) {
		bad |= msg_put(due, w->due_names[i], ms_or_null(w->due_ms[i]));
		if (w->breached & (1u << i))
			bad |= json_array_append_new(breached, json_string(w->due_names[i])) != 0;
	}
	bad |= msg_put(root, "due", due);
	bad |= msg_put(root, "breached", breached);
	return bad;
}

int
msg_encode_work_order(const struct msg_work_order *w, char *buf, size_t cap)
{
	json_t *root;
	int bad = 0;

	if (!ids_valid(w))
		return msg_reject(buf, cap);
	root = json_object();
	bad |= msg_put(root, "wo_id", json_string(w->wo_id));
	bad |= msg_put(root, "site", json_string(w->site));
	bad |= msg_put(root, "device", str_or_null(w->device));
	bad |= msg_put(root, "kind", json_string(w->kind));
	bad |= msg_put(root, "priority", json_string(w->priority));
	bad |= msg_put(root, "state", json_string(w->state));
	bad |= msg_put(root, "assignee", str_or_null(w->assignee));
	bad |= msg_put(root, "skill", str_or_null(w->skill));
	bad |= msg_put(root, "title", json_string(w->title));
	bad |= msg_put(root, "source", json_string(w->source));
	bad |= msg_put(root, "idempotency_key", str_or_null(w->idempotency_key));
	bad |= msg_put(root, "alarm_id", str_or_null(w->alarm_id));
	bad |= msg_put(root, "plan_id", str_or_null(w->plan_id));
	bad |= msg_put(root, "repeat_of", str_or_null(w->repeat_of));
	bad |= msg_put(root, "created_at", ms_or_null(w->created_at_ms));
	bad |= put_clocks(root, w);
	bad |= msg_put(root, "escalation_level", json_integer(w->escalation_level));
	bad |= msg_put(root, "satisfaction",
		       w->satisfaction > 0 ? json_integer(w->satisfaction) : json_null());
	bad |= msg_put(root, "completed_at", ms_or_null(w->completed_at_ms));
	bad |= msg_put(root, "ts", json_integer(w->ts_ms));
	return msg_finish(root, bad, 1, buf, cap);
}
