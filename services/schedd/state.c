/* state.c — pm_state, schedd's memory: the last completion, the last
 * request (its key, when, its due instant, how many it stood for), the
 * notices sent for it, and the meter. Restored at start; one prepared
 * upsert per instance afterwards. Times travel as integer milliseconds
 * and become timestamptz in SQL; nothing here is built from message text. */
#include "schedd/state.h"
#include "db.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Times as integer milliseconds since the epoch, both ways. */
static const char restore_sql[] =
	"SELECT plan_id, device_id, (extract(epoch FROM last_done) * 1000)::bigint,"
	" coalesce(last_request_key, ''), (extract(epoch FROM last_requested_at) * 1000)::bigint,"
	" (extract(epoch FROM request_due) * 1000)::bigint, request_missed,"
	" coalesce(overdue_key, ''), coalesce(escalated_key, ''), meter_value,"
	" (extract(epoch FROM meter_at) * 1000)::bigint, meter_at_last_done, meter_base,"
	" (extract(epoch FROM next_due) * 1000)::bigint FROM pm_state";

static const char upsert_sql[] =
	"INSERT INTO pm_state (plan_id, device_id, last_done, next_due, meter_value, meter_at,"
	" meter_at_last_done, last_request_key, last_requested_at, request_due, request_missed,"
	" overdue_key, escalated_key, meter_base, updated_at) VALUES ($1, $2,"
	" to_timestamp($3::bigint / 1000.0), to_timestamp($4::bigint / 1000.0),"
	" $5::double precision, to_timestamp($6::bigint / 1000.0), $7::double precision, $8,"
	" to_timestamp($9::bigint / 1000.0), to_timestamp($10::bigint / 1000.0), $11::bigint,"
	" $12, $13, $14::double precision, now())"
	" ON CONFLICT (plan_id, device_id) DO UPDATE SET last_done = EXCLUDED.last_done,"
	" next_due = EXCLUDED.next_due, meter_value = EXCLUDED.meter_value,"
	" meter_at = EXCLUDED.meter_at, meter_at_last_done = EXCLUDED.meter_at_last_done,"
	" last_request_key = EXCLUDED.last_request_key,"
	" last_requested_at = EXCLUDED.last_requested_at, request_due = EXCLUDED.request_due,"
	" request_missed = EXCLUDED.request_missed, overdue_key = EXCLUDED.overdue_key,"
	" escalated_key = EXCLUDED.escalated_key, meter_base = EXCLUDED.meter_base,"
	" updated_at = now()";

int
state_prepare(struct db *db)
{
	return db_prepare(db, "schedd_state_upsert", upsert_sql, 14) == DB_OK ? 0 : -1;
}

static long long
ll(const char *s)
{
	return s ? strtoll(s, NULL, 10) : 0;
}

static void
copy_key(char *dst, size_t cap, const char *s)
{
	snprintf(dst, cap, "%s", strlen(s) < cap ? s : ""); /* a key too long is no key */
}

static void
restore_row(struct sched_conf *c, const struct db_res *r, size_t i)
{
	struct sched_inst *in = sconf_find(c, db_res_get(r, i, 0), db_res_get(r, i, 1));
	const char *v;

	if (!in)
		return; /* a plan or device no longer configured */
	if ((v = db_res_get(r, i, 2)) != NULL) {
		in->has_last_done = 1;
		in->last_done_ms = ll(v);
	}
	copy_key(in->last_key, sizeof in->last_key, db_res_get(r, i, 3));
	in->last_requested_ms = ll(db_res_get(r, i, 4));
	in->req_due_ms = ll(db_res_get(r, i, 5));
	in->req_missed = ll(db_res_get(r, i, 6));
	copy_key(in->overdue_key, sizeof in->overdue_key, db_res_get(r, i, 7));
	copy_key(in->escalated_key, sizeof in->escalated_key, db_res_get(r, i, 8));
	if ((v = db_res_get(r, i, 9)) != NULL) {
		in->meter.has_value = 1;
		in->meter.value = strtod(v, NULL);
	}
	if ((v = db_res_get(r, i, 12)) != NULL && db_res_get(r, i, 10)) {
		in->meter.has_base = 1;
		in->meter.base = strtod(v, NULL);
		in->meter.base_ts_ms = ll(db_res_get(r, i, 10));
	}
	if ((v = db_res_get(r, i, 11)) != NULL) {
		in->meter.has_done = 1;
		in->meter.value_at_done = strtod(v, NULL);
		in->meter.done_at_next = 0;
	} else if (in->has_last_done) {
		in->meter.done_at_next = 1;
	}
	in->next_due_ms = ll(db_res_get(r, i, 13));
}

int
state_restore(struct db *db, struct sched_conf *c, char *err, size_t errcap)
{
	struct db_res *r;

	if (db_exec(db, restore_sql, 0, NULL, &r) != DB_OK) {
		snprintf(err, errcap, "pm_state: %s", db_error(db));
		return -1;
	}
	for (size_t i = 0; i < db_res_rows(r); i++)
		restore_row(c, r, i);
	db_res_free(r);
	return 0;
}

/* Text of a parameter, or NULL (SQL NULL) when absent. */
static const char *
opt_ll(char *buf, size_t cap, int has, long long v)
{
	if (!has)
		return NULL;
	snprintf(buf, cap, "%lld", v);
	return buf;
}

static const char *
opt_d(char *buf, size_t cap, int has, double v)
{
	if (!has)
		return NULL;
	snprintf(buf, cap, "%.17g", v);
	return buf;
}

int
state_write(struct db *db, const struct sched_conf *c, const struct sched_inst *in)
{
	char b[10][32];
	const struct meter_state *m = &in->meter;
	const char *p[14];

	p[0] = c->plans[in->plan].id;
	p[1] = in->device;
	p[2] = opt_ll(b[0], sizeof b[0], in->has_last_done, in->last_done_ms);
	p[3] = opt_ll(b[1], sizeof b[1], in->next_due_ms > 0, in->next_due_ms);
	p[4] = opt_d(b[2], sizeof b[2], m->has_value, m->value);
	p[5] = opt_ll(b[3], sizeof b[3], m->has_base, m->base_ts_ms);
	p[6] = opt_d(b[4], sizeof b[4], m->has_done, m->value_at_done);
	p[7] = in->last_key[0] ? in->last_key : NULL;
	p[8] = opt_ll(b[5], sizeof b[5], in->last_key[0], in->last_requested_ms);
	p[9] = opt_ll(b[6], sizeof b[6], in->last_key[0], in->req_due_ms);
	p[10] = opt_ll(b[7], sizeof b[7], 1, in->req_missed);
	p[11] = in->overdue_key[0] ? in->overdue_key : NULL;
	p[12] = in->escalated_key[0] ? in->escalated_key : NULL;
	p[13] = opt_d(b[8], sizeof b[8], m->has_base, m->base);
	return db_exec_prepared(db, "schedd_state_upsert", 14, p, NULL);
}
