/* watchtab.c — the open alarms and work orders of `fmctl watch`
 * (watchtab.h). Keyed by topic, since a retained topic holds exactly one
 * item's current state; an item leaves when its topic is emptied or its
 * state says it is over (an alarm "closed", an order "closed" or
 * "cancelled"). */
#include "watchtab.h"

#include "msg_ops.h"
#include "topic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct table_col wtab_cols[WTAB_NCOLS] = {
	{"type", TABLE_STR, 0},  {"site", TABLE_STR, 0},   {"id", TABLE_STR, 0},
	{"sev", TABLE_STR, 0},   {"device", TABLE_STR, 0}, {"what", TABLE_STR, 0},
	{"state", TABLE_STR, 0}, {"acked", TABLE_STR, 0},  {"assignee", TABLE_STR, 0},
	{"age", TABLE_STR, 0},   {"due", TABLE_STR, 0},    {"message", TABLE_STR, 48},
};

void
wtab_free(struct wtab *w)
{
	for (int i = 0; i < w->n; i++)
		free(w->items[i].f);
	free(w->items);
	memset(w, 0, sizeof *w);
}

static int
find(const struct wtab *w, const char *topic)
{
	for (int i = 0; i < w->n; i++)
		if (strcmp(w->items[i].topic, topic) == 0)
			return i;
	return -1;
}

static enum wtab_change
drop(struct wtab *w, int i)
{
	if (i < 0)
		return WTAB_NONE;
	free(w->items[i].f);
	w->items[i] = w->items[--w->n];
	return WTAB_GONE;
}

static int
over(const struct msg_flat *f, int is_alarm)
{
	const char *s = msg_flat_get(f, "state");

	if (!s)
		return 0;
	return is_alarm ? strcmp(s, "closed") == 0
			: strcmp(s, "closed") == 0 || strcmp(s, "cancelled") == 0;
}

enum wtab_change
wtab_update(struct wtab *w, const char *topic, const char *payload, size_t len, int *index)
{
	struct msg_flat *f;
	struct topic t;
	int i;

	*index = -1;
	if (topic_parse(topic, strlen(topic), &t) != TOPIC_OK ||
	    (t.kind != TOPIC_ALARM && t.kind != TOPIC_WO))
		return WTAB_NONE;
	i = find(w, topic);
	if (len == 0)
		return drop(w, i);
	f = malloc(sizeof *f);
	if (!f)
		return WTAB_NONE;
	if (msg_flat_decode(payload, len, NULL, f) != MSG_OK) {
		free(f);
		w->bad++;
		return WTAB_BAD;
	}
	if (over(f, t.kind == TOPIC_ALARM)) {
		free(f);
		return drop(w, i);
	}
	if (i < 0) {
		if (w->n == w->cap) {
			int cap = w->cap ? w->cap * 2 : 64;
			struct wtab_item *items = realloc(w->items, (size_t)cap * sizeof *items);

			if (!items) {
				free(f);
				return WTAB_NONE;
			}
			w->items = items;
			w->cap = cap;
		}
		i = w->n++;
		snprintf(w->items[i].topic, sizeof w->items[i].topic, "%s", topic);
		w->items[i].is_alarm = t.kind == TOPIC_ALARM;
	} else {
		free(w->items[i].f);
	}
	w->items[i].f = f;
	*index = i;
	return WTAB_SET;
}

void
wtab_fmt_dur(long long ms, char *buf, size_t cap)
{
	const char *sign = ms < 0 ? "-" : "";
	long long s = (ms < 0 ? -ms : ms) / 1000;

	if (s < 60)
		snprintf(buf, cap, "%s%llds", sign, s);
	else if (s < 3600)
		snprintf(buf, cap, "%s%lldm", sign, s / 60);
	else if (s < 86400)
		snprintf(buf, cap, "%s%lldh%02lldm", sign, s / 3600, s / 60 % 60);
	else
		snprintf(buf, cap, "%s%lldd%02lldh", sign, s / 86400, s / 3600 % 24);
}

/* The clock an order's state waits on. */
static const char *
next_clock(const char *state)
{
	static const struct {
		const char *state, *clock;
	} map[] = {
		{"registered", "due.accept"},   {"dispatched", "due.accept"},
		{"declined", "due.accept"},     {"reopened", "due.accept"},
		{"accepted", "due.on_site"},    {"on_site", "due.resolve"},
		{"in_progress", "due.resolve"}, {"paused", "due.resolve"},
		{"completed", "due.followup"},
	};

	for (size_t i = 0; state && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(state, map[i].state) == 0)
			return map[i].clock;
	return NULL;
}

static const char *
since(const char *ms_text, long long now_ms, char *buf)
{
	if (!ms_text)
		return NULL;
	wtab_fmt_dur(now_ms - atoll(ms_text), buf, WTAB_BUF);
	return buf;
}

void
wtab_row(const struct wtab_item *it, long long now_ms, const char *row[WTAB_NCOLS],
	 char bufs[][WTAB_BUF])
{
	const struct msg_flat *f = it->f;
	const char *clock, *due;
	struct topic t;

	topic_parse(it->topic, strlen(it->topic), &t);
	snprintf(bufs[1], WTAB_BUF, "%s", t.site);
	snprintf(bufs[2], WTAB_BUF, "%s", it->is_alarm ? t.alarm_id : t.wo_id);
	row[0] = it->is_alarm ? "alarm" : "wo";
	row[1] = bufs[1];
	row[2] = bufs[2];
	row[3] = msg_flat_get(f, it->is_alarm ? "severity" : "priority");
	row[4] = msg_flat_get(f, "device");
	row[5] = msg_flat_get(f, it->is_alarm ? "rule" : "kind");
	row[6] = msg_flat_get(f, "state");
	row[7] = it->is_alarm ? msg_flat_get(f, "acked") : NULL;
	row[8] = it->is_alarm ? msg_flat_get(f, "acked_by") : msg_flat_get(f, "assignee");
	row[9] = since(msg_flat_get(f, it->is_alarm ? "raised_at" : "created_at"), now_ms, bufs[9]);
	clock = it->is_alarm ? NULL : next_clock(row[6]);
	due = clock ? msg_flat_get(f, clock) : NULL;
	row[10] = NULL;
	if (due) {
		/* time left: "4m", or "-2m" when overdue */
		wtab_fmt_dur(atoll(due) - now_ms, bufs[10], WTAB_BUF);
		row[10] = bufs[10];
	}
	row[11] = msg_flat_get(f, it->is_alarm ? "message" : "title");
}

static int
rank(const struct wtab_item *it)
{
	const char *s = msg_flat_get(it->f, it->is_alarm ? "severity" : "priority");

	if (it->is_alarm)
		return s ? atoi(s) : 9;
	return 10 + (s && strcmp(s, "emergency") == 0 ? 0 : 1);
}

static long long
started(const struct wtab_item *it)
{
	const char *s = msg_flat_get(it->f, it->is_alarm ? "raised_at" : "created_at");

	return s ? atoll(s) : 0;
}

static int
by_rank(const void *a, const void *b)
{
	const struct wtab_item *x = *(const struct wtab_item *const *)a;
	const struct wtab_item *y = *(const struct wtab_item *const *)b;
	long long sx = started(x), sy = started(y);

	if (rank(x) != rank(y))
		return rank(x) - rank(y);
	if (sx != sy)
		return sx < sy ? -1 : 1;
	return strcmp(x->topic, y->topic);
}

int
wtab_render(const struct wtab *w, long long now_ms, struct table *t)
{
	const struct wtab_item **order = malloc((size_t)(w->n ? w->n : 1) * sizeof *order);
	char bufs[WTAB_NCOLS][WTAB_BUF];
	const char *row[WTAB_NCOLS];
	int rc = order ? 0 : -1, r;

	for (int i = 0; rc == 0 && i < w->n; i++)
		order[i] = &w->items[i];
	if (rc == 0)
		qsort(order, (size_t)w->n, sizeof *order, by_rank);
	for (int i = 0; rc == 0 && i < w->n; i++) {
		wtab_row(order[i], now_ms, row, bufs);
		if ((r = table_add(t, row)) < 0)
			rc = -1;
		else if (order[i]->is_alarm)
			table_style(t, r, rank(order[i]));
	}
	free(order);
	return rc;
}
