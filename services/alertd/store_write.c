/* store_write.c — one batch of alarm transitions into PostgreSQL in one
 * transaction: per record, the alarms row upserted from the state after the
 * transition and one alarm_events row (its detail built by jsonb_build_object
 * from parameters, never JSON from C), then the journal position. Also the
 * alive_at heartbeat. Every statement is prepared with $n parameters. */
#include "store_int.h"

#include "log.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* A UTC ms parameter as timestamptz (NULL stays NULL). */
#define TS(n) "('epoch'::timestamptz + $" #n "::bigint * interval '1 millisecond')"

/* One statement per record: the upsert feeds the event insert, so the
 * event's foreign key always finds its alarm. */
static const char *const record_sql =
	"WITH a AS (INSERT INTO alarms AS a (alarm_id, site_id, device_id, rule_id, severity,"
	" state, acked, acked_by, acked_at, raised_at, cleared_at, closed_at, shelved_until,"
	" shelved_by, escalation_level, last_notified_at, wo_id, expected, suppressed_by, value,"
	" message, acked_note, updated_at)"
	" VALUES ($1::text, $2::text, $3::text, $4::text, $5::int, $6::text, $7::boolean,"
	" $8::text, " TS(9) ", " TS(10) ", " TS(11) ", " TS(12) ", " TS(
		13) ", $14::text,"
		    " $15::int, " TS(
			    16) ", $17::text, $18::boolean, $19::text, $20::float8, $21::text,"
				" CASE WHEN $24::text = 'acked' THEN $22::text END, now())"
				" ON CONFLICT (alarm_id) DO UPDATE SET site_id = EXCLUDED.site_id,"
				" device_id = EXCLUDED.device_id, rule_id = EXCLUDED.rule_id,"
				" severity = EXCLUDED.severity, state = EXCLUDED.state, acked = "
				"EXCLUDED.acked,"
				" acked_by = EXCLUDED.acked_by, acked_at = EXCLUDED.acked_at,"
				" raised_at = EXCLUDED.raised_at, cleared_at = EXCLUDED.cleared_at,"
				" closed_at = EXCLUDED.closed_at, shelved_until = "
				"EXCLUDED.shelved_until,"
				" shelved_by = EXCLUDED.shelved_by, escalation_level = "
				"EXCLUDED.escalation_level,"
				" last_notified_at = EXCLUDED.last_notified_at, wo_id = "
				"EXCLUDED.wo_id,"
				" expected = EXCLUDED.expected, suppressed_by = "
				"EXCLUDED.suppressed_by,"
				" value = EXCLUDED.value, message = EXCLUDED.message,"
				" acked_note = COALESCE(EXCLUDED.acked_note, a.acked_note), "
				"updated_at = now()"
				" RETURNING alarm_id)"
				" INSERT INTO alarm_events (alarm_id, ts, transition, actor, "
				"detail)"
				" SELECT alarm_id, " TS(
					23) ", $24::text, $25::text, "
					    "jsonb_strip_nulls(jsonb_build_object("
					    "'note', $22::text, 'escalation_level', $15::int, "
					    "'expected', $18::boolean,"
					    " 'suppressed_by', $19::text, 'value', $20::float8)) "
					    "FROM a";
#define RECORD_PARAMS 25

static const char *const position_sql =
	"INSERT INTO alertd_journal_position (instance, segment, byte_offset, alive_at,"
	" updated_at) VALUES ($1::text, $2::bigint, $3::bigint, now(), now())"
	" ON CONFLICT (instance) DO UPDATE SET segment = EXCLUDED.segment,"
	" byte_offset = EXCLUDED.byte_offset, alive_at = now(), updated_at = now()";
static const char *const alive_sql =
	"INSERT INTO alertd_journal_position (instance, segment, byte_offset, alive_at)"
	" VALUES ($1::text, $2::bigint, $3::bigint, now())"
	" ON CONFLICT (instance) DO UPDATE SET alive_at = now()";

enum db_status
alert_store_prepare(struct db *db)
{
	enum db_status st = db_prepare(db, "alertd_record", record_sql, RECORD_PARAMS);

	if (st == DB_OK)
		st = db_prepare(db, "alertd_position", position_sql, 3);
	if (st == DB_OK)
		st = db_prepare(db, "alertd_alive", alive_sql, 3);
	return st;
}

/* The text parameters of record_sql for one record. */
struct rec_params {
	char severity[16], level[16], value[32];
	char acked_at[24], raised_at[24], cleared_at[24], closed_at[24], shelved_until[24],
		last_notified[24], ts[24];
	const char *p[RECORD_PARAMS];
};

static const char *
ms_param(char *buf, size_t cap, long long ms)
{
	if (ms <= 0)
		return NULL;
	snprintf(buf, cap, "%lld", ms);
	return buf;
}

static const char *
text_param(const char *s)
{
	return s[0] ? s : NULL;
}

/* The row after the transition, held to the CHECKs of alarms: acked only
 * with its person and time, a cleared or closed alarm with its time (the
 * transition's when the record lacks it), raised_at never NULL. */
static void
rec_params(const struct alarm_rec *r, struct rec_params *q)
{
	const struct alarm *a = &r->a;
	int acked = a->state == ALARM_ACTIVE_ACKED || a->state == ALARM_CLOSED;
	long long cleared = a->cleared_at_ms, closed = 0;

	if (a->state == ALARM_CLEARED_UNACKED && cleared <= 0)
		cleared = r->ts_ms;
	if (a->state == ALARM_CLOSED)
		closed = a->closed_at_ms > 0 ? a->closed_at_ms : r->ts_ms;
	snprintf(q->severity, sizeof q->severity, "%d", r->severity);
	snprintf(q->level, sizeof q->level, "%d", a->escalation_level);
	/* float8 takes no "nan" and jsonb no NaN at all: a non-finite value is
	 * stored as no value. */
	snprintf(q->value, sizeof q->value, "%.17g", a->value);
	q->p[0] = r->alarm_id;
	q->p[1] = r->site;
	q->p[2] = text_param(r->device);
	q->p[3] = r->rule;
	q->p[4] = q->severity;
	q->p[5] = alarm_state_name(a->state);
	q->p[6] = acked ? "true" : "false";
	q->p[7] = acked ? text_param(a->acked_by) : NULL;
	q->p[8] = acked ? ms_param(q->acked_at, sizeof q->acked_at, a->acked_at_ms) : NULL;
	q->p[9] = ms_param(q->raised_at, sizeof q->raised_at,
			   a->raised_at_ms > 0 ? a->raised_at_ms : r->ts_ms);
	q->p[10] = ms_param(q->cleared_at, sizeof q->cleared_at, cleared);
	q->p[11] = ms_param(q->closed_at, sizeof q->closed_at, closed);
	q->p[12] = ms_param(q->shelved_until, sizeof q->shelved_until, a->shelved_until_ms);
	q->p[13] = text_param(a->shelved_by);
	q->p[14] = q->level;
	q->p[15] = ms_param(q->last_notified, sizeof q->last_notified, a->last_notified_ms);
	q->p[16] = text_param(r->wo_id);
	q->p[17] = r->expected ? "true" : "false";
	q->p[18] = text_param(r->suppressed_by);
	q->p[19] = a->has_value && isfinite(a->value) ? q->value : NULL;
	q->p[20] = text_param(r->message);
	q->p[21] = text_param(r->note);
	q->p[22] = ms_param(q->ts, sizeof q->ts, r->ts_ms);
	q->p[23] = alarm_transition_name(r->t);
	q->p[24] = r->actor[0] ? r->actor : "alertd";
}

static enum db_status
exec(struct db *db, const char *sql)
{
	return db_exec(db, sql, 0, NULL, NULL);
}

/* One record; in careful mode a refusal (DB_FAIL) is rolled back to the
 * savepoint, logged and counted instead of failing the batch. */
static enum db_status
write_record(struct alert_store *s, const struct alarm_rec *r, int careful, int *refused)
{
	struct rec_params q;
	enum db_status st;

	rec_params(r, &q);
	if (careful && (st = exec(s->wdb, "SAVEPOINT rec")) != DB_OK)
		return st;
	st = db_exec_prepared(s->wdb, "alertd_record", RECORD_PARAMS, q.p, NULL);
	if (!careful || st == DB_RETRY)
		return st;
	if (st == DB_OK)
		return exec(s->wdb, "RELEASE SAVEPOINT rec");
	log_error("alert_store_record_refused", "alarm_id=%s transition=%s ts_ms=%lld error=\"%s\"",
		  r->alarm_id, q.p[23], r->ts_ms, db_error(s->wdb));
	(*refused)++;
	return exec(s->wdb, "ROLLBACK TO SAVEPOINT rec");
}

enum db_status
alert_store_write_batch(struct alert_store *s, int careful, int *refused)
{
	char seg[24], off[24];
	const char *params[3] = {s->instance, seg, off};
	enum db_status st;

	*refused = 0;
	if ((st = db_begin(s->wdb)) != DB_OK)
		return st;
	for (int i = 0; i < s->n; i++)
		if ((st = write_record(s, &s->batch[i], careful, refused)) != DB_OK)
			goto fail;
	snprintf(seg, sizeof seg, "%lld", s->pos.segment);
	snprintf(off, sizeof off, "%lld", s->pos.offset);
	if ((st = db_exec_prepared(s->wdb, "alertd_position", 3, params, NULL)) != DB_OK)
		goto fail;
	return db_commit(s->wdb);
fail:
	db_rollback(s->wdb);
	return st;
}

enum db_status
alert_store_write_alive(struct alert_store *s)
{
	char seg[24], off[24];
	const char *params[3] = {s->instance, seg, off};

	snprintf(seg, sizeof seg, "%lld", s->committed.segment);
	snprintf(off, sizeof off, "%lld", s->committed.offset);
	return db_exec_prepared(s->wdb, "alertd_alive", 3, params, NULL);
}
