/* store_restore.c — what alertd reads back at start: the journal position
 * and alive_at of its instance, the open alarms of PostgreSQL rebuilt as
 * records, the journal's unwritten tail, and the events that arrived while it
 * was down. Runs on the caller's thread (its own connection) before the
 * writer starts; it only reads. */
#include "store_int.h"

#include "daemon.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A timestamptz column as UTC ms (NULL stays NULL). */
#define MS(col) "(extract(epoch from " col ") * 1000)::bigint"

static const char *const open_alarms_sql =
	"SELECT a.alarm_id, a.site_id, a.device_id, a.rule_id, a.severity, a.state, a.acked,"
	" a.acked_by, " MS("a.acked_at") ", " MS("a.raised_at") ", " MS(
		"a.cleared_at") ","
				" " MS("a.closed_at") ", " MS(
					"a.shelved_until") ", a.shelved_by, a.escalation_level,"
							   " " MS("a.last_notified_at") ", "
											"a.wo_id, "
											"a."
											"expected, "
											"a."
											"suppressed"
											"_by, "
											"a.value,"
											" a."
											"message, "
											"e."
											"transition"
											", " MS("e."
												"t"
												"s") ", e.actor"
												     " FROM alarms a LEFT JOIN LATERAL (SELECT transition, ts, actor FROM alarm_events"
												     " WHERE alarm_id = a.alarm_id ORDER BY ts DESC, id DESC LIMIT 1) e ON true"
												     " WHERE a.state <> 'closed' ORDER BY a.raised_at, a.alarm_id";

#define TERMINATE(f) ((f)[sizeof(f) - 1] = '\0')

/* Whether alarm.c names t: the enum grows, this follows it. */
static int
transition_known(enum alarm_transition t)
{
	return strcmp(alarm_transition_name(t), "unknown") != 0;
}

int
alert_store_decode(int type, const void *data, size_t len, struct alarm_rec *out)
{
	if (type != ALARM_REC_SPOOL_TYPE || len != sizeof *out)
		return -1;
	memcpy(out, data, sizeof *out);
	if (out->version != ALARM_REC_VERSION || !transition_known(out->t) ||
	    (unsigned)out->a.state > ALARM_CLEARED_UNACKED)
		return -1;
	TERMINATE(out->alarm_id);
	TERMINATE(out->site);
	TERMINATE(out->device);
	TERMINATE(out->rule);
	TERMINATE(out->actor);
	TERMINATE(out->note);
	TERMINATE(out->suppressed_by);
	TERMINATE(out->wo_id);
	TERMINATE(out->message);
	TERMINATE(out->a.acked_by);
	TERMINATE(out->a.shelved_by);
	return 0;
}

static int
pos_before(const struct spool_pos *a, const struct spool_pos *b)
{
	return a->segment < b->segment || (a->segment == b->segment && a->offset < b->offset);
}

int
alert_store_load_position(struct alert_store *s, struct db *db, struct spool_pos *pos,
			  long long *alive_ms)
{
	const char *params[1] = {s->instance};
	struct db_res *r = NULL;

	if (db_exec(db,
		    "SELECT segment, byte_offset, " MS("alive_at") " FROM alertd_journal_position"
								   " WHERE instance = $1",
		    1, params, &r) != DB_OK) {
		log_error("alert_store_position_failed", "error=\"%s\"", db_error(db));
		return -1;
	}
	spool_seek_start(s->journal, pos);
	if (alive_ms)
		*alive_ms = 0;
	if (db_res_rows(r) == 1) {
		struct spool_pos p = {atoll(db_res_get(r, 0, 0)), atoll(db_res_get(r, 0, 1))};
		struct spool_pos tail;
		const char *alive = db_res_get(r, 0, 2);

		if (alive_ms && alive)
			*alive_ms = atoll(alive);
		spool_tail(s->journal, &tail);
		if (pos_before(&tail, &p))
			log_warn("alert_store_position_ahead",
				 "segment=%lld offset=%lld reason=\"the journal was replaced; "
				 "replaying it all\"",
				 p.segment, p.offset);
		else if (pos_before(pos, &p))
			*pos = p;
	}
	db_res_free(r);
	return 0;
}

static void
copy_text(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

static long long
get_ll(const struct db_res *r, size_t row, int col)
{
	const char *v = db_res_get(r, row, col);

	return v ? atoll(v) : 0;
}

static int
get_bool(const struct db_res *r, size_t row, int col)
{
	const char *v = db_res_get(r, row, col);

	return v && v[0] == 't';
}

/* The last event's transition; raised when alertd has no name for it. */
static enum alarm_transition
transition_named(const char *name)
{
	for (int t = ALARM_T_RAISED; name && transition_known((enum alarm_transition)t); t++)
		if (strcmp(alarm_transition_name((enum alarm_transition)t), name) == 0)
			return (enum alarm_transition)t;
	return ALARM_T_RAISED;
}

/* One row of open_alarms_sql as the record of its last transition. */
static void
row_to_rec(const struct db_res *r, size_t i, struct alarm_rec *rec)
{
	struct alarm *a = &rec->a;
	const char *state = db_res_get(r, i, 5), *value = db_res_get(r, i, 19);

	memset(rec, 0, sizeof *rec);
	rec->version = ALARM_REC_VERSION;
	copy_text(rec->alarm_id, sizeof rec->alarm_id, db_res_get(r, i, 0));
	copy_text(rec->site, sizeof rec->site, db_res_get(r, i, 1));
	copy_text(rec->device, sizeof rec->device, db_res_get(r, i, 2));
	copy_text(rec->rule, sizeof rec->rule, db_res_get(r, i, 3));
	rec->severity = (int)get_ll(r, i, 4);
	if (state && strcmp(state, "cleared") == 0)
		a->state = ALARM_CLEARED_UNACKED;
	else
		a->state = get_bool(r, i, 6) ? ALARM_ACTIVE_ACKED : ALARM_ACTIVE_UNACKED;
	copy_text(a->acked_by, sizeof a->acked_by, db_res_get(r, i, 7));
	a->acked_at_ms = get_ll(r, i, 8);
	a->raised_at_ms = get_ll(r, i, 9);
	a->cleared_at_ms = get_ll(r, i, 10);
	a->closed_at_ms = get_ll(r, i, 11);
	a->shelved_until_ms = get_ll(r, i, 12);
	copy_text(a->shelved_by, sizeof a->shelved_by, db_res_get(r, i, 13));
	a->escalation_level = (int)get_ll(r, i, 14);
	a->last_notified_ms = get_ll(r, i, 15);
	copy_text(rec->wo_id, sizeof rec->wo_id, db_res_get(r, i, 16));
	rec->expected = get_bool(r, i, 17);
	copy_text(rec->suppressed_by, sizeof rec->suppressed_by, db_res_get(r, i, 18));
	a->has_value = value != NULL;
	a->value = value ? strtod(value, NULL) : 0;
	copy_text(rec->message, sizeof rec->message, db_res_get(r, i, 20));
	rec->t = transition_named(db_res_get(r, i, 21));
	rec->ts_ms = db_res_get(r, i, 22) ? get_ll(r, i, 22) : a->raised_at_ms;
	copy_text(rec->actor, sizeof rec->actor,
		  db_res_get(r, i, 23) ? db_res_get(r, i, 23) : "alertd");
}

static void
sleep_ms(long long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

/* Connects and reads the position, alive_at and the open alarms, starting
 * over while PostgreSQL is unavailable. *rows NULL when it gives up. */
static void
read_database(struct alert_store *s, struct spool_pos *pos, struct db_res **rows)
{
	long long backoff = STORE_BACKOFF_MIN_MS;
	enum db_status st;

	*rows = NULL;
	while (!daemon_stop) {
		st = db_connect_retry(s->rdb, -1, STORE_BACKOFF_MAX_MS,
				      (volatile int *)&daemon_stop);
		if (st == DB_FAIL)
			return;
		if (st == DB_OK) {
			if (db_require_schema(s->rdb, ALERTD_SCHEMA_VERSION) < 0)
				return;
			if (alert_store_load_position(s, s->rdb, pos, &s->alive_at_ms) == 0) {
				st = db_exec(s->rdb, open_alarms_sql, 0, NULL, rows);
				if (st == DB_OK)
					return;
				log_warn("alert_store_restore_retry", "error=\"%s\"",
					 db_error(s->rdb));
				if (st == DB_FAIL)
					return;
			}
		}
		sleep_ms(backoff);
		backoff = backoff * 2 > STORE_BACKOFF_MAX_MS ? STORE_BACKOFF_MAX_MS : backoff * 2;
	}
}

struct tail_ctx {
	struct alert_store *s;
	void (*fn)(void *ctx, const struct alarm_rec *rec);
	void *ctx;
	struct alarm_rec rec;
};

static int
tail_visit(void *arg, const struct spool_pos *at, int type, const void *data, size_t len)
{
	struct tail_ctx *t = arg;

	t->s->restored_tail++;
	if (alert_store_decode(type, data, len, &t->rec) == 0)
		t->fn(t->ctx, &t->rec);
	else
		log_warn("alert_store_record_unreadable", "segment=%lld offset=%lld len=%zu",
			 at->segment, at->offset, len);
	return 0;
}

int
alert_store_restore(struct alert_store *s, void (*fn)(void *ctx, const struct alarm_rec *rec),
		    void *ctx)
{
	struct tail_ctx *t;
	struct db_res *rows;
	struct spool_pos pos;
	size_t n;
	int got;

	read_database(s, &pos, &rows);
	if (!rows) {
		log_error("alert_store_restore_failed", "reason=\"%s\"",
			  daemon_stop ? "stopped" : db_error(s->rdb));
		return -1;
	}
	t = xcalloc(1, sizeof *t);
	t->s = s;
	t->fn = fn;
	t->ctx = ctx;
	n = db_res_rows(rows);
	for (size_t i = 0; i < n; i++) {
		row_to_rec(rows, i, &t->rec);
		fn(ctx, &t->rec);
	}
	db_res_free(rows);
	s->restored_tail = 0;
	s->committed = s->pos = pos;
	while ((got = spool_read(s->journal, &pos, 1024, 0, tail_visit, t)) > 0)
		;
	free(t);
	if (got < 0)
		return -1;
	log_info("alert_store_restored", "open_alarms=%zu journal_records=%lld alive_at_ms=%lld", n,
		 s->restored_tail, s->alive_at_ms);
	return 0;
}

long long
alert_store_alive_at(struct alert_store *s)
{
	return s->alive_at_ms;
}

int
alert_store_missed_events(struct alert_store *s, long long since_ms, long long until_ms,
			  void (*fn)(void *ctx, const char *device, const char *event, int active,
				     long long ts_ms, long long seq),
			  void *ctx)
{
	char since[24], until[24];
	const char *params[2] = {since, until};
	struct db_res *r = NULL;
	size_t n;

	snprintf(since, sizeof since, "%lld", since_ms);
	snprintf(until, sizeof until, "%lld", until_ms);
	/* A cursor: the window may hold days of events. */
	if (db_connect(s->rdb) != DB_OK || db_begin(s->rdb) != DB_OK)
		goto fail;
	if (db_exec(s->rdb,
		    "DECLARE alertd_missed NO SCROLL CURSOR FOR SELECT device_id, event, "
		    "state, " MS("ts") ", seq FROM events"
				       " WHERE ts > 'epoch'::timestamptz + $1::bigint * interval "
				       "'1 millisecond'"
				       " AND ts <= 'epoch'::timestamptz + $2::bigint * interval '1 "
				       "millisecond'"
				       " ORDER BY ts, seq, id",
		    2, params, NULL) != DB_OK)
		goto fail;
	do {
		if (db_exec(s->rdb, "FETCH 1000 FROM alertd_missed", 0, NULL, &r) != DB_OK)
			goto fail;
		n = db_res_rows(r);
		for (size_t i = 0; i < n; i++) {
			const char *state = db_res_get(r, i, 2);

			fn(ctx, db_res_get(r, i, 0), db_res_get(r, i, 1),
			   state && strcmp(state, "active") == 0, get_ll(r, i, 3), get_ll(r, i, 4));
		}
		db_res_free(r);
	} while (n > 0);
	return db_commit(s->rdb) == DB_OK ? 0 : -1;
fail:
	log_error("alert_store_missed_events_failed", "error=\"%s\"", db_error(s->rdb));
	db_rollback(s->rdb);
	return -1;
}
