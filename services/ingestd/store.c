/* store.c — the writer thread: spool -> PostgreSQL. A batch is committed
 * together with the spool position, so after any crash the writer replays
 * exactly the records whose transaction did not commit; duplicates that the
 * replay or a QoS 1 redelivery bring are dropped by ON CONFLICT. A record
 * PostgreSQL refuses (a poison record) is found by replaying the batch one
 * record at a time and is moved to quarantine, so it cannot block the spool. */
#include "store.h"

#include "store_int.h"

#include "db.h"
#include "ingestd/ingest.h"
#include "latency.h"
#include "log.h"
#include "seen.h"
#include "store_batch.h"
#include "timeutil.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const setup_sql =
	"CREATE TEMP TABLE IF NOT EXISTS readings_stage (LIKE readings) ON COMMIT DELETE ROWS;"
	"CREATE TEMP TABLE IF NOT EXISTS events_stage (ts timestamptz, site_id text,"
	" device_id text, event text, state text, seq bigint, detail jsonb) ON COMMIT DELETE ROWS;"
	"CREATE TEMP TABLE IF NOT EXISTS status_stage (device_id text, site_id text,"
	" last_seen timestamptz, last_seq bigint, state text, state_at timestamptz)"
	" ON COMMIT DELETE ROWS;";

static void
sleep_ms(long long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

static void
bump(struct store *s, long long *field, long long n)
{
	pthread_mutex_lock(&s->mu);
	*field += n;
	pthread_mutex_unlock(&s->mu);
}

static int
visit(void *ctx, const struct spool_pos *at, int type, const void *data, size_t len)
{
	struct store *s = ctx;

	(void)at;
	if (batch_devices_full(&s->b))
		return 1; /* commit first; this record starts the next batch */
	if (batch_add(&s->b, type, data, len) < 0) {
		static struct log_limit lim = LOG_LIMIT(10000);

		log_limited(&lim, LOG_ERROR, "spool_record_unreadable", "type=%d len=%zu", type,
			    len);
		return 0; /* counted in bad_records; cannot be stored, skip it */
	}
	/* batch_add noted the record's time: no second parse of its header */
	if (s->b.ts_ms[s->b.nts - 1] > s->newest_ms)
		s->newest_ms = s->b.ts_ms[s->b.nts - 1];
	return 0;
}

/* Connects, prepares the session, and finds where the spool stands. */
static int
connect_and_setup(struct store *s)
{
	const char *params[1] = {s->instance};
	struct db_res *r = NULL;

	if (db_connect_retry(s->db, -1, s->o.reconnect_max_ms, (volatile int *)&s->stop) != DB_OK)
		return -1;
	if (db_require_schema(s->db, DB_SCHEMA_VERSION_MIN) < 0 ||
	    db_exec_script(s->db, setup_sql) != DB_OK ||
	    db_exec(s->db,
		    "SELECT segment, byte_offset FROM ingest_spool_position WHERE instance = $1", 1,
		    params, &r) != DB_OK) {
		log_error("store_setup_failed", "error=\"%s\"", db_error(s->db));
		return -1;
	}
	spool_seek_start(s->spool, &s->committed);
	if (db_res_rows(r) == 1) {
		struct spool_pos p = {atoll(db_res_get(r, 0, 0)), atoll(db_res_get(r, 0, 1))};
		struct spool_pos tail;

		spool_tail(s->spool, &tail);
		if (p.segment > tail.segment ||
		    (p.segment == tail.segment && p.offset > tail.offset))
			log_warn("spool_position_ahead",
				 "segment=%lld offset=%lld reason=\"the spool was replaced; "
				 "replaying it all\"",
				 p.segment, p.offset);
		else if (p.segment > s->committed.segment ||
			 (p.segment == s->committed.segment && p.offset > s->committed.offset))
			s->committed = p;
	}
	db_res_free(r);
	s->pos = s->committed;
	pthread_mutex_lock(&s->mu);
	s->st.connected = 1;
	pthread_mutex_unlock(&s->mu);
	log_info("store_ready", "segment=%lld offset=%lld", s->committed.segment,
		 s->committed.offset);
	return 0;
}

/* Reads until the batch is full, the spool is caught up, or it is old. */
static int
fill_batch(struct store *s)
{
	size_t max_records = s->careful ? 1 : 0;

	for (;;) {
		int n = spool_read(s->spool, &s->pos, max_records ? max_records : 1024, 0, visit,
				   s);

		if (n < 0)
			return -1;
		if (n > 0 && s->first_ms == 0)
			s->first_ms = tu_mono_ms();
		if (s->careful && s->b.records + s->b.bad_records > 0)
			return 0;
		if (n == 0 || s->b.rows >= s->o.batch_rows || batch_devices_full(&s->b) ||
		    (s->first_ms && tu_mono_ms() - s->first_ms >= s->o.batch_ms))
			return 0;
	}
}

static void
committed(struct store *s, long long inserted, long long started_ms)
{
	long long took = tu_mono_ms() - started_ms;

	long long now_ms = tu_now_ms();

	s->committed = s->pos;
	spool_release(s->spool, &s->committed);
	store_note_written(s);
	pthread_mutex_lock(&s->mu);
	for (size_t i = 0; i < s->b.nts; i++)
		latency_add(&s->lat, (now_ms - s->b.ts_ms[i]) * 1000);
	s->st.batches++;
	s->st.records += s->b.records;
	s->st.readings += s->b.readings_rows;
	s->st.readings_new += inserted;
	s->st.events += s->b.events_rows;
	s->st.quarantined += s->b.quarantine_rows;
	s->st.batch_ms_last = took;
	if (took > s->st.batch_ms_max)
		s->st.batch_ms_max = took;
	if (s->newest_ms > 0)
		s->st.commit_lag_ms = now_ms - s->newest_ms;
	pthread_mutex_unlock(&s->mu);
}

static void *
writer_main(void *arg)
{
	struct store *s = arg;
	int ready = 0;

	while (!s->stop || (ready && tu_mono_ms() < s->drain_deadline_ms)) {
		long long started, inserted;
		enum db_status st;

		if (!ready) {
			if (connect_and_setup(s) < 0) {
				if (!s->stop)
					sleep_ms(1000);
				continue;
			}
			ready = 1;
		}
		batch_reset(&s->b);
		s->first_ms = 0;
		s->newest_ms = 0;
		if (fill_batch(s) < 0) {
			sleep_ms(100);
			continue;
		}
		if (s->b.records + s->b.bad_records == 0) {
			if (s->stop)
				break; /* drained */
			sleep_ms(2);
			continue;
		}
		started = tu_mono_ms();
		st = store_write_batch(s, &inserted);
		if (st == DB_OK) {
			committed(s, inserted, started);
			s->careful = s->careful ? s->careful - 1 : 0;
			continue;
		}
		bump(s, &s->st.db_errors, 1);
		s->pos = s->committed;
		if (st == DB_RETRY) {
			log_warn("store_retry", "error=\"%s\"", db_error(s->db));
			ready = 0;
			pthread_mutex_lock(&s->mu);
			s->st.connected = 0;
			pthread_mutex_unlock(&s->mu);
			continue;
		}
		if (!s->careful) {
			/* Find the bad record: replay this batch one record at a time. */
			log_warn("store_batch_refused", "records=%lld error=\"%s\"", s->b.records,
				 db_error(s->db));
			s->careful = (int)(s->b.records + s->b.bad_records);
			continue;
		}
		log_error("store_record_refused", "segment=%lld offset=%lld error=\"%s\"",
			  s->committed.segment, s->committed.offset, db_error(s->db));
		if (store_quarantine_poison(s) == DB_OK) {
			committed(s, 0, started);
			bump(s, &s->st.poison, 1);
			s->careful--;
		} else {
			sleep_ms(1000);
		}
	}
	return NULL;
}

struct store *
store_start(const struct store_opts *o, struct spool *spool)
{
	struct store *s = xcalloc(1, sizeof *s);

	s->o = *o;
	if (s->o.batch_rows <= 0)
		s->o.batch_rows = 5000;
	if (s->o.batch_ms <= 0)
		s->o.batch_ms = 50;
	if (s->o.reconnect_max_ms <= 0)
		s->o.reconnect_max_ms = 10000;
	snprintf(s->instance, sizeof s->instance, "%s", o->instance);
	s->spool = spool;
	s->db = db_new(o->conninfo);
	db_set_application_name(s->db, "ingestd-writer");
	pthread_mutex_init(&s->mu, NULL);
	latency_init(&s->lat);
	s->seen = seen_new(STATUS_RESOLUTION_MS);
	batch_init(&s->b, MAX_BATCH_DEVICES);
	if (pthread_create(&s->thread, NULL, writer_main, s) != 0) {
		log_error("store_thread_failed", NULL);
		batch_free(&s->b);
		db_free(s->db);
		free(s);
		return NULL;
	}
	return s;
}

void
store_stop(struct store *s, long long drain_ms)
{
	if (!s)
		return;
	s->drain_deadline_ms = tu_mono_ms() + drain_ms;
	s->stop = 1;
	pthread_join(s->thread, NULL);
	batch_free(&s->b);
	seen_free(s->seen);
	free(s->status.p);
	db_free(s->db);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

void
store_get_stats(struct store *s, struct store_stats *out)
{
	pthread_mutex_lock(&s->mu);
	*out = s->st;
	out->latency_p50_ms = latency_quantile(&s->lat, 0.50) / 1000.0;
	out->latency_p99_ms = latency_quantile(&s->lat, 0.99) / 1000.0;
	out->latency_p999_ms = latency_quantile(&s->lat, 0.999) / 1000.0;
	pthread_mutex_unlock(&s->mu);
}
