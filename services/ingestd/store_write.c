/* store_write.c — writing one batch in one transaction: readings by COPY
 * (through a temp table and ON CONFLICT only when the batch holds a
 * duplicate), events, quarantine, the device_status rows that are due, and
 * the spool position; and moving a record PostgreSQL refuses to quarantine. */
#include "store_int.h"

#include "ingestd/ingest.h"
#include "log.h"
#include "timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const move_readings_sql =
	"INSERT INTO readings (ts, device_id, metric, value, seq)"
	" SELECT ts, device_id, metric, value, seq FROM readings_stage ON CONFLICT DO NOTHING";
static const char *const move_events_sql =
	"INSERT INTO events (ts, site_id, device_id, event, state, seq, detail)"
	" SELECT ts, site_id, device_id, event, state, seq, detail FROM events_stage"
	" ON CONFLICT DO NOTHING";
/* A device heard from is online unless a status message says otherwise. */
static const char *const seen_sql =
	"INSERT INTO device_status AS d (device_id, site_id, state, last_seen, last_seq,"
	" state_changed_at, updated_at)"
	" SELECT device_id, site_id, COALESCE(state, 'online'), last_seen, last_seq,"
	" COALESCE(state_at, last_seen), now() FROM status_stage"
	" ON CONFLICT (device_id) DO UPDATE SET site_id = EXCLUDED.site_id,"
	" last_seq = CASE WHEN EXCLUDED.last_seq IS NOT NULL AND (d.last_seen IS NULL"
	" OR EXCLUDED.last_seen >= d.last_seen) THEN EXCLUDED.last_seq ELSE d.last_seq END,"
	" last_seen = GREATEST(d.last_seen, EXCLUDED.last_seen), updated_at = now()";
static const char *const state_sql =
	"UPDATE device_status d SET state = s.state, state_changed_at = s.state_at"
	" FROM status_stage s WHERE s.device_id = d.device_id AND s.state IS NOT NULL"
	" AND (d.state_changed_at IS NULL OR s.state_at >= d.state_changed_at)";
static const char *const position_sql =
	"INSERT INTO ingest_spool_position (instance, segment, byte_offset, updated_at)"
	" VALUES ($1, $2, $3, now()) ON CONFLICT (instance) DO UPDATE SET"
	" segment = EXCLUDED.segment, byte_offset = EXCLUDED.byte_offset, updated_at = now()";

/* COPY rows in. On failure the transaction (and a COPY still open, which
 * db_rollback aborts) is left for the caller. */
static enum db_status
copy_in(struct store *s, const char *sql, const struct sbuf *rows)
{
	enum db_status st;

	if (rows->len == 0)
		return DB_OK;
	st = db_copy_begin(s->db, sql);
	if (st == DB_OK)
		st = db_copy_data(s->db, rows->p, rows->len);
	return st == DB_OK ? db_copy_end(s->db) : st;
}

static enum db_status
exec(struct store *s, const char *sql, int n, const char *const *params, long long *affected)
{
	struct db_res *r = NULL;
	enum db_status st = db_exec(s->db, sql, n, params, affected ? &r : NULL);

	if (st == DB_OK && r) {
		*affected = db_res_affected(r);
		db_res_free(r);
	}
	return st;
}

static int
status_due(const void *ctx, const struct batch_dev *d)
{
	return seen_due(ctx, d);
}

static void
status_written(void *ctx, const struct batch_dev *d)
{
	struct seen *seen = ctx;

	if (seen_due(seen, d))
		seen_note(seen, d);
}

void
store_note_written(struct store *s)
{
	batch_each_dev(&s->b, status_written, s->seen);
}

/* Readings go straight into the table with COPY; only when that fails (a
 * duplicate: a replay after a crash, or a QoS 1 redelivery) does the batch
 * take the slower way through the temp table and ON CONFLICT DO NOTHING. */
static enum db_status
write_readings(struct store *s, long long *inserted)
{
	enum db_status st;

	if ((st = exec(s, "SAVEPOINT readings", 0, NULL, NULL)) != DB_OK)
		return st;
	st = copy_in(s, "COPY readings (ts, device_id, metric, value, seq) FROM STDIN",
		     &s->b.readings);
	if (st == DB_OK) {
		*inserted = s->b.readings_rows;
		return exec(s, "RELEASE SAVEPOINT readings", 0, NULL, NULL);
	}
	if (st != DB_FAIL)
		return st;
	if ((st = exec(s, "ROLLBACK TO SAVEPOINT readings", 0, NULL, NULL)) != DB_OK)
		return st;
	st = copy_in(s, "COPY readings_stage (ts, device_id, metric, value, seq) FROM STDIN",
		     &s->b.readings);
	if (st == DB_OK)
		st = exec(s, move_readings_sql, 0, NULL, inserted);
	return st;
}

enum db_status
store_write_batch(struct store *s, long long *inserted)
{
	char seg[24], off[24];
	const char *params[3] = {s->instance, seg, off};
	enum db_status st;

	*inserted = 0;
	s->status.len = 0;
	batch_status_rows(&s->b, status_due, s->seen, &s->status);
	if ((st = db_begin(s->db)) != DB_OK)
		return st;
	if (s->b.readings.len && (st = write_readings(s, inserted)) != DB_OK)
		goto fail;
	if ((st = copy_in(s, "COPY events_stage FROM STDIN", &s->b.events)) != DB_OK)
		goto fail;
	if (s->b.events.len && (st = exec(s, move_events_sql, 0, NULL, NULL)) != DB_OK)
		goto fail;
	if ((st = copy_in(s,
			  "COPY quarantine (received_at, instance, topic, reason, raw,"
			  " raw_bytes, detail) FROM STDIN",
			  &s->b.quarantine)) != DB_OK)
		goto fail;
	if ((st = copy_in(s, "COPY status_stage FROM STDIN", &s->status)) != DB_OK)
		goto fail;
	if (s->status.len && ((st = exec(s, seen_sql, 0, NULL, NULL)) != DB_OK ||
			      (st = exec(s, state_sql, 0, NULL, NULL)) != DB_OK))
		goto fail;
	snprintf(seg, sizeof seg, "%lld", s->pos.segment);
	snprintf(off, sizeof off, "%lld", s->pos.offset);
	if ((st = exec(s, position_sql, 3, params, NULL)) != DB_OK)
		goto fail;
	return db_commit(s->db);
fail:
	db_rollback(s->db);
	return st;
}

static int
grab_record(void *ctx, const struct spool_pos *at, int type, const void *data, size_t len)
{
	(void)at;
	(void)type;
	sbuf_append(ctx, data, len);
	return 0;
}

/* Moves the record at s->committed (which PostgreSQL refused on its own) to
 * quarantine: its bytes (bounded), the reason store_rejected and the error. */
enum db_status
store_quarantine_poison(struct store *s)
{
	struct spool_pos pos = s->committed;
	struct sbuf rec = {0};
	struct ingest_out out;
	enum db_status st = DB_FAIL;
	long long ignored;
	char *buf = NULL;

	if (spool_read(s->spool, &pos, 1, 0, grab_record, &rec) != 1)
		goto done;
	{
		struct ingest_in in = {"-", rec.p, rec.len, tu_now_ms(), s->instance};

		buf = xmalloc(INGEST_RECORD_MAX);
		if (ingest_quarantine(&in, INGEST_STORE_REJECTED, db_error(s->db), buf,
				      INGEST_RECORD_MAX, &out) < 0)
			goto done;
	}
	batch_reset(&s->b);
	if (batch_add(&s->b, out.type, buf, out.len) < 0)
		goto done;
	s->pos = pos;
	st = store_write_batch(s, &ignored);
done:
	free(buf);
	free(rec.p);
	return st;
}
