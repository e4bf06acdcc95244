/* store.c — dispatchd's statements on work_orders, wo_events and
 * dispatch_rotation. Times travel as UTC ms in text and become timestamptz
 * in SQL; 0 and SLA_NONE are NULL. Each write is one transaction, rolled
 * back whole on any failure so that memory and the database never differ
 * by half a change. */
#include "dispatchd/sla_db.h"
#include "dispatchd/store.h"
#include "db.h"
#include "log.h"
#include "rules_conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Times are ms in text: to_timestamp($n::bigint / 1000.0) on the way in,
 * extract(epoch) * 1000 on the way out (0 for NULL). */
static const char sql_load[] =
	"SELECT wo_id, site_id, coalesce(device_id, ''), coalesce(area_id, ''), kind, "
	"priority, complaint_grade, state, title, coalesce(skill, ''), coalesce(assignee, ''), "
	"coalesce((extract(epoch FROM coalesce(sla_start_at, created_at)) * 1000)::bigint, 0), "
	"coalesce((extract(epoch FROM created_at) * 1000)::bigint, 0), "
	"coalesce((extract(epoch FROM acked_at) * 1000)::bigint, 0), "
	"coalesce((extract(epoch FROM dispatched_at) * 1000)::bigint, 0), "
	"coalesce((extract(epoch FROM accepted_at) * 1000)::bigint, 0), "
	"coalesce((extract(epoch FROM arrived_at) * 1000)::bigint, 0), "
	"coalesce((extract(epoch FROM started_at) * 1000)::bigint, 0), "
	"coalesce((extract(epoch FROM completed_at) * 1000)::bigint, 0), "
	"coalesce((extract(epoch FROM followed_up_at) * 1000)::bigint, 0), "
	"coalesce((extract(epoch FROM closed_at) * 1000)::bigint, 0), "
	"coalesce((extract(epoch FROM cancelled_at) * 1000)::bigint, 0), "
	"coalesce((extract(epoch FROM paused_at) * 1000)::bigint, 0), "
	"paused_ms, coalesce(pause_reason, ''), escalation_level, breached, "
	"coalesce(satisfaction, 0), reopen_count, skip, coalesce(source, 'ops'), "
	"coalesce(idempotency_key, ''), coalesce(source_alarm_id, ''), coalesce(plan_id, ''), "
	"coalesce(repeat_of, ''), followup_overdue "
	"FROM work_orders WHERE state NOT IN ('closed', 'cancelled') ORDER BY created_at";

static const char sql_insert[] =
	"INSERT INTO work_orders (wo_id, site_id, device_id, area_id, kind, priority, "
	"complaint_grade, state, title, description, reporter, skill, created_at, sla_start_at, "
	"source_alarm_id, plan_id, due_at, idempotency_key, repeat_of, source, missed) "
	"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
	"to_timestamp($13::bigint / 1000.0), to_timestamp($14::bigint / 1000.0), $15, $16, "
	"to_timestamp($17::bigint / 1000.0), $18, $19, $20, $21) "
	"ON CONFLICT (idempotency_key) DO NOTHING RETURNING wo_id";

static const char sql_update[] =
	"UPDATE work_orders SET state = $2, assignee = $3, escalation_level = $4, "
	"sla_start_at = to_timestamp($5::bigint / 1000.0), "
	"acked_at = to_timestamp($6::bigint / 1000.0), "
	"dispatched_at = to_timestamp($7::bigint / 1000.0), "
	"accepted_at = to_timestamp($8::bigint / 1000.0), "
	"arrived_at = to_timestamp($9::bigint / 1000.0), "
	"started_at = to_timestamp($10::bigint / 1000.0), "
	"completed_at = to_timestamp($11::bigint / 1000.0), "
	"followed_up_at = to_timestamp($12::bigint / 1000.0), "
	"closed_at = to_timestamp($13::bigint / 1000.0), "
	"cancelled_at = to_timestamp($14::bigint / 1000.0), "
	"paused_at = to_timestamp($15::bigint / 1000.0), "
	"paused_ms = $16, pause_reason = $17, breached = $18, satisfaction = $19, "
	"reopen_count = $20, skip = $21, followup_overdue = $22, "
	"respond_by = to_timestamp($23::bigint / 1000.0), "
	"arrive_by = to_timestamp($24::bigint / 1000.0), "
	"resolve_by = to_timestamp($25::bigint / 1000.0), "
	"followup_by = to_timestamp($26::bigint / 1000.0), "
	"repeat_of = $27, updated_at = now() WHERE wo_id = $1";

static const char sql_event[] =
	"INSERT INTO wo_events (wo_id, ts, transition, from_state, to_state, actor, detail) "
	"VALUES ($1, to_timestamp($2::bigint / 1000.0), $3, $4, $5, $6, coalesce($7, '{}')::jsonb)";

static const char sql_repeat[] =
	"SELECT wo_id FROM work_orders WHERE device_id = $1 AND kind = $2 AND wo_id <> $4 "
	"AND completed_at >= to_timestamp($3::bigint / 1000.0) ORDER BY completed_at DESC LIMIT 1";

static const char sql_rot_get[] = "SELECT counter FROM dispatch_rotation WHERE site_id = $1";
static const char sql_rot_set[] =
	"INSERT INTO dispatch_rotation (site_id, counter) VALUES ($1, $2) "
	"ON CONFLICT (site_id) DO UPDATE SET counter = excluded.counter";

int
store_prepare(struct db *db)
{
	static const struct {
		const char *name, *sql;
		int n;
	} st[] = {
		{"d_load", sql_load, 0},       {"d_insert", sql_insert, 21},
		{"d_update", sql_update, 27},  {"d_event", sql_event, 7},
		{"d_repeat", sql_repeat, 4},   {"d_rot_get", sql_rot_get, 1},
		{"d_rot_set", sql_rot_set, 2},
	};

	for (size_t i = 0; i < sizeof st / sizeof st[0]; i++)
		if (db_prepare(db, st[i].name, st[i].sql, st[i].n) != DB_OK) {
			log_error("prepare_failed", "statement=%s error=\"%s\"", st[i].name,
				  db_error(db));
			return -1;
		}
	return 0;
}

static int
index_of(const char *const *names, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

static long long
num(const char *s)
{
	return s ? strtoll(s, NULL, 10) : 0;
}

static void
copy(char *dst, size_t cap, const char *s)
{
	snprintf(dst, cap, "%s", s ? s : "");
}

/* The skip list, a text[] of person ids. */
static void
parse_skip(struct wo *w, const char *s)
{
	struct cfg_strlist l = {0};

	w->n_skip = 0;
	if (sla_db_split(s, &l) < 0)
		return;
	for (size_t i = 0; i < l.n && w->n_skip < WO_MAX_SKIP; i++)
		copy(w->skip[w->n_skip++], WO_ID_SIZE, l.v[i]);
	cfg_strlist_free(&l);
}

static int
load_row(const struct db_res *r, size_t i, struct dorder *o)
{
	long long *t[] = {&o->w.start_ms,      &o->w.created_ms,   &o->w.acked_ms,
			  &o->w.dispatched_ms, &o->w.accepted_ms,  &o->w.arrived_ms,
			  &o->w.started_ms,    &o->w.completed_ms, &o->w.followed_up_ms,
			  &o->w.closed_ms,     &o->w.cancelled_ms, &o->w.paused_at_ms};
	int st = -1;

	memset(o, 0, sizeof *o);
	copy(o->wo_id, sizeof o->wo_id, db_res_get(r, i, 0));
	copy(o->site, sizeof o->site, db_res_get(r, i, 1));
	copy(o->device, sizeof o->device, db_res_get(r, i, 2));
	copy(o->area, sizeof o->area, db_res_get(r, i, 3));
	o->w.category = index_of(rcf_wo_categories, SLA_N_CATEGORIES, db_res_get(r, i, 4));
	o->w.urgency = index_of(rcf_wo_urgencies, SLA_N_URGENCIES, db_res_get(r, i, 5));
	o->w.grade = index_of(sla_grade_names, SLA_N_GRADES, db_res_get(r, i, 6));
	for (int s = 0; s < WO_N_STATES; s++)
		if (strcmp(wo_state_name((enum wo_state)s), db_res_get(r, i, 7)) == 0)
			st = s;
	if (st < 0 || o->w.category < 0 || o->w.urgency < 0)
		return -1;
	o->w.state = (enum wo_state)st;
	copy(o->title, sizeof o->title, db_res_get(r, i, 8));
	copy(o->skill, sizeof o->skill, db_res_get(r, i, 9));
	copy(o->w.assignee, sizeof o->w.assignee, db_res_get(r, i, 10));
	for (int k = 0; k < 12; k++)
		*t[k] = num(db_res_get(r, i, 11 + k));
	o->w.paused_ms = num(db_res_get(r, i, 23));
	copy(o->w.pause_reason, sizeof o->w.pause_reason, db_res_get(r, i, 24));
	o->w.escalation_level = (int)num(db_res_get(r, i, 25));
	o->w.breached = (unsigned)num(db_res_get(r, i, 26));
	o->w.satisfaction = (int)num(db_res_get(r, i, 27));
	o->w.reopen_count = (int)num(db_res_get(r, i, 28));
	parse_skip(&o->w, db_res_get(r, i, 29));
	copy(o->source, sizeof o->source, db_res_get(r, i, 30));
	copy(o->key, sizeof o->key, db_res_get(r, i, 31));
	copy(o->alarm_id, sizeof o->alarm_id, db_res_get(r, i, 32));
	copy(o->plan_id, sizeof o->plan_id, db_res_get(r, i, 33));
	copy(o->repeat_of, sizeof o->repeat_of, db_res_get(r, i, 34));
	o->followup_overdue = strcmp(db_res_get(r, i, 35), "t") == 0;
	return 0;
}

int
store_load_open(struct db *db, int (*fn)(void *ctx, const struct dorder *o), void *ctx)
{
	static struct dorder o;
	struct db_res *r = NULL;
	int rc = db_exec_prepared(db, "d_load", 0, NULL, &r);

	for (size_t i = 0; rc == DB_OK && i < db_res_rows(r); i++) {
		if (load_row(r, i, &o) < 0) {
			log_warn("order_unreadable", "wo_id=%s", db_res_get(r, i, 0));
			continue;
		}
		if (fn(ctx, &o) < 0)
			rc = DB_FAIL;
	}
	db_res_free(r);
	return rc;
}

/* ms as text, or NULL for "none". */
static const char *
ms_text(char *buf, long long ms)
{
	if (ms <= 0 || ms == SLA_NONE)
		return NULL;
	snprintf(buf, 24, "%lld", ms);
	return buf;
}

/* A count as text (never NULL: the column is NOT NULL). */
static const char *
ll_text(char *buf, long long n)
{
	snprintf(buf, 24, "%lld", n);
	return buf;
}

static const char *
opt(const char *s)
{
	return s && s[0] ? s : NULL;
}

/* Runs statement in the open transaction; rolls back on failure. */
static int
run(struct db *db, const char *name, int n, const char *const *p, struct db_res **res)
{
	int rc = db_exec_prepared(db, name, n, p, res);

	if (rc != DB_OK)
		db_rollback(db);
	return rc;
}

static int
event(struct db *db, const char *wo_id, const struct store_ev *e)
{
	char ts[24];
	const char *p[7] = {
		wo_id, ms_text(ts, e->ts_ms), e->transition, e->from, e->to, e->actor, e->detail};

	return run(db, "d_event", 7, p, NULL);
}

int
store_insert(struct db *db, const struct dorder *o, const struct store_new *n, int *dup)
{
	char t[4][24];
	const struct store_ev created = {"created", NULL, "registered",
					 o->source, NULL, o->w.created_ms};
	const char *p[21] = {o->wo_id,
			     o->site,
			     opt(o->device),
			     opt(o->area),
			     rcf_wo_categories[o->w.category],
			     rcf_wo_urgencies[o->w.urgency],
			     o->w.grade >= 0 ? sla_grade_names[o->w.grade] : NULL,
			     wo_state_name(o->w.state),
			     o->title,
			     opt(n->description),
			     opt(n->reporter),
			     opt(o->skill),
			     ms_text(t[0], o->w.created_ms),
			     ms_text(t[1], o->w.start_ms),
			     opt(o->alarm_id),
			     opt(o->plan_id),
			     ms_text(t[2], n->due_at_ms),
			     opt(o->key),
			     opt(o->repeat_of),
			     o->source,
			     ll_text(t[3], n->missed)};
	struct db_res *r = NULL;
	int rc;

	*dup = 0;
	rc = db_begin(db);
	if (rc == DB_OK)
		rc = run(db, "d_insert", 21, p, &r);
	if (rc == DB_OK && db_res_rows(r) == 0) {
		*dup = 1;
		db_res_free(r);
		return db_rollback(db);
	}
	db_res_free(r);
	if (rc == DB_OK)
		rc = event(db, o->wo_id, &created);
	return rc == DB_OK ? db_commit(db) : rc;
}

static void
skip_text(const struct wo *w, char *buf, size_t cap)
{
	size_t len = 0;

	buf[len++] = '{';
	for (int i = 0; i < w->n_skip && len + WO_ID_SIZE + 2 < cap; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? "," : "", w->skip[i]);
	snprintf(buf + len, cap - len, "}");
}

int
store_save(struct db *db, const struct dorder *o, const struct sla_status *st,
	   const struct store_ev *ev, int n_ev, const char *rot_site, unsigned rot)
{
	char t[16][24], lvl[12], pms[24], br[12], sat[12], reo[12], rotv[24];
	char skip[WO_MAX_SKIP * WO_ID_SIZE + 4];
	const struct wo *w = &o->w;
	const char *p[27];
	int rc;

	skip_text(w, skip, sizeof skip);
	snprintf(lvl, sizeof lvl, "%d", w->escalation_level);
	snprintf(pms, sizeof pms, "%lld", w->paused_ms);
	snprintf(br, sizeof br, "%u", w->breached);
	snprintf(sat, sizeof sat, "%d", w->satisfaction);
	snprintf(reo, sizeof reo, "%d", w->reopen_count);
	p[0] = o->wo_id;
	p[1] = wo_state_name(w->state);
	p[2] = opt(w->assignee);
	p[3] = lvl;
	p[4] = ms_text(t[0], w->start_ms);
	p[5] = ms_text(t[1], w->acked_ms);
	p[6] = ms_text(t[2], w->dispatched_ms);
	p[7] = ms_text(t[3], w->accepted_ms);
	p[8] = ms_text(t[4], w->arrived_ms);
	p[9] = ms_text(t[5], w->started_ms);
	p[10] = ms_text(t[6], w->completed_ms);
	p[11] = ms_text(t[7], w->followed_up_ms);
	p[12] = ms_text(t[8], w->closed_ms);
	p[13] = ms_text(t[9], w->cancelled_ms);
	p[14] = ms_text(t[10], w->paused_at_ms);
	p[15] = pms;
	p[16] = opt(w->pause_reason);
	p[17] = br;
	p[18] = w->satisfaction > 0 ? sat : NULL;
	p[19] = reo;
	p[20] = skip;
	p[21] = o->followup_overdue ? "true" : "false";
	p[22] = ms_text(t[11], st->due_ms[SLA_ACCEPT]);
	p[23] = ms_text(t[12], st->due_ms[SLA_ON_SITE]);
	p[24] = ms_text(t[13], st->due_ms[SLA_RESOLVE]);
	p[25] = ms_text(t[14], st->due_ms[SLA_FOLLOWUP]);
	p[26] = opt(o->repeat_of);
	rc = db_begin(db);
	if (rc == DB_OK)
		rc = run(db, "d_update", 27, p, NULL);
	for (int i = 0; rc == DB_OK && i < n_ev; i++)
		rc = event(db, o->wo_id, &ev[i]);
	if (rc == DB_OK && rot_site) {
		const char *q[2] = {rot_site, rotv};

		snprintf(rotv, sizeof rotv, "%u", rot);
		rc = run(db, "d_rot_set", 2, q, NULL);
	}
	return rc == DB_OK ? db_commit(db) : rc;
}

int
store_repeat_of(struct db *db, const char *device, const char *kind, long long since_ms,
		const char *self, char *out)
{
	char t[24];
	const char *p[4] = {device, kind, ms_text(t, since_ms > 0 ? since_ms : 1), self};
	struct db_res *r = NULL;
	int rc = db_exec_prepared(db, "d_repeat", 4, p, &r);

	out[0] = '\0';
	if (rc == DB_OK && db_res_rows(r) > 0)
		copy(out, REG_ID_SIZE, db_res_get(r, 0, 0));
	db_res_free(r);
	return rc;
}

int
store_rotation(struct db *db, const char *site, unsigned *out)
{
	const char *p[1] = {site};
	struct db_res *r = NULL;
	int rc = db_exec_prepared(db, "d_rot_get", 1, p, &r);

	*out = rc == DB_OK && db_res_rows(r) > 0 ? (unsigned)num(db_res_get(r, 0, 0)) : 0;
	db_res_free(r);
	return rc;
}
